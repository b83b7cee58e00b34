//! One batch being applied inside the store's transaction: reading the items it touches,
//! setting fields from text, inserting, deleting and moving rows while positions stay dense,
//! and collecting the inverse edits.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use quanze_domain::fields::parse_power_type;
use quanze_domain::{DutyList, FieldKind, Id, Item, Unit};
use quanze_store::{ItemRecord, ListRecord, StoreError, Writer};

use super::errors::{store_error, EditError, Refusal};
use super::parse::set_extra;
use super::types::{FieldRef, ItemEdit, ItemField, NewItem, Placement};

/// A slot of the list's order while a structural edit runs: the record, and the position it
/// has in the database (`None` for an item not written yet).
pub(super) struct Slot {
    record: ItemRecord,
    stored: Option<u32>,
}

/// One batch being applied inside the store's transaction.
pub(super) struct Session<'w, 'a> {
    pub(super) writer: &'w mut Writer<'a>,
    list: DutyList,
    units: Option<Vec<Unit>>,
    /// The edits that undo what was applied, in the order applied (the batch runs them reversed).
    pub(super) inverse: Vec<ItemEdit>,
    /// Items changed or inserted (may repeat).
    pub(super) changed: Vec<Id>,
    pub(super) removed: Vec<Id>,
    /// Whether items other than the changed ones changed their index.
    pub(super) reordered: bool,
}

impl<'w, 'a> Session<'w, 'a> {
    pub(super) fn new(writer: &'w mut Writer<'a>, list: DutyList) -> Session<'w, 'a> {
        Session {
            writer,
            list,
            units: None,
            inverse: Vec::new(),
            changed: Vec::new(),
            removed: Vec::new(),
            reordered: false,
        }
    }

    /// The item as stored now, locked until the batch commits: on a server, another user's
    /// edit of the same item waits for this one, or this one for it — and then reads the item
    /// as that edit left it, so that a change of another field is never written back over.
    fn record(&self, id: Id) -> Result<ItemRecord, EditError> {
        self.writer.lock::<ItemRecord>(id).map_err(store_error)?;
        let record = self.writer.reader().item(id).map_err(store_error)?;
        if record.list != self.list.id {
            return Err(EditError::ItemNotInList {
                name: record.item.label(),
                list: self.list.name.clone(),
            });
        }
        Ok(record)
    }

    /// The list's items in order, with the positions they have in the database. The list's
    /// row is locked first: two structural edits of one list (rows inserted, deleted, moved)
    /// on a server take turns, each renumbering the order the other left.
    fn order(&self) -> Result<Vec<Slot>, EditError> {
        self.writer.lock::<ListRecord>(self.list.id).map_err(store_error)?;
        let records = self
            .writer
            .reader()
            .list_item_records(self.list.id)
            .map_err(store_error)?;
        Ok(records
            .into_iter()
            .map(|record| Slot {
                stored: Some(record.position),
                record,
            })
            .collect())
    }

    /// Write the new order: every slot whose position differs from its index (and every new
    /// item) is put. Returns the ids of the new items, in order of index.
    fn write_order(&mut self, order: Vec<Slot>) -> Result<Vec<Id>, EditError> {
        // The longest run of items that all move by the same number of places (everything
        // behind an inserted or deleted row) is moved in one statement with one audit entry,
        // before any other write, while the stored positions still describe the database.
        let shifted = longest_shifted_run(&order)?;
        if let Some(run) = &shifted {
            self.writer
                .shift_item_positions(self.list.id, run.from, run.to, run.delta)
                .map_err(store_error)?;
            self.reordered = true;
        }
        let mut created = Vec::new();
        for (index, mut slot) in order.into_iter().enumerate() {
            let index = u32::try_from(index).map_err(|_| EditError::Store("清单过长".into()))?;
            match slot.stored {
                Some(stored) if stored == index => {}
                Some(stored) if shifted.as_ref().is_some_and(|run| run.contains(stored, index)) => {}
                Some(_) => {
                    slot.record.position = index;
                    self.reordered = true;
                    self.writer.put(&mut slot.record).map_err(store_error)?;
                }
                None => {
                    slot.record.position = index;
                    let id = self.writer.put(&mut slot.record).map_err(store_error)?;
                    created.push(id);
                    self.changed.push(id);
                }
            }
        }
        Ok(created)
    }

    fn units(&mut self) -> Result<&[Unit], EditError> {
        if self.units.is_none() {
            self.units = Some(self.writer.reader().units().map_err(store_error)?);
        }
        Ok(self.units.as_deref().unwrap_or_default())
    }

    /// The unit a name written in a cell refers to: the one unit of that exact name in the
    /// list's jurisdiction, else the one unit of that name anywhere; none when ambiguous.
    fn resolve_unit(&mut self, name: Option<&str>) -> Result<Option<Id>, EditError> {
        let Some(name) = name else { return Ok(None) };
        let jurisdiction = self.list.jurisdiction;
        let units = self.units()?;
        let named: Vec<&Unit> = units.iter().filter(|u| u.name == name).collect();
        let local: Vec<&&Unit> = named
            .iter()
            .filter(|u| u.jurisdiction == jurisdiction)
            .collect();
        Ok(match (local.as_slice(), named.as_slice()) {
            ([one], _) => Some(one.id),
            ([], [one]) => Some(one.id),
            _ => None,
        })
    }

    /// A field's text as the grid shows it: a unit field without text of its own shows the
    /// name of the unit it refers to.
    fn shown_text(&mut self, field: &FieldRef, item: &Item) -> Result<Option<String>, EditError> {
        let written = field.value_in(item).filter(|text| !text.trim().is_empty());
        let unit = match field {
            FieldRef::Standard(field) if written.is_none() => field.unit(item),
            _ => None,
        };
        let Some(unit) = unit else { return Ok(written) };
        Ok(self.units()?.iter().find(|u| u.id == unit).map(|u| u.name.clone()))
    }

    /// Set one field of `item` from text.
    fn set_value(
        &mut self,
        item: &mut Item,
        field: &FieldRef,
        value: &str,
    ) -> Result<(), EditError> {
        let text = value.trim();
        let opt = (!text.is_empty()).then(|| text.to_string());
        let field = match field {
            FieldRef::Standard(field) => *field,
            FieldRef::Extra { header, index } => {
                return set_extra(item, header, *index, opt);
            }
        };
        if field == ItemField::Name && opt.is_none() {
            return Err(EditError::EmptyName);
        }
        let unit = match field.kind() {
            FieldKind::Unit => Some(self.resolve_unit(opt.as_deref())?),
            _ => None,
        };
        field.set(item, opt)?;
        if let Some(unit) = unit {
            field.set_unit(item, unit);
        }
        Ok(())
    }

    /// A run of `Set` edits: each item is read once, changed, and written once (one audit
    /// entry per item however many of its cells changed). A set that says what the user saw
    /// (`was`) is refused with both values when the item holds another text there now.
    pub(super) fn apply_sets(&mut self, sets: &[(usize, Id, &FieldRef, &str, Option<&str>)]) -> Result<(), Refusal> {
        let mut order: Vec<Id> = Vec::new();
        let mut work: HashMap<Id, (ItemRecord, Item)> = HashMap::new();
        for &(index, id, field, value, was) in sets {
            let refuse = |error: EditError, item: Option<&Item>| Refusal {
                index,
                item: item.map(quanze_domain::Item::label),
                field: Some(field.label()),
                error,
            };
            if let Entry::Vacant(slot) = work.entry(id) {
                let record = self.record(id).map_err(|e| refuse(e, None))?;
                let item = record.item.clone();
                slot.insert((record, item));
                order.push(id);
            }
            let Some((record, mut item)) = work.remove(&id) else {
                continue;
            };
            if let Some(seen) = was {
                let text = |t: Option<&str>| t.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
                let now = self.shown_text(field, &record.item).map_err(|e| refuse(e, Some(&record.item)))?;
                let now = text(now.as_deref());
                if now != text(Some(seen)) && now != text(Some(value)) {
                    let conflict = StoreError::EditConflict {
                        entity: "事项",
                        label: record.item.label(),
                        field: field.label(),
                        theirs: now.unwrap_or_default(),
                        yours: value.trim().to_string(),
                    };
                    return Err(refuse(EditError::Conflict(conflict.to_string()), Some(&record.item)));
                }
            }
            let result = self.set_value(&mut item, field, value);
            if let Err(error) = result {
                return Err(refuse(
                    match error {
                        EditError::UnknownExtraField { header, index, .. } => {
                            EditError::UnknownExtraField {
                                name: record.item.label(),
                                header,
                                index,
                            }
                        }
                        other => other,
                    },
                    Some(&record.item),
                ));
            }
            work.insert(id, (record, item));
        }
        for id in order {
            let Some((record, item)) = work.remove(&id) else {
                continue;
            };
            if record.item == item {
                continue;
            }
            let mut updated = ItemRecord {
                item,
                ..record.clone()
            };
            self.writer.put(&mut updated).map_err(|e| Refusal {
                index: sets.first().map_or(0, |s| s.0),
                item: Some(record.item.label()),
                field: None,
                error: store_error(e),
            })?;
            self.inverse.push(ItemEdit::Replace {
                item: Box::new(record.item),
                expected: Some(Box::new(updated.item)),
            });
            self.changed.push(id);
        }
        Ok(())
    }

    pub(super) fn apply(&mut self, edit: &ItemEdit) -> Result<(), EditError> {
        match edit {
            ItemEdit::Set { item, field, value, was } => self
                .apply_sets(&[(0, *item, field, value.as_str(), was.as_deref())])
                .map_err(|refused| refused.error),
            ItemEdit::Replace { item, expected } => {
                let record = self.record(item.id)?;
                // Another user's change since the edit being taken back is kept (or is a
                // conflict on a field the undo changes too).
                let target = match expected {
                    Some(expected) => super::merge::merge(&record.item, expected, item)?,
                    None => item.as_ref().clone(),
                };
                if target.name.trim().is_empty() {
                    return Err(EditError::EmptyName);
                }
                if record.item == target {
                    return Ok(());
                }
                let mut updated = ItemRecord {
                    item: target,
                    ..record.clone()
                };
                self.writer.put(&mut updated).map_err(store_error)?;
                self.inverse.push(ItemEdit::Replace {
                    item: Box::new(record.item),
                    expected: Some(Box::new(updated.item)),
                });
                self.changed.push(item.id);
                Ok(())
            }
            ItemEdit::Insert { items } => self.insert(items),
            ItemEdit::Delete { items } => self.delete(items),
            ItemEdit::Move { items } => self.move_items(items),
        }
    }

    fn insert(&mut self, items: &[NewItem]) -> Result<(), EditError> {
        let mut order = self.order()?;
        let mut sorted: Vec<&NewItem> = items.iter().collect();
        sorted.sort_by_key(|n| n.at);
        let mut restored: HashSet<Id> = HashSet::new();
        for new in sorted {
            let at = place_of(new, &order)?;
            let mut item = new.item.clone();
            if item.id != 0 {
                let exists = self.writer.reader().item(item.id).is_ok();
                if exists || !restored.insert(item.id) {
                    return Err(EditError::ItemExists(item.id));
                }
            }
            for value in &new.values {
                self.set_value(&mut item, &value.field, &value.value)?;
            }
            if item.name.trim().is_empty() {
                return Err(EditError::EmptyName);
            }
            if item.id == 0 {
                // A new item typed or pasted in: its 权力类型 must be one of the ten, as when set.
                if let Some(written) = item.power_type.clone() {
                    item.power_type = Some(parse_power_type(&written)?);
                }
            }
            order.insert(
                at,
                Slot {
                    record: ItemRecord {
                        list: self.list.id,
                        position: new.at,
                        item,
                    },
                    stored: None,
                },
            );
        }
        let created = self.write_order(order)?;
        self.inverse.push(ItemEdit::Delete { items: created });
        Ok(())
    }

    /// Take `ids` out of `order`, giving each with the index it had (ascending by index).
    fn take_out(
        &self,
        order: &mut Vec<Slot>,
        ids: &[Id],
    ) -> Result<Vec<(u32, ItemRecord)>, EditError> {
        let mut wanted: HashSet<Id> = HashSet::new();
        for &id in ids {
            let record = self.record(id)?;
            if !wanted.insert(id) {
                return Err(EditError::Repeated {
                    name: record.item.label(),
                });
            }
        }
        let mut taken = Vec::new();
        let mut kept = Vec::with_capacity(order.len());
        for (index, slot) in std::mem::take(order).into_iter().enumerate() {
            if wanted.contains(&slot.record.item.id) {
                let index =
                    u32::try_from(index).map_err(|_| EditError::Store("清单过长".into()))?;
                taken.push((index, slot.record));
            } else {
                kept.push(slot);
            }
        }
        *order = kept;
        Ok(taken)
    }

    fn delete(&mut self, ids: &[Id]) -> Result<(), EditError> {
        let mut order = self.order()?;
        // Each item's predecessor, for the undo (`NewItem::after`).
        let follows: HashMap<Id, Id> = order
            .windows(2)
            .map(|pair| (pair[1].record.item.id, pair[0].record.item.id))
            .collect();
        let taken = self.take_out(&mut order, ids)?;
        for (_, record) in &taken {
            self.writer
                .delete::<ItemRecord>(record.item.id)
                .map_err(store_error)?;
            self.removed.push(record.item.id);
        }
        self.write_order(order)?;
        self.inverse.push(ItemEdit::Insert {
            items: taken
                .into_iter()
                .map(|(at, record)| NewItem {
                    at,
                    after: follows.get(&record.item.id).copied(),
                    item: record.item,
                    values: Vec::new(),
                })
                .collect(),
        });
        Ok(())
    }

    fn move_items(&mut self, placements: &[Placement]) -> Result<(), EditError> {
        let mut order = self.order()?;
        let ids: Vec<Id> = placements.iter().map(|p| p.item).collect();
        let taken = self.take_out(&mut order, &ids)?;
        let back: Vec<Placement> = taken
            .iter()
            .map(|(at, record)| Placement {
                item: record.item.id,
                to: *at,
            })
            .collect();
        let mut by_id: HashMap<Id, ItemRecord> = taken
            .into_iter()
            .map(|(at, record)| {
                let _ = at;
                (record.item.id, record)
            })
            .collect();
        let mut sorted: Vec<&Placement> = placements.iter().collect();
        sorted.sort_by_key(|p| p.to);
        for placement in sorted {
            let to = usize::try_from(placement.to).unwrap_or(usize::MAX);
            if to > order.len() {
                return Err(EditError::PositionOutOfRange {
                    at: placement.to,
                    len: order.len(),
                });
            }
            let record = by_id
                .remove(&placement.item)
                .ok_or(EditError::ItemNotFound(placement.item))?;
            let stored = record.position;
            order.insert(
                to,
                Slot {
                    record,
                    stored: Some(stored),
                },
            );
        }
        self.write_order(order)?;
        self.inverse.push(ItemEdit::Move { items: back });
        Ok(())
    }
}

/// Shorter runs than this are written item by item: their audit entries say exactly which
/// item moved, and they cost little.
const SHIFT_IN_ONE_STATEMENT: usize = 64;

/// Items at stored positions `from..to`, each moving by `delta`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ShiftedRun {
    from: u32,
    to: u32,
    delta: i64,
}

impl ShiftedRun {
    fn contains(&self, stored: u32, index: u32) -> bool {
        (self.from..self.to).contains(&stored) && i64::from(index) - i64::from(stored) == self.delta
    }
}

/// The longest run of consecutive slots (in the new order) whose stored positions are
/// consecutive too and which all move by the same non-zero delta, when it is long enough to
/// be worth one statement.
fn longest_shifted_run(order: &[Slot]) -> Result<Option<ShiftedRun>, EditError> {
    let mut best: Option<(ShiftedRun, usize)> = None;
    let mut current: Option<(ShiftedRun, usize)> = None;
    for (index, slot) in order.iter().enumerate() {
        let index = i64::try_from(index).map_err(|_| EditError::Store("清单过长".into()))?;
        let step = slot.stored.map(|stored| (stored, index - i64::from(stored))).filter(|(_, delta)| *delta != 0);
        current = match (current, step) {
            (Some((run, len)), Some((stored, delta))) if run.delta == delta && run.to == stored => {
                Some((ShiftedRun { to: stored + 1, ..run }, len + 1))
            }
            (_, Some((stored, delta))) => Some((ShiftedRun { from: stored, to: stored + 1, delta }, 1)),
            (_, None) => None,
        };
        if let Some((run, len)) = current {
            if best.is_none_or(|(_, best_len)| len > best_len) {
                best = Some((run, len));
            }
        }
    }
    Ok(best.filter(|(_, len)| *len >= SHIFT_IN_ONE_STATEMENT).map(|(run, _)| run))
}

/// The index `new` goes to in `order` (see [`NewItem::after`]).
fn place_of(new: &NewItem, order: &[Slot]) -> Result<usize, EditError> {
    let at = usize::try_from(new.at).unwrap_or(usize::MAX);
    match new.after {
        Some(after) => Ok(order
            .iter()
            .position(|slot| slot.record.item.id == after)
            .map_or(at.min(order.len()), |index| index + 1)),
        None if at > order.len() => Err(EditError::PositionOutOfRange {
            at: new.at,
            len: order.len(),
        }),
        None => Ok(at),
    }
}
