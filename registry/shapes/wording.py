"""The plain-English names, descriptions and messages written into the shapes."""

from __future__ import annotations

import re

from ..namespaces import CEASN, compact
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
