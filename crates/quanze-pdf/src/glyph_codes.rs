//! Which code printpdf's font subset gives each glyph id.
//!
//! printpdf subsets each face to the glyphs its pages show and renumbers them (and for
//! CID-keyed CFF faces such as Noto CJK, codes are the subset's charset CIDs); the content
//! stream, `/W` and `/ToUnicode` must all use those codes. printpdf does not hand the
//! renumbering out, so it is read back: the first page is given to printpdf with one `ShowText`
//! per face holding every glyph id the document uses, in ascending order; after serialization
//! the codes printpdf wrote for that page, in the same order, are each glyph's code. The page
//! contents are then written by `page_content` (the probe page's included), so the probe is
//! never drawn.

use lopdf::content::Content;
use lopdf::{Document, Object, ObjectId};
use printpdf::{Codepoint, FontId, Op, PdfFontHandle, Pt, TextItem};

use crate::error::PdfError;
use crate::font_encoding::GlyphCode;
use crate::page_content::FaceCodes;

/// The operations of the probe page: for each face that draws anything, its font and every
/// glyph id in `used[face]` (ascending).
pub(crate) fn probe_operations(used: &[Vec<u16>], font_ids: &[FontId]) -> Vec<Op> {
    let mut operations = vec![Op::StartTextSection];
    for (glyphs, font_id) in used.iter().zip(font_ids) {
        if glyphs.is_empty() {
            continue;
        }
        operations.push(Op::SetFont {
            font: PdfFontHandle::External(font_id.clone()),
            size: Pt(10.0),
        });
        let codepoints = glyphs
            .iter()
            .map(|&gid| Codepoint {
                gid,
                offset: 0.0,
                cid: None,
            })
            .collect();
        operations.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(codepoints)],
        });
    }
    operations.push(Op::EndTextSection);
    operations
}

/// The bytes of a text-showing operation's strings, in order (`Tj`, or `TJ` without numbers).
fn shown_bytes(operands: &[Object], into: &mut Vec<u8>) {
    for operand in operands {
        match operand {
            Object::String(bytes, _) => into.extend_from_slice(bytes),
            Object::Array(items) => shown_bytes(items, into),
            _ => {}
        }
    }
}

/// Reads the probe page (`page`) back: for each face, its resource name and the code of each
/// glyph id in `used[face]`.
pub(crate) fn read_probe(
    document: &Document,
    page: ObjectId,
    used: &[Vec<u16>],
) -> Result<Vec<FaceCodes>, PdfError> {
    let failure = |what: &str| PdfError::Serialize(format!("读取字体子集的字形编码失败：{what}"));
    let mut bytes = Vec::new();
    for stream_id in document.get_page_contents(page) {
        let stream = document
            .get_object(stream_id)
            .and_then(Object::as_stream)
            .map_err(|error| failure(&error.to_string()))?;
        let content = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        bytes.extend_from_slice(&content);
        bytes.push(b'\n');
    }
    let content = Content::decode(&bytes).map_err(|error| failure(&error.to_string()))?;
    // (resource name, codes shown) per Tf in order.
    let mut shown: Vec<(String, Vec<u8>)> = Vec::new();
    for operation in &content.operations {
        match operation.operator.as_str() {
            "Tf" => {
                let name = operation
                    .operands
                    .first()
                    .and_then(|operand| operand.as_name().ok())
                    .ok_or_else(|| failure("Tf 没有字体名"))?;
                shown.push((String::from_utf8_lossy(name).into_owned(), Vec::new()));
            }
            "Tj" | "TJ" => {
                let (_, codes) = shown.last_mut().ok_or_else(|| failure("Tf 之前出现文字"))?;
                shown_bytes(&operation.operands, codes);
            }
            _ => {}
        }
    }
    let mut shown = shown.into_iter();
    let mut faces = Vec::with_capacity(used.len());
    for glyphs in used {
        if glyphs.is_empty() {
            faces.push(FaceCodes::default());
            continue;
        }
        let (resource_name, bytes) = shown.next().ok_or_else(|| failure("字体数不符"))?;
        if bytes.len() != glyphs.len() * 2 {
            return Err(failure(&format!(
                "{resource_name} 有 {} 个字形，写出 {} 字节",
                glyphs.len(),
                bytes.len()
            )));
        }
        let size = glyphs.iter().copied().max().map_or(0, usize::from) + 1;
        let mut codes = vec![None; size];
        for (&gid, pair) in glyphs.iter().zip(bytes.chunks_exact(2)) {
            codes[usize::from(gid)] = Some(GlyphCode {
                value: u16::from_be_bytes([pair[0], pair[1]]),
                bytes: 2,
            });
        }
        faces.push(FaceCodes {
            resource_name,
            codes,
        });
    }
    Ok(faces)
}
