//! Change requests (调整申请, `docs/adjustment.md`): a list changes by request, review and
//! approval, not by anyone's hand in the grid alone. A request asks for one change — 新增, 取消,
//! 变更 (field by field), 下放, 收回 or 划转 — with its reason, legal basis and supporting
//! documents (文号). The 编办 moves it 申请 → 审核中 → 同意 / 退回; approval applies the change to
//! the list in the same audited transaction that records the decision, so a list never holds an
//! approved change half made. The next published version names the requests it contains
//! (`versions.rs`), and the 调整公告 prints them with their reasons.
//!
//! A transfer moves the item itself (same id, same uid, same history) to the receiving list; a
//! 收回 also leaves its record on the street's 上级部门收回 list, naming the department that took
//! the item back.

use chrono::NaiveDate;
use quanze_domain::{
    AppliedField, ChangeAction, ChangeRequest, ChangeState, ChangeStep, DutyList, FieldSetting, Id, Item,
    Level, ListKind, Withdrawal,
};
use quanze_store::{ItemRecord, Reader, StoreError, Writer};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::edit::{apply_within, FieldRef, FieldValue, ItemEdit, NewItem};
use crate::{Api, ApiError, ErrorCode};

/// What the 调整申请 form (or `quanze change propose`) sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChangeProposal {
    pub list: Id,
    pub action: ChangeAction,
    /// The item concerned (all actions but 新增).
    #[serde(default)]
    pub item: Option<Id>,
    /// 新增: the new item's fields (事项名称 among them); 变更: the fields to change.
    #[serde(default)]
    pub settings: Vec<FieldSetting>,
    /// 新增: the item the new one goes after (none: at the end).
    #[serde(default)]
    pub after: Option<Id>,
    #[serde(default)]
    pub to_list: Option<Id>,
    #[serde(default)]
    pub to_unit: Option<Id>,
    /// 申请单位 as written; matched to a unit when one has the name.
    #[serde(default)]
    pub requester: Option<String>,
    pub reason: String,
    #[serde(default)]
    pub basis: Option<String>,
    /// 文号 of supporting documents.
    #[serde(default)]
    pub attachments: Vec<String>,
    pub proposed_on: NaiveDate,
}

/// A review step (`quanze change review`): the state to move to, with the reviewer's opinion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChangeReview {
    pub request: Id,
    pub to: ChangeState,
    #[serde(default)]
    pub opinion: Option<String>,
    pub date: NaiveDate,
}

fn trimmed(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

fn refused(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::ProcedureRefused, message)
}

/// Where a transfer lands: the list and the receiving department.
struct Destination {
    list: DutyList,
    unit: Option<Id>,
}

/// An item of `list`, or a refusal naming both.
fn item_of_list(reader: &Reader<'_>, list: &DutyList, item: Option<Id>, action: ChangeAction) -> Result<ItemRecord, ApiError> {
    let item = item.ok_or_else(|| ApiError::invalid_input(format!("“{}”须指明事项（--item）", action.label())))?;
    let record = reader.item(item).map_err(|_| ApiError::new(ErrorCode::NotFound, format!("找不到事项 #{item}")))?;
    if record.list != list.id {
        let other = reader.list(record.list).map(|l| l.name).unwrap_or_default();
        return Err(ApiError::invalid_input(format!(
            "事项 #{item}“{}”不在清单“{}”中（它在清单“{other}”中）",
            record.item.label(),
            list.name
        )));
    }
    Ok(record)
}

/// The request of `item` still open (申请 or 审核中), as a refusal naming it: an item has one
/// open change request at a time.
fn open_request_of(reader: &Reader<'_>, list: Id, item: Id, item_label: &str) -> Result<Option<ApiError>, StoreError> {
    let open = reader
        .change_requests_of_list(list)?
        .into_iter()
        .find(|r| r.item == Some(item) && matches!(r.state, ChangeState::Proposed | ChangeState::UnderReview));
    Ok(open.map(|open| {
        refused(format!(
            "事项“{item_label}”已有未办结的调整申请 #{}（{}，{}）：请先审核完该申请",
            open.id,
            open.action.label(),
            open.state.label()
        ))
    }))
}

/// The 权责清单 of a department, for a 收回 or 划转 named by its receiving unit.
fn power_list_of(reader: &Reader<'_>, unit: Id) -> Result<DutyList, ApiError> {
    let unit_name = reader.unit(unit).map(|u| u.name).map_err(|_| ApiError::new(ErrorCode::NotFound, format!("找不到机构 #{unit}")))?;
    reader
        .lists()?
        .into_iter()
        .find(|l| l.unit == Some(unit) && l.kind == ListKind::Power)
        .ok_or_else(|| {
            ApiError::invalid_input(format!("“{unit_name}”还没有权责清单：请先建立，或用 --to-list 指明接收的清单"))
        })
}

fn level_of(reader: &Reader<'_>, list: &DutyList) -> Result<Level, ApiError> {
    Ok(reader.jurisdiction(list.jurisdiction)?.level)
}

/// The receiving list of a transfer, checked against what the action means.
fn destination(reader: &Reader<'_>, source: &DutyList, proposal: &ChangeProposal) -> Result<Destination, ApiError> {
    let action = proposal.action;
    let list = match (proposal.to_list, proposal.to_unit) {
        (Some(to_list), _) => reader.list(to_list).map_err(|_| ApiError::new(ErrorCode::NotFound, format!("找不到清单 #{to_list}")))?,
        (None, Some(unit)) if action != ChangeAction::Devolve => power_list_of(reader, unit)?,
        _ => {
            let wanted = if action == ChangeAction::Devolve { "接收的街道清单（--to-list）" } else { "承接部门（--to-unit）或接收的清单（--to-list）" };
            return Err(ApiError::invalid_input(format!("“{}”须指明{wanted}", action.label())));
        }
    };
    if list.id == source.id {
        return Err(ApiError::invalid_input(format!("“{}”的接收清单不能是原清单“{}”", action.label(), source.name)));
    }
    let (from, to) = (level_of(reader, source)?, level_of(reader, &list)?);
    let fits = match action {
        ChangeAction::Devolve => from == Level::District && to == Level::Street,
        ChangeAction::Withdraw => from == Level::Street && to == Level::District,
        _ => from == Level::District && to == Level::District && list.kind == ListKind::Power,
    };
    if !fits {
        let meaning = match action {
            ChangeAction::Devolve => "下放是把区级部门的事项交给街道",
            ChangeAction::Withdraw => "收回是区级部门把街道的事项收回",
            _ => "划转是在区级部门的权责清单之间移交事项",
        };
        return Err(ApiError::invalid_input(format!(
            "{meaning}；“{}”（{}）→“{}”（{}）不符",
            source.name,
            from.label(),
            list.name,
            to.label()
        )));
    }
    let unit = proposal.to_unit.or(list.unit);
    Ok(Destination { list, unit })
}

/// The settings as the edit session reads them, each field named as people write it.
fn field_values(settings: &[FieldSetting]) -> Result<Vec<FieldValue>, ApiError> {
    settings
        .iter()
        .map(|s| Ok(FieldValue { field: FieldRef::parse(&s.field)?, value: s.value.clone() }))
        .collect()
}

impl Api {
    /// Change requests, oldest first: all, or those concerning one list (made to it, or moving
    /// an item into it), and only those in one state when asked.
    pub fn change_requests(&self, list: Option<Id>, state: Option<ChangeState>) -> Result<Vec<ChangeRequest>, ApiError> {
        let reader = self.store.reader();
        let requests = match list {
            Some(list) => {
                reader.list(list).map_err(|_| ApiError::new(ErrorCode::NotFound, format!("找不到清单 #{list}")))?;
                reader.change_requests_of_list(list)?
            }
            None => reader.change_requests()?,
        };
        Ok(requests.into_iter().filter(|r| state.is_none_or(|s| r.state == s)).collect())
    }

    /// One change request.
    pub fn change_request(&self, id: Id) -> Result<ChangeRequest, ApiError> {
        self.store.reader().change_request(id).map_err(|_| ApiError::new(ErrorCode::NotFound, format!("找不到调整申请 #{id}")))
    }

    /// File a change request (state 申请). Everything the change needs is checked now — the
    /// item is on the list, the fields exist, a transfer goes where its action means — so that
    /// a request that reaches review can be applied; nothing is changed until it is approved.
    pub fn propose_change(&mut self, proposal: &ChangeProposal, actor: &str) -> Result<ChangeRequest, ApiError> {
        let reason = trimmed(Some(&proposal.reason)).ok_or_else(|| ApiError::invalid_input("请写明调整理由"))?;
        let reader = self.store.reader();
        let list = reader.list(proposal.list).map_err(|_| ApiError::new(ErrorCode::NotFound, format!("找不到清单 #{}", proposal.list)))?;
        let values = field_values(&proposal.settings)?;
        let action = proposal.action;
        let (item, item_label) = match action {
            ChangeAction::Add => {
                let name = values
                    .iter()
                    .rev()
                    .find(|v| v.field == FieldRef::Standard(quanze_domain::ItemField::Name))
                    .and_then(|v| trimmed(Some(&v.value)))
                    .ok_or_else(|| ApiError::invalid_input("新增事项须给出事项名称（--set 事项名称=…）"))?;
                if let Some(after) = proposal.after {
                    item_of_list(&reader, &list, Some(after), action)?;
                }
                (None, name)
            }
            _ => {
                let record = item_of_list(&reader, &list, proposal.item, action)?;
                (Some(record.item.id), record.item.label())
            }
        };
        if action == ChangeAction::Modify && values.is_empty() {
            return Err(ApiError::invalid_input("变更须给出要改的字段（--set 字段=值）"));
        }
        if !matches!(action, ChangeAction::Add | ChangeAction::Modify) && !values.is_empty() {
            return Err(ApiError::invalid_input(format!("“{}”不改字段；要改字段请另提“变更”申请", action.label())));
        }
        let destination = if action.is_transfer() { Some(destination(&reader, &list, proposal)?) } else { None };
        let requester = trimmed(proposal.requester.as_deref());
        let requester_unit = match &requester {
            Some(name) => reader.units()?.into_iter().find(|u| &u.name == name).map(|u| u.id),
            None => None,
        };
        let mut request = ChangeRequest {
            id: 0,
            uid: None,
            list: list.id,
            action,
            item,
            item_label,
            settings: proposal.settings.clone(),
            after: proposal.after.filter(|_| action == ChangeAction::Add),
            to_list: destination.as_ref().map(|d| d.list.id),
            to_unit: destination.as_ref().and_then(|d| d.unit),
            requester_unit,
            requester_unit_text: requester,
            reason,
            basis: trimmed(proposal.basis.as_deref()),
            attachments: proposal.attachments.iter().filter_map(|a| trimmed(Some(a))).collect(),
            proposed_on: proposal.proposed_on,
            state: ChangeState::Proposed,
            history: vec![ChangeStep { state: ChangeState::Proposed, date: proposal.proposed_on, actor: Some(actor.to_string()), note: None }],
            reviewer: None,
            opinion: None,
            applied: Vec::new(),
            version: None,
        };
        if let Some(item) = item {
            if let Some(open) = open_request_of(&reader, list.id, item, &request.item_label)? {
                return Err(open);
            }
        }
        let why = format!("提出调整申请（{}）：{}", action.label(), request.item_label);
        let mut refusal: Option<ApiError> = None;
        let written = self.store.write(actor, Some(&why), |w| {
            // Two people proposing a change of one item at once on a server: the item is
            // locked and its open requests read again, so that the second is refused.
            if let Some(item) = request.item {
                w.lock::<ItemRecord>(item)?;
                if let Some(open) = open_request_of(&w.reader(), request.list, item, &request.item_label)? {
                    let message = open.message.clone();
                    refusal = Some(open);
                    return Err(StoreError::Invalid(message));
                }
            }
            w.put(&mut request)
        });
        match (written, refusal) {
            (Ok(_), _) => Ok(request),
            (Err(_), Some(open)) => Err(open),
            (Err(error), None) => Err(error.into()),
        }
    }

    /// Move a request one step of the procedure. 同意 applies the change to the list in the
    /// same transaction; 退回 must say why. 已发布 is reached only by publishing a version.
    pub fn review_change(&mut self, review: &ChangeReview, actor: &str) -> Result<ChangeRequest, ApiError> {
        let mut request = self.change_request(review.request)?;
        let seen = request.state;
        let to = review.to;
        if to == ChangeState::Published {
            return Err(refused("调整申请在发布清单新版本时自动标为“已发布”，不能直接设置"));
        }
        if !request.state.can_move_to(to) {
            let next: Vec<&str> = ChangeState::ALL.into_iter().filter(|s| request.state.can_move_to(*s) && *s != ChangeState::Published).map(ChangeState::label).collect();
            let hint = if next.is_empty() { "该申请已办结".to_string() } else { format!("现在只能转为：{}", next.join("、")) };
            return Err(refused(format!("调整申请 #{} 现为“{}”，不能转为“{}”；{hint}", request.id, request.state.label(), to.label())));
        }
        let opinion = trimmed(review.opinion.as_deref());
        if to.needs_opinion() && opinion.is_none() {
            return Err(ApiError::invalid_input(format!("“{}”须写明审核意见（--opinion）", to.label())));
        }
        request.state = to;
        request.history.push(ChangeStep { state: to, date: review.date, actor: Some(actor.to_string()), note: opinion.clone() });
        if matches!(to, ChangeState::Approved | ChangeState::Returned) {
            request.reviewer = Some(actor.to_string());
            request.opinion = opinion;
        }
        let why = format!("{}（调整申请 #{}）：{}", request.action.label(), request.id, request.reason);
        let mut refusal: Option<ApiError> = None;
        let written = self.store.write(actor, Some(&why), |writer| {
            // Two reviewers at once on a server: the request is locked and its state read
            // again; a step from a state it has left (another user's 同意 applied the change
            // already) is refused, nothing written.
            writer.lock::<ChangeRequest>(request.id)?;
            let now = writer.reader().change_request(request.id)?.state;
            if now != seen {
                let error = ApiError::new(ErrorCode::EditConflict, format!("另一位用户已把它转为“{}”", now.label()));
                let message = error.message.clone();
                refusal = Some(error);
                return Err(StoreError::Invalid(message));
            }
            if to == ChangeState::Approved {
                if let Err(error) = apply_change(writer, &mut request) {
                    let message = error.message.clone();
                    refusal = Some(error);
                    return Err(StoreError::Invalid(message));
                }
            }
            writer.put(&mut request)
        });
        match (written, refusal) {
            (Ok(_), _) => Ok(request),
            (Err(_), Some(error)) => Err(ApiError::new(error.code, format!("调整申请 #{} 无法执行，未做任何修改：{}", request.id, error.message))),
            (Err(error), None) => Err(error.into()),
        }
    }
}

/// Apply an approved request to its list(s), inside the review's transaction.
fn apply_change(writer: &mut Writer<'_>, request: &mut ChangeRequest) -> Result<(), ApiError> {
    let list = writer.reader().list(request.list)?;
    match request.action {
        ChangeAction::Add => {
            let at = match request.after {
                Some(after) => item_of_list(&writer.reader(), &list, Some(after), request.action)?.position + 1,
                None => writer.reader().item_counts()?.get(&list.id).copied().unwrap_or(0),
            };
            let values = field_values(&request.settings)?;
            let insert = ItemEdit::Insert { items: vec![NewItem { at, after: None, item: Item::default(), values }] };
            let created = apply_within(writer, list.id, &[insert])?;
            request.item = created.first().copied();
        }
        ChangeAction::Cancel => {
            let record = item_of_list(&writer.reader(), &list, request.item, request.action)?;
            apply_within(writer, list.id, &[ItemEdit::Delete { items: vec![record.item.id] }])?;
        }
        ChangeAction::Modify => {
            let record = item_of_list(&writer.reader(), &list, request.item, request.action)?;
            let values = field_values(&request.settings)?;
            let edits: Vec<ItemEdit> = values
                .iter()
                .map(|v| ItemEdit::Set { item: record.item.id, field: v.field.clone(), value: v.value.clone(), was: None })
                .collect();
            apply_within(writer, list.id, &edits)?;
            let after = writer.reader().item(record.item.id)?.item;
            request.applied = values
                .iter()
                .filter_map(|v| {
                    let (before, now) = (v.field.value_in(&record.item), v.field.value_in(&after));
                    (before != now).then(|| AppliedField { field: v.field.label(), before, after: now })
                })
                .collect();
        }
        ChangeAction::Devolve | ChangeAction::Withdraw | ChangeAction::Reassign => transfer(writer, request, &list)?,
    }
    Ok(())
}

/// Move the item to the receiving list (its end), keeping its id, uid and history; close the
/// gap it leaves; for a 收回, leave the record on the street's 上级部门收回 list.
fn transfer(writer: &mut Writer<'_>, request: &mut ChangeRequest, source: &DutyList) -> Result<(), ApiError> {
    let to_list = request.to_list.ok_or_else(|| ApiError::invalid_input("调整申请没有接收的清单"))?;
    let (record, target, counts, unit_name, withdrawn_list) = {
        let reader = writer.reader();
        let record = item_of_list(&reader, source, request.item, request.action)?;
        let target = reader.list(to_list)?;
        let unit_name = match request.to_unit.or(target.unit) {
            Some(unit) => Some(reader.unit(unit)?.name),
            None => None,
        };
        let withdrawn_list = reader
            .lists()?
            .into_iter()
            .find(|l| l.jurisdiction == source.jurisdiction && l.kind == ListKind::StreetWithdrawn);
        (record, target, reader.item_counts()?, unit_name, withdrawn_list)
    };
    let source_length = counts.get(&source.id).copied().unwrap_or(0);
    let target_length = counts.get(&target.id).copied().unwrap_or(0);
    let unit = request.to_unit.or(target.unit);
    let mut moved = record.item.clone();
    if request.action != ChangeAction::Devolve {
        // The receiving department handles the item from now on.
        moved.handling_unit = unit;
        moved.handling_unit_text = unit_name.clone();
    }
    let before = record.item.handling_unit_text.clone().or_else(|| Some(source.name.clone()));
    writer.put(&mut ItemRecord { list: target.id, position: target_length, item: moved })?;
    writer.shift_item_positions(source.id, record.position + 1, source_length, -1)?;
    request.applied = vec![AppliedField { field: "所在清单".to_string(), before: Some(source.name.clone()), after: Some(target.name.clone()) }];
    if request.action != ChangeAction::Devolve {
        request.applied.push(AppliedField { field: "承办机构".to_string(), before, after: unit_name.clone() });
    }
    if request.action == ChangeAction::Withdraw {
        let destination_name = unit_name.clone().unwrap_or_else(|| target.name.clone());
        if let Some(withdrawn_list) = withdrawn_list {
            let at = counts.get(&withdrawn_list.id).copied().unwrap_or(0);
            let entry = Item {
                name: record.item.name.clone(),
                sub_item: record.item.sub_item.clone(),
                category: record.item.category.clone(),
                basis: request.basis.clone().or_else(|| record.item.basis.clone()),
                withdrawal: Some(Withdrawal { receiving_unit: unit, receiving_unit_text: Some(destination_name), working_method: None }),
                remarks: Some(format!("调整申请 #{} 收回：{}", request.id, request.reason)),
                ..Item::default()
            };
            apply_within(writer, withdrawn_list.id, &[ItemEdit::Insert { items: vec![NewItem { at, after: None, item: entry, values: Vec::new() }] }])?;
        }
    }
    Ok(())
}
