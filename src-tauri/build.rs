//! Tauri's build step, with an application manifest listing our commands: Tauri then generates
//! an `allow-<command>` permission for each, and only the capabilities in `capabilities/` decide
//! which window may call which (no command is reachable by default).

fn main() {
    // `generate_context!` embeds ui/dist when this crate compiles, and cargo alone notices
    // changed asset files but not new ones (Vite names them by content hash): rerunning this
    // script whenever ui/dist changes makes cargo recompile the crate with the new assets.
    println!("cargo:rerun-if-changed=../ui/dist");
    let manifest = tauri_build::AppManifest::new().commands(&[
        "overview",
        "list_items",
        "search",
        "history",
        "load_sample_district",
        "item_history",
        "item_location",
        "edit_items",
        "run_checks",
        "waive",
        "import_preview",
        "import_files",
        "notice_fields",
        "notice_lists_of",
        "notice_preview",
        "write_notice",
        "write_posters",
        "street_organization",
        "org_chart_svg",
        "create_street",
        "create_units_from_template",
        "update_unit_staffing",
        "add_leader",
        "database_path",
        "recent_files",
        "forget_recent_file",
        "open_database",
        "create_database",
        "admission_requests",
        "apply_for_admission",
        "decide_admission",
        "publish_version",
        "versions_of",
        "compare_with_version",
        "statistics",
        "cancel_long_work",
        "open_written_file",
        "cancel_checks",
        "printers",
        "print_files",
        "write_notice_for_printing",
    ]);
    if let Err(error) =
        tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
    {
        panic!("tauri-build failed: {error:#}");
    }
}
