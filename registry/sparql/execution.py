"""Running a public query in the store without letting it take the service down.

* At most ``max_concurrent`` queries run at once in this worker; beyond that the
  answer is ``503`` with ``Retry-After``.
* Each query has a deadline (the query timeout plus a short grace). The embedded
  store runs without a time limit of its own (``docs/sparql.md``, "Time limits"), and
  no HTTP request can stop a query in it. So when a query overruns, the registry
  stops waiting, answers ``504``, and stops the store process itself: the supervisor
  restarts it within a second. That is the only way to really cancel the work. A
  query or publish that was running in the store at that moment fails; queries retry
  by themselves while the store restarts (they only read, so a retry is safe).
* A result larger than ``max_result_bytes`` is not cut silently: the answer is a
  ``422`` that names the limit.

The hop to the store is a small HTTP/1.1 client on asyncio with kept-alive connections
(:class:`StoreConnections`): the store is one known server, usually on loopback, and a
general-purpose client (httpx) cost the worker more CPU per request than the store spent on a
lookup.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httptools

# A store with its own time limit (oxigraph serve --timeout-s) may stop a query mid-stream: the answer
# is then a 200 whose body ends in this message, not a result.
CANCELLED_MARKER = b"The SPARQL operation has been cancelled"


class QueryFailed(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


class StoreUnavailable(Exception):
    """No answer from the store: refused, reset or cut off (it is restarting, or it crashed)."""


@dataclass
class QueryResult:
    body: bytes
    media_type: str


class ResultTooLarge(Exception):
    pass


class StoreConnections:
    """POST to one URL over kept-alive HTTP/1.1 connections (``http`` or ``https``), up to ``keep`` idle.

    Responses are parsed by ``httptools`` (uvicorn's C parser): ``Content-Length``, chunked, or
    to the end of the connection. Reading stops (and the connection is dropped) once a body
    passes ``max_bytes``. A connection is reused only after a complete response that allows it,
    and only if nothing arrived on it while it was idle.
    """

    def __init__(self, url: str, keep: int = 8):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url}")
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.ssl = ssl.create_default_context() if parts.scheme == "https" else None
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.netloc = parts.netloc
        self.keep = keep
        self._idle: list[_Connection] = []

    async def post(self, body: bytes, headers: dict[str, str], max_bytes: int,
                   params: dict[str, list[str]] | None = None) -> tuple[int, dict[str, str], bytes]:
        """(status, headers with lower-case names, body). Raises StoreUnavailable or ResultTooLarge."""
        return await self.send(self.request(self.head(headers, params), body), max_bytes)

    @staticmethod
    def request(head: bytes, body: bytes) -> bytes:
        """A whole POST: :meth:`head`'s lines, the body's length, the body."""
        return head + b"Content-Length: %d\r\n\r\n" % len(body) + body

    def head(self, headers: dict[str, str], params: dict[str, list[str]] | None = None) -> bytes:
        """A POST's request line and headers, up to (not including) its Content-Length."""
        target = self.path
        if params:
            target += ("&" if "?" in target else "?") + urlencode(params, doseq=True)
        return (f"POST {target} HTTP/1.1\r\nHost: {self.netloc}\r\n"
                + "".join(f"{k}: {v}\r\n" for k, v in headers.items())).encode("latin-1")

    async def send(self, request: bytes, max_bytes: int) -> tuple[int, dict[str, str], bytes]:
        """Send a whole request (head and body) and read its answer: see :meth:`post`."""
        while True:
            conn = None
            while self._idle and conn is None:
                conn = self._idle.pop()
                if not conn.usable():  # the server closed it, or wrote to it, while it was idle
                    conn.close()
                    conn = None
            reused = conn is not None
            conn = conn or await self._connect()
            try:
                status, head, data = await conn.exchange(request, max_bytes)
            except StoreUnavailable:
                if reused:  # a kept-alive connection the server had dropped meanwhile: try another
                    continue
                raise
            except BaseException:  # too large, or cancelled at the deadline: the rest of the answer is unread
                conn.close()
                raise
            if conn.usable() and len(self._idle) < self.keep:
                self._idle.append(conn)
            else:
                conn.close()
            return status, head, data

    async def _connect(self) -> "_Connection":
        try:
            _, conn = await asyncio.get_running_loop().create_connection(
                _Connection, self.host, self.port, ssl=self.ssl)
        except OSError as exc:
            raise StoreUnavailable(str(exc)) from None
        return conn

    def close(self) -> None:
        for conn in self._idle:
            conn.close()
        self._idle.clear()


class _Connection(asyncio.Protocol):
    """One connection to the store, one request at a time; ``httptools`` calls the ``on_*`` methods."""

    def __init__(self):
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.done: asyncio.Future | None = None
        self.keep_alive = self.to_close = False

    def usable(self) -> bool:
        return self.keep_alive and self.transport is not None and not self.transport.is_closing()

    def close(self) -> None:
        self.keep_alive = False
        if self.transport is not None:
            self.transport.close()

    async def exchange(self, request: bytes, max_bytes: int) -> tuple[int, dict[str, str], bytes]:
        if self.transport is None or self.transport.is_closing():
            raise StoreUnavailable("the connection is closed")
        self.done = asyncio.get_running_loop().create_future()
        self.headers: dict[str, str] = {}
        self.body: list[bytes] = []
        self.size, self.max_bytes, self.keep_alive, self.to_close = 0, max_bytes, False, False
        self.transport.write(request)
        await self.done
        return self.parser.get_status_code(), self.headers, b"".join(self.body)

    def _finish(self, error: BaseException | None = None) -> None:
        if self.done is not None and not self.done.done():
            if error is None:
                self.done.set_result(None)
            else:
                self.done.set_exception(error)
                self.close()

    # asyncio.Protocol
    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self.done is None or self.done.done():  # nothing was asked: not an answer to anything of ours
            self.close()
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._finish(StoreUnavailable(f"unreadable answer from the store: {exc}"))

    def connection_lost(self, exc) -> None:
        self.transport = None
        self.keep_alive = False
        if self.to_close:  # a body without a length ends with the connection
            self._finish()
        self._finish(StoreUnavailable(f"the store closed the connection{f': {exc}' if exc else ''}"))

    # httptools
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_headers_complete(self) -> None:
        self.to_close = ("content-length" not in self.headers
                         and "chunked" not in self.headers.get("transfer-encoding", "").lower())

    def on_body(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            self._finish(ResultTooLarge())
        else:
            self.body.append(chunk)

    def on_message_complete(self) -> None:
        self.keep_alive = self.parser.should_keep_alive()
        self.to_close = False
        self._finish()


class QueryRunner:
    def __init__(self, query_url: str, *, timeout: float, max_concurrent: int = 8,
                 max_result_bytes: int = 50 * 1024 * 1024, grace: float = 2.0,
                 server_state: Path | None = None):
        self.store = StoreConnections(query_url, keep=max_concurrent)
        self.query_url = query_url
        self.timeout = timeout
        self.grace = grace
        self.max_result_bytes = max_result_bytes
        self.server_state = server_state
        self.max_concurrent = max_concurrent
        self._running = 0  # queries under way in this worker (one event loop: a plain count will do)
        self._heads: dict[str, bytes] = {}  # the request head to the store, by Accept
        self._deadlines: dict[asyncio.Task, float] = {}  # the queries under way, by the task that waits for each
        self._expired: set[asyncio.Task] = set()  # those cancelled at their deadline (by _expire)
        self._timer: asyncio.TimerHandle | None = None
        self._timer_loop: asyncio.AbstractEventLoop | None = None
        self.overruns = 0

    async def query(self, query: str, accept: str, dataset: dict[str, list[str]] | None = None) -> QueryResult:
        """The store's answer to ``query`` in ``accept``, or QueryFailed (503, 504, 422, 400, 502)."""
        if self._running >= self.max_concurrent:
            raise QueryFailed(503, f"The endpoint is running its maximum of {self.max_concurrent} queries; "
                                   "try again in a moment.", {"Retry-After": "2"})
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        deadline = loop.time() + self.timeout + self.grace
        self._running += 1
        self._deadlines[task] = deadline
        if self._timer is None or self._timer_loop is not loop:
            self._timer, self._timer_loop = loop.call_at(deadline, self._expire), loop
        try:
            return await self._run(query, accept, dataset, deadline)
        except asyncio.CancelledError:
            if task not in self._expired:
                raise
            if task.uncancel() > 0:  # cancelled by someone else too (the server is shutting down)
                raise
            self.overruns += 1
            self._stop_store()
            raise QueryFailed(504, f"The query was stopped: it ran longer than the {self.timeout:g} s "
                                   "limit. Narrow it down (fewer patterns, a LIMIT) and try again.") from None
        finally:
            self._running -= 1
            del self._deadlines[task]
            self._expired.discard(task)

    def _expire(self) -> None:
        """The deadline timer: cancel the queries past their deadline, and wait for the next deadline.

        One timer for all the queries of this worker, not one per query (``asyncio.timeout`` cost a
        worker more CPU than the rest of a small query's bookkeeping): it fires at the earliest
        deadline of the queries running when it is set, and is set again for those still running.
        """
        loop = asyncio.get_running_loop()
        self._timer = None
        now = loop.time() + 0.001  # the loop's clock has millisecond steps: a timer may fire a hair early
        following = None
        for task, deadline in self._deadlines.items():
            if deadline <= now:
                if task not in self._expired:
                    self._expired.add(task)
                    task.cancel()
            elif following is None or deadline < following:
                following = deadline
        if following is not None:
            self._timer = loop.call_at(following, self._expire)

    async def _run(self, query: str, accept: str, dataset: dict | None, deadline: float) -> QueryResult:
        # A direct POST: the query as the body, the protocol dataset (if any) in the URL.
        head = self._heads.get(accept) if not dataset else None
        if head is None:
            head = self.store.head({"Content-Type": "application/sparql-query", "Accept": accept}, dataset)
            if not dataset and len(self._heads) < 64:  # the few media types the endpoint offers
                self._heads[accept] = head
        request = self.store.request(head, query.encode("utf-8"))
        while True:
            try:
                return self._result(*await self.store.send(request, self.max_result_bytes), accept)
            except StoreUnavailable:
                # The store is restarting (after an overrun, or a crash): wait for it, within the deadline.
                if asyncio.get_running_loop().time() + 0.25 > deadline:
                    raise QueryFailed(503, "The store is restarting; try again in a moment.",
                                      {"Retry-After": "2"}) from None
                await asyncio.sleep(0.25)
            except ResultTooLarge:
                raise QueryFailed(422, f"The result is larger than this endpoint's limit of "
                                       f"{_size(self.max_result_bytes)}. Add a LIMIT, select "
                                       "fewer variables, or use the data dump (/data/registry.nq.gz).") from None

    def _result(self, status: int, headers: dict[str, str], body: bytes, accept: str) -> QueryResult:
        if status >= 400:
            text = body.decode("utf-8", "replace").strip()
            if "cancel" in text.lower() or "timeout" in text.lower() or "timed out" in text.lower():
                raise QueryFailed(504, f"The query was stopped after the {self.timeout:g} s limit.")
            raise QueryFailed(400 if status < 500 else 502, text)
        if CANCELLED_MARKER in body[-200:]:
            # The store stopped the query mid-stream: the body is cut off, not a result.
            raise QueryFailed(504, f"The query was stopped after the {self.timeout:g} s limit.")
        return QueryResult(body, headers.get("content-type", accept))

    def close(self) -> None:
        self.store.close()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

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
