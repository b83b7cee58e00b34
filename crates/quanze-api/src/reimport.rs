//! Importing a department's workbook again into its list, which already has items
//! (`docs/import.md`, 再次导入). The workbooks are the list's new content: each item of theirs is
//! matched to an item of the list — by 事项编码 when it is unique on both sides, else by 事项名称
//! and 子项 as a person reads them (whitespace, line breaks and full-width forms aside) — and the
//! list is then written to be what they say with as few writes as it takes: a matched item whose
//! content differs is updated (keeping its id and uid, so its history, versions and exchange
//! identity follow it), an item of theirs that matched nothing is inserted at its place, an item
//! of the list they no longer have is deleted, and the list is put in their order.
//!
//! [`compare`] only reads (a dry run reports what it finds); [`write`] applies it inside the
//! import's transaction. Before this, importing an updated workbook appended every item again.

use std::collections::{HashMap, HashSet, VecDeque};

use quanze_domain::{EntityChange, FieldChange, Id, Item, ItemField, Uid};
use quanze_import::{FilePlan, ListUpdate};
use quanze_store::{ItemRecord, Reader, StoreError, Writer};
use serde_json::Value;

use crate::import::item_run;
use crate::ApiError;

/// An item of the workbooks going to one list, with the file it came from (its audit entry
/// names the file).
pub(crate) struct Incoming<'a> {
    pub file: &'a FilePlan,
    pub item: &'a Item,
}

/// What importing the workbooks again would do to one list.
pub(crate) struct Comparison {
    /// For each incoming item, the index of the list's item it matched (in `existing`).
    matched: Vec<Option<usize>>,
    /// For each incoming item, whether its match is written (its content differs).
    changed: Vec<bool>,
    /// Indices (in `existing`) of the list's items no incoming item matched.
    removed: Vec<usize>,
    /// The report; `added` ids are empty until [`write`] gives the new items their uids.
    pub update: ListUpdate,
}

/// Compare the list's items (`existing`, in list order) with the workbooks' (`incoming`, in
/// their order). Reads nothing: the same comparison serves the dry run and the write.
pub(crate) fn compare(list: Id, list_name: &str, existing: &[ItemRecord], incoming: &[Incoming<'_>]) -> Comparison {
    let old: Vec<&Item> = existing.iter().map(|r| &r.item).collect();
    let new: Vec<&Item> = incoming.iter().map(|i| i.item).collect();
    let matched = match_items(&old, &new);
    let mut update = ListUpdate {
        list: list_name.to_string(),
        list_id: list,
        added: Vec::new(),
        changed: Vec::new(),
        changed_items: 0,
        removed: Vec::new(),
        unchanged: 0,
    };
    let mut taken = vec![false; old.len()];
    let mut changed = vec![false; new.len()];
    for (index, (item, found)) in new.iter().zip(&matched).enumerate() {
        let Some(at) = *found else {
            update.added.push(entity_change(String::new(), item, list_name));
            continue;
        };
        taken[at] = true;
        let before = old[at];
        let fields = field_changes(before, item);
        if fields.is_empty() {
            update.unchanged += 1;
            continue;
        }
        changed[index] = true;
        update.changed_items += 1;
        let id = uid_text(before);
        update.changed.extend(fields.into_iter().map(|(field, field_label, before_value, after_value)| FieldChange {
            entity: "事项".to_string(),
            id: id.clone(),
            label: before.label(),
            list: Some(list_name.to_string()),
            field,
            field_label,
            before: before_value,
            after: after_value,
        }));
    }
    let removed: Vec<usize> = (0..old.len()).filter(|&i| !taken[i]).collect();
    update.removed = removed.iter().map(|&i| entity_change(uid_text(old[i]), old[i], list_name)).collect();
    Comparison { matched, changed, removed, update }
}

/// A deletion the import must not make: an item a 准入 request admitted is linked to that
/// request (the database refuses to delete it), and taking it off is the 撤销 of the admission,
/// not an import's business. Refused before anything is written, naming the item.
pub(crate) fn refusal(reader: &Reader<'_>, comparison: &Comparison, existing: &[ItemRecord]) -> Result<Option<ApiError>, StoreError> {
    if comparison.removed.is_empty() {
        return Ok(None);
    }
    let admitted: HashSet<Id> = reader.admission_requests()?.into_iter().filter_map(|r| r.admitted_item).collect();
    let blocked: Vec<String> = comparison
        .removed
        .iter()
        .map(|&i| &existing[i].item)
        .filter(|item| admitted.contains(&item.id))
        .map(|item| format!("“{}”", item.label()))
        .collect();
    if blocked.is_empty() {
        return Ok(None);
    }
    Ok(Some(ApiError::invalid_input(format!(
        "清单“{}”中的事项 {} 是经准入程序加入的，工作簿中没有它，再次导入会删除它：请在工作簿中保留该事项，或先在准入中撤销。数据库未做任何改动",
        comparison.update.list,
        blocked.join("、")
    ))))
}

/// Write `comparison` of the list `list` inside the import's transaction: each changed item (one
/// audited `put`, at its new place) and each run of new items of one file at its place (one
/// audit entry per run, naming the file), then the deletions — after the inserts, so that a new
/// item never takes the row id of one deleted in the same import, which would mix their
/// histories — and last the places of the items that only moved (one entry for the list).
/// Returns the report, new items' uids filled in.
pub(crate) fn write(
    writer: &mut Writer<'_>,
    list: Id,
    existing: &[ItemRecord],
    incoming: &[Incoming<'_>],
    comparison: Comparison,
) -> Result<ListUpdate, StoreError> {
    let Comparison { matched, changed, removed, mut update } = comparison;
    let mut order: Vec<Id> = Vec::with_capacity(incoming.len());
    let mut added = update.added.iter_mut();
    // A run of consecutive new items of one file: where it starts, and its items.
    let mut run: Option<(usize, &FilePlan, Vec<Item>)> = None;
    for (position, (one, found)) in incoming.iter().zip(&matched).enumerate() {
        let Some(at) = *found else {
            if run.as_ref().is_some_and(|(_, file, _)| !std::ptr::eq(*file, one.file)) {
                insert_run(writer, list, run.take(), &mut order)?;
            }
            let mut item = one.item.clone();
            let uid = Uid::generate();
            if let Some(change) = added.next() {
                change.id = uid.to_string();
            }
            item.uid = Some(uid);
            order.push(0);
            run.get_or_insert_with(|| (position, one.file, Vec::new())).2.push(item);
            continue;
        };
        insert_run(writer, list, run.take(), &mut order)?;
        let before = &existing[at].item;
        if changed[position] {
            let mut written = ItemRecord { list, position: place(position)?, item: updated(before, one.item) };
            writer.put(&mut written)?;
        }
        order.push(before.id);
    }
    insert_run(writer, list, run.take(), &mut order)?;
    for &index in &removed {
        writer.delete::<ItemRecord>(existing[index].item.id)?;
    }
    writer.renumber_items(list, &order, "导入后重排")?;
    Ok(update)
}

fn place(position: usize) -> Result<u32, StoreError> {
    u32::try_from(position).map_err(|_| StoreError::Invalid("清单事项过多".to_string()))
}

/// Insert a run of new items at its place and put their ids into `order`.
fn insert_run(writer: &mut Writer<'_>, list: Id, run: Option<(usize, &FilePlan, Vec<Item>)>, order: &mut [Id]) -> Result<(), StoreError> {
    let Some((start, file, items)) = run else {
        return Ok(());
    };
    let ids = writer.insert_items(list, place(start)?, &items, &item_run(file, &items))?;
    for (slot, id) in order.iter_mut().skip(start).zip(ids) {
        *slot = id;
    }
    Ok(())
}

/// The item as the workbook has it, written over the list's item `before`: the row id and uid
/// stay, and so do the links a workbook cannot express — the unit a 承办机构 (主责部门 …) text was
/// matched to, while the text is the same, and the admission request that admitted the item.
fn updated(before: &Item, incoming: &Item) -> Item {
    let mut item = incoming.clone();
    item.id = before.id;
    item.uid.clone_from(&before.uid);
    for field in [ItemField::HandlingUnit, ItemField::LeadUnit, ItemField::ReceivingUnit, ItemField::RequestingUnit] {
        if field.unit(&item).is_none() && field.unit(before).is_some() && field.format(&item) == field.format(before) {
            field.set_unit(&mut item, field.unit(before));
        }
    }
    if let Some(request) = before.assistance.as_ref().and_then(|a| a.admission_request) {
        item.assistance.get_or_insert_with(Default::default).admission_request = Some(request);
    }
    item
}

/// Pair each incoming item with at most one existing item (indices into `old`): first by 事项编码
/// (trimmed, not empty, and found once on each side — a code repeated by sub-items or levels
/// identifies none of them), then, among the items left, by 事项名称 and 子项 normalized
/// ([`match_key`]); several items with the same key are paired in order, the first with the
/// first. `None`: a new item.
fn match_items(old: &[&Item], new: &[&Item]) -> Vec<Option<usize>> {
    fn code(item: &Item) -> Option<&str> {
        item.code.as_deref().map(str::trim).filter(|c| !c.is_empty())
    }
    fn unique_codes<'i>(items: &[&'i Item]) -> HashMap<&'i str, Option<usize>> {
        let mut codes: HashMap<&str, Option<usize>> = HashMap::new();
        for (index, item) in items.iter().enumerate() {
            if let Some(c) = code(item) {
                // A second item with the code makes it ambiguous (None).
                codes.entry(c).and_modify(|slot| *slot = None).or_insert(Some(index));
            }
        }
        codes
    }
    let (old_codes, new_codes) = (unique_codes(old), unique_codes(new));
    let mut matched: Vec<Option<usize>> = vec![None; new.len()];
    let mut taken = vec![false; old.len()];
    for (index, item) in new.iter().enumerate() {
        let Some(c) = code(item) else { continue };
        if let (Some(Some(_)), Some(Some(at))) = (new_codes.get(c), old_codes.get(c)) {
            matched[index] = Some(*at);
            taken[*at] = true;
        }
    }
    let mut by_key: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (index, item) in old.iter().enumerate().filter(|(i, _)| !taken[*i]) {
        by_key.entry(match_key(item)).or_default().push_back(index);
    }
    for (index, item) in new.iter().enumerate() {
        if matched[index].is_none() {
            matched[index] = by_key.get_mut(&match_key(item)).and_then(VecDeque::pop_front);
        }
    }
    matched
}

/// 事项名称 and 子项 as a person compares them: no whitespace at all (full-width spaces and line
/// breaks included, a cell re-typed or re-wrapped is the same item), full-width ASCII and
/// brackets half-width (（） and ()).
fn match_key(item: &Item) -> String {
    let mut key = normalized(&item.name);
    key.push('\u{1F}');
    key.push_str(&normalized(item.sub_item.as_deref().unwrap_or("")));
    key
}

fn normalized(text: &str) -> String {
    text.chars()
        .map(quanze_import::text::half_width)
        .map(|c| match c {
            '【' | '〔' | '［' => '[',
            '】' | '〕' | '］' => ']',
            other => other,
        })
        .filter(|c| !c.is_whitespace() && *c != '\u{200B}' && *c != '\u{FEFF}')
        .collect()
}

/// The fields in which `after` (the workbook) differs from `before` (the list): the standard
/// fields as written (a unit field by its text: the workbook knows no unit ids), and the extra
/// fields header by header. 序号 alone is no change — it follows the rows, and moving rows is
/// not editing them — but when the item changes anyway its new 序号 is written, and listed
/// first. Provenance is never compared. Each as (field, field's label, before, after).
fn field_changes(before: &Item, after: &Item) -> Vec<(String, String, Value, Value)> {
    let text = |value: Option<String>| value.map_or(Value::Null, Value::String);
    let mut changes: Vec<(String, String, Value, Value)> = ItemField::ALL
        .into_iter()
        .filter(|field| *field != ItemField::Seq)
        .filter_map(|field| {
            let (was, is) = (field.format(before), field.format(after));
            (was != is).then(|| (field.key().to_string(), field.label().to_string(), text(was), text(is)))
        })
        .collect();
    let mut headers: Vec<&str> = Vec::new();
    for extra in before.extra.iter().chain(&after.extra) {
        if !headers.contains(&extra.header.as_str()) {
            headers.push(&extra.header);
        }
    }
    for header in headers {
        let value = |item: &Item| {
            let values: Vec<&str> = item.extra.iter().filter(|e| e.header == header).map(|e| e.value.as_str()).collect();
            (!values.is_empty()).then(|| values.join("\n"))
        };
        let (was, is) = (value(before), value(after));
        if was != is {
            changes.push(("extra".to_string(), header.to_string(), text(was), text(is)));
        }
    }
    if !changes.is_empty() && before.seq != after.seq {
        let seq = ItemField::Seq;
        changes.insert(0, (seq.key().to_string(), seq.label().to_string(), text(before.seq.clone()), text(after.seq.clone())));
    }
    changes
}

fn uid_text(item: &Item) -> String {
    item.uid.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn entity_change(id: String, item: &Item, list_name: &str) -> EntityChange {
    EntityChange {
        entity: "事项".to_string(),
        id,
        label: item.label(),
        list: Some(list_name.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(code: Option<&str>, name: &str, sub: Option<&str>) -> Item {
        Item {
            code: code.map(str::to_string),
            name: name.to_string(),
            sub_item: sub.map(str::to_string),
            ..Item::default()
        }
    }

    /// Guards the matching rules: a unique code wins over the name, a repeated code falls back
    /// to the name, names compare without whitespace and full-width forms, and same-named items
    /// pair in order.
    #[test]
    fn items_match_by_unique_code_then_by_normalized_name_in_order() {
        let old = [
            item(Some("A1"), "对甲的处罚", None),
            item(Some("B"), "对乙的处罚", Some("情形一")),
            item(Some("B"), "对乙的处罚", Some("情形二")),
            item(None, "对丙（一般）的检查", None),
            item(None, "对丁的检查", None),
            item(None, "对丁的检查", None),
            item(None, "不再有的事项", None),
        ];
        let new = [
            item(Some(" A1 "), "对甲的处罚（改名）", None),
            item(Some("B"), "对乙的处罚", Some("情形二")),
            item(Some("B"), "对乙的\n处罚", Some("情形一")),
            item(None, "对丙 (一般)　的检查", None),
            item(None, "对丁的检查", None),
            item(None, "对丁的检查", None),
            item(None, "对丁的检查", None),
        ];
        let old_refs: Vec<&Item> = old.iter().collect();
        let new_refs: Vec<&Item> = new.iter().collect();
        assert_eq!(
            match_items(&old_refs, &new_refs),
            vec![Some(0), Some(2), Some(1), Some(3), Some(4), Some(5), None]
        );
    }

    /// Guards what counts as a change: 序号 alone does not, provenance never does; a real change
    /// lists the new 序号 with it; extra fields compare header by header.
    #[test]
    fn a_seq_only_difference_is_no_change_but_is_written_with_a_real_one() {
        let mut before = item(None, "对甲的处罚", None);
        before.seq = Some("1".into());
        let mut after = before.clone();
        after.seq = Some("2".into());
        after.provenance = Some(quanze_domain::Provenance { file: "a.xlsx".into(), sheet: "表".into(), row: 3, merged_rows: vec![] });
        assert!(field_changes(&before, &after).is_empty());
        after.basis = Some("《条例》".into());
        after.extra.push(quanze_domain::ExtraField { header: "办理时限".into(), value: "5日".into() });
        let changes = field_changes(&before, &after);
        let fields: Vec<(&str, &str)> = changes.iter().map(|c| (c.0.as_str(), c.1.as_str())).collect();
        assert_eq!(fields, vec![("seq", "序号"), ("basis", "实施依据"), ("extra", "办理时限")]);
        assert_eq!(changes[1].2, Value::Null);
        assert_eq!(changes[1].3, Value::String("《条例》".into()));
    }
}
