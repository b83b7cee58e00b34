//! Gives back to the system the memory glibc's allocator keeps after long work.
//!
//! glibc's `free` returns memory to the system only from the top of a heap; what is freed below
//! a block still in use stays with the process. The desktop app's checks decode the whole
//! database and drop it again: measured on the 50,000-item benchmark database, the process's
//! anonymous memory was 103 MB after a check and its report were dropped, and 8 MB after
//! `malloc_trim(0)` (docs/benchmarks/app.md: the main process stayed ~100 MB larger for the rest
//! of the session after the first checks). Other allocators were tried: mimalloc gave memory
//! back, but held more at its peaks and let freed blocks wait on idle pool threads.
//!
//! This is the only crate of the workspace with an `unsafe` block (the workspace forbids them;
//! this crate denies them and allows the one call below).

/// Return the free memory of every heap of the allocator to the system. Returns whether any was
/// returned. Cheap when there is little to return (a walk of the free lists); not for every
/// small request. Elsewhere than Linux with glibc it does nothing.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn return_freed_memory_to_system() -> bool {
    // SAFETY: malloc_trim takes a plain integer (the padding to leave at the top of the main
    // heap), touches only the allocator's own state under its own locks (glibc: thread-safe)
    // and frees nothing that is in use.
    unsafe { libc::malloc_trim(0) != 0 }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn return_freed_memory_to_system() -> bool {
    false
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    use super::*;

    /// Anonymous resident memory of this process, in kB (`/proc/self/status`).
    fn anonymous_kb() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").expect("status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("RssAnon:"))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("RssAnon")
    }

    #[test]
    fn memory_freed_under_a_block_still_in_use_goes_back_to_the_system() {
        // 80 MB in small blocks, every 1,000th kept: the freed space lies under blocks in use,
        // which free() alone never returns (the situation after the checks).
        let blocks: Vec<Box<[u8; 200]>> = (0..400_000).map(|n| Box::new([(n % 251) as u8; 200])).collect();
        let kept: Vec<Box<[u8; 200]>> =
            blocks.into_iter().enumerate().filter(|(n, _)| n % 1_000 == 0).map(|(_, b)| b).collect();
        let before = anonymous_kb();
        assert!(return_freed_memory_to_system(), "something was returned");
        let after = anonymous_kb();
        assert_eq!(kept.len(), 400);
        assert!(before > after + 40_000, "anonymous memory {before} kB before, {after} kB after");
    }
}
