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
    AdmissionRequest, AdmissionState, AdmissionStep, Assistance, Funding, Id, Item, Level,
    ListKind, StaffSupport,
};
use quanze_store::ItemRecord;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::lookup::find_or_create_list;
use crate::{Api, ApiError, ErrorCode};

/// What a department fills in to apply (新申请).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct AdmissionApplication {
    pub community: Id,
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
}

/// The request after the move, and the 协助政府 item it created (准入) or removed (撤销).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AdmissionOutcome {
    pub request: AdmissionRequest,
    pub item: Option<Item>,
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

    /// Record a new application (state 申请).
    pub fn apply_for_admission(
        &mut self,
        application: AdmissionApplication,
        actor: &str,
    ) -> Result<AdmissionRequest, ApiError> {
        let reader = self.store.reader();
        let community = reader.jurisdiction(application.community).map_err(|_| {
            ApiError::new(ErrorCode::NotFound, format!("找不到社区 #{}", application.community))
        })?;
        if community.level != Level::Community {
            return Err(ApiError::invalid_input(format!("“{}”不是社区，准入申请只能向社区提出", community.name)));
        }
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
        let pending = reader.admission_requests()?.into_iter().find(|r| {
            r.community == community.id
                && r.item_name.trim() == item_name
                && matches!(r.state, AdmissionState::Applied | AdmissionState::UnderReview | AdmissionState::Admitted)
        });
        if let Some(existing) = pending {
            return Err(ApiError::invalid_input(format!(
                "{}已有“{}”的准入申请（#{}，{}），不必重复申请",
                community.name,
                item_name,
                existing.id,
                existing.state.label()
            )));
        }
        let mut request = AdmissionRequest {
            uid: None,
            id: 0,
            community: community.id,
            applicant_unit: application.applicant_unit,
            applicant_unit_text: applicant_text,
            item_name,
            content: filled(&application.content),
            reason,
            basis: filled(&application.basis),
            funding: application.funding,
            staff: application.staff,
            applied_on: application.applied_on,
            planned_start: None,
            decision_deadline: None,
            batch: None,
            decided_on: None,
            effective_on: None,
            revoked_on: None,
            review_opinion: None,
            doc_no: None,
            state: AdmissionState::Applied,
            history: vec![AdmissionStep {
                state: AdmissionState::Applied,
                date: application.applied_on,
                actor: Some(actor.to_string()),
                note: None,
            }],
            admitted_item: None,
        };
        let why = format!("准入申请：{}（{}）", request.item_name, community.name);
        self.store.write(actor, Some(&why), |w| w.put(&mut request))?;
        Ok(request)
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
            note: opinion.clone(),
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
        let why = format!("准入申请“{}”：{}", request.item_name, to.label());

        let outcome = self.store.write(actor, Some(&why), |w| {
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
        Ok(AdmissionOutcome { request, item: outcome })
    }
}

/// Keep positions dense (`0..n`, an invariant of the store's lists) after an item left `gap`:
/// the items behind it move up one place, in one statement.
fn close_gap(w: &mut quanze_store::Writer<'_>, list: Id, gap: u32) -> Result<(), quanze_store::StoreError> {
    let remaining = w.reader().item_counts()?.get(&list).copied().unwrap_or(0);
    w.shift_item_positions(list, gap + 1, remaining + 1, -1)?;
    Ok(())
}
