//! The org-chart templates shipped under `templates/org/` all parse, have unique ids, and
//! include the six patterns of the seeds with the facts the sources give.

use std::path::PathBuf;

use quanze_domain::{load_org_templates, Level, UnitKind};

fn templates() -> Vec<quanze_domain::OrgTemplate> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../templates/org");
    load_org_templates(&dir).expect("templates load")
}

#[test]
fn the_six_seed_templates_are_present() {
    let templates = templates();
    let names: Vec<&str> = templates.iter().map(|t| t.name.as_str()).collect();
    for name in [
        "一办七部两中心",
        "智慧332",
        "5+2+2",
        "六办一委一队四中心",
        "一委一会一办三站",
        "一委两会两站",
    ] {
        assert!(names.contains(&name), "missing template {name}; have {names:?}");
    }
}

#[test]
fn baohe_has_ten_slots_one_chosen_locally_and_a_staffing_range() {
    let templates = templates();
    let baohe = templates
        .iter()
        .find(|t| t.name == "一办七部两中心")
        .expect("包河 template");
    assert_eq!(baohe.level, Level::Street);
    assert_eq!(baohe.slots.len(), 10, "一办 + 七部 + 两中心");
    assert_eq!(baohe.slots.iter().filter(|s| s.name_chosen_locally).count(), 1);
    let range = baohe.admin_posts.expect("行政编制 range");
    assert_eq!((range.min, range.max), (15, 25));
    assert!(baohe.slot_for("城市管理部").is_some());
}

#[test]
fn community_templates_are_for_communities_and_slot_counts_match_their_names() {
    let templates = templates();
    for (name, slots) in [("一委一会一办三站", 6), ("一委两会两站", 5)] {
        let t = templates.iter().find(|t| t.name == name).expect(name);
        assert_eq!(t.level, Level::Community, "{name}");
        assert_eq!(t.slots.len(), slots, "{name}");
    }
    let luohu = templates.iter().find(|t| t.name == "5+2+2").expect("5+2+2");
    assert_eq!(luohu.slots.len(), 9);
    assert_eq!(
        luohu.slots.iter().filter(|s| s.kind == UnitKind::Institution).count(),
        2,
        "two 事业单位"
    );
    let dongcheng = templates
        .iter()
        .find(|t| t.name == "六办一委一队四中心")
        .expect("东城");
    assert_eq!(dongcheng.slots.len(), 12);
}
