//! Legacy-style workbooks for the importer (BRIEF §3).

use std::path::Path;

use quanze_domain::Bundle;

pub fn write_all(_root: &Path, _bundle: &Bundle) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    Ok(Vec::new())
}
