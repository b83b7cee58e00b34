//! Geometry checked on the layout model (the same model the PDF writer draws): nothing outside
//! the 版心, rows never overlapping, the header repeated above every table part, page numbers
//! where GB/T 9704 puts them, 避头尾 in laid-out cells, and a two-metre cell split cleanly.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::sync::OnceLock;

use quanze_domain::notice::{Notice, NoticeColumn, NoticeHeading, NoticeSection, Orientation};
use quanze_pdf::line_breaking::{may_end_line, may_start_line};
use quanze_pdf::{
    layout_notice, layout_posters, FontSet, LaidOutDocument, PdfOptions, PosterOptions, TextKind,
    BODY_SIZE, MM, PAGE_NUMBER_SIZE, TITLE_SIZE,
};

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::discover(None).expect("a CJK font (fonts-noto-cjk) is installed"))
}

fn columns(headers: &[&str]) -> Vec<NoticeColumn> {
    headers
        .iter()
        .map(|header| NoticeColumn {
            header: (*header).to_owned(),
            field: "name".to_owned(),
        })
        .collect()
}

/// One row whose 实施依据 is about two metres of text once laid out.
fn two_metre_notice() -> Notice {
    let clause = "根据《中华人民共和国城乡规划法》第六十四条，未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设的，由县级以上地方人民政府城乡规划主管部门责令停止建设；尚可采取改正措施消除对规划实施的影响的，限期改正，处建设工程造价百分之五以上百分之十以下的罚款（GB/T 9704-2012）。";
    let long: String = (1..=120).map(|n| format!("{n}.{clause}")).collect();
    Notice {
        heading: NoticeHeading {
            title: "两米长单元格测试".to_owned(),
            ..NoticeHeading::default()
        },
        sections: vec![NoticeSection {
            heading: Some("一、超长事项".to_owned()),
            columns: columns(&["序号", "事项名称", "实施依据"]),
            rows: vec![
                vec!["1".into(), "事项0001".into(), "短依据。".into()],
                vec!["2".into(), "事项0002".into(), long],
                vec!["3".into(), "事项0003".into(), "短依据。".into()],
            ],
        }],
        orientation: Orientation::Portrait,
    }
}

fn hostile_notice() -> Notice {
    Notice {
        heading: NoticeHeading {
            title: "<script>alert('标题')</script>".to_owned(),
            intro: Some("=cmd|' /C calc'!A0\n\t\u{0007}控制字符\u{200B}与零宽字符".to_owned()),
            ..NoticeHeading::default()
        },
        sections: vec![NoticeSection {
            heading: None,
            columns: columns(&["序号", "事项名称", "备注"]),
            rows: vec![
                vec![
                    "1".into(),
                    "=cmd|' /C calc'!A0".into(),
                    "<script>alert(1)</script>".into(),
                ],
                vec![
                    "2".into(),
                    "@SUM(1+1)*cmd|' /C calc'!A0".into(),
                    "+1\r\n-1\r\n".into(),
                ],
            ],
        }],
        orientation: Orientation::Landscape,
    }
}

fn documents() -> Vec<(&'static str, LaidOutDocument)> {
    let options = PdfOptions::new(fonts());
    let poster_options = PosterOptions::new(fonts());
    vec![
        (
            "three-part portrait",
            layout_notice(&fixtures::three_part_notice(30, 5), &options).unwrap(),
        ),
        (
            "fourteen columns landscape",
            layout_notice(&fixtures::fourteen_column_notice(60, 9, true), &options).unwrap(),
        ),
        (
            "two-metre cell",
            layout_notice(&two_metre_notice(), &options).unwrap(),
        ),
        (
            "hostile text",
            layout_notice(&hostile_notice(), &options).unwrap(),
        ),
        (
            "posters",
            layout_posters(
                &[
                    fixtures::poster("春华社区", 40, 1),
                    fixtures::poster("秋实社区", 5, 2),
                ],
                &poster_options,
            )
            .unwrap(),
        ),
    ]
}

#[test]
fn no_glyph_box_leaves_the_text_area() {
    for (name, document) in documents() {
        assert!(!document.pages.is_empty(), "{name}");
        for (index, page) in document.pages.iter().enumerate() {
            for run in &page.runs {
                if run.kind == TextKind::PageNumber {
                    continue;
                }
                assert!(
                    page.text_area.contains(&run.bounds(), 0.01),
                    "{name}, page {}: {:?} at {:?} is outside the text area {:?}",
                    index + 1,
                    run.text,
                    run.bounds(),
                    page.text_area
                );
            }
            for rule in &page.rules {
                for (x, y) in [rule.from, rule.to] {
                    assert!(
                        x >= page.text_area.left - 0.01
                            && x <= page.text_area.right + 0.01
                            && y >= page.text_area.top - 0.01
                            && y <= page.text_area.bottom + 0.01,
                        "{name}, page {}: a rule leaves the text area",
                        index + 1
                    );
                }
            }
        }
    }
}

#[test]
fn page_numbers_sit_seven_millimetres_below_the_text_area_odd_right_even_left() {
    let mut even_pages = 0;
    for (name, document) in documents()
        .into_iter()
        .filter(|(name, _)| *name != "posters")
    {
        even_pages += document.pages.len() / 2;
        for page in &document.pages {
            let numbers: Vec<_> = page
                .runs
                .iter()
                .filter(|run| run.kind == TextKind::PageNumber)
                .collect();
            assert!(
                !numbers.is_empty(),
                "{name}: page {} has no number",
                page.number
            );
            let text: String = numbers
                .iter()
                .map(|run| run.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(text, format!("— {} —", page.number), "{name}");
            let left = numbers.iter().map(|run| run.x).fold(f32::MAX, f32::min);
            let right = numbers
                .iter()
                .map(|run| run.x + run.width)
                .fold(f32::MIN, f32::max);
            for run in &numbers {
                assert_eq!(run.size, PAGE_NUMBER_SIZE);
                let top = run.bounds().top;
                assert!(
                    (top - (page.text_area.bottom + 7.0 * MM)).abs() < 0.01,
                    "{name}: the number's top is {top}, 7 mm below the text area is {}",
                    page.text_area.bottom + 7.0 * MM
                );
            }
            // One character (of the number's size) in from the edge.
            if page.number % 2 == 1 {
                assert!(
                    (right - (page.text_area.right - PAGE_NUMBER_SIZE)).abs() < 0.01,
                    "{name}"
                );
            } else {
                assert!(
                    (left - (page.text_area.left + PAGE_NUMBER_SIZE)).abs() < 0.01,
                    "{name}"
                );
            }
        }
    }
    assert!(
        even_pages > 5,
        "the fixtures must have even pages to test the left side"
    );
}

#[test]
fn rows_never_overlap_and_every_cell_stays_in_its_row() {
    for (name, document) in documents() {
        for page in &document.pages {
            let rows = &page.rows;
            for (a, first) in rows.iter().enumerate() {
                for second in &rows[a + 1..] {
                    assert!(
                        !first.bounds.overlaps(&second.bounds, 0.01),
                        "{name}, page {}: rows {:?} and {:?} overlap",
                        page.number,
                        first.row,
                        second.row
                    );
                }
            }
            for run in page
                .runs
                .iter()
                .filter(|run| matches!(run.kind, TextKind::TableCell | TextKind::TableHeader))
            {
                let holders = rows
                    .iter()
                    .filter(|row| row.bounds.contains(&run.bounds(), 0.01))
                    .count();
                assert_eq!(
                    holders, 1,
                    "{name}, page {}: {:?} is in {holders} rows",
                    page.number, run.text
                );
            }
        }
    }
}

#[test]
fn every_page_with_table_rows_starts_the_table_with_its_header() {
    for (name, document) in documents() {
        for page in &document.pages {
            let Some(first_data) = page.rows.iter().find(|row| row.row.is_some()) else {
                continue;
            };
            let header = page
                .rows
                .iter()
                .find(|row| row.row.is_none() && row.section == first_data.section);
            let header = header
                .unwrap_or_else(|| panic!("{name}: page {} has rows but no header", page.number));
            assert!(
                header.bounds.bottom <= first_data.bounds.top + 0.01,
                "{name}: the header is not above the rows on page {}",
                page.number
            );
        }
    }
}

#[test]
fn a_two_metre_cell_spans_several_pages_cleanly() {
    let document = layout_notice(&two_metre_notice(), &PdfOptions::new(fonts())).unwrap();
    let parts: Vec<(usize, &quanze_pdf::RowPlacement)> = document
        .pages
        .iter()
        .flat_map(|page| page.rows.iter().map(move |row| (page.number, row)))
        .filter(|(_, row)| row.row == Some(1))
        .collect();
    let total = parts[0].1.total_lines;
    let metres = total as f32 * 10.5 * 1.45 / MM / 1000.0;
    assert!(
        metres >= 2.0,
        "the cell is {metres:.2} m of lines, not two metres"
    );
    assert!(
        parts.len() >= 5,
        "two metres must span several pages, got {}",
        parts.len()
    );
    // Consecutive parts, one per page, continuing line after line.
    let mut next_line = 0;
    let mut last_page = 0;
    for (page, part) in &parts {
        assert_eq!(part.first_line, next_line, "a part skips or repeats lines");
        assert!(*page > last_page, "two parts on one page");
        next_line += part.lines;
        last_page = *page;
    }
    assert_eq!(next_line, total, "every line is shown once");
    // The row that follows starts after the long one ends.
    let after = document
        .pages
        .iter()
        .find(|page| page.rows.iter().any(|row| row.row == Some(2)))
        .unwrap();
    assert_eq!(after.number, last_page);
    // The text laid out is the text given, in order (line feeds and spaces aside).
    let laid: String = document
        .pages
        .iter()
        .flat_map(|page| page.runs.iter())
        .filter(|run| run.kind == TextKind::TableCell)
        .map(|run| run.text.as_str())
        .collect::<String>();
    let notice = two_metre_notice();
    let expected: String = notice.sections[0]
        .rows
        .iter()
        .flat_map(|row| row.iter())
        .flat_map(|cell| cell.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let laid: String = laid.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(laid, expected);
}

#[test]
fn laid_out_cells_obey_bitouwei() {
    let document = layout_notice(
        &fixtures::fourteen_column_notice(60, 9, true),
        &PdfOptions::new(fonts()),
    )
    .unwrap();
    let mut checked = 0;
    for page in &document.pages {
        // Lines of one cell: runs of TableCell kind with the same left edge, in order.
        let mut lines: Vec<(f32, f32, String)> = Vec::new();
        for run in page
            .runs
            .iter()
            .filter(|run| run.kind == TextKind::TableCell)
        {
            match lines.last_mut() {
                Some((_, baseline, text))
                    if (*baseline - run.baseline).abs() < 0.01 && run.x > 0.0 =>
                {
                    text.push_str(&run.text);
                }
                _ => lines.push((run.x, run.baseline, run.text.clone())),
            }
        }
        for pair in lines.windows(2) {
            let (x0, b0, first) = &pair[0];
            let (_, b1, second) = &pair[1];
            let same_cell =
                (*b1 - *b0 - 10.5 * 1.45).abs() < 0.01 && (pair[1].0 - *x0).abs() < 60.0;
            if !same_cell {
                continue;
            }
            let end = first.chars().last().unwrap();
            let start = second.chars().next().unwrap();
            assert!(
                may_end_line(end),
                "a line ends with {end:?}: {first} / {second}"
            );
            assert!(
                may_start_line(start),
                "a line starts with {start:?}: {first} / {second}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} line pairs checked");
}

#[test]
fn gbt_9704_sizes_are_used() {
    let document = layout_notice(
        &fixtures::three_part_notice(3, 2),
        &PdfOptions::new(fonts()),
    )
    .unwrap();
    let first = &document.pages[0];
    let page_size = (first.width / MM, first.height / MM);
    assert!((page_size.0 - 210.0).abs() < 0.01 && (page_size.1 - 297.0).abs() < 0.01);
    assert!((first.text_area.left / MM - 28.0).abs() < 0.01);
    assert!((first.text_area.top / MM - 37.0).abs() < 0.01);
    assert!((first.text_area.width() / MM - 156.0).abs() < 0.01);
    assert!((first.text_area.height() / MM - 225.0).abs() < 0.01);
    let size_of = |kind: TextKind| {
        first
            .runs
            .iter()
            .find(|run| run.kind == kind)
            .map(|run| run.size)
    };
    assert_eq!(size_of(TextKind::Title), Some(TITLE_SIZE));
    assert_eq!(size_of(TextKind::Paragraph), Some(BODY_SIZE));
    assert_eq!(size_of(TextKind::SectionHeading), Some(BODY_SIZE));

    let landscape = layout_notice(
        &fixtures::fourteen_column_notice(3, 2, true),
        &PdfOptions::new(fonts()),
    )
    .unwrap();
    let page = &landscape.pages[0];
    assert!((page.width / MM - 297.0).abs() < 0.01 && (page.height / MM - 210.0).abs() < 0.01);
    assert!((page.text_area.width() / MM - 225.0).abs() < 0.01);
    assert!((page.text_area.height() / MM - 156.0).abs() < 0.01);
}

#[test]
fn section_headings_come_between_the_tables_in_order() {
    let notice = fixtures::three_part_notice(4, 3);
    let document = layout_notice(&notice, &PdfOptions::new(fonts())).unwrap();
    let headings: Vec<String> = document
        .pages
        .iter()
        .flat_map(|page| page.runs.iter())
        .filter(|run| run.kind == TextKind::SectionHeading)
        .map(|run| run.text.clone())
        .collect();
    let expected: Vec<String> = notice
        .sections
        .iter()
        .filter_map(|section| section.heading.clone())
        .collect();
    assert_eq!(headings.concat(), expected.concat());
    // Every data row of section 0 comes before the heading of section 1 (page, then y).
    let heading_of_second = document
        .pages
        .iter()
        .flat_map(|page| page.runs.iter().map(move |run| (page.number, run)))
        .find(|(_, run)| run.kind == TextKind::SectionHeading && run.text.starts_with("二"))
        .map(|(page, run)| (page, run.baseline))
        .unwrap();
    for page in &document.pages {
        for row in page.rows.iter().filter(|row| row.section == 0) {
            assert!((page.number, row.bounds.bottom) <= (heading_of_second.0, heading_of_second.1));
        }
    }
}

#[test]
fn every_item_is_laid_out_once_in_order() {
    let notice = fixtures::three_part_notice(25, 8);
    let document = layout_notice(&notice, &PdfOptions::new(fonts())).unwrap();
    let mut seen: Vec<(usize, usize)> = Vec::new();
    for page in &document.pages {
        for row in &page.rows {
            if let Some(index) = row.row {
                if row.first_line == 0 {
                    seen.push((row.section, index));
                }
            }
        }
    }
    let expected: Vec<(usize, usize)> = notice
        .sections
        .iter()
        .enumerate()
        .flat_map(|(section, s)| (0..s.rows.len()).map(move |row| (section, row)))
        .collect();
    assert_eq!(seen, expected);
}
