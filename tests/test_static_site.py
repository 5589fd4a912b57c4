"""The static site: full build (parallel and not), the same content as the live routes, and
incremental updates that touch only what a publish or a deletion changes."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from registry.incremental import LIST_FORMAT, STATE_FILE, StaticSite, Writer, overwrite, static_links
from registry.core import Registry
from registry.sitegen import Site

from .conftest import body, credential, new_ctid, organization
from .conftest import publish_doc as _publish

BASE = "http://testserver"  # what the test client's requests see: live and static URLs agree
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# These tests are about the site: every document is taken as valid (validation has its own tests).
pytestmark = pytest.mark.usefixtures("no_validation")


@pytest.fixture
def data(registry):
    """Two organizations; certificates owned by the first, one requiring another; a deleted one."""
    org, other = new_ctid(), new_ctid()
    _publish(registry, organization(org, name="Lakeshore College"))
    _publish(registry, organization(other, name="Hilltop Institute"))
    creds = [new_ctid() for _ in range(4)]
    for i, c in enumerate(creds):
        _publish(registry, credential(c, org_ctid=org, **{"ceterms:name": {"en-US": f"Certificate {i}"}}))
    required = new_ctid()
    _publish(registry, credential(required, org_ctid=other, **{
        "ceterms:name": {"en-US": "Advanced certificate"},
        "ceterms:requires": [{"@type": "ceterms:ConditionProfile",
                              "ceterms:description": {"en-US": "Holders of the first certificate."},
                              "ceterms:targetCredential": [
                                  f"https://credentialengineregistry.org/resources/{creds[0]}"]}]}))
    gone = new_ctid()
    _publish(registry, credential(gone, org_ctid=org))
    assert registry.loader.delete(gone).status == "deleted"
    return {"org": org, "other": other, "creds": creds, "requires": required, "gone": gone}


def _static(registry, out: Path, workers: int = 1) -> StaticSite:
    return StaticSite(Site(registry), out, base=BASE, workers=workers)


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".registry-site")}


def test_build_writes_every_file(registry, data, tmp_path):
    out = tmp_path / "site"
    report = _static(registry, out).build()
    live = [data["org"], data["other"], *data["creds"], data["requires"]]
    assert report.resources == len(live)
    for ctid in live:
        for name in (f"resources/{ctid}/index.html", f"resources/{ctid}.ttl", f"resources/{ctid}.jsonld",
                     f"resources/{ctid}.nt"):
            assert (out / name).is_file(), name
    assert not list(out.rglob(f"*{data['gone']}*"))
    for name in ("index.html", "resources/index.html", "resources/types/Certificate/index.html",
                 "resources/types/CredentialOrganization/index.html", "robots.txt", "sitemap.xml",
                 "sitemaps/pages.xml.gz", "sitemaps/Certificate-1.xml.gz", "feed.atom", "changes.json",
                 "changes/page-1.json", "data/index.html", "data.ttl", "data.jsonld", "data/registry.nq.gz",
                 "static/style.css", "favicon.ico", STATE_FILE):
        assert (out / name).is_file(), name
    assert f"Sitemap: {BASE}/sitemap.xml" in (out / "robots.txt").read_text()
    # Static hosts ignore query strings: no ?type= link is left, and the type folders exist.
    for path in out.rglob("*.html"):
        html = path.read_text()
        assert "?type=" not in html, path
        for folder in re.findall(r'href="/resources/types/([^/"]+)/"', html):
            assert (out / "resources" / "types" / folder / "index.html").is_file()
        assert f'href="/resources/{data["gone"]}' not in html
    # Building again into the same folder removes what is no longer there.
    registry.loader.delete(data["creds"][3])
    _static(registry, out).build()
    assert not list(out.rglob(f"*{data['creds'][3]}*"))


def test_parallel_build_writes_the_same_files(registry, data, tmp_path):
    _static(registry, tmp_path / "one", workers=1).build()
    _static(registry, tmp_path / "two", workers=2).build()
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [k for k in one if one[k] != two[k]] == []


def test_a_full_build_over_an_old_site_leaves_each_file_exactly_its_new_content(registry, data, tmp_path):
    """The full build writes over the files of the site before in place (no ``O_TRUNC``) and cuts
    each to its new length: a file that was longer keeps no tail of its old bytes."""
    out = tmp_path / "site"
    fresh = tmp_path / "fresh"
    _static(registry, fresh).build()
    _static(registry, out).build()
    page = out / "resources" / data["org"] / "index.html"
    alternate = out / "resources" / f"{data['org']}.nt"
    inode = page.stat().st_ino
    for path in (page, alternate):
        path.write_bytes(path.read_bytes() + b"<!-- an old, longer version -->" * 1000)
    _static(registry, out).build()
    assert page.stat().st_ino == inode  # the same file, written over
    assert _files(out) == _files(fresh)


def test_writer_overwrite_is_exact_whatever_was_there(tmp_path):
    writer = Writer(tmp_path, atomic=False)
    writer.write("a/b.txt", b"x" * 10_000)
    writer.write("a/b.txt", "short")
    assert (tmp_path / "a" / "b.txt").read_bytes() == b"short"
    writer.write("a/b.txt", b"")
    assert (tmp_path / "a" / "b.txt").read_bytes() == b""
    writer.write("a/b.txt", b"y" * 70_000)
    assert (tmp_path / "a" / "b.txt").read_bytes() == b"y" * 70_000
    for size in (8192, 4096, 4095, 1, 8193):  # whole pages, and the zeros that pad the last one cut off
        writer.write("a/b.txt", b"z" * size)
        assert (tmp_path / "a" / "b.txt").read_bytes() == b"z" * size
    overwrite(str(tmp_path / "c" / "d" / "e.html"), b"made with its folders")  # (browse pages: Site._write_page)
    assert (tmp_path / "c" / "d" / "e.html").read_bytes() == b"made with its folders"


def test_row_file_keeps_strings_out_of_memory_and_shares_them_with_forked_workers(tmp_path):
    """A full build's list rows wait in a file (``sitegen.RowFile``): each reads back as written,
    a key written again reads as its last version, and a forked process reads the same."""
    from registry.sitegen import RowFile

    folder = tmp_path / "spill"
    folder.mkdir()
    rows = RowFile(folder)
    try:
        rows.update({"a": "<tr>Ä café – 東京</tr>\n", "b": "", "c": "x" * 70_000, "d": "y" * (1 << 24)})
        rows.update({})
        rows["a"] = "<tr>again</tr>"
        assert list(folder.iterdir()) == []  # an unnamed file
        assert "a" in rows and "z" not in rows and len(rows) == 4
        assert rows["a"] == "<tr>again</tr>" and rows["b"] == "" and rows["c"] == "x" * 70_000
        assert rows["d"] == "y" * (1 << 24)  # a row of 16 MB (a name of quotes, escaped)
        assert rows.get("z") is None and rows.get("z", "-") == "-"
        with pytest.raises(KeyError):
            rows["z"]
        if hasattr(os, "fork"):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: what a list worker does (and nothing else of the test session)
                try:
                    os.write(write, (rows["c"][:3] + rows["a"]).encode())
                finally:
                    os._exit(0)
            os.close(write)
            try:
                os.waitpid(pid, 0)
                assert os.read(read, 1000) == b"xxx<tr>again</tr>"
            finally:
                os.close(read)
    finally:
        rows.close()


def test_list_rows_come_from_the_render_workers_in_a_full_build(registry, data, tmp_path, monkeypatch):
    """A full build's render workers write each resource's list row once (``BuildIndex.rows_html``);
    the list pages take those rows and read the journal only for the others."""
    from registry.sitegen import BuildIndex

    site = Site(registry)
    creds = data["creds"]
    index = BuildIndex(registry, spill=tmp_path)  # as a build keeps them: in a file
    index.install(site)
    try:
        index.rows_html[creds[0]] = "<tr>made by a worker</tr>\n"
        asked: list = []
        read = registry.journal.resources_by_ctid
        monkeypatch.setattr(registry.journal, "resources_by_ctid", lambda ctids: asked.append(list(ctids)) or read(ctids))
        rows = site.list_rows([creds[0], creds[1], "ce-00000000-0000-4000-8000-000000000000"])
        assert asked == [[creds[1], "ce-00000000-0000-4000-8000-000000000000"]]
        assert rows[0] == "<tr>made by a worker</tr>\n" and rows[1].ctid == creds[1] and len(rows) == 2
        html = site.renderer.index_page(site.summaries(rows))
        assert "<tr>made by a worker</tr>" in html and site.renderer.summary_row_html(site.summary(rows[1])) in html
    finally:
        BuildIndex.remove(site)
        index.close()
    # and the rows a build's workers make are the rows the live list shows
    out = tmp_path / "site"
    _static(registry, out, workers=2).build()
    assert _files(out)["resources/index.html"].decode() == static_links(
        Site(registry).index_html(static=True), "")


def test_static_files_match_the_live_routes(client, registry, data, tmp_path):
    out = tmp_path / "site"
    _static(registry, out).build()
    pairs = {
        "/robots.txt": "robots.txt", "/sitemap.xml": "sitemap.xml", "/feed.atom": "feed.atom",
        "/favicon.ico": "favicon.ico", "/changes.json": "changes.json", "/changes/page-1.json": "changes/page-1.json",
        "/data.ttl": "data.ttl", "/data.jsonld": "data.jsonld",
        "/sitemaps/Certificate-1.xml.gz": "sitemaps/Certificate-1.xml.gz",
        "/sitemaps/CredentialOrganization-1.xml.gz": "sitemaps/CredentialOrganization-1.xml.gz",
    }
    for ctid in (data["org"], data["creds"][0], data["requires"]):
        for ext in ("ttl", "jsonld", "nt"):
            pairs[f"/resources/{ctid}.{ext}"] = f"resources/{ctid}.{ext}"
    for url, name in pairs.items():
        live = client.get(url, headers={"Accept-Encoding": "identity"}).content
        assert live == (out / name).read_bytes(), url
    # HTML: the same page, with ?type= links pointing at the static type folders.
    for url, name in {f"/resources/{data['creds'][0]}": f"resources/{data['creds'][0]}/index.html",
                      f"/resources/{data['org']}": f"resources/{data['org']}/index.html",
                      "/": "index.html", "/data": "data/index.html",
                      "/resources": "resources/index.html"}.items():
        live = client.get(url, headers={"Accept": "text/html"}).text
        assert static_links(live, "") == (out / name).read_text(), url
    # The pages sitemap lists the static addresses of the lists.
    urls = {u.findtext(f"{SM}loc") for u in
            ET.fromstring(gzip.decompress((out / "sitemaps/pages.xml.gz").read_bytes())).findall(f"{SM}url")}
    assert {f"{BASE}/resources/", f"{BASE}/resources/types/Certificate/", f"{BASE}/data/"} <= urls


def _snapshot(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*")
            if p.is_file() and not p.name.startswith(".registry-site")}


def _resources_in(paths) -> set[str]:
    return {m.group(1) for p in paths if (m := re.match(r"resources/(ce-[0-9a-f-]{36})", p))}


DISCOVERY = {"index.html", "data/index.html", "data.ttl", "data.jsonld", "sitemap.xml", "sitemaps/pages.xml.gz",
             "feed.atom", "changes.json", "changes/page-1.json"}


def test_publishing_one_resource_rewrites_only_what_shows_it(registry, data, tmp_path):
    out = tmp_path / "site"
    static = _static(registry, out)
    static.build()
    before = _snapshot(out)
    time.sleep(0.01)
    target = data["creds"][0]
    _publish(registry, credential(target, org_ctid=data["org"], **{
        "ceterms:name": {"en-US": "Certificate 0"}, "ceterms:description": {"en-US": "A new description."}}))
    report = static.sync()
    assert report.changes == 1 and report.removed == []
    written = set(report.written)
    # A new description shows on its own page only (other pages show its name, type and owner).
    assert _resources_in(written) == {target}
    assert {f"resources/{target}/index.html", f"resources/{target}.jsonld"} <= written
    # Same name: only the list pages that hold it, in every list it belongs to.
    lists = {p for p in written if p.startswith("resources/") and p.endswith(".html") and "/ce-" not in p}
    assert lists == {"resources/index.html", "resources/types/Certificate/index.html"}
    assert DISCOVERY <= written
    assert {p for p in written if p.startswith("sitemaps/")} == {"sitemaps/pages.xml.gz", "sitemaps/Certificate-1.xml.gz"}
    after = _snapshot(out)
    changed = {p for p in after if after[p] != before.get(p)}
    assert changed == written
    assert "A new description." in (out / f"resources/{target}/index.html").read_text()
    # Nothing new since: nothing is written.
    assert static.sync().written == []
    # A new name shows on its owner's page (it links to it) and on the page of what requires it.
    _publish(registry, credential(target, org_ctid=data["org"], **{"ceterms:name": {"en-US": "Certificate Zero"}}))
    report = static.sync()
    assert _resources_in(report.written) == {target, data["org"], data["requires"]}
    assert "Certificate Zero" in (out / f"resources/{data['requires']}/index.html").read_text()


def test_deleting_removes_its_files_and_every_link_to_it(registry, data, tmp_path):
    out = tmp_path / "site"
    static = _static(registry, out)
    static.build()
    target = data["creds"][0]
    assert f'href="/resources/{target}"' in (out / f"resources/{data['requires']}/index.html").read_text()
    before = _snapshot(out)
    time.sleep(0.01)
    assert registry.loader.delete(target).status == "deleted"
    report = static.sync()
    assert set(report.removed) == {f"resources/{target}", f"resources/{target}.ttl", f"resources/{target}.jsonld",
                                   f"resources/{target}.nt"}
    assert not list(out.rglob(f"*{target}*"))
    assert _resources_in(report.written) == {data["org"], data["requires"]}
    after = _snapshot(out)
    assert {p for p in after if after[p] != before.get(p)} == set(report.written)
    for path in out.rglob("*.html"):  # (the provider's own IRI may still be named, in the data)
        assert f'href="/resources/{target}' not in path.read_text(), path
    for path in out.glob("sitemaps/*.xml.gz"):
        assert target.encode() not in gzip.decompress(path.read_bytes())
    assert "Deleted: Certificate 0" in (out / "feed.atom").read_text()


def test_incremental_equals_a_full_build(registry, data, tmp_path):
    """After creations, a rename, a type change and deletions, the kept-current directory holds
    what a fresh build writes."""
    static = _static(registry, tmp_path / "kept")
    static.build()
    org = data["org"]
    for i in range(60):  # more than one list page: rows shift across pages
        _publish(registry, credential(org_ctid=org, **{"ceterms:name": {"en-US": f"Bulk {i:02d}"}}))
    for name in ("apple", "Apple", "Éclair", "zebra", "Zebra", "_under", "ábaco"):  # the lists' collation
        _publish(registry, credential(org_ctid=org, **{"ceterms:name": {"en-US": name}}))
    static.sync()
    _publish(registry, credential(data["creds"][1], org_ctid=org, **{"ceterms:name": {"en-US": "Zz renamed"}}))
    _publish(registry, credential(data["creds"][2], org_ctid=org, **{"@type": "ceterms:Badge"}))
    registry.loader.delete(data["creds"][3])
    registry.loader.delete(data["other"])
    static.sync()
    _static(registry, tmp_path / "fresh").build()
    kept, fresh = _files(tmp_path / "kept"), _files(tmp_path / "fresh")
    # Every file is the same but those that read everything: the dump and the browse indexes,
    # left to the occasional refresh (the search index's shards are in a folder named by their version),
    # and the pages of browse lists, cut at their boundaries until that refresh cuts them evenly again.
    shards = lambda files: {k for k in files if k.startswith("search-index/")  # noqa: E731
                            or re.fullmatch(r"(organizations|states)/[^/]+/page-\d+\.html", k)}
    assert sorted(kept.keys() - fresh.keys() - shards(kept)) == [] and \
        sorted(fresh.keys() - kept.keys() - shards(fresh)) == []
    slow = {"data/registry.nq.gz", "organizations/index.html", "states/index.html", "search/index.html",
            "search-index.json"}
    browse = {k for k in kept if re.fullmatch(r"(organizations|states)/[^/]+/(index|page-\d+)\.html", k)}
    assert {k for k in kept.keys() & fresh.keys() if kept[k] != fresh[k]} <= slow | shards(kept) | browse
    assert static.refresh_slow()
    kept = _files(tmp_path / "kept")
    assert sorted(kept.keys() ^ fresh.keys()) == []  # the old shards are gone
    assert sorted(k for k in kept if kept[k] != fresh[k]) == []


def test_a_new_sitemap_file_size_rewrites_every_sitemap(registry, data, tmp_path):
    """A directory built with one sitemap file size and kept current with another (an upgrade) ends
    as a fresh build with the new size: the next update redoes every sitemap, not only the one that
    changed."""
    StaticSite(Site(registry), tmp_path / "kept", base=BASE, sitemap_limit=1).build()
    assert (tmp_path / "kept" / "sitemaps" / "Certificate-5.xml.gz").exists()  # one URL per file
    _publish(registry, credential(org_ctid=data["org"], **{"ceterms:name": {"en-US": "New one"}}))
    StaticSite(Site(registry), tmp_path / "kept", base=BASE, sitemap_limit=3).sync()
    StaticSite(Site(registry), tmp_path / "fresh", base=BASE, sitemap_limit=3).build()
    kept, fresh = _files(tmp_path / "kept"), _files(tmp_path / "fresh")
    maps = lambda files: {k: v for k, v in files.items() if k.startswith("sitemap")}  # noqa: E731
    assert maps(kept) == maps(fresh) and "sitemaps/Certificate-5.xml.gz" not in kept


def test_a_directory_from_before_the_sitemap_size_was_saved_redoes_its_sitemaps(registry, data, tmp_path):
    """A state file without ``sitemap_limit`` was written with 50,000 URLs per file: the next update
    redoes every sitemap in the current size."""
    StaticSite(Site(registry), tmp_path / "kept", base=BASE, sitemap_limit=1).build()
    state_file = tmp_path / "kept" / STATE_FILE
    state = json.loads(state_file.read_text())
    del state["sitemap_limit"]
    state_file.write_text(json.dumps(state))
    _publish(registry, credential(org_ctid=data["org"], **{"ceterms:name": {"en-US": "New one"}}))
    _static(registry, tmp_path / "kept").sync()
    _static(registry, tmp_path / "fresh").build()
    maps = lambda out: {k: v for k, v in _files(out).items() if k.startswith("sitemap")}  # noqa: E731
    assert maps(tmp_path / "kept") == maps(tmp_path / "fresh")


def test_a_link_moved_to_another_relation_rewrites_the_page_it_names(registry, data, tmp_path):
    """The same target, now under ``recommends`` instead of ``requires``: its page says so after the
    update, as after a fresh build."""
    static = _static(registry, tmp_path / "kept")
    static.build()
    target = data["creds"][0]
    page = tmp_path / "kept" / "resources" / target / "index.html"
    assert "Is required for" in page.read_text()
    _publish(registry, credential(data["requires"], org_ctid=data["other"], **{
        "ceterms:name": {"en-US": "Advanced certificate"},
        "ceterms:recommends": [{"@type": "ceterms:ConditionProfile",
                                "ceterms:description": {"en-US": "Holders of the first certificate."},
                                "ceterms:targetCredential": [
                                    f"https://credentialengineregistry.org/resources/{target}"]}]}))
    static.sync()
    assert "Is recommended for" in page.read_text() and "Is required for" not in page.read_text()
    _static(registry, tmp_path / "fresh").build()
    assert page.read_bytes() == (tmp_path / "fresh" / "resources" / target / "index.html").read_bytes()


def test_a_default_graph_statement_naming_a_resource_graph_leaves_the_build_whole(registry, data, tmp_path,
                                                                                   monkeypatch):
    """The build splits the store's dump by the graph name at the end of each line; a statement in the
    default graph whose object is a resource's graph name ends the same way. That resource's files are
    still its graph, nothing else."""
    ctid = data["creds"][0]
    registry.store.update(f"INSERT DATA {{ <http://x.test/s> <http://x.test/p> <urn:ctid:{ctid}> }}")
    _forget_graphs(registry)  # the build reads the graphs from the store's dump, as for an old journal
    monkeypatch.setattr("registry.incremental.FEW_MISSING", 0)  # all of them, in one streaming read
    out = tmp_path / "site"
    _static(registry, out).build()
    spo = lambda ts: {(t.subject, t.predicate, t.object) for t in ts}  # noqa: E731
    nt = (out / "resources" / f"{ctid}.nt").read_bytes()
    assert spo(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)) == spo(registry.store.graph(ctid))
    assert b"x.test" not in nt
    assert (out / "resources" / ctid / "index.html").is_file()


def _forget_graphs(registry) -> None:
    """Make the journal one from before it kept graphs."""
    with registry.journal.transaction() as db:
        db.execute("DELETE FROM graphs")


def _unlabelled(triples) -> list[tuple[str, str, str]]:
    """Statements with blank nodes unnamed (the store names them its own way), each as often as it comes."""
    def term(t):
        return "_:" if isinstance(t, ox.BlankNode) else str(t)
    return sorted((term(t.subject), term(t.predicate), term(t.object)) for t in triples)


def _kept(registry, ctid: str) -> list:
    return list(ox.parse(registry.journal.graph(ctid), format=ox.RdfFormat.N_TRIPLES))


def test_the_journal_keeps_each_live_graph_for_the_pages(registry, data, tmp_path, monkeypatch):
    """Pages and the dump are made from the graphs the journal keeps (in document order), which say
    what the store's graphs say: kept with each publication (a value written twice, once, as in the
    store), dropped with a deletion, remade by a rebuild, and copied from the store into a journal
    made before it kept them (one by one, or in one streaming read when there are many)."""
    journal = registry.journal
    twice = new_ctid()
    _publish(registry, credential(twice, org_ctid=data["org"], **{"ceterms:keyword": {"en-US": ["x-ray", "x-ray"]}}))
    live = [data["org"], data["other"], *data["creds"], data["requires"], twice]

    def same_as_store():
        for ctid in live:
            assert _unlabelled(_kept(registry, ctid)) == _unlabelled(registry.store.graph(ctid)), ctid
        assert journal.graph(data["gone"]) is None and journal.without_graph() == {}

    same_as_store()
    assert sum(t.object == ox.Literal("x-ray", language="en-us") for t in _kept(registry, twice)) == 1
    order = [t.predicate.value for t in _kept(registry, data["org"])]
    assert order.index("https://purl.org/ctdl/terms/ctid") < order.index("https://purl.org/ctdl/terms/name")
    registry.loader.rebuild()
    same_as_store()

    out = tmp_path / "site"
    _static(registry, out).build()
    before = _files(out)
    for few in (1000, 0):  # one by one; in one streaming read
        monkeypatch.setattr("registry.incremental.FEW_MISSING", few)
        _forget_graphs(registry)
        assert sorted(journal.without_graph()) == sorted(live)
        assert "Lakeshore College" in Site(registry).resource_html(journal.resource(data["org"]))  # from the store
        assert _static(registry, out).sync().changes == 0 and journal.without_graph() == {}  # copied
        same_as_store()
    _static(registry, out).build()
    assert _files(out).keys() == before.keys()
    with gzip.open(out / "data" / "registry.nq.gz") as fh:
        dumped = list(ox.parse(fh.read(), format=ox.RdfFormat.N_QUADS))
    for ctid in live:
        graph = f"<urn:ctid:{ctid}>"
        assert _unlabelled(q for q in dumped if str(q.graph_name) == graph) == _unlabelled(registry.store.graph(ctid))
    assert {str(q.graph_name) for q in dumped} == {f"<urn:ctid:{c}>" for c in live}


def test_the_dump_is_a_gzip_member_per_batch_of_the_render_workers(registry, data, tmp_path, monkeypatch):
    """Each batch's worker compresses its graphs as N-Quads into one gzip member; the main process
    writes them one after the other: one gzip stream, every live graph in it once."""
    import zlib

    from registry.incremental import _DumpFile

    monkeypatch.setattr("registry.incremental.RESOURCE_BATCH", 1)
    out = tmp_path / "site"
    _static(registry, out, workers=2).build()
    raw = (out / "data" / "registry.nq.gz").read_bytes()
    members, rest = 0, raw
    while rest:
        d = zlib.decompressobj(31)
        d.decompress(rest)
        assert d.eof
        rest, members = d.unused_data, members + 1
    live = registry.journal.live_ctids()
    assert members == len(live)
    quads = list(ox.parse(gzip.decompress(raw), format=ox.RdfFormat.N_QUADS))
    assert {str(q.graph_name) for q in quads} == {f"<urn:ctid:{c}>" for c in live}
    for ctid in live:
        assert len([q for q in quads if str(q.graph_name) == f"<urn:ctid:{ctid}>"]) == len(registry.store.graph(ctid))
    empty = _DumpFile(tmp_path / "empty.nq.gz")  # no resources: still a gzip file
    empty.close()
    assert gzip.decompress((tmp_path / "empty.nq.gz").read_bytes()) == b""


def test_a_graph_copied_from_the_store_never_replaces_a_newer_version(registry, data, tmp_path, monkeypatch):
    """keep_graphs reads the store while other processes publish: a version published after it listed
    what is missing keeps its own graph, and a resource deleted meanwhile gets none. A graph the
    journal kept for an older version than the resource's (a version without the table published
    since) does not count: the store's is used, and copied."""
    import registry.incremental as incremental

    journal, ctid, gone = registry.journal, data["creds"][1], data["creds"][2]
    _forget_graphs(registry)
    listed = journal.without_graph()  # what keep_graphs saw missing, before the publications below
    doc = credential(ctid, org_ctid=data["org"], **{"ceterms:name": {"en-US": "Certificate 1, second edition"}})
    _publish(registry, doc)
    assert registry.loader.delete(gone).status == "deleted"
    for few in (1000, 0):
        monkeypatch.setattr(incremental, "FEW_MISSING", few)
        monkeypatch.setattr(journal, "without_graph", lambda: dict(listed))
        incremental.keep_graphs(journal, registry.store)
        monkeypatch.undo()
        assert "second edition" in journal.graph(ctid).decode()
        assert journal.graph(gone) is None and not journal.graphs([gone])
        assert journal.without_graph() == {}
    # a version published by a registry without the table: the journal's graph is an older version's
    with journal.transaction() as db:
        db.execute("UPDATE resources SET seq = seq + 1000 WHERE ctid = ?", (ctid,))
    assert journal.graph(ctid) is None and list(journal.without_graph()) == [ctid]
    assert "second edition" in Site(registry).resource_html(journal.resource(ctid))  # from the store
    assert incremental.keep_graphs(journal, registry.store) == 1 and journal.graph(ctid) is not None


def test_a_live_resource_the_store_lacks_still_gets_its_page(registry, data, tmp_path, caplog):
    """A live resource with no graph in the journal or the store (they disagree) still gets its page
    and alternates, from what the journal knows, and the build says so."""
    ctid = data["creds"][0]
    _forget_graphs(registry)
    registry.store.drop([ctid])
    out = tmp_path / "site"
    report = _static(registry, out, workers=2).build()
    assert report.resources == 7 and (out / "resources" / ctid / "index.html").is_file()
    assert (out / "resources" / f"{ctid}.nt").read_bytes() == b""
    assert "have no graph in the journal or the store" in caplog.text
    assert list(registry.journal.without_graph()) == [ctid]


def test_names_with_nul_sort_the_same_in_sqlite_and_in_memory(registry, data, tmp_path):
    """SQLite's NOCASE stops comparing at U+0000, Python does not: the index keeps names without it,
    so a browse list kept current equals a fresh build's."""
    static = _static(registry, tmp_path / "kept")
    static.build()
    for last in "zyxwvu":
        _publish(registry, credential(org_ctid=data["org"], **{"ceterms:name": {"en-US": f"a\u0000{last}"}}))
    assert {r.name for r in registry.journal.resources(limit=1000)} >= {f"a{last}" for last in "zyxwvu"}
    static.sync()
    _static(registry, tmp_path / "fresh").build()
    page = f"organizations/{data['org']}/index.html"
    assert (tmp_path / "kept" / page).read_bytes() == (tmp_path / "fresh" / page).read_bytes()


def test_a_new_resource_updates_the_pages_that_named_it(registry, data, tmp_path):
    static = _static(registry, tmp_path / "site")
    static.build()
    future = new_ctid()  # named by a credential before it is published
    cred = _publish(registry, credential(org_ctid=future))
    static.sync()
    page = tmp_path / "site" / f"resources/{cred}/index.html"
    assert f'href="/resources/{future}"' not in page.read_text()
    report = (_publish(registry, organization(future, name="Newcomer College")), static.sync())[1]
    assert cred in _resources_in(report.written)
    assert f'href="/resources/{future}"' in page.read_text()


def test_serve_with_a_site_dir_keeps_it_current(registry, data, tmp_path):
    from registry.app import create_app

    out = tmp_path / "site"
    key = registry.journal.add_provider("lakeshore", [data["org"]])
    with TestClient(create_app(registry, site_dir=out, site_base=BASE)) as c:
        updater = c.app.state.site_updater
        assert updater in registry.listeners
        updater()  # nothing published yet: the first run builds the directory
        assert updater.flush(60)
        assert (out / "sitemap.xml").is_file()
        new = new_ctid()
        r = c.post("/api/publish", content=body(credential(new, org_ctid=data["org"])),
                   headers={"Authorization": f"Bearer {key}", "Content-Type": "application/ld+json"})
        assert r.status_code == 201, r.text
        assert updater.flush(60)
        assert (out / f"resources/{new}/index.html").is_file()
        assert new in (out / "feed.atom").read_text()
        r = c.delete(f"/api/resources/{new}", headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 200, r.text
        assert updater.flush(60)
        assert not (out / f"resources/{new}").exists()
    assert updater not in registry.listeners


def test_registry_site_command(registry, data, tmp_path):
    out = tmp_path / "site"
    registry.close()  # the command opens the journal itself; the store is the running server
    exe = str(Path(sys.executable).parent / "registry")
    proc = subprocess.run([exe, "site", "--out", str(out), "--base-url", "https://reg.example", "--data",
                           str(registry.config.data_dir), "--store-url", registry.store.query_url[:-len("/query")]],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 0, proc.stderr
    assert "Wrote 7 resource pages" in proc.stdout
    assert "Sitemap: https://reg.example/sitemap.xml" in (out / "robots.txt").read_text()
    assert b"https://reg.example/resources/" in gzip.decompress((out / "sitemaps/Certificate-1.xml.gz").read_bytes())


def test_the_list_order_of_several_types_stays_that_of_sqlite(registry, data):
    """A list of several types (Credential: every credential class) is merged once and then kept
    current change by change: its rows and positions stay those of SQLite's ORDER BY."""
    from registry.incremental import _NameIndex, _sort_key

    cert, badge = "https://purl.org/ctdl/terms/Certificate", "https://purl.org/ctdl/terms/Badge"
    org = data["org"]
    _publish(registry, credential(org_ctid=org, **{"@type": "ceterms:Badge", "ceterms:name": {"en-US": "Badge 1"}}))
    names = _NameIndex(registry.journal)
    names.refresh()
    types = [cert, badge]

    def agree():
        names.refresh()
        rows = registry.journal.resources(type_iris=types, limit=1000)
        assert names.slice(types, 0, 1000) == [r.ctid for r in rows]
        assert names.slice(types, 2, 3) == [r.ctid for r in rows[2:5]]
        assert [len(names.between(types, None, _sort_key(r.name, r.ctid))) for r in rows] == list(range(len(rows)))

    agree()
    assert tuple(sorted(types)) in names.merged
    for name in ("apple", "Zulu", "Éclair", "badge 0"):
        _publish(registry, credential(org_ctid=org, **{"@type": "ceterms:Badge", "ceterms:name": {"en-US": name}}))
    _publish(registry, credential(data["creds"][1], org_ctid=org, **{"ceterms:name": {"en-US": "Aardvark"}}))
    registry.loader.delete(data["creds"][2])
    agree()


def _broken_list_links(out: Path) -> list[tuple[str, str]]:
    """(list page, href) of every link from a type list page to a file that is not there."""
    broken = []
    for page in sorted((out / "resources").rglob("*.html")):
        if "types" not in page.parts and page.parent != out / "resources":
            continue
        for href in re.findall(r'href="([^"#?]+)"', page.read_text()):
            path = href[len(BASE):] if href.startswith(BASE + "/") else href
            if not path.startswith("/resources"):  # the lists and the resources they link to
                continue
            target = out / path.lstrip("/")
            if not (target.is_file() or (target / "index.html").is_file() or target.with_suffix(".html").is_file()):
                broken.append((str(page.relative_to(out)), href))
    return broken


def test_list_pages_kept_current_never_link_to_pages_that_are_gone(registry, data, tmp_path):
    """Pages after the first hold nothing that changes with the rest of the list (no last page, no
    total, no counts), so the pages a change leaves alone stay true; and when the number of pages or
    the set of types changes, the pages that link to what changed are rewritten."""
    org = data["org"]
    bulk = [new_ctid() for _ in range(196)]
    for i, ctid in enumerate(bulk):  # 201 certificates: 5 pages of 50
        _publish(registry, credential(ctid, org_ctid=org, **{"ceterms:name": {"en-US": f"Bulk {i:03d}"}}))
    static = _static(registry, tmp_path / "kept")
    static.build()
    assert (tmp_path / "kept/resources/types/Certificate/page-5.html").is_file()
    for ctid in bulk[-4:]:  # near the end of the list: only the last pages move, and there is one page fewer
        registry.loader.delete(ctid)
    badge = new_ctid()
    _publish(registry, credential(badge, org_ctid=org, **{"@type": "ceterms:Badge"}))  # a new type
    static.sync()
    assert not (tmp_path / "kept/resources/types/Certificate/page-5.html").exists()
    assert _broken_list_links(tmp_path / "kept") == []
    registry.loader.delete(badge)  # the type goes again: its folder too
    static.sync()
    assert not (tmp_path / "kept/resources/types/Badge").exists()
    assert _broken_list_links(tmp_path / "kept") == []
    _static(registry, tmp_path / "fresh").build()
    kept, fresh = _files(tmp_path / "kept"), _files(tmp_path / "fresh")
    lists = [k for k in fresh if k.startswith("resources/") and k.endswith(".html") and "/ce-" not in k]
    assert [k for k in lists if kept.get(k) != fresh[k]] == []


def _sitemaps(out: Path) -> dict[str, bytes]:
    return {k: (gzip.decompress(v) if k.endswith(".gz") else v) for k, v in _files(out).items()
            if k.startswith("sitemap")}


def test_a_resource_changing_to_a_type_that_exists_keeps_every_sitemap_whole(registry, tmp_path):
    """A republished resource keeps its rank (rowid): in its new type it lands among the others and
    the later ones shift to the next file, so every file of the new type is redone."""
    org = new_ctid()
    _publish(registry, organization(org))
    moved = new_ctid()
    _publish(registry, credential(moved, org_ctid=org, **{"ceterms:name": {"en-US": "Moved"}}))
    _publish(registry, credential(org_ctid=org, **{"ceterms:name": {"en-US": "Stays a certificate"}}))
    for i in range(3):
        _publish(registry, credential(org_ctid=org, **{"@type": "ceterms:Badge", "ceterms:name": {"en-US": f"Badge {i}"}}))
    kept = StaticSite(Site(registry), tmp_path / "kept", base=BASE, sitemap_limit=1)
    kept.build()
    _publish(registry, credential(moved, org_ctid=org, **{"@type": "ceterms:Badge", "ceterms:name": {"en-US": "Moved"}}))
    kept.sync()
    StaticSite(Site(registry), tmp_path / "fresh", base=BASE, sitemap_limit=1).build()
    assert _sitemaps(tmp_path / "kept") == _sitemaps(tmp_path / "fresh")


def test_the_type_counts_follow_a_resource_that_changes_type(registry, tmp_path, monkeypatch):
    """Page 1 of everything counts each type: a resource moving between two types that both stay
    rewrites it even when its own row is on another page."""
    import registry.incremental as inc
    import registry.sitegen as sg

    monkeypatch.setattr(inc, "PAGE_SIZE", 3)
    monkeypatch.setattr(sg, "PAGE_SIZE", 3)
    org = new_ctid()
    _publish(registry, organization(org, name="Aaa College"))
    _publish(registry, credential(org_ctid=org, **{"@type": "ceterms:Badge", "ceterms:name": {"en-US": "A badge"}}))
    for i in range(4):
        _publish(registry, credential(org_ctid=org, **{"ceterms:name": {"en-US": f"B certificate {i}"}}))
    moved = new_ctid()
    _publish(registry, credential(moved, org_ctid=org, **{"ceterms:name": {"en-US": "Zz moved"}}))
    kept = StaticSite(Site(registry), tmp_path / "kept", base=BASE)
    kept.build()
    _publish(registry, credential(moved, org_ctid=org, **{"@type": "ceterms:Badge", "ceterms:name": {"en-US": "Zz moved"}}))
    kept.sync()
    StaticSite(Site(registry), tmp_path / "fresh", base=BASE).build()
    a, b = _files(tmp_path / "kept"), _files(tmp_path / "fresh")
    lists = [k for k in b if k.startswith("resources/") and k.endswith(".html") and "/ce-" not in k]
    assert len(lists) > 3 and [k for k in lists if a.get(k) != b[k]] == []


def test_list_pages_written_by_an_older_version_are_all_rewritten_once(registry, data, tmp_path):
    """Pages after the first used to link to the last page: a directory whose state does not say
    which list format it holds gets every list page rewritten at its next update, so none of them
    links to a page the update removes."""
    static = _static(registry, tmp_path / "kept")
    static.build()
    state_path = tmp_path / "kept" / STATE_FILE
    state = json.loads(state_path.read_text())
    assert state.pop("list_format")
    state_path.write_text(json.dumps(state))
    page = tmp_path / "kept" / "resources/types/CredentialOrganization/index.html"  # a list the change is not in
    page.write_text("written by an older version")
    _publish(registry, credential(data["creds"][0], org_ctid=data["org"], **{"ceterms:description": {"en-US": "x"}}))
    static.sync()
    assert page.read_text() != "written by an older version"
    assert json.loads(state_path.read_text())["list_format"] == LIST_FORMAT


def test_a_new_resource_rewrites_its_own_list_page_not_the_pages_after_it(registry, data, tmp_path, monkeypatch):
    """Kept-current list pages are cut at stored boundaries: a resource that comes or goes changes the
    page it belongs on (and page 1 of everything, which counts the types), not every page after it;
    their sizes drift until the idle refresh cuts the lists evenly again, as a full build does."""
    import registry.incremental as inc
    import registry.sitegen as sg

    monkeypatch.setattr(inc, "PAGE_SIZE", 3)
    monkeypatch.setattr(sg, "PAGE_SIZE", 3)
    org = data["org"]
    for i in range(12):
        _publish(registry, credential(org_ctid=org, **{"ceterms:name": {"en-US": f"Cert {i:02d}"}}))
    static = _static(registry, tmp_path / "kept")
    static.build()
    added = new_ctid()
    _publish(registry, credential(added, org_ctid=org, **{"ceterms:name": {"en-US": "Cert 04b"}}))
    report = static.sync()
    lists = sorted(p for p in report.written if p.startswith("resources/") and p.endswith(".html") and "/ce-" not in p)
    # "Advanced certificate", "Cert 00".."Cert 11", "Certificate 0".."3" (the organizations after them):
    # Cert 04b joins page 2 (Cert 02..04) of both lists; page 1 of everything counts the types.
    assert lists == ["resources/index.html", "resources/page-2.html", "resources/types/Certificate/page-2.html"]
    page = (tmp_path / "kept/resources/types/Certificate/page-2.html").read_text()
    assert page.count('class="summary-name"') == 4 and added in page
    registry.loader.delete(data["creds"][3])
    report = static.sync()
    assert sorted(p for p in report.written if "/types/Certificate/" in p) == ["resources/types/Certificate/page-6.html"]
    assert static.read_state()["lists_drifted"]
    assert static.refresh_slow()
    _static(registry, tmp_path / "fresh").build()
    kept, fresh = _files(tmp_path / "kept"), _files(tmp_path / "fresh")
    lists = [k for k in fresh if k.startswith("resources/") and k.endswith(".html") and "/ce-" not in k]
    assert [k for k in lists if kept.get(k) != fresh[k]] == [] and not static.read_state()["lists_drifted"]


def test_small_browse_lists_are_written_in_batches():
    """Each browse list is written once, small ones many to a task (a task per one-page list cost more
    to hand out than to write), large ones and the other tasks alone."""
    from registry.incremental import _batched_browse_lists

    def browse(name, n):
        return ("browse", (f"organizations/{name}", f"/organizations/{name}/", [f"c{i}" for i in range(n)], name, None))

    tasks = [("search", None), ("list", (None, 1, 100)), browse("big", 5000)] + [browse(f"o{i}", 3) for i in range(700)]
    out = _batched_browse_lists(tasks, rows=1000)
    assert out[:3] == tasks[:3]
    batches = out[3:]
    assert all(kind == "browses" for kind, _ in batches) and 2 <= len(batches) <= 4
    assert [args for _, batch in batches for args in batch] == [args for _, args in tasks[3:]]


def test_the_type_query_test_is_the_plain_one():
    from registry.incremental import _has_type_query

    for text in ("", "?", "?type", "?type=", "a?b?type=x", "??type=", "?typ=e", "x" * 50 + "?type=’", "’?t?type",
                 'href="/resources?type=Degree"', "type=?", "?TYPE="):
        assert _has_type_query(text) == ("?type=" in text), text


def test_the_build_index_reads_the_members_from_the_journal(registry):
    """The members' names (competencies of frameworks) come from the journal's copies of the
    frameworks' graphs, as the live site reads them: a build asks the store nothing for them, and
    looks every member up as the live site does (each from a site of its own: no cache shared)."""
    from registry.demo import generate
    from registry.ingest.parse import parse
    from registry.sitegen import BuildIndex

    docs = [d for raw in generate(40, seed=5) for d in parse(json.dumps(raw).encode(), "application/ld+json")]
    assert all(o.accepted for o in registry.loader.publish(docs))
    index = BuildIndex(registry)
    try:
        members = {iri for found in index.members.values() for iri in found}
        assert len(members) >= 10, "the demo data has frameworks with competencies"
        expected = {iri: Site(registry, base_url="").lookup(iri) for iri in members}
        assert all(s is not None and s.part_of for s in expected.values())
        assert {iri: index.lookup(iri) for iri in members} == expected
    finally:
        index.close()

    def refuse(*args, **kwargs):
        raise ConnectionError("the store is down")

    for name in ("solutions", "query", "graph"):
        setattr(registry.store, name, refuse)
    index = BuildIndex(registry)
    try:
        assert {iri: index.lookup(iri) for iri in members} == expected
    finally:
        index.close()


def test_the_build_index_names_the_members_of_a_framework_it_cannot_read(registry, monkeypatch):
    """A framework whose graph neither the journal nor the store has: its members are named after
    it, by the build's look-ups as by the live site's."""
    from registry.demo import generate
    from registry.ingest.parse import parse
    from registry.sitegen import MEMBER_LINKS, BuildIndex

    docs = [d for raw in generate(40, seed=5) for d in parse(json.dumps(raw).encode(), "application/ld+json")]
    assert all(o.accepted for o in registry.loader.publish(docs))
    index = BuildIndex(registry)
    index.close()
    src = next(src for src, found in index.members.items() if found)
    iri, summary = next(iter(index.members[src].items()))
    assert src in [s for s, prop in registry.journal.links_to(summary.ctid) if prop in MEMBER_LINKS]
    read = registry.journal.graphs
    monkeypatch.setattr(registry.journal, "graphs", lambda ctids: {c: g for c, g in read(ctids).items() if c != src})
    monkeypatch.setattr(registry, "graph", lambda ctid: [] if ctid == src else Registry.graph(registry, ctid))
    index = BuildIndex(registry)
    try:
        live = Site(registry, base_url="").lookup(iri)
        assert live is not None and live.name.startswith("A competency of ") and live.part_of == src
        assert index.lookup(iri) == live
    finally:
        index.close()
