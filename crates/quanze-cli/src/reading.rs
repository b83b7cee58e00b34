//! `quanze lists`, `search` and `history`: reading what the database holds.

use quanze_api::{Api, ApiError, ListSummary};
use serde::Serialize;

use crate::output::text_or_json;

/// One list as `quanze lists --json` prints it: names resolved, ids kept beside them.
#[derive(Serialize)]
struct ListRow<'a> {
    id: u32,
    name: &'a str,
    kind: &'static str,
    jurisdiction: &'a str,
    jurisdiction_id: u32,
    level: &'static str,
    unit: Option<&'a str>,
    unit_id: Option<u32>,
    items: u32,
}

impl<'a> From<&'a ListSummary> for ListRow<'a> {
    fn from(l: &'a ListSummary) -> Self {
        ListRow {
            id: l.id,
            name: &l.name,
            kind: l.kind.label(),
            jurisdiction: &l.jurisdiction_name,
            jurisdiction_id: l.jurisdiction,
            level: l.level.label(),
            unit: l.unit_name.as_deref(),
            unit_id: l.unit,
            items: l.items,
        }
    }
}

pub fn lists(api: &Api, json: bool) -> Result<String, ApiError> {
    let lists = api.lists()?;
    let rows: Vec<ListRow<'_>> = lists.iter().map(ListRow::from).collect();
    text_or_json(json, &rows, |_| {
        let mut text = String::from("编号\t类别\t辖区（层级）\t机构\t事项数\t名称\n");
        for l in &lists {
            text.push_str(&format!(
                "{}\t{}\t{}（{}）\t{}\t{}\t{}\n",
                l.id,
                l.kind.label(),
                l.jurisdiction_name,
                l.level.label(),
                l.unit_name.as_deref().unwrap_or("—"),
                l.items,
                l.name
            ));
        }
        text.push_str(&format!("共 {} 个清单\n", lists.len()));
        text
    })
}

pub fn search(api: &Api, query: &str, limit: u32, json: bool) -> Result<String, ApiError> {
    let hits = api.search(query, limit)?;
    text_or_json(json, &hits, |hits| {
        let mut shown = String::new();
        for hit in hits {
            let name = match &hit.item.sub_item {
                Some(sub) => format!("{}（{sub}）", hit.item.name),
                None => hit.item.name.clone(),
            };
            shown.push_str(&format!(
                "{name}\n    清单：{}（{}）  机构：{}  辖区：{}\n",
                hit.list.name,
                hit.list.kind.label(),
                hit.item
                    .handling_unit_text
                    .as_deref()
                    .or(hit.list.unit_name.as_deref())
                    .unwrap_or("—"),
                hit.list.jurisdiction_name
            ));
            if hit.field != "事项名称" {
                shown.push_str(&format!("    {}：{}\n", hit.field, hit.snippet));
            }
        }
        shown.push_str(&format!("找到 {} 项\n", hits.len()));
        shown
    })
}

pub fn history(api: &Api, limit: u32, json: bool) -> Result<String, ApiError> {
    let entries = api.history(limit)?;
    text_or_json(json, &entries, |entries| {
        let mut text = String::new();
        for e in entries {
            text.push_str(&format!(
                "{}  {}  {}{} {} {}{}\n",
                e.at,
                e.actor,
                e.action,
                e.entity,
                match e.entity_id_last.filter(|last| *last != e.entity_id) {
                    Some(last) => format!("#{}–#{last}", e.entity_id),
                    None => format!("#{}", e.entity_id),
                },
                e.label,
                e.reason
                    .as_deref()
                    .map(|r| format!("  （{r}）"))
                    .unwrap_or_default()
            ));
        }
        text
    })
}
