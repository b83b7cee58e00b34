//! # quanze-pdf
//!
//! Public notices (公示) and community wall posters (上墙) as print-ready PDF: GB/T 9704-2012
//! page layout, tables with their header repeated on every page, Chinese line breaking (UAX #14
//! plus 避头尾), CJK font discovery with per-character fallback, and fonts embedded as subsets.
//! The rules are written down in `docs/pdf.md`.
//!
//! ## Use
//!
//! ```no_run
//! use quanze_domain::notice::Notice;
//! use quanze_pdf::{render_notice, FontSet, PdfOptions};
//!
//! # fn demo(notice: &Notice) -> Result<(), quanze_pdf::PdfError> {
//! // Once per process (it scans the installed fonts); `None` or the font file from settings.
//! let fonts = FontSet::discover(None)?;
//! let bytes: Vec<u8> = render_notice(notice, &PdfOptions::new(&fonts))?;
//! std::fs::write("notice.pdf", bytes).map_err(|e| quanze_pdf::PdfError::Serialize(e.to_string()))?;
//! # Ok(()) }
//! ```
//!
//! - [`render_notice`]: one [`Notice`] (portrait or landscape per `notice.orientation`) → PDF.
//! - [`render_posters`]: posters → one PDF holding them all, each starting on a new sheet with
//!   its own "第 N 页 共 M 页". For one PDF per community, call it once per poster.
//! - [`FontSet::discover`]: the installed faces, plus the font file set in settings (optional).
//!   Fails with [`PdfError::NoCjkFont`] (a Chinese message saying what to install) when the
//!   machine has no Chinese font. [`FontSet::primary_faces`] says which face each role uses.
//! - [`layout_notice`] / [`layout_posters`]: the same work without writing PDF, returning a
//!   [`LaidOutDocument`] of pages, glyph runs with their boxes, rules and table rows, which the
//!   tests inspect.
//!
//! Text from workbooks is untrusted: it is only ever drawn as glyphs (nothing in a cell is
//! interpreted), control characters become spaces, and a character no installed face has is an
//! error listing it ([`MissingGlyphPolicy::Refuse`], the default) or is printed as its code
//! point ([`MissingGlyphPolicy::ShowCodePoint`]) — never a box, never silently dropped.
//!
//! ## Map
//! `fonts.rs` discovery and chains; `typesetting.rs` cleaning, per-character face resolution
//! and measurement (cached); `line_breaking.rs` UAX #14 + 避头尾 and greedy lines;
//! `layout.rs` the laid-out model; `notice_layout.rs` GB/T 9704 pages and tables;
//! `column_widths.rs` table column widths from content;
//! `poster_layout.rs` posters; `reading_structure.rs` and `structure_tree.rs` the tagged PDF's
//! structure; `page_content.rs` page content streams; `repeated_cells.rs` cell texts that
//! repeat, drawn from one form each; `glyph_codes.rs` the subset's glyph codes;
//! `pdf_output.rs` the document (printpdf for fonts and pages) → bytes.

mod column_widths;
mod error;
mod font_encoding;
mod fonts;
mod glyph_codes;
mod layout;
pub mod line_breaking;
mod notice_layout;
mod page_content;
mod pdf_file;
mod pdf_output;
mod poster_layout;
mod reading_structure;
mod repeated_cells;
mod structure_tree;
mod typesetting;

pub use error::PdfError;
pub use fonts::{FontFace, FontRole, FontSet, RoleFace};
pub use layout::{
    Band, BoxPt, GlyphRun, Ink, LaidOutDocument, LaidOutPage, RowPlacement, Rule, TextKind,
    ASCENT_EM, DESCENT_EM, MM,
};
pub use notice_layout::{
    layout_notice, PdfOptions, BODY_PITCH, BODY_SIZE, DEFAULT_TABLE_TEXT_SIZE, PAGE_NUMBER_SIZE,
    TITLE_SIZE,
};
pub use poster_layout::{layout_posters, PosterOptions, PosterPaper, MIN_ENTRY_SIZE, NEARLY_EMPTY_FILL};
pub use typesetting::MissingGlyphPolicy;

use quanze_domain::notice::{CommunityPoster, Notice};

/// Renders a notice as PDF bytes (A4, portrait or landscape as the notice says).
pub fn render_notice(notice: &Notice, options: &PdfOptions<'_>) -> Result<Vec<u8>, PdfError> {
    let document = layout_notice(notice, options)?;
    pdf_output::write_pdf(&document)
}

/// Renders posters as one PDF (A3 by default), each poster starting on a new sheet.
pub fn render_posters(
    posters: &[CommunityPoster],
    options: &PosterOptions<'_>,
) -> Result<Vec<u8>, PdfError> {
    let document = layout_posters(posters, options)?;
    pdf_output::write_pdf(&document)
}

/// Writes an already laid-out document (from [`layout_notice`] or [`layout_posters`]).
pub fn write_pdf(document: &LaidOutDocument) -> Result<Vec<u8>, PdfError> {
    pdf_output::write_pdf(document)
}
