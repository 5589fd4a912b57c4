"""The SPARQL 1.1 Service Description returned by ``GET /sparql`` with no query."""

from __future__ import annotations

RESULT_FORMATS = {
    "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "text/turtle": "http://www.w3.org/ns/formats/Turtle",
    "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
    "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
    "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
}


def service_description(endpoint: str, *, triples: int | None = None, void_url: str | None = None,
                        federation: bool = False) -> str:
    features = "sd:UnionDefaultGraph" + (", sd:BasicFederatedQuery" if federation else "")
    formats = " ,\n        ".join(f"<{iri}>" for iri in RESULT_FORMATS.values())
    lines = [
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        "@prefix void: <http://rdfs.org/ns/void#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        "",
        f"<{endpoint}#service> a sd:Service ;",
        f"    sd:endpoint <{endpoint}> ;",
        "    sd:supportedLanguage sd:SPARQL11Query ;",
        f"    sd:feature {features} ;",
        f"    sd:resultFormat {formats} ;",
        '    dct:description "Read-only SPARQL 1.1 endpoint over every CTDL resource in this registry; '
        'the default graph is the union of the resources\' named graphs (urn:ctid:...)." ;',
        "    sd:defaultDataset [",
        "        a sd:Dataset ;",
        "        sd:defaultGraph [ a sd:Graph" + (f" ; void:triples {triples}" if triples is not None else "")
        + " ]",
        "    ] .",
    ]
    if void_url:
        lines.append(f"<{endpoint}#service> dct:relation <{void_url}> .")
    return "\n".join(lines) + "\n"
