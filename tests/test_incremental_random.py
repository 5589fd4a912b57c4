"""Random sequences of changes (creations, deletions, renames, type changes, several per update),
with pages of 3 rows and sitemap files of 2 URLs: after every update the directory kept current
holds what a fresh build writes, but the files only the occasional refresh rewrites; its list pages
(cut at their stored boundaries, so their sizes drift until that refresh) list every resource once,
in order, and link only to pages that are there; after the refresh, everything is the same."""
from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

import pytest

import registry.incremental as inc
import registry.sitegen as sg
from registry.incremental import StaticSite
from registry.sitegen import Site
from .conftest import credential, new_ctid, organization
from .conftest import publish_doc as _publish

BASE = "http://testserver"
pytestmark = pytest.mark.usefixtures("no_validation")
TYPES = ["ceterms:Certificate", "ceterms:Badge", "ceterms:Certification"]
SLOW = {"data/registry.nq.gz", "organizations/index.html", "states/index.html", "search/index.html",
        "search-index.json"}


def _is_list_page(k: str) -> bool:
    """A page of a type list or of a browse list (by organization, by state)."""
    return re.fullmatch(r"(resources/(types/[^/]+/)?|organizations/ce-[^/]+/|states/[^/]+/)(index|page-\d+)\.html",
                        k) is not None


def _files(out: Path, lists: bool = True) -> dict[str, bytes]:
    d = {}
    for p in sorted(out.rglob("*")):
        if p.is_file() and not p.name.startswith(".registry-site"):
            k = str(p.relative_to(out))
            if k in SLOW or k.startswith("search-index") or k.startswith("search/") or (not lists and _is_list_page(k)):
                continue
            v = p.read_bytes()
            d[k] = gzip.decompress(v) if k.endswith(".gz") else v
    return d


def _list_problems(registry, out: Path) -> list[str]:
    """What is wrong with the kept list pages: every list (everything, each type) must give, page
    after page, the live resources in the journal's list order, and link only to pages there."""
    problems = []
    state = json.loads((out / inc.STATE_FILE).read_text())
    static = StaticSite(Site(registry), out, base=BASE)
    lists = [(key, pages, out / ("resources" if key == "" else f"resources/types/{key}"))
             for key, pages in state["lists"].items()]
    lists += [(f"org {p.name}", len(list(p.glob("*.html"))), p) for p in (out / "organizations").glob("ce-*")]
    for key, pages, folder in lists:
        files = {p.name for p in folder.glob("*.html")}
        want_files = {"index.html", *(f"page-{n}.html" for n in range(2, pages + 1))}
        if files != want_files:
            problems.append(f"{key}: pages {sorted(files)} != {sorted(want_files)}")
        shown = []
        for n in range(1, pages + 1):
            html = (folder / ("index.html" if n == 1 else f"page-{n}.html")).read_text()
            shown += re.findall(r'class="summary-name" href="/resources/(ce-[0-9a-f-]+)"', html)
            for href in re.findall(r'href="(/(?:resources/(?:types/[^/"]+/)?|organizations/ce-[^/"]+/)'
                                   r'(?:page-\d+\.html)?)"', html):
                target = out / href.lstrip("/")
                if not (target.is_file() or (target / "index.html").is_file()):
                    problems.append(f"{key} page {n} links to {href}")
        if key.startswith("org "):
            want = [r.ctid for r in registry.journal.resources(owner=folder.name, limit=10 ** 6)]
        else:
            types = static.type_filter(key) if key else None
            want = [r.ctid for r in registry.journal.resources(type_iris=types, limit=10 ** 6)] if types != [] else []
        if shown != want:
            problems.append(f"{key}: rows {shown} != {want}")
        first = (folder / "index.html").read_text()
        if key.startswith("org ") and f"<h1>{len(want)} resource" not in first:  # page 1 counts them
            problems.append(f"{key}: page 1 does not say {len(want)}")
    return problems


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("keep_types", [True, False])  # False: types also come and go
def test_updates_equal_a_fresh_build(registry, tmp_path, monkeypatch, seed, keep_types):
    monkeypatch.setattr(inc, "PAGE_SIZE", 3)
    monkeypatch.setattr(sg, "PAGE_SIZE", 3)
    rnd = random.Random(seed)
    org = new_ctid()
    _publish(registry, organization(org, name="Org"))
    live: dict[str, tuple[str, str]] = {}

    def put(ctid, t, name):
        _publish(registry, credential(ctid, org_ctid=org, **{"@type": t, "ceterms:name": {"en-US": name}}))
        live[ctid] = (t, name)

    for i in range(14):
        put(new_ctid(), TYPES[i % len(TYPES)], f"n{rnd.randrange(100):02d}")
    kw = dict(base=BASE, sitemap_limit=2)
    kept = StaticSite(Site(registry), tmp_path / "kept", **kw)
    kept.build()
    problems = []
    for step in range(8):
        log = []
        for _ in range(rnd.randint(1, 5)):
            op = rnd.choice(["new", "del", "rename", "retype", "del"])
            by_type = {t: [c for c, v in live.items() if v[0] == t] for t in TYPES}
            if op == "new":
                c = new_ctid(); put(c, rnd.choice(TYPES), f"n{rnd.randrange(100):02d}")
            elif op == "del" and live:
                c = rnd.choice(list(live))
                if keep_types and len(by_type[live[c][0]]) <= 1:
                    continue
                registry.loader.delete(c); del live[c]
            elif op == "rename" and live:
                c = rnd.choice(list(live)); put(c, live[c][0], f"n{rnd.randrange(100):02d}")
            elif op == "retype" and live:
                c = rnd.choice(list(live))
                if keep_types and len(by_type[live[c][0]]) <= 1:
                    continue
                put(c, rnd.choice([t for t in TYPES if t != live[c][0]]), live[c][1])
            else:
                continue
            log.append((op, c[:8]))
        kept.sync()
        refreshed = step % 3 == 2  # now and then, the idle refresh that cuts the lists evenly again
        if refreshed:
            kept.refresh_slow()
        fresh_dir = tmp_path / f"fresh{step}"
        StaticSite(Site(registry), fresh_dir, **kw).build()
        a, b = _files(tmp_path / "kept", lists=refreshed), _files(fresh_dir, lists=refreshed)
        diff = sorted((a.keys() ^ b.keys()) | {k for k in a.keys() & b.keys() if a[k] != b[k]})
        diff += _list_problems(registry, tmp_path / "kept")
        if diff:
            problems.append((step, log, diff))
            kept.build()  # start again from a true directory
    for p in problems:
        print("PROBLEM", seed, keep_types, p)
    assert problems == []
