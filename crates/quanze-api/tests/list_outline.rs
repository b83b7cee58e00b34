//! The list editor's outline of a list (ids by position, the columns its items need) and its
//! find over the cells as the grid shows them, across the pages the backend reads (issue 18).

mod backends;

use quanze_api::{FieldRef, ItemField, MAX_FIND_CHARS, MAX_FIND_FIELDS};
use serde_json::json;

const LIST: u32 = 1;
/// More than two of the backend's pages of 5,000, so that reading by page is exercised.
const ITEMS: u32 = 11_000;

fn fixture() -> backends::FreshApi {
    let items: Vec<_> = (1..=ITEMS)
        .map(|n| {
            let mut item = json!({ "id": n, "seq": n.to_string(), "name": format!("事项{n:05}"), "handling_unit": 1 });
            // Only one item far down has an extra column, repeated: the outline still names it twice.
            if n == 10_500 {
                item["extra"] = json!([{ "header": "原编号", "value": "A-1" }, { "header": "原编号", "value": "Zebra" }]);
            }
            if n == 7 {
                item["remarks"] = json!("需要 ZEBRA 标注");
            }
            item
        })
        .collect();
    backends::one_long_list(items)
}

#[test]
fn the_outline_names_every_item_in_order_and_the_columns_of_items_far_down() {
    let api = fixture();
    let outline = api.list_outline(LIST).expect("outline");
    assert_eq!(outline.ids.len(), ITEMS as usize);
    assert_eq!(outline.list.items, ITEMS);
    // The ids in the order list_items gives them, page by page.
    let page = api.list_items(LIST, 5_000, 3).expect("page");
    assert_eq!(&outline.ids[5_000..5_003], page.items.iter().map(|i| i.id).collect::<Vec<_>>().as_slice());
    // 承办机构 holds only a unit id: it counts as used, by the unit's name.
    for field in [ItemField::Seq, ItemField::Name, ItemField::HandlingUnit, ItemField::Remarks] {
        assert!(outline.fields_used.contains(&field), "{field:?} in {:?}", outline.fields_used);
    }
    assert!(!outline.fields_used.contains(&ItemField::Basis));
    assert_eq!(outline.extra_headers.len(), 1);
    assert_eq!((outline.extra_headers[0].header.as_str(), outline.extra_headers[0].count), ("原编号", 2));
}

#[test]
fn find_reads_cells_as_the_grid_shows_them_across_pages() {
    let api = fixture();
    let fields = vec![
        FieldRef::Standard(ItemField::Name),
        FieldRef::Standard(ItemField::HandlingUnit),
        FieldRef::Standard(ItemField::Remarks),
        FieldRef::Extra { header: "原编号".into(), index: 1 },
    ];
    // Latin letters in either case, in a standard field and in the second of two extra fields.
    let found = api.find_in_list(LIST, "  zebra ", &fields).expect("find");
    assert_eq!(found.total, ITEMS);
    let rows: Vec<(u32, Vec<u32>)> = found.rows.iter().map(|r| (r.position, r.fields.clone())).collect();
    assert_eq!(rows, vec![(6, vec![2]), (10_499, vec![3])]);
    assert_eq!(found.rows[1].item, 10_500);
    // A unit field matches by its unit's name: every row.
    let by_unit = api.find_in_list(LIST, "城市管理", &fields).expect("find unit");
    assert_eq!(by_unit.rows.len(), ITEMS as usize);
    assert!(by_unit.rows.iter().all(|r| r.fields == vec![1]));
    // Nothing for an empty query, and nothing in columns not asked for.
    assert!(api.find_in_list(LIST, "   ", &fields).expect("empty").rows.is_empty());
    assert!(api.find_in_list(LIST, "zebra", &fields[..2]).expect("two columns").rows.is_empty());
}

#[test]
fn hostile_requests_are_refused_or_bounded() {
    let api = fixture();
    let long = "字".repeat(MAX_FIND_CHARS + 1);
    let error = api.find_in_list(LIST, &long, &[FieldRef::Standard(ItemField::Name)]).expect_err("too long");
    assert!(error.message.contains("太长"), "{}", error.message);
    let many = vec![FieldRef::Standard(ItemField::Name); MAX_FIND_FIELDS + 1];
    let error = api.find_in_list(LIST, "事项", &many).expect_err("too many fields");
    assert!(error.message.contains("太多"), "{}", error.message);
    // A list that does not exist is an error, not an empty answer.
    assert!(api.list_outline(999).is_err());
    assert!(api.find_in_list(999, "事项", &[FieldRef::Standard(ItemField::Name)]).is_err());
    // A page asks for at most the backend's page, however much is asked.
    assert_eq!(api.list_items(LIST, 0, u32::MAX).expect("page").items.len(), quanze_api::MAX_PAGE as usize);
    assert!(api.list_items(LIST, u32::MAX, u32::MAX).expect("past the end").items.is_empty());
}

#[test]
fn the_sample_district_lists_outline_to_their_lengths() {
    let mut api = backends::fresh_api();
    api.load_sample_district("测试").expect("sample");
    for list in api.lists().expect("lists") {
        let outline = api.list_outline(list.id).expect("outline");
        assert_eq!(outline.ids.len(), list.items as usize, "{}", list.name);
        if list.items > 0 {
            assert!(outline.fields_used.contains(&ItemField::Name), "{}", list.name);
        }
    }
}
