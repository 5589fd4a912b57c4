"""Running a public query in the store without letting it take the service down.

* At most ``max_concurrent`` queries run at once in this worker; beyond that the
  answer is ``503`` with ``Retry-After``.
* Each query has a deadline (the query timeout plus a short grace). Oxigraph's own
  ``--timeout-s`` stops many runaway queries, but not all (a sort, an aggregate or a
  result stream can run on for minutes; a cancelled stream even arrives as a
  ``200`` whose body ends in an error message). So when a query overruns, the
  registry stops waiting, answers ``504``, and stops the store process itself: the
  supervisor restarts it within a second. That is the only way to really cancel
  the work. A query or publish that was running in the store at that moment fails
  and may be retried; queries retry by themselves while the store restarts.
* A result larger than ``max_result_bytes`` is not cut silently: the answer is a
  ``422`` that names the limit.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

CANCELLED_MARKER = b"The SPARQL operation has been cancelled"


class QueryFailed(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


@dataclass
class QueryResult:
    body: bytes
    media_type: str


class QueryRunner:
    def __init__(self, http: httpx.AsyncClient, query_url: str, *, timeout: float, max_concurrent: int = 8,
                 max_result_bytes: int = 50 * 1024 * 1024, grace: float = 2.0,
                 server_state: Path | None = None):
        self.http = http
        self.query_url = query_url
        self.timeout = timeout
        self.grace = grace
        self.max_result_bytes = max_result_bytes
        self.server_state = server_state
        self._slots = asyncio.Semaphore(max_concurrent)
        self.max_concurrent = max_concurrent
        self.overruns = 0

    async def run(self, form: dict, accept: str) -> QueryResult:
        if self._slots.locked():
            raise QueryFailed(503, f"The endpoint is running its maximum of {self.max_concurrent} queries; "
                                   "try again in a moment.", {"Retry-After": "2"})
        async with self._slots:
            deadline = time.monotonic() + self.timeout + self.grace
            try:
                return await asyncio.wait_for(self._run(form, accept, deadline), self.timeout + self.grace)
            except asyncio.TimeoutError:
                self.overruns += 1
                self._stop_store()
                raise QueryFailed(504, f"The query was stopped: it ran longer than the {self.timeout:g} s "
                                       "limit. Narrow it down (fewer patterns, a LIMIT) and try again.") from None

    async def _run(self, form: dict, accept: str, deadline: float) -> QueryResult:
        while True:
            try:
                return await self._send(form, accept)
            except (httpx.ConnectError, httpx.RemoteProtocolError):
                # The store is restarting (after an overrun, or a crash): wait for it, within the deadline.
                if time.monotonic() + 0.25 > deadline:
                    raise QueryFailed(503, "The store is restarting; try again in a moment.",
                                      {"Retry-After": "2"}) from None
                await asyncio.sleep(0.25)

    async def _send(self, form: dict, accept: str) -> QueryResult:
        async with self.http.stream("POST", self.query_url, data=form, headers={"Accept": accept},
                                    timeout=httpx.Timeout(self.timeout + self.grace, connect=2.0)) as upstream:
            chunks, size = [], 0
            async for chunk in upstream.aiter_raw():
                size += len(chunk)
                if size > self.max_result_bytes:
                    raise QueryFailed(422, f"The result is larger than this endpoint's limit of "
                                           f"{_size(self.max_result_bytes)}. Add a LIMIT, select "
                                           "fewer variables, or use the data dump (/data/registry.nq.gz).")
                chunks.append(chunk)
            body = b"".join(chunks)
            status = upstream.status_code
            media = upstream.headers.get("content-type", accept)
        if status >= 400:
            text = body.decode("utf-8", "replace").strip()
            if "cancel" in text.lower() or "timeout" in text.lower() or "timed out" in text.lower():
                raise QueryFailed(504, f"The query was stopped after the {self.timeout:g} s limit.")
            raise QueryFailed(400 if status < 500 else 502, text)
        if CANCELLED_MARKER in body[-200:]:
            # Oxigraph stopped the query mid-stream: the body is cut off, not a result.
            raise QueryFailed(504, f"The query was stopped after the {self.timeout:g} s limit.")
        return QueryResult(body, media)

    def _stop_store(self) -> None:
        """Kill the supervised store process; `registry serve`'s supervisor restarts it."""
        if self.server_state is None or not self.server_state.exists():
            return
        try:
            pid = json.loads(self.server_state.read_text()).get("oxigraph_pid")
            if pid:
                os.kill(int(pid), signal.SIGKILL)
        except (ValueError, OSError):
            pass


def _size(n: int) -> str:
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= factor:
            return f"{n / factor:.3g} {unit}"
    return f"{n} bytes"
