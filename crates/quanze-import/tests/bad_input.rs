//! Bad input: each gets a clear Chinese error naming the file (and the sheet), nothing panics
//! or aborts.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;

use common::{write_xlsx, SheetSpec};
use quanze_import::{plan_import, read_workbook_bytes, ImportError, ImportOptions, Limits};

/// Plan an import of `bytes` saved as `name` next to a good file; expect failure with a message
/// that contains every one of `wanted`. (That such a failure leaves the database unchanged is
/// `crates/quanze-api/tests/import.rs`, where the database is written.)
fn refused(name: &str, bytes: &[u8], wanted: &[&str]) -> ImportError {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("好的清单.xlsx");
    write_xlsx(
        &good,
        &[SheetSpec {
            name: "Sheet1",
            rows: vec![
                vec![Some("序号"), Some("事项名称"), Some("权力类型")],
                vec![Some("1"), Some("一条好事项"), Some("行政许可")],
            ],
            merges: vec![],
        }],
    );
    let bad = dir.path().join(name);
    std::fs::write(&bad, bytes).unwrap();
    let files: Vec<PathBuf> = vec![good, bad];
    let err = plan_import(&files, &ImportOptions::default()).expect_err("must be refused");
    let message = err.to_string();
    for w in wanted {
        assert!(message.contains(w), "message {message:?} lacks {w:?}");
    }
    assert!(message.contains(name), "message names the file: {message}");
    assert!(err.is_user_error(), "{message}");
    err
}

fn xlsx_bytes(sheets: &[SheetSpec<'_>]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.xlsx");
    write_xlsx(&path, sheets);
    std::fs::read(path).unwrap()
}

#[test]
fn corrupt_files() {
    let good = xlsx_bytes(&[SheetSpec {
        name: "Sheet1",
        rows: vec![vec![Some("a")]],
        merges: vec![],
    }]);
    refused("截断.xlsx", &good[..good.len() / 2], &["损坏"]);
    let mut garbage = b"PK\x03\x04".to_vec();
    garbage.extend((0..2000u32).map(|i| (i * 7919 % 251) as u8));
    refused("乱码.xlsx", &garbage, &["损坏"]);
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend([0u8; 600]);
    refused("坏的.xls", &ole, &["损坏"]);
}

#[test]
fn encrypted_workbooks() {
    let bytes = common::ole_with_streams(&[
        ("/EncryptionInfo", b"\x04\x00\x04\x00"),
        ("/EncryptedPackage", &[1u8; 64]),
    ]);
    refused("加密.xlsx", &bytes, &["加密", "密码"]);
}

#[test]
fn empty_files_and_workbooks() {
    refused("空.xlsx", b"", &["空文件"]);
    let empty = xlsx_bytes(&[SheetSpec {
        name: "Sheet1",
        rows: vec![],
        merges: vec![],
    }]);
    refused("空表.xlsx", &empty, &["没有任何数据"]);
}

#[test]
fn a_sheet_without_a_recognizable_header() {
    let bytes = xlsx_bytes(&[SheetSpec {
        name: "说明",
        rows: vec![vec![Some("本表由某局编制")], vec![Some("联系人：张三")]],
        merges: vec![],
    }]);
    let err = refused("无表头.xlsx", &bytes, &["工作表“说明”", "表头"]);
    assert!(matches!(err, ImportError::NoHeader { .. }));
}

#[test]
fn not_spreadsheets() {
    refused(
        "报告.xlsx",
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj",
        &["PDF"],
    );
    refused("图片.xls", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", &["图片"]);
    refused(
        "网页.xls",
        b"<html><body><table><tr><td>1</td></tr></table></body></html>",
        &["HTML"],
    );
    let binary: Vec<u8> = (0..4096u32).map(|i| (i * 31 % 256) as u8).collect();
    refused("数据.bin", &binary, &["不是可导入的电子表格"]);
}

#[test]
fn gbk_text_misread_as_utf8_is_refused() {
    let (gbk, _, _) =
        encoding_rs::GBK.encode("序号,事项名称,权力类型\n1,对违法排污的处罚,行政处罚\n");
    // What an editor does when it opens GBK as UTF-8 and saves: replacement characters.
    let damaged = String::from_utf8_lossy(&gbk).into_owned();
    let err = refused("乱码.csv", damaged.as_bytes(), &["乱码", "GBK"]);
    assert!(matches!(err, ImportError::Mojibake { .. }));
    // …or as Latin-1.
    let latin1: String = gbk.iter().map(|b| char::from(*b)).collect();
    refused("乱码2.csv", latin1.as_bytes(), &["乱码"]);
}

#[test]
fn absurd_declared_dimensions_are_refused_before_allocation() {
    let err = refused(
        "巨大.xlsx",
        &common::absurd_xlsx(),
        &["工作表“Sheet1”", "1048576 行 × 16384 列"],
    );
    assert!(matches!(err, ImportError::TooLarge { .. }));
    // A BIFF8 sheet declaring 1,048,576 rows.
    let err = refused(
        "巨大.xls",
        &common::crafted_xls(1_048_576, 1, 1),
        &["工作表“Sheet1”", "1048576 行"],
    );
    assert!(matches!(err, ImportError::TooLarge { .. }), "{err}");
    // A BIFF8 sheet with cells at A1 and IV65536: calamine would build a 16.7-million-cell grid.
    let err = refused(
        "角落.xls",
        &common::crafted_xls(2, 65_535, 255),
        &["工作表“Sheet1”", "65536 行 × 256 列"],
    );
    assert!(matches!(err, ImportError::TooLarge { .. }), "{err}");
}

#[test]
fn a_small_crafted_xls_within_limits_reads() {
    let wb = read_workbook_bytes("小.xls", &common::crafted_xls(3, 2, 3), &Limits::default())
        .expect("reads");
    assert_eq!(wb.sheets[0].cell_count(), 2);
}

#[test]
fn limits_on_cells_and_text_length() {
    let long = "长".repeat(40_000);
    let bytes = format!("事项名称,备注\n甲,{long}\n");
    let err =
        read_workbook_bytes("长.csv", bytes.as_bytes(), &Limits::default()).expect_err("too long");
    assert!(err.to_string().contains("过长"), "{err}");
    let limits = Limits {
        max_cells: 3,
        ..Limits::default()
    };
    let err = read_workbook_bytes("多.csv", b"a,b\nc,d\n", &limits).expect_err("too many");
    assert!(matches!(err, ImportError::TooManyCells { .. }));
    let limits = Limits {
        max_file_bytes: 4,
        ..Limits::default()
    };
    let err = read_workbook_bytes("大.csv", b"a,b\nc,d\n", &limits).expect_err("too big");
    assert!(matches!(err, ImportError::FileTooLarge { .. }));
}

#[test]
fn garbage_never_panics() {
    // A cheap, deterministic cousin of the fuzz target (fuzz/): mutated real-format bytes.
    let seeds = [
        xlsx_bytes(&[SheetSpec {
            name: "S",
            rows: vec![
                vec![Some("序号"), Some("事项名称")],
                vec![Some("1"), Some("甲")],
            ],
            merges: vec![(0, 0, 1, 0)],
        }]),
        common::crafted_xls(3, 2, 3),
        "序号,事项名称\n1,甲\n".as_bytes().to_vec(),
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for seed in &seeds {
        for _ in 0..300 {
            let mut bytes = seed.clone();
            for _ in 0..1 + (state % 8) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = (state as usize) % bytes.len();
                bytes[at] = (state >> 32) as u8;
            }
            let _ = read_workbook_bytes("变异", &bytes, &Limits::default());
        }
    }
}

/// Inputs the fuzzer (fuzz/) found that made calamine panic; each is now refused by a guard
/// before calamine sees it (not merely caught).
#[test]
fn fuzzer_findings_are_refused_before_calamine() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for name in ["f.xlsx", "f.xls", "f.csv", "f.ods", "f"] {
            if let Err(e) = read_workbook_bytes(name, &bytes, &Limits::default()) {
                assert!(
                    !e.to_string().contains("读取时出错"),
                    "{}: reached a reader panic: {e}",
                    path.display()
                );
            }
        }
        seen += 1;
    }
    assert!(seen > 0);
}

#[test]
fn damaged_xls_records_are_refused_by_the_guards() {
    // MERGECELLS claiming 100 ranges with room for one.
    let mut merge = 100u16.to_le_bytes().to_vec();
    merge.extend([0u8; 8]);
    let bytes = common::crafted_xls_with(3, 2, 3, &[(0x00E5, merge)]);
    let err = read_workbook_bytes("合并.xls", &bytes, &Limits::default()).expect_err("refused");
    assert!(err.to_string().contains("MERGECELLS"), "{err}");
    // MULRK whose last column is before its first.
    let mut mulrk = Vec::new();
    mulrk.extend(1u16.to_le_bytes());
    mulrk.extend(5u16.to_le_bytes());
    mulrk.extend([0u8; 6]);
    mulrk.extend(2u16.to_le_bytes());
    let bytes = common::crafted_xls_with(3, 2, 3, &[(0x00BD, mulrk)]);
    let err = read_workbook_bytes("倒序.xls", &bytes, &Limits::default()).expect_err("refused");
    assert!(err.to_string().contains("MULRK"), "{err}");
    // A well-formed MERGECELLS passes and its range is read.
    let mut merge = 1u16.to_le_bytes().to_vec();
    for v in [0u16, 2, 0, 0] {
        merge.extend(v.to_le_bytes());
    }
    let bytes = common::crafted_xls_with(3, 2, 3, &[(0x00E5, merge)]);
    let wb = read_workbook_bytes("好.xls", &bytes, &Limits::default()).expect("reads");
    assert_eq!(wb.sheets[0].merges.len(), 1);
}
