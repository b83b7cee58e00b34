//! `quanze export` and `quanze merge` from the outside, as the exchange issue describes the
//! round trip: the district sends 青溪街道 its package; the street (a database of its own) adds,
//! deletes and renames an item and sends it back; the district, which meanwhile changed another
//! item, merges. Plus: a conflict stops the merge until decided, a package altered by one
//! character is refused, merging twice changes nothing.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{json, ok, quanze};
use serde_json::Value;

const STREET: &str = "青溪街道";
const STREET_LIST: &str = "青溪街道基本履职事项清单";

fn text(output: &Output) -> (String, String) {
    (String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn dump(db: &Path) -> Value {
    json(quanze(db, &["dump", "--format", "json"]))
}

/// The items of the list named `name` in a dump.
fn items_of<'a>(dump: &'a Value, name: &str) -> &'a Vec<Value> {
    dump["lists"]
        .as_array()
        .and_then(|lists| lists.iter().find(|l| l["name"] == name))
        .and_then(|l| l["items"].as_array())
        .unwrap_or_else(|| panic!("no list {name}"))
}

fn list_id(db: &Path, name: &str) -> String {
    let d = dump(db);
    let list = d["lists"].as_array().and_then(|ls| ls.iter().find(|l| l["name"] == name)).expect("list");
    list["id"].to_string()
}

/// Everything a database holds, by uid, without row ids and positions (two databases number
/// rows differently): what "the same content" means across offices.
fn content_by_uid(dump: &Value) -> std::collections::BTreeMap<String, Value> {
    let mut out = std::collections::BTreeMap::new();
    let mut keep = |value: &Value| {
        let mut value = value.clone();
        let uid = value["uid"].as_str().unwrap_or_default().to_string();
        if let Some(map) = value.as_object_mut() {
            map.remove("id");
            map.remove("items");
        }
        out.insert(uid, value);
    };
    for section in ["jurisdictions", "units", "leaders", "admission_requests"] {
        for entity in dump[section].as_array().into_iter().flatten() {
            keep(entity);
        }
    }
    for list in dump["lists"].as_array().into_iter().flatten() {
        keep(list);
    }
    out
}

struct Offices {
    _dir: tempfile::TempDir,
    district: PathBuf,
    street: PathBuf,
    folder: PathBuf,
}

/// The district with the sample; the street's database made from the district's package.
fn offices() -> Offices {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().to_path_buf();
    let district = folder.join("区委编办.db");
    let street = folder.join("青溪街道.db");
    ok(quanze(&district, &["load-sample"]));
    let sent = folder.join("青溪街道.qzb.yaml");
    let exported = ok(quanze(&district, &["export", "--jurisdiction", STREET, "--out", sent.to_str().expect("path")]));
    assert!(exported.contains("校验值"), "{exported}");
    ok(quanze(&street, &["load", sent.to_str().expect("path")]));
    Offices { _dir: dir, district, street, folder }
}

fn street_returns(offices: &Offices, name: &str) -> PathBuf {
    let back = offices.folder.join(name);
    ok(quanze(&offices.street, &["export", "--jurisdiction", STREET, "--out", back.to_str().expect("path")]));
    back
}

#[test]
fn a_street_package_comes_back_merged_with_the_districts_own_change_kept_and_a_second_merge_changes_nothing() {
    let offices = offices();
    let street_list = list_id(&offices.street, STREET_LIST);
    let before = dump(&offices.street);
    let items = items_of(&before, STREET_LIST);
    let (first, second, third, fourth) = (&items[0], &items[1], &items[2], &items[3]);
    let id = |item: &Value| item["id"].to_string();
    // The street: one item added, one deleted, one renamed.
    ok(quanze(&offices.street, &["item", "add", "--list", &street_list, "--name", "街道新增的事项", "--after", &id(second)]));
    ok(quanze(&offices.street, &["item", "delete", "--list", &street_list, "--item", &id(fourth)]));
    ok(quanze(&offices.street, &["edit", "--list", &street_list, "--item", &id(third), "--field", "事项名称", "--value", "街道改过的名称"]));
    let back = street_returns(&offices, "青溪街道-回.qzb.yaml");
    // Meanwhile the district changed another item.
    let district_list = list_id(&offices.district, STREET_LIST);
    let district_items = items_of(&dump(&offices.district), STREET_LIST).clone();
    let first_here = district_items.iter().find(|i| i["uid"] == first["uid"]).expect("same uid in the district");
    ok(quanze(&offices.district, &["edit", "--list", &district_list, "--item", &id(first_here), "--field", "实施依据", "--value", "区里改过的依据"]));

    let report = json(quanze(&offices.district, &["merge", back.to_str().expect("path"), "--json"]));
    assert_eq!(report["added"].as_array().map(Vec::len), Some(1), "{report}");
    assert_eq!(report["removed"].as_array().map(Vec::len), Some(1), "{report}");
    assert_eq!(report["changed"].as_array().map(Vec::len), Some(1), "{report}");
    assert_eq!(report["conflicts"].as_array().map(Vec::len), Some(0), "{report}");
    assert_eq!(report["changed"][0]["field"], "name");
    assert_eq!(report["changed"][0]["after"], "街道改过的名称");
    assert_eq!(report["applied"], true);

    let merged = dump(&offices.district);
    let names: Vec<&str> = items_of(&merged, STREET_LIST).iter().filter_map(|i| i["name"].as_str()).collect();
    assert_eq!(&names[..4], [
        first["name"].as_str().expect("name"),
        second["name"].as_str().expect("name"),
        "街道新增的事项",
        "街道改过的名称",
    ], "the added item stands where the street put it");
    assert!(!names.contains(&fourth["name"].as_str().expect("name")), "the deleted item is gone");
    let kept = items_of(&merged, STREET_LIST).iter().find(|i| i["uid"] == first["uid"]).expect("first");
    assert_eq!(kept["basis"], "区里改过的依据", "the district's own change is kept");
    let history = json(quanze(&offices.district, &["history", "--json", "--limit", "10"]));
    let entry = history.as_array().and_then(|h| h.iter().find(|e| e["entity"] == "数据包")).expect("the merge's own entry");
    assert!(entry["label"].as_str().is_some_and(|l| l.contains(STREET)), "{entry}");
    assert_eq!(entry["after"]["发出单位"], STREET, "the entry names the producer");

    // The same package again: nothing to do, nothing written.
    let entries_before = json(quanze(&offices.district, &["history", "--json", "--limit", "100000"])).as_array().map(Vec::len);
    let again = json(quanze(&offices.district, &["merge", back.to_str().expect("path"), "--json"]));
    for part in ["added", "changed", "removed", "conflicts"] {
        assert_eq!(again[part].as_array().map(Vec::len), Some(0), "{part}: {again}");
    }
    assert_eq!(dump(&offices.district), merged);
    let entries_after = json(quanze(&offices.district, &["history", "--json", "--limit", "100000"])).as_array().map(Vec::len);
    assert_eq!(entries_before, entries_after);

    // Both offices now hold the same street, up to the district's own change.
    let street_now = content_by_uid(&dump(&offices.street));
    let district_now = content_by_uid(&merged);
    for (uid, value) in &street_now {
        assert_eq!(district_now.get(uid), Some(value), "entity {uid}");
    }
}

#[test]
fn a_conflict_stops_the_merge_with_exit_1_until_resolved_and_theirs_is_then_audited() {
    let offices = offices();
    let street_list = list_id(&offices.street, STREET_LIST);
    let district_list = list_id(&offices.district, STREET_LIST);
    let street_item = items_of(&dump(&offices.street), STREET_LIST)[5].clone();
    let uid = street_item["uid"].as_str().expect("uid").to_string();
    ok(quanze(&offices.street, &["edit", "--list", &street_list, "--item", &street_item["id"].to_string(), "--field", "备注", "--value", "街道的备注"]));
    let district_item = items_of(&dump(&offices.district), STREET_LIST).iter().find(|i| i["uid"] == uid.as_str()).expect("item").clone();
    ok(quanze(&offices.district, &["edit", "--list", &district_list, "--item", &district_item["id"].to_string(), "--field", "备注", "--value", "区里的备注"]));
    let back = street_returns(&offices, "回.qzb.yaml");
    let before = dump(&offices.district);

    let stopped = quanze(&offices.district, &["merge", back.to_str().expect("path"), "--json"]);
    assert_eq!(stopped.status.code(), Some(1), "{:?}", text(&stopped));
    let report: Value = serde_json::from_slice(&stopped.stdout).expect("the report on stdout");
    let conflict = &report["conflicts"][0];
    assert_eq!(report["conflicts"].as_array().map(Vec::len), Some(1), "{report}");
    for key in ["entity", "id", "field", "base", "ours", "theirs"] {
        assert!(conflict.get(key).is_some(), "{key} in {conflict}");
    }
    assert_eq!((conflict["id"].as_str(), conflict["field"].as_str()), (Some(uid.as_str()), Some("remarks")));
    assert_eq!((conflict["ours"].as_str(), conflict["theirs"].as_str()), (Some("区里的备注"), Some("街道的备注")));
    assert_eq!(report["applied"], false);
    assert_eq!(dump(&offices.district), before, "a conflict leaves the database unchanged");

    // Decided by a file, as the app does per conflict: ours.
    let decisions = offices.folder.join("决定.json");
    std::fs::write(&decisions, serde_json::json!([{ "id": uid, "field": "remarks", "take": "ours" }]).to_string()).expect("write");
    let dry = quanze(&offices.district, &["merge", back.to_str().expect("path"), "--decisions", decisions.to_str().expect("path"), "--dry-run"]);
    assert_eq!(dry.status.code(), Some(0), "{:?}", text(&dry));
    assert_eq!(dump(&offices.district), before, "a dry run writes nothing");

    let resolved = json(quanze(&offices.district, &["merge", back.to_str().expect("path"), "--resolve", "theirs", "--json"]));
    assert_eq!(resolved["applied"], true);
    let after = dump(&offices.district);
    let item = items_of(&after, STREET_LIST).iter().find(|i| i["uid"] == uid.as_str()).expect("item");
    assert_eq!(item["remarks"], "街道的备注");
    let history = json(quanze(&offices.district, &["history", "--json", "--limit", "20"]));
    assert!(
        history.as_array().into_iter().flatten().any(|e| e["entity"] == "事项" && e["after"]["remarks"] == "街道的备注"),
        "the field change is audited: {history}"
    );
}

#[test]
fn a_package_altered_by_one_character_is_refused_and_nothing_changes() {
    let offices = offices();
    let back = street_returns(&offices, "回.qzb.yaml");
    let original = std::fs::read_to_string(&back).expect("read");
    let at = original.find("name: 青溪街道").expect("a name to alter");
    let altered = format!("{}name: 青漠街道{}", &original[..at], &original[at + "name: 青溪街道".len()..]);
    std::fs::write(&back, altered).expect("write");
    let before = dump(&offices.district);
    let refused = quanze(&offices.district, &["merge", back.to_str().expect("path")]);
    assert_eq!(refused.status.code(), Some(1));
    let (_, err) = text(&refused);
    assert!(err.contains("已损坏或被改动"), "{err}");
    assert_eq!(dump(&offices.district), before);
    let into_new = offices.folder.join("新.db");
    let load = quanze(&into_new, &["load", back.to_str().expect("path")]);
    assert_eq!(load.status.code(), Some(1), "load refuses it too");
}

#[test]
fn a_package_whose_content_is_already_here_is_merged_not_loaded_again() {
    let offices = offices();
    let back = street_returns(&offices, "回.qzb.yaml");
    let load = quanze(&offices.district, &["load", back.to_str().expect("path")]);
    assert_eq!(load.status.code(), Some(1));
    let (_, err) = text(&load);
    assert!(err.contains("合并数据包"), "{err}");
}

#[test]
fn a_dump_loaded_again_is_refused_and_merging_it_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = dir.path().join("甲.db");
    ok(quanze(&first, &["load-sample"]));
    let dump_file = dir.path().join("dump.yaml");
    std::fs::write(&dump_file, ok(quanze(&first, &["dump"]))).expect("write");
    let second = dir.path().join("乙.db");
    ok(quanze(&second, &["load", dump_file.to_str().expect("path")]));
    let before = dump(&second);
    let again = quanze(&second, &["load", dump_file.to_str().expect("path")]);
    assert_eq!(again.status.code(), Some(1), "loading the same dump twice would copy every list");
    let (_, err) = text(&again);
    assert!(err.contains("合并数据包"), "{err}");
    let report = json(quanze(&second, &["merge", dump_file.to_str().expect("path"), "--json"]));
    for part in ["added", "changed", "removed", "conflicts"] {
        assert_eq!(report[part].as_array().map(Vec::len), Some(0), "{part}: {report}");
    }
    assert_eq!(dump(&second), before);
}

#[test]
fn packages_of_two_districts_merge_into_one_city_store_without_clashes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let district = dir.path().join("区.db");
    ok(quanze(&district, &["load-sample"]));
    let city = dir.path().join("市.db");
    // Two districts: the sample, and a second database made from the same sample file (so
    // the second one has uids of its own).
    let other = dir.path().join("另一区.db");
    let sample = dir.path().join("sample.yaml");
    std::fs::write(&sample, ok(quanze(&district, &["dump"])).replace("uid:", "former_uid_dropped:")).expect("write");
    let plain: String = std::fs::read_to_string(&sample)
        .expect("read")
        .lines()
        .filter(|l| !l.trim_start().starts_with("former_uid_dropped:"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&sample, plain.replace("青川区", "青山区")).expect("write");
    ok(quanze(&other, &["load", sample.to_str().expect("path")]));
    for (db, name, file) in [(&district, "青川区", "青川区.qzb.yaml"), (&other, "青山区", "青山区.qzb.yaml")] {
        let package = dir.path().join(file);
        ok(quanze(db, &["export", "--jurisdiction", name, "--out", package.to_str().expect("path")]));
        let report = json(quanze(&city, &["merge", package.to_str().expect("path"), "--json"]));
        assert_eq!(report["conflicts"].as_array().map(Vec::len), Some(0), "{report}");
        assert_eq!(report["applied"], true);
    }
    let both = dump(&city);
    let one = dump(&district);
    assert_eq!(both["lists"].as_array().map(Vec::len), one["lists"].as_array().map(|l| l.len() * 2));
    let items = |d: &Value| d["lists"].as_array().into_iter().flatten().map(|l| l["items"].as_array().map_or(0, Vec::len)).sum::<usize>();
    assert_eq!(items(&both), items(&one) * 2);
    // The same duties in two districts are not overlaps between them: the checks find per
    // district what they found in one.
    let findings = |db: &Path| json(quanze(db, &["check", "--json"]));
    let city_findings = findings(&city);
    let district_findings = findings(&district);
    let count = |report: &Value, rule: &str| {
        report["findings"].as_array().into_iter().flatten().filter(|f| f["rule"] == rule).count()
    };
    for rule in ["overlap.exact", "overlap.near", "cross_level"] {
        assert!(count(&district_findings, rule) > 0, "the sample plants {rule}");
        assert_eq!(count(&city_findings, rule), 2 * count(&district_findings, rule), "{rule}");
    }
}
