"""The W3C SPARQL 1.1 Protocol test suite, run against /sparql over real HTTP.

Reads ``shared/w3c/sparql11/protocol/manifest.ttl`` (beside the checkout) and turns each
``mf:ProtocolTest`` into one test case named after the entry. Each case loads its
``ut:graphData`` into the store as named graphs, then sends every ``ht:Request`` byte
for byte as the manifest describes it (method, only the headers it names, the body in
the encoding it names) to the real app under uvicorn, and checks ``mf:expectedStatus``,
``mf:expectedFormat`` and ``mf:expectedBoolean``.

The endpoint is read-only, so the ``update_*`` cases are checked for the opposite of
their expectation: every update must get a 4xx, the follow-up queries must find that
nothing changed. No case may change the store.

The helpers here (manifest reading, loading, the live server) are shared with
``test_w3c_results.py``.
"""

from __future__ import annotations

import csv
import http.client
import io
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pyoxigraph as ox
import pytest

from .conftest import serve

W3C = Path(__file__).resolve().parents[2] / "shared" / "w3c" / "sparql11"
PROTOCOL_MANIFEST = W3C / "protocol" / "manifest.ttl"

needs_w3c = pytest.mark.skipif(not W3C.is_dir(), reason="the W3C test suites (../shared/w3c/sparql11) are absent")

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
QT = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
HT = "http://www.w3.org/2011/http#"
CNT = "http://www.w3.org/2011/content#"

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "text/csv": None,  # lossy, read with the csv module
}
RDF_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


# --- Reading a manifest ---------------------------------------------------------------------------

class Manifest:
    """A test manifest (Turtle), read with pyoxigraph, with the few graph walks a runner needs."""

    def __init__(self, path: Path):
        self.path = path
        self.store = ox.Store()
        self.store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())

    def objects(self, subject, predicate: str) -> list:
        return [q.object for q in self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None)]

    def value(self, subject, predicate: str):
        values = self.objects(subject, predicate)
        assert len(values) <= 1, f"{subject} has {len(values)} values for <{predicate}>"
        return values[0] if values else None

    def text(self, subject, predicate: str) -> str | None:
        term = self.value(subject, predicate)
        return None if term is None else term.value

    def items(self, head) -> list:
        """The members of an RDF list."""
        out = []
        while head is not None and head != ox.NamedNode(RDF + "nil"):
            out.append(self.value(head, RDF + "first"))
            head = self.value(head, RDF + "rest")
        return out

    def entries(self) -> list[ox.NamedNode]:
        return self.items(self.value(ox.NamedNode(self.path.as_uri()), MF + "entries"))


def local_name(term: ox.NamedNode) -> str:
    return term.value.rsplit("#", 1)[-1]


def file_path(term: ox.NamedNode) -> Path:
    return Path(unquote(urlsplit(term.value).path))


# --- The protocol cases ---------------------------------------------------------------------------

@dataclass
class HttpRequest:
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes | None
    expected_status: set[int]  # status classes: {2, 3} or {4}
    expected_format: str | None = None  # "boolean", "tabular" or "RDF"
    expected_boolean: bool | None = None

    @property
    def is_update(self) -> bool:
        content_type = dict((k.lower(), v) for k, v in self.headers).get("content-type", "")
        form = content_type.startswith("application/x-www-form-urlencoded") and self.body is not None
        return (content_type.startswith("application/sparql-update")
                or "update" in parse_qs(urlsplit(self.path).query)
                or (form and "update" in parse_qs(self.body.decode("utf-8"))))


@dataclass
class ProtocolCase:
    name: str
    graphs: dict[str, Path] = field(default_factory=dict)  # named graph IRI -> file
    requests: list[HttpRequest] = field(default_factory=list)


def protocol_cases(path: Path = PROTOCOL_MANIFEST) -> list[ProtocolCase]:
    m = Manifest(path)
    cases = []
    for entry in m.entries():
        if m.value(entry, RDF + "type") != ox.NamedNode(MF + "ProtocolTest"):
            continue
        case = ProtocolCase(local_name(entry))
        for data in m.objects(entry, UT + "graphData") + m.objects(m.value(entry, MF + "action"), QT + "data"):
            case.graphs[m.text(data, RDFS + "label")] = file_path(m.value(data, UT + "graph"))
        for req in m.items(m.value(m.value(entry, MF + "action"), HT + "requests")):
            body = m.value(req, HT + "body")
            payload = None
            if body is not None:
                encoding = m.text(body, CNT + "characterEncoding") or "UTF-8"
                payload = m.text(body, CNT + "chars").encode(encoding)
            resp = m.value(req, HT + "resp")
            boolean = m.value(resp, MF + "expectedBoolean")
            path = m.text(req, HT + "absolutePath")
            assert path.startswith("/sparql/"), path
            case.requests.append(HttpRequest(
                method=m.text(req, HT + "methodName"),
                path="/sparql" + path[len("/sparql/"):],
                headers=[(m.text(h, HT + "fieldName"), m.text(h, HT + "fieldValue"))
                         for h in m.items(m.value(req, HT + "headers"))],
                body=payload,
                expected_status={int(local_name(s)[len("StatusCode")]) for s in m.objects(resp, MF + "expectedStatus")},
                expected_format=m.text(resp, MF + "expectedFormat"),
                expected_boolean=None if boolean is None else boolean.value == "true",
            ))
        cases.append(case)
    return cases


# --- The store and a live server ------------------------------------------------------------------

def rdf_file_as_ntriples(path: Path) -> str:
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    triples = list(ox.parse(path=str(path), format=fmt, base_iri=path.as_uri()))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def load_graphs(store, graphs: dict[str, Path]) -> None:
    """Make the store hold exactly these named graphs (the server's default graph is their union)."""
    parts = [f"GRAPH <{iri}> {{\n{rdf_file_as_ntriples(path)}}}" for iri, path in graphs.items()]
    store.update("CLEAR ALL" + (" ;\nINSERT DATA {\n" + "\n".join(parts) + "\n}" if parts else ""))


def all_quads(store) -> set[tuple[str, ...]]:
    rows = store.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {tuple(str(row[k]) for k in ("g", "s", "p", "o")) for row in rows}


@pytest.fixture
def live(registry):
    """(host, port) of the real app, on the test's own oxigraph, over real HTTP."""
    from registry.app import create_app

    with serve(create_app(registry)) as address:
        yield address


def send(address: tuple[str, int], method: str, path: str, headers: list[tuple[str, str]] = (),
         body: bytes | None = None) -> tuple[int, str, bytes]:
    """One request with exactly these headers (plus Host, and Content-Length for a body)."""
    conn = http.client.HTTPConnection(*address, timeout=60)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers:
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        return resp.status, resp.getheader("Content-Type", ""), resp.read()
    finally:
        conn.close()


def media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def parse_results(content_type: str, body: bytes):
    """A QueryBoolean / QuerySolutions from a SPARQL results body; CSV as a list of rows."""
    media = media_type(content_type)
    assert media in RESULT_TYPES, f"not a SPARQL results type: {content_type!r}"
    if RESULT_TYPES[media] is None:
        return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    return ox.parse_query_results(body, format=RESULT_TYPES[media])


# --- The tests ------------------------------------------------------------------------------------

CASES = protocol_cases() if PROTOCOL_MANIFEST.exists() else []

# Every update case loads these, so that "the store did not change" means something.
CANARY = {f"http://kasei.us/2009/09/sparql/data/data{i}.rdf": PROTOCOL_MANIFEST.parent / f"data{i}.nt"
          for i in (1, 2, 3)}


@needs_w3c
def test_manifest_is_complete():
    names = [c.name for c in CASES]
    assert len(names) == 34 and len(set(names)) == 34
    assert sum(n.startswith("query_") for n in names) == 13
    assert sum(n.startswith("bad_") for n in names) == 14
    assert sum(n.startswith("update_") for n in names) == 7


@needs_w3c
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_protocol(case: ProtocolCase, live, registry):
    read_only = case.name.startswith("update_")
    load_graphs(registry.store, CANARY if read_only else case.graphs)
    before = all_quads(registry.store)
    for i, req in enumerate(case.requests):
        status, content_type, body = send(live, req.method, req.path, req.headers, req.body)
        where = f"request {i + 1}: {req.method} {req.path} -> {status} {content_type}\n{body[:500]!r}"
        if read_only and req.is_update:
            assert 400 <= status < 500, where
            continue
        assert status // 100 in req.expected_status, where
        if req.expected_format == "boolean":
            result = parse_results(content_type, body)
            assert isinstance(result, ox.QueryBoolean), where
            if read_only:  # the follow-up query must not see what the refused update would have done
                assert not bool(result), where
            elif req.expected_boolean is not None:
                assert bool(result) is req.expected_boolean, where
        elif req.expected_format == "tabular":
            result = parse_results(content_type, body)
            assert not isinstance(result, ox.QueryBoolean), where
        elif req.expected_format == "RDF":
            fmt = RDF_TYPES.get(media_type(content_type))
            assert fmt is not None, f"not an RDF type: {where}"
            list(ox.parse(body, format=fmt))
    assert all_quads(registry.store) == before


# --- Beyond the manifest --------------------------------------------------------------------------
# With the union default graph every manifest dataset query is true whatever the endpoint does with
# default-graph-uri / named-graph-uri; these show the protocol's dataset really is the one used.

KASEI = "http://kasei.us/2009/09/sparql/data/"


def ask(address, query: str, **dataset: list[str]) -> bool:
    pairs = [("query", query)] + [(k.replace("_", "-"), v) for k, vs in dataset.items() for v in vs]
    body = "&".join(f"{k}={quote(v, safe='')}" for k, v in pairs).encode()
    status, content_type, data = send(address, "POST", "/sparql", [
        ("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/sparql-results+json")], body)
    assert status == 200, data
    return bool(parse_results(content_type, data))


@needs_w3c
def test_protocol_dataset_is_the_dataset(live, registry):
    load_graphs(registry.store, CANARY)
    d1, d2, d3 = (f"{KASEI}data{i}.rdf" for i in (1, 2, 3))
    has = "ASK {{ <{}> a ?type }}".format
    assert ask(live, has(d3))  # the default graph: the union of all graphs
    assert not ask(live, has(d3), default_graph_uri=[d1, d2])
    assert ask(live, has(d3), default_graph_uri=[d3])
    assert not ask(live, f"ASK {{ GRAPH <{d3}> {{ ?s ?p ?o }} }}", named_graph_uri=[d1, d2])
    # The protocol's dataset replaces the query's FROM: the default graph is then empty.
    assert ask(live, f"ASK FROM <{d3}> {{ <{d3}> a ?type }}")
    assert not ask(live, f"ASK FROM <{d3}> {{ <{d3}> a ?type }}", named_graph_uri=[d1])


def test_relative_iris_resolve_against_the_endpoint(live, registry):
    host, port = live
    status, content_type, body = send(live, "POST", "/sparql", [("Content-Type", "application/sparql-query"),
                                                                ("Accept", "application/n-triples")],
                                      b"CONSTRUCT { <s> <p> 1 } WHERE {}")
    assert status == 200
    [triple] = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
    assert triple.subject == ox.NamedNode(f"http://{host}:{port}/s")  # never the store's own URL
    # A syntax error still points at the client's own line.
    status, _, body = send(live, "GET", "/sparql?query=" + quote("SELECT *\nWHERE { ?s ?p }"))
    assert status == 400 and body.startswith(b"error at 2:"), body


@pytest.mark.parametrize("method, path, headers, body", [
    ("GET", "/sparql?query=ASK%20%7B%7D%FF", [], None),
    ("POST", "/sparql", [("Content-Type", "application/x-www-form-urlencoded")], b"query=ASK%20%7B%7D%FF"),
    ("POST", "/sparql", [("Content-Type", "application/sparql-query")], b"ASK {} # \xff"),
    ("POST", "/sparql", [("Content-Type", "application/sparql-query; charset=ISO-8859-1")], b"ASK {}"),
], ids=["get", "form", "direct", "charset"])
def test_non_utf8_is_400(live, method, path, headers, body):
    status, _, data = send(live, method, path, headers, body)
    assert status == 400 and b"UTF-8" in data, data
