//! Org-chart templates (机构设置模板): the named patterns streets and communities are organized
//! on — 一办七部两中心, 智慧332, 5+2+2 … — kept as YAML files under `templates/org/` so that an
//! office can add its own without a rebuild.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::committee::Committee;
use crate::model::{Level, Unit, UnitKind};

/// An inclusive range, e.g. 行政编制 15–25.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Range {
    pub min: u32,
    pub max: u32,
}

impl Range {
    pub fn contains(&self, value: u32) -> bool {
        (self.min..=self.max).contains(&value)
    }
}

/// One place in a template, e.g. the 城市管理部 of 一办七部两中心.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TemplateSlot {
    /// The slot's name, and the usual name of the unit that fills it.
    pub name: String,
    pub kind: UnitKind,
    /// The part of the pattern the slot belongs to: "办", "部", "中心", "执法队伍" …
    pub group: String,
    /// The street chooses the unit's own name (e.g. the one 特色工作部 of 包河).
    #[serde(default)]
    pub name_chosen_locally: bool,
    /// Other names the slot is known by (e.g. 综治中心 for 网格化服务中心).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// A community's committee (两委, or a village's 监委会): its members are the leaders who
    /// hold a seat on it, and its head (书记 / 主任) must be named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee: Option<Committee>,
    /// The committee's approved number of members (职数), when the template sets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Range>,
    /// One 两委 member is in charge of the unit (负责, e.g. of each 站 and 办).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_charge: bool,
    /// The posts (岗位) a unit of this slot is created with, e.g. 网格员; their numbers are
    /// set per community.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub posts: Vec<String>,
}

impl TemplateSlot {
    /// Whether `unit` fills this slot: recorded as filling it, or named as the slot or one of
    /// its aliases.
    pub fn is_filled_by(&self, unit: &Unit) -> bool {
        unit.template_slot.as_deref() == Some(self.name.as_str())
            || unit.name == self.name
            || self.aliases.contains(&unit.name)
    }
}

/// A named org-chart pattern with its slots and, where the source gives them, staffing limits.
/// Unknown keys are refused, so that a misspelt `members` does not switch a check off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct OrgTemplate {
    /// Stable id referenced by `Jurisdiction::org_template`, e.g. `baohe-1-7-2`.
    pub id: String,
    /// The pattern's own name, e.g. 一办七部两中心.
    pub name: String,
    /// Where it comes from, e.g. 合肥市包河区.
    pub origin: String,
    /// The level of jurisdiction it organizes.
    pub level: Level,
    pub description: String,
    pub slots: Vec<TemplateSlot>,
    /// 行政编制 of the whole jurisdiction, when the source sets a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_posts: Option<Range>,
}

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("无法读取模板目录 {path}：{source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("模板 {path} 有误（第 {line} 行）：{message}")]
    Parse {
        path: String,
        line: usize,
        message: String,
    },
    #[error("模板 id “{0}” 重复")]
    DuplicateId(String),
}

impl OrgTemplate {
    pub fn from_yaml(path: &str, text: &str) -> Result<OrgTemplate, TemplateError> {
        serde_norway::from_str(text).map_err(|e| TemplateError::Parse {
            path: path.to_string(),
            line: e.location().map(|l| l.line()).unwrap_or(0),
            message: e.to_string(),
        })
    }

    /// Find the slot a unit name fills, by name or alias.
    pub fn slot_for(&self, unit_name: &str) -> Option<&TemplateSlot> {
        self.slots
            .iter()
            .find(|s| s.name == unit_name || s.aliases.iter().any(|a| a == unit_name))
    }
}

/// Read every `*.yaml` file of a directory, sorted by file name.
pub fn load_org_templates(dir: &Path) -> Result<Vec<OrgTemplate>, TemplateError> {
    let io = |source| TemplateError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    paths.sort();
    let mut templates: Vec<OrgTemplate> = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(io)?;
        let template = OrgTemplate::from_yaml(&path.display().to_string(), &text)?;
        if templates.iter().any(|t| t.id == template.id) {
            return Err(TemplateError::DuplicateId(template.id));
        }
        templates.push(template);
    }
    Ok(templates)
}
