//! The logical structure of a laid-out document — what a tagged PDF's structure tree says and
//! the order its text is written in.
//!
//! Readers, search engines and screen readers need each table cell's text as one piece, in
//! reading order (row by row, cell by cell). The layout already places runs in that order; this
//! module groups them into marked-content spans, one per cell part per page, and builds the
//! elements they belong to: `Document > H1 / P / H2 / Table > TR > TH / TD`, and for a poster
//! `L > LI` (a list per heading, an item per entry: number, name and the lines under it). A cell of a row
//! that is split across two pages is one `TD` with a span on each page. The table header that is
//! repeated on each new page, page numbers, rules and shading are artifacts (not read twice).
//!
//! Cells are found from the layout's own record of rows (`RowPlacement`: bounds and column
//! edges), so the notice and poster layouts need not know about tagging.

use std::collections::HashMap;

use crate::layout::{GlyphRun, LaidOutDocument, LaidOutPage, RowPlacement, TextKind};

/// The standard structure type of an element (ISO 32000-1 §14.8.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StructureRole {
    Document,
    /// The title of a notice or poster.
    Title,
    /// A section heading.
    Heading,
    Paragraph,
    Table,
    TableRow,
    HeaderCell,
    DataCell,
    /// A poster's list of entries under one heading.
    List,
    /// One poster entry: its number, name and the lines under it.
    ListItem,
}

impl StructureRole {
    /// The structure type's name in the PDF.
    pub(crate) fn pdf_name(self) -> &'static str {
        match self {
            StructureRole::Document => "Document",
            StructureRole::Title => "H1",
            StructureRole::Heading => "H2",
            StructureRole::Paragraph => "P",
            StructureRole::Table => "Table",
            StructureRole::TableRow => "TR",
            StructureRole::HeaderCell => "TH",
            StructureRole::DataCell => "TD",
            StructureRole::List => "L",
            StructureRole::ListItem => "LI",
        }
    }
}

/// One element of the structure tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StructureElement {
    pub role: StructureRole,
    /// `None` for the document element (its parent is the tree's root).
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// The element's marked content: (page index, marked-content id on that page).
    pub content: Vec<(usize, u32)>,
}

/// A run of consecutive runs (in reading order) written as one marked-content sequence.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MarkedSpan {
    /// Indices into the page's runs, in the order they are written.
    pub runs: Vec<usize>,
    /// The element the span belongs to and its marked-content id; `None` for an artifact.
    pub element: Option<(usize, u32)>,
}

/// What the writer needs for one page.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct PageMarks {
    pub spans: Vec<MarkedSpan>,
    /// The element of each marked-content id of the page, in id order (the page's entry in the
    /// parent tree).
    pub elements_by_mcid: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DocumentStructure {
    /// Element 0 is the document.
    pub elements: Vec<StructureElement>,
    pub pages: Vec<PageMarks>,
}

/// Which piece of the document a run belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpanKey {
    Artifact,
    /// (section, data row or `None` for the header, column)
    Cell(usize, Option<usize>, usize),
    /// Text outside tables; a new key starts a new element.
    Text(TextKind, usize),
    /// The n-th poster entry of the document (its number, name and detail lines).
    Entry(usize),
}

/// Lines of these kinds are one element each (发文机关, then the date); lines of other text
/// kinds that follow one another make one element (a title on two lines, a paragraph).
fn one_element_per_line(kind: TextKind) -> bool {
    matches!(kind, TextKind::Signature)
}

fn is_entry_text(kind: TextKind) -> bool {
    matches!(
        kind,
        TextKind::PosterEntryNumber | TextKind::PosterEntry | TextKind::PosterEntryDetail
    )
}

fn role_of_text(kind: TextKind) -> StructureRole {
    match kind {
        TextKind::Title | TextKind::PosterTitle => StructureRole::Title,
        TextKind::SectionHeading | TextKind::PosterSectionHeading => StructureRole::Heading,
        _ => StructureRole::Paragraph,
    }
}

/// The row placement and column a table run lies in: the middle of its em box is inside the
/// row's bounds and between the column's edges.
fn cell_of(page: &LaidOutPage, run: &GlyphRun) -> Option<(usize, usize)> {
    let bounds = run.bounds();
    let middle_y = (bounds.top + bounds.bottom) / 2.0;
    let start_x = run.x + 0.01;
    let index = page
        .rows
        .iter()
        .position(|row: &RowPlacement| row.bounds.top <= middle_y && middle_y <= row.bounds.bottom)?;
    let edges = &page.rows[index].edges;
    let column = edges
        .windows(2)
        .position(|pair| pair[0] <= start_x && start_x < pair[1])?;
    Some((index, column))
}

struct Builder {
    elements: Vec<StructureElement>,
    tables: HashMap<usize, usize>,
    rows: HashMap<(usize, Option<usize>), usize>,
    cells: HashMap<(usize, Option<usize>, usize), usize>,
    /// Sections whose header has been tagged, with the page it was tagged on.
    headers: HashMap<usize, usize>,
    /// Poster entries met so far, the list they go into (until the next heading) and the
    /// element of each.
    entries: usize,
    list: Option<usize>,
    items: HashMap<usize, usize>,
}

impl Builder {
    fn add(&mut self, role: StructureRole, parent: usize) -> usize {
        let index = self.elements.len();
        self.elements.push(StructureElement {
            role,
            parent: Some(parent),
            children: Vec::new(),
            content: Vec::new(),
        });
        self.elements[parent].children.push(index);
        index
    }

    /// A text element outside tables; it ends the current poster list.
    fn text(&mut self, kind: TextKind) -> usize {
        self.list = None;
        self.add(role_of_text(kind), 0)
    }

    /// The list item of the `entry`-th poster entry, in the current list (a new one after a
    /// heading).
    fn item(&mut self, entry: usize) -> usize {
        if let Some(&item) = self.items.get(&entry) {
            return item;
        }
        let list = match self.list {
            Some(list) => list,
            None => {
                let list = self.add(StructureRole::List, 0);
                self.list = Some(list);
                list
            }
        };
        let item = self.add(StructureRole::ListItem, list);
        self.items.insert(entry, item);
        item
    }

    fn cell(&mut self, section: usize, row: Option<usize>, column: usize) -> usize {
        if let Some(&cell) = self.cells.get(&(section, row, column)) {
            return cell;
        }
        let table = match self.tables.get(&section) {
            Some(&table) => table,
            None => {
                let table = self.add(StructureRole::Table, 0);
                self.tables.insert(section, table);
                table
            }
        };
        let table_row = match self.rows.get(&(section, row)) {
            Some(&table_row) => table_row,
            None => {
                let table_row = self.add(StructureRole::TableRow, table);
                self.rows.insert((section, row), table_row);
                table_row
            }
        };
        let role = if row.is_none() {
            StructureRole::HeaderCell
        } else {
            StructureRole::DataCell
        };
        let cell = self.add(role, table_row);
        self.cells.insert((section, row, column), cell);
        cell
    }

    /// The key of each run of a page, in the page's drawing order.
    fn keys(&mut self, page_index: usize, page: &LaidOutPage) -> Vec<SpanKey> {
        let mut keys = Vec::with_capacity(page.runs.len());
        let mut line = 0usize;
        let mut previous: Option<&GlyphRun> = None;
        for run in &page.runs {
            let new_line = previous.is_none_or(|before| {
                before.kind != run.kind || (before.baseline - run.baseline).abs() > 0.01
            });
            if new_line {
                line += 1;
            }
            let previous_kind_ends_entry = previous.is_none_or(|before| {
                !is_entry_text(before.kind)
                    || (before.kind == TextKind::PosterEntryDetail && run.kind == TextKind::PosterEntry)
            });
            previous = Some(run);
            let key = match run.kind {
                TextKind::PageNumber => SpanKey::Artifact,
                TextKind::TableHeader | TextKind::TableCell => match cell_of(page, run) {
                    Some((placement, column)) => {
                        let placement = &page.rows[placement];
                        let header_page = placement
                            .row
                            .is_none()
                            .then(|| *self.headers.entry(placement.section).or_insert(page_index));
                        match header_page {
                            // The header repeated on a later page is pagination, read once.
                            Some(first) if first != page_index => SpanKey::Artifact,
                            _ => SpanKey::Cell(placement.section, placement.row, column),
                        }
                    }
                    None => SpanKey::Text(run.kind, line),
                },
                TextKind::PosterEntryNumber => {
                    self.entries += 1;
                    SpanKey::Entry(self.entries)
                }
                TextKind::PosterEntry | TextKind::PosterEntryDetail => {
                    // An entry without a number (a numbering left off) still starts one.
                    if self.entries == 0 || previous_kind_ends_entry {
                        self.entries += 1;
                    }
                    SpanKey::Entry(self.entries)
                }
                kind if one_element_per_line(kind) => SpanKey::Text(kind, line),
                // Lines of one kind in a row are one element: keyed by where the kind began.
                kind => SpanKey::Text(kind, 0),
            };
            keys.push(key);
        }
        keys
    }
}

/// The structure of `document` and the marked-content spans of each page.
pub(crate) fn document_structure(document: &LaidOutDocument) -> DocumentStructure {
    let mut builder = Builder {
        elements: vec![StructureElement {
            role: StructureRole::Document,
            parent: None,
            children: Vec::new(),
            content: Vec::new(),
        }],
        tables: HashMap::new(),
        rows: HashMap::new(),
        cells: HashMap::new(),
        headers: HashMap::new(),
        entries: 0,
        list: None,
        items: HashMap::new(),
    };
    let mut pages = Vec::with_capacity(document.pages.len());
    for (page_index, page) in document.pages.iter().enumerate() {
        let keys = builder.keys(page_index, page);
        let mut marks = PageMarks::default();
        let mut open: Option<SpanKey> = None;
        for (index, key) in keys.into_iter().enumerate() {
            if open == Some(key) {
                if let Some(span) = marks.spans.last_mut() {
                    span.runs.push(index);
                    continue;
                }
            }
            open = Some(key);
            let element = match key {
                SpanKey::Artifact => None,
                SpanKey::Cell(section, row, column) => Some(builder.cell(section, row, column)),
                SpanKey::Text(kind, _) => Some(builder.text(kind)),
                SpanKey::Entry(entry) => Some(builder.item(entry)),
            };
            let element = element.map(|element| {
                let mcid = marks.elements_by_mcid.len() as u32;
                marks.elements_by_mcid.push(element);
                builder.elements[element].content.push((page_index, mcid));
                (element, mcid)
            });
            marks.spans.push(MarkedSpan {
                runs: vec![index],
                element,
            });
        }
        pages.push(marks);
    }
    DocumentStructure {
        elements: builder.elements,
        pages,
    }
}
