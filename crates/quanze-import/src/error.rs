//! The one error of the importer. Every message is Chinese, names the file, and the sheet when
//! there is one, so that a user can act on it without reading logs.

/// Why an import (or a preview) could not be done. When an import fails, nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("无法读取文件 {file}：{message}")]
    Io { file: String, message: String },

    #[error("文件 {file} 是空文件")]
    EmptyFile { file: String },

    #[error("文件 {file} 太大（{size_mb} MB），超过导入上限 {limit_mb} MB")]
    FileTooLarge {
        file: String,
        size_mb: u64,
        limit_mb: u64,
    },

    #[error("文件 {file} 不是可导入的电子表格（{what}）。支持 .xls、.xlsx、.xlsb、.ods 和 .csv")]
    NotSpreadsheet { file: String, what: String },

    #[error(
        "文件 {file} 已加密（设置了打开密码），无法读取。请在 Excel/WPS 中取消密码后另存，再导入"
    )]
    Encrypted { file: String },

    #[error("文件 {file} 已损坏或格式不完整（{format}）：{message}")]
    Corrupt {
        file: String,
        format: String,
        message: String,
    },

    #[error("文件 {file} 的工作表“{sheet}”无法读取：{message}")]
    SheetUnreadable {
        file: String,
        sheet: String,
        message: String,
    },

    #[error("文件 {file} 的工作表“{sheet}”{what}，超过导入上限（{limit}）。这通常是文件损坏或被构造过；请检查后另存为新文件再导入")]
    TooLarge {
        file: String,
        sheet: String,
        what: String,
        limit: String,
    },

    #[error("文件 {file} 的单元格过多（至少 {cells} 个非空单元格），超过导入上限 {limit} 个")]
    TooManyCells {
        file: String,
        cells: u64,
        limit: u64,
    },

    /// The file is small but would cost the reader more work than any real list does (a
    /// gigabyte of empty cells zipped into 2 MB …): the budgets of `guard.rs`.
    #[error("文件 {file} {what}，超过导入上限（{limit}）。这通常是文件损坏或被构造过；请检查后另存为新文件再导入")]
    BeyondBudget {
        file: String,
        what: String,
        limit: String,
    },

    #[error("文件 {file} 第 {line} 行含有控制字符 {code}（不可见，不应出现在表格文字中）。请在文本编辑器中删除该字符，或在 Excel/WPS 中另存为 .xlsx 再导入")]
    ControlCharacter {
        file: String,
        line: u64,
        /// The character as `U+001B`.
        code: String,
    },

    #[error("{files} 中没有读出任何事项（表头下没有数据行），未导入，数据库未做任何改动")]
    NoItems { files: String },

    #[error("文件 {file} 中没有任何数据（所有工作表都是空的）")]
    EmptyWorkbook { file: String },

    #[error("文件 {file} 的工作表“{sheet}”中找不到可识别的表头（至少要有“事项名称”一类的列名和另一个已知列名，如 序号、权力类型、实施依据）。请在预览中指定表头所在行，或排除该工作表")]
    NoHeader { file: String, sheet: String },

    #[error("文件 {file} 的工作表“{sheet}”：指定的表头行 {row} 不在数据范围内（共 {rows} 行）")]
    BadHeaderRow {
        file: String,
        sheet: String,
        row: u32,
        rows: u32,
    },

    #[error("文件 {file} 中没有名为“{sheet}”的工作表")]
    NoSuchSheet { file: String, sheet: String },

    #[error("文件 {file} 的文字编码无法识别（既不是 UTF-8 也不是 GBK/GB18030）")]
    UnknownEncoding { file: String },

    #[error("文件 {file} 含有乱码（{evidence}），可能是 GBK 编码的文件被当作 UTF-8 打开后又保存了。请找到原始文件导入，或在 WPS/Excel 中以正确编码打开后另存为 .xlsx")]
    Mojibake { file: String, evidence: String },

    #[error("文件 {file} 的工作表“{sheet}”第 {row} 行第 {column} 列的文字过长（{chars} 字），超过上限 {limit} 字")]
    CellTooLong {
        file: String,
        sheet: String,
        row: u32,
        column: String,
        chars: usize,
        limit: usize,
    },

    #[error("导入设置有误：{0}")]
    Options(String),

    #[error("导入表头同义词表有误：{0}")]
    Synonyms(String),

    #[error("读取文件 {file} 时发生内部错误（{message}），未做任何改动")]
    Internal { file: String, message: String },

    #[error("导入已取消，数据库未做任何改动")]
    Cancelled,
}

impl ImportError {
    /// True for problems of the input (a bad file, bad options), false for internal failures.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, ImportError::Internal { .. })
    }
}

/// An operating-system error as a clerk reads it: the common causes in Chinese with what to do,
/// anything else after a Chinese lead (the app showed "No such file or directory (os error 2)",
/// issue 18).
pub(crate) fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "文件不存在，请检查路径是否写对、文件是否已被移走或改名".to_string(),
        ErrorKind::PermissionDenied => "没有读取这个文件的权限，请先把它复制到自己的文件夹再导入".to_string(),
        ErrorKind::IsADirectory => "这是一个文件夹，不是工作簿文件".to_string(),
        ErrorKind::NotADirectory => "路径中的某一级不是文件夹，请检查路径".to_string(),
        ErrorKind::InvalidFilename => "文件名或路径不合法（过长或含有不允许的字符）".to_string(),
        ErrorKind::Interrupted | ErrorKind::TimedOut | ErrorKind::WouldBlock => {
            "读取被中断，请再试一次".to_string()
        }
        _ => format!("系统报告的错误：{error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_or_unreadable_file_is_explained_in_chinese() {
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert!(io_reason(&missing).starts_with("文件不存在"));
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(io_reason(&denied).contains("没有读取这个文件的权限"));
        let other = std::io::Error::other("disk on fire");
        assert_eq!(io_reason(&other), "系统报告的错误：disk on fire");
    }

    #[test]
    fn reading_a_missing_file_names_it_without_the_system_s_english() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("青川区水务局权责清单.xls");
        let error = crate::read_workbook_file(&path, &crate::Limits::default()).expect_err("no such file");
        let message = error.to_string();
        assert!(message.contains("青川区水务局权责清单.xls") && message.contains("文件不存在"), "{message}");
        assert!(!message.contains("os error"), "{message}");
    }
}
