//! `quanze admission …`: the community admission process from the command line — list the
//! requests, apply, and move a request (审核中 / 准入 / 驳回 / 撤销), through the same api calls
//! as the app's 社区准入 screen.

use chrono::NaiveDate;
use clap::Subcommand;
use quanze_api::{AdmissionApplication, AdmissionDecision, Api, ApiError};
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
    /// 新的准入申请（状态为“申请”）
    Apply {
        /// 社区名称
        #[arg(long, value_name = "NAME")]
        community: String,
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
            unit,
            item,
            reason,
            content,
            basis,
            funding_wan,
            funding_source,
            staff,
            date,
        } => {
            let community = api.find_jurisdiction(&community)?;
            let applicant_unit = api.find_unit(&unit).ok();
            let request = api.apply_for_admission(
                AdmissionApplication {
                    community,
                    applicant_unit,
                    applicant_unit_text: Some(unit),
                    item_name: item,
                    content,
                    reason,
                    basis,
                    funding: Funding { amount_wan: funding_wan, source: funding_source },
                    staff: StaffSupport { count: staff, note: None },
                    applied_on: parse_date(date.as_deref())?,
                },
                actor,
            )?;
            Ok(format!("已登记准入申请：{}", describe(&request)))
        }
        AdmissionCommand::Decide { request, to, date, opinion, doc_no } => {
            let outcome = api.decide_admission(
                AdmissionDecision { request, to: parse_state(&to)?, date: parse_date(date.as_deref())?, opinion, doc_no },
                actor,
            )?;
            let mut text = format!("已办理：{}", describe(&outcome.request));
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
    }
}
