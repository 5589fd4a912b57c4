"""The site: every page and alternate, rendered from the store and the journal's index.

The web app serves these on request; ``registry site --out DIR`` writes the same
files for a plain static host (``resources/{ctid}/index.html`` with
``resources/{ctid}.ttl``, ``.jsonld`` and ``.nt`` beside it).
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Callable

from .core import Registry
from .formats import MEDIA_TYPES, jsonld_text, serialise
from .ingest.journal import ResourceRow
from .namespaces import graph_iri
from .pages import PageRenderer, ResourceSummary
from .paths import STATIC_DIR
from .vocab import vocabulary

PAGE_SIZE = 50


class Site:
    def __init__(self, registry: Registry, *, base_url: str | None = None):
        self.registry = registry
        self.renderer = PageRenderer(base_url if base_url is not None else registry.config.base_url,
                                     site_name=registry.config.site_name)

    # --- summaries ----------------------------------------------------------------------

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
        from .namespaces import CEASN, CTID_PROPERTIES, RDF_TYPE, SKOS
        from .pages import pick_text

        cache = _cache
        if cache is None:
            version = self.registry.journal.last_seq()
            cache = self.__dict__.get("_lookup_cache")
            if cache is None or cache["version"] != version or len(cache["iris"]) + len(cache["ctids"]) > 300_000:
                cache = {"version": version, "iris": {}, "ctids": {}, "graphs": {}}
                self._lookup_cache = cache
        iris = cache["iris"]
        if iri in iris:
            return iris[iri]
        row = self.registry.lookup(iri)
        if row is not None:
            iris[iri] = ResourceSummary(ctid=row.ctid, iri=row.iri, type=row.type, name=row.name,
                                        updated=row.updated_at)
            return iris[iri]
        iris[iri] = None
        ctid = ctid_from_iri(iri)
        if not ctid:
            return None
        # A member of another resource's graph (a competency): the framework whose graph says it
        # has this child holds it. Read that graph once and remember all its members.
        member_links = (CEASN + "hasTopChild", CEASN + "hasChild", SKOS + "hasTopConcept", SKOS + "narrower")
        graphs: dict[str, bool] = cache["graphs"]  # framework CTID -> whether its graph could be read
        for src, prop in self.registry.journal.links_to(ctid):
            if prop not in member_links:
                continue
            if src not in graphs:
                props: dict[str, dict[str, list]] = {}
                for t in self.registry.store.graph(src):
                    props.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object)
                graphs[src] = bool(props)
                for subject, p in props.items():
                    member_ctid = next((pick_text(p[c])[0] for c in CTID_PROPERTIES if c in p), "")
                    types = [o.value for o in p.get(RDF_TYPE, ())]
                    if not member_ctid or member_ctid == src or not types:
                        continue
                    label = next((pick_text(p[c])[0] for c in (CEASN + "competencyLabel", CEASN + "competencyText",
                                                                CEASN + "name", SKOS + "prefLabel") if c in p), "")
                    iris[subject] = ResourceSummary(ctid=member_ctid, iri=subject, type=types[0],
                                                    name=label or member_ctid, part_of=src)
            if not graphs[src]:  # no store to read it from (a render worker): name it by its framework
                framework = self.registry.journal.resource(src)
                if framework is not None and framework.live:
                    iris[iri] = ResourceSummary(ctid=ctid, iri=iri, type=CEASN + "Competency",
                                                name=f"A competency of {framework.name or src}", part_of=src)
            if iris.get(iri) is not None:
                break
        return iris.get(iri)

    # --- pages --------------------------------------------------------------------------

    def resource_html(self, row: ResourceRow, triples: list | None = None) -> str:
        """The page of one resource (``triples``: its graph, when the caller has read it already).

        Besides the graph, the page lists what refers to the resource and to its members (a
        framework's competencies), from the journal's links index: at most 1,000 resources are
        looked up; the page says how many more there are.
        """
        import json

        import pyoxigraph

        from .formats import to_jsonld
        from .namespaces import CTID_PROPERTIES
        from .pages import InverseLink

        journal = self.registry.journal
        if triples is None:
            triples = self.registry.store.graph(row.ctid)
        self.lookup(row.iri)  # brings the look-up cache up to the journal's version
        cache = self._lookup_cache

        def lookup(iri: str) -> ResourceSummary | None:
            return self.lookup(iri, _cache=cache)

        members = list(dict.fromkeys(t.object.value for t in triples
                                     if t.predicate.value in CTID_PROPERTIES and t.subject.value != row.iri
                                     and isinstance(t.object, pyoxigraph.Literal) and t.object.value != row.ctid))
        pairs = [(src, prop, "") for src, prop in journal.links_to(row.ctid) if src != row.ctid]
        for member in members[:5000]:
            pairs += [(src, prop, member) for src, prop in journal.links_to(member) if src != row.ctid]
        sources: dict[str, ResourceSummary | None] = cache["ctids"]
        inverse, not_looked_up, looked_up = [], set(), 0
        for src, prop, member in pairs:
            if src not in sources:
                if looked_up >= 1000:
                    not_looked_up.add(src)
                    continue
                looked_up += 1
                found = journal.resource(src)
                summary = None
                if found is not None and found.live:
                    owner = next((o for o in map(lookup, found.owners) if o is not None and not o.part_of), None)
                    summary = ResourceSummary(ctid=found.ctid, iri=found.iri, type=found.type, name=found.name,
                                              owner_ctid=owner.ctid if owner else None,
                                              owner_name=owner.name if owner else None)
                sources[src] = summary
            if sources[src] is not None:
                inverse.append(InverseLink(prop, sources[src], member))
        # The CTDL JSON-LD in the page is compact (the .jsonld alternate is the indented one).
        jsonld = json.dumps(to_jsonld(triples, row.iri, graph_iri(row.ctid)), ensure_ascii=False,
                            separators=(",", ":"))
        return self.renderer.resource_page(row.ctid, triples, main_iri=row.iri, lookup=lookup,
                                           updated=row.updated_at, jsonld=jsonld, inverse=inverse,
                                           inverse_omitted=len(not_looked_up))

    def resource_alternate(self, row: ResourceRow, ext: str) -> tuple[bytes, str]:
        media = MEDIA_TYPES[ext]
        triples = self.registry.store.graph(row.ctid)
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

    def index_html(self, page: int = 1, type_name: str | None = None, *, static: bool = False) -> str:
        journal = self.registry.journal
        types = self.type_filter(type_name)
        total = journal.count_resources(types) if types != [] else 0
        pages = max(1, math.ceil(total / PAGE_SIZE))
        page = min(max(1, page), pages)
        rows = journal.resources(type_iris=types, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE) \
            if types != [] else []
        title = f"{vocabulary().label(types[0]) if types else type_name} resources" if type_name else "All resources"
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

        See :mod:`registry.incremental`: one streaming read of the store, ``workers`` render
        processes, list pages per type, and the discovery files (sitemaps, feeds, /data) when an
        absolute ``base`` URL is known (default: this site's base_url).
        """
        from .incremental import StaticSite

        return StaticSite(self, out, base=base, workers=workers).build(progress).resources

    def write_resource(self, out: Path, row: ResourceRow) -> None:
        """Write one resource's page and its alternates, as the static build does."""
        from .incremental import Writer, static_links

        writer = Writer(Path(out), log_paths=False)
        writer.write(f"resources/{row.ctid}/index.html", static_links(self.resource_html(row), self.renderer.base_url))
        for ext in MEDIA_TYPES:
            body, _ = self.resource_alternate(row, ext)
            writer.write(f"resources/{row.ctid}.{ext}", body)

    # --- browse by organization and state, full-text search -----------------------------
    # (docs/search.md). Counts and the search index are computed from the journal's index
    # and cached per journal version (``last_seq``), so the pages stay cheap between publishes.

    def _browse_cached(self, key: str, compute: Callable[[], object]) -> object:
        cache = self.__dict__.setdefault("_browse_cache", {})
        version = self.registry.journal.last_seq()
        hit = cache.get(key)
        if hit is not None and hit[0] == version:
            return hit[1]
        value = compute()
        cache[key] = (version, value)
        return value

    def _live_rows(self, type_iris: list[str] | None = None, batch: int = 2000):
        """Every live resource (optionally of some types), read from the index in batches."""
        offset = 0
        while True:
            rows = self.registry.journal.resources(type_iris=type_iris, limit=batch, offset=offset, order="seq")
            if not rows:
                return
            offset += len(rows)
            yield from rows

    def organization_counts(self) -> list[dict]:
        """The organizations published here, by name, with how many live resources name each as owner.

        ``total`` counts resources whose ownedBy, offeredBy or publisher is the organization (what
        ``/resources?owner=CTID`` lists); ``owned`` and ``offered`` split it by property.
        """
        def compute() -> list[dict]:
            from .ingest.parse import ctid_from_iri
            from .namespaces import CETERMS

            totals: dict[str, int] = {}
            for row in self._live_rows():
                for key in {ctid_from_iri(o) or o for o in row.owners}:
                    totals[key] = totals.get(key, 0) + 1
            journal = self.registry.journal
            out = []
            for org in self._live_rows(self.type_filter("Organization") or None):
                links = journal.links_to(org.ctid)
                out.append({
                    "ctid": org.ctid, "name": org.name or org.ctid, "type": org.type, "regions": org.regions,
                    "total": totals.get(org.ctid.lower(), 0),
                    "owned": len({src for src, prop in links if prop == CETERMS + "ownedBy"}),
                    "offered": len({src for src, prop in links if prop == CETERMS + "offeredBy"}),
                })
            out.sort(key=lambda o: (o["name"].lower(), o["ctid"]))
            return out

        return self._browse_cached("organizations", compute)

    def _slug(self, text: str) -> str:
        import re

        return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "region"

    def state_slugs(self) -> dict[str, str]:
        """addressRegion value -> folder name used by the static build (``New Mexico`` -> ``new-mexico``)."""
        slugs: dict[str, str] = {}
        for region in self.registry.journal.counts_by_region():
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
        from urllib.parse import urlencode

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
        named = [t for t in types or () if t.rsplit("/", 1)[-1] == type_name]  # the class asked for, not a subclass
        what = f"{vocabulary().label(named[0]) if named else type_name} resource" if type_name else "resource"
        title = f"{total} {what}{'' if total == 1 else 's'}"
        if owner_key:
            title += f" owned or offered by {owner_name or owner_key}"
        if region:
            title += f" in {region}"
        if page_href is None:
            params = {k: v for k, v in (("type", type_name), ("owner", owner), ("state", region)) if v}

            def page_href(n: int) -> str:
                return "?" + urlencode({**params, "page": n})
        return self.renderer.index_page([self.summary(r) for r in rows], title=title, page=page, pages=pages,
                                        counts_by_type={}, type_filter=type_name, page_href=page_href)

    def search_index(self) -> dict:
        """The index ``/static/search.js`` searches: one entry per live resource (docs/search.md)."""
        def compute() -> dict:
            from .namespaces import CEASN, CETERMS

            keywords: dict[tuple[str, str], list[str]] = {}
            seen: dict[tuple[str, str], set[str]] = {}
            query = ("SELECT ?g ?s ?k WHERE { GRAPH ?g { ?s ?p ?k "
                     f"VALUES ?p {{ <{CETERMS}keyword> <{CEASN}conceptKeyword> }} FILTER(isLiteral(?k)) }} }}")
            for sol in self.registry.store.solutions(query):
                key = (sol["g"].value, sol["s"].value)
                text = " ".join(sol["k"].value.split())
                if text and text.lower() not in seen.setdefault(key, set()) and len(seen[key]) < 40:
                    seen[key].add(text.lower())
                    keywords.setdefault(key, []).append(text)
            vocab, owners, entries = vocabulary(), {}, []
            for row in self._live_rows():
                names = []  # owner, offerer, publisher: whoever has a page here
                for iri in row.owners:
                    if iri not in owners:
                        found = self.registry.lookup(iri)
                        owners[iri] = found.name if found is not None else ""
                    if owners[iri] and owners[iri] not in names:
                        names.append(owners[iri])
                owner_name = ", ".join(names)
                description = " ".join(row.description.split())
                if len(description) > 240:
                    description = description[:239].rsplit(" ", 1)[0] + "…"
                entries.append({"ctid": row.ctid, "name": row.name or row.ctid,
                                "type": vocab.label(row.type) if row.type else "", "owner": owner_name,
                                "description": description,
                                "keywords": keywords.get((graph_iri(row.ctid), row.iri), [])})
            entries.sort(key=lambda e: (e["name"].lower(), e["ctid"]))
            return {"version": 1, "count": len(entries), "resources": entries}

        return self._browse_cached("search", compute)

    def search_index_json(self) -> bytes:
        import json

        return self._browse_cached(
            "search-json", lambda: json.dumps(self.search_index(), ensure_ascii=False,
                                              separators=(",", ":")).encode("utf-8"))

    def search_html(self) -> str:
        vocab = vocabulary()
        types = sorted({vocab.label(t) for t in self.registry.journal.counts_by_type()}, key=str.lower)
        return self.renderer.search_page(types=types, index_href=self.renderer.url("/search-index.json"))

    def build_browse(self, out: Path) -> int:
        """Write /organizations, /states, their filtered lists, /search and /search-index.json into a
        static build (after :meth:`build`, which copies ``static/search.js``). Returns the pages written."""
        out = Path(out)
        written = 0

        try:  # ?type= links of list rows -> the static type folders, as for /resources
            from .incremental import static_links
        except ImportError:
            def static_links(html: str, base: str) -> str:
                return html

        def write(path: Path, html: str | None) -> None:
            nonlocal written
            if html is None:
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(static_links(html, self.renderer.base_url), encoding="utf-8")
            written += 1

        def lists(folder: Path, prefix: str, **filters) -> None:
            total = self._count_filtered(None, filters.get("owner"), filters.get("state"))
            pages = max(1, math.ceil(total / PAGE_SIZE))
            href = lambda n: self.renderer.url(prefix + ("" if n == 1 else f"page-{n}.html"))
            for page in range(1, pages + 1):
                write(folder / ("index.html" if page == 1 else f"page-{page}.html"),
                      self.filtered_index_html(page, page_href=href, **filters))

        write(out / "organizations" / "index.html", self.organizations_html(static=True))
        for org in self.organization_counts():
            if org["total"]:
                lists(out / "organizations" / org["ctid"], f"/organizations/{org['ctid']}/", owner=org["ctid"])
        write(out / "states" / "index.html", self.states_html(static=True))
        for region, slug in self.state_slugs().items():
            lists(out / "states" / slug, f"/states/{slug}/", state=region)
        write(out / "search" / "index.html", self.search_html())
        (out / "search-index.json").write_bytes(self.search_index_json())
        return written

    def search_index_gzip(self) -> bytes:
        """:meth:`search_index_json`, gzipped once per journal version (the live site sends this)."""
        import gzip

        return self._browse_cached("search-gzip", lambda: gzip.compress(self.search_index_json(), mtime=0))
