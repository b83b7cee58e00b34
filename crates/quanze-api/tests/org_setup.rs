//! Building a street's organization: a new street, its units from an org template, a unit's
//! staffing and leaders in charge — each audited, each refused cleanly when it does not fit.

mod backends;

use quanze_api::{Api, ErrorCode, UnitStaffingEdit};
use quanze_domain::notice::OrgChartRow;
use quanze_domain::{CommitteeSeat, Level, Staffing, UnitKind, UnitPost};

fn sample() -> backends::FreshApi {
    let mut api = backends::fresh_api();
    api.load_sample_district("测试").expect("sample");
    api
}

fn district(api: &Api) -> u32 {
    api.find_jurisdiction("青川区").expect("district")
}

#[test]
fn a_new_street_is_built_from_a_template_slot_by_slot_and_audited() {
    let mut api = sample();
    let district_id = district(&api);
    let street = api.create_street(district_id, " 新城街道 ", "测试").expect("street");
    assert_eq!(street.name, "新城街道");
    assert!(api.organization(street.id).expect("org").units.is_empty());
    let template = quanze_api::shipped_org_templates()
        .expect("templates")
        .into_iter()
        .find(|t| t.id == "baohe-1-7-2")
        .expect("一办七部两中心");

    let built = api.create_units_from_template(street.id, &template.id, "测试").expect("build");
    let names: Vec<&str> = built.units.iter().map(|u| u.name.as_str()).collect();
    let slots: Vec<&str> = template.slots.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, slots, "one unit per slot, in the template's order");
    assert!(built.units.iter().all(|u| u.template_slot.as_deref() == Some(u.name.as_str())));
    assert_eq!(built.units.iter().filter(|u| u.kind == UnitKind::Institution).count(), 2, "两中心");
    assert_eq!(built.place.org_template.as_deref(), Some("baohe-1-7-2"));

    let chart = api.org_chart(street.id).expect("chart");
    assert_eq!(chart.template.as_deref(), Some("一办七部两中心"));
    assert_eq!(chart.departments.iter().filter(|d| d.row == OrgChartRow::Department).count(), 8);
    let svg = api.org_chart_svg(street.id).expect("svg");
    assert!(svg.contains("城市管理部"));

    let log = api.history(50).expect("history");
    let built_entries = log
        .iter()
        .filter(|e| e.reason.as_deref() == Some("按模板“一办七部两中心”建立新城街道的机构"))
        .count();
    assert_eq!(built_entries, template.slots.len() + 1, "every unit and the street's template");
}

#[test]
fn a_street_that_has_units_is_not_built_again_and_nothing_is_written() {
    let mut api = sample();
    let street = api.find_jurisdiction("青溪街道").expect("street");
    let before = api.organization(street).expect("org");
    assert!(!before.units.is_empty());
    let audit_before = api.history(10_000).expect("history").len();
    let error = api.create_units_from_template(street, "baohe-1-7-2", "测试").expect_err("refused");
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert_eq!(api.organization(street).expect("org").units, before.units);
    assert_eq!(api.history(10_000).expect("history").len(), audit_before);

    let community = api.find_jurisdiction("青溪社区").expect("community");
    assert_eq!(api.create_units_from_template(community, "baohe-1-7-2", "测试").expect_err("no").code, ErrorCode::InvalidInput);
    let district_id = district(&api);
    let refused = api.organization(district_id).expect_err("a district has no org chart");
    assert!(refused.message.contains("只适用于街道和社区"), "{}", refused.message);
    let district_id = district(&api);
    let fresh = api.create_street(district_id, "空白街道", "测试").expect("street");
    assert_eq!(api.create_units_from_template(fresh.id, "no-such", "测试").expect_err("no").code, ErrorCode::NotFound);
    assert_eq!(
        api.create_units_from_template(fresh.id, "yongzhou-community-1-1-1-3", "测试").expect_err("no").code,
        ErrorCode::InvalidInput,
        "a community template does not build a street"
    );
}

#[test]
fn streets_are_created_only_under_a_district_with_a_new_name() {
    let mut api = sample();
    let district = district(&api);
    assert_eq!(api.create_street(district, "  ", "测试").expect_err("empty").code, ErrorCode::InvalidInput);
    assert_eq!(api.create_street(district, "青溪街道", "测试").expect_err("dup").code, ErrorCode::InvalidInput);
    let street = api.find_jurisdiction("青溪街道").expect("street");
    assert_eq!(api.create_street(street, "某街道", "测试").expect_err("not district").code, ErrorCode::InvalidInput);
    assert_eq!(api.create_street(9_999, "某街道", "测试").expect_err("missing").code, ErrorCode::NotFound);
}

#[test]
fn a_units_staffing_and_leaders_in_charge_are_set_and_shown_on_the_chart() {
    let mut api = sample();
    let district_id = district(&api);
    let street = api.create_street(district_id, "新城街道", "测试").expect("street");
    let built = api.create_units_from_template(street.id, "baohe-1-7-2", "测试").expect("build");
    let leader = api.add_leader(street.id, "张某某", "党工委委员、副主任", &[], "测试").expect("leader");
    let unit = built.units.iter().find(|u| u.name == "城市管理部").expect("unit");
    let edit = UnitStaffingEdit {
        staffing: Staffing {
            admin_posts: Some(6),
            institution_posts: Some(2),
            actual_headcount: Some(7),
            leader_posts_approved: Some(1),
            leader_posts_actual: None,
        },
        leaders_in_charge: vec![leader.id],
        posts: Vec::new(),
    };
    let saved = api.update_unit_staffing(unit.id, &edit, "测试").expect("save");
    assert_eq!(saved.staffing, edit.staffing);
    assert_eq!(saved.leaders_in_charge, vec![leader.id]);
    let chart = api.org_chart(street.id).expect("chart");
    let shown = chart.departments.iter().find(|d| d.name == "城市管理部").expect("dept");
    assert_eq!((shown.admin_posts, shown.actual_headcount, shown.leader_posts), (Some(6), Some(7), Some(1)));
    assert_eq!(shown.leaders_in_charge, vec![leader.id]);
    assert!(api.history(5).expect("log").iter().any(|e| e.reason.as_deref() == Some("修改城市管理部的编制与分管领导")));

    // A leader of another street is refused, and the unit keeps what it had.
    let other = api.organization(api.find_jurisdiction("青溪街道").expect("street")).expect("org");
    let stranger = other.leaders.first().expect("a leader of 青溪街道").id;
    let wrong = UnitStaffingEdit { staffing: Staffing::default(), leaders_in_charge: vec![stranger], posts: Vec::new() };
    assert_eq!(api.update_unit_staffing(unit.id, &wrong, "测试").expect_err("refused").code, ErrorCode::InvalidInput);
    let again = api.organization(street.id).expect("org");
    assert_eq!(again.units.iter().find(|u| u.id == unit.id).expect("unit").staffing, edit.staffing);
    assert_eq!(api.update_unit_staffing(9_999, &edit, "测试").expect_err("missing").code, ErrorCode::NotFound);
}

/// Issue 17 item 6: a community has an organization too — shown, built from its own template
/// (一委一会一办三站, with the slots' posts), its 两委 members with their seats, a 站 led by one
/// of them, posts with numbers, and its chart (两委 above 站/办) — where it used to be refused
/// with “不是街道”.
#[test]
fn a_community_is_built_from_its_template_with_two_committees_stations_and_posts() {
    let mut api = backends::fresh_api();
    let bundle = "format: quanze-bundle\nformat_version: 1\njurisdictions:\n\
        - { id: 1, name: 甲区, level: 区 }\n\
        - { id: 2, parent: 1, name: 乙街道, level: 街道 }\n\
        - { id: 3, parent: 2, name: 丙社区, level: 社区 }\n";
    api.load_bundle_text(bundle, "测试", "测试").expect("load");
    let street = api.find_jurisdiction("乙街道").expect("street");
    let community = api.find_jurisdiction("丙社区").expect("community");
    let org = api.organization(community).expect("a community's organization is shown");
    assert_eq!(org.place.level, Level::Community);
    assert!(org.units.is_empty());
    let offered: Vec<&str> = org.templates.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(offered, ["yongzhou-community-1-1-1-3", "yongzhou-village-1-2-2"]);

    let refused = api.create_units_from_template(community, "baohe-1-7-2", "测试").expect_err("street template");
    assert!(refused.message.contains("是街道的模板"), "{}", refused.message);
    let built = api.create_units_from_template(community, "yongzhou-community-1-1-1-3", "测试").expect("build");
    let names: Vec<&str> = built.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["社区党工委", "社区居民委员会", "综合办公室", "网格管理站", "便民服务站", "综治信访维稳站"]);
    let grid = built.units.iter().find(|u| u.name == "网格管理站").expect("grid");
    assert_eq!(grid.posts, vec![UnitPost { name: "网格员".into(), approved: None, filled: None }]);
    assert_eq!(built.place.org_template.as_deref(), Some("yongzhou-community-1-1-1-3"));

    let secretary = api
        .add_leader(community, "王芳", "", &[CommitteeSeat::PartySecretary, CommitteeSeat::ResidentsDirector], "测试")
        .expect("一肩挑");
    assert_eq!(secretary.post, "党组织书记、居委会主任");
    let refused = api.add_leader(street, "某人", "", &[CommitteeSeat::PartyMember], "测试").expect_err("street");
    assert_eq!(refused.code, ErrorCode::InvalidInput);
    let org = api.organization(community).expect("org");
    let station = org.units.iter().find(|u| u.name == "网格管理站").expect("station");
    let edit = UnitStaffingEdit {
        staffing: station.staffing.clone(),
        leaders_in_charge: vec![secretary.id],
        posts: vec![UnitPost { name: " 网格员 ".into(), approved: Some(6), filled: Some(5) }],
    };
    let saved = api.update_unit_staffing(station.id, &edit, "测试").expect("save");
    assert_eq!(saved.posts, vec![UnitPost { name: "网格员".into(), approved: Some(6), filled: Some(5) }]);
    let twice = UnitStaffingEdit { posts: vec![edit.posts[0].clone(), edit.posts[0].clone()], ..edit.clone() };
    assert_eq!(api.update_unit_staffing(station.id, &twice, "测试").expect_err("twice").code, ErrorCode::InvalidInput);

    let chart = api.org_chart(community).expect("a community's chart");
    let committee = chart.departments.iter().find(|d| d.name == "社区党工委").expect("committee");
    assert_eq!((committee.row, committee.members, committee.leaders_in_charge.clone()), (OrgChartRow::Committee, Some(1), vec![secretary.id]));
    let shown = chart.departments.iter().find(|d| d.name == "网格管理站").expect("station");
    assert_eq!(shown.row, OrgChartRow::Station);
    assert_eq!(shown.posts[0].filled, Some(5));
    let svg = api.org_chart_svg(community).expect("svg");
    assert!(svg.contains("社区两委") && svg.contains("网格员 核定 6 · 实配 5") && svg.contains("unit-committee"));
}
