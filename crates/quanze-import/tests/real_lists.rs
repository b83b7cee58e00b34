//! The real published workbooks of `../shared/real-lists`: the report names merges and
//! inferences. (Their import into the database, with the golden summary and every cell found
//! again, is `crates/quanze-api/tests/import_real_lists.rs`.)
//!
//! Missing real-lists: a failure under CI, a printed note otherwise.
#![allow(clippy::unwrap_used)]

mod common;

use quanze_import::ImportOptions;

#[test]
fn real_lists_report_names_merges_and_inferences() {
    let Some(dir) = common::real_lists() else {
        return;
    };
    let files = common::workbooks(&dir);
    let plan = quanze_import::plan_import(&files, &ImportOptions::default()).expect("plan");
    let report = plan.report(true);
    let find = |file: &str, sheet: &str| {
        report
            .files
            .iter()
            .find(|f| f.path.contains(file))
            .and_then(|f| f.sheets.iter().find(|s| s.name == sheet))
            .unwrap_or_else(|| panic!("{file}/{sheet}"))
            .clone()
    };
    // 统计局: items span two rows of merged cells; rows 4 and 6 belong to the items above.
    let stats = find("统计局", "Sheet1");
    assert_eq!(stats.header_row, Some(2));
    assert!(stats
        .merged_rows
        .iter()
        .any(|m| m.row == 4 && m.into_row == 3 && m.kind == "合并单元格"));
    // 人社局: sub-item rows take 序号/事项名称 of their item.
    let hr = find("人力资源", "附表1");
    assert!(hr
        .inherited_rows
        .iter()
        .any(|r| r.row == 6 && r.from_row == 5 && r.kind == "子项"));
    // 农业农村局: the 县市区级 row with a blank name is the item for another level.
    let levy = find("农业农村", "行政征收（ 1 项）");
    assert!(levy
        .inherited_rows
        .iter()
        .any(|r| r.row == 3 && r.kind == "另一层级"));
    // …and 实施层级及权限 spans H and I: both columns map to it.
    let h = levy.mapping.iter().find(|m| m.column == "H").unwrap();
    let i = levy.mapping.iter().find(|m| m.column == "I").unwrap();
    assert_eq!(
        (h.field, i.field),
        (
            Some(quanze_import::Field::LevelAndAuthority),
            Some(quanze_import::Field::LevelAndAuthority)
        )
    );
    assert_eq!(i.part, 2);
    // 权力类型 inferred from the sheet name where a row leaves it blank.
    let lic = find("农业农村", "行政许可（11项）");
    assert!(lic
        .inferred
        .iter()
        .any(|x| x.field == "权力类型" && x.value == "行政许可"));
    // 住建局: a sheet 256 columns wide; the duplicated 实施层级及权限 header.
    let housing = find("住房和城乡建设", "准确版");
    assert_eq!(
        housing
            .mapping
            .iter()
            .filter(|m| m.field == Some(quanze_import::Field::LevelAndAuthority))
            .count(),
        2
    );
    // Departments from titles and file names.
    let dept = |file: &str| {
        report
            .files
            .iter()
            .find(|f| f.path.contains(file))
            .and_then(|f| f.department.clone())
            .map(|d| d.value)
    };
    assert_eq!(
        dept("住房和城乡建设").as_deref(),
        Some("克拉玛依市住房和城乡建设局")
    );
    assert_eq!(dept("农业农村").as_deref(), Some("市农业农村局"));
    // 序号 "2,3" stays as written; whole numbers lose ".0".
    let items: Vec<_> = plan.files.iter().flat_map(|f| f.items.iter()).collect();
    assert!(items.iter().any(|i| i.seq.as_deref() == Some("2,3")));
    assert!(items
        .iter()
        .all(|i| !i.seq.as_deref().unwrap_or("").ends_with(".0")));
    // Short fields fold wrapping: "市统\n计局" → "市统计局".
    assert!(items
        .iter()
        .any(|i| i.subject.as_deref() == Some("市统计局")));
}
