"""A fault-injecting HTTP reverse proxy on loopback, in front of a real DAV server.

`FaultProxy(upstream_url)` listens on 127.0.0.1 (a free port), forwards every request to
the upstream server over plain HTTP/1.1 and answers the client with keep-alive, as a
real server would. A `schedule` decides per request (numbered from 1 in arrival order)
whether to inject one fault instead of, or after, forwarding:

=================  ========================================================  =========
fault              what the client sees                                        forwarded
=================  ========================================================  =========
reset_before       TCP RST before any answer                                  no
reset_after        TCP RST after the server carried the request out           yes
timeout            no answer for `hang_seconds`, then the connection closes   no
status_404         404 Not Found (SabreDAV 1.8's answer to a multiget with a    no
                   vanished href; not among the random `FAULTS`)
status_500         500 Internal Server Error                                   no
status_503         503 with `Retry-After: <retry_after>`                       no
status_507         507 Insufficient Storage                                    no
truncated          the server's headers, half of the body (of an empty body:  yes
                   none of the 64 bytes promised), then close
malformed_xml      the body cut in half plus garbage (Content-Length fits)    yes
wrong_type         the server's body declared as text/html                    yes
drip               the server's answer sent a few bytes at a time, slowly     yes
=================  ========================================================  =========

Schedules: `at({3: "status_503", 7: "truncated"})` or `random_faults(seed, p, types)`;
either can be restricted to some methods. Every request is logged (`proxy.log`) with its
number, method, path, arrival time and the fault injected, so tests can count retries and
measure the pause before each one.

Hooks (for timing things against a run, not for faults): `on_request(entry, body)` is
called before a request is forwarded, `on_answer(entry, status, body)` after the server
answered and before the client hears of it. A hook may block (a second client edits the
card meanwhile), kill the client, or raise `DropConnection` to close the connection
without an answer (from `on_request`: the request never reaches the server).
`on_request` may also set `entry.fault`: a fault chosen by the request's body.
"""

from __future__ import annotations

import contextlib
import http.client
import random
import socket
import struct
import threading
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

FAULTS = (
    "reset_before",
    "reset_after",
    "timeout",
    "status_500",
    "status_503",
    "status_507",
    "truncated",
    "malformed_xml",
    "wrong_type",
    "drip",
)
FORWARDED = frozenset({"reset_after", "truncated", "malformed_xml", "wrong_type", "drip"})


class DropConnection(Exception):
    """Raised by a hook: close the client's connection without an answer."""


# (request number, method, path) -> fault name or None
Schedule = Callable[[int, str, str], str | None]


def at(faults: Mapping[int, str], methods: Collection[str] | None = None) -> Schedule:
    """Inject `faults[n]` at request number n (counted over all requests, or `methods`)."""
    counter = {"n": 0}
    lock = threading.Lock()

    def schedule(n: int, method: str, path: str) -> str | None:
        if methods is not None and method not in methods:
            return None
        with lock:
            counter["n"] += 1
            k = counter["n"] if methods is not None else n
        return faults.get(k)

    return schedule


def random_faults(
    seed: int,
    probability: float,
    types: Collection[str] = FAULTS,
    methods: Collection[str] | None = None,
    limit: int | None = None,
) -> Schedule:
    """Each request independently gets a fault with `probability` (seeded, reproducible)."""
    rng = random.Random(seed)
    kinds = sorted(types)
    injected = {"n": 0}
    lock = threading.Lock()

    def schedule(n: int, method: str, path: str) -> str | None:
        if methods is not None and method not in methods:
            return None
        with lock:
            hit = rng.random() < probability
            kind = rng.choice(kinds)
            if not hit or (limit is not None and injected["n"] >= limit):
                return None
            injected["n"] += 1
            return kind

    return schedule


def no_faults(n: int, method: str, path: str) -> str | None:
    return None


@dataclass
class Logged:
    n: int
    method: str
    path: str
    at: float
    fault: str | None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # the request's, as sent


@dataclass
class FaultProxy:
    upstream_url: str
    schedule: Schedule = no_faults
    retry_after: int | None = 1  # None: a 503 without Retry-After
    hang_seconds: float = 4.0
    drip_chunk: int = 16
    drip_pause: float = 0.05
    # (method, path, status, body) -> body: edits every forwarded answer (a hostile server)
    rewrite: Callable[[str, str, int, bytes], bytes] | None = None
    # hooks, see the module docstring
    on_request: Callable[[Logged, bytes], None] | None = None
    on_answer: Callable[[Logged, int, bytes], None] | None = None
    log: list[Logged] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        up = urlsplit(self.upstream_url)
        self._up_host = up.hostname or "127.0.0.1"
        self._up_port = up.port or 80
        proxy = self

        class Handler(_Handler):
            owner = proxy

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._stop_hang = threading.Event()

    # -- life cycle ---------------------------------------------------------------------

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop_hang.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- bookkeeping --------------------------------------------------------------------

    def reset_log(self, schedule: Schedule | None = None) -> None:
        with self._lock:
            self.log.clear()
            if schedule is not None:
                self.schedule = schedule

    def _register(self, method: str, path: str) -> Logged:
        with self._lock:
            n = len(self.log) + 1
            entry = Logged(n, method, path, time.monotonic(), None)
            self.log.append(entry)
        entry.fault = self.schedule(n, method, path)
        return entry

    @property
    def injected(self) -> list[Logged]:
        return [e for e in self.log if e.fault]

    def upstream(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self._up_host, self._up_port, timeout=60)


class _Handler(BaseHTTPRequestHandler):
    owner: FaultProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _reset(self) -> None:
        """Close with SO_LINGER 0: the client gets a TCP RST, not a clean FIN."""
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.close()

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response_only(status)
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = self.owner.upstream()
        try:
            # no Accept-Encoding: the faults below work on the plain body
            hop = {
                "connection",
                "keep-alive",
                "proxy-connection",
                "transfer-encoding",
                "host",
                "accept-encoding",
            }
            headers = {k: v for k, v in self.headers.items() if k.lower() not in hop}
            headers["Host"] = f"{self.owner._up_host}:{self.owner._up_port}"
            conn.request(self.command, self.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            out = [
                (k, v)
                for k, v in resp.getheaders()
                if k.lower()
                not in ("connection", "keep-alive", "transfer-encoding", "content-length")
            ]
            return resp.status, out, data
        finally:
            conn.close()

    def _handle(self) -> None:
        body = self._body()
        entry = self.owner._register(self.command, self.path)
        entry.headers = dict(self.headers.items())
        fault = entry.fault
        try:
            if self.owner.on_request is not None:
                self.owner.on_request(entry, body)
        except DropConnection:
            self._reset()
            return
        fault = entry.fault  # the hook may have chosen one by the request's body
        if fault == "reset_before":
            self._reset()
            return
        if fault == "timeout":
            self.owner._stop_hang.wait(self.owner.hang_seconds)
            self._reset()
            return
        if fault in ("status_404", "status_500", "status_503", "status_507"):
            status = int(fault[-3:])
            headers = [("Content-Type", "text/plain"), ("Content-Length", "7")]
            if status == 503 and self.owner.retry_after is not None:
                headers.append(("Retry-After", str(self.owner.retry_after)))
            entry.status = status
            self._send(status, headers, b"kaputt\n")
            return
        status, headers, data = self._forward(body)
        entry.status = status
        try:
            if self.owner.on_answer is not None:
                self.owner.on_answer(entry, status, data)
        except DropConnection:
            self._reset()
            return
        if self.owner.rewrite is not None:
            data = self.owner.rewrite(self.command, self.path, status, data)
        if fault == "reset_after":
            self._reset()
            return
        bodiless = status in (204, 304) or self.command == "HEAD"
        if fault == "malformed_xml" and not bodiless:
            data = data[: len(data) // 2] + b"<<&&>>\x00</kaputt"
        if fault == "wrong_type":
            headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
            headers.append(("Content-Type", "text/html; charset=utf-8"))
        if fault == "truncated" and not bodiless:
            # an empty answer (a PUT's 201) is "truncated" by promising 64 bytes
            headers.append(("Content-Length", str(len(data) or 64)))
            self._send(status, headers, data[: len(data) // 2])
            self._reset()
            return
        if not bodiless:
            headers.append(("Content-Length", str(len(data))))
        if fault == "drip":
            self.send_response_only(status)
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.flush()
            chunk, pause = self.owner.drip_chunk, self.owner.drip_pause
            try:
                for i in range(0, len(data), chunk):
                    if self.owner._stop_hang.wait(pause):
                        break
                    self.wfile.write(data[i : i + chunk])
                    self.wfile.flush()
            except OSError:
                self.close_connection = True
            return
        try:
            self._send(status, headers, data)
        except OSError:
            self.close_connection = True

    do_GET = do_HEAD = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = _handle
    do_OPTIONS = do_PROPPATCH = do_MKCOL = do_POST = do_MOVE = do_COPY = _handle
