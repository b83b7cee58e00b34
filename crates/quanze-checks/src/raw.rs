//! A finding as a rule pushes it, before `Data::finish` gives it its key, title, grade,
//! jurisdictions, fingerprint and waiver state.

use crate::{Evidence, Subject};

pub struct RawFinding {
    pub rule: &'static str,
    pub message: String,
    pub subjects: Vec<Subject>,
    pub evidence: Evidence,
}
