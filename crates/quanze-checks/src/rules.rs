//! The rules. Each pushes [`RawFinding`]s; `Data::finish` turns them into reported findings.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use quanze_domain::{AdmissionState, Id, Level, ListKind, PowerType, UnitKind};

use crate::data::{Data, Placed};
use crate::raw::RawFinding;
use crate::normalize::{mark_shared, similar_pairs};
use crate::Evidence;


pub(crate) type Out = Vec<RawFinding>;
type Rule = fn(&Data<'_>, &mut Out);

fn facts(lines: Vec<String>) -> Evidence {
    Evidence::Facts { lines }
}

fn blank(text: &Option<String>) -> bool {
    text.as_deref().is_none_or(|t| t.trim().is_empty())
}

/// Every rule with its function, in the order of [`crate::RULES`] (a test holds them in step).
pub const ALL: [(&str, Rule); 28] = [
    ("overlap.exact", overlap_exact),
    ("overlap.near", crate::overlap::overlap_near),
    ("overlap.sector", crate::overlap::overlap_sector),
    ("cross_level", cross_level),
    ("street.coordination", street_coordination),
    ("street.withdrawal", street_withdrawal),
    ("street.withdrawn_still_done", withdrawn_still_done),
    ("community.not_admitted", community_not_admitted),
    ("community.unfunded", community_unfunded),
    ("community.negative_list", community_negative_list),
    ("community.certificate", community_certificate),
    ("community.admission_overdue", crate::admission_time::admission_overdue),
    ("community.admission_late", crate::admission_time::admission_late),
    ("org.leader_in_charge", org_leader_in_charge),
    ("org.leader_spread", org_leader_spread),
    ("org.template_slots", org_template_slots),
    ("org.staffing_range", org_staffing_range),
    ("org.over_staffed", org_over_staffed),
    ("org.over_leader_posts", org_over_leader_posts),
    ("org.duty_coverage", org_duty_coverage),
    ("org.committee_head", crate::community_org::committee_head),
    ("org.committee_size", crate::community_org::committee_size),
    ("org.station_in_charge", crate::community_org::station_in_charge),
    ("org.posts_over", crate::community_org::posts_over),
    ("hygiene.basis", hygiene_basis),
    ("hygiene.power_type", hygiene_power_type),
    ("hygiene.duplicate_code", hygiene_duplicate_code),
    ("hygiene.required_fields", hygiene_required_fields),
];

/// Run the wanted rules in order, asking `go_on(index, count, id)` before each (`index` counts
/// the wanted rules only, `count` is how many there are). Stops before the next rule and answers
/// `false` when `go_on` does; a rule itself is never interrupted.
pub fn run_all(
    data: &Data<'_>,
    wanted: &dyn Fn(&str) -> bool,
    out: &mut Out,
    go_on: &mut dyn FnMut(usize, usize, &'static str) -> bool,
) -> bool {
    let chosen: Vec<(&'static str, Rule)> = ALL.into_iter().filter(|(id, _)| wanted(id)).collect();
    let count = chosen.len();
    for (index, (id, rule)) in chosen.into_iter().enumerate() {
        if !go_on(index, count, id) {
            return false;
        }
        rule(data, out);
    }
    true
}

pub fn similarity_evidence(score: f64, left: &str, right: &str) -> Evidence {
    Evidence::Similarity {
        score: (score * 1000.0).round() / 1000.0,
        left: mark_shared(left, right),
        right: mark_shared(right, left),
        confidence: None,
        shared_basis: Vec::new(),
        reasons: Vec::new(),
    }
}

// ---------------------------------------------------------------- overlap

/// Same normalized duty led by two units of one jurisdiction. Items repeated inside one unit's
/// list (one row per level, `docs/domain.md` §2) are not an overlap.
fn overlap_exact(data: &Data<'_>, out: &mut Out) {
    for j in &data.bundle.jurisdictions {
        let mut by_name: BTreeMap<&str, BTreeMap<Id, Id>> = BTreeMap::new();
        for placed in data.items_of(j.id, &[ListKind::Power, ListKind::StreetBasic]) {
            let Some(owner) = data.owner(placed) else { continue };
            let name = data.norm(placed.item.id);
            if name.is_empty() {
                continue;
            }
            by_name.entry(name).or_default().entry(owner).or_insert(placed.item.id);
        }
        for owners in by_name.values().filter(|o| o.len() > 1) {
            let units: Vec<&str> = owners.keys().map(|u| data.unit_name(*u)).collect();
            let first = owners.values().next().copied().unwrap_or(0);
            let name = data.items.get(&first).map_or("", |p| p.item.name.as_str());
            out.push(RawFinding {
                rule: "overlap.exact",
                message: format!("“{name}”同时由{}承担（{}）", units.join("、"), data.jurisdiction_name(j.id)),
                subjects: owners.values().map(|i| data.item_subject(*i)).collect(),
                evidence: facts(
                    owners
                        .iter()
                        .map(|(u, i)| {
                            let list = data.items.get(i).map_or("", |p| p.list.name.as_str());
                            format!("{}：{}", data.unit_name(*u), list)
                        })
                        .collect(),
                ),
            });
        }
    }
}

/// A district's duties by normalized name: (item, owning unit) of each holder.
type DutyIndex<'a> = HashMap<&'a str, Vec<(Id, Id)>>;

/// A duty led by a district department and also by a street (基本履职), or a street's 配合
/// item naming another lead than the department that holds the duty.
fn cross_level(data: &Data<'_>, out: &mut Out) {
    // Each district's duties, indexed once for all of its streets.
    let mut by_district: HashMap<Id, DutyIndex<'_>> = HashMap::new();
    for street in data.jurisdictions_at(Level::Street) {
        let Some(district) = street.parent else { continue };
        let district_duties = by_district.entry(district).or_insert_with(|| {
            let mut duties: DutyIndex<'_> = HashMap::new();
            for placed in data.items_of(district, &[ListKind::Power]) {
                if let Some(owner) = data.owner(placed) {
                    let entry = duties.entry(data.norm(placed.item.id)).or_default();
                    if !entry.iter().any(|(_, o)| *o == owner) {
                        entry.push((placed.item.id, owner));
                    }
                }
            }
            duties
        });
        for placed in data.items_of(street.id, &[ListKind::StreetBasic, ListKind::StreetCoordination]) {
            let Some(holders) = district_duties.get(data.norm(placed.item.id)) else { continue };
            let lead = placed.item.coordination.as_ref().and_then(|c| c.lead_unit);
            let is_coordination = placed.list.kind == ListKind::StreetCoordination;
            if is_coordination && holders.iter().any(|(_, owner)| Some(*owner) == lead) {
                continue;
            }
            let departments: Vec<&str> = holders.iter().map(|(_, o)| data.unit_name(*o)).collect();
            let message = if is_coordination {
                format!(
                    "{}配合履职事项“{}”的主责部门为{}，但该职责在区级由{}承担",
                    street.name,
                    placed.item.name,
                    lead.map_or("（未填）", |l| data.unit_name(l)),
                    departments.join("、")
                )
            } else {
                format!(
                    "“{}”既在{}基本履职事项中，又由区级{}承担：应明确由一个层级负责，或改为配合履职事项",
                    placed.item.name,
                    street.name,
                    departments.join("、")
                )
            };
            let mut subjects = vec![data.item_subject(placed.item.id)];
            subjects.extend(holders.iter().map(|(i, _)| data.item_subject(*i)));
            out.push(RawFinding {
                rule: "cross_level",
                message,
                subjects,
                evidence: facts(vec![
                    format!("街道：{}（{}）", placed.list.name, placed.list.kind.label()),
                    format!("区级：{}", departments.join("、")),
                ]),
            });
        }
    }
}

// ---------------------------------------------------------------- street three-part list

fn street_coordination(data: &Data<'_>, out: &mut Out) {
    for list in data.bundle.lists.iter().filter(|l| l.kind == ListKind::StreetCoordination) {
        for item in &list.items {
            let mut problems = Vec::new();
            match &item.coordination {
                None => problems.push("未填写主责部门、上级部门职责和街道配合职责".to_string()),
                Some(c) => {
                    if c.lead_unit.is_none() && blank(&c.lead_unit_text) {
                        problems.push("未填写主责部门".into());
                    }
                    match (blank(&c.superior_duty), blank(&c.street_duty)) {
                        (true, true) => problems.push("上级部门职责和街道配合职责均为空".into()),
                        (true, false) => problems.push("上级部门职责为空".into()),
                        (false, true) => problems.push("街道配合职责为空".into()),
                        (false, false) => {
                            let same = |t: &Option<String>| {
                                crate::normalize::normalize(t.as_deref().unwrap_or(""), &data.pack.normalize)
                            };
                            if same(&c.superior_duty) == same(&c.street_duty) {
                                problems.push("上级部门职责与街道配合职责内容相同，边界不清".into());
                            }
                        }
                    }
                }
            }
            if !problems.is_empty() {
                out.push(RawFinding {
                    rule: "street.coordination",
                    message: format!("配合履职事项“{}”：{}", item.name, problems.join("；")),
                    subjects: vec![data.item_subject(item.id)],
                    evidence: facts(problems),
                });
            }
        }
    }
}

fn street_withdrawal(data: &Data<'_>, out: &mut Out) {
    for list in data.bundle.lists.iter().filter(|l| l.kind == ListKind::StreetWithdrawn) {
        for item in &list.items {
            let mut missing = Vec::new();
            let w = item.withdrawal.as_ref();
            if w.is_none_or(|w| w.receiving_unit.is_none() && blank(&w.receiving_unit_text)) {
                missing.push("承接部门");
            }
            if w.is_none_or(|w| blank(&w.working_method)) {
                missing.push("工作方式");
            }
            if !missing.is_empty() {
                out.push(RawFinding {
                    rule: "street.withdrawal",
                    message: format!("收回事项“{}”未填写{}", item.name, missing.join("和")),
                    subjects: vec![data.item_subject(item.id)],
                    evidence: facts(missing.iter().map(|m| format!("缺少：{m}")).collect()),
                });
            }
        }
    }
}

/// A duty the district took back that the same street still lists as its own or as 配合.
fn withdrawn_still_done(data: &Data<'_>, out: &mut Out) {
    let threshold = data.pack.near_duplicate.threshold;
    for street in data.jurisdictions_at(Level::Street) {
        let withdrawn = data.items_of(street.id, &[ListKind::StreetWithdrawn]);
        let active = data.items_of(street.id, &[ListKind::StreetBasic, ListKind::StreetCoordination]);
        if withdrawn.is_empty() || active.is_empty() {
            continue;
        }
        let ids: Vec<Id> = withdrawn.iter().chain(&active).map(|p| p.item.id).collect();
        let split = withdrawn.len();
        let mut vocabulary = crate::normalize::Vocabulary::default();
        let sets = data.gram_sets(&ids, &mut vocabulary);
        let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
        for a in 0..split {
            for b in split..ids.len() {
                if data.norm(ids[a]) == data.norm(ids[b]) && !data.norm(ids[a]).is_empty() {
                    pairs.push((a, b, 1.0));
                }
            }
        }
        let sides: Vec<u32> = (0..ids.len()).map(|k| u32::from(k >= split)).collect();
        pairs.extend(similar_pairs(&sets, &sides, threshold, |a, b| data.norm(ids[a]) != data.norm(ids[b])));
        for (a, b, score) in pairs {
            let (gone, still) = (&withdrawn[a], &active[b - split]);
            out.push(RawFinding {
                rule: "street.withdrawn_still_done",
                message: format!(
                    "“{}”已列为上级部门收回事项，但{}的{}中仍有“{}”",
                    gone.item.name,
                    street.name,
                    still.list.kind.label(),
                    still.item.name
                ),
                subjects: vec![data.item_subject(gone.item.id), data.item_subject(still.item.id)],
                evidence: similarity_evidence(score, &gone.item.name, &still.item.name),
            });
        }
    }
}

// ---------------------------------------------------------------- community admission

/// Names (normalized) of what a community is admitted to do: 依法履职 and 协助政府 items.
fn admitted_names<'a>(data: &'a Data<'_>, community: Id) -> BTreeSet<&'a str> {
    data.items_of(community, &[ListKind::CommunityByLaw, ListKind::CommunityAssist])
        .into_iter()
        .map(|p| data.norm(p.item.id))
        .collect()
}

fn community_not_admitted(data: &Data<'_>, out: &mut Out) {
    for community in data.jurisdictions_at(Level::Community) {
        // (a) An item on the 协助 list whose admission request was not granted.
        for placed in data.items_of(community.id, &[ListKind::CommunityAssist]) {
            let request = placed
                .item
                .assistance
                .as_ref()
                .and_then(|a| a.admission_request)
                .and_then(|r| data.requests.get(&r));
            if let Some(request) = request {
                if request.state != AdmissionState::Admitted {
                    out.push(RawFinding {
                        rule: "community.not_admitted",
                        message: format!(
                            "“{}”已列入{}协助政府工作事项清单，但其准入申请处于“{}”状态，未经准入",
                            placed.item.name,
                            community.name,
                            request.state.label()
                        ),
                        subjects: vec![data.item_subject(placed.item.id), data.request_subject(request.id)],
                        evidence: facts(vec![format!(
                            "申请部门：{}；申请日期：{}",
                            request.applicant_unit_text.as_deref().unwrap_or("（未填）"),
                            request.applied_on
                        )]),
                    });
                }
            } else if let Some(list_version) = data
                .bundle
                .versions
                .iter()
                .filter(|v| v.list == placed.list.id)
                .max_by_key(|v| v.number)
            {
                // (b) Added to a published list afterwards without an admission request.
                if !data.published.contains(&(placed.list.id, data.norm(placed.item.id).to_string())) {
                    out.push(RawFinding {
                        rule: "community.not_admitted",
                        message: format!(
                            "“{}”不在{}已公布的协助政府工作事项清单（第 {} 版）中，也没有准入申请",
                            placed.item.name, community.name, list_version.number
                        ),
                        subjects: vec![data.item_subject(placed.item.id)],
                        evidence: facts(vec![format!("清单：{}", placed.list.name)]),
                    });
                }
            }
        }
        // (c) Work the community does (服务清单, its bodies' 任务清单) that is on no admission list.
        let admitted = admitted_names(data, community.id);
        for placed in data.items_of(community.id, &[ListKind::CommunityService, ListKind::UnitTasks]) {
            if !admitted.contains(data.norm(placed.item.id)) {
                out.push(RawFinding {
                    rule: "community.not_admitted",
                    message: format!(
                        "{}承担的“{}”不在其依法履职或协助政府工作事项清单中（擅自下放）",
                        community.name, placed.item.name
                    ),
                    subjects: vec![data.item_subject(placed.item.id)],
                    evidence: facts(vec![format!("出现在：{}", placed.list.name)]),
                });
            }
        }
        // (d) A refused or revoked request whose work is on the community's lists anyway.
        for request in data
            .bundle
            .admission_requests
            .iter()
            .filter(|r| r.community == community.id)
            .filter(|r| matches!(r.state, AdmissionState::Rejected | AdmissionState::Revoked))
        {
            let name = crate::normalize::normalize(&request.item_name, &data.pack.normalize);
            for placed in data.items_of(community.id, &[ListKind::CommunityAssist, ListKind::CommunityService]) {
                let linked = placed.item.assistance.as_ref().and_then(|a| a.admission_request) == Some(request.id);
                if !linked && data.norm(placed.item.id) == name {
                    out.push(RawFinding {
                        rule: "community.not_admitted",
                        message: format!(
                            "准入申请“{}”已{}，但该工作仍在{}的{}中",
                            request.item_name,
                            request.state.label(),
                            community.name,
                            placed.list.name
                        ),
                        subjects: vec![data.item_subject(placed.item.id), data.request_subject(request.id)],
                        evidence: facts(vec![format!(
                            "审核意见：{}",
                            request.review_opinion.as_deref().unwrap_or("（无）")
                        )]),
                    });
                }
            }
        }
    }
}

/// 费随事转、人随事走: every 协助 item must come with funding and staff.
fn community_unfunded(data: &Data<'_>, out: &mut Out) {
    for list in data.bundle.lists.iter().filter(|l| l.kind == ListKind::CommunityAssist) {
        for item in &list.items {
            let (funding, staff) = match &item.assistance {
                None => (true, true),
                Some(a) => (a.funding.is_empty(), a.staff.is_empty()),
            };
            let mut missing = Vec::new();
            if funding {
                missing.push("经费（费随事转）");
            }
            if staff {
                missing.push("人员（人随事走）");
            }
            if !missing.is_empty() {
                out.push(RawFinding {
                    rule: "community.unfunded",
                    message: format!("协助政府工作事项“{}”未落实{}", item.name, missing.join("和")),
                    subjects: vec![data.item_subject(item.id)],
                    evidence: facts(missing.iter().map(|m| format!("缺少：{m}")).collect()),
                });
            }
        }
    }
}

fn community_negative_list(data: &Data<'_>, out: &mut Out) {
    let threshold = data.pack.near_duplicate.threshold;
    for community in data.jurisdictions_at(Level::Community) {
        let negative = data.items_of(community.id, &[ListKind::CommunityNegative]);
        if negative.is_empty() {
            continue;
        }
        let work = data.items_of(
            community.id,
            &[ListKind::CommunityByLaw, ListKind::CommunityAssist, ListKind::CommunityService, ListKind::UnitTasks],
        );
        let ids: Vec<Id> = negative.iter().chain(&work).map(|p| p.item.id).collect();
        let split = negative.len();
        let mut vocabulary = crate::normalize::Vocabulary::default();
        let sets = data.gram_sets(&ids, &mut vocabulary);
        let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
        for a in 0..split {
            for b in split..ids.len() {
                let (x, y) = (data.norm(ids[a]), data.norm(ids[b]));
                // A negative entry is often a short phrase (招商引资) inside a longer work name.
                if !x.is_empty() && (x == y || (x.chars().count() >= 4 && y.contains(x))) {
                    pairs.push((a, b, 1.0));
                }
            }
        }
        let exact: BTreeSet<(usize, usize)> = pairs.iter().map(|p| (p.0, p.1)).collect();
        let sides: Vec<u32> = (0..ids.len()).map(|k| u32::from(k >= split)).collect();
        pairs.extend(
            similar_pairs(&sets, &sides, threshold, |_, _| true)
                .into_iter()
                .filter(|p| !exact.contains(&(p.0, p.1))),
        );
        for (a, b, score) in pairs {
            let (bad, done) = (&negative[a], &work[b - split]);
            out.push(RawFinding {
                rule: "community.negative_list",
                message: format!(
                    "{}的{}中有“{}”，属于负面清单事项“{}”，不得由社区承担",
                    community.name,
                    done.list.kind.label(),
                    done.item.name,
                    bad.item.name
                ),
                subjects: vec![data.item_subject(done.item.id), data.item_subject(bad.item.id)],
                evidence: similarity_evidence(score, &done.item.name, &bad.item.name),
            });
        }
    }
}

/// A certificate the community may not issue (不得出具) that appears among its work anyway.
fn community_certificate(data: &Data<'_>, out: &mut Out) {
    for community in data.jurisdictions_at(Level::Community) {
        let forbidden: Vec<Placed<'_>> = data.items_of(community.id, &[ListKind::CommunityCertificate])
            .into_iter()
            .filter(|p| p.item.certificate_allowed == Some(false))
            .collect();
        if forbidden.is_empty() {
            continue;
        }
        let work = data.items_of(
            community.id,
            &[ListKind::CommunityByLaw, ListKind::CommunityAssist, ListKind::CommunityService, ListKind::UnitTasks],
        );
        for bad in &forbidden {
            let name = data.norm(bad.item.id);
            for done in work.iter().filter(|p| !name.is_empty() && data.norm(p.item.id).contains(name)) {
                out.push(RawFinding {
                    rule: "community.certificate",
                    message: format!(
                        "“{}”已列为{}不得出具的证明，但{}中仍有“{}”",
                        bad.item.name, community.name, done.list.name, done.item.name
                    ),
                    subjects: vec![data.item_subject(done.item.id), data.item_subject(bad.item.id)],
                    evidence: facts(vec![format!("证明事项清单：{}", bad.list.name)]),
                });
            }
        }
    }
}

// ---------------------------------------------------------------- org chart and staffing

/// Big departments: the top-level administrative units and centres of a street.
fn big_departments<'a>(data: &Data<'a>, street: Id) -> Vec<&'a quanze_domain::Unit> {
    data.bundle
        .units
        .iter()
        .filter(|u| u.jurisdiction == street && u.parent.is_none())
        .filter(|u| u.template_slot.is_some() || matches!(u.kind, UnitKind::Administrative | UnitKind::Institution))
        .collect()
}

fn org_leader_in_charge(data: &Data<'_>, out: &mut Out) {
    for street in data.jurisdictions_at(Level::Street) {
        for unit in big_departments(data, street.id) {
            let leaders = &unit.leaders_in_charge;
            if leaders.len() == 1 {
                continue;
            }
            let message = if leaders.is_empty() {
                format!("{}的{}没有分管领导", street.name, unit.name)
            } else {
                let names: Vec<String> = leaders.iter().map(|l| data.leader_subject(*l).label).collect();
                format!("{}的{}由 {} 位领导分管（交叉分管）：{}", street.name, unit.name, leaders.len(), names.join("、"))
            };
            let mut subjects = vec![data.unit_subject(unit.id)];
            subjects.extend(leaders.iter().map(|l| data.leader_subject(*l)));
            out.push(RawFinding {
                rule: "org.leader_in_charge",
                message,
                subjects,
                evidence: Evidence::Figures {
                    measure: "分管领导人数".into(),
                    actual: i64::try_from(leaders.len()).unwrap_or(i64::MAX),
                    limit: "恰好 1 位".into(),
                },
            });
        }
    }
}

fn org_leader_spread(data: &Data<'_>, out: &mut Out) {
    let limit = data.pack.org.max_departments_per_leader;
    for street in data.jurisdictions_at(Level::Street) {
        let mut charge: BTreeMap<Id, Vec<Id>> = BTreeMap::new();
        for unit in big_departments(data, street.id) {
            for leader in &unit.leaders_in_charge {
                charge.entry(*leader).or_default().push(unit.id);
            }
        }
        for (leader, units) in charge.into_iter().filter(|(_, u)| u.len() > limit) {
            let names: Vec<&str> = units.iter().map(|u| data.unit_name(*u)).collect();
            let mut subjects = vec![data.leader_subject(leader)];
            subjects.extend(units.iter().map(|u| data.unit_subject(*u)));
            out.push(RawFinding {
                rule: "org.leader_spread",
                message: format!(
                    "{}同时分管 {} 个大部门：{}",
                    data.leader_subject(leader).label,
                    units.len(),
                    names.join("、")
                ),
                subjects,
                evidence: Evidence::Figures {
                    measure: "分管大部门数".into(),
                    actual: i64::try_from(units.len()).unwrap_or(i64::MAX),
                    limit: format!("不超过 {limit} 个"),
                },
            });
        }
    }
}

fn org_template_slots(data: &Data<'_>, out: &mut Out) {
    for j in &data.bundle.jurisdictions {
        let Some(template_id) = &j.org_template else { continue };
        let Some(template) = data.templates.iter().find(|t| &t.id == template_id) else {
            out.push(RawFinding {
                rule: "org.template_slots",
                message: format!("{}使用的机构设置模板“{template_id}”不存在", j.name),
                subjects: vec![data.jurisdiction_subject(j.id)],
                evidence: facts(vec![format!("模板：{template_id}")]),
            });
            continue;
        };
        let units: Vec<&quanze_domain::Unit> = data
            .bundle
            .units
            .iter()
            .filter(|u| u.jurisdiction == j.id && u.parent.is_none())
            .collect();
        let fills = |slot: &quanze_domain::TemplateSlot, u: &quanze_domain::Unit| slot.is_filled_by(u);
        let missing: Vec<&str> = template
            .slots
            .iter()
            .filter(|slot| !units.iter().any(|u| fills(slot, u)))
            .map(|slot| slot.name.as_str())
            .collect();
        let extra: Vec<&quanze_domain::Unit> = units
            .iter()
            .copied()
            .filter(|u| matches!(u.kind, UnitKind::Administrative | UnitKind::Institution))
            .filter(|u| !template.slots.iter().any(|slot| fills(slot, u)))
            .collect();
        if missing.is_empty() && extra.is_empty() {
            continue;
        }
        let mut lines = Vec::new();
        if !missing.is_empty() {
            lines.push(format!("缺少：{}", missing.join("、")));
        }
        if !extra.is_empty() {
            lines.push(format!(
                "模板外：{}",
                extra.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join("、")
            ));
        }
        let mut subjects = vec![data.jurisdiction_subject(j.id)];
        subjects.extend(extra.iter().map(|u| data.unit_subject(u.id)));
        out.push(RawFinding {
            rule: "org.template_slots",
            message: format!("{}的机构设置与“{}”模板不符：{}", j.name, template.name, lines.join("；")),
            subjects,
            evidence: facts(lines),
        });
    }
}

fn org_staffing_range(data: &Data<'_>, out: &mut Out) {
    for j in &data.bundle.jurisdictions {
        let Some(template_id) = &j.org_template else { continue };
        let range = data
            .templates
            .iter()
            .find(|t| &t.id == template_id)
            .and_then(|t| t.admin_posts)
            .or_else(|| data.pack.staffing_ranges.get(template_id).copied());
        let Some(range) = range else { continue };
        let posts: Vec<u32> = data
            .bundle
            .units
            .iter()
            .filter(|u| u.jurisdiction == j.id)
            .filter_map(|u| u.staffing.admin_posts)
            .collect();
        if posts.is_empty() {
            continue;
        }
        let total: u32 = posts.iter().sum();
        if !range.contains(total) {
            out.push(RawFinding {
                rule: "org.staffing_range",
                message: format!(
                    "{}行政编制合计 {total} 名，{}模板范围 {}–{} 名",
                    j.name,
                    if total < range.min { "低于" } else { "超出" },
                    range.min,
                    range.max
                ),
                subjects: vec![data.jurisdiction_subject(j.id)],
                evidence: Evidence::Figures {
                    measure: "行政编制合计".into(),
                    actual: i64::from(total),
                    limit: format!("{}–{}", range.min, range.max),
                },
            });
        }
    }
}

fn org_over_staffed(data: &Data<'_>, out: &mut Out) {
    for unit in &data.bundle.units {
        let (Some(actual), Some(posts)) = (unit.staffing.actual_headcount, unit.staffing.total_posts()) else {
            continue;
        };
        if actual > posts {
            out.push(RawFinding {
                rule: "org.over_staffed",
                message: format!("{}实有 {actual} 人，超过编制 {posts} 名（超编 {} 人）", data.unit_subject(unit.id).label, actual - posts),
                subjects: vec![data.unit_subject(unit.id)],
                evidence: Evidence::Figures {
                    measure: "实有人数".into(),
                    actual: i64::from(actual),
                    limit: format!("编制 {posts}"),
                },
            });
        }
    }
}

fn org_over_leader_posts(data: &Data<'_>, out: &mut Out) {
    for unit in &data.bundle.units {
        let (Some(actual), Some(approved)) = (unit.staffing.leader_posts_actual, unit.staffing.leader_posts_approved) else {
            continue;
        };
        if actual > approved {
            out.push(RawFinding {
                rule: "org.over_leader_posts",
                message: format!("{}实配领导 {actual} 名，超过核定领导职数 {approved} 名", data.unit_subject(unit.id).label),
                subjects: vec![data.unit_subject(unit.id)],
                evidence: Evidence::Figures {
                    measure: "实配领导职数".into(),
                    actual: i64::from(actual),
                    limit: format!("核定 {approved}"),
                },
            });
        }
    }
}

/// Each 基本履职 duty of a street should be in exactly one department's 职责清单.
fn org_duty_coverage(data: &Data<'_>, out: &mut Out) {
    for street in data.jurisdictions_at(Level::Street) {
        let duty_lists: Vec<&quanze_domain::DutyList> = data
            .lists_of(street.id, ListKind::UnitDuties)
            .filter(|l| l.unit.is_some())
            .collect();
        if duty_lists.is_empty() {
            continue;
        }
        let mut holders: HashMap<&str, BTreeMap<Id, Id>> = HashMap::new();
        for list in &duty_lists {
            for item in &list.items {
                if let Some(unit) = list.unit {
                    holders.entry(data.norm(item.id)).or_default().entry(unit).or_insert(item.id);
                }
            }
        }
        // 交叉: one duty in two departments' 职责清单.
        let mut crossed: Vec<(&str, &BTreeMap<Id, Id>)> =
            holders.iter().filter(|(_, u)| u.len() > 1).map(|(n, u)| (*n, u)).collect();
        crossed.sort_by_key(|(n, _)| *n);
        for (_, units) in crossed {
            let names: Vec<&str> = units.keys().map(|u| data.unit_name(*u)).collect();
            let first = units.values().next().copied().unwrap_or(0);
            out.push(RawFinding {
                rule: "org.duty_coverage",
                message: format!(
                    "{}的职责“{}”同时列入{}的职责清单（交叉）",
                    street.name,
                    data.items.get(&first).map_or("", |p| p.item.name.as_str()),
                    names.join("、")
                ),
                subjects: units.values().map(|i| data.item_subject(*i)).collect(),
                evidence: facts(names.iter().map(|n| format!("{n}职责清单")).collect()),
            });
        }
        // 空白: a 基本履职 duty in no department's 职责清单 — judged once the mapping is substantial.
        let basic = data.items_of(street.id, &[ListKind::StreetBasic]);
        let uncovered: Vec<&Placed<'_>> = basic.iter().filter(|p| !holders.contains_key(data.norm(p.item.id))).collect();
        if basic.is_empty() {
            continue;
        }
        let covered_share = 1.0 - uncovered.len() as f64 / basic.len() as f64;
        if covered_share >= data.pack.org.coverage_judged_from {
            for placed in uncovered {
                out.push(RawFinding {
                    rule: "org.duty_coverage",
                    message: format!("{}基本履职事项“{}”未列入任何部门的职责清单（空白）", street.name, placed.item.name),
                    subjects: vec![data.item_subject(placed.item.id)],
                    evidence: facts(vec![format!("已覆盖 {:.0}%", covered_share * 100.0)]),
                });
            }
        }
    }
}

// ---------------------------------------------------------------- hygiene

fn power_items<'a>(data: &Data<'a>) -> impl Iterator<Item = Placed<'a>> + 'a {
    data.bundle
        .lists
        .iter()
        .filter(|l| l.kind == ListKind::Power)
        .flat_map(|list| list.items.iter().map(move |item| Placed { list, item }))
}

fn hygiene_basis(data: &Data<'_>, out: &mut Out) {
    for placed in power_items(data) {
        let is_power = placed.item.power_type.as_deref().and_then(PowerType::parse).is_some();
        if is_power && blank(&placed.item.basis) {
            out.push(RawFinding {
                rule: "hygiene.basis",
                message: format!(
                    "{}事项“{}”没有实施依据",
                    placed.item.power_type.as_deref().unwrap_or(""),
                    placed.item.name
                ),
                subjects: vec![data.item_subject(placed.item.id)],
                evidence: facts(vec![format!("清单：{}", placed.list.name)]),
            });
        }
    }
}

fn hygiene_power_type(data: &Data<'_>, out: &mut Out) {
    for placed in power_items(data) {
        let Some(written) = placed.item.power_type.as_deref().filter(|t| !t.trim().is_empty()) else { continue };
        if PowerType::parse(written).is_none() {
            out.push(RawFinding {
                rule: "hygiene.power_type",
                message: format!("事项“{}”的权力类型“{written}”不属于十类行政权力", placed.item.name),
                subjects: vec![data.item_subject(placed.item.id)],
                evidence: facts(vec![format!(
                    "应为：{}",
                    PowerType::ALL.map(PowerType::label).join("、")
                )]),
            });
        }
    }
}

/// One code on two different duties. The same item repeated once per level in one list keeps its
/// code and is not reported.
fn hygiene_duplicate_code(data: &Data<'_>, out: &mut Out) {
    for j in &data.bundle.jurisdictions {
        let mut by_code: BTreeMap<&str, Vec<Placed<'_>>> = BTreeMap::new();
        for list in data.bundle.lists.iter().filter(|l| l.jurisdiction == j.id) {
            for item in &list.items {
                if let Some(code) = item.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                    by_code.entry(code).or_default().push(Placed { list, item });
                }
            }
        }
        for (code, items) in by_code {
            let mut distinct: Vec<Placed<'_>> = Vec::new();
            for p in items {
                let repeat = distinct
                    .iter()
                    .any(|d| d.list.id == p.list.id && data.norm(d.item.id) == data.norm(p.item.id));
                if !repeat {
                    distinct.push(p);
                }
            }
            if distinct.len() > 1 {
                out.push(RawFinding {
                    rule: "hygiene.duplicate_code",
                    message: format!(
                        "编码 {code} 被 {} 个不同事项使用：{}",
                        distinct.len(),
                        distinct.iter().map(|p| format!("“{}”", p.item.name)).collect::<Vec<_>>().join("、")
                    ),
                    subjects: distinct.iter().map(|p| data.item_subject(p.item.id)).collect(),
                    evidence: facts(vec![format!("编码：{code}")]),
                });
            }
        }
    }
}

fn hygiene_required_fields(data: &Data<'_>, out: &mut Out) {
    for list in &data.bundle.lists {
        let Some(fields) = data.pack.required_fields.get(list.kind.label()) else { continue };
        for item in &list.items {
            let Ok(value) = serde_json::to_value(item) else { continue };
            let missing: Vec<&str> = fields
                .iter()
                .filter(|f| match value.get(f.as_str()) {
                    None | Some(serde_json::Value::Null) => true,
                    Some(serde_json::Value::String(s)) => s.trim().is_empty(),
                    Some(_) => false,
                })
                .map(|f| field_label(f))
                .collect();
            if !missing.is_empty() {
                out.push(RawFinding {
                    rule: "hygiene.required_fields",
                    message: format!("“{}”缺少{}", item.name, missing.join("、")),
                    subjects: vec![data.item_subject(item.id)],
                    evidence: facts(missing.iter().map(|m| format!("缺少：{m}")).collect()),
                });
            }
        }
    }
}

fn field_label(field: &str) -> &str {
    match field {
        "power_type" => "权力类型",
        "basis" => "实施依据",
        "subject" => "行使主体",
        "handling_unit" => "承办机构",
        "code" => "事项编码",
        "certificate_allowed" => "是否可出具",
        "category" => "类别",
        "responsibility" => "责任事项内容",
        other => other,
    }
}
