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
use crate::raw::{column_letters, Merge, RawRow, RawSheet};

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
///
/// The steps: find the header row (and a sub-header below it), map the columns, then feed the
/// data rows one by one to a [`RowMapper`], which classifies each row and starts, extends or
/// skips an item; finally the drafts become items.
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
    let header_index = locate_header(ctx, &sheet, override_)?;
    for row in &sheet.rows[..header_index] {
        report.preamble.push(PreambleRow {
            row: row.row + 1,
            text: row_text(row),
        });
    }
    let has_sub_header = has_sub_header(ctx, &sheet, header_index);
    let last_header_index = header_index + usize::from(has_sub_header);
    let header_row_number = sheet.rows[last_header_index].row;
    report.header_row = Some(header_row_number + 1);
    let RawSheet {
        name: sheet_name,
        mut rows,
        merges,
        ..
    } = sheet;
    // The data rows are consumed one by one below, so that their text is freed as the items
    // are built (peak memory stays near one copy of the sheet).
    let data_rows: Vec<RawRow> = rows.split_off(last_header_index + 1);
    let sub_header = has_sub_header.then(|| rows.swap_remove(header_index + 1));
    let header = rows.swap_remove(header_index);
    drop(rows);

    let columns = map_columns(ctx, &header, sub_header.as_ref(), &data_rows, &merges, override_);
    report.mapping = columns.iter().map(Column::mapping).collect();
    if !columns.iter().any(|c| c.field() == Some(Field::Name)) {
        report
            .warnings
            .push("没有列对应“事项名称”，无法生成事项；请指定事项名称所在的列".to_string());
    }
    let header_norm: HashMap<u32, String> = header
        .cells
        .iter()
        .chain(sub_header.iter().flat_map(|s| s.cells.iter()))
        .map(|c| (c.col, normalize_header(&c.text)))
        .collect();
    let vertical = VerticalMerges::new(&merges, header_row_number, &data_rows);
    let data = DataExtent::of(&data_rows, header_row_number);

    let mut mapper = RowMapper {
        ctx,
        columns: &columns,
        merges: &vertical,
        all_merges: &merges,
        header_norm: &header_norm,
        report,
        drafts: Vec::new(),
        own_rows: BTreeSet::new(),
        cells_total: 0,
        cells_placed: 0,
        section_power: None,
        section_category: None,
        inferred_counts: BTreeMap::new(),
    };
    for row in data_rows {
        mapper.take_row(&row);
    }
    mapper.finish(&sheet_name, data)
}

/// The index (into `sheet.rows`) of the header row: the user's, or the one found.
fn locate_header(
    ctx: &SheetContext<'_>,
    sheet: &RawSheet,
    override_: Option<&SheetOverride>,
) -> Result<usize, ImportError> {
    match override_.and_then(|o| o.header_row) {
        Some(row) => {
            let wanted = row.checked_sub(1);
            wanted
                .and_then(|w| sheet.rows.iter().position(|r| r.row == w))
                .ok_or_else(|| ImportError::BadHeaderRow {
                    file: ctx.file.to_string(),
                    sheet: sheet.name.clone(),
                    row,
                    rows: sheet.rows.last().map_or(0, |r| r.row + 1),
                })
        }
        None => find_header(sheet, ctx.synonyms).ok_or_else(|| ImportError::NoHeader {
            file: ctx.file.to_string(),
            sheet: sheet.name.clone(),
        }),
    }
}

/// Horizontal merges of `row`: a header spanning several columns, as (first, last) columns.
fn header_spans(merges: &[Merge], row: u32) -> Vec<(u32, u32)> {
    merges
        .iter()
        .filter(|m| m.first_row <= row && row <= m.last_row && m.last_col > m.first_col)
        .map(|m| (m.first_col, m.last_col))
        .collect()
}

/// The text of the header over `col`: that of the merged span holding it, else its own.
fn group_header<'r>(header: &'r RawRow, spans: &[(u32, u32)], col: u32) -> Option<&'r str> {
    spans
        .iter()
        .find(|(a, b)| *a <= col && col <= *b)
        .and_then(|(a, _)| header.get(*a))
        .or_else(|| header.get(col))
}

/// Whether the row right below the header is a second header row: mostly names of known fields
/// (alone or under their group's header), some of them under a merged group header.
fn has_sub_header(ctx: &SheetContext<'_>, sheet: &RawSheet, header_index: usize) -> bool {
    let header = &sheet.rows[header_index];
    let Some(next) = sheet.rows.get(header_index + 1) else {
        return false;
    };
    if next.row != header.row + 1 {
        return false;
    }
    let spans = header_spans(&sheet.merges, header.row);
    let recognized: Vec<u32> = next
        .cells
        .iter()
        .filter(|c| {
            ctx.synonyms.lookup(&c.text).is_some_and(|m| m.exact)
                || group_header(header, &spans, c.col).is_some_and(|g| {
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
    recognized.len() >= 2 && recognized.len() * 2 >= next.cells.len() && under_group
}

/// A column kept as an extra field named by its letters, for want of a header.
fn unheaded_column(col: u32, source: &'static str) -> Column {
    Column {
        col,
        header: String::new(),
        target: Target::Extra(format!("{}列（无表头）", column_letters(col))),
        synonym: None,
        part: 1,
        source,
    }
}

/// Every column that has a header or data, mapped to a field or kept as an extra field: by its
/// own header (under its group's, with a sub-header), by the merged or adjacent header that
/// spans it, or by the user's choice; a field's second column is its part 2.
fn map_columns(
    ctx: &SheetContext<'_>,
    header: &RawRow,
    sub_header: Option<&RawRow>,
    data_rows: &[RawRow],
    merges: &[Merge],
    override_: Option<&SheetOverride>,
) -> Vec<Column> {
    let mut all_cols: BTreeSet<u32> = header.cells.iter().map(|c| c.col).collect();
    if let Some(sub) = sub_header {
        all_cols.extend(sub.cells.iter().map(|c| c.col));
    }
    for row in data_rows {
        all_cols.extend(row.cells.iter().map(|c| c.col));
    }
    let main_spans = header_spans(merges, header.row);
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
            .and_then(|_| group_header(header, &main_spans, col))
            .map(str::to_string);
        let mut column = if let Some(text) = own.filter(|t| !t.trim().is_empty()) {
            headed_column(ctx, col, &text, group.as_deref())
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
                None => unheaded_column(col, "无表头"),
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
            unheaded_column(col, "无表头")
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
    columns
}

/// A column with a header of its own: the field its header names (under its group's header
/// when there is one), or an extra field under that header.
fn headed_column(ctx: &SheetContext<'_>, col: u32, text: &str, group: Option<&str>) -> Column {
    let found = group
        .and_then(|g| {
            ctx.synonyms
                .lookup(&format!("{g}{text}"))
                .filter(|m| m.exact)
        })
        .or_else(|| ctx.synonyms.lookup(text));
    match found {
        Some(m) => Column {
            col,
            header: display_header(text),
            target: Target::Field(m.field),
            synonym: Some(m.synonym),
            part: 1,
            source: if m.exact { "同义词" } else { "包含" },
        },
        None => Column {
            col,
            header: display_header(text),
            target: Target::Extra(display_header(text)),
            synonym: None,
            part: 1,
            source: "未识别",
        },
    }
}

/// Vertical merges anchored below the header, for the rows they cover.
struct VerticalMerges {
    /// Column → (first_row, last_row) of each merge, sorted.
    spans: HashMap<u32, Vec<(u32, u32)>>,
    /// First row → the last row any merge starting there covers.
    anchored: HashMap<u32, u32>,
    /// The columns with a vertical merge, sorted.
    cols: Vec<u32>,
    /// (first_row, first_col) → the text of the merge's top cell.
    tops: HashMap<(u32, u32), String>,
}

impl VerticalMerges {
    fn new(merges: &[Merge], header_row: u32, data_rows: &[RawRow]) -> VerticalMerges {
        let tops = merges
            .iter()
            .filter(|m| m.first_row > header_row && m.last_row > m.first_row)
            .filter_map(|m| {
                let i = data_rows
                    .binary_search_by_key(&m.first_row, |r| r.row)
                    .ok()?;
                let text = data_rows.get(i)?.get(m.first_col)?;
                Some(((m.first_row, m.first_col), text.to_string()))
            })
            .collect();
        let mut spans: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
        let mut anchored: HashMap<u32, u32> = HashMap::new();
        for m in merges {
            if m.first_row > header_row && m.last_row > m.first_row {
                let last = m.last_row.min(m.first_row.saturating_add(MAX_MERGE_SPAN));
                spans.entry(m.first_col).or_default().push((m.first_row, last));
                let e = anchored.entry(m.first_row).or_insert(last);
                *e = (*e).max(last);
            }
        }
        for s in spans.values_mut() {
            s.sort_unstable();
        }
        let mut cols: Vec<u32> = spans.keys().copied().collect();
        cols.sort_unstable();
        VerticalMerges {
            spans,
            anchored,
            cols,
            tops,
        }
    }

    /// The first row of the merge that covers (`row`, `col`) from above, if any.
    fn covering(&self, row: u32, col: u32) -> Option<u32> {
        let spans = self.spans.get(&col)?;
        let i = spans.partition_point(|(first, _)| *first < row);
        let (first, last) = *spans.get(i.checked_sub(1)?)?;
        (first < row && row <= last).then_some(first)
    }

    /// The text of the merge whose top cell is (`row`, `col`).
    fn top_text(&self, row: u32, col: u32) -> Option<&str> {
        self.tops.get(&(row, col)).map(String::as_str)
    }
}

/// Whether a merge at least three columns wide starts at (`row`, `col`) (a section title).
fn wide_merge_at(merges: &[Merge], row: u32, col: u32) -> bool {
    merges
        .iter()
        .any(|m| m.first_row == row && m.first_col == col && m.last_col >= m.first_col + 2)
}

/// Where the data rows lie: the header row, and the first and last rows with content and how
/// many there are (for the count of blank rows).
#[derive(Clone, Copy)]
struct DataExtent {
    header_row: u32,
    first: Option<u32>,
    last: Option<u32>,
    rows: usize,
}

impl DataExtent {
    fn of(data_rows: &[RawRow], header_row: u32) -> DataExtent {
        DataExtent {
            header_row,
            first: data_rows.first().map(|r| r.row),
            last: data_rows.last().map(|r| r.row),
            rows: data_rows.len(),
        }
    }
}

/// What a data row is, decided from its own cells and the item above.
enum RowKind {
    /// Left out, with the reason shown in the report.
    Skip(&'static str),
    /// A title over a group of rows ("一、行政处罚"): it gives them a 权力类型 or a 类别.
    Section { title: String, source: String },
    /// A row that begins an item: its own, a sub-item (子项) or the item for another level
    /// (另一层级), which take their identity from the item above.
    Start(Start),
    /// More text for the item above (续行).
    Continue,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Start {
    New,
    SubItem,
    OtherLevel,
}

impl Start {
    /// The fields such a row takes from the item above when it does not say them itself.
    fn identity(self) -> &'static [Field] {
        match self {
            Start::New => &[],
            Start::SubItem => &[
                Field::Seq,
                Field::Code,
                Field::Name,
                Field::PowerType,
                Field::Category,
            ],
            Start::OtherLevel => &[
                Field::Seq,
                Field::Code,
                Field::Name,
                Field::SubItem,
                Field::PowerType,
                Field::Category,
            ],
        }
    }

    /// How the report names the rows it inherits from.
    fn label(self) -> &'static str {
        match self {
            Start::New => "合并单元格",
            Start::SubItem => "子项",
            Start::OtherLevel => "另一层级",
        }
    }
}

/// The state of a sheet's mapping, row by row: the items so far, the section titles in force,
/// the report, and the count of cells seen and placed (every one must be placed).
struct RowMapper<'a> {
    ctx: &'a SheetContext<'a>,
    columns: &'a [Column],
    merges: &'a VerticalMerges,
    all_merges: &'a [Merge],
    /// Column → normalized header text, to recognize a repeated header block.
    header_norm: &'a HashMap<u32, String>,
    report: SheetReport,
    drafts: Vec<Draft>,
    /// Rows with content of their own.
    own_rows: BTreeSet<u32>,
    cells_total: u64,
    cells_placed: u64,
    section_power: Option<(String, String)>,
    section_category: Option<(String, String)>,
    /// (field, value, source) → items that got the value by inference.
    inferred_counts: BTreeMap<(String, String, String), u32>,
}

/// Cleaned text of a cell for `column`: short fields on one line, long ones with their breaks.
fn clean_for(column: &Column, text: &str) -> String {
    if column.short() {
        clean_short(text)
    } else {
        clean_long(text)
    }
}

impl RowMapper<'_> {
    fn column_index(&self, col: u32) -> Option<usize> {
        self.columns.binary_search_by_key(&col, |c| c.col).ok()
    }

    /// The row's own cells by column index.
    fn own_cells<'r>(&self, row: &'r RawRow) -> Vec<(usize, &'r str)> {
        row.cells
            .iter()
            .filter_map(|c| self.column_index(c.col).map(|i| (i, c.text.as_str())))
            .collect()
    }

    /// The row's own value of `field`, if any cell of its gives one.
    fn own_field(&self, own: &[(usize, &str)], field: Field) -> Option<String> {
        own.iter()
            .filter(|(i, _)| self.columns[*i].field() == Some(field))
            .map(|(_, t)| clean_short(t))
            .find(|t| !t.is_empty())
    }

    /// Take one data row: classify it, then skip it, note its section, start an item or
    /// continue the one above.
    fn take_row(&mut self, row: &RawRow) {
        self.own_rows.insert(row.row);
        self.cells_total += row.cells.len() as u64;
        let hidden = row
            .cells
            .iter()
            .filter(|c| self.merges.covering(row.row, c.col).is_some())
            .count();
        if hidden > 0 {
            self.report.warnings.push(format!(
                "第 {} 行有 {hidden} 个单元格被上方的合并单元格遮住（在 Excel 中看不到），已按其内容导入",
                row.row + 1
            ));
        }
        let own = self.own_cells(row);
        // Each branch counts the row's cells as placed where it places them.
        match self.classify(row, &own) {
            RowKind::Skip(reason) => self.skip(row, reason),
            RowKind::Section { title, source } => {
                if let Some(p) = PowerType::parse(&title) {
                    self.section_power = Some((p.label().to_string(), source));
                    self.skip(row, "分组标题行（其下事项的权力类型）");
                } else {
                    self.section_category = Some((title, source));
                    self.skip(row, "分组标题行（其下事项的类别）");
                }
            }
            RowKind::Continue => self.continue_item(row, &own),
            RowKind::Start(start) => self.start_item(row, &own, start),
        }
    }

    /// A row left out: in the report with its reason and text.
    fn skip(&mut self, row: &RawRow, reason: &str) {
        self.cells_placed += row.cells.len() as u64;
        self.report.skipped.push(SkippedRow {
            row: row.row + 1,
            reason: reason.to_string(),
            text: row_text(row),
        });
    }

    /// What `row` is: the rules of the module's documentation, in their order.
    fn classify(&self, row: &RawRow, own: &[(usize, &str)]) -> RowKind {
        // Repeated header block. Headers are short: long cells are never compared (this runs
        // on every row).
        let header_like = row
            .cells
            .iter()
            .filter(|c| c.text.len() <= 96)
            .filter(|c| {
                let n = normalize_header(&c.text);
                self.header_norm.get(&c.col) == Some(&n)
                    || self.ctx.synonyms.lookup_normalized(&n).is_some_and(|m| {
                        m.exact
                            && self.column_index(c.col).and_then(|i| self.columns[i].field())
                                == Some(m.field)
                    })
            })
            .count();
        if header_like >= 2 && header_like * 2 >= row.cells.len() {
            return RowKind::Skip("重复的表头");
        }
        let first_text = squash(&row.cells[0].text);
        if row.cells.len() <= 2
            && FOOTER_PREFIXES
                .iter()
                .any(|p| first_text.starts_with(&squash(p)))
        {
            return RowKind::Skip("表尾说明");
        }
        if let [cell] = row.cells.as_slice() {
            let leading = self.columns.iter().take(2).any(|c| c.col == cell.col);
            if is_section_title(&cell.text)
                || (leading
                    && wide_merge_at(self.all_merges, row.row, cell.col)
                    && self.own_field(own, Field::Name).is_none())
            {
                return RowKind::Section {
                    title: strip_counts(&squash(&cell.text)),
                    source: format!(
                        "分组标题“{}”（第 {} 行）",
                        clean_short(&cell.text),
                        row.row + 1
                    ),
                };
            }
            if leading
                && self.own_field(own, Field::Seq).is_some()
                && self.own_field(own, Field::Name).is_none()
                && self.merges.covering(row.row, cell.col).is_none()
                && self
                    .columns
                    .get(self.column_index(cell.col).unwrap_or(usize::MAX))
                    .and_then(Column::field)
                    == Some(Field::Seq)
            {
                return RowKind::Skip("只有序号，没有内容");
            }
        }
        self.classify_item_row(row, own)
    }

    /// Whether a row (not a skipped or title row) starts an item, which kind, or continues the
    /// item above.
    fn classify_item_row(&self, row: &RawRow, own: &[(usize, &str)]) -> RowKind {
        if self.own_field(own, Field::Name).is_some() {
            return RowKind::Start(Start::New);
        }
        if let Some(own_seq) = self.own_field(own, Field::Seq) {
            let merged_name = self
                .columns
                .iter()
                .filter(|c| c.field() == Some(Field::Name))
                .any(|c| {
                    self.merges
                        .covering(row.row, c.col)
                        .is_some_and(|top| self.merges.top_text(top, c.col).is_some())
                });
            let current_seq = self
                .drafts
                .last()
                .and_then(|d| d.field_value(self.columns, Field::Seq));
            return if merged_name {
                RowKind::Start(Start::New)
            } else if current_seq.as_ref() == Some(&own_seq) {
                RowKind::Start(Start::OtherLevel)
            } else {
                RowKind::Skip("没有事项名称")
            };
        }
        if self.drafts.is_empty() {
            return RowKind::Skip("没有事项名称（在第一条事项之前）");
        }
        let own_fields: BTreeSet<Field> = own
            .iter()
            .filter_map(|(i, _)| self.columns[*i].field())
            .collect();
        if self.own_field(own, Field::SubItem).is_some() {
            RowKind::Start(Start::SubItem)
        } else if (own_fields.contains(&Field::Subject)
            || own_fields.contains(&Field::LevelAndAuthority))
            && own_fields.len() >= 2
        {
            RowKind::Start(Start::OtherLevel)
        } else {
            RowKind::Continue
        }
    }

    /// A continuation row: its text goes into the item above (续行).
    fn continue_item(&mut self, row: &RawRow, own: &[(usize, &str)]) {
        let columns = self.columns;
        let Some(current) = self.drafts.last_mut() else {
            return;
        };
        let mut fields = Vec::new();
        for (i, text) in own {
            let column = &columns[*i];
            append(
                current.cols.entry(*i).or_default(),
                &clean_for(column, text),
                column.short(),
            );
            let label = column.label();
            if !fields.contains(&label) {
                fields.push(label);
            }
        }
        current.merged.insert(row.row);
        self.cells_placed += row.cells.len() as u64;
        if let Some(end) = self.merges.anchored.get(&row.row) {
            current.extent_end = current.extent_end.max(*end);
        }
        self.report.merged_rows.push(MergedRow {
            row: row.row + 1,
            into_row: current.row + 1,
            kind: "续行".to_string(),
            fields,
        });
    }

    /// A row that begins an item: the values of merged cells covering it, its own cells, the
    /// identity it takes from the item above (sub-item, other level), and what the section
    /// titles above it say.
    fn start_item(&mut self, row: &RawRow, own: &[(usize, &str)], start: Start) {
        let columns = self.columns;
        let mut draft = Draft {
            row: row.row,
            cols: BTreeMap::new(),
            merged: BTreeSet::new(),
            extent_end: self.merges.anchored.get(&row.row).copied().unwrap_or(row.row),
            inferred: Vec::new(),
        };
        let mut inherited_fields: Vec<String> = Vec::new();
        let mut from_row: Option<u32> = None;
        // Values of vertically merged cells covering this row.
        for &col in &self.merges.cols {
            if row.get(col).is_some() {
                continue;
            }
            if let Some(top) = self.merges.covering(row.row, col) {
                if let (Some(text), Some(i)) = (self.merges.top_text(top, col), self.column_index(col)) {
                    let column = &columns[i];
                    let cleaned = clean_for(column, text);
                    if !cleaned.is_empty() {
                        draft.cols.insert(i, cleaned);
                        inherited_fields.push(column.label());
                        from_row = Some(from_row.map_or(top, |f: u32| f.min(top)));
                    }
                }
            }
        }
        for (i, text) in own {
            let column = &columns[*i];
            append(draft.cols.entry(*i).or_default(), &clean_for(column, text), column.short());
        }
        self.cells_placed += row.cells.len() as u64;
        // Identity from the item above, for sub-item and other-level rows.
        let mut kind_label = Start::New.label();
        if let Some(current) = self.drafts.last() {
            for &field in start.identity() {
                if draft.has_field(columns, field) {
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
            kind_label = start.label();
        }
        if let Some(from) = from_row {
            self.report.inherited_rows.push(InheritedRow {
                row: row.row + 1,
                from_row: from + 1,
                kind: kind_label.to_string(),
                fields: inherited_fields,
            });
        }
        // Section context (a title row above) for what the row does not say.
        for (field, section) in [
            (Field::PowerType, &self.section_power),
            (Field::Category, &self.section_category),
        ] {
            if draft.has_field(columns, field) {
                continue;
            }
            if let Some((value, source)) = section {
                draft
                    .inferred
                    .push(format!("{}：{}（{}）", field.label(), value, source));
                *self
                    .inferred_counts
                    .entry((field.label().to_string(), value.clone(), source.clone()))
                    .or_default() += 1;
            }
        }
        self.drafts.push(draft);
    }

    /// After the last row: rows inside an item's merged cells join it, blank rows are counted,
    /// every cell is checked to be placed, and the drafts become items.
    fn finish(mut self, sheet_name: &str, data: DataExtent) -> Result<SheetResult, ImportError> {
        self.join_merged_rows();
        let merged_only: BTreeSet<u32> = self
            .report
            .merged_rows
            .iter()
            .filter(|m| m.kind == "合并单元格")
            .map(|m| m.row - 1)
            .collect();
        if let (Some(_), Some(last)) = (data.first, data.last) {
            let span = u64::from(last - data.header_row);
            let merged_in_span = merged_only.iter().filter(|r| **r <= last).count() as u64;
            self.report.blank_rows = u32::try_from(
                span.saturating_sub(data.rows as u64)
                    .saturating_sub(merged_in_span),
            )
            .unwrap_or(u32::MAX);
        }
        if self.cells_placed != self.cells_total {
            return Err(ImportError::Internal {
                file: self.ctx.file.to_string(),
                message: format!(
                    "工作表“{}”有 {} 个单元格未能归入事项或报告",
                    sheet_name,
                    self.cells_total.abs_diff(self.cells_placed)
                ),
            });
        }
        self.report.cells = u32::try_from(self.cells_total).unwrap_or(u32::MAX);

        let builder = ItemBuilder {
            ctx: self.ctx,
            columns: self.columns,
            sheet_name,
            sheet_power: power_type_from_sheet(sheet_name),
            sheet_level: level_from_sheet(sheet_name),
            has_subject_column: self.columns.iter().any(|c| c.field() == Some(Field::Subject)),
        };
        let mut inferred_counts = std::mem::take(&mut self.inferred_counts);
        let items: Vec<Item> = std::mem::take(&mut self.drafts)
            .into_iter()
            .map(|draft| builder.build(draft, &mut inferred_counts))
            .collect();
        let mut report = self.report;
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

    /// Rows with nothing of their own inside an item's vertically merged cells belong to it.
    fn join_merged_rows(&mut self) {
        let starts: Vec<u32> = self.drafts.iter().map(|d| d.row).collect();
        for (i, draft) in self.drafts.iter_mut().enumerate() {
            let limit = starts.get(i + 1).map_or(draft.extent_end, |next| {
                draft.extent_end.min(next.saturating_sub(1))
            });
            for r in draft.row + 1..=limit {
                if !self.own_rows.contains(&r) {
                    draft.merged.insert(r);
                    self.report.merged_rows.push(MergedRow {
                        row: r + 1,
                        into_row: draft.row + 1,
                        kind: "合并单元格".to_string(),
                        fields: Vec::new(),
                    });
                }
            }
        }
        self.report.merged_rows.sort_by_key(|m| m.row);
    }
}

/// Turns drafts into items: fields from their columns, extra fields, and the inferences of the
/// sheet (权力类型 and 实施层级 from its name, 行使主体 from the department).
struct ItemBuilder<'a> {
    ctx: &'a SheetContext<'a>,
    columns: &'a [Column],
    sheet_name: &'a str,
    sheet_power: Option<&'static str>,
    sheet_level: Option<String>,
    has_subject_column: bool,
}

impl ItemBuilder<'_> {
    fn build(
        &self,
        draft: Draft,
        inferred_counts: &mut BTreeMap<(String, String, String), u32>,
    ) -> Item {
        let get = |f: Field| draft.field_value(self.columns, f);
        let mut extra: Vec<ExtraField> = Vec::new();
        for (i, text) in &draft.cols {
            if let Target::Extra(header) = &self.columns[*i].target {
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
        let mut infer = |field: &str, value: &str, source: String| {
            marks.push(format!("{field}：{value}（{source}）"));
            *inferred_counts
                .entry((field.to_string(), value.to_string(), source))
                .or_default() += 1;
            Some(value.to_string())
        };
        if power_type.is_none() {
            if let Some(p) = self.sheet_power {
                power_type = infer("权力类型", p, format!("工作表名称“{}”", self.sheet_name));
            }
        }
        if level.is_none() {
            if let Some(l) = &self.sheet_level {
                level = infer("实施层级及权限", l.as_str(), format!("工作表名称“{}”", self.sheet_name));
            }
        }
        if subject.is_none() && !self.has_subject_column {
            if let Some(d) = self.ctx.department {
                subject = infer("行使主体", d.value.as_str(), d.source.clone());
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
        Item {
            uid: None,
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
                file: self.ctx.file.to_string(),
                sheet: self.sheet_name.to_string(),
                row: draft.row + 1,
                merged_rows: draft.merged.iter().map(|r| r + 1).collect(),
            }),
        }
    }
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
