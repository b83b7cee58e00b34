//! Legacy-style workbooks for the importer (`docs/domain.md` §3): the messy layouts offices really mail
//! around, made from the sample district's own data so that an import can be compared with the
//! bundle.

use std::path::{Path, PathBuf};
use std::process::Command;

use quanze_domain::{Bundle, DutyList, Item, Level, ListKind};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// The power list written as `.xlsx` (the Karamay 14-column layout, messy).
pub const POWER_XLSX: &str = "青川区交通运输局2025年权责清单.xlsx";
/// The power list converted to BIFF8 `.xls` by LibreOffice.
pub const POWER_XLS: &str = "青川区水务局2025年权责清单.xls";
/// The community admission list, one sheet per part.
pub const COMMUNITY_XLSX: &str = "青溪社区工作事项准入清单.xlsx";

/// (file, what it is) of `sample-data/legacy/`.
pub const LEGACY_FILES: &[(&str, &str)] = &[
    (
        POWER_XLSX,
        "区交通运输局权责清单，14 列布局（实施层级及权限占两列），`.xlsx`",
    ),
    (
        POWER_XLS,
        "区水务局权责清单，同样布局，由 LibreOffice 转换得到的真正 BIFF8 `.xls`",
    ),
    (
        COMMUNITY_XLSX,
        "青溪社区工作事项准入清单，每部分一个工作表（依法履职 / 协助政府 / 负面清单 / 证明事项）",
    ),
];

/// The quirks put in on purpose, for the README.
pub const QUIRKS: &[&str] = &[
    "第 1 行为跨列合并的标题“青川区××局2025年权责清单”；第 2 行为“部门名称：××局”，同一行最右侧另有“填报日期”单元格。 / Row 1 is a merged title; row 2 holds “部门名称：…” and, far right, a 填报日期 cell.",
    "表头单元格含换行和空格（“事项\\n名称”“序  号”“备  注”）。 / Header cells contain line breaks and spaces.",
    "“实施层级及权限”表头横向合并两列：左列为层级（区级），右列为权限说明；数据行两列分别填写。 / 实施层级及权限 spans two columns (level | authority).",
    "有子项的事项：首行写序号、事项名称和第一个子项，后续子项行序号和事项名称为空（续行）。 / Sub-items continue on rows with blank 序号 and 事项名称.",
    "“行使主体”按权力类型分段纵向合并；有子项的事项“部门职责”纵向合并。 / 行使主体 is merged vertically per power-type block; 部门职责 per item with sub-items.",
    "序号有数值 1、文本“12.0”式的写法，并有一行序号为“2,3”式（一行代表两个序号）。 / 序号 as numbers, as text like `12.0`, and one `n,n+1`.",
    "某事项的“追责情形”被截断，余下文字单独占下一行（仅该列有值）。 / One item’s 追责情形 continues alone on the next row.",
    "数据中间夹有空行，并在中部重复一次表头行（打印分页时常见）。 / Blank rows interleaved; the header row repeated once mid-sheet.",
    "工作簿另有两个空工作表（Sheet2、Sheet3）。 / Two empty extra sheets.",
    "清单中保留了样例埋设的“行政处罚事项缺少实施依据”（交通运输局），实施依据单元格为空。 / The planted item without 实施依据 is kept with an empty cell.",
    "社区准入清单：工作表名带项数（“依法履行职责事项（35项）”）；“是否可出具”写作“可出具/不得出具”；表尾有“咨询电话、责任人”行。 / Community workbook: sheet names carry counts, 可出具/不得出具 words, a contact line at the bottom.",
];

type Result<T> = std::result::Result<T, XlsxError>;

fn properties() -> Result<DocProperties> {
    let created = ExcelDateTime::from_ymd(2025, 3, 1)?;
    Ok(DocProperties::new()
        .set_author("青川区委编办")
        .set_company("江临市青川区")
        .set_creation_datetime(&created))
}

/// The workbooks as bytes, by file name. Deterministic for a given `rust_xlsxwriter`.
pub fn workbooks(bundle: &Bundle) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    if let Some(list) = dept_list(bundle, "交通运输局") {
        out.push((
            POWER_XLSX.to_string(),
            power_workbook(list, "青川区交通运输局")?,
        ));
    }
    if let Some(list) = dept_list(bundle, "水务局") {
        // Written as .xlsx here; converted to .xls by `write_all` when LibreOffice is installed.
        out.push((
            POWER_XLS.replace(".xls", ".xlsx"),
            power_workbook(list, "青川区水务局")?,
        ));
    }
    out.push((
        COMMUNITY_XLSX.to_string(),
        community_workbook(bundle, "青溪社区")?,
    ));
    Ok(out)
}

fn dept_list<'a>(bundle: &'a Bundle, short: &str) -> Option<&'a DutyList> {
    let unit = bundle
        .units
        .iter()
        .find(|u| u.name.ends_with(short) && u.parent.is_none())?;
    bundle
        .lists
        .iter()
        .find(|l| l.unit == Some(unit.id) && l.kind == ListKind::Power)
}

const HEADERS: [&str; 14] = [
    "序  号",
    "事项\n名称",
    "子项\n名称",
    "权力\n类型",
    "实施依据",
    "行使\n主体",
    "承办\n机构",
    "实施层级及权限",
    "部门职责",
    "责任事项\n内容",
    "责任事项\n依据",
    "追责对象\n范围",
    "追责情形",
    "备  注",
];
/// Header index → first sheet column (实施层级及权限 takes two).
fn column(header: usize) -> u16 {
    let h = u16::try_from(header).unwrap_or(0);
    if header <= 7 {
        h
    } else {
        h + 1
    }
}

fn write_header(sheet: &mut Worksheet, row: u32, head: &Format) -> Result<()> {
    for (k, h) in HEADERS.iter().enumerate() {
        let c = column(k);
        if k == 7 {
            sheet.merge_range(row, c, row, c + 1, h, head)?;
        } else {
            sheet.write_string_with_format(row, c, *h, head)?;
        }
    }
    sheet.set_row_height(row, 32)?;
    Ok(())
}

fn power_workbook(list: &DutyList, department: &str) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    book.set_properties(&properties()?);
    let title = Format::new()
        .set_bold()
        .set_font_size(18)
        .set_align(FormatAlign::Center);
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let cell = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);

    let sheet = book.add_worksheet();
    sheet.set_name("Sheet1")?;
    let last_col = column(13);
    sheet.merge_range(
        0,
        0,
        0,
        last_col,
        &format!("{department}2025年权责清单"),
        &title,
    )?;
    sheet.set_row_height(0, 36)?;
    sheet.merge_range(
        1,
        0,
        1,
        4,
        &format!("部门名称：{department}"),
        &Format::new(),
    )?;
    sheet.write_string(1, last_col, "填报日期：2025年3月1日")?;
    write_header(sheet, 2, &head)?;
    for (c, width) in [
        (0u16, 6.0),
        (1, 28.0),
        (2, 20.0),
        (3, 10.0),
        (4, 48.0),
        (5, 14.0),
        (6, 14.0),
        (7, 8.0),
        (8, 30.0),
    ] {
        sheet.set_column_width(c, width)?;
    }
    for c in 9..=last_col {
        sheet.set_column_width(c, 30.0)?;
    }

    // Group the items: an item with sub-items is one number over several rows.
    let mut row: u32 = 3;
    let mut seq = 0u32;
    let mut block_start: Option<(u32, String)> = None;
    let mut index = 0;
    let items = &list.items;
    let mut header_repeated = false;
    let mut written = 0usize;
    while index < items.len() {
        let item = &items[index];
        let mut group: Vec<&Item> = vec![item];
        if item.sub_item.is_some() {
            while let Some(next) = items.get(index + group.len()) {
                if next.name == item.name && next.sub_item.is_some() {
                    group.push(next);
                } else {
                    break;
                }
            }
        }
        index += group.len();
        seq += 1;

        // 行使主体 merged per power-type block.
        let power_type = item.power_type.clone().unwrap_or_default();
        match &block_start {
            Some((_, t)) if *t == power_type => {}
            Some((start, _)) => {
                merge_subject(sheet, *start, row - 1, department, &cell)?;
                block_start = Some((row, power_type.clone()));
            }
            None => block_start = Some((row, power_type.clone())),
        }

        // 序号 written three ways.
        let seq_cell = if seq == 15 {
            seq += 1;
            SeqCell::Text(format!("{},{}", seq - 1, seq))
        } else if seq % 12 == 0 {
            SeqCell::Text(format!("{seq}.0"))
        } else {
            SeqCell::Number(f64::from(seq))
        };
        let first_row = row;
        for (k, it) in group.iter().enumerate() {
            if k == 0 {
                match &seq_cell {
                    SeqCell::Number(n) => sheet.write_number_with_format(row, 0, *n, &cell)?,
                    SeqCell::Text(t) => sheet.write_string_with_format(row, 0, t, &cell)?,
                };
                sheet.write_string_with_format(row, 1, &it.name, &cell)?;
            }
            write_item_row(sheet, row, it, group.len() > 1, &cell)?;
            row += 1;
        }
        if group.len() > 1 {
            let duty = item.department_duty.clone().unwrap_or_default();
            sheet.merge_range(first_row, column(8), row - 1, column(8), &duty, &cell)?;
        }
        // One 追责情形 continues alone on the next row.
        if seq == 7 {
            if let Some(cases) = &item.accountability_cases {
                let chars: Vec<char> = cases.chars().collect();
                let cut = chars.len() / 2;
                let head_part: String = chars[..cut].iter().collect();
                let tail: String = chars[cut..].iter().collect();
                sheet.write_string_with_format(first_row, column(12), head_part, &cell)?;
                sheet.write_string(row, column(12), tail)?;
                row += 1;
            }
        }
        written += group.len();
        // Blank rows interleaved, and the header repeated once mid-sheet.
        if seq % 17 == 0 {
            if let Some((start, t)) = block_start.take() {
                merge_subject(sheet, start, row - 1, department, &cell)?;
                block_start = Some((row + 1, t));
            }
            row += 1;
        }
        if !header_repeated && written >= items.len() / 2 {
            header_repeated = true;
            if let Some((start, t)) = block_start.take() {
                merge_subject(sheet, start, row - 1, department, &cell)?;
                block_start = Some((row + 1, t));
            }
            write_header(sheet, row, &head)?;
            row += 1;
        }
    }
    if let Some((start, _)) = block_start {
        merge_subject(sheet, start, row - 1, department, &cell)?;
    }
    book.add_worksheet().set_name("Sheet2")?;
    book.add_worksheet().set_name("Sheet3")?;
    book.save_to_buffer()
}

enum SeqCell {
    Number(f64),
    Text(String),
}

fn merge_subject(
    sheet: &mut Worksheet,
    first: u32,
    last: u32,
    department: &str,
    cell: &Format,
) -> Result<()> {
    if last > first {
        sheet.merge_range(first, column(5), last, column(5), department, cell)?;
    } else if last == first {
        sheet.write_string_with_format(first, column(5), department, cell)?;
    }
    Ok(())
}

fn write_item_row(
    sheet: &mut Worksheet,
    row: u32,
    item: &Item,
    merged_duty: bool,
    cell: &Format,
) -> Result<()> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let (level, authority) = match item.level_and_authority.as_deref() {
        Some(t) => match t.split_once('：') {
            Some((l, a)) => (l.to_string(), a.to_string()),
            None => (t.to_string(), String::new()),
        },
        None => (String::new(), String::new()),
    };
    let mut cells: Vec<(u16, String)> = vec![
        (column(2), text(&item.sub_item)),
        (column(3), text(&item.power_type)),
        (column(4), text(&item.basis)),
        (column(6), text(&item.handling_unit_text)),
        (column(7), level),
        (column(7) + 1, authority),
        (column(9), text(&item.responsibility)),
        (column(10), text(&item.responsibility_basis)),
        (column(11), text(&item.accountable_scope)),
        (column(12), text(&item.accountability_cases)),
        (column(13), text(&item.remarks)),
    ];
    if !merged_duty {
        cells.push((column(8), text(&item.department_duty)));
    }
    for (c, value) in cells {
        if value.is_empty() {
            sheet.write_blank(row, c, cell)?;
        } else {
            sheet.write_string_with_format(row, c, value, cell)?;
        }
    }
    Ok(())
}

fn community_workbook(bundle: &Bundle, name: &str) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    book.set_properties(&properties()?);
    let Some(community) = bundle
        .jurisdictions
        .iter()
        .find(|j| j.name == name && j.level == Level::Community)
    else {
        return book.save_to_buffer();
    };
    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin);
    let cell = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
    let list = |kind: ListKind| {
        bundle
            .lists
            .iter()
            .find(|l| l.jurisdiction == community.id && l.kind == kind)
    };
    let request_doc = |item: &Item| -> String {
        item.assistance
            .as_ref()
            .and_then(|a| a.admission_request)
            .and_then(|r| bundle.admission_requests.iter().find(|x| x.id == r))
            .and_then(|r| r.doc_no.clone())
            .unwrap_or_default()
    };
    let footer = format!(
        "咨询电话：{}    责任人：{}",
        community.phone.as_deref().unwrap_or(""),
        community.responsible_person.as_deref().unwrap_or("")
    );

    let parts: [(ListKind, &str, Vec<&str>); 4] = [
        (
            ListKind::CommunityByLaw,
            "依法履行职责事项",
            vec!["序号", "事项名称", "类  别", "法律依据", "承办机构"],
        ),
        (
            ListKind::CommunityAssist,
            "依法协助政府工作事项",
            vec![
                "序号",
                "事项名称",
                "申请部门",
                "依  据",
                "经费保障\n（万元/年）",
                "经费来源",
                "人员保障",
                "准入文号",
                "承办机构",
            ],
        ),
        (
            ListKind::CommunityNegative,
            "工作事项负面清单",
            vec!["序号", "事项名称", "依  据"],
        ),
        (
            ListKind::CommunityCertificate,
            "证明事项",
            vec!["序号", "证明名称", "是否\n可出具", "说  明"],
        ),
    ];
    for (kind, part, headers) in parts {
        let Some(l) = list(kind) else { continue };
        let sheet = book.add_worksheet();
        let sheet_name = if kind == ListKind::CommunityNegative {
            "负面清单".to_string()
        } else {
            format!("{part}（{}项）", l.items.len())
        };
        sheet.set_name(sheet_name)?;
        let last = u16::try_from(headers.len() - 1).unwrap_or(0);
        let heading = if part.ends_with("清单") {
            format!("{name}{part}（2025年版）")
        } else {
            format!("{name}{part}清单（2025年版）")
        };
        sheet.merge_range(0, 0, 0, last, &heading, &title)?;
        for (c, h) in headers.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(0);
            sheet.write_string_with_format(1, c, *h, &head)?;
            sheet.set_column_width(c, if c == 0 { 6.0 } else { 24.0 })?;
        }
        let mut row = 2u32;
        for (k, item) in l.items.iter().enumerate() {
            let text = |v: &Option<String>| v.clone().unwrap_or_default();
            let values: Vec<String> = match kind {
                ListKind::CommunityByLaw => vec![
                    item.name.clone(),
                    text(&item.category),
                    text(&item.basis),
                    text(&item.handling_unit_text),
                ],
                ListKind::CommunityAssist => {
                    let a = item.assistance.clone().unwrap_or_default();
                    vec![
                        item.name.clone(),
                        a.requesting_unit_text.unwrap_or_default(),
                        text(&item.basis),
                        a.funding
                            .amount_wan
                            .map(|x| format!("{x}"))
                            .unwrap_or_default(),
                        a.funding.source.unwrap_or_default(),
                        a.staff.note.unwrap_or_default(),
                        request_doc(item),
                        text(&item.handling_unit_text),
                    ]
                }
                ListKind::CommunityNegative => vec![item.name.clone(), text(&item.basis)],
                _ => vec![
                    item.name.clone(),
                    match item.certificate_allowed {
                        Some(true) => "可出具".to_string(),
                        Some(false) => "不得出具".to_string(),
                        None => String::new(),
                    },
                    text(&item.remarks),
                ],
            };
            sheet.write_number_with_format(
                row,
                0,
                f64::from(u32::try_from(k + 1).unwrap_or(0)),
                &cell,
            )?;
            for (c, v) in values.into_iter().enumerate() {
                let c = u16::try_from(c + 1).unwrap_or(0);
                if v.is_empty() {
                    sheet.write_blank(row, c, &cell)?;
                } else {
                    sheet.write_string_with_format(row, c, v, &cell)?;
                }
            }
            row += 1;
        }
        sheet.merge_range(row + 1, 0, row + 1, last, &footer, &Format::new())?;
    }
    book.save_to_buffer()
}

/// Write the workbooks under `sample-data/legacy/`; convert the `.xls` one with LibreOffice
/// when `soffice` is installed (otherwise say how).
pub fn write_all(
    root: &Path,
    bundle: &Bundle,
) -> std::result::Result<Vec<String>, Box<dyn std::error::Error>> {
    let dir = root.join("sample-data/legacy");
    std::fs::create_dir_all(&dir)?;
    let mut written = Vec::new();
    for (file, bytes) in workbooks(bundle)? {
        if file == POWER_XLS.replace(".xls", ".xlsx") {
            let tmp = std::env::temp_dir().join("quanze-sample-gen");
            std::fs::create_dir_all(&tmp)?;
            let source = tmp.join(&file);
            std::fs::write(&source, &bytes)?;
            match convert_to_xls(&source, &dir) {
                Ok(()) => written.push(format!("sample-data/legacy/{POWER_XLS}")),
                Err(why) => eprintln!(
                    "skipped {POWER_XLS}: {why}; install LibreOffice (libreoffice-calc-nogui) and run again"
                ),
            }
            continue;
        }
        std::fs::write(dir.join(&file), &bytes)?;
        written.push(format!("sample-data/legacy/{file}"));
    }
    Ok(written)
}

fn convert_to_xls(source: &Path, out_dir: &Path) -> std::result::Result<(), String> {
    let profile = std::env::temp_dir().join("quanze-lo-profile");
    let profile_url = format!("file://{}", profile.display());
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile_url}"))
        .args(["--headless", "--convert-to", "xls", "--outdir"])
        .arg(out_dir)
        .arg(source)
        .status()
        .map_err(|e| format!("soffice not available ({e})"))?;
    if !status.success() {
        return Err(format!("soffice failed ({status})"));
    }
    let expected: PathBuf = out_dir.join(POWER_XLS);
    if expected.exists() {
        Ok(())
    } else {
        Err("soffice wrote no file".to_string())
    }
}
