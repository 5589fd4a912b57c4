"""The RDF store: one named graph per resource.

Two implementations of one small interface:

* :class:`RemoteStore` speaks the SPARQL 1.1 Protocol (query, update) and the
  Graph Store Protocol (read a graph) to any compliant server: the supervised
  ``oxigraph serve`` by default, or Fuseki, GraphDB, QLever... named by URL.
* :class:`LocalStore` opens the on-disk Oxigraph directory in-process with
  pyoxigraph, for batch commands when no server holds it. It only ever runs the
  registry's own SPARQL (never a user's query, see :mod:`registry.sparql.guard`).

Writes are SPARQL updates of the form ``DROP SILENT GRAPH <g> ; INSERT DATA {
GRAPH <g> { ... } }``: one request is one transaction, so a reader sees either the
old or the new version of a resource, never half of one. The registry's own
queries always name graphs explicitly (``GRAPH ?g``), so they do not depend on
whether the server's default graph is the union of its named graphs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

import httpx
import pyoxigraph as ox

from .namespaces import graph_iri


class StoreError(RuntimeError):
    """The store did not do what was asked (unreachable, refused, failed)."""


def _nt(triples: Iterable[ox.Triple]) -> str:
    return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def replace_update(graphs: dict[str, list[ox.Triple]]) -> str:
    """One SPARQL update that replaces each CTID's graph with its triples."""
    parts = []
    for ctid, triples in graphs.items():
        g = graph_iri(ctid)
        parts.append(f"DROP SILENT GRAPH <{g}> ;\nINSERT DATA {{ GRAPH <{g}> {{\n{_nt(triples)}}} }}")
    return " ;\n".join(parts)


def drop_update(ctids: Iterable[str]) -> str:
    return " ;\n".join(f"DROP SILENT GRAPH <{graph_iri(c)}>" for c in ctids)


class Store:
    """What the registry needs from an RDF store."""

    def query(self, sparql: str, accept: str = "application/sparql-results+json") -> tuple[bytes, str]:
        raise NotImplementedError

    def update(self, sparql: str) -> None:
        raise NotImplementedError

    def graph(self, ctid: str) -> list[ox.Triple]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    # Built on the primitives above, the same for every store.

    def replace(self, graphs: dict[str, list[ox.Triple]]) -> None:
        if graphs:
            self.update(replace_update(graphs))

    def drop(self, ctids: Iterable[str]) -> None:
        ctids = list(ctids)
        if ctids:
            self.update(drop_update(ctids))

    def clear(self) -> None:
        self.update("DROP SILENT ALL")

    def select(self, sparql: str) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        """Run one of the registry's own SELECT queries; rows of pyoxigraph terms."""
        body, _ = self.query(sparql, "application/sparql-results+json")
        results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        names = [v.value for v in results.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in results]

    def graph_names(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(r["g"].value for r in rows)

    def quad_count(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"].value) if rows else 0

    def solutions(self, sparql: str) -> Iterator[ox.QuerySolution]:
        """Stream the rows of one of the registry's own SELECT queries."""
        body, _ = self.query(sparql, "text/tab-separated-values")
        yield from ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)

    def quads(self, batch: int = 20_000) -> Iterator[list[ox.Quad]]:
        """Every quad of every resource graph, in lists of up to ``batch``."""
        chunk: list[ox.Quad] = []
        for row in self.solutions("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            chunk.append(ox.Quad(row["s"], row["p"], row["o"], row["g"]))
            if len(chunk) >= batch:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


class RemoteStore(Store):
    """A SPARQL 1.1 Protocol + Graph Store Protocol server."""

    def __init__(self, query_url: str, update_url: str, gsp_url: str | None = None, *, timeout: float = 120.0):
        self.query_url = query_url
        self.update_url = update_url
        self.gsp_url = gsp_url
        self._http = httpx.Client(timeout=timeout, trust_env=False)

    @classmethod
    def for_base(cls, base: str, *, query_url: str | None = None, update_url: str | None = None,
                 gsp_url: str | None = None, timeout: float = 120.0) -> "RemoteStore":
        """Oxigraph's layout (``base/query``, ``base/update``, ``base/store``) unless told otherwise."""
        base = base.rstrip("/")
        return cls(query_url or base + "/query", update_url or base + "/update", gsp_url or base + "/store",
                   timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def _send(self, method: str, url: str, **kw) -> httpx.Response:
        try:
            response = self._http.request(method, url, **kw)
        except httpx.HTTPError as exc:
            raise StoreError(f"The store at {url} is unreachable: {exc}") from exc
        if response.status_code >= 400:
            raise StoreError(f"The store refused ({response.status_code}): {response.text[:500]}")
        return response

    def query(self, sparql: str, accept: str = "application/sparql-results+json") -> tuple[bytes, str]:
        r = self._send("POST", self.query_url, content=sparql.encode("utf-8"),
                       headers={"Content-Type": "application/sparql-query", "Accept": accept})
        return r.content, r.headers.get("content-type", accept)

    def solutions(self, sparql: str) -> Iterator[ox.QuerySolution]:
        try:
            with self._http.stream("POST", self.query_url, content=sparql.encode("utf-8"),
                                   headers={"Content-Type": "application/sparql-query",
                                            "Accept": "text/tab-separated-values"}) as r:
                if r.status_code >= 400:
                    r.read()
                    raise StoreError(f"The store refused ({r.status_code}): {r.text[:500]}")
                yield from ox.parse_query_results(_Reader(r.iter_raw()), format=ox.QueryResultsFormat.TSV)
        except httpx.HTTPError as exc:
            raise StoreError(f"The store at {self.query_url} is unreachable: {exc}") from exc

    def update(self, sparql: str) -> None:
        self._send("POST", self.update_url, content=sparql.encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update"})

    def graph(self, ctid: str) -> list[ox.Triple]:
        if self.gsp_url:
            try:
                r = self._http.get(self.gsp_url, params={"graph": graph_iri(ctid)},
                                   headers={"Accept": "application/n-triples"})
            except httpx.HTTPError as exc:
                raise StoreError(f"The store at {self.gsp_url} is unreachable: {exc}") from exc
            if r.status_code == 404:
                return []
            if r.status_code < 400:
                return list(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))
        body, _ = self.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_iri(ctid)}> {{ ?s ?p ?o }} }}", "application/n-triples"
        )
        return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))

    def ping(self) -> bool:
        try:
            r = self._http.post(self.query_url, content=b"ASK {}", timeout=2.0,
                                headers={"Content-Type": "application/sparql-query",
                                         "Accept": "application/sparql-results+json"})
            return r.status_code == 200
        except httpx.HTTPError:
            return False


class _Reader:
    """A file-like view of an iterator of byte chunks (for streaming parsers)."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


class LocalStore(Store):
    """The on-disk Oxigraph directory, opened in-process (batch commands only)."""

    def __init__(self, path: Path | None):
        try:
            if path is not None:
                Path(path).mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as exc:
            raise StoreError(
                f"Cannot open the store at {path}: {exc}. Is `registry serve` running on this data directory? "
                "Then use --store-url, or stop it first."
            ) from exc

    def query(self, sparql: str, accept: str = "application/sparql-results+json") -> tuple[bytes, str]:
        # Only the registry's own queries reach here: pyoxigraph would run SERVICE
        # calls itself, with no allow-list and no timeout.
        result = self._store.query(sparql, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            fmt = _GRAPH_FORMATS.get(accept, ox.RdfFormat.N_TRIPLES)
            return result.serialize(format=fmt), fmt.media_type
        fmt = _RESULT_FORMATS.get(accept, ox.QueryResultsFormat.JSON)
        return result.serialize(format=fmt), fmt.media_type

    def solutions(self, sparql: str) -> Iterator[ox.QuerySolution]:
        yield from self._store.query(sparql)

    def update(self, sparql: str) -> None:
        self._store.update(sparql)

    def graph(self, ctid: str) -> list[ox.Triple]:
        g = ox.NamedNode(graph_iri(ctid))
        return [q.triple for q in self._store.quads_for_pattern(None, None, None, g)]

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        self._store.flush()
        del self._store
