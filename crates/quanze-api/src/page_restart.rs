//! The window's page after WebKit's web process ended on its own (a crash, or WebKit's memory
//! limit). WebKit may load a crashed page again by itself, but silently: the user finds the
//! start screen instead of the list being edited and is not told why (and a page that cannot
//! load stays blank). The data is safe in the database: every edit is saved when it is made. The
//! shell loads the page again at [`address_after_page_restart`]; the page sees
//! [`PAGE_RESTARTED_PARAMETER`] in its address, tells the user what happened and removes it
//! (ui/src/lib/pageRestart.ts). [`RestartBudget`] keeps a page that dies as it loads from
//! being loaded again without end.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The query parameter that marks a page loaded again after its process ended. Generated into
/// `ui/src/api/bindings.ts`.
pub const PAGE_RESTARTED_PARAMETER: &str = "page-restarted";

/// The page's address without its query and fragment, with the marker: the page starts afresh
/// (the app keeps no state in its address).
pub fn address_after_page_restart(current: &str) -> String {
    let end = current.find(['?', '#']).unwrap_or(current.len());
    format!("{}?{PAGE_RESTARTED_PARAMETER}=1", &current[..end])
}

/// At most [`RestartBudget::RESTARTS`] loads again within [`RestartBudget::WINDOW`].
#[derive(Debug, Default)]
pub struct RestartBudget {
    recent: VecDeque<Instant>,
}

impl RestartBudget {
    pub const RESTARTS: usize = 3;
    pub const WINDOW: Duration = Duration::from_secs(60);

    /// Whether the page may be loaded again `now`; a yes is counted.
    pub fn allow(&mut self, now: Instant) -> bool {
        while self.recent.front().is_some_and(|at| now.duration_since(*at) >= Self::WINDOW) {
            self.recent.pop_front();
        }
        if self.recent.len() >= Self::RESTARTS {
            return false;
        }
        self.recent.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_that_keeps_dying_is_loaded_again_three_times_a_minute_then_left() {
        let mut budget = RestartBudget::default();
        let start = Instant::now();
        let at = |seconds: u64| start + Duration::from_secs(seconds);
        assert!(budget.allow(at(0)) && budget.allow(at(1)) && budget.allow(at(2)));
        assert!(!budget.allow(at(3)), "a fourth within the minute is refused");
        assert!(!budget.allow(at(59)));
        assert!(budget.allow(at(60)), "the first has left the minute: one more");
        assert!(!budget.allow(at(60)), "three again within the minute");
    }

    #[test]
    fn the_marker_is_added_to_the_address_of_the_page() {
        assert_eq!(address_after_page_restart("tauri://localhost"), "tauri://localhost?page-restarted=1");
        assert_eq!(
            address_after_page_restart("http://tauri.localhost/index.html"),
            "http://tauri.localhost/index.html?page-restarted=1"
        );
    }

    #[test]
    fn a_second_restart_does_not_pile_up_markers_or_keep_a_fragment() {
        let once = address_after_page_restart("tauri://localhost/#/lists");
        assert_eq!(once, "tauri://localhost/?page-restarted=1");
        assert_eq!(address_after_page_restart(&once), once);
    }
}
