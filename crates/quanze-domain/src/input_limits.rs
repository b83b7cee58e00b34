//! Limits on a bundle's text, checked before it is parsed, in one pass that stops at the first
//! breach — a bundle arrives by mail and is untrusted.
//!
//! - **Aliases** (`&a` … `*a`) are expanded by the parser: a 1 MB file whose aliases repeat a
//!   1 MB text 3,000 times becomes 3 GB. The text each alias stands for is counted as if written
//!   out; past [`InputLimits::max_expanded_bytes`] the bundle is refused.
//! - **Nesting** deeper than [`InputLimits::max_depth`] is refused (a bundle is five levels
//!   deep; parsers take quadratic time on 100,000 levels).
//! - **Text**: no value longer than [`MAX_TEXT_CHARS`], the limit a spreadsheet cell has and
//!   the importer applies, so every way in has one limit.

use yaml_rust2::parser::Parser;
use yaml_rust2::Event;

/// The longest text a value may have, from any input: Excel's cell limit.
pub const MAX_TEXT_CHARS: usize = 32_767;

#[derive(Debug, Clone, Copy)]
pub struct InputLimits {
    pub max_depth: usize,
    pub max_expanded_bytes: usize,
    pub max_text_chars: usize,
}

impl InputLimits {
    /// The limits for a text of `len` bytes: aliases may expand it to 4 × its size plus 64 MiB.
    pub fn for_text(len: usize) -> InputLimits {
        InputLimits {
            max_depth: 64,
            max_expanded_bytes: len.saturating_mul(4).saturating_add(64 << 20),
            max_text_chars: MAX_TEXT_CHARS,
        }
    }
}

/// What is wrong with the text, with the 1-based line where it was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitBreach {
    pub line: usize,
    pub message: String,
}

fn too_deep(limits: InputLimits) -> String {
    format!("嵌套超过 {} 层，不是 Quanze 数据包的结构", limits.max_depth)
}

fn breach(line: usize, message: String) -> Result<(), LimitBreach> {
    Err(LimitBreach { line, message })
}

/// Walk the YAML events once; stop at the first breach.
pub fn check_yaml(text: &str, limits: InputLimits) -> Result<(), LimitBreach> {
    let mut parser = Parser::new_from_str(text);
    let mut expanded = 0usize;
    // Open mappings and sequences, innermost last: (anchor id or 0, expanded size at its start).
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut sizes: Vec<usize> = Vec::new();
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(next) => next,
            // This scanner stops at a few hundred levels of flow nesting ([[[…), which the
            // parser proper would take quadratic time over.
            Err(error) if error.info().contains("recursion limit") => {
                return breach(error.marker().line(), too_deep(limits));
            }
            // Any other syntax error is left to the parser proper, which reports it with its place.
            Err(_) => return Ok(()),
        };
        let line = mark.line();
        match event {
            Event::StreamEnd => return Ok(()),
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if open.len() >= limits.max_depth {
                    return breach(line, too_deep(limits));
                }
                expanded += 1;
                open.push((anchor, expanded));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some((anchor, started)) = open.pop() {
                    if anchor > 0 {
                        record(&mut sizes, anchor, expanded - started + 1);
                    }
                }
            }
            Event::Scalar(value, _, anchor, _) => {
                let chars = value.chars().count();
                if chars > limits.max_text_chars {
                    return breach(
                        line,
                        format!("有一处文字长 {chars} 个字符，超过上限 {} 个字符", limits.max_text_chars),
                    );
                }
                expanded += value.len() + 1;
                if anchor > 0 {
                    record(&mut sizes, anchor, value.len() + 1);
                }
            }
            Event::Alias(anchor) => {
                let size = sizes.get(anchor).copied().unwrap_or(0);
                if size == 0 && open.iter().any(|(a, _)| *a == anchor) {
                    return breach(line, "别名（*）指向包含它自己的内容".to_string());
                }
                expanded += size.max(1);
            }
            _ => {}
        }
        if expanded > limits.max_expanded_bytes {
            return breach(
                line,
                format!(
                    "别名（&/*）展开后超过 {} MB，数据包可能被恶意构造，拒绝载入",
                    limits.max_expanded_bytes >> 20
                ),
            );
        }
    }
}

fn record(sizes: &mut Vec<usize>, anchor: usize, size: usize) {
    if sizes.len() <= anchor {
        sizes.resize(anchor + 1, 0);
    }
    sizes[anchor] = size;
}

/// The same limits for JSON text, by one scan of its characters (JSON has no aliases).
pub fn check_json(text: &str, limits: InputLimits) -> Result<(), LimitBreach> {
    let (mut depth, mut line, mut run) = (0usize, 1usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
                continue;
            }
            run += 1;
            if run > limits.max_text_chars {
                return breach(line, format!("有一处文字超过上限 {} 个字符", limits.max_text_chars));
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                run = 0;
            }
            '[' | '{' => {
                depth += 1;
                if depth > limits.max_depth {
                    return breach(line, too_deep(limits));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> InputLimits {
        InputLimits { max_depth: 64, max_expanded_bytes: 1 << 20, max_text_chars: 1_000 }
    }

    #[test]
    fn an_ordinary_bundle_passes() {
        let text = "format: quanze-bundle\nformat_version: 1\nlists:\n  - id: 1\n    items:\n      - {id: 1, name: 对某某的处罚}\n";
        assert_eq!(check_yaml(text, limits()), Ok(()));
        assert_eq!(check_json(r#"{"lists":[{"items":[{"name":"对某某的处罚"}]}]}"#, limits()), Ok(()));
    }

    /// Regression (issue 13, item 1): one big text repeated through aliases.
    #[test]
    fn aliases_are_counted_as_written_out() {
        let big = "字".repeat(900);
        let mut text = format!("items:\n  - basis: &big \"{big}\"\n");
        for _ in 0..2_000 {
            text.push_str("  - basis: *big\n");
        }
        let refused = check_yaml(&text, limits()).expect_err("2,000 × 2.7 KB > 1 MiB");
        assert!(refused.message.contains("别名"), "{}", refused.message);
        // Nested: an alias of a sequence of aliases multiplies.
        let nested = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
        assert!(check_yaml(nested, limits()).is_err(), "10⁶ expanded nodes");
        // A few small aliases are fine.
        assert_eq!(check_yaml("a: &x 对\nb: *x\n", limits()), Ok(()));
    }

    /// Regression (issue 13, item 5): deep nesting is refused before it costs quadratic time.
    #[test]
    fn deep_nesting_is_refused_fast() {
        let deep = format!("x: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let started = std::time::Instant::now();
        let refused = check_yaml(&deep, limits()).expect_err("100,000 levels");
        assert!(refused.message.contains("嵌套超过 64 层"), "{}", refused.message);
        assert!(started.elapsed().as_millis() < 500, "{:?}", started.elapsed());
        let json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(check_json(&json, limits()).is_err());
    }

    /// Regression (issue 13, item 7): the same text limit as the importer's.
    #[test]
    fn text_longer_than_a_cell_is_refused() {
        let long = "名".repeat(1_001);
        let refused = check_yaml(&format!("items:\n  - name: {long}\n"), limits()).expect_err("too long");
        assert_eq!(refused.line, 2);
        assert!(check_json(&format!(r#"{{"name":"{long}"}}"#), limits()).is_err());
    }
}
