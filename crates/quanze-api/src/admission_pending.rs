//! The requests still waiting for a decision (申请 or 审核中) across every community, with
//! their time limits: the 编办's to-do list of the admission procedure.

use std::collections::HashMap;

use chrono::NaiveDate;
use quanze_domain::{AdmissionState, Id, Jurisdiction, Uid};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Api, ApiError};

/// One request waiting for a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PendingAdmission {
    pub id: Id,
    /// The community's name.
    pub community: String,
    pub community_id: Id,
    /// The street the community belongs to, when it has one.
    pub street: Option<String>,
    pub item_name: String,
    pub applicant: Option<String>,
    pub state: AdmissionState,
    #[ts(type = "string")]
    pub applied_on: NaiveDate,
    pub planned_start: Option<NaiveDate>,
    /// The recorded deadline, or for an older request 15 working days after applying.
    #[ts(type = "string")]
    pub decision_deadline: NaiveDate,
    /// Working days past the deadline as of `today`; 0 while in time.
    pub overdue_working_days: u32,
    /// Filed fewer than 30 working days before the planned start.
    pub late_application: bool,
    /// Shared by the requests made together for several communities.
    pub batch: Option<Uid>,
}

impl Api {
    /// Every request still 申请 or 审核中, the most urgent first (earliest deadline, then
    /// oldest), with how many working days each is past its deadline on `today`.
    pub fn pending_admissions(&self, today: NaiveDate) -> Result<Vec<PendingAdmission>, ApiError> {
        let reader = self.store.reader();
        let places: HashMap<Id, Jurisdiction> = reader.jurisdictions()?.into_iter().map(|j| (j.id, j)).collect();
        let name_of = |id: Option<Id>| id.and_then(|id| places.get(&id)).map(|j| j.name.clone());
        let calendar = crate::shipped_calendar()?;
        let mut pending: Vec<PendingAdmission> = reader
            .admission_requests()?
            .into_iter()
            .filter(|r| matches!(r.state, AdmissionState::Applied | AdmissionState::UnderReview))
            .map(|r| {
                let deadline = quanze_checks::decision_deadline(&r, &calendar);
                let parent = places.get(&r.community).and_then(|j| j.parent);
                PendingAdmission {
                    id: r.id,
                    community: name_of(Some(r.community)).unwrap_or_else(|| format!("社区 #{}", r.community)),
                    community_id: r.community,
                    street: name_of(parent),
                    applicant: r.applicant_unit_text.clone(),
                    state: r.state,
                    applied_on: r.applied_on,
                    planned_start: r.planned_start,
                    decision_deadline: deadline,
                    overdue_working_days: calendar.working_days_after(deadline, today),
                    late_application: r.planned_start.is_some_and(|start| {
                        calendar.working_days_after(r.applied_on, start) < quanze_checks::NOTICE_WORKING_DAYS
                    }),
                    batch: r.batch,
                    item_name: r.item_name,
                }
            })
            .collect();
        pending.sort_by_key(|p| (p.decision_deadline, p.applied_on, p.id));
        Ok(pending)
    }
}
