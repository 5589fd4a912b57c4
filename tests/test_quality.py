"""The quality gate (docs/search.md): a real ``registry serve --demo`` (the shared ``demo_server`` fixture),
checked the way people and crawlers meet it.

* accessibility: axe-core in headless Chromium, 0 violations at WCAG 2.2 AA on a sample of every page type;
* valid HTML: the Nu Html Checker (vnu.jar) on the same pages, 0 errors;
* links: every same-site link of those pages and of every /resources page answers 200 (410 if deleted),
  and every in-page #fragment exists;
* data: each sampled resource page's embedded JSON-LD gives the same quads (canonicalised) as its .jsonld
  alternate, and the same triples as its Turtle.

The tools come from the project's own files: ``make test`` installs Debian's chromium (and a JRE if there is
no java) and runs ``npm ci`` for axe-core and vnu-jar (package.json). A missing tool skips its test locally and
fails it under CI=true.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
import pytest

from .browser import Browser, chromium_or_skip, in_ci

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MISSING_CTID = "ce-00000000-0000-4000-8000-000000000000"
HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}  # what a browser sends

# Every page type, by how to find one in the demo data.
FIXED = {
    "home": "/",
    "resources": "/resources",
    "resources-page-2": "/resources?page=2",
    "resources-by-type": "/resources?type=Credential",
    "resources-by-state": "/resources?state=Michigan",
    "search": "/search",
    "search-results": "/search?q=nurs",
    "organizations": "/organizations",
    "states": "/states",
    "validate": "/validate",
    "sparql": "/sparql",
    "data": "/data",
    "error-404": f"/resources/{MISSING_CTID}",
}
BY_TYPE = {  # the first resource of the list of this type
    "credential": "BachelorDegree",
    "organization": "CredentialOrganization",
    "learning-program": "LearningProgram",
    "course": "Course",
    "assessment": "AssessmentProfile",
    "competency-framework": "CompetencyFramework",
}
OTHER = ("resources-by-owner", "validate-report")
KINDS = [*FIXED, *BY_TYPE, *OTHER]
RESOURCE_KINDS = list(BY_TYPE)

# A document with a problem, for the page /validate shows after a check.
INVALID_DOCUMENT = json.dumps({
    "@context": "https://credreg.net/ctdl/schema/context/json",
    "@id": "https://credentialengineregistry.org/resources/ce-5f0e3c7a-9a4b-4c1d-8e2f-0a1b2c3d4e5f",
    "@type": "ceterms:Certificate",
    "ceterms:ctid": "ce-5f0e3c7a-9a4b-4c1d-8e2f-0a1b2c3d4e5f",
    "ceterms:name": {"en-US": "A certificate with too little said"},
})


def need(path: Path | str | None, what: str) -> None:
    """Skip when a tool is missing, except under CI=true, where the Makefile should have installed it."""
    if path and Path(path).exists():
        return
    message = f"{what} is missing; `make test` installs it"
    if in_ci():
        pytest.fail(message + " (CI=true: failing instead of skipping)", pytrace=False)
    pytest.skip(message)


# --- the demo server ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(demo_server) -> str:
    """The shared `registry serve --demo` (tests/conftest.py), started as the README starts it: its base URL."""
    return demo_server[0]


def first_resource(base: str, query: str) -> str:
    html = httpx.get(base + "/resources?" + query).text
    m = re.search(r'class="summary-name" href="/resources/(ce-[0-9a-f-]{36})"', html)
    assert m, f"no resource listed at /resources?{query}"
    return m.group(1)


@pytest.fixture(scope="module")
def samples(demo) -> dict[str, str]:
    """Page type -> path on the demo server."""
    out = dict(FIXED)
    for kind, type_name in BY_TYPE.items():
        out[kind] = "/resources/" + first_resource(demo, "type=" + type_name)
    out["resources-by-owner"] = "/resources?owner=" + first_resource(demo, "type=CredentialOrganization")
    out["validate-report"] = "/validate"  # then a document is submitted (see open_page / page_html)
    return out


def expected_status(kind: str) -> int:
    return 404 if kind == "error-404" else 200


# --- pages in the browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    with Browser(chromium_or_skip()) as b:
        yield b


@pytest.fixture(scope="module")
def tab(browser):
    return browser.new_page()


def open_page(tab, demo: str, samples: dict[str, str], kind: str) -> None:
    status = tab.goto(demo + samples[kind])
    assert status == expected_status(kind), (kind, status)
    if kind == "validate-report":
        tab.evaluate(f"document.getElementById('document').value = {json.dumps(INVALID_DOCUMENT)};"
                     "document.querySelector('form.validate-form').submit()")
        assert tab.wait_for_load() == 200
        assert tab.evaluate("!!document.querySelector('.report')")
    if kind == "search-results":
        tab.wait_until("document.querySelectorAll('#search-results li').length > 0")


def axe_violations(tab) -> list[dict]:
    if not tab.evaluate("typeof axe !== 'undefined'"):
        tab.evaluate(AXE.read_text(encoding="utf-8"), await_promise=False)
    script = """axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})
      .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                                  summary: (n.failureSummary || '').slice(0, 400)}))})))""" % json.dumps(WCAG_TAGS)
    return tab.evaluate(script, timeout=120)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for n in v["nodes"][:8]:
            lines.append(f"    at {n['target']}: {n['html']}")
            if n["summary"]:
                lines.append("      " + n["summary"].replace("\n", " | "))
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize("kind", KINDS)
def test_axe_wcag22_aa(kind, demo, samples, tab):
    need(AXE, "axe-core (node_modules/axe-core)")
    open_page(tab, demo, samples, kind)
    shots = os.environ.get("QUALITY_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        tab.screenshot(Path(shots) / f"{kind}.png", full_page=True)
    violations = axe_violations(tab)
    assert not violations, f"axe: {samples[kind]} ({kind}) has WCAG 2.2 AA violations:\n{describe(violations)}"
    # And the page ran without script errors (the 404 page's own status aside).
    errors = [e for e in tab.collect_errors() if not (kind == "error-404" and "status of 404" in e)]
    assert not errors, errors


# --- valid HTML ---------------------------------------------------------------------------------------------


def page_html(demo: str, samples: dict[str, str], kind: str) -> str:
    if kind == "validate-report":
        r = httpx.post(demo + "/validate", data={"document": INVALID_DOCUMENT}, headers=HTML, timeout=60)
    else:
        r = httpx.get(demo + samples[kind], headers=HTML, timeout=60)
    assert r.status_code == expected_status(kind), (kind, r.status_code)
    return r.text


def run_vnu(folder: Path) -> dict[str, list[dict]]:
    """file name -> vnu's error messages."""
    proc = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--stdout", "--exit-zero-always",
                           str(folder)], capture_output=True, text=True, timeout=600)
    report = json.loads(proc.stdout or "{}")
    errors: dict[str, list[dict]] = {}
    for message in report.get("messages", []):
        if message.get("type") in ("error", "non-document-error"):
            errors.setdefault(Path(urlsplit(message.get("url", "")).path).name, []).append(message)
    return errors


@pytest.fixture(scope="module")
def vnu_report(demo, samples, tmp_path_factory):
    need(VNU, "vnu.jar (node_modules/vnu-jar)")
    need(shutil.which("java"), "java (Debian's default-jre-headless)")
    folder = tmp_path_factory.mktemp("vnu")
    for kind in KINDS:
        (folder / f"{kind}.html").write_text(page_html(demo, samples, kind), encoding="utf-8")
    return run_vnu(folder)


@pytest.mark.parametrize("kind", KINDS)
def test_valid_html(kind, vnu_report, samples):
    errors = vnu_report.get(f"{kind}.html", [])
    assert not errors, f"vnu: {samples[kind]} ({kind}) is not valid HTML:\n" + "\n".join(
        f"- line {e.get('lastLine')}: {e.get('message')}  [{(e.get('extract') or '').strip()[:120]}]"
        for e in errors)


def test_search_results_dom_is_valid_html(demo, samples, tab, tmp_path):
    """The DOM search.js builds (results, marks) is valid too, not just the page the server sends."""
    need(VNU, "vnu.jar (node_modules/vnu-jar)")
    need(shutil.which("java"), "java (Debian's default-jre-headless)")
    open_page(tab, demo, samples, "search-results")
    (tmp_path / "search-dom.html").write_text(tab.html(), encoding="utf-8")
    errors = run_vnu(tmp_path).get("search-dom.html", [])
    assert not errors, [e.get("message") for e in errors]


# --- links ----------------------------------------------------------------------------------------------------


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag in ("a", "link") and a.get("href"):
            self.refs.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.refs.append(a["src"])


def refs(html: str) -> _Refs:
    p = _Refs()
    p.feed(html)
    return p


def test_internal_links_resolve(demo, samples):
    host = urlsplit(demo).netloc
    pages = {samples[k] for k in KINDS if k != "validate-report"}
    first = httpx.get(demo + "/resources").text
    m = re.search(r"Page 1 of (\d+)", first)
    pages |= {f"/resources?page={n}" for n in range(1, int(m.group(1)) + 1 if m else 2)}
    targets: dict[str, str] = {}  # url -> a page linking to it
    broken_fragments = []
    with httpx.Client(timeout=60, headers=HTML) as client:
        for path in sorted(pages):
            url = demo + path
            r = client.get(url)
            assert r.status_code in (200, 404), (path, r.status_code)
            parsed = refs(r.text)
            for ref in parsed.refs:
                absolute = urljoin(url, ref)
                parts = urlsplit(absolute)
                if parts.scheme not in ("http", "https") or parts.netloc != host:
                    continue
                if ref.startswith("#"):
                    if parts.fragment and parts.fragment not in parsed.ids:
                        broken_fragments.append((path, ref))
                    continue
                targets.setdefault(urlunsplit(parts._replace(fragment="")), path)

        def status(url: str) -> tuple[str, int]:
            return url, client.get(url).status_code

        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(status, sorted(targets)))
    bad = [(url.removeprefix(demo), code, "linked from " + targets[url]) for url, code in results
           if code not in (200, 410)]
    assert len(targets) > 250, len(targets)  # every resource page, and more, was reached
    assert not bad, bad
    assert not broken_fragments, broken_fragments


# --- the embedded JSON-LD -------------------------------------------------------------------------------------


class _JsonLd(HTMLParser):
    def __init__(self):
        super().__init__()
        self.blocks: list[str] = []
        self.alternates: dict[str, str] = {}
        self._in = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in = True
            self.blocks.append("")
        elif tag == "link" and a.get("rel") == "alternate" and a.get("type"):
            self.alternates[a["type"]] = a["href"]

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.blocks[-1] += data


def canonical(quads) -> set:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


@pytest.mark.parametrize("kind", RESOURCE_KINDS)
def test_embedded_jsonld_round_trips(kind, demo, samples):
    url = demo + samples[kind]
    page = _JsonLd()
    page.feed(httpx.get(url, headers=HTML).text)
    docs = [json.loads(block) for block in page.blocks]  # plain JSON, escapes and all
    # The CTDL description (beside it there may be others, e.g. a schema.org summary for search engines).
    ctdl = [block for block, doc in zip(page.blocks, docs)
            if isinstance(doc, dict) and "ceterms" in json.dumps(doc.get("@context", ""))]
    assert len(ctdl) == 1, f"one CTDL JSON-LD block per resource page, found {len(ctdl)} of {len(docs)}"
    embedded = list(ox.parse(ctdl[0], format=ox.RdfFormat.JSON_LD, base_iri=url))
    alternate = httpx.get(urljoin(url, page.alternates["application/ld+json"]))
    assert alternate.status_code == 200
    published = list(ox.parse(alternate.content, format=ox.RdfFormat.JSON_LD, base_iri=url))
    ctid = samples[kind].rsplit("/", 1)[-1]
    assert any(q.object == ox.Literal(ctid) for q in embedded), "the page's data names its CTID"
    assert len(embedded) > 5
    assert canonical(embedded) == canonical(published), "the embedded JSON-LD differs from the .jsonld alternate"
    turtle = httpx.get(urljoin(url, page.alternates["text/turtle"]))
    triples = list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE, base_iri=url))
    as_default = [ox.Quad(q.subject, q.predicate, q.object) for q in embedded]
    assert canonical(as_default) == canonical(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
