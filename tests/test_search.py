"""Browse by organization and state, and client-side search: the live routes, the index, the static build,
and search.js itself in headless Chromium over a static build (docs/search.md)."""

from __future__ import annotations

import contextlib
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
    # a deleted resource counts no more
    welding = next(r for r in populated.journal.resources() if r.name.startswith("Welding"))
    assert populated.loader.delete(welding.ctid).status == "deleted"
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get("/organizations").text))
    assert re.search(r"Lakeshore Community College .*? 1 resources? of Lakeshore Community College owns 1, offers 0", text)
    assert re.search(r"Mesa Technical Institute .*? 2 resources of Mesa Technical Institute owns 2, offers 0", text)


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


def served_index(client) -> tuple[dict, list[dict], dict[str, dict]]:
    """The live site's sharded index, read back: (manifest, entries in doc order, postings by term as
    {doc: [codes]})."""
    r = client.get("/search-index.json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    manifest = r.json()
    assert manifest["version"] == 2 and manifest["base"].startswith("search-index/")
    base = "/" + manifest["base"]
    entries: list[dict] = []
    for n in range(-(-manifest["count"] // manifest["chunk"])):
        for ctid, name, type_number, owner, description in client.get(f"{base}docs/{n}.json").json():
            entries.append({"ctid": ctid, "name": name, "type": manifest["types"][type_number], "owner": owner,
                            "description": description})
    postings: dict[str, dict] = {}
    for key in manifest["terms"]:
        for term, flat in client.get(f"{base}terms/{key.encode().hex()}.json").json():
            doc, found = -1, {}
            for delta, code in zip(flat[::2], flat[1::2]):
                doc += delta
                found.setdefault(doc, []).append(code)
            postings[term] = found
    return manifest, entries, postings


def test_search_index_entries(client, populated, registry):
    manifest, docs, postings = served_index(client)
    entries = {e["name"]: e for e in docs}
    assert manifest["count"] == len(docs) == 6
    coding = entries["Certificate in Medical Coding"]
    number = docs.index(coding)
    assert coding["type"] == "Certificate" and coding["owner"] == "Lakeshore Community College"
    assert coding["description"].startswith("Prepares students")
    # Keywords are searched (weight 6: code 2) but not shown.
    assert postings["icd"][number] == [2] and postings["billing"][number] == [2]
    assert postings["medical"][number] == [3 + 2]  # the name's third word
    # Every owner, offerer or publisher with a page here is named.
    assert entries["Welding Fundamentals Certificate"]["owner"] == \
        "Lakeshore Community College, Mesa Technical Institute"

    r = client.get("/search-index.json")
    assert r.headers["content-encoding"] == "gzip" and "Accept-Encoding" in r.headers["vary"]
    assert r.headers["cache-control"] == "no-cache"
    plain = client.get("/search-index.json", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.json() == manifest
    etag = r.headers["etag"]
    assert client.get("/search-index.json", headers={"If-None-Match": etag}).status_code == 304

    # Shards: named by the version, cached for good, revalidated and gzipped the same way.
    shard = "/" + manifest["base"] + "terms/" + "me".encode().hex() + ".json"
    r = client.get(shard)
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert "immutable" in r.headers["cache-control"] and "max-age=31536000" in r.headers["cache-control"]
    assert client.get(shard, headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    plain = client.get(shard, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.json() == r.json()
    assert client.get("/search-index/0123456789abcdef/types.json").status_code == 404  # another version
    assert client.get("/" + manifest["base"] + "terms/zz.json").status_code == 404

    # Deleting a resource changes the index (cached per journal version); the old shards are gone.
    outcome = registry.loader.delete(coding["ctid"], publisher="test")
    assert outcome.status == "deleted", outcome.message
    r = client.get("/search-index.json", headers={"If-None-Match": etag})
    assert r.status_code == 200 and r.json()["count"] == 5
    assert client.get(shard).status_code == 404


def test_search_index_written_as_it_is_made_is_the_served_one(populated, tmp_path, monkeypatch):
    """A full build streams the index to its files (batches of resources, keywords per batch): the same
    files as the live route's, in name order."""
    site = Site(populated)
    served = site.search_index()
    defaults = Site._search_entries.__defaults__
    monkeypatch.setattr(Site._search_entries, "__defaults__", (2,))  # 6 resources: three batches
    assert site.write_search_index(tmp_path / "search-index.json") == 6
    monkeypatch.setattr(Site._search_entries, "__defaults__", defaults)
    assert (tmp_path / "search-index.json").read_bytes() == served.manifest
    folder = tmp_path / "search-index" / served.version
    written = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert written == served.files
    assert [p.name for p in (tmp_path / "search-index").iterdir()] == [served.version]
    names = [e[1] for e in site._search_entries()]
    assert names == sorted(names, key=str.lower)
    keywords = {e[1]: e[5] for e in site._search_entries()}
    assert sorted(keywords["Certificate in Medical Coding"]) == ["ICD-10", "billing"]
    assert keywords["Welding Fundamentals Certificate"] == ["SMAW"]


def test_keywords_are_the_same_whatever_order_they_come_in():
    """A page's graph and the store give keywords in different orders: the index keeps the same 40."""
    from registry.search_index import keyword_list

    texts = [f"Keyword {n:02d}" for n in range(50)] + ["keyword 07", "  ", "Spaced   out"]
    kept = keyword_list(texts)
    assert kept == keyword_list(reversed(texts)) and len(kept) == 40
    assert "Spaced out" not in kept and kept.count("Keyword 07") + kept.count("keyword 07") == 1
    assert keyword_list(["b", "A", "a"]) == ["A", "b"]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_full_build_indexes_the_keywords_its_render_workers_read(populated, tmp_path, monkeypatch, workers):
    """The full build's render workers hand back each page's keywords (from the graph they parse anyway):
    its index is the live route's, which asks the store. With one worker (everything in this process)
    the store is asked for no keywords; with two, the index is made in a forked worker whose store
    (in-process here) is None: asking it would fail, and the index would be missing."""
    served = Site(populated).search_index()
    asked = []
    solutions = populated.store.solutions
    monkeypatch.setattr(populated.store, "solutions", lambda query, *a, **k: asked.append(query) or solutions(query, *a, **k))
    Site(populated).build(tmp_path / "site", workers=workers)
    assert (tmp_path / "site" / "search-index.json").read_bytes() == served.manifest
    assert not [q for q in asked if "keyword" in q]  # (with two workers, not asked here either)
    monkeypatch.undo()  # a resource the workers did not see (published since) is asked for
    site = Site(populated)
    from registry.sitegen import BuildIndex

    index = BuildIndex(populated)
    index.keywords = {e[0]: "\n".join(e[5]) for e in site._search_entries()
                      if e[1] != "Welding Fundamentals Certificate"}
    index.install(site)
    try:
        keywords = {e[1]: e[5] for e in site._search_entries()}
    finally:
        BuildIndex.remove(site)
        index.close()
    assert keywords["Welding Fundamentals Certificate"] == ["SMAW"]
    assert sorted(keywords["Certificate in Medical Coding"]) == ["ICD-10", "billing"]


def test_a_slow_index_is_served_while_the_next_is_made(populated, monkeypatch):
    """When making the index took long (100,000 resources: ~20 s), a change does not make searchers
    wait: the previous index answers until a background thread has made the next; if that fails,
    the previous one stays. ``fresh`` waits for the current version."""
    import time

    site = Site(populated)
    monkeypatch.setattr(Site, "SEARCH_INDEX_STALE_AFTER", -1.0)  # every index counts as slow to make
    first = site.search_index()
    assert json.loads(first.manifest)["count"] == 6
    publish(populated, cred("Brand new", ORG_A))
    assert site.search_index() is first  # at once, the previous one
    for _ in range(200):
        if json.loads(site.search_index().manifest)["count"] == 7:
            break
        time.sleep(0.05)
    assert json.loads(site.search_index().manifest)["count"] == 7
    second = site.search_index()

    def broken(self, batch=5000):
        raise RuntimeError("the store is gone")
        yield

    monkeypatch.setattr(Site, "_search_entries", broken)
    publish(populated, cred("Another", ORG_A))
    assert site.search_index() is second
    for _ in range(100):
        if not site._search_state["making"]:
            break
        time.sleep(0.05)
    assert site.search_index() is second and not site._search_state["making"]
    with pytest.raises(RuntimeError):
        site.search_index(fresh=True)


def test_search_index_description_is_a_snippet(client, registry):
    publish(registry, organization(ORG_A), cred("Long one", ORG_A, description="word " * 200))
    entry = next(e for e in served_index(client)[1] if e["name"] == "Long one")
    assert len(entry["description"]) <= 241 and entry["description"].endswith("…")


# --- the static build --------------------------------------------------------------------------


@pytest.fixture
def static_site(populated, tmp_path):
    out = tmp_path / "site"
    Site(populated).build(out)  # build() writes the browse and search pages too
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
    manifest = json.loads((out / "search-index.json").read_text())
    assert manifest["count"] == 6 and (out / manifest["base"] / "types.json").is_file()
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


@contextlib.contextmanager
def serve_static(directory, handler_class=None):
    """A real HTTP server on 127.0.0.1 for a static build (as a plain static host serves it): its base URL."""
    handler = functools.partial(handler_class or _Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def static_server(static_site):
    with serve_static(static_site) as base:
        yield base


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
    with serve_static(out) as base:
        page = browser.new_page()
        page.goto(f"{base}/search/?q=evil")
        page.wait_until("document.getElementById('search-status').textContent.includes('1 resource')")
        assert page.evaluate("document.querySelectorAll('#search-results img, #search-results b').length") == 0
        assert page.evaluate("document.querySelector('#search-results .summary').textContent") == "<b>bold</b>"
        assert page.evaluate("document.title") != "pwned"
        assert page.evaluate("document.getElementById('search-q').value") == "evil"


# --- the sharded index: contents, files, what a query fetches, ranking ----------------------------

TRICKY = ["Crème Brûlée", "Straße STRASSE", "ＡＢＣ１２３ full width", "ﬁre ﬂy", "½ and x² and Ⅻ",
          "C++/C# & .NET", "北京大学 computer 科学", "İstanbul Iİ ı", "ÅNGSTRÖM Ærø Øre", "snake_case-kebab",
          "हिन्दी भाषा", "Ελληνικά ΟΔΟΣ", "Привет, Мир!", "tab\there\nnew line", "émoji 😀 ok", "𝐁𝐨𝐥𝐝 𝔉𝔯𝔞𝔨",
          "«quotes» “curly” ‘single’", "1,000.50 $5 10%", "Ǆemal ǅ ǆ", "ﬀ ﬃ Ⅸ ⑫ ㈱", "e\u0301 vs é", "",
          "   ", "ℌello ℕumbers ①②"]


def test_fold_and_words_follow_the_spec():
    from registry.search_index import fold, words

    assert words("Crème Brûlée") == ["creme", "brulee"]
    assert words("Straße") == ["straße"]  # NFKD and lower case keep ß (search.js does the same)
    assert words("ＡＢＣ１２３") == ["abc123"] and words("ﬁre") == ["fire"]
    assert words("C++/C# & .NET, ICD-10") == ["c", "c", "net", "icd", "10"]
    assert words("北京大学 computer") == ["北京大学", "computer"]
    assert words("snake_case") == ["snake", "case"]  # "_" is not a letter
    assert words("İstanbul") == ["istanbul"] and fold("e\u0301") == fold("é") == "e"
    assert words("½") == ["1", "2"]  # NFKD: 1 FRACTION SLASH 2


def test_fold_is_its_plain_definition_over_unicode():
    """``fold`` skips work (ASCII, or ASCII after NFKD; a table of marks filled as met): the same as
    NFKD, every code point of category M removed, lower case, for every code point and a few texts."""
    import unicodedata

    from registry.search_index import fold

    def plain(text: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c)[0] != "M").lower()

    texts = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000] + TRICKY + [
        "A description cut short…", "Crème Brûlée…", "ἄλφα e\u0301\u0327 Ǆ ﬁ ｈｅｌｌｏ"]
    assert [t for t in texts if fold(t) != plain(t)] == []


def test_python_word_characters_are_unicode_letters_and_digits():
    """search_index cuts words with Python's [^\\W_] (fast), search.js with [\\p{L}\\p{N}]: the same
    characters, checked over all of Unicode for this Python's database."""
    import unicodedata

    word = re.compile(r"[^\W_]")
    differ = [hex(c) for c in range(0x110000)
              if (word.match(chr(c)) is not None) != (unicodedata.category(chr(c))[0] in "LN")]
    assert differ == []


def test_the_builders_terms_are_the_words():
    """The builder cuts ASCII text (and text that is ASCII but for a closing "…") its own faster way:
    the same words, as UTF-8."""
    from registry.search_index import _terms, words

    texts = TRICKY + ["…", "abc…", "a…b…", "café…", "a…\u0301", "x…ΣΑΣ", "plain text, with words; 10%.…"]
    for c in range(0x80):  # every ASCII character, alone, between words and before "…"
        texts += [chr(c), f"ab{chr(c)}Cd", f"ab{chr(c)}Cd…", f"{chr(c)}…"]
    assert [t for t in texts if _terms(t) != [w.encode("utf-8") for w in words(t)]] == []


def _plain_postings(entries) -> dict[str, list[int]]:
    """The postings as docs/search.md defines them, without shortcuts: term -> [doc, code, …]."""
    from registry.search_index import words

    out: dict[str, list[int]] = {}
    for doc, (_ctid, name, type_label, owner, description, keywords) in enumerate(entries):
        best: dict[str, int] = {}
        for code, text in ((0, description), (1, type_label), (1, owner), (2, " ".join(keywords))):
            for term in words(text):
                best[term] = max(best.get(term, -1), code)
        name_words = words(name)
        for p, term in enumerate(name_words):
            out.setdefault(term, []).extend((doc, 3 + p))
        for term, code in best.items():
            if term not in name_words:
                out.setdefault(term, []).extend((doc, code))
    return {term: flat for term, flat in sorted(out.items())}


def test_builder_postings_are_the_plain_ones():
    """Codes are the best field's; a name word has only its positions (every one, when it repeats)."""
    from registry.search_index import Builder

    entries = [
        ("c0", "Nurse Aide", "Certificate", "Lakeshore College", "A nurse aide course…", ["Nursing", "aide"]),
        ("c1", "Nurse of the nurses of Nurse", "Certificate", "", "Nurse nurse", ["Nurse"]),
        ("c2", "Crème Brûlée", "Course", "Lakeshore College", "Pastry: crème brûlée…", []),
        ("c3", "", "", "", "", []),
        ("c4", "Welding", "Course", "Mesa Tech, Lakeshore College", "ΣΑΣ welding…", ["Welding", "SMAW"]),
        ("c5", "Nurse Aide", "Certificate", "Lakeshore College", "Again", []),
    ]
    files: dict[str, bytes] = {}
    builder = Builder(files.__setitem__, chunk=2, shard_limit=40)
    for entry in entries:
        builder.add(*entry)
    _, manifest = builder.finish()
    postings = {}
    for key in json.loads(manifest)["terms"]:
        for term, flat in json.loads(files[f"terms/{key.encode().hex()}.json"]):
            doc = -1
            for i in range(0, len(flat), 2):
                doc = flat[i] = doc + flat[i]
            postings[term] = flat
    assert dict(sorted(postings.items())) == _plain_postings(entries)
    assert postings["nurse"] == [0, 3, 1, 3, 1, 8, 5, 3] and postings["nurses"] == [1, 6]
    assert postings["lakeshore"] == [0, 1, 2, 1, 4, 1, 5, 1] and postings["welding"] == [4, 3]


def test_fold_and_words_agree_with_search_js(browser, static_server):
    """The index is cut into words by Python and queries by search.js: both must cut alike."""
    from registry.search_index import fold, words

    page = browser.new_page()
    page.goto(static_server + "/search/")
    got = page.evaluate(f"{json.dumps(TRICKY)}.map(s => [registrySearch.fold(s), registrySearch.words(s)])")
    assert got == [[fold(s), words(s)] for s in TRICKY]


def test_shards_agree_with_the_journal(populated):
    """Every live resource is one doc, in name order; each word of each field is in its postings with
    the best field's code, name words with their positions."""
    from registry.search_index import words

    site = Site(populated)
    index = site.search_index()
    manifest = json.loads(index.manifest)
    docs = [d for n in range(-(-manifest["count"] // manifest["chunk"]))
            for d in json.loads(index.files[f"docs/{n}.json"])]
    live = populated.journal.resources(limit=1000)
    assert sorted(d[0] for d in docs) == sorted(r.ctid for r in live) and manifest["count"] == len(live)
    assert [d[1].lower() for d in docs] == sorted(d[1].lower() for d in docs)
    postings: dict[str, dict[int, list[int]]] = {}
    for key, size in manifest["terms"].items():
        data = index.files[f"terms/{key.encode().hex()}.json"]
        assert len(data) == size
        for term, flat in json.loads(data):
            assert key == max((k for k in manifest["terms"] if term.startswith(k)), key=len)
            doc, found = -1, {}
            for delta, code in zip(flat[::2], flat[1::2]):
                assert delta > 0 or (delta == 0 and code >= 3)  # 0: another name position of the same doc
                doc += delta
                found.setdefault(doc, []).append(code)
            postings[term] = found
    codes = json.loads(index.files["types.json"])
    assert len(codes) == len(docs) * manifest["typeWidth"]
    entries = list(site._search_entries())
    for n, (ctid, name, type_label, owner, description, keywords) in enumerate(entries):
        assert docs[n] == [ctid, name, manifest["types"].index(type_label), owner, description]
        assert manifest["types"][manifest["typeAlphabet"].index(codes[n])] == type_label
        name_words = words(name)
        for p, term in enumerate(name_words):
            assert 3 + p in postings[term][n]
        for code, text in ((2, " ".join(keywords)), (1, type_label + " " + owner), (0, description)):
            for term in set(words(text)) - set(name_words):
                assert max(postings[term][n]) >= code, (term, n)
    assert sum(len(found) for found in postings.values()) == sum(
        len(set(words(" ".join([e[1], e[2], e[3], e[4], *e[5]])))) for e in entries)


def test_static_index_files_and_stale_shards(populated, tmp_path):
    out = tmp_path / "site"
    Site(populated).build(out)
    manifest = json.loads((out / "search-index.json").read_text())
    folder = out / manifest["base"]
    assert [p.name for p in (out / "search-index").iterdir()] == [folder.name]
    named = {f"terms/{key.encode().hex()}.json" for key in manifest["terms"]} | {"types.json"} | {
        f"docs/{n}.json" for n in range(-(-manifest["count"] // manifest["chunk"]))}
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert on_disk == named  # the manifest names every file, and only files that exist
    assert all(re.fullmatch(r"[0-9a-f]+\.json", p.name) for p in (folder / "terms").iterdir())

    # A rebuild after a change: a new version folder, the old one and anything stray gone.
    (out / "search-index" / "0000000000000000" / "terms").mkdir(parents=True)
    (out / "search-index" / "0000000000000000" / "terms" / "6e75.json").write_text("[]")
    publish(populated, cred("Plumbing Certificate", ORG_A, "Michigan"))
    Site(populated).build(out)
    again = json.loads((out / "search-index.json").read_text())
    assert again["count"] == 7 and again["base"] != manifest["base"]
    assert [p.name for p in (out / "search-index").iterdir()] == [again["base"].split("/")[1]]


class _Logged(_Quiet):
    requests: list[str] = []

    def do_GET(self):
        type(self).requests.append(urlsplit(self.path).path)
        super().do_GET()


def test_a_query_fetches_only_the_shards_it_needs(browser, static_site):
    _Logged.requests = []
    manifest = json.loads((static_site / "search-index.json").read_text())
    base = "/" + manifest["base"]
    with serve_static(static_site, _Logged) as url:
        page = browser.new_page()
        page.goto(f"{url}/search/?q=nurs")
        page.wait_until("document.getElementById('search-status').textContent.includes('2 resources')")
        fetched = [p for p in _Logged.requests if "search-index" in p]
        # The manifest, the shard of "nu", and the one chunk of docs holding the results (6 docs).
        assert fetched == ["/search-index.json", f"{base}terms/{'nu'.encode().hex()}.json", f"{base}docs/0.json"]

        # One letter: every shard whose key starts with it; a type: the type codes. Nothing twice.
        _Logged.requests.clear()
        assert status_after(page, "c", "Certificate") == "2 resources match “c” among Certificate resources."
        fetched = sorted(p for p in _Logged.requests if "search-index" in p)
        expected = sorted(f"{base}terms/{k.encode().hex()}.json" for k in manifest["terms"]
                          if k.startswith("c")) + [f"{base}types.json"]
        assert fetched == sorted(expected) and len(expected) > 2
        assert page.evaluate("registrySearch.keysFor('me')") == ["me"]
        assert page.evaluate("registrySearch.keysFor('zq')") == []
        assert page.evaluate("registrySearch.keysFor('m')") == sorted(k for k in manifest["terms"] if k[0] == "m")
        _Logged.requests.clear()
        status_after(page, "nursing")
        assert [p for p in _Logged.requests if "search-index" in p] == []  # "nu" and docs/0 are kept


def test_search_js_reloads_a_replaced_index(browser, populated, tmp_path):
    """A page that read the manifest before a rebuild finds the shards it fetches next gone: it reads
    the manifest again and answers from the new index."""
    out = tmp_path / "site"
    Site(populated).build(out)
    with serve_static(out) as base:
        page = browser.new_page()
        page.goto(f"{base}/search/")
        page.evaluate("registrySearch.keysFor('x')")  # the manifest is read
        publish(populated, cred("Plumbing Certificate", ORG_A, "Michigan"))
        Site(populated).write_search_index(out / "search-index.json")
        assert status_after(page, "plumbing certificate") == "1 resource matches “plumbing certificate”."
        assert results(page) == ["Plumbing Certificate"]


# The ranking search.js implements, written again in Python over the entries (docs/search.md).


def reference_ranking(entries: list[tuple], query: str, type_: str = "") -> list[str]:
    from registry.search_index import words

    def units(text: str) -> int:  # JavaScript's String length
        return len(text.encode("utf-16-le")) // 2

    qs = list(dict.fromkeys(words(query)))
    ranked = []
    for n, (ctid, name, type_label, owner, description, keywords) in enumerate(entries):
        if type_ and type_label != type_:
            continue
        fields = [(words(name), 10), (words(" ".join(keywords)), 6), (words(type_label), 3), (words(owner), 3),
                  (words(description), 2)]
        score = 0.0
        for q in qs:
            best = max((w * (1 if t == q else 0.5 + (0.4 * units(q)) / units(t))
                        for ts, w in fields for t in ts if t.startswith(q)), default=0)
            if not best:
                break
            score += best
        else:
            name_words, k, bonus = fields[0][0], len(qs), 0
            for start in range(len(name_words)):
                run = name_words[start:start + k]
                if len(run) == k and all(run[j] == qs[j] if j < k - 1 else run[j].startswith(qs[j])
                                         for j in range(k)):
                    bonus = max(bonus, 12 if start == 0 else 8)
            ranked.append((-(score + bonus), n, ctid))
    return [ctid for _, _, ctid in sorted(ranked)]


def test_ranking_on_the_demo_data(browser, registry, tmp_path):
    """On the demo data, search.js over the static build answers what the reference ranking says:
    the same resources in the same order, the count, and the next 50 on *Show more results*."""
    from registry.cli import _load_demo

    _load_demo(registry)
    site = Site(registry)
    out = tmp_path / "site"
    site.build(out)
    entries = list(site._search_entries())
    shown = ("Array.from(document.querySelectorAll('#search-results li .summary-name'))"
             ".map(a => a.getAttribute('href').split('/').pop())")
    with serve_static(out) as base:
        page = browser.new_page()
        page.goto(f"{base}/search/")
        checked = 0
        for query, type_ in [("nursing", ""), ("nurs", ""), ("welding certificate", ""), ("c", ""),
                             ("medical assistant", ""), ("technology", "Certificate"), ("data analytics", ""),
                             ("college", ""), ("a", "Course"), ("health care", ""), ("zzzz", "")]:
            expected = reference_ranking(entries, query, type_)
            text = status_after(page, query, type_)
            if not expected:
                assert text.startswith("No resources match"), (query, text)
                continue
            assert text.startswith(f"{len(expected)} resource"), (query, text, len(expected))
            assert page.evaluate(shown) == expected[:PAGE_SIZE], query
            checked += 1
            if len(expected) > PAGE_SIZE and page.evaluate(f"{shown}.length") == PAGE_SIZE:
                page.evaluate("document.getElementById('search-more').click()")
                page.wait_until(f"{shown}.length > {PAGE_SIZE}")
                assert page.evaluate(shown) == expected[:2 * PAGE_SIZE], query
        assert checked >= 8
        assert [e for e in page.collect_errors() if "favicon.ico" not in e] == []


def test_search_js_finds_words_beyond_ascii(browser, registry, tmp_path):
    """Shard keys are the first two code points of a word (hex of their UTF-8 in the file name): CJK,
    astral letters, accents and ß find their resources."""
    publish(registry, organization(ORG_A),
            cred("北京大学 Certificate", ORG_A), cred("𠀋𠀌 Records", ORG_A), cred("Émile's Straße", ORG_A),
            cred("Plain", ORG_A, description="Ünïcode ﬁne print"))
    out = tmp_path / "site"
    Site(registry).build(out)
    manifest = json.loads((out / "search-index.json").read_text())
    assert {"北京", "𠀋𠀌", "st", "em", "un", "fi"} <= set(manifest["terms"])
    assert (out / manifest["base"] / "terms" / ("𠀋𠀌".encode().hex() + ".json")).is_file()
    with serve_static(out) as base:
        page = browser.new_page()
        page.goto(f"{base}/search/")
        for query, expected in [("北京", "北京大学 Certificate"), ("北", "北京大学 Certificate"),
                                ("𠀋", "𠀋𠀌 Records"), ("𠀋𠀌", "𠀋𠀌 Records"), ("emile strasse", None),
                                ("EMILE STRAßE", "Émile's Straße"), ("unicode fine", "Plain")]:
            text = status_after(page, query)
            if expected is None:
                assert text.startswith("No resources match"), (query, text)
            else:
                assert text.startswith("1 resource matches"), (query, text)
                assert results(page) == [expected]
        assert [e for e in page.collect_errors() if "favicon.ico" not in e] == []


def test_large_shards_are_split(browser, populated, tmp_path, monkeypatch):
    """A shard over the size limit is split by one more character of its words (the words no longer than
    the key stay in its shard): a word is in the shard of the longest key that starts it, and a query
    loads those shards, and answers as before."""
    from registry import search_index
    from registry.search_index import keys_for

    monkeypatch.setattr(search_index, "SHARD_LIMIT", 30)
    out = tmp_path / "site"
    site = Site(populated)
    site.build(out)
    manifest = json.loads((out / "search-index.json").read_text())
    keys = set(manifest["terms"])
    assert {"nurse", "nursi", "med", "mes", "certif"} <= keys and not {"nu", "nur", "me", "ce"} & keys
    assert max(map(len, keys)) > 3
    for key in keys:
        for term, _ in json.loads((out / manifest["base"] / "terms" / f"{key.encode().hex()}.json").read_bytes()):
            assert key == max((k for k in keys if term.startswith(k)), key=len)
    entries = list(site._search_entries())
    with serve_static(out) as base:
        page = browser.new_page()
        page.goto(f"{base}/search/")
        for word in ("n", "nu", "nur", "nurs", "nursing", "nursingx", "me", "medical", "c", "ce", "cer", "zz"):
            assert page.evaluate(f"registrySearch.keysFor({json.dumps(word)})") == keys_for(word, keys), word
        for query in ("nurs", "medical", "c", "me", "certificate in", "mesa weld"):
            expected = reference_ranking(entries, query)
            text = status_after(page, query)
            assert text.startswith(f"{len(expected)} resource") or (not expected and text.startswith("No")), text
            assert page.evaluate("Array.from(document.querySelectorAll('#search-results li .summary-name'))"
                                 ".map(a => a.getAttribute('href').split('/').pop())") == expected[:PAGE_SIZE]
