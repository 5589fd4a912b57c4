"""Start and supervise the ``oxigraph`` package's own SPARQL server.

``registry serve`` runs ``oxigraph serve --location DATA/oxigraph --bind
127.0.0.1:PORT --union-default-graph`` as a child process, waits until it
answers, restarts it if it dies, and stops it on exit. The child dies with the
process that started it, however that ends (even ``SIGKILL``), so a store is never
left running without its supervisor. Public queries run there; the registry
enforces their time limit (:mod:`registry.sparql.execution`).
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

log = logging.getLogger("registry.oxigraph")


def oxigraph_binary() -> str:
    """The ``oxigraph`` executable installed beside this Python (PyPI package ``oxigraph``)."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.exists():
        return str(here)
    found = shutil.which("oxigraph")
    if not found:
        raise RuntimeError("The `oxigraph` server is not installed: pip install oxigraph")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent():
    """A ``preexec_fn``: the child gets SIGTERM when its parent ends (Linux; a no-op elsewhere).

    ``prctl(PR_SET_PDEATHSIG)`` is tied to the thread that forks, so spawn from a thread that lives as
    long as the server: the main thread or the supervisor's watchdog.
    """
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up now, in the parent: nothing to load after fork
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


class OxigraphServer:
    """One supervised ``oxigraph serve`` process on 127.0.0.1."""

    def __init__(self, location: Path | None, *, port: int | None = None, timeout_s: float | None = None,
                 read_only: bool = False, host: str = "127.0.0.1", state_file: Path | None = None,
                 log_path: Path | None = None):
        self.location = Path(location) if location is not None else None
        self.host = host
        self.port = port or free_port(host)
        self.timeout_s = timeout_s
        self.read_only = read_only
        self.state_file = state_file
        self.log_path = log_path  # the store's stderr, appended; by default read only when a start fails
        self._proc: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._watchdog: threading.Thread | None = None
        self.restarts = 0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def command(self) -> list[str]:
        cmd = [oxigraph_binary(), "serve-read-only" if self.read_only else "serve",
               "--bind", f"{self.host}:{self.port}"]
        if self.timeout_s is not None:  # oxigraph 0.5 keeps one thread per query for this long: see docs/sparql.md
            cmd += ["--timeout-s", str(max(1, int(round(self.timeout_s))))]
        if self.location is not None:
            cmd += ["--location", str(self.location)]
        if not self.read_only:
            cmd.append("--union-default-graph")
        return cmd

    def start(self, wait: float = 30.0) -> "OxigraphServer":
        if self.location is not None:
            self.location.mkdir(parents=True, exist_ok=True)
        self._spawn()
        self._wait_ready(wait)
        self._watchdog = threading.Thread(target=self._watch, name="oxigraph-watchdog", daemon=True)
        self._watchdog.start()
        return self

    def _spawn(self) -> None:
        log.info("starting %s", " ".join(self.command()))
        stderr = open(self.log_path, "ab") if self.log_path is not None else subprocess.PIPE
        try:
            self._proc = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL, stderr=stderr,
                                          start_new_session=True, preexec_fn=_die_with_parent())
        finally:
            if stderr is not subprocess.PIPE:
                stderr.close()
        if self.state_file is not None:
            # Where batch commands find the server, and which process a worker may stop.
            self.state_file.write_text(json.dumps({"url": self.url, "pid": os.getpid(),
                                                   "oxigraph_pid": self._proc.pid}))

    def _wait_ready(self, wait: float) -> None:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                err = self._proc.stderr.read().decode("utf-8", "replace") if self._proc.stderr else self.tail()
                raise RuntimeError(f"oxigraph serve exited with code {self._proc.returncode}: {err.strip()}")
            try:
                r = httpx.post(self.url + "/query", content=b"ASK {}", timeout=1.0, trust_env=False,
                               headers={"Content-Type": "application/sparql-query"})
                if r.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"oxigraph serve did not answer within {wait} s")

    def _watch(self) -> None:
        while not self._stopping.wait(0.25):
            if self._proc is not None and self._proc.poll() is not None:
                log.error("oxigraph serve exited (code %s); restarting", self._proc.returncode)
                self.restarts += 1
                try:
                    self._spawn()
                    self._wait_ready(30.0)
                except RuntimeError as exc:  # keep trying, the next tick retries
                    log.error("restart failed: %s", exc)

    def tail(self, lines: int = 15) -> str:
        """The last lines of the store's log (with ``log_path``)."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:]) if self.log_path else ""
        except OSError:
            return ""

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        self._stopping.set()
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self.state_file is not None and self.state_file.exists():
            self.state_file.unlink(missing_ok=True)

    def __enter__(self) -> "OxigraphServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
