//! Published versions of a list (公布版本): a frozen copy of the list's items as they stood
//! when the 编办 published it, with its date and 文号, and a comparison of any version with
//! the list as it is now (what was added, removed or changed since).
//!
//! A version is never edited or deleted: publishing writes a new one with the next number.
//! Items are matched across versions by id — an edited item keeps its id, so a rename shows
//! as a change, not as one removal and one addition.

use std::collections::HashMap;

use chrono::NaiveDate;
use quanze_domain::{Id, Item, ItemField, Version};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use quanze_store::VersionSummary;

use crate::{Api, ApiError, ErrorCode};

/// What the 发布版本 form sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PublishRequest {
    pub list: Id,
    #[ts(type = "string")]
    pub published_on: NaiveDate,
    pub doc_no: Option<String>,
    pub note: Option<String>,
}

/// An item present in the version and now, with different content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChangedItem {
    pub before: Item,
    pub after: Item,
    /// Labels of the fields that differ (事项名称, 实施依据 …), in the item's field order.
    pub fields: Vec<String>,
}

/// A version against the list as it is now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct VersionComparison {
    pub version: VersionSummary,
    /// In the list now, not in the version (in list order).
    pub added: Vec<Item>,
    /// In the version, no longer in the list (in the version's order).
    pub removed: Vec<Item>,
    pub changed: Vec<ChangedItem>,
    pub unchanged: u32,
}

fn summary_of_version(version: &Version) -> VersionSummary {
    VersionSummary {
        id: version.id,
        list: version.list,
        number: version.number,
        published_on: version.published_on.to_string(),
        doc_no: version.doc_no.clone(),
        note: version.note.clone(),
        item_count: u32::try_from(version.items.len()).unwrap_or(u32::MAX),
    }
}

/// What a key of an item's JSON is called in a comparison: a field of the table by its label,
/// or one of the groups, which are compared whole.
#[derive(Debug, Clone, Copy)]
enum Compared {
    Field(ItemField),
    Group(&'static str),
}

/// An item's JSON keys in the order users see them; `provenance` (where an imported item came
/// from) is bookkeeping, not content, and is left out, and so are `id` and `position`.
const COMPARED_KEYS: &[(&str, Compared)] = &[
    ("seq", Compared::Field(ItemField::Seq)),
    ("code", Compared::Field(ItemField::Code)),
    ("name", Compared::Field(ItemField::Name)),
    ("sub_item", Compared::Field(ItemField::SubItem)),
    ("power_type", Compared::Field(ItemField::PowerType)),
    ("category", Compared::Field(ItemField::Category)),
    ("basis", Compared::Field(ItemField::Basis)),
    ("subject", Compared::Field(ItemField::Subject)),
    ("handling_unit", Compared::Field(ItemField::HandlingUnit)),
    ("handling_unit_text", Compared::Field(ItemField::HandlingUnit)),
    ("level_and_authority", Compared::Field(ItemField::LevelAndAuthority)),
    ("department_duty", Compared::Field(ItemField::DepartmentDuty)),
    ("responsibility", Compared::Field(ItemField::Responsibility)),
    ("responsibility_basis", Compared::Field(ItemField::ResponsibilityBasis)),
    ("accountable_scope", Compared::Field(ItemField::AccountableScope)),
    ("accountability_cases", Compared::Field(ItemField::AccountabilityCases)),
    ("remarks", Compared::Field(ItemField::Remarks)),
    ("supervision_phone", Compared::Field(ItemField::SupervisionPhone)),
    ("certificate_allowed", Compared::Field(ItemField::Certificate)),
    ("coordination", Compared::Group("配合履职信息（主责部门、职责边界）")),
    ("withdrawal", Compared::Group("收回信息（承接部门、工作方式）")),
    ("assistance", Compared::Group("协助信息（申请部门、经费、人员）")),
    ("extra", Compared::Group("其他字段")),
];

impl Compared {
    fn label(self) -> &'static str {
        match self {
            Compared::Field(field) => field.label(),
            Compared::Group(label) => label,
        }
    }
}

/// Labels of the fields in which `before` and `after` differ.
fn changed_fields(before: &Item, after: &Item) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    let mut labels: Vec<String> = Vec::new();
    for (key, compared) in COMPARED_KEYS {
        let label = compared.label();
        if a.get(*key) != b.get(*key) && !labels.iter().any(|l| l == label) {
            labels.push(label.to_string());
        }
    }
    labels
}

impl Api {
    /// Freeze the list as it is now as its next version.
    pub fn publish_version(&mut self, request: PublishRequest, actor: &str) -> Result<VersionSummary, ApiError> {
        let reader = self.store.reader();
        let list = reader
            .list(request.list)
            .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("找不到清单 #{}", request.list)))?;
        let items = reader.items(list.id, 0, u32::MAX)?;
        if items.is_empty() {
            return Err(ApiError::invalid_input(format!("“{}”还没有事项，不能发布版本", list.name)));
        }
        let number = reader.version_summaries(list.id)?.first().map_or(1, |v| v.number + 1);
        let trimmed = |t: &Option<String>| t.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        let mut version = Version {
            uid: None,
            id: 0,
            list: list.id,
            number,
            published_on: request.published_on,
            doc_no: trimmed(&request.doc_no),
            note: trimmed(&request.note),
            items,
        };
        let why = format!("发布“{}”第 {number} 版", list.name);
        self.store.write(actor, Some(&why), |w| w.put(&mut version))?;
        Ok(summary_of_version(&version))
    }

    /// The list's versions, newest first.
    pub fn versions_of(&self, list: Id) -> Result<Vec<VersionSummary>, ApiError> {
        let reader = self.store.reader();
        reader
            .list(list)
            .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("找不到清单 #{list}")))?;
        Ok(reader.version_summaries(list)?)
    }

    /// One version with its frozen items.
    pub fn version(&self, id: Id) -> Result<Version, ApiError> {
        self.store
            .reader()
            .version(id)
            .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("找不到版本 #{id}")))
    }

    /// What changed in the list since the version was published.
    pub fn compare_with_version(&self, version: Id) -> Result<VersionComparison, ApiError> {
        let version = self.version(version)?;
        let current = self.store.reader().items(version.list, 0, u32::MAX)?;
        let mut then: HashMap<Id, &Item> = version.items.iter().map(|i| (i.id, i)).collect();
        let mut added = Vec::new();
        let mut changed = Vec::new();
        let mut unchanged = 0u32;
        for item in &current {
            match then.remove(&item.id) {
                None => added.push(item.clone()),
                Some(before) if before == item => unchanged += 1,
                Some(before) => {
                    let fields = changed_fields(before, item);
                    if fields.is_empty() {
                        // Only bookkeeping (provenance) differs: not a change a reader of
                        // the notice would see.
                        unchanged += 1;
                    } else {
                        changed.push(ChangedItem { before: before.clone(), after: item.clone(), fields });
                    }
                }
            }
        }
        let removed = version.items.iter().filter(|i| then.contains_key(&i.id)).cloned().collect();
        Ok(VersionComparison {
            version: summary_of_version(&version),
            added,
            removed,
            changed,
            unchanged,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_of_an_item_is_compared() {
        // An item with every field of the table set: a field (or a key of the item) added
        // without its place in COMPARED_KEYS fails here.
        let mut item = Item::default();
        for field in ItemField::ALL {
            let text = match field.kind() {
                quanze_domain::FieldKind::PowerType => "行政许可",
                quanze_domain::FieldKind::Amount | quanze_domain::FieldKind::Count => "2",
                quanze_domain::FieldKind::Certificate => "可出具",
                _ => "文字",
            };
            field.set(&mut item, Some(text.to_string())).expect("sample text");
            field.set_unit(&mut item, Some(1));
        }
        item.extra.push(quanze_domain::ExtraField { header: "附件".into(), value: "x".into() });
        let serde_json::Value::Object(keys) = serde_json::to_value(&item).expect("json") else {
            panic!("an item is an object");
        };
        for key in keys.keys().filter(|k| !matches!(k.as_str(), "id" | "provenance")) {
            assert!(COMPARED_KEYS.iter().any(|(k, _)| k == key), "{key} is not compared");
        }
    }
}
