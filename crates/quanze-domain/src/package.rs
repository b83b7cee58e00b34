//! A package (数据包 for exchange, `docs/exchange.md`): a bundle of one jurisdiction or of some
//! lists, sent from one office to another and merged back, with a header that says who made it,
//! from which earlier packages, and a content hash that refuses a damaged or altered file.
//!
//! The hash is the SHA-256 of the bundle's canonical form: its compact JSON (the field order is
//! the types' own, so the same content always gives the same bytes) with `content_sha256` left
//! empty. YAML is only the wrapping: a package read from YAML or JSON gives the same hash.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::{Bundle, Uid};

/// Who made a package, what it covers and what it was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PackageHeader {
    /// The package's own identity: a later package names it as its base.
    pub uid: Uid,
    /// The producing office (发出单位), e.g. `青川区委编办`, `青溪街道办事处`.
    pub office: String,
    /// Who made it (操作人).
    pub actor: String,
    /// When it was made, RFC 3339 with the local offset.
    pub made_at: String,
    pub scope: PackageScope,
    /// Earlier packages this one was made from (the newest first): the packages the producing
    /// database had sent or received for the same jurisdiction. A merge compares against the
    /// first of them the receiving database knows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<Uid>,
    /// SHA-256 (hex) of the canonical form, see the module documentation.
    pub content_sha256: String,
}

/// What a package covers: a jurisdiction and everything under it, or chosen lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PackageScope {
    /// The jurisdiction the package is about (for chosen lists: theirs).
    pub jurisdiction: Uid,
    /// Its name, for people reading the file.
    pub jurisdiction_name: String,
    /// Only these lists (empty: the whole jurisdiction).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<Uid>,
}

/// A package whose content does not match its hash.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("数据包已损坏或被改动：内容校验值（SHA-256）应为 {expected}，实际为 {actual}。请向发出单位（{office}）重新索取")]
pub struct PackageDamaged {
    pub expected: String,
    pub actual: String,
    pub office: String,
}

/// The bundle as its canonical form serialises it: the same fields in the same order as
/// [`Bundle`], borrowed (a 50,000-item package is hashed without a copy), the header's hash
/// empty. A test holds it equal to serialising the bundle itself.
#[derive(Serialize)]
struct CanonicalBundle<'a> {
    format: &'a str,
    format_version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    package: Option<PackageHeader>,
    jurisdictions: &'a [crate::Jurisdiction],
    units: &'a [crate::Unit],
    leaders: &'a [crate::Leader],
    lists: &'a [crate::DutyList],
    admission_requests: &'a [crate::AdmissionRequest],
    waivers: &'a [crate::Waiver],
    versions: &'a [crate::Version],
    // Left out when empty, so that packages made before change requests existed keep their hash.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    change_requests: &'a [crate::ChangeRequest],
}

/// Bytes written into a SHA-256.
struct Hashing(Sha256);

impl std::io::Write for Hashing {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Bundle {
    fn canonical(&self) -> CanonicalBundle<'_> {
        CanonicalBundle {
            format: &self.format,
            format_version: self.format_version,
            title: &self.title,
            package: self.package.as_ref().map(|h| PackageHeader { content_sha256: String::new(), ..h.clone() }),
            jurisdictions: &self.jurisdictions,
            units: &self.units,
            leaders: &self.leaders,
            lists: &self.lists,
            admission_requests: &self.admission_requests,
            waivers: &self.waivers,
            versions: &self.versions,
            change_requests: &self.change_requests,
        }
    }

    /// SHA-256 (hex) of the canonical form: compact JSON with `content_sha256` left empty.
    pub fn content_sha256(&self) -> String {
        let mut hashing = Hashing(Sha256::new());
        // Serialising plain structs, vectors and strings into a hash cannot fail.
        let _ = serde_json::to_writer(&mut hashing, &self.canonical());
        hashing.0.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Make this bundle a package with `header` (whose `content_sha256` is filled in here).
    pub fn seal_package(&mut self, header: PackageHeader) {
        self.package = Some(header);
        let hash = self.content_sha256();
        if let Some(header) = &mut self.package {
            header.content_sha256 = hash;
        }
    }

    /// A package's content matches its hash (a plain bundle has nothing to check).
    pub fn verify_package(&self) -> Result<(), PackageDamaged> {
        let Some(header) = &self.package else {
            return Ok(());
        };
        let actual = self.content_sha256();
        if actual == header.content_sha256.trim().to_ascii_lowercase() {
            Ok(())
        } else {
            Err(PackageDamaged {
                expected: header.content_sha256.chars().take(64).collect(),
                actual,
                office: header.office.chars().take(60).collect(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Jurisdiction, Level};

    fn sealed() -> Bundle {
        let mut bundle = Bundle::default();
        bundle.jurisdictions.push(Jurisdiction {
            id: 1,
            uid: Some(Uid::generate()),
            parent: None,
            name: "青川区".to_string(),
            level: Level::District,
            designation: None,
            admin_code: None,
            org_template: None,
            phone: None,
            responsible_person: None,
            poster_settings: None,
        });
        let jurisdiction = bundle.jurisdictions[0].uid.clone().expect("uid");
        bundle.seal_package(PackageHeader {
            uid: Uid::generate(),
            office: "青川区委编办".to_string(),
            actor: "张三".to_string(),
            made_at: "2026-12-05T09:00:00+08:00".to_string(),
            scope: PackageScope { jurisdiction, jurisdiction_name: "青川区".to_string(), lists: Vec::new() },
            bases: Vec::new(),
            content_sha256: String::new(),
        });
        bundle
    }

    #[test]
    fn a_sealed_package_verifies_after_a_yaml_and_a_json_round_trip() {
        let bundle = sealed();
        bundle.verify_package().expect("fresh");
        let yaml = bundle.to_yaml().expect("yaml");
        Bundle::from_yaml(&yaml).expect("read back").verify_package().expect("yaml keeps the hash");
        let json = bundle.to_json().expect("json");
        Bundle::from_json(&json).expect("read back").verify_package().expect("json keeps the hash");
    }

    #[test]
    fn the_canonical_form_is_the_bundles_own_json_with_the_hash_left_empty() {
        let mut bundle = sealed();
        bundle.title = Some("标题".to_string());
        let borrowed = serde_json::to_vec(&bundle.canonical()).expect("json");
        if let Some(header) = &mut bundle.package {
            header.content_sha256 = String::new();
        }
        assert_eq!(borrowed, serde_json::to_vec(&bundle).expect("json"));
    }

    #[test]
    fn one_changed_character_is_refused_naming_the_producer() {
        let yaml = sealed().to_yaml().expect("yaml");
        let altered = yaml.replace("青川区\n", "青州区\n");
        assert_ne!(altered, yaml);
        let error = Bundle::from_yaml(&altered).expect_err("altered");
        let message = error.to_string();
        assert!(message.contains("已损坏或被改动"), "{message}");
        assert!(message.contains("青川区委编办"), "{message}");
    }
}
