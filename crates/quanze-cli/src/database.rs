//! `quanze init`, `load`, `load-sample` and `dump`: the database as a whole. What a load wrote
//! is searchable when the command returns (search needs no index built afterwards).

use std::path::Path;

use clap::ValueEnum;
use quanze_api::{Api, ApiError, ErrorCode};

#[derive(Clone, Copy, ValueEnum)]
pub enum DumpFormat {
    Yaml,
    Json,
}

/// Open the database for a command: create it only when the command may (`init`, `load`,
/// `load-sample`, `import`); say on stderr when it could only be opened read-only.
pub fn open(path: &Path, may_create: bool) -> Result<Api, ApiError> {
    // A `postgresql://…` address names a database on a server (docs/server.md): it is not a
    // file that may be missing, and the store creates its schema when it is empty.
    let api = if may_create || is_server_address(path) {
        Api::open(path)?
    } else {
        Api::open_existing(path).map_err(|error| match error.code {
            ErrorCode::NotFound => ApiError::new(
                ErrorCode::NotFound,
                format!("{}。请检查 --db（或环境变量 QUANZE_DB）；新建数据库请用 quanze init", error.message),
            ),
            _ => error,
        })?
    };
    if api.read_only() {
        eprintln!("提示：数据库文件 {} 只读，已以只读方式打开：可以查看，不能修改。", path.display());
    }
    Ok(api)
}

/// Whether `--db` names a PostgreSQL database rather than a file.
fn is_server_address(path: &Path) -> bool {
    path.to_str()
        .is_some_and(|text| text.starts_with("postgresql://") || text.starts_with("postgres://"))
}

pub fn init(api: &Api, path: &Path) -> Result<String, ApiError> {
    let state = if api.overview()?.empty { "（空）" } else { "" };
    Ok(format!("数据库已就绪：{}{state}\n", path.display()))
}

pub fn load(api: &mut Api, actor: &str, file: &Path) -> Result<String, ApiError> {
    let counts = api.load_bundle_file(file, actor)?;
    Ok(format!(
        "已载入 {}：辖区 {}，机构 {}，班子成员 {}，清单 {}，事项 {}，准入申请 {}，豁免 {}，版本 {}\n",
        file.display(),
        counts.jurisdictions,
        counts.units,
        counts.leaders,
        counts.lists,
        counts.items,
        counts.admission_requests,
        counts.waivers,
        counts.versions
    ))
}

pub fn load_sample(api: &mut Api, actor: &str) -> Result<String, ApiError> {
    let counts = api.load_sample_district(actor)?;
    Ok(format!(
        "已载入示例辖区：辖区 {}，机构 {}，清单 {}，事项 {}\n",
        counts.jurisdictions, counts.units, counts.lists, counts.items
    ))
}

pub fn dump(api: &Api, format: DumpFormat) -> Result<String, ApiError> {
    let bundle = api.dump()?;
    match format {
        DumpFormat::Yaml => bundle.to_yaml(),
        DumpFormat::Json => bundle.to_json().map(|t| t + "\n"),
    }
    .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
}

/// `quanze migrate`: the whole database from one place to the other, table by table, verified.
/// Progress goes to standard error (a table a line), the summary to standard output.
pub fn migrate(from: &Path, to: &Path, json: bool) -> Result<String, ApiError> {
    let mut last_table = String::new();
    let report = quanze_api::migrate_database(from, to, &mut |table, rows| {
        if table != last_table {
            eprintln!("迁移 {table}…");
            last_table = table.to_string();
        } else if rows > 0 {
            eprintln!("  {table}：已写入 {rows} 行");
        }
    })?;
    crate::output::text_or_json(json, &report, |report| {
        let mut text = format!("已迁移 {} → {}\n表\t行数\tSHA-256（两边相同）\n", report.from, report.to);
        for table in &report.tables {
            text.push_str(&format!("{}\t{}\t{}\n", table.table, table.rows, table.digest));
        }
        text.push_str(&format!("共 {} 个表，逐表核对一致\n", report.tables.len()));
        text
    })
}
