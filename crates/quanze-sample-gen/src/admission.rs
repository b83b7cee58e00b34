//! Admission requests (准入申请) in every state, the published versions, and the waiver.

use chrono::NaiveDate;
use quanze_domain::{
    AdmissionRequest, AdmissionState, AdmissionStep, Funding, Id, Item, StaffSupport, Version,
    Waiver,
};

use crate::community::{assist_item, Community};
use crate::district::District;
use crate::gen::Gen;
use crate::gen::Planted;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

struct RequestSpec {
    community: usize,
    dept: &'static str,
    item: &'static str,
    reason: &'static str,
    state: AdmissionState,
    applied: (i32, u32, u32),
    /// Give the admitted item no funding and no staff (planted).
    unfunded: bool,
}

const REQUESTS: &[RequestSpec] = &[
    RequestSpec {
        community: 0,
        dept: "GA",
        item: "协助开展老年人防诈骗宣传",
        reason: "针对老年人的电信网络诈骗案件多发，需依托社区开展入户宣传。",
        state: AdmissionState::Admitted,
        applied: (2025, 3, 10),
        unfunded: false,
    },
    RequestSpec {
        community: 3,
        dept: "ZJ",
        item: "协助开展燃气用户安全入户宣传",
        reason: "全区开展城镇燃气安全专项整治，需社区协助入户发放安全告知书。",
        state: AdmissionState::Admitted,
        applied: (2025, 4, 8),
        unfunded: false,
    },
    RequestSpec {
        community: 6,
        dept: "YJ",
        item: "协助开展电动自行车充电安全排查",
        reason: "住宅小区电动自行车违规充电引发火灾隐患，需社区协助排查登记。",
        state: AdmissionState::Admitted,
        applied: (2025, 5, 12),
        unfunded: true,
    },
    RequestSpec {
        community: 4,
        dept: "TY",
        item: "协助开展适龄青年兵役登记",
        reason: "依法开展年度兵役登记，需社区协助通知适龄青年并核对信息。",
        state: AdmissionState::Admitted,
        applied: (2025, 9, 1),
        unfunded: false,
    },
    RequestSpec {
        community: 1,
        dept: "ZJ",
        item: "协助开展房屋安全隐患信息采集",
        reason: "开展既有房屋安全隐患排查，需社区协助采集房屋基础信息。",
        state: AdmissionState::Revoked,
        applied: (2025, 2, 17),
        unfunded: false,
    },
    RequestSpec {
        community: 2,
        dept: "SC",
        item: "协助开展市场主体信息核查",
        reason: "市场主体年报信息核查任务量大，拟请社区协助实地核查。",
        state: AdmissionState::Rejected,
        applied: (2025, 6, 3),
        unfunded: false,
    },
    RequestSpec {
        community: 8,
        dept: "CZ",
        item: "协助开展企业税源信息摸排",
        reason: "为掌握辖区企业税源底数，拟请社区协助摸排企业经营和纳税情况。",
        state: AdmissionState::Rejected,
        applied: (2025, 7, 14),
        unfunded: false,
    },
    RequestSpec {
        community: 5,
        dept: "MZ",
        item: "协助开展养老服务需求调查",
        reason: "编制区养老服务设施布局规划，需掌握居家老人养老服务需求。",
        state: AdmissionState::UnderReview,
        applied: (2026, 1, 12),
        unfunded: false,
    },
    RequestSpec {
        community: 7,
        dept: "RS",
        item: "协助开展职业技能培训需求摸底",
        reason: "制定年度职业技能培训计划，需了解辖区失业人员培训意愿。",
        state: AdmissionState::Applied,
        applied: (2026, 2, 2),
        unfunded: false,
    },
    RequestSpec {
        community: 9,
        dept: "WJ",
        item: "协助开展居民健康档案信息更新",
        reason: "家庭医生签约服务扩面，需社区协助更新居民健康档案联系信息。",
        state: AdmissionState::UnderReview,
        applied: (2026, 1, 20),
        unfunded: false,
    },
    RequestSpec {
        community: 10,
        dept: "ZR",
        item: "协助开展农村宅基地使用情况调查",
        reason: "开展农村宅基地使用情况调查，需村协助组织入户调查。",
        state: AdmissionState::Applied,
        applied: (2026, 2, 9),
        unfunded: false,
    },
];

/// Build the requests; admitted ones add their item to the community's 协助 list.
pub fn requests(g: &mut Gen, communities: &[Community]) {
    let mut doc = 10;
    for spec in REQUESTS {
        let community = &communities[spec.community];
        let id = g.request_id();
        let unit = g.dept(spec.dept);
        let unit_name = g.unit_name(unit);
        let applied = date(spec.applied.0, spec.applied.1, spec.applied.2);
        let reviewed = applied + chrono::Days::new(5);
        let decided = applied + chrono::Days::new(19);
        let effective = decided + chrono::Days::new(30);
        let revoked = date(2025, 12, 15);
        let applicant = unit_name.clone();
        let mut history = vec![AdmissionStep {
            state: AdmissionState::Applied,
            date: applied,
            actor: Some(applicant.clone()),
            note: Some("提交准入申请，附事项依据、经费和人员保障方案。".to_string()),
        }];
        if spec.state != AdmissionState::Applied {
            history.push(AdmissionStep {
                state: AdmissionState::UnderReview,
                date: reviewed,
                actor: Some("区委编办".to_string()),
                note: Some("材料齐全，提交区社区工作事项准入联审。".to_string()),
            });
        }
        let decided_state = match spec.state {
            AdmissionState::Admitted | AdmissionState::Revoked => Some(AdmissionState::Admitted),
            AdmissionState::Rejected => Some(AdmissionState::Rejected),
            _ => None,
        };
        if let Some(state) = decided_state {
            history.push(AdmissionStep {
                state,
                date: decided,
                actor: Some("区社区工作事项准入联审小组".to_string()),
                note: None,
            });
        }
        if spec.state == AdmissionState::Revoked {
            history.push(AdmissionStep {
                state: AdmissionState::Revoked,
                date: revoked,
                actor: Some("区委编办".to_string()),
                note: Some(
                    "专项排查已完成，事项撤销，已从协助政府工作事项清单中移除。".to_string(),
                ),
            });
        }
        let (funding, staff) = if spec.unfunded {
            (Funding::default(), StaffSupport::default())
        } else {
            (
                Funding {
                    amount_wan: Some(2.0),
                    source: Some(format!("{unit_name}部门预算")),
                },
                StaffSupport {
                    count: Some(1),
                    note: Some("购买服务岗位1名".to_string()),
                },
            )
        };
        let review_opinion = match spec.state {
            AdmissionState::Admitted | AdmissionState::Revoked => Some(
                "经联审，该事项依据充分，确需社区协助，经费和人员随事项下沉，同意准入。"
                    .to_string(),
            ),
            AdmissionState::Rejected if spec.dept == "CZ" => {
                Some("经联审，该事项属于协税护税，列入社区工作事项负面清单，不予准入。".to_string())
            }
            AdmissionState::Rejected => {
                Some("经联审，该事项属于申请部门自身法定职责，不得转嫁社区，不予准入。".to_string())
            }
            _ => None,
        };
        let doc_no = decided_state.map(|_| {
            doc += 2;
            format!("青编办〔{}〕{doc}号", decided.format("%Y"))
        });
        let mut admitted_item = None;
        if spec.state == AdmissionState::Admitted {
            let station_name = g.unit_name(community.station);
            let mut item = assist_item(g, spec.item, spec.dept, community.station, &station_name);
            let item_id = g.item_id();
            item.id = item_id;
            if let Some(a) = item.assistance.as_mut() {
                a.admission_request = Some(id);
                a.funding = funding.clone();
                a.staff = staff.clone();
            }
            item.remarks = Some(format!(
                "经准入程序纳入，{}起施行。",
                effective.format("%Y年%-m月%-d日")
            ));
            g.push_item(community.assist, item);
            admitted_item = Some(item_id);
            if spec.unfunded {
                g.planted.push(Planted {
                    key: "f2",
                    rule: "community.unfunded",
                    brief: "协助事项未落实经费或人员（费随事转、人随事走）",
                    what: "已准入的协助政府事项没有经费也没有人员".to_string(),
                    location: format!(
                        "{}依法协助政府工作事项清单：“{}”（准入申请 #{id}）",
                        community.spec.name, spec.item
                    ),
                });
            }
        }
        g.bundle.admission_requests.push(AdmissionRequest {
            uid: None,
            id,
            community: community.id,
            applicant_unit: Some(unit),
            applicant_unit_text: Some(applicant),
            item_name: spec.item.to_string(),
            content: Some(format!("{}，按月报送工作情况。", spec.item)),
            reason: spec.reason.to_string(),
            basis: Some("《江临市社区工作事项准入办法》第六条".to_string()),
            funding,
            staff,
            applied_on: applied,
            planned_start: None,
            decision_deadline: None,
            batch: None,
            decided_on: decided_state.map(|_| decided),
            effective_on: (decided_state == Some(AdmissionState::Admitted)).then_some(effective),
            revoked_on: (spec.state == AdmissionState::Revoked).then_some(revoked),
            review_opinion,
            doc_no,
            state: spec.state,
            history,
            admitted_item,
        });
    }
}

/// Published versions: a district department's list (two versions), a street's 基本履职 list
/// and one community's 协助 list. `after` names the items added since each publication.
pub fn versions(g: &mut Gen, district: &District, published_assist: Id, assist_added_later: &[Id]) {
    let zj = district.list_of("ZJ");
    let items = list_items(g, zj);
    // Version 1 (2024): before the 2025 additions; one item since dropped.
    let mut v1: Vec<Item> = items
        .iter()
        .take(items.len().saturating_sub(6))
        .cloned()
        .collect();
    let dropped_id = g.item_id();
    v1.push(Item {
        id: dropped_id,
        seq: Some((v1.len() + 1).to_string()),
        code: Some("QC-ZJ-QT-099".to_string()),
        name: "建筑业企业资质（劳务）备案".to_string(),
        power_type: Some("其他行政权力".to_string()),
        subject: Some(g.dept_name("ZJ")),
        remarks: Some("依据国务院决定取消，2025年版清单删除。".to_string()),
        ..Item::default()
    });
    let version = g.version_id();
    g.bundle.versions.push(Version {
        uid: None,
        id: version,
        list: zj,
        number: 1,
        published_on: date(2024, 3, 1),
        doc_no: Some("青编办〔2024〕6号".to_string()),
        note: Some("2024年版权责清单".to_string()),
        items: v1,
        changes: Vec::new(),
        despite_findings: None,
    });
    let version = g.version_id();
    g.bundle.versions.push(Version {
        uid: None,
        id: version,
        list: zj,
        number: 2,
        published_on: date(2025, 3, 1),
        doc_no: Some("青编办〔2025〕8号".to_string()),
        note: Some("2025年动态调整：新增6项，删除1项（国务院决定取消）".to_string()),
        items,
        changes: Vec::new(),
        despite_findings: None,
    });

    let street_basic = g
        .bundle
        .lists
        .iter()
        .find(|l| l.kind == quanze_domain::ListKind::StreetBasic)
        .map_or(0, |l| l.id);
    let items = list_items(g, street_basic);
    let version = g.version_id();
    g.bundle.versions.push(Version {
        uid: None,
        id: version,
        list: street_basic,
        number: 1,
        published_on: date(2025, 5, 20),
        doc_no: Some("青编办〔2025〕15号".to_string()),
        note: Some("街道履行职责事项清单（基本履职事项）首次公布".to_string()),
        items,
        changes: Vec::new(),
        despite_findings: None,
    });

    let items: Vec<Item> = list_items(g, published_assist)
        .into_iter()
        .filter(|i| !assist_added_later.contains(&i.id))
        .collect();
    let version = g.version_id();
    g.bundle.versions.push(Version {
        uid: None,
        id: version,
        list: published_assist,
        number: 1,
        published_on: date(2025, 6, 30),
        doc_no: Some("青编办〔2025〕21号".to_string()),
        note: Some("社区工作事项准入清单（协助政府工作事项）公布，上墙公示".to_string()),
        items,
        changes: Vec::new(),
        despite_findings: None,
    });
}

fn list_items(g: &Gen, list: Id) -> Vec<Item> {
    g.bundle
        .lists
        .iter()
        .find(|l| l.id == list)
        .map(|l| l.items.clone())
        .unwrap_or_default()
}

/// The key the checks give a finding of `rule` about these subjects (`I12`, `U3`, `L4` …).
pub fn finding_key(rule: &str, subjects: &[String]) -> String {
    let mut parts: Vec<&String> = subjects.iter().collect();
    parts.sort();
    parts.dedup();
    let joined: Vec<&str> = parts.iter().map(|s| s.as_str()).collect();
    format!("{rule}:{}", joined.join(","))
}

pub fn waiver(g: &mut Gen, leader: Id, units: &[Id]) {
    let mut subjects = vec![format!("L{leader}")];
    subjects.extend(units.iter().map(|u| format!("U{u}")));
    let id = g.waiver_id();
    g.bundle.waivers.push(Waiver {
        uid: None,
        id,
        finding_key: finding_key("org.leader_spread", &subjects),
        rule: "org.leader_spread".to_string(),
        reason: "青溪街道班子成员缺配一名，经区委组织部同意，暂由该同志兼管平安建设部和网格化服务中心，待班子配齐后调整。"
            .to_string(),
        actor: "区委编办机构编制科".to_string(),
        at: "2025-09-15T10:00:00+08:00".to_string(),
        fingerprint: None,
    });
}
