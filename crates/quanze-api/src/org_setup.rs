//! Setting up a street's or a community's organization: a new street, its units created from
//! an org template (一办七部两中心, 一委一会一办三站 and the others), each unit's 编制, 实有人数,
//! 领导职数, posts (岗位) and leaders in charge, and a community's 两委 members with their seats
//! (`docs/domain.md` §5–5a). Every change goes through the store's audited `Store::write`, so
//! the history shows who built or changed a chart, and a refused change leaves nothing behind.

use quanze_domain::{CommitteeSeat, Id, Jurisdiction, Leader, Level, OrgTemplate, Staffing, Unit, UnitPost};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Api, ApiError, ErrorCode};

/// What the org-chart screen shows of a street or community: the place, its units and
/// leaders (a community's: its 两委 members with their seats), and the templates of its level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Organization {
    pub place: Jurisdiction,
    pub units: Vec<Unit>,
    pub leaders: Vec<Leader>,
    /// Templates of the place's level (the ones it can be built from).
    pub templates: Vec<OrgTemplate>,
}

/// A unit's staffing, posts and leaders in charge as the form edits them (the whole set: a
/// field left empty clears it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct UnitStaffingEdit {
    pub staffing: Staffing,
    pub leaders_in_charge: Vec<Id>,
    /// A community unit's posts (岗位); omitted, the unit keeps none.
    #[serde(default)]
    pub posts: Vec<UnitPost>,
}

impl UnitStaffingEdit {
    /// The unit's current staffing, leaders in charge and posts: an edit that changes nothing
    /// until a field is set.
    pub fn of(unit: &Unit) -> Self {
        Self {
            staffing: unit.staffing.clone(),
            leaders_in_charge: unit.leaders_in_charge.clone(),
            posts: unit.posts.clone(),
        }
    }
}

fn not_found(what: &str, id: Id) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("找不到{what} #{id}"))
}

impl Api {
    /// A street or a community: the places that have an org chart.
    pub(crate) fn organized_place(&self, place: Id) -> Result<Jurisdiction, ApiError> {
        let found = self.store.reader().jurisdiction(place).map_err(|_| not_found("辖区", place))?;
        if found.level == Level::District {
            return Err(ApiError::invalid_input(format!(
                "“{}”是区，机构设置只适用于街道和社区",
                found.name
            )));
        }
        Ok(found)
    }

    /// A street's or community's units, leaders and the org templates of its level.
    pub fn organization(&self, place: Id) -> Result<Organization, ApiError> {
        let found = self.organized_place(place)?;
        let reader = self.store.reader();
        let units = reader.units()?.into_iter().filter(|u| u.jurisdiction == place).collect();
        let leaders = reader.leaders()?.into_iter().filter(|l| l.jurisdiction == place).collect();
        let templates = crate::shipped_org_templates()?
            .into_iter()
            .filter(|t| t.level == found.level)
            .collect();
        Ok(Organization { place: found, units, leaders, templates })
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

    /// Create a street's or community's units from the slots of an org template (one unit per
    /// slot, named as the slot, of its kind, with the slot's posts) and record the template on
    /// the place. Refused when the place already has units: a template builds a chart, it does
    /// not merge into one.
    pub fn create_units_from_template(
        &mut self,
        place_id: Id,
        template: &str,
        actor: &str,
    ) -> Result<Organization, ApiError> {
        let mut place = self.organized_place(place_id)?;
        let chosen = crate::shipped_org_templates()?
            .into_iter()
            .find(|t| t.id == template)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("找不到机构模板“{template}”")))?;
        if chosen.level != place.level {
            return Err(ApiError::invalid_input(format!(
                "模板“{}”是{}的模板，“{}”是{}",
                chosen.name,
                chosen.level.label(),
                place.name,
                place.level.label()
            )));
        }
        if self.store.reader().units()?.iter().any(|u| u.jurisdiction == place_id) {
            return Err(ApiError::invalid_input(format!(
                "“{}”已有机构，只能为还没有机构的{}按模板建立",
                place.name,
                place.level.label()
            )));
        }
        let mut units: Vec<Unit> = chosen
            .slots
            .iter()
            .map(|slot| {
                let mut unit = Unit::new(0, place_id, slot.name.clone(), slot.kind);
                unit.template_slot = Some(slot.name.clone());
                unit.posts = slot.posts.iter().map(|name| UnitPost { name: name.clone(), ..UnitPost::default() }).collect();
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
        self.organization(place_id)
    }

    /// Set a unit's 编制, 实有人数, 领导职数, posts and leaders in charge. Leaders must belong
    /// to the unit's own jurisdiction; each post needs a name, once.
    pub fn update_unit_staffing(&mut self, unit: Id, edit: &UnitStaffingEdit, actor: &str) -> Result<Unit, ApiError> {
        let mut current = self.store.reader().unit(unit).map_err(|_| not_found("机构", unit))?;
        let base = current.clone();
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
        let mut posts: Vec<UnitPost> = Vec::new();
        for post in &edit.posts {
            let name = post.name.trim();
            if name.is_empty() {
                return Err(ApiError::invalid_input(format!("{}的岗位缺少名称", current.name)));
            }
            if posts.iter().any(|p| p.name == name) {
                return Err(ApiError::invalid_input(format!("{}的岗位“{name}”重复", current.name)));
            }
            posts.push(UnitPost { name: name.to_string(), ..post.clone() });
        }
        let mut in_charge = edit.leaders_in_charge.clone();
        in_charge.dedup();
        current.staffing = edit.staffing.clone();
        current.leaders_in_charge = in_charge;
        current.posts = posts;
        let reason = format!("修改{}的编制与分管领导", current.name);
        // Over another user's change of the unit meanwhile (its name …).
        self.store.write(actor, Some(&reason), |w| w.put_over(&mut current, &base))?;
        Ok(current)
    }

    /// A new member of a street's leadership (班子成员), or of a community's 两委 with the
    /// seats held (`seats`, only for a community; its 职务 defaults to the seats' names, e.g.
    /// 党组织书记、居委会主任 for 一肩挑), so that units can be given leaders in charge.
    pub fn add_leader(
        &mut self,
        jurisdiction: Id,
        name: &str,
        post: &str,
        seats: &[CommitteeSeat],
        actor: &str,
    ) -> Result<Leader, ApiError> {
        let mut seats = seats.to_vec();
        seats.sort();
        seats.dedup();
        let post = match post.trim() {
            "" => seats.iter().map(|s| s.label()).collect::<Vec<_>>().join("、"),
            typed => typed.to_string(),
        };
        let name = name.trim();
        if name.is_empty() || post.is_empty() {
            return Err(ApiError::invalid_input("请填写班子成员的姓名和职务（社区两委成员可只选所任职务）"));
        }
        let place = self
            .store
            .reader()
            .jurisdiction(jurisdiction)
            .map_err(|_| not_found("辖区", jurisdiction))?;
        if !seats.is_empty() && place.level != Level::Community {
            return Err(ApiError::invalid_input(format!(
                "“{}”不是社区，两委职务（书记、主任、委员）只用于社区",
                place.name
            )));
        }
        let mut leader = Leader { uid: None, id: 0, jurisdiction: place.id, name: name.to_string(), post, seats };
        let what = if place.level == Level::Community { "两委成员" } else { "班子成员" };
        let reason = format!("{}新增{what} {name}", place.name);
        self.store.write(actor, Some(&reason), |w| w.put(&mut leader))?;
        Ok(leader)
    }
}
