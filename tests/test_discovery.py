"""robots.txt, VoID, the N-Quads dump, CORS."""

from __future__ import annotations

import asyncio
import functools
import gzip
import threading
import time

import pyoxigraph as ox
import pytest

from registry.discovery import in_one_thread
from registry.ingest.parse import parse

from .conftest import body, credential, organization

VOID = "http://rdfs.org/ns/void#"


def _load(registry, n=3):
    docs = parse(body(organization()))
    for _ in range(n):
        docs += parse(body(credential()))
    assert all(o.accepted for o in registry.loader.publish(docs))


def _dataset(triples) -> dict[str, str]:
    """The dataset's own literal properties (its class partitions have void:entities too)."""
    return {t.predicate.value: t.object.value for t in triples
            if isinstance(t.object, ox.Literal) and t.subject.value.endswith("/.well-known/void#registry")}


def test_robots(client):
    text = client.get("/robots.txt").text
    assert "Disallow: /sparql" in text and "User-agent: *" in text


def test_void_counts_and_stays_current(client, registry):
    _load(registry)
    g = list(ox.parse(client.get("/.well-known/void").content, format=ox.RdfFormat.TURTLE))
    values = _dataset(g)
    assert int(values[VOID + "entities"]) == 4
    assert int(values[VOID + "triples"]) == registry.store.quad_count()
    assert any(t.predicate.value == VOID + "sparqlEndpoint" and t.object.value.endswith("/sparql") for t in g)
    assert any(t.predicate.value == VOID + "exampleResource" for t in g)
    classes = {t.object.value for t in g if t.predicate.value == VOID + "class"}
    assert "https://purl.org/ctdl/terms/Certificate" in classes
    _load(registry, 2)  # one more organization and two credentials: the description follows
    g = list(ox.parse(client.get("/.well-known/void").content, format=ox.RdfFormat.TURTLE))
    assert int(_dataset(g)[VOID + "entities"]) == 7
    nt = client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert nt.headers["content-type"].startswith("application/n-triples")


def test_dump_is_every_quad(client, registry):
    _load(registry)
    r = client.get("/data/registry.nq.gz", headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200
    raw = r.content
    data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == registry.store.quad_count()
    assert {q.graph_name.value for q in quads} == set(registry.store.graph_names())


def test_cors(client):
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    pre = client.options("/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
                                             "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 200 and "POST" in pre.headers["access-control-allow-methods"]


# --- robots, sitemaps, /data (registry.sitemaps, registry.catalog) --------------------------

import json  # noqa: E402
import re  # noqa: E402
import xml.etree.ElementTree as ET  # noqa: E402

import pytest  # noqa: E402

from registry.sitemaps import MAX_URLS, Sitemaps, chunks  # noqa: E402

from .conftest import new_ctid  # noqa: E402

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "http://testserver"


@pytest.fixture
def published(no_validation):
    """An organization and four credentials, one of them deleted (validation is not what is tested)."""
    registry = no_validation
    org = new_ctid()
    creds = [new_ctid() for _ in range(4)]
    docs = parse(body(organization(org)))
    for c in creds:
        docs += parse(body(credential(c, org_ctid=org)))
    assert all(o.accepted for o in registry.loader.publish(docs))
    assert registry.loader.delete(creds[3]).status == "deleted"
    return {"org": org, "creds": creds[:3], "deleted": creds[3]}


def test_robots_names_the_sitemap_absolutely(client):
    text = client.get("/robots.txt").text
    assert f"Sitemap: {BASE}/sitemap.xml" in text.splitlines()


def test_sitemap_index_and_children(client, registry, published):
    r = client.get("/sitemap.xml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    index = ET.fromstring(r.content)
    assert index.tag == f"{SM}sitemapindex"
    children = {s.findtext(f"{SM}loc"): s.findtext(f"{SM}lastmod") for s in index.findall(f"{SM}sitemap")}
    assert f"{BASE}/sitemaps/pages.xml.gz" in children
    listed: dict[str, str] = {}
    for loc, lastmod in children.items():
        assert loc.startswith(BASE + "/sitemaps/") and loc.endswith(".xml.gz")
        raw = client.get(loc[len(BASE):], headers={"Accept-Encoding": "identity"}).content
        assert raw[:2] == b"\x1f\x8b"  # a gzipped file
        urlset = ET.fromstring(gzip.decompress(raw))
        assert urlset.tag == f"{SM}urlset"
        urls = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in urlset.findall(f"{SM}url")}
        assert all(u.startswith(BASE + "/") for u in urls)
        assert lastmod == max(urls.values())
        if not loc.endswith("/pages.xml.gz"):
            listed.update(urls)
        else:
            assert {BASE + "/", BASE + "/resources", BASE + "/data", BASE + "/resources?type=Certificate"} <= set(urls)
    live = [published["org"], *published["creds"]]
    assert set(listed) == {f"{BASE}/resources/{c}" for c in live}  # the deleted one is not listed
    for ctid in live:
        assert listed[f"{BASE}/resources/{ctid}"] == registry.journal.resource(ctid).updated_at
    assert f"{BASE}/sitemaps/Certificate-1.xml.gz" in children
    assert f"{BASE}/sitemaps/CredentialOrganization-1.xml.gz" in children
    assert client.get("/sitemaps/Certificate-2.xml.gz").status_code == 404


def test_sitemap_files_split_at_the_limit():
    assert MAX_URLS <= 50_000  # the protocol's limit
    members = [(f"c{i}", f"2026-01-0{i % 9 + 1}", None) for i in range(7)]
    members[1] = ("c1", "2026-01-02", "2026-02-01")  # deleted: not listed, but keeps its place
    files = chunks(members, limit=3)
    assert [[c for c, _ in f] for f in files] == [["c0", "c2"], ["c3", "c4", "c5"], ["c6"]]
    members[6] = ("c6", "x", "deleted")
    assert len(chunks(members, limit=3)) == 2  # a trailing file with nothing live goes
    members[3:6] = [(c, u, "deleted") for c, u, _ in members[3:6]]
    assert chunks(members, limit=3) == [[("c0", "2026-01-01"), ("c2", "2026-01-03")]]
    assert chunks([], limit=3) == []


def test_sitemaps_of_a_type_split(registry, published):
    maps = Sitemaps(registry.journal, BASE, limit=2)
    cert = "https://purl.org/ctdl/terms/Certificate"
    children = maps.type_children(cert)
    # Four certificates in rank order (the 4th deleted): files of 2, the second holding one live URL.
    assert [c.name for c in children] == ["Certificate-1.xml.gz", "Certificate-2.xml.gz"]
    second = ET.fromstring(gzip.decompress(children[1].body))
    assert [u.findtext(f"{SM}loc") for u in second.findall(f"{SM}url")] == \
        [f"{BASE}/resources/{published['creds'][2]}"]
    assert maps.child_number(published["deleted"]) == (cert, 2)
    names = [n for n, _ in maps.index_entries()]
    assert names[0] == "pages.xml.gz" and "Certificate-2.xml.gz" in names


def test_sitemap_files_read_one_by_one_match_the_whole_type(registry, published):
    """An update reads only the files it redoes (Sitemaps.type_files): the same files, the same count."""
    for limit in (1, 2, 3, 50):
        maps = Sitemaps(registry.journal, BASE, limit=limit)
        for type_iri, stem in maps.stems().items():
            children = maps.type_children(type_iri, stem)
            files, some = maps.type_files(type_iri, stem, set(range(1, len(children) + 3)))
            assert files == len(children)
            assert [some[n] for n in range(1, len(children) + 1)] == children
            assert some[len(children) + 1] is None and some[len(children) + 2] is None
    maps = Sitemaps(registry.journal, BASE, limit=2)
    cert = "https://purl.org/ctdl/terms/Certificate"
    assert maps.type_files(cert, "Certificate", {2})[1][2].body == maps.type_children(cert)[1].body


DCAT = "http://www.w3.org/ns/dcat#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_data_catalog(client, registry, published):
    r = client.get("/data.ttl")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = list(ox.parse(r.content, format=ox.RdfFormat.TURTLE))
    types = {(t.subject.value, t.object.value) for t in g if t.predicate.value == RDF_TYPE}
    assert (BASE + "/data#catalog", DCAT + "Catalog") in types
    assert (BASE + "/data#dataset", DCAT + "Dataset") in types
    assert (BASE + "/sparql#service", DCAT + "DataService") in types
    values = {(t.predicate.value, t.object.value) for t in g}
    assert (DCAT + "downloadURL", BASE + "/data/registry.nq.gz") in values
    assert (DCAT + "endpointURL", BASE + "/sparql") in values
    assert (DCAT + "accessURL", BASE + "/sitemap.xml") in values
    assert (DCAT + "dataset", BASE + "/data#dataset") in values
    # Content negotiation on /data, and the JSON-LD says the same.
    assert client.get("/data", headers={"Accept": "text/turtle"}).content == r.content
    jsonld = client.get("/data", headers={"Accept": "application/ld+json"})
    as_rdf = {str(q.triple) for q in ox.parse(jsonld.content, format=ox.RdfFormat.JSON_LD)}
    assert as_rdf == {str(t) for t in g}
    # The page embeds the DCAT and schema.org descriptions, with < escaped.
    html = client.get("/data", headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html.text, re.S)
    assert len(blocks) == 2 and all("<" not in b for b in blocks)
    dcat, schema = (json.loads(b) for b in blocks)
    assert any(n.get("@type") == "dcat:Catalog" for n in dcat["@graph"])
    assert schema["@type"] == "Dataset" and schema["distribution"][0]["contentUrl"] == BASE + "/data/registry.nq.gz"
    assert 'href="/data/registry.nq.gz"' in html.text and 'href="/sparql"' in html.text


def test_data_page_escapes_the_site_name(registry, oxigraph):
    from fastapi.testclient import TestClient

    from registry.app import create_app

    registry.config.site_name = "Reg </script><b>x</b>"
    with TestClient(create_app(registry)) as c:
        html = c.get("/data").text
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 2 and all("<" not in b for b in blocks)
    assert json.loads(blocks[1])["name"] == "Reg </script><b>x</b>"


def test_dump_generator_runs_on_one_thread():
    """The dump's generator holds pyoxigraph objects that must not change threads (PyO3 aborts the worker):
    it is stepped by one thread of its own, not by whichever thread Starlette has free."""
    steps = []

    def chunks():
        for i in range(40):
            steps.append(threading.get_ident())
            yield b"%d;" % i

    async def read():
        return [c async for c in in_one_thread(chunks, buffer=2)]

    assert b"".join(asyncio.run(read())) == b"".join(b"%d;" % i for i in range(40))
    assert len(set(steps)) == 1 and steps[0] != threading.get_ident()


def test_dump_generator_errors_reach_the_reader_and_a_reader_can_stop():
    def failing():
        yield b"a"
        raise RuntimeError("store gone")

    async def read_all():
        return [c async for c in in_one_thread(failing)]

    with pytest.raises(RuntimeError, match="store gone"):
        asyncio.run(read_all())

    produced = []

    def endless():
        while True:
            produced.append(1)
            yield b"x"

    async def read_two():
        stream = in_one_thread(endless, buffer=1)
        out = [await stream.__anext__(), await stream.__anext__()]
        await stream.aclose()  # the client went away
        return out

    assert asyncio.run(read_two()) == [b"x", b"x"]
    time.sleep(1)
    n = len(produced)
    time.sleep(0.6)
    assert len(produced) == n, "the producer stopped"


def test_dump_in_small_batches_is_every_quad(client, registry, monkeypatch):
    """Many chunks (the demo's dump is several): still one complete gzip stream of every quad."""
    _load(registry, 5)
    monkeypatch.setattr(registry.store, "quads", functools.partial(type(registry.store).quads, registry.store,
                                                                   batch=7))
    r = client.get("/data/registry.nq.gz", headers={"Accept-Encoding": "identity"})
    raw = r.content
    data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    assert len(list(ox.parse(data, format=ox.RdfFormat.N_QUADS))) == registry.store.quad_count()
