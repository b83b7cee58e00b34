//! Finding jurisdictions and units by the names users type, and, inside a write, finding or
//! creating the jurisdiction, unit and list an import files its items under (a dry run finds
//! them only). One owner for these lookups, so that the CLI, the importer's commit and the
//! screens name things alike.

use quanze_domain::{DutyList, Id, Jurisdiction, Level, ListKind, Unit, UnitKind};
use quanze_store::{ListRecord, Reader, StoreError, Writer};

use crate::{Api, ApiError, ErrorCode};

/// The one entity named `name` among `all`: the exact name, else the only one whose name
/// contains it. `what` names the kind in messages (辖区, 机构); at most `shown` candidates are
/// listed when several match.
fn by_name<T>(
    all: &[T],
    name: &str,
    what: &str,
    shown: usize,
    name_of: impl Fn(&T) -> &str,
    id_of: impl Fn(&T) -> Id,
) -> Result<Id, ApiError> {
    if let Some(exact) = all.iter().find(|e| name_of(e) == name) {
        return Ok(id_of(exact));
    }
    let partial: Vec<&T> = all.iter().filter(|e| name_of(e).contains(name)).collect();
    match partial.as_slice() {
        [one] => Ok(id_of(one)),
        [] => Err(ApiError::new(ErrorCode::NotFound, format!("找不到{what}“{name}”"))),
        many => Err(ApiError::invalid_input(format!(
            "“{name}”对应多个{what}：{}，请写全名",
            many.iter().take(shown).map(|e| name_of(e)).collect::<Vec<_>>().join("、")
        ))),
    }
}

impl Api {
    /// Find a jurisdiction by name (exact, then unique partial match).
    pub fn find_jurisdiction(&self, name: &str) -> Result<Id, ApiError> {
        let all = self.store.reader().jurisdictions()?;
        by_name(&all, name, "辖区", usize::MAX, |j| &j.name, |j| j.id)
    }

    /// The unit of `jurisdiction` named exactly `name` (every street has a 党政办公室, so a
    /// name alone does not say which).
    pub fn find_unit_in(&self, jurisdiction: Id, name: &str) -> Result<Id, ApiError> {
        let reader = self.store.reader();
        unit_named(&reader, jurisdiction, name.trim())?.ok_or_else(|| {
            let place = reader.jurisdiction(jurisdiction).map(|j| j.name).unwrap_or_default();
            ApiError::new(ErrorCode::NotFound, format!("{place}没有名为“{}”的机构", name.trim()))
        })
    }

    /// Find a unit (department, office, centre) by name (exact, then unique partial match).
    pub fn find_unit(&self, name: &str) -> Result<Id, ApiError> {
        let all = self.store.reader().units()?;
        by_name(&all, name, "机构", 8, |u| &u.name, |u| u.id)
    }
}

/// The jurisdiction named exactly `name`, if there is one.
pub(crate) fn jurisdiction_named(reader: &Reader<'_>, name: &str) -> Result<Option<Id>, StoreError> {
    Ok(reader.jurisdictions()?.into_iter().find(|j| j.name == name).map(|j| j.id))
}

/// The unit of `jurisdiction` named exactly `name`, if there is one.
pub(crate) fn unit_named(reader: &Reader<'_>, jurisdiction: Id, name: &str) -> Result<Option<Id>, StoreError> {
    Ok(reader
        .units()?
        .into_iter()
        .find(|u| u.jurisdiction == jurisdiction && u.name == name)
        .map(|u| u.id))
}

/// The list of `kind` owned by `jurisdiction` and `unit`, with its name, if there is one.
pub(crate) fn list_owned(
    reader: &Reader<'_>,
    jurisdiction: Id,
    unit: Option<Id>,
    kind: ListKind,
) -> Result<Option<(Id, String)>, StoreError> {
    Ok(reader
        .lists()?
        .into_iter()
        .find(|l| l.jurisdiction == jurisdiction && l.unit == unit && l.kind == kind)
        .map(|l| (l.id, l.name)))
}

/// The jurisdiction named exactly `name`, created (as a district) when missing and recorded in
/// `created`. A missing street or community is refused: those are set up first.
pub(crate) fn find_or_create_jurisdiction(
    writer: &mut Writer<'_>,
    name: &str,
    level: Level,
    created: &mut Vec<String>,
) -> Result<Id, StoreError> {
    if let Some(id) = jurisdiction_named(&writer.reader(), name)? {
        return Ok(id);
    }
    if level != Level::District {
        return Err(StoreError::Invalid(format!(
            "找不到辖区“{name}”：导入{}清单前，请先建立该{}",
            level.label(),
            level.label()
        )));
    }
    let mut j = Jurisdiction::new(0, None, name, level);
    let id = writer.put(&mut j)?;
    created.push(name.to_string());
    Ok(id)
}

/// The unit of `jurisdiction` named exactly `name`, created (administrative) when missing and
/// recorded in `created`.
pub(crate) fn find_or_create_unit(
    writer: &mut Writer<'_>,
    jurisdiction: Id,
    name: &str,
    created: &mut Vec<String>,
) -> Result<Id, StoreError> {
    if let Some(id) = unit_named(&writer.reader(), jurisdiction, name)? {
        return Ok(id);
    }
    let mut unit = Unit::new(0, jurisdiction, name, UnitKind::Administrative);
    let id = writer.put(&mut unit)?;
    created.push(name.to_string());
    Ok(id)
}

/// The list of `kind` owned by `jurisdiction` and `unit`, with its name; created as `name`
/// when missing.
pub(crate) fn find_or_create_list(
    writer: &mut Writer<'_>,
    jurisdiction: Id,
    unit: Option<Id>,
    kind: ListKind,
    name: String,
) -> Result<(Id, String), StoreError> {
    if let Some(found) = list_owned(&writer.reader(), jurisdiction, unit, kind)? {
        return Ok(found);
    }
    let list = DutyList {
        uid: None,
        id: 0,
        jurisdiction,
        unit,
        kind,
        name: name.clone(),
        note: None,
        items: Vec::new(),
    };
    let mut record = ListRecord::new(&list);
    let id = writer.put(&mut record)?;
    Ok((id, name))
}
