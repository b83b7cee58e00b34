//! `quanze item add|delete|move`: adding, deleting and moving a list's items, with the same
//! edit batches, checks and audit entries as the rows inserted, deleted and moved in the app's
//! grid (`Api::edit`).

use clap::Subcommand;
use quanze_api::{Api, ApiError, EditBatch, ErrorCode, FieldRef, FieldValue, ItemEdit, ItemField, NewItem, Placement};
use quanze_domain::{Id, Item};

use crate::editing::parse_field;

#[derive(Subcommand)]
pub enum ItemCommand {
    /// 新增事项（默认加在清单末尾）
    Add {
        /// 清单编号或全名
        #[arg(long, value_name = "LIST")]
        list: String,
        /// 事项名称
        #[arg(long, allow_hyphen_values = true)]
        name: String,
        /// 设置字段，写成 字段=值：字段为表头名（如 实施依据、承办机构）或英文字段名（如 basis），附加字段写
        /// extra:原表头；可多次指定
        #[arg(long = "set", value_name = "FIELD=VALUE", allow_hyphen_values = true)]
        set: Vec<String>,
        /// 加在此事项（事项编号）之后（默认：清单末尾）
        #[arg(long, value_name = "ITEM")]
        after: Option<Id>,
        /// 理由（记入操作日志；默认“新增事项”）
        #[arg(long)]
        reason: Option<String>,
    },
    /// 删除事项（须属于所给清单）
    Delete {
        /// 清单编号或全名
        #[arg(long, value_name = "LIST")]
        list: String,
        /// 事项编号
        #[arg(long)]
        item: Id,
        /// 理由（记入操作日志；默认“删除事项”）
        #[arg(long)]
        reason: Option<String>,
    },
    /// 把事项移到清单中的另一位置
    Move {
        /// 清单编号或全名
        #[arg(long, value_name = "LIST")]
        list: String,
        /// 事项编号
        #[arg(long)]
        item: Id,
        /// 目标位置，即移动后该事项所在的行：从 1 数起，如表格中所见（1 为第一项，清单有 N 项时
        /// N 为最后一项）
        #[arg(long, value_name = "POSITION")]
        to: u32,
        /// 理由（记入操作日志；默认“移动事项”）
        #[arg(long)]
        reason: Option<String>,
    },
}

pub fn run(api: &mut Api, actor: &str, command: ItemCommand) -> Result<String, ApiError> {
    match command {
        ItemCommand::Add { list, name, set, after, reason } => add(api, actor, &list, name, &set, after, reason),
        ItemCommand::Delete { list, item, reason } => delete(api, actor, &list, item, reason),
        ItemCommand::Move { list, item, to, reason } => move_item(api, actor, &list, item, to, reason),
    }
}

/// The reason given, or `default` when none (or a blank one) was.
fn reason_or(reason: Option<String>, default: &str) -> String {
    reason.filter(|r| !r.trim().is_empty()).unwrap_or_else(|| default.to_string())
}

/// A list's name and how many items it has now.
fn list_name_and_length(api: &Api, list: Id) -> Result<(String, u32), ApiError> {
    let page = api.list_items(list, 0, 0)?;
    Ok((page.list.name, page.total))
}

/// Item `item` of list `list`: its index (0-based) and how messages name it. Refused, naming
/// both, when the item is in another list.
fn item_in_list(api: &Api, list: Id, list_name: &str, item: Id) -> Result<(u32, String), ApiError> {
    let location = api.item_location(item)?;
    let page = api.list_items(location.list, location.position, 1)?;
    let label = page.items.first().map_or_else(|| format!("#{item}"), Item::label);
    if location.list != list {
        return Err(ApiError::invalid_input(format!(
            "事项 #{item}“{label}”不在清单“{list_name}”中（它在清单“{}”中），未做任何修改",
            page.list.name
        )));
    }
    Ok((location.position, label))
}

/// `字段=值` as the field and the text to set it to.
fn parse_assignment(text: &str) -> Result<FieldValue, ApiError> {
    let Some((field, value)) = text.split_once('=') else {
        return Err(ApiError::invalid_input(format!(
            "--set “{text}” 须写成 字段=值，如 --set 实施依据=《某某条例》"
        )));
    };
    Ok(FieldValue { field: parse_field(field)?, value: value.to_string() })
}

fn add(
    api: &mut Api,
    actor: &str,
    list: &str,
    name: String,
    set: &[String],
    after: Option<Id>,
    reason: Option<String>,
) -> Result<String, ApiError> {
    let list = api.find_list(list)?;
    let (list_name, length) = list_name_and_length(api, list)?;
    let at = match after {
        Some(after) => item_in_list(api, list, &list_name, after)?.0 + 1,
        None => length,
    };
    // The name is read like any other cell (trimmed, not empty), before the --set values.
    let mut values = vec![FieldValue { field: FieldRef::Standard(ItemField::Name), value: name }];
    for assignment in set {
        values.push(parse_assignment(assignment)?);
    }
    let batch = EditBatch {
        list,
        reason: reason_or(reason, "新增事项"),
        edits: vec![ItemEdit::Insert { items: vec![NewItem { at, after: None, item: Item::default(), values }] }],
    };
    let outcome = api.edit(&batch, actor)?;
    let added = outcome.changed.first().ok_or_else(|| ApiError::new(ErrorCode::Internal, "新增的事项未能读回"))?;
    Ok(format!(
        "已新增事项 #{}：{}（{list_name} 第 {} 项）\n",
        added.item.id,
        added.item.label(),
        added.position + 1
    ))
}

fn delete(api: &mut Api, actor: &str, list: &str, item: Id, reason: Option<String>) -> Result<String, ApiError> {
    let list = api.find_list(list)?;
    let (list_name, _) = list_name_and_length(api, list)?;
    let (position, label) = item_in_list(api, list, &list_name, item)?;
    let batch = EditBatch {
        list,
        reason: reason_or(reason, "删除事项"),
        edits: vec![ItemEdit::Delete { items: vec![item] }],
    };
    let outcome = api.edit(&batch, actor)?;
    Ok(format!(
        "已删除事项 #{item}：{label}（原为{list_name} 第 {} 项，清单现有 {} 项）\n",
        position + 1,
        outcome.total
    ))
}

fn move_item(
    api: &mut Api,
    actor: &str,
    list: &str,
    item: Id,
    to: u32,
    reason: Option<String>,
) -> Result<String, ApiError> {
    let list = api.find_list(list)?;
    let (list_name, length) = list_name_and_length(api, list)?;
    let (position, label) = item_in_list(api, list, &list_name, item)?;
    if to == 0 || to > length {
        return Err(ApiError::invalid_input(format!(
            "位置 {to} 超出范围：{list_name}现有 {length} 项，位置须在 1 到 {length} 之间（从 1 数起）"
        )));
    }
    if to == position + 1 {
        return Ok(format!("事项 #{item}：{label} 已在{list_name} 第 {to} 项，未做改动\n"));
    }
    let batch = EditBatch {
        list,
        reason: reason_or(reason, "移动事项"),
        edits: vec![ItemEdit::Move { items: vec![Placement { item, to: to - 1 }] }],
    };
    api.edit(&batch, actor)?;
    Ok(format!("已移动事项 #{item}：{label}（{list_name} 第 {} 项 → 第 {to} 项）\n", position + 1))
}
