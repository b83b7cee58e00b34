//! The YAML bundle: a whole dataset (or one jurisdiction) as one human-readable document.
//!
//! The format is documented in `docs/bundle-format.md`. Reading a bundle checks both syntax
//! (reported with line and column by the YAML parser) and meaning (every reference resolves,
//! levels nest, states agree); a meaning problem is reported with the path of the offending
//! value and the line it stands on, found by [`yaml_lines::LineIndex`].

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{
    AdmissionRequest, DutyList, Id, Jurisdiction, Leader, Level, Unit, Version, Waiver,
};
use crate::yaml_lines::LineIndex;

/// Value of the `format` key every bundle starts with.
pub const BUNDLE_FORMAT: &str = "quanze-bundle";
/// The bundle format version this build writes and reads.
pub const BUNDLE_FORMAT_VERSION: u32 = 1;

/// A whole dataset. Items live inside their lists; everything else is a flat, id-keyed table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Bundle {
    pub format: String,
    pub format_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Present when the bundle is a package for exchange (`package.rs`, `docs/exchange.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub package: Option<crate::package::PackageHeader>,
    #[serde(default)]
    pub jurisdictions: Vec<Jurisdiction>,
    #[serde(default)]
    pub units: Vec<Unit>,
    #[serde(default)]
    pub leaders: Vec<Leader>,
    #[serde(default)]
    pub lists: Vec<DutyList>,
    #[serde(default)]
    pub admission_requests: Vec<AdmissionRequest>,
    #[serde(default)]
    pub waivers: Vec<Waiver>,
    #[serde(default)]
    pub versions: Vec<Version>,
    /// Change requests (调整申请), oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub change_requests: Vec<crate::ChangeRequest>,
}

impl Default for Bundle {
    fn default() -> Self {
        Bundle {
            format: BUNDLE_FORMAT.to_string(),
            format_version: BUNDLE_FORMAT_VERSION,
            title: None,
            package: None,
            jurisdictions: Vec::new(),
            units: Vec::new(),
            leaders: Vec::new(),
            lists: Vec::new(),
            admission_requests: Vec::new(),
            waivers: Vec::new(),
            versions: Vec::new(),
            change_requests: Vec::new(),
        }
    }
}

/// One thing wrong with a bundle's meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleProblem {
    /// Path of the value, e.g. `lists[3].items[12].handling_unit`.
    pub path: String,
    /// 1-based line of that value in the source text, when the bundle came from text.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for BundleProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "第 {line} 行（{}）：{}", self.path, self.message),
            None => write!(f, "{}：{}", self.path, self.message),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("YAML 语法错误，第 {line} 行第 {column} 列：{message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("不是 Quanze 数据包：format 应为 \"{BUNDLE_FORMAT}\"，实际为 \"{0}\"")]
    WrongFormat(String),
    #[error("数据包格式版本 {found} 高于本程序支持的版本 {supported}，请升级 Quanze")]
    TooNew { found: u32, supported: u32 },
    #[error("数据包内容有 {} 处错误：\n{}", .0.len(), join_problems(.0))]
    Invalid(Vec<BundleProblem>),
    #[error("无法写出 YAML：{0}")]
    Write(String),
    #[error("数据包第 {line} 行：{message}")]
    Limit { line: usize, message: String },
    #[error("数据包第 {line} 行：未知字段“{field}”{}", suggestion_text(.suggestion))]
    UnknownField { line: usize, field: String, suggestion: Option<String> },
    #[error(transparent)]
    Damaged(#[from] crate::package::PackageDamaged),
}

fn suggestion_text(suggestion: &Option<String>) -> String {
    suggestion.as_ref().map_or_else(
        || "，Quanze 不认识这个字段（载入会丢失它，所以拒绝载入）".to_string(),
        |s| format!("，是否应为“{s}”？"),
    )
}

/// Edit distance of two short words (for "did you mean").
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb)).min(row[j] + 1).min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

/// serde's "unknown field `x`, expected one of `a`, `b`" as a [`BundleError::UnknownField`]
/// with the closest expected field when it is close enough to be a typo.
fn unknown_field(message: &str, line: usize) -> Option<BundleError> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let suggestion = expected
        .iter()
        .map(|e| (edit_distance(field, e), *e))
        .filter(|(d, e)| *d <= (e.chars().count() / 3).max(1))
        .min()
        .map(|(_, e)| e.to_string());
    Some(BundleError::UnknownField { line, field: field.to_string(), suggestion })
}

/// Every field name a bundle can hold, from the types' own declarations (the TypeScript ones
/// ts-rs derives from the same structs): the words "did you mean" picks from.
fn known_field_names() -> Vec<String> {
    use crate::model::*;
    use ts_rs::TS;
    let config = ts_rs::Config::default();
    let decls = [
        Bundle::decl(&config), Jurisdiction::decl(&config), Unit::decl(&config), Staffing::decl(&config),
        Leader::decl(&config), DutyList::decl(&config), Item::decl(&config), Coordination::decl(&config),
        Withdrawal::decl(&config), Funding::decl(&config), Assistance::decl(&config), ExtraField::decl(&config),
        Provenance::decl(&config), AdmissionRequest::decl(&config), Waiver::decl(&config), Version::decl(&config),
        crate::ChangeRequest::decl(&config), crate::ChangeStep::decl(&config), crate::FieldSetting::decl(&config),
        crate::AppliedField::decl(&config),
        crate::package::PackageHeader::decl(&config), crate::package::PackageScope::decl(&config),
    ];
    let mut names: Vec<String> = Vec::new();
    for decl in decls {
        // `{ id: number, seq?: string | null, … }`: a name stands after `{` or `,` and before `:`.
        for part in decl.split(['{', ',']) {
            // Doc comments (`/** 事项名称 */`) stand before a field's name.
            let part = part.rsplit("*/").next().unwrap_or(part).trim();
            let name: String = part.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            let after = part[name.len()..].trim_start();
            if !name.is_empty() && (after.starts_with(':') || after.starts_with("?:")) && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// serde_ignored's path (`lists.3.items.0.?.power_typ`) as the bundle's own (`lists[3].items[0].power_typ`).
fn bundle_path(ignored: &str) -> String {
    let mut path = String::new();
    for segment in ignored.split('.').filter(|s| !s.is_empty() && *s != "?") {
        if segment.chars().all(|c| c.is_ascii_digit()) {
            path.push_str(&format!("[{segment}]"));
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(segment);
        }
    }
    path
}

/// The keys the types have no field for, as problems with their line and a suggestion: a
/// misspelt key (`power_typ`) would otherwise load without its value.
fn unknown_keys(ignored: Vec<String>, text: Option<&str>) -> Vec<BundleProblem> {
    if ignored.is_empty() {
        return Vec::new();
    }
    let known = known_field_names();
    let index = text.map(LineIndex::build);
    ignored
        .into_iter()
        .map(|raw| {
            let path = bundle_path(&raw);
            let key = path.rsplit(['.', ']']).next().unwrap_or("").to_string();
            let suggestion = known
                .iter()
                .map(|e| (edit_distance(&key, e), e))
                .filter(|(d, e)| *d <= (e.chars().count() / 3).max(1))
                .min()
                .map(|(_, e)| e.clone());
            BundleProblem {
                line: index.as_ref().and_then(|i| i.line_of(&path)),
                message: format!("未知字段“{key}”{}", suggestion_text(&suggestion)),
                path,
            }
        })
        .collect()
}

fn join_problems(problems: &[BundleProblem]) -> String {
    const SHOWN: usize = 20;
    let mut text: Vec<String> = problems
        .iter()
        .take(SHOWN)
        .map(|p| format!("  - {p}"))
        .collect();
    if problems.len() > SHOWN {
        text.push(format!("  …… 另有 {} 处", problems.len() - SHOWN));
    }
    text.join("\n")
}

impl Bundle {
    /// Parse and validate a bundle. Nothing is returned unless the whole document is sound.
    pub fn from_yaml(text: &str) -> Result<Bundle, BundleError> {
        crate::input_limits::check_yaml(text, crate::input_limits::InputLimits::for_text(text.len()))
            .map_err(|b| BundleError::Limit { line: b.line, message: b.message })?;
        let mut ignored = Vec::new();
        let deserializer = serde_norway::Deserializer::from_str(text);
        let parsed: Result<Bundle, _> = serde_ignored::deserialize(deserializer, |path| ignored.push(path.to_string()));
        let bundle: Bundle = parsed.map_err(|error| {
            let (line, column) = error
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((0, 0));
            unknown_field(&error.to_string(), line).unwrap_or(BundleError::Syntax {
                line,
                column,
                message: error.to_string(),
            })
        })?;
        bundle.check_header()?;
        let mut problems = unknown_keys(ignored, Some(text));
        problems.extend(bundle.problems());
        if problems.is_empty() {
            return Ok(bundle);
        }
        let index = LineIndex::build(text);
        Err(BundleError::Invalid(
            problems
                .into_iter()
                .map(|mut problem| {
                    problem.line = problem.line.or_else(|| index.line_of(&problem.path));
                    problem
                })
                .collect(),
        ))
    }

    /// Same as [`Bundle::from_yaml`] for JSON text (the dump's other format).
    pub fn from_json(text: &str) -> Result<Bundle, BundleError> {
        crate::input_limits::check_json(text, crate::input_limits::InputLimits::for_text(text.len()))
            .map_err(|b| BundleError::Limit { line: b.line, message: b.message })?;
        let mut ignored = Vec::new();
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let parsed: Result<Bundle, _> = serde_ignored::deserialize(&mut deserializer, |path| ignored.push(path.to_string()));
        let bundle: Bundle = parsed.map_err(|error| {
            unknown_field(&error.to_string(), error.line()).unwrap_or(BundleError::Syntax {
                line: error.line(),
                column: error.column(),
                message: error.to_string(),
            })
        })?;
        bundle.check_header()?;
        let mut problems = unknown_keys(ignored, None);
        problems.extend(bundle.problems());
        if problems.is_empty() {
            Ok(bundle)
        } else {
            Err(BundleError::Invalid(problems))
        }
    }

    pub fn to_yaml(&self) -> Result<String, BundleError> {
        serde_norway::to_string(self).map_err(|e| BundleError::Write(e.to_string()))
    }

    pub fn to_json(&self) -> Result<String, BundleError> {
        serde_json::to_string_pretty(self).map_err(|e| BundleError::Write(e.to_string()))
    }

    fn check_header(&self) -> Result<(), BundleError> {
        if self.format != BUNDLE_FORMAT {
            return Err(BundleError::WrongFormat(self.format.clone()));
        }
        if self.format_version > BUNDLE_FORMAT_VERSION {
            return Err(BundleError::TooNew {
                found: self.format_version,
                supported: BUNDLE_FORMAT_VERSION,
            });
        }
        // A damaged package is refused before its content is judged: the content is not what
        // its producer sent.
        self.verify_package()?;
        Ok(())
    }

    /// Every problem of meaning, in document order. Empty means the bundle can be loaded.
    pub fn problems(&self) -> Vec<BundleProblem> {
        Validation::new(self).run()
    }

    /// Every entity's stable identity, with the table the entity is stored in, to read or
    /// change them all in one walk (a load gives copies new ones; a comparison takes them out).
    /// The copies of items inside published versions are not entities and are not visited.
    pub fn uid_slots_mut(&mut self) -> Vec<(&'static str, &mut Option<crate::Uid>)> {
        let mut slots: Vec<(&'static str, &mut Option<crate::Uid>)> = Vec::new();
        slots.extend(self.jurisdictions.iter_mut().map(|j| ("jurisdictions", &mut j.uid)));
        slots.extend(self.units.iter_mut().map(|u| ("units", &mut u.uid)));
        slots.extend(self.leaders.iter_mut().map(|l| ("leaders", &mut l.uid)));
        for list in &mut self.lists {
            slots.push(("lists", &mut list.uid));
            slots.extend(list.items.iter_mut().map(|i| ("items", &mut i.uid)));
        }
        slots.extend(self.admission_requests.iter_mut().map(|r| ("admission_requests", &mut r.uid)));
        slots.extend(self.waivers.iter_mut().map(|w| ("waivers", &mut w.uid)));
        slots.extend(self.versions.iter_mut().map(|v| ("versions", &mut v.uid)));
        slots.extend(self.change_requests.iter_mut().map(|c| ("change_requests", &mut c.uid)));
        slots
    }

    /// [`Bundle::uid_slots_mut`] to read: every entity's table and uid, in the same order.
    pub fn uid_slots(&self) -> Vec<(&'static str, Option<&crate::Uid>)> {
        let mut slots: Vec<(&'static str, Option<&crate::Uid>)> = Vec::new();
        slots.extend(self.jurisdictions.iter().map(|j| ("jurisdictions", j.uid.as_ref())));
        slots.extend(self.units.iter().map(|u| ("units", u.uid.as_ref())));
        slots.extend(self.leaders.iter().map(|l| ("leaders", l.uid.as_ref())));
        for list in &self.lists {
            slots.push(("lists", list.uid.as_ref()));
            slots.extend(list.items.iter().map(|i| ("items", i.uid.as_ref())));
        }
        slots.extend(self.admission_requests.iter().map(|r| ("admission_requests", r.uid.as_ref())));
        slots.extend(self.waivers.iter().map(|w| ("waivers", w.uid.as_ref())));
        slots.extend(self.versions.iter().map(|v| ("versions", v.uid.as_ref())));
        slots.extend(self.change_requests.iter().map(|c| ("change_requests", c.uid.as_ref())));
        slots
    }

    pub fn item_count(&self) -> usize {
        self.lists.iter().map(|l| l.items.len()).sum()
    }
}

struct Validation<'a> {
    bundle: &'a Bundle,
    jurisdiction_level: HashMap<Id, Level>,
    unit_jurisdiction: HashMap<Id, Id>,
    leader_jurisdiction: HashMap<Id, Id>,
    list_ids: HashSet<Id>,
    item_ids: HashSet<Id>,
    request_ids: HashSet<Id>,
    problems: Vec<BundleProblem>,
}

impl<'a> Validation<'a> {
    fn new(bundle: &'a Bundle) -> Self {
        Validation {
            bundle,
            jurisdiction_level: bundle
                .jurisdictions
                .iter()
                .map(|j| (j.id, j.level))
                .collect(),
            unit_jurisdiction: bundle
                .units
                .iter()
                .map(|u| (u.id, u.jurisdiction))
                .collect(),
            leader_jurisdiction: bundle
                .leaders
                .iter()
                .map(|l| (l.id, l.jurisdiction))
                .collect(),
            list_ids: bundle.lists.iter().map(|l| l.id).collect(),
            item_ids: bundle
                .lists
                .iter()
                .flat_map(|l| l.items.iter().map(|i| i.id))
                .collect(),
            request_ids: bundle.admission_requests.iter().map(|r| r.id).collect(),
            problems: Vec::new(),
        }
    }

    fn problem(&mut self, path: String, message: impl Into<String>) {
        self.problems.push(BundleProblem {
            path,
            line: None,
            message: message.into(),
        });
    }

    fn unique_ids(&mut self, section: &str, ids: impl Iterator<Item = (String, Id)>) {
        let mut seen = HashSet::new();
        for (path, id) in ids {
            if id == 0 {
                self.problem(format!("{path}.id"), format!("{section}的 id 不能为 0"));
            } else if !seen.insert(id) {
                self.problem(format!("{path}.id"), format!("{section} id {id} 重复"));
            }
        }
    }

    fn unit_ref(&mut self, path: String, unit: Option<Id>, what: &str) {
        if let Some(unit) = unit {
            if !self.unit_jurisdiction.contains_key(&unit) {
                self.problem(path, format!("{what}引用了不存在的机构 id {unit}"));
            }
        }
    }

    fn text_required(&mut self, path: String, text: &str, what: &str) {
        if text.trim().is_empty() {
            self.problem(path, format!("{what}不能为空"));
        }
    }

    fn run(mut self) -> Vec<BundleProblem> {
        self.check_unique_ids_of_every_kind();
        self.check_unique_uids();
        self.check_jurisdictions();
        self.check_units();
        self.check_leaders();
        self.check_lists();
        self.check_admission_requests();
        self.check_versions_and_waivers();
        self.check_change_requests();
        self.problems
    }

    /// Validation of every id is unique within its kind.
    /// A uid names one entity in the whole bundle (of any kind). The copies of items inside a
    /// published version keep their item's uid on purpose and are not counted.
    fn check_unique_uids(&mut self) {
        let b = self.bundle;
        let mut found: Vec<(String, &crate::Uid)> = Vec::new();
        let mut add = |path: String, uid: &'a Option<crate::Uid>| {
            if let Some(uid) = uid {
                found.push((path, uid));
            }
        };
        for (i, j) in b.jurisdictions.iter().enumerate() {
            add(format!("jurisdictions[{i}]"), &j.uid);
        }
        for (i, u) in b.units.iter().enumerate() {
            add(format!("units[{i}]"), &u.uid);
        }
        for (i, l) in b.leaders.iter().enumerate() {
            add(format!("leaders[{i}]"), &l.uid);
        }
        for (i, l) in b.lists.iter().enumerate() {
            add(format!("lists[{i}]"), &l.uid);
            for (k, item) in l.items.iter().enumerate() {
                add(format!("lists[{i}].items[{k}]"), &item.uid);
            }
        }
        for (i, r) in b.admission_requests.iter().enumerate() {
            add(format!("admission_requests[{i}]"), &r.uid);
        }
        for (i, w) in b.waivers.iter().enumerate() {
            add(format!("waivers[{i}]"), &w.uid);
        }
        for (i, v) in b.versions.iter().enumerate() {
            add(format!("versions[{i}]"), &v.uid);
        }
        for (i, c) in b.change_requests.iter().enumerate() {
            add(format!("change_requests[{i}]"), &c.uid);
        }
        let mut first_use: HashMap<&crate::Uid, String> = HashMap::new();
        for (path, uid) in found {
            match first_use.get(uid) {
                Some(first) => {
                    let message = format!("标识 uid {uid} 重复（已用于 {first}）");
                    self.problem(format!("{path}.uid"), message);
                }
                None => {
                    first_use.insert(uid, path);
                }
            }
        }
    }

    fn check_unique_ids_of_every_kind(&mut self) {
        let b = self.bundle;
        self.unique_ids(
            "辖区",
            b.jurisdictions
                .iter()
                .enumerate()
                .map(|(i, j)| (format!("jurisdictions[{i}]"), j.id)),
        );
        self.unique_ids(
            "机构",
            b.units
                .iter()
                .enumerate()
                .map(|(i, u)| (format!("units[{i}]"), u.id)),
        );
        self.unique_ids(
            "班子成员",
            b.leaders
                .iter()
                .enumerate()
                .map(|(i, l)| (format!("leaders[{i}]"), l.id)),
        );
        self.unique_ids(
            "清单",
            b.lists
                .iter()
                .enumerate()
                .map(|(i, l)| (format!("lists[{i}]"), l.id)),
        );
        self.unique_ids(
            "事项",
            b.lists.iter().enumerate().flat_map(|(li, l)| {
                l.items
                    .iter()
                    .enumerate()
                    .map(move |(ii, item)| (format!("lists[{li}].items[{ii}]"), item.id))
            }),
        );
        self.unique_ids(
            "准入申请",
            b.admission_requests
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("admission_requests[{i}]"), r.id)),
        );
        self.unique_ids(
            "版本",
            b.versions
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("versions[{i}]"), v.id)),
        );
        self.unique_ids(
            "调整申请",
            b.change_requests
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("change_requests[{i}]"), c.id)),
        );
        self.unique_ids(
            "豁免",
            b.waivers
                .iter()
                .enumerate()
                .map(|(i, w)| (format!("waivers[{i}]"), w.id)),
        );
    }

    /// Validation of jurisdictions: parents, levels, templates.
    fn check_jurisdictions(&mut self) {
        let b = self.bundle;
        for (i, j) in b.jurisdictions.iter().enumerate() {
            let path = format!("jurisdictions[{i}]");
            self.text_required(format!("{path}.name"), &j.name, "辖区名称");
            if let Some(parent) = j.parent {
                match self.jurisdiction_level.get(&parent) {
                    None => self.problem(
                        format!("{path}.parent"),
                        format!("上级辖区 id {parent} 不存在"),
                    ),
                    Some(parent_level) if parent_level.child() != Some(j.level) => {
                        let expected = parent_level.child().map(Level::label).unwrap_or("（无）");
                        self.problem(
                            format!("{path}.level"),
                            format!(
                                "层级应为“{expected}”（上级是{}），实际为“{}”",
                                parent_level.label(),
                                j.level.label()
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
        }
    }

    /// Validation of units: places, parents, staffing, leaders in charge.
    fn check_units(&mut self) {
        let b = self.bundle;
        for (i, u) in b.units.iter().enumerate() {
            let path = format!("units[{i}]");
            self.text_required(format!("{path}.name"), &u.name, "机构名称");
            if !self.jurisdiction_level.contains_key(&u.jurisdiction) {
                self.problem(
                    format!("{path}.jurisdiction"),
                    format!("所属辖区 id {} 不存在", u.jurisdiction),
                );
            }
            if let Some(parent) = u.parent {
                match self.unit_jurisdiction.get(&parent) {
                    None => self.problem(format!("{path}.parent"), format!("上级机构 id {parent} 不存在")),
                    Some(pj) if *pj != u.jurisdiction => self.problem(
                        format!("{path}.parent"),
                        format!("上级机构 id {parent} 属于另一个辖区"),
                    ),
                    Some(_) => {}
                }
            }
            for (k, leader) in u.leaders_in_charge.iter().enumerate() {
                match self.leader_jurisdiction.get(leader) {
                    None => self.problem(
                        format!("{path}.leaders_in_charge[{k}]"),
                        format!("分管领导 id {leader} 不存在"),
                    ),
                    Some(lj) if *lj != u.jurisdiction => self.problem(
                        format!("{path}.leaders_in_charge[{k}]"),
                        format!("分管领导 id {leader} 不是本辖区的班子成员"),
                    ),
                    Some(_) => {}
                }
            }
        }
    }

    /// Validation of leaders.
    fn check_leaders(&mut self) {
        let b = self.bundle;
        for (i, l) in b.leaders.iter().enumerate() {
            let path = format!("leaders[{i}]");
            self.text_required(format!("{path}.name"), &l.name, "班子成员姓名");
            if !self.jurisdiction_level.contains_key(&l.jurisdiction) {
                self.problem(
                    format!("{path}.jurisdiction"),
                    format!("所属辖区 id {} 不存在", l.jurisdiction),
                );
            }
        }
    }

    /// Validation of lists and their items.
    fn check_lists(&mut self) {
        let b = self.bundle;
        for (li, list) in b.lists.iter().enumerate() {
            let path = format!("lists[{li}]");
            self.text_required(format!("{path}.name"), &list.name, "清单名称");
            match self.jurisdiction_level.get(&list.jurisdiction).copied() {
                None => self.problem(
                    format!("{path}.jurisdiction"),
                    format!("所属辖区 id {} 不存在", list.jurisdiction),
                ),
                Some(level) => {
                    if let Some(expected) = list.kind.expected_level() {
                        if expected != level {
                            self.problem(
                                format!("{path}.kind"),
                                format!(
                                    "“{}”属于{}层级，但所属辖区是{}",
                                    list.kind.label(),
                                    expected.label(),
                                    level.label()
                                ),
                            );
                        }
                    }
                }
            }
            match list.unit {
                Some(unit) => match self.unit_jurisdiction.get(&unit) {
                    None => self.problem(format!("{path}.unit"), format!("所属机构 id {unit} 不存在")),
                    Some(uj) if *uj != list.jurisdiction => self.problem(
                        format!("{path}.unit"),
                        format!("所属机构 id {unit} 不属于该清单的辖区"),
                    ),
                    Some(_) => {}
                },
                None if list.kind.requires_unit() => self.problem(
                    format!("{path}.unit"),
                    format!("“{}”必须属于某个机构（三单）", list.kind.label()),
                ),
                None => {}
            }
            for (ii, item) in list.items.iter().enumerate() {
                let path = format!("{path}.items[{ii}]");
                self.text_required(format!("{path}.name"), &item.name, "事项名称");
                self.unit_ref(format!("{path}.handling_unit"), item.handling_unit, "承办机构");
                if let Some(c) = &item.coordination {
                    self.unit_ref(format!("{path}.coordination.lead_unit"), c.lead_unit, "主责部门");
                }
                if let Some(w) = &item.withdrawal {
                    self.unit_ref(
                        format!("{path}.withdrawal.receiving_unit"),
                        w.receiving_unit,
                        "承接部门",
                    );
                }
                if let Some(a) = &item.assistance {
                    self.unit_ref(
                        format!("{path}.assistance.requesting_unit"),
                        a.requesting_unit,
                        "申请部门",
                    );
                    if let Some(request) = a.admission_request {
                        if !self.request_ids.contains(&request) {
                            self.problem(
                                format!("{path}.assistance.admission_request"),
                                format!("准入申请 id {request} 不存在"),
                            );
                        }
                    }
                }
            }
        }
    }

    /// Validation of admission requests and their history.
    fn check_admission_requests(&mut self) {
        let b = self.bundle;
        for (i, r) in b.admission_requests.iter().enumerate() {
            let path = format!("admission_requests[{i}]");
            self.text_required(format!("{path}.item_name"), &r.item_name, "申请事项名称");
            match self.jurisdiction_level.get(&r.community) {
                None => self.problem(
                    format!("{path}.community"),
                    format!("社区 id {} 不存在", r.community),
                ),
                Some(level) if *level != Level::Community => self.problem(
                    format!("{path}.community"),
                    format!("准入申请只能面向社区，id {} 是{}", r.community, level.label()),
                ),
                Some(_) => {}
            }
            self.unit_ref(format!("{path}.applicant_unit"), r.applicant_unit, "申请部门");
            if let Some(item) = r.admitted_item {
                if !self.item_ids.contains(&item) {
                    self.problem(
                        format!("{path}.admitted_item"),
                        format!("准入后的事项 id {item} 不存在"),
                    );
                }
            }
            if let Some(last) = r.history.last() {
                if last.state != r.state {
                    self.problem(
                        format!("{path}.state"),
                        format!(
                            "状态为“{}”，但办理记录的最后一步是“{}”",
                            r.state.label(),
                            last.state.label()
                        ),
                    );
                }
            }
            for (k, pair) in r.history.windows(2).enumerate() {
                if !pair[0].state.can_move_to(pair[1].state) {
                    self.problem(
                        format!("{path}.history[{}]", k + 1),
                        format!(
                            "不允许从“{}”转为“{}”",
                            pair[0].state.label(),
                            pair[1].state.label()
                        ),
                    );
                }
            }
        }
    }

    /// Validation of published versions and waivers.
    fn check_versions_and_waivers(&mut self) {
        let b = self.bundle;
        let mut version_numbers = HashSet::new();
        for (i, v) in b.versions.iter().enumerate() {
            let path = format!("versions[{i}]");
            if !self.list_ids.contains(&v.list) {
                self.problem(format!("{path}.list"), format!("清单 id {} 不存在", v.list));
            }
            if !version_numbers.insert((v.list, v.number)) {
                self.problem(
                    format!("{path}.number"),
                    format!("清单 {} 的第 {} 版重复", v.list, v.number),
                );
            }
        }

        for (i, w) in b.waivers.iter().enumerate() {
            let path = format!("waivers[{i}]");
            self.text_required(format!("{path}.finding_key"), &w.finding_key, "问题标识");
            self.text_required(format!("{path}.reason"), &w.reason, "豁免理由");
        }
    }

    /// Validation of change requests. The item a request names may be gone (a 取消 approved
    /// deletes it), so only the lists, units and versions it names must exist.
    fn check_change_requests(&mut self) {
        let b = self.bundle;
        let version_ids: HashSet<Id> = b.versions.iter().map(|v| v.id).collect();
        for (i, c) in b.change_requests.iter().enumerate() {
            let path = format!("change_requests[{i}]");
            self.text_required(format!("{path}.reason"), &c.reason, "调整理由");
            for (field, list) in [("list", Some(c.list)), ("to_list", c.to_list)] {
                if let Some(list) = list.filter(|l| !self.list_ids.contains(l)) {
                    self.problem(format!("{path}.{field}"), format!("清单 id {list} 不存在"));
                }
            }
            self.unit_ref(format!("{path}.to_unit"), c.to_unit, "承接部门");
            self.unit_ref(format!("{path}.requester_unit"), c.requester_unit, "申请单位");
            if let Some(version) = c.version.filter(|v| !version_ids.contains(v)) {
                self.problem(format!("{path}.version"), format!("版本 id {version} 不存在"));
            }
            if let Some(last) = c.history.last().filter(|last| last.state != c.state) {
                let message = format!("状态为“{}”，但办理记录的最后一步是“{}”", c.state.label(), last.state.label());
                self.problem(format!("{path}.state"), message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Item, ListKind, UnitKind};

    fn tiny() -> Bundle {
        Bundle {
            jurisdictions: vec![
                Jurisdiction::new(1, None, "示例区", Level::District),
                Jurisdiction::new(2, Some(1), "东湖街道", Level::Street),
            ],
            units: vec![Unit::new(1, 1, "区司法局", UnitKind::Administrative)],
            lists: vec![DutyList {
                uid: None,
                id: 1,
                jurisdiction: 1,
                unit: Some(1),
                kind: ListKind::Power,
                name: "区司法局权责清单".into(),
                note: None,
                items: vec![Item {
                    id: 1,
                    name: "对律师事务所的检查".into(),
                    power_type: Some("行政检查".into()),
                    handling_unit: Some(1),
                    ..Item::default()
                }],
            }],
            ..Bundle::default()
        }
    }

    #[test]
    fn a_sound_bundle_round_trips_through_yaml() {
        let bundle = tiny();
        let text = bundle.to_yaml().expect("write");
        let back = Bundle::from_yaml(&text).expect("read");
        assert_eq!(back, bundle);
        assert_eq!(back.to_yaml().expect("write again"), text);
    }

    /// Regression (issue 13, item 6): a misspelt key loaded with exit 0 and the value was lost.
    #[test]
    fn a_misspelt_key_is_refused_with_its_line_and_a_suggestion() {
        let text = tiny().to_yaml().expect("write").replace("power_type:", "power_typ:");
        let error = Bundle::from_yaml(&text).expect_err("must refuse");
        let BundleError::Invalid(problems) = &error else { panic!("expected Invalid, got {error}") };
        assert_eq!(problems[0].path, "lists[0].items[0].power_typ");
        assert!(problems[0].message.contains("是否应为“power_type”"), "{}", problems[0].message);
        let line = problems[0].line.expect("a line");
        assert!(text.lines().nth(line - 1).unwrap_or_default().contains("power_typ"));
        // An unknown top-level key, and the same in JSON.
        let extra = format!("{}surprise: 1\n", tiny().to_yaml().expect("write"));
        assert!(Bundle::from_yaml(&extra).is_err());
        let json = serde_json::to_string(&tiny()).expect("json").replace("power_type", "power_typ");
        assert!(Bundle::from_json(&json).is_err());
    }

    /// Regression (issue 13, items 1 and 5): an alias bomb and deep nesting are refused before
    /// the parser expands or descends them.
    #[test]
    fn alias_bombs_and_deep_nesting_are_refused_fast() {
        let big = "依据".repeat(16_000);
        let mut text = tiny().to_yaml().expect("write");
        text.push_str(&format!("title: &big \"{big}\"\nversions: [{}]\n", vec!["*big"; 3_000].join(", ")));
        let started = std::time::Instant::now();
        let error = Bundle::from_yaml(&text).expect_err("3,000 × 96 KB");
        assert!(matches!(error, BundleError::Limit { .. }), "{error}");
        assert!(error.to_string().contains("别名"), "{error}");
        let deep = format!("format: quanze-bundle\nformat_version: 1\nx: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let error = Bundle::from_yaml(&deep).expect_err("100,000 levels");
        assert!(error.to_string().contains("嵌套超过"), "{error}");
        assert!(started.elapsed().as_secs() < 2, "{:?}", started.elapsed());
    }

    #[test]
    fn a_dangling_reference_is_reported_with_its_line() {
        let mut bundle = tiny();
        bundle.lists[0].items[0].handling_unit = Some(99);
        let text = bundle.to_yaml().expect("write");
        let error = Bundle::from_yaml(&text).expect_err("must refuse");
        let BundleError::Invalid(problems) = error else {
            panic!("expected Invalid, got {error}");
        };
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "lists[0].items[0].handling_unit");
        let line = problems[0].line.expect("a line");
        let source_line = text.lines().nth(line - 1).unwrap_or_default();
        assert!(
            source_line.contains("handling_unit: 99"),
            "line {line} is {source_line:?}"
        );
    }

    #[test]
    fn a_street_under_a_street_is_refused() {
        let mut bundle = tiny();
        bundle.jurisdictions.push(Jurisdiction {
            id: 3,
            parent: Some(2),
            name: "错层街道".into(),
            level: Level::Street,
            ..bundle.jurisdictions[1].clone()
        });
        let problems = bundle.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "jurisdictions[2].level");
    }

    #[test]
    fn a_syntax_error_names_line_and_column() {
        let text = "format: quanze-bundle\nformat_version: 1\njurisdictions: [\n";
        match Bundle::from_yaml(text) {
            Err(BundleError::Syntax { line, .. }) => assert!(line >= 3, "line {line}"),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn a_newer_format_is_refused() {
        let text = "format: quanze-bundle\nformat_version: 99\n";
        assert!(matches!(
            Bundle::from_yaml(text),
            Err(BundleError::TooNew { found: 99, .. })
        ));
    }

    #[test]
    fn duplicate_item_ids_across_lists_are_refused() {
        let mut bundle = tiny();
        let mut second = bundle.lists[0].clone();
        second.id = 2;
        bundle.lists.push(second);
        let problems = bundle.problems();
        assert!(
            problems.iter().any(|p| p.path == "lists[1].items[0].id"),
            "{problems:?}"
        );
    }
}
