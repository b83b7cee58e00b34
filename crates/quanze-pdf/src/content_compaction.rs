//! Shorter page content for the same drawing: printpdf writes every glyph of a run as its own
//! hex string inside a `TJ` array (`[<420C><2E99><7C41>] TJ`, 6 bytes a glyph). A run without
//! kerning is one hex string shown with `Tj` (4 bytes a glyph). A long notice's content streams
//! are mostly these runs. (Measured on the 5,000-row benchmark and not kept: literal strings of
//! the codes' bytes, 2 bytes a glyph, came out 1.3 % larger once deflated than hex; `'` for a
//! run that starts the next line saved nothing after deflate.)

/// Whether `byte` is an upper- or lower-case hexadecimal digit.
fn is_hex(byte: u8) -> bool {
    byte.is_ascii_hexdigit()
}

/// If `content[start..]` is `[<hex><hex>…] TJ` (hex strings only, no kerning numbers or
/// spaces), the hex digits in order and the index just past `TJ`.
fn glyph_array(content: &[u8], start: usize) -> Option<(Vec<u8>, usize)> {
    let mut index = start + 1;
    let mut digits = Vec::new();
    loop {
        match content.get(index)? {
            b'<' => {
                index += 1;
                while let Some(&byte) = content.get(index) {
                    if byte == b'>' {
                        break;
                    }
                    if !is_hex(byte) {
                        return None;
                    }
                    digits.push(byte);
                    index += 1;
                }
                // Past the closing '>'.
                content.get(index)?;
                index += 1;
            }
            b']' => {
                index += 1;
                break;
            }
            _ => return None,
        }
    }
    if digits.len() % 2 != 0 {
        return None;
    }
    let rest = content.get(index..)?;
    let after = if rest.starts_with(b" TJ") {
        index + 3
    } else if rest.starts_with(b"TJ") {
        index + 2
    } else {
        return None;
    };
    // The operator must end there (`TJ` followed by white space, a delimiter or the end).
    match content.get(after) {
        None => {}
        Some(byte) if byte.is_ascii_whitespace() || b"[]<>/(%".contains(byte) => {}
        Some(_) => return None,
    }
    Some((digits, after))
}

/// `content` with every `[<hex>…<hex>] TJ` written as `<hex…hex> Tj`; everything else as it
/// was. The glyphs drawn, their positions and the text extracted are the same: a `TJ` array
/// without numbers shows its strings one after another, as `Tj` shows their concatenation.
pub(crate) fn compact_glyph_arrays(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len());
    let mut index = 0;
    while index < content.len() {
        let byte = content[index];
        if byte == b'[' && content.get(index + 1) == Some(&b'<') {
            if let Some((digits, after)) = glyph_array(content, index) {
                out.push(b'<');
                out.extend_from_slice(&digits);
                out.push(b'>');
                out.extend_from_slice(b" Tj");
                index = after;
                continue;
            }
        }
        out.push(byte);
        index += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glyph_array_becomes_one_string() {
        let content = b"109.1 493.69 Td\n[<420C><2E99>] TJ\n47.12 0 Td\n[<25C4>] TJ\nT*\n[<4A7A>] TJ\n";
        assert_eq!(
            compact_glyph_arrays(content),
            b"109.1 493.69 Td\n<420C2E99> Tj\n47.12 0 Td\n<25C4> Tj\nT*\n<4A7A> Tj\n".to_vec()
        );
    }

    #[test]
    fn arrays_with_kerning_and_other_content_stay_as_they_are() {
        let kerned = b"[<420C> -120 <2E99>] TJ\n";
        assert_eq!(compact_glyph_arrays(kerned), kerned.to_vec());
        let literal = b"[(abc)] TJ\n";
        assert_eq!(compact_glyph_arrays(literal), literal.to_vec());
        let dictionary = b"/TD <</MCID 3>> BDC\n0 0 0 rg\n";
        assert_eq!(compact_glyph_arrays(dictionary), dictionary.to_vec());
        let odd = b"[<420>] TJ";
        assert_eq!(compact_glyph_arrays(odd), odd.to_vec());
        let unterminated = b"[<420C><2E";
        assert_eq!(compact_glyph_arrays(unterminated), unterminated.to_vec());
        let other_operator = b"[<420C>] TJX";
        assert_eq!(compact_glyph_arrays(other_operator), other_operator.to_vec());
    }
}
