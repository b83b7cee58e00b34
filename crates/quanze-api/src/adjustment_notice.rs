//! The 调整公告: what changed in a list from one published version to a later one, printed in
//! the GB/T 9704 layout of the other notices (`docs/adjustment.md`). It is a [`Notice`] of four
//! tables — 新增事项, 取消事项, 变更事项 (each changed field before and after), 下放·收回·划转
//! (from and to) — each row with the reason and basis of the change request behind it, or, for
//! a change made without one (an edit in the grid between the versions), the reason its audit
//! entry gives. The PDF, Excel and HTML writers render it like any notice.

use std::path::Path;

use quanze_domain::notice::{Notice, NoticeColumn, NoticeHeading, NoticeSection, Orientation};
use quanze_domain::{Id, Item};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::notice::{notice_bytes, write_file};
use crate::versions::{ChangedItem, FieldDifference, TransferredItem};
use crate::{Api, ApiError, NoticeFormat, VersionComparison, VersionSummary};

/// What 调整公告 to make: a list, the two versions by number (第 N 版), and the heading; every
/// heading field is optional (文号 and date default to the newer version's).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct AdjustmentNoticeRequest {
    pub list: Id,
    /// The older version's number.
    pub from: u32,
    /// The newer version's number; `None`: the list's latest version.
    #[serde(default)]
    pub to: Option<u32>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub doc_no: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub issuing_organ: Option<String>,
    #[serde(default)]
    pub intro: Option<String>,
    /// `None`: landscape (before and after side by side need the width).
    #[serde(default)]
    pub orientation: Option<Orientation>,
}

/// The four tables' names, in the order printed; also the 原始数据 sheet's groups.
const ADDED: &str = "新增事项";
const CANCELLED: &str = "取消事项";
const MODIFIED: &str = "变更事项";
const TRANSFERRED: &str = "下放·收回·划转事项";

/// Where an empty field shows in the 调整前 / 调整后 columns.
const EMPTY: &str = "（空）";

fn column(header: &str, field: &str) -> NoticeColumn {
    NoticeColumn { header: header.to_string(), field: field.to_string() }
}

fn date_text(date: &str) -> String {
    date.parse::<chrono::NaiveDate>()
        .map(|d| d.format("%Y年%-m月%-d日").to_string())
        .unwrap_or_else(|_| date.to_string())
}

/// "第 2 版（2026年12月1日，青编办〔2026〕31号）".
fn version_text(version: &VersionSummary) -> String {
    let mut parts = vec![date_text(&version.published_on)];
    parts.extend(version.doc_no.clone());
    format!("第 {} 版（{}）", version.number, parts.join("，"))
}

/// The reasons and bases given for an item, each once, joined.
fn reason_cells(comparison: &VersionComparison, item: Id) -> (String, String) {
    let mut reasons: Vec<&str> = Vec::new();
    let mut bases: Vec<&str> = Vec::new();
    for given in comparison.reasons_of(item) {
        if let Some(reason) = given.reason.as_deref().filter(|r| !reasons.contains(r)) {
            reasons.push(reason);
        }
        if let Some(basis) = given.basis.as_deref().filter(|b| !bases.contains(b)) {
            bases.push(basis);
        }
    }
    (reasons.join("；"), bases.join("；"))
}

/// A row of the 新增 or 取消 table.
fn item_row(comparison: &VersionComparison, n: usize, item: &Item) -> Vec<String> {
    let (reason, basis) = reason_cells(comparison, item.id);
    vec![(n + 1).to_string(), item.label(), item.basis.clone().unwrap_or_default(), reason, basis]
}

/// "实施依据：《…》第十条", one paragraph per changed field.
fn field_lines(differences: &[FieldDifference], side: fn(&FieldDifference) -> Option<&String>) -> String {
    differences
        .iter()
        .map(|d| format!("{}：{}", d.field, side(d).map_or(EMPTY, String::as_str)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn changed_row(comparison: &VersionComparison, n: usize, change: &ChangedItem) -> Vec<String> {
    let (reason, basis) = reason_cells(comparison, change.after.id);
    let name = if change.before.label() == change.after.label() {
        change.after.label()
    } else {
        format!("{}（原：{}）", change.after.label(), change.before.label())
    };
    vec![
        (n + 1).to_string(),
        name,
        field_lines(&change.differences, |d| d.before.as_ref()),
        field_lines(&change.differences, |d| d.after.as_ref()),
        reason,
        basis,
    ]
}

fn transfer_row(comparison: &VersionComparison, n: usize, moved: &TransferredItem) -> Vec<String> {
    let (reason, basis) = reason_cells(comparison, moved.item.id);
    vec![
        (n + 1).to_string(),
        moved.item.label(),
        moved.action.label().to_string(),
        moved.from_list_name.clone(),
        moved.to_list_name.clone(),
        reason,
        basis,
    ]
}

/// The four tables of a comparison.
fn adjustment_sections(comparison: &VersionComparison) -> Vec<NoticeSection> {
    let reason_columns = || [column("调整理由", "adjustment_reason"), column("调整依据", "adjustment_basis")];
    let listed = |extra: Vec<NoticeColumn>| {
        let mut columns = vec![column("序号", "seq"), column("事项名称", "name")];
        columns.extend(extra);
        columns.extend(reason_columns());
        columns
    };
    let transfers: Vec<&TransferredItem> =
        comparison.transferred_out.iter().chain(&comparison.transferred_in).collect();
    let tables = [
        (
            ADDED,
            listed(vec![column("实施依据", "basis")]),
            comparison.added.iter().enumerate().map(|(n, i)| item_row(comparison, n, i)).collect::<Vec<_>>(),
        ),
        (
            CANCELLED,
            listed(vec![column("实施依据", "basis")]),
            comparison.removed.iter().enumerate().map(|(n, i)| item_row(comparison, n, i)).collect(),
        ),
        (
            MODIFIED,
            listed(vec![column("调整前", "before"), column("调整后", "after")]),
            comparison.changed.iter().enumerate().map(|(n, c)| changed_row(comparison, n, c)).collect(),
        ),
        (
            TRANSFERRED,
            listed(vec![column("调整方式", "action"), column("调出清单", "from_list"), column("调入清单", "to_list")]),
            transfers.iter().enumerate().map(|(n, t)| transfer_row(comparison, n, t)).collect(),
        ),
    ];
    tables
        .into_iter()
        .enumerate()
        .map(|(n, (name, columns, rows))| NoticeSection {
            heading: Some(format!("{}、{name}（{}项）", ["一", "二", "三", "四"][n], rows.len())),
            columns,
            rows,
        })
        .collect()
}

/// The opening paragraph: which versions, and how many changes of each kind.
fn default_intro(list: &str, comparison: &VersionComparison, newer: &VersionSummary) -> String {
    let moved = comparison.transferred_out.len() + comparison.transferred_in.len();
    format!(
        "《{list}》自{}至{}作如下调整：新增事项 {} 项，取消事项 {} 项，变更事项 {} 项，下放、收回、划转事项 {moved} 项。现予公告。",
        version_text(&comparison.version),
        version_text(newer),
        comparison.added.len(),
        comparison.removed.len(),
        comparison.changed.len(),
    )
}

fn clean(value: &Option<String>) -> Option<String> {
    value.as_ref().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl Api {
    /// The comparison an 调整公告 prints: version `from` of the list against version `to` (its
    /// latest when `None`); `from` must be the older one.
    fn adjustment_comparison(&self, request: &AdjustmentNoticeRequest) -> Result<(String, VersionComparison, VersionSummary), ApiError> {
        let list = self.store.reader().list(request.list).map_err(|_| {
            ApiError::new(crate::ErrorCode::NotFound, format!("找不到清单 #{}", request.list))
        })?;
        let older = self.version_numbered(list.id, request.from)?;
        let newer = match request.to {
            Some(number) => self.version_numbered(list.id, number)?,
            None => self.versions_of(list.id)?.into_iter().next().unwrap_or_else(|| older.clone()),
        };
        if newer.number <= older.number {
            let hint = if request.to.is_none() { format!("（第 {} 版已是最新版本）", newer.number) } else { String::new() };
            return Err(ApiError::invalid_input(format!(
                "调整公告须从较早的版本到较晚的版本：第 {} 版 → 第 {} 版{hint}",
                older.number, newer.number
            )));
        }
        let comparison = self.compare_versions(older.id, Some(newer.id))?;
        Ok((list.name, comparison, newer))
    }

    /// The 调整公告 of a list between two of its versions, as the exporters will render it.
    pub fn build_adjustment_notice(&self, request: &AdjustmentNoticeRequest) -> Result<Notice, ApiError> {
        let (list, comparison, newer) = self.adjustment_comparison(request)?;
        Ok(adjustment_notice(request, &list, &comparison, &newer))
    }

    /// Render the 调整公告 of `request` as `format` into `out` (HTML from `templates` when
    /// given, like [`Api::write_notice`]). The Excel file's 原始数据 sheet holds every field of
    /// the items of each table (the changed ones as they are after the change).
    pub fn write_adjustment_notice(
        &self,
        request: &AdjustmentNoticeRequest,
        format: NoticeFormat,
        out: &Path,
        templates: Option<&Path>,
    ) -> Result<Notice, ApiError> {
        let (list, comparison, newer) = self.adjustment_comparison(request)?;
        let notice = adjustment_notice(request, &list, &comparison, &newer);
        let changed: Vec<Item> = comparison.changed.iter().map(|c| c.after.clone()).collect();
        let moved: Vec<Item> = comparison
            .transferred_out
            .iter()
            .chain(&comparison.transferred_in)
            .map(|t| t.item.clone())
            .collect();
        let raw = [
            quanze_export::RawSection { name: ADDED, items: &comparison.added },
            quanze_export::RawSection { name: CANCELLED, items: &comparison.removed },
            quanze_export::RawSection { name: MODIFIED, items: &changed },
            quanze_export::RawSection { name: TRANSFERRED, items: &moved },
        ];
        let bytes = notice_bytes(&notice, format, &raw, templates)?;
        write_file(out, &bytes)?;
        Ok(notice)
    }
}

/// The notice of a comparison, headed as `request` says or by default: “关于调整《X》的公告”,
/// the newer version's 文号 and date.
fn adjustment_notice(
    request: &AdjustmentNoticeRequest,
    list: &str,
    comparison: &VersionComparison,
    newer: &VersionSummary,
) -> Notice {
    Notice {
        heading: NoticeHeading {
            issuing_organ: clean(&request.issuing_organ),
            doc_no: clean(&request.doc_no).or_else(|| newer.doc_no.clone()),
            title: clean(&request.title).unwrap_or_else(|| format!("关于调整《{list}》的公告")),
            date: clean(&request.date).or_else(|| Some(date_text(&newer.published_on))),
            intro: clean(&request.intro).or_else(|| Some(default_intro(list, comparison, newer))),
        },
        sections: adjustment_sections(comparison),
        orientation: request.orientation.unwrap_or(Orientation::Landscape),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::ChangeReason;

    fn summary(number: u32, doc_no: Option<&str>) -> VersionSummary {
        VersionSummary {
            id: number,
            list: 1,
            number,
            published_on: "2026-12-01".to_string(),
            doc_no: doc_no.map(str::to_string),
            note: None,
            item_count: 2,
        }
    }

    fn item(id: Id, name: &str, basis: Option<&str>) -> Item {
        Item { id, name: name.to_string(), basis: basis.map(str::to_string), ..Item::default() }
    }

    #[test]
    fn each_change_is_a_row_of_its_table_with_its_reason() {
        let before = item(2, "旧名称", Some("《甲条例》"));
        let after = item(2, "新名称", Some("《乙条例》"));
        let comparison = VersionComparison {
            version: summary(1, None),
            to: Some(summary(2, Some("青编办〔2026〕31号"))),
            added: vec![item(3, "新增的事项", Some("《丙条例》"))],
            removed: vec![item(1, "取消的事项", None)],
            changed: vec![ChangedItem {
                before,
                after,
                fields: vec!["事项名称".into(), "实施依据".into()],
                differences: vec![
                    FieldDifference { field: "事项名称".into(), before: Some("旧名称".into()), after: Some("新名称".into()) },
                    FieldDifference { field: "实施依据".into(), before: None, after: Some("《乙条例》".into()) },
                ],
            }],
            transferred_out: Vec::new(),
            transferred_in: Vec::new(),
            unchanged: 5,
            reasons: vec![
                ChangeReason { item: 1, request: Some(7), reason: Some("依据废止".into()), basis: Some("国务院令".into()) },
                ChangeReason { item: 2, request: None, reason: Some("修改事项名称".into()), basis: None },
            ],
        };
        let request = AdjustmentNoticeRequest { list: 1, from: 1, ..AdjustmentNoticeRequest::default() };
        let newer = summary(2, Some("青编办〔2026〕31号"));
        let notice = adjustment_notice(&request, "某局权责清单", &comparison, &newer);
        assert_eq!(notice.heading.title, "关于调整《某局权责清单》的公告");
        assert_eq!(notice.heading.doc_no.as_deref(), Some("青编办〔2026〕31号"));
        assert_eq!(notice.heading.date.as_deref(), Some("2026年12月1日"));
        let intro = notice.heading.intro.unwrap_or_default();
        assert!(intro.contains("第 1 版（2026年12月1日）至第 2 版（2026年12月1日，青编办〔2026〕31号）"), "{intro}");
        assert!(intro.contains("新增事项 1 项，取消事项 1 项，变更事项 1 项，下放、收回、划转事项 0 项"), "{intro}");
        let headings: Vec<_> = notice.sections.iter().filter_map(|s| s.heading.clone()).collect();
        assert_eq!(headings, ["一、新增事项（1项）", "二、取消事项（1项）", "三、变更事项（1项）", "四、下放·收回·划转事项（0项）"]);
        assert_eq!(notice.sections[1].rows, [["1", "取消的事项", "", "依据废止", "国务院令"]]);
        assert_eq!(
            notice.sections[2].rows,
            [["1", "新名称（原：旧名称）", "事项名称：旧名称\n实施依据：（空）", "事项名称：新名称\n实施依据：《乙条例》", "修改事项名称", ""]]
        );
        for section in &notice.sections {
            assert!(section.rows.iter().all(|r| r.len() == section.columns.len()));
        }
    }
}
