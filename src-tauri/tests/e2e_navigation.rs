//! End-to-end (issue 18): the window on a 1366×768 screen, and the tree and the lists of lists
//! from the keyboard — real key presses in the real window, on a throwaway database. Run with
//! `cargo test -p quanze-desktop --features custom-protocol --test e2e_navigation` after
//! `npm run build` in ui/ (see tests/common/mod.rs for what it needs).

mod common;

use common::{config_dir_of, element, in_window, poll, script, screenshot, TestResult};
use fantoccini::key::Key;
use fantoccini::Client;
use quanze_api::Api;
use serde_json::json;

const SMALL_SCREEN: &str = "1366x768";

/// The window's rectangle, once the app shows its first screen: `(x, y, width, height)`.
async fn window_rect(client: &Client, first_screen: &str) -> TestResult<(u64, u64, u64, u64)> {
    element(client, first_screen).await?;
    Ok(client.get_window_rect().await?)
}

#[test]
fn the_window_opens_within_a_1366_by_768_screen() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("quanze.db");
    in_window("the_window_opens_within_a_1366_by_768_screen", &db, SMALL_SCREEN, async |client| {
        let (x, y, width, height) = window_rect(client, "[data-testid=first-run]").await?;
        let screen = script(client, "return [screen.width, screen.height]").await?;
        check!(screen == json!([1366, 768]), "the test's screen is 1366×768: {screen}");
        eprintln!("window at {x},{y}, {width}×{height}");
        // Before: 1280×800, taller than the screen, its lower edge (the status line) cut off.
        check!(width <= 1366 && height <= 768, "the window fits the screen: {width}×{height}");
        check!(y + height <= 768 && x + width <= 1366, "and lies within it: {x},{y} {width}×{height}");
        screenshot(client, "window-1366x768").await?;
        Ok(())
    })
}

#[test]
fn a_window_saved_larger_than_the_screen_is_shrunk_to_it() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("quanze.db");
    // The size the window had on a large monitor, as the window-state plugin saved it.
    let config = config_dir_of(&db);
    std::fs::create_dir_all(&config)?;
    std::fs::write(
        config.join("window-state.json"),
        json!({ "main": { "width": 1800, "height": 1000, "x": 0, "y": 0, "prev_x": 0, "prev_y": 0,
            "maximized": false, "visible": true, "decorated": true, "fullscreen": false } })
        .to_string(),
    )?;
    in_window("a_window_saved_larger_than_the_screen_is_shrunk_to_it", &db, SMALL_SCREEN, async |client| {
        let (x, y, width, height) = window_rect(client, "[data-testid=first-run]").await?;
        eprintln!("window at {x},{y}, {width}×{height}");
        check!(width <= 1366 && height <= 768, "the restored window was shrunk to the screen: {width}×{height}");
        Ok(())
    })
}

/// Press a key on whatever has the focus.
async fn press(client: &Client, key: Key) -> TestResult {
    client.active_element().await?.send_keys(&char::from(key).to_string()).await?;
    Ok(())
}

/// What has the focus: `{ tree: <place id or null>, list: <list entry's testid or null>,
/// ring: <outline style of the focused tree row> }`.
const FOCUS: &str = "const a = document.activeElement; \
    const place = a && a.classList.contains('el-tree-node') ? a.querySelector('[data-place]') : null; \
    const row = place ? a.querySelector('.el-tree-node__content') : null; \
    return { tree: place ? Number(place.dataset.place) : null, \
             list: a && a.dataset ? (a.dataset.testClass === 'list-entry' ? a.dataset.testid : null) : null, \
             ring: row ? getComputedStyle(row).outlineStyle : null };";

async fn focus(client: &Client) -> TestResult<serde_json::Value> {
    script(client, FOCUS).await
}

#[test]
fn the_tree_and_the_lists_of_lists_work_from_the_keyboard() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("quanze.db");
    let (street, first_list, second_list) = {
        let mut api = Api::open(&db)?;
        api.load_sample_district("e2e")?;
        let street = api.find_jurisdiction("青溪街道")?;
        let mut own: Vec<_> = api.lists()?.into_iter().filter(|l| l.jurisdiction == street).collect();
        // The menu shows the place's own lists first, then its units', each in entry order.
        own.sort_by_key(|l| (l.unit.is_some(), l.unit, l.id));
        (street, own[0].id, own[1].id)
    };
    in_window("the_tree_and_the_lists_of_lists_work_from_the_keyboard", &db, SMALL_SCREEN, async |client| {
        element(client, "[data-testid=jurisdiction-tree] .el-tree-node").await?;
        // Tab from the top of the page until the tree has the focus: it is one Tab stop.
        script(client, "document.activeElement && document.activeElement.blur(); return null").await?;
        let mut in_tree = false;
        for _ in 0..40 {
            press(client, Key::Tab).await?;
            if focus(client).await?["tree"].is_number() {
                in_tree = true;
                break;
            }
        }
        check!(in_tree, "Tab reaches the tree");
        press(client, Key::Down).await?;
        let now = focus(client).await?;
        check!(now["tree"] == json!(street), "↓ moves to the first street: {now}");
        check!(now["ring"] == json!("solid"), "the focused row shows a focus ring: {now}");
        press(client, Key::Enter).await?;
        poll("the street's lists", async || {
            let title = script(client, "return document.querySelector('[data-testid=list-menu] .title-text')?.textContent ?? ''").await.ok()?;
            title.as_str().is_some_and(|t| t.contains("青溪街道")).then_some(())
        })
        .await?;

        // The list of lists is one Tab stop: Tab from the tree lands on its 管理 button, then on
        // one entry, and the next Tab leaves the list.
        let stops = script(client, "return document.querySelectorAll('[data-test-class=list-entry][tabindex=\"0\"]').length").await?;
        check!(stops == json!(1), "one entry is tabbable: {stops}");
        let mut reached = None;
        for _ in 0..6 {
            press(client, Key::Tab).await?;
            if let Some(entry) = focus(client).await?["list"].as_str() {
                reached = Some(entry.to_string());
                break;
            }
        }
        check!(reached.as_deref() == Some(&*format!("list-entry-{first_list}")), "Tab lands on the first list: {reached:?}");
        press(client, Key::Down).await?;
        let now = focus(client).await?;
        check!(now["list"] == json!(format!("list-entry-{second_list}")), "↓ moves to the next list: {now}");
        press(client, Key::Enter).await?;
        poll("the second list opened", async || {
            let active = script(client, &format!(
                "return document.querySelector('[data-testid=list-entry-{second_list}]')?.classList.contains('active') ?? false"
            ))
            .await
            .ok()?;
            (active == json!(true)).then_some(())
        })
        .await?;
        press(client, Key::Tab).await?;
        let left = focus(client).await?;
        check!(left["list"].is_null(), "the next Tab leaves the list of lists: {left}");
        screenshot(client, "keyboard-tree-and-lists").await?;
        Ok(())
    })
}

/// Where the 编辑 link and the 行政编制 cell of the first unit are, and whether the cell can be
/// seen (the point at its centre is the cell's own; `at`: what is there): `{ edit: [l, r],
/// staffing: [l, r], staffing_seen, at }`; null while the screen is still loading.
const UNIT_ROW: &str = "const edit = document.querySelector('[data-testid^=unit-edit-]'); \
    if (!edit || document.querySelector('[data-testid=org-screen] .el-loading-mask')) return null; \
    const tds = [...edit.closest('tr').querySelectorAll('td')]; \
    const heads = [...document.querySelectorAll('[data-testid=org-units] thead th')].map((th) => th.innerText.trim()); \
    const cell = tds[heads.indexOf('行政编制')]; \
    if (!cell) return null; \
    cell.scrollIntoView({ block: 'center' }); \
    const e = edit.getBoundingClientRect(), c = cell.getBoundingClientRect(); \
    const at = document.elementFromPoint(c.x + c.width / 2, c.y + c.height / 2); \
    return { edit: [e.left, e.right], staffing: [c.left, c.right], staffing_seen: !!at && cell.contains(at), at: at ? at.tagName + '.' + at.className : null };";

/// The chart's shown width and the width of the box it sits in.
const CHART_WIDTH: &str = "const img = document.querySelector('[data-testid=org-chart-image]'); \
    return img && img.complete && img.naturalWidth > 0 ? [img.clientWidth, img.parentElement.clientWidth] : null;";

#[test]
fn the_org_chart_screen_uses_a_1366_by_768_window() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("quanze.db");
    Api::open(&db)?.load_sample_district("e2e")?;
    in_window("the_org_chart_screen_uses_a_1366_by_768_window", &db, SMALL_SCREEN, async |client| {
        element(client, "[data-testid=jurisdiction-tree] .el-tree-node").await?;
        element(client, "[data-testid=view-org]").await?.click().await?;
        let row = poll("the units table", async || {
            let row = script(client, UNIT_ROW).await.ok()?;
            (!row.is_null()).then_some(row)
        })
        .await?;
        // Before: the 编辑 column was fixed to the right and lay over 编制 in a narrow pane.
        let (edit_left, staffing_right) = (row["edit"][0].as_f64().unwrap_or(0.0), row["staffing"][1].as_f64().unwrap_or(f64::MAX));
        check!(edit_left >= staffing_right, "编辑 lies right of 行政编制, not over it: {row}");
        check!(row["staffing_seen"] == json!(true), "the 行政编制 cell is not covered: {row}");

        let fitted = poll("the chart shown", async || {
            let widths = script(client, CHART_WIDTH).await.ok()?;
            (!widths.is_null()).then_some(widths)
        })
        .await?;
        let (shown, room) = (fitted[0].as_f64().unwrap_or(0.0), fitted[1].as_f64().unwrap_or(1.0));
        check!(shown >= room - 2.0, "the chart fills the width it has: {fitted}");
        element(client, "[data-testid=org-side-toggle]").await?.click().await?;
        let wider = poll("a wider chart", async || {
            let widths = script(client, CHART_WIDTH).await.ok()?;
            (widths[0].as_f64()? > shown + 100.0).then_some(widths)
        })
        .await?;
        eprintln!("chart {shown} px wide, {} px with the settings folded away", wider[0]);
        screenshot(client, "org-chart-1366x768").await?;
        Ok(())
    })
}

/// Click what `selector` finds once it is there and takes the click (a dropdown's item while
/// the menu slides in, a dialog's button while it fades in: tried again until it works).
async fn click(client: &Client, selector: &str) -> TestResult {
    common::click_when_still(client, selector).await
}

/// Whether the element is disabled (a button, or Element Plus's `is-disabled`), null if absent.
async fn disabled(client: &Client, selector: &str) -> TestResult<serde_json::Value> {
    client
        .execute(
            "const el = document.querySelector(arguments[0]); \
             return el ? (el.disabled === true || el.classList.contains('is-disabled')) : null",
            vec![json!(selector)],
        )
        .await
        .map_err(Into::into)
}

/// The 管理 menus of the tree and of the lists save through the backend and the window shows
/// what they saved: a place added under a street appears in the tree and can get a list of
/// its own (the lists' 管理 knows the place though it has no list yet), a list renamed shows
/// its new name. Before App.vue passed `changed` and `place` on, both saved and the window
/// kept showing the old tree and names.
#[test]
fn the_manage_menus_refresh_the_tree_and_the_lists() -> TestResult {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("quanze.db");
    let (street, list) = {
        let mut api = Api::open(&db)?;
        api.load_sample_district("e2e")?;
        let street = api.find_jurisdiction("青溪街道")?;
        let list = api.lists()?.into_iter().find(|l| l.jurisdiction == street).ok_or("the street has no list")?;
        (street, list.id)
    };
    in_window("the_manage_menus_refresh_the_tree_and_the_lists", &db, SMALL_SCREEN, async |client| {
        click(client, &format!("[data-testid=tree-node-{street}]")).await?;
        click(client, "[data-testid=tree-manage-button]").await?;
        click(client, "[data-testid=tree-add]").await?;
        element(client, "input[data-testid=place-name]").await?.send_keys("望江社区").await?;
        click(client, "[data-testid=place-save]").await?;
        let place = poll("望江社区 in the database", async || Api::open(&db).ok()?.find_jurisdiction("望江社区").ok()).await?;
        poll("望江社区 in the tree", async || {
            let name = script(client, &format!(
                "return document.querySelector('[data-testid=tree-node-{place}] [data-testid=tree-node-name]')?.textContent ?? null"
            ))
            .await
            .ok()?;
            (name == json!("望江社区")).then_some(())
        })
        .await?;
        // The new place has no list: the lists' 管理 still knows whose lists it would make.
        click(client, &format!("[data-testid=tree-node-{place}]")).await?;
        poll("the lists' 管理 enabled for the new place", async || {
            (disabled(client, "[data-testid=list-manage-button]").await.ok()? == json!(false)).then_some(())
        })
        .await?;

        // Rename a list of the street from its 管理 menu.
        click(client, &format!("[data-testid=tree-node-{street}]")).await?;
        click(client, &format!("[data-testid=list-entry-{list}]")).await?;
        click(client, "[data-testid=list-manage-button]").await?;
        click(client, "[data-testid=list-rename]").await?;
        let input = element(client, ".el-message-box input").await?;
        input.send_keys(&format!("{}a{}", char::from(Key::Control), char::from(Key::Null))).await?;
        input.send_keys("改过名的清单").await?;
        click(client, ".el-message-box .el-button--primary").await?;
        poll("the renamed list in the database", async || {
            let api = Api::open(&db).ok()?;
            api.lists().ok()?.into_iter().any(|l| l.id == list && l.name == "改过名的清单").then_some(())
        })
        .await?;
        poll("the new name in the list of lists", async || {
            let name = script(client, &format!(
                "return document.querySelector('[data-testid=list-entry-{list}] [data-testid=list-name]')?.textContent ?? null"
            ))
            .await
            .ok()?;
            (name == json!("改过名的清单")).then_some(())
        })
        .await?;
        screenshot(client, "manage-menus-refresh").await?;
        Ok(())
    })
}
