"""validate_many gives exactly the reports of validate(), one document at a time.

validate_many merges documents into shared pyshacl runs (registry/shapes/batch.py)
and spreads them over worker processes (registry/shapes/parallel.py). Every
test here compares its reports, as JSON, with validate() on each document.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from registry.demo import generate
from registry.ingest.load import default_validator
from registry.ingest.parse import ParseError, parse
from registry.shapes import batch, parallel
from registry.shapes import validate as validate_one
from registry.shapes import validate_many

engine = importlib.import_module("registry.shapes.validate")

SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLES = SHARED / "ctdl" / "samples"
BASE = "https://credentialengineregistry.org/resources/"
ORG = BASE + "ce-0f7a4e12-9b3c-4d5e-8f6a-1b2c3d4e5f60"
PREFIXES = """
@prefix ceterms: <https://purl.org/ctdl/terms/> .
@prefix ceasn: <https://purl.org/ctdlasn/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
"""


def turtle(text: str) -> list[ox.Triple]:
    return list(ox.parse(PREFIXES + text, format=ox.RdfFormat.TURTLE))


def credential(ctid: str, body: str = "", *, name: str | None = '"Welding"@en', requires: str | None = None) -> str:
    """A certificate; blank nodes use fixed labels (_:status, _:req), the same in every document."""
    lines = [
        f'<{BASE}{ctid}> a ceterms:Certificate ; ceterms:ctid "{ctid}"',
        'ceterms:description "Structural welding."@en',
        "ceterms:subjectWebpage <https://example.edu/welding>",
        'ceterms:inLanguage "en"',
        f"ceterms:ownedBy <{ORG}>",
        "ceterms:credentialStatusType _:status",
        "ceterms:requires _:req",
    ]
    if name is not None:
        lines.append(f"ceterms:name {name}")
    text = " ;\n    ".join(lines) + (" ;\n    " + body if body else "") + " .\n"
    text += (
        "_:status a ceterms:CredentialAlignmentObject ;"
        " ceterms:targetNode <https://purl.org/ctdl/vocabs/credentialStat/Active> .\n"
    )
    if requires is None:
        requires = '_:req a ceterms:ConditionProfile ; ceterms:description "Finish."@en .\n'
    return text + requires


def ctid(n: int) -> str:
    return f"ce-{n:08x}-0c2e-4b6f-9a51-3f2d8e7c6b10"


ORG_DOC = (
    f'<{ORG}> a ceterms:CredentialOrganization ; ceterms:ctid "{ORG.rpartition("/")[2]}" ;'
    ' ceterms:name "Welding Institute"@en ; ceterms:description "A school."@en ;'
    " ceterms:subjectWebpage <https://example.edu> ;"
    " ceterms:agentType _:type ; ceterms:agentSectorType _:sector .\n"
    "_:type a ceterms:CredentialAlignmentObject ;"
    " ceterms:targetNode <https://purl.org/ctdl/vocabs/orgType/CertificationBody> .\n"
    "_:sector a ceterms:CredentialAlignmentObject ;"
    " ceterms:targetNode <https://purl.org/ctdl/vocabs/agentSector/PublicNonProfit> .\n"
)


def mixed() -> list[tuple[list, str | None]]:
    """(triples, main IRI) of documents chosen to stress batching."""
    concept = "https://purl.org/ctdl/vocabs/credentialStat/Active"
    docs = [
        credential(ctid(1)),  # valid
        credential(ctid(2), name=None,  # invalid, and a condition profile without description
                   requires="_:req a ceterms:ConditionProfile ; ceterms:name \"Admission\"@en .\n"),
        ORG_DOC,  # described here, referenced by every credential (ceterms:ownedBy)
        credential(ctid(2), name=None,  # the same document again: same subjects, same blank nodes
                   requires="_:req a ceterms:ConditionProfile ; ceterms:name \"Admission\"@en .\n"),
        credential(ctid(3), 'ceterms:accreditedBy [ a ceterms:QACredentialOrganization ; ceterms:name "Board"@en ],'
                   ' [ a ceterms:QACredentialOrganization ; ceterms:ctid "ce-11111111-2222-4333-8444-555555555555" ;'
                   ' ceterms:name "Other board"@en ]'),  # a reference and a described blank node
        credential(ctid(4), 'ceterms:audienceLevelType <https://purl.org/ctdl/vocabs/audLevel/NoSuchLevel>, "text" ;'
                   ' ceterms:dateEffective "2024-13-45"^^xsd:date ; ceterms:notAProperty "x"'),  # bad values
        # Reaches (through a concept property) a node another document of the batch describes.
        credential(ctid(5), f"ceterms:audienceType <{concept}x>"),
        f'<{concept}x> ceterms:targetNode <{concept}> ; a ceterms:CredentialAlignmentObject .\n',
        # Subclass triples in the data: class targets follow them.
        'ex:MyCertificate rdfs:subClassOf ceterms:Certificate .\n'
        f'<{BASE}{ctid(6)}> a ex:MyCertificate ; ceterms:ctid "{ctid(6)}" .\n',
        credential(ctid(7), 'ceterms:estimatedCost [ a ceterms:CostProfile ; ceterms:price "01"^^xsd:decimal ]'),
        "",  # an empty document
        credential(ctid(8), name='"Plain name"'),
    ]
    out = [(turtle(d), None) for d in docs]
    out[0] = (out[0][0], BASE + ctid(1))
    # Quads, with a graph name.
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("urn:graph")) for t in turtle(credential(ctid(9)))]
    out.append((quads, BASE + ctid(9)))
    return out


def prepared(triples) -> tuple:
    doc = engine._prepare(triples, None)
    return doc.graph.store, doc.blanks


def alone(documents, iris, **options) -> list[dict]:
    return [validate_one(d, main_iri=i, **options).to_json() for d, i in zip(documents, iris)]


def many(documents, iris, **options) -> list[dict]:
    return [r.to_json() for r in validate_many(documents, iris, **options)]


def demo_documents(n: int, seed: int) -> list:
    return [d for doc in generate(n, seed=seed) for d in parse(json.dumps(doc).encode("utf-8"))]


def sample_documents() -> list:
    docs = []
    for path in sorted(SAMPLES.rglob("*.json")):
        try:
            docs += parse(path.read_bytes(), path.name)
        except ParseError:
            continue  # unreadable samples are tested elsewhere
    return docs


@pytest.fixture(autouse=True, scope="module")
def _stop_workers():
    yield
    parallel.shutdown()


def test_the_default_shapes_allow_batching():
    assert engine._shapes().plan is not None, "ctdl.ttl no longer lets documents share a run (batch.plan)"


@pytest.mark.parametrize("options", [
    {"workers": 0}, {"workers": 0, "batch_size": 2}, {"workers": 0, "batch_size": 1}, {"workers": 1},
])  # fmt: skip
def test_mixed_batch_is_validated_as_documents_alone(options):
    documents, iris = zip(*mixed())
    expected = alone(documents, iris)
    assert many(documents, iris, **options) == expected
    assert not expected[1]["conforms"] and expected[0]["conforms"]
    assert any(r["focus_label"].startswith("requires[0]") for r in expected[1]["results"])


def test_groups_keep_clashing_documents_apart():
    plan = engine._shapes().plan
    documents = [prepared(triples) for triples, _ in mixed()]
    groups = batch.groups(documents, plan)
    assert sorted(i for g in groups for i in g) == list(range(len(documents)))
    where = {i: n for n, g in enumerate(groups) for i in g}
    assert where[1] != where[3]  # the same document twice
    assert where[0] != where[1]  # the same blank-node labels
    assert where[0] == where[2]  # an organization and a credential that only references it
    assert where[6] != where[7]  # a node one document reaches and another describes
    assert [8] in groups  # rdfs:subClassOf: alone


def test_samples_and_demo_documents(tmp_path):
    docs = demo_documents(300, seed=11)
    if SAMPLES.exists():
        docs = sample_documents() + docs
    documents, iris = [d.triples for d in docs], [d.iri for d in docs]
    expected = alone(documents, iris)
    assert many(documents, iris) == expected  # default: merged runs, worker processes
    assert many(documents, iris, workers=0) == expected
    assert [r.to_json() for r in default_validator()(docs)] == expected


def _extra(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ceterms: <https://purl.org/ctdl/terms/> .\n" + body,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("name, body, batched", [
    ("inverse.ttl", "<urn:x:S> a sh:NodeShape ; sh:targetClass ceterms:CredentialOrganization ;\n"
     "  sh:property [ sh:path [ sh:inversePath ceterms:ownedBy ] ; sh:minCount 1 ] .\n", False),
    ("target-node.ttl", f"<urn:x:S> a sh:NodeShape ; sh:targetNode <{ORG}> ;\n"
     "  sh:property [ sh:path ceterms:name ; sh:minCount 1 ] .\n", False),
    ("class.ttl", "<urn:x:S> a sh:NodeShape ; sh:targetClass ceterms:Certificate ;\n"
     "  sh:property [ sh:path ceterms:ownedBy ; sh:class ceterms:CredentialOrganization ] .\n", True),
])  # fmt: skip
def test_extra_shapes(tmp_path, name, body, batched):
    extra = [_extra(tmp_path, name, body)]
    assert (engine._shapes(extra).plan is not None) == batched
    documents, iris = zip(*mixed())
    expected = alone(documents, iris, extra_shapes=extra)
    assert many(documents, iris, extra_shapes=extra, workers=0) == expected
    assert many(documents, iris, extra_shapes=extra, workers=1) == expected
    if name == "class.ttl":  # the organization is read through ceterms:ownedBy: not in a credential's run
        plan = engine._shapes(extra).plan
        groups = batch.groups([prepared(t) for t, _ in mixed()], plan)
        where = {i: n for n, g in enumerate(groups) for i in g}
        assert where[0] != where[2]
    alone_only = alone(documents, iris, extra_shapes=extra, only_shapes=True)
    assert many(documents, iris, extra_shapes=extra, only_shapes=True, workers=0) == alone_only


def test_main_iris_must_match():
    with pytest.raises(ValueError):
        validate_many([turtle(credential(ctid(1)))], [None, None])
