"""Run pyshacl's harvested shapes over one document, skipping work that cannot yield results.

``pyshacl.validate`` re-reads the whole shapes graph on every call and then
evaluates every property shape of ``ctdl.ttl`` (about 750) against every
focus node. For one document of 50-150 triples most of that is wasted, so this
module drives pyshacl's own ``Shape`` objects, harvested once, and:

* finds the focus nodes of ``sh:targetClass`` shapes, and of the two SHACL-AF
  target types of :mod:`.targets`, from the document's ``rdf:type`` triples
  (other kinds of target are left to pyshacl, without SHACL-AF);
* evaluates each property shape once for all focus nodes of its node shape;
* skips a property shape whose path properties do not occur in the document
  when all its constraints only examine existing values (pattern, datatype,
  nodeKind...). ``sh:minCount`` and other constraints that report absence are
  always evaluated.

The results are exactly pyshacl's (tests/test_shapes.py compares them with
``pyshacl.validate`` on real documents). A node shape with node-level
constraints (``sh:or``, ``sh:closed``...) is handed to pyshacl unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pyshacl.graph_abstraction import DataGraph
from pyshacl.pytypes import SHACLExecutor
from pyshacl.shape import Shape
from pyshacl.shapes_graph import ShapesGraph
from rdflib import RDF, RDFS, BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from . import tuning
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
_CTIDS = tuple(URIRef(p) for p in CTIDS)


@dataclass
class PropertyStep:
    shape: Shape
    predicates: frozenset[URIRef] | None  # None: a path this runner does not analyse
    skip_when_absent: bool


@dataclass
class NodeStep:
    shape: Shape
    classes: frozenset[URIRef]  # sh:targetClass
    typed: list[tuple[URIRef, Callable]]  # (class, filter) from the target types of .targets
    other_targets: bool  # targets this runner leaves to pyshacl
    properties: list[PropertyStep] | None  # None: node-level constraints, run by pyshacl
    all_classes: frozenset[URIRef] = frozenset()

    def __post_init__(self):
        self.all_classes = self.classes | {c for c, _ in self.typed}


def _path_predicates(graph: Graph, path) -> frozenset[URIRef] | None:
    if isinstance(path, URIRef):
        return frozenset((path,))
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
        other = bool(predicates & {SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf})
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
        return NodeStep(shape, classes, typed, other, properties)

    def _property_step(self, parent: Shape, node) -> PropertyStep:
        shape = parent.get_other_shape(node)
        parameters = {p for p, _ in self.graph.predicate_objects(node)} - _NOT_CONSTRAINTS
        predicates = _path_predicates(self.graph, self.graph.value(node, SH.path))
        return PropertyStep(shape, predicates, predicates is not None and parameters <= _VALUE_ONLY)

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
        self.target = DataGraph.from_rdflib(data)
        self.executor = SHACLExecutor()
        self.types = set(data.objects(None, RDF.type))
        self.present = set(data.predicates())
        self.ctid_subjects = {s for p in _CTIDS for s in data.subjects(p, None)}
        # sh:targetClass includes instances of subclasses declared in the data graph itself.
        self.has_subclasses = RDFS.subClassOf in self.present
        self.reports: list[tuple] = []

    def instances(self, cls: URIRef) -> set:
        found = set(self.data.subjects(RDF.type, cls))
        if self.has_subclasses:
            for sub in self.data.transitive_subjects(RDFS.subClassOf, cls):
                found.update(self.data.subjects(RDF.type, sub))
        return found

    def focus_nodes(self, step: NodeStep) -> list:
        if not self.has_subclasses and not step.other_targets and not step.all_classes & self.types:
            return []
        focus = {node for cls in step.classes for node in self.instances(cls)}
        for cls, keep in step.typed:  # SPARQL-based: rdf:type only, no subclasses
            for node in self.data.subjects(RDF.type, cls):
                if keep(node, isinstance(node, BNode), self.ctid_subjects):
                    focus.add(node)
        if step.other_targets:
            focus.update(step.shape.focus_nodes(self.target))
        return list(focus)

    def node_step(self, step: NodeStep) -> None:
        focus = self.focus_nodes(step)
        if not focus:
            return
        if step.properties is None:
            self.reports.extend(step.shape.validate(self.executor, self.target, focus=focus)[1])
            return
        for prop in step.properties:
            if prop.skip_when_absent and not prop.predicates & self.present:
                continue
            found = prop.shape.validate(self.executor, self.target, focus=focus, _evaluation_path=[step.shape])[1]
            self.reports.extend(found)
