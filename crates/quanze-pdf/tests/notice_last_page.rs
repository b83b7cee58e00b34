//! The last page of a notice: the signature (发文机关署名 and 成文日期) never stands alone on a
//! page. When it does not fit under the last table row, the last row (or the tail of a split
//! row, two lines or more on each side) goes to the new page with it, under the repeated header,
//! like Word's "keep with next". Checked on the layout model over a range of row counts, and on
//! the PDF's last page with `pdftotext`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod poppler;

use std::sync::OnceLock;

use quanze_domain::notice::{Notice, NoticeColumn, NoticeHeading, NoticeSection, Orientation};
use quanze_pdf::{layout_notice, render_notice, FontSet, LaidOutDocument, PdfOptions, TextKind};

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::discover(None).expect("a CJK font (fonts-noto-cjk) is installed"))
}

const ORGAN: &str = "中共青川区委机构编制委员会办公室";
const DATE: &str = "2026年12月5日";

/// A street's 履行职责事项清单 as the sample district prints it: no introduction, so the
/// signature follows the last table; three sections, the last one `last_rows` long. Rows are
/// one to three lines, like the sample's 承接部门 and 工作方式; `long_every` makes every n-th
/// row of the last section a long (split) row.
fn street_notice(last_rows: usize, long_every: Option<usize>) -> Notice {
    let headers = ["序号", "事项名称", "承接部门", "工作方式", "备注"];
    let columns: Vec<NoticeColumn> = headers
        .iter()
        .map(|header| NoticeColumn {
            header: (*header).to_owned(),
            field: "other".to_owned(),
        })
        .collect();
    let mut random = fixtures::Xorshift::new(17);
    let ways = [
        "由区级部门直接实施，街道不再承担。",
        "由青川区房屋征收与补偿服务中心依法办理，街道不再受理、初审。",
        "配合开展。",
        "街道负责摸排上报，区级部门负责审核认定并组织实施，社区协助做好宣传引导。",
    ];
    let units = [
        "青川区档案馆",
        "青川区住房和城乡建设局",
        "青川区退役军人事务局",
        "民政局",
    ];
    let section = |heading: &str, rows: usize, random: &mut fixtures::Xorshift| NoticeSection {
        heading: Some(format!("{heading}（{rows}项）")),
        columns: columns.clone(),
        rows: (0..rows)
            .map(|index| {
                let long = long_every.is_some_and(|every| (index + 1) % every == 0);
                let way = if long {
                    ways[3].repeat(6)
                } else {
                    random.pick(&ways[..3]).to_owned()
                };
                vec![
                    (index + 1).to_string(),
                    fixtures::item_name(index),
                    random.pick(&units).to_owned(),
                    way,
                    String::new(),
                ]
            })
            .collect(),
    };
    Notice {
        heading: NoticeHeading {
            issuing_organ: Some(ORGAN.to_owned()),
            title: "关于公布青川区青溪街道履行职责事项清单的公告".to_owned(),
            date: Some(DATE.to_owned()),
            ..NoticeHeading::default()
        },
        sections: vec![
            section("一、基本履职事项", 12, &mut random),
            section("二、配合履职事项", 9, &mut random),
            section("三、上级部门收回事项", last_rows, &mut random),
        ],
        orientation: Orientation::Portrait,
    }
}

/// What is wrong with the last page, if anything.
fn last_page_problem(document: &LaidOutDocument) -> Option<String> {
    let last = document.pages.last()?;
    let signature = last.texts_of(TextKind::Signature).concat();
    if !signature.contains(DATE) {
        return Some(format!("the last page has no date: {signature:?}"));
    }
    let data_rows = last.rows.iter().filter(|row| row.row.is_some()).count();
    let cells = last.texts_of(TextKind::TableCell).len();
    if data_rows == 0 || cells == 0 {
        return Some(format!(
            "the signature is alone on page {} (rows {data_rows}, cells {cells})",
            last.number
        ));
    }
    // Every row part on the last page shows at least two lines (no orphan line moved over).
    if let Some(part) = last
        .rows
        .iter()
        .find(|row| row.row.is_some() && row.lines < 2.min(row.total_lines))
    {
        return Some(format!("a one-line row part on the last page: {part:?}"));
    }
    // The header repeated above the rows carried over.
    if last.rows.first().is_some_and(|row| row.row.is_some()) {
        return Some("rows on the last page without the header above them".to_owned());
    }
    None
}

/// Lays out the last section at every length in `lengths` and returns the problems.
fn problems(lengths: impl Iterator<Item = usize>, long_every: Option<usize>) -> Vec<String> {
    let options = PdfOptions::new(fonts());
    lengths
        .filter_map(|rows| {
            let document = layout_notice(&street_notice(rows, long_every), &options).unwrap();
            last_page_problem(&document).map(|problem| format!("{rows} rows: {problem}"))
        })
        .collect()
}

#[test]
fn the_signature_never_stands_alone_on_the_last_page() {
    // Before keep-with-next, several of these lengths left 发文机关 and date alone on a page.
    let found = problems(1..=90, None);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_tail_of_a_long_last_row_goes_with_the_signature() {
    // Every fourth row is long (about 24 lines), so the last row is often split or moved.
    let found = problems(1..=40, Some(4));
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn keeping_the_signature_loses_no_row_and_repeats_no_line() {
    let options = PdfOptions::new(fonts());
    for rows in [1, 20, 37, 64, 90] {
        let notice = street_notice(rows, Some(5));
        let document = layout_notice(&notice, &options).unwrap();
        for (section_index, section) in notice.sections.iter().enumerate() {
            for row in 0..section.rows.len() {
                let mut shown = 0usize;
                let mut total = 0usize;
                for page in &document.pages {
                    for part in page
                        .rows
                        .iter()
                        .filter(|part| part.section == section_index && part.row == Some(row))
                    {
                        assert_eq!(
                            part.first_line, shown,
                            "row {row} continues where it stopped"
                        );
                        shown += part.lines;
                        total = part.total_lines;
                    }
                }
                assert_eq!(
                    shown, total,
                    "{rows} rows: section {section_index} row {row}"
                );
            }
        }
    }
}

/// A length whose old layout (before keep-with-next) put 发文机关 and date on page 4 alone;
/// 9–12, 33–36, 56–60 and 82–85 rows did too.
const CARRIED_LENGTH: usize = 34;

#[test]
fn pdftotext_reads_a_table_row_and_the_signature_on_the_last_page() {
    if !poppler::available("pdftotext") {
        return;
    }
    let rows = CARRIED_LENGTH;
    let notice = street_notice(rows, None);
    let bytes = render_notice(&notice, &PdfOptions::new(fonts())).unwrap();
    let pdf = poppler::write(&poppler::scratch_dir("last-page"), "street.pdf", &bytes);
    let pages = layout_notice(&notice, &PdfOptions::new(fonts()))
        .unwrap()
        .pages
        .len();
    let text: String = poppler::pdftotext(&pdf, Some((pages, pages)))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let last_name = fixtures::item_name(rows - 1);
    assert!(text.contains("事项名称"), "header on the last page: {text}");
    assert!(
        text.contains(&last_name),
        "last row {last_name} on the last page: {text}"
    );
    assert!(
        text.contains(ORGAN) && text.contains(DATE),
        "signature: {text}"
    );
    let (name_at, organ_at) = (text.find(&last_name).unwrap(), text.find(ORGAN).unwrap());
    assert!(
        name_at < organ_at,
        "the signature follows the last row: {text}"
    );
}
