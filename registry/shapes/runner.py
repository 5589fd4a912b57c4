"""Run pyshacl's harvested shapes over one document, skipping work that cannot yield results.

``pyshacl.validate`` re-reads the whole shapes graph on every call and then
evaluates every property shape of ``ctdl.ttl`` (about 750) against every
focus node. For one document of 50-150 triples most of that is wasted, so this
module drives pyshacl's own ``Shape`` objects, harvested once, and:

* finds the focus nodes of ``sh:targetClass`` shapes, and of the two SHACL-AF
  target types of :mod:`.targets`, from the document's ``rdf:type`` triples,
  and those of ``sh:targetSubjectsOf`` from the predicates present (other kinds
  of target are left to pyshacl, without SHACL-AF);
* evaluates each property shape once for all focus nodes of its node shape;
* skips a property shape whose path properties do not occur in the document
  when all its constraints only examine existing values (pattern, datatype,
  nodeKind...), and leaves out the focus nodes that have no value for it.
  ``sh:minCount`` and other constraints that report absence are always
  evaluated;
* counts the values for a property shape whose only constraint is
  ``sh:minCount`` on a simple or alternative path (most of ``ctdl.ttl``) itself,
  and has pyshacl's own constraint object write each result.

The results are exactly pyshacl's (tests/test_shapes.py compares them with
``pyshacl.validate`` on real documents). A node shape with node-level
constraints (``sh:or``, ``sh:closed``...) is handed to pyshacl unchanged.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from pyshacl.graph_abstraction import DataGraph, RdfLibDataGraph
from pyshacl.constraints.core.cardinality_constraints import MinCountConstraintComponent
from pyshacl.errors import ConstraintLoadError, ConstraintLoadWarning
from pyshacl.pytypes import SHACLExecutor
from pyshacl.shape import Shape
from pyshacl.shapes_graph import ShapesGraph
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from . import tuning
from .convert import IndexedStore
from .targets import CLASS_PARAMETER, CTIDS, DESCRIBED_INSTANCES, REFERENCES, described, is_reference

# Constraint parameters that only look at value nodes: with no value there is no result.
_VALUE_ONLY = {
    SH.pattern, SH.flags, SH.nodeKind, SH.datatype, SH.maxCount, SH["class"], SH["in"],
    SH.minLength, SH.maxLength, SH.languageIn, SH.uniqueLang, SH.minInclusive, SH.maxInclusive,
    SH.minExclusive, SH.maxExclusive, SH.node, SH["not"], SH["and"], SH["or"], SH.xone,
    SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.property,
}  # fmt: skip
# Shape triples that are not constraints.
_NOT_CONSTRAINTS = {
    RDF.type, RDFS.label, RDFS.comment, SH.path, SH.name, SH.description, SH.message, SH.severity,
    SH.order, SH.group, SH.defaultValue, SH.deactivated,
}  # fmt: skip
_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
_TARGET_TYPES = {URIRef(DESCRIBED_INSTANCES): described, URIRef(REFERENCES): is_reference}
_CLASS = URIRef(CLASS_PARAMETER)
_RESULT_IDS = itertools.count()
_CTIDS = tuple(URIRef(p) for p in CTIDS)


def _result_parts(prop: "PropertyStep") -> tuple[list | None, list]:
    """The (predicate, object) pairs of a sh:minCount result before and after sh:focusNode, as
    pyshacl's ``make_v_result`` writes them when the shape has its own sh:message (else None:
    pyshacl writes a generic message naming the focus node)."""
    if prop.result_parts is None:
        shape = prop.shape
        messages = list(shape.message)
        if not messages or not tuning.describing_skipped():
            return None, []
        sg = shape.sg.graph
        head = [
            (RDF.type, SH.ValidationResult),
            (SH.sourceConstraintComponent, (sg, prop.min_count.shacl_constraint_component)),
            (SH.sourceShape, (sg, shape.node)),
            (SH.resultSeverity, shape.severity),
        ]
        tail = [(SH.resultPath, (sg, shape.path()))] + [(SH.resultMessage, m) for m in messages]
        prop.result_parts = (head, tail)
    return prop.result_parts


def _node_order(node) -> tuple:
    if isinstance(node, Literal):
        return (2, str(node), str(node.datatype or ""), node.language or "")
    return (1 if isinstance(node, BNode) else 0, str(node), "", "")


class _IndexedDataGraph(RdfLibDataGraph):
    """pyshacl's view of a data graph on an :class:`IndexedStore`, answering its most frequent
    lookups (the objects of a subject and predicate, the subjects of a predicate and object)
    from the store's indexes instead of through four layers of rdflib generators. Same answers,
    in the same order."""

    def objects(self, subject=None, predicate=None, unique: bool = False):
        locked = self.locked_context is not None
        if subject is None or predicate is None or isinstance(subject, (list, tuple)) or locked:
            yield from super().objects(subject, predicate, unique=unique)
            return
        yield from list(self._store.spo.get(subject, {}).get(predicate, ()))

    def subjects(self, predicate=None, object_=None, unique: bool = False):
        locked = self.locked_context is not None
        if predicate is None or object_ is None or isinstance(object_, (list, tuple)) or locked:
            yield from super().subjects(predicate, object_, unique=unique)
            return
        yield from list(self._store.pos.get(predicate, {}).get(object_, ()))


def _data_graph(data: Graph) -> DataGraph:
    if isinstance(data.store, IndexedStore):
        return _IndexedDataGraph(store=data.store, impl=data)
    return DataGraph.from_rdflib(data)


@dataclass
class PropertyStep:
    shape: Shape
    predicates: frozenset[URIRef] | None  # None: a path this runner does not analyse
    skip_when_absent: bool
    # A shape whose only constraint is sh:minCount on a simple or alternative path: pyshacl's
    # constraint object, whose result the runner writes itself after counting the values.
    min_count: MinCountConstraintComponent | None = None
    result_parts: tuple | None = None  # see _result_parts


@dataclass
class NodeStep:
    shape: Shape
    classes: frozenset[URIRef]  # sh:targetClass
    typed: list[tuple[URIRef, Callable]]  # (class, filter) from the target types of .targets
    other_targets: bool  # targets this runner leaves to pyshacl
    properties: list[PropertyStep] | None  # None: node-level constraints, run by pyshacl
    subjects_of: frozenset[URIRef] = frozenset()  # sh:targetSubjectsOf
    all_classes: frozenset[URIRef] = frozenset()

    def __post_init__(self):
        self.all_classes = self.classes | {c for c, _ in self.typed}


def _path_predicates(graph: Graph, path) -> frozenset[URIRef] | None:
    """The predicates of a path's first step (a simple, alternative or sequence path), else None."""
    if isinstance(path, URIRef):
        return frozenset((path,))
    if isinstance(path, BNode) and (path, RDF.first, None) in graph:  # a sequence: its first step
        members = list(Collection(graph, path))
        return _path_predicates(graph, members[0]) if len(members) >= 2 else None
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        members = list(Collection(graph, alternatives))
        if all(isinstance(m, URIRef) for m in members):
            return frozenset(members)
    return None


class CompiledShapes:
    """A shapes graph harvested once, with a plan for evaluating it quickly."""

    def __init__(self, graph: Graph):
        tuning.install()
        self.graph = graph
        self.shapes_graph = ShapesGraph(graph)
        self.steps = [self._node_step(s) for s in self.shapes_graph.shapes if self._has_targets(s)]

    def _has_targets(self, shape: Shape) -> bool:
        return any(p in _TARGETS for p in self.graph.predicates(shape.node)) or bool(shape.implicit_class_targets())

    def _node_step(self, shape: Shape) -> NodeStep:
        graph = self.graph
        predicates = set(graph.predicates(shape.node))
        other = bool(predicates & {SH.targetNode, SH.targetObjectsOf})
        other = other or bool(shape.implicit_class_targets())
        typed = []
        for target in graph.objects(shape.node, SH.target):
            kind, cls = graph.value(target, RDF.type), graph.value(target, _CLASS)
            if kind in _TARGET_TYPES and isinstance(cls, URIRef):
                typed.append((cls, _TARGET_TYPES[kind]))
            else:
                other = True
        constraints = predicates - _NOT_CONSTRAINTS - _TARGETS
        properties = None
        if constraints == {SH.property} and not shape.is_property_shape:
            properties = [self._property_step(shape, p) for p in graph.objects(shape.node, SH.property)]
        classes = frozenset(graph.objects(shape.node, SH.targetClass))
        subjects_of = frozenset(graph.objects(shape.node, SH.targetSubjectsOf))
        return NodeStep(shape, classes, typed, other, properties, subjects_of)

    def _property_step(self, parent: Shape, node) -> PropertyStep:
        shape = parent.get_other_shape(node)
        parameters = {p for p, _ in self.graph.predicate_objects(node)} - _NOT_CONSTRAINTS
        predicates = _path_predicates(self.graph, self.graph.value(node, SH.path))
        step = PropertyStep(shape, predicates, predicates is not None and parameters <= _VALUE_ONLY)
        path = self.graph.value(node, SH.path)
        alternatives = self.graph.value(path, SH.alternativePath) if isinstance(path, BNode) else None
        simple = isinstance(path, URIRef) or (
            alternatives is not None
            and (path, RDF.first, None) not in self.graph
            and len(list(Collection(self.graph, alternatives))) >= 2
        )
        if parameters == {SH.minCount} and predicates is not None and simple and not shape.find_custom_constraints():
            try:
                step.min_count = MinCountConstraintComponent(shape)
            except (ConstraintLoadError, ConstraintLoadWarning):
                pass  # left to pyshacl, which reports the problem as it always does
        return step

    def run(self, data: Graph) -> list[tuple]:
        """pyshacl's result tuples (description, result node, result triples) for ``data``."""
        run = _Run(data)
        with tuning.no_descriptions():
            for step in self.steps:
                if not step.shape.deactivated:
                    run.node_step(step)
        return run.reports


class _Run:
    """One document's evaluation."""

    def __init__(self, data: Graph):
        self.data = data
        self.target = _data_graph(data)
        self.executor = SHACLExecutor()
        store = data.store
        self.spo = store.spo if isinstance(store, IndexedStore) else None
        self.by_type: dict = {}  # class -> its instances (rdf:type only), in document order
        self.by_predicate: dict = {}  # predicate -> the subjects that have it
        self.having: dict = {}  # frozenset of predicates -> the subjects that have one of them
        if self.spo is not None:  # one pass over the subjects
            by_type, by_predicate = self.by_type, self.by_predicate
            for s, po in self.spo.items():
                for p in po:
                    subjects = by_predicate.get(p)
                    if subjects is None:
                        by_predicate[p] = [s]
                    else:
                        subjects.append(s)
                for cls in po.get(RDF.type, ()):
                    instances = by_type.get(cls)
                    if instances is None:
                        by_type[cls] = [s]
                    else:
                        instances.append(s)
            self.types = set(by_type)
            self.present = set(by_predicate)
            self.ctid_subjects = {s for p in _CTIDS for s in by_predicate.get(p, ())}
        else:
            self.types = set(data.objects(None, RDF.type))
            self.present = set(data.predicates())
            self.ctid_subjects = {s for p in _CTIDS for s in data.subjects(p, None)}
        # sh:targetClass includes instances of subclasses declared in the data graph itself.
        self.has_subclasses = RDFS.subClassOf in self.present
        self.reports: list[tuple] = []

    def with_type(self, cls: URIRef):
        if self.spo is not None:
            return self.by_type.get(cls, ())
        return self.data.subjects(RDF.type, cls)

    def instances(self, cls: URIRef) -> set:
        found = set(self.with_type(cls))
        if self.has_subclasses:
            for sub in self.data.transitive_subjects(RDFS.subClassOf, cls):
                found.update(self.data.subjects(RDF.type, sub))
        return found

    def subjects_of(self, predicate: URIRef):
        if self.spo is not None:
            return self.by_predicate.get(predicate, ())
        return set(self.data.subjects(predicate, None))

    def min_count(self, prop: PropertyStep, focus: list, entries: list | None) -> None:
        """What ``prop.shape.validate`` does for a shape with only sh:minCount: a result for each focus
        node with fewer distinct values. ``entries``: each focus node's predicate → objects dict
        (None without an IndexedStore)."""
        if prop.shape.deactivated:
            return
        constraint = prop.min_count
        wanted = int(constraint.min_count.value)
        if wanted == 0:
            return
        predicates = tuple(prop.predicates)
        single = predicates[0] if len(predicates) == 1 else None
        head, tail = _result_parts(prop)
        for i, f in enumerate(focus):
            if entries is not None:
                po = entries[i]
                if po is None:
                    count = 0
                elif single is not None:
                    count = len(po.get(single, ()))
                else:
                    count = len({o for p in predicates for o in po.get(p, ())})
            else:
                count = len({o for p in predicates for o in self.data.objects(f, p)})
            if count < wanted:
                if head is None:
                    self.reports.append(constraint.make_v_result(self.target, f))
                    continue
                # The tuple make_v_result writes, with the parts that do not depend on f made once.
                node = BNode(f"r{next(_RESULT_IDS)}")  # any fresh label: it only ties the tuple together
                triples = [(node, p, o) for p, o in head]
                triples.append((node, SH.focusNode, (self.target if len(self.target) else prop.shape.sg.graph, f)))
                triples += [(node, p, o) for p, o in tail]
                self.reports.append(("", node, triples))

    def focus_nodes(self, step: NodeStep) -> list:
        if (
            not self.has_subclasses
            and not step.other_targets
            and not step.all_classes & self.types
            and not step.subjects_of & self.present
        ):
            return []
        focus = {node for cls in step.classes for node in self.instances(cls)}
        for p in step.subjects_of & self.present:
            focus.update(self.subjects_of(p))
        for cls, keep in step.typed:  # SPARQL-based: rdf:type only, no subclasses
            for node in self.with_type(cls):
                if keep(node, isinstance(node, BNode), self.ctid_subjects):
                    focus.add(node)
        if step.other_targets:
            focus.update(step.shape.focus_nodes(self.target))
        # A fixed order: pyshacl reports in focus-node order within a constraint, so a document's
        # results come in the same order whether it is validated alone or in a batch.
        return sorted(focus, key=_node_order)

    def node_step(self, step: NodeStep) -> None:
        focus = self.focus_nodes(step)
        if not focus:
            return
        if step.properties is None:
            self.reports.extend(step.shape.validate(self.executor, self.target, focus=focus)[1])
            return
        entries = None
        for prop in step.properties:
            if prop.skip_when_absent and not prop.predicates & self.present:
                continue
            if prop.min_count is not None:
                if entries is None and self.spo is not None:
                    spo = self.spo
                    entries = [spo.get(f) for f in focus]
                self.min_count(prop, focus, entries)
                continue
            nodes = focus
            if prop.skip_when_absent and self.spo is not None:
                # Constraints on values only: focus nodes without a value have no result.
                having = self.having.get(prop.predicates)
                if having is None:
                    having = set().union(*(self.by_predicate.get(p, ()) for p in prop.predicates))
                    self.having[prop.predicates] = having
                nodes = [f for f in focus if f in having]
                if not nodes:
                    continue
            found = prop.shape.validate(self.executor, self.target, focus=nodes, _evaluation_path=[step.shape])[1]
            self.reports.extend(found)
