"""Measure validation speed: ``python -m registry.shapes.bench [FILE ...]``.

Without files it validates documents from the demo generator
(:mod:`registry.demo`); with files it parses them with the registry's parser.
Prints documents, triples and results per document and milliseconds per
document (the best of several rounds, after one warm-up round), for
``validate`` one document at a time and for ``validate_many`` in this process
(merged runs; ``benchmarks/validate.py`` also measures the worker processes).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from ..ingest.parse import ParseError, parse
from .validate import validate, validate_many


def _documents(files: list[Path], count: int) -> list:
    if files:
        docs = []
        for path in files:
            try:
                docs += parse(path.read_bytes(), path.name)
            except ParseError as exc:
                print(f"skipped {path}: {exc}", file=sys.stderr)
        return docs
    from ..demo import generate

    return [d for doc in generate(count, seed=7) for d in parse(json.dumps(doc).encode("utf-8"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m registry.shapes.bench", description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--count", type=int, default=200, help="demo documents to generate (without files)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    docs = _documents(args.files, args.count)
    if not docs:
        print("no documents", file=sys.stderr)
        return 1
    reports = [validate(d.triples, main_iri=d.iri) for d in docs]  # warm-up: loads and compiles the shapes
    rounds, merged = [], []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for d in docs:
            validate(d.triples, main_iri=d.iri)
        rounds.append((time.perf_counter() - start) / len(docs) * 1000)
        start = time.perf_counter()
        validate_many([d.triples for d in docs], [d.iri for d in docs], workers=0)
        merged.append((time.perf_counter() - start) / len(docs) * 1000)
    triples = statistics.mean(len(d.triples) for d in docs)
    results = statistics.mean(len(r.results) for r in reports)
    print(f"{len(docs)} documents, {triples:.0f} triples and {results:.0f} results per document on average")
    print(f"{min(rounds):.1f} ms per document one at a time, {min(merged):.1f} ms with validate_many in this "
          f"process (best of {args.rounds} rounds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
