//! Other people's changes, as they commit (issue 19: "other users' changes reach an open app").
//! On PostgreSQL, triggers of `migrations/pg/0008.sql` tell the channel `quanze_changes`, after
//! every statement that changes places, units, leaders, lists or items, which rows (for items:
//! which lists) changed and under which account; the server delivers a notice when, and only
//! if, its transaction commits. A [`ChangeFeed`] is a second connection that listens on that
//! channel, so that the store's own connection stays free for reads and writes. A file has one
//! user at a time and no feed.

use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;
use postgres::Client;
use quanze_domain::Id;
use serde::{Deserialize, Serialize};

use crate::{pg, Result, StoreError};

/// The channel the triggers notify.
pub const CHANNEL: &str = "quanze_changes";

/// One statement's changes, committed by someone (possibly this app's own account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseChange {
    /// `jurisdictions`, `units`, `leaders`, `lists` or `items`.
    pub table: String,
    /// The rows changed — for `items`, the lists whose items changed. `None`: too many to name
    /// (a large import); read everything again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<Vec<Id>>,
    /// The account that made the change.
    pub by: String,
    /// The server process of the connection that made it (`pg_backend_pid()`; PostgreSQL
    /// gives it with every notice): the same account may be logged in on two computers, and
    /// only this tells an app's own change from the other computer's
    /// ([`crate::Store::server_connection`]). Not in the notice's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<i32>,
}

/// A connection that hears the changes other connections commit.
pub struct ChangeFeed {
    client: Client,
    shown: String,
}

impl std::fmt::Debug for ChangeFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeFeed").field("url", &self.shown).finish()
    }
}

impl ChangeFeed {
    /// Connect to `url` and listen on [`CHANNEL`].
    pub fn listen(url: &str) -> Result<ChangeFeed> {
        let shown = pg::shown_url(url);
        let mut client = pg::connect(url)?;
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .map_err(|source| StoreError::Server { target: shown.clone(), source })?;
        Ok(ChangeFeed { client, shown })
    }

    /// The changes committed since the last call; waits up to `wait` for the first when there
    /// are none yet. A notice this build cannot read (a newer Quanze's) is skipped.
    pub fn changes(&mut self, wait: Duration) -> Result<Vec<DatabaseChange>> {
        let shown = self.shown.clone();
        let failed = |source| StoreError::Server { target: shown.clone(), source };
        let mut notifications = self.client.notifications();
        let mut changes = Vec::new();
        if notifications.is_empty() {
            if let Some(first) = notifications.timeout_iter(wait).next().map_err(failed)? {
                changes.extend(read_notice(&first));
            }
        }
        let mut waiting = notifications.iter();
        while let Some(next) = waiting.next().map_err(failed)? {
            changes.extend(read_notice(&next));
        }
        Ok(changes)
    }
}

/// A notice's change with the connection that sent it; `None` for a notice this build cannot
/// read (a newer Quanze's).
fn read_notice(notice: &postgres::Notification) -> Option<DatabaseChange> {
    let mut change = serde_json::from_str::<DatabaseChange>(notice.payload()).ok()?;
    change.connection = Some(notice.process_id());
    Some(change)
}
