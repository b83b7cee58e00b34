//! `quanze admission …`: the community admission process from the command line — list the
//! requests, apply (for one community, several, or every community of a street), move a
//! request (审核中 / 准入 / 驳回 / 撤销, an objection at 准入 overridden only with a reason),
//! list what waits for a decision, and print a request's 审批表 — through the same api calls as
//! the app's 社区准入 screen.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use quanze_api::{AdmissionApplication, AdmissionDecision, Api, ApiError, PendingAdmission};
use quanze_domain::{AdmissionRequest, AdmissionState, Funding, StaffSupport};

use crate::output::text_or_json;

#[derive(Subcommand)]
pub enum AdmissionCommand {
    /// 列出准入申请（最早的在前）
    List {
        /// 只列出该社区的申请
        #[arg(long, value_name = "NAME")]
        community: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 新的准入申请（状态为“申请”）：每个社区一个申请，同批申请共用一个批次标识
    Apply {
        /// 社区名称（可多次指定）
        #[arg(long, value_name = "NAME")]
        community: Vec<String>,
        /// 街道名称：向该街道的全部社区申请（可多次指定）
        #[arg(long, value_name = "NAME")]
        street: Vec<String>,
        /// 申请部门（机构名称；不是已有机构时照写）
        #[arg(long, value_name = "NAME")]
        unit: String,
        /// 申请准入的工作事项名称
        #[arg(long, value_name = "NAME")]
        item: String,
        /// 申请理由
        #[arg(long)]
        reason: String,
        /// 工作内容
        #[arg(long)]
        content: Option<String>,
        /// 依据
        #[arg(long)]
        basis: Option<String>,
        /// 随事转移的经费（万元/年）
        #[arg(long = "funding-wan", value_name = "WAN")]
        funding_wan: Option<f64>,
        /// 经费来源
        #[arg(long = "funding-source")]
        funding_source: Option<String>,
        /// 随事转移的人员数
        #[arg(long)]
        staff: Option<u32>,
        /// 申请日期（YYYY-MM-DD，默认今天）
        #[arg(long)]
        date: Option<String>,
        /// 计划开始日期（YYYY-MM-DD；应在申请日期后至少 30 个工作日）
        #[arg(long = "planned-start", value_name = "DATE")]
        planned_start: Option<String>,
    },
    /// 办理一步：审核中、准入、驳回或撤销
    Decide {
        /// 申请编号
        request: u32,
        /// 审核中 / 准入 / 驳回 / 撤销
        #[arg(long)]
        to: String,
        /// 日期（YYYY-MM-DD，默认今天）
        #[arg(long)]
        date: Option<String>,
        /// 审核意见（驳回必填）或撤销理由（撤销必填）
        #[arg(long)]
        opinion: Option<String>,
        /// 文号
        #[arg(long = "doc-no")]
        doc_no: Option<String>,
        /// 准入审查不通过（负面清单、不得出具的证明、未落实经费或人员）时仍予准入的理由，记入办理记录和审计日志
        #[arg(long = "override-reason", value_name = "REASON")]
        override_reason: Option<String>,
    },
    /// 列出各社区待决定（申请、审核中）的准入申请，最紧迫的在前，含超期工作日
    Pending {
        /// 计算超期所用的“今天”（YYYY-MM-DD，默认今天）
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 生成社区工作事项准入审批表（PDF）
    Form {
        /// 申请编号
        request: u32,
        /// 保存为（.pdf）
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// `YYYY-MM-DD`, or today when not given.
pub fn parse_date(text: Option<&str>) -> Result<NaiveDate, ApiError> {
    match text {
        None => Ok(chrono::Local::now().date_naive()),
        Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| ApiError::invalid_input(format!("无法理解日期“{text}”：应写作 YYYY-MM-DD，如 2026-11-23"))),
    }
}

fn parse_state(text: &str) -> Result<AdmissionState, ApiError> {
    match text.trim() {
        "申请" => Ok(AdmissionState::Applied),
        "审核" | "审核中" | "提交审核" => Ok(AdmissionState::UnderReview),
        "准入" => Ok(AdmissionState::Admitted),
        "驳回" => Ok(AdmissionState::Rejected),
        "撤销" => Ok(AdmissionState::Revoked),
        other => Err(ApiError::invalid_input(format!("未知的状态“{other}”，可用：审核中、准入、驳回、撤销"))),
    }
}

fn describe(request: &AdmissionRequest) -> String {
    let mut text = format!(
        "#{}  [{}]  {}  申请部门：{}  申请日期：{}",
        request.id,
        request.state.label(),
        request.item_name,
        request.applicant_unit_text.as_deref().unwrap_or("—"),
        request.applied_on
    );
    if let Some(batch) = &request.batch {
        // The uid's first group is enough to tell the batches of one list apart by eye.
        let short: String = batch.as_str().chars().take(8).collect();
        text.push_str(&format!("  同批：{short}"));
    }
    if let Some(start) = request.planned_start {
        text.push_str(&format!("  计划开始：{start}"));
    }
    if let Some(deadline) = request.decision_deadline {
        text.push_str(&format!("  决定期限：{deadline}"));
    }
    if let Some(doc_no) = &request.doc_no {
        text.push_str(&format!("  文号：{doc_no}"));
    }
    if let Some(opinion) = &request.review_opinion {
        text.push_str(&format!("  审核意见：{opinion}"));
    }
    text.push('\n');
    text
}

pub fn run(api: &mut Api, actor: &str, command: AdmissionCommand) -> Result<String, ApiError> {
    match command {
        AdmissionCommand::List { community, json } => {
            let community = community.map(|name| api.find_jurisdiction(&name)).transpose()?;
            let requests = api.admission_requests(community)?;
            text_or_json(json, &requests, |requests| {
                let mut text: String = requests.iter().map(describe).collect();
                text.push_str(&format!("共 {} 个准入申请\n", requests.len()));
                text
            })
        }
        AdmissionCommand::Apply {
            community,
            street,
            unit,
            item,
            reason,
            content,
            basis,
            funding_wan,
            funding_source,
            staff,
            date,
            planned_start,
        } => {
            let mut places = Vec::new();
            for name in community.iter().chain(&street) {
                places.push(api.find_jurisdiction(name)?);
            }
            let Some((&first, more)) = places.split_first() else {
                return Err(ApiError::invalid_input("请用 --community 指定社区，或用 --street 指定街道（其全部社区）"));
            };
            let applicant_unit = api.find_unit(&unit).ok();
            let applied = api.apply_for_admissions(
                AdmissionApplication {
                    community: first,
                    more_places: more.to_vec(),
                    applicant_unit,
                    applicant_unit_text: Some(unit),
                    item_name: item,
                    content,
                    reason,
                    basis,
                    funding: Funding { amount_wan: funding_wan, source: funding_source },
                    staff: StaffSupport { count: staff, note: None },
                    applied_on: parse_date(date.as_deref())?,
                    planned_start: planned_start.as_deref().map(|d| parse_date(Some(d))).transpose()?,
                },
                actor,
            )?;
            let mut text: String = applied.requests.iter().map(|r| format!("已登记准入申请：{}", describe(r))).collect();
            if let (Some(batch), count) = (applied.requests.first().and_then(|r| r.batch.as_ref()), applied.requests.len()) {
                text.push_str(&format!("同批 {count} 个社区，批次：{batch}\n"));
            }
            for warning in &applied.warnings {
                text.push_str(&format!("注意：{warning}\n"));
            }
            Ok(text)
        }
        AdmissionCommand::Decide { request, to, date, opinion, doc_no, override_reason } => {
            let outcome = api.decide_admission(
                AdmissionDecision {
                    request,
                    to: parse_state(&to)?,
                    date: parse_date(date.as_deref())?,
                    opinion,
                    doc_no,
                    override_reason,
                },
                actor,
            )?;
            let mut text = format!("已办理：{}", describe(&outcome.request));
            for objection in &outcome.overridden {
                text.push_str(&format!("准入审查未通过（已按所填理由准入并记录）：{objection}\n"));
            }
            match (outcome.request.state, &outcome.item) {
                (AdmissionState::Admitted, Some(item)) => {
                    text.push_str(&format!("已列入协助政府工作事项清单：{}（事项 #{}）\n", item.name, item.id));
                }
                (AdmissionState::Revoked, Some(item)) => {
                    text.push_str(&format!("已从协助政府工作事项清单移除：{}（事项 #{}）\n", item.name, item.id));
                }
                _ => {}
            }
            Ok(text)
        }
        AdmissionCommand::Pending { today, json } => {
            let today = parse_date(today.as_deref())?;
            let pending = api.pending_admissions(today)?;
            text_or_json(json, &pending, |pending| pending_text(pending, today))
        }
        AdmissionCommand::Form { request, out } => {
            api.write_admission_form(request, &out)?;
            Ok(format!("已生成准入审批表：{}\n", out.display()))
        }
    }
}

fn pending_text(pending: &[PendingAdmission], today: NaiveDate) -> String {
    let mut text = String::new();
    for p in pending {
        let place = match &p.street {
            Some(street) => format!("{street}{}", p.community),
            None => p.community.clone(),
        };
        let overdue = match p.overdue_working_days {
            0 => String::new(),
            days => format!("  已超期 {days} 个工作日"),
        };
        let late = if p.late_application { "  （申请未提前30个工作日）" } else { "" };
        text.push_str(&format!(
            "#{}  [{}]  {place}  {}  申请日期：{}  决定期限：{}{overdue}{late}\n",
            p.id,
            p.state.label(),
            p.item_name,
            p.applied_on,
            p.decision_deadline
        ));
    }
    let overdue = pending.iter().filter(|p| p.overdue_working_days > 0).count();
    text.push_str(&format!("截至 {today}：待决定 {} 个，其中超期 {overdue} 个\n", pending.len()));
    text
}
