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

/// Write a command's output and flush it.
pub fn write(out: &mut dyn Write, text: &str) -> Result<(), ApiError> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| ApiError::new(ErrorCode::Io, format!("无法输出结果：{e}")))
}
