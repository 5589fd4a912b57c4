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
    _key,
    is_http,
    pick_literals,
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
        self.main = main
        self.ctid = ctid
        self.url = url
        self.vocab = vocab
        self._lookup = lookup or (lambda iri: None)
        self._resource_url = resource_url or (lambda s: "")
        self._member_url = member_url or (lambda key: "")
        self.type_iri = type_iri or self._type(main)

    # -- reading the graph -------------------------------------------------

    def _type(self, key: str) -> str:
        types = self.g.types(key)
        known = [t for t in types if (term := self.vocab.get(t)) is not None and term.kind == "class"]
        return (known or types or [""])[0]

    def text(self, key: str, props: Iterable[str]) -> str:
        return self.g.first_text(key, props)[0]

    def texts(self, key: str, prop: str) -> list[str]:
        return [lit.value for lit in pick_literals(self.g.get(key, prop))][:MAX_ITEMS]

    def nodes(self, key: str, prop: str) -> list[str]:
        """Objects of ``prop`` described in this graph (blank or named), as keys."""
        return [_key(o) for o in self.g.get(key, prop)
                if isinstance(o, (pyoxigraph.BlankNode, pyoxigraph.NamedNode)) and _key(o) in self.g]

    def iris(self, key: str, prop: str) -> list[str]:
        return [o.value for o in self.g.get(key, prop) if isinstance(o, pyoxigraph.NamedNode)]

    def concepts(self, key: str, prop: str) -> list[tuple[str, str]]:
        """(concept IRI or "", label) of a property whose values are concepts or alignments to them."""
        out = []
        for obj in self.g.get(key, prop):
            if isinstance(obj, pyoxigraph.NamedNode) and obj.value not in self.g:
                out.append((obj.value, self.vocab.label(obj.value)))
            elif isinstance(obj, (pyoxigraph.BlankNode, pyoxigraph.NamedNode)):
                node = _key(obj)
                target = next((t.value for t in self.g.get(node, TARGET_NODE) if isinstance(t, pyoxigraph.NamedNode)),
                              "")
                name = self.text(node, (TARGET_NODE_NAME,))
                if not name and target and self.vocab.get(target) is not None:
                    name = self.vocab.label(target)
                if name or target:
                    out.append((target, name or target))
            elif isinstance(obj, pyoxigraph.Literal):
                out.append(("", obj.value))
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
        for prop in props:
            for iri in self.iris(self.main, prop):
                if iri in seen or iri in self.g:
                    continue
                seen.add(iri)
                ref = self.reference(iri, schema)
                if ref is not None:
                    out.append(ref)
        return out[:MAX_ITEMS]

    def term(self, obj) -> dict | str | None:
        """A competency (registry link or alignment) as a schema:DefinedTerm."""
        if isinstance(obj, pyoxigraph.NamedNode):
            iri = obj.value
            if iri in self.g:
                if TARGET_NODE in self.g.props.get(iri, {}):
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
        if isinstance(obj, pyoxigraph.BlankNode):
            return self.alignment_term(_key(obj))
        if isinstance(obj, pyoxigraph.Literal):
            return obj.value
        return None

    def alignment_term(self, key: str) -> dict | None:
        name = self.text(key, (TARGET_NODE_NAME,))
        code = self.text(key, CODED_NOTATION)
        target = next((o.value for o in self.g.get(key, TARGET_NODE)), "")
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
        framework = self.text(key, (CETERMS + "frameworkName",))
        if framework:
            out["inDefinedTermSet"] = {"@type": "DefinedTermSet", "name": framework}
        return out

    def member_term(self, key: str) -> dict:
        text = self.text(key, (CEASN + "competencyText", CEASN + "competencyLabel", CEASN + "name",
                               SKOS + "prefLabel"))
        out: dict = {"@type": "DefinedTerm", "name": text or key}
        code = self.text(key, CODED_NOTATION + (SKOS + "notation",))
        if code:
            out["termCode"] = code
        href = self._member_url(key)
        if href:
            out["url"] = href
        return out

    def terms(self, key: str, props: Iterable[str]) -> list:
        out = []
        for prop in props:
            for obj in self.g.get(key, prop):
                term = self.term(obj)
                if term is not None and term not in out:
                    out.append(term)
        return out[:MAX_ITEMS]

    def offers(self) -> list[dict]:
        out = []
        for cost in self.nodes(self.main, C + "estimatedCost"):
            offer: dict = {"@type": "Offer"}
            kinds = [label for _, label in self.concepts(cost, C + "directCostType")]
            name = self.text(cost, NAME_PROPERTIES) or " & ".join(kinds)
            if name:
                offer["name"] = name
            if kinds:
                offer["category"] = kinds[0] if len(kinds) == 1 else kinds
            price = self.text(cost, (C + "price",))
            if price:
                offer["price"] = number(price)
            currency = self.text(cost, (C + "currency",))
            if currency:
                offer["priceCurrency"] = currency
            description = self.text(cost, DESCRIPTION_PROPERTIES)
            pattern = self.text(cost, (C + "paymentPattern",))
            if pattern:
                description = f"{description} ({pattern})" if description else pattern
            if description:
                offer["description"] = description
            details = next((o.value for o in self.g.get(cost, C + "costDetails") if is_http(o.value)), "")
            if details:
                offer["url"] = details
            if len(offer) > 1:
                out.append(offer)
        return out[:MAX_ITEMS]

    def duration(self, prop: str = C + "estimatedDuration") -> str:
        """The ISO 8601 exact duration of the first duration profile (schema.org wants one value)."""
        for node in self.nodes(self.main, prop):
            exact = self.text(node, (C + "exactDuration",))
            if exact:
                return exact
        return ""

    def plain_duration(self, prop: str) -> str:
        for obj in self.g.get(self.main, prop):
            if isinstance(obj, pyoxigraph.Literal) and obj.value.startswith("P"):
                return obj.value
        return self.duration(prop)

    def occupations(self) -> list[dict]:
        out = []
        for node in self.nodes(self.main, C + "occupationType"):
            name = self.text(node, (TARGET_NODE_NAME,))
            code = self.text(node, CODED_NOTATION)
            if not (name or code):
                continue
            item: dict = {"@type": "CategoryCode"}
            if code:
                item["codeValue"] = code
            if name:
                item["name"] = name
            framework = self.text(node, (C + "frameworkName",))
            if framework:
                item["inCodeSet"] = {"@type": "CategoryCodeSet", "name": framework}
            target = next((o.value for o in self.g.get(node, TARGET_NODE)), "")
            if is_http(target):
                item["url"] = target
            out.append(item)
        return out[:MAX_ITEMS]

    def levels(self) -> list[str]:
        return [label for _, label in self.concepts(self.main, C + "audienceLevelType")][:MAX_ITEMS]

    def delivery(self) -> list[str]:
        return [iri for prop in (C + "deliveryType", C + "learningDeliveryType")
                for iri, _ in self.concepts(self.main, prop) if iri]

    def address(self, key: str) -> dict | None:
        out: dict = {"@type": "PostalAddress"}
        for field, prop in ADDRESS_FIELDS:
            text = self.text(key, (prop,))
            if text:
                out[field] = text
        name = self.text(key, NAME_PROPERTIES)
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
        for place in places:
            for point in self.nodes(place, C + "targetContactPoint"):
                phones += [p for p in self.texts(point, C + "telephone") if p not in phones]
                emails += [e for e in self.texts(point, C + "email") if e not in emails]
        return phones, emails

    def conditions(self, prop: str = C + "requires") -> list[str]:
        """Texts of the condition profiles under ``prop``: name, description and listed conditions."""
        out = []
        for node in self.nodes(self.main, prop):
            parts = [self.text(node, DESCRIPTION_PROPERTIES) or self.text(node, NAME_PROPERTIES)]
            parts += self.texts(node, C + "condition")
            text = " ".join(p.rstrip(".") + "." for p in parts if p)
            if text:
                out.append(text)
        return out[:MAX_ITEMS]

    def condition_targets(self, target_prop: str, prop: str = C + "requires") -> list:
        return [obj for node in self.nodes(self.main, prop) for obj in self.g.get(node, target_prop)]

    def credits(self) -> dict | int | None:
        for node in self.nodes(self.main, C + "creditValue"):
            value = self.text(node, (SCHEMA + "value",))
            if not value:
                continue
            units = [label for _, label in self.concepts(node, C + "creditUnitType")]
            if not units:
                return number(value) if isinstance(number(value), int) else None
            return {"@type": "StructuredValue", "value": number(value), "unitText": units[0]}
        return None

    # -- the whole description ----------------------------------------------

    def run(self) -> dict:
        main, g = self.main, self.g
        agent_types = [iri for iri, _ in self.concepts(main, C + "agentType") if iri]
        kind = schema_type(self.type_iri, agent_types, self.vocab)
        out: dict = {"@context": CONTEXT, "@type": kind}
        if is_http(main):
            out["@id"] = main
        name = self.text(main, NAME_PROPERTIES)
        if name:
            out["name"] = name
        description = self.text(main, DESCRIPTION_PROPERTIES)
        if description:
            out["description"] = description
        if self.url:
            out["url"] = self.url
        ctid = self.ctid or self.text(main, CTID_PROPERTIES)
        if ctid:
            out["identifier"] = {"@type": "PropertyValue", "propertyID": "CTID", "value": ctid}
        same = [o.value for prop in (C + "subjectWebpage", C + "sameAs", CEASN + "source")
                for o in g.get(main, prop) if is_http(o.value)]
        if kind in ("Organization", "EducationalOrganization"):
            same += [o.value for o in g.get(main, C + "socialMedia") if is_http(o.value)]
        if same:
            out["sameAs"] = list(dict.fromkeys(same))[:MAX_ITEMS]

        describe_kind = {
            "EducationalOccupationalCredential": self.credential,
            "EducationalOccupationalProgram": self.program,
            "Course": self.course,
            "LearningResource": self.assessment,
            "Organization": self.organization,
            "EducationalOrganization": self.organization,
            "DefinedTermSet": self.term_set,
        }.get(kind)
        if describe_kind is not None:
            describe_kind(out)
        if kind not in ("EducationalOccupationalProgram", "Organization", "EducationalOrganization", "Thing"):
            # CreativeWork properties (programs and organizations are not creative works)
            languages = self.texts(main, C + "inLanguage") + self.texts(main, CEASN + "inLanguage")
            if languages:
                out["inLanguage"] = list(dict.fromkeys(languages))
        keywords = self.texts(main, C + "keyword") + self.texts(main, CEASN + "conceptKeyword")
        if keywords and kind not in ("EducationalOccupationalProgram", "Thing"):
            out["keywords"] = list(dict.fromkeys(keywords))
        return {k: v for k, v in out.items() if v not in (None, [], "", {})}

    def providers(self) -> list[dict]:
        return self.references((C + "offeredBy",)) or self.references((C + "ownedBy",))

    def credential(self, out: dict) -> None:
        label = self.vocab.label(self.type_iri) if self.type_iri else "Credential"
        out["credentialCategory"] = {"@type": "DefinedTerm", "name": label,
                                     "termCode": self.type_iri.rsplit("/", 1)[-1],
                                     "inDefinedTermSet": CETERMS}
        out["educationalLevel"] = self.levels()
        out["competencyRequired"] = [t for t in (self.term(o) for o in self.condition_targets(C + "targetCompetency"))
                                     if t is not None][:MAX_ITEMS]
        out["recognizedBy"] = self.references(RECOGNIZED_BY)
        out["offers"] = self.offers()
        out["provider"] = self.providers()
        out["timeRequired"] = self.duration()
        out["validFor"] = self.plain_duration(C + "renewalFrequency")
        out["occupationalCategory"] = self.occupations()

    def program(self, out: dict) -> None:
        out["provider"] = self.providers()
        out["timeToComplete"] = self.duration()
        out["offers"] = self.offers()
        out["occupationalCategory"] = self.occupations()
        modes = [PROGRAM_MODES[iri] for iri in self.delivery() if iri in PROGRAM_MODES]
        out["educationalProgramMode"] = list(dict.fromkeys(modes))
        out["programPrerequisites"] = self.conditions()
        out["numberOfCredits"] = self.credits()
        out["educationalCredentialAwarded"] = self.awarded()
        out["hasCourse"] = self.references((C + "hasPart",), "Course")
        out["financialAidEligible"] = [label for node in self.nodes(self.main, C + "financialAssistance")
                                       for _, label in self.concepts(node, C + "financialAssistanceType")]

    def awarded(self) -> list[dict]:
        out = []
        for iri in self.iris(self.main, C + "isPreparationFor"):
            summary = self._lookup(iri)
            if summary is not None and summary.type and self.vocab.is_a(summary.type, CREDENTIAL):
                ref = self.reference(iri, "EducationalOccupationalCredential")
                if ref is not None:
                    out.append(ref)
        return out

    def course(self, out: dict) -> None:
        out["provider"] = self.providers()
        out["courseCode"] = self.text(self.main, CODED_NOTATION)
        instance: dict = {"@type": "CourseInstance"}
        modes = list(dict.fromkeys(COURSE_MODES[iri] for iri in self.delivery() if iri in COURSE_MODES))
        if modes:
            instance["courseMode"] = modes[0] if len(modes) == 1 else modes
        places = [p for p in (self.place(k) for k in self.nodes(self.main, C + "availableAt")) if p]
        if places:
            instance["location"] = places[0] if len(places) == 1 else places
        if len(instance) > 1:
            out["hasCourseInstance"] = [instance]
        out["offers"] = self.offers()
        out["timeRequired"] = self.duration()
        prerequisites: list = self.conditions()
        prerequisites += [ref for ref in (self.reference(o.value, "Course")
                                          for o in self.condition_targets(C + "targetLearningOpportunity")
                                          if isinstance(o, pyoxigraph.NamedNode)) if ref is not None]
        out["coursePrerequisites"] = prerequisites[:MAX_ITEMS]
        out["numberOfCredits"] = self.credits()
        out["educationalLevel"] = self.levels()
        out["teaches"] = self.terms(self.main, (C + "teaches",))
        out["educationalCredentialAwarded"] = self.awarded()

    def assessment(self, out: dict) -> None:
        out["learningResourceType"] = "Assessment"
        out["educationalUse"] = "assessment"
        out["assesses"] = self.terms(self.main, (C + "assesses",))
        out["provider"] = self.providers()
        out["offers"] = self.offers()
        out["timeRequired"] = self.duration()
        out["educationalLevel"] = self.levels()

    def organization(self, out: dict) -> None:
        places = self.nodes(self.main, C + "address")
        out["address"] = [a for a in (self.address(p) for p in places) if a][:MAX_ITEMS]
        phones, emails = self.contact(places)
        emails = list(dict.fromkeys(self.texts(self.main, C + "email") + emails))
        out["email"] = emails[0] if len(emails) == 1 else emails
        out["telephone"] = phones[0] if len(phones) == 1 else phones
        out["foundingDate"] = self.text(self.main, (C + "foundingDate",))
        logo = next((o.value for o in self.g.get(self.main, C + "image") if is_http(o.value)), "")
        out["logo"] = logo
        naics = self.texts(self.main, C + "naics")
        out["naics"] = naics[0] if len(naics) == 1 else naics

    def term_set(self, out: dict) -> None:
        out["publisher"] = self.references((CEASN + "publisher", C + "publisher"))
        out["creator"] = self.references((CEASN + "creator", C + "creator"))
        out["license"] = next((o.value for o in self.g.get(self.main, CEASN + "license") if is_http(o.value)), "")
        members = [key for key in self.g.props if key != self.main
                   and any(t in (COMPETENCY, SKOS + "Concept") for t in self.g.types(key))]
        out["hasDefinedTerm"] = [self.member_term(key) for key in members[:MAX_TERMS]]
