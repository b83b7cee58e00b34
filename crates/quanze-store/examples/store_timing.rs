//! Timings of the store's common paths on a SQLite file, to compare two builds (issue 19: the
//! backend seam must not slow SQLite down). 50,000 items written in one run (as an import
//! does), the whole list read, pages of 200 read, 2,000 items updated in one write, 300 writes
//! of one item each, the audit log's newest 100. Median of `RUNS` (default 3) runs.
//!
//! `cargo run --release -p quanze-store --example store_timing [RUNS]`

use std::time::Instant;

use quanze_domain::{DutyList, Item, Jurisdiction, Level, ListKind, Unit, UnitKind};
use quanze_store::{ItemRun, Store};

const ITEMS: u32 = 50_000;

fn items() -> Vec<Item> {
    let duty = "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应的责任：（一）对符合条件的申请不予受理的；（二）对不符合条件的申请予以批准的。";
    (0..ITEMS)
        .map(|n| Item {
            name: format!("对第{n}类违法行为的行政处罚"),
            basis: Some(format!("【法律】《中华人民共和国某某法》第{}条", n % 300)),
            power_type: Some("行政处罚".into()),
            handling_unit: Some(1),
            responsibility: Some(duty.into()),
            accountability_cases: Some(duty.into()),
            ..Item::default()
        })
        .collect()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(3);
    let names = ["insert 50,000 items (one run)", "read the whole list", "read 250 pages of 200", "update 2,000 items in one write", "300 writes of one item", "audit log, newest 100"];
    let mut times: Vec<Vec<f64>> = names.iter().map(|_| Vec::new()).collect();
    let items = items();
    for _ in 0..runs {
        let dir = tempfile::tempdir()?;
        let mut store = Store::open(&dir.path().join("timing.db"))?;
        let list = store.write("计时", None, |w| {
            w.put(&mut Jurisdiction::new(1, None, "示例区", Level::District))?;
            w.put(&mut Unit::new(1, 1, "区应急管理局", UnitKind::Administrative))?;
            let mut list = quanze_store::ListRecord::new(&DutyList {
                uid: None,
                id: 1,
                jurisdiction: 1,
                unit: Some(1),
                kind: ListKind::Power,
                name: "区应急管理局权责清单".into(),
                note: None,
                items: Vec::new(),
            });
            w.put(&mut list)
        })?;
        let mut clock = Instant::now();
        let mut lap = |slot: usize, clock: &mut Instant| {
            times[slot].push(clock.elapsed().as_secs_f64());
            *clock = Instant::now();
        };
        let run = ItemRun { source: "计时".into(), details: Vec::new() };
        let ids = store.write("计时", None, |w| w.insert_items(list, 0, &items, &run))?;
        lap(0, &mut clock);
        let all = store.reader().list_item_records(list)?;
        assert_eq!(all.len(), items.len());
        lap(1, &mut clock);
        for page in 0..250 {
            let got = store.reader().items(list, page * 200, 200)?;
            assert_eq!(got.len(), 200);
        }
        lap(2, &mut clock);
        store.write("计时", None, |w| {
            for record in all.iter().take(2_000) {
                let mut changed = record.clone();
                changed.item.name.push_str("（修订）");
                w.put(&mut changed)?;
            }
            Ok(())
        })?;
        lap(3, &mut clock);
        for id in ids.iter().skip(3_000).take(300) {
            store.write("计时", None, |w| {
                let mut record = w.reader().item(*id)?;
                record.item.remarks = Some("已核对".into());
                w.put(&mut record)
            })?;
        }
        lap(4, &mut clock);
        let log = store.reader().audit_log(100, None)?;
        assert_eq!(log.len(), 100);
        lap(5, &mut clock);
    }
    for (name, values) in names.iter().zip(times) {
        let all: Vec<String> = values.iter().map(|v| format!("{:.3}", v)).collect();
        println!("{name:<34} {:>8.3} s   (runs: {})", median(values.clone()), all.join(" "));
    }
    Ok(())
}
