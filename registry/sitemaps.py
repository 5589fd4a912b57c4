"""Sitemaps: an index at ``/sitemap.xml``, gzipped children per resource type, and one for the pages.

* ``/sitemaps/{Type}-{n}.xml.gz``: the live resources of one CTDL class (``Certificate-1.xml.gz``),
  at most :data:`MAX_URLS` each, ``<lastmod>`` = the resource's last real change
  (``resources.updated_at``). Deleted resources are not listed.
* ``/sitemaps/pages.xml.gz``: the home page, the resource lists (all, and one per type) and ``/data``.
* ``/sitemap.xml``: the index of those files, each with the newest ``<lastmod>`` it contains.

Positions are stable: a type's resources are numbered in the order they were first indexed
(SQLite rowid), deleted ones included, and file ``n`` holds numbers ``(n-1)*MAX_URLS`` up to
``n*MAX_URLS - 1``. Publishing or deleting one resource therefore changes exactly one child
file (plus the index); a new resource lands in the type's last file. A resource that changes type
keeps its rowid, so it lands among the new type's members and the later ones shift: every file of
both types is redone then. A file whose resources are all deleted is dropped from the index.

The same bytes are served live (``registry.discovery``) and written by the static build
(gzip with mtime 0, so identical content gives identical files).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .ingest.journal import Journal
from .namespaces import compact
from .pages import local_name

# The protocol allows 50,000 URLs per file; a change rewrites the whole file that lists it, so smaller
# files keep an update cheap (at 100,000 resources a 10,000-URL file took ~45 ms to read, write and
# gzip; a 2,000-URL one takes ~8) at the cost of a longer index (100,000 resources of 20 types: about
# 60 files; 650,000: about 340, of the 50,000 an index may list).
MAX_URLS = 2_000
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
PAGES_FILE = "pages.xml.gz"


def chunks(members: list[tuple[str, str, str | None]], limit: int = MAX_URLS) -> list[list[tuple[str, str]]]:
    """Split a type's members ((ctid, updated_at, deleted_at) in rank order) into files.

    File ``i`` takes positions ``i*limit`` .. ``(i+1)*limit - 1`` and lists only the live ones as
    (ctid, updated_at). Trailing files with nothing live are left out; empty files in the
    middle stay in the list (as ``[]``) so later numbers do not move.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    out = [[(c, u) for c, u, d in members[i:i + limit] if d is None] for i in range(0, len(members), limit)]
    while out and not out[-1]:
        out.pop()
    return out


def gz(data: bytes) -> bytes:
    """Deterministic gzip (no timestamp, no file name)."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def _escape(text: str) -> str:
    """XML character data: URLs and dates rarely hold ``&``, ``<`` or ``>``, so look first."""
    return escape(text) if "&" in text or "<" in text or ">" in text else text


def urlset(urls: list[tuple[str, str]]) -> bytes:
    """A ``<urlset>`` of (absolute URL, lastmod)."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<urlset xmlns="{NS}">\n']
    for loc, lastmod in urls:
        parts.append(f"<url><loc>{_escape(loc)}</loc>" + (f"<lastmod>{_escape(lastmod)}</lastmod>" if lastmod else "")
                     + "</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts).encode("utf-8")


def sitemapindex(children: list[tuple[str, str]]) -> bytes:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<sitemapindex xmlns="{NS}">\n']
    for loc, lastmod in children:
        parts.append(f"<sitemap><loc>{escape(loc)}</loc>"
                     + (f"<lastmod>{escape(lastmod)}</lastmod>" if lastmod else "") + "</sitemap>\n")
    parts.append("</sitemapindex>\n")
    return "".join(parts).encode("utf-8")


@dataclass
class Child:
    name: str  # file name under /sitemaps/
    lastmod: str
    body: bytes  # gzipped <urlset>


class Sitemaps:
    """Sitemap files of one registry, for a site at ``base`` (absolute, no trailing slash)."""

    def __init__(self, journal: Journal, base: str, *, limit: int = MAX_URLS, static: bool = False):
        self.journal = journal
        self.base = base.rstrip("/")
        self.limit = limit
        self.static = static

    # -- names -------------------------------------------------------------------------

    def stems(self) -> dict[str, str]:
        """Type IRI -> file stem: its local name, or prefix-local when two types share a local name."""
        types = self.journal.all_types()
        seen: dict[str, int] = {}
        for t in types:
            seen[local_name(t)] = seen.get(local_name(t), 0) + 1
        out = {}
        for t in types:
            stem = local_name(t) if seen[local_name(t)] == 1 else compact(t).replace(":", "-").replace("/", "-")
            out[t] = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in stem)
        return out

    @staticmethod
    def file_name(stem: str, n: int) -> str:
        return f"{stem}-{n}.xml.gz"

    def url(self, path: str) -> str:
        return self.base + path

    # -- children ----------------------------------------------------------------------

    def type_children(self, type_iri: str, stem: str | None = None, only: set[int] | None = None) -> list[Child | None]:
        """Every file of one type, numbered from 1; None where a file has nothing live (not listed).

        ``only``: build just these file numbers (the others come back as placeholders with no body).
        """
        stem = stem or self.stems()[type_iri]
        out: list[Child | None] = []
        for i, chunk in enumerate(chunks(self.journal.type_members(type_iri), self.limit), 1):
            if not chunk:
                out.append(None)
                continue
            if only is not None and i not in only:
                out.append(Child(self.file_name(stem, i), max(u for _, u in chunk), b""))
                continue
            out.append(self._child(stem, i, chunk))
        return out

    def _child(self, stem: str, n: int, live: list[tuple[str, str]]) -> Child | None:
        """File ``n`` of a type listing ``live`` ((ctid, updated_at) in rank order); None when empty."""
        if not live:
            return None
        urls = [(self.url(f"/resources/{ctid}"), updated) for ctid, updated in live]
        return Child(self.file_name(stem, n), max(u for _, u in live), gz(urlset(urls)))

    def type_files(self, type_iri: str, stem: str, numbers: set[int]) -> tuple[int, dict[int, Child | None]]:
        """What an update needs of one type: how many files it has (as :meth:`type_children` counts
        them) and files ``numbers`` (None: nothing live), each read from the journal on its own; the
        other files' members are not read."""
        files = -(-self.journal.type_extent(type_iri) // self.limit)
        out: dict[int, Child | None] = {}
        for n in sorted(numbers):
            live = [(c, u) for c, u, d in self.journal.type_slice(type_iri, (n - 1) * self.limit, self.limit)
                    if d is None] if 1 <= n <= files else []
            out[n] = self._child(stem, n, live)
        return files, out

    def index_entries(self) -> list[tuple[str, str]]:
        """(file name, lastmod) of every file, pages first, without building the files."""
        out = [(PAGES_FILE, self.journal.last_updated() or "")]
        for type_iri, stem in self.stems().items():
            out += [(c.name, c.lastmod) for c in self.type_children(type_iri, stem, only=set()) if c is not None]
        return out

    def child_number(self, ctid: str) -> tuple[str, int] | None:
        """(type, file number) of the file that lists (or listed) ``ctid``."""
        found = self.journal.type_rank(ctid)
        if found is None:
            return None
        return found[0], found[1] // self.limit + 1

    def pages_urls(self) -> list[tuple[str, str]]:
        last = self.journal.last_updated() or ""
        urls = [(self.url("/"), last), (self.url("/resources/" if self.static else "/resources"), last)]
        for type_iri in self.journal.counts_by_type():
            name = local_name(type_iri)
            urls.append((self.url(f"/resources/types/{name}/" if self.static else f"/resources?type={name}"), last))
        urls.append((self.url("/data/" if self.static else "/data"), last))
        return urls

    def pages_child(self) -> Child:
        urls = self.pages_urls()
        return Child(PAGES_FILE, urls[0][1], gz(urlset(urls)))

    def all_children(self) -> list[Child]:
        out = [self.pages_child()]
        for type_iri, stem in self.stems().items():
            out += [c for c in self.type_children(type_iri, stem) if c is not None]
        return out

    def child(self, name: str) -> Child | None:
        """One file by name (for the live route)."""
        if name == PAGES_FILE:
            return self.pages_child()
        for type_iri, stem in self.stems().items():
            prefix = stem + "-"
            if name.startswith(prefix) and name.endswith(".xml.gz") and name[len(prefix):-7].isdigit():
                n = int(name[len(prefix):-7])
                children = self.type_children(type_iri, stem)
                if 1 <= n <= len(children):
                    return children[n - 1]
        return None

    def index(self, children: list[tuple[str, str]]) -> bytes:
        """The index, from (file name, lastmod) pairs (pages first, then by name)."""
        ordered = sorted(children, key=lambda c: (c[0] != PAGES_FILE, c[0]))
        return sitemapindex([(self.url("/sitemaps/" + name), lastmod) for name, lastmod in ordered])
