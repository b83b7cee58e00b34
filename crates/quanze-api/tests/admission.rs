//! The community admission process: 申请 → 审核中 → 准入 / 驳回, 准入 → 撤销, and what admitting
//! and revoking do to the community's 协助政府 list.

mod backends;

use chrono::NaiveDate;
use quanze_api::{AdmissionApplication, AdmissionDecision, Api, CheckRequest, ErrorCode};
use quanze_domain::{AdmissionState, Funding, ListKind, StaffSupport};

fn sample() -> backends::FreshApi {
    let mut api = backends::fresh_api();
    api.load_sample_district("测试").expect("sample");
    api
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

fn assist_list(api: &Api, community: u32) -> Option<u32> {
    api.lists()
        .expect("lists")
        .into_iter()
        .find(|l| l.jurisdiction == community && l.kind == ListKind::CommunityAssist && l.unit.is_none())
        .map(|l| l.id)
}

fn application(api: &Api, community: u32) -> AdmissionApplication {
    let unit = api
        .dump()
        .expect("dump")
        .units
        .into_iter()
        .find(|u| u.name == "青川区民政局")
        .expect("民政局");
    AdmissionApplication {
        community,
        applicant_unit: Some(unit.id),
        item_name: " 协助开展困难群众走访慰问 ".into(),
        content: Some("每季度入户走访一次，登记困难情况".into()),
        reason: "落实社会救助工作要求".into(),
        basis: Some("《社会救助暂行办法》".into()),
        funding: Funding { amount_wan: Some(1.5), source: Some("区民政局部门预算".into()) },
        staff: StaffSupport { count: Some(1), note: None },
        applied_on: date("2026-10-09"),
        ..AdmissionApplication::default()
    }
}

fn decide(api: &mut Api, request: u32, to: AdmissionState, on: &str, opinion: Option<&str>) -> quanze_api::AdmissionOutcome {
    api.decide_admission(
        AdmissionDecision {
            request,
            to,
            date: date(on),
            opinion: opinion.map(str::to_string),
            doc_no: Some("青编办〔2026〕12号".into()),
            override_reason: None,
        },
        "审核人",
    )
    .unwrap_or_else(|e| panic!("{to:?}: {}", e.message))
}

fn not_admitted_findings(api: &Api) -> usize {
    let report = api
        .check(&CheckRequest { rules: vec!["community.not_admitted".into()], ..CheckRequest::default() })
        .expect("check");
    report.findings.len()
}

#[test]
fn an_admitted_request_becomes_a_funded_item_of_the_assist_list_and_revoking_takes_it_off() {
    let mut api = sample();
    let community = api.find_jurisdiction("青溪社区").expect("community");
    let list = assist_list(&api, community).expect("the sample community has a 协助政府 list");
    let before = api.list_items(list, 0, 5_000).expect("items").items;
    let findings_before = not_admitted_findings(&api);

    let application_of_community = application(&api, community);

    let request = api.apply_for_admission(application_of_community, "申请人").expect("applied");
    assert_eq!(request.state, AdmissionState::Applied);
    assert_eq!(request.item_name, "协助开展困难群众走访慰问", "trimmed");
    assert_eq!(request.applicant_unit_text.as_deref(), Some("青川区民政局"), "filled from the unit");

    let skipped = api
        .decide_admission(
            AdmissionDecision { request: request.id, to: AdmissionState::Admitted, date: date("2026-10-10"), opinion: None, doc_no: None, override_reason: None },
            "审核人",
        )
        .expect_err("申请 cannot jump to 准入");
    assert_eq!(skipped.code, ErrorCode::InvalidInput);
    assert!(skipped.message.contains("下一步只能是：审核中"), "{}", skipped.message);

    decide(&mut api, request.id, AdmissionState::UnderReview, "2026-10-10", None);
    let early = api
        .decide_admission(
            AdmissionDecision { request: request.id, to: AdmissionState::Admitted, date: date("2026-10-01"), opinion: None, doc_no: None, override_reason: None },
            "审核人",
        )
        .expect_err("a date before the previous step");
    assert!(early.message.contains("早于"), "{}", early.message);

    let admitted = decide(&mut api, request.id, AdmissionState::Admitted, "2026-10-20", Some("同意准入"));
    let item = admitted.item.expect("an item was created");
    assert_eq!(admitted.request.admitted_item, Some(item.id));
    assert_eq!(admitted.request.doc_no.as_deref(), Some("青编办〔2026〕12号"));
    let states: Vec<AdmissionState> = admitted.request.history.iter().map(|s| s.state).collect();
    assert_eq!(states, [AdmissionState::Applied, AdmissionState::UnderReview, AdmissionState::Admitted]);
    let after = api.list_items(list, 0, 5_000).expect("items").items;
    assert_eq!(after.len(), before.len() + 1);
    let last = after.last().expect("last");
    assert_eq!(last.id, item.id, "appended at the end of the list");
    let assistance = last.assistance.as_ref().expect("assistance");
    assert_eq!(assistance.admission_request, Some(request.id));
    assert_eq!(assistance.funding.amount_wan, Some(1.5), "费随事转");
    assert_eq!(assistance.staff.count, Some(1), "人随事走");
    assert!(last.remarks.as_deref().unwrap_or("").contains("2026年10月20日起施行"));
    assert_eq!(not_admitted_findings(&api), findings_before, "an admitted item raises no finding");

    let no_reason = api
        .decide_admission(
            AdmissionDecision { request: request.id, to: AdmissionState::Revoked, date: date("2026-11-01"), opinion: Some("  ".into()), doc_no: None, override_reason: None },
            "审核人",
        )
        .expect_err("a revocation needs a reason");
    assert!(no_reason.message.contains("撤销理由"), "{}", no_reason.message);

    let revoked = decide(&mut api, request.id, AdmissionState::Revoked, "2026-11-01", Some("工作已由部门收回"));
    assert_eq!(revoked.item.map(|i| i.id), Some(item.id));
    assert_eq!(revoked.request.revoked_on, Some(date("2026-11-01")));
    let final_items = api.list_items(list, 0, 5_000).expect("items").items;
    assert_eq!(final_items, before, "the list is as it was");
    assert_eq!(not_admitted_findings(&api), findings_before);
    let audit = api.item_history(item.id, 10).expect("history");
    assert_eq!(audit.len(), 2, "created and deleted, both kept: {audit:?}");

    let application_of_community = application(&api, community);

    let again = api.apply_for_admission(application_of_community, "申请人").expect("may apply again after a revocation");
    assert_eq!(again.state, AdmissionState::Applied);
}

#[test]
fn admitting_into_a_community_without_an_assist_list_creates_the_list() {
    let mut api = backends::fresh_api();
    let bundle = "format: quanze-bundle\nformat_version: 1\njurisdictions:\n\
        - {id: 1, name: 试点区, level: 区}\n\
        - {id: 2, parent: 1, name: 试点街道, level: 街道}\n\
        - {id: 3, parent: 2, name: 新建社区, level: 社区}\n";
    api.load_bundle_text(bundle, "试点", "测试").expect("load");
    let fresh = api.find_jurisdiction("新建社区").expect("new community");
    assert_eq!(assist_list(&api, fresh), None);

    let app = AdmissionApplication {
        community: fresh,
        applicant_unit_text: Some("试点区应急管理局".into()),
        item_name: "协助开展防汛转移演练".into(),
        reason: "汛期前组织群众转移演练".into(),
        // 费随事转、人随事走: without them the gate refuses 准入 (tested below).
        funding: Funding { amount_wan: Some(0.5), source: None },
        staff: StaffSupport { count: Some(1), note: None },
        applied_on: date("2026-10-09"),
        ..AdmissionApplication::default()
    };
    let request = api.apply_for_admission(app, "申请人").expect("applied");
    decide(&mut api, request.id, AdmissionState::UnderReview, "2026-10-10", None);
    let outcome = decide(&mut api, request.id, AdmissionState::Admitted, "2026-10-11", None);
    let created = assist_list(&api, fresh).expect("the list was created");
    let summary = api.lists().expect("lists").into_iter().find(|l| l.id == created).expect("summary");
    assert_eq!(summary.name, "新建社区依法协助政府工作事项清单");
    let items = api.list_items(created, 0, 10).expect("items").items;
    assert_eq!(items.len(), 1);
    assert_eq!(Some(items[0].id), outcome.item.map(|i| i.id));
    assert_eq!(items[0].seq.as_deref(), Some("1"));
}

#[test]
fn a_rejection_needs_an_opinion_and_ends_the_request() {
    let mut api = sample();
    let community = api.find_jurisdiction("青溪社区").expect("community");
    let list = assist_list(&api, community).expect("list");
    let count = api.list_items(list, 0, 5_000).expect("items").items.len();
    let application_of_community = application(&api, community);
    let request = api.apply_for_admission(application_of_community, "申请人").expect("applied");
    let application_of_community = application(&api, community);
    let duplicate = api.apply_for_admission(application_of_community, "申请人").expect_err("pending twice");
    assert!(duplicate.message.contains("不必重复申请"), "{}", duplicate.message);
    decide(&mut api, request.id, AdmissionState::UnderReview, "2026-10-10", None);
    let bare = api
        .decide_admission(
            AdmissionDecision { request: request.id, to: AdmissionState::Rejected, date: date("2026-10-12"), opinion: None, doc_no: None, override_reason: None },
            "审核人",
        )
        .expect_err("no opinion");
    assert!(bare.message.contains("审核意见"), "{}", bare.message);
    let rejected = decide(&mut api, request.id, AdmissionState::Rejected, "2026-10-12", Some("属部门自身职责，不得转嫁社区"));
    assert!(rejected.item.is_none());
    assert_eq!(rejected.request.review_opinion.as_deref(), Some("属部门自身职责，不得转嫁社区"));
    assert_eq!(api.list_items(list, 0, 5_000).expect("items").items.len(), count, "nothing added");
    let closed = api
        .decide_admission(
            AdmissionDecision { request: request.id, to: AdmissionState::Revoked, date: date("2026-10-13"), opinion: Some("x".into()), doc_no: None, override_reason: None },
            "审核人",
        )
        .expect_err("closed");
    assert!(closed.message.contains("已办结"), "{}", closed.message);
    assert_eq!(api.admission_requests(Some(community)).expect("requests").last().map(|r| r.id), Some(request.id));
}

#[test]
fn applications_go_to_communities_only_and_need_a_name_and_a_reason() {
    let mut api = sample();
    let street = api.find_jurisdiction("青溪街道").expect("street");
    let community = api.find_jurisdiction("青溪社区").expect("community");
    // A street stands for its communities: one request each, which apply_for_admissions makes.
    let application_of_street = application(&api, street);
    let many = api.apply_for_admission(application_of_street, "x").expect_err("a street");
    assert!(many.message.contains("涉及 3 个社区"), "{}", many.message);
    let district = api.find_jurisdiction("青川区").expect("district");
    let application_of_district = application(&api, district);
    let wrong = api.apply_for_admission(application_of_district, "x").expect_err("a district");
    assert!(wrong.message.contains("不是社区或街道"), "{}", wrong.message);
    let mut empty = application(&api, community);
    empty.item_name = "  ".into();
    assert!(api.apply_for_admission(empty, "x").expect_err("no name").message.contains("事项名称"));
    let mut no_reason = application(&api, community);
    no_reason.reason = String::new();
    assert!(api.apply_for_admission(no_reason, "x").expect_err("no reason").message.contains("申请理由"));
}

fn decision(request: u32, to: AdmissionState, on: &str, override_reason: Option<&str>) -> AdmissionDecision {
    AdmissionDecision {
        request,
        to,
        date: date(on),
        opinion: None,
        doc_no: None,
        override_reason: override_reason.map(str::to_string),
    }
}

/// 负面清单 work without funding or staff is refused at 准入 with every reason and code
/// `admission_refused`; admitted only with a reason, which the history and the audit log keep.
#[test]
fn the_gate_refuses_negative_list_work_at_admission_unless_overridden_with_a_reason() {
    let mut api = sample();
    let community = api.find_jurisdiction("青溪社区").expect("community");
    let list = assist_list(&api, community).expect("list");
    let count = api.list_items(list, 0, 5_000).expect("items").items.len();
    let mut app = application(&api, community);
    app.item_name = "协助开展招商引资项目洽谈".into();
    app.funding = Funding::default();
    app.staff = StaffSupport::default();
    let request = api.apply_for_admission(app, "申请人").expect("applying is not refused");
    decide(&mut api, request.id, AdmissionState::UnderReview, "2026-10-10", None);

    let refused = api
        .decide_admission(decision(request.id, AdmissionState::Admitted, "2026-10-12", None), "审核人")
        .expect_err("on the negative list");
    assert_eq!(refused.code, ErrorCode::AdmissionRefused);
    assert!(refused.message.contains("负面清单事项“招商引资”"), "{}", refused.message);
    assert!(refused.message.contains("经费") && refused.message.contains("人员"), "{}", refused.message);
    // The objections come listed too, so that a window need not read the sentence apart.
    let listed = refused.reasons.clone().unwrap_or_default();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed[0].contains("负面清单事项“招商引资”") && listed[1].contains("经费"), "{listed:?}");
    assert_eq!(api.list_items(list, 0, 5_000).expect("items").items.len(), count, "nothing added");
    let still = api.admission_requests(Some(community)).expect("requests");
    assert_eq!(still.iter().find(|r| r.id == request.id).map(|r| r.state), Some(AdmissionState::UnderReview));

    let blank = api.decide_admission(decision(request.id, AdmissionState::Admitted, "2026-10-12", Some("  ")), "审核人");
    assert_eq!(blank.expect_err("a blank reason is no reason").code, ErrorCode::AdmissionRefused);

    let why = "区委专题会议决定试点一年";
    let admitted = api
        .decide_admission(decision(request.id, AdmissionState::Admitted, "2026-10-12", Some(why)), "审核人")
        .expect("overridden");
    assert!(admitted.item.is_some());
    assert_eq!(admitted.overridden.len(), 2, "{:?}", admitted.overridden);
    let note = admitted.request.history.last().and_then(|s| s.note.clone()).unwrap_or_default();
    assert!(note.contains("负面清单事项“招商引资”") && note.contains(why), "{note}");
    let audit = api.history(5).expect("history");
    assert!(
        audit.iter().any(|e| e.reason.as_deref().is_some_and(|r| r.contains(why) && r.contains("招商引资"))),
        "{audit:#?}"
    );
}

#[test]
fn a_street_makes_one_request_per_community_with_one_batch_and_deadlines() {
    let mut api = sample();
    let street = api.find_jurisdiction("青溪街道").expect("street");
    let extra = api.find_jurisdiction("临江社区").expect("community");
    let mut app = application(&api, street);
    app.more_places = vec![extra, api.find_jurisdiction("柳岸社区").expect("柳岸社区 is in the street")];
    app.applied_on = date("2026-09-18");
    app.planned_start = Some(date("2026-10-20"));
    let applied = api.apply_for_admissions(app.clone(), "申请人").expect("applied");
    let names: Vec<u32> = applied.requests.iter().map(|r| r.community).collect();
    assert_eq!(names.len(), 4, "three of 青溪街道 and 临江社区, 柳岸社区 once: {names:?}");
    let batch = applied.requests[0].batch.clone();
    assert!(batch.is_some() && applied.requests.iter().all(|r| r.batch == batch));
    // 2026-09-18 (Friday) + 15 working days, with 09-20 worked and 09-25, 10-01..07 off.
    assert!(applied.requests.iter().all(|r| r.decision_deadline == Some(date("2026-10-15"))), "{:?}", applied.requests[0].decision_deadline);
    assert!(applied.warnings.iter().any(|w| w.contains("不足 30 个工作日")), "{:?}", applied.warnings);
    let audit = api.history(10).expect("history");
    assert_eq!(audit.iter().filter(|e| e.reason.as_deref().is_some_and(|r| r.contains("4 个社区同批申请"))).count(), 4);
    // All or nothing: one community already has it, so the whole batch is refused.
    let again = api.apply_for_admissions(app, "申请人").expect_err("duplicates");
    assert!(again.message.contains("不必重复申请"), "{}", again.message);

    let pending = api.pending_admissions(date("2026-10-19")).expect("pending");
    let ours: Vec<_> = pending.iter().filter(|p| p.batch == batch).collect();
    assert_eq!(ours.len(), 4);
    assert!(ours.iter().all(|p| p.overdue_working_days == 2 && p.late_application), "{ours:#?}");
    assert!(pending.iter().all(|p| matches!(p.state, AdmissionState::Applied | AdmissionState::UnderReview)));
}

#[test]
fn the_shipped_calendar_reads_and_covers_2025_to_2027() {
    let calendar = quanze_api::shipped_calendar().expect("calendar");
    for year in ["2025-06-01", "2026-06-01", "2027-06-01"] {
        assert!(calendar.covers(date(year)), "{year}");
    }
    assert!(!calendar.is_working_day(date("2026-02-16")), "春节 2026");
    assert!(calendar.is_working_day(date("2026-02-28")), "调休上班 2026-02-28");
    assert!(!calendar.is_working_day(date("2025-10-08")), "国庆中秋 2025");
    assert!(calendar.is_working_day(date("2025-10-11")), "调休上班 2025-10-11");
    assert!(!calendar.is_working_day(date("2027-02-08")), "春节 2027 (statutory days)");
}

/// The 审批表's rows follow the request: blank boxes while undecided, 不予准入 with its date
/// and opinion once rejected; the decision deadline of an older request without one is
/// counted from its application date.
#[test]
fn the_approval_form_shows_the_decision_as_it_stands() {
    let mut api = sample();
    let community = api.find_jurisdiction("青溪社区").expect("community");
    let application_of_community = application(&api, community);
    let request = api.apply_for_admission(application_of_community, "申请人").expect("applied");
    let value = |form: &quanze_domain::notice::Notice, label: &str| {
        form.sections[0].rows.iter().find(|r| r[0] == label).map(|r| r[1].clone()).unwrap_or_default()
    };
    let open = api.admission_form(request.id).expect("form");
    assert_eq!(open.heading.title, "社区工作事项准入审批表");
    assert_eq!(value(&open, "决定"), "□ 准入　　□ 不予准入");
    assert_eq!(value(&open, "承接社区"), "青溪街道青溪社区");
    assert_eq!(value(&open, "经费（费随事转）"), "1.5 万元/年，来源：区民政局部门预算");
    // 2026-10-09 (Friday) + 15 working days, Saturday 10-10 one of them (调休上班): 10-29.
    assert_eq!(value(&open, "决定期限"), "2026年10月29日（申请后15个工作日内）");
    decide(&mut api, request.id, AdmissionState::UnderReview, "2026-10-10", None);
    decide(&mut api, request.id, AdmissionState::Rejected, "2026-10-20", Some("属部门自身职责"));
    let rejected = api.admission_form(request.id).expect("form");
    assert_eq!(value(&rejected, "决定"), "不予准入（2026年10月20日）");
    assert_eq!(value(&rejected, "审核意见"), "属部门自身职责");
    assert_eq!(rejected.heading.doc_no.as_deref(), Some("青编办〔2026〕12号"));

    let older = api.admission_requests(None).expect("requests").into_iter().find(|r| r.decision_deadline.is_none()).expect("the sample's requests have none");
    let form = api.admission_form(older.id).expect("form");
    assert!(value(&form, "决定期限").ends_with("（申请后15个工作日内）"));
    assert_eq!(api.admission_form(99_999).expect_err("no such request").code, ErrorCode::NotFound);
}
