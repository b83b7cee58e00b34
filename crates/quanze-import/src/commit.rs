//! Stage 3: write a planned import through the store's one audited write path, inside the
//! caller's transaction: find or create the jurisdiction, the units and the lists, then put
//! every item after the list's existing ones.

use quanze_domain::{DutyList, Id, Jurisdiction, Level, ListKind, Unit, UnitKind};
use quanze_store::{ItemRecord, ListRecord, StoreError, Writer};

use crate::report::ImportReport;
use crate::ImportPlan;

/// The place prefix of a department name: "克拉玛依市住房和城乡建设局" → "克拉玛依市".
pub fn place_prefix(department: &str) -> Option<String> {
    let chars: Vec<char> = department.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if i >= 1 && matches!(c, '市' | '区' | '县' | '旗' | '州' | '盟') {
            let prefix: String = chars[..=i].iter().collect();
            // "城市管理局" names no place.
            if ["城市", "都市", "社区", "园区", "景区", "片区"].contains(&prefix.as_str())
            {
                return None;
            }
            return Some(prefix);
        }
        if i > 8 {
            break;
        }
    }
    None
}

fn find_or_create_jurisdiction(
    writer: &mut Writer<'_>,
    name: &str,
    level: Level,
    created: &mut Vec<String>,
) -> Result<Id, StoreError> {
    let existing = writer.reader().jurisdictions()?;
    if let Some(j) = existing.iter().find(|j| j.name == name) {
        return Ok(j.id);
    }
    if level != Level::District {
        return Err(StoreError::Invalid(format!(
            "找不到辖区“{name}”：导入{}清单前，请先建立该{}",
            level.label(),
            level.label()
        )));
    }
    let mut j = Jurisdiction {
        id: 0,
        parent: None,
        name: name.to_string(),
        level,
        designation: None,
        admin_code: None,
        org_template: None,
        phone: None,
        responsible_person: None,
    };
    let id = writer.put(&mut j)?;
    created.push(name.to_string());
    Ok(id)
}

fn find_or_create_unit(
    writer: &mut Writer<'_>,
    jurisdiction: Id,
    name: &str,
    created: &mut Vec<String>,
) -> Result<Id, StoreError> {
    let existing = writer.reader().units()?;
    if let Some(u) = existing
        .iter()
        .find(|u| u.jurisdiction == jurisdiction && u.name == name)
    {
        return Ok(u.id);
    }
    let mut unit = Unit {
        id: 0,
        jurisdiction,
        name: name.to_string(),
        kind: UnitKind::Administrative,
        parent: None,
        template_slot: None,
        staffing: Default::default(),
        leaders_in_charge: Vec::new(),
        phone: None,
    };
    let id = writer.put(&mut unit)?;
    created.push(name.to_string());
    Ok(id)
}

fn find_or_create_list(
    writer: &mut Writer<'_>,
    jurisdiction: Id,
    unit: Option<Id>,
    kind: ListKind,
    name: String,
) -> Result<(Id, String), StoreError> {
    let existing = writer.reader().lists()?;
    if let Some(l) = existing
        .iter()
        .find(|l| l.jurisdiction == jurisdiction && l.unit == unit && l.kind == kind)
    {
        return Ok((l.id, l.name.clone()));
    }
    let list = DutyList {
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

/// Write `plan` with `writer` (the caller's transaction: call it inside `Store::write`, so
/// that the import lands whole or not at all and every row is audited).
pub fn commit(writer: &mut Writer<'_>, plan: &ImportPlan) -> Result<ImportReport, StoreError> {
    let options = &plan.options;
    let kind = options.list_kind;
    let level = kind.expected_level().unwrap_or(Level::District);
    let mut created_jurisdictions = Vec::new();
    let mut created_units = Vec::new();

    let jurisdiction_name = match &options.jurisdiction {
        Some(name) => name.trim().to_string(),
        None => {
            let roots: Vec<Jurisdiction> = writer
                .reader()
                .jurisdictions()?
                .into_iter()
                .filter(|j| j.parent.is_none())
                .collect();
            if roots.len() == 1 && level == Level::District {
                roots[0].name.clone()
            } else {
                plan.files
                    .iter()
                    .filter_map(|f| f.department.as_deref().and_then(place_prefix))
                    .next()
                    .unwrap_or_else(|| "未指定辖区".to_string())
            }
        }
    };
    let jurisdiction = find_or_create_jurisdiction(
        writer,
        &jurisdiction_name,
        level,
        &mut created_jurisdictions,
    )?;

    let mut report = plan.report(false);
    report.items = 0;
    for (file, file_report) in plan.files.iter().zip(report.files.iter_mut()) {
        let unit_name = options
            .unit
            .as_deref()
            .map(str::trim)
            .map(str::to_string)
            .or_else(|| file.department.clone());
        let unit = match (&unit_name, kind.expected_level()) {
            // Street and community lists belong to the jurisdiction unless a unit is named.
            (_, Some(_)) if options.unit.is_none() => None,
            (Some(name), _) => Some(find_or_create_unit(
                writer,
                jurisdiction,
                name,
                &mut created_units,
            )?),
            (None, _) => Some(find_or_create_unit(
                writer,
                jurisdiction,
                "未指定部门",
                &mut created_units,
            )?),
        };
        let owner = match unit {
            Some(u) => writer.reader().unit(u)?.name,
            None => jurisdiction_name.clone(),
        };
        let (list, list_name) = find_or_create_list(
            writer,
            jurisdiction,
            unit,
            kind,
            format!("{owner}{}", kind.label()),
        )?;
        let existing = writer.reader().items(list, 0, u32::MAX)?;
        let mut position = u32::try_from(existing.len()).unwrap_or(u32::MAX);
        drop(existing);
        for item in &file.items {
            let mut record = ItemRecord {
                list,
                position,
                item: item.clone(),
            };
            writer.put(&mut record)?;
            position = position.saturating_add(1);
        }
        file_report.jurisdiction = Some(jurisdiction_name.clone());
        file_report.unit = unit.map(|_| owner.clone());
        file_report.list = Some(list_name);
        file_report.list_id = Some(list);
        report.items += file_report.items;
    }
    report.created_jurisdictions = created_jurisdictions;
    report.created_units = created_units;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_prefixes() {
        assert_eq!(
            place_prefix("克拉玛依市住房和城乡建设局").as_deref(),
            Some("克拉玛依市")
        );
        assert_eq!(
            place_prefix("克拉玛依市委宣传部（新闻出版局）").as_deref(),
            Some("克拉玛依市")
        );
        assert_eq!(place_prefix("市农业农村局"), None);
        assert_eq!(place_prefix("包河区民政局").as_deref(), Some("包河区"));
        assert_eq!(place_prefix("某区城市管理局").as_deref(), Some("某区"));
        assert_eq!(place_prefix("城市管理局"), None);
    }
}
