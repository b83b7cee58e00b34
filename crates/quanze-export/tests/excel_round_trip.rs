//! The 原始数据 sheet read back by the real importer (`quanze-import`) gives the same items.
//!
//! What is compared, per item and in order (see docs/export.md, "Round trip"):
//! - every standard field the importer maps (序号 … 工作方式, incl. the 配合/收回 texts), exactly;
//! - the extra fields, as a multiset of (header, value): the original extras, plus the fields
//!   the importer has no column for (证明事项, 协助 group) under their export headers, plus the
//!   `导出·` bookkeeping (id, section, original provenance), checked value by value;
//! - not compared, because the importer cannot know them: the item id and the ids of known
//!   units (承办机构, 主责部门, 承接部门, 提出部门 as ids); provenance, which after import names
//!   the notice workbook (checked to point at the right 原始数据 row).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use quanze_domain::{ExtraField, Item, Provenance};
use quanze_export::{
    notice_sheet_names, write_notice_xlsx, RawSection, BOOKKEEPING_PREFIX, RAW_DATA_SHEET,
};
use quanze_import::text::{clean_long, clean_short};
use quanze_import::{
    plan_workbook, read_workbook_bytes, ImportOptions, Limits, Synonyms,
};

use common::*;

const FILE: &str = "公示.xlsx";

/// Import the workbook as a user would, with no options: the importer itself recognizes a
/// Quanze notice workbook, reads its 原始数据 sheet and leaves the print copies in
/// `notice_sheets` out (reporting their rows, not mapping them into duplicate items).
fn import(bytes: &[u8], notice_sheets: Vec<String>) -> Vec<Item> {
    let workbook = read_workbook_bytes(FILE, bytes, &Limits::default()).expect("read back");
    let synonyms = Synonyms::builtin().expect("synonyms");
    let plan = plan_workbook(workbook, &ImportOptions::default(), &synonyms).expect("import");
    let sheet_names: Vec<&str> = plan.report.sheets.iter().map(|s| s.name.as_str()).collect();
    assert!(sheet_names.contains(&RAW_DATA_SHEET), "{sheet_names:?}");
    for name in &notice_sheets {
        let sheet = plan.report.sheets.iter().find(|s| &s.name == name).expect("notice sheet reported");
        assert_eq!(sheet.items, 0, "{name} is a print copy, not imported");
        assert!(sheet.note.as_deref().is_some_and(|n| n.contains("原始数据")), "{:?}", sheet.note);
        assert!(!sheet.skipped.is_empty(), "its rows are listed in the report");
    }
    plan.items
}

fn multiset(extras: impl IntoIterator<Item = ExtraField>) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for e in extras {
        *counts.entry((e.header, e.value)).or_insert(0) += 1;
    }
    counts
}

/// The extra fields an import of the export must give for `original`.
fn expected_extras(original: &Item, section: &str) -> Vec<ExtraField> {
    let mut expected: Vec<ExtraField> = original
        .extra
        .iter()
        .filter(|e| !e.header.starts_with(BOOKKEEPING_PREFIX))
        .cloned()
        .collect();
    expected.push(extra("导出·编号", &original.id.to_string()));
    if !section.is_empty() {
        expected.push(extra("导出·分组", section));
    }
    if let Some(p) = &original.provenance {
        expected.push(extra("导出·来源文件", &p.file));
        expected.push(extra("导出·来源工作表", &p.sheet));
        expected.push(extra("导出·来源行号", &p.row.to_string()));
        if !p.merged_rows.is_empty() {
            let rows: Vec<String> = p.merged_rows.iter().map(u32::to_string).collect();
            expected.push(extra("导出·来源续行", &rows.join("、")));
        }
    }
    if let Some(allowed) = original.certificate_allowed {
        expected.push(extra(
            "证明事项可否出具",
            if allowed { "可出具" } else { "不得出具" },
        ));
    }
    if let Some(a) = &original.assistance {
        if let Some(t) = &a.requesting_unit_text {
            expected.push(extra("提出部门", t));
        }
        if let Some(v) = a.funding.amount_wan {
            expected.push(extra("经费（万元/年）", &v.to_string()));
        }
        if let Some(t) = &a.funding.source {
            expected.push(extra("经费来源", t));
        }
        if let Some(n) = a.staff.count {
            expected.push(extra("配套人员（名）", &n.to_string()));
        }
        if let Some(t) = &a.staff.note {
            expected.push(extra("配套人员说明", t));
        }
    }
    expected
}

/// The original with what an import cannot know cleared: ids, the fields it reads as extras,
/// extras and provenance (compared separately).
fn importable_part(item: &Item) -> Item {
    let mut item = item.clone();
    item.id = 0;
    item.handling_unit = None;
    item.certificate_allowed = None;
    item.assistance = None;
    item.extra = Vec::new();
    item.provenance = None;
    if let Some(c) = item.coordination.as_mut() {
        c.lead_unit = None;
    }
    if let Some(w) = item.withdrawal.as_mut() {
        w.receiving_unit = None;
    }
    item
}

fn assert_round_trip(sections: &[(&str, Vec<Item>)], imported: &[Item]) {
    let originals: Vec<(&str, &Item)> = sections
        .iter()
        .flat_map(|(name, items)| items.iter().map(move |i| (*name, i)))
        .collect();
    assert_eq!(
        imported.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(),
        originals
            .iter()
            .map(|(_, i)| i.name.as_str())
            .collect::<Vec<_>>(),
        "same names in the same order"
    );
    for (n, ((section, original), back)) in originals.iter().zip(imported).enumerate() {
        let mut back_fields = back.clone();
        back_fields.extra = Vec::new();
        back_fields.provenance = None;
        assert_eq!(
            back_fields,
            importable_part(original),
            "item {}",
            original.name
        );
        assert_eq!(
            multiset(back.extra.clone()),
            multiset(expected_extras(original, section)),
            "extra fields of {}",
            original.name
        );
        assert_eq!(
            back.provenance,
            Some(Provenance {
                file: FILE.to_string(),
                sheet: RAW_DATA_SHEET.to_string(),
                row: n as u32 + 2,
                merged_rows: Vec::new(),
            })
        );
    }
}

/// The fixtures are what the importer itself produces (trimmed, short fields on one line), so
/// that an exact comparison is meaningful.
fn assert_in_importer_normal_form(items: &[Item]) {
    for item in items {
        for short in [
            Some(&item.name),
            item.seq.as_ref(),
            item.code.as_ref(),
            item.sub_item.as_ref(),
            item.power_type.as_ref(),
            item.subject.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            assert_eq!(&clean_short(short), short);
        }
        for long in [
            item.basis.as_ref(),
            item.responsibility.as_ref(),
            item.remarks.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            assert_eq!(&clean_long(long), long);
        }
        for e in &item.extra {
            assert_eq!(clean_long(&e.value), e.value);
        }
    }
}

#[test]
fn raw_data_sheet_reads_back_into_the_same_items() {
    let items = power_items();
    assert_in_importer_normal_form(&items);
    let notice = power_notice();
    let bytes = write_notice_xlsx(
        &notice,
        &[RawSection {
            name: "行政权力事项",
            items: &items,
        }],
    )
    .expect("write");
    let imported = import(&bytes, notice_sheet_names(&notice));
    assert_eq!(imported.len(), 5);
    assert_round_trip(&[("行政权力事项", items)], &imported);
}

#[test]
fn sections_with_unmapped_fields_and_no_subject_column_round_trip() {
    let (notice, basic, street) = street_notice();
    assert_in_importer_normal_form(&street);
    let bytes = write_notice_xlsx(
        &notice,
        &[
            RawSection {
                name: "基本履职事项",
                items: &basic,
            },
            RawSection {
                name: "",
                items: &street,
            },
        ],
    )
    .expect("write");
    let imported = import(&bytes, notice_sheet_names(&notice));
    assert_round_trip(&[("基本履职事项", basic), ("", street)], &imported);
}

/// Regression guard: without a 行使主体 column the importer infers one from the title row of
/// the 公示 sheet and adds it (and a 导入推断 extra) to every item.
#[test]
fn no_subject_is_inferred_when_no_item_has_one() {
    let items = street_items();
    assert!(items.iter().all(|i| i.subject.is_none()));
    let notice = power_notice();
    let bytes = write_notice_xlsx(
        &notice,
        &[RawSection {
            name: "配合",
            items: &items,
        }],
    )
    .expect("write");
    let imported = import(&bytes, notice_sheet_names(&notice));
    assert!(
        imported.iter().all(|i| i.subject.is_none()),
        "{imported:#?}"
    );
    assert!(imported
        .iter()
        .all(|i| i.extra.iter().all(|e| e.header != "导入推断")));
}

#[test]
fn values_outside_the_importers_normal_form_come_back_as_the_importer_cleans_them() {
    let item = Item {
        id: 1,
        name: "  \t=cmd|' /C calc'!A0  ".to_string(),
        basis: Some("\n第一行  \n第二行\n\n".to_string()),
        extra: vec![extra("附注", " -2+3 ")],
        ..Item::default()
    };
    let bytes = write_notice_xlsx(
        &power_notice(),
        &[RawSection {
            name: "",
            items: std::slice::from_ref(&item),
        }],
    )
    .expect("write");
    let imported = import(&bytes, notice_sheet_names(&power_notice()));
    assert_eq!(imported.len(), 1);
    assert_eq!(imported[0].name, clean_short(&item.name));
    assert_eq!(imported[0].name, "=cmd|' /C calc'!A0");
    assert_eq!(imported[0].basis.as_deref(), Some("第一行\n第二行"));
    assert!(imported[0]
        .extra
        .iter()
        .any(|e| e.header == "附注" && e.value == "-2+3"));
}

/// The export headers of the mapped fields are the importer's own labels, and the others are
/// not taken for a standard field by the importer's synonym table.
#[test]
fn raw_headers_match_the_importers_synonym_table() {
    let synonyms = Synonyms::builtin().expect("synonyms");
    for field in quanze_export::IMPORTED_FIELDS {
        let label = field.label();
        let found = synonyms.lookup(label).expect(label);
        assert!(found.exact, "{label}");
        assert_eq!(found.field.label(), label);
    }
    // Every field the importer maps is exported under its own column.
    let exported: Vec<&str> = quanze_export::IMPORTED_FIELDS.iter().map(|f| f.key()).collect();
    let mapped: Vec<&str> = quanze_import::Field::ALL.iter().map(|f| f.id()).collect();
    assert_eq!(exported, mapped, "IMPORTED_FIELDS follows the importer's fields, in its order");
    for header in quanze_export::UNMAPPED_FIELDS
        .into_iter()
        .chain(quanze_export::PROVENANCE_HEADERS)
        .chain([quanze_export::ID_HEADER, quanze_export::SECTION_HEADER])
    {
        assert!(
            synonyms.lookup(header).is_none(),
            "{header} would be read as a field"
        );
    }
}
