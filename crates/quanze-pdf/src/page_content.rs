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

/// Positions are written in tenths of a point (0.035 mm): shorter numbers, which also compress
/// better, and no visible difference.
const UNITS_PER_POINT: f64 = 10.0;

/// `value` in tenths of a point.
fn units(value: f32) -> i64 {
    (f64::from(value) * UNITS_PER_POINT).round() as i64
}

/// Appends `units` tenths of a point as a number (`12`, `12.5`, `-0.2`).
fn push_units(out: &mut Vec<u8>, units: i64) {
    if units < 0 {
        out.push(b'-');
    }
    let magnitude = units.unsigned_abs();
    out.extend_from_slice((magnitude / 10).to_string().as_bytes());
    if !magnitude.is_multiple_of(10) {
        out.push(b'.');
        out.push(b'0' + (magnitude % 10) as u8);
    }
}

/// Appends `value` rounded to 0.1, without trailing zeros (`12`, `12.5`, `-0.2`).
pub(crate) fn push_number(out: &mut Vec<u8>, value: f32) {
    push_units(out, units(value));
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

/// The column rules of a table part: vertical rules of one look that share their top and
/// bottom. Drawn from a form XObject holding them at full page height, clipped to the part
/// (`q x y w h re W n /V0 Do Q`), instead of written out on every page: the columns of a long
/// table are the same on thousands of pages. (Clipped, not scaled: a stroke under a stretched
/// matrix is drawn wider by some renderers.)
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct RuleComb {
    /// The rules' x, in tenths of a point, left to right.
    xs: Vec<i64>,
    thickness: u32,
    ink: u8,
    /// The page height, in tenths of a point.
    height: i64,
}

/// The rules of a page: those written out, and the combs drawn from forms (their index in the
/// document's combs and the clip rectangle `[x, y, width, height]` in tenths of a point).
#[derive(Debug, Clone, Default)]
pub(crate) struct PageRules {
    pub rules: Vec<Rule>,
    pub combs: Vec<(usize, [i64; 4])>,
}

/// A comb is worth a form from this many rules on.
const COMB_MIN_RULES: usize = 3;

/// Splits the page's rules (continuations merged) into combs and the rest; new combs are added
/// to `combs` (and `known`, which finds a comb seen before).
pub(crate) fn page_rules(
    page: &LaidOutPage,
    combs: &mut Vec<RuleComb>,
    known: &mut std::collections::HashMap<RuleComb, usize>,
) -> PageRules {
    let mut rest = Vec::new();
    let mut groups: std::collections::BTreeMap<(i64, i64, u32, u8), Vec<Rule>> =
        std::collections::BTreeMap::new();
    for rule in merged_rules(&page.rules) {
        if (rule.from.0 - rule.to.0).abs() < 0.001 {
            let key = (units(rule.from.1), units(rule.to.1), rule.thickness.to_bits(), ink_order(rule.ink));
            groups.entry(key).or_default().push(rule);
        } else {
            rest.push(rule);
        }
    }
    let mut drawn = Vec::new();
    for ((top, bottom, thickness, ink), rules) in groups {
        if rules.len() < COMB_MIN_RULES {
            rest.extend(rules);
            continue;
        }
        let mut xs: Vec<i64> = rules.iter().map(|rule| units(rule.from.0)).collect();
        xs.sort_unstable();
        let comb = RuleComb {
            xs,
            thickness,
            ink,
            height: units(page.height),
        };
        let margin = units(f32::from_bits(thickness)) + 1;
        let (left, right) = (comb.xs[0] - margin, comb.xs[comb.xs.len() - 1] + margin);
        let page_height = comb.height;
        let index = *known.entry(comb.clone()).or_insert_with(|| {
            combs.push(comb);
            combs.len() - 1
        });
        drawn.push((index, [left, page_height - bottom, right - left, bottom - top]));
    }
    PageRules {
        rules: rest,
        combs: drawn,
    }
}

fn push_thickness(out: &mut Vec<u8>, thickness: f32) {
    // Thickness as it was set (0.6, 0.75): not rounded to a tenth.
    out.extend_from_slice(format!("{thickness}").as_bytes());
    out.extend_from_slice(b" w\n");
}

fn ink_of(order: u8) -> Ink {
    match order {
        1 => Ink::Red,
        2 => Ink::Shade,
        _ => Ink::Black,
    }
}

/// The content of a comb's form: its rules from the bottom of the page to the top.
pub(crate) fn comb_form(comb: &RuleComb) -> Vec<u8> {
    let mut out = Vec::with_capacity(comb.xs.len() * 24 + 32);
    push_thickness(&mut out, f32::from_bits(comb.thickness));
    push_colour(&mut out, ink_of(comb.ink), true);
    for &x in &comb.xs {
        push_units(&mut out, x);
        out.extend_from_slice(b" 0 m ");
        push_units(&mut out, x);
        out.push(b' ');
        push_units(&mut out, comb.height);
        out.extend_from_slice(b" l\n");
    }
    out.extend_from_slice(b"S\n");
    out
}

/// Bands and rules: layout, not content — one artifact that readers skip.
fn push_graphics(out: &mut Vec<u8>, page: &LaidOutPage, rules: &PageRules, comb_names: &[String]) {
    if page.bands.is_empty() && rules.rules.is_empty() && rules.combs.is_empty() {
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
    for &(comb, clip) in &rules.combs {
        let Some(name) = comb_names.get(comb) else {
            continue;
        };
        out.extend_from_slice(b"q ");
        for value in clip {
            push_units(out, value);
            out.push(b' ');
        }
        out.extend_from_slice(b"re W n /");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b" Do Q\n");
    }
    // Grouped by look, so thickness and colour are set once per group.
    let mut rest = rules.rules.clone();
    rest.sort_by(|a, b| {
        a.thickness
            .total_cmp(&b.thickness)
            .then(ink_order(a.ink).cmp(&ink_order(b.ink)))
    });
    let mut look: Option<(f32, Ink)> = None;
    for rule in &rest {
        if look.is_none_or(|(thickness, _)| thickness != rule.thickness) {
            push_thickness(out, rule.thickness);
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
pub(crate) struct TextWriter<'a> {
    faces: &'a [FaceCodes],
    font: Option<(usize, u32)>,
    ink: Option<Ink>,
    /// Where the current line started, in thousandths of a point (BT starts at the origin).
    origin: (i64, i64),
    leading: Option<i64>,
    /// The exact position of the last run, in thousandths of a point.
    previous: Option<(i64, i64)>,
}

/// Text positions are tracked in thousandths of a point. Moves (`Td`) are written to a tenth
/// and the position drawn is what is tracked, so rounding never adds up; the leading (`TL`) is
/// written exactly, so that `T*` steps down a table's line pitch (15.225 pt) line after line.
const MILLI: i64 = 1000;

/// How far (in thousandths of a point) a line may be from one leading below the last (and
/// from the last line's x) for `T*` to draw it: the error a written move may carry.
const LEADING_TOLERANCE: i64 = 60;

pub(crate) fn milli(value: f32) -> i64 {
    (f64::from(value) * MILLI as f64).round() as i64
}

/// `value` (thousandths) rounded to a tenth of a point, still in thousandths.
fn to_tenth(value: i64) -> i64 {
    (value as f64 / 100.0).round() as i64 * 100
}

/// Appends `value` thousandths of a point as a number, without trailing zeros.
pub(crate) fn push_milli(out: &mut Vec<u8>, value: i64) {
    if value < 0 {
        out.push(b'-');
    }
    let magnitude = value.unsigned_abs();
    out.extend_from_slice((magnitude / 1000).to_string().as_bytes());
    let mut fraction = magnitude % 1000;
    if fraction != 0 {
        out.push(b'.');
        let mut digits = 3;
        while fraction.is_multiple_of(10) {
            fraction /= 10;
            digits -= 1;
        }
        out.extend_from_slice(format!("{fraction:0digits$}").as_bytes());
    }
}

impl<'a> TextWriter<'a> {
    pub(crate) fn new(faces: &'a [FaceCodes]) -> Self {
        Self {
            faces,
            font: None,
            ink: None,
            origin: (0, 0),
            leading: None,
            previous: None,
        }
    }

    /// Writes `run` at its place, `y` (its baseline from the bottom, in points) already
    /// turned into the coordinates of the text object.
    fn run(&mut self, out: &mut Vec<u8>, run: &GlyphRun, y: f32) {
        self.run_at(out, run, milli(run.x), milli(y));
    }

    /// A new text object begins (`BT` after an `ET`): the text matrix is the origin again, while
    /// the font, colour and leading, which are graphics state, carry over.
    pub(crate) fn restart_text_object(&mut self) {
        self.origin = (0, 0);
        self.previous = None;
    }

    /// Writes `run` with its start at (`x`, `y`), thousandths of a point in the coordinates of
    /// the text object.
    pub(crate) fn run_at(&mut self, out: &mut Vec<u8>, run: &GlyphRun, x: i64, y: i64) {
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
        let (dx, dy) = (x - self.origin.0, y - self.origin.1);
        let same_column = dx.abs() <= LEADING_TOLERANCE;
        // The leading is the exact step between two lines of one column (not the move from
        // a rounded position).
        if self.leading.is_none() {
            if let Some((previous_x, previous_y)) = self.previous {
                if previous_x == x && previous_y - y > LEADING_TOLERANCE {
                    push_milli(out, previous_y - y);
                    out.extend_from_slice(b" TL\n");
                    self.leading = Some(previous_y - y);
                }
            }
        }
        self.previous = Some((x, y));
        // The next line: `'` (T* and show); elsewhere a move and `Tj`.
        let next_line = self
            .leading
            .filter(|leading| same_column && (dy + leading).abs() <= LEADING_TOLERANCE);
        if let Some(leading) = next_line {
            self.origin.1 -= leading;
        } else {
            let (move_x, move_y) = (to_tenth(dx), to_tenth(dy));
            push_milli(out, move_x);
            out.push(b' ');
            push_milli(out, move_y);
            out.extend_from_slice(b" Td");
            self.origin = (self.origin.0 + move_x, self.origin.1 + move_y);
        }
        out.push(b'<');
        for &gid in &run.glyphs {
            if let Some(Some(code)) = face.codes.get(usize::from(gid)) {
                let shifts: &[u16] = if code.bytes == 1 { &[4, 0] } else { &[12, 8, 4, 0] };
                for &shift in shifts {
                    out.push(HEX[usize::from((code.value >> shift) & 0xF)]);
                }
            }
        }
        out.extend_from_slice(if next_line.is_some() { b">'\n" } else { b">Tj\n" });
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
    let base = units(page.height - first.baseline) as f32 / UNITS_PER_POINT as f32;
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

/// The form XObjects a page draws from, and where.
pub(crate) struct PageForms<'a> {
    /// The repeated table header's form name and baseline ([`header_form`]).
    pub header: Option<(&'a str, f32)>,
    pub rules: &'a PageRules,
    pub comb_names: &'a [String],
    /// Per span (in `marks.spans` order): the repeated-text form (`repeated_cells`) it is drawn
    /// from and the origin to draw it at, thousandths of a point.
    pub cells: &'a [Option<(usize, i64, i64)>],
    pub cell_names: &'a [String],
}

/// The content stream of `page`: its graphics, its repeated table header (drawn from the form
/// XObject `header`: its name and where it goes, from [`header_form`]), then its text in
/// reading order, each span one marked-content sequence (`reading_structure`); a span whose
/// text repeats elsewhere is drawn from its form, between text objects. Glyphs without a
/// code (which `glyph_codes` never leaves for a glyph the document uses) are left out rather
/// than drawn as another glyph.
pub(crate) fn page_content(
    page: &LaidOutPage,
    marks: &PageMarks,
    structure: &DocumentStructure,
    faces: &[FaceCodes],
    forms: &PageForms<'_>,
) -> Vec<u8> {
    let glyphs: usize = page.runs.iter().map(|run| run.glyphs.len()).sum();
    let mut out = Vec::with_capacity(glyphs * 4 + page.runs.len() * 16 + page.rules.len() * 24 + 256);
    push_graphics(&mut out, page, forms.rules, forms.comb_names);
    let header_span = forms.header.and_then(|_| repeated_header(page, marks));
    if let Some((name, base)) = forms.header.filter(|_| header_span.is_some()) {
        out.extend_from_slice(b"/Artifact<</Type/Pagination>>BDC\nq 1 0 0 1 0 ");
        push_number(&mut out, base);
        out.extend_from_slice(b" cm /");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b" Do Q\nEMC\n");
    }
    if page.runs.is_empty() {
        return out;
    }
    let height = page.height;
    let mut in_text_object = false;
    let mut writer = TextWriter::new(faces);
    for (index, span) in marks.spans.iter().enumerate() {
        if Some(index) == header_span {
            continue;
        }
        let form = forms.cells.get(index).copied().flatten();
        match (form.is_some(), in_text_object) {
            (true, true) => out.extend_from_slice(b"ET\n"),
            (false, false) => {
                out.extend_from_slice(b"BT\n");
                writer.restart_text_object();
            }
            _ => {}
        }
        in_text_object = form.is_none();
        match span.element {
            Some((element, mcid)) => {
                out.push(b'/');
                out.extend_from_slice(structure.elements[element].role.pdf_name().as_bytes());
                out.extend_from_slice(b"<</MCID ");
                out.extend_from_slice(mcid.to_string().as_bytes());
                out.extend_from_slice(b">>BDC\n");
            }
            None => out.extend_from_slice(b"/Artifact<</Type/Pagination>>BDC\n"),
        }
        if let Some((form, x, y)) = form {
            out.extend_from_slice(b"q 1 0 0 1 ");
            push_milli(&mut out, x);
            out.push(b' ');
            push_milli(&mut out, y);
            out.extend_from_slice(b" cm/");
            out.extend_from_slice(forms.cell_names.get(form).map_or("", String::as_str).as_bytes());
            out.extend_from_slice(b" Do Q\n");
        } else {
            for &index in &span.runs {
                if let Some(run) = page.runs.get(index) {
                    writer.run(&mut out, run, height - run.baseline);
                }
            }
        }
        out.extend_from_slice(b"EMC\n");
    }
    if in_text_object {
        out.extend_from_slice(b"ET\n");
    }
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
    fn numbers_are_short_and_exact_to_a_tenth() {
        assert_eq!(number(12.0), "12");
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(-0.25), "-0.3");
        assert_eq!(number(0.04), "0");
        assert_eq!(number(-0.04), "0");
        assert_eq!(number(841.89), "841.9");
        assert_eq!(number(0.06), "0.1");
        assert_eq!(number(-3.1), "-3.1");
    }
}
