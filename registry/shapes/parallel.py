"""Spread :func:`registry.shapes.validate.validate_many` over the machine's cores.

Validation is pure Python (pyshacl on rdflib), so one process uses one core.
For a list of documents large enough to gain from it, this module keeps a pool
of worker processes and shares the list between them and the calling process:

* The workers are started with ``fork`` once the shapes are loaded, so each
  starts with the parsed and harvested shapes already in memory (loading takes
  seconds) and with the same string-hash seed as the caller. The seed matters
  because a few orders inside pyshacl follow Python's set order; with the same
  seed a worker's reports are byte for byte the caller's.
* Documents travel as N-Triples text (pyoxigraph writes and reads it in Rust,
  about 0.15 ms per document both ways; pickling the pyoxigraph triples costs
  ten times more). Reports come back as rows of indexes into a table of
  distinct strings (about 2 kB and 0.1 ms per document to read back, against
  10 kB and 0.5 ms for the pickled objects).
* The caller validates too. The list is handed out in spans, each at most
  ``batch_size`` documents and smaller towards the end (guided scheduling), to
  the caller and, through a feeder thread that keeps one span per worker in
  the pool, to the workers; so every process is busy until the end and they
  finish at about the same time.

``workers`` (an argument of ``validate_many``, or the environment variable
``REGISTRY_VALIDATION_WORKERS``) caps the number of worker processes; 0 keeps
everything in the calling process. By default there is one worker per core
beyond the first, and none for fewer than ``2 * MIN_SHARE`` documents. If the
pool fails (a worker killed), the calling process validates the rest itself.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import threading
from concurrent.futures import FIRST_COMPLETED, CancelledError, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

import pyoxigraph as ox

from .report import Report, Result

# Fewer documents than this per process do not pay for sending them.
MIN_SHARE = 40

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def default_workers(documents: int) -> int:
    """Worker processes for a list of ``documents`` (besides the calling process)."""
    env = os.environ.get("REGISTRY_VALIDATION_WORKERS")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    limit = int(env) if env not in (None, "") else cores - 1
    return max(0, min(limit, documents // MIN_SHARE - 1))


def _get_pool(size: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    with _lock:
        if _pool is None or _pool_size != size:
            if _pool is not None:
                _pool.shutdown(wait=False, cancel_futures=True)
            _pool = ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("fork"))
            _pool_size = size
        return _pool


def _drop_pool() -> None:
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


def shutdown() -> None:
    """Stop the worker processes (they are started again when needed)."""
    _drop_pool()


def _ntriples(triples: list) -> bytes:
    return ox.serialize([t.triple if isinstance(t, ox.Quad) else t for t in triples], format=ox.RdfFormat.N_TRIPLES)


def _pack(reports: list[Report]):
    """Reports as rows of indexes into one list of distinct values: a fifth of the pickle, five
    times faster to read back (messages, labels and definitions repeat across results)."""
    table: dict = {}
    index = table.setdefault
    names = [f.name for f in dataclasses.fields(Result)]
    report_names = [f.name for f in dataclasses.fields(Report) if f.name != "results"]
    try:
        rows = [
            (
                [index(getattr(report, n), len(table)) for n in report_names],
                [[index(getattr(result, n), len(table)) for n in names] for result in report.results],
            )
            for report in reports
        ]
    except TypeError:  # a value that cannot be a dict key: send the objects themselves
        return reports
    return list(table), names, report_names, rows


def _unpack(packed) -> list[Report]:
    if isinstance(packed, list):
        return packed
    values, names, report_names, rows = packed
    if "__slots__" in vars(Result) or "__slots__" in vars(Report):
        return [
            Report(**{n: values[i] for n, i in zip(report_names, head)},
                   results=[Result(**{n: values[i] for n, i in zip(names, row)}) for row in results])
            for head, results in rows
        ]  # fmt: skip
    # As unpickling does: no __init__ (a frozen dataclass sets each field through object.__setattr__).
    new = object.__new__
    reports = []
    for head, results in rows:
        made = []
        for row in results:
            result = new(Result)
            result.__dict__.update(zip(names, [values[i] for i in row]))
            made.append(result)
        report = new(Report)
        report.__dict__.update(zip(report_names, [values[i] for i in head]))
        report.results = made
        reports.append(report)
    return reports


def _work(key: tuple, payload: list[bytes], iris: list, batch_size: int):
    """In a worker: parse the N-Triples, validate, return the reports (packed)."""
    from .validate import _load, validate_prepared

    shapes = _load(key)  # already loaded in the parent before the fork: a cache hit
    documents = [[q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)] for data in payload]
    return _pack(validate_prepared(shapes, documents, iris, batch_size))


class _Schedule:
    """Hands out spans of the document list, shrinking towards the end ("guided" scheduling) so that
    the processes finish at about the same time. Thread-safe."""

    def __init__(self, n: int, processes: int, batch_size: int):
        self.n, self.processes, self.batch_size = n, processes, max(1, batch_size)
        self.next = 0
        self.lock = threading.Lock()

    def claim(self) -> tuple[int, int] | None:
        with self.lock:
            remaining = self.n - self.next
            if remaining <= 0:
                return None
            size = max(_MIN_CHUNK, min(self.batch_size, -(-remaining // (2 * self.processes))))
            span = (self.next, min(self.n, self.next + size))
            self.next = span[1]
            return span


_MIN_CHUNK = 16


def validate_documents(
    shapes, documents: list[list], iris: list, *, workers: int | None, batch_size: int
) -> list[Report]:
    """Reports for ``documents`` (in order), shared between this process and the workers."""
    from .validate import validate_prepared

    n = len(documents)
    size = default_workers(n) if workers is None else max(0, min(workers, n - 1))
    if size == 0 or n < 2:
        return validate_prepared(shapes, documents, iris, batch_size)
    try:
        pool = _get_pool(size)
    except (RuntimeError, OSError):
        return validate_prepared(shapes, documents, iris, batch_size)

    schedule = _Schedule(n, size + 1, batch_size)
    reports: list[Report | None] = [None] * n
    packed: list[tuple[tuple[int, int], object]] = []
    failed: list[tuple[int, int]] = []  # spans a worker could not validate: this process does them
    errors: list[BaseException] = []
    broken = threading.Event()  # the pool failed: no more submissions, the caller does the rest
    stop = threading.Event()  # the caller failed: no more submissions

    def feed() -> None:
        """Keeps one span per worker in the pool until the list is handed out."""
        outstanding: dict = {}
        try:
            while True:
                while len(outstanding) < size and not broken.is_set() and not stop.is_set():
                    span = schedule.claim()
                    if span is None:
                        break
                    a, b = span
                    try:
                        future = pool.submit(_work, shapes.key, [_ntriples(d) for d in documents[a:b]], iris[a:b],
                                             batch_size)  # fmt: skip
                    except (BrokenProcessPool, RuntimeError, OSError):
                        broken.set()
                        failed.append(span)
                        break
                    outstanding[future] = span
                if not outstanding:
                    return
                done, _ = wait(outstanding, return_when=FIRST_COMPLETED)
                for future in done:
                    span = outstanding.pop(future)
                    try:
                        packed.append((span, future.result()))
                    except (BrokenProcessPool, CancelledError, OSError):
                        broken.set()
                        failed.append(span)
        except BaseException as exc:  # a bug in validation: raised in the caller, as without workers
            errors.append(exc)
            broken.set()
            for future, span in outstanding.items():
                future.cancel()
                failed.append(span)

    feeder = threading.Thread(target=feed, name="registry-validation-feeder", daemon=True)
    feeder.start()
    try:
        while (span := schedule.claim()) is not None:
            a, b = span
            reports[a:b] = validate_prepared(shapes, documents[a:b], iris[a:b], batch_size)
    except BaseException:
        stop.set()
        raise
    finally:
        feeder.join()
    if errors:
        raise errors[0]
    if broken.is_set():
        _drop_pool()
    for (a, b), result in packed:
        reports[a:b] = _unpack(result)
    for a, b in failed:
        reports[a:b] = validate_prepared(shapes, documents[a:b], iris[a:b], batch_size)
    return reports  # type: ignore[return-value]
