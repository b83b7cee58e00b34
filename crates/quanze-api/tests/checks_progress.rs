//! The checks report a step for reading the data and one per rule, stop with `cancelled` when
//! the user cancels, and otherwise give the very report of `Api::check`.

mod backends;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use quanze_api::{CheckRequest, ErrorCode, LongWork, WorkProgress};

fn sample() -> backends::FreshApi {
    let mut api = backends::fresh_api();
    api.load_sample_district("测试").expect("sample");
    api
}

#[test]
fn checks_report_reading_then_each_rule_and_give_the_report_of_check() {
    let api = sample();
    let go_on = AtomicBool::new(false);
    let steps: Mutex<Vec<WorkProgress>> = Mutex::new(Vec::new());
    let record = |p: &WorkProgress| steps.lock().expect("lock").push(p.clone());
    let request = CheckRequest::default();
    let with_progress = api
        .check_with_progress(&request, &LongWork::new(&go_on, &record))
        .expect("checked");
    let plain = api.check(&request).expect("checked");
    assert!(plain.summary.total > 0, "the sample district has findings");
    assert_eq!(with_progress, plain);

    let steps = steps.into_inner().expect("lock");
    let rules = quanze_checks::rules_to_run(&quanze_checks::RulePack::default_pack(), &Default::default());
    let n = rules.len();
    assert!(n > 1);
    // Reading, one per rule, done.
    assert_eq!(steps.len(), n + 2, "{steps:?}");
    assert_eq!(steps[0].step, "正在读取数据");
    assert_eq!(steps[1].step, format!("正在检查：{}（1/{n}）", rules[0].title));
    assert_eq!(steps[n].step, format!("正在检查：{}（{n}/{n}）", rules[n - 1].title));
    assert_eq!(steps[n + 1].step, "检查完成");
    assert_eq!(steps.iter().map(|p| p.done).collect::<Vec<_>>(), (0..=n as u32 + 1).collect::<Vec<_>>());
    assert!(steps.iter().all(|p| p.total == n as u32 + 1), "{steps:?}");
}

#[test]
fn cancelling_during_the_checks_stops_them_with_cancelled() {
    let api = sample();
    let cancelled = AtomicBool::new(false);
    let steps: Mutex<Vec<String>> = Mutex::new(Vec::new());
    // The user presses 取消 while the second rule is announced.
    let on_step = |p: &WorkProgress| {
        if p.done == 2 {
            cancelled.store(true, Ordering::Relaxed);
        }
        steps.lock().expect("lock").push(p.step.clone());
    };
    let error = api
        .check_with_progress(&CheckRequest::default(), &LongWork::new(&cancelled, &on_step))
        .expect_err("cancelled");
    assert_eq!(error.code, ErrorCode::Cancelled);
    assert_eq!(error.message, "检查已取消");
    let steps = steps.into_inner().expect("lock");
    assert_eq!(steps.len(), 3, "no rule after the cancel is announced: {steps:?}");
    assert!(!steps.iter().any(|s| s == "检查完成"));

    // Cancelled before the start: not even the data is read.
    let already = AtomicBool::new(true);
    let count = Mutex::new(0);
    let counting = |_: &WorkProgress| *count.lock().expect("lock") += 1;
    let error = api
        .check_with_progress(&CheckRequest::default(), &LongWork::new(&already, &counting))
        .expect_err("cancelled");
    assert_eq!(error.code, ErrorCode::Cancelled);
    assert_eq!(*count.lock().expect("lock"), 1);

    // The flag belongs to one run: a fresh one runs to the end.
    let fresh = AtomicBool::new(false);
    assert!(api.check_with_progress(&CheckRequest::default(), &LongWork::new(&fresh, &|_| {})).is_ok());
}

#[test]
fn checks_asked_for_two_rules_count_two_and_an_unknown_rule_is_refused_before_any_step() {
    let api = sample();
    let go_on = AtomicBool::new(false);
    let steps: Mutex<Vec<WorkProgress>> = Mutex::new(Vec::new());
    let record = |p: &WorkProgress| steps.lock().expect("lock").push(p.clone());
    let request = CheckRequest { rules: vec!["hygiene.basis".into(), "overlap.exact".into()], ..CheckRequest::default() };
    api.check_with_progress(&request, &LongWork::new(&go_on, &record)).expect("checked");
    let seen: Vec<String> = steps.lock().expect("lock").iter().map(|p| p.step.clone()).collect();
    assert_eq!(
        seen,
        ["正在读取数据", "正在检查：同级部门职责交叉（同名事项）（1/2）", "正在检查：行政权力事项缺少实施依据（2/2）", "检查完成"]
    );

    steps.lock().expect("lock").clear();
    let unknown = CheckRequest { rules: vec!["no.such".into()], ..CheckRequest::default() };
    let error = api.check_with_progress(&unknown, &LongWork::new(&go_on, &record)).expect_err("unknown rule");
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert!(steps.lock().expect("lock").is_empty());
}
