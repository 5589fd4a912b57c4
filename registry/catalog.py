"""``/data``: what the registry offers in bulk, as a DCAT catalog and a schema.org Dataset.

* ``/data`` is an HTML page (``site/templates/data.html``) with both descriptions embedded as
  JSON-LD; it negotiates ``text/turtle`` and ``application/ld+json`` (the DCAT description).
* ``/data.ttl`` and ``/data.jsonld``: the DCAT description as Turtle and JSON-LD.

The DCAT description: one ``dcat:Catalog`` with one ``dcat:Dataset`` whose distributions are
the gzipped N-Quads dump (``/data/registry.nq.gz``), the SPARQL endpoint (a distribution with
``dcat:accessService``, the ``dcat:DataService`` at ``/sparql``), the sitemap and the two change
feeds. The JSON-LD carries its own context (nothing is fetched); the Turtle is parsed from it.
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from .dump import FILENAME
from .ingest.journal import Journal
from .pages import safe_json_for_script

DCAT = "http://www.w3.org/ns/dcat#"
CONTEXT = {
    "dcat": DCAT,
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "void": "http://rdfs.org/ns/void#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "https://schema.org/",
}
TURTLE_PREFIXES = {k: v for k, v in CONTEXT.items()}
MEDIA = "https://www.iana.org/assignments/media-types/"
DESCRIPTION = ("CTDL descriptions of credentials, the organizations that offer them, and their learning "
               "opportunities, assessments and competencies, as published to this registry.")


def _iri(value: str) -> dict:
    return {"@id": value}


class Catalog:
    def __init__(self, journal: Journal, base: str, *, site_name: str = "CTDL Registry"):
        self.journal = journal
        self.base = base.rstrip("/")
        self.site_name = site_name

    def url(self, path: str) -> str:
        return self.base + path

    def dcat(self) -> dict:
        modified = self.journal.last_updated()
        counts = self.journal.counts_by_type()
        dataset = self.url("/data#dataset")
        service = self.url("/sparql#service")

        def dist(key: str, title: str, access: str, media: str | None, **extra) -> dict:
            node = {"@id": self.url(f"/data#{key}"), "@type": "dcat:Distribution", "dct:title": title,
                    "dcat:accessURL": _iri(access)}
            if media:
                node["dcat:mediaType"] = _iri(MEDIA + media)
            node.update(extra)
            return node

        dataset_node = {
            "@id": dataset, "@type": ["dcat:Dataset", "void:Dataset"],
            "dct:title": self.site_name, "dct:description": DESCRIPTION,
            "dcat:landingPage": _iri(self.url("/")),
            "dcat:keyword": ["credentials", "CTDL", "linked data", "education", "workforce"],
            "dct:conformsTo": [_iri("https://purl.org/ctdl/terms/"), _iri("https://purl.org/ctdlasn/terms/")],
            "void:entities": {"@value": str(sum(counts.values())), "@type": "xsd:integer"},
            "void:sparqlEndpoint": _iri(self.url("/sparql")),
            "void:dataDump": _iri(self.url(f"/data/{FILENAME}")),
            "dcat:distribution": [
                dist("nquads", "Every resource as gzipped N-Quads (one named graph per resource)",
                     self.url(f"/data/{FILENAME}"), "application/n-quads",
                     **{"dcat:downloadURL": _iri(self.url(f"/data/{FILENAME}")),
                        "dcat:compressFormat": _iri(MEDIA + "application/gzip"),
                        "dct:format": "N-Quads"}),
                dist("sparql", "SPARQL 1.1 endpoint", self.url("/sparql"), None,
                     **{"dcat:accessService": _iri(service)}),
                dist("sitemap", "Sitemap of every resource page", self.url("/sitemap.xml"), "application/xml",
                     **{"dct:conformsTo": _iri("https://www.sitemaps.org/protocol.html")}),
                dist("atom", "Recent changes (Atom)", self.url("/feed.atom"), "application/atom+xml"),
                dist("changes", "Every change, paged (Activity Streams 2.0)", self.url("/changes.json"),
                     "application/activity+json",
                     **{"dct:conformsTo": _iri("https://www.w3.org/TR/activitystreams-core/")}),
            ],
        }
        if modified:
            dataset_node["dct:modified"] = {"@value": modified, "@type": "xsd:dateTime"}
        return {
            "@context": CONTEXT,
            "@graph": [
                {"@id": self.url("/data#catalog"), "@type": "dcat:Catalog", "dct:title": self.site_name,
                 "dct:description": DESCRIPTION, "foaf:homepage": _iri(self.url("/")),
                 "dcat:dataset": _iri(dataset), "dcat:service": _iri(service)},
                dataset_node,
                {"@id": service, "@type": "dcat:DataService", "dct:title": f"{self.site_name} SPARQL endpoint",
                 "dcat:endpointURL": _iri(self.url("/sparql")),
                 "dcat:endpointDescription": _iri(self.url("/sparql")),
                 "dct:conformsTo": _iri("https://www.w3.org/TR/sparql11-protocol/"),
                 "dcat:servesDataset": _iri(dataset)},
            ],
        }

    def dcat_json(self) -> str:
        return json.dumps(self.dcat(), ensure_ascii=False, indent=2)

    def turtle(self) -> bytes:
        quads = ox.parse(self.dcat_json(), format=ox.RdfFormat.JSON_LD)
        return ox.serialize([q.triple for q in quads], format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)

    def schema_org(self) -> dict:
        modified = self.journal.last_updated()
        doc = {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "@id": self.url("/data#dataset"),
            "name": self.site_name,
            "description": DESCRIPTION,
            "url": self.url("/data"),
            "keywords": ["credentials", "CTDL", "linked data", "education", "workforce"],
            "isAccessibleForFree": True,
            "creator": {"@type": "Organization", "name": self.site_name, "url": self.url("/")},
            "distribution": [
                {"@type": "DataDownload", "encodingFormat": "application/n-quads",
                 "contentUrl": self.url(f"/data/{FILENAME}"), "name": "Gzipped N-Quads dump"},
            ],
            "includedInDataCatalog": {"@type": "DataCatalog", "name": self.site_name, "url": self.url("/data")},
        }
        if modified:
            doc["dateModified"] = modified
        return doc

    def html(self, renderer, *, counts: dict[str, int] | None = None) -> str:
        """The /data page (``renderer``: the site's :class:`registry.pages.PageRenderer`)."""
        counts = counts if counts is not None else self.journal.counts_by_type()
        return renderer.env.get_template("data.html").render(
            title="Data", current="", total=sum(counts.values()),
            modified=self.journal.last_updated() or "",
            dump=renderer.url(f"/data/{FILENAME}"), sparql=renderer.url("/sparql"),
            sitemap=renderer.url("/sitemap.xml"), atom=renderer.url("/feed.atom"),
            changes=renderer.url("/changes.json"), turtle=renderer.url("/data.ttl"),
            jsonld=renderer.url("/data.jsonld"), void=renderer.url("/.well-known/void"),
            dcat_json=safe_json_for_script(self.dcat_json()),
            schema_json=safe_json_for_script(json.dumps(self.schema_org(), ensure_ascii=False, indent=2)))
