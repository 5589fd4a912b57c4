"""Validation throughput: one document at a time versus the batch path, on N generated CTDL documents.

    python benchmarks/validate.py 1000 [--json] [--rounds 3] [--seed 7]

Generates N demo documents (registry.demo.generate), parses them as the
registry does, then times, best of ``--rounds`` rounds after a warm-up:

* single: ``validate()`` on each document in turn;
* batch, one process: ``validate_many(..., workers=0)`` (documents merged into shared runs);
* batch: ``validate_many(...)`` with its defaults (merged runs, on every core).

It also checks that the three give identical reports. With ``--json`` the last
line is one JSON object: throughputs in ``*_per_s``, latencies in ``*_ms``
(``single_ms`` per document; ``batch_ms`` and ``batch_one_process_ms`` for one
``validate_many`` call on all N documents; ``*_cpu_ms``: CPU time per document,
of this process or, for ``batch_all_processes_cpu_ms``, of this process and the
worker processes together). The machine's load average is printed too: on a shared
machine other processes' work shows up in the wall-clock figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from registry.demo import generate  # noqa: E402
from registry.ingest.parse import parse  # noqa: E402
from registry.shapes import parallel  # noqa: E402
from registry.shapes.validate import validate, validate_many  # noqa: E402


def _worker_cpu() -> float:
    """CPU seconds used so far by the worker processes of registry.shapes.parallel (Linux /proc)."""
    pool = parallel._pool
    total = 0.0
    for pid in list(getattr(pool, "_processes", None) or {}):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            pass
    return total


def _best(rounds: int, run) -> tuple[float, float, object]:
    """Best wall-clock seconds, best CPU seconds (this process and the workers), and the last output."""
    best, cpu, out = float("inf"), float("inf"), None
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time() + _worker_cpu()
        out = run()
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() + _worker_cpu() - start_cpu)
    return best, cpu, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of generated documents")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds per measurement (best is kept)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = ap.parse_args()

    docs = [d for doc in generate(args.n, seed=args.seed) for d in parse(json.dumps(doc).encode("utf-8"))]
    triples = [d.triples for d in docs]
    iris = [d.iri for d in docs]
    n = len(docs)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None

    validate(triples[0], main_iri=iris[0])  # warm-up: shapes parsed and harvested
    validate_many(triples[: 4 * parallel.MIN_SHARE], iris[: 4 * parallel.MIN_SHARE])  # warm-up: workers forked
    workers = parallel.default_workers(n)

    single_s, single_cpu, single = _best(args.rounds, lambda: [validate(t, main_iri=i) for t, i in zip(triples, iris)])
    one_s, one_cpu, one = _best(args.rounds, lambda: validate_many(triples, iris, workers=0))
    many_s, many_cpu, many = _best(args.rounds, lambda: validate_many(triples, iris))
    expected = [r.to_json() for r in single]
    identical = [r.to_json() for r in one] == expected and [r.to_json() for r in many] == expected

    out = {
        "documents": n,
        "triples_per_doc": round(statistics.mean(len(t) for t in triples), 1),
        "results_per_doc": round(statistics.mean(len(r.results) for r in single), 1),
        "single_docs_per_s": round(n / single_s, 1),
        "single_ms": round(single_s / n * 1000, 2),
        "single_cpu_ms": round(single_cpu / n * 1000, 2),
        "batch_one_process_docs_per_s": round(n / one_s, 1),
        "batch_one_process_ms": round(one_s * 1000, 1),
        "batch_cpu_ms": round(one_cpu / n * 1000, 2),
        "batch_docs_per_s": round(n / many_s, 1),
        "batch_ms": round(many_s * 1000, 1),
        "batch_all_processes_cpu_ms": round(many_cpu / n * 1000, 2),
        "processes": workers + 1,
        "identical_reports": identical,
        "load_average": round(load, 2) if load is not None else None,
    }
    print(f"Validation of {n:,} generated documents ({out['triples_per_doc']:.0f} triples and "
          f"{out['results_per_doc']:.0f} results per document), best of {args.rounds} rounds")
    print(f"  one at a time (validate):       {out['single_docs_per_s']:>8,.1f} docs/s  "
          f"({out['single_ms']:.2f} ms per document, {out['single_cpu_ms']:.2f} ms of CPU)")
    print(f"  validate_many, one process:     {out['batch_one_process_docs_per_s']:>8,.1f} docs/s  "
          f"({out['batch_one_process_ms']:,.0f} ms for all, {out['batch_cpu_ms']:.2f} ms of CPU per document)")
    print(f"  validate_many, {workers + 1} process(es):  {out['batch_docs_per_s']:>8,.1f} docs/s  "
          f"({out['batch_ms']:,.0f} ms for all, {out['batch_all_processes_cpu_ms']:.2f} ms of CPU per document "
          "in all processes)")
    print(f"  identical reports: {'yes' if identical else 'NO'}; load average at start: {out['load_average']}")
    parallel.shutdown()
    if args.json:
        print(json.dumps(out))
    if not identical:
        sys.exit(1)


if __name__ == "__main__":
    main()
