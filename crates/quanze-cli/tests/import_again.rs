//! `quanze import` of a department's workbook into the list it filled before: the list is
//! updated to the workbook (`docs/import.md`, 再次导入), and `--dry-run --json` shows the update
//! part of the report without writing.

mod common;


use serde_json::Value;
use common::{json, ok, quanze};

/// Guards the CLI side of importing again: on an existing list, `--dry-run --json` prints the
/// list's update (added, changed with field, label and values, removed, unchanged) and writes
/// nothing; the text report says 新增/修改/删除/相同 and each change; the import then does it.
#[test]
fn import_dry_run_json_on_an_existing_list_prints_the_update() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("q.db");
    let workbook = dir.path().join("某区住房和城乡建设局权责清单.csv");
    let path = workbook.to_str().expect("utf-8");
    std::fs::write(&workbook, "序号,事项编码,事项名称,实施依据\n1,ZJ-1,对甲的处罚,依据甲\n2,ZJ-2,对乙的处罚,依据乙\n").expect("write");
    let first = json(quanze(&db, &["import", path, "--jurisdiction", "某区", "--json"]));
    assert!(first.get("updates").is_none(), "a first import reports no update: {first}");

    std::fs::write(
        &workbook,
        "序号,事项编码,事项名称,实施依据\n1,ZJ-1,对甲的处罚,依据甲\n2,ZJ-3,对丙的处罚,依据丙\n3,ZJ-2,对乙的处罚,依据乙（修订）\n",
    )
    .expect("write");
    let dry = json(quanze(&db, &["import", path, "--jurisdiction", "某区", "--dry-run", "--json"]));
    assert_eq!(dry["dry_run"], true);
    let update = &dry["updates"][0];
    assert_eq!(update["list"], "某区住房和城乡建设局权责清单");
    assert_eq!(update["added"][0]["label"], "对丙的处罚");
    assert_eq!(update["added"][0]["entity"], "事项");
    let changed: Vec<(&str, &str, &str)> = update["changed"]
        .as_array()
        .expect("changed")
        .iter()
        .map(|c| (c["field"].as_str().unwrap_or(""), c["field_label"].as_str().unwrap_or(""), c["after"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(changed, [("seq", "序号", "3"), ("basis", "实施依据", "依据乙（修订）")]);
    assert_eq!(update["changed"][0]["label"], "对乙的处罚");
    assert_eq!(update["changed_items"], 1);
    assert_eq!(update["removed"], Value::Array(vec![]));
    assert_eq!(update["unchanged"], 1);
    let lists = json(quanze(&db, &["lists", "--json"]));
    assert_eq!(lists[0]["items"], 2, "a dry run writes nothing");

    let text = ok(quanze(&db, &["import", path, "--jurisdiction", "某区"]));
    assert!(text.contains("新增 1，修改 1，删除 0，相同 1"), "{text}");
    assert!(text.contains("  新增 事项 对丙的处罚"), "{text}");
    assert!(text.contains("  修改 事项 对乙的处罚 实施依据：依据乙 → 依据乙（修订）"), "{text}");
    let lists = json(quanze(&db, &["lists", "--json"]));
    assert_eq!(lists[0]["items"], 3);
    let again = json(quanze(&db, &["import", path, "--jurisdiction", "某区", "--dry-run", "--json"]));
    assert_eq!(again["updates"][0]["unchanged"], 3, "{again}");
}
