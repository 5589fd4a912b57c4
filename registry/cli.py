"""The ``registry`` command line.

Every command takes ``--data DIR`` (default ``./registry-data``): the journal, the
on-disk store and ``registry.toml`` live there.
"""

from __future__ import annotations

import json
import logging
import sys
from functools import wraps
from pathlib import Path

import click

from .config import Config

READABLE = (".json", ".jsonld", ".ttl")


def data_option(fn):
    @click.option("--data", "data_dir", default="registry-data", show_default=True,
                  type=click.Path(file_okay=False, path_type=Path), help="Data directory.")
    @wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


def store_options(fn):
    @click.option("--store-url", help="A running Oxigraph-compatible server (URL/query, URL/update, URL/store).")
    @click.option("--query-url", help="SPARQL query endpoint, for servers laid out otherwise.")
    @click.option("--update-url", help="SPARQL update endpoint.")
    @click.option("--gsp-url", help="Graph Store Protocol endpoint.")
    @wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


def _config(data_dir: Path, **overrides) -> Config:
    try:
        return Config.load(data_dir, **overrides)
    except ValueError as exc:
        raise click.ClickException(str(exc))


def _registry(cfg: Config):
    from .core import Registry, open_store
    from .store import StoreError

    try:
        return Registry(cfg, open_store(cfg))
    except StoreError as exc:
        raise click.ClickException(str(exc))


def _files(paths: tuple[Path, ...]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READABLE)
        else:
            out.append(path)
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ctdl-registry")
def main():
    """A linked-data registry for CTDL credential descriptions."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")


# --- serve ------------------------------------------------------------------------------


@main.command()
@data_option
@store_options
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--demo", is_flag=True, help="Load the bundled demo data if the registry is empty.")
@click.option("--query-timeout", type=float, help="Seconds before a SPARQL query is cancelled (default 30).")
@click.option("--base-url", help="Absolute URL the site is published at (for canonical links).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Web worker processes (use the machine's cores).")
@click.option("--federate", multiple=True, metavar="IRI",
              help="A SPARQL endpoint that SERVICE may query. Repeatable.")
@click.option("--federate-private", is_flag=True, default=None,
              help="Allow --federate endpoints on loopback/private/link-local addresses.")
@click.option("--max-concurrent-queries", type=int, help="Queries run at once per worker (default 8).")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Keep a static copy of the site in DIR, updated after every publish and deletion.")
@click.option("--access-log", is_flag=True, help="Log every request (off by default: it costs CPU per request).")
def serve(data_dir, store_url, query_url, update_url, gsp_url, host, port, demo, query_timeout, base_url,
          workers, federate, federate_private, max_concurrent_queries, site_dir, access_log):
    """Start the registry: API, SPARQL endpoint and pages."""
    import os
    import signal

    import uvicorn

    from .app import ENV_CONFIG
    from .core import Registry
    from .sparql.federation import Federation, FederationRefused
    from .oxigraph_server import OxigraphServer
    from .store import RemoteStore

    overrides = dict(store_url=store_url, query_url=query_url, update_url=update_url, gsp_url=gsp_url,
                     query_timeout=query_timeout, base_url=base_url, federate=list(federate) or None,
                     federate_private=federate_private, max_concurrent_queries=max_concurrent_queries)
    cfg = _config(data_dir, **overrides)
    try:
        Federation.from_config(cfg.federate, cfg.federate_private)
    except FederationRefused as exc:
        raise click.ClickException(f"--federate: {exc}")
    # SIGTERM ends `registry serve` as Ctrl+C does, through the clean-up below (which stops the store).
    # uvicorn restores this handler when it has shut down and raises the signal again.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    server = None
    if cfg.external_store:
        store = RemoteStore.for_base(cfg.store_url or "", query_url=cfg.query_url, update_url=cfg.update_url,
                                     gsp_url=cfg.gsp_url)
        if not store.ping():
            raise click.ClickException(f"The store at {store.query_url} does not answer.")
    else:
        cfg.data_dir.mkdir(parents=True, exist_ok=True)
        # No --timeout-s: the registry bounds every query itself (registry.sparql.execution), and oxigraph 0.5
        # keeps one thread per query for that long (docs/sparql.md, "Time limits").
        server = OxigraphServer(cfg.oxigraph_dir, state_file=cfg.server_state)
        try:
            server.start()
        except RuntimeError as exc:
            raise click.ClickException(str(exc))
        store = RemoteStore.for_base(server.url)
        click.echo(f"Oxigraph store: {server.url} (data in {cfg.oxigraph_dir})")
    registry = Registry(cfg, store)
    try:
        if demo:
            _load_demo(registry)
        click.echo(f"Registry: http://{host}:{port}/  SPARQL: http://{host}:{port}/sparql  API docs: "
                   f"http://{host}:{port}/docs")
        settings = {k: v for k, v in overrides.items() if v is not None}
        settings.update(data_dir=str(cfg.data_dir), _server_url=server.url if server else None)
        if site_dir is not None:
            settings.update(_site_dir=str(site_dir), _site_base=_keep_site_current(registry, site_dir, host, port))
        os.environ[ENV_CONFIG] = json.dumps(settings)
        uvicorn.run("registry.app:create_app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="info", access_log=access_log, timeout_graceful_shutdown=5)
    finally:
        registry.close()
        if server is not None:
            server.stop()


def _exit_on_signal(signum, frame):
    raise SystemExit(128 + signum)


def _keep_site_current(registry, site_dir: Path, host: str, port: int) -> str:
    """Bring DIR up to date before serving (a full build if it has none); the workers keep it so."""
    from .incremental import StaticSite
    from .sitegen import Site

    base = registry.config.base_url or f"http://{host}:{port}"
    click.echo(f"Static site: {site_dir}/ (for {base}) ...")
    report = StaticSite(Site(registry), site_dir, base=base).sync()
    what = f"built, {report.resources} resource pages" if report.full else f"{report.changes} change(s) applied"
    click.echo(f"Static site: {what} in {report.seconds:.1f} s; kept current from now on.")
    return base


def _load_demo(registry) -> None:
    from .demo import demo_documents, organizations
    from .ingest.parse import parse

    if registry.journal.count_resources() == 0:
        docs = []
        for raw in demo_documents():
            docs += parse(json.dumps(raw).encode("utf-8"), "application/ld+json")
        outcomes = registry.loader.publish(docs, publisher="demo")
        ok = sum(o.accepted for o in outcomes)
        click.echo(f"Demo data: {ok} of {len(docs)} documents published.")
        bad = [o for o in outcomes if not o.accepted]
        for o in bad[:5]:
            click.echo(f"  not published: {o.ctid}: {o.message}", err=True)
    if not registry.journal.providers():
        orgs = organizations(demo_documents())
        if orgs:
            ctid, name = orgs[0]
            key = registry.journal.add_provider("demo", [ctid])
            click.echo(f"Demo provider 'demo' may publish for {name} ({ctid}); its key: {key}")


# --- validate ---------------------------------------------------------------------------


@main.command()
@data_option
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
@click.option("--shapes", "shapes", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extra SHACL shapes (Turtle), on top of the built-in ones. Repeatable.")
@click.option("--only-shapes", is_flag=True, help="Validate against --shapes alone, whatever the data is.")
def validate(data_dir, paths, as_json, shapes, only_shapes):
    """Validate CTDL documents without publishing them.

    Exit status: 0 all valid, 1 some invalid, 2 some unreadable.
    """
    from .ingest.parse import ParseError, parse
    from .shapes.validate import validate as run

    cfg = _config(data_dir)
    if only_shapes and not shapes:
        raise click.UsageError("--only-shapes needs at least one --shapes FILE.")
    extra = list(cfg.extra_shapes) + list(shapes)
    results, worst = [], 0
    for path in _files(paths):
        data = path.read_bytes()
        try:
            if only_shapes:
                docs = [_any_rdf(data, path)]
            else:
                docs = parse(data, path.name, max_bytes=cfg.max_document_bytes, max_depth=cfg.max_document_depth)
        except ParseError as exc:
            worst = 2
            results.append({"file": str(path), "readable": False, "error": exc.code, "message": str(exc)})
            if not as_json:
                click.echo(f"{path}: UNREADABLE: {exc}")
            continue
        for doc in docs:
            kwargs = {"extra_shapes": extra}
            if only_shapes:
                kwargs["only_shapes"] = True
            else:
                kwargs["main_iri"] = doc.iri
            report = run(doc.triples, **kwargs)
            if not report.conforms:
                worst = max(worst, 1)
            results.append({"file": str(path), "readable": True, "ctid": getattr(doc, "ctid", None),
                            **report.to_json()})
            if not as_json:
                label = f"{path} ({doc.ctid})" if getattr(doc, "ctid", None) else str(path)
                verdict = "VALID" if report.conforms else "INVALID"
                click.echo(f"{label}: {verdict}")
                text = report.to_text()
                if text.strip():
                    click.echo(_indent(text))
    if as_json:
        click.echo(json.dumps(results if len(results) != 1 else results[0], indent=2, ensure_ascii=False))
    sys.exit(worst)


class _Graph:
    """Any RDF file, for --only-shapes (no CTID needed)."""

    def __init__(self, triples):
        self.triples = triples
        self.ctid = None


def _any_rdf(data: bytes, path: Path):
    import pyoxigraph as ox

    from .ingest.contexts import UnknownContext, inline_contexts
    from .ingest.parse import ParseError, media_type_of

    base = path.resolve().as_uri()  # relative IRIs in a shapes or data file resolve against the file
    try:
        if media_type_of(path.name, data) == "text/turtle":
            return _Graph(list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=base)))
        doc = inline_contexts(json.loads(data.decode("utf-8-sig")))
        return _Graph([q.triple for q in ox.parse(json.dumps(doc), format=ox.RdfFormat.JSON_LD, base_iri=base)])
    except (SyntaxError, ValueError, UnknownContext) as exc:
        raise ParseError(str(exc)) from None


def _indent(text: str) -> str:
    return "\n".join("  " + line if line else line for line in text.rstrip().splitlines())


# --- load -------------------------------------------------------------------------------


@main.command()
@data_option
@store_options
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--batch", default=200, show_default=True, help="Documents per store transaction.")
def load(data_dir, store_url, query_url, update_url, gsp_url, paths, batch):
    """Validate, journal and load files or folders of CTDL documents."""
    from .ingest.parse import ParseError

    cfg = _config(data_dir, store_url=store_url, query_url=query_url, update_url=update_url, gsp_url=gsp_url)
    registry = _registry(cfg)
    files = _files(paths)
    results: list[tuple[str, list]] = []  # (source, outcomes), read once every commit is done
    problems: list[str] = []
    unreadable = 0
    try:
        with registry.loader.pipeline() as pipe:
            pending: list[tuple[str, list]] = []

            def flush():
                docs = [d for _, ds in pending for d in ds]
                outcomes = pipe.publish(docs)
                i = 0
                for source, ds in pending:
                    results.append((source, outcomes[i:i + len(ds)]))
                    i += len(ds)
                pending.clear()

            with click.progressbar(files, label="Loading", show_pos=True, file=sys.stderr) as bar:
                for path in bar:
                    try:
                        docs = registry.loader.read(path.read_bytes(), path.name,
                                                    max_bytes=cfg.max_document_bytes,
                                                    max_depth=cfg.max_document_depth)
                    except ParseError as exc:
                        unreadable += 1
                        problems.append(f"{path}: unreadable: {exc}")
                        continue
                    pending.append((str(path), docs))
                    if sum(len(d) for _, d in pending) >= batch:
                        flush()
                if pending:
                    flush()
    finally:
        registry.close()
    counts: dict[str, int] = {"unreadable": unreadable} if unreadable else {}
    for source, outcomes in results:
        for o in outcomes:
            counts[o.status] = counts.get(o.status, 0) + 1
            if not o.accepted:
                problems.append(f"{source} ({o.ctid}): {o.status}: {o.message}" + _first_reasons(o))
    ok = ("created", "replaced", "unchanged")
    click.echo(f"Accepted {sum(counts.get(s, 0) for s in ok)} ("
               + ", ".join(f"{counts.get(s, 0)} {s}" for s in ok) + ")"
               + f"; rejected {sum(v for k, v in counts.items() if k not in ok)}.")
    for line in problems:
        click.echo("  " + line)
    sys.exit(0 if not problems else 1)


def _first_reasons(outcome, limit: int = 3) -> str:
    report = outcome.report
    if report is None or report.conforms:
        return ""
    lines = [r.message for r in report.violations[:limit]]
    more = len(report.violations) - limit
    return "".join(f"\n      - {line}" for line in lines) + (f"\n      … and {more} more" if more > 0 else "")


# --- query ------------------------------------------------------------------------------


@main.command()
@data_option
@store_options
@click.argument("sparql")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "xml", "csv", "tsv", "turtle", "ntriples"]),
              default="table", show_default=True)
def query(data_dir, store_url, query_url, update_url, gsp_url, sparql, fmt):
    """Run a read-only SPARQL query over the whole registry."""
    import pyoxigraph as ox

    from .sparql.guard import QueryRefused, check
    from .store import StoreError

    cfg = _config(data_dir, store_url=store_url, query_url=query_url, update_url=update_url, gsp_url=gsp_url)
    try:
        info = check(sparql)
    except QueryRefused as exc:
        raise click.ClickException(str(exc))
    graph_form = info.form in ("CONSTRUCT", "DESCRIBE")
    media = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
             "csv": "text/csv", "tsv": "text/tab-separated-values", "turtle": "text/turtle",
             "ntriples": "application/n-triples"}.get(fmt)
    if fmt == "table":
        media = "text/turtle" if graph_form else "application/sparql-results+json"
    registry = _registry(cfg)
    try:
        body, _ = registry.store.query(sparql, media)
    except (StoreError, SyntaxError, OSError) as exc:
        raise click.ClickException(str(exc))
    finally:
        registry.close()
    if fmt != "table" or graph_form:
        click.echo(body.decode("utf-8"), nl=False)
        return
    results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(results, ox.QueryBoolean):
        click.echo("true" if bool(results) else "false")
        return
    names = [v.value for v in results.variables]
    rows = [[_cell(row[n]) for n in names] for row in results]
    click.echo(_table(names, rows))


def _cell(term) -> str:
    if term is None:
        return ""
    return term.value


def _table(names: list[str], rows: list[list[str]]) -> str:
    widths = [min(60, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]

    def line(cells):
        return "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


# --- site, rebuild ----------------------------------------------------------------------


@main.command()
@data_option
@store_options
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--base-url", help="Absolute URL the site will be published at (needed for sitemaps, feeds and "
                                   "the data catalog).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Render processes (use the machine's cores).")
def site(data_dir, store_url, query_url, update_url, gsp_url, out, base_url, workers):
    """Write the whole site as static files (pages, alternates, sitemaps, feeds, /data)."""
    from .incremental import StaticSite
    from .sitegen import Site

    cfg = _config(data_dir, store_url=store_url, query_url=query_url, update_url=update_url, gsp_url=gsp_url,
                  base_url=base_url)
    registry = _registry(cfg)
    try:
        total = registry.journal.count_resources()
        static = StaticSite(Site(registry), out, workers=workers)
        with click.progressbar(length=total, label="Rendering", show_pos=True, file=sys.stderr) as bar:
            report = static.build(progress=bar.update)
    finally:
        registry.close()
    click.echo(f"Wrote {report.resources} resource pages to {out}/ in {report.seconds:.1f} s.")
    if not static.base:
        click.echo("No base URL (--base-url or base_url in registry.toml): sitemaps, feeds and the data catalog "
                   "were not written; they need absolute URLs.")


@main.command()
@data_option
@store_options
def rebuild(data_dir, store_url, query_url, update_url, gsp_url):
    """Recreate the store and the resource index from the journal alone."""
    cfg = _config(data_dir, store_url=store_url, query_url=query_url, update_url=update_url, gsp_url=gsp_url)
    registry = _registry(cfg)
    try:
        total = registry.journal.entry_count()
        with click.progressbar(length=total, label="Rebuilding", show_pos=True, file=sys.stderr) as bar:
            count = registry.loader.rebuild(progress=bar.update)
    finally:
        registry.close()
    click.echo(f"Rebuilt the store: {count} resources from {total} journal entries.")


# --- providers --------------------------------------------------------------------------


@main.group()
def providers():
    """Manage who may publish."""


@providers.command("add")
@data_option
@click.argument("name")
@click.option("--org", "orgs", multiple=True, required=True,
              help="CTID of an organization this provider publishes for. Repeatable.")
def providers_add(data_dir, name, orgs):
    """Create a provider and print its key (shown once)."""
    import sqlite3

    from .ingest.journal import Journal
    from .ingest.parse import CTID_RE

    bad = [o for o in orgs if not CTID_RE.match(o)]
    if bad:
        raise click.BadParameter(f"not a CTID (ce- + lower-case UUID): {', '.join(bad)}", param_hint="--org")
    journal = Journal(_config(data_dir).journal_path)
    try:
        key = journal.add_provider(name, list(orgs))
    except sqlite3.IntegrityError:
        raise click.ClickException(f"A provider named {name!r} exists already.")
    click.echo(f"Provider {name!r} may publish for {', '.join(orgs)}.")
    click.echo(f"Key (shown once; keep it secret): {key}")


@providers.command("list")
@data_option
def providers_list(data_dir):
    """List providers and their organizations."""
    from .ingest.journal import Journal

    journal = Journal(_config(data_dir).journal_path)
    for p in journal.providers():
        click.echo(f"{p.name}\t{' '.join(p.orgs)}\t{p.created_at}")


@providers.command("remove")
@data_option
@click.argument("name")
def providers_remove(data_dir, name):
    """Remove a provider (its key stops working)."""
    from .ingest.journal import Journal

    if not Journal(_config(data_dir).journal_path).remove_provider(name):
        raise click.ClickException(f"No provider named {name!r}.")
    click.echo(f"Removed {name!r}.")
