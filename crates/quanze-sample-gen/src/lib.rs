//! # quanze-sample-gen
//!
//! Builds, deterministically, the sample district of Quanze — 青川区 of the fictional 江临市 —
//! as one [`quanze_domain::Bundle`], with deliberately planted problems for the checks of
//! `docs/domain.md` §6; and the legacy-style workbooks the importer must cope with (`docs/domain.md` §3).
//!
//! `cargo run -p quanze-sample-gen` rewrites `sample-data/sample-district.yaml` and
//! `sample-data/README.md`; `-- --legacy` also rewrites `sample-data/legacy/`. A test checks that
//! the committed files are exactly what the generator produces.

mod admission;
mod community;
mod community_vocab;
mod district;
mod district_vocab;
mod gen;
pub mod legacy;
pub mod planted;
mod power_text;
mod readme;
mod street;
mod street_vocab;
mod text;

use std::collections::BTreeMap;
use std::path::PathBuf;

use quanze_domain::{AdmissionState, Bundle, BundleError, Level, ListKind, PowerType};

pub use planted::Planted;

/// The generated district with the record of what was planted in it.
pub struct Generated {
    pub bundle: Bundle,
    pub planted: Vec<Planted>,
}

/// Build the sample district. Same output on every run and every machine.
pub fn generate() -> Generated {
    let mut g = gen::Gen::new();
    let district = district::build(&mut g);
    let streets = street::build(&mut g, district.id);
    street::three_lists(&mut g, &streets[0]);
    let communities = community::build(&mut g, &streets);
    admission::requests(&mut g, &communities);
    let plants = planted::plant(&mut g, &district, &streets, &communities);
    admission::versions(
        &mut g,
        &district,
        plants.published_assist,
        &[plants.unadmitted_item],
    );
    admission::waiver(&mut g, plants.spread_leader, &plants.spread_units);
    g.planted.sort_by(|a, b| a.key.cmp(b.key));
    Generated {
        bundle: g.bundle,
        planted: g.planted,
    }
}

/// The YAML text of the sample district, validated by reading it back.
pub fn sample_yaml(generated: &Generated) -> Result<String, BundleError> {
    let text = generated.bundle.to_yaml()?;
    let back = Bundle::from_yaml(&text)?;
    if back != generated.bundle {
        return Err(BundleError::Write(
            "读回的数据包与生成的数据包不一致".to_string(),
        ));
    }
    Ok(text)
}

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub const SAMPLE_PATH: &str = "sample-data/sample-district.yaml";
pub const README_PATH: &str = "sample-data/README.md";

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

/// The README of `sample-data/`, made from the generated data and its YAML text.
pub fn readme(generated: &Generated, yaml: &str) -> String {
    readme::render(
        &generated.bundle,
        &summarize(&generated.bundle),
        &generated.planted,
        yaml.len(),
    )
}

#[cfg(test)]
mod tests;
