//! Each rule fires on a true case and stays silent on its near-miss.

use quanze_domain::*;

use super::*;

struct World {
    bundle: Bundle,
    templates: Vec<OrgTemplate>,
}

fn jurisdiction(id: Id, parent: Option<Id>, name: &str, level: Level) -> Jurisdiction {
    Jurisdiction::new(id, parent, name, level)
}

fn unit(id: Id, j: Id, name: &str) -> Unit {
    Unit::new(id, j, name, UnitKind::Administrative)
}

fn item(id: Id, name: &str) -> Item {
    Item {
        id,
        name: name.into(),
        power_type: Some("行政处罚".into()),
        basis: Some("【法律】《某法》第一条".into()),
        subject: Some("某局".into()),
        ..Item::default()
    }
}

fn list(id: Id, j: Id, unit: Option<Id>, kind: ListKind, items: Vec<Item>) -> DutyList {
    DutyList {
        uid: None,
        id,
        jurisdiction: j,
        unit,
        kind,
        name: format!("清单{id}"),
        note: None,
        items,
    }
}

/// 区 1 with departments 1 (住建局), 2 (城管局); 街道 2 with units 10.. ; 社区 3.
fn world() -> World {
    World {
        bundle: Bundle {
            jurisdictions: vec![
                jurisdiction(1, None, "示例区", Level::District),
                jurisdiction(2, Some(1), "东湖街道", Level::Street),
                jurisdiction(3, Some(2), "桃源社区", Level::Community),
            ],
            units: vec![unit(1, 1, "区住建局"), unit(2, 1, "区城管局"), unit(10, 2, "党政办公室")],
            leaders: vec![
                Leader { uid: None, id: 1, jurisdiction: 2, name: "甲".into(), post: "书记".into(), seats: Vec::new() },
                Leader { uid: None, id: 2, jurisdiction: 2, name: "乙".into(), post: "副主任".into(), seats: Vec::new() },
            ],
            ..Bundle::default()
        },
        templates: vec![],
    }
}

impl World {
    fn run(&self, rule: &str) -> Vec<Finding> {
        let report = run(
            &self.bundle,
            &RulePack::default_pack(),
            &self.templates,
            &CheckOptions {
                rules: vec![rule.to_string()],
                jurisdiction: None,
                ..CheckOptions::default()
            },
        );
        report.findings
    }
    fn push_list(&mut self, l: DutyList) {
        self.bundle.lists.push(l);
    }
}

#[test]
fn the_default_pack_parses_and_names_only_known_rules() {
    let pack = RulePack::default_pack();
    assert_eq!(pack.rules.len(), RULES.len());
    let mut bad = DEFAULT_PACK_FOR_TEST.replace("overlap.exact:", "overlap.typo:");
    bad.push('\n');
    assert!(matches!(
        RulePack::from_yaml("x.yaml", &bad),
        Err(PackError::UnknownRule { .. })
    ));
}

const DEFAULT_PACK_FOR_TEST: &str = pack::DEFAULT_PACK_YAML;

#[test]
fn exact_overlap_across_departments_fires_and_per_level_repeats_do_not() {
    let mut w = world();
    w.push_list(list(1, 1, Some(1), ListKind::Power, vec![
        item(1, "对未取得施工许可证擅自施工的处罚"),
        // The same item repeated for another level inside one department: not an overlap.
        item(2, "对未取得施工许可证擅自施工的处罚"),
    ]));
    assert!(w.run("overlap.exact").is_empty());
    w.push_list(list(2, 1, Some(2), ListKind::Power, vec![item(3, "对未取得施工许可证 擅自施工的处罚（）")]));
    let findings = w.run("overlap.exact");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].subjects.len(), 2);
    assert!(findings[0].message.contains("区住建局") && findings[0].message.contains("区城管局"));
    assert_eq!(findings[0].key, "overlap.exact:I1,I3");
}

/// Other duties of a department, so that word weights (IDF) come from a list of realistic size.
fn filler(first_id: Id, acts: [&str; 6], objects: [&str; 6]) -> Vec<Item> {
    let mut items = Vec::new();
    let mut id = first_id;
    for act in acts {
        for object in objects {
            items.push(item(id, &format!("对{object}{act}的处罚")));
            id += 1;
        }
    }
    items
}

/// A 住建局's ordinary duties (ids from 100), so that similarity is weighed as in a real list.
fn construction_filler() -> Vec<Item> {
    filler(
        100,
        ["擅自改变用途", "拒绝监督检查", "伪造检测数据", "未建立管理台账", "超范围经营", "未公示收费标准"],
        ["施工现场", "预拌混凝土", "建筑起重机械", "商品房预售", "物业专项维修资金", "燃气管道"],
    )
}

/// A 城管局's ordinary duties (ids from 200).
fn city_management_filler() -> Vec<Item> {
    filler(
        200,
        ["乱贴乱画", "占道堆放物料", "随意倾倒垃圾", "夜间违规施工", "损坏绿地", "私搭乱建"],
        ["户外广告", "沿街店铺", "渣土运输车辆", "城市道路", "公园绿地", "临街阳台"],
    )
}

#[test]
fn near_duplicates_across_departments_fire_with_marked_evidence() {
    let mut w = world();
    let mut first = vec![item(1, "对建设单位未按规定办理工程质量监督手续的处罚")];
    first.extend(construction_filler());
    let mut second = vec![
        item(2, "对建设单位未依法办理工程质量监督手续的处罚"),
        item(3, "对户外广告设施设置不符合规划的处罚"),
    ];
    second.extend(city_management_filler());
    w.push_list(list(1, 1, Some(1), ListKind::Power, first));
    w.push_list(list(2, 1, Some(2), ListKind::Power, second));
    let findings = w.run("overlap.near");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].key, "overlap.near:I1,I2");
    match &findings[0].evidence {
        Evidence::Similarity { score, left, right, .. } => {
            assert!(*score >= 0.6 && *score < 1.0, "{score}");
            assert!(left.iter().any(|s| s.shared) && left.iter().any(|s| !s.shared));
            assert!(right.iter().any(|s| !s.shared && s.text.contains("依法")));
        }
        other => panic!("expected similarity evidence, got {other:?}"),
    }
}

#[test]
fn near_duplicates_inside_one_department_are_not_overlap() {
    let mut w = world();
    w.push_list(list(1, 1, Some(1), ListKind::Power, vec![
        item(1, "对建设单位未按规定办理工程质量监督手续的处罚"),
        item(2, "对建设单位未依法办理工程质量监督手续的处罚"),
    ]));
    assert!(w.run("overlap.near").is_empty());
}

/// Two departments list one article of one law for the same act: the one that names only the
/// article is the same duty (the shape of the real 人社/住建 农民工工资 pairs); the same law
/// with another article is not; the stronger evidence is listed first.
#[test]
fn one_article_for_one_act_is_one_duty_and_comes_first() {
    let mut w = world();
    let cited = |id, name: &str, basis: &str| Item { basis: Some(basis.into()), ..item(id, name) };
    let law = "【法规】《保障农民工工资支付条例》（国务院令第724号）\n";
    let mut first = vec![
        cited(1, "对施工总承包单位未按规定开设或者使用农民工工资专用账户等违法行为的处罚", &format!("{law}第五十五条：有下列情形之一的…")),
        cited(3, "对违反工资支付形式、未编制工资支付台账等违法行为的处罚", &format!("{law}第五十四条：有下列情形之一的…")),
        item(5, "对建设单位未按规定办理工程质量监督手续的处罚"),
    ];
    first.extend(construction_filler());
    let mut second = vec![
        cited(2, "对《保障农民工工资支付条例》第五十五条禁止行为的处罚", &format!("{law}第五十五条：…")),
        item(6, "对建设单位未依法办理工程质量监督手续的处罚"),
    ];
    second.extend(city_management_filler());
    w.push_list(list(1, 1, Some(1), ListKind::Power, first));
    w.push_list(list(2, 1, Some(2), ListKind::Power, second));
    let findings = w.run("overlap.near");
    let keys: Vec<&str> = findings.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, ["overlap.near:I1,I2", "overlap.near:I5,I6"], "{findings:#?}");
    match &findings[0].evidence {
        Evidence::Similarity { confidence, shared_basis, reasons, .. } => {
            assert_eq!(*confidence, Some(OverlapConfidence::Strong));
            assert_eq!(shared_basis, &["《保障农民工工资支付条例》第五十五条"]);
            assert!(reasons.iter().any(|r| r.contains("只写明条款")), "{reasons:?}");
        }
        other => panic!("expected similarity evidence, got {other:?}"),
    }
    assert!(findings[0].message.contains("依据相同"), "{}", findings[0].message);
}

/// A qualifier in front (渔业船舶 / 船舶) is reported by overlap.sector at its lower grade, with
/// the qualifier shown; a negating one (非) is not; overlap.near does not report it.
#[test]
fn a_qualifier_in_front_is_a_possible_overlap_at_a_lower_grade() {
    let mut w = world();
    // No shared article here: with one, the contained object would make the pair one duty.
    let uncited = |id, name: &str| Item { basis: None, ..item(id, name) };
    w.push_list(list(1, 1, Some(1), ListKind::Power, vec![
        uncited(1, "对渔业船舶未按规定配备救生消防设备的处罚"),
        uncited(3, "对非国家重点保护野生动物未按规定登记的处罚"),
    ]));
    w.push_list(list(2, 1, Some(2), ListKind::Power, vec![
        uncited(2, "对船舶未按规定配备救生消防设备的处罚"),
        uncited(4, "对国家重点保护野生动物未按规定登记的处罚"),
    ]));
    let sector = w.run("overlap.sector");
    assert_eq!(sector.iter().map(|f| f.key.as_str()).collect::<Vec<_>>(), ["overlap.sector:I1,I2"], "{sector:#?}");
    assert_eq!(sector[0].severity, Severity::Info);
    match &sector[0].evidence {
        Evidence::Similarity { confidence, reasons, .. } => {
            assert_eq!(*confidence, Some(OverlapConfidence::Possible));
            assert!(reasons[0].contains("“渔业”"), "{reasons:?}");
        }
        other => panic!("expected similarity evidence, got {other:?}"),
    }
    assert!(w.run("overlap.near").iter().all(|f| f.rule == "overlap.near"));
    // Both rules in one run: judged once, each finding under its own rule.
    let both = run(
        &w.bundle,
        &RulePack::default_pack(),
        &w.templates,
        &CheckOptions { rules: vec!["overlap.near".into(), "overlap.sector".into()], jurisdiction: None, ..CheckOptions::default() },
    );
    assert_eq!(both.findings.iter().filter(|f| f.rule == "overlap.sector").count(), 1);
}

#[test]
fn cross_level_fires_for_a_basic_item_and_not_for_a_coordination_item_naming_the_lead() {
    let mut w = world();
    w.push_list(list(1, 1, Some(1), ListKind::Power, vec![item(1, "城镇燃气安全监督检查")]));
    let mut coordination = item(2, "城镇燃气安全监督检查");
    coordination.coordination = Some(Coordination {
        lead_unit: Some(1),
        lead_unit_text: Some("区住建局".into()),
        superior_duty: Some("负责监督检查".into()),
        street_duty: Some("负责发现报告".into()),
    });
    w.push_list(list(2, 2, None, ListKind::StreetCoordination, vec![coordination.clone()]));
    assert!(w.run("cross_level").is_empty(), "配合 item naming the lead is fine");
    // The same item naming another lead is a finding…
    if let Some(c) = w.bundle.lists[1].items[0].coordination.as_mut() {
        c.lead_unit = Some(2);
    }
    assert_eq!(w.run("cross_level").len(), 1);
    // …and so is the duty as the street's own 基本履职.
    if let Some(c) = w.bundle.lists[1].items[0].coordination.as_mut() {
        c.lead_unit = Some(1);
    }
    w.push_list(list(3, 2, None, ListKind::StreetBasic, vec![item(3, "城镇燃气安全监督检查工作")]));
    let findings = w.run("cross_level");
    assert_eq!(findings.len(), 1);
    assert!(findings[0].message.contains("基本履职"));
    // The app's tree puts the finding's badge on both places (the district's list and the
    // street's).
    assert_eq!(findings[0].jurisdictions, [1, 2]);
}

#[test]
fn coordination_items_need_a_lead_and_distinct_duties() {
    let mut w = world();
    let good = Coordination {
        lead_unit: Some(1),
        lead_unit_text: None,
        superior_duty: Some("负责审批".into()),
        street_duty: Some("负责受理和初审".into()),
    };
    let mut a = item(1, "甲事项");
    a.coordination = Some(good.clone());
    let mut b = item(2, "乙事项");
    b.coordination = Some(Coordination { lead_unit: None, ..good.clone() });
    let mut c = item(3, "丙事项");
    c.coordination = Some(Coordination { street_duty: Some("负责 审批。".into()), ..good });
    w.push_list(list(1, 2, None, ListKind::StreetCoordination, vec![a, b, c]));
    let findings = w.run("street.coordination");
    let keys: Vec<&str> = findings.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, vec!["street.coordination:I2", "street.coordination:I3"]);
    assert!(findings[1].message.contains("内容相同"));
}

#[test]
fn withdrawn_items_need_a_receiver_and_a_method_and_must_leave_the_street() {
    let mut w = world();
    let mut gone = item(1, "户外广告设置审批");
    gone.withdrawal = Some(Withdrawal {
        receiving_unit: Some(2),
        receiving_unit_text: None,
        working_method: Some("由区城管局直接办理".into()),
    });
    let mut incomplete = item(2, "占道经营审批");
    incomplete.withdrawal = Some(Withdrawal::default());
    w.push_list(list(1, 2, None, ListKind::StreetWithdrawn, vec![gone, incomplete]));
    let findings = w.run("street.withdrawal");
    assert_eq!(findings.len(), 1);
    assert!(findings[0].message.contains("承接部门和工作方式"));

    assert!(w.run("street.withdrawn_still_done").is_empty());
    w.push_list(list(2, 2, None, ListKind::StreetBasic, vec![item(3, "户外广告设置审批工作"), item(4, "辖区内环境卫生保洁")]));
    let findings = w.run("street.withdrawn_still_done");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].key, "street.withdrawn_still_done:I1,I3");
}

fn assist(id: Id, name: &str, request: Option<Id>, funded: bool) -> Item {
    let mut i = item(id, name);
    i.power_type = None;
    i.assistance = Some(Assistance {
        requesting_unit: Some(1),
        requesting_unit_text: None,
        funding: if funded { Funding { amount_wan: Some(2.0), source: Some("区财政".into()) } } else { Funding::default() },
        staff: if funded { StaffSupport { count: Some(1), note: None } } else { StaffSupport::default() },
        admission_request: request,
    });
    i
}

fn request(id: Id, name: &str, state: AdmissionState) -> AdmissionRequest {
    let applied = chrono::NaiveDate::from_ymd_opt(2025, 1, 6).unwrap_or_default();
    AdmissionRequest {
        applicant_unit: Some(1),
        applicant_unit_text: Some("区住建局".into()),
        ..AdmissionRequest::new(id, 3, name, "工作需要", applied, state)
    }
}

#[test]
fn community_work_without_admission_is_found_four_ways() {
    let mut w = world();
    w.bundle.admission_requests = vec![
        request(1, "协助燃气入户安全检查", AdmissionState::Admitted),
        request(2, "协助房屋安全排查", AdmissionState::UnderReview),
        request(3, "协助违法建设巡查", AdmissionState::Rejected),
    ];
    w.push_list(list(1, 3, None, ListKind::CommunityAssist, vec![
        assist(1, "协助燃气入户安全检查", Some(1), true),
        assist(2, "协助房屋安全排查", Some(2), true),
        assist(3, "协助违法建设巡查", None, true),
    ]));
    w.push_list(list(2, 3, None, ListKind::CommunityByLaw, vec![item(4, "居民公约制定")]));
    w.push_list(list(3, 3, None, ListKind::CommunityService, vec![item(5, "居民公约制定"), item(6, "协助征收房屋评估")]));
    let keys: Vec<String> = w.run("community.not_admitted").into_iter().map(|f| f.key).collect();
    assert_eq!(
        keys,
        vec![
            "community.not_admitted:I2,R2".to_string(), // admitted pending review
            "community.not_admitted:I3,R3".to_string(), // refused but listed anyway
            "community.not_admitted:I6".to_string(),    // service work on no admission list
        ]
    );

    // (b): once the 协助 list is published, an item added afterwards without request is flagged.
    w.bundle.versions.push(Version {
        uid: None,
        id: 1,
        list: 1,
        number: 1,
        published_on: chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default(),
        doc_no: None,
        note: None,
        items: vec![item(1, "协助燃气入户安全检查"), item(3, "协助违法建设巡查")],
        changes: Vec::new(),
        despite_findings: None,
    });
    w.bundle.lists[0].items.push(assist(7, "协助开展人口普查登记", None, true));
    let keys: Vec<String> = w.run("community.not_admitted").into_iter().map(|f| f.key).collect();
    assert!(keys.contains(&"community.not_admitted:I7".to_string()), "{keys:?}");
    assert!(!keys.contains(&"community.not_admitted:I1".to_string()));
}

#[test]
fn assisting_work_must_bring_funding_and_staff() {
    let mut w = world();
    w.push_list(list(1, 3, None, ListKind::CommunityAssist, vec![
        assist(1, "协助甲", None, true),
        assist(2, "协助乙", None, false),
    ]));
    let findings = w.run("community.unfunded");
    assert_eq!(findings.len(), 1);
    assert!(findings[0].message.contains("经费") && findings[0].message.contains("人员"));
}

#[test]
fn negative_list_matches_exact_contained_and_near_but_not_unrelated() {
    let mut w = world();
    let mut neg = item(1, "招商引资");
    neg.power_type = None;
    let mut neg2 = item(2, "重大基础设施建设项目的征地拆迁");
    neg2.power_type = None;
    w.push_list(list(1, 3, None, ListKind::CommunityNegative, vec![neg, neg2]));
    w.push_list(list(2, 3, None, ListKind::CommunityAssist, vec![
        assist(3, "协助开展招商引资项目洽谈", None, true),
        assist(4, "重大基础设施建设项目征地拆迁", None, true),
        assist(5, "协助开展老年人优待证办理", None, true),
    ]));
    let keys: Vec<String> = w.run("community.negative_list").into_iter().map(|f| f.key).collect();
    assert_eq!(keys, vec!["community.negative_list:I1,I3", "community.negative_list:I2,I4"]);
}

#[test]
fn a_forbidden_certificate_among_the_work_is_found() {
    let mut w = world();
    let mut forbidden = item(1, "亲属关系证明");
    forbidden.certificate_allowed = Some(false);
    let mut allowed = item(2, "居住证明");
    allowed.certificate_allowed = Some(true);
    w.push_list(list(1, 3, None, ListKind::CommunityCertificate, vec![forbidden, allowed]));
    w.push_list(list(2, 3, None, ListKind::CommunityService, vec![item(3, "出具居住证明"), item(4, "为居民出具亲属关系证明")]));
    let keys: Vec<String> = w.run("community.certificate").into_iter().map(|f| f.key).collect();
    assert_eq!(keys, vec!["community.certificate:I1,I4"]);
}

#[test]
fn each_big_department_needs_exactly_one_leader_in_charge() {
    let mut w = world();
    w.bundle.units.push(Unit { leaders_in_charge: vec![1], ..unit(11, 2, "城市管理部") });
    w.bundle.units.push(Unit { leaders_in_charge: vec![1, 2], ..unit(12, 2, "社会事务部") });
    // unit 10 (党政办公室) has none.
    let findings = w.run("org.leader_in_charge");
    let keys: Vec<&str> = findings.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(keys, vec!["org.leader_in_charge:L1,L2,U12", "org.leader_in_charge:U10"]);
    assert!(findings[0].message.contains("交叉分管"));
    let spread = w.run("org.leader_spread");
    assert_eq!(spread.len(), 1, "leader 1 is in charge of two departments");
    assert!(spread[0].message.contains("2 个大部门"));
}

#[test]
fn staffing_rules_compare_figures_with_limits() {
    let mut w = world();
    w.bundle.jurisdictions[1].org_template = Some("baohe-1-7-2".into());
    let staffed = |id, admin, actual, approved, leaders| Unit {
        staffing: Staffing {
            admin_posts: Some(admin),
            institution_posts: None,
            actual_headcount: Some(actual),
            leader_posts_approved: Some(approved),
            leader_posts_actual: Some(leaders),
        },
        ..unit(id, 2, "部")
    };
    w.bundle.units = vec![staffed(10, 4, 4, 1, 1), staffed(11, 3, 5, 1, 2)];
    let over: Vec<String> = w.run("org.over_staffed").into_iter().map(|f| f.key).collect();
    assert_eq!(over, vec!["org.over_staffed:U11"]);
    let leaders: Vec<String> = w.run("org.over_leader_posts").into_iter().map(|f| f.key).collect();
    assert_eq!(leaders, vec!["org.over_leader_posts:U11"]);
    // 7 行政编制 against the pack's 15–25 for baohe-1-7-2.
    let range = w.run("org.staffing_range");
    assert_eq!(range.len(), 1);
    assert!(range[0].message.contains("合计 7 名"));
    // Regression (issue 11): a total below the range said 超出.
    assert!(range[0].message.contains("低于模板范围 15–25 名"), "{}", range[0].message);
    w.bundle.units[0].staffing.admin_posts = Some(30);
    assert!(w.run("org.staffing_range")[0].message.contains("超出模板范围"));
    w.bundle.units[0].staffing.admin_posts = Some(14);
    assert!(w.run("org.staffing_range").is_empty(), "17 is within 15–25");
}

#[test]
fn template_slots_missing_and_extra_are_reported() {
    let mut w = world();
    w.bundle.jurisdictions[1].org_template = Some("t".into());
    let slot = |name: &str| TemplateSlot {
        name: name.into(),
        kind: UnitKind::Administrative,
        group: "部".into(),
        name_chosen_locally: false,
        aliases: vec![],
        committee: None,
        members: None,
        in_charge: false,
        posts: vec![],
    };
    w.templates = vec![OrgTemplate {
        id: "t".into(),
        name: "一办两部".into(),
        origin: "测试".into(),
        level: Level::Street,
        description: String::new(),
        slots: vec![slot("党政办公室"), slot("城市管理部"), slot("社会事务部")],
        admin_posts: None,
    }];
    w.bundle.units.push(unit(11, 2, "城市管理部"));
    w.bundle.units.push(unit(12, 2, "招商办"));
    let findings = w.run("org.template_slots");
    assert_eq!(findings.len(), 1);
    assert!(findings[0].message.contains("缺少：社会事务部"));
    assert!(findings[0].message.contains("模板外：招商办"));
}

#[test]
fn duty_coverage_finds_crossed_and_blank_duties() {
    let mut w = world();
    w.bundle.units.push(unit(11, 2, "城市管理部"));
    w.push_list(list(1, 2, None, ListKind::StreetBasic, vec![item(1, "市容环境卫生管理"), item(2, "社区网格化管理"), item(3, "辖区安全生产巡查")]));
    w.push_list(list(2, 2, Some(10), ListKind::UnitDuties, vec![item(4, "社区网格化管理")]));
    w.push_list(list(3, 2, Some(11), ListKind::UnitDuties, vec![item(5, "市容环境卫生管理"), item(6, "社区网格化管理")]));
    let keys: Vec<String> = w.run("org.duty_coverage").into_iter().map(|f| f.key).collect();
    assert_eq!(keys, vec!["org.duty_coverage:I3", "org.duty_coverage:I4,I6"]);
}

#[test]
fn hygiene_rules_find_missing_basis_unknown_types_and_duplicate_codes() {
    let mut w = world();
    let mut no_basis = item(1, "甲处罚");
    no_basis.basis = None;
    let mut filing = item(2, "乙备案");
    filing.power_type = Some("行政备案".into());
    let mut coded_a = item(3, "丙许可");
    coded_a.code = Some("QC-001".into());
    let mut coded_b = item(4, "丁许可");
    coded_b.code = Some("QC-001".into());
    let mut repeat = item(5, "丙许可");
    repeat.code = Some("QC-001".into());
    w.push_list(list(1, 1, Some(1), ListKind::Power, vec![no_basis, filing, coded_a, coded_b, repeat]));
    assert_eq!(w.run("hygiene.basis").iter().map(|f| f.key.clone()).collect::<Vec<_>>(), vec!["hygiene.basis:I1"]);
    assert_eq!(w.run("hygiene.power_type").len(), 1);
    let codes = w.run("hygiene.duplicate_code");
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].subjects.len(), 2, "the per-level repeat of 丙许可 is not a second duty");
}

#[test]
fn waivers_hold_until_their_subjects_change() {
    let mut w = world();
    w.push_list(list(1, 1, Some(1), ListKind::Power, vec![item(1, "对甲的处罚")]));
    w.push_list(list(2, 1, Some(2), ListKind::Power, vec![item(2, "对甲的处罚")]));
    let finding = w.run("overlap.exact").remove(0);
    assert!(!finding.waived);
    w.bundle.waivers.push(Waiver {
        uid: None,
        id: 1,
        finding_key: finding.key.clone(),
        rule: finding.rule.clone(),
        reason: "两局分别负责不同环节，经研究保留".into(),
        actor: "编办".into(),
        at: "2025-03-01T10:00:00+08:00".into(),
        fingerprint: Some(finding.fingerprint.clone()),
    });
    let again = w.run("overlap.exact").remove(0);
    assert!(again.waived);
    assert_eq!(again.waiver_reason.as_deref(), Some("两局分别负责不同环节，经研究保留"));
    // A subject changes: the waiver lapses and the finding is back.
    w.bundle.lists[0].items[0].basis = Some("【法律】《新法》".into());
    let changed = w.run("overlap.exact").remove(0);
    assert!(!changed.waived && changed.waiver_lapsed);
}

#[test]
fn scope_keeps_only_findings_within_the_jurisdiction() {
    let mut w = world();
    let mut no_basis = item(1, "甲处罚");
    no_basis.basis = None;
    w.push_list(list(1, 1, Some(1), ListKind::Power, vec![no_basis]));
    let pack = RulePack::default_pack();
    let everything = run(&w.bundle, &pack, &[], &CheckOptions::default());
    assert!(everything.summary.by_rule.contains_key("hygiene.basis"));
    let street_only = run(&w.bundle, &pack, &[], &CheckOptions { rules: vec![], jurisdiction: Some(2), ..CheckOptions::default() });
    assert!(!street_only.findings.iter().any(|f| f.rule == "hygiene.basis"));
}

/// A world where several rules fire, for comparing whole reports.
fn busy_world() -> World {
    let mut w = world();
    let mut no_basis = item(3, "乙处罚");
    no_basis.basis = None;
    w.push_list(list(1, 1, Some(1), ListKind::Power, vec![item(1, "对甲的处罚"), no_basis]));
    w.push_list(list(2, 1, Some(2), ListKind::Power, vec![item(2, "对甲的处罚")]));
    w
}

#[test]
fn the_rule_table_is_in_report_order() {
    let table: Vec<&str> = rules::ALL.iter().map(|(id, _)| *id).collect();
    let listed: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    assert_eq!(table, listed);
}

#[test]
fn the_observer_sees_every_enabled_rule_in_order() {
    let w = busy_world();
    // Switch one rule off in the pack: the observer must not see it, and the count drops.
    let mut pack = RulePack::default_pack();
    pack.rules.get_mut("overlap.near").expect("in the default pack").enabled = false;
    assert!(!pack.setting("overlap.near").enabled);
    let mut seen: Vec<RuleStep> = Vec::new();
    let report = run_observed(&w.bundle, &pack, &[], &CheckOptions::default(), &mut |step| {
        seen.push(step);
        true
    });
    assert!(report.is_some());
    let expected: Vec<&str> = RULES.iter().map(|r| r.id).filter(|id| *id != "overlap.near").collect();
    assert_eq!(seen.iter().map(|s| s.rule.id).collect::<Vec<_>>(), expected);
    assert_eq!(seen.iter().map(|s| s.rule).collect::<Vec<_>>(), rules_to_run(&pack, &CheckOptions::default()));
    assert_eq!(seen.iter().map(|s| s.index).collect::<Vec<_>>(), (0..expected.len()).collect::<Vec<_>>());
    assert!(seen.iter().all(|s| s.count == expected.len()));
    assert!(seen.iter().all(|s| s.rule.title == rule_title(s.rule.id) && !s.rule.title.is_empty()));

    // Rules asked for by id: only those, counted among themselves.
    let mut seen: Vec<RuleStep> = Vec::new();
    let options = CheckOptions { rules: vec!["hygiene.basis".into(), "overlap.exact".into()], jurisdiction: None, ..CheckOptions::default() };
    run_observed(&w.bundle, &pack, &[], &options, &mut |step| {
        seen.push(step);
        true
    })
    .expect("ran");
    assert_eq!(
        seen.iter().map(|s| (s.index, s.count, s.rule.id)).collect::<Vec<_>>(),
        [(0, 2, "overlap.exact"), (1, 2, "hygiene.basis")]
    );
    assert_eq!(rules_to_run(&pack, &options).len(), 2);
}

#[test]
fn stopping_after_the_first_rule_gives_no_report() {
    let w = busy_world();
    let mut calls = 0;
    let report = run_observed(&w.bundle, &RulePack::default_pack(), &[], &CheckOptions::default(), &mut |step| {
        calls += 1;
        step.index == 0
    });
    assert!(report.is_none());
    assert_eq!(calls, 2, "the observer is not asked again once it said stop");
}

#[test]
fn the_observed_run_reports_what_run_reports() {
    let w = busy_world();
    let pack = RulePack::default_pack();
    let plain = run(&w.bundle, &pack, &[], &CheckOptions::default());
    assert!(plain.summary.by_rule.contains_key("overlap.exact") && plain.summary.by_rule.contains_key("hygiene.basis"));
    let observed = run_observed(&w.bundle, &pack, &[], &CheckOptions::default(), &mut |_| true).expect("ran");
    assert_eq!(observed, plain);
}
