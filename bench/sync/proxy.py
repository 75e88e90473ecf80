"""A tiny counting reverse proxy: every tool talks to the server through it, so requests
and bytes are counted the same way for all of them.

HTTP/1.1 with keep-alive towards the client, one persistent upstream connection per client
connection; bodies are buffered whole (fine on loopback).  ``bytes_up`` is what the client
sent (request line, headers, body), ``bytes_down`` what it received.
"""

from __future__ import annotations

import http.client
import os
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer",
    "upgrade", "content-length",
}  # fmt: skip


TRACE = bool(os.environ.get("CBX_BENCH_TRACE"))  # print every request with its server time


@dataclass
class Counts:
    requests: int = 0
    bytes_up: int = 0
    bytes_down: int = 0
    server_s: float = 0.0  # summed time from forwarding a request to having the answer

    def minus(self, other: Counts) -> Counts:
        return Counts(
            self.requests - other.requests,
            self.bytes_up - other.bytes_up,
            self.bytes_down - other.bytes_down,
            self.server_s - other.server_s,
        )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    upstream: tuple[str, int]
    counts: Counts
    lock: threading.Lock
    methods: dict[str, int]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    _up: http.client.HTTPConnection | None = None

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _forward(self) -> None:
        body = self._read_body()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        if body or self.command in ("PUT", "POST", "PROPFIND", "REPORT", "PROPPATCH"):
            headers["Content-Length"] = str(len(body))
        up_bytes = len(self.requestline) + 2 + len(bytes(self.headers)) + len(body)
        started = time.perf_counter()
        for attempt in (0, 1):
            if self._up is None:
                self._up = http.client.HTTPConnection(*self.server.upstream, timeout=900)
            try:
                self._up.request(self.command, self.path, body=body, headers=headers)
                resp = self._up.getresponse()
                data = resp.read()
                server_s = time.perf_counter() - started
                break
            except (http.client.HTTPException, OSError):
                self._up.close()
                self._up = None
                if attempt:
                    raise
        self.send_response_only(resp.status, resp.reason)
        out_headers = [(k, v) for k, v in resp.getheaders() if k.lower() not in HOP_BY_HOP]
        for k, v in out_headers:
            self.send_header(k, v)
        if self.command != "HEAD" and resp.status not in (204, 304):
            self.send_header("Content-Length", str(len(data)))
        head = sum(len(k) + len(v) + 4 for k, v in out_headers) + 64
        # Counted before the client can have the answer: once its process has ended, every
        # request it made is in the counts (counted after the write, the last ones could be
        # missing from a snapshot taken right after the process ended).
        with self.server.lock:
            c = self.server.counts
            c.requests += 1
            c.bytes_up += up_bytes
            c.bytes_down += head + len(data)
            c.server_s += server_s
            self.server.methods[self.command] = self.server.methods.get(self.command, 0) + 1
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        if TRACE:
            print(f"    proxy: {time.time() - server_s:.3f}-{time.time():.3f} {self.command} "
                  f"{self.path} {resp.status} {len(data)} B {server_s:.2f} s",
                  file=sys.stderr, flush=True)  # fmt: skip

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = do_OPTIONS = _forward
    do_PROPFIND = do_PROPPATCH = do_REPORT = do_MKCOL = do_MOVE = do_COPY = _forward

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            if self._up is not None:
                self._up.close()


class CountingProxy:
    """``with CountingProxy(upstream_port) as proxy: proxy.port, proxy.snapshot()``."""

    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.upstream = (upstream_host, upstream_port)
        self._httpd.counts = Counts()
        self._httpd.lock = threading.Lock()
        self._httpd.methods = {}
        self.port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def snapshot(self) -> Counts:
        with self._httpd.lock:
            c = self._httpd.counts
            return Counts(c.requests, c.bytes_up, c.bytes_down, c.server_s)

    def methods(self) -> dict[str, int]:
        with self._httpd.lock:
            return dict(self._httpd.methods)

    def __enter__(self) -> CountingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
