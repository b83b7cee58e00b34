//! `quanze org …`: a street's big-department organization or a community's 两委 and 站/办 from
//! the command line — show it, create a street, build its units from an org template, add
//! leaders (a community's 两委 members with their seats), set a unit's 编制, 实有人数, 领导职数,
//! 岗位 and 分管 — through the same api calls as the app's 机构图 screen.

use clap::Subcommand;
use quanze_api::{Api, ApiError, ErrorCode, Organization, UnitStaffingEdit};
use quanze_domain::{CommitteeSeat, UnitPost};

use crate::output::text_or_json;

#[derive(Subcommand)]
pub enum OrganizationCommand {
    /// 显示街道或社区的机构、编制、岗位、班子（两委）成员与分管
    Show {
        /// 街道或社区名称
        #[arg(long = "jurisdiction", visible_aliases = ["street", "community"], value_name = "NAME")]
        street: String,
        #[arg(long)]
        json: bool,
    },
    /// 在区下新建街道（尚无机构）
    CreateStreet {
        /// 区名称
        #[arg(long, value_name = "NAME")]
        district: String,
        /// 街道名称
        #[arg(long)]
        name: String,
    },
    /// 按机构模板为街道或社区建立机构（如 baohe-1-7-2 即“一办七部两中心”，
    /// yongzhou-community-1-1-1-3 即社区“一委一会一办三站”）
    #[command(visible_alias = "apply-template")]
    Build {
        /// 街道或社区名称
        #[arg(long = "jurisdiction", visible_aliases = ["street", "community"], value_name = "NAME")]
        street: String,
        /// 模板编号（见 quanze org show 的“可用模板”）
        #[arg(long)]
        template: String,
    },
    /// 新增班子成员；社区用 --seat 记两委职务（可多次指定，如书记、主任一肩挑）
    AddLeader {
        /// 街道或社区名称
        #[arg(long = "jurisdiction", visible_aliases = ["street", "community"], value_name = "NAME")]
        street: String,
        #[arg(long)]
        name: String,
        /// 职务，如 党工委委员、副主任（社区两委成员可省略，按所任职务填写）
        #[arg(long, default_value = "")]
        post: String,
        /// 社区两委职务：党组织书记、党组织副书记、党组织委员、居委会主任、居委会副主任、
        /// 居委会委员、监委会主任、监委会委员（村可写 村委会主任 等）
        #[arg(long = "seat", value_name = "SEAT", value_parser = parse_seat)]
        seats: Vec<CommitteeSeat>,
    },
    /// 设置机构的一个岗位（如网格员）的核定数与实配数；--remove 删除该岗位
    Post {
        /// 街道或社区名称
        #[arg(long = "jurisdiction", visible_aliases = ["street", "community"], value_name = "NAME")]
        street: String,
        /// 机构名称，如 网格管理站
        #[arg(long)]
        unit: String,
        /// 岗位名称，如 网格员、社区工作者
        #[arg(long)]
        name: String,
        /// 核定数
        #[arg(long)]
        approved: Option<u32>,
        /// 实配数
        #[arg(long)]
        filled: Option<u32>,
        #[arg(long)]
        remove: bool,
    },
    /// 修改机构的编制、实有人数、领导职数与分管领导（未指定的项保持不变）
    Staffing {
        /// 街道或社区名称
        #[arg(long = "jurisdiction", visible_aliases = ["street", "community"], value_name = "NAME")]
        street: String,
        /// 机构名称
        #[arg(long)]
        unit: String,
        /// 行政编制
        #[arg(long = "admin-posts")]
        admin_posts: Option<u32>,
        /// 事业编制
        #[arg(long = "institution-posts")]
        institution_posts: Option<u32>,
        /// 实有人数
        #[arg(long)]
        headcount: Option<u32>,
        /// 领导职数（核定）
        #[arg(long = "leader-posts")]
        leader_posts: Option<u32>,
        /// 领导职数（实配）
        #[arg(long = "leader-posts-actual")]
        leader_posts_actual: Option<u32>,
        /// 分管领导姓名（可多次指定；指定后取代原有分管）
        #[arg(long = "in-charge", value_name = "NAME")]
        in_charge: Vec<String>,
    },
}

fn parse_seat(text: &str) -> Result<CommitteeSeat, String> {
    CommitteeSeat::parse(text).ok_or_else(|| {
        let known: Vec<&str> = CommitteeSeat::ALL.iter().map(|s| s.label()).collect();
        format!("不认识的两委职务“{text}”，可用：{}", known.join("、"))
    })
}

fn figure(value: Option<u32>) -> String {
    value.map_or_else(|| "—".to_string(), |v| v.to_string())
}

fn render(org: &Organization) -> String {
    let community = org.place.level == quanze_domain::Level::Community;
    let in_charge_header = if community { "负责人" } else { "分管领导" };
    let mut text = format!(
        "{}  机构模板：{}\n\n机构\t类别\t行政编制\t事业编制\t实有人数\t领导职数（核定/实配）\t{in_charge_header}\t岗位（核定/实配）\n",
        org.place.name,
        org.place.org_template.as_deref().unwrap_or("（未用模板）")
    );
    for unit in &org.units {
        let s = &unit.staffing;
        let in_charge: Vec<&str> = unit
            .leaders_in_charge
            .iter()
            .filter_map(|id| org.leaders.iter().find(|l| l.id == *id))
            .map(|l| l.name.as_str())
            .collect();
        let posts: Vec<String> = unit
            .posts
            .iter()
            .map(|p| format!("{} {}/{}", p.name, figure(p.approved), figure(p.filled)))
            .collect();
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}/{}\t{}\t{}\n",
            unit.name,
            unit.kind.label(),
            figure(s.admin_posts),
            figure(s.institution_posts),
            figure(s.actual_headcount),
            figure(s.leader_posts_approved),
            figure(s.leader_posts_actual),
            if in_charge.is_empty() { "（无）".to_string() } else { in_charge.join("、") },
            if posts.is_empty() { "—".to_string() } else { posts.join("；") }
        ));
    }
    text.push_str(if community { "\n两委成员\n" } else { "\n班子成员\n" });
    for leader in &org.leaders {
        text.push_str(&format!("  {}  {}\n", leader.name, leader.post));
    }
    text.push_str("\n可用模板\n");
    for template in &org.templates {
        text.push_str(&format!("  {}  {}\n", template.id, template.name));
    }
    text
}

pub fn run(api: &mut Api, actor: &str, command: OrganizationCommand) -> Result<String, ApiError> {
    match command {
        OrganizationCommand::Show { street, json } => {
            let org = api.organization(api.find_jurisdiction(&street)?)?;
            text_or_json(json, &org, render)
        }
        OrganizationCommand::CreateStreet { district, name } => {
            let street = api.create_street(api.find_jurisdiction(&district)?, &name, actor)?;
            Ok(format!("已新建街道：{}（#{}）\n", street.name, street.id))
        }
        OrganizationCommand::Build { street, template } => {
            let org = api.create_units_from_template(api.find_jurisdiction(&street)?, &template, actor)?;
            Ok(format!("已按模板建立 {} 个机构：\n{}", org.units.len(), render(&org)))
        }
        OrganizationCommand::AddLeader { street, name, post, seats } => {
            let leader = api.add_leader(api.find_jurisdiction(&street)?, &name, &post, &seats, actor)?;
            let what = if leader.seats.is_empty() { "班子成员" } else { "两委成员" };
            Ok(format!("已新增{what}：{}  {}\n", leader.name, leader.post))
        }
        OrganizationCommand::Post { street, unit, name, approved, filled, remove } => {
            let org = api.organization(api.find_jurisdiction(&street)?)?;
            let current = unit_named(&org, &unit)?;
            let mut edit = UnitStaffingEdit::of(current);
            let name = name.trim().to_string();
            let at = edit.posts.iter().position(|p| p.name == name);
            match (at, remove) {
                (Some(i), true) => {
                    edit.posts.remove(i);
                }
                (None, true) => {
                    return Err(ApiError::new(ErrorCode::NotFound, format!("{}没有岗位“{name}”", current.name)));
                }
                (Some(i), false) => {
                    let post = &mut edit.posts[i];
                    post.approved = approved.or(post.approved);
                    post.filled = filled.or(post.filled);
                }
                (None, false) => edit.posts.push(UnitPost { name, approved, filled }),
            }
            let updated = api.update_unit_staffing(current.id, &edit, actor)?;
            let org = api.organization(updated.jurisdiction)?;
            Ok(format!("已更新 {} 的岗位：\n{}", updated.name, render(&org)))
        }
        OrganizationCommand::Staffing {
            street,
            unit,
            admin_posts,
            institution_posts,
            headcount,
            leader_posts,
            leader_posts_actual,
            in_charge,
        } => {
            let org = api.organization(api.find_jurisdiction(&street)?)?;
            let current = unit_named(&org, &unit)?;
            let mut edit = UnitStaffingEdit::of(current);
            let s = &mut edit.staffing;
            s.admin_posts = admin_posts.or(s.admin_posts);
            s.institution_posts = institution_posts.or(s.institution_posts);
            s.actual_headcount = headcount.or(s.actual_headcount);
            s.leader_posts_approved = leader_posts.or(s.leader_posts_approved);
            s.leader_posts_actual = leader_posts_actual.or(s.leader_posts_actual);
            if !in_charge.is_empty() {
                edit.leaders_in_charge = in_charge
                    .iter()
                    .map(|name| {
                        org.leaders.iter().find(|l| l.name == *name).map(|l| l.id).ok_or_else(|| {
                            ApiError::new(ErrorCode::NotFound, format!("{}的班子成员中没有“{name}”", org.place.name))
                        })
                    })
                    .collect::<Result<_, _>>()?;
            }
            let updated = api.update_unit_staffing(current.id, &edit, actor)?;
            let org = api.organization(updated.jurisdiction)?;
            Ok(format!("已更新 {}：\n{}", updated.name, render(&org)))
        }
    }
}

fn unit_named<'a>(org: &'a Organization, unit: &str) -> Result<&'a quanze_domain::Unit, ApiError> {
    org.units
        .iter()
        .find(|u| u.name == unit)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("{}没有名为“{unit}”的机构", org.place.name)))
}
