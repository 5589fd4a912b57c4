"""The plain-English names, descriptions and messages written into the shapes, and the report's phrases."""

from __future__ import annotations

import re

from ..namespaces import CEASN, XSD, compact
from ..vocab import Vocabulary
from .policy import REQUIRES, Rule

CTID_PATTERN = "^ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
CTID_EXAMPLE = "ce-5d1b3c8a-0c2e-4b6f-9a51-3f2d8e7c6b10"
URL_PATTERN = "^https?://"

_ACRONYM = re.compile(r"\b[A-Z]{2,}")

# Terms the registry checks that the vocabulary files do not define.
LABEL_OVERRIDES = {CEASN + "ctid": "CTID"}


def label(vocab: Vocabulary, iri: str) -> str:
    return LABEL_OVERRIDES.get(iri) or vocab.label(iri)


def sentence_start(text: str) -> str:
    """``Webpage that ...`` -> ``webpage that ...`` (acronyms such as ``CTID`` are kept)."""
    text = text.strip()
    if not text or _ACRONYM.match(text):
        return text
    return text[0].lower() + text[1:]


def class_noun(vocab: Vocabulary, cls: str) -> str:
    """``ceterms:ConditionProfile`` -> ``A condition profile``; ``A QA Credential Organization``."""
    text = label(vocab, cls)
    if not _ACRONYM.search(text):
        text = text.lower()
    article = "An" if text[:1].lower() in "aeiou" else "A"
    return f"{article} {text}"


def property_ref(vocab: Vocabulary, prop: str) -> str:
    """``Subject Webpage (ceterms:subjectWebpage)``."""
    return f"{label(vocab, prop)} ({compact(prop)})"


def _join_or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def rule_name(vocab: Vocabulary, rule: Rule) -> str:
    return _join_or([label(vocab, p) for p in rule.properties])


def rule_description(vocab: Vocabulary, rule: Rule) -> str:
    if len(rule.properties) == 1:
        return vocab.definition(rule.properties[0])
    return " ".join(f"{label(vocab, p)}: {vocab.definition(p)}" for p in rule.properties)


def rule_message(vocab: Vocabulary, cls: str, rule: Rule) -> str:
    verb = "must" if rule.level == REQUIRES else "should"
    subject = class_noun(vocab, cls)
    if len(rule.properties) == 1:
        prop = rule.properties[0]
        definition = sentence_start(vocab.definition(prop)).rstrip(".")
        text = f"{subject} {verb} have a value for {property_ref(vocab, prop)}"
        return f"{text}: {definition}." if definition else f"{text}."
    refs = _join_or([property_ref(vocab, p) for p in rule.properties])
    return f"{subject} {verb} have a value for at least one of {refs}."


def ctid_message(vocab: Vocabulary, prop: str) -> str:
    return (
        f"{property_ref(vocab, prop)} must be 'ce-' followed by a lower-case UUID, "
        f"for example {CTID_EXAMPLE}."
    )


def single_ctid_message(vocab: Vocabulary, prop: str) -> str:
    return f"A resource has exactly one {property_ref(vocab, prop)}; this one has several."


def url_message(vocab: Vocabulary, prop: str) -> str:
    return f"{property_ref(vocab, prop)} must be a web address: an IRI starting with http:// or https://."


def iri_message(vocab: Vocabulary, prop: str) -> str:
    return f"{property_ref(vocab, prop)} must be an IRI that identifies the resource, not a text value."


def text_message(vocab: Vocabulary, prop: str) -> str:
    return (
        f"{property_ref(vocab, prop)} should be language-tagged text, for example "
        '{"en": "..."} in JSON-LD or "..."@en in Turtle; a plain string does not say which language it is in.'
    )


# --- Dates, concepts, organizations, properties outside CTDL ----------------------------------------

DATE_EXAMPLES = {XSD + "date": "2024-09-01", XSD + "dateTime": "2024-09-01T09:00:00Z"}
DATE_FORMS = {XSD + "date": "YYYY-MM-DD", XSD + "dateTime": "YYYY-MM-DDThh:mm:ss (with an optional time zone)"}
_TZ = "(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_DAY = "-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
# The lexical forms of xsd:date and xsd:dateTime, for dates given as plain text.
DATE_PATTERNS = {
    XSD + "date": f"^{_DAY}{_TZ}$",
    XSD + "dateTime": f"^{_DAY}T(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?|24:00:00(\\.0+)?){_TZ}$",
}
_WHAT = {XSD + "date": "a date", XSD + "dateTime": "a date and time"}


def date_message(vocab: Vocabulary, prop: str, datatype: str) -> str:
    return (
        f"{property_ref(vocab, prop)} must be {_WHAT[datatype]} written {DATE_FORMS[datatype]}, "
        f"for example {DATE_EXAMPLES[datatype]}."
    )


def date_expected(datatype: str) -> str:
    return f"{_WHAT[datatype]} like {DATE_EXAMPLES[datatype]} ({compact(datatype)})"


def _context_prefixes() -> dict[str, str]:
    """Concept-scheme prefixes of the CTDL and CTDL-ASN contexts (credentialStat:, audLevel:...)."""
    from ..ingest.contexts import pinned_context

    out = {}
    for url in ("https://credreg.net/ctdl/schema/context/json", "https://credreg.net/ctdlasn/schema/context/json"):
        for prefix, ns in pinned_context(url).items():
            if not isinstance(ns, str) or "/vocabs/" not in ns:
                continue
            if ns.startswith(("http://purl.org/ctdl", "https://purl.org/ctdl")):
                out[prefix] = "https://" + ns.split("://", 1)[1]
    return dict(sorted(out.items()))


CONCEPT_PREFIXES = _context_prefixes()


def concept_curie(iri: str) -> str:
    """``https://purl.org/ctdl/vocabs/credentialStat/Active`` -> ``credentialStat:Active``."""
    for prefix, ns in CONCEPT_PREFIXES.items():
        if iri.startswith(ns) and "/" not in iri[len(ns):]:
            return f"{prefix}:{iri[len(ns):]}"
    return compact(iri)


def scheme_ref(vocab: Vocabulary, scheme: str) -> str:
    """``the Credential Status scheme (ceterms:CredentialStatus)``."""
    name = label(vocab, scheme)
    name = name if "scheme" in name.lower() else f"{name} scheme"
    return f"the {name} ({compact(scheme)})"


def concept_message(vocab: Vocabulary, prop: str, scheme: str, direct: bool) -> str:
    if direct:
        return (
            f"{property_ref(vocab, prop)} must be a concept of {scheme_ref(vocab, scheme)}, "
            "or an alignment object whose ceterms:targetNode is one."
        )
    return (
        f"{property_ref(vocab, prop)} must point to a concept of {scheme_ref(vocab, scheme)}: the "
        "ceterms:targetNode of its CredentialAlignmentObject is one of the scheme's concepts."
    )


def concept_term(vocab: Vocabulary, iri: str):
    """The vocabulary's concept for an IRI in the registry's https form (the vocabulary has some as http)."""
    term = vocab.get(iri)
    if term is None and iri.startswith("https://purl.org/ctdl"):
        term = vocab.get("http://" + iri[len("https://"):])
    return term if term is not None and term.kind == "concept" else None


def concept_expected(vocab: Vocabulary, concepts: list[str], limit: int = 12) -> str:
    """``one of: Active, Ceasing, ... (Credential Status)``."""
    terms = [concept_term(vocab, c) for c in concepts]
    labels = [t.label if t is not None and t.label else concept_curie(c) for c, t in zip(concepts, terms)]
    schemes = [t.scheme for t in terms if t is not None and t.scheme]
    scheme = f" ({label(vocab, schemes[0])})" if schemes else ""
    if len(labels) > limit:
        return f"one of the {len(labels)} concepts{scheme}: " + ", ".join(labels[:limit]) + ", …"
    return "one of: " + ", ".join(labels) + scheme


def agent_message(vocab: Vocabulary, prop: str) -> str:
    return (
        f"{property_ref(vocab, prop)} must point to an organization: its IRI, or a nested description "
        "of it. A text value, such as the organization's name, cannot be followed."
    )


UNKNOWN_MESSAGE = (
    "Not a CTDL property: neither CTDL nor CTDL-ASN defines it, nor another vocabulary the registry "
    "knows. It is kept, but CTDL tools ignore it."
)


def vocabulary_names(known: dict[str, str]) -> str:
    """``rdf, rdfs, schema, ...`` from the known vocabularies (``schema (http)`` counts as schema)."""
    return ", ".join(dict.fromkeys(p.split(" ")[0] for p in known))


def unknown_expected(known: dict[str, str]) -> str:
    names = vocabulary_names(known)
    return f"a property defined by CTDL or CTDL-ASN, or one from a vocabulary the registry knows ({names})"
