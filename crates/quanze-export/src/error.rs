//! The one error type of the exporters. Messages are Chinese and name what the user can fix: the
//! sheet, row and column of a cell, or the template file and line.

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A notice row does not have one cell per column (the view model was built wrongly).
    #[error("公示第 {section} 部分第 {row} 行有 {found} 个单元格，而表头有 {expected} 列")]
    RowWidth {
        /// 1-based section number.
        section: usize,
        /// 1-based data row within the section.
        row: usize,
        found: usize,
        expected: usize,
    },
    /// A text longer than an Excel cell can hold. Cutting it would silently change a published
    /// text, so the export stops and says where.
    #[error(
        "“{sheet}”工作表第 {row} 行“{column}”列的文字有 {length} 个字符，超过 Excel 单元格的上限（32767 个字符），请缩短后再导出"
    )]
    CellTooLong {
        sheet: String,
        /// 1-based row as a spreadsheet shows it.
        row: u32,
        column: String,
        /// Length in UTF-16 code units, the unit of Excel's limit.
        length: usize,
    },
    /// More rows than an Excel sheet holds.
    #[error("“{sheet}”工作表需要 {rows} 行，超过 Excel 的上限（1048576 行）")]
    TooManyRows { sheet: String, rows: usize },
    /// More columns than an Excel sheet holds (thousands of distinct extra-field headers).
    #[error("“{sheet}”工作表需要 {columns} 列，超过 Excel 的上限（16384 列）")]
    TooManyColumns { sheet: String, columns: usize },
    /// rust_xlsxwriter refused something the exporter asked for (a bug of the exporter).
    #[error("生成 Excel 文件失败：{0}")]
    Xlsx(String),
    /// A template directory given by the caller does not exist.
    #[error("模板目录不存在：{dir}")]
    TemplateDirMissing { dir: String },
    /// A template file exists but cannot be read.
    #[error("无法读取模板文件 {file}：{message}")]
    TemplateIo { file: String, message: String },
    /// A template does not parse; the line and column come from the template parser.
    #[error("模板 {file} 第 {line} 行第 {column} 列有语法错误：{detail}")]
    TemplateSyntax {
        file: String,
        line: u32,
        column: u32,
        detail: String,
    },
    /// A template is wrong in a way the parser reports without a position.
    #[error("模板 {file} 有错误：{detail}")]
    TemplateInvalid { file: String, detail: String },
    /// A template parsed but failed while rendering (unknown variable, bad filter argument …).
    /// Tera does not report a line for these.
    #[error("模板 {file} 渲染失败（行号无法确定）：{detail}")]
    TemplateRender { file: String, detail: String },
    /// A template, stylesheet or included file that resolves outside the chosen template
    /// folder (an absolute name, `..`, or a symlink pointing out): never read.
    #[error(
        "模板 {file} 指向所选模板目录之外（目录：{dir}），已拒绝使用：模板只能使用该目录中的文件，不能用绝对路径、“..”或指向目录外的符号链接"
    )]
    TemplateOutsideFolder { file: String, dir: String },
    /// A template went past a bound on its size or on its rendering (steps, nesting, a
    /// variable's size, output size, time): a runaway loop or recursion, stopped.
    #[error("模板 {file} 已被停止：{reason}")]
    TemplateLimit { file: String, reason: String },
}

impl ExportError {
    /// True when the user can fix it (their data or their template); false for a bug.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, ExportError::RowWidth { .. } | ExportError::Xlsx(_))
    }
}

impl From<rust_xlsxwriter::XlsxError> for ExportError {
    fn from(error: rust_xlsxwriter::XlsxError) -> Self {
        ExportError::Xlsx(error.to_string())
    }
}
