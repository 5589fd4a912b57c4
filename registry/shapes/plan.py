"""Which shapes to generate: one per policy class, laid out along the class hierarchy.

* Every policy class gets a node shape targeting the class itself and every
  subclass (from the vocabulary) whose nearest policy ancestor it is, so
  ``ceterms:Course`` and ``ceterms:LearningProgram`` get the
  LearningOpportunityProfile rules and ``ceterms:BachelorOfScienceDegree`` the
  BachelorDegree rules, without any copying.
* For a *family root* (``ceterms:Credential``, see :data:`FAMILIES`) the rules shared by every policy
  class of the family go into one shape targeting the root and all its
  subclasses (the 48 credential types); the per-class shapes only add the
  differences.

The targets are explicit lists of classes, so validation needs no
``rdfs:subClassOf`` triples in the data graph and no inference. Classes whose
policy requires a CTID are *entities*: their shapes target only the instances
the document describes, and blank-node references to other entities get the
reference shape instead (:mod:`.targets`). Nested profiles (ConditionProfile,
CostProfile...) are checked wherever they appear.

Beyond presence, the plan lists the properties whose values have a checkable
form, all read from the vocabulary's ``schema:rangeIncludes`` and
``meta:targetScheme``: URLs and text (on the classes above), dates, concepts of
a controlled vocabulary, and references to organizations (on every node that
uses them). It also lists what counts as a known property, for the report of
properties outside CTDL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..namespaces import CEASN, CETERMS, PREFIXES, RDF, SKOS, XSD, compact
from ..vocab import Vocabulary
from .policy import Rule, expand, in_domain
from .targets import CTIDS, SHAPE_NS

# Family roots and the section of ctdl.ttl their shapes go to.
FAMILIES = {CETERMS + "Credential": "Credentials"}

# URL-valued properties whose value identifies a resource (a framework node, a
# concept, a registry resource) rather than a web page: any absolute IRI is
# accepted, e.g. concept IRIs such as sourceCoverage:Global in published data.
IDENTIFIER_PROPERTIES = tuple(
    CETERMS + p for p in ("targetNode", "proxyFor", "conditionExcludes")
) + tuple(CEASN + p for p in ("identifier", "source"))

# What a reference must say about the resource it points to (Credential
# Engine's publishing rules for references: a name and a subject webpage).
REFERENCE_REQUIRES = (CETERMS + "name", CETERMS + "subjectWebpage")
REFERENCE_RECOMMENDS = (CETERMS + "description",)

# How the shapes are grouped in ctdl.ttl (classes not listed go to "Other classes").
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Credentials", ()),  # the ceterms:Credential family
    ("Organizations", ("ceterms:CredentialOrganization", "ceterms:QACredentialOrganization")),
    ("Learning opportunities and assessments", ("ceterms:LearningOpportunityProfile", "ceterms:AssessmentProfile")),
    (
        "Manifests, transfer values and pathways",
        ("ceterms:ConditionManifest", "ceterms:CostManifest", "ceterms:TransferValueProfile",
         "ceterms:PathwaySet", "ceterms:Pathway"),
    ),
    (
        "Pathway components",
        ("ceterms:AssessmentComponent", "ceterms:BasicComponent", "ceterms:CocurricularComponent",
         "ceterms:CompetencyComponent", "ceterms:CourseComponent", "ceterms:CredentialComponent",
         "ceterms:ExtracurricularComponent", "ceterms:JobComponent", "ceterms:SelectionComponent",
         "ceterms:WorkExperienceComponent"),
    ),
    (
        "Occupations, jobs, work roles and tasks",
        ("ceterms:Occupation", "ceterms:Job", "ceterms:WorkRole", "ceterms:Task"),
    ),
    (
        "Nested profiles (usually blank nodes inside a resource)",
        ("ceterms:ConditionProfile", "ceterms:CostProfile", "schema:QuantitativeValue",
         "ceterms:CredentialAlignmentObject", "ceterms:FinancialAssistanceProfile", "ceterms:DurationProfile",
         "ceterms:JurisdictionProfile", "ceterms:Place", "ceterms:ContactPoint", "ceterms:PostalAddress",
         "ceterms:IdentifierValue", "ceterms:ProcessProfile", "ceterms:VerificationServiceProfile",
         "ceterms:RevocationProfile"),
    ),
    (
        "Competency frameworks and concept schemes",
        ("ceasn:CompetencyFramework", "ceasn:Competency", "skos:ConceptScheme", "skos:Concept"),
    ),
)  # fmt: skip
OTHER = "Other classes"

# The shape that reports properties outside CTDL; the registry evaluates it natively (results.py).
UNKNOWN_PROPERTIES = SHAPE_NS + "UnknownProperties"

# Date properties: range xsd:date or xsd:dateTime (the CTDL context types their values so).
DATE_TYPES = (XSD + "date", XSD + "dateTime")

# Vocabularies other than CTDL and CTDL-ASN whose properties documents may use
# without being told that CTDL tools ignore them. Any property in these
# namespaces is accepted; a ceterms: or ceasn: property must be defined by the
# vocabulary.
KNOWN_VOCABULARIES = {
    **{p: ns for p, ns in PREFIXES.items() if p not in ("ceterms", "ceasn", "xsd")},
    "owl": "http://www.w3.org/2002/07/owl#",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "schema (http)": "http://schema.org/",
}

# The registry reads the older http://purl.org/ctdl... namespaces as https (see
# registry.ingest.normalise); concept IRIs are compared in that form.
_LEGACY_CONCEPTS = (
    ("http://purl.org/ctdl/", "https://purl.org/ctdl/"),
    ("http://purl.org/ctdlasn/", "https://purl.org/ctdlasn/"),
)


def normalised(iri: str) -> str:
    for old, new in _LEGACY_CONCEPTS:
        if iri.startswith(old):
            return new + iri[len(old):]
    return iri


@dataclass
class ConceptCheck:
    """A property whose values come from a concept scheme of the vocabulary."""

    prop: str
    scheme: str
    concepts: list[str]  # the scheme's concept IRIs (https form), sorted
    direct: bool  # the range includes skos:Concept: a value may be the concept itself


@dataclass
class ShapeSpec:
    name: str  # local name of the shape IRI
    cls: str  # the class whose policy these rules are
    targets: list[str]  # sh:targetClass, the class first
    rules: list[Rule]
    base: str | None = None  # name of the family shape these rules add to
    described_only: bool = False  # an entity: references are left to the reference shape
    shared_by: list[str] = field(default_factory=list)  # for a family shape: the policy classes sharing it

    @property
    def inheriting(self) -> list[str]:
        return self.targets[1:]


@dataclass
class Section:
    title: str
    shapes: list[ShapeSpec] = field(default_factory=list)
    note: str = ""


@dataclass
class Plan:
    sections: list[Section]
    covered: list[str]  # every targeted class
    referable: list[str]  # entity classes whose blank-node references are checked
    web_properties: list[str]  # value must be an http(s) IRI
    identifier_properties: list[str]  # value must be an IRI
    text_properties: list[str]  # value should be language-tagged
    date_properties: dict[str, str] = field(default_factory=dict)  # property -> xsd:date or xsd:dateTime
    concept_checks: list[ConceptCheck] = field(default_factory=list)
    agent_properties: list[str] = field(default_factory=list)  # value must be an organization (IRI or node)
    ctdl_properties: list[str] = field(default_factory=list)  # every ceterms:/ceasn: property CTDL defines


def shape_name(cls: str) -> str:
    return compact(cls).rpartition(":")[2]


def inheritors(vocab: Vocabulary, policy: dict, cls: str) -> list[str]:
    """Subclasses of ``cls`` whose nearest policy ancestor is ``cls``."""
    out = []
    for sub in vocab.subclasses(cls):
        if sub in policy:
            continue
        nearest = next((s for s in vocab.superclasses(sub) if s in policy), None)
        if nearest == cls:
            out.append(sub)
    return sorted(out, key=compact)


def _family(vocab: Vocabulary, policy: dict, root: str) -> tuple[ShapeSpec, list[ShapeSpec], list[str]]:
    members = [c for c in policy if vocab.is_a(c, root)]
    shared = set.intersection(*({r.key for r in policy[c]} for c in members))
    base_rules = [r for r in policy[members[0]] if r.key in shared]
    targets = [root, *sorted(vocab.subclasses(root), key=compact)]
    base = ShapeSpec(shape_name(root), root, targets, base_rules, described_only=_is_entity(base_rules), shared_by=members)
    specific, plain = [], []
    for cls in members:
        extra = [r for r in policy[cls] if r.key not in shared]
        if extra:
            targets = [cls, *inheritors(vocab, policy, cls)]
            entity = _is_entity(policy[cls])
            specific.append(ShapeSpec(shape_name(cls), cls, targets, extra, base=base.name, described_only=entity))
        else:
            plain.append(cls)
    return base, specific, plain


def make_plan(vocab: Vocabulary, policy: dict[str, list[Rule]]) -> Plan:
    sections = {title: Section(title) for title, _ in GROUPS}
    sections[OTHER] = Section(OTHER)
    placed: set[str] = set()
    for root, title in FAMILIES.items():
        base, specific, plain = _family(vocab, policy, root)
        section = sections[title]
        section.shapes = [base, *specific]
        if plain:
            kinds = vocab.label(root).lower()
            names = ", ".join(compact(c) for c in plain)
            section.note = f"These {kinds} types have no rules beyond shape:{base.name}: {names}."
        placed.update(base.shared_by)
    group_of = {expand(c): title for title, classes in GROUPS for c in classes}
    for cls, rules in policy.items():
        if cls in placed:
            continue
        targets = [cls, *inheritors(vocab, policy, cls)]
        spec = ShapeSpec(shape_name(cls), cls, targets, rules, described_only=_is_entity(rules))
        sections[group_of.get(cls, OTHER)].shapes.append(spec)
    ordered = [sections[t] for t, _ in GROUPS] + [sections[OTHER]]
    ordered = [s for s in ordered if s.shapes]
    for s in ordered:
        s.shapes.sort(key=lambda spec: (spec.base is not None, _group_position(spec.cls)))
    covered = sorted({t for s in ordered for spec in s.shapes for t in spec.targets}, key=compact)
    entities = {t for s in ordered for spec in s.shapes if spec.described_only for t in spec.targets}
    referable = [c for c in covered if c in entities and all(in_domain(vocab, p, c) for p in REFERENCE_REQUIRES)]
    web, identifiers, texts = _format_properties(vocab, covered)
    return Plan(
        ordered, covered, referable, web, identifiers, texts,
        date_properties=date_properties(vocab),
        concept_checks=concept_checks(vocab),
        agent_properties=agent_properties(vocab),
        ctdl_properties=ctdl_properties(vocab),
    )  # fmt: skip


def _is_entity(rules: list[Rule]) -> bool:
    """Entities are the classes the policy gives a CTID: published resources, not nested profiles."""
    return any(CETERMS + "ctid" in r.properties for r in rules)


def _group_position(cls: str) -> int:
    order = [expand(c) for _, classes in GROUPS for c in classes]
    return order.index(cls) if cls in order else len(order)


def _format_properties(vocab: Vocabulary, covered: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Properties of the covered classes whose values have a checkable form.

    URL properties: range exactly ``xsd:anyURI`` (the CTDL context makes them
    ``@id``, so a well-formed document has IRIs), split into web addresses and
    identifiers. Text properties: range ``rdf:langString`` (language maps).
    """
    covered_set = set(covered)
    urls, texts = [], []
    for term in vocab.terms.values():
        if term.kind != "property" or not covered_set & set(term.domain):
            continue
        if term.range == [XSD + "anyURI"]:
            urls.append(term.iri)
        elif RDF + "langString" in term.range:
            texts.append(term.iri)
    unknown = set(IDENTIFIER_PROPERTIES) - set(urls)
    if unknown:
        raise ValueError(f"IDENTIFIER_PROPERTIES that are not URL properties of a covered class: {sorted(unknown)}")
    web = [u for u in urls if u not in IDENTIFIER_PROPERTIES]
    identifiers = [u for u in urls if u in IDENTIFIER_PROPERTIES]
    return sorted(web, key=compact), sorted(identifiers, key=compact), sorted(texts, key=compact)


def _properties(vocab: Vocabulary):
    return sorted((t for t in vocab.terms.values() if t.kind == "property"), key=lambda t: compact(t.iri))


def date_properties(vocab: Vocabulary) -> dict[str, str]:
    """Property -> its date type, for every property whose range is a date or a date and time."""
    out = {}
    for term in _properties(vocab):
        types = [t for t in DATE_TYPES if t in term.range]
        if types and len(term.range) == 1:
            out[term.iri] = types[0]
    return out


def concept_checks(vocab: Vocabulary) -> list[ConceptCheck]:
    """Properties whose target scheme (``meta:targetScheme``) has its concepts in the vocabulary.

    Schemes the vocabulary only names (industry, occupation and program
    classifications, qdata's collection methods...) have no concept list to check against.
    """
    concepts: dict[str, list[str]] = {}
    for term in vocab.terms.values():
        if term.kind == "concept" and term.scheme:
            concepts.setdefault(term.scheme, []).append(normalised(term.iri))
    out = []
    for term in _properties(vocab):
        schemes = [s for s in term.in_scheme_of if s in concepts]
        if len(schemes) != 1:
            if len(schemes) > 1:
                raise ValueError(f"{compact(term.iri)} targets several concept schemes: {schemes}")
            continue
        out.append(ConceptCheck(term.iri, schemes[0], sorted(concepts[schemes[0]]), SKOS + "Concept" in term.range))
    return out


def agent_classes(vocab: Vocabulary) -> set[str]:
    return {CETERMS + "Agent", *vocab.subclasses(CETERMS + "Agent")}


def agent_properties(vocab: Vocabulary) -> list[str]:
    """Properties whose range is only organizations and other agents (ownedBy, offeredBy, accreditedBy...)."""
    agents = agent_classes(vocab)
    return [t.iri for t in _properties(vocab) if t.range and set(t.range) <= agents]


def ctdl_properties(vocab: Vocabulary) -> list[str]:
    """The properties CTDL and CTDL-ASN define, and the legacy ceasn:ctid the registry reads as a CTID."""
    defined = {t.iri for t in _properties(vocab) if t.iri.startswith((CETERMS, CEASN))}
    return sorted(defined | set(CTIDS))
