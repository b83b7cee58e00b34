//! Loading a whole bundle into the store (one transaction, every row audited — a list's items
//! as one entry, see `Writer::insert_items`) and dumping the store back into a bundle.

use std::collections::BTreeMap;

use quanze_domain::{Bundle, Id, Item};
use serde::Serialize;
use ts_rs::TS;

use crate::record::ListRecord;
use crate::{Reader, Result, StoreError, Writer};

/// How many rows of each kind a load wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct LoadCounts {
    pub jurisdictions: u32,
    pub units: u32,
    pub leaders: u32,
    pub lists: u32,
    pub items: u32,
    pub admission_requests: u32,
    pub waivers: u32,
    pub versions: u32,
    pub change_requests: u32,
}

/// Id shifts applied to a bundle loaded into a database that already holds data, so that its
/// ids cannot collide with existing rows; every reference moves with its target.
#[derive(Debug, Default, Clone, Copy)]
struct Offsets {
    jurisdiction: Id,
    unit: Id,
    leader: Id,
    list: Id,
    item: Id,
    request: Id,
    waiver: Id,
    version: Id,
    change: Id,
}

fn shift(id: &mut Id, by: Id) {
    *id += by;
}

fn shift_opt(id: &mut Option<Id>, by: Id) {
    if let Some(id) = id {
        *id += by;
    }
}

impl Offsets {
    fn item(&self, item: &mut Item) {
        shift(&mut item.id, self.item);
        shift_opt(&mut item.handling_unit, self.unit);
        if let Some(c) = &mut item.coordination {
            shift_opt(&mut c.lead_unit, self.unit);
        }
        if let Some(w) = &mut item.withdrawal {
            shift_opt(&mut w.receiving_unit, self.unit);
        }
        if let Some(a) = &mut item.assistance {
            shift_opt(&mut a.requesting_unit, self.unit);
            shift_opt(&mut a.admission_request, self.request);
        }
    }

    fn apply(&self, bundle: &mut Bundle) {
        for j in &mut bundle.jurisdictions {
            shift(&mut j.id, self.jurisdiction);
            shift_opt(&mut j.parent, self.jurisdiction);
        }
        for u in &mut bundle.units {
            shift(&mut u.id, self.unit);
            shift(&mut u.jurisdiction, self.jurisdiction);
            shift_opt(&mut u.parent, self.unit);
            for l in &mut u.leaders_in_charge {
                shift(l, self.leader);
            }
        }
        for l in &mut bundle.leaders {
            shift(&mut l.id, self.leader);
            shift(&mut l.jurisdiction, self.jurisdiction);
        }
        for list in &mut bundle.lists {
            shift(&mut list.id, self.list);
            shift(&mut list.jurisdiction, self.jurisdiction);
            shift_opt(&mut list.unit, self.unit);
            for item in &mut list.items {
                self.item(item);
            }
        }
        for r in &mut bundle.admission_requests {
            shift(&mut r.id, self.request);
            shift(&mut r.community, self.jurisdiction);
            shift_opt(&mut r.applicant_unit, self.unit);
            shift_opt(&mut r.admitted_item, self.item);
        }
        for w in &mut bundle.waivers {
            shift(&mut w.id, self.waiver);
        }
        for v in &mut bundle.versions {
            shift(&mut v.id, self.version);
            shift(&mut v.list, self.list);
            for item in &mut v.items {
                self.item(item);
            }
            for change in &mut v.changes {
                shift(change, self.change);
            }
        }
        for c in &mut bundle.change_requests {
            shift(&mut c.id, self.change);
            shift(&mut c.list, self.list);
            shift_opt(&mut c.item, self.item);
            shift_opt(&mut c.after, self.item);
            shift_opt(&mut c.to_list, self.list);
            shift_opt(&mut c.to_unit, self.unit);
            shift_opt(&mut c.requester_unit, self.unit);
            shift_opt(&mut c.version, self.version);
        }
    }
}

impl Writer<'_> {
    /// Loading keeps every uid of the bundle, so that an entity is recognised wherever it
    /// travels — except a uid the database already holds: the bundle then brings a second copy
    /// of that entity (the same bundle loaded twice), and the copy gets an identity of its own.
    /// Recognising and merging a returning entity is the exchange's work, not a plain load's.
    fn give_copies_new_uids(&self, bundle: &mut Bundle) -> Result<()> {
        for (table, uid) in bundle.uid_slots_mut() {
            self.forget_uid_if_taken(table, uid)?;
        }
        Ok(())
    }

    /// Clear `uid` when a row of `table` already has it (`put` then gives a new one).
    fn forget_uid_if_taken(&self, table: &str, uid: &mut Option<quanze_domain::Uid>) -> Result<()> {
        if let Some(taken) = uid.as_ref() {
            if self.reader().holds_uid(table, taken)? {
                *uid = None;
            }
        }
        Ok(())
    }

    /// How far the bundle's ids of `table` move: past its largest id. On PostgreSQL also past
    /// every id the table's sequence has handed out (other writers' rows, not committed yet,
    /// are not seen by `max(id)`), and the `span` ids the bundle needs there (its largest id
    /// of that table) are taken from the sequence at once, under the sequence's lock.
    fn id_offset(&self, table: &str, span: Id) -> Result<Id> {
        let conn = self.conn();
        let sql = if conn.is_postgres() {
            crate::lock_sequence(conn, table)?;
            format!(
                "SELECT greatest(coalesce(max(id), 0), \
                 coalesce(pg_sequence_last_value(pg_get_serial_sequence('{table}', 'id')::regclass), 0)) FROM {table}"
            )
        } else {
            format!("SELECT coalesce(max(id), 0) FROM {table}")
        };
        let max = conn.query_opt(&sql, &[])?.map_or(Ok(0), |row| row.integer(0))?;
        let offset = Id::try_from(max).map_err(|_| StoreError::Invalid(format!("{table} 的编号 {max} 超出范围")))?;
        if conn.is_postgres() && span > 0 {
            let top = offset
                .checked_add(span)
                .ok_or_else(|| StoreError::Invalid(format!("{table} 的编号超出范围")))?;
            crate::claim_ids(conn, table, top)?;
        }
        Ok(offset)
    }

    /// Write a whole (validated) bundle. Into an empty database its ids are kept, so that a
    /// dump gives the same document back; otherwise its ids are shifted past the existing ones.
    pub fn load_bundle(&mut self, bundle: &Bundle) -> Result<LoadCounts> {
        let problems = bundle.problems();
        if let Some(first) = problems.first() {
            return Err(StoreError::Invalid(format!(
                "数据包有 {} 处错误，首处：{first}",
                problems.len()
            )));
        }
        let mut bundle = bundle.clone();
        let top = |ids: &mut dyn Iterator<Item = Id>| ids.max().unwrap_or(0);
        let offsets = Offsets {
            jurisdiction: self.id_offset("jurisdictions", top(&mut bundle.jurisdictions.iter().map(|j| j.id)))?,
            unit: self.id_offset("units", top(&mut bundle.units.iter().map(|u| u.id)))?,
            leader: self.id_offset("leaders", top(&mut bundle.leaders.iter().map(|l| l.id)))?,
            list: self.id_offset("lists", top(&mut bundle.lists.iter().map(|l| l.id)))?,
            item: self.id_offset("items", top(&mut bundle.lists.iter().flat_map(|l| l.items.iter().map(|i| i.id))))?,
            request: self.id_offset("admission_requests", top(&mut bundle.admission_requests.iter().map(|r| r.id)))?,
            waiver: self.id_offset("waivers", top(&mut bundle.waivers.iter().map(|w| w.id)))?,
            version: self.id_offset("versions", top(&mut bundle.versions.iter().map(|v| v.id)))?,
            change: self.id_offset("change_requests", top(&mut bundle.change_requests.iter().map(|c| c.id)))?,
        };
        offsets.apply(&mut bundle);
        self.give_copies_new_uids(&mut bundle)?;
        for waiver in &bundle.waivers {
            let taken = self
                .conn()
                .query_opt(
                    "SELECT count(*) FROM waivers WHERE finding_key = ?1",
                    &[crate::backend::Value::Text(waiver.finding_key.clone())],
                )?
                .map_or(Ok(0), |row| row.integer(0))?
                > 0;
            if taken {
                return Err(StoreError::Invalid(format!(
                    "数据库中已有问题 {} 的豁免记录",
                    waiver.finding_key
                )));
            }
        }

        let mut counts = LoadCounts::default();
        for j in &mut bundle.jurisdictions {
            self.put(j)?;
            counts.jurisdictions += 1;
        }
        for l in &mut bundle.leaders {
            self.put(l)?;
            counts.leaders += 1;
        }
        for u in &mut bundle.units {
            self.put(u)?;
            counts.units += 1;
        }
        let run = crate::ItemRun {
            source: self.reason.clone().unwrap_or_else(|| "载入数据包".to_string()),
            details: Vec::new(),
        };
        for list in &bundle.lists {
            self.put(&mut ListRecord::new(list))?;
            counts.lists += 1;
            let written = self.insert_items(list.id, 0, &list.items, &run)?;
            counts.items += u32::try_from(written.len()).unwrap_or(u32::MAX);
        }
        for r in &mut bundle.admission_requests {
            self.put(r)?;
            counts.admission_requests += 1;
        }
        for w in &mut bundle.waivers {
            self.put(w)?;
            counts.waivers += 1;
        }
        for v in &mut bundle.versions {
            self.put(v)?;
            counts.versions += 1;
        }
        for c in &mut bundle.change_requests {
            self.put(c)?;
            counts.change_requests += 1;
        }
        Ok(counts)
    }
}

impl Reader<'_> {
    /// The whole database as a bundle: every entity, field, extra field and provenance.
    pub fn dump(&self) -> Result<Bundle> {
        self.dump_with_versions_of(|_| true)
    }

    /// [`Reader::dump`] with the published versions of only the lists `keep` accepts. A
    /// version holds a copy of every item of its list, so a reader that needs few of them (the
    /// checks look only at versions of 协助政府 lists) need not decode the snapshots of a
    /// 50,000-item 权责清单 on every run.
    pub fn dump_with_versions_of(&self, keep: impl Fn(&quanze_domain::DutyList) -> bool) -> Result<Bundle> {
        let mut items_by_list: BTreeMap<Id, Vec<Item>> = BTreeMap::new();
        for record in self.all_items()? {
            items_by_list.entry(record.list).or_default().push(record.item);
        }
        let mut lists = self.lists()?;
        let mut versions = Vec::new();
        for list in &mut lists {
            list.items = items_by_list.remove(&list.id).unwrap_or_default();
            if keep(list) {
                versions.extend(self.versions_of_list(list.id)?);
            }
        }
        versions.sort_by_key(|v| v.id);
        Ok(Bundle {
            jurisdictions: self.jurisdictions()?,
            units: self.units()?,
            leaders: self.leaders()?,
            lists,
            admission_requests: self.admission_requests()?,
            waivers: self.waivers()?,
            versions,
            change_requests: self.change_requests()?,
            ..Bundle::default()
        })
    }
}
