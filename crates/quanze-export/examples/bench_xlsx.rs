//! Benchmark: a 5,000-row, 14-column 权责清单 notice of realistic Chinese text to `.xlsx`.
//!
//! Run (release; writes docs/benchmarks/notices-xlsx.md):
//!
//! ```text
//! cargo run --release -p quanze-export --example bench_xlsx
//! ```
//!
//! The items come from a fixed-seed generator, so every run writes the same workbook. Each
//! case is run once to warm up, then timed `RUNS` times; the report gives min / median / max.
//! Goal (issue 5): under 1 s for the notice.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use quanze_domain::notice::{Notice, NoticeColumn, NoticeHeading, NoticeSection, Orientation};
use quanze_domain::{ExtraField, Item, Provenance};
use quanze_export::{
    render_org_chart_svg, write_notice_xlsx, NoticeTemplates, RawSection, Stylesheet,
};

const ROWS: usize = 5_000;
const RUNS: usize = 5;

/// xorshift64*: deterministic, no dependency.
struct Generator(u64);

impl Generator {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[(self.next() % list.len() as u64) as usize]
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const POWER_TYPES: [&str; 10] = [
    "行政处罚",
    "行政处罚",
    "行政处罚",
    "行政检查",
    "行政许可",
    "行政强制",
    "其他行政权力",
    "行政奖励",
    "行政确认",
    "行政征收",
];
const OBJECTS: [&str; 16] = [
    "建设单位",
    "施工单位",
    "房地产开发企业",
    "物业服务企业",
    "餐饮服务提供者",
    "食品生产经营者",
    "危险化学品经营单位",
    "道路运输经营者",
    "城镇排水户",
    "燃气经营企业",
    "医疗机构",
    "民办学校",
    "旅行社",
    "网络预约出租汽车经营者",
    "建筑垃圾运输单位",
    "户外广告设置人",
];
const ACTS: [&str; 12] = [
    "未取得许可擅自从事经营活动",
    "未按规定办理竣工验收备案",
    "未按照规定设置安全警示标志",
    "拒绝、阻碍监督检查",
    "伪造、涂改、出租、出借许可证件",
    "未按规定建立健全安全生产责任制",
    "超出核准范围从事经营活动",
    "未按规定报送有关资料",
    "违反规定排放污水",
    "擅自改变房屋使用性质",
    "未按照规定公示收费标准",
    "未履行信息公开义务",
];
const LAWS: [&str; 10] = [
    "中华人民共和国城乡规划法",
    "中华人民共和国建筑法",
    "中华人民共和国安全生产法",
    "中华人民共和国食品安全法",
    "中华人民共和国行政许可法",
    "建设工程质量管理条例",
    "城镇排水与污水处理条例",
    "物业管理条例",
    "城镇燃气管理条例",
    "新疆维吾尔自治区城乡规划条例",
];
const CLAUSES: [&str; 6] = [
    "违反本法规定，未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设的，由县级以上地方人民政府城乡规划主管部门责令停止建设；尚可采取改正措施消除对规划实施的影响的，限期改正，处建设工程造价百分之五以上百分之十以下的罚款",
    "有下列行为之一的，责令改正，给予警告，可以并处一万元以上三万元以下的罚款；情节严重的，依法吊销有关许可证件",
    "生产经营单位未按照规定对从业人员进行安全生产教育和培训的，责令限期改正，处十万元以下的罚款；逾期未改正的，责令停产停业整顿",
    "违反本条例规定，排水户不按照污水排入排水管网许可证的要求排放污水的，由城镇排水主管部门责令停止违法行为，限期改正，可以处5万元以下罚款",
    "县级以上地方人民政府有关部门应当依照本法规定，对本行政区域内的相关活动实施监督检查",
    "对在工作中做出显著成绩的单位和个人，由县级以上人民政府给予表彰和奖励",
];
const UNITS: [&str; 8] = [
    "规划管理科",
    "建筑市场监管科",
    "质量安全监督站",
    "城建档案馆",
    "房地产市场监管科",
    "综合行政执法大队",
    "法规科",
    "行政审批科",
];
const RESPONSIBILITIES: [&str; 4] = [
    "1.立案责任：对在检查中发现、接到举报或者上级交办的违法行为予以审查，决定是否立案。\n2.调查责任：对立案的案件，指定专人负责，及时组织调查取证，与当事人有直接利害关系的应当回避。\n3.审查责任：对案件违法事实、证据、调查取证程序、法律适用、处罚种类和幅度、当事人陈述和申辩理由等方面进行审查，提出处理意见。",
    "1.受理责任：公示依法应当提交的材料，一次性告知补正材料，依法受理或不予受理（不予受理应当告知理由）。\n2.审查责任：对申请材料进行审查，提出审查意见。\n3.决定责任：作出许可或者不予许可决定（不予许可的应当书面告知理由）。",
    "1.检查责任：制定年度检查计划，按照“双随机、一公开”要求实施检查。\n2.处置责任：对检查中发现的问题依法处理。\n3.信息公开责任：依法公开检查结果。",
    "1.催告责任：作出强制执行决定前，事先催告当事人履行义务。\n2.决定责任：经催告，当事人逾期仍不履行的，依法作出强制执行决定。\n3.执行责任：依照法定程序实施强制执行。",
];
const CASES: [&str; 3] = [
    "1.没有法律和事实依据实施行政处罚的；\n2.擅自改变行政处罚种类、幅度的；\n3.违反法定的行政处罚程序的；\n4.在行政处罚过程中滥用职权、玩忽职守、徇私舞弊的；\n5.其他违反法律法规规章规定的行为。",
    "1.对符合法定条件的申请不予受理的；\n2.对不符合法定条件的申请人准予许可或者超越法定职权作出准予许可决定的；\n3.索取或者收受他人财物或者谋取其他利益的。",
    "1.未按规定履行监督检查职责的；\n2.发现违法行为不予查处的；\n3.泄露检查中知悉的商业秘密的。",
];

fn chinese_article(n: u64) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let tens = (n / 10) as usize;
    let ones = (n % 10) as usize;
    match tens {
        0 => DIGITS[ones].to_string(),
        1 => format!("十{}", DIGITS[ones]),
        _ => format!("{}十{}", DIGITS[tens], DIGITS[ones]),
    }
}

fn items() -> Vec<Item> {
    let mut g = Generator(0x9E37_79B9_7F4A_7C15);
    (0..ROWS)
        .map(|i| {
            let power = g.pick(&POWER_TYPES);
            let object = g.pick(&OBJECTS);
            let act = g.pick(&ACTS);
            let law = g.pick(&LAWS);
            let name = match power {
                "行政处罚" => format!("对{object}{act}的处罚"),
                "行政检查" => format!("对{object}经营活动的监督检查"),
                "行政许可" => format!("{object}资质核准"),
                "行政强制" => format!("查封、扣押{object}违法使用的设施、设备"),
                _ => {
                    let kind: String = power
                        .chars()
                        .skip(power.chars().count().saturating_sub(2))
                        .collect();
                    format!("{object}相关事项的{kind}")
                }
            };
            let basis = format!(
                "【法律】《{law}》第{}条：{}。\n【规章】《{}实施办法》第{}条。",
                chinese_article(g.below(98) + 1),
                g.pick(&CLAUSES),
                g.pick(&LAWS),
                chinese_article(g.below(40) + 1)
            );
            Item {
                id: i as u32 + 1,
                seq: Some((i + 1).to_string()),
                name,
                sub_item: (g.below(4) == 0).then(|| format!("{object}情节严重的")),
                power_type: Some(power.to_string()),
                basis: Some(basis),
                subject: Some("青川区住房和城乡建设局".to_string()),
                handling_unit_text: Some(g.pick(&UNITS).to_string()),
                level_and_authority: Some("区县级：负责本行政区域内的实施".to_string()),
                department_duty: Some(format!(
                    "负责{object}的监督管理工作，依法查处{act}等违法行为。"
                )),
                responsibility: Some(g.pick(&RESPONSIBILITIES).to_string()),
                responsibility_basis: Some(format!(
                    "《{}》第{}条",
                    g.pick(&LAWS),
                    chinese_article(g.below(60) + 1)
                )),
                accountable_scope: Some("直接负责的主管人员和其他直接责任人员".to_string()),
                accountability_cases: Some(g.pick(&CASES).to_string()),
                remarks: (g.below(5) == 0).then(|| "-".to_string()),
                extra: vec![ExtraField {
                    header: "办理时限".to_string(),
                    value: format!("{}个工作日", g.below(20) + 1),
                }],
                provenance: Some(Provenance {
                    file: "住建局权责清单.xls".to_string(),
                    sheet: power.to_string(),
                    row: i as u32 + 3,
                    merged_rows: Vec::new(),
                }),
                ..Item::default()
            }
        })
        .collect()
}

const COLUMNS: [(&str, &str); 14] = [
    ("序号", "seq"),
    ("事项名称", "name"),
    ("子项名称", "sub_item"),
    ("权力类型", "power_type"),
    ("实施依据", "basis"),
    ("行使主体", "subject"),
    ("承办机构", "handling_unit"),
    ("实施层级及权限", "level_and_authority"),
    ("部门职责", "department_duty"),
    ("责任事项内容", "responsibility"),
    ("责任事项依据", "responsibility_basis"),
    ("追责对象范围", "accountable_scope"),
    ("追责情形", "accountability_cases"),
    ("备注", "remarks"),
];

fn cell(item: &Item, field: &str) -> String {
    let text = match field {
        "seq" => item.seq.as_deref(),
        "name" => Some(item.name.as_str()),
        "sub_item" => item.sub_item.as_deref(),
        "power_type" => item.power_type.as_deref(),
        "basis" => item.basis.as_deref(),
        "subject" => item.subject.as_deref(),
        "handling_unit" => item.handling_unit_text.as_deref(),
        "level_and_authority" => item.level_and_authority.as_deref(),
        "department_duty" => item.department_duty.as_deref(),
        "responsibility" => item.responsibility.as_deref(),
        "responsibility_basis" => item.responsibility_basis.as_deref(),
        "accountable_scope" => item.accountable_scope.as_deref(),
        "accountability_cases" => item.accountability_cases.as_deref(),
        "remarks" => item.remarks.as_deref(),
        _ => None,
    };
    text.unwrap_or("").to_string()
}

fn notice(items: &[Item]) -> Notice {
    let columns: Vec<NoticeColumn> = COLUMNS
        .iter()
        .map(|(header, field)| NoticeColumn {
            header: header.to_string(),
            field: field.to_string(),
        })
        .collect();
    Notice {
        heading: NoticeHeading {
            issuing_organ: Some("中共青川区委机构编制委员会办公室".to_string()),
            doc_no: Some("青编办〔2026〕12号".to_string()),
            title: "关于公布青川区住房和城乡建设局权责清单的公告".to_string(),
            date: Some("2026年11月23日".to_string()),
            intro: Some("现将青川区住房和城乡建设局权责清单予以公布，接受社会监督。".to_string()),
        },
        sections: vec![NoticeSection {
            heading: Some(format!("一、行政权力事项（{}项）", items.len())),
            rows: items
                .iter()
                .map(|item| columns.iter().map(|c| cell(item, &c.field)).collect())
                .collect(),
            columns,
        }],
        orientation: Orientation::Landscape,
    }
}

struct Timing {
    label: &'static str,
    times: Vec<Duration>,
    bytes: usize,
}

fn time<T>(label: &'static str, mut run: impl FnMut() -> (T, usize)) -> Timing {
    let _ = run();
    let mut times = Vec::with_capacity(RUNS);
    let mut bytes = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let (_, size) = run();
        times.push(start.elapsed());
        bytes = size;
    }
    times.sort();
    Timing {
        label,
        times,
        bytes,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

fn command_output(program: &str, args: &[&str]) -> String {
    std::process::Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let items = items();
    let notice = notice(&items);
    let text_chars: usize = notice.sections[0]
        .rows
        .iter()
        .flatten()
        .map(|c| c.chars().count())
        .sum();
    let raw = [RawSection {
        name: "行政权力事项",
        items: &items,
    }];
    let templates = NoticeTemplates::builtin()?;
    let chart = {
        // The org chart is tiny next to the rest; timed for completeness.
        let mut chart = quanze_domain::notice::OrgChart {
            street: "东湖街道".to_string(),
            template: None,
            leaders: Vec::new(),
            departments: Vec::new(),
        };
        for k in 0..6 {
            chart.leaders.push(quanze_domain::notice::OrgChartLeader {
                key: k,
                name: format!("领导{k}"),
                post: "党工委委员、副主任".to_string(),
            });
        }
        for d in 0..20 {
            chart
                .departments
                .push(quanze_domain::notice::OrgChartDepartment {
                    name: format!("第{d}业务办公室"),
                    row: quanze_domain::notice::OrgChartRow::Department,
                    admin_posts: Some(4),
                    institution_posts: Some(2),
                    actual_headcount: Some(5),
                    leader_posts: Some(1),
                    leaders_in_charge: vec![d % 6],
                    members: None,
                    posts: Vec::new(),
                });
        }
        chart
    };

    let timings = [
        time(
            "xlsx: 公示 sheet + 原始数据 sheet (5,000 items)",
            || {
                let bytes = write_notice_xlsx(&notice, &raw).unwrap_or_default();
                let n = bytes.len();
                (bytes, n)
            },
        ),
        time("xlsx: 公示 sheet only (empty 原始数据)", || {
            let bytes = write_notice_xlsx(&notice, &[]).unwrap_or_default();
            let n = bytes.len();
            (bytes, n)
        }),
        time("html: notice, stylesheet embedded", || {
            let html = templates
                .render_notice(&notice, Stylesheet::Embedded)
                .unwrap_or_default();
            let n = html.len();
            (html, n)
        }),
        time("svg: org chart, 6 leaders, 20 departments", || {
            let svg = render_org_chart_svg(&chart);
            let n = svg.len();
            (svg, n)
        }),
    ];
    if timings.iter().any(|t| t.bytes == 0) {
        return Err("an export failed (empty output)".into());
    }

    let mut report = String::new();
    let _ = writeln!(report, "# Benchmark: notices to xlsx (and HTML, SVG)\n");
    let _ = writeln!(
        report,
        "Written by `crates/quanze-export/examples/bench_xlsx.rs`; do not edit by hand. Regenerate:\n"
    );
    let _ = writeln!(report, "```text");
    let _ = writeln!(
        report,
        "cargo run --release -p quanze-export --example bench_xlsx"
    );
    let _ = writeln!(report, "```\n");
    let _ = writeln!(
        report,
        "Input: one notice of {ROWS} rows × {} columns (the 14-column 权责清单 layout), {text_chars} characters of generated Chinese text (fixed seed: every run writes the same workbook); the 原始数据 sheet adds the same {ROWS} items with all fields, one extra field and provenance. Goal (issue 5): xlsx under 1 s.\n",
        COLUMNS.len()
    );
    let _ = writeln!(
        report,
        "Machine: {} cores available, load average {} at start (the machine is shared, so times vary between runs), {}; commit {}{}. Each case: one warm-up run, then {RUNS} timed runs.\n",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|l| l.split_whitespace().next().map(str::to_string))
            .unwrap_or_else(|| "unknown".to_string()),
        command_output("rustc", &["--version"]),
        command_output("git", &["rev-parse", "--short", "HEAD"]),
        if command_output("git", &["status", "--porcelain", "--", "crates/quanze-export"]).is_empty() {
            ""
        } else {
            " (with uncommitted changes in crates/quanze-export)"
        }
    );
    let _ = writeln!(
        report,
        "| case | min ms | median ms | max ms | output size |"
    );
    let _ = writeln!(report, "| --- | ---: | ---: | ---: | ---: |");
    for t in &timings {
        let _ = writeln!(
            report,
            "| {} | {} | {} | {} | {:.2} MB |",
            t.label,
            ms(t.times[0]),
            ms(t.times[RUNS / 2]),
            ms(t.times[RUNS - 1]),
            t.bytes as f64 / 1_000_000.0
        );
    }
    let goal = timings[0].times[RUNS / 2] < Duration::from_secs(1);
    let _ = writeln!(
        report,
        "\nGoal under 1 s (median of the full workbook): {}.",
        if goal { "met" } else { "NOT met" }
    );
    print!("{report}");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = root
        .parent()
        .and_then(|p| p.parent())
        .map(|r| r.join("docs/benchmarks/notices-xlsx.md"))
        .ok_or("no repository root above the crate")?;
    std::fs::write(&path, report)?;
    if let Ok(dir) = std::env::var("QUANZE_BENCH_KEEP") {
        // For looking at the output: QUANZE_BENCH_KEEP=/tmp/out keeps the workbook.
        std::fs::write(
            PathBuf::from(dir).join("bench-notice.xlsx"),
            write_notice_xlsx(&notice, &raw)?,
        )?;
    }
    eprintln!("written {}", path.display());
    Ok(())
}
