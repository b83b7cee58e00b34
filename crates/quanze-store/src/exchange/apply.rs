//! Writing a merge's plan: removals (what refers comes out before what it refers to), then
//! additions and changed fields (what is referred to first), then references that could only
//! be resolved once everything was written (a request and the item it admitted name each
//! other), then the order of the lists that gained or lost items. Everything goes through the
//! audited write path; added items of one list are written as one run (`insert_items`).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use quanze_domain::{
    AdmissionRequest, ChangeRequest, Id, Item, Jurisdiction, Leader, Uid, Unit, Version, Waiver,
};
use serde_json::Value;

use super::{count_value, id_by_uid, id_param};
use super::form::{to_local_document, Form, FormEntity, Kind, Unresolved};
use super::three_way::Step;
use crate::record::{ItemRecord, ListRecord};
use crate::backend::Conn;
use crate::{ItemRun, Result, StoreError, Writer};

/// Row ids here, by uid: those the merge read or gave, else looked up in the database.
struct LocalIds {
    known: HashMap<Uid, (Kind, Id)>,
    looked_up: RefCell<HashMap<(Kind, Uid), Option<Id>>>,
    /// A lookup the database failed (not "no such row"): the merge is abandoned with it, so
    /// that a reference is never dropped for a reason other than its absence.
    failure: RefCell<Option<StoreError>>,
}

impl LocalIds {
    fn resolve(&self, conn: Conn<'_>, kind: Kind, uid: &Uid) -> Option<Id> {
        if let Some((k, id)) = self.known.get(uid) {
            return (*k == kind).then_some(*id);
        }
        if let Some(found) = self.looked_up.borrow().get(&(kind, uid.clone())) {
            return *found;
        }
        match id_by_uid(conn, kind.table(), uid) {
            Ok(found) => {
                self.looked_up.borrow_mut().insert((kind, uid.clone()), found);
                found
            }
            Err(error) => {
                self.failure.borrow_mut().get_or_insert(error);
                None
            }
        }
    }

    fn insert(&mut self, uid: Uid, kind: Kind, id: Id) {
        self.looked_up.borrow_mut().remove(&(kind, uid.clone()));
        self.known.insert(uid, (kind, id));
    }

    fn remove(&mut self, uid: &Uid) -> Option<(Kind, Id)> {
        let removed = self.known.remove(uid);
        if let Some((kind, _)) = removed {
            self.looked_up.borrow_mut().insert((kind, uid.clone()), None);
        }
        removed
    }
}

fn decode<R: serde::de::DeserializeOwned>(value: Value, label: &str) -> Result<R> {
    serde_json::from_value(value).map_err(|e| StoreError::Invalid(format!("数据包中的“{label}”无法写入：{e}")))
}

/// Write `entity` (fields as given) as the row `id` (0: a new row).
fn put_entity(writer: &mut Writer<'_>, uid: &Uid, entity: &FormEntity, id: Id, ids: &LocalIds, unresolved: &mut Unresolved) -> Result<Id> {
    let document = to_local_document(entity, uid, id, &|kind, uid| ids.resolve(writer.conn(), kind, uid), unresolved);
    let label = entity.label.as_str();
    match entity.kind {
        Kind::Jurisdiction => writer.put(&mut decode::<Jurisdiction>(document, label)?),
        Kind::Leader => writer.put(&mut decode::<Leader>(document, label)?),
        Kind::Unit => writer.put(&mut decode::<Unit>(document, label)?),
        Kind::List => writer.put(&mut ListRecord(decode(document, label)?)),
        Kind::AdmissionRequest => writer.put(&mut decode::<AdmissionRequest>(document, label)?),
        Kind::Waiver => writer.put(&mut decode::<Waiver>(document, label)?),
        Kind::Version => writer.put(&mut decode::<Version>(document, label)?),
        Kind::ChangeRequest => writer.put(&mut decode::<ChangeRequest>(document, label)?),
        Kind::Item => {
            let list = entity
                .fields
                .get("list")
                .and_then(Value::as_str)
                .and_then(|u| Uid::parse(u).ok())
                .and_then(|u| ids.resolve(writer.conn(), Kind::List, &u))
                .ok_or_else(|| StoreError::Invalid(format!("数据包中的事项“{label}”所在的清单不在本库中")))?;
            let position = item_position(writer, id, list)?;
            let mut item: Item = decode(without_list(document), label)?;
            item.id = id;
            writer.put(&mut ItemRecord { list, position, item })
        }
    }
}

fn without_list(mut document: Value) -> Value {
    if let Value::Object(map) = &mut document {
        map.remove("list");
    }
    document
}

/// An existing item keeps its place in its list; one that moves to another list goes last.
fn item_position(writer: &Writer<'_>, id: Id, list: Id) -> Result<u32> {
    let current = writer.conn().query_opt("SELECT list_id, position FROM items WHERE id = ?1", &[id_param(id)])?;
    match current {
        Some(row) if row.integer(0)? == i64::from(list) => count_value(row.integer(1)?),
        _ => count_value(
            writer
                .conn()
                .query_opt("SELECT coalesce(max(position) + 1, 0) FROM items WHERE list_id = ?1", &[id_param(list)])?
                .map_or(Ok(0), |row| row.integer(0))?,
        ),
    }
}

fn remove(writer: &mut Writer<'_>, kind: Kind, id: Id) -> Result<()> {
    match kind {
        Kind::Jurisdiction => writer.delete::<Jurisdiction>(id).map(drop),
        Kind::Leader => writer.delete::<Leader>(id).map(drop),
        Kind::Unit => writer.delete::<Unit>(id).map(drop),
        Kind::List => writer.delete::<ListRecord>(id).map(drop),
        Kind::Item => writer.delete::<ItemRecord>(id).map(drop),
        Kind::AdmissionRequest => writer.delete::<AdmissionRequest>(id).map(drop),
        Kind::Waiver => writer.delete::<Waiver>(id).map(drop),
        Kind::Version => writer.delete::<Version>(id).map(drop),
        Kind::ChangeRequest => writer.delete::<ChangeRequest>(id).map(drop),
    }
}

fn list_of(entity: &FormEntity) -> Option<Uid> {
    entity.fields.get("list").and_then(Value::as_str).and_then(|u| Uid::parse(u).ok())
}

/// Apply `steps` (see the module documentation).
pub(super) fn apply(writer: &mut Writer<'_>, steps: &[Step], (ours, theirs): (&Form, &Form), their_orders: &HashMap<Uid, Vec<Uid>>) -> Result<()> {
    let mut ids = LocalIds {
        known: ours
            .local_ids
            .iter()
            .filter_map(|(uid, id)| ours.entities.get(uid).map(|e| (uid.clone(), (e.kind, *id))))
            .collect(),
        looked_up: RefCell::default(),
        failure: RefCell::default(),
    };
    let mut touched_lists: BTreeSet<Id> = BTreeSet::new();
    let mut new_items: BTreeSet<Id> = BTreeSet::new();
    // Removals: items first, jurisdictions last.
    let mut removals: Vec<(Kind, &Uid)> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Remove(uid) => ours.entities.get(uid).map(|e| (e.kind, uid)),
            _ => None,
        })
        .collect();
    removals.sort_by_key(|r| std::cmp::Reverse(r.0));
    for (kind, uid) in removals {
        if let Some((_, id)) = ids.remove(uid) {
            if kind == Kind::Item {
                if let Some(list) = ours.entities.get(uid).and_then(list_of).and_then(|l| ids.resolve(writer.conn(), Kind::List, &l)) {
                    touched_lists.insert(list);
                }
            }
            remove(writer, kind, id)?;
        }
    }
    // Additions and changes, kind by kind.
    let mut sets: BTreeMap<&Uid, Vec<(&String, &Option<Value>)>> = BTreeMap::new();
    let mut adds: Vec<(Kind, u32, &Uid)> = Vec::new();
    for step in steps {
        match step {
            Step::Add(uid) => {
                if let Some(entity) = theirs.entities.get(uid) {
                    adds.push((entity.kind, entity.position, uid));
                }
            }
            Step::Set(uid, field, value) => sets.entry(uid).or_default().push((field, value)),
            Step::Remove(_) => {}
        }
    }
    adds.sort();
    let mut pending: Vec<(Uid, FormEntity)> = Vec::new();
    for kind in Kind::ALL {
        if kind == Kind::Item {
            let items = adds.iter().filter(|a| a.0 == Kind::Item).map(|a| a.2);
            pending.extend(add_items(writer, items, theirs, &mut ids, (&mut touched_lists, &mut new_items))?);
        } else {
            for (_, _, uid) in adds.iter().filter(|a| a.0 == kind) {
                let Some(entity) = theirs.entities.get(*uid) else { continue };
                let mut unresolved = Unresolved::default();
                let id = put_entity(writer, uid, entity, 0, &ids, &mut unresolved)?;
                ids.insert((*uid).clone(), kind, id);
                if !unresolved.0.is_empty() {
                    pending.push(((*uid).clone(), entity.clone()));
                }
            }
        }
        for (uid, changes) in sets.iter().filter(|(uid, _)| ours.entities.get(**uid).is_some_and(|e| e.kind == kind)) {
            let (Some(entity), Some(id)) = (ours.entities.get(*uid), ids.resolve(writer.conn(), kind, uid)) else { continue };
            let mut changed = entity.clone();
            for (field, value) in changes {
                match value {
                    Some(value) => changed.fields.insert((*field).clone(), value.clone()),
                    None => changed.fields.remove(*field),
                };
            }
            if kind == Kind::Item && list_of(entity) != list_of(&changed) {
                for list in [list_of(entity), list_of(&changed)].into_iter().flatten() {
                    touched_lists.extend(ids.resolve(writer.conn(), Kind::List, &list));
                }
            }
            let mut unresolved = Unresolved::default();
            put_entity(writer, uid, &changed, id, &ids, &mut unresolved)?;
            if !unresolved.0.is_empty() {
                pending.push(((*uid).clone(), changed));
            }
        }
    }
    // References to what was written after them.
    for (uid, entity) in &pending {
        let Some(id) = ids.resolve(writer.conn(), entity.kind, uid) else { continue };
        let mut unresolved = Unresolved::default();
        put_entity(writer, uid, entity, id, &ids, &mut unresolved)?;
    }
    if let Some(error) = ids.failure.take() {
        return Err(error);
    }
    for list in touched_lists {
        order_list(writer, list, their_orders, &new_items)?;
    }
    Ok(())
}

/// New items, one run per list, at the list's end (`order_list` then puts them in place).
/// Returns the items with a reference to what is written after them (a 协助政府 item and the
/// admission request that admitted it), to be written again once it is.
fn add_items<'u>(
    writer: &mut Writer<'_>,
    uids: impl Iterator<Item = &'u Uid>,
    theirs: &Form,
    ids: &mut LocalIds,
    (touched_lists, new_items): (&mut BTreeSet<Id>, &mut BTreeSet<Id>),
) -> Result<Vec<(Uid, FormEntity)>> {
    let mut by_list: BTreeMap<Id, Vec<(&Uid, Item)>> = BTreeMap::new();
    let mut pending = Vec::new();
    for uid in uids {
        let Some(entity) = theirs.entities.get(uid) else { continue };
        let list = list_of(entity)
            .and_then(|l| ids.resolve(writer.conn(), Kind::List, &l))
            .ok_or_else(|| StoreError::Invalid(format!("数据包中的事项“{}”所在的清单不在本库中", entity.label)))?;
        let mut unresolved = Unresolved::default();
        let document = to_local_document(entity, uid, 0, &|kind, uid| ids.resolve(writer.conn(), kind, uid), &mut unresolved);
        let item: Item = decode(without_list(document), &entity.label)?;
        if !unresolved.0.is_empty() {
            pending.push((uid.clone(), entity.clone()));
        }
        by_list.entry(list).or_default().push((uid, item));
    }
    let run = ItemRun { source: writer.reason.clone().unwrap_or_else(|| "合并数据包".to_string()), details: Vec::new() };
    for (list, items) in by_list {
        let end = count_value(
            writer
                .conn()
                .query_opt("SELECT count(*) FROM items WHERE list_id = ?1", &[id_param(list)])?
                .map_or(Ok(0), |row| row.integer(0))?,
        )?;
        let written = writer.insert_items(list, end, &items.iter().map(|(_, i)| i.clone()).collect::<Vec<_>>(), &run)?;
        for ((uid, _), id) in items.iter().zip(written) {
            ids.insert((*uid).clone(), Kind::Item, id);
            new_items.insert(id);
        }
        touched_lists.insert(list);
    }
    Ok(pending)
}

/// Put a list's items in order after a merge: ours as they were, each added item after the
/// item that precedes it in their list (the first place when none does), positions `0..n`.
fn order_list(writer: &mut Writer<'_>, list: Id, their_orders: &HashMap<Uid, Vec<Uid>>, new_ids: &BTreeSet<Id>) -> Result<()> {
    let current: Vec<(Id, Option<String>)> = writer
        .conn()
        .query("SELECT id, uid FROM items WHERE list_id = ?1 ORDER BY position, id", &[id_param(list)])?
        .iter()
        .map(|row| Ok((count_value(row.integer(0)?)?, row.optional_text(1)?)))
        .collect::<Result<_>>()?;
    let list_uid: Option<Uid> = writer
        .conn()
        .query_opt("SELECT uid FROM lists WHERE id = ?1", &[id_param(list)])?
        .ok_or(StoreError::NotFound { entity: "清单", id: list })?
        .optional_text(0)?
        .and_then(|u| Uid::parse(&u).ok());
    let no_order = Vec::new();
    let their_order = list_uid.as_ref().and_then(|u| their_orders.get(u)).unwrap_or(&no_order);
    let by_uid: HashMap<Uid, Id> =
        current.iter().filter_map(|(id, uid)| Some((Uid::parse(uid.as_deref()?).ok()?, *id))).collect();
    // Each new item goes after the nearest item before it in their list that was here already.
    let mut after: HashMap<Option<Id>, Vec<Id>> = HashMap::new();
    let mut anchor: Option<Id> = None;
    let mut placed: BTreeSet<Id> = BTreeSet::new();
    for uid in their_order {
        let Some(&id) = by_uid.get(uid) else { continue };
        if new_ids.contains(&id) {
            after.entry(anchor).or_default().push(id);
            placed.insert(id);
        } else {
            anchor = Some(id);
        }
    }
    let mut order: Vec<Id> = after.remove(&None).unwrap_or_default();
    for (id, _) in current.iter().filter(|(id, _)| !new_ids.contains(id)) {
        order.push(*id);
        order.extend(after.remove(&Some(*id)).unwrap_or_default());
    }
    // New items their list does not order (none, normally) stay at the end.
    order.extend(current.iter().map(|(id, _)| *id).filter(|id| new_ids.contains(id) && !placed.contains(id)));
    writer.renumber_items(list, &order, "合并后重排").map(drop)
}
