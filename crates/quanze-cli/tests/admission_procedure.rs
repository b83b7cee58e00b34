//! `quanze admission …` as the procedure says, on the sample district: work on a community's
//! 负面清单 refused at 准入 and admitted only with a recorded reason; one application for a
//! whole street and another community; overdue and late requests found by the checks and
//! listed by `admission pending` with a fixed "today"; the 审批表 as PDF read back with
//! pdftotext.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use common::{json, ok, quanze, sample_db, stderr};

/// Ids of the requests named `item`, as `admission list --json` gives them.
fn request_ids(db: &Path, item: &str) -> Vec<String> {
    let requests = json(quanze(db, &["admission", "list", "--json"]));
    requests
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["item_name"] == item)
        .filter_map(|r| r["id"].as_u64())
        .map(|id| id.to_string())
        .collect()
}

fn apply(db: &Path, places: &[&str], item: &str, extra: &[&str]) -> String {
    let mut args = vec!["admission", "apply"];
    args.extend_from_slice(places);
    args.extend_from_slice(&["--unit", "青川区商务局", "--item", item, "--reason", "区里统一部署"]);
    args.extend_from_slice(extra);
    ok(quanze(db, &args))
}

#[test]
fn negative_list_work_is_refused_at_admission_and_admitted_only_with_a_recorded_reason() {
    let (_dir, db) = sample_db();
    let item = "协助开展招商引资项目洽谈";
    apply(&db, &["--community", "青溪社区"], item, &["--date", "2026-11-02", "--planned-start", "2026-12-21"]);
    let id = request_ids(&db, item).pop().expect("the request is listed");
    ok(quanze(&db, &["admission", "decide", &id, "--to", "审核中", "--date", "2026-11-03"]));

    let refused = quanze(&db, &["admission", "decide", &id, "--to", "准入", "--date", "2026-11-10"]);
    assert_eq!(refused.status.code(), Some(1), "a refusal is the user's to fix: exit 1");
    let reason = stderr(&refused);
    assert!(reason.contains("不能准入") && reason.contains("负面清单事项“招商引资”"), "{reason}");
    assert!(reason.contains("经费（费随事转）") && reason.contains("人员（人随事走）"), "{reason}");
    assert!(reason.contains("--override-reason"), "{reason}");
    let found = ok(quanze(&db, &["search", item]));
    assert!(!found.contains("协助政府"), "nothing was admitted: {found}");

    let why = "区委常委会决定试点一年";
    let admitted = ok(quanze(
        &db,
        &["admission", "decide", &id, "--to", "准入", "--date", "2026-11-10", "--override-reason", why],
    ));
    assert!(admitted.contains("已列入协助政府工作事项清单"), "{admitted}");
    assert!(admitted.contains("准入审查未通过（已按所填理由准入并记录）"), "{admitted}");
    // Recorded, not hidden: the checks still report the admitted work.
    let report = json(quanze(&db, &["check", "--json", "--rule", "community.negative_list", "--jurisdiction", "青溪社区"]));
    assert!(
        report["findings"].as_array().into_iter().flatten().any(|f| f["message"].as_str().is_some_and(|m| m.contains(item))),
        "{report}"
    );
    let request = json(quanze(&db, &["admission", "list", "--community", "青溪社区", "--json"]))
        .as_array()
        .and_then(|all| all.iter().find(|r| r["item_name"] == item).cloned())
        .expect("request");
    let note = request["history"][2]["note"].as_str().unwrap_or_default();
    assert!(note.contains("招商引资") && note.contains(why), "the history keeps the override: {note}");
    let history = ok(quanze(&db, &["history", "--limit", "3"]));
    assert!(history.contains(why), "the audit log keeps the override: {history}");
}

#[test]
fn one_application_for_a_street_and_a_community_makes_linked_requests() {
    let (_dir, db) = sample_db();
    let item = "协助开展夜间经济摊点摸排";
    let text = apply(
        &db,
        &["--street", "青溪街道", "--community", "临江社区"],
        item,
        &["--date", "2026-09-18", "--planned-start", "2026-10-20", "--funding-wan", "2", "--staff", "1"],
    );
    assert_eq!(text.matches("已登记准入申请").count(), 4, "{text}");
    assert!(text.contains("同批 4 个社区"), "{text}");
    assert!(text.contains("决定期限：2026-10-15"), "15 working days over 中秋 and 国庆: {text}");
    assert!(text.contains("不足 30 个工作日"), "{text}");
    let requests = json(quanze(&db, &["admission", "list", "--json"]));
    let ours: Vec<&Value> = requests.as_array().into_iter().flatten().filter(|r| r["item_name"] == item).collect();
    assert_eq!(ours.len(), 4);
    assert!(ours.iter().all(|r| r["batch"] == ours[0]["batch"] && r["batch"].is_string()));
    let short: String = ours[0]["batch"].as_str().unwrap_or_default().chars().take(8).collect();
    let listed = ok(quanze(&db, &["admission", "list"]));
    assert_eq!(listed.matches(&format!("同批：{short}")).count(), 4, "{listed}");
    let history = ok(quanze(&db, &["history", "--limit", "4"]));
    assert_eq!(history.matches("4 个社区同批申请").count(), 4, "one audit entry per request: {history}");

    let none = quanze(&db, &["admission", "apply", "--unit", "青川区商务局", "--item", "x", "--reason", "y"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(stderr(&none).contains("--street"), "{}", stderr(&none));
}

#[test]
fn overdue_and_late_requests_are_found_by_the_checks_and_listed_as_pending() {
    let (_dir, db) = sample_db();
    let item = "协助开展老旧小区加装电梯意愿调查";
    apply(
        &db,
        &["--community", "柳岸社区"],
        item,
        &["--date", "2026-11-02", "--planned-start", "2026-11-30", "--funding-wan", "1", "--staff", "1"],
    );
    let id: u64 = request_ids(&db, item).pop().and_then(|id| id.parse().ok()).expect("id");

    // 15 working days after Monday 2026-11-02 end on 2026-11-23; on 11-26 it is 3 over.
    let report = json(quanze(&db, &["check", "--json", "--today", "2026-11-26", "--rule", "community.admission_overdue"]));
    let findings = report["findings"].as_array().expect("findings");
    let ours = findings
        .iter()
        .find(|f| f["subjects"][0]["id"] == id)
        .expect("the new request is overdue");
    assert!(ours["message"].as_str().is_some_and(|m| m.contains("已超期 3 个工作日")), "{ours}");
    let lines = ours["evidence"]["lines"].to_string();
    assert!(lines.contains("2026-11-23") && lines.contains("2026-11-26"), "{lines}");
    // The sample's own open requests date from early 2026: long overdue by then too.
    assert!(findings.len() > 1);
    let in_time = json(quanze(&db, &["check", "--json", "--today", "2026-11-23", "--rule", "community.admission_overdue"]));
    assert!(in_time["findings"].as_array().into_iter().flatten().all(|f| f["subjects"][0]["id"] != id));

    let late = json(quanze(&db, &["check", "--json", "--rule", "community.admission_late"]));
    let late = late["findings"].as_array().expect("findings");
    assert_eq!(late.len(), 1, "only the new request has a planned start: {late:?}");
    assert!(late[0]["message"].as_str().is_some_and(|m| m.contains("前 20 个工作日")), "{}", late[0]);

    let pending = json(quanze(&db, &["admission", "pending", "--today", "2026-11-26", "--json"]));
    let pending = pending.as_array().expect("array");
    for key in ["id", "community", "item_name", "state", "applied_on", "decision_deadline", "overdue_working_days"] {
        assert!(pending.iter().all(|p| p.get(key).is_some()), "missing {key}");
    }
    assert_eq!(pending.len(), 5, "the sample's four open requests and ours");
    let ours = pending.iter().find(|p| p["id"] == id).expect("ours is pending");
    assert_eq!(ours["community"], "柳岸社区");
    assert_eq!(ours["decision_deadline"], "2026-11-23");
    assert_eq!(ours["overdue_working_days"], 3);
    assert_eq!(ours["late_application"], true);
    let text = ok(quanze(&db, &["admission", "pending", "--today", "2026-11-26"]));
    assert!(text.contains("待决定 5 个，其中超期 5 个"), "{text}");
}

#[test]
fn the_approval_form_is_a_pdf_with_the_request_s_fields() {
    let (dir, db) = sample_db();
    let item = "协助开展独居老人定期探访";
    apply(
        &db,
        &["--community", "南苑社区"],
        item,
        &[
            "--date", "2026-11-02", "--planned-start", "2026-12-21", "--funding-wan", "1.5", "--funding-source",
            "区民政局部门预算", "--staff", "1", "--basis", "《江临市社区工作事项准入办法》第六条", "--content", "每月上门探访一次",
        ],
    );
    let id = request_ids(&db, item).pop().expect("id");
    ok(quanze(&db, &["admission", "decide", &id, "--to", "审核中", "--date", "2026-11-03"]));
    ok(quanze(&db, &["admission", "decide", &id, "--to", "准入", "--date", "2026-11-12", "--doc-no", "青编办〔2026〕40号", "--opinion", "同意准入"]));
    let out = dir.path().join("审批表.pdf");
    let written = ok(quanze(&db, &["admission", "form", &id, "--out", out.to_str().expect("utf-8 path")]));
    assert!(written.contains("审批表"), "{written}");
    let text = Command::new("pdftotext").args(["-layout"]).arg(&out).arg("-").output().expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout).split_whitespace().collect::<String>();
    for expected in [
        "社区工作事项准入审批表",
        "青川区商务局",
        "青溪街道南苑社区",
        item,
        "每月上门探访一次",
        "《江临市社区工作事项准入办法》第六条",
        "区里统一部署",
        "1.5万元/年，来源：区民政局部门预算",
        "2026年11月2日",
        "2026年12月21日",
        "2026年11月23日（申请后15个工作日内）",
        "同意准入",
        "准入（2026年11月12日）",
        "青编办〔2026〕40号",
        "负责人（签字）",
    ] {
        assert!(text.contains(expected), "{expected} missing from the form: {text}");
    }
    let missing = quanze(&db, &["admission", "form", "99999", "--out", out.to_str().expect("utf-8 path")]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("找不到准入申请"), "{}", stderr(&missing));
}
