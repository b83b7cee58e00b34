//! View models: what the screens and the CLI show, assembled from the store's reads.

use std::collections::HashMap;

use quanze_domain::{DutyList, Id, Item, Jurisdiction, Level, ListKind};
use quanze_store::Reader;
use serde::Serialize;
use ts_rs::TS;

use crate::ApiError;

/// A list as shown in lists and trees: its place and its size, without items.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ListSummary {
    pub id: Id,
    pub name: String,
    pub kind: ListKind,
    pub jurisdiction: Id,
    pub jurisdiction_name: String,
    pub level: Level,
    pub unit: Option<Id>,
    pub unit_name: Option<String>,
    pub items: u32,
}

/// A node of the jurisdiction tree (区 → 街道 → 社区) with its counts.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct JurisdictionNode {
    pub id: Id,
    pub name: String,
    pub level: Level,
    pub designation: Option<String>,
    pub org_template: Option<String>,
    /// Units of this jurisdiction itself.
    pub unit_count: u32,
    /// Lists of this jurisdiction itself (including its units' lists).
    pub list_count: u32,
    /// Items in those lists.
    pub item_count: u32,
    /// Items in this jurisdiction and every one below it.
    pub total_item_count: u32,
    pub children: Vec<JurisdictionNode>,
}

/// What the main window shows on opening.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Overview {
    pub database_path: String,
    /// Opened read-only (no write permission): the app shows it and every change is refused.
    pub read_only: bool,
    /// No jurisdiction at all: a fresh database, for which the app offers the sample district.
    pub empty: bool,
    pub item_count: u32,
    pub tree: Vec<JurisdictionNode>,
    pub lists: Vec<ListSummary>,
}

/// A page of a list's items.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ItemPage {
    pub list: ListSummary,
    pub total: u32,
    pub offset: u32,
    pub items: Vec<Item>,
    /// Names of the units the items refer to (承办机构, 主责部门 …), by id.
    pub unit_names: HashMap<Id, String>,
}

/// An item found by search, with the list it belongs to, the field where the query was found
/// and a snippet of that field around the match.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SearchHit {
    pub item: Item,
    pub list: ListSummary,
    /// The field's label as the editor shows it (事项名称, 实施依据, an extra column's header).
    pub field: String,
    /// The field's text around the first match (at most 60 characters, `…` where cut).
    pub snippet: String,
}

pub(crate) struct Names {
    jurisdictions: HashMap<Id, Jurisdiction>,
    pub(crate) units: HashMap<Id, String>,
    counts: HashMap<Id, u32>,
}

/// Every unit's name by id (what cells, findings and posters show for a unit field).
pub(crate) fn unit_names(reader: &Reader<'_>) -> Result<HashMap<Id, String>, ApiError> {
    Ok(reader.units()?.into_iter().map(|u| (u.id, u.name)).collect())
}

impl Names {
    pub(crate) fn read(reader: &Reader<'_>) -> Result<Names, ApiError> {
        Ok(Names {
            jurisdictions: reader
                .jurisdictions()?
                .into_iter()
                .map(|j| (j.id, j))
                .collect(),
            units: unit_names(reader)?,
            counts: reader.item_counts()?,
        })
    }

    pub(crate) fn summary(&self, list: &DutyList) -> ListSummary {
        let jurisdiction = self.jurisdictions.get(&list.jurisdiction);
        ListSummary {
            id: list.id,
            name: list.name.clone(),
            kind: list.kind,
            jurisdiction: list.jurisdiction,
            jurisdiction_name: jurisdiction.map(|j| j.name.clone()).unwrap_or_default(),
            level: jurisdiction.map_or(Level::District, |j| j.level),
            unit: list.unit,
            unit_name: list.unit.and_then(|u| self.units.get(&u).cloned()),
            items: self.counts.get(&list.id).copied().unwrap_or(0),
        }
    }
}

pub(crate) fn list_summaries(reader: &Reader<'_>) -> Result<Vec<ListSummary>, ApiError> {
    let names = Names::read(reader)?;
    Ok(reader.lists()?.iter().map(|l| names.summary(l)).collect())
}

pub(crate) fn overview(reader: &Reader<'_>, path: &str) -> Result<Overview, ApiError> {
    let names = Names::read(reader)?;
    let lists: Vec<ListSummary> = reader.lists()?.iter().map(|l| names.summary(l)).collect();
    let units = reader.units()?;

    let mut unit_count: HashMap<Id, u32> = HashMap::new();
    for unit in &units {
        *unit_count.entry(unit.jurisdiction).or_default() += 1;
    }
    let mut list_count: HashMap<Id, u32> = HashMap::new();
    let mut item_count: HashMap<Id, u32> = HashMap::new();
    for list in &lists {
        *list_count.entry(list.jurisdiction).or_default() += 1;
        *item_count.entry(list.jurisdiction).or_default() += list.items;
    }
    let mut children: HashMap<Option<Id>, Vec<&Jurisdiction>> = HashMap::new();
    let mut ordered: Vec<&Jurisdiction> = names.jurisdictions.values().collect();
    ordered.sort_by_key(|j| j.id);
    for j in ordered {
        // A parent missing from this database (a bundle of one street) makes the node a root.
        let parent = j.parent.filter(|p| names.jurisdictions.contains_key(p));
        children.entry(parent).or_default().push(j);
    }

    /// Units, lists and items per jurisdiction.
    type Counts<'a> = (&'a HashMap<Id, u32>, &'a HashMap<Id, u32>, &'a HashMap<Id, u32>);

    fn build(
        j: &Jurisdiction,
        children: &HashMap<Option<Id>, Vec<&Jurisdiction>>,
        counts: Counts<'_>,
        depth: usize,
    ) -> JurisdictionNode {
        let (units, lists, items) = counts;
        let kids: Vec<JurisdictionNode> = if depth > 8 {
            Vec::new() // levels nest three deep; this only guards against a corrupt cycle
        } else {
            children
                .get(&Some(j.id))
                .map(|v| v.iter().map(|c| build(c, children, counts, depth + 1)).collect())
                .unwrap_or_default()
        };
        let own = items.get(&j.id).copied().unwrap_or(0);
        JurisdictionNode {
            id: j.id,
            name: j.name.clone(),
            level: j.level,
            designation: j.designation.clone(),
            org_template: j.org_template.clone(),
            unit_count: units.get(&j.id).copied().unwrap_or(0),
            list_count: lists.get(&j.id).copied().unwrap_or(0),
            item_count: own,
            total_item_count: own + kids.iter().map(|k| k.total_item_count).sum::<u32>(),
            children: kids,
        }
    }

    let tree: Vec<JurisdictionNode> = children
        .get(&None)
        .map(|roots| {
            roots
                .iter()
                .map(|r| build(r, &children, (&unit_count, &list_count, &item_count), 0))
                .collect()
        })
        .unwrap_or_default();
    Ok(Overview {
        database_path: path.to_string(),
        read_only: false,
        empty: names.jurisdictions.is_empty(),
        item_count: lists.iter().map(|l| l.items).sum(),
        tree,
        lists,
    })
}

fn referenced_units(item: &Item) -> impl Iterator<Item = Id> + '_ {
    [
        item.handling_unit,
        item.coordination.as_ref().and_then(|c| c.lead_unit),
        item.withdrawal.as_ref().and_then(|w| w.receiving_unit),
        item.assistance.as_ref().and_then(|a| a.requesting_unit),
    ]
    .into_iter()
    .flatten()
}

pub(crate) fn item_page(
    reader: &Reader<'_>,
    list: Id,
    offset: u32,
    limit: u32,
) -> Result<ItemPage, ApiError> {
    let names = Names::read(reader)?;
    let summary = names.summary(&reader.list(list)?);
    let items = reader.items(list, offset, limit)?;
    let unit_names = items
        .iter()
        .flat_map(referenced_units)
        .filter_map(|id| names.units.get(&id).map(|n| (id, n.clone())))
        .collect();
    Ok(ItemPage {
        total: summary.items,
        list: summary,
        offset,
        items,
        unit_names,
    })
}

pub(crate) fn search(
    reader: &Reader<'_>,
    query: &str,
    limit: u32,
) -> Result<Vec<SearchHit>, ApiError> {
    let names = Names::read(reader)?;
    let lists: HashMap<Id, ListSummary> = reader
        .lists()?
        .iter()
        .map(|l| (l.id, names.summary(l)))
        .collect();
    Ok(reader
        .search(query, limit)?
        .into_iter()
        .filter_map(|hit| {
            lists.get(&hit.list).map(|list| SearchHit {
                item: hit.item,
                list: list.clone(),
                field: hit.field,
                snippet: hit.snippet,
            })
        })
        .collect())
}
