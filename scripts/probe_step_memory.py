#!/usr/bin/env python3
"""Which screen makes the web process grow: one step of the memory tour (scripts/bench_memory.py
STEPS) repeated on its own, the app's PSS by process sampled after each time. A step whose
figure keeps rising while repeated holds on to something; one that levels off only warms up.

Usage: CARGO_TARGET_DIR=... python3 scripts/probe_step_memory.py STEP [TIMES] [STEP TIMES ...]
  STEP: the start of a step's name in STEPS (清单, 搜索, 检查, 公示, 机构图, 准入, 调整, 历史, 统计),
  or 全部 (one round of every step, as the tour does), or 重载 (the page loaded again —
  location.reload() — then the tree and the 50,000-item list opened again: whether what grew
  belongs to the page or stays with the web process)
PROBE_SETTLE=0 samples right after each step, as the 30-minute tour does (default: 5 s later).
Needs the release app and the benchmark databases of scripts/bench_app.py (run it once first).
Prints one line per sample; nothing is written to the docs.
"""
from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_app  # noqa: E402
import bench_memory  # noqa: E402
from bench_harness import TREE_NODE, find_program, fresh_copy, log  # noqa: E402


# What the page holds that a screen left behind would add to: elements in the document, the
# children of <body> (teleported popups and dialogs land there) and the window's own properties
# (a callback registered for an answer that never came stays there).
PAGE_COUNTS = """return [document.getElementsByTagName('*').length, document.body.children.length,
                 Object.getOwnPropertyNames(window).length].join('/')"""


def special_steps(data: dict) -> dict:
    """全部: a round of every step; 重载: the page loaded again and the big list reopened."""
    def every_step(session, data):
        for _, step in bench_memory.STEPS:
            step(session, data)

    def reload_page(session, data):
        session.js("location.reload()")
        time.sleep(1)
        session.wait_js("the district's tree", TREE_NODE, data["root_name"])
        bench_memory.open_big_list(session, data)

    return {"全部": every_step, "重载": reload_page}


def main() -> int:
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    plan: list[tuple[str, int]] = []
    while args:
        name = args.pop(0)
        times = int(args.pop(0)) if args and args[0].isdigit() else 10
        plan.append((name, times))
    steps = dict(bench_memory.STEPS)
    settle = float(os.environ.get("PROBE_SETTLE", bench_memory.SETTLE))
    work = Path(os.environ.get("TMPDIR", "/tmp")) / "quanze-bench-app"
    data = bench_app.prepare(work)
    db = fresh_copy(data["big"], work / "probe.db")
    data = dict(data, street=bench_memory.street_of(db), items=len(data["ids"]), root_name=bench_app.SAMPLE_ROOT)
    driver_args = (find_program("tauri-driver"),
                   None if os.environ.get("DISPLAY") else find_program("xvfb-run"))
    driver, session, pid = bench_memory.session_on(bench_app.APP, db, driver_args, "quanze-desktop")
    t0 = time.monotonic()
    try:
        session.wait_js("the district's tree", TREE_NODE, data["root_name"])
        bench_memory.open_big_list(session, data)
        for name, times in plan:
            step = special_steps(data).get(name) or next((f for label, f in steps.items() if label.startswith(name)), None)
            if step is None:
                log(f"no step named {name}: {[label for label in steps]} or 全部, 重载")
                return 2
            for k in range(times):
                step(session, data)
                time.sleep(settle)
                s = bench_memory.sample(pid, name, t0)
                parts = " ".join(f"{p[:10]} {v:.0f}" for p, v in sorted(s["pss_parts"].items()))
                page = session.js(PAGE_COUNTS)
                print(f"{name} {k + 1:>2}/{times}  t={s['t']:>6.1f}s  PSS {s['pss_mb']:.0f} MB  ({parts})"
                      f"  page {page}", flush=True)
    finally:
        session.close()
        driver.stop()
        # The app has been seen to outlive its driver when run from some shells; a probe must
        # not leave a copy running (it would share, and so lower, the next run's figures).
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
