#!/usr/bin/env python3
"""Start an installed quanze-desktop the way a new user does and check its first window.

Called by scripts/check-deb.sh after `apt-get install ./quanze_*.deb`; usable on its own for any
installed copy: `check_installed_app.py /usr/bin/quanze-desktop --shot out.png`.

1. A virtual display (Xvfb, 1366×768, the smallest screen the issue names) and an empty home
   folder: no database, no settings, no recent files, so the app starts as on a first day (its
   database is then `$HOME/.local/share/quanze/quanze.db`).
2. The program itself, as the menu entry starts it (no driver, no automation): its window must
   appear (xdotool, by title) and draw something that is not blank and has settled (screenshots of
   the whole screen with xwd, compared until two agree), saved as a PNG to look at.
3. When tauri-driver and WebKitWebDriver are on PATH, the same program a second time through
   WebDriver: the page must show the first-run screen (`data-testid=first-run`, “数据库中还没有任何
   辖区” and the database path inside the empty home). Without them the screenshot is the only check.

Standard library only (the PNG is written with zlib). Prints one JSON line of figures on stdout;
exits 1 when a check fails.
"""
from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

TITLE = "权责清单编辑器"
FIRST_RUN_TEXT = "数据库中还没有任何辖区"
SCREEN = (1366, 768)
# Variables that would point the app at another database or settings than the empty home's.
FOREIGN_ENV = ("QUANZE_DB", "QUANZE_CONFIG_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
               "XDG_STATE_HOME", "WAYLAND_DISPLAY", "DISPLAY")


class CheckFailed(Exception):
    pass


def log(*parts: object) -> None:
    print("check-installed-app:", *parts, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Display and screenshots


def start_xvfb() -> tuple[subprocess.Popen, str]:
    """Xvfb on a free display number, which it writes to a pipe once it accepts clients."""
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        proc.kill()
        raise CheckFailed("Xvfb did not start")
    return proc, f":{number}"


def read_xwd(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and RGB bytes of an X window dump (ZPixmap of Xvfb's 24-bit screen)."""
    fields = struct.unpack(">25I", data[:100])
    header_size, _, pixmap_format, _, width, height = fields[:6]
    byte_order, bits_per_pixel, bytes_per_line = fields[7], fields[11], fields[12]
    masks, ncolors = fields[14:17], fields[19]
    # Xvfb's 24-bit screen: 4 bytes per pixel on an empty screen, but packed in 3 (lines still
    # padded to 4 per pixel) once a WebKit window is on it.
    size = bits_per_pixel // 8
    start = header_size + 12 * ncolors
    shifts = [(m & -m).bit_length() - 1 for m in masks]
    if (pixmap_format != 2 or size not in (3, 4) or len(data) < start + bytes_per_line * height
            or not all(m >> s == 0xFF and s % 8 == 0 for m, s in zip(masks, shifts))):
        raise CheckFailed(f"unexpected screenshot format {fields[:17]}")
    rgb = bytearray(3 * width * height)
    for y in range(height):
        line = data[start + y * bytes_per_line : start + y * bytes_per_line + size * width]
        for channel, s in enumerate(shifts):
            # Each colour is one whole byte of the pixel: picked out with slices.
            byte = s // 8 if byte_order == 0 else size - 1 - s // 8
            rgb[3 * width * y + channel : 3 * width * (y + 1) : 3] = line[byte::size]
    return width, height, bytes(rgb)


def write_png(path: Path, width: int, height: int, rgb: bytes) -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + rgb[y * 3 * width : (y + 1) * 3 * width] for y in range(height))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


def screen_dump(display: str) -> bytes:
    return subprocess.run(["xwd", "-silent", "-root", "-display", display], check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout


def picture_stats(rgb: bytes) -> dict:
    """How much the window draws: distinct colours and the share of pixels unlike the commonest."""
    pixels = collections.Counter(rgb[i : i + 3] for i in range(0, len(rgb), 3))
    total = len(rgb) // 3
    background, count = pixels.most_common(1)[0]
    return {"colours": len(pixels), "drawn_share": round(1 - count / total, 4),
            "background": "#" + background.hex()}


# --------------------------------------------------------------------------------------------
# The plain start


def find_window(display: str, app: subprocess.Popen, wait: float) -> str:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if app.poll() is not None:
            raise CheckFailed(f"the app exited with status {app.returncode} before its window appeared")
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", TITLE],
                               env=dict(os.environ, DISPLAY=display), capture_output=True, text=True)
        ids = found.stdout.split()
        if ids:
            return ids[0]
        time.sleep(0.1)
    raise CheckFailed(f"no window titled {TITLE} within {wait:.0f} s")


def window_facts(display: str, window: str) -> dict:
    info = subprocess.run(["xwininfo", "-display", display, "-id", window], capture_output=True, text=True,
                          check=True).stdout
    facts = {}
    for line in info.splitlines():
        line = line.strip()
        if line.startswith("xwininfo: Window id:"):
            facts["title"] = line.split('"', 1)[1].rsplit('"', 1)[0] if '"' in line else ""
        for key, name in (("Width:", "width"), ("Height:", "height"), ("Map State:", "map_state"),
                          ("Absolute upper-left X:", "x"), ("Absolute upper-left Y:", "y")):
            if line.startswith(key):
                value = line[len(key):].strip()
                facts[name] = int(value) if value.lstrip("-").isdigit() else value
    return facts


def window_pixels(rgb: bytes, width: int, height: int, facts: dict) -> bytes:
    """The part of the screen the window covers (it may reach past the screen's edges)."""
    x0, y0 = max(0, facts["x"]), max(0, facts["y"])
    x1, y1 = min(width, facts["x"] + facts["width"]), min(height, facts["y"] + facts["height"])
    return b"".join(rgb[3 * (y * width + x0) : 3 * (y * width + x1)] for y in range(y0, y1))


def settled_screen(display: str, app: subprocess.Popen, facts: dict, wait: float) -> bytes:
    """The screen once the window has drawn: not one colour inside the window, and the same in two
    dumps 0.5 s apart (a page still loading shows a white window, then a spinner that moves)."""
    deadline = time.monotonic() + wait
    previous = None
    while time.monotonic() < deadline:
        if app.poll() is not None:
            raise CheckFailed(f"the app exited with status {app.returncode} while its window was drawn")
        dump = screen_dump(display)
        width, height, rgb = read_xwd(dump)
        inside = window_pixels(rgb, width, height, facts)
        uniform = inside == inside[:3] * (len(inside) // 3)
        if not uniform and dump == previous:
            return dump
        previous = dump
        time.sleep(0.5)
    raise CheckFailed(f"the window did not settle on a drawn page within {wait:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue


def plain_start(app_path: str, env: dict, home: Path, shot: Path, wait: float) -> dict:
    app_log = home / "app.log"
    t0 = time.monotonic()
    with open(app_log, "wb") as out:
        app = subprocess.Popen([app_path], env=env, cwd=home, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                               start_new_session=True)
    try:
        window = find_window(env["DISPLAY"], app, wait)
        window_s = time.monotonic() - t0
        facts = window_facts(env["DISPLAY"], window)
        dump = settled_screen(env["DISPLAY"], app, facts, wait)
        settled_s = time.monotonic() - t0
        facts = window_facts(env["DISPLAY"], window)
        width, height, rgb = read_xwd(dump)
        write_png(shot, width, height, rgb)
        stats = picture_stats(window_pixels(rgb, width, height, facts))
        # A drawn first-run screen is mostly white with text, an icon and three buttons; a blank
        # or black window is one colour, a window of one colour with a frame a handful.
        if stats["colours"] < 32 or stats["drawn_share"] < 0.005:
            raise CheckFailed(f"the screenshot looks blank: {stats} ({shot})")
        db = home / ".local" / "share" / "quanze" / "quanze.db"
        if not db.is_file():
            raise CheckFailed(f"the app did not create its database at {db}")
        running = app.poll() is None
        if not running:
            raise CheckFailed(f"the app exited with status {app.returncode} after drawing its window")
        return {"window_s": round(window_s, 2), "settled_s": round(settled_s, 2), "window": facts,
                "screenshot": str(shot), **stats, "database": str(db)}
    except CheckFailed:
        tail = app_log.read_text(errors="replace")[-2000:]
        if tail.strip():
            log("the app's output:\n" + tail)
        raise
    finally:
        stop(app)


# --------------------------------------------------------------------------------------------
# The first-run screen, read through WebDriver


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def webdriver(base: str, method: str, path: str, body: object = None, timeout: float = 60) -> object:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read() or b"{}").get("value")


def start_driver(app_path: str, env: dict, home: Path) -> tuple[subprocess.Popen, str, str]:
    """tauri-driver (and the WebKitWebDriver it starts) listening, and a session on the app.
    tauri-driver now and then closes the connection of the first request on a loaded machine:
    then a new driver is tried, three times in all."""
    driver_bin = shutil.which("tauri-driver") or str(Path.home() / ".cargo" / "bin" / "tauri-driver")
    for attempt in range(3):
        port, native = free_port(), free_port()
        with open(home / "driver.log", "ab") as out:
            driver = subprocess.Popen([driver_bin, "--port", str(port), "--native-port", str(native)], env=env,
                                      stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            for p in (port, native):
                while True:
                    try:
                        socket.create_connection(("127.0.0.1", p), timeout=1).close()
                        break
                    except OSError:
                        if time.monotonic() > deadline:
                            raise CheckFailed("tauri-driver did not listen within 30 s") from None
                        time.sleep(0.05)
            caps = {"capabilities": {"alwaysMatch": {"browserName": "wry", "tauri:options": {"application": app_path}}}}
            return driver, base, webdriver(base, "POST", "/session", caps, timeout=120)["sessionId"]
        except (OSError, urllib.error.URLError, http.client.HTTPException) as error:
            stop(driver)
            if attempt == 2:
                raise CheckFailed(f"no WebDriver session on {app_path}: {error}") from None
            log(f"starting a WebDriver session failed ({error}); trying again")
        except BaseException:
            stop(driver)
            raise
    raise CheckFailed("unreachable")


def first_run_screen(app_path: str, env: dict, home: Path, wait: float) -> dict | None:
    driver_bin = shutil.which("tauri-driver") or str(Path.home() / ".cargo" / "bin" / "tauri-driver")
    if not Path(driver_bin).is_file() or not shutil.which("WebKitWebDriver"):
        log("tauri-driver or WebKitWebDriver not found: the first-run screen is checked by the screenshot only")
        return None
    driver, base, sid = start_driver(app_path, env, home)
    try:
        found = None
        deadline = time.monotonic() + wait
        while found is None and time.monotonic() < deadline:
            try:
                found = webdriver(base, "POST", f"/session/{sid}/element",
                                  {"using": "css selector", "value": "[data-testid=first-run]"})
            except urllib.error.HTTPError:
                time.sleep(0.2)
        if found is None:
            body = webdriver(base, "POST", f"/session/{sid}/execute/sync",
                             {"script": "return document.body ? document.body.innerText : ''", "args": []})
            raise CheckFailed(f"no first-run screen within {wait:.0f} s; the page says: {str(body)[:300]!r}")
        element = next(iter(found.values()))
        text = webdriver(base, "GET", f"/session/{sid}/element/{element}/text")
        title = webdriver(base, "GET", f"/session/{sid}/title")
    except (OSError, urllib.error.URLError, http.client.HTTPException) as error:
        raise CheckFailed(f"WebDriver: {error}") from None
    finally:
        try:
            webdriver(base, "DELETE", f"/session/{sid}", timeout=30)
        except (OSError, urllib.error.URLError, http.client.HTTPException):
            pass
        stop(driver)
    text = " ".join(str(text).split())
    if FIRST_RUN_TEXT not in text or "载入示例辖区" not in text:
        raise CheckFailed(f"the first-run screen does not say {FIRST_RUN_TEXT} / 载入示例辖区: {text!r}")
    if str(home) not in text:
        raise CheckFailed(f"the first-run screen names another database than the empty home's: {text!r}")
    return {"first_run_text": text, "title": title}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("app", help="the installed program, e.g. /usr/bin/quanze-desktop")
    parser.add_argument("--shot", type=Path, required=True, help="where the screenshot (PNG) goes")
    parser.add_argument("--wait", type=float, default=60, help="seconds to wait for the window and the page")
    args = parser.parse_args()
    for tool, package in (("Xvfb", "xvfb"), ("xdotool", "xdotool"), ("xwd", "x11-apps"), ("xwininfo", "x11-utils")):
        if not shutil.which(tool):
            log(f"{tool} not found (apt-get install {package})")
            return 2
    home = Path(tempfile.mkdtemp(prefix="quanze-first-day-"))
    xvfb, display = start_xvfb()
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN_ENV}
    env.update(HOME=str(home), DISPLAY=display)
    result: dict = {"home": str(home), "display": display}
    ok = False
    try:
        result["plain"] = plain_start(args.app, env, home, args.shot, args.wait)
        log(f"window after {result['plain']['window_s']} s, drawn after {result['plain']['settled_s']} s: "
            f"{result['plain']['window']}; screenshot {args.shot}")
        result["webdriver"] = first_run_screen(args.app, env, home, args.wait)
        if result["webdriver"]:
            log(f"first-run screen: {result['webdriver']['first_run_text']}")
        ok = True
    except CheckFailed as error:
        log(f"FAILED: {error} (logs in {home})")
        result["error"] = str(error)
    finally:
        stop(xvfb)
        if ok:
            shutil.rmtree(home, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
