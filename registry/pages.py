"""The registry's human pages: HTML rendered with Jinja2 from ``site/templates``.

Everything a provider wrote is untrusted. Templates run with autoescape on, no
value from the data is ever marked safe, links are only emitted for
``http(s)`` IRIs, and the embedded JSON-LD has ``<``, ``>`` and ``&`` escaped
as ``\\u003c``, ``\\u003e`` and ``\\u0026`` so ``</script>`` in the data cannot
close the script element.

:class:`PageRenderer` turns a resource's triples into a view model (plain
dataclasses below) and hands it to the templates; the templates do no RDF work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterable
from urllib.parse import quote, urlsplit

import jinja2
import pyoxigraph
from markupsafe import Markup

from .namespaces import CEASN, CETERMS, RDF_TYPE, SCHEMA, SKOS, XSD, compact
from .paths import TEMPLATES_DIR
from .vocab import Vocabulary, vocabulary

__all__ = ["PageRenderer", "ResourceSummary", "safe_json_for_script"]


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


TREES = (
    _TreeSpec(
        member_type=CEASN + "Competency",
        top=(CEASN + "hasTopChild",),
        top_inverse=(CEASN + "isTopChildOf",),
        child=(CEASN + "hasChild",),
        parent=(CEASN + "isChildOf",),
        text=(CEASN + "competencyText", CEASN + "competencyLabel", CEASN + "name"),
        heading="Competencies",
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
    type_label: str
    type_iri: str
    rows: list[Row]
    depth: int  # 1 = directly under the main resource
    iri: Value | None = None  # for named nodes: how to show their IRI

    @property
    def heading_level(self) -> int:
        return min(6, 2 + self.depth)


@dataclass
class TreeItem:
    anchor: str
    text: str
    lang: str = ""
    code: str = ""
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
    try:
        parts = urlsplit(iri)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def local_name(iri: str) -> str:
    return re.split(r"[/#:]", iri.rstrip("/#"))[-1] or iri


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


def _lang_rank(lang: str) -> int:
    lang = lang.lower()
    if lang in ("en", "en-us"):
        return 0
    if lang.startswith("en-"):
        return 1
    if not lang:
        return 2
    return 3


def _key(term) -> str:
    """A graph node as a dict key: IRIs as themselves, blank nodes as ``_:id``."""
    if isinstance(term, pyoxigraph.BlankNode):
        return "_:" + term.value
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    return str(term)


class _Graph:
    """The resource's triples indexed by subject, in document order, deduplicated."""

    def __init__(self, triples: Iterable):
        self.props: dict[str, dict[str, list]] = {}
        seen = set()
        for t in triples:
            ident = (t.subject, t.predicate, t.object)
            if ident in seen:
                continue
            seen.add(ident)
            self.props.setdefault(_key(t.subject), {}).setdefault(t.predicate.value, []).append(t.object)

    def get(self, key: str, prop: str) -> list:
        return self.props.get(key, {}).get(prop, [])

    def types(self, key: str) -> list[str]:
        return [o.value for o in self.get(key, RDF_TYPE) if isinstance(o, pyoxigraph.NamedNode)]

    def __contains__(self, key: str) -> bool:
        return key in self.props


def pick_literals(objects: Iterable) -> list[pyoxigraph.Literal]:
    """Language-tagged literals reduced to the best language (English, else the first).

    Literals without a language tag are all kept.
    """
    plain, tagged = [], []
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
    """The one text to show for a name-like property: (text, language tag)."""
    lits = pick_literals(objects)
    if not lits:
        return "", ""
    lits.sort(key=lambda lit: _lang_rank(lit.language or ""))
    return lits[0].value, lits[0].language or ""


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

    # -- look-ups --------------------------------------------------------

    def lookup(self, iri: str) -> ResourceSummary | None:
        if iri not in self._cache:
            self._cache[iri] = self._lookup(iri)
        return self._cache[iri]

    def type_of(self, key: str) -> str:
        """The node's most specific CTDL class (or its first type when none is known)."""
        types = self.g.types(key)
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
        return Value("text", text=text, lang=_page_lang(lit.language or ""))

    def iri_value(self, iri: str) -> Value:
        """An IRI the graph says nothing about: a concept, a registry page, or a link."""
        term = self.vocab.get(iri)
        if term is not None:
            return Value("concept", text=self.vocab.label(iri), title=compact(iri),
                         detail=term.definition)
        if iri == self.main:
            return Value("internal", text=self.main_name, href=self.canonical)
        summary = self.lookup(iri)
        if summary is not None:
            return Value("internal", text=summary.name or summary.ctid,
                         href=self.r.resource_href(summary.ctid),
                         title=self.vocab.label(summary.type) if summary.type else "")
        if is_http(iri):
            return Value("link", text=iri, href=iri, external=True)
        return Value("text", text=iri)

    def alignment_value(self, key: str) -> Value:
        name, lang = pick_text(self.g.get(key, TARGET_NODE_NAME))
        code = ""
        for prop in CODED_NOTATION:
            code = code or pick_text(self.g.get(key, prop))[0]
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
        if concept and (not name or name == concept.text) and not code and not framework:
            return concept
        if not name:
            name = title or code or "(unnamed)"
            if name == code:
                code = ""
        return Value("alignment", text=name, lang=_page_lang(lang), code=code, href=href,
                     title=title, extra=framework, external=external)

    def object_values(self, prop: str, objects: list, path: tuple[str, ...], depth: int) -> list[Value]:
        out: list[Value] = []
        literals = set(pick_literals(objects))
        for obj in objects:
            if self.budget <= 0:
                out.append(Value("note", text="Further values omitted."))
                break
            self.budget -= 1
            if isinstance(obj, pyoxigraph.Literal):
                if obj in literals:
                    out.append(self.literal_value(obj, prop))
                continue
            if not isinstance(obj, (pyoxigraph.NamedNode, pyoxigraph.BlankNode)):
                out.append(Value("text", text=str(obj)))
                continue
            key = _key(obj)
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
            rows=self.rows(key, path + (key,), depth, skip=()),
            depth=depth,
            iri=iri_view,
        )
        return Value("node", node=node)

    def rows(self, key: str, path: tuple[str, ...], depth: int, skip: Iterable[str],
             first: tuple[str, ...] = NESTED_FIRST) -> list[Row]:
        props = self.g.props.get(key, {})
        skip = set(skip) | {RDF_TYPE}
        order = {p: i for i, p in enumerate(first)}
        names = sorted(
            (p for p in props if p not in skip),
            key=lambda p: (order.get(p, len(order)), self.vocab.label(p).lower(), p),
        )
        out = []
        for prop in names:
            values = self.object_values(prop, props[prop], path, depth + 1)
            if values:
                out.append(Row(prop, self.vocab.label(prop), self.vocab.definition(prop), values))
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
            item = TreeItem(anchor=anchor, text=text, lang=_page_lang(lang), code=code)
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
        """Keep document order unless every sibling has a ceasn:listID."""
        ids = [pick_text(self.g.get(k, CEASN + "listID"))[0] for k in keys]
        if keys and all(ids):
            natural = [[int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", i)] for i in ids]
            try:
                return [k for _, k in sorted(zip(natural, keys), key=lambda pair: pair[0])]
            except TypeError:
                return keys
        return keys


# --------------------------------------------------------------------------
# The renderer
# --------------------------------------------------------------------------


class PageRenderer:
    """Renders the registry's HTML pages. One instance can be shared; it keeps no per-page state."""

    def __init__(self, base_url: str = "", site_name: str = "CTDL Registry"):
        self.base_url = base_url.rstrip("/")
        self.site_name = site_name
        self.vocab = vocabulary()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals.update(
            site_name=self.site_name,
            base_url=self.base_url,
            url=self.url,
        )
        self.env.filters["timestamp"] = format_timestamp

    # -- URLs ------------------------------------------------------------

    def url(self, path: str) -> str:
        """A site path (``/resources``) under base_url."""
        return self.base_url + path

    def resource_href(self, ctid: str, suffix: str = "") -> str:
        return self.url("/resources/" + quote(ctid, safe="") + suffix)

    def type_href(self, type_iri: str, path: str = "") -> str:
        return path + "?type=" + quote(local_name(type_iri), safe="")

    # -- pages -----------------------------------------------------------

    def _render(self, template: str, **context) -> str:
        return self.env.get_template(template).render(**context)

    def resource_page(self, ctid: str, triples: list[pyoxigraph.Triple], *, main_iri: str,
                      lookup: Callable[[str], ResourceSummary | None], updated: str = "",
                      jsonld: str) -> str:
        graph = _Graph(triples)
        builder = _ResourceBuilder(self, graph, main_iri, lookup)
        vocab = self.vocab

        name, name_lang = "", ""
        for prop in NAME_PROPERTIES:
            name, name_lang = pick_text(graph.get(main_iri, prop))
            if name:
                break
        description, description_lang = "", ""
        for prop in DESCRIPTION_PROPERTIES:
            description, description_lang = pick_text(graph.get(main_iri, prop))
            if description:
                break
        name = name or ctid or main_iri
        canonical = self.resource_href(ctid)
        builder.main_name = name
        builder.canonical = canonical

        type_iri = builder.type_of(main_iri)
        trees = builder.trees()
        tree_props = {p for spec in TREES for p in spec.top}

        overview = []
        for prop in OVERVIEW_PROPERTIES:
            objects = graph.get(main_iri, prop)
            if objects:
                values = builder.object_values(prop, objects, (main_iri,), 1)
                overview.append(Row(prop, vocab.label(prop), vocab.definition(prop), values))

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

        meta_description = " ".join(description.split())[:160]
        alternates = [
            ("Turtle", "text/turtle", self.resource_href(ctid, ".ttl")),
            ("JSON-LD", "application/ld+json", self.resource_href(ctid, ".jsonld")),
            ("N-Triples", "application/n-triples", self.resource_href(ctid, ".nt")),
        ]
        return self._render(
            "resource.html",
            title=name,
            name=name,
            name_lang=_page_lang(name_lang),
            ctid=ctid,
            main_iri=main_iri,
            main_iri_is_http=is_http(main_iri),
            type_iri=type_iri,
            type_label=vocab.label(type_iri) if type_iri else "Resource",
            type_definition=vocab.definition(type_iri) if type_iri else "",
            type_href=self.url("/resources") + self.type_href(type_iri) if type_iri else "",
            description=description,
            description_lang=_page_lang(description_lang),
            meta_description=meta_description,
            overview=overview,
            details=details,
            trees=trees,
            others=others,
            updated=updated,
            canonical=canonical,
            alternates=alternates,
            jsonld=safe_json_for_script(jsonld),
            current="resources",
        )

    def index_page(self, resources: list[ResourceSummary], *, title: str = "All resources",
                   page: int = 1, pages: int = 1, counts_by_type: dict[str, int] | None = None,
                   type_filter: str | None = None, page_href: Callable[[int], str] | None = None) -> str:
        """A list of resources.

        Optional extras: ``type_filter`` (a class local name, e.g. ``BachelorDegree``) is kept in
        the pagination links and marks the current type; ``page_href(n)`` replaces the default
        ``?page=n`` links (e.g. ``page-2.html`` for a static build).
        """
        pages = max(1, int(pages))
        page = min(max(1, int(page)), pages)
        rows = [self._summary_row(s) for s in resources]
        counts = self._type_counts(counts_by_type or {}, path="")
        return self._render(
            "index.html",
            title=title,
            rows=rows,
            pager=self._pager(page, pages, type_filter, page_href),
            counts=counts,
            total=sum(c.count for c in counts),
            type_filter=type_filter or "",
            all_href=self.url("/resources"),
            current="resources",
        )

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
        """The query form at /sparql (examples: dicts with ``title`` and ``query``)."""
        return self._render("sparql.html", title="SPARQL endpoint", endpoint=endpoint, timeout=f"{timeout:g}",
                            query=query, examples=examples or [], current="sparql")

    def validate_page(self, *, document: str = "", reports: list[dict] | None = None, error: str = "") -> str:
        """The /validate page; ``reports`` are dicts with ``title`` and ``report`` (a report's JSON form)."""
        return self._render("validate.html", title="Validate a document", document=document,
                            reports=reports or [], error=error, current="validate")

    def error_page(self, status: int, title: str, message: str) -> str:
        return self._render("error.html", title=title, status=status, message=message, current="")

    # -- pieces ----------------------------------------------------------

    def _summary_row(self, s: ResourceSummary) -> dict:
        description = " ".join((s.description or "").split())
        if len(description) > 200:
            description = description[:199].rstrip() + "…"
        return {
            "name": s.name or s.ctid,
            "href": self.resource_href(s.ctid),
            "type_label": self.vocab.label(s.type) if s.type else "",
            "type_href": self.url("/resources") + self.type_href(s.type) if s.type else "",
            "owner_name": s.owner_name or (s.owner_ctid or ""),
            "owner_href": self.resource_href(s.owner_ctid) if s.owner_ctid else "",
            "updated": s.updated,
            "description": description,
        }

    def _type_counts(self, counts_by_type: dict[str, int], path: str) -> list[TypeCount]:
        out = [
            TypeCount(iri=iri, label=self.vocab.label(iri), local=local_name(iri), count=int(n),
                      href=self.type_href(iri, path))
            for iri, n in counts_by_type.items()
        ]
        out.sort(key=lambda c: (-c.count, c.label.lower()))
        return out

    def _pager(self, page: int, pages: int, type_filter: str | None,
               page_href: Callable[[int], str] | None = None) -> Pager:
        prefix = "?type=" + quote(type_filter, safe="") + "&page=" if type_filter else "?page="

        def href(n: int) -> str:
            return page_href(n) if page_href is not None else prefix + str(n)

        wanted = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
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
