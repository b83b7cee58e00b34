//! The gate at 准入 (`docs/domain.md` §4: the negative list is a wall, not a warning): what
//! would stop a request from being admitted, judged by the very rules that would flag the
//! admitted item afterwards — `community.negative_list`, `community.certificate` and
//! `community.unfunded` — so that the gate and the later check can never disagree (same
//! normalization, same similarity threshold, same rule pack, same on/off switches).
//!
//! The request is put, as the 协助政府 item admitting it would create, beside the community's
//! 负面清单 and 证明事项 lists in a bundle of their own, and those three rules run over it.

use quanze_domain::{
    AdmissionRequest, Assistance, Bundle, DutyList, Id, Item, Jurisdiction, ListKind,
};

use crate::pack::RulePack;
use crate::{run, CheckOptions, Evidence, Finding, SubjectKind};

/// The rules the gate applies, in the order its objections are given.
const GATE_RULES: [&str; 3] = ["community.negative_list", "community.certificate", "community.unfunded"];

/// One reason a request may not be admitted.
#[derive(Debug, Clone, PartialEq)]
pub struct GateObjection {
    /// The rule that objects (`community.negative_list`, …).
    pub rule: &'static str,
    /// Why, in Chinese, naming the list item it collides with.
    pub reason: String,
}

/// What would stop `request` from being admitted to `community`, whose lists (all of them, or
/// at least its 负面清单 and 证明事项) are `lists`. Empty when nothing does. The rules switched
/// off in `pack` object to nothing: an office that does not require 费随事转 and 人随事走 turns
/// `community.unfunded` off.
pub fn admission_gate(
    community: &Jurisdiction,
    lists: &[DutyList],
    request: &AdmissionRequest,
    pack: &RulePack,
) -> Vec<GateObjection> {
    let walls: Vec<DutyList> = lists
        .iter()
        .filter(|l| l.jurisdiction == community.id && l.unit.is_none())
        .filter(|l| matches!(l.kind, ListKind::CommunityNegative | ListKind::CommunityCertificate))
        .cloned()
        .collect();
    // Ids the candidate cannot share with anything in the walls.
    let fresh: Id = walls
        .iter()
        .flat_map(|l| std::iter::once(l.id).chain(l.items.iter().map(|i| i.id)))
        .max()
        .unwrap_or(0)
        .saturating_add(1);
    let candidate = Item {
        id: fresh,
        name: request.item_name.clone(),
        assistance: Some(Assistance {
            requesting_unit: request.applicant_unit,
            requesting_unit_text: request.applicant_unit_text.clone(),
            funding: request.funding.clone(),
            staff: request.staff.clone(),
            admission_request: None,
        }),
        ..Item::default()
    };
    let assist = DutyList {
        id: fresh,
        uid: None,
        jurisdiction: community.id,
        unit: None,
        kind: ListKind::CommunityAssist,
        name: format!("{}依法协助政府工作事项清单", community.name),
        note: None,
        items: vec![candidate],
    };
    let mut bundle = Bundle::default();
    bundle.jurisdictions.push(community.clone());
    bundle.lists = walls;
    bundle.lists.push(assist);

    let options = CheckOptions { rules: GATE_RULES.iter().map(|r| r.to_string()).collect(), ..CheckOptions::default() };
    let report = run(&bundle, pack, &[], &options);
    let mut objections: Vec<GateObjection> = Vec::new();
    for rule in GATE_RULES {
        for finding in report.findings.iter().filter(|f| f.rule == rule && about(f, fresh)) {
            let other = finding
                .subjects
                .iter()
                .find(|s| s.kind == SubjectKind::Item && s.id != fresh)
                .and_then(|s| bundle.lists.iter().flat_map(|l| &l.items).find(|i| i.id == s.id));
            let reason = match (rule, other) {
                ("community.negative_list", Some(bad)) => {
                    let how = match &finding.evidence {
                        Evidence::Similarity { score, .. } if *score < 1.0 => format!("（名称相似度 {:.0}%）", score * 100.0),
                        _ => String::new(),
                    };
                    format!("“{}”属于{}负面清单事项“{}”{how}，不得由社区承担", request.item_name, community.name, bad.label())
                }
                ("community.certificate", Some(bad)) => {
                    format!("“{}”涉及{}不得出具的证明“{}”", request.item_name, community.name, bad.label())
                }
                _ => finding.message.clone(),
            };
            if !objections.iter().any(|o| o.reason == reason) {
                objections.push(GateObjection { rule, reason });
            }
        }
    }
    objections
}

fn about(finding: &Finding, item: Id) -> bool {
    finding.subjects.iter().any(|s| s.kind == SubjectKind::Item && s.id == item)
}

#[cfg(test)]
mod tests {
    use quanze_domain::{AdmissionState, Funding, Level, StaffSupport};

    use super::*;

    fn community() -> Jurisdiction {
        Jurisdiction::new(3, None, "春华社区", Level::Community)
    }

    fn list(id: Id, kind: ListKind, items: Vec<Item>) -> DutyList {
        DutyList { id, uid: None, jurisdiction: 3, unit: None, kind, name: format!("春华社区{}", kind.label()), note: None, items }
    }

    fn item(id: Id, name: &str, allowed: Option<bool>) -> Item {
        Item { id, name: name.to_string(), certificate_allowed: allowed, ..Item::default() }
    }

    fn request(name: &str, funded: bool) -> AdmissionRequest {
        let applied = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default();
        AdmissionRequest {
            applicant_unit_text: Some("区商务局".into()),
            funding: if funded { Funding { amount_wan: Some(2.0), source: None } } else { Funding::default() },
            staff: if funded { StaffSupport { count: Some(1), note: None } } else { StaffSupport::default() },
            ..AdmissionRequest::new(9, 3, name, "工作需要", applied, AdmissionState::UnderReview)
        }
    }

    fn lists() -> Vec<DutyList> {
        vec![
            list(10, ListKind::CommunityNegative, vec![item(11, "招商引资", None), item(12, "征地拆迁", None)]),
            list(20, ListKind::CommunityCertificate, vec![item(21, "无犯罪记录证明", Some(false)), item(22, "居住证明", Some(true))]),
        ]
    }

    #[test]
    fn negative_list_work_unfunded_is_refused_for_each_reason() {
        let pack = RulePack::default_pack();
        let objections = admission_gate(&community(), &lists(), &request("协助开展招商引资项目洽谈", false), &pack);
        let rules: Vec<&str> = objections.iter().map(|o| o.rule).collect();
        assert_eq!(rules, ["community.negative_list", "community.unfunded"], "{objections:#?}");
        assert!(objections[0].reason.contains("负面清单事项“招商引资”"), "{}", objections[0].reason);
        assert!(objections[1].reason.contains("经费") && objections[1].reason.contains("人员"));
    }

    #[test]
    fn a_certificate_not_to_be_issued_is_refused_and_an_allowed_one_passes() {
        let pack = RulePack::default_pack();
        let refused = admission_gate(&community(), &lists(), &request("出具无犯罪记录证明", true), &pack);
        assert_eq!(refused.len(), 1, "{refused:#?}");
        assert!(refused[0].reason.contains("不得出具的证明“无犯罪记录证明”"));
        assert!(admission_gate(&community(), &lists(), &request("出具居住证明", true), &pack).is_empty());
        assert!(admission_gate(&community(), &lists(), &request("协助开展人口普查登记", true), &pack).is_empty());
    }

    #[test]
    fn a_rule_switched_off_in_the_pack_objects_to_nothing() {
        let mut pack = RulePack::default_pack();
        if let Some(setting) = pack.rules.get_mut("community.unfunded") {
            setting.enabled = false;
        }
        assert!(admission_gate(&community(), &lists(), &request("协助开展人口普查登记", false), &pack).is_empty());
    }
}
