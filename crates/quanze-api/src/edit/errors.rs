//! Why an edit was refused, and how the refusal names the edit, the item and the field.

use quanze_domain::{FieldError, Id};
use quanze_store::StoreError;

use crate::{ApiError, ErrorCode};

/// Why an edit was refused. Crosses the boundary as an [`ApiError`] with the code of
/// [`EditError::code`] and a message that names the edit, the item and the field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(super) enum EditError {
    #[error("找不到事项 #{0}（可能已被删除）")]
    ItemNotFound(Id),
    #[error("事项“{name}”不在清单“{list}”中")]
    ItemNotInList { name: String, list: String },
    #[error("事项“{name}”没有“{header}”列（第 {index} 个）")]
    UnknownExtraField {
        name: String,
        header: String,
        index: u32,
    },
    #[error("事项名称不能为空")]
    EmptyName,
    /// Text a field cannot hold (not a 权力类型, not a number, …).
    #[error("{0}")]
    Field(#[from] FieldError),
    #[error("位置 {at} 超出清单范围（清单现有 {len} 项）")]
    PositionOutOfRange { at: u32, len: usize },
    #[error("事项“{name}”在一次操作中出现了两次")]
    Repeated { name: String },
    #[error("事项 #{0} 已存在，不能再次插入")]
    ItemExists(Id),
    #[error("没有要保存的修改")]
    Empty,
    /// Another user changed the same field meanwhile (the store's message, both values).
    #[error("{0}")]
    Conflict(String),
    /// A failure of the store itself, kept as it is.
    #[error("{0}")]
    Store(String),
}

impl EditError {
    pub(super) fn code(&self) -> ErrorCode {
        match self {
            EditError::ItemNotFound(_) => ErrorCode::NotFound,
            EditError::Store(_) => ErrorCode::Database,
            EditError::Conflict(_) => ErrorCode::EditConflict,
            _ => ErrorCode::InvalidInput,
        }
    }
}

/// An edit that failed, with where it stands in the batch.
pub(super) struct Refusal {
    pub(super) index: usize,
    pub(super) item: Option<String>,
    pub(super) field: Option<String>,
    pub(super) error: EditError,
}

impl Refusal {
    pub(super) fn into_api_error(self, batch_len: usize) -> ApiError {
        if let EditError::Conflict(message) = &self.error {
            // The message names the item and the field already.
            return ApiError::new(self.error.code(), message.clone());
        }
        let mut context = Vec::new();
        if batch_len > 1 {
            context.push(format!("第 {} 处修改", self.index + 1));
        }
        if let Some(item) = self.item {
            context.push(format!("事项“{item}”"));
        }
        if let Some(field) = self.field {
            context.push(field);
        }
        let message = if context.is_empty() {
            self.error.to_string()
        } else {
            format!("{}：{}", context.join("，"), self.error)
        };
        ApiError::new(self.error.code(), format!("未保存。{message}"))
    }
}

pub(super) fn store_error(error: StoreError) -> EditError {
    match error {
        StoreError::NotFound { id, .. } => EditError::ItemNotFound(id),
        conflict @ StoreError::EditConflict { .. } => EditError::Conflict(conflict.to_string()),
        other => EditError::Store(other.to_string()),
    }
}
