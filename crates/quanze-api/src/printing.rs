//! 打印: sends files this session wrote (a notice, a street's posters) to a printer through the
//! system's print service, with what the app's print form asks: printer, copies, both sides,
//! pages. `lpstat` lists the printers and `lp` submits the job (CUPS, on UOS, Kylin and every
//! other Linux desktop).
//!
//! Why the print service and not the webview's print dialog: the webview would print the page
//! on screen, not the PDF that was laid out to print exactly; `lp` sends that very file. As with
//! 打开, only files written in this session may be printed ([`WrittenFiles::check`]), and the
//! printer must be one the service lists, so no argument of `lp` comes from anywhere else.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Api, ApiError, ErrorCode, NoticeFormat, NoticeRequest, WrittenFiles};

/// A printer (a CUPS destination).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Printer {
    pub name: String,
    /// The system's default printer, chosen first in the print form.
    pub is_default: bool,
}

/// What the print form asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PrintRequest {
    /// Absolute paths of files this session wrote; several (the posters of a street) make one
    /// job, printed in this order.
    pub paths: Vec<String>,
    pub printer: String,
    /// 份数, 1 to [`MAX_COPIES`].
    pub copies: u32,
    /// 双面打印 (long edge, as a notice is bound); otherwise one-sided, whatever the printer's
    /// own default.
    pub two_sided: bool,
    /// 页码范围 such as `1-3,5`; absent or blank for every page.
    #[ts(optional)]
    #[serde(default)]
    pub pages: Option<String>,
}

/// A job the print service accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PrintJob {
    pub printer: String,
    /// The service's name of the job (`办公室-12`), when it said one.
    #[ts(optional)]
    pub job: Option<String>,
    pub files: u32,
}

/// More copies than any notice needs is a slip of the keyboard.
pub const MAX_COPIES: u32 = 200;

const NO_SERVICE: &str = "本机没有可用的打印服务（CUPS），无法从程序内打印。请点“打开”，在阅读器中打印";

/// The print service's two commands. [`PrintService::system`] finds them on PATH; tests give
/// stand-ins.
#[derive(Debug, Clone)]
pub struct PrintService {
    lp: PathBuf,
    lpstat: PathBuf,
}

impl PrintService {
    /// `lp` and `lpstat` from PATH.
    pub fn system() -> PrintService {
        PrintService::with_programs("lp", "lpstat")
    }

    pub fn with_programs(lp: impl Into<PathBuf>, lpstat: impl Into<PathBuf>) -> PrintService {
        PrintService {
            lp: lp.into(),
            lpstat: lpstat.into(),
        }
    }

    /// The printers the service knows, the default first. An empty list is an answer, not an
    /// error (the form then says that no printer is set up); a missing or stopped service is
    /// an error with code `printing`.
    pub fn printers(&self) -> Result<Vec<Printer>, ApiError> {
        let names = run(&self.lpstat, &["-e"])?;
        // `lpstat -d` fails on some systems when nothing is set up; no default is then fine.
        let default = run(&self.lpstat, &["-d"]).ok().and_then(|text| default_printer(&text));
        let mut printers: Vec<Printer> = names
            .lines()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(|name| Printer {
                name: name.to_string(),
                is_default: default.as_deref() == Some(name),
            })
            .collect();
        printers.sort_by_key(|p| !p.is_default);
        Ok(printers)
    }

    /// 打印 in the app: [`PrintService::print`], once [`WrittenFiles::check`] allows every path.
    pub fn print_written(&self, written: &WrittenFiles, request: &PrintRequest) -> Result<PrintJob, ApiError> {
        for path in &request.paths {
            written.check(Path::new(path))?;
        }
        self.print(request)
    }

    /// Send the files to the printer as one job (`quanze print`; the app goes through
    /// [`PrintService::print_written`]).
    pub fn print(&self, request: &PrintRequest) -> Result<PrintJob, ApiError> {
        if request.paths.is_empty() {
            return Err(ApiError::invalid_input("没有要打印的文件"));
        }
        for path in &request.paths {
            if !Path::new(path).is_file() {
                return Err(ApiError::invalid_input(format!("要打印的文件不存在：{path}")));
            }
        }
        if request.copies == 0 || request.copies > MAX_COPIES {
            return Err(ApiError::invalid_input(format!("份数应在 1 到 {MAX_COPIES} 之间")));
        }
        let pages = match request.pages.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(page_ranges(text)?),
        };
        let printers = self.printers()?;
        if !printers.iter().any(|p| p.name == request.printer) {
            return Err(ApiError::new(
                ErrorCode::Printing,
                format!("打印机“{}”不存在或已被删除，请重新选择", request.printer),
            ));
        }
        let copies = request.copies.to_string();
        let title = job_title(&request.paths);
        let mut args: Vec<&str> = vec!["-d", &request.printer, "-n", &copies, "-t", &title];
        args.extend([
            "-o",
            if request.two_sided { "sides=two-sided-long-edge" } else { "sides=one-sided" },
        ]);
        if let Some(pages) = &pages {
            args.extend(["-P", pages]);
        }
        args.push("--");
        args.extend(request.paths.iter().map(String::as_str));
        let answer = run(&self.lp, &args)?;
        Ok(PrintJob {
            printer: request.printer.clone(),
            job: job_name(&answer),
            files: u32::try_from(request.paths.len()).unwrap_or(u32::MAX),
        })
    }
}

impl Api {
    /// 打印… in the 公示 screen, without choosing where to save: the notice as PDF in a fresh
    /// folder of the system's temporary files, named by its title (the name the printer's queue
    /// shows). The print service copies a job's files when it accepts it, so nothing needs to
    /// stay there. The caller remembers the file as written before printing it.
    pub fn write_notice_for_printing(&self, request: &NoticeRequest) -> Result<PathBuf, ApiError> {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let folder = std::env::temp_dir().join("quanze-print").join(format!("{stamp}-{}", std::process::id()));
        std::fs::create_dir_all(&folder).map_err(|e| ApiError::write(&folder, &e))?;
        let draft = folder.join("公示.pdf");
        let notice = self.write_notice(request, NoticeFormat::Pdf, &draft, None)?;
        let named = folder.join(format!("{}.pdf", file_name_of(&notice.heading.title)));
        if named != draft {
            std::fs::rename(&draft, &named).map_err(|e| ApiError::write(&named, &e))?;
        }
        Ok(named)
    }
}

/// A title as a file name ([`crate::notice::file_stem`]), kept short; a blank title is 公示.
fn file_name_of(title: &str) -> String {
    if title.trim().is_empty() {
        return "公示".to_string();
    }
    crate::notice::file_stem(title).chars().take(60).collect()
}

/// Run a print-service command in the C locale (its answers are parsed) and answer its output.
fn run(program: &Path, args: &[&str]) -> Result<String, ApiError> {
    let output = Command::new(program)
        .args(args)
        .env("LC_ALL", "C")
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => ApiError::new(ErrorCode::Printing, NO_SERVICE),
            _ => ApiError::new(ErrorCode::Printing, format!("无法运行 {}：{error}", program.display())),
        })?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        let said = String::from_utf8_lossy(&output.stderr).trim().to_string();
        let said = if said.is_empty() { format!("退出状态 {}", output.status) } else { said };
        Err(ApiError::new(ErrorCode::Printing, format!("打印服务拒绝了请求：{said}")))
    }
}

/// `system default destination: 办公室` → `办公室`; "no system default destination" → none.
fn default_printer(lpstat_d: &str) -> Option<String> {
    lpstat_d
        .lines()
        .find_map(|line| line.trim().strip_prefix("system default destination:"))
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
}

/// `request id is 办公室-12 (2 file(s))` → `办公室-12`.
fn job_name(lp_answer: &str) -> Option<String> {
    let rest = lp_answer.split("request id is ").nth(1)?;
    rest.split_whitespace().next().map(str::to_string)
}

/// The job's title in the printer's queue: the file's name, or the first one's and a count.
fn job_title(paths: &[String]) -> String {
    let name = |path: &String| {
        Path::new(path)
            .file_name()
            .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned())
    };
    match paths {
        [one] => name(one),
        [first, rest @ ..] => format!("{} 等 {} 个文件", name(first), rest.len() + 1),
        [] => String::new(),
    }
}

/// Check and normalise a 页码范围: numbers and ranges separated by commas (full-width commas,
/// dashes and spaces as people type them are accepted), every page from 1, ranges ascending.
fn page_ranges(text: &str) -> Result<String, ApiError> {
    let refuse = || {
        ApiError::invalid_input(format!("页码范围“{text}”看不懂：请写成 1-3,5 的样子（页码从 1 起，范围由小到大）"))
    };
    let page = |part: &str| part.trim().parse::<u32>().ok().filter(|&n| n >= 1);
    let mut ranges = Vec::new();
    for part in text.split([',', '，', '、']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        match part.split_once(['-', '－', '—', '~', '～']) {
            Some((from, to)) => {
                let (from, to) = (page(from).ok_or_else(refuse)?, page(to).ok_or_else(refuse)?);
                if from > to {
                    return Err(refuse());
                }
                ranges.push(format!("{from}-{to}"));
            }
            None => ranges.push(page(part).ok_or_else(refuse)?.to_string()),
        }
    }
    if ranges.is_empty() {
        return Err(refuse());
    }
    Ok(ranges.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_ranges_are_checked_and_normalised() {
        assert_eq!(page_ranges("1-3,5").as_deref(), Ok("1-3,5"));
        assert_eq!(page_ranges(" 2 － 4，7、9 ").as_deref(), Ok("2-4,7,9"));
        for bad in ["0", "3-1", "a", "1-", "-2", ",", "1;2"] {
            let refused = page_ranges(bad);
            assert!(matches!(refused, Err(ref e) if e.code == ErrorCode::InvalidInput), "{bad}: {refused:?}");
        }
    }

    #[test]
    fn a_title_becomes_a_file_name() {
        assert_eq!(file_name_of("关于公布青川区权责清单的通知"), "关于公布青川区权责清单的通知");
        assert_eq!(file_name_of("a/b:c*d"), "a_b_c_d");
        assert_eq!(file_name_of("  "), "公示");
        assert_eq!(file_name_of(&"长".repeat(100)).chars().count(), 60);
    }

    #[test]
    fn answers_of_the_print_service_are_read() {
        assert_eq!(default_printer("system default destination: 办公室\n").as_deref(), Some("办公室"));
        assert_eq!(default_printer("no system default destination\n"), None);
        assert_eq!(job_name("request id is 办公室-12 (2 file(s))\n").as_deref(), Some("办公室-12"));
        assert_eq!(job_name("something else"), None);
        assert_eq!(job_title(&["/tmp/a/公示.pdf".into()]), "公示.pdf");
        assert_eq!(job_title(&["/tmp/a/一.pdf".into(), "/tmp/a/二.pdf".into()]), "一.pdf 等 2 个文件");
    }
}
