//! Communities (社区/村): their bodies and the four-part 准入清单.

use quanze_domain::{Assistance, Funding, Id, Item, Level, ListKind, StaffSupport, UnitKind};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::Rng;

use crate::community_vocab::{ASSIST, BY_LAW, CERTIFICATES, CERTIFICATE_INSTEAD, NEGATIVE};
use crate::gen::Gen;
use crate::street::{template, Street};
use crate::text::{person_name, phone};

pub struct CommunitySpec {
    pub name: &'static str,
    pub street: usize,
    pub village: bool,
    pub template: Option<&'static str>,
    pub abbr: &'static str,
}

pub const COMMUNITIES: &[CommunitySpec] = &[
    CommunitySpec {
        name: "青溪社区",
        street: 0,
        village: false,
        template: Some("yongzhou-community-1-1-1-3"),
        abbr: "QXSQ",
    },
    CommunitySpec {
        name: "柳岸社区",
        street: 0,
        village: false,
        template: Some("yongzhou-community-1-1-1-3"),
        abbr: "LASQ",
    },
    CommunitySpec {
        name: "南苑社区",
        street: 0,
        village: false,
        template: Some("yongzhou-community-1-1-1-3"),
        abbr: "NYSQ",
    },
    CommunitySpec {
        name: "临江社区",
        street: 1,
        village: false,
        template: None,
        abbr: "LJSQ",
    },
    CommunitySpec {
        name: "江滨社区",
        street: 1,
        village: false,
        template: None,
        abbr: "JBSQ",
    },
    CommunitySpec {
        name: "渡口社区",
        street: 1,
        village: false,
        template: None,
        abbr: "DKSQ",
    },
    CommunitySpec {
        name: "望湖社区",
        street: 2,
        village: false,
        template: None,
        abbr: "WHSQ",
    },
    CommunitySpec {
        name: "书院社区",
        street: 2,
        village: false,
        template: None,
        abbr: "SYSQ",
    },
    CommunitySpec {
        name: "湖东社区",
        street: 2,
        village: false,
        template: None,
        abbr: "HDSQ",
    },
    CommunitySpec {
        name: "云岭社区",
        street: 3,
        village: false,
        template: Some("yongzhou-community-1-1-1-3"),
        abbr: "YLSQ",
    },
    CommunitySpec {
        name: "桃源村",
        street: 3,
        village: true,
        template: Some("yongzhou-village-1-2-2"),
        abbr: "TYC",
    },
    CommunitySpec {
        name: "石桥村",
        street: 3,
        village: true,
        template: Some("yongzhou-village-1-2-2"),
        abbr: "SQC",
    },
];

pub struct Community {
    pub id: Id,
    pub spec: &'static CommunitySpec,
    /// The body that handles assisting work (a 站 or the 工作站).
    pub station: Id,
    /// The self-governing body (居委会 / 村委会).
    pub committee: Id,
    pub by_law: Id,
    pub assist: Id,
    pub negative: Id,
    pub certificate: Id,
}

pub fn build(g: &mut Gen, streets: &[Street]) -> Vec<Community> {
    COMMUNITIES
        .iter()
        .map(|spec| build_one(g, streets, spec))
        .collect()
}

/// Village wording for a community-worded text.
pub fn village_words(text: &str) -> String {
    text.replace("本居住地区", "本村")
        .replace("居民委员会", "村民委员会")
        .replace("居委会", "村委会")
        .replace("居民", "村民")
        .replace("居务", "村务")
        .replace("社区", "村")
}

fn build_one(g: &mut Gen, streets: &[Street], spec: &'static CommunitySpec) -> Community {
    let street = &streets[spec.street];
    let secretary = person_name(&mut g.rng);
    let community_phone = phone(&mut g.rng, 5);
    let id = g.jurisdiction(Some(street.id), spec.name, Level::Community, |j| {
        j.designation = spec.village.then(|| "村".to_string());
        j.org_template = spec.template.map(str::to_string);
        j.phone = Some(community_phone);
        j.responsible_person = Some(secretary);
    });

    // Bodies: the template's slots, or the Shenzhen-style 党委 / 居委会 / 工作站.
    let slots: Vec<(String, UnitKind, Option<String>)> = match spec.template.and_then(template) {
        Some(t) => t
            .slots
            .iter()
            .map(|s| (s.name.clone(), s.kind, Some(s.name.clone())))
            .collect(),
        None => vec![
            ("社区党委".to_string(), UnitKind::SelfGoverning, None),
            ("社区居民委员会".to_string(), UnitKind::SelfGoverning, None),
            ("社区工作站".to_string(), UnitKind::Dispatched, None),
        ],
    };
    let mut station = 0;
    let mut committee = 0;
    for (name, kind, slot) in &slots {
        let staffing = quanze_domain::Staffing {
            actual_headcount: Some(g.rng.random_range(2..9)),
            ..Default::default()
        };
        let unit = g.unit(id, name, *kind, None, slot.as_deref(), staffing);
        if name.contains("便民服务") || (station == 0 && name.contains('站')) {
            station = unit;
        }
        if committee == 0 && name.contains("委员会") && !name.contains("党") {
            committee = unit;
        }
    }
    let word = |text: &str| {
        if spec.village {
            village_words(text)
        } else {
            text.to_string()
        }
    };
    let law = if spec.village {
        "《中华人民共和国村民委员会组织法》"
    } else {
        "《中华人民共和国城市居民委员会组织法》"
    };

    // 依法履行职责事项.
    let mut pool: Vec<usize> = (0..BY_LAW.len()).collect();
    pool.shuffle(&mut g.rng);
    let n = g.rng.random_range(20..=BY_LAW.len());
    let mut chosen: Vec<usize> = pool.into_iter().take(n).collect();
    chosen.sort_unstable();
    let committee_name = g.unit_name(committee);
    let by_law_items: Vec<Item> = chosen
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let (category, name) = BY_LAW[i];
            Item {
                code: Some(format!("{}-YF-{:03}", spec.abbr, k + 1)),
                name: word(name),
                category: Some(category.to_string()),
                basis: Some(if category == "党的建设" {
                    "《中国共产党章程》；《中国共产党支部工作条例（试行）》".to_string()
                } else {
                    format!("{law}第{}条", ["二", "三", "四", "十"][k % 4])
                }),
                handling_unit: Some(committee),
                handling_unit_text: Some(committee_name.clone()),
                ..Item::default()
            }
        })
        .collect();
    let by_law = g.list(
        id,
        None,
        ListKind::CommunityByLaw,
        &format!("{}依法履行职责事项清单", spec.name),
        None,
        by_law_items,
    );

    // 依法协助政府工作事项.
    let mut pool: Vec<usize> = (0..ASSIST.len()).collect();
    pool.shuffle(&mut g.rng);
    let n = g.rng.random_range(16..=40);
    let mut chosen: Vec<usize> = pool.into_iter().take(n).collect();
    chosen.sort_unstable();
    let station_name = g.unit_name(station);
    let mut assist_items = Vec::new();
    for &i in &chosen {
        let (name, dept) = ASSIST[i];
        let item = assist_item(g, &word(name), dept, station, &station_name);
        assist_items.push(item);
    }
    for (k, item) in assist_items.iter_mut().enumerate() {
        item.code = Some(format!("{}-XZ-{:03}", spec.abbr, k + 1));
    }
    let assist = g.list(
        id,
        None,
        ListKind::CommunityAssist,
        &format!("{}依法协助政府工作事项清单", spec.name),
        None,
        assist_items,
    );

    // 负面清单.
    let n = g.rng.random_range(6..=NEGATIVE.len());
    let negative_items: Vec<Item> = NEGATIVE
        .iter()
        .take(n)
        .enumerate()
        .map(|(k, name)| Item {
            code: Some(format!("{}-FM-{:03}", spec.abbr, k + 1)),
            name: word(name),
            basis: Some("《江临市社区工作事项准入办法》第十条".to_string()),
            ..Item::default()
        })
        .collect();
    let negative = g.list(
        id,
        None,
        ListKind::CommunityNegative,
        &format!("{}工作事项负面清单", spec.name),
        None,
        negative_items,
    );

    // 证明事项.
    let n = g.rng.random_range(12..=CERTIFICATES.len());
    let certificate_items: Vec<Item> = CERTIFICATES
        .iter()
        .take(n)
        .enumerate()
        .map(|(k, (name, allowed))| Item {
            code: Some(format!("{}-ZM-{:03}", spec.abbr, k + 1)),
            name: word(name),
            certificate_allowed: Some(*allowed),
            handling_unit: allowed.then_some(committee),
            handling_unit_text: allowed.then(|| committee_name.clone()),
            remarks: if *allowed {
                Some("经入户核实后出具，不得收费。".to_string())
            } else {
                CERTIFICATE_INSTEAD
                    .choose(&mut g.rng)
                    .map(|s| s.to_string())
            },
            ..Item::default()
        })
        .collect();
    let certificate = g.list(
        id,
        None,
        ListKind::CommunityCertificate,
        &format!("{}证明事项清单", spec.name),
        None,
        certificate_items,
    );

    Community {
        id,
        spec,
        station,
        committee,
        by_law,
        assist,
        negative,
        certificate,
    }
}

/// A 协助政府 item asked for by a district department, with funding and staff.
pub fn assist_item(g: &mut Gen, name: &str, dept: &str, station: Id, station_name: &str) -> Item {
    let unit = g.dept(dept);
    let unit_name = g.unit_name(unit);
    let amount = [0.5, 1.0, 1.5, 2.0, 3.0, 5.0]
        .choose(&mut g.rng)
        .copied()
        .unwrap_or(1.0);
    let source = match g.rng.random_range(0..3) {
        0 => "区财政专项".to_string(),
        1 => format!("{unit_name}部门预算"),
        _ => "区级社区工作经费".to_string(),
    };
    let count = g.rng.random_range(1..=2u32);
    let note = match g.rng.random_range(0..3) {
        0 => format!("由社区网格员承担，{unit_name}按购买服务标准拨付补助"),
        1 => format!("{unit_name}派驻工作人员{count}名定期到社区指导"),
        _ => format!("购买服务岗位{count}名"),
    };
    Item {
        name: name.to_string(),
        basis: Some(format!(
            "《江临市社区工作事项准入办法》第八条；{unit_name}工作职责"
        )),
        handling_unit: Some(station),
        handling_unit_text: Some(station_name.to_string()),
        assistance: Some(Assistance {
            requesting_unit: Some(unit),
            requesting_unit_text: Some(unit_name),
            funding: Funding {
                amount_wan: Some(amount),
                source: Some(source),
            },
            staff: StaffSupport {
                count: Some(count),
                note: Some(note),
            },
            admission_request: None,
        }),
        ..Item::default()
    }
}
