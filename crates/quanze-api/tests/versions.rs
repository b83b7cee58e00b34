//! Publishing versions of a list and comparing a version with the list as it is now.

mod backends;

use quanze_api::{Api, EditBatch, ErrorCode, FieldRef, ItemEdit, ItemField, NewItem, PublishRequest};
use quanze_domain::Item;

fn sample() -> backends::FreshApi {
    let mut api = backends::fresh_api();
    api.load_sample_district("测试").expect("sample");
    api
}

fn publish(api: &mut Api, list: u32, on: &str, doc_no: &str) -> quanze_api::VersionSummary {
    api.publish_version(
        PublishRequest {
            list,
            published_on: on.parse().expect("date"),
            doc_no: Some(doc_no.to_string()),
            note: Some("  ".into()),
            despite_findings: None,
        },
        "发布人",
    )
    .expect("published")
}

#[test]
fn a_published_version_is_frozen_and_compared_with_later_edits() {
    let mut api = sample();
    // List 6 has published versions in the sample district.
    let list = 6;
    let existing = api.versions_of(list).expect("versions");
    let numbers: Vec<u32> = existing.iter().map(|v| v.number).collect();
    assert!(!numbers.is_empty() && numbers.windows(2).all(|w| w[0] > w[1]), "newest first: {numbers:?}");
    let next = numbers[0] + 1;
    let items = api.list_items(list, 0, 5_000).expect("items").items;

    let v2 = publish(&mut api, list, "2026-11-01", "青编办〔2026〕30号");
    assert_eq!(v2.number, next);
    assert_eq!(v2.item_count as usize, items.len());
    assert_eq!(v2.note, None, "a blank note is no note");
    let listed = api.versions_of(list).expect("versions");
    assert_eq!(listed.len(), existing.len() + 1);
    assert_eq!(listed[0], v2, "newest first");
    let fresh = api.compare_with_version(v2.id).expect("compare");
    assert!(fresh.added.is_empty() && fresh.removed.is_empty() && fresh.changed.is_empty());
    assert_eq!(fresh.unchanged as usize, items.len());

    let renamed = items[0].id;
    let deleted = items[1].id;
    let batch = EditBatch {
        list,
        reason: "测试修改".into(),
        edits: vec![
            ItemEdit::Set { item: renamed, field: FieldRef::Standard(ItemField::Name), value: "改过的名称".into(), was: None },
            ItemEdit::Delete { items: vec![deleted] },
            ItemEdit::Insert {
                items: vec![NewItem { at: 0, after: None, item: Item { name: "新增的事项".into(), ..Item::default() }, values: vec![] }],
            },
        ],
    };
    api.edit(&batch, "编辑人").expect("edit");

    let comparison = api.compare_with_version(v2.id).expect("compare");
    assert_eq!(comparison.added.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(), ["新增的事项"]);
    assert_eq!(comparison.removed.iter().map(|i| i.id).collect::<Vec<_>>(), [deleted]);
    assert_eq!(comparison.changed.len(), 1);
    let change = &comparison.changed[0];
    assert_eq!(change.before.name, items[0].name);
    assert_eq!(change.after.name, "改过的名称");
    assert_eq!(change.fields, ["事项名称"]);
    assert_eq!(comparison.unchanged as usize, items.len() - 2);

    let frozen = api.version(v2.id).expect("version");
    assert_eq!(frozen.items, items, "the version kept the items as published");
    assert_eq!(frozen.doc_no.as_deref(), Some("青编办〔2026〕30号"));
    let audit = api.history(1_000).expect("history");
    let reason = format!("第 {next} 版");
    assert!(audit.iter().any(|e| e.reason.as_deref().is_some_and(|r| r.starts_with("发布“") && r.ends_with(&reason))));
}

#[test]
fn an_empty_or_unknown_list_cannot_be_published() {
    let mut api = backends::fresh_api();
    let bundle = "format: quanze-bundle\nformat_version: 1\njurisdictions:\n- {id: 1, name: 试点区, level: 区}\n\
        lists:\n- {id: 1, jurisdiction: 1, kind: 权责清单, name: 空清单}\n";
    api.load_bundle_text(bundle, "试点", "测试").expect("load");
    let empty = api
        .publish_version(PublishRequest { list: 1, published_on: "2026-11-01".parse().expect("date"), doc_no: None, note: None, despite_findings: None }, "x")
        .expect_err("empty");
    assert!(empty.message.contains("还没有事项"), "{}", empty.message);
    let unknown = api
        .publish_version(PublishRequest { list: 99, published_on: "2026-11-01".parse().expect("date"), doc_no: None, note: None, despite_findings: None }, "x")
        .expect_err("unknown");
    assert_eq!(unknown.code, ErrorCode::NotFound);
    assert_eq!(api.versions_of(99).expect_err("unknown").code, ErrorCode::NotFound);
}

#[test]
fn a_published_version_prints_as_published_with_its_doc_no_and_date() {
    let mut api = sample();
    let list = 6;
    let items = api.list_items(list, 0, 5_000).expect("items").items;
    let version = publish(&mut api, list, "2026-11-01", "青编办〔2026〕30号");
    let renamed = items[0].id;
    let batch = EditBatch {
        list,
        reason: "发布后修改".into(),
        edits: vec![ItemEdit::Set { item: renamed, field: FieldRef::Standard(ItemField::Name), value: "发布后改的名称".into(), was: None }],
    };
    api.edit(&batch, "编辑人").expect("edit");

    let request = quanze_api::NoticeRequest { version: Some(version.id), ..quanze_api::NoticeRequest::default() };
    let notice = api.build_notice(&request).expect("notice of the version");
    assert_eq!(notice.heading.doc_no.as_deref(), Some("青编办〔2026〕30号"));
    assert_eq!(notice.heading.date.as_deref(), Some("2026年11月1日"));
    assert_eq!(notice.row_count(), items.len());
    let printed = format!("{:?}", notice.sections);
    assert!(printed.contains(&items[0].name), "the name as published");
    assert!(!printed.contains("发布后改的名称"), "not the later edit");

    let now = api
        .build_notice(&quanze_api::NoticeRequest { lists: vec![list], ..quanze_api::NoticeRequest::default() })
        .expect("notice now");
    assert!(format!("{:?}", now.sections).contains("发布后改的名称"));
    let unknown = quanze_api::NoticeRequest { version: Some(99_999), ..quanze_api::NoticeRequest::default() };
    assert_eq!(api.build_notice(&unknown).expect_err("unknown").code, ErrorCode::NotFound);
}
