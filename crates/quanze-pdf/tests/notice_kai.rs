//! 楷体 where GB/T 9704-2012 §7.3.3 uses it: second-level headings ("（一）…") in 楷体, first
//! level ("一、…") in 黑体, text in 仿宋 — for section headings and for headings opening a
//! paragraph of the introduction. Checked on the layout model (role and face of each run) and
//! with `pdffonts` / `pdftotext` on the PDF: a 楷体 face (AR PL UKai CN from fonts-arphic-ukai
//! on Debian, which `cargo xtask test` installs) is embedded. Without any 楷体 face the
//! headings fall back to the body face; that is a skip with a note here, a failure under CI.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod poppler;

use std::sync::OnceLock;

use quanze_domain::notice::{Notice, NoticeColumn, NoticeHeading, NoticeSection, Orientation};
use quanze_pdf::{
    layout_notice, render_notice, FontRole, FontSet, LaidOutDocument, PdfOptions, TextKind,
};

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::discover(None).expect("a CJK font (fonts-noto-cjk) is installed"))
}

/// The 楷体 face found, if any: the first face of the Kai chain when it is a 楷体 one.
fn kai_family() -> Option<String> {
    let found = fonts()
        .primary_faces()
        .into_iter()
        .find(|face| face.role == FontRole::Kai && face.official)
        .map(|face| face.family);
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "no 楷体 face (fonts-arphic-ukai) under CI"
        );
        eprintln!("note: no 楷体 face installed (fonts-arphic-ukai); Kai checks skipped");
    }
    found
}

const INTRO: &str = "根据有关规定，现将清单公布如下。\n一、公布范围。本次公布基本履职事项和配合履职事项。\n（一）基本履职事项。街道依法履行的职责，共12项。\n（二）配合履职事项。区级部门牵头、街道配合的事项。";

fn notice(with_intro: bool) -> Notice {
    let section = |heading: &str| NoticeSection {
        heading: Some(heading.to_owned()),
        columns: vec![
            NoticeColumn {
                header: "序号".to_owned(),
                field: "seq".to_owned(),
            },
            NoticeColumn {
                header: "事项名称".to_owned(),
                field: "name".to_owned(),
            },
        ],
        rows: vec![vec!["1".to_owned(), "事项0001".to_owned()]],
    };
    Notice {
        heading: NoticeHeading {
            title: "关于公布青溪街道履行职责事项清单的公告".to_owned(),
            intro: with_intro.then(|| INTRO.to_owned()),
            ..NoticeHeading::default()
        },
        sections: vec![
            section("一、基本履职事项（1项）"),
            section("（一）街道党政综合办公室"),
        ],
        orientation: Orientation::Portrait,
    }
}

/// (text, role, family) of every run of `kind`.
fn runs(document: &LaidOutDocument, kind: TextKind) -> Vec<(String, FontRole, String)> {
    document
        .pages
        .iter()
        .flat_map(|page| page.runs.iter())
        .filter(|run| run.kind == kind)
        .map(|run| {
            (
                run.text.clone(),
                run.role,
                document.face_family(run.face).unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn second_level_headings_are_set_in_kai_first_level_in_hei() {
    let document = layout_notice(&notice(true), &PdfOptions::new(fonts())).unwrap();
    let headings = runs(&document, TextKind::SectionHeading);
    let role_of = |prefix: &str| {
        headings
            .iter()
            .filter(|(text, _, _)| text.starts_with(prefix))
            .map(|(_, role, _)| *role)
            .collect::<Vec<_>>()
    };
    assert_eq!(role_of("一、"), [FontRole::Heading], "{headings:?}");
    assert_eq!(role_of("（一）"), [FontRole::Kai], "{headings:?}");

    // In the introduction, the heading up to its 。 in the heading's face, the rest 仿宋.
    let paragraphs = runs(&document, TextKind::Paragraph);
    let text_in = |role: FontRole| -> String {
        paragraphs
            .iter()
            .filter(|(_, r, _)| *r == role)
            .map(|(text, _, _)| text.as_str())
            .collect()
    };
    assert_eq!(
        text_in(FontRole::Kai),
        "（一）基本履职事项。（二）配合履职事项。"
    );
    assert_eq!(text_in(FontRole::Heading), "一、公布范围。");
    assert!(text_in(FontRole::Body).starts_with("根据有关规定"));
    assert!(text_in(FontRole::Body).contains("街道依法履行的职责"));

    if let Some(kai) = kai_family() {
        for (text, role, family) in headings.iter().chain(&paragraphs) {
            if *role == FontRole::Kai {
                assert_eq!(family, &kai, "{text} is set in the 楷体 face");
            }
        }
    }
}

#[test]
fn a_heading_and_its_text_share_one_line_without_overlap() {
    let document = layout_notice(&notice(true), &PdfOptions::new(fonts())).unwrap();
    let page = &document.pages[0];
    let kai = page
        .runs
        .iter()
        .find(|run| run.kind == TextKind::Paragraph && run.role == FontRole::Kai)
        .unwrap();
    let next = page
        .runs
        .iter()
        .filter(|run| run.kind == TextKind::Paragraph && (run.baseline - kai.baseline).abs() < 0.01)
        .filter(|run| run.x > kai.x)
        .min_by(|a, b| a.x.total_cmp(&b.x))
        .unwrap();
    assert!(
        (next.x - (kai.x + kai.width)).abs() < 0.5,
        "the text goes on right after the heading: {kai:?} {next:?}"
    );
    for run in page
        .runs
        .iter()
        .filter(|run| run.kind != TextKind::PageNumber)
    {
        assert!(page.text_area.contains(&run.bounds(), 0.5), "{run:?}");
    }
}

#[test]
fn pdffonts_lists_the_embedded_kai_face() {
    if !poppler::available("pdffonts") || !poppler::available("pdftotext") {
        return;
    }
    let Some(kai) = kai_family() else {
        return;
    };
    let bytes = render_notice(&notice(true), &PdfOptions::new(fonts())).unwrap();
    let pdf = poppler::write(&poppler::scratch_dir("kai"), "kai.pdf", &bytes);
    let rows = poppler::pdffonts(&pdf);
    // The PostScript name of a 楷体 face says so: "ABCDEF+UKaiCN", "KaiTi_GB2312", "STKaiti".
    let row = rows
        .iter()
        .find(|row| row.name.to_lowercase().contains("kai"))
        .unwrap_or_else(|| panic!("no {kai} in pdffonts: {rows:#?}"));
    assert!(row.embedded && row.subset && row.unicode, "{row:?}");
    let text: String = poppler::pdftotext(&pdf, None)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for heading in [
        "（一）街道党政综合办公室",
        "（一）基本履职事项。街道依法履行的职责",
    ] {
        assert!(text.contains(heading), "{heading} in {text}");
    }
}
