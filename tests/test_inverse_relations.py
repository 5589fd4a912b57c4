"""Inverse links name the relation by the property above a condition profile: a credential that
requires (a condition profile targeting) another is listed on that one's page as "Is required
for", not "Condition for"."""

from __future__ import annotations

import sqlite3

import pytest

from registry.ingest.journal import Journal
from registry.ingest.load import links, links_via
from registry.ingest.parse import parse
from registry.namespaces import CETERMS
from registry.pages import relation_name
from registry.sitegen import BuildIndex, Site
from registry.vocab import vocabulary

from .conftest import body, credential, new_ctid, organization, publish_doc

RESOURCE = "https://credentialengineregistry.org/resources/"


def condition(target: str, **more) -> dict:
    return {"@type": "ceterms:ConditionProfile", "ceterms:description": {"en-US": "Holders of it."},
            "ceterms:targetCredential": [RESOURCE + target], **more}


def doc_of(raw: dict):
    return parse(body(raw))[0]


# --- the links of one document ----------------------------------------------------------


def test_links_record_the_property_above_nested_profiles():
    a, b, c, d, org = (new_ctid() for _ in range(5))
    doc = doc_of(credential(a, org_ctid=org, **{
        "ceterms:requires": [condition(b, **{"ceterms:alternativeCondition": [condition(d)]})],
        "ceterms:recommends": [condition(c)]}))
    assert links_via(doc) == {
        (CETERMS + "ownedBy", org, ""),
        (CETERMS + "targetCredential", b, CETERMS + "requires"),
        (CETERMS + "targetCredential", d, CETERMS + "requires"),  # two profiles down: still "requires"
        (CETERMS + "targetCredential", c, CETERMS + "recommends"),
    }
    assert links(doc) == {(p, ctid) for p, ctid, _ in links_via(doc)}


def test_a_profile_reached_along_several_paths_gives_a_link_for_each():
    a, b = new_ctid(), new_ctid()
    ttl = f"""@prefix ceterms: <https://purl.org/ctdl/terms/> .
<{RESOURCE}{a}> a ceterms:Certificate ; ceterms:ctid "{a}" ; ceterms:requires _:p ; ceterms:recommends _:p .
_:p a ceterms:ConditionProfile ; ceterms:alternativeCondition _:q .
_:q a ceterms:ConditionProfile ; ceterms:targetCredential <{RESOURCE}{b}> ; ceterms:alternativeCondition _:p .
"""
    (doc,) = parse(ttl.encode(), "text/turtle")
    assert links_via(doc) == {(CETERMS + "targetCredential", b, CETERMS + "requires"),
                              (CETERMS + "targetCredential", b, CETERMS + "recommends")}


# --- the pages of a registry ------------------------------------------------------------


@pytest.mark.usefixtures("no_validation")
def test_pages_name_required_and_recommended_credentials(registry):
    org, a, b, c = (new_ctid() for _ in range(4))
    publish_doc(registry, organization(org))
    for ctid, name in ((b, "Basic Coding"), (c, "Medical Terminology")):
        publish_doc(registry, credential(ctid, org_ctid=org, **{"ceterms:name": {"en-US": name}}))
    publish_doc(registry, credential(a, org_ctid=org, **{"ceterms:name": {"en-US": "Advanced Coding"},
                                                         "ceterms:requires": [condition(b)],
                                                         "ceterms:recommends": [condition(c)]}))
    journal = registry.journal
    assert journal.links_to_via(b) == [(a, CETERMS + "targetCredential", CETERMS + "requires")]
    assert journal.links_to(b) == [(a, CETERMS + "targetCredential")]
    assert journal.links_from(a) == sorted([(CETERMS + "ownedBy", org), (CETERMS + "targetCredential", b),
                                            (CETERMS + "targetCredential", c)])

    vocab = vocabulary()
    required = relation_name(vocab, CETERMS + "requires")[0]
    recommended = relation_name(vocab, CETERMS + "recommends")[0]
    assert (required, recommended) == ("Is required for", "Is recommended for")
    live = Site(registry, base_url="")
    built = Site(registry, base_url="")
    index = BuildIndex(registry)
    index.install(built)
    try:
        index.prefetch_links([b])  # b from the batch read, c one by one
        for ctid, relation in ((b, required), (c, recommended)):
            row = journal.resource(ctid)
            html = live.resource_html(row)
            assert relation in html and "Condition for" not in html
            assert f'href="/resources/{a}"' in html
            assert built.resource_html(row) == html
    finally:
        BuildIndex.remove(built)
        index.close()

    # a rebuild from the journal gives the same links
    before = {ctid: journal.links_to_via(ctid) for ctid in (b, c, org)}
    registry.loader.rebuild()
    assert {ctid: journal.links_to_via(ctid) for ctid in (b, c, org)} == before


# --- journals made before links.via -----------------------------------------------------


def test_an_old_links_table_is_migrated_on_opening(tmp_path):
    path = tmp_path / "journal.sqlite3"
    Journal(path).close()
    db = sqlite3.connect(path)
    db.executescript("""
        DROP TABLE links;
        CREATE TABLE links (src TEXT NOT NULL, property TEXT NOT NULL, dst TEXT NOT NULL,
                            PRIMARY KEY (src, property, dst));
        CREATE INDEX links_dst ON links (dst);
        INSERT INTO links VALUES ('ce-a', 'https://purl.org/ctdl/terms/targetCredential', 'ce-b');
    """)
    db.close()

    journal = Journal(path)
    try:
        conn = sqlite3.connect(path)
        assert [r[1] for r in conn.execute("PRAGMA table_info(links)")] == ["src", "property", "dst", "via"]
        assert conn.execute("SELECT * FROM links").fetchall() == [
            ("ce-a", CETERMS + "targetCredential", "ce-b", "")]  # kept; `registry rebuild` fills via
        assert "links_dst" in {r[1] for r in conn.execute("PRAGMA index_list(links)")}
        conn.close()
        with journal.transaction() as db:  # the new key: the same link through two properties
            journal.set_links(db, "ce-a", {(CETERMS + "targetCredential", "ce-b", CETERMS + "requires"),
                                           (CETERMS + "targetCredential", "ce-b", CETERMS + "recommends")})
        assert journal.links_from("ce-a") == [(CETERMS + "targetCredential", "ce-b")]
    finally:
        journal.close()
    Journal(path).close()  # opening again leaves the migrated table alone
