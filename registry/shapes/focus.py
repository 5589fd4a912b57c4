"""Readable names for the nodes of one document: ``requires[0] (ConditionProfile)``.

The main resource (``main_iri``, else the first node with a CTID, else the
first subject) is "the resource"; nodes nested in it are named by the path
from it, with the position of each value in document order. Other nodes that
have their own CTID (the competencies of a framework, say) are named by their
CTID, and nodes nested in them by the path from there.
"""

from __future__ import annotations

from collections import deque

import pyoxigraph as ox

from ..namespaces import CETERMS, CTID_PROPERTIES, RDF_TYPE, compact

_MAIN = "the resource"


def _key(term) -> str:
    return term.value if isinstance(term, ox.NamedNode) else "_:" + term.value


def _step(predicate: str) -> str:
    return predicate[len(CETERMS):] if predicate.startswith(CETERMS) else compact(predicate)


def _type_name(iri: str) -> str:
    """``https://purl.org/ctdl/terms/Badge`` -> ``Badge``."""
    curie = compact(iri)
    if curie != iri:
        return curie.rpartition(":")[2]
    return iri.rstrip("/#").rpartition("#")[2].rpartition("/")[2] or iri


class FocusLabels:
    """Node key (IRI, or ``_:id`` for a blank node) -> human label."""

    def __init__(self, triples: list, main_iri: str | None = None):
        self._edges: dict[str, list[tuple[str, str]]] = {}
        self._types: dict[str, list[str]] = {}
        self._ctids: dict[str, str] = {}
        self._order: list[str] = []
        for t in triples:
            s, p, o = t.subject, t.predicate.value, t.object
            if not isinstance(s, (ox.NamedNode, ox.BlankNode)):
                continue  # an RDF 1.2 triple term
            key = _key(s)
            if key not in self._edges:
                self._edges[key] = []
                self._order.append(key)
            if p == RDF_TYPE and isinstance(o, ox.NamedNode):
                self._types.setdefault(key, []).append(o.value)
            elif p in CTID_PROPERTIES and isinstance(o, ox.Literal):
                self._ctids.setdefault(key, o.value)
            elif isinstance(o, (ox.NamedNode, ox.BlankNode)):
                self._edges[key].append((p, _key(o)))
        first_with_ctid = next((k for k in self._order if k in self._ctids), None)
        self.main = main_iri or first_with_ctid or (self._order[0] if self._order else None)
        self._paths = self._walk()

    def _walk(self) -> dict[str, str]:
        paths: dict[str, str] = {}
        roots = [self.main] if self.main else []
        roots += [k for k in self._order if k in self._ctids and k != self.main]
        for root in roots:
            if root in paths:
                continue
            paths[root] = "" if root == self.main else self._ctids.get(root, root)
            queue = deque([root])
            while queue:
                node = queue.popleft()
                seen: dict[str, int] = {}
                for predicate, target in self._edges.get(node, ()):
                    index = seen.get(predicate, 0)
                    seen[predicate] = index + 1
                    # Step into nested nodes only: nodes with their own CTID are roots.
                    if target in paths or target not in self._edges or target in self._ctids:
                        continue
                    step = f"{_step(predicate)}[{index}]"
                    if node == self.main:
                        paths[target] = step
                    elif node == root:
                        paths[target] = f"{paths[node]} › {step}"
                    else:
                        paths[target] = f"{paths[node]}.{step}"
                    queue.append(target)
        return paths

    def type_name(self, key: str) -> str:
        types = self._types.get(key)
        return ", ".join(_type_name(t) for t in types) if types else ""

    def label(self, key: str) -> str:
        path = self._paths.get(key)
        kind = self.type_name(key)
        if path is None:  # not reachable from any resource: name it by its identifier
            path = key
        elif path == "":
            path = _MAIN
        return f"{path} ({kind})" if kind else path

    def order(self, key: str) -> tuple[int, str]:
        """Sort key: the main resource first, then document order."""
        if key == self.main:
            return (0, "")
        return (1, self._paths.get(key, "~" + key))
