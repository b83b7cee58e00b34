//! `quanze change propose|review|list` and `quanze publish` from the outside, on the sample
//! district: the procedure allows only its steps, an approved change is applied at once (a
//! 收回 moves the item to the department's list, keeps its id, and leaves its record on the
//! street's 上级部门收回 list; the department's statistics count it), a returned one changes
//! nothing, publishing names the approved requests it contains, and red findings stop a
//! publication unless a reason is given.

mod common;

use std::path::Path;

use serde_json::Value;
use common::{json, list_id, list_items as items, ok, quanze, sample_db, stderr};

const STREET_BASIC: &str = "青溪街道基本履职事项清单";
const STREET_WITHDRAWN: &str = "青溪街道上级部门收回事项清单";
const DEPARTMENT: &str = "青川区司法局";
const DEPARTMENT_LIST: &str = "青川区司法局权责清单";
const HOUSING_LIST: &str = "青川区住房和城乡建设局权责清单";

fn requests(db: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["change", "list", "--json"];
    all.extend_from_slice(args);
    json(quanze(db, &all)).as_array().cloned().unwrap_or_default()
}

fn failure(output: std::process::Output) -> String {
    assert_eq!(output.status.code(), Some(1), "refused with exit 1: {}", stderr(&output));
    stderr(&output)
}

#[test]
fn a_withdrawal_moves_the_item_to_the_department_and_shows_on_both_lists_and_in_statistics() {
    let (_dir, db) = sample_db();
    let (street, withdrawn, department) = (list_id(&db, STREET_BASIC), list_id(&db, STREET_WITHDRAWN), list_id(&db, DEPARTMENT_LIST));
    let item = items(&db, street)[1].clone();
    let item_id = item["id"].as_u64().expect("id").to_string();
    let (street_before, withdrawn_before, department_before) =
        (items(&db, street).len(), items(&db, withdrawn).len(), items(&db, department).len());
    let stats_before = json(quanze(&db, &["stats", "--json"]));

    ok(quanze(&db, &[
        "change", "propose", "--list", &street.to_string(), "--action", "收回", "--item", &item_id,
        "--to-unit", DEPARTMENT, "--reason", "街道不具备执法力量", "--basis", "《某某条例》第三条",
        "--date", "2026-11-02",
    ]));
    let listed = requests(&db, &[]);
    assert_eq!(listed.len(), 1);
    let request = &listed[0];
    for key in ["id", "list", "action", "item", "state", "reason", "basis"] {
        assert!(request.get(key).is_some(), "change list --json has {key}: {request}");
    }
    assert_eq!(request["state"], "申请");
    assert_eq!(request["to_list"].as_u64(), Some(department), "the department's 权责清单 receives it");
    assert_eq!(items(&db, street).len(), street_before, "nothing changes before approval");

    // 申请 → 同意 skips the review: refused, nothing changed.
    let id = request["id"].as_u64().expect("id").to_string();
    let refusal = failure(quanze(&db, &["change", "review", &id, "--to", "同意"]));
    assert!(refusal.contains("不能转为“同意”") && refusal.contains("审核中"), "{refusal}");

    ok(quanze(&db, &["change", "review", &id, "--to", "审核中", "--date", "2026-11-03"]));
    ok(quanze(&db, &["change", "review", &id, "--to", "同意", "--opinion", "同意收回", "--date", "2026-11-05"]));

    let street_items = items(&db, street);
    assert_eq!(street_items.len(), street_before - 1);
    assert!(street_items.iter().all(|i| i["id"] != item["id"]), "the item left the street's list");
    let department_items = items(&db, department);
    assert_eq!(department_items.len(), department_before + 1);
    let moved = department_items.last().expect("moved item");
    assert_eq!(moved["id"], item["id"], "same id");
    assert_eq!(moved["uid"], item["uid"], "same identity");
    assert_eq!(moved["name"], item["name"]);
    assert_eq!(moved["handling_unit_text"], DEPARTMENT);
    let withdrawn_items = items(&db, withdrawn);
    assert_eq!(withdrawn_items.len(), withdrawn_before + 1, "the street's 上级部门收回 list records it");
    let record = withdrawn_items.last().expect("record");
    assert_eq!(record["name"], item["name"]);
    assert_eq!(record["withdrawal"]["receiving_unit_text"], DEPARTMENT);

    let stats_after = json(quanze(&db, &["stats", "--json"]));
    let count = |stats: &Value, group: &str, label: &str| {
        stats[group].as_array().and_then(|rows| rows.iter().find(|r| r["label"] == label)).and_then(|r| r["count"].as_u64()).unwrap_or(0)
    };
    // by_unit names only the largest departments; the district's 权责清单 count shows the move.
    assert_eq!(count(&stats_after, "by_level", "区"), count(&stats_before, "by_level", "区") + 1, "the district counts the item");
    assert_eq!(count(&stats_after, "by_list_kind", "权责清单"), count(&stats_before, "by_list_kind", "权责清单") + 1);
    assert_eq!(count(&stats_after, "by_list_kind", "基本履职"), count(&stats_before, "by_list_kind", "基本履职") - 1);
    assert_eq!(
        count(&stats_after, "withdrawn_to_unit", DEPARTMENT),
        count(&stats_before, "withdrawn_to_unit", DEPARTMENT) + 1,
        "the department's statistics count the street duty taken back to it"
    );
    let received = json(quanze(&db, &["withdrawals", "--unit", DEPARTMENT, "--json"]));
    assert!(
        received.as_array().is_some_and(|r| r.iter().any(|w| w["item"]["name"] == item["name"] && w["list_name"] == STREET_WITHDRAWN)),
        "withdrawals lists the record on the street's 收回 list: {received}"
    );
    let approved = requests(&db, &["--state", "同意"]);
    assert_eq!(approved.len(), 1);
    assert_eq!(approved[0]["applied"][0]["field"], "所在清单");
    // Both lists show the request: the source and the receiving list.
    assert_eq!(requests(&db, &["--list", &department.to_string()]).len(), 1);
    assert_eq!(requests(&db, &["--list", &street.to_string()]).len(), 1);
}

#[test]
fn cancel_and_modify_apply_on_approval_and_publishing_names_them() {
    let (_dir, db) = sample_db();
    let list = list_id(&db, HOUSING_LIST);
    let list_text = list.to_string();
    let before = items(&db, list);
    let (cancelled, modified) = (before[0]["id"].as_u64().expect("id").to_string(), before[1]["id"].as_u64().expect("id").to_string());

    ok(quanze(&db, &["change", "propose", "--list", &list_text, "--action", "取消", "--item", &cancelled, "--reason", "法律依据已废止", "--basis", "国务院令第 1 号"]));
    ok(quanze(&db, &["change", "propose", "--list", &list_text, "--action", "变更", "--item", &modified, "--set", "实施依据=《建设工程质量管理条例》第十条", "--reason", "依据修订"]));
    // A second open request on the same item is refused.
    let refusal = failure(quanze(&db, &["change", "propose", "--list", &list_text, "--action", "取消", "--item", &modified, "--reason", "重复"]));
    assert!(refusal.contains("未办结的调整申请"), "{refusal}");
    // 退回 needs an opinion, and changes nothing.
    ok(quanze(&db, &["change", "propose", "--list", &list_text, "--action", "新增", "--set", "事项名称=新的检查事项", "--reason", "新职责"]));
    let ids: Vec<String> = requests(&db, &[]).iter().map(|r| r["id"].as_u64().expect("id").to_string()).collect();
    for id in &ids {
        ok(quanze(&db, &["change", "review", id, "--to", "审核中"]));
    }
    let refusal = failure(quanze(&db, &["change", "review", &ids[2], "--to", "退回"]));
    assert!(refusal.contains("审核意见"), "{refusal}");
    ok(quanze(&db, &["change", "review", &ids[2], "--to", "退回", "--opinion", "不属于本部门职责"]));
    ok(quanze(&db, &["change", "review", &ids[0], "--to", "同意"]));
    ok(quanze(&db, &["change", "review", &ids[1], "--to", "同意"]));

    let after = items(&db, list);
    assert_eq!(after.len(), before.len() - 1, "one cancelled, none added");
    assert!(after.iter().all(|i| i["id"].as_u64().map(|v| v.to_string()) != Some(cancelled.clone())));
    let changed = after.iter().find(|i| i["id"].as_u64().map(|v| v.to_string()) == Some(modified.clone())).expect("modified item");
    assert_eq!(changed["basis"], "《建设工程质量管理条例》第十条");
    assert!(after.iter().all(|i| i["name"] != "新的检查事项"), "a returned request changes nothing");

    let published = quanze(&db, &["publish", "--list", &list_text, "--date", "2026-12-01", "--despite-findings", "--reason", "按期公布"]);
    ok(published);
    let published = requests(&db, &["--state", "已发布"]);
    assert_eq!(published.len(), 2, "the two approved requests are published");
    let dump = json(quanze(&db, &["dump", "--format", "json"]));
    let version = dump["versions"]
        .as_array()
        .and_then(|vs| vs.iter().filter(|v| v["list"].as_u64() == Some(list)).max_by_key(|v| v["number"].as_u64()))
        .expect("version");
    assert_eq!(version["changes"].as_array().map(Vec::len), Some(2));
    assert_eq!(version["despite_findings"], "按期公布");
    // Published is reached only by publishing.
    let refusal = failure(quanze(&db, &["change", "review", &ids[2], "--to", "已发布"]));
    assert!(refusal.contains("发布"), "{refusal}");
}

#[test]
fn red_findings_stop_publishing_unless_a_reason_is_given() {
    let (_dir, db) = sample_db();
    let report = json(quanze(&db, &["check", "--json"]));
    let findings = report["findings"].as_array().cloned().unwrap_or_default();
    // A list with an unwaived red finding about one of its items.
    let dump = json(quanze(&db, &["dump", "--format", "json"]));
    let red_items: Vec<u64> = findings
        .iter()
        .filter(|f| f["grade"] == "red" && f["waived"] == false)
        .flat_map(|f| f["subjects"].as_array().cloned().unwrap_or_default())
        .filter(|s| s["kind"] == "item")
        .filter_map(|s| s["id"].as_u64())
        .collect();
    let list = dump["lists"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["items"].as_array().is_some_and(|is| is.iter().any(|i| i["id"].as_u64().is_some_and(|id| red_items.contains(&id))))))
        .and_then(|l| l["id"].as_u64())
        .expect("the sample has a list with a red finding");
    let list = list.to_string();
    let refusal = failure(quanze(&db, &["publish", "--list", &list]));
    assert!(refusal.contains("红色问题") && refusal.contains("--despite-findings"), "{refusal}");
    let usage = quanze(&db, &["publish", "--list", &list, "--despite-findings"]);
    assert_ne!(usage.status.code(), Some(0), "--despite-findings needs --reason");
    ok(quanze(&db, &["publish", "--list", &list, "--despite-findings", "--reason", "问题已另行整改"]));
    let history = json(quanze(&db, &["history", "--json", "--limit", "5"]));
    assert!(history.to_string().contains("问题已另行整改"), "the reason is in the audit log: {history}");
}

/// Change requests travel: a dump loaded into a new database, and a street's package sent and
/// returned with a review step made at the street, keep every request with its history.
#[test]
fn change_requests_travel_in_dumps_and_packages_and_come_back_merged() {
    let (dir, db) = sample_db();
    let street = list_id(&db, STREET_BASIC).to_string();
    let item = items(&db, list_id(&db, STREET_BASIC))[0]["id"].as_u64().expect("id").to_string();
    ok(quanze(&db, &["change", "propose", "--list", &street, "--action", "变更", "--item", &item, "--set", "备注=随街道数据包往返", "--reason", "核对"]));
    let ours = requests(&db, &[]);

    let dump_file = dir.path().join("dump.json");
    std::fs::write(&dump_file, ok(quanze(&db, &["dump", "--format", "json"]))).expect("dump written");
    let copy = dir.path().join("copy.db");
    ok(quanze(&copy, &["load", dump_file.to_str().expect("path")]));
    assert_eq!(requests(&copy, &[]), ours, "a dump keeps change requests whole");

    let sent = dir.path().join("street.qzb.yaml");
    ok(quanze(&db, &["export", "--jurisdiction", "青溪街道", "--out", sent.to_str().expect("path")]));
    let at_street = dir.path().join("street.db");
    ok(quanze(&at_street, &["load", sent.to_str().expect("path")]));
    let there = requests(&at_street, &[]);
    assert_eq!(there.len(), 1, "the street's package carries its list's request");
    let id = there[0]["id"].as_u64().expect("id").to_string();
    ok(quanze(&at_street, &["change", "review", &id, "--to", "审核中"]));
    let back = dir.path().join("back.qzb.yaml");
    ok(quanze(&at_street, &["export", "--jurisdiction", "青溪街道", "--out", back.to_str().expect("path")]));
    ok(quanze(&db, &["merge", back.to_str().expect("path")]));
    let merged = requests(&db, &[]);
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0]["state"], "审核中", "the street's review step came back");
    assert_eq!(merged[0]["history"].as_array().map(Vec::len), Some(2));
}
