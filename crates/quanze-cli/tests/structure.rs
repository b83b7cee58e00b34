//! `quanze jurisdiction|unit|list add|rename|remove` (issue 18: jurisdictions, lists and units
//! could not be added, renamed or deleted by hand): the changes land, the audit log names the
//! actor, and a refusal exits 1 with the reason on stderr.

mod common;

use common::{json, ok, quanze, sample_db, stderr};

#[test]
fn a_village_a_unit_and_a_list_are_added_renamed_and_removed() {
    let (_dir, db) = sample_db();
    let added = ok(quanze(&db, &["jurisdiction", "add", "--parent", "云岭镇", "--name", "新村", "--designation", "村"]));
    assert!(added.starts_with("已新增社区：新村"), "{added}");
    ok(quanze(&db, &["jurisdiction", "rename", "--jurisdiction", "新村", "--to", "新河村", "--designation", "村"]));

    let unit = ok(quanze(&db, &["unit", "add", "--jurisdiction", "新河村", "--name", "便民服务站", "--kind", "自治组织"]));
    assert!(unit.contains("便民服务站（自治组织"), "{unit}");
    ok(quanze(&db, &["unit", "rename", "--jurisdiction", "新河村", "--unit", "便民服务站", "--to", "党群服务站"]));

    let list = ok(quanze(&db, &["list", "add", "--jurisdiction", "新河村", "--kind", "依法履职", "--name", "新河村依法履职事项清单"]));
    assert!(list.starts_with("已新建清单：新河村依法履职事项清单（依法履职"), "{list}");
    let lists = json(quanze(&db, &["lists", "--json"]));
    let id = lists
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["name"] == "新河村依法履职事项清单"))
        .and_then(|l| l["id"].as_u64())
        .expect("listed")
        .to_string();
    ok(quanze(&db, &["list", "rename", "--list", &id, "--to", "新河村依法履职清单"]));

    // The village holds a unit and a list: not deleted, and stderr says what is in the way.
    let refused = quanze(&db, &["jurisdiction", "remove", "--jurisdiction", "新河村"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("1 个机构、1 个清单"), "{}", stderr(&refused));

    assert!(ok(quanze(&db, &["list", "remove", "--list", &id])).contains("含 0 个事项"));
    ok(quanze(&db, &["unit", "remove", "--jurisdiction", "新河村", "--unit", "党群服务站"]));
    ok(quanze(&db, &["jurisdiction", "remove", "--jurisdiction", "新河村"]));

    let history = json(quanze(&db, &["history", "--limit", "9", "--json"]));
    let entries = history.as_array().expect("entries");
    let entities: Vec<&str> = entries.iter().filter_map(|e| e["entity"].as_str()).collect();
    assert_eq!(entities, ["辖区", "机构", "清单", "清单", "清单", "机构", "机构", "辖区", "辖区"]);
    assert!(entries.iter().all(|e| e["actor"] == "测试员"));
}

#[test]
fn a_unit_is_named_within_its_jurisdiction_and_a_kind_must_be_known() {
    let (_dir, db) = sample_db();
    let elsewhere = quanze(&db, &["unit", "remove", "--jurisdiction", "青溪社区", "--unit", "青川区市场监督管理局"]);
    assert_eq!(elsewhere.status.code(), Some(1));
    assert!(stderr(&elsewhere).contains("青溪社区没有名为“青川区市场监督管理局”的机构"), "{}", stderr(&elsewhere));
    let kind = quanze(&db, &["list", "add", "--jurisdiction", "青溪街道", "--kind", "好清单", "--name", "x"]);
    assert_eq!(kind.status.code(), Some(1));
    assert!(stderr(&kind).contains("不认识的清单类别“好清单”"), "{}", stderr(&kind));
}

/// `quanze list find` finds as the grid's Ctrl+F does (issue 18: the editor's find moved to the
/// backend; the CLI does what the app does): the rows of one list whose shown cells hold the
/// text, ASCII letters in either case, with the columns that hold it.
#[test]
fn a_list_is_searched_like_the_grids_find() {
    let (_dir, db) = sample_db();
    let lists = json(quanze(&db, &["lists", "--json"]));
    let id = lists.as_array().and_then(|ls| ls.first()).and_then(|l| l["id"].as_u64()).expect("a list").to_string();
    ok(quanze(&db, &["item", "add", "--list", &id, "--name", "查找测试事项ABC", "--set", "备注=另一列里的abc"]));

    let found = json(quanze(&db, &["list", "find", "--list", &id, " abc ", "--json"]));
    let rows = found["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{found}");
    assert_eq!(rows[0]["position"].as_u64(), found["total"].as_u64().map(|n| n - 1), "the item added at the end");
    assert_eq!(rows[0]["fields"].as_array().map(Vec::len), Some(2), "its name and its 备注: {found}");
    let text = ok(quanze(&db, &["list", "find", "--list", &id, "abc"]));
    assert!(text.contains("1 行含“abc”") && text.contains("事项名称、备注"), "{text}");

    let none = json(quanze(&db, &["list", "find", "--list", &id, "没有这样的文字Ω", "--json"]));
    assert_eq!(none["rows"].as_array().map(Vec::len), Some(0));
    let too_long = quanze(&db, &["list", "find", "--list", &id, &"长".repeat(201)]);
    assert_eq!(too_long.status.code(), Some(1));
    assert!(stderr(&too_long).contains("查找的文字太长"), "{}", stderr(&too_long));
}
