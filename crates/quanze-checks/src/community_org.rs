//! The community rules of the org chart (`docs/checks.md`, `docs/domain.md` §5a): 书记 and 主任
//! named, the 两委 within the 职数 of their template slot, each 站 and 办 led by one 两委
//! member, and 岗位 filled beyond their approved number.
//!
//! The numbers come from the community's org template (`templates/org/*.yaml`: a slot's
//! `committee`, `members` and `in_charge`), never from constants here. A community is judged
//! on its structure only once its 两委 are on record (at least one member entered): an office
//! that keeps only a community's admission lists would otherwise get every community flagged
//! for people it never meant to enter in Quanze.

use quanze_domain::{CommitteeSeat, Jurisdiction, Leader, Level, OrgTemplate, TemplateSlot, Unit};

use crate::data::Data;
use crate::raw::RawFinding;
use crate::rules::Out;
use crate::{Evidence, Subject};

/// A community with a community template and its 两委 on record.
struct Community<'a> {
    place: &'a Jurisdiction,
    template: &'a OrgTemplate,
    members: Vec<&'a Leader>,
    units: Vec<&'a Unit>,
}

impl<'a> Community<'a> {
    /// The top-level unit that fills `slot`, if any.
    fn unit_for(&self, slot: &TemplateSlot) -> Option<&'a Unit> {
        self.units.iter().copied().find(|u| slot.is_filled_by(u))
    }

    /// Who holds `seat`.
    fn holders(&self, seat: CommitteeSeat) -> Vec<&'a Leader> {
        self.members.iter().copied().filter(|l| l.seats.contains(&seat)).collect()
    }
}

fn judged_communities<'a>(data: &Data<'a>) -> Vec<Community<'a>> {
    data.jurisdictions_at(Level::Community)
        .filter_map(|place| {
            let template_id = place.org_template.as_deref()?;
            let template = data.templates.iter().find(|t| t.id == template_id && t.level == Level::Community)?;
            let members: Vec<&Leader> = data.bundle.leaders.iter().filter(|l| l.jurisdiction == place.id).collect();
            if members.is_empty() {
                return None;
            }
            let units = data
                .bundle
                .units
                .iter()
                .filter(|u| u.jurisdiction == place.id && u.parent.is_none())
                .collect();
            Some(Community { place, template, members, units })
        })
        .collect()
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The slot's unit as a subject, else the community: what a reader opens to fix it.
fn slot_subject(data: &Data<'_>, community: &Community<'_>, slot: &TemplateSlot) -> Subject {
    community
        .unit_for(slot)
        .map_or_else(|| data.jurisdiction_subject(community.place.id), |u| data.unit_subject(u.id))
}

/// Each committee of the template (两委, a village's 监委会) has exactly one head: 书记 of the
/// party committee, 主任 of the others (one person may hold both: 一肩挑).
pub fn committee_head(data: &Data<'_>, out: &mut Out) {
    for community in judged_communities(data) {
        for slot in &community.template.slots {
            let Some(committee) = slot.committee else { continue };
            let head = committee.head();
            let holders = community.holders(head);
            if holders.len() == 1 {
                continue;
            }
            let message = if holders.is_empty() {
                format!("{}的{}没有{}（两委成员中无人任此职）", community.place.name, slot.name, head.label())
            } else {
                let names: Vec<&str> = holders.iter().map(|l| l.name.as_str()).collect();
                format!("{}的{}有 {} 位{}：{}", community.place.name, slot.name, holders.len(), head.label(), names.join("、"))
            };
            let mut subjects = vec![slot_subject(data, &community, slot)];
            subjects.extend(holders.iter().map(|l| data.leader_subject(l.id)));
            out.push(RawFinding {
                rule: "org.committee_head",
                message,
                subjects,
                evidence: Evidence::Figures {
                    measure: format!("{}人数", head.label()),
                    actual: count(holders.len()),
                    limit: "恰好 1 位".into(),
                },
            });
        }
    }
}

/// A committee's members (the leaders holding any seat on it) within the slot's `members`.
pub fn committee_size(data: &Data<'_>, out: &mut Out) {
    for community in judged_communities(data) {
        for slot in &community.template.slots {
            let (Some(committee), Some(range)) = (slot.committee, slot.members) else { continue };
            let members: Vec<&Leader> = community
                .members
                .iter()
                .copied()
                .filter(|l| l.seats.iter().any(|s| s.committee() == committee))
                .collect();
            let n = u32::try_from(members.len()).unwrap_or(u32::MAX);
            if range.contains(n) {
                continue;
            }
            // The members are named in the message, not as subjects: the finding's key (and a
            // waiver of it) must survive a member added or leaving.
            let names: Vec<&str> = members.iter().map(|l| l.name.as_str()).collect();
            out.push(RawFinding {
                rule: "org.committee_size",
                message: format!(
                    "{}的{}有 {n} 名成员，{}“{}”模板核定的 {}–{} 名{}",
                    community.place.name,
                    slot.name,
                    if n < range.min { "少于" } else { "超过" },
                    community.template.name,
                    range.min,
                    range.max,
                    if names.is_empty() { String::new() } else { format!("（{}）", names.join("、")) }
                ),
                subjects: vec![slot_subject(data, &community, slot)],
                evidence: Evidence::Figures {
                    measure: format!("{}成员人数", slot.name),
                    actual: i64::from(n),
                    limit: format!("{}–{}", range.min, range.max),
                },
            });
        }
    }
}

/// Each unit of an `in_charge` slot (the 站 and 办) is led by exactly one 两委 member — a
/// leader of the community holding a committee seat. A missing unit is `org.template_slots`'s.
pub fn station_in_charge(data: &Data<'_>, out: &mut Out) {
    for community in judged_communities(data) {
        for slot in community.template.slots.iter().filter(|s| s.in_charge) {
            let Some(unit) = community.unit_for(slot) else { continue };
            let seated: Vec<&Leader> = unit
                .leaders_in_charge
                .iter()
                .filter_map(|id| community.members.iter().copied().find(|l| l.id == *id))
                .filter(|l| !l.seats.is_empty())
                .collect();
            let others: Vec<String> = unit
                .leaders_in_charge
                .iter()
                .filter(|id| !seated.iter().any(|l| l.id == **id))
                .map(|id| data.leader_subject(*id).label)
                .collect();
            if seated.len() == 1 && others.is_empty() {
                continue;
            }
            let mut message = match seated.len() {
                0 => format!("{}的{}没有两委成员负责", community.place.name, unit.name),
                1 => format!("{}的{}由两委成员{}负责", community.place.name, unit.name, seated[0].name),
                n => {
                    let names: Vec<&str> = seated.iter().map(|l| l.name.as_str()).collect();
                    format!("{}的{}由 {n} 位两委成员负责（多头负责）：{}", community.place.name, unit.name, names.join("、"))
                }
            };
            if !others.is_empty() {
                message.push_str(&format!("；负责人中不是两委成员的：{}", others.join("、")));
            }
            let mut subjects = vec![data.unit_subject(unit.id)];
            subjects.extend(unit.leaders_in_charge.iter().map(|id| data.leader_subject(*id)));
            out.push(RawFinding {
                rule: "org.station_in_charge",
                message,
                subjects,
                evidence: Evidence::Figures {
                    measure: "负责的两委成员人数".into(),
                    actual: count(seated.len()),
                    limit: "恰好 1 位，且为两委成员".into(),
                },
            });
        }
    }
}

/// A unit's 岗位 filled beyond the approved number (超配), wherever both numbers are known.
pub fn posts_over(data: &Data<'_>, out: &mut Out) {
    for unit in &data.bundle.units {
        for post in &unit.posts {
            let (Some(approved), Some(filled)) = (post.approved, post.filled) else { continue };
            if filled <= approved {
                continue;
            }
            out.push(RawFinding {
                rule: "org.posts_over",
                message: format!(
                    "{}的{}实配 {filled} 名，超过核定 {approved} 名（超配 {} 名）",
                    data.unit_subject(unit.id).label,
                    post.name,
                    filled - approved
                ),
                subjects: vec![data.unit_subject(unit.id)],
                evidence: Evidence::Figures {
                    measure: format!("{}实配人数", post.name),
                    actual: i64::from(filled),
                    limit: format!("核定 {approved}"),
                },
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use quanze_domain::*;

    use crate::{run, CheckOptions, Finding, RulePack};

    /// The shipped templates: the rules must read their numbers from these files.
    fn shipped() -> Vec<OrgTemplate> {
        load_org_templates(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../templates/org")).expect("templates")
    }

    fn leader(id: Id, name: &str, seats: &[CommitteeSeat]) -> Leader {
        Leader { uid: None, id, jurisdiction: 3, name: name.into(), post: String::new(), seats: seats.to_vec() }
    }

    /// 社区 3 built on 一委一会一办三站: one unit per slot (ids 30..), no one recorded yet.
    fn community() -> Bundle {
        let template = shipped().into_iter().find(|t| t.id == "yongzhou-community-1-1-1-3").expect("template");
        let mut place = Jurisdiction::new(3, Some(2), "青溪社区", Level::Community);
        place.org_template = Some(template.id.clone());
        let units = template
            .slots
            .iter()
            .zip(30..)
            .map(|(slot, id)| Unit { template_slot: Some(slot.name.clone()), ..Unit::new(id, 3, slot.name.clone(), slot.kind) })
            .collect();
        Bundle {
            jurisdictions: vec![
                Jurisdiction::new(1, None, "示例区", Level::District),
                Jurisdiction::new(2, Some(1), "东湖街道", Level::Street),
                place,
            ],
            units,
            ..Bundle::default()
        }
    }

    fn findings(bundle: &Bundle, rule: &str) -> Vec<Finding> {
        let options = CheckOptions { rules: vec![rule.to_string()], ..CheckOptions::default() };
        run(bundle, &RulePack::default_pack(), &shipped(), &options).findings
    }

    /// A 两委 that satisfies every rule: 5 party members and 5 residents' members, 书记 and
    /// 主任 one person (一肩挑), each 站/办 (units 32–35) led by one of them.
    fn complete() -> Bundle {
        use CommitteeSeat::*;
        let mut b = community();
        b.leaders = vec![
            leader(1, "王芳", &[PartySecretary, ResidentsDirector]),
            leader(2, "李强", &[PartyDeputySecretary, ResidentsDeputyDirector]),
            leader(3, "张敏", &[PartyMember, ResidentsMember]),
            leader(4, "刘洋", &[PartyMember, ResidentsMember]),
            leader(5, "陈静", &[PartyMember, ResidentsMember]),
        ];
        for (unit, who) in b.units.iter_mut().skip(2).zip([2, 3, 4, 5]) {
            unit.leaders_in_charge = vec![who];
        }
        b
    }

    #[test]
    fn a_complete_community_is_silent_and_one_without_members_is_not_judged() {
        for rule in ["org.committee_head", "org.committee_size", "org.station_in_charge", "org.posts_over"] {
            assert!(findings(&complete(), rule).is_empty(), "{rule}: {:#?}", findings(&complete(), rule));
            assert!(findings(&community(), rule).is_empty(), "{rule} judged a community with no 两委 on record");
        }
    }

    #[test]
    fn a_missing_or_doubled_head_is_reported_with_its_holders() {
        let mut b = complete();
        b.leaders[0].seats.retain(|s| *s != CommitteeSeat::ResidentsDirector);
        let found = findings(&b, "org.committee_head");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.contains("社区居民委员会没有居委会主任"), "{}", found[0].message);
        assert_eq!(found[0].subjects[0].label, "社区居民委员会［青溪社区］");

        let mut b = complete();
        b.leaders[1].seats.push(CommitteeSeat::PartySecretary);
        let found = findings(&b, "org.committee_head");
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("有 2 位党组织书记：王芳、李强"), "{}", found[0].message);
        assert!(matches!(found[0].evidence, crate::Evidence::Figures { actual: 2, .. }));
    }

    #[test]
    fn committee_sizes_follow_the_templates_members_range() {
        let mut b = complete();
        b.leaders.truncate(4);
        let found = findings(&b, "org.committee_size");
        // Both committees shrink to 4, below the template's 5–9.
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].message.contains("社区党工委有 4 名成员，少于“一委一会一办三站”模板核定的 5–9 名"), "{}", found[0].message);
        // The range is the template's: with a template allowing 4, the same data is silent.
        let mut templates = shipped();
        for slot in &mut templates.iter_mut().find(|t| t.id == "yongzhou-community-1-1-1-3").expect("t").slots {
            if slot.members.is_some() {
                slot.members = Some(Range { min: 3, max: 9 });
            }
        }
        let options = CheckOptions { rules: vec!["org.committee_size".into()], ..CheckOptions::default() };
        assert!(run(&b, &RulePack::default_pack(), &templates, &options).findings.is_empty());
    }

    #[test]
    fn each_station_needs_exactly_one_committee_member_in_charge() {
        let mut b = complete();
        b.units[3].leaders_in_charge.clear(); // 网格管理站
        b.units[4].leaders_in_charge = vec![2, 3]; // 便民服务站
        b.leaders.push(Leader { seats: Vec::new(), ..leader(6, "赵雷", &[]) });
        b.units[5].leaders_in_charge = vec![6]; // 综治信访维稳站, by someone with no seat
        let found = findings(&b, "org.station_in_charge");
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(found.len(), 3, "{messages:#?}");
        assert!(messages.contains(&"青溪社区的网格管理站没有两委成员负责"), "{messages:#?}");
        assert!(messages.iter().any(|m| m.contains("便民服务站由 2 位两委成员负责（多头负责）：李强、张敏")));
        assert!(messages.iter().any(|m| m.contains("综治信访维稳站没有两委成员负责；负责人中不是两委成员的：赵雷")));
    }

    #[test]
    fn posts_filled_beyond_the_approved_number_are_reported() {
        let mut b = complete();
        b.units[3].posts = vec![
            UnitPost { name: "网格员".into(), approved: Some(6), filled: Some(8) },
            UnitPost { name: "社区工作者".into(), approved: Some(2), filled: Some(2) },
            UnitPost { name: "专职网格员".into(), approved: None, filled: Some(9) },
        ];
        let found = findings(&b, "org.posts_over");
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].message, "网格管理站［青溪社区］的网格员实配 8 名，超过核定 6 名（超配 2 名）");
    }
}
