// The IPC commands of the main window, each named once, here. This file is one macro call,
// `include!`d twice with two meanings of `ipc_commands!`:
// - in `main.rs` it becomes `tauri::generate_handler![…]` (so every name must be a
//   `#[tauri::command]` function, or the shell does not compile);
// - in `build.rs` it becomes the list of names for Tauri's app manifest, which generates an
//   `allow-<command>` permission for each.
// The two other places that must name a command, `capabilities/default.json` (the window's
// permissions) and `ui/src/api/index.ts` (its caller), are compared with this list by
// `tests/ipc_commands.rs`. A new command: its function in `main.rs`, its name here, its
// permission in the capability file, its caller in `index.ts`.
ipc_commands![
    overview,
    list_items,
    search,
    history,
    load_sample_district,
    item_history,
    item_location,
    edit_items,
    run_checks,
    waive,
    import_preview,
    import_files,
    notice_fields,
    notice_lists_of,
    notice_preview,
    write_notice,
    write_posters,
    street_organization,
    org_chart_svg,
    create_street,
    create_units_from_template,
    update_unit_staffing,
    add_leader,
    database_path,
    recent_files,
    forget_recent_file,
    open_database,
    create_database,
    admission_requests,
    apply_for_admission,
    decide_admission,
    publish_version,
    versions_of,
    compare_with_version,
    statistics,
    cancel_long_work,
    open_written_file,
    cancel_checks,
    printers,
    print_files,
    write_notice_for_printing,
    backups,
    backup_now,
    restore_backup,
    export_package,
    merge_package,
    default_office,
]
