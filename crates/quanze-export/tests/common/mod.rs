//! Notices, items and org charts the tests share, written out so that a reader sees the data.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use quanze_domain::notice::{
    CommunityPoster, Notice, NoticeColumn, NoticeHeading, NoticeSection, OrgChart,
    OrgChartDepartment, OrgChartLeader, OrgChartRow, Orientation, PosterDetail, PosterEntry, PosterSection,
};
use quanze_domain::{
    Assistance, Coordination, ExtraField, Funding, Item, Provenance, StaffSupport, Withdrawal,
};

pub fn extra(header: &str, value: &str) -> ExtraField {
    ExtraField {
        header: header.to_string(),
        value: value.to_string(),
    }
}

fn some(text: &str) -> Option<String> {
    Some(text.to_string())
}

/// Items of a 权责清单 as the importer leaves them (trimmed, short fields on one line), with
/// the values that break naive writers and readers: formula-like text, numbered names that look
/// like section titles, a name that looks like a footer note, duplicated extra headers.
pub fn power_items() -> Vec<Item> {
    vec![
    Item {
        id: 101,
        seq: some("1"),
        code: some("650200207XK016"),
        name: "建设工程规划许可证核发".to_string(),
        power_type: some("行政许可"),
        basis: some("【法律】《中华人民共和国城乡规划法》第四十条：在城市、镇规划区内进行建筑物、构筑物、道路、管线和其他工程建设的，建设单位或者个人应当向城市、县人民政府城乡规划主管部门申请办理建设工程规划许可证。\n【法规】《新疆维吾尔自治区实施〈城乡规划法〉办法》第三十二条。"),
        subject: some("青川区自然资源局"),
        handling_unit_text: some("规划科"),
        level_and_authority: some("区县级：负责本行政区域内建设工程规划许可"),
        responsibility: some("1.受理责任：公示依法应当提交的材料，一次性告知补正材料。\n2.审查责任：对申请材料进行审查。"),
        accountable_scope: some("直接负责的主管人员和其他直接责任人员"),
        accountability_cases: some("对符合法定条件的申请不予受理的"),
        remarks: some("-"),
        supervision_phone: some("+86 0990-6888888"),
        extra: vec![
            extra("办理时限", "20个工作日"),
            extra("附件", "申请表"),
            extra("附件", "=HYPERLINK(\"http://example.invalid\",\"点击\")"),
            extra("导入推断", "行使主体：青川区自然资源局（标题行“青川区自然资源局权责清单”）"),
        ],
        provenance: Some(Provenance {
            file: "自然资源局权责清单.xls".to_string(),
            sheet: "行政许可（11项）".to_string(),
            row: 5,
            merged_rows: vec![6, 7],
        }),
        ..Item::default()
    },
    Item {
        id: 102,
        seq: some("1.0"),
        name: "=SUM(A1:A9)".to_string(),
        sub_item: some("@子项"),
        power_type: some("行政处罚"),
        basis: some("+【规章】某某办法"),
        subject: some("青川区自然资源局"),
        extra: vec![extra("办理时限", "-5日")],
        ..Item::default()
    },
    // Only a name that starts like a section title: a lone cell would be read as "一、…"
    // heading by the importer; the id column keeps it an item.
    Item {
        id: 103,
        name: "一、行政许可".to_string(),
        ..Item::default()
    },
    // A footer-note look-alike ("注：" starts the importer's footer rows).
    Item {
        id: 104,
        name: "注：对违法占地的处罚".to_string(),
        power_type: some("行政处罚"),
        ..Item::default()
    },
    // Bookkeeping from an earlier round trip: replaced, not duplicated, by the next export.
    Item {
        id: 105,
        seq: some("2,3"),
        name: "对未取得建设工程规划许可证进行建设的处罚".to_string(),
        power_type: some("行政处罚"),
        category: some("城乡建设"),
        department_duty: some("负责城乡规划管理工作"),
        responsibility_basis: some("《行政处罚法》"),
        extra: vec![
            extra("导出·编号", "9"),
            extra("导出·来源文件", "上次公示.xlsx"),
            extra("救济渠道", "行政复议\n行政诉讼"),
        ],
        provenance: Some(Provenance {
            file: "上次公示.xlsx".to_string(),
            sheet: "原始数据".to_string(),
            row: 3,
            merged_rows: vec![],
        }),
        ..Item::default()
    },
    ]
}

/// Items of a street's 配合履职 and 收回 lists and a community's lists.
pub fn street_items() -> Vec<Item> {
    vec![
        Item {
            id: 201,
            seq: some("1"),
            name: "城市道路占用审批的配合".to_string(),
            coordination: Some(Coordination {
                lead_unit: Some(17),
                lead_unit_text: some("区住房和城乡建设局"),
                superior_duty: some("负责审批、监管"),
                street_duty: some("发现违法占道及时报告"),
            }),
            ..Item::default()
        },
        Item {
            id: 202,
            seq: some("2"),
            name: "户外广告设置审批".to_string(),
            withdrawal: Some(Withdrawal {
                receiving_unit: None,
                receiving_unit_text: some("区城市管理局"),
                working_method: some("由区城市管理局直接办理"),
            }),
            ..Item::default()
        },
        Item {
            id: 203,
            name: "协助开展人口抽样调查".to_string(),
            certificate_allowed: Some(true),
            assistance: Some(Assistance {
                requesting_unit: Some(3),
                requesting_unit_text: some("区统计局"),
                funding: Funding {
                    amount_wan: Some(2.5),
                    source: some("区财政专项"),
                },
                staff: StaffSupport {
                    count: Some(1),
                    note: some("购买服务岗位1名"),
                },
                admission_request: None,
            }),
            ..Item::default()
        },
    ]
}

/// The value of a notice column for an item (what the api does when it builds a notice).
pub fn field_text(item: &Item, field: &str) -> String {
    if let Some(header) = field.strip_prefix("extra:") {
        return item
            .extra
            .iter()
            .filter(|e| e.header == header)
            .map(|e| e.value.as_str())
            .collect::<Vec<_>>()
            .join("；");
    }
    let text = match field {
        "seq" => item.seq.as_deref(),
        "code" => item.code.as_deref(),
        "name" => Some(item.name.as_str()),
        "sub_item" => item.sub_item.as_deref(),
        "power_type" => item.power_type.as_deref(),
        "category" => item.category.as_deref(),
        "basis" => item.basis.as_deref(),
        "subject" => item.subject.as_deref(),
        "handling_unit" => item.handling_unit_text.as_deref(),
        "level_and_authority" => item.level_and_authority.as_deref(),
        "responsibility" => item.responsibility.as_deref(),
        "remarks" => item.remarks.as_deref(),
        "lead_unit" => item
            .coordination
            .as_ref()
            .and_then(|c| c.lead_unit_text.as_deref()),
        "street_duty" => item
            .coordination
            .as_ref()
            .and_then(|c| c.street_duty.as_deref()),
        "superior_duty" => item
            .coordination
            .as_ref()
            .and_then(|c| c.superior_duty.as_deref()),
        "working_method" => item
            .withdrawal
            .as_ref()
            .and_then(|w| w.working_method.as_deref()),
        "receiving_unit" => item
            .withdrawal
            .as_ref()
            .and_then(|w| w.receiving_unit_text.as_deref()),
        _ => None,
    };
    text.unwrap_or("").to_string()
}

pub fn columns(spec: &[(&str, &str)]) -> Vec<NoticeColumn> {
    spec.iter()
        .map(|(header, field)| NoticeColumn {
            header: header.to_string(),
            field: field.to_string(),
        })
        .collect()
}

pub fn section(heading: Option<&str>, spec: &[(&str, &str)], items: &[Item]) -> NoticeSection {
    let columns = columns(spec);
    NoticeSection {
        heading: heading.map(str::to_string),
        rows: items
            .iter()
            .map(|item| columns.iter().map(|c| field_text(item, &c.field)).collect())
            .collect(),
        columns,
    }
}

pub const POWER_COLUMNS: [(&str, &str); 7] = [
    ("序号", "seq"),
    ("事项名称", "name"),
    ("子项名称", "sub_item"),
    ("权力类型", "power_type"),
    ("实施依据", "basis"),
    ("行使主体", "subject"),
    ("备注", "remarks"),
];

pub fn heading() -> NoticeHeading {
    NoticeHeading {
        issuing_organ: some("中共青川区委机构编制委员会办公室"),
        doc_no: some("青编办〔2026〕12号"),
        title: "关于公布青川区自然资源局权责清单的公告".to_string(),
        date: some("2026年11月23日"),
        intro: some("根据《关于推行地方各级政府工作部门权力清单制度的指导意见》，现将青川区自然资源局权责清单予以公布。\n本清单自公布之日起施行。"),
    }
}

/// A one-section 权责清单 notice of [`power_items`].
pub fn power_notice() -> Notice {
    Notice {
        heading: heading(),
        sections: vec![section(
            Some("一、行政权力事项（5项）"),
            &POWER_COLUMNS,
            &power_items(),
        )],
        orientation: Orientation::Landscape,
    }
}

/// A street's three-part notice: sections with different columns.
pub fn street_notice() -> (Notice, Vec<Item>, Vec<Item>) {
    let items = street_items();
    let basic = power_items();
    let notice = Notice {
        heading: NoticeHeading {
            title: "东湖街道履行职责事项清单".to_string(),
            ..NoticeHeading::default()
        },
        sections: vec![
            section(
                Some("一、基本履职事项"),
                &[("序号", "seq"), ("事项名称", "name"), ("类别", "category")],
                &basic,
            ),
            section(
                Some("二、配合履职事项"),
                &[
                    ("序号", "seq"),
                    ("事项名称", "name"),
                    ("主责部门", "lead_unit"),
                    ("街道配合职责", "street_duty"),
                ],
                &items,
            ),
        ],
        orientation: Orientation::Portrait,
    };
    (notice, basic, items)
}

pub fn poster() -> CommunityPoster {
    CommunityPoster {
        community: "春华社区".to_string(),
        street: "青川区东湖街道".to_string(),
        title: "春华社区工作事项准入清单".to_string(),
        contact_phone: some("0990-6221234"),
        responsible_person: some("李春华"),
        sections: vec![
            PosterSection {
                heading: "依法履行职责事项".to_string(),
                entries: vec![
                    PosterEntry {
                        name: "组织居民开展自治活动".to_string(),
                        note: None,
                        details: Vec::new(),
                    },
                    PosterEntry {
                        name: "<script>alert(\"x\")</script>".to_string(),
                        note: some("\"引号\" & 'single'"),
                        details: vec![PosterDetail {
                            label: "承办机构".to_string(),
                            text: "<b>居委会</b>".to_string(),
                        }],
                    },
                ],
            },
            PosterSection {
                heading: "负面清单".to_string(),
                entries: vec![PosterEntry {
                    name: "为辖区单位出具无法核实的证明".to_string(),
                    note: None,
                    details: Vec::new(),
                }],
            },
        ],
        footer: some("青川区东湖街道办事处　2026年11月"),
    }
}

fn department(
    name: &str,
    row: OrgChartRow,
    leaders: &[u32],
    figures: [Option<u32>; 4],
) -> OrgChartDepartment {
    OrgChartDepartment {
        name: name.to_string(),
        row,
        admin_posts: figures[0],
        institution_posts: figures[1],
        actual_headcount: figures[2],
        leader_posts: figures[3],
        leaders_in_charge: leaders.to_vec(),
        members: None,
        posts: Vec::new(),
    }
}

/// A street organized on 一办七部两中心, with one department under two leaders and one under
/// none (the chart draws what the data says).
pub fn org_chart() -> OrgChart {
    let leader = |key: u32, name: &str, post: &str| OrgChartLeader {
        key,
        name: name.to_string(),
        post: post.to_string(),
    };
    use OrgChartRow::{Centre, Department, Dispatched};
    OrgChart {
        street: "东湖街道".to_string(),
        template: some("一办七部两中心"),
        leaders: vec![
            leader(1, "王建国", "党工委书记"),
            leader(2, "李明", "党工委副书记、办事处主任"),
            leader(3, "张华", "党工委委员、副主任"),
            leader(4, "赵雪", "党工委委员、武装部长"),
        ],
        departments: vec![
            department(
                "党政综合办公室",
                Department,
                &[2],
                [Some(5), None, Some(5), Some(2)],
            ),
            department(
                "党建工作办公室",
                Department,
                &[1],
                [Some(4), None, Some(3), Some(1)],
            ),
            department(
                "经济发展办公室",
                Department,
                &[2],
                [Some(3), Some(1), Some(4), Some(1)],
            ),
            department(
                "城市管理办公室",
                Department,
                &[3],
                [Some(4), None, Some(4), Some(1)],
            ),
            department(
                "社会事务办公室",
                Department,
                &[3, 4],
                [Some(3), Some(2), Some(5), Some(1)],
            ),
            department(
                "平安建设办公室",
                Department,
                &[4],
                [Some(3), None, Some(2), Some(1)],
            ),
            department(
                "<b>公共服务</b>&\"办公室\"",
                Department,
                &[],
                [None, None, None, None],
            ),
            department(
                "党群服务中心",
                Centre,
                &[1],
                [None, Some(8), Some(7), Some(1)],
            ),
            department(
                "综合行政执法队（综合行政执法办公室）",
                Centre,
                &[3],
                [None, Some(12), Some(10), Some(2)],
            ),
            department("派出所", Dispatched, &[4], [None, None, Some(20), None]),
        ],
    }
}

/// A chart with `n` departments and leaders in charge spread over four leaders.
pub fn big_org_chart(n: usize) -> OrgChart {
    let mut chart = org_chart();
    chart.departments = (0..n)
        .map(|i| {
            department(
                &format!("第{}业务办公室", i + 1),
                if i % 5 == 4 {
                    OrgChartRow::Centre
                } else {
                    OrgChartRow::Department
                },
                &[(i % 4) as u32 + 1],
                [
                    Some(i as u32 % 6 + 1),
                    Some(i as u32 % 3),
                    Some(i as u32 % 7 + 1),
                    Some(1),
                ],
            )
        })
        .collect();
    chart
}
