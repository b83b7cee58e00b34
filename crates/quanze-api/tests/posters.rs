//! Community wall posters of the sample district: every configured list (the four admission
//! lists and the 社区服务清单), every item with the unit that handles it, the street's settings
//! respected, and no nearly-empty last sheet — judged on the PDF with pdftotext, not only on
//! the view model.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod backends;

use std::path::Path;
use std::process::Command;

use quanze_api::{Api, ErrorCode};
use quanze_domain::notice::{CommunityPoster, PosterSettings};
use quanze_domain::{Bundle, DutyList, Item, Level, ListKind};

/// The sample district with a 社区服务清单 for 青溪社区 (the sample has none), whose items
/// name their unit in 行使主体 only, and one with no unit at all.
fn sample() -> backends::FreshApi {
    let mut bundle = Bundle::from_yaml(quanze_api::SAMPLE_DISTRICT_YAML).expect("sample");
    let community = bundle
        .jurisdictions
        .iter()
        .find(|j| j.name == "青溪社区" && j.level == Level::Community)
        .expect("青溪社区")
        .id;
    let id = bundle.lists.iter().map(|l| l.id).max().unwrap_or(0) + 1;
    let first_item = bundle.lists.iter().flat_map(|l| l.items.iter().map(|i| i.id)).max().unwrap_or(0) + 1;
    let services = ["老年人助餐服务", "社区托育服务", "代办残疾人证申领", "居民法律咨询"];
    let items = services
        .iter()
        .enumerate()
        .map(|(index, name)| Item {
            id: first_item + u32::try_from(index).unwrap_or(0),
            name: (*name).to_string(),
            subject: (index < 3).then(|| "青溪社区党群服务中心".to_string()),
            ..Item::default()
        })
        .collect();
    bundle.lists.push(DutyList {
        uid: None,
        id,
        jurisdiction: community,
        unit: None,
        kind: ListKind::CommunityService,
        name: "青溪社区服务清单".to_string(),
        note: None,
        items,
    });
    let mut api = backends::fresh_api();
    api.load_bundle_text(&bundle.to_yaml().expect("yaml"), "示例辖区", "测试").expect("load");
    api
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pdftotext_available() -> bool {
    let ok = Command::new("pdftotext").arg("-v").output().is_ok();
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "pdftotext (poppler-utils) is required under CI");
        eprintln!("pdftotext missing: the PDF half of this test is skipped");
    }
    ok
}

/// The text of each page of a PDF, by pdftotext (form feeds between pages): its layout
/// analysis (as a viewer's search uses it), or with `raw` the content-stream order.
fn pages_of(pdf: &Path, raw: bool) -> Vec<String> {
    let mut command = Command::new("pdftotext");
    if raw {
        command.arg("-raw");
    }
    let output = command.arg(pdf).arg("-").output().expect("pdftotext");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).expect("utf-8");
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// The numbered entries a page holds ("12." opening a line).
fn entries_on(page: &str) -> usize {
    page.lines()
        .filter(|line| {
            let digits = line.trim_start().chars().take_while(char::is_ascii_digit).count();
            digits > 0 && line.trim_start()[digits..].starts_with('.')
        })
        .count()
}

fn the_items(api: &Api, community: &str, kind: ListKind) -> Vec<Item> {
    let place = api.find_jurisdiction(community).expect("community");
    let list = api
        .notice_lists_of(place)
        .expect("lists")
        .into_iter()
        .find(|id| api.list_items(*id, 0, 1).expect("list").list.kind == kind);
    list.map_or_else(Vec::new, |id| api.list_items(id, 0, u32::MAX).expect("items").items)
}

fn write_one(api: &Api, street: &str, dir: &Path) -> Vec<String> {
    let place = api.find_jurisdiction(street).expect("street");
    api.write_posters(place, dir, false).expect("posters").files
}

#[test]
fn posters_show_every_list_and_the_unit_of_every_item() {
    let api = sample();
    let street = api.find_jurisdiction("青溪街道").expect("street");
    let posters = api.community_posters(street).expect("posters");
    let qingxi: &CommunityPoster = posters.iter().find(|p| p.community == "青溪社区").expect("青溪社区");
    let headings: Vec<&str> = qingxi.sections.iter().map(|s| s.heading.as_str()).collect();
    let expected = ["依法履行职责事项", "依法协助政府工作事项", "负面清单", "保留的证明事项（可出具）", "不得出具的证明事项", "社区服务事项"];
    assert_eq!(headings.len(), expected.len(), "{headings:?}");
    for (heading, start) in headings.iter().zip(expected) {
        assert!(heading.starts_with(start), "{heading} is not {start}");
    }
    // 证明事项 split as the items say.
    let certificates = the_items(&api, "青溪社区", ListKind::CommunityCertificate);
    let allowed = certificates.iter().filter(|i| i.certificate_allowed == Some(true)).count();
    assert_eq!(qingxi.sections[3].entries.len(), allowed);
    assert_eq!(qingxi.sections[4].entries.len(), certificates.len() - allowed);
    // Every unit the item has, under its own word; nothing for an item without one.
    let service = &qingxi.sections[5].entries;
    assert_eq!(service[0].details[0].label, "责任主体");
    assert_eq!(service[0].details[0].text, "青溪社区党群服务中心");
    assert!(service[3].details.is_empty(), "no “—” for a missing unit: {:?}", service[3]);

    if !pdftotext_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let files = write_one(&api, "青溪街道", dir.path());
    assert_eq!(files.len(), posters.len());
    for (poster, file) in posters.iter().zip(&files) {
        let text = squeeze(&pages_of(Path::new(file), false).concat());
        // Poppler's layout analysis puts the smaller unit lines in blocks of their own; in
        // content order each unit follows its item's name.
        let raw = squeeze(&pages_of(Path::new(file), true).concat());
        let community = poster.community.as_str();
        let mut checked = 0;
        for kind in PosterSettings::LISTS {
            for item in the_items(&api, community, kind) {
                let name = squeeze(&item.label());
                assert!(text.contains(&name), "{community}: {name} is not on the poster");
                let unit = item.handling_unit_text.clone().or_else(|| item.subject.clone());
                if let Some(unit) = unit.filter(|u| !u.trim().is_empty()) {
                    let label = if item.handling_unit_text.is_some() { "承办机构" } else { "责任主体" };
                    let printed = squeeze(&format!("{name}{label}：{unit}"));
                    assert!(raw.contains(&printed), "{community}: {printed} is not on the poster");
                }
                checked += 1;
            }
        }
        assert!(checked > 50, "{community}: {checked} items");
        for heading in ["依法履行职责事项", "依法协助政府工作事项", "负面清单", "保留的证明事项（可出具）", "不得出具的证明事项"] {
            assert!(text.contains(heading), "{community}: no {heading}");
        }
    }
}

#[test]
fn a_street_keeps_its_own_lists_and_columns() {
    let mut api = sample();
    let street = api.find_jurisdiction("青溪街道").expect("street");
    let chosen = PosterSettings {
        lists: vec![ListKind::CommunityCertificate, ListKind::CommunityAssist],
        columns: vec!["name".into(), "requesting_unit".into(), "basis".into()],
    };
    let kept = api.set_poster_settings(street, Some(&chosen), "测试").expect("saved");
    assert!(kept.saved);
    assert_eq!(kept.settings.columns, ["requesting_unit", "basis"]);
    // A community's posters follow its street's settings.
    let community = api.find_jurisdiction("柳岸社区").expect("community");
    assert_eq!(api.poster_choices(community).expect("choices").settings, kept.settings);
    let posters = api.community_posters(street).expect("posters");
    for poster in &posters {
        let headings: Vec<&str> = poster.sections.iter().map(|s| s.heading.as_str()).collect();
        assert!(headings[0].starts_with("保留的证明事项"), "{headings:?}");
        assert!(headings.last().is_some_and(|h| h.starts_with("依法协助政府工作事项")), "{headings:?}");
        let assist = poster.sections.last().expect("assist");
        for entry in &assist.entries {
            let labels: Vec<&str> = entry.details.iter().map(|d| d.label.as_str()).collect();
            assert_eq!(labels, ["提出部门", "实施依据"], "{}", entry.name);
        }
    }
    if pdftotext_available() {
        let dir = tempfile::tempdir().expect("tempdir");
        let files = write_one(&api, "青溪街道", dir.path());
        let text = squeeze(&pages_of(Path::new(&files[0]), false).concat());
        assert!(!text.contains("依法履行职责事项") && !text.contains("负面清单"), "lists not chosen are printed");
        assert!(!text.contains("承办机构："), "a column not chosen is printed");
        assert!(text.contains("提出部门：") && text.contains("实施依据："));
    }
    // Refused: a street list on a poster, a settings of a community.
    let wrong = PosterSettings { lists: vec![ListKind::StreetBasic], columns: Vec::new() };
    assert_eq!(api.set_poster_settings(street, Some(&wrong), "测试").unwrap_err().code, ErrorCode::InvalidInput);
    assert_eq!(api.set_poster_settings(community, Some(&chosen), "测试").unwrap_err().code, ErrorCode::InvalidInput);
    // Back to the default: every list, the handling unit.
    let reset = api.set_poster_settings(street, None, "测试").expect("reset");
    assert!(!reset.saved);
    assert_eq!(reset.settings, PosterSettings::default());
}

#[test]
fn no_sample_poster_ends_on_a_nearly_empty_sheet() {
    if !pdftotext_available() {
        return;
    }
    let api = sample();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sheets = 0;
    for street in ["青溪街道", "临江街道"] {
        for file in write_one(&api, street, dir.path()) {
            let pages = pages_of(Path::new(&file), false);
            sheets += pages.len();
            let counts: Vec<usize> = pages.iter().map(|p| entries_on(p)).collect();
            let fullest = counts.iter().copied().max().unwrap_or(0);
            let last = counts.last().copied().unwrap_or(0);
            // A third of the fullest sheet's entries at least (a nearly-empty sheet held 5 of 40).
            assert!(pages.len() < 2 || last * 3 >= fullest, "{file}: entries per sheet {counts:?}");
        }
    }
    assert!(sheets > 6, "{sheets} sheets");
}
