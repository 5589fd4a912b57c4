"""Ingest throughput: parse → validate → journal → load, on N generated CTDL documents.

    python benchmarks/ingest.py 10000 [--batch 200] [--json]

Runs against a real `oxigraph serve` on a temporary data directory (as `registry serve`
does), publishing in batches like `registry load`. It also times the same load
without validation, to show what validation costs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from registry.config import Config  # noqa: E402
from registry.demo import generate  # noqa: E402
from registry.ingest.journal import Journal  # noqa: E402
from registry.ingest.load import Loader, accept_all, default_validator  # noqa: E402
from registry.ingest.parse import parse  # noqa: E402
from registry.oxigraph_server import OxigraphServer  # noqa: E402
from registry.store import RemoteStore  # noqa: E402


def run(n: int, batch: int, validate: bool) -> dict:
    raw = [json.dumps(d).encode("utf-8") for d in generate(n, seed=7)]
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Config.load(Path(tmp))
        with OxigraphServer(cfg.oxigraph_dir, timeout_s=60) as server:
            store = RemoteStore.for_base(server.url)
            journal = Journal(cfg.journal_path)
            validator = default_validator() if validate else accept_all
            loader = Loader(journal, store, validator=validator)
            loader.publish(parse(raw[0]))  # warm-up: shapes parsed, connections open (not timed)
            parse_s = 0.0
            batch_ms: list[float] = []
            accepted = 0
            start = time.perf_counter()
            all_outcomes = []
            with loader.pipeline() as pipe:  # as `registry load` does: commit k while preparing k+1
                for i in range(1, len(raw), batch):
                    t0 = time.perf_counter()
                    docs = [d for data in raw[i:i + batch] for d in parse(data, "application/ld+json")]
                    t1 = time.perf_counter()
                    all_outcomes += pipe.publish(docs)
                    t2 = time.perf_counter()
                    parse_s += t1 - t0
                    batch_ms.append((t2 - t0) * 1000)
            total = time.perf_counter() - start
            accepted = sum(o.accepted for o in all_outcomes)
            quads = store.quad_count()
            journal.close()
            store.close()
    docs = len(raw) - 1
    return {
        "documents": docs,
        "accepted": accepted,
        "quads": quads,
        "seconds": round(total, 3),
        "docs_per_s": round(docs / total, 1),
        "parse_docs_per_s": round(docs / parse_s, 1),
        "batch_p50_ms": round(statistics.median(batch_ms), 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of generated documents")
    ap.add_argument("--batch", type=int, default=200, help="documents per publish call (default 200)")
    ap.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = ap.parse_args()

    full = run(args.n, args.batch, validate=True)
    bare = run(args.n, args.batch, validate=False)
    print(f"Ingest of {full['documents']:,} generated documents, batches of {args.batch}, real oxigraph serve")
    print(f"  with validation:    {full['docs_per_s']:>8,.1f} docs/s  ({full['seconds']:.1f} s, "
          f"{full['accepted']:,} accepted, {full['quads']:,} quads, batch p50 {full['batch_p50_ms']:.0f} ms)")
    print(f"  without validation: {bare['docs_per_s']:>8,.1f} docs/s  ({bare['seconds']:.1f} s)")
    print(f"  parsing alone:      {full['parse_docs_per_s']:>8,.1f} docs/s")
    print(f"  validation slows ingest by {bare['docs_per_s'] / full['docs_per_s']:.2f}x")
    if args.json:
        print(json.dumps({
            "documents": full["documents"],
            "accepted": full["accepted"],
            "ingest_docs_per_s": full["docs_per_s"],
            "ingest_without_validation_docs_per_s": bare["docs_per_s"],
            "parse_docs_per_s": full["parse_docs_per_s"],
            "batch_p50_ms": full["batch_p50_ms"],
            "validation_slowdown": round(bare["docs_per_s"] / full["docs_per_s"], 2),
        }))


if __name__ == "__main__":
    main()
