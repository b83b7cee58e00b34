//! The printable 社区工作事项准入审批表 of one request: the fields of the application, its time
//! limits and the decision, with lines for the signatures and seals, as a GB/T 9704 A4 page
//! laid out by the notice renderer (a two-column table: 项目 | 内容).

use std::path::Path;

use chrono::NaiveDate;
use quanze_domain::notice::{Notice, NoticeColumn, NoticeHeading, NoticeSection, Orientation};
use quanze_domain::{AdmissionRequest, AdmissionState, Id};

use crate::notice::{pdf_error, write_file};
use crate::{Api, ApiError, ErrorCode};

/// What is printed where a person signs and seals.
const SIGN_HERE: &str = "负责人（签字）：＿＿＿＿＿＿　（盖章）　＿＿＿＿年＿＿月＿＿日";

fn printed(date: NaiveDate) -> String {
    date.format("%Y年%-m月%-d日").to_string()
}

fn or_blank(text: Option<&str>) -> String {
    text.map(str::trim).filter(|t| !t.is_empty()).unwrap_or("").to_string()
}

fn funding_text(request: &AdmissionRequest) -> String {
    let mut parts = Vec::new();
    if let Some(amount) = request.funding.amount_wan {
        parts.push(format!("{amount} 万元/年"));
    }
    if let Some(source) = &request.funding.source {
        parts.push(format!("来源：{source}"));
    }
    if parts.is_empty() { "未落实".to_string() } else { parts.join("，") }
}

fn staff_text(request: &AdmissionRequest) -> String {
    let mut parts = Vec::new();
    if let Some(count) = request.staff.count {
        parts.push(format!("{count} 人"));
    }
    if let Some(note) = &request.staff.note {
        parts.push(note.clone());
    }
    if parts.is_empty() { "未落实".to_string() } else { parts.join("，") }
}

/// The decision as printed: 准入 / 不予准入 with its date, or blank while undecided.
fn decision_text(request: &AdmissionRequest) -> String {
    let on = request.decided_on.map(printed).unwrap_or_default();
    match request.state {
        AdmissionState::Admitted => format!("准入（{on}）"),
        AdmissionState::Rejected => format!("不予准入（{on}）"),
        AdmissionState::Revoked => {
            let revoked = request.revoked_on.map(printed).unwrap_or_default();
            format!("准入（{on}），已于{revoked}撤销")
        }
        AdmissionState::Applied | AdmissionState::UnderReview => {
            "□ 准入　　□ 不予准入".to_string()
        }
    }
}

impl Api {
    /// The 社区工作事项准入审批表 of request `id` as a notice view model.
    pub fn admission_form(&self, id: Id) -> Result<Notice, ApiError> {
        let reader = self.store.reader();
        let request = reader
            .admission_requests()?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("找不到准入申请 #{id}")))?;
        let community = reader.jurisdiction(request.community)?;
        let street = match community.parent {
            Some(parent) => Some(reader.jurisdiction(parent)?.name),
            None => None,
        };
        let calendar = crate::shipped_calendar()?;
        let deadline = quanze_checks::decision_deadline(&request, &calendar);
        let place = match &street {
            Some(street) => format!("{street}{}", community.name),
            None => community.name.clone(),
        };
        let row = |label: &str, value: String| vec![label.to_string(), value];
        let rows = vec![
            row("申请单位", or_blank(request.applicant_unit_text.as_deref())),
            row("承接社区", place),
            row("事项名称", request.item_name.clone()),
            row("工作内容", or_blank(request.content.as_deref())),
            row("依据", or_blank(request.basis.as_deref())),
            row("申请理由", request.reason.clone()),
            row("经费（费随事转）", funding_text(&request)),
            row("人员（人随事走）", staff_text(&request)),
            row("申请日期", printed(request.applied_on)),
            row("计划开始日期", request.planned_start.map(printed).unwrap_or_default()),
            row("决定期限", format!("{}（申请后{}个工作日内）", printed(deadline), quanze_checks::DECISION_WORKING_DAYS)),
            row("申请单位意见", SIGN_HERE.to_string()),
            row("街道意见", SIGN_HERE.to_string()),
            row("审核意见", or_blank(request.review_opinion.as_deref())),
            row("决定", decision_text(&request)),
            row("文号", or_blank(request.doc_no.as_deref())),
            row("审批单位意见", SIGN_HERE.to_string()),
        ];
        Ok(Notice {
            heading: NoticeHeading {
                issuing_organ: None,
                doc_no: request.doc_no.clone(),
                title: "社区工作事项准入审批表".to_string(),
                date: None,
                intro: Some(format!("申请编号：{}", request.id)),
            },
            sections: vec![NoticeSection {
                heading: None,
                columns: vec![
                    NoticeColumn { header: "项目".to_string(), field: "label".to_string() },
                    NoticeColumn { header: "内容".to_string(), field: "value".to_string() },
                ],
                rows,
            }],
            orientation: Orientation::Portrait,
        })
    }

    /// Write the 审批表 of request `id` as PDF to `out` (whole or not at all, like every export).
    pub fn write_admission_form(&self, id: Id, out: &Path) -> Result<Notice, ApiError> {
        let form = self.admission_form(id)?;
        let fonts = quanze_pdf::FontSet::discover(None).map_err(pdf_error)?;
        let bytes = quanze_pdf::render_notice(&form, &quanze_pdf::PdfOptions::new(&fonts)).map_err(pdf_error)?;
        write_file(out, &bytes)?;
        Ok(form)
    }
}
