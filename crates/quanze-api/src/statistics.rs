//! Statistics for the app's 统计 screen and `quanze stats`: item counts by 权力类型, by unit,
//! by level and by list kind, open findings by grade, and admission requests by state — for
//! the whole database or one jurisdiction and everything below it.
//!
//! Item counts come from the store's per-list tallies (SQLite counts; no item is decoded), so
//! a 50,000-item database answers quickly; the findings need a full check run.

use std::collections::{BTreeMap, HashMap, HashSet};

use quanze_domain::{AdmissionState, Id, Level, ListKind, PowerType};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Api, ApiError, CheckRequest, ErrorCode};

/// Units beyond this many (by item count) are summed into one "其他" bar, so a chart of a
/// district with 60 departments stays readable.
pub const STATISTICS_UNIT_LIMIT: usize = 20;

/// One bar of a chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Count {
    pub label: String,
    pub count: u32,
}

/// Everything the 统计 screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Statistics {
    /// The jurisdiction counted (with everything below it); `None` for the whole database.
    pub jurisdiction: Option<Id>,
    pub item_count: u32,
    /// Items of 权责清单 (and any other item with a 权力类型 written) by type: the ten types
    /// in their standard order, then 未填写 (a 权责清单 item without one) and 非标准写法.
    pub by_power_type: Vec<Count>,
    /// Units by item count, largest first; beyond [`STATISTICS_UNIT_LIMIT`] summed as 其他.
    /// An item counts for its list's unit, or else for its 承办机构 unit; an item with neither
    /// is counted in `items_without_unit` instead.
    pub by_unit: Vec<Count>,
    /// Items no department answers for by name: on a jurisdiction's own list (a street's
    /// 基本履职, a community's 依法履职 …) with no 承办机构 filled in. A bar called
    /// 未指定机构 topped the chart and meant nothing to a clerk; the screen says this in words.
    pub items_without_unit: u32,
    /// 区 / 街道 / 社区.
    pub by_level: Vec<Count>,
    /// List kinds in their standard order, only those present.
    pub by_list_kind: Vec<Count>,
    /// Open (not waived) findings by grade: 红, 黄, 蓝.
    pub findings_by_grade: Vec<Count>,
    /// Admission requests by state, in the order of the process.
    pub admission_by_state: Vec<Count>,
    /// District departments by the number of street duties taken back to them (上级部门收回
    /// items naming them as 承接部门), largest first: what a department answers for beyond its
    /// own list. Counted from the street lists within the scope.
    pub withdrawn_to_unit: Vec<Count>,
}

/// A street duty taken back by a department (an item of a 上级部门收回 list naming it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReceivedWithdrawal {
    pub list: Id,
    pub list_name: String,
    pub item: quanze_domain::Item,
}

fn push_counts<K: Copy + Eq + std::hash::Hash>(order: &[K], counts: &HashMap<K, u32>, label: impl Fn(K) -> String) -> Vec<Count> {
    order
        .iter()
        .filter_map(|k| counts.get(k).map(|&count| Count { label: label(*k), count }))
        .filter(|c| c.count > 0)
        .collect()
}

impl Api {
    /// Statistics of the whole database, or of `jurisdiction` and what lies below it.
    pub fn statistics(&self, jurisdiction: Option<Id>) -> Result<Statistics, ApiError> {
        let reader = self.store.reader();
        let places = reader.jurisdictions()?;
        let parent: HashMap<Id, Option<Id>> = places.iter().map(|j| (j.id, j.parent)).collect();
        let level: HashMap<Id, Level> = places.iter().map(|j| (j.id, j.level)).collect();
        if let Some(scope) = jurisdiction {
            if !parent.contains_key(&scope) {
                return Err(ApiError::new(ErrorCode::NotFound, format!("找不到辖区 #{scope}")));
            }
        }
        let within = |mut j: Id| -> bool {
            let Some(scope) = jurisdiction else { return true };
            // The tree is at most three levels deep; the bound guards against a cycle.
            for _ in 0..8 {
                if j == scope {
                    return true;
                }
                match parent.get(&j).copied().flatten() {
                    Some(p) => j = p,
                    None => return false,
                }
            }
            false
        };
        let lists: HashMap<Id, _> = reader
            .lists()?
            .into_iter()
            .filter(|l| within(l.jurisdiction))
            .map(|l| (l.id, l))
            .collect();
        let unit_names = crate::views::unit_names(&reader)?;

        let mut item_count = 0u32;
        let mut by_type: HashMap<Option<PowerType>, u32> = HashMap::new();
        let mut unfilled = 0u32;
        let mut by_unit: HashMap<String, u32> = HashMap::new();
        let mut items_without_unit = 0u32;
        let mut by_level: HashMap<Level, u32> = HashMap::new();
        let mut by_kind: HashMap<ListKind, u32> = HashMap::new();
        for tally in reader.item_tallies()? {
            let Some(list) = lists.get(&tally.list) else { continue };
            item_count += tally.count;
            // 权力类型 belongs to 权责清单; a street's or community's duty items have none (they
            // have a 类别), so they count here only when a type is written on them.
            match tally.power_type.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                None if list.kind == ListKind::Power => unfilled += tally.count,
                None => {}
                Some(text) => *by_type.entry(PowerType::parse(text)).or_default() += tally.count,
            }
            match list.unit.or(tally.handling_unit).and_then(|u| unit_names.get(&u).cloned()) {
                Some(unit) => *by_unit.entry(unit).or_default() += tally.count,
                None => items_without_unit += tally.count,
            }
            if let Some(l) = level.get(&list.jurisdiction) {
                *by_level.entry(*l).or_default() += tally.count;
            }
            *by_kind.entry(list.kind).or_default() += tally.count;
        }

        let mut by_power_type: Vec<Count> = PowerType::ALL
            .iter()
            .filter_map(|p| by_type.get(&Some(*p)).map(|&count| Count { label: p.label().to_string(), count }))
            .collect();
        if unfilled > 0 {
            by_power_type.push(Count { label: "未填写".into(), count: unfilled });
        }
        if let Some(&count) = by_type.get(&None) {
            by_power_type.push(Count { label: "非标准写法".into(), count });
        }

        let mut units: Vec<Count> = by_unit.into_iter().map(|(label, count)| Count { label, count }).collect();
        units.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
        if units.len() > STATISTICS_UNIT_LIMIT {
            let rest = units.split_off(STATISTICS_UNIT_LIMIT);
            let sum = rest.iter().map(|c| c.count).sum();
            units.push(Count { label: format!("其他 {} 个机构", rest.len()), count: sum });
        }

        let report = self.check(&CheckRequest { jurisdiction, ..CheckRequest::default() })?;
        let mut grades: BTreeMap<quanze_checks::Grade, u32> = BTreeMap::new();
        for finding in report.findings.iter().filter(|f| !f.waived) {
            *grades.entry(finding.grade).or_default() += 1;
        }
        let findings_by_grade = [quanze_checks::Grade::Red, quanze_checks::Grade::Yellow, quanze_checks::Grade::Blue]
            .into_iter()
            .map(|g| Count { label: g.label().to_string(), count: grades.get(&g).copied().unwrap_or(0) })
            .collect();

        let mut withdrawn: HashMap<String, u32> = HashMap::new();
        for (list, unit, count) in reader.withdrawal_tallies()? {
            if lists.contains_key(&list) {
                let name = unit_names.get(&unit).cloned().unwrap_or_else(|| format!("机构 #{unit}"));
                *withdrawn.entry(name).or_default() += count;
            }
        }
        let mut withdrawn_to_unit: Vec<Count> = withdrawn.into_iter().map(|(label, count)| Count { label, count }).collect();
        withdrawn_to_unit.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));

        let communities: HashSet<Id> = places.iter().filter(|j| within(j.id)).map(|j| j.id).collect();
        let mut states: HashMap<AdmissionState, u32> = HashMap::new();
        for request in reader.admission_requests()?.iter().filter(|r| communities.contains(&r.community)) {
            *states.entry(request.state).or_default() += 1;
        }
        let process = [
            AdmissionState::Applied,
            AdmissionState::UnderReview,
            AdmissionState::Admitted,
            AdmissionState::Rejected,
            AdmissionState::Revoked,
        ];
        let admission_by_state = process
            .iter()
            .filter_map(|s| states.get(s).map(|&count| Count { label: s.label().to_string(), count }))
            .collect();

        Ok(Statistics {
            jurisdiction,
            item_count,
            by_power_type,
            by_unit: units,
            items_without_unit,
            by_level: push_counts(&Level::ALL, &by_level, |l| l.label().to_string()),
            by_list_kind: push_counts(&ListKind::ALL, &by_kind, |k| k.label().to_string()),
            findings_by_grade,
            admission_by_state,
            withdrawn_to_unit,
        })
    }

    /// The street duties taken back to a department: every item naming it as 承接部门, with its
    /// list — what the department's own 权责清单 does not show.
    pub fn withdrawals_received(&self, unit: Id) -> Result<Vec<ReceivedWithdrawal>, ApiError> {
        let reader = self.store.reader();
        reader.unit(unit).map_err(|_| ApiError::new(ErrorCode::NotFound, format!("找不到机构 #{unit}")))?;
        let names: HashMap<Id, String> = reader.lists()?.into_iter().map(|l| (l.id, l.name)).collect();
        Ok(reader
            .items_withdrawn_to(unit)?
            .into_iter()
            .map(|record| ReceivedWithdrawal {
                list: record.list,
                list_name: names.get(&record.list).cloned().unwrap_or_default(),
                item: record.item,
            })
            .collect())
    }
}
