//! Exchange between offices (`docs/exchange.md`): a package of one jurisdiction (or of some
//! lists) goes out, is edited elsewhere, and comes back to be merged three ways — against the
//! package it was made from (its base, kept here in `exchange_packages` when it left or
//! arrived), entity by entity by uid, field by field.
//!
//! - [`scope`]: what a package of a jurisdiction holds;
//! - [`form`]: a bundle in exchange form (references as uids, flattened fields);
//! - [`three_way`]: the comparison, the report and the plan;
//! - [`apply`]: writing the plan in the merge's one transaction.

mod apply;
mod form;
mod scope;
mod three_way;

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};

use quanze_domain::{Bundle, PackageHeader, PackageScope, Uid};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use scope::ExportScope;
pub use quanze_domain::{EntityChange, FieldChange};
pub use three_way::{Conflict, Side, WHOLE_ENTITY};

use crate::backend::{Conn, Value};
use crate::{Reader, Result, StoreError, Writer};
use form::Form;

/// How many earlier packages a new package names as its possible bases.
const BASES_NAMED: u32 = 16;

/// Who makes a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Producer {
    pub office: String,
    pub actor: String,
    /// RFC 3339 with the local offset.
    pub made_at: String,
}

/// Whether this database made a package or took one in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Sent,
    Received,
}

impl Direction {
    fn label(self) -> &'static str {
        match self {
            Direction::Sent => "导出",
            Direction::Received => "收到",
        }
    }
}

/// A package, as a report names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PackageSummary {
    pub uid: String,
    pub office: String,
    pub actor: String,
    pub made_at: String,
    pub jurisdiction: String,
    pub content_sha256: String,
}

impl PackageSummary {
    pub fn of(header: &PackageHeader) -> PackageSummary {
        PackageSummary {
            uid: header.uid.to_string(),
            office: header.office.clone(),
            actor: header.actor.clone(),
            made_at: header.made_at.clone(),
            jurisdiction: header.scope.jurisdiction_name.clone(),
            content_sha256: header.content_sha256.clone(),
        }
    }
}

/// One decision about one conflict: which side's value of `field` of entity `id` is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConflictDecision {
    pub id: String,
    pub field: String,
    pub take: Side,
}

/// How to merge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct MergeOptions {
    /// Only report; write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// The side of every conflict without its own decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub resolve: Option<Side>,
    #[serde(default)]
    pub decisions: Vec<ConflictDecision>,
}

/// What merging a package found, and whether it was applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MergeReport {
    pub package: PackageSummary,
    /// The earlier package compared against (its uid), or none when this database knows none
    /// of the package's bases: then every difference is a conflict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub base: Option<PackageSummary>,
    pub added: Vec<EntityChange>,
    pub changed: Vec<FieldChange>,
    pub removed: Vec<EntityChange>,
    pub conflicts: Vec<Conflict>,
    /// Entities of the package that equal ours.
    pub unchanged: u32,
    /// Whether the merge was written (not a dry run, and every conflict resolved).
    pub applied: bool,
}

impl MergeReport {
    /// Conflicts no decision and no `resolve` settled.
    pub fn undecided(&self) -> usize {
        self.conflicts.iter().filter(|c| c.resolution.is_none()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty() && self.conflicts.is_empty()
    }
}

/// Deflated canonical JSON of a package, as `exchange_packages.body` keeps it.
fn packed(bundle: &Bundle) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(bundle).map_err(|e| StoreError::Invalid(format!("无法写出数据包：{e}")))?;
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    let io = |source| StoreError::Io { action: "压缩", path: "数据包".to_string(), source };
    encoder.write_all(&json).map_err(io)?;
    encoder.finish().map_err(io)
}

fn unpacked(body: &[u8]) -> Result<Bundle> {
    let mut json = Vec::new();
    flate2::read::DeflateDecoder::new(body)
        .read_to_end(&mut json)
        .map_err(|source| StoreError::Io { action: "解压", path: "保存的数据包".to_string(), source })?;
    serde_json::from_slice(&json).map_err(|e| StoreError::Invalid(format!("保存的数据包已损坏：{e}")))
}

impl Reader<'_> {
    /// A sealed package of `scope`, made by `producer`, naming as bases the packages this
    /// database sent or received for the same jurisdiction (newest first).
    pub fn package(&self, scope: &ExportScope, producer: &Producer) -> Result<Bundle> {
        let mut bundle = scope::cut(self.dump()?, scope)?;
        let jurisdiction = bundle
            .jurisdictions
            .iter()
            .find(|j| j.id == scope.jurisdiction)
            .ok_or(StoreError::NotFound { entity: "辖区", id: scope.jurisdiction })?;
        let jurisdiction_uid = jurisdiction.uid.clone().ok_or_else(|| StoreError::Invalid("辖区没有标识（uid）".to_string()))?;
        let lists = bundle.lists.iter().filter(|l| scope.lists.contains(&l.id)).filter_map(|l| l.uid.clone()).collect();
        let header = PackageHeader {
            uid: Uid::generate(),
            office: producer.office.clone(),
            actor: producer.actor.clone(),
            made_at: producer.made_at.clone(),
            scope: PackageScope { jurisdiction: jurisdiction_uid.clone(), jurisdiction_name: jurisdiction.name.clone(), lists },
            bases: self.packages_of(&jurisdiction_uid)?,
            content_sha256: String::new(),
        };
        bundle.seal_package(header);
        Ok(bundle)
    }

    /// Uids of the packages kept for a jurisdiction, newest first.
    fn packages_of(&self, jurisdiction: &Uid) -> Result<Vec<Uid>> {
        let rows = self.db().query(
            "SELECT uid FROM exchange_packages WHERE jurisdiction_uid = ?1 ORDER BY id DESC LIMIT ?2",
            &[Value::Text(jurisdiction.as_str().to_string()), Value::Integer(i64::from(BASES_NAMED))],
        )?;
        let uids = rows.iter().map(|row| row.text(0)).collect::<Result<Vec<String>>>()?;
        Ok(uids.iter().filter_map(|u| Uid::parse(u).ok()).collect())
    }

    /// The first of `bases` kept here, with its content.
    fn known_base(&self, bases: &[Uid]) -> Result<Option<Bundle>> {
        for uid in bases {
            let row = self
                .db()
                .query_opt("SELECT body FROM exchange_packages WHERE uid = ?1", &[Value::Text(uid.as_str().to_string())])?;
            if let Some(row) = row {
                let Value::Blob(body) = row.value(0) else {
                    return Err(StoreError::Corrupt { table: "exchange_packages", id: 0, message: "数据包内容不是二进制".to_string() });
                };
                return unpacked(body).map(Some);
            }
        }
        Ok(None)
    }

    /// The name of the jurisdiction of the newest package received here (a street's database
    /// received its street's), if any.
    pub fn last_received_jurisdiction(&self) -> Result<Option<String>> {
        self.db()
            .query_opt(
                "SELECT j.name FROM exchange_packages p JOIN jurisdictions j ON j.uid = p.jurisdiction_uid
                 WHERE p.direction = '收到' ORDER BY p.id DESC LIMIT 1",
                &[],
            )?
            .map(|row| row.text(0))
            .transpose()
    }

    /// Whether any entity of `bundle` is already here (by uid): a package that came back is
    /// merged, not loaded.
    pub fn holds_any_of(&self, bundle: &Bundle) -> Result<bool> {
        for (table, uid) in bundle.uid_slots() {
            if let Some(uid) = uid {
                if self.holds_uid(table, uid)? {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }
}

impl Writer<'_> {
    /// Keep a package this database made or took in (again: nothing happens), so that a
    /// package made from it can be merged three ways later.
    pub fn record_package(&mut self, bundle: &Bundle, direction: Direction) -> Result<()> {
        let Some(header) = &bundle.package else {
            return Err(StoreError::Invalid("这不是数据包（没有 package 部分）".to_string()));
        };
        // A package kept already (same uid) is left as it is.
        self.conn().execute(
            "INSERT INTO exchange_packages(uid, direction, jurisdiction_uid, office, actor, made_at, recorded_at, content_sha256, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING",
            &[
                Value::Text(header.uid.as_str().to_string()),
                Value::Text(direction.label().to_string()),
                Value::Text(header.scope.jurisdiction.as_str().to_string()),
                Value::Text(header.office.clone()),
                Value::Text(header.actor.clone()),
                Value::Text(header.made_at.clone()),
                Value::Text(self.at.clone()),
                Value::Text(header.content_sha256.clone()),
                Value::Blob(packed(bundle)?),
            ],
        )?;
        Ok(())
    }

    /// Compare a package with this database and its base; unless `options` says dry run, or a
    /// conflict is left undecided, apply it: one transaction (this one), every change audited
    /// under the writer's reason, plus one entry naming the package and its producer.
    ///
    /// `theirs` is a package as `Bundle::from_yaml`/`from_json` give it: its hash verified and
    /// its references checked there (checking 50,000 items twice would cost a tenth of a dry run).
    pub fn merge_package(&mut self, theirs: &Bundle, options: &MergeOptions) -> Result<MergeReport> {
        let header = theirs.package.as_ref().ok_or_else(|| StoreError::Invalid("这不是数据包（没有 package 部分），请用“载入”".to_string()))?;
        let reader = self.reader();
        let base_bundle = reader.known_base(&header.bases)?;
        let their_uids = form::UidsOf::of(theirs)?;
        let base_uids = base_bundle.as_ref().map(form::UidsOf::of).transpose()?;
        // What they did not change needs no further look (see `unchanged_on_their_side`).
        let unchanged_by_them = match (&base_bundle, &base_uids) {
            (Some(base), Some(base_uids)) => form::unchanged_on_their_side((theirs, &their_uids), (base, base_uids)),
            _ => HashSet::new(),
        };
        let needed = |uid: &Uid| !unchanged_by_them.contains(uid);
        let theirs_form = Form::of(theirs, &their_uids, &needed);
        let base = base_bundle.as_ref().zip(base_uids.as_ref()).map(|(b, uids)| Form::of(b, uids, &needed));
        let theirs_all: HashSet<Uid> = their_uids.uids().cloned().collect();
        let mut wanted: Vec<(form::Kind, &Uid)> = theirs_form.entities.iter().map(|(u, e)| (e.kind, u)).collect();
        if let Some(base) = &base {
            wanted.extend(base.entities.iter().filter(|(u, _)| !theirs_form.entities.contains_key(*u)).map(|(u, e)| (e.kind, u)));
        }
        let ours = Form::stored(&reader, &wanted)?;
        let mut names = names_of(&[Some(theirs), base_bundle.as_ref()]);
        for form in [Some(&theirs_form), base.as_ref(), Some(&ours)].into_iter().flatten() {
            for (uid, entity) in &form.entities {
                names.entry(uid.clone()).or_insert_with(|| entity.label.clone());
            }
        }
        let same_scope = base_bundle.as_ref().and_then(|b| b.package.as_ref()).is_some_and(|b| b.scope == header.scope);
        let coverage = three_way::Coverage { theirs: &theirs_all, same_scope };
        let mut comparison = three_way::compare(base.as_ref(), &ours, &theirs_form, &coverage, &three_way::Shown { names: &names });
        comparison.unchanged += u32::try_from(unchanged_by_them.len()).unwrap_or(u32::MAX);
        decide(&mut comparison, options);
        let mut report = MergeReport {
            package: PackageSummary::of(header),
            base: base_bundle.as_ref().and_then(|b| b.package.as_ref()).map(PackageSummary::of),
            added: std::mem::take(&mut comparison.added),
            changed: std::mem::take(&mut comparison.changed),
            removed: std::mem::take(&mut comparison.removed),
            conflicts: std::mem::take(&mut comparison.conflicts),
            unchanged: comparison.unchanged,
            applied: false,
        };
        if options.dry_run || report.undecided() > 0 {
            return Ok(report);
        }
        let mut steps = std::mem::take(&mut comparison.steps);
        for (conflict, their_steps) in report.conflicts.iter().zip(comparison.conflict_steps) {
            if conflict.resolution == Some(Side::Theirs) {
                steps.extend(their_steps);
            }
        }
        apply::apply(self, &steps, (&ours, &theirs_form), &their_orders(theirs))?;
        self.record_package(theirs, Direction::Received)?;
        // Merging a package again changes nothing, and says nothing in the log.
        if !report.is_empty() {
            self.record_merge(&report)?;
        }
        report.applied = true;
        Ok(report)
    }

    /// The merge's own audit entry: which package, from whom, and what it changed.
    fn record_merge(&mut self, report: &MergeReport) -> Result<()> {
        let p = &report.package;
        let after = serde_json::json!({
            "数据包": p.uid,
            "发出单位": p.office,
            "操作人": p.actor,
            "制作时间": p.made_at,
            "SHA-256": p.content_sha256,
            "基准": report.base.as_ref().map_or_else(|| "无（首次收到）".to_string(), |b| b.uid.clone()),
            "新增": report.added.len(),
            "修改": report.changed.len(),
            "删除": report.removed.len(),
            "冲突": report.conflicts.len(),
        });
        let after = self.stored_value(after)?;
        let label = format!("合并数据包：{}（{} {}，{}）", p.jurisdiction, p.office, p.actor, p.made_at);
        let row = count_value(
            self.conn()
                .query_opt("SELECT id FROM exchange_packages WHERE uid = ?1", &[Value::Text(p.uid.to_string())])?
                .ok_or_else(|| StoreError::Invalid("合并的数据包没有记下".to_string()))?
                .integer(0)?,
        )?;
        self.audit(crate::AuditAction::Update, "数据包", (row, None), &label, None, Some(after))
    }
}

/// Every entity's name by uid, for showing references in the report.
fn names_of(bundles: &[Option<&Bundle>]) -> HashMap<Uid, String> {
    let mut names = HashMap::new();
    for bundle in bundles.iter().flatten() {
        let mut add = |uid: &Option<Uid>, name: &str| {
            if let Some(uid) = uid {
                names.entry(uid.clone()).or_insert_with(|| name.to_string());
            }
        };
        bundle.jurisdictions.iter().for_each(|e| add(&e.uid, &e.name));
        bundle.leaders.iter().for_each(|e| add(&e.uid, &e.name));
        bundle.units.iter().for_each(|e| add(&e.uid, &e.name));
        // Items are named only when the merge looks at them (from the forms): naming all
        // 50,000 of an unchanged list would cost more than comparing them.
        bundle.lists.iter().for_each(|l| add(&l.uid, &l.name));
        bundle.admission_requests.iter().for_each(|e| add(&e.uid, &e.item_name));
        bundle.change_requests.iter().for_each(|e| add(&e.uid, &e.item_label));
    }
    names
}

/// Each list's items in the package's order, by uid.
fn their_orders(bundle: &Bundle) -> HashMap<Uid, Vec<Uid>> {
    bundle
        .lists
        .iter()
        .filter_map(|l| Some((l.uid.clone()?, l.items.iter().filter_map(|i| i.uid.clone()).collect())))
        .collect()
}

/// Settle each conflict by its decision, else by `resolve`.
fn decide(comparison: &mut three_way::Comparison, options: &MergeOptions) {
    let decided: HashMap<(&str, &str), Side> =
        options.decisions.iter().map(|d| ((d.id.as_str(), d.field.as_str()), d.take)).collect();
    for conflict in &mut comparison.conflicts {
        conflict.resolution = decided.get(&(conflict.id.as_str(), conflict.field.as_str())).copied().or(options.resolve);
    }
}

/// The row id of the entity `uid` in `table`, if this database holds it.
pub(crate) fn id_by_uid(conn: Conn<'_>, table: &str, uid: &Uid) -> Result<Option<crate::Id>> {
    conn.query_opt(&format!("SELECT id FROM {table} WHERE uid = ?1"), &[Value::Text(uid.as_str().to_string())])?
        .map(|row| count_value(row.integer(0)?))
        .transpose()
}

/// An id as a statement's parameter.
pub(crate) fn id_param(id: crate::Id) -> Value {
    Value::Integer(i64::from(id))
}

/// An id, position or count read back from the database.
pub(crate) fn count_value(value: i64) -> Result<u32> {
    u32::try_from(value).map_err(|_| StoreError::Invalid(format!("数值超出范围：{value}")))
}
