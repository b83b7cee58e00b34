//! HTML of a notice or a poster from tera templates (`templates/notices/`), for the in-app
//! preview and for export as a file.
//!
//! Autoescape is on for every template (tera turns it on only for names ending in `.html`, so
//! the `.html.tera` names are registered explicitly): item text is untrusted and can never
//! become markup. The templates are user-editable files; a directory given by the caller
//! overrides the built-in ones file by file, and a template that does not parse is reported
//! with its file and line.
//!
//! The stylesheet is a separate file (`notice.css`, `poster.css`) so that the same template
//! serves two uses:
//! - [`Stylesheet::Embedded`]: a standalone document with the CSS in a `<style>` element, for
//!   an exported `.html` file that opens and prints anywhere;
//! - [`Stylesheet::Linked`]: the CSS referenced by `<link rel="stylesheet">`, for showing the
//!   preview inside the app, whose Content-Security-Policy (`style-src 'self'`) blocks inline
//!   styles. The document then has no `<style>`, no `style=""` and no script at all.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Tera};

use quanze_domain::notice::{CommunityPoster, Notice, Orientation};

use crate::template_limits::{self, RenderFailure, Stop};
use crate::ExportError;

/// File names of the templates and stylesheets in a template directory.
pub const NOTICE_TEMPLATE: &str = "notice.html.tera";
pub const POSTER_TEMPLATE: &str = "poster.html.tera";
pub const NOTICE_STYLESHEET: &str = "notice.css";
pub const POSTER_STYLESHEET: &str = "poster.css";

const BUILTIN_NOTICE_TEMPLATE: &str = include_str!("../../../templates/notices/notice.html.tera");
const BUILTIN_POSTER_TEMPLATE: &str = include_str!("../../../templates/notices/poster.html.tera");
const BUILTIN_NOTICE_STYLESHEET: &str = include_str!("../../../templates/notices/notice.css");
const BUILTIN_POSTER_STYLESHEET: &str = include_str!("../../../templates/notices/poster.css");

/// How the rendered document gets its stylesheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stylesheet<'a> {
    /// In a `<style>` element: a standalone file for export and printing.
    Embedded,
    /// `<link rel="stylesheet" href="…">` to this address: for the app under its CSP, which
    /// serves [`NoticeTemplates::notice_css`] / [`NoticeTemplates::poster_css`] there.
    Linked(&'a str),
}

/// The notice and poster templates with their stylesheets, parsed and ready to render.
#[derive(Debug)]
pub struct NoticeTemplates {
    /// Shared with the worker thread each render runs on (`template_limits`).
    tera: Arc<Tera>,
    /// Template name → what a message calls it (a path, or "内置模板 notice.html.tera").
    shown_names: HashMap<String, String>,
    notice_css: String,
    poster_css: String,
}

/// One template's text, under the name templates use for it, and what messages call it.
struct TemplateSource {
    name: String,
    text: String,
    shown: String,
}

/// A user's template folder: every file read from it must resolve inside it.
struct TemplateFolder<'a> {
    dir: &'a Path,
    /// The folder with symlinks resolved, the prefix every file's resolved path must have.
    root: PathBuf,
}

impl TemplateFolder<'_> {
    fn outside(&self, name: &str) -> ExportError {
        ExportError::TemplateOutsideFolder {
            file: name.to_string(),
            dir: self.dir.display().to_string(),
        }
    }

    /// The text of `name` in the folder, `None` when there is no such file. Refused when the
    /// name is absolute or climbs (`..`), or when the file resolves outside the folder
    /// through a symlink (of the file or of a folder on the way).
    fn read(&self, name: &str) -> Result<Option<(String, String)>, ExportError> {
        let relative = Path::new(name);
        if name.is_empty()
            || !relative
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(self.outside(name));
        }
        let path = self.dir.join(relative);
        let shown = path.display().to_string();
        if !path.exists() {
            return Ok(None);
        }
        let io = |e: std::io::Error| ExportError::TemplateIo {
            file: shown.clone(),
            message: e.to_string(),
        };
        let resolved = path.canonicalize().map_err(io)?;
        if !resolved.starts_with(&self.root) {
            return Err(self.outside(&shown));
        }
        let size = std::fs::metadata(&resolved).map_err(io)?.len();
        if size > template_limits::MAX_TEMPLATE_BYTES {
            return Err(ExportError::TemplateLimit {
                file: shown,
                reason: format!(
                    "文件有 {size} 字节，超过模板文件的上限 {} 字节",
                    template_limits::MAX_TEMPLATE_BYTES
                ),
            });
        }
        let text = std::fs::read_to_string(&resolved).map_err(io)?;
        Ok(Some((text, shown)))
    }

    /// `name` from the folder, else the built-in text.
    fn read_or_builtin(&self, name: &str, builtin: &str) -> Result<(String, String), ExportError> {
        Ok(self
            .read(name)?
            .unwrap_or_else(|| (builtin.to_string(), builtin_name(name))))
    }
}

impl NoticeTemplates {
    /// The templates shipped with Quanze (`templates/notices/`, compiled in).
    pub fn builtin() -> Result<NoticeTemplates, ExportError> {
        NoticeTemplates::from_sources(
            vec![
                TemplateSource {
                    name: NOTICE_TEMPLATE.to_string(),
                    text: BUILTIN_NOTICE_TEMPLATE.to_string(),
                    shown: builtin_name(NOTICE_TEMPLATE),
                },
                TemplateSource {
                    name: POSTER_TEMPLATE.to_string(),
                    text: BUILTIN_POSTER_TEMPLATE.to_string(),
                    shown: builtin_name(POSTER_TEMPLATE),
                },
            ],
            None,
            BUILTIN_NOTICE_STYLESHEET.to_string(),
            BUILTIN_POSTER_STYLESHEET.to_string(),
        )
    }

    /// The templates of a user's directory: each of `notice.html.tera`, `poster.html.tera`,
    /// `notice.css`, `poster.css` found there is used, any missing one is the built-in file.
    /// Templates may include, import and extend other files of the directory (by a relative
    /// name without `..`); no file that resolves outside it is read.
    pub fn load(dir: &Path) -> Result<NoticeTemplates, ExportError> {
        if !dir.is_dir() {
            return Err(ExportError::TemplateDirMissing {
                dir: dir.display().to_string(),
            });
        }
        let root = dir.canonicalize().map_err(|e| ExportError::TemplateIo {
            file: dir.display().to_string(),
            message: e.to_string(),
        })?;
        let folder = TemplateFolder { dir, root };
        let source = |name: &str, builtin: &str| -> Result<TemplateSource, ExportError> {
            let (text, shown) = folder.read_or_builtin(name, builtin)?;
            Ok(TemplateSource {
                name: name.to_string(),
                text,
                shown,
            })
        };
        let templates = vec![
            source(NOTICE_TEMPLATE, BUILTIN_NOTICE_TEMPLATE)?,
            source(POSTER_TEMPLATE, BUILTIN_POSTER_TEMPLATE)?,
        ];
        let (notice_css, _) =
            folder.read_or_builtin(NOTICE_STYLESHEET, BUILTIN_NOTICE_STYLESHEET)?;
        let (poster_css, _) =
            folder.read_or_builtin(POSTER_STYLESHEET, BUILTIN_POSTER_STYLESHEET)?;
        NoticeTemplates::from_sources(templates, Some(&folder), notice_css, poster_css)
    }

    /// Parses the templates and every template they reference (read from `folder`, the
    /// built-ins reference none), then registers them with the limits of `template_limits`.
    fn from_sources(
        mut sources: Vec<TemplateSource>,
        folder: Option<&TemplateFolder<'_>>,
        notice_css: String,
        poster_css: String,
    ) -> Result<NoticeTemplates, ExportError> {
        let mut parsed = 0;
        while parsed < sources.len() {
            let source = &sources[parsed];
            parsed += 1;
            if source.text.contains(template_limits::RESERVED_PREFIX) {
                return Err(ExportError::TemplateInvalid {
                    file: source.shown.clone(),
                    detail: format!(
                        "名称前缀 {} 留给 Quanze 自己使用，模板中不能出现",
                        template_limits::RESERVED_PREFIX
                    ),
                });
            }
            let template = tera::Template::new(&source.name, None, &source.text)
                .map_err(|error| template_error(&source.shown, &error))?;
            let mut names = Vec::new();
            template_limits::referenced_names(&template.ast, &mut names);
            let Some(folder) = folder else { continue };
            for name in names {
                if sources.iter().any(|s| s.name == name) {
                    continue;
                }
                // A missing file is left to tera: `include … ignore missing` allows it, and
                // otherwise the render or the inheritance says which name is missing.
                if let Some((text, shown)) = folder.read(&name)? {
                    if sources.len() >= template_limits::MAX_TEMPLATES {
                        return Err(ExportError::TemplateLimit {
                            file: shown,
                            reason: format!(
                                "引用的模板文件超过 {} 个",
                                template_limits::MAX_TEMPLATES
                            ),
                        });
                    }
                    sources.push(TemplateSource { name, text, shown });
                }
            }
        }

        let mut tera = Tera::default();
        // Every template here writes HTML: escape all of them, whatever their names end with
        // (tera escapes only .html/.htm/.xml names by default; ours end in .tera, and an
        // included part may be named anything).
        tera.autoescape_on(vec![""]);
        template_limits::register_functions(&mut tera);
        let first_shown = sources.first().map(|s| s.shown.clone()).unwrap_or_default();
        tera.add_raw_templates(sources.iter().map(|s| (s.name.as_str(), s.text.as_str())))
            .map_err(|error| ExportError::TemplateInvalid {
                file: first_shown,
                detail: error_chain(&error),
            })?;
        for template in tera.templates.values_mut() {
            template_limits::instrument(template);
        }
        Ok(NoticeTemplates {
            tera: Arc::new(tera),
            shown_names: sources.into_iter().map(|s| (s.name, s.shown)).collect(),
            notice_css,
            poster_css,
        })
    }

    /// The notice stylesheet (for the app to serve beside a [`Stylesheet::Linked`] preview).
    pub fn notice_css(&self) -> &str {
        &self.notice_css
    }

    /// The poster stylesheet.
    pub fn poster_css(&self) -> &str {
        &self.poster_css
    }

    /// The notice as an HTML document.
    pub fn render_notice(
        &self,
        notice: &Notice,
        stylesheet: Stylesheet<'_>,
    ) -> Result<String, ExportError> {
        let context = NoticeContext::new(notice, stylesheet, &self.notice_css);
        self.render(NOTICE_TEMPLATE, &context)
    }

    /// A community's wall poster as an HTML document.
    pub fn render_poster(
        &self,
        poster: &CommunityPoster,
        stylesheet: Stylesheet<'_>,
    ) -> Result<String, ExportError> {
        let context = PosterContext::new(poster, stylesheet, &self.poster_css);
        self.render(POSTER_TEMPLATE, &context)
    }

    fn render(&self, name: &'static str, context: &impl Serialize) -> Result<String, ExportError> {
        let shown = self
            .shown_names
            .get(name)
            .cloned()
            .unwrap_or_else(|| builtin_name(name));
        let context =
            Context::from_serialize(context).map_err(|e| ExportError::TemplateRender {
                file: shown.clone(),
                detail: error_chain(&e),
            })?;
        template_limits::render_limited(&self.tera, name, context).map_err(
            |failure| match failure {
                RenderFailure::Limit(stop) => limit_error(shown, stop),
                RenderFailure::Tera(e) => ExportError::TemplateRender {
                    file: shown,
                    detail: error_chain(&e),
                },
                RenderFailure::Worker(detail) => ExportError::TemplateRender {
                    file: shown,
                    detail,
                },
            },
        )
    }
}

fn limit_error(file: String, stop: Stop) -> ExportError {
    ExportError::TemplateLimit {
        file,
        reason: stop.reason(),
    }
}

fn builtin_name(name: &str) -> String {
    format!("内置模板 {name}")
}

/// Every message of an error and its sources, joined: tera puts the useful part ("Variable
/// `x` not found") in a source.
fn error_chain(error: &tera::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        parts.push(inner.to_string());
        source = inner.source();
    }
    parts.join("：")
}

/// A parse error with the line and column tera's parser (pest) reports as " --> 12:5".
fn template_error(shown: &str, error: &tera::Error) -> ExportError {
    let detail = error_chain(error);
    match parser_position(&detail) {
        Some((line, column)) => ExportError::TemplateSyntax {
            file: shown.to_string(),
            line,
            column,
            detail: pest_expectation(&detail),
        },
        None => ExportError::TemplateInvalid {
            file: shown.to_string(),
            detail,
        },
    }
}

fn parser_position(message: &str) -> Option<(u32, u32)> {
    let at = message.find("--> ")? + 4;
    let rest = &message[at..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':'))
        .unwrap_or(rest.len());
    let (line, column) = rest[..end].split_once(':')?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// The "= expected …" line of a pest message, else the whole message on one line.
fn pest_expectation(message: &str) -> String {
    message
        .lines()
        .find_map(|line| line.trim().strip_prefix("= "))
        .map(str::to_string)
        .unwrap_or_else(|| message.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A CSS class for a column: `field-<name>` for a standard field, `field-extra` for the rest
/// (an extra field's header is user text and stays out of class names).
fn field_class(field: &str) -> String {
    if !field.is_empty()
        && field
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        format!("field-{field}")
    } else {
        "field-extra".to_string()
    }
}

fn style_fields<'a>(
    stylesheet: Stylesheet<'a>,
    css: &'a str,
) -> (Option<&'a str>, Option<&'a str>) {
    match stylesheet {
        Stylesheet::Embedded => (Some(css), None),
        Stylesheet::Linked(href) => (None, Some(href)),
    }
}

/// Template variables of `notice.html.tera` (documented in docs/export.md).
#[derive(Serialize)]
struct NoticeContext<'a> {
    title: &'a str,
    issuing_organ: Option<&'a str>,
    doc_no: Option<&'a str>,
    date: Option<&'a str>,
    intro: Vec<&'a str>,
    landscape: bool,
    orientation_class: &'static str,
    row_count: usize,
    sections: Vec<SectionContext<'a>>,
    css: Option<&'a str>,
    css_href: Option<&'a str>,
}

#[derive(Serialize)]
struct SectionContext<'a> {
    heading: Option<&'a str>,
    columns: Vec<ColumnContext<'a>>,
    rows: Vec<Vec<CellContext<'a>>>,
    row_count: usize,
}

#[derive(Serialize)]
struct ColumnContext<'a> {
    header: &'a str,
    field: &'a str,
    class: String,
}

#[derive(Serialize)]
struct CellContext<'a> {
    text: &'a str,
    class: String,
}

impl<'a> NoticeContext<'a> {
    fn new(notice: &'a Notice, stylesheet: Stylesheet<'a>, css: &'a str) -> NoticeContext<'a> {
        let heading = &notice.heading;
        let (css, css_href) = style_fields(stylesheet, css);
        let landscape = notice.orientation == Orientation::Landscape;
        let non_empty = |v: &'a Option<String>| v.as_deref().filter(|t| !t.trim().is_empty());
        NoticeContext {
            title: &heading.title,
            issuing_organ: non_empty(&heading.issuing_organ),
            doc_no: non_empty(&heading.doc_no),
            date: non_empty(&heading.date),
            intro: heading
                .intro
                .as_deref()
                .unwrap_or("")
                .split('\n')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect(),
            landscape,
            orientation_class: if landscape { "landscape" } else { "portrait" },
            row_count: notice.row_count(),
            sections: notice
                .sections
                .iter()
                .map(|section| {
                    let columns: Vec<ColumnContext<'a>> = section
                        .columns
                        .iter()
                        .map(|c| ColumnContext {
                            header: &c.header,
                            field: &c.field,
                            class: field_class(&c.field),
                        })
                        .collect();
                    SectionContext {
                        heading: non_empty(&section.heading),
                        rows: section
                            .rows
                            .iter()
                            .map(|row| {
                                row.iter()
                                    .enumerate()
                                    .map(|(i, text)| CellContext {
                                        text,
                                        class: columns.get(i).map_or_else(
                                            || "field-extra".to_string(),
                                            |c| c.class.clone(),
                                        ),
                                    })
                                    .collect()
                            })
                            .collect(),
                        row_count: section.rows.len(),
                        columns,
                    }
                })
                .collect(),
            css,
            css_href,
        }
    }
}

/// Template variables of `poster.html.tera` (documented in docs/export.md).
#[derive(Serialize)]
struct PosterContext<'a> {
    community: &'a str,
    street: &'a str,
    title: &'a str,
    contact_phone: Option<&'a str>,
    responsible_person: Option<&'a str>,
    footer: Option<&'a str>,
    sections: Vec<PosterSectionContext<'a>>,
    css: Option<&'a str>,
    css_href: Option<&'a str>,
}

#[derive(Serialize)]
struct PosterSectionContext<'a> {
    heading: &'a str,
    count: usize,
    entries: Vec<PosterEntryContext<'a>>,
}

#[derive(Serialize)]
struct PosterEntryContext<'a> {
    name: &'a str,
    note: Option<&'a str>,
    details: Vec<PosterDetailContext<'a>>,
}

#[derive(Serialize)]
struct PosterDetailContext<'a> {
    label: &'a str,
    text: &'a str,
}

impl<'a> PosterContext<'a> {
    fn new(
        poster: &'a CommunityPoster,
        stylesheet: Stylesheet<'a>,
        css: &'a str,
    ) -> PosterContext<'a> {
        let (css, css_href) = style_fields(stylesheet, css);
        let non_empty = |v: &'a Option<String>| v.as_deref().filter(|t| !t.trim().is_empty());
        PosterContext {
            community: &poster.community,
            street: &poster.street,
            title: &poster.title,
            contact_phone: non_empty(&poster.contact_phone),
            responsible_person: non_empty(&poster.responsible_person),
            footer: non_empty(&poster.footer),
            sections: poster
                .sections
                .iter()
                .map(|s| PosterSectionContext {
                    heading: &s.heading,
                    count: s.entries.len(),
                    entries: s
                        .entries
                        .iter()
                        .map(|e| PosterEntryContext {
                            name: &e.name,
                            note: non_empty(&e.note),
                            details: e
                                .details
                                .iter()
                                .filter(|d| !d.text.trim().is_empty())
                                .map(|d| PosterDetailContext {
                                    label: &d.label,
                                    text: &d.text,
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
            css,
            css_href,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_positions_are_read_from_pest_messages() {
        let message = " --> 12:5\n   |\n12 | {{ x \n   |     ^---\n   |\n   = expected `}}`";
        assert_eq!(parser_position(message), Some((12, 5)));
        assert_eq!(pest_expectation(message), "expected `}}`");
        assert_eq!(parser_position("no position"), None);
    }

    #[test]
    fn column_classes_never_carry_user_text() {
        assert_eq!(field_class("power_type"), "field-power_type");
        assert_eq!(field_class("extra:办理时限"), "field-extra");
        assert_eq!(field_class("x\" onmouseover=\"y"), "field-extra");
    }
}
