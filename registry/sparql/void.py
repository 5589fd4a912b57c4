"""VoID description of the registry's dataset, at ``/.well-known/void``.

Counts come from the journal's index (entities by class) and the store (triples),
recomputed whenever the journal has moved on since the last request.
"""

from __future__ import annotations

import threading

from ..core import Registry
from ..namespaces import PREFIXES

_VOID = "http://rdfs.org/ns/void#"


class VoidDescription:
    def __init__(self, registry: Registry, *, base_url: str):
        self.registry = registry
        self.base_url = base_url.rstrip("/")
        self._lock = threading.Lock()
        self._cached: tuple[int, str] | None = None

    def turtle(self) -> str:
        seq = self.registry.journal.last_seq()
        with self._lock:
            if self._cached is None or self._cached[0] != seq:
                self._cached = (seq, self._build())
            return self._cached[1]

    def _build(self) -> str:
        journal = self.registry.journal
        base = self.base_url
        counts = journal.counts_by_type()
        entities = sum(counts.values())
        triples = self.registry.store.quad_count()
        examples = journal.resources(limit=3, order="seq")
        modified = journal.resources(limit=1, order="updated")
        lines = [
            "@prefix void: <http://rdfs.org/ns/void#> .",
            "@prefix dct: <http://purl.org/dc/terms/> .",
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
            "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
            "",
            f"<{base}/.well-known/void#registry> a void:Dataset ;",
            f'    dct:title "{_escape(self.registry.config.site_name)}" ;',
            '    dct:description "CTDL descriptions of credentials, the organizations that offer them, and '
            'their learning opportunities, assessments and competencies." ;',
            f"    foaf:homepage <{base}/> ;",
            f"    void:sparqlEndpoint <{base}/sparql> ;",
            f"    void:dataDump <{base}/data/registry.nq.gz> ;",
            f"    void:uriLookupEndpoint <{base}/resources/> ;",
            f"    void:triples {triples} ;",
            f"    void:entities {entities} ;",
            f"    void:classes {len(counts)} ;",
        ]
        lines += [f"    void:vocabulary <{ns}> ;" for ns in (PREFIXES["ceterms"], PREFIXES["ceasn"])]
        if modified:
            lines.append(f'    dct:modified "{modified[0].updated_at}"^^xsd:dateTime ;')
        for row in examples:
            lines.append(f"    void:exampleResource <{row.iri}> ;")
        for i, (cls, n) in enumerate(sorted(counts.items())):
            lines.append(f"    void:classPartition [ void:class <{cls}> ; void:entities {n} ] ;")
        lines[-1] = lines[-1][:-2] + " ."
        return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
