"""Kept-current list pages cut at stored boundaries (registry.incremental, docs/site.md): the edges a
review found. Pages of 3 rows; ``_list_problems`` checks that every list gives its resources once, in
order, page after page, and links only to pages that are there."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import registry.incremental as inc
import registry.sitegen as sg
from registry.incremental import StaticSite
from registry.sitegen import Site

from .conftest import credential, new_ctid, organization
from .conftest import publish_doc as _publish
from .test_incremental_random import _files, _list_problems

BASE = "http://testserver"
pytestmark = pytest.mark.usefixtures("no_validation")


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(inc, "PAGE_SIZE", 3)
    monkeypatch.setattr(sg, "PAGE_SIZE", 3)


def cred(registry, org, name, type_="ceterms:Certificate", region=None, ctid=None) -> str:
    ctid = ctid or new_ctid()
    extra = {"@type": type_, "ceterms:name": {"en-US": name}}
    if region:
        extra["ceterms:availableAt"] = [{"@type": "ceterms:Place", "ceterms:addressRegion": region}]
    _publish(registry, credential(ctid, org_ctid=org, **extra))
    return ctid


def differences(registry, kept: Path, fresh: Path, lists: bool = True) -> list[str]:
    StaticSite(Site(registry), fresh, base=BASE).build()
    a, b = _files(kept, lists=lists), _files(fresh, lists=lists)
    return sorted((a.keys() ^ b.keys()) | {k for k in a.keys() & b.keys() if a[k] != b[k]})


def state(out: Path) -> dict:
    return json.loads((out / inc.STATE_FILE).read_text())


def setup(registry, tmp_path, names=("n0", "n1", "n2", "n3", "n4")):
    org = new_ctid()
    _publish(registry, organization(org, name="Org"))
    made = [cred(registry, org, n) for n in names]
    kept = StaticSite(Site(registry), tmp_path / "kept", base=BASE)
    kept.build()
    return org, made, kept


def test_the_idle_refresh_does_not_bring_back_a_deleted_organizations_list(registry, tmp_path):
    org, _, kept = setup(registry, tmp_path)
    cred(registry, org, "n9")  # a row comes: the organization's list drifted
    kept.sync()
    assert f"organizations/{org}" in state(tmp_path / "kept")["lists_drifted"]
    registry.loader.delete(org)
    kept.sync()
    assert not (tmp_path / "kept/organizations" / org).exists()
    kept.refresh_slow()
    assert not (tmp_path / "kept/organizations" / org).exists()
    assert f"organizations/{org}" not in json.loads((tmp_path / "kept" / inc.BOUNDS_FILE).read_text())["lists"]


def test_the_idle_refresh_waits_for_changes_not_yet_rendered(registry, tmp_path):
    """It cuts the lists from the journal as it is: with a change not yet rendered (a type gone), it
    leaves them to the next update and the refresh after."""
    org, _, kept = setup(registry, tmp_path)
    badge = cred(registry, org, "b0", type_="ceterms:Badge")
    kept.sync()
    cred(registry, org, "n7")
    kept.sync()
    registry.loader.delete(badge)  # published while the refresh writes the dump
    kept.refresh_slow()
    kept.sync()
    assert _list_problems(registry, tmp_path / "kept") == []
    kept.refresh_slow()
    assert differences(registry, tmp_path / "kept", tmp_path / "fresh") == []


def test_a_row_that_moves_marks_its_list_for_the_refresh(registry, tmp_path):
    org, made, kept = setup(registry, tmp_path, names=[f"n{i}" for i in range(1, 9)])
    cred(registry, org, "n99", ctid=made[0])  # from page 1 to the last page
    kept.sync()
    assert {"", "Certificate"} <= set(state(tmp_path / "kept")["lists_drifted"])
    kept.refresh_slow()
    assert differences(registry, tmp_path / "kept", tmp_path / "fresh") == []


def test_a_directory_that_says_every_list_drifted_gets_every_list_cut(registry, tmp_path):
    """``lists_drifted: true``, as the first version of boundaries wrote it, means every type list."""
    org, _, kept = setup(registry, tmp_path, names=[f"n{i}" for i in range(7)])
    cred(registry, org, "n0a")
    kept.sync()
    st = state(tmp_path / "kept")
    st["lists_drifted"] = True
    kept._write_state(st)
    kept.refresh_slow()
    diff = differences(registry, tmp_path / "kept", tmp_path / "fresh")
    assert [d for d in diff if d.startswith("resources/")] == []


def test_a_rename_published_during_a_full_build(registry, tmp_path, monkeypatch):
    """The pages and their boundaries come from one snapshot of the list order, whatever lands meanwhile."""
    org = new_ctid()
    _publish(registry, organization(org, name="Org"))
    made = [cred(registry, org, f"n{i}") for i in range(1, 10)]
    kept = StaticSite(Site(registry), tmp_path / "kept", base=BASE)
    real = StaticSite._list_tasks
    done = []

    def tasks(self, *args):
        if not done:  # after the build read the list order
            done.append(1)
            cred(registry, org, "n99", ctid=made[0])
        return real(self, *args)

    monkeypatch.setattr(StaticSite, "_list_tasks", tasks)
    kept.build()
    monkeypatch.setattr(StaticSite, "_list_tasks", real)
    kept.sync()  # replays it
    assert _list_problems(registry, tmp_path / "kept") == []
    kept.refresh_slow()
    assert differences(registry, tmp_path / "kept", tmp_path / "fresh") == []


def test_a_crash_between_the_boundaries_and_the_state_leaves_no_stale_page(registry, tmp_path, monkeypatch):
    org, _, kept = setup(registry, tmp_path, names=[f"n{i}" for i in range(6)])
    many = [cred(registry, org, f"a{i:02d}") for i in range(14)]  # page 1 overflows: its lists are cut again
    real = StaticSite._write_state

    def crash(self, st):
        raise OSError("crash")

    monkeypatch.setattr(StaticSite, "_write_state", crash)
    with pytest.raises(OSError):
        kept.sync()  # the boundaries are written (7 pages), the state is not (3)
    monkeypatch.setattr(StaticSite, "_write_state", real)
    kept.sync()  # the same changes again
    for ctid in many:
        registry.loader.delete(ctid)
    kept.sync()
    kept.refresh_slow()
    assert _list_problems(registry, tmp_path / "kept") == []
    assert not (tmp_path / "kept/resources/types/Certificate/page-4.html").exists()


def test_a_state_folder_that_changes_hands(registry, tmp_path):
    """"New Mexico" sorts before "new mexico" and takes its folder name: both lists are written whole,
    each into its own folder."""
    org = new_ctid()
    _publish(registry, organization(org, name="Org"))
    for i in range(7):
        cred(registry, org, f"n{i}", region="new mexico")
    kept = StaticSite(Site(registry), tmp_path / "kept", base=BASE)
    kept.build()
    cred(registry, org, "a", region="New Mexico")
    kept.sync()
    slugs = state(tmp_path / "kept")["state_slugs"]
    assert slugs == {"New Mexico": "new-mexico", "new mexico": "new-mexico-2"}
    first = (tmp_path / "kept/states/new-mexico/index.html").read_text()
    assert re.search(r"<h1>1 resource in New Mexico</h1>", first) and "page-2.html" not in first
    assert (tmp_path / "kept/states/new-mexico-2/index.html").is_file()
    diff = differences(registry, tmp_path / "kept", tmp_path / "fresh", lists=False)
    assert [d for d in diff if d.startswith("states/")] == []
    kept.refresh_slow()
    diff = differences(registry, tmp_path / "kept", tmp_path / "fresh2")
    assert [d for d in diff if d.startswith("states/")] == []


def two_states(registry, tmp_path, many: str, few: str):
    """Seven resources in state ``many``, one in ``few`` (whose name sorts first: it gets the plain
    folder name), and a built directory. Returns (organization, the one resource, the StaticSite)."""
    org = new_ctid()
    _publish(registry, organization(org, name="Org"))
    for i in range(7):
        cred(registry, org, f"n{i}", region=many)
    one = cred(registry, org, "x", region=few)
    kept = StaticSite(Site(registry), tmp_path / "kept", base=BASE)
    kept.build()
    return org, one, kept


def test_the_old_folder_of_a_state_whose_folder_name_changed_goes(registry, tmp_path):
    _, one, kept = two_states(registry, tmp_path, "new mexico", "New Mexico")
    assert state(tmp_path / "kept")["state_slugs"] == {"New Mexico": "new-mexico", "new mexico": "new-mexico-2"}
    registry.loader.delete(one)  # "new mexico" moves to new-mexico
    kept.sync()
    assert state(tmp_path / "kept")["state_slugs"] == {"new mexico": "new-mexico"}
    assert not (tmp_path / "kept/states/new-mexico-2").exists()
    assert "states/new-mexico-2" not in json.loads((tmp_path / "kept" / inc.BOUNDS_FILE).read_text())["lists"]
    diff = differences(registry, tmp_path / "kept", tmp_path / "fresh", lists=False)
    assert [d for d in diff if d.startswith("states/")] == []


def test_a_new_state_in_a_folder_another_state_left(registry, tmp_path):
    """"NEW MEXICO" goes and "New Mexico" moves to new-mexico; then "new mexico" comes and gets
    new-mexico-2, the folder "New Mexico" left: its list is written whole, with none of the pages or
    boundaries that were there."""
    org, one, kept = two_states(registry, tmp_path, "New Mexico", "NEW MEXICO")
    assert state(tmp_path / "kept")["state_slugs"] == {"NEW MEXICO": "new-mexico", "New Mexico": "new-mexico-2"}
    registry.loader.delete(one)
    kept.sync()
    cred(registry, org, "a", region="new mexico")
    kept.sync()
    assert state(tmp_path / "kept")["state_slugs"] == {"New Mexico": "new-mexico", "new mexico": "new-mexico-2"}
    folder = tmp_path / "kept/states/new-mexico-2"
    assert "page-2.html" not in (folder / "index.html").read_text() and not (folder / "page-2.html").exists()


def test_a_state_published_during_a_full_build(registry, tmp_path, monkeypatch):
    """The build names the state folders from its snapshot of the lists and records those names."""
    org = new_ctid()
    _publish(registry, organization(org, name="Org"))
    for i in range(4):
        cred(registry, org, f"n{i}", region="new mexico")
    cred(registry, org, "a", region="New Mexico")
    kept = StaticSite(Site(registry), tmp_path / "kept", base=BASE)
    real = kept.site.organization_counts

    def organization_counts():
        out = real()
        cred(registry, org, "z", region="NEW MEXICO")  # published while the build runs
        return out

    monkeypatch.setattr(kept.site, "organization_counts", organization_counts)
    kept.build()
    monkeypatch.setattr(kept.site, "organization_counts", real)
    kept.sync()
    kept.refresh_slow()
    diff = differences(registry, tmp_path / "kept", tmp_path / "fresh")
    assert [d for d in diff if d.startswith("states/")] == []


def test_names_looked_up_before_a_change_are_not_shown_after_it(registry, tmp_path):
    """Pages kept current name what they link to as it is now: an owner renamed, an owner published
    after what it owns, a required credential renamed and deleted all show on the pages that name
    them as a fresh build shows them (no look-up from before the change survives it)."""
    org, late = new_ctid(), new_ctid()
    _publish(registry, organization(org, name="First name"))
    required = cred(registry, org, "Required one")
    orphan = cred(registry, late, "Owned before its owner was published")  # its owner comes later
    holder = new_ctid()
    link = f"https://credentialengineregistry.org/resources/{required}"

    def needs(target):
        return {"ceterms:requires": [{"@type": "ceterms:ConditionProfile", "ceterms:targetCredential": [target]}]}

    _publish(registry, credential(holder, org_ctid=org, **{"ceterms:name": {"en-US": "Holder"}, **needs(link)}))
    _publish(registry, credential(new_ctid(), org_ctid=late, **{"ceterms:name": {"en-US": "Also late-owned"},
                                                                 **needs(link)}))
    kept = StaticSite(Site(registry), tmp_path / "kept", base=BASE)
    kept.build()
    kept.sync()

    def same(step: str):
        diff = differences(registry, tmp_path / "kept", tmp_path / f"fresh-{step}", lists=False)
        assert [d for d in diff if d.startswith("resources/ce-")] == [], step

    _publish(registry, organization(org, name="Second name"))
    kept.sync()
    same("renamed owner")
    _publish(registry, organization(late, name="Late owner"))
    kept.sync()
    same("owner published late")
    cred(registry, org, "Required, renamed", ctid=required)
    kept.sync()
    same("required renamed")
    registry.loader.delete(required)
    kept.sync()
    same("required deleted")
    assert orphan


def test_a_large_names_index_is_kept_out_of_the_cyclic_collectors_way(registry, tmp_path, monkeypatch):
    """From FREEZE_FROM live resources, loading the names index freezes what the process holds (a full
    collection would walk the index's million objects during some later update: 50 ms at 100,000);
    below it, nothing is frozen. Later updates still work."""
    import gc

    org, made, kept = setup(registry, tmp_path)
    gc.unfreeze()
    try:
        inc._NameIndex(registry.journal).refresh()
        assert gc.get_freeze_count() == 0  # 6 resources: below FREEZE_FROM
        monkeypatch.setattr(inc, "FREEZE_FROM", 6)
        names = inc._NameIndex(registry.journal)
        names.refresh()
        assert gc.get_freeze_count() > 0
        cred(registry, org, "n5")
        names.refresh()
        assert len(names.all) == 7
    finally:
        gc.unfreeze()
