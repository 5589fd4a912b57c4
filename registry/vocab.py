"""The CTDL and CTDL-ASN vocabularies: labels, definitions, class hierarchy.

Loaded once from ``ontology/`` (Credential Engine, CC BY 4.0).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph

from .ingest.contexts import inline_contexts
from .namespaces import CEASN, CETERMS, DCT, RDF, RDF_TYPE, RDFS, SCHEMA, SKOS, compact
from .paths import CTDL_SCHEMA, CTDLASN_SCHEMA


@dataclass
class Term:
    iri: str
    kind: str  # "class", "property", "concept", "scheme", other
    label: str = ""
    definition: str = ""
    usage: str = ""
    superclasses: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    scheme: str = ""  # for concepts: the concept scheme they belong to
    in_scheme_of: list[str] = field(default_factory=list)  # for properties: target concept schemes


_META = "http://credreg.net/meta/terms/"
_LABEL = (RDFS + "label", SKOS + "prefLabel")
_DEFINITION = (RDFS + "comment", SKOS + "definition")
_USAGE = (DCT + "description", "http://purl.org/vocab/vann/usageNote")
_KINDS = {
    RDFS + "Class": "class",
    RDF + "Property": "property",
    SKOS + "Concept": "concept",
    SKOS + "ConceptScheme": "scheme",
}


def _pick(literals: list) -> str:
    """The English text among a term's literals."""
    best = ""
    for lit in literals:
        lang = getattr(lit, "language", None) or ""
        if lang in ("en-us", "en-US"):
            return lit.value
        if lang.startswith("en") or not best:
            best = lit.value
    return best


class Vocabulary:
    def __init__(self, terms: dict[str, Term]):
        self.terms = terms
        self._sub: dict[str, set[str]] = {}
        for term in terms.values():
            for sup in term.superclasses:
                self._sub.setdefault(sup, set()).add(term.iri)

    def get(self, iri: str) -> Term | None:
        return self.terms.get(iri)

    def label(self, iri: str) -> str:
        term = self.terms.get(iri)
        if term and term.label:
            return term.label
        local = compact(iri).rpartition(":")[2].rpartition("/")[2].rpartition("#")[2]
        return local or iri

    def definition(self, iri: str) -> str:
        term = self.terms.get(iri)
        return term.definition if term else ""

    def subclasses(self, iri: str) -> set[str]:
        """All transitive subclasses of ``iri`` (not including itself)."""
        out: set[str] = set()
        todo = [iri]
        while todo:
            for sub in self._sub.get(todo.pop(), ()):
                if sub not in out:
                    out.add(sub)
                    todo.append(sub)
        return out

    def superclasses(self, iri: str) -> list[str]:
        """Transitive superclasses, nearest first."""
        out: list[str] = []
        todo = list(self.terms[iri].superclasses) if iri in self.terms else []
        while todo:
            sup = todo.pop(0)
            if sup not in out:
                out.append(sup)
                if sup in self.terms:
                    todo.extend(self.terms[sup].superclasses)
        return out

    def is_a(self, cls: str, ancestor: str) -> bool:
        return cls == ancestor or ancestor in self.superclasses(cls)


def _read(path) -> dict[str, Term]:
    with open(path, encoding="utf-8") as fh:
        doc = inline_contexts(json.load(fh))
    props: dict[str, dict[str, list]] = {}
    for triple in pyoxigraph.parse(json.dumps(doc), format=pyoxigraph.RdfFormat.JSON_LD):
        if isinstance(triple.subject, pyoxigraph.NamedNode):
            props.setdefault(triple.subject.value, {}).setdefault(triple.predicate.value, []).append(triple.object)
    terms: dict[str, Term] = {}
    for iri, p in props.items():
        types = [t.value for t in p.get(RDF_TYPE, [])]
        kind = next((_KINDS[t] for t in types if t in _KINDS), "other")

        def iris(*keys):
            return [o.value for k in keys for o in p.get(k, []) if isinstance(o, pyoxigraph.NamedNode)]

        def text(keys):
            return _pick([o for k in keys for o in p.get(k, []) if isinstance(o, pyoxigraph.Literal)])

        terms[iri] = Term(
            iri=iri,
            kind=kind,
            label=text(_LABEL),
            definition=text(_DEFINITION),
            usage=text(_USAGE),
            superclasses=iris(RDFS + "subClassOf"),
            domain=iris(SCHEMA + "domainIncludes", "http://schema.org/domainIncludes"),
            range=iris(SCHEMA + "rangeIncludes", "http://schema.org/rangeIncludes"),
            scheme=(iris(SKOS + "inScheme") or [""])[0],
            in_scheme_of=iris(_META + "targetScheme"),
        )
    return terms


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    terms = _read(CTDL_SCHEMA)
    terms.update({k: v for k, v in _read(CTDLASN_SCHEMA).items() if k not in terms or k.startswith(CEASN)})
    return Vocabulary(terms)


CREDENTIAL = CETERMS + "Credential"
