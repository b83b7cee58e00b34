//! Renewing the window's page before WebKit's memory grows without end (issue 18).
//!
//! WebKitGTK's web process keeps memory for every screen the page builds and tears down: a
//! 30-minute tour of every screen took it from 334 to 598 MB (docs/benchmarks.md, "What grows
//! over the tour" and "Not the harness"), and a reload of the page in the same process gives
//! almost none of it back ("Renewing the page"). So the page asks, at each change of screen,
//! whether it is time ([`PageRenewal::advise`]); when the web process has grown by
//! [`PageRenewal::growth_bound_mb`] over the lowest the session has seen, and nothing is being
//! typed, saved or loaded and no form is open (the page's side: ui/src/lib/pageRenewal.ts), the
//! page hands the shell its place (screen, place in the tree, list, rows in view, find box,
//! search, checks, undo and redo) and the shell ends the web process and loads the page in a new
//! one, which takes the place back. A renewal costs about a second at a change of screen; at most
//! one every [`PageRenewal::MIN_INTERVAL`].
//!
//! The shell keeps one [`PageRenewal`] for the window (it outlives the page's loads) and reads
//! the web process's memory with [`web_process_pss_bytes`].

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The largest place the shell keeps for the page (its undo and redo stacks are most of it: at
/// most 500 batches each).
pub const MAX_PLACE_BYTES: usize = 64 * 1024 * 1024;

/// The variable that keeps a renewal in the same web process (`same`): a reload there gives back
/// almost nothing, but WebDriver's session survives it, which the E2E test of what a renewal
/// keeps needs (WebKitWebDriver ends its session with the page's process).
pub const PROCESS_VARIABLE: &str = "QUANZE_PAGE_RENEWAL_PROCESS";

/// The variable that sets the growth bound in MB (`0`: at every change of screen, for tests;
/// `off`: never). Unset: [`PageRenewal::DEFAULT_GROWTH_MB`].
pub const GROWTH_VARIABLE: &str = "QUANZE_PAGE_RENEWAL_MB";

/// The answer to the page at a change of screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PageRenewalAdvice {
    /// Load the page again now (its place kept).
    pub renew: bool,
    /// The web process's memory now (PSS, MB); `null` where it cannot be read (not Linux).
    pub web_process_mb: Option<u32>,
    /// The lowest reading of this session (MB), the reference of the bound.
    pub lowest_mb: Option<u32>,
    /// Renewal when the reading exceeds `lowest_mb` by this (MB); `null`: renewal is off.
    pub growth_bound_mb: Option<u32>,
}

/// When the window's page is loaded again: the session's lowest reading, the last renewal.
#[derive(Debug)]
pub struct PageRenewal {
    in_new_process: bool,
    growth_bound_mb: Option<u32>,
    min_interval: Duration,
    lowest_mb: Option<u32>,
    last_renewal: Option<Instant>,
}

impl PageRenewal {
    /// The default bound: the goal of issue 18 leaves 250 MB between the app with a
    /// 50,000-item list open (313 MB) and 1.5 × an empty window + 150 MB (564 MB); half of it
    /// for the web process's growth keeps the whole well inside, with room for one screen's
    /// growth and the readings' spread (±20 MB) past the bound.
    pub const DEFAULT_GROWTH_MB: u32 = 120;
    /// At most one renewal in this time, whatever the readings: a clerk who changes screens
    /// without pause sees at most one pause of a second in five minutes, and a web process that
    /// a new one would not shrink (a session whose data grew) is not renewed over and over.
    pub const MIN_INTERVAL: Duration = Duration::from_secs(5 * 60);

    pub fn new(growth_bound_mb: Option<u32>, min_interval: Duration) -> Self {
        PageRenewal { in_new_process: true, growth_bound_mb, min_interval, lowest_mb: None, last_renewal: None }
    }

    /// The bound from [`GROWTH_VARIABLE`] (a number of MB, or `off`), else the default.
    pub fn from_environment() -> Self {
        let mut renewal = Self::new(growth_bound_from(std::env::var(GROWTH_VARIABLE).ok().as_deref()), Self::MIN_INTERVAL);
        renewal.in_new_process = std::env::var(PROCESS_VARIABLE).map_or(true, |value| value.trim() != "same");
        renewal
    }

    /// Whether a renewal loads the page in a new web process (else in the same one).
    pub fn in_new_process(&self) -> bool {
        self.in_new_process
    }

    pub fn growth_bound_mb(&self) -> Option<u32> {
        self.growth_bound_mb
    }

    /// The advice for a page changing screen `now`, the web process holding `reading_mb`; a
    /// renewal advised is counted (the page asks only when it can renew at once).
    pub fn advise(&mut self, reading_mb: Option<u32>, now: Instant) -> PageRenewalAdvice {
        if let Some(reading) = reading_mb {
            self.lowest_mb = Some(self.lowest_mb.map_or(reading, |lowest| lowest.min(reading)));
        }
        let grown = match (reading_mb, self.lowest_mb, self.growth_bound_mb) {
            (Some(reading), Some(lowest), Some(bound)) => reading >= lowest.saturating_add(bound),
            _ => false,
        };
        let rested = self.last_renewal.is_none_or(|at| now.duration_since(at) >= self.min_interval);
        let renew = grown && rested;
        if renew {
            self.last_renewal = Some(now);
        }
        PageRenewalAdvice { renew, web_process_mb: reading_mb, lowest_mb: self.lowest_mb, growth_bound_mb: self.growth_bound_mb }
    }
}

/// `off` (any case) → none; a number → that many MB; anything else (unset, unreadable) → the default.
fn growth_bound_from(value: Option<&str>) -> Option<u32> {
    match value.map(str::trim) {
        Some(text) if text.eq_ignore_ascii_case("off") => None,
        Some(text) => Some(text.parse().unwrap_or(PageRenewal::DEFAULT_GROWTH_MB)),
        None => Some(PageRenewal::DEFAULT_GROWTH_MB),
    }
}

/// The PSS of WebKit's web processes below process `ancestor` (this program: `std::process::id()`),
/// summed, in bytes; `None` when there is none or `/proc` cannot be read (not Linux).
pub fn web_process_pss_bytes(ancestor: u32) -> Option<u64> {
    let processes = read_process_table()?;
    let mut total = None;
    for process in &processes {
        if process.command.starts_with("WebKitWebProces") && descends_from(process.pid, ancestor, &processes) {
            let rollup = std::fs::read_to_string(format!("/proc/{}/smaps_rollup", process.pid)).ok()?;
            total = Some(total.unwrap_or(0) + pss_bytes_of_rollup(&rollup)?);
        }
    }
    total
}

/// [`web_process_pss_bytes`] of this program, in whole MB.
pub fn this_programs_web_process_mb() -> Option<u32> {
    web_process_pss_bytes(std::process::id()).map(|bytes| u32::try_from(bytes / (1024 * 1024)).unwrap_or(u32::MAX))
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ProcessEntry {
    pid: u32,
    parent: u32,
    command: String,
}

fn read_process_table() -> Option<Vec<ProcessEntry>> {
    let mut processes = Vec::new();
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|name| name.parse::<u32>().ok()) else { continue };
        // A process may end between the listing and the read: skipped.
        if let Some(process) = std::fs::read_to_string(entry.path().join("stat")).ok().and_then(|stat| parse_stat(pid, &stat)) {
            processes.push(process);
        }
    }
    Some(processes)
}

/// `/proc/PID/stat`: `pid (command) state parent …`; the command may hold spaces and parentheses,
/// so it ends at the last `)`.
fn parse_stat(pid: u32, stat: &str) -> Option<ProcessEntry> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let command = stat.get(open + 1..close)?.to_string();
    let mut rest = stat.get(close + 1..)?.split_whitespace();
    let _state = rest.next()?;
    let parent = rest.next()?.parse().ok()?;
    Some(ProcessEntry { pid, parent, command })
}

fn descends_from(pid: u32, ancestor: u32, processes: &[ProcessEntry]) -> bool {
    let mut current = pid;
    // A table read while processes come and go could hold a loop: bounded by its length.
    for _ in 0..=processes.len() {
        let Some(parent) = processes.iter().find(|p| p.pid == current).map(|p| p.parent) else { return false };
        if parent == ancestor {
            return true;
        }
        if parent == 0 || parent == current {
            return false;
        }
        current = parent;
    }
    false
}

/// The `Pss:` line of `/proc/PID/smaps_rollup` (kB) in bytes.
fn pss_bytes_of_rollup(rollup: &str) -> Option<u64> {
    let line = rollup.lines().find(|line| line.starts_with("Pss:"))?;
    let kilobytes: u64 = line.trim_start_matches("Pss:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kilobytes * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(bound: Option<u32>) -> PageRenewal {
        PageRenewal::new(bound, Duration::from_secs(600))
    }

    #[test]
    fn renewal_comes_when_the_web_process_has_grown_by_the_bound_over_the_lowest_reading() {
        let start = Instant::now();
        let mut renewal = policy(Some(120));
        assert!(!renewal.advise(Some(200), start).renew);
        assert!(!renewal.advise(Some(190), start).renew, "a lower reading becomes the reference");
        assert!(!renewal.advise(Some(309), start).renew, "119 MB over the lowest: not yet");
        let advice = renewal.advise(Some(310), start);
        assert!(advice.renew, "120 MB over the lowest (190)");
        assert_eq!((advice.web_process_mb, advice.lowest_mb, advice.growth_bound_mb), (Some(310), Some(190), Some(120)));
    }

    #[test]
    fn a_web_process_that_a_renewal_does_not_shrink_is_renewed_at_most_once_in_the_interval() {
        let start = Instant::now();
        let mut renewal = policy(Some(120));
        renewal.advise(Some(200), start);
        assert!(renewal.advise(Some(400), start).renew);
        let later = |seconds| start + Duration::from_secs(seconds);
        assert!(!renewal.advise(Some(400), later(1)).renew);
        assert!(!renewal.advise(Some(420), later(599)).renew);
        assert!(renewal.advise(Some(420), later(600)).renew, "the interval has passed");
    }

    #[test]
    fn without_a_reading_or_with_renewal_off_nothing_is_renewed() {
        let start = Instant::now();
        let mut unreadable = policy(Some(0));
        assert!(!unreadable.advise(None, start).renew, "no reading (not Linux): never");
        let mut off = policy(None);
        off.advise(Some(100), start);
        let advice = off.advise(Some(10_000), start);
        assert!(!advice.renew);
        assert_eq!(advice.growth_bound_mb, None);
    }

    #[test]
    fn a_bound_of_zero_renews_at_the_first_change_of_screen_as_the_tests_need() {
        let mut renewal = policy(Some(0));
        assert!(renewal.advise(Some(150), Instant::now()).renew);
    }

    #[test]
    fn the_bound_is_read_from_the_variable_off_a_number_or_the_default() {
        assert_eq!(growth_bound_from(None), Some(PageRenewal::DEFAULT_GROWTH_MB));
        assert_eq!(growth_bound_from(Some("OFF")), None);
        assert_eq!(growth_bound_from(Some(" 64 ")), Some(64));
        assert_eq!(growth_bound_from(Some("lots")), Some(PageRenewal::DEFAULT_GROWTH_MB));
    }

    #[test]
    fn a_stat_line_with_spaces_and_parentheses_in_the_command_is_read() {
        let entry = parse_stat(42, "42 (Web (Content) x) S 7 42 42 0 -1");
        assert_eq!(entry, Some(ProcessEntry { pid: 42, parent: 7, command: "Web (Content) x".into() }));
        assert_eq!(parse_stat(1, "garbage"), None);
    }

    #[test]
    fn descendants_are_found_through_intermediate_processes_and_loops_end() {
        let table = |rows: &[(u32, u32)]| rows.iter().map(|&(pid, parent)| ProcessEntry { pid, parent, command: String::new() }).collect::<Vec<_>>();
        let processes = table(&[(10, 1), (11, 10), (12, 11), (20, 1)]);
        assert!(descends_from(12, 10, &processes));
        assert!(descends_from(11, 10, &processes));
        assert!(!descends_from(20, 10, &processes));
        let looped = table(&[(5, 6), (6, 5)]);
        assert!(!descends_from(5, 10, &looped));
    }

    #[test]
    fn the_pss_line_of_a_rollup_is_read_in_bytes() {
        let rollup = "55d0-7ff [rollup]\nRss:              20480 kB\nPss:              10240 kB\nPss_Anon: 1 kB\n";
        assert_eq!(pss_bytes_of_rollup(rollup), Some(10 * 1024 * 1024));
        assert_eq!(pss_bytes_of_rollup("Rss: 1 kB\n"), None);
    }

    #[test]
    fn this_program_has_no_web_process_and_says_so() {
        assert_eq!(this_programs_web_process_mb(), None);
    }
}
