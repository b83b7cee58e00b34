//! Wall posters (上墙) of community service centres: A3 portrait by default, type large enough
//! to read from one to two metres (entries 24 pt ≈ 8.5 mm, the title 44 pt), the community's
//! name and street, title, contact phone and responsible person, then each list as numbered
//! entries in one or two balanced columns, each entry's chosen columns (承办机构 …) in smaller
//! type under its name. A list longer than the sheet flows onto more sheets, each headed
//! "…（续）", and every sheet says "第 N 页 共 M 页" for its own poster.
//!
//! A poster whose last sheet would hold only a little (under a third of its room) is first set
//! again in smaller type, down to [`MIN_ENTRY_SIZE`], when that saves the sheet; otherwise its
//! sheets are filled evenly so that the last one is not nearly empty.

use quanze_domain::notice::{CommunityPoster, PosterEntry};

use crate::error::PdfError;
use crate::fonts::{FontRole, FontSet};
use crate::layout::{
    aligned_x, baseline_in, place_line, wrap, Align, Band, BoxPt, Ink,
    LaidOutDocument, LaidOutPage, LineStyle, Rule, SetLine, TextKind, MM,
};
use crate::line_breaking::break_title;
use crate::typesetting::{MissingGlyphPolicy, Typesetter};

/// Paper of a poster. Type scales with the paper width, so an A2 poster reads from further.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PosterPaper {
    #[default]
    A3,
    A2,
}

impl PosterPaper {
    /// Width and height in millimetres, portrait.
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            PosterPaper::A3 => (297.0, 420.0),
            PosterPaper::A2 => (420.0, 594.0),
        }
    }
}

/// How posters are rendered. Build with [`PosterOptions::new`] and adjust fields.
#[derive(Debug, Clone, Copy)]
pub struct PosterOptions<'f> {
    pub fonts: &'f FontSet,
    pub paper: PosterPaper,
    pub missing_glyph: MissingGlyphPolicy,
}

impl<'f> PosterOptions<'f> {
    pub fn new(fonts: &'f FontSet) -> Self {
        Self {
            fonts,
            paper: PosterPaper::default(),
            missing_glyph: MissingGlyphPolicy::default(),
        }
    }
}

/// Sizes on A3, in points; multiplied by the paper's scale.
const MARGIN_MM: f32 = 18.0;
const STREET_SIZE: f32 = 26.0;
const TITLE_SIZE: f32 = 44.0;
const CONTINUED_TITLE_SIZE: f32 = 30.0;
const CONTACT_SIZE: f32 = 24.0;
const SECTION_SIZE: f32 = 30.0;
const ENTRY_SIZE: f32 = 24.0;
/// The smallest entry type a poster is set in to save a sheet: 20 pt ≈ 7 mm, still read at
/// about two metres (the range is stated in docs/pdf.md).
pub const MIN_ENTRY_SIZE: f32 = 20.0;
/// Sizes tried between [`ENTRY_SIZE`] and [`MIN_ENTRY_SIZE`].
const ENTRY_SIZE_STEP: f32 = 1.0;
/// An entry's columns (承办机构 …) are set at this fraction of the entry size (19.2–16 pt).
const DETAIL_EM: f32 = 0.8;
const DETAIL_PITCH_EM: f32 = 1.35;
/// A last sheet filled less than this (of the room under its header) is "nearly empty".
pub const NEARLY_EMPTY_FILL: f32 = 1.0 / 3.0;
const FOOTER_SIZE: f32 = 16.0;
const ENTRY_PITCH_EM: f32 = 1.45;
const ENTRY_GAP_EM: f32 = 0.3;
const COLUMN_GAP_EM: f32 = 1.5;

/// Lays posters out without writing PDF (tests inspect the result).
pub fn layout_posters(
    posters: &[CommunityPoster],
    options: &PosterOptions<'_>,
) -> Result<LaidOutDocument, PdfError> {
    if posters.is_empty() {
        return Err(PdfError::NoPosters);
    }
    let (width_mm, height_mm) = options.paper.size_mm();
    let scale = width_mm / 297.0;
    let mut composer = PosterComposer {
        typesetter: Typesetter::new(options.fonts, options.missing_glyph),
        width: width_mm * MM,
        height: height_mm * MM,
        area: BoxPt::from_mm(
            MARGIN_MM * scale,
            MARGIN_MM * scale,
            width_mm - 2.0 * MARGIN_MM * scale,
            height_mm - 2.0 * MARGIN_MM * scale,
        ),
        scale,
        pages: Vec::new(),
        y: 0.0,
        footer_lines: 1,
        entry_size: ENTRY_SIZE,
        fill_limit: 1.0,
        sheet_top: 0.0,
    };
    for poster in posters {
        composer.poster(poster);
    }
    let title = if posters.len() == 1 {
        posters[0].title.clone()
    } else {
        format!(
            "{}等 {} 个社区的上墙清单",
            posters[0].community,
            posters.len()
        )
    };
    let pages = composer.pages;
    let faces = composer.typesetter.into_faces()?;
    Ok(LaidOutDocument {
        title,
        pages,
        faces,
    })
}

struct PosterComposer<'f> {
    typesetter: Typesetter<'f>,
    width: f32,
    height: f32,
    area: BoxPt,
    scale: f32,
    pages: Vec<LaidOutPage>,
    y: f32,
    /// Lines of the current poster's footer (the page count takes one when there is none).
    footer_lines: usize,
    /// Entry type size of the poster being set, in A3 points (before the paper's scale).
    entry_size: f32,
    /// Fraction of a sheet's room (below the sheet's header) that entries may fill: under 1
    /// while a poster's sheets are being evened out.
    fill_limit: f32,
    /// Where the current sheet's room starts, under its header rule.
    sheet_top: f32,
}

/// How one poster came out: its sheets and how full the last one is.
#[derive(Debug, Clone, Copy)]
struct PosterFit {
    sheets: usize,
    last_fill: f32,
}

/// One line of an entry: of its name, or of its columns (smaller type).
#[derive(Debug, Clone)]
struct EntryLine {
    line: SetLine,
    detail: bool,
}

/// A numbered entry, wrapped for its column, possibly the rest of one split across sheets.
#[derive(Debug, Clone)]
struct SetEntry {
    /// "12." and its offset in the label slot (right-aligned, so the dots line up).
    label: Option<(String, f32)>,
    lines: Vec<EntryLine>,
}

/// The entries of one section set for a column width, with the width of their label slot.
struct SetEntries {
    label_slot: f32,
    entries: Vec<SetEntry>,
}

impl<'f> PosterComposer<'f> {
    fn s(&self, size: f32) -> f32 {
        size * self.scale
    }

    fn footer_height(&self) -> f32 {
        self.s(FOOTER_SIZE) * (1.4 * self.footer_lines as f32 + 0.6)
    }

    fn content_bottom(&self) -> f32 {
        let bottom = self.area.bottom - self.footer_height();
        bottom - (1.0 - self.fill_limit) * (bottom - self.area.top)
    }

    fn remaining(&self) -> f32 {
        self.content_bottom() - self.y
    }

    fn entry_pitch(&self) -> f32 {
        self.s(self.entry_size) * ENTRY_PITCH_EM
    }

    fn detail_size(&self) -> f32 {
        self.s(self.entry_size) * DETAIL_EM
    }

    fn detail_pitch(&self) -> f32 {
        self.detail_size() * DETAIL_PITCH_EM
    }

    fn entry_gap(&self) -> f32 {
        self.s(self.entry_size) * ENTRY_GAP_EM
    }

    fn line_pitch(&self, line: &EntryLine) -> f32 {
        if line.detail {
            self.detail_pitch()
        } else {
            self.entry_pitch()
        }
    }

    fn lines_height(&self, lines: &[EntryLine]) -> f32 {
        if lines.is_empty() {
            return self.entry_pitch();
        }
        lines.iter().map(|line| self.line_pitch(line)).sum()
    }

    fn entry_height(&self, entry: &SetEntry) -> f32 {
        self.lines_height(&entry.lines) + self.entry_gap()
    }

    fn place(&mut self, style: &LineStyle, text: &str, x: f32, baseline: f32) {
        let last = self.pages.len().saturating_sub(1);
        if let Some(page) = self.pages.get_mut(last) {
            place_line(page, &mut self.typesetter, style, text, x, baseline);
        }
    }

    /// Centred lines of one style, broken between words in balanced lines like a notice's
    /// title (`break_title`); `names` (the community and street) stay whole.
    fn centred_block(&mut self, text: &str, style: &LineStyle, pitch: f32, names: &[&str]) {
        let cleaned = self.typesetter.clean(style.role, text, true, text);
        let width = self.area.width();
        let typesetter = &mut self.typesetter;
        let lines: Vec<SetLine> = break_title(&cleaned, width, style.size, names, |c| {
            typesetter.advance_em(style.role, c) * style.size
        })
        .into_iter()
        .map(|slice| SetLine {
            text: cleaned[slice.start..slice.end].to_owned(),
            width: slice.width,
        })
        .collect();
        for line in lines {
            let x = aligned_x(Align::Center, self.area.left, self.area.right, line.width);
            let baseline = baseline_in(self.y, pitch, style.size);
            self.place(style, &line.text, x, baseline);
            self.y += pitch;
        }
    }

    fn new_sheet(&mut self, poster: &CommunityPoster, continued: bool) {
        let number = match self.pages.last() {
            Some(page) if continued => page.number + 1,
            _ => 1,
        };
        self.pages
            .push(LaidOutPage::new(self.width, self.height, self.area, number));
        self.y = self.area.top;
        let area = self.area;
        if continued {
            let size = self.s(CONTINUED_TITLE_SIZE);
            let style = LineStyle::new(FontRole::Title, size, TextKind::PosterTitle).ink(Ink::Red);
            let title = format!("{}（续）", poster.title.trim());
            self.centred_block(&title, &style, size * 1.4, &poster_names(poster));
        } else {
            let size = self.s(STREET_SIZE);
            let place = [poster.street.trim(), poster.community.trim()]
                .iter()
                .filter(|part| !part.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · ");
            if !place.is_empty() {
                let style = LineStyle::new(FontRole::Body, size, TextKind::PosterStreet);
                self.centred_block(&place, &style, size * 1.5, &poster_names(poster));
            }
            let size = self.s(TITLE_SIZE);
            let style = LineStyle::new(FontRole::Title, size, TextKind::PosterTitle).ink(Ink::Red);
            self.centred_block(&poster.title, &style, size * 1.35, &poster_names(poster));
            let contact = contact_line(poster);
            if !contact.is_empty() {
                let size = self.s(CONTACT_SIZE);
                let style = LineStyle::new(FontRole::Heading, size, TextKind::PosterContact);
                self.y += size * 0.3;
                self.centred_block(&contact, &style, size * 1.5, &[]);
            }
        }
        let y = self.y + self.s(8.0);
        let thickness = self.s(2.0);
        if let Some(page) = self.pages.last_mut() {
            page.rules.push(Rule {
                from: (area.left, y),
                to: (area.right, y),
                thickness,
                ink: Ink::Red,
            });
        }
        self.y = y + self.s(18.0);
        self.sheet_top = self.y;
    }

    fn section_heading(&mut self, heading: &str, continued: bool) {
        let size = self.s(SECTION_SIZE);
        let height = size * 1.6;
        let text = if continued {
            format!("{}（续）", heading.trim())
        } else {
            heading.trim().to_owned()
        };
        let cleaned = self.typesetter.clean(FontRole::Heading, &text, true, &text);
        let top = self.y;
        let area = self.area;
        if let Some(page) = self.pages.last_mut() {
            page.bands.push(Band {
                area: BoxPt::new(area.left, top, area.right, top + height),
                ink: Ink::Shade,
            });
        }
        let style = LineStyle::new(FontRole::Heading, size, TextKind::PosterSectionHeading);
        let inner_left = area.left + size * 0.5;
        let inner_width = area.width() - size;
        // A heading longer than the sheet is shrunk onto one line rather than wrapped out of
        // its band.
        let width = self.typesetter.width_em(FontRole::Heading, &cleaned) * size;
        let size = if width > inner_width {
            size * inner_width / width
        } else {
            size
        };
        let style = LineStyle { size, ..style };
        let baseline = baseline_in(top, height, size);
        self.place(&style, &cleaned, inner_left, baseline);
        self.y = top + height + self.s(10.0);
    }

    fn set_entries(&mut self, entries: &[PosterEntry], column_width: f32) -> SetEntries {
        let size = self.s(self.entry_size);
        let detail_size = self.detail_size();
        // Digits may be proportional: the slot is as wide as the widest label.
        let label_width = (1..=entries.len())
            .map(|number| {
                self.typesetter
                    .width_em(FontRole::Body, &format!("{number}."))
                    * size
            })
            .fold(0.0f32, f32::max);
        let label_slot = label_width + size * 0.4;
        let inner = column_width - label_slot;
        let entries = entries
            .iter()
            .enumerate()
            .map(|(index, entry)| {
                let text = match entry.note.as_deref().map(str::trim) {
                    Some(note) if !note.is_empty() => format!("{}（{}）", entry.name.trim(), note),
                    _ => entry.name.trim().to_owned(),
                };
                let cleaned = self.typesetter.clean(FontRole::Body, &text, false, &text);
                let mut lines: Vec<EntryLine> = wrap(
                    &mut self.typesetter,
                    FontRole::Body,
                    size,
                    &cleaned,
                    inner,
                    inner,
                )
                .into_iter()
                .map(|line| EntryLine {
                    line,
                    detail: false,
                })
                .collect();
                let details = detail_text(entry);
                if !details.is_empty() {
                    let cleaned = self
                        .typesetter
                        .clean(FontRole::Body, &details, false, &details);
                    lines.extend(
                        wrap(
                            &mut self.typesetter,
                            FontRole::Body,
                            detail_size,
                            &cleaned,
                            inner,
                            inner,
                        )
                        .into_iter()
                        .map(|line| EntryLine { line, detail: true }),
                    );
                }
                let label = format!("{}.", index + 1);
                let width = self.typesetter.width_em(FontRole::Body, &label) * size;
                SetEntry {
                    label: Some((label, label_width - width)),
                    lines,
                }
            })
            .collect();
        SetEntries {
            label_slot,
            entries,
        }
    }

    fn place_entry(&mut self, entry: &SetEntry, left: f32, top: f32, label_slot: f32) {
        let size = self.s(self.entry_size);
        let pitch = self.entry_pitch();
        let style = LineStyle::new(FontRole::Body, size, TextKind::PosterEntry);
        // The columns under the name: smaller text of their own kind (one list item with the
        // name when the PDF is tagged).
        let detail_style =
            LineStyle::new(FontRole::Body, self.detail_size(), TextKind::PosterEntryDetail);
        if let Some((label, offset)) = &entry.label {
            let label_style = LineStyle::new(FontRole::Body, size, TextKind::PosterEntryNumber);
            self.place(&label_style, label, left + offset, baseline_in(top, pitch, size));
        }
        let mut y = top;
        for line in &entry.lines {
            let (style, pitch) = if line.detail {
                (&detail_style, self.detail_pitch())
            } else {
                (&style, pitch)
            };
            let baseline = baseline_in(y, pitch, style.size);
            self.place(style, &line.line.text, left + label_slot, baseline);
            y += pitch;
        }
    }

    fn footer_width(&mut self) -> f32 {
        let size = self.s(FOOTER_SIZE);
        let label = self
            .typesetter
            .width_em(FontRole::Body, "第 88 页 共 88 页")
            * size;
        (self.area.width() - label - size).max(size)
    }

    /// Sets one poster, smaller (within the readable range) or evened out when its last sheet
    /// would be nearly empty.
    fn poster(&mut self, poster: &CommunityPoster) {
        let start = self.pages.len();
        self.entry_size = ENTRY_SIZE;
        self.fill_limit = 1.0;
        let first = self.lay_out_poster(poster);
        if first.sheets < 2 || first.last_fill >= NEARLY_EMPTY_FILL {
            self.footers(poster);
            return;
        }
        // Smaller type, the largest size that saves a sheet.
        let mut fit = first;
        let mut size = ENTRY_SIZE - ENTRY_SIZE_STEP;
        let mut smaller = None;
        while size >= MIN_ENTRY_SIZE - 0.01 {
            self.pages.truncate(start);
            self.entry_size = size;
            let tried = self.lay_out_poster(poster);
            if tried.sheets < first.sheets {
                smaller = Some((size, tried));
                break;
            }
            size -= ENTRY_SIZE_STEP;
        }
        match smaller {
            Some((size, tried)) => {
                self.entry_size = size;
                fit = tried;
            }
            None => self.entry_size = ENTRY_SIZE,
        }
        // Without a smaller size the first layout's last sheet is nearly empty: even it out.
        if fit.sheets >= 2 && fit.last_fill < NEARLY_EMPTY_FILL {
            self.even_out(poster, start, fit.sheets);
        }
        self.footers(poster);
    }

    /// Lays the poster out again with the least room per sheet that still needs no more
    /// than `sheets` sheets, so that its entries spread evenly over them.
    fn even_out(&mut self, poster: &CommunityPoster, start: usize, sheets: usize) {
        let (mut low, mut high) = (0.4f32, 1.0f32);
        for _ in 0..8 {
            let middle = (low + high) / 2.0;
            self.pages.truncate(start);
            self.fill_limit = middle;
            if self.lay_out_poster(poster).sheets > sheets {
                low = middle;
            } else {
                high = middle;
            }
        }
        self.pages.truncate(start);
        self.fill_limit = high;
        self.lay_out_poster(poster);
        self.fill_limit = 1.0;
    }

    /// One layout of the poster at the current type size and fill limit, without footers.
    fn lay_out_poster(&mut self, poster: &CommunityPoster) -> PosterFit {
        self.footer_lines = match poster.footer.as_deref() {
            Some(footer) => {
                let size = self.s(FOOTER_SIZE);
                let width = self.footer_width();
                let cleaned = self.typesetter.clean(FontRole::Body, footer, true, footer);
                wrap(
                    &mut self.typesetter,
                    FontRole::Body,
                    size,
                    &cleaned,
                    width,
                    width,
                )
                .len()
                .max(1)
            }
            None => 1,
        };
        self.new_sheet(poster, false);
        let area = self.area;
        let gap = self.s(self.entry_size) * COLUMN_GAP_EM;
        let half = (area.width() - gap) / 2.0;
        for section in &poster.sections {
            // Two columns when nearly every entry fits on two lines of a half column.
            let two_up = {
                let entries = self.set_entries(&section.entries, half).entries;
                let short = entries
                    .iter()
                    .filter(|entry| {
                        let details = entry.lines.iter().filter(|line| line.detail).count();
                        entry.lines.len() - details <= 2 && details <= 2
                    })
                    .count();
                entries.len() > 3 && short * 10 >= entries.len() * 9
            };
            let column_width = if two_up { half } else { area.width() };
            let SetEntries {
                label_slot,
                entries: mut pending,
            } = self.set_entries(&section.entries, column_width);
            if pending.is_empty() {
                let size = self.s(self.entry_size);
                let cleaned = "（无）".to_owned();
                let width = self.typesetter.width_em(FontRole::Body, &cleaned) * size;
                pending.push(SetEntry {
                    label: None,
                    lines: vec![EntryLine {
                        line: SetLine {
                            text: cleaned,
                            width,
                        },
                        detail: false,
                    }],
                });
            }
            // Keep the heading with the first entry.
            let heading_height = self.s(SECTION_SIZE) * 1.6 + self.s(10.0);
            if self.remaining()
                < heading_height + self.entry_height(&pending[0]).min(2.0 * self.entry_pitch())
            {
                self.new_sheet(poster, true);
            }
            self.section_heading(&section.heading, false);
            let mut pending: std::collections::VecDeque<SetEntry> = pending.into();
            while !pending.is_empty() {
                let available = self.remaining();
                let columns = if two_up { 2 } else { 1 };
                let heights: Vec<f32> = pending
                    .iter()
                    .map(|entry| self.entry_height(entry))
                    .collect();
                // Fill column by column: how many entries fit on this sheet.
                let mut taken = 0usize;
                let mut column_breaks = Vec::new();
                for _ in 0..columns {
                    let mut used = 0.0;
                    while taken < heights.len() && used + heights[taken] <= available + 0.01 {
                        used += heights[taken];
                        taken += 1;
                    }
                    column_breaks.push(taken);
                }
                if taken == 0 {
                    let at_top = self.at_content_top();
                    if at_top {
                        // One entry taller than a sheet: split its lines.
                        let room = available - self.entry_gap();
                        let lines_fit = pending.front().map_or(1, |first| {
                            let mut used = 0.0;
                            let mut count = 0;
                            for line in &first.lines {
                                used += self.line_pitch(line);
                                if used > room + 0.01 {
                                    break;
                                }
                                count += 1;
                            }
                            count.max(1)
                        });
                        if let Some(first) = pending.front_mut() {
                            let rest = first.lines.split_off(lines_fit.min(first.lines.len()));
                            let head = first.clone();
                            first.lines = rest;
                            first.label = None;
                            let top = self.y;
                            self.place_entry(&head, area.left, top, label_slot);
                            self.y = top + self.entry_height(&head);
                        }
                    }
                    self.new_sheet(poster, true);
                    self.section_heading(&section.heading, true);
                    continue;
                }
                // When everything left fits, balance the columns instead of filling the first.
                let split = if columns == 2 && taken == heights.len() {
                    balanced_split(&heights[..taken])
                } else {
                    column_breaks[0]
                };
                let top = self.y;
                let mut bottom = top;
                let chunk: Vec<SetEntry> = pending.drain(..taken).collect();
                for (column, range) in [(0usize, 0..split), (1usize, split..taken)] {
                    let left = area.left + column as f32 * (half + gap);
                    let mut y = top;
                    for entry in &chunk[range] {
                        self.place_entry(entry, left, y, label_slot);
                        y += self.entry_height(entry);
                    }
                    bottom = bottom.max(y);
                }
                self.y = bottom;
                if !pending.is_empty() {
                    self.new_sheet(poster, true);
                    self.section_heading(&section.heading, true);
                }
            }
            self.y += self.s(12.0);
        }
        let first_sheet = self
            .pages
            .iter()
            .rposition(|page| page.number == 1)
            .unwrap_or(0);
        // The room of a sheet, not the limited one: evening out is judged by the whole sheet.
        let bottom = self.area.bottom - self.footer_height();
        let room = (bottom - self.sheet_top).max(1.0);
        PosterFit {
            sheets: self.pages.len() - first_sheet,
            last_fill: ((self.y - self.s(12.0) - self.sheet_top) / room).clamp(0.0, 1.0),
        }
    }

    fn at_content_top(&self) -> bool {
        // After a sheet's header and a section heading nothing else is on the sheet when the
        // only runs below the rule are the heading's.
        self.pages.last().is_some_and(|page| {
            !page
                .runs
                .iter()
                .any(|run| run.kind == TextKind::PosterEntryNumber)
        })
    }

    /// The footer line and "第 N 页 共 M 页" on every sheet of the poster just laid out.
    fn footers(&mut self, poster: &CommunityPoster) {
        let size = self.s(FOOTER_SIZE);
        let area = self.area;
        let first_sheet = self
            .pages
            .iter()
            .rposition(|page| page.number == 1)
            .unwrap_or(0);
        let total = self.pages.len() - first_sheet;
        let footer = poster
            .footer
            .as_deref()
            .map(|footer| self.typesetter.clean(FontRole::Body, footer, true, footer));
        let baseline = baseline_in(area.bottom - size * 1.4, size * 1.4, size);
        let footer_width = self.footer_width();
        for index in first_sheet..self.pages.len() {
            let number = self.pages[index].number;
            let label = format!("第 {number} 页 共 {total} 页");
            let width = self.typesetter.width_em(FontRole::Body, &label) * size;
            let style = LineStyle::new(FontRole::Body, size, TextKind::PosterFooter);
            let x = area.right - width;
            let page = &mut self.pages[index];
            place_line(page, &mut self.typesetter, &style, &label, x, baseline);
            if let Some(footer) = footer.as_deref() {
                // A footer too long for its line grows upwards, into the footer band's room.
                let lines = wrap(
                    &mut self.typesetter,
                    FontRole::Body,
                    size,
                    footer,
                    footer_width,
                    footer_width,
                );
                let count = lines.len();
                for (line_index, line) in lines.into_iter().enumerate() {
                    let up = (count - 1 - line_index) as f32 * size * 1.4;
                    place_line(
                        page,
                        &mut self.typesetter,
                        &style,
                        &line.text,
                        area.left,
                        baseline - up,
                    );
                }
            }
        }
    }
}

/// The chosen columns of an entry on one run of text: "承办机构：社区居委会　实施依据：…";
/// a column without a value is left out.
/// The names a poster's title lines keep whole: its community and street.
fn poster_names(poster: &CommunityPoster) -> Vec<&str> {
    [poster.community.trim(), poster.street.trim()]
        .into_iter()
        .filter(|name| !name.is_empty())
        .collect()
}

fn detail_text(entry: &PosterEntry) -> String {
    entry
        .details
        .iter()
        .filter(|detail| !detail.text.trim().is_empty())
        .map(|detail| format!("{}：{}", detail.label.trim(), detail.text.trim()))
        .collect::<Vec<_>>()
        .join("　")
}

fn contact_line(poster: &CommunityPoster) -> String {
    let mut parts = Vec::new();
    if let Some(person) = poster.responsible_person.as_deref().map(str::trim) {
        if !person.is_empty() {
            parts.push(format!("负责人：{person}"));
        }
    }
    if let Some(phone) = poster.contact_phone.as_deref().map(str::trim) {
        if !phone.is_empty() {
            parts.push(format!("联系电话：{phone}"));
        }
    }
    parts.join("　　")
}

/// The split point of `heights` into two columns whose taller one is as short as possible.
fn balanced_split(heights: &[f32]) -> usize {
    let total: f32 = heights.iter().sum();
    let mut best = (f32::MAX, heights.len());
    let mut left = 0.0f32;
    for split in 0..=heights.len() {
        let taller = left.max(total - left);
        // On a tie the left column takes the extra entry, as a reader expects.
        if taller <= best.0 + 0.01 {
            best = (taller, split);
        }
        if split < heights.len() {
            left += heights[split];
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_balanced() {
        assert_eq!(balanced_split(&[1.0, 1.0, 1.0, 1.0]), 2);
        assert_eq!(balanced_split(&[1.0, 1.0, 1.0]), 2);
        assert_eq!(balanced_split(&[3.0, 1.0, 1.0, 1.0]), 1);
        assert_eq!(balanced_split(&[]), 0);
    }

    #[test]
    fn contact_line_skips_what_is_missing() {
        let poster = CommunityPoster {
            community: "春华社区".into(),
            street: "东湖街道".into(),
            title: "春华社区工作事项准入清单".into(),
            contact_phone: Some("0571-88886666".into()),
            responsible_person: None,
            sections: Vec::new(),
            footer: None,
        };
        assert_eq!(contact_line(&poster), "联系电话：0571-88886666");
    }
}
