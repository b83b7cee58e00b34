//! A community's structure from the command line (issue 17 item 6): `org show`, `add-leader
//! --seat`, `org post`, `org staffing --in-charge` and `orgchart` take a community (they used
//! to refuse it: "不是街道"), and the community template's checks follow the edits.

mod common;

use common::{json, ok, quanze, sample_db};
use serde_json::Value;

/// The keys of the findings of the four community org rules.
fn community_findings(db: &std::path::Path) -> Vec<String> {
    let report = json(quanze(
        db,
        &[
            "check",
            "--rule",
            "org.committee_head",
            "--rule",
            "org.committee_size",
            "--rule",
            "org.station_in_charge",
            "--rule",
            "org.posts_over",
            "--json",
        ],
    ));
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|finding| {
            finding["message"].as_str().is_some_and(|message| message.contains("青溪社区"))
                || finding["subjects"]
                    .as_array()
                    .is_some_and(|subjects| subjects.iter().any(|s| s["label"].as_str().is_some_and(|l| l.contains("青溪社区"))))
        })
        .map(|finding: &Value| format!("{} {}", finding["rule"].as_str().unwrap_or(""), finding["message"].as_str().unwrap_or("")))
        .collect()
}

#[test]
fn a_community_has_its_committees_stations_posts_and_chart() {
    let (dir, db) = sample_db();
    let shown = ok(quanze(&db, &["org", "show", "--community", "青溪社区"]));
    assert!(!shown.contains("不是街道"), "{shown}");
    for unit in ["社区居民委员会", "网格管理站", "便民服务站"] {
        assert!(shown.contains(unit), "{unit} missing from: {shown}");
    }
    // Before any 两委 member is recorded the community's structure is not judged.
    assert!(community_findings(&db).is_empty(), "{:?}", community_findings(&db));

    ok(quanze(&db, &["org", "add-leader", "--community", "青溪社区", "--name", "王芳", "--seat", "党组织书记", "--seat", "居委会主任"]));
    let shown = ok(quanze(&db, &["org", "show", "--community", "青溪社区"]));
    assert!(shown.contains("王芳") && shown.contains("党组织书记、居委会主任"), "一肩挑: {shown}");

    let findings = community_findings(&db);
    let about = |rule: &str, text: &str| findings.iter().any(|f| f.starts_with(rule) && f.contains(text));
    assert!(about("org.station_in_charge", "网格管理站"), "{findings:?}");
    assert!(about("org.committee_size", "社区居民委员会"), "one member where the template says 5–9: {findings:?}");
    assert!(!findings.iter().any(|f| f.starts_with("org.committee_head")), "王芳 heads both: {findings:?}");

    // A post filled beyond its approved number, then corrected.
    ok(quanze(&db, &["org", "post", "--community", "青溪社区", "--unit", "网格管理站", "--name", "网格员", "--approved", "6", "--filled", "8"]));
    assert!(community_findings(&db).iter().any(|f| f.starts_with("org.posts_over") && f.contains("网格员")));
    ok(quanze(&db, &["org", "post", "--community", "青溪社区", "--unit", "网格管理站", "--name", "网格员", "--approved", "6", "--filled", "6"]));
    assert!(!community_findings(&db).iter().any(|f| f.starts_with("org.posts_over")));

    // A member in charge of the station answers its finding.
    ok(quanze(&db, &["org", "staffing", "--community", "青溪社区", "--unit", "网格管理站", "--in-charge", "王芳"]));
    let findings = community_findings(&db);
    assert!(!findings.iter().any(|f| f.starts_with("org.station_in_charge") && f.contains("网格管理站")), "{findings:?}");
    assert!(findings.iter().any(|f| f.starts_with("org.station_in_charge") && f.contains("便民服务站")), "{findings:?}");

    let chart = dir.path().join("青溪社区.svg");
    ok(quanze(&db, &["orgchart", "--community", "青溪社区", "--out", chart.to_str().expect("utf-8 path")]));
    let svg = std::fs::read_to_string(&chart).expect("chart written");
    assert!(svg.contains("<svg"), "an SVG");
    for text in ["王芳", "网格管理站", "网格员"] {
        assert!(svg.contains(text), "{text} missing from the chart");
    }
}
