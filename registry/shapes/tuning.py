"""Two behaviour-preserving speed-ups for pyshacl, used by :mod:`registry.shapes.runner`.

* pyshacl writes a text description of every result (it walks and prints the
  blank nodes involved); the registry builds its own report and never reads
  it. :func:`no_descriptions` skips that work, only inside its ``with`` block
  and only in the current thread or task (a ContextVar): anyone else using
  pyshacl in the process still gets descriptions. This halves validation time.
* ``Shape.validate`` checks each predicate of a shape for membership in a
  *list* of about 45 constraint parameters, comparing IRIs one by one. The
  same list with a set-backed ``in`` gives identical answers, faster.

Both are written against pyshacl 0.40 (pinned in pyproject.toml). If its
internals change, :func:`install` leaves pyshacl alone: validation stays
correct, only slower.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

import pyshacl.shape as pyshacl_shape
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.constraints.constraint_component import ConstraintComponent

_SKIP_DESCRIPTIONS: ContextVar[bool] = ContextVar("registry_skip_shacl_descriptions", default=False)
_installed = False


class _ParameterList(list):
    """A list whose ``in`` is a set lookup."""

    def __init__(self, items):
        super().__init__(items)
        self._members = frozenset(items)

    def __contains__(self, item) -> bool:
        return item in self._members


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    describe = getattr(ConstraintComponent, "make_v_result_description", None)
    if describe is not None:

        def make_v_result_description(self, *args, **kwargs):
            return "" if _SKIP_DESCRIPTIONS.get() else describe(self, *args, **kwargs)

        ConstraintComponent.make_v_result_description = make_v_result_description
    current = getattr(pyshacl_shape, "CONSTRAINT_PARAMS", None)
    if current is None or current == (ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP):
        pyshacl_shape.CONSTRAINT_PARAMS = (_ParameterList(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)


@contextmanager
def no_descriptions():
    token = _SKIP_DESCRIPTIONS.set(True)
    try:
        yield
    finally:
        _SKIP_DESCRIPTIONS.reset(token)
