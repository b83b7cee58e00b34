//! The entities a 编办 keeps (`docs/domain.md` §1–2), as plain data.
//!
//! Enum values serialize as the Chinese words users read and write (`街道`, `配合履职`,
//! `准入`), so a bundle file reads like the office's own vocabulary; the English aliases are
//! accepted on input for scripts.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Row id of any entity. `u32` keeps it a plain `number` in TypeScript; 4 billion rows is far
/// beyond any district.
pub type Id = u32;

/// Administrative level of a jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub enum Level {
    #[serde(rename = "区", alias = "district")]
    District,
    #[serde(rename = "街道", alias = "street")]
    Street,
    #[serde(rename = "社区", alias = "community")]
    Community,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::District, Level::Street, Level::Community];

    pub fn label(self) -> &'static str {
        match self {
            Level::District => "区",
            Level::Street => "街道",
            Level::Community => "社区",
        }
    }

    /// The level a child of this level must have.
    pub fn child(self) -> Option<Level> {
        match self {
            Level::District => Some(Level::Street),
            Level::Street => Some(Level::Community),
            Level::Community => None,
        }
    }
}

/// A district, a street (街道/镇) or a community (社区/村).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Jurisdiction {
    pub id: Id,
    /// Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
    /// The store gives one to every entity it writes without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub uid: Option<crate::Uid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Id>,
    pub name: String,
    pub level: Level,
    /// What the place calls itself when it differs from the level's usual word: 镇 for a
    /// street-level town, 村 for a community-level village.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub designation: Option<String>,
    /// 行政区划代码, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_code: Option<String>,
    /// Id of the org-chart template the place is organized on (`templates/org/*.yaml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_template: Option<String>,
    /// Contact phone printed on notices and posters (咨询电话).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Person responsible, printed on posters (责任人).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_person: Option<String>,
    /// A street's choice of what its communities' wall posters show; none: every list with
    /// its handling unit (`PosterSettings::default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub poster_settings: Option<crate::notice::PosterSettings>,
}

impl Jurisdiction {
    /// A jurisdiction with only the facts every one has; the optional ones empty.
    pub fn new(id: Id, parent: Option<Id>, name: impl Into<String>, level: Level) -> Jurisdiction {
        Jurisdiction {
            uid: None,
            id,
            parent,
            name: name.into(),
            level,
            designation: None,
            admin_code: None,
            org_template: None,
            phone: None,
            responsible_person: None,
            poster_settings: None,
        }
    }
}

/// The kind of a unit (机构类别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum UnitKind {
    #[serde(rename = "行政", alias = "administrative")]
    Administrative,
    #[serde(rename = "事业", alias = "institution")]
    Institution,
    #[serde(rename = "派驻", alias = "dispatched")]
    Dispatched,
    #[serde(rename = "议事协调", alias = "coordination")]
    Coordination,
    #[serde(rename = "自治组织", alias = "self_governing")]
    SelfGoverning,
}

impl UnitKind {
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Administrative => "行政",
            UnitKind::Institution => "事业",
            UnitKind::Dispatched => "派驻",
            UnitKind::Coordination => "议事协调",
            UnitKind::SelfGoverning => "自治组织",
        }
    }
}

/// Staffing facts of a unit (机构编制). Every figure is optional: legacy data often lacks some.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Staffing {
    /// 行政编制
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_posts: Option<u32>,
    /// 事业编制
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution_posts: Option<u32>,
    /// 实有人数
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_headcount: Option<u32>,
    /// 领导职数（核定）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_posts_approved: Option<u32>,
    /// 领导职数（实配）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_posts_actual: Option<u32>,
}

impl Staffing {
    pub fn is_empty(&self) -> bool {
        self == &Staffing::default()
    }

    /// 行政编制 + 事业编制, when at least one is known.
    pub fn total_posts(&self) -> Option<u32> {
        match (self.admin_posts, self.institution_posts) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        }
    }
}

/// A body of a jurisdiction (机构): a district department, a street's big department or
/// centre, a community's 党委/居委会/工作站.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Unit {
    pub id: Id,
    /// Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
    /// The store gives one to every entity it writes without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub uid: Option<crate::Uid>,
    pub jurisdiction: Id,
    pub name: String,
    pub kind: UnitKind,
    /// A unit inside another one (e.g. a 科室 of a department).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Id>,
    /// The slot of the jurisdiction's org template this unit fills, e.g. "城市管理部".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_slot: Option<String>,
    #[serde(default, skip_serializing_if = "Staffing::is_empty")]
    pub staffing: Staffing,
    /// Leaders in charge (分管领导). The rule is exactly one; the model holds what is
    /// recorded so that the checks can report zero or two.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leaders_in_charge: Vec<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// A community unit's posts (岗位: 社区工作者, 网格员 …) with their approved and filled
    /// numbers (`committee.rs`). Streets' units keep their figures in `staffing`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub posts: Vec<crate::committee::UnitPost>,
}

impl Unit {
    /// A unit with only the facts every one has; staffing, leaders and the rest empty.
    pub fn new(id: Id, jurisdiction: Id, name: impl Into<String>, kind: UnitKind) -> Unit {
        Unit {
            uid: None,
            id,
            jurisdiction,
            name: name.into(),
            kind,
            parent: None,
            template_slot: None,
            staffing: Staffing::default(),
            leaders_in_charge: Vec::new(),
            phone: None,
            posts: Vec::new(),
        }
    }
}

/// A member of a jurisdiction's leadership (班子成员).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Leader {
    pub id: Id,
    /// Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
    /// The store gives one to every entity it writes without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub uid: Option<crate::Uid>,
    pub jurisdiction: Id,
    pub name: String,
    /// 职务, e.g. 党工委书记, 办事处主任, 党工委委员、副主任.
    pub post: String,
    /// A community's 两委 member: the committee seats held (书记、主任一肩挑 is two seats;
    /// `committee.rs`). Empty for a street's or district's leaders.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seats: Vec<crate::committee::CommitteeSeat>,
}

/// What a list is (清单类别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub enum ListKind {
    /// 权责清单 of a department.
    #[serde(rename = "权责清单", alias = "power")]
    Power,
    /// Street 履职清单, part 1: 基本履职事项.
    #[serde(rename = "基本履职", alias = "street_basic")]
    StreetBasic,
    /// Street 履职清单, part 2: 配合履职事项.
    #[serde(rename = "配合履职", alias = "street_coordination")]
    StreetCoordination,
    /// Street 履职清单, part 3: 上级部门收回事项.
    #[serde(rename = "上级部门收回", alias = "street_withdrawn")]
    StreetWithdrawn,
    /// Community 准入清单: 依法履行职责事项.
    #[serde(rename = "依法履职", alias = "community_by_law")]
    CommunityByLaw,
    /// Community 准入清单: 依法协助政府工作事项.
    #[serde(rename = "协助政府", alias = "community_assist")]
    CommunityAssist,
    /// Community 准入清单: 负面清单.
    #[serde(rename = "负面清单", alias = "community_negative")]
    CommunityNegative,
    /// Community 准入清单: 证明事项 (可出具 / 不得出具 per item).
    #[serde(rename = "证明事项", alias = "community_certificate")]
    CommunityCertificate,
    /// 三单 of a unit: 职责清单.
    #[serde(rename = "职责清单", alias = "unit_duties")]
    UnitDuties,
    /// 三单 of a unit: 任务清单.
    #[serde(rename = "任务清单", alias = "unit_tasks")]
    UnitTasks,
    /// 三单 of a unit: 责任清单.
    #[serde(rename = "责任清单", alias = "unit_responsibilities")]
    UnitResponsibilities,
    /// 社区服务清单.
    #[serde(rename = "社区服务清单", alias = "community_service")]
    CommunityService,
}

impl ListKind {
    pub const ALL: [ListKind; 12] = [
        ListKind::Power,
        ListKind::StreetBasic,
        ListKind::StreetCoordination,
        ListKind::StreetWithdrawn,
        ListKind::CommunityByLaw,
        ListKind::CommunityAssist,
        ListKind::CommunityNegative,
        ListKind::CommunityCertificate,
        ListKind::UnitDuties,
        ListKind::UnitTasks,
        ListKind::UnitResponsibilities,
        ListKind::CommunityService,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ListKind::Power => "权责清单",
            ListKind::StreetBasic => "基本履职",
            ListKind::StreetCoordination => "配合履职",
            ListKind::StreetWithdrawn => "上级部门收回",
            ListKind::CommunityByLaw => "依法履职",
            ListKind::CommunityAssist => "协助政府",
            ListKind::CommunityNegative => "负面清单",
            ListKind::CommunityCertificate => "证明事项",
            ListKind::UnitDuties => "职责清单",
            ListKind::UnitTasks => "任务清单",
            ListKind::UnitResponsibilities => "责任清单",
            ListKind::CommunityService => "社区服务清单",
        }
    }

    /// English id, as accepted on the command line.
    pub fn id(self) -> &'static str {
        match self {
            ListKind::Power => "power",
            ListKind::StreetBasic => "street_basic",
            ListKind::StreetCoordination => "street_coordination",
            ListKind::StreetWithdrawn => "street_withdrawn",
            ListKind::CommunityByLaw => "community_by_law",
            ListKind::CommunityAssist => "community_assist",
            ListKind::CommunityNegative => "community_negative",
            ListKind::CommunityCertificate => "community_certificate",
            ListKind::UnitDuties => "unit_duties",
            ListKind::UnitTasks => "unit_tasks",
            ListKind::UnitResponsibilities => "unit_responsibilities",
            ListKind::CommunityService => "community_service",
        }
    }

    /// Parse either the Chinese label or the English id.
    pub fn parse(text: &str) -> Option<ListKind> {
        let text = text.trim();
        ListKind::ALL
            .into_iter()
            .find(|kind| kind.label() == text || kind.id() == text)
    }

    /// The level of jurisdiction a list of this kind belongs to, when the kind fixes it.
    pub fn expected_level(self) -> Option<Level> {
        match self {
            ListKind::Power => None,
            ListKind::StreetBasic | ListKind::StreetCoordination | ListKind::StreetWithdrawn => {
                Some(Level::Street)
            }
            ListKind::CommunityByLaw
            | ListKind::CommunityAssist
            | ListKind::CommunityNegative
            | ListKind::CommunityCertificate
            | ListKind::CommunityService => Some(Level::Community),
            ListKind::UnitDuties | ListKind::UnitTasks | ListKind::UnitResponsibilities => None,
        }
    }

    /// 三单 lists belong to a unit, not to a whole jurisdiction.
    pub fn requires_unit(self) -> bool {
        matches!(
            self,
            ListKind::UnitDuties | ListKind::UnitTasks | ListKind::UnitResponsibilities
        )
    }
}

/// A list (清单) of a jurisdiction, or of one unit of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DutyList {
    pub id: Id,
    /// Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
    /// The store gives one to every entity it writes without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub uid: Option<crate::Uid>,
    pub jurisdiction: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<Id>,
    pub kind: ListKind,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Item>,
}

/// The ten categories of 权力类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub enum PowerType {
    #[serde(rename = "行政许可")]
    Licensing,
    #[serde(rename = "行政处罚")]
    Penalty,
    #[serde(rename = "行政强制")]
    Enforcement,
    #[serde(rename = "行政征收")]
    Levy,
    #[serde(rename = "行政给付")]
    Benefit,
    #[serde(rename = "行政检查")]
    Inspection,
    #[serde(rename = "行政确认")]
    Confirmation,
    #[serde(rename = "行政奖励")]
    Reward,
    #[serde(rename = "行政裁决")]
    Adjudication,
    #[serde(rename = "其他行政权力")]
    Other,
}

impl PowerType {
    pub const ALL: [PowerType; 10] = [
        PowerType::Licensing,
        PowerType::Penalty,
        PowerType::Enforcement,
        PowerType::Levy,
        PowerType::Benefit,
        PowerType::Inspection,
        PowerType::Confirmation,
        PowerType::Reward,
        PowerType::Adjudication,
        PowerType::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PowerType::Licensing => "行政许可",
            PowerType::Penalty => "行政处罚",
            PowerType::Enforcement => "行政强制",
            PowerType::Levy => "行政征收",
            PowerType::Benefit => "行政给付",
            PowerType::Inspection => "行政检查",
            PowerType::Confirmation => "行政确认",
            PowerType::Reward => "行政奖励",
            PowerType::Adjudication => "行政裁决",
            PowerType::Other => "其他行政权力",
        }
    }

    /// Recognize a 权力类型 as written in a list: exact labels, and the common short or
    /// decorated forms ("处罚", "行政处罚类", "其他权力", "其它行政权力").
    pub fn parse(text: &str) -> Option<PowerType> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let compact = compact.trim_end_matches('类').replace("其它", "其他");
        if let Some(found) = PowerType::ALL.into_iter().find(|p| p.label() == compact) {
            return Some(found);
        }
        match compact.as_str() {
            "其他权力" | "其他" | "其他职权" => Some(PowerType::Other),
            short => PowerType::ALL
                .into_iter()
                .find(|p| p.label().strip_prefix("行政") == Some(short)),
        }
    }
}

/// For a 配合履职 item: who leads, and where the boundary runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Coordination {
    /// The district department leading the work (主责部门), when it is a known unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_unit: Option<Id>,
    /// The lead department as written (kept even when it matches a unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_unit_text: Option<String>,
    /// 上级部门职责
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superior_duty: Option<String>,
    /// 街道配合职责
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_duty: Option<String>,
}

/// For a 上级部门收回 item: who took it back, and how it is done now.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Withdrawal {
    /// 承接部门, when it is a known unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiving_unit: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiving_unit_text: Option<String>,
    /// 工作方式
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_method: Option<String>,
}

/// Funding that comes with assigned work (费随事转).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Funding {
    /// Amount in 万元 per year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_wan: Option<f64>,
    /// 经费来源, e.g. 区财政专项.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Funding {
    pub fn is_empty(&self) -> bool {
        self.amount_wan.is_none() && self.source.is_none()
    }
}

/// Staff that comes with assigned work (人随事走).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StaffSupport {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// How the staff is provided, e.g. 购买服务岗位2名.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl StaffSupport {
    pub fn is_empty(&self) -> bool {
        self.count.is_none() && self.note.is_none()
    }
}

/// For a community 协助政府 item: who asked, and what came with the work.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Assistance {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requesting_unit: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requesting_unit_text: Option<String>,
    #[serde(default, skip_serializing_if = "Funding::is_empty")]
    pub funding: Funding,
    #[serde(default, skip_serializing_if = "StaffSupport::is_empty")]
    pub staff: StaffSupport,
    /// The admission request that admitted this item, when it came through the process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admission_request: Option<Id>,
}

/// A column kept verbatim from an imported workbook that maps to no standard field, so that
/// no cell is ever lost. Headers may repeat (duplicated header columns), so this is a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExtraField {
    pub header: String,
    pub value: String,
}

/// Where an imported item came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Provenance {
    pub file: String,
    pub sheet: String,
    /// 1-based row number of the item's first row, as a spreadsheet shows it.
    pub row: u32,
    /// Further rows merged into this item (continuation rows), 1-based.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_rows: Vec<u32>,
}

/// One entry of a list (事项). The standard fields of `docs/domain.md` §2 are real fields; the parts a
/// list kind needs are optional groups; anything else an import found is in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Item {
    pub id: Id,
    /// Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
    /// The store gives one to every entity it writes without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub uid: Option<crate::Uid>,
    /// 序号 as written (`1`, `2,3`, `1.0` stays as the source had it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<String>,
    /// 事项编码 / 职权编码.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// 事项名称
    pub name: String,
    /// 子项名称
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_item: Option<String>,
    /// 权力类型 as recorded; [`PowerType::parse`] tells whether it is one of the ten.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_type: Option<String>,
    /// 类别 of street and community lists: 党的建设, 经济发展, 民生服务 …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// 实施依据
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// 行使主体
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// 承办机构, when it is a known unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handling_unit: Option<Id>,
    /// 承办机构 as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handling_unit_text: Option<String>,
    /// 实施层级及权限
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_and_authority: Option<String>,
    /// 部门职责
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_duty: Option<String>,
    /// 责任事项内容
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsibility: Option<String>,
    /// 责任事项依据
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsibility_basis: Option<String>,
    /// 追责对象范围
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accountable_scope: Option<String>,
    /// 追责情形
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accountability_cases: Option<String>,
    /// 备注
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    /// 监督电话
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervision_phone: Option<String>,
    /// 证明事项: whether the community may issue this certificate (可出具 / 不得出具).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_allowed: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordination: Option<Coordination>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal: Option<Withdrawal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assistance: Option<Assistance>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<ExtraField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

impl Item {
    /// How an item is named to users (messages, the audit log, reports, posters): its 事项名称,
    /// with its 子项 in brackets when it has one.
    pub fn label(&self) -> String {
        match &self.sub_item {
            Some(sub) => format!("{}（{sub}）", self.name),
            None => self.name.clone(),
        }
    }
}

/// State of an admission request (准入申请).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum AdmissionState {
    #[serde(rename = "申请", alias = "applied")]
    Applied,
    #[serde(rename = "审核中", alias = "under_review")]
    UnderReview,
    #[serde(rename = "准入", alias = "admitted")]
    Admitted,
    #[serde(rename = "驳回", alias = "rejected")]
    Rejected,
    #[serde(rename = "撤销", alias = "revoked")]
    Revoked,
}

impl AdmissionState {
    pub fn label(self) -> &'static str {
        match self {
            AdmissionState::Applied => "申请",
            AdmissionState::UnderReview => "审核中",
            AdmissionState::Admitted => "准入",
            AdmissionState::Rejected => "驳回",
            AdmissionState::Revoked => "撤销",
        }
    }

    /// Every state, in the order of the process.
    pub const ALL: [AdmissionState; 5] = [
        AdmissionState::Applied,
        AdmissionState::UnderReview,
        AdmissionState::Admitted,
        AdmissionState::Rejected,
        AdmissionState::Revoked,
    ];

    /// The states a request in this one may move to, in the order of the process (none once
    /// rejected or revoked).
    pub fn next_states(self) -> Vec<AdmissionState> {
        AdmissionState::ALL.into_iter().filter(|next| self.can_move_to(*next)).collect()
    }

    /// Whether a move into this state must give an opinion: a rejection its 审核意见, a
    /// revocation its 撤销理由 (the applicant and the community are owed the reason).
    pub fn needs_opinion(self) -> bool {
        matches!(self, AdmissionState::Rejected | AdmissionState::Revoked)
    }

    /// The moves the admission process allows: 申请 → 审核中 → 准入 / 驳回, 准入 → 撤销.
    pub fn can_move_to(self, next: AdmissionState) -> bool {
        use AdmissionState::*;
        matches!(
            (self, next),
            (Applied, UnderReview)
                | (UnderReview, Admitted)
                | (UnderReview, Rejected)
                | (Admitted, Revoked)
        )
    }
}

/// One move of an admission request, kept forever.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AdmissionStep {
    pub state: AdmissionState,
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A department's application to put a 协助政府 item on a community's admission list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AdmissionRequest {
    pub id: Id,
    /// Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
    /// The store gives one to every entity it writes without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub uid: Option<crate::Uid>,
    /// The community the work would go to.
    pub community: Id,
    /// The applying department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant_unit: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant_unit_text: Option<String>,
    /// Name of the work item asked for.
    pub item_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    pub reason: String,
    /// 依据 (law or policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    #[serde(default, skip_serializing_if = "Funding::is_empty")]
    pub funding: Funding,
    #[serde(default, skip_serializing_if = "StaffSupport::is_empty")]
    pub staff: StaffSupport,
    pub applied_on: NaiveDate,
    /// The date the work would start in the community: the procedure asks for the application
    /// 30 working days before it (`workdays.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_start: Option<NaiveDate>,
    /// The last day of the 15 working days after `applied_on` the 编办 has to decide in, fixed
    /// when the request is made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_deadline: Option<NaiveDate>,
    /// Requests made together for several communities (or every community of a street) share
    /// this mark: one request per community, seen together by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<crate::Uid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_on: Option<NaiveDate>,
    /// 审核意见
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_opinion: Option<String>,
    /// 文号 of the decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_no: Option<String>,
    pub state: AdmissionState,
    /// Every state the request has passed through, oldest first; the last one equals `state`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<AdmissionStep>,
    /// The 协助政府 item created when the request was admitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admitted_item: Option<Id>,
}

impl AdmissionRequest {
    /// A request with only what every one has (the community, the work, the reason, the date
    /// and the state); the optional facts empty.
    pub fn new(id: Id, community: Id, item_name: impl Into<String>, reason: impl Into<String>, applied_on: NaiveDate, state: AdmissionState) -> AdmissionRequest {
        AdmissionRequest {
            id,
            uid: None,
            community,
            applicant_unit: None,
            applicant_unit_text: None,
            item_name: item_name.into(),
            content: None,
            reason: reason.into(),
            basis: None,
            funding: Funding::default(),
            staff: StaffSupport::default(),
            applied_on,
            planned_start: None,
            decision_deadline: None,
            batch: None,
            decided_on: None,
            effective_on: None,
            revoked_on: None,
            review_opinion: None,
            doc_no: None,
            state,
            history: Vec::new(),
            admitted_item: None,
        }
    }
}

/// A finding accepted with a written reason. `finding_key` is the stable key of the finding
/// (rule + subjects); `fingerprint` digests the subjects' content so that the waiver lapses
/// when they change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Waiver {
    pub id: Id,
    /// Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
    /// The store gives one to every entity it writes without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub uid: Option<crate::Uid>,
    pub finding_key: String,
    pub rule: String,
    pub reason: String,
    pub actor: String,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// A published, frozen version of a list (公布版本).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Version {
    pub id: Id,
    /// Stable identity, kept through dump, load, import, export and merge (`identity.rs`).
    /// The store gives one to every entity it writes without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub uid: Option<crate::Uid>,
    pub list: Id,
    /// 1, 2, 3 … per list.
    pub number: u32,
    pub published_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The list's items as they stood when published.
    pub items: Vec<Item>,
    /// The approved change requests (调整申请) this version published, in the order approved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Id>,
    /// Why the version was published while the list had unwaived red findings (recorded
    /// when the publisher overrode the refusal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub despite_findings: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn power_type_parse_accepts_common_written_forms() {
        assert_eq!(PowerType::parse("行政处罚"), Some(PowerType::Penalty));
        assert_eq!(PowerType::parse(" 行政 许可 "), Some(PowerType::Licensing));
        assert_eq!(PowerType::parse("处罚"), Some(PowerType::Penalty));
        assert_eq!(PowerType::parse("行政处罚类"), Some(PowerType::Penalty));
        assert_eq!(PowerType::parse("其它行政权力"), Some(PowerType::Other));
        assert_eq!(PowerType::parse("其他权力"), Some(PowerType::Other));
        assert_eq!(PowerType::parse("行政备案"), None);
        assert_eq!(PowerType::parse(""), None);
    }

    #[test]
    fn list_kind_parse_takes_label_or_id() {
        for kind in ListKind::ALL {
            assert_eq!(ListKind::parse(kind.label()), Some(kind));
            assert_eq!(ListKind::parse(kind.id()), Some(kind));
        }
        assert_eq!(ListKind::parse("清单"), None);
    }

    #[test]
    fn admission_process_allows_only_its_moves() {
        use AdmissionState::*;
        assert!(Applied.can_move_to(UnderReview));
        assert!(UnderReview.can_move_to(Admitted));
        assert!(Admitted.can_move_to(Revoked));
        assert!(!Applied.can_move_to(Admitted), "admission needs a review");
        assert!(!Rejected.can_move_to(Admitted));
        assert!(!Revoked.can_move_to(Admitted));
        assert_eq!(Applied.next_states(), vec![UnderReview]);
        assert_eq!(UnderReview.next_states(), vec![Admitted, Rejected]);
        assert_eq!(Admitted.next_states(), vec![Revoked]);
        assert!(Rejected.next_states().is_empty() && Revoked.next_states().is_empty());
        let needing: Vec<_> = AdmissionState::ALL.into_iter().filter(|s| s.needs_opinion()).collect();
        assert_eq!(needing, vec![Rejected, Revoked]);
    }

    #[test]
    fn enums_serialize_as_the_users_words_and_accept_english() {
        let yaml = serde_json::to_string(&ListKind::StreetCoordination).unwrap_or_default();
        assert_eq!(yaml, "\"配合履职\"");
        let parsed: Level = serde_json::from_str("\"street\"").unwrap_or(Level::District);
        assert_eq!(parsed, Level::Street);
    }
}
