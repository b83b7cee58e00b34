//! A page's content stream, written as bytes from the laid-out page.
//!
//! printpdf 0.12 turns every glyph of a `ShowText` into its own string object and serializes
//! the pages one after another; for a 4,000-page notice that was most of the time and a third
//! of the memory traffic. Here each page is written directly (and the pages in parallel, by the
//! caller), in the shortest form the drawing allows:
//! - a run is one hex string shown with `Tj` (no `TJ` array: runs are never kerned);
//! - moves are relative (`Td`) from the previous run, and the next line of a cell is `T*` with
//!   the table's line pitch as the leading (`TL`);
//! - black and grey are DeviceGray (`g`/`G`), red DeviceRGB; numbers to 0.01 pt;
//! - rules that continue one another are one line, rules of one look share their settings.
//!
//! Glyph codes come from [`FaceCodes`]: the code printpdf's font subset gives each glyph id
//! (`glyph_codes`).

use crate::font_encoding::GlyphCode;
use crate::layout::{GlyphRun, Ink, LaidOutPage, Rule, TextKind};
use crate::reading_structure::{DocumentStructure, PageMarks};

/// How the text of one face is written: its resource name and each glyph id's code.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct FaceCodes {
    /// The font's name in the page resources (`/F0`), without the slash.
    pub resource_name: String,
    /// The code of each glyph id (`codes[gid]`); `None` for glyphs not in the subset.
    pub codes: Vec<Option<GlyphCode>>,
}

/// Appends `value` rounded to 0.01, without trailing zeros (`12`, `12.5`, `-0.25`).
pub(crate) fn push_number(out: &mut Vec<u8>, value: f32) {
    let hundredths = (f64::from(value) * 100.0).round() as i64;
    if hundredths < 0 {
        out.push(b'-');
    }
    let magnitude = hundredths.unsigned_abs();
    let whole = magnitude / 100;
    let fraction = magnitude % 100;
    out.extend_from_slice(whole.to_string().as_bytes());
    if fraction != 0 {
        out.push(b'.');
        out.push(b'0' + (fraction / 10) as u8);
        if fraction % 10 != 0 {
            out.push(b'0' + (fraction % 10) as u8);
        }
    }
}

fn push_numbers(out: &mut Vec<u8>, values: &[f32]) {
    for &value in values {
        push_number(out, value);
        out.push(b' ');
    }
}

/// The colour operator for `ink`: fill (`g`/`rg`) or stroke (`G`/`RG`).
fn push_colour(out: &mut Vec<u8>, ink: Ink, stroke: bool) {
    match ink {
        Ink::Black => out.extend_from_slice(if stroke { b"0 G\n" } else { b"0 g\n" }),
        Ink::Shade => out.extend_from_slice(if stroke { b".91 G\n" } else { b".91 g\n" }),
        // 公文 red, close to the Pantone 485 the 版头 is printed in.
        Ink::Red => out.extend_from_slice(if stroke { b".85 .08 .06 RG\n" } else { b".85 .08 .06 rg\n" }),
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Rules that continue one another (the column edges of consecutive table rows) become one
/// line each: a column edge is drawn once per page part instead of once per row.
pub(crate) fn merged_rules(rules: &[Rule]) -> Vec<Rule> {
    let mut vertical: Vec<Rule> = Vec::new();
    let mut others: Vec<Rule> = Vec::new();
    for rule in rules {
        let (top, bottom) = if rule.from.1 <= rule.to.1 {
            (rule.from, rule.to)
        } else {
            (rule.to, rule.from)
        };
        if (rule.from.0 - rule.to.0).abs() < 0.001 {
            vertical.push(Rule {
                from: top,
                to: bottom,
                ..*rule
            });
        } else {
            others.push(*rule);
        }
    }
    vertical.sort_by(|a, b| {
        a.from
            .0
            .total_cmp(&b.from.0)
            .then(a.from.1.total_cmp(&b.from.1))
    });
    let mut merged: Vec<Rule> = Vec::with_capacity(vertical.len());
    for rule in vertical {
        match merged.last_mut() {
            Some(last)
                if (last.from.0 - rule.from.0).abs() < 0.001
                    && last.thickness == rule.thickness
                    && last.ink == rule.ink
                    && rule.from.1 <= last.to.1 + 0.01 =>
            {
                if rule.to.1 > last.to.1 {
                    last.to = rule.to;
                }
            }
            _ => merged.push(rule),
        }
    }
    others.extend(merged);
    others
}

fn ink_order(ink: Ink) -> u8 {
    match ink {
        Ink::Black => 0,
        Ink::Red => 1,
        Ink::Shade => 2,
    }
}

/// Bands and rules: layout, not content — one artifact that readers skip.
fn push_graphics(out: &mut Vec<u8>, page: &LaidOutPage) {
    if page.bands.is_empty() && page.rules.is_empty() {
        return;
    }
    let height = page.height;
    out.extend_from_slice(b"/Artifact BMC\n");
    let mut current_fill: Option<Ink> = None;
    for band in &page.bands {
        if current_fill != Some(band.ink) {
            push_colour(out, band.ink, false);
            current_fill = Some(band.ink);
        }
        let area = band.area;
        push_numbers(out, &[area.left, height - area.bottom, area.width(), area.height()]);
        out.extend_from_slice(b"re f\n");
    }
    // Grouped by look, so thickness and colour are set once per group.
    let mut rules = merged_rules(&page.rules);
    rules.sort_by(|a, b| {
        a.thickness
            .total_cmp(&b.thickness)
            .then(ink_order(a.ink).cmp(&ink_order(b.ink)))
    });
    let mut look: Option<(f32, Ink)> = None;
    for rule in &rules {
        if look.is_none_or(|(thickness, _)| thickness != rule.thickness) {
            push_number(out, rule.thickness);
            out.extend_from_slice(b" w\n");
        }
        if look.is_none_or(|(_, ink)| ink != rule.ink) {
            push_colour(out, rule.ink, true);
        }
        look = Some((rule.thickness, rule.ink));
        push_numbers(out, &[rule.from.0, height - rule.from.1]);
        out.extend_from_slice(b"m ");
        push_numbers(out, &[rule.to.0, height - rule.to.1]);
        out.extend_from_slice(b"l S\n");
    }
    out.extend_from_slice(b"EMC\n");
}

/// Where text is drawn from, and the text state set so far, inside one text object.
struct TextWriter<'a> {
    faces: &'a [FaceCodes],
    font: Option<(usize, u32)>,
    ink: Option<Ink>,
    /// Where the current line started, in hundredths of a point (BT starts at the origin).
    origin: (i64, i64),
    leading: Option<i64>,
}

/// How far (in hundredths of a point) a line may be from one leading below the last for `T*`
/// to draw it: line pitches rounded to 0.01 pt alternate between two values; the written
/// position follows what was drawn, so the difference never adds up.
const LEADING_TOLERANCE: i64 = 2;

impl<'a> TextWriter<'a> {
    fn new(faces: &'a [FaceCodes]) -> Self {
        Self {
            faces,
            font: None,
            ink: None,
            origin: (0, 0),
            leading: None,
        }
    }

    /// Writes `run` at its place, `y` (its baseline from the bottom, in points) already
    /// turned into the coordinates of the text object.
    fn run(&mut self, out: &mut Vec<u8>, run: &GlyphRun, y: f32) {
        let Some(face) = self.faces.get(run.face) else {
            return;
        };
        if self.ink != Some(run.ink) {
            push_colour(out, run.ink, false);
            self.ink = Some(run.ink);
        }
        let key = (run.face, run.size.to_bits());
        if self.font != Some(key) {
            out.push(b'/');
            out.extend_from_slice(face.resource_name.as_bytes());
            out.push(b' ');
            push_number(out, run.size);
            out.extend_from_slice(b" Tf\n");
            self.font = Some(key);
        }
        // Positions in hundredths of a point, so that moves add up exactly.
        let x = (f64::from(run.x) * 100.0).round() as i64;
        let y = (f64::from(y) * 100.0).round() as i64;
        let (dx, dy) = (x - self.origin.0, y - self.origin.1);
        if dx == 0 && dy < 0 && self.leading.is_none() {
            push_number(out, -dy as f32 / 100.0);
            out.extend_from_slice(b" TL\n");
            self.leading = Some(-dy);
        }
        match self.leading {
            Some(leading) if dx == 0 && (dy + leading).abs() <= LEADING_TOLERANCE => {
                out.extend_from_slice(b"T*");
                self.origin.1 -= leading;
            }
            _ => {
                push_number(out, dx as f32 / 100.0);
                out.push(b' ');
                push_number(out, dy as f32 / 100.0);
                out.extend_from_slice(b" Td");
                self.origin = (x, y);
            }
        }
        out.extend_from_slice(b" <");
        for &gid in &run.glyphs {
            if let Some(Some(code)) = face.codes.get(usize::from(gid)) {
                let shifts: &[u16] = if code.bytes == 1 { &[4, 0] } else { &[12, 8, 4, 0] };
                for &shift in shifts {
                    out.push(HEX[usize::from((code.value >> shift) & 0xF)]);
                }
            }
        }
        out.extend_from_slice(b"> Tj\n");
    }
}

/// The table header repeated at the top of a page: an artifact span of header text only.
fn repeated_header(page: &LaidOutPage, marks: &PageMarks) -> Option<usize> {
    marks.spans.iter().position(|span| {
        span.element.is_none()
            && !span.runs.is_empty()
            && span.runs.iter().all(|&index| {
                page.runs
                    .get(index)
                    .is_some_and(|run| run.kind == TextKind::TableHeader)
            })
    })
}

/// The content of a page's repeated table header as a form XObject of its own, with its
/// baseline (from the bottom of the page) to place it at: the same header on thousands of
/// pages is then drawn from one object (`q 1 0 0 1 0 y cm /H0 Do Q`) instead of written out on
/// each, which was a fifth of a long notice's size. `None` when the page has no repeated header.
pub(crate) fn header_form(
    page: &LaidOutPage,
    marks: &PageMarks,
    faces: &[FaceCodes],
) -> Option<(Vec<u8>, f32)> {
    let span = &marks.spans[repeated_header(page, marks)?];
    let first = page.runs.get(*span.runs.first()?)?;
    let base = ((page.height - first.baseline) * 100.0).round() / 100.0;
    let mut out = b"BT\n".to_vec();
    let mut writer = TextWriter::new(faces);
    for &index in &span.runs {
        if let Some(run) = page.runs.get(index) {
            writer.run(&mut out, run, page.height - run.baseline - base);
        }
    }
    out.extend_from_slice(b"ET\n");
    Some((out, base))
}

/// The content stream of `page`: its graphics, its repeated table header (drawn from the form
/// XObject `header`: its name and where it goes, from [`header_form`]), then its text in
/// reading order, each span one marked-content sequence (`reading_structure`). Glyphs without a
/// code (which `glyph_codes` never leaves for a glyph the document uses) are left out rather
/// than drawn as another glyph.
pub(crate) fn page_content(
    page: &LaidOutPage,
    marks: &PageMarks,
    structure: &DocumentStructure,
    faces: &[FaceCodes],
    header: Option<(&str, f32)>,
) -> Vec<u8> {
    let glyphs: usize = page.runs.iter().map(|run| run.glyphs.len()).sum();
    let mut out = Vec::with_capacity(glyphs * 4 + page.runs.len() * 16 + page.rules.len() * 24 + 256);
    push_graphics(&mut out, page);
    let header_span = header.and_then(|_| repeated_header(page, marks));
    if let Some((name, base)) = header.filter(|_| header_span.is_some()) {
        out.extend_from_slice(b"/Artifact <</Type /Pagination>> BDC\nq 1 0 0 1 0 ");
        push_number(&mut out, base);
        out.extend_from_slice(b" cm /");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b" Do Q\nEMC\n");
    }
    if page.runs.is_empty() {
        return out;
    }
    let height = page.height;
    out.extend_from_slice(b"BT\n");
    let mut writer = TextWriter::new(faces);
    for (index, span) in marks.spans.iter().enumerate() {
        if Some(index) == header_span {
            continue;
        }
        match span.element {
            Some((element, mcid)) => {
                out.push(b'/');
                out.extend_from_slice(structure.elements[element].role.pdf_name().as_bytes());
                out.extend_from_slice(b" <</MCID ");
                out.extend_from_slice(mcid.to_string().as_bytes());
                out.extend_from_slice(b">> BDC\n");
            }
            None => out.extend_from_slice(b"/Artifact <</Type /Pagination>> BDC\n"),
        }
        for &index in &span.runs {
            if let Some(run) = page.runs.get(index) {
                writer.run(&mut out, run, height - run.baseline);
            }
        }
        out.extend_from_slice(b"EMC\n");
    }
    out.extend_from_slice(b"ET\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(value: f32) -> String {
        let mut out = Vec::new();
        push_number(&mut out, value);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn numbers_are_short_and_exact_to_a_hundredth() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(-0.25), "-0.25");
        assert_eq!(number(0.004), "0");
        assert_eq!(number(-0.004), "0");
        assert_eq!(number(841.89), "841.89");
        assert_eq!(number(0.06), "0.06");
        assert_eq!(number(-3.1), "-3.1");
    }
}
