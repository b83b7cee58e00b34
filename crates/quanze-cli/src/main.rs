//! # quanze
//!
//! The command-line face of Quanze: every operation of the app, scriptable. Each subcommand is
//! a thin caller of `quanze_api`, like the desktop shell's commands.
//!
//! Exit status: 0 success; 1 bad input (a clear message on stderr, in Chinese); 2 internal
//! error; 3 `check --strict` found an unwaived error.

mod admission;
mod organization;
mod printing;
mod statistics;
mod versions;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use quanze_api::{default_actor, default_database_path, Api, ApiError, ErrorCode, ListSummary};
use serde::Serialize;

#[derive(Parser)]
#[command(name = "quanze", version, about = "权责清单编辑器（Quanze）命令行", long_about = None)]
struct Cli {
    /// 数据库文件（默认：应用的数据文件，或环境变量 QUANZE_DB）
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// 记入操作日志的操作人（默认：系统用户名）
    #[arg(long, global = true, value_name = "NAME")]
    actor: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 创建空数据库（已存在则只检查并升级结构）
    Init,
    /// 载入 YAML（或 JSON）数据包；数据包有误则不做任何改动
    Load {
        /// 数据包文件
        file: PathBuf,
    },
    /// 载入内置的示例辖区
    LoadSample,
    /// 以数据包格式输出全部数据（每个字段、附加字段与来源）
    Dump {
        #[arg(long, value_enum, default_value = "yaml")]
        format: DumpFormat,
    },
    /// 列出全部清单
    Lists {
        /// 以 JSON 数组输出
        #[arg(long)]
        json: bool,
    },
    /// 在事项名称与内容中搜索
    Search {
        /// 搜索词；多个词以空格分隔，须同时出现
        text: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// 导入旧表格（.xls/.xlsx/.xlsb/.ods/.csv），每个非空单元格都有去处
    Import {
        /// 一个或多个表格文件
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 归入的辖区（不存在则创建）
        #[arg(long, value_name = "NAME")]
        jurisdiction: Option<String>,
        /// 归入的机构（不存在则创建）；不指定时使用从文件推断出的部门
        #[arg(long, value_name = "NAME")]
        unit: Option<String>,
        /// 清单类别，如 权责清单 / power、基本履职 / street_basic
        #[arg(long, value_name = "KIND", default_value = "权责清单")]
        list_kind: String,
        /// 只读取并报告，不写入数据库
        #[arg(long)]
        dry_run: bool,
        /// 不导入该工作表（可多次指定）
        #[arg(long = "skip-sheet", value_name = "SHEET")]
        skip_sheets: Vec<String>,
        /// 指定工作表的表头行（从 1 起），如 --header-row 行政处罚=3（可多次指定）
        #[arg(long = "header-row", value_name = "SHEET=ROW")]
        header_rows: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// 运行检查：职责交叉、上下不清、社区准入、机构编制与数据规范
    Check {
        /// 只检查该辖区及其下级
        #[arg(long, value_name = "NAME")]
        jurisdiction: Option<String>,
        /// 只运行这些规则（可多次指定），如 overlap.exact
        #[arg(long = "rule", value_name = "ID")]
        rules: Vec<String>,
        /// 使用自定义规则包（YAML）
        #[arg(long = "rules", value_name = "FILE")]
        pack: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        /// 仍有未豁免的“错误”级问题时以退出码 3 结束
        #[arg(long)]
        strict: bool,
    },
    /// 接受一个检查问题（豁免），须写明理由
    Waive {
        /// 问题标识（检查结果中的 key）
        key: String,
        #[arg(long)]
        reason: String,
    },
    /// 生成清单公示：PDF（GB/T 9704 版式）、Excel（可直接打印）或 HTML 预览
    Notice {
        /// 清单编号或全名（可多次指定，每份清单一节）
        #[arg(long = "list", value_name = "LIST")]
        lists: Vec<String>,
        /// 公示该辖区的全部清单：街道的三类履职清单，或社区的四类准入清单
        #[arg(long, value_name = "NAME", conflicts_with = "lists")]
        jurisdiction: Option<String>,
        /// 公示一个已发布的版本（版本编号，见 quanze versions）；默认用该版本的文号与日期
        #[arg(long = "published-version", value_name = "VERSION", conflicts_with_all = ["lists", "jurisdiction"])]
        published_version: Option<u32>,
        /// pdf、xlsx 或 html
        #[arg(long, default_value = "pdf")]
        format: String,
        /// 输出文件
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// 横向排版（权责清单默认横向，其余默认纵向）
        #[arg(long, conflicts_with = "portrait")]
        landscape: bool,
        /// 纵向排版
        #[arg(long)]
        portrait: bool,
        /// 标题（默认取清单名称）
        #[arg(long)]
        title: Option<String>,
        /// 发文字号，如 青编办〔2026〕12号
        #[arg(long = "doc-no")]
        doc_no: Option<String>,
        /// 成文日期，如 2026年11月23日
        #[arg(long)]
        date: Option<String>,
        /// 发文机关
        #[arg(long)]
        organ: Option<String>,
        /// 正文前的说明段落
        #[arg(long)]
        intro: Option<String>,
        /// 栏目（逗号分隔的字段名，如 seq,name,basis；附加字段写 extra:原表头）
        #[arg(long, value_delimiter = ',')]
        columns: Vec<String>,
        /// HTML 模板文件夹（默认使用内置模板）
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
    },
    /// 生成社区上墙公示（A3）：某街道的全部社区，或一个社区
    Posters {
        /// 街道（或社区）名称
        #[arg(long, value_name = "NAME")]
        street: String,
        /// 输出文件夹
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// 全部社区合成一个 PDF（默认每个社区一个文件）
        #[arg(long)]
        single_file: bool,
    },
    /// 列出本机打印服务（CUPS）中的打印机
    Printers {
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 打印导出的公示或上墙海报（PDF），多个文件作为一个打印任务
    Print {
        /// 要打印的文件
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// 打印机（默认：系统默认打印机）
        #[arg(long, value_name = "NAME")]
        printer: Option<String>,
        /// 份数
        #[arg(long, default_value_t = 1, value_name = "N")]
        copies: u32,
        /// 双面打印（长边装订）
        #[arg(long)]
        two_sided: bool,
        /// 页码范围，如 1-3,5
        #[arg(long, value_name = "PAGES")]
        pages: Option<String>,
    },
    /// 生成街道大部门制机构图（SVG）
    Orgchart {
        /// 街道名称
        #[arg(long, value_name = "NAME")]
        street: String,
        /// 输出的 SVG 文件
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// 社区工作事项准入：列出、申请、审核、准入、驳回、撤销
    Admission {
        #[command(subcommand)]
        command: admission::AdmissionCommand,
    },
    /// 修改一个事项的一个字段（与界面中编辑单元格相同：校验、记入操作日志）
    Edit {
        /// 清单编号或全名
        #[arg(long, value_name = "LIST")]
        list: String,
        /// 事项编号
        #[arg(long)]
        item: u32,
        /// 字段：表头名（如 事项名称、实施依据、承办机构）；附加字段写 extra:原表头
        #[arg(long)]
        field: String,
        /// 新值（空字符串清空该字段）
        #[arg(long, allow_hyphen_values = true)]
        value: String,
        /// 修改理由（记入操作日志）
        #[arg(long)]
        reason: Option<String>,
    },
    /// 街道大部门制机构：查看、新建街道、按模板建立、班子成员、编制与分管
    Org {
        #[command(subcommand)]
        command: organization::OrganizationCommand,
    },
    /// 发布清单的一个版本（冻结当前全部事项）
    Publish {
        /// 清单编号或全名
        #[arg(long, value_name = "LIST")]
        list: String,
        /// 公布日期（YYYY-MM-DD，默认今天）
        #[arg(long)]
        date: Option<String>,
        /// 文号
        #[arg(long = "doc-no")]
        doc_no: Option<String>,
        /// 说明
        #[arg(long)]
        note: Option<String>,
    },
    /// 列出清单已发布的版本（最新的在前）
    Versions {
        /// 清单编号或全名
        #[arg(long, value_name = "LIST")]
        list: String,
        #[arg(long)]
        json: bool,
    },
    /// 比较某个已发布版本与清单现状：新增、删除、修改
    Compare {
        /// 版本编号（versions 输出中的 #编号）
        version: u32,
        #[arg(long)]
        json: bool,
    },
    /// 统计：按权力类型、机构、层级、清单类别的事项数，检查问题与准入申请
    Stats {
        /// 只统计该辖区及其下级
        #[arg(long, value_name = "NAME")]
        jurisdiction: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 查看操作日志（最新的在前）
    History {
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum DumpFormat {
    Yaml,
    Json,
}

/// One list as `quanze lists --json` prints it: names resolved, ids kept beside them.
#[derive(Serialize)]
struct ListRow<'a> {
    id: u32,
    name: &'a str,
    kind: &'static str,
    jurisdiction: &'a str,
    jurisdiction_id: u32,
    level: &'static str,
    unit: Option<&'a str>,
    unit_id: Option<u32>,
    items: u32,
}

impl<'a> From<&'a ListSummary> for ListRow<'a> {
    fn from(l: &'a ListSummary) -> Self {
        ListRow {
            id: l.id,
            name: &l.name,
            kind: l.kind.label(),
            jurisdiction: &l.jurisdiction_name,
            jurisdiction_id: l.jurisdiction,
            level: l.level.label(),
            unit: l.unit_name.as_deref(),
            unit_id: l.unit,
            items: l.items,
        }
    }
}

fn json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string_pretty(value)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("无法生成 JSON：{e}")))
}

/// What `run` asks `main` to exit with, beyond success and errors.
enum Outcome {
    Done,
    /// `check --strict` found an unwaived error.
    StrictFailure,
}

fn print_report(report: &quanze_api::Report) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    let s = &report.summary;
    let _ = writeln!(
        text,
        "检查完成：{} 个问题（错误 {}，警告 {}，提示 {}；红 {}，黄 {}，蓝 {}），已豁免 {}",
        s.total - s.waived, s.errors, s.warnings, s.infos, s.red, s.yellow, s.blue, s.waived
    );
    let mut current: Option<(&str, &str)> = None;
    for f in &report.findings {
        let group = (f.severity.label(), f.rule.as_str());
        if current != Some(group) {
            let _ = writeln!(text, "\n【{}】{}（{}）", f.severity.label(), f.title, f.rule);
            current = Some(group);
        }
        let waived = if f.waived {
            format!("  〔已豁免：{}〕", f.waiver_reason.as_deref().unwrap_or(""))
        } else if f.waiver_lapsed {
            "  〔原豁免已失效：相关内容已修改〕".to_string()
        } else {
            String::new()
        };
        let _ = writeln!(text, "  [{}] {}{waived}", f.grade.label(), f.message);
        let _ = writeln!(text, "      标识：{}", f.key);
    }
    text
}

fn run(cli: Cli, out: &mut dyn Write) -> Result<Outcome, ApiError> {
    let path = cli.db.clone().unwrap_or_else(default_database_path);
    let actor = cli.actor.clone().unwrap_or_else(default_actor);
    let write = |out: &mut dyn Write, text: &str| -> Result<(), ApiError> {
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| ApiError::new(ErrorCode::Io, format!("无法输出结果：{e}")))
    };
    // Printing needs no database: it neither opens nor creates one.
    match cli.command {
        Command::Printers { json: as_json } => {
            write(out, &printing::list(as_json)?)?;
            return Ok(Outcome::Done);
        }
        Command::Print {
            files,
            printer,
            copies,
            two_sided,
            pages,
        } => {
            write(out, &printing::print(&files, printer, copies, two_sided, pages)?)?;
            return Ok(Outcome::Done);
        }
        _ => {}
    }
    let mut api = Api::open(&path)?;
    match cli.command {
        Command::Init => {
            let state = if api.overview()?.empty { "（空）" } else { "" };
            write(out, &format!("数据库已就绪：{}{state}\n", path.display()))?;
        }
        Command::Load { file } => {
            let counts = api.load_bundle_file(&file, &actor)?;
            catch_up_search_index(&mut api)?;
            write(
                out,
                &format!(
                    "已载入 {}：辖区 {}，机构 {}，班子成员 {}，清单 {}，事项 {}，准入申请 {}，豁免 {}，版本 {}\n",
                    file.display(),
                    counts.jurisdictions,
                    counts.units,
                    counts.leaders,
                    counts.lists,
                    counts.items,
                    counts.admission_requests,
                    counts.waivers,
                    counts.versions
                ),
            )?;
        }
        Command::LoadSample => {
            let counts = api.load_sample_district(&actor)?;
            catch_up_search_index(&mut api)?;
            write(
                out,
                &format!(
                    "已载入示例辖区：辖区 {}，机构 {}，清单 {}，事项 {}\n",
                    counts.jurisdictions, counts.units, counts.lists, counts.items
                ),
            )?;
        }
        Command::Dump { format } => {
            let bundle = api.dump()?;
            let text = match format {
                DumpFormat::Yaml => bundle.to_yaml(),
                DumpFormat::Json => bundle.to_json().map(|t| t + "\n"),
            }
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
            write(out, &text)?;
        }
        Command::Lists { json: as_json } => {
            let lists = api.lists()?;
            if as_json {
                let rows: Vec<ListRow<'_>> = lists.iter().map(ListRow::from).collect();
                write(out, &(json(&rows)? + "\n"))?;
            } else {
                let mut text = String::from("编号\t类别\t辖区（层级）\t机构\t事项数\t名称\n");
                for l in &lists {
                    text.push_str(&format!(
                        "{}\t{}\t{}（{}）\t{}\t{}\t{}\n",
                        l.id,
                        l.kind.label(),
                        l.jurisdiction_name,
                        l.level.label(),
                        l.unit_name.as_deref().unwrap_or("—"),
                        l.items,
                        l.name
                    ));
                }
                text.push_str(&format!("共 {} 个清单\n", lists.len()));
                write(out, &text)?;
            }
        }
        Command::Search {
            text,
            limit,
            json: as_json,
        } => {
            let hits = api.search(&text, limit)?;
            if as_json {
                write(out, &(json(&hits)? + "\n"))?;
            } else {
                let mut shown = String::new();
                for hit in &hits {
                    let name = match &hit.item.sub_item {
                        Some(sub) => format!("{}（{sub}）", hit.item.name),
                        None => hit.item.name.clone(),
                    };
                    shown.push_str(&format!(
                        "{name}\n    清单：{}（{}）  机构：{}  辖区：{}\n",
                        hit.list.name,
                        hit.list.kind.label(),
                        hit.item
                            .handling_unit_text
                            .as_deref()
                            .or(hit.list.unit_name.as_deref())
                            .unwrap_or("—"),
                        hit.list.jurisdiction_name
                    ));
                }
                shown.push_str(&format!("找到 {} 项\n", hits.len()));
                write(out, &shown)?;
            }
        }
        Command::Import {
            files,
            jurisdiction,
            unit,
            list_kind,
            dry_run,
            skip_sheets,
            header_rows,
            json: as_json,
        } => {
            let kind = quanze_domain::ListKind::parse(&list_kind).ok_or_else(|| {
                ApiError::invalid_input(format!(
                    "未知的清单类别“{list_kind}”，可用：{}",
                    quanze_domain::ListKind::ALL.map(|k| k.label()).join("、")
                ))
            })?;
            let mut sheets: Vec<quanze_api::SheetOverride> = skip_sheets
                .into_iter()
                .map(|sheet| quanze_api::SheetOverride { sheet, skip: true, ..quanze_api::SheetOverride::default() })
                .collect();
            for spec in header_rows {
                let parsed = spec
                    .rsplit_once('=')
                    .and_then(|(sheet, row)| Some((sheet.trim().to_string(), row.trim().parse::<u32>().ok()?)))
                    .filter(|(sheet, row)| !sheet.is_empty() && *row > 0);
                let Some((sheet, row)) = parsed else {
                    return Err(ApiError::invalid_input(format!(
                        "无法理解 --header-row “{spec}”：应写作 工作表名=行号，如 行政处罚=3"
                    )));
                };
                match sheets.iter_mut().find(|o| o.sheet == sheet) {
                    Some(existing) => existing.header_row = Some(row),
                    None => sheets.push(quanze_api::SheetOverride {
                        sheet,
                        header_row: Some(row),
                        ..quanze_api::SheetOverride::default()
                    }),
                }
            }
            // With one file, name it in the overrides, so that a misspelt sheet is an error
            // rather than silently ignored.
            if let [only] = files.as_slice() {
                let name = only.file_name().map(|n| n.to_string_lossy().into_owned());
                for o in &mut sheets {
                    o.file.clone_from(&name);
                }
            }
            let options = quanze_api::ImportOptions {
                sheets,
                jurisdiction,
                unit,
                list_kind: kind,
                dry_run,
                ..quanze_api::ImportOptions::default()
            };
            let mut indexing = IndexingProgress::default();
            let report = api.import_files(
                &files,
                &options,
                &actor,
                quanze_api::SearchIndexing::Now(&mut |done, total| indexing.step(done, total)),
            )?;
            indexing.finish();
            if as_json {
                write(out, &(json(&report)? + "\n"))?;
            } else {
                write(out, &quanze_api::render_report(&report))?;
            }
        }
        Command::Notice {
            lists,
            jurisdiction,
            published_version,
            format,
            out: out_path,
            landscape,
            portrait,
            title,
            doc_no,
            date,
            organ,
            intro,
            columns,
            templates,
        } => {
            let format = quanze_api::NoticeFormat::parse(&format)
                .ok_or_else(|| ApiError::invalid_input(format!("未知的格式“{format}”，可用：pdf、xlsx、html")))?;
            let lists = match jurisdiction {
                Some(name) => api.notice_lists_of(api.find_jurisdiction(&name)?)?,
                None if published_version.is_some() => Vec::new(),
                None if lists.is_empty() => {
                    return Err(ApiError::invalid_input("请用 --list 指定清单，或用 --jurisdiction 指定街道/社区"))
                }
                None => lists.iter().map(|l| api.find_list(l)).collect::<Result<Vec<_>, _>>()?,
            };
            let orientation = if landscape {
                Some(quanze_domain::notice::Orientation::Landscape)
            } else if portrait {
                Some(quanze_domain::notice::Orientation::Portrait)
            } else {
                None
            };
            let request = quanze_api::NoticeRequest {
                lists,
                title,
                doc_no,
                date,
                issuing_organ: organ,
                intro,
                columns: columns.into_iter().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect(),
                orientation,
                version: published_version,
            };
            let notice = api.write_notice(&request, format, &out_path, templates.as_deref())?;
            write(
                out,
                &format!(
                    "已生成公示 {}：《{}》，{} 节，{} 项\n",
                    out_path.display(),
                    notice.heading.title,
                    notice.sections.len(),
                    notice.row_count()
                ),
            )?;
        }
        Command::Posters { street, out: dir, single_file } => {
            let place = api.find_jurisdiction(&street)?;
            let written = api.write_posters(place, &dir, single_file)?;
            let mut text = format!("已为 {} 个社区生成上墙公示：\n", written.communities);
            for file in &written.files {
                text.push_str(&format!("  {file}\n"));
            }
            write(out, &text)?;
        }
        Command::Orgchart { street, out: out_path } => {
            let place = api.find_jurisdiction(&street)?;
            api.write_org_chart_svg(place, &out_path)?;
            write(out, &format!("已生成机构图 {}\n", out_path.display()))?;
        }
        Command::Check {
            jurisdiction,
            rules,
            pack,
            json: as_json,
            strict,
        } => {
            let jurisdiction = match jurisdiction {
                Some(name) => Some(api.find_jurisdiction(&name)?),
                None => None,
            };
            let pack = match pack {
                Some(path) => Some((
                    path.display().to_string(),
                    std::fs::read_to_string(&path).map_err(|e| ApiError::io(&path, &e))?,
                )),
                None => None,
            };
            let report = api.check(&quanze_api::CheckRequest {
                rules,
                jurisdiction,
                pack,
            })?;
            if as_json {
                write(out, &(json(&report)? + "\n"))?;
            } else {
                write(out, &print_report(&report))?;
            }
            if strict && report.has_unwaived_errors() {
                return Ok(Outcome::StrictFailure);
            }
        }
        Command::Edit { list, item, field, value, reason } => {
            let list = api.find_list(&list)?;
            let field = parse_field(&field)?;
            let reason = reason.unwrap_or_else(|| format!("修改{}", field_label(&field)));
            let batch = quanze_api::EditBatch {
                list,
                reason,
                edits: vec![quanze_api::ItemEdit::Set { item, field, value }],
            };
            let outcome = api.edit(&batch, &actor)?;
            let changed = outcome.changed.first().map_or_else(String::new, |p| p.item.name.clone());
            write(out, &format!("已修改事项 #{item}：{changed}\n"))?;
        }
        Command::Org { command } => write(out, &organization::run(&mut api, &actor, command)?)?,
        Command::Admission { command } => write(out, &admission::run(&mut api, &actor, command)?)?,
        Command::Publish { list, date, doc_no, note } => {
            write(out, &versions::publish(&mut api, &actor, &list, date.as_deref(), doc_no, note)?)?;
        }
        Command::Versions { list, json: as_json } => write(out, &versions::list(&api, &list, as_json)?)?,
        Command::Compare { version, json: as_json } => write(out, &versions::compare(&api, version, as_json)?)?,
        // Answered before the database was opened.
        Command::Printers { .. } | Command::Print { .. } => {}
        Command::Stats { jurisdiction, json: as_json } => {
            write(out, &statistics::run(&api, jurisdiction.as_deref(), as_json)?)?;
        }
        Command::Waive { key, reason } => {
            let waiver = api.waive(&key, &reason, &actor)?;
            write(out, &format!("已豁免 {}：{}\n", waiver.finding_key, waiver.reason))?;
        }
        Command::History {
            limit,
            json: as_json,
        } => {
            let entries = api.history(limit)?;
            if as_json {
                write(out, &(json(&entries)? + "\n"))?;
            } else {
                let mut text = String::new();
                for e in &entries {
                    text.push_str(&format!(
                        "{}  {}  {}{} #{} {}{}\n",
                        e.at,
                        e.actor,
                        e.action,
                        e.entity,
                        e.entity_id,
                        e.label,
                        e.reason
                            .as_deref()
                            .map(|r| format!("  （{r}）"))
                            .unwrap_or_default()
                    ));
                }
                write(out, &text)?;
            }
        }
    }
    Ok(Outcome::Done)
}

/// A field named as users know it: a column header (事项名称), the field's id (name), or
/// `extra:原表头` for a field kept from an import.
fn parse_field(text: &str) -> Result<quanze_api::FieldRef, ApiError> {
    use quanze_api::{FieldRef, ItemField};
    let text = text.trim();
    if let Some(header) = text.strip_prefix("extra:").or_else(|| text.strip_prefix("附加:")) {
        return Ok(FieldRef::Extra { header: header.trim().to_string(), index: 0 });
    }
    let by_id = serde_json::from_value::<ItemField>(serde_json::Value::String(text.to_string())).ok();
    by_id
        .or_else(|| ItemField::ALL.into_iter().find(|f| f.label() == text))
        .map(FieldRef::Standard)
        .ok_or_else(|| {
            ApiError::invalid_input(format!(
                "未知的字段“{text}”，可用：{}；附加字段写 extra:原表头",
                ItemField::ALL.map(ItemField::label).join("、")
            ))
        })
}

fn field_label(field: &quanze_api::FieldRef) -> String {
    match field {
        quanze_api::FieldRef::Standard(f) => f.label().to_string(),
        quanze_api::FieldRef::Extra { header, .. } => format!("“{header}”列"),
    }
}

/// The search index's progress on stderr while it catches up after a big write (a load or
/// import commits first; see `Api::catch_up_search_index`): a line rewritten after each batch,
/// then the count and the time taken.
#[derive(Default)]
struct IndexingProgress {
    started: Option<(std::time::Instant, u64)>,
}

impl IndexingProgress {
    fn step(&mut self, done: u64, total: u64) {
        self.started.get_or_insert_with(|| (std::time::Instant::now(), total));
        if done > 0 {
            eprint!("\r正在建立检索索引：{done}/{total}");
        }
    }

    fn finish(self) {
        if let Some((started, total)) = self.started {
            eprintln!(
                "\r检索索引已更新：{total} 个事项，用时 {:.1} 秒",
                started.elapsed().as_secs_f64()
            );
        }
    }
}

/// Bring the search index up to date after a load, with its progress on stderr.
fn catch_up_search_index(api: &mut Api) -> Result<(), ApiError> {
    let total = api.search_index_backlog()?;
    if total == 0 {
        return Ok(());
    }
    let mut progress = IndexingProgress::default();
    progress.step(0, total);
    api.catch_up_search_index(|done, total| progress.step(done, total))?;
    progress.finish();
    Ok(())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { 1 } else { 0 };
            // clap prints help and version to stdout and usage errors to stderr.
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let mut stdout = std::io::stdout().lock();
    match run(cli, &mut stdout) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::StrictFailure) => ExitCode::from(3),
        Err(error) => {
            eprintln!("错误：{}", error.message);
            ExitCode::from(if error.code.is_user_error() { 1 } else { 2 })
        }
    }
}
