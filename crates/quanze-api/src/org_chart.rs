//! Org charts as view models (`OrgChart`) and SVG: a street's leaders over its departments,
//! centres and dispatched bodies; a community's 两委 members over its committees (两委) and its
//! 站/办 with their posts. One renderer (`quanze_export::render_org_chart_svg`) draws both.

use std::path::Path;

use quanze_domain::notice::{OrgChart, OrgChartDepartment, OrgChartLeader, OrgChartRow};
use quanze_domain::{Id, Jurisdiction, Leader, Level, OrgTemplate, Unit, UnitKind};

use crate::notice::write_file;
use crate::{Api, ApiError};

/// The template's own name (一办七部两中心) for the chart's title, not its id.
fn template_name(templates: &[OrgTemplate], id: Option<String>) -> Option<String> {
    id.map(|id| templates.iter().find(|t| t.id == id).map_or(id, |t| t.name.clone()))
}

fn street_box(unit: Unit) -> Option<OrgChartDepartment> {
    let row = match unit.kind {
        UnitKind::Administrative => OrgChartRow::Department,
        UnitKind::Institution => OrgChartRow::Centre,
        UnitKind::Dispatched => OrgChartRow::Dispatched,
        UnitKind::Coordination | UnitKind::SelfGoverning => return None,
    };
    let leaders_in_charge = unit.leaders_in_charge.clone();
    Some(unit_box(unit, row, leaders_in_charge, None))
}

/// A unit's box on either chart: its staffing and posts, with the row, the leaders linked to it
/// and (a committee) its member count.
fn unit_box(unit: Unit, row: OrgChartRow, leaders_in_charge: Vec<Id>, members: Option<u32>) -> OrgChartDepartment {
    OrgChartDepartment {
        name: unit.name,
        row,
        admin_posts: unit.staffing.admin_posts,
        institution_posts: unit.staffing.institution_posts,
        actual_headcount: unit.staffing.actual_headcount,
        leader_posts: unit.staffing.leader_posts_approved,
        leaders_in_charge,
        members,
        posts: unit.posts,
    }
}

/// A community unit's box: a committee (its slot says so) with its head and member count, or
/// a 站/办 with the 两委 member in charge and its posts.
fn community_box(unit: Unit, template: Option<&OrgTemplate>, leaders: &[Leader]) -> OrgChartDepartment {
    let committee = template
        .and_then(|t| t.slots.iter().find(|s| s.is_filled_by(&unit)))
        .and_then(|slot| slot.committee);
    let (row, leaders_in_charge, members) = match committee {
        Some(committee) => {
            let head = committee.head();
            let heads = leaders.iter().filter(|l| l.seats.contains(&head)).map(|l| l.id).collect();
            let members = leaders.iter().filter(|l| l.seats.iter().any(|s| s.committee() == committee)).count();
            (OrgChartRow::Committee, heads, Some(u32::try_from(members).unwrap_or(u32::MAX)))
        }
        None => (OrgChartRow::Station, unit.leaders_in_charge.clone(), None),
    };
    unit_box(unit, row, leaders_in_charge, members)
}

impl Api {
    /// The org chart of a street or a community (its leaders or 两委 members, and its units).
    pub fn org_chart(&self, place: Id) -> Result<OrgChart, ApiError> {
        let place: Jurisdiction = self.organized_place(place)?;
        let reader = self.store.reader();
        let leaders: Vec<Leader> = reader.leaders()?.into_iter().filter(|l| l.jurisdiction == place.id).collect();
        let units = reader.units()?.into_iter().filter(|u| u.jurisdiction == place.id);
        let templates = crate::shipped_org_templates()?;
        let departments = match place.level {
            Level::Community => {
                let template = place.org_template.as_ref().and_then(|id| templates.iter().find(|t| &t.id == id));
                units.map(|u| community_box(u, template, &leaders)).collect()
            }
            _ => units.filter_map(street_box).collect(),
        };
        Ok(OrgChart {
            street: place.name,
            template: template_name(&templates, place.org_template),
            leaders: leaders
                .into_iter()
                .map(|l| OrgChartLeader { key: l.id, name: l.name, post: l.post })
                .collect(),
            departments,
        })
    }

    /// The org chart of a street or community as SVG text.
    pub fn org_chart_svg(&self, place: Id) -> Result<String, ApiError> {
        Ok(quanze_export::render_org_chart_svg(&self.org_chart(place)?))
    }

    /// [`Api::org_chart_svg`] written to `out` (its folder created when missing).
    pub fn write_org_chart_svg(&self, place: Id, out: &Path) -> Result<(), ApiError> {
        write_file(out, self.org_chart_svg(place)?.as_bytes())
    }
}
