//! Wall posters (上墙) of a street's communities: the view models built from the store with the
//! street's poster settings (which lists, which columns), and their PDF files.
//!
//! A poster shows every list the street chose — 依法履职, 协助政府, 负面清单, 证明事项 (as two
//! blocks: 保留可出具 and 不得出具, as each item says) and the 社区服务清单 — each entry with the
//! columns chosen, by default the unit that handles it. A column without a value is left out.

use std::path::{Path, PathBuf};

use quanze_domain::notice::{CommunityPoster, PosterDetail, PosterEntry, PosterSection, PosterSettings};
use quanze_domain::{DutyList, Id, Item, Jurisdiction, Level, ListKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::notice::{field_text, file_stem, notice_field_header, pdf_error, write_file, UnitNames};
use crate::{Api, ApiError, ErrorCode, LongWork};

/// Where and what [`Api::write_posters`] wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PostersWritten {
    pub files: Vec<String>,
    pub communities: u32,
}

/// What the poster options of the 公示 screen offer for a street: its settings (saved, or the
/// default), the lists and the columns one can choose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PosterChoices {
    pub settings: PosterSettings,
    /// Whether the street has saved its own settings (else `settings` is the default).
    pub saved: bool,
    /// (list kind, what the poster calls it), in the usual order.
    pub lists: Vec<(ListKind, String)>,
    /// (column name, printed label), in the column picker's order.
    pub columns: Vec<(String, String)>,
}

/// The columns a poster can print under an entry's name: the notice columns without 序号 and
/// 事项名称 (the number and the name are always there).
fn poster_columns() -> Vec<(String, String)> {
    crate::notice_columns()
        .into_iter()
        .filter(|(name, _)| !matches!(*name, "seq" | "name"))
        .map(|(name, header)| (name.to_string(), poster_column_label(name).unwrap_or(header).to_string()))
        .collect()
}

/// A poster's own word for a column where it differs from the notice header.
fn poster_column_label(column: &str) -> Option<&'static str> {
    match column {
        "handling_unit" => Some("承办机构"),
        "requesting_unit" => Some("提出部门"),
        _ => None,
    }
}

/// What a poster calls a list kind.
fn list_label(kind: ListKind) -> &'static str {
    match kind {
        ListKind::CommunityByLaw => "依法履行职责事项",
        ListKind::CommunityAssist => "依法协助政府工作事项",
        ListKind::CommunityNegative => "负面清单",
        ListKind::CommunityCertificate => "证明事项",
        ListKind::CommunityService => "社区服务事项",
        other => other.label(),
    }
}

/// The settings with the name and number columns taken out, checked: known community lists
/// and columns, each once, at least one list.
pub fn checked_poster_settings(settings: &PosterSettings) -> Result<PosterSettings, ApiError> {
    let mut lists = Vec::new();
    for kind in &settings.lists {
        if !PosterSettings::LISTS.contains(kind) {
            return Err(ApiError::invalid_input(format!(
                "上墙公示不能包含“{}”，可选：{}",
                kind.label(),
                PosterSettings::LISTS.map(|k| k.label()).join("、")
            )));
        }
        if !lists.contains(kind) {
            lists.push(*kind);
        }
    }
    if lists.is_empty() {
        return Err(ApiError::invalid_input("上墙公示请至少选择一份清单"));
    }
    let mut columns: Vec<String> = Vec::new();
    for column in &settings.columns {
        let column = column.trim();
        if matches!(column, "seq" | "name" | "") {
            continue;
        }
        if notice_field_header(column).is_none() {
            return Err(ApiError::invalid_input(format!(
                "未知的栏目“{column}”，可用：{}，或 extra:原表头",
                poster_columns().into_iter().map(|(c, _)| c).collect::<Vec<_>>().join("、")
            )));
        }
        if !columns.iter().any(|c| c == column) {
            columns.push(column.to_string());
        }
    }
    Ok(PosterSettings { lists, columns })
}

/// The unit that handles an item as a poster prints it: 承办机构, else 行使主体, else the 协助
/// item's 提出部门 (whichever the item has).
fn handling_unit(item: &Item, units: &UnitNames) -> Option<PosterDetail> {
    [("handling_unit", "承办机构"), ("subject", "责任主体"), ("requesting_unit", "提出部门")]
        .into_iter()
        .map(|(field, label)| (label, field_text(item, field, 0, units)))
        .find(|(_, text)| !text.trim().is_empty())
        .map(|(label, text)| PosterDetail { label: label.to_string(), text })
}

/// One item as a poster entry with the chosen columns that have a value.
fn poster_entry(item: &Item, columns: &[String], units: &UnitNames) -> PosterEntry {
    let details = columns
        .iter()
        .filter_map(|column| {
            if column == "handling_unit" {
                return handling_unit(item, units);
            }
            let text = field_text(item, column, 0, units);
            let label = poster_column_label(column)
                .map(str::to_string)
                .or_else(|| notice_field_header(column))?;
            (!text.trim().is_empty()).then(|| PosterDetail { label, text: text.trim().to_string() })
        })
        .collect();
    PosterEntry { name: item.label(), note: None, details }
}

/// The poster sections of one list kind, or none when the community has no such list: one
/// section, or for 证明事项 one per answer the items give (可出具, 不得出具, not stated).
fn poster_sections(
    lists: &[(DutyList, Vec<Item>)],
    kind: ListKind,
    columns: &[String],
    units: &UnitNames,
) -> Vec<PosterSection> {
    let Some((_, items)) = lists.iter().find(|(l, _)| l.kind == kind) else {
        return Vec::new();
    };
    let section = |heading: &str, items: &[&Item]| PosterSection {
        heading: format!("{heading}（{}项）", items.len()),
        entries: items.iter().map(|item| poster_entry(item, columns, units)).collect(),
    };
    if kind != ListKind::CommunityCertificate {
        return vec![section(list_label(kind), &items.iter().collect::<Vec<_>>())];
    }
    let with = |answer: Option<bool>| items.iter().filter(|i| i.certificate_allowed == answer).collect::<Vec<_>>();
    let (allowed, refused, unstated) = (with(Some(true)), with(Some(false)), with(None));
    let mut sections = vec![section("保留的证明事项（可出具）", &allowed)];
    if !refused.is_empty() || allowed.is_empty() {
        sections.push(section("不得出具的证明事项", &refused));
    }
    if !unstated.is_empty() {
        sections.push(section("证明事项（未注明可否出具）", &unstated));
    }
    sections
}

impl Api {
    /// The street a jurisdiction's posters follow: the street itself, or a community's street.
    fn poster_street<'a>(jurisdictions: &'a [Jurisdiction], place: &'a Jurisdiction) -> Option<&'a Jurisdiction> {
        match place.level {
            Level::Street => Some(place),
            Level::Community => place.parent.and_then(|p| jurisdictions.iter().find(|j| j.id == p)),
            Level::District => None,
        }
    }

    /// The poster settings of a street (or of a community's street) with what can be chosen.
    pub fn poster_choices(&self, jurisdiction: Id) -> Result<PosterChoices, ApiError> {
        let jurisdictions = self.store.reader().jurisdictions()?;
        let place = find_place(&jurisdictions, jurisdiction)?;
        let saved = Api::poster_street(&jurisdictions, place).and_then(|s| s.poster_settings.clone());
        Ok(PosterChoices {
            saved: saved.is_some(),
            settings: saved.unwrap_or_default(),
            lists: PosterSettings::LISTS.iter().map(|k| (*k, list_label(*k).to_string())).collect(),
            columns: poster_columns(),
        })
    }

    /// Keep `settings` as the street's own (an audited write of the street); `None` goes back
    /// to the default. Returns them as kept.
    pub fn set_poster_settings(
        &mut self,
        street: Id,
        settings: Option<&PosterSettings>,
        actor: &str,
    ) -> Result<PosterChoices, ApiError> {
        let mut place = self
            .store
            .reader()
            .jurisdiction(street)
            .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("找不到辖区 #{street}")))?;
        if place.level != Level::Street {
            return Err(ApiError::invalid_input(format!("“{}”不是街道：上墙公示的设置保存在街道", place.name)));
        }
        let base = place.clone();
        place.poster_settings = settings.map(checked_poster_settings).transpose()?;
        let reason = format!("设置{}的社区上墙公示内容", place.name);
        self.store.write(actor, Some(&reason), |w| w.put_over(&mut place, &base))?;
        self.poster_choices(street)
    }

    /// The wall posters of every community of a street (or of one community), in tree order,
    /// with the street's poster settings.
    pub fn community_posters(&self, jurisdiction: Id) -> Result<Vec<CommunityPoster>, ApiError> {
        self.community_posters_with(jurisdiction, None)
    }

    /// [`Api::community_posters`] with `settings` instead of the street's.
    pub fn community_posters_with(
        &self,
        jurisdiction: Id,
        settings: Option<&PosterSettings>,
    ) -> Result<Vec<CommunityPoster>, ApiError> {
        let reader = self.store.reader();
        let jurisdictions = reader.jurisdictions()?;
        let place = find_place(&jurisdictions, jurisdiction)?;
        let communities: Vec<&Jurisdiction> = match place.level {
            Level::Community => vec![place],
            Level::Street => jurisdictions
                .iter()
                .filter(|j| j.parent == Some(place.id) && j.level == Level::Community)
                .collect(),
            Level::District => {
                return Err(ApiError::invalid_input(format!("“{}”是区，请选择一个街道或社区", place.name)))
            }
        };
        if communities.is_empty() {
            return Err(ApiError::new(ErrorCode::NotFound, format!("“{}”下没有社区", place.name)));
        }
        let settings = match settings {
            Some(chosen) => checked_poster_settings(chosen)?,
            None => Api::poster_street(&jurisdictions, place)
                .and_then(|s| s.poster_settings.clone())
                .unwrap_or_default(),
        };
        let units = UnitNames(crate::views::unit_names(&reader)?);
        let all_lists = reader.lists()?;
        let mut posters = Vec::new();
        for community in communities {
            let street = community
                .parent
                .and_then(|p| jurisdictions.iter().find(|j| j.id == p))
                .map(|j| j.name.clone())
                .unwrap_or_default();
            let mut lists = Vec::new();
            // Only the lists the poster shows are read.
            for list in all_lists
                .iter()
                .filter(|l| l.jurisdiction == community.id && l.unit.is_none() && settings.lists.contains(&l.kind))
            {
                lists.push((list.clone(), reader.items(list.id, 0, u32::MAX)?));
            }
            let sections = settings
                .lists
                .iter()
                .flat_map(|kind| poster_sections(&lists, *kind, &settings.columns, &units))
                .collect();
            posters.push(CommunityPoster {
                community: community.name.clone(),
                street,
                title: format!("{}工作事项准入清单", community.name),
                contact_phone: community.phone.clone(),
                responsible_person: community.responsible_person.clone(),
                sections,
                footer: None,
            });
        }
        Ok(posters)
    }

    /// Posters of every community of `jurisdiction` (a street, or one community) as PDF, with
    /// the street's settings: one file per community in `out_dir` (`<社区>上墙公示.pdf`), or
    /// all in one file (`<街道>社区上墙公示.pdf`) when `single_file`.
    pub fn write_posters(&self, jurisdiction: Id, out_dir: &Path, single_file: bool) -> Result<PostersWritten, ApiError> {
        let never = std::sync::atomic::AtomicBool::new(false);
        self.write_posters_with_progress(jurisdiction, out_dir, single_file, None, &LongWork::new(&never, &|_| {}))
    }

    /// [`Api::write_posters`] with `settings` instead of the street's (when given) and a
    /// progress step per community, stopping between communities when cancelled (the files
    /// already written are complete and stay; the message names how many).
    pub fn write_posters_with_progress(
        &self,
        jurisdiction: Id,
        out_dir: &Path,
        single_file: bool,
        settings: Option<&PosterSettings>,
        work: &LongWork<'_>,
    ) -> Result<PostersWritten, ApiError> {
        let posters = self.community_posters_with(jurisdiction, settings)?;
        let total = posters.len();
        let fonts = quanze_pdf::FontSet::discover(None).map_err(pdf_error)?;
        let options = quanze_pdf::PosterOptions::new(&fonts);
        let mut files = Vec::new();
        if single_file {
            if !work.step(format!("正在生成 {total} 个社区的上墙公示"), 0, total) {
                return Err(ApiError::new(ErrorCode::Cancelled, "已取消，没有生成文件"));
            }
            let place = self.store.reader().jurisdiction(jurisdiction)?.name;
            let path: PathBuf = out_dir.join(format!("{}社区上墙公示.pdf", file_stem(&place)));
            write_file(&path, &quanze_pdf::render_posters(&posters, &options).map_err(pdf_error)?)?;
            files.push(path.display().to_string());
        } else {
            for (index, poster) in posters.iter().enumerate() {
                if !work.step(format!("正在生成 {}（{}/{total}）", poster.community, index + 1), index, total) {
                    return Err(ApiError::new(
                        ErrorCode::Cancelled,
                        format!("已取消：已生成 {} 个社区的上墙公示（共 {total} 个），保存在 {}", files.len(), out_dir.display()),
                    ));
                }
                let path = out_dir.join(format!("{}上墙公示.pdf", file_stem(&poster.community)));
                let bytes = quanze_pdf::render_posters(std::slice::from_ref(poster), &options).map_err(pdf_error)?;
                write_file(&path, &bytes)?;
                files.push(path.display().to_string());
            }
        }
        work.step("上墙公示已生成".to_string(), total, total);
        Ok(PostersWritten {
            files,
            communities: u32::try_from(posters.len()).unwrap_or(u32::MAX),
        })
    }
}

fn find_place(jurisdictions: &[Jurisdiction], id: Id) -> Result<&Jurisdiction, ApiError> {
    jurisdictions
        .iter()
        .find(|j| j.id == id)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("找不到辖区 #{id}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_and_cleaned() {
        let settings = PosterSettings {
            lists: vec![ListKind::CommunityService, ListKind::CommunityByLaw, ListKind::CommunityService],
            columns: vec!["name".into(), "handling_unit".into(), "basis".into(), "basis".into()],
        };
        let checked = checked_poster_settings(&settings).expect("valid");
        assert_eq!(checked.lists, vec![ListKind::CommunityService, ListKind::CommunityByLaw]);
        assert_eq!(checked.columns, vec!["handling_unit".to_string(), "basis".to_string()]);
        let street = PosterSettings { lists: vec![ListKind::StreetBasic], columns: Vec::new() };
        assert!(checked_poster_settings(&street).is_err());
        let unknown = PosterSettings { lists: vec![ListKind::CommunityByLaw], columns: vec!["办理时限".into()] };
        assert!(checked_poster_settings(&unknown).is_err_and(|error| error.message.contains("办理时限")));
        let none = PosterSettings { lists: Vec::new(), columns: Vec::new() };
        assert!(checked_poster_settings(&none).is_err());
    }
}
