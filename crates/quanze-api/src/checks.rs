//! Running the checks, and 豁免 (waivers): a finding exempted with a written reason, and the
//! exemption withdrawn again (`docs/checks.md`).

use std::sync::atomic::AtomicBool;

use quanze_checks::{CheckOptions, Report, RulePack, RuleStep};
use quanze_domain::{Id, OrgTemplate, Waiver, WorkCalendar};

use crate::{Api, ApiError, ErrorCode, LongWork};

/// The user stopped the checks: the findings shown before stay as they were.
fn cancelled() -> ApiError {
    ApiError::new(ErrorCode::Cancelled, "检查已取消")
}

include!(concat!(env!("OUT_DIR"), "/embedded_templates.rs"));

/// The org templates shipped with Quanze.
pub fn shipped_org_templates() -> Result<Vec<OrgTemplate>, ApiError> {
    ORG_TEMPLATES
        .iter()
        .map(|(name, text)| {
            OrgTemplate::from_yaml(name, text)
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
        })
        .collect()
}

/// The public holidays and adjusted working days shipped with Quanze
/// (`templates/calendar/cn-holidays.yaml`), for the admission procedure's working-day limits.
pub const SHIPPED_CALENDAR_YAML: &str = include_str!("../../../templates/calendar/cn-holidays.yaml");

/// The shipped calendar, read (a test keeps it readable).
pub fn shipped_calendar() -> Result<WorkCalendar, ApiError> {
    WorkCalendar::from_yaml("templates/calendar/cn-holidays.yaml", SHIPPED_CALENDAR_YAML)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
}

/// The date on this computer: "today" for the admission time limits. The checks and the
/// admission process take a date as input and never read the clock themselves, so that a
/// test can fix it; the CLI and the app pass this one.
pub fn local_today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// What `Api::check` should do.
#[derive(Debug, Clone, Default)]
pub struct CheckRequest {
    /// Rule ids; every enabled rule when empty.
    pub rules: Vec<String>,
    /// A jurisdiction id, to keep only findings about it and what lies below it.
    pub jurisdiction: Option<Id>,
    /// A rule pack (YAML text and its name) instead of the built-in one.
    pub pack: Option<(String, String)>,
    /// The date the admission time limits are counted to: the local date in the CLI and the
    /// app, a fixed one in tests. Without it, overdue requests are not looked for.
    pub today: Option<chrono::NaiveDate>,
}

impl Api {
    /// Run the checks over the whole database.
    pub fn check(&self, request: &CheckRequest) -> Result<Report, ApiError> {
        let never = AtomicBool::new(false);
        self.check_with_progress(request, &LongWork::new(&never, &|_| {}))
    }

    /// [`Api::check`] with a step for reading the data and one per rule (“正在检查：<规则>（i/n）”),
    /// stopping before the next rule with [`ErrorCode::Cancelled`] when cancelled. Checks only
    /// read, so a cancelled run leaves nothing behind.
    pub fn check_with_progress(&self, request: &CheckRequest, work: &LongWork<'_>) -> Result<Report, ApiError> {
        let pack = match &request.pack {
            Some((name, text)) => RulePack::from_yaml(name, text)
                .map_err(|e| ApiError::invalid_input(e.to_string()))?,
            None => RulePack::default_pack(),
        };
        for rule in &request.rules {
            if !quanze_checks::RULES.iter().any(|r| r.id == rule) {
                let known: Vec<&str> = quanze_checks::RULES.iter().map(|r| r.id).collect();
                return Err(ApiError::invalid_input(format!(
                    "没有规则“{rule}”。可用的规则：{}",
                    known.join("、")
                )));
            }
        }
        let options = CheckOptions {
            rules: request.rules.clone(),
            jurisdiction: request.jurisdiction,
            today: request.today,
            calendar: shipped_calendar()?,
        };
        // Reading the data is one step, each rule another: the bar moves from the start.
        let total = quanze_checks::rules_to_run(&pack, &options).len() + 1;
        if !work.step("正在读取数据".to_string(), 0, total) {
            return Err(cancelled());
        }
        // The only rule that reads published versions (community.not_admitted) reads those of
        // 协助政府 lists; the others' snapshots are left undecoded (see dump_with_versions_of).
        let bundle = self
            .store
            .reader()
            .dump_with_versions_of(|list| list.kind == quanze_domain::ListKind::CommunityAssist)?;
        let templates = shipped_org_templates()?;
        let mut before_rule = |step: RuleStep| {
            work.step(
                format!("正在检查：{}（{}/{}）", step.rule.title, step.index + 1, step.count),
                step.index + 1,
                total,
            )
        };
        let report = quanze_checks::run_observed(&bundle, &pack, &templates, &options, &mut before_rule)
            .ok_or_else(cancelled)?;
        work.step("检查完成".to_string(), total, total);
        Ok(report)
    }

    /// 豁免 a finding with a reason. The waiver records the finding's current fingerprint, so
    /// it lapses when the finding's subjects change. Exempting again replaces the reason.
    pub fn waive(&mut self, finding_key: &str, reason: &str, actor: &str) -> Result<Waiver, ApiError> {
        if reason.trim().is_empty() {
            return Err(ApiError::invalid_input("请写明豁免该问题的理由"));
        }
        // With today's date, so that an overdue request's finding can be accepted too.
        let today = Some(local_today());
        let report = self.check(&CheckRequest { today, ..CheckRequest::default() })?;
        let finding = report
            .findings
            .iter()
            .find(|f| f.key == finding_key)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("当前检查结果中没有问题“{finding_key}”")))?;
        let mut waiver = Waiver {
            uid: None,
            id: 0,
            finding_key: finding.key.clone(),
            rule: finding.rule.clone(),
            reason: reason.trim().to_string(),
            actor: actor.to_string(),
            at: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            fingerprint: Some(finding.fingerprint.clone()),
        };
        let why = format!("豁免检查问题：{}", finding.title);
        self.store.write(actor, Some(&why), |w| {
            // Whether the finding has a waiver already is read inside the write, after the
            // finding's key is locked: two people waiving one finding at once on a server
            // make one waiver (the second replaces the first's reason), not two.
            w.lock_key(&format!("waiver:{}", waiver.finding_key))?;
            let existing = w.reader().waivers()?.into_iter().find(|x| x.finding_key == waiver.finding_key);
            waiver.id = existing.map_or(0, |x| x.id);
            w.put(&mut waiver)
        })?;
        Ok(waiver)
    }

    /// Withdraw the 豁免 of a finding (撤销豁免): the finding counts again at the next check. The
    /// waiver is deleted through the audited path, so the log keeps what it said, who gave it
    /// and who withdrew it. Works whether or not the finding is still raised (a lapsed or
    /// stale waiver can be cleared too); a key without a waiver is `not_found`.
    pub fn withdraw_waiver(&mut self, finding_key: &str, actor: &str) -> Result<Waiver, ApiError> {
        let waiver = self
            .store
            .reader()
            .waivers()?
            .into_iter()
            .find(|w| w.finding_key == finding_key)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("问题“{finding_key}”没有豁免，无需撤销")))?;
        let why = format!("撤销豁免：{}（原理由：{}）", waiver.finding_key, waiver.reason);
        self.store.write(actor, Some(&why), |w| w.delete::<Waiver>(waiver.id))?;
        Ok(waiver)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A district whose one unit has 4 people on 3 posts: `org.over_staffed`, red.
    fn over_staffed() -> (Api, String) {
        let bundle = r#"
format: quanze-bundle
format_version: 1
jurisdictions:
  - { id: 1, name: 青川区, level: 区 }
units:
  - id: 1
    jurisdiction: 1
    name: 测试局
    kind: 行政
    staffing: { admin_posts: 3, actual_headcount: 4 }
"#;
        let mut api = Api::open_in_memory().expect("in-memory database");
        api.load_bundle_text(bundle, "test", "测试").expect("bundle loads");
        let report = api.check(&CheckRequest::default()).expect("checks run");
        let key = report
            .findings
            .iter()
            .find(|f| f.rule == "org.over_staffed")
            .map(|f| f.key.clone())
            .expect("an over-staffed finding");
        (api, key)
    }

    fn waived(api: &Api, key: &str) -> Option<bool> {
        let report = api.check(&CheckRequest::default()).ok()?;
        report.findings.iter().find(|f| f.key == key).map(|f| f.waived)
    }

    #[test]
    fn a_waiver_is_withdrawn_and_the_finding_counts_again_with_both_steps_audited() {
        let (mut api, key) = over_staffed();
        api.waive(&key, "临时借调人员", "甲").expect("waived");
        assert_eq!(waived(&api, &key), Some(true));

        let withdrawn = api.withdraw_waiver(&key, "乙").expect("withdrawn");
        assert_eq!(withdrawn.reason, "临时借调人员");
        assert_eq!(waived(&api, &key), Some(false));
        let log = api.history(2).expect("history");
        assert_eq!(log[0].actor, "乙");
        assert_eq!(log[0].reason.as_deref(), Some(format!("撤销豁免：{key}（原理由：临时借调人员）").as_str()));
        assert!(log[1].reason.as_deref().is_some_and(|r| r.starts_with("豁免检查问题：")), "{:?}", log[1]);

        let again = api.withdraw_waiver(&key, "乙").expect_err("nothing left to withdraw");
        assert_eq!(again.code, ErrorCode::NotFound);
    }
}
