//! The PostgreSQL backend (issue 19, `docs/server.md`) — its first pieces: connecting, creating
//! or checking the schema, and the text search that pg_trgm serves.
//!
//! The store does not run on PostgreSQL yet: [`Store`](crate::Store) is SQLite's. What is here
//! is what both halves will share once the store's SQL goes through one interface: the schema
//! (`migrations/pg/`, same version numbers as SQLite's), how a database is recognised as
//! Quanze's, and the search statement.

use postgres::{Client, NoTls};

use crate::backend::{Conn, PgConnection};
use crate::{schema, Result, StoreError};

/// The PostgreSQL schema at version 6 (see the file's header for how it differs from SQLite's).
pub const SCHEMA_AT_6: &str = include_str!("../migrations/pg/0006.sql");

/// PostgreSQL's steps, by the version they lead to. A database is born at the first one's
/// version (6) with that file; each later step takes it one version further (and records its
/// version in `schema_version` itself).
pub const MIGRATIONS: &[(i32, &str, &str)] = &[
    (6, "0006.sql", SCHEMA_AT_6),
    (7, "0007.sql", include_str!("../migrations/pg/0007.sql")),
];

/// Whether `target` names a PostgreSQL database rather than a SQLite file.
pub fn is_server_url(target: &str) -> bool {
    target.starts_with("postgresql://") || target.starts_with("postgres://")
}

/// `url` without its password, for messages.
pub fn shown_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((user_info, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    let user = user_info.split_once(':').map_or(user_info, |(user, _)| user);
    format!("{scheme}://{user}@{host}")
}

/// Connect to the database at `url`.
pub fn connect(url: &str) -> Result<Client> {
    Client::connect(url, NoTls).map_err(|source| StoreError::Server {
        target: shown_url(url),
        source,
    })
}

fn server_error(shown: &str) -> impl Fn(postgres::Error) -> StoreError + '_ {
    move |source| StoreError::Server {
        target: shown.to_string(),
        source,
    }
}

impl PgConnection {
    /// Connect to the database at `url` and bring its schema up to date (see
    /// [`PgConnection::prepare_schema`]).
    pub fn open(url: &str) -> Result<PgConnection> {
        let connection = PgConnection::connect(url)?;
        connection.prepare_schema()?;
        Ok(connection)
    }

    /// Bring the database's schema to the current version: create it in an empty database,
    /// refuse one that holds something else or was written by a newer Quanze. Returns the
    /// version found before (0 for an empty database). One transaction; a second process doing
    /// the same waits for the first (the advisory lock) and then finds the work done.
    pub fn prepare_schema(&self) -> Result<i32> {
        self.transaction(|conn| {
            conn.execute("SELECT pg_advisory_xact_lock(1364870449)", &[])?;
            let found = recorded_version(conn, self.shown())?;
            if found > schema::SCHEMA_VERSION {
                return Err(StoreError::TooNew {
                    path: self.shown().to_string(),
                    found,
                    supported: schema::SCHEMA_VERSION,
                });
            }
            for (version, _, sql) in MIGRATIONS {
                if *version > found {
                    self.batch(sql)?;
                }
            }
            Ok(found)
        })
    }
}

/// The schema version a database records: 0 when it has no tables at all; a database with
/// tables but no Quanze `schema_version` row is another program's.
fn recorded_version(conn: Conn<'_>, shown: &str) -> Result<i32> {
    let count = |sql: &str| -> Result<i64> { conn.query_opt(sql, &[])?.map_or(Ok(0), |row| row.integer(0)) };
    if count("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")? == 0 {
        return Ok(0);
    }
    let has_version = count(
        "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_version'",
    )? > 0;
    let recorded = if has_version {
        conn.query_opt("SELECT application_id, version FROM schema_version", &[])?
            .map(|row| Ok::<_, StoreError>((row.integer(0)?, row.integer(1)?)))
            .transpose()?
    } else {
        None
    };
    match recorded {
        Some((application_id, version)) if application_id == i64::from(schema::APPLICATION_ID) => {
            i32::try_from(version).map_err(|_| StoreError::NotQuanze { path: shown.to_string() })
        }
        _ => Err(StoreError::NotQuanze { path: shown.to_string() }),
    }
}

/// `LIKE` pattern matching `query` anywhere: `%`, `_` and `\` in the query match themselves.
pub fn contains_pattern(query: &str) -> String {
    let mut pattern = String::with_capacity(query.len() + 2);
    pattern.push('%');
    for c in query.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The ids of the texts that contain `query` (the first step of search; the items that use
/// them follow from `items.text_ids`). Three characters and more are looked up in the trigram
/// index; one or two cannot be narrowed by trigrams, and the server scans `texts` — the
/// distinct texts only, as SQLite's search does for every query.
pub fn texts_containing(client: &mut Client, shown: &str, query: &str, limit: i64) -> Result<Vec<i64>> {
    let rows = client
        .query(
            "SELECT id FROM texts WHERE body LIKE $1 ORDER BY id LIMIT $2",
            &[&contains_pattern(query), &limit],
        )
        .map_err(server_error(shown))?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}

#[cfg(test)]
pub(crate) mod test_database;
#[cfg(test)]
mod concurrency_tests;
#[cfg(test)]
mod store_tests;
#[cfg(test)]
mod tests;
