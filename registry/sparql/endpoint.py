"""``/sparql``: the SPARQL 1.1 Protocol, read-only, proxied to the store's query endpoint.

Every query is checked first (:mod:`registry.sparql.guard`): updates are refused,
``SERVICE`` only reaches allowed endpoints. The query then runs in the store's
server (the supervised ``oxigraph serve``), never in this process, within the time
limit that :mod:`registry.sparql.execution` keeps.

Requests are read as the Protocol defines them (UTF-8 only; one ``query``; a direct
POST needs its media type), the protocol dataset (``default-graph-uri``,
``named-graph-uri``) is passed on, and relative IRIs resolve against this endpoint.
Behaviour, status codes and the W3C conformance runners: ``docs/sparql.md``.

``GET`` and ``POST /sparql`` are answered by :func:`handle`, a bare ASGI function that
:class:`registry.app.RegistryApp` calls before FastAPI's middleware and routing: for a small
query those cost more CPU than the store does (``docs/sparql.md``, "Performance").
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import URL

from ..negotiation import negotiate
from .description import service_description
from .execution import QueryFailed
from .federation import FederationRefused
from .guard import QueryRefused, check

router = APIRouter()

SOLUTION_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
UTF8_CHARSETS = frozenset({"utf-8", "utf8", "us-ascii"})  # us-ascii is a subset of UTF-8
IRIREF = re.compile(r'[^<>"{}|^`\\\x00-\x20]+')  # what SPARQL allows between < and >
ERROR_LINE = re.compile(r"\berror at (\d+):")  # Oxigraph's syntax errors: "error at LINE:COLUMN: ..."
FORMAT_ALIASES = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


class ProtocolError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise ProtocolError(f"The '{name}' parameter was given {len(values)} times; give it once.")
    return values[0] if values else None


def _form(data: bytes, where: str) -> dict[str, list[str]]:
    """``application/x-www-form-urlencoded`` data, which the protocol requires to be UTF-8 (strictly)."""
    try:
        return parse_qs(data.decode("utf-8"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(f"The {where} is not UTF-8 (percent-encoded UTF-8 is required).") from None


def _charset_error(content_type: str) -> str | None:
    """The error for a direct POST whose ``charset`` is not UTF-8 (the Protocol allows only UTF-8)."""
    for param in content_type.split(";")[1:]:
        name, _, charset = (part.strip().strip('"').lower() for part in param.partition("="))
        if name == "charset" and charset not in UTF8_CHARSETS:
            return f"The body must be UTF-8; got charset={charset}."
    return None


@lru_cache(maxsize=64)  # clients send the same few Content-Type headers
def _post_kind(content_type: bytes) -> tuple[str, str | None]:
    """(media type without parameters, lower case; the charset error, if any) of a POST's Content-Type."""
    full = content_type.decode("latin-1")
    return full.split(";")[0].strip().lower(), _charset_error(full)


class ClientGone(Exception):
    """The client disconnected before its request body arrived: nobody to answer."""


async def _body(receive) -> bytes:
    """The whole request body, straight from the ASGI ``receive`` (one copy at most)."""
    message = await receive()
    if message["type"] != "http.request":
        raise ClientGone()
    body = message.get("body", b"")
    if not message.get("more_body", False):
        return body
    chunks = [body]
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise ClientGone()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


async def read_request(method: str, query_string: bytes, content_type: bytes | None,
                       receive) -> tuple[str | None, str | None, dict[str, list[str]]]:
    """(query, update, params) from a GET or POST as the SPARQL 1.1 Protocol defines them."""
    params = _form(query_string, "query string") if query_string else {}
    if method == "GET":
        return _one(params, "query"), _one(params, "update"), params
    kind, charset_error = _post_kind(content_type) if content_type is not None else ("", None)
    if kind == "application/sparql-query":
        if "query" in params:
            raise ProtocolError("A query sent as application/sparql-query must not also be in the URL.")
        if charset_error:
            raise ProtocolError(charset_error)
        try:
            return (await _body(receive)).decode("utf-8"), None, params
        except UnicodeDecodeError:
            raise ProtocolError("The body is not UTF-8.") from None
    if kind == "application/x-www-form-urlencoded":
        for key, values in _form(await _body(receive), "form body").items():
            params.setdefault(key, []).extend(values)
        return _one(params, "query"), _one(params, "update"), params
    if kind == "application/sparql-update":
        return None, "", params  # refused unread: this endpoint never runs updates
    raise ProtocolError(
        "POST a query as application/x-www-form-urlencoded (query=...) or as application/sparql-query; "
        f"got {kind or 'no Content-Type'}.",
        415 if kind else 400,
    )


def choose_format(accept: bytes | None, params: dict[str, list[str]], form: str | None) -> str:
    graph = form in ("CONSTRUCT", "DESCRIBE")
    offers = GRAPH_TYPES if graph else SOLUTION_TYPES
    fmt = (_one(params, "format") or _one(params, "output")) if params else None
    if fmt:
        media = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        if media == "application/sparql-results+xml" and graph:
            media = "application/rdf+xml"  # format=xml for a graph: RDF/XML
        if media not in offers:
            raise ProtocolError(f"format={fmt!r} is not available for this query; use one of: "
                                + ", ".join(offers), 406)
        return media
    media = _negotiate(accept, graph)
    if media is None:
        raise ProtocolError(f"None of the accepted types ({accept.decode('latin-1')}) can be produced; offered: "
                            + ", ".join(offers), 406)
    return media


@lru_cache(maxsize=256)  # clients send the same few Accept headers
def _negotiate(accept: bytes | None, graph: bool) -> str | None:
    text = accept.decode("latin-1") if accept is not None else None
    if text and "text/html" in text and "*/*" in text:
        text = None  # a browser: give the default
    return negotiate(text, GRAPH_TYPES if graph else SOLUTION_TYPES)


@lru_cache(maxsize=256)  # one endpoint, addressed by a few Host headers
def _base(scheme: str, server: tuple | None, path: str, host: bytes | None) -> tuple[str, bool]:
    """(this endpoint's URL, whether it can be written as an IRI): the base for relative IRIs."""
    url = URL(scope={"scheme": scheme, "server": server, "path": path, "query_string": b"",
                     "headers": [(b"host", host)] if host is not None else []})
    base = str(url.replace(query="", fragment=""))
    return base, IRIREF.fullmatch(base) is not None


# --- Responses, written as ASGI messages -----------------------------------------------------------
# The same headers Starlette's Response and the app's CORSMiddleware give (registry/app.py): CORS for a
# request with an Origin, and "Vary: Origin" always (with "Accept" first on a query's result).

CORS_EXPOSE_HEADERS = ["Link", "Content-Type"]
CORS_HEADERS = ((b"access-control-allow-origin", b"*"),
                (b"access-control-expose-headers", ", ".join(CORS_EXPOSE_HEADERS).encode("latin-1")))
VARY_RESULT = (b"vary", b"Accept, Origin")
VARY_OTHER = (b"vary", b"Origin")
TEXT_PLAIN = b"text/plain; charset=utf-8"


@lru_cache(maxsize=64)
def _content_type(media_type: str) -> bytes:
    if media_type.startswith("text/") and "charset=" not in media_type.lower():
        media_type += "; charset=utf-8"  # as Starlette's Response does
    return media_type.encode("latin-1")


async def _respond(send, status: int, content_type: bytes, body: bytes, cors: bool,
                   vary: tuple[bytes, bytes] = VARY_OTHER, extra: dict | None = None) -> None:
    headers = [(b"content-length", b"%d" % len(body)), (b"content-type", content_type)]
    if extra:
        headers += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()]
    headers.append(vary)
    if cors:
        headers += CORS_HEADERS
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


_READ_HEADERS = (b"content-type", b"accept", b"origin", b"host")  # the request headers the endpoint reads


async def handle(app, scope, receive, send, cors: bool = True) -> None:
    """``GET`` or ``POST /sparql`` as a bare ASGI app: the whole endpoint.

    It is called before FastAPI's middleware and router (:class:`registry.app.RegistryApp`): on a
    small query those cost a worker more CPU than the store spends (``docs/sparql.md``,
    "Performance"). So it reads the request from the scope and ``receive``, writes the answer as two
    ASGI messages, and adds the CORS headers itself (``cors``; the same as the app's
    ``CORSMiddleware``). ``app`` is the FastAPI app, for its state.
    """
    state = app.state
    found: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:  # the first of each, as Starlette's Headers.get
        if name in _READ_HEADERS and name not in found:
            found[name] = value
    content_type, accept, origin, host = map(found.get, _READ_HEADERS)
    cors = cors and origin is not None
    try:
        try:
            query, update, params = await read_request(scope["method"], scope.get("query_string", b""),
                                                       content_type, receive)
            if update is not None:
                raise ProtocolError("This endpoint is read-only: SPARQL updates are not accepted.", 403)
            if query is None:
                status, media, body = _describe(app, scope)
                return await _respond(send, status, media, body, cors)
            settings = state.settings
            info = check(query, max_length=settings.max_query_length, allowed_services=settings.allowed_services)
            for endpoint in info.services:  # allowed by name; now check where the name leads today
                try:
                    await run_in_threadpool(state.federation.check, endpoint)
                except FederationRefused as exc:
                    raise QueryRefused(f"SERVICE refused: {exc}.") from None
            media = choose_format(accept, params, info.form)
        except (ProtocolError, QueryRefused) as exc:
            return await _respond(send, exc.status, TEXT_PLAIN, (str(exc) + "\n").encode("utf-8"), cors)
    except ClientGone:
        return
    # Relative IRIs resolve against this endpoint, the service-defined base IRI, not the store's
    # own (internal, per-process) URL. A query's own BASE still wins.
    server = scope.get("server")
    base, with_base = _base(scope.get("scheme", "http"), tuple(server) if server else None, scope["path"], host)
    # The protocol's dataset (each IRI a repeated form field) replaces the query's FROM / FROM NAMED.
    dataset = {name: params[name] for name in DATASET_PARAMS if params.get(name)} if params else None
    try:
        result = await state.queries.query(f"BASE <{base}>\n{query}" if with_base else query, media, dataset)
    except QueryFailed as exc:
        text = str(exc)
        if with_base and exc.status == 400:  # point at the client's lines, not counting the BASE line added above
            text = ERROR_LINE.sub(lambda m: f"error at {int(m[1]) - 1}:", text, count=1)
        return await _respond(send, exc.status, TEXT_PLAIN, (text + "\n").encode("utf-8"), cors,
                              extra=exc.headers)
    await _respond(send, 200, _content_type(result.media_type), result.body, cors, VARY_RESULT)


@router.api_route("/sparql", methods=["GET", "POST"], include_in_schema=True,
                  summary="SPARQL 1.1 query endpoint (read-only)")
async def sparql(request: Request) -> Response:
    """The route, for the API docs. :class:`registry.app.RegistryApp` answers ``/sparql`` before routing,
    with :func:`handle`; should a request still get here, :func:`handle` answers it all the same."""
    messages = []

    async def keep(message):
        messages.append(message)

    await handle(request.app, request.scope, request.receive, keep, cors=False)  # the CORS middleware adds them
    if not messages:
        return Response(status_code=400)  # the client is gone
    response = Response(messages[1]["body"], status_code=messages[0]["status"])
    response.raw_headers = messages[0]["headers"]
    return response


def _describe(app, scope) -> tuple[int, bytes, bytes]:
    """The service description (``GET /sparql`` with no query): (status, Content-Type, body)."""
    state = app.state
    request = Request(scope)
    endpoint = str(request.url.replace(query=""))
    accept = request.headers.get("accept", "")
    media = negotiate(accept, ["text/turtle", "text/html", "application/n-triples"]) or "text/turtle"
    if media == "text/html" and state.render_sparql_page is not None:
        return 200, _content_type("text/html"), state.render_sparql_page().encode("utf-8")
    body = service_description(endpoint, federation=bool(state.settings.allowed_services))
    if media == "application/n-triples":
        import pyoxigraph as ox

        triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
        return 200, _content_type(media), ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return 200, _content_type("text/turtle"), body.encode("utf-8")
