//! Layouts the real corpus does not have: an OLE .xls inside a .xlsx name with a "部门名称："
//! row, GBK and UTF-8 CSV, the 26-column service layout, duplicated headers, per-level sheets,
//! section titles, repeated header blocks, footers, sheets hundreds of columns wide.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{write_xlsx, SheetSpec};
use quanze_import::{plan_import, Field, Format, ImportOptions, ImportPlan, INFERRED_HEADER};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn plan(paths: &[PathBuf]) -> ImportPlan {
    plan_import(paths, &ImportOptions::default()).expect("plan")
}

fn extra<'a>(item: &'a quanze_domain::Item, header: &str) -> Vec<&'a str> {
    item.extra
        .iter()
        .filter(|e| e.header == header)
        .map(|e| e.value.as_str())
        .collect()
}

#[test]
fn ole_xls_inside_an_xlsx_name_with_a_department_row_and_a_12_column_layout() {
    let plan = plan(&[fixture("ole-inside.xlsx")]);
    let file = &plan.files[0];
    assert_eq!(
        file.report.format,
        Format::Xls,
        "format comes from the bytes, not the extension"
    );
    let dept = file.report.department.as_ref().expect("department");
    assert_eq!(dept.value, "某某区民政局");
    assert!(dept.source.contains("第 2 行"), "{}", dept.source);
    let sheet = &file.report.sheets[0];
    assert_eq!(sheet.header_row, Some(4));
    let field = |col: &str| {
        sheet
            .mapping
            .iter()
            .find(|m| m.column == col)
            .and_then(|m| m.field)
    };
    assert_eq!(field("B"), Some(Field::Name), "权力名称");
    assert_eq!(field("D"), Some(Field::Basis), "设定依据");
    assert_eq!(field("E"), Some(Field::Subject), "实施主体");
    assert_eq!(field("F"), Some(Field::HandlingUnit), "承办科室");
    assert_eq!(field("G"), Some(Field::Responsibility), "责任事项");
    assert_eq!(field("K"), Some(Field::Code), "职权编码");
    let syn = sheet.mapping.iter().find(|m| m.column == "B").unwrap();
    assert_eq!(syn.synonym.as_deref(), Some("权力名称"));
    assert_eq!(
        sheet
            .mapping
            .iter()
            .find(|m| m.column == "J")
            .unwrap()
            .extra_header
            .as_deref(),
        Some("救济渠道")
    );
    assert_eq!(file.items.len(), 2);
    let first = &file.items[0];
    assert_eq!(first.seq.as_deref(), Some("1"));
    assert_eq!(first.code.as_deref(), Some("650200207XK016"));
    assert_eq!(
        first.responsibility.as_deref(),
        Some("1.受理阶段责任\n2.审查阶段责任"),
        "long text keeps its line breaks"
    );
    assert_eq!(extra(first, "救济渠道"), vec!["行政复议、行政诉讼"]);
    // Row 7 only continues 责任事项 and 追责情形 of item 2.
    let second = &file.items[1];
    assert_eq!(
        second.responsibility.as_deref(),
        Some("1.立案责任\n3.决定责任（续）")
    );
    assert_eq!(second.accountability_cases.as_deref(), Some("滥用职权的"));
    assert_eq!(second.provenance.as_ref().unwrap().merged_rows, vec![7]);
    let merged = &sheet.merged_rows[0];
    assert_eq!(
        (merged.row, merged.into_row, merged.kind.as_str()),
        (7, 6, "续行")
    );
    assert_eq!(
        merged.fields,
        vec!["责任事项内容".to_string(), "追责情形".to_string()]
    );
}

#[test]
fn gbk_and_utf8_csv_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let text = "序号,事项名称,权力类型,实施依据,行使主体\r\n1,对违法排污的处罚,行政处罚,\"【法律】《环境保护法》\n第五十九条\",区生态环境局\r\n2.0,排污许可,行政许可,【法规】《排污许可管理条例》,区生态环境局\r\n";
    let (gbk, _, bad) = encoding_rs::GBK.encode(text);
    assert!(!bad);
    let gbk_path = dir.path().join("环境局清单.csv");
    std::fs::write(&gbk_path, &gbk).unwrap();
    let utf8_path = dir.path().join("utf8.csv");
    std::fs::write(
        &utf8_path,
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    )
    .unwrap();
    let plan = plan(&[gbk_path, utf8_path]);
    assert_eq!(plan.files[0].report.encoding.as_deref(), Some("GBK"));
    assert_eq!(plan.files[1].report.encoding.as_deref(), Some("UTF-8"));
    for file in &plan.files {
        assert_eq!(file.report.format, Format::Csv);
        assert_eq!(file.items.len(), 2);
        assert_eq!(file.items[0].name, "对违法排污的处罚");
        assert_eq!(
            file.items[0].basis.as_deref(),
            Some("【法律】《环境保护法》\n第五十九条")
        );
        assert_eq!(
            file.items[1].seq.as_deref(),
            Some("2.0"),
            "序号 as written in text"
        );
    }
}

const SERVICE_HEADERS: [&str; 21] = [
    "所属行政区划",
    "隶属机构",
    "项目",
    "职权类型",
    "职权编码",
    "实施依据",
    "实施对象",
    "申请条件",
    "申请材料",
    "承办机构",
    "公开类型",
    "法定期限",
    "承诺期限",
    "收费依据",
    "中介服务",
    "责任事项",
    "责任主体",
    "追责情形",
    "诉求渠道",
    "状态",
    "是否公示",
];

#[test]
fn service_layout_of_26_columns_maps_known_fields_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("service.xlsx");
    let mut headers: Vec<Option<&str>> = vec![Some("序号")];
    headers.extend(SERVICE_HEADERS.iter().map(|h| Some(*h)));
    headers.extend([
        Some("备注"),
        Some("更新时间"),
        Some("联系人"),
        Some("咨询电话"),
    ]);
    assert_eq!(headers.len(), 26);
    let values: Vec<String> = (0..26).map(|i| format!("值{i}")).collect();
    let row: Vec<Option<&str>> = values.iter().map(|v| Some(v.as_str())).collect();
    write_xlsx(
        &path,
        &[SheetSpec {
            name: "政务服务事项",
            rows: vec![headers.clone(), row],
            merges: vec![],
        }],
    );
    let plan = plan(&[path]);
    let sheet = &plan.files[0].report.sheets[0];
    let field = |h: &str| {
        sheet
            .mapping
            .iter()
            .find(|m| m.header == h)
            .and_then(|m| m.field)
    };
    assert_eq!(field("项目"), Some(Field::Name));
    assert_eq!(field("职权类型"), Some(Field::PowerType));
    assert_eq!(field("职权编码"), Some(Field::Code));
    assert_eq!(field("责任主体"), Some(Field::Subject));
    assert_eq!(field("责任事项"), Some(Field::Responsibility));
    assert_eq!(field("承办机构"), Some(Field::HandlingUnit));
    assert_eq!(field("收费依据"), None, "收费依据 is not 实施依据");
    let item = &plan.files[0].items[0];
    assert_eq!(item.name, "值3");
    for (i, h) in headers.iter().enumerate() {
        let h = h.unwrap();
        if field(h).is_none() {
            assert_eq!(
                extra(item, h),
                vec![format!("值{i}").as_str()],
                "{h} kept as an extra field"
            );
        }
    }
}

#[test]
fn duplicated_headers_two_row_headers_per_level_sheets_sections_and_noise_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("某区市场监督管理局权责清单.xlsx");
    let dup = SheetSpec {
        name: "区县级",
        rows: vec![
            vec![Some("某区市场监督管理局2024年权责清单")],
            vec![
                Some("序  号"),
                Some("事项\n名称"),
                Some("备注"),
                Some("备注"),
                Some("实施依据"),
            ],
            vec![Some("一、行政许可（2项）")],
            vec![
                Some("1"),
                Some("食品经营许可"),
                Some("甲"),
                Some("乙"),
                Some("《食品安全法》"),
            ],
            vec![],
            vec![
                Some("2"),
                Some("药品零售许可"),
                Some("同"),
                Some("同"),
                Some("《药品管理法》"),
            ],
            vec![
                Some("序号"),
                Some("事项名称"),
                Some("备注"),
                Some("备注"),
                Some("实施依据"),
            ],
            vec![
                Some("3"),
                Some("对无证经营的处罚"),
                None,
                None,
                Some("《无证无照经营查处办法》"),
            ],
            vec![Some("注：本清单随法律法规调整。")],
        ],
        merges: vec![(2, 0, 2, 4)],
    };
    let two_row = SheetSpec {
        name: "地州级",
        rows: vec![
            vec![
                Some("序号"),
                Some("事项名称"),
                Some("责任事项"),
                None,
                Some("追责情形"),
            ],
            vec![None, None, Some("内容"), Some("依据"), None],
            vec![
                Some("1"),
                Some("食品经营许可"),
                Some("审查责任"),
                Some("《行政许可法》"),
                Some("违规许可的"),
            ],
        ],
        merges: vec![(0, 2, 0, 3), (0, 0, 1, 0), (0, 1, 1, 1), (0, 4, 1, 4)],
    };
    let mut wide_header: Vec<Option<&str>> = vec![Some("序号"), Some("事项名称"), Some("权力类型")];
    let mut wide_row: Vec<Option<&str>> = vec![Some("1"), Some("广告发布登记"), Some("行政确认")];
    wide_header.resize(300, None);
    wide_row.resize(300, None);
    wide_row[299] = Some("远处的备注");
    let wide = SheetSpec {
        name: "宽表",
        rows: vec![wide_header, wide_row],
        merges: vec![],
    };
    write_xlsx(&path, &[dup, two_row, wide]);
    let plan = plan(&[path]);
    let file = &plan.files[0];
    assert_eq!(
        file.report.department.as_ref().unwrap().value,
        "某区市场监督管理局"
    );

    let county = &file.report.sheets[0];
    assert_eq!(county.header_row, Some(2));
    let remarks: Vec<_> = county
        .mapping
        .iter()
        .filter(|m| m.field == Some(Field::Remarks))
        .collect();
    assert_eq!(remarks.len(), 2);
    assert_eq!(remarks[1].source, "重复列");
    let items: Vec<_> = file
        .items
        .iter()
        .filter(|i| i.provenance.as_ref().unwrap().sheet == "区县级")
        .collect();
    assert_eq!(items.len(), 3);
    assert_eq!(
        items[0].remarks.as_deref(),
        Some("甲\n乙"),
        "both duplicated columns kept"
    );
    assert_eq!(
        items[1].remarks.as_deref(),
        Some("同"),
        "identical duplicate not repeated"
    );
    assert_eq!(
        items[0].power_type.as_deref(),
        Some("行政许可"),
        "from the section title"
    );
    assert_eq!(
        items[0].level_and_authority.as_deref(),
        Some("区县级"),
        "level from the sheet name"
    );
    assert!(
        extra(items[0], INFERRED_HEADER)
            .iter()
            .any(|m| m.contains("区县级")),
        "marked as inferred"
    );
    let reasons: Vec<(u32, &str)> = county
        .skipped
        .iter()
        .map(|s| (s.row, s.reason.as_str()))
        .collect();
    assert!(reasons.contains(&(3, "分组标题行（其下事项的权力类型）")));
    assert!(reasons.contains(&(7, "重复的表头")));
    assert!(reasons.contains(&(9, "表尾说明")));
    assert!(
        county
            .skipped
            .iter()
            .any(|s| s.row == 9 && s.text.contains("随法律法规调整")),
        "skipped rows keep their text"
    );
    assert_eq!(county.blank_rows, 1);

    let prefecture = &file.report.sheets[1];
    assert_eq!(prefecture.header_row, Some(2), "two-row header");
    let item = file
        .items
        .iter()
        .find(|i| i.provenance.as_ref().unwrap().sheet == "地州级")
        .unwrap();
    assert_eq!(item.responsibility.as_deref(), Some("审查责任"));
    assert_eq!(
        item.responsibility_basis.as_deref(),
        Some("《行政许可法》"),
        "责任事项 + 依据"
    );
    assert_eq!(item.accountability_cases.as_deref(), Some("违规许可的"));
    assert_eq!(item.level_and_authority.as_deref(), Some("地州级"));

    let wide = &file.report.sheets[2];
    let item = file
        .items
        .iter()
        .find(|i| i.provenance.as_ref().unwrap().sheet == "宽表")
        .unwrap();
    assert_eq!(extra(item, "KN列（无表头）"), vec!["远处的备注"]);
    assert_eq!(wide.mapping.len(), 4, "only used columns are mapped");
}

#[test]
fn vertically_merged_items_and_sub_items() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merged.xlsx");
    let sheet = SheetSpec {
        name: "Sheet1",
        rows: vec![
            vec![
                Some("序号"),
                Some("事项名称"),
                Some("子项名称"),
                Some("权力类型"),
                Some("追责情形"),
            ],
            vec![
                Some("1"),
                Some("建设类企业资质审批"),
                Some("1.房地产估价机构资质核准"),
                Some("行政许可"),
                Some("甲"),
            ],
            vec![
                None,
                None,
                Some("2.建筑业企业资质审批"),
                Some("行政许可"),
                Some("乙"),
            ],
            vec![
                Some("2"),
                Some("建设工程消防验收"),
                None,
                Some("行政许可"),
                Some("丙"),
            ],
            vec![],
            vec![None, None, None, None, Some("丙的下文")],
        ],
        merges: vec![
            (1, 0, 2, 0),
            (1, 1, 2, 1),
            (3, 0, 4, 0),
            (3, 1, 4, 1),
            (3, 3, 4, 3),
        ],
    };
    write_xlsx(&path, &[sheet]);
    let plan = plan(&[path]);
    let items = &plan.files[0].items;
    assert_eq!(items.len(), 3);
    assert_eq!(items[1].seq.as_deref(), Some("1"));
    assert_eq!(items[1].name, "建设类企业资质审批");
    assert_eq!(items[1].sub_item.as_deref(), Some("2.建筑业企业资质审批"));
    assert_eq!(
        items[2].accountability_cases.as_deref(),
        Some("丙\n丙的下文")
    );
    assert_eq!(
        items[2].provenance.as_ref().unwrap().merged_rows,
        vec![5, 6]
    );
    let report = &plan.files[0].report.sheets[0];
    assert!(report
        .inherited_rows
        .iter()
        .any(|r| r.row == 3 && r.from_row == 2));
    assert!(report
        .merged_rows
        .iter()
        .any(|m| m.row == 5 && m.kind == "合并单元格"));
    assert!(report
        .merged_rows
        .iter()
        .any(|m| m.row == 6 && m.kind == "续行"));
}

#[test]
fn a_minimal_negative_list_of_two_columns_imports() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("负面清单.csv");
    std::fs::write(
        &path,
        "社区工作事项负面清单\n序号,事项名称\n1,招商引资\n2,重大设施建设\n",
    )
    .unwrap();
    let plan = plan(&[path]);
    assert_eq!(plan.files[0].report.sheets[0].header_row, Some(2));
    let names: Vec<&str> = plan.files[0]
        .items
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(names, vec!["招商引资", "重大设施建设"]);
}
