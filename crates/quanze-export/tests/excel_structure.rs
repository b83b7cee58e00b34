//! The notice workbook, opened as the zip of XML parts it is: print setup, merged title, frozen
//! and repeated header, footer, the hidden 原始数据 sheet, the print scale a spreadsheet will
//! apply, and how formula-like texts are stored.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quanze_domain::notice::{Notice, NoticeSection};
use quanze_export::{write_notice_xlsx, ExportError, RawSection};

use common::*;

struct Xlsx {
    parts: HashMap<String, String>,
}

impl Xlsx {
    fn open(bytes: &[u8]) -> Xlsx {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
        let mut parts = HashMap::new();
        for i in 0..archive.len() {
            let mut file = archive.by_index(i).expect("part");
            let name = file.name().expect("part name").to_string();
            let mut text = String::new();
            if file.read_to_string(&mut text).is_ok() {
                parts.insert(name, text);
            }
        }
        Xlsx { parts }
    }

    fn part(&self, name: &str) -> roxmltree::Document<'_> {
        let text = self
            .parts
            .get(name)
            .unwrap_or_else(|| panic!("no part {name}"));
        roxmltree::Document::parse(text).expect("well-formed part")
    }

    fn sheet_names(&self) -> Vec<String> {
        let doc = self.part("xl/workbook.xml");
        doc.descendants()
            .filter(|n| n.has_tag_name("sheet"))
            .filter_map(|n| n.attribute("name").map(str::to_string))
            .collect()
    }

    fn shared_strings(&self) -> Vec<String> {
        let doc = self.part("xl/sharedStrings.xml");
        doc.descendants()
            .filter(|n| n.has_tag_name("si"))
            .map(|si| {
                si.descendants()
                    .filter(|n| n.has_tag_name("t"))
                    .filter_map(|t| t.text())
                    .collect::<String>()
            })
            .collect()
    }

    /// Style index → quotePrefix flag of `cellXfs`.
    fn quote_prefix_styles(&self) -> Vec<bool> {
        let doc = self.part("xl/styles.xml");
        let xfs = doc
            .descendants()
            .find(|n| n.has_tag_name("cellXfs"))
            .expect("cellXfs");
        xfs.children()
            .filter(|n| n.has_tag_name("xf"))
            .map(|xf| xf.attribute("quotePrefix") == Some("1"))
            .collect()
    }

    /// Cells of sheet `n` (1-based): reference → (type, style, text).
    fn cells(&self, n: usize) -> HashMap<String, (String, usize, String)> {
        let strings = self.shared_strings();
        let doc = self.part(&format!("xl/worksheets/sheet{n}.xml"));
        doc.descendants()
            .filter(|c| c.has_tag_name("c"))
            .map(|c| {
                let kind = c.attribute("t").unwrap_or("n").to_string();
                let style = c.attribute("s").and_then(|s| s.parse().ok()).unwrap_or(0);
                let value = c
                    .children()
                    .find(|v| v.has_tag_name("v"))
                    .and_then(|v| v.text())
                    .unwrap_or("");
                let text = if kind == "s" {
                    strings[value.parse::<usize>().expect("index")].clone()
                } else {
                    value.to_string()
                };
                (
                    c.attribute("r").expect("ref").to_string(),
                    (kind, style, text),
                )
            })
            .collect()
    }
}

fn power_workbook() -> Xlsx {
    let items = power_items();
    let bytes = write_notice_xlsx(
        &power_notice(),
        &[RawSection {
            name: "行政权力事项",
            items: &items,
        }],
    )
    .expect("write");
    Xlsx::open(&bytes)
}

#[test]
fn notice_sheet_is_set_up_for_printing() {
    let xlsx = power_workbook();
    assert_eq!(xlsx.sheet_names(), vec!["公示", "原始数据"]);
    let sheet = xlsx.part("xl/worksheets/sheet1.xml");
    let find = |tag: &str| {
        sheet
            .descendants()
            .find(|n| n.has_tag_name(tag))
            .unwrap_or_else(|| panic!("no <{tag}>"))
    };
    let setup = find("pageSetup");
    assert_eq!(setup.attribute("paperSize"), Some("9"), "A4");
    assert_eq!(setup.attribute("orientation"), Some("landscape"));
    assert_eq!(
        setup.attribute("fitToHeight"),
        Some("0"),
        "any number of pages tall"
    );
    assert_ne!(setup.attribute("fitToWidth"), Some("0"));
    assert_eq!(find("pageSetUpPr").attribute("fitToPage"), Some("1"));
    assert_eq!(find("oddFooter").text(), Some("&C第 &P 页 共 &N 页"));

    // Title, meta line and two intro paragraphs are bands over all seven columns; then the
    // section heading; the header is row 6.
    let merges: Vec<&str> = sheet
        .descendants()
        .filter(|n| n.has_tag_name("mergeCell"))
        .filter_map(|n| n.attribute("ref"))
        .collect();
    assert_eq!(merges, vec!["A1:G1", "A2:G2", "A3:G3", "A4:G4", "A5:G5"]);
    let cells = xlsx.cells(1);
    assert_eq!(cells["A1"].2, "关于公布青川区自然资源局权责清单的公告");
    assert_eq!(
        cells["A2"].2,
        "中共青川区委机构编制委员会办公室　　青编办〔2026〕12号　　2026年11月23日"
    );
    assert_eq!(cells["A5"].2, "一、行政权力事项（5项）");
    assert_eq!(cells["A6"].2, "序号");
    assert_eq!(cells["G6"].2, "备注");
    let pane = find("pane");
    assert_eq!(pane.attribute("state"), Some("frozen"));
    assert_eq!(
        pane.attribute("topLeftCell"),
        Some("A7"),
        "frozen below the header"
    );

    let workbook = xlsx.part("xl/workbook.xml");
    let titles = workbook
        .descendants()
        .find(|n| n.attribute("name") == Some("_xlnm.Print_Titles"))
        .expect("print titles");
    // Quotes around the sheet name are optional in a defined name.
    assert_eq!(
        titles.text().map(|t| t.replace('\'', "")).as_deref(),
        Some("公示!$6:$6"),
        "header row repeated on every page"
    );

    // <col min max width>: adjacent columns of one width share an element.
    let mut widths: Vec<f64> = Vec::new();
    for col in sheet.descendants().filter(|n| n.has_tag_name("col")) {
        let attr = |name: &str| col.attribute(name).expect(name);
        let (min, max): (usize, usize) =
            (attr("min").parse().unwrap(), attr("max").parse().unwrap());
        let width: f64 = attr("width").parse().unwrap();
        widths.extend(std::iter::repeat_n(width, max - min + 1));
    }
    assert_eq!(widths.len(), 7);
    assert!(
        widths[4] > widths[0] * 3.0,
        "依据 wider than 序号: {widths:?}"
    );
}

/// A text starting with = + - @ is a string cell with its exact text and a quote-prefix
/// style; there is no formula anywhere in the workbook.
#[test]
fn formula_like_texts_stay_exact_strings_with_quote_prefix() {
    let xlsx = power_workbook();
    for (name, text) in &xlsx.parts {
        if name.starts_with("xl/worksheets/") {
            assert!(
                !text.contains("<f>") && !text.contains("<f "),
                "formula in {name}"
            );
        }
    }
    let quoted = xlsx.quote_prefix_styles();
    for sheet in [1, 2] {
        let cells = xlsx.cells(sheet);
        let mut seen = 0;
        for (reference, (kind, style, text)) in &cells {
            if kind != "s" {
                continue;
            }
            let risky = quanze_export::starts_like_formula(text);
            assert_eq!(quoted[*style], risky, "sheet {sheet} {reference} {text:?}");
            seen += usize::from(risky);
        }
        assert!(
            seen >= 4,
            "sheet {sheet} has the formula-like fixtures ({seen})"
        );
        assert!(cells.values().any(|(_, _, t)| t == "=SUM(A1:A9)"));
    }
    let raw = xlsx.cells(2);
    assert!(raw
        .values()
        .any(|(_, _, t)| t == "=HYPERLINK(\"http://example.invalid\",\"点击\")"));
    assert!(raw.values().any(|(_, _, t)| t == "+86 0990-6888888"));
}

#[test]
fn sections_with_different_columns_print_on_their_own_sheets() {
    let (notice, basic, street) = street_notice();
    let bytes = write_notice_xlsx(
        &notice,
        &[
            RawSection {
                name: "基本",
                items: &basic,
            },
            RawSection {
                name: "配合",
                items: &street,
            },
        ],
    )
    .expect("write");
    let xlsx = Xlsx::open(&bytes);
    assert_eq!(
        xlsx.sheet_names(),
        vec!["公示（一）", "公示（二）", "原始数据"]
    );
    let workbook = xlsx.part("xl/workbook.xml");
    let titles: Vec<String> = workbook
        .descendants()
        .filter(|n| n.attribute("name") == Some("_xlnm.Print_Titles"))
        .filter_map(|n| n.text())
        .map(|t| t.replace('\'', ""))
        .collect();
    // Sheet one: title, heading, header (row 3); sheet two: heading, header (row 2).
    assert!(titles.iter().any(|t| t == "公示（一）!$3:$3"), "{titles:?}");
    assert!(titles.iter().any(|t| t == "公示（二）!$2:$2"), "{titles:?}");
    let second = xlsx.cells(2);
    assert_eq!(second["A1"].2, "二、配合履职事项");
    assert_eq!(second["C2"].2, "主责部门");
    assert_eq!(second["C3"].2, "区住房和城乡建设局");
    let portrait = xlsx.part("xl/worksheets/sheet2.xml");
    let setup = portrait
        .descendants()
        .find(|n| n.has_tag_name("pageSetup"))
        .expect("pageSetup");
    assert_ne!(setup.attribute("orientation"), Some("landscape"));
}

#[test]
fn a_cell_beyond_excels_limit_is_an_error_naming_the_cell() {
    let mut notice = power_notice();
    notice.sections[0].rows[1][4] = "法".repeat(40_000);
    let error = write_notice_xlsx(&notice, &[]).expect_err("too long");
    assert!(
        matches!(error, ExportError::CellTooLong { row: 8, .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("“公示”工作表第 8 行“实施依据”列"),
        "{message}"
    );
    assert!(error.is_user_error());
}

#[test]
fn a_row_of_the_wrong_width_is_refused() {
    let notice = Notice {
        sections: vec![NoticeSection {
            columns: columns(&[("序号", "seq"), ("事项名称", "name")]),
            rows: vec![vec!["1".to_string()]],
            ..NoticeSection::default()
        }],
        ..Notice::default()
    };
    let error = write_notice_xlsx(&notice, &[]).expect_err("bad row");
    assert_eq!(
        error.to_string(),
        "公示第 1 部分第 1 行有 1 个单元格，而表头有 2 列"
    );
}

#[test]
fn an_empty_notice_still_makes_a_workbook_the_importer_can_open() {
    let notice = Notice::default();
    let bytes = write_notice_xlsx(&notice, &[]).expect("write");
    let xlsx = Xlsx::open(&bytes);
    assert_eq!(xlsx.sheet_names(), vec!["公示", "原始数据"]);
    let raw = xlsx.cells(2);
    assert_eq!(raw["C1"].2, "事项名称");
}

#[test]
fn more_extra_headers_than_excel_has_columns_is_a_clear_error() {
    // 编号, 分组, 事项名称, 行使主体, 16,400 extra columns, 4 provenance columns.
    let item = quanze_domain::Item {
        name: "事项".to_string(),
        extra: (0..16_400)
            .map(|i| extra(&format!("附加{i}"), "值"))
            .collect(),
        ..quanze_domain::Item::default()
    };
    let error = write_notice_xlsx(
        &power_notice(),
        &[RawSection {
            name: "",
            items: std::slice::from_ref(&item),
        }],
    )
    .expect_err("too many columns");
    assert!(
        matches!(
            error,
            ExportError::TooManyColumns {
                columns: 16_408,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("“原始数据”工作表需要 16408 列"),
        "{error}"
    );
}

/// The widths of `<col min max width>` elements, one per column (adjacent columns of one
/// width share an element).
fn column_widths(sheet: &roxmltree::Document<'_>) -> Vec<f64> {
    let mut widths: Vec<f64> = Vec::new();
    for col in sheet.descendants().filter(|n| n.has_tag_name("col")) {
        let attr = |name: &str| col.attribute(name).expect(name);
        let (min, max): (usize, usize) =
            (attr("min").parse().unwrap(), attr("max").parse().unwrap());
        let width: f64 = attr("width").parse().unwrap();
        widths.extend(std::iter::repeat_n(width, max - min + 1));
    }
    widths
}

/// The scale fit-to-width prints sheet `n` at, worked out from the file alone: the A4 width
/// (turned when landscape) less the margins, over the columns' width. A column of width `w`
/// is `w` digits of the default font (Arial 10, checked below) plus 5 px; the digit is taken
/// as LibreOffice measures Liberation Sans, 7.41 px (Excel rounds it to 7), the wider reading.
fn print_scale(xlsx: &Xlsx, n: usize) -> (bool, f64) {
    let sheet = xlsx.part(&format!("xl/worksheets/sheet{n}.xml"));
    let find = |tag: &str| {
        sheet
            .descendants()
            .find(|node| node.has_tag_name(tag))
            .unwrap_or_else(|| panic!("sheet {n} has no <{tag}>"))
    };
    let setup = find("pageSetup");
    assert_eq!(setup.attribute("paperSize"), Some("9"), "A4");
    assert_eq!(setup.attribute("fitToHeight"), Some("0"));
    let landscape = setup.attribute("orientation") == Some("landscape");
    let margins = find("pageMargins");
    let inches = |name: &str| -> f64 { margins.attribute(name).expect(name).parse().unwrap() };
    let paper_mm = if landscape { 297.0 } else { 210.0 };
    let printable_px = (paper_mm / 25.4 - inches("left") - inches("right")) * 96.0;
    let columns_px: f64 = column_widths(&sheet).iter().map(|w| w * 7.41 + 5.0).sum();
    (landscape, (printable_px / columns_px).min(1.0))
}

/// Issue 17 item 4: a street's 配合 table was sized for a 70 % scale on portrait A4 (and
/// printed at 48 % in LibreOffice, which read the widths in a wider font). Every notice sheet
/// must now print at 85 % or more, the 配合 table turned to landscape.
#[test]
fn every_notice_sheet_prints_at_a_readable_scale() {
    let long_duty = "落实属地责任，组织社区开展就业困难人员援助相关宣传、排查登记，发现问题及时报告区人力资源和社会保障局。";
    let (mut notice, basic, mut street) = street_notice();
    for item in &mut street {
        if let Some(coordination) = item.coordination.as_mut() {
            coordination.street_duty = Some(long_duty.to_string());
            coordination.superior_duty = Some(long_duty.to_string());
        }
    }
    notice.sections[1] = section(
        Some("二、配合履职事项"),
        &[
            ("序号", "seq"),
            ("事项名称", "name"),
            ("主责部门", "lead_unit"),
            ("上级部门职责", "superior_duty"),
            ("街道配合职责", "street_duty"),
            ("备注", "remarks"),
        ],
        &street,
    );
    let bytes = write_notice_xlsx(
        &notice,
        &[
            RawSection { name: "基本", items: &basic },
            RawSection { name: "配合", items: &street },
        ],
    )
    .expect("write");
    let xlsx = Xlsx::open(&bytes);
    let styles = xlsx.part("xl/styles.xml");
    let default_font = styles
        .descendants()
        .find(|n| n.has_tag_name("font"))
        .expect("default font");
    let name = default_font
        .children()
        .find(|n| n.has_tag_name("name"))
        .and_then(|n| n.attribute("val"));
    assert_eq!(name, Some("Arial"), "column widths are measured in this font's digits");

    let (landscape, scale) = print_scale(&xlsx, 1);
    assert!(!landscape, "the 基本 table fits portrait");
    assert!(scale >= 0.95, "基本 prints at {:.0} %", scale * 100.0);
    let (landscape, scale) = print_scale(&xlsx, 2);
    assert!(landscape, "three long texts side by side turn the 配合 sheet");
    assert!(scale >= 0.95, "配合 prints at {:.0} %", scale * 100.0);

    let power = power_workbook();
    let (landscape, scale) = print_scale(&power, 1);
    assert!(landscape);
    assert!(scale >= 0.85, "权责清单 prints at {:.0} %", scale * 100.0);
}

/// The 原始数据 sheet does not print with the workbook: it is hidden, the notice sheet stays
/// the one that opens, and a note on the title cell (a comment, not printed) says where the
/// raw data went.
#[test]
fn the_raw_data_sheet_is_hidden_and_a_note_says_where_it_is() {
    let xlsx = power_workbook();
    let workbook = xlsx.part("xl/workbook.xml");
    let state = |name: &str| {
        workbook
            .descendants()
            .find(|n| n.has_tag_name("sheet") && n.attribute("name") == Some(name))
            .and_then(|n| n.attribute("state"))
    };
    assert_eq!(state("原始数据"), Some("hidden"));
    assert_eq!(state("公示"), None, "the notice is visible");
    let active = workbook
        .descendants()
        .find(|n| n.has_tag_name("workbookView"))
        .and_then(|n| n.attribute("activeTab"))
        .unwrap_or("0");
    assert_eq!(active, "0", "the workbook opens on the notice");

    let comments = xlsx.part("xl/comments1.xml");
    let comment = comments
        .descendants()
        .find(|n| n.has_tag_name("comment"))
        .expect("a note");
    assert_eq!(comment.attribute("ref"), Some("A1"));
    let text: String = comment
        .descendants()
        .filter(|n| n.has_tag_name("t"))
        .filter_map(|n| n.text())
        .collect();
    assert!(text.contains("隐藏") && text.contains("原始数据") && text.contains("取消隐藏"), "{text}");
    let sheet = xlsx.part("xl/worksheets/sheet1.xml");
    let print_comments = sheet
        .descendants()
        .find(|n| n.has_tag_name("pageSetup"))
        .and_then(|n| n.attribute("cellComments"));
    assert!(print_comments.is_none_or(|v| v == "none"), "the note is not printed");
}

/// A row that needs more than Excel's 409 pt is cut by the spreadsheet; its cells are aligned
/// to the top, so the cut falls at the end of the text and its start reads. Other rows stay
/// vertically centred.
#[test]
fn a_row_at_excels_height_limit_is_top_aligned() {
    let mut items = power_items();
    items[1].basis = Some("依据".repeat(1_500));
    let mut notice = power_notice();
    notice.sections = vec![section(Some("一、行政权力事项"), &POWER_COLUMNS, &items)];
    let bytes = write_notice_xlsx(&notice, &[RawSection { name: "行政权力事项", items: &items }])
        .expect("write");
    let xlsx = Xlsx::open(&bytes);
    let styles = xlsx.part("xl/styles.xml");
    let vertical: Vec<Option<String>> = styles
        .descendants()
        .find(|n| n.has_tag_name("cellXfs"))
        .expect("cellXfs")
        .children()
        .filter(|n| n.has_tag_name("xf"))
        .map(|xf| {
            xf.children()
                .find(|n| n.has_tag_name("alignment"))
                .and_then(|a| a.attribute("vertical"))
                .map(str::to_string)
        })
        .collect();
    let cells = xlsx.cells(1);
    let style_of = |reference: &str| vertical[cells[reference].1].clone();
    // Header on row 6; items from row 7: the second item (row 8) holds the long 依据.
    assert_eq!(style_of("E8").as_deref(), Some("top"));
    assert_eq!(style_of("B8").as_deref(), Some("top"));
    assert_eq!(style_of("B7").as_deref(), Some("center"));
}
