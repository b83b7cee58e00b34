//! Table column widths from content.
//!
//! A row is as tall as its tallest cell, so the widths that make a table short are the ones
//! that balance the cells of each row. Starting from every column's minimum, the free width is
//! handed out piece by piece to the column where it saves the most lines per point, counting
//! for a sample of rows the lines of the tallest cell, plus half a line for every line of
//! every other cell (so that, once the tallest cells are balanced, a short column such as 事项
//! 名称 still gets its value onto one line rather than two). Lines are estimated from the
//! natural widths of a cell's text (its width set on one line, per hard line feed); the real
//! wrap happens later with UAX #14 and 避头尾.

/// What the planner knows about one column.
#[derive(Debug, Clone)]
pub(crate) struct ColumnMeasure {
    /// Narrowest width allowed, padding included.
    pub minimum: f32,
    /// For each sampled row, the natural width of each hard line of the cell.
    pub cells: Vec<Vec<f32>>,
}

/// Share of a line that an extra line in a cell that is not the tallest of its row costs.
const OTHER_LINES_WEIGHT: f32 = 0.5;

fn lines(cell: &[f32], inner: f32) -> f32 {
    if inner <= 0.0 {
        return f32::INFINITY;
    }
    cell.iter()
        .map(|width| ((width - 0.01) / inner).ceil().max(1.0))
        .sum::<f32>()
        .max(1.0)
}

/// Widths that sum to `available`. `padding` is the part of a width text cannot use.
pub(crate) fn plan_widths(columns: &[ColumnMeasure], available: f32, padding: f32) -> Vec<f32> {
    let count = columns.len();
    let mut widths: Vec<f32> = columns.iter().map(|column| column.minimum).collect();
    let sum_min: f32 = widths.iter().sum();
    if sum_min >= available || count == 0 {
        return widths
            .iter()
            .map(|w| w * available / sum_min.max(1.0))
            .collect();
    }
    let rows = columns.first().map_or(0, |column| column.cells.len());
    // Width beyond which a column gains nothing: its widest line on one line.
    let useful: Vec<f32> = columns
        .iter()
        .map(|column| column.cells.iter().flatten().fold(0.0f32, |a, &b| a.max(b)) + padding)
        .collect();

    // Lines of each cell at the current widths, and per row the tallest and second tallest.
    let mut cell_lines: Vec<Vec<f32>> = (0..rows)
        .map(|row| {
            (0..count)
                .map(|column| lines(&columns[column].cells[row], widths[column] - padding))
                .collect()
        })
        .collect();

    let mut remaining = available - sum_min;
    let unit = (remaining / 400.0).max(0.5);
    // Several step sizes, the whole rest included: a line is saved only once a column is
    // wide enough for it, so small steps alone can see no gain where a larger one has some.
    let steps = [1.0f32, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, f32::INFINITY];
    while remaining > unit * 0.5 {
        // Tallest and second tallest per row, to price a change in one cell.
        let tops: Vec<(f32, usize, f32)> = cell_lines
            .iter()
            .map(|row| {
                let mut first = (0.0f32, usize::MAX);
                let mut second = 0.0f32;
                for (column, &value) in row.iter().enumerate() {
                    if value > first.0 {
                        second = first.0;
                        first = (value, column);
                    } else if value > second {
                        second = value;
                    }
                }
                (first.0, first.1, second)
            })
            .collect();
        let mut best: Option<(f32, usize, f32)> = None; // (gain per point, column, step)
        for column in 0..count {
            if widths[column] >= useful[column] {
                continue;
            }
            for step in steps {
                let step = (step * unit)
                    .min(remaining)
                    .min(useful[column] - widths[column]);
                if step <= 0.0 {
                    continue;
                }
                let inner = widths[column] + step - padding;
                let mut gain = 0.0f32;
                for (row, &(top, top_column, second)) in tops.iter().enumerate() {
                    let old = cell_lines[row][column];
                    let new = lines(&columns[column].cells[row], inner);
                    if new >= old {
                        continue;
                    }
                    let old_top = top;
                    let new_top = if top_column == column {
                        new.max(second)
                    } else {
                        top
                    };
                    gain += (old_top - new_top) + OTHER_LINES_WEIGHT * (old - new);
                }
                let per_point = gain / step;
                if per_point > 0.0 && best.is_none_or(|(b, _, _)| per_point > b + 1e-6) {
                    best = Some((per_point, column, step));
                }
            }
        }
        let Some((_, column, step)) = best else {
            break;
        };
        widths[column] += step;
        remaining -= step;
        let inner = widths[column] - padding;
        for (row, values) in cell_lines.iter_mut().enumerate() {
            values[column] = lines(&columns[column].cells[row], inner);
        }
    }
    refine(columns, &mut widths, &mut cell_lines, padding);
    // Width no line needs any more goes, in proportion, to the columns that still wrap (a
    // table spans the 版心); when none wraps, to every column.
    if remaining > 0.0 {
        let wrapping: Vec<usize> = (0..count)
            .filter(|&column| widths[column] < useful[column] - 0.01)
            .collect();
        let receivers: Vec<usize> = if wrapping.is_empty() {
            (0..count).collect()
        } else {
            wrapping
        };
        let total: f32 = receivers.iter().map(|&column| widths[column]).sum();
        for &column in &receivers {
            widths[column] += remaining * widths[column] / total.max(1.0);
        }
    }
    widths
}

/// Estimated lines of the sampled rows at `widths`: per row, its tallest cell.
pub(crate) fn estimated_lines(columns: &[ColumnMeasure], widths: &[f32], padding: f32) -> f32 {
    let rows = columns.first().map_or(0, |column| column.cells.len());
    (0..rows)
        .map(|row| {
            columns
                .iter()
                .zip(widths)
                .map(|(column, width)| lines(&column.cells[row], width - padding))
                .fold(1.0f32, f32::max)
        })
        .sum()
}

/// The greedy pass is short-sighted: while a long-text column is narrow, each point it gets
/// saves many lines, so it takes everything before a short column can make its one jump to a
/// single line (which saves nothing until the whole jump is made). This pass moves width from
/// the widest columns to any column whose next jump pays for what the donor loses, until no
/// move lowers the cost.
fn refine(
    columns: &[ColumnMeasure],
    widths: &mut [f32],
    cell_lines: &mut [Vec<f32>],
    padding: f32,
) {
    let count = columns.len();
    if count < 2 {
        return;
    }
    for _ in 0..60 {
        let mut donors: Vec<usize> = (0..count).collect();
        donors.sort_by(|&a, &b| widths[b].total_cmp(&widths[a]));
        donors.truncate(3);
        let mut best: Option<(f32, usize, usize, f32)> = None; // (cost change, from, to, amount)
        for to in 0..count {
            for amount in jumps(&columns[to], widths[to] - padding) {
                let new_to: Vec<f32> = columns[to]
                    .cells
                    .iter()
                    .map(|cell| lines(cell, widths[to] + amount - padding))
                    .collect();
                for &from in &donors {
                    if from == to || widths[from] - amount < columns[from].minimum - 0.001 {
                        continue;
                    }
                    let mut change = 0.0f32;
                    for (row, values) in cell_lines.iter().enumerate() {
                        let new_from =
                            lines(&columns[from].cells[row], widths[from] - amount - padding);
                        let mut old_top = 0.0f32;
                        let mut new_top = 0.0f32;
                        for (column, &value) in values.iter().enumerate() {
                            old_top = old_top.max(value);
                            let updated = if column == from {
                                new_from
                            } else if column == to {
                                new_to[row]
                            } else {
                                value
                            };
                            new_top = new_top.max(updated);
                        }
                        change += new_top - old_top
                            + OTHER_LINES_WEIGHT
                                * (new_from - values[from] + new_to[row] - values[to]);
                    }
                    if change < -1e-3 && best.is_none_or(|(b, _, _, _)| change < b) {
                        best = Some((change, from, to, amount));
                    }
                }
            }
        }
        let Some((_, from, to, amount)) = best else {
            return;
        };
        widths[from] -= amount;
        widths[to] += amount;
        for (row, values) in cell_lines.iter_mut().enumerate() {
            values[from] = lines(&columns[from].cells[row], widths[from] - padding);
            values[to] = lines(&columns[to].cells[row], widths[to] - padding);
        }
    }
}

/// Widenings of a column that save a line in some rows: the smallest, the median and the
/// largest of the per-row amounts needed to lose one line.
fn jumps(column: &ColumnMeasure, inner: f32) -> Vec<f32> {
    let mut needed: Vec<f32> = column
        .cells
        .iter()
        .filter_map(|cell| {
            let current = lines(cell, inner);
            if current <= 1.0 {
                return None;
            }
            // Width at which the cell needs one line less, found by doubling then bisection.
            let (mut low, mut high) = (inner, inner * 2.0 + 1.0);
            while lines(cell, high) >= current {
                high *= 2.0;
                if high > 1.0e5 {
                    return None;
                }
            }
            for _ in 0..20 {
                let middle = (low + high) / 2.0;
                if lines(cell, middle) < current {
                    high = middle;
                } else {
                    low = middle;
                }
            }
            Some(high - inner + 0.01)
        })
        .collect();
    if needed.is_empty() {
        return Vec::new();
    }
    needed.sort_by(f32::total_cmp);
    let mut picks = vec![
        needed[0],
        needed[needed.len() / 2],
        needed[needed.len() - 1],
    ];
    picks.dedup_by(|a, b| (*a - *b).abs() < 0.01);
    picks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(minimum: f32, cells: &[f32]) -> ColumnMeasure {
        ColumnMeasure {
            minimum,
            cells: cells.iter().map(|&w| vec![w]).collect(),
        }
    }

    #[test]
    fn widths_sum_to_the_available_width() {
        let columns = [
            column(20.0, &[10.0, 12.0]),
            column(20.0, &[300.0, 500.0]),
            column(20.0, &[40.0, 40.0]),
        ];
        let widths = plan_widths(&columns, 400.0, 6.0);
        assert!(
            (widths.iter().sum::<f32>() - 400.0).abs() < 0.01,
            "{widths:?}"
        );
        for (width, column) in widths.iter().zip(&columns) {
            assert!(*width >= column.minimum - 0.01);
        }
    }

    #[test]
    fn short_values_get_one_line_when_long_text_dominates() {
        // A name column of 42 pt values next to a 3000 pt basis: the name still fits on one line.
        let names = column(27.0, &[42.0; 50]);
        let basis = column(27.0, &[3000.0; 50]);
        let widths = plan_widths(&[names, basis], 440.0, 6.0);
        assert!(widths[0] >= 48.0 - 0.01, "{widths:?}");
    }

    #[test]
    fn long_columns_share_by_their_amount_of_text() {
        let a = column(20.0, &[2000.0; 20]);
        let b = column(20.0, &[1000.0; 20]);
        let widths = plan_widths(&[a, b], 300.0, 0.0);
        let ratio = widths[0] / widths[1];
        assert!((1.6..2.5).contains(&ratio), "{widths:?}");
    }

    #[test]
    fn too_many_columns_shrink_to_fit() {
        let columns: Vec<ColumnMeasure> = (0..10).map(|_| column(50.0, &[10.0])).collect();
        let widths = plan_widths(&columns, 400.0, 6.0);
        assert!((widths.iter().sum::<f32>() - 400.0).abs() < 0.01);
    }
}
