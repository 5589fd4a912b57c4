"""The registry's human pages: HTML rendered with Jinja2 from ``site/templates``.

Everything a provider wrote is untrusted. Templates run with autoescape on, no
value from the data is ever marked safe unescaped (the one place that builds HTML
in Python, :func:`resource_main_html` and the functions it calls, escapes every piece), links are only emitted for
``http(s)`` IRIs, and the embedded JSON-LD has ``<``, ``>`` and ``&`` escaped
as ``\\u003c``, ``\\u003e`` and ``\\u0026`` so ``</script>`` in the data cannot
close the script element.

:class:`PageRenderer` turns a resource's triples into a view model (plain
dataclasses below) and hands it to the templates; the templates do no RDF work.
A resource page shows the resource's own properties (nested profiles in words:
conditions, costs, durations, places), its members (a framework's competency
tree), the resources that refer to it (:class:`InverseLink`, from the links
index), and carries two JSON-LD blocks: the CTDL description and a schema.org
one (:mod:`registry.schemaorg`). docs/pages.md describes every page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from operator import itemgetter
from datetime import datetime, timezone
from typing import Callable, ClassVar, Iterable
from urllib.parse import quote, urlsplit

import jinja2
import pyoxigraph
from markupsafe import Markup, escape

from .formats import by_subject, compact_json
from .namespaces import CEASN, CETERMS, RDF_TYPE, SCHEMA, SKOS, XSD, compact
from .paths import TEMPLATES_DIR
from .vocab import Vocabulary, vocabulary

__all__ = ["PageRenderer", "ResourceSummary", "InverseLink", "safe_json_for_script", "format_price",
           "relation_name", "member_anchor",
           "pick_text", "pick_literals", "first_text"]


@dataclass
class ResourceSummary:
    """One row of an index/list; comes from the registry's SQLite index."""

    ctid: str
    iri: str  # the resource IRI as the provider wrote it
    type: str  # full class IRI, e.g. https://purl.org/ctdl/terms/BachelorDegree
    name: str
    description: str = ""
    owner_ctid: str | None = None
    owner_name: str | None = None
    updated: str = ""  # ISO 8601 timestamp
    # For a member of another resource's graph (a competency of a framework): that resource's
    # CTID. Its page is the framework's page, at the member's anchor (see member_anchor).
    part_of: str | None = None


@dataclass
class InverseLink:
    """Another resource whose graph refers to this page's resource (a row of the links index).

    ``property`` is the property holding the reference, on the other resource or on one of
    its nested profiles (``ceterms:ownedBy``; ``ceterms:targetCompetency`` inside a condition
    profile). ``member`` is the CTID of the member of this page's graph it points at (a
    competency of a framework), "" for the resource itself. ``via``, when known, is the
    property above a condition profile (``ceterms:requires``), which names the relation
    exactly ("Is required for" instead of "Condition for").
    """

    property: str
    source: ResourceSummary
    member: str = ""
    via: str = ""


# --------------------------------------------------------------------------
# Which properties go where
# --------------------------------------------------------------------------

NAME_PROPERTIES = (CETERMS + "name", CEASN + "name", SCHEMA + "name", SKOS + "prefLabel")
DESCRIPTION_PROPERTIES = (CETERMS + "description", CEASN + "description", SCHEMA + "description")
CTID_PROPERTIES = (CETERMS + "ctid", CEASN + "ctid")
# Shown in the overview, in this order, when present.
OVERVIEW_PROPERTIES = (
    CETERMS + "subjectWebpage",
    CEASN + "source",
    CETERMS + "ownedBy",
    CETERMS + "offeredBy",
    CEASN + "creator",
    CEASN + "publisher",
)
# Inside nested nodes these come first; the rest alphabetically by label.
NESTED_FIRST = NAME_PROPERTIES + DESCRIPTION_PROPERTIES

ALIGNMENT = CETERMS + "CredentialAlignmentObject"
TARGET_NODE = CETERMS + "targetNode"
TARGET_NODE_NAME = CETERMS + "targetNodeName"
CODED_NOTATION = (CETERMS + "codedNotation", CEASN + "codedNotation")
FRAMEWORK_NAME = CETERMS + "frameworkName"

MAX_NESTING = 6  # nested profiles rendered inline up to this depth
MAX_TREE_DEPTH = 40
MAX_VALUES = 10_000  # per page: protects against graphs built to explode when inlined
MAX_TREE_ITEMS = 20_000
MAX_RELATION_ITEMS = 200  # resources listed under one inverse relation
MAX_GLOSSARY = 200

# Nested profiles shown in words (see _ResourceBuilder.FORMS).
CONDITION = CETERMS + "ConditionProfile"
COST = CETERMS + "CostProfile"
DURATION = CETERMS + "DurationProfile"
PLACE = CETERMS + "Place"
GEO = CETERMS + "GeoCoordinates"
CONTACT = CETERMS + "ContactPoint"
VALUE_PROFILE = CETERMS + "ValueProfile"
JURISDICTION = CETERMS + "JurisdictionProfile"
COMPETENCY = CEASN + "Competency"

# What a condition profile asks for, in this order: (property, the words before its values).
CONDITION_LINES = (
    (CETERMS + "targetLearningOpportunity", "Complete"),
    (CETERMS + "targetAssessment", "Pass"),
    (CETERMS + "targetCredential", "Earn"),
    (CETERMS + "targetCompetency", "Competencies"),
    (CETERMS + "condition", "Conditions"),
)
CONDITION_TARGETS = frozenset(p for p, _ in CONDITION_LINES[:4])
ADDRESS_PROPERTIES = tuple(CETERMS + p for p in (
    "streetAddress", "postOfficeBoxNumber", "addressLocality", "addressRegion", "postalCode", "addressCountry"))

VOCAB_NAMESPACES = ("https://purl.org/ctdl/vocabs/", "https://purl.org/ctdlasn/vocabs/")
CURRENCY_SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "MXN": "MX$", "EUR": "€", "GBP": "£",
                    "JPY": "¥", "CNY": "CN¥", "INR": "₹", "KRW": "₩", "CHF": "CHF "}

# --------------------------------------------------------------------------
# Inverse relations: how a page names the link from another resource to it
# --------------------------------------------------------------------------

# A property in the other resource's graph -> the CTDL property for the same link seen from
# this side; the relation is then named by that property's vocabulary label.
INVERSE_OF = {
    CETERMS + a: CETERMS + b
    for pair in (("ownedBy", "owns"), ("offeredBy", "offers"), ("accreditedBy", "accredits"),
                 ("approvedBy", "approves"), ("recognizedBy", "recognizes"), ("regulatedBy", "regulates"),
                 ("renewedBy", "renews"), ("revokedBy", "revokes"), ("requires", "isRequiredFor"),
                 ("recommends", "isRecommendedFor"), ("preparationFrom", "isPreparationFor"),
                 ("advancedStandingFrom", "isAdvancedStandingFor"), ("hasPart", "isPartOf"),
                 ("precedes", "precededBy"))
    for a, b in (pair, pair[::-1])
}
INVERSE_OF.update({CEASN + "hasChild": CEASN + "isChildOf", CEASN + "isChildOf": CEASN + "hasChild",
                   CEASN + "isPartOf": CETERMS + "hasPart"})
# Links with no inverse property in CTDL: named here.
RELATION_NAMES = {
    CETERMS + "publisher": ("Publishes", "Resources this agent makes available."),
    CEASN + "publisher": ("Publishes", "Resources this agent makes available."),
    CETERMS + "creator": ("Created", "Resources this agent is primarily responsible for making."),
    CEASN + "creator": ("Created", "Resources this agent is primarily responsible for making."),
    CETERMS + "teaches": ("Taught by", "Learning opportunities intended to teach this."),
    CETERMS + "assesses": ("Assessed by", "Assessments that evaluate this."),
    **{prop: ("Condition for", "Resources with a condition (a requirement, recommendation or other condition "
                               "profile) that names this one.") for prop in CONDITION_TARGETS},
}
RELATION_ORDER = {name: i for i, name in enumerate((
    "Owns", "Offers", "Accredits", "Approves", "Recognizes", "Regulates", "Renews", "Revokes", "Publishes",
    "Created", "Owned by", "Offered by", "Accredited by", "Approved by", "Recognized by", "Regulated by",
    "Is required for", "Condition for", "Requires", "Is recommended for", "Recommends", "Preparation from",
    "Is preparation for", "Advanced standing from", "Is advanced standing for", "Taught by", "Assessed by",
    "Has part", "Is part of",
))}


def _sentence_case(label: str) -> str:
    """``Is Required For`` -> ``Is required for`` (words in capitals, like ``NAICS``, kept)."""
    words = label.split()
    return " ".join(words[:1] + [w if w.isupper() else w.lower() for w in words[1:]])


@lru_cache(maxsize=4096)  # asked once per inverse link: an organization's page has up to 1,000
def relation_name(vocab: Vocabulary, prop: str, via: str = "") -> tuple[str, str]:
    """(name, definition) of the relation "the listed resources refer to this one through ``prop``"."""
    if via and prop in CONDITION_TARGETS:
        prop = via
    if prop in RELATION_NAMES:
        return RELATION_NAMES[prop]
    inverse = INVERSE_OF.get(prop)
    if inverse is not None and vocab.get(inverse) is not None:
        return _sentence_case(vocab.label(inverse)), vocab.definition(inverse)
    return f"Linked here as “{vocab.label(prop)}”", vocab.definition(prop)


def _join_relations(names: tuple[str, ...]) -> str:
    """("Owns", "Offers", "Accredits") -> "Owns, offers and accredits"."""
    words = [names[0]] + [n[:1].lower() + n[1:] for n in names[1:]]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# Inverse links are listed by type in this order: credentials first, organizations last.
TYPE_RANKS = (CETERMS + "Credential", CETERMS + "LearningProgram", CETERMS + "Course",
              CETERMS + "LearningOpportunityProfile", CETERMS + "AssessmentProfile", CEASN + "CompetencyFramework",
              CETERMS + "Organization")


def member_anchor(ctid: str) -> str:
    """The id of a member's item (a competency) on its framework's page."""
    return _anchor_id("item", ctid, 0)


@dataclass(frozen=True)
class _TreeSpec:
    """How a member hierarchy (competencies of a framework, concepts of a scheme) is linked."""

    member_type: str
    top: tuple[str, ...]  # main -> top members
    top_inverse: tuple[str, ...]  # member -> main
    child: tuple[str, ...]  # member -> child members
    parent: tuple[str, ...]  # child -> parent
    text: tuple[str, ...]  # the item text
    heading: str
    label: tuple[str, ...] = ()  # a short label shown before the text, when it differs


TREES = (
    _TreeSpec(
        member_type=CEASN + "Competency",
        top=(CEASN + "hasTopChild",),
        top_inverse=(CEASN + "isTopChildOf",),
        child=(CEASN + "hasChild",),
        parent=(CEASN + "isChildOf",),
        text=(CEASN + "competencyText", CEASN + "competencyLabel", CEASN + "name"),
        heading="Competencies",
        label=(CEASN + "competencyLabel",),
    ),
    _TreeSpec(
        member_type=SKOS + "Concept",
        top=(SKOS + "hasTopConcept",),
        top_inverse=(SKOS + "topConceptOf",),
        child=(SKOS + "narrower",),
        parent=(SKOS + "broader",),
        text=(SKOS + "prefLabel", SKOS + "definition"),
        heading="Concepts",
    ),
)


# --------------------------------------------------------------------------
# View model handed to the templates
# --------------------------------------------------------------------------


@dataclass
class Value:
    """One displayed value.

    kind: ``text`` | ``link`` (external, rel=nofollow) | ``internal`` (a page of
    this registry) | ``anchor`` (a place on this page) | ``concept`` (a term of
    the CTDL vocabularies) | ``alignment`` | ``node`` (nested, inline) | ``note``.
    """

    kind: str
    text: str = ""
    href: str = ""
    lang: str = ""
    title: str = ""
    code: str = ""
    extra: str = ""
    detail: str = ""
    external: bool = False  # href leaves the registry: rel="nofollow"
    node: NodeView | None = None


# --------------------------------------------------------------------------
# HTML of the recursive parts of a resource page
#
# Values, property lists, nested nodes, member trees and inverse links are built
# here rather than in template macros: a page has hundreds of values, and Jinja's
# macro calls cost more than the rest of the page (measured: the page took twice
# as long). Every piece of data goes through markupsafe.escape (quotes too);
# the functions return escaped HTML as plain strings, and the templates receive
# it through the Markup-returning globals of PageRenderer (rows_html, ...).
# --------------------------------------------------------------------------


_URL_SAFE = re.compile(r"[A-Za-z0-9_.~-]+")  # what quote(..., safe="") leaves as it is


def _esc(text) -> str:
    """``markupsafe.escape`` as a plain string (``&<>'"`` as ``&amp;`` ``&lt;`` ``&gt;`` ``&#39;``
    ``&#34;``), without making a Markup object per value: a page escapes hundreds."""
    if type(text) is not str:
        return str(escape(text))
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "'" in text:
        text = text.replace("'", "&#39;")
    if '"' in text:
        text = text.replace('"', "&#34;")
    return text


def _attr(name: str, value: str) -> str:
    """`` name="value"`` (escaped), or "" for an empty value."""
    return f' {name}="{_esc(value)}"' if value else ""


def _value_html(v: Value) -> str:
    """One value (not a node) as HTML.

    link: ``<a class="external" href rel="nofollow">``; internal and anchor: ``<a href title>``;
    concept: ``<span class="concept" title=definition>``; alignment: code, name (linked when
    it has a target), framework; note: ``<em class="note">``; text: ``<span class="text" lang>``.
    """
    k = v.kind
    if k == "link":
        return f'<a class="external" href="{_esc(v.href)}" rel="nofollow">{_esc(v.text)}</a>'
    if k == "internal" or k == "anchor":
        return f'<a href="{_esc(v.href)}"{_attr("title", v.title)}>{_esc(v.text)}</a>'
    if k == "concept":
        return f'<span class="concept" title="{_esc(v.title)}">{_esc(v.text)}</span>'
    lang = _attr("lang", v.lang)
    if k == "alignment":
        out = ['<span class="alignment">']
        if v.code:
            out.append(f'<span class="code">{_esc(v.code)}</span> ')
        if v.href:
            rel = ' rel="nofollow" class="external"' if v.external else ""
            out.append(f'<a href="{_esc(v.href)}"{rel}{lang}>{_esc(v.text)}</a>')
        else:
            out.append(f'<span{lang}{_attr("title", v.title)}>{_esc(v.text)}</span>')
        if v.extra:
            out.append(f' <span class="framework">({_esc(v.extra)})</span>')
        out.append("</span>")
        return "".join(out)
    if k == "note":
        return f'<em class="note">{_esc(v.text)}</em>'
    detail = f' <span class="detail">({_esc(v.detail)})</span>' if v.detail else ""
    return f'<span class="text"{lang}>{_esc(v.text)}</span>{detail}'


def values_html(vs: list[Value]) -> str:
    """The values of one property: one inline, several as a list."""
    if len(vs) == 1:
        v = vs[0]
        return node_html(v.node) if v.node is not None else _value_html(v)
    out = ['<ul class="values">\n']
    for v in vs:
        out.append(f"<li>{node_html(v.node) if v.node is not None else _value_html(v)}</li>\n")
    out.append("</ul>")
    return "".join(out)


def rows_html(rows: list[Row], cls: str = "props") -> str:
    """Properties as a definition list; the label's tooltip is the CTDL definition."""
    return f'<dl class="{_esc(cls)}">\n' + "".join(map(_row_html, rows)) + "</dl>"


def _row_html(r: Row) -> str:
    """One property of a definition list (:func:`rows_html`, the page's overview)."""
    return (f'<div class="prop">\n<dt title="{_esc(r.definition or r.compact)}">{_esc(r.label)}</dt>\n'
            f"<dd>{values_html(r.values)}</dd>\n</div>\n")


def node_html(n: NodeView) -> str:
    """A nested node: a profile in words (``n.form``) or a titled list of properties."""
    form = f" form-{n.form}" if n.form else ""
    out = [f'<div class="node depth-{n.depth}{form}">\n']
    if n.type_label and not n.form:
        level = n.heading_level
        out.append(f'<h{level} class="node-type"{_attr("title", n.type_definition)}>'
                   f"{_esc(n.type_label)}</h{level}>\n")
    if n.iri is not None:
        out.append(f'<p class="node-iri">{_value_html(n.iri)}</p>\n')
    if n.title:
        out.append(f'<p class="node-title"{_attr("lang", n.title_lang)}>{_esc(n.title)}</p>\n')
    if n.address:
        out.append("<address>" + "<br>".join(_esc(line) for line in n.address) + "</address>\n")
    if n.text:
        out.append(f'<p class="node-text"{_attr("lang", n.text_lang)}>{_esc(n.text)}</p>\n')
    if n.lines:
        out.append('<ul class="lines">\n')
        for line in n.lines:
            out.append(f'<li><span class="line-label"{_attr("title", line.definition)}>{_esc(line.label)}:</span> '
                       f"{values_html(line.values)}</li>\n")
        out.append("</ul>\n")
    if n.rows:
        out.append(rows_html(n.rows) + "\n")
    elif not (n.title or n.text or n.lines or n.address):
        out.append('<p class="note">No further details.</p>\n')
    out.append("</div>")
    return "".join(out)


def tree_html(items: list[TreeItem]) -> str:
    """A member hierarchy (competencies, concepts); every item has an anchor to link to."""
    out = ['<ul class="tree">\n']
    for it in items:
        code = f'<span class="code">{_esc(it.code)}</span> ' if it.code else ""
        lang = _attr("lang", it.lang)
        if it.repeat:
            out.append(f'<li class="repeat"><a href="#{_esc(it.anchor)}">{code}<span{lang}>{_esc(it.text)}</span>'
                       f'</a> <span class="note">(shown above)</span></li>\n')
            continue
        label = f'<span class="item-label">{_esc(it.label)}</span> ' if it.label else ""
        link = (f' <a class="permalink" href="#{_esc(it.anchor)}" aria-label="Link to this item">#</a>'
                if it.anchor else "")
        note = f' <span class="note">({_esc(it.note)})</span>' if it.note else ""
        out.append(f'<li{_attr("id", it.anchor)}>\n<span class="item">{code}{label}<span class="item-text"{lang}>'
                   f"{_esc(it.text)}</span>{link}{note}</span>\n")
        if it.children:
            out.append(tree_html(it.children) + "\n")
        out.append("</li>\n")
    out.append("</ul>")
    return "".join(out)


def glossary_html(terms: list[GlossaryTerm]) -> str:
    """The vocabulary terms used on the page with their CTDL definitions."""
    return "".join(map(_glossary_entry, terms))


@lru_cache(maxsize=4096)  # the same vocabulary terms on page after page
def _glossary_entry(t: GlossaryTerm) -> str:
    return (f'<div class="prop">\n<dt>{_esc(t.label)} <code>{_esc(t.compact)}</code></dt>\n'
            f"<dd>{_esc(t.definition)}</dd>\n</div>\n")


def summary_row_html(r: dict) -> str:
    """A resource's row in a list (``PageRenderer._summary_row``): name and description, type,
    owner, last change. A list page has 50; a static build writes hundreds of thousands."""
    description = f'<span class="summary">{_esc(r["description"])}</span>' if r["description"] else ""
    type_cell = f'<a href="{_esc(r["type_href"])}">{_esc(r["type_label"])}</a>' if r["type_href"] else ""
    owner = (f'<a href="{_esc(r["owner_href"])}">{_esc(r["owner_name"])}</a>' if r["owner_href"]
             else _esc(r["owner_name"]))
    updated = r["updated"]
    when = (f'<time datetime="{_esc(datetime_attr(updated))}">{_esc(format_timestamp(updated))}</time>'
            if updated else "")
    return (f'<tr>\n<td><a class="summary-name" href="{_esc(r["href"])}">{_esc(r["name"])}</a>{description}</td>\n'
            f"<td>{type_cell}</td>\n<td>{owner}</td>\n<td>{when}</td>\n</tr>\n")


def connections_html(relations: list[Relation]) -> str:
    """Resources that refer to this one, by relation ("Owns", "Condition for") and then by type."""
    out = []
    for rel in relations:
        out.append(f'<section class="relation" aria-labelledby="{_esc(rel.anchor)}">\n'
                   f'<h3 id="{_esc(rel.anchor)}"{_attr("title", rel.definition)}>{_esc(rel.label)} '
                   f'<span class="count">({rel.count})</span></h3>\n<dl class="by-type">\n')
        for group in rel.groups:
            out.append(f'<div class="prop">\n<dt{_attr("title", group.definition)}>{_esc(group.label)}</dt>\n'
                       '<dd>\n<ul class="links">\n')
            for it in group.items:
                owner = f' <span class="owner">&middot; {_esc(it.note)}</span>' if it.note else ""
                members = ""
                if it.members:
                    word = "competency" if len(it.members) == 1 else "competencies"
                    links = ", ".join(_value_html(v) for v in it.members)
                    members = f' <span class="members">({word} {links})</span>'
                out.append(f'<li><a href="{_esc(it.href)}">{_esc(it.text)}</a>{owner}{members}</li>\n')
            out.append("</ul>\n</dd>\n</div>\n")
        out.append("</dl>\n")
        if rel.omitted:
            out.append(f'<p class="note">{rel.omitted} more not listed here.</p>\n')
        out.append("</section>\n")
    return "".join(out)


def resource_head_html(c: dict) -> str:
    """The ``<head>`` part of a resource page (description, canonical, Open Graph, alternates, the
    two JSON-LD blocks), from the context :meth:`PageRenderer.resource_page` builds."""
    e = _esc
    out = [f'<meta name="description" content="{e(c["meta_description"])}">\n'
           f'<link rel="canonical" href="{e(c["canonical"])}">\n'
           '<meta property="og:type" content="website">\n'
           f'<meta property="og:title" content="{e(c["name"])}">\n'
           f'<meta property="og:description" content="{e(c["meta_description"])}">\n'
           f'<meta property="og:site_name" content="{e(c["site_name"])}">\n']
    if c["og_url"]:
        out.append(f'<meta property="og:url" content="{e(c["og_url"])}">\n')
    for label, mime, href in c["alternates"]:
        out.append(f'<link rel="alternate" type="{e(mime)}" href="{e(href)}" title="{e(label)}">\n')
    out.append(f'<script type="application/ld+json">{c["jsonld"]}</script>\n')  # safe_json_for_script
    if c["schema_jsonld"]:
        out.append(f'<script type="application/ld+json">{c["schema_jsonld"]}</script>\n')
    return "".join(out)


def resource_main_html(c: dict) -> str:
    """The ``<main>`` part of a resource page: header, overview, member trees, details,
    connections, other nodes, glossary, data links. Every piece of data is escaped."""
    e = _esc
    type_label, type_definition = e(c["type_label"]), c["type_definition"]
    out = ['<article class="resource">\n<header class="resource-header">\n<p class="kind">']
    if c["type_href"]:
        title = f' title="{e(type_definition)}"' if type_definition else ""
        out.append(f'<a href="{e(c["type_href"])}"{title}>{type_label}</a>')
    else:
        out.append(type_label)
    out.append(f'</p>\n<h1{_attr("lang", c["name_lang"])}>{e(c["name"])}</h1>\n')
    if c["description"]:
        out.append(f'<p class="description"{_attr("lang", c["description_lang"])}>{e(c["description"])}</p>\n')
    if c["updated"]:
        out.append(f'<p class="updated">Last updated <time datetime="{e(datetime_attr(c["updated"]))}">'
                   f'{e(format_timestamp(c["updated"]))}</time></p>\n')
    out.append('</header>\n\n<section class="overview" aria-labelledby="overview-heading">\n'
               '<h2 id="overview-heading">Overview</h2>\n<dl class="props">\n<div class="prop">\n<dt>Type</dt>\n<dd>')
    out.append(f'<span class="concept" title="{e(type_definition)}">{type_label}</span>' if type_definition
               else type_label)
    out.append(f'</dd>\n</div>\n<div class="prop">\n<dt>CTID</dt>\n<dd><code class="ctid">{e(c["ctid"])}</code></dd>\n'
               '</div>\n')
    out.extend(map(_row_html, c["overview"]))
    main_iri = e(c["main_iri"])
    out.append('<div class="prop">\n<dt>Identifier</dt>\n<dd>')
    out.append(f'<a class="external" href="{main_iri}" rel="nofollow">{main_iri}</a>' if c["main_iri_is_http"]
               else f"<code>{main_iri}</code>")
    out.append("</dd>\n</div>\n</dl>\n</section>\n\n")
    trees = c["trees"]
    for i, tree in enumerate(trees, 1):
        out.append(f'<section class="members" aria-labelledby="tree-heading-{i}">\n'
                   f'<h2 id="tree-heading-{i}">{e(tree.heading)} <span class="count">({e(tree.count)})</span></h2>\n')
        out.append(tree_html(tree.items) + "\n" if tree.items else '<p class="note">None listed.</p>\n')
        out.append("</section>\n")
    out.append("\n")
    if c["details"]:
        out.append('<section class="details" aria-labelledby="details-heading">\n'
                   '<h2 id="details-heading">Details</h2>\n'
                   f"{rows_html(c['details'])}\n</section>\n")
    out.append("\n")
    connections, omitted = c["connections"], c["connections_omitted"]
    if connections or omitted:
        also = f" or to its {e(trees[0].heading.lower())}" if trees else ""
        out.append('<section class="connections" aria-labelledby="connections-heading">\n'
                   '<h2 id="connections-heading">Connections</h2>\n'
                   f'<p class="note">Resources published here that refer to this {type_label}{also}.</p>\n'
                   f"{connections_html(connections)}\n")
        if omitted:
            out.append(f'<p class="note">{e(omitted)} more resource{"" if omitted == 1 else "s"} '
                       f'refer{"s" if omitted == 1 else ""} to it; they are not listed here.</p>\n')
        out.append("</section>\n")
    out.append("\n")
    if c["others"]:
        out.append('<section class="others" aria-labelledby="others-heading">\n'
                   '<h2 id="others-heading">Also described in this record</h2>\n')
        out.extend(node_html(n) + "\n" for n in c["others"])
        out.append("</section>\n")
    out.append("\n")
    if c["glossary"]:
        out.append('<section class="glossary" aria-labelledby="glossary-heading">\n<details>\n'
                   '<summary><h2 id="glossary-heading">Terms used on this page</h2></summary>\n'
                   '<p class="note">Definitions from the <abbr title="Credential Transparency Description Language">'
                   "CTDL</abbr> vocabulary of Credential Engine.</p>\n"
                   f'<dl class="glossary-list">\n{glossary_html(c["glossary"])}</dl>\n</details>\n</section>\n')
    out.append('\n<section class="data" aria-labelledby="data-heading">\n<h2 id="data-heading">Data</h2>\n'
               '<p>This description as linked data:</p>\n<ul class="formats">\n')
    for label, mime, href in c["alternates"]:
        out.append(f'<li><a href="{e(href)}" type="{e(mime)}">{e(label)}</a> '
                   f'<span class="mime">{e(mime)}</span></li>\n')
    out.append(f'</ul>\n<p>Query it with the rest of the registry at the <a href="{e(c["sparql_href"])}">SPARQL '
               "endpoint</a>.</p>\n</section>\n</article>\n")
    return "".join(out)


@dataclass
class Row:
    iri: str
    label: str
    definition: str
    values: list[Value]

    @property
    def compact(self) -> str:
        return compact(self.iri)


@dataclass
class NodeView:
    """A nested node. ``form`` says how it reads: "" (a titled list of properties) or one of
    ``condition``, ``cost``, ``duration``, ``place``, ``contact``, ``value``, ``jurisdiction``:
    then ``title`` is the node in words ("Tuition: $4,500 USD (per year)", "4 years"),
    ``address`` an address block, ``lines`` what a condition asks for, and ``rows`` the rest."""

    type_label: str
    type_iri: str
    rows: list[Row]
    depth: int  # 1 = directly under the main resource
    iri: Value | None = None  # for named nodes: how to show their IRI
    form: str = ""
    type_definition: str = ""
    title: str = ""
    title_lang: str = ""
    text: str = ""
    text_lang: str = ""
    address: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    @property
    def heading_level(self) -> int:
        return min(6, 2 + self.depth)


@dataclass
class Line:
    """One thing a nested profile says, in words: "Complete" + the linked program."""

    label: str
    definition: str
    values: list[Value]


@dataclass
class LinkItem:
    text: str
    href: str
    members: list[Value] = field(default_factory=list)  # this page's members it refers to
    note: str = ""  # who owns it, when that is not this page's resource


@dataclass
class TypeGroup:
    label: str
    definition: str
    items: list[LinkItem]


@dataclass
class Relation:
    """Resources that refer to this one in the same way ("Owns", "Condition for"), by type."""

    label: str
    definition: str
    count: int
    groups: list[TypeGroup]
    omitted: int = 0
    anchor: str = ""


@dataclass(frozen=True)
class GlossaryTerm:
    label: str
    compact: str
    definition: str


@dataclass
class TreeItem:
    anchor: str
    text: str
    lang: str = ""
    code: str = ""
    label: str = ""  # a short label shown before the text (a competency's competencyLabel)
    children: list[TreeItem] = field(default_factory=list)
    repeat: bool = False  # shown elsewhere already: link to it instead
    note: str = ""


@dataclass
class Tree:
    heading: str
    items: list[TreeItem]
    count: int


@dataclass
class TypeCount:
    iri: str
    label: str
    local: str
    count: int
    href: str


@dataclass
class Pager:
    page: int
    pages: int
    prev_href: str | None
    next_href: str | None
    links: list[tuple[int | None, str]]  # (page number or None for a gap, href)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def safe_json_for_script(text: str) -> Markup:
    """JSON text made safe to sit inside ``<script>``: ``<``, ``>``, ``&`` escaped.

    The escapes are valid JSON string escapes, and those characters can only
    occur inside strings in valid JSON, so the JSON value is unchanged. U+2028 and
    U+2029 are escaped too, for old JavaScript parsers.
    """
    out = (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return Markup(out)


def is_http(iri: str) -> bool:
    head = iri[:8].lower()
    if head.startswith("http://"):
        rest = iri[7:]
    elif head == "https://":
        rest = iri[8:]
    else:
        return False
    if not rest or rest[0] in "/?#":
        return False
    if "[" in rest or "]" in rest:  # an IPv6 host: let urlsplit judge it
        try:
            return bool(urlsplit(iri).netloc)
        except ValueError:
            return False
    return True


@lru_cache(maxsize=8192)  # types and properties: the same few hundred on every page and list row
def local_name(iri: str) -> str:
    return re.split(r"[/#:]", iri.rstrip("/#"))[-1] or iri


def datetime_attr(value: str) -> str:
    """A timestamp for ``<time datetime>``: HTML allows at most three digits of a second's
    fraction (the journal writes six): ``…:23.349714Z`` -> ``…:23.349Z``."""
    return _SUBMILLI.sub(r"\1", value.strip()) if value else ""


_SUBMILLI = re.compile(r"(\.\d{3})\d+")


def format_timestamp(value: str) -> str:
    """``2024-05-01T14:03:00Z`` -> ``2024-05-01 14:03 UTC``; unparsable text unchanged."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return value
    if len(value.strip()) <= 10:
        return moment.date().isoformat()
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    return moment.strftime("%Y-%m-%d %H:%M")


_DURATION = re.compile(
    r"^P(?:(?P<years>\d+(?:[.,]\d+)?)Y)?(?:(?P<months>\d+(?:[.,]\d+)?)M)?(?:(?P<weeks>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<days>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:[.,]\d+)?)H)?(?:(?P<minutes>\d+(?:[.,]\d+)?)M)?(?:(?P<seconds>\d+(?:[.,]\d+)?)S)?)?$"
)


def humanize_duration(value: str) -> str:
    """``P2Y6M`` -> ``2 years 6 months``; "" when not an ISO 8601 duration."""
    match = _DURATION.match(value.strip())
    if not match or value.strip() in ("P", "PT"):
        return ""
    parts = []
    for unit, amount in match.groupdict().items():
        if amount is None:
            continue
        singular = unit[:-1]
        parts.append(f"{amount} {singular if amount in ('1', '1.0') else unit}")
    return " ".join(parts)


def format_price(price: str, currency: str = "") -> str:
    """``("4500", "USD")`` -> ``$4,500 USD``; ``("12000.50", "EUR")`` -> ``€12,000.50 EUR``.

    Text that is not a number is kept as it is (with the currency after it).
    """
    text = " ".join(price.split())
    code = currency.strip()
    if re.fullmatch(r"[A-Za-z]{3}", code):
        code = code.upper()
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        amount = None
    symbol = ""
    if amount is not None and amount.is_finite():
        text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
        symbol = CURRENCY_SYMBOLS.get(code, "")
    return f"{symbol}{text} {code}".strip()


def format_number(text: str) -> str:
    """``4.36439E1`` (how JSON numbers come back as xsd:double) -> ``43.6439``."""
    try:
        value = float(text)
    except ValueError:
        return text
    if value != value or value in (float("inf"), float("-inf")):
        return text
    out = repr(value)
    if "e" in out or "E" in out:
        return text
    return out[:-2] if out.endswith(".0") else out


def _natural(text: str) -> list:
    """A sort key that puts ``1.2`` before ``1.10``."""
    return [(0, int(t), "") if t.isdigit() else (1, 0, t.lower()) for t in re.split(r"(\d+)", text) if t]


def humanize_local(iri: str) -> str:
    """``.../publicationStatus/Published`` -> ``Published``; ``InPerson`` -> ``In person``."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[_-]+", " ", local_name(iri)).split()
    return " ".join(words[:1] + [w if w.isupper() else w.lower() for w in words[1:]]) or iri


def _plural(unit: str, amount: str) -> str:
    if not unit or amount.strip() in ("1", "1.0") or unit.endswith("s"):
        return unit
    return unit + "s"


_LANG_RANKS: dict[str, int] = {}


def _lang_rank(lang: str) -> int:
    rank = _LANG_RANKS.get(lang)
    if rank is None:
        low = lang.lower()
        if low in ("en", "en-us"):
            rank = 0
        elif low.startswith("en-"):
            rank = 1
        elif not low:
            rank = 2
        else:
            rank = 3
        if len(_LANG_RANKS) < 10_000:
            _LANG_RANKS[lang] = rank
    return rank


def _key(term) -> str:
    """A graph node as a dict key: IRIs as themselves, blank nodes as ``_:id``."""
    if isinstance(term, pyoxigraph.BlankNode):
        return "_:" + term.value
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    return str(term)


_NO_VALUES: list = []  # shared, never modified
_NO_PROPS: dict = {}
_first = itemgetter(0)


@lru_cache(maxsize=64)
def _first_order(first: tuple[str, ...]) -> dict[str, int]:
    """Property -> rank among the properties a list of rows shows first (``_ResourceBuilder.rows``)."""
    return {p: i for i, p in enumerate(first)}


class _Graph:
    """The resource's triples indexed by subject, in document order, deduplicated
    (:func:`registry.formats.by_subject`)."""

    def __init__(self, triples: Iterable):
        self.props: dict[str, dict[str, list]] = by_subject(triples)
        self._types: dict[str, list[str]] = {}

    def get(self, key: str, prop: str) -> list:
        node = self.props.get(key)
        return node.get(prop, _NO_VALUES) if node is not None else _NO_VALUES

    def types(self, key: str) -> list[str]:
        types = self._types.get(key)
        if types is None:
            types = self._types[key] = [o.value for o in self.get(key, RDF_TYPE) if type(o) is pyoxigraph.NamedNode]
        return types

    def __contains__(self, key: str) -> bool:
        return key in self.props

    def first_text(self, key: str, props: Iterable[str]) -> tuple[str, str]:
        """:func:`first_text` of one node."""
        return first_text(self.props.get(key, _NO_PROPS), props)


def pick_literals(objects: Iterable) -> list[pyoxigraph.Literal]:
    """Language-tagged literals reduced to the best language (English, else the first).

    Literals without a language tag are all kept.
    """
    plain: list = []
    tagged: list = []
    for obj in objects:
        if isinstance(obj, pyoxigraph.Literal):
            (tagged if obj.language else plain).append(obj)
    if not tagged:
        return plain
    best = min(tagged, key=lambda lit: _lang_rank(lit.language))
    chosen = [lit for lit in tagged if lit.language == best.language]
    if _lang_rank(best.language) <= 1:  # English: show it, and any untagged text too
        return chosen + plain
    return plain or chosen  # untagged text beats another language


def pick_text(objects: Iterable) -> tuple[str, str]:
    """The one text to show for a name-like property: (text, language tag).

    English first, then text without a language tag, then the first other language (the
    first of :func:`pick_literals` in that order).
    """
    best, best_rank = None, 4
    literal = pyoxigraph.Literal
    for obj in objects:
        if type(obj) is literal:
            rank = _lang_rank(obj.language or "")
            if rank < best_rank:
                best, best_rank = obj, rank
                if rank == 0:
                    break
    if best is None:
        return "", ""
    return best.value, best.language or ""


def first_text(props: dict[str, list], names: Iterable[str]) -> tuple[str, str]:
    """The first text among several name-like properties of one node: (text, language tag) of
    :func:`pick_text` of the first of ``names`` that has one. ``props``: the node's property ->
    objects (``_Graph.props[key]``). Pages, the schema.org block and look-ups all pick this way."""
    for name in names:
        values = props.get(name)
        if values:
            text, lang = pick_text(values)
            if text:
                return text, lang
    return "", ""


def _page_lang(lang: str) -> str:
    """A lang attribute only when the text is not English (the page is lang=en)."""
    if not lang or lang.lower() == "en" or lang.lower().startswith("en-"):
        return ""
    return lang if re.fullmatch(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*", lang) else ""


def _anchor_id(prefix: str, ident: str, fallback: int) -> str:
    if ident and re.fullmatch(r"[A-Za-z0-9_-]{1,100}", ident):
        return f"{prefix}-{ident}"
    return f"{prefix}-{fallback}"


# --------------------------------------------------------------------------
# Building the view model of one resource
# --------------------------------------------------------------------------


class _ResourceBuilder:
    def __init__(self, renderer: PageRenderer, graph: _Graph, main: str,
                 lookup: Callable[[str], ResourceSummary | None]):
        self.r = renderer
        self.vocab: Vocabulary = renderer.vocab
        self.g = graph
        self.main = main
        self._lookup = lookup
        self._cache: dict[str, ResourceSummary | None] = {}
        self.budget = MAX_VALUES
        self.tree_anchor: dict[str, tuple[str, str]] = {}  # member key -> (anchor, text)
        self.rendered: set[str] = {main}  # named nodes shown somewhere
        self.main_name = main
        self.canonical = ""
        self.ctid = ""
        self.glossary: dict[str, tuple[str, str]] = {}  # term IRI -> (label, definition)
        self.member_keys: dict[str, str] = {}  # member CTID -> graph key (tree items)
        self._props = renderer._prop_info
        self._concepts = renderer._concepts
        self._types_of = renderer._types_of

    def term(self, iri: str) -> None:
        """Note a vocabulary term shown on the page, for the glossary."""
        if iri not in self.glossary and len(self.glossary) < MAX_GLOSSARY:
            _, label, definition = self.prop_info(iri)
            if definition:
                self.glossary[iri] = (label, definition)

    def prop_info(self, iri: str) -> tuple[str, str, str]:
        """(label in lower case, label, definition) of a vocabulary term, from the renderer's cache
        (the same few hundred properties and classes on page after page)."""
        info = self._props.get(iri)
        if info is None:
            label = self.vocab.label(iri)
            info = (label.lower(), label, self.vocab.definition(iri))
            if len(self._props) < 100_000:
                self._props[iri] = info
        return info

    # -- look-ups --------------------------------------------------------

    def lookup(self, iri: str) -> ResourceSummary | None:
        if iri not in self._cache:
            self._cache[iri] = self._lookup(iri)
        return self._cache[iri]

    def type_of(self, key: str) -> str:
        """The node's most specific CTDL class (or its first type when none is known)."""
        types = self.g.types(key)
        if len(types) == 1:  # most nodes: cached by the renderer
            found = self._types_of.get(types[0])
            if found is None:
                found = self._type_of(types)
                if len(self._types_of) < 100_000:
                    self._types_of[types[0]] = found
            return found
        return self._type_of(types)

    def _type_of(self, types: list[str]) -> str:
        known = [iri for iri in types if (term := self.vocab.get(iri)) is not None and term.kind == "class"]
        if len(known) > 1:
            supers = {sup for iri in known for sup in self.vocab.superclasses(iri)}
            known = [iri for iri in known if iri not in supers] or known
        if known:
            return known[0]
        return types[0] if types else ""

    # -- values ----------------------------------------------------------

    def literal_value(self, lit: pyoxigraph.Literal, prop: str) -> Value:
        text = lit.value
        datatype = lit.datatype.value if lit.datatype is not None else ""
        if datatype == XSD + "boolean":
            return Value("text", text="Yes" if text.strip() in ("true", "1") else "No")
        if datatype == XSD + "anyURI" and is_http(text):
            return Value("link", text=text, href=text, external=True)
        if datatype in (XSD + "duration", SCHEMA + "Duration") or prop.endswith("Duration"):
            human = humanize_duration(text)
            if human:
                return Value("text", text=human, detail=text)
        if datatype in (XSD + "double", XSD + "float"):
            return Value("text", text=format_number(text))
        return Value("text", text=text, lang=_page_lang(lit.language or ""))

    def iri_value(self, iri: str) -> Value:
        """An IRI the graph says nothing about: a concept, a registry page, or a link."""
        concept = self._concepts.get(iri)  # a vocabulary term: the same Value on every page (never changed)
        if concept is not None:
            return concept
        term = self.vocab.get(iri)
        if term is not None:
            concept = Value("concept", text=self.vocab.label(iri), title=term.definition or compact(iri),
                            detail=term.definition)
            if len(self._concepts) < 100_000:
                self._concepts[iri] = concept
            return concept
        if iri == self.main:
            return Value("internal", text=self.main_name, href=self.canonical)
        if iri.startswith(VOCAB_NAMESPACES):  # a concept this copy of the vocabularies does not have
            return Value("concept", text=humanize_local(iri), title=iri)
        summary = self.lookup(iri)
        if summary is not None:
            return Value("internal", text=summary.name or summary.ctid,
                         href=self.r.summary_href(summary),
                         title=self.vocab.label(summary.type) if summary.type else "")
        if is_http(iri):
            return Value("link", text=iri, href=iri, external=True)
        return Value("text", text=iri)

    def alignment_value(self, key: str) -> Value:
        name, lang = pick_text(self.g.get(key, TARGET_NODE_NAME))
        code = self.first_text(key, CODED_NOTATION)[0]
        framework = pick_text(self.g.get(key, FRAMEWORK_NAME))[0]
        href, title, external = "", "", False
        concept: Value | None = None
        for target in self.g.get(key, TARGET_NODE):
            if not isinstance(target, pyoxigraph.NamedNode):
                if isinstance(target, pyoxigraph.Literal) and is_http(target.value):
                    href, external = target.value, True
                continue
            target_view = self.iri_value(target.value)
            if target_view.kind == "concept":
                concept = target_view
            if not name and target_view.kind in ("concept", "internal"):
                name = target_view.text
            if target_view.kind in ("internal", "link"):
                href, external = target_view.href, target_view.kind == "link"
            title = title or compact(target.value)
            break
        if concept and (not name or name == concept.text) and not code:
            return concept  # a CTDL concept: the row's label already says which scheme
        if not name:
            name = title or code or "(unnamed)"
            if name == code:
                code = ""
        return Value("alignment", text=name, lang=_page_lang(lang), code=code, href=href,
                     title=title, extra=framework, external=external)

    def object_values(self, prop: str, objects: list, path: tuple[str, ...], depth: int) -> list[Value]:
        out: list[Value] = []
        literals = set(pick_literals(objects)) if len(objects) > 1 else None  # one value is always shown
        literal, named, blank = pyoxigraph.Literal, pyoxigraph.NamedNode, pyoxigraph.BlankNode
        for obj in objects:
            if self.budget <= 0:
                out.append(Value("note", text="Further values omitted."))
                break
            self.budget -= 1
            t = type(obj)
            if t is literal:
                if literals is None or obj in literals:
                    out.append(self.literal_value(obj, prop))
                continue
            if t is named:
                key = obj.value
            elif t is blank:
                key = "_:" + obj.value
            else:
                out.append(Value("text", text=str(obj)))
                continue
            if key in self.tree_anchor:
                anchor, text = self.tree_anchor[key]
                out.append(Value("anchor", text=text, href="#" + anchor))
            elif key == self.main:
                out.append(Value("internal", text=self.main_name, href=self.canonical))
            elif key in self.g:
                out.append(self.nested_value(key, path, depth))
            elif isinstance(obj, pyoxigraph.NamedNode):
                out.append(self.iri_value(obj.value))
            else:
                out.append(Value("note", text="(empty)"))
        return out

    def nested_value(self, key: str, path: tuple[str, ...], depth: int) -> Value:
        if key in path:
            return Value("note", text="(circular reference)")
        type_iri = self.type_of(key)
        if type_iri == ALIGNMENT or TARGET_NODE in self.g.props.get(key, {}):
            return self.alignment_value(key)
        if depth > MAX_NESTING:
            return Value("note", text="(nested too deeply to show)")
        iri_view = None
        if not key.startswith("_:"):
            self.rendered.add(key)
            iri_view = self.iri_value(key)
        node = NodeView(
            type_label=self.vocab.label(type_iri) if type_iri else "",
            type_iri=type_iri,
            rows=[],
            depth=depth,
            iri=iri_view,
            type_definition=self.vocab.definition(type_iri) if type_iri else "",
        )
        if type_iri:
            self.term(type_iri)
        form = self.FORMS.get(type_iri, _ResourceBuilder.form_titled)
        used = form(self, key, node, path + (key,), depth)
        node.rows = self.rows(key, path + (key,), depth, skip=used)
        return Value("node", node=node)

    # -- nested profiles in words ------------------------------------------

    def first_text(self, key: str, props: Iterable[str]) -> tuple[str, str]:
        return self.g.first_text(key, props)

    def line(self, node: NodeView, key: str, prop: str, label: str, path: tuple[str, ...], depth: int) -> bool:
        """Add the values of ``prop`` as a line of ``node``; True when the property was there."""
        objects = self.g.get(key, prop)
        if not objects:
            return False
        values = self.object_values(prop, objects, path, depth + 1)
        if values:
            node.lines.append(Line(label, self.vocab.definition(prop), values))
            self.term(prop)
        return True

    def concept_label(self, obj) -> str:
        """The label of a concept given as an IRI, an alignment, or text."""
        if isinstance(obj, pyoxigraph.Literal):
            return obj.value
        key = _key(obj)
        if key in self.g:
            return self.alignment_value(key).text if TARGET_NODE in self.g.props.get(key, {}) else ""
        return self.iri_value(obj.value).text if isinstance(obj, pyoxigraph.NamedNode) else ""

    def form_titled(self, key: str, node: NodeView, path: tuple[str, ...], depth: int) -> set[str]:
        """Any node: its name as a title, its description as text, then its properties."""
        node.title, lang = self.first_text(key, NAME_PROPERTIES)
        node.title_lang = _page_lang(lang)
        node.text, lang = self.first_text(key, DESCRIPTION_PROPERTIES)
        node.text_lang = _page_lang(lang)
        return set(NAME_PROPERTIES) | set(DESCRIPTION_PROPERTIES)

    def form_condition(self, key: str, node: NodeView, path: tuple[str, ...], depth: int) -> set[str]:
        """"Admission requirements. Applicants need …; Complete <program>; Pass <exam>; Competencies: …"."""
        node.form = "condition"
        used = self.form_titled(key, node, path, depth)
        for prop, label in CONDITION_LINES:
            if self.line(node, key, prop, label, path, depth):
                used.add(prop)
        return used

    def form_cost(self, key: str, node: NodeView, path: tuple[str, ...], depth: int) -> set[str]:
        """"Tuition: $4,500 USD (per year)", then the description and a link to the details."""
        node.form = "cost"
        g = self.g
        used = set(NAME_PROPERTIES) | set(DESCRIPTION_PROPERTIES) | {CETERMS + "paymentPattern"}
        kinds = [k for k in (self.concept_label(o) for o in g.get(key, CETERMS + "directCostType")) if k]
        name, lang = self.first_text(key, NAME_PROPERTIES)
        kind_text = " & ".join(kinds)
        if not name or name.lower() == kind_text.lower():
            used.add(CETERMS + "directCostType")
        title = name or kind_text or "Cost"
        price = pick_text(g.get(key, CETERMS + "price"))[0]
        currency = pick_text(g.get(key, CETERMS + "currency"))[0]
        if price:
            title += ": " + format_price(price, currency)
            used |= {CETERMS + "price", CETERMS + "currency"}
        pattern = pick_text(g.get(key, CETERMS + "paymentPattern"))[0]
        if pattern:
            title += f" ({pattern})"
        node.title, node.title_lang = title, _page_lang(lang if name else "")
        node.text, lang = self.first_text(key, DESCRIPTION_PROPERTIES)
        node.text_lang = _page_lang(lang)
        if self.line(node, key, CETERMS + "costDetails", "Details", path, depth):
            used.add(CETERMS + "costDetails")
        return used

    def duration_phrase(self, key: str) -> str:
        def text(prop: str) -> str:
            raw = pick_text(self.g.get(key, CETERMS + prop))[0]
            return humanize_duration(raw) or raw

        exact, low, high, engaged = (text(p) for p in ("exactDuration", "minimumDuration", "maximumDuration",
                                                         "timeRequired"))
        if exact:
            phrase = exact
        elif low and high:
            phrase = f"{low} to {high}"
        elif low or high:
            phrase = f"at least {low}" if low else f"up to {high}"
        else:
            phrase = ""
        if engaged:
            phrase = f"{phrase} ({engaged} of engaged time)" if phrase else f"{engaged} of engaged time"
        return phrase

    def form_duration(self, key: str, node: NodeView, path: tuple[str, ...], depth: int) -> set[str]:
        """"4 years", "6 to 9 months", "up to 2 years"; then the description."""
        node.form = "duration"
        node.title = self.duration_phrase(key)
        node.text, lang = self.first_text(key, DESCRIPTION_PROPERTIES)
        node.text_lang = _page_lang(lang)
        used = set(DESCRIPTION_PROPERTIES)
        if node.title:
            used |= {CETERMS + p for p in ("exactDuration", "minimumDuration", "maximumDuration", "timeRequired")}
        return used

    def form_place(self, key: str, node: NodeView, path: tuple[str, ...], depth: int) -> set[str]:
        """A place as an address block: name, street, city, region and postal code, country; contacts."""
        node.form = "place"
        used = self.form_titled(key, node, path, depth) | set(ADDRESS_PROPERTIES)
        street, box, city, region, postal, country = (pick_text(self.g.get(key, p))[0] for p in ADDRESS_PROPERTIES)
        city_line = ", ".join(x for x in (city, " ".join(x for x in (region, postal) if x)) if x)
        node.address = [x for x in (street, f"PO Box {box}" if box else "", city_line, country) if x]
        lat = pick_text(self.g.get(key, CETERMS + "latitude"))[0]
        lon = pick_text(self.g.get(key, CETERMS + "longitude"))[0]
        if lat and lon:
            node.lines.append(Line("Coordinates", self.vocab.definition(CETERMS + "latitude"),
                                   [Value("text", text=f"{format_number(lat)}, {format_number(lon)}")]))
            used |= {CETERMS + "latitude", CETERMS + "longitude"}
        if self.line(node, key, CETERMS + "targetContactPoint", "Contact", path, depth):
            used.add(CETERMS + "targetContactPoint")
        return used

    def form_contact(self, key: str, node: NodeView, path: tuple[str, ...], depth: int) -> set[str]:
        """A contact point: its kind ("Admissions") as the title, then telephone, email…"""
        node.form = "contact"
        used = self.form_titled(key, node, path, depth)
        kind, lang = pick_text(self.g.get(key, CETERMS + "contactType"))
        if kind:
            node.title, node.title_lang = kind, _page_lang(lang)
            used.add(CETERMS + "contactType")
        return used

    def form_value(self, key: str, node: NodeView, path: tuple[str, ...], depth: int) -> set[str]:
        """A credit value: "3 Semester Hours", "2–4 Continuing Education Units"."""
        node.form = "value"
        used = self.form_titled(key, node, path, depth)
        value, low, high = (pick_text(self.g.get(key, SCHEMA + p))[0] for p in ("value", "minValue", "maxValue"))
        amount = value or (f"{low}–{high}" if low and high else low or high)
        if not amount:
            return used
        units = [u for u in (self.concept_label(o) for o in self.g.get(key, CETERMS + "creditUnitType")) if u]
        unit = units[0] if len(units) == 1 else ""
        node.title = " ".join(x for x in (amount, _plural(unit, amount)) if x)
        used |= {SCHEMA + "value", SCHEMA + "minValue", SCHEMA + "maxValue"}
        if unit:
            used.add(CETERMS + "creditUnitType")
        return used

    def form_jurisdiction(self, key: str, node: NodeView, path: tuple[str, ...], depth: int) -> set[str]:
        """"Applies in: United States" (linked to its GeoNames page), or "Worldwide"; then exceptions."""
        node.form = "jurisdiction"
        used = self.form_titled(key, node, path, depth)
        places: list[Value] = []
        mains = self.g.get(key, CETERMS + "mainJurisdiction")
        for obj in mains:
            place = _key(obj)
            props = self.g.props.get(place, {})
            name = pick_text(props.get(CETERMS + "name", ()))[0]
            if not name or not set(props) <= {RDF_TYPE, CETERMS + "name", CETERMS + "geoURI", CETERMS + "latitude",
                                               CETERMS + "longitude"}:
                break
            uri = next((o.value for o in props.get(CETERMS + "geoURI", ()) if is_http(o.value)), "")
            places.append(Value("link", text=name, href=uri, external=True) if uri else Value("text", text=name))
        else:
            if mains:
                used.add(CETERMS + "mainJurisdiction")
        if len(places) != len(mains):
            places = []
        worldwide = any(isinstance(o, pyoxigraph.Literal) and o.value in ("true", "1")
                        for o in self.g.get(key, CETERMS + "globalJurisdiction"))
        if worldwide:
            places.insert(0, Value("text", text="Worldwide"))
        if worldwide or places:
            used.add(CETERMS + "globalJurisdiction")
        if places:
            node.lines.append(Line("Applies in", self.vocab.definition(CETERMS + "mainJurisdiction"), places))
            self.term(CETERMS + "mainJurisdiction")
        if self.line(node, key, CETERMS + "jurisdictionException", "Except", path, depth):
            used.add(CETERMS + "jurisdictionException")
        return used

    FORMS: ClassVar[dict[str, Callable]] = {}

    def rows(self, key: str, path: tuple[str, ...], depth: int, skip: Iterable[str],
             first: tuple[str, ...] = NESTED_FIRST) -> list[Row]:
        props = self.g.props.get(key, _NO_PROPS)
        names = [p for p in props if p not in skip and p != RDF_TYPE]
        if len(names) > 1:
            order = _first_order(first)
            info = self.prop_info
            last = len(order)
            names.sort(key=lambda p: (order.get(p, last), info(p)[0], p))
        out = []
        for prop in names:
            values = self.object_values(prop, props[prop], path, depth + 1)
            if values:
                _, label, definition = self.prop_info(prop)
                out.append(Row(prop, label, definition, values))
                self.term(prop)
        return out

    # -- member trees ----------------------------------------------------

    def trees(self) -> list[Tree]:
        out = []
        for spec in TREES:
            tree = self.tree(spec)
            if tree is not None:
                out.append(tree)
        return out

    def tree(self, spec: _TreeSpec) -> Tree | None:
        members = [k for k in self.g.props if k != self.main and spec.member_type in self.g.types(k)]
        top_refs = [o for p in spec.top for o in self.g.get(self.main, p)]
        if not members and not top_refs:
            return None
        member_set = set(members)
        item_lang: dict[str, str] = {}
        # Anchors first, so references from anywhere on the page can link to items.
        for i, key in enumerate(members, 1):
            ctid = next((pick_text(self.g.get(key, p))[0] for p in CTID_PROPERTIES if self.g.get(key, p)), "")
            text, lang = self.item_text(spec, key)
            self.tree_anchor[key] = (_anchor_id("item", ctid, i), text)
            item_lang[key] = lang
            if ctid:
                self.member_keys.setdefault(ctid, key)

        children_of: dict[str, list[str]] = {}
        for key in members:
            kids = [_key(o) for p in spec.child for o in self.g.get(key, p)]
            children_of[key] = kids
        for key in members:
            for parent in (_key(o) for p in spec.parent for o in self.g.get(key, p)):
                if parent in member_set and key not in children_of[parent]:
                    children_of[parent].append(key)

        top = [_key(o) for o in top_refs]
        for key in members:
            for p in spec.top_inverse:
                if any(_key(o) == self.main for o in self.g.get(key, p)) and key not in top:
                    top.append(key)

        shown: set[str] = set()
        state = {"count": 0}

        def build(key: str, depth: int, path: frozenset) -> TreeItem:
            state["count"] += 1
            if key not in member_set:
                view = self.iri_value(key) if not key.startswith("_:") else Value("text", text="(unnamed)")
                return TreeItem(anchor="", text=view.text, note="not described here")
            anchor, text = self.tree_anchor[key]
            lang = item_lang[key]
            code = next((pick_text(self.g.get(key, p))[0] for p in CODED_NOTATION if self.g.get(key, p)), "")
            if key in shown:
                return TreeItem(anchor=anchor, text=text, lang=_page_lang(lang), code=code, repeat=True)
            shown.add(key)
            label = next((pick_text(self.g.get(key, p))[0] for p in spec.label if self.g.get(key, p)), "")
            item = TreeItem(anchor=anchor, text=text, lang=_page_lang(lang), code=code,
                            label=label if label != text else "")
            kids = self.sorted_members(children_of.get(key, []))
            if depth >= MAX_TREE_DEPTH and kids:
                item.note = "deeper levels not shown"
                return item
            for kid in kids:
                if kid in path:
                    continue
                if state["count"] >= MAX_TREE_ITEMS:
                    item.note = "further items not shown"
                    break
                item.children.append(build(kid, depth + 1, path | {key}))
            return item

        items = []
        for key in self.sorted_members(top):
            if state["count"] >= MAX_TREE_ITEMS:
                break
            items.append(build(key, 1, frozenset()))
        # Members nothing links into the hierarchy: list them at top level.
        has_parent = {kid for kids in children_of.values() for kid in kids}
        for key in members:
            if key not in shown and key not in has_parent and state["count"] < MAX_TREE_ITEMS:
                items.append(build(key, 1, frozenset()))
        for key in members:  # whatever is left (only reachable through cycles)
            if key not in shown and state["count"] < MAX_TREE_ITEMS:
                items.append(build(key, 1, frozenset()))
        self.rendered.update(members)
        return Tree(heading=spec.heading, items=items, count=len(members))

    def item_text(self, spec: _TreeSpec, key: str) -> tuple[str, str]:
        for prop in spec.text:
            text, lang = pick_text(self.g.get(key, prop))
            if text:
                return text, lang
        return (key if not key.startswith("_:") else "(no text)"), ""

    def sorted_members(self, keys: list[str]) -> list[str]:
        """Siblings in the order of their ceasn:listID when every one has one, else of their
        coded notation ("1.2" before "1.10") when every one has one, else in graph order
        (a store does not keep the order of the document)."""
        if len(keys) < 2:
            return keys
        for props in ((CEASN + "listID",), CODED_NOTATION):
            ids = [next((pick_text(self.g.get(k, p))[0] for p in props if self.g.get(k, p)), "") for k in keys]
            if all(ids):
                return [k for _, _, k in sorted((_natural(i), n, k) for n, (i, k) in enumerate(zip(ids, keys)))]
        return keys

    # -- inverse links ---------------------------------------------------

    def connections(self, links: Iterable[InverseLink]) -> list[Relation]:
        """Group the resources that refer to this one by relation, then by type.

        A resource related in several ways is listed once, under the relations together
        ("Owns and offers"): an organization's own programs are usually both.
        """
        sources: dict[str, tuple[ResourceSummary, dict[str, str], list[Value]]] = {}
        for link in links:
            name, definition = relation_name(self.vocab, link.property, link.via)
            source = link.source
            entry = sources.get(source.ctid)
            if entry is None:
                entry = sources[source.ctid] = (source, {}, [])
            entry[1].setdefault(name, definition)
            if link.member:
                member = self.member_value(link.member)
                if member is not None and member not in entry[2]:
                    entry[2].append(member)
        relations: dict[tuple[str, ...], list] = {}
        for summary, names, members in sources.values():
            key = tuple(sorted(names, key=lambda n: (RELATION_ORDER.get(n, len(RELATION_ORDER)), n.lower())))
            definitions = [f"{n}: {names[n]}" if len(key) > 1 else names[n] for n in key if names[n]]
            relations.setdefault(key, [" ".join(definitions), []])[1].append((summary, members))
        order = lambda key: ([RELATION_ORDER.get(n, len(RELATION_ORDER)) for n in key], key)  # noqa: E731
        out: list[Relation] = []
        anchors: set[str] = set()
        for key in sorted(relations, key=order):
            definition, entries = relations[key]
            entries.sort(key=lambda e: ((e[0].name or e[0].ctid).lower(), e[0].ctid))
            by_type: dict[str, list[LinkItem]] = {}
            for summary, members in entries[:MAX_RELATION_ITEMS]:
                members.sort(key=lambda v: _natural(v.text))
                owner = summary.owner_name if summary.owner_name and summary.owner_ctid != self.ctid else ""
                by_type.setdefault(summary.type, []).append(
                    LinkItem(summary.name or summary.ctid, self.r.summary_href(summary), members, owner))
            groups = [TypeGroup(self.vocab.label(t) if t else "Other", self.vocab.definition(t) if t else "", items)
                      for t, items in sorted(by_type.items(), key=lambda kv: (self.r.type_rank(kv[0]),
                                                                              self.vocab.label(kv[0]).lower()))]
            label = _join_relations(key)
            anchor = _anchor_id("rel", re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-").lower(), len(out) + 1)
            if anchor in anchors:
                anchor = f"{anchor}-{len(out) + 1}"
            anchors.add(anchor)
            out.append(Relation(label, definition, len(entries), groups,
                                omitted=max(0, len(entries) - MAX_RELATION_ITEMS), anchor=anchor))
        return out

    def member_value(self, ctid: str) -> Value | None:
        """A member of this page (a competency in the tree) as a link to its item."""
        key = self.member_keys.get(ctid)
        if key is None or key not in self.tree_anchor:
            return None
        anchor, text = self.tree_anchor[key]
        code = next((pick_text(self.g.get(key, p))[0] for p in CODED_NOTATION if self.g.get(key, p)), "")
        short = text if len(text) <= 60 else text[:59].rstrip() + "…"
        return Value("anchor", text=code or short, href="#" + anchor, title=text)


_ResourceBuilder.FORMS = {
    CONDITION: _ResourceBuilder.form_condition,
    COST: _ResourceBuilder.form_cost,
    DURATION: _ResourceBuilder.form_duration,
    PLACE: _ResourceBuilder.form_place,
    GEO: _ResourceBuilder.form_place,
    CONTACT: _ResourceBuilder.form_contact,
    VALUE_PROFILE: _ResourceBuilder.form_value,
    JURISDICTION: _ResourceBuilder.form_jurisdiction,
}


# --------------------------------------------------------------------------
# The renderer
# --------------------------------------------------------------------------


class PageRenderer:
    """Renders the registry's HTML pages. One instance can be shared; it keeps no per-page state."""

    def __init__(self, base_url: str = "", site_name: str = "CTDL Registry"):
        self.base_url = base_url.rstrip("/")
        self.site_name = site_name
        self.vocab = vocabulary()
        self._type_ranks: dict[str, int] = {}
        self.static_type_lists = False  # see type_list_href
        self._layouts: dict[tuple[str, str], list[str]] = {}  # see _layout
        self._index_types_cache: dict[tuple, Markup] = {}  # see _index_types
        # Caches over the vocabulary, shared by the pages (_ResourceBuilder): term IRI -> (label in
        # lower case, label, definition); concept IRI -> its Value; a node's one type -> its class.
        self._prop_info: dict[str, tuple[str, str, str]] = {}
        self._concepts: dict[str, Value] = {}
        self._types_of: dict[str, str] = {}
        self._glossary: dict[str, tuple[tuple[str, str], GlossaryTerm]] = {}  # see _glossary_term
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # templates are read once per process (no stat() per page)
        )
        self.env.globals.update(
            site_name=self.site_name,
            base_url=self.base_url,
            url=self.url,
        )
        self.env.filters["timestamp"] = format_timestamp
        self.env.filters["datetime"] = datetime_attr

    def _glossary_term(self, item: tuple[str, tuple[str, str]]) -> tuple[tuple[str, str], GlossaryTerm]:
        """(sort key, term) of a glossary entry, ``(IRI, (label, definition))``; kept per IRI (the
        same few hundred terms on page after page)."""
        iri, (label, definition) = item
        found = self._glossary.get(iri)
        if found is None or found[1].label != label or found[1].definition != definition:
            term = GlossaryTerm(label, compact(iri), definition)
            found = ((label.lower(), term.compact), term)
            if len(self._glossary) < 100_000:
                self._glossary[iri] = found
        return found

    # -- URLs ------------------------------------------------------------

    def url(self, path: str) -> str:
        """A site path (``/resources``) under base_url."""
        return self.base_url + path

    def resource_href(self, ctid: str, suffix: str = "") -> str:
        return self.base_url + "/resources/" + (ctid if _URL_SAFE.fullmatch(ctid) else quote(ctid, safe="")) + suffix

    def type_href(self, type_iri: str, path: str = "") -> str:
        return path + "?type=" + quote(local_name(type_iri), safe="")

    def type_list_href(self, type_iri: str) -> str:
        """The list of a type: ``/resources?type=X``, or ``/resources/types/X/`` when
        ``static_type_lists`` is set (a static build: a static host ignores query strings)."""
        if self.static_type_lists:
            return self.url("/resources/types/" + quote(local_name(type_iri), safe="") + "/")
        return self.url("/resources") + self.type_href(type_iri)

    def type_rank(self, type_iri: str) -> int:
        """Where resources of this type come in lists of inverse links (see TYPE_RANKS)."""
        rank = self._type_ranks.get(type_iri)
        if rank is None:
            rank = next((i for i, cls in enumerate(TYPE_RANKS) if type_iri and self.vocab.is_a(type_iri, cls)),
                        len(TYPE_RANKS))
            self._type_ranks[type_iri] = rank
        return rank

    def summary_href(self, summary: ResourceSummary) -> str:
        """The page of a resource; a member of a framework is an item of the framework's page."""
        if summary.part_of:
            return self.resource_href(summary.part_of) + "#" + member_anchor(summary.ctid)
        return self.resource_href(summary.ctid)

    # -- pages -----------------------------------------------------------

    def _render(self, template: str, **context) -> str:
        return self.env.get_template(template).render(**context)

    def resource_page(self, ctid: str, triples: "list[pyoxigraph.Triple] | _Graph", *, main_iri: str,
                      lookup: Callable[[str], ResourceSummary | None], updated: str = "",
                      jsonld: str, inverse: Iterable[InverseLink] = (), inverse_omitted: int = 0,
                      schema_org: bool = True) -> str:
        """The page of one resource.

        ``lookup(iri)`` finds the registry resources it links to; ``jsonld`` is its CTDL JSON-LD.
        ``inverse``: the resources whose graphs refer to it or to its members (from the links
        index); ``inverse_omitted``: how many more there are that were not looked up.
        ``schema_org``: add the schema.org description (:mod:`registry.schemaorg`).
        """
        graph = triples if isinstance(triples, _Graph) else _Graph(triples)
        builder = _ResourceBuilder(self, graph, main_iri, lookup)
        vocab = self.vocab

        name, name_lang = builder.first_text(main_iri, NAME_PROPERTIES)
        description, description_lang = builder.first_text(main_iri, DESCRIPTION_PROPERTIES)
        name = name or ctid or main_iri
        canonical = self.resource_href(ctid)
        builder.main_name = name
        builder.canonical = canonical
        builder.ctid = ctid

        type_iri = builder.type_of(main_iri)
        if type_iri:
            builder.term(type_iri)
        trees = builder.trees()
        tree_props = {p for spec in TREES for p in spec.top}

        overview = []
        for prop in OVERVIEW_PROPERTIES:
            objects = graph.get(main_iri, prop)
            if objects:
                values = builder.object_values(prop, objects, (main_iri,), 1)
                overview.append(Row(prop, vocab.label(prop), vocab.definition(prop), values))
                builder.term(prop)

        hidden = set(NAME_PROPERTIES) | set(DESCRIPTION_PROPERTIES) | set(CTID_PROPERTIES) \
            | set(OVERVIEW_PROPERTIES) | tree_props
        details = builder.rows(main_iri, (main_iri,), 0, skip=hidden, first=())

        # Named nodes of the graph shown nowhere else (other members).
        others = []
        for key in graph.props:
            if key.startswith("_:") or key in builder.rendered:
                continue
            value = builder.nested_value(key, (), 1)
            if value.node is not None:
                others.append(value.node)

        connections = builder.connections(inverse)
        type_label = vocab.label(type_iri) if type_iri else "Resource"

        schema_json = ""
        if schema_org:
            from .schemaorg import describe

            schema = describe(graph, main_iri, ctid=ctid, url=canonical, type_iri=type_iri,
                              lookup=builder.lookup, resource_url=self.summary_href,
                              member_url=lambda key: (canonical + "#" + builder.tree_anchor[key][0]
                                                      if key in builder.tree_anchor else ""),
                              vocab=vocab)
            schema_json = compact_json(schema)

        meta_description = " ".join(description.split())[:160] or f"{type_label} in the {self.site_name}"
        glossary = [term for _, term in sorted(map(self._glossary_term, builder.glossary.items()),
                                               key=_first)]
        alternates = [
            ("Turtle", "text/turtle", self.resource_href(ctid, ".ttl")),
            ("JSON-LD", "application/ld+json", self.resource_href(ctid, ".jsonld")),
            ("N-Triples", "application/n-triples", self.resource_href(ctid, ".nt")),
        ]
        context = dict(
            site_name=self.site_name,
            name=name,
            name_lang=_page_lang(name_lang),
            ctid=ctid,
            main_iri=main_iri,
            main_iri_is_http=is_http(main_iri),
            type_label=type_label,
            type_definition=vocab.definition(type_iri) if type_iri else "",
            type_href=self.type_list_href(type_iri) if type_iri else "",
            description=description,
            description_lang=_page_lang(description_lang),
            meta_description=meta_description,
            og_url=canonical if is_http(canonical) else "",
            overview=overview,
            details=details,
            trees=trees,
            others=others,
            connections=connections,
            connections_omitted=inverse_omitted,
            glossary=glossary,
            updated=updated,
            canonical=canonical,
            alternates=alternates,
            jsonld=safe_json_for_script(jsonld),
            schema_jsonld=safe_json_for_script(schema_json) if schema_json else "",
            sparql_href=self.url("/sparql"),
        )
        return self._layout("layout.html", title=name, head=resource_head_html(context),
                            main=resource_main_html(context), current="resources")

    _SLOT: ClassVar[re.Pattern] = re.compile("\x00(title|head|main)\x00")

    def _layout(self, template: str, *, title: str, head: str, main: str, current: str) -> str:
        """``template`` (which fills base.html's head and main blocks with ``head`` and ``main``)
        for one page. The layout is rendered once per template with markers in place of the title,
        head and main, and then only filled in (the title escaped, as autoescape does); if the
        markers do not come through unchanged, every page is rendered by Jinja instead."""
        key = (template, current)
        parts = self._layouts.get(key)
        if parts is None:
            html = self._render(template, title="\x00title\x00", head=Markup("\x00head\x00"),
                                main=Markup("\x00main\x00"), current=current)
            parts = self._SLOT.split(html)
            if any("\x00" in p for p in parts[::2]) or sorted(parts[1::2]) != ["head", "main", "title"]:
                parts = []  # the layout transforms them: no shortcut
            self._layouts[key] = parts
        if not parts:
            return self._render(template, title=title, head=Markup(head), main=Markup(main), current=current)
        values = {"title": _esc(title), "head": head, "main": main}
        return "".join(p if i % 2 == 0 else values[p] for i, p in enumerate(parts))

    def index_page(self, resources: list[ResourceSummary | str], *, title: str = "All resources",
                   page: int = 1, pages: int = 1, counts_by_type: dict[str, int] | None = None,
                   type_filter: str | None = None, page_href: Callable[[int], str] | None = None) -> str:
        """A list of resources.

        ``resources``: summaries, or rows already written (:meth:`summary_row_html`, which a full
        build's render workers make once per resource for every list it is in).
        Optional extras: ``type_filter`` (a class local name, e.g. ``BachelorDegree``) is kept in
        the pagination links and marks the current type; ``page_href(n)`` replaces the default
        ``?page=n`` links (e.g. ``page-2.html`` for a static build).
        """
        pages = max(1, int(pages))
        page = min(max(1, int(page)), pages)
        rows = Markup("".join(s if type(s) is str else self.summary_row_html(s) for s in resources))  # type: ignore
        # Only the first page of the list of everything shows how many there are of each type: a
        # static site rewrites it on every creation or deletion, and need not rewrite any other page
        # for that (the other pages list the types by name; docs/site.md).
        show_counts = page == 1 and not type_filter
        main = self._render(
            "index_main.html",
            title=title,
            rows=rows,
            pager=self._pager(page, pages, type_filter, page_href),
            types=self._index_types(counts_by_type or {}, type_filter or "", show_counts),
            type_filter=type_filter or "",
            all_href=self.url("/resources"),
        )
        head = f'<meta name="description" content="{_esc(title)} &ndash; {_esc(self.site_name)}">\n'
        return self._layout("layout.html", title=title, head=head, main=main, current="resources")

    def _index_types(self, counts_by_type: dict[str, int], type_filter: str, show_counts: bool) -> Markup:
        """The types beside a list (``_index_types.html``), made once for each set of counts and kept:
        every page of a list shows the same (a full build writes some 20,000 list pages)."""
        key = (tuple(counts_by_type.items()), type_filter, show_counts, self.static_type_lists, self.base_url)
        html = self._index_types_cache.get(key)
        if html is None:
            counts = self._type_counts(counts_by_type, path="", by_count=show_counts)
            html = Markup(self._render("_index_types.html", counts=counts, show_counts=show_counts,
                                       total=sum(c.count for c in counts), type_filter=type_filter))
            if len(self._index_types_cache) > 1000:
                self._index_types_cache.clear()
            self._index_types_cache[key] = html
        return html

    def home_page(self, counts_by_type: dict[str, int], recent: list[ResourceSummary]) -> str:
        counts = self._type_counts(counts_by_type or {}, path=self.url("/resources"))
        return self._render(
            "home.html",
            title=self.site_name,
            counts=counts,
            total=sum(c.count for c in counts),
            recent=[self._summary_row(s) for s in recent],
            current="home",
        )

    def sparql_page(self, *, endpoint: str, timeout: float, query: str = "",
                    examples: list[dict] | None = None) -> str:
        """The query editor at /sparql (examples: dicts with ``title`` and ``query``).

        The page opens YASGUI (``site/static/yasgui``, driven by ``site/static/sparql-editor.js``)
        on ``endpoint``; its settings travel in a ``<script type="application/json">`` block: the
        endpoint, the default query, the examples, the registry's prefixes and the CTDL classes
        and properties (local autocompletion instead of YASGUI's calls to outside services).
        Without JavaScript the plain HTML form below it works alone.
        """
        import json

        from .namespaces import PREFIXES

        examples = [{"title": str(e["title"]), "query": str(e["query"])} for e in (examples or [])]
        terms: dict[str, dict[str, list[str]]] = {"classes": {}, "properties": {}}
        namespaces = sorted(set(PREFIXES.values()), key=len, reverse=True)
        for iri, term in sorted(self.vocab.terms.items()):
            group = {"class": "classes", "property": "properties"}.get(term.kind)
            ns = next((n for n in namespaces if iri.startswith(n) and len(iri) > len(n)), None)
            if group and ns:  # grouped by namespace: half the bytes of full IRIs
                terms[group].setdefault(ns, []).append(iri[len(ns):])
        config = {"endpoint": endpoint, "query": query, "examples": examples, "prefixes": PREFIXES,
                  "terms": terms}
        return self._render("sparql.html", title="SPARQL endpoint", endpoint=endpoint, timeout=f"{timeout:g}",
                            query=query, examples=examples, current="sparql",
                            editor_config=safe_json_for_script(json.dumps(config, ensure_ascii=False,
                                                                          separators=(",", ":"))))

    def validate_page(self, *, document: str = "", reports: list[dict] | None = None, error: str = "") -> str:
        """The /validate page; ``reports`` are dicts with ``title`` and ``report`` (a report's JSON form)."""
        return self._render("validate.html", title="Validate a document", document=document,
                            reports=reports or [], error=error, current="validate")

    def error_page(self, status: int, title: str, message: str) -> str:
        return self._render("error.html", title=title, status=status, message=message, current="")

    # -- pieces ----------------------------------------------------------

    def summary_row_html(self, s: ResourceSummary) -> str:
        """A resource's row in the lists (:func:`summary_row_html`)."""
        return summary_row_html(self._summary_row(s))

    def _summary_row(self, s: ResourceSummary) -> dict:
        description = " ".join((s.description or "").split())
        if len(description) > 200:
            description = description[:199].rstrip() + "…"
        return {
            "name": s.name or s.ctid,
            "href": self.resource_href(s.ctid),
            "type_label": self.vocab.label(s.type) if s.type else "",
            "type_href": self.type_list_href(s.type) if s.type else "",
            "owner_name": s.owner_name or (s.owner_ctid or ""),
            "owner_href": self.resource_href(s.owner_ctid) if s.owner_ctid else "",
            "updated": s.updated,
            "description": description,
        }

    def _type_counts(self, counts_by_type: dict[str, int], path: str, by_count: bool = True) -> list[TypeCount]:
        """The types present, the most numerous first (``by_count`` False: by label). Each links to its
        list: ``path?type=X``, or its folder in a static build (``static_type_lists``)."""
        href = self.type_list_href if self.static_type_lists else lambda iri: self.type_href(iri, path)
        out = [
            TypeCount(iri=iri, label=self.vocab.label(iri), local=local_name(iri), count=int(n), href=href(iri))
            for iri, n in counts_by_type.items()
        ]
        out.sort(key=(lambda c: (-c.count, c.label.lower(), c.local)) if by_count else
                 (lambda c: (c.label.lower(), c.local)))
        return out

    def _pager(self, page: int, pages: int, type_filter: str | None,
               page_href: Callable[[int], str] | None = None) -> Pager:
        prefix = "?type=" + quote(type_filter, safe="") + "&page=" if type_filter else "?page="

        def href(n: int) -> str:
            return page_href(n) if page_href is not None else prefix + str(n)

        # Page 1 links to the last page; the others only to the first and two on either side, so that
        # a static site need not rewrite them all when the number of pages changes (docs/site.md).
        wanted = sorted({1, *((pages,) if page == 1 else ()), *range(max(1, page - 2), min(pages, page + 2) + 1)})
        links: list[tuple[int | None, str]] = []
        last = 0
        for n in wanted:
            if n - last > 1:
                links.append((None, ""))
            links.append((n, href(n)))
            last = n
        return Pager(
            page=page,
            pages=pages,
            prev_href=href(page - 1) if page > 1 else None,
            next_href=href(page + 1) if page < pages else None,
            links=links,
        )

    # -- browse and search (docs/search.md) ------------------------------

    def browse_links(self, current: str) -> list[dict]:
        """The ways to browse, shown on the browse and search pages (``current`` is marked)."""
        return [{"key": key, "text": text, "href": self.url(path), "current": key == current}
                for key, text, path in (("types", "By type", "/resources"),
                                        ("organizations", "By organization", "/organizations"),
                                        ("states", "By state", "/states"),
                                        ("search", "Search", "/search"))]

    def organizations_page(self, organizations: list[dict]) -> str:
        """/organizations: dicts with name, href, type_label, regions, total, owned, offered, list_href."""
        return self._render("browse.html", kind="organizations", title="Organizations", items=organizations,
                            browse=self.browse_links("organizations"), current="resources")

    def states_page(self, states: list[dict]) -> str:
        """/states: dicts with name (an addressRegion value), count and href (the filtered list)."""
        return self._render("browse.html", kind="states", title="Resources by state", items=states,
                            browse=self.browse_links("states"), current="resources")

    def search_page(self, *, types: list[str], index_href: str) -> str:
        """/search: the form and an empty results list that ``static/search.js`` fills from ``index_href``."""
        return self._render("search.html", title="Search", types=types, index_href=index_href,
                            resource_base=self.url("/resources/"), browse=self.browse_links("search"),
                            current="")
