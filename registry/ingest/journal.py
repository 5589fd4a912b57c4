"""The append-only journal: the registry's source of truth.

Every accepted document is written here (raw document, CTID, publisher, time,
content hash) before it reaches the store; every deletion is a tombstone. The
store and the pages can always be rebuilt from this file alone.

Beside the journal, the same SQLite file keeps derived tables:

* ``resources``: the current state of each CTID (a summary for pages, feeds and
  sitemaps), which :meth:`Journal.reindex` recomputes from the journal;
* ``links``: which resource refers to which (``registry rebuild`` recomputes it with the
  resources; a journal made before ``links.via`` existed is migrated on opening, its old rows
  with ``via`` empty until the next rebuild);
* ``graphs``: each live resource's graph as published (N-Triples, compressed), which the pages
  are made from: a full build reads these instead of dumping the store (``registry rebuild``
  recomputes them; a static site's first build or update copies from the store any that a
  journal made before this table lacks, or that a version without it left behind);
* ``providers``: who may publish what (keys stored hashed).
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from ..compression import deflate

LINKS_TABLE = """CREATE TABLE IF NOT EXISTS links (
    src      TEXT NOT NULL,             -- the CTID whose graph holds the statement
    property TEXT NOT NULL,             -- the property IRI (on the main node or a nested profile)
    dst      TEXT NOT NULL,             -- the CTID referred to
    via      TEXT NOT NULL DEFAULT '',  -- for a nested profile: the property above it (ceterms:requires)
    PRIMARY KEY (src, property, dst, via)
)"""
LINKS_INDEX = "CREATE INDEX IF NOT EXISTS links_dst ON links (dst)"

GRAPHS_TABLE = """CREATE TABLE IF NOT EXISTS graphs (
    ctid     TEXT PRIMARY KEY,  -- a live resource
    seq      INTEGER NOT NULL,  -- the journal entry it is the graph of (resources.seq, else stale)
    ntriples BLOB NOT NULL      -- its graph as N-Triples, zlib-compressed
)"""
# Which version each graph is of, without the graphs: a row of ``graphs`` fills about a page of the
# file, so a scan of the table itself (``without_graph``, each full build) reads the whole file, 6 s
# from a cold disk at 100,000 resources; this index holds the same answer in a few megabytes.
GRAPHS_INDEX = "CREATE INDEX IF NOT EXISTS graphs_seq ON graphs (ctid, seq)"

SCHEMA = """
CREATE TABLE IF NOT EXISTS journal (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    ctid         TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('publish', 'delete')),
    publisher    TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    content_hash TEXT,
    media_type   TEXT,
    document     BLOB
);
CREATE INDEX IF NOT EXISTS journal_ctid ON journal (ctid, seq);
-- What the change feeds and the updaters read of each entry, without its row (a row holds the
-- document: about a page of the file each): the entries by seq, and a CTID's previous action.
CREATE INDEX IF NOT EXISTS journal_feed ON journal (seq, ctid, action, received_at);
CREATE INDEX IF NOT EXISTS journal_ctid_action ON journal (ctid, seq, action);
-- How many entries there are, kept by a trigger: counting the entries read an index of them all
-- (6.5 ms at 100,000), and the change feed states it on every update.
CREATE TABLE IF NOT EXISTS journal_size (entries INTEGER NOT NULL);
CREATE TRIGGER IF NOT EXISTS journal_counted AFTER INSERT ON journal
    BEGIN UPDATE journal_size SET entries = entries + 1; END;
CREATE TRIGGER IF NOT EXISTS journal_no_update BEFORE UPDATE ON journal
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER IF NOT EXISTS journal_no_delete BEFORE DELETE ON journal
    BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;

CREATE TABLE IF NOT EXISTS resources (
    ctid         TEXT PRIMARY KEY,
    iri          TEXT NOT NULL,
    type         TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    owners       TEXT NOT NULL DEFAULT '',   -- space-separated IRIs (ownedBy, offeredBy, publisher)
    regions      TEXT NOT NULL DEFAULT '',   -- tab-separated addressRegion values (where it is offered / located)
    publisher    TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX IF NOT EXISTS resources_iri ON resources (iri);
CREATE INDEX IF NOT EXISTS resources_type ON resources (type, deleted_at);
-- A type's resources in rowid order without a sort: the stable positions of sitemap files.
CREATE INDEX IF NOT EXISTS resources_type_rank ON resources (type);
CREATE INDEX IF NOT EXISTS resources_updated ON resources (updated_at);

-- Which resource's graph mentions which other resource (by CTID), and through which property.
""" + LINKS_TABLE + ";\n" + LINKS_INDEX + """;

-- Each live resource's graph, as the pages show it.
""" + GRAPHS_TABLE + ";\n" + GRAPHS_INDEX + """;

CREATE TABLE IF NOT EXISTS providers (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL UNIQUE,
    orgs       TEXT NOT NULL,               -- space-separated organization CTIDs
    key_hash   TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
"""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def content_hash(ntriples_canonical: str) -> str:
    return "sha256:" + hashlib.sha256(ntriples_canonical.encode("utf-8")).hexdigest()


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass
class Entry:
    seq: int
    ctid: str
    action: str
    publisher: str
    received_at: str
    content_hash: str | None
    media_type: str | None
    document: bytes | None


@dataclass
class ResourceRow:
    ctid: str
    iri: str
    type: str
    name: str
    description: str
    owners: list[str]
    regions: list[str]
    publisher: str
    content_hash: str
    seq: int
    created_at: str
    updated_at: str
    deleted_at: str | None

    @property
    def live(self) -> bool:
        return self.deleted_at is None


@dataclass
class Provider:
    id: int
    name: str
    orgs: list[str]
    created_at: str


class Journal:
    """One SQLite file in the data directory; safe to share between threads."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._conn() as db:
            db.executescript(SCHEMA)
            columns = {r[1] for r in db.execute("PRAGMA table_info(resources)")}
            if "regions" not in columns:  # journals made before regions were indexed
                db.execute("ALTER TABLE resources ADD COLUMN regions TEXT NOT NULL DEFAULT ''")
        if "via" not in self._columns("links"):
            self._migrate_links()
        if self._conn().execute("SELECT 1 FROM journal_size").fetchone() is None:
            # a new journal, or one made before the count: counted once (the trigger, there already,
            # counts nothing while the table is empty; the count below takes in what it missed)
            with self.transaction() as db:
                db.execute("INSERT INTO journal_size SELECT COUNT(*) FROM journal "
                           "WHERE NOT EXISTS (SELECT 1 FROM journal_size)")

    def _columns(self, table: str) -> set[str]:
        return {r[1] for r in self._conn().execute(f"PRAGMA table_info({table})")}

    def _migrate_links(self) -> None:
        """Give a links table made before ``via`` existed the new primary key (SQLite cannot alter
        one in place). The rows are kept with ``via`` empty (pages then say "Condition for" rather
        than "Is required for" for them); ``registry rebuild`` fills it in."""
        with self.transaction() as db:
            if "via" in self._columns("links"):  # another process migrated it first
                return
            db.execute("ALTER TABLE links RENAME TO links_old")
            db.execute("DROP INDEX IF EXISTS links_dst")
            db.execute(LINKS_TABLE)
            db.execute("INSERT INTO links (src, property, dst) SELECT src, property, dst FROM links_old")
            db.execute("DROP TABLE links_old")
            db.execute(LINKS_INDEX)

    def _conn(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA busy_timeout=30000")
            db.row_factory = sqlite3.Row
            self._local.db = db
        return db

    def _tuples(self) -> sqlite3.Cursor:
        """A cursor of this thread's connection whose rows are plain tuples (sqlite3.Row costs more)."""
        cursor = self._conn().cursor()
        cursor.row_factory = None
        return cursor

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; rolled back if the body raises (nothing half-written)."""
        db = self._conn()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        else:
            db.execute("COMMIT")

    # --- journal ------------------------------------------------------------------------

    def append(self, db: sqlite3.Connection, *, ctid: str, action: str, publisher: str,
               content_hash: str | None = None, media_type: str | None = None,
               document: bytes | None = None, received_at: str | None = None) -> int:
        cur = db.execute(
            "INSERT INTO journal (ctid, action, publisher, received_at, content_hash, media_type, document) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (ctid, action, publisher, received_at or now(), content_hash, media_type, document),
        )
        return cur.lastrowid

    def entries(self, after: int = 0) -> Iterator[Entry]:
        cur = self._conn().execute("SELECT * FROM journal WHERE seq > ? ORDER BY seq", (after,))
        for row in cur:
            yield Entry(**dict(row))

    def entry(self, seq: int) -> Entry | None:
        row = self._conn().execute("SELECT * FROM journal WHERE seq = ?", (seq,)).fetchone()
        return Entry(**dict(row)) if row else None

    def latest_entries(self) -> Iterator[Entry]:
        """The last entry of every CTID whose last action is a publish, in journal order."""
        cur = self._conn().execute(
            "SELECT j.* FROM journal j JOIN (SELECT ctid, MAX(seq) AS seq FROM journal GROUP BY ctid) m "
            "ON j.seq = m.seq WHERE j.action = 'publish' ORDER BY j.seq"
        )
        for row in cur:
            yield Entry(**dict(row))

    def last_seq(self) -> int:
        """The newest journal sequence number (0 for an empty journal): a version for caches."""
        return self._conn().execute("SELECT COALESCE(MAX(seq), 0) FROM journal").fetchone()[0]

    def entry_count(self) -> int:
        return self._conn().execute("SELECT entries FROM journal_size").fetchone()[0]

    # --- resources (derived) ------------------------------------------------------------

    def resource(self, ctid: str) -> ResourceRow | None:
        row = self._conn().execute(f"SELECT {RESOURCE_COLUMNS} FROM resources WHERE ctid = ?", (ctid,)).fetchone()
        return _resource(row) if row else None

    def resource_by_iri(self, iri: str) -> ResourceRow | None:
        row = self._conn().execute(
            f"SELECT {RESOURCE_COLUMNS} FROM resources WHERE iri = ? AND deleted_at IS NULL", (iri,)
        ).fetchone()
        return _resource(row) if row else None

    def upsert_resource(self, db: sqlite3.Connection, *, ctid: str, iri: str, type: str, name: str,
                        description: str, owners: list[str], publisher: str, content_hash: str,
                        seq: int, at: str, regions: list[str] = ()) -> None:
        db.execute(
            "INSERT INTO resources (ctid, iri, type, name, description, owners, regions, publisher, content_hash, "
            "seq, created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) "
            "ON CONFLICT (ctid) DO UPDATE SET iri = excluded.iri, type = excluded.type, name = excluded.name, "
            "description = excluded.description, owners = excluded.owners, regions = excluded.regions, "
            "publisher = excluded.publisher, "
            "content_hash = excluded.content_hash, seq = excluded.seq, updated_at = excluded.updated_at, "
            "deleted_at = NULL, created_at = CASE WHEN resources.deleted_at IS NULL THEN resources.created_at "
            "ELSE excluded.created_at END",
            (ctid, iri, type, name, description, " ".join(owners), "\t".join(regions), publisher, content_hash,
             seq, at, at),
        )

    def set_links(self, db: sqlite3.Connection, src: str, links: Iterable[tuple[str, str, str]]) -> None:
        """Replace the outgoing links of ``src``: (property IRI, target CTID, via) triples, ``via``
        being the property above the nested profile that holds the link ("" for none)."""
        db.execute("DELETE FROM links WHERE src = ?", (src,))
        db.executemany("INSERT OR IGNORE INTO links (src, property, dst, via) VALUES (?, ?, ?, ?)",
                       [(src, prop, dst, via) for prop, dst, via in links if dst != src])

    def links_to(self, ctid: str) -> list[tuple[str, str]]:
        """(source CTID, property IRI) of live resources that refer to ``ctid``, each pair once."""
        rows = self._conn().execute(
            "SELECT l.src, l.property FROM links l JOIN resources r ON r.ctid = l.src "
            "WHERE l.dst = ? AND r.deleted_at IS NULL GROUP BY l.property, l.src "
            "ORDER BY l.property, r.name COLLATE NOCASE", (ctid,))
        return [(r[0], r[1]) for r in rows]

    def links_to_via(self, ctid: str) -> list[tuple[str, str, str]]:
        """(source CTID, property IRI, via) of live resources that refer to ``ctid``: :meth:`links_to`
        with the property above the nested profile that holds each link ("" for none)."""
        rows = self._conn().execute(
            "SELECT l.src, l.property, l.via FROM links l JOIN resources r ON r.ctid = l.src "
            "WHERE l.dst = ? AND r.deleted_at IS NULL ORDER BY l.property, l.via, r.name COLLATE NOCASE", (ctid,))
        return [(r[0], r[1], r[2]) for r in rows]

    def links_from(self, ctid: str) -> list[tuple[str, str]]:
        """(property IRI, target CTID) pairs that ``ctid``'s graph refers to, each once."""
        rows = self._conn().execute(
            "SELECT DISTINCT property, dst FROM links WHERE src = ? ORDER BY property, dst", (ctid,))
        return [(r[0], r[1]) for r in rows]

    def links_from_via(self, ctid: str) -> list[tuple[str, str, str]]:
        """(property IRI, target CTID, via) rows of ``ctid``'s graph: :meth:`links_from` with the
        property above the nested profile that holds each link ("" for none)."""
        rows = self._conn().execute(
            "SELECT property, dst, via FROM links WHERE src = ? ORDER BY property, dst, via", (ctid,))
        return [(r[0], r[1], r[2]) for r in rows]

    def mark_deleted(self, db: sqlite3.Connection, ctid: str, seq: int, at: str) -> None:
        db.execute("UPDATE resources SET deleted_at = ?, updated_at = ?, seq = ? WHERE ctid = ?",
                   (at, at, seq, ctid))

    def resources(self, *, type_iris: list[str] | None = None, limit: int = 100, offset: int = 0,
                  include_deleted: bool = False, order: str = "name", owner: str | None = None,
                  region: str | None = None) -> list[ResourceRow]:
        sql = f"SELECT {RESOURCE_COLUMNS} FROM resources WHERE 1=1"
        args: list = []
        sql, args = _facets(sql, args, owner, region)
        if not include_deleted:
            sql += " AND deleted_at IS NULL"
        if type_iris:
            sql += " AND type IN (%s)" % ",".join("?" * len(type_iris))
            args += type_iris
        sql += {"name": " ORDER BY name COLLATE NOCASE, ctid", "updated": " ORDER BY updated_at DESC, ctid",
                "seq": " ORDER BY seq"}[order]
        sql += " LIMIT ? OFFSET ?"
        args += [limit, offset]
        return [_resource(r) for r in self._conn().execute(sql, args)]

    def count_resources(self, type_iris: list[str] | None = None, owner: str | None = None,
                        region: str | None = None) -> int:
        sql = "SELECT COUNT(*) FROM resources WHERE deleted_at IS NULL"
        args: list = []
        sql, args = _facets(sql, args, owner, region)
        if type_iris:
            sql += " AND type IN (%s)" % ",".join("?" * len(type_iris))
            args += type_iris
        return self._conn().execute(sql, args).fetchone()[0]

    def counts_by_region(self) -> dict[str, int]:
        """Live resources per addressRegion value (a resource offered in two states counts in both)."""
        counts: dict[str, int] = {}
        for (regions,) in self._conn().execute(
                "SELECT regions FROM resources WHERE deleted_at IS NULL AND regions != ''"):
            for region in set(regions.split("\t")):
                counts[region] = counts.get(region, 0) + 1
        return dict(sorted(counts.items()))

    def counts_by_type(self) -> dict[str, int]:
        rows = self._conn().execute(
            "SELECT type, COUNT(*) FROM resources WHERE deleted_at IS NULL GROUP BY type ORDER BY type"
        )
        return {r[0]: r[1] for r in rows}

    def clear_resources(self, db: sqlite3.Connection) -> None:
        db.execute("DELETE FROM resources")
        db.execute("DELETE FROM links")
        db.execute("DELETE FROM graphs")

    # --- graphs (derived) ---------------------------------------------------------------

    def set_graph(self, db: sqlite3.Connection, ctid: str, ntriples: bytes, seq: int) -> None:
        """Keep ``ctid``'s graph (N-Triples) as the graph of its version ``seq`` (a journal entry)."""
        db.execute("INSERT OR REPLACE INTO graphs (ctid, seq, ntriples) VALUES (?, ?, ?)",
                   (ctid, seq, deflate.compress(ntriples, 1)))

    def drop_graph(self, db: sqlite3.Connection, ctid: str) -> None:
        db.execute("DELETE FROM graphs WHERE ctid = ?", (ctid,))

    def copy_graph(self, db: sqlite3.Connection, ctid: str, ntriples: bytes, seq: int) -> bool:
        """:meth:`set_graph` of a graph read from the store while the resource's version was ``seq``:
        kept only if that is still its live version (a version published meanwhile keeps its own)."""
        cur = db.execute(
            "INSERT OR REPLACE INTO graphs (ctid, seq, ntriples) SELECT ?, ?, ? WHERE EXISTS "
            "(SELECT 1 FROM resources WHERE ctid = ? AND seq = ? AND deleted_at IS NULL)",
            (ctid, seq, deflate.compress(ntriples, 1), ctid, seq))
        return cur.rowcount > 0

    # A graph counts only while it is the graph of the resource's current version (a version
    # without the table may have published a newer one meanwhile).
    _CURRENT = "JOIN resources r ON r.ctid = g.ctid AND r.seq = g.seq AND r.deleted_at IS NULL"

    def graph(self, ctid: str) -> bytes | None:
        """A live resource's graph as N-Triples (None when the journal has none for its version)."""
        row = self._conn().execute(f"SELECT g.ntriples FROM graphs g {self._CURRENT} WHERE g.ctid = ?",
                                   (ctid,)).fetchone()
        return deflate.decompress(row[0]) if row else None

    def graphs(self, ctids: list[str]) -> dict[str, bytes]:
        """:meth:`graph` of many, in a query per 500 (those the journal has)."""
        out: dict[str, bytes] = {}
        for i in range(0, len(ctids), 500):
            chunk = ctids[i:i + 500]
            sql = f"SELECT g.ctid, g.ntriples FROM graphs g {self._CURRENT} WHERE g.ctid IN (%s)" % ",".join(
                "?" * len(chunk))
            out.update((r[0], deflate.decompress(r[1])) for r in self._conn().execute(sql, chunk))
        return out

    WITHOUT_GRAPH_SQL = ("SELECT r.ctid, r.seq FROM resources r LEFT JOIN graphs g INDEXED BY graphs_seq "
                         "ON g.ctid = r.ctid WHERE r.deleted_at IS NULL AND (g.seq IS NULL OR g.seq != r.seq)")

    def without_graph(self) -> dict[str, int]:
        """Live resources whose graph the journal does not have (published before it kept graphs, or
        since by a version without it): CTID -> the seq of their current version."""
        return {r[0]: r[1] for r in self._conn().execute(self.WITHOUT_GRAPH_SQL)}

    # --- providers ----------------------------------------------------------------------

    def add_provider(self, name: str, orgs: list[str]) -> str:
        """Create a provider; return its key (shown once, stored hashed)."""
        key = "reg_" + secrets.token_urlsafe(32)
        with self.transaction() as db:
            db.execute(
                "INSERT INTO providers (name, orgs, key_hash, created_at) VALUES (?, ?, ?, ?)",
                (name, " ".join(orgs), _key_hash(key), now()),
            )
        return key

    def provider_for_key(self, key: str) -> Provider | None:
        row = self._conn().execute(
            "SELECT id, name, orgs, created_at FROM providers WHERE key_hash = ?", (_key_hash(key),)
        ).fetchone()
        return Provider(row["id"], row["name"], row["orgs"].split(), row["created_at"]) if row else None

    def providers(self) -> list[Provider]:
        rows = self._conn().execute("SELECT id, name, orgs, created_at FROM providers ORDER BY name")
        return [Provider(r["id"], r["name"], r["orgs"].split(), r["created_at"]) for r in rows]

    def remove_provider(self, name: str) -> bool:
        with self.transaction() as db:
            return db.execute("DELETE FROM providers WHERE name = ?", (name,)).rowcount > 0

    # --- discovery and sync (sitemaps, feeds, static output; read-only) -----------------

    def changes(self, *, first: int = 1, last: int | None = None, newest: int | None = None) -> list[dict]:
        """Journal entries without their documents, for change feeds.

        Either the seq range ``first``..``last`` in journal order, or the ``newest`` entries
        newest first. Each dict has seq, ctid, action, received_at, ``prev`` (the action of the
        CTID's entry before this one, None for its first) and the resource's current type and
        name (kept for deleted resources too).
        """
        cols = ("j.seq, j.ctid, j.action, j.received_at, r.type, r.name, "
                "(SELECT p.action FROM journal p INDEXED BY journal_ctid_action "
                "WHERE p.ctid = j.ctid AND p.seq < j.seq ORDER BY p.seq DESC LIMIT 1) AS prev")
        sql = f"SELECT {cols} FROM journal j INDEXED BY journal_feed LEFT JOIN resources r ON r.ctid = j.ctid"
        if newest is not None:
            rows = self._conn().execute(sql + " ORDER BY j.seq DESC LIMIT ?", (newest,))
        else:
            rows = self._conn().execute(sql + " WHERE j.seq >= ? AND j.seq <= ? ORDER BY j.seq",
                                        (first, last if last is not None else 2 ** 62))
        return [dict(r) for r in rows]

    def changed_since(self, seq: int) -> list[tuple[int, str, str]]:
        """(seq, ctid, action) of every entry after ``seq``, in journal order."""
        rows = self._conn().execute("SELECT seq, ctid, action FROM journal INDEXED BY journal_feed WHERE seq > ? "
                                    "ORDER BY seq", (seq,))
        return [(r[0], r[1], r[2]) for r in rows]

    def version_at(self, ctid: str, seq: int) -> Entry | None:
        """The CTID's last journal entry at or before ``seq`` (what was current then), or None."""
        row = self._conn().execute("SELECT * FROM journal WHERE ctid = ? AND seq <= ? ORDER BY seq DESC LIMIT 1",
                                   (ctid, seq)).fetchone()
        return Entry(**dict(row)) if row else None

    def type_members(self, type_iri: str) -> list[tuple[str, str, str | None]]:
        """(ctid, updated_at, deleted_at) of every resource of exactly this type, deleted ones too,
        in the order they were first indexed (rowid): stable positions for sitemap files."""
        rows = self._conn().execute(
            "SELECT ctid, updated_at, deleted_at FROM resources WHERE type = ? ORDER BY rowid", (type_iri,))
        return [(r[0], r[1], r[2]) for r in rows]

    def type_slice(self, type_iri: str, start: int, limit: int) -> list[tuple[str, str, str | None]]:
        """:meth:`type_members` ``[start:start + limit]`` (one sitemap file), read without the others."""
        rows = self._conn().execute(
            "SELECT ctid, updated_at, deleted_at FROM resources WHERE type = ? ORDER BY rowid LIMIT ? OFFSET ?",
            (type_iri, limit, start))
        return [(r[0], r[1], r[2]) for r in rows]

    def type_extent(self, type_iri: str) -> int:
        """How many of :meth:`type_members` come up to and with the last live one (0: none is live)."""
        return self._conn().execute(
            "SELECT COUNT(*) FROM resources WHERE type = ? AND rowid <= "
            "(SELECT MAX(rowid) FROM resources WHERE type = ? AND deleted_at IS NULL)",
            (type_iri, type_iri)).fetchone()[0]

    def type_rank(self, ctid: str) -> tuple[str, int] | None:
        """(type, position among :meth:`type_members` of that type) of one resource."""
        row = self._conn().execute("SELECT rowid, type FROM resources WHERE ctid = ?", (ctid,)).fetchone()
        if row is None:
            return None
        n = self._conn().execute("SELECT COUNT(*) FROM resources WHERE type = ? AND rowid < ?",
                                 (row[1], row[0])).fetchone()[0]
        return row[1], n

    def all_types(self) -> list[str]:
        """Every type a resource has or had (deleted ones too), sorted."""
        # One index seek per type (a loose index scan on resources_type), not a scan of every row:
        # the sitemaps ask on every update.
        return [r[0] for r in self._conn().execute(
            "WITH RECURSIVE t(type) AS (SELECT MIN(type) FROM resources UNION ALL "
            "SELECT (SELECT MIN(type) FROM resources WHERE type > t.type) FROM t WHERE t.type IS NOT NULL) "
            "SELECT type FROM t WHERE type IS NOT NULL")]

    def resources_by_ctid(self, ctids: list[str]) -> dict[str, ResourceRow]:
        out: dict[str, ResourceRow] = {}
        for i in range(0, len(ctids), 500):
            chunk = ctids[i:i + 500]
            sql = f"SELECT {RESOURCE_COLUMNS} FROM resources WHERE ctid IN (%s)" % ",".join("?" * len(chunk))
            out.update((r[0], _resource(r)) for r in self._tuples().execute(sql, chunk))
        return out

    def live_by_iri(self, iris: list[str]) -> dict[str, ResourceRow]:
        """:meth:`resource_by_iri` of many IRIs, in a query per 500 (the first indexed, for an IRI two share)."""
        out: dict[str, ResourceRow] = {}
        for i in range(0, len(iris), 500):
            chunk = iris[i:i + 500]
            sql = (f"SELECT {RESOURCE_COLUMNS} FROM resources WHERE deleted_at IS NULL AND iri IN (%s) "
                   "ORDER BY rowid DESC" % ",".join("?" * len(chunk)))
            out.update((r[1], _resource(r)) for r in self._tuples().execute(sql, chunk))
        return out

    def live_owners(self) -> Iterator[list[str]]:
        """The owners (IRIs) of every live resource, a list per resource."""
        for (owners,) in self._conn().execute("SELECT owners FROM resources WHERE deleted_at IS NULL"):
            yield owners.split()

    def source_counts(self, properties: list[str]) -> dict[str, dict[str, int]]:
        """CTID -> property -> how many live resources refer to it through the property (of
        ``properties``): the lengths of :meth:`links_to`'s groups, for every CTID at once (two scans;
        SQLite's join and GROUP BY took four times as long)."""
        live = set(self.live_ctids())
        sources: dict[tuple[str, str], set[str]] = {}
        for dst, prop, src in self._conn().execute(
                f"SELECT dst, property, src FROM links WHERE property IN ({','.join('?' * len(properties))})",
                properties):
            if src in live:
                sources.setdefault((dst, prop), set()).add(src)
        out: dict[str, dict[str, int]] = {}
        for (dst, prop), found in sources.items():
            out.setdefault(dst, {})[prop] = len(found)
        return out

    def live_ctids(self) -> list[str]:
        return [r[0] for r in self._conn().execute("SELECT ctid FROM resources WHERE deleted_at IS NULL")]

    def last_updated(self) -> str | None:
        """The newest change of any resource (updated_at; deletions count)."""
        return self._conn().execute("SELECT MAX(updated_at) FROM resources").fetchone()[0]


def _facets(sql: str, args: list, owner: str | None, region: str | None) -> tuple[str, list]:
    """Filter by an owner (organization IRI or CTID) and by a region (exact addressRegion)."""
    if owner:  # owners: space-separated IRIs; a CTID matches the end of one
        sql += " AND (' ' || owners || ' ') LIKE ? ESCAPE '\\'"
        args.append(f"% {_like(owner)} %" if "://" in owner else f"%{_like(owner)} %")
    if region:  # regions: tab-separated, matched whole
        sql += " AND ('\t' || regions || '\t') LIKE ? ESCAPE '\\'"
        args.append(f"%\t{_like(region)}\t%")
    return sql, args


def _like(text: str) -> str:
    """``text`` matched literally by LIKE … ESCAPE '\\' (``%`` and ``_`` are wildcards otherwise)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# The columns of a ResourceRow, in its order (a journal made before ``regions`` has it last in
# ``SELECT *``): what every reader of resource rows selects, and :func:`_resource` takes.
RESOURCE_COLUMNS = ("ctid, iri, type, name, description, owners, regions, publisher, content_hash, seq, "
                    "created_at, updated_at, deleted_at")


def _resource(row) -> ResourceRow:
    """A row of ``SELECT RESOURCE_COLUMNS`` (a tuple or a sqlite3.Row) as a ResourceRow: by position
    (a list page reads 50 rows, a full build 600,000: a dict and keyword arguments per row cost 2x)."""
    ctid, iri, type_, name, description, owners, regions, publisher, content_hash, seq, created, updated, \
        deleted = row
    return ResourceRow(ctid, iri, type_, name, description, owners.split(),
                       [r for r in regions.split("\t") if r] if regions else [], publisher, content_hash, seq,
                       created, updated, deleted)
