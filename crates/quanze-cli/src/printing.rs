//! `quanze printers` and `quanze print`: the app's 打印 form, scriptable. Neither needs the
//! database; both go through the print service (`lpstat`, `lp`) that `quanze_api` wraps.

use std::path::PathBuf;

use quanze_api::{ApiError, PrintRequest, PrintService};

use crate::output::text_or_json;

/// `quanze printers`: one printer a line, the default marked.
pub fn list(json: bool) -> Result<String, ApiError> {
    let printers = PrintService::system().printers()?;
    text_or_json(json, &printers, |printers| {
        if printers.is_empty() {
            return "本机打印服务中没有打印机。\n".to_string();
        }
        printers
            .iter()
            .map(|p| format!("{}{}\n", p.name, if p.is_default { "（默认）" } else { "" }))
            .collect()
    })
}

/// `quanze print`: the files as one job; without `--printer`, the system's default printer.
pub fn print(
    files: &[PathBuf],
    printer: Option<String>,
    copies: u32,
    two_sided: bool,
    pages: Option<String>,
) -> Result<String, ApiError> {
    let service = PrintService::system();
    let printer = match printer {
        Some(name) => name,
        None => service
            .printers()?
            .into_iter()
            .find(|p| p.is_default)
            .map(|p| p.name)
            .ok_or_else(|| ApiError::invalid_input("本机没有默认打印机：请用 --printer 指定（quanze printers 列出打印机）"))?,
    };
    let paths = files
        .iter()
        .map(|f| std::path::absolute(f).unwrap_or_else(|_| f.clone()).display().to_string())
        .collect();
    let job = service.print(&PrintRequest {
        paths,
        printer,
        copies,
        two_sided,
        pages,
    })?;
    Ok(format!(
        "已送往打印机 {}：{} 个文件，{} 份{}\n",
        job.printer,
        job.files,
        copies,
        job.job.map(|j| format!("（任务 {j}）")).unwrap_or_default()
    ))
}
