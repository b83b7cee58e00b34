//! `quanze edit`: one field of one item, with the same checks and audit entry as a cell edited
//! in the app.

use clap::Args;
use quanze_api::{Api, ApiError, EditBatch, FieldRef, ItemEdit};

#[derive(Args)]
pub struct EditArgs {
    /// 清单编号或全名
    #[arg(long, value_name = "LIST")]
    list: String,
    /// 事项编号
    #[arg(long)]
    item: u32,
    /// 字段：表头名（如 事项名称、实施依据、承办机构）；附加字段写 extra:原表头
    #[arg(long)]
    field: String,
    /// 新值（空字符串清空该字段）
    #[arg(long, allow_hyphen_values = true)]
    value: String,
    /// 修改前看到的值：数据库中该字段已不是这个值（别人改过）时不保存，报告冲突
    #[arg(long, allow_hyphen_values = true)]
    was: Option<String>,
    /// 修改理由（记入操作日志）
    #[arg(long)]
    reason: Option<String>,
}

pub fn run(api: &mut Api, actor: &str, args: EditArgs) -> Result<String, ApiError> {
    let list = api.find_list(&args.list)?;
    let field = parse_field(&args.field)?;
    let reason = args.reason.unwrap_or_else(|| format!("修改{}", field_label(&field)));
    let item = args.item;
    let batch = EditBatch {
        list,
        reason,
        edits: vec![ItemEdit::Set { item, field, value: args.value, was: args.was }],
    };
    let outcome = api.edit(&batch, actor)?;
    let changed = outcome.changed.first().map_or_else(String::new, |p| p.item.name.clone());
    Ok(format!("已修改事项 #{item}：{changed}\n"))
}

/// A field named as users know it: a column header (事项名称), the field's id (name), or
/// `extra:原表头` for a field kept from an import.
pub(crate) fn parse_field(text: &str) -> Result<FieldRef, ApiError> {
    FieldRef::parse(text)
}

fn field_label(field: &FieldRef) -> String {
    match field {
        FieldRef::Standard(f) => f.label().to_string(),
        FieldRef::Extra { header, .. } => format!("“{header}”列"),
    }
}
