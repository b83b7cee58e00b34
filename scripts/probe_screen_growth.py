#!/usr/bin/env python3
"""Which screens make the web process grow for good: the release app on the 50,000-item
database, driven over the WebKit inspector (scripts/webkit_inspector.py) through the chosen steps
of the memory tour, round after round. After a warm-up of 3 rounds, after half the rounds and
after all of them the window is left alone for 30 s and JavaScriptCore collects three times;
then the web process's private memory is read (Private_Clean + Private_Dirty of
/proc/PID/smaps_rollup). Private, not PSS: PSS divides shared pages among the processes mapping
them, so another copy of the app starting or stopping moves it (the web process's PSS rose 60 MB
when another probe's app stopped). Prints the growth per round; a step whose figure keeps rising after the warm-up
holds on to something, one that levels off only warms up.

Usage: CARGO_TARGET_DIR=... python3 scripts/probe_screen_growth.py STEP[,STEP...] [ROUNDS]
  STEP: the start of a step's name in bench_memory.STEPS (清单, 搜索, 检查, 公示, 机构图, 准入, 调整,
  历史, 统计), 全部 (all of them), or one of 历史's parts: 操作记录 (the 历史 screen opened on its
  audit tab), 发布版本 / 记录 (its tabs switched). Two screens alternated (准入,历史) show what
  leaving and entering one screen costs. ROUNDS defaults to 16.
  PROBE_VARIANT=... is stored in the page's localStorage as `probeVariant` before the tour, for a
  build that reads it to leave parts of a screen out (a bisection; the shipped app never reads it).
Needs the benchmark databases of scripts/bench_app.py (run it once first). Nothing is written to
the docs.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_app  # noqa: E402
import bench_memory  # noqa: E402
import probe_heap  # noqa: E402
from bench_harness import TREE_NODE, process_of, smaps_rollup_kb  # noqa: E402
from webkit_inspector import InspectorSession  # noqa: E402

WARM_UP_ROUNDS = 3
IDLE_SECONDS = 30


def audit_tab_screen(session, data):
    bench_memory.click_and_wait(session, "view-history", "[data-testid=history-screen]")


def versions_tab(session, data):
    bench_memory.click_and_wait(session, "history-tab-versions", "[data-testid=versions-panel]")


def audit_tab(session, data):
    bench_memory.click_and_wait(session, "history-tab-audit", "[data-testid=history-screen]")


PARTS = [("操作记录", audit_tab_screen), ("发布版本", versions_tab), ("记录", audit_tab)]


def chosen_steps(names: str) -> list:
    if names == "全部":
        return list(bench_memory.STEPS)
    steps = []
    for name in names.split(","):
        found = [(label, step) for label, step in PARTS + bench_memory.STEPS if label.startswith(name)]
        if not found:
            raise SystemExit(f"no step named {name}: {[label for label, _ in bench_memory.STEPS + PARTS]} or 全部")
        steps.append(found[0])
    return steps


def web_private_mb(pid: int) -> float:
    """The app's web process's private memory (Private_Clean + Private_Dirty), in MB."""
    return smaps_rollup_kb(process_of(pid, bench_memory.WEB), "Private_Clean", "Private_Dirty") / 1024


def settled_private_mb(ins, pid: int, idle_seconds: float = IDLE_SECONDS) -> float:
    """The web process's private memory once the window has been left alone and JavaScriptCore
    has collected three times."""
    time.sleep(idle_seconds)
    probe_heap.collect_three_times(ins)
    time.sleep(3)
    return web_private_mb(pid)


def settled_sample(ins, pid: int, canvases: dict, label: str) -> float:
    web = settled_private_mb(ins, pid)
    print(f"{label}: web process private {web:.0f} MB; {probe_heap.native_account(ins, canvases)}", flush=True)
    return web


def connected_session(port: int, root_name: str):
    """The inspector's page target, once the district's tree is shown. Seen now and then: the
    inspector closes the first connection while the page loads and answers no other; the probe
    stops with that message and is run again (a retry in the same app did not help)."""
    ins = probe_heap.connect(port)
    session = InspectorSession(ins)
    try:
        session.wait_js("the district's tree", TREE_NODE, root_name)
    except OSError as reason:
        raise RuntimeError(f"the inspector: {reason}; run the probe again") from reason
    return ins, session


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    names = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    steps = chosen_steps(names)
    proc, pid, port, data = probe_heap.app_with_inspector(bench_app.APP, "growth")

    def tour(n: int) -> None:
        for _ in range(n):
            for _, step in steps:
                step(session, data)

    try:
        ins, session = connected_session(port, data["root_name"])
        probe_heap.start_native_tracking(ins)
        canvases: dict = {}
        session.js("localStorage.setItem('probeVariant', arguments[0])", os.environ.get("PROBE_VARIANT", ""))
        bench_memory.open_big_list(session, data)
        tour(WARM_UP_ROUNDS)
        first = settled_sample(ins, pid, canvases, f"after {WARM_UP_ROUNDS} warm-up rounds of {names}")
        half = rounds // 2
        tour(half)
        middle = settled_sample(ins, pid, canvases, f"after {half} more")
        tour(rounds - half)
        last = settled_sample(ins, pid, canvases, f"after {rounds} more")
        variant = os.environ.get("PROBE_VARIANT", "")
        print(f"{names}{f' ({variant})' if variant else ''}: web process private {first:.0f} → {middle:.0f} → "
              f"{last:.0f} MB, {(last - first) / rounds:+.2f} MB a round "
              f"({(middle - first) / half:+.2f} in the first half, {(last - middle) / (rounds - half):+.2f} in the second)",
              flush=True)
    finally:
        probe_heap.stop_app(proc, pid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
