"""The human (and crawler) side: home, resource lists, one page per resource with alternates."""

from __future__ import annotations

import hashlib
import re

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, Response

from .formats import MEDIA_TYPES
from .negotiation import negotiate
from .paths import STATIC_DIR

router = APIRouter(include_in_schema=False)

_NAME = re.compile(r"^(?P<ctid>ce-[0-9a-fA-F-]{36})(?:\.(?P<ext>ttl|jsonld|nt))?$")
_OFFERS = ["text/html", "application/ld+json", "text/turtle", "application/n-triples"]
_EXT = {v: k for k, v in MEDIA_TYPES.items()}
_FORMAT_PARAM = {"html": "text/html", "jsonld": "application/ld+json", "json-ld": "application/ld+json",
                 "ttl": "text/turtle", "turtle": "text/turtle", "nt": "application/n-triples",
                 "ntriples": "application/n-triples"}


def _error(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return HTMLResponse(request.app.state.site.error_html(status, title, message), status_code=status)


@router.get("/")
async def home(request: Request) -> HTMLResponse:
    return HTMLResponse(await run_in_threadpool(request.app.state.site.home_html))


@router.get("/favicon.ico")
async def favicon() -> FileResponse:
    """Where browsers and crawlers look for the icon without a page (pages name /static/favicon.svg)."""
    return FileResponse(STATIC_DIR / "favicon.ico", media_type="image/x-icon",
                        headers={"Cache-Control": "public, max-age=86400"})


@router.get("/resources")
async def resources(request: Request, page: int = 1, type: str | None = None, owner: str | None = None,
                    state: str | None = None) -> HTMLResponse:
    if owner or state:  # narrowed to one provider (CTID or IRI) and/or one state (addressRegion)
        html = await run_in_threadpool(request.app.state.site.filtered_index_html, page, type, owner, state)
        if html is None:
            what = f"the organization {owner}" if owner else f"the state {state}"
            return _error(request, 404, "Not found", f"No resources are published here for {what}. "
                          "See /organizations and /states for what there is.")
        return HTMLResponse(html)
    html = await run_in_threadpool(request.app.state.site.index_html, page, type)
    return HTMLResponse(html)


@router.get("/resources/{name}")
async def resource(request: Request, name: str, format: str | None = None) -> Response:
    site = request.app.state.site
    m = _NAME.match(name)
    if not m:
        return _error(request, 404, "Not found", "There is no resource here. A resource's address is "
                      "/resources/ followed by its CTID (ce-…).")
    ctid, ext = m.group("ctid"), m.group("ext")
    row = site.registry.journal.resource(ctid)
    if row is None:
        return _error(request, 404, "Not found", f"No resource with CTID {ctid} is published here.")
    if not row.live:
        return _error(request, 410, "Deleted", f"The resource {ctid} was deleted on {row.deleted_at}.")
    if ext:
        media = MEDIA_TYPES[ext]
    elif format:
        media = _FORMAT_PARAM.get(format.lower())
        if media is None:
            return _error(request, 406, "Unknown format", "format= takes html, jsonld, ttl or nt.")
    else:
        media = negotiate(request.headers.get("accept"), _OFFERS)
        if media is None:
            return Response("Offered: " + ", ".join(_OFFERS) + "\n", status_code=406, media_type="text/plain")
    base = site.renderer.url(f"/resources/{ctid}")
    headers = {
        "Vary": "Accept",
        "Link": ", ".join(f'<{base}.{_EXT[t]}>; rel="alternate"; type="{t}"' for t in _OFFERS[1:])
        + f', <{base}>; rel="canonical"',
        "Last-Modified": _http_date(row.updated_at),
    }
    if media == "text/html":
        return HTMLResponse(await run_in_threadpool(site.resource_html, row), headers=headers)
    body, media = await run_in_threadpool(site.resource_alternate, row, _EXT[media])
    return Response(body, media_type=media, headers=headers)


@router.get("/validate")
async def validate_form(request: Request) -> HTMLResponse:
    return HTMLResponse(request.app.state.site.renderer.validate_page())


@router.post("/validate")
async def validate_document(request: Request, document: str = Form(""),
                            file: UploadFile | None = File(None)) -> HTMLResponse:
    """Check a pasted or uploaded document against the shapes; nothing is stored."""
    from .ingest.parse import ParseError
    from .shapes.validate import validate

    site = request.app.state.site
    cfg = site.registry.config
    data, name = document.encode("utf-8"), None
    if file is not None and file.filename:
        data, name = await file.read(cfg.max_document_bytes + 1), file.filename
    if not data.strip():
        return HTMLResponse(site.renderer.validate_page(error="Paste a document or choose a file."),
                            status_code=400)
    try:
        docs = site.registry.loader.read(data, name, max_bytes=cfg.max_document_bytes,
                                         max_depth=cfg.max_document_depth)
    except ParseError as exc:
        return HTMLResponse(site.renderer.validate_page(document=document, error=str(exc)), status_code=422)

    def run():
        return [{"title": f"{doc.ctid} ({site.renderer.vocab.label(doc.types[0])})",
                 "report": validate(doc.triples, main_iri=doc.iri, extra_shapes=cfg.extra_shapes).to_json()}
                for doc in docs]

    reports = await run_in_threadpool(run)
    return HTMLResponse(site.renderer.validate_page(document=document, reports=reports))


def _http_date(iso: str) -> str:
    from datetime import datetime
    from email.utils import format_datetime

    return format_datetime(datetime.fromisoformat(iso.replace("Z", "+00:00")), usegmt=True)


# --- browse by organization and state; search (docs/search.md) --------------------------


@router.get("/organizations")
async def organizations(request: Request) -> HTMLResponse:
    return HTMLResponse(await run_in_threadpool(request.app.state.site.organizations_html))


@router.get("/states")
async def states(request: Request) -> HTMLResponse:
    return HTMLResponse(await run_in_threadpool(request.app.state.site.states_html))


@router.get("/search")
async def search(request: Request) -> HTMLResponse:
    """The search page; the searching itself happens in the browser (static/search.js)."""
    return HTMLResponse(await run_in_threadpool(request.app.state.site.search_html))


def _search_file(request: Request, index, rel: str | None, cache: str) -> Response:
    """One file of the search index (``rel`` None: the manifest), with an ETag per representation,
    304 on a match, and gzip when the client takes it."""
    body = index.manifest if rel is None else index.files[rel]
    gzipped = "gzip" in request.headers.get("accept-encoding", "").lower()
    digest = index.etag if rel is None else f"{index.version}-{hashlib.sha256(rel.encode()).hexdigest()[:8]}"
    etag = f'"{digest}-gz"' if gzipped else f'"{digest}"'  # one tag per representation
    headers = {"ETag": etag, "Cache-Control": cache, "Vary": "Accept-Encoding"}
    if {f'"{digest}"', f'"{digest}-gz"'} & {t.strip() for t in request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers=headers)
    if gzipped:
        return Response(index.gzipped(rel), media_type="application/json",
                        headers={**headers, "Content-Encoding": "gzip"})
    return Response(body, media_type="application/json", headers=headers)


@router.get("/search-index.json")
async def search_index(request: Request) -> Response:
    """The manifest of what static/search.js searches: regenerated when the journal changes,
    revalidated by ETag (docs/search.md)."""
    index = await run_in_threadpool(request.app.state.site.search_index)
    return await run_in_threadpool(_search_file, request, index, None, "no-cache")


@router.get("/search-index/{version}/{rel:path}")
async def search_index_shard(request: Request, version: str, rel: str) -> Response:
    """A shard of the search index. Its address names the version (a hash of the content), so it
    never changes: cached for a year. Another version's shard is gone (404): the script then reloads
    the manifest."""
    index = await run_in_threadpool(request.app.state.site.search_index)
    if version != index.version or rel not in index.files:
        return Response("Not found\n", status_code=404, media_type="text/plain",
                        headers={"Cache-Control": "no-cache"})
    return await run_in_threadpool(_search_file, request, index, rel, "public, max-age=31536000, immutable")
