//! `quanze publish`, `quanze versions` (and `versions compare A B`) and `quanze compare`: published
//! versions of a list, and any two of them (or one and the list now) compared field by field.

use clap::Subcommand;
use quanze_api::{Api, ApiError, PublishRequest, VersionComparison, VersionSummary};

use crate::output::{text_or_json, visible};

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

#[derive(Subcommand)]
pub enum VersionsCommand {
    /// 比较两个版本（或一个版本与清单现状）：逐字段列出新增、取消、变更与下放·收回·划转，附调整理由
    Compare {
        /// 较早的版本：有 --list 时为版本号（第 N 版），否则为版本编号（#编号）
        from: String,
        /// 较晚的版本（写法同上）；“当前”或 current 表示清单现状
        to: String,
        /// 清单编号或全名（版本按第 N 版指定）
        #[arg(long, value_name = "LIST")]
        list: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

/// `quanze versions --list L` (the list's versions) or `quanze versions compare A B`.
pub fn run(api: &Api, list: Option<String>, json: bool, command: Option<VersionsCommand>) -> Result<String, ApiError> {
    match command {
        None => {
            let list = list.ok_or_else(|| ApiError::invalid_input("请用 --list 指定清单（编号或全名）"))?;
            self::list(api, &list, json)
        }
        Some(VersionsCommand::Compare { from, to, list: own_list, json: own_json }) => {
            let list = own_list.or(list).map(|l| api.find_list(&l)).transpose()?;
            let from = version_id(api, list, &from)?
                .ok_or_else(|| ApiError::invalid_input("较早的一方须是已发布的版本；“当前”只能写在后面"))?;
            let to = version_id(api, list, &to)?;
            let comparison = api.compare_versions(from, to)?;
            text_or_json(json || own_json, &comparison, render)
        }
    }
}

/// A version as the command line names it: 第 N 版 of `list` (a number, or "第 N 版"), else a
/// version id (`#12` or `12`); `None` for the list as it is now (当前, current).
fn version_id(api: &Api, list: Option<u32>, text: &str) -> Result<Option<u32>, ApiError> {
    let text = text.trim();
    if matches!(text, "当前" | "现状" | "current" | "now") {
        return Ok(None);
    }
    let digits = text.trim_start_matches('#').trim_start_matches('第').trim_end_matches('版').trim();
    let number: u32 = digits.parse().map_err(|_| {
        ApiError::invalid_input(format!("无法识别版本“{text}”：请写版本号（有 --list 时）或 #编号，或“当前”"))
    })?;
    match list {
        Some(list) => Ok(Some(api.version_numbered(list, number)?.id)),
        None => Ok(Some(number)),
    }
}

pub fn compare(api: &Api, version: u32, json: bool) -> Result<String, ApiError> {
    let comparison = api.compare_with_version(version)?;
    text_or_json(json, &comparison, render)
}

fn side(v: &VersionSummary) -> String {
    format!("第 {} 版（{}）", v.number, v.published_on)
}

/// "（理由：…；依据：…）" of an item, or nothing.
fn why(c: &VersionComparison, item: u32) -> String {
    let reasons: Vec<String> = c
        .reasons_of(item)
        .map(|r| {
            let mut text = format!("理由：{}", r.reason.as_deref().unwrap_or(""));
            if let Some(basis) = &r.basis {
                text.push_str(&format!("；依据：{basis}"));
            }
            if let Some(request) = r.request {
                text.push_str(&format!("；调整申请 #{request}"));
            }
            text
        })
        .collect();
    if reasons.is_empty() {
        String::new()
    } else {
        format!("（{}）", reasons.join("；"))
    }
}

fn render(c: &VersionComparison) -> String {
    let moved = if c.transferred_out.is_empty() && c.transferred_in.is_empty() {
        String::new()
    } else {
        format!("，调出 {}，调入 {}", c.transferred_out.len(), c.transferred_in.len())
    };
    let head = match &c.to {
        Some(to) => format!("{} → {}：", side(&c.version), side(to)),
        None => format!("与{}相比：", side(&c.version)),
    };
    let mut text = format!(
        "{head}新增 {}，删除 {}，修改 {}{moved}，未变 {}\n",
        c.added.len(),
        c.removed.len(),
        c.changed.len(),
        c.unchanged
    );
    for item in &c.added {
        text.push_str(&format!("  + {}{}\n", visible(&item.label()), why(c, item.id)));
    }
    for item in &c.removed {
        text.push_str(&format!("  - {}{}\n", visible(&item.label()), why(c, item.id)));
    }
    for (sign, moved) in c.transferred_out.iter().map(|t| ("→", t)).chain(c.transferred_in.iter().map(|t| ("←", t))) {
        text.push_str(&format!(
            "  {sign} {}：{}，“{}” → “{}”{}\n",
            visible(&moved.item.label()),
            moved.action.label(),
            visible(&moved.from_list_name),
            visible(&moved.to_list_name),
            why(c, moved.item.id)
        ));
    }
    for change in &c.changed {
        let name = if change.before.name == change.after.name {
            change.after.name.clone()
        } else {
            format!("{} → {}", change.before.name, change.after.name)
        };
        text.push_str(&format!("  ~ {}（{}）{}\n", visible(&name), change.fields.join("、"), why(c, change.after.id)));
        for d in &change.differences {
            let shown = |t: &Option<String>| t.as_deref().map_or("（空）".to_string(), |t| visible(t).into_owned());
            text.push_str(&format!("      {}：{} → {}\n", d.field, shown(&d.before), shown(&d.after)));
        }
    }
    text
}
