#!/usr/bin/env python3
"""Two builds of the desktop app side by side: cold starts on the sample district, alternated
(A, B, A, B, …) so that the machine's load falls on both alike, after one warm-up start each.

Usage: CARGO_TARGET_DIR=... python3 scripts/compare_starts.py A/quanze-desktop B/quanze-desktop [RUNS]
  Each program must be named quanze-desktop (the harness finds the app's process by name): copy
  the builds into two folders. RUNS defaults to 8. Prints each start and the medians; nothing is
  written to the docs. Needs the benchmark databases of scripts/bench_app.py.
"""
from __future__ import annotations

import os
import signal
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_app  # noqa: E402
from bench_harness import find_program, fresh_copy  # noqa: E402

COLUMNS = ("spawn_to_tree", "spawn_to_navigation", "navigation_to_dom_ready", "navigation_to_mounted",
           "navigation_to_overview")


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    programs = {"A": Path(sys.argv[1]), "B": Path(sys.argv[2])}
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    work = Path(os.environ.get("TMPDIR", "/tmp")) / "quanze-bench-app"
    data = bench_app.prepare(work)
    driver_args = (find_program("tauri-driver"), None if os.environ.get("DISPLAY") else find_program("xvfb-run"))
    seen: dict[str, list[dict]] = {name: [] for name in programs}
    for i in range(runs + 1):
        for name, program in programs.items():
            bench_app.APP = program
            start = bench_app.cold_start(driver_args, fresh_copy(data["sample"], work / "start.db"), None)
            start["session"].close()
            start["driver"].stop()
            try:  # a start must not outlive its run (it would share pages with the next one)
                os.kill(start["pid"], signal.SIGKILL)
            except ProcessLookupError:
                pass
            print(f"{name} {'warm-up' if i == 0 else i}: "
                  + "  ".join(f"{c} {start[c]:.3f}" for c in COLUMNS if c in start), flush=True)
            if i > 0:
                seen[name].append(start)
            time.sleep(1)
    for name, starts in seen.items():
        medians = {c: statistics.median(s[c] for s in starts) for c in COLUMNS if all(c in s for s in starts)}
        tree = [s["spawn_to_tree"] for s in starts]
        print(f"{name} {programs[name]}: median " + "  ".join(f"{c} {v:.3f}" for c, v in medians.items())
              + f"  (spawn_to_tree {min(tree):.3f}–{max(tree):.3f}, n={len(tree)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
