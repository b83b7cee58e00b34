//! The 统计 screen's figures agree with the data they count.

mod backends;

use quanze_api::{CheckRequest, Count};
use quanze_domain::ListKind;

fn sample() -> backends::FreshApi {
    let mut api = backends::fresh_api();
    api.load_sample_district("测试").expect("sample");
    api
}

fn sum(counts: &[Count]) -> u32 {
    counts.iter().map(|c| c.count).sum()
}

#[test]
fn every_breakdown_of_the_whole_district_adds_up_to_its_items() {
    let api = sample();
    let overview = api.overview().expect("overview");
    let stats = api.statistics(None).expect("statistics");
    assert_eq!(stats.item_count, overview.item_count);
    let bundle = api.dump().expect("dump");
    let typed: usize = bundle
        .lists
        .iter()
        .flat_map(|l| l.items.iter().map(move |i| (l.kind, i)))
        .filter(|(kind, i)| *kind == ListKind::Power || i.power_type.as_deref().is_some_and(|t| !t.trim().is_empty()))
        .count();
    assert_eq!(sum(&stats.by_power_type) as usize, typed, "权责清单 items and items with a type written");
    assert!(typed < stats.item_count as usize, "street and community duty items have no 权力类型");
    // Items no department answers for are counted apart, not as a bar called 未指定机构.
    assert_eq!(sum(&stats.by_unit) + stats.items_without_unit, stats.item_count);
    assert!(stats.items_without_unit > 0, "the sample's street and community lists have such items");
    assert!(!stats.by_unit.iter().any(|c| c.label.contains("未指定")), "{:?}", stats.by_unit);
    assert_eq!(sum(&stats.by_level), stats.item_count);
    assert_eq!(sum(&stats.by_list_kind), stats.item_count);
    let levels: Vec<&str> = stats.by_level.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(levels, ["区", "街道", "社区"]);
    assert_eq!(stats.by_power_type[0].label, "行政许可", "the standard order");
    assert!(stats.by_unit.len() <= quanze_api::STATISTICS_UNIT_LIMIT + 1);
    assert!(stats.by_unit.windows(2).take(quanze_api::STATISTICS_UNIT_LIMIT - 1).all(|w| w[0].count >= w[1].count));

    let per_list: u32 = overview.lists.iter().map(|l| l.items).sum();
    assert_eq!(per_list, stats.item_count);
    let report = api.check(&CheckRequest::default()).expect("check");
    let open_red = report.findings.iter().filter(|f| !f.waived && f.grade == quanze_checks::Grade::Red).count();
    assert_eq!(stats.findings_by_grade[0].label, "红");
    assert_eq!(stats.findings_by_grade[0].count as usize, open_red);
    assert_eq!(sum(&stats.findings_by_grade) as usize, report.findings.iter().filter(|f| !f.waived).count());
    let requests = api.admission_requests(None).expect("requests");
    assert_eq!(sum(&stats.admission_by_state) as usize, requests.len());
}

#[test]
fn a_community_counts_only_its_own_lists_and_requests() {
    let api = sample();
    let community = api.find_jurisdiction("青溪社区").expect("community");
    let stats = api.statistics(Some(community)).expect("statistics");
    let own: u32 = api.lists().expect("lists").iter().filter(|l| l.jurisdiction == community).map(|l| l.items).sum();
    assert_eq!(stats.item_count, own);
    assert_eq!(stats.by_level, [Count { label: "社区".into(), count: own }]);
    let requests = api.admission_requests(Some(community)).expect("requests").len();
    assert_eq!(sum(&stats.admission_by_state) as usize, requests);
    assert_eq!(api.statistics(Some(99_999)).expect_err("unknown").code, quanze_api::ErrorCode::NotFound);
}
