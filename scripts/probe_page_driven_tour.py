#!/usr/bin/env python3
"""Is it the harness that makes the web process grow over the memory tour? The release app on the
50,000-item database with the big list open; the page then walks the chosen screens *itself* (a
script injected once: DOM clicks as in webkit_inspector.InspectorSession.click, each screen waited
for and its loading masks gone, 0.5 s on it), for a fixed time per phase. Between phases: 30 s
idle, three full collections, the web process's private memory (as scripts/probe_screen_growth.py
reads it). Prints the growth of each phase per round.

Phases, each KIND:SECONDS, run in the order given:
  warm       the page walks the screens (a warm-up; its growth is not reported)
  attached   the page walks the screens, the inspector stays connected and idle
  detached   the page walks the screens with the inspector's connection closed for the phase
             (nothing outside the page drives or watches it), connected again afterwards
  polled     the page walks the screens while the inspector evaluates two small scripts
             back to back (as the harness's waits do)
  toggling   the page walks the screens and adds and removes an empty style sheet after each
             screen (WebKit rebuilds its style resolver; see probe_unique_strings.py)
  driven     the harness walks the same screens over the inspector (bench_memory's steps), as
             probe_screen_growth.py does
  evaluations  no screens: only the polled phase's evaluations
  sheet      once: an empty style sheet added and removed (SECONDS ignored)

Usage: CARGO_TARGET_DIR=... python3 scripts/probe_page_driven_tour.py SCREEN[,SCREEN...] PHASE[,PHASE...]
  SCREEN: 准入, 操作记录 (历史 on its audit tab), 公示, 机构图, 调整, 统计, 历史 (with its tabs)
  e.g. 准入,操作记录 warm:30,detached:240,attached:240,polled:240,driven:240
Needs the benchmark databases of scripts/bench_app.py (made on first use). Nothing is written to
the docs.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_app  # noqa: E402
import bench_memory  # noqa: E402
import probe_heap  # noqa: E402
import probe_screen_growth  # noqa: E402
from webkit_inspector import InspectorSession  # noqa: E402

# Each screen as the page walks it; %(jurisdiction)s and %(street)s come from the benchmark data.
SCREENS_IN_PAGE = {
    "准入": "await clickAndWait('view-admission', '[data-testid=admission-screen]')",
    "操作记录": "await clickAndWait('view-history', '[data-testid=history-screen]')",
    "公示": "await clickAndWait('view-notices', '[data-testid=notices-screen]')",
    "统计": "await clickAndWait('view-stats', '[data-testid=stats-total]')",
    "调整": "await click('[data-testid=tree-node-%(jurisdiction)s]'); "
            "await clickAndWait('view-changes', '[data-testid=changes-screen]')",
    "机构图": "await click('[data-testid=tree-node-%(street)s]'); "
              "await clickAndWait('view-org', '[data-testid=org-screen]')",
    "历史": "await clickAndWait('view-history', '[data-testid=history-screen]'); "
            "await clickAndWait('history-tab-versions', '[data-testid=versions-panel]'); "
            "await clickAndWait('history-tab-audit', '[data-testid=history-screen]')",
}

SHEET_TOGGLE = ("const sheet = document.createElement('style'); sheet.textContent = '.probe-never-used {}';"
                " document.head.appendChild(sheet); void document.body.offsetHeight; sheet.remove();"
                " void document.body.offsetHeight;")

PAGE_TOUR = """
window.__pageTour = {rounds: 0, done: false, error: null};
(async () => {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const click = async (css) => {
    for (let i = 0; i < 600; i++) {
      const e = document.querySelector(css);
      if (e) {
        e.scrollIntoView({block: 'nearest'});
        for (const t of ['pointerdown', 'mousedown', 'pointerup', 'mouseup'])
          e.dispatchEvent(new MouseEvent(t, {bubbles: true, cancelable: true, view: window}));
        e.click();
        return;
      }
      await sleep(100);
    }
    throw new Error('not found: ' + css);
  };
  const waitFor = async (ready, what) => {
    for (let i = 0; i < 1800; i++) { if (ready()) return; await sleep(100); }
    throw new Error('not ready: ' + what);
  };
  const loaded = () => { LOADING };
  const clickAndWait = async (button, marker) => {
    await click('[data-testid=' + button + ']');
    await waitFor(() => !!document.querySelector(marker), marker);
    await waitFor(loaded, 'loaded');
    await sleep(500);
  };
  const toggleSheet = () => { SHEET_TOGGLE };
  const t0 = performance.now();
  try {
    while (performance.now() - t0 < SECONDS * 1000) { ROUND; window.__pageTour.rounds++; }
  } catch (e) { window.__pageTour.error = String(e); }
  window.__pageTour.done = true;
})();
return true;
"""

POLLED = ["return !!document.querySelector('[data-testid=admission-screen]')", bench_memory.LOADING]


def page_tour_script(screens: list[str], seconds: int, data: dict, toggling: bool) -> str:
    between = "; toggleSheet(); " if toggling else "; "
    one_round = between.join(SCREENS_IN_PAGE[name] % data for name in screens)
    if toggling:
        one_round += "; toggleSheet()"
    return (PAGE_TOUR.replace("SHEET_TOGGLE", SHEET_TOGGLE).replace("LOADING", bench_memory.LOADING)
            .replace("SECONDS", str(seconds))
            .replace("ROUND", one_round))


def parse_phases(text: str) -> list[tuple[str, int]]:
    kinds = {"warm", "attached", "detached", "polled", "toggling", "driven", "evaluations", "sheet"}
    phases = []
    for part in text.split(","):
        kind, _, seconds = part.partition(":")
        if kind not in kinds or not (seconds.isdigit() or kind == "sheet"):
            raise SystemExit(f"a phase is KIND:SECONDS with KIND one of {sorted(kinds)}: {part}")
        phases.append((kind, int(seconds or 0)))
    return phases


class PageTourProbe:
    def __init__(self, screens: list[str], pid: int, port: int, data: dict):
        self.screens, self.pid, self.port, self.data = screens, pid, port, data
        self.ins, self.session = probe_screen_growth.connected_session(port, data["root_name"])

    def settled_mb(self) -> float:
        return probe_screen_growth.settled_private_mb(self.ins, self.pid)

    def run(self, kind: str, seconds: int) -> int:
        """Runs one phase; returns its rounds (or evaluations)."""
        t0 = time.monotonic()
        if kind == "sheet":
            self.session.js(SHEET_TOGGLE)
            return 0
        if kind == "driven":
            steps = probe_screen_growth.chosen_steps(",".join(self.screens))
            rounds = 0
            while time.monotonic() - t0 < seconds:
                for _, step in steps:
                    step(self.session, self.data)
                rounds += 1
            return rounds
        if kind == "evaluations":
            count = 0
            while time.monotonic() - t0 < seconds:
                for script in POLLED:
                    self.session.js(script)
                count += len(POLLED)
            return count
        self.session.js(page_tour_script(self.screens, seconds, self.data, kind == "toggling"))
        if kind == "detached":
            self.ins.ws.sock.close()
        while kind == "polled" and time.monotonic() - t0 < seconds:
            for script in POLLED:
                self.session.js(script)
        time.sleep(max(0.0, seconds + 2 - (time.monotonic() - t0)))
        if kind == "detached":
            self.ins = probe_heap.connect(self.port)
            self.session = InspectorSession(self.ins)
        self.session.wait_js("the page's tour to end", "return !!(window.__pageTour && window.__pageTour.done)",
                             wait=300, pause=1)
        state = self.session.js("return window.__pageTour")
        if state.get("error"):
            raise RuntimeError(f"the page's tour stopped: {state['error']}")
        return state["rounds"]


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    screens = sys.argv[1].split(",")
    unknown = [name for name in screens if name not in SCREENS_IN_PAGE]
    if unknown:
        raise SystemExit(f"unknown screens {unknown}: {list(SCREENS_IN_PAGE)}")
    phases = parse_phases(sys.argv[2])
    proc, pid, port, data = probe_heap.app_with_inspector(bench_app.APP, "page-tour")
    try:
        probe = PageTourProbe(screens, pid, port, data)
        bench_memory.open_big_list(probe.session, data)
        before = probe.settled_mb()
        print(f"the list open: web process private {before:.0f} MB", flush=True)
        for kind, seconds in phases:
            rounds = probe.run(kind, seconds)
            after = probe.settled_mb()
            unit = "evaluations" if kind == "evaluations" else "rounds"
            per = f", {(after - before) / rounds:+.2f} MB a round" if rounds and unit == "rounds" else ""
            print(f"{kind}:{seconds}: {rounds} {unit}; {before:.0f} → {after:.0f} MB ({after - before:+.1f}){per}",
                  flush=True)
            before = after
    finally:
        probe_heap.stop_app(proc, pid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
