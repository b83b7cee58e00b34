//! The laid-out document: pages of positioned glyph runs, rules and table rows, before it
//! becomes PDF. Tests inspect this model ("no glyph outside the text area", "rows never
//! overlap") instead of parsing the PDF back; the PDF writer draws exactly what is here.
//!
//! All lengths are PDF points (1/72 inch). The origin is the top-left corner of the page and y
//! grows downwards, as a reader measures a page; the writer flips y for PDF.

use std::sync::Arc;

use crate::fonts::{FontFace, FontRole};
use crate::line_breaking::break_lines;
use crate::typesetting::Typesetter;

/// Millimetres to points.
pub const MM: f32 = 72.0 / 25.4;

/// Share of the em above the baseline. CJK faces draw ideographs in an em square whose
/// ideographic baseline sits 0.12 em above its bottom (Noto CJK: 880 / −120 units), so the em
/// square of a run is its ink box for every character that matters here.
pub const ASCENT_EM: f32 = 0.88;
pub const DESCENT_EM: f32 = 0.12;

/// A box on the page, in points from the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxPt {
    pub left: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
}

impl BoxPt {
    pub fn new(left: f32, top: f32, right: f32, bottom: f32) -> Self {
        Self {
            left,
            top,
            right,
            bottom,
        }
    }

    pub fn from_mm(left: f32, top: f32, width: f32, height: f32) -> Self {
        Self::new(
            left * MM,
            top * MM,
            (left + width) * MM,
            (top + height) * MM,
        )
    }

    pub fn width(&self) -> f32 {
        self.right - self.left
    }

    pub fn height(&self) -> f32 {
        self.bottom - self.top
    }

    /// Whether `inner` lies inside this box, allowing `tolerance` points for rounding.
    pub fn contains(&self, inner: &BoxPt, tolerance: f32) -> bool {
        inner.left >= self.left - tolerance
            && inner.right <= self.right + tolerance
            && inner.top >= self.top - tolerance
            && inner.bottom <= self.bottom + tolerance
    }

    /// Whether the two boxes share an area (touching edges do not count).
    pub fn overlaps(&self, other: &BoxPt, tolerance: f32) -> bool {
        self.left < other.right - tolerance
            && other.left < self.right - tolerance
            && self.top < other.bottom - tolerance
            && other.top < self.bottom - tolerance
    }
}

/// Ink colours. 公文 use red only for the 版头 (issuing organ and its rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ink {
    Black,
    /// The red of 发文机关标志 and posters' titles.
    Red,
    /// Light grey fill behind poster headings and table headers.
    Shade,
}

/// What a run of text is, so that tests can find "every table header" or "the page number".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    IssuingOrgan,
    DocNumber,
    Title,
    Paragraph,
    Signature,
    SectionHeading,
    TableHeader,
    TableCell,
    PageNumber,
    PosterStreet,
    PosterTitle,
    PosterContact,
    PosterSectionHeading,
    /// The number of a poster entry ("12.").
    PosterEntryNumber,
    /// The name of a poster entry.
    PosterEntry,
    /// The smaller lines under an entry's name (its handling unit and other columns).
    PosterEntryDetail,
    PosterFooter,
}

/// Text in one face, size and colour on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    pub text: String,
    /// The glyph id of each character of `text` in the run's face (no shaping: one glyph per
    /// character; runs never contain spaces).
    pub glyphs: Vec<u16>,
    pub kind: TextKind,
    pub role: FontRole,
    /// Index into [`LaidOutDocument::faces`].
    pub face: usize,
    pub size: f32,
    /// Left end of the run.
    pub x: f32,
    pub baseline: f32,
    /// Advance width of the run.
    pub width: f32,
    pub ink: Ink,
}

impl GlyphRun {
    /// The em boxes of the run's characters, together.
    pub fn bounds(&self) -> BoxPt {
        BoxPt::new(
            self.x,
            self.baseline - ASCENT_EM * self.size,
            self.x + self.width,
            self.baseline + DESCENT_EM * self.size,
        )
    }
}

/// A straight line (table borders, the red rule of the 版头).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub from: (f32, f32),
    pub to: (f32, f32),
    pub thickness: f32,
    pub ink: Ink,
}

/// A filled rectangle drawn behind text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub area: BoxPt,
    pub ink: Ink,
}

/// Where one table row (or one part of a row split across pages) was placed.
#[derive(Debug, Clone, PartialEq)]
pub struct RowPlacement {
    /// Index of the section (table) in the notice.
    pub section: usize,
    /// Index of the data row in its section; `None` for a header row.
    pub row: Option<usize>,
    /// The lines of the row's cells shown in this part: `first_line .. first_line + lines`.
    pub first_line: usize,
    pub lines: usize,
    /// Lines of the tallest cell of the whole row.
    pub total_lines: usize,
    pub bounds: BoxPt,
    /// Left edge of each cell, then the right edge of the last one.
    pub edges: Vec<f32>,
}

/// One page.
#[derive(Debug, Clone, PartialEq)]
pub struct LaidOutPage {
    pub width: f32,
    pub height: f32,
    /// The 版心: everything but the page number stays inside it.
    pub text_area: BoxPt,
    /// The number printed on the page (posters count their own sheets).
    pub number: usize,
    pub runs: Vec<GlyphRun>,
    pub rules: Vec<Rule>,
    pub bands: Vec<Band>,
    pub rows: Vec<RowPlacement>,
}

impl LaidOutPage {
    pub(crate) fn new(width: f32, height: f32, text_area: BoxPt, number: usize) -> Self {
        Self {
            width,
            height,
            text_area,
            number,
            runs: Vec::new(),
            rules: Vec::new(),
            bands: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// The text of the page's runs of one kind, in drawing order.
    pub fn texts_of(&self, kind: TextKind) -> Vec<&str> {
        self.runs
            .iter()
            .filter(|run| run.kind == kind)
            .map(|run| run.text.as_str())
            .collect()
    }
}

/// A whole document, ready to be written as PDF.
#[derive(Debug, Clone)]
pub struct LaidOutDocument {
    /// The PDF's title (document information).
    pub title: String,
    pub pages: Vec<LaidOutPage>,
    pub(crate) faces: Vec<Arc<FontFace>>,
}

impl LaidOutDocument {
    /// Family name of a face a run refers to.
    pub fn face_family(&self, face: usize) -> Option<&str> {
        self.faces.get(face).map(|face| face.family())
    }

    /// Family names of every face the document uses.
    pub fn families(&self) -> Vec<&str> {
        self.faces.iter().map(|face| face.family()).collect()
    }
}

/// Draws lines of text, resolving faces, into a page. Shared by notices and posters.
pub(crate) struct LineStyle {
    pub role: FontRole,
    pub size: f32,
    pub kind: TextKind,
    pub ink: Ink,
}

impl LineStyle {
    pub(crate) fn new(role: FontRole, size: f32, kind: TextKind) -> Self {
        Self {
            role,
            size,
            kind,
            ink: Ink::Black,
        }
    }

    pub(crate) fn ink(mut self, ink: Ink) -> Self {
        self.ink = ink;
        self
    }
}

/// Horizontal placement of a line inside its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
}

/// One wrapped line: its text and width in points.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SetLine {
    pub text: String,
    pub width: f32,
}

/// Wraps cleaned text into lines of at most `first_width` / `width` points.
pub(crate) fn wrap(
    typesetter: &mut Typesetter<'_>,
    role: FontRole,
    size: f32,
    text: &str,
    first_width: f32,
    width: f32,
) -> Vec<SetLine> {
    break_lines(text, first_width, width, |c| {
        typesetter.advance_em(role, c) * size
    })
    .into_iter()
    .map(|slice| SetLine {
        text: text[slice.start..slice.end].to_owned(),
        width: slice.width,
    })
    .collect()
}

/// Draws one line with its left end at `x`, as runs of one face each.
pub(crate) fn place_line(
    page: &mut LaidOutPage,
    typesetter: &mut Typesetter<'_>,
    style: &LineStyle,
    text: &str,
    x: f32,
    baseline: f32,
) {
    for run in typesetter.face_runs(style.role, text) {
        page.runs.push(GlyphRun {
            text: run.text,
            glyphs: run.glyphs,
            kind: style.kind,
            role: style.role,
            face: run.face,
            size: style.size,
            x: x + run.x_em * style.size,
            baseline,
            width: run.width_em * style.size,
            ink: style.ink,
        });
    }
}

/// The baseline that centres a line's em box in a line box of height `pitch` starting at `top`.
pub(crate) fn baseline_in(top: f32, pitch: f32, size: f32) -> f32 {
    top + (pitch - size) / 2.0 + ASCENT_EM * size
}

/// The left end of a line of `width` aligned in `left..right`.
pub(crate) fn aligned_x(align: Align, left: f32, right: f32, width: f32) -> f32 {
    match align {
        Align::Left => left,
        Align::Center => left + ((right - left) - width).max(0.0) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_contain_and_overlap() {
        let area = BoxPt::new(0.0, 0.0, 100.0, 100.0);
        assert!(area.contains(&BoxPt::new(10.0, 10.0, 100.0, 100.0), 0.0));
        assert!(!area.contains(&BoxPt::new(10.0, 10.0, 100.5, 50.0), 0.1));
        let above = BoxPt::new(0.0, 0.0, 10.0, 10.0);
        let below = BoxPt::new(0.0, 10.0, 10.0, 20.0);
        assert!(
            !above.overlaps(&below, 0.01),
            "touching rows do not overlap"
        );
        assert!(above.overlaps(&BoxPt::new(5.0, 5.0, 15.0, 15.0), 0.01));
    }

    #[test]
    fn gbt_9704_text_area_is_156_by_225_mm() {
        let area = BoxPt::from_mm(28.0, 37.0, 156.0, 225.0);
        assert!((area.width() - 442.205).abs() < 0.01);
        assert!((area.height() - 637.795).abs() < 0.01);
    }
}
