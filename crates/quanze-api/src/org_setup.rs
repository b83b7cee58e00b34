//! Setting up a street's organization: a new street, its units created from an org template
//! (一办七部两中心 and the others), and each unit's 编制, 实有人数, 领导职数 and leaders in
//! charge. Every change goes through the store's audited `Store::write`, so the history shows
//! who built or changed a chart, and a refused change leaves nothing behind.

use quanze_domain::{Id, Jurisdiction, Leader, Level, OrgTemplate, Staffing, Unit};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Api, ApiError, ErrorCode};

/// What the org-chart screen shows of a street: the place, its units and leaders, and the
/// templates it may be built from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StreetOrganization {
    pub street: Jurisdiction,
    pub units: Vec<Unit>,
    pub leaders: Vec<Leader>,
    /// Templates of the street level (the ones a street can be built from).
    pub templates: Vec<OrgTemplate>,
}

/// A unit's staffing and leaders in charge as the form edits them (the whole set: a field
/// left empty clears it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct UnitStaffingEdit {
    pub staffing: Staffing,
    pub leaders_in_charge: Vec<Id>,
}

fn not_found(what: &str, id: Id) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("找不到{what} #{id}"))
}

impl Api {
    fn street(&self, street: Id) -> Result<Jurisdiction, ApiError> {
        let place = self
            .store
            .reader()
            .jurisdiction(street)
            .map_err(|_| not_found("辖区", street))?;
        if place.level != Level::Street {
            return Err(ApiError::invalid_input(format!("“{}”不是街道", place.name)));
        }
        Ok(place)
    }

    /// A street's units, leaders and the street-level org templates.
    pub fn street_organization(&self, street: Id) -> Result<StreetOrganization, ApiError> {
        let place = self.street(street)?;
        let reader = self.store.reader();
        let units = reader.units()?.into_iter().filter(|u| u.jurisdiction == street).collect();
        let leaders = reader.leaders()?.into_iter().filter(|l| l.jurisdiction == street).collect();
        let templates = crate::shipped_org_templates()?
            .into_iter()
            .filter(|t| t.level == Level::Street)
            .collect();
        Ok(StreetOrganization { street: place, units, leaders, templates })
    }

    /// A new street under a district, with no units yet.
    pub fn create_street(&mut self, district: Id, name: &str, actor: &str) -> Result<Jurisdiction, ApiError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ApiError::invalid_input("请填写街道名称"));
        }
        let parent = self.store.reader().jurisdiction(district).map_err(|_| not_found("辖区", district))?;
        if parent.level != Level::District {
            return Err(ApiError::invalid_input(format!("“{}”不是区，街道只能建在区下", parent.name)));
        }
        if self.store.reader().jurisdictions()?.iter().any(|j| j.parent == Some(district) && j.name == name) {
            return Err(ApiError::invalid_input(format!("“{}”下已有名为“{name}”的辖区", parent.name)));
        }
        let mut street = Jurisdiction::new(0, Some(district), name, Level::Street);
        let reason = format!("新建街道 {name}");
        self.store.write(actor, Some(&reason), |w| w.put(&mut street))?;
        Ok(street)
    }

    /// Create a street's units from the slots of an org template (one unit per slot, named as
    /// the slot, of its kind) and record the template on the street. Refused when the street
    /// already has units: a template builds a chart, it does not merge into one.
    pub fn create_units_from_template(
        &mut self,
        street: Id,
        template: &str,
        actor: &str,
    ) -> Result<StreetOrganization, ApiError> {
        let mut place = self.street(street)?;
        let chosen = crate::shipped_org_templates()?
            .into_iter()
            .find(|t| t.id == template)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("找不到机构模板“{template}”")))?;
        if chosen.level != Level::Street {
            return Err(ApiError::invalid_input(format!("模板“{}”不是街道的模板", chosen.name)));
        }
        if self.store.reader().units()?.iter().any(|u| u.jurisdiction == street) {
            return Err(ApiError::invalid_input(format!(
                "“{}”已有机构，只能为还没有机构的街道按模板建立",
                place.name
            )));
        }
        let mut units: Vec<Unit> = chosen
            .slots
            .iter()
            .map(|slot| {
                let mut unit = Unit::new(0, street, slot.name.clone(), slot.kind);
                unit.template_slot = Some(slot.name.clone());
                unit
            })
            .collect();
        place.org_template = Some(chosen.id.clone());
        let reason = format!("按模板“{}”建立{}的机构", chosen.name, place.name);
        self.store.write(actor, Some(&reason), |w| {
            w.put(&mut place)?;
            for unit in &mut units {
                w.put(unit)?;
            }
            Ok(())
        })?;
        self.street_organization(street)
    }

    /// Set a unit's 编制, 实有人数, 领导职数 and leaders in charge. Leaders must belong to the
    /// unit's own jurisdiction.
    pub fn update_unit_staffing(&mut self, unit: Id, edit: &UnitStaffingEdit, actor: &str) -> Result<Unit, ApiError> {
        let mut current = self.store.reader().unit(unit).map_err(|_| not_found("机构", unit))?;
        let leaders = self.store.reader().leaders()?;
        for id in &edit.leaders_in_charge {
            match leaders.iter().find(|l| l.id == *id) {
                Some(leader) if leader.jurisdiction == current.jurisdiction => {}
                Some(leader) => {
                    return Err(ApiError::invalid_input(format!(
                        "{}不是“{}”所在辖区的班子成员",
                        leader.name, current.name
                    )))
                }
                None => return Err(not_found("班子成员", *id)),
            }
        }
        let mut in_charge = edit.leaders_in_charge.clone();
        in_charge.dedup();
        current.staffing = edit.staffing.clone();
        current.leaders_in_charge = in_charge;
        let reason = format!("修改{}的编制与分管领导", current.name);
        self.store.write(actor, Some(&reason), |w| w.put(&mut current))?;
        Ok(current)
    }

    /// A new member of a street's leadership (班子成员), so that a new street's units can be
    /// given leaders in charge.
    pub fn add_leader(&mut self, jurisdiction: Id, name: &str, post: &str, actor: &str) -> Result<Leader, ApiError> {
        let (name, post) = (name.trim(), post.trim());
        if name.is_empty() || post.is_empty() {
            return Err(ApiError::invalid_input("请填写班子成员的姓名和职务"));
        }
        let place = self
            .store
            .reader()
            .jurisdiction(jurisdiction)
            .map_err(|_| not_found("辖区", jurisdiction))?;
        let mut leader = Leader { uid: None, id: 0, jurisdiction: place.id, name: name.to_string(), post: post.to_string() };
        let reason = format!("{}新增班子成员 {name}", place.name);
        self.store.write(actor, Some(&reason), |w| w.put(&mut leader))?;
        Ok(leader)
    }
}
