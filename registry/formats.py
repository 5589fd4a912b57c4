"""Serialising a resource's triples: Turtle, N-Triples and readable JSON-LD.

The JSON-LD is flattened like Credential Engine's publishing output (an
``@graph`` whose first node is the resource, blank nodes after it), with a
context of prefixes only and explicit value objects, so it never depends on a
remote context and parses back to exactly the same triples.
"""

from __future__ import annotations

import json

import orjson
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


XSD_STRING = XSD + "string"
_key = compact  # IRI -> compact form (cached: the same few hundred properties and types recur)


_NAMED, _BLANK = ox.NamedNode, ox.BlankNode


def _value(term) -> object:
    tt = type(term)
    if tt is _NAMED:
        return {"@id": term.value}
    if tt is _BLANK:
        return {"@id": "_:" + term.value}
    language = term.language
    if language:
        return {"@value": term.value, "@language": language}
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return term.value
    return {"@value": term.value, "@type": _key(datatype)}


def by_subject(triples) -> dict[str, dict[str, list]]:
    """The triples indexed by subject (``_:`` + label for a blank node), then by property IRI, in
    document order, each statement once: what the pages read (``pages._Graph``) and the JSON-LD is
    written from. Triples, or Quads (pyoxigraph.parse): read by name, not by unpacking."""
    props: dict[str, dict[str, list]] = {}
    many: dict[tuple[str, str], set] = {}  # long value lists: a set for the duplicate check
    blank = ox.BlankNode
    for t in triples:
        s, p, o = t.subject, t.predicate.value, t.object
        key = "_:" + s.value if type(s) is blank else s.value
        node = props.get(key)
        if node is None:
            node = props[key] = {}
        values = node.get(p)
        if values is None:
            node[p] = [o]
        elif len(values) < 16:
            if o not in values:
                values.append(o)
        else:
            seen = many.get((key, p))
            if seen is None:
                seen = many[(key, p)] = set(values)
            if o not in seen:
                seen.add(o)
                values.append(o)
    return props


def _add(node: dict, key: str, value) -> None:
    """One more value of ``key`` in a JSON-LD node: a single value as itself, more as a list (a
    value is never a list itself)."""
    old = node.get(key)
    if old is None:
        node[key] = value
    elif type(old) is list:
        old.append(value)
    else:
        node[key] = [old, value]


def to_jsonld(triples, main_iri: str | None = None, graph_iri: str | None = None) -> dict:
    """The document as a dict, from triples or from :func:`by_subject` of them. A full static build
    computes it once per resource, for the page (:func:`compact_json`) and the ``.jsonld`` alternate
    (:func:`jsonld_lines`), from the index its page reads, so it is kept lean."""
    props = triples if type(triples) is dict else by_subject(triples)
    named = _NAMED
    value_of = _value
    nodes: dict[str, dict] = {}
    for sid, predicates in props.items():
        node = nodes[sid] = {"@id": sid}
        for p, objects in predicates.items():
            if p == RDF_TYPE:  # a class is an @type, any other value stays a value of rdf:type
                for o in objects:
                    if type(o) is named:
                        _add(node, "@type", _key(o.value))
                    else:
                        _add(node, _key(p), value_of(o))
                continue
            key = _key(p)
            if key in node:  # two IRIs with one compact form (the IRI "ceterms:name" itself, and ceterms:name)
                for o in objects:
                    _add(node, key, value_of(o))
            elif len(objects) == 1:  # a single value is written as itself
                node[key] = value_of(objects[0])
            else:
                node[key] = list(map(value_of, objects))
    order = sorted(nodes, key=lambda s: (s != main_iri, s.startswith("_:"), s))
    doc: dict = {"@context": dict(PREFIXES)}
    if graph_iri:
        doc["@id"] = graph_iri
    doc["@graph"] = [nodes[s] for s in order]
    return doc


def compact_json(doc) -> str:
    """What a page embeds: ``json.dumps(doc, ensure_ascii=False, separators=(",", ":"))``, from
    orjson (six times faster than json's C encoder; a full build encodes every node of every
    resource twice): the same characters for strings, integers, lists and objects; a float may
    come in another form of the same number (``1e-05`` as ``0.00001``). An integer beyond 64 bits
    (a price of 10^20 in schema.org's description), which orjson refuses, goes through json."""
    try:
        return orjson.dumps(doc).decode("utf-8")
    except TypeError:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


_COMPACT = compact_json
_PREFIXES_JSON = _COMPACT(PREFIXES)  # every document's @context: encoded once


def jsonld_pair(doc: dict) -> tuple[str, str]:
    """(:func:`compact_json` of ``doc``, :func:`jsonld_lines` of ``doc``): what a page embeds and its
    ``.jsonld`` alternate, from one encoding of each node (a full build writes both for every resource)."""
    members: list[tuple[str, str | list[str]]] = []
    for key, value in doc.items():
        if key == "@graph" and type(value) is list:
            members.append((_COMPACT(key), list(map(_COMPACT, value))))
        elif key == "@context" and value == PREFIXES:
            members.append((_COMPACT(key), _PREFIXES_JSON))
        else:
            members.append((_COMPACT(key), _COMPACT(value)))
    compact = "{" + ",".join(f"{k}:[{','.join(v)}]" if type(v) is list else f"{k}:{v}" for k, v in members) + "}"
    lines = [f"  {k}: [\n    " + ",\n    ".join(v) + "\n  ]" if type(v) is list and v
             else f"  {k}: []" if type(v) is list else f"  {k}: {v}" for k, v in members]
    return compact, ("{\n" + ",\n".join(lines) + "\n}\n" if lines else "{}\n")


def jsonld_lines(doc: dict) -> str:
    """The ``.jsonld`` alternate: readable and cheap. Each member of the document, and each node of its
    ``@graph``, sits on a line of its own, written by :func:`compact_json` (``indent`` would make
    json.dumps use its pure-Python one, which cost more than the rest of the page)."""
    return jsonld_pair(doc)[1]


def jsonld_text(triples: list[ox.Triple], main_iri: str | None = None, graph_iri: str | None = None) -> str:
    return jsonld_lines(to_jsonld(triples, main_iri, graph_iri))


def serialise(triples: list[ox.Triple], media_type: str, main_iri: str | None = None) -> bytes:
    if media_type == "application/ld+json":
        return jsonld_text(triples, main_iri).encode("utf-8")
    fmt = RDF_FORMATS[media_type]
    prefixes = PREFIXES if fmt == ox.RdfFormat.TURTLE else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes)
