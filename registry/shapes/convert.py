"""pyoxigraph terms -> rdflib terms, directly (no serialisation round trip), into a fast in-memory store.

Terms keep their identity. A literal keeps its lexical form exactly: rdflib
would normally rewrite ``"01"^^xsd:integer`` as ``"1"`` (and so merge it with
``"1"^^xsd:integer``) or ``"1"^^xsd:boolean`` as ``"true"``; here both stay as
written, ill-formed literals (``"c"^^xsd:byte``) included, as pyshacl expects
of a data graph. The shapes graph is parsed the same way (rdflib with literal
normalisation off, as pyshacl does). Language tags are kept as pyoxigraph gives
them: pyoxigraph writes them in lower case, which RDF allows (tags compare
case-insensitively).

:class:`IndexedStore` replaces rdflib's default ``Memory`` store for data
graphs. ``Memory`` keeps track of named graphs the registry never uses, so each
lookup costs several times more, and its ``len()`` (which pyshacl calls for
every result it writes) is cheap only there. ``IndexedStore`` holds one graph in
nested dicts (subject → predicate → objects, the two other orders built on
first use) with an O(1) size. It answers every triple pattern like ``Memory``
would.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.paths import Path
from rdflib.plugins.stores.memory import SimpleMemory

# rdflib logs a warning with a traceback for every ill-formed literal it meets ("2020-13-45"^^xsd:date).
# Such a literal is the data's problem, and the report says so (sh:datatype); the traceback says nothing more.
logging.getLogger("rdflib.term").setLevel(logging.ERROR)

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


# IRIs converted before, shared by every conversion in the process (bounded): a data IRI that the
# shapes also use (a predicate, a class, a concept) becomes the shapes graph's own URIRef object, so
# dict lookups between the two match by identity instead of calling rdflib's Python __eq__.
_IRIS: dict[str, URIRef] = {}
_MAX_IRIS = 200_000


def share_iris(graph: Graph) -> None:
    """Make conversions reuse ``graph``'s URIRef objects (the shapes graph's)."""
    for triple in graph.triples((None, None, None)):
        for term in triple:
            if type(term) is URIRef and len(_IRIS) < _MAX_IRIS:
                _IRIS.setdefault(str(term), term)


def _iri(value: str) -> URIRef:
    node = _IRIS.get(value)
    if node is None:
        node = URIRef(value)
        if len(_IRIS) < _MAX_IRIS:
            _IRIS[value] = node
    return node


class TermMap:
    """Converts terms, reusing the rdflib object for a repeated term."""

    def __init__(self) -> None:
        self._nodes: dict[object, URIRef | BNode | Literal] = {}

    def __call__(self, term) -> URIRef | BNode | Literal | None:
        node = self._nodes.get(term)
        if node is not None:
            return node
        if isinstance(term, ox.NamedNode):
            node = _iri(term.value)
        elif isinstance(term, ox.BlankNode):
            node = BNode(term.value)
        elif isinstance(term, ox.Literal):
            if term.language:
                node = Literal(term.value, lang=term.language, normalize=False)
            else:
                datatype = term.datatype.value
                # A plain string: rdflib's parsers give these no datatype, and so do we.
                node = (
                    Literal(term.value, normalize=False)
                    if datatype == _XSD_STRING
                    else Literal(term.value, datatype=_iri(datatype), normalize=False)
                )
        else:  # an RDF 1.2 triple term: not something a shape can check
            return None
        self._nodes[term] = node
        return node


class IndexedStore(SimpleMemory):
    """One graph in three dict indexes (spo, pos, osp), for pyshacl and the report.

    Declared context-aware because pyshacl wraps data graphs in an rdflib
    ``Dataset``; its only context is the :class:`Graph` made by :func:`new_graph`.
    """

    context_aware = True
    graph_aware = True

    def __init__(self) -> None:
        super().__init__()
        self.spo: dict = {}
        self._pos: dict | None = None  # built on first use: reading a report needs only spo
        self._osp: dict | None = None
        self.size = 0
        self._graph: weakref.ref | None = None  # weak: no reference cycle, freed without the GC

    @property
    def graph(self) -> Graph | None:
        return self._graph() if self._graph is not None else None

    @graph.setter
    def graph(self, graph: Graph | None) -> None:
        self._graph = weakref.ref(graph) if graph is not None else None

    def _contexts(self) -> Iterator:
        return iter((self.graph,))

    @property
    def pos(self) -> dict:
        if self._pos is None:
            self._pos = {}
            for s, po in self.spo.items():
                for p, objects in po.items():
                    os_ = self._pos.setdefault(p, {})
                    for o in objects:
                        os_.setdefault(o, {})[s] = None
        return self._pos

    @property
    def osp(self) -> dict:
        if self._osp is None:
            self._osp = {}
            for s, po in self.spo.items():
                for p, objects in po.items():
                    for o in objects:
                        self._osp.setdefault(o, {}).setdefault(s, {})[p] = None
        return self._osp

    @classmethod
    def union(cls, stores: Iterable[IndexedStore]) -> IndexedStore:
        """One store holding the triples of ``stores``, which must have no subject in common.

        The subject entries are shared, not copied: neither the union nor the stores may
        change afterwards (validation only reads).
        """
        union = cls()
        spo = union.spo
        for store in stores:
            before = len(spo)
            spo.update(store.spo)
            if len(spo) != before + len(store.spo):
                raise ValueError("stores with a subject in common")
            union.size += store.size
        union.frozen = True
        return union

    frozen = False

    def add(self, triple, context=None, quoted: bool = False) -> None:
        if self.frozen:
            raise TypeError("this store shares its data with others and cannot change")
        s, p, o = triple
        po = self.spo.get(s)
        if po is None:
            po = self.spo[s] = {}
        objects = po.get(p)
        if objects is None:
            objects = po[p] = {}
        elif o in objects:
            return
        objects[o] = None
        self.size += 1
        if self._pos is not None:
            self._pos.setdefault(p, {}).setdefault(o, {})[s] = None
        if self._osp is not None:
            self._osp.setdefault(o, {}).setdefault(s, {})[p] = None

    def remove(self, triple_pattern, context=None) -> None:
        if self.frozen:
            raise TypeError("this store shares its data with others and cannot change")
        for (s, p, o), _ in list(self.triples(triple_pattern)):
            del self.spo[s][p][o]
            del self.pos[p][o][s]
            del self.osp[o][s][p]
            self.size -= 1

    def __len__(self, context=None) -> int:
        return self.size

    def add_graph(self, graph) -> None:
        pass

    def remove_graph(self, graph) -> None:
        pass

    def contexts(self, triple=None):
        if self.graph is not None and (triple is None or any(True for _ in self.triples(triple))):
            yield self.graph

    def triples(self, triple_pattern, context=None):
        s, p, o = triple_pattern
        ctx = self._contexts
        if s is not None:
            po = self.spo.get(s)
            if po is None:
                return
            if p is not None:
                objects = po.get(p)
                if objects is None:
                    return
                if o is not None:
                    if o in objects:
                        yield (s, p, o), ctx()
                    return
                for x in list(objects):
                    yield (s, p, x), ctx()
                return
            for q, objects in list(po.items()):
                if o is not None:
                    if o in objects:
                        yield (s, q, o), ctx()
                else:
                    for x in list(objects):
                        yield (s, q, x), ctx()
        elif p is not None:
            os_ = self.pos.get(p)
            if os_ is None:
                return
            if o is not None:
                for x in list(os_.get(o, ())):
                    yield (x, p, o), ctx()
                return
            for y, subjects in list(os_.items()):
                for x in list(subjects):
                    yield (x, p, y), ctx()
        elif o is not None:
            sp = self.osp.get(o)
            if sp is None:
                return
            for x, predicates in list(sp.items()):
                for q in list(predicates):
                    yield (x, q, o), ctx()
        else:
            for x, po in list(self.spo.items()):
                for q, objects in list(po.items()):
                    for y in list(objects):
                        yield (x, q, y), ctx()


class IndexedGraph(Graph):
    """An rdflib graph on an :class:`IndexedStore` that answers the lookups pyshacl and the report
    make most (objects of a subject and predicate, subjects of a predicate and object, a subject's
    predicates and objects) from the store's dicts directly. Same answers, same order."""

    def __init__(self, store: IndexedStore | None = None, **kwargs):
        store = store if store is not None else IndexedStore()
        kwargs.setdefault("bind_namespaces", "none")
        super().__init__(store=store, **kwargs)
        self._indexed = store
        store.graph = self

    def objects(self, subject=None, predicate=None, unique: bool = False):
        if subject is None or predicate is None or isinstance(predicate, Path):
            yield from super().objects(subject, predicate, unique)
            return
        po = self._indexed.spo.get(subject)
        if po is not None:
            yield from list(po.get(predicate, ()))

    def subjects(self, predicate=None, object=None, unique: bool = False):
        if predicate is None or object is None or isinstance(predicate, Path):
            yield from super().subjects(predicate, object, unique)
            return
        yield from list(self._indexed.pos.get(predicate, {}).get(object, ()))

    def predicate_objects(self, subject=None, unique: bool = False):
        if subject is None:
            yield from super().predicate_objects(subject, unique)
            return
        po = self._indexed.spo.get(subject)
        if po is not None:
            for p, objects in list(po.items()):
                for o in list(objects):
                    yield p, o

    def __contains__(self, triple) -> bool:
        s, p, o = triple
        if s is None or p is None or o is None or isinstance(p, Path):
            return super().__contains__(triple)
        return o in self._indexed.spo.get(s, {}).get(p, ())


def new_graph(store: IndexedStore | None = None) -> IndexedGraph:
    return IndexedGraph(store if store is not None else IndexedStore())


def rdflib_triples(triples: Iterable, convert: TermMap | None = None) -> list[tuple]:
    """Triples or quads (the graph name is ignored) as rdflib term tuples."""
    convert = convert if convert is not None else TermMap()
    out = []
    append = out.append
    for t in triples:
        s, p, o = convert(t.subject), convert(t.predicate), convert(t.object)
        if s is not None and o is not None:
            append((s, p, o))
    return out


def indexed(triples: Iterable, convert: TermMap | None = None) -> tuple[IndexedGraph, set]:
    """pyoxigraph triples or quads (graph names ignored) as an :class:`IndexedGraph`, and the
    set of blank nodes they use. One pass: the same as ``graph_of(rdflib_triples(...))``."""
    convert = convert if convert is not None else TermMap()
    cache = convert._nodes
    store = IndexedStore()
    spo = store.spo
    blanks: set = set()
    size = 0
    for t in triples:
        s, p, o = t.subject, t.predicate, t.object
        s = cache.get(s) or convert(s)
        p = cache.get(p) or convert(p)
        o = cache.get(o) or convert(o)
        if s is None or o is None:
            continue
        po = spo.get(s)
        if po is None:
            po = spo[s] = {}
            if type(s) is BNode:
                blanks.add(s)
        objects = po.get(p)
        if objects is None:
            objects = po[p] = {}
        elif o in objects:
            continue
        objects[o] = None
        size += 1
        if type(o) is BNode:
            blanks.add(o)
    store.size = size
    return new_graph(store), blanks


def graph_of(triples: Iterable[tuple]) -> Graph:
    """An rdflib graph (on an :class:`IndexedStore`) holding rdflib term tuples."""
    graph = new_graph()
    add = graph.store.add
    for t in triples:
        add(t)
    return graph


def to_rdflib(triples: Iterable) -> Graph:
    """Triples or quads (the graph name is ignored) as an rdflib graph."""
    return graph_of(rdflib_triples(triples))
