//! Stable identity (`docs/domain.md` §1): every entity — jurisdiction, unit, leader, list, item,
//! admission request, waiver, version — carries a `uid` created once and kept through dump,
//! load, import, export and merge, so that a list that travels to a street and back is
//! recognised. The row `id` stays the database's own short handle: it may shift when a bundle
//! is loaded into a non-empty database; the `uid` never does.
//!
//! New uids are UUID version 7 (time-ordered, so new rows cluster at the end of an index);
//! uids that a migration gave to existing rows are random (version 4), made by SQLite.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A stable identity: a UUID, written lowercase with hyphens
/// (`0192f5c1-7a6e-7cc0-8d1e-2f3a4b5c6d7e`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(try_from = "String", into = "String")]
#[ts(type = "string")]
pub struct Uid(String);

impl Uid {
    /// A new identity (UUID v7: the current time, then random bits).
    pub fn generate() -> Uid {
        Uid(uuid::Uuid::now_v7().hyphenated().to_string())
    }

    /// Read an identity written in a bundle: any UUID spelling is accepted and kept in the
    /// canonical form; anything else is refused with the text quoted.
    pub fn parse(text: &str) -> Result<Uid, UidError> {
        uuid::Uuid::try_parse(text.trim())
            .map(|uuid| Uid(uuid.hyphenated().to_string()))
            .map_err(|_| UidError(text.chars().take(60).collect()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Uid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Uid {
    type Error = UidError;
    fn try_from(text: String) -> Result<Uid, UidError> {
        Uid::parse(&text)
    }
}

impl From<Uid> for String {
    fn from(uid: Uid) -> String {
        uid.0
    }
}

/// A `uid` that is not a UUID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}”不是有效的标识（uid 应为 UUID，如 0192f5c1-7a6e-7cc0-8d1e-2f3a4b5c6d7e）")]
pub struct UidError(String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_uids_are_distinct_canonical_and_time_ordered() {
        let first = Uid::generate();
        let second = Uid::generate();
        assert_ne!(first, second);
        assert_eq!(Uid::parse(first.as_str()), Ok(first.clone()));
        assert_eq!(first.as_str().len(), 36);
        assert!(first < second, "v7 uids sort by creation time");
    }

    #[test]
    fn a_uid_is_read_in_any_spelling_and_kept_canonical() {
        let upper = Uid::parse("0192F5C1-7A6E-7CC0-8D1E-2F3A4B5C6D7E").expect("parse");
        assert_eq!(upper.as_str(), "0192f5c1-7a6e-7cc0-8d1e-2f3a4b5c6d7e");
        let simple = Uid::parse("0192f5c17a6e7cc08d1e2f3a4b5c6d7e").expect("parse");
        assert_eq!(simple, upper);
        let refused = Uid::parse("青溪街道").expect_err("not a uuid");
        assert!(refused.to_string().contains("青溪街道"));
    }
}
