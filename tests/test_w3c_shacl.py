"""The W3C SHACL core test suite, run through the registry's own validation entry point.

Each test of ``../shared/w3c/shacl/core`` (98, listed by the manifests) names a
data graph, a shapes graph and the expected ``sh:ValidationReport``. The data
graph is read with pyoxigraph (as the registry reads documents) and validated
by :func:`registry.shapes.validate.shacl_results` with the shapes file as the
only shapes (``extra_shapes=[file], only_shapes=True``, the options of
``registry validate --shapes FILE --only-shapes``). That is the code path of
``validate()``: same conversion, same runner, same report.

Comparison, as the suite's harness allows:

* ``sh:conforms``, in SHACL's sense (no result of any severity);
* the results as a multiset of (focus node, path, severity, source shape,
  value, constraint component); ``sh:resultMessage`` is not compared;
* IRIs and literals as terms (lexical form, datatype, language tag compared
  case-insensitively, as RDF does); blank nodes by their description (the
  triples they are the subject of, recursively) in their own graph: the
  manifest for the expected report, the shapes graph for shapes and paths, the
  data graph for focus nodes and values. An expected blank node its manifest
  does not describe matches any blank node. A result path is compared by what
  it means (path-strange-001 writes a list that also has an ``sh:inversePath``:
  it is the sequence path the expected report gives).

The registry's :class:`Report` built from the same run is checked too: it
conforms exactly when no result is a Violation, and it lists every distinct
(severity, focus node, value) of the run.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl.monkey import rdflib_bool_patch, rdflib_bool_unpatch
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD, Namespace

from registry.shapes.report import SEVERITIES, VIOLATION
from registry.shapes.results import node_key
from registry.shapes.validate import shacl_results

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORE = SHARED / "w3c" / "shacl" / "core"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
FIELDS = (SH.focusNode, SH.resultPath, SH.resultSeverity, SH.sourceShape, SH.value, SH.sourceConstraintComponent)
# Where a field's blank nodes are described in the registry's run.
IN_SHAPES = {SH.resultPath, SH.sourceShape, SH.sourceConstraintComponent}
ANY_BNODE = ("bnode", "any")


def _read(path: Path) -> Graph:
    graph = Graph()
    rdflib_bool_patch()  # literals as written ("1"^^xsd:boolean stays "1"), as for a shapes graph
    try:
        graph.parse(path, format="turtle", publicID=path.as_uri())
    finally:
        rdflib_bool_unpatch()
    return graph


def _path(iri) -> Path:
    return Path(str(iri).removeprefix("file://"))


def _cases() -> list:
    if not CORE.exists():
        return []
    cases, todo, seen = [], [CORE / "manifest.ttl"], set()
    while todo:
        manifest = todo.pop(0)
        if manifest in seen:
            continue
        seen.add(manifest)
        graph = _read(manifest)
        for include in graph.objects(None, MF.include):
            todo.append(_path(include))
        for entries in graph.objects(None, MF.entries):
            for test in Collection(graph, entries):
                if (test, RDF.type, SHT.Validate) not in graph:
                    continue
                action = graph.value(test, MF.action)
                name = f"{manifest.parent.name}/{str(test).rpartition('/')[2]}"
                cases.append(pytest.param(
                    _path(graph.value(action, SHT.dataGraph)), _path(graph.value(action, SHT.shapesGraph)),
                    graph, graph.value(test, MF.result), id=name,
                ))  # fmt: skip
    return cases


CASES = _cases()


def _term(term, graph: Graph, seen: frozenset = frozenset()):
    """A comparable form of a term; blank nodes by their description in ``graph``."""
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype is not None and term.datatype != XSD.string else None
        return ("literal", str(term), datatype, term.language.lower() if term.language else None)
    if isinstance(term, BNode):
        if term in seen:
            return ("bnode", "cycle")
        described = frozenset(
            (str(p), _term(o, graph, seen | {term})) for p, o in graph.predicate_objects(term)
        )
        return ("bnode", described)
    return None


_PATH_KINDS = (SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)


def _path_term(path, graph: Graph):
    """A property path by what it means: a blank node is read as a processor reads it (a list is a
    sequence path, even with other triples on it, as in path-strange-001)."""
    if not isinstance(path, BNode):
        return _term(path, graph)
    if (path, RDF.first, None) in graph:
        return ("sequence", tuple(_path_term(p, graph) for p in Collection(graph, path)))
    for kind in _PATH_KINDS:
        inner = graph.value(path, kind)
        if inner is not None:
            if kind == SH.alternativePath:
                return ("alternative", tuple(_path_term(p, graph) for p in Collection(graph, inner)))
            return (str(kind), _path_term(inner, graph))
    return _term(path, graph)


def _field(field, value, graph: Graph):
    return _path_term(value, graph) if field == SH.resultPath else _term(value, graph)


def _expected(manifest: Graph, report) -> tuple[bool, list[tuple]]:
    conforms = manifest.value(report, SH.conforms).toPython()
    results = []
    for result in manifest.objects(report, SH.result):
        row = []
        for field in FIELDS:
            value = manifest.value(result, field)
            term = _field(field, value, manifest)
            row.append(ANY_BNODE if term == ("bnode", frozenset()) else term)
        results.append(tuple(row))
    return conforms, results


def _actual(run) -> list[tuple]:
    return [
        tuple(_field(field, r.get(field), run.shapes if field in IN_SHAPES else run.data) for field in FIELDS)
        for r in run.results
    ]


def _matches(expected: tuple, actual: tuple) -> bool:
    return all(e == a or (e == ANY_BNODE and a is not None and a[0] == "bnode") for e, a in zip(expected, actual))


def _same_multiset(expected: list[tuple], actual: list[tuple]) -> bool:
    if len(expected) != len(actual):
        return False

    def assign(i: int, free: list[bool]) -> bool:
        if i == len(expected):
            return True
        for j, candidate in enumerate(actual):
            if free[j] and _matches(expected[i], candidate):
                free[j] = False
                if assign(i + 1, free):
                    return True
                free[j] = True
        return False

    return assign(0, [True] * len(actual))


def _severity(term) -> str:
    name = str(term).rpartition("#")[2]
    return name if name in SEVERITIES else VIOLATION


@pytest.mark.skipif(not CORE.exists(), reason="needs ../shared/w3c/shacl/core")
def test_the_suite_is_complete():
    assert len(CASES) == 98


@pytest.mark.skipif(not CORE.exists(), reason="needs ../shared/w3c/shacl/core")
@pytest.mark.parametrize("data_file, shapes_file, manifest, report", CASES)
def test_w3c_core(data_file: Path, shapes_file: Path, manifest: Graph, report):
    triples = list(ox.parse(data_file.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=data_file.as_uri()))
    run = shacl_results(triples, extra_shapes=[shapes_file], only_shapes=True)

    conforms, expected = _expected(manifest, report)
    actual = _actual(run)
    assert run.conforms == conforms
    assert _same_multiset(expected, actual), f"expected {sorted(map(str, expected))}\nfound {sorted(map(str, actual))}"

    # The registry's report of the same run.
    assert run.report.conforms == (not any(_severity(r[SH.resultSeverity]) == VIOLATION for r in run.results))
    raw = {(_severity(r[SH.resultSeverity]), node_key(r[SH.focusNode]), None if r.get(SH.value) is None
            else node_key(r[SH.value])) for r in run.results}  # fmt: skip
    assert {(r.severity, r.focus_node, r.value) for r in run.report.results} == raw
