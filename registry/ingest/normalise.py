"""Normalise parsed CTDL before validation and storage.

* Older documents use ``http://purl.org/ctdl/...`` where CTDL now says
  ``https://purl.org/ctdl/...``: both namespaces are read as the current one.
* Blank nodes get labels unique to their document, so that two resources'
  ``_:b0`` never become one node in the store.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox

_LEGACY = (
    ("http://purl.org/ctdl/", "https://purl.org/ctdl/"),
    ("http://purl.org/ctdlasn/", "https://purl.org/ctdlasn/"),
)


def _iri(value: str) -> str:
    for old, new in _LEGACY:
        if value.startswith(old):
            return new + value[len(old):]
    return value


def normalise(triples: list[ox.Triple], source: bytes) -> list[ox.Triple]:
    """Return the triples with current namespaces and document-unique blank nodes.

    ``source`` is the document they were read from: the blank-node labels derive
    from it, so the same document always gets the same labels and a rebuild
    reproduces the same store.
    """
    prefix = "d" + hashlib.blake2b(source, digest_size=6).hexdigest()
    bnodes: dict[str, ox.BlankNode] = {}
    named: dict[str, ox.NamedNode] = {}

    def term(node):
        if isinstance(node, ox.NamedNode):
            value = node.value
            cached = named.get(value)
            if cached is None:
                new = _iri(value)
                cached = named[value] = node if new == value else ox.NamedNode(new)
            return cached
        if isinstance(node, ox.BlankNode):
            cached = bnodes.get(node.value)
            if cached is None:
                cached = bnodes[node.value] = ox.BlankNode(f"{prefix}b{len(bnodes)}")
            return cached
        if isinstance(node, ox.Literal) and node.datatype.value.startswith("http://purl.org/ctdl"):
            return ox.Literal(node.value, datatype=ox.NamedNode(_iri(node.datatype.value)))
        return node

    out = []
    for t in triples:
        s, p, o = term(t.subject), term(t.predicate), term(t.object)
        out.append(t if s is t.subject and p is t.predicate and o is t.object else ox.Triple(s, p, o))
    return out
