use std::collections::{BTreeMap, BTreeSet};

use quanze_domain::{AdmissionState, Item, Level, ListKind, PowerType};

use super::*;

const REGENERATE: &str = "run `cargo run -p quanze-sample-gen` (add `-- --legacy` for sample-data/legacy/) and commit the result";

fn generated() -> Generated {
    generate()
}

#[test]
fn the_bundle_is_valid_and_round_trips() {
    let g = generated();
    let problems = g.bundle.problems();
    assert!(problems.is_empty(), "{problems:?}");
    let text = sample_yaml(&g).expect("yaml");
    assert_eq!(Bundle::from_yaml(&text).expect("reads back"), g.bundle);
}

#[test]
fn generation_is_deterministic() {
    let a = sample_yaml(&generated()).expect("yaml");
    let b = sample_yaml(&generated()).expect("yaml");
    assert!(a == b, "two runs differ");
}

#[test]
fn the_committed_sample_is_what_the_generator_produces() {
    let g = generated();
    let yaml = sample_yaml(&g).expect("yaml");
    let committed = std::fs::read_to_string(repo_root().join(SAMPLE_PATH)).unwrap_or_default();
    assert!(
        committed == yaml,
        "{SAMPLE_PATH} is out of date: {REGENERATE}"
    );
    let readme_text = readme(&g, &yaml);
    let committed = std::fs::read_to_string(repo_root().join(README_PATH)).unwrap_or_default();
    assert!(
        committed == readme_text,
        "{README_PATH} is out of date: {REGENERATE}"
    );
}

#[test]
fn the_committed_legacy_workbooks_are_what_the_generator_produces() {
    let g = generated();
    let dir = repo_root().join("sample-data/legacy");
    for (file, bytes) in legacy::workbooks(&g.bundle).expect("workbooks") {
        if file.ends_with(".xlsx") && file != legacy::POWER_XLS.replace(".xls", ".xlsx") {
            let committed = std::fs::read(dir.join(&file)).unwrap_or_default();
            assert!(
                committed == bytes,
                "sample-data/legacy/{file} is out of date: {REGENERATE}"
            );
        }
    }
    let xls = std::fs::read(dir.join(legacy::POWER_XLS)).unwrap_or_default();
    // An OLE2 compound file (BIFF8 inside), not a zip.
    assert!(
        xls.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
        "sample-data/legacy/{} must be a real .xls (OLE2); {REGENERATE} with LibreOffice installed",
        legacy::POWER_XLS
    );
}

fn templates() -> Vec<quanze_domain::OrgTemplate> {
    quanze_domain::load_org_templates(&repo_root().join("templates/org")).expect("templates load")
}

/// The checks engine finds every planted problem, and nothing else.
#[test]
fn the_checks_find_exactly_the_planted_problems() {
    let g = generated();
    let pack = quanze_checks::RulePack::default_pack();
    let report = quanze_checks::run(&g.bundle, &pack, &templates(), &Default::default());
    let mut found: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in &report.findings {
        found
            .entry(f.rule.as_str())
            .or_default()
            .push(f.message.as_str());
    }
    let mut planted: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &g.planted {
        *planted.entry(p.rule).or_default() += 1;
    }
    let found_counts: BTreeMap<&str, usize> = found.iter().map(|(r, m)| (*r, m.len())).collect();
    assert_eq!(
        found_counts,
        planted,
        "findings per rule differ from the planted problems; findings:\n{}",
        report
            .findings
            .iter()
            .map(|f| format!("  {} | {}", f.rule, f.message))
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The one waiver covers the planted leader-spread warning.
    let waived: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.waived)
        .map(|f| f.rule.as_str())
        .collect();
    assert_eq!(waived, vec!["org.leader_spread"]);
}

fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| {
            !c.is_whitespace()
                && !c.is_ascii_punctuation()
                && !"，。、；：？！“”（）《》【】".contains(*c)
        })
        .collect()
}

/// Apart from the planted overlaps, no two departments (district, or one street's) share a
/// normalized item name.
#[test]
fn no_accidental_overlap_between_departments() {
    let g = generated();
    let b = &g.bundle;
    let allowed: BTreeSet<String> = [planted::OVERLAP_NAME]
        .iter()
        .map(|n| normalized(n))
        .collect();
    let mut owners: BTreeMap<(u32, String), BTreeSet<u32>> = BTreeMap::new();
    for list in b
        .lists
        .iter()
        .filter(|l| matches!(l.kind, ListKind::Power | ListKind::StreetBasic))
    {
        for item in &list.items {
            if let Some(owner) = list.unit.or(item.handling_unit) {
                owners
                    .entry((list.jurisdiction, normalized(&item.name)))
                    .or_default()
                    .insert(owner);
            }
        }
    }
    let shared: Vec<&String> = owners
        .iter()
        .filter(|((_, name), o)| o.len() > 1 && !allowed.contains(name))
        .map(|((_, name), _)| name)
        .collect();
    assert!(
        shared.is_empty(),
        "names shared by two departments: {shared:?}"
    );
    // The planted overlap is there, exactly once.
    let planted = owners
        .iter()
        .filter(|((_, name), o)| o.len() > 1 && allowed.contains(name))
        .count();
    assert_eq!(planted, 1);
}

/// District duties appear at street level only where planted, and a street's 收回 items are not
/// in its 基本/配合 lists except where planted.
#[test]
fn street_lists_stay_clear_of_district_and_withdrawn_duties_except_planted() {
    let g = generated();
    let b = &g.bundle;
    // Normalized district duty → the departments holding it.
    let mut district: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for list in b.lists.iter().filter(|l| l.kind == ListKind::Power) {
        for item in &list.items {
            district
                .entry(normalized(&item.name))
                .or_default()
                .extend(list.unit);
        }
    }
    let mut cross = 0;
    let mut still_done = 0;
    for street in b.jurisdictions.iter().filter(|j| j.level == Level::Street) {
        let names = |kinds: &[ListKind]| -> Vec<String> {
            b.lists
                .iter()
                .filter(|l| l.jurisdiction == street.id && kinds.contains(&l.kind))
                .flat_map(|l| &l.items)
                .map(|i| normalized(&i.name))
                .collect()
        };
        let active = names(&[ListKind::StreetBasic, ListKind::StreetCoordination]);
        cross += names(&[ListKind::StreetBasic])
            .iter()
            .filter(|n| district.contains_key(*n))
            .count();
        // A 配合 item may carry a district duty's name when it names that department as lead.
        for item in b
            .lists
            .iter()
            .filter(|l| l.jurisdiction == street.id && l.kind == ListKind::StreetCoordination)
            .flat_map(|l| &l.items)
        {
            if let Some(holders) = district.get(&normalized(&item.name)) {
                let lead = item.coordination.as_ref().and_then(|c| c.lead_unit);
                assert!(lead.is_some_and(|l| holders.contains(&l)), "{}", item.name);
            }
        }
        let withdrawn: BTreeSet<String> = names(&[ListKind::StreetWithdrawn]).into_iter().collect();
        still_done += active.iter().filter(|n| withdrawn.contains(*n)).count();
    }
    assert_eq!(cross, 1, "only the planted cross-level duty");
    assert_eq!(
        still_done, 1,
        "only the planted withdrawn-but-still-done duty"
    );
}

fn items_of(b: &Bundle, kind: ListKind) -> Vec<&Item> {
    b.lists
        .iter()
        .filter(|l| l.kind == kind)
        .flat_map(|l| &l.items)
        .collect()
}

#[test]
fn the_power_lists_look_like_a_real_district() {
    let g = generated();
    let power = items_of(&g.bundle, ListKind::Power);
    assert!(
        (2500..=3500).contains(&power.len()),
        "{} 权责清单 items",
        power.len()
    );
    let departments = g
        .bundle
        .lists
        .iter()
        .filter(|l| l.kind == ListKind::Power)
        .count();
    assert!(
        (35..=45).contains(&departments),
        "{departments} departments"
    );
    let mut by_type: BTreeMap<PowerType, usize> = BTreeMap::new();
    for item in &power {
        if let Some(t) = item.power_type.as_deref().and_then(PowerType::parse) {
            *by_type.entry(t).or_default() += 1;
        }
    }
    assert_eq!(by_type.len(), 10, "all ten 权力类型: {by_type:?}");
    let count = |t: PowerType| by_type.get(&t).copied().unwrap_or(0);
    assert!(count(PowerType::Penalty) * 2 > power.len(), "处罚 dominant");
    assert!(count(PowerType::Inspection) > count(PowerType::Licensing));
    assert!(count(PowerType::Licensing) > count(PowerType::Enforcement));
    for rare in [PowerType::Levy, PowerType::Adjudication, PowerType::Benefit] {
        assert!(
            count(rare) < count(PowerType::Reward),
            "{} is rare",
            rare.label()
        );
    }
    // Real-looking fields on (almost) every item; the planted one lacks its basis.
    let without_basis = power.iter().filter(|i| i.basis.is_none()).count();
    assert_eq!(without_basis, 1);
    for item in &power {
        assert!(
            item.code.as_deref().is_some_and(|c| c.starts_with("QC-")),
            "{}",
            item.name
        );
        assert!(
            item.subject.is_some() && item.handling_unit.is_some() && item.responsibility.is_some()
        );
        if let Some(basis) = &item.basis {
            assert!(basis.starts_with("【"), "{basis}");
        }
    }
    assert!(power.iter().any(|i| i.sub_item.is_some()));
    assert!(power.iter().any(|i| i.remarks.is_some()));
}

#[test]
fn streets_and_communities_have_lists_of_realistic_size() {
    let g = generated();
    let b = &g.bundle;
    let streets: Vec<_> = b
        .jurisdictions
        .iter()
        .filter(|j| j.level == Level::Street)
        .collect();
    let communities: Vec<_> = b
        .jurisdictions
        .iter()
        .filter(|j| j.level == Level::Community)
        .collect();
    assert_eq!(streets.len(), 4);
    assert_eq!(communities.len(), 12);
    let size = |j: u32, kind: ListKind| -> usize {
        b.lists
            .iter()
            .filter(|l| l.jurisdiction == j && l.kind == kind)
            .map(|l| l.items.len())
            .sum()
    };
    let templates: BTreeSet<_> = streets
        .iter()
        .filter_map(|s| s.org_template.clone())
        .collect();
    assert_eq!(templates.len(), 4, "four templates: {templates:?}");
    for s in &streets {
        for kind in [
            ListKind::StreetBasic,
            ListKind::StreetCoordination,
            ListKind::StreetWithdrawn,
        ] {
            let n = size(s.id, kind);
            assert!((60..=160).contains(&n), "{} {} {n}", s.name, kind.label());
        }
        let basic: Vec<&Item> = b
            .lists
            .iter()
            .filter(|l| l.jurisdiction == s.id && l.kind == ListKind::StreetBasic)
            .flat_map(|l| &l.items)
            .collect();
        assert_eq!(
            basic.first().and_then(|i| i.category.as_deref()),
            Some("党的建设")
        );
    }
    for c in &communities {
        let ranges = [
            (ListKind::CommunityByLaw, 12..=56),
            (ListKind::CommunityAssist, 14..=60),
            (ListKind::CommunityNegative, 5..=15),
            (ListKind::CommunityCertificate, 5..=37),
        ];
        for (kind, range) in ranges {
            let n = size(c.id, kind);
            assert!(range.contains(&n), "{} {} {n}", c.name, kind.label());
        }
        assert!(c.phone.is_some() && c.responsible_person.is_some());
    }
    // 三单 for the 青溪街道 departments.
    for kind in [
        ListKind::UnitDuties,
        ListKind::UnitTasks,
        ListKind::UnitResponsibilities,
    ] {
        assert!(
            b.lists.iter().filter(|l| l.kind == kind).count() >= 8,
            "{}",
            kind.label()
        );
    }
}

#[test]
fn units_fill_their_templates() {
    let g = generated();
    let b = &g.bundle;
    let templates = templates();
    for j in &b.jurisdictions {
        let Some(id) = &j.org_template else { continue };
        let template = templates
            .iter()
            .find(|t| &t.id == id)
            .expect("template exists");
        assert_eq!(template.level, j.level, "{}", j.name);
        for slot in &template.slots {
            assert!(
                b.units.iter().any(|u| u.jurisdiction == j.id
                    && u.template_slot.as_deref() == Some(slot.name.as_str())),
                "{} lacks {}",
                j.name,
                slot.name
            );
        }
    }
}

#[test]
fn admission_requests_cover_every_state_and_link_both_ways() {
    let g = generated();
    let b = &g.bundle;
    assert!((8..=12).contains(&b.admission_requests.len()));
    let states: BTreeSet<&str> = b
        .admission_requests
        .iter()
        .map(|r| r.state.label())
        .collect();
    assert_eq!(states.len(), 5, "{states:?}");
    let assist = items_of(b, ListKind::CommunityAssist);
    for r in &b.admission_requests {
        assert_eq!(
            r.history.first().map(|s| s.state),
            Some(AdmissionState::Applied)
        );
        assert_eq!(r.history.last().map(|s| s.state), Some(r.state));
        for pair in r.history.windows(2) {
            assert!(pair[0].state.can_move_to(pair[1].state));
            assert!(pair[0].date <= pair[1].date);
        }
        assert!(r.applied_on.format("%Y").to_string().starts_with("202"));
        if r.state == AdmissionState::Admitted {
            let item_id = r.admitted_item.expect("admitted item");
            let item = assist
                .iter()
                .find(|i| i.id == item_id)
                .expect("item on a 协助 list");
            assert_eq!(
                item.assistance.as_ref().and_then(|a| a.admission_request),
                Some(r.id)
            );
            assert!(r
                .doc_no
                .as_deref()
                .is_some_and(|d| d.starts_with("青编办〔")));
        }
    }
}

#[test]
fn every_planted_problem_is_recorded_once() {
    let g = generated();
    let keys: Vec<&str> = g.planted.iter().map(|p| p.key).collect();
    let unique: BTreeSet<&str> = keys.iter().copied().collect();
    assert_eq!(keys.len(), unique.len(), "{keys:?}");
    for letter in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] {
        assert!(
            keys.iter().any(|k| k.starts_with(letter)),
            "no planted problem ({letter})"
        );
    }
    assert!(g
        .planted
        .iter()
        .all(|p| !p.location.is_empty() && !p.location.contains("“”")));
}
