//! Cross-crate scenario: the built-in sample district loads through the api into a real
//! database file, shows the shape the Foundation issue asks for, searches, and dumps back to the
//! very document it came from.

use std::collections::{BTreeSet, HashMap};

use quanze_api::{Api, ErrorCode, SAMPLE_DISTRICT_YAML};
use quanze_domain::{AdmissionState, Bundle, Level, ListKind, PowerType};

fn loaded() -> (tempfile::TempDir, Api) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut api = Api::open(&dir.path().join("sample.db")).expect("open");
    assert!(api.overview().expect("overview").empty);
    api.load_sample_district("测试").expect("load sample");
    (dir, api)
}

#[test]
fn the_sample_district_has_the_promised_shape() {
    let (_dir, api) = loaded();
    let overview = api.overview().expect("overview");
    assert!(!overview.empty);
    assert_eq!(overview.tree.len(), 1, "one district");
    let district = &overview.tree[0];
    assert_eq!(district.level, Level::District);
    assert_eq!(district.children.len(), 4, "four streets");
    let communities: usize = district.children.iter().map(|s| s.children.len()).sum();
    assert_eq!(communities, 12, "twelve communities");
    assert!(district.unit_count >= 35, "about 40 departments, got {}", district.unit_count);

    let templates: BTreeSet<_> = district
        .children
        .iter()
        .filter_map(|s| s.org_template.clone())
        .collect();
    assert!(templates.len() >= 3, "streets on different templates: {templates:?}");

    let mut items_by_kind: HashMap<ListKind, u32> = HashMap::new();
    for list in &overview.lists {
        *items_by_kind.entry(list.kind).or_default() += list.items;
    }
    let power = items_by_kind.get(&ListKind::Power).copied().unwrap_or(0);
    assert!(power >= 2000, "a few thousand 权责清单 items, got {power}");
    for kind in [
        ListKind::StreetBasic,
        ListKind::StreetCoordination,
        ListKind::StreetWithdrawn,
        ListKind::CommunityByLaw,
        ListKind::CommunityAssist,
        ListKind::CommunityNegative,
        ListKind::CommunityCertificate,
        ListKind::UnitDuties,
        ListKind::UnitTasks,
        ListKind::UnitResponsibilities,
    ] {
        assert!(
            items_by_kind.get(&kind).copied().unwrap_or(0) > 0,
            "no items of kind {}",
            kind.label()
        );
    }
    // Each street's three-part list is of realistic size (docs/domain.md §1: ~117 / 99 / 124 on average).
    for street in &district.children {
        for kind in [
            ListKind::StreetBasic,
            ListKind::StreetCoordination,
            ListKind::StreetWithdrawn,
        ] {
            let n: u32 = overview
                .lists
                .iter()
                .filter(|l| l.jurisdiction == street.id && l.kind == kind)
                .map(|l| l.items)
                .sum();
            assert!(
                (60..=160).contains(&n),
                "{} {} has {n} items",
                street.name,
                kind.label()
            );
        }
    }
}

#[test]
fn the_sample_covers_every_power_type_and_every_admission_state() {
    let (_dir, api) = loaded();
    let bundle = api.dump().expect("dump");
    let types: BTreeSet<PowerType> = bundle
        .lists
        .iter()
        .filter(|l| l.kind == ListKind::Power)
        .flat_map(|l| &l.items)
        .filter_map(|i| i.power_type.as_deref().and_then(PowerType::parse))
        .collect();
    assert_eq!(types.len(), 10, "all ten 权力类型: {types:?}");
    let states: BTreeSet<&str> = bundle
        .admission_requests
        .iter()
        .map(|r| r.state.label())
        .collect();
    for state in [
        AdmissionState::Applied,
        AdmissionState::UnderReview,
        AdmissionState::Admitted,
        AdmissionState::Rejected,
        AdmissionState::Revoked,
    ] {
        assert!(states.contains(state.label()), "no request in state {}", state.label());
    }
    assert!(!bundle.leaders.is_empty());
    assert!(!bundle.versions.is_empty());
    assert!(!bundle.waivers.is_empty());
    assert!(bundle.units.iter().any(|u| u.staffing.admin_posts.is_some()));
    assert!(bundle.units.iter().any(|u| !u.leaders_in_charge.is_empty()));
}

#[test]
fn the_sample_dumps_back_to_the_same_document() {
    let (_dir, api) = loaded();
    let mut original = Bundle::from_yaml(SAMPLE_DISTRICT_YAML).expect("sample parses");
    // The title is informative only and not stored.
    original.title = None;
    let dumped = api.dump().expect("dump");
    // The sample carries no identities; the store gave every entity one.
    let (dumped, unidentified) = without_uids(dumped);
    assert_eq!(unidentified, 0, "entities without a uid after loading");
    assert!(dumped == original, "the dump differs from the sample bundle");
    let text = dumped.to_yaml().expect("yaml");
    let again = Bundle::from_yaml(&text).expect("dump parses");
    assert!(again == original);
}

/// The bundle with every uid taken out, and how many entities had none.
fn without_uids(mut bundle: Bundle) -> (Bundle, usize) {
    let mut missing = 0;
    for (_, uid) in bundle.uid_slots_mut() {
        missing += usize::from(uid.take().is_none());
    }
    for version in &mut bundle.versions {
        // A version's copies of its items keep their item's uid, when they were published
        // after loading; the sample's were published before.
        version.items.iter_mut().for_each(|i| i.uid = None);
    }
    (bundle, missing)
}

#[test]
fn search_in_the_sample_serves_short_and_long_queries() {
    let (_dir, api) = loaded();
    let two = api.search("消防", 50).expect("search");
    assert!(!two.is_empty(), "a 2-character query finds items");
    assert!(two
        .iter()
        .all(|h| h.item.name.contains("消防") || format!("{:?}", h.item).contains("消防")));
    let long = api.search("安全生产", 500).expect("search");
    assert!(!long.is_empty());
    // Hits carry their list, so the UI can show where each one is.
    assert!(long.iter().all(|h| !h.list.name.is_empty()));
}

#[test]
fn pages_of_a_list_cover_it_exactly_once() {
    let (_dir, api) = loaded();
    let overview = api.overview().expect("overview");
    let biggest = overview
        .lists
        .iter()
        .max_by_key(|l| l.items)
        .expect("a list");
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = api.list_items(biggest.id, offset, 37).expect("page");
        assert_eq!(page.total, biggest.items);
        if page.items.is_empty() {
            break;
        }
        offset += u32::try_from(page.items.len()).expect("small");
        seen.extend(page.items.into_iter().map(|i| i.id));
    }
    assert_eq!(seen.len(), usize::try_from(biggest.items).expect("small"));
    let unique: BTreeSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len());
}

#[test]
fn loading_the_sample_twice_is_refused_whole() {
    let (_dir, mut api) = loaded();
    let before = api.overview().expect("overview").item_count;
    // The sample carries a waiver whose finding key must stay unique.
    let error = api.load_sample_district("测试").expect_err("second load");
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert_eq!(api.overview().expect("overview").item_count, before);
}

#[test]
fn a_missing_list_is_not_found() {
    let (_dir, api) = loaded();
    let error = api.list_items(999_999, 0, 10).expect_err("missing");
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(error.message.contains("找不到"), "{}", error.message);
}

/// The problems planted in the sample district (sample-data/README.md) are each found by the
/// rule meant to find them — and nothing else is found: precision as much as recall.
#[test]
fn checks_find_every_planted_problem_and_nothing_else() {
    let (_dir, api) = loaded();
    let report = api.check(&quanze_api::CheckRequest::default()).expect("check");
    let found = |rule: &str, text: &str| {
        report
            .findings
            .iter()
            .any(|f| f.rule == rule && (f.message.contains(text) || f.subjects.iter().any(|s| s.label.contains(text))))
    };
    let planted = [
        ("overlap.exact", "对建设工程施工现场未采取有效扬尘污染防治措施的处罚"),
        ("overlap.near", "未安装油烟净化设施"),
        ("cross_level", "摆摊设点、占道经营"),
        ("street.withdrawn_still_done", "燃气经营企业安全监督检查"),
        ("street.coordination", "老旧小区加装电梯协调服务"),
        ("street.coordination", "农村人居环境整治"),
        ("community.not_admitted", "协助开展商贸企业经营情况统计调查"),
        ("community.unfunded", "协助开展电动自行车充电安全排查"),
        ("community.negative_list", "招商引资"),
        ("org.leader_in_charge", "城市管理部"),
        ("org.leader_in_charge", "文旅体育工作部"),
        ("org.leader_spread", "网格化服务中心"),
        ("org.over_staffed", "综合行政执法队"),
        ("org.over_leader_posts", "党政综合办公室"),
        ("org.staffing_range", "青溪街道"),
        ("hygiene.basis", "对道路旅客运输经营者未取得道路运输经营许可擅自从事道路运输经营的处罚"),
        ("hygiene.power_type", "户外招牌设置备案"),
        ("hygiene.duplicate_code", "QC-SC-JC-001"),
    ];
    for (rule, text) in planted {
        assert!(found(rule, text), "planted problem not found: {rule} {text}");
    }
    assert_eq!(
        report.findings.len(),
        planted.len(),
        "findings beyond the planted ones: {:#?}",
        report.findings.iter().map(|f| (&f.rule, &f.message)).collect::<Vec<_>>()
    );
    // The one waiver in the sample covers the leader in charge of two departments.
    let waived: Vec<&str> = report.findings.iter().filter(|f| f.waived).map(|f| f.rule.as_str()).collect();
    assert_eq!(waived, vec!["org.leader_spread"]);
}
