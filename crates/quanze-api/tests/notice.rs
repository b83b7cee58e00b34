//! Notices, posters and org charts built from the sample district: the view models the
//! exporters receive, and the files they write.

mod backends;

use quanze_api::{NoticeFormat, NoticeRequest};
use quanze_domain::notice::{OrgChartRow, Orientation};

fn sample() -> backends::FreshApi {
    let mut api = backends::fresh_api();
    api.load_sample_district("测试").expect("sample");
    api
}

#[test]
fn a_street_notice_has_its_three_parts_in_order_with_every_item() {
    let api = sample();
    let street = api.find_jurisdiction("青溪街道").expect("street");
    let lists = api.notice_lists_of(street).expect("lists");
    assert_eq!(lists.len(), 3, "基本 / 配合 / 收回");
    let notice = api.build_notice(&NoticeRequest { lists: lists.clone(), ..NoticeRequest::default() }).expect("notice");
    assert_eq!(notice.heading.title, "青溪街道履行职责事项清单");
    let headings: Vec<&str> = notice.sections.iter().filter_map(|s| s.heading.as_deref()).collect();
    assert!(headings[0].starts_with("一、基本履职事项（"), "{headings:?}");
    assert!(headings[1].starts_with("二、配合履职事项（"), "{headings:?}");
    assert!(headings[2].starts_with("三、上级部门收回事项（"), "{headings:?}");
    let page = api.list_items(lists[1], 0, 10_000).expect("items");
    let section = &notice.sections[1];
    assert_eq!(section.rows.len(), page.items.len());
    let name_column = section.columns.iter().position(|c| c.field == "name").expect("name column");
    let lead_column = section.columns.iter().position(|c| c.field == "lead_unit").expect("lead column");
    for (row, item) in section.rows.iter().zip(&page.items) {
        assert_eq!(row[name_column], item.name);
        assert_eq!(row.len(), section.columns.len());
    }
    assert!(
        section.rows.iter().any(|row| !row[lead_column].is_empty()),
        "配合 items name their lead department"
    );
    assert_eq!(notice.orientation, Orientation::Portrait);
}

#[test]
fn chosen_columns_and_unknown_columns() {
    let api = sample();
    let notice = api
        .build_notice(&NoticeRequest {
            lists: vec![1],
            columns: vec!["name".into(), "power_type".into()],
            title: Some("  关于公布权责清单的公告 ".into()),
            ..NoticeRequest::default()
        })
        .expect("notice");
    assert_eq!(notice.heading.title, "关于公布权责清单的公告");
    assert_eq!(notice.orientation, Orientation::Landscape, "a 权责清单 defaults to landscape");
    let headers: Vec<&str> = notice.sections[0].columns.iter().map(|c| c.header.as_str()).collect();
    assert_eq!(headers, ["事项名称", "权力类型"]);
    let error = api
        .build_notice(&NoticeRequest { lists: vec![1], columns: vec!["nonsense".into()], ..NoticeRequest::default() })
        .expect_err("unknown column");
    assert_eq!(error.code, quanze_api::ErrorCode::InvalidInput);
    assert!(error.message.contains("nonsense"), "{}", error.message);
}

#[test]
fn the_org_chart_of_a_street_has_its_leaders_departments_and_centres() {
    let api = sample();
    let street = api.find_jurisdiction("青溪街道").expect("street");
    let chart = api.org_chart(street).expect("chart");
    assert_eq!(chart.street, "青溪街道");
    assert!(chart.template.as_deref().is_some_and(|t| !t.contains('-')), "template name, not id: {:?}", chart.template);
    assert!(!chart.leaders.is_empty());
    assert!(chart.departments.iter().any(|d| d.row == OrgChartRow::Department));
    assert!(chart.departments.iter().any(|d| d.row == OrgChartRow::Centre));
    let keys: Vec<u32> = chart.leaders.iter().map(|l| l.key).collect();
    for department in &chart.departments {
        for leader in &department.leaders_in_charge {
            assert!(keys.contains(leader), "{} 的分管领导在图中", department.name);
        }
    }
    let svg = api.org_chart_svg(street).expect("svg");
    for department in &chart.departments {
        assert!(svg.contains(&department.name), "{}", department.name);
    }
}

#[test]
fn excel_and_html_notices_are_written_to_disk() {
    let api = sample();
    let dir = tempfile::tempdir().expect("tempdir");
    let street = api.find_jurisdiction("青溪街道").expect("street");
    let lists = api.notice_lists_of(street).expect("lists");
    let request = NoticeRequest { lists, ..NoticeRequest::default() };
    let xlsx = dir.path().join("out").join("street.xlsx");
    api.write_notice(&request, NoticeFormat::Xlsx, &xlsx, None).expect("xlsx");
    let bytes = std::fs::read(&xlsx).expect("read");
    assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip");
    let html = dir.path().join("street.html");
    let notice = api.write_notice(&request, NoticeFormat::Html, &html, None).expect("html");
    let text = std::fs::read_to_string(&html).expect("read");
    let first = &notice.sections[0].rows[0];
    assert!(text.contains(&notice.heading.title));
    assert!(first.iter().filter(|cell| !cell.is_empty()).all(|cell| text.contains(cell.as_str())
        || text.contains(&cell.replace('"', "&quot;"))), "{first:?}");
}
