//! Changes between two states of the same entities, as a report lists them: what an exchange
//! merge found (`quanze_store::exchange`) and what importing a workbook again into its list
//! would change. One vocabulary for both, shown alike in the CLI and the app.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// An entity added or removed: by the other side of a merge (`docs/exchange.md`), or by a
/// workbook imported again into its list (`docs/import.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EntityChange {
    /// 辖区, 机构, 清单, 事项 …
    pub entity: String,
    /// The entity's stable identity (uid).
    pub id: String,
    pub label: String,
    /// For an item: the name of its list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub list: Option<String>,
}

/// A field changed: by the other side of a merge (and not by us), or by a workbook imported
/// again into its list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FieldChange {
    pub entity: String,
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub list: Option<String>,
    /// The field's path (`name`, `staffing.admin_posts`).
    pub field: String,
    /// The field as users know it (事项名称, 行政编制).
    pub field_label: String,
    /// The value here now, as shown: references by name.
    #[ts(type = "unknown")]
    pub before: Value,
    /// The value it changes to.
    #[ts(type = "unknown")]
    pub after: Value,
}

