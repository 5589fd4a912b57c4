"""The publishing API on the real app and a real `oxigraph serve`: every numbered path and bad input."""

from __future__ import annotations

import json

import pytest

from registry.namespaces import graph_iri

from .conftest import body, credential, new_ctid, organization

LD = {"Content-Type": "application/ld+json"}


@pytest.fixture
def org_ctid():
    return new_ctid()


@pytest.fixture
def key(registry, org_ctid):
    return registry.journal.add_provider("lakeshore", [org_ctid])


def auth(key: str) -> dict:
    return {"Authorization": f"Bearer {key}", **LD}


def sparql_count(client, ctid: str) -> int:
    q = f'SELECT (COUNT(*) AS ?n) WHERE {{ ?s <https://purl.org/ctdl/terms/ctid> "{ctid}" }}'
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_publish_page_and_sparql(client, key, org_ctid, registry):
    org = organization(org_ctid)
    r = client.post("/api/publish", content=body(org), headers=auth(key))
    assert r.status_code == 201, r.text
    doc = credential(org_ctid=org_ctid)
    ctid = doc["@graph"][0]["ceterms:ctid"]
    r = client.post("/api/publish", content=body(doc), headers=auth(key))
    assert r.status_code == 201, r.text
    result = r.json()["results"][0]
    assert result["status"] == "created" and result["ctid"] == ctid and result["url"] == f"/resources/{ctid}"
    assert "validation" in result and result["validation"]["conforms"] is True

    page = client.get(f"/resources/{ctid}")
    assert page.status_code == 200 and "Certificate in Medical Coding" in page.text
    assert 'type="application/ld+json"' in page.text
    assert "Lakeshore Community College" in page.text  # owner resolved to its name
    assert sparql_count(client, ctid) == 1

    # Same content again: a no-op. Changed content: a replacement.
    again = client.post("/api/publish", content=body(doc), headers=auth(key))
    assert again.status_code == 200 and again.json()["results"][0]["status"] == "unchanged"
    doc["@graph"][0]["ceterms:name"] = {"en-US": "Certificate in Medical Billing and Coding"}
    changed = client.post("/api/publish", content=body(doc), headers=auth(key))
    assert changed.status_code == 200 and changed.json()["results"][0]["status"] == "replaced"
    assert "Medical Billing" in client.get(f"/resources/{ctid}").text
    assert registry.journal.entry_count() == 3


def test_alternates_and_negotiation(client, key, org_ctid):
    doc = credential(org_ctid=org_ctid)
    ctid = doc["@graph"][0]["ceterms:ctid"]
    assert client.post("/api/publish", content=body(doc), headers=auth(key)).status_code == 201
    import pyoxigraph as ox

    ttl = client.get(f"/resources/{ctid}.ttl")
    nt = client.get(f"/resources/{ctid}.nt")
    jl = client.get(f"/resources/{ctid}.jsonld")
    assert ttl.headers["content-type"].startswith("text/turtle")
    assert nt.headers["content-type"].startswith("application/n-triples")
    assert jl.headers["content-type"].startswith("application/ld+json")
    a = list(ox.parse(ttl.content, format=ox.RdfFormat.TURTLE))
    b = list(ox.parse(nt.content, format=ox.RdfFormat.N_TRIPLES))
    c = list(ox.parse(jl.content, format=ox.RdfFormat.JSON_LD))
    assert len(a) == len(b) == len(c) > 10
    neg = client.get(f"/resources/{ctid}", headers={"Accept": "text/turtle"})
    assert neg.headers["content-type"].startswith("text/turtle") and "Accept" in neg.headers["vary"]
    assert f"/resources/{ctid}.jsonld" in neg.headers["link"]
    page = client.get(f"/resources/{ctid}").text
    for ext in ("ttl", "jsonld", "nt"):
        assert f'/resources/{ctid}.{ext}"' in page
    index = client.get("/resources")
    assert index.status_code == 200 and ctid in index.text


def test_rejected_document_changes_nothing(client, key, org_ctid, registry):
    good = credential(org_ctid=org_ctid)
    assert client.post("/api/publish", content=body(good), headers=auth(key)).status_code == 201
    before = registry.store.quad_count(), registry.journal.entry_count()
    bad = credential(ctid=good["@graph"][0]["ceterms:ctid"], org_ctid=org_ctid)
    del bad["@graph"][0]["ceterms:subjectWebpage"]
    r = client.post("/api/publish", content=body(bad), headers=auth(key))
    assert r.status_code == 422
    report = r.json()["results"][0]["validation"]
    assert report["conforms"] is False
    hit = [x for x in report["results"] if x["severity"] == "Violation"]
    assert any("subjectWebpage" in x["path"] for x in hit)
    assert all(x["focus_node"] and x["message"] for x in hit)
    assert (registry.store.quad_count(), registry.journal.entry_count()) == before


@pytest.mark.parametrize("payload, headers, status, words", [
    (b"{broken", LD, 422, "Malformed JSON"),
    (b'{"@context": "https://evil.example/context.jsonld", "@id": "https://x.org/a"}', LD, 422, "never fetched"),
    (b"[" * 500 + b"]" * 500, LD, 422, "nested more than"),
    (b"<html/>", {"Content-Type": "text/html"}, 415, "not accepted"),
])
def test_bad_documents(client, key, registry, payload, headers, status, words):
    before = registry.store.quad_count(), registry.journal.entry_count()
    r = client.post("/api/publish", content=payload, headers={**auth(key), **headers})
    assert r.status_code == status, r.text
    assert words in r.json()["message"]
    assert (registry.store.quad_count(), registry.journal.entry_count()) == before


def test_oversized(client, key, registry):
    limit = registry.config.max_document_bytes
    r = client.post("/api/publish", content=b" " * (limit + 1), headers=auth(key))
    assert r.status_code == 413 and "limit" in r.json()["message"]


def test_authentication(client, key, org_ctid):
    doc = body(credential(org_ctid=org_ctid))
    assert client.post("/api/publish", content=doc, headers=LD).status_code == 401
    r = client.post("/api/publish", content=doc, headers=auth("reg_wrong"))
    assert r.status_code == 401 and "Unknown provider key" in r.json()["message"]


def test_another_providers_resource(client, registry, key, org_ctid):
    other_org = new_ctid()
    other_key = registry.journal.add_provider("other", [other_org])
    # A document owned by someone else's organization.
    r = client.post("/api/publish", content=body(credential(org_ctid=other_org)), headers=auth(key))
    assert r.status_code == 403 and "may publish only" in r.json()["results"][0]["message"]
    # Hijacking: take another provider's CTID and claim it for your organization.
    theirs = credential(org_ctid=other_org)
    assert client.post("/api/publish", content=body(theirs), headers=auth(other_key)).status_code == 201
    hijack = credential(ctid=theirs["@graph"][0]["ceterms:ctid"], org_ctid=org_ctid)
    r = client.post("/api/publish", content=body(hijack), headers=auth(key))
    assert r.status_code == 403 and "another organization" in r.json()["results"][0]["message"]
    # ...and deleting it.
    r = client.delete(f"/api/resources/{theirs['@graph'][0]['ceterms:ctid']}", headers=auth(key))
    assert r.status_code == 403


def test_batch_is_all_or_nothing(client, key, org_ctid, registry):
    good = credential(org_ctid=org_ctid)
    bad = credential(org_ctid=org_ctid)
    del bad["@graph"][0]["ceterms:name"]
    r = client.post("/api/publish", content=json.dumps([good, bad]).encode(), headers=auth(key))
    assert r.status_code == 422
    statuses = [x["status"] for x in r.json()["results"]]
    assert statuses == ["rejected", "rejected"]
    assert registry.journal.entry_count() == 0 and registry.store.quad_count() == 0


def test_delete(client, key, org_ctid, registry):
    doc = credential(org_ctid=org_ctid)
    ctid = doc["@graph"][0]["ceterms:ctid"]
    client.post("/api/publish", content=body(doc), headers=auth(key))
    r = client.delete(f"/api/resources/{ctid}", headers=auth(key))
    assert r.status_code == 200 and r.json()["status"] == "deleted"
    assert client.get(f"/resources/{ctid}").status_code == 410
    assert sparql_count(client, ctid) == 0
    assert registry.store.graph(ctid) == []
    entries = list(registry.journal.entries())
    assert [e.action for e in entries] == ["publish", "delete"] and entries[1].document is None
    assert client.delete(f"/api/resources/{ctid}", headers=auth(key)).status_code == 404


def test_unknown_resource_page(client):
    assert client.get(f"/resources/{new_ctid()}").status_code == 404
    assert client.get("/resources/not-a-ctid").status_code == 404


def test_turtle_publish(client, key, org_ctid):
    ctid = new_ctid()
    ttl = f"""@prefix ceterms: <https://purl.org/ctdl/terms/> .
<https://credentialengineregistry.org/resources/{ctid}> a ceterms:Badge ;
  ceterms:ctid "{ctid}" ;
  ceterms:name "Forklift Safety Badge"@en-US ;
  ceterms:description "Awarded for completing forklift operator safety training."@en-US ;
  ceterms:inLanguage "en-US" ;
  ceterms:subjectWebpage <https://example.org/forklift> ;
  ceterms:ownedBy <https://credentialengineregistry.org/resources/{org_ctid}> ;
  ceterms:credentialStatusType [ a ceterms:CredentialAlignmentObject ;
      ceterms:framework <https://credreg.net/ctdl/terms/CredentialStatus> ;
      ceterms:targetNode <https://purl.org/ctdl/vocabs/credentialStat/Active> ;
      ceterms:targetNodeName "Active"@en-US ] .
"""
    r = client.post("/api/publish", content=ttl.encode(), headers={**auth(key), "Content-Type": "text/turtle"})
    assert r.status_code == 201, r.text
    assert "Forklift Safety Badge" in client.get(f"/resources/{ctid}").text


def test_validate_page(client, org_ctid):
    form = client.get("/validate")
    assert form.status_code == 200 and "<textarea" in form.text
    bad = credential(org_ctid=org_ctid)
    del bad["@graph"][0]["ceterms:subjectWebpage"]
    bad["@graph"][0]["ceterms:name"] = {"en-US": "<script>alert(1)</script>"}
    r = client.post("/validate", data={"document": json.dumps(bad)})
    assert r.status_code == 200 and "Not valid" in r.text and "ceterms:subjectWebpage" in r.text
    assert "<script>alert(1)</script>" not in r.text  # the pasted document is escaped
    ok = client.post("/validate", files={"file": ("c.json", body(credential(org_ctid=org_ctid)), "application/json")})
    assert "Valid: this document can be published" in ok.text
    broken = client.post("/validate", data={"document": "{nope"})
    assert broken.status_code == 422 and "Malformed JSON" in broken.text


def test_links_index(client, key, org_ctid, registry):
    org = organization(org_ctid)
    client.post("/api/publish", content=body(org), headers=auth(key))
    doc = credential(org_ctid=org_ctid)
    ctid = doc["@graph"][0]["ceterms:ctid"]
    client.post("/api/publish", content=body(doc), headers=auth(key))
    own = "https://purl.org/ctdl/terms/ownedBy"
    assert registry.journal.links_to(org_ctid) == [(ctid, own)]
    assert registry.journal.links_from(ctid) == [(own, org_ctid)]
    client.delete(f"/api/resources/{ctid}", headers=auth(key))
    assert registry.journal.links_to(org_ctid) == []


def test_regions_and_owner_facets(client, key, org_ctid, registry):
    doc = credential(org_ctid=org_ctid)
    doc["@graph"][0]["ceterms:availableAt"] = [{"@type": "ceterms:Place", "ceterms:addressRegion": "Ohio",
                                                "ceterms:addressLocality": "Toledo"}]
    ctid = doc["@graph"][0]["ceterms:ctid"]
    assert client.post("/api/publish", content=body(doc), headers=auth(key)).status_code == 201
    assert registry.journal.resource(ctid).regions == ["Ohio"]
    assert registry.journal.counts_by_region() == {"Ohio": 1}
    assert [r.ctid for r in registry.journal.resources(region="Ohio")] == [ctid]
    assert registry.journal.resources(region="Oh") == []
    assert [r.ctid for r in registry.journal.resources(owner=org_ctid)] == [ctid]
    assert registry.journal.count_resources(owner=org_ctid) == 1


def test_same_content_in_other_bytes_is_unchanged(client, key, org_ctid, registry):
    doc = credential(org_ctid=org_ctid)
    assert client.post("/api/publish", content=body(doc), headers=auth(key)).status_code == 201
    # The same statements, written differently: indented, keys in another order.
    node = doc["@graph"][0]
    reordered = {"@context": doc["@context"], "@graph": [dict(reversed(list(node.items())))], "@id": doc["@id"]}
    r = client.post("/api/publish", content=json.dumps(reordered, indent=4).encode(), headers=auth(key))
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "unchanged"
    assert registry.journal.entry_count() == 1
