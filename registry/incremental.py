"""The static output directory: a full (parallel) build, and incremental updates that keep it current.

``registry site --out DIR`` calls :meth:`StaticSite.build`; ``registry serve --site-dir DIR``
registers a :class:`SiteUpdater` as a Registry listener, which calls :meth:`StaticSite.sync`
after every commit.

Layout of DIR (the live site serves the same content at the same paths, except where noted):

* ``index.html``, ``resources/index.html``, ``resources/page-{n}.html``;
  ``resources/types/{Type}/index.html`` and ``page-{n}.html`` (static only: the live site
  answers ``/resources?type=Type&page=n``; links to ``?type=`` are rewritten to these folders);
* ``resources/{ctid}/index.html`` and ``resources/{ctid}.ttl``, ``.jsonld``, ``.nt``;
* ``robots.txt``, ``sitemap.xml``, ``sitemaps/*.xml.gz``, ``feed.atom``, ``changes.json``,
  ``changes/page-{n}.json``, ``data/index.html``, ``data.ttl``, ``data.jsonld``,
  ``data/registry.nq.gz`` (discovery files need an absolute base URL);
* ``.registry-site.json``: the journal seq the directory reflects, and what it holds;
  ``.registry-site-lists.json``: where each list page starts.

Full build
    Every look-up the pages make is read once first (``sitegen.BuildIndex``). Then ``workers``
    processes, forked after the templates, the vocabulary and the look-ups are loaded, render the
    resources in batches, each reading its batch's graphs from the journal (``Journal.graphs``:
    the graph of each accepted version is kept there; :func:`keep_graphs` copies from the store
    those an older journal lacks); each resource's JSON-LD is computed once for its page and its
    ``.jsonld``. Meanwhile the main process writes the dump from the same graphs. docs/site.md
    has the figures.

Incremental update (:meth:`StaticSite.sync`)
    Reads the journal entries after the seq in the state file and re-renders what they touch:
    each changed resource (or removes its files), the resources that link to it or that it
    links (now or in the version the directory showed), the list pages that hold it now or held
    it (in the list of everything, every type list and every browse list it belongs to; lists
    are cut at stored boundaries, ``BOUNDS_FILE``, so a row that comes or goes does not shift the
    pages after it; page 1, which counts them, too), the home page, the sitemap file that lists
    it, the sitemap index, the feeds and ``/data``. Runs under an exclusive lock on the
    directory, so several server processes can share it; whichever runs next renders everything
    not yet rendered, in journal order. :meth:`StaticSite.refresh_slow` (when idle) rewrites what
    reads every resource and cuts the lists whose page sizes drifted evenly again.
"""

from __future__ import annotations

import copy
import fcntl
import gc
import itertools
import json
import logging
import math
import os
import re
import shutil
import sys
import threading
import time
from bisect import bisect_right
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from . import feeds as feeds_mod
from .catalog import Catalog
from .core import parse_ntriples
from .dump import FILENAME as DUMP_FILENAME
from .dump import gzip_member
from .feeds import Feeds, page_of
from .formats import MEDIA_TYPES
from .ingest.load import OWNER_PROPERTIES
from .ingest.parse import ctid_from_iri
from .namespaces import graph_iri
from .pages import _Graph, local_name
from .paths import STATIC_DIR
from .search_index import page_keywords
from .sitemaps import MAX_URLS, PAGES_FILE, Sitemaps
from .store import LocalStore, RemoteStore, Store

log = logging.getLogger("registry.site")

STATE_FILE = ".registry-site.json"
LOCK_FILE = ".registry-site.lock"
SLOW_LOCK_FILE = ".registry-site-slow.lock"
LIST_FORMAT = 3  # 2: pages after the first name neither the page count nor the last page;
# 3: and the kept-current pages are cut at stored boundaries (BOUNDS_FILE)
BOUNDS_FILE = ".registry-site-lists.json"  # list key -> the sort key each page after the first starts at
MAX_DRIFT = 4  # a kept-current list page holding more than this many pages' rows is rebalanced at once
FIRST_PAGE = ("", "")  # sorts before every row: names page 1 of a list among the rows that changed


def _drifted(state: dict, everything=()) -> list[str]:
    """The lists whose page sizes drifted since they were last cut evenly (list keys, browse folders;
    ``True``, as a directory kept by an earlier version says: ``everything``)."""
    found = state.get("lists_drifted") or []
    return list(found) if isinstance(found, list) else list(everything)
PAGE_SIZE = 50  # rows per list page (registry.sitegen.PAGE_SIZE)
RESOURCE_BATCH = 200  # resources per task of a render worker
FEW_MISSING = 1000  # keep_graphs reads this many graphs one by one, more in one streaming read


def robots_txt(base: str | None, sitemap_path: str | None = "/sitemap.xml") -> str:
    """robots.txt: pages are for crawlers; the query endpoint and the API are not."""
    lines = ["User-agent: *", "Disallow: /sparql", "Disallow: /api/", "Disallow: /validate", "Allow: /", ""]
    if base and sitemap_path:
        lines.append(f"Sitemap: {base.rstrip('/')}{sitemap_path}")
    return "\n".join(lines) + "\n"


def _has_type_query(html: str) -> bool:
    """``"?type=" in html``, 20 times faster on a page: a page has few "?" but hundreds of "=", the
    last character of the pattern, and ``in`` took 35 µs on a 38,000-character page (one with a
    character beyond Latin-1); finding each "?" takes 2 µs."""
    i = html.find("?")
    while i >= 0:
        if html.startswith("type=", i + 1):
            return True
        i = html.find("?", i + 1)
    return False


def static_links(html: str, base: str) -> str:
    """Point ``?type=X`` list links at the static type folders (a static host ignores queries)."""
    if not _has_type_query(html):
        return html
    pattern = re.compile(r'href="(?:' + re.escape(base) + r'/resources)?\?type=([A-Za-z0-9_.%-]+)"')
    return pattern.sub(lambda m: f'href="{base}/resources/types/{m.group(1)}/"', html)


# --- writing files -----------------------------------------------------------------------


_PAGE = 4096
_ZEROS = bytes(_PAGE)


def overwrite(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` over what is there, then cut the file to its length.

    Not atomic: for the full build, which rewrites every file of a site. It does not open with
    ``O_TRUNC``: ext4 (``auto_da_alloc``) starts writing back a file truncated to zero when it is
    closed, in the writer's time (rewriting a site that way took about five times the kernel time,
    and the writers waited on the disk besides). And it writes whole pages (the last one padded with
    zeros, cut off again by the truncation): a page written only in part must first be read from
    the disk when the old file is no longer in memory (a site rewritten a day later: 0.3 ms per
    resource waiting on the disk, 0.06 ms with whole pages). Its folder is made only when the file
    cannot be opened (a rebuild finds them all there: no ``mkdir`` per file). docs/site.md
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        size = len(data)
        tail = -size % _PAGE
        done = os.writev(fd, (data, _ZEROS[:tail]))  # no copy of the page to pad it
        if done < size + tail:
            view = memoryview(data + _ZEROS[:tail])[done:]
            while view:
                view = view[os.write(fd, view):]
        os.ftruncate(fd, size)
    finally:
        os.close(fd)


class Writer:
    """Writes files under ``out``, atomically when asked; keeps a log of what it wrote and removed."""

    def __init__(self, out: Path, *, atomic: bool = True, log_paths: bool = True):
        self.out = Path(out)
        self.atomic = atomic
        self.log_paths = log_paths
        self.written: list[str] = []
        self.removed: list[str] = []
        self._dirs: set[str] = set()

    def write(self, rel: str, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        path = os.path.join(self.out, rel)
        if self.atomic:
            folder = os.path.dirname(path)
            if folder not in self._dirs:
                os.makedirs(folder, exist_ok=True)
                self._dirs.add(folder)
            tmp = f"{path}.tmp-{os.getpid()}-{threading.get_ident()}"
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        else:  # the full build: no file object, an old file overwritten in place
            overwrite(path, data)
        if self.log_paths:
            self.written.append(rel)

    def write_if_changed(self, rel: str, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        try:
            if (self.out / rel).read_bytes() == data:
                return
        except OSError:
            pass
        self.write(rel, data)

    def remove(self, rel: str) -> None:
        path = self.out / rel
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink()
        else:
            return
        if self.log_paths:
            self.removed.append(rel)


# --- reading every graph at once -------------------------------------------------------

# A run of consecutive N-Quads lines in one resource graph (``… <urn:ctid:X> .``): the regular
# expression engine walks the lines, Python sees one match per graph (and per chunk).
_GRAPH_RUN = re.compile(rb"[^\n]* <urn:ctid:([^>\n]+)> \.\n(?:[^\n]* <urn:ctid:\1> \.\n)*")


def _lines_by_graph(chunks: Iterator[bytes]) -> Iterator[tuple[str, bytes]]:
    """Group N-Quads lines by graph as they stream in: (ctid, lines) per run of one graph.
    Lines of other graphs (the default graph, other names) are left out."""
    rest = b""
    current: bytes | None = None
    parts: list[bytes] = []

    def runs(data: bytes, end: int):
        nonlocal current, parts
        for m in _GRAPH_RUN.finditer(data, 0, end):
            g = m.group(1)
            if g != current:
                if parts:
                    yield current.decode("ascii"), b"".join(parts)
                current, parts = g, []
            parts.append(m.group(0))

    for chunk in chunks:
        data = rest + chunk if rest else chunk
        cut = data.rfind(b"\n") + 1
        rest = data[cut:]
        yield from runs(data, cut)
    if rest.strip():
        last = rest.rstrip() + b"\n"
        yield from runs(last, len(last))
    if parts:
        yield current.decode("ascii"), b"".join(parts)


def _http_chunks(url: str, accept: str, timeout: float = 600.0) -> Iterator[bytes]:
    """The body of a GET, in chunks of up to 1 MB (http.client: a quarter of httpx's CPU for a
    large body); raises OSError/HTTPException on failure, ValueError for an unexpected answer."""
    import http.client
    from urllib.parse import urlsplit

    u = urlsplit(url)
    conn_class = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
    conn = conn_class(u.hostname, u.port, timeout=timeout)
    try:
        conn.request("GET", (u.path or "/") + (f"?{u.query}" if u.query else ""), headers={"Accept": accept})
        r = conn.getresponse()
        if r.status != 200 or not (r.getheader("content-type") or "").startswith(accept):
            raise ValueError(f"answered {r.status} {r.getheader('content-type')}")
        while True:
            data = r.read(1 << 20)
            if not data:
                return
            yield data
    finally:
        conn.close()


def stream_graphs(store: Store) -> Iterator[tuple[str, bytes]]:
    """Every resource graph as (ctid, N-Quads bytes), from one streaming read of the store.

    Oxigraph (``oxigraph serve``'s ``GET /store``, or the on-disk store's dump) gives its quads
    grouped by graph; other servers are read with one ``SELECT ?s ?p ?o ?g`` query. A CTID may
    come twice if the server does not group: callers must handle that.
    """
    if isinstance(store, RemoteStore) and store.gsp_url and store.gsp_url.startswith(("http://", "https://")):
        chunks = _http_chunks(store.gsp_url, "application/n-quads")
        try:
            first = next(chunks, b"")
        except Exception as exc:  # noqa: BLE001 - fall back to SPARQL below
            log.info("GET %s as N-Quads failed (%s); reading with SPARQL", store.gsp_url, exc)
        else:
            yield from _lines_by_graph(itertools.chain([first], chunks))
            return
    if isinstance(store, LocalStore):
        import tempfile

        with tempfile.TemporaryFile() as fh:
            store._store.dump(fh, format=ox.RdfFormat.N_QUADS)
            fh.seek(0)
            yield from _lines_by_graph(iter(lambda: fh.read(1 << 20), b""))
        return
    for batch in store.quads():
        data = ox.serialize(batch, format=ox.RdfFormat.N_QUADS)
        yield from _lines_by_graph(iter([data]))


class _DumpFile:
    """``data/registry.nq.gz``: gzip members (:func:`registry.dump.gzip_member`), each the N-Quads of
    a batch of ``RESOURCE_BATCH`` resources in the journal's order, one after the other (one gzip
    stream: RFC 1952, 2.2); replaced atomically when closed. A full build's render workers make the
    members (:func:`_resource_task`), the idle refresh :func:`write_dump_file`: the same bytes."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        self.fh = open(self.tmp, "wb")
        self._members = 0

    def write_member(self, member: bytes) -> None:
        self.fh.write(member)
        self._members += 1

    def discard(self) -> None:
        self.fh.close()
        self.tmp.unlink(missing_ok=True)

    def close(self) -> None:
        if not self._members:  # nothing live: still a gzip file
            self.fh.write(gzip_member(b""))
        self.fh.close()
        os.replace(self.tmp, self.path)


def dump_member(graphs: Iterable[tuple[str, bytes]]) -> bytes:
    """One batch's graphs (CTID, N-Triples) in the dump: their N-Quads as one gzip member ("" for none)."""
    nquads = b"".join(_nquads(ctid, data) for ctid, data in graphs)
    return gzip_member(nquads) if nquads else b""


def write_dump_file(journal, path: Path) -> None:
    """The whole registry as gzipped N-Quads, from the journal's copies of the graphs, as a full
    build writes it (what the idle refresh writes)."""
    dump = _DumpFile(path)
    try:
        ctids = journal.live_ctids()
        for i in range(0, len(ctids), RESOURCE_BATCH):
            batch = ctids[i:i + RESOURCE_BATCH]
            graphs = journal.graphs(batch)
            member = dump_member((ctid, graphs[ctid]) for ctid in batch if ctid in graphs)
            if member:
                dump.write_member(member)
    except BaseException:
        dump.discard()
        raise
    dump.close()


def _ntriples(ctid: str, nquads: bytes) -> bytes:
    """One graph's N-Quads lines (as :func:`_lines_by_graph` gives them) as N-Triples: each line
    loses its graph name. A literal cannot hold a line break (N-Quads writes it ``\\n``), so the
    graph name followed by `` .`` and a line break only ever ends a line."""
    return nquads.replace(f" <{graph_iri(ctid)}> .\n".encode("ascii"), b" .\n")


def _graph_of(ctid: str, nquads: bytes) -> bytes:
    """:func:`_ntriples` of one graph's lines, checked: a default-graph line whose object is the
    graph's name ends like the graph's lines and comes along; then the lines are read as N-Quads and
    only the graph's statements kept."""
    ntriples = _ntriples(ctid, nquads)
    try:
        for _ in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
            pass
        return ntriples
    except SyntaxError:
        g = ox.NamedNode(graph_iri(ctid))
        return ox.serialize([q.triple for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS) if q.graph_name == g],
                            format=ox.RdfFormat.N_TRIPLES)


def _nquads(ctid: str, ntriples: bytes) -> bytes:
    """The reverse of :func:`_ntriples`: each line of the graph in its named graph (split and joined:
    a quarter faster than ``replace``, whose search stops at every space)."""
    end = f" <{graph_iri(ctid)}> .\n".encode("ascii")
    if not ntriples.endswith(b" .\n"):  # nothing, or not pyoxigraph's lines
        return ntriples.replace(b" .\n", end)
    return end.join(ntriples[:-3].split(b" .\n")) + end


def keep_graphs(journal, store: Store | None) -> int:
    """Copy into the journal, from the store, the graphs of live resources it has none of for their
    current version (published before it kept graphs, or since by a version without them); return
    how many it kept. A few are read one by one, many (an old journal) in one streaming read of the
    store. A version published meanwhile keeps its own graph (``Journal.copy_graph``). One query
    when nothing is missing."""
    missing = journal.without_graph()
    if not missing or store is None:
        return 0
    log.info("copying %d resource graphs from the store into the journal", len(missing))
    kept = 0
    pending: list[tuple[str, bytes]] = []

    def flush() -> None:
        nonlocal kept
        with journal.transaction() as db:
            kept += sum(journal.copy_graph(db, ctid, data, missing[ctid]) for ctid, data in pending if data)
        pending.clear()

    def keep(ctid: str, data: bytes) -> None:
        pending.append((ctid, data))
        if len(pending) >= 500:
            flush()

    def one(ctid: str) -> bytes:
        return ox.serialize(store.graph(ctid), format=ox.RdfFormat.N_TRIPLES)

    if len(missing) <= FEW_MISSING:
        for ctid in missing:
            keep(ctid, one(ctid))
    else:
        seen: set[str] = set()
        split: list[str] = []
        for ctid, data in stream_graphs(store):
            if ctid in missing:
                if ctid in seen:  # a store that does not group its quads by graph: read it on its own below
                    split.append(ctid)
                else:
                    seen.add(ctid)
                    keep(ctid, _graph_of(ctid, data))
        for ctid in dict.fromkeys(split):  # after the piece kept above, which it replaces
            keep(ctid, one(ctid))
    flush()
    return kept


class _Snapshot:
    """The journal during one update: the aggregate queries that several files ask for (counts by
    type, newest change, entry count, types) run once; everything else goes to the journal."""

    _MEMO = ("counts_by_type", "last_updated", "entry_count", "all_types", "last_seq")

    def __init__(self, journal, names: "_NameIndex | None" = None):
        self._journal = journal
        self._memo: dict[str, object] = {}
        if names is not None:  # live resources per type, from the list order in memory (no table scan)
            names.refresh()
            self._memo["counts_by_type"] = {t: len(keys) for t, keys in sorted(names.by_type.items()) if keys}

    def __getattr__(self, name):
        value = getattr(self._journal, name)
        if name not in self._MEMO:
            return value

        def memo():
            if name not in self._memo:
                self._memo[name] = value()
            result = self._memo[name]
            return dict(result) if isinstance(result, dict) else list(result) if isinstance(result, list) else result
        return memo


# --- list order in memory ----------------------------------------------------------------

_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


FREEZE_FROM = 10_000  # resources from which the names index is kept out of the cyclic collector's way


def _out_of_the_collectors_way() -> None:
    """The names index holds a few objects per live resource (about a million at 100,000), kept as
    long as the process: Python's cyclic collector would walk them all in each full collection, which
    it starts every so many allocations, and stall the update under way by 50-150 ms. Collected once
    now (the garbage of the moment is not kept), then frozen: out of its reach. ``gc.freeze`` takes
    every object alive at that moment, not only the index's: those are still freed when no longer
    referenced, except objects in reference cycles, which stay (once per process and index load: a
    bounded cost, like a build's look-up index that happens to be alive then)."""
    gc.collect()
    gc.freeze()


def _sort_key(name: str, ctid: str) -> tuple[str, str]:
    """The lists' order, ``ORDER BY name COLLATE NOCASE, ctid``: SQLite's NOCASE folds ASCII
    letters only and compares UTF-8 bytes, which is code point order."""
    return name.translate(_FOLD), ctid


class _NameIndex:
    """Every live resource in list order, per type, per owner and per state, kept in memory: where
    a resource sits in a list and which rows a page holds, without sorting the table (it has no
    index on names) or scanning it for an owner or a state. Brought up to date from the journal
    (entries after the seq it reflects) before each use."""

    def __init__(self, journal):
        self.journal = journal
        self.seq = -1
        self.all: list[tuple[str, str]] = []
        self.by_type: dict[str, list[tuple[str, str]]] = {}
        # owner key (an organization's CTID, as the browse lists name it) / addressRegion -> list order
        self.by_owner: dict[str, list[tuple[str, str]]] = {}
        self.by_region: dict[str, list[tuple[str, str]]] = {}
        self.where: dict[str, tuple[str, tuple[str, str], tuple[str, ...], tuple[str, ...]]] = {}
        # ctid -> (type, key, owner keys, regions)
        self.merged: dict[tuple[str, ...], list[tuple[str, str]]] = {}  # a list of several types, made
        # on first use (Credential: every credential class) and then kept current like the others
        self.frozen = False  # a full build cuts its pages and their boundaries from one snapshot

    @staticmethod
    def _facets(owners: list[str], regions: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        intern = sys.intern  # a CTID, owner or region once in memory, however many lists hold it
        return (tuple(sorted({intern(ctid_from_iri(o) or o) for o in owners})),
                tuple(sorted(set(map(intern, regions)))))

    def _lists_of(self, place) -> list[list[tuple[str, str]]]:
        type_iri, _, owners, regions = place
        return [self.all, self.by_type.setdefault(type_iri, []),
                *(self.by_owner.setdefault(o, []) for o in owners),
                *(self.by_region.setdefault(r, []) for r in regions),
                *(keys for types, keys in self.merged.items() if type_iri in types)]

    def refresh(self) -> None:
        import sqlite3
        from bisect import bisect_left, insort

        if self.frozen and self.seq >= 0:
            return
        seq = self.journal.last_seq()
        if seq == self.seq:
            return
        if self.seq < 0:
            db = sqlite3.connect(self.journal.path)
            try:
                rows = db.execute("SELECT ctid, name, type, owners, regions FROM resources WHERE deleted_at IS NULL")
                intern = sys.intern  # (see _facets)
                for ctid, name, type_iri, owners, regions in rows:
                    ctid = intern(ctid)
                    place = (intern(type_iri), _sort_key(name, ctid),
                             *self._facets(owners.split(), [r for r in regions.split("\t") if r]))
                    self.where[ctid] = place
                    for keys in self._lists_of(place)[1:]:
                        keys.append(place[1])
            finally:
                db.close()
            for group in (self.by_type, self.by_owner, self.by_region):
                for keys in group.values():
                    keys.sort()
            self.all = sorted(k for keys in self.by_type.values() for k in keys)
            if len(self.where) >= FREEZE_FROM:
                _out_of_the_collectors_way()
        else:
            changed = dict.fromkeys(c for _, c, _ in self.journal.changed_since(self.seq))
            rows = self.journal.resources_by_ctid(list(changed))
            for ctid in changed:
                old = self.where.pop(ctid, None)
                if old is not None:
                    for keys in self._lists_of(old):
                        i = bisect_left(keys, old[1])
                        if i < len(keys) and keys[i] == old[1]:
                            del keys[i]
                row = rows.get(ctid)
                if row is not None and row.live:
                    place = (row.type, _sort_key(row.name, ctid), *self._facets(row.owners, row.regions))
                    self.where[ctid] = place
                    for keys in self._lists_of(place):
                        insort(keys, place[1])
        self.seq = seq

    def _lists(self, types: list[str] | None) -> list[list[tuple[str, str]]]:
        if types is None:
            return [self.all]
        lists = [self.by_type[t] for t in types if self.by_type.get(t)]
        if len(lists) < 2:
            return lists
        key = tuple(sorted(set(types)))
        merged = self.merged.get(key)
        if merged is None:  # sorted() merges the sorted runs: a few ms, once
            merged = self.merged[key] = sorted(k for keys in lists for k in keys)
        return [merged]

    def counts_by_type(self) -> dict[str, int]:
        """Live resources per type, as ``Journal.counts_by_type`` counts them, from the lists in memory."""
        return {t: len(keys) for t, keys in sorted(self.by_type.items()) if keys}

    def between(self, types: list[str] | None, lo: tuple[str, str] | None, hi: tuple[str, str] | None) -> list[str]:
        """The CTIDs of a list from sort key ``lo`` (None: the start) up to, not with, ``hi`` (None: the end)."""
        from bisect import bisect_left

        lists = self._lists(types)
        if not lists:
            return []
        keys = lists[0]
        start = bisect_left(keys, lo) if lo is not None else 0
        end = bisect_left(keys, hi) if hi is not None else len(keys)
        return [c for _, c in keys[start:end]]

    def bounds(self, types: list[str] | None, size: int) -> list[tuple[str, str]]:
        """Where each page after the first starts when the list is cut every ``size`` rows."""
        lists = self._lists(types)
        return lists[0][size::size] if lists else []

    def slice(self, types: list[str] | None, offset: int, limit: int) -> list[str]:
        """The CTIDs of rows ``offset`` .. ``offset + limit - 1`` of a list."""
        lists = self._lists(types)
        return [c for _, c in lists[0][offset:offset + limit]] if lists else []


# --- the static site -------------------------------------------------------------------


@dataclass
class SyncReport:
    seq: int = 0
    changes: int = 0
    full: bool = False
    resources: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds per part of an update


class StaticSite:
    """One output directory for one :class:`registry.sitegen.Site`.

    ``base``: the absolute URL the directory is published at, for sitemaps, feeds and the
    catalog (default: the site's ``base_url``). Without one, only the pages are written.
    """

    def __init__(self, site, out: Path, *, base: str | None = None, workers: int = 2,
                 sitemap_limit: int = MAX_URLS, changes_page_size: int = feeds_mod.PAGE_SIZE):
        from .sitegen import Site

        self.out = Path(out)
        self.registry = site.registry
        self.journal = self.registry.journal
        self.workers = workers
        self.page_base = site.renderer.base_url  # how pages link (may be "": root-relative)
        self.base = (base or site.renderer.base_url or "").rstrip("/") or None
        self.sitemap_limit = sitemap_limit
        self.changes_page_size = changes_page_size
        # A Site of our own (over a copy of the registry, for the workers to give their own
        # connections): the app's shared Site is never touched from our thread.
        self.site = Site(copy.copy(self.registry), base_url=site.renderer.base_url)
        self.site.renderer.static_type_lists = True  # resource pages link /resources/types/X/ (static_links)
        self.names: _NameIndex | None = None  # made by sync (an updater process keeps it)
        self._graphs_kept = False  # keep_graphs has run
        self._type_filters: dict[str, list[str]] = {}

    def type_filter(self, name: str) -> list[str]:
        """``Site.type_filter`` (a class and its subclasses), remembered: it depends on the vocabulary only."""
        if name not in self._type_filters:
            self._type_filters[name] = self.site.type_filter(name) or []
        return self._type_filters[name]

    # -- helpers -------------------------------------------------------------------------

    @contextmanager
    def lock(self):
        self.out.mkdir(parents=True, exist_ok=True)
        with open(self.out / LOCK_FILE, "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def read_state(self) -> dict | None:
        try:
            return json.loads((self.out / STATE_FILE).read_text())
        except (OSError, ValueError):
            return None

    def _write_state(self, state: dict) -> None:
        Writer(self.out, log_paths=False).write(STATE_FILE, json.dumps(state, indent=1, sort_keys=True))

    def sitemaps(self) -> Sitemaps:
        return Sitemaps(self.journal, self.base or "", limit=self.sitemap_limit, static=True)

    def feeds(self) -> Feeds:
        return Feeds(self.journal, self.base or "", site_name=self.site.renderer.site_name,
                     page_size=self.changes_page_size)

    def type_lists(self) -> dict[str, list[str]]:
        """Static type list name (a class local name) -> the classes it lists, for present types."""
        out = {}
        for type_iri in self.journal.counts_by_type():
            name = local_name(type_iri)
            if name not in out:
                out[name] = self.type_filter(name) or [type_iri]
        return out

    def list_folder(self, name: str | None) -> str:
        return "resources" if name is None else f"resources/types/{name}"

    def _list_page_rel(self, name: str | None, n: int) -> str:
        return f"{self.list_folder(name)}/" + ("index.html" if n == 1 else f"page-{n}.html")

    # -- rendering pieces ----------------------------------------------------------------

    def resource_files(self, row, writer: Writer, triples: list[ox.Triple] | None = None,
                       ntriples: bytes | None = None, graph=None) -> None:
        """Write one resource's page and alternates (``triples``: its graph, else ``Registry.graph``;
        ``ntriples``: the same graph as N-Triples, ``graph``: indexed by subject (``pages._Graph``),
        when the caller has them)."""
        if triples is None:
            triples = self.registry.graph(row.ctid)
        html, files = self.site.resource_documents(row, triples, ntriples, graph=graph)
        writer.write(f"resources/{row.ctid}/index.html", static_links(html, self.page_base))
        for ext, body in files.items():
            writer.write(f"resources/{row.ctid}.{ext}", body)

    def remove_resource(self, ctid: str, writer: Writer) -> None:
        writer.remove(f"resources/{ctid}")
        for ext in MEDIA_TYPES:
            writer.remove(f"resources/{ctid}.{ext}")

    def list_pages(self, name: str | None, first: int, last: int, writer: Writer,
                   counts: dict[str, int] | None = None) -> int:
        """Write pages ``first``..``last`` of the list of everything (``name`` None) or of one type."""
        journal = self.journal
        types = self.type_filter(name) if name else None
        counts = counts if counts is not None else journal.counts_by_type()
        total = sum(counts.values()) if types is None else sum(counts.get(t, 0) for t in types)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        first, last = max(1, first), min(last, pages)
        if first > last:
            return pages
        if types == []:
            rows = []
        elif self.names is not None:  # the order in memory: no sort of the whole table
            self.names.refresh()
            rows = self.site.list_rows(self.names.slice(types, (first - 1) * PAGE_SIZE, (last - first + 1) * PAGE_SIZE))
        else:
            rows = journal.resources(type_iris=types, limit=(last - first + 1) * PAGE_SIZE,
                                     offset=(first - 1) * PAGE_SIZE, order="name")
        for page in range(first, last + 1):
            self._list_page(name, types, page, pages, rows[(page - first) * PAGE_SIZE:(page - first + 1) * PAGE_SIZE],
                            writer, counts)
        return pages

    def _list_page(self, name: str | None, types: list[str] | None, page: int, pages: int, rows: list,
                   writer: Writer, counts: dict[str, int]) -> None:
        folder = self.list_folder(name)
        href = lambda n: self.site.renderer.url(f"/{folder}/" + ("" if n == 1 else f"page-{n}.html"))  # noqa: E731
        html = self.site.renderer.index_page(self.site.summaries(rows), title=self.site.list_title(name, types),
                                             page=page, pages=pages, counts_by_type=counts, type_filter=name,
                                             page_href=href)
        writer.write(self._list_page_rel(name, page), static_links(html, self.page_base))

    def list_pages_at(self, name: str | None, pages: list[int], bounds: list[tuple[str, str]], writer: Writer,
                      counts: dict[str, int]) -> bool:
        """Write pages ``pages`` of a list cut at ``bounds`` (a kept-current directory: the rows a page
        holds are those from its bound up to the next page's, however many there are now). Returns
        True when they are still fit to keep: none empty (in a list of several pages), none over
        ``MAX_DRIFT`` pages' worth of rows."""
        types = self.type_filter(name) if name else None
        total = len(bounds) + 1
        fit = True
        for page in pages:
            ctids = self.names.between(types, bounds[page - 2] if page > 1 else None,
                                       bounds[page - 1] if page <= len(bounds) else None)
            found = self.journal.resources_by_ctid(ctids)
            rows = [found[c] for c in ctids if c in found]
            self._list_page(name, types, page, total, rows, writer, counts)
            fit = fit and (bool(rows) or total == 1) and len(rows) <= MAX_DRIFT * PAGE_SIZE
        return fit

    def read_bounds(self) -> dict[str, list[tuple[str, str]]] | None:
        """The boundaries of the kept-current list pages (None: a directory without them)."""
        try:
            raw = (self.out / BOUNDS_FILE).read_bytes()
            cached = self.__dict__.get("_bounds_cache")
            if cached is not None and cached[0] == raw:  # parsed once per content (another process may write it)
                return dict(cached[1])  # callers replace a list's boundaries, never change them in place
            data = json.loads(raw)
        except (OSError, ValueError):
            return None
        bounds = {key: [tuple(b) for b in found] for key, found in data.get("lists", {}).items()}
        self._bounds_cache = (raw, bounds)
        return dict(bounds)

    def _all_bounds(self, keys) -> dict[str, list[tuple[str, str]]]:
        """The boundaries of lists cut every ``PAGE_SIZE`` rows, as a full build cuts them."""
        return {key: self.names.bounds(self.type_filter(key) if key else None, PAGE_SIZE) for key in keys}

    def rebalance_lists(self, writer: Writer, state: dict, keys=None) -> dict[str, list[tuple[str, str]]]:
        """Cut lists (``keys``; None: every list) evenly again and rewrite every page of them, as a
        full build writes them; returns the boundaries of every list (the others as they were)."""
        self.names = self.names or _NameIndex(self.registry.journal)
        self.names.refresh()
        counts = self.journal.counts_by_type()
        present = [""] + sorted(self.type_lists())
        bounds = self.read_bounds() or {}
        before = dict(state.get("lists", {}))
        for key in present if keys is None else keys:
            name = None if key == "" else key
            pages = self.list_pages(name, 1, 10 ** 9, writer, counts)
            # past the end: as many pages as the state or the boundaries in use say (a crash between
            # writing the one and the other leaves them apart)
            for n in range(pages + 1, max(before.get(key, 0), len(bounds.get(key, ())) + 1) + 1):
                writer.remove(self._list_page_rel(name, n))
            bounds[key] = self._all_bounds([key])[key]
        for key in before:
            if key and key not in present:
                writer.remove(self.list_folder(key))
        bounds = {key: found for key, found in bounds.items() if key in present or "/" in key}  # and browse lists
        state["lists"] = {key: len(bounds[key]) + 1 for key in present if key in bounds}
        state["list_format"] = LIST_FORMAT
        self._write_bounds(bounds)
        return bounds

    def _write_bounds(self, bounds: dict[str, list[tuple[str, str]]]) -> None:
        raw = json.dumps({"lists": bounds}, ensure_ascii=False).encode("utf-8")
        Writer(self.out, log_paths=False).write(BOUNDS_FILE, raw)
        self._bounds_cache = (raw, dict(bounds))  # (its lists hold tuples, as read_bounds gives them)

    def discovery(self, writer: Writer, *, sitemap_types: dict[str, set[str] | None] | None = None,
                  changes_from: int = 1, state: dict) -> None:
        """Write robots.txt, /data, the sitemaps and the feeds.

        ``sitemap_types`` None: every sitemap file; else type -> the CTIDs whose files to redo
        (None: every file of that type).
        """
        writer.write_if_changed("robots.txt", robots_txt(self.base))
        if not self.base:
            return
        catalog = Catalog(self.journal, self.base, site_name=self.site.renderer.site_name)
        writer.write("data/index.html", static_links(catalog.html(self.site.renderer), self.page_base))
        writer.write("data.ttl", catalog.turtle())
        writer.write("data.jsonld", catalog.dcat_json() + "\n")
        maps = self.sitemaps()
        stems = maps.stems()
        before: dict[str, str] = dict(state.get("sitemaps", {}))
        lastmods: dict[str, str] = dict(before) if sitemap_types is not None else {}
        if sitemap_types is not None and (state.get("stems") != stems
                                          or state.get("sitemap_limit") != maps.limit):  # none: made before the size was saved
            sitemap_types = None  # names or file sizes changed (a new type shares a local name): redo all
            lastmods = {}
        for type_iri, stem in stems.items():
            if sitemap_types is not None and type_iri not in sitemap_types:
                continue
            if sitemap_types is not None and sitemap_types[type_iri] is not None:
                wanted = set()  # the files that list the changed resources: read just those
                for ctid in sitemap_types[type_iri]:
                    found = maps.child_number(ctid)
                    if found is not None and found[0] == type_iri:
                        wanted.add(found[1])
                files, redo = maps.type_files(type_iri, stem, wanted)
            else:
                children = maps.type_children(type_iri, stem)
                files, redo = len(children), dict(enumerate(children, 1))
            for i, child in redo.items():
                name = maps.file_name(stem, i)
                if child is None:
                    lastmods.pop(name, None)
                    writer.remove(f"sitemaps/{name}")
                else:
                    lastmods[name] = child.lastmod
                    writer.write(f"sitemaps/{name}", child.body)
            for name in [n for n in lastmods if n.startswith(stem + "-") and n[len(stem) + 1:-7].isdigit()
                         and int(n[len(stem) + 1:-7]) > files]:
                lastmods.pop(name)
                writer.remove(f"sitemaps/{name}")
        pages_child = maps.pages_child()
        writer.write(f"sitemaps/{PAGES_FILE}", pages_child.body)
        lastmods[PAGES_FILE] = pages_child.lastmod
        writer.write("sitemap.xml", maps.index(list(lastmods.items())))
        for name in before.keys() - lastmods.keys():  # files of the old names or sizes
            writer.remove(f"sitemaps/{name}")
        state["sitemaps"] = lastmods
        state["stems"] = stems
        state["sitemap_limit"] = maps.limit
        # feeds
        feeds = self.feeds()
        writer.write("feed.atom", feeds.atom())
        writer.write("changes.json", feeds_mod.dumps(feeds.collection()))
        last = feeds.pages()
        old_last = state.get("changes_pages", 0)
        for n in range(max(1, min(page_of(max(1, changes_from), feeds.page_size), old_last or last)), last + 1):
            writer.write(f"changes/page-{n}.json", feeds_mod.dumps(feeds.page(n)))
        state["changes_pages"] = last

    # -- full build ----------------------------------------------------------------------

    def build(self, progress: Callable[[int], None] | None = None) -> SyncReport:
        """Write the whole site (removing files of resources that are no longer live)."""
        with self.lock():
            return self._build(progress)

    def _build(self, progress) -> SyncReport:
        started = time.perf_counter()
        seq = self.journal.last_seq()  # later changes are picked up by the next sync
        out = self.out
        out.mkdir(parents=True, exist_ok=True)
        shutil.copytree(STATIC_DIR, out / "static", dirs_exist_ok=True)
        shutil.copyfile(STATIC_DIR / "favicon.ico", out / "favicon.ico")  # where browsers look without a page
        live = set(map(sys.intern, self.journal.live_ctids()))  # one string per CTID (BuildIndex, _NameIndex)
        from .sitegen import BuildIndex

        keep_graphs(self.journal, self.registry.store)  # (the build index reads the frameworks' graphs)
        self._graphs_kept = True
        # every look-up the pages make, read once (workers inherit it); the list rows the workers
        # make, in a file beside the site
        index = BuildIndex(self.registry, spill=out)
        index.install(self.site)
        try:
            return self._build_all(live, seq, started, progress)
        finally:
            BuildIndex.remove(self.site)
            index.close()

    def _build_all(self, live: set[str], seq: int, started: float, progress) -> SyncReport:
        out = self.out
        writer = Writer(out, atomic=False, log_paths=False)
        state: dict = {"version": 1, "base": self.base, "lists": {}}
        browse = hasattr(self.site, "write_browse_indexes")  # /organizations, /states, /search (registry.sitegen)

        def ahead() -> None:
            """Here, while the workers write the resource pages: what reads only the journal, so that
            the workers have both cores to themselves for the lists and the search index."""
            self.names = self.names or _NameIndex(self.journal)
            self.names.refresh()
            # The lists' pages (written by the workers) and their boundaries come from this one snapshot
            # of the list order, whatever is published meanwhile (the next update replays that).
            self.names.frozen = True
            if hasattr(self.site, "organization_counts"):
                self.site.organization_counts()  # read once, kept for the browse lists and pages
            self._clean_resources(live)
            # The pages over everything: home, sitemaps, feeds, /data, /organizations and /states
            writer.write("index.html", static_links(self.site.home_html(), self.page_base))
            self.discovery(writer, state=state)
            if browse:
                try:
                    self.site.write_browse_indexes(out, search_index=False)
                except Exception:  # noqa: BLE001 - the rest of the site is still good
                    log.exception("writing the browse pages failed")

        try:
            count = self._all_resources(live, progress, meanwhile=ahead)
            lists = {None: None, **{name: None for name in self.type_lists()}}
            return self._build_lists(live, seq, started, count, writer, lists, state)
        finally:
            if self.names is not None:
                self.names.frozen = False

    def _build_lists(self, live: set[str], seq: int, started: float, count: int, writer: Writer, lists: dict,
                     state: dict) -> SyncReport:
        names = self.names
        counts = names.counts_by_type()
        browse = hasattr(self.site, "write_browse_indexes")  # /organizations, /states, /search (registry.sitegen)

        tasks = [("list", task) for task in self._list_tasks(list(lists), state, counts)]
        if browse:  # the longest task (~10 s at 100,000): first, beside the lists, not after them here
            tasks.insert(0, ("search", None))
        slugs = None
        if browse:  # the browse lists: an organization's when it has resources, a state's; rows from the snapshot
            try:
                slugs = self.site.state_slugs(sorted(r for r, keys in names.by_region.items() if keys))
                tasks += [("browse", (f"states/{slug}", f"/states/{slug}/", [c for _, c in names.by_region[region]],
                                      None, region)) for region, slug in slugs.items()]
            except Exception:  # noqa: BLE001 - the rest of the site is still good
                log.exception("grouping the state lists failed")
            try:
                tasks += [("browse", (f"organizations/{org['ctid']}", f"/organizations/{org['ctid']}/",
                                      [c for _, c in names.by_owner.get(org["ctid"].lower(), [])], org["ctid"], None))
                          for org in self.site.organization_counts() if org["total"]]
            except Exception:  # noqa: BLE001 - the rest of the site is still good
                log.exception("grouping the organization lists failed")

        def rows(task) -> int:  # the longest first, so that the workers end together
            kind, args = task
            if kind == "search":  # every resource, about as fast as a list row
                return len(live)
            return len(args[2]) if kind == "browse" else (args[2] - args[1] + 1) * PAGE_SIZE

        tasks.sort(key=rows, reverse=True)
        browsed = [args for kind, args in tasks if kind == "browse"]
        tasks = _batched_browse_lists(tasks)
        if slugs is not None:
            state["state_slugs"] = slugs
        elif hasattr(self.site, "state_slugs"):
            state["state_slugs"] = self.site.state_slugs()
        # Meanwhile here: what a previous build wrote that is no longer there (the workers write
        # none of it: lists and pages within the counts, folders of what is listed)
        listed = {args[3] for args in browsed if args[3]}  # organizations' folders the workers write
        self._run(_list_task, tasks, counts, meanwhile=lambda: self._clean(live, state, keep=listed))
        bounds = self._all_bounds(state["lists"])
        for folder, _, _, owner, region in browsed:
            keys = names.by_owner.get(owner.lower(), []) if owner else names.by_region.get(region, [])
            bounds[folder] = keys[PAGE_SIZE::PAGE_SIZE]
        self._write_bounds(bounds)
        state["list_format"] = LIST_FORMAT
        state["seq"] = seq
        self._write_state(state)
        return SyncReport(seq=seq, full=True, resources=count, seconds=time.perf_counter() - started)

    def _clean_resources(self, live: set[str]) -> None:
        """Remove the pages and alternates of resources not in ``live`` (a full build does this while
        its workers write the others: it reads a folder of 400,000 entries at 100,000)."""
        resources = self.out / "resources"
        if not resources.is_dir():
            return
        for entry in os.scandir(resources):
            name = entry.name
            if name.startswith("ce-"):
                ctid = name.split(".", 1)[0]
                if ctid not in live:
                    (shutil.rmtree(entry.path, ignore_errors=True) if entry.is_dir() else os.unlink(entry.path))

    def _clean(self, live: set[str], state: dict, keep: set[str] = frozenset()) -> None:
        """Remove what a previous build wrote and is no longer there (the resources: already done,
        :meth:`_clean_resources`)."""
        resources = self.out / "resources"
        lists = state["lists"]
        if (resources / "types").exists():
            for entry in os.scandir(resources / "types"):
                if entry.name not in lists:
                    shutil.rmtree(entry.path, ignore_errors=True)
        for key, pages in lists.items():
            folder = self.out / self.list_folder(None if key == "" else key)
            if not folder.is_dir():  # not written yet: nothing of an earlier build in it
                continue
            for entry in os.scandir(folder):
                m = re.fullmatch(r"page-(\d+)\.html", entry.name)
                if m and int(m.group(1)) > pages:
                    os.unlink(entry.path)
        if (self.out / "organizations").is_dir():  # browse lists of organizations with nothing left
            listed = ({o["ctid"] for o in self.site.organization_counts() if o["total"]}
                      if hasattr(self.site, "organization_counts") else None)
            for entry in os.scandir(self.out / "organizations"):
                if entry.name in keep:  # a list the workers write now (published since `live` was read)
                    continue
                if entry.is_dir() and entry.name.startswith("ce-") and (
                        entry.name not in live or (entry.name not in listed if listed is not None
                                                   else not self.journal.count_resources(None, owner=entry.name))):
                    shutil.rmtree(entry.path, ignore_errors=True)
        if (self.out / "states").is_dir() and "state_slugs" in state:
            slugs = set(state["state_slugs"].values())
            for entry in os.scandir(self.out / "states"):
                if entry.is_dir() and entry.name not in slugs:
                    shutil.rmtree(entry.path, ignore_errors=True)
        if (self.out / "sitemaps").exists():
            keep = set(state.get("sitemaps", {}))
            for entry in os.scandir(self.out / "sitemaps"):
                if entry.name not in keep:
                    os.unlink(entry.path)
        if (self.out / "changes").exists():
            last = state.get("changes_pages", 0)
            for entry in os.scandir(self.out / "changes"):
                m = re.fullmatch(r"page-(\d+)\.json", entry.name)
                if m and int(m.group(1)) > last:
                    os.unlink(entry.path)

    def _list_tasks(self, names: list[str | None], state: dict,
                    counts: dict[str, int]) -> list[tuple[str | None, int, int]]:
        """The type lists' pages in runs of up to 100: (type name or None, first page, last page)."""
        tasks = []
        for name in names:
            types = self.type_filter(name) if name else None
            total = sum(counts.values()) if types is None else sum(counts.get(t, 0) for t in types)
            pages = max(1, math.ceil(total / PAGE_SIZE))
            state["lists"]["" if name is None else name] = pages
            for first in range(1, pages + 1, 100):
                tasks.append((name, first, min(pages, first + 99)))
        return tasks

    def _all_resources(self, live: set[str], progress, meanwhile: Callable[[], None] | None = None) -> int:
        """Every live resource's page and alternates, ``RESOURCE_BATCH`` at a time in the workers, from
        the journal's copies of the graphs, and the dump file: each batch's graphs as N-Quads in a
        gzip member of their worker's, written here in order. Meanwhile here, ``meanwhile``."""
        if not self._graphs_kept:  # (a full build: done before its look-up index)
            keep_graphs(self.journal, self.registry.store)
            self._graphs_kept = True
        ctids = [ctid for ctid in self.journal.live_ctids() if ctid in live]  # the journal's order
        tasks = [ctids[i:i + RESOURCE_BATCH] for i in range(0, len(ctids), RESOURCE_BATCH)]
        dump = _DumpFile(self.out / "data" / DUMP_FILENAME) if self.base else None

        index = self.site.__dict__.get("build_index")
        kept = index.keywords if index is not None else {}
        rows_html = index.rows_html if index is not None else {}

        def collect(extra: tuple[dict, dict, bytes]) -> None:
            kept.update(zip(map(sys.intern, extra[0]), extra[0].values()))  # the CTIDs the build index holds
            rows_html.update(extra[1])
            if dump is not None and extra[2]:
                dump.write_member(extra[2])

        try:
            count = self._run(_resource_task, tasks, None, progress=progress, meanwhile=meanwhile, collect=collect)
        except BaseException:
            if dump is not None:
                dump.discard()
            raise
        if dump is not None:
            dump.close()
        left = [ctid for ctid in self.journal.without_graph() if ctid in live]
        if left:  # the store has no graph for them either: their pages say what the journal knows
            log.warning("%d live resources have no graph in the journal or the store, e.g. %s", len(left), left[0])
            writer = Writer(self.out, atomic=False, log_paths=False)
            for ctid in left:
                row = self.journal.resource(ctid)
                if row is not None and row.live:
                    self.resource_files(row, writer)
                    count += 1
                    if progress:
                        progress(1)
        return count

    def _run(self, fn, tasks, arg, progress=None, meanwhile: Callable[[], None] | None = None,
             collect: Callable[[object], None] | None = None) -> int:
        """Run ``fn(static_site, task, arg)`` for every task: in ``workers`` forked processes, or here;
        return the sum of what they return (a count; with ``collect``, ``(count, extra)``, and
        ``collect(extra)`` is called here). ``meanwhile``, when given, runs here while the workers
        work (after every task is handed out; a list of tasks is handed out at once, a generator a few
        ahead of the workers)."""
        total = 0

        def done(n) -> None:
            nonlocal total
            if collect is not None:
                n, extra = n
                collect(extra)
            total += n
            if progress and n:
                progress(n)

        if self.workers <= 1 or not hasattr(os, "fork"):
            for task in tasks:
                done(fn(self, task, arg))
            if meanwhile is not None:
                meanwhile()
            return total
        import multiprocessing

        global _FORKED
        _FORKED = self
        env = self.site.renderer.env  # compile the templates once, before forking
        for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
            env.get_template(name)
        ahead = len(tasks) if isinstance(tasks, list) else 2 * self.workers + 2
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(self.workers, initializer=_worker_init) as pool:
            pending: deque = deque()
            for task in tasks:
                pending.append(pool.apply_async(fn, (None, task, arg)))
                while len(pending) > ahead:
                    done(pending.popleft().get())
            if meanwhile is not None:
                meanwhile()
            while pending:
                done(pending.popleft().get())
        _FORKED = None
        return total

    # -- incremental ---------------------------------------------------------------------

    def sync(self) -> SyncReport:
        """Bring the directory up to the journal's current seq (a full build when it has no state)."""
        with self.lock():
            state = self.read_state()
            if state is None or state.get("base") != self.base:
                return self._build(None)
            if not self._graphs_kept:  # once: pages and the dump read the journal's graphs
                keep_graphs(self.journal, self.registry.store)
                self._graphs_kept = True
            return self._sync(state)

    def _browse_lists(self, writer: Writer, browse: dict, state: dict) -> None:
        """The browse lists (registry.sitegen: /organizations/{ctid}/, /states/{slug}/) of the
        organizations and states a change touched, as a full build writes them: like the
        type lists, cut at stored boundaries (a row that comes, goes or changes rewrites its page,
        and page 1 when the count changes), or cut again (a new list, a changed title, a page
        emptied or overfull). Rows, counts and positions come from the list order in memory
        (:class:`_NameIndex`). The indexes over all of them (/organizations, /states, /search and
        its index) are rewritten by :meth:`refresh_slow` (they read every resource)."""
        site = self.site
        if not hasattr(site, "browse_list_pages") or not hasattr(site, "state_slugs"):
            return
        journal = self.journal
        names = self.names
        names.refresh()
        org_types = set(site.type_filter("Organization") or [])
        bounds = self.read_bounds() or {}
        changed = False

        slugs = site.state_slugs(sorted(r for r, keys in names.by_region.items() if keys))
        old_slugs = state.get("state_slugs", {})
        # A state whose folder name changed (another state took it: "New Mexico", "new mexico"), or
        # whose folder held another state's list: its list is written whole, into its folder.
        held = {slug: region for region, slug in old_slugs.items()}
        for region, slug in slugs.items():
            if old_slugs.get(region) != slug or held.get(slug) != region:  # (a new state too: written whole)
                browse[("state", region)] = None
                bounds.pop(f"states/{slug}", None)
                changed = True
        for old in set(old_slugs.values()) - set(slugs.values()):  # folders no state has now
            writer.remove(f"states/{old}")
            changed = bounds.pop(f"states/{old}", None) is not None or changed
            state["lists_drifted"] = [k for k in _drifted(state) if k != f"states/{old}"]
        for (kind, key), rows in sorted(browse.items(), key=lambda kv: kv[0]):
            if kind == "org":
                if not re.fullmatch(r"ce-[0-9a-f-]{36}", key):
                    continue
                row = journal.resource(key)
                members = names.by_owner.get(key, []) if row is not None and row.live and row.type in org_types \
                    else []
                folder, owner, region = f"organizations/{key}", key, None
            else:
                if key not in slugs:
                    continue  # gone: its folder went above (or is another state's now)
                members = names.by_region.get(key, [])
                folder, owner, region = f"states/{slugs[key]}", None, key
            if not members:
                if (self.out / folder).exists():
                    writer.remove(folder)
                changed = bounds.pop(folder, None) is not None or changed
                state["lists_drifted"] = [k for k in _drifted(state) if k != folder]
                continue
            cut = bounds.get(folder)
            if rows is not None and cut is not None:
                wanted = sorted({bisect_right(cut, _sort_key(name, ctid)) + 1 for name, ctid in rows})
                fit = True
                for name, html, count in site.browse_list_pages(f"/{folder}/", members, owner, region, wanted,
                                                                 bounds=cut):
                    writer.write(f"{folder}/{name}", static_links(html, self.page_base))
                    fit = fit and (count > 0 or not cut) and count <= MAX_DRIFT * PAGE_SIZE
                if FIRST_PAGE in rows:
                    state["lists_drifted"] = sorted(set(_drifted(state)) | {folder})
                if fit:
                    continue
            self._cut_browse_list(writer, folder, members, owner, region, bounds)
            changed = True
        state["state_slugs"] = slugs
        if changed:
            self._write_bounds(bounds)

    def _cut_browse_list(self, writer: Writer, folder: str, members: list, owner: str | None, region: str | None,
                         bounds: dict) -> None:
        """Write every page of one browse list cut every ``PAGE_SIZE`` rows (as a full build does),
        remove pages past its end, and note its boundaries in ``bounds``."""
        pages = 0
        for name, html, _ in self.site.browse_list_pages(f"/{folder}/", members, owner, region):
            writer.write(f"{folder}/{name}", static_links(html, self.page_base))
            pages += 1
        if (self.out / folder).is_dir():
            for entry in os.scandir(self.out / folder):
                m = re.fullmatch(r"page-(\d+)\.html", entry.name)
                if m and int(m.group(1)) > pages:
                    writer.remove(f"{folder}/{entry.name}")
        bounds[folder] = list(members[PAGE_SIZE::PAGE_SIZE])

    def _browse_members(self, folder: str, state: dict) -> tuple[list, str | None, str | None] | None:
        """(list-order keys, owner, region) of the browse list in ``folder`` (None: not one now)."""
        kind, _, key = folder.partition("/")
        if kind == "organizations":
            row = self.journal.resource(key)
            if row is None or not row.live or row.type not in set(self.site.type_filter("Organization") or []):
                return None
            return self.names.by_owner.get(key, []), key, None
        if kind == "states":
            region = next((r for r, slug in state.get("state_slugs", {}).items() if slug == key), None)
            return (self.names.by_region.get(region, []), None, region) if region is not None else None
        return None

    def refresh_slow(self) -> bool:
        """What reads every resource, rewritten only now and then (``SiteUpdater``: when idle, at
        most every ``slow_interval`` seconds): the dump and the browse indexes (/organizations,
        /states, /search and search-index.json). Not under the lock; files are replaced atomically."""
        state = self.read_state()
        if state is None or not (state.get("dump_stale") or state.get("browse_stale") or state.get("lists_drifted")):
            return False
        with open(self.out / SLOW_LOCK_FILE, "a+") as guard:
            try:  # another process is at it already
                fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False
            try:
                return self._refresh_slow(state)
            finally:
                fcntl.flock(guard, fcntl.LOCK_UN)

    def _refresh_slow(self, state: dict) -> bool:
        seq = self.journal.last_seq()
        writer = Writer(self.out)
        if state.get("browse_stale") and hasattr(self.site, "organizations_html"):
            site = self.site
            writer.write("organizations/index.html", static_links(site.organizations_html(static=True), self.page_base))
            writer.write("states/index.html", static_links(site.states_html(static=True), self.page_base))
            writer.write("search/index.html", static_links(site.search_html(), self.page_base))
            site.write_search_index(self.out / "search-index.json")  # and its shards (search-index/)
        if self.base and state.get("dump_stale"):
            write_dump_file(self.journal, self.out / "data" / DUMP_FILENAME)
        with self.lock():
            state = self.read_state() or state
            if (state.get("lists_drifted") and state.get("list_format") == LIST_FORMAT
                    and state.get("seq") == self.journal.last_seq()):
                # Pages that rows came to or left hold more or fewer than PAGE_SIZE: cut those lists
                # evenly again (under the lock: updates place rows by the boundaries; and only when
                # the directory is up to date: the lists are cut from the journal as it is now).
                writer = Writer(self.out)
                present = set([""] + list(self.type_lists()))
                drifted = _drifted(state, sorted(present))
                self.rebalance_lists(writer, state, [k for k in drifted if k in present])
                bounds = self.read_bounds() or {}
                for folder in (k for k in drifted if "/" in k):
                    found = self._browse_members(folder, state)
                    if found is not None and found[0]:
                        self._cut_browse_list(writer, folder, *found, bounds)
                self._write_bounds(bounds)
                state["lists_drifted"] = []
            if state.get("seq") == seq:  # else later changes made them stale again
                state["dump_stale"] = state["browse_stale"] = False
            self._write_state(state)
        return True

    def _old_version(self, ctid: str, seq: int):
        """(summary, links as (property, CTID, via)) of the version the directory showed at ``seq``,
        or None."""
        from .ingest.load import links_via, summarise
        from .ingest.parse import ParseError, parse

        entry = self.journal.version_at(ctid, seq)
        if entry is None or entry.action != "publish":
            return None
        try:
            docs = [d for d in parse(entry.document, entry.media_type) if d.ctid == ctid]
        except ParseError:
            return None
        if not docs:
            return None
        return summarise(docs[0]), links_via(docs[0])

    def _sync(self, state: dict) -> SyncReport:
        journal, view = self.journal, self.site.registry
        if self.names is None:
            self.names = _NameIndex(journal)
        self.journal = view.journal = _Snapshot(journal, self.names)
        try:
            return self._sync_changes(state)
        finally:
            self.journal = view.journal = journal

    def _sync_changes(self, state: dict) -> SyncReport:
        started = time.perf_counter()
        since = state["seq"]
        changes = self.journal.changed_since(since)
        if not changes:
            return SyncReport(seq=since)
        head = changes[-1][0]
        journal = self.journal
        writer = Writer(self.out)
        if self.names is None:
            self.names = _NameIndex(self.registry.journal)  # the journal itself, not this update's snapshot
        names = self.names
        names.refresh()
        ctids = list(dict.fromkeys(c for _, c, _ in changes))
        render: set[str] = set()
        gone: set[str] = set()
        lists_before = dict(state.get("lists", {}))
        type_lists = self.type_lists()
        # What a type list holds depends on the vocabulary only (a class and its subclasses).
        filters = {key: set(self.type_filter(key)) for key in set(type_lists) | set(lists_before) if key}
        dirty: dict[str, set[int]] = {}  # list key ("" = everything) -> pages whose rows changed
        state["lists_drifted"] = _drifted(state, [""] + sorted(type_lists))
        # Kept-current list pages hold the rows between stored boundaries: a row that comes or goes
        # changes its own page only (the others keep theirs; BOUNDS_FILE). None: cut every list again.
        bounds = self.read_bounds() if state.get("list_format") == LIST_FORMAT else None
        sitemap_types: dict[str, set[str] | None] = {}  # type -> CTIDs whose file to redo (None: all files)
        # ("org", CTID) / ("state", region) -> (name, ctid) of rows changed, came or went (their pages;
        # FIRST_PAGE: page 1 too, whose heading counts them), or None: the whole list (its title changed)
        browse: dict[tuple[str, str], set[tuple[str, str]] | None] = {}
        for ctid in ctids:
            old = self._old_version(ctid, since)
            row = journal.resource(ctid)
            live = row is not None and row.live
            (render if live else gone).add(ctid)
            # Pages show a linked resource by its name, type and owner: they change when one of
            # those (or whether it is live) does, or when a link comes or goes.
            shown_old = (old[0]["name"], old[0]["type"], tuple(old[0]["owners"])) if old is not None else None
            shown_new = (row.name, row.type, tuple(row.owners)) if live else None
            # A link's property and the property above its profile name the relation on the other
            # page ("Is required for"): a link that changes either is a link that came and went.
            links_now = set(journal.links_from_via(ctid))
            links_then = set(old[1]) if old is not None else set()
            if shown_old != shown_new:
                render.update(src for src, _ in journal.links_to(ctid))
                render.update(dst for _, dst, _ in links_now | links_then)
                # ... and two links away: a page lists what links to it with its owner's name.
                for src, prop in journal.links_to(ctid):
                    if prop in OWNER_PROPERTIES:
                        render.update(dst for _, dst in journal.links_from(src))
            else:
                render.update(dst for _, dst, _ in links_now ^ links_then)
            if row is not None and sitemap_types.get(row.type, set()) is not None:
                sitemap_types.setdefault(row.type, set()).add(ctid)
            if old is not None and (row is None or old[0]["type"] != row.type):
                sitemap_types[old[0]["type"]] = None
                if row is not None:  # kept its rowid: it lands mid-ranking in the new type, the rest shift
                    sitemap_types[row.type] = None
            same_place = live and old is not None and shown_old == shown_new and old[0]["regions"] == row.regions
            for summary in ([old[0]] if old is not None else []) + ([row.__dict__] if row is not None else []):
                for key in [("org", ctid_from_iri(o) or o) for o in summary["owners"]] + \
                        [("state", r) for r in summary["regions"]]:
                    if browse.get(key, set()) is not None:  # its page, before and after
                        browse.setdefault(key, set()).add((summary["name"], ctid))
                        if not same_place:  # came, went or moved: the count on page 1, sizes drift
                            browse[key].add(FIRST_PAGE)
            if shown_old != shown_new:
                browse[("org", ctid)] = None  # an organization's own list is titled with its name
            old_key = (old[0]["name"], old[0]["type"]) if old is not None else None
            new_key = (row.name, row.type) if live else None
            if old_key is not None and new_key is not None and old_key[1] != new_key[1]:
                dirty.setdefault("", set()).add(1)  # page 1 of everything counts each type
            for key in [""] + sorted(filters):
                was = old_key is not None and (key == "" or old_key[1] in filters[key])
                now = new_key is not None and (key == "" or new_key[1] in filters[key])
                if not was and not now:
                    continue
                pages = dirty.setdefault(key, set())
                cut = bounds.get(key) if bounds is not None else None
                if cut is None:
                    continue  # a list cut again below
                p_new = bisect_right(cut, _sort_key(new_key[0], ctid)) + 1 if now else None
                p_old = bisect_right(cut, _sort_key(old_key[0], ctid)) + 1 if was else None
                pages.update(p for p in (p_new, p_old) if p is not None)
                if p_new != p_old:  # came, went or moved: pages no longer hold PAGE_SIZE rows each
                    state["lists_drifted"] = sorted(set(_drifted(state)) | {key})
                    if key == "" and was != now:
                        pages.add(1)  # page 1 of everything counts each type
        phases = {"plan": time.perf_counter() - started}
        t = time.perf_counter()
        # resource pages
        for ctid in sorted(gone):
            self.remove_resource(ctid, writer)
        count = 0
        for ctid in sorted(render - gone):
            row = journal.resource(ctid)
            if row is not None and row.live:
                self.resource_files(row, writer)
                count += 1
        phases["resources"], t = time.perf_counter() - t, time.perf_counter()
        # list pages
        counts = journal.counts_by_type()
        present = [""] + sorted(type_lists)
        if bounds is None or set(present) != {key for key in bounds if "/" not in key}:
            # Every list page links to every type list: when one comes or goes, every list is cut and
            # written again (and a directory without boundaries gets them).
            self.rebalance_lists(writer, state)
        else:
            again = []
            for key in present:
                wanted = sorted(p for p in dirty.get(key, ()) if 1 <= p <= len(bounds[key]) + 1)
                if wanted and not self.list_pages_at(None if key == "" else key, wanted, bounds[key], writer, counts):
                    again.append(key)  # a page emptied or overfull: this list is cut again now
            if again:
                self.rebalance_lists(writer, state, again)
        phases["lists"], t = time.perf_counter() - t, time.perf_counter()
        self._browse_lists(writer, browse, state)
        phases["browse"], t = time.perf_counter() - t, time.perf_counter()
        writer.write("index.html", static_links(self.site.home_html(), self.page_base))
        self.discovery(writer, sitemap_types=sitemap_types, changes_from=since + 1, state=state)
        phases["home+discovery"] = time.perf_counter() - t
        state["seq"] = head
        state["dump_stale"] = True
        state["browse_stale"] = hasattr(self.site, "write_browse_indexes")
        self._write_state(state)
        return SyncReport(seq=head, changes=len(changes), resources=count, written=writer.written,
                          removed=writer.removed, seconds=time.perf_counter() - started, phases=phases)


# --- render workers ----------------------------------------------------------------------

_FORKED: StaticSite | None = None  # the parent's StaticSite, inherited by forked workers
_WORKER: StaticSite | None = None


def _worker_init() -> None:
    """In a forked worker: own SQLite connections and HTTP client, cached look-ups. What it inherits
    (the build's look-up index, the list order) is put out of the cyclic collector's way: a full
    collection would walk it all, and write to every page it is on, which the worker then copies."""
    import functools

    gc.freeze()

    from .ingest.journal import Journal

    global _WORKER
    parent = _FORKED
    static = copy.copy(parent)
    registry = copy.copy(parent.registry)
    registry.journal = Journal(parent.journal.path)
    fallback = None
    if isinstance(parent.registry.store, RemoteStore):
        s = parent.registry.store
        fallback = RemoteStore(s.query_url, s.update_url, s.gsp_url)
    registry.store = fallback
    registry.lookup = functools.lru_cache(maxsize=200_000)(registry.lookup)
    static.registry = registry
    static.journal = registry.journal
    site = copy.copy(parent.site)
    site.registry = registry
    site.__dict__.pop("_browse_cache", None)
    static.site = site
    if parent.names is not None:
        static.names = copy.copy(parent.names)
        static.names.journal = registry.journal
    _WORKER = static


def _resource_task(static: StaticSite | None, batch: list[str], _arg) -> tuple[int, tuple[dict, dict, bytes]]:
    """The pages and alternates of a batch of resources (CTIDs), from the journal's copies of their
    graphs; returns how many, and for each one its keywords for the search index
    (``BuildIndex.keywords``) and its row in the lists (``BuildIndex.rows_html``), and their graphs
    as N-Quads in one gzip member for the dump (when the site has a base URL)."""
    static = static or _WORKER
    writer = Writer(static.out, atomic=False, log_paths=False)
    index = static.site.__dict__.get("build_index")
    if index is not None:
        index.prefetch_links(batch)
    graphs = static.journal.graphs(batch)
    rows = static.journal.resources_by_ctid(batch)  # what the lists show
    summary, row_html = static.site.summary, static.site.renderer.summary_row_html
    keywords: dict[str, str] = {}  # one string per resource, "\n" between keywords (none holds one)
    rows_html: dict[str, str] = {}
    dumped: list[tuple[str, bytes]] | None = [] if static.base else None
    for ctid in batch:
        row = index.row(ctid) if index is not None else static.journal.resource(ctid)
        data = graphs.get(ctid)
        if row is None or not row.live or data is None:  # deleted since the build began
            continue
        triples = parse_ntriples(data)
        graph = _Graph(triples)
        static.resource_files(row, writer, triples, data, graph)
        keywords[ctid] = "\n".join(page_keywords(graph.props.get(row.iri, {})))
        full = rows.get(ctid)
        if full is not None:
            rows_html[ctid] = row_html(summary(full))
        if dumped is not None:
            dumped.append((ctid, data))
    return len(keywords), (keywords, rows_html, dump_member(dumped) if dumped else b"")


def _batched_browse_lists(tasks: list[tuple], rows: int = 2 * PAGE_SIZE * 10) -> list[tuple]:
    """The browse lists of fewer than ``rows`` rows together, in tasks of about that many
    (``("browses", [args, ...])``): most organizations' lists are one page (6,800 of them at
    100,000 resources), and a task per page cost more in handing it out than in writing it."""
    out, batch, size = [], [], 0
    for task in tasks:
        kind, args = task
        if kind != "browse" or len(args[2]) >= rows:
            out.append(task)
            continue
        batch.append(args)
        size += len(args[2]) + 1
        if size >= rows:
            out.append(("browses", batch))
            batch, size = [], 0
    if batch:
        out.append(("browses", batch))
    return out


def _list_task(static: StaticSite | None, task: tuple, counts) -> int:
    """One run of a type list's pages (``("list", (name, first, last))``), one browse list of
    ``StaticSite._build_lists`` (``("browse", (folder, prefix, members, owner, region))``) or the
    search index (``("search", None)``)."""
    static = static or _WORKER
    kind, args = task
    if kind == "search":
        try:
            static.site.write_search_index(static.out / "search-index.json")  # and its shards
        except Exception:  # noqa: BLE001 - the rest of the site is still good
            log.exception("writing the search index failed")
        return 0
    if kind == "browse" or kind == "browses":
        for one in ([args] if kind == "browse" else args):
            try:
                static.site.write_browse_list(static.out, *one)
            except Exception:  # noqa: BLE001 - the rest of the site is still good
                log.exception("writing the browse list %s failed", one[0])
        return 0
    name, first, last = args
    static.list_pages(name, first, last, Writer(static.out, atomic=False, log_paths=False), counts)
    return 0


# --- keeping a directory current from a running server -------------------------------------


class SiteUpdater:
    """A Registry listener that keeps a static directory current.

    Rendering happens in one background thread per process, after the commit that triggered
    it (the publish answer does not wait). Every run renders all journal entries after the
    directory's seq, in journal order, so bursts coalesce and order is kept; several processes
    may share one directory (they take turns under a file lock). ``background=False`` renders
    synchronously inside the listener call instead.
    """

    def __init__(self, static: StaticSite, *, background: bool = True, slow_interval: float = 900.0):
        self.static = static
        self.background = background
        self.slow_interval = slow_interval
        self.last_report: SyncReport | None = None
        self._cond = threading.Condition()
        self._requested = 0
        self._done = 0
        self._stop = False
        self._last_dump = time.monotonic()
        self._thread: threading.Thread | None = None
        if background:
            self._thread = threading.Thread(target=self._loop, name="site-updater", daemon=True)
            self._thread.start()

    def __call__(self, ctids: list[str] | None = None) -> None:
        if not self.background:
            self._sync()
            return
        with self._cond:
            self._requested += 1
            self._cond.notify_all()

    def _sync(self) -> None:
        try:
            self.last_report = self.static.sync()
            if self.last_report.changes:
                log.info("static site: %d change(s) up to seq %d in %.0f ms (%d files written, %d removed)",
                         self.last_report.changes, self.last_report.seq, self.last_report.seconds * 1000,
                         len(self.last_report.written), len(self.last_report.removed))
        except Exception:  # noqa: BLE001 - the publish has happened; the next change retries
            log.exception("updating the static site in %s failed", self.static.out)

    def _loop(self) -> None:
        while True:
            with self._cond:
                if self._requested == self._done and not self._stop:
                    self._cond.wait(timeout=60)
                if self._stop:
                    return
                target = self._requested
            if target != self._done:
                self._sync()
                with self._cond:
                    self._done = target
                    self._cond.notify_all()
            elif time.monotonic() - self._last_dump >= self.slow_interval:
                self._last_dump = time.monotonic()
                try:
                    self.static.refresh_slow()
                except Exception:  # noqa: BLE001
                    log.exception("refreshing the static dump and browse indexes failed")

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until everything notified so far is rendered (tests, shutdown)."""
        if not self.background:
            return True
        with self._cond:
            target = self._requested
            return self._cond.wait_for(lambda: self._done >= target, timeout=timeout)

    def close(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=30)
