//! Jurisdictions, units and lists added, renamed and deleted by hand (`structure.rs`): each
//! change audited with its actor, refusals that say what is in the way, and nothing written
//! when refused.

mod backends;

use quanze_api::{Api, ErrorCode, NewList};
use quanze_domain::{ListKind, UnitKind};

fn sample() -> backends::FreshApi {
    let mut api = backends::fresh_api();
    api.load_sample_district("测试").expect("sample");
    api
}

fn audit_count(api: &Api) -> u64 {
    api.audit_entry_count().expect("audit count")
}

#[test]
fn a_community_is_added_under_a_street_renamed_and_deleted_with_its_audit_entries() {
    let mut api = sample();
    let street = api.find_jurisdiction("青溪街道").expect("street");
    let added = api.create_jurisdiction(Some(street), " 新河社区 ", None, "王科员").expect("added");
    assert_eq!((added.name.as_str(), added.level.label(), added.parent), ("新河社区", "社区", Some(street)));
    let renamed = api.rename_jurisdiction(added.id, "新河村", Some("村"), "王科员").expect("renamed");
    assert_eq!((renamed.name.as_str(), renamed.designation.as_deref()), ("新河村", Some("村")));
    let node = api.overview().expect("overview").tree[0]
        .children
        .iter()
        .find(|s| s.id == street)
        .and_then(|s| s.children.iter().find(|c| c.id == added.id).cloned())
        .expect("in the tree");
    assert_eq!(node.name, "新河村");

    api.delete_jurisdiction(added.id, "王科员").expect("an empty community is deleted");
    assert!(api.find_jurisdiction("新河村").is_err());
    let log = api.history(3).expect("history");
    let actions: Vec<(&str, &str, &str)> = log.iter().map(|e| (e.action.as_str(), e.label.as_str(), e.actor.as_str())).collect();
    assert_eq!(actions[0].0, "删除");
    assert_eq!(actions[1].0, "修改");
    assert_eq!(actions[2].0, "新增");
    assert!(log.iter().all(|e| e.actor == "王科员"), "{actions:?}");
}

#[test]
fn a_jurisdiction_is_placed_one_level_below_its_parent_and_named_once() {
    let mut api = sample();
    let community = api.find_jurisdiction("青溪社区").expect("community");
    let below = api.create_jurisdiction(Some(community), "一组", None, "测试").expect_err("nothing below a community");
    assert_eq!(below.code, ErrorCode::InvalidInput);
    assert!(below.message.contains("其下不能再设辖区"), "{}", below.message);

    let street = api.find_jurisdiction("青溪街道").expect("street");
    let twice = api.create_jurisdiction(Some(street), "青溪社区", None, "测试").expect_err("a sibling's name");
    assert!(twice.message.contains("已有名为“青溪社区”的辖区"), "{}", twice.message);
    let wrong = api.create_jurisdiction(Some(street), "小镇社区", Some("镇"), "测试").expect_err("镇 is a street's word");
    assert!(wrong.message.contains("社区一级的称谓"), "{}", wrong.message);
    let empty = api.create_jurisdiction(Some(street), "  ", None, "测试").expect_err("empty");
    assert!(empty.message.contains("请填写辖区名称"), "{}", empty.message);
    let district = api.create_jurisdiction(None, "邻区", None, "测试").expect("a district at the top");
    assert_eq!(district.level.label(), "区");
}

#[test]
fn a_jurisdiction_that_still_holds_something_is_not_deleted_and_the_refusal_says_what() {
    let mut api = sample();
    let before = audit_count(&api);
    let street = api.find_jurisdiction("青溪街道").expect("street");
    let refused = api.delete_jurisdiction(street, "测试").expect_err("a street with communities");
    assert_eq!(refused.code, ErrorCode::ProcedureRefused);
    assert!(refused.message.contains("下级辖区"), "{}", refused.message);
    assert!(refused.message.contains("清单"), "{}", refused.message);
    assert_eq!(audit_count(&api), before, "nothing written");
    assert!(api.find_jurisdiction("青溪街道").is_ok());
}

#[test]
fn a_renamed_template_unit_keeps_its_slot_and_a_unit_in_use_is_not_deleted() {
    let mut api = sample();
    let street = api.find_jurisdiction("青溪街道").expect("street");
    let org = api.organization(street).expect("organization");
    let slotted = org.units.iter().find(|u| u.template_slot.is_some()).expect("a unit from a template").clone();
    let renamed = api.rename_unit(slotted.id, "城市管理办公室（新）", "测试").expect("renamed");
    assert_eq!(renamed.name, "城市管理办公室（新）");
    assert_eq!(renamed.template_slot, slotted.template_slot, "the slot it fills stays");

    let duplicate = org.units.iter().find(|u| u.id != slotted.id).expect("another unit");
    let taken = api.rename_unit(slotted.id, &duplicate.name, "测试").expect_err("a sibling's name");
    assert!(taken.message.contains("已有名为"), "{}", taken.message);

    // A district department with a 权责清单 of its own.
    let department = api.find_unit("青川区市场监督管理局").expect("department");
    let in_use = api.delete_unit(department, "测试").expect_err("it has a list");
    assert_eq!(in_use.code, ErrorCode::ProcedureRefused);
    assert!(in_use.message.contains("1 个清单"), "{}", in_use.message);

    let added = api.create_unit(street, "营商环境服务中心", UnitKind::Institution, "测试").expect("added");
    assert_eq!(api.organization(street).expect("org").units.len(), org.units.len() + 1);
    assert_eq!(api.units_of(street).expect("units").last().map(|u| u.id), Some(added.id));
    api.delete_unit(added.id, "测试").expect("an unused unit is deleted");
    assert_eq!(api.organization(street).expect("org").units.len(), org.units.len());
}

#[test]
fn a_list_fits_its_place_and_owner_and_is_one_of_its_kind() {
    let mut api = sample();
    let street = api.find_jurisdiction("青溪街道").expect("street");
    let community = api.find_jurisdiction("青溪社区").expect("community");
    let new = |jurisdiction, unit, kind, name: &str| NewList { jurisdiction, unit, kind, name: name.to_string() };

    let wrong_level = api
        .create_list(&new(street, None, ListKind::CommunityNegative, "负面清单"), "测试")
        .expect_err("a community's kind on a street");
    assert!(wrong_level.message.contains("是社区的清单"), "{}", wrong_level.message);
    let no_unit = api
        .create_list(&new(street, None, ListKind::UnitTasks, "任务清单"), "测试")
        .expect_err("三单 belong to a unit");
    assert!(no_unit.message.contains("请选择机构"), "{}", no_unit.message);
    let twice = api
        .create_list(&new(community, None, ListKind::CommunityByLaw, "第二个依法履职清单"), "测试")
        .expect_err("the community has one already");
    assert!(twice.message.contains("同一类清单只能有一个"), "{}", twice.message);

    let unit = api.create_unit(street, "营商环境服务中心", UnitKind::Institution, "测试").expect("a new unit");
    let made = api
        .create_list(&new(street, Some(unit.id), ListKind::UnitTasks, "任务清单"), "测试")
        .expect("a unit's 任务清单");
    let summary = api.lists().expect("lists").into_iter().find(|l| l.id == made.id).expect("listed");
    assert_eq!((summary.unit_name.as_deref(), summary.items), (Some(unit.name.as_str()), 0));
    let renamed = api.rename_list(made.id, "城管任务清单", "测试").expect("renamed");
    assert_eq!(renamed.name, "城管任务清单");
}

#[test]
fn a_list_goes_with_its_items_unless_it_was_published() {
    let mut api = sample();
    let lists = api.lists().expect("lists");
    let list = lists.iter().find(|l| l.items > 0 && l.items < 100).expect("a small list").clone();
    let before = audit_count(&api);
    let total = api.overview().expect("overview").item_count;

    let deleted = api.delete_list(list.id, "测试").expect("deleted");
    assert_eq!((deleted.name.as_str(), deleted.items), (list.name.as_str(), list.items));
    assert!(!api.lists().expect("lists").iter().any(|l| l.id == list.id));
    assert_eq!(api.overview().expect("overview").item_count, total - list.items);
    // One entry per item and one for the list: each item can be looked up in the log.
    assert_eq!(audit_count(&api), before + u64::from(list.items) + 1);

    let other = lists.iter().find(|l| l.items > 0 && l.id != list.id).expect("another list").clone();
    api.publish_version(
        quanze_api::PublishRequest {
            list: other.id,
            published_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).expect("date"),
            doc_no: None,
            note: None,
            despite_findings: Some("测试".into()),
        },
        "测试",
    )
    .expect("published");
    let refused = api.delete_list(other.id, "测试").expect_err("a published list stays");
    assert_eq!(refused.code, ErrorCode::ProcedureRefused);
    assert!(refused.message.contains("已发布的版本"), "{}", refused.message);
    assert!(api.lists().expect("lists").iter().any(|l| l.id == other.id));
}
