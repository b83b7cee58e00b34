#!/usr/bin/env python3
"""The memory part of the desktop app benchmark, called by scripts/bench_app.py (run it with
scripts/bench-app.sh, which builds what is needed).

1. The floor: an empty Tauri 2 window (scripts/bench-floor/: the same tauri version and features,
   a page of one line) in the same harness as the app — started by tauri-driver under xvfb-run,
   PSS summed over the program and the WebKit processes below it.
2. The app on the 50,000-item database: PSS with the district's tree only, then with the 50,000-item
   list open, then over a scripted tour of every screen repeated for `minutes` (30 in the full run;
   the DURATION environment variable shortens it for trying), sampled after every screen.
3. Where the memory goes, at the end of the tour: each process's PSS by kind of mapping, what the
   grid holds (rows in its source, rows in the DOM, DOM nodes), the size of the list's items as
   JSON, and how much the web process grows when the page holds one more copy of the 50,000 items.
"""
from __future__ import annotations

import os
import re
import sqlite3
import statistics
import time
import urllib.error
from pathlib import Path

from bench_harness import (
    OPEN_LIST, SCROLL, TREE_NODE, Driver, Session, WebDriverError, app_pid, fresh_copy, log, memory,
    pss_by_kind, process_of,
)

WEB = "WebKitWebProcess"
# Seconds the window is left alone before a figure that is compared: WebKit's collector and its
# allocator's scavenger return memory a few seconds after the work that used it.
SETTLE = 5.0


def tour_minutes(default: float = 30) -> float:
    """DURATION: a number of minutes, or with a unit (`90s`, `5m`, `1h`)."""
    text = os.environ.get("DURATION", "").strip().lower()
    if not text:
        return default
    scale = {"s": 1 / 60, "m": 1, "h": 60}.get(text[-1])
    return float(text[:-1]) * scale if scale else float(text)


def session_on(program: Path, db: Path, driver_args: tuple, name: str) -> tuple[Driver, Session, int]:
    """A new process of `program` under tauri-driver (tried again when the driver drops the first
    request on a loaded machine)."""
    for attempt in range(3):
        driver = Driver(db, *driver_args)
        session = Session(driver.port)
        try:
            session.start(program)
            return driver, session, app_pid(driver.proc.pid, name=name)
        except (WebDriverError, OSError, urllib.error.URLError) as error:
            log(f"starting {program.name} failed ({error}); trying again")
            session.close()
            driver.stop()
            if attempt == 2:
                raise
    raise RuntimeError("unreachable")


def sample(pid: int, label: str, t0: float) -> dict:
    m = memory(pid)
    return {"t": round(time.monotonic() - t0, 1), "at": label, "pss_mb": round(m["pss_mb"], 1),
            "rss_mb": round(m["rss_mb"], 1), "pss_parts": m["pss_parts"]}


# --------------------------------------------------------------------------------------------
# The floor


def app_start_settings() -> dict[str, str]:
    """The environment the app starts itself again with (src-tauri/src/memory_env.rs, read from
    there so that this is not a second table): glibc's arenas, JavaScriptCore's heap sizing,
    WebKitGTK's compositing off."""
    source = (Path(__file__).resolve().parent.parent / "src-tauri" / "src" / "memory_env.rs").read_text()
    table = source.split("pub const MEMORY_SETTINGS", 1)[1].split("= [", 1)[1].split("];", 1)[0]
    return dict(re.findall(r'\("([A-Za-z_]+)", "([^"]*)"\)', table))


def floor_runs(program: Path, driver_args: tuple, work: Path, runs: int, settings: dict[str, str] | None = None) -> list[dict]:
    """The empty window's PSS, `runs` starts; with `settings` in its environment when given (the
    floor with the app's own settings), each run marked with them."""
    out = []
    saved = {name: os.environ.get(name) for name in settings or {}}
    os.environ.update(settings or {})
    try:
        for i in range(runs):
            out.append(floor_run(program, driver_args, work, i))
            out[-1]["settings"] = dict(settings or {})
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return out


def floor_run(program: Path, driver_args: tuple, work: Path, i: int) -> dict:
    """One start of the empty window: its PSS once the page is there and has settled."""
    # The driver sets QUANZE_DB; the empty window reads no database.
    driver, session, pid = session_on(program, work / "floor.db", driver_args, program.name)
    try:
        session.wait_js("the empty page", "return !!document.querySelector('[data-testid=floor]')")
        time.sleep(SETTLE)
        m = memory(pid)
        web = process_of(pid, WEB)
        log(f"floor {i}: PSS {m['pss_mb']:.0f} MB ({m['pss_parts']})")
        return {"pss_mb": m["pss_mb"], "rss_mb": m["rss_mb"], "pss_parts": m["pss_parts"],
                "web_kinds": pss_by_kind(web) if web else {}, "main_kinds": pss_by_kind(pid)}
    finally:
        session.close()
        driver.stop()


# --------------------------------------------------------------------------------------------
# The tour

LOADING = """
for (const mask of document.querySelectorAll('.el-loading-mask')) {
  if (mask.offsetParent !== null && getComputedStyle(mask).display !== 'none') return false;
}
return !document.querySelector('[data-testid=items-loading]');
"""

LIST_SHOWN = """
const total = document.querySelector('[data-testid=item-total]');
return !!(total && total.textContent.replace(/[,，\\s]/g, '').includes('共' + arguments[0] + '项'))
  && !document.querySelector('[data-testid=items-loading]');
"""

GRID_FACTS = """
const done = arguments[arguments.length - 1];
const grid = document.querySelector('[data-testid=item-table] revo-grid');
const facts = {dom_nodes: document.getElementsByTagName('*').length,
               rendered_name_cells: document.querySelectorAll('[data-testid=item-table] [data-prop=name]').length};
if (!grid || !grid.getSource) { done(facts); return; }
grid.getSource().then((rows) => { facts.grid_source_rows = rows.length;
  facts.grid_row_fields = rows.length ? Object.keys(rows[0]).length : 0; done(facts); })
  .catch((e) => { facts.error = String(e); done(facts); });
"""

# One more copy of the list's items in the page, kept (`hold`) or dropped, to see what 50,000 items
# cost as JavaScript objects; also their size as JSON.
HOLD_ITEMS = """
const [list, hold, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
if (!hold) { delete window.__benchHeld; done({dropped: true}); return; }
const invoke = window.__TAURI_INTERNALS__.invoke;
(async () => {
  const items = [];
  let total = 1;
  while (items.length < total) {
    const page = await invoke('list_items', {list, offset: items.length, limit: 5000});
    total = page.total;
    if (page.items.length === 0) break;
    items.push(...page.items);
  }
  window.__benchHeld = items;
  done({items: items.length, json_chars: JSON.stringify(items).length});
})().catch((e) => done({error: String(e)}));
"""


def settle(session: Session, wait: float = 180) -> None:
    session.wait_js("the screen loaded", LOADING, wait=wait, pause=0.1)
    time.sleep(0.5)


def click_and_wait(session: Session, button: str, marker: str, wait: float = 180) -> None:
    session.click(f"[data-testid={button}]")
    session.wait_js(marker, f"return !!document.querySelector('{marker}')", wait=wait, pause=0.1)
    settle(session, wait)


def open_big_list(session: Session, data: dict) -> None:
    """The lists screen with the 50,000-item list open (opened again when another screen or the
    tree's selection closed it)."""
    session.click("[data-testid=view-lists]")
    time.sleep(0.3)
    if not session.js(LIST_SHOWN, data["items"]):
        session.click(f"[data-testid=tree-node-{data['jurisdiction']}]")
        session.click(f"[data-testid=list-entry-{data['list']}]")
    session.wait_js("the 50,000-item list", LIST_SHOWN, data["items"], wait=180, pause=0.1)
    settle(session)


def lists_step(session: Session, data: dict) -> None:
    open_big_list(session, data)
    ids = data["ids"]
    rows = [len(ids) // 2, len(ids) - 1, 0]
    scrolled = session.js_async(SCROLL, [[r, ids[r]] for r in rows])
    if "error" in scrolled:
        raise WebDriverError(f"scrolling: {scrolled}")


def search_step(session: Session, data: dict) -> None:
    field = session.find("[data-testid=search-input] input") or session.find("[data-testid=search-input]")
    if field is None:
        raise WebDriverError("no search field")
    session.request("POST", session.path(f"/element/{field}/clear"), {})
    session.type_into(field, "许可")
    session.click("[data-testid=search-button]")
    session.wait_js("search results", "return !!document.querySelector('[data-testid=search-total]')", wait=120)
    settle(session)
    session.click("[data-testid=search-close]")


def checks_step(session: Session, data: dict) -> None:
    session.click("[data-testid=open-checks]")
    session.wait_js("the checks panel", "return !!document.querySelector('[data-testid=run-checks]')")
    session.click("[data-testid=run-checks]")
    done = ("const s = document.querySelector('[data-testid=checks-summary]');"
            "const b = document.querySelector('[data-testid=run-checks]');"
            "return !!(s && b && !b.disabled && !b.classList.contains('is-loading')"
            " && !document.querySelector('[data-testid=checks-busy]'));")
    time.sleep(0.3)
    session.wait_js("the findings", done, wait=300, pause=0.1)
    session.click("[data-testid=open-checks]")


def notices_step(session: Session, data: dict) -> None:
    click_and_wait(session, "view-notices", "[data-testid=notices-screen]")


def org_step(session: Session, data: dict) -> None:
    session.click(f"[data-testid=tree-node-{data['street']}]")
    click_and_wait(session, "view-org", "[data-testid=org-screen]")


def admission_step(session: Session, data: dict) -> None:
    click_and_wait(session, "view-admission", "[data-testid=admission-screen]")


def changes_step(session: Session, data: dict) -> None:
    session.click(f"[data-testid=tree-node-{data['jurisdiction']}]")
    click_and_wait(session, "view-changes", "[data-testid=changes-screen]")


def history_step(session: Session, data: dict) -> None:
    click_and_wait(session, "view-history", "[data-testid=history-screen]")
    click_and_wait(session, "history-tab-versions", "[data-testid=versions-panel]")
    click_and_wait(session, "history-tab-audit", "[data-testid=history-screen]")


def stats_step(session: Session, data: dict) -> None:
    click_and_wait(session, "view-stats", "[data-testid=stats-total]")


# Every screen, in the order a clerk might walk them; the lists screen with the big list comes
# first in each round, so that its samples compare like with like.
STEPS = [("清单 (50,000 items, scrolled)", lists_step), ("搜索", search_step), ("检查", checks_step),
         ("公示", notices_step), ("机构图", org_step), ("准入", admission_step), ("调整", changes_step),
         ("历史 + 发布版本", history_step), ("统计", stats_step)]


def street_of(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        return con.execute("SELECT id FROM jurisdictions WHERE level = '街道' ORDER BY id LIMIT 1").fetchone()[0]


def tour_run(program: Path, driver_args: tuple, data: dict, work: Path, minutes: float, shots: Path) -> dict:
    db = fresh_copy(data["big"], work / "tour.db")
    data = dict(data, street=street_of(db), items=len(data["ids"]))
    driver, session, pid = session_on(program, db, driver_args, "quanze-desktop")
    t0 = time.monotonic()
    out: dict = {"minutes": minutes, "samples": [], "rounds": 0, "steps": [name for name, _ in STEPS]}
    try:
        session.wait_js("the district's tree", TREE_NODE, data["root_name"])
        time.sleep(SETTLE)
        out["tree"] = sample(pid, "tree only", t0)
        session.click(f"[data-testid=tree-node-{data['jurisdiction']}]")
        session.wait_js("the big list in the menu", f"return !!document.querySelector('[data-testid=list-entry-{data['list']}]')")
        opened = session.js_async(OPEN_LIST, data["list"], data["ids"][0], data["items"])
        if "error" in opened:
            raise WebDriverError(f"opening the list: {opened}")
        session.wait_js("every row loaded", LIST_SHOWN, data["items"], wait=180)
        time.sleep(SETTLE)
        out["list_open"] = sample(pid, "50,000-item list open", t0)
        out["list_open_kinds"] = kinds_of(pid)
        out["environment"] = memory_environment(pid)
        out["grid"] = session.js_async(GRID_FACTS)
        session.screenshot(shots / "app-bench-tour-list.png")
        log(f"tour: tree {out['tree']['pss_mb']:.0f} MB, list open {out['list_open']['pss_mb']:.0f} MB PSS")
        while time.monotonic() - t0 < minutes * 60 or out["rounds"] == 0:
            for name, step in STEPS:
                step(session, data)
                out["samples"].append(dict(sample(pid, name, t0), round=out["rounds"]))
            out["rounds"] += 1
            first = out["samples"][0]["pss_mb"]
            log(f"tour round {out['rounds']} after {(time.monotonic() - t0) / 60:.1f} min: "
                f"PSS {out['samples'][-len(STEPS)]['pss_mb']:.0f} MB on the list (first round {first:.0f}), "
                f"max {max(s['pss_mb'] for s in out['samples']):.0f} MB")
        out["after"] = after_tour(session, pid, data, t0)
        session.screenshot(shots / "app-bench-tour-end.png")
        return out
    finally:
        session.close()
        driver.stop()


def memory_environment(pid: int) -> dict:
    """The memory settings the web process runs with (src-tauri/src/memory_env.rs sets them)."""
    web = process_of(pid, WEB)
    try:
        pairs = Path(f"/proc/{web}/environ").read_bytes().split(b"\0") if web else []
    except OSError:
        pairs = []
    wanted = ("MALLOC_ARENA_MAX", "JSC_forceRAMSize", "WEBKIT_DISABLE_COMPOSITING_MODE")
    found = dict(p.decode(errors="replace").split("=", 1) for p in pairs if b"=" in p)
    return {name: found.get(name) for name in wanted}


def kinds_of(pid: int) -> dict:
    web = process_of(pid, WEB)
    return {"main": pss_by_kind(pid), "web": pss_by_kind(web) if web else {}}


def after_tour(session: Session, pid: int, data: dict, t0: float) -> dict:
    """The list open again at the end (compared with the first figure), then left for another
    screen (the list editor stays, hidden), then one more copy of the items held by the page."""
    out: dict = {}
    open_big_list(session, data)
    time.sleep(SETTLE)
    out["list_open"] = sample(pid, "list open after the tour", t0)
    out["list_open_kinds"] = kinds_of(pid)
    out["grid"] = session.js_async(GRID_FACTS)
    click_and_wait(session, "view-stats", "[data-testid=stats-total]")
    time.sleep(SETTLE * 2)
    out["list_left"] = sample(pid, "on 统计, the list editor hidden", t0)
    out["list_left_kinds"] = kinds_of(pid)
    held = session.js_async(HOLD_ITEMS, data["list"], True)
    if "error" in held:
        raise WebDriverError(f"holding the items: {held}")
    time.sleep(SETTLE)
    out["held"] = dict(sample(pid, "the same screen, one more copy of the 50,000 items held by the page", t0), **held)
    session.js_async(HOLD_ITEMS, data["list"], False)
    time.sleep(SETTLE * 2)
    out["dropped"] = sample(pid, "that copy dropped", t0)
    return out


def growth(samples: list[dict], step: str) -> dict:
    """The figures at one step of every round: first, last, highest, and the least-squares slope in
    MB per 10 minutes."""
    points = [(s["t"], s["pss_mb"]) for s in samples if s["at"] == step]
    if not points:
        return {}
    ts, ms = [t for t, _ in points], [m for _, m in points]
    slope = 0.0
    if len(points) > 1 and max(ts) > min(ts):
        mt, mm = statistics.fmean(ts), statistics.fmean(ms)
        slope = sum((t - mt) * (m - mm) for t, m in points) / sum((t - mt) ** 2 for t in ts) * 600
    return {"first": ms[0], "last": ms[-1], "max": max(ms), "min": min(ms), "rounds": len(ms),
            "slope_mb_per_10min": round(slope, 1)}


# --------------------------------------------------------------------------------------------
# Report


def median_range(values: list[float], unit: str = "MB") -> str:
    if not values:
        return "—"
    return f"**{statistics.median(values):.0f} {unit}** ({min(values):.0f}–{max(values):.0f}, n={len(values)})"


def parts_text(parts: dict) -> str:
    return ", ".join(f"{name} {mb:.0f}" for name, mb in sorted(parts.items(), key=lambda kv: -kv[1]))


def kinds_text(kinds: dict) -> str:
    return ", ".join(f"{kind} {mb:.0f}" for kind, mb in kinds.items() if mb >= 0.5) or "—"


def split_floors(floor: list[dict]) -> tuple[list[dict], list[dict]]:
    """The floor's runs as Tauri leaves it, and those with the app's own settings (if measured)."""
    return [f for f in floor if not f.get("settings")], [f for f in floor if f.get("settings")]


def memory_section(floor: list[dict], tour: dict) -> list[str]:
    """The Markdown of the memory figures: the floor, the goal it sets, the list open, the tour."""
    floor, same = split_floors(floor)
    floor_pss = statistics.median([f["pss_mb"] for f in floor])
    goal = 1.5 * floor_pss + 150
    opened, after = tour["list_open"], tour["after"]
    on_list = growth(tour["samples"], STEPS[0][0])
    every = [s["pss_mb"] for s in tour["samples"]]
    first_round = [s for s in tour["samples"] if s["round"] == 0]
    last_round = [s for s in tour["samples"] if s["round"] == tour["rounds"] - 1]
    held = after["held"]
    grid = after.get("grid") or {}
    met = "met" if opened["pss_mb"] <= goal else "not met"
    lines = [
        "## Memory: the floor, the 50,000-item list, a tour of every screen",
        "",
        "PSS (proportional set size, from `/proc/PID/smaps_rollup`: a page shared by n processes counts",
        "1/n in each) summed over the program and every process below it (WebKitWebProcess,",
        "WebKitNetworkProcess), in the same harness for both: started by tauri-driver under xvfb-run",
        f"(1440×900), sampled {SETTLE:.0f} s after the page or the list has finished loading.",
        "The floor is `scripts/bench-floor/`: an empty Tauri 2 window (same tauri version and features as",
        "`src-tauri`, the core permissions, no plugins, a page of one line), built in release like the app.",
        "",
        "| what | PSS | goal |",
        "| --- | --- | --- |",
        f"| the floor: an empty Tauri 2 window | {median_range([f['pss_mb'] for f in floor])} | |",
        f"| — by process (first run) | {parts_text(floor[0]['pss_parts'])} | |",
        f"| the goal: 1.5 × floor + 150 MB | {goal:.0f} MB | |",
    ]
    if same:
        same_pss = statistics.median([f["pss_mb"] for f in same])
        same_goal = 1.5 * same_pss + 150
        settings = ", ".join(f"`{k}={v}`" for k, v in same[0]["settings"].items())
        lines += [
            f"| the floor with the app's own start settings ({settings}) | {median_range([f['pss_mb'] for f in same])} | |",
            f"| — by process (first run) | {parts_text(same[0]['pss_parts'])} | |",
            f"| the goal from it: 1.5 × that floor + 150 MB | {same_goal:.0f} MB | |",
        ]
    lines += [
        f"| the app, the district's tree only (before opening a list) | **{tour['tree']['pss_mb']:.0f} MB** | |",
        f"| the app, the 50,000-item list open (the outline and the rows of the view read) | **{opened['pss_mb']:.0f} MB** | ≤ {goal:.0f} MB ({met})"
        + (f"; ≤ {same_goal:.0f} MB from the floor with the same settings ({'met' if opened['pss_mb'] <= same_goal else 'not met'})" if same else "")
        + " |",
        f"| — by process | {parts_text(opened['pss_parts'])} | |",
        f"| the same list open again after the tour | **{after['list_open']['pss_mb']:.0f} MB** | ≤ {goal:.0f} MB |",
        f"| tour: {tour['rounds']} rounds of every screen in {tour['samples'][-1]['t'] / 60:.1f} min; on the list screen, first → last round | "
        f"**{on_list['first']:.0f} → {on_list['last']:.0f} MB** (lowest {on_list['min']:.0f}, highest {on_list['max']:.0f}; "
        f"trend {on_list['slope_mb_per_10min']:+.1f} MB per 10 min) | no growth |",
        f"| tour: highest sample after any screen | **{max(every):.0f} MB** | |",
        f"| after the tour, on 统计 (the list editor hidden, its rows kept) | **{after['list_left']['pss_mb']:.0f} MB** | |",
        f"| — the page holding one more copy of the list's {held.get('items', 0):,} items | **{held['pss_mb']:.0f} MB** "
        f"(+{held['pss_mb'] - after['list_left']['pss_mb']:.0f} MB; the items are {held.get('json_chars', 0) / 1e6:.1f} M characters of JSON) | |",
        f"| — that copy dropped again | {after['dropped']['pss_mb']:.0f} MB | |",
        "",
        "After each screen of the first and the last round (PSS, MB):",
        "",
        "| screen | first round | last round |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {a['at']} | {a['pss_mb']:.0f} | {b['pss_mb']:.0f} |" for a, b in zip(first_round, last_round)]
    lines += [
        "",
        "Where it lies (PSS in MB by kind of mapping, from `/proc/PID/smaps`; “anonymous” is the",
        "JavaScript heap, malloc and WebKit's own allocators, which smaps cannot tell apart):",
        "",
        f"- floor, web process: {kinds_text(floor[0]['web_kinds'])}; main process: {kinds_text(floor[0]['main_kinds'])}",
        f"- list open, web process: {kinds_text(tour['list_open_kinds']['web'])}; main process: {kinds_text(tour['list_open_kinds']['main'])}",
        f"- after the tour, list open, web process: {kinds_text(after['list_open_kinds']['web'])}; main: {kinds_text(after['list_open_kinds']['main'])}",
        f"- after the tour, on 统计, web process: {kinds_text(after['list_left_kinds']['web'])}",
        "- the web process's memory settings: " + (", ".join(f"`{k}={v}`" if v is not None else f"`{k}` not set"
                                                           for k, v in tour.get("environment", {}).items()) or "not recorded"),
        f"- the grid with the list open: {grid.get('grid_source_rows', '?')} rows in its source"
        f" ({grid.get('grid_row_fields', '?')} fields each), {grid.get('rendered_name_cells', '?')} rows rendered in the DOM,"
        f" {grid.get('dom_nodes', '?')} DOM elements in the page",
        "",
    ]
    return lines


def memory_reading(floor: list[dict], tour: dict) -> list[str]:
    """Sentences computed from this run's memory figures: the gap to the goal, and what grows."""
    floor, same = split_floors(floor)
    floor_pss = statistics.median([f["pss_mb"] for f in floor])
    goal = 1.5 * floor_pss + 150
    opened = tour["list_open"]
    # What the app adds is counted from the floor with its own settings when that was measured
    # (compositing off makes the web process itself smaller: like for like).
    base = same or floor
    base_pss = statistics.median([f["pss_mb"] for f in base])
    parts, floor_parts = opened["pss_parts"], base[0]["pss_parts"]
    web, main = parts.get(WEB[:15], 0), parts.get("quanze-desktop", 0)
    floor_web = floor_parts.get(WEB[:15], 0)
    floor_main = next((mb for name, mb in floor_parts.items() if name.startswith("quanze-bench")), 0)
    on_list = [s for s in tour["samples"] if s["at"] == STEPS[0][0]]
    web_steps = [b["pss_parts"].get(WEB[:15], 0) - a["pss_parts"].get(WEB[:15], 0) for a, b in zip(on_list, on_list[1:])]
    checks = [s for s in tour["samples"] if s["at"] == "检查"]
    before_checks = next((s for s in tour["samples"] if s["at"] == "搜索"), None)
    after = tour["after"]
    held = after["held"]["pss_mb"] - after["list_left"]["pss_mb"]
    lines = [
        f"- Memory against the floor: the empty window takes {floor_pss:.0f} MB, so the goal is {goal:.0f} MB; with the"
        f" 50,000-item list open the app takes {opened['pss_mb']:.0f} MB, "
        + (f"{opened['pss_mb'] - goal:.0f} MB above the goal" if opened["pss_mb"] > goal else "within the goal")
        + (f". With the app's own start settings the empty window takes {base_pss:.0f} MB (goal {1.5 * base_pss + 150:.0f} MB,"
           + (" met" if opened["pss_mb"] <= 1.5 * base_pss + 150 else " not met") + ")" if same else "")
        + f". Of the {opened['pss_mb'] - base_pss:.0f} MB above the {'floor with the same settings' if same else 'floor'},"
        f" the web process has {web - floor_web:.0f} MB"
        f" ({floor_web:.0f} → {web:.0f}) and the main process {main - floor_main:.0f} MB ({floor_main:.0f} → {main:.0f}).",
        f"- One more copy of the list's items held by the page costs {held:.0f} MB: what the list editor would cost"
        f" if it held the whole list, as it did before it read rows on demand (it now holds at most 3,000 items,"
        f" ui/src/lib/rowWindow.ts); the grid's source holds {tour['grid'].get('grid_source_rows', '?')} rows"
        f" (a placeholder with the item's id for each row not read), and renders only the"
        f" {tour['grid'].get('rendered_name_cells', '?')} in view.",
    ]
    if len(on_list) >= 3:
        span = on_list[-1]["t"] - on_list[0]["t"] or 1
        thirds = [[x["pss_mb"] for x in on_list if k / 3 <= (x["t"] - on_list[0]["t"]) / span <= (k + 1) / 3]
                  for k in range(3)]
        means = " → ".join(f"{statistics.fmean(t):.0f}" for t in thirds if t)
        lines.append(
            f"- Over the tour, on the list screen, PSS rose from {on_list[0]['pss_mb']:.0f} MB in the first round to a"
            f" mean of {means} MB in each third of the tour (the list editor stays, hidden, while another screen is"
            f" shown: the list is read once). From one round to the next the web process moved by"
            f" {min(web_steps):+.0f} to {max(web_steps):+.0f} MB (median {statistics.median(web_steps):+.1f}).")
    if checks and before_checks:
        grew = checks[0]["pss_parts"].get("quanze-desktop", 0) - before_checks["pss_parts"].get("quanze-desktop", 0)
        lines.append(
            f"- The main process changed by {grew:+.0f} MB at the first run of the checks"
            f" ({after['list_open']['pss_parts'].get('quanze-desktop', 0):.0f} MB at the end of the tour).")
    return lines
