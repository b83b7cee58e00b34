//! TypeScript declarations of every type that crosses the IPC boundary, generated from the
//! Rust types with ts-rs into one file, `ui/src/api/bindings.ts`.
//!
//! Regenerate with `UPDATE_BINDINGS=1 cargo test -p quanze-api --test bindings`; without the
//! variable the same test fails when the committed file differs from what the types say.

use ts_rs::{Config, TS};

/// Path of the generated file, relative to the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/api/bindings.ts";

fn declaration<T: TS + ?Sized>(config: &Config) -> String {
    let mut text = String::new();
    if let Some(docs) = T::docs() {
        text.push_str(&docs);
        if !docs.ends_with('\n') {
            text.push('\n');
        }
    }
    text.push_str("export ");
    text.push_str(&T::decl(config));
    text.push('\n');
    text
}

macro_rules! declarations {
    ($config:expr; $($ty:ty),* $(,)?) => {
        vec![$(declaration::<$ty>($config)),*]
    };
}

/// The whole file.
pub fn typescript() -> String {
    use quanze_domain as d;
    let config = Config::default();
    let parts = declarations![&config;
        d::Uid, d::Level, d::UnitKind, d::Staffing, d::Jurisdiction, d::Unit, d::Leader, d::ListKind,
        d::DutyList, d::PowerType, d::Coordination, d::Withdrawal, d::Funding, d::StaffSupport,
        d::Assistance, d::ExtraField, d::Provenance, d::Item, d::AdmissionState,
        d::AdmissionStep, d::AdmissionRequest, d::Waiver, d::Version, d::PackageScope, d::PackageHeader, d::Bundle,
        d::Range, d::TemplateSlot, d::OrgTemplate, d::Committee, d::CommitteeSeat, d::UnitPost,
        quanze_store::AuditEntry, quanze_store::LoadCounts,
        crate::ErrorCode, crate::ApiError,
        crate::ListSummary, crate::JurisdictionNode, crate::Overview, crate::ItemPage,
        crate::SearchHit, serde_json::Value,
        crate::ListOutline, crate::ExtraHeader, crate::ListFind, crate::FoundRow,
        crate::ItemField, d::FieldKind, d::FieldSpec, crate::FieldRef, crate::FieldValue, crate::NewItem, crate::Placement,
        crate::ItemEdit, crate::EditBatch, crate::PlacedItem, crate::EditOutcome, crate::ItemLocation,
        quanze_checks::Severity, quanze_checks::Grade, quanze_checks::SubjectKind,
        quanze_checks::Subject, quanze_checks::TextSegment, quanze_checks::OverlapConfidence, quanze_checks::Evidence,
        quanze_checks::Finding, quanze_checks::Summary, quanze_checks::Report,
        quanze_import::Format, quanze_import::Field, quanze_import::ColumnOverride,
        quanze_import::SheetOverride, quanze_import::ImportOptions, quanze_import::PreviewOptions,
        quanze_import::ColumnMapping, quanze_import::MergedRow, quanze_import::SkippedRow,
        quanze_import::Inference, quanze_import::InheritedRow, quanze_import::PreambleRow,
        quanze_import::SheetReport, quanze_import::FileReport, quanze_import::SkippedFile,
        quanze_import::ImportReport, quanze_import::ListUpdate,
        quanze_import::RawRowPreview, quanze_import::SheetPreview, quanze_import::ImportPreview,
        d::notice::Orientation, d::notice::NoticeHeading, d::notice::NoticeColumn,
        d::notice::NoticeSection, d::notice::Notice, d::notice::PosterEntry, d::notice::PosterSection,
        d::notice::PosterDetail, d::notice::PosterSettings, crate::PosterChoices,
        d::notice::CommunityPoster, d::notice::OrgChartLeader, d::notice::OrgChartRow,
        d::notice::OrgChartDepartment, d::notice::OrgChart,
        crate::NoticeRequest, crate::NoticeFormat, crate::PostersWritten,
        crate::NoticePreview, crate::NoticeFields, crate::Organization, crate::UnitStaffingEdit,
        crate::ServerAddress, crate::ServerLogin, crate::ServerChange,
        crate::workspace::RecentFile, crate::workspace::Operator,
        crate::NewList, crate::ListDeleted,
        crate::AdmissionApplication, crate::AdmissionDecision, crate::AdmissionOutcome,
        crate::AdmissionApplied, crate::PendingAdmission,
        crate::PublishRequest, crate::VersionSummary, crate::ChangedItem, crate::VersionComparison,
        crate::FieldDifference, crate::TransferredItem, crate::ChangeReason, crate::AdjustmentNoticeRequest,
        d::ChangeAction, d::ChangeState, d::FieldSetting, d::AppliedField, d::ChangeStep, d::ChangeRequest,
        crate::ChangeProposal, crate::ChangeReview,
        crate::Count, crate::Statistics, crate::WorkProgress,
        crate::Printer, crate::PrintRequest, crate::PrintJob, crate::page_renewal::PageRenewalAdvice,
        quanze_store::BackupReason, quanze_store::BackupFile, crate::RestoreOutcome, crate::ImportUndone,
        crate::ExportRequest, crate::ExportSummary, crate::PackageSummary, crate::Side, crate::ConflictDecision,
        crate::MergeOptions, crate::EntityChange, crate::FieldChange, crate::Conflict, crate::MergeReport,
    ];
    let mut text = String::from(
        "// Generated from the Rust types by `UPDATE_BINDINGS=1 cargo test -p quanze-api --test bindings`.\n\
         // Do not edit by hand: a test fails when this file differs from the Rust types.\n\
         /* eslint-disable */\n\n",
    );
    text.push_str(&parts.join("\n"));
    text.push_str(&admission_moves());
    text.push_str(&change_moves());
    text.push_str(&item_fields());
    text.push_str(&field_choices());
    text.push_str(&overlap_confidence_labels());
    text.push_str(&structure_choices());
    text.push_str(&format!(
        "\n/** The query parameter of a page the shell loaded again after WebKit's web process ended.\n \
         * From `page_restart::PAGE_RESTARTED_PARAMETER`. */\n\
         export const PAGE_RESTARTED_PARAMETER = {:?};\n",
        crate::page_restart::PAGE_RESTARTED_PARAMETER
    ));
    text
}

/// What the forms that add lists and rename jurisdictions may offer: each list kind with the
/// level it belongs to and whether a unit keeps it (`ListKind::expected_level`,
/// `requires_unit`), and the words each level's places may call themselves
/// (`structure::designations`), so the UI offers what the backend accepts.
fn structure_choices() -> String {
    use quanze_domain::{Level, ListKind};
    let mut text = String::from(
        "\n/** Each list kind, the level it belongs to (null: any) and whether a unit keeps it. From\n \
         * `ListKind::expected_level` and `requires_unit`. */\n\
         export const LIST_KINDS: ReadonlyArray<{ kind: ListKind, level: Level | null, unit_required: boolean }> = [\n",
    );
    for kind in ListKind::ALL {
        let level = kind.expected_level().map_or_else(|| "null".to_string(), |l| word(&l));
        text.push_str(&format!("  {{ kind: {}, level: {level}, unit_required: {} }},\n", word(&kind), kind.requires_unit()));
    }
    text.push_str(
        "];\n\n/** What a place of each level may call itself instead of the level's word (镇, 村). From\n \
         * `structure::designations`. */\n\
         export const DESIGNATIONS: { readonly [level in Level]: ReadonlyArray<string> } = {\n",
    );
    for level in Level::ALL {
        let words: Vec<String> = crate::structure::designations(level).iter().map(|w| format!("{w:?}")).collect();
        text.push_str(&format!("  {}: [{}],\n", word(&level), words.join(", ")));
    }
    text.push_str("};\n");
    text
}

/// A closed set's word as JSON (`"街道"`), for the generated constants.
fn word<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// The words the checks use for how sure an overlap is, so the panel shows the same words as
/// `quanze check` (from `OverlapConfidence::label`).
fn overlap_confidence_labels() -> String {
    use quanze_checks::OverlapConfidence;
    let mut text = String::from(
        "\n/** How sure an overlap is, in the words of `quanze check`. From `OverlapConfidence::label`. */\n\
         export const OVERLAP_CONFIDENCE_LABELS: { readonly [confidence in OverlapConfidence]: string } = {\n",
    );
    for confidence in OverlapConfidence::ALL {
        let word = serde_json::to_string(&confidence).unwrap_or_default();
        text.push_str(&format!("  {word}: {:?},\n", confidence.label()));
    }
    text.push_str("};\n");
    text
}

/// The admission process's moves as data, so the UI offers exactly the moves the backend
/// allows and asks for an opinion exactly where it is required, without a copy of its own of
/// [`AdmissionState::can_move_to`](quanze_domain::AdmissionState::can_move_to).
fn admission_moves() -> String {
    use quanze_domain::AdmissionState;
    let word = |state: AdmissionState| serde_json::to_string(&state).unwrap_or_default();
    let mut text = String::from(
        "\n/**\n * The moves of the admission process: for each state, the states a request may move to,\n \
         * in the order of the process, and whether the move must give an opinion (审核意见, 撤销理由).\n \
         * From `AdmissionState::next_states` and `needs_opinion`.\n */\n\
         export const ADMISSION_MOVES: { readonly [state in AdmissionState]: ReadonlyArray<{ to: AdmissionState, opinion_required: boolean }> } = {\n",
    );
    for state in AdmissionState::ALL {
        let moves: Vec<String> = state
            .next_states()
            .into_iter()
            .map(|to| format!("{{ to: {}, opinion_required: {} }}", word(to), to.needs_opinion()))
            .collect();
        text.push_str(&format!("  {}: [{}],\n", word(state), moves.join(", ")));
    }
    text.push_str("};\n");
    text
}

/// The change procedure's review moves as data (`ChangeState::can_move_to`, `needs_opinion`),
/// so the 调整 screen offers exactly the moves a request allows. 已发布 is left out: only
/// publishing a version reaches it.
fn change_moves() -> String {
    use quanze_domain::ChangeState;
    let word = |state: ChangeState| serde_json::to_string(&state).unwrap_or_default();
    let mut text = String::from(
        "\n/**\n * The review moves of a change request (调整申请): for each state, the states a review may\n \
         * move it to, and whether the move must give an opinion (审核意见). 已发布 is reached only by\n \
         * publishing a version. From `ChangeState::can_move_to` and `needs_opinion`.\n */\n\
         export const CHANGE_MOVES: { readonly [state in ChangeState]: ReadonlyArray<{ to: ChangeState, opinion_required: boolean }> } = {\n",
    );
    for state in ChangeState::ALL {
        let moves: Vec<String> = ChangeState::ALL
            .into_iter()
            .filter(|to| state.can_move_to(*to) && *to != ChangeState::Published)
            .map(|to| format!("{{ to: {}, opinion_required: {} }}", word(to), to.needs_opinion()))
            .collect();
        text.push_str(&format!("  {}: [{}],\n", word(state), moves.join(", ")));
    }
    text.push_str("};\n");
    text
}

/// What the editor's 权力类型 and 类别 cells offer: the ten 权力类型 (`PowerType::ALL`, the
/// only ones the editor accepts) and the common 类别 (`fields::COMMON_CATEGORIES`, an open set).
fn field_choices() -> String {
    use quanze_domain::PowerType;
    let power: Vec<String> = PowerType::ALL.into_iter().map(|p| word(&p)).collect();
    let categories: Vec<String> = quanze_domain::fields::COMMON_CATEGORIES.iter().map(|c| format!("{c:?}")).collect();
    format!(
        "\n/** The ten 权力类型, in their order. From `PowerType::ALL`. */\n\
         export const POWER_TYPES: ReadonlyArray<PowerType> = [{}];\n\
         \n/** The 类别 street and community lists commonly use (not a closed set). From\n \
         * `fields::COMMON_CATEGORIES`. */\n\
         export const COMMON_CATEGORIES: ReadonlyArray<string> = [{}];\n",
        power.join(", "),
        categories.join(", ")
    )
}

/// The item-field table as data (`quanze_domain::ITEM_FIELDS`), so the UI's labels, print
/// headers and field order come from the one table.
fn item_fields() -> String {
    let mut text = String::from(
        "\n/**\n * The standard fields of an item, in the editor's order: key, label, print header, kind.\n \
         * From `quanze_domain::ITEM_FIELDS`.\n */\n\
         export const ITEM_FIELDS: ReadonlyArray<FieldSpec> = [\n",
    );
    for spec in quanze_domain::ITEM_FIELDS {
        text.push_str("  ");
        text.push_str(&serde_json::to_string(&spec).unwrap_or_default());
        text.push_str(",\n");
    }
    text.push_str("];\n");
    text
}
