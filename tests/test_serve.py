"""`registry serve --demo` exactly as the README starts it: a real process on a real port."""

from __future__ import annotations

import re

import httpx

from .conftest import body, credential


def test_demo_is_browsable_and_queryable(demo_server):
    base, data, output = demo_server
    m = re.search(r"Demo data: (\d+) of (\d+) documents published", output)
    assert m and m.group(1) == m.group(2) and int(m.group(1)) >= 150, output
    home = httpx.get(base + "/")
    assert "Bachelor" in home.text or "Degree" in home.text
    index = httpx.get(base + "/resources")
    ctids = re.findall(r'href="/resources/(ce-[0-9a-f-]{36})"', index.text)
    assert len(ctids) >= 20
    page = httpx.get(f"{base}/resources/{ctids[0]}")
    assert page.status_code == 200 and "application/ld+json" in page.text
    r = httpx.get(base + "/sparql", params={"query": "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r "
                                                     "<https://purl.org/ctdl/terms/ctid> ?c }"},
                  headers={"Accept": "application/sparql-results+json"})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) >= 150
    assert httpx.get(base + "/sparql", headers={"Accept": "text/html"}).text.count("<textarea") == 1
    assert httpx.get(base + "/docs").status_code == 200


def test_demo_key_publishes(demo_server):
    base, data, output = demo_server
    m = re.search(r"Demo provider 'demo' may publish for .* \((ce-[0-9a-f-]{36})\); its key: (\S+)", output)
    assert m, output
    org, key = m.groups()
    doc = credential(org_ctid=org)
    ctid = doc["@graph"][0]["ceterms:ctid"]
    r = httpx.post(base + "/api/publish", content=body(doc),
                   headers={"Authorization": f"Bearer {key}", "Content-Type": "application/ld+json"})
    assert r.status_code == 201, r.text
    assert "Certificate in Medical Coding" in httpx.get(f"{base}/resources/{ctid}").text
