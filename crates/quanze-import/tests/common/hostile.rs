//! Hostile files that are small on disk and inside every declared limit, but cost a reader
//! unbounded work ("bombs inside the limits", issue 13). Built in memory, to any scale: the
//! tests build them just past a budget, `examples/hostile_files.rs` at the tester's sizes.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{Cursor, Write};

/// A header row every importer run recognizes (事项名称 and two more known fields).
const HEADER: [&str; 3] = ["序号", "事项名称", "权力类型"];

/// Write `unit` `times` times, in chunks, so that a gigabyte never sits in memory.
fn repeat(out: &mut impl Write, unit: &str, times: u64) {
    let per_chunk = (64 * 1024 / unit.len().max(1)).max(1) as u64;
    let chunk = unit.repeat(per_chunk as usize);
    let mut left = times;
    while left >= per_chunk {
        out.write_all(chunk.as_bytes()).unwrap();
        left -= per_chunk;
    }
    out.write_all(unit.repeat(left as usize).as_bytes())
        .unwrap();
}

/// Writes one part's bytes.
type PartWriter<'a> = Box<dyn Fn(&mut dyn Write) + 'a>;
type Part<'a> = (&'a str, PartWriter<'a>);

fn zip_parts(parts: Vec<Part<'_>>) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        for (name, write) in parts {
            zip.start_file(name, opts).unwrap();
            write(&mut zip);
        }
        zip.finish().unwrap();
    }
    buf.into_inner()
}

fn text(s: &'static str) -> PartWriter<'static> {
    Box::new(move |out: &mut dyn Write| out.write_all(s.as_bytes()).unwrap())
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="权责清单" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// The header row as inline strings (row 1).
fn header_row_xml() -> String {
    let cells: String = HEADER
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let col = char::from(b'A' + i as u8);
            format!(r#"<c r="{col}1" t="inlineStr"><is><t>{h}</t></is></c>"#)
        })
        .collect();
    format!(r#"<row r="1">{cells}</row>"#)
}

fn xlsx(sheet: PartWriter<'_>, shared: PartWriter<'_>) -> Vec<u8> {
    zip_parts(vec![
        ("[Content_Types].xml", text(CONTENT_TYPES)),
        ("_rels/.rels", text(ROOT_RELS)),
        ("xl/workbook.xml", text(WORKBOOK)),
        ("xl/_rels/workbook.xml.rels", text(WORKBOOK_RELS)),
        ("xl/worksheets/sheet1.xml", sheet),
        ("xl/sharedStrings.xml", shared),
    ])
}

const SHEET_OPEN: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_CLOSE: &str = "</sheetData></worksheet>";
const SST_OPEN: &str = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

/// An `.xlsx` whose shared-string table holds `strings` one-character strings and declares
/// no `uniqueCount` (so no declared number warns of them); the sheet itself is a header.
pub fn shared_strings_bomb(strings: u64) -> Vec<u8> {
    let sheet = Box::new(|out: &mut dyn Write| {
        write!(out, "{SHEET_OPEN}{}{SHEET_CLOSE}", header_row_xml()).unwrap();
    });
    let shared = Box::new(move |out: &mut dyn Write| {
        out.write_all(SST_OPEN.as_bytes()).unwrap();
        repeat(&mut WriteRef(out), "<si><t>空</t></si>", strings);
        out.write_all(b"</sst>").unwrap();
    });
    xlsx(sheet, shared)
}

/// An `.xlsx` whose sheet is a header row, then one row of `cells` empty `<c r="A2"/>`.
pub fn empty_cells_bomb(cells: u64) -> Vec<u8> {
    let sheet = Box::new(move |out: &mut dyn Write| {
        write!(out, "{SHEET_OPEN}{}<row r=\"2\">", header_row_xml()).unwrap();
        repeat(&mut WriteRef(out), r#"<c r="A2"/>"#, cells);
        write!(out, "</row>{SHEET_CLOSE}").unwrap();
    });
    let shared = text(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>"#,
    );
    xlsx(sheet, shared)
}

/// An `.xlsx` of a header and `rows` data rows, nothing unusual (a control for the budgets).
pub fn plain_xlsx(rows: u32) -> Vec<u8> {
    let sheet = Box::new(move |out: &mut dyn Write| {
        write!(out, "{SHEET_OPEN}{}", header_row_xml()).unwrap();
        for r in 2..rows + 2 {
            write!(
                out,
                r#"<row r="{r}"><c r="A{r}"><v>{}</v></c><c r="B{r}" t="inlineStr"><is><t>第{r}项事项</t></is></c><c r="C{r}" t="inlineStr"><is><t>行政检查</t></is></c></row>"#,
                r - 1
            )
            .unwrap();
        }
        out.write_all(SHEET_CLOSE.as_bytes()).unwrap();
    });
    let shared = text(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>"#,
    );
    xlsx(sheet, shared)
}

/// An `.ods` whose `content.xml` is a header row, then rows of 1,000 empty self-closing cells
/// (which a reader still has to parse) until `cells` cells in all.
pub fn ods_content_bomb(cells: u64) -> Vec<u8> {
    let content = Box::new(move |out: &mut dyn Write| {
        out.write_all(r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="权责清单"><table:table-row>"#.as_bytes()).unwrap();
        for h in HEADER {
            write!(out, r#"<table:table-cell office:value-type="string"><text:p>{h}</text:p></table:table-cell>"#).unwrap();
        }
        out.write_all(b"</table:table-row>").unwrap();
        let row = format!(
            "<table:table-row>{}</table:table-row>",
            "<table:table-cell/>".repeat(1000)
        );
        repeat(&mut WriteRef(out), &row, cells / 1000);
        out.write_all(
            b"</table:table></office:spreadsheet></office:body></office:document-content>",
        )
        .unwrap();
    });
    zip_parts(vec![
        (
            "mimetype",
            text("application/vnd.oasis.opendocument.spreadsheet"),
        ),
        (
            "META-INF/manifest.xml",
            text(
                r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
            ),
        ),
        ("content.xml", content),
    ])
}

/// A CSV of a header and `rows` short data rows.
pub fn csv_rows(rows: u64) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice("序号,事项名称,权力类型\n".as_bytes());
    repeat(&mut out, "1,对违法行为的处罚,行政处罚\n", rows);
    out
}

/// A CSV with an escape character (U+001B) and NULs on line `line` (1-based), enough control
/// bytes that the file no longer looks like plain text to the format sniffer.
pub fn csv_with_control_characters(line: usize) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice("序号,事项名称,权力类型\n".as_bytes());
    for n in 2..line {
        out.extend_from_slice(format!("{n},事项{n},行政许可\n").as_bytes());
    }
    out.extend_from_slice(
        format!("{line},事项\u{1b}[0m{line}\u{1}\u{1}\u{1}\u{1},行政许可\n").as_bytes(),
    );
    out
}

/// `&mut dyn Write` as a sized `Write` (for [`repeat`]).
struct WriteRef<'a>(&'a mut dyn Write);

impl Write for WriteRef<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}
