//! The three-way comparison of a returning package (theirs) with this database (ours) and the
//! package it was made from (base), entity by entity by uid, field by field
//! (`docs/exchange.md` §合并规则). Pure: forms in, report and plan out.

use std::collections::{BTreeSet, HashMap};

use quanze_domain::Uid;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use quanze_domain::{EntityChange, FieldChange};

use super::form::{Form, FormEntity, Kind};

/// The field name a conflict about a whole entity carries (one side removed it, the other
/// changed it).
pub const WHOLE_ENTITY: &str = "*";

/// A field both sides changed, differently (or one side removed the entity the other
/// changed: `field` is `*`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Conflict {
    pub entity: String,
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub list: Option<String>,
    pub field: String,
    pub field_label: String,
    #[ts(type = "unknown")]
    pub base: Value,
    #[ts(type = "unknown")]
    pub ours: Value,
    #[ts(type = "unknown")]
    pub theirs: Value,
    /// What the merge does with it: `null` (undecided: the merge stops), `ours` or `theirs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub resolution: Option<Side>,
}

/// Which side a conflict is resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Ours,
    Theirs,
}

/// One step of the plan: what applying the merge writes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    /// Write their entity (new here, or back after we removed it).
    Add(Uid),
    /// Set (or clear, `None`) one field of ours to theirs.
    Set(Uid, String, Option<Value>),
    Remove(Uid),
}

/// The comparison: the report's parts and, for each, the steps that apply it.
#[derive(Debug, Default)]
pub(crate) struct Comparison {
    pub added: Vec<EntityChange>,
    pub changed: Vec<FieldChange>,
    pub removed: Vec<EntityChange>,
    pub conflicts: Vec<Conflict>,
    /// Entities of theirs that bring no change (equal to ours, or changes we already have).
    pub unchanged: u32,
    /// Steps applied whatever the decisions.
    pub steps: Vec<Step>,
    /// Per conflict (same index): the steps that take their side.
    pub conflict_steps: Vec<Vec<Step>>,
}

/// How values are shown in the report: references by the name of what they refer to.
pub(crate) struct Shown<'a> {
    pub names: &'a HashMap<Uid, String>,
}

impl Shown<'_> {
    fn value(&self, value: Option<&Value>) -> Value {
        match value {
            None => Value::Null,
            Some(Value::String(text)) => match Uid::parse(text).ok().and_then(|uid| self.names.get(&uid)) {
                Some(name) if text.len() == 36 => Value::String(name.clone()),
                _ => Value::String(text.clone()),
            },
            Some(Value::Array(values)) => Value::Array(values.iter().map(|v| self.value(Some(v))).collect()),
            Some(other) => other.clone(),
        }
    }
}

/// What a package covers, to tell "they removed it" from "it was never in their package".
pub(crate) struct Coverage<'a> {
    /// Every entity the package holds.
    pub theirs: &'a std::collections::HashSet<Uid>,
    /// The base was made for the same scope as theirs (then any entity of the base missing
    /// from theirs was removed by them; otherwise only items of lists they carry).
    pub same_scope: bool,
}

impl Coverage<'_> {
    fn covers(&self, base_entity: &FormEntity) -> bool {
        if base_entity.kind == Kind::Item {
            let list = base_entity.fields.get("list").and_then(Value::as_str).and_then(|u| Uid::parse(u).ok());
            return self.same_scope || list.is_some_and(|l| self.theirs.contains(&l));
        }
        // Versions and waivers are only ever added (a published version does not change).
        self.same_scope && !matches!(base_entity.kind, Kind::Version | Kind::Waiver)
    }
}

fn list_name(entity: &FormEntity, names: &HashMap<Uid, String>) -> Option<String> {
    if entity.kind != Kind::Item {
        return None;
    }
    let list = entity.fields.get("list").and_then(Value::as_str).and_then(|u| Uid::parse(u).ok())?;
    names.get(&list).cloned()
}

/// Compare. `base` is `None` when the package's base is unknown here (a first package from
/// an office): then every difference between ours and theirs is a conflict.
pub(crate) fn compare(base: Option<&Form>, ours: &Form, theirs: &Form, coverage: &Coverage<'_>, shown: &Shown<'_>) -> Comparison {
    let mut comparison = Comparison::default();
    let mut uids: Vec<&Uid> = theirs.entities.keys().collect();
    if let Some(base) = base {
        uids.extend(base.entities.keys().filter(|u| !coverage.theirs.contains(*u)));
    }
    uids.sort_by_key(|uid| {
        let entity = theirs.entities.get(*uid).or_else(|| base.and_then(|b| b.entities.get(*uid)));
        (entity.map(|e| e.kind), entity.map_or(0, |e| e.position), (*uid).clone())
    });
    for uid in uids {
        let b = base.and_then(|b| b.entities.get(uid));
        let o = ours.entities.get(uid);
        let t = theirs.entities.get(uid);
        compare_entity(uid, (b, o, t), base.is_some(), coverage, shown, &mut comparison);
    }
    comparison
}

fn change_of(uid: &Uid, entity: &FormEntity, names: &HashMap<Uid, String>) -> EntityChange {
    EntityChange {
        entity: entity.kind.label().to_string(),
        id: uid.to_string(),
        label: entity.label.clone(),
        list: list_name(entity, names),
    }
}

fn compare_entity(
    uid: &Uid,
    (b, o, t): (Option<&FormEntity>, Option<&FormEntity>, Option<&FormEntity>),
    base_known: bool,
    coverage: &Coverage<'_>,
    shown: &Shown<'_>,
    comparison: &mut Comparison,
) {
    match (b, o, t) {
        // New on their side.
        (None, None, Some(t)) => {
            comparison.added.push(change_of(uid, t, shown.names));
            comparison.steps.push(Step::Add(uid.clone()));
        }
        // Removed on their side.
        (Some(b), Some(o), None) if coverage.covers(b) => {
            if o.fields == b.fields {
                comparison.removed.push(change_of(uid, o, shown.names));
                comparison.steps.push(Step::Remove(uid.clone()));
            } else {
                whole_entity_conflict(uid, o, Some(b), (Value::from("已修改"), Value::from("已删除")), vec![Step::Remove(uid.clone())], shown, comparison);
            }
        }
        // Removed here: their changes to it are a conflict, no change is nothing.
        (Some(b), None, Some(t)) if t.fields != b.fields && !matches!(t.kind, Kind::Version | Kind::Waiver) => {
            whole_entity_conflict(uid, t, Some(b), (Value::from("已删除"), Value::from("已修改")), vec![Step::Add(uid.clone())], shown, comparison);
        }
        (b, Some(o), Some(t)) => {
            if matches!(t.kind, Kind::Version | Kind::Waiver) || o.fields == t.fields {
                comparison.unchanged += 1;
                return;
            }
            let before = comparison.changed.len() + comparison.conflicts.len();
            compare_fields(uid, b.filter(|_| base_known), o, t, shown, comparison);
            if comparison.changed.len() + comparison.conflicts.len() == before {
                comparison.unchanged += 1;
            }
        }
        _ => {}
    }
}

fn whole_entity_conflict(
    uid: &Uid,
    entity: &FormEntity,
    base: Option<&FormEntity>,
    (ours, theirs): (Value, Value),
    steps: Vec<Step>,
    shown: &Shown<'_>,
    comparison: &mut Comparison,
) {
    comparison.conflicts.push(Conflict {
        entity: entity.kind.label().to_string(),
        id: uid.to_string(),
        label: entity.label.clone(),
        list: list_name(entity, shown.names),
        field: WHOLE_ENTITY.to_string(),
        field_label: format!("整个{}", entity.kind.label()),
        base: base.map_or(Value::Null, |b| Value::String(b.label.clone())),
        ours,
        theirs,
        resolution: None,
    });
    comparison.conflict_steps.push(steps);
}

fn compare_fields(uid: &Uid, b: Option<&FormEntity>, o: &FormEntity, t: &FormEntity, shown: &Shown<'_>, comparison: &mut Comparison) {
    let keys: BTreeSet<&String> = o.fields.keys().chain(t.fields.keys()).collect();
    for key in keys {
        let (ov, tv) = (o.fields.get(key), t.fields.get(key));
        if ov == tv {
            continue;
        }
        let bv = b.and_then(|b| b.fields.get(key));
        let step = Step::Set(uid.clone(), key.clone(), tv.cloned());
        if b.is_some() && tv == bv {
            // Only we changed it: ours stays.
            continue;
        }
        if b.is_some() && ov == bv {
            comparison.changed.push(FieldChange {
                entity: t.kind.label().to_string(),
                id: uid.to_string(),
                label: o.label.clone(),
                list: list_name(t, shown.names),
                field: key.clone(),
                field_label: field_label(t.kind, key),
                before: shown.value(ov),
                after: shown.value(tv),
            });
            comparison.steps.push(step);
            continue;
        }
        comparison.conflicts.push(Conflict {
            entity: t.kind.label().to_string(),
            id: uid.to_string(),
            label: o.label.clone(),
            list: list_name(t, shown.names),
            field: key.clone(),
            field_label: field_label(t.kind, key),
            base: shown.value(bv),
            ours: shown.value(ov),
            theirs: shown.value(tv),
            resolution: None,
        });
        comparison.conflict_steps.push(vec![step]);
    }
}

/// A field's name as users know it: an item's column header, else a few words of our own.
pub(crate) fn field_label(kind: Kind, path: &str) -> String {
    if kind == Kind::Item {
        let renamed = match path {
            "assistance.funding.amount_wan" => "funding_amount",
            "assistance.funding.source" => "funding_source",
            "assistance.staff.count" => "staff_count",
            "assistance.staff.note" => "staff_note",
            "certificate_allowed" => "certificate",
            other => other.rsplit('.').next().unwrap_or(other),
        };
        let (name, as_written) = match renamed.strip_suffix("_text") {
            Some(name) => (name, "（原文）"),
            None => (renamed, ""),
        };
        if let Ok(field) = serde_json::from_value::<quanze_domain::ItemField>(Value::String(name.to_string())) {
            return format!("{}{as_written}", field.label());
        }
    }
    let known = match path {
        "name" => "名称",
        "list" => "所在清单",
        "parent" => "上级",
        "jurisdiction" => "所属辖区",
        "unit" => "所属机构",
        "kind" => "类别",
        "level" => "层级",
        "post" => "职务",
        "phone" => "电话",
        "note" => "备注",
        "extra" => "附加字段",
        "provenance.file" | "provenance.sheet" | "provenance.row" | "provenance.merged_rows" => "来源",
        "leaders_in_charge" => "分管领导",
        "template_slot" => "模板岗位",
        "staffing.admin_posts" => "行政编制",
        "staffing.institution_posts" => "事业编制",
        "staffing.actual_headcount" => "实有人数",
        "staffing.leader_posts_approved" => "领导职数（核定）",
        "staffing.leader_posts_actual" => "领导职数（实配）",
        "state" => "状态",
        "history" => "办理记录",
        "review_opinion" => "审核意见",
        "item_name" => "事项名称",
        "responsible_person" => "责任人",
        "admin_code" => "行政区划代码",
        "org_template" => "机构模板",
        _ => path,
    };
    known.to_string()
}
