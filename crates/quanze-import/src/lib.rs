//! # quanze-import
//!
//! Import of legacy duty-list workbooks. See `docs/import.md`.
