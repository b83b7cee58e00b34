//! Progress and cancellation of long work (importing several workbooks, posters for every
//! community of a street, the checks rule by rule). The caller — the app's shell, on a worker thread — passes a
//! [`LongWork`]: a flag the user's 取消 button sets, and a function that receives each
//! [`WorkProgress`] (the shell forwards it to the window). The work checks the flag between
//! steps and stops with [`ErrorCode::Cancelled`](crate::ErrorCode::Cancelled), leaving the
//! database untouched (an import) or the files finished so far in place (posters, each a
//! complete file); checks only read, so stopping them leaves nothing behind.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One step of long work, as a progress bar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WorkProgress {
    /// What is being done, in Chinese: "正在读取 水务局.xls（2/5）".
    pub step: String,
    /// Steps finished, out of `total`.
    pub done: u32,
    pub total: u32,
}

/// The cancellation flag and the progress receiver of one piece of long work.
pub struct LongWork<'a> {
    cancelled: &'a AtomicBool,
    progress: &'a (dyn Fn(&WorkProgress) + Sync),
}

impl<'a> LongWork<'a> {
    pub fn new(cancelled: &'a AtomicBool, progress: &'a (dyn Fn(&WorkProgress) + Sync)) -> LongWork<'a> {
        LongWork { cancelled, progress }
    }

    /// Report a step; `false` when the user has asked to stop.
    pub(crate) fn step(&self, step: String, done: usize, total: usize) -> bool {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        (self.progress)(&WorkProgress { step, done: count(done), total: count(total) });
        !self.cancelled.load(Ordering::Relaxed)
    }
}
