//! The bytes of a PDF file (ISO 32000-1 §7.5), for documents of tens of thousands of objects.
//!
//! lopdf's writer puts 100 objects in each object stream and writes an uncompressed
//! cross-reference stream of 7 bytes an object; a tagged 4,000-page notice has some 90,000
//! objects (most of them structure elements), so that alone was 0.6 MB. Here:
//! - every object that is not a stream goes into an object stream of up to
//!   [`OBJECTS_PER_STREAM`] objects, in object-number order (structure elements that follow one
//!   another look alike, and deflate finds that over a longer stream), the object streams
//!   compressed in parallel;
//! - streams (page contents, fonts) are written as they are, already compressed;
//! - the cross-reference stream has the narrowest field widths that hold its values and is
//!   deflated with the PNG "up" predictor (rows that differ by little compress to almost
//!   nothing).

use std::io::Write;

use lopdf::{Dictionary, Document, Object, StringFormat};

use crate::error::PdfError;

/// Objects per object stream. Readers decompress a whole object stream to reach one object in
/// it; a few hundred kilobytes of dictionaries decompress in a millisecond.
pub(crate) const OBJECTS_PER_STREAM: usize = 2000;

/// Whether `object` is written starting with a delimiter (then no space is needed before it).
fn starts_with_delimiter(object: &Object) -> bool {
    matches!(
        object,
        Object::Name(_)
            | Object::String(..)
            | Object::Array(_)
            | Object::Dictionary(_)
            | Object::Stream(_)
    )
}

fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &byte in name {
        // White space, delimiters, '#' and bytes outside '!'..='~' are written as #XX.
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&byte) || !(33..=126).contains(&byte) {
            out.push(b'#');
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xF)]);
        } else {
            out.push(byte);
        }
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn write_string(out: &mut Vec<u8>, text: &[u8], format: &StringFormat) {
    match format {
        StringFormat::Hexadecimal => {
            out.push(b'<');
            for &byte in text {
                out.push(HEX[usize::from(byte >> 4)]);
                out.push(HEX[usize::from(byte & 0xF)]);
            }
            out.push(b'>');
        }
        // Every parenthesis, backslash and carriage return escaped: balanced or not, the
        // string reads back the same.
        StringFormat::Literal => {
            out.push(b'(');
            for &byte in text {
                match byte {
                    b'(' | b')' | b'\\' => {
                        out.push(b'\\');
                        out.push(byte);
                    }
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(byte),
                }
            }
            out.push(b')');
        }
    }
}

/// Appends the PDF syntax of `object` (ISO 32000-1 §7.3). A stream's dictionary must hold its
/// `/Length` already (`lopdf::Stream::new` and `set_content` keep it).
pub(crate) fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(value) => out.extend_from_slice(if *value { b"true" } else { b"false" }),
        Object::Integer(value) => out.extend_from_slice(value.to_string().as_bytes()),
        Object::Real(value) => {
            let mut text = format!("{value}");
            if text.contains('e') || text.contains("inf") || text.contains("NaN") {
                text = "0".to_owned();
            }
            out.extend_from_slice(text.as_bytes());
        }
        Object::Name(name) => write_name(out, name),
        Object::String(text, format) => write_string(out, text, format),
        Object::Array(items) => {
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 && !starts_with_delimiter(item) {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dictionary) => write_dictionary(out, dictionary),
        Object::Stream(stream) => {
            write_dictionary(out, &stream.dict);
            out.extend_from_slice(b"stream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((id, generation)) => {
            out.extend_from_slice(format!("{id} {generation} R").as_bytes());
        }
    }
}

fn write_dictionary(out: &mut Vec<u8>, dictionary: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dictionary {
        write_name(out, key);
        if !starts_with_delimiter(value) {
            out.push(b' ');
        }
        write_object(out, value);
    }
    out.extend_from_slice(b">>");
}

#[derive(Debug, Clone, Copy)]
enum Entry {
    Free,
    /// Written at this byte offset.
    Direct(u64),
    /// The `index`-th object of object stream `stream`.
    Packed { stream: u32, index: u32 },
}

fn failure(error: impl std::fmt::Display) -> PdfError {
    PdfError::Serialize(error.to_string())
}

fn deflate(bytes: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(bytes.len() / 4),
        flate2::Compression::new(6),
    );
    encoder.write_all(bytes).map_err(failure)?;
    encoder.finish().map_err(failure)
}

/// One object stream's dictionary values and compressed content for `objects`.
fn object_stream(objects: &[(u32, &Object)]) -> Result<(usize, usize, Vec<u8>), PdfError> {
    let mut body = Vec::new();
    let mut header = Vec::new();
    for (id, object) in objects {
        write!(header, "{} {} ", id, body.len()).map_err(failure)?;
        write_object(&mut body, object);
        body.push(b'\n');
    }
    let first = header.len();
    header.extend_from_slice(&body);
    Ok((objects.len(), first, deflate(&header)?))
}

fn write_indirect(out: &mut Vec<u8>, id: u32, object: &Object) -> Result<(), PdfError> {
    writeln!(out, "{id} 0 obj").map_err(failure)?;
    write_object(out, object);
    out.extend_from_slice(b"\nendobj\n");
    Ok(())
}

/// Bytes needed for `value` (at least one).
fn width_of(value: u64) -> usize {
    let mut width = 1;
    while width < 8 && value >> (8 * width) != 0 {
        width += 1;
    }
    width
}

fn push_field(row: &mut Vec<u8>, value: u64, width: usize) {
    for shift in (0..width).rev() {
        row.push((value >> (8 * shift)) as u8);
    }
}

/// Serializes `document` (its objects and its trailer's `/Root`, `/Info`, `/ID`).
pub(crate) fn serialize(document: &Document) -> Result<Vec<u8>, PdfError> {
    let max_id = document.objects.keys().map(|&(id, _)| id).max().unwrap_or(0);
    let mut packable: Vec<(u32, &Object)> = Vec::new();
    let mut direct: Vec<(u32, &Object)> = Vec::new();
    for (&(id, generation), object) in &document.objects {
        if generation != 0 {
            return Err(failure(format!("对象 {id} 的代号不是 0")));
        }
        match object {
            Object::Stream(_) => direct.push((id, object)),
            _ => packable.push((id, object)),
        }
    }
    packable.sort_by_key(|&(id, _)| id);
    direct.sort_by_key(|&(id, _)| id);

    let chunks: Vec<&[(u32, &Object)]> = packable.chunks(OBJECTS_PER_STREAM).collect();
    let packed = crate::pdf_output::in_parallel(&chunks, |chunk| object_stream(chunk));

    let stream_count = chunks.len() as u32;
    let xref_id = max_id + stream_count + 1;
    let size = xref_id as usize + 1;
    let mut entries = vec![Entry::Free; size];
    let mut out = Vec::new();
    out.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
    for (id, object) in direct {
        entries[id as usize] = Entry::Direct(out.len() as u64);
        write_indirect(&mut out, id, object)?;
    }
    for (index, (chunk, stream)) in chunks.iter().zip(packed).enumerate() {
        let (count, first, content) = stream?;
        let stream_id = max_id + 1 + index as u32;
        for (position, &(id, _)) in chunk.iter().enumerate() {
            entries[id as usize] = Entry::Packed {
                stream: stream_id,
                index: position as u32,
            };
        }
        let mut dictionary = Dictionary::new();
        dictionary.set("Type", Object::Name(b"ObjStm".to_vec()));
        dictionary.set("N", Object::Integer(count as i64));
        dictionary.set("First", Object::Integer(first as i64));
        dictionary.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        let stream = lopdf::Stream::new(dictionary, content);
        entries[stream_id as usize] = Entry::Direct(out.len() as u64);
        write_indirect(&mut out, stream_id, &Object::Stream(stream))?;
    }

    let xref_offset = out.len() as u64;
    entries[xref_id as usize] = Entry::Direct(xref_offset);
    // Field widths: type; offset or object stream number; index in the object stream.
    let (mut second_max, mut third_max) = (0u64, 0u64);
    for entry in &entries {
        match *entry {
            Entry::Free => {}
            Entry::Direct(offset) => second_max = second_max.max(offset),
            Entry::Packed { stream, index } => {
                second_max = second_max.max(u64::from(stream));
                third_max = third_max.max(u64::from(index));
            }
        }
    }
    let widths = [1, width_of(second_max), width_of(third_max)];
    let row_length = widths.iter().sum::<usize>();
    // PNG "up" predictor: each row is a filter byte (2) and its difference from the row above.
    let mut rows = Vec::with_capacity(size * (row_length + 1));
    let mut previous = vec![0u8; row_length];
    let mut row = Vec::with_capacity(row_length);
    for (id, entry) in entries.iter().enumerate() {
        row.clear();
        match *entry {
            Entry::Free => {
                push_field(&mut row, 0, widths[0]);
                push_field(&mut row, 0, widths[1]);
                push_field(&mut row, if id == 0 { 65535 } else { 0 }, widths[2]);
            }
            Entry::Direct(offset) => {
                push_field(&mut row, 1, widths[0]);
                push_field(&mut row, offset, widths[1]);
                push_field(&mut row, 0, widths[2]);
            }
            Entry::Packed { stream, index } => {
                push_field(&mut row, 2, widths[0]);
                push_field(&mut row, u64::from(stream), widths[1]);
                push_field(&mut row, u64::from(index), widths[2]);
            }
        }
        rows.push(2);
        rows.extend(row.iter().zip(&previous).map(|(now, before)| now.wrapping_sub(*before)));
        previous.clone_from(&row);
    }
    let mut trailer = Dictionary::new();
    trailer.set("Type", Object::Name(b"XRef".to_vec()));
    trailer.set("Size", Object::Integer(size as i64));
    trailer.set(
        "W",
        Object::Array(widths.iter().map(|&w| Object::Integer(w as i64)).collect()),
    );
    for key in [&b"Root"[..], b"Info", b"ID"] {
        if let Ok(value) = document.trailer.get(key) {
            trailer.set(key.to_vec(), value.clone());
        }
    }
    trailer.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    let mut parameters = Dictionary::new();
    parameters.set("Predictor", Object::Integer(12));
    parameters.set("Columns", Object::Integer(row_length as i64));
    trailer.set("DecodeParms", Object::Dictionary(parameters));
    let xref = lopdf::Stream::new(trailer, deflate(&rows)?);
    write_indirect(&mut out, xref_id, &Object::Stream(xref))?;
    write!(out, "startxref\n{xref_offset}\n%%EOF\n").map_err(failure)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_widths_are_the_fewest_bytes_that_hold_the_value() {
        assert_eq!(width_of(0), 1);
        assert_eq!(width_of(255), 1);
        assert_eq!(width_of(256), 2);
        assert_eq!(width_of(9_530_856), 3);
        assert_eq!(width_of(16_777_216), 4);
    }

    #[test]
    fn a_document_reads_back_with_every_object() {
        let mut document = Document::with_version("1.7");
        let pages_id = document.new_object_id();
        let mut ids = Vec::new();
        for index in 0..(OBJECTS_PER_STREAM + 5) {
            ids.push(document.add_object(Object::Integer(index as i64)));
        }
        let content = lopdf::Stream::new(Dictionary::new(), b"BT ET".to_vec());
        let content_id = document.add_object(content);
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Parent", Object::Reference(pages_id));
        page.set("Contents", Object::Reference(content_id));
        page.set(
            "MediaBox",
            Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]),
        );
        let page_id = document.add_object(page);
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Kids", Object::Array(vec![Object::Reference(page_id)]));
        pages.set("Count", Object::Integer(1));
        document.objects.insert(pages_id, Object::Dictionary(pages));
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference(pages_id));
        let catalog_id = document.add_object(catalog);
        document.trailer.set("Root", Object::Reference(catalog_id));

        let bytes = serialize(&document).expect("serialize");
        let read = Document::load_mem(&bytes).expect("lopdf reads the file back");
        assert_eq!(read.get_pages().len(), 1);
        for (index, id) in ids.iter().enumerate() {
            assert_eq!(
                read.get_object(*id).and_then(Object::as_i64).ok(),
                Some(index as i64),
                "object {id:?}"
            );
        }
        let page = read.get_pages().values().next().copied().expect("a page");
        // (lopdf ends each content stream it joins with a line feed.)
        assert_eq!(read.get_page_content(page), b"BT ET\n".to_vec());
    }
}
