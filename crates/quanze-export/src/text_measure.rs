//! How wide a text looks, in "half-width cells": a CJK ideograph or full-width sign counts 2,
//! anything else 1. Excel column widths and SVG box widths are both estimated from it, so that
//! no font has to be loaded to lay out a table or a chart.

/// True for characters drawn about twice as wide as a Latin letter.
pub fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{303E}'
        | '\u{3041}'..='\u{33FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{A000}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{2FFFD}'
        | '\u{30000}'..='\u{3FFFD}'
        | '“' | '”' | '‘' | '’' | '…' | '—' | '·'
    )
}

/// Width of one line of text in half-width cells.
pub fn display_width(text: &str) -> usize {
    text.chars()
        .filter(|c| !c.is_control())
        .map(|c| if is_wide(c) { 2 } else { 1 })
        .sum()
}

/// Width of the widest line of a possibly multi-line text.
pub fn widest_line(text: &str) -> usize {
    text.split('\n').map(display_width).max().unwrap_or(0)
}

/// Split a text into lines no wider than `max_width` half-width cells (at least one character
/// per line), keeping existing line breaks. Used for box labels, where a rough break is enough.
pub fn wrap_to_width(text: &str, max_width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut width = 0;
        for c in paragraph.chars().filter(|c| !c.is_control()) {
            let w = if is_wide(c) { 2 } else { 1 };
            if width + w > max_width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                width = 0;
            }
            line.push(c);
            width += w;
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_double_and_latin_single() {
        assert_eq!(display_width("事项名称"), 8);
        assert_eq!(display_width("A1"), 2);
        assert_eq!(display_width("（一）"), 6);
        assert_eq!(widest_line("短\n长一点的行"), 10);
    }

    #[test]
    fn wrapping_keeps_every_character_and_breaks() {
        let lines = wrap_to_width("综合行政执法队（综合行政执法办公室）\nAB", 10);
        assert_eq!(lines.concat(), "综合行政执法队（综合行政执法办公室）AB");
        assert!(lines.iter().all(|l| display_width(l) <= 10));
        assert_eq!(lines.last().map(String::as_str), Some("AB"));
    }
}
