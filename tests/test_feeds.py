"""Change feeds: Atom (/feed.atom) and Activity Streams 2.0 (/changes), and a mirror that follows them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from registry.feeds import page_of

from .conftest import credential, new_ctid, organization
from .conftest import publish_doc as _publish

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "http://testserver"

# These tests are about feeds: every document is taken as valid (validation has its own tests).
pytestmark = pytest.mark.usefixtures("no_validation")


@pytest.fixture
def history(registry):
    """An organization, five credentials; two updated, two deleted, one deleted and published again."""
    org = new_ctid()
    _publish(registry, organization(org))
    creds = [new_ctid() for _ in range(5)]
    for c in creds:
        _publish(registry, credential(c, org_ctid=org))
    _publish(registry, credential(creds[0], org_ctid=org, **{"ceterms:name": {"en-US": "Renamed"}}))
    _publish(registry, credential(creds[1], org_ctid=org, **{"ceterms:description": {"en-US": "New text."}}))
    assert registry.loader.delete(creds[2]).status == "deleted"
    assert registry.loader.delete(creds[3]).status == "deleted"
    _publish(registry, credential(creds[3], org_ctid=org))  # back again: a Create
    return {"org": org, "creds": creds}


def _live(registry) -> set[str]:
    return set(registry.journal.live_ctids())


def test_atom_lists_updates_and_deletes(client, registry, history):
    r = client.get("/feed.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(r.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == registry.journal.entry_count()  # fewer than 100
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    assert feed.findtext(f"{ATOM}updated") == updated[0]
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == BASE + "/feed.atom"
    deletes = [e for e in entries if e.find(f"{ATOM}category").get("term") == "delete"]
    assert len(deletes) == 2
    deleted = history["creds"][2]
    gone = next(e for e in deletes if deleted in e.findtext(f"{ATOM}content"))
    assert gone.findtext(f"{ATOM}title").startswith("Deleted: ")
    assert gone.find(f"{ATOM}link") is None  # nothing links to a deleted page
    publishes = [e for e in entries if e.find(f"{ATOM}category").get("term") != "delete"]
    for e in publishes:
        href = e.find(f"{ATOM}link[@rel='alternate'][@type='text/html']").get("href")
        assert href.startswith(BASE + "/resources/ce-")
        assert e.findtext(f"{ATOM}id").startswith(BASE + "/changes.json#seq-")
    terms = [e.find(f"{ATOM}category").get("term") for e in entries]
    assert terms.count("create") == 7 and terms.count("update") == 2


def test_atom_keeps_the_newest_100(registry):
    from registry.feeds import Feeds

    org = new_ctid()
    _publish(registry, organization(org))
    for _ in range(4):
        _publish(registry, credential(org_ctid=org))
    feed = ET.fromstring(Feeds(registry.journal, BASE, atom_size=3).atom())
    seqs = [int(e.findtext(f"{ATOM}id").rsplit("-", 1)[1]) for e in feed.findall(f"{ATOM}entry")]
    assert seqs == [5, 4, 3]


def _get(client, url: str) -> dict:
    assert url.startswith(BASE), url
    r = client.get(url[len(BASE):])
    assert r.status_code == 200, (url, r.status_code)
    return r.json()


def test_changes_collection_and_pages_chain(client, registry, history):
    client.app.state.changes_page_size = 3
    r = client.get("/changes")
    assert r.headers["content-type"].startswith("application/activity+json")
    coll = r.json()
    total = registry.journal.entry_count()
    assert coll["type"] == "OrderedCollection" and coll["totalItems"] == total
    assert coll["id"] == BASE + "/changes.json"
    assert client.get("/changes.json").json() == coll
    pages = page_of(total, 3)
    assert coll["first"] == BASE + "/changes/page-1.json" and coll["last"] == f"{BASE}/changes/page-{pages}.json"
    seen, url, n, prev = [], coll["first"], 0, None
    while url:
        page = _get(client, url)
        n += 1
        assert page["type"] == "OrderedCollectionPage" and page["partOf"] == coll["id"]
        assert page["id"] == url and page.get("prev") == prev
        assert [a["seq"] for a in page["orderedItems"]] == list(range((n - 1) * 3 + 1, min(n * 3, total) + 1))
        assert page["startIndex"] == (n - 1) * 3
        seen += page["orderedItems"]
        prev, url = url, page.get("next")
    assert n == pages and len(seen) == total
    assert client.get(f"/changes?page={pages}").json() == _get(client, coll["last"])
    assert client.get(f"/changes/page-{pages + 1}.json").status_code == 404
    # Create for a first publish (and for one after a deletion), Update after, Delete as a Tombstone.
    by_kind = {}
    for a in seen:
        by_kind.setdefault(a["type"], []).append(a)
        obj = a["object"]
        assert obj["id"] == f"{BASE}/resources/{obj['id'].rsplit('/', 1)[1]}" and a["published"]
    assert len(by_kind["Create"]) == 7 and len(by_kind["Update"]) == 2 and len(by_kind["Delete"]) == 2
    tomb = by_kind["Delete"][0]["object"]
    assert tomb["type"] == "Tombstone" and tomb["formerType"] == "https://purl.org/ctdl/terms/Certificate"
    assert tomb["deleted"] == by_kind["Delete"][0]["published"]
    create = by_kind["Create"][1]["object"]
    assert create["type"] == "https://purl.org/ctdl/terms/Certificate" and create["name"]
    assert create["url"]["href"] == create["id"] + ".jsonld"


def _apply(client, page: dict, state: dict) -> None:
    """What a mirror does with one page: apply what it has not seen yet, in order."""
    for act in page["orderedItems"]:
        if act["seq"] <= state["seq"]:
            continue
        ctid = act["object"]["id"].rsplit("/", 1)[1]
        if act["type"] == "Delete":
            state["docs"].pop(ctid, None)
        else:
            r = client.get(act["object"]["url"]["href"][len(BASE):])
            if r.status_code == 200:  # else deleted since: a later activity says so
                state["docs"][ctid] = r.json()
        state["seq"] = act["seq"]


def mirror(client, state: dict | None = None, *, use_after: bool = False) -> dict:
    """A mirror: start (or resume after ``state['seq']``) and follow ``next`` to the end.

    Static protocol: page n holds seqs (n-1)*size+1 .. n*size, so resume at page_of(seq + 1) and
    skip what was applied. Live protocol: ``/changes?after=SEQ``.
    """
    state = state or {"seq": 0, "docs": {}}
    coll = client.get("/changes").json()
    if use_after:
        url = f"{BASE}/changes?after={state['seq']}"
    elif state["seq"] == 0:
        url = coll["first"]
    else:
        url = f"{BASE}/changes/page-{page_of(state['seq'] + 1, coll['pageSize'])}.json"
    while url:
        page = _get(client, url)
        _apply(client, page, state)
        url = page.get("next")
    return state


def test_a_mirror_reconstructs_the_live_set_from_any_point(client, registry, history):
    client.app.state.changes_page_size = 4
    full = mirror(client)
    assert set(full["docs"]) == _live(registry)
    assert full["seq"] == registry.journal.last_seq()
    # The mirrored documents are the current ones.
    for ctid, doc in full["docs"].items():
        assert doc == json.loads(client.get(f"/resources/{ctid}.jsonld").content)
    # Resume from every point: a mirror that stopped after seq s (holding what was live then).
    entries = list(registry.journal.entries())
    for s in range(0, len(entries) + 1):
        live_then: set[str] = set()
        for e in entries[:s]:
            (live_then.add if e.action == "publish" else live_then.discard)(e.ctid)
        for use_after in (False, True):
            state = {"seq": s, "docs": {c: None for c in live_then}}
            assert set(mirror(client, state, use_after=use_after)["docs"]) == _live(registry), (s, use_after)


def test_a_mirror_resumes_after_more_changes(client, registry, history):
    client.app.state.changes_page_size = 5
    state = mirror(client)
    org = history["org"]
    extra = _publish(registry, credential(org_ctid=org))
    registry.loader.delete(history["creds"][0])
    _publish(registry, credential(history["creds"][2], org_ctid=org))  # deleted before, back now
    registry.loader.delete(extra)
    for use_after in (False, True):
        resumed = mirror(client, {"seq": state["seq"], "docs": dict(state["docs"])}, use_after=use_after)
        assert set(resumed["docs"]) == _live(registry)
        assert resumed["seq"] == registry.journal.last_seq()


def test_changes_after_pages(client, registry, history):
    client.app.state.changes_page_size = 4
    last = registry.journal.last_seq()
    page = client.get("/changes", params={"after": 2}).json()
    assert [a["seq"] for a in page["orderedItems"]] == [3, 4, 5, 6]
    assert page["next"] == f"{BASE}/changes?after=6"
    tail = client.get("/changes", params={"after": last}).json()
    assert tail["orderedItems"] == [] and "next" not in tail
