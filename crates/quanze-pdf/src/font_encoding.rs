//! One-byte codes for the glyphs a document uses most.
//!
//! printpdf writes each face with the `Identity-H` encoding: two bytes (four hex digits) a
//! glyph, whatever the glyph. A notice's text uses a few hundred characters, and the most
//! frequent 224 are over nine tenths of it; each page's content is compressed on its own, so
//! deflate sees one page of text at a time and cannot learn that. Each face gets instead an
//! embedded CMap (ISO 32000-1 §9.7.5) with two code spaces: one byte `<00>`–`<DF>` for its most
//! used glyphs, in order of use, and two bytes from `<E000>` for the rest; `/ToUnicode` is
//! rewritten for the same codes. Widths (`/W`) are by CID and do not change. On the 5,000-row
//! benchmark this took a fifth off the page contents.

use std::fmt::Write as _;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use crate::error::PdfError;
use crate::layout::LaidOutDocument;

/// The code a glyph is written with: `value` in `bytes` bytes (1 or 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GlyphCode {
    pub value: u16,
    pub bytes: u8,
}

/// The glyphs of one face in the order of the codes they get: the most used first.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FaceEncoding {
    /// The code of each glyph id (`codes[gid]`).
    pub codes: Vec<Option<GlyphCode>>,
    /// (code, CID, character) for every glyph, in code order.
    entries: Vec<(GlyphCode, u16, char)>,
    /// The one-byte codes run from 0 to `single_codes - 1`; two-byte codes start at
    /// `single_codes << 8`.
    single_codes: u16,
}

/// How many one-byte codes a face of `glyphs` glyphs gets: as many as leave enough lead bytes
/// for the two-byte codes of the rest (224 for up to 8,416 glyphs).
fn single_code_count(glyphs: usize) -> u16 {
    let mut single = 224u16;
    while single > 0 && usize::from(single) + usize::from(256 - single) * 256 < glyphs {
        single -= 16;
    }
    single
}

/// Codes for the glyphs of face `face`, most used first. `cids[gid]` is each glyph's CID (the
/// code printpdf's `Identity-H` used) and `characters[gid]` its character.
pub(crate) fn encode_face(
    document: &LaidOutDocument,
    face: usize,
    cids: &[Option<u16>],
    characters: &[Option<char>],
) -> FaceEncoding {
    let mut uses = vec![0u64; cids.len()];
    for page in &document.pages {
        for run in page.runs.iter().filter(|run| run.face == face) {
            for &gid in &run.glyphs {
                if let Some(count) = uses.get_mut(usize::from(gid)) {
                    *count += 1;
                }
            }
        }
    }
    let mut glyphs: Vec<usize> = (0..cids.len()).filter(|&gid| cids[gid].is_some()).collect();
    // Most used first; ties by glyph id, so that the same document gives the same codes.
    glyphs.sort_by(|&a, &b| uses[b].cmp(&uses[a]).then(a.cmp(&b)));
    let single_codes = single_code_count(glyphs.len());
    let mut codes = vec![None; cids.len()];
    let mut entries = Vec::with_capacity(glyphs.len());
    for (rank, &gid) in glyphs.iter().enumerate() {
        let code = if rank < usize::from(single_codes) {
            GlyphCode {
                value: rank as u16,
                bytes: 1,
            }
        } else {
            GlyphCode {
                value: ((single_codes as usize) << 8).saturating_add(rank - usize::from(single_codes)) as u16,
                bytes: 2,
            }
        };
        codes[gid] = Some(code);
        let cid = cids[gid].unwrap_or(0);
        let character = characters.get(gid).copied().flatten().unwrap_or('\u{FFFD}');
        entries.push((code, cid, character));
    }
    FaceEncoding {
        codes,
        entries,
        single_codes,
    }
}

fn hex_code(code: GlyphCode) -> String {
    if code.bytes == 1 {
        format!("<{:02X}>", code.value)
    } else {
        format!("<{:04X}>", code.value)
    }
}

fn codespace(encoding: &FaceEncoding) -> String {
    let mut ranges = Vec::new();
    if encoding.single_codes > 0 {
        ranges.push(format!("<00> <{:02X}>", encoding.single_codes - 1));
    }
    if encoding.single_codes < 256 {
        ranges.push(format!("<{:02X}00> <FFFF>", encoding.single_codes));
    }
    format!(
        "{} begincodespacerange\n{}\nendcodespacerange\n",
        ranges.len(),
        ranges.join("\n")
    )
}

/// Entries in blocks of at most 100, as a CMap allows.
fn blocks(lines: &[String], begin: &str, end: &str) -> String {
    let mut text = String::new();
    for block in lines.chunks(100) {
        let _ = writeln!(text, "{} {begin}", block.len());
        for line in block {
            text.push_str(line);
            text.push('\n');
        }
        let _ = writeln!(text, "{end}");
    }
    text
}

fn cmap_program(name: &str, system_info: &str, body: &str) -> Vec<u8> {
    format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo {system_info} def\n/CMapName /{name} def\n/CMapType 1 def\n\
         {body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    .into_bytes()
}

/// The encoding CMap: each code to its glyph's CID.
fn encoding_cmap(encoding: &FaceEncoding, name: &str) -> Vec<u8> {
    let lines: Vec<String> = encoding
        .entries
        .iter()
        .map(|&(code, cid, _)| format!("{} {cid}", hex_code(code)))
        .collect();
    let body = codespace(encoding) + &blocks(&lines, "begincidchar", "endcidchar");
    cmap_program(
        name,
        "<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>",
        &body,
    )
}

/// The `/ToUnicode` CMap: each code to its character (UTF-16BE).
fn to_unicode_cmap(encoding: &FaceEncoding, name: &str) -> Vec<u8> {
    let lines: Vec<String> = encoding
        .entries
        .iter()
        .map(|&(code, _, character)| {
            let mut units = [0u16; 2];
            let utf16: String = character
                .encode_utf16(&mut units)
                .iter()
                .map(|unit| format!("{unit:04X}"))
                .collect();
            format!("{} <{utf16}>", hex_code(code))
        })
        .collect();
    let body = codespace(encoding) + &blocks(&lines, "beginbfchar", "endbfchar");
    cmap_program(
        &format!("{name}-UCS"),
        "<< /Registry (Adobe) /Ordering (UCS) /Supplement 0 >>",
        &body,
    )
}

/// Puts `encoding` on the Type0 font `font` (its `/Encoding` and `/ToUnicode`); `name` names
/// the CMap. The `/ToUnicode` printpdf wrote is removed.
pub(crate) fn install_encoding(
    document: &mut Document,
    font: ObjectId,
    encoding: &FaceEncoding,
    name: &str,
) -> Result<(), PdfError> {
    let system_info = {
        let mut info = Dictionary::new();
        info.set("Registry", Object::string_literal("Adobe"));
        info.set("Ordering", Object::string_literal("Identity"));
        info.set("Supplement", Object::Integer(0));
        info
    };
    let mut cmap_dictionary = Dictionary::new();
    cmap_dictionary.set("Type", Object::Name(b"CMap".to_vec()));
    cmap_dictionary.set("CMapName", Object::Name(name.as_bytes().to_vec()));
    cmap_dictionary.set("CIDSystemInfo", Object::Dictionary(system_info));
    let cmap_id = document.add_object(Stream::new(cmap_dictionary, encoding_cmap(encoding, name)));
    let to_unicode_id = document.add_object(Stream::new(
        Dictionary::new(),
        to_unicode_cmap(encoding, name),
    ));
    let font_dictionary = document
        .get_dictionary_mut(font)
        .map_err(|error| PdfError::Serialize(format!("字体对象缺失：{error}")))?;
    let old_to_unicode = font_dictionary
        .get(b"ToUnicode")
        .ok()
        .and_then(|object| object.as_reference().ok());
    font_dictionary.set("Encoding", Object::Reference(cmap_id));
    font_dictionary.set("ToUnicode", Object::Reference(to_unicode_id));
    if let Some(old) = old_to_unicode {
        document.objects.remove(&old);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_byte_codes_leave_room_for_every_glyph() {
        assert_eq!(single_code_count(10), 224);
        assert_eq!(single_code_count(224 + 32 * 256), 224);
        let many = 224 + 32 * 256 + 1;
        let single = single_code_count(many);
        assert!(single < 224);
        assert!(usize::from(single) + usize::from(256 - single) * 256 >= many);
        assert!(usize::from(single_code_count(65_535)) + usize::from(256 - single_code_count(65_535)) * 256 >= 65_535);
    }

    #[test]
    fn cmaps_map_each_code_to_its_cid_and_character() {
        let encoding = FaceEncoding {
            codes: vec![None, Some(GlyphCode { value: 0, bytes: 1 }), Some(GlyphCode { value: 0xE000, bytes: 2 })],
            entries: vec![
                (GlyphCode { value: 0, bytes: 1 }, 9564, '权'),
                (GlyphCode { value: 0xE000, bytes: 2 }, 9634, '𠀀'),
            ],
            single_codes: 224,
        };
        let cmap = String::from_utf8(encoding_cmap(&encoding, "QZ0")).unwrap_or_default();
        assert!(cmap.contains("2 begincodespacerange\n<00> <DF>\n<E000> <FFFF>\nendcodespacerange"));
        assert!(cmap.contains("2 begincidchar\n<00> 9564\n<E000> 9634\nendcidchar"));
        let to_unicode = String::from_utf8(to_unicode_cmap(&encoding, "QZ0")).unwrap_or_default();
        assert!(to_unicode.contains("<00> <6743>"));
        // A character outside the BMP as its surrogate pair.
        assert!(to_unicode.contains("<E000> <D840DC00>"));
    }
}
