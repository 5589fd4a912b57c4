"""SHACL validation: the generated shapes, the runner, and the report."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from registry.namespaces import CEASN, CETERMS, SKOS
from registry.paths import SHAPES_DIR
from registry.shapes import Report, validate, validate_many
from registry.shapes.convert import to_rdflib
from registry.shapes.generate import render
from registry.shapes.policy import RECOMMENDS, REQUIRES, PolicyError, read_policy, read_rows
from registry.shapes.results import _fields
from registry.shapes.targets import CLASS_PARAMETER
from registry.shapes.validate import load_shapes
from registry.vocab import vocabulary

SAMPLES = Path("/work/shared/ctdl/samples")
CTID = "ce-5d1b3c8a-0c2e-4b6f-9a51-3f2d8e7c6b10"
IRI = "https://credentialengineregistry.org/resources/" + CTID
ORG = "https://credentialengineregistry.org/resources/ce-0f7a4e12-9b3c-4d5e-8f6a-1b2c3d4e5f60"
PREFIXES = """
@prefix ceterms: <https://purl.org/ctdl/terms/> .
@prefix ceasn: <https://purl.org/ctdlasn/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# A credential with every required property, as (predicate, object) Turtle pairs.
VALID = {
    "a": "ceterms:Certificate",
    "ceterms:ctid": f'"{CTID}"',
    "ceterms:name": '"Welding Certificate"@en',
    "ceterms:description": '"Entry-level structural welding."@en',
    "ceterms:subjectWebpage": "<https://example.edu/welding>",
    "ceterms:inLanguage": '"en"',
    "ceterms:credentialStatusType": "[ a ceterms:CredentialAlignmentObject ; "
    "ceterms:targetNode <https://purl.org/ctdl/vocabs/credentialStat/Active> ]",
    "ceterms:ownedBy": f"<{ORG}>",
    "ceterms:requires": '[ a ceterms:ConditionProfile ; ceterms:description "Finish the course."@en ]',
}


def triples(turtle: str) -> list[ox.Triple]:
    return list(ox.parse(PREFIXES + turtle, format=ox.RdfFormat.TURTLE))


def resource(props: dict[str, str | None], iri: str = IRI) -> list[ox.Triple]:
    """A one-resource document; a value of None leaves the property out."""
    body = " ;\n    ".join(f"{p} {o}" for p, o in props.items() if o is not None)
    return triples(f"<{iri}> {body} .")


def credential(changes: dict[str, str | None] | None = None) -> list[ox.Triple]:
    """The valid credential with some properties replaced (None removes one)."""
    return resource({**VALID, **(changes or {})})


def at(report: Report, path: str, severity: str | None = None, focus: str | None = None) -> list:
    """The results about ``path`` (of one severity, on one focus node)."""
    return [
        r
        for r in report.results
        if r.path == path and severity in (None, r.severity) and focus in (None, r.focus_node)
    ]


# --- the policy and its corrections ------------------------------------------------------------


def test_policy_corrections_are_applied():
    policy = read_policy(vocabulary())

    def rules(cls):
        return {frozenset(r.properties): r.level for r in policy[cls]}

    assert rules(CETERMS + "ApprenticeshipCertificate")[frozenset({CETERMS + "advancedStandingFrom"})] == RECOMMENDS
    assert frozenset({SKOS + "hasTopConcept"}) not in rules(SKOS + "Concept")
    assert rules(SKOS + "ConceptScheme")[frozenset({SKOS + "hasTopConcept"})] == REQUIRES
    competency = rules(CEASN + "Competency")
    assert frozenset({CEASN + "name"}) not in competency and frozenset({CEASN + "description"}) not in competency
    assert competency[frozenset({CEASN + "competencyText"})] == REQUIRES
    assert competency[frozenset({CEASN + "inLanguage"})] == RECOMMENDS
    assert rules(CETERMS + "Job")[frozenset({CETERMS + "description"})] == REQUIRES  # also listed as recommended
    assert frozenset({CETERMS + "isPartOf"}) not in rules(CETERMS + "Job")


def test_policy_refuses_unexplained_rows(tmp_path):
    rows = read_rows()
    bad_level = tmp_path / "level.tsv"
    bad_level.write_text("ceterms:Badge\tRequirez\tceterms:name\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="unknown level"):
        read_policy(vocabulary(), bad_level)
    off_domain = tmp_path / "domain.tsv"
    lines = [f"{c}\t{level}\t{p}\n" for c, level, p in rows]
    off_domain.write_text("".join(lines) + "ceterms:ConditionProfile\tRequires\tceterms:credentialStatusType\n")
    with pytest.raises(PolicyError, match="domainIncludes"):
        read_policy(vocabulary(), off_domain)


def test_generated_shapes_are_up_to_date():
    assert (SHAPES_DIR / "ctdl.ttl").read_text(encoding="utf-8") == render(), (
        "run python -m registry.shapes.generate"
    )


def test_every_policy_class_and_credential_subclass_is_targeted():
    vocab = vocabulary()
    shapes = Graph().parse(SHAPES_DIR / "ctdl.ttl")
    targeted = {str(c) for c in shapes.objects(None, SH.targetClass)}
    targeted |= {str(c) for t in shapes.objects(None, SH.target) for c in shapes.objects(t, URIRef(CLASS_PARAMETER))}
    policy_classes = set(read_policy(vocab))
    credentials = vocab.subclasses(CETERMS + "Credential")
    assert len(credentials) == 48
    missing = (policy_classes | credentials | {CETERMS + "Course", CETERMS + "LearningProgram"}) - targeted
    assert not missing


# --- credentials -------------------------------------------------------------------------------


def test_valid_credential_conforms():
    report = validate(credential())
    assert report.conforms, report.to_text()
    assert report.violations == []
    assert report.warnings  # recommended properties are missing


def test_missing_name_is_a_violation_naming_property_and_node():
    report = validate(credential({"ceterms:name": None}))
    assert not report.conforms
    [result] = at(report, "ceterms:name", "Violation")
    assert result.focus_node == IRI
    assert result.focus_label == "the resource (Certificate)"
    assert result.property_label == "Name"
    assert "Name (ceterms:name)" in result.message
    assert result.message.startswith("A credential must have")
    assert result.expected == "at least one value"
    assert result.found is None and result.value is None


def test_missing_recommended_property_is_a_warning_only():
    report = validate(credential())
    [keyword] = at(report, "ceterms:keyword")
    assert keyword.severity == "Warning"
    assert "should have" in keyword.message
    assert report.conforms


def test_bad_ctid_is_a_violation():
    report = validate(credential({"ceterms:ctid": '"ce-NOT-A-UUID"'}))
    [result] = at(report, "ceterms:ctid", "Violation")
    assert result.value == "ce-NOT-A-UUID"
    assert "lower-case UUID" in result.message
    assert result.expected.startswith("text matching the pattern ^ce-")


@pytest.mark.parametrize("owner", ["ceterms:ownedBy", "ceterms:offeredBy"])
def test_owned_by_or_offered_by_is_enough(owner):
    report = validate(credential({"ceterms:ownedBy": None, owner: f"<{ORG}>"}))
    assert report.conforms, report.to_text()
    assert not at(report, "ceterms:ownedBy|ceterms:offeredBy")


def test_neither_owned_by_nor_offered_by_is_a_violation():
    report = validate(credential({"ceterms:ownedBy": None}))
    [result] = at(report, "ceterms:ownedBy|ceterms:offeredBy", "Violation")
    assert result.property_label == "Owned By or Offered By"
    assert "at least one of Owned By (ceterms:ownedBy) or Offered By (ceterms:offeredBy)" in result.message


@pytest.mark.parametrize(
    "cls, inherited_from",
    [("AcademicCertificate", "Certificate"), ("BachelorOfScienceDegree", "BachelorDegree"),
     ("ProfessionalCertificate", "Certificate"), ("Credential", None)],
)  # fmt: skip
def test_credential_types_outside_the_policy_get_the_credential_rules(cls, inherited_from):
    report = validate(credential({"a": f"ceterms:{cls}", "ceterms:name": None}))
    [result] = at(report, "ceterms:name", "Violation")
    assert result.focus_label == f"the resource ({cls})"
    assert result.message.startswith("A credential must")
    extras = at(report, "ceterms:hasPart", "Warning")  # recommended for Certificate and BachelorDegree
    assert bool(extras) == (inherited_from is not None)


@pytest.mark.parametrize("cls", ["Course", "LearningProgram"])
def test_courses_and_programs_get_the_learning_opportunity_rules(cls):
    report = validate(credential({"a": f"ceterms:{cls}", "ceterms:credentialStatusType": None}))
    [result] = at(report, "ceterms:availableAt|ceterms:availableOnlineAt|ceterms:availabilityListing", "Violation")
    assert "learning opportunity profile must" in result.message
    assert not at(report, "ceterms:credentialStatusType")


# --- nested profiles, references, formats -----------------------------------------------------------


def test_condition_profile_without_description_has_a_readable_path():
    report = validate(
        credential(
            {
                "ceterms:requires": '[ a ceterms:ConditionProfile ; ceterms:description "Be 18."@en ], '
                '[ a ceterms:ConditionProfile ; ceterms:name "Admission"@en ]'
            }
        )
    )
    [result] = at(report, "ceterms:description", "Violation")
    assert result.focus_label == "requires[1] (ConditionProfile)"
    assert result.focus_node.startswith("_:")
    assert result.message.startswith("A condition profile must have a value for Description (ceterms:description)")


def test_cost_profile_requires_details_and_description():
    report = validate(
        credential({"ceterms:estimatedCost": '[ a ceterms:CostProfile ; ceterms:price "10"^^xsd:decimal ]'})
    )
    labels = {(r.path, r.focus_label) for r in report.violations}
    assert labels == {
        ("ceterms:costDetails", "estimatedCost[0] (CostProfile)"),
        ("ceterms:description", "estimatedCost[0] (CostProfile)"),
    }


def test_references_only_need_a_name_and_webpage():
    accreditor = '[ a ceterms:QACredentialOrganization ; ceterms:name "Board"@en ; ceterms:subjectWebpage <https://board.example> ]'
    report = validate(credential({"ceterms:accreditedBy": accreditor}))
    assert report.conforms, report.to_text()
    report = validate(credential({"ceterms:accreditedBy": '[ a ceterms:QACredentialOrganization ; ceterms:name "Board"@en ]'}))
    [result] = report.violations
    assert (result.path, result.focus_label) == ("ceterms:subjectWebpage", "accreditedBy[0] (QACredentialOrganization)")
    assert result.message.startswith("A reference to a resource that is not described in this document must")


def test_blank_node_with_a_ctid_is_a_described_resource():
    other = '[ a ceterms:QACredentialOrganization ; ceterms:ctid "ce-11111111-2222-4333-8444-555555555555" ; ceterms:name "Board"@en ]'
    report = validate(credential({"ceterms:accreditedBy": other}))
    assert at(report, "ceterms:agentType", "Violation")
    assert report.violations[0].focus_label.startswith("ce-11111111-2222-4333-8444-555555555555 (QACredentialOrganization)")


@pytest.mark.parametrize("value", ['"https://example.edu/welding"', "<ftp://example.edu/welding>", '"www.example.edu"'])
def test_web_addresses_must_be_http_iris(value):
    report = validate(credential({"ceterms:subjectWebpage": value}))
    [result] = at(report, "ceterms:subjectWebpage", "Violation")
    assert "web address" in result.message
    assert result.found


def test_target_node_may_be_any_iri():
    # industryType's scheme (a classification) has no concepts in the vocabulary: any IRI will do.
    industry = "[ a ceterms:CredentialAlignmentObject ; ceterms:targetNode <naics:611310> ]"
    assert validate(credential({"ceterms:industryType": industry})).conforms


def test_plain_strings_are_a_warning():
    report = validate(credential({"ceterms:name": '"Welding Certificate"'}))
    [result] = at(report, "ceterms:name", focus=IRI)
    assert result.severity == "Warning"
    assert result.expected == "language-tagged text (rdf:langString)"
    assert "plain string" in result.found
    assert report.conforms


def test_unknown_classes_yield_no_results():
    doc = triples(
        f'<{IRI}> a <https://example.org/Thing> ; ceterms:ctid "nonsense" ; ceterms:subjectWebpage "x" .'
        '[] a ceterms:GeoCoordinates ; ceterms:name "Campus" .'
    )
    report = validate(doc)
    assert report.conforms and report.results == []


def test_competency_framework_members_are_named_by_ctid():
    framework = "ce-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
    member = "ce-11111111-2222-4333-8444-555555555555"
    base = "https://credentialengineregistry.org/resources/"
    doc = triples(
        f'<{base}{framework}> a ceasn:CompetencyFramework ; ceterms:ctid "{framework}" ; '
        f'ceasn:name "Welding"@en ; ceasn:description "Skills."@en ; ceasn:inLanguage "en" ; '
        f"ceasn:publisher <{ORG}> ; ceasn:hasTopChild <{base}{member}> .\n"
        f'<{base}{member}> a ceasn:Competency ; ceterms:ctid "{member}" ; ceasn:isPartOf <{base}{framework}> .'
    )
    report = validate(doc)
    [result] = report.violations
    assert (result.path, result.focus_label) == ("ceasn:competencyText", f"{member} (Competency)")


# --- nested profiles the policy TSV does not cover ---------------------------------------------------


def test_policy_additions_are_rules_of_their_own():
    policy = read_policy(vocabulary())
    contact = policy[CETERMS + "ContactPoint"]
    assert [(r.level, r.properties) for r in contact] == [
        (REQUIRES, tuple(CETERMS + p for p in ("email", "telephone", "socialMedia", "faxNumber")))
    ]
    assert all(r.added and r.note for r in contact)
    # PostalAddress is a ContactPoint subclass, but a mailing address: it has its own (recommended) rule.
    assert {r.level for r in policy[CETERMS + "PostalAddress"]} == {RECOMMENDS}


def test_policy_refuses_an_addition_for_a_class_in_the_tsv(monkeypatch):
    from registry.shapes import policy

    extra = policy.Addition("ceterms:ConditionProfile", "test", ((REQUIRES, "ceterms:name"),))
    monkeypatch.setattr(policy, "ADDITIONS", policy.ADDITIONS + (extra,))
    with pytest.raises(PolicyError, match="has TSV rows"):
        read_policy(vocabulary())


@pytest.mark.parametrize(
    "node, path, severity",
    [
        ("[ a ceterms:ContactPoint ; ceterms:name \"Organization Contact Information\"@en ]",
         "ceterms:email|ceterms:telephone|ceterms:socialMedia|ceterms:faxNumber", "Violation"),
        ("[ a ceterms:Place ; ceterms:targetContactPoint [ a ceterms:ContactPoint ; ceterms:telephone \"555\" ] ]",
         "ceterms:name|ceterms:streetAddress|ceterms:postOfficeBoxNumber|ceterms:addressLocality|"
         "ceterms:addressRegion|ceterms:postalCode|ceterms:addressCountry|ceterms:geoURI|ceterms:latitude", "Warning"),
        ("[ a ceterms:PostalAddress ]",
         "ceterms:streetAddress|ceterms:postOfficeBoxNumber|ceterms:addressLocality|ceterms:addressRegion|"
         "ceterms:postalCode|ceterms:addressCountry", "Warning"),
    ],
)  # fmt: skip
def test_contact_points_and_places(node, path, severity):
    report = validate(credential({"ceterms:address": node}))
    [result] = [r for r in at(report, path) if r.focus_label.startswith("address[0]")]
    assert result.severity == severity
    assert result.hint.startswith("Add at least one of" if severity == "Violation" else "If you can, add")
    assert not at(report, "ceterms:email|ceterms:telephone|ceterms:socialMedia|ceterms:faxNumber", "Warning")


def test_duration_jurisdiction_identifier_and_process_profiles():
    report = validate(
        credential(
            {
                "ceterms:estimatedDuration": "[ a ceterms:DurationProfile ; ceterms:description \"About a year.\"@en ]",
                "ceterms:jurisdiction": "[ a ceterms:JurisdictionProfile ; ceterms:description \"US\"@en ]",
                "ceterms:identifier": "[ a ceterms:IdentifierValue ; ceterms:identifierTypeName \"ISBN\"@en ]",
                "ceterms:administrationProcess": '[ a ceterms:ProcessProfile ; ceterms:processFrequency "Yearly"@en ]',
            }
        )
    )
    violations = {(r.focus_label, r.path) for r in report.violations}
    assert violations == {
        ("jurisdiction[0] (JurisdictionProfile)", "ceterms:globalJurisdiction|ceterms:mainJurisdiction"),
        ("identifier[0] (IdentifierValue)", "ceterms:identifierValueCode"),
        ("administrationProcess[0] (ProcessProfile)", "ceterms:description"),
    }
    # A described duration is enough; a machine-readable one is recommended.
    [duration] = [r for r in report.results if r.focus_label == "estimatedDuration[0] (DurationProfile)"]
    assert duration.severity == "Warning"
    assert duration.path == "ceterms:exactDuration|ceterms:minimumDuration|ceterms:maximumDuration|ceterms:timeRequired"


# --- dates, concepts, organizations ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, hint",
    [
        ('"2024-02-30"^^xsd:date', "2024-02-30 is not a day of the calendar"),
        ('"09/01/2024"', "Write the date as YYYY-MM-DD, such as 2024-09-01."),
        ('"2024-09-01T10:00:00"', "Keep only the date: 2024-09-01."),
        ('"2024-09-01T10:00:00"^^xsd:dateTime', "Keep only the date: 2024-09-01."),
        ("<https://example.org/2024-09-01>", "Write the date as YYYY-MM-DD"),
    ],
)
def test_malformed_dates_are_violations(value, hint):
    report = validate(credential({"ceterms:dateEffective": value}))
    [result] = at(report, "ceterms:dateEffective", "Violation")
    assert result.expected == "a date like 2024-09-01 (xsd:date)"
    assert result.message.startswith("Date Effective (ceterms:dateEffective) must be a date written YYYY-MM-DD")
    assert result.found and result.value
    assert result.hint.startswith(hint)


@pytest.mark.parametrize("value", ['"2024-09-01"^^xsd:date', '"2024-09-01"', '"2024-09-01Z"^^xsd:date'])
def test_well_formed_dates_conform(value):
    assert not at(validate(credential({"ceterms:dateEffective": value})), "ceterms:dateEffective")


def test_dates_are_checked_on_any_node_and_date_times_need_a_time():
    doc = triples(
        '[] ceterms:startDate "next spring" .\n'  # an untyped node: still checked
        '[] a ceasn:CompetencyFramework ; ceasn:dateModified "2024-09-01" .'
    )
    report = validate(doc, only_shapes=False)
    start = at(report, "ceterms:startDate", "Violation")
    modified = at(report, "ceasn:dateModified", "Violation")
    assert len(start) == 1 and len(modified) == 1
    assert modified[0].expected == "a date and time like 2024-09-01T09:00:00Z (xsd:dateTime)"
    assert modified[0].hint == "Add a time of day, such as 2024-09-01T00:00:00Z."


def _status(target: str) -> dict:
    return {"ceterms:credentialStatusType": f"[ a ceterms:CredentialAlignmentObject ; ceterms:targetNode {target} ]"}


@pytest.mark.parametrize(
    "target, hint",
    [
        ("<https://purl.org/ctdl/vocabs/credentialStat/active>", "Did you mean credentialStat:Active?"),
        ("<credentialStat:Active>", "Did you mean credentialStat:Active?"),  # a CURIE the context did not expand
        ("<https://purl.org/ctdl/vocabs/credentialStat/Retired>", "Use one of the Credential Status concepts"),
        ("<https://purl.org/ctdl/vocabs/audLevel/BeginnerLevel>",
         "audLevel:BeginnerLevel is a concept of Audience Level"),
    ],
)  # fmt: skip
def test_concepts_must_come_from_the_scheme(target, hint):
    report = validate(credential(_status(target)))
    [result] = report.violations
    assert result.path == "ceterms:credentialStatusType/ceterms:targetNode"
    assert result.focus_label == "the resource (Certificate)"
    assert result.property_label == "Credential Status Type"
    assert result.expected == (
        "one of: Active, Ceasing, Deprecated, Probationary, Suspended, Teach Out (Credential Status)"
    )
    assert "Credential Status scheme (ceterms:CredentialStatus)" in result.message
    assert result.found.endswith("(an IRI)")
    assert result.hint.startswith(hint)


def test_concepts_given_directly_and_in_the_https_form():
    published = "<https://purl.org/ctdlasn/vocabs/publicationStatus/Published>"  # vocabulary: http://...
    framework = (
        f'<{IRI}> a ceasn:CompetencyFramework ; ceterms:ctid "{CTID}" ; ceasn:publicationStatusType {{}} .'
    )
    assert not at(validate(triples(framework.format(published))), "ceasn:publicationStatusType")
    report = validate(triples(framework.format("<https://purl.org/ctdlasn/vocabs/publicationStatus/Final>")))
    [result] = [r for r in report.violations if r.path == "ceasn:publicationStatusType"]
    assert result.expected == "one of: Deprecated, Draft, Published (Publication Status Concept Scheme), " \
        "or an alignment object pointing to one"  # fmt: skip
    # A scheme with many concepts is summarised.
    report = validate(credential({"ceterms:audienceType": "[ a ceterms:CredentialAlignmentObject ; "
                                                          "ceterms:targetNode <https://example.org/x> ]"}))
    [result] = report.violations
    assert result.expected.startswith("one of the 29 concepts (Audience): ")


def test_organizations_are_iris_or_nodes_not_text():
    report = validate(credential({"ceterms:ownedBy": '"Acme University"', "ceterms:offeredBy": f"<{ORG}>"}))
    [result] = report.violations
    assert (result.path, result.value) == ("ceterms:ownedBy", "Acme University")
    assert result.expected == "an IRI or a nested node, not text"
    assert result.found == '"Acme University" (text)'
    assert "cannot be followed" in result.message and result.hint.startswith("Refer to the organization by its IRI")
    reference = (
        '[ a ceterms:CredentialOrganization ; ceterms:name "Acme"@en ; ceterms:subjectWebpage <https://acme.example> ]'
    )
    assert validate(credential({"ceterms:ownedBy": reference})).conforms


# --- properties outside CTDL (Info) -------------------------------------------------------------------


def test_properties_outside_ctdl_are_notes():
    doc = credential(
        {
            "ceterms:creditHourValue": '"3"^^xsd:integer',  # removed from CTDL
            "<https://credreg.net/qdata/terms/median>": '"5"',  # qdata: known
            "<https://schema.org/about>": "<https://example.org/x>",  # schema.org: known
            "<http://www.w3.org/ns/adms#status>": "<https://example.org/y>",  # adms: not known
        }
    ) + triples('<https://example.org/graph> <https://example.org/p> "untyped node" .')
    report = validate(doc)
    assert report.conforms
    infos = {(r.focus_node, r.path) for r in report.infos}
    assert infos == {
        (IRI, "ceterms:creditHourValue"),
        (IRI, "http://www.w3.org/ns/adms#status"),
        ("https://example.org/graph", "https://example.org/p"),
    }
    [credit] = at(report, "ceterms:creditHourValue", "Info")
    assert credit.message.startswith("Not a CTDL property") and "CTDL tools ignore it" in credit.message
    assert credit.found == 'ceterms:creditHourValue with the value "3" (xsd:integer)'
    assert credit.expected.startswith("a property defined by CTDL or CTDL-ASN, or one from a vocabulary")
    assert credit.hint.startswith("If you meant ceterms:creditValue, rename it")
    assert report.summary().endswith("3 notes.")
    assert report.to_json()["infos"] == 3
    assert "NOTES (3)" in report.to_text()


def test_properties_outside_ctdl_are_not_checked_with_only_extra_shapes(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:x:S> a sh:NodeShape .\n", encoding="utf-8")
    doc = credential({"ceterms:creditHourValue": '"3"^^xsd:integer'})
    assert validate(doc, extra_shapes=[extra], only_shapes=True).results == []


# --- hints ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, path, hint",
    [
        ({"ceterms:subjectWebpage": None}, "ceterms:subjectWebpage",
         "Add ceterms:subjectWebpage (Subject Webpage) with a full web address (URL) starting with https://."),
        ({"ceterms:credentialStatusType": None}, "ceterms:credentialStatusType",
         "Add ceterms:credentialStatusType (Credential Status Type) with a CredentialAlignmentObject whose "
         "ceterms:targetNode is a concept of Credential Status, such as credentialStat:Active."),
        ({"ceterms:ownedBy": None}, "ceterms:ownedBy|ceterms:offeredBy",
         "Add at least one of ceterms:ownedBy or ceterms:offeredBy, with the IRI of the organization"),
        ({"ceterms:ctid": '"CE-5D1B3C8A-0C2E-4B6F-9A51-3F2D8E7C6B10"'}, "ceterms:ctid",
         f"Write the CTID in lower case: {CTID}."),
        ({"ceterms:subjectWebpage": '"www.example.edu"'}, "ceterms:subjectWebpage",
         "Write the full web address, starting with https://, such as https://www.example.edu."),
        ({"ceterms:subjectWebpage": '"https://example.edu"'}, "ceterms:subjectWebpage",
         "Give the address as an IRI, not as text"),
        ({"ceterms:name": '"Welding"'}, "ceterms:name", "Say which language the text is in"),
        ({"ceterms:keyword": None}, "ceterms:keyword", "If you can, add ceterms:keyword (Keyword) with text"),
    ],
)  # fmt: skip
def test_results_say_how_to_fix_them(changes, path, hint):
    report = validate(credential(changes))
    [result] = [r for r in at(report, path) if r.focus_node == IRI]
    assert result.hint.startswith(hint), result.hint


def test_a_shape_may_give_its_own_hint(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ceterms: <https://purl.org/ctdl/terms/> .\n"
        "@prefix shape: <urn:ctdl-registry:shapes#> .\n"
        "<urn:x:S> a sh:NodeShape ; sh:targetClass ceterms:Certificate ;\n"
        '  sh:property [ sh:path ceterms:keyword ; sh:minCount 1 ; shape:hint "Ask the registrar." ] .\n',
        encoding="utf-8",
    )
    [result] = validate(credential(), extra_shapes=[extra], only_shapes=True).results
    assert result.hint == "Ask the registrar."


# --- API and report -------------------------------------------------------------------------------


def test_quads_and_many_documents():
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("urn:ctid:" + CTID)) for t in credential()]
    reports = validate_many([quads, credential({"ceterms:name": None})])
    assert [r.conforms for r in reports] == [True, False]


def test_to_json_structure():
    report = validate(credential({"ceterms:name": None, "ceterms:ctid": '"bad"'}))
    data = report.to_json()
    assert set(data) == {"conforms", "violations", "warnings", "infos", "results"}
    assert data["conforms"] is False
    assert data["violations"] == len(report.violations) == 2
    assert data["warnings"] == len(report.warnings) > 0
    assert data["infos"] == 0
    keys = {"severity", "focus_node", "focus_label", "path", "property_label", "property_definition",
            "message", "expected", "found", "value", "hint"}  # fmt: skip
    for result in data["results"]:
        assert set(result) == keys
        assert result["severity"] in ("Violation", "Warning", "Info")
        assert all(isinstance(result[k], str) for k in keys - {"found", "value", "path"})
    assert data["results"][0]["severity"] == "Violation"  # violations first
    name = next(r for r in data["results"] if r["path"] == "ceterms:name" and r["severity"] == "Violation")
    assert name["property_definition"] == "Name or title of the resource."
    json.dumps(data)


def test_to_text_is_readable():
    text = validate(credential({"ceterms:name": None})).to_text()
    lines = text.splitlines()
    assert lines[0].startswith("Does not conform: 1 violation, ")
    assert "VIOLATIONS (1)" in lines and any(line.startswith("WARNINGS (") for line in lines)
    assert "1. the resource (Certificate) - ceterms:name" in text
    assert "Expected at least one value; found nothing." in text
    assert "How to fix: Add ceterms:name (Name) with text and its language" in text
    assert max(len(line) for line in lines if not line.lstrip()[:1].isdigit()) <= 88
    assert validate(credential()).to_text().startswith("Conforms: no violations")


def test_extra_and_only_shapes(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ceterms: <https://purl.org/ctdl/terms/> .\n"
        "<urn:x:KeywordNeeded> a sh:NodeShape ; sh:targetClass ceterms:Certificate ;\n"
        '  sh:property [ sh:path ceterms:keyword ; sh:minCount 1 ; sh:message "Keywords, please." ] .\n',
        encoding="utf-8",
    )
    combined = validate(credential(), extra_shapes=[extra])
    assert any(r.message == "Keywords, please." and r.severity == "Violation" for r in combined.results)
    alone = validate(credential(), extra_shapes=[extra], only_shapes=True)
    assert [r.message for r in alone.results] == ["Keywords, please."]
    with pytest.raises(ValueError):
        validate(credential(), only_shapes=True)


# --- the fast runner gives pyshacl's results ---------------------------------------------------------


def _pyshacl_results(data: Graph, shapes: Graph) -> set:
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, advanced=True, allow_warnings=True)
    out = set()
    for node in report.subjects(SH.resultSeverity, None):
        fields = dict(report.predicate_objects(node))
        out.add(tuple(fields.get(p) for p in (SH.focusNode, SH.sourceShape, SH.sourceConstraintComponent, SH.value)))
    return out


def _runner_results(data: Graph) -> set:
    compiled, _texts = load_shapes()
    keys = (SH.focusNode, SH.sourceShape, SH.sourceConstraintComponent, SH.value)
    return {tuple(_fields(node, found).get(p) for p in keys) for _d, node, found in compiled.run(data)}


def _documents_for_equivalence():
    yield credential(
        {
            "ceterms:name": '"plain"',
            "ceterms:ownedBy": None,
            "ceterms:ctid": '"ce-X"',
            "ceterms:accreditedBy": '[ a ceterms:QACredentialOrganization ; ceterms:name "Board"@en ]',
            "ceterms:requires": "[ a ceterms:ConditionProfile ], [ a ceterms:ConditionProfile ]",
        }
    )
    if SAMPLES.exists():
        from registry.ingest.parse import parse

        for name in ("published/CredentialWithMultipleLanguages_Api_output.json", "envelopes/CostManifest.json"):
            yield parse((SAMPLES / name).read_bytes())[0].triples


def test_runner_matches_pyshacl():
    compiled, _texts = load_shapes()
    for doc in _documents_for_equivalence():
        data = to_rdflib(doc)
        fast = _runner_results(data)
        assert fast == _pyshacl_results(data, compiled.graph)
        assert fast


def _unknown_properties_shape() -> Graph:
    """shape:UnknownProperties from ctdl.ttl, activated, alone (its blank nodes included)."""
    from registry.shapes.plan import UNKNOWN_PROPERTIES

    compiled, _texts = load_shapes()
    graph, todo, seen = Graph(), [URIRef(UNKNOWN_PROPERTIES)], set()
    while todo:
        node = todo.pop()
        seen.add(node)
        for p, o in compiled.graph.predicate_objects(node):
            if p != SH.deactivated:
                graph.add((node, p, o))
            if not isinstance(o, URIRef) and o not in seen and (o, None, None) in compiled.graph:
                todo.append(o)
    assert (URIRef(UNKNOWN_PROPERTIES), SH.sparql, None) in graph
    return graph


def test_unknown_properties_are_computed_as_the_sparql_shape_says():
    """The registry's direct evaluation gives what pyshacl gives for the (activated) SPARQL shape."""
    from registry.shapes.focus import FocusLabels
    from registry.shapes.results import ResultReader

    shape = _unknown_properties_shape()
    _compiled, texts = load_shapes()
    docs = [
        credential({"ceterms:creditHourValue": '"3"^^xsd:integer', "<http://www.w3.org/ns/adms#status>": "<urn:x>"})
        + triples('<urn:graph> <urn:p> "x" . [] a ceterms:ContactPoint ; ceterms:contactOption "Fax" .')
    ]
    if SAMPLES.exists():
        from registry.ingest.parse import parse

        docs.append(parse((SAMPLES / "legacy-2017" / "credential_provisional.json").read_bytes())[0].triples)
    for doc in docs:
        data = to_rdflib(doc)
        _conforms, report, _text = pyshacl.validate(data, shacl_graph=shape, advanced=True, allow_infos=True)
        expected = {
            tuple(report.value(r, p) for p in (SH.focusNode, SH.resultPath, SH.value))
            for r in report.subjects(SH.resultSeverity, SH.Info)
        }
        reader = ResultReader(texts, data, FocusLabels(doc))
        native = {(f[SH.focusNode], f[SH.resultPath], f[SH.value]) for f in reader.unknown_property_fields()}
        assert native == expected
        assert native


@pytest.mark.skipif(not SAMPLES.exists(), reason="needs /work/shared sample documents")
def test_published_samples_with_references_conform():
    from registry.ingest.parse import parse

    for name in ("CredentialWithMultipleLanguages_Api_output.json", "Credential_PublishDetailedRecord_API_output.json"):
        doc = parse((SAMPLES / "published" / name).read_bytes())[0]
        report = validate(doc.triples, main_iri=doc.iri)
        assert report.conforms, report.to_text()
