//! The page and column widths of a 公示 sheet, from its content — the way the PDF notice sizes
//! its table (`quanze-pdf`, `column_widths.rs`): the columns share the width of the 版心 and
//! long texts wrap, so that the table prints at full size instead of being shrunk to the page.
//!
//! Widths are whole Excel units (7 px each, plus 5 px of padding per column; see
//! [`crate::xlsx_cells::default_cell_format`] for why that holds in LibreOffice too). Starting
//! from every column's floor, the free width goes unit by unit to the column where it saves
//! the most lines per unit: per sampled row, the lines of the tallest cell, plus half a line
//! for every line of any other cell (as the PDF counts them). A column never gets more than
//! its natural width, its text on one line.
//!
//! When even the balanced widths leave a row taller than Excel's 409 pt (a 实施依据 of a
//! thousand characters), the table is allowed wider than the 版心 — fit-to-width then prints
//! it at down to [`MIN_PRINT_SCALE`] — because a spreadsheet clips such a row.

use quanze_domain::notice::{NoticeSection, Orientation};

use crate::text_measure::{display_width, widest_line};
use crate::xlsx_cells::NoticePage;

/// No column wider than this, however long its text (it wraps).
const MAX_COLUMN_WIDTH: usize = 80;
/// The narrowest a column whose text wraps to more than two lines may get on a portrait sheet
/// before the sheet turns to landscape: about nine CJK characters a line. Narrower, the long
/// texts of a street's 配合 and 收回 tables become towers of short lines.
pub(crate) const READABLE_WRAP_WIDTH: usize = 20;
/// An Excel width unit is one digit of the default font: 7 px in Excel (Arial 10, rounded to
/// whole pixels), 7.41 px in LibreOffice (Liberation Sans, unrounded). Budgets count the wider
/// one, so that neither has to shrink a full-size table; in Excel it leaves the table about
/// 5 % narrower than the 版心. Each column adds 5 px of padding.
const UNIT_PX: f64 = 7.45;
const COLUMN_PADDING_PX: f64 = 5.0;
/// Share of the 版心 the columns may fill: room for rounding.
const PAGE_FILL: f64 = 0.98;
/// The smallest print scale a table is widened to, for rows that would otherwise exceed
/// Excel's tallest row: 11 pt body text prints at 9.7 pt or more.
pub(crate) const MIN_PRINT_SCALE: f64 = 0.88;
/// Line height of the 11 pt body text, in points (CJK faces need about 1.3 em).
pub(crate) const BODY_LINE_HEIGHT: f64 = 14.5;
/// Excel's tallest row, in points.
pub(crate) const MAX_ROW_HEIGHT: f64 = 409.0;
/// Rows the balancing looks at, evenly spread over the table (a 5,000-row list needs no more
/// to find its proportions).
const SAMPLE_ROWS: usize = 600;
/// Share of a line that an extra line in a cell that is not the tallest of its row costs.
const OTHER_LINES_WEIGHT: f64 = 0.5;

/// Half-width cells a wrapped cell of `width` Excel units holds on a line: one unit is about
/// 7 px, a half-width cell of the 11 pt body face about 7.4 px, less the cell's padding.
fn line_capacity(width: f64) -> usize {
    (((width - 1.0) * 7.0) / 7.4).floor().max(1.0) as usize
}

/// Lines of a cell whose paragraphs are `paragraphs` half-width cells wide.
fn lines_of(paragraphs: &[usize], width: f64) -> usize {
    let capacity = line_capacity(width);
    paragraphs
        .iter()
        .map(|p| p.div_ceil(capacity).max(1))
        .sum::<usize>()
        .max(1)
}

/// Lines a text takes in a wrapped cell of `width` Excel units.
pub(crate) fn wrapped_lines(text: &str, width: f64) -> usize {
    lines_of(&paragraph_widths(text), width)
}

fn paragraph_widths(text: &str) -> Vec<usize> {
    text.split('\n').map(display_width).collect()
}

/// Height of a data row: its tallest cell, estimated from the column widths. Spreadsheets do
/// not all fit wrapped rows on opening (LibreOffice 7.4 keeps the default height, clipping
/// the text), so the height is written. Excel caps a row at 409 pt.
pub(crate) fn row_height(cells: &[String], widths: &[f64]) -> f64 {
    let lines = cells
        .iter()
        .zip(widths)
        .map(|(text, width)| wrapped_lines(text, *width))
        .max()
        .unwrap_or(1);
    (lines as f64 * BODY_LINE_HEIGHT + 4.0).min(MAX_ROW_HEIGHT)
}

/// The width (Excel units) that shows a text's widest line on one line: a half-width cell of
/// the 11 pt body face is about 1.06 units, plus the cell's padding. Kept consistent with
/// [`wrapped_lines`], so that a column of natural width gives one-line rows.
pub(crate) fn one_line_width(text: &str) -> usize {
    (widest_line(text) * 106).div_ceil(100) + 2
}

/// What each column of a sheet needs: its natural width (the widest line of its cells and
/// header on one line, at most [`MAX_COLUMN_WIDTH`]), its floor (no narrower than its header
/// on one line, nor than 6) and, for the sampled rows, the widths of each cell's paragraphs.
pub(crate) struct ColumnNeeds {
    natural: Vec<usize>,
    floors: Vec<usize>,
    /// `cells[row][column]`: the display widths of the cell's paragraphs.
    cells: Vec<Vec<Vec<usize>>>,
}

impl ColumnNeeds {
    pub(crate) fn measure(sections: &[&NoticeSection]) -> ColumnNeeds {
        let Some(first) = sections.first() else {
            return ColumnNeeds {
                natural: vec![40],
                floors: vec![40],
                cells: Vec::new(),
            };
        };
        let mut natural: Vec<usize> = first
            .columns
            .iter()
            .map(|c| one_line_width(&c.header))
            .collect();
        let rows: Vec<&Vec<String>> = sections.iter().flat_map(|s| s.rows.iter()).collect();
        for row in &rows {
            for (width, text) in natural.iter_mut().zip(row.iter()) {
                *width = (*width).max(one_line_width(text));
            }
        }
        let natural: Vec<usize> = natural
            .into_iter()
            .map(|w| w.clamp(4, MAX_COLUMN_WIDTH))
            .collect();
        let floors = first
            .columns
            .iter()
            .zip(&natural)
            .map(|(c, n)| (*n).min(one_line_width(&c.header).max(6)))
            .collect();
        let stride = rows.len().div_ceil(SAMPLE_ROWS).max(1);
        let cells = rows
            .iter()
            .step_by(stride)
            .map(|row| row.iter().map(|text| paragraph_widths(text)).collect())
            .collect();
        ColumnNeeds {
            natural,
            floors,
            cells,
        }
    }

    fn count(&self) -> usize {
        self.natural.len()
    }

    /// Lines of each sampled cell at `widths`.
    fn lines(&self, widths: &[usize]) -> Vec<Vec<usize>> {
        self.cells
            .iter()
            .map(|row| {
                row.iter()
                    .zip(widths)
                    .map(|(cell, width)| lines_of(cell, *width as f64))
                    .collect()
            })
            .collect()
    }

    /// Widths within `budget` units: the natural ones when they fit; else the shorter table
    /// (fewer lines over the sampled rows) of two plans — the widest columns capped at a common
    /// width, and the units handed out by [`ColumnNeeds::balance`]. The first is right when
    /// long texts are alike (each row's tallest cell is shortened only by widening them all,
    /// which one unit at a time never shows), the second when one column's text is much longer.
    /// Over the budget only when the floors are.
    pub(crate) fn fit(&self, budget: usize) -> Vec<usize> {
        if self.natural.iter().sum::<usize>() <= budget {
            return self.natural.clone();
        }
        let capped = self.capped(budget);
        let balanced = self.balance(budget);
        if self.table_lines(&balanced) < self.table_lines(&capped) {
            balanced
        } else {
            capped
        }
    }

    /// Lines of the sampled rows' tallest cells: the table's height in lines.
    fn table_lines(&self, widths: &[usize]) -> usize {
        self.lines(widths)
            .iter()
            .map(|row| row.iter().copied().max().unwrap_or(1))
            .sum()
    }

    /// The widest columns capped at the largest common width that fits `budget`, never below
    /// their floors.
    fn capped(&self, budget: usize) -> Vec<usize> {
        let with_cap = |cap: usize| -> Vec<usize> {
            self.natural
                .iter()
                .zip(&self.floors)
                .map(|(n, f)| (*n).min(cap).max(*f))
                .collect()
        };
        // The largest cap that fits the budget (binary search; the sum grows with the cap).
        let (mut low, mut high) = (0usize, MAX_COLUMN_WIDTH);
        while low < high {
            let mid = (low + high).div_ceil(2);
            if with_cap(mid).iter().sum::<usize>() <= budget {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        with_cap(low)
    }

    /// From the floors, the free units each to the column that saves the most lines per unit.
    fn balance(&self, budget: usize) -> Vec<usize> {
        let mut widths = self.floors.clone();
        let mut remaining = budget.saturating_sub(widths.iter().sum());
        // A line is saved only once a column is wide enough for it: several step sizes, so
        // that a larger step can show a gain where one unit shows none.
        const STEPS: [usize; 7] = [1, 2, 4, 8, 16, 32, 64];
        let mut lines = self.lines(&widths);
        while remaining > 0 {
            let tops: Vec<Tops> = lines.iter().map(|row| Tops::of(row)).collect();
            let mut best: Option<(f64, usize, usize)> = None; // (lines per unit, column, step)
            for (column, (width, natural)) in widths.iter().zip(&self.natural).enumerate() {
                let room = natural.saturating_sub(*width);
                for step in STEPS.map(|s| s.min(room).min(remaining)) {
                    if step == 0 {
                        continue;
                    }
                    let gain = self.gain(&lines, &tops, column, (width + step) as f64);
                    let per_unit = gain / step as f64;
                    if per_unit > 0.0 && best.is_none_or(|(b, _, _)| per_unit > b + 1e-9) {
                        best = Some((per_unit, column, step));
                    }
                }
            }
            let Some((_, column, step)) = best else {
                break;
            };
            widths[column] += step;
            remaining -= step;
            for (cells, row) in self.cells.iter().zip(lines.iter_mut()) {
                row[column] = lines_of(&cells[column], widths[column] as f64);
            }
        }
        widths
    }

    /// Lines saved over the sampled rows if `column` were `width` wide: the tallest cell's
    /// lines saved per row, plus half of the column's own lines saved.
    fn gain(&self, lines: &[Vec<usize>], tops: &[Tops], column: usize, width: f64) -> f64 {
        self.cells
            .iter()
            .zip(lines)
            .zip(tops)
            .map(|((cells, row), tops)| {
                let old = row[column];
                let new = lines_of(&cells[column], width);
                if new >= old {
                    return 0.0;
                }
                let others = tops.without(column);
                let top_saved = old.max(others) - new.max(others);
                top_saved as f64 + OTHER_LINES_WEIGHT * (old - new) as f64
            })
            .sum()
    }

    /// Whether `widths` print at full size (within `budget`) with every column either at
    /// least [`READABLE_WRAP_WIDTH`] wide or holding its longest text in two lines.
    fn readable(&self, widths: &[usize], budget: usize) -> bool {
        widths.iter().sum::<usize>() <= budget
            && widths
                .iter()
                .zip(&self.natural)
                .all(|(w, n)| *w >= READABLE_WRAP_WIDTH || *n <= 2 * w)
    }

    /// Whether some sampled row would be taller than Excel allows at `widths`.
    fn overflows(&self, widths: &[usize]) -> bool {
        self.lines(widths).iter().any(|row| {
            let tallest = row.iter().copied().max().unwrap_or(1);
            tallest as f64 * BODY_LINE_HEIGHT + 4.0 > MAX_ROW_HEIGHT
        })
    }
}

/// A row's tallest cell (lines, column) and the second tallest's lines: what the row's height
/// would be without any one cell.
struct Tops {
    first: (usize, usize),
    second: usize,
}

impl Tops {
    fn of(row: &[usize]) -> Tops {
        let mut tops = Tops {
            first: (0, usize::MAX),
            second: 0,
        };
        for (column, &lines) in row.iter().enumerate() {
            if lines > tops.first.0 {
                tops.second = tops.first.0;
                tops.first = (lines, column);
            } else if lines > tops.second {
                tops.second = lines;
            }
        }
        tops
    }

    /// The tallest of the other cells of the row.
    fn without(&self, column: usize) -> usize {
        if self.first.1 == column {
            self.second
        } else {
            self.first.0
        }
    }
}

/// The width units `count` columns may take on `page` printed at `scale`.
pub(crate) fn width_budget(page: NoticePage, count: usize, scale: f64) -> usize {
    let pixels = page.printable_width_px() * PAGE_FILL / scale - COLUMN_PADDING_PX * count as f64;
    (pixels / UNIT_PX).floor().max(0.0) as usize
}

/// A notice sheet's page and column widths (Excel units).
#[derive(Debug, PartialEq)]
pub(crate) struct SheetLayout {
    pub(crate) page: NoticePage,
    pub(crate) widths: Vec<f64>,
}

/// Widths on `page` at full size, or — when a row would overflow — at the smallest scale down
/// to [`MIN_PRINT_SCALE`] that avoids it. Returns the widths and the full-size budget.
fn widths_on(needs: &ColumnNeeds, page: NoticePage) -> (Vec<usize>, usize) {
    let full_size = width_budget(page, needs.count(), 1.0);
    let mut widths = needs.fit(full_size);
    for scale in [0.96, 0.92, MIN_PRINT_SCALE] {
        if !needs.overflows(&widths) {
            break;
        }
        widths = needs.fit(width_budget(page, needs.count(), scale));
    }
    (widths, full_size)
}

/// The page and widths of a sheet holding `sections`: landscape when the notice is; else
/// portrait when its columns fit there readably at full size ([`ColumnNeeds::readable`]),
/// landscape when not.
pub(crate) fn sheet_layout(sections: &[&NoticeSection], orientation: Orientation) -> SheetLayout {
    let needs = ColumnNeeds::measure(sections);
    let layout = |page: NoticePage, widths: Vec<usize>| SheetLayout {
        page,
        widths: widths.into_iter().map(|w| w as f64).collect(),
    };
    if orientation == Orientation::Portrait {
        let (widths, budget) = widths_on(&needs, NoticePage::Portrait);
        if needs.readable(&widths, budget) {
            return layout(NoticePage::Portrait, widths);
        }
    }
    let (widths, _) = widths_on(&needs, NoticePage::Landscape);
    layout(NoticePage::Landscape, widths)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quanze_domain::notice::NoticeColumn;

    fn section(headers: &[&str], rows: Vec<Vec<String>>) -> NoticeSection {
        NoticeSection {
            heading: None,
            columns: headers
                .iter()
                .map(|h| NoticeColumn {
                    header: h.to_string(),
                    field: "name".to_string(),
                })
                .collect(),
            rows,
        }
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    fn widths(sections: &[&NoticeSection], budget: usize) -> Vec<usize> {
        ColumnNeeds::measure(sections).fit(budget)
    }

    #[test]
    fn narrow_tables_keep_natural_widths_and_wide_ones_share_the_budget() {
        let narrow = section(&["序号", "事项名称"], vec![row(&["1", "行政许可事项"])]);
        assert_eq!(widths(&[&narrow], 100), vec![7, 15]);
        for text in ["序号", "对未取得建设工程规划许可证进行建设的处罚", "A-1"] {
            assert_eq!(wrapped_lines(text, one_line_width(text) as f64), 1, "{text}");
        }

        let long = "依据".repeat(200);
        let wide = section(
            &["序号", "事项名称", "实施依据", "责任事项内容"],
            vec![row(&["1", "名称", &long, &long])],
        );
        let widths = widths(&[&wide], 78);
        assert!(widths.iter().sum::<usize>() <= 78, "{widths:?}");
        assert_eq!(widths[0], 7, "short columns are not squeezed: {widths:?}");
        assert!(
            widths[2].abs_diff(widths[3]) <= 2,
            "equally long columns get about the same: {widths:?}"
        );
    }

    #[test]
    fn the_free_width_goes_to_the_column_with_the_longest_text() {
        // A real list's shape: a 依据 of several hundred characters beside a 承办机构 of one
        // line; the 依据 gets the width, the unit name wraps at most once.
        let basis = "《中华人民共和国行政处罚法》第三十二条规定的情形。".repeat(20);
        let rows: Vec<Vec<String>> = (0..30)
            .map(|n| row(&[&n.to_string(), &basis, "市文化市场综合行政执法支队（广电管理科）"]))
            .collect();
        let table = section(&["序号", "实施依据", "承办机构"], rows);
        let widths = widths(&[&table], 110);
        assert!(widths[1] >= 2 * widths[2], "{widths:?}");
    }

    #[test]
    fn row_heights_follow_the_wrapped_lines_of_the_tallest_cell() {
        // 10 units hold 9 half-width cells: four CJK characters a line.
        assert_eq!(wrapped_lines("一二三四", 10.0), 1);
        assert_eq!(wrapped_lines("一二三四五", 10.0), 2);
        assert_eq!(wrapped_lines("一\n二\n\n三", 10.0), 4);
        let cells = vec!["1".to_string(), "一二三四五六七八九".to_string()];
        assert_eq!(row_height(&cells, &[6.0, 10.0]), 3.0 * BODY_LINE_HEIGHT + 4.0);
        let huge = vec!["字".repeat(5_000)];
        assert_eq!(row_height(&huge, &[10.0]), MAX_ROW_HEIGHT);
    }

    #[test]
    fn the_budget_is_the_text_area_at_full_size() {
        // 156 mm and 225 mm at 96 px an inch, 98 % of it, less 5 px a column, in 7.45 px units.
        assert_eq!(width_budget(NoticePage::Portrait, 5, 1.0), 74);
        assert_eq!(width_budget(NoticePage::Landscape, 6, 1.0), 107);
        assert!(width_budget(NoticePage::Landscape, 6, MIN_PRINT_SCALE) > 107);
    }

    /// Issue 17 item 4: a street's 配合 table (three long texts side by side) printed at about
    /// half size on portrait A4; its sheet now turns to landscape, the 基本 table stays portrait.
    #[test]
    fn a_sheet_turns_to_landscape_only_when_its_columns_need_it() {
        let basic = section(
            &["序号", "事项名称", "类别", "实施依据", "备注"],
            (1..=40)
                .map(|n| {
                    row(&[
                        &n.to_string(),
                        "组织开展党员教育管理和发展党员工作",
                        "党的建设",
                        "《中国共产党支部工作条例（试行）》",
                        "",
                    ])
                })
                .collect(),
        );
        let coordination = section(
            &["序号", "事项名称", "牵头部门", "上级部门职责", "街道配合职责", "备注"],
            (1..=40)
                .map(|n| {
                    row(&[
                        &n.to_string(),
                        "就业困难人员认定",
                        "青川区人力资源和社会保障局",
                        "牵头做好全区就业困难人员援助工作，制定工作方案，组织开展认定、帮扶和政策落实。",
                        "落实属地责任，组织社区开展就业困难人员援助相关宣传、排查登记，发现问题及时报告。",
                        "",
                    ])
                })
                .collect(),
        );
        let portrait = sheet_layout(&[&basic], Orientation::Portrait);
        assert_eq!(portrait.page, NoticePage::Portrait);
        assert!(portrait.widths.iter().sum::<f64>() <= 74.0, "{portrait:?}");
        let turned = sheet_layout(&[&coordination], Orientation::Portrait);
        assert_eq!(turned.page, NoticePage::Landscape);
        assert!(turned.widths.iter().sum::<f64>() <= 107.0, "{turned:?}");
        assert_eq!(
            sheet_layout(&[&basic], Orientation::Landscape).page,
            NoticePage::Landscape,
            "a landscape notice prints landscape throughout"
        );
    }

    #[test]
    fn a_row_that_would_overflow_widens_the_table_down_to_the_minimum_scale() {
        let basis = "依".repeat(800);
        let table = section(
            &["序号", "事项名称", "实施依据", "责任事项"],
            vec![row(&["1", "对违反规定的处罚", &basis, &basis])],
        );
        let layout = sheet_layout(&[&table], Orientation::Landscape);
        let sum: f64 = layout.widths.iter().sum();
        assert!(sum > 108.0, "wider than full size: {layout:?}");
        assert!(
            sum <= width_budget(NoticePage::Landscape, 4, MIN_PRINT_SCALE) as f64,
            "{layout:?}"
        );
    }
}
