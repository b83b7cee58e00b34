//! Benchmark: a 5,000-row, 14-column notice of realistic Chinese text (deterministic, from
//! `tests/fixtures`) rendered to PDF, timed per stage; and the same table written as .xlsx so
//! that `scripts/bench-notices-pdf.sh` can time LibreOffice converting it, as the peer.
//!
//! ```text
//! cargo run --release -p quanze-pdf --example bench_pdf -- OUT_DIR [ROWS] [RUNS]
//! ```
//! Prints `key=value` lines (the script turns them into docs/benchmarks/notices-pdf.md).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/fixtures/mod.rs"]
mod fixtures;

use std::path::PathBuf;
use std::time::Instant;

use quanze_pdf::{layout_notice, write_pdf, FontSet, PdfOptions};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

fn main() {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "target/bench-notices-pdf".into()),
    );
    let rows: usize = args
        .next()
        .map_or(5_000, |n| n.parse().expect("ROWS is a number"));
    let runs: usize = args
        .next()
        .map_or(3, |n| n.parse().expect("RUNS is a number"));
    std::fs::create_dir_all(&out).expect("create output directory");

    let started = Instant::now();
    let notice = fixtures::fourteen_column_notice(rows, 20261123, true);
    let generate = started.elapsed();
    let characters: usize = notice.sections[0]
        .rows
        .iter()
        .flatten()
        .map(|cell| cell.chars().count())
        .sum();

    let started = Instant::now();
    let fonts = FontSet::discover(None).expect("a CJK font is installed");
    let discover = started.elapsed();
    let options = PdfOptions::new(&fonts);

    let mut totals = Vec::new();
    let mut bytes = Vec::new();
    let mut pages = 0;
    let mut geometry = None;
    let mut cpu_totals = Vec::new();
    for run in 0..runs {
        let cpu_started = cpu_seconds();
        let started = Instant::now();
        let document = layout_notice(&notice, &options).expect("layout");
        let layout = started.elapsed();
        let written = write_pdf(&document).expect("write");
        let total = started.elapsed();
        let cpu = cpu_seconds() - cpu_started;
        cpu_totals.push(cpu);
        println!("run{}_cpu_s={cpu:.3}", run + 1);
        pages = document.pages.len();
        geometry = Some(table_geometry(&document));
        println!(
            "run{}_layout_s={:.3}\nrun{}_write_s={:.3}\nrun{}_total_s={:.3}",
            run + 1,
            layout.as_secs_f64(),
            run + 1,
            (total - layout).as_secs_f64(),
            run + 1,
            total.as_secs_f64()
        );
        totals.push(total.as_secs_f64());
        bytes = written;
    }
    totals.sort_by(f64::total_cmp);
    cpu_totals.sort_by(f64::total_cmp);
    let pdf_path = out.join(format!("notice-{rows}.pdf"));
    std::fs::write(&pdf_path, &bytes).expect("write pdf");

    let started = Instant::now();
    let xlsx_path = out.join(format!("notice-{rows}.xlsx"));
    let (widths_pt, heights_pt) = geometry.expect("at least one run");
    write_xlsx(&notice, &widths_pt, &heights_pt, &xlsx_path);
    let xlsx = started.elapsed();

    println!("rows={rows}");
    println!("columns={}", notice.sections[0].columns.len());
    println!("characters={characters}");
    println!("generate_s={:.3}", generate.as_secs_f64());
    println!("font_discovery_s={:.3}", discover.as_secs_f64());
    println!("runs={runs}");
    println!("median_render_s={:.3}", totals[totals.len() / 2]);
    println!("min_render_s={:.3}", totals[0]);
    println!("median_cpu_s={:.3}", cpu_totals[cpu_totals.len() / 2]);
    println!("pages={pages}");
    println!("pdf_bytes={}", bytes.len());
    println!("pdf_path={}", pdf_path.display());
    println!("xlsx_write_s={:.3}", xlsx.as_secs_f64());
    println!("xlsx_path={}", xlsx_path.display());
    let faces: Vec<String> = fonts
        .primary_faces()
        .iter()
        .map(|face| format!("{:?}:{}", face.role, face.family))
        .collect();
    println!("faces={}", faces.join(", "));
}

/// CPU time of this process (user + system, all threads) in seconds, from /proc (Linux; 0
/// elsewhere). On a shared machine wall time depends on the neighbours; CPU time much less.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses and may hold spaces).
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after ")".
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&index| fields.get(index)?.parse::<f64>().ok())
        .sum();
    ticks / 100.0
}

/// Column widths and row heights (points) of the laid-out table, for the workbook.
fn table_geometry(document: &quanze_pdf::LaidOutDocument) -> (Vec<f32>, Vec<f32>) {
    let mut widths = Vec::new();
    let mut heights = Vec::new();
    for page in &document.pages {
        for row in &page.rows {
            if widths.is_empty() {
                widths = row.edges.windows(2).map(|pair| pair[1] - pair[0]).collect();
            }
            if row.row.is_some() && row.first_line == 0 {
                let pitch = row.bounds.height() / row.lines.max(1) as f32;
                heights.push(row.total_lines as f32 * pitch);
            }
        }
    }
    (widths, heights)
}

/// The same table as a print-ready workbook: landscape A4, the PDF's column widths, wrapped
/// text, each row as tall as the PDF's (LibreOffice does not grow rows to fit wrapped text when
/// it opens an .xlsx, so without heights it would print one line per cell), header repeated,
/// fit to one page wide — what LibreOffice converts as the peer.
fn write_xlsx(
    notice: &quanze_domain::notice::Notice,
    widths_pt: &[f32],
    heights_pt: &[f32],
    path: &std::path::Path,
) {
    let section = &notice.sections[0];
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin);
    let cell = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin)
        .set_font_size(10.5);
    // Excel's width unit is a character of the default font: (7 × w + 5) px at 96 dpi.
    for (column, width) in widths_pt.iter().enumerate() {
        let pixels = f64::from(*width) / 0.75;
        sheet
            .set_column_width(column as u16, ((pixels - 5.0) / 7.0).max(1.0))
            .unwrap();
    }
    for (index, height) in heights_pt.iter().enumerate() {
        // Excel's limit for a row is 409 points.
        sheet
            .set_row_height(index as u32 + 1, f64::from(*height).min(409.0))
            .unwrap();
    }
    for (column, spec) in section.columns.iter().enumerate() {
        sheet
            .write_string_with_format(0, column as u16, &spec.header, &header)
            .unwrap();
    }
    for (index, row) in section.rows.iter().enumerate() {
        for (column, text) in row.iter().enumerate() {
            sheet
                .write_string_with_format(index as u32 + 1, column as u16, text, &cell)
                .unwrap();
        }
    }
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0).unwrap();
    workbook.save(path).unwrap();
}
