//! Public notices (公示): the view models built from the store, and
//! their export through `quanze-pdf` and `quanze-export`. (Wall posters: `posters.rs`; org
//! charts: `org_chart.rs`.)
//!
//! Exporters never see the database: this module reads lists, items, units and leaders and
//! turns them into `quanze_domain::notice` values; the exporters render only those.

use std::collections::HashMap;
use std::path::Path;

use quanze_domain::notice::{
    Notice, NoticeColumn, NoticeHeading, NoticeSection, Orientation,
};
use quanze_domain::{DutyList, FieldKind, Id, Item, ItemField, Jurisdiction, ListKind, Unit};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Api, ApiError, ErrorCode};

/// What notice to make: which lists (one section each, in this order) and how to head it.
/// Every heading field is optional; sensible defaults come from the lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct NoticeRequest {
    pub lists: Vec<Id>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub doc_no: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub issuing_organ: Option<String>,
    #[serde(default)]
    pub intro: Option<String>,
    /// Field names of the columns (see [`notice_columns`]; `extra:<header>` for an imported
    /// field). Empty: the default columns of each list's kind.
    #[serde(default)]
    pub columns: Vec<String>,
    /// `None`: landscape for 权责清单 (many wide columns), portrait otherwise.
    #[serde(default)]
    pub orientation: Option<Orientation>,
    /// Print a published version (its frozen items) instead of `lists` as they are now; its
    /// 文号 and date are used when `doc_no` and `date` are not given.
    #[serde(default)]
    #[ts(optional)]
    pub version: Option<Id>,
}

/// Output format of a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NoticeFormat {
    Pdf,
    Xlsx,
    Html,
}

impl NoticeFormat {
    pub fn parse(text: &str) -> Option<NoticeFormat> {
        match text.trim().to_ascii_lowercase().as_str() {
            "pdf" => Some(NoticeFormat::Pdf),
            "xlsx" | "excel" => Some(NoticeFormat::Xlsx),
            "html" | "htm" => Some(NoticeFormat::Html),
            _ => None,
        }
    }
}

/// What a notice column prints: one field of the table under its print header, or the 协助
/// group's 经费 (amount and source) or 人员 (count and note) as one column each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Printed {
    Field(ItemField),
    Funding,
    Staff,
}

/// The columns a notice can show, in the column picker's order, by the names `--columns` and
/// the app use. A field's name is its key, except 可否出具, which notices call
/// `certificate_allowed` (the item's own key for it).
const NOTICE_COLUMNS: [(&str, Printed); 26] = [
    ("seq", Printed::Field(ItemField::Seq)),
    ("code", Printed::Field(ItemField::Code)),
    ("name", Printed::Field(ItemField::Name)),
    ("sub_item", Printed::Field(ItemField::SubItem)),
    ("power_type", Printed::Field(ItemField::PowerType)),
    ("category", Printed::Field(ItemField::Category)),
    ("basis", Printed::Field(ItemField::Basis)),
    ("subject", Printed::Field(ItemField::Subject)),
    ("handling_unit", Printed::Field(ItemField::HandlingUnit)),
    ("level_and_authority", Printed::Field(ItemField::LevelAndAuthority)),
    ("department_duty", Printed::Field(ItemField::DepartmentDuty)),
    ("responsibility", Printed::Field(ItemField::Responsibility)),
    ("responsibility_basis", Printed::Field(ItemField::ResponsibilityBasis)),
    ("accountable_scope", Printed::Field(ItemField::AccountableScope)),
    ("accountability_cases", Printed::Field(ItemField::AccountabilityCases)),
    ("supervision_phone", Printed::Field(ItemField::SupervisionPhone)),
    ("lead_unit", Printed::Field(ItemField::LeadUnit)),
    ("superior_duty", Printed::Field(ItemField::SuperiorDuty)),
    ("street_duty", Printed::Field(ItemField::StreetDuty)),
    ("receiving_unit", Printed::Field(ItemField::ReceivingUnit)),
    ("working_method", Printed::Field(ItemField::WorkingMethod)),
    ("requesting_unit", Printed::Field(ItemField::RequestingUnit)),
    ("funding", Printed::Funding),
    ("staff", Printed::Staff),
    ("certificate_allowed", Printed::Field(ItemField::Certificate)),
    ("remarks", Printed::Field(ItemField::Remarks)),
];

impl Printed {
    fn of(name: &str) -> Option<Printed> {
        NOTICE_COLUMNS.iter().find(|(n, _)| *n == name).map(|(_, printed)| *printed)
    }

    fn header(self) -> &'static str {
        match self {
            Printed::Field(field) => field.spec().print_header.unwrap_or(field.label()),
            Printed::Funding => "经费保障",
            Printed::Staff => "人员保障",
        }
    }
}

/// The standard columns a notice can show: (column name, printed header), in the column
/// picker's order.
pub fn notice_columns() -> Vec<(&'static str, &'static str)> {
    NOTICE_COLUMNS.iter().map(|(name, printed)| (*name, printed.header())).collect()
}

/// The columns a notice of this kind shows unless the user picks others.
pub fn default_notice_fields(kind: ListKind) -> &'static [&'static str] {
    match kind {
        // 责任事项 and 追责情形 are long and make a 600-item list run to 250 landscape pages;
        // they are one `--columns` away for a full 权责清单 notice.
        ListKind::Power => &["seq", "name", "sub_item", "power_type", "basis", "handling_unit", "remarks"],
        ListKind::StreetBasic => &["seq", "name", "category", "basis", "remarks"],
        ListKind::StreetCoordination => &["seq", "name", "lead_unit", "superior_duty", "street_duty", "remarks"],
        ListKind::StreetWithdrawn => &["seq", "name", "receiving_unit", "working_method", "remarks"],
        ListKind::CommunityByLaw | ListKind::CommunityNegative => &["seq", "name", "basis", "remarks"],
        ListKind::CommunityAssist => &["seq", "name", "requesting_unit", "basis", "funding", "remarks"],
        ListKind::CommunityCertificate => &["seq", "name", "certificate_allowed", "basis", "remarks"],
        ListKind::UnitDuties | ListKind::UnitTasks | ListKind::UnitResponsibilities => {
            &["seq", "name", "department_duty", "basis", "remarks"]
        }
        ListKind::CommunityService => &["seq", "name", "department_duty", "remarks"],
    }
}

/// The printed header of a field, or `None` for an unknown field name.
pub fn notice_field_header(field: &str) -> Option<String> {
    if let Some(header) = field.strip_prefix("extra:") {
        return (!header.trim().is_empty()).then(|| header.to_string());
    }
    Printed::of(field).map(|printed| printed.header().to_string())
}

/// The columns a notice can show, as (field name, printed header), and one kind's defaults:
/// what the app's column picker offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoticeFields {
    pub fields: Vec<(String, String)>,
    pub defaults: Vec<String>,
}

/// [`notice_columns`] and the defaults of `kind`.
pub fn notice_fields(kind: ListKind) -> NoticeFields {
    NoticeFields {
        fields: notice_columns().into_iter().map(|(f, h)| (f.to_string(), h.to_string())).collect(),
        defaults: default_notice_fields(kind).iter().map(|f| (*f).to_string()).collect(),
    }
}

/// Where a notice preview links its stylesheet; the app puts [`NoticePreview::css`] there.
pub const NOTICE_PREVIEW_CSS_HREF: &str = "quanze-notice.css";

/// A notice as the app previews it: the HTML document with its stylesheet linked (no inline
/// style, no script: it can be shown under a strict CSP) and the stylesheet's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NoticePreview {
    pub html: String,
    pub css: String,
    pub rows: u32,
}

/// Chinese ordinal for section headings: 一、二、… 十、十一、…
fn chinese_ordinal(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// What the heading of a section says a list is.
fn section_title(list: &DutyList) -> String {
    match list.kind {
        ListKind::StreetBasic => "基本履职事项".to_string(),
        ListKind::StreetCoordination => "配合履职事项".to_string(),
        ListKind::StreetWithdrawn => "上级部门收回事项".to_string(),
        ListKind::CommunityByLaw => "依法履行职责事项".to_string(),
        ListKind::CommunityAssist => "依法协助政府工作事项".to_string(),
        ListKind::CommunityNegative => "负面清单".to_string(),
        ListKind::CommunityCertificate => "证明事项".to_string(),
        _ => list.name.clone(),
    }
}

/// Names of units by id, for columns that show a referenced unit.
pub(crate) struct UnitNames(pub(crate) HashMap<Id, String>);

impl UnitNames {
    fn name(&self, id: Option<Id>, text: Option<&String>) -> String {
        id.and_then(|id| self.0.get(&id).cloned())
            .or_else(|| text.cloned())
            .unwrap_or_default()
    }
}

fn whole_or_decimal(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// The text of one field of an item, as printed.
pub(crate) fn field_text(item: &Item, field: &str, row: usize, units: &UnitNames) -> String {
    if let Some(header) = field.strip_prefix("extra:") {
        return item
            .extra
            .iter()
            .filter(|extra| extra.header == header)
            .map(|extra| extra.value.as_str())
            .collect::<Vec<_>>()
            .join("\n");
    }
    let assistance = item.assistance.as_ref();
    match Printed::of(field) {
        // 序号 as written in the list; a list without one is numbered in order.
        Some(Printed::Field(ItemField::Seq)) => item.seq.clone().unwrap_or_else(|| (row + 1).to_string()),
        Some(Printed::Field(field)) if field.kind() == FieldKind::Unit => {
            units.name(field.unit(item), field.format(item).as_ref())
        }
        Some(Printed::Field(field)) => field.format(item).unwrap_or_default(),
        Some(Printed::Funding) => assistance.map_or_else(String::new, |a| {
            let amount = a.funding.amount_wan.map(|v| format!("{}万元", whole_or_decimal(v)));
            [amount, a.funding.source.clone()].into_iter().flatten().collect::<Vec<_>>().join("，")
        }),
        Some(Printed::Staff) => assistance.map_or_else(String::new, |a| {
            let count = a.staff.count.map(|n| format!("{n}人"));
            [count, a.staff.note.clone()].into_iter().flatten().collect::<Vec<_>>().join("，")
        }),
        None => String::new(),
    }
}

/// Everything a notice needs from the store, read once.
struct NoticeSource {
    jurisdictions: Vec<Jurisdiction>,
    units: Vec<Unit>,
    lists: Vec<(DutyList, Vec<Item>)>,
}

impl NoticeSource {
    fn unit_names(&self) -> UnitNames {
        UnitNames(self.units.iter().map(|u| (u.id, u.name.clone())).collect())
    }

    fn jurisdiction_name(&self, id: Id) -> String {
        self.jurisdictions
            .iter()
            .find(|j| j.id == id)
            .map(|j| j.name.clone())
            .unwrap_or_default()
    }
}

/// The default title of a notice of these lists.
fn default_title(source: &NoticeSource) -> String {
    let kinds: Vec<ListKind> = source.lists.iter().map(|(l, _)| l.kind).collect();
    let first = source.lists.first().map(|(l, _)| l);
    let place = first.map(|l| source.jurisdiction_name(l.jurisdiction)).unwrap_or_default();
    let street_kinds = [ListKind::StreetBasic, ListKind::StreetCoordination, ListKind::StreetWithdrawn];
    let community_kinds = [
        ListKind::CommunityByLaw,
        ListKind::CommunityAssist,
        ListKind::CommunityNegative,
        ListKind::CommunityCertificate,
    ];
    if kinds.len() > 1 && kinds.iter().all(|k| street_kinds.contains(k)) {
        format!("{place}履行职责事项清单")
    } else if kinds.len() > 1 && kinds.iter().all(|k| community_kinds.contains(k)) {
        format!("{place}工作事项准入清单")
    } else {
        source.lists.iter().map(|(l, _)| l.name.as_str()).collect::<Vec<_>>().join("、")
    }
}

/// Build the notice of `request` from what was read.
fn notice_from(source: &NoticeSource, request: &NoticeRequest) -> Result<Notice, ApiError> {
    let units = source.unit_names();
    let numbered = source.lists.len() > 1;
    let mut sections = Vec::new();
    for (n, (list, items)) in source.lists.iter().enumerate() {
        let fields: Vec<String> = if request.columns.is_empty() {
            default_notice_fields(list.kind).iter().map(|f| (*f).to_string()).collect()
        } else {
            request.columns.clone()
        };
        let columns = fields
            .iter()
            .map(|field| {
                notice_field_header(field)
                    .map(|header| NoticeColumn { header, field: field.clone() })
                    .ok_or_else(|| {
                        ApiError::invalid_input(format!(
                            "未知的栏目“{field}”，可用：{}，或 extra:原表头",
                            NOTICE_COLUMNS.iter().map(|(f, _)| *f).collect::<Vec<_>>().join("、")
                        ))
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let rows = items
            .iter()
            .enumerate()
            .map(|(row, item)| fields.iter().map(|field| field_text(item, field, row, &units)).collect())
            .collect();
        let heading = numbered.then(|| {
            format!("{}、{}（{}项）", chinese_ordinal(n + 1), section_title(list), items.len())
        });
        sections.push(NoticeSection { heading, columns, rows });
    }
    let orientation = request.orientation.unwrap_or_else(|| {
        if source.lists.iter().any(|(l, _)| l.kind == ListKind::Power) {
            Orientation::Landscape
        } else {
            Orientation::Portrait
        }
    });
    let clean = |value: &Option<String>| value.as_ref().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    Ok(Notice {
        heading: NoticeHeading {
            issuing_organ: clean(&request.issuing_organ),
            doc_no: clean(&request.doc_no),
            title: clean(&request.title).unwrap_or_else(|| default_title(source)),
            date: clean(&request.date),
            intro: clean(&request.intro),
        },
        sections,
        orientation,
    })
}

/// Safe file name for a jurisdiction or a title: path separators and control characters replaced.
pub(crate) fn file_stem(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') { '_' } else { c })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').to_string();
    if trimmed.is_empty() {
        "未命名".to_string()
    } else {
        trimmed
    }
}

pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ApiError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| ApiError::new(ErrorCode::Io, format!("无法创建文件夹 {}：{e}", parent.display())))?;
    }
    // Whole or not at all: a kill or a full disk leaves the earlier file (atomic_file.rs).
    crate::atomic_file::write_bytes_atomically(path, bytes)
        .map_err(|e| ApiError::new(ErrorCode::Io, format!("无法写入 {}：{e}", path.display())))
}

impl Api {
    /// What a notice prints, and the request with a version's 文号 and date filled in.
    fn notice_source(&self, request: &NoticeRequest) -> Result<(NoticeSource, NoticeRequest), ApiError> {
        let reader = self.store.reader();
        if let Some(version) = request.version {
            let version = self.version(version)?;
            let list = reader.list(version.list)?;
            let mut filled = request.clone();
            if filled.doc_no.as_deref().is_none_or(|t| t.trim().is_empty()) {
                filled.doc_no.clone_from(&version.doc_no);
            }
            if filled.date.as_deref().is_none_or(|t| t.trim().is_empty()) {
                filled.date = Some(version.published_on.format("%Y年%-m月%-d日").to_string());
            }
            let source = NoticeSource {
                jurisdictions: reader.jurisdictions()?,
                units: reader.units()?,
                lists: vec![(list, version.items)],
            };
            return Ok((source, filled));
        }
        Ok((self.current_notice_source(&request.lists)?, request.clone()))
    }

    fn current_notice_source(&self, lists: &[Id]) -> Result<NoticeSource, ApiError> {
        if lists.is_empty() {
            return Err(ApiError::invalid_input("请至少选择一份清单"));
        }
        let reader = self.store.reader();
        let mut chosen = Vec::new();
        for id in lists {
            let list = reader
                .list(*id)
                .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("找不到清单 #{id}")))?;
            let items = reader.items(*id, 0, u32::MAX)?;
            chosen.push((list, items));
        }
        Ok(NoticeSource {
            jurisdictions: reader.jurisdictions()?,
            units: reader.units()?,
            lists: chosen,
        })
    }

    /// A list by id (digits) or by exact name; an ambiguous or unknown name is an error
    /// listing the candidates.
    pub fn find_list(&self, id_or_name: &str) -> Result<Id, ApiError> {
        let lists = self.store.reader().lists()?;
        let wanted = id_or_name.trim();
        if let Ok(id) = wanted.parse::<Id>() {
            if lists.iter().any(|l| l.id == id) {
                return Ok(id);
            }
        }
        let named: Vec<&DutyList> = lists.iter().filter(|l| l.name == wanted).collect();
        match named.as_slice() {
            [one] => Ok(one.id),
            [] => Err(ApiError::new(ErrorCode::NotFound, format!("找不到清单“{wanted}”（可用 quanze lists 查看清单编号）"))),
            many => Err(ApiError::invalid_input(format!(
                "名为“{wanted}”的清单有 {} 份，请用编号：{}",
                many.len(),
                many.iter().map(|l| l.id.to_string()).collect::<Vec<_>>().join("、")
            ))),
        }
    }

    /// The lists of a jurisdiction that make up its published notice: a street's three
    /// parts, a community's four, in the order of the list kinds.
    pub fn notice_lists_of(&self, jurisdiction: Id) -> Result<Vec<Id>, ApiError> {
        let mut lists: Vec<DutyList> = self
            .store
            .reader()
            .lists()?
            .into_iter()
            .filter(|l| l.jurisdiction == jurisdiction && l.unit.is_none() && l.kind.expected_level().is_some())
            .collect();
        lists.sort_by_key(|l| (l.kind, l.id));
        if lists.is_empty() {
            return Err(ApiError::new(ErrorCode::NotFound, "该辖区没有街道履职清单或社区准入清单".to_string()));
        }
        Ok(lists.into_iter().map(|l| l.id).collect())
    }

    /// The notice of the requested lists, as the exporters will render it.
    pub fn build_notice(&self, request: &NoticeRequest) -> Result<Notice, ApiError> {
        let (source, request) = self.notice_source(request)?;
        notice_from(&source, &request)
    }

    /// Render the notice of `request` as `format` into `out`. `templates` is a folder of
    /// user-edited notice templates (HTML only; missing files fall back to the built-in ones).
    pub fn write_notice(
        &self,
        request: &NoticeRequest,
        format: NoticeFormat,
        out: &Path,
        templates: Option<&Path>,
    ) -> Result<Notice, ApiError> {
        let (source, request) = self.notice_source(request)?;
        let notice = notice_from(&source, &request)?;
        let names: Vec<String> = source.lists.iter().map(|(l, _)| section_title(l)).collect();
        let raw: Vec<quanze_export::RawSection<'_>> = source
            .lists
            .iter()
            .zip(&names)
            .map(|((_, items), name)| quanze_export::RawSection { name, items })
            .collect();
        write_file(out, &notice_bytes(&notice, format, &raw, templates)?)?;
        Ok(notice)
    }

    /// The notice of `request` as HTML from the built-in templates, for the in-app preview.
    pub fn notice_preview(&self, request: &NoticeRequest) -> Result<NoticePreview, ApiError> {
        let notice = self.build_notice(request)?;
        let templates = quanze_export::NoticeTemplates::builtin().map_err(export_error)?;
        let html = templates
            .render_notice(&notice, quanze_export::Stylesheet::Linked(NOTICE_PREVIEW_CSS_HREF))
            .map_err(export_error)?;
        Ok(NoticePreview {
            html,
            css: templates.notice_css().to_string(),
            rows: u32::try_from(notice.row_count()).unwrap_or(u32::MAX),
        })
    }
}

pub(crate) fn pdf_error(error: quanze_pdf::PdfError) -> ApiError {
    let code = if matches!(error, quanze_pdf::PdfError::NoCjkFont) {
        ErrorCode::FontMissing
    } else if error.is_user_error() {
        ErrorCode::InvalidInput
    } else {
        ErrorCode::Export
    };
    ApiError::new(code, error.to_string())
}

fn export_error(error: quanze_export::ExportError) -> ApiError {
    let code = if error.is_user_error() { ErrorCode::InvalidInput } else { ErrorCode::Export };
    ApiError::new(code, error.to_string())
}

/// A notice rendered as `format`: PDF, Excel (with `raw` as its 原始数据 sheet) or HTML (from
/// `templates` when given, the built-in ones otherwise). Every notice is written through here.
pub(crate) fn notice_bytes(
    notice: &Notice,
    format: NoticeFormat,
    raw: &[quanze_export::RawSection<'_>],
    templates: Option<&Path>,
) -> Result<Vec<u8>, ApiError> {
    Ok(match format {
        NoticeFormat::Pdf => {
            let fonts = quanze_pdf::FontSet::discover(None).map_err(pdf_error)?;
            quanze_pdf::render_notice(notice, &quanze_pdf::PdfOptions::new(&fonts)).map_err(pdf_error)?
        }
        NoticeFormat::Xlsx => quanze_export::write_notice_xlsx(notice, raw).map_err(export_error)?,
        NoticeFormat::Html => {
            let templates = match templates {
                Some(dir) => quanze_export::NoticeTemplates::load(dir),
                None => quanze_export::NoticeTemplates::builtin(),
            }
            .map_err(export_error)?;
            templates.render_notice(notice, quanze_export::Stylesheet::Embedded).map_err(export_error)?.into_bytes()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_ordinals() {
        assert_eq!(chinese_ordinal(1), "一");
        assert_eq!(chinese_ordinal(10), "十");
        assert_eq!(chinese_ordinal(12), "十二");
        assert_eq!(chinese_ordinal(23), "二十三");
    }

    #[test]
    fn every_default_field_has_a_header() {
        for kind in ListKind::ALL {
            for field in default_notice_fields(kind) {
                assert!(notice_field_header(field).is_some(), "{kind:?} {field}");
            }
        }
        assert_eq!(notice_field_header("extra:联系人").as_deref(), Some("联系人"));
        assert_eq!(notice_field_header("nonsense"), None);
    }

    #[test]
    fn every_field_of_the_table_can_be_printed_once() {
        // A field with a print header is a column of its own; the others are printed inside
        // 经费保障 / 人员保障. A field added to the table without its column here fails.
        for spec in quanze_domain::ITEM_FIELDS {
            let columns = NOTICE_COLUMNS.iter().filter(|(_, p)| *p == Printed::Field(spec.field)).count();
            match spec.print_header {
                Some(_) => assert_eq!(columns, 1, "{:?} is not a notice column", spec.field),
                None => assert!(
                    matches!(
                        spec.field,
                        ItemField::FundingAmount | ItemField::FundingSource | ItemField::StaffCount | ItemField::StaffNote
                    ),
                    "{:?} has no print header and is in no combined column",
                    spec.field
                ),
            }
        }
        let names: std::collections::HashSet<&str> = NOTICE_COLUMNS.iter().map(|(n, _)| *n).collect();
        assert_eq!(names.len(), NOTICE_COLUMNS.len());
    }

    /// Guards the app's preview under its CSP: the stylesheet is linked (the app supplies it with
    /// the nonce), never inline, and item text stays escaped.
    #[test]
    fn notice_preview_links_its_stylesheet_and_escapes_item_text() -> Result<(), ApiError> {
        let mut api = Api::open_in_memory()?;
        api.load_sample_district("测试")?;
        let list = api.lists()?.into_iter().find(|l| l.items > 0).ok_or_else(|| ApiError::invalid_input("no list"))?;
        let request = NoticeRequest {
            lists: vec![list.id],
            title: Some("<script>alert(1)</script>公示".to_string()),
            ..NoticeRequest::default()
        };
        let preview = api.notice_preview(&request)?;
        assert!(preview.html.contains(&format!("href=\"{NOTICE_PREVIEW_CSS_HREF}\"")));
        assert!(!preview.html.contains("<style"));
        assert!(!preview.html.contains("<script>alert"));
        assert!(preview.html.contains("&lt;script&gt;alert(1)"));
        assert!(!preview.css.is_empty());
        assert_eq!(preview.rows, list.items);
        Ok(())
    }

    #[test]
    fn file_stems_have_no_path_separators() {
        assert_eq!(file_stem("../春华/社区"), "_春华_社区");
        assert_eq!(file_stem("  "), "未命名");
    }
}
