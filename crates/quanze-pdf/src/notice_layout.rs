//! A public notice (公示) laid out per GB/T 9704-2012: the 版头 (issuing organ in red, 文号,
//! red rule), title, introductory paragraphs, signature and date, then one table per section
//! with its header repeated on every page, and "— N —" page numbers.
//!
//! Sizes from the standard: 版心 156 × 225 mm at 28 mm from the left (binding) and 37 mm from
//! the top; 22 lines of 16 pt (三号) 仿宋 per page, so a body line pitch of 225 mm / 22; title
//! 22 pt (二号) 小标宋; page number 14 pt (四号) half-width digits between em dashes, its top
//! 7 mm below the 版心, one character in from the right edge on odd pages and from the left
//! edge on even pages. Landscape turns the page (297 × 210 mm) and the 版心 (225 × 156 mm) and
//! keeps that page-number rule.

use quanze_domain::notice::{Notice, NoticeSection, Orientation};

use crate::column_widths::{estimated_lines, plan_widths, ColumnMeasure};
use crate::error::PdfError;
use crate::fonts::{FontRole, FontSet};
use crate::layout::{
    aligned_x, baseline_in, place_line, wrap, Align, BoxPt, Ink, LaidOutDocument, LaidOutPage,
    LineStyle, RowPlacement, Rule, SetLine, TextKind, MM,
};
use crate::line_breaking::{break_measured_lines, break_title};
use crate::typesetting::{MissingGlyphPolicy, Typesetter};

/// 三号: body text.
pub const BODY_SIZE: f32 = 16.0;
/// 二号: title.
pub const TITLE_SIZE: f32 = 22.0;
/// 四号: page numbers.
pub const PAGE_NUMBER_SIZE: f32 = 14.0;
/// 五号: table text. A 14-column table needs it; 10.5 pt still prints cleanly on A4.
pub const DEFAULT_TABLE_TEXT_SIZE: f32 = 10.5;
/// 225 mm / 22 lines.
pub const BODY_PITCH: f32 = 225.0 * MM / 22.0;
/// Size of the 发文机关标志 when the name fits the width at it.
const ORGAN_SIZE: f32 = 30.0;
/// Table text line pitch, as a multiple of its size.
const TABLE_PITCH_EM: f32 = 1.45;
/// Space between a cell's text and its left and right rules, as a multiple of the table text
/// size (0.55 em: 5.8 pt at 10.5 pt, about Word's default cell margin of 0.19 cm). Text in
/// neighbouring cells is then more than 1 em apart, the gap that text extraction (poppler's
/// `minColSpacing2`, used by pdftotext, evince's search and copy) reads as a column boundary:
/// with 3 pt (0.57 em at 五号) it joined a cell's lines with the next cell's into one line.
const CELL_PAD_X_EM: f32 = 0.55;
/// The padding of a table too crowded for the wide one (see `plan_table`).
const NARROW_CELL_PAD_X: f32 = 3.0;
/// How many more lines the wide padding may cost before a table takes the narrow one: on the
/// real lists it costs 5–9 %; a 14-column table of four-character columns would grow by half.
const WIDE_PADDING_MAX_COST: f32 = 1.15;
const CELL_PAD_Y: f32 = 3.0;
const TABLE_RULE: f32 = 0.6;

/// How a notice is rendered. Build with [`PdfOptions::new`] and adjust fields.
#[derive(Debug, Clone, Copy)]
pub struct PdfOptions<'f> {
    pub fonts: &'f FontSet,
    /// Size of table text in points; 10.5 (五号) by default, 9–14 allowed.
    pub table_text_size: f32,
    pub missing_glyph: MissingGlyphPolicy,
}

impl<'f> PdfOptions<'f> {
    pub fn new(fonts: &'f FontSet) -> Self {
        Self {
            fonts,
            table_text_size: DEFAULT_TABLE_TEXT_SIZE,
            missing_glyph: MissingGlyphPolicy::default(),
        }
    }
}

/// The face of a numbered heading and where the heading ends (byte offset): GB/T 9704-2012
/// §7.3.3 numbers levels "一、", "（一）", "1.", "（1）" and sets the first in 黑体, the second
/// in 楷体, the others in 仿宋 (`None`: no heading face). The heading runs to its first 。
/// (kept in the heading's face) or, without one, to the end of the text.
pub(crate) fn numbered_heading(text: &str) -> Option<(FontRole, usize)> {
    const NUMERALS: &str = "一二三四五六七八九十百零〇";
    let numeral_run = |from: &str| {
        from.char_indices()
            .find(|&(_, c)| !NUMERALS.contains(c))
            .map_or(from.len(), |(at, _)| at)
    };
    let role = if let Some(rest) = text.strip_prefix('（') {
        let digits = numeral_run(rest);
        (digits > 0 && rest[digits..].starts_with('）')).then_some(FontRole::Kai)?
    } else {
        let digits = numeral_run(text);
        (digits > 0 && text[digits..].starts_with('、')).then_some(FontRole::Heading)?
    };
    let end = text
        .find('。')
        .map_or(text.len(), |at| at + '。'.len_utf8());
    Some((role, end))
}

/// The organ's name, or `None` when there is none to print.
fn signature_organ(notice: &Notice) -> Option<&str> {
    notice
        .heading
        .issuing_organ
        .as_deref()
        .filter(|organ| !organ.trim().is_empty())
}

fn signature_date(notice: &Notice) -> Option<&str> {
    notice
        .heading
        .date
        .as_deref()
        .filter(|date| !date.trim().is_empty())
}

/// Lines of the signature block: the organ and the date, each when given.
fn signature_lines(notice: &Notice) -> usize {
    usize::from(signature_organ(notice).is_some()) + usize::from(signature_date(notice).is_some())
}

/// Height of the signature block with the blank line above it; 0 without one.
fn signature_height(notice: &Notice) -> f32 {
    match signature_lines(notice) {
        0 => 0.0,
        lines => (lines + 1) as f32 * BODY_PITCH,
    }
}

/// Page size and 版心 of a notice page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NoticeGeometry {
    pub width: f32,
    pub height: f32,
    pub text_area: BoxPt,
}

pub(crate) fn notice_geometry(orientation: Orientation) -> NoticeGeometry {
    match orientation {
        Orientation::Portrait => NoticeGeometry {
            width: 210.0 * MM,
            height: 297.0 * MM,
            text_area: BoxPt::from_mm(28.0, 37.0, 156.0, 225.0),
        },
        // Centred across the width; 28 mm from the top, the portrait binding margin, leaves
        // room for the page number below.
        Orientation::Landscape => NoticeGeometry {
            width: 297.0 * MM,
            height: 210.0 * MM,
            text_area: BoxPt::from_mm(36.0, 28.0, 225.0, 156.0),
        },
    }
}

/// Lays a notice out without writing PDF (tests inspect the result).
pub fn layout_notice(
    notice: &Notice,
    options: &PdfOptions<'_>,
) -> Result<LaidOutDocument, PdfError> {
    if !(9.0..=14.0).contains(&options.table_text_size) {
        return Err(PdfError::InvalidOptions(format!(
            "表格字号 {} 磅不在 9～14 磅之间",
            options.table_text_size
        )));
    }
    let geometry = notice_geometry(notice.orientation);
    let mut composer = NoticeComposer {
        typesetter: Typesetter::new(options.fonts, options.missing_glyph),
        geometry,
        pages: Vec::new(),
        y: 0.0,
        table_size: options.table_text_size,
    };
    composer.new_page();
    composer.heading(notice);
    let has_intro = notice
        .heading
        .intro
        .as_deref()
        .is_some_and(|intro| !intro.trim().is_empty());
    if has_intro {
        composer.signature(notice);
    }
    // Without an introduction the signature follows the last table and is kept with its last
    // row: that row is given the signature's height as room it must leave below itself.
    let last_section = notice.sections.len().saturating_sub(1);
    let signature_room = if has_intro {
        0.0
    } else {
        // The half line `section` leaves under a table, then the signature.
        BODY_PITCH / 2.0 + signature_height(notice)
    };
    for (index, section) in notice.sections.iter().enumerate() {
        let reserve = if index == last_section {
            signature_room
        } else {
            0.0
        };
        composer.section(index, section, reserve)?;
    }
    if !has_intro {
        composer.signature(notice);
    }
    composer.page_numbers();
    let pages = composer.pages;
    let faces = composer.typesetter.into_faces()?;
    Ok(LaidOutDocument {
        title: notice.heading.title.clone(),
        pages,
        faces,
    })
}

struct NoticeComposer<'f> {
    typesetter: Typesetter<'f>,
    geometry: NoticeGeometry,
    pages: Vec<LaidOutPage>,
    /// Top of the next line box on the last page.
    y: f32,
    table_size: f32,
}

/// A table's columns once their widths are known.
struct TablePlan {
    /// Left edge of each column, then the right edge of the table.
    edges: Vec<f32>,
    centred: Vec<bool>,
    header: Vec<Vec<SetLine>>,
    header_lines: usize,
    /// The 事项名称 column: a row split across pages keeps it whole (see `table_row`).
    name_column: Option<usize>,
    /// Space between a cell's text and its left and right rules.
    pad_x: f32,
}

impl<'f> NoticeComposer<'f> {
    fn area(&self) -> BoxPt {
        self.geometry.text_area
    }

    fn new_page(&mut self) {
        let number = self.pages.len() + 1;
        self.pages.push(LaidOutPage::new(
            self.geometry.width,
            self.geometry.height,
            self.geometry.text_area,
            number,
        ));
        self.y = self.geometry.text_area.top;
    }

    fn page(&mut self) -> &mut LaidOutPage {
        // `new_page` runs before anything is placed, so there is always a last page.
        let last = self.pages.len().saturating_sub(1);
        &mut self.pages[last]
    }

    fn at_page_top(&self) -> bool {
        (self.y - self.area().top).abs() < 0.01
    }

    fn remaining(&self) -> f32 {
        self.area().bottom - self.y
    }

    /// Sets wrapped text line by line, starting new pages as needed.
    #[allow(clippy::too_many_arguments)]
    fn text_block(
        &mut self,
        text: &str,
        style: &LineStyle,
        pitch: f32,
        align: Align,
        first_indent: f32,
        right_indent: f32,
        single_line: bool,
    ) {
        let area = self.area();
        let cleaned = self.typesetter.clean(style.role, text, single_line, text);
        let left = area.left;
        let right = area.right - right_indent;
        let lines = wrap(
            &mut self.typesetter,
            style.role,
            style.size,
            &cleaned,
            right - left - first_indent,
            right - left,
        );
        for (index, line) in lines.iter().enumerate() {
            if self.remaining() < pitch - 0.01 {
                self.new_page();
            }
            let indent = if index == 0 { first_indent } else { 0.0 };
            let x = aligned_x(align, left + indent, right, line.width);
            let baseline = baseline_in(self.y, pitch, style.size);
            self.place(style, &line.text, x, baseline);
            self.y += pitch;
        }
    }

    fn blank(&mut self, height: f32) {
        if !self.at_page_top() {
            self.y = (self.y + height).min(self.area().bottom);
        }
    }

    fn heading(&mut self, notice: &Notice) {
        let heading = &notice.heading;
        let area = self.area();
        let organ = heading
            .issuing_organ
            .as_deref()
            .filter(|organ| !organ.trim().is_empty());
        let doc_no = heading.doc_no.as_deref().filter(|no| !no.trim().is_empty());
        if let Some(organ) = organ {
            // The 发文机关标志: one line, as large as fits up to ORGAN_SIZE.
            let cleaned = self.typesetter.clean(FontRole::Title, organ, true, organ);
            let width_em = self.typesetter.width_em(FontRole::Title, &cleaned);
            let size = if width_em > 0.0 {
                (area.width() / width_em).min(ORGAN_SIZE)
            } else {
                ORGAN_SIZE
            };
            let style = LineStyle::new(FontRole::Title, size, TextKind::IssuingOrgan).ink(Ink::Red);
            self.text_block(&cleaned, &style, size * 1.4, Align::Center, 0.0, 0.0, true);
            self.y += BODY_PITCH;
        }
        if let Some(doc_no) = doc_no {
            let style = LineStyle::new(FontRole::Body, BODY_SIZE, TextKind::DocNumber);
            self.text_block(doc_no, &style, BODY_PITCH, Align::Center, 0.0, 0.0, true);
        }
        if organ.is_some() {
            // The red rule, 4 mm below the 文号, as wide as the 版心.
            let y = self.y + 4.0 * MM - (BODY_PITCH - BODY_SIZE) / 2.0;
            self.page().rules.push(Rule {
                from: (area.left, y),
                to: (area.right, y),
                thickness: 1.0,
                ink: Ink::Red,
            });
            self.y = y + BODY_PITCH;
        } else if doc_no.is_some() {
            self.y += BODY_PITCH / 2.0;
        }
        if !heading.title.trim().is_empty() {
            let style = LineStyle::new(FontRole::Title, TITLE_SIZE, TextKind::Title);
            let cleaned =
                self.typesetter
                    .clean(FontRole::Title, &heading.title, true, &heading.title);
            // Broken between words, in balanced lines (GB/T 9704 §7.3.3); the organ's own
            // name, when the title repeats it, stays whole.
            let names: Vec<&str> = organ.into_iter().map(str::trim).collect();
            let typesetter = &mut self.typesetter;
            let lines: Vec<SetLine> =
                break_title(&cleaned, area.width(), TITLE_SIZE, &names, |c| {
                    typesetter.advance_em(FontRole::Title, c) * TITLE_SIZE
                })
                .into_iter()
                .map(|slice| SetLine {
                    text: cleaned[slice.start..slice.end].to_owned(),
                    width: slice.width,
                })
                .collect();
            let pitch = TITLE_SIZE * 1.5;
            for line in lines {
                if self.remaining() < pitch {
                    self.new_page();
                }
                let x = aligned_x(Align::Center, area.left, area.right, line.width);
                let baseline = baseline_in(self.y, pitch, TITLE_SIZE);
                self.place(&style, &line.text, x, baseline);
                self.y += pitch;
            }
            self.blank(BODY_PITCH / 2.0);
        }
        if let Some(intro) = heading.intro.as_deref() {
            for paragraph in intro.split('\n').filter(|p| !p.trim().is_empty()) {
                self.paragraph(paragraph.trim());
            }
        }
    }

    /// A paragraph of the introduction, indented two characters. One that opens with a
    /// numbered heading ("一、…", "（一）…") sets that heading, up to its first 。, in the
    /// heading's face (黑体, 楷体) and the rest in the body face, on the same lines.
    fn paragraph(&mut self, text: &str) {
        let area = self.area();
        let cleaned = self.typesetter.clean(FontRole::Body, text, false, text);
        let (heading_role, heading_end) = numbered_heading(&cleaned).unwrap_or((FontRole::Body, 0));
        let advances: Vec<f32> = cleaned
            .char_indices()
            .map(|(at, c)| {
                let role = if at < heading_end {
                    heading_role
                } else {
                    FontRole::Body
                };
                self.typesetter.advance_em(role, c) * BODY_SIZE
            })
            .collect();
        let indent = 2.0 * BODY_SIZE;
        let width = area.width();
        let lines = break_measured_lines(&cleaned, width - indent, width, &advances);
        let heading_style = LineStyle::new(heading_role, BODY_SIZE, TextKind::Paragraph);
        let body_style = LineStyle::new(FontRole::Body, BODY_SIZE, TextKind::Paragraph);
        for (index, line) in lines.iter().enumerate() {
            if self.remaining() < BODY_PITCH - 0.01 {
                self.new_page();
            }
            let mut x = area.left + if index == 0 { indent } else { 0.0 };
            let baseline = baseline_in(self.y, BODY_PITCH, BODY_SIZE);
            let split = heading_end.clamp(line.start, line.end);
            let heading_part = &cleaned[line.start..split];
            if !heading_part.is_empty() {
                self.place(&heading_style, heading_part, x, baseline);
                x += self.typesetter.width_em(heading_role, heading_part) * BODY_SIZE;
            }
            let body_part = &cleaned[split..line.end];
            if !body_part.is_empty() {
                self.place(&body_style, body_part, x, baseline);
            }
            self.y += BODY_PITCH;
        }
    }

    /// 发文机关署名 and 成文日期: the date right-aligned four characters in from the edge, the
    /// organ centred over it.
    fn signature(&mut self, notice: &Notice) {
        let organ = signature_organ(notice);
        let date = signature_date(notice);
        if organ.is_none() && date.is_none() {
            return;
        }
        self.blank(BODY_PITCH);
        let style = LineStyle::new(FontRole::Body, BODY_SIZE, TextKind::Signature);
        let area = self.area();
        let date_right = area.right - 4.0 * BODY_SIZE;
        let date_text = date.map(|date| self.typesetter.clean(FontRole::Body, date, true, date));
        let date_width = date_text.as_deref().map_or(0.0, |date| {
            self.typesetter.width_em(FontRole::Body, date) * BODY_SIZE
        });
        // The tolerance matches the room the last table row keeps for the signature
        // (`table_row`'s `reserve`), so a signature that was given room is never pushed over.
        if self.remaining() < signature_lines(notice) as f32 * BODY_PITCH - 0.01 {
            self.new_page();
        }
        if let Some(organ) = organ {
            let cleaned = self.typesetter.clean(FontRole::Body, organ, true, organ);
            let width = self.typesetter.width_em(FontRole::Body, &cleaned) * BODY_SIZE;
            let centre = if date.is_some() {
                date_right - date_width / 2.0
            } else {
                area.right - 2.0 * BODY_SIZE - width / 2.0
            };
            let x = (centre - width / 2.0)
                .max(area.left)
                .min(area.right - width);
            let baseline = baseline_in(self.y, BODY_PITCH, BODY_SIZE);
            self.place(&style, &cleaned, x.max(area.left), baseline);
            self.y += BODY_PITCH;
        }
        if let Some(date) = date_text {
            let x = (date_right - date_width).max(area.left);
            let baseline = baseline_in(self.y, BODY_PITCH, BODY_SIZE);
            self.place(&style, &date, x, baseline);
            self.y += BODY_PITCH;
        }
    }

    fn place(&mut self, style: &LineStyle, text: &str, x: f32, baseline: f32) {
        let last = self.pages.len().saturating_sub(1);
        if let Some(page) = self.pages.get_mut(last) {
            place_line(page, &mut self.typesetter, style, text, x, baseline);
        }
    }

    fn table_pitch(&self) -> f32 {
        self.table_size * TABLE_PITCH_EM
    }

    fn rows_height(&self, lines: usize) -> f32 {
        lines as f32 * self.table_pitch() + 2.0 * CELL_PAD_Y
    }

    /// Lays out one section. `reserve` is room the section's last row keeps below itself on
    /// its page (for the signature that follows the last table), 0 otherwise.
    fn section(
        &mut self,
        index: usize,
        section: &NoticeSection,
        reserve: f32,
    ) -> Result<(), PdfError> {
        let section_number = index + 1;
        if section.columns.is_empty() {
            return Err(PdfError::NoColumns {
                section: section_number,
            });
        }
        for (row_index, row) in section.rows.iter().enumerate() {
            if row.len() > section.columns.len() {
                return Err(PdfError::RowTooLong {
                    section: section_number,
                    row: row_index + 1,
                    cells: row.len(),
                    columns: section.columns.len(),
                });
            }
        }
        // Clean every cell once: checks glyphs, and the widths below measure what is printed.
        let size = self.table_size;
        let headers: Vec<String> = section
            .columns
            .iter()
            .map(|column| {
                self.typesetter
                    .clean(FontRole::Heading, &column.header, false, &column.header)
            })
            .collect();
        let rows: Vec<Vec<String>> = section
            .rows
            .iter()
            .map(|row| {
                (0..section.columns.len())
                    .map(|column| {
                        let cell = row.get(column).map_or("", String::as_str);
                        self.typesetter.clean(FontRole::Body, cell, false, cell)
                    })
                    .collect()
            })
            .collect();
        let mut plan = self.plan_table(&headers, &rows)?;
        plan.name_column = section.columns.iter().position(|column| column.field == "name");
        let header_height = self.rows_height(plan.header_lines);
        let capacity = self.area().height() - header_height;
        if capacity < self.rows_height(2) {
            return Err(PdfError::InvalidOptions(format!(
                "第 {section_number} 个表格的表头太高，一页放不下表头和两行内容。请缩短表头文字"
            )));
        }

        // Keep the heading with the header and the start of the first row.
        let heading_height = if section.heading.is_some() {
            BODY_PITCH
        } else {
            0.0
        };
        let first_row_lines = rows.first().map_or(1, |row| {
            self.cell_lines(&plan, row)
                .iter()
                .map(Vec::len)
                .max()
                .unwrap_or(1)
        });
        let mut keep = heading_height + header_height + self.rows_height(first_row_lines.min(4));
        // A table of one row ending the notice: its heading, header, row and the signature
        // go together when a page can hold them, so the row is never carried away from them.
        if rows.len() <= 1 && keep + reserve <= self.area().height() {
            keep += reserve;
        }
        if !self.at_page_top() {
            self.y += BODY_PITCH / 2.0;
            if self.remaining() < keep {
                self.new_page();
            }
        }
        if let Some(heading) = section.heading.as_deref() {
            // "一、" headings in 黑体, "（一）" ones in 楷体 (GB/T 9704 §7.3.3).
            let role = numbered_heading(heading).map_or(FontRole::Heading, |(role, _)| role);
            let style = LineStyle::new(role, BODY_SIZE, TextKind::SectionHeading);
            self.text_block(
                heading,
                &style,
                BODY_PITCH,
                Align::Left,
                2.0 * BODY_SIZE,
                0.0,
                false,
            );
        }
        self.table_header(index, &plan);
        if rows.is_empty() {
            let cells = vec![vec![SetLine {
                text: "（无）".to_owned(),
                width: self.typesetter.width_em(FontRole::Body, "（无）") * size,
            }]];
            let whole = TablePlan {
                edges: vec![plan.edges[0], plan.edges[plan.edges.len() - 1]],
                centred: vec![true],
                header: Vec::new(),
                header_lines: 0,
                name_column: None,
                pad_x: plan.pad_x,
            };
            self.table_row(index, None, &whole, &plan, &cells, reserve);
        }
        let last_row = rows.len().saturating_sub(1);
        for (row_index, row) in rows.iter().enumerate() {
            let cells = self.cell_lines(&plan, row);
            let room = if row_index == last_row { reserve } else { 0.0 };
            self.table_row(index, Some(row_index), &plan, &plan, &cells, room);
        }
        self.y += BODY_PITCH / 2.0;
        Ok(())
    }

    /// Natural width of each hard line of a cell (set on one line) and the width of its
    /// widest run of Latin letters and digits, which line breaking keeps whole.
    fn measure_cell(&mut self, text: &str) -> (Vec<f32>, f32) {
        let size = self.table_size;
        let mut lines = Vec::with_capacity(1);
        let mut line = 0.0f32;
        let mut word = 0.0f32;
        let mut longest_word = 0.0f32;
        for c in text.chars() {
            if c == '\n' {
                lines.push(line);
                line = 0.0;
                word = 0.0;
                continue;
            }
            let advance = self.typesetter.advance_em(FontRole::Body, c) * size;
            line += advance;
            if c.is_ascii_graphic() {
                word += advance;
                longest_word = longest_word.max(word);
            } else {
                word = 0.0;
            }
        }
        lines.push(line);
        (lines, longest_word)
    }

    fn cell_lines(&mut self, plan: &TablePlan, row: &[String]) -> Vec<Vec<SetLine>> {
        let size = self.table_size;
        row.iter()
            .enumerate()
            .map(|(column, text)| {
                let inner = plan.edges[column + 1] - plan.edges[column] - 2.0 * plan.pad_x;
                if text.is_empty() {
                    Vec::new()
                } else {
                    wrap(
                        &mut self.typesetter,
                        FontRole::Body,
                        size,
                        text,
                        inner,
                        inner,
                    )
                }
            })
            .collect()
    }

    /// Column widths from content (see `column_widths.rs`). Each column's minimum is two
    /// characters, half its header (so a header wraps onto at most two lines) and its longest
    /// Latin word or number up to seven characters (codes and phone numbers stay whole).
    fn plan_table(
        &mut self,
        headers: &[String],
        rows: &[Vec<String>],
    ) -> Result<TablePlan, PdfError> {
        let size = self.table_size;
        let area = self.area();
        let narrow_pad = 2.0 * NARROW_CELL_PAD_X.min(CELL_PAD_X_EM * size);
        let columns = headers.len();
        let available = area.width();
        if available / (columns as f32) < size + narrow_pad {
            return Err(PdfError::TooManyColumns {
                columns,
                min_mm: (size + narrow_pad) / MM,
            });
        }
        let wide_pad = 2.0 * CELL_PAD_X_EM * size;
        // A few hundred rows spread over the table tell the widths as well as all of them.
        let sample_step = rows.len().div_ceil(300).max(1);
        let short_limit = 6.0 * size;
        let mut measures = Vec::with_capacity(columns);
        let mut longest_of = Vec::with_capacity(columns);
        for (column, header) in headers.iter().enumerate() {
            let header_width = self.typesetter.width_em(FontRole::Heading, header) * size;
            let mut longest = 0.0f32;
            let mut longest_word = 0.0f32;
            let mut cells = Vec::with_capacity(rows.len() / sample_step + 1);
            for (index, row) in rows.iter().enumerate() {
                let (lines, word) = self.measure_cell(&row[column]);
                longest = lines.iter().fold(longest, |a, &b| a.max(b));
                longest_word = longest_word.max(word);
                if index % sample_step == 0 {
                    cells.push(lines);
                }
            }
            // Without padding: it is added below, for the padding chosen.
            let minimum = (2.0 * size)
                .max(header_width / 2.0)
                .max(longest_word.min(7.0 * size));
            // The header on one line is worth a little: count it as one more (sampled) cell
            // when it is short.
            if header_width <= short_limit {
                cells.push(vec![header_width]);
            } else {
                cells.push(vec![0.0]);
            }
            measures.push(ColumnMeasure { minimum, cells });
            longest_of.push(longest);
        }
        // The wide padding keeps text extraction from joining neighbouring cells; a crowded
        // table whose lines it would multiply takes the narrow one.
        let widths_with = |pad: f32| {
            let padded: Vec<ColumnMeasure> = measures
                .iter()
                .map(|measure| ColumnMeasure {
                    minimum: measure.minimum + pad,
                    cells: measure.cells.clone(),
                })
                .collect();
            let widths = plan_widths(&padded, available, pad);
            let lines = estimated_lines(&padded, &widths, pad);
            (widths, lines)
        };
        let (narrow_widths, narrow_lines) = widths_with(narrow_pad);
        let fits_wide = available / (columns as f32) >= size + wide_pad;
        let (widths, pad) = match fits_wide.then(|| widths_with(wide_pad)) {
            Some((wide_widths, wide_lines))
                if wide_lines <= narrow_lines * WIDE_PADDING_MAX_COST =>
            {
                (wide_widths, wide_pad)
            }
            _ => (narrow_widths, narrow_pad),
        };
        let mut edges = Vec::with_capacity(columns + 1);
        let mut x = area.left;
        edges.push(x);
        for width in &widths {
            x += width;
            edges.push(x);
        }
        // Rounding must not push the last edge past the 版心.
        if let Some(last) = edges.last_mut() {
            *last = area.right;
        }
        let header: Vec<Vec<SetLine>> = headers
            .iter()
            .enumerate()
            .map(|(column, text)| {
                let inner = edges[column + 1] - edges[column] - pad;
                wrap(
                    &mut self.typesetter,
                    FontRole::Heading,
                    size,
                    text,
                    inner,
                    inner,
                )
            })
            .collect();
        let header_lines = header.iter().map(Vec::len).max().unwrap_or(1).max(1);
        // Columns of short values that all fit on one line are centred (序号, 权力类型).
        let centred = longest_of
            .iter()
            .zip(&widths)
            .map(|(longest, width)| *longest <= short_limit && longest + pad <= width + 0.01)
            .collect();
        Ok(TablePlan {
            edges,
            centred,
            header,
            header_lines,
            name_column: None,
            pad_x: pad / 2.0,
        })
    }

    fn table_header(&mut self, section: usize, plan: &TablePlan) {
        let size = self.table_size;
        let pitch = self.table_pitch();
        let height = self.rows_height(plan.header_lines);
        let top = self.y;
        let bottom = top + height;
        let left = plan.edges[0];
        let right = plan.edges[plan.edges.len() - 1];
        let style = LineStyle::new(FontRole::Heading, size, TextKind::TableHeader);
        for (column, lines) in plan.header.iter().enumerate() {
            let offset = (plan.header_lines - lines.len()) as f32 * pitch / 2.0;
            for (index, line) in lines.iter().enumerate() {
                let x = aligned_x(
                    Align::Center,
                    plan.edges[column] + plan.pad_x,
                    plan.edges[column + 1] - plan.pad_x,
                    line.width,
                );
                let line_top = top + CELL_PAD_Y + offset + index as f32 * pitch;
                self.place(&style, &line.text, x, baseline_in(line_top, pitch, size));
            }
        }
        let page = self.page();
        page.rules.push(Rule {
            from: (left, top),
            to: (right, top),
            thickness: TABLE_RULE,
            ink: Ink::Black,
        });
        push_row_rules(page, &plan.edges, top, bottom);
        page.rows.push(RowPlacement {
            section,
            row: None,
            first_line: 0,
            lines: plan.header_lines,
            total_lines: plan.header_lines,
            bounds: BoxPt::new(left, top, right, bottom),
            edges: plan.edges.clone(),
        });
        self.y = bottom;
    }

    /// Places one row. A row that does not fit the rest of the page moves whole to the next
    /// page when it has at most four lines; a longer one is split, at least two lines on each
    /// side, and continues under the repeated header. `plan` gives the cell edges (the
    /// full-width cell of an empty table differs from the header's); `header_plan` is the
    /// header repeated on each new page. `reserve` is room to keep below the row's last part
    /// (the signature after the last row of a notice); when the page lacks it, the row's end
    /// moves to the next page (see [`Self::lines_kept_with_next`]).
    fn table_row(
        &mut self,
        section: usize,
        row: Option<usize>,
        plan: &TablePlan,
        header_plan: &TablePlan,
        cells: &[Vec<SetLine>],
        reserve: f32,
    ) {
        let size = self.table_size;
        let pitch = self.table_pitch();
        let total = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let header_height = self.rows_height(header_plan.header_lines);
        let fresh_capacity = self.area().height() - header_height;
        let mut first = 0usize;
        while first < total {
            let left_lines = total - first;
            let need = self.rows_height(left_lines);
            let lines_here = if need + reserve <= self.remaining() + 0.005 {
                left_lines
            } else if need <= self.remaining() + 0.01 {
                self.lines_kept_with_next(total, left_lines, fresh_capacity)
            } else {
                let fit = ((self.remaining() - 2.0 * CELL_PAD_Y) / pitch + 0.001).floor();
                let fit = if fit > 0.0 { fit as usize } else { 0 };
                if self.remaining() >= fresh_capacity - 0.01 {
                    // Right under a repeated header: as much as the page holds.
                    fit.clamp(1, left_lines)
                } else {
                    // Rows of up to four lines move whole (a short row split in two reads
                    // badly); longer ones are split like Word's "allow row to break across
                    // pages", keeping at least two lines on each side.
                    let fit = fit.min(left_lines.saturating_sub(2));
                    let may_split = total > 4 || need > fresh_capacity;
                    // A split never cuts the item's name (unless it is taller than a page):
                    // the name reads, and is found by search, as one piece.
                    let fresh_lines =
                        ((fresh_capacity - 2.0 * CELL_PAD_Y) / pitch).floor().max(1.0) as usize;
                    let name_lines = plan
                        .name_column
                        .and_then(|column| cells.get(column))
                        .map_or(0, |lines| lines.len().saturating_sub(first));
                    let keep_whole = if name_lines < fresh_lines { name_lines } else { 0 };
                    if may_split && fit >= 2 && fit >= keep_whole {
                        fit
                    } else {
                        0
                    }
                }
            };
            if lines_here == 0 {
                self.new_page();
                self.table_header(section, header_plan);
                continue;
            }
            let top = self.y;
            let bottom = top + self.rows_height(lines_here);
            let whole = first == 0 && lines_here == total;
            let style = LineStyle::new(FontRole::Body, size, TextKind::TableCell);
            for (column, lines) in cells.iter().enumerate() {
                let cell_left = plan.edges[column] + plan.pad_x;
                let cell_right = plan.edges[column + 1] - plan.pad_x;
                let align = if plan.centred.get(column).copied().unwrap_or(false) {
                    Align::Center
                } else {
                    Align::Left
                };
                // Whole rows centre their cells vertically, to whole lines: every cell's
                // lines then sit on the row's line grid, and a table line shares one
                // baseline across cells (one text operator in the PDF instead of one per
                // cell). Parts of a split row stay on top so each line continues where the
                // previous page stopped.
                let offset = if whole {
                    ((total - lines.len()) / 2) as f32 * pitch
                } else {
                    0.0
                };
                let shown = lines.iter().enumerate().skip(first).take(lines_here);
                for (index, line) in shown {
                    let line_top = top + CELL_PAD_Y + offset + (index - first) as f32 * pitch;
                    let x = aligned_x(align, cell_left, cell_right, line.width);
                    self.place(&style, &line.text, x, baseline_in(line_top, pitch, size));
                }
            }
            let left = plan.edges[0];
            let right = plan.edges[plan.edges.len() - 1];
            let page = self.page();
            push_row_rules(page, &plan.edges, top, bottom);
            page.rows.push(RowPlacement {
                section,
                row,
                first_line: first,
                lines: lines_here,
                total_lines: total,
                bounds: BoxPt::new(left, top, right, bottom),
                edges: plan.edges.clone(),
            });
            self.y = bottom;
            first += lines_here;
            if first < total {
                self.new_page();
                self.table_header(section, header_plan);
            }
        }
    }

    /// How many of the `left` remaining lines of a row to place here when they fit the page
    /// but the block that must follow them (the signature) does not: Word's "keep with next".
    /// Rows that may split (more than four lines) leave their last two lines for the next
    /// page, two or more staying here; short rows move whole (0). Right under a repeated header
    /// nothing is gained by moving the whole part, so it is split if it has four lines or more,
    /// else placed (a page holds a short row and the signature, so this does not happen).
    fn lines_kept_with_next(&self, total: usize, left: usize, fresh_capacity: f32) -> usize {
        const CARRIED: usize = 2;
        let fresh = self.remaining() >= fresh_capacity - 0.01;
        let may_split = total > 4 || self.rows_height(total) > fresh_capacity;
        if left >= 2 * CARRIED && (fresh || may_split) {
            left - CARRIED
        } else if fresh {
            left
        } else {
            0
        }
    }

    /// "— N —" under the 版心 of every page.
    fn page_numbers(&mut self) {
        let area = self.area();
        let size = PAGE_NUMBER_SIZE;
        let style = LineStyle::new(FontRole::Body, size, TextKind::PageNumber);
        for index in 0..self.pages.len() {
            let number = self.pages[index].number;
            let text = format!("— {number} —");
            let width = self.typesetter.width_em(FontRole::Body, &text) * size;
            let x = if number % 2 == 1 {
                area.right - size - width
            } else {
                area.left + size
            };
            let baseline = area.bottom + 7.0 * MM + crate::layout::ASCENT_EM * size;
            let page = &mut self.pages[index];
            place_line(page, &mut self.typesetter, &style, &text, x, baseline);
        }
    }
}

/// The bottom edge and the column edges of a row part; the top edge is the bottom of the row
/// above (or the header's top edge).
fn push_row_rules(page: &mut LaidOutPage, edges: &[f32], top: f32, bottom: f32) {
    let left = edges[0];
    let right = edges[edges.len() - 1];
    page.rules.push(Rule {
        from: (left, bottom),
        to: (right, bottom),
        thickness: TABLE_RULE,
        ink: Ink::Black,
    });
    for &x in edges {
        page.rules.push(Rule {
            from: (x, top),
            to: (x, bottom),
            thickness: TABLE_RULE,
            ink: Ink::Black,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_headings_take_the_faces_of_gbt_9704() {
        assert_eq!(
            numbered_heading("一、基本履职事项（86项）"),
            Some((FontRole::Heading, "一、基本履职事项（86项）".len()))
        );
        let kai = "（二）配合履职事项。由区级部门牵头，街道配合。";
        assert_eq!(
            numbered_heading(kai),
            Some((FontRole::Kai, "（二）配合履职事项。".len()))
        );
        assert_eq!(
            numbered_heading("（十二）其他事项").map(|(role, _)| role),
            Some(FontRole::Kai)
        );
        for plain in [
            "1.事项",
            "（1）事项",
            "本清单自公布之日起施行。",
            "一是加强领导",
            "（注）",
        ] {
            assert_eq!(numbered_heading(plain), None, "{plain}");
        }
    }
}
