//! Property: any bundle written to YAML reads back equal, and writes the same text again —
//! including text a YAML writer could mangle (`yes`, `1.0`, `007`, `- x`, `a: b`, `#`, leading
//! spaces, line breaks, full-width and rare CJK characters, empty strings).

use proptest::prelude::*;
use quanze_domain::{
    Bundle, DutyList, ExtraField, Item, Jurisdiction, Level, ListKind, Provenance,
};

fn tricky_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("yes".to_string()),
        Just("NO".to_string()),
        Just("null".to_string()),
        Just("~".to_string()),
        Just("1.0".to_string()),
        Just("007".to_string()),
        Just("2,3".to_string()),
        Just("- 条目".to_string()),
        Just("键: 值".to_string()),
        Just("# 不是注释".to_string()),
        Just("  前导空格".to_string()),
        Just("尾随空格  ".to_string()),
        Just("第一行\n第二行\n".to_string()),
        Just("=SUM(A1:A2)".to_string()),
        Just("'单引号' \"双引号\"".to_string()),
        Just("【法律】《中华人民共和国行政许可法》第三十条".to_string()),
        Just("𠀀𪚥 全角：（）".to_string()),
        "[\\p{Han}a-z0-9 ,.:#\\-\\n'\"]{0,40}",
    ]
}

fn item(id: u32) -> impl Strategy<Value = Item> {
    (
        "[\\p{Han}]{1,12}",
        proptest::option::of(tricky_text()),
        proptest::option::of(tricky_text()),
        proptest::option::of(tricky_text()),
        proptest::collection::vec((tricky_text(), tricky_text()), 0..3),
        proptest::option::of((tricky_text(), 1u32..70_000)),
    )
        .prop_map(move |(name, seq, basis, remarks, extra, provenance)| Item {
            id,
            name,
            seq,
            basis,
            remarks,
            extra: extra
                .into_iter()
                .map(|(header, value)| ExtraField { header, value })
                .collect(),
            provenance: provenance.map(|(sheet, row)| Provenance {
                file: "旧表.xls".into(),
                sheet,
                row,
                merged_rows: vec![row + 1],
            }),
            ..Item::default()
        })
}

fn bundle() -> impl Strategy<Value = Bundle> {
    (1usize..6).prop_flat_map(|n| {
        let items: Vec<_> = (1..=n).map(|i| item(u32::try_from(i).unwrap_or(1))).collect();
        (items, tricky_text()).prop_map(|(items, note)| Bundle {
            jurisdictions: vec![Jurisdiction {
                admin_code: Some("007".into()),
                ..Jurisdiction::new(1, None, "测试区", Level::District)
            }],
            lists: vec![DutyList {
                uid: None,
                id: 1,
                jurisdiction: 1,
                unit: None,
                kind: ListKind::Power,
                name: "测试清单".into(),
                note: Some(note),
                items,
            }],
            ..Bundle::default()
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn yaml_round_trip_is_exact(bundle in bundle()) {
        let text = bundle.to_yaml().expect("write");
        let back = Bundle::from_yaml(&text).expect("read");
        prop_assert_eq!(&back, &bundle);
        prop_assert_eq!(back.to_yaml().expect("write again"), text);
    }

    #[test]
    fn json_round_trip_is_exact(bundle in bundle()) {
        let text = bundle.to_json().expect("write");
        let back = Bundle::from_json(&text).expect("read");
        prop_assert_eq!(back, bundle);
    }
}
