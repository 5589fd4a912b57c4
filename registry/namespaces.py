"""IRIs the registry uses everywhere."""

from functools import lru_cache

CETERMS = "https://purl.org/ctdl/terms/"
CEASN = "https://purl.org/ctdlasn/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SH = "http://www.w3.org/ns/shacl#"
DCT = "http://purl.org/dc/terms/"

RDF_TYPE = RDF + "type"
CTID_PROPERTIES = (CETERMS + "ctid", CEASN + "ctid")

# The prefixes shown to people (SPARQL editor, reports, pages).
PREFIXES = {
    "ceterms": CETERMS,
    "ceasn": CEASN,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "schema": SCHEMA,
    "skos": SKOS,
    "dct": DCT,
    "qdata": "https://credreg.net/qdata/terms/",
    "asn": "http://purl.org/ASN/schema/core/",
}


def graph_iri(ctid: str) -> str:
    """The named graph that holds one resource.

    Independent of where the registry is deployed, so moving the site to
    another host never requires rewriting the store.
    """
    return "urn:ctid:" + ctid


@lru_cache(maxsize=1 << 16)  # pages ask for the same few hundred properties and types again and again
def compact(iri: str) -> str:
    """``https://purl.org/ctdl/terms/name`` -> ``ceterms:name``."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return prefix + ":" + iri[len(ns):]
    return iri
