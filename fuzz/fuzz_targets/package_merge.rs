//! Thin libFuzzer entry: the body is `quanze_fuzz::package_merge` (see its documentation), so that
//! `cargo test` in `fuzz/` replays `seeds/package_merge/` without libFuzzer.
//!
//! Run from `fuzz/`: `RUSTC_BOOTSTRAP=1 cargo fuzz run -j 1 package_merge corpus/package_merge seeds/package_merge`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| quanze_fuzz::package_merge(data));
