//! The environment the shell starts itself again with (Linux, glibc): memory settings that are
//! read when a process starts, so that `main` cannot change them for itself, and that WebKit's
//! processes inherit (issue 18, docs/benchmarks.md).
//!
//! - `MALLOC_ARENA_MAX=2`: glibc's malloc gives each thread that allocates under contention an
//!   arena of its own (up to 8 per core) and keeps what a thread arena once held; the checks, run
//!   on the blocking pool, read the whole database and the main process stayed over 100 MB larger
//!   afterwards. Two arenas are plenty for this app (the tour of scripts/bench_memory.py on a debug
//!   build: the main process's heap and anonymous memory at the end 125–128 MB instead of
//!   197–211 MB).
//! - `JSC_forceRAMSize=1073741824`: JavaScriptCore (in the WebKit web process) lets its heap grow
//!   between full collections by a factor that depends on the machine's memory: up to twice what
//!   was live after the last one while the heap is under a quarter of the memory. With the
//!   50,000-item list open (about 250 MB live) on a machine of 8 GB or more, what every screen
//!   visit left behind (10–25 MB, garbage, not leaked) stayed until the heap had doubled. Sized as
//!   for 1 GB, the growth allowed shrinks once the heap passes a quarter and a half of that, so full
//!   collections come sooner. Measured (debug build, the list open, then 机构图, 准入 and 历史
//!   each visited 5 times with a return to 清单 after each): the web process's anonymous memory
//!   ended at 322 MB instead of 432 MB (it was 249 and 265 MB with the list open). It only moves
//!   when JavaScriptCore collects; the page still gets the memory it needs.
//! - `WEBKIT_DISABLE_COMPOSITING_MODE=1`: WebKitGTK draws the page without accelerated
//!   compositing (no GL in the web process: where there is no usable GPU, as under Xvfb or on many
//!   office machines, that GL is Mesa's software rasteriser and LLVM). The app is tables and
//!   forms, drawn faster without it (release build, docs/benchmarks.md: the 50,000-item list's
//!   first rows 0.71 s instead of 0.93 s, 50 jumps through it 1.35 s instead of 4.82 s), and the
//!   app is 100–200 MB smaller (docs/benchmarks/app.md: the 50,000-item list open 434 → 313 MB
//!   PSS); over the 30-minute tour of every screen it still grows at the same rate. It is also
//!   WebKitGTK's own cure for a window that stays blank on an unusual GPU driver.
//!   `WEBKIT_DISABLE_COMPOSITING_MODE=0` keeps compositing on (WebKit takes "0" as "not disabled").
//!
//! A variable already set is left as it is (set it to opt out).

/// The settings, each with the value the shell wants.
pub const MEMORY_SETTINGS: [(&str, &str); 3] = [
    ("MALLOC_ARENA_MAX", "2"),
    ("JSC_forceRAMSize", "1073741824"),
    ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
];

/// The settings `current` (the environment) does not have yet: the program starts itself again
/// with these when there is any.
pub fn missing_settings(current: impl Fn(&str) -> Option<std::ffi::OsString>) -> Vec<(&'static str, &'static str)> {
    MEMORY_SETTINGS
        .iter()
        .copied()
        .filter(|(name, _)| current(name).is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    #[test]
    fn a_fresh_start_sets_the_malloc_arenas_the_javascript_heap_sizing_and_compositing_off() {
        let missing = missing_settings(|_| None);
        assert_eq!(
            missing,
            vec![
                ("MALLOC_ARENA_MAX", "2"),
                ("JSC_forceRAMSize", "1073741824"),
                ("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            ]
        );
    }

    #[test]
    fn a_variable_already_set_is_kept_and_after_the_restart_nothing_is_missing() {
        let set_by_user = |name: &str| (name == "JSC_forceRAMSize").then(|| OsString::from("4000000000"));
        assert_eq!(
            missing_settings(set_by_user),
            vec![("MALLOC_ARENA_MAX", "2"), ("WEBKIT_DISABLE_COMPOSITING_MODE", "1")]
        );
        // After the restart all are there: no second restart.
        assert!(missing_settings(|_| Some(OsString::from("x"))).is_empty());
    }
}
