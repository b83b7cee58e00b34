//! The planted problems: each one singular and deliberate, so that the checks of `docs/domain.md` §6 have
//! something real to find while the rest of the data stays clean. Every plant records where it
//! is; the README's table is made from these records.

use quanze_domain::{Coordination, Id, Item, PowerType};

use crate::community::{assist_item, Community};
use crate::district::District;
pub use crate::gen::Planted;
use crate::gen::Gen;
use crate::street::Street;

/// What later steps need to know about the plants.
pub struct Plants {
    /// The community 协助 list that has a published version, and the item added after it.
    pub published_assist: Id,
    pub unadmitted_item: Id,
    /// The leader in charge of two departments and those departments (waived).
    pub spread_leader: Id,
    pub spread_units: Vec<Id>,
}

pub const OVERLAP_NAME: &str = "对建设工程施工现场未采取有效扬尘污染防治措施的处罚";
pub const NEAR_LEFT: &str = "对排放油烟的餐饮服务业经营者未安装油烟净化设施的处罚";
pub const NEAR_RIGHT: &str = "对餐饮服务业经营者未安装油烟净化设施排放油烟的处罚";

pub fn plant(
    g: &mut Gen,
    district: &District,
    streets: &[Street],
    communities: &[Community],
) -> Plants {
    plant_overlaps(g, district);

    // (c) A district duty also in a street's 基本履职 list.
    let district_item = g
        .bundle
        .lists
        .iter()
        .find(|l| l.id == district.list_of("CG"))
        .and_then(|l| {
            l.items
                .iter()
                .find(|i| i.name.contains("占道经营"))
                .or_else(|| {
                    l.items
                        .iter()
                        .find(|i| i.power_type.as_deref() == Some("行政处罚"))
                })
        })
        .map(|i| i.name.clone())
        .unwrap_or_default();
    let wanghu = &streets[2];
    let enforcement = wanghu.unit_for_role("执法");
    let item = Item {
        name: district_item.clone(),
        category: Some("城市管理".to_string()),
        basis: Some("《江临市街道综合行政执法事项目录》".to_string()),
        subject: Some(wanghu.spec.name.to_string()),
        handling_unit: Some(enforcement),
        handling_unit_text: Some(g.unit_name(enforcement)),
        code: Some(format!("{}-JB-901", wanghu.spec.abbr)),
        ..Item::default()
    };
    insert_in_category(g, wanghu.basic, item);
    g.planted.push(Planted {
        key: "c",
        rule: "cross_level",
        brief: "区、街道两级承担同一职责（上下不清）",
        what: "街道基本履职事项与区级部门事项相同，且不是以该部门为主责的配合事项".to_string(),
        location: format!(
            "{}基本履职事项清单与{}权责清单：“{district_item}”",
            wanghu.spec.name,
            g.dept_name("CG")
        ),
    });

    // (d) A 收回 item still in the same street's 基本履职 list.
    let linjiang = &streets[1];
    let withdrawn_name = g
        .bundle
        .lists
        .iter()
        .find(|l| l.id == linjiang.withdrawn)
        .and_then(|l| {
            l.items
                .iter()
                .find(|i| i.name == "燃气经营企业安全监督检查")
                .or_else(|| l.items.first())
        })
        .map(|i| i.name.clone())
        .unwrap_or_default();
    let safety = linjiang.unit_for_role("安全");
    let item = Item {
        name: withdrawn_name.clone(),
        category: Some("平安法治".to_string()),
        basis: Some("《中华人民共和国安全生产法》".to_string()),
        subject: Some(linjiang.spec.name.to_string()),
        handling_unit: Some(safety),
        handling_unit_text: Some(g.unit_name(safety)),
        code: Some(format!("{}-JB-901", linjiang.spec.abbr)),
        ..Item::default()
    };
    insert_in_category(g, linjiang.basic, item);
    g.planted.push(Planted {
        key: "d",
        rule: "street.withdrawn_still_done",
        brief: "已收回事项仍在街道基本/配合清单中",
        what: "上级部门已收回的事项仍列在同一街道的基本履职事项中".to_string(),
        location: format!(
            "{}上级部门收回事项清单与基本履职事项清单：“{withdrawn_name}”",
            linjiang.spec.name
        ),
    });

    // (e) A 配合 item without a lead department, and one whose two duties are the same text.
    let unit = wanghu.unit_for_role("城管");
    let name = "老旧小区加装电梯协调服务";
    let item = Item {
        name: name.to_string(),
        category: Some("城市管理".to_string()),
        code: Some(format!("{}-PH-901", wanghu.spec.abbr)),
        handling_unit: Some(unit),
        handling_unit_text: Some(g.unit_name(unit)),
        coordination: Some(Coordination {
            lead_unit: None,
            lead_unit_text: None,
            superior_duty: Some("负责既有住宅加装电梯的政策制定、审批协调和资金补助。".to_string()),
            street_duty: Some("组织社区征求业主意见，协调解决加装电梯中的邻里矛盾。".to_string()),
        }),
        ..Item::default()
    };
    g.push_item(wanghu.coordination, item);
    g.planted.push(Planted {
        key: "e1",
        rule: "street.coordination",
        brief: "配合履职事项没有主责部门",
        what: "配合履职事项未填写主责部门".to_string(),
        location: format!("{}配合履职事项清单：“{name}”", wanghu.spec.name),
    });
    let yunling = &streets[3];
    let unit = yunling.unit_for_role("城管");
    let name = "农村人居环境整治";
    let same = "组织开展农村人居环境整治，做好村庄清洁行动。".to_string();
    let item = Item {
        name: name.to_string(),
        category: Some("城市管理".to_string()),
        code: Some(format!("{}-PH-901", yunling.spec.abbr)),
        handling_unit: Some(unit),
        handling_unit_text: Some(g.unit_name(unit)),
        coordination: Some(Coordination {
            lead_unit: Some(g.dept("NY")),
            lead_unit_text: Some(g.dept_name("NY")),
            superior_duty: Some(same.clone()),
            street_duty: Some(same),
        }),
        ..Item::default()
    };
    g.push_item(yunling.coordination, item);
    g.planted.push(Planted {
        key: "e2",
        rule: "street.coordination",
        brief: "配合履职事项上级部门职责与街道配合职责相同（边界不清）",
        what: "上级部门职责与街道配合职责一字不差".to_string(),
        location: format!("{}配合履职事项清单：“{name}”", yunling.spec.name),
    });

    // (f1) Work put on a community's published 协助 list afterwards, without admission.
    let linjiang_sq = &communities[3];
    let station_name = g.unit_name(linjiang_sq.station);
    let name = "协助开展商贸企业经营情况统计调查";
    let item = assist_item(g, name, "SM", linjiang_sq.station, &station_name);
    let unadmitted_item = g.push_item(linjiang_sq.assist, item);
    g.planted.push(Planted {
        key: "f1",
        rule: "community.not_admitted",
        brief: "未经准入向社区下放工作（擅自下放）",
        what: "清单公布后由区商务局直接加入，没有准入申请".to_string(),
        location: format!(
            "{}依法协助政府工作事项清单：“{name}”",
            linjiang_sq.spec.name
        ),
    });

    // (g) A 协助 item that is on the community's 负面清单.
    let dukou = &communities[5];
    let station_name = g.unit_name(dukou.station);
    let name = "协助开展招商引资项目信息收集";
    let item = assist_item(g, name, "FG", dukou.station, &station_name);
    g.push_item(dukou.assist, item);
    g.planted.push(Planted {
        key: "g",
        rule: "community.negative_list",
        brief: "社区承担负面清单事项",
        what: "协助政府事项含负面清单中的“招商引资”".to_string(),
        location: format!(
            "{}依法协助政府工作事项清单：“{name}”；负面清单：“招商引资”",
            dukou.spec.name
        ),
    });

    let (spread_leader, spread_units) = plant_leaders_in_charge(g, &streets[0]);
    plant_staffing(g, streets);

    plant_hygiene(g, district);

    Plants {
        published_assist: linjiang_sq.assist,
        unadmitted_item,
        spread_leader,
        spread_units,
    }
}

/// (h) 青溪街道: two leaders in charge of one department, none of another, one leader over two.
/// Returns the leader over two departments and those departments (the sample waives it).
fn plant_leaders_in_charge(g: &mut Gen, qingxi: &Street) -> (Id, Vec<Id>) {
    let unit_of = |slot: &str| qingxi.units.get(slot).copied().unwrap_or(0);
    let charge = &qingxi.leaders[2..];
    let assignments: [(&str, Vec<Id>); 10] = [
        ("党政办公室", vec![charge[0]]),
        ("党群工作部", vec![charge[1]]),
        ("城市管理部", vec![charge[2], charge[3]]),
        ("社会事务部", vec![charge[4]]),
        ("社区建设部", vec![charge[5]]),
        ("平安建设部", vec![charge[6]]),
        ("发展服务部", vec![charge[7]]),
        ("特色工作部", vec![]),
        ("党群服务中心", vec![charge[8]]),
        ("网格化服务中心", vec![charge[6]]),
    ];
    for (slot, leaders) in assignments {
        if let Some(u) = g.unit_mut(unit_of(slot)) {
            u.leaders_in_charge = leaders;
        }
    }
    let leader_name = |g: &Gen, id: Id| {
        g.bundle
            .leaders
            .iter()
            .find(|l| l.id == id)
            .map(|l| format!("{}（{}）", l.name, l.post))
            .unwrap_or_default()
    };
    g.planted.push(Planted {
        key: "h1",
        rule: "org.leader_in_charge",
        brief: "一个部门由两位领导分管（交叉分管）",
        what: format!(
            "城市管理部由{}和{}共同分管",
            leader_name(g, charge[2]),
            leader_name(g, charge[3])
        ),
        location: format!("{}：城市管理部", qingxi.spec.name),
    });
    g.planted.push(Planted {
        key: "h2",
        rule: "org.leader_in_charge",
        brief: "部门没有分管领导",
        what: "特色工作部（文旅体育工作部）无人分管".to_string(),
        location: format!("{}：文旅体育工作部", qingxi.spec.name),
    });
    g.planted.push(Planted {
        key: "h3",
        rule: "org.leader_spread",
        brief: "一位领导分管多个大部门（警告；样例中已豁免）",
        what: format!(
            "{}同时分管平安建设部和网格化服务中心，已登记豁免",
            leader_name(g, charge[6])
        ),
        location: format!("{}：平安建设部、网格化服务中心", qingxi.spec.name),
    });
    let spread_units = vec![unit_of("平安建设部"), unit_of("网格化服务中心")];
    (charge[6], spread_units)
}

/// (i) 超编, 超职数, and 青溪街道's 行政编制 over the template's 15–25.
fn plant_staffing(g: &mut Gen, streets: &[Street]) {
    let (qingxi, linjiang, wanghu) = (&streets[0], &streets[1], &streets[2]);
    let team = linjiang.unit_for_role("执法");
    if let Some(u) = g.unit_mut(team) {
        let posts = u.staffing.total_posts().unwrap_or(0);
        u.staffing.actual_headcount = Some(posts + 3);
    }
    g.planted.push(Planted {
        key: "i1",
        rule: "org.over_staffed",
        brief: "实有人数超过编制（超编）",
        what: "实有人数比编制多 3 人".to_string(),
        location: format!("{}：综合行政执法队", linjiang.spec.name),
    });
    let office = wanghu.unit_for_role("综合");
    if let Some(u) = g.unit_mut(office) {
        u.staffing.leader_posts_approved = Some(2);
        u.staffing.leader_posts_actual = Some(3);
    }
    g.planted.push(Planted {
        key: "i2",
        rule: "org.over_leader_posts",
        brief: "实配领导超过核定领导职数（超职数）",
        what: "核定领导职数 2 名，实配 3 名".to_string(),
        location: format!("{}：党政综合办公室", wanghu.spec.name),
    });
    let total: u32 = g
        .bundle
        .units
        .iter()
        .filter(|u| u.jurisdiction == qingxi.id)
        .filter_map(|u| u.staffing.admin_posts)
        .sum();
    g.planted.push(Planted {
        key: "i3",
        rule: "org.staffing_range",
        brief: "行政编制总数超出模板范围（一办七部两中心 15—25 名）",
        what: format!("行政编制合计 {total} 名"),
        location: format!("{}（模板 baohe-1-7-2）", qingxi.spec.name),
    });
}

/// (a) The same duty in the 权责清单 of 住建局 and 城管局; (b) the same duty, reworded, in
/// 生态环境分局 and 城管局.
fn plant_overlaps(g: &mut Gen, district: &District) {
    // (a) The same duty in the 权责清单 of 住建局 and 城管局.
    let basis = "【法律】《中华人民共和国大气污染防治法》第一百一十五条：施工单位未采取有效防尘降尘措施的，由县级以上人民政府住房城乡建设等主管部门按照职责责令改正，处一万元以上十万元以下的罚款。";
    add_penalty(g, district, "ZJ", OVERLAP_NAME, basis);
    add_penalty(g, district, "CG", OVERLAP_NAME, basis);
    g.planted.push(Planted {
        key: "a",
        rule: "overlap.exact",
        brief: "同级两个部门承担同一职责（职责交叉）",
        what: "住建局和城管局的权责清单中有同名事项".to_string(),
        location: format!(
            "{}权责清单、{}权责清单：“{OVERLAP_NAME}”",
            g.dept_name("ZJ"),
            g.dept_name("CG")
        ),
    });

    // (b) The same duty, reworded, in 生态环境分局 and 城管局.
    let basis = "【法律】《中华人民共和国大气污染防治法》第一百一十八条：排放油烟的餐饮服务业经营者未安装油烟净化设施、不正常使用油烟净化设施或者未采取其他油烟净化措施，超过排放标准排放油烟的，责令改正，处五千元以上五万元以下的罚款。";
    add_penalty(g, district, "ST", NEAR_LEFT, basis);
    add_penalty(g, district, "CG", NEAR_RIGHT, basis);
    g.planted.push(Planted {
        key: "b",
        rule: "overlap.near",
        brief: "不同部门的相似职责（疑似交叉，供人工判断）",
        what: "同一职责在两个部门换了说法".to_string(),
        location: format!(
            "{}：“{NEAR_LEFT}”；{}：“{NEAR_RIGHT}”",
            g.dept_name("ST"),
            g.dept_name("CG")
        ),
    });
}

/// (j) Hygiene: no basis, a power type outside the ten, one code on two items.
fn plant_hygiene(g: &mut Gen, district: &District) {
    // (j) Hygiene: no basis, a power type outside the ten, one code on two items.
    let name = edit_power_item(g, district.list_of("JT"), PowerType::Penalty, 0, |item| {
        item.basis = None
    });
    g.planted.push(Planted {
        key: "j1",
        rule: "hygiene.basis",
        brief: "行政权力事项缺少实施依据",
        what: "行政处罚事项的实施依据为空".to_string(),
        location: format!("{}权责清单：“{name}”", g.dept_name("JT")),
    });
    let name = edit_power_item(g, district.list_of("CG"), PowerType::Other, 0, |item| {
        item.power_type = Some("行政备案".to_string());
    });
    g.planted.push(Planted {
        key: "j2",
        rule: "hygiene.power_type",
        brief: "权力类型不在十类之内",
        what: "权力类型写作“行政备案”".to_string(),
        location: format!("{}权责清单：“{name}”", g.dept_name("CG")),
    });
    let sc = district.list_of("SC");
    let first_code = power_item(g, sc, PowerType::Inspection, 0).and_then(|i| i.code);
    let first_name = power_item(g, sc, PowerType::Inspection, 0)
        .map(|i| i.name)
        .unwrap_or_default();
    let second = edit_power_item(g, sc, PowerType::Inspection, 1, |item| {
        item.code.clone_from(&first_code)
    });
    g.planted.push(Planted {
        key: "j3",
        rule: "hygiene.duplicate_code",
        brief: "事项编码重复",
        what: format!("两个事项共用编码 {}", first_code.unwrap_or_default()),
        location: format!("{}权责清单：“{first_name}”与“{second}”", g.dept_name("SC")),
    });
}

/// Add a penalty to a department's list after its last penalty, with the next code.
fn add_penalty(g: &mut Gen, district: &District, dept: &str, name: &str, basis: &str) {
    let list = district.list_of(dept);
    let id = g.item_id();
    let Some(l) = g.list_mut(list) else { return };
    let penalty = PowerType::Penalty.label();
    let last = l
        .items
        .iter()
        .rposition(|i| i.power_type.as_deref() == Some(penalty))
        .unwrap_or(0);
    let count = l
        .items
        .iter()
        .filter(|i| i.power_type.as_deref() == Some(penalty))
        .count();
    let Some(template) = l.items.get(last).cloned() else {
        return;
    };
    let item = Item {
        id,
        name: name.to_string(),
        code: Some(format!("QC-{dept}-CF-{:03}", count + 1)),
        basis: Some(basis.to_string()),
        remarks: None,
        ..template
    };
    l.items.insert(last + 1, item);
    renumber(&mut l.items);
}

fn renumber(items: &mut [Item]) {
    for (k, item) in items.iter_mut().enumerate() {
        item.seq = Some((k + 1).to_string());
    }
}

/// Insert a street item after the last item of its category.
fn insert_in_category(g: &mut Gen, list: Id, mut item: Item) {
    item.id = g.item_id();
    let Some(l) = g.list_mut(list) else { return };
    let at = l
        .items
        .iter()
        .rposition(|i| i.category == item.category)
        .map_or(l.items.len(), |p| p + 1);
    l.items.insert(at, item);
    renumber(&mut l.items);
}

fn power_item(g: &Gen, list: Id, t: PowerType, nth: usize) -> Option<Item> {
    g.bundle.lists.iter().find(|l| l.id == list).and_then(|l| {
        l.items
            .iter()
            .filter(|i| i.power_type.as_deref() == Some(t.label()))
            .nth(nth)
            .cloned()
    })
}

fn edit_power_item(
    g: &mut Gen,
    list: Id,
    t: PowerType,
    nth: usize,
    edit: impl FnOnce(&mut Item),
) -> String {
    let Some(l) = g.list_mut(list) else {
        return String::new();
    };
    let Some(item) = l
        .items
        .iter_mut()
        .filter(|i| i.power_type.as_deref() == Some(t.label()))
        .nth(nth)
    else {
        return String::new();
    };
    edit(item);
    item.name.clone()
}
