//! `quanze stats`: the 统计 screen's figures as text or JSON.

use quanze_api::{Api, ApiError, Count};

use crate::output::text_or_json;

fn section(text: &mut String, title: &str, counts: &[Count]) {
    text.push_str(&format!("\n{title}\n"));
    if counts.is_empty() {
        text.push_str("  （无）\n");
    }
    for c in counts {
        text.push_str(&format!("  {}\t{}\n", c.label, c.count));
    }
}

pub fn run(api: &Api, jurisdiction: Option<&str>, json: bool) -> Result<String, ApiError> {
    let scope = jurisdiction.map(|name| api.find_jurisdiction(name)).transpose()?;
    let stats = api.statistics(scope)?;
    text_or_json(json, &stats, |stats| {
        let mut text = format!("{}：共 {} 个事项\n", jurisdiction.unwrap_or("全部辖区"), stats.item_count);
        section(&mut text, "按权力类型", &stats.by_power_type);
        section(&mut text, "按机构", &stats.by_unit);
        if stats.items_without_unit > 0 {
            text.push_str(&format!(
                "  另有 {} 个事项在街道、社区等本级清单中且未填承办机构，未计入机构\n",
                stats.items_without_unit
            ));
        }
        section(&mut text, "街道上级部门收回事项（按承接部门）", &stats.withdrawn_to_unit);
        section(&mut text, "按层级", &stats.by_level);
        section(&mut text, "按清单类别", &stats.by_list_kind);
        section(&mut text, "未豁免的检查问题（按等级）", &stats.findings_by_grade);
        section(&mut text, "准入申请（按状态）", &stats.admission_by_state);
        text
    })
}

/// `quanze withdrawals --unit U`: the street duties taken back to a department.
pub fn withdrawals(api: &Api, unit: &str, json: bool) -> Result<String, ApiError> {
    let unit_id = match unit.trim().parse() {
        Ok(id) => id,
        Err(_) => api.find_unit(unit)?,
    };
    let received = api.withdrawals_received(unit_id)?;
    text_or_json(json, &received, |received| {
        let mut text = String::new();
        for r in received {
            let method = r.item.withdrawal.as_ref().and_then(|w| w.working_method.as_deref()).map(|m| format!("  工作方式：{m}")).unwrap_or_default();
            text.push_str(&format!("#{}  {}  （{}）{method}\n", r.item.id, r.item.label(), r.list_name));
        }
        text.push_str(&format!("共 {} 项由街道收回至“{unit}”\n", received.len()));
        text
    })
}
