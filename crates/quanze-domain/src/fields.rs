//! The standard fields of an item (`docs/domain.md` §2, plus the 配合/收回/协助 groups), once:
//! each field's key, the label users know, the header a printed notice gives it, its kind, and
//! how its text is read into an item and written out of one. The editor, the notices, the
//! version comparison, the Excel raw-data sheet, the importer's field labels and the UI (through
//! the generated `ITEM_FIELDS` of `ui/src/api/bindings.ts`) all take their vocabulary from
//! [`ITEM_FIELDS`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{Id, Item, PowerType};

/// A standard field of an item that can be set from text (a grid column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemField {
    Seq,
    Code,
    Name,
    SubItem,
    Category,
    PowerType,
    Basis,
    Subject,
    /// 承办机构: the text as written; matched to a unit of that exact name when there is one.
    HandlingUnit,
    LevelAndAuthority,
    DepartmentDuty,
    /// 主责部门 of a 配合履职 item (matched to a unit like 承办机构).
    LeadUnit,
    SuperiorDuty,
    StreetDuty,
    /// 承接部门 of a 收回 item.
    ReceivingUnit,
    WorkingMethod,
    /// 申请部门 of a 协助 item.
    RequestingUnit,
    /// 经费（万元/年）: a number; "20万元" is read as 20.
    FundingAmount,
    FundingSource,
    /// 人员数: a whole number; "2人" is read as 2.
    StaffCount,
    StaffNote,
    /// 可否出具: 可出具 / 不得出具 (also 是 / 否).
    Certificate,
    Responsibility,
    ResponsibilityBasis,
    AccountableScope,
    AccountabilityCases,
    SupervisionPhone,
    Remarks,
}

/// What a field holds, which decides how its text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Text as written.
    Text,
    /// A unit by name: the written text is kept, and matched to a unit of that name.
    Unit,
    /// One of the ten 权力类型, written in its full form.
    PowerType,
    /// 万元 per year: "20", "20.5", "20万元", "20 万元/年".
    Amount,
    /// A whole number of people: "2", "2人", "2 名".
    Count,
    /// 可出具 / 不得出具 (also 可 / 是 / 能, 不可 / 否 / 不能).
    Certificate,
}

/// One row of the field table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct FieldSpec {
    pub field: ItemField,
    /// The field's key: how `field` serializes (`sub_item`).
    pub key: &'static str,
    /// The column header users know (子项名称), in the editor, the importer and comparisons.
    pub label: &'static str,
    /// The header a printed notice gives the field (子项), or `None` when a notice prints it
    /// only inside a combined column (经费保障, 人员保障).
    pub print_header: Option<&'static str>,
    pub kind: FieldKind,
}

/// Every standard field, in the order the editor shows them; row `n` is the field whose
/// discriminant is `n`.
#[rustfmt::skip]
pub const ITEM_FIELDS: [FieldSpec; 28] = [
    FieldSpec { field: ItemField::Seq, key: "seq", label: "序号", print_header: Some("序号"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::Code, key: "code", label: "事项编码", print_header: Some("事项编码"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::Name, key: "name", label: "事项名称", print_header: Some("事项名称"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::SubItem, key: "sub_item", label: "子项名称", print_header: Some("子项"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::Category, key: "category", label: "类别", print_header: Some("类别"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::PowerType, key: "power_type", label: "权力类型", print_header: Some("权力类型"), kind: FieldKind::PowerType },
    FieldSpec { field: ItemField::Basis, key: "basis", label: "实施依据", print_header: Some("实施依据"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::Subject, key: "subject", label: "行使主体", print_header: Some("实施主体"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::HandlingUnit, key: "handling_unit", label: "承办机构", print_header: Some("承办机构"), kind: FieldKind::Unit },
    FieldSpec { field: ItemField::LevelAndAuthority, key: "level_and_authority", label: "实施层级及权限", print_header: Some("行使层级"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::DepartmentDuty, key: "department_duty", label: "部门职责", print_header: Some("职责内容"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::LeadUnit, key: "lead_unit", label: "主责部门", print_header: Some("牵头部门"), kind: FieldKind::Unit },
    FieldSpec { field: ItemField::SuperiorDuty, key: "superior_duty", label: "上级部门职责", print_header: Some("上级部门职责"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::StreetDuty, key: "street_duty", label: "街道配合职责", print_header: Some("街道配合职责"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::ReceivingUnit, key: "receiving_unit", label: "承接部门", print_header: Some("承接部门"), kind: FieldKind::Unit },
    FieldSpec { field: ItemField::WorkingMethod, key: "working_method", label: "工作方式", print_header: Some("工作方式"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::RequestingUnit, key: "requesting_unit", label: "申请部门", print_header: Some("提出部门"), kind: FieldKind::Unit },
    FieldSpec { field: ItemField::FundingAmount, key: "funding_amount", label: "经费（万元/年）", print_header: None, kind: FieldKind::Amount },
    FieldSpec { field: ItemField::FundingSource, key: "funding_source", label: "经费来源", print_header: None, kind: FieldKind::Text },
    FieldSpec { field: ItemField::StaffCount, key: "staff_count", label: "人员数", print_header: None, kind: FieldKind::Count },
    FieldSpec { field: ItemField::StaffNote, key: "staff_note", label: "人员说明", print_header: None, kind: FieldKind::Text },
    FieldSpec { field: ItemField::Certificate, key: "certificate", label: "可否出具", print_header: Some("是否可出具"), kind: FieldKind::Certificate },
    FieldSpec { field: ItemField::Responsibility, key: "responsibility", label: "责任事项内容", print_header: Some("责任事项"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::ResponsibilityBasis, key: "responsibility_basis", label: "责任事项依据", print_header: Some("责任事项依据"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::AccountableScope, key: "accountable_scope", label: "追责对象范围", print_header: Some("追责对象范围"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::AccountabilityCases, key: "accountability_cases", label: "追责情形", print_header: Some("追责情形"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::SupervisionPhone, key: "supervision_phone", label: "监督电话", print_header: Some("监督电话"), kind: FieldKind::Text },
    FieldSpec { field: ItemField::Remarks, key: "remarks", label: "备注", print_header: Some("备注"), kind: FieldKind::Text },
];

/// The 类别 street and community lists use (`docs/domain.md` §1), which the editor's 类别 cell
/// offers. Not a closed set: a list may have its own (the importer keeps any 类别 as written,
/// and so does the editor, which says that the word is not one of these).
pub const COMMON_CATEGORIES: [&str; 14] = [
    "党的建设", "经济发展", "民生服务", "公共服务", "平安法治", "综合治理", "城乡建设", "城市管理",
    "村（社区）建设", "综合保障", "社区建设", "社区服务", "居民自治", "平安建设",
];

/// Why a field's text was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FieldError {
    #[error("“{value}”不是十类权力类型之一（{}）", PowerType::ALL.map(|p| p.label()).join("、"))]
    NotAPowerType { value: String },
    #[error("{field}应为数字，“{value}”不是")]
    NotANumber { field: &'static str, value: String },
    #[error("可否出具应为“可出具”或“不得出具”，“{value}”不是")]
    NotACertificateAnswer { value: String },
}

impl ItemField {
    pub const ALL: [ItemField; 28] = {
        let mut all = [ItemField::Seq; 28];
        let mut index = 0;
        while index < ITEM_FIELDS.len() {
            all[index] = ITEM_FIELDS[index].field;
            index += 1;
        }
        all
    };

    /// This field's row of [`ITEM_FIELDS`].
    pub fn spec(self) -> &'static FieldSpec {
        &ITEM_FIELDS[self as usize]
    }

    pub fn key(self) -> &'static str {
        self.spec().key
    }

    /// The column header users know.
    pub fn label(self) -> &'static str {
        self.spec().label
    }

    pub fn kind(self) -> FieldKind {
        self.spec().kind
    }

    /// The field of a key (`sub_item`).
    pub fn from_key(key: &str) -> Option<ItemField> {
        ITEM_FIELDS.iter().find(|spec| spec.key == key).map(|spec| spec.field)
    }

    /// The field's value as text, as it was written: a unit field gives the written name, a
    /// number its digits, 可否出具 "可出具" / "不得出具". `None` when the item has no value.
    pub fn format(self, item: &Item) -> Option<String> {
        let coordination = item.coordination.as_ref();
        let withdrawal = item.withdrawal.as_ref();
        let assistance = item.assistance.as_ref();
        match self {
            ItemField::Seq => item.seq.clone(),
            ItemField::Code => item.code.clone(),
            ItemField::Name => Some(item.name.clone()),
            ItemField::SubItem => item.sub_item.clone(),
            ItemField::Category => item.category.clone(),
            ItemField::PowerType => item.power_type.clone(),
            ItemField::Basis => item.basis.clone(),
            ItemField::Subject => item.subject.clone(),
            ItemField::HandlingUnit => item.handling_unit_text.clone(),
            ItemField::LevelAndAuthority => item.level_and_authority.clone(),
            ItemField::DepartmentDuty => item.department_duty.clone(),
            ItemField::LeadUnit => coordination.and_then(|c| c.lead_unit_text.clone()),
            ItemField::SuperiorDuty => coordination.and_then(|c| c.superior_duty.clone()),
            ItemField::StreetDuty => coordination.and_then(|c| c.street_duty.clone()),
            ItemField::ReceivingUnit => withdrawal.and_then(|w| w.receiving_unit_text.clone()),
            ItemField::WorkingMethod => withdrawal.and_then(|w| w.working_method.clone()),
            ItemField::RequestingUnit => assistance.and_then(|a| a.requesting_unit_text.clone()),
            ItemField::FundingAmount => assistance.and_then(|a| a.funding.amount_wan).map(|v| v.to_string()),
            ItemField::FundingSource => assistance.and_then(|a| a.funding.source.clone()),
            ItemField::StaffCount => assistance.and_then(|a| a.staff.count).map(|n| n.to_string()),
            ItemField::StaffNote => assistance.and_then(|a| a.staff.note.clone()),
            ItemField::Certificate => item.certificate_allowed.map(|allowed| certificate_text(allowed).to_string()),
            ItemField::Responsibility => item.responsibility.clone(),
            ItemField::ResponsibilityBasis => item.responsibility_basis.clone(),
            ItemField::AccountableScope => item.accountable_scope.clone(),
            ItemField::AccountabilityCases => item.accountability_cases.clone(),
            ItemField::SupervisionPhone => item.supervision_phone.clone(),
            ItemField::Remarks => item.remarks.clone(),
        }
    }

    /// The unit a unit field refers to (`None` for other fields).
    pub fn unit(self, item: &Item) -> Option<Id> {
        match self {
            ItemField::HandlingUnit => item.handling_unit,
            ItemField::LeadUnit => item.coordination.as_ref().and_then(|c| c.lead_unit),
            ItemField::ReceivingUnit => item.withdrawal.as_ref().and_then(|w| w.receiving_unit),
            ItemField::RequestingUnit => item.assistance.as_ref().and_then(|a| a.requesting_unit),
            _ => None,
        }
    }

    /// Set the field from text already trimmed (`None` clears it), read by its kind. A unit
    /// field keeps the text; its unit is set with [`ItemField::set_unit`]. 事项名称 is not
    /// checked here (an empty name is the editor's refusal). A group (配合, 收回, 协助) left
    /// with nothing in it is removed, so the item reads as it did before.
    pub fn set(self, item: &mut Item, text: Option<String>) -> Result<(), FieldError> {
        match self {
            ItemField::Seq => item.seq = text,
            ItemField::Code => item.code = text,
            ItemField::Name => item.name = text.unwrap_or_default(),
            ItemField::SubItem => item.sub_item = text,
            ItemField::Category => item.category = text,
            ItemField::PowerType => item.power_type = text.as_deref().map(parse_power_type).transpose()?,
            ItemField::Basis => item.basis = text,
            ItemField::Subject => item.subject = text,
            ItemField::HandlingUnit => item.handling_unit_text = text,
            ItemField::LevelAndAuthority => item.level_and_authority = text,
            ItemField::DepartmentDuty => item.department_duty = text,
            ItemField::LeadUnit => item.coordination.get_or_insert_with(Default::default).lead_unit_text = text,
            ItemField::SuperiorDuty => item.coordination.get_or_insert_with(Default::default).superior_duty = text,
            ItemField::StreetDuty => item.coordination.get_or_insert_with(Default::default).street_duty = text,
            ItemField::ReceivingUnit => {
                item.withdrawal.get_or_insert_with(Default::default).receiving_unit_text = text
            }
            ItemField::WorkingMethod => item.withdrawal.get_or_insert_with(Default::default).working_method = text,
            ItemField::RequestingUnit => {
                item.assistance.get_or_insert_with(Default::default).requesting_unit_text = text
            }
            ItemField::FundingAmount => {
                let amount = text.as_deref().map(parse_amount).transpose()?;
                item.assistance.get_or_insert_with(Default::default).funding.amount_wan = amount;
            }
            ItemField::FundingSource => item.assistance.get_or_insert_with(Default::default).funding.source = text,
            ItemField::StaffCount => {
                let count = text.as_deref().map(parse_count).transpose()?;
                item.assistance.get_or_insert_with(Default::default).staff.count = count;
            }
            ItemField::StaffNote => item.assistance.get_or_insert_with(Default::default).staff.note = text,
            ItemField::Certificate => item.certificate_allowed = text.as_deref().map(parse_certificate).transpose()?,
            ItemField::Responsibility => item.responsibility = text,
            ItemField::ResponsibilityBasis => item.responsibility_basis = text,
            ItemField::AccountableScope => item.accountable_scope = text,
            ItemField::AccountabilityCases => item.accountability_cases = text,
            ItemField::SupervisionPhone => item.supervision_phone = text,
            ItemField::Remarks => item.remarks = text,
        }
        drop_empty_groups(item);
        Ok(())
    }

    /// Set the unit a unit field refers to (other fields are left alone).
    pub fn set_unit(self, item: &mut Item, unit: Option<Id>) {
        match self {
            ItemField::HandlingUnit => item.handling_unit = unit,
            ItemField::LeadUnit => item.coordination.get_or_insert_with(Default::default).lead_unit = unit,
            ItemField::ReceivingUnit => item.withdrawal.get_or_insert_with(Default::default).receiving_unit = unit,
            ItemField::RequestingUnit => item.assistance.get_or_insert_with(Default::default).requesting_unit = unit,
            _ => {}
        }
        drop_empty_groups(item);
    }
}

fn drop_empty_groups(item: &mut Item) {
    if item.coordination.as_ref().is_some_and(|g| *g == Default::default()) {
        item.coordination = None;
    }
    if item.withdrawal.as_ref().is_some_and(|g| *g == Default::default()) {
        item.withdrawal = None;
    }
    if item.assistance.as_ref().is_some_and(|g| *g == Default::default()) {
        item.assistance = None;
    }
}

/// "可出具" / "不得出具".
pub fn certificate_text(allowed: bool) -> &'static str {
    if allowed {
        "可出具"
    } else {
        "不得出具"
    }
}

/// A 权力类型 as written ("处罚", "行政处罚类") in its full form (行政处罚).
pub fn parse_power_type(text: &str) -> Result<String, FieldError> {
    PowerType::parse(text)
        .map(|p| p.label().to_string())
        .ok_or_else(|| FieldError::NotAPowerType { value: text.to_string() })
}

fn strip_suffixes<'t>(text: &'t str, suffixes: &[&str]) -> &'t str {
    let mut rest = text.trim();
    for suffix in suffixes {
        if let Some(stripped) = rest.strip_suffix(suffix) {
            rest = stripped.trim_end();
        }
    }
    rest
}

/// 经费 in 万元 per year: "20", "20.5", "20万元", "20 万元/年".
pub fn parse_amount(text: &str) -> Result<f64, FieldError> {
    let number = strip_suffixes(text, &["/年", "每年", "元", "万"]);
    number
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
        .ok_or(FieldError::NotANumber {
            field: ItemField::FundingAmount.label(),
            value: text.to_string(),
        })
}

/// 人员数: "2", "2人", "2 名".
pub fn parse_count(text: &str) -> Result<u32, FieldError> {
    strip_suffixes(text, &["人", "名"])
        .parse::<u32>()
        .map_err(|_| FieldError::NotANumber {
            field: ItemField::StaffCount.label(),
            value: text.to_string(),
        })
}

/// 可否出具: 可出具 / 不得出具, and the short answers.
pub fn parse_certificate(text: &str) -> Result<bool, FieldError> {
    match text {
        "可出具" | "可以出具" | "可" | "是" | "能" => Ok(true),
        "不得出具" | "不可出具" | "不予出具" | "不可" | "否" | "不能" => Ok(false),
        _ => Err(FieldError::NotACertificateAnswer { value: text.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// The row each field must have. The match is exhaustive: a new field does not compile
    /// until it is given its place here, and the test then fails until it has its row in
    /// `ITEM_FIELDS`.
    fn row_of(field: ItemField) -> usize {
        match field {
            ItemField::Seq => 0,
            ItemField::Code => 1,
            ItemField::Name => 2,
            ItemField::SubItem => 3,
            ItemField::Category => 4,
            ItemField::PowerType => 5,
            ItemField::Basis => 6,
            ItemField::Subject => 7,
            ItemField::HandlingUnit => 8,
            ItemField::LevelAndAuthority => 9,
            ItemField::DepartmentDuty => 10,
            ItemField::LeadUnit => 11,
            ItemField::SuperiorDuty => 12,
            ItemField::StreetDuty => 13,
            ItemField::ReceivingUnit => 14,
            ItemField::WorkingMethod => 15,
            ItemField::RequestingUnit => 16,
            ItemField::FundingAmount => 17,
            ItemField::FundingSource => 18,
            ItemField::StaffCount => 19,
            ItemField::StaffNote => 20,
            ItemField::Certificate => 21,
            ItemField::Responsibility => 22,
            ItemField::ResponsibilityBasis => 23,
            ItemField::AccountableScope => 24,
            ItemField::AccountabilityCases => 25,
            ItemField::SupervisionPhone => 26,
            ItemField::Remarks => 27,
        }
    }

    #[test]
    fn every_field_has_its_own_row_key_and_label() {
        for (index, spec) in ITEM_FIELDS.iter().enumerate() {
            assert_eq!(row_of(spec.field), index, "{:?} is in the wrong row", spec.field);
            assert_eq!(spec.field as usize, index);
            assert_eq!(serde_json::to_value(spec.field).ok(), Some(serde_json::Value::from(spec.key)));
            assert_eq!(ItemField::from_key(spec.key), Some(spec.field));
        }
        let labels: HashSet<&str> = ITEM_FIELDS.iter().map(|s| s.label).collect();
        assert_eq!(labels.len(), ITEM_FIELDS.len(), "labels are unique");
        assert_eq!(ItemField::ALL.to_vec(), ITEM_FIELDS.map(|s| s.field).to_vec());
    }

    #[test]
    fn numbers_are_read_with_their_units() {
        assert_eq!(parse_amount("20"), Ok(20.0));
        assert_eq!(parse_amount("20.5万元"), Ok(20.5));
        assert_eq!(parse_amount("20 万元/年"), Ok(20.0));
        assert!(parse_amount("二十").is_err());
        assert!(parse_amount("-3").is_err());
        assert_eq!(parse_count("2人"), Ok(2));
        assert_eq!(parse_count("3 名"), Ok(3));
        assert!(parse_count("2.5").is_err());
        assert_eq!(parse_certificate("不得出具"), Ok(false));
        assert_eq!(parse_certificate("可出具"), Ok(true));
        assert!(parse_certificate("看情况").is_err());
    }

    #[test]
    fn what_is_set_from_text_is_formatted_back() -> Result<(), FieldError> {
        let samples = [("权力类型", "处罚", "行政处罚"), ("经费", "20万元", "20"), ("人员数", "2人", "2"), ("可否", "是", "可出具")];
        for field in ItemField::ALL {
            let mut item = Item::default();
            let (written, read) = match field.kind() {
                FieldKind::PowerType => (samples[0].1, samples[0].2),
                FieldKind::Amount => (samples[1].1, samples[1].2),
                FieldKind::Count => (samples[2].1, samples[2].2),
                FieldKind::Certificate => (samples[3].1, samples[3].2),
                FieldKind::Text | FieldKind::Unit => ("文字", "文字"),
            };
            field.set(&mut item, Some(written.to_string()))?;
            assert_eq!(field.format(&item).as_deref(), Some(read), "{field:?}");
            field.set(&mut item, None)?;
            if field != ItemField::Name {
                assert_eq!(item, Item::default(), "{field:?} cleared leaves no empty group");
            }
        }
        Ok(())
    }
}
