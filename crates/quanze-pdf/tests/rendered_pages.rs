//! Renders one page of each kind (portrait notice, landscape notice, poster) to PNG with
//! `pdftoppm -r 60` into `tests/artifacts/`, for a person to look at. The test itself checks
//! that each PNG exists and has the page's proportions; the looking is done by people (the
//! notes of what they saw are in docs/pdf.md).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod poppler;

use std::path::PathBuf;

use quanze_pdf::{render_notice, render_posters, FontSet, PdfOptions, PosterOptions};

fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Width and height of a PNG from its IHDR chunk.
fn png_size(path: &std::path::Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[1..4], b"PNG", "{} is not a PNG", path.display());
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (width, height)
}

fn assert_proportions(path: &std::path::Path, width_mm: f32, height_mm: f32) {
    let (width, height) = png_size(path);
    let expected = width_mm / height_mm;
    let got = width as f32 / height as f32;
    assert!(
        (got - expected).abs() < 0.01,
        "{}: {width}x{height}",
        path.display()
    );
}

#[test]
fn one_page_of_each_kind_is_rendered_to_png() {
    if !poppler::available("pdftoppm") {
        return;
    }
    let fonts = FontSet::discover(None).unwrap();
    let dir = artifacts();

    let portrait = fixtures::three_part_notice(12, 7);
    let bytes = render_notice(&portrait, &PdfOptions::new(&fonts)).unwrap();
    let pdf = poppler::write(&dir, "notice-portrait.pdf", &bytes);
    let png = poppler::pdftoppm_page(&pdf, 1, 60, &dir.join("notice-portrait-p1"));
    assert_proportions(&png, 210.0, 297.0);
    let png = poppler::pdftoppm_page(&pdf, 2, 60, &dir.join("notice-portrait-p2"));
    assert_proportions(&png, 210.0, 297.0);

    let landscape = fixtures::fourteen_column_notice(40, 11, true);
    let bytes = render_notice(&landscape, &PdfOptions::new(&fonts)).unwrap();
    let pdf = poppler::write(&dir, "notice-landscape.pdf", &bytes);
    let png = poppler::pdftoppm_page(&pdf, 2, 60, &dir.join("notice-landscape-p2"));
    assert_proportions(&png, 297.0, 210.0);

    let poster = fixtures::poster("春华社区", 14, 3);
    let bytes = render_posters(&[poster], &PosterOptions::new(&fonts)).unwrap();
    let pdf = poppler::write(&dir, "poster.pdf", &bytes);
    let png = poppler::pdftoppm_page(&pdf, 1, 60, &dir.join("poster-p1"));
    assert_proportions(&png, 297.0, 420.0);
}
