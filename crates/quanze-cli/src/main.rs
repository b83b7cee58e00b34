//! # quanze
//!
//! The command-line face of Quanze: every operation of the app, scriptable. Each subcommand is
//! a thin caller of `quanze_api`, like the desktop shell's commands. This file holds the
//! command line's grammar and the dispatch; each group of commands has a module that returns
//! what it prints, and `output` alone decides between text and JSON and writes it.
//!
//! Exit status: 0 success; 1 bad input (a clear message on stderr, in Chinese); 2 internal
//! error; 3 `check --strict` found an unwaived error.

mod admission;
mod changes;
mod backup;
mod checks;
mod database;
mod editing;
mod exchange;
mod import;
mod items;
mod notices;
mod organization;
mod output;
mod printing;
mod reading;
mod statistics;
mod structure;
mod versions;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use quanze_api::{default_actor, default_database_path, ApiError};

#[derive(Parser)]
#[command(name = "quanze", version, about = "权责清单编辑器（Quanze）命令行", long_about = None)]
struct Cli {
    /// 数据库文件（默认：应用的数据文件，或环境变量 QUANZE_DB）；也可以是 PostgreSQL 数据库地址 postgresql://账号@主机/库名（见 docs/server.md）
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
        format: database::DumpFormat,
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
    Import(import::ImportArgs),
    /// 运行检查：职责交叉、上下不清、社区准入、机构编制与数据规范
    Check(checks::CheckArgs),
    /// 豁免一个检查问题（经核实不需整改），须写明理由
    Waive {
        /// 问题标识（检查结果中的 key）
        key: String,
        #[arg(long)]
        reason: String,
    },
    /// 撤销一个检查问题的豁免：该问题在下次检查中重新计入（记入审计日志）
    Unwaive {
        /// 问题标识（检查结果中的 key）
        key: String,
    },
    /// 生成清单公示：PDF（GB/T 9704 版式）、Excel（可直接打印）或 HTML 预览
    Notice(notices::NoticeArgs),
    /// 生成社区上墙公示（A3）：某街道的全部社区，或一个社区；可选清单与栏目，并保存为街道的默认设置
    Posters(notices::PostersArgs),
    /// 把整个数据库迁移到另一处：数据库文件 → PostgreSQL 服务器，或反过来（每个表、编号、版本与操作记录；目标须为空，迁移后逐表核对）
    Migrate {
        /// 来源：数据库文件，或 postgresql://所有者@主机/库名
        #[arg(long, value_name = "FROM")]
        from: PathBuf,
        /// 目标：新的数据库文件，或空的 PostgreSQL 数据库（须由表的所有者连接）
        #[arg(long, value_name = "TO")]
        to: PathBuf,
        /// 以 JSON 输出每个表的行数与摘要
        #[arg(long)]
        json: bool,
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
    /// 生成街道大部门制机构图或社区组织架构图（两委、站办、岗位）（SVG）
    Orgchart {
        /// 街道或社区名称
        #[arg(long = "jurisdiction", visible_aliases = ["street", "community"], value_name = "NAME")]
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
    Edit(editing::EditArgs),
    /// 调整申请：提出、审核（同意即修改清单）、列出、查看
    Change {
        #[command(subcommand)]
        command: changes::ChangeCommand,
    },
    /// 事项：新增、删除、移动（与界面中的表格操作相同：校验、记入操作日志）
    Item {
        #[command(subcommand)]
        command: items::ItemCommand,
    },
    /// 辖区：新增（区下的街道、街道下的社区）、改名、删除空的辖区
    Jurisdiction {
        #[command(subcommand)]
        command: structure::JurisdictionCommand,
    },
    /// 机构（部门、办、站、中心）：新增、改名、删除没有清单和事项的机构
    Unit {
        #[command(subcommand)]
        command: structure::UnitCommand,
    },
    /// 清单：新建空清单、改名、删除（连同其事项）
    List {
        #[command(subcommand)]
        command: structure::ListCommand,
    },
    /// 街道、社区机构：查看、新建街道、按模板建立、班子（两委）成员、编制、岗位与分管
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
        /// 清单有未处理的红色问题时仍然发布（须同时用 --reason 写明理由，记入版本与操作日志）
        #[arg(long = "despite-findings", requires = "reason")]
        despite_findings: bool,
        /// 仍然发布的理由
        #[arg(long)]
        reason: Option<String>,
    },
    /// 列出清单已发布的版本（最新的在前）；versions compare A B 比较两个版本
    Versions {
        /// 清单编号或全名
        #[arg(long, value_name = "LIST")]
        list: Option<String>,
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        command: Option<versions::VersionsCommand>,
    },
    /// 导出数据包：一个辖区及其下全部内容，或其中几个清单（交换给其他单位，带校验值）
    Export(exchange::ExportArgs),
    /// 合并收回的数据包：与导出时的基准三方比较，逐字段报告新增、修改、删除与冲突
    Merge(exchange::MergeArgs),
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
    /// 列出街道收回至某部门的事项（街道“上级部门收回事项清单”中承接部门为它的事项）
    Withdrawals {
        /// 承接部门（机构名称或编号）
        #[arg(long, value_name = "UNIT")]
        unit: String,
        #[arg(long)]
        json: bool,
    },
    /// 备份数据库（经校验；默认存入数据库旁的“<文件名>.备份”文件夹）
    Backup {
        /// 备份到此文件（已存在的 Quanze 数据库文件会被替换）
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// 列出备份文件夹中的备份：时间、原因、大小、路径
    Backups {
        #[arg(long)]
        json: bool,
    },
    /// 从备份恢复数据库（先自动备份当前内容）；须加 --yes 确认
    Restore {
        /// 备份文件
        file: PathBuf,
        /// 确认用备份替换当前全部内容
        #[arg(long)]
        yes: bool,
    },
    /// 查看操作日志（最新的在前）
    History {
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
}

/// What `run` asks `main` to exit with, beyond success and errors.
enum Outcome {
    Done,
    /// `check --strict` found an unwaived error.
    StrictFailure,
    /// `merge` stopped at conflicts nobody decided (nothing written): exit status 1.
    Undecided,
}

impl Command {
    /// Commands that fill a database may create it; every other command refuses a missing
    /// file, so that a mistyped `--db` is noticed instead of answered from a new empty database.
    fn may_create_database(&self) -> bool {
        matches!(self, Command::Init | Command::Load { .. } | Command::LoadSample | Command::Import(_) | Command::Merge(_))
    }
}

fn run(cli: Cli, out: &mut dyn Write) -> Result<Outcome, ApiError> {
    let (text, outcome) = answer(cli)?;
    output::write(out, &text)?;
    Ok(outcome)
}

/// What the command prints, and how the program ends.
fn answer(cli: Cli) -> Result<(String, Outcome), ApiError> {
    let done = |text: String| Ok((text, Outcome::Done));
    // Printing needs no database: it neither opens nor creates one.
    match cli.command {
        Command::Printers { json } => return done(printing::list(json)?),
        // Migration names both of its databases itself.
        Command::Migrate { from, to, json } => return done(database::migrate(&from, &to, json)?),
        Command::Print {
            files,
            printer,
            copies,
            two_sided,
            pages,
        } => return done(printing::print(&files, printer, copies, two_sided, pages)?),
        _ => {}
    }
    let path = cli.db.unwrap_or_else(default_database_path);
    let actor = cli.actor.unwrap_or_else(default_actor);
    // A command that may create the database and fails (a refused bundle, a workbook with no
    // items) leaves no new, empty database file behind.
    let creates = cli.command.may_create_database() && !path.exists();
    let answer = answer_from_database(&path, &actor, cli.command);
    if answer.is_err() && creates {
        quanze_api::remove_database_files(&path);
    }
    answer
}

/// What a command that needs the database prints, and how the program ends.
fn answer_from_database(path: &std::path::Path, actor: &str, command: Command) -> Result<(String, Outcome), ApiError> {
    let (path, actor) = (path.to_path_buf(), actor.to_string());
    let done = |text: String| Ok((text, Outcome::Done));
    let mut api = database::open(&path, command.may_create_database())?;
    let api = &mut api;
    let text = match command {
        Command::Init => database::init(api, &path)?,
        Command::Load { file } => database::load(api, &actor, &file)?,
        Command::LoadSample => database::load_sample(api, &actor)?,
        Command::Dump { format } => database::dump(api, format)?,
        Command::Lists { json } => reading::lists(api, json)?,
        Command::Search { text, limit, json } => reading::search(api, &text, limit, json)?,
        Command::History { limit, json } => reading::history(api, limit, json)?,
        Command::Import(args) => import::run(api, &actor, args)?,
        Command::Check(args) => {
            let (text, strict_failure) = checks::check(api, args)?;
            let outcome = if strict_failure { Outcome::StrictFailure } else { Outcome::Done };
            return Ok((text, outcome));
        }
        Command::Waive { key, reason } => checks::waive(api, &actor, &key, &reason)?,
        Command::Unwaive { key } => checks::unwaive(api, &actor, &key)?,
        Command::Notice(args) => notices::notice(api, args)?,
        Command::Posters(args) => notices::posters(api, &actor, args)?,
        Command::Orgchart { street, out } => notices::org_chart(api, &street, &out)?,
        Command::Edit(args) => editing::run(api, &actor, args)?,
        Command::Export(args) => exchange::export(api, &actor, args)?,
        Command::Merge(args) => {
            let (text, undecided) = exchange::merge(api, &actor, args)?;
            return Ok((text, if undecided { Outcome::Undecided } else { Outcome::Done }));
        }
        Command::Item { command } => items::run(api, &actor, command)?,
        Command::Change { command } => changes::run(api, &actor, command)?,
        Command::Org { command } => organization::run(api, &actor, command)?,
        Command::Jurisdiction { command } => structure::jurisdiction(api, &actor, command)?,
        Command::Unit { command } => structure::unit(api, &actor, command)?,
        Command::List { command } => structure::list(api, &actor, command)?,
        Command::Admission { command } => admission::run(api, &actor, command)?,
        Command::Publish { list, date, doc_no, note, despite_findings, reason } => {
            let despite_findings = if despite_findings { reason } else { None };
            versions::publish(api, &actor, &list, date.as_deref(), doc_no, note, despite_findings)?
        }
        Command::Versions { list, json, command } => versions::run(api, list, json, command)?,
        Command::Compare { version, json } => versions::compare(api, version, json)?,
        Command::Backup { out } => backup::backup(api, out.as_deref())?,
        Command::Backups { json } => backup::list(api, json)?,
        Command::Restore { file, yes } => backup::restore(api, &file, yes)?,
        Command::Stats { jurisdiction, json } => statistics::run(api, jurisdiction.as_deref(), json)?,
        Command::Withdrawals { unit, json } => statistics::withdrawals(api, &unit, json)?,
        // Answered before the database was opened.
        Command::Printers { .. } | Command::Print { .. } | Command::Migrate { .. } => String::new(),
    };
    done(text)
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
        Ok(Outcome::Undecided) => ExitCode::from(1),
        Err(error) => {
            eprintln!("错误：{}", error.message);
            ExitCode::from(if error.code.is_user_error() { 1 } else { 2 })
        }
    }
}
