"""The demo data generator (registry/demo.py)."""

from __future__ import annotations

import csv
import json
import random
import re
import uuid
from collections import Counter
from functools import lru_cache

import pyoxigraph
import pytest

from registry import demo
from registry.ingest.contexts import inline_contexts, pinned_context
from registry.paths import POLICY_TSV

CTID_RE = re.compile(r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
ORG_TYPES = set(demo.ORGANIZATION_TYPES)
CREDENTIAL_TYPES = set(demo.CREDENTIAL_TYPES)
LEARNING_TYPES = {"ceterms:LearningProgram", "ceterms:Course", "ceterms:LearningOpportunityProfile"}
COMPETENCY = "ceasn:Competency"
FRAMEWORK = "ceasn:CompetencyFramework"

# What each referencing property may point to (by the @type of the target's node).
TARGET_TYPES = {
    "ceterms:ownedBy": ORG_TYPES,
    "ceterms:offeredBy": ORG_TYPES,
    "ceterms:accreditedBy": ORG_TYPES,
    "ceterms:approvedBy": ORG_TYPES,
    "ceasn:publisher": ORG_TYPES,
    "ceasn:creator": ORG_TYPES,
    "ceterms:targetCompetency": {COMPETENCY},
    "ceterms:teaches": {COMPETENCY},
    "ceterms:assesses": {COMPETENCY},
    "ceterms:targetAssessment": {"ceterms:AssessmentProfile"},
    "ceterms:targetLearningOpportunity": LEARNING_TYPES,
    "ceterms:preparationFrom": LEARNING_TYPES,
    "ceterms:hasPart": {"ceterms:Course"},
    "ceterms:targetCredential": CREDENTIAL_TYPES,
    "ceasn:isPartOf": {FRAMEWORK},
    "ceasn:isTopChildOf": {FRAMEWORK},
    "ceasn:hasTopChild": {COMPETENCY},
    "ceasn:hasChild": {COMPETENCY},
    "ceasn:isChildOf": {COMPETENCY},
}

# The policy's "Requires" rows for ceasn:Competency were copied from the framework
# block (see registry/shapes/policy.py); a competency requires these.
COMPETENCY_REQUIRES = [("ceasn:competencyText",), ("ceasn:isPartOf",), ("ceterms:ctid",)]


@lru_cache(maxsize=None)
def docs(n: int, seed: int = 0) -> tuple[dict, ...]:
    return tuple(demo.generate(n, seed=seed))


@lru_cache(maxsize=1)
def policy_requires() -> dict[str, list[tuple[str, ...]]]:
    """class CURIE -> the property sets it requires (A|B = at least one of), from the policy TSV."""
    out: dict[str, list[tuple[str, ...]]] = {}
    with open(POLICY_TSV, encoding="utf-8", newline="") as fh:
        rows = [line for line in fh if line.strip() and not line.startswith("#")]
    for cls, level, props in csv.reader(rows, delimiter="\t"):
        if level.strip() == "Requires":
            out.setdefault(cls.strip(), []).append(tuple(props.strip().split("|")))
    out[COMPETENCY] = COMPETENCY_REQUIRES
    # Course and LearningProgram are learning opportunities: the TSV has no rows of their own.
    out.setdefault("ceterms:Course", out["ceterms:LearningOpportunityProfile"])
    out.setdefault("ceterms:LearningProgram", out["ceterms:LearningOpportunityProfile"])
    return out


def main_type(doc: dict) -> str:
    return doc["@graph"][0]["@type"]


def walk(value, key=None):
    """(property, value) for every string value in a JSON-LD node tree."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in ("@id", "@context"):
                yield from walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v, key)
    elif isinstance(value, str):
        yield key, value


def triples_of(doc: dict) -> list:
    return list(pyoxigraph.parse(json.dumps(inline_contexts(doc)), format=pyoxigraph.RdfFormat.JSON_LD))


# --- API ---------------------------------------------------------------------------------


def test_ctid_is_a_lowercase_uuid4_from_the_rng():
    a, b = random.Random(42), random.Random(42)
    for _ in range(200):
        value = demo.ctid(a)
        assert CTID_RE.match(value), value
        assert value == "ce-" + str(uuid.UUID(int=b.getrandbits(128), version=4))


def test_resource_iri():
    assert demo.resource_iri("ce-123") == "https://credentialengineregistry.org/resources/ce-123"
    assert demo.graph_iri("ce-123") == "https://credentialengineregistry.org/graph/ce-123"


def test_generate_is_deterministic():
    first = json.dumps(demo.generate(400, seed=3))
    assert json.dumps(demo.generate(400, seed=3)) == first
    assert json.dumps(demo.generate(400, seed=4)) != first
    assert demo.generate(400, seed=3) is not demo.generate(400, seed=3)


def test_demo_documents_is_the_fixed_demo_set():
    a = demo.demo_documents()
    assert 150 <= len(a) <= 400
    assert json.dumps(a) == json.dumps(demo.generate(demo.DEMO_SIZE, seed=demo.DEMO_SEED))
    a[0]["@graph"][0]["ceterms:name"]["en-US"] = "changed"
    assert demo.demo_documents()[0]["@graph"][0]["ceterms:name"]["en-US"] != "changed"  # a fresh copy


@pytest.mark.parametrize("n", [1, 2, 5, 11, 12, 13, 30])
def test_small_n(n):
    out = demo.generate(n, seed=9)
    assert len(out) == n
    assert main_type(out[0]) in ORG_TYPES
    n_orgs = sum(main_type(d) in ORG_TYPES for d in out)
    assert n_orgs == (1 if n < 12 else round(n / 13))
    assert all(main_type(d) in ORG_TYPES for d in out[:n_orgs])
    check_references(out)
    check_required(out)


def test_zero_or_negative_n():
    assert demo.generate(0) == []
    assert demo.generate(-5) == []


def test_organizations():
    out = docs(1000)
    orgs = demo.organizations(list(out))
    expected = [(d["@graph"][0]["ceterms:ctid"], d["@graph"][0]["ceterms:name"]["en-US"])
                for d in out if main_type(d) in ORG_TYPES]  # fmt: skip
    assert orgs == expected
    assert len(orgs) == round(1000 / 13)
    assert all(CTID_RE.match(c) and name for c, name in orgs)
    assert demo.organizations([]) == []


# --- the mix -------------------------------------------------------------------------------


def test_counts_by_type():
    out = docs(1000)
    counts = Counter(main_type(d) for d in out)
    n_orgs = sum(counts[t] for t in ORG_TYPES)
    assert n_orgs == round(1000 / 13)
    assert counts["ceterms:QACredentialOrganization"] >= 5
    for rtype in CREDENTIAL_TYPES | LEARNING_TYPES | {"ceterms:AssessmentProfile", FRAMEWORK}:
        assert counts[rtype] >= 10, (rtype, counts[rtype])
    credentials = sum(counts[t] for t in CREDENTIAL_TYPES)
    assert 0.5 <= credentials / (1000 - n_orgs) <= 0.65
    # organizations first: everything after the last organization is a resource
    first_resource = next(i for i, d in enumerate(out) if main_type(d) not in ORG_TYPES)
    assert first_resource == n_orgs


def test_demo_variety():
    out = demo.demo_documents()
    types = Counter(main_type(d) for d in out)
    assert CREDENTIAL_TYPES <= set(types)
    assert {"ceterms:CredentialOrganization", "ceterms:QACredentialOrganization", FRAMEWORK} <= set(types)
    assert LEARNING_TYPES | {"ceterms:AssessmentProfile"} <= set(types)
    states = {p["ceterms:addressRegion"]["en-US"] for d in out for k, v in d["@graph"][0].items()
              if k in ("ceterms:address", "ceterms:availableAt") for p in v}  # fmt: skip
    assert len(states) >= 6
    orgs = demo.organizations(out)
    assert len(orgs) >= 12
    assert len({name for _, name in orgs}) == len(orgs)
    owners = {d["@graph"][0]["ceterms:ownedBy"][0] for d in out if main_type(d) in CREDENTIAL_TYPES}
    assert len(owners) >= 8
    names = {(d["@graph"][0].get("ceterms:name") or d["@graph"][0]["ceasn:name"])["en-US"] for d in out}
    assert len(names) >= 0.6 * len(out)


# --- document shape ----------------------------------------------------------------------------


def test_document_shape_and_unique_ctids():
    seen: set[str] = set()
    for doc in docs(1000) + docs(300, 1):
        node = doc["@graph"][0]
        c = node["ceterms:ctid"]
        assert CTID_RE.match(c)
        assert doc["@id"] == demo.graph_iri(c)
        assert node["@id"] == demo.resource_iri(c)
        expected = demo.CTDLASN_CONTEXT if node["@type"] == FRAMEWORK else demo.CTDL_CONTEXT
        assert doc["@context"] == expected
        pinned_context(doc["@context"])  # a context the registry ships
        for n in doc["@graph"]:
            assert n["@id"] == demo.resource_iri(n["ceterms:ctid"])
            assert n["ceterms:ctid"] not in seen
            seen.add(n["ceterms:ctid"])
        if node["@type"] != FRAMEWORK:
            assert len(doc["@graph"]) == 1


def test_text_reads_like_text():
    for doc in docs(1000):
        for node in doc["@graph"]:
            for key in ("ceterms:name", "ceterms:description", "ceasn:name", "ceasn:description",
                        "ceasn:competencyText"):  # fmt: skip
                if key not in node:
                    continue
                text = node[key]["en-US"]
                assert set(node[key]) == {"en-US"}
                assert text and text == text.strip() and "  " not in text, text
                assert not re.search(r"[{}]|\bNone\b|\ba [aeiou]", text), text
                if key.endswith("description") or key == "ceasn:competencyText":
                    assert text[0].isupper() and text.endswith("."), text
                    assert 1 <= len(re.findall(r"[.!?](?:\s|$)", text)) <= 4, text


# --- policy and references -----------------------------------------------------------------------


def check_required(documents) -> None:
    policy = policy_requires()
    for doc in documents:
        for node in doc["@graph"]:
            rules = policy.get(node["@type"])
            assert rules, f"no policy rows for {node['@type']}"
            for alternatives in rules:
                assert any(node.get(p) not in (None, [], {}, "") for p in alternatives), (node["@type"], alternatives)


def test_every_resource_has_the_required_properties():
    check_required(docs(1000))
    check_required(docs(300, 1))


def test_credential_status_and_owners():
    for doc in docs(1000):
        node = doc["@graph"][0]
        if node["@type"] not in CREDENTIAL_TYPES:
            continue
        status = node["ceterms:credentialStatusType"]
        assert status["@type"] == "ceterms:CredentialAlignmentObject"
        assert status["ceterms:framework"] == "https://credreg.net/ctdl/terms/CredentialStatus"
        assert status["ceterms:targetNode"] == "credentialStat:Active"
        assert status["ceterms:frameworkName"]["en-US"] and status["ceterms:targetNodeName"]["en-US"]
        assert node["ceterms:ownedBy"] or node["ceterms:offeredBy"]
        assert node["ceterms:inLanguage"] == ["en-US"]
        assert node["ceterms:subjectWebpage"].startswith("https://www.")
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", node["ceterms:dateEffective"])


def check_references(documents) -> None:
    """Every registry IRI a document mentions names a node of that document or of an earlier one."""
    types: dict[str, str] = {}
    for i, doc in enumerate(documents):
        own = {n["@id"]: n["@type"] for n in doc["@graph"]}
        known = {**types, **own}
        for prop, value in walk(doc["@graph"]):
            if value.startswith(demo.RESOURCE_BASE):
                assert value in known, f"document {i} ({prop}) points to {value}, not published before it"
                if prop in TARGET_TYPES:
                    assert known[value] in TARGET_TYPES[prop], (prop, known[value])
                else:
                    pytest.fail(f"unexpected reference property {prop}")
        types.update(own)


def test_references_point_to_earlier_documents():
    check_references(docs(1000))
    check_references(docs(300, 1))
    check_references(demo.demo_documents())


def test_credentials_are_linked():
    out = docs(1000)
    used = Counter()
    for doc in out:
        node = doc["@graph"][0]
        if node["@type"] not in CREDENTIAL_TYPES:
            continue
        for cond in node.get("ceterms:requires", []):
            assert cond["@type"] == "ceterms:ConditionProfile" and cond["ceterms:description"]["en-US"]
            for key in ("ceterms:targetCompetency", "ceterms:targetAssessment", "ceterms:targetLearningOpportunity",
                        "ceterms:targetCredential"):  # fmt: skip
                used[key] += bool(cond.get(key))
        used["ceterms:accreditedBy"] += bool(node.get("ceterms:accreditedBy"))
    for key, count in used.items():
        assert count >= 20, (key, count)
    assert len(used) == 5


# --- RDF ---------------------------------------------------------------------------------------


def test_documents_parse_as_json_ld_with_plausible_triple_counts():
    counts: dict[str, list[int]] = {}
    for doc in docs(600, 2):
        triples = triples_of(doc)
        counts.setdefault(main_type(doc), []).append(len(triples))
        for t in triples:
            for term in (t.subject, t.predicate, t.object):
                if isinstance(term, pyoxigraph.NamedNode):
                    assert term.value.startswith(("http://", "https://")), term  # every CURIE expanded
            if isinstance(t.object, pyoxigraph.Literal) and t.object.datatype.value.endswith("#decimal"):
                assert re.fullmatch(r"-?\d+(\.\d+)?", t.object.value), t.object  # a well-formed xsd:decimal
        main = demo.resource_iri(doc["@graph"][0]["ceterms:ctid"])
        assert any(t.subject.value == main and t.predicate.value.endswith("#type") for t in triples)
    for rtype, values in counts.items():
        if rtype in CREDENTIAL_TYPES:
            assert all(30 <= v <= 200 for v in values), (rtype, min(values), max(values))
        elif rtype == FRAMEWORK:
            assert all(40 <= v <= 300 for v in values), (rtype, min(values), max(values))
        else:
            assert all(30 <= v <= 250 for v in values), (rtype, min(values), max(values))


def test_concepts_are_in_the_vocabulary():
    from registry.vocab import vocabulary

    vocab = vocabulary()
    ctx = pinned_context(demo.CTDL_CONTEXT)
    ctx_asn = pinned_context(demo.CTDLASN_CONTEXT)
    seen = set()
    for doc in docs(1000):
        for prop, value in walk(doc["@graph"]):
            if prop in ("ceterms:targetNode", "ceasn:publicationStatusType") and not value.startswith("http"):
                seen.add(value)
    assert len(seen) > 30
    for curie in sorted(seen):
        prefix, _, local = curie.partition(":")
        iri = (ctx.get(prefix) or ctx_asn[prefix]) + local
        term = vocab.get(iri)
        assert term is not None and term.kind == "concept", curie
    # and the labels the documents carry are the vocabulary's
    for scheme, (_, _, labels) in demo._SCHEMES.items():
        for local, label in labels.items():
            term = vocab.get(ctx[scheme] + local)
            assert term is not None and term.label == label, (scheme, local, term and term.label)


# --- competency frameworks -------------------------------------------------------------------------


def test_competency_framework_structure():
    frameworks = [d for d in docs(1000) if main_type(d) == FRAMEWORK]
    assert frameworks
    for doc in frameworks:
        fw, comps = doc["@graph"][0], doc["@graph"][1:]
        assert fw["ceasn:name"]["en-US"] and fw["ceasn:description"]["en-US"]
        assert fw["ceasn:inLanguage"] == ["en-US"] and fw["ceasn:publisher"]
        assert len(comps) >= 5
        by_id = {c["@id"]: c for c in comps}
        assert len(by_id) == len(comps)
        assert all(c["@type"] == COMPETENCY for c in comps)
        assert all(c["ceasn:isPartOf"] == fw["@id"] for c in comps)
        assert all(c["ceasn:competencyText"]["en-US"] and c["ceasn:inLanguage"] == ["en-US"] for c in comps)
        tops = fw["ceasn:hasTopChild"]
        assert 2 <= len(tops) <= 3 and set(tops) <= set(by_id)
        reached = set()
        for top_iri in tops:
            top = by_id[top_iri]
            assert top["ceasn:isTopChildOf"] == fw["@id"] and "ceasn:isChildOf" not in top
            assert top["ceasn:hasChild"]
            for child_iri in top["ceasn:hasChild"]:
                child = by_id[child_iri]
                assert child["ceasn:isChildOf"] == top_iri
                assert "ceasn:isTopChildOf" not in child
                assert child["ceasn:codedNotation"].startswith(top["ceasn:codedNotation"] + ".")
                reached.add(child_iri)
        assert reached | set(tops) == set(by_id)  # every competency is in the hierarchy
        # framework first, then each top-level competency followed by its children
        order = [c["@id"] for c in comps]
        assert order == [i for t in tops for i in [t] + by_id[t]["ceasn:hasChild"]]


def test_competencies_are_used():
    out = docs(1000)
    competency_iris = {n["@id"] for d in out if main_type(d) == FRAMEWORK for n in d["@graph"][1:]}
    used = {v for d in out if main_type(d) != FRAMEWORK for p, v in walk(d["@graph"]) if v in competency_iris}
    assert len(used) >= 0.3 * len(competency_iris)


# --- validation and speed ----------------------------------------------------------------------------


def test_demo_documents_pass_the_shipped_shapes():
    """The demo set parses with the registry's own parser and conforms to its SHACL shapes."""
    parse_mod = pytest.importorskip("registry.ingest.parse")
    validate_mod = pytest.importorskip("registry.shapes.validate")
    out = demo.demo_documents()
    picked = {}
    for doc in out:  # a few documents of every type
        picked.setdefault(main_type(doc), []).append(doc)
    sample = [d for group in picked.values() for d in group[:3]]
    for doc in sample:
        parsed = parse_mod.parse(json.dumps(doc).encode("utf-8"), "application/ld+json")
        assert len(parsed) == 1
        assert parsed[0].ctid == doc["@graph"][0]["ceterms:ctid"]
        report = validate_mod.validate(parsed[0].triples, main_iri=parsed[0].iri)
        assert report.conforms, (main_type(doc), [str(r) for r in report.results if r.severity != "Warning"][:5])


def test_generation_is_fast():
    import time

    start = time.perf_counter()
    out = demo.generate(5000, seed=1)
    elapsed = time.perf_counter() - start
    assert len(out) == 5000
    assert elapsed < 15, elapsed  # about 0.5 s here; 100,000 documents take about 15 s
