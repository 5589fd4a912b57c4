"""The publishing pipeline: parsed → validated → journalled → loaded.

A batch of documents is accepted or refused per document. For the accepted ones,
the journal entries and the store update happen together: the SQLite
transaction commits only after the store has applied the update (one SPARQL
update, so one transaction there too). If the store fails, the journal rolls
back and nothing is half-loaded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Iterable

import pyoxigraph as ox

from ..namespaces import CEASN, CETERMS, RDF_TYPE
from ..store import Store, StoreError
from .journal import Journal, Provider, ResourceRow, content_hash, now
from .parse import CTID_RE, Document, ParseError, ctid_from_iri, parse

OWNER_PROPERTIES = (
    CETERMS + "ownedBy",
    CETERMS + "offeredBy",
    CEASN + "publisher",
    CEASN + "creator",
    CETERMS + "publisher",
)
NAME_PROPERTIES = (CETERMS + "name", CEASN + "name", CETERMS + "competencyText", CEASN + "competencyText")
DESCRIPTION_PROPERTIES = (CETERMS + "description", CEASN + "description")

OPERATOR = "operator"


class Forbidden(Exception):
    """A provider tried to write a resource that is not theirs."""


@dataclass
class Outcome:
    """What happened to one document."""

    status: str  # created | replaced | unchanged | rejected | deleted | not_found | forbidden | error
    ctid: str | None = None
    iri: str | None = None
    type: str | None = None
    message: str = ""
    report: object | None = None  # registry.shapes.report.Report
    source: str = ""  # file name or "request"
    seq: int | None = None
    members: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.status in ("created", "replaced", "unchanged")

    def to_json(self) -> dict:
        out = {"status": self.status, "ctid": self.ctid, "iri": self.iri, "type": self.type}
        if self.message:
            out["message"] = self.message
        if self.report is not None:
            out["validation"] = self.report.to_json()
        return out


# --- Reading a document's summary ---------------------------------------------------------


def _best_text(literals: list[ox.Literal]) -> str:
    best = ""
    for lit in literals:
        lang = (lit.language or "").lower()
        if lang in ("en", "en-us"):
            return lit.value
        if not best or (lang.startswith("en") and not best):
            best = lit.value
    return best


REGION = CETERMS + "addressRegion"
PLACE_PROPERTIES = (CETERMS + "availableAt", CETERMS + "address")


def regions(doc: Document) -> list[str]:
    """The addressRegion of the places where the resource is available or located."""
    places = {t.object for t in doc.triples
              if t.subject.value == doc.iri and t.predicate.value in PLACE_PROPERTIES}
    found = []
    for t in doc.triples:
        if t.predicate.value == REGION and t.subject in places and isinstance(t.object, ox.Literal):
            value = " ".join(t.object.value.split())
            if value and value not in found:
                found.append(value)
    return sorted(found)


def summarise(doc: Document) -> dict:
    """Name, description, type, owners and regions of the document's main node."""
    names: list[ox.Literal] = []
    descriptions: list[ox.Literal] = []
    owners: list[str] = []
    for t in doc.triples:
        if t.subject.value != doc.iri:
            continue
        p = t.predicate.value
        if p in NAME_PROPERTIES and isinstance(t.object, ox.Literal):
            names.append(t.object)
        elif p in DESCRIPTION_PROPERTIES and isinstance(t.object, ox.Literal):
            descriptions.append(t.object)
        elif p in OWNER_PROPERTIES and isinstance(t.object, ox.NamedNode):
            if t.object.value not in owners:
                owners.append(t.object.value)
    ctdl_types = [t for t in doc.types if t.startswith((CETERMS, CEASN))]
    return {
        # U+0000 is left out: SQLite's NOCASE stops comparing at it, and lists are sorted both there
        # and in Python (incremental._sort_key), which must agree.
        "name": _best_text(names).replace("\x00", "") or doc.ctid,
        "description": _best_text(descriptions),
        "type": (ctdl_types or doc.types)[0],
        "owners": owners,
        "regions": regions(doc),
    }


MAX_NESTING = 8  # how many blank nodes ``links_via`` walks up from a nested profile


def links_via(doc: Document) -> set[tuple[str, str, str]]:
    """(property, CTID, via) for every IRI in the document that names another resource by its CTID.

    Covers the main node and nested profiles: ``property`` is the one holding the IRI, and
    ``via`` is "" when the main node (or another named node) holds it, else the property on the
    nearest named node above that leads to the profile. ``requires`` → ConditionProfile →
    ``targetCredential`` B gives (targetCredential, B, requires); a profile reached along several
    paths gives a row for each.
    """
    parents: dict[str, list[tuple[ox.NamedNode | ox.BlankNode, str]]] = {}  # blank node -> holders
    for t in doc.triples:
        if isinstance(t.object, ox.BlankNode):
            parents.setdefault(t.object.value, []).append((t.subject, t.predicate.value))
    vias: dict[str, set[str]] = {}

    def named_above(blank: str) -> set[str]:
        if blank not in vias:
            found, frontier, seen = set(), [blank], {blank}
            for _ in range(MAX_NESTING):
                upper = []
                for node in frontier:
                    for subject, prop in parents.get(node, ()):
                        if not isinstance(subject, ox.BlankNode):
                            found.add(prop)
                        elif subject.value not in seen:
                            seen.add(subject.value)
                            upper.append(subject.value)
                frontier = upper
            vias[blank] = found or {""}  # no named node above (or too far): keep the link anyway
        return vias[blank]

    out = set()
    for t in doc.triples:
        if isinstance(t.object, ox.NamedNode) and t.predicate.value != RDF_TYPE:
            ctid = ctid_from_iri(t.object.value)
            if ctid and ctid != doc.ctid:
                prop = t.predicate.value
                held = named_above(t.subject.value) if isinstance(t.subject, ox.BlankNode) else {""}
                out.update((prop, ctid, via) for via in held)
    return out


def links(doc: Document) -> set[tuple[str, str]]:
    """(property, CTID) pairs of :func:`links_via` (the path above nested profiles left out)."""
    return {(prop, ctid) for prop, ctid, _ in links_via(doc)}


def owner_ctids(owners: Iterable[str]) -> set[str]:
    return {c for c in (ctid_from_iri(o) for o in owners) if c}


def may_write(provider: Provider | None, ctid: str, owners: Iterable[str]) -> bool:
    """A provider writes its organizations and what they own, offer or publish."""
    if provider is None:  # the operator
        return True
    orgs = {o.lower() for o in provider.orgs}
    return ctid.lower() in orgs or bool(owner_ctids(owners) & orgs)


def source_hash(doc: Document) -> str:
    """A cheap fingerprint of the document as received (``src:`` + SHA-256 of its bytes)."""
    return "src:" + hashlib.sha256(doc.source).hexdigest()


def canonical_hash(triples: list[ox.Triple]) -> str:
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    lines = sorted(str(q) for q in dataset)
    return content_hash("\n".join(lines))


# --- The loader ------------------------------------------------------------------------


Validator = Callable[[list[Document]], list[object]]


def default_validator(extra_shapes=()) -> Validator:
    """Validate a batch of documents with one ``validate_many`` call (merged runs, every core);
    each report is the one ``validate(doc.triples, main_iri=doc.iri, extra_shapes=...)`` gives."""
    from ..shapes.validate import validate_many

    extra = list(extra_shapes)

    def run(docs: list[Document]):
        return validate_many([d.triples for d in docs], [d.iri for d in docs], extra_shapes=extra)

    return run


def accept_all(docs: list[Document]) -> list[object]:
    """A validator that finds nothing wrong, for measuring or testing what comes after validation
    (benchmarks, page and feed tests). Never the default."""
    from ..shapes.report import Report

    return [Report(conforms=True) for _ in docs]


class Loader:
    """Publishes documents into one journal and one store."""

    def __init__(self, journal: Journal, store: Store, *, validator: Validator | None = None,
                 on_change: Callable[[list[str]], None] | None = None):
        self.journal = journal
        self.store = store
        self.validator = validator or default_validator()
        self.on_change = on_change

    # Parsing ---------------------------------------------------------------------------

    def read(self, data: bytes, media_type: str | None, **limits) -> list[Document]:
        return parse(data, media_type, **limits)

    # Publishing ------------------------------------------------------------------------

    def publish(self, docs: list[Document], *, provider: Provider | None = None,
                publisher: str | None = None, source: str = "", atomic: bool = False) -> list[Outcome]:
        """Validate, journal and load ``docs``; one :class:`Outcome` per document, in order.

        With ``atomic``, either every document is published or none is: one refusal
        leaves the others unpublished too (their outcome says why).
        """
        outcomes, accepted, publisher = self.prepare(docs, provider=provider, publisher=publisher, source=source,
                                                     atomic=atomic)
        if accepted:
            self.commit(accepted, outcomes, publisher)
        return outcomes

    def pipeline(self) -> "Pipeline":
        """Publish batch after batch, committing each while the next is read and validated."""
        return Pipeline(self)

    def prepare(self, docs: list[Document], *, provider: Provider | None = None, publisher: str | None = None,
                source: str = "", atomic: bool = False):
        """Everything but the commit: (outcomes, accepted, publisher)."""
        publisher = publisher or (provider.name if provider else OPERATOR)
        outcomes: list[Outcome | None] = [None] * len(docs)
        candidates: list[tuple[int, Document, dict]] = []
        seen: set[str] = set()
        for i, doc in enumerate(docs):
            summary = summarise(doc)
            base = dict(ctid=doc.ctid, iri=doc.iri, type=summary["type"], source=source, members=doc.members)
            if not CTID_RE.match(doc.ctid):
                outcomes[i] = Outcome("rejected", message=(
                    f"CTID {doc.ctid!r} must be 'ce-' followed by a lower-case UUID."), **base)
                continue
            if doc.ctid in seen:
                outcomes[i] = Outcome("rejected", message="The same CTID appears twice in this batch.", **base)
                continue
            seen.add(doc.ctid)
            existing = self.journal.resource(doc.ctid)
            if not may_write(provider, doc.ctid, summary["owners"]) or (
                existing is not None and existing.live and not self._owns(provider, existing)
            ):
                outcomes[i] = Outcome("forbidden", message=self._forbidden_message(provider, doc, existing), **base)
                continue
            candidates.append((i, doc, summary))

        reports = self.validator([doc for _, doc, _ in candidates]) if candidates else []
        accepted: list[tuple[int, Document, dict, str]] = []
        for (i, doc, summary), report in zip(candidates, reports):
            base = dict(ctid=doc.ctid, iri=doc.iri, type=summary["type"], source=source, report=report,
                        members=doc.members)
            if not report.conforms:
                n = len(report.violations)
                outcomes[i] = Outcome("rejected", message=f"{n} required rule{'s' if n != 1 else ''} not met.",
                                      **base)
                continue
            existing = self.journal.resource(doc.ctid)
            digest = self._unchanged_or_digest(doc, existing)
            if digest is None:
                outcomes[i] = Outcome("unchanged", seq=existing.seq, **base)
                continue
            status = "replaced" if existing is not None and existing.live else "created"
            outcomes[i] = Outcome(status, **base)
            accepted.append((i, doc, summary, digest))

        if atomic and len(accepted) + sum(o is not None and o.status == "unchanged" for o in outcomes) < len(docs):
            for i, *_ in accepted:
                outcomes[i].status = "rejected"
                outcomes[i].message = "Valid, but not published: another document in this request was refused."
            accepted = []
        return outcomes, accepted, publisher

    def _unchanged_or_digest(self, doc: Document, existing: ResourceRow | None) -> str | None:
        """None if ``doc`` says exactly what the live version says; else the hash to record.

        The same bytes are the same content. Other bytes may still be the same
        content (keys reordered, blank nodes renamed), which only the canonical form
        of both graphs can tell, so it is computed only then. A first publication
        records the cheap source hash.
        """
        fast = source_hash(doc)
        if existing is None or not existing.live:
            return fast
        if existing.content_hash == fast:
            return None
        digest = canonical_hash(doc.triples)
        stored = existing.content_hash
        if stored.startswith("src:"):
            entry = self.journal.entry(existing.seq)
            stored = canonical_hash(_only(parse(entry.document, entry.media_type), entry.ctid).triples)
        return None if stored == digest else digest

    def commit(self, accepted, outcomes, publisher: str) -> None:
        """Journal and store the accepted documents together, or neither."""
        at = now()
        try:
            with self.journal.transaction() as db:
                for i, doc, summary, digest in accepted:
                    seq = self.journal.append(db, ctid=doc.ctid, action="publish", publisher=publisher,
                                              content_hash=digest, media_type=doc.media_type,
                                              document=doc.source, received_at=at)
                    self.journal.upsert_resource(db, ctid=doc.ctid, iri=doc.iri, publisher=publisher,
                                                 content_hash=digest, seq=seq, at=at, **summary)
                    self.journal.set_links(db, doc.ctid, links_via(doc))
                    self.journal.set_graph(db, doc.ctid, doc.ntriples, seq)
                    outcomes[i].seq = seq
                # Last step inside the transaction: if the store refuses, the journal rolls back.
                self.store.replace({doc.ctid: doc.triples for _, doc, _, _ in accepted})
        except StoreError as exc:
            for i, *_ in accepted:
                outcomes[i].status = "error"
                outcomes[i].message = f"Not stored, nothing changed: {exc}"
            return
        if self.on_change:
            self.on_change([doc.ctid for _, doc, _, _ in accepted])

    def delete(self, ctid: str, *, provider: Provider | None = None, publisher: str | None = None) -> Outcome:
        existing = self.journal.resource(ctid)
        if existing is None or not existing.live:
            return Outcome("not_found", ctid=ctid, message=f"No resource with CTID {ctid}.")
        if not self._owns(provider, existing):
            return Outcome("forbidden", ctid=ctid, iri=existing.iri, type=existing.type,
                           message="This resource belongs to another provider's organization.")
        at = now()
        try:
            with self.journal.transaction() as db:
                seq = self.journal.append(db, ctid=ctid, action="delete",
                                          publisher=publisher or (provider.name if provider else OPERATOR),
                                          received_at=at)
                self.journal.mark_deleted(db, ctid, seq, at)
                self.journal.set_links(db, ctid, set())
                self.journal.drop_graph(db, ctid)
                self.store.drop([ctid])
        except StoreError as exc:
            return Outcome("error", ctid=ctid, message=f"Not deleted, nothing changed: {exc}")
        if self.on_change:
            self.on_change([ctid])
        return Outcome("deleted", ctid=ctid, iri=existing.iri, type=existing.type, seq=seq)

    def _owns(self, provider: Provider | None, existing: ResourceRow) -> bool:
        if provider is None or existing.publisher == provider.name:
            return True
        return may_write(provider, existing.ctid, existing.owners)

    @staticmethod
    def _forbidden_message(provider: Provider | None, doc: Document, existing: ResourceRow | None) -> str:
        orgs = ", ".join(provider.orgs) if provider else ""
        if existing is not None and existing.live and not may_write(provider, doc.ctid, existing.owners):
            return (f"{doc.ctid} is already published for another organization; provider "
                    f"{provider.name!r} may write only for {orgs}.")
        return (f"Provider {provider.name!r} may publish only organizations {orgs} and resources they own or "
                "offer (ceterms:ownedBy / ceterms:offeredBy / ceasn:publisher); this document names none of them.")

    # Rebuilding ------------------------------------------------------------------------

    def rebuild(self, *, batch: int = 500, progress: Callable[[int], None] | None = None) -> int:
        """Recreate the store and the resource index (resources, links, graphs) from the journal alone."""
        self.store.clear()
        with self.journal.transaction() as db:
            self.journal.clear_resources(db)
            for entry in self.journal.entries():
                if entry.action == "delete":
                    self.journal.mark_deleted(db, entry.ctid, entry.seq, entry.received_at)
                    self.journal.set_links(db, entry.ctid, set())
                    self.journal.drop_graph(db, entry.ctid)
                    continue
                doc = _only(parse(entry.document, entry.media_type), entry.ctid)
                existing = self.journal.resource(entry.ctid)
                created = existing.created_at if existing is not None and existing.live else entry.received_at
                self.journal.upsert_resource(db, ctid=doc.ctid, iri=doc.iri, publisher=entry.publisher,
                                             content_hash=entry.content_hash, seq=entry.seq,
                                             at=entry.received_at, **summarise(doc))
                self.journal.set_links(db, doc.ctid, links_via(doc))
                self.journal.set_graph(db, doc.ctid, doc.ntriples, entry.seq)
                if created != entry.received_at:
                    db.execute("UPDATE resources SET created_at = ? WHERE ctid = ?", (created, doc.ctid))
        count = 0
        pending: dict[str, list[ox.Triple]] = {}
        for entry in self.journal.latest_entries():
            doc = _only(parse(entry.document, entry.media_type), entry.ctid)
            pending[doc.ctid] = doc.triples
            if len(pending) >= batch:
                self.store.replace(pending)
                count += len(pending)
                if progress:
                    progress(len(pending))
                pending = {}
        if pending:
            self.store.replace(pending)
            count += len(pending)
            if progress:
                progress(len(pending))
        return count


class Pipeline:
    """Overlaps the store's work with ours: batch k commits in a background thread
    while batch k+1 is parsed and validated. Outcomes of a batch are final once the
    next batch is submitted or the pipeline is closed (a store failure turns them
    into ``error``). A document whose CTID is still being committed waits for it.
    """

    def __init__(self, loader: Loader):
        from concurrent.futures import ThreadPoolExecutor

        self.loader = loader
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="commit")
        self._pending = None
        self._inflight: set[str] = set()

    def publish(self, docs: list[Document], **options) -> list[Outcome]:
        if self._inflight.intersection(d.ctid for d in docs):
            self.wait()
        outcomes, accepted, publisher = self.loader.prepare(docs, **options)
        self.wait()  # one commit at a time, in order
        if accepted:
            self._inflight = {doc.ctid for _, doc, _, _ in accepted}
            self._pending = self._executor.submit(self.loader.commit, accepted, outcomes, publisher)
        return outcomes

    def wait(self) -> None:
        if self._pending is not None:
            self._pending.result()
            self._pending = None
            self._inflight = set()

    def close(self) -> None:
        self.wait()
        self._executor.shutdown()

    def __enter__(self) -> "Pipeline":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _only(docs: list[Document], ctid: str) -> Document:
    for doc in docs:
        if doc.ctid == ctid:
            return doc
    raise ParseError(f"journal entry for {ctid} no longer parses to that resource")
