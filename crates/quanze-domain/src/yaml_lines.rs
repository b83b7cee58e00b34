//! Where a value stands in a YAML text: maps a path such as `lists[3].items[0].name` to the
//! 1-based line it starts on. serde tells where *syntax* breaks; this tells where a value that
//! parsed fine but means something wrong was written, so a user can go and fix that line.

use std::collections::HashMap;

use yaml_rust2::parser::{MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;
use yaml_rust2::Event;

/// Path → line of every node in a YAML document. Built only when there is an error to report.
#[derive(Debug, Default)]
pub struct LineIndex {
    lines: HashMap<String, usize>,
}

enum Frame {
    Mapping {
        path: String,
        key: Option<String>,
    },
    Sequence {
        path: String,
        index: usize,
    },
}

#[derive(Default)]
struct Walker {
    stack: Vec<Frame>,
    lines: HashMap<String, usize>,
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

impl Walker {
    /// If the next node is a mapping key, take it and return None; otherwise return the path
    /// the next node will have.
    fn place_node(&mut self, scalar_key: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Mapping { path, key }) => match key.take() {
                Some(k) => Some(join(path, &k)),
                None => {
                    // A key: plain scalars name fields; complex keys are not used in bundles.
                    *key = Some(scalar_key.unwrap_or("?").to_string());
                    None
                }
            },
            Some(Frame::Sequence { path, index }) => {
                let node = format!("{path}[{index}]");
                *index += 1;
                Some(node)
            }
        }
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                if let Some(path) = self.place_node(Some(&value)) {
                    self.lines.entry(path).or_insert(mark.line());
                }
            }
            Event::Alias(..) => {
                if let Some(path) = self.place_node(Some("*")) {
                    self.lines.entry(path).or_insert(mark.line());
                }
            }
            Event::MappingStart(..) => {
                let path = self.place_node(None).unwrap_or_default();
                self.lines.entry(path.clone()).or_insert(mark.line());
                self.stack.push(Frame::Mapping { path, key: None });
            }
            Event::SequenceStart(..) => {
                let path = self.place_node(None).unwrap_or_default();
                self.lines.entry(path.clone()).or_insert(mark.line());
                self.stack.push(Frame::Sequence { path, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

impl LineIndex {
    /// Index a document. A text that does not parse yields an empty index (the syntax error
    /// is reported by serde with its own position).
    pub fn build(text: &str) -> LineIndex {
        let mut walker = Walker::default();
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut walker, false).is_err() {
            return LineIndex::default();
        }
        LineIndex {
            lines: walker.lines,
        }
    }

    /// Line of the value at `path`; for a value that is absent (a missing key), the line of the
    /// nearest enclosing node that is present.
    pub fn line_of(&self, path: &str) -> Option<usize> {
        let mut path = path;
        loop {
            if let Some(line) = self.lines.get(path) {
                return Some(*line);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values_in_block_and_flow_style() {
        let text = "a: 1\nlists:\n  - id: 1\n    items:\n      - name: x\n        unit: 9\n  - id: 2\n    tags: [p, q]\n";
        let index = LineIndex::build(text);
        assert_eq!(index.line_of("a"), Some(1));
        assert_eq!(index.line_of("lists[0].items[0].unit"), Some(6));
        assert_eq!(index.line_of("lists[1].id"), Some(7));
        assert_eq!(index.line_of("lists[1].tags[1]"), Some(8));
        // A key that is not written falls back to its enclosing node.
        assert_eq!(index.line_of("lists[0].items[0].missing"), Some(5));
    }
}
