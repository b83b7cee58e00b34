//! The search index after a big load: queued, found meanwhile, and filled on a thread of its
//! own with its own connection while the caller's connection stays usable.

use quanze_api::Api;

#[test]
fn a_big_load_is_indexed_in_the_background_while_the_database_stays_usable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("q.db");
    let mut api = Api::open(&path).expect("open");
    api.load_sample_district("测试").expect("sample");
    let backlog = api.search_index_backlog().expect("backlog");
    assert!(backlog > 2_000, "the sample district is too big to index inside its load: {backlog}");
    let before = api.search("安全生产", 10_000).expect("search while queued");
    assert!(!before.is_empty());

    let indexing = quanze_api::catch_up_search_index_in_background(path.clone());
    // The caller keeps reading meanwhile.
    api.overview().expect("overview while indexing");
    indexing.join().expect("thread").expect("indexing");

    assert_eq!(api.search_index_backlog().expect("backlog"), 0);
    let after = api.search("安全生产", 10_000).expect("search through the index");
    let ids = |hits: &[quanze_api::SearchHit]| {
        let mut ids: Vec<u32> = hits.iter().map(|h| h.item.id).collect();
        ids.sort_unstable();
        ids
    };
    assert_eq!(ids(&before), ids(&after), "the index finds what the queued search found");
}
