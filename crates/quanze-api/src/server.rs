//! A database on a PostgreSQL server as the app's database (issue 19, `docs/server.md`):
//! 连接服务器… asks for the server's address, the database, the account and its password;
//! [`Api::connect_server`] builds the URL from them (each part percent-encoded here, so that a
//! password with `@`, `:` or `/` in it reaches the server as typed) and opens it, saying in
//! Chinese why a connection failed. The password lives only in the [`ServerLogin`] of that one
//! call and in the open connections: the recent files keep the [`ServerAddress`] without it
//! (`workspace::remember_recent_server`), and reopening asks for it again.
//!
//! While a server database is open, [`ServerChanges`] hears what other people commit (the
//! store's [`ChangeFeed`]) and tells the window which rows changed and whether the change was
//! this account's own ([`ServerChange`]); the desktop shell only loops over it and forwards.

use std::time::Duration;

use postgres::error::SqlState;
use quanze_domain::Id;
use quanze_store::{ChangeFeed, Store, StoreError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Api, ApiError, ErrorCode};

/// PostgreSQL's port unless the office chose another.
pub const DEFAULT_PORT: u16 = 5432;

/// How long connecting waits for a server that does not answer (a wrong address on the office
/// network would otherwise hang for minutes before the system gives up).
pub const CONNECT_TIMEOUT_SECONDS: u32 = 10;

/// Where a server database is and who logs in: everything of a login but the password, so
/// that it can be kept among the recent files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ServerAddress {
    /// 服务器地址: a host name or an IP address.
    pub host: String,
    /// 端口 ([`DEFAULT_PORT`] unless set otherwise).
    pub port: u16,
    /// 数据库名.
    pub database: String,
    /// 账号: the person's PostgreSQL role.
    pub account: String,
}

/// What 连接服务器… sends: the address and the password, which is used for this connection
/// and never written anywhere.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ServerLogin {
    pub address: ServerAddress,
    pub password: String,
}

impl std::fmt::Debug for ServerLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerLogin").field("address", &self.address).field("password", &"…").finish()
    }
}

impl ServerAddress {
    /// The address trimmed, or a refusal naming the field that is missing or cannot be right.
    pub fn checked(&self) -> Result<ServerAddress, ApiError> {
        let host = self.host.trim();
        let database = self.database.trim();
        let account = self.account.trim();
        if host.is_empty() {
            return Err(ApiError::invalid_input("请填写服务器地址（主机名或 IP 地址，如 192.168.1.10）"));
        }
        if host.chars().any(|c| c.is_whitespace() || "/@?#\\".contains(c)) {
            return Err(ApiError::invalid_input(format!(
                "服务器地址「{host}」不对：只填主机名或 IP 地址（如 192.168.1.10），不要带 postgresql:// 或斜杠"
            )));
        }
        if self.port == 0 {
            return Err(ApiError::invalid_input(format!("请填写端口（PostgreSQL 通常是 {DEFAULT_PORT}）")));
        }
        if database.is_empty() {
            return Err(ApiError::invalid_input("请填写数据库名（管理员建库时起的名字，如 quanze_district）"));
        }
        if account.is_empty() {
            return Err(ApiError::invalid_input("请填写账号（管理员为您开设的数据库账号）"));
        }
        Ok(ServerAddress {
            host: host.to_string(),
            port: self.port,
            database: database.to_string(),
            account: account.to_string(),
        })
    }

    /// How the app names the database: the recent files' key, the status bar, the window
    /// title. Never holds a password.
    pub fn shown(&self) -> String {
        format!("postgresql://{}@{}:{}/{}", self.account, self.host_in_url(), self.port, self.database)
    }

    /// How the window title and the status bar name it: 「quanze_district（192.168.1.10:5432，
    /// 账号 li_ming）」.
    pub fn label(&self) -> String {
        format!("{}（服务器 {}:{}，账号 {}）", self.database, self.host_in_url(), self.port, self.account)
    }

    /// The URL to connect with: user, password and database percent-encoded.
    fn url(&self, password: &str) -> String {
        let secret = if password.is_empty() { String::new() } else { format!(":{}", percent_encoded(password)) };
        format!(
            "postgresql://{}{secret}@{}:{}/{}?connect_timeout={CONNECT_TIMEOUT_SECONDS}",
            percent_encoded(&self.account),
            self.host_in_url(),
            self.port,
            percent_encoded(&self.database),
        )
    }

    /// An IPv6 address in brackets, as URLs write it.
    fn host_in_url(&self) -> String {
        if self.host.contains(':') && !self.host.starts_with('[') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        }
    }
}

/// `text` with every byte outside URL's unreserved characters written as `%XX`.
fn percent_encoded(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

impl ServerLogin {
    /// The URL this login connects with (holds the password: never show or keep it).
    pub fn url(&self) -> Result<String, ApiError> {
        Ok(self.address.checked()?.url(&self.password))
    }
}

impl Api {
    /// 连接服务器…: open the Quanze database on a PostgreSQL server (its schema is made when
    /// the database is empty). A failure says in Chinese what to check: the password, the
    /// address and the network, the database's name, whether it is Quanze's.
    pub fn connect_server(login: &ServerLogin) -> Result<Api, ApiError> {
        let address = login.address.checked()?;
        let store = Store::open_server(&address.url(&login.password)).map_err(|error| connection_failure(&address, error))?;
        Ok(Api { store, last_import: None })
    }

    /// Whether this database is on a server (not a file).
    pub fn on_server(&self) -> bool {
        self.store.is_server()
    }

    /// On a server, what other people commit from now on (a second connection); `None` for a
    /// file, which one person uses at a time.
    pub fn server_changes(&self) -> Result<Option<ServerChanges>, ApiError> {
        let (Some(feed), Some(account)) = (self.store.change_feed()?, self.store.account()) else {
            return Ok(None);
        };
        let connection = self.store.server_connection()?;
        Ok(Some(ServerChanges { feed, account: account.to_string(), connection }))
    }
}

/// Why opening `address` failed, for a clerk: the store's error read with the address in mind.
fn connection_failure(address: &ServerAddress, error: StoreError) -> ApiError {
    let place = format!("{}:{}", address.host_in_url(), address.port);
    match &error {
        StoreError::Server { source, .. } => match source.code() {
            Some(code) if *code == SqlState::INVALID_PASSWORD => ApiError::new(
                ErrorCode::PermissionDenied,
                format!("服务器 {place} 拒绝登录：账号「{}」或密码不正确", address.account),
            ),
            Some(code) if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => ApiError::new(
                ErrorCode::PermissionDenied,
                format!(
                    "服务器 {place} 不允许账号「{}」从本机登录数据库「{}」（账号不存在，或服务器的 pg_hba.conf 未放行本机）：请联系管理员",
                    address.account, address.database
                ),
            ),
            Some(code) if *code == SqlState::INVALID_CATALOG_NAME => ApiError::new(
                ErrorCode::NotFound,
                format!("服务器 {place} 上没有数据库「{}」：请检查数据库名", address.database),
            ),
            Some(code) if *code == SqlState::TOO_MANY_CONNECTIONS => ApiError::new(
                ErrorCode::Database,
                format!("服务器 {place} 的连接数已满，请稍后再试或联系管理员"),
            ),
            Some(_) => ApiError::from(error),
            None => ApiError::new(
                ErrorCode::Database,
                format!(
                    "无法连接服务器 {place}：请检查服务器地址、端口和网络，以及服务器上的 PostgreSQL 是否在运行（{}）",
                    source_text(source)
                ),
            ),
        },
        StoreError::NotQuanze { .. } => ApiError::new(
            ErrorCode::NotADatabase,
            format!("服务器 {place} 上的数据库「{}」不是 Quanze 数据库（其中已有其他程序的数据）：请检查数据库名", address.database),
        ),
        _ => ApiError::from(error),
    }
}

/// The innermost cause of a connection error (the system's words: refused, timed out, no such
/// host), which says more than the client's wrapper.
fn source_text(error: &postgres::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// One statement's committed changes, as the window is told of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ServerChange {
    /// `jurisdictions`, `units`, `leaders`, `lists` or `items`.
    pub table: String,
    /// The rows changed; for `items`, the lists whose items changed. `null`: too many to name
    /// (an import): read everything again.
    pub ids: Option<Vec<Id>>,
    /// The account that made the change.
    pub by: String,
    /// Made by this app itself — through its own connection, not merely under its account,
    /// which may be logged in on another computer too (the window refreshed itself after its
    /// own edits).
    pub mine: bool,
}

/// What other people commit to the open server database, as it commits.
#[derive(Debug)]
pub struct ServerChanges {
    feed: ChangeFeed,
    account: String,
    /// The server process of the app's own connection (`Store::server_connection`).
    connection: Option<i32>,
}

impl ServerChanges {
    /// The changes committed since the last call; waits up to `wait` for one when there are
    /// none yet (an empty answer then). An error means the connection is lost.
    pub fn next(&mut self, wait: Duration) -> Result<Vec<ServerChange>, ApiError> {
        let changes = self.feed.changes(wait)?;
        Ok(changes
            .into_iter()
            .map(|change| ServerChange {
                mine: match (change.connection, self.connection) {
                    (Some(from), Some(own)) => from == own,
                    _ => change.by == self.account,
                },
                table: change.table,
                ids: change.ids,
                by: change.by,
            })
            .collect())
    }

    /// The account this app is logged in as.
    pub fn account(&self) -> &str {
        &self.account
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address() -> ServerAddress {
        ServerAddress {
            host: " 192.168.1.10 ".into(),
            port: DEFAULT_PORT,
            database: "quanze_district".into(),
            account: "li_ming".into(),
        }
    }

    #[test]
    fn the_url_encodes_account_password_and_database_and_the_shown_name_has_no_password() {
        let login = ServerLogin {
            address: ServerAddress { account: "王 芳".into(), database: "区编办/2026".into(), ..address() },
            password: "p@ss:w/rd?#%".into(),
        };
        let url = login.url().expect("url");
        assert_eq!(
            url,
            "postgresql://%E7%8E%8B%20%E8%8A%B3:p%40ss%3Aw%2Frd%3F%23%25@192.168.1.10:5432/%E5%8C%BA%E7%BC%96%E5%8A%9E%2F2026?connect_timeout=10"
        );
        let shown = login.address.checked().expect("checked").shown();
        assert_eq!(shown, "postgresql://王 芳@192.168.1.10:5432/区编办/2026");
        assert!(!format!("{login:?}").contains("p@ss"), "Debug hides the password");
        assert_eq!(quanze_store::pg::shown_url(&url).contains("p%40ss"), false, "the store's messages drop it too");
    }

    #[test]
    fn an_ipv6_host_is_bracketed_and_an_empty_password_is_left_out() {
        let login = ServerLogin { address: ServerAddress { host: "fe80::1".into(), ..address() }, password: String::new() };
        assert_eq!(login.url().expect("url"), "postgresql://li_ming@[fe80::1]:5432/quanze_district?connect_timeout=10");
    }

    #[test]
    fn a_missing_or_wrong_field_is_refused_in_chinese() {
        let cases = [
            (ServerAddress { host: " ".into(), ..address() }, "服务器地址"),
            (ServerAddress { host: "postgresql://x".into(), ..address() }, "不要带"),
            (ServerAddress { port: 0, ..address() }, "端口"),
            (ServerAddress { database: String::new(), ..address() }, "数据库名"),
            (ServerAddress { account: String::new(), ..address() }, "账号"),
        ];
        for (bad, word) in cases {
            let error = bad.checked().expect_err("refused");
            assert_eq!(error.code, ErrorCode::InvalidInput);
            assert!(error.message.contains(word), "{}", error.message);
        }
    }

    #[test]
    fn an_unreachable_server_says_so_in_chinese() {
        // Port 1 on this machine: nothing listens there, the connection is refused at once.
        let login = ServerLogin {
            address: ServerAddress { host: "127.0.0.1".into(), port: 1, ..address() },
            password: "secret-password".into(),
        };
        let error = Api::connect_server(&login).expect_err("nothing listens on port 1");
        assert_eq!(error.code, ErrorCode::Database);
        assert!(error.message.starts_with("无法连接服务器 127.0.0.1:1："), "{}", error.message);
        assert!(!error.message.contains("secret-password"), "{}", error.message);
    }
}
