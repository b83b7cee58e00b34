//! `quanze jurisdiction|unit|list add|rename|remove`: the district's structure kept by hand —
//! the same api calls as the app's 辖区 tree, 清单 menu and 机构图 screen.

use clap::Subcommand;
use quanze_api::{Api, ApiError, FieldRef, NewList};
use quanze_domain::{ListKind, UnitKind};

#[derive(Subcommand)]
pub enum JurisdictionCommand {
    /// 新增辖区：在区下新增街道（镇），在街道下新增社区（村）；不写 --parent 则新增一个区
    Add {
        /// 上级辖区名称
        #[arg(long, value_name = "NAME")]
        parent: Option<String>,
        #[arg(long)]
        name: String,
        /// 称谓：镇、乡（街道一级）或 村（社区一级）
        #[arg(long)]
        designation: Option<String>,
    },
    /// 修改辖区名称与称谓
    Rename {
        /// 现在的名称
        #[arg(long = "jurisdiction", value_name = "NAME")]
        jurisdiction: String,
        /// 新名称
        #[arg(long = "to", value_name = "NAME")]
        name: String,
        /// 称谓：镇、乡、村；不写则用层级本来的叫法（街道、社区）
        #[arg(long)]
        designation: Option<String>,
    },
    /// 删除辖区（只能删除空的辖区：没有下级辖区、机构、清单、班子成员、准入申请）
    Remove {
        #[arg(long = "jurisdiction", value_name = "NAME")]
        jurisdiction: String,
    },
}

#[derive(Subcommand)]
pub enum UnitCommand {
    /// 为辖区新增机构（部门、办、站、中心）
    Add {
        /// 所属辖区名称
        #[arg(long = "jurisdiction", value_name = "NAME")]
        jurisdiction: String,
        #[arg(long)]
        name: String,
        /// 机构类别：行政、事业、派驻、议事协调、自治组织
        #[arg(long, default_value = "行政", value_parser = parse_unit_kind)]
        kind: UnitKind,
    },
    /// 修改机构名称（按模板建立的机构仍对应原模板槽位）
    Rename {
        /// 所属辖区名称（各街道都有同名的办、中心，写明是哪一个的）
        #[arg(long = "jurisdiction", value_name = "NAME")]
        jurisdiction: String,
        /// 机构名称
        #[arg(long, value_name = "UNIT")]
        unit: String,
        /// 新名称
        #[arg(long = "to", value_name = "NAME")]
        name: String,
    },
    /// 删除机构（没有清单、也没有事项以它为承办或责任机构时）
    Remove {
        /// 所属辖区名称（各街道都有同名的办、中心，写明是哪一个的）
        #[arg(long = "jurisdiction", value_name = "NAME")]
        jurisdiction: String,
        /// 机构名称
        #[arg(long, value_name = "UNIT")]
        unit: String,
    },
}

#[derive(Subcommand)]
pub enum ListCommand {
    /// 新建空清单：辖区本级的，或其一个机构的
    Add {
        /// 所属辖区名称
        #[arg(long = "jurisdiction", value_name = "NAME")]
        jurisdiction: String,
        /// 所属机构名称（三单必须写）
        #[arg(long, value_name = "UNIT")]
        unit: Option<String>,
        /// 清单类别，如 权责清单、基本履职、依法履职、任务清单
        #[arg(long, value_parser = parse_list_kind)]
        kind: ListKind,
        #[arg(long)]
        name: String,
    },
    /// 修改清单名称
    Rename {
        /// 清单编号（见 quanze lists）
        #[arg(long, value_name = "ID")]
        list: u32,
        /// 新名称
        #[arg(long = "to", value_name = "NAME")]
        name: String,
    },
    /// 删除清单及其全部事项（已发布版本、有调整申请或经准入事项的清单不能删除）
    Remove {
        /// 清单编号（见 quanze lists）
        #[arg(long, value_name = "ID")]
        list: u32,
    },
    /// 在一个清单的各列中查找文字（与表格中的 Ctrl+F 相同：不分大小写，按表格显示的内容）
    Find {
        /// 清单编号（见 quanze lists）
        #[arg(long, value_name = "ID")]
        list: u32,
        /// 要查找的文字
        text: String,
        /// 以 JSON 输出（行号从 0 起）
        #[arg(long)]
        json: bool,
    },
}

fn parse_unit_kind(text: &str) -> Result<UnitKind, String> {
    let all = [
        UnitKind::Administrative,
        UnitKind::Institution,
        UnitKind::Dispatched,
        UnitKind::Coordination,
        UnitKind::SelfGoverning,
    ];
    all.into_iter().find(|k| k.label() == text.trim()).ok_or_else(|| {
        format!("不认识的机构类别“{text}”，可用：{}", all.map(UnitKind::label).join("、"))
    })
}

fn parse_list_kind(text: &str) -> Result<ListKind, String> {
    ListKind::parse(text).ok_or_else(|| {
        format!("不认识的清单类别“{text}”，可用：{}", ListKind::ALL.map(ListKind::label).join("、"))
    })
}

/// A unit of the jurisdiction named so, by its exact name.
fn unit_id(api: &Api, jurisdiction: &str, unit: &str) -> Result<u32, ApiError> {
    api.find_unit_in(api.find_jurisdiction(jurisdiction)?, unit)
}

pub fn jurisdiction(api: &mut Api, actor: &str, command: JurisdictionCommand) -> Result<String, ApiError> {
    match command {
        JurisdictionCommand::Add { parent, name, designation } => {
            let parent = parent.map(|p| api.find_jurisdiction(&p)).transpose()?;
            let made = api.create_jurisdiction(parent, &name, designation.as_deref(), actor)?;
            Ok(format!("已新增{}：{}（#{}）\n", made.level.label(), made.name, made.id))
        }
        JurisdictionCommand::Rename { jurisdiction, name, designation } => {
            let id = api.find_jurisdiction(&jurisdiction)?;
            let renamed = api.rename_jurisdiction(id, &name, designation.as_deref(), actor)?;
            let called = renamed.designation.as_deref().unwrap_or(renamed.level.label());
            Ok(format!("已改名：{jurisdiction} → {}（{called}）\n", renamed.name))
        }
        JurisdictionCommand::Remove { jurisdiction } => {
            let removed = api.delete_jurisdiction(api.find_jurisdiction(&jurisdiction)?, actor)?;
            Ok(format!("已删除{}：{}\n", removed.level.label(), removed.name))
        }
    }
}

pub fn unit(api: &mut Api, actor: &str, command: UnitCommand) -> Result<String, ApiError> {
    match command {
        UnitCommand::Add { jurisdiction, name, kind } => {
            let made = api.create_unit(api.find_jurisdiction(&jurisdiction)?, &name, kind, actor)?;
            Ok(format!("已新增机构：{}（{}，#{}）\n", made.name, made.kind.label(), made.id))
        }
        UnitCommand::Rename { jurisdiction, unit, name } => {
            let renamed = api.rename_unit(unit_id(api, &jurisdiction, &unit)?, &name, actor)?;
            Ok(format!("已改名：{unit} → {}\n", renamed.name))
        }
        UnitCommand::Remove { jurisdiction, unit } => {
            let removed = api.delete_unit(unit_id(api, &jurisdiction, &unit)?, actor)?;
            Ok(format!("已删除机构：{}\n", removed.name))
        }
    }
}

pub fn list(api: &mut Api, actor: &str, command: ListCommand) -> Result<String, ApiError> {
    match command {
        ListCommand::Add { jurisdiction, unit, kind, name } => {
            let unit = unit.map(|u| unit_id(api, &jurisdiction, &u)).transpose()?;
            let jurisdiction = api.find_jurisdiction(&jurisdiction)?;
            let made = api.create_list(&NewList { jurisdiction, unit, kind, name }, actor)?;
            Ok(format!("已新建清单：{}（{}，#{}）\n", made.name, made.kind.label(), made.id))
        }
        ListCommand::Rename { list, name } => {
            let renamed = api.rename_list(list, &name, actor)?;
            Ok(format!("已改名：清单 #{list} → {}\n", renamed.name))
        }
        ListCommand::Remove { list } => {
            let removed = api.delete_list(list, actor)?;
            Ok(format!("已删除清单：{}（含 {} 个事项）\n", removed.name, removed.items))
        }
        ListCommand::Find { list, text, json } => find_in_list(api, list, &text, json),
    }
}

/// `quanze list find`: the editor's find over the columns the list shows (its outline's
/// standard fields in use and its extra columns), one line per row that matches.
fn find_in_list(api: &Api, list: u32, text: &str, json: bool) -> Result<String, ApiError> {
    let outline = api.list_outline(list)?;
    let mut fields: Vec<FieldRef> = outline.fields_used.iter().map(|field| FieldRef::Standard(*field)).collect();
    for extra in &outline.extra_headers {
        fields.extend((0..extra.count).map(|index| FieldRef::Extra { header: extra.header.clone(), index }));
    }
    let found = api.find_in_list(list, text, &fields)?;
    crate::output::text_or_json(json, &found, |found| {
        let mut out = format!("{}：共 {} 项，{} 行含“{}”\n", outline.list.name, found.total, found.rows.len(), text.trim());
        for row in &found.rows {
            let columns: Vec<String> = row
                .fields
                .iter()
                .filter_map(|k| fields.get(*k as usize))
                .map(|field| match field {
                    FieldRef::Standard(field) => field.label().to_string(),
                    FieldRef::Extra { header, .. } => header.clone(),
                })
                .collect();
            out.push_str(&format!("第 {} 行（#{}）：{}\n", row.position + 1, row.item, columns.join("、")));
        }
        crate::output::visible(&out).into_owned()
    })
}
