"""Static site speed: full build, one incremental update, peak memory, on N generated resources.

    python benchmarks/site.py 10000 [--workers 2] [--changes 10] [--data DIR] [--out DIR] [--json]

Generates N demo resources (``registry.demo.generate``), loads them into a temporary registry
with a real ``oxigraph serve`` (through the Loader, with a pass-through validator like
benchmarks/ingest.py's comparison run: this benchmark measures the site, not validation), then:

* builds the whole static site (``StaticSite.build``: pages, alternates, lists, sitemaps, feeds,
  /data and the dump) and reports pages per second;
* publishes a changed version of one resource and times the incremental update
  (``StaticSite.sync``), over several resources (median and max); then publishes as many new
  resources and deletes them, one at a time, timing each update;
* reports the peak resident memory of the build process and of its render workers
  (``getrusage(RUSAGE_SELF / RUSAGE_CHILDREN).ru_maxrss``).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from registry.config import Config  # noqa: E402
from registry.core import Registry  # noqa: E402
from registry.demo import generate  # noqa: E402
from registry.incremental import StaticSite  # noqa: E402
from registry.ingest.load import Loader, accept_all  # noqa: E402
from registry.ingest.parse import parse  # noqa: E402
from registry.oxigraph_server import OxigraphServer  # noqa: E402
from registry.sitegen import Site  # noqa: E402
from registry.store import RemoteStore  # noqa: E402


def _mb(kb: int) -> float:
    return round(kb / 1024, 1)


def _load(registry: Registry, n: int, batch: int = 500) -> tuple[float, float]:
    t0 = time.perf_counter()
    raw = [json.dumps(d).encode("utf-8") for d in generate(n, seed=7)]
    generate_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    gc.disable()
    for i in range(0, len(raw), batch):
        registry.loader.publish([d for data in raw[i:i + batch] for d in parse(data, "application/ld+json")])
    gc.enable()
    return generate_s, time.perf_counter() - t0


def _cpu() -> tuple[float, float, float]:
    """CPU seconds so far: this process, its workers, and the kernel's part of both (mostly creating
    files; it varies between runs on a VM far more than the user time does)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime, me.ru_stime + kids.ru_stime


def _proc_cpu(server: OxigraphServer) -> float:
    """CPU seconds used so far by the ``oxigraph serve`` process (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{server._proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / __import__("os").sysconf("SC_CLK_TCK")
    except (OSError, AttributeError, IndexError, ValueError):
        return 0.0


def run(n: int, workers: int, changes: int, data: Path | None = None, out: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Config.load(data or Path(tmp) / "data")
        server = OxigraphServer(cfg.oxigraph_dir, timeout_s=600).start(wait=600)  # a large store opens slowly
        try:
            store = RemoteStore.for_base(server.url, timeout=600)
            registry = Registry(cfg, store)
            registry.__dict__["loader"] = Loader(registry.journal, store,
                                                 validator=accept_all)
            generate_s = load_s = 0.0
            if data is None:
                generate_s, load_s = _load(registry, n)
            gc.collect()
            live = registry.journal.count_resources()
            quads = store.quad_count()

            out = Path(tmp) / "site" if out is None else out
            static = StaticSite(Site(registry), out, base="https://registry.example.org", workers=workers)
            cpu0, ox0 = _cpu(), _proc_cpu(server)
            t0 = time.perf_counter()
            report = static.build()
            build_s = time.perf_counter() - t0
            cpu1, ox1 = _cpu(), _proc_cpu(server)
            rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            rss_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            files = sum(1 for p in out.rglob("*") if p.is_file())

            # One changed resource at a time: publish a new version (a new description), time the update.
            timings, cpu_ms, written, phases = [], [], [], {}
            step = max(1, live // (changes + 1))
            for k in range(changes):
                row = registry.journal.resources(order="seq", limit=1, offset=(k + 1) * step)[0]
                doc = json.loads(registry.journal.version_at(row.ctid, 2 ** 62).document)
                node = doc["@graph"][0] if "@graph" in doc else doc
                node["ceterms:description"] = {"en-US": f"Changed description, version {k + 2}."}
                outcome = registry.loader.publish(parse(json.dumps(doc).encode("utf-8"), "application/ld+json"))
                assert outcome[0].status == "replaced", outcome[0]
                c0 = _cpu()
                t1 = time.perf_counter()
                sync = static.sync()
                timings.append((time.perf_counter() - t1) * 1000)
                cpu_ms.append((_cpu()[0] - c0[0]) * 1000)
                written.append(len(sync.written))
                for phase, seconds in sync.phases.items():
                    phases.setdefault(phase, []).append(seconds * 1000)

            # One new resource at a time (a copy of one under a new CTID, its name sorting at another
            # letter each time: rows come into the middle of the lists), then its deletion.
            created, deleted, made = [], [], []
            for k in range(changes):
                row = registry.journal.resources(order="seq", limit=1, offset=(k + 1) * step)[0]
                ctid = str(uuid.UUID(int=random.Random(k).getrandbits(128), version=4))
                text = registry.journal.version_at(row.ctid, 2 ** 62).document.decode("utf-8")
                doc = json.loads(text.replace(row.ctid, "ce-" + ctid))
                node = doc["@graph"][0] if "@graph" in doc else doc
                node["ceterms:name"] = {"en-US": f"{chr(ord('A') + (7 * k) % 26)} benchmark resource {k}"}
                outcome = registry.loader.publish(parse(json.dumps(doc).encode("utf-8"), "application/ld+json"))
                assert outcome[0].status == "created", outcome[0]
                made.append("ce-" + ctid)
                t1 = time.perf_counter()
                static.sync()
                created.append((time.perf_counter() - t1) * 1000)
            for ctid in made:
                assert registry.loader.delete(ctid).status == "deleted"
                t1 = time.perf_counter()
                static.sync()
                deleted.append((time.perf_counter() - t1) * 1000)
            registry.close()
        finally:
            server.stop()
    return {
        "resources": live,
        "quads": quads,
        "workers": workers,
        "generate_s": round(generate_s, 1),
        "load_s": round(load_s, 1),
        "build_s": round(build_s, 1),
        "pages_per_s": round(report.resources / build_s, 1),
        "build_cpu_s": round((cpu1[0] - cpu0[0]) + (cpu1[1] - cpu0[1]), 1),
        "build_store_cpu_s": round(ox1 - ox0, 1),
        "build_kernel_cpu_s": round(cpu1[2] - cpu0[2], 1),
        "files": files,
        "build_peak_rss_mb": _mb(rss_self),
        "worker_peak_rss_mb": _mb(rss_children),
        "incremental_ms_median": round(statistics.median(timings), 1),
        "incremental_ms_max": round(max(timings), 1),
        "incremental_cpu_ms_median": round(statistics.median(cpu_ms), 1),
        "incremental_files_median": statistics.median(written),
        "incremental_phases_ms_median": {k: round(statistics.median(v), 1) for k, v in phases.items()},
        "create_ms_median": round(statistics.median(created), 1),
        "create_ms_max": round(max(created), 1),
        "delete_ms_median": round(statistics.median(deleted), 1),
        "delete_ms_max": round(max(deleted), 1),
        "load_average": round(__import__("os").getloadavg()[0], 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of generated resources")
    ap.add_argument("--workers", type=int, default=2, help="render processes (default 2)")
    ap.add_argument("--changes", type=int, default=10, help="incremental updates to time (default 10)")
    ap.add_argument("--data", type=Path, help="use this registry data directory as it is (no generation, no load)")
    ap.add_argument("--out", type=Path, help="write the site here (default: a temporary directory; on this "
                    "project's machine creating a file under /tmp costs ~30x the CPU it costs elsewhere)")
    ap.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = ap.parse_args()
    r = run(args.n, args.workers, args.changes, args.data, args.out)
    print(f"Static site of {r['resources']:,} generated resources ({r['quads']:,} quads), real oxigraph serve")
    if not args.data:
        print(f"  loaded with a pass-through validator in {r['load_s']:.0f} s (generation {r['generate_s']:.0f} s; "
              "not part of the figures below)")
    print(f"  full build:        {r['build_s']:>8.1f} s  = {r['pages_per_s']:,.0f} resource pages/s "
          f"({r['workers']} render workers, {r['files']:,} files)")
    print(f"  build CPU:         {r['build_cpu_s']:>8.1f} s in the build and its workers, "
          f"{r['build_store_cpu_s']:.1f} s in oxigraph serve "
          f"({1000 * (r['build_cpu_s'] + r['build_store_cpu_s']) / max(1, r['resources']):.1f} ms per resource); "
          f"of the build's, {r['build_kernel_cpu_s']:.1f} s in the kernel (mostly creating files)")
    print(f"  one change:        {r['incremental_ms_median']:>8.1f} ms median, {r['incremental_ms_max']:.1f} ms max, "
          f"{r['incremental_cpu_ms_median']:.0f} ms CPU ({r['incremental_files_median']:.0f} files rewritten)")
    print("  one change, by part (median ms): "
          + ", ".join(f"{k} {v:.0f}" for k, v in r["incremental_phases_ms_median"].items()))
    print(f"  one creation:      {r['create_ms_median']:>8.1f} ms median, {r['create_ms_max']:.1f} ms max; "
          f"one deletion {r['delete_ms_median']:.1f} ms median, {r['delete_ms_max']:.1f} ms max")
    print(f"  peak memory:       {r['build_peak_rss_mb']:>8.1f} MB build process, "
          f"{r['worker_peak_rss_mb']:.1f} MB largest render worker")
    print(f"  load average at the end: {r['load_average']} (on {__import__('os').cpu_count()} cores)")
    if args.json:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
