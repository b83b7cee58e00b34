//! Titles broken between words (GB/T 9704-2012 §7.3.3: a title on several lines breaks where
//! the meaning stays whole, its lines a trapezoid or diamond). Checked on the laid-out title
//! lines of notices titled after the sample district's lists and the real published lists
//! (`/work/shared/real-lists`, named e.g. 克拉玛依市文化体育广播电视和旅游局2024年权责清单).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use quanze_domain::notice::{Notice, NoticeColumn, NoticeHeading, NoticeSection, Orientation};
use quanze_pdf::line_breaking::TITLE_WORDS;
use quanze_pdf::{layout_notice, FontSet, PdfOptions, TextKind};

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::discover(None).expect("a CJK font (fonts-noto-cjk) is installed"))
}

/// Department and street names of the sample district (`quanze lists`).
const SAMPLE_NAMES: &[&str] = &[
    "青川区市场监督管理局",
    "青川区城市管理和综合执法局",
    "青川区住房和城乡建设局",
    "青川区卫生健康委员会",
    "青川区自然资源和规划局",
    "青川区人力资源和社会保障局",
    "青川区新闻出版局（区委宣传部）",
    "青川区粮食和物资储备局",
    "青川区机关事务服务中心",
    "青川区房屋征收与补偿服务中心",
    "青川区政务服务和数据管理局",
    "青川区退役军人事务局",
];

/// Where the real published workbooks are; missing: a failure under CI, a note otherwise.
fn real_lists() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/real-lists");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing: the real-lists tests cannot run under CI without it",
        dir.display()
    );
    eprintln!(
        "note: {} not found; real-list titles skipped",
        dir.display()
    );
    None
}

/// The titles the tests lay out: the street notice's, the sample departments' and one per
/// real workbook (its file name is the list's name).
fn titles() -> Vec<String> {
    let mut titles = vec![
        "关于公布青川区青溪街道履行职责事项清单（基本履职事项、配合履职事项、上级部门收回事项）的公告"
            .to_owned(),
        "关于公布青川区青溪街道春华社区工作事项准入清单（依法履行职责事项、依法协助政府工作事项、负面清单、证明事项）的公告"
            .to_owned(),
    ];
    titles.extend(
        SAMPLE_NAMES
            .iter()
            .map(|name| format!("关于公布{name}权责清单的公告")),
    );
    if let Some(dir) = real_lists() {
        let mut stems: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|e| e == "xls" || e == "xlsx"))
            .filter_map(|path| path.file_stem()?.to_str().map(str::to_owned))
            .collect();
        stems.sort();
        assert!(!stems.is_empty(), "real-lists holds no workbook");
        titles.extend(stems.iter().map(|stem| format!("关于公布{stem}的公告")));
    }
    titles
}

fn notice(title: &str) -> Notice {
    Notice {
        heading: NoticeHeading {
            title: title.to_owned(),
            ..NoticeHeading::default()
        },
        sections: vec![NoticeSection {
            heading: None,
            columns: vec![NoticeColumn {
                header: "事项名称".to_owned(),
                field: "name".to_owned(),
            }],
            rows: vec![vec!["事项0001".to_owned()]],
        }],
        orientation: Orientation::Portrait,
    }
}

/// The title's lines as laid out: the title runs of page 1 grouped by baseline, with widths.
fn title_lines(title: &str) -> Vec<(String, f32)> {
    let document = layout_notice(&notice(title), &PdfOptions::new(fonts())).unwrap();
    let mut lines: Vec<(f32, String, f32, f32)> = Vec::new();
    for run in document.pages[0]
        .runs
        .iter()
        .filter(|run| run.kind == TextKind::Title)
    {
        match lines
            .iter_mut()
            .find(|line| (line.0 - run.baseline).abs() < 0.5)
        {
            Some(line) => {
                line.1.push_str(&run.text);
                line.2 = line.2.min(run.x);
                line.3 = line.3.max(run.x + run.width);
            }
            None => lines.push((run.baseline, run.text.clone(), run.x, run.x + run.width)),
        }
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    lines
        .into_iter()
        .map(|(_, text, left, right)| (text, right - left))
        .collect()
}

/// Character offsets strictly inside an occurrence of a title word or a sample name.
fn inside_words(title: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    let index = |byte: usize| chars.partition_point(|&(offset, _)| offset < byte);
    let mut inside = Vec::new();
    for word in TITLE_WORDS.iter().chain(["克拉玛依市"].iter()) {
        for (at, _) in title.match_indices(word) {
            inside.extend(index(at) + 1..index(at + word.len()));
        }
    }
    inside
}

#[test]
fn no_title_line_ends_inside_a_word() {
    let mut problems = Vec::new();
    for title in titles() {
        let lines = title_lines(&title);
        let joined: String = lines.iter().map(|(text, _)| text.as_str()).collect();
        assert_eq!(joined, title, "the title is printed whole");
        let inside = inside_words(&title);
        let mut at = 0usize;
        for (text, _) in &lines[..lines.len() - 1] {
            at += text.chars().count();
            if inside.contains(&at) {
                problems.push(format!("{title}: cut inside a word after {text:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn long_titles_take_several_balanced_lines_never_an_hourglass() {
    let mut several = 0;
    for title in titles() {
        let lines = title_lines(&title);
        if lines.len() < 2 {
            continue;
        }
        several += 1;
        let widths: Vec<f32> = lines.iter().map(|(_, width)| *width).collect();
        let longest = widths.iter().copied().fold(0.0f32, f32::max);
        let shortest = widths.iter().copied().fold(f32::MAX, f32::min);
        // Whole names weigh more than equal lengths (18 and 7 characters rather than a
        // department's name cut), but no line is a stub.
        assert!(
            shortest >= longest / 3.0,
            "{title}: a line under a third of the longest: {lines:?}"
        );
        for middle in 1..widths.len() - 1 {
            let em = 22.0 / 2.0;
            assert!(
                !(widths[middle] + em < widths[middle - 1]
                    && widths[middle] + em < widths[middle + 1]),
                "{title}: hourglass {lines:?}"
            );
        }
    }
    assert!(several >= 3, "the titles include long ones");
}
