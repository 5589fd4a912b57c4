"""The schema.org JSON-LD of resource pages: types, key properties, agreement with the page, escaping."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

import pyoxigraph
import pytest

from registry.pages import PageRenderer, ResourceSummary, format_price
from registry.schemaorg import EDUCATIONAL_ORG_TYPES, describe, number, schema_type
from registry.vocab import vocabulary
from tests.test_pages import (
    CETERMS,
    CRED,
    CRED_CTID,
    CREDENTIAL_TTL,
    FRAMEWORK_TTL,
    FW,
    FW_CTID,
    NESTED_TTL,
    ORG,
    ORG_CTID,
    ORG_TTL,
    DemoCorpus,
    check_html,
    lookup,
    parse,
)

SDO = "https://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
BASE = "https://reg.example"

# CTDL type (local name) -> the schema.org type its pages describe it as
EXPECTED_TYPES = {
    "CompetencyFramework": "DefinedTermSet",
    "AssessmentProfile": "LearningResource",
    "Course": "Course",
    "LearningOpportunityProfile": "Course",
    "LearningProgram": "EducationalOccupationalProgram",
    "QACredentialOrganization": "Organization",
}
CREDENTIALS = {"BachelorDegree", "AssociateDegree", "MasterDegree", "DoctoralDegree", "Certificate", "Certification",
               "License", "Badge", "DigitalBadge", "OpenBadge", "Diploma", "ApprenticeshipCertificate",
               "MicroCredential", "CertificateOfCompletion", "JourneymanCertificate"}


@pytest.fixture(scope="module")
def demo():
    return DemoCorpus()


@pytest.fixture(scope="module")
def renderer():
    return PageRenderer(base_url=BASE + "/")


def schema_of(html: str) -> dict:
    """The schema.org block of a page (the second JSON-LD script)."""
    checker = check_html(html)
    scripts = [body for attrs, body in checker.scripts if attrs.get("type") == "application/ld+json"]
    assert len(scripts) == 2
    for body in scripts:
        assert "<" not in body and ">" not in body and "&" not in body
    data = json.loads(scripts[1])
    assert data["@context"] == "https://schema.org"  # what crawlers expect
    return data


def to_triples(data: dict) -> list:
    """Parse the JSON-LD as RDF without fetching anything: the schema.org context as a local @vocab."""
    local = dict(data, **{"@context": {"@vocab": SDO}})
    return list(pyoxigraph.parse(json.dumps(local), format=pyoxigraph.RdfFormat.JSON_LD, base_iri=BASE + "/"))


def objects(triples: list, subject: str, prop: str) -> list:
    return [t.object for t in triples if t.subject.value == subject and t.predicate.value == SDO + prop]


def page_text(html: str) -> str:
    return " ".join(check_html(html).text)


# ---------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------


def test_schema_types():
    vocab = vocabulary()
    assert schema_type(CETERMS + "BachelorDegree", vocab=vocab) == "EducationalOccupationalCredential"
    assert schema_type(CETERMS + "OpenBadge", vocab=vocab) == "EducationalOccupationalCredential"
    assert schema_type(CETERMS + "LearningProgram", vocab=vocab) == "EducationalOccupationalProgram"
    assert schema_type(CETERMS + "Course", vocab=vocab) == "Course"
    assert schema_type(CETERMS + "LearningOpportunityProfile", vocab=vocab) == "Course"
    assert schema_type(CETERMS + "AssessmentProfile", vocab=vocab) == "LearningResource"
    four_year = "https://purl.org/ctdl/vocabs/orgType/FourYear"
    assert four_year in EDUCATIONAL_ORG_TYPES
    assert schema_type(CETERMS + "CredentialOrganization", [four_year], vocab) == "EducationalOrganization"
    assert schema_type(CETERMS + "CredentialOrganization", ["https://purl.org/ctdl/vocabs/orgType/Vendor"],
                       vocab) == "Organization"
    assert schema_type(CETERMS + "QACredentialOrganization", vocab=vocab) == "Organization"
    assert schema_type("https://purl.org/ctdlasn/terms/CompetencyFramework", vocab=vocab) == "DefinedTermSet"
    assert schema_type(CETERMS + "Pathway", vocab=vocab) == "Thing"
    assert schema_type("", vocab=vocab) == "Thing"


def test_number():
    assert number("4500") == 4500 and isinstance(number("4500"), int)
    assert number("12000.50") == 12000.5
    assert number("1E+3") == 1000
    assert number("free") == "free"
    assert number("NaN") == "NaN"


def test_a_price_beyond_64_bits_is_written_whole(renderer):
    """A valid xsd:decimal of any size: schema.org's description writes it as the number it is (the
    fast JSON encoder refuses integers beyond 64 bits; the page does not fail)."""
    ttl = CREDENTIAL_TTL.replace('"12000.50"^^xsd:decimal', '"100000000000000000000"^^xsd:decimal')
    assert ttl != CREDENTIAL_TTL
    html = renderer.resource_page(CRED_CTID, parse(ttl), main_iri=CRED, lookup=lookup, jsonld="{}")
    assert '"price":100000000000000000000' in html


def test_every_demo_type(demo, renderer):
    """Each CTDL type gets its schema.org type and key properties, and the JSON-LD parses into triples."""
    seen = set()
    for doc in demo.docs:
        local = demo.type_of(doc)
        if local in seen:
            continue
        seen.add(local)
        data = schema_of(demo.render(renderer, doc))
        expected = "EducationalOccupationalCredential" if local in CREDENTIALS else EXPECTED_TYPES.get(local)
        if local == "CredentialOrganization":
            assert data["@type"] in ("EducationalOrganization", "Organization")
        else:
            assert data["@type"] == expected, local
        assert data["@id"] == doc.iri
        assert data["name"] == demo.by_ctid[doc.ctid].name
        assert data["url"] == f"{BASE}/resources/{doc.ctid}"
        assert data["identifier"] == {"@type": "PropertyValue", "propertyID": "CTID", "value": doc.ctid}
        triples = to_triples(data)
        types = [t.object.value for t in triples if t.subject.value == doc.iri and t.predicate.value == RDF_TYPE]
        assert types == [SDO + data["@type"]]
        assert [o.value for o in objects(triples, doc.iri, "name")] == [data["name"]]
        if data["@type"] == "EducationalOccupationalCredential":
            assert data["credentialCategory"]["name"] == renderer.vocab.label(CETERMS + local)
            assert data["offers"] and data["provider"] and data["occupationalCategory"]
            assert data["educationalLevel"]
        elif data["@type"] == "EducationalOccupationalProgram":
            assert data["provider"] and data["offers"] and data["timeToComplete"].startswith("P")
            assert "inLanguage" not in data and "keywords" not in data  # not properties of a program
        elif data["@type"] == "Course":
            assert data["provider"] and data["offers"]
            assert data["hasCourseInstance"][0]["courseMode"] in ("Onsite", "Online", "Blended")
            if local == "Course":
                assert data["courseCode"]
        elif data["@type"] == "LearningResource":
            assert data["learningResourceType"] == "Assessment" and data["educationalUse"] == "assessment"
            assert data["provider"] and data["offers"] and data["timeRequired"].startswith("PT")
        elif data["@type"] in ("Organization", "EducationalOrganization"):
            assert data["address"][0]["@type"] == "PostalAddress" and data["address"][0]["addressLocality"]
            assert data["email"] and data["sameAs"]
        elif data["@type"] == "DefinedTermSet":
            terms = data["hasDefinedTerm"]
            assert terms and all(t["url"].startswith(f"{BASE}/resources/{doc.ctid}#item-ce-") for t in terms)
            assert data["publisher"][0]["name"]
    assert seen == CREDENTIALS | set(EXPECTED_TYPES) | {"CredentialOrganization"}


def test_demo_organizations_educational_or_not(demo, renderer):
    kinds = set()
    for doc in demo.docs:
        if demo.type_of(doc).endswith("Organization"):
            kinds.add(schema_of(demo.render(renderer, doc))["@type"])
    assert kinds == {"EducationalOrganization", "Organization"}


# ---------------------------------------------------------------------------
# The JSON-LD says what the page shows
# ---------------------------------------------------------------------------


def test_credential_matches_the_page(demo, renderer):
    checked = 0
    for doc in demo.docs:
        if demo.type_of(doc) not in CREDENTIALS:
            continue
        html = demo.render(renderer, doc)
        data, text = schema_of(html), page_text(html)
        assert data["name"] in text and data["description"] in text
        assert data["credentialCategory"]["name"] in text
        for offer in data["offers"]:
            # "Tuition: $4,500 USD" on the page; price 4500 and priceCurrency USD in the JSON-LD
            assert f"{offer['name']}: {format_price(str(offer['price']), offer['priceCurrency'])}" in text
        for org in data["provider"] + data.get("recognizedBy", []):
            assert org["name"] in text
            assert f'href="{org["url"]}"' in html
        for level in data["educationalLevel"]:
            assert level in text
        for occupation in data["occupationalCategory"]:
            assert occupation["name"] in text and occupation["codeValue"] in text
        for competency in data.get("competencyRequired", []):
            assert competency["name"] in text
            assert f'href="{competency["url"]}"' in html
            assert competency["url"].startswith(f"{BASE}/resources/") and "#item-ce-" in competency["url"]
            checked += 1
        for keyword in data["keywords"]:
            assert keyword in text
    assert checked > 5


def test_program_course_assessment_match_the_page(demo, renderer):
    for local in ("LearningProgram", "Course", "AssessmentProfile", "LearningOpportunityProfile"):
        for doc in [d for d in demo.docs if demo.type_of(d) == local][:5]:
            html = demo.render(renderer, doc)
            data, text = schema_of(html), page_text(html)
            assert data["name"] in text
            for offer in data["offers"]:
                assert f"{offer['name']}: {format_price(str(offer['price']), offer['priceCurrency'])}" in text
            for provider in data["provider"]:
                assert provider["name"] in text
            if "numberOfCredits" in data:
                credits = data["numberOfCredits"]
                assert f"{credits['value']} {credits['unitText']}" in text
            for term in data.get("teaches", []) + data.get("assesses", []):
                assert term["name"] in text


def test_framework_terms_match_the_tree(renderer):
    html = renderer.resource_page(FW_CTID, parse(FRAMEWORK_TTL), main_iri=FW, lookup=lookup, jsonld="{}")
    data = schema_of(html)
    checker = check_html(html)
    assert data["@type"] == "DefinedTermSet" and data["name"] == "IT Skills Framework"
    terms = {t["name"]: t for t in data["hasDefinedTerm"]}
    assert set(terms) == {"Program computers", "Write Python <b>code</b>", "Write SQL", "Join tables",
                          "Operate networks", "Orphan skill"}
    first = terms["Program computers"]
    assert first["termCode"] == "A"
    assert first["url"] == f"{BASE}/resources/{FW_CTID}#item-ce-aaaaaaaa-0000-4000-8000-000000000001"
    for term in terms.values():
        assert term["url"].split("#")[1] in checker.ids
    assert data["publisher"] == [{"@type": "Organization", "name": "Example University",
                                  "url": f"{BASE}/resources/{ORG_CTID}", "@id": ORG}]


def test_nested_credential(renderer):
    html = renderer.resource_page(CRED_CTID, parse(NESTED_TTL), main_iri=CRED, lookup=lookup, jsonld="{}")
    data = schema_of(html)
    assert data["@type"] == "EducationalOccupationalCredential"
    assert data["offers"] == [{"@type": "Offer", "name": "Tuition", "category": "Tuition", "price": 4500,
                               "priceCurrency": "USD", "description": "Tuition for full-time students. (per year)"}]
    assert {"@type": "DefinedTerm", "name": "Program computers",
            "url": f"{BASE}/resources/{FW_CTID}#item-ce-aaaaaaaa-0000-4000-8000-000000000001",
            "inDefinedTermSet": f"{BASE}/resources/{FW_CTID}"} in data["competencyRequired"]
    assert {"@type": "DefinedTerm", "name": "Weld seams", "termCode": "W.1"} in data["competencyRequired"]
    assert "Tuition: $4,500 USD (per year)" in page_text(html)
    triples = to_triples(data)
    offer = objects(triples, CRED, "offers")[0]
    assert [o.value for o in objects(triples, offer.value, "price")] == ["4500"]
    assert [o.value for o in objects(triples, offer.value, "priceCurrency")] == ["USD"]


def test_organization(renderer):
    html = renderer.resource_page(ORG_CTID, parse(ORG_TTL), main_iri=ORG, lookup=lookup, jsonld="{}")
    data = schema_of(html)
    assert data["@type"] == "EducationalOrganization"  # agentType Four-Year College
    assert data["address"] == [{"@type": "PostalAddress", "streetAddress": "1 Main St",
                                "addressLocality": "Springfield"}]
    assert data["email"] == "info@example.org" and data["telephone"] == "+1 555 0100"
    assert data["sameAs"] == ["https://example.org/"]
    triples = to_triples(data)
    address = objects(triples, ORG, "address")[0]
    assert [o.value for o in objects(triples, address.value, "addressLocality")] == ["Springfield"]


def test_unknown_organizations_are_referenced_by_address(renderer):
    html = renderer.resource_page(CRED_CTID, parse(CREDENTIAL_TTL), main_iri=CRED, lookup=lookup, jsonld="{}")
    data = schema_of(html)
    # offeredBy an organization not published here: its IRI (shown as a link on the page)
    assert data["provider"] == [{"@type": "Organization", "@id": "https://elsewhere.example/org/7",
                                 "url": "https://elsewhere.example/org/7"}]
    assert 'href="https://elsewhere.example/org/7"' in html


# ---------------------------------------------------------------------------
# Escaping
# ---------------------------------------------------------------------------


def test_script_end_tag_in_names_cannot_escape(renderer):
    evil = "Evil </script><script>alert(1)</script> & <!-- more"
    ttl = f"""
@prefix ceterms: <https://purl.org/ctdl/terms/> .
<{CRED}> a ceterms:Certificate ; ceterms:ctid "{CRED_CTID}" ; ceterms:name {json.dumps(evil)} ;
  ceterms:description "</SCRIPT >" ; ceterms:keyword "a</script>b" ; ceterms:ownedBy <{ORG}> .
"""
    owner = ResourceSummary(ORG_CTID, ORG, CETERMS + "CredentialOrganization", "Org </script> <b>")
    html = renderer.resource_page(CRED_CTID, parse(ttl), main_iri=CRED, lookup={ORG: owner}.get, jsonld="{}")
    assert "<script>alert" not in html
    data = schema_of(html)  # exactly two scripts, neither with < > &
    assert data["name"] == evil
    assert data["description"] == "</SCRIPT >"
    assert data["keywords"] == ["a</script>b"]
    assert data["provider"][0]["name"] == "Org </script> <b>"


def test_describe_from_triples_alone():
    """describe() works on plain triples, without a page or look-ups."""
    data = describe(parse(ORG_TTL), ORG)
    assert data["@type"] == "EducationalOrganization"
    assert data["name"] == "Example University"
    assert "url" not in data
    assert data["identifier"]["value"] == ORG_CTID


ODD_TTL = """
@prefix ceterms: <https://purl.org/ctdl/terms/> .
@prefix ceasn: <https://purl.org/ctdlasn/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://ex.org/c/1> a ceterms:Certificate ;
  ceterms:name "Certificat"@fr, "Certificate"@en-US ;
  ceterms:description "Beschreibung"@de, "Plain description" ;
  ceterms:keyword "un"@fr, "one"@en-us, "two"@en-us, "plain", "one"@en-us ;
  ceterms:inLanguage "en", "fr" ;
  ceasn:inLanguage "en" ;
  ceterms:subjectWebpage <https://ex.org/c/1/page>, <urn:x:1>, <HTTPS://EX.ORG/UPPER>, <https://ex.org/c/1/page> ;
  ceterms:audienceLevelType <https://purl.org/ctdl/vocabs/audLevel/BeginnerLevel>, _:level, "Free text level" ;
  ceterms:estimatedCost _:cost1, _:cost2, _:cost3, _:undescribed ;
  ceterms:renewalFrequency "R5" ;
  ceterms:estimatedDuration _:d1, _:d2 ;
  ceterms:occupationType _:occ ;
  ceterms:offeredBy <urn:not:http> ;
  ceterms:ownedBy <https://elsewhere.example/org/9> .
_:level ceterms:targetNodeName ""@en, "Niveau"@fr ; ceterms:targetNode <https://ex.org/level/x> .
_:cost1 ceterms:price "100000000000000000000"^^xsd:decimal ; ceterms:currency "USD" ;
  ceterms:directCostType _:kind1, _:kind2 ; ceterms:paymentPattern "per year"@en ;
  ceterms:costDetails <ftp://ex.org/x>, <https://ex.org/cost> .
_:kind1 ceterms:targetNodeName "Tuition"@en-us .
_:kind2 ceterms:targetNode <https://purl.org/ctdl/vocabs/costType/Application> .
_:cost2 ceterms:price " 0012.000 " ; ceterms:name ""@en, "Fees"@de ; ceterms:description "Desc"@en-gb, "Desc US"@en-us .
_:cost3 ceterms:price "NaN" ; ceterms:price "1e3" .
_:d1 ceterms:description "no exact duration" .
_:d2 ceterms:exactDuration "P2Y" .
_:occ ceterms:codedNotation "15-1252", "15-1253" ; ceterms:frameworkName "SOC"@en ;
  ceterms:targetNode <https://ex.org/occ/15-1252> .
"""


def test_odd_values():
    """Several languages, empty and untagged texts, blank and undescribed nodes, literals where nodes are
    expected, numbers of any size: English text wins, then untagged text; the first text of each wins."""
    data = describe(parse(ODD_TTL), "https://ex.org/c/1", ctid="ce-x")
    assert json.dumps(data) == json.dumps({
        "@context": "https://schema.org", "@type": "EducationalOccupationalCredential", "@id": "https://ex.org/c/1",
        "name": "Certificate", "description": "Plain description",
        "identifier": {"@type": "PropertyValue", "propertyID": "CTID", "value": "ce-x"},
        "sameAs": ["https://ex.org/c/1/page", "HTTPS://EX.ORG/UPPER"],
        "credentialCategory": {"@type": "DefinedTerm", "name": "Certificate", "termCode": "Certificate",
                               "inDefinedTermSet": "https://purl.org/ctdl/terms/"},
        "educationalLevel": ["Beginner Level", "https://ex.org/level/x", "Free text level"],
        "offers": [{"@type": "Offer", "name": "Tuition & Application", "category": ["Tuition", "Application"],
                    "price": 100000000000000000000, "priceCurrency": "USD", "description": "per year",
                    "url": "https://ex.org/cost"},
                   {"@type": "Offer", "price": 12, "description": "Desc US"},
                   {"@type": "Offer", "price": "NaN"}],
        "provider": [{"@type": "Organization", "@id": "https://elsewhere.example/org/9",
                      "url": "https://elsewhere.example/org/9"}],
        "timeRequired": "P2Y",
        "occupationalCategory": [{"@type": "CategoryCode", "codeValue": "15-1252",
                                  "inCodeSet": {"@type": "CategoryCodeSet", "name": "SOC"},
                                  "url": "https://ex.org/occ/15-1252"}],
        "inLanguage": ["en", "fr"], "keywords": ["one", "two", "plain"],
    })


def test_number_shortcut_agrees():
    """Whole numbers read without Decimal give what Decimal gives (and beyond 64 bits, Decimal reads them)."""
    for text in ("0", "007", "4500", "9" * 18, "9" * 19, "1" * 5000, "\u0663", "", " 42 "):
        expected = text
        try:
            value = Decimal(text.strip())
            expected = int(value) if value.is_finite() and value == value.to_integral_value() else expected
        except InvalidOperation:
            pass
        assert number(text) == expected and type(number(text)) is type(expected), text
