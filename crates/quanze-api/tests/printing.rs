//! 打印 through the print service, with stand-in `lp` and `lpstat` scripts that answer as CUPS
//! does and record what they were asked.

mod backends;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use quanze_api::{ErrorCode, NoticeRequest, PrintRequest, PrintService, WrittenFiles};

struct StandIn {
    dir: tempfile::TempDir,
}

impl StandIn {
    /// `lpstat` lists `printers` (the default given by `default`); `lp` records its arguments,
    /// one a line, and answers with a job name, or fails with `lp_failure` on stderr.
    fn new(printers: &[&str], default: Option<&str>, lp_failure: Option<&str>) -> StandIn {
        let dir = tempfile::tempdir().expect("temp dir");
        let default_line = match default {
            Some(name) => format!("system default destination: {name}"),
            None => "no system default destination".to_string(),
        };
        script(
            &dir.path().join("lpstat"),
            &format!(
                "case \"$1\" in\n  -e) printf '{}' ;;\n  -d) echo '{default_line}' ;;\nesac\n",
                printers.iter().map(|p| format!("{p}\\n")).collect::<String>()
            ),
        );
        let log = dir.path().join("lp-args.txt");
        let body = match lp_failure {
            Some(said) => format!("echo '{said}' >&2\nexit 1\n"),
            None => format!(
                "for a in \"$@\"; do printf '%s\\n' \"$a\" >> '{}'; done\necho \"request id is $2-7 (1 file(s))\"\n",
                log.display()
            ),
        };
        script(&dir.path().join("lp"), &body);
        StandIn { dir }
    }

    fn service(&self) -> PrintService {
        PrintService::with_programs(self.dir.path().join("lp"), self.dir.path().join("lpstat"))
    }

    /// What `lp` was asked, or `None` when it never ran.
    fn lp_args(&self) -> Option<Vec<String>> {
        let text = std::fs::read_to_string(self.dir.path().join("lp-args.txt")).ok()?;
        Some(text.lines().map(str::to_string).collect())
    }

    /// A file written "in this session", as an export's would be.
    fn written_pdf(&self, name: &str, written: &WrittenFiles) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, b"%PDF-1.7\n").expect("write");
        written.remember([path.clone()]);
        path.display().to_string()
    }
}

fn script(path: &Path, body: &str) {
    std::fs::write(path, format!("#!/bin/sh\n{body}")).expect("write script");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

fn request(paths: Vec<String>, printer: &str) -> PrintRequest {
    PrintRequest {
        paths,
        printer: printer.to_string(),
        copies: 1,
        two_sided: false,
        pages: None,
    }
}

#[test]
fn printers_are_listed_with_the_default_first() {
    let stand_in = StandIn::new(&["档案室", "办公室"], Some("办公室"), None);
    let printers = stand_in.service().printers().expect("printers");
    let names: Vec<(&str, bool)> = printers.iter().map(|p| (p.name.as_str(), p.is_default)).collect();
    assert_eq!(names, [("办公室", true), ("档案室", false)]);

    let none = StandIn::new(&[], None, None);
    assert!(none.service().printers().expect("an empty list is an answer").is_empty());
}

#[test]
fn a_written_notice_goes_to_the_printer_with_the_options_of_the_form() {
    let stand_in = StandIn::new(&["办公室"], Some("办公室"), None);
    let written = WrittenFiles::default();
    let first = stand_in.written_pdf("社区一.pdf", &written);
    let second = stand_in.written_pdf("社区二.pdf", &written);
    let job = stand_in
        .service()
        .print_written(
            &written,
            &PrintRequest {
                copies: 3,
                two_sided: true,
                pages: Some("1－2，4".to_string()),
                ..request(vec![first.clone(), second.clone()], "办公室")
            },
        )
        .expect("printed");
    assert_eq!(job.job.as_deref(), Some("办公室-7"));
    assert_eq!(job.files, 2);
    let expected: Vec<String> = [
        "-d", "办公室", "-n", "3", "-t", "社区一.pdf 等 2 个文件", "-o", "sides=two-sided-long-edge",
        "-P", "1-2,4", "--",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([first, second])
    .collect();
    assert_eq!(stand_in.lp_args(), Some(expected));
}

#[test]
fn one_sided_is_asked_for_when_both_sides_is_off() {
    let stand_in = StandIn::new(&["办公室"], None, None);
    let written = WrittenFiles::default();
    let path = stand_in.written_pdf("公示.pdf", &written);
    stand_in.service().print_written(&written, &request(vec![path], "办公室")).expect("printed");
    let args = stand_in.lp_args().expect("lp ran");
    assert!(args.windows(2).any(|w| w == ["-o", "sides=one-sided"]), "{args:?}");
    assert!(!args.contains(&"-P".to_string()), "every page: {args:?}");
}

#[test]
fn what_the_form_must_not_send_is_refused_before_lp_runs() {
    let stand_in = StandIn::new(&["办公室"], Some("办公室"), None);
    let written = WrittenFiles::default();
    let path = stand_in.written_pdf("公示.pdf", &written);
    let service = stand_in.service();

    let not_written = service.print_written(&written, &request(vec!["/etc/passwd".into()], "办公室"));
    assert!(matches!(not_written, Err(ref e) if e.code == ErrorCode::InvalidInput), "{not_written:?}");

    let gone = service.print_written(&written, &request(vec![path.clone()], "已删除的打印机"));
    assert!(matches!(gone, Err(ref e) if e.code == ErrorCode::Printing && e.message.contains("已删除的打印机")), "{gone:?}");

    let options = service.print_written(&written, &request(vec![path.clone()], "-oraw"));
    assert!(matches!(options, Err(ref e) if e.code == ErrorCode::Printing), "an option as a printer: {options:?}");

    for (copies, pages) in [(0, None), (1000, None), (1, Some("5-2"))] {
        let refused = service.print_written(
            &written,
            &PrintRequest {
                copies,
                pages: pages.map(str::to_string),
                ..request(vec![path.clone()], "办公室")
            },
        );
        assert!(matches!(refused, Err(ref e) if e.code == ErrorCode::InvalidInput), "{copies} {pages:?}: {refused:?}");
    }
    assert_eq!(stand_in.lp_args(), None, "lp never ran");
}

#[test]
fn a_missing_service_and_a_refused_job_say_so_with_the_printing_code() {
    let missing = PrintService::with_programs(PathBuf::from("/nonexistent/lp"), PathBuf::from("/nonexistent/lpstat"));
    let error = missing.printers().expect_err("no service");
    assert_eq!(error.code, ErrorCode::Printing);
    assert!(error.message.contains("打开"), "points to 打开: {}", error.message);

    let refusing = StandIn::new(&["办公室"], Some("办公室"), Some("lp: The printer is not accepting jobs."));
    let written = WrittenFiles::default();
    let path = refusing.written_pdf("公示.pdf", &written);
    let error = refusing
        .service()
        .print_written(&written, &request(vec![path], "办公室"))
        .expect_err("refused");
    assert_eq!(error.code, ErrorCode::Printing);
    assert!(error.message.contains("not accepting jobs"), "{}", error.message);
}

#[test]
fn a_notice_to_print_is_written_as_a_pdf_named_by_its_title_in_a_folder_of_its_own() {
    let mut api = backends::fresh_api();
    api.load_sample_district("测试").expect("sample");
    let request = NoticeRequest {
        lists: vec![1],
        title: Some("关于公布/测试清单的通知".into()),
        ..NoticeRequest::default()
    };
    let first = api.write_notice_for_printing(&request).expect("written");
    let second = api.write_notice_for_printing(&request).expect("written again");
    for path in [&first, &second] {
        assert_eq!(path.file_name().and_then(|n| n.to_str()), Some("关于公布_测试清单的通知.pdf"));
        assert!(path.starts_with(std::env::temp_dir().join("quanze-print")), "{}", path.display());
        assert!(std::fs::read(path).expect("read").starts_with(b"%PDF"), "{} is a PDF", path.display());
    }
    assert_ne!(first.parent(), second.parent(), "two prints do not share a folder");
    for path in [first, second] {
        if let Some(folder) = path.parent() {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}
