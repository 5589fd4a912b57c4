"""A small driver for headless Chromium over the Chrome DevTools Protocol, for tests.

No Selenium, no Playwright: Chromium is started with ``--remote-debugging-port=0``,
the port it picked is read from the ``DevToolsActivePort`` file in its fresh
profile folder, and commands go over one websocket (``websockets``' synchronous
client) to the browser, with a flattened session per page::

    from tests.browser import Browser, chromium_or_skip

    with Browser(chromium_or_skip()) as browser:
        page = browser.new_page()
        status = page.goto("http://127.0.0.1:8000/search")
        page.evaluate("document.title")
        page.screenshot("search.png")

:func:`chromium_or_skip` finds the browser; when there is none the test is
skipped, except under CI (``CI=true``) where it fails: the Makefile installs
Debian's ``chromium``, so a missing browser there is a broken set-up.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections import deque
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable

from websockets.sync.client import connect

CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
)


class BrowserError(RuntimeError):
    pass


def find_chromium() -> str | None:
    """The Chromium to use: $CHROMIUM, else Debian's /usr/bin/chromium, else one on PATH."""
    for name in filter(None, (os.environ.get("CHROMIUM"), *CANDIDATES)):
        path = name if os.path.isabs(name) else shutil.which(name)
        if path and os.access(path, os.X_OK):
            return path
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def chromium_or_skip() -> str:
    """The browser's path; skip the test when there is none (fail under CI=true)."""
    import pytest

    path = find_chromium()
    if path is None:
        message = "Chromium not found (install Debian's chromium, or run `make test`, which does)"
        if in_ci():
            pytest.fail(message + " -- CI=true, so this fails instead of skipping", pytrace=False)
        pytest.skip(message)
    return path


class Browser:
    """One headless Chromium process with a fresh profile; close() (or ``with``) ends it."""

    def __init__(self, executable: str | None = None, *, args: tuple[str, ...] = (), timeout: float = 30.0):
        executable = executable or find_chromium()
        if executable is None:
            raise BrowserError("Chromium not found")
        self.timeout = timeout
        self.profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
        self.proc = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self.profile}", *args, "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self._ids = itertools.count(1)
        self._events: deque[dict] = deque()
        self.ws = None
        self._stack = ExitStack()
        try:
            port, path = self._wait_for_port()
            self.ws = self._stack.enter_context(
                connect(f"ws://127.0.0.1:{port}{path}", max_size=None, open_timeout=timeout))
        except BaseException:
            self.close()
            raise

    def _wait_for_port(self) -> tuple[int, str]:
        marker = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if marker.exists():
                lines = marker.read_text().split("\n")
                if len(lines) >= 2 and lines[0].strip().isdigit() and lines[1].strip():
                    return int(lines[0]), lines[1].strip()
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode("utf-8", "replace") if self.proc.stderr else ""
                raise BrowserError(f"Chromium exited with {self.proc.returncode}:\n{err[-3000:]}")
            time.sleep(0.05)
        raise BrowserError("Chromium did not open its DevTools port")

    # -- protocol ----------------------------------------------------------------------------

    def send(self, method: str, params: dict | None = None, *, session: str | None = None,
             timeout: float | None = None) -> dict:
        """Send one command and wait for its answer; events that arrive meanwhile are queued."""
        ident = next(self._ids)
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            msg = self._receive(deadline, f"no answer to {method}")
            if msg.get("id") == ident:
                if "error" in msg:
                    raise BrowserError(f"{method}: {msg['error'].get('message')} {msg['error'].get('data', '')}")
                return msg.get("result", {})
            if "method" in msg:
                self._events.append(msg)

    def _receive(self, deadline: float, what: str) -> dict:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(what)
        try:
            return json.loads(self.ws.recv(timeout=remaining))
        except TimeoutError:
            raise TimeoutError(what) from None

    def wait_for(self, method: str, *, session: str | None = None,
                 predicate: Callable[[dict], bool] = lambda params: True, timeout: float | None = None) -> dict:
        """The params of the first (queued or coming) event ``method`` for ``session`` that ``predicate`` accepts."""
        def matches(msg: dict) -> bool:
            return (msg.get("method") == method and (session is None or msg.get("sessionId") == session)
                    and predicate(msg.get("params", {})))

        for msg in list(self._events):
            if matches(msg):
                self._events.remove(msg)
                return msg.get("params", {})
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            msg = self._receive(deadline, f"no {method} event")
            if "method" not in msg:
                continue
            if matches(msg):
                return msg.get("params", {})
            self._events.append(msg)

    def drain(self, session: str | None = None) -> list[dict]:
        """Take the queued events (of one session)."""
        taken = [m for m in self._events if session is None or m.get("sessionId") == session]
        for m in taken:
            self._events.remove(m)
        return taken

    # -- pages ---------------------------------------------------------------------------------

    def new_page(self, width: int = 1280, height: int = 900) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, target, session)
        for domain in ("Page", "Runtime", "Network", "Log"):
            page.send(f"{domain}.enable")
        page.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        return page

    def close(self) -> None:
        if self.ws is not None:
            try:
                self.send("Browser.close", timeout=5)
            except Exception:
                pass
            try:
                self._stack.close()
            except Exception:
                pass
            self.ws = None
        if self.proc.poll() is None:
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        if self.proc.stderr:
            self.proc.stderr.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Page:
    """One tab, driven through its own (flattened) session."""

    def __init__(self, browser: Browser, target: str, session: str):
        self.browser = browser
        self.target = target
        self.session = session
        self.errors: list[str] = []  # uncaught exceptions, console errors, failed loads, CSP reports

    def send(self, method: str, params: dict | None = None, timeout: float | None = None) -> dict:
        return self.browser.send(method, params, session=self.session, timeout=timeout)

    def goto(self, url: str, timeout: float | None = None) -> int | None:
        """Load ``url`` and wait for its load event; the HTTP status of the document (None if unknown)."""
        self.browser.drain(self.session)
        result = self.send("Page.navigate", {"url": url}, timeout=timeout)
        if result.get("errorText"):
            raise BrowserError(f"{url}: {result['errorText']}")
        frame = result.get("frameId")
        self.browser.wait_for("Page.loadEventFired", session=self.session, timeout=timeout)
        return self._status(frame)

    def wait_for_load(self, timeout: float | None = None) -> int | None:
        """After something else navigated (a form submitted by script): wait for the next load."""
        self.browser.wait_for("Page.loadEventFired", session=self.session, timeout=timeout)
        return self._status(None)

    def _status(self, frame: str | None) -> int | None:
        status = None
        for msg in self.browser.drain(self.session):
            method, params = msg.get("method"), msg.get("params", {})
            if method == "Network.responseReceived" and params.get("type") == "Document" \
                    and (frame is None or params.get("frameId") == frame):
                status = params["response"]["status"]
            self._note(method, params)
        return status

    def _note(self, method: str, params: dict) -> None:
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.errors.append("exception: " + (details.get("exception", {}).get("description")
                                                or details.get("text", "")))
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append("console: " + " ".join(str(a.get("value", a.get("description", "")))
                                                      for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            self.errors.append(f"log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".strip())

    def collect_errors(self) -> list[str]:
        """Errors the page reported since the last call (reads queued events first)."""
        for msg in self.browser.drain(self.session):
            self._note(msg.get("method"), msg.get("params", {}))
        errors, self.errors = self.errors, []
        return errors

    def evaluate(self, expression: str, *, await_promise: bool = True, timeout: float | None = None) -> Any:
        """Run JavaScript in the page; its (JSON-able) value."""
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": await_promise,
                                                "returnByValue": True, "userGesture": True}, timeout=timeout)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise BrowserError("script failed: " + (details.get("exception", {}).get("description")
                                                    or details.get("text", "")))
        return result.get("result", {}).get("value")

    def wait_until(self, expression: str, timeout: float = 10.0, interval: float = 0.05) -> Any:
        """Poll until ``expression`` is truthy in the page; its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"still false after {timeout}s: {expression}")
            time.sleep(interval)

    def html(self) -> str:
        """The current DOM as an HTML document (doctype included)."""
        return self.evaluate("(document.doctype ? new XMLSerializer().serializeToString(document.doctype) + '\\n'"
                             " : '') + document.documentElement.outerHTML")

    def screenshot(self, path: str | Path, *, full_page: bool = False) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
            size = self.evaluate("({w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight})")
            params["clip"] = {"x": 0, "y": 0, "width": size["w"], "height": size["h"], "scale": 1}
        data = self.send("Page.captureScreenshot", params)["data"]
        path = Path(path)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})
