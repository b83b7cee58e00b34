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
use std::path::Path;

use serde::Serialize;
use tera::{Context, Tera};

use quanze_domain::notice::{CommunityPoster, Notice, Orientation};

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
    tera: Tera,
    /// Template name → what a message calls it (a path, or "内置模板 notice.html.tera").
    shown_names: HashMap<&'static str, String>,
    notice_css: String,
    poster_css: String,
}

impl NoticeTemplates {
    /// The templates shipped with Quanze (`templates/notices/`, compiled in).
    pub fn builtin() -> Result<NoticeTemplates, ExportError> {
        NoticeTemplates::from_sources(
            [
                (
                    NOTICE_TEMPLATE,
                    BUILTIN_NOTICE_TEMPLATE.to_string(),
                    builtin_name(NOTICE_TEMPLATE),
                ),
                (
                    POSTER_TEMPLATE,
                    BUILTIN_POSTER_TEMPLATE.to_string(),
                    builtin_name(POSTER_TEMPLATE),
                ),
            ],
            BUILTIN_NOTICE_STYLESHEET.to_string(),
            BUILTIN_POSTER_STYLESHEET.to_string(),
        )
    }

    /// The templates of a user's directory: each of `notice.html.tera`, `poster.html.tera`,
    /// `notice.css`, `poster.css` found there is used, any missing one is the built-in file.
    pub fn load(dir: &Path) -> Result<NoticeTemplates, ExportError> {
        if !dir.is_dir() {
            return Err(ExportError::TemplateDirMissing {
                dir: dir.display().to_string(),
            });
        }
        let read = |name: &'static str, builtin: &str| -> Result<(String, String), ExportError> {
            let path = dir.join(name);
            if !path.exists() {
                return Ok((builtin.to_string(), builtin_name(name)));
            }
            let shown = path.display().to_string();
            std::fs::read_to_string(&path)
                .map(|text| (text, shown.clone()))
                .map_err(|e| ExportError::TemplateIo {
                    file: shown,
                    message: e.to_string(),
                })
        };
        let (notice, notice_name) = read(NOTICE_TEMPLATE, BUILTIN_NOTICE_TEMPLATE)?;
        let (poster, poster_name) = read(POSTER_TEMPLATE, BUILTIN_POSTER_TEMPLATE)?;
        let (notice_css, _) = read(NOTICE_STYLESHEET, BUILTIN_NOTICE_STYLESHEET)?;
        let (poster_css, _) = read(POSTER_STYLESHEET, BUILTIN_POSTER_STYLESHEET)?;
        NoticeTemplates::from_sources(
            [
                (NOTICE_TEMPLATE, notice, notice_name),
                (POSTER_TEMPLATE, poster, poster_name),
            ],
            notice_css,
            poster_css,
        )
    }

    fn from_sources(
        templates: [(&'static str, String, String); 2],
        notice_css: String,
        poster_css: String,
    ) -> Result<NoticeTemplates, ExportError> {
        let mut tera = Tera::default();
        // Tera escapes only names ending in .html/.htm/.xml by default; ours end in .tera.
        tera.autoescape_on(vec![".html.tera"]);
        let mut shown_names = HashMap::new();
        for (name, source, shown) in templates {
            tera.add_raw_template(name, &source)
                .map_err(|error| template_error(&shown, &error))?;
            shown_names.insert(name, shown);
        }
        Ok(NoticeTemplates {
            tera,
            shown_names,
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
        self.tera
            .render(name, &context)
            .map_err(|e| ExportError::TemplateRender {
                file: shown,
                detail: error_chain(&e),
            })
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
