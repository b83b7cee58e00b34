//! The one place that decides what a command prints: its text, or with `--json` its value as
//! pretty JSON on a line of its own; and the one write of it to stdout.

use std::io::Write;

use quanze_api::{ApiError, ErrorCode};
use serde::Serialize;

/// `value` as JSON when `json`, else as `text` renders it.
pub fn text_or_json<T: Serialize + ?Sized>(
    json: bool,
    value: &T,
    text: impl FnOnce(&T) -> String,
) -> Result<String, ApiError> {
    if json {
        serde_json::to_string_pretty(value)
            .map(|t| t + "\n")
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("无法生成 JSON：{e}")))
    } else {
        Ok(text(value))
    }
}

/// `text` with control characters other than line breaks and tabs shown as `\x1B`: text that
/// came from a file or a bundle (an item name with ESC or BEL in it) must not drive the
/// terminal. The data keeps them; only what is printed is escaped.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            shown.push_str(&format!("\\x{:02X}", u32::from(c)));
        } else {
            shown.push(c);
        }
    }
    std::borrow::Cow::Owned(shown)
}

/// Write a command's output and flush it, control characters escaped (see [`visible`]).
pub fn write(out: &mut dyn Write, text: &str) -> Result<(), ApiError> {
    out.write_all(visible(text).as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| ApiError::new(ErrorCode::Io, format!("无法输出结果：{e}")))
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(visible("对\u{1b}[2J某某\u{7}的处罚\n第二行\t制表"), "对\\x1B[2J某某\\x07的处罚\n第二行\t制表");
        assert_eq!(visible("普通文字\n"), "普通文字\n");
        assert_eq!(visible("\u{9b}"), "\\x9B");
    }
}
