//! The notice workbook printed by a spreadsheet nobody here wrote: LibreOffice converts it to
//! PDF, pdftotext reads the pages back. Every page must carry the table header (repeat rows)
//! and the "第 N 页 共 M 页" footer, and the formula-like texts must print as written.
//!
//! Needs `soffice` (Debian: libreoffice-calc-nogui) and `pdftotext` (poppler-utils); without
//! them the test says so and does nothing. The PDF and a PNG of its first page are left in
//! tests/artifacts/ (not committed) for a person to look at.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use quanze_domain::Item;
use quanze_export::{write_notice_xlsx, RawSection};

use common::*;

/// Whether `program` is on the PATH (poppler's tools have no `--version` that exits 0).
fn installed(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

fn convert_to_pdf(xlsx: &Path, out_dir: &Path) -> PathBuf {
    let profile = out_dir.join("lo-profile");
    let output = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out_dir)
        .arg(xlsx)
        .output()
        .expect("run soffice");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pdf = xlsx.with_extension("pdf");
    let pdf = out_dir.join(pdf.file_name().expect("name"));
    assert!(
        pdf.exists(),
        "soffice made no PDF: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    pdf
}

#[test]
fn every_printed_page_has_the_header_and_the_page_footer() {
    if !installed("soffice") || !installed("pdftotext") {
        eprintln!("soffice or pdftotext not installed: print check skipped");
        // CI installs these tools (cargo xtask test): there a missing one is a failure.
        assert!(std::env::var_os("CI").is_none(), "required under CI");
        return;
    }
    // 150 rows: several landscape pages.
    let items: Vec<Item> = (0..30).flat_map(|_| power_items()).collect();
    let mut notice = power_notice();
    notice.sections = vec![section(Some("一、行政权力事项"), &POWER_COLUMNS, &items)];
    let bytes = write_notice_xlsx(
        &notice,
        &[RawSection {
            name: "行政权力事项",
            items: &items,
        }],
    )
    .expect("write");

    let artifacts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts");
    std::fs::create_dir_all(&artifacts).expect("artifacts");
    let work = tempfile::tempdir().expect("tempdir");
    let xlsx = work.path().join("notice.xlsx");
    std::fs::write(&xlsx, &bytes).expect("write xlsx");
    let pdf = convert_to_pdf(&xlsx, work.path());
    std::fs::copy(&pdf, artifacts.join("notice-libreoffice.pdf")).expect("keep pdf");

    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let total = pages.len();
    for (n, page) in pages.iter().enumerate() {
        assert!(
            page.contains("事项名称"),
            "page {} has no table header:\n{page}",
            n + 1
        );
        let squashed: String = page.split_whitespace().collect();
        // LibreOffice numbers the pages of the whole document (公示 and 原始数据 sheets).
        assert!(
            squashed.contains(&format!("第{}页共{total}页", n + 1)),
            "page {} has no footer:\n{page}",
            n + 1
        );
    }
    let first: String = pages[0].split_whitespace().collect();
    assert!(first.contains("关于公布青川区自然资源局权责清单的公告"));
    assert!(
        first.contains("=SUM(A1:A9)"),
        "formula-like text printed as written"
    );

    if installed("pdftoppm") {
        let status = Command::new("pdftoppm")
            .args(["-png", "-r", "60", "-f", "1", "-l", "1"])
            .arg(&pdf)
            .arg(artifacts.join("notice-libreoffice-page"))
            .status()
            .expect("pdftoppm");
        assert!(status.success());
    }
}
