"""/sparql: SPARQL 1.1 Protocol, result formats, read-only, SERVICE refused."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from .conftest import body, credential

Q = "SELECT ?name WHERE { ?c <https://purl.org/ctdl/terms/name> ?name }"


@pytest.fixture
def loaded(client, registry):
    docs = []
    from registry.ingest.parse import parse

    for _ in range(3):
        docs += parse(body(credential()))
    outcomes = registry.loader.publish(docs)
    assert all(o.accepted for o in outcomes)
    return client


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_select_formats(loaded, accept, media):
    r = loaded.get("/sparql", params={"query": Q}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    if media == "text/csv":  # lossy: read it as a table
        rows = list(csv.reader(io.StringIO(r.text)))
        assert rows[0] == ["name"] and len(rows) == 4
        return
    fmt = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "text/tab-separated-values": ox.QueryResultsFormat.TSV}[media]
    assert len(list(ox.parse_query_results(r.content, format=fmt))) == 3


def test_post_form_and_direct(loaded):
    r = loaded.post("/sparql", data={"query": Q}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3
    r = loaded.post("/sparql", content=Q.encode(), headers={"Content-Type": "application/sparql-query",
                                                             "Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3


def test_format_parameter_and_construct(loaded):
    r = loaded.get("/sparql", params={"query": Q, "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    c = "CONSTRUCT { ?c <https://purl.org/ctdl/terms/name> ?n } WHERE { ?c <https://purl.org/ctdl/terms/name> ?n }"
    for accept, fmt in (("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES)):
        r = loaded.get("/sparql", params={"query": c}, headers={"Accept": accept})
        assert r.status_code == 200 and len(list(ox.parse(r.content, format=fmt))) == 3


def test_named_graphs_and_default_graph_uri(loaded, registry):
    g = registry.store.graph_names()[0]
    r = loaded.get("/sparql", params={"query": Q, "default-graph-uri": g},
                   headers={"Accept": "application/sparql-results+json"})
    assert len(r.json()["results"]["bindings"]) == 1


def test_updates_are_refused(loaded, registry):
    before = registry.store.quad_count()
    r = loaded.post("/sparql", data={"update": "DROP ALL"})
    assert r.status_code == 403
    r = loaded.post("/sparql", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
    r = loaded.get("/sparql", params={"query": "DROP ALL"})
    assert r.status_code == 403
    assert registry.store.quad_count() == before


def test_service_refused(loaded):
    r = loaded.get("/sparql", params={"query": "SELECT * { SERVICE <http://169.254.169.254/> { ?s ?p ?o } }"})
    assert r.status_code == 400 and "SERVICE" in r.text


def test_protocol_errors(loaded):
    assert loaded.get("/sparql", params={"query": "SELEKT nothing"}).status_code == 400
    assert loaded.get("/sparql?query=ASK{}&query=ASK{}").status_code == 400
    assert loaded.post("/sparql", content=b"ASK {}").status_code == 400  # no Content-Type
    r = loaded.get("/sparql", params={"query": Q}, headers={"Accept": "image/png"})
    assert r.status_code == 406


def test_service_description(loaded):
    r = loaded.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    triples = list(ox.parse(r.content, format=ox.RdfFormat.TURTLE))
    assert any(t.object.value == "http://www.w3.org/ns/sparql-service-description#Service" for t in triples)


def test_format_xml_for_a_graph_is_rdf_xml(loaded):
    c = "CONSTRUCT { ?c <https://purl.org/ctdl/terms/name> ?n } WHERE { ?c <https://purl.org/ctdl/terms/name> ?n }"
    r = loaded.get("/sparql", params={"query": c, "format": "xml"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/rdf+xml")
    assert len(list(ox.parse(r.content, format=ox.RdfFormat.RDF_XML))) == 3


def test_sparql_answers_carry_the_cors_middlewares_headers(loaded):
    """/sparql is answered before the app's middleware (registry.app.RegistryApp): its CORS headers are the same."""
    origin = {"Origin": "https://yasgui.example"}
    other = loaded.get("/robots.txt", headers=origin)
    cases = [(loaded.get("/sparql", params={"query": Q}, headers=origin), 200, "Accept, Origin"),
             (loaded.post("/sparql", content=Q, headers={"Content-Type": "application/sparql-query", **origin}),
              200, "Accept, Origin"),
             (loaded.get("/sparql", params={"query": "SELECT"}, headers=origin), 400, "Origin"),
             (loaded.get("/sparql", params={"query": Q, "format": "bogus"}, headers=origin), 406, "Origin"),
             (loaded.get("/sparql", headers=origin), 200, "Origin")]  # the service description
    for r, status, vary in cases:
        assert r.status_code == status
        for name in ("access-control-allow-origin", "access-control-expose-headers"):
            assert r.headers[name] == other.headers[name]
        assert r.headers["vary"] == vary
    plain = loaded.get("/sparql", params={"query": Q})
    assert "access-control-allow-origin" not in plain.headers and plain.headers["vary"] == "Accept, Origin"
    assert plain.headers["content-length"] == str(len(plain.content))


def test_a_body_in_pieces(loaded):
    """A body that arrives in several ASGI messages (the test client sends one), and a client that leaves."""
    def call(method, content_type, pieces):
        messages = [{"type": "http.request", "body": p, "more_body": i < len(pieces) - 1} for i, p in enumerate(pieces)]
        messages = messages or [{"type": "http.disconnect"}]
        scope = {"type": "http", "method": method, "path": "/sparql", "query_string": b"", "scheme": "http",
                 "server": ("testserver", 80), "root_path": "", "headers": [(b"content-type", content_type)]}
        sent = []

        async def receive():
            return messages.pop(0)

        async def send(message):
            sent.append(message)

        async def go():
            await loaded.app(scope, receive, send)

        loaded.portal.call(go)
        return sent

    for content_type, pieces in ((b"application/sparql-query", [b"ASK ", b"{ ?s ?p ", b"?o }"]),
                                 (b"application/x-www-form-urlencoded", [b"query=ASK", b"+%7B", b"%7D"])):
        start, body = call("POST", content_type, pieces)
        assert start["status"] == 200 and json.loads(body["body"])["boolean"] is True
    assert call("POST", b"application/sparql-query", []) == []  # gone before its body: nobody to answer
