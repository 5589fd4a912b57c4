"""robots.txt, VoID, the N-Quads dump, CORS."""

from __future__ import annotations

import gzip

import pyoxigraph as ox

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
