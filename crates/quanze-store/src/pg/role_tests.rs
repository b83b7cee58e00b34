//! Accounts and row-level security on a real server (`migrations/pg/0008.sql`): each test
//! connects as a street's account, a 编办 account and an account of neither, and checks what
//! each sees and may change through the same [`Store`] the app uses, and what the server's
//! refusals say in Chinese.

use std::path::Path;

use postgres::Client;
use quanze_domain::{Id, Item, Jurisdiction, Level};

use super::test_database::TestDatabase;
use crate::{ItemRecord, ItemRun, Store, StoreError};

/// Login roles made for one test (roles belong to the whole cluster, so their names carry the
/// test database's), dropped when the test ends.
struct Accounts {
    admin_url: String,
    names: Vec<String>,
}

impl Accounts {
    fn new(database: &TestDatabase) -> Accounts {
        Accounts {
            admin_url: database.url.clone(),
            names: Vec::new(),
        }
    }

    /// A login role, member of `group` (or of none), with its URL on `database`.
    fn add(&mut self, admin: &mut Client, database: &TestDatabase, name: &str, group: Option<&str>) -> String {
        let role = format!("{}_{name}", database_name(&database.url));
        let membership = group.map_or(String::new(), |g| format!(" IN ROLE {g}"));
        admin
            .batch_execute(&format!("DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN{membership}"))
            .expect("create role");
        self.names.push(role.clone());
        url_as(&database.url, &role)
    }
}

impl Drop for Accounts {
    fn drop(&mut self) {
        if let Ok(mut admin) = super::connect(&self.admin_url) {
            for name in &self.names {
                let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS {name}"));
            }
        }
    }
}

fn database_name(url: &str) -> String {
    let path = url.split('?').next().unwrap_or(url);
    path.rsplit('/').next().unwrap_or("quanze").to_string()
}

/// `url` with its user replaced by `role` (the test server trusts local connections).
fn url_as(url: &str, role: &str) -> String {
    let (scheme, rest) = url.split_once("://").expect("a URL");
    let host = rest.split_once('@').map_or(rest, |(_, host)| host);
    format!("{scheme}://{role}@{host}")
}

fn open(url: &str) -> Store {
    Store::open(Path::new(url)).expect("open as the account")
}

/// The sample district loaded by the database's owner; returns the owner's store.
fn district(database: &TestDatabase) -> Store {
    let mut owner = open(&database.url);
    let sample = quanze_sample_gen::generate().bundle;
    owner.write("设置", Some("载入示例"), |w| w.load_bundle(&sample)).expect("load");
    owner
}

/// A place and everything under it.
fn subtree(places: &[Jurisdiction], top: Id) -> Vec<Id> {
    let mut inside = vec![top];
    let mut grew = true;
    while grew {
        grew = false;
        for place in places {
            if place.parent.is_some_and(|p| inside.contains(&p)) && !inside.contains(&place.id) {
                inside.push(place.id);
                grew = true;
            }
        }
    }
    inside
}

/// The first list of `place`'s subtree that has items, and one of its items.
fn list_with_items(store: &Store, places: &[Id]) -> (Id, ItemRecord) {
    let reader = store.reader();
    for list in reader.lists().expect("lists").into_iter().filter(|l| places.contains(&l.jurisdiction)) {
        if let Some(item) = reader.list_item_records(list.id).expect("items").into_iter().next() {
            return (list.id, item);
        }
    }
    panic!("the sample has a list with items under every street")
}

fn is_denied(result: &Result<impl std::fmt::Debug, StoreError>, account: &str, words: &str) -> bool {
    matches!(result, Err(StoreError::Denied { account: a, message }) if a == account && message.contains(words))
}

#[test]
fn a_street_account_sees_and_changes_only_its_street_and_its_communities() {
    let Some(database) = TestDatabase::new("roles_street") else { return };
    let owner = district(&database);
    let places = owner.reader().jurisdictions().expect("places");
    let streets: Vec<&Jurisdiction> = places.iter().filter(|j| j.level == Level::Street).collect();
    assert!(streets.len() >= 2, "the sample district has several streets");
    let (ours, theirs) = (streets[0], streets[1]);
    let our_places = subtree(&places, ours.id);
    let their_places = subtree(&places, theirs.id);

    let mut admin = database.client();
    let mut accounts = Accounts::new(&database);
    let street_url = accounts.add(&mut admin, &database, "street", Some("quanze_street"));
    let role = database_name(&street_url) + "_street";
    admin
        .execute("INSERT INTO role_scopes(role_name, jurisdiction_id) VALUES ($1, $2)", &[&role, &i64::from(ours.id)])
        .expect("scope");
    let mut street = open(&street_url);
    assert_eq!(street.account(), Some(role.as_str()));

    // What it sees: its places, the district above, none of the other street's.
    let seen: Vec<Id> = street.reader().jurisdictions().expect("places").iter().map(|j| j.id).collect();
    let district = ours.parent.expect("a street is under the district");
    assert!(our_places.iter().all(|p| seen.contains(p)), "its street and communities");
    assert!(seen.contains(&district), "the district above, by name");
    assert!(their_places.iter().all(|p| !seen.contains(p)), "no place of the other street: {seen:?}");
    let lists = street.reader().lists().expect("lists");
    let owner_lists = owner.reader().lists().expect("lists");
    let expected: Vec<Id> = owner_lists.iter().filter(|l| our_places.contains(&l.jurisdiction)).map(|l| l.id).collect();
    assert_eq!(lists.iter().map(|l| l.id).collect::<Vec<_>>(), expected, "exactly the lists of its street and communities");
    assert!(!expected.is_empty());

    let (their_list, their_item) = list_with_items(&owner, &their_places);
    assert!(matches!(street.reader().list(their_list), Err(StoreError::NotFound { .. })), "another street's list is not there for it");
    assert!(matches!(street.reader().item(their_item.item.id), Err(StoreError::NotFound { .. })));
    let hits = street.reader().search("许可", 10_000).expect("search");
    assert!(hits.iter().all(|hit| expected.contains(&hit.list)), "search finds only its own items");

    // It edits its own items; the audit log names its role, not the name the program sent.
    let (_, mut our_item) = list_with_items(&street, &our_places);
    our_item.item.name.push_str("（街道修订）");
    street.write("冒名的张三", None, |w| w.put(&mut our_item)).expect("its own item");
    let entry = street.reader().audit_log(1, Some(("事项", our_item.item.id))).expect("log").remove(0);
    assert_eq!(entry.actor, role, "the actor is the account's role");

    // Writes into the other street are refused by the server, in Chinese.
    let mut changed = their_item.clone();
    changed.item.name.push_str("（越权修改）");
    let refused = street.write("张三", None, |w| w.put(&mut changed));
    assert!(is_denied(&refused, &role, "街道的账号只能修改本街道"), "{refused:?}");
    let added = vec![Item {
        name: "越权新增".into(),
        ..Item::default()
    }];
    let run = ItemRun {
        source: "测试".into(),
        details: Vec::new(),
    };
    let refused = street.write("张三", None, |w| w.insert_items(their_list, 1_000, &added, &run));
    assert!(matches!(refused, Err(StoreError::NotFound { entity: "清单", .. })), "their list is not there to add to: {refused:?}");
    let deleted = street.write("张三", None, |w| w.delete::<ItemRecord>(their_item.item.id));
    assert!(matches!(deleted, Err(StoreError::NotFound { .. })), "{deleted:?}");
    assert_eq!(owner.reader().item(their_item.item.id).expect("still there").item.name, their_item.item.name, "nothing of theirs changed");

    // The audit log is append-only, for a street's account as for anyone.
    let mut raw = super::connect(&street_url).expect("connect");
    let tampered = raw.execute("DELETE FROM audit_log", &[]).map_err(|e| super::server_failure("test", &role, e));
    assert!(is_denied(&tampered, &role, "操作记录只能追加"), "{tampered:?}");
    drop(accounts);
}

#[test]
fn a_bianban_account_sees_and_changes_everything_under_its_own_name() {
    let Some(database) = TestDatabase::new("roles_bianban") else { return };
    let owner = district(&database);
    let mut admin = database.client();
    let mut accounts = Accounts::new(&database);
    let url = accounts.add(&mut admin, &database, "bianban", Some("quanze_bianban"));
    let role = database_name(&url) + "_bianban";
    let mut bianban = open(&url);
    let lists: Vec<Id> = bianban.reader().lists().expect("lists").iter().map(|l| l.id).collect();
    let owner_lists: Vec<Id> = owner.reader().lists().expect("lists").iter().map(|l| l.id).collect();
    assert_eq!(lists, owner_lists, "the 编办 sees every list");
    let places = owner.reader().jurisdictions().expect("places");
    let all: Vec<Id> = places.iter().map(|j| j.id).collect();
    let (_, mut item) = list_with_items(&bianban, &all);
    item.item.name.push_str("（编办修订）");
    bianban.write("随便写的名字", None, |w| w.put(&mut item)).expect("edit");
    let entry = bianban.reader().audit_log(1, Some(("事项", item.item.id))).expect("log").remove(0);
    assert_eq!(entry.actor, role);
    drop(accounts);
}

#[test]
fn an_account_of_no_quanze_group_is_told_who_may_let_it_in() {
    let Some(database) = TestDatabase::new("roles_none") else { return };
    drop(district(&database));
    let mut admin = database.client();
    let mut accounts = Accounts::new(&database);
    let url = accounts.add(&mut admin, &database, "stranger", None);
    let role = database_name(&url) + "_stranger";
    let opened = Store::open(Path::new(&url));
    assert!(is_denied(&opened, &role, "quanze_bianban（编办）或 quanze_street（街道）"), "{opened:?}");
    drop(accounts);
}

#[test]
fn another_accounts_edit_reaches_a_listening_app_when_it_commits() {
    let Some(database) = TestDatabase::new("change_feed") else { return };
    let owner = district(&database);
    let mut admin = database.client();
    let mut accounts = Accounts::new(&database);
    let url = accounts.add(&mut admin, &database, "writer", Some("quanze_bianban"));
    let role = database_name(&url) + "_writer";
    let mut feed = owner.change_feed().expect("feed").expect("a server has a feed");
    assert!(feed.changes(std::time::Duration::from_millis(50)).expect("quiet").is_empty());

    let mut writer = open(&url);
    let places: Vec<Id> = owner.reader().jurisdictions().expect("places").iter().map(|j| j.id).collect();
    let (list, mut item) = list_with_items(&writer, &places);
    // A write that fails tells nobody.
    let failed: Result<(), StoreError> = writer.write("x", None, |w| {
        let mut changed = item.clone();
        changed.item.name.push_str("（不会留下）");
        w.put(&mut changed)?;
        Err(StoreError::Invalid("中途失败".into()))
    });
    assert!(failed.is_err());
    item.item.name.push_str("（另一位同事修订）");
    writer.write("x", None, |w| w.put(&mut item)).expect("edit");
    let heard = feed.changes(std::time::Duration::from_secs(5)).expect("changes");
    assert!(
        heard.iter().any(|c| c.table == "items" && c.ids.as_deref() == Some(&[list][..]) && c.by == role),
        "the edited item's list, by the writer's account: {heard:?}"
    );
    assert!(heard.iter().all(|c| c.by == role), "nothing from the failed write or anyone else: {heard:?}");
    let writer_connection = writer.server_connection().expect("pid");
    assert!(writer_connection.is_some() && writer_connection != owner.server_connection().expect("pid"));
    assert!(heard.iter().all(|c| c.connection == writer_connection), "each notice names the writing connection: {heard:?}");
    drop(writer);
    drop(accounts);
}
