//! The import as the CLI and the desktop call it: into the database in one audited
//! transaction, the JSON report contract, the human report, preview with corrections, and a
//! round trip through an Excel file written by a test writer. (Moved here from
//! `quanze-import`, which no longer writes the database; the database is read back through a
//! second connection.)
#![allow(clippy::unwrap_used, clippy::type_complexity)]

#[path = "../../quanze-import/tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use common::{write_xlsx, SheetSpec};
use quanze_api::{Api, ApiError};
use quanze_domain::{Item, ListKind};
use quanze_import::{
    preview, render_report, ColumnOverride, Field, ImportOptions, ImportReport, PreviewOptions,
    SheetOverride, INFERRED_HEADER,
};
use quanze_store::Store;

/// A database file in `dir`: the `Api` that imports, and a `Store` on the same file to read
/// back what landed.
fn database(dir: &Path) -> (Api, Store) {
    let path = dir.join("q.db");
    let api = Api::open(&path).unwrap();
    (api, Store::open(&path).unwrap())
}

fn import_files(
    api: &mut Api,
    actor: &str,
    paths: &[PathBuf],
    options: &ImportOptions,
) -> Result<ImportReport, ApiError> {
    api.import_files(paths, options, actor)
}

fn sample(dir: &std::path::Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    write_xlsx(
        &path,
        &[SheetSpec {
            name: "行政处罚（2项）",
            rows: vec![
                vec![Some("某区城市管理局2024年权责清单")],
                vec![
                    Some("序号"),
                    Some("事项名称"),
                    Some("实施依据"),
                    Some("追责情形"),
                ],
                vec![
                    Some("1"),
                    Some("对乱倒垃圾的处罚"),
                    Some("《城市市容和环境卫生管理条例》"),
                    Some("甲"),
                ],
                vec![
                    Some("2"),
                    Some("对违法占道的处罚"),
                    Some("《城市道路管理条例》"),
                    Some("乙"),
                ],
                vec![None, None, None, Some("乙续")],
            ],
            merges: vec![(0, 0, 0, 3)],
        }],
    );
    path
}

#[test]
fn import_lands_in_one_audited_transaction_under_the_inferred_department() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path(), "城管.xlsx");
    let (mut api, store) = database(dir.path());
    let report = import_files(
        &mut api,
        "张三",
        std::slice::from_ref(&file),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(report.items, 2);
    assert_eq!(report.created_units, vec!["某区城市管理局".to_string()]);
    assert_eq!(
        report.created_jurisdictions,
        vec!["某区".to_string()],
        "place from the department name"
    );
    let reader = store.reader();
    let lists = reader.lists().unwrap();
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].name, "某区城市管理局权责清单");
    assert_eq!(lists[0].kind, ListKind::Power);
    let items = reader.items(lists[0].id, 0, 100).unwrap();
    assert_eq!(
        items[0].power_type.as_deref(),
        Some("行政处罚"),
        "from the sheet name"
    );
    assert_eq!(
        items[0].subject.as_deref(),
        Some("某区城市管理局"),
        "no 行使主体 column: from the title"
    );
    assert!(items[0]
        .extra
        .iter()
        .any(|e| e.header == INFERRED_HEADER && e.value.starts_with("行使主体")));
    let p = items[1].provenance.clone().unwrap();
    assert_eq!(
        (p.file.as_str(), p.sheet.as_str(), p.row, p.merged_rows),
        ("城管.xlsx", "行政处罚（2项）", 4, vec![5])
    );
    let history = reader.audit_log(100, None).unwrap();
    assert_eq!(history.len(), 4, "jurisdiction, unit, list, one entry for the two items");
    assert!(history
        .iter()
        .all(|h| h.actor == "张三" && h.reason.as_deref() == Some("导入 城管.xlsx")));
}

/// Guards idempotence (exchange issue, item 3): importing the same workbook into the list it
/// filled changes nothing — no item added, changed or removed, the same items with the same
/// ids and uids, not one audit entry — where it used to append every item again.
#[test]
fn importing_the_same_workbook_twice_changes_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path(), "城管.xlsx");
    let (mut api, store) = database(dir.path());
    import_files(&mut api, "张三", std::slice::from_ref(&file), &ImportOptions::default()).unwrap();
    let list = store.reader().lists().unwrap()[0].id;
    let before = store.reader().items(list, 0, 100).unwrap();
    let audit_before = store.reader().audit_count().unwrap();

    let again = import_files(&mut api, "张三", &[file], &ImportOptions::default()).unwrap();
    assert!(again.created_units.is_empty() && again.created_jurisdictions.is_empty());
    assert_eq!(again.items, 2, "the items the workbook gave, now the list's content");
    assert_eq!(again.files[0].list_id, Some(list));
    let [update] = again.updates.as_slice() else { panic!("one list updated: {:?}", again.updates) };
    assert_eq!(update.list_id, list);
    assert!(update.is_empty(), "{update:?}");
    assert_eq!((update.changed_items, update.unchanged), (0, 2));
    assert_eq!(store.reader().items(list, 0, 100).unwrap(), before, "same items, ids, uids and places");
    assert_eq!(store.reader().audit_count().unwrap(), audit_before, "nothing written, nothing audited");
    let text = render_report(&again);
    assert!(text.contains("新增 0，修改 0，删除 0，相同 2"), "{text}");
}

/// A legacy workbook of 某区城市管理局 with 序号, 事项编码, 事项名称 and 实施依据 (a title row
/// above the header names the department): `rows` are (序号, 编码, 名称, 依据).
fn city_management(dir: &Path, name: &str, rows: &[(&'static str, &'static str, &'static str, &'static str)]) -> PathBuf {
    let path = dir.join(name);
    let mut sheet_rows = vec![
        vec![Some("某区城市管理局2024年权责清单")],
        vec![Some("序号"), Some("事项编码"), Some("事项名称"), Some("实施依据")],
    ];
    for &(seq, code, item, basis) in rows {
        let cell = |text: &'static str| (!text.is_empty()).then_some(text);
        sheet_rows.push(vec![cell(seq), cell(code), cell(item), cell(basis)]);
    }
    write_xlsx(&path, &[SheetSpec { name: "行政处罚", rows: sheet_rows, merges: vec![(0, 0, 0, 3)] }]);
    path
}

/// Guards the update in place: a department's updated workbook — one row renamed (same
/// 事项编码), one row's 实施依据 changed, one row removed, one row inserted in the middle, the
/// rows reordered and renumbered — makes the list exactly that: matched items keep their uids,
/// the new one stands at its place, the removed one is gone; a 序号 that only followed its row
/// is not a change. A dry run first reports exactly what the import then does, and writes
/// nothing.
#[test]
fn an_updated_workbook_updates_the_list_in_place_and_a_dry_run_reports_exactly_that() {
    let dir = tempfile::tempdir().unwrap();
    let first = city_management(
        dir.path(),
        "城管2024.xlsx",
        &[
            ("1", "CG-001", "对乱倒垃圾的处罚", "《城市市容和环境卫生管理条例》"),
            ("2", "CG-002", "对违法占道的处罚", "《城市道路管理条例》"),
            ("3", "", "对噪声扰民的处罚", "《环境噪声污染防治法》"),
            ("4", "CG-004", "对擅自挖掘道路的处罚", "《城市道路管理条例》第三十三条"),
            ("5", "CG-005", "对违规设置广告的处罚", "《广告管理条例》"),
        ],
    );
    let updated = city_management(
        dir.path(),
        "城管2025.xlsx",
        &[
            ("1", "", "对噪声扰民的处罚", "《环境噪声污染防治法》"),
            ("2", "CG-001", "对乱倒垃圾的处罚", "《城市市容和环境卫生管理条例》"),
            ("3", "CG-002", "对违法占用城市道路的处罚", "《城市道路管理条例》"),
            ("4", "CG-006", "对占道经营的处罚", "《城市市容和环境卫生管理条例》第十四条"),
            ("5", "CG-004", "对擅自挖掘道路的处罚", "《城市道路管理条例》第三十五条"),
        ],
    );
    let (mut api, store) = database(dir.path());
    import_files(&mut api, "张三", &[first], &ImportOptions::default()).unwrap();
    let list = store.reader().lists().unwrap()[0].id;
    let before = store.reader().items(list, 0, 100).unwrap();
    let uid_of = |items: &[Item], name: &str| {
        items.iter().find(|i| i.name == name).and_then(|i| i.uid.clone()).unwrap()
    };
    let audit_before = store.reader().audit_count().unwrap();

    let dry_options = ImportOptions { dry_run: true, ..ImportOptions::default() };
    let dry = import_files(&mut api, "李四", std::slice::from_ref(&updated), &dry_options).unwrap();
    assert_eq!(store.reader().audit_count().unwrap(), audit_before, "a dry run writes nothing");
    assert_eq!(store.reader().items(list, 0, 100).unwrap(), before);
    let [planned] = dry.updates.as_slice() else { panic!("{:?}", dry.updates) };
    let added: Vec<(&str, &str)> = planned.added.iter().map(|a| (a.label.as_str(), a.id.as_str())).collect();
    assert_eq!(added, [("对占道经营的处罚", "")], "a new item has no uid before it is written");
    let removed: Vec<(&str, String)> = planned.removed.iter().map(|r| (r.label.as_str(), r.id.clone())).collect();
    assert_eq!(removed, [("对违规设置广告的处罚", uid_of(&before, "对违规设置广告的处罚").to_string())]);
    let changed: Vec<(String, &str, &str, serde_json::Value, serde_json::Value)> = planned
        .changed
        .iter()
        .map(|c| (c.id.clone(), c.field.as_str(), c.field_label.as_str(), c.before.clone(), c.after.clone()))
        .collect();
    let (renamed, dug) = (uid_of(&before, "对违法占道的处罚").to_string(), uid_of(&before, "对擅自挖掘道路的处罚").to_string());
    assert_eq!(
        changed,
        [
            (renamed.clone(), "seq", "序号", "2".into(), "3".into()),
            (renamed, "name", "事项名称", "对违法占道的处罚".into(), "对违法占用城市道路的处罚".into()),
            (dug.clone(), "seq", "序号", "4".into(), "5".into()),
            (dug, "basis", "实施依据", "《城市道路管理条例》第三十三条".into(), "《城市道路管理条例》第三十五条".into()),
        ]
    );
    assert_eq!((planned.changed_items, planned.unchanged), (2, 2), "序号 alone is no change");
    let text = render_report(&dry);
    assert!(text.contains("将按工作簿更新：新增 1，修改 2，删除 1，相同 2"), "{text}");
    assert!(text.contains("修改 事项 对违法占道的处罚 事项名称：对违法占道的处罚 → 对违法占用城市道路的处罚"), "{text}");
    assert!(text.contains("删除 事项 对违规设置广告的处罚"), "{text}");

    let report = import_files(&mut api, "李四", &[updated], &ImportOptions::default()).unwrap();
    let [done] = report.updates.as_slice() else { panic!("{:?}", report.updates) };
    assert_eq!((&done.changed, &done.removed, done.unchanged), (&planned.changed, &planned.removed, planned.unchanged));
    let after = store.reader().items(list, 0, 100).unwrap();
    let names: Vec<&str> = after.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        ["对噪声扰民的处罚", "对乱倒垃圾的处罚", "对违法占用城市道路的处罚", "对占道经营的处罚", "对擅自挖掘道路的处罚"],
        "the workbook's order"
    );
    let uids: Vec<String> = after.iter().map(|i| i.uid.clone().unwrap().to_string()).collect();
    assert_eq!(uids[0], uid_of(&before, "对噪声扰民的处罚").to_string(), "matched by name");
    assert_eq!(uids[1], uid_of(&before, "对乱倒垃圾的处罚").to_string(), "matched by code");
    assert_eq!(uids[2], uid_of(&before, "对违法占道的处罚").to_string(), "renamed, same code");
    assert_eq!(uids[3], done.added[0].id, "the new item, at its place, with the uid reported");
    assert!(
        before.iter().all(|i| i.id != after[3].id),
        "the removed item had the highest row id; the new one does not take it"
    );
    assert!(before.iter().all(|i| i.uid.as_ref().map(ToString::to_string) != Some(uids[3].clone())));
    assert_eq!(uids[4], uid_of(&before, "对擅自挖掘道路的处罚").to_string());
    assert_eq!(after[4].basis.as_deref(), Some("《城市道路管理条例》第三十五条"));
    assert_eq!(after[2].seq.as_deref(), Some("3"), "the new 序号 written with a real change");
    assert_eq!(after[1].seq.as_deref(), Some("1"), "a 序号 that only followed its row is left alone");
    assert_eq!(after[4].provenance.as_ref().map(|p| p.file.as_str()), Some("城管2025.xlsx"));
    assert_eq!(after[1].provenance.as_ref().map(|p| p.file.as_str()), Some("城管2024.xlsx"));

    // One deletion, two updates, one run of one new item, one reordering of the list.
    let entries = store.reader().audit_log(100, None).unwrap();
    let written: Vec<(&str, &str, &str)> = entries
        .iter()
        .take_while(|e| e.actor == "李四")
        .map(|e| (e.action.as_str(), e.entity.as_str(), e.label.as_str()))
        .collect();
    assert_eq!(written.len() as i64, store.reader().audit_count().unwrap() - audit_before, "{written:?}");
    let mut expected = vec![
        ("修改", "事项", "对违法占用城市道路的处罚"),
        ("新增", "事项", "某区城市管理局权责清单：导入 城管2025.xlsx（1 项）"),
        ("修改", "事项", "对擅自挖掘道路的处罚"),
        ("删除", "事项", "对违规设置广告的处罚"),
        ("修改", "清单", "某区城市管理局权责清单"),
    ];
    expected.reverse();
    assert_eq!(written, expected, "newest first");
    assert!(entries.iter().take(written.len()).all(|e| e.reason.as_deref() == Some("导入 城管2025.xlsx")));

    // Imported once more, the updated workbook changes nothing.
    let again = import_files(&mut api, "李四", &[dir.path().join("城管2025.xlsx")], &ImportOptions::default()).unwrap();
    assert!(again.updates[0].is_empty(), "{:?}", again.updates);
    assert_eq!(store.reader().items(list, 0, 100).unwrap(), after);
}

#[test]
fn chosen_jurisdiction_unit_and_kind_and_dry_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path(), "城管.xlsx");
    let (mut api, store) = database(dir.path());
    let options = ImportOptions {
        jurisdiction: Some("临海区".into()),
        unit: Some("临海区城市管理和综合执法局".into()),
        list_kind: ListKind::UnitDuties,
        dry_run: true,
        ..ImportOptions::default()
    };
    let dry = import_files(&mut api, "t", std::slice::from_ref(&file), &options).unwrap();
    assert!(dry.dry_run);
    assert_eq!(dry.items, 2);
    assert_eq!(
        store.reader().audit_count().unwrap(),
        0,
        "dry run writes nothing"
    );
    let report = import_files(
        &mut api,
        "t",
        &[file],
        &ImportOptions {
            dry_run: false,
            ..options
        },
    )
    .unwrap();
    assert_eq!(report.files[0].jurisdiction.as_deref(), Some("临海区"));
    assert_eq!(
        report.files[0].unit.as_deref(),
        Some("临海区城市管理和综合执法局")
    );
    assert_eq!(
        report.files[0].list.as_deref(),
        Some("临海区城市管理和综合执法局职责清单")
    );
    let lists = store.reader().lists().unwrap();
    assert_eq!(lists[0].kind, ListKind::UnitDuties);
}

#[test]
fn json_report_keeps_the_cli_contract() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path(), "城管.xlsx");
    let (mut api, _) = database(dir.path());
    let report = import_files(&mut api, "t", &[file], &ImportOptions::default()).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["items"], 2);
    let f = &json["files"][0];
    assert_eq!(f["path"], "城管.xlsx");
    assert_eq!(f["format"], "xlsx");
    let s = &f["sheets"][0];
    assert_eq!(s["name"], "行政处罚（2项）");
    assert_eq!(s["header_row"], 2);
    assert_eq!(s["items"], 2);
    assert_eq!(s["mapping"][1]["field"], "name");
    assert_eq!(s["mapping"][1]["synonym"], "事项名称");
    assert_eq!(s["merged_rows"][0]["row"], 5);
    assert_eq!(s["merged_rows"][0]["into_row"], 4);
    assert!(s["skipped"].is_array());
    let text = render_report(&report);
    assert!(text.contains("文件 城管.xlsx（xlsx）"), "{text}");
    assert!(text.contains("表头在第 2 行，事项 2 条"), "{text}");
    assert!(text.contains("第 5 行 → 第 4 行的事项（续行）"), "{text}");
    assert!(text.contains("已导入：共 2 条事项"), "{text}");
}

#[test]
fn skipped_rows_keep_their_text_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.csv");
    std::fs::write(
        &path,
        "序号,事项名称,权力类型\n1,甲,行政许可\n序号,事项名称,权力类型\n3,,\n",
    )
    .unwrap();
    let (mut api, _) = database(dir.path());
    let report = import_files(&mut api, "t", &[path], &ImportOptions::default()).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    let skipped = &json["files"][0]["sheets"][0]["skipped"];
    assert_eq!(skipped[0]["row"], 3);
    assert_eq!(skipped[0]["reason"], "重复的表头");
    assert_eq!(skipped[0]["text"], "序号 | 事项名称 | 权力类型");
    assert_eq!(skipped[1]["row"], 4);
    assert_eq!(skipped[1]["text"], "3");
}

#[test]
fn preview_then_correct_header_row_and_column_then_preview_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("怪表头.xlsx");
    write_xlsx(
        &path,
        &[SheetSpec {
            name: "清单",
            rows: vec![
                vec![Some("栏目一"), Some("栏目二"), Some("栏目三")],
                vec![Some("1"), Some("对某行为的处罚"), Some("行政处罚")],
            ],
            merges: vec![],
        }],
    );
    let first = preview(&path, &PreviewOptions::default()).unwrap();
    let sheet = &first.sheets[0];
    assert!(
        sheet.error.as_deref().unwrap_or("").contains("表头"),
        "no header is reported on the sheet"
    );
    assert_eq!(sheet.raw_rows.len(), 2, "raw rows for the header picker");
    let corrected = PreviewOptions {
        sheets: vec![SheetOverride {
            sheet: "清单".into(),
            header_row: Some(1),
            columns: vec![
                ColumnOverride {
                    column: "A".into(),
                    field: Some(Field::Seq),
                },
                ColumnOverride {
                    column: "B".into(),
                    field: Some(Field::Name),
                },
                ColumnOverride {
                    column: "C".into(),
                    field: Some(Field::PowerType),
                },
            ],
            ..SheetOverride::default()
        }],
        sample_items: None,
    };
    let second = preview(&path, &corrected).unwrap();
    let sheet = &second.sheets[0];
    assert!(sheet.error.is_none());
    assert_eq!(sheet.report.mapping[1].source, "指定");
    assert_eq!(sheet.items[0].name, "对某行为的处罚");
    assert_eq!(sheet.items[0].power_type.as_deref(), Some("行政处罚"));
    // The same corrections make the import go through.
    let (mut api, _) = database(dir.path());
    let options = ImportOptions {
        sheets: corrected.sheets.clone(),
        ..ImportOptions::default()
    };
    assert_eq!(
        import_files(&mut api, "t", &[path], &options)
            .unwrap()
            .items,
        1
    );
}

/// A test writer: a list to an Excel sheet with the standard headers and extra columns.
fn export(items: &[Item], path: &std::path::Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let fields: Vec<(&str, fn(&Item) -> Option<String>)> = vec![
        ("序号", |i| i.seq.clone()),
        ("事项编码", |i| i.code.clone()),
        ("事项名称", |i| Some(i.name.clone())),
        ("子项名称", |i| i.sub_item.clone()),
        ("权力类型", |i| i.power_type.clone()),
        ("实施依据", |i| i.basis.clone()),
        ("行使主体", |i| i.subject.clone()),
        ("承办机构", |i| i.handling_unit_text.clone()),
        ("实施层级及权限", |i| i.level_and_authority.clone()),
        ("部门职责", |i| i.department_duty.clone()),
        ("责任事项内容", |i| i.responsibility.clone()),
        ("责任事项依据", |i| i.responsibility_basis.clone()),
        ("追责对象范围", |i| i.accountable_scope.clone()),
        ("追责情形", |i| i.accountability_cases.clone()),
        ("备注", |i| i.remarks.clone()),
    ];
    let mut extra_headers: Vec<String> = Vec::new();
    for item in items {
        for e in &item.extra {
            if !extra_headers.contains(&e.header) {
                extra_headers.push(e.header.clone());
            }
        }
    }
    for (c, (h, _)) in fields.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (k, h) in extra_headers.iter().enumerate() {
        sheet.write_string(0, (fields.len() + k) as u16, h).unwrap();
    }
    for (r, item) in items.iter().enumerate() {
        let row = r as u32 + 1;
        for (c, (_, get)) in fields.iter().enumerate() {
            if let Some(v) = get(item) {
                sheet.write_string(row, c as u16, v).unwrap();
            }
        }
        for e in &item.extra {
            let k = extra_headers.iter().position(|h| *h == e.header).unwrap();
            sheet
                .write_string(row, (fields.len() + k) as u16, &e.value)
                .unwrap();
        }
    }
    book.save(path).unwrap();
}

#[test]
fn round_trip_through_excel_gives_the_same_items() {
    let item = |seq: &str, name: &str, sub: Option<&str>, basis: &str| Item {
        seq: Some(seq.into()),
        code: Some(format!("650200207XK0{seq}")),
        name: name.into(),
        sub_item: sub.map(str::to_string),
        power_type: Some("行政许可".into()),
        basis: Some(basis.into()),
        subject: Some("某区住房和城乡建设局".into()),
        handling_unit_text: Some("建筑市场监管科".into()),
        level_and_authority: Some("县市区级\n负责本级许可".into()),
        department_duty: Some("负责建筑市场监管".into()),
        responsibility: Some("直接实施责任：\n1.受理\n2.审查".into()),
        responsibility_basis: Some("【法律】《行政许可法》".into()),
        accountable_scope: Some("1.具体承办人；\n2.内设机构负责人".into()),
        accountability_cases: Some("因不履行或不正确履行行政职责".into()),
        remarks: Some("无".into()),
        extra: vec![quanze_domain::ExtraField {
            header: "救济渠道".into(),
            value: "行政复议".into(),
        }],
        ..Item::default()
    };
    let original = vec![
        item(
            "1",
            "建筑工程施工许可证核发",
            None,
            "【法律】《建筑法》第七条",
        ),
        item(
            "2",
            "建设类企业资质审批",
            Some("1.房地产估价机构资质核准"),
            "【国务院决定】第412号",
        ),
        item(
            "2",
            "建设类企业资质审批",
            Some("2.建筑业企业资质审批"),
            "【法律】《建筑法》第十三条",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("导出.xlsx");
    export(&original, &path);
    let (mut api, store) = database(dir.path());
    let options = ImportOptions {
        jurisdiction: Some("某区".into()),
        unit: Some("某区住房和城乡建设局".into()),
        ..ImportOptions::default()
    };
    let report = import_files(&mut api, "t", &[path], &options).unwrap();
    assert_eq!(report.items, 3);
    let back: Vec<Item> = store
        .reader()
        .all_items()
        .unwrap()
        .into_iter()
        // A workbook carries no identities: the imported items are new entities.
        .map(|r| Item {
            id: 0,
            uid: None,
            provenance: None,
            ..r.item
        })
        .collect();
    assert_eq!(back, original);
}

#[test]
fn street_lists_need_an_existing_street() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample(dir.path(), "城管.xlsx");
    let (mut api, _) = database(dir.path());
    let options = ImportOptions {
        list_kind: ListKind::StreetBasic,
        jurisdiction: Some("不存在街道".into()),
        ..ImportOptions::default()
    };
    let err = import_files(&mut api, "t", &[file], &options).expect_err("refused");
    assert!(err.code.is_user_error());
    assert!(err.message.contains("找不到街道“不存在街道”"), "{}", err.message);
}

/// A bad file among good ones (moved from `quanze-import`'s `tests/bad_input.rs`, whose cases
/// now stop at the plan): the import is refused with a message naming the file, as bad input,
/// and the database is unchanged.
#[test]
fn a_refused_file_leaves_the_database_unchanged() {
    let truncated = {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.xlsx");
        write_xlsx(
            &path,
            &[SheetSpec {
                name: "Sheet1",
                rows: vec![vec![Some("a")]],
                merges: vec![],
            }],
        );
        let bytes = std::fs::read(path).unwrap();
        bytes[..bytes.len() / 2].to_vec()
    };
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("截断.xlsx", truncated, "损坏"),
        ("空.xlsx", Vec::new(), "空文件"),
        ("报告.xlsx", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj".to_vec(), "PDF"),
        ("数据.bin", (0..4096u32).map(|i| (i * 31 % 256) as u8).collect(), "不是可导入的电子表格"),
    ];
    for (name, bytes, wanted) in cases {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("好的清单.xlsx");
        write_xlsx(
            &good,
            &[SheetSpec {
                name: "Sheet1",
                rows: vec![
                    vec![Some("序号"), Some("事项名称"), Some("权力类型")],
                    vec![Some("1"), Some("一条好事项"), Some("行政许可")],
                ],
                merges: vec![],
            }],
        );
        let bad = dir.path().join(name);
        std::fs::write(&bad, bytes).unwrap();
        let (mut api, store) = database(dir.path());
        let err = import_files(&mut api, "测试", &[good, bad], &ImportOptions::default())
            .expect_err("must be refused");
        let message = &err.message;
        assert!(message.contains(wanted), "message {message:?} lacks {wanted:?}");
        assert!(message.contains(name), "message names the file: {message}");
        assert!(err.code.is_user_error(), "{message}");
        assert_eq!(
            store.reader().audit_count().unwrap(),
            0,
            "database unchanged"
        );
        assert!(store.reader().all_items().unwrap().is_empty());
        assert!(store.reader().jurisdictions().unwrap().is_empty());
    }
}

/// Issue 14: an import is searchable when it returns (no index catches up afterwards) and the
/// audit log holds one entry for all its items, naming the file, its SHA-256 and its rows —
/// not one entry with a copy of every item.
#[test]
fn a_big_import_is_searchable_when_it_returns_and_audited_as_one_entry_naming_the_file() {
    use sha2::Digest;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("大表.csv");
    let mut text = String::from("序号,事项名称,权力类型\n");
    for n in 1..=2_500 {
        text.push_str(&format!("{n},对第{n}种违法行为的处罚,行政处罚\n"));
    }
    std::fs::write(&path, &text).unwrap();
    let options = ImportOptions {
        jurisdiction: Some("某区".into()),
        ..ImportOptions::default()
    };
    let mut api = Api::open(&dir.path().join("import.db")).unwrap();
    let audit_before = api.audit_entry_count().unwrap();
    let report = api.import_files(std::slice::from_ref(&path), &options, "t").unwrap();
    assert_eq!(report.items, 2_500);
    let hits = api.search("第2499种", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].field, "事项名称");

    let history = api.history(100).unwrap();
    let runs: Vec<_> = history.iter().filter(|e| e.entity == "事项").collect();
    assert_eq!(runs.len(), 1, "one entry for the file's items: {runs:?}");
    let run = runs[0];
    assert_eq!(run.entity_id_last, Some(run.entity_id + 2_499));
    let after = run.after.as_ref().unwrap();
    let hash: String = sha2::Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(after["SHA-256"], hash.as_str());
    assert_eq!(after["来源"], "导入 大表.csv");
    assert!(after["行"].as_str().unwrap().contains("第 2–2501 行"), "{after}");
    // 1 jurisdiction, 1 unit, 1 list and 1 entry for the items.
    assert_eq!(api.audit_entry_count().unwrap() - audit_before, 4);
    let one_item = hits[0].item.id;
    let item_history = api.item_history(one_item, 10).unwrap();
    assert_eq!(item_history.len(), 1);
    assert_eq!(item_history[0].id, run.id);
}

/// Issue 13: an import that reads no item (a header and nothing under it) is refused with a
/// message saying so, and the database is exactly as before: no jurisdiction, unit or empty
/// list created, nothing in the audit log. Among files with items, such a file creates nothing.
#[test]
fn an_import_of_no_items_is_refused_and_leaves_the_database_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let good = sample(dir.path(), "城管.xlsx");
    let (mut api, store) = database(dir.path());
    import_files(
        &mut api,
        "测试",
        std::slice::from_ref(&good),
        &ImportOptions::default(),
    )
    .unwrap();
    let snapshot = |store: &Store| {
        let reader = store.reader();
        (
            reader.audit_count().unwrap(),
            reader.jurisdictions().unwrap().len(),
            reader.units().unwrap().len(),
            reader.lists().unwrap().len(),
            reader.all_items().unwrap().len(),
        )
    };
    let before = snapshot(&store);

    let empty = dir.path().join("某区统计局2024年权责清单.xlsx");
    std::fs::write(&empty, common::hostile::plain_xlsx(0)).unwrap();
    for options in [
        ImportOptions::default(),
        ImportOptions {
            jurisdiction: Some("新区".into()),
            unit: Some("新单位".into()),
            ..ImportOptions::default()
        },
    ] {
        let err = import_files(&mut api, "测试", std::slice::from_ref(&empty), &options)
            .expect_err("0 items must be refused");
        assert!(err.message.contains("没有读出任何事项"), "{}", err.message);
        assert!(
            err.message.contains("某区统计局2024年权责清单.xlsx"),
            "{}",
            err.message
        );
        assert!(err.code.is_user_error(), "{}", err.message);
        assert_eq!(snapshot(&store), before, "database unchanged");
    }

    // With a file that has items: that file lands, the empty one creates no unit or list.
    let report = import_files(&mut api, "测试", &[good, empty], &ImportOptions::default()).unwrap();
    assert_eq!(report.items, 2);
    assert_eq!(report.files[1].list, None);
    let units = store.reader().units().unwrap();
    assert!(units.iter().all(|u| u.name != "某区统计局"), "{units:?}");
    assert_eq!(store.reader().lists().unwrap().len(), before.3);
}

/// Guards "several files of one import going to the same list are taken together": two
/// workbooks imported into one unit's list are its content together, in order; imported again
/// together they change nothing, and one of them alone makes the list that workbook — the
/// other's items are removed (the workbooks given are the list).
#[test]
fn several_files_into_one_list_are_its_content_together() {
    let dir = tempfile::tempdir().unwrap();
    let first = city_management(dir.path(), "一.xlsx", &[("1", "A-1", "甲事项", "依据甲"), ("2", "A-2", "乙事项", "依据乙")]);
    let second = city_management(dir.path(), "二.xlsx", &[("1", "B-1", "丙事项", "依据丙")]);
    let (mut api, store) = database(dir.path());
    let options = ImportOptions { unit: Some("某区城市管理局".into()), ..ImportOptions::default() };
    let both = [first.clone(), second];
    import_files(&mut api, "t", &both, &options).unwrap();
    let list = store.reader().lists().unwrap()[0].id;
    let names = |store: &Store| -> Vec<String> { store.reader().items(list, 0, 100).unwrap().into_iter().map(|i| i.name).collect() };
    assert_eq!(names(&store), ["甲事项", "乙事项", "丙事项"]);

    let again = import_files(&mut api, "t", &both, &options).unwrap();
    assert_eq!(again.updates.len(), 1, "one list, both files: {:?}", again.updates);
    assert!(again.updates[0].is_empty() && again.updates[0].unchanged == 3, "{:?}", again.updates);

    let alone = import_files(&mut api, "t", &[first], &options).unwrap();
    let removed: Vec<&str> = alone.updates[0].removed.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(removed, ["丙事项"]);
    assert_eq!(names(&store), ["甲事项", "乙事项"]);
}

/// Guards the one deletion an import refuses: an item a 准入 request admitted into a
/// community's 协助政府 list, which a workbook without it would delete. The dry run and the
/// import both say so, naming the item; nothing is written.
#[test]
fn a_workbook_that_would_delete_an_admitted_item_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut api, store) = database(dir.path());
    api.load_sample_district("测试").unwrap();
    let requests = api.admission_requests(None).unwrap();
    let admitted = requests.iter().find_map(|r| r.admitted_item).expect("the sample has an admitted item");
    let record = store.reader().item(admitted).unwrap();
    let list = store.reader().list(record.list).unwrap();
    assert_eq!(list.kind, ListKind::CommunityAssist);
    let community = store.reader().jurisdiction(list.jurisdiction).unwrap().name;
    let path = dir.path().join("协助.xlsx");
    write_xlsx(
        &path,
        &[SheetSpec {
            name: "协助政府",
            rows: vec![vec![Some("序号"), Some("事项名称")], vec![Some("1"), Some("协助开展某项新工作")]],
            merges: vec![],
        }],
    );
    let audit_before = store.reader().audit_count().unwrap();
    for dry_run in [true, false] {
        let options = ImportOptions {
            jurisdiction: Some(community.clone()),
            list_kind: ListKind::CommunityAssist,
            dry_run,
            ..ImportOptions::default()
        };
        let err = import_files(&mut api, "t", std::slice::from_ref(&path), &options).expect_err("refused");
        assert!(err.code.is_user_error(), "{}", err.message);
        assert!(err.message.contains(&record.item.name) && err.message.contains("准入"), "{}", err.message);
        assert_eq!(store.reader().audit_count().unwrap(), audit_before, "nothing written");
    }
}

/// Issue 18 bug 1: an import is undone from the app (撤销导入). A first import into an empty
/// database is taken back whole — items, list, unit and jurisdiction it created gone; a
/// re-import that renamed, removed, added and reordered items is taken back to the list as it
/// was (same ids, same order); both audited as 撤销导入; refused once anything else was written.
#[test]
fn an_import_is_undone_whole_and_only_while_nothing_else_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let first = city_management(
        dir.path(),
        "城管2024.xlsx",
        &[
            ("1", "CG-001", "对乱倒垃圾的处罚", "《城市市容和环境卫生管理条例》"),
            ("2", "CG-002", "对违法占道的处罚", "《城市道路管理条例》"),
            ("3", "CG-005", "对违规设置广告的处罚", "《广告管理条例》"),
        ],
    );
    let updated = city_management(
        dir.path(),
        "城管2025.xlsx",
        &[
            ("1", "CG-006", "对占道经营的处罚", "《城市市容和环境卫生管理条例》第十四条"),
            ("2", "CG-002", "对违法占用城市道路的处罚", "《城市道路管理条例》"),
            ("3", "CG-001", "对乱倒垃圾的处罚", "《城市市容和环境卫生管理条例》"),
        ],
    );
    let (mut api, store) = database(dir.path());
    assert_eq!(api.undoable_import(), None);
    assert_eq!(api.undo_import("t").unwrap_err().code, quanze_api::ErrorCode::NotFound);

    // A first import into an empty database, undone: nothing of it is left.
    import_files(&mut api, "张三", std::slice::from_ref(&first), &ImportOptions::default()).unwrap();
    assert_eq!(api.undoable_import().as_deref(), Some("导入 城管2024.xlsx"));
    let undone = api.undo_import("张三").unwrap();
    assert_eq!(undone.deleted_lists.len(), 1);
    assert_eq!(undone.deleted_units.len(), 1, "{undone:?}");
    let reader = store.reader();
    assert!(reader.lists().unwrap().is_empty() && reader.units().unwrap().is_empty());
    assert!(reader.jurisdictions().unwrap().is_empty(), "the district the import created is gone too");
    assert_eq!(api.history(1).unwrap()[0].reason.as_deref(), Some("撤销导入 城管2024.xlsx"));
    assert_eq!(api.undoable_import(), None, "an undo is done once");

    // Imported again, then updated by the 2025 workbook; undoing the update restores the list.
    import_files(&mut api, "张三", std::slice::from_ref(&first), &ImportOptions::default()).unwrap();
    let list = store.reader().lists().unwrap()[0].id;
    let before = store.reader().items(list, 0, 100).unwrap();
    let report = import_files(&mut api, "李四", std::slice::from_ref(&updated), &ImportOptions::default()).unwrap();
    assert_eq!(report.updates.len(), 1, "the second import updates the list");
    assert_ne!(store.reader().items(list, 0, 100).unwrap(), before);
    let undone = api.undo_import("李四").unwrap();
    assert_eq!(undone.lists, vec![list]);
    assert!(undone.deleted_lists.is_empty() && undone.deleted_units.is_empty());
    assert_eq!(store.reader().items(list, 0, 100).unwrap(), before, "items, ids, uids and order as before");

    // Once something else is written after an import, the undo is refused and changes nothing.
    import_files(&mut api, "李四", std::slice::from_ref(&updated), &ImportOptions::default()).unwrap();
    let after_import = store.reader().items(list, 0, 100).unwrap();
    let first_item = after_import[0].id;
    api.edit(
        &quanze_api::EditBatch::set_field(list, &[first_item], &quanze_api::FieldRef::Standard(quanze_api::ItemField::Remarks), "导入后手工修改"),
        "王五",
    )
    .unwrap();
    assert_eq!(api.undoable_import(), None);
    let refused = api.undo_import("李四").unwrap_err();
    assert_eq!(refused.code, quanze_api::ErrorCode::ProcedureRefused);
    assert!(refused.message.contains("导入前"), "{}", refused.message);
    assert_eq!(store.reader().items(list, 0, 100).unwrap()[1..], after_import[1..]);
}
