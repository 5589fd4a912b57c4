"""The `registry` command as an operator runs it (real subprocesses, real store)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from registry.oxigraph_server import free_port

from .conftest import SAMPLES, body, credential, needs_shared, new_ctid, organization

REGISTRY = str(Path(sys.executable).parent / "registry")


def run(*args, data: Path, check: bool = True, input: str | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run([REGISTRY, *args, "--data", str(data)], capture_output=True, text=True, input=input,
                          timeout=300, env={**os.environ, "NO_COLOR": "1"})
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def docs_dir(tmp_path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    org = new_ctid()
    (folder / "org.json").write_bytes(body(organization(org)))
    for i in range(3):
        (folder / f"cred{i}.json").write_bytes(body(credential(org_ctid=org)))
    bad = credential(org_ctid=org)
    del bad["@graph"][0]["ceterms:description"]
    (folder / "bad.json").write_bytes(body(bad))
    (folder / "broken.json").write_text("{ not json")
    return folder


def test_validate_exit_codes_and_json(docs_dir, data_dir):
    assert run("validate", str(docs_dir / "cred0.json"), data=data_dir).returncode == 0
    bad = run("validate", str(docs_dir / "bad.json"), data=data_dir, check=False)
    assert bad.returncode == 1 and "INVALID" in bad.stdout and "description" in bad.stdout
    broken = run("validate", str(docs_dir / "broken.json"), data=data_dir, check=False)
    assert broken.returncode == 2 and "Malformed JSON" in broken.stdout
    out = run("validate", "--json", str(docs_dir / "bad.json"), data=data_dir, check=False)
    report = json.loads(out.stdout)
    assert report["conforms"] is False
    assert any(r["severity"] == "Violation" and "description" in r["path"] for r in report["results"])
    folder = run("validate", str(docs_dir), data=data_dir, check=False)
    assert folder.returncode == 2  # the worst outcome wins


def test_load_query_rebuild_site(docs_dir, data_dir, tmp_path):
    out = run("load", str(docs_dir), data=data_dir, check=False)
    assert out.returncode == 1  # some were rejected
    assert "Accepted 4 (4 created, 0 replaced, 0 unchanged); rejected 2." in out.stdout
    assert "bad.json" in out.stdout and "broken.json" in out.stdout and "Malformed JSON" in out.stdout

    q = run("query", "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c <https://purl.org/ctdl/terms/ctid> ?id }",
            data=data_dir)
    assert q.stdout.splitlines()[2].strip() == "4"
    refused = run("query", "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", data=data_dir,
                  check=False)
    assert refused.returncode != 0 and "SERVICE" in refused.stderr

    before = run("query", "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "ntriples",
                 data=data_dir).stdout
    shutil.rmtree(data_dir / "oxigraph")
    rebuilt = run("rebuild", data=data_dir)
    assert "4 resources" in rebuilt.stdout
    after = run("query", "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "ntriples",
                data=data_dir).stdout
    assert _canonical(before) == _canonical(after) and len(before.splitlines()) > 40

    site = tmp_path / "site"
    run("site", "--out", str(site), data=data_dir)
    pages = list((site / "resources").glob("ce-*/index.html"))
    assert len(pages) == 4 and (site / "index.html").exists() and (site / "static" / "style.css").exists()
    assert len(list((site / "resources").glob("ce-*.ttl"))) == 4


def _canonical(nt: str) -> set[str]:
    ds = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in ds}


def test_providers(data_dir):
    org = new_ctid()
    out = run("providers", "add", "lakeshore", "--org", org, data=data_dir)
    assert "Key (shown once" in out.stdout and "reg_" in out.stdout
    assert org in run("providers", "list", data=data_dir).stdout
    dup = run("providers", "add", "lakeshore", "--org", org, data=data_dir, check=False)
    assert dup.returncode != 0 and "exists already" in dup.stderr
    bad = run("providers", "add", "x", "--org", "ce-NOPE", data=data_dir, check=False)
    assert bad.returncode != 0


@needs_shared
def test_shared_samples_load_or_are_refused_for_a_true_reason(data_dir):
    out = run("load", str(SAMPLES), data=data_dir, check=False)
    assert "Accepted" in out.stdout
    # Each refusal names its file and a reason.
    for line in out.stdout.splitlines()[1:]:
        if line.startswith("  ") and not line.startswith("      "):
            assert ": " in line


def _running(pid: int, data: Path) -> bool:
    """Whether ``pid`` is still the store of ``data`` (not a zombie, not a reused pid)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, IndexError):
        return False
    return state != "Z" and str(data).encode() in cmdline


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_serve_never_leaves_its_store_running(tmp_path, sig):
    """`registry serve --demo` stopped by SIGTERM, or killed outright, takes its `oxigraph serve` with it."""
    data, port = tmp_path / "registry-data", free_port()
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen([REGISTRY, "serve", "--demo", "--data", str(data), "--port", str(port),
                             "--workers", "1"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while not _answers(f"http://127.0.0.1:{port}/"):
            assert proc.poll() is None and time.monotonic() < deadline, log.seek(0) or log.read()
            time.sleep(0.2)
        store = int(json.loads((data / "server.json").read_text())["oxigraph_pid"])
        assert _running(store, data)
        proc.send_signal(sig)  # to `registry serve` alone, as a service manager or the OOM killer would
        proc.wait(timeout=30)
        deadline = time.monotonic() + 5
        while _running(store, data) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _running(store, data), f"oxigraph serve ({store}) outlived registry serve ({sig.name})"
        if sig == signal.SIGTERM:
            assert proc.returncode in (0, 128 + signal.SIGTERM), proc.returncode
            assert not (data / "server.json").exists()  # a clean stop
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the uvicorn worker a SIGKILL leaves behind
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)
        log.close()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_validate_only_shapes_reads_relative_iris(tmp_path, data_dir):
    """A plain Turtle file with relative IRIs (as in the W3C SHACL tests) validates against the file's own IRI."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
<#NameShape> a sh:NodeShape ; sh:targetClass ex:Thing ;
  sh:property [ sh:path ex:name ; sh:minCount 1 ] .
""")
    data = tmp_path / "data.ttl"
    data.write_text("@prefix ex: <http://example.org/> .\n<good> a ex:Thing ; ex:name \"x\" .\n<bad> a ex:Thing .\n")
    out = run("validate", "--json", "--only-shapes", "--shapes", str(shapes), str(data), data=data_dir, check=False)
    assert out.returncode == 1, out.stdout + out.stderr
    report = json.loads(out.stdout)
    focus = {r["focus_node"] for r in report["results"]}
    assert focus == {(tmp_path / "bad").resolve().as_uri()}, report


def test_validate_reports_ill_formed_literals_without_tracebacks(tmp_path, data_dir):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<#DateShape> a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:d ; sh:datatype xsd:date ] .
""")
    data = tmp_path / "data.ttl"
    data.write_text('@prefix ex: <http://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                    '<bad> a ex:Thing ; ex:d "2020-13-45"^^xsd:date .\n')
    out = run("validate", "--only-shapes", "--shapes", str(shapes), str(data), data=data_dir, check=False)
    assert out.returncode == 1 and "INVALID" in out.stdout, out.stdout + out.stderr
    assert "Traceback" not in out.stderr + out.stdout
