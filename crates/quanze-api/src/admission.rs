//! The community admission process (社区工作事项准入): a department applies to put a piece of
//! work on a community's 协助政府 list; the 编办 reviews it and admits or rejects it; an
//! admitted request may later be revoked.
//!
//! 申请 → 审核中 → 准入 / 驳回, and 准入 → 撤销 ([`AdmissionState::can_move_to`]). Each move is
//! kept in the request's `history` and, like every write, in the audit log.
//!
//! Admitting creates the work item on the community's 协助政府 list (creating that list when
//! the community has none yet), carrying the applicant, the funding and the staff that come
//! with the work (费随事转、人随事走) and a link back to the request. Revoking takes that item
//! off the list again — the audit log keeps it, and the request's link to it is cleared — so that the published list and the process
//! never disagree; the checks flag a linked item whose request is no longer admitted.

use chrono::NaiveDate;
use quanze_domain::{
    AdmissionRequest, AdmissionState, AdmissionStep, Assistance, Funding, Id, Item, Jurisdiction,
    Level, ListKind, StaffSupport, WorkCalendar,
};
use quanze_store::ItemRecord;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::lookup::find_or_create_list;
use crate::{Api, ApiError, ErrorCode};

/// What a department fills in to apply (新申请).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct AdmissionApplication {
    /// The community the work would go to — or a street, meaning every community of it.
    pub community: Id,
    /// Further communities or streets the same work is asked for. With them (or a street) the
    /// application makes one request per community, in one write, sharing one `batch` mark.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_places: Vec<Id>,
    /// The applying department, when it is a known unit.
    pub applicant_unit: Option<Id>,
    /// The applying department as written; filled from the unit when left empty.
    pub applicant_unit_text: Option<String>,
    pub item_name: String,
    pub content: Option<String>,
    pub reason: String,
    /// 依据 (law or policy).
    pub basis: Option<String>,
    pub funding: Funding,
    pub staff: StaffSupport,
    #[ts(type = "string")]
    pub applied_on: NaiveDate,
    /// The date the work would start; an application fewer than 30 working days before it is
    /// accepted with a warning (and flagged by `community.admission_late`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_start: Option<NaiveDate>,
}

/// One move of a request: to which state, on which date, with which opinion and 文号.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AdmissionDecision {
    pub request: Id,
    pub to: AdmissionState,
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// 审核意见 (required to reject), or the reason for a revocation (required to revoke).
    pub opinion: Option<String>,
    /// 文号 of the decision.
    pub doc_no: Option<String>,
    /// Why the request is admitted although the gate objects (负面清单, a certificate not to be
    /// issued, missing funding or staff). Without it such a request is refused with code
    /// `admission_refused`; with it, the objections and this reason go into the request's
    /// history and the audit entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
}

/// The requests an application made (one per community), and what the applicant should know
/// although it was accepted: filed late, or dated in a year the holiday calendar lacks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AdmissionApplied {
    pub requests: Vec<AdmissionRequest>,
    pub warnings: Vec<String>,
}

/// The request after the move, and the 协助政府 item it created (准入) or removed (撤销).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AdmissionOutcome {
    pub request: AdmissionRequest,
    pub item: Option<Item>,
    /// The gate's objections this 准入 overrode with the decision's `override_reason` (empty
    /// when it had none). The checks still report the admitted item: an override is recorded,
    /// not hidden.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overridden: Vec<String>,
}

/// What the applicant is told although the application is accepted.
fn application_warnings(
    calendar: &WorkCalendar,
    applied_on: NaiveDate,
    planned_start: Option<NaiveDate>,
    deadline: NaiveDate,
) -> Vec<String> {
    let mut warnings = Vec::new();
    if let Some(start) = planned_start {
        let ahead = calendar.working_days_after(applied_on, start);
        if ahead < quanze_checks::NOTICE_WORKING_DAYS {
            warnings.push(format!(
                "申请日期 {applied_on} 距计划开始日期 {start} 只有 {ahead} 个工作日，不足 {} 个工作日：已受理，检查时将提示",
                quanze_checks::NOTICE_WORKING_DAYS
            ));
        }
    }
    let mut dates = vec![applied_on, deadline];
    dates.extend(planned_start);
    if let Some(date) = dates.iter().find(|d| !calendar.covers(**d)) {
        warnings.push(format!("节假日日历未列出 {} 年，该年只按周末计算工作日", date.format("%Y")));
    }
    warnings
}

fn filled(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

impl Api {
    /// Admission requests, oldest first; only one community's when `community` is given.
    pub fn admission_requests(&self, community: Option<Id>) -> Result<Vec<AdmissionRequest>, ApiError> {
        let mut requests = self.store.reader().admission_requests()?;
        if let Some(community) = community {
            requests.retain(|r| r.community == community);
        }
        requests.sort_by_key(|r| (r.applied_on, r.id));
        Ok(requests)
    }

    /// Record a new application (state 申请) for one community. A street, or more places, are
    /// refused here: [`Api::apply_for_admissions`] makes one request per community.
    pub fn apply_for_admission(
        &mut self,
        application: AdmissionApplication,
        actor: &str,
    ) -> Result<AdmissionRequest, ApiError> {
        let communities = self.admission_places(&application)?;
        if communities.len() != 1 {
            return Err(ApiError::invalid_input(format!(
                "该申请涉及 {} 个社区，请按批量申请办理（每个社区一个申请）",
                communities.len()
            )));
        }
        let applied = self.apply_for_admissions(application, actor)?;
        applied
            .requests
            .into_iter()
            .next()
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "申请未能登记"))
    }

    /// Record an application (state 申请) for every community it names — `community` and
    /// `more_places`, a street standing for each of its communities — in one write: one request
    /// per community (one audit entry each), linked by a shared `batch` mark when there are
    /// several. Each request gets its decision deadline (15 working days after applying, by the
    /// shipped holiday calendar); one filed fewer than 30 working days before its planned start
    /// is accepted with a warning.
    pub fn apply_for_admissions(
        &mut self,
        application: AdmissionApplication,
        actor: &str,
    ) -> Result<AdmissionApplied, ApiError> {
        let communities = self.admission_places(&application)?;
        let reader = self.store.reader();
        let item_name = application.item_name.trim().to_string();
        if item_name.is_empty() {
            return Err(ApiError::invalid_input("请填写申请准入的工作事项名称"));
        }
        let reason = application.reason.trim().to_string();
        if reason.is_empty() {
            return Err(ApiError::invalid_input("请填写申请理由"));
        }
        let mut applicant_text = filled(&application.applicant_unit_text);
        if let Some(unit) = application.applicant_unit {
            let unit = reader
                .unit(unit)
                .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("找不到申请部门 #{unit}")))?;
            applicant_text.get_or_insert(unit.name);
        }
        if applicant_text.is_none() {
            return Err(ApiError::invalid_input("请选择或填写申请部门"));
        }
        let existing = reader.admission_requests()?;
        let duplicates: Vec<String> = communities
            .iter()
            .filter_map(|community| {
                existing
                    .iter()
                    .find(|r| {
                        r.community == community.id
                            && r.item_name.trim() == item_name
                            && matches!(r.state, AdmissionState::Applied | AdmissionState::UnderReview | AdmissionState::Admitted)
                    })
                    .map(|r| format!("{}（#{}，{}）", community.name, r.id, r.state.label()))
            })
            .collect();
        if !duplicates.is_empty() {
            return Err(ApiError::invalid_input(format!(
                "已有“{item_name}”的准入申请，不必重复申请：{}",
                duplicates.join("、")
            )));
        }
        let applied_on = application.applied_on;
        if let Some(start) = application.planned_start.filter(|start| *start < applied_on) {
            return Err(ApiError::invalid_input(format!("计划开始日期 {start} 早于申请日期 {applied_on}")));
        }
        let calendar = crate::shipped_calendar()?;
        let deadline = calendar.add_working_days(applied_on, quanze_checks::DECISION_WORKING_DAYS);
        let warnings = application_warnings(&calendar, applied_on, application.planned_start, deadline);
        let batch = (communities.len() > 1).then(quanze_domain::Uid::generate);
        let mut requests: Vec<AdmissionRequest> = communities
            .iter()
            .map(|community| AdmissionRequest {
                uid: None,
                id: 0,
                community: community.id,
                applicant_unit: application.applicant_unit,
                applicant_unit_text: applicant_text.clone(),
                item_name: item_name.clone(),
                content: filled(&application.content),
                reason: reason.clone(),
                basis: filled(&application.basis),
                funding: application.funding.clone(),
                staff: application.staff.clone(),
                applied_on,
                planned_start: application.planned_start,
                decision_deadline: Some(deadline),
                batch: batch.clone(),
                decided_on: None,
                effective_on: None,
                revoked_on: None,
                review_opinion: None,
                doc_no: None,
                state: AdmissionState::Applied,
                history: vec![AdmissionStep {
                    state: AdmissionState::Applied,
                    date: applied_on,
                    actor: Some(actor.to_string()),
                    note: None,
                }],
                admitted_item: None,
            })
            .collect();
        let places: Vec<&str> = communities.iter().map(|c| c.name.as_str()).collect();
        let why = match places.as_slice() {
            [one] => format!("准入申请：{item_name}（{one}）"),
            many => format!("准入申请：{item_name}（{} 个社区同批申请：{}）", many.len(), many.join("、")),
        };
        self.store.write(actor, Some(&why), |w| {
            for request in &mut requests {
                w.put(request)?;
            }
            Ok(())
        })?;
        Ok(AdmissionApplied { requests, warnings })
    }

    /// The communities an application names: `community` and `more_places`, each a community
    /// or a street (all of its communities), in the order given, without repeats.
    fn admission_places(&self, application: &AdmissionApplication) -> Result<Vec<Jurisdiction>, ApiError> {
        let reader = self.store.reader();
        let mut all: Option<Vec<Jurisdiction>> = None;
        let mut communities: Vec<Jurisdiction> = Vec::new();
        for id in std::iter::once(application.community).chain(application.more_places.iter().copied()) {
            let place = reader
                .jurisdiction(id)
                .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("找不到社区或街道 #{id}")))?;
            let found = match place.level {
                Level::Community => vec![place],
                Level::Street => {
                    let everything = match &mut all {
                        Some(everything) => everything,
                        None => all.insert(reader.jurisdictions()?),
                    };
                    let under: Vec<Jurisdiction> = everything
                        .iter()
                        .filter(|j| j.parent == Some(place.id) && j.level == Level::Community)
                        .cloned()
                        .collect();
                    if under.is_empty() {
                        return Err(ApiError::invalid_input(format!("{}下没有社区", place.name)));
                    }
                    under
                }
                Level::District => {
                    return Err(ApiError::invalid_input(format!(
                        "“{}”不是社区或街道，准入申请只能向社区（或一个街道的全部社区）提出",
                        place.name
                    )))
                }
            };
            for community in found {
                if !communities.iter().any(|c| c.id == community.id) {
                    communities.push(community);
                }
            }
        }
        Ok(communities)
    }

    /// Move a request one step (提交审核, 准入, 驳回, 撤销); see the module docs for what
    /// admitting and revoking do to the community's 协助政府 list.
    pub fn decide_admission(&mut self, decision: AdmissionDecision, actor: &str) -> Result<AdmissionOutcome, ApiError> {
        let reader = self.store.reader();
        let mut request = reader
            .admission_requests()?
            .into_iter()
            .find(|r| r.id == decision.request)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("找不到准入申请 #{}", decision.request)))?;
        let to = decision.to;
        let seen = request.state;
        if !request.state.can_move_to(to) {
            let allowed: Vec<&str> = request.state.next_states().into_iter().map(AdmissionState::label).collect();
            let next = if allowed.is_empty() {
                "该申请已办结，不能再改变状态".to_string()
            } else {
                format!("下一步只能是：{}", allowed.join("、"))
            };
            return Err(ApiError::invalid_input(format!(
                "准入申请“{}”处于“{}”状态，不能改为“{}”；{next}",
                request.item_name,
                request.state.label(),
                to.label()
            )));
        }
        let last = request.history.last().map_or(request.applied_on, |s| s.date);
        if decision.date < last {
            return Err(ApiError::invalid_input(format!(
                "日期 {} 早于上一步的日期 {last}",
                decision.date
            )));
        }
        let opinion = filled(&decision.opinion);
        let doc_no = filled(&decision.doc_no);
        if to.needs_opinion() && opinion.is_none() {
            return Err(ApiError::invalid_input(match to {
                AdmissionState::Revoked => "撤销准入须填写撤销理由",
                _ => "驳回申请须填写审核意见",
            }));
        }
        let community = reader.jurisdiction(request.community)?;
        // The gate: work the community may not take on is refused at 准入 unless a reason to
        // admit it anyway is recorded (docs/domain.md §4: the negative list is a wall).
        let mut override_note = None;
        let mut overridden = Vec::new();
        if to == AdmissionState::Admitted {
            let objections = gate_objections(&reader, &community, &request)?;
            let reasons: Vec<String> = objections.iter().map(|o| o.reason.clone()).collect();
            match filled(&decision.override_reason) {
                _ if objections.is_empty() => {}
                None => {
                    let message = format!(
                        "不能准入“{}”：{}。如确需准入，须写明仍予准入的理由（将记入办理记录；命令行用 --override-reason）",
                        request.item_name,
                        reasons.join("；")
                    );
                    return Err(ApiError::new(ErrorCode::AdmissionRefused, message).with_reasons(reasons));
                }
                Some(why) => {
                    override_note = Some(format!("准入审查意见：{}；仍予准入的理由：{why}", reasons.join("；")));
                    overridden = reasons;
                }
            }
        }
        let counts = reader.item_counts()?;
        let linked_item = match (to, request.admitted_item) {
            (AdmissionState::Revoked, Some(item)) => reader.item(item).ok(),
            _ => None,
        };

        request.state = to;
        request.history.push(AdmissionStep {
            state: to,
            date: decision.date,
            actor: Some(actor.to_string()),
            note: match (&opinion, &override_note) {
                (Some(opinion), Some(note)) => Some(format!("{opinion}。{note}")),
                (opinion, note) => note.clone().or(opinion.clone()),
            },
        });
        match to {
            AdmissionState::Admitted | AdmissionState::Rejected => {
                request.decided_on = Some(decision.date);
                request.review_opinion = opinion.clone();
                request.doc_no = doc_no.clone().or(request.doc_no.take());
                if to == AdmissionState::Admitted {
                    request.effective_on = Some(decision.date);
                }
            }
            AdmissionState::Revoked => request.revoked_on = Some(decision.date),
            AdmissionState::Applied | AdmissionState::UnderReview => {}
        }
        let why = match &override_note {
            Some(note) => format!("准入申请“{}”：{}（{note}）", request.item_name, to.label()),
            None => format!("准入申请“{}”：{}", request.item_name, to.label()),
        };

        let outcome = self.store.write(actor, Some(&why), |w| {
            // Two people deciding at once on a server: the request is locked and its state
            // read again; a step from a state it has left is refused, nothing written.
            w.lock::<AdmissionRequest>(request.id)?;
            let now = w.reader().admission_requests()?.into_iter().find(|r| r.id == request.id).map(|r| r.state);
            if let Some(now) = now.filter(|now| *now != seen) {
                return Err(quanze_store::StoreError::EditConflict {
                    entity: "准入申请",
                    label: request.item_name.clone(),
                    field: "状态".to_string(),
                    theirs: now.label().to_string(),
                    yours: to.label().to_string(),
                });
            }
            let mut item_out = None;
            match to {
                AdmissionState::Admitted => {
                    let (list_id, _) = find_or_create_list(
                        w,
                        community.id,
                        None,
                        ListKind::CommunityAssist,
                        format!("{}依法协助政府工作事项清单", community.name),
                    )?;
                    let position = counts.get(&list_id).copied().unwrap_or(0);
                    let mut remarks = format!("经准入程序纳入，{}起施行。", decision.date.format("%Y年%-m月%-d日"));
                    if let Some(doc_no) = &request.doc_no {
                        remarks.push_str(&format!("（{doc_no}）"));
                    }
                    let mut record = ItemRecord {
                        list: list_id,
                        position,
                        item: Item {
                            seq: Some((position + 1).to_string()),
                            name: request.item_name.clone(),
                            basis: request.basis.clone(),
                            responsibility: request.content.clone(),
                            remarks: Some(remarks),
                            assistance: Some(Assistance {
                                requesting_unit: request.applicant_unit,
                                requesting_unit_text: request.applicant_unit_text.clone(),
                                funding: request.funding.clone(),
                                staff: request.staff.clone(),
                                admission_request: Some(request.id),
                            }),
                            ..Item::default()
                        },
                    };
                    w.put(&mut record)?;
                    request.admitted_item = Some(record.item.id);
                    item_out = Some(record.item);
                }
                AdmissionState::Revoked => {
                    if let Some(record) = &linked_item {
                        let linked = record.item.assistance.as_ref().and_then(|a| a.admission_request)
                            == Some(request.id);
                        if linked {
                            let removed: ItemRecord = w.delete(record.item.id)?;
                            close_gap(w, removed.list, removed.position)?;
                            // The item is gone (the audit log keeps it), so the link goes too:
                            // the database refuses a reference to a deleted item.
                            request.admitted_item = None;
                            item_out = Some(removed.item);
                        }
                    }
                }
                _ => {}
            }
            w.put(&mut request)?;
            Ok(item_out)
        })?;
        Ok(AdmissionOutcome { request, item: outcome, overridden })
    }
}

/// What the gate (`quanze_checks::admission_gate`) objects to in admitting `request`, judged
/// against the community's own 负面清单 and 证明事项 lists with the default rule pack.
fn gate_objections(
    reader: &quanze_store::Reader<'_>,
    community: &Jurisdiction,
    request: &AdmissionRequest,
) -> Result<Vec<quanze_checks::GateObjection>, ApiError> {
    let mut walls = Vec::new();
    for mut list in reader.lists()? {
        let wall = list.jurisdiction == community.id
            && list.unit.is_none()
            && matches!(list.kind, ListKind::CommunityNegative | ListKind::CommunityCertificate);
        if wall {
            list.items = reader.items(list.id, 0, u32::MAX)?;
            walls.push(list);
        }
    }
    Ok(quanze_checks::admission_gate(community, &walls, request, &quanze_checks::RulePack::default_pack()))
}

/// Keep positions dense (`0..n`, an invariant of the store's lists) after an item left `gap`:
/// the items behind it move up one place, in one statement.
fn close_gap(w: &mut quanze_store::Writer<'_>, list: Id, gap: u32) -> Result<(), quanze_store::StoreError> {
    let remaining = w.reader().item_counts()?.get(&list).copied().unwrap_or(0);
    w.shift_item_positions(list, gap + 1, remaining + 1, -1)?;
    Ok(())
}
