//! Running poppler-utils (`pdftotext`, `pdffonts`, `pdfinfo`, `pdftoppm`): tools nobody here
//! wrote check the PDFs. Without them a test skips with a printed reason, unless `CI` is set:
//! then a missing tool is a failure, so CI can never pass by skipping.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether `tool` can run; prints why not, and panics under CI.
pub fn available(tool: &str) -> bool {
    let ok = Command::new(tool)
        .arg("-v")
        .output()
        .map(|output| output.status.success() || !output.stderr.is_empty())
        .unwrap_or(false);
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("{tool} (poppler-utils) is required under CI but cannot be run");
        }
        eprintln!("skipping: {tool} (poppler-utils) is not installed");
    }
    ok
}

/// A scratch directory for one test, under the target directory's tmp (kept for inspection).
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("quanze-pdf")
        .join(name);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

pub fn write(dir: &Path, file: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(file);
    std::fs::write(&path, bytes).expect("write pdf");
    path
}

fn run(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool)
        .args(args)
        .output()
        .expect("run poppler tool");
    assert!(
        output.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("poppler output is UTF-8")
}

/// Text of the whole document, or of pages `first..=last`.
pub fn pdftotext(pdf: &Path, pages: Option<(usize, usize)>) -> String {
    let path = pdf.to_str().expect("utf-8 path");
    match pages {
        Some((first, last)) => {
            let (first, last) = (first.to_string(), last.to_string());
            run(
                "pdftotext",
                &["-f", &first, "-l", &last, "-enc", "UTF-8", path, "-"],
            )
        }
        None => run("pdftotext", &["-enc", "UTF-8", path, "-"]),
    }
}

/// Text inside a box of one page (points from the top-left corner, as the layout model has
/// them): `pdftotext -x -y -W -H` at 72 dpi, where a pixel is a point.
pub fn pdftotext_box(
    pdf: &Path,
    page: usize,
    left: f32,
    top: f32,
    right: f32,
    bottom: f32,
) -> String {
    let page = page.to_string();
    let x = (left.floor() as i64).to_string();
    let y = (top.floor() as i64).to_string();
    let w = ((right - left).ceil() as i64).to_string();
    let h = ((bottom - top).ceil() as i64).to_string();
    run(
        "pdftotext",
        &[
            "-f",
            &page,
            "-l",
            &page,
            "-r",
            "72",
            "-x",
            &x,
            "-y",
            &y,
            "-W",
            &w,
            "-H",
            &h,
            "-enc",
            "UTF-8",
            pdf.to_str().expect("utf-8 path"),
            "-",
        ],
    )
}

/// `pdfinfo` as key → value.
pub fn pdfinfo(pdf: &Path) -> Vec<(String, String)> {
    run("pdfinfo", &[pdf.to_str().expect("utf-8 path")])
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(':')?;
            Some((key.trim().to_owned(), value.trim().to_owned()))
        })
        .collect()
}

pub fn info_value(info: &[(String, String)], key: &str) -> String {
    info.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// `Page size` of `pdfinfo` as (width, height, paper name), points rounded to 0.01
/// (poppler prints "595.276 x 841.89 pts (A4)").
pub fn page_size(info: &[(String, String)]) -> (f64, f64, String) {
    let value = info_value(info, "Page size");
    let mut words = value.split_whitespace();
    let number = |word: Option<&str>| -> f64 {
        let parsed: f64 = word.and_then(|w| w.parse().ok()).unwrap_or(f64::NAN);
        (parsed * 100.0).round() / 100.0
    };
    let width = number(words.next());
    words.next(); // "x"
    let height = number(words.next());
    let paper = value
        .split_once('(')
        .map(|(_, rest)| rest.trim_end_matches(')').to_owned())
        .unwrap_or_default();
    (width, height, paper)
}

/// One row of `pdffonts`.
#[derive(Debug)]
pub struct FontRow {
    pub name: String,
    pub kind: String,
    pub embedded: bool,
    pub subset: bool,
    pub unicode: bool,
}

pub fn pdffonts(pdf: &Path) -> Vec<FontRow> {
    let out = run("pdffonts", &[pdf.to_str().expect("utf-8 path")]);
    let mut lines = out.lines();
    let header = lines.next().unwrap_or_default();
    let rule = lines.next().unwrap_or_default();
    // Columns are fixed-width, given by the dashes of the second line.
    let mut spans = Vec::new();
    let mut start = None;
    for (index, c) in rule.char_indices() {
        match (c, start) {
            ('-', None) => start = Some(index),
            (' ', Some(s)) => {
                spans.push((s, index));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, rule.len()));
    }
    let names: Vec<String> = spans
        .iter()
        .map(|&(s, e)| {
            header
                .get(s..e.min(header.len()))
                .unwrap_or("")
                .trim()
                .to_owned()
        })
        .collect();
    let column = |line: &str, wanted: &str| -> String {
        names
            .iter()
            .position(|name| name == wanted)
            .and_then(|index| {
                let (s, e) = spans[index];
                let end = if index + 1 == spans.len() {
                    line.len()
                } else {
                    e.min(line.len())
                };
                line.get(s..end)
            })
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    lines
        .map(|line| FontRow {
            name: column(line, "name"),
            kind: column(line, "type"),
            embedded: column(line, "emb") == "yes",
            subset: column(line, "sub") == "yes",
            unicode: column(line, "uni") == "yes",
        })
        .collect()
}

/// Renders page `page` to `out_prefix-N.png` at `dpi` and returns the PNG's path.
pub fn pdftoppm_page(pdf: &Path, page: usize, dpi: u32, out_prefix: &Path) -> PathBuf {
    let page_text = page.to_string();
    let dpi_text = dpi.to_string();
    run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            &dpi_text,
            "-f",
            &page_text,
            "-l",
            &page_text,
            "-singlefile",
            pdf.to_str().expect("utf-8 path"),
            out_prefix.to_str().expect("utf-8 path"),
        ],
    );
    out_prefix.with_extension("png")
}
