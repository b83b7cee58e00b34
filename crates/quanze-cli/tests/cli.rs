//! The CLI contract others rely on: subcommands, `--json` shapes, exit codes (0 success,
//! 1 bad input with a Chinese message on stderr, 2 internal error), and that a refused load
//! changes nothing.

mod common;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use common::{json, ok, quanze, sample_db, stderr, stdout};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture() -> PathBuf {
    workspace().join("tests/fixtures/every-kind.yaml")
}

fn loaded_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("q.db");
    ok(quanze(&db, &["load", fixture().to_str().expect("utf-8 path")]));
    (dir, db)
}

#[test]
fn init_creates_an_empty_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("new").join("q.db");
    let text = ok(quanze(&db, &["init"]));
    assert!(text.contains("数据库已就绪"), "{text}");
    assert!(db.exists());
    let lists = json(quanze(&db, &["lists", "--json"]));
    assert_eq!(lists, Value::Array(vec![]));
}

#[test]
fn lists_json_has_the_contract_keys() {
    let (_dir, db) = loaded_db();
    let lists = json(quanze(&db, &["lists", "--json"]));
    let lists = lists.as_array().expect("array");
    assert_eq!(lists.len(), 6);
    for key in ["id", "name", "kind", "jurisdiction", "level", "unit", "items"] {
        assert!(lists[0].get(key).is_some(), "missing key {key}: {}", lists[0]);
    }
    assert_eq!(lists[0]["kind"], "权责清单");
    assert_eq!(lists[0]["jurisdiction"], "测试区");
    assert_eq!(lists[0]["level"], "区");
    assert_eq!(lists[0]["unit"], "区民政局");
    assert_eq!(lists[0]["items"], 1);
    assert_eq!(lists[1]["unit"], Value::Null);
}

#[test]
fn dump_json_shows_every_entity_kind_with_extra_fields_and_provenance() {
    let (_dir, db) = loaded_db();
    let dump = json(quanze(&db, &["dump", "--format", "json"]));
    for section in [
        "jurisdictions",
        "units",
        "leaders",
        "lists",
        "admission_requests",
        "waivers",
        "versions",
    ] {
        let rows = dump[section].as_array().map_or(0, Vec::len);
        assert!(rows > 0, "section {section} is empty in the dump");
    }
    let item = &dump["lists"][0]["items"][0];
    assert_eq!(item["extra"][0]["header"], "救济渠道");
    assert_eq!(item["provenance"]["sheet"], "行政给付");
    assert_eq!(item["provenance"]["merged_rows"][0], 6);
    assert_eq!(dump["admission_requests"][0]["history"][2]["state"], "准入");
}

#[test]
fn dump_yaml_gives_back_the_loaded_document() {
    let (_dir, db) = loaded_db();
    let dumped = ok(quanze(&db, &["dump"]));
    let original = std::fs::read_to_string(fixture()).expect("fixture");
    let original = quanze_domain::Bundle::from_yaml(&original).expect("fixture parses");
    let dumped = quanze_domain::Bundle::from_yaml(&dumped).expect("dump parses");
    assert_eq!(dumped, original);
}

#[test]
fn search_finds_two_character_and_longer_queries() {
    let (_dir, db) = loaded_db();
    let hits = json(quanze(&db, &["search", "高龄", "--json"]));
    assert_eq!(hits.as_array().map_or(0, Vec::len), 1);
    assert_eq!(hits[0]["item"]["name"], "协助开展高龄津贴申领初审");
    assert_eq!(hits[0]["list"]["kind"], "协助政府");
    let text = ok(quanze(&db, &["search", "最低生活保障"]));
    assert!(text.contains("最低生活保障金给付"), "{text}");
    assert!(text.contains("区民政局权责清单"), "{text}");
    assert!(text.contains("找到 1 项"), "{text}");
}

#[test]
fn history_records_the_load_with_actor_and_reason() {
    let (_dir, db) = loaded_db();
    let entries = json(quanze(&db, &["history", "--limit", "100", "--json"]));
    let entries = entries.as_array().expect("array");
    // 3 jurisdictions, 3 units, 1 leader, 6 lists, 6 items, 1 request, 1 waiver, 1 version
    assert_eq!(entries.len(), 22);
    assert!(entries.iter().all(|e| e["actor"] == "测试员"));
    assert!(entries
        .iter()
        .all(|e| e["reason"].as_str().is_some_and(|r| r.contains("every-kind.yaml"))));
    let text = ok(quanze(&db, &["history", "--limit", "1"]));
    assert!(text.contains("新增版本"), "{text}");
}

#[test]
fn an_invalid_bundle_is_refused_with_file_and_line_and_changes_nothing() {
    let (dir, db) = loaded_db();
    let bad = dir.path().join("bad.yaml");
    let text = std::fs::read_to_string(fixture())
        .expect("fixture")
        .replace("lead_unit: 1\n", "lead_unit: 77\n");
    let line = 1 + text
        .lines()
        .position(|l| l.contains("lead_unit: 77"))
        .expect("the broken line");
    std::fs::write(&bad, text).expect("write");
    let before = ok(quanze(&db, &["dump"]));
    let output = quanze(&db, &["load", bad.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("bad.yaml"), "{message}");
    assert!(message.contains(&format!("第 {line} 行")), "{message}");
    assert!(message.contains("不存在的机构 id 77"), "{message}");
    assert_eq!(ok(quanze(&db, &["dump"])), before);
}

#[test]
fn a_yaml_syntax_error_is_refused_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("q.db");
    let bad = dir.path().join("broken.yaml");
    std::fs::write(&bad, "format: quanze-bundle\nformat_version: 1\nunits:\n  - id: [\n").expect("write");
    let output = quanze(&db, &["load", bad.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("YAML 语法错误"), "{message}");
    assert!(message.contains("第 5 行") || message.contains("第 4 行"), "{message}");
}

#[test]
fn bad_input_exits_1_with_a_chinese_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("q.db");
    let missing = quanze(&db, &["load", "/nonexistent/清单.yaml"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("文件不存在"), "{}", stderr(&missing));

    let unknown = quanze(&db, &["no-such-command"]);
    assert_eq!(unknown.status.code(), Some(1));

    let not_db = dir.path().join("notes.txt");
    std::fs::write(&not_db, "备忘录".repeat(500)).expect("write");
    let output = quanze(&not_db, &["lists"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("不是 Quanze 数据库"), "{}", stderr(&output));
}

#[test]
fn loading_the_same_bundle_twice_is_refused_whole_and_points_to_merge() {
    let (_dir, db) = loaded_db();
    // Its entities are already here (the same uids): a second load would copy every list.
    let output = quanze(&db, &["load", fixture().to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("合并数据包"), "{}", stderr(&output));
    let lists = json(quanze(&db, &["lists", "--json"]));
    assert_eq!(lists.as_array().map_or(0, Vec::len), 6);
}

#[test]
fn check_reports_findings_as_json_and_waive_accepts_one() {
    let (_dir, db) = loaded_db();
    let report = json(quanze(&db, &["check", "--json"]));
    let findings = report["findings"].as_array().expect("findings");
    let over = findings
        .iter()
        .find(|f| f["rule"] == "org.over_staffed")
        .expect("社会事务部 has 4 people on 3 posts in the fixture");
    for key in ["rule", "severity", "grade", "title", "message", "subjects", "evidence", "waived"] {
        assert!(over.get(key).is_some(), "finding lacks {key}: {over}");
    }
    assert_eq!(over["severity"], "error");
    assert_eq!(over["grade"], "red");
    assert_eq!(over["waived"], false);
    assert!(report["summary"]["errors"].as_u64().unwrap_or(0) >= 1);

    // --strict exits 3 while an unwaived error remains.
    let strict = quanze(&db, &["check", "--strict", "--rule", "org.over_staffed"]);
    assert_eq!(strict.status.code(), Some(3));

    let key = over["key"].as_str().expect("key");
    let text = ok(quanze(&db, &["waive", key, "--reason", "临时借调人员，年底前调出"]));
    assert!(text.contains("已豁免"), "{text}");
    let again = json(quanze(&db, &["check", "--json", "--rule", "org.over_staffed"]));
    assert_eq!(again["findings"][0]["waived"], true);
    assert_eq!(again["findings"][0]["waiver_reason"], "临时借调人员，年底前调出");
    ok(quanze(&db, &["check", "--strict", "--rule", "org.over_staffed"]));
    let history = ok(quanze(&db, &["history", "--limit", "1"]));
    assert!(history.contains("豁免"), "{history}");

    // The 豁免 withdrawn: the finding counts again and --strict fails again; the log says so.
    let text = ok(quanze(&db, &["unwaive", key]));
    assert!(text.contains("已撤销豁免"), "{text}");
    let after = json(quanze(&db, &["check", "--json", "--rule", "org.over_staffed"]));
    assert_eq!(after["findings"][0]["waived"], false);
    let strict = quanze(&db, &["check", "--strict", "--rule", "org.over_staffed"]);
    assert_eq!(strict.status.code(), Some(3));
    let history = ok(quanze(&db, &["history", "--limit", "1"]));
    assert!(history.contains("撤销豁免"), "{history}");
    let twice = quanze(&db, &["unwaive", key]);
    assert_eq!(twice.status.code(), Some(1), "nothing left to withdraw");
}

#[test]
fn check_refuses_unknown_rules_keys_and_places() {
    let (_dir, db) = loaded_db();
    let unknown_rule = quanze(&db, &["check", "--rule", "no.such.rule"]);
    assert_eq!(unknown_rule.status.code(), Some(1));
    assert!(stderr(&unknown_rule).contains("没有规则"), "{}", stderr(&unknown_rule));
    let unknown_key = quanze(&db, &["waive", "overlap.exact:I998,I999", "--reason", "理由"]);
    assert_eq!(unknown_key.status.code(), Some(1));
    let unknown_place = quanze(&db, &["check", "--jurisdiction", "不存在的街道"]);
    assert_eq!(unknown_place.status.code(), Some(1));
    assert!(stderr(&unknown_place).contains("找不到辖区"));
    let scoped = json(quanze(&db, &["check", "--json", "--jurisdiction", "桃源社区"]));
    assert!(scoped["findings"]
        .as_array()
        .is_some_and(|f| f.iter().all(|f| f["rule"] != "org.over_staffed")));
}

#[test]
fn import_json_follows_the_contract_and_lands_in_the_audit_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("q.db");
    let workbook = workspace().join("sample-data/legacy/青川区交通运输局2025年权责清单.xlsx");
    let dry = json(quanze(&db, &["import", workbook.to_str().expect("utf-8"), "--dry-run", "--json"]));
    assert!(dry["items"].as_u64().unwrap_or(0) > 0);
    assert_eq!(json(quanze(&db, &["lists", "--json"])), Value::Array(vec![]), "a dry run writes nothing");

    let report = json(quanze(&db, &[
        "import",
        workbook.to_str().expect("utf-8"),
        "--jurisdiction",
        "青川区",
        "--json",
    ]));
    assert_eq!(report["items"], dry["items"]);
    let file = &report["files"][0];
    for key in ["path", "format", "sheets"] {
        assert!(file.get(key).is_some(), "file lacks {key}: {file}");
    }
    assert_eq!(file["format"], "xlsx");
    let sheet = &file["sheets"][0];
    for key in ["name", "header_row", "mapping", "items", "merged_rows", "skipped"] {
        assert!(sheet.get(key).is_some(), "sheet lacks {key}: {sheet}");
    }
    let lists = json(quanze(&db, &["lists", "--json"]));
    assert_eq!(lists[0]["jurisdiction"], "青川区");
    assert_eq!(lists[0]["items"], report["items"]);
    // Every imported item carries its provenance.
    let dump = json(quanze(&db, &["dump", "--format", "json"]));
    let items = dump["lists"][0]["items"].as_array().expect("items");
    assert!(items.iter().all(|i| i["provenance"]["sheet"].is_string() && i["provenance"]["row"].as_u64().unwrap_or(0) > 0));
    let history = ok(quanze(&db, &["history", "--limit", "1"]));
    assert!(history.contains("导入"), "{history}");
}

#[test]
fn import_refuses_a_file_that_is_not_a_spreadsheet_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("q.db");
    let fake = dir.path().join("清单.xlsx");
    std::fs::write(&fake, [0u8, 159, 146, 150, 1, 2, 3, 4].repeat(64)).expect("write");
    // Into a new file, a refused import leaves no database at all
    // (`a_refused_load_leaves_no_new_database_behind`); here, into an existing empty one.
    ok(quanze(&db, &["init"]));
    let output = quanze(&db, &["import", fake.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("清单.xlsx"), "{}", stderr(&output));
    assert_eq!(json(quanze(&db, &["lists", "--json"])), Value::Array(vec![]));
}

/// `quanze import folder/*` in a folder that also holds a README: the README is left out and
/// reported, the workbooks are imported. A damaged file named as a workbook is still an error.
#[test]
fn import_of_a_folder_skips_a_readme_but_not_a_damaged_workbook() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("q.db");
    let workbook = workspace().join("sample-data/legacy/青川区交通运输局2025年权责清单.xlsx");
    let readme = dir.path().join("README.md");
    std::fs::write(&readme, "# 说明\n\n这些是各部门报送的清单。\n").expect("write");
    let report = json(quanze(&db, &[
        "import",
        workbook.to_str().expect("utf-8"),
        readme.to_str().expect("utf-8"),
        "--json",
    ]));
    assert!(report["items"].as_u64().unwrap_or(0) > 0);
    assert_eq!(report["skipped_files"][0]["path"], readme.to_str().expect("utf-8"));
    let text = ok(quanze(&db, &["import", workbook.to_str().expect("utf-8"), readme.to_str().expect("utf-8"), "--dry-run"]));
    assert!(text.contains("已跳过"), "{text}");

    let broken = dir.path().join("损坏.xlsx");
    std::fs::write(&broken, "not a workbook").expect("write");
    let output = quanze(&db, &["import", workbook.to_str().expect("utf-8"), broken.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));

    // A README alone is still refused.
    let alone = quanze(&db, &["import", readme.to_str().expect("utf-8")]);
    assert_eq!(alone.status.code(), Some(1));
}

/// Issue 14: what a load wrote is searchable when the command returns — the next command
/// searches at once, and nothing is left to build (no index, no queue, no progress line).
#[test]
fn load_sample_is_searchable_when_the_command_returns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("q.db");
    let output = quanze(&db, &["load-sample"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!stderr(&output).contains("索引"), "{}", stderr(&output));
    let found: serde_json::Value = serde_json::from_str(&ok(quanze(&db, &["search", "安全生产", "--json"]))).expect("json");
    let hits = found.as_array().expect("array");
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|hit| hit["snippet"].as_str().is_some_and(|s| s.contains("安全生产"))), "{found}");
    let tables: i64 = rusqlite::Connection::open(&db)
        .expect("open")
        .query_row("SELECT count(*) FROM sqlite_master WHERE name LIKE 'items_fts%'", [], |r| r.get(0))
        .expect("count");
    assert_eq!(tables, 0, "no second copy of the text for search");
}

/// `quanze notice`, `posters` and `orgchart` on the sample district: the files exist, the PDF
/// gives back the items' names through pdftotext (a reader nobody here wrote), and posters come
/// one per community.
#[test]
fn notices_posters_and_org_chart_from_the_sample_district() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("q.db");
    ok(quanze(&db, &["load-sample"]));
    let pdf = dir.path().join("street.pdf");
    let text = ok(quanze(
        &db,
        &["notice", "--jurisdiction", "青溪街道", "--format", "pdf", "--out", pdf.to_str().expect("utf-8"), "--doc-no", "青编办〔2026〕12号",
          // One column, so that pdftotext cannot interleave a wrapped name with its neighbours.
          "--columns", "name"],
    ));
    assert!(text.contains("3 节"), "{text}");
    let names: Vec<String> = {
        let lists = json(quanze(&db, &["lists", "--json"]));
        let id = lists
            .as_array()
            .expect("array")
            .iter()
            .find(|l| l["name"].as_str().is_some_and(|n| n.starts_with("青溪街道基本履职")))
            .and_then(|l| l["id"].as_u64())
            .expect("the street's 基本履职 list");
        let dump = json(quanze(&db, &["dump", "--format", "json"]));
        dump["lists"]
            .as_array()
            .expect("lists")
            .iter()
            .find(|l| l["id"].as_u64() == Some(id))
            .and_then(|l| l["items"].as_array())
            .expect("items")
            .iter()
            .filter_map(|i| i["name"].as_str().map(str::to_string))
            .collect()
    };
    match std::process::Command::new("pdftotext").arg(&pdf).arg("-").output() {
        Ok(out) if out.status.success() => {
            // Cells wrap, so compare without line breaks and spaces.
            let flat: String = String::from_utf8_lossy(&out.stdout).chars().filter(|c| !c.is_whitespace()).collect();
            assert!(flat.contains("青编办〔2026〕12号"));
            for name in &names {
                let name: String = name.chars().filter(|c| !c.is_whitespace()).collect();
                assert!(flat.contains(&name), "pdftotext lacks {name}");
            }
        }
        _ if std::env::var_os("CI").is_some() => panic!("pdftotext (poppler-utils) is required under CI"),
        _ => eprintln!("pdftotext not installed: the PDF text was not checked"),
    }
    let posters = dir.path().join("posters");
    let text = ok(quanze(&db, &["posters", "--street", "青溪街道", "--out", posters.to_str().expect("utf-8")]));
    let files = std::fs::read_dir(&posters).expect("posters folder").count();
    assert!(files >= 2 && text.contains(&format!("已为 {files} 个社区")), "{text}");
    let svg = dir.path().join("org.svg");
    ok(quanze(&db, &["orgchart", "--street", "青溪街道", "--out", svg.to_str().expect("utf-8")]));
    let svg_text = std::fs::read_to_string(&svg).expect("svg");
    assert!(svg_text.starts_with("<svg") || svg_text.starts_with("<?xml"), "{svg_text:.80}");
    let wrong = quanze(&db, &["notice", "--list", "999999", "--out", dir.path().join("x.pdf").to_str().expect("utf-8")]);
    assert_eq!(wrong.status.code(), Some(1), "{}", stderr(&wrong));
    assert!(stderr(&wrong).contains("找不到清单"), "{}", stderr(&wrong));
}

/// `quanze posters --lists --columns --save`: the street keeps its choice, the next run without
/// options follows it (pdftotext of the poster), `--reset` goes back to every list with its
/// 承办机构; an unknown list is exit 1.
#[test]
fn posters_follow_the_settings_a_street_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("q.db");
    ok(quanze(&db, &["load-sample"]));
    let saved = ok(quanze(&db, &["posters", "--street", "青溪街道", "--lists", "负面清单,证明事项", "--columns", "remarks", "--save"]));
    assert!(saved.contains("负面清单、证明事项；栏目：备注"), "{saved}");
    let out = dir.path().join("posters");
    ok(quanze(&db, &["posters", "--street", "青溪社区", "--out", out.to_str().expect("utf-8")]));
    let pdf = out.join("青溪社区上墙公示.pdf");
    match std::process::Command::new("pdftotext").arg(&pdf).arg("-").output() {
        Ok(text) if text.status.success() => {
            let flat: String = String::from_utf8_lossy(&text.stdout).chars().filter(|c| !c.is_whitespace()).collect();
            assert!(flat.contains("负面清单") && flat.contains("不得出具的证明事项"), "{flat:.200}");
            assert!(!flat.contains("依法履行职责事项") && !flat.contains("承办机构："), "{flat:.200}");
            assert!(flat.contains("备注："), "{flat:.200}");
        }
        _ if std::env::var_os("CI").is_some() => panic!("pdftotext (poppler-utils) is required under CI"),
        _ => eprintln!("pdftotext not installed: the PDF text was not checked"),
    }
    let reset = ok(quanze(&db, &["posters", "--street", "青溪街道", "--reset"]));
    assert!(reset.contains("已恢复默认") && reset.contains("栏目：承办机构（默认）"), "{reset}");
    let wrong = quanze(&db, &["posters", "--street", "青溪街道", "--lists", "基本履职", "--out", out.to_str().expect("utf-8")]);
    assert_eq!(wrong.status.code(), Some(1), "{}", stderr(&wrong));
}

/// `--skip-sheet` and `--header-row` reach the importer: a skipped sheet brings no items and
/// reports its rows; a misspelt sheet name is refused with exit 1; a bad spec says how to write it.
#[test]
fn import_skips_a_sheet_and_sets_a_header_row_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("q.db");
    let workbook = workspace().join("sample-data/legacy/青川区水务局2025年权责清单.xls");
    let path = workbook.to_str().expect("utf-8");
    let whole = json(quanze(&db, &["import", path, "--dry-run", "--json"]));
    let first_sheet = whole["files"][0]["sheets"][0]["name"].as_str().expect("sheet name").to_string();
    let header_row = whole["files"][0]["sheets"][0]["header_row"].as_u64().expect("header row");
    assert!(whole["items"].as_u64().expect("items") > 0);

    let skipped = json(quanze(&db, &["import", path, "--dry-run", "--json", "--skip-sheet", &first_sheet]));
    assert_eq!(skipped["files"][0]["sheets"][0]["items"].as_u64(), Some(0));
    assert!(!skipped["files"][0]["sheets"][0]["skipped"].as_array().expect("skipped").is_empty());

    let same = json(quanze(
        &db,
        &["import", path, "--dry-run", "--json", "--header-row", &format!("{first_sheet}={header_row}")],
    ));
    assert_eq!(same["items"], whole["items"], "the detected header row, given by hand, gives the same items");

    let misspelt = quanze(&db, &["import", path, "--dry-run", "--skip-sheet", "没有这张表"]);
    assert_eq!(misspelt.status.code(), Some(1), "{}", stderr(&misspelt));
    let bad = quanze(&db, &["import", path, "--dry-run", "--header-row", "第三行"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("工作表名=行号"), "{}", stderr(&bad));
}

#[test]
fn admission_from_the_command_line_applies_reviews_admits_and_refuses_a_skipped_step() {
    let (_dir, db) = sample_db();
    let applied = ok(quanze(
        &db,
        &[
            "admission", "apply", "--community", "青溪社区", "--unit", "青川区民政局", "--item", "协助开展困难群众走访慰问",
            "--reason", "落实社会救助工作要求", "--funding-wan", "1.5", "--funding-source", "区民政局部门预算", "--staff", "1",
            "--date", "2026-10-09",
        ],
    ));
    assert!(applied.contains("[申请]"), "{applied}");
    let requests = json(quanze(&db, &["admission", "list", "--community", "青溪社区", "--json"]));
    let id = requests
        .as_array()
        .and_then(|a| a.iter().find(|r| r["item_name"] == "协助开展困难群众走访慰问"))
        .and_then(|r| r["id"].as_u64())
        .expect("the new request is listed")
        .to_string();

    let skipped = quanze(&db, &["admission", "decide", &id, "--to", "准入", "--date", "2026-10-10"]);
    assert_eq!(skipped.status.code(), Some(1));
    assert!(stderr(&skipped).contains("下一步只能是：审核中"), "{}", stderr(&skipped));

    ok(quanze(&db, &["admission", "decide", &id, "--to", "审核中", "--date", "2026-10-10"]));
    let admitted = ok(quanze(
        &db,
        &["admission", "decide", &id, "--to", "准入", "--date", "2026-10-20", "--doc-no", "青编办〔2026〕12号"],
    ));
    assert!(admitted.contains("已列入协助政府工作事项清单：协助开展困难群众走访慰问"), "{admitted}");
    let found = ok(quanze(&db, &["search", "困难群众走访慰问"]));
    assert!(found.contains("协助政府"), "the admitted item is in the 协助政府 list: {found}");

    let bad_date = quanze(&db, &["admission", "decide", &id, "--to", "撤销", "--date", "20261101", "--opinion", "x"]);
    assert_eq!(bad_date.status.code(), Some(1));
    assert!(stderr(&bad_date).contains("YYYY-MM-DD"), "{}", stderr(&bad_date));
}

#[test]
fn publish_then_compare_shows_what_changed_since_and_stats_add_up() {
    let (_dir, db) = sample_db();
    let published = ok(quanze(&db, &["publish", "--list", "6", "--date", "2026-11-01", "--doc-no", "青编办〔2026〕30号"]));
    assert!(published.contains("青编办〔2026〕30号"), "{published}");
    let versions = json(quanze(&db, &["versions", "--list", "6", "--json"]));
    let newest = &versions.as_array().expect("array")[0];
    assert_eq!(newest["doc_no"], "青编办〔2026〕30号");
    let id = newest["id"].as_u64().expect("id").to_string();
    let same = ok(quanze(&db, &["compare", &id]));
    assert!(same.contains("新增 0，删除 0，修改 0"), "{same}");
    let html = db.with_file_name("version.html");
    ok(quanze(&db, &["notice", "--published-version", &id, "--format", "html", "--out", html.to_str().expect("utf-8")]));
    let printed = std::fs::read_to_string(&html).expect("html");
    assert!(printed.contains("青编办〔2026〕30号") && printed.contains("2026年11月1日"), "the version's 文号 and date");

    let stats = json(quanze(&db, &["stats", "--json"]));
    let total = stats["item_count"].as_u64().expect("count");
    let by_level: u64 = stats["by_level"].as_array().expect("levels").iter().filter_map(|c| c["count"].as_u64()).sum();
    assert_eq!(by_level, total);
    let text = ok(quanze(&db, &["stats", "--jurisdiction", "青溪社区"]));
    assert!(text.starts_with("青溪社区：共 "), "{text}");
    assert!(text.contains("准入申请（按状态）"), "{text}");
}

#[test]
fn edit_changes_one_field_through_the_audit_log_and_refuses_an_unknown_field() {
    let (_dir, db) = sample_db();
    let lists = json(quanze(&db, &["lists", "--json"]));
    let list = lists.as_array().and_then(|a| a.first()).expect("a list");
    let list_id = list["id"].as_u64().expect("id").to_string();
    let dump = json(quanze(&db, &["dump", "--format", "json"]));
    let item = dump["lists"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["id"].as_u64().map(|i| i.to_string()) == Some(list_id.clone())))
        .and_then(|l| l["items"].as_array()?.first().cloned())
        .expect("first item");
    let item_id = item["id"].as_u64().expect("item id").to_string();

    let edited = ok(quanze(&db, &["edit", "--list", &list_id, "--item", &item_id, "--field", "事项名称", "--value", "改过的名称"]));
    assert!(edited.contains("改过的名称"), "{edited}");
    let history = json(quanze(&db, &["history", "--limit", "1", "--json"]));
    assert_eq!(history[0]["reason"], "修改事项名称");
    assert_eq!(history[0]["actor"], "测试员");
    assert_eq!(history[0]["before"]["name"], item["name"]);

    ok(quanze(&db, &["edit", "--list", &list_id, "--item", &item_id, "--field", "basis", "--value", "-《某某条例》"]));
    let unknown = quanze(&db, &["edit", "--list", &list_id, "--item", &item_id, "--field", "名字", "--value", "x"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("未知的字段“名字”"), "{}", stderr(&unknown));
}

#[test]
fn org_commands_build_a_street_from_a_template_and_set_staffing_and_the_leader_in_charge() {
    let (_dir, db) = sample_db();
    ok(quanze(&db, &["org", "create-street", "--district", "青川区", "--name", "新城街道"]));
    let built = ok(quanze(&db, &["org", "build", "--street", "新城街道", "--template", "baohe-1-7-2"]));
    assert!(built.contains("已按模板建立 10 个机构"), "{built}");
    ok(quanze(&db, &["org", "add-leader", "--street", "新城街道", "--name", "王某", "--post", "党工委委员、副主任"]));
    ok(quanze(
        &db,
        &["org", "staffing", "--street", "新城街道", "--unit", "党政办公室", "--admin-posts", "9", "--headcount", "8", "--in-charge", "王某"],
    ));
    let org = json(quanze(&db, &["org", "show", "--street", "新城街道", "--json"]));
    let office = org["units"].as_array().and_then(|u| u.iter().find(|u| u["name"] == "党政办公室")).expect("office");
    assert_eq!(office["staffing"]["admin_posts"], 9);
    assert_eq!(office["staffing"]["actual_headcount"], 8);
    let leader_id = org["leaders"][0]["id"].clone();
    assert_eq!(office["leaders_in_charge"], serde_json::json!([leader_id]));
    // A later change of one figure keeps the others.
    ok(quanze(&db, &["org", "staffing", "--street", "新城街道", "--unit", "党政办公室", "--headcount", "9"]));
    let org = json(quanze(&db, &["org", "show", "--street", "新城街道", "--json"]));
    let office = org["units"].as_array().and_then(|u| u.iter().find(|u| u["name"] == "党政办公室")).expect("office");
    assert_eq!(office["staffing"]["admin_posts"], 9);
    assert_eq!(office["staffing"]["actual_headcount"], 9);
    assert_eq!(office["leaders_in_charge"].as_array().map(Vec::len), Some(1));
    let again = quanze(&db, &["org", "build", "--street", "新城街道", "--template", "baohe-1-7-2"]);
    assert_eq!(again.status.code(), Some(1));
}

/// `quanze printers` and `quanze print` with stand-in `lp`/`lpstat` first on PATH: the default
/// printer is used without `--printer`, the options reach `lp`, and no database is created.
#[test]
fn print_sends_a_file_to_the_default_printer_without_touching_the_database() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("bin");
    let log = dir.path().join("lp.txt");
    for (name, body) in [
        ("lpstat", "case \"$1\" in -e) printf '档案室\\n办公室\\n' ;; -d) echo 'system default destination: 办公室' ;; esac\n".to_string()),
        ("lp", format!("printf '%s ' \"$@\" > '{}'\necho 'request id is 办公室-3 (1 file(s))'\n", log.display())),
    ] {
        let path = bin.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}")).expect("script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let pdf = dir.path().join("公示.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n").expect("pdf");
    let db = dir.path().join("never.db");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_quanze"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("PATH", &path)
            .output()
            .expect("run quanze")
    };
    assert_eq!(ok(run(&["printers"])), "办公室（默认）\n档案室\n");
    let pdf_arg = pdf.display().to_string();
    let said = ok(run(&["print", &pdf_arg, "--copies", "2", "--two-sided"]));
    assert!(said.contains("已送往打印机 办公室") && said.contains("任务 办公室-3"), "{said}");
    let asked = std::fs::read_to_string(&log).expect("lp ran");
    assert_eq!(
        asked.trim_end(),
        format!("-d 办公室 -n 2 -t 公示.pdf -o sides=two-sided-long-edge -- {pdf_arg}")
    );
    assert!(!db.exists(), "printing neither opens nor creates a database");
}

/// Regression (issue 13, item 8): ESC, BEL and other control characters stored from input were
/// printed raw to the terminal by `search` (and `history`, `edit`). They are shown escaped; the
/// data keeps them (the JSON output carries them, escaped as JSON does).
#[test]
fn control_characters_in_data_are_shown_escaped_on_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("q.db");
    let bundle = dir.path().join("esc.yaml");
    std::fs::write(
        &bundle,
        [
            "format: quanze-bundle",
            "format_version: 1",
            "jurisdictions:",
            "- {id: 1, name: 测试区, level: 区}",
            "units:",
            "- {id: 1, jurisdiction: 1, name: 区民政局, kind: 行政}",
            "lists:",
            "- id: 1",
            "  jurisdiction: 1",
            "  unit: 1",
            "  kind: 权责清单",
            "  name: 区民政局权责清单",
            "  items:",
            "  - {id: 1, name: \"对养老机构\\e[2J违规\\a经营的处罚\", power_type: 行政处罚, basis: 《养老机构管理办法》第四十六条}",
            "",
        ]
        .join("\n"),
    )
    .expect("write bundle");
    ok(quanze(&db, &["load", bundle.to_str().expect("utf-8 path")]));
    let text = ok(quanze(&db, &["search", "养老机构"]));
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "raw control characters: {text:?}");
    assert!(text.contains("对养老机构\\x1B[2J违规\\x07经营的处罚"), "{text}");
    let hits = json(quanze(&db, &["search", "养老机构", "--json"]));
    assert_eq!(hits[0]["item"]["name"], "对养老机构\u{1b}[2J违规\u{7}经营的处罚");
}
