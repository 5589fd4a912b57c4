"""Validate many documents in one pyshacl run, and give each document exactly its own results.

Merging documents into one data graph and evaluating each shape once over all
their focus nodes saves pyshacl's per-shape overhead, most of the time spent on
a 100-triple document. It is only correct if no document's results can depend
on another document's triples. This module decides when that holds and which
documents may share a run.

**What the shapes read** (:func:`plan`). From the shapes graph: every shape
reads its focus node's own triples; some also read the triples of nodes
further on. :attr:`Plan.follow` is the set of predicates whose values' triples
some shape reads: the first step of a sequence path such as
``( ceterms:audienceLevelType ceterms:targetNode )``, a property whose values
get ``sh:class``, ``sh:node`` or a nested shape with a path... (``ALL`` for a
recursive shape). Shapes that cannot be analysed this way are run one document
at a time (:func:`plan` returns None): an inverse path, a SPARQL constraint, a
custom constraint component, ``sh:targetNode`` or ``sh:targetObjectsOf``
(whose focus nodes need not belong to one document), a SPARQL target.

The runner takes focus nodes only from ``rdf:type`` (``sh:targetClass``,
implicit class targets, the two target types of :mod:`.targets`) and
``sh:targetSubjectsOf``, so every focus node is a subject of its document.

**Which documents may share a run** (:func:`groups`). Documents join, in order,
the first group they do not clash with. Two documents clash if

* a node is a subject in both (the same resource described twice), or they use
  the same blank-node label;
* a subject of one is reached in the other: the value of a ``follow``
  predicate there. A shape would read both documents' triples about it.
  (With the current ``ctdl.ttl`` these values are alignment objects and
  concept IRIs, never described by another document, so nothing clashes.)

An organization IRI referenced by many documents (``ceterms:ownedBy``) is no
clash: shapes read only the IRI itself, never the organization's triples. A
document with ``rdfs:subClassOf`` triples is always run alone, since such
triples change which nodes class targets select.

Within a group every subject belongs to one document, and so does every focus
node: a result is attributed to the document its focus node is a subject of
(:func:`split_results`). Everything a shape reads from that focus node is in
that document, so the results are those of validating it alone.

**Same order.** pyshacl reports constraint by constraint and, within a
constraint, focus node by focus node; the runner sorts focus nodes. A
document's results therefore come in the same order in a group as alone, and
the report built from them is identical (``tests/test_validate_batch.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from dataclasses import dataclass

from rdflib import RDF, RDFS, BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

ALL = None  # Plan.follow: any predicate


@dataclass(frozen=True)
class Plan:
    """How documents may share a run, from what the shapes read.

    ``follow``: the predicates whose values' own triples some shape reads (the
    first step of a sequence path, a property whose values get ``sh:class`` or
    ``sh:node``...), or ``ALL`` when that cannot be bounded. Empty: the shapes
    read only their focus nodes' own triples and value terms.
    """

    follow: frozenset[URIRef] | None


# Parameters that test the value nodes themselves (their terms), or count them.
_ON_VALUES = {
    SH.minCount, SH.maxCount, SH.nodeKind, SH.datatype, SH.pattern, SH.flags, SH["in"], SH.hasValue,
    SH.minLength, SH.maxLength, SH.languageIn, SH.uniqueLang, SH.minInclusive, SH.maxInclusive,
    SH.minExclusive, SH.maxExclusive, SH.qualifiedMinCount, SH.qualifiedMaxCount,
}  # fmt: skip
# Parameters that compare with another property of the node the shape is evaluated on.
_ON_NODE = {SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals}
# Parameters that read the triples of each value node.
_INTO_VALUES = {SH.closed, SH["class"], SH.ignoredProperties}
# Parameters that evaluate other shapes on the value nodes.
_SHAPE_PARAMETERS = {SH.node, SH.property, SH["not"], SH.qualifiedValueShape}
_LIST_PARAMETERS = {SH["and"], SH["or"], SH.xone}
_NOT_CONSTRAINTS = {
    RDF.type, RDFS.label, RDFS.comment, SH.path, SH.name, SH.description, SH.message, SH.severity,
    SH.order, SH.group, SH.defaultValue, SH.deactivated, SH.targetClass, SH.targetSubjectsOf, SH.target,
}  # fmt: skip
_OTHER_TARGETS = {SH.targetNode, SH.targetObjectsOf}


class _Unsafe(Exception):
    pass


class _All(Exception):
    """The shapes may read beyond any bounded set of predicates."""


def plan(compiled) -> Plan | None:
    """How a :class:`CompiledShapes` lets documents share a run; None: one document per run."""
    graph: Graph = compiled.graph
    if compiled.shapes_graph.custom_constraints:
        return None
    analysis = _Analysis(graph)
    follow: set = set()
    try:
        for step in compiled.steps:
            shape = step.shape
            if shape.deactivated:
                continue  # the runner skips it
            if any((shape.node, p, None) in graph for p in _OTHER_TARGETS):
                return None
            if len(step.typed) != len(set(graph.objects(shape.node, SH.target))):
                return None  # an sh:target other than the runner's native target types
            follow |= analysis.follows(shape.node)
    except _Unsafe:
        return None
    except _All:
        return Plan(ALL)
    return Plan(frozenset(follow))


class _Analysis:
    def __init__(self, graph: Graph):
        self.graph = graph
        self.memo: dict = {}
        self.visiting: set = set()

    def members(self, node) -> list:
        try:
            return list(Collection(self.graph, node))
        except Exception:  # not a well-formed list
            raise _Unsafe() from None

    def path(self, path) -> tuple[set, set]:
        """(predicates whose values the path itself walks on from, predicates of its last step)."""
        graph = self.graph
        if isinstance(path, URIRef):
            return set(), {path}
        if isinstance(path, BNode):
            if (path, RDF.first, None) in graph:  # a sequence
                walked: set = set()
                last: set = set()
                for step in self.members(path):
                    inner_walked, inner_last = self.path(step)
                    walked |= inner_walked | last
                    last = inner_last
                return walked, last
            alternatives = graph.value(path, SH.alternativePath)
            if alternatives is not None:
                walked, last = set(), set()
                for step in self.members(alternatives):
                    inner_walked, inner_last = self.path(step)
                    walked |= inner_walked
                    last |= inner_last
                return walked, last
            for repeat in (SH.zeroOrMorePath, SH.oneOrMorePath):
                inner = graph.value(path, repeat)
                if inner is not None:
                    inner_walked, inner_last = self.path(inner)
                    return inner_walked | inner_last, inner_last
            inner = graph.value(path, SH.zeroOrOnePath)
            if inner is not None:
                return self.path(inner)
        raise _Unsafe()  # sh:inversePath, or not a path

    def reads(self, node, seen: frozenset = frozenset()) -> bool:
        """Whether a shape reads any triple of the node it is evaluated on."""
        graph = self.graph
        if node in seen:
            return False  # a cycle: whatever it reads, it reads on the way
        if graph.value(node, SH.path) is not None:
            return True
        seen = seen | {node}
        for parameter, value in graph.predicate_objects(node):
            if parameter in _INTO_VALUES or parameter in _ON_NODE:
                return True
            if parameter in _SHAPE_PARAMETERS and self.reads(value, seen):
                return True
            if parameter in _LIST_PARAMETERS and any(self.reads(m, seen) for m in self.members(value)):
                return True
        return False

    def follows(self, node) -> set:
        """The predicates whose values' triples a shape reads, when evaluated on some node."""
        if node in self.memo:
            return self.memo[node]
        if node in self.visiting:
            raise _All()  # a recursive shape: it may walk on without end
        graph = self.graph
        deactivated = graph.value(node, SH.deactivated)
        if deactivated is not None and deactivated.toPython() is True:
            self.memo[node] = set()
            return set()
        self.visiting.add(node)
        path = graph.value(node, SH.path)
        follow, last = self.path(path) if path is not None else (set(), set())
        nested: list = []
        for parameter, value in graph.predicate_objects(node):
            if parameter in _NOT_CONSTRAINTS or parameter in _ON_VALUES or parameter in _ON_NODE:
                continue
            if parameter in _INTO_VALUES:
                follow |= last
            elif parameter in _SHAPE_PARAMETERS:
                nested.append(value)
            elif parameter in _LIST_PARAMETERS:
                nested += self.members(value)
            elif parameter == SH.qualifiedValueShapesDisjoint:
                raise _All()  # compares with sibling shapes' qualified value shapes
            elif parameter == SH.sparql or parameter in _OTHER_TARGETS or str(parameter).startswith(str(SH)):
                raise _Unsafe()  # SPARQL, or a SHACL parameter this analysis does not know
            # Any other predicate is an annotation (custom constraint components were ruled out).
        for shape in nested:
            follow |= self.follows(shape)
            if self.reads(shape):
                follow |= last  # the nested shape reads the value nodes' triples
        self.visiting.discard(node)
        self.memo[node] = follow
        return follow


class _Group:
    __slots__ = ("members", "owned", "subjects", "reached", "closed")

    def __init__(self, closed: bool = False):
        self.members: list[int] = []
        self.owned: set = set()  # subjects and blank nodes
        self.subjects: set = set()
        self.reached: set = set()  # nodes the shapes may walk to (values of plan.follow predicates)
        self.closed = closed


def groups(documents: Sequence[tuple], plan: Plan) -> list[list[int]]:
    """Indexes of documents that may be validated together, in order.

    ``documents``: per document, its :class:`IndexedStore` and the set of its blank nodes.
    """
    follow = plan.follow
    walks = follow is ALL or bool(follow)
    out: list[_Group] = []
    for i, (store, blanks) in enumerate(documents):
        spo = store.spo
        if any(RDFS.subClassOf in po for po in spo.values()):
            alone = _Group(closed=True)
            alone.members.append(i)
            out.append(alone)
            continue
        subjects = spo.keys()
        owned = blanks.union(subjects)
        reached: set = set()
        if walks:
            for po in spo.values():
                for p in po.keys() if follow is ALL else po.keys() & follow:
                    reached.update(o for o in po[p] if isinstance(o, (URIRef, BNode)))
        for group in out:
            if group.closed or not owned.isdisjoint(group.owned):
                continue
            if walks and not (group.reached.isdisjoint(subjects) and reached.isdisjoint(group.subjects)):
                continue
            break
        else:
            group = _Group()
            out.append(group)
        group.members.append(i)
        group.owned |= owned
        if walks:
            group.subjects.update(subjects)
            group.reached |= reached
    return [g.members for g in out]


def split_results(reports: list[tuple], stores: Sequence) -> list[list[tuple]] | None:
    """pyshacl's result tuples of a merged run, per document (the one whose subject the focus node
    is); None if a focus node is no document's subject."""
    owner: dict = {}
    for i, store in enumerate(stores):
        owner.update(dict.fromkeys(store.spo, i))
    out: list[list[tuple]] = [[] for _ in stores]
    for report in reports:
        i = owner.get(_focus(report))
        if i is None:
            return None
        out[i].append(report)
    return out


_FOCUS = str(SH.focusNode)


def _focus(report: tuple):
    _description, node, triples = report
    if len(triples) > 4:  # where pyshacl's make_v_result puts it
        s, p, o = triples[4]
        if str.__eq__(p, _FOCUS) and s == node:
            return o[1] if isinstance(o, tuple) else o
    for s, p, o in triples:
        if str.__eq__(p, _FOCUS) and s == node:  # str equality: rdflib's == is much slower
            return o[1] if isinstance(o, tuple) else o
    return None
