//! The hook on `WebKitWebContext`'s GObject constructor that hands every new web context the
//! memory-pressure settings (the crate's comment says why the context's builder cannot).
//!
//! GObject builds an object through its class's `constructor` with every construct property's
//! value, given or default. The hook replaces an unset `memory-pressure-settings` with ours and
//! calls the constructor it replaced; WebKit copies the settings while the context is built
//! (`webkitWebContextConstructed`) and passes them to every web process it starts.
#![allow(unsafe_code)]

use std::ffi::{c_uint, CStr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use glib_sys::GType;
use gobject_sys::{GObject, GObjectClass, GObjectConstructParam, GValue};
use webkit2gtk_sys::WebKitMemoryPressureSettings;

use crate::WebProcessMemoryLimit;

const PROPERTY: &CStr = c"memory-pressure-settings";

type Constructor = unsafe extern "C" fn(GType, c_uint, *mut GObjectConstructParam) -> *mut GObject;

struct Installed {
    replaced: Constructor,
    settings: *mut WebKitMemoryPressureSettings,
}

// SAFETY: the settings are written once, before the hook is installed, and only read (copied by
// g_value_set_boxed) afterwards; WebKit builds its contexts on the main thread.
unsafe impl Send for Installed {}
unsafe impl Sync for Installed {}

static INSTALLED: OnceLock<Installed> = OnceLock::new();
static CONTEXTS_GIVEN_THE_LIMIT: AtomicUsize = AtomicUsize::new(0);

/// How many web contexts the hook has given the settings to (a builder's own settings are kept):
/// what the test observes, since WebKit's property can be written but not read.
#[cfg(test)]
fn web_contexts_given_the_limit() -> usize {
    CONTEXTS_GIVEN_THE_LIMIT.load(Ordering::SeqCst)
}

pub(crate) fn install(limit: WebProcessMemoryLimit) -> Result<(), String> {
    if INSTALLED.get().is_some() {
        return Err("WebKit 的内存上限已经设置过".to_owned());
    }
    // SAFETY: plain GObject/WebKitGTK calls on the main thread; the class reference is kept for
    // the life of the process (never unreferenced), so the class struct stays valid.
    unsafe {
        let class = gobject_sys::g_type_class_ref(webkit2gtk_sys::webkit_web_context_get_type()) as *mut GObjectClass;
        if class.is_null() || gobject_sys::g_object_class_find_property(class, PROPERTY.as_ptr()).is_null() {
            return Err("此版本的 WebKitGTK 不支持内存上限设置（需要 2.34 或更新）".to_owned());
        }
        let Some(replaced) = (*class).constructor else {
            return Err("WebKitGTK 的网页上下文没有构造函数，无法设置内存上限".to_owned());
        };
        let settings = settings_for(limit)?;
        if INSTALLED.set(Installed { replaced, settings }).is_err() {
            webkit2gtk_sys::webkit_memory_pressure_settings_free(settings);
            return Err("WebKit 的内存上限已经设置过".to_owned());
        }
        (*class).constructor = Some(construct_web_context);
    }
    Ok(())
}

/// WebKit's settings object for `limit`, read back to be sure WebKit took every value (its
/// setters ignore, with a warning, a value out of range or out of order).
unsafe fn settings_for(limit: WebProcessMemoryLimit) -> Result<*mut WebKitMemoryPressureSettings, String> {
    use webkit2gtk_sys::*;
    let settings = webkit_memory_pressure_settings_new();
    webkit_memory_pressure_settings_set_memory_limit(settings, limit.limit_mb);
    // Each fraction must stay on its side of the other's current value (defaults 0.33 and 0.5).
    if limit.strict_fraction > webkit_memory_pressure_settings_get_conservative_threshold(settings) {
        webkit_memory_pressure_settings_set_strict_threshold(settings, limit.strict_fraction);
        webkit_memory_pressure_settings_set_conservative_threshold(settings, limit.conservative_fraction);
    } else {
        webkit_memory_pressure_settings_set_conservative_threshold(settings, limit.conservative_fraction);
        webkit_memory_pressure_settings_set_strict_threshold(settings, limit.strict_fraction);
    }
    webkit_memory_pressure_settings_set_poll_interval(settings, limit.poll_seconds);
    let taken = WebProcessMemoryLimit {
        limit_mb: webkit_memory_pressure_settings_get_memory_limit(settings),
        conservative_fraction: webkit_memory_pressure_settings_get_conservative_threshold(settings),
        strict_fraction: webkit_memory_pressure_settings_get_strict_threshold(settings),
        poll_seconds: webkit_memory_pressure_settings_get_poll_interval(settings),
    };
    if taken != limit {
        webkit_memory_pressure_settings_free(settings);
        return Err(format!("WebKitGTK 没有接受内存上限设置 {limit:?}（实际为 {taken:?}）"));
    }
    Ok(settings)
}

/// The hook: the replaced constructor, with our settings where the builder gave none.
unsafe extern "C" fn construct_web_context(
    type_: GType,
    n_params: c_uint,
    params: *mut GObjectConstructParam,
) -> *mut GObject {
    let Some(installed) = INSTALLED.get() else {
        // Not reachable: the hook is set only after INSTALLED. Build nothing rather than guess.
        return std::ptr::null_mut();
    };
    let given: &[GObjectConstructParam] =
        if params.is_null() || n_params == 0 { &[] } else { std::slice::from_raw_parts(params, n_params as usize) };
    let class = gobject_sys::g_type_class_peek(type_) as *mut GObjectClass;
    let pspec = if class.is_null() {
        std::ptr::null_mut()
    } else {
        gobject_sys::g_object_class_find_property(class, PROPERTY.as_ptr())
    };
    let mut ours: GValue = std::mem::zeroed();
    gobject_sys::g_value_init(&mut ours, webkit2gtk_sys::webkit_memory_pressure_settings_get_type());
    gobject_sys::g_value_set_boxed(&mut ours, installed.settings as glib_sys::gconstpointer);
    let mut params: Vec<GObjectConstructParam> = given.to_vec();
    if !pspec.is_null() {
        match params.iter_mut().find(|param| param.pspec == pspec) {
            Some(param) if gobject_sys::g_value_get_boxed(param.value).is_null() => {
                param.value = &mut ours;
                CONTEXTS_GIVEN_THE_LIMIT.fetch_add(1, Ordering::SeqCst);
            }
            Some(_) => {} // the builder's own settings stay
            None => {
                params.push(GObjectConstructParam { pspec, value: &mut ours });
                CONTEXTS_GIVEN_THE_LIMIT.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
    let object = (installed.replaced)(type_, params.len() as c_uint, params.as_mut_ptr());
    gobject_sys::g_value_unset(&mut ours);
    object
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An X display GTK is initialised on (WebKit builds a web context only with GTK up): the
    /// one set, or an Xvfb of the test's own, returned to be stopped. `None` where neither can
    /// be had outside CI; under CI that is a failure (Xvfb is among the packages CI installs).
    fn gtk_on_a_display() -> Option<Option<std::process::Child>> {
        use std::io::BufRead;
        let mut own_server = None;
        if std::env::var_os("DISPLAY").is_none() {
            let started = std::process::Command::new("Xvfb")
                .args(["-displayfd", "1", "-screen", "0", "640x480x24", "-nolisten", "tcp"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::null())
                .spawn();
            let mut server = match started {
                Ok(server) => server,
                Err(error) if std::env::var_os("CI").is_none() => {
                    eprintln!("skipped: no DISPLAY and no Xvfb ({error})");
                    return None;
                }
                Err(error) => panic!("CI must have Xvfb for this test: {error}"),
            };
            let mut number = String::new();
            let stdout = server.stdout.take().expect("Xvfb's stdout");
            std::io::BufReader::new(stdout).read_line(&mut number).expect("Xvfb's display number");
            std::env::set_var("DISPLAY", format!(":{}", number.trim()));
            own_server = Some(server);
        }
        // SAFETY: GTK's initialisation with no arguments, on this test's thread.
        let up = unsafe { gtk_sys::gtk_init_check(std::ptr::null_mut(), std::ptr::null_mut()) } != 0;
        assert!(up, "GTK did not start on DISPLAY={:?}", std::env::var_os("DISPLAY"));
        Some(own_server)
    }

    /// A web context built as wry builds one (no settings given), and one whose builder gives
    /// its own settings: the hook fills in the first and leaves the second alone.
    #[test]
    fn a_web_context_built_without_settings_gets_the_limit_and_one_with_its_own_keeps_them() {
        let Some(own_server) = gtk_on_a_display() else {
            return;
        };
        let limit = WebProcessMemoryLimit { limit_mb: 600, conservative_fraction: 0.5, strict_fraction: 0.7, poll_seconds: 10.0 };
        install(limit).expect("installed");
        assert!(install(limit).is_err(), "a second install is refused");
        // SAFETY: GObject calls on this test's thread, the only one touching WebKit here.
        unsafe {
            let type_ = webkit2gtk_sys::webkit_web_context_get_type();
            let plain = gobject_sys::g_object_new_with_properties(type_, 0, std::ptr::null_mut(), std::ptr::null());
            assert!(!plain.is_null());
            assert_eq!(web_contexts_given_the_limit(), 1, "the plain context got the limit");

            let own = settings_for(WebProcessMemoryLimit { limit_mb: 900, ..limit }).expect("own settings");
            let mut value: GValue = std::mem::zeroed();
            gobject_sys::g_value_init(&mut value, webkit2gtk_sys::webkit_memory_pressure_settings_get_type());
            gobject_sys::g_value_set_boxed(&mut value, own as glib_sys::gconstpointer);
            let mut names = [PROPERTY.as_ptr()];
            let with_own = gobject_sys::g_object_new_with_properties(type_, 1, names.as_mut_ptr(), &value);
            assert!(!with_own.is_null());
            assert_eq!(web_contexts_given_the_limit(), 1, "a builder's own settings are kept");
            gobject_sys::g_value_unset(&mut value);
            webkit2gtk_sys::webkit_memory_pressure_settings_free(own);
            gobject_sys::g_object_unref(with_own);
            gobject_sys::g_object_unref(plain);
        }
        if let Some(mut server) = own_server {
            let _ = server.kill();
            let _ = server.wait();
        }
    }

    #[test]
    fn settings_are_read_back_as_given_whichever_fraction_has_to_be_set_first() {
        for (conservative, strict) in [(0.5, 0.7), (0.1, 0.2), (0.4, 0.45), (0.8, 0.9)] {
            let limit = WebProcessMemoryLimit { limit_mb: 300, conservative_fraction: conservative, strict_fraction: strict, poll_seconds: 2.5 };
            // SAFETY: WebKit's settings object, created and freed here.
            unsafe {
                let settings = settings_for(limit).unwrap_or_else(|e| panic!("{conservative}/{strict}: {e}"));
                webkit2gtk_sys::webkit_memory_pressure_settings_free(settings);
            }
        }
    }
}
