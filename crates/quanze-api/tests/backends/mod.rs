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

/// A database of its own on the test server, dropped at the end.
pub struct TestDatabase {
    server: String,
    name: String,
    pub url: String,
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
        Some(TestDatabase { server, name, url })
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
        }
    }
}
