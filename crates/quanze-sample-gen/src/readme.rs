//! sample-data/README.md, rendered from the generated data.

use crate::planted::Planted;
use crate::Summary;

pub fn render(summary: &Summary, planted: &[Planted]) -> String {
    let mut out = String::new();
    out.push_str("# 示例辖区 / Sample district\n\n");
    out.push_str(&format!("{summary:?}\n\n"));
    for p in planted {
        out.push_str(&format!("| {} | {} | {} | {} | {} |\n", p.key, p.brief, p.rule, p.what, p.location));
    }
    out
}
