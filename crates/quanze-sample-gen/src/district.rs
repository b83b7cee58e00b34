//! The district and its departments with their 权责清单.

use quanze_domain::{Id, Item, Level, ListKind, PowerType, Staffing, UnitKind};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::Rng;

use crate::district_vocab::{Dept, Law, DEPTS};
use crate::gen::Gen;
use crate::power_text::{
    accountability_cases, clause, responsibility, responsibility_basis, this_law, type_code, FINES,
};
use crate::text::{article, phone};

pub const DISTRICT: &str = "青川区";
pub const CITY: &str = "江临市";

/// What the district builder hands on: the district's id and each department's list id.
pub struct District {
    pub id: Id,
    pub power_lists: Vec<(&'static str, Id)>,
}

impl District {
    pub fn list_of(&self, code: &str) -> Id {
        self.power_lists
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(0, |(_, id)| *id)
    }
}

pub fn build(g: &mut Gen) -> District {
    let district = g.jurisdiction(None, DISTRICT, Level::District, |j| {
        j.admin_code = Some("990102".to_string());
        j.phone = Some("0710-12345".to_string());
    });
    let mut power_lists = Vec::new();
    for (index, dept) in DEPTS.iter().enumerate() {
        let list = build_dept(g, district, index, dept);
        power_lists.push((dept.code, list));
    }
    District {
        id: district,
        power_lists,
    }
}

fn build_dept(g: &mut Gen, district: Id, index: usize, dept: &'static Dept) -> Id {
    let full = format!("{DISTRICT}{}", dept.name);
    let posts = dept.posts;
    let leaders_approved = if posts >= 40 {
        5
    } else if posts >= 15 {
        4
    } else {
        3
    };
    let staffing = Staffing {
        admin_posts: (dept.kind == UnitKind::Administrative).then_some(posts),
        institution_posts: Some(if dept.kind == UnitKind::Administrative {
            posts / 4
        } else {
            posts
        }),
        actual_headcount: None,
        leader_posts_approved: Some(leaders_approved),
        leader_posts_actual: Some(leaders_approved - g.rng.random_range(0..2u32)),
    };
    let total = staffing.total_posts().unwrap_or(0);
    let staffing = Staffing {
        actual_headcount: Some(total - g.rng.random_range(0..=total.min(4))),
        ..staffing
    };
    let unit = g.unit(district, &full, dept.kind, None, None, staffing);
    let dept_phone = phone(&mut g.rng, 8);
    if let Some(u) = g.unit_mut(unit) {
        u.phone = Some(dept_phone);
    }
    g.depts.insert(dept.code, unit);
    let sections: Vec<Id> = dept
        .sections
        .iter()
        .map(|s| {
            g.unit(
                district,
                s,
                dept.kind,
                Some(unit),
                None,
                Staffing::default(),
            )
        })
        .collect();
    let supervision = format!(
        "0710-6{:03}{:04}",
        100 + index,
        g.rng.random_range(0..10_000u32)
    );

    let mut b = ItemBuilder {
        dept,
        full: full.clone(),
        unit,
        sections,
        supervision,
        items: Vec::new(),
    };
    for t in PowerType::ALL {
        b.add_type(g, t);
    }
    let name = format!("{full}权责清单");
    g.list(district, Some(unit), ListKind::Power, &name, None, b.items)
}

struct ItemBuilder {
    dept: &'static Dept,
    full: String,
    unit: Id,
    sections: Vec<Id>,
    supervision: String,
    items: Vec<Item>,
}

impl ItemBuilder {
    fn add_type(&mut self, g: &mut Gen, t: PowerType) {
        let dept = self.dept;
        let names: Vec<(String, Option<String>, usize, usize)> = match t {
            PowerType::Penalty => {
                // (group, object, act) combinations; a seeded sample, listed in natural order.
                let mut combos: Vec<(usize, usize, usize)> = Vec::new();
                for (gi, group) in dept.penalties.iter().enumerate() {
                    for oi in 0..group.objects.len() {
                        for ai in 0..group.acts.len() {
                            combos.push((gi, oi, ai));
                        }
                    }
                }
                combos.shuffle(&mut g.rng);
                combos.truncate(dept.penalty_count);
                combos.sort_unstable();
                combos
                    .into_iter()
                    .map(|(gi, oi, ai)| {
                        let group = &dept.penalties[gi];
                        let name = format!("对{}{}的处罚", group.objects[oi], group.acts[ai]);
                        (name, None, group.law, group.section)
                    })
                    .collect()
            }
            PowerType::Licensing => {
                let mut out = Vec::new();
                for (name, subs) in dept.licensing {
                    let law = g.rng.random_range(0..dept.laws.len().max(1));
                    if subs.is_empty() {
                        out.push((name.to_string(), None, law, 0));
                    }
                    for sub in *subs {
                        out.push((name.to_string(), Some(format!("{name}（{sub}）")), law, 0));
                    }
                }
                out
            }
            _ => {
                let list = match t {
                    PowerType::Enforcement => dept.enforcement,
                    PowerType::Levy => dept.levy,
                    PowerType::Benefit => dept.benefit,
                    PowerType::Inspection => dept.inspection,
                    PowerType::Confirmation => dept.confirmation,
                    PowerType::Reward => dept.reward,
                    PowerType::Adjudication => dept.adjudication,
                    _ => dept.other,
                };
                let mut out: Vec<(String, Option<String>, usize, usize)> = list
                    .iter()
                    .map(|n| {
                        let law = g.rng.random_range(0..dept.laws.len().max(1));
                        let section = g.rng.random_range(0..dept.sections.len().max(1));
                        (n.to_string(), None, law, section)
                    })
                    .collect();
                if t == PowerType::Inspection {
                    // One inspection per group: of its first object, under its law.
                    for group in dept.penalties {
                        let Some(object) = group.objects.first().filter(|o| is_organization(o))
                        else {
                            continue;
                        };
                        let Some(law) = dept.laws.get(group.law) else {
                            continue;
                        };
                        let name = format!("对{object}遵守{}规定情况的检查", law_topic(law.name));
                        if !out.iter().any(|(n, ..)| *n == name) {
                            out.push((name, None, group.law, group.section));
                        }
                    }
                }
                out
            }
        };
        let mut number = 0;
        let mut previous_name = String::new();
        let mut sub_number = 0;
        for (name, sub_item, law_index, section) in names {
            if name != previous_name || sub_item.is_none() {
                number += 1;
                sub_number = 0;
            }
            previous_name.clone_from(&name);
            let code = match &sub_item {
                Some(_) => {
                    sub_number += 1;
                    format!(
                        "QC-{}-{}-{number:03}-{sub_number:02}",
                        dept.code,
                        type_code(t)
                    )
                }
                None => format!("QC-{}-{}-{number:03}", dept.code, type_code(t)),
            };
            let item = self.item(g, t, name, sub_item, law_index, section, code);
            self.items.push(item);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn item(
        &self,
        g: &mut Gen,
        t: PowerType,
        name: String,
        sub_item: Option<String>,
        law_index: usize,
        section: usize,
        code: String,
    ) -> Item {
        let dept = self.dept;
        let fallback = Law {
            tag: "法律",
            name: "中华人民共和国行政处罚法",
            articles: (20, 30),
        };
        let law = dept.laws.get(law_index).copied().unwrap_or(fallback);
        let art = article(g.rng.random_range(law.articles.0..=law.articles.1));
        let quoted = if t == PowerType::Penalty {
            let (low, high) = FINES
                .choose(&mut g.rng)
                .copied()
                .unwrap_or(("一千元", "一万元"));
            let act = name
                .trim_start_matches('对')
                .trim_end_matches("的处罚")
                .to_string();
            format!(
                "违反{}规定，{act}的，由县级以上地方人民政府{}责令改正，处{low}以上{high}以下罚款。",
                this_law(law.name),
                dept.authority
            )
        } else {
            clause(t, dept.authority, sub_item.as_deref().unwrap_or(&name))
        };
        let mut basis = format!("【{}】《{}》{art}：{quoted}", law.tag, law.name);
        if dept.laws.len() > 1 && g.rng.random_bool(0.25) {
            let other = dept.laws.choose(&mut g.rng).copied().unwrap_or(law);
            if other.name != law.name {
                let art2 = article(g.rng.random_range(other.articles.0..=other.articles.1));
                basis.push_str(&format!("\n【{}】《{}》{art2}", other.tag, other.name));
            }
        }
        let handling_unit = self.sections.get(section).copied().unwrap_or(self.unit);
        let handling_text = g.unit_name(handling_unit);
        let level = match t {
            PowerType::Penalty => "区级：辖区内案件的立案查处".to_string(),
            PowerType::Licensing => "区级：辖区内申请的受理和决定".to_string(),
            PowerType::Inspection => "区级：辖区内的日常和专项检查".to_string(),
            _ => "区级：辖区内的组织实施".to_string(),
        };
        let scope = match g.rng.random_range(0..3) {
            0 => format!("{handling_text}负责人及具体承办人员"),
            1 => format!(
                "{}分管负责人、{handling_text}负责人及直接责任人员",
                dept.short
            ),
            _ => "行政执法人员及其所在机构负责人".to_string(),
        };
        let remarks = match g.rng.random_range(0..40) {
            0 => Some("市、区共有事项，区级负责辖区内案件办理。".to_string()),
            1 => Some("依申请办理，可网上办理。".to_string()),
            2 => Some("2025年根据法律修订调整实施依据。".to_string()),
            _ => None,
        };
        Item {
            name,
            sub_item,
            code: Some(code),
            power_type: Some(t.label().to_string()),
            basis: Some(basis),
            subject: Some(self.full.clone()),
            handling_unit: Some(handling_unit),
            handling_unit_text: Some(handling_text),
            level_and_authority: Some(level),
            department_duty: Some(dept.duty.to_string()),
            responsibility: Some(responsibility(t, &self.full)),
            responsibility_basis: Some(responsibility_basis(t, law.name)),
            accountable_scope: Some(scope),
            accountability_cases: Some(accountability_cases(t).to_string()),
            remarks,
            supervision_phone: Some(self.supervision.clone()),
            ..Item::default()
        }
    }
}

/// "中华人民共和国食品安全法" → "食品安全"; "特种设备安全监察条例" → "特种设备安全监察".
pub fn law_topic(name: &str) -> String {
    let mut topic = name
        .trim_start_matches("中华人民共和国")
        .trim_start_matches(crate::district::CITY)
        .trim_end_matches("（试行）")
        .to_string();
    for suffix in [
        "暂行条例",
        "实施条例",
        "管理条例",
        "条例",
        "暂行办法",
        "管理办法",
        "办法",
        "管理规定",
        "暂行规定",
        "规定",
        "法",
    ] {
        if let Some(stripped) = topic.strip_suffix(suffix) {
            topic = stripped.to_string();
            break;
        }
    }
    topic
}

/// Whether an object of a penalty group names an organization (not a person), so that an
/// inspection of it makes sense.
fn is_organization(object: &str) -> bool {
    [
        "单位",
        "企业",
        "机构",
        "经营者",
        "者",
        "场所",
        "平台",
        "公司",
        "合作社",
        "户",
        "（场）",
        "作坊",
        "站",
        "店",
        "院",
        "社",
        "场",
    ]
    .iter()
    .any(|suffix| object.ends_with(suffix))
}
