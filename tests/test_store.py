"""The store: a real `oxigraph serve`, atomic per-resource replacement, supervision."""

from __future__ import annotations

import os
import signal
import threading
import time

import pyoxigraph as ox

from registry.namespaces import graph_iri
from registry.store import LocalStore, RemoteStore

EX = "https://example.org/"


def triples(n: int, tag: str) -> list[ox.Triple]:
    s = ox.NamedNode(EX + "s")
    return [ox.Triple(s, ox.NamedNode(f"{EX}p{i}"), ox.Literal(f"{tag}{i}")) for i in range(n)]


def test_replace_graph_drop(oxigraph):
    store = RemoteStore.for_base(oxigraph.url)
    store.replace({"ce-a": triples(3, "a"), "ce-b": triples(2, "b")})
    assert len(store.graph("ce-a")) == 3 and len(store.graph("ce-b")) == 2
    assert store.graph_names() == [graph_iri("ce-a"), graph_iri("ce-b")]
    store.replace({"ce-a": triples(1, "new")})
    assert [t.object.value for t in store.graph("ce-a")] == ["new0"]
    store.drop(["ce-a"])
    assert store.graph("ce-a") == [] and store.quad_count() == 2


def test_union_default_graph(oxigraph):
    store = RemoteStore.for_base(oxigraph.url)
    store.replace({"ce-a": triples(3, "a"), "ce-b": triples(2, "b")})
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert rows[0]["n"].value == "5"


def test_reader_never_sees_half_a_resource(oxigraph):
    """While a resource is replaced over and over (100 ↔ 300 triples), readers see 100 or 300, never between."""
    store = RemoteStore.for_base(oxigraph.url)
    store.replace({"ce-x": triples(100, "a")})
    stop = threading.Event()
    seen: set[int] = set()

    def reader():
        r = RemoteStore.for_base(oxigraph.url)
        while not stop.is_set():
            rows = r.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri('ce-x')}> {{ ?s ?p ?o }} }}")
            seen.add(int(rows[0]["n"].value))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(40):
            store.replace({"ce-x": triples(300 if i % 2 == 0 else 100, str(i))})
    finally:
        stop.set()
        thread.join()
    assert seen <= {100, 300}, seen
    assert len(seen) == 2


def test_supervisor_restarts_a_dead_server(oxigraph):
    store = RemoteStore.for_base(oxigraph.url)
    store.replace({"ce-a": triples(2, "a")})
    os.kill(oxigraph._proc.pid, signal.SIGKILL)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not (oxigraph.alive() and store.ping()):
        time.sleep(0.2)
    assert store.ping() and oxigraph.restarts == 1
    assert len(store.graph("ce-a")) == 2  # on-disk data survived


def test_local_store_same_directory(tmp_path):
    store = LocalStore(tmp_path / "ox")
    store.replace({"ce-a": triples(4, "a")})
    store.close()
    again = LocalStore(tmp_path / "ox")
    assert len(again.graph("ce-a")) == 4
    rows = again.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert rows[0]["n"].value == "4"
    again.close()


def test_pipeline_commits_in_order_and_reports_store_failure(registry):
    """Batches commit in the background, in order; a store failure marks that batch's outcomes."""
    import json

    from registry.demo import generate
    from registry.ingest.parse import parse

    docs = [d for raw in generate(30, seed=11) for d in parse(json.dumps(raw).encode())]
    with registry.loader.pipeline() as pipe:
        first = pipe.publish(docs[:10])
        second = pipe.publish(docs[10:20])
        again = pipe.publish(docs[:5])  # the same CTIDs as a batch still committing: waits, then unchanged
    assert [o.status for o in first + second] == ["created"] * 20
    assert [o.status for o in again] == ["unchanged"] * 5
    assert registry.journal.entry_count() == 20 and len(registry.store.graph_names()) == 20

    registry.store.update_url = registry.store.update_url + "-nowhere"  # the store now refuses writes
    with registry.loader.pipeline() as pipe:
        failed = pipe.publish(docs[20:])
    assert {o.status for o in failed} == {"error"} and registry.journal.entry_count() == 20
