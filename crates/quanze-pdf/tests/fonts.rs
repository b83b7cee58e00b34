//! Font discovery by family, the settings font file, and the error when no Chinese face exists.
//! Needs the fonts CI installs (fonts-noto-cjk, and DejaVu which every Debian has).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use quanze_pdf::{FontRole, FontSet, PdfError};

const NOTO_SANS: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const DEJAVU: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

fn present(path: &str) -> bool {
    let ok = Path::new(path).exists();
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("{path} is required under CI");
        }
        eprintln!("skipping: {path} is not installed");
    }
    ok
}

#[test]
fn discovery_finds_a_chinese_face_for_every_role() {
    let fonts = FontSet::discover(None).unwrap();
    let primary = fonts.primary_faces();
    assert_eq!(primary.len(), 4, "{primary:?}");
    for face in &primary {
        assert!(!face.family.is_empty());
        // Droid Sans Fallback lacks digits; it must never be a role's first face.
        assert!(!face.family.contains("Droid"), "{face:?}");
    }
    let body = fonts.chain(FontRole::Body).next().unwrap();
    let parsed = body.parsed().unwrap();
    for c in "中华人民共和国0123456789".chars() {
        assert!(
            parsed.lookup_glyph_index(c as u32).is_some(),
            "{} lacks {c}",
            body.family()
        );
    }
}

#[test]
fn noto_collections_are_picked_by_family_not_index() {
    if !present(NOTO_SANS) {
        return;
    }
    let fonts = FontSet::discover(None).unwrap();
    for face in fonts
        .chain(FontRole::Heading)
        .chain(fonts.chain(FontRole::Body))
    {
        if face.family().starts_with("Noto") && face.family().contains("CJK") {
            // The SC faces come first in the chains, whatever their index in the .ttc.
            assert!(
                face.family().ends_with("SC"),
                "{} before the SC faces",
                face.family()
            );
            break;
        }
    }
}

#[test]
fn a_settings_font_file_comes_first_for_body_text() {
    if !present(NOTO_SANS) {
        return;
    }
    let fonts = FontSet::discover(Some(Path::new(NOTO_SANS))).unwrap();
    let body = fonts.chain(FontRole::Body).next().unwrap();
    assert_eq!(
        body.family(),
        "Noto Sans CJK SC",
        "the SC face of the collection, by family"
    );
    assert_eq!(body.path(), Path::new(NOTO_SANS));
}

#[test]
fn a_settings_font_file_that_is_not_a_font_or_not_chinese_is_refused() {
    let error = FontSet::discover(Some(Path::new("/nonexistent/仿宋.ttf"))).unwrap_err();
    assert!(
        matches!(error, PdfError::FontFileUnreadable { .. }),
        "{error:?}"
    );
    let not_font = std::env::temp_dir().join("quanze-pdf-not-a-font.ttf");
    std::fs::write(&not_font, b"this is not a font").unwrap();
    let error = FontSet::discover(Some(&not_font)).unwrap_err();
    assert!(
        matches!(error, PdfError::FontFileUnreadable { .. }),
        "{error:?}"
    );
    if present(DEJAVU) {
        let error = FontSet::discover(Some(Path::new(DEJAVU))).unwrap_err();
        assert!(
            matches!(error, PdfError::FontFileNotCjk { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains("中文"));
    }
}

#[test]
fn without_any_chinese_face_the_error_says_what_to_install() {
    if !present(DEJAVU) {
        return;
    }
    let error = FontSet::from_files(&[Path::new(DEJAVU)]).unwrap_err();
    assert!(matches!(error, PdfError::NoCjkFont), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("fonts-noto-cjk"), "{message}");
    assert!(message.contains("仿宋"), "{message}");
    assert!(message.contains("设置"), "{message}");
}

#[test]
fn a_font_folder_of_its_own_works() {
    if !present(NOTO_SANS) {
        return;
    }
    let fonts = FontSet::from_files(&[Path::new(NOTO_SANS)]).unwrap();
    let title = fonts.chain(FontRole::Title).next().unwrap();
    assert!(
        title.family().starts_with("Noto Sans CJK"),
        "{}",
        title.family()
    );
}
