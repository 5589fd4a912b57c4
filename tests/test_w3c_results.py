"""The W3C SPARQL 1.1 result-format tests (json-res, csv-tsv-res), run through /sparql over real HTTP.

For each manifest entry: load ``qt:data`` into the store, send the query to /sparql asking
(by ``Accept``) for the format of the expected file (.srj, .csv, .tsv), and compare what
comes back with the expected file the way the W3C test suite compares results:

* solutions as a multiset, or as a sequence when the query has ORDER BY;
* RDF terms by term equality (same lexical form, datatype, language), blank nodes up to a
  consistent renaming across the whole result set;
* the variables as a set for ``SELECT *`` (the spec leaves their order open);
* CSV is lossy: each cell is compared as text (``_:label`` cells as blank nodes), and an
  empty cell (unbound, or an empty string) as unbound;
* TSV is parsed as terms (the N-Triples/Turtle-like syntax, numbers may be bare).

The server's default graph is the union of the named graphs, so the data for the default
graph goes into one named graph.

Two cases cannot pass as the suite states them, for reasons outside the registry; they are
reported as xfail only when the differences are exactly the known ones (KNOWN_DEVIATIONS).
Any other difference fails.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

from .test_w3c_protocol import (  # noqa: F401  (live is a fixture)
    MF, QT, RDF, W3C, Manifest, file_path, live, load_graphs, local_name, media_type, needs_w3c, send,
)

SUITES = ("json-res", "csv-tsv-res")
DEFAULT_GRAPH = "urn:x-w3c-test:default-graph"  # holds qt:data; the server's default graph is the union
MEDIA = {
    ".srj": "application/sparql-results+json",
    ".srx": "application/sparql-results+xml",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
}
PARSERS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
TEST_TYPES = {ox.NamedNode(MF + "QueryEvaluationTest"), ox.NamedNode(MF + "CSVResultFormatTest")}
XSD = "http://www.w3.org/2001/XMLSchema#"


def _lit(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


# Differences that the SPARQL specs do not allow, but that neither the endpoint nor any output
# transform can undo, because the information is gone before the endpoint sees it. Each maps an
# expected cell to what the registry returns instead. See docs/sparql.md.
KNOWN_DEVIATIONS: dict[str, tuple[dict, str]] = {
    "csv03": ({"1.0E6": "1000000"},
              'Oxigraph stores "1.0E6"^^xsd:double as a number and writes it back as "1000000" '
              "(literal normalisation on load, oxigraph/oxigraph#526, #356); CSV carries only the lexical form."),
    "tsv03": ({_lit("-3", "negativeInteger"): _lit("-3", "integer"),
               _lit("1.0e6", "double"): _lit("1000000", "double")},
              "Oxigraph stores xsd:negativeInteger as xsd:integer and doubles as numbers (oxigraph/oxigraph#526); "
              'and the expected file writes the data\'s "1.0E6"^^xsd:double as 1.0e6, another lexical form '
              "(no term-preserving store could match it either)."),
}


@dataclass
class ResultCase:
    name: str
    query: Path
    result: Path
    data: list[Path] = field(default_factory=list)
    graph_data: dict[str, Path] = field(default_factory=dict)


def result_cases() -> list[ResultCase]:
    cases = []
    for suite in SUITES:
        m = Manifest(W3C / suite / "manifest.ttl")
        for entry in m.entries():
            if m.value(entry, RDF + "type") not in TEST_TYPES:
                continue
            action = m.value(entry, MF + "action")
            cases.append(ResultCase(
                name=local_name(entry),
                query=file_path(m.value(action, QT + "query")),
                result=file_path(m.value(entry, MF + "result")),
                data=[file_path(d) for d in m.objects(action, QT + "data")],
                graph_data={g.value: file_path(g) for g in m.objects(action, QT + "graphData")},
            ))
    return cases


# --- Reading results ------------------------------------------------------------------------------

Row = dict  # variable name -> ox term (or, for CSV, the cell's text)


@dataclass
class Results:
    variables: list[str] | None = None  # None for a boolean
    rows: list[Row] | None = None
    boolean: bool | None = None


def read_results(media: str, body: bytes) -> Results:
    if media == "text/csv":
        table = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        header, lines = table[0], table[1:]
        return Results(header, [{v: cell for v, cell in zip(header, line) if cell != ""} for line in lines])
    parsed = ox.parse_query_results(body, format=PARSERS[media])
    if isinstance(parsed, ox.QueryBoolean):
        return Results(boolean=bool(parsed))
    names = [v.value for v in parsed.variables]
    return Results(names, [{n: s[n] for n in names if s[n] is not None} for s in parsed])


# --- Comparing results ----------------------------------------------------------------------------

def _bnode(term) -> str | None:
    if isinstance(term, ox.BlankNode):
        return term.value
    if isinstance(term, str) and term.startswith("_:"):  # CSV writes blank nodes as _:label
        return term[2:]
    return None


def _match(expected: Row, actual: Row, fwd: dict, rev: dict) -> tuple[dict, dict] | None:
    """The blank-node renaming (expected -> actual) extended to make these rows equal, or None."""
    if expected.keys() != actual.keys():
        return None
    fwd, rev = dict(fwd), dict(rev)
    for var, e in expected.items():
        a = actual[var]
        be, ba = _bnode(e), _bnode(a)
        if be is not None and ba is not None:
            if fwd.setdefault(be, ba) != ba or rev.setdefault(ba, be) != be:
                return None
        elif e != a:
            return None
    return fwd, rev


def same_solutions(expected: list[Row], actual: list[Row], ordered: bool) -> bool:
    """Equal as sequences (ordered) or multisets, up to one renaming of blank nodes."""
    if len(expected) != len(actual):
        return False
    if ordered:
        maps: tuple[dict, dict] | None = ({}, {})
        for e, a in zip(expected, actual):
            maps = _match(e, a, *maps)
            if maps is None:
                return False
        return True

    def search(i: int, left: list[int], fwd: dict, rev: dict) -> bool:
        if i == len(expected):
            return True
        for j in left:
            maps = _match(expected[i], actual[j], fwd, rev)
            if maps is not None and search(i + 1, [k for k in left if k != j], *maps):
                return True
        return False

    return search(0, list(range(len(actual))), {}, {})


def _show(rows: list[Row]) -> str:
    return "\n".join("  " + "  ".join(f"{k}={v}" for k, v in sorted(r.items())) for r in rows)


# --- The tests ------------------------------------------------------------------------------------

CASES = result_cases() if W3C.is_dir() else []


@needs_w3c
def test_suites_are_complete():
    assert [c.name for c in CASES] == ["jsonres01", "jsonres02", "jsonres03", "jsonres04",
                                       "csv01", "tsv01", "csv02", "tsv02", "csv03", "tsv03"]


@needs_w3c
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_result_format(case: ResultCase, live, registry):
    load_graphs(registry.store, {DEFAULT_GRAPH: p for p in case.data} | case.graph_data)
    query = case.query.read_text(encoding="utf-8")
    media = MEDIA[case.result.suffix]
    status, content_type, body = send(live, "POST", "/sparql", [("Content-Type", "application/sparql-query"),
                                                                ("Accept", media)], query.encode("utf-8"))
    assert status == 200, body
    assert media_type(content_type) == media
    if media == "text/csv":  # RFC 4180 lines end in CRLF
        assert body.count(b"\n") == body.count(b"\r\n")

    expected, actual = read_results(media, case.result.read_bytes()), read_results(media, body)
    if expected.boolean is not None:
        assert actual.boolean is expected.boolean
        return
    if re.search(r"\bSELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?\*", query, re.IGNORECASE):
        assert set(actual.variables) == set(expected.variables)  # SELECT *: order not specified
    else:
        assert actual.variables == expected.variables
    ordered = re.search(r"\bORDER\s+BY\b", query, re.IGNORECASE) is not None
    if same_solutions(expected.rows, actual.rows, ordered):
        return
    diff = f"expected:\n{_show(expected.rows)}\nactual:\n{_show(actual.rows)}"
    if case.name not in KNOWN_DEVIATIONS:
        pytest.fail("results differ\n" + diff)
    substitutions, reason = KNOWN_DEVIATIONS[case.name]
    patched = [{v: substitutions.get(t, t) for v, t in row.items()} for row in expected.rows]
    assert same_solutions(patched, actual.rows, ordered), "results differ beyond the known deviations\n" + diff
    pytest.xfail(reason)


def test_the_comparison_is_strict():
    """The comparator itself: blank nodes rename consistently, everything else must be equal."""
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    a, b, c = ox.BlankNode("a"), ox.BlankNode("b"), ox.BlankNode("c")
    rows = [{"s": s, "o": a}, {"s": p, "o": b}]
    assert same_solutions(rows, [{"s": p, "o": c}, {"s": s, "o": a}], ordered=False)
    assert not same_solutions(rows, [{"s": p, "o": c}, {"s": s, "o": a}], ordered=True)
    assert not same_solutions(rows, [{"s": s, "o": a}, {"s": p, "o": a}], ordered=False)  # 2 bnodes, not 1
    assert not same_solutions([{"o": a}, {"o": a}], [{"o": b}, {"o": c}], ordered=False)  # 1 bnode, not 2
    assert not same_solutions([{"o": _lit("1", "integer")}], [{"o": _lit("01", "integer")}], ordered=False)
    assert not same_solutions([{"o": _lit("-3", "negativeInteger")}], [{"o": _lit("-3", "integer")}], ordered=True)
    assert not same_solutions([{"o": s}], [{"o": s, "x": s}], ordered=True)  # an extra binding
    assert not same_solutions([{"o": s}], [{"o": s}, {"o": s}], ordered=False)  # cardinality
    assert same_solutions([{"o": "_:x", "v": "1.0E6"}], [{"o": "_:y", "v": "1.0E6"}], ordered=True)  # CSV cells
    assert not same_solutions([{"v": "1.0E6"}], [{"v": "1000000"}], ordered=True)


# --- The formats the suites do not cover ----------------------------------------------------------

JSON_RES = W3C / "json-res"
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def _canonical(triples) -> ox.Dataset:
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


@needs_w3c
def test_xml_results_equal_json_results(live, registry):
    load_graphs(registry.store, {DEFAULT_GRAPH: JSON_RES / "data.ttl"})
    query = (JSON_RES / "jsonres02.rq").read_bytes()
    results = {}
    for media in ("application/sparql-results+json", "application/sparql-results+xml"):
        status, content_type, body = send(live, "POST", "/sparql", [
            ("Content-Type", "application/sparql-query"), ("Accept", media)], query)
        assert status == 200 and media_type(content_type) == media
        results[media] = read_results(media, body)
    json_results, xml_results = results.values()
    assert xml_results.variables == json_results.variables
    assert same_solutions(json_results.rows, xml_results.rows, ordered=True)


@needs_w3c
@pytest.mark.parametrize("media", GRAPH_FORMATS)
def test_construct_formats(live, registry, media):
    data = JSON_RES / "data.ttl"
    load_graphs(registry.store, {DEFAULT_GRAPH: data})
    status, content_type, body = send(live, "POST", "/sparql", [
        ("Content-Type", "application/sparql-query"), ("Accept", media)],
        b"CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert status == 200 and media_type(content_type) == media
    got = ox.parse(body, format=GRAPH_FORMATS[media])
    assert _canonical(got) == _canonical(ox.parse(path=str(data), base_iri=data.as_uri()))
