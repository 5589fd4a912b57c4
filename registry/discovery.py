"""What crawlers and mirrors read first: robots.txt, sitemaps, change feeds, the data catalog,
the VoID description and the data dump.

| URL | What |
| --- | --- |
| ``/robots.txt`` | with an absolute ``Sitemap:`` line |
| ``/sitemap.xml`` | sitemap index (:mod:`registry.sitemaps`) |
| ``/sitemaps/{Type}-{n}.xml.gz``, ``/sitemaps/pages.xml.gz`` | gzipped sitemaps |
| ``/feed.atom`` | the newest 100 changes (:mod:`registry.feeds`) |
| ``/changes``, ``/changes.json`` | every change: an Activity Streams ``OrderedCollection`` |
| ``/changes/page-{n}.json``, ``/changes?page=N``, ``/changes?after=SEQ`` | its pages |
| ``/data``, ``/data.ttl``, ``/data.jsonld`` | DCAT catalog and schema.org Dataset (:mod:`registry.catalog`) |
| ``/.well-known/void`` | VoID |
| ``/data/registry.nq.gz`` | every quad, gzipped N-Quads |

Absolute URLs use the configured ``base_url``, else the URL the request came in on. ``registry
site`` writes the same files (:mod:`registry.incremental`). Generated documents are cached per
journal seq, so repeated requests between publishes cost nothing.
"""

from __future__ import annotations

import queue
import threading
from typing import AsyncIterator, Callable, Iterator

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse

from .catalog import Catalog
from .dump import FILENAME, nquads_gz
from .feeds import PAGE_SIZE, Feeds, dumps
from .incremental import robots_txt
from .negotiation import negotiate
from .sitemaps import Sitemaps
from .sparql.void import VoidDescription

router = APIRouter(include_in_schema=False)

AS2 = "application/activity+json"
_cache_lock = threading.Lock()


def base_url(request: Request) -> str:
    """The site's absolute URL: configured, else as the request reached us."""
    configured = request.app.state.registry.config.base_url
    return (configured or str(request.base_url)).rstrip("/")


def _cached(request: Request, key: tuple, compute):
    """``compute()`` once per journal seq (and key) in this process."""
    state = request.app.state
    seq = state.registry.journal.last_seq()
    with _cache_lock:
        cache = getattr(state, "discovery_cache", None)
        if cache is None or cache.get("_seq") != seq:
            cache = state.discovery_cache = {"_seq": seq}
        if key in cache:
            return cache[key]
    value = compute()
    with _cache_lock:
        if state.discovery_cache.get("_seq") == seq:
            state.discovery_cache[key] = value
    return value


@router.get("/robots.txt")
async def robots(request: Request) -> PlainTextResponse:
    return PlainTextResponse(robots_txt(base_url(request), getattr(request.app.state, "sitemap_path", None)))


# --- sitemaps ----------------------------------------------------------------------------


def _sitemaps(request: Request) -> Sitemaps:
    return Sitemaps(request.app.state.registry.journal, base_url(request))


@router.get("/sitemap.xml")
async def sitemap_index(request: Request) -> Response:
    maps = _sitemaps(request)
    body = await run_in_threadpool(_cached, request, ("sitemap", maps.base),
                                   lambda: maps.index(maps.index_entries()))
    return Response(body, media_type="application/xml")


@router.get("/sitemaps/{name}")
async def sitemap_child(request: Request, name: str) -> Response:
    maps = _sitemaps(request)
    child = await run_in_threadpool(_cached, request, ("sitemaps", maps.base, name), lambda: maps.child(name))
    if child is None:
        return PlainTextResponse("No such sitemap.\n", status_code=404)
    # A gzipped file (like a static host serves it), not a gzip-encoded XML response.
    return Response(child.body, media_type="application/gzip")


# --- feeds -------------------------------------------------------------------------------


def _feeds(request: Request) -> Feeds:
    state = request.app.state
    return Feeds(state.registry.journal, base_url(request), site_name=state.registry.config.site_name,
                 page_size=getattr(state, "changes_page_size", None) or PAGE_SIZE)


@router.get("/feed.atom")
async def atom(request: Request) -> Response:
    feeds = _feeds(request)
    body = await run_in_threadpool(_cached, request, ("atom", feeds.base, feeds.page_size), feeds.atom)
    return Response(body, media_type="application/atom+xml")


@router.get("/changes.json")
@router.get("/changes")
async def changes(request: Request, page: int | None = None, after: int | None = None) -> Response:
    """The collection; ``?page=N`` one page; ``?after=SEQ`` what follows journal seq SEQ."""
    feeds = _feeds(request)
    if after is not None:
        doc = await run_in_threadpool(feeds.after, after, feeds.base + "/changes")
    elif page is not None:
        doc = await run_in_threadpool(feeds.page, page)
        if doc is None:
            return PlainTextResponse(f"No page {page}.\n", status_code=404)
    else:
        doc = await run_in_threadpool(feeds.collection)
    return Response(dumps(doc), media_type=AS2)


@router.get("/changes/page-{n}.json")
async def changes_page(request: Request, n: int) -> Response:
    feeds = _feeds(request)
    doc = await run_in_threadpool(feeds.page, n)
    if doc is None:
        return PlainTextResponse(f"No page {n}.\n", status_code=404)
    return Response(dumps(doc), media_type=AS2)


# --- /data ---------------------------------------------------------------------------------


def _catalog(request: Request) -> Catalog:
    return Catalog(request.app.state.registry.journal, base_url(request),
                   site_name=request.app.state.registry.config.site_name)


@router.get("/data")
async def data(request: Request, format: str | None = None) -> Response:
    catalog = _catalog(request)
    offers = ["text/html", "text/turtle", "application/ld+json"]
    media = {"ttl": "text/turtle", "turtle": "text/turtle", "jsonld": "application/ld+json",
             "html": "text/html"}.get((format or "").lower()) if format else negotiate(
        request.headers.get("accept"), offers)
    headers = {"Vary": "Accept", "Link": f'<{catalog.url("/data.ttl")}>; rel="alternate"; type="text/turtle", '
                                          f'<{catalog.url("/data.jsonld")}>; rel="alternate"; type="application/ld+json"'}
    if media is None:
        return PlainTextResponse("Offered: " + ", ".join(offers) + "\n", status_code=406)
    if media == "text/turtle":
        return Response(await run_in_threadpool(catalog.turtle), media_type=media, headers=headers)
    if media == "application/ld+json":
        return Response(catalog.dcat_json() + "\n", media_type=media, headers=headers)
    html = await run_in_threadpool(catalog.html, request.app.state.site.renderer)
    return HTMLResponse(html, headers=headers)


@router.get("/data/")
async def data_slash(request: Request) -> RedirectResponse:
    return RedirectResponse(request.app.state.site.renderer.url("/data"), status_code=301)


@router.get("/data.ttl")
async def data_turtle(request: Request) -> Response:
    return Response(await run_in_threadpool(_catalog(request).turtle), media_type="text/turtle")


@router.get("/data.jsonld")
async def data_jsonld(request: Request) -> Response:
    return Response(_catalog(request).dcat_json() + "\n", media_type="application/ld+json")


# --- VoID and the dump -------------------------------------------------------------------


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
    return StreamingResponse(in_one_thread(lambda: nquads_gz(store)), media_type="application/n-quads",
                             headers={"Content-Encoding": "gzip",
                                      "Content-Disposition": f'attachment; filename="{FILENAME}"'})


_END = object()


async def in_one_thread(make: Callable[[], Iterator[bytes]], *, buffer: int = 4) -> AsyncIterator[bytes]:
    """The chunks of ``make()``, produced by one thread of its own.

    Starlette steps a plain generator on whichever worker thread is free, one ``next()`` at a time.
    The dump's generator holds pyoxigraph objects (the store's lazily parsed query solutions)
    that must stay on the thread that made them: stepped from another thread, PyO3 aborts the
    whole worker process. Here one thread runs the generator from start to end and hands the
    chunks over through a small queue (``buffer`` chunks: a slow client slows the producer). If
    the client goes away, the producer stops at its next chunk.
    """
    chunks: queue.Queue = queue.Queue(maxsize=buffer)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                chunks.put(item, timeout=0.25)
                return True
            except queue.Full:
                pass
        return False

    def produce() -> None:
        try:
            for chunk in make():
                if not put(chunk):
                    return
        except BaseException as exc:  # handed to the response, which ends the connection
            put(exc)
        else:
            put(_END)

    def take():
        while True:
            try:
                return chunks.get(timeout=0.25)
            except queue.Empty:
                if stop.is_set() or not producer.is_alive() and chunks.empty():
                    return _END

    producer = threading.Thread(target=produce, name="dump-stream", daemon=True)
    producer.start()
    try:
        while True:
            item = await run_in_threadpool(take)
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
