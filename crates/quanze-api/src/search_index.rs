//! The search index after a big write. `Store::write` indexes the items it queued before it
//! commits when they are few; a big load or import commits first (trigram indexing is most of
//! its cost) and the index catches up afterwards, in short batches, while search finds the
//! queued items with `LIKE`. An import says how, with [`SearchIndexing`], so its caller
//! cannot forget it; after a load the caller runs [`Api::catch_up_search_index_after_write`]
//! (the CLI) or [`catch_up_search_index_in_background`] (the app).

use std::path::{Path, PathBuf};

use crate::{Api, ApiError};

/// Items indexed per transaction by [`Api::catch_up_search_index`]: about a second of work,
/// so a writer waiting on the database never waits long.
pub const SEARCH_INDEX_BATCH: i64 = 5_000;

/// How the search index catches up after an import.
pub enum SearchIndexing<'a> {
    /// Now, on this thread (the CLI, before it exits), calling `progress(0, total)` before the
    /// first batch and `progress(done, total)` after each.
    Now(&'a mut dyn FnMut(u64, u64)),
    /// On a thread of its own with its own connection, so the caller never waits (the app);
    /// the function receives the error if the catch-up fails.
    InBackground(Box<dyn FnOnce(ApiError) + Send>),
}

impl Api {
    /// Items written by a big load or import that are not yet in the search index (search
    /// still finds them, more slowly). See [`Api::catch_up_search_index`].
    pub fn search_index_backlog(&self) -> Result<u64, ApiError> {
        Ok(u64::try_from(self.store.search_index_backlog()?).unwrap_or(0))
    }

    /// Index every queued item, in batches of [`SEARCH_INDEX_BATCH`] short transactions,
    /// calling `progress(done, total)` after each. Big loads and imports commit without
    /// indexing (trigram indexing is most of their cost); callers run this afterwards — the CLI
    /// before it exits, the app on a background thread with its own connection.
    pub fn catch_up_search_index(&mut self, mut progress: impl FnMut(u64, u64)) -> Result<(), ApiError> {
        let total = self.search_index_backlog()?;
        let mut done = 0;
        while done < total {
            let step = self.store.index_pending_items(SEARCH_INDEX_BATCH)?;
            done += u64::try_from(step.indexed).unwrap_or(0);
            progress(done, total);
            if step.remaining == 0 || step.indexed == 0 {
                break;
            }
        }
        Ok(())
    }

    /// Bring the search index up to date after a write, as `how` says; nothing to do when
    /// nothing is queued. In the background, an error (reading the queue included) goes to
    /// the caller's function instead of failing the write that already landed. An import calls
    /// it itself; after a load the CLI calls it.
    pub fn catch_up_search_index_after_write(&mut self, how: SearchIndexing<'_>) -> Result<(), ApiError> {
        match how {
            SearchIndexing::Now(progress) => {
                let total = self.search_index_backlog()?;
                if total > 0 {
                    progress(0, total);
                    self.catch_up_search_index(progress)?;
                }
            }
            SearchIndexing::InBackground(report) => match self.search_index_backlog() {
                Ok(0) => {}
                Ok(_) => {
                    let path = self.database_path().to_path_buf();
                    std::thread::spawn(move || {
                        if let Err(error) = catch_up_search_index_of(&path) {
                            report(error);
                        }
                    });
                }
                Err(error) => report(error),
            },
        }
        Ok(())
    }
}

/// Fill the search index of the database at `path` with a connection of its own.
fn catch_up_search_index_of(path: &Path) -> Result<(), ApiError> {
    Api::open(path)?.catch_up_search_index(|_, _| {})
}

/// Fill the search index of the database at `path` on a thread of its own, with its own
/// connection (WAL lets the app keep reading and writing meanwhile; each batch is a short
/// transaction). The desktop shell calls it after a big load, so the window never waits for
/// indexing; search finds the queued items in the meantime.
pub fn catch_up_search_index_in_background(path: PathBuf) -> std::thread::JoinHandle<Result<(), ApiError>> {
    std::thread::spawn(move || catch_up_search_index_of(&path))
}
