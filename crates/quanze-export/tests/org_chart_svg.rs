//! The org-chart SVG, read back with an XML parser: well-formed whatever the names, every
//! leader and unit present, every unit joined to each of its leaders by a line that starts on
//! the leader's box, ends on the unit's box and crosses no other box.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

use quanze_domain::notice::OrgChart;
use quanze_export::render_org_chart_svg;

use common::*;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl Rect {
    fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.w
            && other.x < self.x + self.w
            && self.y < other.y + other.h
            && other.y < self.y + self.h
    }

    /// Whether an axis-parallel segment passes through the inside (touching an edge is not).
    fn crossed_by(&self, (x1, y1): (f64, f64), (x2, y2): (f64, f64)) -> bool {
        let (left, right) = (x1.min(x2), x1.max(x2));
        let (top, bottom) = (y1.min(y2), y1.max(y2));
        let inside_x = |x: f64| self.x < x && x < self.x + self.w;
        let inside_y = |y: f64| self.y < y && y < self.y + self.h;
        if x1 == x2 {
            inside_x(x1) && top < self.y + self.h && self.y < bottom
        } else {
            inside_y(y1) && left < self.x + self.w && self.x < right
        }
    }
}

/// (leader key, unit index, points of the line).
type Link = (u32, usize, Vec<(f64, f64)>);

struct Chart {
    width: f64,
    height: f64,
    /// Leader key → (box, texts).
    leaders: HashMap<u32, (Rect, String)>,
    /// Unit index → (box, texts, dashed).
    units: HashMap<usize, (Rect, String, bool)>,
    links: Vec<Link>,
}

fn number(node: roxmltree::Node<'_, '_>, name: &str) -> f64 {
    node.attribute(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .parse()
        .expect("number")
}

/// Points of a path made of absolute M, H and V commands.
fn points(d: &str) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut tokens = d.split_whitespace().peekable();
    while let Some(token) = tokens.next() {
        let (command, value) = token.split_at(1);
        let value: f64 = value.parse().expect("coordinate");
        match command {
            "M" => {
                let y: f64 = tokens.next().expect("y").parse().expect("y");
                out.push((value, y));
            }
            "H" => out.push((value, out.last().expect("start").1)),
            "V" => out.push((out.last().expect("start").0, value)),
            other => panic!("unexpected path command {other} in {d}"),
        }
    }
    out
}

fn parse(svg: &str) -> Chart {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(
        root.attribute("font-family"),
        Some("'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif")
    );
    let box_of = |g: roxmltree::Node<'_, '_>| {
        let rect = g.children().find(|n| n.has_tag_name("rect")).expect("rect");
        let text: String = g
            .children()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|t| t.text())
            .collect::<Vec<_>>()
            .join("\n");
        let dashed = rect.attribute("stroke-dasharray").is_some();
        (
            Rect {
                x: number(rect, "x"),
                y: number(rect, "y"),
                w: number(rect, "width"),
                h: number(rect, "height"),
            },
            text,
            dashed,
        )
    };
    let mut chart = Chart {
        width: number(root, "width"),
        height: number(root, "height"),
        leaders: HashMap::new(),
        units: HashMap::new(),
        links: Vec::new(),
    };
    for g in doc.descendants().filter(|n| n.has_tag_name("g")) {
        let class = g.attribute("class").unwrap_or("");
        if class == "leader" {
            let key = g.attribute("data-key").expect("key").parse().expect("key");
            let (rect, text, _) = box_of(g);
            chart.leaders.insert(key, (rect, text));
        } else if class.starts_with("unit ") {
            let index = g
                .attribute("data-unit")
                .expect("unit")
                .parse()
                .expect("unit");
            chart.units.insert(index, box_of(g));
        }
    }
    for path in doc.descendants().filter(|n| n.has_tag_name("path")) {
        chart.links.push((
            path.attribute("data-leader")
                .expect("leader")
                .parse()
                .expect("leader"),
            path.attribute("data-unit")
                .expect("unit")
                .parse()
                .expect("unit"),
            points(path.attribute("d").expect("d")),
        ));
    }
    chart
}

/// Everything the chart must show and connect, checked on the parsed SVG.
fn assert_chart_shows(model: &OrgChart, chart: &Chart) {
    assert_eq!(chart.leaders.len(), model.leaders.len());
    for leader in &model.leaders {
        let (_, text) = &chart.leaders[&leader.key];
        assert!(text.starts_with(&leader.name), "{text}");
        assert_eq!(text.split('\n').skip(1).collect::<String>(), leader.post);
    }
    assert_eq!(chart.units.len(), model.departments.len());
    let all_boxes: Vec<Rect> = chart
        .units
        .values()
        .map(|(r, ..)| *r)
        .chain(chart.leaders.values().map(|(r, _)| *r))
        .collect();
    for (i, a) in all_boxes.iter().enumerate() {
        assert!(a.x >= 0.0 && a.y >= 0.0, "{a:?}");
        assert!(
            a.x + a.w <= chart.width && a.y + a.h <= chart.height,
            "{a:?} outside the picture"
        );
        for b in &all_boxes[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
        }
    }
    for (index, unit) in model.departments.iter().enumerate() {
        let (unit_box, text, dashed) = &chart.units[&index];
        // The name's lines, joined, are the name; then the figures.
        let name_lines: String = text
            .split('\n')
            .take_while(|line| !line.starts_with("编制") && !line.starts_with("实有"))
            .collect();
        assert_eq!(name_lines, unit.name, "unit {index}");
        if let Some(n) = unit.admin_posts {
            assert!(text.contains(&format!("行政{n}")), "{text}");
        }
        if let Some(n) = unit.actual_headcount {
            assert!(text.contains(&format!("实有 {n}")), "{text}");
        }
        if let Some(n) = unit.leader_posts {
            assert!(text.contains(&format!("领导职数 {n}")), "{text}");
        }
        assert_eq!(
            *dashed,
            unit.leaders_in_charge.is_empty(),
            "dashed when nobody is in charge"
        );
        for key in &unit.leaders_in_charge {
            let (leader_box, _) = &chart.leaders[key];
            let link = chart
                .links
                .iter()
                .find(|(k, u, _)| k == key && *u == index)
                .unwrap_or_else(|| panic!("no line from leader {key} to {}", unit.name));
            let path = &link.2;
            let (start, end) = (path[0], path[path.len() - 1]);
            assert_eq!(
                start.1,
                leader_box.y + leader_box.h,
                "starts on the leader's bottom edge"
            );
            assert!(leader_box.x < start.0 && start.0 < leader_box.x + leader_box.w);
            assert_eq!(end.1, unit_box.y, "ends on the unit's top edge");
            assert!(unit_box.x < end.0 && end.0 < unit_box.x + unit_box.w);
            for segment in path.windows(2) {
                for other in &all_boxes {
                    assert!(
                        !other.crossed_by(segment[0], segment[1]),
                        "line {key}→{} crosses a box {other:?}",
                        unit.name
                    );
                }
            }
        }
    }
    let expected_links: usize = model
        .departments
        .iter()
        .map(|d| d.leaders_in_charge.len())
        .sum();
    assert_eq!(chart.links.len(), expected_links);
}

#[test]
fn sample_chart_is_well_formed_complete_and_connected() {
    let model = org_chart();
    let svg = render_org_chart_svg(&model);
    let chart = parse(&svg);
    assert_chart_shows(&model, &chart);
    // The hostile name is text, not markup.
    assert!(!svg.contains("<b>"));
    // (The name is wrapped after eight characters.)
    assert!(
        svg.contains(">&lt;b&gt;公共服务&lt;/b&gt;&amp;</text>"),
        "{svg}"
    );
    assert!(svg.contains(">&quot;办公室&quot;</text>"));
    // The two-leader department has two lines arriving side by side.
    let ends: Vec<f64> = chart
        .links
        .iter()
        .filter(|(_, u, _)| *u == 4)
        .map(|(_, _, p)| p[p.len() - 1].0)
        .collect();
    assert_eq!(ends.len(), 2);
    assert_ne!(ends[0], ends[1]);
    // The long centre name is wrapped, and its box is wider than a short one's.
    let long = &chart.units[&8];
    let short = &chart.units[&0];
    assert!(long.1.lines().count() > short.1.lines().count());
}

#[test]
fn charts_of_five_to_twenty_departments_wrap_into_rows() {
    for n in [5, 8, 13, 20] {
        let model = big_org_chart(n);
        let chart = parse(&render_org_chart_svg(&model));
        assert_chart_shows(&model, &chart);
        let mut rows: Vec<i64> = chart.units.values().map(|(r, ..)| r.y as i64).collect();
        rows.sort_unstable();
        rows.dedup();
        let widest_row = chart
            .units
            .values()
            .fold(HashMap::new(), |mut count: HashMap<i64, usize>, (r, ..)| {
                *count.entry(r.y as i64).or_default() += 1;
                count
            })
            .into_values()
            .max()
            .unwrap_or(0);
        assert!(widest_row <= 7, "{n}: {widest_row} boxes in a row");
        if n == 20 {
            assert!(rows.len() >= 3, "20 departments in {} rows", rows.len());
        }
    }
}

#[test]
fn names_xml_cannot_carry_still_give_a_well_formed_chart() {
    let mut model = org_chart();
    model.street = "东湖\u{1}街道]]>".to_string();
    model.leaders[0].name = "王\u{0}建国'\"".to_string();
    model.departments[0].name = "党政\u{8}办\u{FFFF}<!--".to_string();
    let svg = render_org_chart_svg(&model);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed");
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(
        texts.iter().any(|t| t.contains("党政办\u{FFFD}<!--")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.contains("王建国'\"")));
    assert!(texts.iter().any(|t| t.starts_with("东湖街道]]>机构设置图")));
}

#[test]
fn a_chart_without_leaders_or_departments_is_still_a_picture() {
    let mut model = org_chart();
    model.leaders.clear();
    let chart = parse(&render_org_chart_svg(&model));
    assert!(chart.links.is_empty());
    assert!(chart.units.values().all(|(_, _, dashed)| *dashed));
    model.departments.clear();
    let chart = parse(&render_org_chart_svg(&model));
    assert!(chart.units.is_empty() && chart.width > 0.0);
}

/// Renders the sample chart to PNG for a person to look at (tests/artifacts/, not committed)
/// when `rsvg-convert` (Debian: librsvg2-bin) is installed; a conversion failure is a failure.
#[test]
fn sample_chart_converts_to_png_for_viewing() {
    let Ok(status) = Command::new("rsvg-convert").arg("--version").output() else {
        eprintln!("rsvg-convert is not installed (apt-get install librsvg2-bin): PNG not made");
        // CI installs these tools (cargo xtask test): there a missing one is a failure.
        assert!(std::env::var_os("CI").is_none(), "required under CI");
        return;
    };
    assert!(status.status.success());
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/artifacts");
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    for (name, model) in [
        ("org_chart", org_chart()),
        ("org_chart_20", big_org_chart(20)),
    ] {
        let svg_path = dir.join(format!("{name}.svg"));
        let png_path = dir.join(format!("{name}.png"));
        std::fs::write(&svg_path, render_org_chart_svg(&model)).expect("write svg");
        let output = Command::new("rsvg-convert")
            .arg("-o")
            .arg(&png_path)
            .arg(&svg_path)
            .output()
            .expect("run rsvg-convert");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let png = std::fs::read(&png_path).expect("png");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    }
}
