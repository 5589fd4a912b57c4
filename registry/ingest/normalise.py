"""Normalise parsed CTDL before validation and storage.

* Older documents use ``http://purl.org/ctdl/...`` where CTDL now says
  ``https://purl.org/ctdl/...``: both namespaces are read as the current one.
* Blank nodes get labels unique to their document, so that two resources'
  ``_:b0`` never become one node in the store.
* JSON-LD writes a JSON number with a fraction in the double's canonical form
  even where the context types it ``xsd:decimal`` (``3533.68`` becomes
  ``"3.53368E3"^^xsd:decimal``, which is not a decimal). Such values are
  rewritten as the decimal they denote (``"3533.68"^^xsd:decimal``).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"

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
        if isinstance(node, ox.Literal):
            datatype = node.datatype.value
            if datatype == _DECIMAL and ("E" in node.value or "e" in node.value):
                return ox.Literal(_decimal(node.value), datatype=node.datatype)
            if datatype.startswith("http://purl.org/ctdl"):
                return ox.Literal(node.value, datatype=ox.NamedNode(_iri(datatype)))
        return node

    out = []
    for t in triples:
        s, p, o = term(t.subject), term(t.predicate), term(t.object)
        out.append(t if s is t.subject and p is t.predicate and o is t.object else ox.Triple(s, p, o))
    return out


def _decimal(lexical: str) -> str:
    """``3.53368E3`` -> ``3533.68`` (unchanged if it is not a number at all)."""
    try:
        value = Decimal(lexical)
    except InvalidOperation:
        return lexical
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".") or "0"
    return text if "." in text else text + ".0"
