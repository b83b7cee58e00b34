//! The PostgreSQL backend (issue 19, `docs/server.md`): connecting, creating or bringing
//! forward the schema (`migrations/pg/`, the same version numbers as SQLite's), recognising a
//! database as Quanze's, the text search that pg_trgm serves, and what the server's refusals
//! mean to a user ([`server_failure`]). The store's SQL itself runs through `backend::Conn`.

use postgres::error::{DbError, SqlState};
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
    // Accounts (group roles quanze_bianban / quanze_street), row-level security, the audit
    // log's actor from the session's role, change notices.
    (8, "0008.sql", include_str!("../migrations/pg/0008.sql")),
    // The texts each item uses, indexed for search (quanze_text_ids).
    (9, "0009.sql", include_str!("../migrations/pg/0009.sql")),
    // …dropped again: measured slower than reading the short rows, and a cost to imports.
    (10, "0010.sql", include_str!("../migrations/pg/0010.sql")),
    // Items' documents as `json` text, not `jsonb`: written and read whole, never looked into.
    (11, "0011.sql", include_str!("../migrations/pg/0011.sql")),
];

/// What a PostgreSQL error means to the user: a refusal by the server's permissions or its
/// row-level security becomes [`StoreError::Denied`], in words a clerk reads, naming the
/// account; anything else stays [`StoreError::Server`].
pub(crate) fn server_failure(shown: &str, account: &str, source: postgres::Error) -> StoreError {
    match source.as_db_error().filter(|error| *error.code() == SqlState::INSUFFICIENT_PRIVILEGE) {
        Some(refusal) => StoreError::Denied {
            account: account.to_string(),
            message: denial_message(refusal),
        },
        None => StoreError::Server {
            target: shown.to_string(),
            source,
        },
    }
}

/// The sentence after 「数据库账号「…」」 for a refusal of the server.
fn denial_message(refusal: &DbError) -> String {
    let text = refusal.message();
    let table = refusal.table().map(str::to_string).or_else(|| table_named_in(text));
    let noun = table.as_deref().map_or("这些数据", table_noun);
    if text.contains("row-level security") {
        format!("不能写入这些{noun}：街道的账号只能修改本街道、所属社区及其清单；如需修改其他辖区的数据，请联系区委编办")
    } else if table.as_deref() == Some("audit_log") {
        "不能改动操作记录：操作记录只能追加，任何账号都不能修改或删除".to_string()
    } else if table.is_some() {
        format!("没有操作{noun}的权限：账号须是 quanze_bianban（编办）或 quanze_street（街道）的成员，请联系区委编办用 scripts/pg-setup.sh 添加")
    } else {
        format!("没有这项操作的权限（服务器：{text}）")
    }
}

/// The table a server message names: `permission denied for table audit_log`,
/// `new row violates row-level security policy for table "items"`.
fn table_named_in(text: &str) -> Option<String> {
    let (_, rest) = text.rsplit_once("for table ")?;
    let name = rest.trim().trim_matches('"');
    (!name.is_empty()).then(|| name.to_string())
}

/// The table's rows in the words of the UI.
fn table_noun(table: &str) -> &'static str {
    match table {
        "items" | "item_documents" => "事项",
        "lists" => "清单",
        "jurisdictions" => "辖区",
        "units" => "机构",
        "leaders" => "班子成员",
        "unit_leaders_in_charge" => "分管关系",
        "admission_requests" => "准入申请",
        "versions" => "发布版本",
        "change_requests" => "调整申请",
        "exchange_packages" => "交换包",
        "audit_log" => "操作记录",
        "role_scopes" => "账号范围",
        "schema_version" => "数据库结构",
        _ => "数据",
    }
}

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

/// What each connection asks of its server session: sorts of up to 64 MB in memory. Reading
/// every item in list order (checks, dumps) sorts the 50,000 items' documents, about 50 MB, and
/// with the server's default of 4 MB that sort went to disk (`EXPLAIN ANALYZE`: external merge,
/// 26 MB written; 406 → 291–327 ms in psql). A session takes it only while it sorts.
const SESSION_OPTIONS: &str = "-c work_mem=64MB";

/// Connect to the database at `url`, with [`SESSION_OPTIONS`] before any options the address
/// gives (`?options=-c%20work_mem%3D…`: the later one wins).
pub fn connect(url: &str) -> Result<Client> {
    let failed = |source| StoreError::Server {
        target: shown_url(url),
        source,
    };
    let mut config: postgres::Config = url.parse().map_err(failed)?;
    let options = match config.get_options() {
        Some(given) => format!("{SESSION_OPTIONS} {given}"),
        None => SESSION_OPTIONS.to_string(),
    };
    config.options(&options);
    config.connect(NoTls).map_err(failed)
}

/// Whether `error` says the connection itself is gone — the socket closed, the server shut
/// down or restarted (SQLSTATE class 57P: `admin_shutdown`, `crash_shutdown`,
/// `cannot_connect_now`), the session ended on the server (`pg_terminate_backend` also gives
/// 57P01) or a connection exception (class 08) — rather than a statement refused.
pub(crate) fn connection_lost(error: &postgres::Error) -> bool {
    if error.is_closed() {
        return true;
    }
    match error.code() {
        Some(code) => {
            let code = code.code();
            code.starts_with("57P") || code.starts_with("08")
        }
        None => false,
    }
}

/// Whether `error` is the socket failing under a statement (an I/O error, not the server's
/// answer): the connection cannot be used again. Not said to the user as a lost connection —
/// a first connection to a wrong address fails the same way.
pub(crate) fn socket_failed(error: &postgres::Error) -> bool {
    error.as_db_error().is_none() && std::error::Error::source(error).is_some_and(|s| s.is::<std::io::Error>())
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
                    self.batch(sql).map_err(|error| match error {
                        // A person's account may use the tables, not change them.
                        StoreError::Denied { account, .. } => StoreError::Denied {
                            account,
                            message: format!(
                                "不能把数据库结构从版本 {found} 升级到 {}：请由设置数据库的账号（表的所有者）先用这一版 Quanze 打开一次（docs/server.md）",
                                schema::SCHEMA_VERSION
                            ),
                        },
                        other => other,
                    })?;
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

/// The ids of the texts that contain `term` (the first step of a search on the server; the
/// items that use them follow from `items.text_ids`), ASCII letters in either case as in a
/// file's search (`ILIKE` then). Three characters and more are looked up in the trigram index;
/// one or two cannot be narrowed by trigrams, and the server scans `texts` — the distinct texts
/// only, as SQLite's search does for every query.
pub(crate) fn texts_containing(conn: Conn<'_>, term: &str) -> Result<Vec<i64>> {
    let like = if term.bytes().any(|b| b.is_ascii_alphabetic()) { "ILIKE" } else { "LIKE" };
    conn.query(
        &format!("SELECT id FROM texts WHERE body {like} ?1"),
        &[crate::backend::Value::Text(contains_pattern(term))],
    )?
    .iter()
    .map(|row| row.integer(0))
    .collect()
}

#[cfg(test)]
pub(crate) mod test_database;
#[cfg(test)]
mod concurrency_tests;
#[cfg(test)]
mod copy_tests;
#[cfg(test)]
mod exchange_tests;
#[cfg(test)]
mod reconnect_tests;
#[cfg(test)]
mod role_tests;
#[cfg(test)]
mod store_tests;
#[cfg(test)]
mod tests;
