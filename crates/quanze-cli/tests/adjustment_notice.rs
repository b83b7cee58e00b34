//! The 调整公告 and `versions compare` from the outside, on the sample district: a 取消 and a
//! 变更 proposed, reviewed and approved with `quanze change`, published as the list's next
//! version; the notice's PDF, read back with pdftotext (a reader nobody here wrote), lists
//! exactly those two changes with their reasons, and `versions compare A B` shows them field by
//! field.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use common::{json, ok, quanze, sample_db, stderr};

const HOUSING_LIST: &str = "青川区住房和城乡建设局权责清单";

/// A list's id as the command line takes it.
fn list_id(db: &Path, name: &str) -> String {
    common::list_id(db, name).to_string()
}

fn items(db: &Path, list: &str) -> Vec<Value> {
    list.parse().map(|list| common::list_items(db, list)).unwrap_or_default()
}

/// 名称（子项）, as notices print an item.
fn label(item: &Value) -> String {
    let name = item["name"].as_str().unwrap_or_default();
    match item["sub_item"].as_str() {
        Some(sub) if !sub.is_empty() => format!("{name}（{sub}）"),
        _ => name.to_string(),
    }
}

/// The newest version's number of a list.
fn newest_version(db: &Path, list: &str) -> u64 {
    json(quanze(db, &["versions", "--list", list, "--json"]))[0]["number"].as_u64().expect("a version")
}

fn flat(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Approve a request: 申请 → 审核中 → 同意.
fn approve(db: &Path, id: &str) {
    ok(quanze(db, &["change", "review", id, "--to", "审核中", "--date", "2026-11-03"]));
    ok(quanze(db, &["change", "review", id, "--to", "同意", "--opinion", "同意", "--date", "2026-11-05"]));
}

#[test]
fn the_adjustment_notice_lists_exactly_the_approved_changes_with_their_reasons() {
    let (dir, db) = sample_db();
    let list = list_id(&db, HOUSING_LIST);
    // The version the public knows now; the sample list may have older ones too.
    ok(quanze(&db, &["publish", "--list", &list, "--date", "2026-11-01", "--doc-no", "青编办〔2026〕30号", "--despite-findings", "--reason", "现行版本"]));
    let before = newest_version(&db, &list);
    let all = items(&db, &list);
    let (cancelled, modified, untouched) = (&all[0], &all[1], &all[2]);
    let id = |item: &Value| item["id"].as_u64().expect("id").to_string();

    ok(quanze(&db, &["change", "propose", "--list", &list, "--action", "取消", "--item", &id(cancelled), "--reason", "法律依据已废止", "--basis", "国务院令第 1 号", "--date", "2026-11-02"]));
    ok(quanze(&db, &["change", "propose", "--list", &list, "--action", "变更", "--item", &id(modified), "--set", "实施依据=《建设工程质量管理条例》第十条", "--reason", "上位法修订", "--basis", "国务院令第 2 号", "--date", "2026-11-02"]));
    let requests = json(quanze(&db, &["change", "list", "--list", &list, "--json"]));
    for request in requests.as_array().expect("requests") {
        approve(&db, &request["id"].as_u64().expect("id").to_string());
    }
    // Red findings in the sample stop a plain publication; the reason is recorded.
    ok(quanze(&db, &["publish", "--list", &list, "--date", "2026-12-01", "--doc-no", "青编办〔2026〕31号", "--despite-findings", "--reason", "按期公布"]));
    let after = newest_version(&db, &list);
    assert_eq!(after, before + 1);
    let (from, to) = (before.to_string(), after.to_string());

    // Field by field, with the request's reason and basis.
    let comparison = json(quanze(&db, &["versions", "compare", &from, &to, "--list", &list, "--json"]));
    assert_eq!(comparison["version"]["number"].as_u64(), Some(before));
    assert_eq!(comparison["to"]["number"].as_u64(), Some(after));
    assert_eq!(comparison["added"].as_array().map(Vec::len), Some(0));
    assert_eq!(comparison["removed"].as_array().map(|r| r.iter().map(|i| i["id"].clone()).collect::<Vec<_>>()), Some(vec![cancelled["id"].clone()]));
    let changed = comparison["changed"].as_array().expect("changed");
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0]["after"]["id"], modified["id"]);
    assert_eq!(changed[0]["fields"], serde_json::json!(["实施依据"]));
    assert_eq!(changed[0]["differences"][0]["field"], "实施依据");
    assert_eq!(changed[0]["differences"][0]["before"], modified["basis"]);
    assert_eq!(changed[0]["differences"][0]["after"], "《建设工程质量管理条例》第十条");
    let reasons: Vec<(Value, Value, Value)> = comparison["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| (r["item"].clone(), r["reason"].clone(), r["basis"].clone()))
        .collect();
    assert_eq!(
        reasons,
        [
            (cancelled["id"].clone(), "法律依据已废止".into(), "国务院令第 1 号".into()),
            (modified["id"].clone(), "上位法修订".into(), "国务院令第 2 号".into()),
        ]
    );
    let text = ok(quanze(&db, &["versions", "compare", &from, &to, "--list", &list]));
    assert!(text.contains("新增 0，删除 1，修改 1"), "{text}");
    assert!(text.contains("实施依据：") && text.contains("→ 《建设工程质量管理条例》第十条"), "{text}");
    // The same comparison by version ids, the newer one first, and the newer one against now.
    let versions = json(quanze(&db, &["versions", "--list", &list, "--json"]));
    let (newer_id, older_id) = (versions[0]["id"].to_string(), versions[1]["id"].to_string());
    let by_id = json(quanze(&db, &["versions", "compare", &format!("#{newer_id}"), &older_id, "--json"]));
    assert_eq!(by_id["changed"], comparison["changed"], "the older one is the base whatever the order");
    let now = ok(quanze(&db, &["versions", "compare", &to, "当前", "--list", &list]));
    assert!(now.contains("新增 0，删除 0，修改 0"), "{now}");
    let unknown = quanze(&db, &["versions", "compare", "99", "当前", "--list", &list]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("没有第 99 版"), "{}", stderr(&unknown));

    // The notice: four tables, exactly the two changes, each with its reason and basis.
    let pdf = dir.path().join("调整公告.pdf");
    let written = ok(quanze(&db, &[
        "notice", "--adjustment", "--list", &list, "--from", &from, "--to", &to, "--format", "pdf",
        "--out", pdf.to_str().expect("utf-8"), "--organ", "中共青川区委机构编制委员会办公室",
    ]));
    assert!(written.contains("取消事项（1项）") && written.contains("变更事项（1项）"), "{written}");
    match cells_of_pdf(&pdf) {
        Some((text, cells)) => {
            let found = |expected: &str| text.contains(expected) || cells.iter().any(|c| c.contains(expected));
            for expected in [
                format!("关于调整《{HOUSING_LIST}》的公告"),
                "青编办〔2026〕31号".to_string(),
                "中共青川区委机构编制委员会办公室".to_string(),
                "2026年12月1日".to_string(),
                "一、新增事项（0项）".to_string(),
                "二、取消事项（1项）".to_string(),
                "三、变更事项（1项）".to_string(),
                "四、下放·收回·划转事项（0项）".to_string(),
                flat(&label(cancelled)),
                flat(&label(modified)),
                "法律依据已废止".to_string(),
                "国务院令第1号".to_string(),
                "上位法修订".to_string(),
                "国务院令第2号".to_string(),
                "实施依据：《建设工程质量管理条例》第十条".to_string(),
            ] {
                assert!(found(&expected), "the notice lacks {expected}: {cells:?}");
            }
            assert!(!found(&flat(&label(untouched))), "an unchanged item is not in the notice");
        }
        None if std::env::var_os("CI").is_some() => panic!("pdftotext (poppler-utils) is required under CI"),
        None => eprintln!("pdftotext not installed: the PDF text was not checked"),
    }
    // The same notice as Excel and HTML; the newest version is the default end.
    for format in ["xlsx", "html"] {
        let out = dir.path().join(format!("调整公告.{format}"));
        ok(quanze(&db, &["notice", "--adjustment", "--list", &list, "--from", &from, "--format", format, "--out", out.to_str().expect("utf-8")]));
        assert!(std::fs::metadata(&out).map(|m| m.len() > 0).unwrap_or(false), "{format} written");
    }
    let html = std::fs::read_to_string(dir.path().join("调整公告.html")).expect("html");
    assert!(html.contains("上位法修订") && html.contains("法律依据已废止"));
    // Nothing to announce from the newest version on.
    let none = quanze(&db, &["notice", "--adjustment", "--list", &list, "--from", &to, "--out", dir.path().join("x.pdf").to_str().expect("utf-8")]);
    assert_eq!(none.status.code(), Some(1));
    assert!(stderr(&none).contains("已是最新版本"), "{}", stderr(&none));
}

/// The PDF's text without spaces, and its table cells put back together: pdftotext reads a
/// table row by row, so a cell that wraps is interleaved with its neighbours; its word boxes
/// (`-bbox`) give each line's place, and the lines that start at one x, one under the other,
/// are one column's run of text. `None` without pdftotext.
fn cells_of_pdf(pdf: &Path) -> Option<(String, Vec<String>)> {
    let text = Command::new("pdftotext").arg(pdf).arg("-").output().ok().filter(|o| o.status.success())?;
    let boxes = Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-").output().ok().filter(|o| o.status.success())?;
    let attribute = |line: &str, name: &str| -> Option<f64> {
        let start = line.find(&format!("{name}=\""))? + name.len() + 2;
        line[start..].split('"').next()?.parse().ok()
    };
    // (page, x in half points, y, text) of every word.
    let mut words: Vec<(u32, i64, f64, String)> = Vec::new();
    let mut page = 0;
    for line in String::from_utf8_lossy(&boxes.stdout).lines() {
        if line.contains("<page") {
            page += 1;
        } else if line.contains("<word") {
            let (Some(x), Some(y)) = (attribute(line, "xMin"), attribute(line, "yMin")) else { continue };
            let word = line.split('>').nth(1).and_then(|w| w.split("</word").next()).unwrap_or_default();
            words.push((page, (x * 2.0).round() as i64, y, word.to_string()));
        }
    }
    words.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.total_cmp(&b.2)));
    let mut cells: Vec<String> = Vec::new();
    let mut last: Option<(u32, i64, f64)> = None;
    for (page, x, y, word) in words {
        match last {
            // The next line of the same column (a line is about 15 points high).
            Some((p, lx, ly)) if p == page && lx == x && y - ly < 20.0 => {
                if let Some(cell) = cells.last_mut() {
                    cell.push_str(&word);
                }
            }
            _ => cells.push(word),
        }
        last = Some((page, x, y));
    }
    Some((flat(&String::from_utf8_lossy(&text.stdout)), cells))
}
