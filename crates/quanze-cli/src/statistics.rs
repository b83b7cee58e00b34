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
        section(&mut text, "按层级", &stats.by_level);
        section(&mut text, "按清单类别", &stats.by_list_kind);
        section(&mut text, "未豁免的检查问题（按等级）", &stats.findings_by_grade);
        section(&mut text, "准入申请（按状态）", &stats.admission_by_state);
        text
    })
}
