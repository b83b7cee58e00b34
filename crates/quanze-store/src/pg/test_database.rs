//! A database of its own for each PostgreSQL test, on the server `QUANZE_TEST_PG` names
//! (`scripts/pg-throwaway.sh start` makes one; `cargo xtask test` does it for CI). Without
//! `QUANZE_TEST_PG` a test says so and passes, except under `CI=true`, where a missing server
//! fails it.

use std::sync::atomic::{AtomicUsize, Ordering};

use postgres::Client;

use super::connect;

/// A database made for one test on the test server, dropped when the test ends.
pub(crate) struct TestDatabase {
    server: String,
    name: String,
    pub(crate) url: String,
}

impl TestDatabase {
    /// A new empty database, or `None` (with a note) when no test server is configured.
    pub(crate) fn new(test: &str) -> Option<TestDatabase> {
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
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let name = format!("quanze_t{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
        let mut admin = connect(&server).expect("connect to QUANZE_TEST_PG");
        // Two statements: DROP/CREATE DATABASE refuse to run inside one multi-statement batch.
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).expect("drop old test database");
        admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("create test database");
        let (base, query) = server.split_once('?').map_or((server.as_str(), None), |(b, q)| (b, Some(q)));
        let root = base.rsplit_once('/').map_or(base, |(root, _)| root);
        let url = match query {
            Some(query) => format!("{root}/{name}?{query}"),
            None => format!("{root}/{name}"),
        };
        Some(TestDatabase { server, name, url })
    }

    pub(crate) fn client(&self) -> Client {
        connect(&self.url).expect("connect to the test database")
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = connect(&self.server) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

