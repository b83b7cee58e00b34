//! Judging the overlap checks on labeled real data (issue 11), shared by the test
//! `tests/overlap_evaluation.rs` and the report `examples/overlap_evaluation.rs`.
//!
//! The labels are `tests/data/overlap-pairs.yaml` at the repository root: pairs of items of the
//! real published lists in `../shared/real-lists/`, each labeled by a person reading the two
//! items with their 实施依据 (same duty / possible / different), cited by file, sheet and row.
//! The workbooks are imported as the app imports them, put into one city (one department per
//! file), and the checks run as `quanze check` runs them. A labeled pair counts as flagged when
//! one overlap finding names both of its items. Each labeled item is given a department of its
//! own, so that a pair listed twice by one department is judged like a pair of two departments;
//! the city as published is checked too, for the number of findings a reviewer would read.

// Shared by a test and an example; each uses a part of it.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use quanze_checks::{run, CheckOptions, Report, RulePack, SubjectKind};
use quanze_domain::{Bundle, DutyList, Id, Item, Jurisdiction, Level, ListKind, Unit, UnitKind};
use serde::Deserialize;

/// The rules that report overlap between departments of one level (a pair any of them names
/// counts as flagged, the lower-graded overlap.sector too).
pub const OVERLAP_RULES: &[&str] = &["overlap.exact", "overlap.near", "overlap.sector"];

#[derive(Debug, Clone, Deserialize)]
pub struct Citation {
    pub file: String,
    pub sheet: String,
    pub row: u32,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    Same,
    Possible,
    Different,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LabeledPair {
    pub label: Label,
    pub split: String,
    pub left: Citation,
    pub right: Citation,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
struct LabelFile {
    pairs: Vec<LabeledPair>,
}

pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/real-lists` beside the repository, when it is there.
pub fn real_lists_dir() -> Option<PathBuf> {
    let dir = repository_root().join("../shared/real-lists");
    dir.is_dir().then_some(dir)
}

pub fn labeled_pairs() -> Vec<LabeledPair> {
    let path = repository_root().join("tests/data/overlap-pairs.yaml");
    let text = std::fs::read_to_string(&path).expect("read tests/data/overlap-pairs.yaml");
    let file: LabelFile = serde_norway::from_str(&text).expect("parse tests/data/overlap-pairs.yaml");
    file.pairs
}

/// The items of one real workbook, as the importer maps them, and its department.
pub struct Workbook {
    pub file: String,
    pub department: String,
    pub items: Vec<Item>,
}

pub fn import_real_lists(dir: &Path) -> Vec<Workbook> {
    let synonyms = quanze_import::Synonyms::builtin().expect("built-in synonyms");
    let options = quanze_import::ImportOptions::default();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read real-lists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xls" || e == "xlsx"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let plan = quanze_import::plan_file(&path, &options, &synonyms)
                .unwrap_or_else(|e| panic!("import {}: {e}", path.display()));
            let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            Workbook {
                department: plan.department.clone().unwrap_or_else(|| file.clone()),
                file,
                items: plan.items,
            }
        })
        .collect()
}

fn cites(item: &Item, citation: &Citation) -> bool {
    item.provenance
        .as_ref()
        .is_some_and(|p| p.file == citation.file && p.sheet == citation.sheet && p.row == citation.row)
}

/// One city of the workbooks: one department and one 权责清单 per file. Items listed in
/// `own_department` get a department (and list) of their own instead.
pub fn city(workbooks: &[Workbook], own_department: &BTreeSet<(String, String, u32)>) -> Bundle {
    let city_id: Id = 1;
    let mut bundle = Bundle {
        jurisdictions: vec![Jurisdiction::new(city_id, None, "克拉玛依市", Level::District)],
        ..Bundle::default()
    };
    let mut next: Id = 10;
    let mut new_list = |bundle: &mut Bundle, name: &str, items: Vec<Item>| {
        let unit = next;
        next += 1;
        bundle.units.push(Unit::new(unit, city_id, name, UnitKind::Administrative));
        bundle.lists.push(DutyList {
            uid: None,
            id: unit,
            jurisdiction: city_id,
            unit: Some(unit),
            kind: ListKind::Power,
            name: format!("{name}权责清单"),
            note: None,
            items,
        });
    };
    let mut item_id: Id = 100_000;
    for workbook in workbooks {
        let mut kept = Vec::new();
        for mut item in workbook.items.clone() {
            item.id = item_id;
            item_id += 1;
            let key = item.provenance.as_ref().map(|p| (p.file.clone(), p.sheet.clone(), p.row));
            if key.is_some_and(|k| own_department.contains(&k)) {
                let name = format!("{}（第{}行）", workbook.department, item.provenance.as_ref().map_or(0, |p| p.row));
                new_list(&mut bundle, &name, vec![item]);
            } else {
                kept.push(item);
            }
        }
        new_list(&mut bundle, &workbook.department, kept);
    }
    bundle
}

/// Pairs of items (ids, ascending) that one overlap finding names, with the finding's rule.
pub fn flagged_pairs(report: &Report) -> BTreeMap<(Id, Id), String> {
    let mut pairs = BTreeMap::new();
    for finding in report.findings.iter().filter(|f| OVERLAP_RULES.contains(&f.rule.as_str())) {
        let items: Vec<Id> = finding.subjects.iter().filter(|s| s.kind == SubjectKind::Item).map(|s| s.id).collect();
        for (k, a) in items.iter().enumerate() {
            for b in &items[k + 1..] {
                pairs.insert(((*a).min(*b), (*a).max(*b)), finding.rule.clone());
            }
        }
    }
    pairs
}

pub fn check(bundle: &Bundle) -> Report {
    let pack = RulePack::default_pack();
    let options = CheckOptions {
        rules: OVERLAP_RULES.iter().map(|r| r.to_string()).collect(),
        jurisdiction: None,
        ..CheckOptions::default()
    };
    run(bundle, &pack, &[], &options)
}

/// Counts of one split (or all): flagged / total per label.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub same: (u32, u32),
    pub possible: (u32, u32),
    pub different: (u32, u32),
}

impl Tally {
    fn add(&mut self, label: Label, flagged: bool) {
        let slot = match label {
            Label::Same => &mut self.same,
            Label::Possible => &mut self.possible,
            Label::Different => &mut self.different,
        };
        slot.1 += 1;
        if flagged {
            slot.0 += 1;
        }
    }
    pub fn recall(&self) -> f64 {
        ratio(self.same.0, self.same.1)
    }
    /// Share of the different-duty pairs that are flagged.
    pub fn false_alarm_rate(&self) -> f64 {
        ratio(self.different.0, self.different.1)
    }
    /// Flagged same-duty pairs over all flagged same- and different-duty pairs.
    pub fn precision(&self) -> f64 {
        ratio(self.same.0, self.same.0 + self.different.0)
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        0.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

/// What one evaluation found.
pub struct Evaluation {
    /// By split ("dev", "held_out") and "all".
    pub tallies: BTreeMap<String, Tally>,
    /// Each labeled pair with whether (and by which rule) it was flagged.
    pub outcomes: Vec<(LabeledPair, Option<String>)>,
    /// Overlap findings on the real lists as published (one department per file).
    pub city_findings: Report,
    pub city_items: usize,
}

pub fn evaluate(workbooks: &[Workbook]) -> Evaluation {
    let pairs = labeled_pairs();
    let mut own = BTreeSet::new();
    for pair in &pairs {
        for c in [&pair.left, &pair.right] {
            own.insert((c.file.clone(), c.sheet.clone(), c.row));
        }
    }
    let bundle = city(workbooks, &own);
    let mut by_citation: HashMap<(String, String, u32), &Item> = HashMap::new();
    for item in bundle.lists.iter().flat_map(|l| &l.items) {
        if let Some(p) = &item.provenance {
            by_citation.entry((p.file.clone(), p.sheet.clone(), p.row)).or_insert(item);
        }
    }
    let find = |c: &Citation| -> &Item {
        let item = by_citation
            .get(&(c.file.clone(), c.sheet.clone(), c.row))
            .copied()
            .unwrap_or_else(|| panic!("no item at {} / {} / row {}", c.file, c.sheet, c.row));
        assert!(cites(item, c));
        assert_eq!(item.name, c.name, "the label's name differs from the workbook at {} / {} / row {}", c.file, c.sheet, c.row);
        item
    };
    let flagged = flagged_pairs(&check(&bundle));
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut outcomes = Vec::new();
    for pair in pairs {
        let (a, b) = (find(&pair.left).id, find(&pair.right).id);
        let rule = flagged.get(&(a.min(b), a.max(b))).cloned();
        tallies.entry(pair.split.clone()).or_default().add(pair.label, rule.is_some());
        tallies.entry("all".into()).or_default().add(pair.label, rule.is_some());
        outcomes.push((pair, rule));
    }
    let published = city(workbooks, &BTreeSet::new());
    let city_items = published.lists.iter().map(|l| l.items.len()).sum();
    Evaluation { tallies, outcomes, city_findings: check(&published), city_items }
}
