//! Exchange between offices (`docs/exchange.md`): export a package of a jurisdiction (or of
//! some lists), merge a package that came back. The store does the comparison and the writing
//! (`quanze_store::exchange`); this is the file handling and the messages around it.

use std::path::{Path, PathBuf};

use chrono::{Local, SecondsFormat};
use quanze_domain::{Bundle, Id};
use quanze_store::exchange::{Direction, ExportScope, Producer};
pub use quanze_store::exchange::{
    Conflict, ConflictDecision, EntityChange, FieldChange, MergeOptions, MergeReport, PackageSummary, Side, WHOLE_ENTITY,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Api, ApiError};

/// What to put in a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExportRequest {
    pub jurisdiction: Id,
    /// Only these lists of the jurisdiction (empty: everything under it).
    #[serde(default)]
    pub lists: Vec<Id>,
    /// The producing office as the package names it (empty: see [`Api::default_office`]).
    #[serde(default)]
    pub office: String,
}

/// A package written.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ExportSummary {
    pub path: String,
    pub package: PackageSummary,
    pub lists: u32,
    pub items: u32,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Whether a file name asks for JSON (`.json`); anything else is YAML.
fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Read a package (or a plain bundle) file: YAML, or JSON when it starts with `{`. A damaged
/// package is refused here, with the producer named.
pub fn read_package_file(path: &Path) -> Result<Bundle, ApiError> {
    let text = std::fs::read_to_string(path).map_err(|e| ApiError::read(path, &e))?;
    let parsed = if text.trim_start().starts_with('{') { Bundle::from_json(&text) } else { Bundle::from_yaml(&text) };
    parsed.map_err(|e| ApiError::invalid_bundle(&path.display().to_string(), &e))
}

impl Api {
    /// The office a package names when the user gives none: the jurisdiction of the newest
    /// package this database received (a street's database names its street), else the top
    /// jurisdiction's 编办 (a district's database: 青川区委编办).
    pub fn default_office(&self) -> Result<String, ApiError> {
        let reader = self.store.reader();
        if let Some(name) = reader.last_received_jurisdiction()? {
            return Ok(name);
        }
        let top = reader.jurisdictions()?.into_iter().find(|j| j.parent.is_none());
        Ok(top.map_or_else(|| "未注明单位".to_string(), |j| format!("{}委编办", j.name)))
    }

    /// Write a package of `request` to `out` (atomically; YAML, or JSON for `.json`) and keep
    /// it here as the base a returning package is merged against.
    pub fn export_package(&mut self, request: &ExportRequest, out: &Path, actor: &str) -> Result<ExportSummary, ApiError> {
        let office = match request.office.trim() {
            "" => self.default_office()?,
            given => given.to_string(),
        };
        let producer = Producer { office, actor: actor.to_string(), made_at: Local::now().to_rfc3339_opts(SecondsFormat::Secs, false) };
        let scope = ExportScope { jurisdiction: request.jurisdiction, lists: request.lists.clone() };
        let out: PathBuf = out.to_path_buf();
        if let Some(folder) = out.parent().filter(|f| !f.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|e| ApiError::write(folder, &e))?;
        }
        let reason = format!("导出数据包 {}", out.display());
        let (bundle, bytes) = self.store.write(actor, Some(&reason), |writer| {
            let bundle = writer.reader().package(&scope, &producer)?;
            let text = if is_json(&out) { bundle.to_json() } else { bundle.to_yaml() }
                .map_err(|e| quanze_store::StoreError::Invalid(e.to_string()))?;
            crate::atomic_file::write_atomically(&out, |file| std::io::Write::write_all(file, text.as_bytes()))
                .map_err(|source| quanze_store::StoreError::Io { action: "写入", path: out.display().to_string(), source })?;
            writer.record_package(&bundle, Direction::Sent)?;
            Ok((bundle, text.len()))
        })?;
        let header = bundle.package.as_ref().ok_or_else(|| ApiError::new(crate::ErrorCode::Internal, "数据包缺少 package 部分"))?;
        Ok(ExportSummary {
            path: out.display().to_string(),
            package: PackageSummary::of(header),
            lists: u32::try_from(bundle.lists.len()).unwrap_or(u32::MAX),
            items: u32::try_from(bundle.item_count()).unwrap_or(u32::MAX),
            bytes: u64::try_from(bytes).unwrap_or(u64::MAX),
        })
    }

    /// Merge the package in `path` (see [`quanze_store::exchange`]): the report, applied unless
    /// `options.dry_run` or a conflict is left undecided (`applied` says which).
    pub fn merge_package_file(&mut self, path: &Path, options: &MergeOptions, actor: &str) -> Result<MergeReport, ApiError> {
        let bundle = read_package_file(path)?;
        self.merge_package(&bundle, &path.display().to_string(), options, actor)
    }

    /// [`Api::merge_package_file`] for a package already read; `source` names it (a file).
    /// A plain bundle whose entities all carry uids (a dump) is merged as a package without a
    /// base: whatever differs from here is a conflict.
    pub fn merge_package(&mut self, bundle: &Bundle, source: &str, options: &MergeOptions, actor: &str) -> Result<MergeReport, ApiError> {
        let sealed;
        let bundle = match &bundle.package {
            Some(_) => bundle,
            None => {
                sealed = as_package(bundle, source)?;
                &sealed
            }
        };
        if !options.dry_run {
            self.backup_before(quanze_store::BackupReason::BeforeLoad)?;
        }
        let reason = format!("合并数据包 {source}");
        Ok(self.store.write(actor, Some(&reason), |writer| writer.merge_package(bundle, options))?)
    }
}

/// A plain bundle as a package with no producer and no base, so that a dump (every entity with
/// its uid) can be merged like a package. A bundle with entities without uids (hand-written, the
/// sample) has nothing to recognise: it is loaded, not merged.
fn as_package(bundle: &Bundle, source: &str) -> Result<Bundle, ApiError> {
    if bundle.uid_slots().iter().any(|(_, uid)| uid.is_none()) {
        return Err(ApiError::invalid_input(format!(
            "{source} 中有没有标识（uid）的内容，无法与本库逐条对应：请用“载入”"
        )));
    }
    let mut sealed = bundle.clone();
    let top = bundle
        .jurisdictions
        .iter()
        .find(|j| j.parent.is_none())
        .or_else(|| bundle.jurisdictions.first())
        .ok_or_else(|| ApiError::invalid_input(format!("{source} 中没有辖区，无法合并")))?;
    let jurisdiction = top.uid.clone().ok_or_else(|| ApiError::invalid_input(format!("{source} 中的辖区没有标识（uid）")))?;
    sealed.seal_package(quanze_domain::PackageHeader {
        uid: quanze_domain::Uid::generate(),
        office: "（普通数据包，未注明发出单位）".to_string(),
        actor: String::new(),
        made_at: Local::now().to_rfc3339_opts(SecondsFormat::Secs, false),
        scope: quanze_domain::PackageScope { jurisdiction, jurisdiction_name: top.name.clone(), lists: Vec::new() },
        bases: Vec::new(),
        content_sha256: String::new(),
    });
    Ok(sealed)
}
