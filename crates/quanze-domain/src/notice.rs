//! View models of what Quanze prints: a public notice (公示) of one or more lists as tables, a
//! wall poster (上墙) of one community, and a street's org chart.
//!
//! Exporters (PDF, Excel, HTML, SVG) read only these types; they never query the database
//! (ARCHITECTURE invariant "exporters read a view model"). The api crate builds them from the
//! store. Every string here may come from an imported workbook and is untrusted: exporters
//! render it as text (escaped in HTML and SVG, as a string cell in Excel).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::ListKind;

/// Page orientation of a notice. Landscape keeps the GB/T 9704 page-number rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum Orientation {
    #[default]
    #[serde(rename = "纵向", alias = "portrait")]
    Portrait,
    #[serde(rename = "横向", alias = "landscape")]
    Landscape,
}

/// The head of a notice: who issues it, its number, title, date and opening paragraph.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoticeHeading {
    /// 发文机关, e.g. "中共青川区委机构编制委员会办公室".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_organ: Option<String>,
    /// 发文字号, e.g. "青编办〔2026〕12号".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_no: Option<String>,
    /// 标题, e.g. "关于公布青川区住房和城乡建设局权责清单的公告".
    pub title: String,
    /// 成文日期 as it should be printed, e.g. "2026年11月23日".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Opening paragraph(s) before the tables; `\n` separates paragraphs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
}

/// One column of a notice table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoticeColumn {
    /// Header as printed, e.g. "事项名称".
    pub header: String,
    /// Which item field fills it: a standard field name (`seq`, `name`, `power_type`, `basis`,
    /// …) or `extra:<original header>` for an imported extra field. Exporters do not interpret
    /// it; it lets the Excel raw sheet and the importer agree on fields.
    pub field: String,
}

/// One table of a notice, with an optional heading ("一、基本履职事项（86项）").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoticeSection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    pub columns: Vec<NoticeColumn>,
    /// Cells row by row, each row exactly `columns.len()` long (empty string for no value).
    pub rows: Vec<Vec<String>>,
}

/// A whole notice: heading, then one or more tables. A 权责清单 has one section; a street's
/// 履行职责事项清单 has three (基本 / 配合 / 收回); a community's 准入清单 has four.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Notice {
    pub heading: NoticeHeading,
    pub sections: Vec<NoticeSection>,
    #[serde(default)]
    pub orientation: Orientation,
}

impl Notice {
    /// Number of data rows over all sections.
    pub fn row_count(&self) -> usize {
        self.sections.iter().map(|section| section.rows.len()).sum()
    }
}

/// One entry of a poster list: the item name, an optional short note printed after it in
/// brackets, and the columns the street chose (承办机构, 实施依据 …) printed under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PosterEntry {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Only the columns that have a value: an empty one is left out, never printed as "—".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<PosterDetail>,
}

/// One printed column of a poster entry: "承办机构：社区居民委员会".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PosterDetail {
    pub label: String,
    pub text: String,
}

/// What a street's community posters show: which lists, in which order, and which columns
/// under each entry's name (the name is always printed). Kept with the street
/// (`Jurisdiction::poster_settings`); a community's posters follow its street's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PosterSettings {
    /// Community list kinds in print order. 证明事项 prints as two blocks, 可出具 (保留) and
    /// 不得出具, as each item says.
    pub lists: Vec<ListKind>,
    /// Column names as notices name them (`handling_unit`, `basis`, `remarks`,
    /// `extra:办理时限` …). `handling_unit` on a poster is whichever unit the item names:
    /// 承办机构, else 行使主体, else the 协助 item's 提出部门.
    pub columns: Vec<String>,
}

impl PosterSettings {
    /// The list kinds a community poster can show, in their usual order.
    pub const LISTS: [ListKind; 5] = [
        ListKind::CommunityByLaw,
        ListKind::CommunityAssist,
        ListKind::CommunityNegative,
        ListKind::CommunityCertificate,
        ListKind::CommunityService,
    ];
}

impl Default for PosterSettings {
    /// Every community list, each entry with its handling unit.
    fn default() -> Self {
        PosterSettings {
            lists: PosterSettings::LISTS.to_vec(),
            columns: vec!["handling_unit".to_string()],
        }
    }
}

/// One block of a poster: "依法履行职责事项（32项）", "协助政府工作事项", "负面清单".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PosterSection {
    pub heading: String,
    pub entries: Vec<PosterEntry>,
}

/// The wall poster (上墙) of one community service centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CommunityPoster {
    /// e.g. "春华社区".
    pub community: String,
    /// e.g. "青川区东湖街道".
    pub street: String,
    /// e.g. "春华社区工作事项准入清单".
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_person: Option<String>,
    pub sections: Vec<PosterSection>,
    /// Line at the foot, e.g. the issuing office and date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<String>,
}

/// A person who leads a street (书记, 主任, 副主任 …) in an org chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OrgChartLeader {
    /// Key used by [`OrgChartDepartment::leaders_in_charge`].
    pub key: u32,
    pub name: String,
    /// 职务, e.g. "党工委副书记、办事处主任".
    pub post: String,
}

/// Where a department sits in the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum OrgChartRow {
    /// 内设机构 (党政办, 七部 …).
    #[serde(rename = "内设机构")]
    Department,
    /// 事业单位 / 中心 (党群服务中心, 综合行政执法…).
    #[serde(rename = "中心")]
    Centre,
    /// 派驻机构.
    #[serde(rename = "派驻")]
    Dispatched,
    /// A community's 两委 (党组织, 居委会) and a village's 监委会.
    #[serde(rename = "两委")]
    Committee,
    /// A community's 站 and 办.
    #[serde(rename = "站办")]
    Station,
}

/// One box of an org chart with its staffing figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OrgChartDepartment {
    pub name: String,
    pub row: OrgChartRow,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_posts: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution_posts: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_headcount: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_posts: Option<u32>,
    /// Keys of [`OrgChartLeader`]s in charge (分管). Exactly one is the rule; the chart draws
    /// what the data says, and checks report the rest. For a committee box: its head (书记 or
    /// 主任).
    pub leaders_in_charge: Vec<u32>,
    /// A committee's number of members (两委成员 holding a seat on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<u32>,
    /// A community unit's posts (岗位) with approved and filled numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub posts: Vec<crate::committee::UnitPost>,
}

/// A street's big-department org chart, or a community's (两委 and its 站/办).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OrgChart {
    /// The street or community, e.g. "东湖街道", "青溪社区".
    pub street: String,
    /// Template name, e.g. "一办七部两中心".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    pub leaders: Vec<OrgChartLeader>,
    pub departments: Vec<OrgChartDepartment>,
}
