//! `quanze import`: legacy workbooks into the database, with the user's corrections (sheets
//! left out, header rows) given on the command line.

use std::path::PathBuf;

use clap::Args;
use quanze_api::{Api, ApiError, ImportOptions, SheetOverride};
use quanze_domain::ListKind;

use crate::output::text_or_json;

#[derive(Args)]
pub struct ImportArgs {
    /// 一个或多个表格文件
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// 归入的辖区（不存在则创建）
    #[arg(long, value_name = "NAME")]
    jurisdiction: Option<String>,
    /// 归入的机构（不存在则创建）；不指定时使用从文件推断出的部门
    #[arg(long, value_name = "NAME")]
    unit: Option<String>,
    /// 清单类别，如 权责清单 / power、基本履职 / street_basic
    #[arg(long, value_name = "KIND", default_value = "权责清单")]
    list_kind: String,
    /// 只读取并报告，不写入数据库
    #[arg(long)]
    dry_run: bool,
    /// 不导入该工作表（可多次指定）
    #[arg(long = "skip-sheet", value_name = "SHEET")]
    skip_sheets: Vec<String>,
    /// 指定工作表的表头行（从 1 起），如 --header-row 行政处罚=3（可多次指定）
    #[arg(long = "header-row", value_name = "SHEET=ROW")]
    header_rows: Vec<String>,
    #[arg(long)]
    json: bool,
}

pub fn run(api: &mut Api, actor: &str, args: ImportArgs) -> Result<String, ApiError> {
    let options = options(&args)?;
    let report = api.import_files(&args.files, &options, actor)?;
    text_or_json(args.json, &report, quanze_api::render_report)
}

/// The import's options from the command line.
fn options(args: &ImportArgs) -> Result<ImportOptions, ApiError> {
    let list_kind = &args.list_kind;
    let kind = ListKind::parse(list_kind).ok_or_else(|| {
        ApiError::invalid_input(format!(
            "未知的清单类别“{list_kind}”，可用：{}",
            ListKind::ALL.map(|k| k.label()).join("、")
        ))
    })?;
    let mut sheets: Vec<SheetOverride> = args
        .skip_sheets
        .iter()
        .map(|sheet| SheetOverride { sheet: sheet.clone(), skip: true, ..SheetOverride::default() })
        .collect();
    for spec in &args.header_rows {
        let parsed = spec
            .rsplit_once('=')
            .and_then(|(sheet, row)| Some((sheet.trim().to_string(), row.trim().parse::<u32>().ok()?)))
            .filter(|(sheet, row)| !sheet.is_empty() && *row > 0);
        let Some((sheet, row)) = parsed else {
            return Err(ApiError::invalid_input(format!(
                "无法理解 --header-row “{spec}”：应写作 工作表名=行号，如 行政处罚=3"
            )));
        };
        match sheets.iter_mut().find(|o| o.sheet == sheet) {
            Some(existing) => existing.header_row = Some(row),
            None => sheets.push(SheetOverride {
                sheet,
                header_row: Some(row),
                ..SheetOverride::default()
            }),
        }
    }
    // With one file, name it in the overrides, so that a misspelt sheet is an error
    // rather than silently ignored.
    if let [only] = args.files.as_slice() {
        let name = only.file_name().map(|n| n.to_string_lossy().into_owned());
        for o in &mut sheets {
            o.file.clone_from(&name);
        }
    }
    Ok(ImportOptions {
        sheets,
        jurisdiction: args.jurisdiction.clone(),
        unit: args.unit.clone(),
        list_kind: kind,
        dry_run: args.dry_run,
        ..ImportOptions::default()
    })
}
