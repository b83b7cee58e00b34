//! Several people working on one database at once (issue 19's performance goal): `--clients`
//! threads, each with an `Api` of its own (its own connection, as each person's app has), do a
//! mix of what a clerk does for `--seconds` — open a list (the list of lists, then a page of
//! 200 rows), edit a cell, search, run the checks — against a SQLite file or a PostgreSQL
//! server. Run through `scripts/bench_clients.py`, which runs both side by side and writes
//! `docs/benchmarks/clients.md`; by hand:
//!
//! ```sh
//! cargo run --release -p quanze-api --example bench_clients -- DB [--clients 10] [--seconds 60]
//! ```
//!
//! DB is a new file path or an empty server database (`postgresql://…`); the sample district
//! (5,130 items) is loaded into it first.
//!
//! Lost updates are counted, not assumed away: every edit is an increment of a counter kept in
//! the 备注 of one of a few "hot" items (so that people really collide), written from the value
//! the client saw when it read the list's page, with that value as the edit's `was`. The store
//! either saves it (the counter was still what the client saw) or refuses it as a conflict
//! (another person changed it since) and saves nothing. Each client signs the text it writes
//! ("7·3": the count, then the client), since writing the very text another person just wrote
//! is no conflict by design and two clients' "7" would count twice. So at the end each hot
//! item's counter must equal the number of saved edits of it; any shortfall is a lost update.
//! Any failure other than a reported conflict is an error. One line of JSON goes to stdout.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use quanze_api::{Api, ApiError, CheckRequest, EditBatch, ErrorCode, FieldRef, ItemEdit, ItemField};
use quanze_domain::Id;

/// Items whose 备注 counters the clients increment: few enough that clients collide.
const HOT_ITEMS: usize = 12;
/// Queries people type, of one to four characters.
const QUERIES: &[&str] = &["许可", "消防", "安全", "检查", "低保", "行政处罚", "街道", "事", "卫生", "养老", "登记", "城管"];
/// The mix, out of 100: open a list, edit a cell, search, run the checks.
const MIX: [(Operation, u64); 4] = [(Operation::Open, 35), (Operation::Edit, 40), (Operation::Search, 20), (Operation::Check, 5)];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Operation {
    Open,
    Edit,
    Search,
    Check,
}

impl Operation {
    fn label(self) -> &'static str {
        match self {
            Operation::Open => "open",
            Operation::Edit => "edit",
            Operation::Search => "search",
            Operation::Check => "check",
        }
    }
}

/// Deterministic choices per client (xorshift).
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }
}

/// A hot item: its list and id.
#[derive(Debug, Clone, Copy)]
struct HotItem {
    list: Id,
    item: Id,
}

/// What one client did.
#[derive(Debug, Default)]
struct ClientTally {
    latencies: BTreeMap<Operation, Vec<Duration>>,
    saved: BTreeMap<Id, u64>,
    conflicts: u64,
    errors: Vec<String>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(database) = args.first().cloned() else {
        eprintln!("用法：bench_clients 数据库 [--clients 10] [--seconds 60]");
        std::process::exit(2);
    };
    let option = |name: &str, default: u64| -> u64 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let clients = usize::try_from(option("--clients", 10)).unwrap_or(10);
    let seconds = option("--seconds", 60);
    match run(&database, clients, Duration::from_secs(seconds)) {
        Ok(line) => println!("{line}"),
        Err(error) => {
            eprintln!("失败：{error}");
            std::process::exit(1);
        }
    }
}

fn run(database: &str, clients: usize, duration: Duration) -> Result<String, ApiError> {
    let hot = prepare(database)?;
    let barrier = Arc::new(Barrier::new(clients));
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|n| {
            let (database, hot, barrier) = (database.to_string(), hot.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || client(&database, n, &hot, duration, &barrier))
        })
        .collect();
    let mut tallies = Vec::new();
    for handle in handles {
        tallies.push(handle.join().map_err(|_| ApiError::new(ErrorCode::Internal, "一个客户端线程意外中止"))??);
    }
    let wall = started.elapsed();
    let finals = counters(&Api::open(Path::new(database))?, &hot)?;
    Ok(summary(&tallies, &finals, wall, clients))
}

/// Load the sample district and set every hot item's counter to 0; the hot items are the first
/// items of the first lists that have any.
fn prepare(database: &str) -> Result<Vec<HotItem>, ApiError> {
    let mut api = Api::open(Path::new(database))?;
    api.load_sample_district("基准")?;
    let mut hot = Vec::new();
    for list in api.lists()? {
        if hot.len() == HOT_ITEMS {
            break;
        }
        if let Some(first) = api.list_items(list.id, 0, 1)?.items.first() {
            hot.push(HotItem { list: list.id, item: first.id });
        }
    }
    for spot in &hot {
        api.edit(&counter_edit(spot, "0", None), "基准")?;
    }
    Ok(hot)
}

fn counter_edit(spot: &HotItem, value: &str, was: Option<String>) -> EditBatch {
    EditBatch {
        list: spot.list,
        reason: "修改备注".into(),
        edits: vec![ItemEdit::Set { item: spot.item, field: FieldRef::Standard(ItemField::Remarks), value: value.into(), was }],
    }
}

/// The counter of `spot` as the list's first page shows it.
fn seen_counter(api: &Api, spot: &HotItem) -> Result<Option<String>, ApiError> {
    let page = api.list_items(spot.list, 0, 200)?;
    Ok(page.items.iter().find(|i| i.id == spot.item).and_then(|i| FieldRef::Standard(ItemField::Remarks).value_in(i)))
}

fn client(database: &str, n: usize, hot: &[HotItem], duration: Duration, barrier: &Barrier) -> Result<ClientTally, ApiError> {
    let api = Api::open(Path::new(database));
    barrier.wait();
    let mut api = api?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (u64::try_from(n).unwrap_or(0) + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
    let mut tally = ClientTally::default();
    let lists: Vec<Id> = api.lists()?.iter().map(|l| l.id).collect();
    let deadline = Instant::now() + duration;
    while Instant::now() < deadline {
        let mut roll = u64::try_from(rng.below(100)).unwrap_or(0);
        let operation = MIX
            .iter()
            .find(|(_, share)| {
                let inside = roll < *share;
                roll = roll.saturating_sub(*share);
                inside
            })
            .map_or(Operation::Open, |(op, _)| *op);
        let began = Instant::now();
        let outcome = match operation {
            Operation::Open => api.lists().and_then(|_| api.list_items(lists[rng.below(lists.len())], 0, 200)).map(|_| ()),
            Operation::Search => api.search(QUERIES[rng.below(QUERIES.len())], 50).map(|_| ()),
            Operation::Check => api.check(&CheckRequest::default()).map(|_| ()),
            Operation::Edit => {
                let spot = hot[rng.below(hot.len())];
                increment(&mut api, &spot, n).map(|saved| {
                    if saved {
                        *tally.saved.entry(spot.item).or_default() += 1;
                    } else {
                        tally.conflicts += 1;
                    }
                })
            }
        };
        let took = began.elapsed();
        match outcome {
            Ok(()) => tally.latencies.entry(operation).or_default().push(took),
            Err(error) => tally.errors.push(format!("{}: {:?} {}", operation.label(), error.code, error.message)),
        }
    }
    Ok(tally)
}

/// Read the hot item's counter as the page shows it and write one more, from what was seen.
/// `Ok(false)`: a conflict was reported (another person changed it since), nothing saved.
fn increment(api: &mut Api, spot: &HotItem, client: usize) -> Result<bool, ApiError> {
    let seen = seen_counter(api, spot)?.unwrap_or_default();
    let next = count_in(&seen).ok_or_else(|| ApiError::invalid_input(format!("计数不是数字：{seen}")))? + 1;
    match api.edit(&counter_edit(spot, &format!("{next}·{client}"), Some(seen)), "基准") {
        Ok(_) => Ok(true),
        Err(error) if error.code == ErrorCode::EditConflict => Ok(false),
        Err(error) => Err(error),
    }
}

/// The count of a counter's text ("7·3" → 7; "0" → 0).
fn count_in(text: &str) -> Option<u64> {
    text.split('·').next()?.parse().ok()
}

fn counters(api: &Api, hot: &[HotItem]) -> Result<BTreeMap<Id, u64>, ApiError> {
    let mut finals = BTreeMap::new();
    for spot in hot {
        let value = seen_counter(api, spot)?.unwrap_or_default();
        finals.insert(spot.item, count_in(&value).unwrap_or(0));
    }
    Ok(finals)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let last = sorted.len() - 1;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let index = ((last as f64) * p).round() as usize;
    sorted[index.min(last)].as_secs_f64() * 1000.0
}

#[allow(clippy::cast_precision_loss)]
fn summary(tallies: &[ClientTally], finals: &BTreeMap<Id, u64>, wall: Duration, clients: usize) -> String {
    let mut by_operation: BTreeMap<Operation, Vec<Duration>> = BTreeMap::new();
    let mut saved: BTreeMap<Id, u64> = BTreeMap::new();
    let (mut conflicts, mut errors) = (0, Vec::new());
    for tally in tallies {
        for (op, times) in &tally.latencies {
            by_operation.entry(*op).or_default().extend(times);
        }
        for (item, n) in &tally.saved {
            *saved.entry(*item).or_default() += n;
        }
        conflicts += tally.conflicts;
        errors.extend(tally.errors.iter().cloned());
    }
    let lost: u64 = saved.iter().map(|(item, n)| n.saturating_sub(finals.get(item).copied().unwrap_or(0))).sum();
    let extra: u64 = finals.iter().map(|(item, n)| n.saturating_sub(saved.get(item).copied().unwrap_or(0))).sum();
    let total: usize = by_operation.values().map(Vec::len).sum();
    let operations: serde_json::Map<String, serde_json::Value> = by_operation
        .iter_mut()
        .map(|(op, times)| {
            times.sort_unstable();
            (
                op.label().to_string(),
                serde_json::json!({ "count": times.len(), "p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95) }),
            )
        })
        .collect();
    errors.truncate(20);
    serde_json::json!({
        "clients": clients,
        "seconds": wall.as_secs_f64(),
        "operations": total,
        "per_second": total as f64 / wall.as_secs_f64(),
        "by_operation": operations,
        "saved_edits": saved.values().sum::<u64>(),
        "conflicts": conflicts,
        "lost_updates": lost,
        "counted_but_never_saved": extra,
        "errors": errors,
    })
    .to_string()
}
