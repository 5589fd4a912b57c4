"""``/sparql``: the SPARQL 1.1 Protocol, read-only, proxied to the store's query endpoint.

Every query is checked first (:mod:`registry.sparql.guard`): updates are refused,
``SERVICE`` only reaches allowed endpoints. The query then runs in the store's
server (the supervised ``oxigraph serve``), never in this process, within the time
limit that :mod:`registry.sparql.execution` keeps.

Requests are read as the Protocol defines them (UTF-8 only; one ``query``; a direct
POST needs its media type), the protocol dataset (``default-graph-uri``,
``named-graph-uri``) is passed on, and relative IRIs resolve against this endpoint.
Behaviour, status codes and the W3C conformance runners: ``docs/sparql.md``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response

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


def _utf8(body: bytes, content_type: str) -> str:
    """A direct POST body: UTF-8 only, as the SPARQL 1.1 Protocol requires."""
    for param in content_type.split(";")[1:]:
        name, _, charset = (part.strip().strip('"').lower() for part in param.partition("="))
        if name == "charset" and charset not in UTF8_CHARSETS:
            raise ProtocolError(f"The body must be UTF-8; got charset={charset}.")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError("The body is not UTF-8.") from None


async def read_request(request: Request) -> tuple[str | None, str | None, dict[str, list[str]]]:
    """(query, update, params) from a GET or POST as the SPARQL 1.1 Protocol defines them."""
    params = _form(request.scope.get("query_string", b""), "query string")
    if request.method == "GET":
        return _one(params, "query"), _one(params, "update"), params
    full_type = request.headers.get("content-type", "")
    content_type = full_type.split(";")[0].strip().lower()
    if content_type == "application/x-www-form-urlencoded":
        for key, values in _form(await request.body(), "form body").items():
            params.setdefault(key, []).extend(values)
        return _one(params, "query"), _one(params, "update"), params
    if content_type == "application/sparql-query":
        if "query" in params:
            raise ProtocolError("A query sent as application/sparql-query must not also be in the URL.")
        return _utf8(await request.body(), full_type), None, params
    if content_type == "application/sparql-update":
        return None, "", params  # refused unread: this endpoint never runs updates
    raise ProtocolError(
        "POST a query as application/x-www-form-urlencoded (query=...) or as application/sparql-query; "
        f"got {content_type or 'no Content-Type'}.",
        415 if content_type else 400,
    )


def choose_format(request: Request, params: dict[str, list[str]], form: str | None) -> str:
    offers = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else SOLUTION_TYPES
    fmt = _one(params, "format") or _one(params, "output")
    if fmt:
        media = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        if media == "application/sparql-results+xml" and offers is GRAPH_TYPES:
            media = "application/rdf+xml"  # format=xml for a graph: RDF/XML
        if media not in offers:
            raise ProtocolError(f"format={fmt!r} is not available for this query; use one of: "
                                + ", ".join(offers), 406)
        return media
    accept = request.headers.get("accept")
    if accept and "text/html" in accept and "*/*" in accept:
        accept = None  # a browser: give the default
    media = _negotiate(accept, offers is GRAPH_TYPES)
    if media is None:
        raise ProtocolError(f"None of the accepted types ({accept}) can be produced; offered: "
                            + ", ".join(offers), 406)
    return media


@lru_cache(maxsize=256)  # clients send the same few Accept headers
def _negotiate(accept: str | None, graph: bool) -> str | None:
    return negotiate(accept, GRAPH_TYPES if graph else SOLUTION_TYPES)


@router.api_route("/sparql", methods=["GET", "POST"], include_in_schema=True,
                  summary="SPARQL 1.1 query endpoint (read-only)")
async def sparql(request: Request) -> Response:
    app = request.app.state
    try:
        query, update, params = await read_request(request)
        if update is not None:
            raise ProtocolError("This endpoint is read-only: SPARQL updates are not accepted.", 403)
        if query is None:
            return _describe(request)
        info = check(query, max_length=app.settings.max_query_length,
                     allowed_services=app.settings.allowed_services)
        for endpoint in info.services:  # allowed by name; now check where the name leads today
            try:
                await run_in_threadpool(app.federation.check, endpoint)
            except FederationRefused as exc:
                raise QueryRefused(f"SERVICE refused: {exc}.") from None
        media = choose_format(request, params, info.form)
    except (ProtocolError, QueryRefused) as exc:
        return PlainTextResponse(str(exc) + "\n", status_code=exc.status)
    # Relative IRIs resolve against this endpoint, the service-defined base IRI, not the store's
    # own (internal, per-process) URL. A query's own BASE still wins.
    base = str(request.url.replace(query="", fragment=""))
    with_base = IRIREF.fullmatch(base) is not None
    # The protocol's dataset (each IRI a repeated form field) replaces the query's FROM / FROM NAMED.
    form = {"query": f"BASE <{base}>\n{query}" if with_base else query}
    form |= {name: params[name] for name in DATASET_PARAMS if params.get(name)}
    try:
        result = await app.queries.run(form, media)
    except QueryFailed as exc:
        text = str(exc)
        if with_base and exc.status == 400:  # point at the client's lines, not counting the BASE line added above
            text = ERROR_LINE.sub(lambda m: f"error at {int(m[1]) - 1}:", text, count=1)
        return PlainTextResponse(text + "\n", status_code=exc.status, headers=exc.headers)
    return Response(result.body, media_type=result.media_type, headers={"Vary": "Accept"})


class Shortcut:
    """ASGI middleware: ``GET`` and ``POST /sparql`` go straight to :func:`sparql`.

    They skip FastAPI's routing, dependency solving and inner middleware, which cost a worker more
    CPU per request than a lookup costs the store (``docs/sparql.md``, "Performance"). The route
    above stays for the API docs. Install it inside the CORS middleware; :func:`sparql` answers
    every error itself, and anything unexpected still reaches the server-error middleware.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == "/sparql" and scope["method"] in ("GET", "POST"):
            response = await sparql(Request(scope, receive))
            await response(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _describe(request: Request) -> Response:
    app = request.app.state
    endpoint = str(request.url.replace(query=""))
    accept = request.headers.get("accept", "")
    media = negotiate(accept, ["text/turtle", "text/html", "application/n-triples"]) or "text/turtle"
    if media == "text/html" and app.render_sparql_page is not None:
        return Response(app.render_sparql_page(), media_type="text/html")
    body = service_description(endpoint, federation=bool(app.settings.allowed_services))
    if media == "application/n-triples":
        import pyoxigraph as ox

        triples = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
        return Response(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), media_type=media)
    return Response(body, media_type="text/turtle")
