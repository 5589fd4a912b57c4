"""Credential Engine's minimum data policy, read from the TSV and corrected.

``ontology/policy/required_recommended_by_class.tsv`` lists, per class, the
properties the policy *Requires* or *Recommends*; ``A|B`` means at least one of.
The file was derived from the 2022 policy-browser data and has errors. Every
correction is listed in :data:`CORRECTIONS` with its reason, and
:func:`read_policy` refuses to produce rules that still contradict the CTDL
vocabulary (a property whose ``schema:domainIncludes`` does not include the
class), so a new error in the TSV stops the generator instead of becoming a
shape that fails valid data.

The TSV has no rows for most nested profiles (Place, ContactPoint,
DurationProfile...). :data:`ADDITIONS` gives them the registry's own rules, each
with its reason; they are checked against the vocabulary like the TSV's rows.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from ..namespaces import PREFIXES
from ..paths import POLICY_TSV
from ..vocab import Vocabulary

REQUIRES = "Requires"
RECOMMENDS = "Recommends"
LEVELS = (REQUIRES, RECOMMENDS)


@dataclass(frozen=True)
class Rule:
    """One line of policy: ``properties`` has one IRI, or several meaning "at least one of"."""

    level: str
    properties: tuple[str, ...]
    note: str = field(default="", compare=False)  # why a correction changed this row, or why it was added
    added: bool = field(default=False, compare=False)  # a registry rule (ADDITIONS), not a TSV row

    @property
    def key(self) -> frozenset[str]:
        return frozenset(self.properties)


@dataclass(frozen=True)
class Correction:
    """A deliberate change to TSV rows: a new ``level``, or ``level=None`` to drop them."""

    why: str
    rows: tuple[tuple[str, str], ...]  # (class, property set) exactly as written in the TSV
    level: str | None = None


def _rows(cls: str, *props: str) -> tuple[tuple[str, str], ...]:
    return tuple((cls, p) for p in props)


_COMPONENTS = (
    "ceterms:AssessmentComponent", "ceterms:BasicComponent", "ceterms:CocurricularComponent",
    "ceterms:CompetencyComponent", "ceterms:CourseComponent", "ceterms:CredentialComponent",
    "ceterms:ExtracurricularComponent", "ceterms:JobComponent", "ceterms:SelectionComponent",
    "ceterms:WorkExperienceComponent",
)  # fmt: skip

# The corrections table. Each entry must match at least one TSV row (a stale
# correction is an error too), and after applying it every remaining rule must
# agree with the vocabulary's schema:domainIncludes.
CORRECTIONS: tuple[Correction, ...] = (
    Correction(
        why="Level 'Requiress' is a typo. Every other credential class only recommends "
        "advancedStandingFrom, so this row is treated as Recommends.",
        rows=_rows("ceterms:ApprenticeshipCertificate", "ceterms:advancedStandingFrom"),
        level=RECOMMENDS,
    ),
    Correction(
        why="skos:Concept rows copied from skos:ConceptScheme: hasTopConcept and the ceasn: "
        "metadata properties belong to the concept scheme, not to its concepts.",
        rows=_rows(
            "skos:Concept",
            "ceasn:description", "ceasn:inLanguage", "ceasn:name", "ceasn:publicationStatusType",
            "skos:hasTopConcept", "ceasn:conceptKeyword", "ceasn:conceptTerm", "ceasn:creator",
            "ceasn:dateCopyrighted", "ceasn:dateModified", "ceasn:license", "ceasn:publisher",
            "ceasn:publisherName", "ceasn:rights", "ceasn:rightsHolder",
        ),
    ),  # fmt: skip
    Correction(
        why="ceasn:Competency rows copied from ceasn:CompetencyFramework: a competency has no "
        "ceasn:name, ceasn:description or ceasn:publisher (its text is ceasn:competencyText "
        "and it is published through its framework), and the framework-only dates, rights "
        "and hasTopChild do not apply.",
        rows=_rows(
            "ceasn:Competency",
            "ceasn:description", "ceasn:name", "ceasn:publisher", "ceasn:dateCopyrighted",
            "ceasn:dateValidFrom", "ceasn:dateValidUntil", "ceasn:hasTopChild",
            "ceasn:publisherName", "ceasn:repositoryDate", "ceasn:rights", "ceasn:source",
        ),
    ),  # fmt: skip
    Correction(
        why="ceasn:inLanguage on ceasn:Competency comes from the same copied framework block. "
        "The property does apply to competencies, but a competency takes its language from "
        "its framework, so it is recommended, not required.",
        rows=_rows("ceasn:Competency", "ceasn:inLanguage"),
        level=RECOMMENDS,
    ),
    Correction(
        why="ceterms:Job rows copied from ceterms:JobComponent: isPartOf and the pathway "
        "component properties are not used on Job.",
        rows=_rows(
            "ceterms:Job",
            "ceterms:isPartOf", "ceasn:hasChild", "ceasn:isChildOf", "ceterms:componentDesignation",
            "ceterms:hasCondition", "ceterms:isDestinationComponentOf", "ceterms:prerequisite",
            "ceterms:sourceData",
        ),
    ),  # fmt: skip
    Correction(
        why="ceterms:hasPathway is a PathwaySet property and ceasn:hasChild is not used on "
        "Pathway (a pathway points to its components with hasDestinationComponent).",
        rows=_rows("ceterms:Pathway", "ceterms:hasPathway", "ceasn:hasChild"),
    ),
    Correction(
        why="ceasn:isVersionOf is a Competency property, not a CompetencyFramework one.",
        rows=_rows("ceasn:CompetencyFramework", "ceasn:isVersionOf"),
    ),
    Correction(
        why="ceterms:prerequisite is now defined for ceterms:Course only (a component's "
        "prerequisites are expressed with hasCondition / ComponentCondition).",
        rows=tuple((c, "ceterms:prerequisite") for c in _COMPONENTS),
    ),
)


@dataclass(frozen=True)
class Addition:
    """Rules for a class the TSV has no rows for: (level, property set written as in the TSV)."""

    cls: str
    why: str
    rules: tuple[tuple[str, str], ...]


_WHERE = (
    "ceterms:streetAddress|ceterms:postOfficeBoxNumber|ceterms:addressLocality|ceterms:addressRegion|"
    "ceterms:postalCode|ceterms:addressCountry"
)
_DURATIONS = "ceterms:exactDuration|ceterms:minimumDuration|ceterms:maximumDuration|ceterms:timeRequired"

# The registry's rules for nested profiles the policy TSV does not cover. They
# only ask for what makes the profile say anything at all (or, where Credential
# Engine's publishing API marks a property as required, for that property), so
# they fail only profiles that carry no information.
ADDITIONS: tuple[Addition, ...] = (
    Addition(
        "ceterms:ContactPoint",
        "A contact point exists to give a way to make contact: a telephone number, an email "
        "address, a social media page or a fax number.",
        ((REQUIRES, "ceterms:email|ceterms:telephone|ceterms:socialMedia|ceterms:faxNumber"),),
    ),
    Addition(
        "ceterms:PostalAddress",
        "A postal address (a subclass of ContactPoint in CTDL) is a mailing address, so it gets its "
        "own rule instead of the ContactPoint one; it should say where mail goes.",
        ((RECOMMENDS, _WHERE),),
    ),
    Addition(
        "ceterms:Place",
        "A place should say where it is: a name, part of an address or coordinates. Only recommended: "
        "Credential Engine's own publishing output has places that carry nothing but contact points.",
        ((RECOMMENDS, "ceterms:name|" + _WHERE + "|ceterms:geoURI|ceterms:latitude"),),
    ),
    Addition(
        "ceterms:DurationProfile",
        "A duration profile must give a duration or describe one. Credential Engine's publishing API "
        "asks for an exact duration or a minimum and maximum, so a machine-readable duration is "
        "recommended as well.",
        ((REQUIRES, "ceterms:description|" + _DURATIONS), (RECOMMENDS, _DURATIONS)),
    ),
    Addition(
        "ceterms:JurisdictionProfile",
        "A jurisdiction profile names its area: global (globalJurisdiction) or a main jurisdiction.",
        ((REQUIRES, "ceterms:globalJurisdiction|ceterms:mainJurisdiction"),),
    ),
    Addition(
        "ceterms:IdentifierValue",
        "An identifier value is its code; the scheme the code comes from should be named too.",
        ((REQUIRES, "ceterms:identifierValueCode"), (RECOMMENDS, "ceterms:identifierType|ceterms:identifierTypeName")),
    ),
    Addition(
        "ceterms:ProcessProfile",
        "Credential Engine's publishing API marks a process profile's description as required.",
        ((REQUIRES, "ceterms:description"),),
    ),
    Addition(
        "ceterms:VerificationServiceProfile",
        "Credential Engine's publishing API marks a verification service profile's description as required.",
        ((REQUIRES, "ceterms:description"),),
    ),
    Addition(
        "ceterms:RevocationProfile",
        "A revocation profile should describe how the credential can be revoked.",
        ((RECOMMENDS, "ceterms:description|ceterms:revocationCriteria|ceterms:revocationCriteriaDescription"),),
    ),
)

# Classes the TSV names that the current vocabulary no longer defines, checked
# against the domain of a class that plays the same role.
DOMAIN_PROXY = {
    # SelectionComponent was removed from CTDL (choices are ComponentConditions
    # now). Older pathway data still uses it, so it keeps its shape and its rules
    # are checked as those of an ordinary pathway component.
    "ceterms:SelectionComponent": "ceterms:BasicComponent",
}


class PolicyError(ValueError):
    """The TSV has a row the corrections table does not explain."""


def expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    if prefix not in PREFIXES:
        raise PolicyError(f"Unknown prefix in {curie!r}")
    return PREFIXES[prefix] + local


def read_rows(path: Path = POLICY_TSV) -> list[tuple[str, str, str]]:
    """The TSV's data rows as (class, level, property set), CURIEs as written."""
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    rows = []
    for n, fields in enumerate(csv.reader(lines, delimiter="\t"), start=1):
        if len(fields) != 3:
            raise PolicyError(f"{path.name}: data row {n} has {len(fields)} fields, expected 3: {fields!r}")
        rows.append((fields[0].strip(), fields[1].strip(), fields[2].strip()))
    return rows


def read_policy(vocab: Vocabulary, path: Path = POLICY_TSV) -> dict[str, list[Rule]]:
    """Class IRI -> its rules, corrected, deduplicated, in TSV order."""
    corrections = {row: c for c in CORRECTIONS for row in c.rows}
    used: set[tuple[str, str]] = set()
    policy: dict[str, list[Rule]] = {}
    for cls, level, props in read_rows(path):
        correction = corrections.get((cls, props))
        note = ""
        if correction is not None:
            used.add((cls, props))
            if correction.level is None:
                policy.setdefault(expand(cls), [])
                continue
            level, note = correction.level, correction.why
        if level not in LEVELS:
            raise PolicyError(f"{cls} {props}: unknown level {level!r}; add a correction")
        rule = Rule(level, tuple(expand(p) for p in props.split("|")), note)
        policy.setdefault(expand(cls), []).append(rule)
    stale = set(corrections) - used
    if stale:
        raise PolicyError(f"Corrections that match no TSV row: {sorted(stale)}")
    for addition in ADDITIONS:
        cls = expand(addition.cls)
        if cls in policy:
            raise PolicyError(f"{addition.cls} has TSV rows; change them with a correction, not an addition")
        policy[cls] = [
            Rule(level, tuple(expand(p) for p in props.split("|")), addition.why, added=True)
            for level, props in addition.rules
        ]
    policy = {cls: _dedupe(rules) for cls, rules in policy.items()}
    problems = vocabulary_problems(policy, vocab)
    if problems:
        raise PolicyError("Policy rows contradict the vocabulary:\n  " + "\n  ".join(problems))
    return policy


def _dedupe(rules: list[Rule]) -> list[Rule]:
    """Drop repeated rules; when a property set is both required and recommended, it is required."""
    required = {r.key for r in rules if r.level == REQUIRES}
    out: list[Rule] = []
    seen: set[frozenset[str]] = set()
    for rule in rules:
        if rule.key in seen or (rule.level == RECOMMENDS and rule.key in required):
            continue
        seen.add(rule.key)
        out.append(rule)
    return out


def in_domain(vocab: Vocabulary, prop: str, cls: str) -> bool:
    """True if the vocabulary allows ``prop`` on ``cls`` (directly or through a superclass)."""
    term = vocab.get(prop)
    if term is None:
        return False
    cls = _proxy(cls)
    return bool({cls, *vocab.superclasses(cls)} & set(term.domain))


def _proxy(cls: str) -> str:
    for legacy, proxy in DOMAIN_PROXY.items():
        if expand(legacy) == cls:
            return expand(proxy)
    return cls


def vocabulary_problems(policy: dict[str, list[Rule]], vocab: Vocabulary) -> list[str]:
    problems = []
    for cls, rules in policy.items():
        if vocab.get(_proxy(cls)) is None:
            problems.append(f"class {cls} is not in the vocabulary and has no DOMAIN_PROXY")
            continue
        for rule in rules:
            for prop in rule.properties:
                if not in_domain(vocab, prop, cls):
                    problems.append(f"{cls} {rule.level} {prop}: not in the property's domainIncludes")
    return problems
