//! Notices checked by tools nobody here wrote (poppler-utils): `pdftotext` gives back every
//! item name in order and the header on every page, `pdffonts` lists only embedded subsets,
//! `pdfinfo` reports A4 portrait or landscape. Untrusted text is printed as text.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod poppler;

use std::path::PathBuf;
use std::sync::OnceLock;

use quanze_domain::notice::{Notice, NoticeColumn, NoticeHeading, NoticeSection, Orientation};
use quanze_pdf::{
    layout_notice, render_notice, FontSet, MissingGlyphPolicy, PdfError, PdfOptions, TextKind,
};

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::discover(None).expect("a CJK font (fonts-noto-cjk) is installed"))
}

fn render(notice: &Notice, file: &str) -> PathBuf {
    let bytes = render_notice(notice, &PdfOptions::new(fonts())).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    poppler::write(&poppler::scratch_dir("notice"), file, &bytes)
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn one_section(rows: Vec<Vec<String>>, headers: &[&str]) -> Notice {
    Notice {
        heading: NoticeHeading {
            title: "测试公告".to_owned(),
            ..NoticeHeading::default()
        },
        sections: vec![NoticeSection {
            heading: Some("一、事项".to_owned()),
            columns: headers
                .iter()
                .map(|header| NoticeColumn {
                    header: (*header).to_owned(),
                    field: if *header == "事项名称" {
                        "name"
                    } else {
                        "other"
                    }
                    .to_owned(),
                })
                .collect(),
            rows,
        }],
        orientation: Orientation::Portrait,
    }
}

/// The text of one column of every table page, read by `pdftotext` inside the column's box
/// (the box from the layout model; the text from the PDF), page after page.
fn column_text(
    pdf: &std::path::Path,
    document: &quanze_pdf::LaidOutDocument,
    column: usize,
    header: bool,
) -> String {
    let mut text = String::new();
    for page in &document.pages {
        for row in page.rows.iter().filter(|row| row.row.is_none() == header) {
            // Inset a little so that a neighbour's glyphs touching the rule are not read.
            let left = row.edges[column] + 1.0;
            let right = row.edges[column + 1] - 1.0;
            text.push_str(&poppler::pdftotext_box(
                pdf,
                page.number,
                left,
                row.bounds.top + 0.5,
                right,
                row.bounds.bottom - 0.5,
            ));
            text.push('\n');
        }
    }
    squeeze(&text)
}

#[test]
fn pdftotext_gives_back_every_item_name_in_order() {
    if !poppler::available("pdftotext") {
        return;
    }
    for (notice, file, column) in [
        (fixtures::three_part_notice(40, 21), "three-part.pdf", 1),
        (
            fixtures::fourteen_column_notice(60, 22, true),
            "fourteen.pdf",
            2,
        ),
    ] {
        let pdf = render(&notice, file);
        let document = layout_notice(&notice, &PdfOptions::new(fonts())).unwrap();
        let text = column_text(&pdf, &document, column, false);
        let mut from = 0;
        for name in fixtures::item_names(&notice) {
            let name = squeeze(&name);
            let found = text[from..]
                .find(&name)
                .unwrap_or_else(|| panic!("{file}: {name} missing or out of order"));
            from += found + name.len();
        }
        // And the whole document's text has them too (a name may wrap, so without spaces).
        let whole = poppler::pdftotext(&pdf, None);
        let title_start: String = notice.heading.title.chars().take(4).collect();
        assert!(whole.contains("一、") && whole.contains(&title_start));
    }
}

#[test]
fn the_header_row_is_on_every_page_of_a_table() {
    if !poppler::available("pdftotext") {
        return;
    }
    let notice = fixtures::three_part_notice(30, 4);
    let document = layout_notice(&notice, &PdfOptions::new(fonts())).unwrap();
    let pdf = render(&notice, "headers.pdf");
    let table_pages: Vec<&quanze_pdf::LaidOutPage> = document
        .pages
        .iter()
        .filter(|page| page.rows.iter().any(|row| row.row.is_some()))
        .collect();
    assert!(
        table_pages.len() >= 4,
        "the fixture should make several table pages"
    );
    let headers = [
        "序号",
        "事项名称",
        "权力类型",
        "实施依据",
        "责任事项",
        "备注",
    ];
    for page in table_pages {
        let header = page
            .rows
            .iter()
            .find(|row| row.row.is_none())
            .expect("a header row");
        for (column, expected) in headers.iter().enumerate() {
            let text = squeeze(&poppler::pdftotext_box(
                &pdf,
                page.number,
                header.edges[column] + 1.0,
                header.bounds.top + 0.5,
                header.edges[column + 1] - 1.0,
                header.bounds.bottom - 0.5,
            ));
            assert_eq!(&text, expected, "page {}", page.number);
        }
        // The header is the table's first row on the page.
        let first = page
            .rows
            .iter()
            .map(|row| row.bounds.top)
            .fold(f32::MAX, f32::min);
        assert_eq!(first, header.bounds.top);
    }
}

#[test]
fn fonts_are_embedded_as_subsets_only() {
    if !poppler::available("pdffonts") {
        return;
    }
    let pdf = render(&fixtures::three_part_notice(10, 6), "fonts.pdf");
    let rows = poppler::pdffonts(&pdf);
    assert!(!rows.is_empty(), "no fonts listed");
    for row in &rows {
        let (tag, _) = row.name.split_once('+').unwrap_or(("", ""));
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{row:?} has no subset tag"
        );
        assert!(row.embedded, "{row:?} is not embedded");
        assert!(row.subset, "{row:?} is not a subset");
        assert!(
            row.unicode,
            "{row:?} has no ToUnicode map (text would not extract)"
        );
    }
    // A notice of one page with a few hundred distinct characters stays small.
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(
        size < 1_500_000,
        "a short notice is {size} bytes: fonts are not subset"
    );
}

#[test]
fn page_sizes_are_a4_portrait_and_landscape() {
    if !poppler::available("pdfinfo") {
        return;
    }
    let portrait = render(&fixtures::three_part_notice(20, 3), "portrait.pdf");
    let info = poppler::pdfinfo(&portrait);
    assert_eq!(poppler::page_size(&info), (595.28, 841.89, "A4".to_owned()));
    let landscape = render(
        &fixtures::fourteen_column_notice(20, 3, true),
        "landscape.pdf",
    );
    let info = poppler::pdfinfo(&landscape);
    assert_eq!(poppler::page_size(&info), (841.89, 595.28, "A4".to_owned()));
    let pages: usize = poppler::info_value(&info, "Pages").parse().unwrap();
    assert!(pages > 1);
}

#[test]
fn hostile_text_is_printed_as_text() {
    if !poppler::available("pdftotext") {
        return;
    }
    let notice = one_section(
        vec![
            vec![
                "1".into(),
                "=cmd|' /C calc'!A0".into(),
                "<script>alert(1)</script>".into(),
            ],
            vec![
                "2".into(),
                "%PDF-1.7 endobj ) ( \\ BT ET Tj".into(),
                "@SUM(A1)+-".into(),
            ],
        ],
        &["序号", "事项名称", "备注"],
    );
    let pdf = render(&notice, "hostile.pdf");
    let text = squeeze(&poppler::pdftotext(&pdf, None));
    for expected in [
        "=cmd|'/Ccalc'!A0",
        "<script>alert(1)</script>",
        "%PDF-1.7endobj)(\\BTETTj",
        "@SUM(A1)+-",
    ] {
        assert!(
            text.contains(expected),
            "{expected} is not printed as text in {text}"
        );
    }
}

#[test]
fn characters_missing_from_the_body_face_come_from_another_face() {
    if !poppler::available("pdftotext") {
        return;
    }
    // Polish, polytonic Greek and Armenian letters are not in Noto Serif CJK SC; digits and Latin
    // are. Every one must come back from the PDF: no box, nothing dropped.
    let cell = "Łódź ἀρχή Բարեւ ABC 123 ¥ 〇";
    let notice = one_section(
        vec![vec!["1".into(), "事项0001".into(), cell.into()]],
        &["序号", "事项名称", "备注"],
    );
    let document = layout_notice(&notice, &PdfOptions::new(fonts())).unwrap();
    let faces: std::collections::BTreeSet<&str> = document.pages[0]
        .runs
        .iter()
        .filter(|run| run.kind == TextKind::TableCell)
        .filter_map(|run| document.face_family(run.face))
        .collect();
    assert!(faces.len() >= 2, "expected a fallback face, got {faces:?}");
    let pdf = render(&notice, "fallback.pdf");
    let text = squeeze(&poppler::pdftotext(&pdf, None));
    assert!(
        text.contains(&squeeze(cell)),
        "{cell} did not come back: {text}"
    );
}

#[test]
fn a_character_no_face_has_is_refused_or_shown_as_its_code_point() {
    // U+20000 (CJK Extension B) is in none of the fonts CI installs.
    let notice = one_section(
        vec![vec!["1".into(), "事项𠀀".into(), String::new()]],
        &["序号", "事项名称", "备注"],
    );
    let error = layout_notice(&notice, &PdfOptions::new(fonts())).unwrap_err();
    let PdfError::MissingGlyphs { chars, context } = &error else {
        panic!("expected MissingGlyphs, got {error:?}");
    };
    assert!(chars.contains("U+20000"), "{chars}");
    assert!(context.contains("事项𠀀"), "{context}");
    assert!(
        error.to_string().contains("字体"),
        "the message says what to do: {error}"
    );

    let mut options = PdfOptions::new(fonts());
    options.missing_glyph = MissingGlyphPolicy::ShowCodePoint;
    let document = layout_notice(&notice, &options).unwrap();
    let cells: String = document.pages[0]
        .runs
        .iter()
        .filter(|run| run.kind == TextKind::TableCell)
        .map(|run| run.text.as_str())
        .collect();
    assert!(cells.contains("事项[U+20000]"), "{cells}");
}

#[test]
fn a_notice_without_columns_or_with_extra_cells_is_refused() {
    let mut notice = one_section(
        vec![vec!["1".into(), "事项".into(), "多".into(), "余".into()]],
        &["序号", "事项名称", "备注"],
    );
    let error = layout_notice(&notice, &PdfOptions::new(fonts())).unwrap_err();
    assert!(
        matches!(
            error,
            PdfError::RowTooLong {
                section: 1,
                row: 1,
                cells: 4,
                columns: 3
            }
        ),
        "{error:?}"
    );
    notice.sections[0].columns.clear();
    notice.sections[0].rows.clear();
    let error = layout_notice(&notice, &PdfOptions::new(fonts())).unwrap_err();
    assert!(
        matches!(error, PdfError::NoColumns { section: 1 }),
        "{error:?}"
    );
}

#[test]
fn an_empty_section_prints_its_header_and_none() {
    let notice = one_section(Vec::new(), &["序号", "事项名称", "备注"]);
    let document = layout_notice(&notice, &PdfOptions::new(fonts())).unwrap();
    let cells: Vec<&str> = document.pages[0].texts_of(TextKind::TableCell);
    assert_eq!(cells, vec!["（无）"]);
    assert_eq!(
        document.pages[0].texts_of(TextKind::TableHeader),
        vec!["序号", "事项名称", "备注"]
    );
}

#[test]
fn heading_parts_are_printed_in_gbt_9704_order() {
    if !poppler::available("pdftotext") {
        return;
    }
    let notice = fixtures::three_part_notice(2, 1);
    let pdf = render(&notice, "heading.pdf");
    let text = squeeze(&poppler::pdftotext(&pdf, Some((1, 1))));
    let heading = &notice.heading;
    let order = [
        heading.issuing_organ.clone().unwrap(),
        heading.doc_no.clone().unwrap(),
        heading.title.clone(),
        squeeze(
            heading
                .intro
                .as_deref()
                .unwrap()
                .split('\n')
                .next()
                .unwrap(),
        ),
        heading.date.clone().unwrap(),
    ];
    let mut from = 0;
    for part in order {
        let part = squeeze(&part);
        let found = text[from..]
            .find(&part)
            .unwrap_or_else(|| panic!("{part} missing or out of order in {text}"));
        from += found + part.len();
    }
}
