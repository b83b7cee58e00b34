//! `quanze item add|delete|move` from the outside, on the sample district: an item lands where
//! it was asked to with its fields set, positions count from 1 as users count rows, an item of
//! another list is refused with nothing changed, and every operation leaves in the audit log
//! exactly what the app's grid leaves when it sends the same edit through `Api::edit`.

mod common;

use std::path::Path;

use quanze_api::{Api, EditBatch, FieldRef, FieldValue, ItemEdit, ItemField, NewItem, Placement};
use quanze_domain::Item;
use serde_json::Value;
use common::{json, list_id, list_items as items, ok, quanze, sample_db, stderr, stdout};

/// A list of the sample district, and another one.
const LIST: &str = "青川区住房和城乡建设局权责清单";
const OTHER_LIST: &str = "青川区卫生健康委员会权责清单";

fn ids(items: &[Value]) -> Vec<u64> {
    items.iter().map(|i| i["id"].as_u64().expect("item id")).collect()
}

/// The id `item add` printed: `已新增事项 #123：…`.
fn added_id(text: &str) -> u64 {
    text.split_once('#')
        .and_then(|(_, rest)| rest.split_once('：'))
        .and_then(|(id, _)| id.parse().ok())
        .unwrap_or_else(|| panic!("no item id in {text}"))
}

/// The audit entries newer than entry `since`, oldest first.
fn entries_since(db: &Path, since: u64) -> Vec<Value> {
    let history = json(quanze(db, &["history", "--limit", "200", "--json"]));
    let mut entries: Vec<Value> = history
        .as_array()
        .expect("array")
        .iter()
        .filter(|e| e["id"].as_u64().is_some_and(|id| id > since))
        .cloned()
        .collect();
    entries.reverse();
    entries
}

fn last_entry_id(db: &Path) -> u64 {
    let history = json(quanze(db, &["history", "--limit", "1", "--json"]));
    history[0]["id"].as_u64().expect("an audit entry")
}

#[test]
fn add_with_set_and_after_lands_behind_that_item_with_the_fields_set() {
    let (_dir, db) = sample_db();
    let list = list_id(&db, LIST);
    let before = items(&db, list);
    let after = before[1]["id"].as_u64().expect("id").to_string();

    let text = ok(quanze(
        &db,
        &[
            "item", "add", "--list", LIST, "--name", "新增的许可事项", "--set", "实施依据=《某某条例》第三条", "--set",
            "权力类型=行政许可", "--set", "extra:救济渠道=行政复议", "--after", &after,
        ],
    ));
    let id = added_id(&text);
    assert!(text.contains(&format!("已新增事项 #{id}：新增的许可事项（{LIST} 第 3 项）")), "{text}");

    let now = items(&db, list);
    assert_eq!(now.len(), before.len() + 1);
    let added = &now[2];
    assert_eq!(added["id"].as_u64(), Some(id));
    assert_eq!(added["name"], "新增的许可事项");
    assert_eq!(added["basis"], "《某某条例》第三条");
    assert_eq!(added["power_type"], "行政许可");
    assert_eq!(added["extra"][0]["header"], "救济渠道");
    assert_eq!(added["extra"][0]["value"], "行政复议");
    let mut expected = ids(&before);
    expected.insert(2, id);
    assert_eq!(ids(&now), expected, "the items behind it moved down one, in their order");
}

#[test]
fn add_without_after_appends_at_the_end_of_the_list_named_by_id() {
    let (_dir, db) = sample_db();
    let list = list_id(&db, LIST);
    let before = items(&db, list);
    let text = ok(quanze(&db, &["item", "add", "--list", &list.to_string(), "--name", "末尾的事项", "--set", "basis=《条例》"]));
    let id = added_id(&text);
    assert!(text.contains(&format!("第 {} 项", before.len() + 1)), "{text}");
    let now = items(&db, list);
    assert_eq!(now.last().and_then(|i| i["id"].as_u64()), Some(id));
    assert_eq!(now.last().map(|i| i["basis"].clone()), Some(Value::from("《条例》")));
    assert_eq!(ids(&now[..before.len()]), ids(&before));
}

#[test]
fn add_refuses_an_unknown_field_a_bad_value_and_an_after_item_of_another_list() {
    let (_dir, db) = sample_db();
    let other = items(&db, list_id(&db, OTHER_LIST));
    let other_item = other[0]["id"].as_u64().expect("id").to_string();
    let since = last_entry_id(&db);
    for (args, message) in [
        (vec!["--set", "名字=x"], "未知的字段“名字”"),
        (vec!["--set", "实施依据"], "须写成 字段=值"),
        (vec!["--set", "权力类型=乱写"], "不是十类权力类型之一"),
        (vec!["--after", &other_item], "不在清单"),
    ] {
        let mut command = vec!["item", "add", "--list", LIST, "--name", "不该出现的事项"];
        command.extend(args);
        let refused = quanze(&db, &command);
        assert_eq!(refused.status.code(), Some(1), "{command:?}: {}", stdout(&refused));
        assert!(stderr(&refused).contains(message), "{command:?}: {}", stderr(&refused));
    }
    assert!(entries_since(&db, since).is_empty(), "a refused add writes nothing");
}

#[test]
fn delete_removes_the_item_and_the_items_behind_it_move_up() {
    let (_dir, db) = sample_db();
    let list = list_id(&db, LIST);
    let before = items(&db, list);
    let gone = before[3]["id"].as_u64().expect("id");
    let text = ok(quanze(&db, &["item", "delete", "--list", LIST, "--item", &gone.to_string()]));
    assert!(text.contains(&format!("已删除事项 #{gone}")), "{text}");
    assert!(text.contains(&format!("清单现有 {} 项", before.len() - 1)), "{text}");
    let mut expected = ids(&before);
    expected.remove(3);
    assert_eq!(ids(&items(&db, list)), expected);
}

#[test]
fn move_puts_the_item_at_the_one_based_position_users_count() {
    let (_dir, db) = sample_db();
    let list = list_id(&db, LIST);
    let before = items(&db, list);
    let moved = before[0]["id"].as_u64().expect("id");

    let text = ok(quanze(&db, &["item", "move", "--list", LIST, "--item", &moved.to_string(), "--to", "5"]));
    assert!(text.contains("第 1 项 → 第 5 项"), "{text}");
    let mut expected = ids(&before);
    expected.remove(0);
    expected.insert(4, moved);
    assert_eq!(ids(&items(&db, list)), expected, "row 5 as the grid shows it is index 4");

    let last = before.len().to_string();
    ok(quanze(&db, &["item", "move", "--list", LIST, "--item", &moved.to_string(), "--to", &last]));
    assert_eq!(ids(&items(&db, list)).last(), Some(&moved), "--to N (the list's length) is the last row");
    ok(quanze(&db, &["item", "move", "--list", LIST, "--item", &moved.to_string(), "--to", "1"]));
    assert_eq!(ids(&items(&db, list)), ids(&before), "--to 1 is the first row");
}

#[test]
fn move_refuses_a_position_outside_one_to_the_lists_length_and_changes_nothing() {
    let (_dir, db) = sample_db();
    let list = list_id(&db, LIST);
    let before = items(&db, list);
    let item = before[0]["id"].as_u64().expect("id").to_string();
    let since = last_entry_id(&db);
    for to in ["0".to_string(), (before.len() + 1).to_string()] {
        let refused = quanze(&db, &["item", "move", "--list", LIST, "--item", &item, "--to", &to]);
        assert_eq!(refused.status.code(), Some(1), "--to {to}");
        assert!(
            stderr(&refused).contains(&format!("位置须在 1 到 {} 之间", before.len())),
            "{}",
            stderr(&refused)
        );
    }
    assert_eq!(ids(&items(&db, list)), ids(&before));
    assert!(entries_since(&db, since).is_empty());
}

#[test]
fn deleting_an_item_of_another_list_exits_1_in_chinese_and_changes_nothing() {
    let (_dir, db) = sample_db();
    let other = items(&db, list_id(&db, OTHER_LIST));
    let stranger = other[0]["id"].as_u64().expect("id").to_string();
    let dump_before = ok(quanze(&db, &["dump", "--format", "json"]));
    let since = last_entry_id(&db);

    let refused = quanze(&db, &["item", "delete", "--list", LIST, "--item", &stranger]);
    assert_eq!(refused.status.code(), Some(1), "{}", stdout(&refused));
    let message = stderr(&refused);
    assert!(message.starts_with("错误："), "{message}");
    assert!(message.contains(&format!("不在清单“{LIST}”中")), "{message}");
    assert!(message.contains(OTHER_LIST), "the message names the item's own list: {message}");
    assert!(stdout(&refused).is_empty());

    let missing = quanze(&db, &["item", "delete", "--list", LIST, "--item", "999999"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("找不到事项 #999999"), "{}", stderr(&missing));

    assert_eq!(ok(quanze(&db, &["dump", "--format", "json"])), dump_before);
    assert!(entries_since(&db, since).is_empty(), "a refused delete writes no audit entry");
}

#[test]
fn history_shows_each_operation_under_the_given_or_the_default_chinese_reason() {
    let (_dir, db) = sample_db();
    let list = list_id(&db, LIST);
    let before = items(&db, list);
    let since = last_entry_id(&db);
    let id = added_id(&ok(quanze(&db, &["item", "add", "--list", LIST, "--name", "待调整的事项"])));
    let id = id.to_string();
    ok(quanze(&db, &["item", "move", "--list", LIST, "--item", &id, "--to", "2"]));
    ok(quanze(&db, &["item", "move", "--list", LIST, "--item", &id, "--to", "1", "--reason", "按文件顺序调整"]));
    ok(quanze(&db, &["item", "delete", "--list", LIST, "--item", &id, "--reason", "与第 5 项重复"]));
    assert_eq!(ids(&items(&db, list)), ids(&before));

    let entries = entries_since(&db, since);
    assert!(entries.iter().all(|e| e["actor"] == "测试员"));
    let reasons: Vec<&str> = entries.iter().filter_map(|e| e["reason"].as_str()).collect();
    for reason in ["新增事项", "移动事项", "按文件顺序调整", "与第 5 项重复"] {
        assert!(reasons.contains(&reason), "no entry with reason {reason}: {reasons:?}");
    }
    let deleted = entries
        .iter()
        .find(|e| e["action"] == "删除" && e["entity"] == "事项")
        .expect("the delete's entry");
    assert_eq!(deleted["entity_id"].as_u64().map(|i| i.to_string()), Some(id.clone()));
    assert_eq!(deleted["label"], "待调整的事项");
    assert_eq!(deleted["reason"], "与第 5 项重复");

    let text = ok(quanze(&db, &["history", "--limit", "50"]));
    assert!(text.contains(&format!("删除事项 #{id} 待调整的事项  （与第 5 项重复）")), "{text}");
    assert!(text.contains(&format!("新增事项 #{id} 待调整的事项  （新增事项）")), "{text}");
}

/// `value` without what differs between two databases however they were written: an entry's
/// id and time, and the random uid every new entity gets.
fn comparable(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| !matches!(key.as_str(), "id" | "at" | "uid"))
                .map(|(key, value)| (key.clone(), comparable(value)))
                .collect(),
        ),
        Value::Array(values) => Value::Array(values.iter().map(comparable).collect()),
        other => other.clone(),
    }
}

#[test]
fn the_clis_audit_entries_equal_those_of_the_apps_edit_batches() {
    let (_cli_dir, cli_db) = sample_db();
    let (_app_dir, app_db) = sample_db();
    let list = list_id(&cli_db, LIST);
    let before = items(&cli_db, list);
    assert_eq!(ids(&items(&app_db, list)), ids(&before), "two loads of the sample are alike");
    let second = before[1]["id"].as_u64().expect("id");
    let fifth = before[4]["id"].as_u64().expect("id");
    let cli_since = last_entry_id(&cli_db);
    let app_since = last_entry_id(&app_db);

    // The command line.
    let added = added_id(&ok(quanze(
        &cli_db,
        &["item", "add", "--list", LIST, "--name", "新增的事项", "--set", "实施依据=《某某条例》", "--after", &second.to_string()],
    )));
    ok(quanze(&cli_db, &["item", "move", "--list", LIST, "--item", &fifth.to_string(), "--to", "1"]));
    ok(quanze(&cli_db, &["item", "delete", "--list", LIST, "--item", &added.to_string(), "--reason", "删除事项（1 项）"]));

    // The app: the batches its grid sends (ui/src/lib/grid.ts: insertBatch with the row's
    // cells as values, as a pasted row has them; deleteBatch; a move), through the same call.
    let mut api = Api::open_existing(&app_db).expect("open");
    let list_id = u32::try_from(list).expect("id");
    let insert = EditBatch {
        list: list_id,
        reason: "新增事项".into(),
        edits: vec![ItemEdit::Insert {
            items: vec![NewItem {
                at: 2,
                after: None,
                item: Item { name: "新增的事项".into(), ..Item::default() },
                values: vec![FieldValue { field: FieldRef::Standard(ItemField::Basis), value: "《某某条例》".into() }],
            }],
        }],
    };
    let inserted = api.edit(&insert, "测试员").expect("insert");
    let app_added = inserted.changed[0].item.id;
    assert_eq!(u64::from(app_added), added, "both databases gave the new item the same id");
    let to_top = Placement { item: u32::try_from(fifth).expect("id"), to: 0 };
    let moving = EditBatch { list: list_id, reason: "移动事项".into(), edits: vec![ItemEdit::Move { items: vec![to_top] }] };
    api.edit(&moving, "测试员").expect("move");
    let deleting = EditBatch {
        list: list_id,
        reason: "删除事项（1 项）".into(),
        edits: vec![ItemEdit::Delete { items: vec![app_added] }],
    };
    api.edit(&deleting, "测试员").expect("delete");
    drop(api);

    let cli_entries = entries_since(&cli_db, cli_since);
    let app_entries = entries_since(&app_db, app_since);
    assert!(cli_entries.len() >= 3, "{cli_entries:?}");
    assert_eq!(
        cli_entries.iter().map(comparable).collect::<Vec<_>>(),
        app_entries.iter().map(comparable).collect::<Vec<_>>()
    );
    assert_eq!(ids(&items(&cli_db, list)), ids(&items(&app_db, list)));
}
