//! A street's org chart as SVG: leaders on top, then the 内设机构, 中心 and 派驻 bands, each box
//! with its name and 编制 figures, and a line from every leader to each box in their charge
//! (分管). A community's chart is drawn the same way: its 两委 members on top, then the 两委
//! band (党组织, 居委会: a line from the 书记 / 主任, the number of members) and the 站（办）band
//! (a line from the 两委 member in charge, each post's 核定 and 实配 numbers).
//!
//! Layout: the unit boxes sit in one grid of equal cells for all bands, so the gutters between
//! columns line up from top to bottom and carry the lines to lower rows without crossing a box.
//! Each leader owns a horizontal lane under the leader row, a vertical track in every gutter
//! and an approach lane above every row, so lines of different leaders never overlap (they may
//! cross). A box in the first row is reached straight down from the lane; a box in a lower row
//! through the gutter on its left.
//!
//! Sizes are estimated from the text (a CJK character is one em, anything else about half),
//! so no font is loaded. All text is XML-escaped, and characters XML cannot carry (control
//! characters) are dropped, so the output is well-formed whatever the names are.
//! Only presentation attributes are used (no `<style>`), so the SVG shows the same under a
//! strict CSP and in any viewer.

use std::fmt::Write as _;

use quanze_domain::notice::{OrgChart, OrgChartDepartment, OrgChartRow};

use crate::text_measure::{display_width, wrap_to_width};

/// Font families of every text in the chart.
pub const ORG_CHART_FONTS: &str = "'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";

const MARGIN: i32 = 24;
const PADDING: i32 = 10;
const TITLE_SIZE: i32 = 22;
const NAME_SIZE: i32 = 15;
const SMALL_SIZE: i32 = 12;
const LINE_GAP: i32 = 4;
/// A unit name wraps at this many half-width cells (eight CJK characters).
const NAME_WRAP: usize = 16;
const MIN_BOX_WIDTH: i32 = 96;
/// At most this many boxes side by side; more wrap into further rows.
const MAX_PER_ROW: usize = 7;
/// Space between two leader boxes.
const LEADER_GAP: i32 = 24;
/// Distance between two leaders' lanes and tracks.
const TRACK_STEP: i32 = 8;
/// Width of the column of band labels at the left.
const LABEL_WIDTH: i32 = 84;

/// The SVG document of the chart (UTF-8 text, standalone).
pub fn render_org_chart_svg(chart: &OrgChart) -> String {
    ChartLayout::new(chart).to_svg(chart)
}

/// Text size of a line in pixels: CJK characters one em, others about half an em.
fn text_width(text: &str, size: i32) -> i32 {
    let half_cells = i32::try_from(display_width(text)).unwrap_or(i32::MAX / 64);
    (half_cells * size + 1) / 2
}

/// Text for XML: escaped; control characters (which XML 1.0 cannot carry and nobody sees)
/// dropped, tab and line breaks made spaces, the non-characters U+FFFE/U+FFFF replaced.
fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The lines of a box: the (wrapped) name, then the figures.
struct BoxText {
    /// (text, font size, bold)
    lines: Vec<(String, i32, bool)>,
}

impl BoxText {
    fn width(&self) -> i32 {
        let widest = self
            .lines
            .iter()
            .map(|(text, size, _)| text_width(text, *size))
            .max()
            .unwrap_or(0);
        (widest + 2 * PADDING).max(MIN_BOX_WIDTH)
    }

    fn height(&self) -> i32 {
        let text: i32 = self.lines.iter().map(|(_, size, _)| size + LINE_GAP).sum();
        text - LINE_GAP + 2 * PADDING
    }
}

fn figures(unit: &OrgChartDepartment) -> Vec<String> {
    let mut lines = Vec::new();
    let posts: Vec<String> = [("行政", unit.admin_posts), ("事业", unit.institution_posts)]
        .into_iter()
        .filter_map(|(label, n)| n.map(|n| format!("{label}{n}")))
        .collect();
    if !posts.is_empty() {
        lines.push(format!("编制 {}", posts.join(" · ")));
    }
    let staff: Vec<String> = [
        ("实有", unit.actual_headcount),
        ("领导职数", unit.leader_posts),
    ]
    .into_iter()
    .filter_map(|(label, n)| n.map(|n| format!("{label} {n}")))
    .collect();
    if !staff.is_empty() {
        lines.push(staff.join(" · "));
    }
    if let Some(members) = unit.members {
        lines.push(format!("成员 {members} 人"));
    }
    for post in &unit.posts {
        let numbers: Vec<String> = [("核定", post.approved), ("实配", post.filled)]
            .into_iter()
            .filter_map(|(label, n)| n.map(|n| format!("{label} {n}")))
            .collect();
        let name = post.name.trim();
        lines.push(if numbers.is_empty() { name.to_string() } else { format!("{name} {}", numbers.join(" · ")) });
    }
    lines
}

fn unit_text(unit: &OrgChartDepartment) -> BoxText {
    let mut lines: Vec<(String, i32, bool)> = wrap_to_width(unit.name.trim(), NAME_WRAP)
        .into_iter()
        .filter(|l| !l.is_empty())
        .map(|l| (l, NAME_SIZE, true))
        .collect();
    if lines.is_empty() {
        lines.push(("（未命名）".to_string(), NAME_SIZE, true));
    }
    lines.extend(figures(unit).into_iter().map(|l| (l, SMALL_SIZE, false)));
    BoxText { lines }
}

#[derive(Debug, Clone, Copy)]
struct Rect {
    x: i32,
    y: i32,
    width: i32,
    height: i32,
}

impl Rect {
    fn centre_x(&self) -> i32 {
        self.x + self.width / 2
    }
    fn bottom(&self) -> i32 {
        self.y + self.height
    }
}

/// The bands of the chart, top to bottom, with their labels.
const BANDS: [(OrgChartRow, &str, &str, &str); 5] = [
    (OrgChartRow::Department, "内设机构", "#eef3fb", "#1f4e79"),
    (OrgChartRow::Centre, "事业单位", "#eef7ee", "#2e7d32"),
    (OrgChartRow::Dispatched, "派驻机构", "#f4f4f4", "#616161"),
    (OrgChartRow::Committee, "社区两委", "#fdf3e7", "#a65e00"),
    (OrgChartRow::Station, "站（办）", "#eef3fb", "#1f4e79"),
];

struct ChartLayout {
    width: i32,
    height: i32,
    title_y: i32,
    leader_boxes: Vec<(Rect, BoxText)>,
    /// Per unit (index into `chart.departments`): its box, text, grid row and column.
    unit_boxes: Vec<(Rect, BoxText, usize, usize)>,
    /// Per band present: label, label y, band top and bottom.
    band_labels: Vec<(&'static str, i32)>,
    /// Left edge of each grid column's cell, and the gutter width to its left.
    cell_left: Vec<i32>,
    gutter: i32,
    /// Top of each grid row and the gap above it.
    row_top: Vec<i32>,
    row_gap: i32,
    lane_top: i32,
}

impl ChartLayout {
    fn new(chart: &OrgChart) -> ChartLayout {
        let leader_count = i32::try_from(chart.leaders.len()).unwrap_or(i32::MAX / 64);
        let track_span = (leader_count + 1) * TRACK_STEP;
        let gutter = track_span.max(28);
        let row_gap = (track_span + 12).max(32);

        // Leaders: name, then the post wrapped.
        let leader_texts: Vec<BoxText> = chart
            .leaders
            .iter()
            .map(|leader| {
                let mut lines = vec![(leader.name.trim().to_string(), NAME_SIZE + 1, true)];
                lines.extend(
                    wrap_to_width(leader.post.trim(), 24)
                        .into_iter()
                        .filter(|l| !l.is_empty())
                        .map(|l| (l, SMALL_SIZE, false)),
                );
                BoxText { lines }
            })
            .collect();
        let leader_height = leader_texts.iter().map(BoxText::height).max().unwrap_or(0);
        let leaders_width: i32 = leader_texts
            .iter()
            .map(|t| t.width() + LEADER_GAP)
            .sum::<i32>()
            - if leader_texts.is_empty() {
                0
            } else {
                LEADER_GAP
            };

        // Units: equal cells; each band fills rows of `per_row` cells.
        let unit_texts: Vec<BoxText> = chart.departments.iter().map(unit_text).collect();
        let cell_width = unit_texts
            .iter()
            .map(BoxText::width)
            .max()
            .unwrap_or(MIN_BOX_WIDTH);
        let unit_height = unit_texts.iter().map(BoxText::height).max().unwrap_or(0);
        let band_members: Vec<Vec<usize>> = BANDS
            .iter()
            .map(|(row, ..)| {
                chart
                    .departments
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| d.row == *row)
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        let per_row = band_members
            .iter()
            .map(|members| {
                let rows = members.len().div_ceil(MAX_PER_ROW).max(1);
                members.len().div_ceil(rows)
            })
            .max()
            .unwrap_or(1)
            .max(1);
        let columns = i32::try_from(per_row).unwrap_or(1);
        let grid_left = MARGIN + LABEL_WIDTH + gutter;
        let grid_width = columns * cell_width + (columns - 1) * gutter;
        let content_width = (LABEL_WIDTH + gutter + grid_width).max(leaders_width);
        let width = content_width + 2 * MARGIN;

        let title_y = MARGIN + TITLE_SIZE;
        let leaders_top = title_y + 24;
        let leaders_left = MARGIN + (content_width - leaders_width) / 2;
        let mut x = leaders_left;
        let leader_boxes: Vec<(Rect, BoxText)> = leader_texts
            .into_iter()
            .map(|text| {
                let rect = Rect {
                    x,
                    y: leaders_top,
                    width: text.width(),
                    height: leader_height,
                };
                x += rect.width + LEADER_GAP;
                (rect, text)
            })
            .collect();
        let lane_top = leaders_top + leader_height;
        let first_row_top = lane_top + track_span + 16;

        let cell_left: Vec<i32> = (0..columns)
            .map(|c| grid_left + c * (cell_width + gutter))
            .collect();
        let mut row_top: Vec<i32> = Vec::new();
        let mut band_labels = Vec::new();
        let mut placed: Vec<Option<(Rect, usize, usize)>> = vec![None; chart.departments.len()];
        let mut y = first_row_top;
        for ((_, label, ..), members) in BANDS.iter().zip(&band_members) {
            if members.is_empty() {
                continue;
            }
            let band_top = y;
            for chunk in members.chunks(per_row) {
                let row = row_top.len();
                row_top.push(y);
                // A short row sits on grid cells, as centred as the grid allows.
                let offset = (per_row - chunk.len()) / 2;
                for (k, &unit) in chunk.iter().enumerate() {
                    let column = offset + k;
                    let text_width = unit_texts[unit].width();
                    let left = cell_left.get(column).copied().unwrap_or(grid_left);
                    placed[unit] = Some((
                        Rect {
                            x: left + (cell_width - text_width) / 2,
                            y,
                            width: text_width,
                            height: unit_height,
                        },
                        row,
                        column,
                    ));
                }
                y += unit_height + row_gap;
            }
            let band_bottom = y - row_gap;
            band_labels.push((*label, (band_top + band_bottom) / 2));
        }
        let unit_boxes = placed
            .into_iter()
            .zip(unit_texts)
            .map(|(place, text)| {
                let (rect, row, column) = place.unwrap_or((
                    Rect {
                        x: grid_left,
                        y: first_row_top,
                        width: 0,
                        height: 0,
                    },
                    0,
                    0,
                ));
                (rect, text, row, column)
            })
            .collect();
        let height = (y - row_gap).max(lane_top) + MARGIN + 8;
        ChartLayout {
            width,
            height,
            title_y,
            leader_boxes,
            unit_boxes,
            band_labels,
            cell_left,
            gutter,
            row_top,
            row_gap,
            lane_top,
        }
    }

    /// The path from leader `l` (index) to unit `u`, as SVG path data with absolute moves.
    fn link_path(&self, l: usize, u: usize, slot: i32, slots: i32) -> Option<String> {
        let (leader, _) = self.leader_boxes.get(l)?;
        let (unit, _, row, column) = self.unit_boxes.get(u)?;
        let step = i32::try_from(l).ok()? + 1;
        let start_x = leader.centre_x();
        let start_y = leader.bottom();
        let lane_y = self.lane_top + step * TRACK_STEP;
        // Several leaders of one box arrive side by side on its top edge.
        let end_x = unit.centre_x() + (2 * slot - (slots - 1)) * 5;
        let end_y = unit.y;
        if *row == 0 {
            return Some(format!("M{start_x} {start_y} V{lane_y} H{end_x} V{end_y}"));
        }
        let cell_left = *self.cell_left.get(*column)?;
        let track_x = cell_left - self.gutter + step * TRACK_STEP;
        let row_top = *self.row_top.get(*row)?;
        let approach_y = row_top - self.row_gap + 6 + step * TRACK_STEP;
        Some(format!(
            "M{start_x} {start_y} V{lane_y} H{track_x} V{approach_y} H{end_x} V{end_y}"
        ))
    }

    fn to_svg(&self, chart: &OrgChart) -> String {
        let mut svg = String::with_capacity(4096 + chart.departments.len() * 600);
        let title = match chart
            .template
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(template) => format!("{}机构设置图（{}）", chart.street.trim(), template),
            None => format!("{}机构设置图", chart.street.trim()),
        };
        let _ = writeln!(
            svg,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{ORG_CHART_FONTS}">"##,
            w = self.width,
            h = self.height
        );
        let _ = writeln!(svg, "<title>{}</title>", xml_text(&title));
        let _ = writeln!(
            svg,
            r##"<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##,
            self.width, self.height
        );
        let _ = writeln!(
            svg,
            r##"<text class="chart-title" x="{}" y="{}" font-size="{TITLE_SIZE}" font-weight="bold" text-anchor="middle" fill="#000000">{}</text>"##,
            self.width / 2,
            self.title_y,
            xml_text(&title)
        );

        // Lines first, so that boxes are drawn over their ends.
        let _ = writeln!(
            svg,
            r##"<g class="links" fill="none" stroke="#555555" stroke-width="1.4">"##
        );
        for (u, unit) in chart.departments.iter().enumerate() {
            let leaders: Vec<usize> = unit
                .leaders_in_charge
                .iter()
                .filter_map(|key| chart.leaders.iter().position(|l| l.key == *key))
                .collect();
            let slots = i32::try_from(leaders.len()).unwrap_or(1);
            for (slot, &l) in leaders.iter().enumerate() {
                let slot = i32::try_from(slot).unwrap_or(0);
                if let Some(d) = self.link_path(l, u, slot, slots) {
                    let _ = writeln!(
                        svg,
                        r#"<path class="link" data-leader="{}" data-unit="{u}" d="{d}"/>"#,
                        chart.leaders[l].key
                    );
                }
            }
        }
        svg.push_str("</g>\n");

        for (label, y) in &self.band_labels {
            let _ = writeln!(
                svg,
                r##"<text class="band-label" x="{}" y="{}" font-size="14" fill="#333333">{}</text>"##,
                MARGIN,
                y + 5,
                xml_text(label)
            );
        }

        for ((rect, text), leader) in self.leader_boxes.iter().zip(&chart.leaders) {
            let _ = writeln!(svg, r#"<g class="leader" data-key="{}">"#, leader.key);
            draw_box(&mut svg, rect, text, "#fdecea", "#b40000", false);
            svg.push_str("</g>\n");
        }
        for (u, ((rect, text, ..), unit)) in
            self.unit_boxes.iter().zip(&chart.departments).enumerate()
        {
            let (kind, fill, stroke) = BANDS
                .iter()
                .find(|(row, ..)| *row == unit.row)
                .map(|(row, _, fill, stroke)| (row_class(*row), *fill, *stroke))
                .unwrap_or(("unit-department", "#eef3fb", "#1f4e79"));
            // A box nobody is in charge of is dashed: the data says so, the checks explain.
            let unled = !unit
                .leaders_in_charge
                .iter()
                .any(|key| chart.leaders.iter().any(|l| l.key == *key));
            let _ = writeln!(svg, r#"<g class="unit {kind}" data-unit="{u}">"#);
            draw_box(&mut svg, rect, text, fill, stroke, unled);
            svg.push_str("</g>\n");
        }
        svg.push_str("</svg>\n");
        svg
    }
}

fn row_class(row: OrgChartRow) -> &'static str {
    match row {
        OrgChartRow::Department => "unit-department",
        OrgChartRow::Centre => "unit-centre",
        OrgChartRow::Dispatched => "unit-dispatched",
        OrgChartRow::Committee => "unit-committee",
        OrgChartRow::Station => "unit-station",
    }
}

fn draw_box(svg: &mut String, rect: &Rect, text: &BoxText, fill: &str, stroke: &str, dashed: bool) {
    let dash = if dashed {
        r#" stroke-dasharray="6 4""#
    } else {
        ""
    };
    let _ = writeln!(
        svg,
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash}/>"#,
        rect.x, rect.y, rect.width, rect.height
    );
    // Lines centred vertically in the box.
    let text_height = text.height() - 2 * PADDING;
    let mut baseline = rect.y + (rect.height - text_height) / 2;
    for (line, size, bold) in &text.lines {
        baseline += size;
        let weight = if *bold { r#" font-weight="bold""# } else { "" };
        let _ = writeln!(
            svg,
            r##"<text x="{}" y="{}" font-size="{size}"{weight} text-anchor="middle" fill="#000000">{}</text>"##,
            rect.centre_x(),
            baseline - size / 6,
            xml_text(line)
        );
        baseline += LINE_GAP;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_escapes_markup_and_replaces_what_xml_cannot_carry() {
        assert_eq!(
            xml_text("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
        );
        assert_eq!(xml_text("甲\u{1}乙\u{FFFF}\u{7F}"), "甲乙\u{FFFD}");
        assert_eq!(xml_text("a\tb"), "a b");
    }

    #[test]
    fn box_widths_follow_the_text() {
        let short = BoxText {
            lines: vec![("党建办".to_string(), NAME_SIZE, true)],
        };
        let long = BoxText {
            lines: vec![("综合行政执法办公室".to_string(), NAME_SIZE, true)],
        };
        assert_eq!(short.width(), MIN_BOX_WIDTH);
        assert_eq!(long.width(), 9 * NAME_SIZE + 2 * PADDING);
    }
}
