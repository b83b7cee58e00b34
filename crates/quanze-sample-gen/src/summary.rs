//! Counts of what a bundle holds, for the README and the generator's printout.

use std::collections::BTreeMap;

use quanze_domain::{AdmissionState, Bundle, Level, ListKind, PowerType};

/// Counts of what the bundle holds, for the README and the generator's printout.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Summary {
    pub jurisdictions: BTreeMap<String, usize>,
    pub units_by_level: BTreeMap<String, usize>,
    pub units: usize,
    pub leaders: usize,
    pub lists: BTreeMap<&'static str, (usize, usize)>,
    pub items: usize,
    pub power_types: Vec<(String, usize)>,
    pub requests: Vec<(&'static str, usize)>,
    pub versions: usize,
    pub waivers: usize,
}

pub fn summarize(bundle: &Bundle) -> Summary {
    let level_of = |j: u32| {
        bundle
            .jurisdictions
            .iter()
            .find(|x| x.id == j)
            .map(|x| x.level)
    };
    let mut s = Summary {
        units: bundle.units.len(),
        leaders: bundle.leaders.len(),
        items: bundle.item_count(),
        versions: bundle.versions.len(),
        waivers: bundle.waivers.len(),
        ..Summary::default()
    };
    for j in &bundle.jurisdictions {
        let label = match (j.level, j.designation.as_deref()) {
            (_, Some(d)) => format!("{}（{d}）", j.level.label()),
            (level, None) => level.label().to_string(),
        };
        *s.jurisdictions.entry(label).or_default() += 1;
    }
    for u in &bundle.units {
        let level = level_of(u.jurisdiction).map_or("?", Level::label);
        *s.units_by_level.entry(level.to_string()).or_default() += 1;
    }
    for kind in ListKind::ALL {
        let lists: Vec<_> = bundle.lists.iter().filter(|l| l.kind == kind).collect();
        if !lists.is_empty() {
            let items = lists.iter().map(|l| l.items.len()).sum();
            s.lists.insert(kind.label(), (lists.len(), items));
        }
    }
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    for item in bundle
        .lists
        .iter()
        .filter(|l| l.kind == ListKind::Power)
        .flat_map(|l| &l.items)
    {
        let t = item.power_type.clone().unwrap_or_default();
        *by_type.entry(t).or_default() += 1;
    }
    let mut types: Vec<(String, usize)> = by_type.into_iter().collect();
    types.sort_by(|a, b| {
        b.1.cmp(&a.1).then_with(|| {
            let pos = |t: &str| {
                PowerType::ALL
                    .iter()
                    .position(|p| p.label() == t)
                    .unwrap_or(99)
            };
            pos(&a.0).cmp(&pos(&b.0))
        })
    });
    s.power_types = types;
    for state in [
        AdmissionState::Applied,
        AdmissionState::UnderReview,
        AdmissionState::Admitted,
        AdmissionState::Rejected,
        AdmissionState::Revoked,
    ] {
        let n = bundle
            .admission_requests
            .iter()
            .filter(|r| r.state == state)
            .count();
        s.requests.push((state.label(), n));
    }
    s
}
