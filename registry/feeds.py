"""Change feeds: Atom for people and feed readers, Activity Streams 2.0 for mirrors.

* ``/feed.atom``: the newest :data:`ATOM_SIZE` journal entries, newest first. A publish links
  to the resource's page and its JSON-LD; a deletion is marked (category ``delete``, title
  "Deleted: …") and carries its text as content instead of a link.
* ``/changes.json`` (also ``/changes`` live): an ``OrderedCollection`` of every journal entry
  with ``totalItems``, ``first`` and ``last``.
* ``/changes/page-{n}.json``: an ``OrderedCollectionPage`` holding journal seqs
  ``(n-1)*PAGE_SIZE + 1`` .. ``n*PAGE_SIZE`` in journal order, with ``prev``/``next``. Page
  boundaries are fixed by seq, so a full page never changes again (only the last one grows).
* live only: ``/changes?after=SEQ`` is a page of the entries after ``SEQ`` (what a mirror that
  has applied everything up to ``SEQ`` reads next), ``/changes?page=N`` is page N.

Each activity is ``Create`` (first publish of a CTID, or the first after a deletion),
``Update`` (a later publish) or ``Delete`` (the object is a ``Tombstone`` with ``formerType``
and ``deleted``). ``seq`` is the journal sequence number. The object's ``type`` and ``name``
are the resource's current ones (the page and its ``.jsonld`` always show the current version).
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .formats import compact_json
from .ingest.journal import Journal
from .namespaces import CEASN, CETERMS

PAGE_SIZE = 1000
ATOM_SIZE = 100
CONTEXT = ["https://www.w3.org/ns/activitystreams",
           {"ceterms": CETERMS, "ceasn": CEASN,
            "seq": {"@id": "urn:ctdl-registry:journal-seq",
                    "@type": "http://www.w3.org/2001/XMLSchema#integer"},
            "pageSize": {"@id": "urn:ctdl-registry:page-size",
                         "@type": "http://www.w3.org/2001/XMLSchema#integer"}}]


def page_of(seq: int, page_size: int = PAGE_SIZE) -> int:
    return (seq - 1) // page_size + 1


_ENCODE = compact_json  # json.dumps's characters, from orjson


def dumps(doc: dict) -> bytes:
    """A feed document, readable and cheap: each member on a line, and each item of a list member
    (a page's ``orderedItems``) on a line of its own, by json's C encoder (``indent`` makes json use
    its pure-Python one: 8 ms for a page of 1,000 changes, which every update rewrites)."""
    lines = []
    for key, value in doc.items():
        if type(value) is list and value:
            lines.append(f" {_ENCODE(key)}: [\n  " + ",\n  ".join(map(_ENCODE, value)) + "\n ]")
        else:
            lines.append(f" {_ENCODE(key)}: {_ENCODE(value)}")
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")


class Feeds:
    def __init__(self, journal: Journal, base: str, *, site_name: str = "CTDL Registry",
                 page_size: int = PAGE_SIZE, atom_size: int = ATOM_SIZE):
        self.journal = journal
        self.base = base.rstrip("/")
        self.site_name = site_name
        self.page_size = page_size
        self.atom_size = atom_size

    # -- URLs ----------------------------------------------------------------------------

    @property
    def collection_url(self) -> str:
        return self.base + "/changes.json"

    def page_url(self, n: int) -> str:
        return f"{self.base}/changes/page-{n}.json"

    def resource_url(self, ctid: str) -> str:
        return f"{self.base}/resources/{ctid}"

    def pages(self) -> int:
        """How many pages there are (at least 1: an empty registry has an empty first page)."""
        return max(1, page_of(self.journal.last_seq(), self.page_size)) if self.journal.last_seq() else 1

    # -- Activity Streams ----------------------------------------------------------------

    def activity(self, c: dict) -> dict:
        page = self.resource_url(c["ctid"])
        base = {"id": f"{self.collection_url}#seq-{c['seq']}", "seq": c["seq"], "published": c["received_at"]}
        if c["action"] == "delete":
            obj = {"id": page, "type": "Tombstone", "formerType": c["type"], "deleted": c["received_at"]}
            if c["name"]:
                obj["name"] = c["name"]
            return {**base, "type": "Delete", "object": obj}
        kind = "Create" if c["prev"] in (None, "delete") else "Update"
        obj = {"id": page, "type": c["type"], "name": c["name"] or c["ctid"],
               "url": {"type": "Link", "href": page + ".jsonld", "mediaType": "application/ld+json"}}
        return {**base, "type": kind, "object": obj}

    def collection(self) -> dict:
        last = self.pages()
        return {"@context": CONTEXT, "id": self.collection_url, "type": "OrderedCollection",
                "summary": f"Every change to {self.site_name}, oldest first, {self.page_size} journal "
                           f"entries per page.",
                "totalItems": self.journal.entry_count(), "pageSize": self.page_size,
                "first": self.page_url(1), "last": self.page_url(last)}

    def page(self, n: int) -> dict | None:
        """Page ``n`` (None past the last page)."""
        last = self.pages()
        if n < 1 or n > last:
            return None
        lo, hi = (n - 1) * self.page_size + 1, n * self.page_size
        doc = {"@context": CONTEXT, "id": self.page_url(n), "type": "OrderedCollectionPage",
               "partOf": self.collection_url, "startIndex": lo - 1}
        if n > 1:
            doc["prev"] = self.page_url(n - 1)
        if n < last:
            doc["next"] = self.page_url(n + 1)
        doc["orderedItems"] = [self.activity(c) for c in self.journal.changes(first=lo, last=hi)]
        return doc

    def after(self, seq: int, live_url: str) -> dict:
        """Live only: the next ``page_size`` entries after ``seq`` (``live_url`` is ``…/changes``)."""
        seq = max(0, seq)
        items = self.journal.changes(first=seq + 1, last=seq + self.page_size)
        doc = {"@context": CONTEXT, "id": f"{live_url}?after={seq}", "type": "OrderedCollectionPage",
               "partOf": self.collection_url, "startIndex": seq,
               "orderedItems": [self.activity(c) for c in items]}
        top = seq + self.page_size
        if top < self.journal.last_seq():
            doc["next"] = f"{live_url}?after={top}"
        return doc

    # -- Atom ----------------------------------------------------------------------------

    def atom(self) -> bytes:
        changes = self.journal.changes(newest=self.atom_size)
        updated = changes[0]["received_at"] if changes else "1970-01-01T00:00:00Z"
        out = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n',
               f"<id>{escape(self.base + '/feed.atom')}</id>\n",
               f"<title>{escape(self.site_name)}: recent changes</title>\n",
               f"<updated>{escape(updated)}</updated>\n",
               f'<link rel="self" type="application/atom+xml" href={quoteattr(self.base + "/feed.atom")}/>\n',
               f'<link rel="alternate" type="text/html" href={quoteattr(self.base + "/")}/>\n',
               f'<link rel="related" type="application/activity+json" href={quoteattr(self.collection_url)}/>\n',
               f"<author><name>{escape(self.site_name)}</name></author>\n"]
        for c in changes:
            act = self.activity(c)
            name = c["name"] or c["ctid"]
            label = {"Create": "Published", "Update": "Updated", "Delete": "Deleted"}[act["type"]]
            kind = (c["type"] or "").rsplit("/", 1)[-1]
            out.append("<entry>\n")
            out.append(f"<id>{escape(act['id'])}</id>\n<title>{escape(label + ': ' + name)}</title>\n"
                       f"<updated>{escape(c['received_at'])}</updated>\n")
            out.append(f'<category scheme={quoteattr(self.collection_url + "#action")} '
                       f'term="{act["type"].lower()}" label="{label}"/>\n')
            if act["type"] == "Delete":
                text = f"{kind} {c['ctid']} was deleted at {c['received_at']}."
                out.append(f'<content type="text">{escape(text)}</content>\n')
            else:
                page = self.resource_url(c["ctid"])
                out.append(f'<link rel="alternate" type="text/html" href={quoteattr(page)}/>\n'
                           f'<link rel="alternate" type="application/ld+json" href={quoteattr(page + ".jsonld")}/>\n'
                           f"<summary>{escape(kind + ' ' + c['ctid'] + ' ' + label.lower() + '.')}</summary>\n")
            out.append("</entry>\n")
        out.append("</feed>\n")
        return "".join(out).encode("utf-8")
