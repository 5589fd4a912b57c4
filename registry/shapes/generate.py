"""Write ``registry/shapes/ctdl.ttl`` from the minimum data policy and the vocabulary.

Run ``python -m registry.shapes.generate`` after changing the policy TSV, the
corrections in :mod:`registry.shapes.policy` or the vocabulary; ``--check``
only reports whether the committed file is up to date. The runtime never runs
this: it reads the committed Turtle.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from ..namespaces import CEASN, CETERMS, XSD, compact
from ..paths import POLICY_TSV, SHAPES_DIR
from ..vocab import Vocabulary, vocabulary
from . import turtle as ttl
from . import wording
from .plan import (
    KNOWN_VOCABULARIES, REFERENCE_RECOMMENDS, REFERENCE_REQUIRES, UNKNOWN_PROPERTIES, ConceptCheck, Plan,
    ShapeSpec, make_plan,
)  # fmt: skip
from .policy import ADDITIONS, CORRECTIONS, RECOMMENDS, REQUIRES, Rule, read_policy
from .targets import CTIDS, DESCRIBED_INSTANCES, REFERENCES, TARGET_TYPES

OUTPUT = SHAPES_DIR / "ctdl.ttl"
FORMATS_SHAPE = "ValueFormats"
REFERENCE_SHAPE = "Reference"
DATES_SHAPE = "Dates"
AGENTS_SHAPE = "Organizations"
VIOLATION, WARNING, INFO = "sh:Violation", "sh:Warning", "sh:Info"


def _wrap(text: str) -> str:
    """Wrap each line of ``text`` for a comment; continuation lines of a ``- `` item are indented."""
    return "\n".join(
        textwrap.fill(line, 98, break_on_hyphens=False, subsequent_indent="  " if line.startswith("- ") else "")
        for line in text.split("\n")
    )


def _annotations(name: str, description: str, message: str, severity: str) -> list[tuple[str, str]]:
    return [
        ("sh:severity", severity),
        ("sh:name", ttl.literal(name)),
        ("sh:description", ttl.literal(description)),
        ("sh:message", ttl.literal(message)),
    ]


def _rule_property(vocab: Vocabulary, cls: str, rule: Rule) -> str:
    path = ttl.term(rule.properties[0]) if len(rule.properties) == 1 else ttl.alternative_path(rule.properties)
    severity = VIOLATION if rule.level == REQUIRES else WARNING
    pairs = [("sh:path", path), ("sh:minCount", "1")] + _annotations(
        wording.rule_name(vocab, rule),
        wording.rule_description(vocab, rule),
        wording.rule_message(vocab, cls, rule),
        severity,
    )
    if rule.note:
        origin = "Registry rule, not in the policy TSV: " if rule.added else "Corrected policy row: "
        pairs.append(("rdfs:comment", ttl.literal(origin + rule.note)))
    return ttl.property_shape(pairs)


def _targets(spec: ShapeSpec) -> tuple[str, str]:
    if spec.described_only:
        return ("sh:target", ttl.typed_targets(DESCRIBED_INSTANCES, spec.targets))
    return ("sh:targetClass", ttl.target_list(spec.targets))


def _policy_shape(vocab: Vocabulary, spec: ShapeSpec) -> str:
    label = vocab.label(spec.cls)
    required = sum(r.level == REQUIRES for r in spec.rules)
    if spec.base:
        comment = f"Minimum data policy for {label}, in addition to shape:{spec.base}."
    elif spec.shared_by:
        comment = (
            f"Minimum data policy rules shared by the {len(spec.shared_by)} {label.lower()} types of the "
            f"policy, applied to {label} and all {len(spec.inheriting)} of its subclasses."
        )
    else:
        comment = f"Minimum data policy for {label}."
    header = f"{label} ({compact(spec.cls)}): {vocab.definition(spec.cls)}\n{comment} "
    header += f"{required} required, {len(spec.rules) - required} recommended."
    if spec.inheriting and not spec.shared_by:
        header += "\nAlso applies to the subclasses " + ", ".join(compact(c) for c in spec.inheriting) + "."
    if spec.described_only:
        header += "\nApplies to described instances only (IRIs, or blank nodes with a CTID); see shape:Reference."
    pairs = [
        ("a", "sh:NodeShape"),
        ("rdfs:label", ttl.literal(label)),
        ("rdfs:comment", ttl.literal(comment)),
        _targets(spec),
    ]
    properties = [_rule_property(vocab, spec.cls, rule) for rule in spec.rules]
    return ttl.block(spec.name, _wrap(header), pairs, properties)


_WEB_ADDRESS = [("sh:nodeKind", "sh:IRI"), ("sh:pattern", ttl.literal(wording.URL_PATTERN)), ("sh:flags", '"i"')]
_IRI = [("sh:nodeKind", "sh:IRI")]
_TEXT = [("sh:datatype", "rdf:langString")]


def _format_property(vocab: Vocabulary, prop: str, constraints: list[tuple[str, str]], message, severity: str) -> str:
    is_ctid = prop in CTIDS
    name = "CTID" if is_ctid else wording.label(vocab, prop)
    definition = vocab.definition(CETERMS + "ctid" if is_ctid else prop)
    pairs = [("sh:path", ttl.term(prop))] + constraints
    return ttl.property_shape(pairs + _annotations(name, definition, message(vocab, prop), severity))


def _format_properties(vocab: Vocabulary, plan: Plan) -> list[str]:
    checks = [(p, [("sh:pattern", ttl.literal(wording.CTID_PATTERN))], wording.ctid_message, VIOLATION) for p in CTIDS]
    checks.append((CETERMS + "ctid", [("sh:maxCount", "1")], wording.single_ctid_message, VIOLATION))
    checks += [(p, _WEB_ADDRESS, wording.url_message, VIOLATION) for p in plan.web_properties]
    checks += [(p, _IRI, wording.iri_message, VIOLATION) for p in plan.identifier_properties]
    checks += [(p, _TEXT, wording.text_message, WARNING) for p in plan.text_properties]
    return [_format_property(vocab, *check) for check in checks]


def _formats_shape(vocab: Vocabulary, plan: Plan) -> str:
    header = (
        "Value formats, checked on every instance of a class that has a shape in this file:\n"
        "- the CTID is 'ce-' + a lower-case UUID, and there is only one (Violation);\n"
        f"- {len(plan.web_properties)} URL-valued properties (range xsd:anyURI) are http(s) IRIs (Violation);\n"
        f"- {len(plan.identifier_properties)} URL-valued properties that identify a resource rather than a web page "
        "are IRIs (Violation);\n"
        f"- {len(plan.text_properties)} text properties (range rdf:langString) are language-tagged "
        "(Warning: 2017-era documents use plain strings)."
    )
    pairs = [
        ("a", "sh:NodeShape"),
        ("rdfs:label", ttl.literal("Value formats")),
        ("rdfs:comment", ttl.literal("CTID syntax, web addresses and language-tagged text.")),
        ("sh:targetClass", ttl.target_list(plan.covered)),
    ]
    return ttl.block(FORMATS_SHAPE, _wrap(header), pairs, _format_properties(vocab, plan))


def _value_shape(name: str, label: str, comment: str, header: str, targets: list[str], properties: list[str]) -> str:
    """A node shape for the nodes that use some properties (sh:targetSubjectsOf), whatever their class."""
    pairs = [
        ("a", "sh:NodeShape"),
        ("rdfs:label", ttl.literal(label)),
        ("rdfs:comment", ttl.literal(comment)),
        ("sh:targetSubjectsOf", ttl.target_list(targets)),
    ]
    return ttl.block(name, _wrap(header), pairs, properties)


def _simple_property(vocab: Vocabulary, prop: str, path: str, constraints: list[tuple[str, str]], message: str) -> str:
    pairs = [("sh:path", path)] + constraints
    annotations = _annotations(wording.label(vocab, prop), vocab.definition(prop), message, VIOLATION)
    return ttl.property_shape(pairs + annotations)


def _dates_shape(vocab: Vocabulary, plan: Plan) -> str:
    properties = []
    for prop, datatype in plan.date_properties.items():
        pattern = ttl.literal(wording.DATE_PATTERNS[datatype])
        members = [f"[ sh:datatype {ttl.term(t)} ; sh:pattern {pattern} ]" for t in (datatype, XSD + "string")]
        either = ttl.rdf_list(members, indent="        ")
        message = wording.date_message(vocab, prop, datatype)
        properties.append(_simple_property(vocab, prop, ttl.term(prop), [("sh:or", either)], message))
    dates = sum(d == XSD + "date" for d in plan.date_properties.values())
    header = (
        f"Dates: the {dates} properties whose range is xsd:date and the {len(plan.date_properties) - dates} whose "
        "range is xsd:dateTime, checked on every node that uses them (Violation). The CTDL context types "
        "their JSON-LD values, so a malformed date is an ill-typed literal; a date given as plain text "
        "(Turtle, or JSON-LD without the context's typing) must have the same lexical form. The pattern "
        "is checked on typed values too, because rdflib accepts some invalid lexical forms of xsd:date "
        "(2024-09-01T10:00:00)."
    )
    return _value_shape(DATES_SHAPE, "Dates", "Dates are valid xsd:date or xsd:dateTime values.", header,
                        list(plan.date_properties), properties)  # fmt: skip


def _concept_list(check: ConceptCheck) -> str:
    return ttl.rdf_list([ttl.term(c) for c in check.concepts], indent="        ")


def concept_shape_name(prop: str) -> str:
    """``ceterms:credentialStatusType`` -> ``Concepts-credentialStatusType`` (``Concepts-ceasn-…`` for CTDL-ASN)."""
    prefix, _, local = compact(prop).partition(":")
    return "Concepts-" + (local if prefix == "ceterms" else f"{prefix}-{local}")


def _concepts_section_note(plan: Plan) -> str:
    direct = sum(c.direct for c in plan.concept_checks)
    return (
        f"{len(plan.concept_checks)} properties whose target concept scheme (meta:targetScheme) has its concepts "
        "in the CTDL vocabulary, one shape each, targeting the nodes that use the property. The "
        "ceterms:targetNode of their CredentialAlignmentObject must be one of the scheme's concepts "
        f"(Violation); for the {direct} properties whose range includes skos:Concept, a value that is an IRI "
        "must be one too. Schemes the vocabulary only names (industry, occupation and instructional program "
        "classifications, qdata collection methods...) are not checked. Concept IRIs are written in the "
        "https form the registry reads the older http://purl.org/ctdl... IRIs as. One shape per property "
        "keeps validation fast: a shape whose property a document does not use has no focus node, so its "
        "concept list is never read."
    )


def _concept_shape(vocab: Vocabulary, check: ConceptCheck) -> str:
    prop, scheme = check.prop, check.scheme
    path = ttl.sequence_path([prop, CETERMS + "targetNode"])
    message = wording.concept_message(vocab, prop, scheme, direct=False)
    properties = [_simple_property(vocab, prop, path, [("sh:in", _concept_list(check))], message)]
    if check.direct:
        members = ["[ sh:nodeKind sh:BlankNode ]", "[ sh:in " + _concept_list(check).replace("\n", "\n    ") + " ]"]
        either = ttl.rdf_list(members, indent="        ")
        message = wording.concept_message(vocab, prop, scheme, direct=True)
        properties.append(_simple_property(vocab, prop, ttl.term(prop), [("sh:or", either)], message))
    label = wording.label(vocab, prop)
    header = f"{label} ({compact(prop)}): concepts of {wording.scheme_ref(vocab, scheme)}."
    comment = f"{label} takes its concepts from {wording.scheme_ref(vocab, scheme)}."
    return _value_shape(concept_shape_name(prop), f"Concepts: {label}", comment, header, [prop], properties)


def _concepts_shapes(vocab: Vocabulary, plan: Plan) -> str:
    return "\n".join(_concept_shape(vocab, check) for check in plan.concept_checks)


def _agents_shape(vocab: Vocabulary, plan: Plan) -> str:
    constraint = [("sh:nodeKind", "sh:BlankNodeOrIRI")]
    properties = [
        _simple_property(vocab, p, ttl.term(p), constraint, wording.agent_message(vocab, p))
        for p in plan.agent_properties
    ]
    header = (
        f"Organizations: the {len(plan.agent_properties)} properties whose range is only organizations and "
        "other agents (ownedBy, offeredBy, accreditedBy, ceasn:publisher...) point to one: an IRI, or a "
        "nested node (a reference, see shape:Reference), never a text value (Violation). Whether an IRI "
        "names an organization the registry knows is not a property of the document; the ingest layer "
        "would have to check it (docs/validation.md)."
    )
    return _value_shape(AGENTS_SHAPE, "Organizations", "Organization properties point to organizations.",
                        header, plan.agent_properties, properties)  # fmt: skip


ALL_SUBJECTS = "SELECT DISTINCT ?this WHERE { ?this ?p ?o . }"


def _regex_lines(namespace: str, names: list[str], width: int = 90) -> list[str]:
    """``"^https://purl[.]org/ctdl/terms/(", "a|b|...", ")$"`` as SPARQL string literals, wrapped."""
    lines, line = [], ""
    for name in names:
        if line and len(line) + len(name) > width:
            lines.append(line)
            line = ""
        line += name + "|"
    lines.append(line.rstrip("|"))
    return ['"^' + namespace.replace(".", "[.]") + '("'] + [f'"{x}"' for x in lines] + ['")$"']


def unknown_properties_query(plan: Plan) -> str:
    """The SPARQL of shape:UnknownProperties: the properties of $this outside CTDL and the known vocabularies."""
    indent = " " * 12
    known = "\n            && ".join(f'!STRSTARTS(STR(?path), "{ns}")' for ns in KNOWN_VOCABULARIES.values())
    filters = [f"FILTER ({known})"]
    for namespace in (CETERMS, CEASN):
        names = [p[len(namespace):] for p in plan.ctdl_properties if p.startswith(namespace)]
        parts = f",\n{indent}".join(_regex_lines(namespace, names))
        filters.append(f"FILTER (!REGEX(STR(?path), CONCAT(\n{indent}{parts})))")
    body = "\n        ".join(filters)
    return f"""
    SELECT $this ?path ?value WHERE {{
        $this ?path ?value .
        {body}
    }}"""


def _unknown_shape(plan: Plan) -> str:
    names = wording.vocabulary_names(KNOWN_VOCABULARIES)
    header = (
        "Properties outside CTDL (Info). A property that CTDL and CTDL-ASN do not define, in a namespace "
        f"other than {names}, is reported as a note: the document keeps it, but CTDL tools ignore it. "
        "Core SHACL can neither select properties by namespace nor target every node, so this uses a "
        "SPARQL-based constraint and a SHACL-AF SPARQL target (every subject of the document).\n"
        "It is DEACTIVATED here because pyshacl parses the query again for every focus node (about 25 ms "
        "each, seconds per document). The registry computes the same results directly "
        "(registry/shapes/results.py); to run it with another SHACL processor, remove sh:deactivated."
    )
    constraint = ttl.property_shape([
        ("a", "sh:SPARQLConstraint"),
        ("sh:message", ttl.literal(wording.UNKNOWN_MESSAGE)),
        ("sh:select", ttl.long_literal(unknown_properties_query(plan) + "\n")),
    ]).replace("sh:property [", "sh:sparql [", 1)  # fmt: skip
    pairs = [
        ("a", "sh:NodeShape"),
        ("rdfs:label", ttl.literal("Properties outside CTDL")),
        ("rdfs:comment", ttl.literal("Properties that no vocabulary the registry knows defines.")),
        ("sh:target", "[ a sh:SPARQLTarget ; sh:select " + ttl.literal(ALL_SUBJECTS) + " ]"),
        ("sh:severity", INFO),
        ("sh:deactivated", "true"),
    ]
    return ttl.block(UNKNOWN_PROPERTIES.rpartition("#")[2], _wrap(header), pairs, [constraint])


def _reference_shape(vocab: Vocabulary, plan: Plan) -> str:
    header = (
        "A reference is a blank node typed with an entity class but without a CTID, such as an "
        "accrediting organization that is not in the registry. It stands for a resource described "
        "elsewhere, so instead of that class's policy it only has to say what it points to."
    )
    rules = [Rule(REQUIRES, (p,)) for p in REFERENCE_REQUIRES] + [Rule(RECOMMENDS, (p,)) for p in REFERENCE_RECOMMENDS]
    properties = []
    for rule in rules:
        prop = rule.properties[0]
        verb = "must" if rule.level == REQUIRES else "should"
        message = (
            f"A reference to a resource that is not described in this document {verb} give its "
            f"{wording.property_ref(vocab, prop)}: {wording.sentence_start(vocab.definition(prop)).rstrip('.')}."
        )
        pairs = [("sh:path", ttl.term(prop)), ("sh:minCount", "1")] + _annotations(
            wording.label(vocab, prop), vocab.definition(prop), message,
            VIOLATION if rule.level == REQUIRES else WARNING,
        )  # fmt: skip
        properties.append(ttl.property_shape(pairs))
    pairs = [
        ("a", "sh:NodeShape"),
        ("rdfs:label", ttl.literal("Reference")),
        ("rdfs:comment", ttl.literal("What a reference to a resource described elsewhere must say.")),
        ("sh:target", ttl.typed_targets(REFERENCES, plan.referable)),
    ]
    return ttl.block(REFERENCE_SHAPE, _wrap(header), pairs, properties)


def _target_types() -> str:
    out = []
    for iri, (label, description, select) in TARGET_TYPES.items():
        pairs = [
            ("a", "sh:SPARQLTargetType"),
            ("rdfs:subClassOf", "sh:Target"),
            ("rdfs:label", ttl.literal(label)),
            ("rdfs:comment", ttl.literal(description)),
            ("sh:parameter", "[ sh:path shape:class ; sh:nodeKind sh:IRI ; sh:description \"The class.\" ]"),
            ("sh:select", ttl.long_literal(select + "\n")),
        ]
        name = ttl.term(iri).removeprefix("shape:")
        out.append(ttl.block(name, description, pairs, []))
    return "\n".join(out)


def _file_header(plan: Plan) -> str:
    lines = [
        "CTDL shapes for the registry. GENERATED by `python -m registry.shapes.generate`: do not edit.",
        "",
        f"Source: {POLICY_TSV.relative_to(POLICY_TSV.parents[2])} (Credential Engine minimum data "
        "policy) and the CTDL / CTDL-ASN vocabularies in ontology/ (CC BY 4.0, Credential Engine).",
        "",
        "sh:Violation: required by the policy, or malformed (CTID, web address, date, concept outside its "
        "scheme, text where an organization is expected).",
        "sh:Warning: recommended by the policy, or plain text where language-tagged text is expected.",
        "sh:Info: a property outside CTDL and the vocabularies the registry knows.",
        "A|B rules (at least one of) use sh:alternativePath with sh:minCount 1.",
        f"{len(plan.covered)} classes are targeted explicitly (subclasses included), so no inference is "
        "needed. Entity shapes use two SHACL-AF target types (run pyshacl with advanced=True); see "
        "docs/validation.md. Dates, concepts and organizations are checked on every node that uses "
        "them (sh:targetSubjectsOf). shape:UnknownProperties is a SPARQL-based constraint, deactivated "
        "here: the registry evaluates it directly (see its comment).",
        "",
        "Corrections to the TSV (registry/shapes/policy.py, docs/validation.md):",
    ]
    lines += ["- " + c.why for c in CORRECTIONS]
    lines += ["", "Rules for nested profiles the TSV does not cover (ADDITIONS in registry/shapes/policy.py):"]
    lines += [f"- {a.cls}: {a.why}" for a in ADDITIONS]
    return ttl.comment(_wrap("\n".join(lines)))


def _section(title: str, note: str = "") -> str:
    bar = "=" * 98
    text = f"{bar}\n{title}\n" + (_wrap(note) + "\n" if note else "") + bar
    return "\n" + ttl.comment(text) + "\n"


def render(vocab: Vocabulary | None = None) -> str:
    vocab = vocab or vocabulary()
    plan = make_plan(vocab, read_policy(vocab))
    parts = [_file_header(plan), "\n", ttl.prefixes()]
    parts += [_section("Target types: described resources and references"), _target_types()]
    parts += [_section("Value formats"), _formats_shape(vocab, plan)]
    parts += [_section("Dates"), _dates_shape(vocab, plan)]
    parts += [_section("Controlled vocabularies", _concepts_section_note(plan)), _concepts_shapes(vocab, plan)]
    parts += [_section("Organizations"), _agents_shape(vocab, plan)]
    parts += [_section("Properties outside CTDL"), _unknown_shape(plan)]
    parts += [_section("References to resources described elsewhere"), _reference_shape(vocab, plan)]
    for section in plan.sections:
        parts.append(_section(section.title, section.note))
        parts.append("\n".join(_policy_shape(vocab, spec) for spec in section.shapes))
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m registry.shapes.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed ctdl.ttl is out of date")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run python -m registry.shapes.generate", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.write_text(text, encoding="utf-8")
    shapes, properties = text.count("a sh:NodeShape"), text.count("sh:property [")
    print(f"wrote {args.output}: {shapes} node shapes, {properties} property shapes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
