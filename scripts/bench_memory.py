#!/usr/bin/env python3
"""The memory part of the desktop app benchmark, called by scripts/bench_app.py (run it with
scripts/bench-app.sh, which builds what is needed).

1. The floor: an empty Tauri 2 window (scripts/bench-floor/: the same tauri version and features,
   a page of one line), started by tauri-driver under xvfb-run, PSS summed over the program and the
   WebKit processes below it.
2. The screens' steps over WebDriver or the inspector (STEPS), which the probes repeat, and what
   they read in the page (the list shown, the grid's facts).
3. The report of the floor and of the tour of every screen (scripts/bench_mouse_tour.py, the X
   mouse: the app as shipped renews its page, which no WebDriver session survives).
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
    SCROLL, Driver, Session, WebDriverError, app_pid, log, memory,
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


def variant_label(variant: str) -> str:
    if variant == "on":
        return "as shipped (the page renewed 120 MB over the session's lowest)"
    if variant == "off":
        return "renewal off (`QUANZE_PAGE_RENEWAL_MB=off`)"
    return f"renewal bound {variant} MB"


def thirds(samples: list[dict], of=statistics.fmean) -> list[float]:
    """`of` (the mean unless told) the samples in each third of the time they span."""
    if len(samples) < 3:
        return []
    start, span = samples[0]["t"], (samples[-1]["t"] - samples[0]["t"]) or 1
    parts = [[s["pss_mb"] for s in samples if k / 3 <= (s["t"] - start) / span <= (k + 1) / 3] for k in range(3)]
    return [of(p) for p in parts if p]


def later_trend(samples: list[dict], after_s: float = 300) -> float:
    """The least-squares trend on the list screen, samples `after_s` seconds into the tour on."""
    on_list = [s for s in samples if s["at"] == STEPS[0][0]]
    if not on_list:
        return 0.0
    later = [s for s in on_list if s["t"] - on_list[0]["t"] >= after_s]
    return growth(later, STEPS[0][0]).get("slope_mb_per_10min", 0.0)


def renewals_text(renewals: list[dict]) -> str:
    if not renewals:
        return "none"
    web = [r["web_mb"] for r in renewals]
    lowest = sorted({r["lowest_mb"] for r in renewals})
    back = [r["page_back_ms"] for r in renewals if r["page_back_ms"] is not None]
    never = len(renewals) - len(back)
    return (f"{len(renewals)}, each at a web process of {min(web)}–{max(web)} MB (the session's lowest "
            f"{'/'.join(str(x) for x in lowest)} MB)"
            + (f"; the new page asked for its place {min(back)}–{max(back)} ms after the renewal was asked" if back else "")
            + (f"; {never} never asked for it" if never else ""))


def tour_rows(tour: dict, goal: float) -> list[str]:
    """The table rows of one variant's tour."""
    on_list = [s for s in tour["samples"] if s["at"] == STEPS[0][0]]
    g = growth(tour["samples"], STEPS[0][0])
    label = variant_label(tour["variant"])
    after = tour["after"]["list_open"]["pss_mb"]
    return [
        f"| tour, {label}: {tour['rounds']} rounds of every step in {tour['minutes']:.1f} min; on the list screen, first → last round | "
        f"**{g['first']:.0f} → {g['last']:.0f} MB** (lowest {g['min']:.0f}, highest {g['max']:.0f}; trend {g['slope_mb_per_10min']:+.1f} MB per 10 min) | no growth |",
        f"| — on the list screen, mean in each third of the tour | {' / '.join(f'{m:.0f}' for m in thirds(on_list))} MB | |",
        f"| — on the list screen, highest in each third of the tour | {' / '.join(f'{m:.0f}' for m in thirds(on_list, max))} MB | |",
        # A fresh session climbs from its lowest to the renewal's bound before any renewal (about
        # five minutes on this tour): the trend without that first climb.
        f"| — trend on the list screen from the fifth minute on | {later_trend(tour['samples']):+.1f} MB per 10 min | |",
        f"| — highest sample after any step | **{max(s['pss_mb'] for s in tour['samples']):.0f} MB** | ≤ {goal:.0f} MB |",
        f"| — renewals of the page | {renewals_text(tour['renewals'])} | |",
        f"| — the list shown again after the tour | **{after:.0f} MB** | ≤ {goal:.0f} MB |",
    ]


def memory_section(floor: list[dict], tours: list[dict]) -> list[str]:
    """The Markdown of the memory figures: the floor, the goal it sets, the list open, the tour of
    every step with and without the renewal (scripts/bench_mouse_tour.py)."""
    floor, same = split_floors(floor)
    floor_pss = statistics.median([f["pss_mb"] for f in floor])
    goal = 1.5 * floor_pss + 150
    shipped = tours[0]
    opened = shipped["list_open"]
    grid = shipped.get("grid") or {}
    met = "met" if opened["pss_mb"] <= goal else "not met"
    lines = [
        "## Memory: the floor, the 50,000-item list, a tour of every screen",
        "",
        "PSS (proportional set size, from `/proc/PID/smaps_rollup`: a page shared by n processes counts",
        "1/n in each) summed over the program and every process below it (WebKitWebProcess,",
        "WebKitNetworkProcess), sampled " f"{SETTLE:.0f} s after the page or the list has finished loading, one program",
        "at a time under Xvfb (1440×900). The floor is `scripts/bench-floor/`: an empty Tauri 2 window (same",
        "tauri version and features as `src-tauri`, the core permissions, no plugins, a page of one line),",
        "built in release like the app, started by tauri-driver. The app is started on its own (no",
        "WebDriver, which ends its session when the page is renewed) and toured with the X server's mouse",
        "and keyboard (`scripts/bench_mouse_tour.py`): each round shows the list and scrolls it",
        "60 wheel steps further down, types 许可 into the search box and closes the results, opens the",
        "checks pane, runs the checks and hides it, then shows 公示, 机构图, 准入, 调整, 历史 and 统计,",
        f"{shipped.get('seconds_on_a_screen', 2):.0f} s on each; the PSS is sampled after every step. One app as shipped, then the",
        "same app with the renewal off, one after the other.",
        "",
        "| what | PSS | goal |",
        "| --- | --- | --- |",
        f"| the floor: an empty Tauri 2 window | {median_range([f['pss_mb'] for f in floor])} | |",
        f"| — by process (first run) | {parts_text(floor[0]['pss_parts'])} | |",
        f"| the goal: 1.5 × floor + 150 MB | {goal:.0f} MB | |",
    ]
    same_goal = None
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
        f"| the app, the district's tree only (before opening a list) | **{shipped['tree']['pss_mb']:.0f} MB** | |",
        f"| the app, the 50,000-item list open (the outline and the rows of the view read) | **{opened['pss_mb']:.0f} MB** | ≤ {goal:.0f} MB ({met})"
        + (f"; ≤ {same_goal:.0f} MB from the floor with the same settings ({'met' if opened['pss_mb'] <= same_goal else 'not met'})" if same_goal else "")
        + " |",
        f"| — by process | {parts_text(opened['pss_parts'])} | |",
    ]
    for tour in tours:
        lines += tour_rows(tour, goal)
    lines += ["", "After each step of the first and the last round (PSS, MB):", "",
              "| step | " + " | ".join(f"{t['variant']}: first round | {t['variant']}: last round" for t in tours) + " |",
              "| --- |" + " --- | --- |" * len(tours)]
    for step in shipped["steps"]:
        cells = []
        for t in tours:
            first = next((s for s in t["samples"] if s["round"] == 0 and s["at"] == step), None)
            last = next((s for s in t["samples"] if s["round"] == t["rounds"] - 1 and s["at"] == step), None)
            cells += [f"{first['pss_mb']:.0f}" if first else "—", f"{last['pss_mb']:.0f}" if last else "—"]
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Where it lies (PSS in MB by kind of mapping, from `/proc/PID/smaps`; “anonymous” is the",
        "JavaScript heap, malloc and WebKit's own allocators, which smaps cannot tell apart):",
        "",
        f"- floor, web process: {kinds_text(floor[0]['web_kinds'])}; main process: {kinds_text(floor[0]['main_kinds'])}",
        f"- list open, web process: {kinds_text(shipped['list_open_kinds']['web'])}; main process: {kinds_text(shipped['list_open_kinds']['main'])}",
        *[f"- after the tour ({t['variant']}), list open, web process: {kinds_text(t['after']['list_open_kinds']['web'])};"
          f" main: {kinds_text(t['after']['list_open_kinds']['main'])}" for t in tours],
        "- the web process's memory settings: " + (", ".join(f"`{k}={v}`" if v is not None else f"`{k}` not set"
                                                           for k, v in shipped.get("environment", {}).items()) or "not recorded"),
        f"- the grid with the list open: {grid.get('grid_source_rows', '?')} rows in its source"
        f" ({grid.get('grid_row_fields', '?')} fields each), {grid.get('rendered_name_cells', '?')} rows rendered in the DOM,"
        f" {grid.get('dom_nodes', '?')} DOM elements in the page",
        "",
    ]
    return lines


def memory_reading(floor: list[dict], tours: list[dict]) -> list[str]:
    """Sentences computed from this run's memory figures: the gap to the goal, and the tour with
    and without the renewal."""
    floor, same = split_floors(floor)
    floor_pss = statistics.median([f["pss_mb"] for f in floor])
    goal = 1.5 * floor_pss + 150
    shipped = tours[0]
    opened = shipped["list_open"]
    # What the app adds is counted from the floor with its own settings when that was measured
    # (compositing off makes the web process itself smaller: like for like).
    base = same or floor
    base_pss = statistics.median([f["pss_mb"] for f in base])
    parts, floor_parts = opened["pss_parts"], base[0]["pss_parts"]
    web, main = parts.get(WEB[:15], 0), parts.get("quanze-desktop", 0)
    floor_web = floor_parts.get(WEB[:15], 0)
    floor_main = next((mb for name, mb in floor_parts.items() if name.startswith("quanze-bench")), 0)
    lines = [
        f"- Memory against the floor: the empty window takes {floor_pss:.0f} MB, so the goal is {goal:.0f} MB; with the"
        f" 50,000-item list open the app takes {opened['pss_mb']:.0f} MB, "
        + (f"{opened['pss_mb'] - goal:.0f} MB above the goal" if opened["pss_mb"] > goal else "within the goal")
        + (f". With the app's own start settings the empty window takes {base_pss:.0f} MB (goal {1.5 * base_pss + 150:.0f} MB,"
           + (" met" if opened["pss_mb"] <= 1.5 * base_pss + 150 else " not met") + ")" if same else "")
        + f". Of the {opened['pss_mb'] - base_pss:.0f} MB above the {'floor with the same settings' if same else 'floor'},"
        f" the web process has {web - floor_web:.0f} MB"
        f" ({floor_web:.0f} → {web:.0f}) and the main process {main - floor_main:.0f} MB ({floor_main:.0f} → {main:.0f}).",
    ]
    for tour in tours:
        on_list = [s for s in tour["samples"] if s["at"] == STEPS[0][0]]
        if len(on_list) < 3:
            continue
        g = growth(tour["samples"], STEPS[0][0])
        highest = max(s["pss_mb"] for s in tour["samples"])
        web_steps = [b["pss_parts"].get(WEB[:15], 0) - a["pss_parts"].get(WEB[:15], 0) for a, b in zip(on_list, on_list[1:])]
        lines.append(
            f"- Over the tour, {variant_label(tour['variant'])}, on the list screen: {g['first']:.0f} MB in the first round,"
            f" a mean of {' → '.join(f'{m:.0f}' for m in thirds(on_list))} MB in each third (highest"
            f" {' → '.join(f'{m:.0f}' for m in thirds(on_list, max))}), a trend of"
            f" {g['slope_mb_per_10min']:+.1f} MB per 10 minutes; the highest sample after any step {highest:.0f} MB"
            f" ({'within' if highest <= goal else 'above'} the goal of {goal:.0f} MB). From one round to the next the web"
            f" process moved by {min(web_steps):+.0f} to {max(web_steps):+.0f} MB (median {statistics.median(web_steps):+.1f});"
            f" renewals: {renewals_text(tour['renewals'])}.")
    return lines
