//! The shell's modules with logic of their own, compiled here so that their unit tests run: the
//! binary itself has no test harness (`test = false` in Cargo.toml, for the reason given there).

#[path = "../src/memory_env.rs"]
mod memory_env;
