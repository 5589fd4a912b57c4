"""One registry: its configuration, journal, store and loader, shared by the CLI and the web app."""

from __future__ import annotations

import json
from functools import cached_property

import pyoxigraph as ox

from .config import Config
from .ingest.journal import Journal, ResourceRow
from .ingest.load import Loader, default_validator
from .ingest.parse import ctid_from_iri
from .store import LocalStore, RemoteStore, Store


def open_store(config: Config, *, server_url: str | None = None) -> Store:
    """The store this registry uses.

    An external server if one is configured; else the supervised Oxigraph server
    if ``registry serve`` is running on this data directory; else the on-disk
    store opened in-process (batch commands).
    """
    if config.external_store:
        return RemoteStore.for_base(config.store_url or "", query_url=config.query_url,
                                    update_url=config.update_url, gsp_url=config.gsp_url)
    if server_url is None and config.server_state.exists():
        try:
            server_url = json.loads(config.server_state.read_text())["url"]
        except (ValueError, KeyError):
            server_url = None
    if server_url:
        store = RemoteStore.for_base(server_url)
        if store.ping():
            return store
        store.close()
    return LocalStore(config.oxigraph_dir)


def parse_ntriples(data: bytes) -> list:
    """A graph's N-Triples as Quads in the default graph, which every reader of a graph (pages,
    JSON-LD, Turtle) takes as Triples: a Triple object more per statement cost 0.3 µs. ``lenient``
    (IRIs not checked again: 10% faster): the graphs are pyoxigraph's own output, of documents
    checked when they were published."""
    return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES, lenient=True))


class Registry:
    def __init__(self, config: Config, store: Store):
        self.config = config
        self.store = store
        self.journal = Journal(config.journal_path)
        self.listeners: list = []

    @cached_property
    def loader(self) -> Loader:
        return Loader(self.journal, self.store, validator=default_validator(self.config.extra_shapes),
                      on_change=self._changed)

    def _changed(self, ctids: list[str]) -> None:
        for listener in self.listeners:
            listener(ctids)

    def lookup(self, iri: str) -> ResourceRow | None:
        """The live resource an IRI in the data refers to, by IRI or by the CTID it ends with."""
        row = self.journal.resource_by_iri(iri)
        if row is None:
            ctid = ctid_from_iri(iri)
            if ctid:
                row = self.journal.resource(ctid)
        return row if row is not None and row.live else None

    def graph(self, ctid: str) -> list:
        """A resource's statements as published, for its page and alternates: the journal's copy of
        its current version (:meth:`Journal.graph`, in document order), else the store's graph (a
        resource published before the journal kept graphs, which a static site's first build or
        update copies in: :func:`registry.incremental.keep_graphs`)."""
        data = self.journal.graph(ctid)
        if data is None:
            return self.store.graph(ctid) if self.store is not None else []
        return parse_ntriples(data)

    def close(self) -> None:
        self.store.close()
        self.journal.close()
