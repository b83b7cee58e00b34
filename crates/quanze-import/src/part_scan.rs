//! A streaming look at one zipped XML part: its bytes counted as they inflate and each start
//! tag handed to the caller, stopping as soon as a budget is spent. A part that inflates to a
//! gigabyte then costs what its budget allows, not what its author wanted (issue 13: a 2 MB
//! workbook that inflates to 900 MB of empty cells).
//!
//! Not a parser: it finds `<name …>` tags, minding quotes inside a tag, and leaves the meaning
//! to the caller. Wherever it could be fooled (an element written inside a comment or CDATA
//! section) it counts more, never less, than a real XML reader would see.

use std::io::Read;

/// The longest start tag accepted. Real tags are well under 1 KB (a cell with its style and
/// type attributes); a longer one could hide an attribute (a repeat count) from the caller.
const MAX_TAG_BYTES: usize = 64 * 1024;

/// Why a scan stopped before the end of the part.
#[derive(Debug)]
pub(crate) enum ScanStop<E> {
    /// The part could not be inflated (damaged).
    Read(std::io::Error),
    /// The part inflates past the byte budget.
    Bytes,
    /// A start tag longer than [`MAX_TAG_BYTES`].
    TagTooLong,
    /// The caller's budget was spent (its own error).
    Caller(E),
}

/// The local name of a start tag's bytes (`x:si foo="1"` → `si`).
pub(crate) fn local_name(tag: &[u8]) -> &[u8] {
    let end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
        .unwrap_or(tag.len());
    let name = &tag[..end];
    match name.iter().rposition(|b| *b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

/// Inflate `reader` to its end, at most `max_bytes` bytes, calling `on_tag` with every start
/// tag (the bytes between `<` and `>`, name first; end tags, comments, declarations and
/// processing instructions are not passed). Returns the bytes read.
pub(crate) fn scan_tags<E>(
    mut reader: impl Read,
    max_bytes: u64,
    on_tag: &mut dyn FnMut(&[u8]) -> Result<(), E>,
) -> Result<u64, ScanStop<E>> {
    let mut chunk = vec![0u8; 64 * 1024];
    let mut tag: Vec<u8> = Vec::new();
    let mut in_tag = false;
    let mut quote: Option<u8> = None;
    let mut total: u64 = 0;
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ScanStop::Read(e)),
        };
        total += n as u64;
        if total > max_bytes {
            return Err(ScanStop::Bytes);
        }
        let mut at = 0;
        let data = &chunk[..n];
        while at < n {
            if !in_tag {
                match data[at..].iter().position(|b| *b == b'<') {
                    Some(offset) => {
                        at += offset + 1;
                        in_tag = true;
                        quote = None;
                        tag.clear();
                    }
                    None => break,
                }
                continue;
            }
            // Inside a tag: up to the `>` that is not inside a quoted attribute value.
            let rest = &data[at..];
            let mut end = None;
            for (i, b) in rest.iter().enumerate() {
                match (quote, *b) {
                    (Some(q), b) if b == q => quote = None,
                    (Some(_), _) => {}
                    (None, b'"' | b'\'') => quote = Some(*b),
                    (None, b'>') => {
                        end = Some(i);
                        break;
                    }
                    (None, _) => {}
                }
            }
            let taken = end.unwrap_or(rest.len());
            if tag.len() + taken > MAX_TAG_BYTES {
                return Err(ScanStop::TagTooLong);
            }
            tag.extend_from_slice(&rest[..taken]);
            match end {
                Some(i) => {
                    at += i + 1;
                    in_tag = false;
                    if !matches!(tag.first(), None | Some(b'/' | b'!' | b'?')) {
                        on_tag(&tag).map_err(ScanStop::Caller)?;
                    }
                }
                None => at = n,
            }
        }
    }
}

/// Inflate a binary part (`.xlsb` records) to its end, at most `max_bytes` bytes; the bytes read.
pub(crate) fn count_bytes<E>(mut reader: impl Read, max_bytes: u64) -> Result<u64, ScanStop<E>> {
    let mut chunk = vec![0u8; 64 * 1024];
    let mut total: u64 = 0;
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => return Ok(total),
            Ok(n) => total += n as u64,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ScanStop::Read(e)),
        }
        if total > max_bytes {
            return Err(ScanStop::Bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(xml: &str, chunk_limit: u64) -> Result<Vec<String>, ScanStop<()>> {
        let mut seen = Vec::new();
        scan_tags(xml.as_bytes(), chunk_limit, &mut |tag: &[u8]| {
            seen.push(String::from_utf8_lossy(local_name(tag)).into_owned());
            Ok::<(), ()>(())
        })?;
        Ok(seen)
    }

    #[test]
    fn start_tags_by_local_name_quotes_respected() {
        let xml = r#"<?xml version="1.0"?><!-- c --><x:sst a="1>2"><x:si><t>a > b</t></x:si><si/></x:sst>"#;
        let seen = names(xml, 1 << 20).expect("scans");
        assert_eq!(seen, ["sst", "si", "t", "si"]);
    }

    #[test]
    fn byte_budget_stops_the_scan() {
        let xml = "<a/>".repeat(1000);
        assert!(matches!(names(&xml, 100), Err(ScanStop::Bytes)));
    }

    #[test]
    fn an_endless_tag_is_refused() {
        let xml = format!("<c {}", "a".repeat(MAX_TAG_BYTES + 1));
        assert!(matches!(names(&xml, 1 << 20), Err(ScanStop::TagTooLong)));
    }
}
