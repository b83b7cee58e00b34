//! Stage 2: one raw sheet → header, column mapping, items; every non-empty cell below the
//! header accounted for (in an item, or in the report with a reason).
//!
//! Rows, in order (the rules are documented in `docs/import.md`):
//! - a repeated header block, a footer note (注：/填表人…) or a section title ("一、行政许可")
//!   is skipped with its reason and text (a section title also gives its items a 权力类型 or
//!   类别, marked as inferred);
//! - a row with its own 事项名称 or 序号 starts an item;
//! - a row without them but with its own 子项名称 is a sub-item: a new item that takes the
//!   序号/事项名称 of the item above (子项);
//! - a row without them but with its own 行使主体 or 实施层级 (and more) is the item repeated
//!   for another level: a new item that takes the item's identity (另一层级);
//! - any other row continues text fields of the item above (续行);
//! - a row with nothing of its own inside vertically merged cells of an item belongs to that
//!   item (合并单元格); a vertically merged value is shown by every row it covers, so a new
//!   item inside the merge takes it too.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use quanze_domain::{Coordination, ExtraField, Item, PowerType, Provenance, Withdrawal};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::ImportError;
use crate::report::{
    ColumnMapping, Inference, InheritedRow, MergedRow, PreambleRow, SheetReport, SkippedRow,
};
use crate::synonyms::{Field, Synonyms};
use crate::text::{append, clean_long, clean_short, display_header, normalize_header, squash};
use crate::raw::{column_letters, RawRow, RawSheet};

/// How far down a header is looked for.
const HEADER_SEARCH_ROWS: usize = 30;
/// A vertically merged range is followed at most this many rows (a larger one is damage).
const MAX_MERGE_SPAN: u32 = 1_000;
/// The extra-field header that marks inferred values on an item.
pub const INFERRED_HEADER: &str = "导入推断";

/// A user's correction of one sheet, from the preview screen or the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SheetOverride {
    /// The file's name, when several files are imported at once (otherwise any file).
    #[serde(default)]
    pub file: Option<String>,
    /// The sheet's name.
    pub sheet: String,
    /// Leave the sheet out of the import.
    #[serde(default)]
    pub skip: bool,
    /// 1-based row of the header, instead of the detected one.
    #[serde(default)]
    pub header_row: Option<u32>,
    /// Columns mapped by hand.
    #[serde(default)]
    pub columns: Vec<ColumnOverride>,
}

/// Map a column (letters, e.g. "H") to a field, or (`field: None`) keep it as an extra field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ColumnOverride {
    pub column: String,
    pub field: Option<Field>,
}

/// Column letters → 0-based index ("A" → 0); also accepts a 1-based number.
pub fn parse_column(text: &str) -> Option<u32> {
    let t = text.trim();
    if let Ok(n) = t.parse::<u32>() {
        return n.checked_sub(1);
    }
    let mut n: u64 = 0;
    for c in t.chars() {
        let c = c.to_ascii_uppercase();
        if !c.is_ascii_uppercase() {
            return None;
        }
        n = n * 26 + u64::from(c as u8 - b'A' + 1);
        if n > u64::from(u32::MAX) {
            return None;
        }
    }
    u32::try_from(n).ok()?.checked_sub(1)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Field(Field),
    Extra(String),
}

#[derive(Debug, Clone)]
struct Column {
    col: u32,
    header: String,
    target: Target,
    synonym: Option<String>,
    part: u32,
    source: &'static str,
}

impl Column {
    fn field(&self) -> Option<Field> {
        match self.target {
            Target::Field(f) => Some(f),
            Target::Extra(_) => None,
        }
    }
    fn short(&self) -> bool {
        self.field().is_some_and(Field::is_short)
    }
    fn label(&self) -> String {
        match &self.target {
            Target::Field(f) => f.label().to_string(),
            Target::Extra(h) => h.clone(),
        }
    }
    fn mapping(&self) -> ColumnMapping {
        ColumnMapping {
            column: column_letters(self.col),
            index: self.col + 1,
            header: self.header.clone(),
            field: self.field(),
            field_label: match &self.target {
                Target::Field(f) => f.label().to_string(),
                Target::Extra(_) => "附加字段".to_string(),
            },
            extra_header: match &self.target {
                Target::Extra(h) => Some(h.clone()),
                Target::Field(_) => None,
            },
            synonym: self.synonym.clone(),
            part: self.part,
            source: self.source.to_string(),
        }
    }
}

/// Distinct fields a row's cells name, and whether 事项名称 is one of them.
fn header_fields(row: &RawRow, synonyms: &Synonyms) -> BTreeSet<Field> {
    row.cells
        .iter()
        .filter_map(|c| synonyms.lookup(&c.text))
        .map(|m| m.field)
        .collect()
}

/// The index (into `sheet.rows`) of the header row: among the first rows, the one naming the
/// most known fields, with 事项名称 among them and at least two in all.
pub fn find_header(sheet: &RawSheet, synonyms: &Synonyms) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in sheet.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let fields = header_fields(row, synonyms);
        if fields.contains(&Field::Name)
            && fields.len() >= 2
            && best.is_none_or(|(_, n)| fields.len() > n)
        {
            best = Some((i, fields.len()));
        }
    }
    best.map(|(i, _)| i)
}

/// The department named by a title or a file name: "克拉玛依市住房和城乡建设局2024年权责清单"
/// → "克拉玛依市住房和城乡建设局". None when what is left does not look like a body's name.
pub fn department_from_title(text: &str) -> Option<String> {
    let mut s: String = squash(&clean_short(text));
    for prefix in ["部门名称", "单位名称", "填报单位"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim_start_matches([':', '：']).to_string();
            break;
        }
    }
    // Drop years ("2024年", "2024年度") anywhere.
    let chars: Vec<char> = s.chars().collect();
    let mut cleaned = String::new();
    let mut i = 0;
    while i < chars.len() {
        if i + 4 < chars.len() + 1
            && chars[i..].len() >= 5
            && chars[i..i + 4].iter().all(|c| c.is_ascii_digit())
            && chars[i + 4] == '年'
        {
            i += 5;
            if chars.get(i) == Some(&'度') {
                i += 1;
            }
            continue;
        }
        cleaned.push(chars[i]);
        i += 1;
    }
    let mut cut = cleaned.len();
    for marker in [
        "权责清单",
        "权力清单",
        "责任清单",
        "职责清单",
        "权责事项",
        "履职事项",
        "清单",
        "目录",
        "填报日期",
        "填报时间",
        "填表日期",
        "日期：",
        "日期:",
        "联系人",
        "联系电话",
        "制表",
    ] {
        if let Some(at) = cleaned.find(marker) {
            cut = cut.min(at);
        }
    }
    let name = cleaned[..cut]
        .trim_matches(|c: char| c.is_whitespace() || "：:-—_·、，,。".contains(c))
        .to_string();
    let core = match name.rfind(['（', '(']) {
        Some(at) if name.ends_with(['）', ')']) && at > 0 => &name[..at],
        _ => name.as_str(),
    };
    const SUFFIXES: [&str; 22] = [
        "局",
        "委",
        "办",
        "部",
        "厅",
        "院",
        "署",
        "中心",
        "委员会",
        "办公室",
        "政府",
        "街道",
        "办事处",
        "镇",
        "乡",
        "所",
        "站",
        "队",
        "会",
        "处",
        "馆",
        "社",
    ];
    if core.chars().count() >= 2 && SUFFIXES.iter().any(|s| core.ends_with(s)) {
        Some(name)
    } else {
        None
    }
}

/// A 权力类型 shown by a sheet name: "行政处罚（254项）" → 行政处罚.
pub fn power_type_from_sheet(name: &str) -> Option<&'static str> {
    let core = strip_counts(&squash(name));
    PowerType::parse(&core).map(PowerType::label)
}

/// A level shown by a sheet name: "区县级", "地州级", "自治区级".
pub fn level_from_sheet(name: &str) -> Option<String> {
    let core = strip_counts(&squash(name));
    let n = core.chars().count();
    if (2..=8).contains(&n) && core.ends_with('级') && !core.contains("清单") {
        Some(core)
    } else {
        None
    }
}

/// "行政处罚（254项）" → "行政处罚"; "一、行政许可" → "行政许可".
fn strip_counts(text: &str) -> String {
    let mut s = text.to_string();
    // trailing parenthetical
    loop {
        let t = s.trim_end();
        if let Some(open) = t.rfind(['（', '(']) {
            if t.ends_with(['）', ')']) {
                s = t[..open].to_string();
                continue;
            }
        }
        break;
    }
    let s = s.trim_end_matches(|c: char| c.is_ascii_digit() || c == '项' || c == '共');
    strip_numbering(s).to_string()
}

/// Drop "一、", "（一）", "1.", "第一部分" numbering in front of a title.
fn strip_numbering(text: &str) -> &str {
    let t = text.trim();
    const NUMERALS: &str = "一二三四五六七八九十百零〇0123456789";
    let mut chars = t.char_indices().peekable();
    // （一） / (一)
    if t.starts_with(['（', '(']) {
        if let Some(close) = t.find(['）', ')']) {
            let inner = &t[t.chars().next().map_or(0, char::len_utf8)..close];
            if !inner.is_empty() && inner.chars().all(|c| NUMERALS.contains(c)) {
                return t[close..]
                    .trim_start_matches(['）', ')'])
                    .trim_start_matches(['、', '.', '．', ' ']);
            }
        }
    }
    let mut end = 0;
    while let Some((i, c)) = chars.peek().copied() {
        if NUMERALS.contains(c) {
            end = i + c.len_utf8();
            chars.next();
        } else {
            break;
        }
    }
    if end > 0 {
        let rest = &t[end..];
        if let Some(r) = rest.strip_prefix(['、', '.', '．', '，']) {
            return r.trim_start();
        }
    }
    t
}

fn is_section_title(text: &str) -> bool {
    let t = squash(text);
    let stripped = strip_numbering(&t);
    stripped.len() < t.len()
        && stripped.chars().any(crate::text::is_cjk)
        && stripped.chars().count() <= 30
}

const FOOTER_PREFIXES: [&str; 14] = [
    "注：",
    "注:",
    "说明：",
    "说明:",
    "备注：",
    "填表人",
    "制表人",
    "审核人",
    "填报人",
    "联系人",
    "联系电话",
    "制表日期",
    "填报日期",
    "合计",
];

fn row_text(row: &RawRow) -> String {
    row.cells
        .iter()
        .map(|c| c.text.trim())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// What one sheet gives: its report and its items (with provenance), in sheet order.
#[derive(Debug, Clone)]
pub struct SheetResult {
    pub report: SheetReport,
    pub items: Vec<Item>,
}

/// File-level facts a sheet needs.
pub struct SheetContext<'a> {
    pub file: &'a str,
    pub synonyms: &'a Synonyms,
    pub department: Option<&'a Inference>,
}

/// An item being assembled.
struct Draft {
    row: u32,
    /// Column index → cleaned text.
    cols: BTreeMap<usize, String>,
    merged: BTreeSet<u32>,
    extent_end: u32,
    inferred: Vec<String>,
}

impl Draft {
    fn field_value(&self, columns: &[Column], field: Field) -> Option<String> {
        let mut parts: Vec<&str> = Vec::new();
        for (i, text) in &self.cols {
            if columns.get(*i).and_then(Column::field) == Some(field)
                && !text.is_empty()
                && !parts.contains(&text.as_str())
            {
                parts.push(text);
            }
        }
        if parts.is_empty() {
            None
        } else {
            Some(parts.join(if field.is_short() { "；" } else { "\n" }))
        }
    }
    fn has_field(&self, columns: &[Column], field: Field) -> bool {
        self.cols
            .iter()
            .any(|(i, t)| !t.is_empty() && columns.get(*i).and_then(Column::field) == Some(field))
    }
}

/// Map one sheet. `override_` carries the user's corrections, if any. A sheet with content but
/// no recognizable header is an error ([`ImportError::NoHeader`]); an empty sheet is not.
pub fn map_sheet(
    ctx: &SheetContext<'_>,
    sheet: RawSheet,
    override_: Option<&SheetOverride>,
) -> Result<SheetResult, ImportError> {
    let mut report = SheetReport {
        note: sheet.note.clone(),
        ..SheetReport::empty(&sheet.name)
    };
    if sheet.rows.is_empty() {
        report.note.get_or_insert_with(|| "空工作表".to_string());
        return Ok(SheetResult {
            report,
            items: Vec::new(),
        });
    }
    let header_index = match override_.and_then(|o| o.header_row) {
        Some(row) => {
            let wanted = row.checked_sub(1);
            match wanted.and_then(|w| sheet.rows.iter().position(|r| r.row == w)) {
                Some(i) => i,
                None => {
                    return Err(ImportError::BadHeaderRow {
                        file: ctx.file.to_string(),
                        sheet: sheet.name.clone(),
                        row,
                        rows: sheet.rows.last().map_or(0, |r| r.row + 1),
                    })
                }
            }
        }
        None => find_header(&sheet, ctx.synonyms).ok_or_else(|| ImportError::NoHeader {
            file: ctx.file.to_string(),
            sheet: sheet.name.clone(),
        })?,
    };
    let header = &sheet.rows[header_index];
    for row in &sheet.rows[..header_index] {
        report.preamble.push(PreambleRow {
            row: row.row + 1,
            text: row_text(row),
        });
    }

    // Horizontal merges of the header rows: a header spanning several columns.
    let header_merges = sheet.merges.clone();
    let header_spans = |row: u32| -> Vec<(u32, u32)> {
        header_merges
            .iter()
            .filter(|m| m.first_row <= row && row <= m.last_row && m.last_col > m.first_col)
            .map(|m| (m.first_col, m.last_col))
            .collect()
    };
    let mut last_header_index = header_index;
    let mut sub_header: Option<&RawRow> = None;
    if let Some(next) = sheet.rows.get(header_index + 1) {
        if next.row == header.row + 1 {
            let spans = header_spans(header.row);
            let group_of = |col: u32| -> Option<&str> {
                spans
                    .iter()
                    .find(|(a, b)| *a <= col && col <= *b)
                    .and_then(|(a, _)| header.get(*a))
                    .or_else(|| header.get(col))
            };
            let recognized: Vec<u32> = next
                .cells
                .iter()
                .filter(|c| {
                    ctx.synonyms.lookup(&c.text).is_some_and(|m| m.exact)
                        || group_of(c.col).is_some_and(|g| {
                            ctx.synonyms
                                .lookup(&format!("{g}{}", c.text))
                                .is_some_and(|m| m.exact)
                        })
                })
                .map(|c| c.col)
                .collect();
            let under_group = recognized.iter().any(|c| {
                header.get(*c).is_none() || spans.iter().any(|(a, b)| a <= c && c <= b && a < b)
            });
            if recognized.len() >= 2 && recognized.len() * 2 >= next.cells.len() && under_group {
                sub_header = Some(next);
                last_header_index = header_index + 1;
            }
        }
    }
    let header_row_number = sheet.rows[last_header_index].row;
    report.header_row = Some(header_row_number + 1);
    let sub_header: Option<RawRow> = sub_header.cloned();
    let sub_header = sub_header.as_ref();
    let header: RawRow = header.clone();
    let header = &header;
    let RawSheet {
        name: sheet_name,
        mut rows,
        merges,
        ..
    } = sheet;
    // The data rows are consumed one by one below, so that their text is freed as the items
    // are built (peak memory stays near one copy of the sheet).
    let data_rows: Vec<RawRow> = rows.split_off(last_header_index + 1);
    drop(rows);
    let merge_tops: HashMap<(u32, u32), String> = merges
        .iter()
        .filter(|m| m.first_row > header_row_number && m.last_row > m.first_row)
        .filter_map(|m| {
            let i = data_rows
                .binary_search_by_key(&m.first_row, |r| r.row)
                .ok()?;
            let text = data_rows.get(i)?.get(m.first_col)?;
            Some(((m.first_row, m.first_col), text.to_string()))
        })
        .collect();
    let (first_data_row, last_data_row, data_row_count) = (
        data_rows.first().map(|r| r.row),
        data_rows.last().map(|r| r.row),
        data_rows.len(),
    );

    // Every column that has a header or data.
    let mut all_cols: BTreeSet<u32> = header.cells.iter().map(|c| c.col).collect();
    if let Some(sub) = sub_header {
        all_cols.extend(sub.cells.iter().map(|c| c.col));
    }
    for row in &data_rows {
        all_cols.extend(row.cells.iter().map(|c| c.col));
    }
    let main_spans = header_spans(header.row);
    let overrides: HashMap<u32, Option<Field>> = override_
        .map(|o| {
            o.columns
                .iter()
                .filter_map(|c| parse_column(&c.column).map(|col| (col, c.field)))
                .collect()
        })
        .unwrap_or_default();
    let header_cols: BTreeSet<u32> = header
        .cells
        .iter()
        .chain(sub_header.map(|s| s.cells.iter()).into_iter().flatten())
        .map(|c| c.col)
        .collect();
    let mut columns: Vec<Column> = Vec::new();
    for &col in &all_cols {
        let own = sub_header
            .and_then(|s| s.get(col))
            .map(str::to_string)
            .or_else(|| header.get(col).map(str::to_string));
        let group = sub_header
            .and_then(|s| s.get(col))
            .and_then(|_| {
                main_spans
                    .iter()
                    .find(|(a, b)| *a <= col && col <= *b)
                    .and_then(|(a, _)| header.get(*a))
                    .or_else(|| header.get(col))
            })
            .map(str::to_string);
        let mut column = if let Some(text) = own.filter(|t| !t.trim().is_empty()) {
            let found = group
                .as_ref()
                .and_then(|g| {
                    ctx.synonyms
                        .lookup(&format!("{g}{text}"))
                        .filter(|m| m.exact)
                })
                .or_else(|| ctx.synonyms.lookup(&text));
            match found {
                Some(m) => Column {
                    col,
                    header: display_header(&text),
                    target: Target::Field(m.field),
                    synonym: Some(m.synonym),
                    part: 1,
                    source: if m.exact { "同义词" } else { "包含" },
                },
                None => Column {
                    col,
                    header: display_header(&text),
                    target: Target::Extra(display_header(&text)),
                    synonym: None,
                    part: 1,
                    source: "未识别",
                },
            }
        } else if let Some(start) = main_spans
            .iter()
            .find(|(a, b)| *a < col && col <= *b)
            .map(|(a, _)| *a)
        {
            match columns.iter().find(|c| c.col == start) {
                Some(first) => Column {
                    col,
                    header: String::new(),
                    target: first.target.clone(),
                    synonym: first.synonym.clone(),
                    part: 1,
                    source: "合并表头",
                },
                None => Column {
                    col,
                    header: String::new(),
                    target: Target::Extra(format!("{}列（无表头）", column_letters(col))),
                    synonym: None,
                    part: 1,
                    source: "无表头",
                },
            }
        } else if let (Some(left), true) = (
            columns
                .last()
                .filter(|c| c.col + 1 == col && c.field().is_some()),
            header_cols.range(col..).next().is_some(),
        ) {
            // An unheaded column inside the header's extent, right of a headed one: the header
            // spans it visually without a merge (实施层级及权限 over H and I).
            Column {
                col,
                header: String::new(),
                target: left.target.clone(),
                synonym: left.synonym.clone(),
                part: 1,
                source: "左侧表头",
            }
        } else {
            Column {
                col,
                header: String::new(),
                target: Target::Extra(format!("{}列（无表头）", column_letters(col))),
                synonym: None,
                part: 1,
                source: "无表头",
            }
        };
        if let Some(choice) = overrides.get(&col) {
            column.target = match choice {
                Some(f) => Target::Field(*f),
                None => Target::Extra(if column.header.is_empty() {
                    format!("{}列（无表头）", column_letters(col))
                } else {
                    column.header.clone()
                }),
            };
            column.synonym = None;
            column.source = "指定";
        }
        if let Target::Field(f) = column.target {
            let earlier = columns.iter().filter(|c| c.field() == Some(f)).count();
            column.part = u32::try_from(earlier).unwrap_or(u32::MAX).saturating_add(1);
            if earlier > 0 && !matches!(column.source, "合并表头" | "左侧表头" | "指定") {
                column.source = "重复列";
            }
        }
        columns.push(column);
    }
    report.mapping = columns.iter().map(Column::mapping).collect();
    if !columns.iter().any(|c| c.field() == Some(Field::Name)) {
        report
            .warnings
            .push("没有列对应“事项名称”，无法生成事项；请指定事项名称所在的列".to_string());
    }
    let column_index = |col: u32| columns.binary_search_by_key(&col, |c| c.col).ok();

    // Vertical merges anchored below the header: column → (first_row, last_row), sorted.
    let mut vertical: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
    let mut anchored: HashMap<u32, u32> = HashMap::new();
    for m in &merges {
        if m.first_row > header_row_number && m.last_row > m.first_row {
            let last = m.last_row.min(m.first_row.saturating_add(MAX_MERGE_SPAN));
            vertical
                .entry(m.first_col)
                .or_default()
                .push((m.first_row, last));
            let e = anchored.entry(m.first_row).or_insert(last);
            *e = (*e).max(last);
        }
    }
    for spans in vertical.values_mut() {
        spans.sort_unstable();
    }
    let mut merge_cols: Vec<u32> = vertical.keys().copied().collect();
    merge_cols.sort_unstable();
    let covering = |row: u32, col: u32| -> Option<u32> {
        let spans = vertical.get(&col)?;
        let i = spans.partition_point(|(first, _)| *first < row);
        let (first, last) = *spans.get(i.checked_sub(1)?)?;
        (first < row && row <= last).then_some(first)
    };
    let cell_text =
        |row: u32, col: u32| -> Option<&str> { merge_tops.get(&(row, col)).map(String::as_str) };
    let wide_merge_at = |row: u32, col: u32| -> bool {
        merges
            .iter()
            .any(|m| m.first_row == row && m.first_col == col && m.last_col >= m.first_col + 2)
    };
    let header_norm: HashMap<u32, String> = header
        .cells
        .iter()
        .chain(sub_header.map(|s| s.cells.iter()).into_iter().flatten())
        .map(|c| (c.col, normalize_header(&c.text)))
        .collect();

    let mut drafts: Vec<Draft> = Vec::new();
    let mut own_rows: BTreeSet<u32> = BTreeSet::new();
    let mut cells_total: u64 = 0;
    let mut cells_placed: u64 = 0;
    let mut section_power: Option<(String, String)> = None;
    let mut section_category: Option<(String, String)> = None;
    let mut inferred_counts: BTreeMap<(String, String, String), u32> = BTreeMap::new();

    for row in data_rows {
        let row = &row;
        own_rows.insert(row.row);
        let n_cells = row.cells.len() as u64;
        cells_total += n_cells;
        let skip = |report: &mut SheetReport, reason: &str| {
            report.skipped.push(SkippedRow {
                row: row.row + 1,
                reason: reason.to_string(),
                text: row_text(row),
            });
        };
        // Own values by column index.
        let own: Vec<(usize, &str)> = row
            .cells
            .iter()
            .filter_map(|c| column_index(c.col).map(|i| (i, c.text.as_str())))
            .collect();
        let own_field = |f: Field| -> Option<String> {
            own.iter()
                .filter(|(i, _)| columns[*i].field() == Some(f))
                .map(|(_, t)| clean_short(t))
                .find(|t| !t.is_empty())
        };
        let own_fields: BTreeSet<Field> = own
            .iter()
            .filter_map(|(i, _)| columns[*i].field())
            .collect();
        let hidden = row
            .cells
            .iter()
            .filter(|c| covering(row.row, c.col).is_some())
            .count();
        if hidden > 0 {
            report.warnings.push(format!(
                "第 {} 行有 {hidden} 个单元格被上方的合并单元格遮住（在 Excel 中看不到），已按其内容导入",
                row.row + 1
            ));
        }

        // Repeated header block.
        // Headers are short: long cells are never compared (this runs on every row).
        let header_like = row
            .cells
            .iter()
            .filter(|c| c.text.len() <= 96)
            .filter(|c| {
                let n = normalize_header(&c.text);
                header_norm.get(&c.col) == Some(&n)
                    || ctx.synonyms.lookup_normalized(&n).is_some_and(|m| {
                        m.exact
                            && column_index(c.col).and_then(|i| columns[i].field()) == Some(m.field)
                    })
            })
            .count();
        if header_like >= 2 && header_like * 2 >= row.cells.len() {
            skip(&mut report, "重复的表头");
            cells_placed += n_cells;
            continue;
        }
        let first_text = squash(&row.cells[0].text);
        if row.cells.len() <= 2
            && FOOTER_PREFIXES
                .iter()
                .any(|p| first_text.starts_with(&squash(p)))
        {
            skip(&mut report, "表尾说明");
            cells_placed += n_cells;
            continue;
        }
        if row.cells.len() == 1 {
            let cell = &row.cells[0];
            let leading = columns.iter().take(2).any(|c| c.col == cell.col);
            if is_section_title(&cell.text)
                || (leading && wide_merge_at(row.row, cell.col) && own_field(Field::Name).is_none())
            {
                let title = strip_counts(&squash(&cell.text));
                let source = format!(
                    "分组标题“{}”（第 {} 行）",
                    clean_short(&cell.text),
                    row.row + 1
                );
                if let Some(p) = PowerType::parse(&title) {
                    section_power = Some((p.label().to_string(), source));
                    skip(&mut report, "分组标题行（其下事项的权力类型）");
                } else {
                    section_category = Some((title, source));
                    skip(&mut report, "分组标题行（其下事项的类别）");
                }
                cells_placed += n_cells;
                continue;
            }
            if leading
                && own_field(Field::Seq).is_some()
                && own_field(Field::Name).is_none()
                && covering(row.row, cell.col).is_none()
                && columns
                    .get(column_index(cell.col).unwrap_or(usize::MAX))
                    .and_then(Column::field)
                    == Some(Field::Seq)
            {
                skip(&mut report, "只有序号，没有内容");
                cells_placed += n_cells;
                continue;
            }
        }

        let own_name = own_field(Field::Name);
        let own_seq = own_field(Field::Seq);
        let own_sub = own_field(Field::SubItem);
        let merged_name = columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.field() == Some(Field::Name))
            .any(|(_, c)| {
                covering(row.row, c.col).is_some_and(|top| cell_text(top, c.col).is_some())
            });

        enum Kind {
            New,
            SubItem,
            OtherLevel,
            Continue,
        }
        let current_seq = drafts
            .last()
            .and_then(|d| d.field_value(&columns, Field::Seq));
        let kind = if own_name.is_some() {
            Kind::New
        } else if own_seq.is_some() {
            if merged_name {
                Kind::New
            } else if drafts.last().is_some() && current_seq.is_some() && current_seq == own_seq {
                Kind::OtherLevel
            } else {
                skip(&mut report, "没有事项名称");
                cells_placed += n_cells;
                continue;
            }
        } else if drafts.is_empty() {
            skip(&mut report, "没有事项名称（在第一条事项之前）");
            cells_placed += n_cells;
            continue;
        } else if own_sub.is_some() {
            Kind::SubItem
        } else if (own_fields.contains(&Field::Subject)
            || own_fields.contains(&Field::LevelAndAuthority))
            && own_fields.len() >= 2
        {
            Kind::OtherLevel
        } else {
            Kind::Continue
        };

        if let Kind::Continue = kind {
            let Some(current) = drafts.last_mut() else {
                continue;
            };
            let mut fields = Vec::new();
            for (i, text) in &own {
                let column = &columns[*i];
                let cleaned = if column.short() {
                    clean_short(text)
                } else {
                    clean_long(text)
                };
                append(
                    current.cols.entry(*i).or_default(),
                    &cleaned,
                    column.short(),
                );
                let label = column.label();
                if !fields.contains(&label) {
                    fields.push(label);
                }
            }
            current.merged.insert(row.row);
            if let Some(end) = anchored.get(&row.row) {
                current.extent_end = current.extent_end.max(*end);
            }
            report.merged_rows.push(MergedRow {
                row: row.row + 1,
                into_row: current.row + 1,
                kind: "续行".to_string(),
                fields,
            });
            cells_placed += n_cells;
            continue;
        }

        let mut draft = Draft {
            row: row.row,
            cols: BTreeMap::new(),
            merged: BTreeSet::new(),
            extent_end: anchored.get(&row.row).copied().unwrap_or(row.row),
            inferred: Vec::new(),
        };
        let mut inherited_fields: Vec<String> = Vec::new();
        let mut from_row: Option<u32> = None;
        // Values of vertically merged cells covering this row.
        for &col in &merge_cols {
            if row.get(col).is_some() {
                continue;
            }
            if let Some(top) = covering(row.row, col) {
                if let (Some(text), Some(i)) = (cell_text(top, col), column_index(col)) {
                    let column = &columns[i];
                    let cleaned = if column.short() {
                        clean_short(text)
                    } else {
                        clean_long(text)
                    };
                    if !cleaned.is_empty() {
                        draft.cols.insert(i, cleaned);
                        inherited_fields.push(column.label());
                        from_row = Some(from_row.map_or(top, |f: u32| f.min(top)));
                    }
                }
            }
        }
        for (i, text) in &own {
            let column = &columns[*i];
            let cleaned = if column.short() {
                clean_short(text)
            } else {
                clean_long(text)
            };
            append(draft.cols.entry(*i).or_default(), &cleaned, column.short());
        }
        cells_placed += n_cells;
        // Identity from the item above, for sub-item and other-level rows.
        let mut kind_label = "合并单元格";
        let identity: &[Field] = match kind {
            Kind::SubItem => &[
                Field::Seq,
                Field::Code,
                Field::Name,
                Field::PowerType,
                Field::Category,
            ],
            Kind::OtherLevel => &[
                Field::Seq,
                Field::Code,
                Field::Name,
                Field::SubItem,
                Field::PowerType,
                Field::Category,
            ],
            _ => &[],
        };
        if let Some(current) = drafts.last() {
            for &field in identity {
                if draft.has_field(&columns, field) {
                    continue;
                }
                let source = current.cols.iter().find(|(i, t)| {
                    !t.is_empty() && columns.get(**i).and_then(Column::field) == Some(field)
                });
                if let Some((i, text)) = source {
                    draft.cols.insert(*i, text.clone());
                    inherited_fields.push(field.label().to_string());
                    from_row = Some(from_row.map_or(current.row, |f| f.min(current.row)));
                }
            }
            kind_label = match kind {
                Kind::SubItem => "子项",
                Kind::OtherLevel => "另一层级",
                _ => kind_label,
            };
        }
        if let Some(from) = from_row {
            report.inherited_rows.push(InheritedRow {
                row: row.row + 1,
                from_row: from + 1,
                kind: kind_label.to_string(),
                fields: inherited_fields,
            });
        }
        // Section context (a title row above) for what the row does not say.
        if !draft.has_field(&columns, Field::PowerType) {
            if let Some((value, source)) = &section_power {
                draft.inferred.push(format!(
                    "{}：{}（{}）",
                    Field::PowerType.label(),
                    value,
                    source
                ));
                *inferred_counts
                    .entry((
                        Field::PowerType.label().to_string(),
                        value.clone(),
                        source.clone(),
                    ))
                    .or_default() += 1;
            }
        }
        if !draft.has_field(&columns, Field::Category) {
            if let Some((value, source)) = &section_category {
                draft.inferred.push(format!(
                    "{}：{}（{}）",
                    Field::Category.label(),
                    value,
                    source
                ));
                *inferred_counts
                    .entry((
                        Field::Category.label().to_string(),
                        value.clone(),
                        source.clone(),
                    ))
                    .or_default() += 1;
            }
        }
        drafts.push(draft);
    }

    // Rows with nothing of their own inside an item's vertically merged cells.
    let starts: Vec<u32> = drafts.iter().map(|d| d.row).collect();
    for (i, draft) in drafts.iter_mut().enumerate() {
        let limit = starts.get(i + 1).map_or(draft.extent_end, |next| {
            draft.extent_end.min(next.saturating_sub(1))
        });
        for r in draft.row + 1..=limit {
            if !own_rows.contains(&r) {
                draft.merged.insert(r);
                report.merged_rows.push(MergedRow {
                    row: r + 1,
                    into_row: draft.row + 1,
                    kind: "合并单元格".to_string(),
                    fields: Vec::new(),
                });
            }
        }
    }
    report.merged_rows.sort_by_key(|m| m.row);
    let merged_only: BTreeSet<u32> = report
        .merged_rows
        .iter()
        .filter(|m| m.kind == "合并单元格")
        .map(|m| m.row - 1)
        .collect();
    if let (Some(_), Some(last)) = (first_data_row, last_data_row) {
        let span = u64::from(last - header_row_number);
        let merged_in_span = merged_only.iter().filter(|r| **r <= last).count() as u64;
        report.blank_rows = u32::try_from(
            span.saturating_sub(data_row_count as u64)
                .saturating_sub(merged_in_span),
        )
        .unwrap_or(u32::MAX);
    }

    if cells_placed != cells_total {
        return Err(ImportError::Internal {
            file: ctx.file.to_string(),
            message: format!(
                "工作表“{}”有 {} 个单元格未能归入事项或报告",
                sheet_name,
                cells_total.abs_diff(cells_placed)
            ),
        });
    }
    report.cells = u32::try_from(cells_total).unwrap_or(u32::MAX);

    // Sheet-level inferences.
    let sheet_power = power_type_from_sheet(&sheet_name);
    let sheet_level = level_from_sheet(&sheet_name);
    let has_subject_column = columns.iter().any(|c| c.field() == Some(Field::Subject));
    let mut items = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let get = |f: Field| draft.field_value(&columns, f);
        let mut extra: Vec<ExtraField> = Vec::new();
        for (i, text) in &draft.cols {
            if let Target::Extra(header) = &columns[*i].target {
                if !text.is_empty() {
                    extra.push(ExtraField {
                        header: header.clone(),
                        value: text.clone(),
                    });
                }
            }
        }
        let mut power_type = get(Field::PowerType);
        let mut category = get(Field::Category);
        let mut level = get(Field::LevelAndAuthority);
        let mut subject = get(Field::Subject);
        let mut marks = draft.inferred.clone();
        for mark in &draft.inferred {
            if let Some(v) = mark.strip_prefix("权力类型：") {
                power_type = v.split('（').next().map(str::to_string);
            } else if let Some(v) = mark.strip_prefix("类别：") {
                category = v.split('（').next().map(str::to_string);
            }
        }
        if power_type.is_none() {
            if let Some(p) = sheet_power {
                let source = format!("工作表名称“{}”", sheet_name);
                marks.push(format!("权力类型：{p}（{source}）"));
                *inferred_counts
                    .entry(("权力类型".into(), p.to_string(), source))
                    .or_default() += 1;
                power_type = Some(p.to_string());
            }
        }
        if level.is_none() {
            if let Some(l) = &sheet_level {
                let source = format!("工作表名称“{}”", sheet_name);
                marks.push(format!("实施层级及权限：{l}（{source}）"));
                *inferred_counts
                    .entry(("实施层级及权限".into(), l.clone(), source))
                    .or_default() += 1;
                level = Some(l.clone());
            }
        }
        if subject.is_none() && !has_subject_column {
            if let Some(d) = ctx.department {
                marks.push(format!("行使主体：{}（{}）", d.value, d.source));
                *inferred_counts
                    .entry(("行使主体".into(), d.value.clone(), d.source.clone()))
                    .or_default() += 1;
                subject = Some(d.value.clone());
            }
        }
        for mark in marks {
            extra.push(ExtraField {
                header: INFERRED_HEADER.to_string(),
                value: mark,
            });
        }
        let lead = get(Field::LeadUnit);
        let superior = get(Field::SuperiorDuty);
        let street = get(Field::StreetDuty);
        let receiving = get(Field::ReceivingUnit);
        let method = get(Field::WorkingMethod);
        let item = Item {
            id: 0,
            seq: get(Field::Seq),
            code: get(Field::Code),
            name: get(Field::Name).unwrap_or_default(),
            sub_item: get(Field::SubItem),
            power_type,
            category,
            basis: get(Field::Basis),
            subject,
            handling_unit: None,
            handling_unit_text: get(Field::HandlingUnit),
            level_and_authority: level,
            department_duty: get(Field::DepartmentDuty),
            responsibility: get(Field::Responsibility),
            responsibility_basis: get(Field::ResponsibilityBasis),
            accountable_scope: get(Field::AccountableScope),
            accountability_cases: get(Field::AccountabilityCases),
            remarks: get(Field::Remarks),
            supervision_phone: get(Field::SupervisionPhone),
            certificate_allowed: None,
            coordination: (lead.is_some() || superior.is_some() || street.is_some()).then_some(
                Coordination {
                    lead_unit: None,
                    lead_unit_text: lead,
                    superior_duty: superior,
                    street_duty: street,
                },
            ),
            withdrawal: (receiving.is_some() || method.is_some()).then_some(Withdrawal {
                receiving_unit: None,
                receiving_unit_text: receiving,
                working_method: method,
            }),
            assistance: None,
            extra,
            provenance: Some(Provenance {
                file: ctx.file.to_string(),
                sheet: sheet_name.clone(),
                row: draft.row + 1,
                merged_rows: draft.merged.iter().map(|r| r + 1).collect(),
            }),
        };
        items.push(item);
    }
    report.items = u32::try_from(items.len()).unwrap_or(u32::MAX);
    report.inferred = inferred_counts
        .into_iter()
        .map(|((field, value, source), items)| Inference {
            field,
            value,
            source,
            items,
        })
        .collect();
    if items.is_empty() {
        report.warnings.push("表头下方没有事项".to_string());
    }
    Ok(SheetResult { report, items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departments_from_titles_and_file_names() {
        assert_eq!(
            department_from_title("克拉玛依市住房和城乡建设局2024年权责清单").as_deref(),
            Some("克拉玛依市住房和城乡建设局")
        );
        assert_eq!(
            department_from_title("2024年市农业农村局权责清单").as_deref(),
            Some("市农业农村局")
        );
        assert_eq!(
            department_from_title("  克拉玛依市发展和改革委员会2024年").as_deref(),
            Some("克拉玛依市发展和改革委员会")
        );
        assert_eq!(
            department_from_title("克拉玛依市委宣传部（新闻出版局）2024年权责清单").as_deref(),
            Some("克拉玛依市委宣传部（新闻出版局）")
        );
        assert_eq!(
            department_from_title("部门名称：某某区民政局").as_deref(),
            Some("某某区民政局")
        );
        assert_eq!(
            department_from_title("部门名称：某某区民政局    填报日期：2024年3月").as_deref(),
            Some("某某区民政局")
        );
        assert_eq!(
            department_from_title("  住房和城乡建设系统区地县三级权责清单"),
            None
        );
        assert_eq!(department_from_title("Sheet1"), None);
    }

    #[test]
    fn sheet_names_show_power_types_and_levels() {
        assert_eq!(power_type_from_sheet("行政处罚（254项）"), Some("行政处罚"));
        assert_eq!(power_type_from_sheet("行政征收（ 1 项）"), Some("行政征收"));
        assert_eq!(
            power_type_from_sheet("其他行政权力（3项）"),
            Some("其他行政权力")
        );
        assert_eq!(power_type_from_sheet("Sheet1"), None);
        assert_eq!(level_from_sheet("区县级").as_deref(), Some("区县级"));
        assert_eq!(
            level_from_sheet("地州级（12项）").as_deref(),
            Some("地州级")
        );
        assert_eq!(level_from_sheet("行政处罚"), None);
    }

    #[test]
    fn columns_parse_from_letters_or_numbers() {
        assert_eq!(parse_column("A"), Some(0));
        assert_eq!(parse_column("h"), Some(7));
        assert_eq!(parse_column("AA"), Some(26));
        assert_eq!(parse_column("3"), Some(2));
        assert_eq!(parse_column("0"), None);
        assert_eq!(parse_column("中"), None);
        for c in [0u32, 25, 26, 255, 16_383] {
            assert_eq!(parse_column(&column_letters(c)), Some(c));
        }
    }

    #[test]
    fn section_titles_are_recognized() {
        assert!(is_section_title("一、行政许可（11项）"));
        assert!(is_section_title("（二）行政处罚"));
        assert!(!is_section_title(
            "对未经批准擅自从事农业转基因生物环境释放的处罚"
        ));
        assert_eq!(strip_counts("一、行政许可（11项）"), "行政许可");
    }
}
