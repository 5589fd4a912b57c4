"""Validate documents' triples against the CTDL shapes.

The shapes (``ctdl.ttl``, plus any extra shape files) are parsed and harvested
by pyshacl once and cached; each call converts the documents to rdflib and runs
the constraints (:mod:`.runner`): no inference, no SHACL-AF.

* :func:`validate` validates one document.
* :func:`validate_many` validates a list of documents, each independently, with
  exactly the reports :func:`validate` gives. It validates documents together
  in one run where that cannot change any result (:mod:`.batch`) and spreads a
  large list over the machine's cores (:mod:`.parallel`).
* :func:`shacl_results` gives the SHACL-level results of one run (focus node,
  path, severity, source shape, value, constraint component), for comparison
  with other SHACL processors (``tests/test_w3c_shacl.py``).
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyshacl.monkey import apply_patches, rdflib_bool_patch, rdflib_bool_unpatch
from rdflib import Graph
from rdflib.namespace import SH

from ..paths import SHAPES_DIR
from ..vocab import vocabulary
from . import batch
from .convert import IndexedGraph, IndexedStore, TermMap, indexed, new_graph, share_iris
from .focus import FocusLabels
from .report import VIOLATION, Report
from .results import ResultReader, ShapeTexts
from .runner import CompiledShapes

DEFAULT_SHAPES = SHAPES_DIR / "ctdl.ttl"
# Documents per merged run: larger runs save little more (docs/validation-engine.md).
BATCH_SIZE = 100


def _parse(paths: tuple[Path, ...]) -> Graph:
    graph = new_graph()
    rdflib_bool_patch()  # as pyshacl does when it loads a shapes graph: literals as written
    try:
        for path in paths:
            graph.parse(path, format="turtle" if path.suffix in (".ttl", ".turtle") else None)
    finally:
        rdflib_bool_unpatch()
    return graph


@dataclass
class Shapes:
    """Parsed and harvested shapes, with what the report needs and how documents may be batched."""

    compiled: CompiledShapes
    texts: ShapeTexts
    plan: batch.Plan | None  # how documents may share a run; None: one document per run
    key: tuple


@lru_cache(maxsize=8)
def _load(files: tuple[tuple[Path, int], ...]) -> Shapes:
    """``files`` carries modification times so edits are picked up."""
    apply_patches()
    graph = _parse(tuple(path for path, _ in files))
    share_iris(graph)
    compiled = CompiledShapes(graph)
    return Shapes(compiled, ShapeTexts(compiled.graph, vocabulary()), batch.plan(compiled), files)


def _shapes(extra_shapes: Sequence[Path] = (), only_shapes: bool = False) -> Shapes:
    paths = [Path(p).resolve() for p in extra_shapes]
    if not only_shapes:
        paths.insert(0, DEFAULT_SHAPES)
    if not paths:
        raise ValueError("only_shapes=True needs at least one file in extra_shapes")
    return _load(tuple((p, p.stat().st_mtime_ns) for p in paths))


def load_shapes(extra_shapes: Sequence[Path] = (), only_shapes: bool = False) -> tuple[CompiledShapes, ShapeTexts]:
    shapes = _shapes(extra_shapes, only_shapes)
    return shapes.compiled, shapes.texts


# --- one run ----------------------------------------------------------------------------------------

_gc_lock = threading.Lock()
_gc_pausing = 0  # validations under way that paused the cyclic garbage collector
_gc_was_enabled = False


def _reset_gc_pause_in_child() -> None:
    """After a fork (parallel.py's workers): no thread of the child is validating, whatever the
    parent's threads were doing; the lock may have been held by one of them."""
    global _gc_lock, _gc_pausing
    _gc_lock = threading.Lock()
    if _gc_pausing and _gc_was_enabled:
        gc.enable()
    _gc_pausing = 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_gc_pause_in_child)


@contextmanager
def _gc_paused():
    """Pause Python's cyclic garbage collector while validating (as registry.demo does while generating).

    Validation allocates many small objects while hundreds of thousands of long-lived ones (the
    harvested shapes) are tracked, so the collector's full passes cost about a third of the time.
    The registry's structures make no reference cycles (convert.IndexedStore holds its graph weakly,
    :func:`_release` drops the namespace manager that refers back to a graph), so documents are freed
    by reference counting; the collector runs again as usual once no thread is validating.
    """
    global _gc_pausing, _gc_was_enabled
    with _gc_lock:
        if _gc_pausing == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausing += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausing -= 1
            if _gc_pausing == 0 and _gc_was_enabled:
                gc.enable()



@dataclass
class _Document:
    triples: list  # pyoxigraph triples or quads
    main_iri: str | None
    graph: IndexedGraph  # the same triples in rdflib terms
    blanks: set  # its blank nodes


def _prepare(triples: Iterable, main_iri: str | None, convert: TermMap | None = None) -> _Document:
    triples = list(triples)
    graph, blanks = indexed(triples, convert)
    return _Document(triples, main_iri, graph, blanks)


def _report(shapes: Shapes, doc: _Document, raw: list[tuple]) -> Report:
    reader = ResultReader(shapes.texts, doc.graph, FocusLabels(doc.triples, doc.main_iri))
    results = reader.read(raw)
    return Report(conforms=not any(r.severity == VIOLATION for r in results), results=results)


def _release(graph: Graph) -> None:
    """Drop the namespace manager pyshacl may have made for ``graph``: it refers back to the graph,
    a reference cycle that would keep all its triples until the garbage collector runs."""
    graph.namespace_manager = None


def _validate_alone(shapes: Shapes, doc: _Document) -> tuple[Report, list[tuple]]:
    raw = shapes.compiled.run(doc.graph)
    report = _report(shapes, doc, raw)
    _release(doc.graph)
    return report, raw


def _validate_together(shapes: Shapes, docs: list[_Document]) -> list[Report]:
    """Reports for documents that :func:`batch.groups` put in one group."""
    if len(docs) == 1:
        return [_validate_alone(shapes, docs[0])[0]]
    merged = new_graph(IndexedStore.union(doc.graph.store for doc in docs))
    raw = shapes.compiled.run(merged)
    _release(merged)
    per_document = batch.split_results(raw, [doc.graph.store for doc in docs])
    if per_document is None:  # a focus node no document describes: cannot happen with batchable shapes
        return [_validate_alone(shapes, doc)[0] for doc in docs]
    reports = [_report(shapes, doc, raw) for doc, raw in zip(docs, per_document)]
    for doc in docs:
        _release(doc.graph)
    return reports


def _validate_documents(shapes: Shapes, docs: list[_Document], batch_size: int = BATCH_SIZE) -> list[Report]:
    """Reports in order, batching where :attr:`Shapes.plan` allows."""
    if shapes.plan is None or batch_size <= 1:
        return [_validate_alone(shapes, doc)[0] for doc in docs]
    reports: list[Report | None] = [None] * len(docs)
    for start in range(0, len(docs), batch_size):
        chunk = docs[start : start + batch_size]
        for members in batch.groups([(d.graph.store, d.blanks) for d in chunk], shapes.plan):
            for i, report in zip(members, _validate_together(shapes, [chunk[i] for i in members])):
                reports[start + i] = report
    return reports  # type: ignore[return-value]


# --- public API -------------------------------------------------------------------------------------


def validate(
    triples: Iterable,
    *,
    extra_shapes: Sequence[Path] = (),
    only_shapes: bool = False,
    main_iri: str | None = None,
) -> Report:
    """Validate the triples (or quads; graph names are ignored) of ONE document.

    ``extra_shapes`` are Turtle files validated together with ``ctdl.ttl``, or
    instead of it with ``only_shapes=True``. ``main_iri`` names the document's
    resource (default: the first node with a CTID); it is only used to word the
    report, e.g. ``requires[0] (ConditionProfile)``.
    """
    shapes = _shapes(extra_shapes, only_shapes)
    with _gc_paused():
        return _validate_alone(shapes, _prepare(triples, main_iri))[0]


def validate_many(
    documents: Iterable[Iterable],
    main_iris: Sequence[str | None] | None = None,
    *,
    extra_shapes: Sequence[Path] = (),
    only_shapes: bool = False,
    workers: int | None = None,
    batch_size: int = BATCH_SIZE,
) -> list[Report]:
    """Validate several documents independently; one report per document, in order.

    Each report is exactly what ``validate(documents[i], main_iri=main_iris[i],
    extra_shapes=..., only_shapes=...)`` returns. ``workers``: processes to use
    besides this one (default: one per extra core when the list is large enough
    to gain from it, see :mod:`.parallel`; 0: this process only). ``batch_size``:
    documents per merged run (1: no merging).
    """
    from . import parallel

    documents = [list(d) for d in documents]
    iris = list(main_iris) if main_iris is not None else [None] * len(documents)
    if len(iris) != len(documents):
        raise ValueError("main_iris must have one entry per document")
    shapes = _shapes(extra_shapes, only_shapes)
    return parallel.validate_documents(shapes, documents, iris, workers=workers, batch_size=batch_size)


def validate_prepared(shapes: Shapes, documents: list[list], iris: list[str | None], batch_size: int) -> list[Report]:
    """:func:`validate_many` in this process (used by :mod:`.parallel`)."""
    convert = TermMap()  # shared: each term is converted once per call
    with _gc_paused():
        docs = [_prepare(triples, iri, convert) for triples, iri in zip(documents, iris)]
        return _validate_documents(shapes, docs, batch_size)


@dataclass
class ShaclResults:
    """The SHACL-level outcome of validating one data graph, and the registry's report of it.

    ``results`` has one dict per validation result, keyed by ``sh:focusNode``,
    ``sh:resultPath``, ``sh:resultSeverity``, ``sh:sourceShape``, ``sh:value``,
    ``sh:sourceConstraintComponent`` and ``sh:resultMessage`` (rdflib terms;
    absent keys: no such triple). ``shapes`` is the graph the shape and path
    nodes belong to, ``data`` the data graph. ``conforms`` is SHACL's: no result
    of any severity (the registry's ``report.conforms`` ignores warnings).
    """

    conforms: bool
    results: list[dict]
    shapes: Graph
    data: Graph
    report: Report


def shacl_results(
    triples: Iterable,
    *,
    extra_shapes: Sequence[Path] = (),
    only_shapes: bool = False,
    main_iri: str | None = None,
) -> ShaclResults:
    """Validate one document as :func:`validate` does, keeping the SHACL results it read the report from."""
    shapes = _shapes(extra_shapes, only_shapes)
    doc = _prepare(triples, main_iri)
    with _gc_paused():
        report, raw = _validate_alone(shapes, doc)
    results = []
    for _description, node, result_triples in raw:
        fields: dict = {}
        for s, p, o in result_triples:  # pyshacl writes some objects as (graph, node) pairs
            if s == node:
                o = o[1] if isinstance(o, tuple) else o
                if p == SH.resultMessage:
                    fields.setdefault(p, []).append(o)
                else:
                    fields.setdefault(p, o)
        results.append(fields)
    return ShaclResults(not results, results, shapes.compiled.graph, doc.graph, report)
