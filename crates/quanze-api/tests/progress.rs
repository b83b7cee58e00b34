//! Long work reports its steps and stops when the user cancels: an import leaves the database
//! untouched, posters keep the complete files written so far.

mod backends;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use quanze_api::{ErrorCode, ImportOptions, LongWork, WorkProgress};

fn legacy(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../sample-data/legacy").join(name)
}

#[test]
fn an_import_reports_each_file_and_cancelling_before_the_write_changes_nothing() {
    let files = [legacy("青川区水务局2025年权责清单.xls"), legacy("青川区交通运输局2025年权责清单.xlsx")];
    let mut api = backends::fresh_api();
    let audit_before = api.history(10).expect("history").len();

    // Cancel as soon as the second file is announced.
    let cancelled = AtomicBool::new(false);
    let steps: Mutex<Vec<WorkProgress>> = Mutex::new(Vec::new());
    let on_step = |p: &WorkProgress| {
        if p.step.contains("（2/2）") {
            cancelled.store(true, Ordering::Relaxed);
        }
        steps.lock().expect("lock").push(p.clone());
    };
    let error = api
        .import_files_with_progress(&files, &ImportOptions::default(), "测试", &LongWork::new(&cancelled, &on_step))
        .expect_err("cancelled");
    assert_eq!(error.code, ErrorCode::Cancelled);
    assert!(error.message.contains("未做任何改动"), "{}", error.message);
    assert!(api.lists().expect("lists").is_empty(), "nothing imported");
    assert_eq!(api.history(10).expect("history").len(), audit_before);
    let seen: Vec<String> = steps.lock().expect("lock").iter().map(|p| p.step.clone()).collect();
    assert_eq!(seen, ["正在读取 青川区水务局2025年权责清单.xls（1/2）", "正在读取 青川区交通运输局2025年权责清单.xlsx（2/2）"]);

    // Not cancelled: every file, then the write, then done, with done counting up to total.
    let go_on = AtomicBool::new(false);
    let steps: Mutex<Vec<WorkProgress>> = Mutex::new(Vec::new());
    let record = |p: &WorkProgress| steps.lock().expect("lock").push(p.clone());
    let report = api
        .import_files_with_progress(&files, &ImportOptions::default(), "测试", &LongWork::new(&go_on, &record))
        .expect("imported");
    assert_eq!(report.files.len(), 2);
    let steps = steps.into_inner().expect("lock");
    assert_eq!(steps.len(), 4, "{steps:?}");
    assert!(steps[2].step.starts_with("正在写入数据库："), "{steps:?}");
    assert_eq!(steps.iter().map(|p| p.done).collect::<Vec<_>>(), [0, 1, 2, 3]);
    assert!(steps.iter().all(|p| p.total == 3));
}

#[test]
fn cancelling_posters_keeps_the_finished_files_and_says_how_many() {
    let mut api = backends::fresh_api();
    api.load_sample_district("测试").expect("sample");
    let street = api.find_jurisdiction("青溪街道").expect("street");
    let dir = tempfile::tempdir().expect("tempdir");
    let cancelled = AtomicBool::new(false);
    // Stop when the second community is announced: the first is written by then.
    let on_step = |p: &WorkProgress| {
        if p.done == 1 {
            cancelled.store(true, Ordering::Relaxed);
        }
    };
    let error = api
        .write_posters_with_progress(street, dir.path(), false, None, &LongWork::new(&cancelled, &on_step))
        .expect_err("cancelled");
    assert_eq!(error.code, ErrorCode::Cancelled);
    assert!(error.message.contains("已生成 1 个社区"), "{}", error.message);
    let written: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").filter_map(Result::ok).collect();
    assert_eq!(written.len(), 1);
    let bytes = std::fs::read(written[0].path()).expect("read");
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    assert!(bytes.starts_with(b"%PDF") && tail.windows(5).any(|w| w == b"%%EOF"), "a complete PDF");
}
