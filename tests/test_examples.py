"""The example queries of the SPARQL page, run on the demo data through the real /sparql endpoint.

Every example's answer is checked against the same question answered independently, in Python,
from the demo's JSON documents (``registry.demo.demo_documents()``), not merely for being non-empty.
A new example needs a checker in ``CHECKS`` below.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

import pyoxigraph
import pytest
from fastapi.testclient import TestClient

from registry.config import Config
from registry.core import Registry
from registry.demo import demo_documents
from registry.ingest.parse import parse
from registry.namespaces import CEASN, CETERMS, PREFIXES, RDF_TYPE
from registry.oxigraph_server import OxigraphServer
from registry.pages import PageRenderer
from registry.paths import STATIC_DIR
from registry.sparql.examples import EXAMPLES_DIR, examples
from registry.sparql.guard import scan
from registry.store import RemoteStore
from registry.vocab import vocabulary

from .test_pages import check_html

EXAMPLES = {e.name: e for e in examples()}
SOC = re.compile(r"^[0-9]{2}-[0-9]{4}")
CURIE = {"ceterms": CETERMS, "ceasn": CEASN}
VOCABS = "https://purl.org/ctdl/vocabs/"


# --------------------------------------------------------------------------------------
# The demo data: in a real store behind the real app, and as plain JSON
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_client(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("examples") / "registry-data"
    data_dir.mkdir(parents=True)
    cfg = Config.load(data_dir)
    server = OxigraphServer(cfg.oxigraph_dir, timeout_s=cfg.query_timeout, state_file=None)
    server.start()
    registry = Registry(cfg, RemoteStore.for_base(server.url))
    try:
        docs = []
        for raw in demo_documents():
            docs += parse(json.dumps(raw).encode("utf-8"))
        outcomes = registry.loader.publish(docs)
        assert all(o.accepted for o in outcomes), [o.message for o in outcomes if not o.accepted][:3]
        from registry.app import create_app

        with TestClient(create_app(registry)) as client:
            yield client
    finally:
        registry.close()
        server.stop()


class Demo:
    """The demo documents as Python data, with the look-ups the checks need."""

    def __init__(self) -> None:
        self.docs = demo_documents()
        self.nodes: dict[str, dict] = {}  # every node with an @id, from every document
        self.mains: list[dict] = []
        for doc in self.docs:
            graph = doc["@graph"]
            self.mains.append(graph[0])
            for node in graph:
                self.nodes[node["@id"]] = node
        self.credentials = [n for n in self.mains if "ceterms:credentialStatusType" in n]
        self.organizations = [n for n in self.mains
                              if n["@type"] in ("ceterms:CredentialOrganization", "ceterms:QACredentialOrganization")]

    @staticmethod
    def values(node: dict, prop: str) -> list:
        value = node.get(prop)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    @staticmethod
    def text(value) -> str:
        """The English text of a language map (the demo writes en-US)."""
        if isinstance(value, dict):
            value = value.get("en-US", next(iter(value.values())))
        if isinstance(value, list):
            value = value[0]
        return value

    def name(self, iri_or_node) -> str:
        node = self.nodes[iri_or_node] if isinstance(iri_or_node, str) else iri_or_node
        return self.text(node.get("ceterms:name") or node.get("ceasn:name"))

    @staticmethod
    def iri(curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return CURIE[prefix] + local

    @staticmethod
    def concept(curie: str) -> str:
        """A vocabulary concept as the registry's context expands it: deliveryType:X -> .../vocabs/deliveryType/X."""
        scheme, _, local = curie.partition(":")
        return f"{VOCABS}{scheme}/{local}"

    def owner_states(self, credential: dict) -> set[str]:
        return {self.text(place["ceterms:addressRegion"])
                for owner in self.values(credential, "ceterms:ownedBy")
                for place in self.values(self.nodes[owner], "ceterms:address")}

    def socs(self, node: dict) -> set[str]:
        return {a["ceterms:codedNotation"][:7] for a in self.values(node, "ceterms:occupationType")
                if SOC.match(a.get("ceterms:codedNotation", ""))}


@pytest.fixture(scope="module")
def demo() -> Demo:
    return Demo()


def run(client: TestClient, name: str) -> tuple[list[str], list[dict], float]:
    """Run one example through POST /sparql; (variables, rows as {var: value string}, seconds)."""
    start = time.perf_counter()
    r = client.post("/sparql", data={"query": EXAMPLES[name].query},
                    headers={"Accept": "application/sparql-results+json"})
    elapsed = time.perf_counter() - start
    assert r.status_code == 200, r.text
    body = r.json()
    rows = [{k: v["value"] for k, v in b.items()} for b in body["results"]["bindings"]]
    return body["head"]["vars"], rows, elapsed


def num(text: str) -> float:
    return float(text)


def sparql_round(x: float) -> int:
    """SPARQL ROUND: to the nearest integer, halves up (Python's round() goes to even)."""
    return math.floor(x + 0.5)


# --------------------------------------------------------------------------------------
# One independent check per example
# --------------------------------------------------------------------------------------


def check_credentials_by_type(rows, demo: Demo):
    expected = Counter(demo.iri(c["@type"]) for c in demo.credentials)
    assert {r["type"]: int(r["credentials"]) for r in rows} == dict(expected)
    assert [int(r["credentials"]) for r in rows] == sorted((int(r["credentials"]) for r in rows), reverse=True)


def check_providers_most_credentials(rows, demo: Demo):
    def owned(pred):
        out = Counter()
        for node in demo.mains:
            if pred(node):
                for org in demo.values(node, "ceterms:ownedBy"):
                    out[org] += 1
        return out

    creds = owned(lambda n: "ceterms:credentialStatusType" in n)
    learning = owned(lambda n: n["@type"] in ("ceterms:LearningProgram", "ceterms:Course",
                                              "ceterms:LearningOpportunityProfile"))
    exams = owned(lambda n: n["@type"] == "ceterms:AssessmentProfile")
    expected = {org: (demo.name(org), creds[org], learning[org], exams[org]) for org in creds}
    got = {r["organization"]: (r["name"], int(r["credentials"]), int(r["learningOpportunities"]),
                               int(r["assessments"])) for r in rows}
    assert len(expected) <= 25  # the query's LIMIT: every owner is listed
    assert got == expected
    assert [int(r["credentials"]) for r in rows] == sorted(creds.values(), reverse=True)


def check_credentials_by_state_and_type(rows, demo: Demo):
    expected = Counter()
    for c in demo.credentials:
        states = {demo.text(p["ceterms:addressRegion"]) for p in demo.values(c, "ceterms:availableAt")}
        for state in states or demo.owner_states(c) or {"(no state given)"}:
            expected[(state, demo.iri(c["@type"]))] += 1
    assert {(r["state"], r["type"]): int(r["credentials"]) for r in rows} == dict(expected)
    # the fallback to the owner's address is exercised: badges have no place of their own
    assert any("ceterms:availableAt" not in c for c in demo.credentials)


def check_lookup_by_ctid(rows, demo: Demo):
    node = min(demo.credentials, key=lambda c: c["ceterms:ctid"])
    mine = [r for r in rows if r["subject"] == node["@id"]]
    expected_props = {RDF_TYPE} | {demo.iri(k) for k in node if not k.startswith("@")}
    assert {r["property"] for r in mine} == expected_props

    def count(value) -> int:
        if isinstance(value, list):
            return sum(count(v) for v in value)
        if isinstance(value, dict) and "@type" not in value and "@id" not in value:  # a language map
            return sum(count(v) for v in value.values())
        return 1

    assert len(mine) == 1 + sum(count(v) for k, v in node.items() if not k.startswith("@"))
    assert {r["value"] for r in mine if r["property"] == CETERMS + "ctid"} == {node["ceterms:ctid"]}
    # the nested profiles come along (blank nodes), after the resource's own triples
    assert len(rows) > len(mine) and all(r["subject"] == node["@id"] for r in rows[:len(mine)])


def check_cost_by_occupation(rows, demo: Demo):
    costs: dict[str, list[float]] = defaultdict(list)
    titles: dict[str, str] = {}
    for c in demo.credentials:
        prices = [p["ceterms:price"] for p in demo.values(c, "ceterms:estimatedCost") if p.get("ceterms:currency") == "USD"]
        if not prices:
            continue
        for soc in demo.socs(c):
            costs[soc].append(sum(prices))
        for a in demo.values(c, "ceterms:occupationType"):
            titles[a["ceterms:codedNotation"][:7]] = demo.text(a["ceterms:targetNodeName"])
    expected = {soc: (titles[soc], len(v), sparql_round(sum(v) / len(v)), min(v), max(v)) for soc, v in costs.items()}
    got = {r["soc"]: (r["occupation"], int(r["credentials"]), num(r["averageUSD"]), num(r["minimumUSD"]),
                      num(r["maximumUSD"])) for r in rows}
    assert got == expected
    assert [num(r["averageUSD"]) for r in rows] == sorted((e[2] for e in expected.values()), reverse=True)


def check_competencies_required(rows, demo: Demo):
    expected = set()
    for c in demo.credentials:
        for cond in demo.values(c, "ceterms:requires"):
            for comp in demo.values(cond, "ceterms:targetCompetency"):
                framework = demo.nodes[comp]["ceasn:isPartOf"]
                expected.add((c["@id"], demo.name(c), comp, demo.text(demo.nodes[comp]["ceasn:competencyText"]),
                              framework, demo.name(framework)))
    got = {(r["credential"], r["credentialName"], r["competency"], r["competencyText"], r["framework"],
            r["frameworkName"]) for r in rows}
    assert len(rows) == len(got)
    assert got == expected


def check_missing_recommended(rows, demo: Demo):
    checks = (
        ("estimated cost", ("ceterms:estimatedCost",)),
        ("estimated duration", ("ceterms:estimatedDuration",)),
        ("occupation", ("ceterms:occupationType",)),
        ("industry", ("ceterms:industryType",)),
        ("audience level", ("ceterms:audienceLevelType",)),
        ("where available", ("ceterms:availableAt", "ceterms:availableOnlineAt", "ceterms:availabilityListing")),
        ("quality assurance", ("ceterms:accreditedBy", "ceterms:approvedBy", "ceterms:recognizedBy",
                               "ceterms:regulatedBy")),
    )
    expected = {}
    for c in demo.credentials:
        missing = [label for label, props in checks if not any(c.get(p) for p in props)]
        if missing:
            expected[c["@id"]] = (demo.name(c), demo.iri(c["@type"]), len(missing), "; ".join(missing))
    got = {r["credential"]: (r["name"], r["type"], int(r["gaps"]), r["missing"]) for r in rows}
    assert got == expected
    assert any("estimated duration" in m for *_, m in got.values())  # certifications and licenses


def check_requiring_assessments(rows, demo: Demo):
    expected: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in demo.credentials:
        for cond in demo.values(c, "ceterms:requires"):
            for iri in demo.values(cond, "ceterms:targetAssessment"):
                expected[(iri, "assessment")].add(c["@id"])
            for iri in demo.values(cond, "ceterms:targetLearningOpportunity"):
                expected[(iri, "learning opportunity")].add(c["@id"])
    got = {(r["required"], r["kind"]): int(r["credentials"]) for r in rows}
    assert got == {k: len(v) for k, v in expected.items()}
    for r in rows:
        assert r["requiredName"] == demo.name(r["required"])
        assert set(r["requiredFor"].split(" | ")) == {demo.name(c) for c in expected[(r["required"], r["kind"])]}
    assert {k for _, k in got} == {"assessment", "learning opportunity"}


def check_learning_by_delivery(rows, demo: Demo):
    kinds = ("ceterms:LearningProgram", "ceterms:Course", "ceterms:LearningOpportunityProfile",
             "ceterms:AssessmentProfile")
    expected = Counter()
    names = {}
    for node in demo.mains:
        if node["@type"] in kinds:
            for a in demo.values(node, "ceterms:deliveryType"):
                expected[(demo.iri(node["@type"]), demo.concept(a["ceterms:targetNode"]))] += 1
                names[demo.concept(a["ceterms:targetNode"])] = demo.text(a["ceterms:targetNodeName"])
    assert {(r["type"], r["delivery"]): int(r["resources"]) for r in rows} == dict(expected)
    assert all(r["deliveryName"] == names[r["delivery"]] for r in rows)


def check_audience_level(rows, demo: Demo):
    expected: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    for c in demo.credentials:
        for a in demo.values(c, "ceterms:audienceLevelType"):
            expected[demo.concept(a["ceterms:targetNode"])].add(c["@id"])
            types[demo.concept(a["ceterms:targetNode"])].add(c["@type"].split(":")[1])
    assert {r["level"]: int(r["credentials"]) for r in rows} == {k: len(v) for k, v in expected.items()}
    assert all(set(r["credentialTypes"].split(", ")) == types[r["level"]] for r in rows)


def check_organizations_by_state(rows, demo: Demo):
    expected: dict[tuple[str, str], set[str]] = defaultdict(set)
    for org in demo.organizations:
        for place in demo.values(org, "ceterms:address"):
            for a in demo.values(org, "ceterms:agentType"):
                expected[(demo.text(place["ceterms:addressRegion"]), demo.text(a["ceterms:targetNodeName"]))].add(
                    org["@id"])
    assert {(r["state"], r["organizationType"]): int(r["organizations"]) for r in rows} == \
        {k: len(v) for k, v in expected.items()}
    for r in rows:
        assert set(r["names"].split(" | ")) == {demo.name(o) for o in expected[(r["state"], r["organizationType"])]}


def check_framework_tree(rows, demo: Demo):
    def members(fw: dict) -> dict[str, tuple[int, str | None]]:
        out: dict[str, tuple[int, str | None]] = {}
        todo = [(iri, 1, None) for iri in demo.values(fw, "ceasn:hasTopChild")]
        while todo:
            iri, level, parent = todo.pop()
            out[iri] = (level, parent)
            todo += [(kid, level + 1, iri) for kid in demo.values(demo.nodes[iri], "ceasn:hasChild")]
        return out

    frameworks = [n for n in demo.mains if n["@type"] == "ceasn:CompetencyFramework"]
    fw = min(frameworks, key=lambda f: (-len(members(f)), f["@id"]))
    expected = set()
    for iri, (level, parent) in members(fw).items():
        comp = demo.nodes[iri]
        expected.add((demo.name(fw), comp["ceasn:codedNotation"], level, demo.text(comp["ceasn:competencyLabel"]),
                      demo.text(comp["ceasn:competencyText"]),
                      demo.nodes[parent]["ceasn:codedNotation"] if parent else None, iri))
    got = [(r["frameworkName"], r["notation"], int(r["level"]), r["label"], r["competencyText"],
            r.get("parentNotation"), r["competency"]) for r in rows]
    assert set(got) == expected and len(got) == len(expected)
    assert [g[1] for g in got] == sorted(g[1] for g in got)
    assert {g[2] for g in got} == {1, 2}


def check_occupation_family(rows, demo: Demo):
    creds: dict[str, set[str]] = defaultdict(set)
    owners: dict[str, set[str]] = defaultdict(set)
    for c in demo.credentials:
        for group in {soc[:2] for soc in demo.socs(c)}:
            creds[group].add(c["@id"])
            owners[group].update(demo.values(c, "ceterms:ownedBy"))
    got = {r["majorGroup"]: (int(r["credentials"]), int(r["providers"])) for r in rows}
    assert got == {g: (len(creds[g]), len(owners[g])) for g in creds}
    families = {r["majorGroup"]: r.get("family") for r in rows}
    assert families.get("29") == "Healthcare Practitioners and Technical"
    assert families.get("15") == "Computer and Mathematical"
    assert all(families.values())  # every demo group has its SOC title


def check_healthcare(rows, demo: Demo):
    expected = {}
    for c in demo.credentials:
        jobs = {f'{a["ceterms:codedNotation"]} {demo.text(a["ceterms:targetNodeName"])}'
                for a in demo.values(c, "ceterms:occupationType")
                if a.get("ceterms:codedNotation", "")[:3] in ("29-", "31-")}
        if jobs:
            owner = demo.values(c, "ceterms:ownedBy")[0]
            expected[c["@id"]] = (demo.name(c), demo.iri(c["@type"]), demo.name(owner), jobs)
    got = {r["credential"]: (r["name"], r["type"], r["ownerName"], set(r["occupations"].split(" | "))) for r in rows}
    assert got == expected


def check_newest(rows, demo: Demo):
    ranked = sorted(demo.credentials, key=lambda c: demo.name(c))
    ranked = sorted(ranked, key=lambda c: c["ceterms:dateEffective"], reverse=True)[:20]
    assert [(r["dateEffective"], r["name"]) for r in rows] == \
        [(c["ceterms:dateEffective"], demo.name(c)) for c in ranked]
    by_iri = {c["@id"]: c for c in demo.credentials}
    for r in rows:
        c = by_iri[r["credential"]]
        assert r["type"] == demo.iri(c["@type"]) and r["ownerName"] == demo.name(c["ceterms:ownedBy"][0])


def check_quality_assurance(rows, demo: Demo):
    expected = Counter()
    for c in demo.credentials:
        for rel in ("accreditedBy", "approvedBy", "recognizedBy", "regulatedBy"):
            for agency in demo.values(c, "ceterms:" + rel):
                expected[(agency, CETERMS + rel)] += 1
    assert {(r["agency"], r["relation"]): int(r["credentials"]) for r in rows} == dict(expected)
    assert all(r["agencyName"] == demo.name(r["agency"]) for r in rows)


def check_where_to_learn(rows, demo: Demo):
    teaches: dict[str, set[str]] = defaultdict(set)
    for node in demo.mains:
        teaches[node["@id"]].update(demo.values(node, "ceterms:teaches"))
    expected = {}
    for c in demo.credentials:
        required = {comp for cond in demo.values(c, "ceterms:requires")
                    for comp in demo.values(cond, "ceterms:targetCompetency")}
        for lo, taught in teaches.items():
            if required & taught:
                expected[(c["@id"], lo)] = (len(required & taught), len(required))
    got = {(r["credential"], r["learningOpportunity"]): (int(r["taught"]), int(r["required"])) for r in rows}
    assert len(expected) <= 100  # the query's LIMIT: all pairs are listed
    assert got == expected
    ratios = [int(r["taught"]) / int(r["required"]) for r in rows]
    assert ratios == sorted(ratios, reverse=True)
    assert all(r["credentialName"] == demo.name(r["credential"]) and
               r["learningOpportunityName"] == demo.name(r["learningOpportunity"]) for r in rows)


CHECKS = {
    "01-credentials-by-type": check_credentials_by_type,
    "02-providers-most-credentials": check_providers_most_credentials,
    "03-credentials-by-state-and-type": check_credentials_by_state_and_type,
    "04-lookup-by-ctid": check_lookup_by_ctid,
    "05-cost-by-occupation": check_cost_by_occupation,
    "06-competencies-required-by-credentials": check_competencies_required,
    "07-credentials-missing-recommended-data": check_missing_recommended,
    "08-credentials-requiring-assessments-and-programs": check_requiring_assessments,
    "09-learning-opportunities-by-delivery": check_learning_by_delivery,
    "10-credentials-by-audience-level": check_audience_level,
    "11-organizations-by-state-and-type": check_organizations_by_state,
    "12-competency-framework-tree": check_framework_tree,
    "13-credentials-by-occupation-family": check_occupation_family,
    "14-healthcare-credentials": check_healthcare,
    "15-newest-credentials": check_newest,
    "16-quality-assurance": check_quality_assurance,
    "17-where-to-learn-required-competencies": check_where_to_learn,
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_answers_its_question(name, demo_client, demo):
    assert name in CHECKS, f"add a check of {name}.rq's answer to CHECKS in {Path(__file__).name}"
    run(demo_client, name)  # warm up (first use of the store's indexes)
    variables, rows, elapsed = run(demo_client, name)
    assert rows, f"{name} answered nothing on the demo data"
    assert elapsed < 1.0, f"{name} took {elapsed:.2f} s"
    CHECKS[name](rows, demo)


def test_every_check_has_an_example():
    assert set(CHECKS) == set(EXAMPLES)


# --------------------------------------------------------------------------------------
# The example files themselves
# --------------------------------------------------------------------------------------


def test_example_files():
    files = sorted(EXAMPLES_DIR.glob("*.rq"))
    assert len(files) >= 12
    numbers = [f.name[:2] for f in files]
    assert len(set(numbers)) == len(numbers), "two examples share a number"
    store = pyoxigraph.Store()  # syntax check, and no SERVICE (the public endpoint refuses it)
    vocab = vocabulary()
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert re.fullmatch(r"\d\d-[a-z0-9-]+\.rq", f.name), f.name
        assert re.match(r"# title: \S.{10,}\n", text), f"{f.name}: first line must be '# title: ...'"
        info = scan(EXAMPLES[f.stem].query)
        assert info.form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and not info.services, f.name
        list(store.query(EXAMPLES[f.stem].query))
        # every prefix used is declared, with the registry's namespace
        for prefix, ns in re.findall(r"PREFIX\s+(\w*):\s*<([^>]*)>", text):
            assert PREFIXES.get(prefix) == ns, (f.name, prefix)
        # every CTDL / CTDL-ASN term is a real class or property of the vocabularies (ontology/)
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("#", "PREFIX")))
        for prefix, local in re.findall(r"\b(ceterms|ceasn):([A-Za-z]+)", body):
            term = vocab.get(CURIE[prefix] + local)
            assert term is not None and term.kind in ("class", "property"), (f.name, f"{prefix}:{local}")
        # names and texts are chosen by language, English first
        if re.search(r"ceterms:name|ceasn:name|targetNodeName|competencyText", text):
            assert 'LANGMATCHES(LANG(' in text and '"en"' in text, f.name


def test_examples_loader_reads_titles():
    ex = examples()
    assert [e.name for e in ex] == sorted(e.name for e in ex)
    assert all(not e.query.startswith("# title:") and e.title and not e.title.startswith("#") for e in ex)
    assert ex[0].name == "01-credentials-by-type"  # the page's default query


# --------------------------------------------------------------------------------------
# The page that offers them
# --------------------------------------------------------------------------------------


def test_sparql_page_configures_the_editor():
    hostile = [{"title": "Break </script><script>alert(1)</script> out", "query": "SELECT * { ?s ?p '</script>' }"},
               {"title": "Second & <b>", "query": "ASK {}"}]
    html = PageRenderer(base_url="https://reg.example/sub").sparql_page(
        endpoint="https://reg.example/sub/sparql", timeout=30, query=hostile[0]["query"], examples=hostile)
    checker = check_html(html)
    scripts = [a for t, a in checker.tags if t == "script"]
    assert {a.get("src") for a in scripts if a.get("src")} == {"https://reg.example/sub/static/yasgui/yasgui.min.js",
                                                               "https://reg.example/sub/static/sparql-editor.js"}
    # the one inline script is JSON data, not code, and nothing in it can close the element
    m = re.search(r'<script type="application/json" id="sparql-editor-config">(.*?)</script>', html, re.S)
    assert m and "<" not in m.group(1) and len(re.findall(r"<script(?![^>]*\bsrc=)", html)) == 1
    config = json.loads(m.group(1))
    assert config["endpoint"] == "https://reg.example/sub/sparql"
    assert config["examples"] == hostile and config["query"] == hostile[0]["query"]
    assert config["prefixes"] == PREFIXES and {"ceterms", "ceasn", "schema", "skos", "dct", "qdata"} <= set(PREFIXES)
    assert "name" in config["terms"]["properties"][CETERMS] and "Competency" in config["terms"]["classes"][CEASN]
    # an examples menu with a label, one option per example, and the plain form as fallback
    assert '<label for="sparql-example">' in html and html.count("<option value=") == 2 + 4
    assert "Break &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; out" in html
    assert html.count("<textarea") == 1 and 'action="https://reg.example/sub/sparql"' in html
    assert 'id="sparql-editor" class="sparql-editor" aria-labelledby="sparql-editor-heading" hidden' in html
    assert "yasgui.min.css" in html and "fonts.googleapis" not in html and "cdn" not in html.lower()


def test_editor_assets_are_local(demo_client):
    for path in ("/static/yasgui/yasgui.min.js", "/static/yasgui/yasgui.min.css", "/static/yasgui/LICENSE",
                 "/static/yasgui/sparql-editor.css", "/static/sparql-editor.js"):
        assert demo_client.get(path).status_code == 200, path
    bundle = (STATIC_DIR / "yasgui" / "yasgui.min.js").read_text(encoding="utf-8")
    css = (STATIC_DIR / "yasgui" / "yasgui.min.css").read_text(encoding="utf-8")
    for host in ("cdn.jsdelivr", "unpkg.com", "cdnjs.", "fonts.googleapis", "fonts.gstatic", "code.jquery.com"):
        assert host not in bundle and host not in css, host
    assert not re.search(r"url\(|@import", css)
    assert "sourceMappingURL" not in bundle[-200:]
    license_text = (STATIC_DIR / "yasgui" / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in license_text and "@zazuko/yasgui" in license_text
    version = (STATIC_DIR / "yasgui" / "VERSION").read_text(encoding="utf-8")
    assert version.startswith("@zazuko/yasgui ")
    # the glue switches off the bundle's calls to outside services
    glue = (STATIC_DIR / "sparql-editor.js").read_text(encoding="utf-8")
    for needle in ('localCompleter("property"', 'localCompleter("class"', 'localCompleter("prefixes"',
                   "copyEndpointOnNewTab: false", 'method: "POST"'):
        assert needle in glue, needle
