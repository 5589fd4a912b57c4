"""The journal's resource index: counting and listing with the type, owner and region facets together."""

from __future__ import annotations

import pytest

from registry.ingest.journal import Journal, now

from .conftest import new_ctid

CE = "https://credentialengineregistry.org/resources/"
CERT = "https://purl.org/ctdl/terms/Certificate"
DEGREE = "https://purl.org/ctdl/terms/BachelorDegree"
ORG_A, ORG_B = new_ctid(), new_ctid()


@pytest.fixture
def journal(tmp_path):
    j = Journal(tmp_path / "journal.sqlite")
    rows = [  # (type, owners, regions)
        (CERT, [ORG_A], ["Michigan"]),
        (CERT, [ORG_A, ORG_B], ["Michigan", "New Mexico"]),
        (CERT, [ORG_B], ["New Mexico"]),
        (DEGREE, [ORG_A], ["New Mexico"]),
        (DEGREE, [ORG_B], ["Michigan"]),
        (DEGREE, [ORG_B], []),
    ]
    with j.transaction() as db:
        for n, (type_iri, owners, regions) in enumerate(rows, 1):
            ctid = new_ctid()
            seq = j.append(db, ctid=ctid, action="publish", publisher="test")
            j.upsert_resource(db, ctid=ctid, iri=CE + ctid, type=type_iri, name=f"Resource {n}", description="",
                              owners=[CE + o for o in owners], publisher="test", content_hash=str(n), seq=seq,
                              at=now(), regions=regions)
    yield j
    j.close()


def listed(journal: Journal, **facets) -> int:
    return len(journal.resources(limit=1000, **facets))


@pytest.mark.parametrize("facets, expected", [
    ({}, 6),
    ({"type_iris": [CERT]}, 3),
    ({"owner": ORG_A}, 3),
    ({"owner": CE + ORG_B}, 4),  # an IRI as well as a CTID
    ({"region": "Michigan"}, 3),
    ({"type_iris": [CERT], "owner": ORG_A}, 2),
    ({"type_iris": [DEGREE], "owner": ORG_B}, 2),
    ({"type_iris": [CERT, DEGREE], "owner": ORG_A}, 3),
    ({"type_iris": [CERT], "region": "New Mexico"}, 2),
    ({"type_iris": [DEGREE], "region": "Michigan"}, 1),
    ({"type_iris": [DEGREE], "owner": ORG_A, "region": "New Mexico"}, 1),
    ({"type_iris": [DEGREE], "owner": ORG_A, "region": "Michigan"}, 0),
])
def test_count_resources_combines_type_owner_and_region(journal, facets, expected):
    assert journal.count_resources(**facets) == expected
    assert listed(journal, **facets) == expected  # the count agrees with the list it paginates


def test_facet_values_are_matched_literally(journal):
    """`%` and `_` in an owner or a region are characters, not LIKE wildcards."""
    assert journal.count_resources(region="Mich_gan") == 0
    assert journal.count_resources(region="%") == 0
    assert journal.count_resources(owner="%") == 0
    assert journal.count_resources(type_iris=[CERT], owner=ORG_A[:-1] + "_") == 0


def test_all_types_lists_each_type_once_deleted_ones_too(journal):
    assert journal.all_types() == [DEGREE, CERT]  # sorted, each once
    degree = journal.resources(type_iris=[DEGREE], limit=10)
    with journal.transaction() as db:
        for row in degree:
            journal.mark_deleted(db, row.ctid, journal.append(db, ctid=row.ctid, action="delete", publisher="test"),
                                 now())
    assert journal.all_types() == [DEGREE, CERT]  # a type that had resources keeps its sitemap name
    assert Journal(journal.path.parent / "empty.sqlite").all_types() == []


def test_which_graphs_are_missing_is_answered_without_reading_the_graphs(journal, tmp_path):
    """``without_graph`` (each full build) reads an index of (CTID, seq), not the graphs' rows (about a
    page of the file each: 6 s from a cold disk at 100,000); a journal made before the index gets it."""
    import sqlite3

    live = [r.ctid for r in journal.resources(limit=1000)]
    with journal.transaction() as db:
        journal.set_graph(db, live[0], b"<urn:a> <urn:b> <urn:c> .\n", journal.resource(live[0]).seq)
    assert sorted(journal.without_graph()) == sorted(live[1:])
    plan = " ".join(str(r[3]) for r in journal._conn().execute(
        "EXPLAIN QUERY PLAN " + journal.WITHOUT_GRAPH_SQL))
    assert "COVERING INDEX graphs_seq" in plan, plan
    journal.close()
    with sqlite3.connect(tmp_path / "journal.sqlite") as db:
        db.execute("DROP INDEX graphs_seq")
    again = Journal(tmp_path / "journal.sqlite")
    assert sorted(again.without_graph()) == sorted(live[1:])
    again.close()


def test_a_journal_made_before_regions_reads_its_rows_by_name(tmp_path):
    """Readers select the columns by name: a journal whose resources table got ``regions`` last (added
    to an older table) gives the same rows."""
    import sqlite3

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE resources (ctid TEXT PRIMARY KEY, iri TEXT NOT NULL, type TEXT NOT NULL, "
                   "name TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '', owners TEXT NOT NULL "
                   "DEFAULT '', publisher TEXT NOT NULL, content_hash TEXT NOT NULL, seq INTEGER NOT NULL, "
                   "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT)")
        db.execute("INSERT INTO resources VALUES ('ce-1', 'urn:x:1', ?, 'One', 'The first', 'urn:o:a urn:o:b', "
                   "'test', 'h', 7, '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', NULL)", (CERT,))
    j = Journal(path)
    try:
        row = j.resource("ce-1")
        assert (row.ctid, row.iri, row.type, row.name, row.description, row.owners, row.regions, row.seq,
                row.updated_at, row.live) == ("ce-1", "urn:x:1", CERT, "One", "The first", ["urn:o:a", "urn:o:b"],
                                              [], 7, "2026-01-02T00:00:00Z", True)
        assert j.resources_by_ctid(["ce-1"]) == {"ce-1": row} and j.live_by_iri(["urn:x:1"]) == {"urn:x:1": row}
        assert j.resources(limit=5) == [row] and j.resource_by_iri("urn:x:1") == row
    finally:
        j.close()


def test_the_entry_count_is_kept_as_entries_come(journal, tmp_path):
    """``entry_count`` (the change feed's totalItems, on every update) reads a count a trigger keeps, not
    every entry; a journal made before the count is counted when opened."""
    import sqlite3

    def counted() -> int:
        return journal._conn().execute("SELECT COUNT(*) FROM journal").fetchone()[0]

    assert journal.entry_count() == counted() == 6
    with journal.transaction() as db:
        for _ in range(3):
            journal.append(db, ctid=new_ctid(), action="publish", publisher="test")
    try:
        with journal.transaction() as db:
            journal.append(db, ctid=new_ctid(), action="publish", publisher="test")
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert journal.entry_count() == counted() == 9
    journal.close()
    with sqlite3.connect(tmp_path / "journal.sqlite") as db:  # as a journal made before the count
        db.execute("DROP TRIGGER journal_counted")
        db.execute("DROP TABLE journal_size")
    again = Journal(tmp_path / "journal.sqlite")
    try:
        assert again.entry_count() == 9
        with again.transaction() as db:
            again.append(db, ctid=new_ctid(), action="delete", publisher="test")
        assert again.entry_count() == 10
        assert Journal(tmp_path / "journal.sqlite").entry_count() == 10  # opened again: counted once
    finally:
        again.close()
