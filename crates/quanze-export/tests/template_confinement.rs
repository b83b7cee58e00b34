//! Templates from a user's folder are untrusted (issue 13 item 8): they cannot read the
//! environment, cannot reach files outside the chosen folder (directly, by `..`, or through a
//! symlink), and cannot run, recurse or grow without bound.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use quanze_export::{ExportError, NoticeTemplates, Stylesheet};

use common::*;

fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }
    dir
}

/// Renders the notice template of `dir`, or the error of loading or rendering it.
fn render_notice_of(dir: &Path) -> Result<String, ExportError> {
    NoticeTemplates::load(dir)?.render_notice(&power_notice(), Stylesheet::Embedded)
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

#[test]
fn template_cannot_read_environment() {
    let path = std::env::var("PATH").expect("PATH is set in tests");
    let dir = folder_with(&[("notice.html.tera", "{{ get_env(name=\"PATH\") }}")]);
    let result = render_notice_of(dir.path());
    match result {
        Ok(html) => panic!("get_env rendered: {html}"),
        Err(error) => {
            let message = error.to_string();
            assert!(message.contains("环境变量"), "{message}");
            assert!(!message.contains(&path), "{message}");
        }
    }
    // With a default, tera's get_env would not fail on a missing name: it must still refuse.
    let dir = folder_with(&[(
        "notice.html.tera",
        "{{ get_env(name=\"PATH\", default=\"x\") }}",
    )]);
    assert!(render_notice_of(dir.path()).is_err());
}

#[cfg(unix)]
#[test]
fn template_symlink_out_of_folder_is_refused() {
    let outside = folder_with(&[("secret.txt", "机密内容")]);
    let dir = tempfile::tempdir().expect("tempdir");
    symlink(
        &outside.path().join("secret.txt"),
        &dir.path().join("notice.html.tera"),
    );
    let error = NoticeTemplates::load(dir.path()).expect_err("refused");
    assert!(
        matches!(error, ExportError::TemplateOutsideFolder { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("模板目录之外"), "{message}");
    assert!(!message.contains("机密内容"), "{message}");
    assert!(error.is_user_error());
}

#[cfg(unix)]
#[test]
fn stylesheet_symlink_out_of_folder_is_refused() {
    let outside = folder_with(&[("secret.css", "/* 机密内容 */")]);
    let dir = tempfile::tempdir().expect("tempdir");
    symlink(
        &outside.path().join("secret.css"),
        &dir.path().join("notice.css"),
    );
    let error = NoticeTemplates::load(dir.path()).expect_err("refused");
    assert!(
        matches!(error, ExportError::TemplateOutsideFolder { .. }),
        "{error:?}"
    );
}

#[test]
fn include_out_of_folder_is_refused() {
    let outside = folder_with(&[("secret.html.tera", "机密内容")]);
    let dir = tempfile::tempdir().expect("tempdir");
    let dir_name = dir.path().file_name().expect("name").to_string_lossy();
    let secret = outside.path().join("secret.html.tera");
    for name in [
        secret.display().to_string(),
        format!(
            "../{}/secret.html.tera",
            outside.path().file_name().expect("name").to_string_lossy()
        ),
        format!("../{dir_name}/../x.html.tera"),
    ] {
        std::fs::write(
            dir.path().join("notice.html.tera"),
            format!("{{% include \"{name}\" %}}"),
        )
        .expect("write");
        let result = render_notice_of(dir.path());
        match result {
            Ok(html) => panic!("{name} was included: {html}"),
            Err(error) => {
                assert!(
                    matches!(error, ExportError::TemplateOutsideFolder { .. }),
                    "{name}: {error:?}"
                );
                assert!(!error.to_string().contains("机密内容"));
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn include_symlink_out_of_folder_is_refused() {
    let outside = folder_with(&[("part.html.tera", "机密内容")]);
    let dir = folder_with(&[("notice.html.tera", "{% include \"parts/part.html.tera\" %}")]);
    symlink(outside.path(), &dir.path().join("parts"));
    let error = NoticeTemplates::load(dir.path()).expect_err("refused");
    assert!(
        matches!(error, ExportError::TemplateOutsideFolder { .. }),
        "{error:?}"
    );
}

#[test]
fn include_extends_and_import_inside_folder_work_and_stay_escaped() {
    let dir = folder_with(&[
        (
            "base.tera",
            "<main>{% block body %}{% endblock body %}</main>",
        ),
        (
            "notice.html.tera",
            "{% extends \"base.tera\" %}{% import \"parts/macros.tera\" as m %}\
             {% block body %}{% include \"parts/title.tera\" %}{{ m::count(n=row_count) }}{% endblock body %}",
        ),
        ("parts/title.tera", "<h1>{{ title }}</h1>"),
        (
            "parts/macros.tera",
            "{% macro count(n) %}<p>{{ n }} 项</p>{% endmacro count %}",
        ),
    ]);
    let mut notice = power_notice();
    notice.heading.title = "<script>".to_string();
    let html = NoticeTemplates::load(dir.path())
        .expect("load")
        .render_notice(&notice, Stylesheet::Embedded)
        .expect("render");
    assert_eq!(
        html,
        format!(
            "<main><h1>&lt;script&gt;</h1><p>{} 项</p></main>",
            notice.row_count()
        )
    );
}

/// Asserts the render stops with a limit error, in reasonable time.
fn assert_stopped(dir: &Path, what: &str) -> String {
    let started = Instant::now();
    let result = render_notice_of(dir);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(60), "{what}: took {took:?}");
    match result {
        Ok(html) => panic!("{what}: rendered {} bytes", html.len()),
        Err(error) => {
            assert!(
                matches!(error, ExportError::TemplateLimit { .. }),
                "{what}: {error:?}"
            );
            assert!(error.is_user_error());
            error.to_string()
        }
    }
}

#[test]
fn runaway_template_loop_is_stopped() {
    // 10¹² iterations that write nothing: only a step limit stops them.
    let dir = folder_with(&[(
        "notice.html.tera",
        "{% for a in range(end=10000) %}{% for b in range(end=10000) %}\
         {% for c in range(end=10000) %}{% endfor %}{% endfor %}{% endfor %}",
    )]);
    // The step limit stops it; on a very slow machine the deadline may come first.
    let message = assert_stopped(dir.path(), "loop");
    assert!(
        message.contains("步") || message.contains("秒"),
        "{message}"
    );
}

#[test]
fn runaway_template_output_is_refused() {
    let line = "一行很长的文字".repeat(100);
    let dir = folder_with(&[(
        "notice.html.tera",
        &format!(
            "{{% for a in range(end=10000) %}}{{% for b in range(end=10000) %}}{line}{{% endfor %}}{{% endfor %}}"
        ),
    )]);
    let message = assert_stopped(dir.path(), "output");
    assert!(message.contains("MiB"), "{message}");
}

#[test]
fn huge_range_is_refused() {
    // tera's range builds the whole list first: 10⁹ numbers would exhaust memory.
    let dir = folder_with(&[(
        "notice.html.tera",
        "{% for a in range(end=1000000000) %}{% endfor %}",
    )]);
    let error = render_notice_of(dir.path()).expect_err("refused");
    assert!(error.to_string().contains("range"), "{error}");
}

#[test]
fn recursive_macro_is_stopped() {
    let dir = folder_with(&[(
        "notice.html.tera",
        "{% macro f(n) %}{{ self::f(n=n) }}{% endmacro f %}{{ self::f(n=1) }}",
    )]);
    let message = assert_stopped(dir.path(), "macro");
    assert!(message.contains("嵌套"), "{message}");
}

#[test]
fn self_including_template_is_stopped() {
    let dir = folder_with(&[("notice.html.tera", "x{% include \"notice.html.tera\" %}")]);
    let message = assert_stopped(dir.path(), "include");
    assert!(message.contains("嵌套"), "{message}");
}

#[test]
fn doubling_variable_is_stopped() {
    // 2⁶⁰ bytes without a loop: each set doubles the string.
    let doubling = "{% set_global s = s ~ s %}".repeat(60);
    let dir = folder_with(&[(
        "notice.html.tera",
        &format!("{{% set_global s = \"权责\" %}}{doubling}{{{{ s | length }}}}"),
    )]);
    let message = assert_stopped(dir.path(), "doubling");
    assert!(message.contains("变量"), "{message}");
}

#[test]
fn reserved_names_are_refused() {
    // The limits are enforced by functions the loader inserts; a template cannot call them.
    let dir = folder_with(&[("notice.html.tera", "{{ __quanze_leave() }}")]);
    let error = NoticeTemplates::load(dir.path()).expect_err("refused");
    assert!(error.to_string().contains("__quanze"), "{error}");
}

#[test]
fn builtin_templates_still_render_under_the_limits() {
    let templates = NoticeTemplates::builtin().expect("builtin");
    let html = templates
        .render_notice(&power_notice(), Stylesheet::Embedded)
        .expect("notice");
    assert!(html.contains("<table"), "{html}");
    templates
        .render_poster(&poster(), Stylesheet::Linked("poster.css"))
        .expect("poster");
}
