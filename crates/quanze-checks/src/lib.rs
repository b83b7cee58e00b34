//! # quanze-checks
//!
//! Why a 编办 would switch tools: this crate finds what nobody can see in mailed Excel files —
//! two departments claiming one duty, a street still doing work the district took back, work
//! pushed onto a community without admission, a department with two leaders in charge, 超编.
//!
//! [`run`] takes the whole dataset (a [`quanze_domain::Bundle`], read from the store by the
//! caller — this crate never touches the database) and a [`RulePack`] and returns a [`Report`]
//! of [`Finding`]s: data, each with a rule, a severity and grade, its subjects and evidence, and
//! a stable key that a [`quanze_domain::Waiver`] can refer to. `Err` is not used for findings.
//! [`run_observed`] is the same run with an observer called before each rule, which can stop
//! it (the app's progress bar and 取消).
//!
//! The rules are listed in [`RULES`] and documented in `docs/checks.md`; their thresholds and
//! words come from the rule pack (`templates/rules/default.yaml`).

mod admission_gate;
mod admission_time;
pub mod citations;
mod community_org;
mod data;
pub mod duty_name;
pub mod normalize;
mod overlap;
mod raw;
pub mod pack;
mod rules;

use std::collections::BTreeMap;

use quanze_domain::{Bundle, Id, OrgTemplate};
use serde::Serialize;
use ts_rs::TS;

pub use admission_gate::{admission_gate, GateObjection};
pub use admission_time::{decision_deadline, DECISION_WORKING_DAYS, NOTICE_WORKING_DAYS};
pub use normalize::TextSegment;
pub use overlap::OverlapConfidence;
pub use pack::{Grade, PackError, RulePack, Severity};

/// A rule's id and title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: &'static str,
    pub title: &'static str,
}

/// Every rule, in report order.
pub const RULES: &[RuleInfo] = &[
    RuleInfo { id: "overlap.exact", title: "同级部门职责交叉（同名事项）" },
    RuleInfo { id: "overlap.near", title: "同级部门职责疑似交叉（相似事项）" },
    RuleInfo { id: "overlap.sector", title: "同级部门职责仅差限定语（可能交叉）" },
    RuleInfo { id: "cross_level", title: "区、街道上下职责不清" },
    RuleInfo { id: "street.coordination", title: "配合履职事项边界不清" },
    RuleInfo { id: "street.withdrawal", title: "收回事项缺少承接部门或工作方式" },
    RuleInfo { id: "street.withdrawn_still_done", title: "已收回事项仍在街道清单中" },
    RuleInfo { id: "community.not_admitted", title: "未经准入向社区下放工作" },
    RuleInfo { id: "community.unfunded", title: "协助事项未落实经费或人员（费随事转、人随事走）" },
    RuleInfo { id: "community.negative_list", title: "社区承担负面清单事项" },
    RuleInfo { id: "community.certificate", title: "社区出具不得出具的证明" },
    RuleInfo { id: "community.admission_overdue", title: "准入申请超过决定期限（15个工作日）" },
    RuleInfo { id: "community.admission_late", title: "准入申请未提前30个工作日提出" },
    RuleInfo { id: "org.leader_in_charge", title: "部门分管领导不是恰好一位" },
    RuleInfo { id: "org.leader_spread", title: "一位领导分管多个大部门" },
    RuleInfo { id: "org.template_slots", title: "机构设置与模板不符" },
    RuleInfo { id: "org.staffing_range", title: "行政编制总数不在模板范围内" },
    RuleInfo { id: "org.over_staffed", title: "超编（实有人数超过编制）" },
    RuleInfo { id: "org.over_leader_posts", title: "超职数配备领导" },
    RuleInfo { id: "org.duty_coverage", title: "基本履职事项无部门承担或多部门承担" },
    RuleInfo { id: "org.committee_head", title: "社区两委书记、主任未明确" },
    RuleInfo { id: "org.committee_size", title: "社区两委成员人数不在核定职数内" },
    RuleInfo { id: "org.station_in_charge", title: "社区站（办）不是恰好一位两委成员负责" },
    RuleInfo { id: "org.posts_over", title: "岗位实配超过核定数" },
    RuleInfo { id: "hygiene.basis", title: "行政权力事项缺少实施依据" },
    RuleInfo { id: "hygiene.power_type", title: "权力类型不在十类之内" },
    RuleInfo { id: "hygiene.duplicate_code", title: "事项编码重复" },
    RuleInfo { id: "hygiene.required_fields", title: "必填字段为空" },
];

pub fn rule_title(id: &str) -> &'static str {
    RULES.iter().find(|r| r.id == id).map_or("", |r| r.title)
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Item,
    Unit,
    Leader,
    List,
    Jurisdiction,
    AdmissionRequest,
}

impl SubjectKind {
    fn letter(self) -> char {
        match self {
            SubjectKind::Item => 'I',
            SubjectKind::Unit => 'U',
            SubjectKind::Leader => 'L',
            SubjectKind::List => 'C',
            SubjectKind::Jurisdiction => 'J',
            SubjectKind::AdmissionRequest => 'R',
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: Id,
    /// A name to show, with its place (e.g. 事项名称（区住建局权责清单）).
    pub label: String,
}

/// Why a finding was raised, in a form the UI can show side by side.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Evidence {
    /// Two texts with their shared parts marked, and the similarity score (0–1) of what they
    /// are about; for an overlap, how sure the checks are, the legal basis both rest on, and
    /// why the pair was raised, in words.
    Similarity {
        score: f64,
        left: Vec<TextSegment>,
        right: Vec<TextSegment>,
        confidence: Option<OverlapConfidence>,
        shared_basis: Vec<String>,
        reasons: Vec<String>,
    },
    /// A figure against its limit, e.g. 实有人数 12 vs 编制 10.
    Figures {
        measure: String,
        actual: i64,
        limit: String,
    },
    /// Facts in words.
    Facts { lines: Vec<String> },
}

/// One thing the checks found.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Finding {
    /// Stable across runs: rule + subjects. Waivers refer to it.
    pub key: String,
    pub rule: String,
    pub severity: Severity,
    pub grade: Grade,
    pub title: String,
    pub message: String,
    pub subjects: Vec<Subject>,
    /// The jurisdictions the subjects belong to (an item's list's, a unit's …), distinct and
    /// ascending: where the app's jurisdiction tree shows the finding's badge.
    pub jurisdictions: Vec<Id>,
    pub evidence: Evidence,
    /// Digest of the subjects' content; a waiver given for another digest has lapsed.
    pub fingerprint: String,
    pub waived: bool,
    /// The reason of the waiver, when waived.
    pub waiver_reason: Option<String>,
    /// A waiver exists for this key but the subjects have changed since.
    pub waiver_lapsed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct Summary {
    pub total: u32,
    pub waived: u32,
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
    pub red: u32,
    pub yellow: u32,
    pub blue: u32,
    /// Unwaived findings per rule id.
    pub by_rule: BTreeMap<String, u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

impl Report {
    /// True when an unwaived error remains (`quanze check --strict` exits 3 then).
    pub fn has_unwaived_errors(&self) -> bool {
        self.findings
            .iter()
            .any(|f| !f.waived && f.severity == Severity::Error)
    }
}

/// What to check.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Only these rules (ids); all enabled rules when empty.
    pub rules: Vec<String>,
    /// Only findings about this jurisdiction or those below it.
    pub jurisdiction: Option<Id>,
    /// The date time limits are counted to (the caller's local date; a test's fixed one).
    /// Without it, `community.admission_overdue` finds nothing: the checks read no clock.
    pub today: Option<chrono::NaiveDate>,
    /// Holidays and adjusted working days for the admission time limits; weekends only when
    /// left empty.
    pub calendar: quanze_domain::WorkCalendar,
}

/// A rule about to run, as the observer of [`run_observed`] sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleStep {
    /// Position among the rules of this run (enabled and asked for), from 0.
    pub index: usize,
    /// How many rules this run has.
    pub count: usize,
    pub rule: RuleInfo,
}

/// Whether a run with `pack` and `options` runs the rule `id`.
fn wanted(pack: &RulePack, options: &CheckOptions, id: &str) -> bool {
    pack.setting(id).enabled && (options.rules.is_empty() || options.rules.iter().any(|r| r == id))
}

/// The rules a run with `pack` and `options` runs, in order (what the observer of
/// [`run_observed`] will see, known before the data is read).
pub fn rules_to_run(pack: &RulePack, options: &CheckOptions) -> Vec<RuleInfo> {
    RULES.iter().filter(|r| wanted(pack, options, r.id)).copied().collect()
}

/// Run the checks over a dataset.
pub fn run(
    bundle: &Bundle,
    pack: &RulePack,
    templates: &[OrgTemplate],
    options: &CheckOptions,
) -> Report {
    // An observer that never stops: the run always finishes.
    run_observed(bundle, pack, templates, options, &mut |_| true).unwrap_or_default()
}

/// [`run`], calling `observer` before each rule, in report order. The observer answers whether
/// to go on; when it answers `false` the run stops before that rule and gives `None` (a rule
/// already started finishes first: rules are not interrupted, so the wait is one rule at most).
pub fn run_observed(
    bundle: &Bundle,
    pack: &RulePack,
    templates: &[OrgTemplate],
    options: &CheckOptions,
    observer: &mut dyn FnMut(RuleStep) -> bool,
) -> Option<Report> {
    let mut data = data::Data::new(bundle, pack, templates);
    data.wanted = rules_to_run(pack, options).iter().map(|r| r.id).collect();
    data.today = options.today;
    data.calendar = options.calendar.clone();
    let wanted = |id: &str| wanted(pack, options, id);
    let mut raw = Vec::new();
    let mut go_on = |index: usize, count: usize, id: &'static str| {
        let rule = RULES
            .iter()
            .find(|r| r.id == id)
            .copied()
            .unwrap_or(RuleInfo { id, title: id });
        observer(RuleStep { index, count, rule })
    };
    if !rules::run_all(&data, &wanted, &mut raw, &mut go_on) {
        return None;
    }

    let in_scope = |finding: &raw::RawFinding| match options.jurisdiction {
        None => true,
        Some(scope) => finding
            .subjects
            .iter()
            .any(|s| data.jurisdiction_of_subject(s.kind, s.id).is_some_and(|j| data.is_within(j, scope))),
    };
    let mut findings: Vec<Finding> = raw
        .into_iter()
        .filter(in_scope)
        .map(|f| data.finish(f))
        .collect();
    let order = |rule: &str| RULES.iter().position(|r| r.id == rule).unwrap_or(usize::MAX);
    // Within a rule, an overlap the checks are surer of comes first (依据相同, then 措辞相近 by
    // similarity), so a reviewer reads the likeliest cases first; otherwise by key.
    let rank = |f: &Finding| match &f.evidence {
        Evidence::Similarity { confidence: Some(c), score, .. } => (*c as u8, -(score * 1000.0).round() as i64),
        _ => (0, 0),
    };
    findings.sort_by(|a, b| {
        (a.severity, order(&a.rule), rank(a), &a.key).cmp(&(b.severity, order(&b.rule), rank(b), &b.key))
    });
    let mut summary = Summary::default();
    for f in &findings {
        summary.total += 1;
        if f.waived {
            summary.waived += 1;
            continue;
        }
        match f.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
        }
        match f.grade {
            Grade::Red => summary.red += 1,
            Grade::Yellow => summary.yellow += 1,
            Grade::Blue => summary.blue += 1,
        }
        *summary.by_rule.entry(f.rule.clone()).or_default() += 1;
    }
    Some(Report { findings, summary })
}

/// The stable key of a finding of `rule` about `subjects` (order does not matter).
pub fn finding_key(rule: &str, subjects: &[(SubjectKind, Id)]) -> String {
    let mut parts: Vec<String> = subjects
        .iter()
        .map(|(k, id)| format!("{}{id}", k.letter()))
        .collect();
    parts.sort();
    parts.dedup();
    format!("{rule}:{}", parts.join(","))
}

#[cfg(test)]
mod tests;
