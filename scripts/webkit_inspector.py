"""The WebKit inspector protocol, for probes of the desktop app's web process that WebDriver cannot
make: a full garbage collection and a snapshot of JavaScriptCore's heap (scripts/probe_heap.py).

WebKitGTK serves its remote inspector over HTTP and WebSocket when the app starts with
WEBKIT_INSPECTOR_HTTP_SERVER=127.0.0.1:PORT; the page is then the target /socket/1/1/WebPage,
whose page-level domains (Runtime, Heap) are reached through the Target domain. That server and
WebKitWebDriver's automation cannot share one app, so `InspectorSession` also stands in for
bench_harness.Session (scripts run with Runtime.evaluate, clicks as DOM events) and the memory
tour's steps (bench_memory.STEPS) run over the same connection.

Standard library only: a minimal WebSocket client (RFC 6455, text frames, client masking).
"""
from __future__ import annotations

import base64
import json
import os
import socket
import struct
import time

from bench_harness import Session, WebDriverError

EVENTS_KEPT = 2000


class WebSocket:
    """A client connection: text frames out (masked, as a client must), whole messages in."""

    def __init__(self, host: str, port: int, path: str):
        self.sock = socket.create_connection((host, port), timeout=600)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            byte = self.sock.recv(1)
            if not byte:
                raise OSError("the inspector closed the connection during the handshake")
            head += byte
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise OSError(head.decode(errors="replace"))
        self.pending = b""

    def send(self, text: str) -> None:
        data = text.encode()
        header = bytearray([0x81])  # FIN, text
        if len(data) < 126:
            header.append(0x80 | len(data))
        elif len(data) < 65536:
            header.append(0x80 | 126)
            header += struct.pack(">H", len(data))
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", len(data))
        mask = os.urandom(4)
        header += mask
        self.sock.sendall(bytes(header) + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n: int) -> bytes:
        while len(self.pending) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise OSError("the inspector closed the connection")
            self.pending += chunk
        out, self.pending = self.pending[:n], self.pending[n:]
        return out

    def recv(self) -> str:
        parts = []
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if second & 0x80 else None
            data = self._read(length)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            opcode = first & 0x0F
            if opcode == 8:
                raise OSError("the inspector closed the connection")
            if opcode in (9, 10):  # ping, pong
                continue
            parts.append(data)
            if first & 0x80:
                return b"".join(parts).decode(errors="replace")


class Inspector:
    """Commands to the page: each is wrapped in Target.sendMessageToTarget, and its answer comes
    back inside Target.dispatchMessageFromTarget (events in between are dropped but for those
    named in `wanted_events`)."""

    def __init__(self, host: str, port: int, path: str):
        self.ws = WebSocket(host, port, path)
        self.next_id = 1
        self.target: str | None = None
        # Events of these methods (for example Memory.trackingUpdate) are kept in `events`, the
        # latest `EVENTS_KEPT`; every other event is dropped.
        self.wanted_events: set[str] = set()
        self.events: list[dict] = []

    def _next_answer(self, mid: int | None) -> dict | None:
        """Reads until the page's answer to command `mid` (None: until the target is known)."""
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("method") == "Target.targetCreated" and self.target is None:
                self.target = msg["params"]["targetInfo"]["targetId"]
                if mid is None:
                    return None
            if msg.get("method") == "Target.dispatchMessageFromTarget":
                inner = json.loads(msg["params"]["message"])
                if mid is not None and inner.get("id") == mid:
                    return inner
                if inner.get("method") in self.wanted_events:
                    self.events = (self.events + [inner])[-EVENTS_KEPT:]

    def call(self, method: str, params: dict | None = None) -> dict:
        if self.target is None:  # announced by the server right after the connection opens
            self._next_answer(None)
        mid = self.next_id
        self.next_id += 1
        payload = {"id": mid, "method": method, "params": params or {}}
        # The wrapper's own answer (an empty result under another id) is skipped.
        self.ws.send(json.dumps({"id": 1_000_000 + mid, "method": "Target.sendMessageToTarget",
                                 "params": {"targetId": self.target, "message": json.dumps(payload)}}))
        return self._next_answer(mid)


class InspectorSession(Session):
    """What the tour's steps ask of bench_harness.Session, over the inspector (`wait_js` is
    Session's own, over this `js`). A click is the DOM events of one (pointer and mouse down/up,
    then click), not a real pointer: enough for the app's buttons, tabs and tree, which is all the
    tour clicks. No WebDriver session: `close` and the element commands are not used."""

    def __init__(self, ins: Inspector):  # noqa: super().__init__ would expect a WebDriver port
        self.ins = ins
        self.sid = None

    def _eval(self, expression, await_promise=False):
        # WebKit's Runtime.evaluate has no awaitPromise (it answered a promise with an empty
        # object): the promise is kept by reference and waited for with Runtime.awaitPromise.
        r = self.ins.call("Runtime.evaluate", {"expression": expression, "returnByValue": not await_promise})
        res = r.get("result", {})
        if "error" in r or res.get("wasThrown"):
            raise WebDriverError(f"script failed: {json.dumps(r)[:400]}")
        if await_promise:
            promise = res.get("result", {}).get("objectId")
            r = self.ins.call("Runtime.awaitPromise", {"promiseObjectId": promise, "returnByValue": True})
            res = r.get("result", {})
            if "error" in r or res.get("wasThrown"):
                raise WebDriverError(f"script failed: {json.dumps(r)[:400]}")
        return res.get("result", {}).get("value")

    def path(self, rest):
        return rest

    def js(self, script, *args):
        return self._eval(f"(function(){{ {script} \n}}).apply(null, {json.dumps(list(args))})")

    def js_async(self, script, *args):
        return self._eval(f"new Promise(function(__done) {{ (function(){{ {script} \n}}).apply(null, {json.dumps(list(args))}.concat([__done])) }})", True)

    def find(self, css):
        return css if self.js("return !!document.querySelector(arguments[0])", css) else None

    def click(self, css, wait=60):
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            ok = self.js("""const e = document.querySelector(arguments[0]); if (!e) return false;
              e.scrollIntoView({block: 'nearest'});
              for (const t of ['pointerdown', 'mousedown', 'pointerup', 'mouseup']) e.dispatchEvent(new MouseEvent(t, {bubbles: true, cancelable: true, view: window}));
              e.click(); return true""", css)
            if ok:
                return
            time.sleep(0.1)
        raise WebDriverError(f"could not click {css}")

    def request(self, method, path, body=None, timeout=180):
        if path.endswith("/clear"):
            css = path.split("/element/")[1].rsplit("/clear", 1)[0]
            self.js("const e = document.querySelector(arguments[0]); e.value = ''; e.dispatchEvent(new Event('input', {bubbles: true}))", css)
            return None
        raise WebDriverError(f"not supported: {method} {path}")

    def type_into(self, element, text):
        self.js("""const e = document.querySelector(arguments[0]); e.focus(); e.value = (e.value || '') + arguments[1];
          e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true}))""", element, text)


def connect(port: int) -> Inspector:
    """The page's inspector on `port`, waited for while the app starts."""
    for _ in range(120):
        try:
            return Inspector("127.0.0.1", port, "/socket/1/1/WebPage")
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the app's inspector did not answer")
