//! Importing legacy workbooks: preview (with the user's corrections), then import in one
//! audited transaction. The work is `quanze_import`'s; this maps its errors onto the boundary.

use std::path::{Path, PathBuf};

use quanze_import::{ImportError, ImportOptions, ImportPreview, ImportReport, PreviewOptions};

use crate::{Api, ApiError, ErrorCode};

impl From<ImportError> for ApiError {
    fn from(error: ImportError) -> ApiError {
        let code = match &error {
            ImportError::Store(_) | ImportError::Internal { .. } | ImportError::Synonyms(_) => {
                ErrorCode::Internal
            }
            ImportError::Io { .. } => ErrorCode::Io,
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
}
