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
mod summary;
mod street_vocab;
mod text;

use std::path::PathBuf;

use quanze_domain::{Bundle, BundleError};

pub use planted::Planted;
pub use summary::{summarize, Summary};

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
