//! # quanze-export
//!
//! The non-PDF outputs of public notices (issue 5): a print-ready Excel workbook, an HTML
//! preview from user-editable tera templates, and a street's org chart as SVG. Like every
//! exporter it reads only the view models of `quanze_domain::notice` (plus the items for the
//! raw-data sheet), never the database. The rules and choices are in `docs/export.md`.
//!
//! ## API
//!
//! ```no_run
//! # fn demo(notice: &quanze_domain::notice::Notice, poster: &quanze_domain::notice::CommunityPoster,
//! #         chart: &quanze_domain::notice::OrgChart, items: &[quanze_domain::Item])
//! #         -> Result<(), quanze_export::ExportError> {
//! use quanze_export::{NoticeTemplates, RawSection, Stylesheet};
//!
//! // Excel: 公示 sheet(s) for printing + 原始数据 sheet the importer reads back.
//! let xlsx: Vec<u8> = quanze_export::write_notice_xlsx(
//!     notice,
//!     &[RawSection { name: "基本履职事项", items }],
//! )?;
//!
//! // HTML: built-in templates, or a user's directory (missing files fall back to built-ins).
//! let templates = NoticeTemplates::builtin()?; // or NoticeTemplates::load(Path::new(dir))?
//! let file_html = templates.render_notice(notice, Stylesheet::Embedded)?; // standalone file
//! let app_html = templates.render_poster(poster, Stylesheet::Linked("poster.css"))?; // under CSP
//! let css: &str = templates.poster_css(); // what the app serves at "poster.css"
//!
//! // SVG of a street's org chart.
//! let svg: String = quanze_export::render_org_chart_svg(chart);
//! # Ok(()) }
//! ```
//!
//! Errors are one [`ExportError`] with Chinese messages naming the sheet/row/column of a cell
//! or the template file and line; [`ExportError::is_user_error`] tells user-fixable problems
//! (too long a cell, a broken template) from bugs.
//!
//! ## Modules
//! - `excel_notice`: the 公示 sheet(s): title band, header repeated and frozen, A4 fit to
//!   width, page footer; formula-like texts kept exact with `quote_prefix`.
//! - `excel_column_widths`: each 公示 sheet's page (portrait or landscape) and column widths,
//!   balanced from content within the GB/T 9704 版心 so the table prints at full size.
//! - `excel_raw_data`: the 原始数据 sheet (hidden, not printed), columns named so
//!   `quanze-import` maps them back.
//! - `html_preview`: tera templates (`templates/notices/`), autoescaped; embedded or linked CSS;
//!   a user's folder confined (no file outside it, also through symlinks or includes).
//! - `template_limits`: what a template may do while rendering: no `get_env`, bounded steps,
//!   nesting, variables, `range`, output and time (a worker thread with a deadline).
//! - `org_chart_svg`: layout and drawing of the org chart.
//! - `text_measure`: display width of CJK text, shared by column widths and box sizes.

mod error;
mod excel_column_widths;
mod excel_notice;
mod excel_raw_data;
mod html_preview;
mod org_chart_svg;
mod template_limits;
mod text_measure;
mod xlsx_cells;

pub use error::ExportError;
pub use excel_notice::{notice_sheet_names, write_notice_xlsx, NOTICE_SHEET};
pub use excel_raw_data::{
    RawSection, BOOKKEEPING_PREFIX, ID_HEADER, IMPORTED_FIELDS, PROVENANCE_HEADERS, RAW_DATA_SHEET,
    SECTION_HEADER, UNMAPPED_FIELDS,
};
pub use html_preview::{
    NoticeTemplates, Stylesheet, NOTICE_STYLESHEET, NOTICE_TEMPLATE, POSTER_STYLESHEET,
    POSTER_TEMPLATE,
};
pub use org_chart_svg::{render_org_chart_svg, ORG_CHART_FONTS};
pub use xlsx_cells::starts_like_formula;
