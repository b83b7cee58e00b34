//! Change requests (调整申请): how a published list changes under control. A department asks to
//! add, cancel or change an item, or to move one between levels or departments, with a reason
//! and a legal basis; the 编办 reviews it; an approved change is applied to the list as one
//! audited operation; the next published version carries it, and the 调整公告 tells the public
//! (`docs/adjustment.md`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Id;

/// What a change request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum ChangeAction {
    /// A new item on the list.
    #[serde(rename = "新增")]
    Add,
    /// An item taken off the list.
    #[serde(rename = "取消")]
    Cancel,
    /// Fields of an item changed.
    #[serde(rename = "变更")]
    Modify,
    /// A department's item handed down to a street (下放).
    #[serde(rename = "下放")]
    Devolve,
    /// A street's item taken back by a district department (上级部门收回).
    #[serde(rename = "收回")]
    Withdraw,
    /// An item moved from one department to another (划转).
    #[serde(rename = "划转")]
    Reassign,
}

impl ChangeAction {
    pub const ALL: [ChangeAction; 6] = [
        ChangeAction::Add,
        ChangeAction::Cancel,
        ChangeAction::Modify,
        ChangeAction::Devolve,
        ChangeAction::Withdraw,
        ChangeAction::Reassign,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ChangeAction::Add => "新增",
            ChangeAction::Cancel => "取消",
            ChangeAction::Modify => "变更",
            ChangeAction::Devolve => "下放",
            ChangeAction::Withdraw => "收回",
            ChangeAction::Reassign => "划转",
        }
    }

    pub fn parse(text: &str) -> Option<ChangeAction> {
        let text = text.trim();
        ChangeAction::ALL.into_iter().find(|action| action.label() == text)
    }

    /// Whether the action moves an item to another list (and keeps its identity there).
    pub fn is_transfer(self) -> bool {
        matches!(self, ChangeAction::Devolve | ChangeAction::Withdraw | ChangeAction::Reassign)
    }
}

/// Where a change request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum ChangeState {
    #[serde(rename = "申请")]
    Proposed,
    #[serde(rename = "审核中")]
    UnderReview,
    /// Approved and applied to the list.
    #[serde(rename = "同意")]
    Approved,
    /// Sent back to the requester with the reviewer's opinion; nothing was changed.
    #[serde(rename = "退回")]
    Returned,
    /// Contained in a published version.
    #[serde(rename = "已发布")]
    Published,
}

impl ChangeState {
    pub const ALL: [ChangeState; 5] = [
        ChangeState::Proposed,
        ChangeState::UnderReview,
        ChangeState::Approved,
        ChangeState::Returned,
        ChangeState::Published,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ChangeState::Proposed => "申请",
            ChangeState::UnderReview => "审核中",
            ChangeState::Approved => "同意",
            ChangeState::Returned => "退回",
            ChangeState::Published => "已发布",
        }
    }

    pub fn parse(text: &str) -> Option<ChangeState> {
        let text = text.trim();
        ChangeState::ALL.into_iter().find(|state| state.label() == text)
    }

    /// The moves of the procedure: 申请 → 审核中 → 同意 / 退回; 同意 → 已发布 (only by
    /// publishing a version). A returned request is finished: the requester files a new one.
    pub fn can_move_to(self, next: ChangeState) -> bool {
        use ChangeState::*;
        matches!(
            (self, next),
            (Proposed, UnderReview) | (UnderReview, Approved) | (UnderReview, Returned) | (Approved, Published)
        )
    }

    /// Whether a move into this state must give an opinion: the requester is owed the reason
    /// a change was sent back.
    pub fn needs_opinion(self) -> bool {
        matches!(self, ChangeState::Returned)
    }
}

/// `字段=值` of a 新增 or 变更 request: the field by its label as the table shows it (事项名称,
/// 实施依据 …), and the value as text (empty: clear the field).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldSetting {
    pub field: String,
    pub value: String,
}

/// One field as an approved change left it: before and after, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppliedField {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// One move of a change request, kept forever.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChangeStep {
    pub state: ChangeState,
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A request to change a list (调整申请).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChangeRequest {
    pub id: Id,
    /// Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub uid: Option<crate::Uid>,
    /// The list the change is made to (for a transfer: the list the item leaves).
    pub list: Id,
    pub action: ChangeAction,
    /// The item concerned; for 新增, the item created once the change is approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<Id>,
    /// The item's name (名称（子项）) when the request was made: kept when the item later goes.
    pub item_label: String,
    /// 新增: the new item's fields; 变更: the fields to change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<FieldSetting>,
    /// 新增: the item the new one goes after (none: at the end).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Id>,
    /// 下放 / 收回 / 划转: the list the item moves to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_list: Option<Id>,
    /// 收回 / 划转: the receiving department (its 权责清单 is `to_list` when none is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_unit: Option<Id>,
    /// The unit asking for the change (申请单位).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester_unit: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester_unit_text: Option<String>,
    /// 调整理由
    pub reason: String,
    /// 法律政策依据
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// Attachments by reference: the 文号 of the documents that support the request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<String>,
    pub proposed_on: NaiveDate,
    pub state: ChangeState,
    /// Every state the request has passed through, oldest first; the last one equals `state`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<ChangeStep>,
    /// 审核人 of the decision (同意 / 退回).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    /// 审核意见
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opinion: Option<String>,
    /// What the approval changed, field by field (变更), for the 调整公告 and the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applied: Vec<AppliedField>,
    /// The published version that contains the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Id>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_change_procedure_allows_only_its_moves() {
        use ChangeState::*;
        assert!(Proposed.can_move_to(UnderReview));
        assert!(UnderReview.can_move_to(Approved));
        assert!(UnderReview.can_move_to(Returned));
        assert!(Approved.can_move_to(Published));
        assert!(!Proposed.can_move_to(Approved), "a change needs a review");
        assert!(!Returned.can_move_to(Approved));
        assert!(!UnderReview.can_move_to(Published), "only an approved change is published");
        assert!(!Published.can_move_to(Approved));
    }

    #[test]
    fn actions_and_states_parse_from_their_labels() {
        for action in ChangeAction::ALL {
            assert_eq!(ChangeAction::parse(action.label()), Some(action));
        }
        for state in ChangeState::ALL {
            assert_eq!(ChangeState::parse(state.label()), Some(state));
        }
        assert_eq!(ChangeAction::parse("删除"), None);
        assert!(ChangeAction::Withdraw.is_transfer() && !ChangeAction::Modify.is_transfer());
    }
}
