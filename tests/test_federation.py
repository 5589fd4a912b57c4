"""Federation through SERVICE: two registries on 127.0.0.1, and the registry as a SERVICE target."""

from __future__ import annotations

from contextlib import ExitStack, contextmanager

import httpx
import pytest

from registry.config import Config
from registry.core import Registry
from registry.ingest.parse import parse
from registry.oxigraph_server import OxigraphServer
from registry.store import RemoteStore

from .conftest import body, credential, new_ctid, organization, serve

CETERMS = "https://purl.org/ctdl/terms/"


@contextmanager
def registry_instance(path, docs, **settings):
    from registry.app import create_app

    cfg = Config.load(path, **settings)
    path.mkdir(parents=True)
    with OxigraphServer(cfg.oxigraph_dir, timeout_s=cfg.query_timeout) as server:
        registry = Registry(cfg, RemoteStore.for_base(server.url))
        parsed = [d for doc in docs for d in parse(body(doc))]
        assert all(o.accepted for o in registry.loader.publish(parsed))
        with serve(create_app(registry)) as (host, port):
            yield f"http://{host}:{port}", registry
        registry.close()


@pytest.fixture
def two_registries(tmp_path):
    """B holds organizations; A holds credentials owned by them, and may federate with B."""
    orgs = [organization(new_ctid(), name) for name in ("Harbor State University", "Cedar Valley College")]
    creds = [credential(org_ctid=org["ceterms:ctid"]) for org in orgs for _ in range(2)]
    with ExitStack() as stack:
        b_url, _ = stack.enter_context(registry_instance(tmp_path / "b", orgs))
        # A may query B (a loopback address: allowed explicitly).
        a_url, _ = stack.enter_context(registry_instance(
            tmp_path / "a", creds, federate=[b_url + "/sparql"], federate_private=True))
        yield a_url, b_url, orgs, creds


def select(url: str, query: str) -> httpx.Response:
    return httpx.post(url + "/sparql", data={"query": query}, timeout=30,
                      headers={"Accept": "application/sparql-results+json"})


def test_join_own_credentials_with_remote_organizations(two_registries):
    a_url, b_url, orgs, creds = two_registries
    q = f"""PREFIX ceterms: <{CETERMS}>
    SELECT ?credential ?orgName WHERE {{
      ?credential ceterms:ownedBy ?org .
      SERVICE <{b_url}/sparql> {{ ?org ceterms:name ?orgName }}
    }}"""
    r = select(a_url, q)
    assert r.status_code == 200, r.text
    pairs = {(b["credential"]["value"].rsplit("/", 1)[1], b["orgName"]["value"]) for b in r.json()["results"]["bindings"]}
    names = {org["@id"]: org["ceterms:name"]["en-US"] for org in orgs}
    expected = {(c["@graph"][0]["ceterms:ctid"], names[c["@graph"][0]["ceterms:ownedBy"][0]]) for c in creds}
    assert pairs == expected and len(pairs) == 4


def test_service_not_on_the_allow_list_is_refused_before_leaving(two_registries):
    a_url, b_url, *_ = two_registries
    for target in ("http://169.254.169.254/latest/meta-data", b_url + "/other", "http://example.org/sparql"):
        r = select(a_url, f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}")
        assert r.status_code == 400 and "SERVICE" in r.text, (target, r.text)
    r = select(a_url, "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }")
    assert r.status_code == 400 and "variable" in r.text
    # B allows nobody.
    r = select(b_url, f"SELECT * WHERE {{ SERVICE <{a_url}/sparql> {{ ?s ?p ?o }} }}")
    assert r.status_code == 400 and "not enabled" in r.text


def test_registry_is_a_service_target_for_plain_oxigraph(two_registries, tmp_path):
    a_url, b_url, orgs, _ = two_registries
    with OxigraphServer(None, timeout_s=30) as client:
        q = f"SELECT ?name WHERE {{ SERVICE <{b_url}/sparql> {{ ?o <{CETERMS}name> ?name }} }}"
        r = httpx.post(client.url + "/query", content=q.encode(), timeout=30,
                       headers={"Content-Type": "application/sparql-query",
                                "Accept": "application/sparql-results+json"})
        assert r.status_code == 200, r.text
        assert {b["name"]["value"] for b in r.json()["results"]["bindings"]} == \
            {org["ceterms:name"]["en-US"] for org in orgs}
