"""/sparql: SPARQL 1.1 Protocol, result formats, read-only, SERVICE refused."""

from __future__ import annotations

import csv
import io

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
