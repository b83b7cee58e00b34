//! # quanze-export (being written)

mod error;
mod excel_notice;
mod excel_raw_data;
mod html_preview;
mod org_chart_svg;
mod text_measure;

pub use error::ExportError;
pub use excel_notice::{notice_sheet_names, starts_like_formula, write_notice_xlsx, NOTICE_SHEET};
pub use excel_raw_data::{
    RawSection, BOOKKEEPING_PREFIX, ID_HEADER, IMPORTED_FIELDS, PROVENANCE_HEADERS,
    RAW_DATA_SHEET, SECTION_HEADER, UNMAPPED_FIELDS,
};
pub use html_preview::{
    NoticeTemplates, Stylesheet, NOTICE_STYLESHEET, NOTICE_TEMPLATE, POSTER_STYLESHEET,
    POSTER_TEMPLATE,
};
pub use org_chart_svg::{render_org_chart_svg, ORG_CHART_FONTS};
