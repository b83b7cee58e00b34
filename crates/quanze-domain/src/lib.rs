//! # quanze-domain
//!
//! The vocabulary of Quanze, with no I/O and no database: what a 编办 keeps (`docs/domain.md` §1–2).
//!
//! - [`model`]: jurisdictions (区 → 街道 → 社区), units with staffing and leaders in charge,
//!   leaders, duty lists of every kind (权责清单, the street's three-part 履职清单, the
//!   community's four-part 准入清单, a unit's 三单), items with the standard fields plus
//!   kind-specific groups, extra fields and provenance, admission requests, waivers, versions.
//! - [`committee`]: a community's 两委 seats (书记, 主任, 委员 …) and the posts (岗位) of its
//!   站 and 办.
//! - [`change_request`]: change requests (调整申请) — 新增, 取消, 变更, 下放, 收回, 划转 — and
//!   their review.
//! - [`bundle`]: the YAML bundle format — a whole dataset in one human-readable file — with
//!   validation that reports the line of every problem.
//! - [`package`]: a bundle as a package for exchange between offices: producer, scope, bases
//!   and a content hash that refuses a damaged file.
//! - [`input_limits`]: what a bundle's text may hold (alias expansion, nesting, text length),
//!   checked before parsing.
//! - [`notice`]: view models of printed output — a notice of tables, a community wall poster,
//!   a street org chart — which the exporters read instead of the database.
//! - [`templates`]: org-chart templates (一办七部两中心 …) read from `templates/org/`.
//!
//! Every type here derives `ts_rs::TS`: the UI's TypeScript types are generated from them by
//! the api crate, never written by hand.

pub mod bundle;
pub mod change_request;
pub mod changes;
pub mod committee;
pub mod fields;
pub mod identity;
pub mod input_limits;
pub mod model;
pub mod notice;
pub mod package;
pub mod templates;
pub mod workdays;
mod yaml_lines;

pub use bundle::{Bundle, BundleError, BundleProblem};
pub use change_request::{AppliedField, ChangeAction, ChangeRequest, ChangeState, ChangeStep, FieldSetting};
pub use changes::{EntityChange, FieldChange};
pub use committee::{Committee, CommitteeSeat, UnitPost};
pub use identity::{Uid, UidError};
pub use package::{PackageDamaged, PackageHeader, PackageScope};
pub use fields::{FieldError, FieldKind, FieldSpec, ItemField, ITEM_FIELDS};
pub use model::*;
pub use templates::{load_org_templates, OrgTemplate, Range, TemplateError, TemplateSlot};
pub use workdays::{CalendarError, WorkCalendar};
