//! The district's structure as a clerk keeps it by hand: jurisdictions (区 → 街道/镇 →
//! 社区/村), the units (departments, offices, stations) of each, and the lists each keeps —
//! added, renamed and deleted one at a time, every change through the store's audited write.
//!
//! Deleting is for what was made by mistake: a jurisdiction or a unit is deleted only when
//! nothing refers to it any more, and the refusal says what still does (so the clerk knows what
//! to move or delete first). A list goes with its items (each item's deletion is in the audit
//! log), but not once it has a published version, a change request or an admitted item: those
//! are the record of what was made public and decided.

use quanze_domain::{DutyList, Id, Jurisdiction, Level, ListKind, Unit, UnitKind};
use quanze_store::{ItemRecord, ListRecord, Reader};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Api, ApiError, ErrorCode};

/// A new list (新建清单): whose it is, what kind, what it is called.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewList {
    pub jurisdiction: Id,
    /// The unit (department) keeping it; none for the jurisdiction's own list.
    #[serde(default)]
    pub unit: Option<Id>,
    pub kind: ListKind,
    pub name: String,
}

/// What a deleted list took with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ListDeleted {
    pub name: String,
    /// Its items, deleted with it.
    pub items: u32,
}

/// Longest name of a jurisdiction, unit or list: longer text is a paste gone wrong.
const MAX_NAME_CHARS: usize = 100;

fn not_found(what: &str, id: Id) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("找不到{what} #{id}"))
}

/// `name` trimmed, refused when empty, too long or holding line breaks.
fn checked_name(name: &str, what: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::invalid_input(format!("请填写{what}名称")));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::invalid_input(format!("{what}名称过长（最多 {MAX_NAME_CHARS} 个字）")));
    }
    if name.chars().any(char::is_control) {
        return Err(ApiError::invalid_input(format!("{what}名称不能含换行或控制字符")));
    }
    Ok(name.to_string())
}

/// The words a place of `level` may call itself instead of the level's own (a street-level
/// 镇 or 乡, a community-level 村), for the rename form's choices.
pub fn designations(level: Level) -> &'static [&'static str] {
    match level {
        Level::District => &["县", "市", "旗"],
        Level::Street => &["镇", "乡"],
        Level::Community => &["村"],
    }
}

/// What a place calls itself besides its level's word (镇 for a street-level town, 村 for a
/// community-level village): `None` when empty or the level's own word.
fn checked_designation(designation: Option<&str>, level: Level) -> Result<Option<String>, ApiError> {
    let Some(text) = designation.map(str::trim).filter(|t| !t.is_empty() && *t != level.label()) else {
        return Ok(None);
    };
    let allowed = designations(level);
    if allowed.contains(&text) {
        Ok(Some(text.to_string()))
    } else {
        Err(ApiError::invalid_input(format!(
            "{}一级的称谓只能是{}或{}",
            level.label(),
            level.label(),
            allowed.join("、")
        )))
    }
}

/// "3 个下级辖区、2 个清单": the things still there, for a refusal.
fn still_there(counts: &[(usize, &str)]) -> String {
    counts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} 个{what}"))
        .collect::<Vec<_>>()
        .join("、")
}

impl Api {
    /// A new jurisdiction: a district at the top (`parent` none), else one level below its
    /// parent (a street under a district, a community under a street). `designation`: 镇, 村 …
    /// when the place is called so.
    pub fn create_jurisdiction(
        &mut self,
        parent: Option<Id>,
        name: &str,
        designation: Option<&str>,
        actor: &str,
    ) -> Result<Jurisdiction, ApiError> {
        let name = checked_name(name, "辖区")?;
        let reader = self.store.reader();
        let level = match parent {
            None => Level::District,
            Some(id) => {
                let above = reader.jurisdiction(id).map_err(|_| not_found("辖区", id))?;
                above.level.child().ok_or_else(|| {
                    ApiError::invalid_input(format!("“{}”是社区（村），其下不能再设辖区", above.name))
                })?
            }
        };
        let designation = checked_designation(designation, level)?;
        refuse_sibling_named(&reader, parent, &name, None)?;
        let mut place = Jurisdiction::new(0, parent, name.clone(), level);
        place.designation = designation;
        let reason = format!("新建{} {name}", level.label());
        self.store.write(actor, Some(&reason), |w| w.put(&mut place))?;
        Ok(place)
    }

    /// Rename a jurisdiction, and set what it calls itself (镇, 村; none for the level's word).
    pub fn rename_jurisdiction(
        &mut self,
        id: Id,
        name: &str,
        designation: Option<&str>,
        actor: &str,
    ) -> Result<Jurisdiction, ApiError> {
        let name = checked_name(name, "辖区")?;
        let reader = self.store.reader();
        let mut place = reader.jurisdiction(id).map_err(|_| not_found("辖区", id))?;
        let base = place.clone();
        let designation = checked_designation(designation, place.level)?;
        refuse_sibling_named(&reader, place.parent, &name, Some(id))?;
        if place.name == name && place.designation == designation {
            return Ok(place);
        }
        let reason = if place.name == name {
            format!("修改{}的称谓", place.name)
        } else {
            format!("辖区“{}”改名为“{name}”", place.name)
        };
        place.name = name;
        place.designation = designation;
        // Over another user's change of the place meanwhile (its posters' settings …).
        self.store.write(actor, Some(&reason), |w| w.put_over(&mut place, &base))?;
        Ok(place)
    }

    /// Delete a jurisdiction that holds nothing: no places below it, no units, lists, leaders
    /// or admission requests (the refusal names what is still there).
    pub fn delete_jurisdiction(&mut self, id: Id, actor: &str) -> Result<Jurisdiction, ApiError> {
        let reader = self.store.reader();
        let place = reader.jurisdiction(id).map_err(|_| not_found("辖区", id))?;
        let below = reader.jurisdictions()?.iter().filter(|j| j.parent == Some(id)).count();
        let units = reader.units()?.iter().filter(|u| u.jurisdiction == id).count();
        let lists = reader.lists()?.iter().filter(|l| l.jurisdiction == id).count();
        let leaders = reader.leaders()?.iter().filter(|l| l.jurisdiction == id).count();
        let requests = reader.admission_requests()?.iter().filter(|r| r.community == id).count();
        let left = still_there(&[
            (below, "下级辖区"),
            (units, "机构"),
            (lists, "清单"),
            (leaders, "班子（两委）成员"),
            (requests, "准入申请"),
        ]);
        if !left.is_empty() {
            return Err(ApiError::new(
                ErrorCode::ProcedureRefused,
                format!("“{}”下还有 {left}，不能删除。只能删除空的辖区：请先删除或移走这些内容", place.name),
            ));
        }
        let reason = format!("删除{} {}", place.level.label(), place.name);
        Ok(self.store.write(actor, Some(&reason), |w| w.delete::<Jurisdiction>(id))?)
    }

    /// The units of one jurisdiction (a district's departments too, which have no org chart),
    /// in the order they were entered.
    pub fn units_of(&self, jurisdiction: Id) -> Result<Vec<Unit>, ApiError> {
        let reader = self.store.reader();
        reader.jurisdiction(jurisdiction).map_err(|_| not_found("辖区", jurisdiction))?;
        Ok(reader.units()?.into_iter().filter(|u| u.jurisdiction == jurisdiction).collect())
    }

    /// A new unit (department, office, station) of a jurisdiction.
    pub fn create_unit(&mut self, jurisdiction: Id, name: &str, kind: UnitKind, actor: &str) -> Result<Unit, ApiError> {
        let name = checked_name(name, "机构")?;
        let reader = self.store.reader();
        let place = reader.jurisdiction(jurisdiction).map_err(|_| not_found("辖区", jurisdiction))?;
        refuse_unit_named(&reader, &place, &name, None)?;
        let mut unit = Unit::new(0, jurisdiction, name.clone(), kind);
        let reason = format!("{}新增机构 {name}", place.name);
        self.store.write(actor, Some(&reason), |w| w.put(&mut unit))?;
        Ok(unit)
    }

    /// Rename a unit. A unit built from an org template keeps the slot it fills
    /// (`template_slot`), so the checks still know it for the template's 城市管理部 when it is
    /// called 城市管理办公室 here.
    pub fn rename_unit(&mut self, id: Id, name: &str, actor: &str) -> Result<Unit, ApiError> {
        let name = checked_name(name, "机构")?;
        let reader = self.store.reader();
        let mut unit = reader.unit(id).map_err(|_| not_found("机构", id))?;
        let base = unit.clone();
        if unit.name == name {
            return Ok(unit);
        }
        let place = reader.jurisdiction(unit.jurisdiction).map_err(|_| not_found("辖区", unit.jurisdiction))?;
        refuse_unit_named(&reader, &place, &name, Some(id))?;
        let reason = format!("机构“{}”改名为“{name}”", unit.name);
        unit.name = name;
        self.store.write(actor, Some(&reason), |w| w.put_over(&mut unit, &base))?;
        Ok(unit)
    }

    /// Delete a unit nothing refers to: no lists of its own, no items naming it (承办机构,
    /// 主责部门, 承接部门, 申请单位), no units inside it, no admission request it filed.
    pub fn delete_unit(&mut self, id: Id, actor: &str) -> Result<Unit, ApiError> {
        let reader = self.store.reader();
        let unit = reader.unit(id).map_err(|_| not_found("机构", id))?;
        let lists = reader.lists()?.iter().filter(|l| l.unit == Some(id)).count();
        let items = usize::try_from(reader.items_naming_unit(id)?).unwrap_or(usize::MAX);
        let inner = reader.units()?.iter().filter(|u| u.parent == Some(id)).count();
        let requests = reader.admission_requests()?.iter().filter(|r| r.applicant_unit == Some(id)).count();
        let left = still_there(&[
            (lists, "清单"),
            (items, "事项以它为承办或责任机构"),
            (inner, "内设机构"),
            (requests, "准入申请由它提出"),
        ]);
        if !left.is_empty() {
            return Err(ApiError::new(
                ErrorCode::ProcedureRefused,
                format!("“{}”还有 {left}，不能删除。请先删除它的清单，或把这些事项改到其他机构", unit.name),
            ));
        }
        let reason = format!("删除机构 {}", unit.name);
        Ok(self.store.write(actor, Some(&reason), |w| w.delete::<Unit>(id))?)
    }

    /// A new, empty list of a jurisdiction or one of its units. The kind must fit the place (a
    /// 社区 list in a community, 三单 of a unit); one list of a kind per owner, as the importer
    /// files items by owner and kind.
    pub fn create_list(&mut self, new: &NewList, actor: &str) -> Result<DutyList, ApiError> {
        let name = checked_name(&new.name, "清单")?;
        let reader = self.store.reader();
        let place = reader.jurisdiction(new.jurisdiction).map_err(|_| not_found("辖区", new.jurisdiction))?;
        if let Some(level) = new.kind.expected_level() {
            if level != place.level {
                return Err(ApiError::invalid_input(format!(
                    "{}是{}的清单，“{}”是{}",
                    new.kind.label(),
                    level.label(),
                    place.name,
                    place.level.label()
                )));
            }
        }
        let owner = match new.unit {
            Some(unit_id) => {
                let unit = reader.unit(unit_id).map_err(|_| not_found("机构", unit_id))?;
                if unit.jurisdiction != place.id {
                    return Err(ApiError::invalid_input(format!("“{}”不是“{}”的机构", unit.name, place.name)));
                }
                unit.name
            }
            None if new.kind.requires_unit() => {
                return Err(ApiError::invalid_input(format!("{}属于一个机构，请选择机构", new.kind.label())));
            }
            None => place.name.clone(),
        };
        if let Some(same) = reader
            .lists()?
            .into_iter()
            .find(|l| l.jurisdiction == place.id && l.unit == new.unit && l.kind == new.kind)
        {
            return Err(ApiError::invalid_input(format!(
                "{owner}已有{}“{}”，同一类清单只能有一个",
                new.kind.label(),
                same.name
            )));
        }
        let mut record = ListRecord::new(&DutyList {
            uid: None,
            id: 0,
            jurisdiction: place.id,
            unit: new.unit,
            kind: new.kind,
            name: name.clone(),
            note: None,
            items: Vec::new(),
        });
        let reason = format!("{owner}新建清单 {name}");
        self.store.write(actor, Some(&reason), |w| w.put(&mut record))?;
        Ok(record.0)
    }

    /// Rename a list.
    pub fn rename_list(&mut self, id: Id, name: &str, actor: &str) -> Result<DutyList, ApiError> {
        let name = checked_name(name, "清单")?;
        let mut record = ListRecord(self.store.reader().list(id).map_err(|_| not_found("清单", id))?);
        let base = record.clone();
        if record.0.name == name {
            return Ok(record.0);
        }
        let reason = format!("清单“{}”改名为“{name}”", record.0.name);
        record.0.name = name;
        self.store.write(actor, Some(&reason), |w| w.put_over(&mut record, &base))?;
        Ok(record.0)
    }

    /// Delete a list with its items (each deletion audited), in one transaction. Refused once
    /// the list has a published version, a change request, or an item admitted through 准入.
    pub fn delete_list(&mut self, id: Id, actor: &str) -> Result<ListDeleted, ApiError> {
        let reader = self.store.reader();
        let list = reader.list(id).map_err(|_| not_found("清单", id))?;
        let versions = reader.version_summaries(id)?.len();
        let requests = reader.change_requests_of_list(id)?.len();
        let items = reader.list_item_ids(id)?;
        let admitted = reader
            .admission_requests()?
            .iter()
            .filter(|r| r.admitted_item.is_some_and(|item| items.contains(&item)))
            .count();
        let left = still_there(&[(versions, "已发布的版本"), (requests, "调整申请"), (admitted, "经准入的事项")]);
        if !left.is_empty() {
            return Err(ApiError::new(
                ErrorCode::ProcedureRefused,
                format!("清单“{}”有 {left}，是已公布或已决定的记录，不能删除", list.name),
            ));
        }
        let reason = format!("删除清单 {}（含 {} 个事项）", list.name, items.len());
        self.store.write(actor, Some(&reason), |w| {
            for item in &items {
                w.delete::<ItemRecord>(*item)?;
            }
            w.delete::<ListRecord>(id)
        })?;
        Ok(ListDeleted { name: list.name, items: u32::try_from(items.len()).unwrap_or(u32::MAX) })
    }
}

/// Refuse `name` when another jurisdiction under the same parent has it.
fn refuse_sibling_named(reader: &Reader<'_>, parent: Option<Id>, name: &str, except: Option<Id>) -> Result<(), ApiError> {
    let all = reader.jurisdictions()?;
    if all.iter().any(|j| j.parent == parent && j.name == name && Some(j.id) != except) {
        let under = parent
            .and_then(|p| all.iter().find(|j| j.id == p))
            .map_or_else(|| "最上一级".to_string(), |p| format!("“{}”下", p.name));
        return Err(ApiError::invalid_input(format!("{under}已有名为“{name}”的辖区")));
    }
    Ok(())
}

/// Refuse `name` when another unit of the place has it (units are found by name on import).
fn refuse_unit_named(reader: &Reader<'_>, place: &Jurisdiction, name: &str, except: Option<Id>) -> Result<(), ApiError> {
    if reader
        .units()?
        .iter()
        .any(|u| u.jurisdiction == place.id && u.name == name && Some(u.id) != except)
    {
        return Err(ApiError::invalid_input(format!("“{}”已有名为“{name}”的机构", place.name)));
    }
    Ok(())
}
