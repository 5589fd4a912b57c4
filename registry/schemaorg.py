"""A schema.org description of a registry resource, for search engines and other crawlers.

Every resource page carries two JSON-LD blocks: the CTDL description itself and the
one built here from the same triples, in the vocabulary search engines read
(``"@context": "https://schema.org"``). Only what the page shows goes in: names of
linked organizations and competencies come from the same look-ups the page makes, and
prices, durations and labels are the same values.

=============================  ==========================================================
CTDL class                     schema.org type
=============================  ==========================================================
any ``ceterms:Credential``     ``EducationalOccupationalCredential``
``ceterms:LearningProgram``    ``EducationalOccupationalProgram``
``ceterms:Course``             ``Course``
other learning opportunities   ``Course`` (schema.org's class for a unit of instruction)
``ceterms:AssessmentProfile``  ``LearningResource`` with ``learningResourceType``
                               "Assessment" and ``educationalUse`` "assessment"
organizations                  ``EducationalOrganization`` when an ``agentType`` is a kind
                               of school or college (:data:`EDUCATIONAL_ORG_TYPES`), else
                               ``Organization``
``ceasn:CompetencyFramework``  ``DefinedTermSet`` (competencies as ``DefinedTerm``)
``skos:ConceptScheme``         ``DefinedTermSet``
anything else                  ``Thing``
=============================  ==========================================================

The property mapping is in docs/pages.md.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Callable, Iterable

import pyoxigraph

from .namespaces import CEASN, CETERMS, SCHEMA, SKOS
from .pages import (
    CODED_NOTATION,
    CTID_PROPERTIES,
    DESCRIPTION_PROPERTIES,
    NAME_PROPERTIES,
    TARGET_NODE,
    TARGET_NODE_NAME,
    ResourceSummary,
    _Graph,
    is_http,
    pick_literals,
    pick_text,
)
from .vocab import Vocabulary, vocabulary

__all__ = ["CONTEXT", "describe", "schema_type", "EDUCATIONAL_ORG_TYPES"]

CONTEXT = "https://schema.org"

CREDENTIAL = CETERMS + "Credential"
ORGANIZATION = CETERMS + "Organization"
LEARNING_PROGRAM = CETERMS + "LearningProgram"
COURSE = CETERMS + "Course"
LEARNING_OPPORTUNITY = CETERMS + "LearningOpportunityProfile"
ASSESSMENT = CETERMS + "AssessmentProfile"
FRAMEWORK = CEASN + "CompetencyFramework"
COMPETENCY = CEASN + "Competency"
CONCEPT_SCHEMES = (SKOS + "ConceptScheme", CETERMS + "ConceptScheme", CEASN + "ConceptScheme")

ORG_TYPE_BASE = "https://purl.org/ctdl/vocabs/orgType/"
#: ``ceterms:agentType`` concepts that make an organization a schema:EducationalOrganization.
EDUCATIONAL_ORG_TYPES = frozenset(ORG_TYPE_BASE + name for name in (
    "FourYear", "TwoYear", "Postsecondary", "Technical", "TrainingProvider", "HighSchool", "SecondarySchool",
    "LowerSecondarySchool", "UpperSecondarySchool", "PrimarySchool", "Magnet", "NonTraditional",
))

DELIVERY_BASE = "https://purl.org/ctdl/vocabs/deliveryType/"
#: ``deliveryType`` / ``learningDeliveryType`` concepts as schema:courseMode values.
COURSE_MODES = {
    DELIVERY_BASE + "InPerson": "Onsite",
    DELIVERY_BASE + "OnlineOnly": "Online",
    DELIVERY_BASE + "BlendedDelivery": "Blended",
    DELIVERY_BASE + "VariableSite": "Onsite",
}
#: The same concepts as schema:educationalProgramMode values.
PROGRAM_MODES = {
    DELIVERY_BASE + "InPerson": "in-person",
    DELIVERY_BASE + "OnlineOnly": "online",
    DELIVERY_BASE + "BlendedDelivery": "blended",
    DELIVERY_BASE + "VariableSite": "in-person",
}

MAX_TERMS = 1000  # competencies listed in a framework's DefinedTermSet
MAX_ITEMS = 50  # values of any one list property

C = CETERMS
RECOGNIZED_BY = (C + "accreditedBy", C + "recognizedBy", C + "approvedBy", C + "regulatedBy")
ORG_ADDRESS = (C + "address",)
ADDRESS_FIELDS = (
    ("streetAddress", C + "streetAddress"),
    ("postOfficeBoxNumber", C + "postOfficeBoxNumber"),
    ("addressLocality", C + "addressLocality"),
    ("addressRegion", C + "addressRegion"),
    ("postalCode", C + "postalCode"),
    ("addressCountry", C + "addressCountry"),
)

Lookup = Callable[[str], "ResourceSummary | None"]

# Property IRIs read by describe(), concatenated once (it runs once per resource page).
AGENT_TYPE = C + "agentType"
SAME_AS = (C + "subjectWebpage", C + "sameAs", CEASN + "source")
SOCIAL_MEDIA = C + "socialMedia"
LANGUAGES = (C + "inLanguage", CEASN + "inLanguage")
KEYWORDS = (C + "keyword", CEASN + "conceptKeyword")
FRAMEWORK_NAME = C + "frameworkName"
MEMBER_TEXT = (CEASN + "competencyText", CEASN + "competencyLabel", CEASN + "name", SKOS + "prefLabel")
MEMBER_CODE = CODED_NOTATION + (SKOS + "notation",)
MEMBER_TYPES = (COMPETENCY, SKOS + "Concept")
ESTIMATED_COST = C + "estimatedCost"
DIRECT_COST_TYPE = C + "directCostType"
PRICE = C + "price"
CURRENCY = C + "currency"
PAYMENT_PATTERN = C + "paymentPattern"
COST_DETAILS = C + "costDetails"
ESTIMATED_DURATION = C + "estimatedDuration"
EXACT_DURATION = C + "exactDuration"
RENEWAL_FREQUENCY = C + "renewalFrequency"
OCCUPATION_TYPE = C + "occupationType"
AUDIENCE_LEVEL_TYPE = C + "audienceLevelType"
DELIVERY_TYPES = (C + "deliveryType", C + "learningDeliveryType")
TARGET_CONTACT_POINT = C + "targetContactPoint"
TELEPHONE = C + "telephone"
EMAIL = C + "email"
REQUIRES = C + "requires"
CONDITION = C + "condition"
TARGET_COMPETENCY = C + "targetCompetency"
TARGET_LEARNING_OPPORTUNITY = C + "targetLearningOpportunity"
CREDIT_VALUE = C + "creditValue"
CREDIT_UNIT_TYPE = C + "creditUnitType"
VALUE = SCHEMA + "value"
OFFERED_BY = C + "offeredBy"
OWNED_BY = C + "ownedBy"
HAS_PART = C + "hasPart"
IS_PREPARATION_FOR = C + "isPreparationFor"
FINANCIAL_ASSISTANCE = C + "financialAssistance"
FINANCIAL_ASSISTANCE_TYPE = C + "financialAssistanceType"
AVAILABLE_AT = C + "availableAt"
ADDRESS = C + "address"
FOUNDING_DATE = C + "foundingDate"
IMAGE = C + "image"
NAICS = C + "naics"
PUBLISHERS = (CEASN + "publisher", C + "publisher")
CREATORS = (CEASN + "creator", C + "creator")
LICENSE = CEASN + "license"
TEACHES = (C + "teaches",)
ASSESSES = (C + "assesses",)

ORGANIZATION_KINDS = ("Organization", "EducationalOrganization")
#: Kinds that get the CreativeWork properties (inLanguage).
NOT_CREATIVE_WORKS = ("EducationalOccupationalProgram", "Organization", "EducationalOrganization", "Thing")
NO_KEYWORDS = ("EducationalOccupationalProgram", "Thing")
EMPTY_VALUES: tuple = (None, [], "", {})  # dropped from the description; never modified

_NamedNode = pyoxigraph.NamedNode
_BlankNode = pyoxigraph.BlankNode
_Literal = pyoxigraph.Literal
_NO_NODE: dict = {}  # the properties of a node the graph does not describe; never modified


def _none(_arg) -> None:
    return None


def _empty(_arg) -> str:
    return ""


# Reading one node's properties (``_Graph.props[key]``). pyoxigraph's term classes cannot be
# subclassed, so ``type(x) is`` is isinstance().

def _text(node: dict, props: Iterable[str]) -> str:
    """The text of :func:`registry.pages.first_text` (the first of ``props`` with one)."""
    for prop in props:
        values = node.get(prop)
        if values:
            if len(values) == 1:  # (speed) the usual single value: pick_text picks any literal
                value = values[0]
                if type(value) is _Literal:
                    text = value.value
                    if text:
                        return text
                continue
            text = pick_text(values)[0]
            if text:
                return text
    return ""


def _text1(node: dict, prop: str) -> str:
    """:func:`_text` of one property."""
    values = node.get(prop)
    if not values:
        return ""
    if len(values) == 1:  # (speed) as in _text
        value = values[0]
        return value.value if type(value) is _Literal else ""
    return pick_text(values)[0]


def _texts(node: dict, prop: str) -> list[str]:
    """The texts of :func:`registry.pages.pick_literals` (the best language), at most MAX_ITEMS."""
    values = node.get(prop)
    if not values:
        return []
    first = values[0]
    if type(first) is not _Literal:
        return [lit.value for lit in pick_literals(values)][:MAX_ITEMS]
    if len(values) == 1:  # (speed) pick_literals keeps a single literal, whatever its language
        return [first.value]
    # (speed) literals all in one language (or none): pick_literals keeps them all
    lang = first.language
    texts = []
    for value in values:
        if type(value) is not _Literal or value.language != lang:
            return [lit.value for lit in pick_literals(values)][:MAX_ITEMS]
        texts.append(value.value)
    return texts[:MAX_ITEMS]


def _http_values(node: dict, prop: str) -> list[str]:
    """The values of ``prop`` that are http(s) addresses."""
    return [value for o in node.get(prop, ()) if is_http(value := o.value)]


def _first_http(node: dict, prop: str) -> str:
    for o in node.get(prop, ()):
        value = o.value
        if is_http(value):
            return value
    return ""


def _target(node: dict) -> str:
    """The first IRI of the node's targetNode (an alignment's concept), else ""."""
    for o in node.get(TARGET_NODE, ()):
        if type(o) is _NamedNode:
            return o.value
    return ""


def _first_value(node: dict, prop: str) -> str:
    """The first value of ``prop`` (an IRI, a blank node label or a text), else ""."""
    values = node.get(prop)
    return values[0].value if values else ""


def schema_type(type_iri: str, agent_types: Iterable[str] = (), vocab: Vocabulary | None = None) -> str:
    """The schema.org type for a CTDL class (``agent_types``: an organization's agentType concept IRIs)."""
    vocab = vocab or vocabulary()
    if not type_iri:
        return "Thing"
    lineage = {type_iri, *vocab.superclasses(type_iri)}
    if CREDENTIAL in lineage:
        return "EducationalOccupationalCredential"
    if LEARNING_PROGRAM in lineage:
        return "EducationalOccupationalProgram"
    if COURSE in lineage or LEARNING_OPPORTUNITY in lineage:
        return "Course"
    if ASSESSMENT in lineage:
        return "LearningResource"
    if ORGANIZATION in lineage:
        return "EducationalOrganization" if any(t in EDUCATIONAL_ORG_TYPES for t in agent_types) else "Organization"
    if FRAMEWORK in lineage or type_iri in CONCEPT_SCHEMES:
        return "DefinedTermSet"
    if COMPETENCY in lineage or type_iri == SKOS + "Concept":
        return "DefinedTerm"
    return "Thing"


def number(text: str) -> int | float | str:
    """A JSON number for a decimal literal (``"4500"`` -> 4500, ``"12000.50"`` -> 12000.5); else the text."""
    if len(text) < 19 and text.isdigit() and text.isascii():  # (speed) a whole number within 64 bits
        return int(text)
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return text
    if not value.is_finite():
        return text
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def describe(source, main_iri: str, *, ctid: str = "", url: str = "", type_iri: str = "",
             lookup: Lookup | None = None, resource_url: Callable[[ResourceSummary], str] | None = None,
             member_url: Callable[[str], str] | None = None, vocab: Vocabulary | None = None) -> dict:
    """The schema.org JSON-LD object (a dict) for the resource ``main_iri`` described by ``source``.

    ``source``: the resource's triples (or the page's indexed graph). ``url``: the page.
    ``lookup(iri)`` finds linked registry resources; ``resource_url(summary)`` is their page;
    ``member_url(key)`` the address of a member of this graph (a competency's anchor).
    """
    graph = source if isinstance(source, _Graph) else _Graph(source)
    return _Describer(graph, main_iri, ctid=ctid, url=url, type_iri=type_iri, lookup=lookup,
                      resource_url=resource_url, member_url=member_url, vocab=vocab or vocabulary()).run()


class _Describer:
    def __init__(self, graph: _Graph, main: str, *, ctid: str, url: str, type_iri: str, lookup: Lookup | None,
                 resource_url, member_url, vocab: Vocabulary):
        self.g = graph
        self.props = graph.props  # key -> property -> objects
        self.main = main
        self.node = graph.props.get(main, _NO_NODE)  # the main resource's properties
        self.ctid = ctid
        self.url = url
        self.vocab = vocab
        self._lookup = lookup or _none
        self._resource_url = resource_url or _empty
        self._member_url = member_url or _empty
        self.type_iri = type_iri or self._type(main)

    # -- reading the graph -------------------------------------------------

    def _type(self, key: str) -> str:
        types = self.g.types(key)
        known = [t for t in types if (term := self.vocab.get(t)) is not None and term.kind == "class"]
        return (known or types or [""])[0]

    def nodes(self, node: dict, prop: str) -> list[str]:
        """Objects of ``prop`` of ``node`` (a node's properties) described in this graph (blank or
        named), as keys."""
        out = []
        props = self.props
        for o in node.get(prop, ()):
            kind = type(o)
            if kind is _NamedNode:
                key = o.value
            elif kind is _BlankNode:
                key = "_:" + o.value
            else:
                continue
            if key in props:
                out.append(key)
        return out

    def _concept(self, obj) -> tuple[str, str] | None:
        """(concept IRI or "", label) of a value of a property whose values are concepts or
        alignments to them; None for a value without either."""
        kind = type(obj)
        if kind is _NamedNode:
            iri = obj.value
            if iri not in self.props:
                return iri, self.vocab.label(iri)
            node = self.props[iri]
        elif kind is _BlankNode:
            node = self.props.get("_:" + obj.value, _NO_NODE)
        elif kind is _Literal:
            return "", obj.value
        else:
            return None
        target = _target(node)
        name = _text1(node, TARGET_NODE_NAME)
        if not name and target and self.vocab.get(target) is not None:
            name = self.vocab.label(target)
        if name or target:
            return target, name or target
        return None

    def concept_labels(self, node: dict, prop: str) -> list[str]:
        """The labels of the concepts (or alignments to them) of ``prop`` of ``node``."""
        out = []
        for obj in node.get(prop, ()):
            concept = self._concept(obj)
            if concept is not None:
                out.append(concept[1])
        return out

    def concept_iris(self, node: dict, prop: str) -> list[str]:
        """The IRIs of the concepts of ``prop`` of ``node`` (of those with one; no labels needed)."""
        out = []
        props = self.props
        for obj in node.get(prop, ()):
            kind = type(obj)
            if kind is _NamedNode:
                iri = obj.value
                if iri not in props:
                    if iri:
                        out.append(iri)
                    continue
                target_node = props[iri]
            elif kind is _BlankNode:
                target_node = props.get("_:" + obj.value, _NO_NODE)
            else:
                continue
            target = _target(target_node)
            if target:
                out.append(target)
        return out

    # -- pieces ------------------------------------------------------------

    def reference(self, iri: str, schema: str = "Organization") -> dict | None:
        """A linked resource: its registry page and name when it is published here."""
        summary = self._lookup(iri)
        if summary is not None:
            out = {"@type": schema, "name": summary.name or summary.ctid}
            href = self._resource_url(summary)
            if href:
                out["url"] = href
            if is_http(iri):
                out["@id"] = iri
            return out
        if is_http(iri):
            return {"@type": schema, "@id": iri, "url": iri}
        return None

    def references(self, props: Iterable[str], schema: str = "Organization") -> list[dict]:
        out, seen = [], set()
        node, described = self.node, self.props
        for prop in props:
            for o in node.get(prop, ()):
                if type(o) is not _NamedNode:
                    continue
                iri = o.value
                if iri in seen or iri in described:
                    continue
                seen.add(iri)
                ref = self.reference(iri, schema)
                if ref is not None:
                    out.append(ref)
        return out[:MAX_ITEMS]

    def term(self, obj) -> dict | str | None:
        """A competency (registry link or alignment) as a schema:DefinedTerm."""
        kind = type(obj)
        if kind is _NamedNode:
            iri = obj.value
            node = self.props.get(iri)
            if node is not None:
                if TARGET_NODE in node:
                    return self.alignment_term(iri)
                return self.member_term(iri)
            summary = self._lookup(iri)
            if summary is not None:
                out = {"@type": "DefinedTerm", "name": summary.name or summary.ctid}
                href = self._resource_url(summary)
                if href:
                    out["url"] = href
                if summary.part_of:
                    out["inDefinedTermSet"] = self._resource_url(
                        ResourceSummary(summary.part_of, "", "", ""))
                return out
            if is_http(iri):
                return {"@type": "DefinedTerm", "url": iri}
            return None
        if kind is _BlankNode:
            return self.alignment_term("_:" + obj.value)
        if kind is _Literal:
            return obj.value
        return None

    def alignment_term(self, key: str) -> dict | None:
        node = self.props.get(key, _NO_NODE)
        name = _text1(node, TARGET_NODE_NAME)
        code = _text(node, CODED_NOTATION)
        target = _first_value(node, TARGET_NODE)
        if not name and target:
            summary = self._lookup(target)
            name = summary.name if summary is not None else ""
        if not (name or code):
            return None
        out: dict = {"@type": "DefinedTerm"}
        if name:
            out["name"] = name
        if code:
            out["termCode"] = code
        if is_http(target):
            out["url"] = target
        framework = _text1(node, FRAMEWORK_NAME)
        if framework:
            out["inDefinedTermSet"] = {"@type": "DefinedTermSet", "name": framework}
        return out

    def member_term(self, key: str) -> dict:
        node = self.props.get(key, _NO_NODE)
        out: dict = {"@type": "DefinedTerm", "name": _text(node, MEMBER_TEXT) or key}
        code = _text(node, MEMBER_CODE)
        if code:
            out["termCode"] = code
        href = self._member_url(key)
        if href:
            out["url"] = href
        return out

    def terms(self, props: Iterable[str]) -> list:
        """The competencies of the main resource's ``props``."""
        out = []
        node = self.node
        for prop in props:
            for obj in node.get(prop, ()):
                term = self.term(obj)
                if term is not None and term not in out:
                    out.append(term)
        return out[:MAX_ITEMS]

    def offers(self) -> list[dict]:
        out = []
        props = self.props
        for cost in self.nodes(self.node, ESTIMATED_COST):
            node = props[cost]
            offer: dict = {"@type": "Offer"}
            kinds = self.concept_labels(node, DIRECT_COST_TYPE)
            name = _text(node, NAME_PROPERTIES) or " & ".join(kinds)
            if name:
                offer["name"] = name
            if kinds:
                offer["category"] = kinds[0] if len(kinds) == 1 else kinds
            price = _text1(node, PRICE)
            if price:
                offer["price"] = number(price)
            currency = _text1(node, CURRENCY)
            if currency:
                offer["priceCurrency"] = currency
            description = _text(node, DESCRIPTION_PROPERTIES)
            pattern = _text1(node, PAYMENT_PATTERN)
            if pattern:
                description = f"{description} ({pattern})" if description else pattern
            if description:
                offer["description"] = description
            details = _first_http(node, COST_DETAILS)
            if details:
                offer["url"] = details
            if len(offer) > 1:
                out.append(offer)
        return out[:MAX_ITEMS]

    def duration(self, prop: str = ESTIMATED_DURATION) -> str:
        """The ISO 8601 exact duration of the first duration profile (schema.org wants one value)."""
        props = self.props
        for key in self.nodes(self.node, prop):
            exact = _text1(props[key], EXACT_DURATION)
            if exact:
                return exact
        return ""

    def plain_duration(self, prop: str) -> str:
        for obj in self.node.get(prop, ()):
            if type(obj) is _Literal:
                value = obj.value
                if value.startswith("P"):
                    return value
        return self.duration(prop)

    def occupations(self) -> list[dict]:
        out = []
        props = self.props
        for key in self.nodes(self.node, OCCUPATION_TYPE):
            node = props[key]
            name = _text1(node, TARGET_NODE_NAME)
            code = _text(node, CODED_NOTATION)
            if not (name or code):
                continue
            item: dict = {"@type": "CategoryCode"}
            if code:
                item["codeValue"] = code
            if name:
                item["name"] = name
            framework = _text1(node, FRAMEWORK_NAME)
            if framework:
                item["inCodeSet"] = {"@type": "CategoryCodeSet", "name": framework}
            target = _first_value(node, TARGET_NODE)
            if is_http(target):
                item["url"] = target
            out.append(item)
        return out[:MAX_ITEMS]

    def levels(self) -> list[str]:
        return self.concept_labels(self.node, AUDIENCE_LEVEL_TYPE)[:MAX_ITEMS]

    def delivery(self) -> list[str]:
        node = self.node
        return [iri for prop in DELIVERY_TYPES for iri in self.concept_iris(node, prop)]

    def address(self, key: str) -> dict | None:
        node = self.props.get(key, _NO_NODE)
        out: dict = {"@type": "PostalAddress"}
        for field, prop in ADDRESS_FIELDS:
            text = _text1(node, prop)
            if text:
                out[field] = text
        name = _text(node, NAME_PROPERTIES)
        if name:
            out["name"] = name
        return out if len(out) > 1 else None

    def place(self, key: str) -> dict | None:
        address = self.address(key)
        if address is None:
            return None
        out = {"@type": "Place", "address": address}
        if "name" in address:
            out["name"] = address["name"]
        return out

    def contact(self, places: list[str]) -> tuple[list[str], list[str]]:
        phones, emails = [], []
        props = self.props
        for place in places:
            for point in self.nodes(props[place], TARGET_CONTACT_POINT):
                node = props[point]
                phones += [p for p in _texts(node, TELEPHONE) if p not in phones]
                emails += [e for e in _texts(node, EMAIL) if e not in emails]
        return phones, emails

    def conditions(self, keys: list[str]) -> list[str]:
        """Texts of the condition profiles ``keys``: name, description and listed conditions."""
        out = []
        props = self.props
        for key in keys:
            node = props[key]
            parts = [_text(node, DESCRIPTION_PROPERTIES) or _text(node, NAME_PROPERTIES)]
            parts += _texts(node, CONDITION)
            text = " ".join(p.rstrip(".") + "." for p in parts if p)
            if text:
                out.append(text)
        return out[:MAX_ITEMS]

    def condition_targets(self, keys: list[str], target_prop: str) -> list:
        """The values of ``target_prop`` of the condition profiles ``keys``."""
        props = self.props
        return [obj for key in keys for obj in props[key].get(target_prop, ())]

    def credits(self) -> dict | int | None:
        props = self.props
        for key in self.nodes(self.node, CREDIT_VALUE):
            node = props[key]
            value = _text1(node, VALUE)
            if not value:
                continue
            units = self.concept_labels(node, CREDIT_UNIT_TYPE)
            if not units:
                amount = number(value)
                return amount if isinstance(amount, int) else None
            return {"@type": "StructuredValue", "value": number(value), "unitText": units[0]}
        return None

    # -- the whole description ----------------------------------------------

    def run(self) -> dict:
        main, node = self.main, self.node
        kind = schema_type(self.type_iri, self.concept_iris(node, AGENT_TYPE), self.vocab)
        out: dict = {"@context": CONTEXT, "@type": kind}
        if is_http(main):
            out["@id"] = main
        name = _text(node, NAME_PROPERTIES)
        if name:
            out["name"] = name
        description = _text(node, DESCRIPTION_PROPERTIES)
        if description:
            out["description"] = description
        if self.url:
            out["url"] = self.url
        ctid = self.ctid or _text(node, CTID_PROPERTIES)
        if ctid:
            out["identifier"] = {"@type": "PropertyValue", "propertyID": "CTID", "value": ctid}
        same = [value for prop in SAME_AS for value in _http_values(node, prop)]
        if kind in ORGANIZATION_KINDS:
            same += _http_values(node, SOCIAL_MEDIA)
        if same:
            out["sameAs"] = list(dict.fromkeys(same))[:MAX_ITEMS]

        describe_kind = _KINDS.get(kind)
        if describe_kind is not None:
            describe_kind(self, out)
        if kind not in NOT_CREATIVE_WORKS:
            # CreativeWork properties (programs and organizations are not creative works)
            languages = _texts(node, LANGUAGES[0]) + _texts(node, LANGUAGES[1])
            if languages:
                out["inLanguage"] = list(dict.fromkeys(languages))
        keywords = _texts(node, KEYWORDS[0]) + _texts(node, KEYWORDS[1])
        if keywords and kind not in NO_KEYWORDS:
            out["keywords"] = list(dict.fromkeys(keywords))
        # (speed) a true value is never one of EMPTY_VALUES: compare only the others
        return {k: v for k, v in out.items() if v or v not in EMPTY_VALUES}

    def providers(self) -> list[dict]:
        return self.references((OFFERED_BY,)) or self.references((OWNED_BY,))

    def credential(self, out: dict) -> None:
        label = self.vocab.label(self.type_iri) if self.type_iri else "Credential"
        out["credentialCategory"] = {"@type": "DefinedTerm", "name": label,
                                     "termCode": self.type_iri.rsplit("/", 1)[-1],
                                     "inDefinedTermSet": CETERMS}
        out["educationalLevel"] = self.levels()
        required = self.condition_targets(self.nodes(self.node, REQUIRES), TARGET_COMPETENCY)
        out["competencyRequired"] = [t for t in map(self.term, required) if t is not None][:MAX_ITEMS]
        out["recognizedBy"] = self.references(RECOGNIZED_BY)
        out["offers"] = self.offers()
        out["provider"] = self.providers()
        out["timeRequired"] = self.duration()
        out["validFor"] = self.plain_duration(RENEWAL_FREQUENCY)
        out["occupationalCategory"] = self.occupations()

    def program(self, out: dict) -> None:
        out["provider"] = self.providers()
        out["timeToComplete"] = self.duration()
        out["offers"] = self.offers()
        out["occupationalCategory"] = self.occupations()
        modes = [PROGRAM_MODES[iri] for iri in self.delivery() if iri in PROGRAM_MODES]
        out["educationalProgramMode"] = list(dict.fromkeys(modes))
        out["programPrerequisites"] = self.conditions(self.nodes(self.node, REQUIRES))
        out["numberOfCredits"] = self.credits()
        out["educationalCredentialAwarded"] = self.awarded()
        out["hasCourse"] = self.references((HAS_PART,), "Course")
        props = self.props
        out["financialAidEligible"] = [label for key in self.nodes(self.node, FINANCIAL_ASSISTANCE)
                                       for label in self.concept_labels(props[key], FINANCIAL_ASSISTANCE_TYPE)]

    def awarded(self) -> list[dict]:
        out = []
        for o in self.node.get(IS_PREPARATION_FOR, ()):
            if type(o) is not _NamedNode:
                continue
            iri = o.value
            summary = self._lookup(iri)
            if summary is not None and summary.type and self.vocab.is_a(summary.type, CREDENTIAL):
                ref = self.reference(iri, "EducationalOccupationalCredential")
                if ref is not None:
                    out.append(ref)
        return out

    def course(self, out: dict) -> None:
        node = self.node
        out["provider"] = self.providers()
        out["courseCode"] = _text(node, CODED_NOTATION)
        instance: dict = {"@type": "CourseInstance"}
        modes = list(dict.fromkeys(COURSE_MODES[iri] for iri in self.delivery() if iri in COURSE_MODES))
        if modes:
            instance["courseMode"] = modes[0] if len(modes) == 1 else modes
        places = [p for p in map(self.place, self.nodes(node, AVAILABLE_AT)) if p]
        if places:
            instance["location"] = places[0] if len(places) == 1 else places
        if len(instance) > 1:
            out["hasCourseInstance"] = [instance]
        out["offers"] = self.offers()
        out["timeRequired"] = self.duration()
        requires = self.nodes(node, REQUIRES)
        prerequisites: list = self.conditions(requires)
        prerequisites += [ref for ref in (self.reference(o.value, "Course")
                                          for o in self.condition_targets(requires, TARGET_LEARNING_OPPORTUNITY)
                                          if type(o) is _NamedNode) if ref is not None]
        out["coursePrerequisites"] = prerequisites[:MAX_ITEMS]
        out["numberOfCredits"] = self.credits()
        out["educationalLevel"] = self.levels()
        out["teaches"] = self.terms(TEACHES)
        out["educationalCredentialAwarded"] = self.awarded()

    def assessment(self, out: dict) -> None:
        out["learningResourceType"] = "Assessment"
        out["educationalUse"] = "assessment"
        out["assesses"] = self.terms(ASSESSES)
        out["provider"] = self.providers()
        out["offers"] = self.offers()
        out["timeRequired"] = self.duration()
        out["educationalLevel"] = self.levels()

    def organization(self, out: dict) -> None:
        node = self.node
        places = self.nodes(node, ADDRESS)
        out["address"] = [a for a in map(self.address, places) if a][:MAX_ITEMS]
        phones, emails = self.contact(places)
        emails = list(dict.fromkeys(_texts(node, EMAIL) + emails))
        out["email"] = emails[0] if len(emails) == 1 else emails
        out["telephone"] = phones[0] if len(phones) == 1 else phones
        out["foundingDate"] = _text1(node, FOUNDING_DATE)
        out["logo"] = _first_http(node, IMAGE)
        naics = _texts(node, NAICS)
        out["naics"] = naics[0] if len(naics) == 1 else naics

    def term_set(self, out: dict) -> None:
        out["publisher"] = self.references(PUBLISHERS)
        out["creator"] = self.references(CREATORS)
        out["license"] = _first_http(self.node, LICENSE)
        main, types = self.main, self.g.types
        members = []
        for key in self.props:
            if key != main and any(t in MEMBER_TYPES for t in types(key)):
                members.append(key)
                if len(members) == MAX_TERMS:
                    break
        out["hasDefinedTerm"] = [self.member_term(key) for key in members]


#: The properties of each kind, by the method of _Describer that adds them.
_KINDS: dict[str, Callable[[_Describer, dict], None]] = {
    "EducationalOccupationalCredential": _Describer.credential,
    "EducationalOccupationalProgram": _Describer.program,
    "Course": _Describer.course,
    "LearningResource": _Describer.assessment,
    "Organization": _Describer.organization,
    "EducationalOrganization": _Describer.organization,
    "DefinedTermSet": _Describer.term_set,
}
