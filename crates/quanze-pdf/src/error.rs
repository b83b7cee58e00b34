//! The one error of the PDF exporter. Every message is Chinese and says what the user can do.

use std::path::PathBuf;

/// Why a notice or poster could not be rendered. Nothing is written when rendering fails: the
/// functions return bytes, and the caller writes them only on success.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "没有找到可用于中文的字体。请安装中文字体后重试：Debian/Ubuntu/统信/麒麟上安装 \
         fonts-noto-cjk（例如 sudo apt install fonts-noto-cjk），或安装仿宋_GB2312、方正小标宋简体等公文字体；\
         也可以在“设置”中指定一个中文字体文件（.ttf/.otf/.ttc）"
    )]
    NoCjkFont,

    #[error("无法读取设置中指定的字体文件 {path}：{reason}")]
    FontFileUnreadable { path: PathBuf, reason: String },

    #[error("设置中指定的字体文件 {path} 不能用于中文：{reason}。请另选一个中文字体文件，或清空该设置以使用系统字体")]
    FontFileNotCjk { path: PathBuf, reason: String },

    #[error("无法解析字体 {family}（{path}，第 {index} 个字形集）：{reason}")]
    FontUnparsable {
        family: String,
        path: PathBuf,
        index: u32,
        reason: String,
    },

    #[error(
        "以下字符在已安装的所有字体中都没有字形，无法打印：{chars}。首次出现在：{context}。\
         请修改这些文字，或安装包含这些字符的字体（也可在“设置”中指定字体文件）"
    )]
    MissingGlyphs { chars: String, context: String },

    #[error("第 {section} 个表格没有任何列，无法排版。请至少选择一列")]
    NoColumns { section: usize },

    #[error("第 {section} 个表格第 {row} 行有 {cells} 个单元格，而表头只有 {columns} 列")]
    RowTooLong {
        section: usize,
        row: usize,
        cells: usize,
        columns: usize,
    },

    #[error("表格有 {columns} 列，页面宽度放不下（每列至少需要 {min_mm:.0} 毫米）。请减少列数或改用横向")]
    TooManyColumns { columns: usize, min_mm: f32 },

    #[error("没有要生成的海报（社区列表为空）")]
    NoPosters,

    #[error("排版参数无效：{0}")]
    InvalidOptions(String),

    #[error("生成 PDF 时出错：{0}")]
    Serialize(String),
}

impl PdfError {
    /// Whether the user can fix it (install a font, change the data or the options), as opposed
    /// to a fault of a font file or of the PDF writer. Callers map it to their error codes.
    pub fn is_user_error(&self) -> bool {
        !matches!(
            self,
            PdfError::FontUnparsable { .. } | PdfError::Serialize(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_font_and_writer_faults_are_not_the_users() {
        assert!(PdfError::NoCjkFont.is_user_error());
        assert!(PdfError::NoPosters.is_user_error());
        assert!(PdfError::RowTooLong {
            section: 1,
            row: 2,
            cells: 3,
            columns: 2
        }
        .is_user_error());
        assert!(!PdfError::Serialize("x".into()).is_user_error());
    }

    #[test]
    fn messages_are_chinese_and_say_what_to_do() {
        let message = PdfError::NoCjkFont.to_string();
        assert!(message.contains("fonts-noto-cjk") && message.contains("设置"));
        let message = PdfError::TooManyColumns {
            columns: 30,
            min_mm: 5.0,
        }
        .to_string();
        assert!(message.contains("30") && message.contains("横向"));
    }
}
