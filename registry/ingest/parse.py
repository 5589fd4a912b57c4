"""Read a CTDL document (bytes) into RDF, one :class:`Document` per resource.

Accepted inputs:

* a JSON-LD node (``{"@context": ..., "@id": ..., "ceterms:ctid": ...}``);
* a JSON-LD document with ``@graph`` (Credential Engine's publishing output: the
  first node is the resource; blank nodes and member nodes follow);
* a JSON array of such documents (one resource each);
* a Credential Engine envelope (``decoded_resource``, else the JWT payload of
  ``resource``);
* Turtle.

Nothing is fetched: the CTDL contexts resolve to shipped copies and any other
remote context is refused (:mod:`registry.ingest.contexts`).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespaces import CEASN, CTID_PROPERTIES, RDF_TYPE
from .contexts import UnknownContext, inline_contexts
from .normalise import normalise

CTID_RE = re.compile(r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CTID_ANYCASE_RE = re.compile(CTID_RE.pattern, re.IGNORECASE)
CTID_IN_IRI_RE = re.compile(r"(ce-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/?$")

_ABSOLUTE_RE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|_:)")

JSON_TYPES = ("application/ld+json", "application/json")
TURTLE_TYPES = ("text/turtle", "application/x-turtle")

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_DEPTH = 64


class ParseError(ValueError):
    """The input is not a document the registry can read. ``str()`` explains why."""

    def __init__(self, message: str, *, status: int = 422, code: str = "unreadable"):
        super().__init__(message)
        self.status = status
        self.code = code


class UnsupportedMediaType(ParseError):
    def __init__(self, media_type: str):
        super().__init__(
            f"Media type {media_type!r} is not accepted; send application/ld+json, application/json or text/turtle.",
            status=415,
            code="unsupported_media_type",
        )


@dataclass
class Document:
    """One resource read from the input, normalised, ready to validate."""

    ctid: str
    iri: str
    types: list[str]
    triples: list[ox.Triple]
    source: bytes  # the resource's document as received (what the journal keeps)
    media_type: str  # application/ld+json or text/turtle
    members: list[str] = field(default_factory=list)  # CTIDs of member nodes (competencies)

    @property
    def ntriples(self) -> bytes:
        """The graph as N-Triples, in document order, each statement once, as the store keeps it (a
        value written twice is one statement): what the journal keeps for the pages."""
        return ox.serialize(dict.fromkeys(self.triples), format=ox.RdfFormat.N_TRIPLES)


def ctid_from_iri(iri: str) -> str | None:
    """The CTID at the end of a registry IRI (``.../resources/ce-…``), lower-cased."""
    m = CTID_IN_IRI_RE.search(iri)
    return m.group(1).lower() if m else None


def media_type_of(name_or_type: str | None, data: bytes) -> str:
    """Decide between JSON-LD and Turtle from a Content-Type, a file name, or the bytes."""
    hint = (name_or_type or "").split(";")[0].strip().lower()
    if hint in JSON_TYPES or hint.endswith((".json", ".jsonld")):
        return "application/ld+json"
    if hint in TURTLE_TYPES or hint.endswith(".ttl"):
        return "text/turtle"
    if hint and "/" in hint and not hint.endswith(("/octet-stream", "/plain")):
        raise UnsupportedMediaType(hint)
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "application/ld+json" if head in (b"{", b"[") else "text/turtle"


def parse(
    data: bytes,
    media_type: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> list[Document]:
    """Parse ``data`` into documents; raise :class:`ParseError` with a clear reason."""
    if len(data) > max_bytes:
        raise ParseError(
            f"Document is {len(data):,} bytes; the limit is {max_bytes:,} bytes.", status=413, code="too_large"
        )
    if not data.strip():
        raise ParseError("The document is empty.", code="empty")
    kind = media_type_of(media_type, data)
    if kind == "text/turtle":
        return [_parse_turtle(data)]
    return _parse_json(data, max_depth)


# --- JSON-LD ----------------------------------------------------------------------------


def _parse_json(data: bytes, max_depth: int) -> list[Document]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"The document is not UTF-8 text: {exc}.") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"Malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}.") from None
    except RecursionError:
        raise ParseError(f"The document is nested more than {max_depth} levels deep.", code="too_deep") from None
    _check_depth(value, max_depth)

    if isinstance(value, list):
        if not value:
            raise ParseError("The JSON array holds no documents.", code="empty")
        docs = []
        for i, item in enumerate(value):
            try:
                docs.extend(_parse_json_value(item))
            except ParseError as exc:
                raise ParseError(f"Document {i + 1} of {len(value)}: {exc}", status=exc.status, code=exc.code) from None
        return docs
    return _parse_json_value(value, raw=data)


def _check_depth(value, max_depth: int) -> None:
    """Refuse documents nested deeper than ``max_depth`` (iteratively: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > max_depth:
            raise ParseError(f"The document is nested more than {max_depth} levels deep.", code="too_deep")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, (dict, list)))


def _parse_json_value(value, raw: bytes | None = None) -> list[Document]:
    if not isinstance(value, dict):
        raise ParseError("A JSON-LD document must be a JSON object (or an array of objects).")
    if "decoded_resource" in value or "envelope_type" in value or "resource" in value and "@context" not in value:
        return _parse_json_value(_unwrap_envelope(value))
    if "@context" not in value:
        raise ParseError(
            "The document has no @context, so its terms have no meaning. Add "
            '"@context": "https://credreg.net/ctdl/schema/context/json".',
            code="no_context",
        )
    try:
        expanded = inline_contexts(value)
    except UnknownContext as exc:
        raise ParseError(str(exc), code="unknown_context") from None
    main_id = _main_node_id(value)
    if main_id and not _ABSOLUTE_RE.match(main_id):
        raise ParseError(
            f"The resource's @id {main_id!r} is a relative reference, not an IRI, so JSON-LD drops the node. "
            "Use an absolute IRI, e.g. https://credentialengineregistry.org/resources/ce-….",
            code="relative_iri",
        )
    try:
        quads = list(ox.parse(json.dumps(expanded), format=ox.RdfFormat.JSON_LD))
    except SyntaxError as exc:
        raise ParseError(f"Invalid JSON-LD: {exc}.") from None
    source = raw if raw is not None else json.dumps(value, ensure_ascii=False, indent=2).encode("utf-8")
    return [_document([q.triple for q in quads], source, "application/ld+json", main_id)]


def _unwrap_envelope(env: dict) -> dict:
    decoded = env.get("decoded_resource")
    if isinstance(decoded, dict):
        return decoded
    token = env.get("resource")
    if isinstance(token, str) and token.count(".") == 2:
        payload = token.split(".")[1]
        try:
            decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except (ValueError, json.JSONDecodeError):
            raise ParseError("The envelope's resource is not a readable JWT.") from None
        if isinstance(decoded, dict):
            return decoded
    if isinstance(token, dict):
        return token
    raise ParseError("The envelope carries neither decoded_resource nor a JWT resource.")


def _main_node_id(value: dict) -> str | None:
    """The @id of the resource node: the document itself, or the first node of @graph."""
    graph = value.get("@graph")
    if isinstance(graph, list) and graph and isinstance(graph[0], dict):
        node_id = graph[0].get("@id")
    elif isinstance(graph, dict):
        node_id = graph.get("@id")
    else:
        node_id = value.get("@id")
    return node_id if isinstance(node_id, str) else None


# --- Turtle -----------------------------------------------------------------------------


def _parse_turtle(data: bytes) -> Document:
    try:
        triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise ParseError(f"Invalid Turtle: {exc}.") from None
    return _document(triples, data, "text/turtle", None)


# --- Shared -----------------------------------------------------------------------------


def _document(triples: list[ox.Triple], source: bytes, media_type: str, main_id: str | None) -> Document:
    if not triples:
        raise ParseError("The document contains no statements.", code="empty")
    triples = normalise(triples, source)
    with_ctid: dict[str, str] = {}
    subject_terms = {}
    for t in triples:
        if t.predicate.value in CTID_PROPERTIES and isinstance(t.object, ox.Literal):
            with_ctid.setdefault(t.subject.value, t.object.value.strip())
            subject_terms[t.subject.value] = t.subject
    if not with_ctid:
        raise ParseError(_no_ctid_message(triples), code="no_ctid")

    main = _pick_main(triples, with_ctid, subject_terms, main_id)
    if isinstance(subject_terms[main], ox.BlankNode):
        raise ParseError(
            "The resource node has no @id. Give it an IRI, e.g. "
            f"https://credentialengineregistry.org/resources/{with_ctid[main]}.",
            code="no_iri",
        )
    ctid = with_ctid[main]
    if not CTID_ANYCASE_RE.match(ctid):
        raise ParseError(
            f"CTID {ctid!r} is not valid: a CTID is 'ce-' followed by a UUID, "
            "e.g. ce-5a8f1c1e-3d9b-4c5e-9a7e-1b2c3d4e5f60.",
            code="bad_ctid",
        )
    types = [t.object.value for t in triples if t.subject.value == main and t.predicate.value == RDF_TYPE]
    if not types:
        raise ParseError(f"The resource {main} has no @type.", code="no_type")
    members = sorted({c for s, c in with_ctid.items() if s != main})
    return Document(ctid=ctid, iri=main, types=types, triples=triples, source=source,
                    media_type=media_type, members=members)


def _pick_main(triples, with_ctid: dict[str, str], subjects: dict, main_id: str | None) -> str:
    if main_id and main_id in with_ctid:
        return main_id
    if len(with_ctid) == 1:
        return next(iter(with_ctid))
    # Several nodes carry a CTID (a framework and its competencies, say): the
    # resource is the one that is not a member of another.
    types = {}
    for t in triples:
        if t.predicate.value == RDF_TYPE and t.subject.value in with_ctid:
            types.setdefault(t.subject.value, set()).add(t.object.value)
    candidates = [s for s in with_ctid if CEASN + "Competency" not in types.get(s, set())]
    if len(candidates) == 1:
        return candidates[0]
    raise ParseError(
        "The document describes several resources ("
        + ", ".join(sorted(with_ctid.values()))
        + "); publish one resource per document, or put the resource first in @graph.",
        code="several_resources",
    )


def _no_ctid_message(triples: list[ox.Triple]) -> str:
    namespaces = sorted({t.predicate.value.rsplit("/", 1)[0] + "/" for t in triples if "ctid" in t.predicate.value})
    hint = ""
    if namespaces:
        hint = (
            " A 'ctid' property was found in " + ", ".join(namespaces)
            + ", which is not the CTDL namespace (https://purl.org/ctdl/terms/)."
        )
    return "The document has no ceterms:ctid (or ceasn:ctid); every resource needs its CTID." + hint
