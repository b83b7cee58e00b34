//! Importing legacy workbooks: preview (with the user's corrections), then import in one
//! audited transaction. The work is `quanze_import`'s; this maps its errors onto the boundary.

use std::path::{Path, PathBuf};

use quanze_import::{ImportError, ImportOptions, ImportPreview, ImportReport, ImportStage, PreviewOptions};

use crate::{Api, ApiError, ErrorCode, LongWork};

impl From<ImportError> for ApiError {
    fn from(error: ImportError) -> ApiError {
        let code = match &error {
            ImportError::Store(_) | ImportError::Internal { .. } | ImportError::Synonyms(_) => {
                ErrorCode::Internal
            }
            ImportError::Io { .. } => ErrorCode::Io,
            ImportError::Cancelled => ErrorCode::Cancelled,
            _ => ErrorCode::InvalidInput,
        };
        ApiError::new(code, error.to_string())
    }
}

impl Api {
    /// What a workbook would give: sheets, header rows, column mappings, first items, warnings.
    pub fn import_preview(&self, path: &Path, options: &PreviewOptions) -> Result<ImportPreview, ApiError> {
        Ok(quanze_import::preview(path, options)?)
    }

    /// Import workbooks in one transaction (or, with `options.dry_run`, only report).
    pub fn import_files(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions,
        actor: &str,
    ) -> Result<ImportReport, ApiError> {
        Ok(quanze_import::import_files(&mut self.store, actor, paths, options)?)
    }

    /// [`Api::import_files`] with a progress step per file read and one for the write, and
    /// cancellation up to the write (the database is then untouched).
    pub fn import_files_with_progress(
        &mut self,
        paths: &[PathBuf],
        options: &ImportOptions,
        actor: &str,
        work: &LongWork<'_>,
    ) -> Result<ImportReport, ApiError> {
        let total = paths.len() + 1;
        let mut observer = |stage: ImportStage<'_>| match stage {
            ImportStage::Reading { index, total: files, path } => {
                let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
                work.step(format!("正在读取 {name}（{}/{files}）", index + 1), index, total)
            }
            ImportStage::Writing { items } => work.step(format!("正在写入数据库：{items} 个事项"), total - 1, total),
        };
        let report = quanze_import::import_files_observed(&mut self.store, actor, paths, options, &mut observer)?;
        work.step("导入完成".to_string(), total, total);
        Ok(report)
    }
}
