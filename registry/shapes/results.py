"""Turn pyshacl's raw results into :class:`Result` objects people can read.

Besides reading pyshacl's results, :class:`ResultReader` evaluates one shape of
``ctdl.ttl`` itself: ``shape:UnknownProperties``, the SPARQL-based report of
properties outside CTDL. The shape is deactivated in the file because pyshacl
parses its query again for every focus node; the reader computes the same
results from the data directly whenever the shapes graph declares it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from ..namespaces import CEASN, CETERMS, XSD, compact
from ..vocab import Vocabulary
from . import wording
from .focus import FocusLabels
from .plan import DATE_TYPES, KNOWN_VOCABULARIES, UNKNOWN_PROPERTIES, agent_classes, concept_checks, ctdl_properties
from .report import SEVERITIES, VIOLATION, Result
from .targets import CTIDS
from .wording import label as term_label

_MAX_SHOWN = 80
_FOCUS, _SHAPE, _COMPONENT = SH.focusNode, SH.sourceShape, SH.sourceConstraintComponent
_VALUE, _PATH, _SEVERITY, _MESSAGE = SH.value, SH.resultPath, SH.resultSeverity, SH.resultMessage
_SPARQL_COMPONENT = SH.SPARQLConstraintComponent
# A hint written into a shape (for extra shape files): shape:hint "…".
HINT = URIRef(UNKNOWN_PROPERTIES.rpartition("#")[0] + "#hint")
_REFERENCE_SHAPE = URIRef(UNKNOWN_PROPERTIES.rpartition("#")[0] + "#Reference")
_DATE_TYPES = tuple(URIRef(t) for t in DATE_TYPES)
_CTIDS = tuple(URIRef(p) for p in CTIDS)
_CTID_RE = re.compile(wording.CTID_PATTERN)
_URL_RE = re.compile(wording.URL_PATTERN, re.IGNORECASE)
_DAY_RE = re.compile(r"^(-?[0-9]{4,})-([0-9]{2})-([0-9]{2})")


def node_key(node) -> str:
    return "_:" + str(node) if isinstance(node, BNode) else str(node)


def _local(iri) -> str:
    return str(iri).rpartition("#")[2]


def path_iris(graph: Graph, path) -> list[URIRef]:
    """The properties a simple or ``sh:alternativePath`` path is about (a sequence path: its first step)."""
    if isinstance(path, URIRef):
        return [path]
    alternatives = graph.value(path, SH.alternativePath) if path is not None else None
    if alternatives is not None:
        return [p for p in Collection(graph, alternatives) if isinstance(p, URIRef)]
    if path is not None and (path, RDF.first, None) in graph:
        first = graph.value(path, RDF.first)
        return [first] if isinstance(first, URIRef) else []
    return []


def path_text(graph: Graph, path) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return compact(str(path))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(compact(str(p)) for p in Collection(graph, alternatives))
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + (path_text(graph, inverse) or "?")
    if (path, RDF.first, None) in graph:
        return "/".join(path_text(graph, p) or "?" for p in Collection(graph, path))
    return "(complex path)"


def describe(value, *, plain_note: bool = False) -> str:
    """A value as a person would want to see it in a report.

    ``plain_note`` says so when a string has no language tag (for the checks of
    language-tagged text).
    """
    if isinstance(value, URIRef):
        curie = wording.concept_curie(str(value))
        return f"{curie} (an IRI)" if curie != str(value) else f"<{value}> (an IRI)"
    if isinstance(value, BNode):
        return "a nested node (blank node)"
    text = str(value)
    shown = text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"
    if value.language:
        return f'"{shown}"@{value.language}'
    if value.datatype is None or value.datatype == URIRef(XSD + "string"):
        return f'"{shown}" (a plain string with no language tag)' if plain_note else f'"{shown}" (text)'
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
    datatype: URIRef | None = None  # sh:datatype, also inside sh:or (the date checks)
    concepts: tuple[URIRef, ...] = ()  # sh:in, also inside sh:or (the concept checks)
    web: bool = False  # the value must be a web address (the URL pattern)
    reference: bool = False  # a rule of shape:Reference
    hint: str | None = None  # shape:hint, if the shape gives one


@dataclass(frozen=True)
class UnknownPropertyCheck:
    """shape:UnknownProperties as the registry evaluates it (see the module docstring)."""

    shape: URIRef
    severity: URIRef
    message: str
    known: frozenset[str]  # every ceterms:/ceasn: property CTDL defines
    namespaces: tuple[str, ...]  # the other vocabularies the registry knows

    def unknown(self, predicate: str) -> bool:
        return predicate not in self.known and not predicate.startswith(self.namespaces)


class ShapeTexts:
    """Builds and caches :class:`ShapeText` per (shape, constraint component)."""

    def __init__(self, shapes: Graph, vocab: Vocabulary):
        self.shapes, self.vocab = shapes, vocab
        self._cache: dict[tuple, ShapeText] = {}
        self.unknown_properties = self._unknown_check()
        self.concept_checks = {URIRef(c.prop): c for c in concept_checks(vocab)}
        self.agent_classes = agent_classes(vocab)
        self._phrases: dict[str, str | None] = {}
        self._ctdl_locals: dict[str, list[str]] = {}
        for prop in ctdl_properties(vocab):
            namespace = CEASN if prop.startswith(CEASN) else CETERMS
            self._ctdl_locals.setdefault(namespace, []).append(prop[len(namespace):])

    def _unknown_check(self) -> UnknownPropertyCheck | None:
        shape = URIRef(UNKNOWN_PROPERTIES)
        constraint = self.shapes.value(shape, SH.sparql)
        if constraint is None:
            return None
        return UnknownPropertyCheck(
            shape=shape,
            severity=self.shapes.value(shape, SH.severity) or SH.Violation,
            message=str(self.shapes.value(constraint, SH.message) or wording.UNKNOWN_MESSAGE),
            known=frozenset(ctdl_properties(self.vocab)),
            namespaces=tuple(KNOWN_VOCABULARIES.values()),
        )

    def get(self, shape, component, path) -> ShapeText:
        key = (shape, component, path)
        text = self._cache.get(key)
        if text is None:
            text = self._cache[key] = self._build(shape, component, path)
        return text

    def _value(self, shape, predicate):
        return self.shapes.value(shape, predicate) if shape is not None else None

    def _members(self, shape) -> list:
        """``shape`` itself, then the members of its ``sh:or``."""
        members = [shape]
        either = self._value(shape, SH["or"])
        if either is not None:
            members += list(Collection(self.shapes, either))
        return members

    def _build(self, shape, component, path) -> ShapeText:
        iris = tuple(path_iris(self.shapes, path))
        name = self._value(shape, SH.name)
        message = self._value(shape, SH.message)
        kind = _local(component).removesuffix("ConstraintComponent")
        members = self._members(shape) if shape is not None else []
        datatype = next((d for m in members if (d := self._value(m, SH.datatype)) in _DATE_TYPES), None)
        concepts: tuple = ()
        for member in members:
            listed = self._value(member, SH["in"])
            if listed is not None:
                concepts = tuple(Collection(self.shapes, listed))
                break
        pattern = self._value(shape, SH.pattern)
        parent = self.shapes.value(None, SH.property, shape) if shape is not None else None
        hint = self._value(shape, HINT)
        return ShapeText(
            path=path_text(self.shapes, path),
            properties=iris,
            property_label=str(name) if name is not None else " or ".join(term_label(self.vocab, str(i)) for i in iris),
            property_definition=" ".join(self.vocab.definition(str(i)) for i in iris).strip(),
            message=str(message) if message is not None else None,
            expected=self._expected(kind, shape, len(iris) > 1, datatype, concepts),
            kind=kind,
            datatype=datatype,
            concepts=concepts,
            web=pattern is not None and str(pattern) == wording.URL_PATTERN,
            reference=parent == _REFERENCE_SHAPE,
            hint=str(hint) if hint is not None else None,
        )

    def _expected(self, kind: str, shape, alternatives: bool, datatype, concepts) -> str:
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
            names = {
                "IRI": "an IRI (a web address)" if self._value(shape, SH.pattern) is not None else "an IRI",
                "Literal": "a literal value",
                "BlankNode": "a nested node",
                "BlankNodeOrIRI": "an IRI or a nested node, not text",
            }
            return names.get(_local(node_kind), compact(str(node_kind)))
        if datatype is not None and kind in ("Datatype", "Or"):
            return wording.date_expected(str(datatype))
        if concepts and kind in ("In", "Or"):
            expected = self._concepts_expected(concepts)
            return expected + (", or an alignment object pointing to one" if kind == "Or" else "")
        if kind == "Datatype":
            datatype = self._value(shape, SH.datatype)
            if datatype == RDF.langString:
                return "language-tagged text (rdf:langString)"
            return f"a literal of type {compact(str(datatype))}"
        if kind == "Class":
            return f"an instance of {compact(str(self._value(shape, SH['class'])))}"
        if kind == "SPARQL" and shape == URIRef(UNKNOWN_PROPERTIES):
            return wording.unknown_expected(KNOWN_VOCABULARIES)
        return f"a value satisfying sh:{kind[:1].lower() + kind[1:]}"

    def _concepts_expected(self, concepts) -> str:
        iris = [str(c) for c in concepts]
        if all(wording.concept_term(self.vocab, c) is not None for c in iris):
            return wording.concept_expected(self.vocab, iris)
        return "one of: " + ", ".join(wording.concept_curie(c) for c in iris)

    # --- hints ---------------------------------------------------------------------------------

    def hint(self, text: ShapeText, severity: str, value) -> str | None:
        """How to fix one result, in plain words (None when there is nothing useful to say)."""
        if text.hint:
            return text.hint
        props = [str(p) for p in text.properties]
        kind = text.kind
        if kind == "MinCount":
            return self._missing_hint(props, severity, text.reference)
        if kind == "MaxCount" and props:
            return f"Keep a single {compact(props[0])} and remove the others."
        if text.datatype is not None and kind in ("Datatype", "Or"):
            return _date_hint(str(text.datatype), value)
        if text.concepts and kind in ("In", "Or"):
            return self._concept_hint(props, text.concepts, value)
        if kind == "SPARQL" and props:
            return self._unknown_hint(props[0])
        if kind == "Pattern" and props and props[0] in CTIDS:
            return _ctid_hint(value)
        if text.web and kind in ("Pattern", "NodeKind"):
            return _url_hint(value)
        if kind == "NodeKind" and isinstance(value, BNode):
            return (
                "Give the IRI of what this points to (a concept, a framework item, a registry resource) "
                "instead of a nested node."
            )
        if kind == "NodeKind":
            node_kind = text.expected
            if node_kind.startswith("an IRI or a nested node"):
                return (
                    "Refer to the organization by its IRI, such as https://credentialengineregistry.org/"
                    "resources/ce-…, or describe it in a nested node with its name and subject webpage; "
                    "text such as its name cannot be followed."
                )
            if node_kind.startswith("an IRI"):
                return "Give the IRI of the resource (a concept, a framework item or a registry resource), not text."
        if kind == "Datatype" and text.expected.startswith("language-tagged"):
            return (
                'Say which language the text is in: a language map such as {"en-US": "…"} in JSON-LD, '
                'or "…"@en-US in Turtle.'
            )
        return None

    def _missing_hint(self, props: list[str], severity: str, reference: bool) -> str | None:
        if not props:
            return None
        add = "Add" if severity == VIOLATION else "If you can, add"
        if reference:
            prop = props[0]
            return (
                f"{add} {compact(prop)} ({term_label(self.vocab, prop)}) to this reference, or, if the resource "
                "is published in the registry, replace the nested node by its IRI."
            )
        if len(props) > 1:
            names = [compact(p) for p in props]
            listed = ", ".join(names[:-1]) + " or " + names[-1]
            phrases = {self.value_phrase(p) for p in props}
            phrase = phrases.pop() if len(phrases) == 1 else None
            return f"{add} at least one of {listed}" + (f", with {phrase}." if phrase else ".")
        prop = props[0]
        phrase = self.value_phrase(prop)
        text = f"{add} {compact(prop)} ({term_label(self.vocab, prop)})"
        return text + (f" with {phrase}." if phrase else ".")

    def value_phrase(self, prop: str) -> str | None:
        """What a value of ``prop`` looks like: ``a full web address (URL) starting with https://``."""
        if prop not in self._phrases:
            self._phrases[prop] = self._value_phrase(prop)
        return self._phrases[prop]

    def _value_phrase(self, prop: str) -> str | None:
        if prop in CTIDS:
            return f"the resource's CTID: 'ce-' followed by a lower-case UUID, such as {wording.CTID_EXAMPLE}"
        check = self.concept_checks.get(URIRef(prop))
        if check is not None:
            example = wording.concept_curie(check.concepts[0])
            scheme = term_label(self.vocab, check.scheme)
            return (
                f"a CredentialAlignmentObject whose ceterms:targetNode is a concept of {scheme}, such as {example}"
            )
        term = self.vocab.get(prop)
        ranges = set(term.range) if term is not None else set()
        if not ranges:
            return None
        if ranges <= self.agent_classes:
            return (
                "the IRI of the organization, such as https://credentialengineregistry.org/resources/ce-…, "
                "or a nested reference giving its name and subject webpage"
            )
        simple = {
            XSD + "anyURI": "a full web address (URL) starting with https://",
            RDF.langString: 'text and its language, such as {"en-US": "…"} in JSON-LD',
            XSD + "date": f"a date written {wording.DATE_FORMS[XSD + 'date']}, such as 2024-09-01",
            XSD + "dateTime": f"a date and time, such as {wording.DATE_EXAMPLES[XSD + 'dateTime']}",
            XSD + "language": 'a language code such as "en" or "en-US"',
            XSD + "boolean": "true or false",
            XSD + "decimal": "a number",
            XSD + "integer": "a whole number",
            XSD + "float": "a number",
        }
        for range_, phrase in simple.items():
            if str(range_) in ranges:
                return phrase
        classes = [r for r in sorted(ranges) if self.vocab.get(r) is not None and self.vocab.get(r).kind == "class"]
        if 0 < len(classes) <= 3:
            return " or ".join(f"a {term_label(self.vocab, c)} ({compact(c)})" for c in classes)
        return None

    def _concept_hint(self, props: list[str], concepts: tuple, value) -> str:
        iris = [str(c) for c in concepts]
        check = self.concept_checks.get(URIRef(props[0])) if props else None
        scheme = term_label(self.vocab, check.scheme) if check is not None else "the property's"
        example = wording.concept_curie(iris[0])
        listing = f"Use one of the {scheme} concepts, such as {example}"
        if not isinstance(value, URIRef):
            return f"{listing}: give the concept's IRI, not text."
        found = str(value)
        other = wording.concept_term(self.vocab, found)
        if other is not None and other.scheme:
            return f"{wording.concept_curie(found)} is a concept of {term_label(self.vocab, other.scheme)}. {listing}."
        local = re.split(r"[/#:]", found.rstrip("/"))[-1]
        locals_ = {c.rpartition("/")[2]: c for c in iris}
        same = next((c for name, c in locals_.items() if name.lower() == local.lower()), None)
        close = same or next(iter(difflib.get_close_matches(local, list(locals_), n=1, cutoff=0.75)), None)
        if close is not None and close != found:
            return f"Did you mean {wording.concept_curie(locals_.get(close, close))}? " + listing + "."
        return f"{listing}; the scheme has no concept {wording.concept_curie(found)}."

    def _unknown_hint(self, prop: str) -> str:
        namespace = CEASN if prop.startswith(CEASN) else CETERMS
        local = prop.rpartition("/")[2].rpartition("#")[2].strip()
        match = difflib.get_close_matches(local, self._ctdl_locals.get(namespace, []), n=1, cutoff=0.7)
        keep = "the value is kept, but CTDL tools ignore it"
        if match:
            return f"If you meant {compact(namespace + match[0])}, rename it; otherwise nothing to do: {keep}."
        return (
            "Check the name against the CTDL terms (https://credreg.net/ctdl/terms); if the property is "
            f"intended, nothing to do: {keep}."
        )


def _ctid_hint(value) -> str:
    text = str(value) if value is not None else ""
    fixed = text.strip().lower()
    if _CTID_RE.match(fixed):
        how = "in lower case" if fixed == text.lower() else "in lower case, without spaces"
        return f"Write the CTID {how}: {fixed}."
    return f"A CTID is 'ce-' followed by a UUID in lower-case hexadecimal, such as {wording.CTID_EXAMPLE}."


def _url_hint(value) -> str:
    text = str(value) if value is not None else ""
    if isinstance(value, Literal):
        if _URL_RE.match(text):
            return (
                f"Give the address as an IRI, not as text: in Turtle <{text}> rather than \"{text}\" "
                "(in JSON-LD the CTDL context already reads it as an IRI)."
            )
        if text and " " not in text.strip() and "." in text:
            return f"Write the full web address, starting with https://, such as https://{text.strip()}."
        return "Give the web address (URL) of the page, starting with https://, not a text."
    return "Use a web address starting with http:// or https://."


def _date_hint(datatype: str, value) -> str:
    example, form = wording.DATE_EXAMPLES[datatype], wording.DATE_FORMS[datatype]
    text = str(value).strip() if isinstance(value, Literal) else ""
    day = _DAY_RE.match(text)
    if day and _is_day(day.groups()):
        if datatype == XSD + "date" and len(text) > 10:
            return f"Keep only the date: {day.group(0)}."
        if datatype == XSD + "dateTime" and "T" not in text:
            return f"Add a time of day, such as {day.group(0)}T00:00:00Z."
    elif day:
        return f"{day.group(0)} is not a day of the calendar; give a real date written {form}."
    what = "date" if datatype == XSD + "date" else "date and time"
    return f"Write the {what} as {form}, such as {example}."


def _is_day(groups: tuple[str, str, str]) -> bool:
    year, month, day = (int(g) for g in groups)
    try:
        date(max(1, min(abs(year), 9999)), month, day)
    except ValueError:
        return False
    return True


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
        """Results from pyshacl's report tuples (description, result node, result triples), then the
        results of shape:UnknownProperties when the shapes declare it."""
        results: dict[tuple, Result] = {}
        found = [_fields(node, triples) for _description, node, triples in reports]
        found += self.unknown_property_fields()
        for fields in found:
            result = self._result(fields)
            key = (result.severity, result.focus_node, result.path, result.message, result.value)
            results.setdefault(key, result)  # one value can break two constraints of one shape
        return sorted(results.values(), key=self._sort_key)

    def unknown_property_fields(self) -> list[dict]:
        """shape:UnknownProperties evaluated directly: what pyshacl would report for it, activated."""
        check = self.texts.unknown_properties
        if check is None:
            return []
        out = []
        for subject in set(self.data.subjects()):
            for predicate, value in self.data.predicate_objects(subject):
                if check.unknown(str(predicate)):
                    out.append({
                        _FOCUS: subject, _SHAPE: check.shape, _COMPONENT: _SPARQL_COMPONENT,
                        _PATH: predicate, _VALUE: value, _SEVERITY: check.severity, _MESSAGE: Literal(check.message),
                    })  # fmt: skip
        return out

    def _sort_key(self, r: Result):
        return (SEVERITIES.index(r.severity), self.labels.order(r.focus_node), r.path or "", r.value or "")

    def _result(self, fields: dict) -> Result:
        focus, value = fields.get(_FOCUS), fields.get(_VALUE)
        text = self.texts.get(fields.get(_SHAPE), fields.get(_COMPONENT), fields.get(_PATH))
        severity = _local(fields.get(_SEVERITY))
        severity = severity if severity in SEVERITIES else VIOLATION
        key = node_key(focus)
        return Result(
            severity=severity,
            focus_node=key,
            focus_label=self.labels.label(key),
            path=text.path,
            property_label=text.property_label,
            property_definition=text.property_definition,
            message=text.message or self._fallback_message(fields, text),
            expected=text.expected,
            found=self._found(text, focus, value),
            value=None if value is None else node_key(value),
            hint=self.texts.hint(text, severity, value),
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
        if value is None:
            return None
        if text.kind == "SPARQL" and text.path:
            return f"{text.path} with the value {describe(value)}"
        return describe(value, plain_note=text.expected.startswith("language-tagged"))
