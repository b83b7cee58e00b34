"""The desktop app's memory over a 30-minute tour of every screen, clicked with the X server's own
mouse and keyboard as a clerk does, with the page's renewal as shipped and without it (issue 18).

A renewal ends WebKit's web process and loads the page in a new one (crates/quanze-api/src/
page_renewal.rs, src-tauri/src/page_process.rs). Neither WebDriver nor WebKit's remote inspector
follows the page into the new process (WebKitWebDriver ends its session with the process; the
inspector's connection goes silent and no new one is answered), so the tour is driven with
xdotool and memory read from /proc. The inspector is used only at the start, before any renewal:
to open the 50,000-item list, to read where the buttons are, and to check that an X click, a
typed search and a check run reach the page.

Each variant is a new app on a fresh copy of the benchmark's 50,000-item database
(scripts/bench_app.py prepares it) under its own Xvfb (1440×900): `on` is the app as shipped,
`off` the same with QUANZE_PAGE_RENEWAL_MB=off, a number the same with that bound in MB. A round:
清单 (the list, scrolled 60 wheel steps further down than the round before), 搜索 (“许可” typed
into the search box, Enter, the results closed), 检查 (the checks pane opened, 重新检查 clicked,
the pane hidden), then 公示, 机构图, 准入, 调整, 历史 and 统计; SECONDS_ON_A_SCREEN on each, the
PSS of the app and every process below it sampled after each. At the end the list is shown again
and sampled, the app's own account of its renewals (its standard error) read, and a screenshot of
each variant's window taken (mouse-tour-*.png in the work folder).

scripts/bench_app.py runs it as the memory part of its report (docs/benchmarks/app.md):
`scripts/bench_app.py --memory-only [--tour-minutes 30] [--tour-variants on,off]` (a variant: on,
off or a bound in MB). Needs xdotool, Xvfb, xwd and ImageMagick's convert (the screenshot;
skipped without them).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import bench_memory
from bench_harness import TREE_NODE, WebDriverError, free_port, fresh_copy, log
from webkit_inspector import InspectorSession, connect

SECONDS_ON_A_SCREEN = 2.0
SEARCH_TEXT = "许可"
WHEEL_STEPS_A_ROUND = 60
LIST_STEP = bench_memory.STEPS[0][0]  # the same name as the WebDriver steps'
VIEWS = ["notices", "org", "admission", "changes", "history", "stats"]
VIEW_LABELS = {"notices": "公示", "org": "机构图", "admission": "准入", "changes": "调整", "history": "历史", "stats": "统计"}
STEP_NAMES = [LIST_STEP, "搜索", "检查", *VIEW_LABELS.values()]
RENEWAL_LINE = re.compile(r"页面重新载入以释放内存：网页进程 (\d+) MB，本次最低 (\d+) MB，界限 (\d+) MB")
PLACE_TAKEN_LINE = re.compile(r"重新载入的页面已取回原来的位置（(\d+) ms）")
CENTRES = """return arguments[0].map((selector) => {
  const e = document.querySelector(selector);
  if (!e) return [selector, null];
  const r = e.getBoundingClientRect();
  return [selector, [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)]];
})"""
SEARCH_INPUT = "input[data-testid=search-input]"
SEARCH_CLOSE = "[data-testid=search-close]"
OPEN_CHECKS = "[data-testid=open-checks]"
RUN_CHECKS = "[data-testid=run-checks]"
GRID = "[data-testid=item-table] revo-grid"
CHECKS_DONE = ("const s = document.querySelector('[data-testid=checks-summary]');"
               "return !!s && !document.querySelector('[data-testid=checks-running]');")


def free_display() -> int:
    for number in range(90, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


def xdotool(display: str, *args: str) -> str:
    return subprocess.run(["xdotool", *args], env=dict(os.environ, DISPLAY=display), check=True,
                          capture_output=True, text=True).stdout.strip()


def start_variant(app_program: Path, variant: str, data: dict, work: Path) -> dict:
    display = f":{free_display()}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(1.0)
    db = fresh_copy(data["big"], work / f"mouse-tour-{variant}.db")
    port = free_port()
    env = dict(os.environ, DISPLAY=display, QUANZE_DB=str(db), QUANZE_CONFIG_DIR=str(work / f"mouse-tour-{variant}-config"),
               WEBKIT_INSPECTOR_HTTP_SERVER=f"127.0.0.1:{port}")
    env.pop("QUANZE_PAGE_RENEWAL_MB", None)
    if variant != "on":  # `off`, or a bound in MB
        env["QUANZE_PAGE_RENEWAL_MB"] = variant
    log_file = open(work / f"mouse-tour-{variant}.log", "wb")
    app = subprocess.Popen([str(app_program)], env=env, stdout=log_file, stderr=log_file, start_new_session=True)
    return {"variant": variant, "display": display, "xvfb": xvfb, "app": app, "port": port, "log": log_file,
            "t0": time.monotonic(), "data": dict(data, items=len(data["ids"]))}


def stop_variant(run: dict) -> None:
    for proc in (run["app"], run["xvfb"]):
        try:
            os.killpg(proc.pid, 9)
        except ProcessLookupError:
            pass
        proc.wait()
    run["log"].close()


def click_at(run: dict, point: tuple[int, int]) -> None:
    x, y = point
    xdotool(run["display"], "mousemove", "--window", run["window"], str(x), str(y), "click", "1")


def centres_of(session: InspectorSession, selectors: list[str]) -> dict[str, tuple[int, int]]:
    found = {selector: point for selector, point in session.js(CENTRES, selectors)}
    missing = [selector for selector, point in found.items() if point is None]
    if missing:
        raise WebDriverError(f"not on the page: {missing}")
    return {selector: tuple(point) for selector, point in found.items()}


def search_by_keyboard(run: dict, at: dict) -> None:
    """The search box clicked, its text replaced by SEARCH_TEXT typed, Enter. The keys go to the
    focused window (XTEST): with `--window` xdotool sends synthetic events, which GTK ignores."""
    click_at(run, at[SEARCH_INPUT])
    xdotool(run["display"], "key", "ctrl+a")
    xdotool(run["display"], "type", "--delay", "40", SEARCH_TEXT)
    xdotool(run["display"], "key", "Return")


def prepare_screen(run: dict) -> dict:
    """Before the tour, over the inspector: the tree, then the big list open (each sampled once
    settled), the page's facts, where the buttons are; a search typed and a check run with the X
    mouse and keyboard, each seen to reach the page. Then the inspector is let go."""
    ins = connect(run["port"])
    session = InspectorSession(ins)
    data, pid, t0 = run["data"], run["app"].pid, run["t0"]
    out: dict = {}
    session.wait_js("the district's tree", TREE_NODE, data["root_name"])
    time.sleep(bench_memory.SETTLE)
    out["tree"] = bench_memory.sample(pid, "tree only", t0)
    bench_memory.open_big_list(session, data)
    time.sleep(bench_memory.SETTLE)
    out["list_open"] = bench_memory.sample(pid, "50,000-item list open", t0)
    out["list_open_kinds"] = bench_memory.kinds_of(pid)
    out["environment"] = bench_memory.memory_environment(pid)
    out["grid"] = session.js_async(bench_memory.GRID_FACTS)
    at = centres_of(session, [f"[data-testid=view-{name}]" for name in ["lists", *VIEWS]] + [SEARCH_INPUT, OPEN_CHECKS, GRID])
    run["window"] = xdotool(run["display"], "search", "--sync", "--name", "权责清单编辑器").split()[0]
    # No change of screen here: the page may be renewed at one, and the inspector not follow it.
    search_by_keyboard(run, at)
    session.wait_js("the typed search's results", "return !!document.querySelector('[data-testid=search-total]')"
                    " && document.querySelector(arguments[0]).value === arguments[1]", SEARCH_INPUT, SEARCH_TEXT, wait=60)
    at.update(centres_of(session, [SEARCH_CLOSE]))
    click_at(run, at[SEARCH_CLOSE])
    session.wait_js("the search closed", "return !document.querySelector('[data-testid=search-results]')", wait=30)
    click_at(run, at[OPEN_CHECKS])
    session.wait_js("the checks pane", f"return !!document.querySelector('{RUN_CHECKS}')", wait=30)
    at.update(centres_of(session, [RUN_CHECKS]))
    at["hide checks"] = centres_of(session, [OPEN_CHECKS])[OPEN_CHECKS]  # 隐藏检查: wider, moved
    click_at(run, at[RUN_CHECKS])
    session.wait_js("the findings", CHECKS_DONE, wait=120)
    click_at(run, at["hide checks"])
    session.wait_js("the checks pane hidden", f"return !document.querySelector('{RUN_CHECKS}')", wait=30)
    ins.ws.sock.close()
    run["at"] = at
    return out


def round_steps(run: dict):
    """One round of every screen, step by step: each step yields its name when it has ended, so
    that it is sampled before the next begins."""
    at, display, window = run["at"], run["display"], run["window"]
    click_at(run, at["[data-testid=view-lists]"])
    time.sleep(SECONDS_ON_A_SCREEN / 2)
    x, y = at[GRID]
    xdotool(display, "mousemove", "--window", window, str(x), str(y))
    xdotool(display, "click", "--repeat", str(WHEEL_STEPS_A_ROUND), "--delay", "15", "5")
    time.sleep(SECONDS_ON_A_SCREEN / 2)
    yield LIST_STEP
    search_by_keyboard(run, at)
    time.sleep(SECONDS_ON_A_SCREEN)
    click_at(run, at[SEARCH_CLOSE])
    yield "搜索"
    click_at(run, at[OPEN_CHECKS])
    time.sleep(SECONDS_ON_A_SCREEN / 2)
    click_at(run, at[RUN_CHECKS])
    time.sleep(SECONDS_ON_A_SCREEN * 1.5)  # a run on the 50,000 items takes about a second
    click_at(run, at["hide checks"])
    yield "检查"
    for name in VIEWS:
        click_at(run, at[f"[data-testid=view-{name}]"])
        time.sleep(SECONDS_ON_A_SCREEN)
        yield VIEW_LABELS[name]


def tour(run: dict, minutes: float) -> dict:
    pid, t0 = run["app"].pid, run["t0"]
    began = time.monotonic()
    samples, rounds = [], 0
    while time.monotonic() - began < minutes * 60 or rounds == 0:
        for name in round_steps(run):
            samples.append(dict(bench_memory.sample(pid, name, t0), round=rounds))
        rounds += 1
        on_list = next(s for s in reversed(samples) if s["at"] == LIST_STEP)
        log(f"{run['variant']}: round {rounds} after {(time.monotonic() - began) / 60:.1f} min: PSS {on_list['pss_mb']:.0f} MB "
            f"on the list, web process {on_list['pss_parts'].get(bench_memory.WEB[:15], 0):.0f} MB")
    return {"samples": samples, "rounds": rounds, "minutes": round((time.monotonic() - began) / 60, 1)}


def after_tour(run: dict) -> dict:
    """The list shown again and left to settle, sampled: compared with the list open at the start."""
    click_at(run, run["at"]["[data-testid=view-lists]"])
    time.sleep(bench_memory.SETTLE)
    pid = run["app"].pid
    return {"list_open": bench_memory.sample(pid, "list open after the tour", run["t0"]),
            "list_open_kinds": bench_memory.kinds_of(pid)}


def image_converter() -> str | None:
    """ImageMagick's converter (under its versioned name first: a `convert` earlier on PATH may
    be something else)."""
    return next((found for name in ("convert-im6.q16", "magick", "convert") if (found := shutil.which(name))), None)


def screenshot(run: dict, work: Path) -> str | None:
    converter = image_converter()
    if not (shutil.which("xwd") and converter):
        return None
    raw = work / f"mouse-tour-{run['variant']}.xwd"
    png = work / f"mouse-tour-{run['variant']}.png"
    with open(raw, "wb") as out:
        subprocess.run(["xwd", "-root", "-silent"], env=dict(os.environ, DISPLAY=run["display"]), stdout=out, check=True)
    subprocess.run([converter, str(raw), str(png)], check=True)
    raw.unlink()
    return str(png)


def renewals_told(log_text: str) -> list[dict]:
    """The app's own account of its renewals: the web process and the session's lowest when it
    was asked, and how long until the new page asked for its place (None: it never did)."""
    renewals: list[dict] = []
    for line in log_text.splitlines():  # in order: a place taken belongs to the renewal before it
        if asked := RENEWAL_LINE.search(line):
            a, b, c = asked.groups()
            renewals.append({"web_mb": int(a), "lowest_mb": int(b), "bound_mb": int(c), "page_back_ms": None})
        elif (taken := PLACE_TAKEN_LINE.search(line)) and renewals:
            renewals[-1]["page_back_ms"] = int(taken.group(1))
    return renewals


def started_and_prepared(app_program: Path, variant: str, data: dict, work: Path) -> tuple[dict, dict]:
    """A new app, prepared; started again when the inspector drops its first connection while the
    page loads (seen now and then: it then answers no other; scripts/probe_screen_growth.py)."""
    for attempt in range(3):
        run = start_variant(app_program, variant, data, work)
        try:
            return run, prepare_screen(run)
        except (OSError, WebDriverError, RuntimeError) as error:
            stop_variant(run)
            log(f"{variant}: the start failed ({error}); starting again")
            if attempt == 2:
                raise
    raise RuntimeError("unreachable")


def run_variant(app_program: Path, variant: str, data: dict, work: Path, minutes: float) -> dict:
    """One variant from start to end: the start's samples, the tour, the end's sample, the app's
    renewals, a screenshot."""
    run, start = started_and_prepared(app_program, variant, data, work)
    try:
        result = tour(run, minutes)
        after = after_tour(run)
        shot = screenshot(run, work)
    finally:
        stop_variant(run)
    renewals = renewals_told((work / f"mouse-tour-{variant}.log").read_text(errors="replace"))
    return dict(start, **result, variant=variant, after=after, renewals=renewals, screenshot=shot,
                seconds_on_a_screen=SECONDS_ON_A_SCREEN, steps=STEP_NAMES)


def summary_line(r: dict) -> str:
    on_list = bench_memory.growth(r["samples"], LIST_STEP)
    renewals = r["renewals"]
    return (f"{r['variant']}: {r['rounds']} rounds in {r['minutes']} min; on the list {on_list['first']:.0f} → {on_list['last']:.0f} MB "
            f"(highest {on_list['max']:.0f}, trend {on_list['slope_mb_per_10min']:+.1f} MB per 10 min); highest after any step "
            f"{max(s['pss_mb'] for s in r['samples']):.0f} MB; renewals {len(renewals)}"
            + (" (web process → the session's lowest, MB; renewal asked → the new page asking for its place: "
               + ", ".join(f"{x['web_mb']} → {x['lowest_mb']}; {x['page_back_ms']} ms" for x in renewals) + ")" if renewals else "")
            + (f"; screenshot {r['screenshot']}" if r["screenshot"] else ""))


def tours(app_program: Path, variants: list[str], data: dict, work: Path, minutes: float) -> list[dict]:
    """Every variant in turn (one app at a time: two would share WebKit's libraries, and PSS with
    them); the raw figures written as each ends (mouse-tour.json in the work folder)."""
    results = []
    for variant in variants:
        results.append(run_variant(app_program, variant, data, work, minutes))
        log(summary_line(results[-1]))
        (work / "mouse-tour.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return results
