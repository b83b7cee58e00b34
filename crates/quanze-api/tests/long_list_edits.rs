//! Inserting, deleting and moving rows in a long list: the items behind the change move in one
//! statement with one audit entry for the list (not one per item), the positions stay dense
//! and equal in the column and the doc, and undo restores the list exactly.

mod backends;

use quanze_api::{Api, EditBatch, ItemEdit, NewItem, Placement};
use quanze_domain::Item;
use serde_json::json;

const LIST: u32 = 1;
const ITEMS: u32 = 300;

fn fixture() -> backends::FreshApi {
    let items: Vec<_> = (1..=ITEMS)
        .map(|n| json!({ "id": n, "seq": n.to_string(), "name": format!("事项{n:03}"), "power_type": "行政检查" }))
        .collect();
    backends::one_long_list(items)
}

fn names(api: &Api) -> Vec<String> {
    api.list_items(LIST, 0, 5_000).expect("items").items.into_iter().map(|i| i.name).collect()
}

/// Every item's position in its doc equals its index in the list (the column's order).
fn assert_dense_and_consistent(api: &Api) {
    let bundle = api.dump().expect("dump");
    let list = bundle.lists.iter().find(|l| l.id == LIST).expect("list");
    for (index, item) in list.items.iter().enumerate() {
        let location = api.item_location(item.id).expect("location");
        assert_eq!(location.position as usize, index, "item {} ({})", item.id, item.name);
    }
}

fn insert_at(at: u32, name: &str) -> EditBatch {
    EditBatch {
        list: LIST,
        reason: "插入一行".into(),
        edits: vec![ItemEdit::Insert { items: vec![NewItem { at, after: None, item: Item { name: name.into(), ..Item::default() }, values: vec![] }] }],
    }
}

#[test]
fn a_row_inserted_at_the_top_moves_the_rest_with_one_audit_entry_and_undo_restores_it() {
    let mut api = fixture();
    let before = names(&api);
    let audit_before = api.audit_entry_count().expect("count");

    let outcome = api.edit(&insert_at(0, "新的第一项"), "编辑人").expect("insert");
    assert!(outcome.reordered);
    let after = names(&api);
    assert_eq!(after[0], "新的第一项");
    assert_eq!(&after[1..], &before[..]);
    assert_dense_and_consistent(&api);
    let written = api.audit_entry_count().expect("count") - audit_before;
    assert_eq!(written, 2, "the new item and one entry for the list's order, not {written}");
    let order_entry = api.history(2).expect("history").into_iter().find(|e| e.entity == "清单").expect("list entry");
    assert_eq!(order_entry.after, Some(json!({ "事项顺序": "第 2–301 项（300 项）" })));
    assert_eq!(order_entry.before, Some(json!({ "事项顺序": "第 1–300 项（300 项）" })));
    assert_eq!(order_entry.reason.as_deref(), Some("插入一行"));

    api.edit(&outcome.inverse, "编辑人").expect("undo");
    assert_eq!(names(&api), before);
    assert_dense_and_consistent(&api);
}

#[test]
fn deleting_and_moving_rows_keep_positions_dense_in_column_and_doc() {
    let mut api = fixture();
    let ids: Vec<u32> = api.list_items(LIST, 0, 5_000).expect("items").items.iter().map(|i| i.id).collect();
    let delete = EditBatch { list: LIST, reason: "删除".into(), edits: vec![ItemEdit::Delete { items: vec![ids[10], ids[20]] }] };
    let deleted = api.edit(&delete, "编辑人").expect("delete");
    let left = names(&api);
    assert_eq!(left.len(), ITEMS as usize - 2);
    assert!(!left.contains(&"事项011".to_string()) && !left.contains(&"事项021".to_string()));
    assert_dense_and_consistent(&api);

    // The last row to the top: everything else moves down one.
    let last = *ids.last().expect("last");
    let moved = api
        .edit(&EditBatch { list: LIST, reason: "移动".into(), edits: vec![ItemEdit::Move { items: vec![Placement { item: last, to: 0 }] }] }, "编辑人")
        .expect("move");
    assert_eq!(names(&api)[0], "事项300");
    assert_dense_and_consistent(&api);
    let history = api.item_history(last, 5).expect("history");
    assert!(history.iter().any(|e| e.reason.as_deref() == Some("移动")), "the moved item itself is audited: {history:?}");

    api.edit(&moved.inverse, "编辑人").expect("undo move");
    api.edit(&deleted.inverse, "编辑人").expect("undo delete");
    let restored: Vec<u32> = api.list_items(LIST, 0, 5_000).expect("items").items.iter().map(|i| i.id).collect();
    assert_eq!(restored, ids);
    assert_dense_and_consistent(&api);
}
