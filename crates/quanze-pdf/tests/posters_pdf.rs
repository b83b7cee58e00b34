//! Wall posters: A3 sheets (pdfinfo), every entry printed in order, long lists flowing onto
//! more sheets headed "（续）", one PDF holding the posters of several communities.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod poppler;

use std::sync::OnceLock;

use quanze_pdf::{
    layout_posters, render_posters, FontSet, LaidOutPage, PdfError, PosterOptions, PosterPaper,
    TextKind, MIN_ENTRY_SIZE, MM, NEARLY_EMPTY_FILL,
};

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::discover(None).expect("a CJK font (fonts-noto-cjk) is installed"))
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn posters_are_a3_with_embedded_subset_fonts() {
    if !poppler::available("pdfinfo") || !poppler::available("pdffonts") {
        return;
    }
    let bytes = render_posters(
        &[fixtures::poster("春华社区", 8, 1)],
        &PosterOptions::new(fonts()),
    )
    .unwrap();
    let pdf = poppler::write(&poppler::scratch_dir("posters"), "a3.pdf", &bytes);
    let info = poppler::pdfinfo(&pdf);
    assert_eq!(
        poppler::page_size(&info),
        (841.89, 1190.55, "A3".to_owned())
    );
    for row in poppler::pdffonts(&pdf) {
        assert!(
            row.embedded && row.subset && row.name.contains('+'),
            "{row:?}"
        );
    }
}

#[test]
fn a2_paper_scales_the_sheet() {
    let mut options = PosterOptions::new(fonts());
    options.paper = PosterPaper::A2;
    let document = layout_posters(&[fixtures::poster("春华社区", 8, 1)], &options).unwrap();
    let page = &document.pages[0];
    assert!((page.width / MM - 420.0).abs() < 0.01 && (page.height / MM - 594.0).abs() < 0.01);
}

#[test]
fn long_lists_flow_onto_continued_sheets_with_every_entry_in_order() {
    let poster = fixtures::poster("春华社区", 45, 7);
    let document =
        layout_posters(std::slice::from_ref(&poster), &PosterOptions::new(fonts())).unwrap();
    assert!(
        document.pages.len() >= 3,
        "45 × 3 entries need several sheets"
    );
    for (index, page) in document.pages.iter().enumerate() {
        assert_eq!(page.number, index + 1);
        let titles = page.texts_of(TextKind::PosterTitle).concat();
        if index == 0 {
            assert_eq!(titles, poster.title);
            assert!(page
                .texts_of(TextKind::PosterContact)
                .concat()
                .contains("0571-88886666"));
        } else {
            assert_eq!(titles, format!("{}（续）", poster.title));
        }
        let footer = page.texts_of(TextKind::PosterFooter).join(" ");
        assert!(
            footer.contains(&format!(
                "第 {} 页 共 {} 页",
                index + 1,
                document.pages.len()
            )),
            "{footer}"
        );
    }
    // Entries, column by column, sheet by sheet: the numbers run 1..=45 in each section.
    let labels: Vec<String> = document
        .pages
        .iter()
        .flat_map(|page| page.runs.iter())
        .filter(|run| run.kind == TextKind::PosterEntryNumber)
        .map(|run| run.text.clone())
        .collect();
    let expected: Vec<String> = (0..3)
        .flat_map(|_| (1..=45).map(|n| format!("{n}.")))
        .collect();
    assert_eq!(labels, expected);
    // A section that continues on a new sheet says so.
    let continued = document
        .pages
        .iter()
        .skip(1)
        .flat_map(|page| page.runs.iter())
        .filter(|run| run.kind == TextKind::PosterSectionHeading && run.text.ends_with("（续）"))
        .count();
    assert!(continued >= 1);
}

#[test]
fn pdftotext_finds_every_entry_of_every_community() {
    if !poppler::available("pdftotext") {
        return;
    }
    let posters = vec![
        fixtures::poster("春华社区", 12, 1),
        fixtures::poster("秋实社区", 30, 2),
        fixtures::poster("夏荷社区", 3, 3),
    ];
    let document = layout_posters(&posters, &PosterOptions::new(fonts())).unwrap();
    let bytes = render_posters(&posters, &PosterOptions::new(fonts())).unwrap();
    let pdf = poppler::write(&poppler::scratch_dir("posters"), "street.pdf", &bytes);
    let text = squeeze(&poppler::pdftotext(&pdf, None));
    for poster in &posters {
        assert!(text.contains(&squeeze(&poster.title)));
        for section in &poster.sections {
            for entry in &section.entries {
                assert!(
                    text.contains(&squeeze(&entry.name)),
                    "{} missing",
                    entry.name
                );
            }
        }
    }
    // Each community starts on its own sheet, numbered from 1.
    let firsts: Vec<usize> = document
        .pages
        .iter()
        .enumerate()
        .filter(|(_, page)| page.number == 1)
        .map(|(index, _)| index + 1)
        .collect();
    assert_eq!(firsts.len(), 3);
    for (first, poster) in firsts.iter().zip(&posters) {
        let page = squeeze(&poppler::pdftotext(&pdf, Some((*first, *first))));
        assert!(
            page.contains(&squeeze(&poster.title)),
            "sheet {first} is not {}",
            poster.community
        );
    }
}

#[test]
fn no_posters_is_an_error() {
    let error = layout_posters(&[], &PosterOptions::new(fonts())).unwrap_err();
    assert!(matches!(error, PdfError::NoPosters));
}

#[test]
fn poster_type_is_large_enough_to_read_from_two_metres() {
    let document = layout_posters(
        &[fixtures::poster("春华社区", 4, 1)],
        &PosterOptions::new(fonts()),
    )
    .unwrap();
    let page = &document.pages[0];
    let sizes: Vec<f32> = page
        .runs
        .iter()
        .filter(|run| matches!(run.kind, TextKind::PosterEntry | TextKind::PosterEntryDetail))
        .map(|run| run.size)
        .collect();
    let names = sizes.iter().copied().fold(0.0, f32::max);
    let details = sizes.iter().copied().fold(f32::MAX, f32::min);
    // Names 24 pt: an em of 8.5 mm; the columns under them (承办机构) 0.8 of that.
    assert!(names / MM >= 8.0, "entries are {names} pt");
    assert!(details >= 0.8 * names - 0.01, "columns are {details} pt");
    let title = page
        .runs
        .iter()
        .find(|run| run.kind == TextKind::PosterTitle)
        .unwrap();
    assert!(title.size >= 40.0);
}

/// How much of a sheet's room its entries use, read from the glyphs: from the red rule under
/// the sheet's header to the lowest entry line, over the rule to the footer's top.
fn fill_of(page: &LaidOutPage) -> f32 {
    let rule = page.rules.first().map_or(0.0, |rule| rule.from.1);
    let footer_top = page
        .runs
        .iter()
        .filter(|run| run.kind == TextKind::PosterFooter)
        .map(|run| run.baseline - run.size)
        .fold(f32::MAX, f32::min);
    let lowest = page
        .runs
        .iter()
        .filter(|run| {
            matches!(
                run.kind,
                TextKind::PosterEntry | TextKind::PosterEntryDetail | TextKind::PosterSectionHeading
            )
        })
        .map(|run| run.baseline)
        .fold(rule, f32::max);
    (lowest - rule) / (footer_top - rule)
}

#[test]
fn no_poster_ends_on_a_nearly_empty_sheet_and_type_stays_readable() {
    // Lengths 1..=60 per list: without the evening out, 9 of them ended on a sheet 13–26 % full.
    let mut smaller = 0;
    let mut nearly_empty = Vec::new();
    for per_section in 1..=60 {
        let poster = fixtures::poster("春华社区", per_section, per_section as u64);
        let document =
            layout_posters(std::slice::from_ref(&poster), &PosterOptions::new(fonts())).unwrap();
        let sheets = document.pages.len();
        let entries: Vec<f32> = document
            .pages
            .iter()
            .flat_map(|page| page.runs.iter())
            .filter(|run| run.kind == TextKind::PosterEntryNumber)
            .map(|run| run.size)
            .collect();
        // Every entry is there, at a readable size (names 20–24 pt).
        assert_eq!(entries.len(), 3 * per_section, "{per_section} per list");
        let size = entries.iter().copied().fold(f32::MAX, f32::min);
        assert!((MIN_ENTRY_SIZE - 0.01..=24.01).contains(&size), "{per_section}: {size} pt");
        if size < 23.99 {
            smaller += 1;
        }
        if sheets > 1 {
            let last = fill_of(&document.pages[sheets - 1]);
            // The measured fill counts from the rule, the layout's from under it: a little slack.
            if last < NEARLY_EMPTY_FILL - 0.05 {
                nearly_empty.push(format!("{per_section}: {:.0} %", last * 100.0));
            }
        }
    }
    assert!(
        nearly_empty.is_empty(),
        "{} lengths end on a nearly empty sheet: {nearly_empty:?}",
        nearly_empty.len()
    );
    assert!(smaller > 0, "no poster was set smaller to save a sheet");
}

#[test]
fn a_long_poster_title_breaks_between_words_keeping_the_community_whole() {
    let mut poster = fixtures::poster("东湖街道春华里社区", 3, 2);
    poster.title = "东湖街道春华里社区工作事项准入清单（依法履职事项、协助政府工作事项、负面清单、证明事项）".to_owned();
    let document = layout_posters(std::slice::from_ref(&poster), &PosterOptions::new(fonts())).unwrap();
    let page = &document.pages[0];
    // The title's lines in order (a line is the runs on one baseline).
    let mut lines: Vec<(f32, String)> = Vec::new();
    for run in page.runs.iter().filter(|run| run.kind == TextKind::PosterTitle) {
        match lines.last_mut() {
            Some((baseline, text)) if (*baseline - run.baseline).abs() < 0.01 => text.push_str(&run.text),
            _ => lines.push((run.baseline, run.text.clone())),
        }
    }
    assert!(lines.len() >= 2, "the title wraps: {lines:?}");
    let joined: String = lines.iter().map(|(_, text)| text.as_str()).collect();
    assert_eq!(squeeze(&joined), squeeze(&poster.title));
    // No line ends inside the community's name or inside a word of the list names.
    let mut end = 0usize;
    for (_, text) in &lines[..lines.len() - 1] {
        end += text.chars().count();
        let before: String = joined.chars().take(end).collect();
        for word in ["东湖街道春华里社区", "工作事项", "准入清单", "依法履职", "协助政府", "负面清单", "证明事项"] {
            for (start, _) in joined.match_indices(word) {
                let start_chars = joined[..start].chars().count();
                let inside = start_chars < end && end < start_chars + word.chars().count();
                assert!(!inside, "a line ends inside {word}: {before:?} | {lines:?}");
            }
        }
    }
}
