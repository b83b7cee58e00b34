#!/usr/bin/env python3
"""Does the page hold on to JavaScript objects as the memory tour goes round? The release app on
the 50,000-item database, driven over the WebKit inspector (scripts/webkit_inspector.py) through
the tour's nine screens (bench_memory.STEPS, back to back as in the 30-minute tour); after the
given numbers of rounds, three full garbage collections, a snapshot of JavaScriptCore's heap and
the app's PSS by process. Prints the heap's cells and bytes and, from one sample to the next, the
classes that grew most. A flat heap beside a growing web process puts the growth in WebKit's own
(native) memory, not in what the page keeps.

Usage: CARGO_TARGET_DIR=... python3 scripts/probe_heap.py [ROUNDS,ROUNDS,...] [--program PATH]
  default rounds 2,12,32; PATH defaults to the release app. Extra environment for the app (for
  example WEBKIT_DISABLE_COMPOSITING_MODE=1) is passed through.
Needs the benchmark databases of scripts/bench_app.py (run it once first). Nothing is written to
the docs.
"""
from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_app  # noqa: E402
import bench_memory  # noqa: E402
from bench_harness import TREE_NODE, app_pid, free_port, fresh_copy, log  # noqa: E402
from webkit_inspector import Inspector, InspectorSession, connect  # noqa: E402

# JavaScriptCore's "Inspector" heap snapshot: nodes are [id, size, class name index, flags].
NODE_FIELDS = 4


def collect_three_times(ins: Inspector) -> None:
    """Three full garbage collections of JavaScriptCore, a second apart."""
    for _ in range(3):
        ins.call("Heap.gc")
        time.sleep(1)


def heap_by_class(ins: Inspector) -> tuple[collections.Counter, collections.Counter]:
    collect_three_times(ins)
    snapshot = json.loads(ins.call("Heap.snapshot")["result"]["snapshotData"])
    names, nodes = snapshot["nodeClassNames"], snapshot["nodes"]
    cells: collections.Counter = collections.Counter()
    size: collections.Counter = collections.Counter()
    for i in range(0, len(nodes), NODE_FIELDS):
        name = names[nodes[i + 2]]
        cells[name] += 1
        size[name] += nodes[i + 1]
    return cells, size


def start_native_tracking(ins: Inspector) -> None:
    """WebKit's own account of the web process (Memory domain: JavaScript, JIT, images, layers,
    page, other) and the page's live canvases (Canvas domain, each with its backing store's cost)."""
    ins.wanted_events |= {"Memory.trackingUpdate", "Canvas.canvasAdded", "Canvas.canvasRemoved",
                          "Canvas.canvasMemoryChanged"}
    for method in ("Memory.enable", "Memory.startTracking", "Canvas.enable"):
        answer = ins.call(method)
        if "error" in answer:
            print(f"{method}: {answer['error'].get('message')}", flush=True)


def native_account(ins: Inspector, canvases: dict) -> str:
    """The latest Memory update (MB by category) and the live canvases, from the events seen."""
    time.sleep(1.5)  # updates come about every half second; a command reads those waiting
    ins.call("Runtime.evaluate", {"expression": "0"})
    memory = None
    for event in ins.events:
        params = event.get("params", {})
        if event["method"] == "Memory.trackingUpdate":
            memory = params["event"]["categories"]
        elif event["method"] in ("Canvas.canvasAdded", "Canvas.canvasMemoryChanged"):
            canvas = params.get("canvas") or params
            canvases[canvas["canvasId"]] = canvas.get("memoryCost", canvases.get(canvas["canvasId"], 0)) or 0
        elif event["method"] == "Canvas.canvasRemoved":
            canvases.pop(params["canvasId"], None)
    ins.events = []
    memory_text = ", ".join(f"{c['type']} {c['size'] / 1e6:.1f}" for c in memory) if memory else "no Memory updates"
    return (f"WebKit's account (MB): {memory_text}; live canvases: {len(canvases)}, "
            f"{sum(canvases.values()) / 1e6:.1f} MB")


def app_with_inspector(program: Path, name: str) -> tuple:
    """The app on a fresh copy of the benchmark's 50,000-item database (files named `name`),
    its inspector served on a free port, under Xvfb unless a display is set: (the started
    process, the app's pid, the port, the benchmark data)."""
    work = Path(os.environ.get("TMPDIR", "/tmp")) / "quanze-bench-app"
    data = bench_app.prepare(work)
    db = fresh_copy(data["big"], work / f"{name}.db")
    data = dict(data, street=bench_memory.street_of(db), items=len(data["ids"]), root_name=bench_app.SAMPLE_ROOT)
    port = free_port()
    # No renewal of the page (crates/quanze-api/src/page_renewal.rs): these probes measure what
    # WebKit keeps, and the inspector does not follow the page into a new web process.
    env = dict(os.environ, QUANZE_DB=str(db), QUANZE_CONFIG_DIR=str(work / f"{name}-config"),
               WEBKIT_INSPECTOR_HTTP_SERVER=f"127.0.0.1:{port}", QUANZE_PAGE_RENEWAL_MB="off")
    command = [str(program)] if os.environ.get("DISPLAY") else ["xvfb-run", "-a", "-s", "-screen 0 1440x900x24", str(program)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    return proc, app_pid(proc.pid), port, data


def stop_app(proc: subprocess.Popen, pid: int) -> None:
    """The whole group: xvfb-run, its X server and the app with WebKit's processes."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def main() -> int:
    args = sys.argv[1:]
    program = bench_app.APP
    if "--program" in args:
        at = args.index("--program")
        program = Path(args[at + 1])
        del args[at:at + 2]
    rounds = [int(r) for r in (args[0] if args else "2,12,32").split(",")]
    proc, pid, port, data = app_with_inspector(program, "heap")
    try:
        ins = connect(port)
        session = InspectorSession(ins)
        session.wait_js("the district's tree", TREE_NODE, data["root_name"])
        start_native_tracking(ins)
        canvases: dict = {}
        bench_memory.open_big_list(session, data)
        done, before = 0, None
        for target in rounds:
            while done < target:
                for _, step in bench_memory.STEPS:
                    step(session, data)
                done += 1
            cells, size = heap_by_class(ins)
            time.sleep(3)
            s = bench_memory.sample(pid, f"after {done} rounds", 0)
            parts = ", ".join(f"{p} {v:.0f}" for p, v in sorted(s["pss_parts"].items()))
            print(f"after {done:>3} rounds: PSS {s['pss_mb']:.0f} MB ({parts}); JavaScript heap after 3 full "
                  f"collections: {sum(cells.values())} cells, {sum(size.values()) / 1e6:.1f} MB", flush=True)
            print(f"    {native_account(ins, canvases)}", flush=True)
            if before:
                grew = sorted(((size[k] - before[1][k], cells[k] - before[0][k], k) for k in set(size) | set(before[1])),
                              reverse=True)[:10]
                for bytes_more, cells_more, name in grew:
                    print(f"    {bytes_more / 1e3:+9.0f} kB {cells_more:+7d} cells  {name}", flush=True)
            before = (cells, size)
    finally:
        stop_app(proc, pid)
        log("probe_heap: app stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
