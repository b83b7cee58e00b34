#!/usr/bin/env python3
"""What WebKit's memory limit for the web process (crates/quanze-webkit-memory, set by the shell;
QUANZE_WEB_MEMORY_LIMIT overrides it) saves and what it costs: the release app on the
50,000-item database, driven over the WebKit inspector through every screen of the memory tour
(bench_memory.STEPS), once per setting given, one app at a time, settings taken in turn.

Per setting it prints, after a warm-up of 3 rounds and then ROUNDS rounds:
- the web process's private memory (Private_Clean + Private_Dirty of smaps_rollup) 2 s after
  each round, as the clerk has it, its first and last value and the growth per round;
- the same after 30 s idle and three full collections at the end (as probe_screen_growth.py);
- the time of a round (all nine screens), median and slowest: what releasing costs in speed, since
  WebKit throws away compiled code and caches the page then needs again;
- the page's stalls: a timer every 50 ms in the page, late by more than 100 ms how often, at most.

Usage: CARGO_TARGET_DIR=... python3 scripts/probe_memory_limit.py [ROUNDS] SETTING [SETTING...]
  SETTING: a value of QUANZE_WEB_MEMORY_LIMIT (`off`, or `MB,CONSERVATIVE,STRICT,SECONDS`), or
  `shipped` for the shell's own (the variable unset). ROUNDS defaults to 10.
Needs the benchmark databases of scripts/bench_app.py (the probe makes them when missing).
Nothing is written to the docs.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_app  # noqa: E402
import bench_memory  # noqa: E402
import probe_heap  # noqa: E402
from probe_screen_growth import WARM_UP_ROUNDS, connected_session, settled_private_mb, web_private_mb  # noqa: E402

STALL_WATCH = """
if (!window.__stallWatch) {
  window.__stallWatch = {late: [], last: performance.now()};
  setInterval(() => {
    const now = performance.now(), w = window.__stallWatch;
    if (now - w.last > 150) w.late.push(now - w.last - 50);
    w.last = now;
  }, 50);
}
window.__stallWatch.late = [];
return true;
"""
STALLS = "return window.__stallWatch ? window.__stallWatch.late : [];"


def one_setting(setting: str, rounds: int) -> str:
    if setting == "shipped":
        os.environ.pop("QUANZE_WEB_MEMORY_LIMIT", None)
    else:
        os.environ["QUANZE_WEB_MEMORY_LIMIT"] = setting
    proc, pid, port, data = probe_heap.app_with_inspector(bench_app.APP, "limit")
    try:
        ins, session = connected_session(port, data["root_name"])
        bench_memory.open_big_list(session, data)
        for _ in range(WARM_UP_ROUNDS):
            for _, step in bench_memory.STEPS:
                step(session, data)
        session.js(STALL_WATCH)
        memory, seconds = [], []
        for _ in range(rounds):
            began = time.monotonic()
            for _, step in bench_memory.STEPS:
                step(session, data)
            seconds.append(time.monotonic() - began)
            time.sleep(2)
            memory.append(web_private_mb(pid))
        late = session.js(STALLS)
        settled = settled_private_mb(ins, pid)
    finally:
        probe_heap.stop_app(proc, pid)
    growth = (memory[-1] - memory[0]) / (len(memory) - 1) if len(memory) > 1 else 0.0
    return (f"{setting}: web process private {memory[0]:.0f} → {memory[-1]:.0f} MB over {rounds} rounds "
            f"({growth:+.2f} MB a round; lowest {min(memory):.0f}, highest {max(memory):.0f}), "
            f"{settled:.0f} MB after 30 s idle and 3 collections; a round {statistics.median(seconds):.1f} s "
            f"(median; slowest {max(seconds):.1f} s); page stalls over 100 ms: {len(late)}, "
            f"longest {max(late, default=0):.0f} ms")


def main() -> int:
    args = sys.argv[1:]
    rounds = 10
    if args and args[0].isdigit():
        rounds = int(args.pop(0))
    if not args:
        print(__doc__)
        return 2
    for setting in args:
        print(one_setting(setting, rounds), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
