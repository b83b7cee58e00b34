"""The desktop app's memory over a tour of its screens with the page's renewal on and off (issue 18).

A renewal ends WebKit's web process and loads the page in a new one (crates/quanze-api/src/
page_renewal.rs, src-tauri/src/page_process.rs). Neither WebDriver nor WebKit's remote inspector
follows the page into the new process (WebKitWebDriver ends its session with the process; the
inspector's connection goes silent and no new one is answered), so this tour clicks the screen
switch with the X server's own mouse (xdotool), as a clerk does, and reads memory from /proc. The
inspector is used only at the start, before any renewal: to open the 50,000-item list and to
read where the switch's buttons are.

Each variant is a new app on a fresh copy of the benchmark's 50,000-item database
(scripts/bench_app.py prepares it) under its own Xvfb (1440×900): `on` is the app as shipped,
`off` the same with QUANZE_PAGE_RENEWAL_MB=off, a number the same with that bound in MB. A round clicks 公示, 机构图, 准入, 调整, 历史,
统计 and 清单 in turn, SECONDS_ON_A_SCREEN on each, and samples the PSS of the app and every
process below it after each click. At the end the app's own account of its renewals (its
standard error) and a screenshot of each variant's window (scripts/probe-renewal-tour-*.png in
the work folder).

Usage: CARGO_TARGET_DIR=/work/target-rows python3 scripts/probe_renewal_tour.py MINUTES [on,off | a list of on, off and bounds in MB]
Needs: xdotool, Xvfb, xwd and ImageMagick's convert (the screenshot; skipped without them).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import bench_app
import bench_memory
import probe_heap
from bench_harness import WebDriverError, free_port, fresh_copy
from webkit_inspector import InspectorSession

SECONDS_ON_A_SCREEN = 2.0
SCREENS = ["notices", "org", "admission", "changes", "history", "stats", "lists"]
LABELS = {"notices": "公示", "org": "机构图", "admission": "准入", "changes": "调整", "history": "历史",
          "stats": "统计", "lists": "清单 (50,000 items)"}
RENEWAL_LINE = re.compile(r"页面重新载入以释放内存：网页进程 (\d+) MB，本次最低 (\d+) MB，界限 (\d+) MB")
PLACE_TAKEN_LINE = re.compile(r"重新载入的页面已取回原来的位置（(\d+) ms）")
BUTTON_CENTRES = """return arguments[0].map((name) => {
  const r = document.querySelector(`[data-testid=view-${name}]`).getBoundingClientRect();
  return [name, Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)];
})"""


def free_display() -> int:
    for number in range(90, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


def xdotool(display: str, *args: str) -> str:
    return subprocess.run(["xdotool", *args], env=dict(os.environ, DISPLAY=display), check=True,
                          capture_output=True, text=True).stdout.strip()


def start_variant(variant: str, data: dict, work: Path) -> dict:
    display = f":{free_display()}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(1.0)
    db = fresh_copy(data["big"], work / f"renewal-tour-{variant}.db")
    port = free_port()
    env = dict(os.environ, DISPLAY=display, QUANZE_DB=str(db), QUANZE_CONFIG_DIR=str(work / f"renewal-tour-{variant}-config"),
               WEBKIT_INSPECTOR_HTTP_SERVER=f"127.0.0.1:{port}")
    env.pop("QUANZE_PAGE_RENEWAL_MB", None)
    if variant != "on":  # `off`, or a bound in MB
        env["QUANZE_PAGE_RENEWAL_MB"] = variant
    log = open(work / f"renewal-tour-{variant}.log", "wb")
    app = subprocess.Popen([str(bench_app.APP)], env=env, stdout=log, stderr=log, start_new_session=True)
    return {"variant": variant, "display": display, "xvfb": xvfb, "app": app, "port": port, "log": log,
            "db": db, "data": dict(data, street=bench_memory.street_of(db), items=len(data["ids"]),
                                   root_name=bench_app.SAMPLE_ROOT)}


def stop_variant(run: dict) -> None:
    for proc in (run["app"], run["xvfb"]):
        try:
            os.killpg(proc.pid, 9)
        except ProcessLookupError:
            pass
        proc.wait()
    run["log"].close()


def prepare_screen(run: dict) -> dict[str, tuple[int, int]]:
    """Open the big list through the inspector, read the switch's buttons, check that an X click
    reaches the page; then let the inspector go."""
    ins = probe_heap.connect(run["port"])
    session = InspectorSession(ins)
    data = run["data"]
    session.wait_js("the district's tree", bench_memory.TREE_NODE, data["root_name"])
    bench_memory.open_big_list(session, data)
    centres = {name: (x, y) for name, x, y in session.js(BUTTON_CENTRES, SCREENS)}
    window = xdotool(run["display"], "search", "--sync", "--name", "权责清单编辑器").split()[0]
    run["window"] = window
    x, y = centres["stats"]
    xdotool(run["display"], "mousemove", "--window", window, str(x), str(y), "click", "1")
    session.wait_js("统计 after an X click", "return !!document.querySelector('[data-testid=stats-total]')", wait=30)
    x, y = centres["lists"]
    xdotool(run["display"], "mousemove", "--window", window, str(x), str(y), "click", "1")
    session.wait_js("the list again", bench_memory.LIST_SHOWN, data["items"], wait=60)
    ins.ws.sock.close()
    return centres


def tour(run: dict, centres: dict, minutes: float) -> dict:
    pid, t0 = run["app"].pid, time.monotonic()
    samples, rounds = [], 0
    while time.monotonic() - t0 < minutes * 60 or rounds == 0:
        for name in SCREENS:
            x, y = centres[name]
            xdotool(run["display"], "mousemove", "--window", run["window"], str(x), str(y), "click", "1")
            time.sleep(SECONDS_ON_A_SCREEN)
            samples.append(dict(bench_memory.sample(pid, LABELS[name], t0), round=rounds))
        rounds += 1
        on_list = samples[-1]
        print(f"{run['variant']}: round {rounds} after {on_list['t'] / 60:.1f} min: PSS {on_list['pss_mb']:.0f} MB "
              f"on the list, web process {on_list['pss_parts'].get(bench_memory.WEB[:15], 0):.0f} MB", flush=True)
    return {"samples": samples, "rounds": rounds}


def image_converter() -> str | None:
    """ImageMagick's converter (under its versioned name first: a `convert` earlier on PATH may
    be something else)."""
    return next((found for name in ("convert-im6.q16", "magick", "convert") if (found := shutil.which(name))), None)


def screenshot(run: dict, work: Path) -> str | None:
    converter = image_converter()
    if not (shutil.which("xwd") and converter):
        return None
    raw = work / f"probe-renewal-tour-{run['variant']}.xwd"
    png = work / f"probe-renewal-tour-{run['variant']}.png"
    with open(raw, "wb") as out:
        subprocess.run(["xwd", "-root", "-silent"], env=dict(os.environ, DISPLAY=run["display"]), stdout=out, check=True)
    subprocess.run([converter, str(raw), str(png)], check=True)
    raw.unlink()
    return str(png)


def summary(variant: str, result: dict, renewals: list[dict]) -> dict:
    on_list = bench_memory.growth(result["samples"], LABELS["lists"])
    every = [s["pss_mb"] for s in result["samples"]]
    return dict(variant=variant, rounds=result["rounds"], minutes=round(result["samples"][-1]["t"] / 60, 1),
                list_first=on_list["first"], list_last=on_list["last"], list_max=on_list["max"],
                slope_mb_per_10min=on_list["slope_mb_per_10min"], highest=max(every), renewals=renewals)


def started_and_prepared(variant: str, data: dict, work: Path) -> tuple[dict, dict]:
    """A new app, prepared; started again when the inspector drops its first connection while the
    page loads (seen now and then: it then answers no other; scripts/probe_screen_growth.py)."""
    for attempt in range(3):
        run = start_variant(variant, data, work)
        try:
            return run, prepare_screen(run)
        except (OSError, WebDriverError, RuntimeError) as error:
            stop_variant(run)
            print(f"{variant}: the start failed ({error}); starting again", flush=True)
            if attempt == 2:
                raise
    raise RuntimeError("unreachable")


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    minutes = float(sys.argv[1])
    variants = (sys.argv[2] if len(sys.argv) > 2 else "on,off").split(",")
    work = Path(os.environ.get("TMPDIR", "/tmp")) / "quanze-bench-app"
    data = bench_app.prepare(work)
    results = []
    for variant in variants:
        run, centres = started_and_prepared(variant, data, work)
        try:
            result = tour(run, centres, minutes)
            shot = screenshot(run, work)
        finally:
            stop_variant(run)
        text = (work / f"renewal-tour-{variant}.log").read_text(errors="replace")
        asked = RENEWAL_LINE.findall(text)
        taken = [int(ms) for ms in PLACE_TAKEN_LINE.findall(text)] + [None] * len(asked)  # None: never taken
        renewals = [{"web_mb": int(a), "lowest_mb": int(b), "bound_mb": int(c), "page_back_ms": ms}
                    for (a, b, c), ms in zip(asked, taken)]
        results.append(dict(summary(variant, result, renewals), screenshot=shot, samples=result["samples"]))
        r = results[-1]
        print(f"{variant}: {r['rounds']} rounds in {r['minutes']} min; on the list {r['list_first']:.0f} → {r['list_last']:.0f} MB "
              f"(highest {r['list_max']:.0f}, trend {r['slope_mb_per_10min']:+.1f} MB per 10 min); highest after any screen "
              f"{r['highest']:.0f} MB; renewals {len(renewals)}"
              + (" (web process → the session's lowest, MB; renewal asked → the new page asking for its place: " +
                 ", ".join(f"{x['web_mb']} → {x['lowest_mb']}; {x['page_back_ms']} ms" for x in renewals) + ")"
                 if renewals else "") + (f"; screenshot {shot}" if shot else ""), flush=True)
    (work / "renewal-tour.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
