//! Two versions of a list compared, and the 调整公告 built from them, on the sample district:
//! an item moved to another department by an approved 划转 is a transfer on both lists, not a
//! removal and an addition; an edit in the grid between the versions is a change with its audit
//! entry's reason (not the reason of an edit before or after them); versions of two lists are
//! not compared.

mod backends;

use quanze_api::{
    AdjustmentNoticeRequest, Api, ChangeProposal, ChangeReview, EditBatch, ErrorCode, FieldRef, ItemEdit, ItemField,
    PublishRequest,
};
use quanze_domain::{ChangeAction, ChangeState, Id};

const HOUSING_LIST: &str = "青川区住房和城乡建设局权责清单";
const JUSTICE_LIST: &str = "青川区司法局权责清单";

fn sample() -> backends::FreshApi {
    let mut api = backends::fresh_api();
    api.load_sample_district("测试").expect("sample");
    api
}

fn publish(api: &mut Api, list: Id, on: &str) -> quanze_api::VersionSummary {
    let request = PublishRequest {
        list,
        published_on: on.parse().expect("date"),
        doc_no: None,
        note: None,
        despite_findings: Some("测试".into()),
    };
    api.publish_version(request, "发布人").expect("published")
}

fn rename(api: &mut Api, list: Id, item: Id, name: &str, reason: &str) {
    let batch = EditBatch {
        list,
        reason: reason.into(),
        edits: vec![ItemEdit::Set { item, field: FieldRef::Standard(ItemField::Name), value: name.into(), was: None }],
    };
    api.edit(&batch, "编辑人").expect("edit");
}

fn approve(api: &mut Api, request: Id) {
    for to in [ChangeState::UnderReview, ChangeState::Approved] {
        let review = ChangeReview { request, to, opinion: None, date: "2026-11-05".parse().expect("date") };
        api.review_change(&review, "审核人").expect("review");
    }
}

#[test]
fn a_reassigned_item_is_a_transfer_on_both_lists_and_in_the_notice() {
    let mut api = sample();
    let (source, target) = (api.find_list(HOUSING_LIST).expect("list"), api.find_list(JUSTICE_LIST).expect("list"));
    let source_before = publish(&mut api, source, "2026-11-01");
    let target_before = publish(&mut api, target, "2026-11-01");
    let item = api.list_items(source, 0, 1).expect("items").items[0].clone();
    let proposal = ChangeProposal {
        list: source,
        action: ChangeAction::Reassign,
        item: Some(item.id),
        settings: Vec::new(),
        after: None,
        to_list: Some(target),
        to_unit: None,
        requester: None,
        reason: "职责调整".into(),
        basis: Some("区委编委〔2026〕3号".into()),
        attachments: Vec::new(),
        proposed_on: "2026-11-02".parse().expect("date"),
    };
    let request = api.propose_change(&proposal, "申请人").expect("proposed").id;
    approve(&mut api, request);
    let source_after = publish(&mut api, source, "2026-12-01");

    let out = api.compare_versions(source_before.id, Some(source_after.id)).expect("compare");
    assert!(out.removed.is_empty() && out.added.is_empty(), "a transfer is no removal: {:?}", out.removed);
    assert_eq!(out.transferred_out.len(), 1);
    let moved = &out.transferred_out[0];
    assert_eq!((moved.item.id, moved.action, moved.request), (item.id, ChangeAction::Reassign, request));
    assert_eq!((moved.from_list_name.as_str(), moved.to_list_name.as_str()), (HOUSING_LIST, JUSTICE_LIST));
    let reasons: Vec<_> = out.reasons_of(item.id).collect();
    assert_eq!(reasons.len(), 1);
    assert_eq!(reasons[0].reason.as_deref(), Some("职责调整"));
    assert_eq!(reasons[0].basis.as_deref(), Some("区委编委〔2026〕3号"));

    // The receiving list, its version against now: the item came in.
    let arrived = api.compare_versions(target_before.id, None).expect("compare");
    assert!(arrived.added.is_empty());
    assert_eq!(arrived.transferred_in.iter().map(|t| t.item.id).collect::<Vec<_>>(), [item.id]);

    let request = AdjustmentNoticeRequest { list: source, from: source_before.number, ..AdjustmentNoticeRequest::default() };
    let notice = api.build_adjustment_notice(&request).expect("notice");
    let transfers = &notice.sections[3];
    assert_eq!(transfers.heading.as_deref(), Some("四、下放·收回·划转事项（1项）"));
    assert_eq!(transfers.rows[0][2..], ["划转", HOUSING_LIST, JUSTICE_LIST, "职责调整", "区委编委〔2026〕3号"]);
    assert!(notice.sections[1].rows.is_empty(), "nothing cancelled");
}

#[test]
fn an_edit_between_two_versions_carries_its_own_audit_reason() {
    let mut api = sample();
    let list = api.find_list(HOUSING_LIST).expect("list");
    let items = api.list_items(list, 0, 3).expect("items").items;
    let (early, between) = (items[0].id, items[1].id);
    rename(&mut api, list, early, "发布前改的名称", "发布前的修改");
    let older = publish(&mut api, list, "2026-11-01");
    rename(&mut api, list, between, "两版之间改的名称", "更正错别字");
    let newer = publish(&mut api, list, "2026-12-01");
    rename(&mut api, list, between, "发布后又改的名称", "发布后的修改");

    let out = api.compare_versions(newer.id, Some(older.id)).expect("compare");
    assert_eq!(out.version.id, older.id, "the older version is the base");
    assert_eq!(out.changed.len(), 1);
    let change = &out.changed[0];
    assert_eq!(change.after.id, between);
    assert_eq!(change.differences.len(), 1);
    assert_eq!(change.differences[0].field, "事项名称");
    assert_eq!(change.differences[0].after.as_deref(), Some("两版之间改的名称"));
    let reasons: Vec<_> = out.reasons_of(between).collect();
    assert_eq!(reasons.len(), 1);
    assert_eq!((reasons[0].request, reasons[0].reason.as_deref()), (None, Some("更正错别字")));

    // Towards now, the later edit is the reason.
    let now = api.compare_versions(newer.id, None).expect("compare");
    assert_eq!(now.reasons_of(between).next().and_then(|r| r.reason.as_deref()), Some("发布后的修改"));

    let other = api.find_list(JUSTICE_LIST).expect("list");
    let foreign = publish(&mut api, other, "2026-12-01");
    let refused = api.compare_versions(older.id, Some(foreign.id)).expect_err("two lists");
    assert_eq!(refused.code, ErrorCode::InvalidInput);
    let missing = api.version_numbered(list, 99).expect_err("no such version");
    assert_eq!(missing.code, ErrorCode::NotFound);
    assert!(missing.message.contains("没有第 99 版"), "{}", missing.message);
}

#[test]
fn an_added_item_carries_its_request_into_the_first_table() {
    let mut api = sample();
    let list = api.find_list(JUSTICE_LIST).expect("list");
    let older = publish(&mut api, list, "2026-11-01");
    let setting = |field: &str, value: &str| quanze_domain::FieldSetting { field: field.into(), value: value.into() };
    let proposal = ChangeProposal {
        list,
        action: ChangeAction::Add,
        item: None,
        settings: vec![setting("事项名称", "社区矫正对象报到登记"), setting("实施依据", "《社区矫正法》第二十一条")],
        after: None,
        to_list: None,
        to_unit: None,
        requester: None,
        reason: "新法施行".into(),
        basis: Some("《社区矫正法》".into()),
        attachments: vec!["司发〔2026〕1号".into()],
        proposed_on: "2026-11-02".parse().expect("date"),
    };
    let request = api.propose_change(&proposal, "申请人").expect("proposed").id;
    approve(&mut api, request);
    let newer = publish(&mut api, list, "2026-12-01");

    let out = api.compare_versions(older.id, Some(newer.id)).expect("compare");
    assert_eq!(out.added.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), ["社区矫正对象报到登记"]);
    let added = out.added[0].id;
    assert_eq!(out.reasons_of(added).map(|r| r.request).collect::<Vec<_>>(), [Some(request)]);

    let notice = api
        .build_adjustment_notice(&AdjustmentNoticeRequest { list, from: older.number, to: Some(newer.number), ..Default::default() })
        .expect("notice");
    assert_eq!(notice.sections[0].heading.as_deref(), Some("一、新增事项（1项）"));
    assert_eq!(notice.sections[0].rows, [["1", "社区矫正对象报到登记", "《社区矫正法》第二十一条", "新法施行", "《社区矫正法》"]]);
    let backwards = AdjustmentNoticeRequest { list, from: newer.number, to: Some(older.number), ..Default::default() };
    assert_eq!(api.build_adjustment_notice(&backwards).expect_err("older first").code, ErrorCode::InvalidInput);
}
