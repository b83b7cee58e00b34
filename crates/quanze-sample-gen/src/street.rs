//! Streets (街道/镇): big departments on an org template, leaders in charge, staffing, the
//! three-part 履职清单, and the 三单 of one street's departments.

use std::collections::BTreeMap;

use quanze_domain::{
    Coordination, Id, Item, Level, ListKind, OrgTemplate, Staffing, UnitKind, Withdrawal,
};
use rand::seq::IndexedRandom;
use rand::Rng;

use crate::gen::Gen;
use crate::street_vocab::{
    basic_basis, category_role, coordination_category, tasks, BASIC, COORDINATION,
    WITHDRAWAL_METHODS, WITHDRAWN,
};
use crate::text::{person_name, phone};

/// The org templates shipped in `templates/org/`, read at build time so that the sample's
/// units always fill the real slots.
pub fn template(id: &str) -> Option<OrgTemplate> {
    let text = match id {
        "baohe-1-7-2" => include_str!("../../../templates/org/baohe-1-7-2.yaml"),
        "futian-332" => include_str!("../../../templates/org/futian-332.yaml"),
        "luohu-5-2-2" => include_str!("../../../templates/org/luohu-5-2-2.yaml"),
        "dongcheng-6-1-1-4" => include_str!("../../../templates/org/dongcheng-6-1-1-4.yaml"),
        "yongzhou-community-1-1-1-3" => {
            include_str!("../../../templates/org/yongzhou-community-1-1-1-3.yaml")
        }
        "yongzhou-village-1-2-2" => {
            include_str!("../../../templates/org/yongzhou-village-1-2-2.yaml")
        }
        _ => return None,
    };
    OrgTemplate::from_yaml(id, text).ok()
}

pub struct StreetSpec {
    pub name: &'static str,
    /// Prefix of the street's item codes.
    pub abbr: &'static str,
    pub template: &'static str,
    pub designation: Option<&'static str>,
    pub admin_code: &'static str,
    /// role → slot name.
    pub roles: &'static [(&'static str, &'static str)],
    /// slot → the unit's own name, where it differs (name chosen locally).
    pub local_names: &'static [(&'static str, &'static str)],
    /// 行政编制 per administrative unit, in slot order (the rest are drawn).
    pub admin_posts: &'static [u32],
}

pub const STREETS: &[StreetSpec] = &[
    StreetSpec {
        name: "青溪街道",
        abbr: "QXJD",
        template: "baohe-1-7-2",
        designation: None,
        admin_code: "990102001",
        roles: &[
            ("综合", "党政办公室"),
            ("纪检", "党政办公室"),
            ("党建", "党群工作部"),
            ("城管", "城市管理部"),
            ("执法", "城市管理部"),
            ("民生", "社会事务部"),
            ("社区", "社区建设部"),
            ("平安", "平安建设部"),
            ("安全", "平安建设部"),
            ("经济", "发展服务部"),
            ("文旅", "特色工作部"),
            ("党群", "党群服务中心"),
            ("服务", "党群服务中心"),
            ("网格", "网格化服务中心"),
        ],
        local_names: &[("特色工作部", "文旅体育工作部")],
        // 27 in all: over the template's 15–25 (planted).
        admin_posts: &[4, 3, 4, 3, 3, 4, 3, 3],
    },
    StreetSpec {
        name: "临江街道",
        abbr: "LJJD",
        template: "luohu-5-2-2",
        designation: None,
        admin_code: "990102002",
        roles: &[
            ("综合", "党政综合办公室"),
            ("纪检", "党政综合办公室"),
            ("经济", "党政综合办公室"),
            ("党建", "党建工作办公室"),
            ("社区", "党建工作办公室"),
            ("民生", "公共服务办公室"),
            ("文旅", "公共服务办公室"),
            ("城管", "城市管理办公室"),
            ("平安", "平安建设办公室"),
            ("网格", "平安建设办公室"),
            ("执法", "综合行政执法队"),
            ("安全", "安全生产执法队"),
            ("党群", "党群服务中心"),
            ("服务", "综合服务中心"),
        ],
        local_names: &[],
        admin_posts: &[9, 7, 8, 8, 9, 12, 8],
    },
    StreetSpec {
        name: "望湖街道",
        abbr: "WHJD",
        template: "futian-332",
        designation: None,
        admin_code: "990102003",
        roles: &[
            ("综合", "党政综合办公室"),
            ("纪检", "党政综合办公室"),
            ("党建", "党政综合办公室"),
            ("民生", "社会治理办公室"),
            ("社区", "社会治理办公室"),
            ("文旅", "社会治理办公室"),
            ("城管", "城市管理办公室"),
            ("执法", "综合行政执法队"),
            ("安全", "安全生产监督管理办公室"),
            ("平安", "综治维稳中心"),
            ("网格", "综治维稳中心"),
            ("党群", "党群服务中心"),
            ("经济", "公共服务中心"),
            ("服务", "公共服务中心"),
        ],
        local_names: &[],
        admin_posts: &[12, 10, 10, 14, 9, 8],
    },
    StreetSpec {
        name: "云岭镇",
        abbr: "YLZ",
        template: "dongcheng-6-1-1-4",
        designation: Some("镇"),
        admin_code: "990102100",
        roles: &[
            ("综合", "综合保障办公室"),
            ("经济", "综合保障办公室"),
            ("党建", "党群工作办公室"),
            ("平安", "平安建设办公室"),
            ("安全", "平安建设办公室"),
            ("城管", "城市管理办公室"),
            ("社区", "社区建设办公室"),
            ("民生", "民生保障办公室"),
            ("纪检", "纪工委"),
            ("执法", "综合行政执法队"),
            ("党群", "党群服务中心"),
            ("服务", "市民服务中心"),
            ("网格", "城市运行服务中心"),
            ("文旅", "社区治理服务中心"),
        ],
        local_names: &[],
        admin_posts: &[6, 5, 5, 6, 5, 5, 3, 10],
    },
];

/// What the street builder hands on.
pub struct Street {
    pub id: Id,
    pub spec: &'static StreetSpec,
    /// slot name → unit id.
    pub units: BTreeMap<String, Id>,
    pub leaders: Vec<Id>,
    pub basic: Id,
    pub coordination: Id,
    pub withdrawn: Id,
}

impl Street {
    pub fn unit_for_role(&self, role: &str) -> Id {
        let slot = self
            .spec
            .roles
            .iter()
            .find(|(r, _)| *r == role)
            .map_or("", |(_, s)| *s);
        self.units.get(slot).copied().unwrap_or(0)
    }
}

pub fn build(g: &mut Gen, district: Id) -> Vec<Street> {
    STREETS
        .iter()
        .map(|spec| build_street(g, district, spec))
        .collect()
}

fn build_street(g: &mut Gen, district: Id, spec: &'static StreetSpec) -> Street {
    let street_phone = phone(&mut g.rng, 5);
    let id = g.jurisdiction(Some(district), spec.name, Level::Street, |j| {
        j.designation = spec.designation.map(str::to_string);
        j.admin_code = Some(spec.admin_code.to_string());
        j.org_template = Some(spec.template.to_string());
        j.phone = Some(street_phone);
    });
    let template = template(spec.template);
    let slots = template.map(|t| t.slots).unwrap_or_default();

    // Units, one per slot.
    let mut units = BTreeMap::new();
    let mut admin_index = 0;
    let mut order = Vec::new();
    for slot in &slots {
        let name = spec
            .local_names
            .iter()
            .find(|(s, _)| *s == slot.name)
            .map_or(slot.name.as_str(), |(_, n)| *n)
            .to_string();
        let staffing = if slot.kind == UnitKind::Administrative {
            let posts = spec
                .admin_posts
                .get(admin_index)
                .copied()
                .unwrap_or_else(|| g.rng.random_range(3..8));
            admin_index += 1;
            let institution = g.rng.random_range(0..3u32);
            let approved = if posts >= 6 { 2 } else { 1 };
            Staffing {
                admin_posts: Some(posts),
                institution_posts: Some(institution),
                actual_headcount: Some(
                    posts + institution - g.rng.random_range(0..=1u32.min(posts)),
                ),
                leader_posts_approved: Some(approved),
                leader_posts_actual: Some(approved),
            }
        } else {
            let posts = g.rng.random_range(5..12u32);
            Staffing {
                admin_posts: None,
                institution_posts: Some(posts),
                actual_headcount: Some(posts - g.rng.random_range(0..3u32)),
                leader_posts_approved: Some(1),
                leader_posts_actual: Some(1),
            }
        };
        let unit = g.unit(id, &name, slot.kind, None, Some(&slot.name), staffing);
        let unit_phone = phone(&mut g.rng, 5);
        if let Some(u) = g.unit_mut(unit) {
            u.phone = Some(unit_phone);
        }
        units.insert(slot.name.clone(), unit);
        order.push(unit);
    }

    // Leaders: the two principals, then one leader in charge per big department.
    let (principals, pool) = leader_posts(spec);
    let mut leaders = Vec::new();
    for post in principals.iter().chain(pool.iter().take(order.len())) {
        let name = person_name(&mut g.rng);
        leaders.push(g.leader(id, &name, post));
    }
    let in_charge = &leaders[2..];
    for (k, unit) in order.iter().enumerate() {
        if let (Some(u), Some(leader)) = (g.unit_mut(*unit), in_charge.get(k)) {
            u.leaders_in_charge = vec![*leader];
        }
    }

    // 基本履职事项: 青溪 keeps the whole pool, the others a seeded selection.
    let keep_all = spec.template == "baohe-1-7-2";
    let mut basic_items = Vec::new();
    for (category, role, name) in BASIC {
        if !keep_all && g.rng.random_bool(0.1) {
            continue;
        }
        let unit = unit_for(&units, spec, role);
        let basis = basic_basis(category)
            .choose(&mut g.rng)
            .copied()
            .unwrap_or("");
        basic_items.push(Item {
            name: name.to_string(),
            category: Some(category.to_string()),
            basis: Some(basis.to_string()),
            handling_unit: Some(unit),
            handling_unit_text: Some(g.unit_name(unit)),
            subject: Some(spec.name.to_string()),
            ..Item::default()
        });
    }
    number(&mut basic_items, spec.abbr, "JB");
    let basic = g.list(
        id,
        None,
        ListKind::StreetBasic,
        &format!("{}基本履职事项清单", spec.name),
        None,
        basic_items,
    );

    // 配合履职事项.
    let mut coordination_items = Vec::new();
    for (name, lead, topic) in COORDINATION {
        if g.rng.random_bool(0.08) {
            continue;
        }
        let lead_unit = g.dept(lead);
        let lead_name = g.unit_name(lead_unit);
        let short = lead_name
            .trim_start_matches(crate::district::DISTRICT)
            .to_string();
        let superior = match g.rng.random_range(0..3) {
            0 => format!(
                "负责{topic}工作的统筹规划、政策制定和业务指导，依法履行监督检查和行政执法职责。"
            ),
            1 => format!(
                "牵头做好全区{topic}工作，制定工作方案，组织实施并督促落实，依法查处违法行为。"
            ),
            _ => format!("承担{topic}的行业管理和监督责任，负责组织协调、指导培训和考核评估。"),
        };
        let street_duty = match g.rng.random_range(0..3) {
            0 => format!("配合做好辖区{topic}的宣传引导、信息摸排和问题上报，协助区{short}开展相关工作。"),
            1 => format!("落实属地责任，组织社区开展{topic}相关排查登记，发现问题及时报告区{short}并配合处置。"),
            _ => format!("协助区{short}做好辖区{topic}工作的组织动员和日常巡查，配合开展联合检查。"),
        };
        let category = coordination_category(lead);
        let unit = unit_for(&units, spec, category_role(category));
        coordination_items.push(Item {
            name: name.to_string(),
            category: Some(category.to_string()),
            handling_unit: Some(unit),
            handling_unit_text: Some(g.unit_name(unit)),
            coordination: Some(Coordination {
                lead_unit: Some(lead_unit),
                lead_unit_text: Some(lead_name),
                superior_duty: Some(superior),
                street_duty: Some(street_duty),
            }),
            ..Item::default()
        });
    }
    number(&mut coordination_items, spec.abbr, "PH");
    let coordination = g.list(
        id,
        None,
        ListKind::StreetCoordination,
        &format!("{}配合履职事项清单", spec.name),
        None,
        coordination_items,
    );

    // 上级部门收回事项.
    let mut withdrawn_items = withdrawn_items(g);
    number(&mut withdrawn_items, spec.abbr, "SH");
    let withdrawn = g.list(
        id,
        None,
        ListKind::StreetWithdrawn,
        &format!("{}上级部门收回事项清单", spec.name),
        None,
        withdrawn_items,
    );

    Street {
        id,
        spec,
        units,
        leaders,
        basic,
        coordination,
        withdrawn,
    }
}

fn unit_for(units: &BTreeMap<String, Id>, spec: &StreetSpec, role: &str) -> Id {
    let slot = spec
        .roles
        .iter()
        .find(|(r, _)| *r == role)
        .map_or("", |(_, s)| *s);
    units.get(slot).copied().unwrap_or(0)
}

fn number(items: &mut [Item], abbr: &str, part: &str) {
    for (i, item) in items.iter_mut().enumerate() {
        item.code = Some(format!("{abbr}-{part}-{:03}", i + 1));
    }
}

/// The 三单 (职责清单 / 任务清单 / 责任清单) of every big department of one street. The
/// 职责清单 divide the street's 基本履职事项 among the departments, each duty to exactly one.
pub fn three_lists(g: &mut Gen, street: &Street) {
    let basic: Vec<Item> = g
        .bundle
        .lists
        .iter()
        .find(|l| l.id == street.basic)
        .map(|l| l.items.clone())
        .unwrap_or_default();
    let mut departments: Vec<(String, Id)> =
        street.units.iter().map(|(s, u)| (s.clone(), *u)).collect();
    departments.sort_by_key(|(_, u)| *u);
    for (_slot, unit) in departments {
        let unit_name = g.unit_name(unit);
        let duties: Vec<Item> = basic
            .iter()
            .filter(|i| i.handling_unit == Some(unit))
            .map(|i| Item {
                name: i.name.clone(),
                category: i.category.clone(),
                handling_unit: Some(unit),
                handling_unit_text: Some(unit_name.clone()),
                ..Item::default()
            })
            .collect();
        let role = street
            .spec
            .roles
            .iter()
            .find(|(_, s)| street.units.get(*s) == Some(&unit))
            .map_or("", |(r, _)| *r);
        let task_items: Vec<Item> = tasks(role)
            .iter()
            .enumerate()
            .map(|(k, t)| Item {
                name: format!("2025年{t}"),
                handling_unit: Some(unit),
                handling_unit_text: Some(unit_name.clone()),
                remarks: Some(format!("完成时限：2025年{}月底", [3, 6, 9, 12][k % 4])),
                ..Item::default()
            })
            .collect();
        let responsibilities: Vec<Item> = duties
            .iter()
            .take(8)
            .map(|d| Item {
                name: d.name.clone(),
                category: d.category.clone(),
                responsibility: Some(format!(
                    "{unit_name}对“{}”承担直接责任：按时完成、规范实施，工作不力造成不良影响的依规依纪追究责任。",
                    d.name
                )),
                accountable_scope: Some(format!("{unit_name}负责人及具体承办人员")),
                handling_unit: Some(unit),
                handling_unit_text: Some(unit_name.clone()),
                ..Item::default()
            })
            .collect();
        let jurisdiction = street.id;
        let prefix = format!("{}{unit_name}", street.spec.name);
        g.list(
            jurisdiction,
            Some(unit),
            ListKind::UnitDuties,
            &format!("{prefix}职责清单"),
            None,
            duties,
        );
        g.list(
            jurisdiction,
            Some(unit),
            ListKind::UnitTasks,
            &format!("{prefix}任务清单"),
            None,
            task_items,
        );
        g.list(
            jurisdiction,
            Some(unit),
            ListKind::UnitResponsibilities,
            &format!("{prefix}责任清单"),
            None,
            responsibilities,
        );
    }
}

/// The posts of a street's (or a town's) leading team: the two principals, then the pool the
/// leaders in charge of big departments are drawn from, in order.
fn leader_posts(spec: &StreetSpec) -> (&'static [&'static str], &'static [&'static str]) {
    let town = spec.designation == Some("镇");
    if town {
        (
            &["镇党委书记", "镇党委副书记、镇长"],
            &[
                "镇党委副书记",
                "镇纪委书记",
                "镇人大主席",
                "镇党委委员、副镇长",
                "镇党委委员、副镇长",
                "镇党委委员、武装部部长",
                "镇党委委员、组织委员",
                "镇党委委员、宣传委员",
                "副镇长",
                "镇党委委员、政法委员",
                "镇党委委员、统战委员",
                "副镇长",
                "镇人大副主席",
            ],
        )
    } else {
        (
            &["党工委书记", "党工委副书记、办事处主任"],
            &[
                "党工委副书记",
                "纪工委书记",
                "人大工委主任",
                "党工委委员、办事处副主任",
                "党工委委员、办事处副主任",
                "党工委委员、武装部部长",
                "党工委委员、组织委员",
                "党工委委员、宣传委员",
                "办事处副主任",
                "党工委委员、政法委员",
                "党工委委员、统战委员",
                "办事处副主任",
                "二级调研员",
            ],
        )
    }
}

/// A street's 上级部门收回事项 (a seeded selection of the pool), each with its receiving
/// department and working method, not yet numbered.
fn withdrawn_items(g: &mut Gen) -> Vec<Item> {
    let mut withdrawn_items = Vec::new();
    for (name, receiver) in WITHDRAWN {
        if g.rng.random_bool(0.06) {
            continue;
        }
        let unit = g.dept(receiver);
        let unit_name = g.unit_name(unit);
        let method = WITHDRAWAL_METHODS
            .choose(&mut g.rng)
            .copied()
            .unwrap_or("")
            .replace("{d}", &unit_name);
        withdrawn_items.push(Item {
            name: name.to_string(),
            category: Some(coordination_category(receiver).to_string()),
            withdrawal: Some(Withdrawal {
                receiving_unit: Some(unit),
                receiving_unit_text: Some(unit_name),
                working_method: Some(method),
            }),
            remarks: g.rng.random_bool(0.1).then(|| "2025年起收回。".to_string()),
            ..Item::default()
        });
    }
    withdrawn_items
}
