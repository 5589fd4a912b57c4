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

# Renders the pages (with their schema.org descriptions), JSON-LD and Turtle of generated resources of
# every kind, linked to one another, and prints one digest of it all and which modules ran compiled.
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
print(json.dumps({"digest": digest.hexdigest(), "pages": len(docs), "compiled": native.status()}))
"""


def render(env: dict[str, str], pythonpath: Path = ROOT, n: int = 150) -> dict:
    done = subprocess.run([sys.executable, "-c", RENDER, str(n)], capture_output=True, text=True, cwd="/",
                          env={**os.environ, **env, "PYTHONPATH": str(pythonpath)}, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_compiled_under_ci():
    """CI runs the tests on the compiled modules: a change that stops them compiling fails here."""
    if os.environ.get("CI") != "true":
        pytest.skip("only under CI=true")
    assert COMPILED, "make install did not compile registry/pages.py, schemaorg.py, formats.py (see its output)"
    assert native.status() == {name: True for name in native.MODULES}


@needs_compiled
def test_compiled_and_sources_write_the_same_bytes():
    compiled = render({"REGISTRY_NATIVE": "1"})
    sources = render({"REGISTRY_NATIVE": "0"})
    assert compiled["compiled"] == {name: True for name in native.MODULES}
    assert sources["compiled"] == {name: False for name in native.MODULES}
    assert compiled["pages"] == sources["pages"] >= 150
    assert compiled["digest"] == sources["digest"]


@needs_compiled
def test_an_edited_source_is_run_instead_of_its_compiled_module(tmp_path):
    copy = tmp_path / "registry"
    shutil.copytree(ROOT / "registry", copy, ignore=shutil.ignore_patterns("__pycache__"))
    for d in ("ontology", "site"):  # read beside the package
        (tmp_path / d).symlink_to(ROOT / d)
    assert render({}, tmp_path, n=20)["compiled"] == {name: True for name in native.MODULES}
    with open(copy / "formats.py", "a") as fh:
        fh.write("\nEDITED = True\n")
    after = render({}, tmp_path, n=20)
    assert after["compiled"] == {name: False for name in native.MODULES}  # the whole group, not just formats
    (copy / "_native.json").unlink()
    (copy / "formats.py").write_bytes((ROOT / "registry" / "formats.py").read_bytes())
    assert render({}, tmp_path, n=20)["compiled"] == {name: False for name in native.MODULES}  # no stamp: sources


def test_without_compiled_modules_nothing_changes_the_import(monkeypatch):
    monkeypatch.setattr(native, "compiled_files", lambda: [])
    before = list(sys.meta_path)
    native.use_sources_unless_fresh()
    assert sys.meta_path == before
    assert native.fresh() is False
