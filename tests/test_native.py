"""The compiled modules (registry/native.py): used when current, the same output as the sources,
never used once a source has changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from registry import native

ROOT = Path(__file__).resolve().parent.parent
COMPILED = native.fresh()
needs_compiled = pytest.mark.skipif(not COMPILED, reason="not compiled here (make install compiles them)")
ALL = {name: True for name in native.MODULES}
NONE = {name: False for name in native.MODULES}

# Renders the pages (with their schema.org descriptions), JSON-LD and Turtle of generated resources of
# every kind, linked to one another, and a list page of them; prints one digest of it all and which
# modules ran compiled.
RENDER = r"""
import hashlib, json, sys
from registry import native
from registry.demo import generate
from registry.formats import jsonld_pair, serialise, to_jsonld
from registry.ingest.parse import parse
from registry.pages import PageRenderer, ResourceSummary, _Graph

docs = [d for raw in generate(int(sys.argv[1]), seed=11)
        for d in parse(json.dumps(raw).encode(), "application/ld+json")]
known = {d.iri: ResourceSummary(ctid=d.ctid, iri=d.iri, type=d.types[0] if d.types else "", name=d.ctid)
         for d in docs}
renderer = PageRenderer(base_url="https://registry.example.org")
digest = hashlib.sha256()
for d in docs:
    graph = _Graph(d.triples)
    embedded, lines = jsonld_pair(to_jsonld(graph.props, d.iri))
    html = renderer.resource_page(d.ctid, graph, main_iri=d.iri, lookup=known.get, jsonld=embedded)
    for part in (html, lines, serialise(d.triples, "text/turtle", d.iri).decode()):
        digest.update(part.encode() + b"\0")
listed = list(known.values())[:50]
counts = {}
for s in known.values():
    counts[s.type] = counts.get(s.type, 0) + 1
digest.update(renderer.index_page(listed, title="All", page=1, pages=2, counts_by_type=counts).encode())
print(json.dumps({"digest": digest.hexdigest(), "pages": len(docs), "compiled": native.status()}))
"""


def render(native_env: str, pythonpath: Path = ROOT, n: int = 150) -> dict:
    env = {**os.environ, "REGISTRY_NATIVE": native_env, "PYTHONPATH": str(pythonpath)}
    done = subprocess.run([sys.executable, "-c", RENDER, str(n)], capture_output=True, text=True, cwd="/",
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_compiled_under_ci():
    """CI runs the tests on the compiled modules: a change that stops them compiling fails here."""
    if os.environ.get("CI") != "true":
        pytest.skip("only under CI=true")
    assert COMPILED, f"make install did not compile {', '.join(native.MODULES)} (see its output)"
    if os.environ.get("REGISTRY_NATIVE") != "0":
        assert native.status() == ALL


@needs_compiled
def test_compiled_and_sources_write_the_same_bytes():
    compiled, sources = render("1"), render("0")
    assert compiled["compiled"] == ALL
    assert sources["compiled"] == NONE
    assert compiled["pages"] == sources["pages"] >= 150
    assert compiled["digest"] == sources["digest"]


@needs_compiled
def test_an_edited_source_is_run_instead_of_its_compiled_module(tmp_path):
    copy = tmp_path / "registry"
    shutil.copytree(ROOT / "registry", copy, ignore=shutil.ignore_patterns("__pycache__", "*.new"))
    for d in ("ontology", "site", "pyproject.toml"):  # read beside the package
        (tmp_path / d).symlink_to(ROOT / d)
    assert render("1", tmp_path, n=20)["compiled"] == ALL
    for rel in ("formats.py", "paths.py"):  # a compiled module's source, a module it is typed against
        original = (copy / rel).read_bytes()
        (copy / rel).write_bytes(original + b"\nEDITED = True\n")
        assert render("1", tmp_path, n=20)["compiled"] == NONE  # the whole group, not just that module
        (copy / rel).write_bytes(original)
        assert render("1", tmp_path, n=20)["compiled"] == ALL
    stamp = copy / native.STAMP.relative_to(native.PACKAGE)
    stamp.unlink()
    assert render("1", tmp_path, n=20)["compiled"] == NONE


def test_the_finder_is_added_only_when_fresh_and_wanted(monkeypatch):
    monkeypatch.setattr(sys, "meta_path", [f for f in sys.meta_path if not isinstance(f, native._Compiled)])
    added = lambda: sum(isinstance(f, native._Compiled) for f in sys.meta_path)  # noqa: E731
    monkeypatch.setattr(native, "fresh", lambda: False)
    monkeypatch.delenv("REGISTRY_NATIVE", raising=False)
    native.use_compiled_if_fresh()
    assert added() == 0
    monkeypatch.setattr(native, "fresh", lambda: True)
    monkeypatch.setenv("REGISTRY_NATIVE", "0")
    native.use_compiled_if_fresh()
    assert added() == 0
    monkeypatch.setenv("REGISTRY_NATIVE", "1")
    native.use_compiled_if_fresh()
    native.use_compiled_if_fresh()
    assert added() == 1
    spec = sys.meta_path[0].find_spec("registry.pages")
    assert spec is not None and spec.origin == str(native.NATIVE_DIR / f"pages{native.SUFFIX}")
    assert sys.meta_path[0].find_spec("registry.sitegen") is None  # not compiled: the usual finders


def test_fresh_needs_every_file_and_the_stamp(tmp_path, monkeypatch):
    monkeypatch.setattr(native, "NATIVE_DIR", tmp_path)
    monkeypatch.setattr(native, "STAMP", tmp_path / "sources.json")
    for p in native.compiled_files():
        p.write_bytes(b"")
    assert not native.fresh()  # no stamp
    native.STAMP.write_text(json.dumps(native._digests()))
    assert native.fresh()
    native.compiled_files()[0].unlink()
    assert not native.fresh()  # one missing
