//! The item fields a column can fill, and the header synonym table (data, in
//! `templates/import/synonyms.yaml`, compiled in).

use std::collections::BTreeMap;

use quanze_domain::ItemField;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::ImportError;
use crate::text::normalize_header;

/// The synonym table shipped with Quanze.
pub const DEFAULT_SYNONYMS_YAML: &str = include_str!("../../../templates/import/synonyms.yaml");

/// An item field a column maps onto. Serialized as the ids used in the synonym table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Seq,
    Code,
    Name,
    SubItem,
    PowerType,
    Category,
    Basis,
    Subject,
    HandlingUnit,
    LevelAndAuthority,
    DepartmentDuty,
    Responsibility,
    ResponsibilityBasis,
    AccountableScope,
    AccountabilityCases,
    Remarks,
    SupervisionPhone,
    LeadUnit,
    SuperiorDuty,
    StreetDuty,
    ReceivingUnit,
    WorkingMethod,
}

impl Field {
    pub const ALL: [Field; 22] = [
        Field::Seq,
        Field::Code,
        Field::Name,
        Field::SubItem,
        Field::PowerType,
        Field::Category,
        Field::Basis,
        Field::Subject,
        Field::HandlingUnit,
        Field::LevelAndAuthority,
        Field::DepartmentDuty,
        Field::Responsibility,
        Field::ResponsibilityBasis,
        Field::AccountableScope,
        Field::AccountabilityCases,
        Field::Remarks,
        Field::SupervisionPhone,
        Field::LeadUnit,
        Field::SuperiorDuty,
        Field::StreetDuty,
        Field::ReceivingUnit,
        Field::WorkingMethod,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Field::Seq => "seq",
            Field::Code => "code",
            Field::Name => "name",
            Field::SubItem => "sub_item",
            Field::PowerType => "power_type",
            Field::Category => "category",
            Field::Basis => "basis",
            Field::Subject => "subject",
            Field::HandlingUnit => "handling_unit",
            Field::LevelAndAuthority => "level_and_authority",
            Field::DepartmentDuty => "department_duty",
            Field::Responsibility => "responsibility",
            Field::ResponsibilityBasis => "responsibility_basis",
            Field::AccountableScope => "accountable_scope",
            Field::AccountabilityCases => "accountability_cases",
            Field::Remarks => "remarks",
            Field::SupervisionPhone => "supervision_phone",
            Field::LeadUnit => "lead_unit",
            Field::SuperiorDuty => "superior_duty",
            Field::StreetDuty => "street_duty",
            Field::ReceivingUnit => "receiving_unit",
            Field::WorkingMethod => "working_method",
        }
    }

    /// The Chinese name users read (the standard header): the label of the item field it
    /// fills, from `quanze_domain::ITEM_FIELDS`.
    pub fn label(self) -> &'static str {
        self.item_field().label()
    }

    /// The item field a column mapped onto this field fills.
    pub fn item_field(self) -> ItemField {
        match self {
            Field::Seq => ItemField::Seq,
            Field::Code => ItemField::Code,
            Field::Name => ItemField::Name,
            Field::SubItem => ItemField::SubItem,
            Field::PowerType => ItemField::PowerType,
            Field::Category => ItemField::Category,
            Field::Basis => ItemField::Basis,
            Field::Subject => ItemField::Subject,
            Field::HandlingUnit => ItemField::HandlingUnit,
            Field::LevelAndAuthority => ItemField::LevelAndAuthority,
            Field::DepartmentDuty => ItemField::DepartmentDuty,
            Field::Responsibility => ItemField::Responsibility,
            Field::ResponsibilityBasis => ItemField::ResponsibilityBasis,
            Field::AccountableScope => ItemField::AccountableScope,
            Field::AccountabilityCases => ItemField::AccountabilityCases,
            Field::Remarks => ItemField::Remarks,
            Field::SupervisionPhone => ItemField::SupervisionPhone,
            Field::LeadUnit => ItemField::LeadUnit,
            Field::SuperiorDuty => ItemField::SuperiorDuty,
            Field::StreetDuty => ItemField::StreetDuty,
            Field::ReceivingUnit => ItemField::ReceivingUnit,
            Field::WorkingMethod => ItemField::WorkingMethod,
        }
    }

    pub fn from_id(id: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.id() == id || f.label() == id)
    }

    /// Short fields are names and codes: line breaks inside them are wrapping, folded away.
    /// Long fields keep their line breaks.
    pub fn is_short(self) -> bool {
        matches!(
            self,
            Field::Seq
                | Field::Code
                | Field::Name
                | Field::SubItem
                | Field::PowerType
                | Field::Category
                | Field::Subject
                | Field::HandlingUnit
                | Field::SupervisionPhone
                | Field::LeadUnit
                | Field::ReceivingUnit
        )
    }
}

#[derive(Debug, Deserialize)]
struct FileFormat {
    fields: BTreeMap<String, FieldEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldEntry {
    #[allow(dead_code)]
    label: Option<String>,
    #[serde(default)]
    exact: Vec<serde_norway::Value>,
    #[serde(default)]
    contains: Vec<serde_norway::Value>,
}

/// How a header was recognized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub field: Field,
    /// The synonym (as written in the table) that matched.
    pub synonym: String,
    pub exact: bool,
}

/// The synonym table, normalized for lookup.
#[derive(Debug, Clone)]
pub struct Synonyms {
    exact: BTreeMap<String, (Field, String)>,
    contains: Vec<(String, Field, String)>,
}

fn value_text(v: &serde_norway::Value) -> Option<String> {
    match v {
        serde_norway::Value::String(s) => Some(s.clone()),
        serde_norway::Value::Number(n) => Some(n.to_string()),
        serde_norway::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Synonyms {
    /// The table shipped with Quanze.
    pub fn builtin() -> Result<Synonyms, ImportError> {
        Synonyms::from_yaml(DEFAULT_SYNONYMS_YAML)
    }

    pub fn from_yaml(text: &str) -> Result<Synonyms, ImportError> {
        let parsed: FileFormat =
            serde_norway::from_str(text).map_err(|e| ImportError::Synonyms(e.to_string()))?;
        let mut exact = BTreeMap::new();
        let mut contains = Vec::new();
        for (id, entry) in parsed.fields {
            let field = Field::from_id(&id)
                .ok_or_else(|| ImportError::Synonyms(format!("未知的字段“{id}”")))?;
            // The field's own label always matches.
            exact
                .entry(normalize_header(field.label()))
                .or_insert((field, field.label().to_string()));
            for value in &entry.exact {
                let synonym = value_text(value).ok_or_else(|| {
                    ImportError::Synonyms(format!("字段“{id}”的同义词必须是文字"))
                })?;
                let key = normalize_header(&synonym);
                if let Some((other, _)) = exact.get(&key) {
                    if *other != field {
                        return Err(ImportError::Synonyms(format!(
                            "同义词“{synonym}”同时属于“{}”和“{}”",
                            other.id(),
                            field.id()
                        )));
                    }
                }
                exact.insert(key, (field, synonym));
            }
            for value in &entry.contains {
                let synonym = value_text(value).ok_or_else(|| {
                    ImportError::Synonyms(format!("字段“{id}”的同义词必须是文字"))
                })?;
                contains.push((normalize_header(&synonym), field, synonym));
            }
        }
        // Longest first, so that the most specific "contains" rule wins.
        contains.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        Ok(Synonyms { exact, contains })
    }

    /// Recognize a header cell.
    pub fn lookup(&self, header: &str) -> Option<Match> {
        self.lookup_normalized(&normalize_header(header))
    }

    /// [`Synonyms::lookup`] of a header already passed through [`normalize_header`].
    pub fn lookup_normalized(&self, key: &str) -> Option<Match> {
        if key.is_empty() {
            return None;
        }
        if let Some((field, synonym)) = self.exact.get(key) {
            return Some(Match {
                field: *field,
                synonym: synonym.clone(),
                exact: true,
            });
        }
        // A long cell is data, not a header: "contains" applies only to short texts.
        if key.chars().count() > 16 {
            return None;
        }
        self.contains
            .iter()
            .find(|(needle, _, _)| key.contains(needle.as_str()))
            .map(|(_, field, synonym)| Match {
                field: *field,
                synonym: synonym.clone(),
                exact: false,
            })
    }
}

#[cfg(test)]
mod field_tests {
    use super::*;

    #[test]
    fn each_field_fills_the_item_field_of_its_id() {
        for field in Field::ALL {
            assert_eq!(field.id(), field.item_field().key(), "{field:?}");
        }
    }
}
