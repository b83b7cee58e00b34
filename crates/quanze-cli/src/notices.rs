//! `quanze notice`, `posters` and `orgchart`: what is printed — a notice of lists, wall
//! posters of a street's communities, a street's org chart.

use std::path::{Path, PathBuf};

use clap::Args;
use quanze_api::{AdjustmentNoticeRequest, Api, ApiError, NoticeFormat, NoticeRequest, PosterChoices};
use quanze_domain::notice::{Orientation, PosterSettings};
use quanze_domain::ListKind;

#[derive(Args)]
pub struct NoticeArgs {
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
    /// 调整公告：一份清单（--list）从 --from 版到 --to 版的新增、取消、变更与下放·收回·划转，附调整理由与依据
    #[arg(long, requires = "from", conflicts_with_all = ["jurisdiction", "published_version", "columns"])]
    adjustment: bool,
    /// 调整公告的起始版本（版本号，见 quanze versions --list）
    #[arg(long, value_name = "N", requires = "adjustment")]
    from: Option<u32>,
    /// 调整公告的截止版本（版本号；默认为最新版本）
    #[arg(long, value_name = "N", requires = "adjustment")]
    to: Option<u32>,
}

pub fn notice(api: &Api, args: NoticeArgs) -> Result<String, ApiError> {
    let format = NoticeFormat::parse(&args.format)
        .ok_or_else(|| ApiError::invalid_input(format!("未知的格式“{}”，可用：pdf、xlsx、html", args.format)))?;
    if args.adjustment {
        return adjustment_notice(api, args, format);
    }
    let lists = match args.jurisdiction {
        Some(name) => api.notice_lists_of(api.find_jurisdiction(&name)?)?,
        None if args.published_version.is_some() => Vec::new(),
        None if args.lists.is_empty() => {
            return Err(ApiError::invalid_input("请用 --list 指定清单，或用 --jurisdiction 指定街道/社区"))
        }
        None => args.lists.iter().map(|l| api.find_list(l)).collect::<Result<Vec<_>, _>>()?,
    };
    let orientation = if args.landscape {
        Some(Orientation::Landscape)
    } else if args.portrait {
        Some(Orientation::Portrait)
    } else {
        None
    };
    let request = NoticeRequest {
        lists,
        title: args.title,
        doc_no: args.doc_no,
        date: args.date,
        issuing_organ: args.organ,
        intro: args.intro,
        columns: args.columns.into_iter().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect(),
        orientation,
        version: args.published_version,
    };
    let notice = api.write_notice(&request, format, &args.out, args.templates.as_deref())?;
    Ok(format!(
        "已生成公示 {}：《{}》，{} 节，{} 项\n",
        args.out.display(),
        notice.heading.title,
        notice.sections.len(),
        notice.row_count()
    ))
}

/// `notice --adjustment`: the 调整公告 of one list between two of its versions.
fn adjustment_notice(api: &Api, args: NoticeArgs, format: NoticeFormat) -> Result<String, ApiError> {
    let list = match args.lists.as_slice() {
        [one] => api.find_list(one)?,
        _ => return Err(ApiError::invalid_input("调整公告须用 --list 指定一份清单")),
    };
    let orientation = if args.portrait { Some(Orientation::Portrait) } else { None };
    let request = AdjustmentNoticeRequest {
        list,
        from: args.from.ok_or_else(|| ApiError::invalid_input("调整公告须用 --from 指定起始版本号"))?,
        to: args.to,
        title: args.title,
        doc_no: args.doc_no,
        date: args.date,
        issuing_organ: args.organ,
        intro: args.intro,
        orientation,
    };
    let notice = api.write_adjustment_notice(&request, format, &args.out, args.templates.as_deref())?;
    let counts: Vec<String> = notice
        .sections
        .iter()
        .filter_map(|s| s.heading.as_deref().map(|h| h.split_once('、').map_or(h, |(_, rest)| rest).to_string()))
        .collect();
    Ok(format!("已生成调整公告 {}：《{}》，{}\n", args.out.display(), notice.heading.title, counts.join("，")))
}

/// `quanze posters`: the wall posters of a street's communities, with the street's settings
/// or the lists and columns given; `--save` keeps those as the street's own.
#[derive(Args)]
pub struct PostersArgs {
    /// 街道（或社区）名称
    #[arg(long, value_name = "NAME")]
    street: String,
    /// 输出文件夹（只保存设置时可省略）
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// 全部社区合成一个 PDF（默认每个社区一个文件）
    #[arg(long)]
    single_file: bool,
    /// 上墙的清单及顺序，逗号分隔：依法履职,协助政府,负面清单,证明事项,社区服务清单（默认全部）
    #[arg(long, value_name = "LISTS", value_delimiter = ',')]
    lists: Vec<String>,
    /// 每个事项名称下印的栏目，逗号分隔：handling_unit（承办机构）、basis、remarks、extra:原表头 …（默认 handling_unit）
    #[arg(long, value_name = "COLUMNS", value_delimiter = ',')]
    columns: Vec<String>,
    /// 把 --lists / --columns 保存为该街道上墙公示的默认设置
    #[arg(long, conflicts_with = "reset")]
    save: bool,
    /// 删除该街道保存的设置，恢复默认（全部清单，承办机构）
    #[arg(long)]
    reset: bool,
}

pub fn posters(api: &mut Api, actor: &str, args: PostersArgs) -> Result<String, ApiError> {
    let place = api.find_jurisdiction(&args.street)?;
    let saved = api.poster_choices(place)?;
    let given = !args.lists.is_empty() || !args.columns.is_empty();
    let settings = PosterSettings {
        lists: if args.lists.is_empty() {
            saved.settings.lists.clone()
        } else {
            args.lists.iter().map(|name| poster_list(name)).collect::<Result<_, _>>()?
        },
        columns: if args.columns.is_empty() {
            saved.settings.columns.clone()
        } else {
            args.columns.iter().map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect()
        },
    };
    let mut text = String::new();
    if args.save || args.reset {
        let kept = api.set_poster_settings(place, (!args.reset).then_some(&settings), actor)?;
        let done = if args.reset { "已恢复默认" } else { "已保存" };
        text.push_str(&format!("{done}“{}”的上墙公示设置：{}\n", args.street.trim(), describe(&kept)));
    }
    let Some(out) = args.out else {
        if args.save || args.reset {
            return Ok(text);
        }
        return Err(ApiError::invalid_input("请用 --out 指定输出文件夹（或用 --save 只保存设置）"));
    };
    let chosen = (given && !args.save && !args.reset).then_some(&settings);
    let never = std::sync::atomic::AtomicBool::new(false);
    let work = quanze_api::LongWork::new(&never, &|_| {});
    let written = api.write_posters_with_progress(place, &out, args.single_file, chosen, &work)?;
    text.push_str(&format!("已为 {} 个社区生成上墙公示：\n", written.communities));
    for file in &written.files {
        text.push_str(&format!("  {file}\n"));
    }
    Ok(text)
}

/// A list kind named as users write it (依法履职, 证明事项 …, or its id); 服务清单 for short.
fn poster_list(name: &str) -> Result<ListKind, ApiError> {
    let name = name.trim();
    let alias = match name {
        "服务清单" | "社区服务" => "社区服务清单",
        "依法履行职责事项" => "依法履职",
        "依法协助政府工作事项" | "协助政府工作事项" => "协助政府",
        other => other,
    };
    ListKind::parse(alias).ok_or_else(|| {
        ApiError::invalid_input(format!(
            "未知的清单“{name}”，可用：{}",
            PosterSettings::LISTS.map(|k| k.label()).join("、")
        ))
    })
}

/// "依法履职、协助政府；栏目：承办机构".
fn describe(choices: &PosterChoices) -> String {
    let lists = choices.settings.lists.iter().map(|k| k.label()).collect::<Vec<_>>().join("、");
    let columns = choices
        .settings
        .columns
        .iter()
        .map(|c| {
            choices
                .columns
                .iter()
                .find(|(name, _)| name == c)
                .map_or_else(|| c.clone(), |(_, label)| label.clone())
        })
        .collect::<Vec<_>>();
    let columns = if columns.is_empty() { "只印事项名称".to_string() } else { columns.join("、") };
    format!("{lists}；栏目：{columns}{}", if choices.saved { "" } else { "（默认）" })
}

pub fn org_chart(api: &Api, street: &str, out: &Path) -> Result<String, ApiError> {
    let place = api.find_jurisdiction(street)?;
    api.write_org_chart_svg(place, out)?;
    Ok(format!("已生成机构图 {}\n", out.display()))
}
