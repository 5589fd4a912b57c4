"""Validate one document's triples against the CTDL shapes.

The shapes (``ctdl.ttl``, plus any extra shape files) are parsed and harvested
by pyshacl once and cached; each call converts the document to rdflib and runs
the constraints (:mod:`.runner`): no inference, no SHACL-AF.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from pyshacl.monkey import apply_patches, rdflib_bool_patch, rdflib_bool_unpatch
from rdflib import Graph

from ..paths import SHAPES_DIR
from ..vocab import vocabulary
from .convert import to_rdflib
from .focus import FocusLabels
from .report import VIOLATION, Report
from .results import ResultReader, ShapeTexts
from .runner import CompiledShapes

DEFAULT_SHAPES = SHAPES_DIR / "ctdl.ttl"


def _parse(paths: tuple[Path, ...]) -> Graph:
    graph = Graph()
    rdflib_bool_patch()  # as pyshacl does when it loads a shapes graph
    try:
        for path in paths:
            graph.parse(path, format="turtle" if path.suffix in (".ttl", ".turtle") else None)
    finally:
        rdflib_bool_unpatch()
    return graph


@lru_cache(maxsize=8)
def _load(files: tuple[tuple[Path, int], ...]) -> tuple[CompiledShapes, ShapeTexts]:
    """Parsed and harvested shapes; ``files`` carries modification times so edits are picked up."""
    apply_patches()
    compiled = CompiledShapes(_parse(tuple(path for path, _ in files)))
    return compiled, ShapeTexts(compiled.graph, vocabulary())


def load_shapes(extra_shapes: Sequence[Path] = (), only_shapes: bool = False) -> tuple[CompiledShapes, ShapeTexts]:
    paths = [Path(p).resolve() for p in extra_shapes]
    if not only_shapes:
        paths.insert(0, DEFAULT_SHAPES)
    if not paths:
        raise ValueError("only_shapes=True needs at least one file in extra_shapes")
    return _load(tuple((p, p.stat().st_mtime_ns) for p in paths))


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
    triples = list(triples)
    compiled, texts = load_shapes(extra_shapes, only_shapes)
    data = to_rdflib(triples)
    reader = ResultReader(texts, data, FocusLabels(triples, main_iri))
    results = reader.read(compiled.run(data))
    return Report(conforms=not any(r.severity == VIOLATION for r in results), results=results)


def validate_many(documents: Iterable[Iterable], **options) -> list[Report]:
    """Validate several documents independently (same keyword options for all)."""
    return [validate(triples, **options) for triples in documents]
