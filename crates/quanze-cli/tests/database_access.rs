//! How the CLI opens a database (issue 13, item 8): a read command never creates one (a
//! mistyped `--db` is an error, not an empty answer), a database that cannot be written is read
//! read-only and every write is refused with a clear message, and a search index left half
//! built by a killed command is finished by the next one.
//!
//! Write protection means nothing to root, and `.ci/run` runs as root: there the protected
//! cases run the CLI as the unprivileged user `nobody` (with `setpriv`, from a copy of the
//! binary in a folder `nobody` can reach). Under CI, a machine that can do neither fails.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(program: &mut Command) -> Output {
    program.output().expect("run quanze")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn quanze(db: &Path, args: &[&str]) -> Output {
    run(Command::new(env!("CARGO_BIN_EXE_quanze"))
        .arg("--db")
        .arg(db)
        .args(args))
}

fn succeeded(output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        text(&output.stdout),
        text(&output.stderr)
    );
    text(&output.stdout)
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Runs the CLI as someone whom file permissions bind: the current user when it is not root,
/// else `nobody` through `setpriv`. `None` when neither is possible on this machine.
struct UnprivilegedRunner {
    /// The binary to run (a copy `nobody` may execute, when root).
    program: PathBuf,
    as_nobody: bool,
}

impl UnprivilegedRunner {
    fn new(folder: &Path) -> Option<UnprivilegedRunner> {
        let uid = run(Command::new("id").arg("-u"));
        let root = text(&uid.stdout).trim() == "0";
        if !root {
            return Some(UnprivilegedRunner {
                program: PathBuf::from(env!("CARGO_BIN_EXE_quanze")),
                as_nobody: false,
            });
        }
        let setpriv = Command::new("setpriv").arg("--version").output();
        if !setpriv.is_ok_and(|o| o.status.success()) {
            return None;
        }
        let program = folder.join("quanze");
        std::fs::copy(env!("CARGO_BIN_EXE_quanze"), &program).expect("copy the binary");
        set_mode(&program, 0o755);
        Some(UnprivilegedRunner {
            program,
            as_nobody: true,
        })
    }

    fn quanze(&self, db: &Path, args: &[&str]) -> Output {
        let mut command = if self.as_nobody {
            let mut setpriv = Command::new("setpriv");
            setpriv
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&self.program);
            setpriv
        } else {
            Command::new(&self.program)
        };
        run(command.arg("--db").arg(db).args(args))
    }
}

/// A folder that `nobody` can enter (tempdirs are private to their owner).
fn open_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    set_mode(dir.path(), 0o755);
    dir
}

fn runner_or_skip(folder: &Path) -> Option<UnprivilegedRunner> {
    let runner = UnprivilegedRunner::new(folder);
    if runner.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "under CI this test must run: as root it needs setpriv (util-linux) to drop privileges"
        );
        eprintln!("skipped: running as root without setpriv, write protection cannot be tested");
    }
    runner
}

fn loaded(folder: &Path) -> PathBuf {
    let db = folder.join("区.db");
    let fixture = workspace().join("tests/fixtures/every-kind.yaml");
    succeeded(&quanze(
        &db,
        &["load", fixture.to_str().expect("utf-8 path")],
    ));
    db
}

/// The first list's first item, as `edit` names them.
fn an_edit(db_lists: &str) -> Vec<String> {
    let list = db_lists
        .lines()
        .nth(1)
        .and_then(|line| line.split('\t').next())
        .expect("a list")
        .to_string();
    vec![
        "edit",
        "--list",
        &list,
        "--item",
        "1",
        "--field",
        "name",
        "--value",
        "改过的名称",
    ]
    .into_iter()
    .map(str::to_string)
    .collect()
}

#[test]
fn a_read_command_on_a_missing_database_is_refused_and_creates_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mistyped = dir.path().join("拼错的文件夹").join("区.db");
    for command in [
        &["lists"][..],
        &["dump"],
        &["search", "消防"],
        &["check"],
        &["history"],
    ] {
        let output = quanze(&mistyped, command);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{command:?}: {}",
            text(&output.stderr)
        );
        assert!(
            text(&output.stderr).contains("找不到数据库文件"),
            "{}",
            text(&output.stderr)
        );
    }
    assert!(
        !dir.path().join("拼错的文件夹").exists(),
        "a read command created the folder"
    );
    // `init` (and load, import) still create it.
    succeeded(&quanze(&mistyped, &["init"]));
    assert!(mistyped.is_file());
}

#[test]
fn a_write_protected_database_is_read_and_writes_are_refused() {
    let dir = open_folder();
    let Some(runner) = runner_or_skip(dir.path()) else {
        return;
    };
    let db = loaded(dir.path());
    let before = succeeded(&quanze(&db, &["dump"]));
    set_mode(&db, 0o444);

    let lists = runner.quanze(&db, &["lists"]);
    let listed = succeeded(&lists);
    assert!(
        text(&lists.stderr).contains("只读"),
        "{}",
        text(&lists.stderr)
    );
    assert_eq!(succeeded(&runner.quanze(&db, &["dump"])), before);

    let edit = an_edit(&listed);
    let refused = runner.quanze(&db, &edit.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    assert!(
        text(&refused.stderr).contains("是只读的"),
        "{}",
        text(&refused.stderr)
    );
    set_mode(&db, 0o644);
    assert_eq!(
        succeeded(&quanze(&db, &["dump"])),
        before,
        "a refused write changed the database"
    );
}

#[test]
fn a_database_in_a_read_only_folder_is_read_without_side_files() {
    let dir = open_folder();
    let Some(runner) = runner_or_skip(dir.path()) else {
        return;
    };
    let folder = dir.path().join("只读共享");
    std::fs::create_dir(&folder).expect("folder");
    let db = loaded(&folder);
    let before = succeeded(&quanze(&db, &["dump"]));
    // The file itself stays writable for its owner; the folder is what forbids writing
    // (WAL's -shm and -wal files cannot be made there).
    set_mode(&db, 0o644);
    set_mode(&folder, 0o555);

    let dumped = runner.quanze(&db, &["dump"]);
    assert_eq!(succeeded(&dumped), before, "{}", text(&dumped.stderr));
    assert!(
        text(&dumped.stderr).contains("只读"),
        "{}",
        text(&dumped.stderr)
    );
    let search = runner.quanze(&db, &["search", "许可"]);
    succeeded(&search);
    let names: Vec<_> = std::fs::read_dir(&folder)
        .expect("list folder")
        .map(|e| e.expect("entry").file_name())
        .collect();
    set_mode(&folder, 0o755);
    assert_eq!(names.len(), 1, "side files were made: {names:?}");
}

/// Issue 14: an import killed at any moment leaves all of its items, searchable, or none —
/// there is no search index to finish afterwards, so nothing can be left half built.
#[test]
fn an_import_killed_at_any_moment_leaves_all_its_items_searchable_or_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("大表.csv");
    let rows = 20_000;
    let mut body = String::from("序号,事项名称,实施依据\n");
    for n in 1..=rows {
        body.push_str(&format!("{n},对第{n}种违法行为的处罚,《示例条例》第{n}条\n"));
    }
    std::fs::write(&csv, body).expect("csv");
    for (attempt, delay_ms) in [150_u64, 600, 1_500, 60_000].into_iter().enumerate() {
        let db = dir.path().join(format!("{attempt}.db"));
        succeeded(&quanze(&db, &["init"]));
        let mut child = Command::new(env!("CARGO_BIN_EXE_quanze"))
            .arg("--db")
            .arg(&db)
            .args(["import", "--jurisdiction", "某区", csv.to_str().expect("utf-8 path")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(delay_ms);
        while std::time::Instant::now() < deadline && child.try_wait().expect("wait").is_none() {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let _ = child.kill();
        let _ = child.wait();
        let conn = rusqlite::Connection::open(&db).expect("open");
        let items: i64 = conn.query_row("SELECT count(*) FROM items", [], |r| r.get(0)).expect("count");
        assert!(items == 0 || items == rows, "attempt {attempt}: {items} items");
        let found: serde_json::Value =
            serde_json::from_str(&succeeded(&quanze(&db, &["search", "第19999种", "--json"]))).expect("json");
        let expected = usize::from(items == rows);
        assert_eq!(found.as_array().map(Vec::len), Some(expected), "attempt {attempt}");
    }
}

#[test]
fn a_refused_load_leaves_no_new_database_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bundle = dir.path().join("坏.yaml");
    std::fs::write(&bundle, "format: quanze-bundle\nformat_version: 1\njurisdictions:\n- id: 1\n  name: 区\n  level: 不存在的层级\n")
        .expect("write");
    let db = dir.path().join("新.db");
    let refused = quanze(&db, &["load", bundle.to_str().expect("utf-8 path")]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("新.db"))
        .collect();
    assert!(left.is_empty(), "a refused load left {left:?}");
    // A database that existed is kept, of course.
    succeeded(&quanze(&db, &["init"]));
    let refused = quanze(&db, &["load", bundle.to_str().expect("utf-8 path")]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(db.is_file());
}
