//! Published versions of a list (公布版本): a frozen copy of the list's items as they stood
//! when the 编办 published it, with its date and 文号, and a comparison of any two versions of
//! a list, or of a version with the list as it is now (what was added, removed, changed or
//! moved to another list in between, field by field, and why).
//!
//! A version is never edited or deleted: publishing writes a new one with the next number
//! (`publishing.rs`). Items are matched across versions by id — an edited item keeps its id, so
//! a rename shows as a change, not as one removal and one addition; a transferred item keeps it
//! too, so the approved change request (调整申请) that moved it tells a transfer from a removal.

use std::collections::{HashMap, HashSet};

use quanze_domain::{ChangeAction, ChangeRequest, ChangeState, Id, Item, ItemField, Version};
use quanze_store::Reader;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use quanze_store::VersionSummary;

use crate::{Api, ApiError, ErrorCode};

/// One field of an item as it differs between the two sides: its label and its text before
/// and after (`None`: empty), as the field table writes it (`ItemField::format`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldDifference {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// An item present on both sides, with different content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChangedItem {
    pub before: Item,
    pub after: Item,
    /// Labels of the fields that differ (事项名称, 实施依据 …), in the item's field order.
    pub fields: Vec<String>,
    /// Each differing field (and extra field) with its text before and after.
    #[serde(default)]
    pub differences: Vec<FieldDifference>,
}

/// An item that left the list, or came into it, by an approved 下放, 收回 or 划转.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TransferredItem {
    /// The item as this list had it (leaving: on the older side; arriving: on the newer).
    pub item: Item,
    /// The change request that moved it.
    pub request: Id,
    pub action: ChangeAction,
    pub from_list: Id,
    pub from_list_name: String,
    pub to_list: Id,
    pub to_list_name: String,
}

/// Why an item changed between the two sides: an approved change request with its reason and
/// basis, or — an edit in the grid, an import — the reason its audit entry gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ChangeReason {
    pub item: Id,
    /// The change request; `None` when the reason comes from the audit log.
    pub request: Option<Id>,
    pub reason: Option<String>,
    pub basis: Option<String>,
}

/// Two states of one list: an older version against a newer one, or against the list now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct VersionComparison {
    /// The older side.
    pub version: VersionSummary,
    /// The newer side; `None`: the list as it is now.
    #[serde(default)]
    pub to: Option<VersionSummary>,
    /// On the newer side, not on the older (in the newer side's order), and not moved in.
    pub added: Vec<Item>,
    /// On the older side, not on the newer (in the older side's order), and not moved out.
    pub removed: Vec<Item>,
    pub changed: Vec<ChangedItem>,
    /// Left the list by an approved transfer (not in `removed`).
    #[serde(default)]
    pub transferred_out: Vec<TransferredItem>,
    /// Came into the list by an approved transfer (not in `added`).
    #[serde(default)]
    pub transferred_in: Vec<TransferredItem>,
    pub unchanged: u32,
    /// Why the items above changed, in their order; an item changed by several requests has
    /// one entry for each, an item no request and no audit entry explains has none.
    #[serde(default)]
    pub reasons: Vec<ChangeReason>,
}

impl VersionComparison {
    /// The reasons given for one item.
    pub fn reasons_of(&self, item: Id) -> impl Iterator<Item = &ChangeReason> {
        self.reasons.iter().filter(move |r| r.item == item)
    }
}

pub(crate) fn summary_of_version(version: &Version) -> VersionSummary {
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

/// Each field of the table, and each extra field by its header, whose text differs.
fn field_differences(before: &Item, after: &Item) -> Vec<FieldDifference> {
    let mut differences: Vec<FieldDifference> = ItemField::ALL
        .into_iter()
        .filter_map(|field| {
            let (then, now) = (field.format(before), field.format(after));
            (then != now).then(|| FieldDifference { field: field.label().to_string(), before: then, after: now })
        })
        .collect();
    let mut headers: Vec<&str> = Vec::new();
    for extra in before.extra.iter().chain(&after.extra) {
        if !headers.contains(&extra.header.as_str()) {
            headers.push(&extra.header);
        }
    }
    let extra_text = |item: &Item, header: &str| {
        let values: Vec<&str> = item.extra.iter().filter(|e| e.header == header).map(|e| e.value.as_str()).collect();
        (!values.is_empty()).then(|| values.join("\n"))
    };
    for header in headers {
        let (then, now) = (extra_text(before, header), extra_text(after, header));
        if then != now {
            differences.push(FieldDifference { field: header.to_string(), before: then, after: now });
        }
    }
    differences
}

/// The items of two sides matched by id, before transfers are told apart from removals.
struct ItemDiff {
    added: Vec<Item>,
    removed: Vec<Item>,
    changed: Vec<ChangedItem>,
    unchanged: u32,
}

fn diff_items(older: &[Item], newer: &[Item]) -> ItemDiff {
    let mut then: HashMap<Id, &Item> = older.iter().map(|i| (i.id, i)).collect();
    let mut diff = ItemDiff { added: Vec::new(), removed: Vec::new(), changed: Vec::new(), unchanged: 0 };
    for item in newer {
        match then.remove(&item.id) {
            None => diff.added.push(item.clone()),
            Some(before) if before == item => diff.unchanged += 1,
            Some(before) => {
                let fields = changed_fields(before, item);
                if fields.is_empty() {
                    // Only bookkeeping (provenance) differs: not a change a reader of the
                    // notice would see.
                    diff.unchanged += 1;
                } else {
                    let differences = field_differences(before, item);
                    diff.changed.push(ChangedItem { before: before.clone(), after: item.clone(), fields, differences });
                }
            }
        }
    }
    diff.removed = older.iter().filter(|i| then.contains_key(&i.id)).cloned().collect();
    diff
}

/// The approved change requests that took the list from `older` to `newer` (to now when
/// `None`): those the list's versions after `older`, up to `newer`, published; towards now
/// also those approved and published by no version of the list yet. A version names its
/// requests inside its document, so the list's versions are read whole.
fn requests_between(reader: &Reader<'_>, older: &Version, newer: Option<&Version>) -> Result<Vec<ChangeRequest>, ApiError> {
    let versions = reader.versions_of_list(older.list)?;
    let upper = newer.map_or(u32::MAX, |v| v.number);
    let in_range: HashSet<Id> = versions
        .iter()
        .filter(|v| v.number > older.number && v.number <= upper)
        .flat_map(|v| v.changes.iter().copied())
        .collect();
    let published: HashSet<Id> = versions.iter().flat_map(|v| v.changes.iter().copied()).collect();
    Ok(reader
        .change_requests_of_list(older.list)?
        .into_iter()
        .filter(|r| {
            in_range.contains(&r.id)
                || (newer.is_none()
                    && !published.contains(&r.id)
                    && matches!(r.state, ChangeState::Approved | ChangeState::Published))
        })
        .collect())
}

/// The id of the audit entry that recorded a version's publication (`None` for a version that
/// came with a loaded bundle): the edits between two versions lie between their entries.
fn publication_entry(reader: &Reader<'_>, version: &Version) -> Result<Option<u32>, ApiError> {
    Ok(reader.audit_log(1, Some(("版本", version.id)))?.first().map(|e| e.id))
}

/// How many of an item's newest audit entries are searched for the reason of a change that
/// no request explains: enough for the edits of a few versions, without reading an item's
/// whole history.
const AUDIT_ENTRIES_PER_ITEM: u32 = 64;

/// The reason of the newest audit entry about `item` in `(after, up_to]`.
fn audit_reason(reader: &Reader<'_>, item: Id, after: u32, up_to: u32) -> Result<Option<String>, ApiError> {
    Ok(reader
        .audit_log(AUDIT_ENTRIES_PER_ITEM, Some(("事项", item)))?
        .into_iter()
        .filter(|e| e.id > after && e.id <= up_to)
        .find_map(|e| e.reason.filter(|r| !r.trim().is_empty())))
}

/// The transfer request that moved `item` out of (`leaving`) or into `list`, the newest one.
fn transfer_of(requests: &[ChangeRequest], list: Id, item: Id, leaving: bool) -> Option<&ChangeRequest> {
    requests.iter().rev().find(|r| {
        r.action.is_transfer()
            && r.item == Some(item)
            && if leaving { r.list == list } else { r.to_list == Some(list) }
    })
}

impl Api {
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

    /// A list's version by its number (第 N 版, as `versions_of` shows it).
    pub fn version_numbered(&self, list: Id, number: u32) -> Result<VersionSummary, ApiError> {
        let versions = self.versions_of(list)?;
        if let Some(found) = versions.iter().find(|v| v.number == number) {
            return Ok(found.clone());
        }
        let name = self.store.reader().list(list)?.name;
        let mut numbers: Vec<String> = versions.iter().map(|v| v.number.to_string()).collect();
        numbers.reverse();
        let known = if numbers.is_empty() { "还没有发布过版本".to_string() } else { format!("已发布：第 {} 版", numbers.join("、")) };
        Err(ApiError::new(ErrorCode::NotFound, format!("“{name}”没有第 {number} 版（{known}）")))
    }

    /// What changed in the list since the version was published.
    pub fn compare_with_version(&self, version: Id) -> Result<VersionComparison, ApiError> {
        self.compare_versions(version, None)
    }

    /// What changed in a list from version `from` to version `to`, or to the list as it is now
    /// (`to` = `None`). Given the newer one first, the two are compared from the older one. An
    /// item that left (or came into) the list by an approved 下放, 收回 or 划转 is a transfer,
    /// not a removal (addition); each change carries its request's reason and basis, or the
    /// reason of its audit entry between the two publications.
    pub fn compare_versions(&self, from: Id, to: Option<Id>) -> Result<VersionComparison, ApiError> {
        let mut older = self.version(from)?;
        let mut newer = to.map(|id| self.version(id)).transpose()?;
        if let Some(newer) = newer.as_mut() {
            if newer.list != older.list {
                return Err(ApiError::invalid_input(format!(
                    "版本 #{} 与版本 #{} 不是同一份清单的版本，不能比较",
                    older.id, newer.id
                )));
            }
            if newer.number < older.number {
                std::mem::swap(&mut older, newer);
            }
        }
        let reader = self.store.reader();
        let list = older.list;
        let now;
        let newer_items = match &newer {
            Some(version) => &version.items,
            None => {
                now = reader.items(list, 0, u32::MAX)?;
                &now
            }
        };
        let diff = diff_items(&older.items, newer_items);
        let requests = requests_between(&reader, &older, newer.as_ref())?;
        let names: HashMap<Id, String> = reader.lists()?.into_iter().map(|l| (l.id, l.name)).collect();
        let transferred = |item: &Item, leaving: bool| {
            transfer_of(&requests, list, item.id, leaving).map(|r| {
                let to_list = r.to_list.unwrap_or_default();
                TransferredItem {
                    item: item.clone(),
                    request: r.id,
                    action: r.action,
                    from_list: r.list,
                    from_list_name: names.get(&r.list).cloned().unwrap_or_default(),
                    to_list,
                    to_list_name: names.get(&to_list).cloned().unwrap_or_default(),
                }
            })
        };
        let mut comparison = VersionComparison {
            version: summary_of_version(&older),
            to: newer.as_ref().map(summary_of_version),
            added: Vec::new(),
            removed: Vec::new(),
            changed: diff.changed,
            transferred_out: Vec::new(),
            transferred_in: Vec::new(),
            unchanged: diff.unchanged,
            reasons: Vec::new(),
        };
        for item in diff.removed {
            match transferred(&item, true) {
                Some(moved) => comparison.transferred_out.push(moved),
                None => comparison.removed.push(item),
            }
        }
        for item in diff.added {
            match transferred(&item, false) {
                Some(moved) => comparison.transferred_in.push(moved),
                None => comparison.added.push(item),
            }
        }
        let after = publication_entry(&reader, &older)?.unwrap_or(0);
        let up_to = match &newer {
            Some(version) => publication_entry(&reader, version)?.unwrap_or(u32::MAX),
            None => u32::MAX,
        };
        comparison.reasons = reasons(&reader, &comparison, &requests, after, up_to)?;
        Ok(comparison)
    }
}

/// The reasons of every item a comparison names, in its order: the requests about the item,
/// else the reason of its audit entry between the two sides.
fn reasons(
    reader: &Reader<'_>,
    comparison: &VersionComparison,
    requests: &[ChangeRequest],
    after: u32,
    up_to: u32,
) -> Result<Vec<ChangeReason>, ApiError> {
    let items = comparison
        .added
        .iter()
        .chain(&comparison.removed)
        .chain(comparison.changed.iter().map(|c| &c.after))
        .chain(comparison.transferred_out.iter().map(|t| &t.item))
        .chain(comparison.transferred_in.iter().map(|t| &t.item))
        .map(|i| i.id);
    let mut reasons = Vec::new();
    for item in items {
        let mut explained = false;
        for request in requests.iter().filter(|r| r.item == Some(item)) {
            explained = true;
            reasons.push(ChangeReason {
                item,
                request: Some(request.id),
                reason: Some(request.reason.clone()),
                basis: request.basis.clone(),
            });
        }
        if !explained {
            if let Some(reason) = audit_reason(reader, item, after, up_to)? {
                reasons.push(ChangeReason { item, request: None, reason: Some(reason), basis: None });
            }
        }
    }
    Ok(reasons)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_name_each_field_and_extra_field_with_its_text() {
        let before = Item {
            name: "旧".into(),
            certificate_allowed: Some(true),
            extra: vec![quanze_domain::ExtraField { header: "办理时限".into(), value: "5日".into() }],
            ..Item::default()
        };
        let mut after = before.clone();
        after.name = "新".into();
        after.certificate_allowed = Some(false);
        after.basis = Some("《某条例》".into());
        after.extra.clear();
        let shown: Vec<(String, Option<String>, Option<String>)> =
            field_differences(&before, &after).into_iter().map(|d| (d.field, d.before, d.after)).collect();
        let text = |t: &str| Some(t.to_string());
        assert_eq!(
            shown,
            [
                ("事项名称".to_string(), text("旧"), text("新")),
                ("实施依据".to_string(), None, text("《某条例》")),
                ("可否出具".to_string(), text("可出具"), text("不得出具")),
                ("办理时限".to_string(), text("5日"), None),
            ]
        );
        assert!(field_differences(&before, &before).is_empty());
    }

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
