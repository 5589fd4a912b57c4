"""SPARQL endpoint overhead: the registry's /sparql against the raw Oxigraph /query it proxies to.

    python benchmarks/sparql.py 100000 [--seconds 10] [--clients 1,8] [--examples 01,04] [--json]
    python benchmarks/sparql.py 0 --guard-only      # only the guard's check() cost, no store

Builds a store of N generated CTDL documents (``registry.demo.generate``), bulk-loaded straight
into a fresh ``oxigraph serve`` (``POST /store?no_transaction``, N-Quads, one named graph
``urn:ctid:{CTID}`` per resource, as the registry stores them; the journal is not written, SPARQL
does not read it). Then starts the registry as a real process, as an operator would
(``registry serve --store-url ... --workers 2``), and drives both endpoints with ``wrk``
(Debian package ``wrk``; a C load generator, so the client is not the bottleneck):

* ``lookup``: everything in one resource's graph, a random CTID per request;
* each example query in ``registry/sparql/examples/*.rq``;

each at 1 and 8 concurrent connections for S seconds, against the registry's ``/sparql`` and
against Oxigraph's ``/query``. It prints latency p50/p99 (ms) and throughput (req/s) for both
and their ratio, the CPU time per request of the registry's workers and of the store during the
registry's run (``/proc/PID/stat``), and the guard's ``check()`` cost per query. ``--json`` adds one JSON object on
the last line. Targets (docs/sparql.md, "Performance"): at 8 clients the registry keeps at least
40% of raw Oxigraph's throughput and adds at most 1 ms to p50; ``check()`` costs at most 0.2 ms.

Everything runs on 127.0.0.1 and stops by itself. The load generator, the registry's workers and
Oxigraph share the machine's cores: on a small machine the numbers measure the whole box.
``--profile DIR`` records the registry workers with ``py-spy`` (``pip install py-spy``) during the
lookup run at the highest client count (collapsed stacks and a summary in DIR).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from registry.demo import generate  # noqa: E402
from registry.ingest.contexts import inline_contexts  # noqa: E402
from registry.ingest.normalise import _decimal  # noqa: E402
from registry.oxigraph_server import OxigraphServer, free_port  # noqa: E402
from registry.sparql.examples import examples  # noqa: E402
from registry.sparql.guard import check  # noqa: E402

RESULTS_JSON = "application/sparql-results+json"
DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
CHUNK = 500  # documents per JSON-LD parse / per POST
LOOKUP = """PREFIX ceterms: <https://purl.org/ctdl/terms/>
SELECT ?subject ?property ?value
WHERE { GRAPH <urn:ctid:%s> { ?subject ?property ?value . } }
ORDER BY ISBLANK(?subject) ?subject ?property ?value
"""
# The smallest lookup: a CTID to its resource and type (one or two rows), to show the fixed cost per request.
CTID_TO_IRI = """PREFIX ceterms: <https://purl.org/ctdl/terms/>
SELECT ?resource ?type WHERE { ?resource ceterms:ctid "%s" ; a ?type . }
"""
SEPARATOR = "\x1e"  # between request bodies in the file the wrk script reads

# One wrk script for every run: POST a random body from BODIES as application/sparql-query, and
# print the summary as JSON at the end (latency in microseconds).
WRK_LUA = r"""
local bodies = {}
local headers = { ["Content-Type"] = "application/sparql-query", ["Accept"] = "application/sparql-results+json" }
local path

function init(args)
  path = args[1]
  local f = assert(io.open(args[2], "rb"))
  local data = f:read("*a")
  f:close()
  for body in string.gmatch(data, "([^\30]+)") do bodies[#bodies + 1] = body end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  return wrk.format("POST", path, headers, bodies[math.random(#bodies)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "mean_us": %.1f, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


# --- Building the store ---------------------------------------------------------------------------

_DOCS: list[dict] = []  # set before the pool forks: workers read their chunks from it


def _nquads(bounds: tuple[int, int]) -> bytes:
    """N-Quads for documents [start, end): one JSON-LD parse per context, a named graph per resource."""
    import pyoxigraph as ox

    groups: dict[str, list[dict]] = {}
    for doc in _DOCS[bounds[0]:bounds[1]]:
        nodes = doc["@graph"] if "@graph" in doc else [{k: v for k, v in doc.items() if k != "@context"}]
        main = next(n for n in nodes if "ceterms:ctid" in n)
        groups.setdefault(doc["@context"], []).append({"@id": f"urn:ctid:{main['ceterms:ctid']}", "@graph": nodes})
    out = []
    for context, graphs in groups.items():
        expanded = inline_contexts({"@context": context, "@graph": graphs})
        quads = []
        for q in ox.parse(json.dumps(expanded), format=ox.RdfFormat.JSON_LD):
            o = q.object
            # As the loader does (registry.ingest.normalise): JSON-LD writes 3533.68 as "3.53368E3"^^xsd:decimal.
            if isinstance(o, ox.Literal) and o.datatype.value == DECIMAL and ("E" in o.value or "e" in o.value):
                q = ox.Quad(q.subject, q.predicate, ox.Literal(_decimal(o.value), datatype=o.datatype), q.graph_name)
            quads.append(q)
        out.append(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    return b"".join(out)


def build_store(server: OxigraphServer, n: int, seed: int = 7) -> dict:
    """Generate ``n`` documents and bulk-load them; returns timings and the CTIDs by resource type."""
    global _DOCS
    t0 = time.perf_counter()
    _DOCS = generate(n, seed=seed)
    t1 = time.perf_counter()
    ctids = [next(node for node in (d.get("@graph") or [d]) if "ceterms:ctid" in node)["ceterms:ctid"] for d in _DOCS]
    chunks = [(i, min(i + CHUNK, n)) for i in range(0, n, CHUNK)]
    quads_bytes = 0
    with httpx.Client(trust_env=False, timeout=600) as http, \
            multiprocessing.get_context("fork").Pool(max(1, min(os.cpu_count() or 1, 4))) as pool:
        for data in pool.imap(_nquads, chunks):
            r = http.post(server.url + "/store?no_transaction", content=data,
                          headers={"Content-Type": "application/n-quads"})
            r.raise_for_status()
            quads_bytes += len(data)
    t2 = time.perf_counter()
    _DOCS = []
    r = httpx.post(server.url + "/query", content=b"SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }",
                   headers={"Content-Type": "application/sparql-query", "Accept": RESULTS_JSON},
                   timeout=600, trust_env=False)
    quads = int(r.json()["results"]["bindings"][0]["n"]["value"])
    return {"generate_s": t1 - t0, "load_s": t2 - t1, "quads": quads, "nquads_mb": quads_bytes / 1e6,
            "ctids": ctids}


# --- The registry as a process --------------------------------------------------------------------

def registry_binary() -> list[str]:
    here = Path(sys.executable).parent / "registry"
    return [str(here)] if here.exists() else [sys.executable, "-m", "registry.cli"]


def start_registry(store_url: str, data_dir: Path, port: int, workers: int, log,
                   query_timeout: float = 30.0) -> subprocess.Popen:
    cmd = registry_binary() + ["serve", "--store-url", store_url, "--data", str(data_dir), "--port", str(port),
                               "--workers", str(workers), "--query-timeout", f"{query_timeout:g}"]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"registry serve exited with code {proc.returncode} (log: {log.name})")
        try:
            r = httpx.post(f"http://127.0.0.1:{port}/sparql", content=b"ASK {}", timeout=2, trust_env=False,
                           headers={"Content-Type": "application/sparql-query", "Accept": RESULTS_JSON})
            if r.status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    stop(proc)
    raise RuntimeError("registry serve did not answer within 60 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # its own session: uvicorn's parent and its workers
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (/proc/PID/stat; other load on the machine does not count)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def worker_pids(proc: subprocess.Popen) -> list[int]:
    """The uvicorn worker processes under `registry serve` (children of its process)."""
    try:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True).stdout
    except OSError:
        return []
    return [int(p) for p in out.split()]


# --- Measuring ------------------------------------------------------------------------------------

def probe(url: str, query: str) -> dict:
    """One request: status, size and rows, to show both endpoints answer the same (and warm caches)."""
    start = time.perf_counter()
    r = httpx.post(url, content=query.encode("utf-8"), timeout=120, trust_env=False,
                   headers={"Content-Type": "application/sparql-query", "Accept": RESULTS_JSON})
    elapsed = time.perf_counter() - start
    rows = None
    if r.status_code == 200:
        try:
            rows = len(r.json()["results"]["bindings"])
        except (ValueError, KeyError):
            rows = -1  # a 200 whose body is not a result (e.g. an error written mid-stream)
    return {"status": r.status_code, "bytes": len(r.content), "rows": rows, "ms": elapsed * 1000,
            "error": r.text[:200] if r.status_code != 200 else None}


# `oxigraph serve --timeout-s T` starts one thread per query that sleeps for the whole T (oxigraph 0.5):
# live threads = query rate x T. Thousands of cheap queries a second exhaust the machine's process ids
# (kernel.pid_max, 32768 by default): the store answers 500 "Resource temporarily unavailable", then aborts,
# and every other process on the machine fails to fork meanwhile. The store is started as `registry serve`
# starts it, without --timeout-s (--store-timeout S adds it, to measure the leak); should its threads still
# pass this many, a run is stopped early (SIGINT: wrk still reports) and the next waits for them to end.
MAX_STORE_THREADS = 5000


def thread_count(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


def wait_for_threads(pid: int | None, below: int = 200, limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while pid and thread_count(pid) > below and time.monotonic() < deadline:
        time.sleep(0.5)


def run_wrk(url: str, bodies_file: Path, clients: int, seconds: float, script: Path, timeout: float,
            store_pid: int | None = None) -> dict:
    wait_for_threads(store_pid)
    cmd = ["wrk", "-t", "1", "-c", str(clients), "-d", f"{seconds:g}s", "--timeout", f"{timeout:g}s",
           "-s", str(script), url, "--", "/" + url.split("/", 3)[3], str(bodies_file)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, stopped = 0, False
    deadline = time.monotonic() + seconds + timeout + 60
    while proc.poll() is None and time.monotonic() < deadline:
        peak = max(peak, thread_count(store_pid) if store_pid else 0)
        if peak > MAX_STORE_THREADS and not stopped:
            proc.send_signal(signal.SIGINT)  # wrk stops and still prints its summary
            stopped = True
        time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()
    stdout, stderr = proc.communicate()
    line = next((ln for ln in reversed(stdout.splitlines()) if ln.startswith("{")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary: {stdout}\n{stderr}")
    s = json.loads(line)
    errors = s["connect_errors"] + s["read_errors"] + s["write_errors"] + s["status_errors"] + s["timeouts"]
    ok = s["requests"] - s["status_errors"]
    return {"per_s": ok / (s["duration_us"] / 1e6), "p50_ms": s["p50_us"] / 1000, "p99_ms": s["p99_us"] / 1000,
            "requests": s["requests"], "errors": errors, "seconds": s["duration_us"] / 1e6,
            "stopped_early": stopped, "store_threads_peak": peak}


SERVICE_CLAUSE = " SERVICE <https://example.org/sparql> { ?s ?p ?o } "
GUARD_ALLOWED = frozenset({"https://example.org/sparql"})


def with_service(query: str) -> str:
    """``query`` with ``SERVICE_CLAUSE`` added at the start of its WHERE group (else its first group)."""
    where = query.upper().find("WHERE")
    brace = query.find("{", where if where >= 0 else 0)
    return query[:brace + 1] + SERVICE_CLAUSE + query[brace + 1:]


def guard_timings(queries: dict[str, str], runs: int = 2000) -> dict[str, dict[str, float]]:
    """check() on each query ``runs`` times, one perf_counter_ns timing per call: median, p99 and max (µs).

    The median is the steady cost; the maximum includes whatever else the machine did meanwhile.
    """
    out = {}
    for name, query in queries.items():
        for _ in range(20):  # warm up
            check(query, allowed_services=GUARD_ALLOWED)
        times = []
        for _ in range(runs):
            start = time.perf_counter_ns()
            check(query, allowed_services=GUARD_ALLOWED)
            times.append(time.perf_counter_ns() - start)
        times.sort()
        out[name] = {"median_us": times[len(times) // 2] / 1000, "p99_us": times[int(len(times) * 0.99)] / 1000,
                     "max_us": times[-1] / 1000}
    return out


def guard_cost(queries: dict[str, str], runs: int = 2000) -> dict[str, float]:
    """Median microseconds per check() call (see guard_timings)."""
    return {name: t["median_us"] for name, t in guard_timings(queries, runs).items()}


def guard_queries() -> tuple[dict[str, str], dict[str, str]]:
    """(queries as sent, queries that mention SERVICE: the guard's full path), all under the 100 kB limit."""
    ctid = "ce-00000000-0000-4000-8000-000000000000"
    plain = {"lookup": LOOKUP % ctid, "ctid-to-iri": CTID_TO_IRI % ctid} | {e.name: e.query for e in examples()}
    full = {f"{e.name}+service": with_service(e.query) for e in examples()}
    prefixes = "".join(f"PREFIX p{i}: <https://example.org/vocabulary/{i}/terms#>\n" for i in range(100))
    text = "Prepares students for entry-level work in \"health care\" settings.\\n" * 60  # ~4 kB, \" and \n escapes
    ctids = " ".join(f'"ce-{i:08d}-0000-4000-8000-000000000000"' for i in range(200))
    full |= {
        "long-string-literal+service": with_service(CTID_TO_IRI % ctid).replace(
            f'"{ctid}"', '?ctid . FILTER(CONTAINS(?d, "' + text + '"))'),
        "100-prefixes+service": prefixes + with_service(CTID_TO_IRI.split("\n", 1)[1] % ctid),
        "200-comment-lines+service": "".join(f"# note {i}: SERVICE <http://elsewhere/> {{ 'x' \"y\" }}\n"
                                             for i in range(200)) + with_service(LOOKUP % ctid),
        "u-escapes+service": with_service(CTID_TO_IRI % ctid).replace(
            f'"{ctid}"', '?ctid ; ceterms:name "Caf\\u00E9 \\u00E0 la carte" ; ceterms:description ?d'),
        "values-200-ctids+service": with_service(CTID_TO_IRI % ctid).replace(
            f'"{ctid}"', "?ctid VALUES ?ctid { " + ctids + " }"),
        "all-examples-in-one+service": "PREFIX ceterms: <https://purl.org/ctdl/terms/>\nSELECT * WHERE {"
            + SERVICE_CLAUSE + " ".join("{ " + e.query.split("WHERE", 1)[1].split("{", 1)[1].rsplit("}", 1)[0] + " }"
                                        for e in examples() if "WHERE" in e.query) + " }",
    }
    return plain, full


def guard_adversarial() -> dict[str, tuple[str, str]]:
    """Inputs built to be slow to scan, each under the 100 kB limit. JSON key: (label, query)."""
    service = SERVICE_CLAUSE
    return {
        "guard_ms_whitespace_100k": ("100 kB of whitespace", " " * 99_990 + "ASK {}"),
        "guard_ms_braces_100k": ("100 kB of nested braces", "ASK {" + "{" * 99_000),
        "guard_ms_unterminated_10k": ('10 kB: an unterminated string of \\" pairs', 'ASK {} # \n"' + '\\"' * 5_000),
        "guard_ms_unterminated_20k": ('20 kB: an unterminated string of \\" pairs', 'ASK {} # \n"' + '\\"' * 10_000),
        # The same with a SERVICE clause, so that they take the full path.
        "guard_ms_whitespace_100k_service": ("100 kB of whitespace, then SERVICE",
                                             "ASK {" + " " * 99_900 + service + "}"),
        "guard_ms_braces_100k_service": ("100 kB of nested braces after SERVICE", "ASK {" + service + "{" * 99_000),
        "guard_ms_unterminated_100k_service": ("SERVICE, then 100 kB: an unterminated string of \\\" pairs",
                                               "ASK {" + service + '} # \n"' + '\\"' * 49_900),
        "guard_ms_long_string_100k_service": ("SERVICE, then a 100 kB string literal",
                                              "ASK {" + service + '?s ?p """' + "x'\"" * 33_000 + '""" }'),
        "guard_ms_comments_100k_service": ("100 kB of comments, then SERVICE",
                                           "# SERVICE <http://x/> ' \" {\n" * 3_500 + "ASK {" + service + "}"),
        "guard_ms_less_than_100k_service": ("SERVICE, then 100 kB of '<' without '>'",
                                            "ASK {" + service + "FILTER(?a " + "<" * 99_000 + ") }"),
        "guard_ms_iri_soup_100k_service": ("SERVICE, then 100 kB of '<x <x <x'", "ASK {" + service + "<x " * 33_000),
        "guard_ms_values_100k_service": ("SERVICE and VALUES of 2,300 CTIDs (100 kB)",
                                         "SELECT * WHERE {" + service + "VALUES ?c { " + " ".join(
                                             f'"ce-{i:08d}-0000-4000-8000-000000000000"' for i in range(2_300))
                                         + " } ?r <https://purl.org/ctdl/terms/ctid> ?c }"),
        "guard_ms_service_keywords_100k": ("100 kB of SERVICE keywords", (service * 2_000)[:99_000]),
    }


def guard_report(runs: int = 2000) -> dict:
    """check() on the example queries (as sent and with a SERVICE clause), on other queries an analyst
    could send, and on inputs built to be slow to scan (no store needed). Medians and maxima per query."""
    plain, full = guard_queries()
    out: dict = {}
    for title, queries, key in (("as sent (most take the fast path)", plain, "guard_check_us"),
                                ("with SERVICE: the full path", full, "guard_service_check_us")):
        timings = guard_timings(queries, runs)
        print(f"Guard check() per query, {title}: µs over {runs} calls each (target: median <= 200)")
        print(f"  {'median':>7} {'p99':>7} {'max':>8}  query")
        for name, t in timings.items():
            print(f"  {t['median_us']:7.1f} {t['p99_us']:7.1f} {t['max_us']:8.1f}  {name}  ({len(queries[name]):,} characters)")
        medians = [t["median_us"] for t in timings.values()]
        worst = max(timings, key=lambda n: timings[n]["median_us"])
        print(f"  median of medians {statistics.median(medians):.1f} µs, max of medians {max(medians):.1f} µs "
              f"({worst}), max {max(t['max_us'] for t in timings.values()):.1f} µs\n")
        out[key] = {name: round(t["median_us"], 1) for name, t in timings.items()}
        prefix = "guard_check" if key == "guard_check_us" else "guard_service_check"
        out[f"{prefix}_median_max_ms"] = round(max(medians) / 1000, 4)
        out[f"{prefix}_p99_max_ms"] = round(max(t["p99_us"] for t in timings.values()) / 1000, 4)
        out[f"{prefix}_max_ms"] = round(max(t["max_us"] for t in timings.values()) / 1000, 4)
    out["guard_target_met"] = out["guard_service_check_median_max_ms"] <= 0.2
    print("Adversarial inputs (ms per call; median and max of several calls):")
    for key, (label, query) in guard_adversarial().items():
        times = []
        deadline = time.perf_counter() + 1.0
        while len(times) < 5 or (len(times) < 50 and time.perf_counter() < deadline):
            start = time.perf_counter_ns()
            try:
                check(query, allowed_services=GUARD_ALLOWED)
            except Exception:  # noqa: BLE001 - refused or not, only the time matters here
                pass
            times.append(time.perf_counter_ns() - start)
        out[key] = round(statistics.median(times) / 1e6, 3)
        out[key + "_max"] = round(max(times) / 1e6, 3)
        print(f"  {out[key]:8.3f} {out[key + '_max']:8.3f}  {label}  ({len(query):,} characters)")
    return out


def profile_workers(pids: list[int], seconds: float, out_dir: Path) -> list[subprocess.Popen]:
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists() and not shutil.which("py-spy"):
        print("  (--profile: py-spy is not installed; pip install py-spy)")
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    return [subprocess.Popen([spy, "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "200",
                              "--format", "raw", "--nonblocking", "--output", str(out_dir / f"worker-{pid}.txt")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for pid in pids]


def summarise_profile(out_dir: Path, top: int = 25) -> str:
    """Share of samples per function (inclusive), over all recorded workers."""
    inclusive: Counter = Counter()
    total = 0
    for path in out_dir.glob("worker-*.txt"):
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            total += int(count)
            for frame in set(stack.split(";")):
                inclusive[frame] += int(count)
    lines = [f"{100 * c / total:5.1f}%  {frame}" for frame, c in inclusive.most_common(top)] if total else []
    text = f"py-spy: {total} samples over {len(list(out_dir.glob('worker-*.txt')))} workers (inclusive share)\n"
    text += "\n".join(lines)
    (out_dir / "summary.txt").write_text(text + "\n")
    return text


# --- Main -----------------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of generated documents")
    ap.add_argument("--seconds", type=float, default=10.0, help="seconds per measurement (default 10)")
    ap.add_argument("--clients", default="1,8", help="concurrent connections, comma-separated (default 1,8)")
    ap.add_argument("--examples", default="all",
                    help="example queries to run: 'all', 'none', or comma-separated name prefixes (e.g. 01,04)")
    ap.add_argument("--workers", type=int, default=2, help="registry serve --workers (default 2)")
    ap.add_argument("--query-timeout", type=float, default=30.0, help="the registry's limit, seconds (default 30)")
    ap.add_argument("--store-timeout", type=float, help="also start the store with --timeout-s S (default: without)")
    ap.add_argument("--profile", type=Path, metavar="DIR", help="record the registry workers with py-spy into DIR")
    ap.add_argument("--guard-only", action="store_true", help="only measure the guard's check() (no store)")
    ap.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = ap.parse_args()
    if args.guard_only:
        report = guard_report()
        if args.json:
            print(json.dumps(report))
        return
    # Stop cleanly on SIGTERM too (a background job ignores SIGINT): the with-blocks stop the store,
    # the registry and their process groups.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not shutil.which("wrk"):
        sys.exit("This benchmark needs wrk (Debian: apt-get install wrk).")
    clients = [int(c) for c in args.clients.split(",")]
    chosen = [e for e in examples() if args.examples == "all"
              or (args.examples != "none" and any(e.name.startswith(p) for p in args.examples.split(",")))]

    result: dict = {"documents": args.n, "seconds_per_run": args.seconds, "workers": args.workers,
                    "cpus": os.cpu_count(), "load_average_at_start": round(os.getloadavg()[0], 2)}
    if os.getloadavg()[0] > 0.5:
        print(f"Note: load average {os.getloadavg()[0]:.2f} before starting: other processes share the CPUs "
              "and the figures will be lower and noisier than on an idle machine.")
    with tempfile.TemporaryDirectory(prefix="sparql-bench-") as tmp:
        tmp = Path(tmp)
        with OxigraphServer(tmp / "oxigraph", timeout_s=args.store_timeout, log_path=tmp / "oxigraph.log") as store:
            built = build_store(store, args.n)
            ctids = built.pop("ctids")
            print(f"Store: {args.n:,} generated documents, {built['quads']:,} quads "
                  f"(generated in {built['generate_s']:.1f} s, converted and loaded in {built['load_s']:.1f} s, "
                  f"{built['nquads_mb']:.0f} MB of N-Quads)")
            result |= {"quads": built["quads"], "generate_s": round(built["generate_s"], 1),
                       "load_s": round(built["load_s"], 1)}

            rng = random.Random(11)
            lookup_bodies = [LOOKUP % c for c in rng.sample(ctids, min(len(ctids), 5000))]
            sample = rng.sample(ctids, min(len(ctids), 5000))
            queries = {"lookup": lookup_bodies, "ctid-to-iri": [CTID_TO_IRI % c for c in sample]}
            queries |= {e.name: [e.query] for e in chosen}

            costs = guard_cost({name: bodies[0] for name, bodies in queries.items()})
            result["guard_check_ms"] = round(max(costs.values()) / 1000, 4)
            result["guard_check_lookup_ms"] = round(costs["lookup"] / 1000, 4)
            print(f"Guard check(): {min(costs.values()):.0f}–{max(costs.values()):.0f} µs per query "
                  f"(median {statistics.median(costs.values()):.0f} µs)")
            print("  " + ", ".join(f"{name[:2] if name[0].isdigit() else name} {us:.0f}" for name, us in costs.items()))
            result["guard_check_us"] = {name: round(us, 1) for name, us in costs.items()}

            port = free_port()
            log = open(tmp / "registry.log", "w")
            registry = start_registry(store.url, tmp / "registry-data", port, args.workers, log, args.query_timeout)
            try:
                targets = {"registry": f"http://127.0.0.1:{port}/sparql", "raw": store.url + "/query"}
                script = tmp / "post.lua"
                script.write_text(WRK_LUA)
                header = (f"{'query':<44} {'clients':>7}  {'registry req/s':>14} {'raw req/s':>10} {'ratio':>6}  "
                          f"{'p50 reg/raw ms':>16} {'+p50':>6}  {'p99 reg/raw ms':>16}  notes")
                print(header)
                print("-" * len(header))
                per_query: dict = {}
                for name, bodies in queries.items():
                    body_file = tmp / f"{name}.bodies"
                    body_file.write_text(SEPARATOR.join(bodies), encoding="utf-8")
                    probe(targets["raw"], bodies[0])  # warm the store's caches for both
                    probes = {t: probe(url, bodies[0]) for t, url in targets.items()}
                    notes = []
                    if probes["registry"]["status"] != 200 or probes["raw"]["status"] != 200:
                        notes.append("status " + "/".join(str(p["status"]) for p in probes.values()))
                    if probes["registry"]["rows"] != probes["raw"]["rows"]:
                        notes.append("rows " + "/".join(str(p["rows"]) for p in probes.values()))
                    entry = {"rows": probes["raw"]["rows"], "single_ms": round(probes["raw"]["ms"], 1)}
                    for c in clients:
                        profiled = args.profile and name == "lookup" and c == max(clients)
                        pids = worker_pids(registry) if profiled else []
                        spies = profile_workers(pids, args.seconds, args.profile) if pids else []
                        pid = store._proc.pid if store._proc is not None else None
                        workers = worker_pids(registry) or [registry.pid]  # --workers 1: uvicorn runs in-process
                        cpu = cpu_seconds(workers), cpu_seconds([pid] if pid else [])
                        reg = run_wrk(targets["registry"], body_file, c, args.seconds, script, args.query_timeout + 5,
                                      pid)
                        if reg["requests"]:  # CPU per request: the worker's (all of them) and the store's
                            reg["worker_cpu_ms"] = (cpu_seconds(workers) - cpu[0]) * 1000 / reg["requests"]
                            reg["store_cpu_ms"] = (cpu_seconds([pid] if pid else []) - cpu[1]) * 1000 / reg["requests"]
                            run_notes_cpu = (f"CPU/req worker {reg['worker_cpu_ms']:.3f} ms, "
                                             f"store {reg['store_cpu_ms']:.3f} ms")
                        else:
                            run_notes_cpu = ""
                        for spy in spies:
                            spy.wait(60)
                        pid = store._proc.pid if store._proc is not None else None
                        raw = run_wrk(targets["raw"], body_file, c, args.seconds, script, args.query_timeout + 5, pid)
                        ratio = reg["per_s"] / raw["per_s"] if raw["per_s"] and reg["per_s"] else None
                        added = reg["p50_ms"] - raw["p50_ms"]
                        run_notes = list(notes) + ([run_notes_cpu] if run_notes_cpu else [])
                        if reg["errors"] or raw["errors"]:
                            run_notes.append(f"errors {reg['errors']}/{raw['errors']}")
                        for label, r in (("registry", reg), ("raw", raw)):
                            if r["stopped_early"]:
                                run_notes.append(f"{label} stopped after {r['seconds']:.1f} s "
                                                 f"({r['store_threads_peak']} store threads)")
                        if not reg["requests"] or not raw["requests"]:
                            run_notes.append(f"none completed in {args.seconds:g} s")
                        if store.restarts:
                            run_notes.append(f"store restarted ({store.restarts} so far)")
                        shown = ratio if ratio is not None else float("nan")
                        print(f"{name[:44]:<44} {c:>7}  {reg['per_s']:>14.1f} {raw['per_s']:>10.1f} {shown:>6.2f}  "
                              f"{reg['p50_ms']:>7.2f}/{raw['p50_ms']:<8.2f} {added:>+6.2f}  "
                              f"{reg['p99_ms']:>7.2f}/{raw['p99_ms']:<8.2f}  {'; '.join(run_notes)}", flush=True)
                        entry[str(c)] = {"registry": reg, "raw": raw, "ratio": ratio, "added_p50_ms": added}
                    per_query[name] = entry
            finally:
                stop(registry)
                log.close()
                if store.restarts:
                    result["store_restarts"] = store.restarts
                    print(f"The store exited {store.restarts} time(s) during the run; its last lines:\n{store.tail()}")

    top = max(clients)
    look = per_query["lookup"]
    for c in clients:
        for target in ("registry", "raw"):
            result[f"lookup_{target}_{c}_per_s"] = round(look[str(c)][target]["per_s"], 1)
            result[f"lookup_{target}_{c}_p50_ms"] = round(look[str(c)][target]["p50_ms"], 3)
            result[f"lookup_{target}_{c}_p99_ms"] = round(look[str(c)][target]["p99_ms"], 3)
        result[f"ratio_{c}"] = round(look[str(c)]["ratio"] or 0.0, 3)
        result[f"added_p50_ms_{c}"] = round(look[str(c)]["added_p50_ms"], 3)
    small = per_query["ctid-to-iri"][str(top)]
    result[f"ctid_to_iri_registry_{top}_per_s"] = round(small["registry"]["per_s"], 1)
    result[f"ctid_to_iri_raw_{top}_per_s"] = round(small["raw"]["per_s"], 1)
    result[f"ctid_to_iri_ratio_{top}"] = round(small["ratio"], 3) if small["ratio"] else None
    result[f"ctid_to_iri_added_p50_ms_{top}"] = round(small["added_p50_ms"], 3)
    for name, key in (("lookup", "lookup"), ("ctid-to-iri", "ctid_to_iri")):
        for c in clients:
            reg = per_query[name][str(c)]["registry"]
            if "worker_cpu_ms" in reg:
                result[f"{key}_worker_cpu_ms_{c}"] = round(reg["worker_cpu_ms"], 3)
                result[f"{key}_store_cpu_ms_{c}"] = round(reg["store_cpu_ms"], 3)
    ex_names = [n for n in per_query if n not in ("lookup", "ctid-to-iri")]
    if ex_names:
        ratios = [r for r in (per_query[n][str(top)]["ratio"] for n in ex_names) if r is not None]
        result[f"examples_ratio_{top}_min"] = round(min(ratios), 3) if ratios else None
        result[f"examples_ratio_{top}_median"] = round(statistics.median(ratios), 3) if ratios else None
        added = [per_query[n][str(top)]["added_p50_ms"] for n in ex_names if per_query[n][str(top)]["ratio"]]
        result[f"examples_added_p50_ms_{top}_max"] = round(max(added), 3) if added else None
        result["examples"] = {n: {"rows": per_query[n]["rows"],
                                  **{f"{t}_{c}_per_s": round(per_query[n][str(c)][t]["per_s"], 2)
                                     for c in clients for t in ("registry", "raw")},
                                  **{f"{t}_{c}_p50_ms": round(per_query[n][str(c)][t]["p50_ms"], 2)
                                     for c in clients for t in ("registry", "raw")}}
                              for n in ex_names}
    targets_met = {
        f"ratio_{top} >= 0.40": result[f"ratio_{top}"] >= 0.40,
        f"added_p50_ms_{top} <= 1": look[str(top)]["added_p50_ms"] <= 1.0,
        "guard_check_ms <= 0.2": result["guard_check_ms"] <= 0.2,
    }
    result["targets_met"] = all(targets_met.values())
    result["load_average_at_end"] = round(os.getloadavg()[0], 2)
    print()
    print(f"Lookup at {top} clients: the registry keeps {result[f'ratio_{top}']:.0%} of raw Oxigraph's throughput "
          f"and adds {look[str(top)]['added_p50_ms']:+.2f} ms to p50; check() costs at most "
          f"{result['guard_check_ms']:.3f} ms.")
    print("Targets: " + ", ".join(f"{k}: {'met' if v else 'MISSED'}" for k, v in targets_met.items()))
    if args.profile:
        print(summarise_profile(args.profile))
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
