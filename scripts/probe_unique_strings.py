#!/usr/bin/env python3
"""What WebKit keeps in a document for every class name, id and inline style it has seen, and how
many the memory tour makes. The release app on the 50,000-item database, the big list open.

  variants KIND[,KIND...] TIMES
      In a hidden container of the app's page, TIMES × 500 elements of the kind are built, laid
      out and removed; after each kind 15 s idle, three full collections and the web process's
      private memory (as scripts/probe_screen_growth.py reads it). Kinds:
        plain        a fixed class on every element (the control)
        sharedclass  one new class per 500 elements
        uniqclass    a new class on every element (as el-table's `el-table_N_column_M`)
        uniqid       a new id on every element (as Element Plus's `el-id-P-N`)
        uniqstyle    a new inline style on every element (`width: Npx`)
        customprop   a new value of one custom property in the inline style
        uniqattr     a new value of a data- attribute (not class, id or style)
        sheet        once: an empty style sheet added and removed (TIMES ignored)
  tour ROUNDS
      The tour's nine screens (bench_memory.STEPS over the inspector), a MutationObserver in the
      page noting every class token, id and `style` attribute value set; prints, per round and
      per screen, how many had never been seen before, with examples.

Usage: CARGO_TARGET_DIR=... python3 scripts/probe_unique_strings.py variants plain,uniqclass,sheet 400
       CARGO_TARGET_DIR=... python3 scripts/probe_unique_strings.py tour 5
Needs the benchmark databases of scripts/bench_app.py (made on first use). Nothing is written to
the docs.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_app  # noqa: E402
import bench_memory  # noqa: E402
import probe_heap  # noqa: E402
import probe_screen_growth  # noqa: E402
from probe_page_driven_tour import SHEET_TOGGLE  # noqa: E402

KINDS = ("plain", "sharedclass", "uniqclass", "uniqid", "uniqstyle", "customprop", "uniqattr", "sheet")

BUILD_AND_REMOVE = """
const kind = arguments[0], times = arguments[1];
window.__probeCounter = window.__probeCounter || 0;
const host = document.createElement('div');
host.style.cssText = 'position:absolute;left:0;top:0;width:300px;opacity:0.01;pointer-events:none';
document.body.appendChild(host);
for (let k = 0; k < times; k++) {
  const batch = window.__probeCounter;
  const fragment = document.createDocumentFragment();
  for (let i = 0; i < 500; i++) {
    const n = window.__probeCounter++;
    const e = document.createElement('div');
    e.textContent = 'x';
    if (kind === 'plain') e.className = 'cell is-left';
    else if (kind === 'sharedclass') e.className = 'cell t_' + batch;
    else if (kind === 'uniqclass') e.className = 'cell t_' + n + '_column_' + (n % 40);
    else if (kind === 'uniqid') e.id = 'el-id-1024-' + n;
    else if (kind === 'uniqstyle') e.setAttribute('style', 'width: ' + n + 'px');
    else if (kind === 'customprop') e.setAttribute('style', '--probe-width: ' + n + 'px; width: var(--probe-width)');
    else if (kind === 'uniqattr') e.setAttribute('data-probe', 'v' + n);
    fragment.appendChild(e);
  }
  host.appendChild(fragment);
  void host.offsetHeight;
  host.textContent = '';
}
host.remove();
return window.__probeCounter;
"""

# Installed on first call; every call returns (and forgets) what was first seen since the last.
NEW_STRINGS = """
if (!window.__seenStrings) {
  const seen = window.__seenStrings = {cls: new Set(), id: new Set(), style: new Set(), fresh: {cls: [], id: [], style: []}};
  const note = (e) => {
    if (e.nodeType !== 1) return;
    const add = (set, list, value) => { if (value && !set.has(value)) { set.add(value); list.push(value); } };
    for (const token of e.classList) add(seen.cls, seen.fresh.cls, token);
    add(seen.id, seen.fresh.id, e.id);
    add(seen.style, seen.fresh.style, e.getAttribute('style'));
  };
  const walk = (n) => { note(n); if (n.querySelectorAll) for (const c of n.querySelectorAll('*')) note(c); };
  walk(document.documentElement);
  new MutationObserver((records) => {
    for (const r of records) { if (r.type === 'attributes') note(r.target); else for (const a of r.addedNodes) walk(a); }
  }).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['class', 'id', 'style']});
}
const fresh = window.__seenStrings.fresh;
window.__seenStrings.fresh = {cls: [], id: [], style: []};
return fresh;
"""


def variants(session, ins, pid: int, kinds: list[str], times: int) -> None:
    def settled() -> float:
        return probe_screen_growth.settled_private_mb(ins, pid, idle_seconds=15)

    session.js(BUILD_AND_REMOVE, "plain", 50)
    before = settled()
    print(f"start: web process private {before:.0f} MB", flush=True)
    for kind in kinds:
        if kind == "sheet":
            session.js(SHEET_TOGGLE)
        else:
            session.js(BUILD_AND_REMOVE, kind, times)
        after = settled()
        made = "" if kind == "sheet" else f" {times} × 500 elements:"
        print(f"{kind}:{made} {before:.0f} → {after:.0f} MB ({after - before:+.1f})", flush=True)
        before = after


def tour(session, data: dict, rounds: int) -> None:
    session.js(NEW_STRINGS)
    bench_memory.open_big_list(session, data)
    for r in range(1, rounds + 1):
        per_screen = []
        for label, step in bench_memory.STEPS:
            step(session, data)
            per_screen.append((label, session.js(NEW_STRINGS)))
        total = {k: sum(len(fresh[k]) for _, fresh in per_screen) for k in ("cls", "id", "style")}
        print(f"round {r}: new class tokens {total['cls']}, ids {total['id']}, style values {total['style']}",
              flush=True)
        if r == rounds:
            for label, fresh in per_screen:
                print(f"  {label}: classes {len(fresh['cls'])} {fresh['cls'][:3]}, ids {len(fresh['id'])} "
                      f"{fresh['id'][:2]}, styles {len(fresh['style'])} {fresh['style'][:2]}", flush=True)


def main() -> int:
    if len(sys.argv) < 3 or sys.argv[1] not in ("variants", "tour"):
        print(__doc__)
        return 2
    if sys.argv[1] == "variants":
        kinds = sys.argv[2].split(",")
        if any(kind not in KINDS for kind in kinds) or len(sys.argv) < 4:
            raise SystemExit(f"variants KIND[,KIND...] TIMES; kinds: {', '.join(KINDS)}")
    proc, pid, port, data = probe_heap.app_with_inspector(bench_app.APP, "unique-strings")
    try:
        ins, session = probe_screen_growth.connected_session(port, data["root_name"])
        if sys.argv[1] == "variants":
            bench_memory.open_big_list(session, data)
            variants(session, ins, pid, kinds, int(sys.argv[3]))
        else:
            tour(session, data, int(sys.argv[2]))
    finally:
        probe_heap.stop_app(proc, pid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
