//! `quanze publish`, `quanze versions` and `quanze compare`: published versions of a list.

use quanze_api::{Api, ApiError, PublishRequest, VersionComparison, VersionSummary};

use crate::output::text_or_json;

fn describe(v: &VersionSummary) -> String {
    format!(
        "#{}  第 {} 版  {}  {}  {} 项{}\n",
        v.id,
        v.number,
        v.published_on,
        v.doc_no.as_deref().unwrap_or("（无文号）"),
        v.item_count,
        v.note.as_deref().map(|n| format!("  {n}")).unwrap_or_default()
    )
}

pub fn publish(
    api: &mut Api,
    actor: &str,
    list: &str,
    date: Option<&str>,
    doc_no: Option<String>,
    note: Option<String>,
    despite_findings: Option<String>,
) -> Result<String, ApiError> {
    let list = api.find_list(list)?;
    let published_on = crate::admission::parse_date(date)?;
    let version = api.publish_version(PublishRequest { list, published_on, doc_no, note, despite_findings }, actor)?;
    Ok(format!("已发布：{}", describe(&version)))
}

pub fn list(api: &Api, list: &str, json: bool) -> Result<String, ApiError> {
    let versions = api.versions_of(api.find_list(list)?)?;
    text_or_json(json, &versions, |versions| {
        let mut text: String = versions.iter().map(describe).collect();
        text.push_str(&format!("共 {} 个版本\n", versions.len()));
        text
    })
}

pub fn compare(api: &Api, version: u32, json: bool) -> Result<String, ApiError> {
    let comparison = api.compare_with_version(version)?;
    text_or_json(json, &comparison, render)
}

fn render(c: &VersionComparison) -> String {
    let mut text = format!(
        "与第 {} 版（{}）相比：新增 {}，删除 {}，修改 {}，未变 {}\n",
        c.version.number,
        c.version.published_on,
        c.added.len(),
        c.removed.len(),
        c.changed.len(),
        c.unchanged
    );
    for item in &c.added {
        text.push_str(&format!("  + {}\n", item.name));
    }
    for item in &c.removed {
        text.push_str(&format!("  - {}\n", item.name));
    }
    for change in &c.changed {
        let name = if change.before.name == change.after.name {
            change.after.name.clone()
        } else {
            format!("{} → {}", change.before.name, change.after.name)
        };
        text.push_str(&format!("  ~ {name}（{}）\n", change.fields.join("、")));
    }
    text
}
