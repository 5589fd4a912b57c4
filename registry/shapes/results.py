"""Turn pyshacl's raw results into :class:`Result` objects people can read."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from ..namespaces import compact
from ..vocab import Vocabulary
from .focus import FocusLabels
from .report import SEVERITIES, VIOLATION, Result
from .wording import label as term_label

_MAX_SHOWN = 80
_FOCUS, _SHAPE, _COMPONENT = SH.focusNode, SH.sourceShape, SH.sourceConstraintComponent
_VALUE, _PATH, _SEVERITY, _MESSAGE = SH.value, SH.resultPath, SH.resultSeverity, SH.resultMessage


def node_key(node) -> str:
    return "_:" + str(node) if isinstance(node, BNode) else str(node)


def _local(iri) -> str:
    return str(iri).rpartition("#")[2]


def path_iris(graph: Graph, path) -> list[URIRef]:
    """The properties a simple or ``sh:alternativePath`` path is about."""
    if isinstance(path, URIRef):
        return [path]
    alternatives = graph.value(path, SH.alternativePath) if path is not None else None
    if alternatives is not None:
        return [p for p in Collection(graph, alternatives) if isinstance(p, URIRef)]
    return []


def path_text(graph: Graph, path) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return compact(str(path))
    iris = path_iris(graph, path)
    if iris:
        return "|".join(compact(str(p)) for p in iris)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + (path_text(graph, inverse) or "?")
    if (path, RDF.first, None) in graph:
        return "/".join(path_text(graph, p) or "?" for p in Collection(graph, path))
    return "(complex path)"


def describe(value) -> str:
    """A value as a person would want to see it in a report."""
    if isinstance(value, URIRef):
        return f"<{value}> (an IRI)"
    if isinstance(value, BNode):
        return "a nested node (blank node)"
    text = str(value)
    shown = text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"
    if value.language:
        return f'"{shown}"@{value.language}'
    if value.datatype is None:
        return f'"{shown}" (a plain string with no language tag)'
    return f'"{shown}" ({compact(str(value.datatype))})'


@dataclass(frozen=True)
class ShapeText:
    """What a result says that depends only on the shape and constraint, not on the data."""

    path: str | None
    properties: tuple[URIRef, ...]
    property_label: str
    property_definition: str
    message: str | None
    expected: str
    kind: str  # constraint component, e.g. "MinCount"


class ShapeTexts:
    """Builds and caches :class:`ShapeText` per (shape, constraint component)."""

    def __init__(self, shapes: Graph, vocab: Vocabulary):
        self.shapes, self.vocab = shapes, vocab
        self._cache: dict[tuple, ShapeText] = {}

    def get(self, shape, component, path) -> ShapeText:
        key = (shape, component, path)
        text = self._cache.get(key)
        if text is None:
            text = self._cache[key] = self._build(shape, component, path)
        return text

    def _value(self, shape, predicate):
        return self.shapes.value(shape, predicate) if shape is not None else None

    def _build(self, shape, component, path) -> ShapeText:
        iris = tuple(path_iris(self.shapes, path))
        name = self._value(shape, SH.name)
        message = self._value(shape, SH.message)
        kind = _local(component).removesuffix("ConstraintComponent")
        return ShapeText(
            path=path_text(self.shapes, path),
            properties=iris,
            property_label=str(name) if name is not None else " or ".join(term_label(self.vocab, str(i)) for i in iris),
            property_definition=" ".join(self.vocab.definition(str(i)) for i in iris).strip(),
            message=str(message) if message is not None else None,
            expected=self._expected(kind, shape, len(iris) > 1),
            kind=kind,
        )

    def _expected(self, kind: str, shape, alternatives: bool) -> str:
        if kind == "MinCount":
            n = int(self._value(shape, SH.minCount))
            what = "one value" if n == 1 else f"{n} values"
            return f"at least {what}" + (" for one of these properties" if alternatives else "")
        if kind == "MaxCount":
            n = int(self._value(shape, SH.maxCount))
            return "exactly one value" if n == 1 else f"at most {n} values"
        if kind == "Pattern":
            return f"text matching the pattern {self._value(shape, SH.pattern)}"
        if kind == "NodeKind":
            node_kind = self._value(shape, SH.nodeKind)
            names = {"IRI": "an IRI (a web address)", "Literal": "a literal value", "BlankNode": "a nested node"}
            return names.get(_local(node_kind), compact(str(node_kind)))
        if kind == "Datatype":
            datatype = self._value(shape, SH.datatype)
            if datatype == RDF.langString:
                return "language-tagged text (rdf:langString)"
            return f"a literal of type {compact(str(datatype))}"
        if kind == "Class":
            return f"an instance of {compact(str(self._value(shape, SH['class'])))}"
        return f"a value satisfying sh:{kind[:1].lower() + kind[1:]}"


def _fields(node, triples) -> dict:
    """One result's predicates -> objects (the first of each), unwrapping pyshacl's (graph, node) pairs."""
    fields: dict = {}
    for s, p, o in triples:
        if s == node:
            fields.setdefault(p, o[1] if isinstance(o, tuple) else o)
    return fields


class ResultReader:
    """Reads pyshacl's result tuples for one document."""

    def __init__(self, texts: ShapeTexts, data: Graph, labels: FocusLabels):
        self.texts, self.data, self.labels = texts, data, labels

    def read(self, reports: list[tuple]) -> list[Result]:
        """Results from pyshacl's report tuples (description, result node, result triples)."""
        results: dict[tuple, Result] = {}
        for _description, node, triples in reports:
            result = self._result(_fields(node, triples))
            key = (result.severity, result.focus_node, result.path, result.message, result.value)
            results.setdefault(key, result)  # one value can break two constraints of one shape
        return sorted(results.values(), key=self._sort_key)

    def _sort_key(self, r: Result):
        return (SEVERITIES.index(r.severity), self.labels.order(r.focus_node), r.path or "", r.value or "")

    def _result(self, fields: dict) -> Result:
        focus, value = fields.get(_FOCUS), fields.get(_VALUE)
        text = self.texts.get(fields.get(_SHAPE), fields.get(_COMPONENT), fields.get(_PATH))
        severity = _local(fields.get(_SEVERITY))
        key = node_key(focus)
        return Result(
            severity=severity if severity in SEVERITIES else VIOLATION,
            focus_node=key,
            focus_label=self.labels.label(key),
            path=text.path,
            property_label=text.property_label,
            property_definition=text.property_definition,
            message=text.message or self._fallback_message(fields, text),
            expected=text.expected,
            found=self._found(text, focus, value),
            value=None if value is None else node_key(value),
        )

    @staticmethod
    def _fallback_message(fields: dict, text: ShapeText) -> str:
        message = fields.get(_MESSAGE)
        if message is not None:
            return str(message)
        subject = text.property_label or "This node"
        return f"{subject}: expected {text.expected}."

    def _found(self, text: ShapeText, focus, value) -> str | None:
        if text.kind in ("MinCount", "MaxCount"):
            count = sum(1 for p in text.properties for _ in self.data.objects(focus, p))
            return None if count == 0 else f"{count} value" + ("" if count == 1 else "s")
        return None if value is None else describe(value)
