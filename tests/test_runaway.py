"""One query cannot take the registry down: timeouts that really stop work, a concurrency cap, a result limit."""

from __future__ import annotations

import concurrent.futures
import time

import httpx
import pytest

from registry.config import Config
from registry.core import Registry
from registry.oxigraph_server import OxigraphServer
from registry.store import RemoteStore

from .conftest import body, credential, serve

TIMEOUT = 2.0
RUNAWAY = ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o } ORDER BY ?o ?c ?f")


@pytest.fixture
def guarded(tmp_path):
    """The real app, a 2 s query limit, and a supervised store the app may stop (as `registry serve` runs it)."""
    from registry.app import create_app
    from registry.ingest.parse import parse

    cfg = Config.load(tmp_path / "data", query_timeout=TIMEOUT, max_concurrent_queries=3, max_result_bytes=200_000)
    cfg.data_dir.mkdir(parents=True)
    # As `registry serve` starts it: no --timeout-s in the store, the registry's deadline alone stops the query.
    server = OxigraphServer(cfg.oxigraph_dir, state_file=cfg.server_state).start()
    registry = Registry(cfg, RemoteStore.for_base(server.url))
    docs = [d for _ in range(8) for d in parse(body(credential()))]
    assert all(o.accepted for o in registry.loader.publish(docs))
    with serve(create_app(registry)) as (host, port):
        yield f"http://{host}:{port}", registry, server, docs
    registry.close()
    server.stop()


def sparql(base: str, query: str, timeout: float = 60) -> httpx.Response:
    return httpx.post(base + "/sparql", data={"query": query}, timeout=timeout,
                      headers={"Accept": "application/sparql-results+json"})


def lookup(base: str, ctid: str) -> httpx.Response:
    return sparql(base, f'SELECT ?name WHERE {{ ?r <https://purl.org/ctdl/terms/ctid> "{ctid}" ; '
                        f'<https://purl.org/ctdl/terms/name> ?name }}', timeout=10)


def test_runaway_query_is_stopped_and_lookups_still_answer(guarded):
    base, registry, server, docs = guarded
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        runaway = pool.submit(sparql, base, RUNAWAY)
        time.sleep(0.5)
        t0 = time.monotonic()
        r = lookup(base, docs[3].ctid)  # issued while the runaway query is running
        lookup_s = time.monotonic() - t0
        assert r.status_code == 200 and r.json()["results"]["bindings"], r.text
        assert lookup_s < 1.0, lookup_s
        result = runaway.result()
        elapsed = time.monotonic() - started
    assert result.status_code == 504 and "stopped" in result.text
    assert elapsed < TIMEOUT + 4, elapsed  # the limit plus a small margin
    # The work really stopped: the store was restarted, and it answers again with the data intact.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not (server.alive() and server.restarts >= 1):
        time.sleep(0.1)
    assert server.restarts >= 1
    r = lookup(base, docs[5].ctid)
    assert r.status_code == 200 and r.json()["results"]["bindings"], r.text


def test_concurrency_cap_answers_503_with_retry_after(guarded):
    base, *_ = guarded
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: sparql(base, RUNAWAY), range(6)))
    refused = [a for a in answers if a.status_code == 503]
    assert refused and all(a.headers.get("retry-after") for a in refused)
    assert "maximum of 3 queries" in refused[0].text


def test_result_size_limit_is_reported(guarded):
    base, *_ = guarded
    r = sparql(base, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 100000")
    assert r.status_code == 422 and "limit of 195 kB" in r.text
