//! Bombs inside the limits (issue 13): small files, inside every declared limit, that would
//! cost a reader seconds and gigabytes. Each is built here just past its budget (the release
//! CLI figures at the tester's sizes are in `docs/import.md`, "Work budgets") and must be
//! refused with the error naming the budget, quickly. The debug-build bound is generous; the
//! release CLI stops each in well under a second.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::hostile;
use quanze_import::{read_workbook_bytes, ImportError, Limits};

/// What a debug build may take to refuse; the release CLI takes a fraction of it.
const DEBUG_BOUND: Duration = Duration::from_secs(5);

/// The CPU time this thread has used: the work a refusal cost, whatever else the machine is
/// doing. (Wall time made these tests fail on a loaded 2-core machine — 10 s for 4 s of work —
/// while a parallel build ran.) Linux's `/proc/thread-self/schedstat` gives it in nanoseconds;
/// elsewhere the wall clock stands in.
fn thread_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanoseconds))
}

/// Read `bytes` as `name` with `limits`; the error, after checking it came within the bound.
fn refused_in_time(name: &str, bytes: &[u8], limits: &Limits) -> ImportError {
    let (started, cpu_started) = (Instant::now(), thread_cpu_time());
    let err = read_workbook_bytes(name, bytes, limits).expect_err("must be refused");
    let took = match (cpu_started, thread_cpu_time()) {
        (Some(before), Some(after)) => after.saturating_sub(before),
        _ => started.elapsed(),
    };
    assert!(
        took < DEBUG_BOUND,
        "{name}: refused only after {took:?} of CPU time: {err}"
    );
    assert!(err.is_user_error(), "{err}");
    assert!(err.to_string().contains(name), "names the file: {err}");
    err
}

#[test]
fn shared_strings_without_unique_count_are_budgeted() {
    let limits = Limits::default();
    let bytes = hostile::shared_strings_bomb(limits.max_shared_strings + 1);
    let err = refused_in_time("共享字符串.xlsx", &bytes, &limits);
    assert!(matches!(err, ImportError::BeyondBudget { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("共享字符串表"), "{message}");
    assert!(
        message.contains(&limits.max_shared_strings.to_string()),
        "{message}"
    );
}

#[test]
fn empty_cells_are_budgeted() {
    let limits = Limits::default();
    let bytes = hostile::empty_cells_bomb(limits.max_cell_elements + 1);
    let err = refused_in_time("空单元格.xlsx", &bytes, &limits);
    assert!(matches!(err, ImportError::BeyondBudget { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("空单元格也计在内"), "{message}");
    assert!(message.contains("xl/worksheets/sheet1.xml"), "{message}");
}

#[test]
fn ods_content_of_empty_cells_is_budgeted() {
    let limits = Limits::default();
    let bytes = hostile::ods_content_bomb(limits.max_cell_elements + 1000);
    let err = refused_in_time("大内容.ods", &bytes, &limits);
    assert!(matches!(err, ImportError::BeyondBudget { .. }), "{err}");
    assert!(err.to_string().contains("content.xml"), "{err}");
}

#[test]
fn inflated_bytes_are_counted_not_taken_from_the_declared_size() {
    // The zip writer declares the true size; the budget is on what inflates, so a lowered
    // budget shows the count (a lying declared size cannot help a file past it).
    let limits = Limits {
        max_unzipped_bytes: 1024 * 1024,
        ..Limits::default()
    };
    let bytes = hostile::shared_strings_bomb(100_000);
    let err = refused_in_time("膨胀.xlsx", &bytes, &limits);
    assert!(matches!(err, ImportError::BeyondBudget { .. }), "{err}");
    assert!(err.to_string().contains("解压后的内容超过 1 MB"), "{err}");
}

#[test]
fn xml_elements_are_budgeted_whatever_their_name() {
    let limits = Limits {
        max_xml_elements: 10_000,
        ..Limits::default()
    };
    let err = refused_in_time("元素.xlsx", &hostile::plain_xlsx(5_000), &limits);
    assert!(matches!(err, ImportError::BeyondBudget { .. }), "{err}");
    assert!(err.to_string().contains("XML 元素超过 10000 个"), "{err}");
}

#[test]
fn a_plain_workbook_is_within_the_budgets() {
    let wb = read_workbook_bytes(
        "正常.xlsx",
        &hostile::plain_xlsx(20_000),
        &Limits::default(),
    )
    .expect("reads");
    assert_eq!(wb.sheets[0].rows.len(), 20_001);
}

#[test]
fn csv_rows_beyond_the_limit_are_refused_before_parsing() {
    let limits = Limits::default();
    let err = refused_in_time("百万行.csv", &hostile::csv_rows(1_000_000), &limits);
    assert!(matches!(err, ImportError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("有 200000 行以上"), "{err}");
    // At the limit exactly, it reads.
    let wb = read_workbook_bytes(
        "刚好.csv",
        &hostile::csv_rows(u64::from(limits.max_rows) - 1),
        &limits,
    )
    .expect("reads");
    assert_eq!(wb.sheets[0].rows.len(), limits.max_rows as usize);
}

#[test]
fn control_characters_in_csv_name_the_line_and_the_character() {
    // Enough control characters that the file no longer looks like text …
    let err = refused_in_time(
        "控制字符.csv",
        &hostile::csv_with_control_characters(12),
        &Limits::default(),
    );
    assert!(
        matches!(err, ImportError::ControlCharacter { line: 12, .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains("第 12 行含有控制字符 U+001B"),
        "{err}"
    );
    // … or a single one in a file that does.
    let text = "序号,事项名称\n1,甲\n2,乙\u{7}\n";
    let err = refused_in_time("响铃.csv", text.as_bytes(), &Limits::default());
    assert!(
        err.to_string().contains("第 3 行含有控制字符 U+0007"),
        "{err}"
    );
    // In GBK too.
    let (gbk, _, _) = encoding_rs::GB18030.encode("序号,事项名称\n1,甲\u{1b}\n");
    let err = refused_in_time("国标.csv", &gbk, &Limits::default());
    assert!(
        err.to_string().contains("第 2 行含有控制字符 U+001B"),
        "{err}"
    );
    // The end-of-file mark of old DOS programs is not a control character in the text.
    let wb = read_workbook_bytes(
        "旧.csv",
        "序号,事项名称\n1,甲\n\u{1a}".as_bytes(),
        &Limits::default(),
    )
    .expect("reads");
    assert_eq!(wb.sheets[0].rows.len(), 2);
}

#[test]
fn binary_files_are_still_called_binary() {
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i * 31 % 256) as u8).collect();
    let err = refused_in_time("数据.bin", &bytes, &Limits::default());
    assert!(err.to_string().contains("无法识别的二进制文件"), "{err}");
}
