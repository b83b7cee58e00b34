//! CSV (and tab-separated text): the encoding is detected from the bytes (a BOM; valid UTF-8;
//! otherwise GBK/GB18030), the delimiter from the first lines; parsing is the `csv` crate's.
//! Text that was already damaged (a GBK file decoded as UTF-8 and saved again) is refused
//! with a message saying so, rather than imported as garbage.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

use crate::error::ImportError;
use crate::raw::{column_letters, Limits, RawCell, RawRow, RawSheet};

/// True when the bytes look like text in some encoding we read (no NUL bytes outside UTF-16).
pub fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    let head = &bytes[..bytes.len().min(8192)];
    !head.contains(&0)
        && head
            .iter()
            .filter(|b| **b < 0x09 || (**b > 0x0D && **b < 0x20 && **b != 0x1B))
            .count()
            * 100
            <= head.len()
}

/// The control character a text table may not hold: C0 controls other than tab and the line
/// breaks (0x09–0x0D, which cell text uses). A run of SUB (0x1A) at the very end is the end-of-file
/// mark of old DOS programs and is allowed.
fn is_forbidden_control(c: char) -> bool {
    c < '\u{20}' && !('\u{09}'..='\u{0D}').contains(&c)
}

/// The first forbidden control character of `text` (see [`is_forbidden_control`]): the line
/// it stands on (1-based) and the character as `U+001B`.
fn first_control_character(text: &str) -> Option<(u64, String)> {
    let body = text.trim_end_matches('\u{1A}');
    let at = body.find(is_forbidden_control)?;
    let c = body[at..].chars().next()?;
    let line = body.as_bytes()[..at]
        .iter()
        .filter(|b| **b == b'\n')
        .count() as u64
        + 1;
    Some((line, format!("U+{:04X}", u32::from(c))))
}

/// For a file that does not look like plain text at first sight (too many control bytes in
/// its head): `None` when it is not text; when it is text all the same (it decodes cleanly as
/// UTF-8, UTF-16 with BOM or GBK), `Ok` if only allowed characters (a DOS end-of-file mark)
/// made it look binary, else the error naming the first control character and its line.
pub fn recheck_as_text(file: &str, bytes: &[u8]) -> Option<Result<(), ImportError>> {
    let (text, _) = decode(file, bytes).ok()?;
    Some(match first_control_character(&text) {
        None => Ok(()),
        Some((line, code)) => Err(ImportError::ControlCharacter {
            file: file.to_string(),
            line,
            code,
        }),
    })
}

/// Refuse a text with more records than the row limit before any of it is parsed into cells:
/// the `csv` reader counts records (quoted line breaks included) without keeping them.
fn check_record_count(
    file: &str,
    sheet: &str,
    text: &str,
    delimiter: u8,
    limits: &Limits,
) -> Result<(), ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut records: u64 = 0;
    // A damaged record is reported by the parse that follows, with its position.
    while let Ok(true) = reader.read_byte_record(&mut record) {
        records += 1;
        if records > u64::from(limits.max_rows) {
            return Err(ImportError::TooLarge {
                file: file.to_string(),
                sheet: sheet.to_string(),
                what: format!("有 {} 行以上", limits.max_rows),
                limit: format!("{} 行", limits.max_rows),
            });
        }
    }
    Ok(())
}

/// Decode the text, telling which encoding was used.
fn decode(file: &str, bytes: &[u8]) -> Result<(String, &'static str), ImportError> {
    let (encoding, body): (&'static Encoding, &[u8]) =
        if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
            (UTF_8, rest)
        } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
            (UTF_16LE, rest)
        } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
            (UTF_16BE, rest)
        } else if std::str::from_utf8(bytes).is_ok() {
            (UTF_8, bytes)
        } else {
            (GB18030, bytes)
        };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        return Err(ImportError::UnknownEncoding {
            file: file.to_string(),
        });
    }
    let label = match encoding.name() {
        "gb18030" => "GBK",
        "UTF-16LE" => "UTF-16LE",
        "UTF-16BE" => "UTF-16BE",
        _ => "UTF-8",
    };
    Ok((text.into_owned(), label))
}

/// Signs that text was already damaged by a wrong decoding before it reached us.
fn mojibake_evidence(text: &str) -> Option<String> {
    let replacement = text.chars().filter(|c| *c == '\u{FFFD}').count();
    if replacement > 0 {
        return Some(format!("{replacement} 个替换字符 �"));
    }
    let cjk = text
        .chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .count();
    // GBK bytes read as Latin-1/Windows-1252: runs of À–ÿ letters and no Chinese at all.
    let latin1 = text
        .chars()
        .filter(|c| ('\u{00C0}'..='\u{00FF}').contains(c))
        .count();
    if cjk == 0 && latin1 >= 4 {
        let sample: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .skip_while(|c| !('\u{00C0}'..='\u{00FF}').contains(c))
            .take(8)
            .collect();
        return Some(format!("如“{sample}”"));
    }
    // GBK bytes read as UTF-8 by a lenient reader often leave rare CJK Extension/Private-use
    // characters and no common ones: checked by the header search later instead.
    None
}

fn delimiter(text: &str) -> u8 {
    let sample: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let count = |d: char| sample.iter().map(|l| l.matches(d).count()).sum::<usize>();
    let candidates = [
        (b'\t', count('\t')),
        (b',', count(',')),
        (b';', count(';')),
        (b'|', count('|')),
    ];
    candidates
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}

/// Read a CSV file into one sheet (named after the file) and the encoding label.
pub fn read_csv(
    file: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<(RawSheet, String), ImportError> {
    let (text, encoding) = decode(file, bytes)?;
    if let Some((line, code)) = first_control_character(&text) {
        return Err(ImportError::ControlCharacter {
            file: file.to_string(),
            line,
            code,
        });
    }
    // The DOS end-of-file mark is not part of the table.
    let text = text.trim_end_matches('\u{1A}');
    let sheet_name = std::path::Path::new(file)
        .file_stem()
        .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned());
    let delimiter = delimiter(text);
    check_record_count(file, &sheet_name, text, delimiter, limits)?;
    if let Some(evidence) = mojibake_evidence(text) {
        return Err(ImportError::Mojibake {
            file: file.to_string(),
            evidence,
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cells_seen: u64 = 0;
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ImportError::Corrupt {
            file: file.to_string(),
            format: format!("csv（{encoding}）"),
            message: e.to_string(),
        })?;
        // The csv reader counts records; a quoted field may span lines, so the record's own
        // line is the row number a person finds in an editor… but spreadsheets number records.
        let row = u32::try_from(index).unwrap_or(u32::MAX);
        let mut cells = Vec::new();
        for (col, field) in record.iter().enumerate() {
            if field.trim().is_empty() {
                continue;
            }
            let col = u32::try_from(col).unwrap_or(u32::MAX);
            if row >= limits.max_rows || col >= limits.max_cols {
                return Err(ImportError::TooLarge {
                    file: file.to_string(),
                    sheet: sheet_name.clone(),
                    what: format!(
                        "在第 {} 行第 {} 列有内容",
                        u64::from(row) + 1,
                        u64::from(col) + 1
                    ),
                    limit: format!("{} 行 × {} 列", limits.max_rows, limits.max_cols),
                });
            }
            let chars = field.chars().count();
            if chars > limits.max_cell_chars {
                return Err(ImportError::CellTooLong {
                    file: file.to_string(),
                    sheet: sheet_name.clone(),
                    row: row + 1,
                    column: column_letters(col),
                    chars,
                    limit: limits.max_cell_chars,
                });
            }
            cells_seen += 1;
            if cells_seen > limits.max_cells {
                return Err(ImportError::TooManyCells {
                    file: file.to_string(),
                    cells: cells_seen,
                    limit: limits.max_cells,
                });
            }
            cells.push(RawCell {
                col,
                text: field.to_string(),
            });
        }
        if !cells.is_empty() {
            rows.push(RawRow { row, cells });
        }
    }
    Ok((
        RawSheet {
            name: sheet_name,
            rows,
            merges: Vec::new(),
            note: None,
        },
        encoding.to_string(),
    ))
}
