//! The database an API integration test runs on, on either backend (issue 19: both backends
//! pass the same suite). `QUANZE_TEST_BACKEND=postgresql` — with `QUANZE_TEST_PG`, a server URL
//! whose user may create databases (`scripts/pg-throwaway.sh start`) — puts every test that
//! opens its database through [`fresh_api`] on a database of its own on that server, dropped
//! when the test ends; otherwise the database is SQLite in memory. `cargo xtask test` runs the
//! files that use it both ways. [`TestDatabase`] is also what the tests that need a server
//! whatever the run (`concurrent_edits.rs`) use.
#![allow(dead_code)] // each test file uses part of it

use std::ops::{Deref, DerefMut};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use quanze_api::Api;

/// An open `Api` and, on a server, the database it lives in (dropped after the `Api`).
pub struct FreshApi {
    api: Api,
    _database: Option<TestDatabase>,
}

impl Deref for FreshApi {
    type Target = Api;
    fn deref(&self) -> &Api {
        &self.api
    }
}

impl DerefMut for FreshApi {
    fn deref_mut(&mut self) -> &mut Api {
        &mut self.api
    }
}

/// Whether this run puts [`fresh_api`]'s databases on the PostgreSQL server.
pub fn on_postgresql() -> bool {
    std::env::var("QUANZE_TEST_BACKEND").is_ok_and(|b| b == "postgresql")
}

/// A new empty database on the backend this run asks for.
pub fn fresh_api() -> FreshApi {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    if !on_postgresql() {
        return FreshApi { api: Api::open_in_memory().expect("open"), _database: None };
    }
    let name = format!("fresh{}", NEXT.fetch_add(1, Ordering::Relaxed));
    let database = TestDatabase::new(&name).expect("QUANZE_TEST_BACKEND=postgresql needs QUANZE_TEST_PG (scripts/pg-throwaway.sh start)");
    let api = Api::open(&database.path()).expect("open the server database");
    FreshApi { api, _database: Some(database) }
}

/// A database of its own on the test server (and the accounts made for it), dropped at the end.
pub struct TestDatabase {
    server: String,
    pub name: String,
    pub url: String,
    host: String,
    port: u16,
    /// The test server's own user (a superuser that may create databases and roles).
    pub admin_user: String,
    accounts: Vec<String>,
}

impl TestDatabase {
    /// `None` (the test says so and passes) without `QUANZE_TEST_PG`, except under `CI=true`,
    /// where a missing server fails the test.
    pub fn new(test: &str) -> Option<TestDatabase> {
        let server = match std::env::var("QUANZE_TEST_PG") {
            Ok(url) if !url.is_empty() => url,
            _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
                panic!("CI=true but QUANZE_TEST_PG is not set: the PostgreSQL tests need a server (scripts/pg-throwaway.sh)")
            }
            _ => {
                eprintln!("{test}: QUANZE_TEST_PG is not set, the PostgreSQL half is skipped (scripts/pg-throwaway.sh start)");
                return None;
            }
        };
        let name = format!("quanze_api_{}_{test}", std::process::id());
        let mut admin = postgres::Client::connect(&server, postgres::NoTls).expect("connect to QUANZE_TEST_PG");
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).expect("drop");
        // C.UTF-8 as scripts/pg-setup.sh makes it: pg_trgm then reads Chinese as letters.
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE template0 LOCALE 'C.UTF-8'"))
            .expect("create");
        let (base, query) = server.split_once('?').map_or((server.as_str(), None), |(b, q)| (b, Some(q)));
        let root = base.rsplit_once('/').map_or(base, |(root, _)| root);
        let url = query.map_or_else(|| format!("{root}/{name}"), |query| format!("{root}/{name}?{query}"));
        // postgresql://user@host:port/database, as scripts/pg-throwaway.sh prints it.
        let (user, host_port) = root.split_once("://").expect("a URL").1.split_once('@').expect("a user");
        let (host, port) = host_port.rsplit_once(':').expect("a port");
        Some(TestDatabase {
            name,
            url,
            host: host.to_string(),
            port: port.parse().expect("port"),
            admin_user: user.split(':').next().unwrap_or(user).to_string(),
            accounts: Vec::new(),
            server,
        })
    }

    /// The 连接服务器 dialog's fields for this database (the test server trusts local
    /// connections, so any password is taken).
    pub fn login(&self, account: &str, password: &str) -> quanze_api::ServerLogin {
        quanze_api::ServerLogin {
            address: quanze_api::ServerAddress {
                host: self.host.clone(),
                port: self.port,
                database: self.name.clone(),
                account: account.to_string(),
            },
            password: password.to_string(),
        }
    }

    /// A login role in `group`, named after this database (roles belong to the whole cluster),
    /// dropped with it.
    pub fn add_account(&mut self, name: &str, group: &str) -> String {
        let role = format!("{}_{name}", self.name);
        self.client()
            .batch_execute(&format!("DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN IN ROLE {group}"))
            .expect("create the account");
        self.accounts.push(role.clone());
        role
    }

    pub fn path(&self) -> PathBuf {
        PathBuf::from(&self.url)
    }

    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).expect("connect")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.server, postgres::NoTls) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
            for role in &self.accounts {
                let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS {role}"));
            }
        }
    }
}

/// The list of the tests where several users share one database (`concurrent_edits.rs`,
/// `server_changes.rs`): 测试区 with two departments; [`LIST`] holds items 1, [`ITEM`] (which
/// names its 承办机构) and 3, [`OTHER_LIST`] one item, [`OTHER_ITEM`].
pub const LIST: quanze_domain::Id = 1;
pub const ITEM: quanze_domain::Id = 2;
pub const OTHER_LIST: quanze_domain::Id = 2;
pub const OTHER_ITEM: quanze_domain::Id = 4;

/// The bundle of [`LIST`] and [`OTHER_LIST`], as text for `Api::load_bundle_text`.
pub fn two_lists_bundle() -> String {
    serde_json::json!({
        "format": "quanze-bundle",
        "format_version": 1,
        "jurisdictions": [{ "id": 1, "name": "测试区", "level": "区" }],
        "units": [{ "id": 1, "jurisdiction": 1, "name": "区城市管理局", "kind": "行政" },
                  { "id": 2, "jurisdiction": 1, "name": "区水务局", "kind": "行政" }],
        "lists": [
            { "id": LIST, "jurisdiction": 1, "unit": 1, "kind": "权责清单", "name": "区城市管理局权责清单", "items": [
                { "id": 1, "name": "城市管理事项一", "power_type": "行政处罚", "basis": "依据一" },
                { "id": ITEM, "name": "城市管理事项二", "power_type": "行政处罚", "basis": "依据二", "handling_unit": 1 },
                { "id": 3, "name": "城市管理事项三", "power_type": "行政处罚", "basis": "依据三" }
            ]},
            { "id": OTHER_LIST, "jurisdiction": 1, "unit": 2, "kind": "权责清单", "name": "区水务局权责清单", "items": [
                { "id": OTHER_ITEM, "name": "水务事项", "power_type": "行政许可", "basis": "依据四" }
            ]}
        ]
    })
    .to_string()
}

/// A fresh database holding one list, 长清单 (id 1) of 区城市管理局 in 测试区, with `items` (bundle
/// items as JSON): the fixture of the tests of long lists.
pub fn one_long_list(items: Vec<serde_json::Value>) -> FreshApi {
    let bundle = serde_json::json!({
        "format": "quanze-bundle", "format_version": 1,
        "jurisdictions": [{ "id": 1, "name": "测试区", "level": "区" }],
        "units": [{ "id": 1, "jurisdiction": 1, "name": "区城市管理局", "kind": "行政" }],
        "lists": [{ "id": 1, "jurisdiction": 1, "unit": 1, "kind": "权责清单", "name": "长清单", "items": items }]
    });
    let mut api = fresh_api();
    api.load_bundle_text(&bundle.to_string(), "fixture", "测试").expect("load");
    api
}
