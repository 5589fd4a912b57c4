"""The site: every page and alternate, rendered from the store and the journal's index.

The web app serves these on request; ``registry site --out DIR`` writes the same
files for a plain static host (``resources/{ctid}/index.html`` with
``resources/{ctid}.ttl``, ``.jsonld`` and ``.nt`` beside it).
"""

from __future__ import annotations

import logging
import math
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

import pyoxigraph as ox

from .core import Registry, parse_ntriples
from .formats import MEDIA_TYPES, compact_json, jsonld_pair, jsonld_text, serialise, to_jsonld
from .ingest.journal import ResourceRow
from .namespaces import CEASN, SKOS, graph_iri
from .pages import PageRenderer, ResourceSummary, _Graph
from .search_index import KEYWORD_PROPERTIES, keyword_list
from .vocab import vocabulary

log = logging.getLogger("registry.site")
_HANDOFF = threading.Lock()  # guards the hand-off of the search index to a background thread

PAGE_SIZE = 50


# --- look-ups of a full build ---------------------------------------------------------------


# framework -> member links: a member's page is its framework's page
MEMBER_LINKS = (CEASN + "hasTopChild", CEASN + "hasChild", SKOS + "hasTopConcept", SKOS + "narrower")
# The properties that name a member of a framework (a competency), the first that has a text.
MEMBER_LABELS = (CEASN + "competencyLabel", CEASN + "competencyText", CEASN + "name", SKOS + "prefLabel")


def _row_summary(row: ResourceRow) -> ResourceSummary:
    """What a look-up answers for a published resource (no owner, no description)."""
    return ResourceSummary(ctid=row.ctid, iri=row.iri, type=row.type, name=row.name, updated=row.updated_at)


def _class_label(type_name: str, types: list[str] | None) -> str:
    """The label of class ``type_name`` itself among ``types`` (the class and its subclasses)."""
    named = [t for t in types or () if t.rsplit("/", 1)[-1] == type_name]
    return vocabulary().label(named[0]) if named else type_name


def _unread_member(ctid: str, iri: str, src: str, framework_name: str | None) -> ResourceSummary:
    """A member of framework ``src`` whose graph could not be read: named after the framework."""
    return ResourceSummary(ctid=ctid, iri=iri, type=CEASN + "Competency",
                           name=f"A competency of {framework_name or src}", part_of=src)


def _member_props(triples) -> dict[str, dict[str, list]]:
    """What :func:`member_summaries` reads of a graph: subject IRI -> property -> objects, in
    document order, of the CTID, type and label properties (blank nodes are no members)."""
    from .namespaces import CTID_PROPERTIES, RDF_TYPE

    wanted = {*CTID_PROPERTIES, RDF_TYPE, *MEMBER_LABELS}
    blank = ox.BlankNode
    props: dict[str, dict[str, list]] = {}
    for t in triples:
        p = t.predicate.value
        if p in wanted:
            s = t.subject
            if type(s) is not blank:
                props.setdefault(s.value, {}).setdefault(p, []).append(t.object)
    return props


def member_summaries(src: str, props: dict[str, dict[str, list]]) -> dict[str, ResourceSummary]:
    """The members (competencies, concepts) of resource ``src``'s graph, by IRI: every subject with a
    CTID of its own and a type. ``props``: subject -> property -> objects (the CTID, type and label
    properties at least)."""
    from .namespaces import CTID_PROPERTIES, RDF_TYPE
    from .pages import first_text

    out = {}
    for subject, p in props.items():
        member_ctid = first_text(p, CTID_PROPERTIES)[0]
        types = [o.value for o in p.get(RDF_TYPE, ())]
        if not member_ctid or member_ctid == src or not types:
            continue
        label = first_text(p, MEMBER_LABELS)[0]
        out[subject] = ResourceSummary(ctid=member_ctid, iri=subject, type=types[0], name=label or member_ctid,
                                       part_of=src)
    return out


class _Live:
    """A live resource as a full build looks it up (the fields of a ResourceRow it reads)."""

    __slots__ = ("ctid", "iri", "type", "name", "updated_at", "_owners")
    live = True

    def __init__(self, ctid, iri, type, name, updated_at, owners):
        self.ctid, self.iri, self.type, self.name, self.updated_at, self._owners = \
            ctid, iri, type, name, updated_at, owners

    @property
    def owners(self) -> list[str]:
        return self._owners.split()


class RowFile:
    """Strings by key, kept in an unnamed file rather than in memory: the list rows of a full build
    (1.3 KB a resource: 130 MB at 100,000, 850 MB at 650,000). Only their places stay here. The file
    is read with ``pread``, so the forked list workers share it as they find it; it goes with the
    last process that has it open. Answers ``in``, ``[]`` and ``get`` as the dict it stands for."""

    def __init__(self, folder: Path):
        import tempfile

        self._file = tempfile.TemporaryFile(dir=folder)
        self._fd = self._file.fileno()
        self._end = 0
        self._where: dict[str, int] = {}  # key -> offset << 40 | length

    def update(self, rows: dict[str, str]) -> None:
        if not rows:
            return
        import sys

        where, at, parts, intern = self._where, self._end, [], sys.intern
        for key, text in rows.items():
            data = text.encode("utf-8")
            where[intern(key)] = at << 40 | len(data)  # (a CTID: the build index holds it already)
            at += len(data)
            parts.append(data)
        data, offset = memoryview(b"".join(parts)), self._end
        while data:  # (a short write: the rest after it)
            done = os.pwrite(self._fd, data, offset)
            data, offset = data[done:], offset + done
        self._end = at

    def __setitem__(self, key: str, text: str) -> None:
        self.update({key: text})

    def __contains__(self, key: str) -> bool:
        return key in self._where

    def __len__(self) -> int:
        return len(self._where)

    def __getitem__(self, key: str) -> str:
        place = self._where[key]
        length, offset = place & 0xFF_FFFF_FFFF, place >> 40
        data = os.pread(self._fd, length, offset)
        while len(data) < length:  # (a short read: the rest after it)
            more = os.pread(self._fd, length - len(data), offset + len(data))
            if not more:
                raise OSError(f"the row file ends before row {key!r}")
            data += more
        return data.decode("utf-8")

    def get(self, key: str, default=None):
        return self[key] if key in self._where else default

    def close(self) -> None:
        self._file.close()


class BuildIndex:
    """What a full build looks up, read once before the render workers fork (they inherit it):
    every live resource by CTID and by IRI, which frameworks hold which members, and those
    members' names; the links index is read per batch of pages (:meth:`prefetch_links`).
    Answers as ``Registry.lookup``, ``Journal.links_to(_via)`` and ``Site.lookup`` do."""

    def __init__(self, registry, spill: Path | None = None):
        """``spill``: a folder for the file of the list rows (:class:`RowFile`), else they stay in memory."""
        import sys

        self.path = registry.journal.path
        # CTID -> its page_keywords joined by "\n" (none holds a line break): what the render workers
        # hand back, one string per resource (a list of strings cost 30 MB more at 100,000)
        self.keywords: dict[str, str] = {}
        # CTID -> its row in the lists (PageRenderer.summary_row_html), also made by the render workers:
        # a resource is in four lists or so (everything, its type, its owner's, its state's)
        self.rows_html: dict[str, str] | RowFile = {}  # (the file is made last, below)
        intern = sys.intern
        self.by_ctid: dict[str, _Live] = {}
        self.by_iri: dict[str, str] = {}
        db = sqlite3.connect(self.path)
        try:
            for ctid, iri, type_iri, name, updated, owners in db.execute(
                    "SELECT ctid, iri, type, name, updated_at, owners FROM resources WHERE deleted_at IS NULL "
                    "ORDER BY rowid"):
                ctid = intern(ctid)  # one string per CTID in the build's indexes (the lists', the rows')
                self.by_ctid[ctid] = _Live(ctid, iri, intern(type_iri), name, updated, intern(owners))
                self.by_iri.setdefault(iri, ctid)
            self.member_of: dict[str, list[str]] = {}  # member CTID -> frameworks (links_to order)
            placeholders = ",".join("?" * len(MEMBER_LINKS))
            for dst, src in db.execute(
                    "SELECT l.dst, l.src FROM links l JOIN resources r ON r.ctid = l.src "
                    f"WHERE r.deleted_at IS NULL AND l.property IN ({placeholders}) "
                    "GROUP BY l.dst, l.property, l.src "  # a (src, property) pair once, whatever its via
                    "ORDER BY l.dst, l.property, r.name COLLATE NOCASE", MEMBER_LINKS):
                self.member_of.setdefault(dst, []).append(src)
        finally:
            db.close()
        self._db: sqlite3.Connection | None = None
        self._links: dict[str, list[tuple[str, str, str]]] = {}  # dst -> (src, property, via)
        # framework CTID -> member IRI -> summary: the members' names, from the frameworks' graphs
        # as the pages read them (the journal's copies, as Site.lookup reads them one by one)
        frameworks = sorted({src for srcs in self.member_of.values() for src in srcs})
        self.members: dict[str, dict[str, ResourceSummary]] = {}
        self.unread: set[str] = set()  # frameworks whose graph could not be read (Site.lookup's case)
        for i in range(0, len(frameworks), 100):  # (a framework's graph can be megabytes)
            chunk = frameworks[i:i + 100]
            graphs = registry.journal.graphs(chunk)
            for src in chunk:
                data = graphs.pop(src, None)
                triples = parse_ntriples(data) if data is not None else registry.graph(src)
                if not triples:
                    self.unread.add(src)
                self.members[src] = member_summaries(src, _member_props(triples))
        if spill is not None:
            self.rows_html = RowFile(spill)

    def row(self, ctid: str) -> _Live | None:
        return self.by_ctid.get(ctid)

    def lookup(self, iri: str) -> ResourceSummary | None:
        """``Site.lookup`` of a live registry: a resource by IRI or CTID, else a member of a framework."""
        from .ingest.parse import ctid_from_iri

        ctid = self.by_iri.get(iri)
        ctid_in_iri = ctid_from_iri(iri) if ctid is None else None
        row = self.by_ctid.get(ctid or ctid_in_iri or "")
        if row is not None:
            return _row_summary(row)
        for src in self.member_of.get(ctid_in_iri or "", ()):
            found = self.members.get(src, {}).get(iri)
            if found is not None:
                return found
            framework = self.by_ctid.get(src) if src in self.unread else None
            if framework is not None:  # its graph could not be read: named by its framework
                return _unread_member(ctid_in_iri, iri, src, framework.name)
        return None

    def _read_links(self, ctids: list[str]) -> dict[str, list[tuple[str, str, str]]]:
        """CTID -> (source, property, via) of the live resources linking to it, as
        ``Journal.links_to_via`` orders them, in a query per 500 CTIDs."""
        if self._db is None:
            self._db = sqlite3.connect(self.path)
        out: dict[str, list[tuple[str, str, str]]] = {c: [] for c in ctids}
        for i in range(0, len(ctids), 500):
            chunk = ctids[i:i + 500]
            rows = self._db.execute(
                "SELECT l.dst, l.src, l.property, l.via FROM links l JOIN resources r ON r.ctid = l.src "
                f"WHERE l.dst IN ({','.join('?' * len(chunk))}) AND r.deleted_at IS NULL "
                "ORDER BY l.dst, l.property, l.via, r.name COLLATE NOCASE", chunk)
            for dst, src, prop, via in rows:
                out[dst].append((src, prop, via))
        return out

    def prefetch_links(self, ctids: list[str]) -> None:
        """Read the links to these CTIDs in one query (``links_to_via`` answers from it)."""
        self._links = self._read_links(ctids)

    def links_to_via(self, ctid: str) -> list[tuple[str, str, str]]:
        return self.links_to_via_many([ctid])[ctid]

    def links_to_via_many(self, ctids: list[str]) -> dict[str, list[tuple[str, str, str]]]:
        """:meth:`links_to_via` of each, those not prefetched read in a query per 500."""
        links = self._links
        out = {c: links[c] for c in ctids if c in links}
        if len(out) < len(ctids):
            out.update(self._read_links([c for c in dict.fromkeys(ctids) if c not in out]))
        return out

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if isinstance(self.rows_html, RowFile):
            self.rows_html.close()

    def install(self, site: "Site") -> None:
        """Make ``site`` answer its look-ups from this index (until :meth:`remove`)."""
        site.build_index = self
        site._lookup_cache = {"version": None, "iris": {}, "ctids": {}, "graphs": {}}

    @staticmethod
    def remove(site: "Site") -> None:
        site.__dict__.pop("build_index", None)
        site.__dict__.pop("_lookup_cache", None)


class Site:
    def __init__(self, registry: Registry, *, base_url: str | None = None):
        self.registry = registry
        self.renderer = PageRenderer(base_url if base_url is not None else registry.config.base_url,
                                     site_name=registry.config.site_name)

    # --- summaries ----------------------------------------------------------------------

    def list_rows(self, ctids: Sequence[str]) -> list:
        """The rows of a list page in order, for :meth:`PageRenderer.index_page`: in a full build, each
        resource's row as its render worker wrote it (``BuildIndex.rows_html``); else, or for one
        published meanwhile, its journal row (a CTID the journal does not know is left out)."""
        index = self.__dict__.get("build_index")
        made = index.rows_html if index is not None else {}
        missing = [c for c in ctids if c not in made]
        found = self.registry.journal.resources_by_ctid(missing) if missing else {}
        return [made[c] if c in made else found[c] for c in ctids if c in made or c in found]

    def summaries(self, rows: list) -> list:
        """:meth:`summary` of each journal row; rows already written (:meth:`list_rows`) as they are."""
        return [r if type(r) is str else self.summary(r) for r in rows]

    def summary(self, row: ResourceRow) -> ResourceSummary:
        owner = next((o for o in (self.lookup(iri) for iri in row.owners) if o is not None and not o.part_of), None)
        return ResourceSummary(ctid=row.ctid, iri=row.iri, type=row.type, name=row.name,
                               description=row.description, owner_ctid=owner.ctid if owner else None,
                               owner_name=owner.name if owner else None, updated=row.updated_at)

    def lookup(self, iri: str, *, _cache: dict | None = None) -> ResourceSummary | None:
        """The published resource an IRI in the data refers to (by IRI or by the CTID it ends with).

        A competency of a framework is found too: its summary has the framework's CTID as
        ``part_of`` (its page is an item of the framework's page) and its label as name.
        Answers are kept until the journal changes (its last sequence number), so pages and a
        whole site build look each IRI up once; the summaries carry no owner or description.
        """
        from .ingest.parse import ctid_from_iri

        index = self.__dict__.get("build_index")
        cache = _cache
        if cache is None and index is not None:
            cache = self._lookup_cache
        if cache is None:
            version = self.registry.journal.last_seq()
            cache = self.__dict__.get("_lookup_cache")
            if cache is None or cache["version"] != version or len(cache["iris"]) + len(cache["ctids"]) > 300_000:
                cache = {"version": version, "iris": {}, "ctids": {}, "graphs": {}}
                self._lookup_cache = cache
        iris = cache["iris"]
        if iri in iris:
            return iris[iri]
        if index is not None:  # a full build: everything was read once (BuildIndex)
            if len(iris) > 300_000:
                iris.clear()
            iris[iri] = index.lookup(iri)
            return iris[iri]
        row = self.registry.lookup(iri)
        if row is not None:
            iris[iri] = _row_summary(row)
            return iris[iri]
        iris[iri] = None
        ctid = ctid_from_iri(iri)
        if not ctid:
            return None
        # A member of another resource's graph (a competency): the framework whose graph says it
        # has this child holds it. Read that graph once and remember all its members.
        graphs: dict[str, bool] = cache["graphs"]  # framework CTID -> whether its graph could be read
        for src, prop in self.registry.journal.links_to(ctid):
            if prop not in MEMBER_LINKS:
                continue
            if src not in graphs:
                triples = self.registry.graph(src)
                graphs[src] = bool(triples)
                iris.update(member_summaries(src, _member_props(triples)))
            if not graphs[src]:  # its graph could not be read: name it by its framework
                framework = self.registry.journal.resource(src)
                if framework is not None and framework.live:
                    iris[iri] = _unread_member(ctid, iri, src, framework.name)
            if iris.get(iri) is not None:
                break
        return iris.get(iri)

    # --- pages --------------------------------------------------------------------------

    def resource_html(self, row: ResourceRow, triples: "list | _Graph | None" = None, *,
                      jsonld: str | None = None) -> str:
        """The page of one resource (``triples``: its graph, when the caller has read it already, as
        triples or indexed by subject;
        ``jsonld``: its JSON-LD document as the page embeds it, :func:`registry.formats.compact_json`
        of :func:`registry.formats.to_jsonld`, when computed already).

        Besides the graph, the page lists what refers to the resource and to its members (a
        framework's competencies), from the journal's links index: at most 1,000 resources are
        looked up; the page says how many more there are.
        """
        from .namespaces import CTID_PROPERTIES
        from .pages import InverseLink

        journal = self.registry.journal
        if triples is None:
            triples = self.registry.graph(row.ctid)
        index = self.__dict__.get("build_index")
        if index is None:
            self.lookup(row.iri)  # brings the look-up cache up to the journal's version
        cache = self._lookup_cache
        lookup_one = self.lookup

        def lookup(iri: str) -> ResourceSummary | None:
            found = cache["iris"].get(iri, cache)
            return lookup_one(iri, _cache=cache) if found is cache else found

        graph = triples if isinstance(triples, _Graph) else _Graph(triples)
        literal = ox.Literal
        members = list(dict.fromkeys(o.value for key, props in graph.props.items() if key != row.iri
                                     for p in CTID_PROPERTIES for o in props.get(p, ())
                                     if type(o) is literal and o.value != row.ctid))
        links_to = journal.links_to_via if index is None else index.links_to_via
        found_links = [(src, prop, via, "") for src, prop, via in links_to(row.ctid) if src != row.ctid]
        members = members[:5000]
        to_members = ({m: links_to(m) for m in members} if index is None
                      else index.links_to_via_many(members))  # a framework's competencies: one query
        for member in members:
            found_links += [(src, prop, via, member) for src, prop, via in to_members[member] if src != row.ctid]
        sources: dict[str, ResourceSummary | None] = cache["ctids"]
        fetched: dict[str, ResourceRow] = {}
        if index is None:  # (a full build has every row in its index) the sources, then their owners,
            # in a query per 500: an organization's page names hundreds, and the cache is new after a change
            wanted = [src for src in dict.fromkeys(link[0] for link in found_links) if src not in sources][:1000]
            fetched = journal.resources_by_ctid(wanted)
            iris = cache["iris"]
            owners = sorted({o for r in fetched.values() if r.live for o in r.owners if o not in iris})
            for iri, found in journal.live_by_iri(owners).items():
                iris[iri] = _row_summary(found)
        inverse, not_looked_up, looked_up = [], set(), 0
        for src, prop, via, member in found_links:
            if src not in sources:
                if looked_up >= 1000:
                    not_looked_up.add(src)
                    continue
                looked_up += 1
                found = fetched.get(src) if index is None else index.row(src)
                summary = None
                if found is not None and found.live:
                    owner = next((o for o in map(lookup, found.owners) if o is not None and not o.part_of), None)
                    summary = ResourceSummary(ctid=found.ctid, iri=found.iri, type=found.type, name=found.name,
                                              owner_ctid=owner.ctid if owner else None,
                                              owner_name=owner.name if owner else None)
                sources[src] = summary
            if sources[src] is not None:
                inverse.append(InverseLink(prop, sources[src], member, via))
        # The CTDL JSON-LD in the page is compact (the .jsonld alternate has a node per line).
        if jsonld is None:
            jsonld = compact_json(to_jsonld(graph.props, row.iri, graph_iri(row.ctid)))
        return self.renderer.resource_page(row.ctid, graph, main_iri=row.iri, lookup=lookup,
                                           updated=row.updated_at, jsonld=jsonld, inverse=inverse,
                                           inverse_omitted=len(not_looked_up))

    def resource_documents(self, row: ResourceRow, triples: list | None = None,
                           ntriples: bytes | None = None, *, graph: _Graph | None = None) -> tuple[str, dict[str, bytes]]:
        """The page and every alternate (extension -> bytes) of one resource, as
        :meth:`resource_html` and :meth:`resource_alternate` give them, from one JSON-LD computation
        (``ntriples``: the graph already written as N-Triples, which the full build reads from the
        journal; ``graph``: ``triples`` indexed by subject, when the caller has made it)."""
        if triples is None:
            triples = self.registry.graph(row.ctid)
        if graph is None:
            graph = _Graph(triples)  # what the page reads, and the JSON-LD is written from
        embedded, lines = jsonld_pair(to_jsonld(graph.props, row.iri, graph_iri(row.ctid)))
        html = self.resource_html(row, graph, jsonld=embedded)
        files = {}
        for ext, media in MEDIA_TYPES.items():
            if media == "application/ld+json":
                files[ext] = lines.encode("utf-8")
            elif media == "application/n-triples" and ntriples is not None:
                files[ext] = ntriples
            else:
                files[ext] = serialise(triples, media, row.iri)
        return html, files

    def resource_alternate(self, row: ResourceRow, ext: str) -> tuple[bytes, str]:
        media = MEDIA_TYPES[ext]
        triples = self.registry.graph(row.ctid)
        if media == "application/ld+json":
            return jsonld_text(triples, row.iri, graph_iri(row.ctid)).encode("utf-8"), media
        return serialise(triples, media, row.iri), media

    def type_filter(self, name: str | None) -> list[str] | None:
        """``?type=Degree`` -> the class and all its subclasses."""
        if not name:
            return None
        vocab = vocabulary()
        matches = [iri for iri, t in vocab.terms.items() if t.kind == "class" and iri.rsplit("/", 1)[-1] == name]
        if not matches:
            return []
        return sorted({m for iri in matches for m in (iri, *vocab.subclasses(iri))})

    def list_title(self, type_name: str | None, types: list[str] | None = None) -> str:
        """The heading of ``/resources?type=X``: the label of class X itself (``types``, the class
        and its subclasses, come sorted, so the first may be a subclass)."""
        if not type_name:
            return "All resources"
        types = self.type_filter(type_name) if types is None else types
        return f"{_class_label(type_name, types)} resources"

    def index_html(self, page: int = 1, type_name: str | None = None, *, static: bool = False) -> str:
        journal = self.registry.journal
        types = self.type_filter(type_name)
        total = journal.count_resources(types) if types != [] else 0
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(1, page), pages)
        rows = journal.resources(type_iris=types, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE) \
            if types != [] else []
        title = self.list_title(type_name, types)
        page_href = None
        if static:  # a plain static host cannot read ?page=N: link the files build() writes
            page_href = lambda n: self.renderer.url("/resources/" + ("" if n == 1 else f"page-{n}.html"))
        return self.renderer.index_page([self.summary(r) for r in rows], title=title, page=page, pages=pages,
                                        counts_by_type=journal.counts_by_type(), type_filter=type_name,
                                        page_href=page_href)

    def home_html(self) -> str:
        journal = self.registry.journal
        recent = journal.resources(limit=10, order="updated")
        return self.renderer.home_page(journal.counts_by_type(), [self.summary(r) for r in recent])

    def error_html(self, status: int, title: str, message: str) -> str:
        return self.renderer.error_page(status, title, message)

    # --- static build -------------------------------------------------------------------

    def build(self, out: Path, progress: Callable[[int], None] | None = None, *, base: str | None = None,
              workers: int = 2) -> int:
        """Write the whole site into ``out``; return the number of resource pages.

        See :mod:`registry.incremental`: the graphs the journal keeps, ``workers`` render
        processes, list pages per type, and the discovery files (sitemaps, feeds, /data) when an
        absolute ``base`` URL is known (default: this site's base_url).
        """
        from .incremental import StaticSite

        return StaticSite(self, out, base=base, workers=workers).build(progress).resources

    def _browse_cached(self, key: str, compute: Callable[[], object]) -> object:
        cache = self.__dict__.setdefault("_browse_cache", {})
        version = self.registry.journal.last_seq()
        hit = cache.get(key)
        if hit is not None and hit[0] == version:
            return hit[1]
        value = compute()
        cache[key] = (version, value)
        return value

    # The order of lists (incremental._sort_key), and of the search index (by what it shows as the name).
    LIST_ORDER = "name COLLATE NOCASE, ctid"
    SEARCH_ORDER = "(CASE WHEN name = '' THEN ctid ELSE name END) COLLATE NOCASE, ctid"

    def _live_rows(self, type_iris: list[str] | None = None, order: str = "seq"):
        """Every live resource (optionally of some types), in publication order (or ``order``, an
        ORDER BY clause): one streamed query on a connection of its own (paging with OFFSET would
        sort the table once per page)."""
        from .ingest.journal import RESOURCE_COLUMNS, _resource

        sql, args = f"SELECT {RESOURCE_COLUMNS} FROM resources WHERE deleted_at IS NULL", []
        if type_iris:
            sql += " AND type IN (%s)" % ",".join("?" * len(type_iris))
            args += list(type_iris)
        db = sqlite3.connect(self.registry.journal.path)
        try:
            for r in db.execute(f"{sql} ORDER BY {order}", args):
                yield _resource(r)  # the row as the journal gives it
        finally:
            db.close()

    def organization_counts(self) -> list[dict]:
        """The organizations published here, by name, with how many live resources name each as owner.

        ``total`` counts resources whose ownedBy, offeredBy or publisher is the organization (what
        ``/resources?owner=CTID`` lists); ``owned`` and ``offered`` split it by property.
        """
        def compute() -> list[dict]:
            from .ingest.parse import ctid_from_iri
            from .namespaces import CETERMS

            journal = self.registry.journal
            totals: dict[str, int] = {}
            for owners in journal.live_owners():
                for key in {ctid_from_iri(o) or o for o in owners}:
                    totals[key] = totals.get(key, 0) + 1
            owned, offered = CETERMS + "ownedBy", CETERMS + "offeredBy"
            sources = journal.source_counts([owned, offered])  # one query, not one per organization
            out = []
            for org in self._live_rows(self.type_filter("Organization") or None):
                counts = sources.get(org.ctid, {})
                out.append({
                    "ctid": org.ctid, "name": org.name or org.ctid, "type": org.type, "regions": org.regions,
                    "total": totals.get(org.ctid.lower(), 0),
                    "owned": counts.get(owned, 0), "offered": counts.get(offered, 0),
                })
            out.sort(key=lambda o: (o["name"].lower(), o["ctid"]))
            return out

        return self._browse_cached("organizations", compute)

    def _slug(self, text: str) -> str:
        import re

        return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "region"

    def state_slugs(self, regions: list[str] | None = None) -> dict[str, str]:
        """addressRegion value -> folder name used by the static build (``New Mexico`` -> ``new-mexico``).
        ``regions``: the regions with live resources, sorted, when the caller knows them (else read)."""
        slugs: dict[str, str] = {}
        for region in self.registry.journal.counts_by_region() if regions is None else regions:
            slug, n = self._slug(region), 2
            while slug in slugs.values():
                slug, n = f"{self._slug(region)}-{n}", n + 1
            slugs[region] = slug
        return slugs

    def organizations_html(self, *, static: bool = False) -> str:
        from urllib.parse import quote

        url = self.renderer.url
        orgs = []
        for o in self.organization_counts():
            list_href = (url(f"/organizations/{o['ctid']}/") if static
                         else url("/resources") + "?owner=" + quote(o["ctid"], safe=""))
            orgs.append(dict(o, href=self.renderer.resource_href(o["ctid"]),
                             type_label=self.renderer.vocab.label(o["type"]),
                             list_href=list_href if o["total"] else ""))
        return self.renderer.organizations_page(orgs)

    def states_html(self, *, static: bool = False) -> str:
        from urllib.parse import quote

        url = self.renderer.url
        slugs = self.state_slugs() if static else {}
        states = [{"name": region, "count": n,
                   "href": url(f"/states/{slugs[region]}/") if static
                   else url("/resources") + "?state=" + quote(region, safe="")}
                  for region, n in self.registry.journal.counts_by_region().items()]
        return self.renderer.states_page(states)

    def _count_filtered(self, types: list[str] | None, owner: str | None, region: str | None) -> int:
        journal = self.registry.journal
        if types and (owner or region):
            # Journal.count_resources drops the owner/region arguments when types are given too:
            # count by reading the (narrow) filtered rows instead.
            n, offset = 0, 0
            while True:
                rows = journal.resources(type_iris=types, owner=owner, region=region, limit=5000, offset=offset)
                n, offset = n + len(rows), offset + len(rows)
                if len(rows) < 5000:
                    return n
        return journal.count_resources(types, owner=owner, region=region)

    def filtered_index_html(self, page: int = 1, type_name: str | None = None, owner: str | None = None,
                            state: str | None = None, *,
                            page_href: Callable[[int], str] | None = None) -> str | None:
        """``/resources`` narrowed to one owner (CTID or IRI) and/or one state; None when there is no such
        owner or state (the caller answers 404). The heading says what is shown."""
        import re

        from .pages import is_http

        journal = self.registry.journal
        owner_key, owner_name = None, None
        if owner:
            owner = owner.strip()
            if re.fullmatch(r"ce-[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}", owner):
                owner_key = owner.lower()
                row = journal.resource(owner_key)
                owner_name = row.name if row is not None and row.live else None
            elif is_http(owner):
                owner_key = owner
                row = self.registry.lookup(owner)
                owner_name = row.name if row is not None else None
            else:
                return None
        region = " ".join(state.split()) if state else None
        if region and region not in journal.counts_by_region():
            return None
        types = self.type_filter(type_name)
        total = self._count_filtered(types, owner_key, region) if types != [] else 0
        if owner_key and owner_name is None and total == 0:
            return None
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(1, page), pages)
        rows = journal.resources(type_iris=types, owner=owner_key, region=region, limit=PAGE_SIZE,
                                 offset=(page - 1) * PAGE_SIZE) if types != [] else []
        return self._filtered_page(rows, total, page, pages, type_name, types, owner, owner_key, owner_name, region,
                                   page_href)

    def _filtered_page(self, rows: list[ResourceRow], total: int, page: int, pages: int, type_name: str | None,
                       types: list[str] | None, owner: str | None, owner_key: str | None, owner_name: str | None,
                       region: str | None, page_href: Callable[[int], str] | None) -> str:
        """One page of a filtered list (:meth:`filtered_index_html`, :meth:`browse_list_pages`)."""
        from urllib.parse import urlencode

        what = f"{_class_label(type_name, types)} resource" if type_name else "resource"
        # Page 1 counts them; the others do not, so that a static site need not rewrite every page of
        # the list when one comes or goes (docs/site.md).
        title = f"{total} {what}{'' if total == 1 else 's'}" if page == 1 else f"{what[0].upper()}{what[1:]}s"
        if owner_key:
            title += f" owned or offered by {owner_name or owner_key}"
        if region:
            title += f" in {region}"
        if page_href is None:
            params = {k: v for k, v in (("type", type_name), ("owner", owner), ("state", region)) if v}

            def page_href(n: int) -> str:
                return "?" + urlencode({**params, "page": n})
        return self.renderer.index_page(self.summaries(rows), title=title, page=page, pages=pages,
                                        counts_by_type={}, type_filter=type_name, page_href=page_href)

    # Making the index longer than this (seconds) the last time: after a change, the previous one is
    # served while the next is made in the background (at 100,000 resources making it takes ~20 s).
    SEARCH_INDEX_STALE_AFTER = 1.0

    def search_index(self, *, fresh: bool = False):
        """The index ``/static/search.js`` searches (docs/search.md), as the live site serves it: a
        :class:`registry.search_index.Served` (the manifest and every shard's bytes), made once per
        journal version, by one thread (the others wait for it rather than make it again). When the
        last one took longer than :attr:`SEARCH_INDEX_STALE_AFTER` to make, a change does not make
        searchers wait: the previous index is served until a background thread has made the next
        (``fresh``: wait for the current version)."""
        state = self.__dict__.setdefault("_search_state", {"index": None, "version": None, "seconds": 0.0,
                                                           "making": False, "failed": None})
        version = self.registry.journal.last_seq()
        if state["version"] == version:
            return state["index"]
        if (not fresh and state["index"] is not None and state["seconds"] > self.SEARCH_INDEX_STALE_AFTER):
            with _HANDOFF:  # one background thread at a time; after a failure, not again until a change
                if not state["making"] and state["failed"] != version:
                    state["making"] = True
                    threading.Thread(target=self._make_search_index, args=(state, True), daemon=True,
                                     name="search-index").start()
            return state["index"]
        return self._make_search_index(state, False)

    def _make_search_index(self, state: dict, background: bool):
        from .search_index import MAKING, Served

        version = None
        try:
            with MAKING:
                version = self.registry.journal.last_seq()
                if state["version"] != version:
                    started = time.perf_counter()
                    index = Served(self._search_entries())
                    state.update(index=index, version=version, seconds=time.perf_counter() - started)
                return state["index"]
        except Exception:
            if not background:
                raise
            state["failed"] = version
            log.exception("making the search index failed; the previous one is still served")
        finally:
            if background:
                state["making"] = False

    def write_search_index(self, path: Path) -> int:
        """Write the sharded index for a static site: the manifest at ``path`` (``search-index.json``),
        the shards under ``search-index/{version}/`` beside it, as the entries are made, without holding
        them (:func:`registry.search_index.write`: complete shards first, then the manifest, then the
        old shards removed). Returns the entry count."""
        from .search_index import write

        return write(self._search_entries(), Path(path))["count"]

    def _search_entries(self, batch: int = 5000):
        """Every live resource's entry of the search index, by name (``SEARCH_ORDER``): (ctid, name,
        type label, owner names, description snippet, keywords). A full build's render workers hand
        back each page's keywords (``BuildIndex.keywords``, from the graphs they parse anyway); the
        others' come, per batch of resources, from one query to the store (``VALUES ?g``: the store
        looks each graph up, about 60 µs per resource at 100,000, so the total grows linearly);
        nothing is kept between batches but the names of owners (one look-up per owner)."""
        vocab, owners, rows = vocabulary(), {}, []
        keyword_props = " ".join(f"<{p}>" for p in KEYWORD_PROPERTIES)
        index = self.__dict__.get("build_index")
        known: dict[str, str] = index.keywords if index is not None else {}

        def entries():
            # (a render worker of an in-process store has none: what it did not see, published since
            # the build began, is in the next index, which that publication makes due)
            asked = [row for row in rows if row.ctid not in known] if self.registry.store is not None else []
            found: dict[str, list[str]] = {}  # "graph subject" -> keyword texts
            if asked:
                graphs = " ".join(f"<{graph_iri(row.ctid)}>" for row in asked)
                query = (f"SELECT ?g ?s ?k WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?k "
                         f"VALUES ?p {{ {keyword_props} }} FILTER(isLiteral(?k)) }} }}")
                for sol in self.registry.store.solutions(query):
                    found.setdefault(f'{sol["g"].value} {sol["s"].value}', []).append(sol["k"].value)
            for row in rows:
                names = []  # owner, offerer, publisher: whoever has a page here
                for iri in row.owners:
                    if iri not in owners:
                        hit = self.registry.lookup(iri)
                        owners[iri] = hit.name if hit is not None else ""
                    if owners[iri] and owners[iri] not in names:
                        names.append(owners[iri])
                description = " ".join(row.description.split())
                if len(description) > 240:
                    description = description[:239].rsplit(" ", 1)[0] + "…"
                joined = known.get(row.ctid)
                if joined is None:
                    keywords = keyword_list(found.get(f"{graph_iri(row.ctid)} {row.iri}", ()))
                else:
                    keywords = joined.split("\n") if joined else []
                yield (row.ctid, row.name or row.ctid, vocab.label(row.type) if row.type else "",
                       ", ".join(names), description, keywords)

        for row in self._live_rows(order=self.SEARCH_ORDER):
            rows.append(row)
            if len(rows) >= batch:
                yield from entries()
                rows = []
        if rows:
            yield from entries()

    def search_html(self) -> str:
        vocab = vocabulary()
        types = sorted({vocab.label(t) for t in self.registry.journal.counts_by_type()}, key=str.lower)
        return self.renderer.search_page(types=types, index_href=self.renderer.url("/search-index.json"))

    def _write_page(self, path: Path, html: str) -> None:
        """A page of a full build: written over the old one in place (``incremental.overwrite``)."""
        from .incremental import overwrite, static_links  # ?type= links -> the static type folders

        overwrite(str(path), static_links(html, self.renderer.base_url).encode("utf-8"))

    def write_browse_list(self, out: Path, folder: str, prefix: str, members: list[str],
                          owner: str | None = None, region: str | None = None) -> int:
        """Write the pages of one browse list (``members`` in list order, as a full build groups them);
        returns how many."""
        written = 0
        for name, html, _ in self.browse_list_pages(prefix, members, owner, region):
            self._write_page(Path(out) / folder / name, html)
            written += 1
        return written

    def browse_list_pages(self, prefix: str, members: Sequence, owner: str | None = None,
                          region: str | None = None, wanted: Iterable[int] | None = None,
                          bounds: Sequence | None = None):
        """(file name in the list's folder, HTML, rows) of the pages of one browse list at ``prefix``:
        every page (at least one), or those of ``wanted`` that exist. ``members``: the list in order,
        as CTIDs or as list-order keys ``(name, CTID)`` (``incremental._NameIndex``). ``bounds``: the
        key each page after the first starts at (a kept-current static list, whose pages hold the
        rows between them; ``members`` as keys); else every page holds ``PAGE_SIZE`` rows."""
        from bisect import bisect_left

        journal = self.registry.journal
        total = len(members)
        pages = max(1, math.ceil(total / PAGE_SIZE)) if bounds is None else len(bounds) + 1
        owner_name = None
        if owner:
            index = self.__dict__.get("build_index")
            row = (index.row(owner) if index is not None else None) or journal.resource(owner)
            owner_name = row.name if row is not None and row.live else None
        href = lambda n: self.renderer.url(prefix + ("" if n == 1 else f"page-{n}.html"))  # noqa: E731
        for page in range(1, pages + 1) if wanted is None else wanted:
            if page > pages:
                continue
            if bounds is None:
                chunk = members[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
            else:
                chunk = members[bisect_left(members, bounds[page - 2]) if page > 1 else 0:
                                bisect_left(members, bounds[page - 1]) if page <= len(bounds) else total]
            rows = self.list_rows([m if type(m) is str else m[1] for m in chunk])
            yield ("index.html" if page == 1 else f"page-{page}.html"), \
                self._filtered_page(rows, total, page, pages, None, None, owner, owner, owner_name, region, href), \
                len(rows)

    def write_browse_indexes(self, out: Path, *, search_index: bool = True) -> int:
        """Write /organizations, /states, /search and (unless ``search_index`` is false: a full build
        makes it in a render worker) /search-index.json; returns the pages written."""
        out = Path(out)
        self._write_page(out / "organizations" / "index.html", self.organizations_html(static=True))
        self._write_page(out / "states" / "index.html", self.states_html(static=True))
        self._write_page(out / "search" / "index.html", self.search_html())
        if search_index:
            self.write_search_index(out / "search-index.json")
        return 3
