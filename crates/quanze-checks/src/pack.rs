//! Rule packs: the tunable part of the checks, in YAML (`templates/rules/*.yaml`), so that an
//! office can adjust thresholds, words and required fields without a rebuild.

use std::collections::BTreeMap;

use quanze_domain::Range;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

/// The red / yellow / blue grade 编办 requirement lists use (红 = 超编进人、超职数配备、
/// 权责事项缺失 …; 蓝 = 职能重叠交叉 …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Red,
    Yellow,
    Blue,
}

impl Grade {
    pub fn label(self) -> &'static str {
        match self {
            Grade::Red => "红",
            Grade::Yellow => "黄",
            Grade::Blue => "蓝",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NormalizeRules {
    #[serde(default)]
    pub trivial_suffixes: Vec<String>,
    #[serde(default)]
    pub stop_words: Vec<String>,
    /// Groups of spellings; the last of each group is the one kept.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearDuplicateRules {
    pub ngram: usize,
    pub threshold: f64,
    pub min_length: usize,
    #[serde(default)]
    pub same_power_type: bool,
    /// Share of one duty's object (its weight) found in the other's from which the smaller is
    /// taken as contained in the larger (a 子项, or the other plus a clause); with a shared
    /// article of the legal basis this makes the pair one duty.
    #[serde(default = "default_containment")]
    pub containment: f64,
}

fn default_containment() -> f64 {
    0.9
}

/// How a duty name is read: the act (处罚, 检查 …) and its frame are taken off the end, what
/// is left is the object or behaviour the duty is about; its actor is the party named first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DutyNameRules {
    /// Words a name opens with before its object ("对", "对于"), the longest taken off.
    #[serde(default)]
    pub lead_words: Vec<String>,
    /// Endings that name the act ("的行政处罚", "的监督检查" …), taken off longest first.
    #[serde(default)]
    pub act_suffixes: Vec<String>,
    /// Endings that frame the behaviour ("等违法行为", "情况" …), taken off after the act.
    #[serde(default)]
    pub frame_suffixes: Vec<String>,
    /// Parenthetical notes that do not change the duty ("（不包括吊销许可证）" starts with these).
    #[serde(default)]
    pub ignored_notes: Vec<String>,
    /// Words that end the party a duty is about (单位, 企业, 导游 …): the actor is the object up
    /// to the first of them within `actor_window` characters.
    #[serde(default)]
    pub actor_suffixes: Vec<String>,
    #[serde(default)]
    pub actor_window: usize,
    /// Longest qualifier (characters) in front of an object that `overlap.sector` reports
    /// (渔业船舶 / 船舶).
    #[serde(default)]
    pub max_qualifier: usize,
    /// Prefixes that turn a word into its opposite (非国家重点保护 vs 国家重点保护).
    #[serde(default)]
    pub negating_prefixes: Vec<String>,
}

/// How citations of the legal basis (实施依据) are read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LegalBasisRules {
    /// A cited document whose title contains all the words of one entry is an amending act
    /// (“国务院关于修改部分行政法规的决定”), not the law the duty rests on: it is ignored.
    #[serde(default)]
    pub ignored_titles: Vec<Vec<String>>,
    /// Prefixes dropped from law titles so that both spellings compare equal.
    #[serde(default)]
    pub title_prefixes: Vec<String>,
    /// A law article cited by more items than this in one group is a general clause (a
    /// definition, the competent authority) and is not used to pair items.
    #[serde(default = "default_max_items_per_article")]
    pub max_items_per_article: usize,
}

fn default_max_items_per_article() -> usize {
    40
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleSetting {
    pub severity: Severity,
    pub grade: Grade,
    #[serde(default = "enabled")]
    pub enabled: bool,
}

fn enabled() -> bool {
    true
}

/// A whole rule pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulePack {
    pub name: String,
    pub version: u32,
    pub normalize: NormalizeRules,
    pub near_duplicate: NearDuplicateRules,
    #[serde(default)]
    pub duty_name: DutyNameRules,
    #[serde(default)]
    pub legal_basis: LegalBasisRules,
    pub rules: BTreeMap<String, RuleSetting>,
    /// List kind (Chinese label) → fields every item must fill.
    #[serde(default)]
    pub required_fields: BTreeMap<String, Vec<String>>,
    /// Org template id → 行政编制 range, for templates that give none themselves.
    #[serde(default)]
    pub staffing_ranges: BTreeMap<String, Range>,
    pub org: OrgRules,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgRules {
    pub max_departments_per_leader: usize,
    pub coverage_judged_from: f64,
}

/// The default pack, compiled in from `templates/rules/default.yaml`.
pub const DEFAULT_PACK_YAML: &str = include_str!("../../../templates/rules/default.yaml");

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("规则包 {source_name} 有误（第 {line} 行）：{message}")]
    Parse {
        source_name: String,
        line: usize,
        message: String,
    },
    #[error("规则包 {source_name} 中的规则 “{rule}” 不存在")]
    UnknownRule { source_name: String, rule: String },
    #[error("规则包 {source_name}：{message}")]
    Invalid { source_name: String, message: String },
}

impl RulePack {
    pub fn from_yaml(source_name: &str, text: &str) -> Result<RulePack, PackError> {
        let pack: RulePack = serde_norway::from_str(text).map_err(|e| PackError::Parse {
            source_name: source_name.to_string(),
            line: e.location().map(|l| l.line()).unwrap_or(0),
            message: e.to_string(),
        })?;
        for rule in pack.rules.keys() {
            if !crate::RULES.iter().any(|r| r.id == rule) {
                return Err(PackError::UnknownRule {
                    source_name: source_name.to_string(),
                    rule: rule.clone(),
                });
            }
        }
        let t = pack.near_duplicate.threshold;
        if !(0.05..=1.0).contains(&t) || pack.near_duplicate.ngram == 0 {
            return Err(PackError::Invalid {
                source_name: source_name.to_string(),
                message: format!("相似度阈值须在 0.05–1 之间、n-gram 至少为 1（现为 {t}、{}）", pack.near_duplicate.ngram),
            });
        }
        Ok(pack)
    }

    pub fn default_pack() -> RulePack {
        // The default pack is part of the build and covered by a test; it always parses.
        RulePack::from_yaml("templates/rules/default.yaml", DEFAULT_PACK_YAML).unwrap_or_else(|e| {
            panic!("the built-in rule pack is broken: {e}")
        })
    }

    pub fn setting(&self, rule: &str) -> RuleSetting {
        self.rules.get(rule).cloned().unwrap_or(RuleSetting {
            severity: Severity::Warning,
            grade: Grade::Blue,
            enabled: true,
        })
    }
}
