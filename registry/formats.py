"""Serialising a resource's triples: Turtle, N-Triples and readable JSON-LD.

The JSON-LD is flattened like Credential Engine's publishing output (an
``@graph`` whose first node is the resource, blank nodes after it), with a
context of prefixes only and explicit value objects, so it never depends on a
remote context and parses back to exactly the same triples.
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from .namespaces import PREFIXES, RDF_TYPE, XSD, compact

MEDIA_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}
RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}


def _key(iri: str) -> str:
    short = compact(iri)
    return short if short != iri else iri


def _value(term) -> object:
    if isinstance(term, ox.NamedNode):
        return {"@id": term.value}
    if isinstance(term, ox.BlankNode):
        return {"@id": "_:" + term.value}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype.value == XSD + "string":
        return term.value
    return {"@value": term.value, "@type": _key(term.datatype.value)}


def to_jsonld(triples: list[ox.Triple], main_iri: str | None = None, graph_iri: str | None = None) -> dict:
    nodes: dict[str, dict] = {}
    for t in triples:
        sid = t.subject.value if isinstance(t.subject, ox.NamedNode) else "_:" + t.subject.value
        node = nodes.setdefault(sid, {"@id": sid})
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(_key(t.object.value))
        else:
            node.setdefault(_key(t.predicate.value), []).append(_value(t.object))
    for node in nodes.values():
        for k, v in node.items():
            if isinstance(v, list) and len(v) == 1:
                node[k] = v[0]
    order = sorted(nodes, key=lambda s: (s != main_iri, s.startswith("_:"), s))
    doc: dict = {"@context": dict(PREFIXES)}
    if graph_iri:
        doc["@id"] = graph_iri
    doc["@graph"] = [nodes[s] for s in order]
    return doc


def jsonld_text(triples: list[ox.Triple], main_iri: str | None = None, graph_iri: str | None = None) -> str:
    return json.dumps(to_jsonld(triples, main_iri, graph_iri), ensure_ascii=False, indent=2)


def serialise(triples: list[ox.Triple], media_type: str, main_iri: str | None = None) -> bytes:
    if media_type == "application/ld+json":
        return jsonld_text(triples, main_iri).encode("utf-8")
    fmt = RDF_FORMATS[media_type]
    prefixes = PREFIXES if fmt == ox.RdfFormat.TURTLE else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes)
