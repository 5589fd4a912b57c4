"""What crawlers and mirrors read first: robots.txt, the VoID description, the data dump."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response, StreamingResponse

from .dump import FILENAME, nquads_gz
from .negotiation import negotiate
from .sparql.void import VoidDescription

router = APIRouter(include_in_schema=False)


def base_url(request: Request) -> str:
    """The site's absolute URL: configured, else as the request reached us."""
    configured = request.app.state.registry.config.base_url
    return (configured or str(request.base_url)).rstrip("/")


@router.get("/robots.txt")
async def robots(request: Request) -> PlainTextResponse:
    # Pages are for crawlers; the query endpoint and the API are not.
    lines = ["User-agent: *", "Disallow: /sparql", "Disallow: /api/", "Disallow: /validate", "Allow: /", ""]
    sitemap = getattr(request.app.state, "sitemap_path", None)
    if sitemap:
        lines.append(f"Sitemap: {base_url(request)}{sitemap}")
    return PlainTextResponse("\n".join(lines) + "\n")


@router.get("/.well-known/void")
async def void(request: Request) -> Response:
    state = request.app.state
    if getattr(state, "void", None) is None:
        state.void = VoidDescription(state.registry, base_url=base_url(request))
    media = negotiate(request.headers.get("accept"), ["text/turtle", "application/n-triples",
                                                      "application/ld+json"]) or "text/turtle"
    text = await run_in_threadpool(state.void.turtle)
    if media == "text/turtle":
        return Response(text, media_type=media, headers={"Vary": "Accept"})
    import pyoxigraph as ox

    fmt = ox.RdfFormat.N_TRIPLES if media == "application/n-triples" else ox.RdfFormat.JSON_LD
    triples = list(ox.parse(text, format=ox.RdfFormat.TURTLE))
    return Response(ox.serialize(triples, format=fmt), media_type=media, headers={"Vary": "Accept"})


@router.get(f"/data/{FILENAME}")
async def dump(request: Request) -> StreamingResponse:
    store = request.app.state.registry.store
    return StreamingResponse(nquads_gz(store), media_type="application/n-quads",
                             headers={"Content-Encoding": "gzip",
                                      "Content-Disposition": f'attachment; filename="{FILENAME}"'})
