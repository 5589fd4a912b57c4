"""Which nodes the policy applies to: described resources versus references.

A CTDL document describes one resource (and, for a framework, its members),
its nested profiles, and *references*: blank nodes naming an organization,
credential, learning opportunity... that is not in the registry, e.g.
``"ceterms:accreditedBy": [{"@type": "ceterms:QACredentialOrganization",
"ceterms:name": ..., "ceterms:subjectWebpage": ...}]``. The minimum data policy
is about published resources, not about such references, which only have to
say what they point to.

Plain ``sh:targetClass`` cannot tell the two apart, so ``ctdl.ttl`` declares
two SHACL-AF SPARQL target types (standard SHACL Advanced Features; pyshacl
evaluates them with ``advanced=True``). The registry's runner implements the
same two queries natively (:func:`described` and :func:`is_reference`) to stay
fast; tests check that both give the same results.
"""

from __future__ import annotations

from ..namespaces import CEASN, CETERMS

SHAPE_NS = "urn:ctdl-registry:shapes#"
DESCRIBED_INSTANCES = SHAPE_NS + "DescribedInstancesOf"
REFERENCES = SHAPE_NS + "ReferencesOf"
CLASS_PARAMETER = SHAPE_NS + "class"
CTIDS = (CETERMS + "ctid", CEASN + "ctid")

_HAS_CTID = "\n        || ".join(f"EXISTS {{ ?this <{p}> ?ctid }}" for p in CTIDS)
DESCRIBED_SELECT = f"""
    SELECT ?this WHERE {{
        ?this a $class .
        FILTER (isIRI(?this)
        || {_HAS_CTID})
    }}"""
REFERENCES_SELECT = f"""
    SELECT ?this WHERE {{
        ?this a $class .
        FILTER (isBlank(?this) && !(
           {_HAS_CTID}))
    }}"""

TARGET_TYPES = {
    DESCRIBED_INSTANCES: (
        "Described instances of a class",
        "Instances of $class that the document describes: IRI nodes, and blank nodes with a CTID.",
        DESCRIBED_SELECT,
    ),
    REFERENCES: (
        "References to instances of a class",
        "Blank-node instances of $class without a CTID: references to resources not in the document.",
        REFERENCES_SELECT,
    ),
}


def is_reference(node, is_blank: bool, ctid_subjects: set) -> bool:
    return is_blank and node not in ctid_subjects


def described(node, is_blank: bool, ctid_subjects: set) -> bool:
    return not is_blank or node in ctid_subjects
