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
        owner = next((o for o in (self.registry.lookup(iri) for iri in row.owners) if o is not None), None)
        return ResourceSummary(ctid=row.ctid, iri=row.iri, type=row.type, name=row.name,
                               description=row.description, owner_ctid=owner.ctid if owner else None,
                               owner_name=owner.name if owner else None, updated=row.updated_at)

    def lookup(self, iri: str) -> ResourceSummary | None:
        row = self.registry.lookup(iri)
        return self.summary(row) if row is not None else None

    # --- pages --------------------------------------------------------------------------

    def resource_html(self, row: ResourceRow) -> str:
        triples = self.registry.store.graph(row.ctid)
        return self.renderer.resource_page(row.ctid, triples, main_iri=row.iri, lookup=self.lookup,
                                           updated=row.updated_at,
                                           jsonld=jsonld_text(triples, row.iri, graph_iri(row.ctid)))

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

    def build(self, out: Path, progress: Callable[[int], None] | None = None) -> int:
        """Write the whole site into ``out``; return the number of resource pages."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        shutil.copytree(STATIC_DIR, out / "static", dirs_exist_ok=True)
        (out / "index.html").write_text(self.home_html(), encoding="utf-8")
        journal = self.registry.journal
        total = journal.count_resources()
        pages = max(1, math.ceil(total / PAGE_SIZE))
        (out / "resources").mkdir(exist_ok=True)
        for page in range(1, pages + 1):
            target = out / "resources" / ("index.html" if page == 1 else f"page-{page}.html")
            target.write_text(self.index_html(page, static=True), encoding="utf-8")
        count = 0
        offset = 0
        while True:
            rows = journal.resources(limit=500, offset=offset, order="seq")
            if not rows:
                break
            offset += len(rows)
            for row in rows:
                self.write_resource(out, row)
                count += 1
            if progress:
                progress(len(rows))
        return count

    def write_resource(self, out: Path, row: ResourceRow) -> None:
        folder = out / "resources" / row.ctid
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(self.resource_html(row), encoding="utf-8")
        for ext in MEDIA_TYPES:
            body, _ = self.resource_alternate(row, ext)
            (out / "resources" / f"{row.ctid}.{ext}").write_bytes(body)
