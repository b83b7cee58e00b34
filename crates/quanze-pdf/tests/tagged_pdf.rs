//! The notice is a tagged PDF whose structure and text order poppler reads back: `pdfinfo
//! -struct-text` shows `Document > H1 … Table > TR > TH/TD` with every cell's whole text in its
//! own element (a row split across pages is still one `TR`, its cells one `TD` each; the header
//! repeated on later pages is an artifact, read once), and `pdftotext -raw` (content order)
//! gives each cell's text in reading order — row by row, cell by cell — instead of one table
//! line across all cells.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod poppler;

use std::process::Command;

use quanze_domain::notice::Notice;
use quanze_pdf::{layout_notice, render_notice, FontSet, PdfOptions};

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn run(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool).args(args).output().unwrap();
    assert!(output.status.success(), "{tool}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// An element of the structure tree as `pdfinfo -struct-text` prints it.
#[derive(Debug, Default)]
struct Element {
    role: String,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn all<'a>(&'a self, role: &str, found: &mut Vec<&'a Element>) {
        if self.role == role {
            found.push(self);
        }
        for child in &self.children {
            child.all(role, found);
        }
    }
}

/// Parses the indented tree: an element per line ("TD", "Table (block)"), its text as quoted
/// lines one level deeper.
fn structure_tree(printed: &str) -> Element {
    let mut stack: Vec<(usize, Element)> = vec![(0, Element::default())];
    for line in printed.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('"') {
            if let Some((_, element)) = stack.last_mut() {
                element.text.push_str(trimmed.trim_matches('"'));
            }
            continue;
        }
        while stack.len() > 1 && stack.last().is_some_and(|(level, _)| *level > indent) {
            let (_, done) = stack.pop().unwrap();
            stack.last_mut().unwrap().1.children.push(done);
        }
        let role = trimmed.split_whitespace().next().unwrap_or("").to_owned();
        stack.push((indent + 1, Element { role, ..Element::default() }));
    }
    while stack.len() > 1 {
        let (_, done) = stack.pop().unwrap();
        stack.last_mut().unwrap().1.children.push(done);
    }
    stack.pop().unwrap().1
}

fn render(notice: &Notice, file: &str) -> Option<String> {
    if !poppler::available("pdfinfo") {
        return None;
    }
    let fonts = FontSet::discover(None).expect("a CJK font is installed");
    let bytes = render_notice(notice, &PdfOptions::new(&fonts)).unwrap();
    let path = poppler::write(&poppler::scratch_dir("tagged"), file, &bytes);
    Some(path.to_str().unwrap().to_owned())
}

#[test]
fn every_cell_is_one_element_of_the_structure_tree_in_row_order() {
    // 40 rows a section over three sections: many pages, rows split across pages.
    let notice = fixtures::three_part_notice(40, 7);
    let Some(pdf) = render(&notice, "three-part.pdf") else {
        return;
    };
    let info = run("pdfinfo", &[&pdf]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    let pages: usize = info
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|count| count.trim().parse().ok())
        .unwrap();
    assert!(pages >= 4, "the fixture spans several pages with repeated headers: {pages}");

    let tree = structure_tree(&run("pdfinfo", &["-struct-text", &pdf]));
    let document = &tree.children[0];
    assert_eq!(document.role, "Document");
    let mut titles = Vec::new();
    document.all("H1", &mut titles);
    assert_eq!(squeeze(&titles[0].text), squeeze(&notice.heading.title));
    let mut tables = Vec::new();
    document.all("Table", &mut tables);
    assert_eq!(tables.len(), notice.sections.len(), "one Table per section");
    for (table, section) in tables.iter().zip(&notice.sections) {
        let rows: Vec<&Element> = table.children.iter().filter(|row| row.role == "TR").collect();
        // The header once (its repeats on later pages are artifacts), then every data row once,
        // split or not.
        assert_eq!(rows.len(), section.rows.len() + 1, "{:?}", section.heading);
        let headers: Vec<String> = rows[0].children.iter().map(|cell| squeeze(&cell.text)).collect();
        let expected: Vec<String> = section.columns.iter().map(|column| squeeze(&column.header)).collect();
        assert_eq!(headers, expected);
        assert!(rows[0].children.iter().all(|cell| cell.role == "TH"));
        for (row, cells) in rows[1..].iter().zip(&section.rows) {
            let texts: Vec<String> = row.children.iter().map(|cell| squeeze(&cell.text)).collect();
            let expected: Vec<String> =
                cells.iter().map(|cell| squeeze(cell)).filter(|cell| !cell.is_empty()).collect();
            assert_eq!(texts, expected, "a row's cells, whole and in order");
            assert!(row.children.iter().all(|cell| cell.role == "TD"));
        }
    }
}

#[test]
fn content_order_reads_cell_by_cell() {
    let notice = fixtures::three_part_notice(20, 3);
    let Some(pdf) = render(&notice, "content-order.pdf") else {
        return;
    };
    let mut raw = squeeze(&run("pdftotext", &["-raw", &pdf, "-"]));
    // What a page break puts between the two parts of a split cell: the page number and the
    // repeated header (one run of text in content order).
    for page in 1..=20 {
        raw = raw.replace(&format!("—{page}—"), "");
    }
    let header: String = notice.sections[0].columns.iter().map(|column| squeeze(&column.header)).collect();
    raw = raw.replace(&header, "");
    let default = squeeze(&run("pdftotext", &[&pdf, "-"]));
    // A row split across pages is read page by page (its first part's cells, the page break,
    // the rest): its cells are checked in the structure tree, not here.
    let fonts = FontSet::discover(None).expect("a CJK font is installed");
    let laid_out = layout_notice(&notice, &PdfOptions::new(&fonts)).unwrap();
    let split: std::collections::HashSet<(usize, usize)> = laid_out
        .pages
        .iter()
        .flat_map(|page| &page.rows)
        .filter(|placement| placement.lines < placement.total_lines)
        .filter_map(|placement| placement.row.map(|row| (placement.section, row)))
        .collect();
    assert!(!split.is_empty(), "the fixture has split rows");
    let mut position = 0usize;
    for (section_index, section) in notice.sections.iter().enumerate() {
        for (row_index, row) in section.rows.iter().enumerate() {
            if split.contains(&(section_index, row_index)) {
                continue;
            }
            // Each cell whole, and the row's cells one after another in the content stream.
            for cell in row.iter().map(|cell| squeeze(cell)).filter(|cell| !cell.is_empty()) {
                let found = raw[position..].find(&cell);
                assert!(found.is_some(), "-raw: {cell:?} not whole after position {position}");
                position += found.unwrap_or(0) + cell.len();
                // poppler's layout analysis keeps the cell's lines together too: the gap between
                // cells is more than the 1 em it joins across.
                assert!(default.contains(&cell), "default: {cell:?} not whole");
            }
        }
    }
}

/// Cells whose text repeats (the same 责任事项 under many items, as in real lists) are drawn
/// from one form XObject each (`repeated_cells.rs`), inside the cell's marked-content sequence:
/// the form is there and used more than once, and the structure tree and `pdftotext -raw` still
/// give every such cell its whole text (the test above checks every cell of this fixture).
#[test]
fn a_repeated_cell_text_is_one_form_drawn_in_every_cell_that_shows_it() {
    let notice = fixtures::three_part_notice(40, 7);
    let Some(pdf) = render(&notice, "repeated-cells.pdf") else {
        return;
    };
    let document = lopdf::Document::load(&pdf).unwrap();
    let mut drawn_from_forms = 0usize;
    let mut forms = std::collections::HashSet::new();
    for (_, page_id) in document.get_pages() {
        let content = document.get_page_content(page_id);
        let operations = lopdf::content::Content::decode(&content).unwrap().operations;
        for operation in operations.iter().filter(|operation| operation.operator == "Do") {
            let name = operation.operands[0].as_name().unwrap();
            if name.starts_with(b"C") {
                drawn_from_forms += 1;
                forms.insert(name.to_vec());
            }
        }
    }
    assert!(!forms.is_empty(), "no cell is drawn from a form");
    assert!(drawn_from_forms > forms.len(), "{drawn_from_forms} cells from {} forms", forms.len());

    // The most repeated 责任事项 (column 4 of each section) reads whole, once per row showing it.
    let mut counts = std::collections::HashMap::new();
    for row in notice.sections.iter().flat_map(|section| &section.rows) {
        *counts.entry(squeeze(&row[4])).or_insert(0usize) += 1;
    }
    let (duty, rows) = counts.into_iter().max_by_key(|(_, count)| *count).unwrap();
    assert!(rows >= 3, "the fixture repeats a 责任事项: {rows}");
    let tree = structure_tree(&run("pdfinfo", &["-struct-text", &pdf]));
    let mut cells = Vec::new();
    tree.all("TD", &mut cells);
    let whole = cells.iter().filter(|cell| squeeze(&cell.text) == duty).count();
    assert_eq!(whole, rows, "TD elements holding {duty:?}");
}

#[test]
fn the_document_says_its_language_and_shows_its_title() {
    let notice = fixtures::three_part_notice(2, 1);
    let Some(pdf) = render(&notice, "language.pdf") else {
        return;
    };
    let document = lopdf::Document::load(&pdf).unwrap();
    let catalog = document.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"zh-CN");
    let mark_info = catalog.get(b"MarkInfo").unwrap().as_dict().unwrap();
    assert!(mark_info.get(b"Marked").unwrap().as_bool().unwrap());
    assert!(catalog.get(b"StructTreeRoot").is_ok());
}

#[test]
fn a_poster_entry_is_one_list_item_with_its_number_name_and_unit() {
    if !poppler::available("pdfinfo") {
        return;
    }
    let poster = fixtures::poster("春华社区", 30, 5);
    let fonts = FontSet::discover(None).expect("a CJK font is installed");
    let bytes = quanze_pdf::render_posters(std::slice::from_ref(&poster), &quanze_pdf::PosterOptions::new(&fonts)).unwrap();
    let path = poppler::write(&poppler::scratch_dir("tagged"), "poster.pdf", &bytes);
    let tree = structure_tree(&run("pdfinfo", &["-struct-text", path.to_str().unwrap()]));
    let mut lists = Vec::new();
    tree.all("L", &mut lists);
    assert!(lists.len() >= poster.sections.len(), "a list per section (and per continued sheet)");
    let mut items = Vec::new();
    tree.all("LI", &mut items);
    let entries: Vec<_> = poster.sections.iter().flat_map(|section| &section.entries).collect();
    assert_eq!(items.len(), entries.len(), "one list item per entry");
    let mut numbers_seen = 0;
    for (item, entry) in items.iter().zip(&entries) {
        let text = squeeze(&item.text);
        assert!(text.contains(&squeeze(&entry.name)), "{text:?} lacks {:?}", entry.name);
        for detail in &entry.details {
            assert!(text.contains(&squeeze(&detail.text)), "{text:?} lacks its unit {:?}", detail.text);
        }
        if text.split('.').next().is_some_and(|number| !number.is_empty() && number.chars().all(|c| c.is_ascii_digit())) {
            numbers_seen += 1;
        }
    }
    assert_eq!(numbers_seen, entries.len(), "each item starts with its number");
}
