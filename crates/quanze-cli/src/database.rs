//! `quanze init`, `load`, `load-sample` and `dump`: the database as a whole. A big load
//! commits first and the search index catches up before the command exits, with its progress
//! on stderr (`IndexingProgress`, shared with `quanze import`).

use std::path::Path;
use std::time::Instant;

use clap::ValueEnum;
use quanze_api::{Api, ApiError, ErrorCode, SearchIndexing};

#[derive(Clone, Copy, ValueEnum)]
pub enum DumpFormat {
    Yaml,
    Json,
}

/// Open the database for a command: create it only when the command may (`init`, `load`,
/// `load-sample`, `import`); say on stderr when it could only be opened read-only; and finish
/// a search-index catch-up that an earlier command did not (killed, or the machine went down),
/// so that the index never stays half built.
pub fn open(path: &Path, may_create: bool) -> Result<Api, ApiError> {
    let mut api = if may_create {
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
    } else {
        catch_up_search_index(&mut api)?;
    }
    Ok(api)
}

pub fn init(api: &Api, path: &Path) -> Result<String, ApiError> {
    let state = if api.overview()?.empty { "（空）" } else { "" };
    Ok(format!("数据库已就绪：{}{state}\n", path.display()))
}

pub fn load(api: &mut Api, actor: &str, file: &Path) -> Result<String, ApiError> {
    let counts = api.load_bundle_file(file, actor)?;
    catch_up_search_index(api)?;
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
    catch_up_search_index(api)?;
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

/// The search index's progress on stderr while it catches up after a big write (a load or
/// import commits first; see `Api::catch_up_search_index`): a line rewritten after each batch,
/// then the count and the time taken.
#[derive(Default)]
pub struct IndexingProgress {
    started: Option<(Instant, u64)>,
}

impl IndexingProgress {
    pub fn step(&mut self, done: u64, total: u64) {
        self.started.get_or_insert_with(|| (Instant::now(), total));
        if done > 0 {
            eprint!("\r正在建立检索索引：{done}/{total}");
        }
    }

    pub fn finish(self) {
        if let Some((started, total)) = self.started {
            eprintln!(
                "\r检索索引已更新：{total} 个事项，用时 {:.1} 秒",
                started.elapsed().as_secs_f64()
            );
        }
    }
}

/// Bring the search index up to date after a load, with its progress on stderr.
fn catch_up_search_index(api: &mut Api) -> Result<(), ApiError> {
    let mut progress = IndexingProgress::default();
    api.catch_up_search_index_after_write(SearchIndexing::Now(&mut |done, total| progress.step(done, total)))?;
    progress.finish();
    Ok(())
}
