//! Fixtures built at test time (so that they are readable in the source), and helpers.
#![allow(dead_code, clippy::unwrap_used)]

pub mod hostile;

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook};

/// Write a sheet of rows (None = empty cell) into an xlsx at `path`; merges are
/// (first_row, first_col, last_row, last_col) with the text of the top-left cell.
pub struct SheetSpec<'a> {
    pub name: &'a str,
    pub rows: Vec<Vec<Option<&'a str>>>,
    pub merges: Vec<(u32, u16, u32, u16)>,
}

pub fn write_xlsx(path: &Path, sheets: &[SheetSpec<'_>]) {
    let mut book = Workbook::new();
    let plain = Format::new();
    for spec in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(spec.name).expect("sheet name");
        for (r, row) in spec.rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                if let Some(v) = value {
                    sheet.write_string(r as u32, c as u16, *v).expect("write");
                }
            }
        }
        for &(r0, c0, r1, c1) in &spec.merges {
            let text = spec
                .rows
                .get(r0 as usize)
                .and_then(|r| r.get(c0 as usize))
                .copied()
                .flatten()
                .unwrap_or("");
            sheet
                .merge_range(r0, c0, r1, c1, text, &plain)
                .expect("merge");
        }
    }
    book.save(path).expect("save xlsx");
}

/// A minimal xlsx written part by part, with a sheet XML given verbatim.
pub fn raw_xlsx(sheet_xml: &str, shared_strings: Option<&str>) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut part = |name: &str, text: &str| {
            zip.start_file(name, opts).expect("start");
            zip.write_all(text.as_bytes()).expect("write");
        };
        part(
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        );
        part(
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        );
        part(
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        );
        let rels = if shared_strings.is_some() {
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
        } else {
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
        };
        part("xl/_rels/workbook.xml.rels", rels);
        part("xl/worksheets/sheet1.xml", sheet_xml);
        if let Some(ss) = shared_strings {
            part("xl/sharedStrings.xml", ss);
        }
        zip.finish().expect("finish");
    }
    buf.into_inner()
}

/// A tiny xlsx declaring A1:XFD1048576 with cells in both corners.
pub fn absurd_xlsx() -> Vec<u8> {
    raw_xlsx(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>事项名称</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#,
        None,
    )
}

fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&(data.len() as u16).to_le_bytes());
    out.extend_from_slice(data);
}

/// A tiny BIFF8 .xls whose sheet declares (DIMENSIONS) `rows` × 256 and has cells at A1 and
/// at (`far_row`, `far_col`).
pub fn crafted_xls(declared_rows: u32, far_row: u16, far_col: u16) -> Vec<u8> {
    crafted_xls_with(declared_rows, far_row, far_col, &[])
}

/// [`crafted_xls`] with extra records in the sheet substream.
pub fn crafted_xls_with(
    declared_rows: u32,
    far_row: u16,
    far_col: u16,
    extra: &[(u16, Vec<u8>)],
) -> Vec<u8> {
    let bof = |kind: u16| {
        let mut d = Vec::new();
        d.extend_from_slice(&0x0600u16.to_le_bytes());
        d.extend_from_slice(&kind.to_le_bytes());
        d.extend_from_slice(&[0u8; 12]);
        d
    };
    let name = "Sheet1";
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    let boundsheet_at = globals.len();
    let mut bs = Vec::new();
    bs.extend_from_slice(&0u32.to_le_bytes()); // patched below
    bs.extend_from_slice(&[0, 0]);
    bs.push(name.len() as u8);
    bs.push(0);
    bs.extend_from_slice(name.as_bytes());
    record(&mut globals, 0x0085, &bs);
    record(&mut globals, 0x000A, &[]);
    let sheet_pos = globals.len() as u32;
    globals[boundsheet_at + 4..boundsheet_at + 8].copy_from_slice(&sheet_pos.to_le_bytes());
    let mut sheet = Vec::new();
    record(&mut sheet, 0x0809, &bof(0x0010));
    let mut dims = Vec::new();
    dims.extend_from_slice(&0u32.to_le_bytes());
    dims.extend_from_slice(&declared_rows.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    dims.extend_from_slice(&256u16.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    record(&mut sheet, 0x0200, &dims);
    for (r, c) in [(0u16, 0u16), (far_row, far_col)] {
        let mut num = Vec::new();
        num.extend_from_slice(&r.to_le_bytes());
        num.extend_from_slice(&c.to_le_bytes());
        num.extend_from_slice(&0u16.to_le_bytes());
        num.extend_from_slice(&1.0f64.to_le_bytes());
        record(&mut sheet, 0x0203, &num);
    }
    for (typ, data) in extra {
        record(&mut sheet, *typ, data);
    }
    record(&mut sheet, 0x000A, &[]);
    globals.extend_from_slice(&sheet);
    ole_with_streams(&[("/Workbook", &globals)])
}

/// An OLE compound file with the given streams.
pub fn ole_with_streams(streams: &[(&str, &[u8])]) -> Vec<u8> {
    let mut compound = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("cfb");
    for (name, data) in streams {
        let mut s = compound.create_stream(name).expect("stream");
        s.write_all(data).expect("write");
    }
    compound.flush().expect("flush");
    compound.into_inner().into_inner()
}

/// Where the real published workbooks are: `../shared/real-lists` from the repository root.
/// Missing: a failure under CI (env CI set), a printed note otherwise.
pub fn real_lists() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/real-lists");
    if dir.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("read real-lists")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e != "md"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{} holds no workbook", dir.display());
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "{} is missing: the real-lists tests cannot run under CI without it",
            dir.display()
        );
    }
    eprintln!(
        "note: {} not found; real-lists tests skipped (they fail under CI)",
        dir.display()
    );
    None
}

pub fn workbooks(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["xls", "xlsx", "xlsb", "ods", "csv"].contains(&e))
        })
        .collect();
    files.sort();
    files
}

pub fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}
