//! What an import found and did, per file and sheet: serializable (the CLI's `--json`, the
//! preview screen) and printable ([`render_report`]).

use std::fmt::Write as _;

use quanze_domain::{EntityChange, FieldChange, Id};
use serde::Serialize;
use ts_rs::TS;

use crate::synonyms::Field;
use crate::raw::Format;

/// How one column is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ColumnMapping {
    /// Column letters, e.g. "H".
    pub column: String,
    /// 1-based column number.
    pub index: u32,
    /// The header as written (line breaks folded); empty when the column has none.
    pub header: String,
    /// The item field filled, when the column maps to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<Field>,
    /// The field's Chinese name, or "附加字段" for a column kept as an extra field.
    pub field_label: String,
    /// For an extra field: the header it is kept under.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra_header: Option<String>,
    /// The synonym of the table that matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub synonym: Option<String>,
    /// 1 for the first column of a field; 2, 3 … for further columns of the same field
    /// (a header spanning two columns, a duplicated header): their values are joined.
    pub part: u32,
    /// How the mapping was decided: 同义词 / 包含 / 合并表头 / 重复列 / 未识别 / 无表头 / 指定.
    pub source: String,
}

/// A row folded into an item (it created no item of its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MergedRow {
    /// 1-based row number.
    pub row: u32,
    /// The row where the item starts.
    pub into_row: u32,
    /// 合并单元格 (a row inside vertically merged cells, with nothing of its own) or 续行 (a
    /// row continuing text fields of the item above).
    pub kind: String,
    /// Fields whose text the row added (续行).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

/// A row that is an item of its own but took fields it leaves blank from the item above.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct InheritedRow {
    pub row: u32,
    pub from_row: u32,
    /// 子项 (a sub-item row), 另一层级 (the item repeated for another level) or 合并单元格
    /// (values of vertically merged cells that cover the row).
    pub kind: String,
    pub fields: Vec<String>,
}

/// A row that became no item, with why, and its text (nothing disappears).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SkippedRow {
    pub row: u32,
    pub reason: String,
    /// The row's non-empty cells, " | " between them.
    pub text: String,
}

/// A value the workbook does not state but shows (sheet name, title, file name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Inference {
    /// Field label (权力类型 / 实施层级及权限 / 行使主体 / 部门 …).
    pub field: String,
    pub value: String,
    /// Where it comes from, e.g. 工作表名称“行政处罚（254项）”.
    pub source: String,
    /// Items that received it.
    pub items: u32,
}

/// A row above the header (title, 部门名称 …), kept in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PreambleRow {
    pub row: u32,
    pub text: String,
}

/// One sheet of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SheetReport {
    pub name: String,
    /// 1-based header row (the last one, for a two-row header); absent for an empty sheet.
    pub header_row: Option<u32>,
    pub mapping: Vec<ColumnMapping>,
    /// Items created from this sheet.
    pub items: u32,
    pub merged_rows: Vec<MergedRow>,
    pub inherited_rows: Vec<InheritedRow>,
    pub skipped: Vec<SkippedRow>,
    /// Rows with no content at all inside the data region (not listed).
    pub blank_rows: u32,
    pub preamble: Vec<PreambleRow>,
    pub inferred: Vec<Inference>,
    pub warnings: Vec<String>,
    /// Non-empty cells below the header, each one now in an item or in `skipped`.
    pub cells: u32,
    /// Why the sheet gave nothing (空工作表 …), when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl SheetReport {
    /// The report of a sheet before anything was found in it.
    pub fn empty(name: &str) -> SheetReport {
        SheetReport {
            name: name.to_string(),
            header_row: None,
            mapping: Vec::new(),
            items: 0,
            merged_rows: Vec::new(),
            inherited_rows: Vec::new(),
            skipped: Vec::new(),
            blank_rows: 0,
            preamble: Vec::new(),
            inferred: Vec::new(),
            warnings: Vec::new(),
            cells: 0,
            note: None,
        }
    }
}

/// One file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FileReport {
    pub path: String,
    pub format: Format,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The department the file is about, as found (部门名称 row, title, file name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<Inference>,
    /// Where the items went (absent in a dry run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_id: Option<Id>,
    pub items: u32,
    pub sheets: Vec<SheetReport>,
}

/// A whole import (or dry run).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ImportReport {
    /// Items the files gave, now in their lists (or, in a dry run, that would be): appended to
    /// a new or empty list, or the new content of a list imported again (see `updates`).
    pub items: u32,
    pub dry_run: bool,
    /// Jurisdictions and units created by this import.
    pub created_jurisdictions: Vec<String>,
    pub created_units: Vec<String>,
    pub files: Vec<FileReport>,
    /// Documents given among several files (a README or PDF beside the workbooks) that could
    /// not be read as a table: left out, with the reason.
    pub skipped_files: Vec<SkippedFile>,
    /// Lists that had items before this import, updated to the workbooks' content (or, in a dry
    /// run, as they would be): what was added, changed and removed. Absent when every list was
    /// new or empty, so a first import's JSON is as it always was.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<ListUpdate>>", optional)]
    pub updates: Vec<ListUpdate>,
}

/// A list with items imported again (`docs/import.md`, 再次导入): the workbooks are the list's
/// new content. Items are matched by 事项编码, else by 事项名称 and 子项; `id` in the changes is
/// the item's uid (empty for an item a dry run would add: it has none yet).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ListUpdate {
    pub list: String,
    pub list_id: Id,
    /// Items of the workbooks that matched none of the list's items, inserted at their place.
    pub added: Vec<EntityChange>,
    /// The fields that differ, item by item (an item's changes are next to each other).
    pub changed: Vec<FieldChange>,
    /// How many items `changed` is about.
    pub changed_items: u32,
    /// Items of the list the workbooks no longer have, deleted.
    pub removed: Vec<EntityChange>,
    /// Items matched whose content is the same (a different 序号 alone counts as the same).
    pub unchanged: u32,
}

impl ListUpdate {
    /// Nothing added, changed or removed: the list already was what the workbooks say (its
    /// order may still have changed).
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// A file left out of a multi-file import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

fn shorten(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' { '⏎' } else { c })
        .collect();
    if flat.chars().count() <= max {
        flat
    } else {
        let mut s: String = flat.chars().take(max).collect();
        s.push('…');
        s
    }
}

fn ranges(rows: &[u32]) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let start = rows[i];
        let mut end = start;
        while i + 1 < rows.len() && rows[i + 1] == end + 1 {
            i += 1;
            end = rows[i];
        }
        out.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    out.join(",")
}

/// The human-readable report the CLI prints (Chinese), per file and sheet: format, header
/// row, column mapping, items, rows merged into items, rows skipped with reasons.
pub fn render_report(report: &ImportReport) -> String {
    let mut out = String::new();
    for file in &report.files {
        let _ = writeln!(
            out,
            "文件 {}（{}{}）",
            file.path,
            file.format.label(),
            file.encoding
                .as_deref()
                .map(|e| format!("，{e}"))
                .unwrap_or_default()
        );
        if let Some(d) = &file.department {
            let _ = writeln!(out, "  部门：{}（推断自{}）", d.value, d.source);
        }
        if let (Some(j), Some(l)) = (&file.jurisdiction, &file.list) {
            let _ = writeln!(
                out,
                "  导入到：{j} / {} / {l}",
                file.unit.as_deref().unwrap_or("（无机构）")
            );
        }
        for sheet in &file.sheets {
            let _ = write!(out, "  工作表“{}”", sheet.name);
            match sheet.header_row {
                None => {
                    let _ = writeln!(out, "：{}", sheet.note.as_deref().unwrap_or("未导入"));
                    continue;
                }
                Some(h) => {
                    let _ = writeln!(out, "：表头在第 {h} 行，事项 {} 条", sheet.items);
                }
            }
            let mapping: Vec<String> = sheet
                .mapping
                .iter()
                .map(|m| {
                    let target = match (&m.field, &m.extra_header) {
                        (Some(_), _) if m.part > 1 => {
                            format!("{}（第{}部分）", m.field_label, m.part)
                        }
                        (Some(_), _) => m.field_label.clone(),
                        (None, Some(h)) => format!("附加字段“{h}”"),
                        (None, None) => m.field_label.clone(),
                    };
                    if m.header.is_empty() || m.field.map(|f| f.label()) == Some(m.header.as_str())
                    {
                        format!("{}→{}", m.column, target)
                    } else {
                        format!("{}“{}”→{}", m.column, m.header, target)
                    }
                })
                .collect();
            let _ = writeln!(out, "    列：{}", mapping.join("，"));
            for p in &sheet.preamble {
                let _ = writeln!(out, "    表头上方第 {} 行：{}", p.row, shorten(&p.text, 60));
            }
            for i in &sheet.inferred {
                let _ = writeln!(
                    out,
                    "    推断 {}＝{}（{}，{} 条事项）",
                    i.field, i.value, i.source, i.items
                );
            }
            if !sheet.merged_rows.is_empty() {
                let mut by_item: Vec<(u32, Vec<u32>, String)> = Vec::new();
                for m in &sheet.merged_rows {
                    match by_item.last_mut() {
                        Some((into, rows, kind)) if *into == m.into_row && *kind == m.kind => {
                            rows.push(m.row)
                        }
                        _ => by_item.push((m.into_row, vec![m.row], m.kind.clone())),
                    }
                }
                let _ = writeln!(out, "    并入事项的行（{} 行）：", sheet.merged_rows.len());
                for (into, rows, kind) in by_item {
                    let _ = writeln!(
                        out,
                        "      第 {} 行 → 第 {into} 行的事项（{kind}）",
                        ranges(&rows)
                    );
                }
            }
            if !sheet.inherited_rows.is_empty() {
                let _ = writeln!(
                    out,
                    "    沿用上方内容的行（{} 行）：",
                    sheet.inherited_rows.len()
                );
                for r in &sheet.inherited_rows {
                    let _ = writeln!(
                        out,
                        "      第 {} 行（{}）沿用第 {} 行的 {}",
                        r.row,
                        r.kind,
                        r.from_row,
                        r.fields.join("、")
                    );
                }
            }
            if !sheet.skipped.is_empty() {
                let _ = writeln!(out, "    跳过的行（{} 行）：", sheet.skipped.len());
                for s in &sheet.skipped {
                    let _ = writeln!(
                        out,
                        "      第 {} 行：{}：{}",
                        s.row,
                        s.reason,
                        shorten(&s.text, 60)
                    );
                }
            }
            if sheet.blank_rows > 0 {
                let _ = writeln!(out, "    空行 {} 行", sheet.blank_rows);
            }
            for w in &sheet.warnings {
                let _ = writeln!(out, "    注意：{w}");
            }
        }
    }
    for update in &report.updates {
        render_update(&mut out, update, report.dry_run);
    }
    for skipped in &report.skipped_files {
        let _ = writeln!(out, "已跳过 {}（不是表格文件）：{}", skipped.path, skipped.reason);
    }
    if !report.created_jurisdictions.is_empty() {
        let _ = writeln!(out, "新建辖区：{}", report.created_jurisdictions.join("、"));
    }
    if !report.created_units.is_empty() {
        let _ = writeln!(out, "新建机构：{}", report.created_units.join("、"));
    }
    let _ = writeln!(
        out,
        "{}共 {} 条事项",
        if report.dry_run {
            "试运行（未写入数据库）："
        } else {
            "已导入："
        },
        report.items
    );
    out
}

/// A value of a changed field as the CLI shows it: text as written (line breaks as ⏎, so that
/// each change stays one line), an empty field as （空）.
fn shown(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "（空）".to_string(),
        serde_json::Value::String(text) => shorten(text, usize::MAX),
        other => other.to_string(),
    }
}

/// One list imported again, in the words and layout of `quanze merge`'s report.
fn render_update(out: &mut String, update: &ListUpdate, dry_run: bool) {
    let _ = writeln!(
        out,
        "清单“{}”已有事项，{}按工作簿更新：新增 {}，修改 {}，删除 {}，相同 {}",
        update.list,
        if dry_run { "将" } else { "已" },
        update.added.len(),
        update.changed_items,
        update.removed.len(),
        update.unchanged
    );
    for a in &update.added {
        let _ = writeln!(out, "  新增 {} {}", a.entity, a.label);
    }
    for c in &update.changed {
        let _ = writeln!(
            out,
            "  修改 {} {} {}：{} → {}",
            c.entity,
            c.label,
            c.field_label,
            shown(&c.before),
            shown(&c.after)
        );
    }
    for r in &update.removed {
        let _ = writeln!(out, "  删除 {} {}", r.entity, r.label);
    }
}
