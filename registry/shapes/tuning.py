"""Behaviour-preserving speed-ups for pyshacl, used by :mod:`registry.shapes.runner`.

* pyshacl writes a text description of every result (it walks and prints the
  blank nodes involved); the registry builds its own report and never reads
  it. :func:`no_descriptions` skips that work, only inside its ``with`` block
  and only in the current thread or task (a ContextVar): anyone else using
  pyshacl in the process still gets descriptions. This halves validation time.
* ``Shape.validate`` checks each predicate of a shape for membership in a
  *list* of about 45 constraint parameters, comparing IRIs one by one. The
  same list with a set-backed ``in`` gives identical answers, faster.
* ``Shape.value_nodes`` finds a property shape's values focus node by focus
  node through five layers of generators. For a simple predicate path on the
  registry's indexed data graphs, inside :func:`no_descriptions`, the same sets
  are read from the index directly.
* ``Shape.validate`` also builds its constraint objects again on every call,
  re-reading their parameters from the shapes graph (an ``sh:in`` list of 40
  concepts costs about 2 ms each time). Inside :func:`no_descriptions` the
  object made for a (shape, constraint class) is kept on the shape and reused:
  pyshacl's constraint objects read the shapes graph only when built and never
  change afterwards. A constraint that fails to load fails again each time.

All are written against pyshacl 0.40 (pinned in pyproject.toml). If its
internals change, :func:`install` leaves them out: validation stays correct,
only slower.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

import pyshacl.shape as pyshacl_shape
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.constraints.constraint_component import ConstraintComponent
from rdflib import URIRef

from .convert import IndexedStore

_SKIP_DESCRIPTIONS: ContextVar[bool] = ContextVar("registry_skip_shacl_descriptions", default=False)
_installed = False


class _Reused:
    """Stands in for a constraint class in pyshacl's parameter map: builds each (shape, class) object once."""

    __slots__ = ("cls",)

    def __init__(self, cls):
        self.cls = cls

    def __call__(self, shape):
        if not _SKIP_DESCRIPTIONS.get():
            return self.cls(shape)
        # Kept on the shapes graph (Shape has __slots__), with the shape itself so its id stays its own.
        cache = shape.sg.__dict__.setdefault("_registry_constraints", {})
        key = (id(shape), self.cls)
        entry = cache.get(key)
        if entry is None:
            try:
                made = self.cls(shape)
            except Exception as exc:  # ConstraintLoadWarning / ConstraintLoadError: every time, as pyshacl would
                made = exc
            entry = cache[key] = (shape, made)
        made = entry[1]
        if isinstance(made, Exception):
            raise made
        return made

    def __getattr__(self, name):  # constraint_name(), constraint_parameters()...
        return getattr(self.cls, name)

    def __repr__(self) -> str:
        return repr(self.cls)


class _ParameterList(list):
    """A list whose ``in`` is a set lookup."""

    def __init__(self, items):
        super().__init__(items)
        self._members = frozenset(items)

    def __contains__(self, item) -> bool:
        return item in self._members


def _fast_value_nodes(original):
    def value_nodes(self, target_graph, focus, sparql_mode: bool = False, debug: bool = False):
        store = getattr(target_graph, "_store", None)
        if (
            _SKIP_DESCRIPTIONS.get()
            and not sparql_mode
            and not debug
            and isinstance(store, IndexedStore)
            and getattr(target_graph, "locked_context", None) is None
            and self.is_property_shape
            and isinstance(focus, (tuple, list, set))
        ):
            path = self.path()
            if isinstance(path, URIRef):
                spo = store.spo
                return {f: set(spo.get(f, {}).get(path, ())) for f in focus}
        return original(self, target_graph, focus, sparql_mode=sparql_mode, debug=debug)

    value_nodes.__wrapped__ = original
    return value_nodes


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    if getattr(pyshacl_shape.Shape, "value_nodes", None) is not None:
        pyshacl_shape.Shape.value_nodes = _fast_value_nodes(pyshacl_shape.Shape.value_nodes)
    describe = getattr(ConstraintComponent, "make_v_result_description", None)
    if describe is not None:

        def make_v_result_description(self, *args, **kwargs):
            return "" if _SKIP_DESCRIPTIONS.get() else describe(self, *args, **kwargs)

        ConstraintComponent.make_v_result_description = make_v_result_description
    current = getattr(pyshacl_shape, "CONSTRAINT_PARAMS", None)
    if current is None or current == (ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP):
        reused = {cls: _Reused(cls) for cls in set(CONSTRAINT_PARAMETERS_MAP.values())}
        parameter_map = {p: reused[cls] for p, cls in CONSTRAINT_PARAMETERS_MAP.items()}
        pyshacl_shape.CONSTRAINT_PARAMS = (_ParameterList(ALL_CONSTRAINT_PARAMETERS), parameter_map)


def describing_skipped() -> bool:
    """Whether result descriptions are skipped here (inside :func:`no_descriptions`, once installed)."""
    return _installed and _SKIP_DESCRIPTIONS.get()


@contextmanager
def no_descriptions():
    token = _SKIP_DESCRIPTIONS.set(True)
    try:
        yield
    finally:
        _SKIP_DESCRIPTIONS.reset(token)
