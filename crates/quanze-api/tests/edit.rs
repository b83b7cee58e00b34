//! Editing through the api: batches land whole or not at all, every change is in the audit log
//! with before and after, and the inverse a batch returns restores the list exactly (undo), and
//! its own inverse redoes it.

mod backends;

use quanze_api::{
    Api, EditBatch, ErrorCode, FieldRef, FieldValue, ItemEdit, ItemField, NewItem, Placement,
};
use quanze_domain::{Bundle, Id, Item};
use serde_json::json;

const LIST: Id = 1;
const OTHER_LIST: Id = 2;

fn fixture() -> backends::FreshApi {
    let mut items = Vec::new();
    for n in 1..=40u32 {
        items.push(json!({
            "id": n, "seq": n.to_string(), "name": format!("城市管理事项{n}"),
            "power_type": "行政处罚", "handling_unit": 1,
            "extra": [{ "header": "职权编码", "value": format!("K{n:03}") }]
        }));
    }
    let bundle = json!({
        "format": "quanze-bundle",
        "format_version": 1,
        "jurisdictions": [
            { "id": 1, "name": "测试区", "level": "区" },
            { "id": 2, "parent": 1, "name": "东湖街道", "level": "街道" }
        ],
        "units": [
            { "id": 1, "jurisdiction": 1, "name": "区城市管理局", "kind": "行政" },
            { "id": 2, "jurisdiction": 1, "name": "区应急管理局", "kind": "行政" }
        ],
        "lists": [
            { "id": LIST, "jurisdiction": 1, "unit": 1, "kind": "权责清单", "name": "区城市管理局权责清单", "items": items },
            { "id": OTHER_LIST, "jurisdiction": 2, "kind": "配合履职", "name": "东湖街道配合履职事项清单", "items": [
                { "id": 1001, "name": "消防宣传进社区", "coordination": { "lead_unit": 2, "street_duty": "组织居民参加" } }
            ]}
        ]
    });
    let mut api = backends::fresh_api();
    api.load_bundle_text(&bundle.to_string(), "fixture", "测试")
        .expect("load fixture");
    api
}

fn items(api: &Api, list: Id) -> Vec<Item> {
    api.list_items(list, 0, 5_000).expect("items").items
}

fn names(api: &Api) -> Vec<String> {
    items(api, LIST).into_iter().map(|i| i.name).collect()
}

fn dump(api: &Api) -> Bundle {
    api.dump().expect("dump")
}

fn set(item: Id, field: ItemField, value: &str) -> ItemEdit {
    ItemEdit::Set {
        item,
        field: FieldRef::Standard(field),
        value: value.to_string(),
        was: None,
    }
}

fn batch(reason: &str, edits: Vec<ItemEdit>) -> EditBatch {
    EditBatch {
        list: LIST,
        reason: reason.to_string(),
        edits,
    }
}

fn audit_count(api: &Api) -> usize {
    api.history(1_000_000).expect("history").len()
}

#[test]
fn an_edit_and_its_undo_restore_the_database_exactly_and_are_both_audited() {
    let mut api = fixture();
    let before = dump(&api);
    let outcome = api
        .edit(
            &batch(
                "修改事项",
                vec![
                    set(3, ItemField::Name, "  占道经营查处 "),
                    set(3, ItemField::PowerType, "检查"),
                    set(3, ItemField::Remarks, "新备注"),
                    set(5, ItemField::HandlingUnit, "区应急管理局"),
                ],
            ),
            "张三",
        )
        .expect("edit");
    let after = items(&api, LIST);
    assert_eq!(after[2].name, "占道经营查处", "trimmed");
    assert_eq!(
        after[2].power_type.as_deref(),
        Some("行政检查"),
        "normalized to the label"
    );
    assert_eq!(after[2].remarks.as_deref(), Some("新备注"));
    assert_eq!(
        after[4].handling_unit,
        Some(2),
        "the unit of that exact name"
    );
    assert_eq!(after[4].handling_unit_text.as_deref(), Some("区应急管理局"));
    assert_eq!(outcome.changed.len(), 2);
    assert!(!outcome.reordered);
    assert_eq!(outcome.total, 40);
    assert_eq!(outcome.inverse.reason, "撤销：修改事项");

    // One audit entry per item, however many of its cells changed, with before and after.
    let log = api.item_history(3, 10).expect("item history");
    assert_eq!(
        log.len(),
        2,
        "the load, then one entry for the edit: {log:?}"
    );
    assert_eq!(log[0].actor, "张三");
    assert_eq!(log[0].reason.as_deref(), Some("修改事项"));
    assert_eq!(
        log[0].before.as_ref().and_then(|b| b["name"].as_str()),
        Some("城市管理事项3")
    );
    assert_eq!(
        log[0].after.as_ref().and_then(|a| a["name"].as_str()),
        Some("占道经营查处")
    );

    let redo = api.edit(&outcome.inverse, "张三").expect("undo");
    assert_eq!(dump(&api), before, "undo restores every item exactly");
    let log = api.item_history(3, 10).expect("item history");
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].reason.as_deref(), Some("撤销：修改事项"));
    assert_eq!(redo.inverse.reason, "重做：修改事项");

    api.edit(&redo.inverse, "张三").expect("redo");
    assert_eq!(
        items(&api, LIST),
        after,
        "redo gives the edited state again"
    );
}

#[test]
fn a_refused_edit_leaves_the_database_and_the_audit_log_unchanged() {
    let mut api = fixture();
    let before = dump(&api);
    let audited = audit_count(&api);
    let error = api
        .edit(
            &batch(
                "修改",
                vec![
                    set(1, ItemField::Name, "已改名"),
                    ItemEdit::Delete { items: vec![2] },
                    set(4, ItemField::PowerType, "行政审批"),
                ],
            ),
            "张三",
        )
        .expect_err("行政审批 is not one of the ten");
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert!(error.message.contains("行政审批"), "{}", error.message);
    assert!(
        error.message.contains("第 3 处修改"),
        "names the edit: {}",
        error.message
    );
    assert!(
        error.message.contains("城市管理事项4"),
        "names the item: {}",
        error.message
    );
    assert_eq!(
        dump(&api),
        before,
        "the rename and the delete before it were rolled back"
    );
    assert_eq!(audit_count(&api), audited, "no audit entry either");
}

#[test]
fn refusals_carry_a_code_and_a_chinese_message() {
    let mut api = fixture();
    let cases: Vec<(ItemEdit, ErrorCode, &str)> = vec![
        (
            set(1001, ItemField::Name, "x"),
            ErrorCode::InvalidInput,
            "不在清单",
        ),
        (
            set(9999, ItemField::Name, "x"),
            ErrorCode::NotFound,
            "找不到事项",
        ),
        (
            set(1, ItemField::Name, "   "),
            ErrorCode::InvalidInput,
            "事项名称不能为空",
        ),
        (
            set(1, ItemField::FundingAmount, "很多"),
            ErrorCode::InvalidInput,
            "应为数字",
        ),
        (
            set(1, ItemField::Certificate, "看情况"),
            ErrorCode::InvalidInput,
            "不得出具",
        ),
        (
            ItemEdit::Set {
                item: 1,
                field: FieldRef::Extra {
                    header: "职权编码".into(),
                    index: 3,
                },
                value: "x".into(),
                was: None,
            },
            ErrorCode::InvalidInput,
            "职权编码",
        ),
        (
            ItemEdit::Delete { items: vec![1, 1] },
            ErrorCode::InvalidInput,
            "两次",
        ),
        (
            ItemEdit::Insert {
                items: vec![NewItem {
                    at: 41,
                    after: None,
                    item: Item {
                        name: "新".into(),
                        ..Item::default()
                    },
                    values: vec![],
                }],
            },
            ErrorCode::InvalidInput,
            "超出清单范围",
        ),
        (
            ItemEdit::Insert {
                items: vec![NewItem {
                    at: 0,
                    after: None,
                    item: Item {
                        id: 7,
                        name: "重复".into(),
                        ..Item::default()
                    },
                    values: vec![],
                }],
            },
            ErrorCode::InvalidInput,
            "已存在",
        ),
    ];
    for (edit, code, words) in cases {
        let error = api
            .edit(&batch("测试", vec![edit.clone()]), "张三")
            .expect_err("refused");
        assert_eq!(error.code, code, "{edit:?}: {}", error.message);
        assert!(error.message.contains(words), "{edit:?}: {}", error.message);
        assert!(error.message.starts_with("未保存"), "{}", error.message);
    }
    let error = api
        .edit(&batch("空", vec![]), "张三")
        .expect_err("empty batch");
    assert_eq!(error.code, ErrorCode::InvalidInput);
    let error = api
        .edit(
            &EditBatch {
                list: 77,
                reason: String::new(),
                edits: vec![set(1, ItemField::Name, "x")],
            },
            "张三",
        )
        .expect_err("no such list");
    assert_eq!(error.code, ErrorCode::NotFound);
}

#[test]
fn insert_delete_and_move_keep_positions_dense_and_undo_restores_order_and_ids() {
    let mut api = fixture();
    let original = dump(&api);
    let new = |name: &str, at: u32| NewItem {
        at,
        after: None,
        item: Item {
            name: name.into(),
            ..Item::default()
        },
        values: vec![],
    };
    let inserted = api
        .edit(
            &batch(
                "插入",
                vec![ItemEdit::Insert {
                    items: vec![new("新甲", 2), new("新乙", 3)],
                }],
            ),
            "张三",
        )
        .expect("insert");
    let shown = names(&api);
    assert_eq!(
        &shown[..5],
        [
            "城市管理事项1",
            "城市管理事项2",
            "新甲",
            "新乙",
            "城市管理事项3"
        ]
    );
    assert_eq!(shown.len(), 42);
    assert!(inserted.reordered, "items behind the insert moved down");
    let new_ids: Vec<Id> = inserted.changed.iter().map(|p| p.item.id).collect();
    assert_eq!(
        inserted
            .changed
            .iter()
            .map(|p| p.position)
            .collect::<Vec<_>>(),
        [2, 3]
    );
    assert_eq!(new_ids.len(), 2);

    let deleted = api
        .edit(
            &batch(
                "删除",
                vec![ItemEdit::Delete {
                    items: vec![1, new_ids[1], 40],
                }],
            ),
            "张三",
        )
        .expect("delete");
    assert_eq!(deleted.removed, vec![1, new_ids[1], 40]);
    assert_eq!(
        &names(&api)[..3],
        ["城市管理事项2", "新甲", "城市管理事项3"]
    );
    assert_eq!(deleted.total, 39);

    // Move rows 2–3 (新甲, 城市管理事项3) to the top.
    let moved = api
        .edit(
            &batch(
                "移动",
                vec![ItemEdit::Move {
                    items: vec![
                        Placement {
                            item: new_ids[0],
                            to: 0,
                        },
                        Placement { item: 3, to: 1 },
                    ],
                }],
            ),
            "张三",
        )
        .expect("move");
    assert_eq!(
        &names(&api)[..4],
        ["新甲", "城市管理事项3", "城市管理事项2", "城市管理事项4"]
    );
    // Positions are dense after every change: the item at index i is at position i.
    for (index, item) in items(&api, LIST).iter().enumerate() {
        let at = api.item_location(item.id).expect("location");
        assert_eq!(at.position as usize, index, "{}", item.name);
        assert_eq!(at.list, LIST);
    }

    api.edit(&moved.inverse, "张三").expect("undo move");
    let undo_delete = api.edit(&deleted.inverse, "张三").expect("undo delete");
    let after_undo_delete = names(&api);
    assert_eq!(after_undo_delete.len(), 42);
    assert_eq!(
        &after_undo_delete[..5],
        [
            "城市管理事项1",
            "城市管理事项2",
            "新甲",
            "新乙",
            "城市管理事项3"
        ]
    );
    api.edit(&inserted.inverse, "张三").expect("undo insert");
    assert_eq!(
        dump(&api),
        original,
        "three undos give back the original list"
    );

    // Redo of the delete's undo (deleting again) names the very same items.
    let redo_insert = api.edit(&undo_delete.inverse, "张三");
    assert!(
        redo_insert.is_err(),
        "新乙 no longer exists after undoing its insert"
    );
}

#[test]
fn a_pasted_block_longer_than_the_list_sets_cells_and_appends_rows_in_one_action() {
    let mut api = fixture();
    let before = dump(&api);
    // A block of 3 rows × 2 columns (名称, 权力类型) pasted at row 39 of 40: two existing rows
    // are set, one row is appended.
    let columns = [ItemField::Name, ItemField::PowerType];
    let block = [["粘贴一", "处罚"], ["粘贴二", "许可"], ["粘贴三", "强制"]];
    let mut edits = Vec::new();
    for (row, target) in [39u32, 40].into_iter().enumerate() {
        for (col, field) in columns.iter().enumerate() {
            edits.push(set(target, *field, block[row][col]));
        }
    }
    edits.push(ItemEdit::Insert {
        items: vec![NewItem {
            at: 40,
            after: None,
            item: Item::default(),
            values: columns
                .iter()
                .zip(block[2])
                .map(|(field, value)| FieldValue {
                    field: FieldRef::Standard(*field),
                    value: value.into(),
                })
                .collect(),
        }],
    });
    let outcome = api
        .edit(&batch("粘贴 3 行 × 2 列", edits), "张三")
        .expect("paste");
    let after = items(&api, LIST);
    assert_eq!(after.len(), 41);
    assert_eq!(after[38].name, "粘贴一");
    assert_eq!(after[39].power_type.as_deref(), Some("行政许可"));
    assert_eq!(after[40].name, "粘贴三");
    assert_eq!(after[40].power_type.as_deref(), Some("行政强制"));
    assert!(!outcome.reordered, "appending moves nobody");
    assert_eq!(outcome.changed.len(), 3);

    let redo = api.edit(&outcome.inverse, "张三").expect("undo paste");
    assert_eq!(dump(&api), before);
    api.edit(&redo.inverse, "张三").expect("redo paste");
    assert_eq!(
        items(&api, LIST),
        after,
        "redo restores the appended row with its id"
    );

    // A pasted row without a name is refused, whole.
    let error = api
        .edit(
            &batch(
                "粘贴",
                vec![ItemEdit::Insert {
                    items: vec![NewItem {
                        at: 41,
                        after: None,
                        item: Item::default(),
                        values: vec![FieldValue {
                            field: FieldRef::Standard(ItemField::Remarks),
                            value: "只有备注".into(),
                        }],
                    }],
                }],
            ),
            "张三",
        )
        .expect_err("no name");
    assert!(
        error.message.contains("事项名称不能为空"),
        "{}",
        error.message
    );
}

#[test]
fn a_bulk_edit_of_thirty_rows_is_one_action_with_one_audit_entry_per_item() {
    let mut api = fixture();
    let before = dump(&api);
    let audited = audit_count(&api);
    let ids: Vec<Id> = (5..35).collect();
    let bulk = EditBatch::set_field(
        LIST,
        &ids,
        &FieldRef::Standard(ItemField::HandlingUnit),
        "区应急管理局",
    );
    assert_eq!(bulk.reason, "批量设置承办机构（30 项）");
    let outcome = api.edit(&bulk, "张三").expect("bulk");
    assert_eq!(outcome.changed.len(), 30);
    assert_eq!(audit_count(&api), audited + 30);
    assert!(items(&api, LIST)[4..34]
        .iter()
        .all(|i| i.handling_unit == Some(2)));
    assert_eq!(
        items(&api, LIST)[34].handling_unit,
        Some(1),
        "row 35 untouched"
    );
    api.edit(&outcome.inverse, "张三").expect("undo");
    assert_eq!(dump(&api), before);
}

#[test]
fn extra_fields_and_grouped_fields_are_editable_and_undoable() {
    let mut api = fixture();
    let before = dump(&api);
    let code = FieldRef::Extra {
        header: "职权编码".into(),
        index: 0,
    };
    let outcome = api
        .edit(
            &batch(
                "修改",
                vec![
                    ItemEdit::Set {
                        item: 2,
                        field: code.clone(),
                        value: "NEW-2".into(),
                        was: None,
                    },
                    ItemEdit::Set {
                        item: 2,
                        field: FieldRef::Extra {
                            header: "新表头".into(),
                            index: 0,
                        },
                        value: "值".into(),
                        was: None,
                    },
                    set(6, ItemField::FundingAmount, "20万元"),
                    set(6, ItemField::StaffCount, "2人"),
                    set(6, ItemField::Certificate, "不得出具"),
                ],
            ),
            "张三",
        )
        .expect("edit");
    let after = items(&api, LIST);
    assert_eq!(after[1].extra.len(), 2);
    assert_eq!(after[1].extra[0].value, "NEW-2");
    assert_eq!(after[1].extra[1].header, "新表头");
    let assistance = after[5]
        .assistance
        .as_ref()
        .expect("assistance group created");
    assert_eq!(assistance.funding.amount_wan, Some(20.0));
    assert_eq!(assistance.staff.count, Some(2));
    assert_eq!(after[5].certificate_allowed, Some(false));
    api.edit(&outcome.inverse, "张三").expect("undo");
    assert_eq!(dump(&api), before);

    // Clearing the only field of a group leaves no empty group behind.
    let mut other = EditBatch {
        list: OTHER_LIST,
        reason: "清空".into(),
        edits: vec![
            set(1001, ItemField::LeadUnit, ""),
            set(1001, ItemField::StreetDuty, ""),
        ],
    };
    api.edit(&other, "张三").expect("clear");
    assert_eq!(items(&api, OTHER_LIST)[0].coordination, None);
    other.edits = vec![set(1001, ItemField::LeadUnit, "区城市管理局")];
    api.edit(&other, "张三").expect("set lead unit");
    let coordination = items(&api, OTHER_LIST)[0]
        .coordination
        .clone()
        .expect("group");
    assert_eq!(coordination.lead_unit, Some(1));
}
