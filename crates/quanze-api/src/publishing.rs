//! Publishing a list (发布版本) under control: a version is a frozen copy of the list's items,
//! with its date and 文号, and the approved change requests (调整申请) it makes public. A list
//! with unwaived red findings is not published unless the publisher says why, and the why is
//! kept with the version (`Version::despite_findings`) and in the audit log.

use std::collections::HashSet;

use chrono::NaiveDate;
use quanze_checks::Grade;
use quanze_domain::{ChangeState, ChangeStep, Id, Version};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::versions::summary_of_version;
use crate::{Api, ApiError, CheckRequest, ErrorCode, VersionSummary};
use quanze_store::ListRecord;

/// What the 发布版本 form sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PublishRequest {
    pub list: Id,
    #[ts(type = "string")]
    pub published_on: NaiveDate,
    pub doc_no: Option<String>,
    pub note: Option<String>,
    /// Publish although the list has unwaived red findings, for this reason (recorded).
    #[serde(default)]
    #[ts(optional)]
    pub despite_findings: Option<String>,
}

fn trimmed(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

/// How many kinds of red finding to name in a refusal; the total is counted.
const NAMED_FINDINGS: usize = 5;

impl Api {
    /// The unwaived red findings about a list: about the list itself or one of its items.
    pub fn red_findings_of_list(&self, list: Id) -> Result<Vec<quanze_checks::Finding>, ApiError> {
        let reader = self.store.reader();
        let jurisdiction = reader.list(list)?.jurisdiction;
        let items: HashSet<Id> = reader.items(list, 0, u32::MAX)?.iter().map(|i| i.id).collect();
        let report = self.check(&CheckRequest { jurisdiction: Some(jurisdiction), ..CheckRequest::default() })?;
        Ok(report
            .findings
            .into_iter()
            .filter(|f| !f.waived && f.grade == Grade::Red)
            .filter(|f| {
                f.subjects.iter().any(|s| match s.kind {
                    quanze_checks::SubjectKind::Item => items.contains(&s.id),
                    quanze_checks::SubjectKind::List => s.id == list,
                    _ => false,
                })
            })
            .collect())
    }

    /// Freeze the list as it is now as its next version, with the approved change requests
    /// that concern it and that no earlier version of it published; they become 已发布.
    /// Refused ([`ErrorCode::ProcedureRefused`]) while the list has unwaived red findings,
    /// unless `despite_findings` gives the reason.
    pub fn publish_version(&mut self, request: PublishRequest, actor: &str) -> Result<VersionSummary, ApiError> {
        let despite_findings = trimmed(request.despite_findings.as_deref());
        let reader = self.store.reader();
        let list = reader
            .list(request.list)
            .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("找不到清单 #{}", request.list)))?;
        if reader.items(list.id, 0, 1)?.is_empty() {
            return Err(ApiError::invalid_input(format!("“{}”还没有事项，不能发布版本", list.name)));
        }
        if despite_findings.is_none() {
            let red = self.red_findings_of_list(list.id)?;
            if !red.is_empty() {
                // Each kind of finding once, with how many there are of it.
                let mut kinds: Vec<(&str, usize)> = Vec::new();
                for finding in &red {
                    match kinds.iter_mut().find(|(title, _)| *title == finding.title) {
                        Some((_, count)) => *count += 1,
                        None => kinds.push((&finding.title, 1)),
                    }
                }
                let named: Vec<String> = kinds
                    .iter()
                    .take(NAMED_FINDINGS)
                    .map(|(title, count)| if *count > 1 { format!("“{title}”{count} 处") } else { format!("“{title}”") })
                    .collect();
                let more = if kinds.len() > NAMED_FINDINGS { "等".to_string() } else { String::new() };
                return Err(ApiError::new(
                    ErrorCode::ProcedureRefused,
                    format!(
                        "“{}”还有 {} 个未处理的红色问题（{}{more}），不能发布：请先处理或豁免；确需发布，请写明理由（--despite-findings --reason 理由）",
                        list.name,
                        red.len(),
                        named.join("、")
                    ),
                ));
            }
        }
        let mut version = Version {
            uid: None,
            id: 0,
            list: list.id,
            number: 0,
            published_on: request.published_on,
            doc_no: trimmed(request.doc_no.as_deref()),
            note: trimmed(request.note.as_deref()),
            items: Vec::new(),
            changes: Vec::new(),
            despite_findings: despite_findings.clone(),
        };
        self.store.write(actor, None, |w| {
            // The number, the items and the changes are read inside the write, with the list
            // locked: two people publishing one list at once on a server get numbers n and
            // n + 1, each version holds the items as they are when it is written, and an
            // approved change is published by one of them.
            w.lock::<ListRecord>(list.id)?;
            let reader = w.reader();
            let earlier = reader.versions_of_list(list.id)?;
            version.number = earlier.iter().map(|v| v.number).max().map_or(1, |n| n + 1);
            version.items = reader.items(list.id, 0, u32::MAX)?;
            let published_before: HashSet<Id> = earlier.iter().flat_map(|v| v.changes.iter().copied()).collect();
            let mut changes: Vec<_> = reader
                .change_requests_of_list(list.id)?
                .into_iter()
                .filter(|r| matches!(r.state, ChangeState::Approved | ChangeState::Published) && !published_before.contains(&r.id))
                .collect();
            version.changes = changes.iter().map(|c| c.id).collect();
            let number = version.number;
            w.set_reason(&match &version.despite_findings {
                Some(reason) => format!("发布“{}”第 {number} 版（有未处理的红色问题，理由：{reason}）", list.name),
                None => format!("发布“{}”第 {number} 版", list.name),
            });
            w.put(&mut version)?;
            for change in changes.iter_mut().filter(|c| c.state == ChangeState::Approved) {
                change.state = ChangeState::Published;
                change.version = Some(version.id);
                let note = Some(format!("随“{}”第 {number} 版发布", list.name));
                change.history.push(ChangeStep { state: ChangeState::Published, date: request.published_on, actor: Some(actor.to_string()), note });
                w.put(change)?;
            }
            Ok(())
        })?;
        Ok(summary_of_version(&version))
    }
}
