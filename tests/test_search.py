"""Browse by organization and state, and client-side search: the live routes, the index, the static build,
and search.js itself in headless Chromium over a static build (docs/search.md)."""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest

from registry.ingest.parse import parse
from registry.sitegen import PAGE_SIZE, Site

from .browser import Browser, chromium_or_skip
from .conftest import credential, new_ctid, organization

ORG_A = "ce-aaaaaaaa-0000-4000-8000-000000000001"
ORG_B = "ce-bbbbbbbb-0000-4000-8000-000000000002"


def iri(ctid: str) -> str:
    return f"https://credentialengineregistry.org/resources/{ctid}"


def place(region: str) -> dict:
    return {"@type": "ceterms:Place", "ceterms:addressLocality": {"en-US": "Somewhere"},
            "ceterms:addressRegion": {"en-US": region}}


def publish(registry, *docs: dict) -> None:
    parsed = [d for doc in docs for d in parse(json.dumps(doc).encode("utf-8"), "application/ld+json")]
    outcomes = registry.loader.publish(parsed, publisher="test")
    assert all(o.accepted for o in outcomes), [o.message for o in outcomes if not o.accepted]


def cred(name: str, org: str, region: str | None = None, offered_by: str | None = None,
         keywords: list[str] | None = None, description: str = "A credential.", type_: str = "ceterms:Certificate",
         ctid: str | None = None) -> dict:
    extra: dict = {"ceterms:name": {"en-US": name}, "ceterms:description": {"en-US": description},
                   "@type": type_}
    if region:
        extra["ceterms:availableAt"] = [place(region)]
    if offered_by:
        extra["ceterms:offeredBy"] = [iri(offered_by)]
    if keywords:
        extra["ceterms:keyword"] = {"en-US": keywords}
    return credential(ctid=ctid, org_ctid=org, **extra)


@pytest.fixture
def populated(registry):
    """Two organizations and a few credentials in Michigan and New Mexico."""
    org_a = organization(ORG_A, name="Lakeshore Community College")
    org_a["ceterms:address"] = [place("Michigan")]
    org_b = organization(ORG_B, name="Mesa Technical Institute")
    publish(registry, org_a, org_b)
    publish(registry,
            cred("Certificate in Medical Coding", ORG_A, "Michigan", keywords=["billing", "ICD-10"],
                 description="Prepares students to assign diagnosis and procedure codes."),
            cred("Welding Fundamentals Certificate", ORG_A, "Michigan", offered_by=ORG_B,
                 description="Shielded metal arc welding for beginners.", keywords=["SMAW"]),
            cred("Nursing Assistant Certificate", ORG_B, "New Mexico", type_="ceterms:Certification",
                 description="Basic patient care; mentions medical terminology."),
            cred("Bachelor of Science in Nursing", ORG_B, "New Mexico", type_="ceterms:BachelorDegree",
                 description="A four-year degree for registered nurses."))
    return registry


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts: list[dict] = []
        self.h1 = ""
        self._in_h1 = False
        self.ids: set[str] = set()
        self.labels: set[str] = set()
        self.inputs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        elif tag == "script":
            self.scripts.append(a)
        elif tag == "h1":
            self._in_h1 = True
        elif tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        elif tag in ("input", "select"):
            self.inputs.append(a)

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def parsed(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


# --- browse pages ------------------------------------------------------------------------------


def test_organizations_page_counts_and_links(client, populated):
    r = client.get("/organizations")
    assert r.status_code == 200
    page = parsed(r.text)
    assert page.h1 == "Organizations"
    assert f"/resources?owner={ORG_A}" in page.hrefs and f"/resources?owner={ORG_B}" in page.hrefs
    assert f"/resources/{ORG_A}" in page.hrefs  # the organization's own page
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r.text))
    # A owns two credentials; B owns two and offers one of A's: three in all.
    assert re.search(r"Lakeshore Community College .*? Michigan 2 resources of Lakeshore Community College "
                     r"owns 2, offers 0", text), text
    assert re.search(r"Mesa Technical Institute .*? 3 resources of Mesa Technical Institute owns 2, offers 1", text)


def test_states_page(client, populated):
    r = client.get("/states")
    assert r.status_code == 200
    page = parsed(r.text)
    assert "/resources?state=Michigan" in page.hrefs and "/resources?state=New%20Mexico" in page.hrefs
    # Michigan: the organization itself and its two credentials.
    assert re.search(r'state=Michigan">Michigan</a> <span class="count">3<', r.text)
    assert re.search(r'state=New%20Mexico">New Mexico</a> <span class="count">2<', r.text)


def test_resources_filtered_by_owner_state_and_type(client, populated):
    r = client.get("/resources", params={"owner": ORG_B})
    assert r.status_code == 200
    assert parsed(r.text).h1 == "3 resources owned or offered by Mesa Technical Institute"
    assert "Welding Fundamentals" in r.text and "Medical Coding" not in r.text

    r = client.get("/resources", params={"state": "New Mexico"})
    assert parsed(r.text).h1 == "2 resources in New Mexico"
    assert "Nursing Assistant" in r.text and "Welding" not in r.text

    # All three filters at once.
    r = client.get("/resources", params={"owner": ORG_B, "state": "New Mexico", "type": "Degree"})
    assert r.status_code == 200
    assert parsed(r.text).h1 == "1 Degree resource owned or offered by Mesa Technical Institute in New Mexico"
    assert "Bachelor of Science in Nursing" in r.text and "Nursing Assistant" not in r.text

    r = client.get("/resources", params={"owner": iri(ORG_A)})  # an IRI works as well as a CTID
    assert parsed(r.text).h1 == "2 resources owned or offered by Lakeshore Community College"


def test_unknown_owner_or_state_is_404(client, populated):
    for params in ({"state": "Atlantis"}, {"owner": new_ctid()}, {"owner": "not an organization"}):
        r = client.get("/resources", params=params)
        assert r.status_code == 404, params
        assert "Not found" in r.text


def test_filtered_pagination_keeps_the_filters(client, registry):
    publish(registry, organization(ORG_A))
    publish(registry, *[cred(f"Certificate {i:03}", ORG_A, "Utah") for i in range(PAGE_SIZE + 3)])
    r = client.get("/resources", params={"state": "Utah"})
    assert parsed(r.text).h1 == f"{PAGE_SIZE + 3} resources in Utah"
    assert 'href="?state=Utah&amp;page=2"' in r.text
    second = client.get("/resources", params={"state": "Utah", "page": 2})
    assert "Certificate 052" in second.text and "Certificate 000" not in second.text
    r = client.get("/resources", params={"owner": ORG_A, "type": "Certificate"})
    assert f'href="?type=Certificate&amp;owner={ORG_A}&amp;page=2"' in r.text


# --- the search page and its index ---------------------------------------------------------------


def test_search_page_is_a_labelled_form_without_inline_script(client, populated):
    r = client.get("/search")
    assert r.status_code == 200
    page = parsed(r.text)
    assert "search-q" in page.labels and "search-type" in page.labels
    assert any(i.get("type") == "search" and i.get("id") == "search-q" for i in page.inputs)
    assert 'data-index="/search-index.json"' in r.text and 'data-resources="/resources/"' in r.text
    assert page.scripts == [{"src": "/static/search.js", "defer": None}]
    assert 'role="status"' in r.text and "<noscript>" in r.text
    assert "<option value=\"Certificate\">Certificate</option>" in r.text
    assert client.get("/static/search.js").status_code == 200


def test_search_index_entries(client, populated, registry):
    r = client.get("/search-index.json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    data = r.json()
    entries = {e["name"]: e for e in data["resources"]}
    assert data["count"] == len(data["resources"]) == 6
    coding = entries["Certificate in Medical Coding"]
    assert coding["type"] == "Certificate" and coding["owner"] == "Lakeshore Community College"
    assert coding["description"].startswith("Prepares students")
    assert sorted(coding["keywords"]) == ["ICD-10", "billing"]
    assert set(coding) == {"ctid", "name", "type", "owner", "description", "keywords"}
    # Every owner, offerer or publisher with a page here is named.
    assert entries["Welding Fundamentals Certificate"]["owner"] == \
        "Lakeshore Community College, Mesa Technical Institute"

    assert r.headers["content-encoding"] == "gzip" and "Accept-Encoding" in r.headers["vary"]
    plain = client.get("/search-index.json", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.json() == data
    etag = r.headers["etag"]
    assert client.get("/search-index.json", headers={"If-None-Match": etag}).status_code == 304

    # Deleting a resource changes the index (cached per journal version).
    outcome = registry.loader.delete(coding["ctid"], publisher="test")
    assert outcome.status == "deleted", outcome.message
    r = client.get("/search-index.json", headers={"If-None-Match": etag})
    assert r.status_code == 200 and r.json()["count"] == 5


def test_search_index_written_as_it_is_made_is_the_served_one(populated, tmp_path, monkeypatch):
    """A full build streams the index to its file (batches of resources, keywords per batch): the same
    bytes as the live route's, in name order."""
    site = Site(populated)
    served = site.search_index_json()
    defaults = Site._search_entries.__defaults__
    monkeypatch.setattr(Site._search_entries, "__defaults__", (2,))  # 6 resources: three batches
    assert site.write_search_index(tmp_path / "search-index.json") == 6
    monkeypatch.setattr(Site._search_entries, "__defaults__", defaults)
    assert (tmp_path / "search-index.json").read_bytes() == served
    data = json.loads(served)
    names = [e["name"] for e in data["resources"]]
    assert names == sorted(names, key=str.lower) and data["count"] == 6
    by_name = {e["name"]: e for e in data["resources"]}
    assert sorted(by_name["Certificate in Medical Coding"]["keywords"]) == ["ICD-10", "billing"]
    assert by_name["Welding Fundamentals Certificate"]["keywords"] == ["SMAW"]


def test_search_index_description_is_a_snippet(client, registry):
    publish(registry, organization(ORG_A), cred("Long one", ORG_A, description="word " * 200))
    entry = next(e for e in client.get("/search-index.json").json()["resources"] if e["name"] == "Long one")
    assert len(entry["description"]) <= 241 and entry["description"].endswith("…")


# --- the static build --------------------------------------------------------------------------


@pytest.fixture
def static_site(populated, tmp_path):
    out = tmp_path / "site"
    Site(populated).build(out)  # build() writes the browse and search pages too (Site.build_browse)
    return out


def static_target(out, href: str):
    path = unquote(urlsplit(href).path)
    target = out / path.lstrip("/")
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def test_static_build_has_search_and_browse_pages(static_site):
    out = static_site
    for name in ("search/index.html", "search-index.json", "static/search.js", "organizations/index.html",
                 "states/index.html", f"organizations/{ORG_B}/index.html", "states/new-mexico/index.html"):
        assert (out / name).is_file(), name
    assert json.loads((out / "search-index.json").read_text())["count"] == 6
    assert "3 resources owned or offered by Mesa Technical Institute" in \
        (out / "organizations" / ORG_B / "index.html").read_text()
    # Every link of the static browse pages points at a file of the build (no ?query a static host ignores).
    for page in ("organizations/index.html", "states/index.html", "search/index.html",
                 f"organizations/{ORG_B}/index.html", "states/michigan/index.html"):
        for href in parsed((out / page).read_text()).hrefs:
            if href.startswith("/") and not href.startswith(("/docs", "/sparql", "/validate")):
                assert "?" not in href, (page, href)
                assert static_target(out, href).exists(), (page, href)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def static_server(static_site):
    handler = functools.partial(_Quiet, directory=str(static_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def browser():
    with Browser(chromium_or_skip()) as b:
        yield b


def results(page) -> list[str]:
    return page.evaluate("Array.from(document.querySelectorAll('#search-results li .summary-name'))"
                         ".map(a => a.textContent)")


def status_after(page, query: str, type_: str = "") -> str:
    """Type a query the way a person does (input events), wait for the status to describe it."""
    page.evaluate(f"""(() => {{
        const q = document.getElementById('search-q'), t = document.getElementById('search-type');
        t.value = {json.dumps(type_)}; q.value = {json.dumps(query)};
        q.dispatchEvent(new Event('input', {{bubbles: true}}));
    }})()""")
    expected = json.dumps(f"“{query.strip()}”")
    return page.wait_until(f"(() => {{ const s = document.getElementById('search-status').textContent;"
                           f" return s.includes({expected}) && s; }})()")


def test_search_js_on_the_static_build(browser, static_server):
    page = browser.new_page()
    assert page.goto(static_server + "/search/") == 200
    assert page.evaluate("document.getElementById('search-form').dataset.ready") == "true"

    # Prefix matching over names: "nurs" finds nursing; the name hits rank above the description hit.
    assert status_after(page, "nurs") == "2 resources match “nurs”."
    assert sorted(results(page)) == ["Bachelor of Science in Nursing", "Nursing Assistant Certificate"]
    assert page.evaluate("location.search") == "?q=nurs"

    # Name beats description: "medical" is in one name and in another's description.
    status_after(page, "medical")
    assert results(page) == ["Certificate in Medical Coding", "Nursing Assistant Certificate"]
    assert page.evaluate("document.querySelector('#search-results mark').textContent") == "Medical"

    # Keywords, owner names and every word (AND) count; accents and case are folded.
    status_after(page, "icd")
    assert results(page) == ["Certificate in Medical Coding"]
    status_after(page, "MESA wéld")
    assert results(page) == ["Welding Fundamentals Certificate"]
    assert status_after(page, "welding nursing") == "No resources match “welding nursing”."

    # The type filter.
    assert status_after(page, "nurs", "Certification") == \
        "1 resource matches “nurs” among Certification resources."
    assert results(page) == ["Nursing Assistant Certificate"]

    # Results link to the resource pages of the build.
    href = page.evaluate("document.querySelector('#search-results a').getAttribute('href')")
    assert re.fullmatch(r"/resources/ce-[0-9a-f-]{36}", href)
    assert [e for e in page.collect_errors() if "favicon.ico" not in e] == []


def test_search_js_runs_a_linked_query_and_never_injects_markup(browser, registry, tmp_path):
    publish(registry, organization(ORG_A),
            cred('<img src=x onerror="document.title=\'pwned\'"> Evil', ORG_A, description="<b>bold</b>"))
    out = tmp_path / "site"
    Site(registry).build(out)
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q=evil")
        page.wait_until("document.getElementById('search-status').textContent.includes('1 resource')")
        assert page.evaluate("document.querySelectorAll('#search-results img, #search-results b').length") == 0
        assert page.evaluate("document.querySelector('#search-results .summary').textContent") == "<b>bold</b>"
        assert page.evaluate("document.title") != "pwned"
        assert page.evaluate("document.getElementById('search-q').value") == "evil"
    finally:
        server.shutdown()
        server.server_close()
