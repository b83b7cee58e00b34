//! The outline's columns in use are read from the stored documents without their texts
//! (`quanze_store::Reader::columns_in_use`). This guards that shortcut against the items as
//! the editor gets them, texts restored, on every real workbook of `../shared/real-lists` and
//! on the sample district: the same fields, extra columns and 类别, list by list.
//!
//! Missing real-lists: a failure under CI, a printed note otherwise (the sample still runs).
#![allow(clippy::unwrap_used)]

#[path = "../../quanze-import/tests/common/mod.rs"]
mod common;

use quanze_api::Api;
use quanze_domain::{Item, ItemField, ITEM_FIELDS};
use quanze_import::ImportOptions;

/// The columns the grid needs, computed the long way from restored items: a field shows when
/// one item has text in it or (a unit field) a unit.
fn columns_from_items(items: &[Item]) -> (Vec<ItemField>, Vec<(String, u32)>, Vec<String>) {
    let fields = ITEM_FIELDS
        .iter()
        .map(|spec| spec.field)
        .filter(|field| {
            items.iter().any(|item| field.unit(item).is_some() || field.format(item).is_some_and(|t| !t.is_empty()))
        })
        .collect();
    let mut headers: Vec<(String, u32)> = Vec::new();
    for item in items {
        for extra in &item.extra {
            let times = item.extra.iter().filter(|e| e.header == extra.header).count() as u32;
            match headers.iter_mut().find(|(h, _)| *h == extra.header) {
                Some((_, n)) => *n = (*n).max(times),
                None => headers.push((extra.header.clone(), times)),
            }
        }
    }
    let mut categories: Vec<String> = Vec::new();
    for category in items.iter().filter_map(|item| item.category.clone()) {
        if !category.is_empty() && !categories.contains(&category) {
            categories.push(category);
        }
    }
    (fields, headers, categories)
}

/// Every list of the database: the outline's columns against the long way. Returns how many
/// lists had extra columns and how many 类别 (so that the caller knows the comparison covered some).
fn outline_matches_items_in_every_list(api: &Api) -> (usize, usize) {
    let mut with_extras = 0;
    let mut with_categories = 0;
    for list in api.lists().unwrap() {
        let mut items = Vec::new();
        while (items.len() as u32) < list.items {
            let page = api.list_items(list.id, items.len() as u32, 1_000).unwrap().items;
            assert!(!page.is_empty(), "{}: a page short of the count", list.name);
            items.extend(page);
        }
        let outline = api.list_outline(list.id).unwrap();
        let (fields, headers, categories) = columns_from_items(&items);
        assert_eq!(outline.categories, categories, "{}: 类别", list.name);
        with_categories += usize::from(!categories.is_empty());
        assert_eq!(outline.fields_used, fields, "{}: fields in use", list.name);
        let outline_headers: Vec<(String, u32)> =
            outline.extra_headers.iter().map(|e| (e.header.clone(), e.count)).collect();
        assert_eq!(outline_headers, headers, "{}: extra columns", list.name);
        with_extras += usize::from(!headers.is_empty());
    }
    (with_extras, with_categories)
}

#[test]
fn the_columns_in_use_of_real_workbooks_match_their_items() {
    let Some(dir) = common::real_lists() else {
        return;
    };
    let db = tempfile::tempdir().unwrap();
    let mut api = Api::open(&db.path().join("q.db")).unwrap();
    api.import_files(&common::workbooks(&dir), &ImportOptions::default(), "测试").unwrap();
    let (with_extras, _) = outline_matches_items_in_every_list(&api);
    assert!(with_extras > 0, "the real workbooks keep some extra columns");
}

#[test]
fn the_columns_in_use_of_the_sample_district_match_its_items() {
    let db = tempfile::tempdir().unwrap();
    let mut api = Api::open(&db.path().join("q.db")).unwrap();
    api.load_sample_district("测试").unwrap();
    let (_, with_categories) = outline_matches_items_in_every_list(&api);
    assert!(with_categories > 0, "the sample's street and community lists have 类别");
}
