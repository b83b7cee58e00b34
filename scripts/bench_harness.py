#!/usr/bin/env python3
"""What the desktop app benchmark's scripts share (scripts/bench_app.py, scripts/bench_memory.py):
a WebDriver client over urllib for tauri-driver under xvfb-run, the process tree and its memory
from /proc, and the scripts they run in the page. Standard library only."""
from __future__ import annotations

import base64
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"
ENTER = "\ue007"
SHOT_REPAINT_START = ("clearInterval(window.__quanzeShotRepaint); window.__quanzeShotRepaint = setInterval(() => {"
                      " const s = document.body.style; s.outline = s.outline ? '' : '1px solid transparent' }, 50)")
SHOT_REPAINT_STOP = "clearInterval(window.__quanzeShotRepaint); document.body.style.outline = ''"


def log(*parts: object) -> None:
    print("bench-app:", *parts, file=sys.stderr, flush=True)


def find_program(name: str) -> Path | None:
    found = shutil.which(name)
    if found:
        return Path(found)
    candidate = Path.home() / ".cargo" / "bin" / name
    return candidate if candidate.is_file() else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --------------------------------------------------------------------------------------------
# WebDriver over urllib


class WebDriverError(RuntimeError):
    pass


def element_id(value: object) -> str:
    """The id of an element reference (W3C key, or the legacy JSON Wire `ELEMENT`)."""
    if isinstance(value, dict):
        for key in (ELEMENT_KEY, "ELEMENT"):
            if key in value:
                return value[key]
    raise WebDriverError(f"not an element reference: {value!r}")


class Session:
    """One WebDriver session of tauri-driver: one app process."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.sid: str | None = None

    def request(self, method: str, path: str, body: object = None, timeout: float = 180) -> object:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        # tauri-driver now and then closes a connection without answering (its client's pooled
        # connection to WebKitWebDriver went stale): such a request is sent again, except the
        # one that starts a session, which the caller retries with a new driver.
        for attempt in range(4):
            try:
                with urllib.request.urlopen(req, timeout=timeout) as resp:
                    return json.loads(resp.read() or b"{}").get("value")
            except urllib.error.HTTPError as error:
                raise WebDriverError(f"{method} {path}: {error.code} {error.read()[:500]!r}") from None
            except (http.client.RemoteDisconnected, ConnectionError) as error:
                if path == "/session" or attempt == 3:
                    raise WebDriverError(f"{method} {path}: {error}") from None
                time.sleep(0.2)
        raise WebDriverError(f"{method} {path}: no answer")

    def start(self, app: Path) -> None:
        caps = {"capabilities": {"alwaysMatch": {"browserName": "wry", "tauri:options": {"application": str(app)}}}}
        value = self.request("POST", "/session", caps)
        self.sid = value["sessionId"]
        self.request("POST", self.path("/timeouts"), {"script": 300_000})

    def path(self, rest: str) -> str:
        return f"/session/{self.sid}{rest}"

    def js(self, script: str, *args: object) -> object:
        return self.request("POST", self.path("/execute/sync"), {"script": script, "args": list(args)})

    def js_async(self, script: str, *args: object) -> object:
        return self.request("POST", self.path("/execute/async"), {"script": script, "args": list(args)}, timeout=400)

    def find(self, css: str) -> str | None:
        try:
            value = self.request("POST", self.path("/element"), {"using": "css selector", "value": css})
        except WebDriverError:
            return None
        return element_id(value)

    def click(self, css: str, wait: float = 60) -> None:
        deadline = time.monotonic() + wait
        last = ""
        while time.monotonic() < deadline:
            element = self.find(css)
            if element:
                try:
                    self.request("POST", self.path(f"/element/{element}/click"), {})
                    return
                except WebDriverError as error:  # an overlay fading out intercepts the click
                    last = str(error)
            time.sleep(0.1)
        raise WebDriverError(f"could not click {css}: {last}")

    def type_into(self, element: str, text: str) -> None:
        self.request("POST", self.path(f"/element/{element}/value"), {"text": text})

    def active(self) -> str:
        return element_id(self.request("GET", self.path("/element/active")))

    def screenshot(self, path: Path, repaint: bool = True) -> None:
        # The page keeps repainting while the shot is taken: without accelerated compositing (the
        # app's default) WebKitWebDriver's screenshot waits for the page's next drawing, which an
        # idle page may never do (src-tauri/tests/common/screenshot.rs does the same).
        # `repaint=False` shoots the page as it is (scripts/probe_screenshot_repaint.py).
        try:
            if repaint:
                self.js(SHOT_REPAINT_START)
            png = self.request("GET", self.path("/screenshot"), timeout=60)
            path.write_bytes(base64.b64decode(png))
        except (WebDriverError, OSError, urllib.error.URLError) as error:
            log(f"screenshot {path.name} failed: {error}")
        finally:
            try:
                if repaint:
                    self.js(SHOT_REPAINT_STOP)
            except (WebDriverError, OSError, urllib.error.URLError):
                pass

    def close(self) -> None:
        if self.sid:
            try:
                self.request("DELETE", self.path(""), timeout=30)
            except (WebDriverError, OSError, urllib.error.URLError):
                pass
            self.sid = None

    def wait_js(self, what: str, script: str, *args: object, wait: float = 120, pause: float = 0.02) -> object:
        """Poll a script until it returns something truthy."""
        deadline = time.monotonic() + wait
        while True:
            value = self.js(script, *args)
            if value:
                return value
            if time.monotonic() > deadline:
                raise WebDriverError(f"timed out after {wait} s waiting for {what}")
            time.sleep(pause)


class Driver:
    """tauri-driver under xvfb-run, in a process group of its own, ended as a whole."""

    def __init__(self, db: Path, tauri_driver: Path, xvfb_run: Path | None):
        self.port = free_port()
        native = free_port()
        args = [str(tauri_driver), "--port", str(self.port), "--native-port", str(native)]
        if xvfb_run:
            args = [str(xvfb_run), "-a", "-s", "-screen 0 1440x900x24"] + args
        # No renewal of the page (crates/quanze-api/src/page_renewal.rs): it ends the web process,
        # and WebKitWebDriver its session with it. The tour with renewals is
        # scripts/bench_mouse_tour.py (the X mouse and keyboard, no WebDriver).
        env = dict(os.environ, QUANZE_DB=str(db), QUANZE_PAGE_RENEWAL_MB="off")
        self.log = open(db.parent / "driver.log", "ab")
        self.proc = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=self.log, start_new_session=True)
        # Both tauri-driver and the WebKitWebDriver it starts must listen before a session is
        # asked for (tauri-driver answers a request it cannot forward by closing the connection).
        deadline = time.monotonic() + 30
        for port in (self.port, native):
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        self.stop()
                        raise RuntimeError("tauri-driver or WebKitWebDriver did not listen within 30 s")
                    time.sleep(0.05)

    def stop(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=5)
                break
            except subprocess.TimeoutExpired:
                continue
        self.log.close()


# --------------------------------------------------------------------------------------------
# Processes and memory


def process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command name)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), name)
    return table


def descendants(root: int, table: dict[int, tuple[int, str]]) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        for child in children.get(pid, []):
            out.append(child)
            stack.append(child)
    return out


def app_pid(group_leader: int, wait: float = 60, name: str = "quanze-desktop") -> int:
    """The program's process below the driver (the command name is cut to 15 characters)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        table = process_table()
        for pid in descendants(group_leader, table):
            if table[pid][1] == name[:15]:
                return pid
        time.sleep(0.05)
    raise RuntimeError("the app process did not appear")


def status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def smaps_rollup_kb(pid: int, *fields: str) -> int:
    """The sum of these fields of /proc/PID/smaps_rollup (kB; 0 for a process that is gone)."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in fields:
                total += int(value.split()[0])
    except OSError:
        pass
    return total


def pss_kb(pid: int) -> int:
    return smaps_rollup_kb(pid, "Pss")


def memory(app: int) -> dict:
    """RSS and PSS of the app and every process below it (WebKitWebProcess, WebKitNetworkProcess),
    in total and by command name (cut to 15 characters by the kernel)."""
    table = process_table()
    pids = [app] + descendants(app, table)
    parts = {}
    for pid in pids:
        name = table.get(pid, (0, "?"))[1]
        rss, pss = status_kb(pid, "VmRSS"), pss_kb(pid)
        old = parts.get(name, (0, 0))
        parts[name] = (old[0] + rss, old[1] + pss)
    return {
        "rss_mb": sum(r for r, _ in parts.values()) / 1024,
        "pss_mb": sum(p for _, p in parts.values()) / 1024,
        "parts": {name: round(r / 1024) for name, (r, _) in sorted(parts.items())},
        "pss_parts": {name: round(p / 1024, 1) for name, (_, p) in sorted(parts.items())},
    }


def pss_by_kind(pid: int) -> dict:
    """Where one process's PSS lies, from /proc/PID/smaps (MB): anonymous memory (the JavaScript
    heap, malloc, WebKit's own allocators), the [heap], shared libraries and other files, and
    shared-memory buffers (memfd, /dev/shm: the pictures the web process hands the window)."""
    kinds: dict[str, float] = {}
    kind = "anonymous"
    try:
        text = Path(f"/proc/{pid}/smaps").read_text()
    except OSError:
        return {}
    for line in text.splitlines():
        head = line.split(maxsplit=5)
        if head and "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
            path = head[5] if len(head) > 5 else ""
            if not path:
                kind = "anonymous"
            elif path in ("[heap]", "[stack]"):
                kind = path.strip("[]")
            elif path.startswith("/memfd:") or path.startswith("/dev/shm") or "(deleted)" in path:
                kind = "shared buffers"
            elif ".so" in path:
                kind = "libraries"
            elif path.startswith("["):
                kind = "other"
            else:
                kind = "files"
        elif line.startswith("Pss:"):
            kinds[kind] = kinds.get(kind, 0) + int(line.split()[1]) / 1024
    return {k: round(v, 1) for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])}


def process_of(app: int, name: str) -> int | None:
    """The first process below the app with this command name (e.g. WebKitWebProces)."""
    table = process_table()
    return next((pid for pid in descendants(app, table) if table[pid][1] == name[:15]), None)


def boottime() -> float:
    return time.clock_gettime(time.CLOCK_BOOTTIME)


def started_at(pid: int) -> float:
    """The process's start, in seconds since boot (resolution: one clock tick, 10 ms)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[19]) / os.sysconf("SC_CLK_TCK")


def fresh_copy(src: Path, dst: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    shutil.copy(src, dst)
    return dst


# --------------------------------------------------------------------------------------------
# Scripts run in the page

TREE_NODE = """
const want = arguments[0];
for (const name of document.querySelectorAll('[data-testid=tree-node-name]')) {
  if (name.textContent.trim() === want && name.offsetParent !== null) {
    for (let el = name.parentElement; el; el = el.parentElement) {
      const id = el.getAttribute('data-testid') || '';
      if (/^tree-node-\\d+$/.test(id)) return id;
    }
    return null;
  }
}
return null;
"""

# In-page timing: click, then check every 5 ms until the list's count and first row are shown,
# then wait one more frame so the rows are painted.
OPEN_LIST = """
const [listId, firstItem, expected, done] = [arguments[0], arguments[1], arguments[2], arguments[arguments.length - 1]];
const entry = document.querySelector(`[data-testid=list-entry-${listId}]`);
if (!entry) { done({error: 'no list entry'}); return; }
const t0 = performance.now();
let shownCount = null;
entry.click();
const tick = () => {
  const total = document.querySelector('[data-testid=item-total]');
  const text = total ? total.textContent.replace(/[,，\\s]/g, '') : '';
  if (shownCount === null && text.includes(`共${expected}项`)) shownCount = performance.now() - t0;
  const cell = document.querySelector(`[data-testid=item-table] [data-item="${firstItem}"][data-prop="name"]`);
  if (shownCount !== null && cell && cell.textContent.trim() !== '') {
    const rows = performance.now() - t0;
    requestAnimationFrame(() => {
      const painted = performance.now() - t0;
      // A long list shows its first rows, then loads the rest behind them (正在载入 … in the
      // header, gone when every row is there and the grid can be edited).
      const rest = () => {
        if (!document.querySelector('[data-testid=items-loading]')) {
          done({count: shownCount, rows, painted, all: performance.now() - t0});
        } else if (performance.now() - t0 > 120000) {
          done({error: 'timeout loading the rest'});
        } else {
          setTimeout(rest, 5);
        }
      };
      rest();
    });
    return;
  }
  if (performance.now() - t0 > 120000) { done({error: 'timeout', text}); return; }
  setTimeout(tick, 5);
};
tick();
"""

# Scroll the grid through `targets` (row index, item id): for each, ask the grid for the row and
# wait until that item's cell is rendered (asking again every 250 ms: right after the rows are
# set, one request sometimes leaves the far rows unrendered).
SCROLL = """
const [targets, done] = [arguments[0], arguments[arguments.length - 1]];
const grid = document.querySelector('[data-testid=item-table] revo-grid');
if (!grid) { done({error: 'no grid'}); return; }
const sel = (id) => `[data-testid=item-table] [data-item="${id}"][data-prop="name"]`;
const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
(async () => {
  const t0 = performance.now();
  const steps = [];
  for (const [row, id] of targets) {
    const s0 = performance.now();
    let asked = -1e9;
    for (;;) {
      if (performance.now() - asked > 250) { asked = performance.now(); grid.scrollToRow(row); }
      await frame();
      const cell = document.querySelector(sel(id));
      if (cell && cell.textContent.trim() !== '') break;
      if (performance.now() - t0 > 280000) { done({error: 'timeout at row ' + row}); return; }
    }
    steps.push(performance.now() - s0);
  }
  done({total: performance.now() - t0, steps});
})();
"""

READ_ALL = """
const [list, chunk, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const invoke = window.__TAURI_INTERNALS__.invoke;
(async () => {
  const t0 = performance.now();
  const first = await invoke('list_items', {list, offset: 0, limit: chunk});
  let n = first.items.length, calls = 1, chars = JSON.stringify(first.items).length;
  while (n < first.total) {
    const next = await invoke('list_items', {list, offset: n, limit: chunk});
    calls += 1;
    if (next.items.length === 0) break;
    n += next.items.length;
  }
  done({ms: performance.now() - t0, items: n, calls, first_chunk_json_chars: chars});
})().catch((e) => done({error: String(e)}));
"""

CELL_SEL = '[data-testid=item-table] [data-item="{id}"][data-prop="name"]'

# The findings summary and whether checks are under way: the button's loading state, and (newer
# UI) the panel's 检查中… marker and data-busy on its body.
SUMMARY = """
const s = document.querySelector('[data-testid=checks-summary]');
const b = document.querySelector('[data-testid=run-checks]');
const body = document.querySelector('[data-testid=checks-body]');
return {summary: s ? s.textContent.replace(/\\s+/g, ' ').trim() : null,
        running: !!((b && (b.classList.contains('is-loading') || b.disabled))
                    || document.querySelector('[data-testid=checks-busy]')
                    || (body && body.getAttribute('data-busy') === 'yes')),
        body: !!document.querySelector('.checks-body .el-loading-mask:not([style*="display: none"])')};
"""
