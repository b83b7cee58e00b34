//! The bodies of Quanze's fuzz targets, as plain functions of the input bytes.
//!
//! Each `fuzz_targets/<name>.rs` is one line calling the function of the same name here, so
//! that the same code runs under libFuzzer (`cargo fuzz run <name>`, see `docs/fuzzing.md`)
//! and under a stable `cargo test --no-default-features` that replays `seeds/<name>/`
//! (`tests/replay_seeds.rs`, which CI runs through `cargo xtask test`).
//!
//! A target fails by panicking (libFuzzer reports it as a crash); an `Err` from the code under
//! test is the expected answer to bad input and is ignored. Some targets also assert a
//! property that must hold for every input they accept (a dumped bundle reads back; an SVG
//! is well-formed XML): those asserts are the oracle, not input handling.

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use quanze_domain::notice::{
    CommunityPoster, Notice, NoticeColumn, NoticeHeading, NoticeSection, OrgChart,
    OrgChartDepartment, OrgChartLeader, OrgChartRow, Orientation, PosterEntry, PosterSection,
};
use quanze_domain::{Bundle, ExtraField, Item};
use quanze_import::{sheet, ImportOptions, ImportPlan, Limits, Synonyms};

/// Limits for the workbook targets: the defaults allow files of hundreds of megabytes, which
/// would make each execution slow without reaching new code.
fn fuzz_limits() -> Limits {
    Limits {
        max_file_bytes: 4 * 1024 * 1024,
        max_cells: 200_000,
        max_xls_area: 1_000_000,
        ..Limits::default()
    }
}

static QUIET_CALAMINE_PANICS: std::sync::Once = std::sync::Once::new();

/// The importer catches a panic inside calamine and reports the file as damaged, so such a
/// panic is not a crash of the app: let it unwind to that catch without printing. A panic
/// anywhere else is still printed and, under libFuzzer, reported as a crash.
fn quiet_calamine_panics() {
    QUIET_CALAMINE_PANICS.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !info
                .location()
                .is_some_and(|l| l.file().contains("calamine"))
            {
                previous(info);
            }
        }))
    });
}

/// Workbook → raw rows → mapped items must never panic, abort or allocate without bound,
/// whatever the bytes. The first byte picks the name the bytes are given (so that the
/// name-independence of format sniffing is exercised too).
pub fn workbook_rows(data: &[u8]) {
    quiet_calamine_panics();
    let names = ["f.xlsx", "f.xls", "f.csv", "f.ods", "f"];
    let name = names[usize::from(data.first().copied().unwrap_or(0)) % names.len()];
    if let Ok(workbook) = quanze_import::read_workbook_bytes(name, data, &fuzz_limits()) {
        if let Ok(synonyms) = Synonyms::builtin() {
            let ctx = sheet::SheetContext {
                file: name,
                synonyms: &synonyms,
                department: None,
            };
            for s in workbook.sheets {
                let _ = sheet::map_sheet(&ctx, s, None);
            }
        }
    }
}

/// A YAML bundle: parsed and validated (`Bundle::from_yaml`, input limits first), loaded into
/// an empty in-memory database, dumped, and the dump read back. A bundle the program accepted
/// must load, and what it dumps must be a bundle it accepts: otherwise `quanze dump` would
/// write files `quanze load` refuses.
pub fn bundle_yaml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(bundle) = Bundle::from_yaml(text) {
        let dumped = load_and_dump(&bundle);
        let yaml = dumped
            .to_yaml()
            .unwrap_or_else(|e| panic!("the dump does not serialize: {e}"));
        if let Err(e) = Bundle::from_yaml(&yaml) {
            panic!("the dump of an accepted bundle is refused: {e}\n{yaml}");
        }
    }
}

/// [`bundle_yaml`] for the JSON form of a bundle.
pub fn bundle_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(bundle) = Bundle::from_json(text) {
        let dumped = load_and_dump(&bundle);
        let json = dumped
            .to_json()
            .unwrap_or_else(|e| panic!("the dump does not serialize: {e}"));
        if let Err(e) = Bundle::from_json(&json) {
            panic!("the dump of an accepted bundle is refused: {e}\n{json}");
        }
    }
}

fn load_and_dump(bundle: &Bundle) -> Bundle {
    let mut store = quanze_store::Store::open_in_memory()
        .unwrap_or_else(|e| panic!("no in-memory database: {e}"));
    store
        .write("fuzz", Some("加载数据包"), |writer| {
            writer.load_bundle(bundle)
        })
        .unwrap_or_else(|e| panic!("an accepted bundle does not load: {e}"));
    store
        .reader()
        .dump()
        .unwrap_or_else(|e| panic!("the loaded bundle does not dump: {e}"))
}

/// Exchange on any bundle the reader accepts (`docs/exchange.md`): loaded into a database, each
/// root jurisdiction is exported as a package (sealed, kept as a base); the package merged back
/// into the same database must find nothing to do; merged into an empty database it must apply
/// whole (every entity added), and merged there again find nothing to do. A failure or a
/// non-empty report there is a bug of the merge (its forms, references or order), not bad input.
pub fn package_merge(data: &[u8]) {
    use quanze_store::exchange::{Direction, ExportScope, MergeOptions, Producer};
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(bundle) = Bundle::from_yaml(text) else {
        return;
    };
    let mut store = quanze_store::Store::open_in_memory().unwrap_or_else(|e| panic!("no in-memory database: {e}"));
    store.write("fuzz", None, |w| w.load_bundle(&bundle)).unwrap_or_else(|e| panic!("an accepted bundle does not load: {e}"));
    let roots: Vec<u32> = store
        .reader()
        .jurisdictions()
        .unwrap_or_else(|e| panic!("jurisdictions: {e}"))
        .iter()
        .filter(|j| j.parent.is_none())
        .map(|j| j.id)
        .collect();
    let producer = Producer { office: "fuzz".into(), actor: "fuzz".into(), made_at: "2026-12-05T09:00:00+08:00".into() };
    for root in roots {
        let package = store
            .write("fuzz", None, |w| {
                let package = w.reader().package(&ExportScope { jurisdiction: root, lists: Vec::new() }, &producer)?;
                w.record_package(&package, Direction::Sent)?;
                Ok(package)
            })
            .unwrap_or_else(|e| panic!("a package is not made: {e}"));
        let text = package.to_yaml().unwrap_or_else(|e| panic!("a package does not serialize: {e}"));
        let package = Bundle::from_yaml(&text).unwrap_or_else(|e| panic!("a package is refused when read back: {e}"));
        let merge = |store: &mut quanze_store::Store| {
            store
                .write("fuzz", Some("合并"), |w| w.merge_package(&package, &MergeOptions::default()))
                .unwrap_or_else(|e| panic!("a package does not merge: {e}"))
        };
        let home = merge(&mut store);
        assert!(home.is_empty(), "a package merged back where it was made changes something: {home:?}");
        let mut empty = quanze_store::Store::open_in_memory().unwrap_or_else(|e| panic!("no in-memory database: {e}"));
        let first = merge(&mut empty);
        assert!(first.applied && first.conflicts.is_empty() && first.changed.is_empty(), "{first:?}");
        let again = merge(&mut empty);
        assert!(again.is_empty(), "a package merged twice changes something the second time: {again:?}");
    }
}

/// The importer's mapping and commit: the bytes as a CSV file (text is where the mapping's
/// decisions are: header row, synonyms, continuation rows, inferred department), planned as
/// `quanze_import` does and written by `Api::write_import` into a fresh in-memory database,
/// then the search index caught up. Refusals are fine; a plan that maps must be written.
pub fn import_commit(data: &[u8]) {
    let Ok(workbook) = quanze_import::read_workbook_bytes("清单.csv", data, &fuzz_limits())
    else {
        return;
    };
    let Some(synonyms) = import_synonyms() else {
        return;
    };
    let options = ImportOptions {
        limits: fuzz_limits(),
        ..ImportOptions::default()
    };
    let Ok(file) = quanze_import::plan_workbook(workbook, &options, synonyms) else {
        return;
    };
    let first_name = file.items.first().map(|item| item.name.clone());
    let plan = ImportPlan {
        options,
        files: vec![file],
        skipped: Vec::new(),
    };
    let mut api =
        quanze_api::Api::open_in_memory().unwrap_or_else(|e| panic!("no in-memory database: {e}"));
    api.write_import(&plan, "导入 清单.csv", "fuzz")
        .unwrap_or_else(|e| panic!("a planned import is not written: {e}"));
    // What was written is searchable at once: the first item is found by its own name.
    if let Some(name) = first_name.filter(|n| !n.trim().is_empty()) {
        let hits = api.search(&name, u32::MAX).unwrap_or_else(|e| panic!("search fails: {e}"));
        assert!(hits.iter().any(|hit| hit.item.name == name), "an imported item is not found by its name");
    }
}

fn import_synonyms() -> Option<&'static Synonyms> {
    static SYNONYMS: OnceLock<Option<Synonyms>> = OnceLock::new();
    SYNONYMS.get_or_init(|| Synonyms::builtin().ok()).as_ref()
}

/// Every exporter on view models of arbitrary text: the notice as PDF, Excel (with its raw
/// data sheet) and HTML (embedded and linked CSS), posters as PDF and HTML, the org chart as
/// SVG, which must stay well-formed XML whatever the names are.
pub fn exporters(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(input) = ExportInput::arbitrary(&mut u) else {
        return;
    };
    let notice = input.notice();
    let posters = input.posters();
    let chart = input.chart();
    let items = input.items();

    if let Some(fonts) = pdf_fonts() {
        let mut options = quanze_pdf::PdfOptions::new(fonts);
        // Printing the code point instead of refusing reaches the layout with any text.
        options.missing_glyph = quanze_pdf::MissingGlyphPolicy::ShowCodePoint;
        let _ = quanze_pdf::render_notice(&notice, &options);
        let mut poster_options = quanze_pdf::PosterOptions::new(fonts);
        poster_options.missing_glyph = quanze_pdf::MissingGlyphPolicy::ShowCodePoint;
        let _ = quanze_pdf::render_posters(&posters, &poster_options);
    }

    let raw = [quanze_export::RawSection {
        name: "基本履职事项",
        items: &items,
    }];
    let _ = quanze_export::write_notice_xlsx(&notice, &raw);

    if let Some(templates) = html_templates() {
        for stylesheet in [
            quanze_export::Stylesheet::Embedded,
            quanze_export::Stylesheet::Linked("notice.css"),
        ] {
            let _ = templates.render_notice(&notice, stylesheet);
            for poster in &posters {
                let _ = templates.render_poster(poster, stylesheet);
            }
        }
    }

    let svg = quanze_export::render_org_chart_svg(&chart);
    if let Err(e) = roxmltree::Document::parse(&svg) {
        panic!("the org chart SVG is not well-formed XML: {e}\n{svg}");
    }
}

/// The installed fonts, discovered once per process; without a Chinese font (a bare CI
/// image) the PDF exporters are left out rather than failing every input. So are they with
/// `QUANZE_FUZZ_NO_PDF` set: the PDF makes an execution about a thousand times slower (font
/// subsetting), and a run without it reaches far more executions of the other exporters.
fn pdf_fonts() -> Option<&'static quanze_pdf::FontSet> {
    static FONTS: OnceLock<Option<quanze_pdf::FontSet>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            if std::env::var_os("QUANZE_FUZZ_NO_PDF").is_some() {
                return None;
            }
            quanze_pdf::FontSet::discover(None).ok()
        })
        .as_ref()
}

fn html_templates() -> Option<&'static quanze_export::NoticeTemplates> {
    static TEMPLATES: OnceLock<Option<quanze_export::NoticeTemplates>> = OnceLock::new();
    TEMPLATES
        .get_or_init(|| quanze_export::NoticeTemplates::builtin().ok())
        .as_ref()
}

/// Text biased towards what breaks printers: CJK (common and rare planes), full-width
/// punctuation that must not start or end a line, controls, combining marks, RTL, emoji,
/// markup and formula starts, long runs without a break opportunity.
#[derive(Debug)]
struct Text(String);

const PIECES: &[&str] = &[
    "",
    " ",
    "\n",
    "\r\n",
    "\t",
    "\u{0}",
    "\u{7}",
    "\u{1b}",
    "\u{ad}",
    "\u{200b}",
    "\u{200d}",
    "\u{202e}",
    "\u{feff}",
    "\u{fffd}",
    "\u{301}",
    "𠀀",
    "𪚥",
    "🇨🇳",
    "👨‍👩‍👧",
    "，",
    "。",
    "、",
    "（",
    "）",
    "《",
    "》",
    "【",
    "】",
    "“",
    "”",
    "——",
    "……",
    "权责清单",
    "行政许可",
    "《中华人民共和国行政许可法》第三十条",
    "=SUM(A1:A2)",
    "+1",
    "@x",
    "<script>",
    "</svg>",
    "]]>",
    "&amp;",
    "'\"",
    "{{ x }}",
    "{% raw %}",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
];

impl<'a> Arbitrary<'a> for Text {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let mut text = String::new();
        let pieces = u.int_in_range(0..=12u8)?;
        for _ in 0..pieces {
            match u.int_in_range(0..=3u8)? {
                0 => text.push(char::arbitrary(u)?),
                1 => text.push(char::from_u32(u.int_in_range(0x4e00..=0x9fffu32)?).unwrap_or('〇')),
                2 => text.push(char::from(u.int_in_range(0x20..=0x7eu8)?)),
                _ => text.push_str(u.choose(PIECES)?),
            }
        }
        Ok(Text(text))
    }
}

fn opt(text: &Option<Text>) -> Option<String> {
    text.as_ref().map(|t| t.0.clone())
}

/// A notice table: heading, columns (header, field), rows of cells.
type SectionInput = (Option<Text>, Vec<(Text, Text)>, Vec<Vec<Text>>);
/// A poster block: heading, entries (name, note).
type PosterSectionInput = (Text, Vec<(Text, Option<Text>)>);
/// An org-chart box: name, row (mod 3), the four staffing figures, leaders in charge.
type DepartmentInput = (Text, u8, [Option<u32>; 4], Vec<u32>);

/// Sizes are bounded (a few sections of a few rows) so that an execution stays fast; what
/// varies is the text, which is what the exporters must survive.
#[derive(Debug)]
struct ExportInput {
    heading: [Option<Text>; 4],
    title: Text,
    landscape: bool,
    sections: Vec<SectionInput>,
    poster: (Text, Text, Text, [Option<Text>; 3]),
    poster_sections: Vec<PosterSectionInput>,
    leaders: Vec<(u32, Text, Text)>,
    departments: Vec<DepartmentInput>,
}

fn small_vec<'a, T>(
    u: &mut Unstructured<'a>,
    max: u8,
    mut each: impl FnMut(&mut Unstructured<'a>) -> arbitrary::Result<T>,
) -> arbitrary::Result<Vec<T>> {
    let n = u.int_in_range(0..=max)?;
    (0..n).map(|_| each(u)).collect()
}

impl<'a> Arbitrary<'a> for ExportInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(ExportInput {
            heading: Arbitrary::arbitrary(u)?,
            title: Text::arbitrary(u)?,
            landscape: bool::arbitrary(u)?,
            sections: small_vec(u, 3, |u| {
                let heading = Option::<Text>::arbitrary(u)?;
                let columns = small_vec(u, 6, |u| Ok((Text::arbitrary(u)?, Text::arbitrary(u)?)))?;
                // Rows may be shorter or longer than the columns: the view model says they
                // should not be, and the exporters must not index past either.
                let rows = small_vec(u, 8, |u| small_vec(u, 7, Text::arbitrary))?;
                Ok((heading, columns, rows))
            })?,
            poster: Arbitrary::arbitrary(u)?,
            poster_sections: small_vec(u, 3, |u| {
                Ok((
                    Text::arbitrary(u)?,
                    small_vec(u, 8, |u| {
                        Ok((Text::arbitrary(u)?, Option::<Text>::arbitrary(u)?))
                    })?,
                ))
            })?,
            leaders: small_vec(u, 5, |u| {
                Ok((
                    u.int_in_range(0..=6)?,
                    Text::arbitrary(u)?,
                    Text::arbitrary(u)?,
                ))
            })?,
            departments: small_vec(u, 12, |u| {
                Ok((
                    Text::arbitrary(u)?,
                    u8::arbitrary(u)?,
                    Arbitrary::arbitrary(u)?,
                    small_vec(u, 3, |u| u.int_in_range(0..=7))?,
                ))
            })?,
        })
    }
}

impl ExportInput {
    fn notice(&self) -> Notice {
        let [organ, doc_no, date, intro] = &self.heading;
        Notice {
            heading: NoticeHeading {
                issuing_organ: opt(organ),
                doc_no: opt(doc_no),
                title: self.title.0.clone(),
                date: opt(date),
                intro: opt(intro),
            },
            sections: self
                .sections
                .iter()
                .map(|(heading, columns, rows)| NoticeSection {
                    heading: opt(heading),
                    columns: columns
                        .iter()
                        .map(|(header, field)| NoticeColumn {
                            header: header.0.clone(),
                            field: field.0.clone(),
                        })
                        .collect(),
                    rows: rows
                        .iter()
                        .map(|row| row.iter().map(|t| t.0.clone()).collect())
                        .collect(),
                })
                .collect(),
            orientation: if self.landscape {
                Orientation::Landscape
            } else {
                Orientation::Portrait
            },
        }
    }

    fn posters(&self) -> Vec<CommunityPoster> {
        let (community, street, title, [phone, person, footer]) = &self.poster;
        vec![CommunityPoster {
            community: community.0.clone(),
            street: street.0.clone(),
            title: title.0.clone(),
            contact_phone: opt(phone),
            responsible_person: opt(person),
            sections: self
                .poster_sections
                .iter()
                .map(|(heading, entries)| PosterSection {
                    heading: heading.0.clone(),
                    entries: entries
                        .iter()
                        .map(|(name, note)| PosterEntry {
                            name: name.0.clone(),
                            note: opt(note),
                            details: Vec::new(),
                        })
                        .collect(),
                })
                .collect(),
            footer: opt(footer),
        }]
    }

    fn chart(&self) -> OrgChart {
        OrgChart {
            street: self.title.0.clone(),
            template: opt(&self.heading[0]),
            leaders: self
                .leaders
                .iter()
                .map(|(key, name, post)| OrgChartLeader {
                    key: *key,
                    name: name.0.clone(),
                    post: post.0.clone(),
                })
                .collect(),
            departments: self
                .departments
                .iter()
                .map(
                    |(name, row, [admin, institution, actual, leader], in_charge)| {
                        OrgChartDepartment {
                            name: name.0.clone(),
                            row: match row % 5 {
                                0 => OrgChartRow::Department,
                                1 => OrgChartRow::Centre,
                                2 => OrgChartRow::Committee,
                                3 => OrgChartRow::Station,
                                _ => OrgChartRow::Dispatched,
                            },
                            admin_posts: *admin,
                            institution_posts: *institution,
                            actual_headcount: *actual,
                            leader_posts: *leader,
                            leaders_in_charge: in_charge.clone(),
                            members: *leader,
                            posts: Vec::new(),
                        }
                    },
                )
                .collect(),
        }
    }

    /// Items for the Excel raw-data sheet, one per notice row, with the row's cells as
    /// standard and extra fields.
    fn items(&self) -> Vec<Item> {
        let mut items = Vec::new();
        for (_, columns, rows) in &self.sections {
            for row in rows {
                let cell = |i: usize| row.get(i).map(|t| t.0.clone());
                let id = u32::try_from(items.len() + 1).unwrap_or(u32::MAX);
                items.push(Item {
                    id,
                    name: cell(0).unwrap_or_default(),
                    seq: cell(1),
                    basis: cell(2),
                    remarks: cell(3),
                    extra: columns
                        .iter()
                        .zip(row.iter().skip(4))
                        .map(|((header, _), value)| ExtraField {
                            header: header.0.clone(),
                            value: value.0.clone(),
                        })
                        .collect(),
                    ..Item::default()
                });
            }
        }
        items
    }
}
