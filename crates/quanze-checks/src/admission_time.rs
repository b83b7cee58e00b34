//! The admission procedure's time limits (`docs/domain.md` §4), counted in working days with
//! the calendar the caller passes ([`crate::CheckOptions::calendar`]):
//!
//! - `community.admission_overdue`: a request still 申请 or 审核中 after its decision deadline
//!   (the 15th working day after it was made; the deadline it was given, or for a request made
//!   before deadlines were recorded, the one its application date gives). Needs "today": the
//!   checks read no clock, so without [`crate::CheckOptions::today`] the rule finds nothing.
//! - `community.admission_late`: a request still open that was made fewer than 30 working days
//!   before its planned start — accepted, but the reviewer should know.

use quanze_domain::{AdmissionRequest, AdmissionState, WorkCalendar};

use crate::data::Data;
use crate::raw::RawFinding;
use crate::Evidence;

/// Working days the 编办 has to decide a request in.
pub const DECISION_WORKING_DAYS: u32 = 15;
/// Working days before the planned start a request should be made.
pub const NOTICE_WORKING_DAYS: u32 = 30;

/// Whether a request still waits for a decision.
pub fn is_pending(request: &AdmissionRequest) -> bool {
    matches!(request.state, AdmissionState::Applied | AdmissionState::UnderReview)
}

/// The request's decision deadline: the one recorded, else 15 working days after applying.
pub fn decision_deadline(request: &AdmissionRequest, calendar: &WorkCalendar) -> chrono::NaiveDate {
    request
        .decision_deadline
        .unwrap_or_else(|| calendar.add_working_days(request.applied_on, DECISION_WORKING_DAYS))
}

/// A note when a date was counted in a year the calendar does not list (weekends only).
fn calendar_note(calendar: &WorkCalendar, dates: &[chrono::NaiveDate]) -> Option<String> {
    let mut years: Vec<i32> = dates
        .iter()
        .filter(|d| !calendar.covers(**d))
        .map(chrono::Datelike::year)
        .collect();
    years.sort_unstable();
    years.dedup();
    (!years.is_empty()).then(|| {
        let years: Vec<String> = years.iter().map(i32::to_string).collect();
        format!("节假日日历未列出 {} 年，这些年份只按周末计算", years.join("、"))
    })
}

fn community_name(data: &Data<'_>, request: &AdmissionRequest) -> String {
    data.jurisdictions
        .get(&request.community)
        .map_or_else(|| format!("社区 #{}", request.community), |j| j.name.clone())
}

pub fn admission_overdue(data: &Data<'_>, out: &mut Vec<RawFinding>) {
    let Some(today) = data.today else { return };
    let calendar = &data.calendar;
    for request in data.bundle.admission_requests.iter().filter(|r| is_pending(r)) {
        let deadline = decision_deadline(request, calendar);
        let over = calendar.working_days_after(deadline, today);
        if over == 0 {
            continue;
        }
        let mut lines = vec![
            format!("申请日期：{}", request.applied_on),
            format!("决定期限：{deadline}（申请后第 {DECISION_WORKING_DAYS} 个工作日）"),
            format!("检查日期：{today}"),
            format!("已超期：{over} 个工作日"),
        ];
        lines.extend(calendar_note(calendar, &[request.applied_on, deadline, today]));
        out.push(RawFinding {
            rule: "community.admission_overdue",
            message: format!(
                "{}的准入申请“{}”（#{}）决定期限为 {deadline}，现仍处于“{}”，已超期 {over} 个工作日",
                community_name(data, request),
                request.item_name,
                request.id,
                request.state.label()
            ),
            subjects: vec![data.request_subject(request.id)],
            evidence: Evidence::Facts { lines },
        });
    }
}

pub fn admission_late(data: &Data<'_>, out: &mut Vec<RawFinding>) {
    let calendar = &data.calendar;
    for request in data.bundle.admission_requests.iter().filter(|r| is_pending(r)) {
        let Some(start) = request.planned_start else { continue };
        let ahead = calendar.working_days_after(request.applied_on, start);
        if ahead >= NOTICE_WORKING_DAYS {
            continue;
        }
        let mut lines = vec![
            format!("申请日期：{}", request.applied_on),
            format!("计划开始日期：{start}"),
            format!("相隔：{ahead} 个工作日（应至少 {NOTICE_WORKING_DAYS} 个）"),
        ];
        lines.extend(calendar_note(calendar, &[request.applied_on, start]));
        out.push(RawFinding {
            rule: "community.admission_late",
            message: format!(
                "{}的准入申请“{}”（#{}）在计划开始日期 {start} 前 {ahead} 个工作日才提出，不足 {NOTICE_WORKING_DAYS} 个工作日",
                community_name(data, request),
                request.item_name,
                request.id
            ),
            subjects: vec![data.request_subject(request.id)],
            evidence: Evidence::Facts { lines },
        });
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use quanze_domain::{Bundle, Jurisdiction, Level};

    use super::*;
    use crate::{run, CheckOptions, RulePack};

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
    }

    fn request(id: u32, applied: &str, state: AdmissionState, planned: Option<&str>) -> AdmissionRequest {
        AdmissionRequest {
            applicant_unit_text: Some("区民政局".into()),
            planned_start: planned.map(day),
            ..AdmissionRequest::new(id, 3, format!("协助事项{id}"), "工作需要", day(applied), state)
        }
    }

    fn bundle(requests: Vec<AdmissionRequest>) -> Bundle {
        let mut bundle = Bundle::default();
        bundle.jurisdictions.push(Jurisdiction::new(3, None, "春华社区", Level::Community));
        bundle.admission_requests = requests;
        bundle
    }

    fn findings(bundle: &Bundle, rule: &str, today: Option<&str>) -> Vec<crate::Finding> {
        let options = CheckOptions { rules: vec![rule.to_string()], today: today.map(day), ..CheckOptions::default() };
        run(bundle, &RulePack::default_pack(), &[], &options).findings
    }

    #[test]
    fn an_open_request_past_its_deadline_is_overdue_by_working_days() {
        // Applied Monday 2026-11-02: 15 working days (weekends only) end Monday 11-23.
        let b = bundle(vec![
            request(1, "2026-11-02", AdmissionState::UnderReview, None),
            request(2, "2026-11-02", AdmissionState::Admitted, None),
            request(3, "2026-11-20", AdmissionState::Applied, None),
        ]);
        let found = findings(&b, "community.admission_overdue", Some("2026-11-25"));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.contains("决定期限为 2026-11-23") && found[0].message.contains("已超期 2 个工作日"), "{}", found[0].message);
        let Evidence::Facts { lines } = &found[0].evidence else { panic!("facts expected") };
        assert!(lines.iter().any(|l| l == "已超期：2 个工作日"));
        assert!(lines.iter().any(|l| l.contains("日历未列出 2026 年")), "{lines:?}");
        // On the deadline itself nothing is late; without a date the rule says nothing.
        assert!(findings(&b, "community.admission_overdue", Some("2026-11-23")).is_empty());
        assert!(findings(&b, "community.admission_overdue", None).is_empty());
    }

    #[test]
    fn a_recorded_deadline_wins_over_the_computed_one() {
        let mut late = request(1, "2026-11-02", AdmissionState::Applied, None);
        late.decision_deadline = Some(day("2026-11-24"));
        let found = findings(&bundle(vec![late]), "community.admission_overdue", Some("2026-11-25"));
        assert!(found[0].message.contains("已超期 1 个工作日"), "{}", found[0].message);
    }

    #[test]
    fn an_application_fewer_than_30_working_days_ahead_is_flagged() {
        let b = bundle(vec![
            // 2026-11-02 → 2026-12-14 is exactly 30 working days (weekends only): in time.
            request(1, "2026-11-02", AdmissionState::Applied, Some("2026-12-14")),
            request(2, "2026-11-02", AdmissionState::Applied, Some("2026-12-11")),
            request(3, "2026-11-02", AdmissionState::Admitted, Some("2026-11-10")),
        ]);
        let found = findings(&b, "community.admission_late", None);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].message.contains("前 29 个工作日"), "{}", found[0].message);
    }
}
