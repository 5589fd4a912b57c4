"""pyoxigraph terms -> rdflib terms, directly (no serialisation round trip)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class TermMap:
    """Converts terms, reusing the rdflib object for a repeated IRI or blank node."""

    def __init__(self) -> None:
        self._nodes: dict[object, URIRef | BNode] = {}

    def __call__(self, term) -> URIRef | BNode | Literal | None:
        if isinstance(term, ox.Literal):
            if term.language:
                return Literal(term.value, lang=term.language)
            datatype = term.datatype.value
            # A plain string: rdflib's parsers give these no datatype, and so do we.
            return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
        node = self._nodes.get(term)
        if node is None:
            if isinstance(term, ox.NamedNode):
                node = URIRef(term.value)
            elif isinstance(term, ox.BlankNode):
                node = BNode(term.value)
            else:  # an RDF 1.2 triple term: not something a shape can check
                return None
            self._nodes[term] = node
        return node


def to_rdflib(triples: Iterable) -> Graph:
    """Triples or quads (the graph name is ignored) as an rdflib graph."""
    graph = Graph(bind_namespaces="none")
    convert = TermMap()
    add = graph.add
    for t in triples:
        s, p, o = convert(t.subject), convert(t.predicate), convert(t.object)
        if s is not None and o is not None:
            add((s, p, o))
    return graph
