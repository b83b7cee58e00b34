//! Benchmark of editing a 50,000-item list through the api — what the desktop app's commands
//! do below the window (issue 6). Run with:
//!
//! ```sh
//! cargo run --release -p quanze-api --example bench_editing
//! ```
//!
//! It writes a district with one department's 50,000-item 权责清单 to a database file (one
//! department: the checks have no cross-department pairs to report here; the checks benchmark,
//! `docs/benchmarks/checks.md`, times them over 60 departments), then times, each several times: opening the file and
//! reading the list's first page and all of it; an edit of one cell; a full check run (what
//! "refreshed findings" waits for after an edit); inserting a row at the top of the big list and
//! undoing it (every item behind it changes position); publishing a version and comparing it;
//! the statistics. Figures go to stdout and `docs/benchmarks/editing.md`.

use std::fmt::Write as _;
use std::time::Instant;

use quanze_api::{Api, CheckRequest, EditBatch, FieldRef, ItemEdit, ItemField, NewItem, PublishRequest};
use quanze_domain::{Bundle, DutyList, Item, Jurisdiction, Level, ListKind, Unit, UnitKind};

/// Deterministic names (xorshift), so every run measures the same data.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let n = u64::try_from(items.len()).unwrap_or(1);
        items[usize::try_from(self.next() % n).unwrap_or(0)]
    }
}

const SUBJECTS: &[&str] = &[
    "生产经营单位", "建设单位", "施工单位", "物业服务企业", "餐饮服务提供者", "危险化学品经营单位", "娱乐场所",
    "旅馆业经营者", "道路运输经营者", "药品零售企业", "医疗机构", "民办学校", "养老机构", "燃气经营企业",
];
const VERBS: &[&str] = &[
    "未按规定设置", "擅自改变", "未依法办理", "拒不执行", "违规使用", "未取得", "超范围开展", "未定期检测",
    "擅自拆除", "未如实记录",
];
const OBJECTS: &[&str] = &[
    "安全防护设施", "消防控制室记录", "检验检测报告", "从业人员名册", "应急预案", "污染防治设施", "计量器具",
    "监控设备", "危险废物台账", "特种设备档案", "卫生管理制度", "排水设施",
];
const KINDS: &[(&str, &str)] = &[
    ("的处罚", "行政处罚"),
    ("的检查", "行政检查"),
    ("的强制措施", "行政强制"),
    ("的确认", "行政确认"),
];

const BIG_LIST: u32 = 1;
const BIG_LIST_ITEMS: u32 = 50_000;

fn generate() -> Bundle {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut bundle = Bundle::default();
    bundle.jurisdictions.push(Jurisdiction::new(1, None, "基准区", Level::District));
    bundle.units.push(Unit::new(1, 1, "区第1局", UnitKind::Administrative));
    let mut next = 1u32;
    let mut list = |id: u32, unit: u32, count: u32, rng: &mut Rng| {
        let items = (0..count)
            .map(|n| {
                let (suffix, power) = KINDS[usize::try_from(rng.next() % 4).unwrap_or(0)];
                let name = format!(
                    "对{}{}{}{suffix}（{n}）",
                    rng.pick(SUBJECTS),
                    rng.pick(VERBS),
                    rng.pick(OBJECTS)
                );
                next += 1;
                Item {
                    id: next - 1,
                    seq: Some((n + 1).to_string()),
                    name,
                    power_type: Some(power.into()),
                    basis: Some("【法律】《中华人民共和国行政处罚法》第八条".into()),
                    subject: Some(format!("区第{unit}局")),
                    responsibility: Some("1.立案责任：对违法行为予以审查，决定是否立案。2.调查责任：全面、客观、公正地调查收集证据。".into()),
                    ..Item::default()
                }
            })
            .collect();
        DutyList {
            uid: None,
            id,
            jurisdiction: 1,
            unit: Some(unit),
            kind: ListKind::Power,
            name: format!("区第{unit}局权责清单"),
            note: None,
            items,
        }
    };
    bundle.lists.push(list(BIG_LIST, 1, BIG_LIST_ITEMS, &mut rng));
    bundle
}

fn seconds(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    values[values.len() / 2]
}

fn shown(values: &[f64]) -> String {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(0.0, f64::max);
    format!("{:.3} s median ({:.3}–{:.3}, n={})", median(values.to_vec()), lo, hi, values.len())
}

fn fail(what: &str, error: impl std::fmt::Display) -> ! {
    eprintln!("{what}: {error}");
    std::process::exit(2)
}

fn main() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| fail("temp dir", e));
    let path = dir.path().join("bench.db");
    let bundle = generate();
    let total_items: usize = bundle.lists.iter().map(|l| l.items.len()).sum();
    let json = bundle.to_json().unwrap_or_else(|e| fail("bundle", e));
    let load_started = Instant::now();
    {
        let mut api = Api::open(&path).unwrap_or_else(|e| fail("open", e));
        api.load_bundle_text(&json, "基准数据", "基准").unwrap_or_else(|e| fail("load", e));
    }
    let load = seconds(load_started);
    println!("loaded {total_items} items (one list of {BIG_LIST_ITEMS}) in {load:.2} s");

    let mut open_first_page = Vec::new();
    let mut whole_list = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let api = Api::open(&path).unwrap_or_else(|e| fail("open", e));
        let overview = api.overview().unwrap_or_else(|e| fail("overview", e));
        let page = api.list_items(BIG_LIST, 0, 200).unwrap_or_else(|e| fail("page", e));
        assert_eq!(page.total, BIG_LIST_ITEMS, "the big list");
        assert!(!overview.lists.is_empty());
        open_first_page.push(seconds(started));
        let started = Instant::now();
        let mut offset = 0;
        while offset < BIG_LIST_ITEMS {
            let page = api.list_items(BIG_LIST, offset, quanze_api::MAX_PAGE).unwrap_or_else(|e| fail("page", e));
            offset += u32::try_from(page.items.len()).unwrap_or(u32::MAX).max(1);
        }
        whole_list.push(seconds(started));
    }
    println!("open + overview + first 200 rows: {}", shown(&open_first_page));
    println!("all 50,000 rows in pages of {}: {}", quanze_api::MAX_PAGE, shown(&whole_list));

    let mut api = Api::open(&path).unwrap_or_else(|e| fail("open", e));
    let first = api.list_items(BIG_LIST, 0, 1).unwrap_or_else(|e| fail("page", e)).items[0].id;
    let middle = api.list_items(BIG_LIST, BIG_LIST_ITEMS / 2, 1).unwrap_or_else(|e| fail("page", e)).items[0].id;
    let mut edit_cell = Vec::new();
    let mut check = Vec::new();
    let mut edit_then_check = Vec::new();
    let mut findings = 0;
    for round in 0..5 {
        let started = Instant::now();
        let batch = EditBatch::set_field(
            BIG_LIST,
            &[middle],
            &FieldRef::Standard(ItemField::Basis),
            &format!("【法律】《中华人民共和国行政处罚法》第{}条", round + 9),
        );
        api.edit(&batch, "基准").unwrap_or_else(|e| fail("edit", e));
        edit_cell.push(seconds(started));
        let checked = Instant::now();
        let report = api.check(&CheckRequest::default()).unwrap_or_else(|e| fail("check", e));
        findings = report.findings.len();
        check.push(seconds(checked));
        edit_then_check.push(seconds(started));
    }
    println!("edit one cell: {}", shown(&edit_cell));
    println!("full check after it ({findings} findings): {}", shown(&check));
    println!("edit → refreshed findings (api part): {}", shown(&edit_then_check));

    let audit_before = api.audit_entry_count().unwrap_or_else(|e| fail("audit", e));
    let mut insert_top = Vec::new();
    let mut undo_insert = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let batch = EditBatch {
            list: BIG_LIST,
            reason: "插入一行".into(),
            edits: vec![ItemEdit::Insert {
                items: vec![NewItem { at: 0, after: None, item: Item { name: "新增的事项".into(), ..Item::default() }, values: vec![] }],
            }],
        };
        let outcome = api.edit(&batch, "基准").unwrap_or_else(|e| fail("insert", e));
        insert_top.push(seconds(started));
        let started = Instant::now();
        api.edit(&outcome.inverse, "基准").unwrap_or_else(|e| fail("undo", e));
        undo_insert.push(seconds(started));
    }
    let audit_after = api.audit_entry_count().unwrap_or_else(|e| fail("audit", e));
    let audit_per_insert = (audit_after - audit_before) / 6;
    println!("insert one row at the top of 50,000: {}", shown(&insert_top));
    println!("undo that insert: {}", shown(&undo_insert));
    println!("audit entries per insert or undo: {audit_per_insert}");
    let _ = first;

    let started = Instant::now();
    let version = api
        .publish_version(
            PublishRequest { list: BIG_LIST, published_on: chrono_today(), doc_no: Some("基准〔2026〕1号".into()), note: None, despite_findings: None },
            "基准",
        )
        .unwrap_or_else(|e| fail("publish", e));
    let publish = seconds(started);
    let started = Instant::now();
    let comparison = api.compare_with_version(version.id).unwrap_or_else(|e| fail("compare", e));
    let compare = seconds(started);
    assert_eq!(comparison.unchanged, BIG_LIST_ITEMS);
    let started = Instant::now();
    let versions = api.versions_of(BIG_LIST).unwrap_or_else(|e| fail("versions", e));
    let list_versions = seconds(started);
    assert_eq!(versions.len(), 1);
    let mut statistics = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let stats = api.statistics(None).unwrap_or_else(|e| fail("statistics", e));
        assert_eq!(stats.item_count as usize, total_items);
        statistics.push(seconds(started));
    }
    println!("publish a version of 50,000 items: {publish:.3} s; compare it with the list: {compare:.3} s; list versions: {list_versions:.3} s");
    println!("statistics (includes a full check): {}", shown(&statistics));
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);

    let mut md = String::new();
    let _ = writeln!(md, "# Editing benchmark (api level)\n");
    let _ = writeln!(
        md,
        "Written by `cargo run --release -p quanze-api --example bench_editing` on {} ({} cores; load average at the end: {}).\n",
        chrono_today(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split_whitespace().take(3).collect::<Vec<_>>().join(" ")
    );
    let _ = writeln!(
        md,
        "Data: one department's 权责清单 of {total_items} items, each with name, 权力类型, 实施依据, 行使主体 and 责任事项. Database file after the run: {:.0} MB. These are the api calls the desktop app's commands make; the window's own time is in `docs/benchmarks/app.md`. With one department the checks find no cross-department overlap, so the check time here is the cost of scanning 50,000 items; over 60 departments with planted duplicates see `docs/benchmarks/checks.md`.\n",
        size as f64 / 1e6
    );
    let _ = writeln!(md, "| operation | time |\n| --- | --- |");
    let _ = writeln!(md, "| load the bundle (once; searchable when it commits) | {load:.2} s |");
    let _ = writeln!(md, "| open the file, overview, first 200 rows of the 50,000-item list | {} |", shown(&open_first_page));
    let _ = writeln!(md, "| read all 50,000 rows in pages of {} | {} |", quanze_api::MAX_PAGE, shown(&whole_list));
    let _ = writeln!(md, "| edit one cell (one audited transaction) | {} |", shown(&edit_cell));
    let _ = writeln!(md, "| full check after the edit ({findings} findings) | {} |", shown(&check));
    let _ = writeln!(md, "| **edit → refreshed findings** (the two above) | {} |", shown(&edit_then_check));
    let _ = writeln!(md, "| insert one row at the top of the 50,000-item list | {} |", shown(&insert_top));
    let _ = writeln!(md, "| undo that insert | {} |", shown(&undo_insert));
    let _ = writeln!(md, "| audit entries written per insert or undo | {audit_per_insert} |");
    let _ = writeln!(md, "| publish a version (50,000 items frozen) | {publish:.3} s |");
    let _ = writeln!(md, "| compare the version with the list | {compare:.3} s |");
    let _ = writeln!(md, "| list the list's versions | {list_versions:.3} s |");
    let _ = writeln!(md, "| statistics of the whole database (includes a full check) | {} |", shown(&statistics));
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/benchmarks/editing.md");
    if let Err(e) = std::fs::write(&out, md) {
        fail("write docs/benchmarks/editing.md", e);
    }
    println!("wrote {}", out.display());
}

fn chrono_today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
