"""The /sparql query editor in a real browser: `registry serve --demo` (the shared `demo_server`) and headless Chromium.

Chromium is driven over the Chrome DevTools Protocol (its --remote-debugging-port websocket)
with nothing but Python. Skipped when /usr/bin/chromium is not installed. A screenshot of the
editor showing an example's results is written to /tmp/sparql-editor.png.
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
from pathlib import Path

import httpx
import pytest

from registry.sparql.examples import examples

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT = Path("/tmp/sparql-editor.png")

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed (/usr/bin/chromium)")


# --------------------------------------------------------------------------------------
# The registry and the browser, as real processes
# --------------------------------------------------------------------------------------


class CDP:
    """A minimal Chrome DevTools Protocol client for one page target."""

    def __init__(self, ws_url: str):
        from websockets.sync.client import connect

        self.ws = connect(ws_url, max_size=64 * 1024 * 1024, open_timeout=20).__enter__()
        self.ids = itertools.count(1)
        self.events: list[dict] = []

    def call(self, method: str, timeout: float = 30, **params) -> dict:
        ident = next(self.ids)
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def js(self, expression: str, timeout: float = 30):
        """Evaluate ``expression`` in the page (promises awaited); its JSON value."""
        result = self.call("Runtime.evaluate", timeout=timeout, expression=expression, returnByValue=True,
                           awaitPromise=True, userGesture=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def do(self, statement: str) -> None:
        """Run a statement in the page, ignoring its value."""
        self.js(f"{statement}; null")

    def wait_for(self, expression: str, timeout: float = 20, what: str = ""):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what or expression}")

    def key(self, key: str, code: str, keycode: int, modifiers: int = 0, text: str = "") -> None:
        """Press and release a key as a user would (``text`` also types it: Enter is "\\r")."""
        for kind in ("keyDown" if text else "rawKeyDown", "keyUp"):
            extra = {"text": text, "unmodifiedText": text} if text and kind == "keyDown" else {}
            self.call("Input.dispatchKeyEvent", type=kind, key=key, code=code, windowsVirtualKeyCode=keycode,
                      nativeVirtualKeyCode=keycode, modifiers=modifiers, **extra)

    def requests(self, *types: str) -> list[dict]:
        """Requests the page made (of these resource types: Document, Script, Fetch, XHR, ...)."""
        return [e["params"]["request"] for e in self.events if e["method"] == "Network.requestWillBeSent"
                and (not types or e["params"].get("type") in types)]

    def close(self) -> None:
        self.ws.close()


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    proc = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--remote-debugging-port=0",
         "--window-size=1280,1600", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    cdp = None
    try:
        active = Path(profile) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (active.exists() and active.read_text().count("\n") >= 1):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("Chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        port = int(active.read_text().split()[0])
        pages = []
        while not pages and time.monotonic() < deadline:
            pages = [t for t in httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=5).json()
                     if t.get("type") == "page"]
            time.sleep(0.1)
        assert pages, "no page target"
        cdp = CDP(pages[0]["webSocketDebuggerUrl"])
        cdp.call("Network.enable")
        cdp.call("Page.enable")
        cdp.call("Runtime.enable")
        cdp.call("Emulation.setDeviceMetricsOverride", width=1280, height=1600, deviceScaleFactor=1, mobile=False)
        yield cdp
    finally:
        if cdp is not None:
            cdp.close()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=20)
        shutil.rmtree(profile, ignore_errors=True)


def open_editor(cdp: CDP, url: str) -> None:
    """Load the page afresh (via about:blank: a new #fragment alone would not reload it)."""
    cdp.call("Page.navigate", url="about:blank")
    cdp.wait_for("location.href === 'about:blank' && document.readyState === 'complete'", what="a blank page")
    cdp.call("Page.navigate", url=url)
    cdp.wait_for("document.readyState === 'complete' && !!window.registrySparqlEditor", timeout=30,
                 what="the editor to start")
    cdp.wait_for("!!document.querySelector('#yasgui .yasqe .CodeMirror')", what="the YASGUI editor")


UNNAMED_CONTROLS = """(() => Array.from(document.querySelectorAll(
    '#sparql-editor input, #sparql-editor button, #sparql-editor select, #sparql-editor textarea, #sparql-editor a[href]'))
  .filter(el => el.tabIndex >= 0 && (el.offsetParent !== null || el.tagName === 'TEXTAREA'))
  .filter(el => !((el.getAttribute('aria-label') || el.getAttribute('title') || '').trim()
                  || (el.labels && el.labels.length && el.labels[0].textContent.trim())
                  || (el.tagName !== 'INPUT' && el.tagName !== 'TEXTAREA' && el.tagName !== 'SELECT'
                      && el.textContent.trim())))
  .map(el => el.outerHTML.slice(0, 120)))()"""

ROWS = "document.querySelectorAll('#yasgui .yasr table.dataTable tbody tr').length"
HEADERS = "Array.from(document.querySelectorAll('#yasgui .yasr table.dataTable thead th')).map(th => th.textContent.trim())"


# --------------------------------------------------------------------------------------
# The test
# --------------------------------------------------------------------------------------


def test_editor_runs_examples(demo_server, browser):
    cdp, (base, _, _) = browser, demo_server
    ex = examples()
    open_editor(cdp, base + "/sparql")

    # YASGUI is up, on this registry's endpoint; the plain form gave way to it
    assert cdp.js("document.getElementById('sparql-editor').hidden") is False
    assert cdp.js("document.getElementById('sparql-plain').hidden") is True
    assert cdp.js("registrySparqlEditor.endpoint") == base + "/sparql"
    assert cdp.js("registrySparqlEditor.yasgui.getTab().getEndpoint()") == base + "/sparql"
    assert cdp.js("registrySparqlEditor.yasgui.getTab().getQuery().trim()") == ex[0].query.strip()
    assert cdp.js("registrySparqlEditor.yasgui.config.copyEndpointOnNewTab") is False
    assert cdp.js("registrySparqlEditor.yasgui.getTab().getRequestConfig().method") == "POST"

    # the examples menu: labelled, one option per example
    titles = cdp.js("Array.from(document.querySelectorAll('#sparql-example option')).map(o => o.textContent)")
    assert titles == [e.title for e in ex]
    assert cdp.js("document.querySelector('label[for=sparql-example]').textContent") == "Example query"

    # the registry's prefixes drive prefix completion (not the bundled prefix.cc list)
    prefixes = cdp.js("Yasgui.Yasqe.Autocompleters.prefixes.get()")
    assert "ceterms: <https://purl.org/ctdl/terms/>" in prefixes
    assert "qdata: <https://credreg.net/qdata/terms/>" in prefixes and len(prefixes) < 20
    assert "https://purl.org/ctdl/terms/estimatedCost" in cdp.js("Yasgui.Yasqe.Autocompleters.property.get()")

    # choose an example and run it: a table of results
    target = next(i for i, e in enumerate(ex) if e.name == "05-cost-by-occupation")
    cdp.do(f"document.getElementById('sparql-example').value = '{target}'")
    cdp.do("document.getElementById('sparql-example-run').click()")
    cdp.wait_for(f"{ROWS} > 0", timeout=30, what="result rows")
    headers = cdp.js(HEADERS)
    for column in ("soc", "occupation", "credentials", "averageUSD", "minimumUSD", "maximumUSD"):
        assert column in headers, headers
    assert cdp.js(ROWS) >= 10
    assert "Accountants and Auditors" in cdp.js("document.querySelector('#yasgui .yasr table.dataTable tbody').textContent")
    assert cdp.js("registrySparqlEditor.yasgui.getTab().getQuery().trim()") == ex[target].query.strip()
    assert "cost" in cdp.js("document.getElementById('sparql-editor-status').textContent").lower()

    cdp.call("Emulation.setDeviceMetricsOverride", width=1280, height=1600, deviceScaleFactor=1, mobile=False)
    shot = cdp.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)
    SCREENSHOT.write_bytes(base64.b64decode(shot["data"]))

    # queries went to /sparql by POST; nothing at all was fetched from another host
    queries = [r for r in cdp.requests("Fetch", "XHR") if r["url"].startswith(base + "/sparql")]
    assert queries and all(r["method"] == "POST" and r["url"] == base + "/sparql" for r in queries)
    assert {"/static/yasgui/yasgui.min.js", "/static/sparql-editor.js"} <= \
        {r["url"].removeprefix(base) for r in cdp.requests("Script")}
    outside = [r["url"] for r in cdp.requests() if not r["url"].startswith((base + "/", "data:", "blob:", "about:"))]
    assert not outside, outside

    # every control of the editor and its results has a name (for screen readers)
    assert cdp.js(UNNAMED_CONTROLS) == []
    assert cdp.js("registrySparqlEditor.yasgui.getTab().getYasqe().getInputField().getAttribute('aria-label')") \
        == "SPARQL query"

    # keyboard: Tab leaves the editor (no trap), Ctrl+Enter runs the query in it
    in_editor = "registrySparqlEditor.yasgui.getTab().getYasqe().hasFocus()"
    cdp.do("registrySparqlEditor.yasgui.getTab().getYasqe().focus()")
    assert cdp.js(in_editor)
    cdp.key("Tab", "Tab", 9)
    assert not cdp.js(in_editor)
    assert cdp.js("document.activeElement.getAttribute('aria-label')")  # the next control: named
    first = next(i for i, e in enumerate(ex) if e.name == "01-credentials-by-type")
    cdp.do(f"document.getElementById('sparql-example').value = '{first}'")
    cdp.do("document.getElementById('sparql-example-open').focus()")
    cdp.key("Enter", "Enter", 13, text="\r")  # the "Open in editor" button, from the keyboard
    cdp.wait_for(in_editor, what="focus in the editor")
    assert cdp.js("registrySparqlEditor.yasgui.getTab().getQuery().trim()") == ex[first].query.strip()
    cdp.key("Enter", "Enter", 13, modifiers=2, text="\r")  # Ctrl+Enter
    cdp.wait_for(f"{HEADERS}.includes('type')", timeout=30, what="the credential-type table")

    # an example never overwrites the user's own query: it opens in a new tab
    cdp.do("registrySparqlEditor.yasgui.getTab().setQuery('SELECT ?mine WHERE { ?mine ?p ?o } LIMIT 1')")
    tabs = cdp.js("registrySparqlEditor.yasgui.persistentConfig.getTabs().length")
    cdp.do("document.getElementById('sparql-example-open').click()")
    assert cdp.js("registrySparqlEditor.yasgui.persistentConfig.getTabs().length") == tabs + 1

    # tabs are kept for this endpoint only: one pointed elsewhere is gone after a reload
    cdp.do("registrySparqlEditor.yasgui.getTab().setEndpoint('https://elsewhere.example/sparql')")
    kept = cdp.js("registrySparqlEditor.yasgui.persistentConfig.getTabs().length")
    open_editor(cdp, base + "/sparql")
    assert cdp.js("registrySparqlEditor.yasgui.persistentConfig.getTabs().length") == kept - 1
    endpoints = cdp.js("registrySparqlEditor.yasgui.persistentConfig.getTabs().map("
                       "id => registrySparqlEditor.yasgui.persistentConfig.getTab(id).requestConfig.endpoint)")
    assert set(endpoints) == {base + "/sparql"}
    assert "SELECT ?mine" in cdp.js("JSON.stringify(registrySparqlEditor.yasgui.persistentConfig.persistedJson)")

    # a shared link cannot point the page at another endpoint
    open_editor(cdp, base + "/sparql#query=ASK%20%7B%7D&endpoint=https%3A%2F%2Felsewhere.example%2Fsparql")
    assert cdp.js("registrySparqlEditor.yasgui.getTab().getQuery().trim()") == "ASK {}"
    assert cdp.js("registrySparqlEditor.yasgui.getTab().getEndpoint()") == base + "/sparql"
    assert not [r["url"] for r in cdp.requests() if "elsewhere.example" in r["url"]]

    # without JavaScript the plain form is there and works on its own
    cdp.call("Emulation.setScriptExecutionDisabled", value=True)
    try:
        cdp.call("Page.navigate", url=base + "/sparql")
        cdp.wait_for("document.readyState === 'complete'", what="the page without scripts")
        assert cdp.js("document.getElementById('sparql-editor').hidden") is True
        assert cdp.js("document.getElementById('sparql-plain').hidden") is False
        assert cdp.js("document.querySelectorAll('#sparql-plain form textarea[name=query]').length") == 1
        assert cdp.js("document.querySelectorAll('#sparql-plain li a').length") == len(ex)
    finally:
        cdp.call("Emulation.setScriptExecutionDisabled", value=False)
