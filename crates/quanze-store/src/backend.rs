//! The seam between the store's code and its two databases (issue 19): the SQL the store runs
//! goes through [`Conn`], on SQLite (rusqlite) or PostgreSQL (the `postgres` crate), so that
//! the same code serves both.
//!
//! - SQL is written once, in SQLite's form with numbered placeholders `?1`, `?2`, …; for
//!   PostgreSQL they become `$1`, `$2`, … ([`numbered_placeholders`]). Statements that differ
//!   by more than that (SQLite's `json_set` against `jsonb_set`, `INSERT OR IGNORE` against
//!   `ON CONFLICT DO NOTHING`) are chosen by [`Conn::is_postgres`] where they are written.
//! - Parameters and results are one small value type, rusqlite's [`Value`] (null, integer,
//!   real, text, bytes), which the store's records already produce. On PostgreSQL a value is
//!   sent as the type the server expects for its place — an integer as `integer` or `bigint`,
//!   a text as `text` or `jsonb` — so the store does not spell out casts ([`Param`]); columns
//!   come back as values the same way ([`Cell`]), `jsonb` as its text.
//! - Rows come back whole ([`Row`]); the store's queries are short, and its long scans
//!   (search, dump) stay on rusqlite's streaming rows until they are ported.
//!
//! Transactions stay where they are: rusqlite's `Transaction` for SQLite; on PostgreSQL
//! [`PgConnection::transaction`] wraps BEGIN … COMMIT (ROLLBACK on error).

use std::cell::{Cell as Flag, RefCell};
use std::collections::HashMap;
use std::error::Error as StdError;

use postgres::types::{private::BytesMut, FromSql, IsNull, ToSql, Type};
use postgres::{Client, Statement};
pub(crate) use rusqlite::types::Value;

use crate::{Result, StoreError};

/// A connection to PostgreSQL as the store holds it: the client, and its statements prepared
/// once each (the server parses and plans a statement once per connection).
pub struct PgConnection {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, Statement>>,
    /// The URL without its password, for messages.
    shown: String,
    /// The URL as given, password included: a [`crate::ChangeFeed`] opens a connection of its
    /// own with it. Never shown (see `shown`).
    url: String,
    /// The role this connection logged in as (`session_user`): who the audit log says made
    /// each change, and whose permissions the server applies (`migrations/pg/0008.sql`).
    account: String,
    /// The connection was found gone (the server restarted, the network dropped, the session
    /// was ended on the server): the next statement outside a transaction opens a new one.
    lost: Flag<bool>,
    /// Between `BEGIN` and `COMMIT`/`ROLLBACK`: a connection lost now takes the transaction's
    /// work with it, so it is never replaced silently — the write fails and is said to.
    in_transaction: Flag<bool>,
}

impl PgConnection {
    /// Connect to `url` (`postgresql://user@host/database`).
    pub fn connect(url: &str) -> Result<PgConnection> {
        let shown = crate::pg::shown_url(url);
        let mut client = crate::pg::connect(url)?;
        let account: String = client
            .query_one("SELECT session_user::text", &[])
            .map_err(|source| StoreError::Server { target: shown.clone(), source })?
            .get(0);
        Ok(PgConnection {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            shown,
            url: url.to_string(),
            account,
            lost: Flag::new(false),
            in_transaction: Flag::new(false),
        })
    }

    /// Open a new connection in place of a lost one, outside a transaction. The statements
    /// prepared on the old one are of its session and go with it. The account is the same:
    /// the URL is.
    fn reconnect_if_lost(&self) -> Result<()> {
        if self.client.borrow().is_closed() {
            self.lost.set(true);
        }
        if !self.lost.get() || self.in_transaction.get() {
            return Ok(());
        }
        let client = crate::pg::connect(&self.url)?;
        *self.client.borrow_mut() = client;
        self.statements.borrow_mut().clear();
        self.lost.set(false);
        Ok(())
    }

    /// Run one statement's `work`. A connection known to be lost is replaced first, when no
    /// transaction is open. A read outside a transaction (`repeatable`) that finds the
    /// connection lost runs once more on a new one: it changed nothing, so an office's server
    /// restarted overnight costs the app no failed screen in the morning.
    fn run<T>(&self, repeatable: bool, work: impl Fn() -> Result<T>) -> Result<T> {
        self.reconnect_if_lost()?;
        match work() {
            Err(_) if repeatable && self.lost.get() && !self.in_transaction.get() => {
                self.reconnect_if_lost()?;
                work()
            }
            done => done,
        }
    }

    /// A second connection to the same database that hears other connections' commits.
    pub fn change_feed(&self) -> Result<crate::ChangeFeed> {
        crate::ChangeFeed::listen(&self.url)
    }

    /// The role this connection logged in as.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The URL without its password, for messages.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    pub(crate) fn error(&self, source: postgres::Error) -> StoreError {
        if crate::pg::connection_lost(&source) || crate::pg::socket_failed(&source) {
            self.lost.set(true);
        }
        crate::pg::server_failure(&self.shown, &self.account, source)
    }

    /// Run `work` in one transaction: committed when it succeeds, rolled back when it fails.
    pub(crate) fn transaction<T>(&self, work: impl FnOnce(Conn<'_>) -> Result<T>) -> Result<T> {
        self.begin()?;
        match work(Conn::Postgres(self)) {
            Ok(value) => {
                self.commit()?;
                Ok(value)
            }
            Err(error) => {
                self.rollback();
                Err(error)
            }
        }
    }

    /// Start a transaction — on a new connection when the old one is found lost (nothing has
    /// been done on it yet).
    pub(crate) fn begin(&self) -> Result<()> {
        self.run(true, || self.batch("BEGIN"))?;
        self.in_transaction.set(true);
        Ok(())
    }

    pub(crate) fn commit(&self) -> Result<()> {
        let committed = self.batch("COMMIT");
        self.in_transaction.set(false);
        committed
    }

    /// Roll the open transaction back. The error that made the work fail is the one worth
    /// reporting; a failed ROLLBACK (a connection gone) is replaced at the next statement.
    pub(crate) fn rollback(&self) {
        let _ = self.batch("ROLLBACK");
        self.in_transaction.set(false);
    }

    /// Several statements without parameters (a schema step).
    pub(crate) fn batch(&self, sql: &str) -> Result<()> {
        self.client.borrow_mut().batch_execute(sql).map_err(|e| self.error(e))
    }

    fn statement(&self, sql: &str) -> Result<Statement> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = self
            .client
            .borrow_mut()
            .prepare(&numbered_placeholders(sql))
            .map_err(|e| self.error(e))?;
        self.statements.borrow_mut().insert(sql.to_string(), statement.clone());
        Ok(statement)
    }
}

impl std::fmt::Debug for PgConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConnection").field("url", &self.shown).finish()
    }
}

/// Where the store's SQL runs. (Public in a private module: `Record::sync_side_tables` names
/// it, and no other crate can.)
#[derive(Clone, Copy)]
pub enum Conn<'c> {
    Sqlite(&'c rusqlite::Connection),
    Postgres(&'c PgConnection),
}

/// One row of a result, its columns as values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row(pub Vec<Value>);

impl Row {
    pub(crate) fn value(&self, index: usize) -> &Value {
        self.0.get(index).unwrap_or(&Value::Null)
    }

    /// An integer column (a NULL or another type is an error: the schema says what it holds).
    pub(crate) fn integer(&self, index: usize) -> Result<i64> {
        match self.value(index) {
            Value::Integer(value) => Ok(*value),
            other => Err(StoreError::Invalid(format!("第 {} 列应为整数，实为 {other:?}", index + 1))),
        }
    }

    /// A text column, or NULL.
    pub(crate) fn optional_text(&self, index: usize) -> Result<Option<String>> {
        match self.value(index) {
            Value::Null => Ok(None),
            Value::Text(text) => Ok(Some(text.clone())),
            other => Err(StoreError::Invalid(format!("第 {} 列应为文本，实为 {other:?}", index + 1))),
        }
    }

    /// A text column that is never NULL.
    pub(crate) fn text(&self, index: usize) -> Result<String> {
        self.optional_text(index)?
            .ok_or_else(|| StoreError::Invalid(format!("第 {} 列不应为空", index + 1)))
    }

    /// A text column that is never NULL, taken out of the row (no copy: documents are long).
    pub(crate) fn take_text(&mut self, index: usize) -> Result<String> {
        match self.0.get_mut(index).map(|value| std::mem::replace(value, Value::Null)) {
            Some(Value::Text(text)) => Ok(text),
            other => Err(StoreError::Invalid(format!("第 {} 列应为文本，实为 {other:?}", index + 1))),
        }
    }
}

impl Conn<'_> {
    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self, Conn::Postgres(_))
    }

    /// Run a statement; returns how many rows it changed.
    pub(crate) fn execute(&self, sql: &str, params: &[Value]) -> Result<usize> {
        match self {
            Conn::Sqlite(conn) => Ok(conn.prepare_cached(sql)?.execute(rusqlite::params_from_iter(params.iter()))?),
            Conn::Postgres(pg) => {
                let params: Vec<Param<'_>> = params.iter().map(Param).collect();
                let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
                let changed = pg.run(false, || {
                    let statement = pg.statement(sql)?;
                    pg.client.borrow_mut().execute(&statement, &refs).map_err(|e| pg.error(e))
                })?;
                usize::try_from(changed).map_err(|e| StoreError::Invalid(e.to_string()))
            }
        }
    }

    /// Every row a query returns.
    pub(crate) fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        match self {
            Conn::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(sql)?;
                let width = statement.column_count();
                let rows = statement.query_map(rusqlite::params_from_iter(params.iter()), |row| {
                    (0..width).map(|i| row.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<Value>>>().map(Row)
                })?;
                Ok(rows.collect::<rusqlite::Result<Vec<Row>>>()?)
            }
            Conn::Postgres(pg) => {
                let params: Vec<Param<'_>> = params.iter().map(Param).collect();
                let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
                // A read outside a transaction may run again on a new connection (`run`).
                let rows = pg.run(true, || {
                    let statement = pg.statement(sql)?;
                    pg.client.borrow_mut().query(&statement, &refs).map_err(|e| pg.error(e))
                })?;
                rows.iter()
                    .map(|row| {
                        (0..row.len())
                            .map(|i| row.try_get::<_, Cell>(i).map(|cell| cell.0).map_err(|e| pg.error(e)))
                            .collect::<Result<Vec<Value>>>()
                            .map(Row)
                    })
                    .collect()
            }
        }
    }

    /// Call `each` with every row a query returns, in order. On SQLite the rows are read one
    /// at a time (a 50,000-item list is decoded without holding every document first), and
    /// `each` may run statements of its own; on PostgreSQL the rows are fetched first, since
    /// the connection serves one statement at a time.
    pub(crate) fn for_each_row(&self, sql: &str, params: &[Value], mut each: impl FnMut(Row) -> Result<()>) -> Result<()> {
        match self {
            Conn::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(sql)?;
                let width = statement.column_count();
                let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
                while let Some(row) = rows.next()? {
                    let values = (0..width).map(|i| row.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<Value>>>()?;
                    each(Row(values))?;
                }
                Ok(())
            }
            Conn::Postgres(_) => self.query(sql, params)?.into_iter().try_for_each(each),
        }
    }

    /// The first row a query returns, if any.
    pub(crate) fn query_opt(&self, sql: &str, params: &[Value]) -> Result<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Run an `INSERT` of one row and return the id it got (SQLite: the row id; PostgreSQL:
    /// `RETURNING id`, added here).
    pub(crate) fn insert_returning_id(&self, sql: &str, params: &[Value]) -> Result<i64> {
        match self {
            Conn::Sqlite(conn) => {
                self.execute(sql, params)?;
                Ok(conn.last_insert_rowid())
            }
            Conn::Postgres(_) => self
                .query_opt(&format!("{sql} RETURNING id"), params)?
                .ok_or_else(|| StoreError::Invalid("插入未返回编号".to_string()))?
                .integer(0),
        }
    }
}

/// `rows` tuples of `width` numbered placeholders, `(?1, ?2), (?3, ?4)`, for a multi-row
/// `VALUES` (or, with one row, an `IN` list): parameter `n` of row `r` is `?(r·width + n)`.
pub(crate) fn value_tuples(rows: usize, width: usize) -> String {
    use std::fmt::Write;
    // One string written in place: an import builds a 500 × 14 list for every statement.
    let mut out = String::with_capacity(rows * width * 8);
    for row in 0..rows {
        out.push_str(if row == 0 { "(" } else { ", (" });
        for column in 1..=width {
            if column > 1 {
                out.push_str(", ");
            }
            let _ = write!(out, "?{}", row * width + column);
        }
        out.push(')');
    }
    out
}

/// `sql` with SQLite's numbered placeholders `?N` written as PostgreSQL's `$N`. Text inside
/// quotes (`'…'`, `"…"`) is left alone; a bare `?` is not one the store writes.
pub(crate) fn numbered_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) => {
                out.push('$');
                continue;
            }
            None => {}
        }
        out.push(c);
    }
    out
}

type BoxError = Box<dyn StdError + Sync + Send>;

/// A value sent to PostgreSQL as the type the server expects in its place.
#[derive(Debug)]
pub(crate) struct Param<'v>(pub &'v Value);

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, BoxError> {
        let mismatch = || -> BoxError { format!("无法把 {:?} 作为 {ty} 传给数据库", self.0).into() };
        match self.0 {
            Value::Null => return Ok(IsNull::Yes),
            Value::Integer(value) => match *ty {
                Type::INT8 => value.to_sql(ty, out)?,
                Type::INT4 => i32::try_from(*value)?.to_sql(ty, out)?,
                Type::INT2 => i16::try_from(*value)?.to_sql(ty, out)?,
                Type::BOOL => (*value != 0).to_sql(ty, out)?,
                Type::TEXT | Type::VARCHAR => value.to_string().to_sql(ty, out)?,
                _ => return Err(mismatch()),
            },
            Value::Real(value) => match *ty {
                Type::FLOAT8 => value.to_sql(ty, out)?,
                _ => return Err(mismatch()),
            },
            Value::Text(text) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => text.as_str().to_sql(ty, out)?,
                // jsonb's binary form is a version byte and the JSON text; the server checks it.
                Type::JSONB => {
                    out.extend_from_slice(&[1]);
                    out.extend_from_slice(text.as_bytes());
                    IsNull::No
                }
                Type::JSON => {
                    out.extend_from_slice(text.as_bytes());
                    IsNull::No
                }
                _ => return Err(mismatch()),
            },
            Value::Blob(bytes) => match *ty {
                Type::BYTEA => bytes.as_slice().to_sql(ty, out)?,
                _ => return Err(mismatch()),
            },
        };
        Ok(IsNull::No)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    fn to_sql_checked(&self, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, BoxError> {
        self.to_sql(ty, out)
    }
}

/// A column read from PostgreSQL as a value: integers as integers, text and `jsonb` as text,
/// `bytea` as bytes.
struct Cell(Value);

impl<'a> FromSql<'a> for Cell {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Cell, BoxError> {
        let value = match *ty {
            Type::INT8 => Value::Integer(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Integer(i64::from(i32::from_sql(ty, raw)?)),
            Type::INT2 => Value::Integer(i64::from(i16::from_sql(ty, raw)?)),
            Type::BOOL => Value::Integer(i64::from(bool::from_sql(ty, raw)?)),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Value::Real(f64::from(f32::from_sql(ty, raw)?)),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN | Type::JSON => {
                Value::Text(String::from_sql(&Type::TEXT, raw)?)
            }
            Type::JSONB => match raw.split_first() {
                Some((1, text)) => Value::Text(std::str::from_utf8(text)?.to_string()),
                _ => return Err("不认识的 jsonb 格式".into()),
            },
            Type::BYTEA => Value::Blob(raw.to_vec()),
            _ => return Err(format!("不支持的列类型 {ty}").into()),
        };
        Ok(Cell(value))
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Cell, BoxError> {
        Ok(Cell(Value::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

#[cfg(test)]
mod tests;
