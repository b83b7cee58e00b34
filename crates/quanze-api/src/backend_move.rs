//! Moving a whole database between a file and a PostgreSQL server (`quanze migrate`, issue 19;
//! `quanze_store::Store::copy_into` does the copy and its verification).

use std::path::Path;

use quanze_store::{CopyReport, Store};

use crate::{ApiError, ErrorCode};

/// Copy the database at `from` (a file or a `postgresql://` URL) into `to`, which must be new
/// or empty. A file `to` that this call created is removed again if the copy fails, so that a
/// second try does not find a half-made target.
pub fn migrate_database(from: &Path, to: &Path, progress: &mut dyn FnMut(&str, u64)) -> Result<CopyReport, ApiError> {
    let is_url = |path: &Path| path.to_str().is_some_and(quanze_store::pg::is_server_url);
    if !is_url(from) && !from.is_file() {
        return Err(ApiError::new(ErrorCode::NotFound, format!("找不到要迁移的数据库 {}", from.display())));
    }
    if from == to {
        return Err(ApiError::invalid_input("迁移的来源和目标是同一个数据库"));
    }
    let source = Store::open(from)?;
    let created = !is_url(to) && !to.exists();
    let copied = Store::open(to).and_then(|mut target| source.copy_into(&mut target, progress));
    if copied.is_err() && created {
        quanze_store::remove_database_files(to);
    }
    Ok(copied?)
}
