//! `quanze check`, `quanze waive` and `quanze unwaive`: the checks' findings, a 豁免 with a
//! reason, and the 豁免 withdrawn.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;
use quanze_api::{Api, ApiError, CheckRequest, Report};

use crate::output::text_or_json;

#[derive(Args)]
pub struct CheckArgs {
    /// 只检查该辖区及其下级
    #[arg(long, value_name = "NAME")]
    jurisdiction: Option<String>,
    /// 只运行这些规则（可多次指定），如 overlap.exact
    #[arg(long = "rule", value_name = "ID")]
    rules: Vec<String>,
    /// 使用自定义规则包（YAML）
    #[arg(long = "rules", value_name = "FILE")]
    pack: Option<PathBuf>,
    #[arg(long)]
    json: bool,
    /// 仍有未豁免的“错误”级问题时以退出码 3 结束
    #[arg(long)]
    strict: bool,
    /// 计算准入申请期限所用的“今天”（YYYY-MM-DD，默认今天）
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
}

/// The report as text or JSON, and whether `--strict` fails on it (an unwaived error).
pub fn check(api: &Api, args: CheckArgs) -> Result<(String, bool), ApiError> {
    let jurisdiction = match args.jurisdiction {
        Some(name) => Some(api.find_jurisdiction(&name)?),
        None => None,
    };
    let pack = match args.pack {
        Some(path) => Some((
            path.display().to_string(),
            std::fs::read_to_string(&path).map_err(|e| ApiError::read(&path, &e))?,
        )),
        None => None,
    };
    let report = api.check(&CheckRequest {
        rules: args.rules,
        jurisdiction,
        pack,
        today: Some(crate::admission::parse_date(args.today.as_deref())?),
    })?;
    let text = text_or_json(args.json, &report, render)?;
    Ok((text, args.strict && report.has_unwaived_errors()))
}

pub fn waive(api: &mut Api, actor: &str, key: &str, reason: &str) -> Result<String, ApiError> {
    let waiver = api.waive(key, reason, actor)?;
    Ok(format!("已豁免 {}：{}\n", waiver.finding_key, waiver.reason))
}

pub fn unwaive(api: &mut Api, actor: &str, key: &str) -> Result<String, ApiError> {
    let waiver = api.withdraw_waiver(key, actor)?;
    Ok(format!("已撤销豁免 {}（原理由：{}），下次检查重新计入\n", waiver.finding_key, waiver.reason))
}

fn render(report: &Report) -> String {
    let mut text = String::new();
    let s = &report.summary;
    let _ = writeln!(
        text,
        "检查完成：{} 个问题（错误 {}，警告 {}，提示 {}；红 {}，黄 {}，蓝 {}），已豁免 {}",
        s.total - s.waived, s.errors, s.warnings, s.infos, s.red, s.yellow, s.blue, s.waived
    );
    let mut current: Option<(&str, &str)> = None;
    for f in &report.findings {
        let group = (f.severity.label(), f.rule.as_str());
        if current != Some(group) {
            let _ = writeln!(text, "\n【{}】{}（{}）", f.severity.label(), f.title, f.rule);
            current = Some(group);
        }
        let waived = if f.waived {
            format!("  〔已豁免：{}〕", f.waiver_reason.as_deref().unwrap_or(""))
        } else if f.waiver_lapsed {
            "  〔原豁免已失效：相关内容已修改〕".to_string()
        } else {
            String::new()
        };
        let _ = writeln!(text, "  [{}] {}{waived}", f.grade.label(), f.message);
        let _ = writeln!(text, "      标识：{}", f.key);
    }
    text
}
