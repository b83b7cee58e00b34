//! Bounds on what a notice template may do while rendering (issue 13 item 8).
//!
//! Templates come from a folder the user picks, so they are treated as untrusted programs:
//!
//! - **No environment, no files.** tera 1.20 without default features registers one builtin
//!   that reaches outside the template, `get_env`; it is replaced by a function that refuses.
//!   (`now` and `get_random` exist only with the `builtins` feature, which is off.) Templates
//!   never read files at render time: `include`/`extends`/`import` name templates registered
//!   at load, and the loader (`html_preview.rs`) registers only files that resolve inside the
//!   chosen folder.
//! - **A step limit.** tera has none, and a loop that writes nothing cannot be stopped from
//!   the output side. So the loader rewrites every parsed template: each `for` body starts
//!   with a call to a counting function, and each macro body and template is framed by
//!   calls that track nesting (a recursive macro or a self-including template would
//!   otherwise overflow the stack, which aborts the process). The counters live in the
//!   rendering thread, so concurrent renders do not share them.
//! - **Bounded variables.** After every `set`/`set_global` a check measures the value: a
//!   chain of `{% set s = s ~ s %}` doubles a string without any loop.
//! - **`range` bounded** to [`MAX_RANGE`] numbers: tera's own builds the whole list first.
//! - **Bounded output and time.** The render writes into a buffer that refuses more than
//!   [`MAX_OUTPUT_BYTES`] and anything after the deadline, and it runs on a worker thread that
//!   the caller stops waiting for at the deadline. A thread cannot be killed; but once the
//!   deadline has passed every step, nesting check and write fails, so the worker ends at
//!   its next one. Only a single expression that builds a huge string in one go (a `join`
//!   or `replace` of data-sized text) runs to its end in the background after the caller
//!   has been answered; the output cap then refuses its result.
//!
//! Validating the AST against a list of allowed forms was the other option; counting at run
//! time was chosen because it bounds what actually runs (a loop over the rows of a large
//! notice is legitimate, the same loop nested three times is not) without guessing from
//! the source which loops are large.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use tera::ast::{Expr, ExprVal, FunctionCall, Node, WS};
use tera::{Context, Template, Tera, Value};

/// Largest rendered document: far above any real notice (a 10 000-row list is a few MiB).
pub const MAX_OUTPUT_BYTES: usize = 64 * 1024 * 1024;
/// Loop iterations per render: a notice of 100 000 rows of 15 cells takes 1.6 million (one
/// per row and one per cell). A debug build runs about a million steps in 10 s.
pub const MAX_STEPS: u64 = 2_000_000;
/// Macro calls and includes inside one another.
pub const MAX_NESTING: u32 = 32;
/// Largest value a `set` may hold, measured as text.
pub const MAX_VARIABLE_BYTES: usize = 8 * 1024 * 1024;
/// Most numbers `range` may produce.
pub const MAX_RANGE: usize = 10_000;
/// Longest a render may take.
pub const RENDER_DEADLINE: Duration = Duration::from_secs(30);
/// Largest template file, and most template files one load may register.
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;
pub const MAX_TEMPLATES: usize = 64;

/// Names of the inserted functions. Templates may not use the prefix (checked at load),
/// otherwise one could call the nesting function to undo the count.
pub const RESERVED_PREFIX: &str = "__quanze";
const STEP: &str = "__quanze_step";
const ENTER: &str = "__quanze_enter";
const LEAVE: &str = "__quanze_leave";
const MEASURE: &str = "__quanze_measure";

/// The worker's stack: tera recurses for every nested macro, include and block.
const WORKER_STACK_BYTES: usize = 32 * 1024 * 1024;

/// Which bound stopped a render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Steps,
    Nesting,
    Variable,
    Output,
    Deadline,
}

impl Stop {
    /// The Chinese explanation shown to the user.
    pub fn reason(self) -> String {
        match self {
            Stop::Steps => format!("循环已执行超过 {MAX_STEPS} 步，可能是失控的循环"),
            Stop::Nesting => {
                format!("宏调用或 include 嵌套超过 {MAX_NESTING} 层，可能是无限递归")
            }
            Stop::Variable => format!(
                "变量的内容超过 {} MiB，可能是不断翻倍的 set",
                MAX_VARIABLE_BYTES / 1024 / 1024
            ),
            Stop::Output => format!(
                "输出超过 {} MiB，可能是失控的循环",
                MAX_OUTPUT_BYTES / 1024 / 1024
            ),
            Stop::Deadline => format!("渲染超过 {} 秒", RENDER_DEADLINE.as_secs()),
        }
    }
}

/// Why a limited render failed.
#[derive(Debug)]
pub enum RenderFailure {
    /// The template's own error (unknown variable, bad filter argument …).
    Tera(tera::Error),
    Limit(Stop),
    /// The worker thread could not start or died (a panic inside tera).
    Worker(String),
}

struct Budget {
    steps: u64,
    depth: u32,
    deadline: Instant,
    stop: Option<Stop>,
}

thread_local! {
    /// The budget of the render running on this thread; `None` outside [`render_limited`].
    static BUDGET: RefCell<Option<Budget>> = const { RefCell::new(None) };
}

/// Applies `spend` to this thread's budget; an exhausted budget (or a passed deadline) is a
/// template error, remembered so that the caller can say which bound it was.
fn charge(spend: impl FnOnce(&mut Budget) -> Option<Stop>) -> tera::Result<Value> {
    BUDGET.with(|cell| {
        let mut slot = cell.borrow_mut();
        let Some(budget) = slot.as_mut() else {
            return Ok(Value::String(String::new()));
        };
        let stop = if Instant::now() > budget.deadline {
            Some(Stop::Deadline)
        } else {
            spend(budget)
        };
        match stop {
            Some(stop) => {
                budget.stop.get_or_insert(stop);
                Err(tera::Error::msg(stop.reason()))
            }
            None => Ok(Value::String(String::new())),
        }
    })
}

fn recorded_stop() -> Option<Stop> {
    BUDGET.with(|cell| cell.borrow().as_ref().and_then(|b| b.stop))
}

/// Registers the replacements of risky builtins and the inserted counting functions.
pub fn register_functions(tera: &mut Tera) {
    tera.register_function("get_env", |_: &HashMap<String, Value>| {
        Err(tera::Error::msg(
            "模板不能读取环境变量：get_env 已停用（模板目录可由他人提供，不能让它读到本机的设置或口令）",
        ))
    });
    tera.register_function("range", bounded_range);
    tera.register_function(STEP, |_: &HashMap<String, Value>| {
        charge(|b| {
            b.steps += 1;
            (b.steps > MAX_STEPS).then_some(Stop::Steps)
        })
    });
    tera.register_function(ENTER, |_: &HashMap<String, Value>| {
        charge(|b| {
            b.depth += 1;
            (b.depth > MAX_NESTING).then_some(Stop::Nesting)
        })
    });
    tera.register_function(LEAVE, |_: &HashMap<String, Value>| {
        charge(|b| {
            b.depth = b.depth.saturating_sub(1);
            None
        })
    });
    tera.register_function(MEASURE, |args: &HashMap<String, Value>| {
        let too_big = args
            .get("value")
            .is_some_and(|v| exceeds(v, MAX_VARIABLE_BYTES));
        charge(|_| too_big.then_some(Stop::Variable))
    });
}

/// Whether the text form of `value` is longer than `limit` bytes, without building it.
fn exceeds(value: &Value, limit: usize) -> bool {
    fn size(value: &Value, limit: usize) -> usize {
        match value {
            Value::String(s) => s.len(),
            Value::Array(items) => {
                let mut total = 2;
                for item in items {
                    total += size(item, limit) + 1;
                    if total > limit {
                        break;
                    }
                }
                total
            }
            Value::Object(map) => {
                let mut total = 2;
                for (key, item) in map {
                    total += key.len() + size(item, limit) + 2;
                    if total > limit {
                        break;
                    }
                }
                total
            }
            _ => 8,
        }
    }
    size(value, limit) > limit
}

/// tera's `range` (`start`, `end`, `step_by`, as non-negative integers) that refuses to
/// produce more than [`MAX_RANGE`] numbers instead of allocating them.
fn bounded_range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let number = |key: &str, default: Option<u64>| -> tera::Result<u64> {
        match (args.get(key), default) {
            (Some(value), _) => value.as_u64().ok_or_else(|| {
                tera::Error::msg(format!("range 的参数 {key} 必须是非负整数，而不是 {value}"))
            }),
            (None, Some(default)) => Ok(default),
            (None, None) => Err(tera::Error::msg(format!("range 缺少参数 {key}"))),
        }
    };
    let start = number("start", Some(0))?;
    let end = number("end", None)?;
    let step = number("step_by", Some(1))?;
    if step == 0 {
        return Err(tera::Error::msg("range 的参数 step_by 不能为 0"));
    }
    let count = end.saturating_sub(start).div_ceil(step);
    if count > MAX_RANGE as u64 {
        return Err(tera::Error::msg(format!(
            "range 最多生成 {MAX_RANGE} 个数，这里要生成 {count} 个"
        )));
    }
    let mut numbers = Vec::new();
    let mut n = start;
    while n < end {
        numbers.push(Value::from(n));
        n = n.saturating_add(step);
    }
    Ok(Value::Array(numbers))
}

fn call(name: &str, args: HashMap<String, Expr>) -> Node {
    Node::VariableBlock(
        WS::default(),
        Expr::new(ExprVal::FunctionCall(FunctionCall {
            name: name.to_string(),
            args,
        })),
    )
}

/// Inserts the counting calls into every copy of the template's nodes that tera renders
/// from: the body, the macros, the blocks and the resolved block definitions (tera keeps
/// each as a separate clone, so each is rewritten once).
pub fn instrument(template: &mut Template) {
    instrument_framed(&mut template.ast);
    for definition in template.macros.values_mut() {
        instrument_framed(&mut definition.body);
    }
    for block in template.blocks.values_mut() {
        instrument_nodes(&mut block.body);
    }
    for definitions in template.blocks_definitions.values_mut() {
        for (_, block) in definitions {
            instrument_nodes(&mut block.body);
        }
    }
}

/// A body that is entered by a call (a template, a macro): counted for nesting.
fn instrument_framed(nodes: &mut Vec<Node>) {
    instrument_nodes(nodes);
    nodes.insert(0, call(ENTER, HashMap::new()));
    nodes.push(call(LEAVE, HashMap::new()));
}

fn instrument_nodes(nodes: &mut Vec<Node>) {
    for mut node in std::mem::take(nodes) {
        let mut after = None;
        match &mut node {
            Node::Forloop(_, forloop, _) => {
                instrument_nodes(&mut forloop.body);
                forloop.body.insert(0, call(STEP, HashMap::new()));
                if let Some(body) = &mut forloop.empty_body {
                    instrument_nodes(body);
                }
            }
            Node::If(branches, _) => {
                for (_, _, body) in &mut branches.conditions {
                    instrument_nodes(body);
                }
                if let Some((_, body)) = &mut branches.otherwise {
                    instrument_nodes(body);
                }
            }
            Node::FilterSection(_, section, _) => instrument_nodes(&mut section.body),
            Node::Block(_, block, _) => instrument_nodes(&mut block.body),
            Node::MacroDefinition(_, definition, _) => instrument_framed(&mut definition.body),
            Node::Set(_, set) => {
                let value = Expr::new(ExprVal::Ident(set.key.clone()));
                after = Some(call(MEASURE, HashMap::from([("value".to_string(), value)])));
            }
            _ => {}
        }
        nodes.push(node);
        nodes.extend(after);
    }
}

/// The names a template includes, imports or extends, wherever they appear in it.
pub fn referenced_names(nodes: &[Node], names: &mut Vec<String>) {
    for node in nodes {
        match node {
            Node::Include(_, included, _) => names.extend(included.iter().cloned()),
            Node::ImportMacro(_, file, _) => names.push(file.clone()),
            Node::Extends(_, parent) => names.push(parent.clone()),
            Node::Forloop(_, forloop, _) => {
                referenced_names(&forloop.body, names);
                if let Some(body) = &forloop.empty_body {
                    referenced_names(body, names);
                }
            }
            Node::If(branches, _) => {
                for (_, _, body) in &branches.conditions {
                    referenced_names(body, names);
                }
                if let Some((_, body)) = &branches.otherwise {
                    referenced_names(body, names);
                }
            }
            Node::FilterSection(_, section, _) => referenced_names(&section.body, names),
            Node::Block(_, block, _) => referenced_names(&block.body, names),
            Node::MacroDefinition(_, definition, _) => referenced_names(&definition.body, names),
            _ => {}
        }
    }
}

/// The render's output, refused past [`MAX_OUTPUT_BYTES`] or after the deadline.
struct CappedOutput {
    bytes: Vec<u8>,
    deadline: Instant,
    stop: Option<Stop>,
}

impl Write for CappedOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let stop = if Instant::now() > self.deadline {
            Some(Stop::Deadline)
        } else if self.bytes.len() + buf.len() > MAX_OUTPUT_BYTES {
            Some(Stop::Output)
        } else {
            None
        };
        if let Some(stop) = stop {
            self.stop.get_or_insert(stop);
            return Err(std::io::Error::other(stop.reason()));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Renders `name` on a worker thread under the budget, waiting at most until the deadline.
pub fn render_limited(
    tera: &Arc<Tera>,
    name: &str,
    context: Context,
) -> Result<String, RenderFailure> {
    let deadline = Instant::now() + RENDER_DEADLINE;
    let (sender, receiver) = mpsc::channel();
    let tera = Arc::clone(tera);
    let name = name.to_string();
    std::thread::Builder::new()
        .name("quanze-template".to_string())
        .stack_size(WORKER_STACK_BYTES)
        .spawn(move || {
            BUDGET.with(|cell| {
                *cell.borrow_mut() = Some(Budget {
                    steps: 0,
                    depth: 0,
                    deadline,
                    stop: None,
                })
            });
            let mut output = CappedOutput {
                bytes: Vec::new(),
                deadline,
                stop: None,
            };
            let result = tera.render_to(&name, &context, &mut output);
            let outcome = match (recorded_stop().or(output.stop), result) {
                (Some(stop), _) => Err(RenderFailure::Limit(stop)),
                (None, Ok(())) => Ok(output.bytes),
                (None, Err(error)) => Err(RenderFailure::Tera(error)),
            };
            // The caller may have stopped waiting (deadline): nobody to tell, which is fine.
            let _ = sender.send(outcome);
        })
        .map_err(|e| RenderFailure::Worker(format!("无法启动渲染线程：{e}")))?;
    // A little past the deadline, so that a worker that noticed it itself says which bound.
    let wait = deadline.saturating_duration_since(Instant::now()) + Duration::from_secs(1);
    let bytes = match receiver.recv_timeout(wait) {
        Ok(outcome) => outcome?,
        Err(mpsc::RecvTimeoutError::Timeout) => return Err(RenderFailure::Limit(Stop::Deadline)),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            return Err(RenderFailure::Worker(
                "渲染线程意外结束（模板引擎内部错误）".to_string(),
            ))
        }
    };
    String::from_utf8(bytes).map_err(|e| RenderFailure::Worker(format!("渲染结果不是 UTF-8：{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_is_bounded_and_matches_tera() {
        let args = |pairs: &[(&str, u64)]| -> HashMap<String, Value> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Value::from(*v)))
                .collect()
        };
        assert_eq!(
            bounded_range(&args(&[("start", 1), ("end", 7), ("step_by", 2)])).ok(),
            Some(Value::from(vec![1u64, 3, 5]))
        );
        assert_eq!(
            bounded_range(&args(&[("end", 10_000)]))
                .ok()
                .and_then(|v| v.as_array().map(Vec::len)),
            Some(10_000)
        );
        assert!(bounded_range(&args(&[("end", 10_001)])).is_err());
        assert!(bounded_range(&args(&[("end", 5), ("step_by", 0)])).is_err());
    }

    #[test]
    fn sizes_are_measured_without_building_text() {
        assert!(!exceeds(&Value::from("abc"), 3));
        assert!(exceeds(&Value::from("abcd"), 3));
        let nested = Value::from(vec![vec!["x".repeat(10); 10]; 10]);
        assert!(exceeds(&nested, 500));
        assert!(!exceeds(&nested, 5_000));
    }
}
