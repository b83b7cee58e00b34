//! Benchmark of the checks engine (issue 4). Run with:
//!
//! ```sh
//! cargo run --release -p quanze-checks --example bench_checks
//! ```
//!
//! It generates a district of 50,000 items over 60 units and three levels, with planted exact
//! and near duplicates, times a full check (every rule), then takes a 5,000-item sample and
//! compares the near-duplicate join with a brute-force all-pairs pass at the same threshold
//! (recall, and the brute-force time). The figures go to stdout and `docs/benchmarks/checks.md`.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::time::Instant;

use quanze_checks::normalize::{ngrams, normalize, similar_pairs, similar_pairs_brute_force};
use quanze_checks::{run, CheckOptions, RulePack};
use quanze_domain::*;

/// A small deterministic generator (xorshift), so the dataset is the same on every run.
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
    "生产经营单位", "建设单位", "施工单位", "物业服务企业", "餐饮服务提供者", "危险化学品经营单位",
    "娱乐场所", "旅馆业经营者", "道路运输经营者", "出租汽车经营者", "药品零售企业", "医疗机构",
    "民办学校", "培训机构", "养老机构", "种子经营者", "农药经营者", "饲料生产企业", "屠宰企业",
    "燃气经营企业", "供热单位", "排水户", "广告经营者", "网吧经营单位", "印刷企业", "出版物发行单位",
    "电影放映单位", "文物保护单位管理者", "旅行社", "导游", "体育经营单位", "特种设备使用单位",
    "食品生产者", "计量器具制造者", "检验检测机构", "人力资源服务机构", "用人单位", "社会组织",
    "殡葬服务单位", "房地产开发企业",
];
const VERBS: &[&str] = &[
    "未按规定设置", "擅自改变", "未依法办理", "拒不执行", "违规使用", "伪造", "未取得", "超范围开展",
    "未定期检测", "擅自拆除", "未如实记录", "违规转让", "未按期报送", "擅自停用", "未妥善保管",
    "违规出租", "未及时更新", "隐匿", "违规发布", "未落实",
];
/// Objects are compounds (head + tail); each department works on its own six of them.
const OBJECT_HEADS: &[&str] = &[
    "施工现场", "经营场所", "生产车间", "仓储区域", "营业网点", "办学场所", "诊疗区域", "养殖场",
    "加油站", "娱乐场所", "客运站", "文物建筑",
];
const OBJECT_TAILS: &[&str] = &[
    "安全防护设施", "消防控制室记录", "检验检测报告", "从业人员名册", "应急预案", "污染防治设施",
    "广告标识", "计量器具", "监控设备", "危险废物台账", "特种设备档案", "卫生管理制度", "价格公示",
    "出入登记簿", "排水设施", "防雷装置", "安全出口标志",
];
const KINDS: &[&str] = &["的处罚", "的检查", "的强制措施", "的确认", "的奖励"];

fn power_type_of(name: &str) -> &'static str {
    match name {
        n if n.ends_with("的检查") => "行政检查",
        n if n.ends_with("的强制措施") => "行政强制",
        n if n.ends_with("的确认") => "行政确认",
        n if n.ends_with("的奖励") => "行政奖励",
        _ => "行政处罚",
    }
}

fn item(id: u32, name: String, basis: String) -> Item {
    Item {
        id,
        power_type: Some(power_type_of(&name).into()),
        name,
        basis: Some(basis),
        subject: Some("某局".into()),
        ..Item::default()
    }
}

/// One of 60 two-character words of department `unit`'s own vocabulary.
fn own_word(unit: u32, k: u64) -> String {
    let base = 0x4E00 + (u64::from(unit) * 60 + k) * 2 % 20_000;
    [base, base + 1].iter().filter_map(|c| char::from_u32(u32::try_from(*c).unwrap_or(0x4E00))).collect()
}

/// A department's own regulation and one of its articles, as a 实施依据 cites them.
fn basis_of(unit: u32, article: usize) -> String {
    format!("【法规】《第{unit}号管理条例》（2020年发布）\n第{article}条：违反本条例规定的，由主管部门责令改正，处以罚款。")
}

fn unit(id: u32, jurisdiction: u32, name: String) -> Unit {
    Unit::new(id, jurisdiction, name, UnitKind::Administrative)
}

struct Generated {
    bundle: Bundle,
    planted_exact: usize,
    planted_near: usize,
    /// (original item id, reworded copy id) of every planted near duplicate.
    near_pairs: Vec<(u32, u32)>,
}

fn generate() -> Generated {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut bundle = Bundle::default();
    let place = |id, parent, name: &str, level| Jurisdiction::new(id, parent, name, level);
    bundle.jurisdictions.push(place(1, None, "基准区", Level::District));
    bundle.jurisdictions.push(place(2, Some(1), "甲街道", Level::Street));
    bundle.jurisdictions.push(place(3, Some(1), "乙街道", Level::Street));
    bundle.jurisdictions.push(place(4, Some(2), "一社区", Level::Community));
    // 40 district departments, 10 units in each street: 60 units.
    for u in 1..=40 {
        bundle.units.push(unit(u, 1, format!("区第{u}局")));
    }
    for u in 41..=60 {
        bundle.units.push(unit(u, if u <= 50 { 2 } else { 3 }, format!("街道第{u}部")));
    }
    let mut next_item = 1u32;
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut lists = Vec::new();
    // District: 40 × 1,100 items; streets: 20 × 300 items = 50,000.
    for u in 1..=60u32 {
        let (jurisdiction, count, kind) = if u <= 40 {
            (1, 1_100, ListKind::Power)
        } else {
            (if u <= 50 { 2 } else { 3 }, 300, ListKind::UnitDuties)
        };
        let mut items = Vec::with_capacity(count);
        // Each department regulates its own subjects and objects (as in a real district, where
        // departments hold different sectors); only the verbs and the frame are common to all,
        // so near duplicates across departments are rare except where planted. Each item rests
        // on an article of its department's own regulation.
        let subject = SUBJECTS[usize::try_from(u).unwrap_or(0) % SUBJECTS.len()];
        let compounds = OBJECT_HEADS.len() * OBJECT_TAILS.len();
        let objects: Vec<String> = (0..6)
            .map(|k| {
                let c = (usize::try_from(u).unwrap_or(0) * 6 + k) % compounds;
                format!("{}{}", OBJECT_HEADS[c / OBJECT_TAILS.len()], OBJECT_TAILS[c % OBJECT_TAILS.len()])
            })
            .collect();
        let objects: Vec<&str> = objects.iter().map(String::as_str).collect();
        let mut attempts = 0;
        while items.len() < count && attempts < 1_000_000 {
            attempts += 1;
            // A qualifier of the department's own (a place, a grade, a product in real lists),
            // two characters drawn from a block of its own.
            let qualifier = own_word(u, rng.next() % 60);
            let name = format!("对{}{}{}{}{}", subject, rng.pick(VERBS), qualifier, rng.pick(&objects), rng.pick(KINDS));
            if used.insert(name.clone()) {
                let article = items.len() % 97 + 1;
                items.push(item(next_item, name, basis_of(u, article)));
                next_item += 1;
            }
        }
        lists.push(DutyList {
            uid: None,
            id: u,
            jurisdiction,
            unit: Some(u),
            kind,
            name: format!("清单{u}"),
            note: None,
            items,
        });
    }
    // Plant 200 exact duplicates (the same name in a second department) and 200 near ones, in
    // the three shapes real lists show: the other department names the duty by its article
    // only; it words the same behaviour with an extra clause; it adds a few words to the frame.
    let mut planted_exact = 0;
    let mut planted_near = 0;
    let mut near_pairs = Vec::new();
    for k in 0..400usize {
        let from = k % 40;
        let to = (k * 7 + 3) % 40;
        if from == to {
            continue;
        }
        let source = lists[from].items[k].clone();
        let slot = 500 + k;
        let id = lists[to].items[slot].id;
        let basis = source.basis.clone().unwrap_or_default();
        let kind = KINDS.iter().find(|s| source.name.ends_with(*s)).copied().unwrap_or("");
        let body = source.name.strip_prefix('对').unwrap_or(&source.name);
        let body = body.strip_suffix(kind).unwrap_or(body).to_string();
        let copy = if k % 2 == 0 {
            planted_exact += 1;
            item(id, source.name.clone(), basis)
        } else {
            planted_near += 1;
            let article = basis.split('第').nth(2).and_then(|s| s.split('条').next()).unwrap_or("1").to_string();
            let law = format!("第{}号管理条例", from + 1);
            match k % 6 {
                1 => item(id, format!("对《{law}》第{article}条禁止行为{kind}"), basis),
                3 => item(id, format!("对{body}，或者拒不改正等违法行为{kind}"), basis),
                _ => item(id, format!("对于{body}等{kind}"), String::new()),
            }
        };
        if k % 2 == 1 {
            near_pairs.push((source.id, id));
        }
        lists[to].items[slot] = copy;
    }
    bundle.lists = lists;
    Generated {
        bundle,
        planted_exact,
        planted_near,
        near_pairs,
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    values[values.len() / 2]
}

fn main() {
    let pack = RulePack::default_pack();
    let generated = generate();
    let items = generated.bundle.item_count();

    let mut times = Vec::new();
    let mut report = None;
    for _ in 0..5 {
        let start = Instant::now();
        report = Some(run(&generated.bundle, &pack, &[], &CheckOptions::default()));
        times.push(start.elapsed().as_secs_f64());
    }
    let report = report.unwrap_or_default();
    if std::env::var_os("BENCH_SHOW_PAIRS").is_some() {
        for f in report.findings.iter().filter(|f| f.rule == "overlap.near").take(8) {
            eprintln!("{}", f.message);
        }
    }
    let full_check = median(times);
    let mut per_rule: Vec<(&str, f64)> = Vec::new();
    for rule in quanze_checks::RULES {
        let options = CheckOptions {
            rules: vec![rule.id.to_string()],
            jurisdiction: None,
            ..CheckOptions::default()
        };
        let start = Instant::now();
        let _ = run(&generated.bundle, &pack, &[], &options);
        per_rule.push((rule.id, start.elapsed().as_secs_f64()));
    }
    let exact = report.summary.by_rule.get("overlap.exact").copied().unwrap_or(0);
    let found_pairs: BTreeSet<(u32, u32)> = report
        .findings
        .iter()
        .filter(|f| f.rule == "overlap.near" && f.subjects.len() == 2)
        .map(|f| (f.subjects[0].id.min(f.subjects[1].id), f.subjects[0].id.max(f.subjects[1].id)))
        .collect();
    let planted_found = generated
        .near_pairs
        .iter()
        .filter(|(a, b)| found_pairs.contains(&((*a).min(*b), (*a).max(*b))))
        .count();
    let near = report.summary.by_rule.get("overlap.near").copied().unwrap_or(0);

    // Recall of the prefix-filtered join against brute force, on 5,000 district items.
    let district: Vec<(&Item, u32)> = generated
        .bundle
        .lists
        .iter()
        .filter(|l| l.jurisdiction == 1)
        .flat_map(|l| l.items.iter().map(move |i| (i, l.unit.unwrap_or(0))))
        .collect();
    let step = district.len() / 5_000;
    let sample: Vec<&(&Item, u32)> = district.iter().step_by(step.max(1)).take(5_000).collect();
    let mut vocabulary: HashMap<String, u32> = HashMap::new();
    let sets: Vec<Vec<u32>> = sample
        .iter()
        .map(|(item, _)| {
            let text = normalize(&item.name, &pack.normalize);
            if text.chars().count() < pack.near_duplicate.min_length {
                return Vec::new();
            }
            ngrams(&text, pack.near_duplicate.ngram, &pack.normalize.stop_words)
                .into_iter()
                .map(|g| {
                    let next = u32::try_from(vocabulary.len()).unwrap_or(u32::MAX);
                    *vocabulary.entry(g).or_insert(next)
                })
                .collect()
        })
        .collect();
    let owners: Vec<u32> = sample.iter().map(|s| s.1).collect();
    let allowed = |a: usize, b: usize| sample[a].0.power_type == sample[b].0.power_type;
    let threshold = pack.near_duplicate.threshold;
    let start = Instant::now();
    let fast = similar_pairs(&sets, &owners, threshold, allowed);
    let fast_time = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let slow = similar_pairs_brute_force(&sets, &owners, threshold, allowed);
    let slow_time = start.elapsed().as_secs_f64();
    let fast_set: BTreeSet<(usize, usize)> = fast.iter().map(|p| (p.0, p.1)).collect();
    let found = slow.iter().filter(|p| fast_set.contains(&(p.0, p.1))).count();
    let recall = if slow.is_empty() { 1.0 } else { found as f64 / slow.len() as f64 };

    let mut text = String::new();
    let _ = writeln!(text, "# Checks benchmark\n");
    let _ = writeln!(
        text,
        "Produced by `cargo run --release -p quanze-checks --example bench_checks` on this machine \
         ({} logical CPUs). Do not edit by hand.\n",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let _ = writeln!(text, "| measure | value |\n| --- | --- |");
    let _ = writeln!(text, "| items / units / levels | {items} / {} / 3 |", generated.bundle.units.len());
    let _ = writeln!(text, "| planted exact / near duplicates | {} / {} |", generated.planted_exact, generated.planted_near);
    let _ = writeln!(text, "| full check, all {} rules (median of 5) | {:.3} s |", quanze_checks::RULES.len(), full_check);
    let sector = report.summary.by_rule.get("overlap.sector").copied().unwrap_or(0);
    let _ = writeln!(
        text,
        "| findings: overlap.exact / overlap.near / overlap.sector / total | {exact} / {near} / {sector} / {} |",
        report.summary.total
    );
    let _ = writeln!(
        text,
        "| overlap findings per 1,000 items | {:.1} (the 8 real lists: see checks-evaluation.md) |",
        (exact + near + sector) as f64 * 1000.0 / items.max(1) as f64
    );
    let _ = writeln!(text, "| planted near duplicates found | {planted_found} / {} |", generated.near_pairs.len());
    let _ = writeln!(text, "| near-duplicate sample | {} items, threshold {threshold} |", sample.len());
    let _ = writeln!(text, "| pairs found: join / brute force | {} / {} |", fast.len(), slow.len());
    let _ = writeln!(text, "| recall of the join vs brute force | {recall:.4} |");
    let _ = writeln!(text, "| join time on the sample | {:.4} s |", fast_time);
    let _ = writeln!(text, "| brute-force time on the sample | {:.3} s |", slow_time);
    let _ = writeln!(text, "\nPer rule (one run each, including the shared indexing):\n");
    let _ = writeln!(text, "| rule | time |\n| --- | --- |");
    for (rule, time) in &per_rule {
        let _ = writeln!(text, "| {rule} | {time:.3} s |");
    }
    let _ = writeln!(
        text,
        "\nGoal (issue 11): full check of 50,000 items at most 0.5 s (median), with the legal-basis and \
         duty-name evidence included. The join is a prefix-filtered set-similarity join, exact by \
         construction; the brute-force pass checks that, and only that. Whether the checks find real \
         overlaps is measured on labeled real lists: see checks-evaluation.md."
    );
    print!("{text}");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/benchmarks/checks.md");
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Err(e) = std::fs::write(&path, text) {
        eprintln!("cannot write {}: {e}", path.display());
        std::process::exit(2);
    }
    eprintln!("written to {}", path.display());
}
