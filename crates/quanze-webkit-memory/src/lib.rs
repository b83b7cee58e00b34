//! A memory limit for the desktop app's WebKit web process (issue 18, docs/benchmarks.md).
//!
//! WebKit watches each web process's footprint (its anonymous private dirty memory) and, above a
//! fraction of a limit, releases memory: above the *conservative* fraction what it can drop
//! cheaply, above the *strict* fraction its caches, the pages' compiled code and the JavaScript
//! heap's garbage, and gives the allocator's free pages back to the system. Out of the box the
//! limit is the machine's memory, at most 3 GB, so on an office PC the app's web process
//! (300–600 MB) never reaches even the conservative fraction and keeps whatever it once held.
//!
//! WebKitGTK takes the limit only when a web context is built (`WebKitWebContext`'s
//! construct-only `memory-pressure-settings`), and the context is built by wry, inside Tauri,
//! without it. [`apply_to_web_contexts_built_from_now`] therefore hooks the class's GObject
//! constructor: every web context built afterwards gets these settings unless its builder gave
//! its own. Call it on the main thread after GTK is initialised and before the first window.

/// WebKit's memory-pressure settings for the app's web processes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WebProcessMemoryLimit {
    /// The limit, in MB, the fractions below are of.
    pub limit_mb: u32,
    /// Above this fraction of the limit WebKit releases what it can drop cheaply, at every look.
    pub conservative_fraction: f64,
    /// Above this fraction it releases its caches, compiled code and garbage, at every look.
    pub strict_fraction: f64,
    /// Seconds between two looks at the footprint.
    pub poll_seconds: f64,
}

impl WebProcessMemoryLimit {
    /// The settings WebKit would refuse: it ignores a setter whose value is out of range.
    pub fn problem(&self) -> Option<String> {
        let fractions_in_order = 0.0 < self.conservative_fraction
            && self.conservative_fraction < self.strict_fraction
            && self.strict_fraction < 1.0;
        if self.limit_mb == 0 {
            Some("内存上限必须大于 0 MB".to_owned())
        } else if !fractions_in_order {
            Some(format!(
                "内存回收比例必须满足 0 < 温和比例（{}）< 严格比例（{}）< 1",
                self.conservative_fraction, self.strict_fraction
            ))
        } else if !(self.poll_seconds > 0.0 && self.poll_seconds.is_finite()) {
            Some(format!("内存检查间隔必须大于 0 秒（现为 {}）", self.poll_seconds))
        } else {
            None
        }
    }
}

impl WebProcessMemoryLimit {
    /// The settings from an environment variable's value: `off` for none (WebKit's own
    /// defaults), or `MB,CONSERVATIVE,STRICT,SECONDS` (for example `600,0.5,0.7,10`). An
    /// unreadable value is an error that says what was expected.
    pub fn from_setting(value: &str) -> Result<Option<Self>, String> {
        let value = value.trim();
        if value.eq_ignore_ascii_case("off") {
            return Ok(None);
        }
        let expected = || format!("无法读取内存上限设置“{value}”：应为 off，或“上限MB,温和比例,严格比例,检查间隔秒”，如 600,0.5,0.7,10");
        let parts: Vec<&str> = value.split(',').map(str::trim).collect();
        let [limit_mb, conservative, strict, poll] = parts.as_slice() else {
            return Err(expected());
        };
        let limit = WebProcessMemoryLimit {
            limit_mb: limit_mb.parse().map_err(|_| expected())?,
            conservative_fraction: conservative.parse().map_err(|_| expected())?,
            strict_fraction: strict.parse().map_err(|_| expected())?,
            poll_seconds: poll.parse().map_err(|_| expected())?,
        };
        match limit.problem() {
            Some(problem) => Err(problem),
            None => Ok(Some(limit)),
        }
    }
}

#[cfg(target_os = "linux")]
mod web_context_constructor;

/// Give every WebKit web context built from now on these settings (see the module's comment).
/// Once per process; an error says why nothing was changed (in Chinese, for the log).
#[cfg(target_os = "linux")]
pub fn apply_to_web_contexts_built_from_now(limit: WebProcessMemoryLimit) -> Result<(), String> {
    if let Some(problem) = limit.problem() {
        return Err(problem);
    }
    web_context_constructor::install(limit)
}

/// Elsewhere than Linux the web view is not WebKitGTK: nothing to do.
#[cfg(not(target_os = "linux"))]
pub fn apply_to_web_contexts_built_from_now(_limit: WebProcessMemoryLimit) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED_LIKE: WebProcessMemoryLimit =
        WebProcessMemoryLimit { limit_mb: 600, conservative_fraction: 0.5, strict_fraction: 0.7, poll_seconds: 10.0 };

    #[test]
    fn settings_webkit_would_ignore_are_refused_with_the_reason() {
        assert_eq!(SHIPPED_LIKE.problem(), None);
        let zero = WebProcessMemoryLimit { limit_mb: 0, ..SHIPPED_LIKE };
        assert!(zero.problem().is_some_and(|p| p.contains("大于 0 MB")));
        let crossed = WebProcessMemoryLimit { conservative_fraction: 0.8, ..SHIPPED_LIKE };
        assert!(crossed.problem().is_some_and(|p| p.contains("温和比例")));
        let whole = WebProcessMemoryLimit { strict_fraction: 1.0, ..SHIPPED_LIKE };
        assert!(whole.problem().is_some());
        let never = WebProcessMemoryLimit { poll_seconds: 0.0, ..SHIPPED_LIKE };
        assert!(never.problem().is_some_and(|p| p.contains("间隔")));
    }

    #[test]
    fn the_setting_reads_off_or_four_numbers_and_refuses_anything_else() {
        assert_eq!(WebProcessMemoryLimit::from_setting(" OFF "), Ok(None));
        assert_eq!(WebProcessMemoryLimit::from_setting("600, 0.5, 0.7, 10"), Ok(Some(SHIPPED_LIKE)));
        for unreadable in ["", "600", "600,0.5,0.7", "600,0.5,0.7,10,1", "六百,0.5,0.7,10", "-1,0.5,0.7,10"] {
            let error = WebProcessMemoryLimit::from_setting(unreadable).expect_err(unreadable);
            assert!(error.contains("应为 off"), "{unreadable}: {error}");
        }
        // Readable but refused by WebKit's rules: the rule is named.
        let crossed = WebProcessMemoryLimit::from_setting("600,0.7,0.5,10").expect_err("crossed");
        assert!(crossed.contains("温和比例"), "{crossed}");
    }
}
