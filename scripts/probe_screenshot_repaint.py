#!/usr/bin/env python3
"""Does a WebDriver screenshot need the page to repaint? (docs/benchmarks.md: WebKitGTK without
accelerated compositing.) The app on the sample district, 历史 and a screenshot, then 发布版本 and three screenshots:
idle, while a style in the page toggles every 50 ms, and idle again; prints how long each took
(the harness gives up after 60 s) and how long two animation frames take on that screen.

Usage: CARGO_TARGET_DIR=... [WEBKIT_DISABLE_COMPOSITING_MODE=0] python3 scripts/probe_screenshot_repaint.py [PROGRAM]
(The app turns compositing off by itself; =0 keeps it on, for comparison.)
Needs the benchmark databases of scripts/bench_app.py. Nothing is written to the docs.
"""
from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_app  # noqa: E402
import bench_memory  # noqa: E402
from bench_harness import SHOT_REPAINT_START, SHOT_REPAINT_STOP, find_program, fresh_copy  # noqa: E402

TWO_FRAMES = ("const done = arguments[arguments.length - 1]; const t = performance.now();"
              "requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t)))")


def timed_screenshot(session, path: Path) -> str:
    t = time.monotonic()
    session.screenshot(path, repaint=False)  # as the page is; logs and returns on a timeout
    return f"{time.monotonic() - t:.2f} s ({'saved' if path.exists() else 'none'})"


def main() -> int:
    if len(sys.argv) > 1:
        bench_app.APP = Path(sys.argv[1])
    work = Path(os.environ.get("TMPDIR", "/tmp")) / "quanze-bench-app"
    data = bench_app.prepare(work)
    driver_args = (find_program("tauri-driver"), None if os.environ.get("DISPLAY") else find_program("xvfb-run"))
    start = bench_app.cold_start(driver_args, fresh_copy(data["sample"], work / "start.db"), None)
    session = start["session"]
    out = Path(tempfile.mkdtemp(prefix="quanze-shots-"))
    try:
        print(f"web process settings: {bench_memory.memory_environment(start['pid'])}", flush=True)
        session.click("[data-test-class=list-entry]")
        time.sleep(2)
        session.click("[data-testid=view-history]")
        time.sleep(2.5)
        print(f"screenshot, 历史 (its first tab): {timed_screenshot(session, out / 'history.png')}", flush=True)
        session.click("[data-testid=history-tab-versions]")
        time.sleep(1.5)
        print(f"two animation frames: {session.js_async(TWO_FRAMES):.0f} ms", flush=True)
        print(f"screenshot, idle page: {timed_screenshot(session, out / 'idle.png')}", flush=True)
        session.js(SHOT_REPAINT_START)
        print(f"screenshot, page repainting: {timed_screenshot(session, out / 'repainting.png')}", flush=True)
        session.js(SHOT_REPAINT_STOP)
        time.sleep(1)
        print(f"screenshot, idle again: {timed_screenshot(session, out / 'idle-again.png')}", flush=True)
    finally:
        session.close()
        start["driver"].stop()
        try:
            os.kill(start["pid"], signal.SIGKILL)
        except ProcessLookupError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
