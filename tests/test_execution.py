"""The worker's HTTP/1.1 client for the store (registry.sparql.execution), against a scripted server."""

from __future__ import annotations

import asyncio

import pytest

from registry.sparql.execution import (CANCELLED_MARKER, QueryFailed, QueryRunner, ResultTooLarge,
                                       StoreConnections, StoreUnavailable)

JSON = "application/sparql-results+json"


class Script:
    """A server on 127.0.0.1 that answers each request with the next scripted reply.

    A reply is ``(bytes, then)``: ``then`` is "keep" (keep the connection), "close" (close it), or
    "idle" (keep it, and write a stray error on it a moment later, as oxigraph --timeout-s does).
    """

    def __init__(self, replies):
        self.replies = list(replies)
        self.requests: list[bytes] = []
        self.connections = 0

    async def __aenter__(self):
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/query"
        return self

    async def __aexit__(self, *exc):
        self.server.close()

    async def _serve(self, reader, writer):
        self.connections += 1
        try:
            while self.replies:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                                  if line.lower().startswith(b"content-length")))
                self.requests.append(head + await reader.readexactly(length))
                reply, then = self.replies.pop(0)
                writer.write(reply)
                await writer.drain()
                if then == "close":
                    break
                if then == "idle":
                    await asyncio.sleep(0.05)
                    writer.write(response(500, b"Resource temporarily unavailable (os error 11)"))
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()


def response(status: int, body: bytes, chunked: bool = False, headers: str = "") -> bytes:
    head = f"HTTP/1.1 {status} X\r\ncontent-type: {JSON}\r\n{headers}"
    if not chunked:
        return f"{head}content-length: {len(body)}\r\n\r\n".encode() + body
    parts = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 7]), body[i:i + 7]) for i in range(0, len(body), 7))
    return f"{head}transfer-encoding: chunked\r\n\r\n".encode() + parts + b"0\r\n\r\n"


def run(coro):
    return asyncio.run(coro)


def test_bodies_of_every_kind_and_kept_alive_connections():
    async def go():
        until_close = b"HTTP/1.1 200 X\r\ncontent-type: text/csv\r\nconnection: close\r\n\r\nx\r\n1\r\n"
        async with Script([(response(200, b'{"a": 1}'), "keep"), (response(200, b"0123456789" * 5, True), "keep"),
                           (until_close, "close"), (response(400, b"error at 1:3"), "keep")]) as server:
            pool = StoreConnections(server.url)
            answers = [await pool.post(b"ASK {}", {"Accept": JSON}, 1000) for _ in range(4)]
            pool.close()
        assert [a[0] for a in answers] == [200, 200, 200, 400]
        assert answers[0][2] == b'{"a": 1}' and answers[1][2] == b"0123456789" * 5
        assert answers[2][1]["content-type"] == "text/csv" and answers[2][2] == b"x\r\n1\r\n"
        assert server.connections == 2  # one kept alive for the first three, a new one after "connection: close"
        first = server.requests[0]
        assert first.startswith(b"POST /query HTTP/1.1\r\n") and first.endswith(b"\r\n\r\nASK {}")

    run(go())


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_over_the_limit_stops_the_read(chunked):
    async def go():
        async with Script([(response(200, b"x" * 5000, chunked), "keep"), (response(200, b"ok"), "keep")]) as server:
            pool = StoreConnections(server.url)
            with pytest.raises(ResultTooLarge):
                await pool.post(b"q", {}, 1000)
            assert (await pool.post(b"q", {}, 1000))[2] == b"ok"  # on a new connection: the old one is dropped
            pool.close()
        assert server.connections == 2

    run(go())


def test_a_connection_the_server_dropped_or_wrote_to_while_idle_is_not_reused():
    async def go():
        async with Script([(response(200, b"1"), "idle"), (response(200, b"2"), "close"),
                           (response(200, b"3"), "keep")]) as server:
            pool = StoreConnections(server.url)
            bodies = []
            for _ in range(3):
                bodies.append((await pool.post(b"q", {}, 1000))[2])
                await asyncio.sleep(0.2)  # the stray error (or the close) arrives meanwhile
            pool.close()
        assert bodies == [b"1", b"2", b"3"] and server.connections == 3

    run(go())


def test_dataset_goes_in_the_url_and_the_query_is_the_body():
    async def go():
        async with Script([(response(200, b"{}"), "keep")]) as server:
            runner = QueryRunner(server.url, timeout=5)
            await runner.query("SELECT * {}", JSON, {"default-graph-uri": ["urn:a", "urn:b & c"]})
            runner.close()
        request = server.requests[0]
        assert request.startswith(b"POST /query?default-graph-uri=urn%3Aa&default-graph-uri=urn%3Ab+%26+c HTTP/1.1")
        assert b"content-type: application/sparql-query" in request.lower() and request.endswith(b"SELECT * {}")

    run(go())


def test_runner_errors():
    async def go():
        cut = b'{"head": ' + CANCELLED_MARKER
        async with Script([(response(200, cut, True), "keep"), (response(400, b"error at 2:1: bad"), "keep"),
                           (response(500, b"boom"), "keep"), (response(200, b"y" * 300), "keep")]) as server:
            runner = QueryRunner(server.url, timeout=5, max_result_bytes=200)
            statuses = []
            for _ in range(4):
                with pytest.raises(QueryFailed) as failed:
                    await runner.query("q", JSON)
                statuses.append((failed.value.status, str(failed.value)[:16]))
            runner.close()
        assert statuses == [(504, "The query was st"), (400, "error at 2:1: ba"), (502, "boom"),
                            (422, "The result is la")]

    run(go())


def test_a_store_that_goes_away_mid_answer_is_retried_and_the_deadline_holds():
    async def go():
        half = response(200, b"0123456789" * 10)[:-50]
        async with Script([(half, "close"), (response(200, b"whole"), "keep")]) as server:
            runner = QueryRunner(server.url, timeout=5)
            result = await runner.query("q", JSON)  # the first answer is cut off: asked again
            runner.close()
        assert result.body == b"whole" and server.connections == 2
        refused = QueryRunner("http://127.0.0.1:9/query", timeout=0.5, grace=0.2)  # nothing listens on port 9
        with pytest.raises(QueryFailed) as failed:
            await refused.query("q", JSON)
        assert failed.value.status in (503, 504)
        with pytest.raises(StoreUnavailable):
            await StoreConnections("http://127.0.0.1:9/query").post(b"q", {}, 10)

    run(go())


class Silent:
    """A server on 127.0.0.1 that reads requests and never answers them."""

    async def __aenter__(self):
        async def serve(reader, writer):
            try:
                await reader.read()  # until the client goes away
            except ConnectionError:
                pass
            writer.close()

        self.server = await asyncio.start_server(serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/query"
        return self

    async def __aexit__(self, *exc):
        self.server.close()


def test_each_query_is_stopped_at_its_own_deadline():
    """One timer serves every query of a worker: each still gets a 504 at its own deadline."""
    async def go():
        loop = asyncio.get_running_loop()
        async with Silent() as server:
            runner = QueryRunner(server.url, timeout=0.2, grace=0.1)

            async def one(delay):
                await asyncio.sleep(delay)
                start = loop.time()
                with pytest.raises(QueryFailed) as failed:
                    await runner.query("ASK {}", JSON)
                return failed.value.status, loop.time() - start

            results = await asyncio.gather(one(0), one(0.15), one(0.2))
            assert runner.overruns == 3 and runner._running == 0 and not runner._deadlines
            # A later query gets its own deadline too (the timer is set again once it has nothing left).
            with pytest.raises(QueryFailed):
                await runner.query("ASK {}", JSON)
            assert runner.overruns == 4
            runner.close()
        for status, elapsed in results:
            assert status == 504 and 0.29 <= elapsed < 0.6

    run(go())


def test_the_concurrency_cap_and_a_cancelled_client():
    async def go():
        async with Silent() as server:
            runner = QueryRunner(server.url, timeout=5, max_concurrent=1)
            first = asyncio.create_task(runner.query("ASK {}", JSON))
            await asyncio.sleep(0.05)
            with pytest.raises(QueryFailed) as busy:
                await runner.query("ASK {}", JSON)
            assert busy.value.status == 503 and busy.value.headers == {"Retry-After": "2"}
            first.cancel()  # not the deadline (the client went away, the server stops): passed on as it is
            with pytest.raises(asyncio.CancelledError):
                await first
            assert runner._running == 0 and not runner._deadlines and runner.overruns == 0
            runner.close()

    run(go())
