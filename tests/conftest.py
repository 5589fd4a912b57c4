"""Shared fixtures: real `oxigraph serve` processes and the real FastAPI app."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from registry.config import Config
from registry.core import Registry
from registry.oxigraph_server import OxigraphServer, free_port
from registry.store import RemoteStore

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "ctdl" / "samples"
DATA = Path(__file__).resolve().parent / "data"

needs_shared = pytest.mark.skipif(not SAMPLES.exists(), reason="../shared is not beside the checkout")


def new_ctid() -> str:
    return "ce-" + str(uuid.uuid4())


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "registry-data"


@pytest.fixture
def oxigraph(data_dir):
    """A real `oxigraph serve` on the test's own data directory, started as `registry serve` starts it:
    without --timeout-s (the registry bounds every query itself: docs/sparql.md, "Time limits")."""
    cfg = Config.load(data_dir)
    server = OxigraphServer(cfg.oxigraph_dir, state_file=None)
    data_dir.mkdir(parents=True, exist_ok=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def registry(data_dir, oxigraph):
    reg = Registry(Config.load(data_dir), RemoteStore.for_base(oxigraph.url))
    yield reg
    reg.close()


@pytest.fixture
def client(registry):
    from registry.app import create_app

    with TestClient(create_app(registry)) as c:
        yield c


@pytest.fixture
def no_validation(registry):
    """``registry`` taking every document as valid, for tests about what is built from published data (pages,
    feeds, the static site); validation has its own tests. Use it with
    ``pytestmark = pytest.mark.usefixtures("no_validation")`` and publish with :func:`publish_doc`."""
    from registry.ingest.load import accept_all

    registry.loader.validator = accept_all
    return registry


def publish_doc(registry, doc: dict) -> str:
    """Publish one JSON-LD document; it must be accepted. Its CTID."""
    from registry.ingest.parse import parse

    outcome = registry.loader.publish(parse(body(doc)))
    assert outcome[0].accepted, outcome[0].message
    return outcome[0].ctid


@contextmanager
def serve(app) -> Iterator[tuple[str, int]]:
    """Run the ASGI app under a real uvicorn on 127.0.0.1 (a free port) in a thread."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield sock.getsockname()
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


REGISTRY = str(Path(sys.executable).parent / "registry")


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """`registry serve --demo` exactly as the README starts it: (base URL, data dir, its output so far).

    One real process on a free port, shared by every test that needs a running demo.
    """
    data = tmp_path_factory.mktemp("demo") / "registry-data"
    port = free_port()
    log = open(data.parent / "serve.log", "w+")
    proc = subprocess.Popen([REGISTRY, "serve", "--demo", "--data", str(data), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            log.seek(0)
            pytest.fail("registry serve exited:\n" + log.read())
        time.sleep(0.3)
    else:
        pytest.fail("registry serve did not answer")
    log.seek(0)
    yield base, data, log.read()
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


def credential(ctid: str | None = None, org_ctid: str | None = None, **overrides) -> dict:
    """A valid CTDL credential in Credential Engine's @graph form."""
    ctid = ctid or new_ctid()
    org_ctid = org_ctid or new_ctid()
    node = {
        "@id": f"https://credentialengineregistry.org/resources/{ctid}",
        "@type": "ceterms:Certificate",
        "ceterms:ctid": ctid,
        "ceterms:name": {"en-US": "Certificate in Medical Coding"},
        "ceterms:description": {"en-US": "Prepares students to assign diagnosis and procedure codes."},
        "ceterms:inLanguage": ["en-US"],
        "ceterms:subjectWebpage": "https://example.edu/medical-coding",
        "ceterms:ownedBy": [f"https://credentialengineregistry.org/resources/{org_ctid}"],
        "ceterms:credentialStatusType": {
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:framework": "https://credreg.net/ctdl/terms/CredentialStatus",
            "ceterms:targetNode": "credentialStat:Active",
            "ceterms:frameworkName": {"en-US": "Credential Status"},
            "ceterms:targetNodeName": {"en-US": "Active"},
        },
    }
    node.update(overrides)
    return {
        "@context": "https://credreg.net/ctdl/schema/context/json",
        "@id": f"https://credentialengineregistry.org/graph/{ctid}",
        "@graph": [node],
    }


def organization(ctid: str | None = None, name: str = "Lakeshore Community College") -> dict:
    ctid = ctid or new_ctid()
    return {
        "@context": "https://credreg.net/ctdl/schema/context/json",
        "@id": f"https://credentialengineregistry.org/resources/{ctid}",
        "@type": "ceterms:CredentialOrganization",
        "ceterms:ctid": ctid,
        "ceterms:name": {"en-US": name},
        "ceterms:description": {"en-US": "A public two-year college serving the lakeshore region."},
        "ceterms:subjectWebpage": "https://lakeshore.example.edu/",
        "ceterms:email": ["info@lakeshore.example.edu"],
        "ceterms:agentType": [{"@type": "ceterms:CredentialAlignmentObject",
                               "ceterms:targetNode": "orgType:Postsecondary",
                               "ceterms:targetNodeName": {"en-US": "Postsecondary Educational Institution"}}],
        "ceterms:agentSectorType": [{"@type": "ceterms:CredentialAlignmentObject",
                                     "ceterms:targetNode": "agentSector:Public",
                                     "ceterms:targetNodeName": {"en-US": "Public"}}],
    }


def body(doc: dict) -> bytes:
    return json.dumps(doc).encode("utf-8")
