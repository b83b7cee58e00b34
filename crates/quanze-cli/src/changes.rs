//! `quanze change propose|review|list|show`: change requests (调整申请) — a list changed by
//! request, review and approval (`docs/adjustment.md`), through the same API as the app.

use clap::Subcommand;
use quanze_api::{Api, ApiError, ChangeProposal, ChangeReview};
use quanze_domain::{ChangeAction, ChangeRequest, ChangeState, FieldSetting, Id};

use crate::admission::parse_date;
use crate::output::text_or_json;

#[derive(Subcommand)]
pub enum ChangeCommand {
    /// 提出调整申请（新增、取消、变更、下放、收回、划转）
    Propose {
        /// 清单编号或全名（下放、收回、划转：事项所在的清单）
        #[arg(long, value_name = "LIST")]
        list: String,
        /// 调整类型：新增、取消、变更、下放、收回、划转
        #[arg(long)]
        action: String,
        /// 事项编号（新增以外都要）
        #[arg(long)]
        item: Option<Id>,
        /// 字段=值（新增：新事项的字段，须有 事项名称；变更：要改的字段）；可多次指定
        #[arg(long = "set", value_name = "FIELD=VALUE", allow_hyphen_values = true)]
        set: Vec<String>,
        /// 新增：加在此事项（事项编号）之后（默认：清单末尾）
        #[arg(long, value_name = "ITEM")]
        after: Option<Id>,
        /// 收回、划转：承接部门（机构名称或编号；默认用它的权责清单接收）
        #[arg(long = "to-unit", value_name = "UNIT")]
        to_unit: Option<String>,
        /// 下放、收回、划转：接收事项的清单（编号或全名）
        #[arg(long = "to-list", value_name = "LIST")]
        to_list: Option<String>,
        /// 调整理由
        #[arg(long)]
        reason: String,
        /// 法律政策依据
        #[arg(long)]
        basis: Option<String>,
        /// 申请单位
        #[arg(long)]
        requester: Option<String>,
        /// 附件文号；可多次指定
        #[arg(long = "attachment", value_name = "DOC_NO")]
        attachments: Vec<String>,
        /// 申请日期（YYYY-MM-DD，默认今天）
        #[arg(long)]
        date: Option<String>,
    },
    /// 审核调整申请：转为 审核中、同意（即按申请修改清单）或 退回（须写意见）
    Review {
        /// 调整申请编号
        id: Id,
        /// 目标状态：审核中、同意、退回
        #[arg(long)]
        to: String,
        /// 审核意见
        #[arg(long)]
        opinion: Option<String>,
        /// 日期（YYYY-MM-DD，默认今天）
        #[arg(long)]
        date: Option<String>,
    },
    /// 列出调整申请
    List {
        /// 只列此清单的（编号或全名）
        #[arg(long, value_name = "LIST")]
        list: Option<String>,
        /// 只列此状态的：申请、审核中、同意、退回、已发布
        #[arg(long)]
        state: Option<String>,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 查看一个调整申请的全部内容与办理记录
    Show {
        id: Id,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(api: &mut Api, actor: &str, command: ChangeCommand) -> Result<String, ApiError> {
    match command {
        ChangeCommand::Propose { list, action, item, set, after, to_unit, to_list, reason, basis, requester, attachments, date } => {
            let action = ChangeAction::parse(&action).ok_or_else(|| {
                let known: Vec<&str> = ChangeAction::ALL.iter().map(|a| a.label()).collect();
                ApiError::invalid_input(format!("未知的调整类型“{action}”，可用：{}", known.join("、")))
            })?;
            let proposal = ChangeProposal {
                list: api.find_list(&list)?,
                action,
                item,
                settings: set.iter().map(|s| setting(s)).collect::<Result<_, _>>()?,
                after,
                to_list: to_list.map(|l| api.find_list(&l)).transpose()?,
                to_unit: to_unit.map(|u| unit_id(api, &u)).transpose()?,
                requester,
                reason,
                basis,
                attachments,
                proposed_on: parse_date(date.as_deref())?,
            };
            let request = api.propose_change(&proposal, actor)?;
            Ok(format!("已提出调整申请 {}", describe(api, &request)))
        }
        ChangeCommand::Review { id, to, opinion, date } => {
            let to = ChangeState::parse(&to).ok_or_else(|| {
                ApiError::invalid_input(format!("未知的状态“{to}”，可用：审核中、同意、退回"))
            })?;
            let review = ChangeReview { request: id, to, opinion, date: parse_date(date.as_deref())? };
            let request = api.review_change(&review, actor)?;
            let mut text = format!("调整申请已转为“{}”：{}", request.state.label(), describe(api, &request));
            for field in &request.applied {
                text.push_str(&format!(
                    "  {}：{} → {}\n",
                    field.field,
                    field.before.as_deref().unwrap_or("（空）"),
                    field.after.as_deref().unwrap_or("（空）")
                ));
            }
            Ok(text)
        }
        ChangeCommand::List { list, state, json } => {
            let list = list.map(|l| api.find_list(&l)).transpose()?;
            let state = state
                .map(|s| ChangeState::parse(&s).ok_or_else(|| ApiError::invalid_input(format!("未知的状态“{s}”，可用：申请、审核中、同意、退回、已发布"))))
                .transpose()?;
            let requests = api.change_requests(list, state)?;
            text_or_json(json, &requests, |requests| {
                let mut text: String = requests.iter().map(|r| describe(api, r)).collect();
                text.push_str(&format!("共 {} 个调整申请\n", requests.len()));
                text
            })
        }
        ChangeCommand::Show { id, json } => {
            let request = api.change_request(id)?;
            text_or_json(json, &request, |r| details(api, r))
        }
    }
}

/// `字段=值` as a setting (the field is checked when the request is made).
fn setting(text: &str) -> Result<FieldSetting, ApiError> {
    let (field, value) = text
        .split_once('=')
        .ok_or_else(|| ApiError::invalid_input(format!("--set “{text}” 须写成 字段=值，如 --set 实施依据=《某某条例》")))?;
    Ok(FieldSetting { field: field.trim().to_string(), value: value.to_string() })
}

/// A unit by its number or its name.
fn unit_id(api: &Api, text: &str) -> Result<Id, ApiError> {
    match text.trim().parse::<Id>() {
        Ok(id) => Ok(id),
        Err(_) => api.find_unit(text),
    }
}

fn list_name(api: &Api, list: Id) -> String {
    api.list_items(list, 0, 0).map(|page| page.list.name).unwrap_or_else(|_| format!("#{list}"))
}

/// One line: number, action, item, state, list (→ receiving list).
fn describe(api: &Api, r: &ChangeRequest) -> String {
    let target = r.to_list.map(|l| format!(" → {}", list_name(api, l))).unwrap_or_default();
    format!(
        "#{}  {}  {}  [{}]  {}{target}  理由：{}\n",
        r.id,
        r.action.label(),
        r.item_label,
        r.state.label(),
        list_name(api, r.list),
        r.reason
    )
}

fn details(api: &Api, r: &ChangeRequest) -> String {
    let mut text = describe(api, r);
    if let Some(basis) = &r.basis {
        text.push_str(&format!("  依据：{basis}\n"));
    }
    if let Some(requester) = &r.requester_unit_text {
        text.push_str(&format!("  申请单位：{requester}\n"));
    }
    for s in &r.settings {
        text.push_str(&format!("  {}＝{}\n", s.field, s.value));
    }
    if !r.attachments.is_empty() {
        text.push_str(&format!("  附件：{}\n", r.attachments.join("、")));
    }
    for step in &r.history {
        text.push_str(&format!(
            "  {}  {}  {}{}\n",
            step.date,
            step.state.label(),
            step.actor.as_deref().unwrap_or(""),
            step.note.as_deref().map(|n| format!("  {n}")).unwrap_or_default()
        ));
    }
    text
}
