"""The FastAPI application: publishing API, SPARQL endpoint and the site."""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import __version__
from .api import router as api_router
from .core import Registry
from .discovery import router as discovery_router
from .paths import STATIC_DIR
from .sitegen import Site
from .sparql.endpoint import CORS_EXPOSE_HEADERS
from .sparql.endpoint import handle as sparql_handle
from .sparql.endpoint import router as sparql_router
from .sparql.examples import examples
from .sparql.execution import QueryRunner
from .sparql.federation import Federation
from .store import RemoteStore
from .web import router as web_router


@dataclass
class SparqlSettings:
    query_url: str
    query_timeout: float = 30.0
    max_query_length: int = 100_000
    allowed_services: frozenset[str] = frozenset()


ENV_CONFIG = "REGISTRY_SERVE_CONFIG"


class RegistryApp(FastAPI):
    """The FastAPI app, except that ``GET`` and ``POST /sparql`` go straight to the endpoint.

    They skip FastAPI's and Starlette's middleware (errors, CORS), routing and ``Request`` /
    ``Response`` objects, which cost a worker more CPU per request than a small query costs the store
    (``docs/sparql.md``, "Performance"). :func:`registry.sparql.endpoint.handle` answers every error
    itself and adds the same CORS headers as the middleware below; the route stays for the API docs.
    Anything else (``OPTIONS`` preflights included) takes the usual way.
    """

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == "/sparql" and scope["method"] in ("GET", "POST"):
            await sparql_handle(self, scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def create_app_from_env() -> FastAPI:
    """The app in a worker process started by ``registry serve --workers N``.

    The parent process (which supervises the store) passes the resolved settings
    as JSON in ``REGISTRY_SERVE_CONFIG``.
    """
    import json
    import os
    from pathlib import Path

    from .config import Config

    settings = json.loads(os.environ[ENV_CONFIG])
    store_url = settings.pop("_server_url", None)
    site_dir = settings.pop("_site_dir", None)
    site_base = settings.pop("_site_base", None)
    data_dir = Path(settings.pop("data_dir"))
    cfg = Config.load(data_dir, **settings)
    store = RemoteStore.for_base(store_url or cfg.store_url or "", query_url=cfg.query_url,
                                 update_url=cfg.update_url, gsp_url=cfg.gsp_url)
    return create_app(Registry(cfg, store), site_dir=site_dir, site_base=site_base)


def create_app(registry: Registry, *, site_dir=None, site_base: str | None = None) -> FastAPI:
    """The app for one registry. Its store must be a server (public queries never run in-process).

    ``site_dir``: a static output directory kept current after every publish and deletion
    (:class:`registry.incremental.SiteUpdater`, a Registry listener); ``site_base`` is the
    absolute URL it is published at (default: the configured base_url).
    """
    if not isinstance(registry.store, RemoteStore):
        raise ValueError("The web app needs a SPARQL server as its store (RemoteStore).")
    cfg = registry.config

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.queries = QueryRunner(registry.store.query_url, timeout=cfg.query_timeout,
                                        max_concurrent=cfg.max_concurrent_queries,
                                        max_result_bytes=cfg.max_result_bytes, server_state=cfg.server_state)
        yield
        app.state.queries.close()
        if app.state.site_updater is not None:  # registry.incremental
            if app.state.site_updater in registry.listeners:
                registry.listeners.remove(app.state.site_updater)
            app.state.site_updater.close()

    app = RegistryApp(
        title=cfg.site_name,
        version=__version__,
        description="Publish CTDL, query it with SPARQL, browse it as pages.",
        lifespan=lifespan,
    )
    app.state.registry = registry
    app.state.site = Site(registry)
    app.state.sitemap_path = "/sitemap.xml"  # robots.txt names it (registry.discovery)
    app.state.site_updater = None
    if site_dir is not None:
        from pathlib import Path

        from .incremental import SiteUpdater, StaticSite

        # workers=1: never fork from a web worker (``registry serve`` builds the directory first).
        app.state.site_updater = SiteUpdater(StaticSite(app.state.site, Path(site_dir), base=site_base, workers=1))
        registry.listeners.append(app.state.site_updater)
    app.state.federation = Federation.from_config(cfg.federate, cfg.federate_private)
    app.state.settings = SparqlSettings(query_url=registry.store.query_url, query_timeout=cfg.query_timeout,
                                        max_query_length=cfg.max_query_length,
                                        allowed_services=app.state.federation.endpoints)
    app.state.render_sparql_page = lambda: app.state.site.renderer.sparql_page(
        endpoint=app.state.site.renderer.url("/sparql"), timeout=cfg.query_timeout,
        query=examples()[0].query if examples() else "",
        examples=[{"title": e.title, "query": e.query} for e in examples()])
    app.include_router(api_router)
    app.include_router(sparql_router)
    app.include_router(web_router)
    app.include_router(discovery_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Browser clients elsewhere (YASGUI, Comunica) may query and read; nobody publishes cross-site with cookies.
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                       allow_headers=["Accept", "Content-Type"], expose_headers=CORS_EXPOSE_HEADERS,
                       max_age=86400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"status": "error", "message": exc.detail}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        html = app.state.site.error_html(exc.status_code, "Error", str(exc.detail))
        return HTMLResponse(html, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        return JSONResponse({"status": "error", "message": "Bad request parameters.", "detail": exc.errors()},
                            status_code=400)

    return app
