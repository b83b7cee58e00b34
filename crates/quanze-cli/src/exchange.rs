//! `quanze export` and `quanze merge`: packages between offices (`docs/exchange.md`).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use quanze_api::{Api, ApiError, ConflictDecision, ExportRequest, MergeOptions, MergeReport, Side, WHOLE_ENTITY};

#[derive(Args)]
pub struct ExportArgs {
    /// 辖区名称（导出该辖区及其下全部内容）
    #[arg(long, value_name = "NAME")]
    jurisdiction: String,
    /// 只导出这些清单（编号或全名，可多次给出）
    #[arg(long = "list", value_name = "LIST")]
    lists: Vec<String>,
    /// 发出单位（默认：本库收到的最近一个数据包所属的辖区，或“<区名>委编办”）
    #[arg(long)]
    office: Option<String>,
    /// 输出文件（.qzb.yaml；以 .json 结尾则写 JSON）
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// 以 JSON 输出结果
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ResolveArg {
    /// 保留本库的值
    Ours,
    /// 采用数据包的值
    Theirs,
}

#[derive(Args)]
pub struct MergeArgs {
    /// 数据包文件
    file: PathBuf,
    /// 只比较并报告，不做任何改动
    #[arg(long)]
    dry_run: bool,
    /// 以 JSON 输出报告
    #[arg(long)]
    json: bool,
    /// 未单独决定的冲突一律：ours 保留本库，theirs 采用数据包
    #[arg(long, value_enum)]
    resolve: Option<ResolveArg>,
    /// 逐条决定冲突的文件（JSON 或 YAML：[{id, field, take: ours|theirs}]）
    #[arg(long, value_name = "FILE")]
    decisions: Option<PathBuf>,
}

pub fn export(api: &mut Api, actor: &str, args: ExportArgs) -> Result<String, ApiError> {
    let jurisdiction = api.find_jurisdiction(&args.jurisdiction)?;
    let lists = args.lists.iter().map(|l| api.find_list(l)).collect::<Result<Vec<_>, _>>()?;
    let request = ExportRequest { jurisdiction, lists, office: args.office.unwrap_or_default() };
    let summary = api.export_package(&request, &args.out, actor)?;
    if args.json {
        return to_json(&summary);
    }
    Ok(format!(
        "已导出数据包 {}：{}，清单 {}，事项 {}（{} 字节）\n发出单位：{}，操作人：{}，时间：{}\n校验值（SHA-256）：{}\n",
        summary.path,
        summary.package.jurisdiction,
        summary.lists,
        summary.items,
        summary.bytes,
        summary.package.office,
        summary.package.actor,
        summary.package.made_at,
        summary.package.content_sha256
    ))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string_pretty(value)
        .map(|t| t + "\n")
        .map_err(|e| ApiError::new(quanze_api::ErrorCode::Internal, e.to_string()))
}

fn read_decisions(path: &std::path::Path) -> Result<Vec<ConflictDecision>, ApiError> {
    let text = std::fs::read_to_string(path).map_err(|e| ApiError::read(path, &e))?;
    let parsed = if text.trim_start().starts_with('[') || text.trim_start().starts_with('{') {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        serde_norway::from_str(&text).map_err(|e| e.to_string())
    };
    parsed.map_err(|e| {
        ApiError::invalid_input(format!("{} 不是有效的冲突决定文件（应为 [{{id, field, take: ours|theirs}}]）：{e}", path.display()))
    })
}

/// The report, and whether it ends with conflicts left undecided (exit status 1).
pub fn merge(api: &mut Api, actor: &str, args: MergeArgs) -> Result<(String, bool), ApiError> {
    let decisions = args.decisions.as_deref().map(read_decisions).transpose()?.unwrap_or_default();
    let resolve = args.resolve.map(|r| match r {
        ResolveArg::Ours => Side::Ours,
        ResolveArg::Theirs => Side::Theirs,
    });
    let options = MergeOptions { dry_run: args.dry_run, resolve, decisions };
    let report = api.merge_package_file(&args.file, &options, actor)?;
    let stopped = report.undecided() > 0;
    let text = if args.json { to_json(&report)? } else { report_text(&report, args.dry_run) };
    Ok((text, stopped))
}

fn shown(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "（空）".to_string(),
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn report_text(report: &MergeReport, dry_run: bool) -> String {
    let p = &report.package;
    let mut out = format!("数据包：{}（{} {}，{}）\n", p.jurisdiction, p.office, p.actor, p.made_at);
    match &report.base {
        Some(base) => out.push_str(&format!("比较基准：{} 于 {} 发出的数据包\n", base.office, base.made_at)),
        None => out.push_str("比较基准：无（本库没有此数据包的来源，两边不同之处均为冲突）\n"),
    }
    out.push_str(&format!(
        "新增 {}，修改 {}，删除 {}，冲突 {}，相同 {}\n",
        report.added.len(),
        report.changed.len(),
        report.removed.len(),
        report.conflicts.len(),
        report.unchanged
    ));
    let in_list = |list: &Option<String>| list.as_ref().map_or_else(String::new, |l| format!("（{l}）"));
    for a in &report.added {
        out.push_str(&format!("  新增 {} {}{}\n", a.entity, a.label, in_list(&a.list)));
    }
    for c in &report.changed {
        out.push_str(&format!("  修改 {} {}{} {}：{} → {}\n", c.entity, c.label, in_list(&c.list), c.field_label, shown(&c.before), shown(&c.after)));
    }
    for r in &report.removed {
        out.push_str(&format!("  删除 {} {}{}\n", r.entity, r.label, in_list(&r.list)));
    }
    for c in &report.conflicts {
        let decided = match c.resolution {
            Some(Side::Ours) => "→ 保留本库",
            Some(Side::Theirs) => "→ 采用数据包",
            None => "→ 未决定",
        };
        let field = if c.field == WHOLE_ENTITY { c.field_label.clone() } else { format!("{}（{}）", c.field_label, c.field) };
        out.push_str(&format!(
            "  冲突 {} {}{} {}：基准 {}，本库 {}，数据包 {} {decided}\n    标识 {}\n",
            c.entity,
            c.label,
            in_list(&c.list),
            field,
            shown(&c.base),
            shown(&c.ours),
            shown(&c.theirs),
            c.id
        ));
    }
    if report.applied {
        out.push_str(if report.is_empty() { "本库已包含数据包的全部内容，没有改动。\n" } else { "已合并（记入操作日志）。\n" });
    } else if dry_run {
        out.push_str("试运行：没有做任何改动。\n");
    } else {
        out.push_str(&format!(
            "有 {} 处冲突未决定，没有做任何改动。请用 --resolve ours|theirs 或 --decisions 文件决定后再合并。\n",
            report.undecided()
        ));
    }
    out
}
