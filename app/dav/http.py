"""HTTP/1.1 for the DAV layer on the standard library (`http.client`, `ssl`): one seam.

`HttpClient.send` makes one exchange and returns a `Response` whose body is read as it arrives
(`Response.iter_content`, decoded from gzip/deflate on the fly in bounded pieces, so that the
session's size cap holds for the decoded bytes too). It never follows a redirect, never
authenticates (the session sets Authorization) and never retries: that is `DavSession`'s.
What it does itself:

* Keep-alive: up to `IDLE_CONNECTIONS` idle connections per origin, taken under a lock (the
  multiget prefetch sends from a helper thread). An idle connection the server has closed
  meanwhile is noticed before it is used (its socket reads as ready: EOF) and replaced, so a
  write never goes out on a stale connection. A connection is closed after
  `Connection: close`, after any error and when its answer was not read to the end.
* Timeouts: connecting (and the TLS handshake) within `connect_timeout`, then `timeout` per
  socket operation.
* TLS: the system's trust store (`ssl.create_default_context`: SSL_CERT_FILE, the Windows
  store), name check and SNI; with a pinned certificate no CA or name check, but the SHA-256
  of the certificate presented must equal the pin on every new connection
  (`CertificateMismatch` otherwise).
* Proxies as the system names them (`urllib.request.getproxies`: the environment's
  HTTP(S)_PROXY/NO_PROXY, the Windows registry, macOS settings); loopback never. http:// goes
  through the proxy with absolute-URI requests, https:// through CONNECT; credentials in the
  proxy's URL become Proxy-Authorization (Basic).
* Compression only where it pays: `Accept-Encoding: gzip, deflate` per origin until an answer
  of at least `LINK_SAMPLE_BYTES` on the wire came in at `FAST_LINK_RATE` or more (time spent
  inside the body's socket reads only); then `identity`, until such an answer comes in slower
  (the break-even: docs/ARCHITECTURE.md, "The DAV layer"). A compressed body is decoded
  whenever its Content-Encoding says so, asked for or not.

Failures are the standard library's exceptions (OSError, ssl.SSLError, TimeoutError,
http.client.HTTPException), except that a connection lost after the request started to go out
is raised as `ProtocolError` (caused by the original), and a badly compressed body as
`DecodeError`; `app.dav.error_map` names them for the user. Why our own client and not a
library: docs/ARCHITECTURE.md ("The HTTP client").
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import logging
import select
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from app.dav.tls import is_loopback_host

IDLE_CONNECTIONS = 2
READ_CHUNK = 64 * 1024  # at most this much per socket read
DECODED_CHUNK = 1024 * 1024  # a compressed piece expands to at most this much at a time
# Whether to ask for compressed answers, per origin, by the link rate measured: a body of at
# least LINK_SAMPLE_BYTES on the wire read at FAST_LINK_RATE or more stops the asking (the
# server's gzip then costs more time than the smaller transfer saves), a slower one resumes it.
# Smaller bodies say more about latency than about the link and are not counted.
LINK_SAMPLE_BYTES = 256 * 1024
FAST_LINK_RATE = 25_000_000  # bytes/s (200 Mbit/s); break-even ~29 MB/s, see ARCHITECTURE.md
ASK_COMPRESSED = "gzip, deflate"
_URI_SAFE = "!#$%&'()*+,/:;=?@[]~"  # as requests' requote_uri: only the rest gets %-encoded

log = logging.getLogger(__name__)


class ProtocolError(ConnectionError):
    """The connection was lost (or the answer garbled) after the request started to go out."""


class DecodeError(ValueError):
    """A body that does not decompress as its Content-Encoding says."""


class CertificateMismatch(ssl.SSLError):
    """The server presented another certificate than the pinned one."""


# What a failed exchange raises; the session maps each to its typed error.
TRANSPORT_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    http.client.HTTPException,
    DecodeError,
)


@dataclass(frozen=True)
class _Route:
    """Where a connection goes: the origin, and the proxy in between (if any)."""

    scheme: str
    host: str
    port: int
    proxy_host: str = ""
    proxy_port: int = 0
    proxy_auth: str = ""  # the Proxy-Authorization value, "" without credentials


def _ready_to_read(sock: socket.socket) -> bool:
    """True if reading would not block: on an idle keep-alive connection that means the
    server closed it (EOF) or sent something unasked; either way it must not be used."""
    try:
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(sock, select.POLLIN | select.POLLERR | select.POLLHUP)
            return bool(poller.poll(0))
        readable, _w, errored = select.select([sock], [], [sock], 0)
        return bool(readable or errored)
    except (OSError, ValueError):
        return True


class _Plain(http.client.HTTPConnection):
    """An http:// connection: connect timeout for connecting, read timeout afterwards."""

    read_timeout: float = 30.0

    def connect(self) -> None:
        super().connect()
        assert self.sock is not None
        self.sock.settimeout(self.read_timeout)


class _Tls(http.client.HTTPSConnection):
    """An https:// connection; with `pinned` the certificate's SHA-256 must equal it."""

    read_timeout: float = 30.0
    pinned: str | None = None

    def connect(self) -> None:
        super().connect()
        assert isinstance(self.sock, ssl.SSLSocket)
        if self.pinned:
            der = self.sock.getpeercert(binary_form=True) or b""
            if not hmac.compare_digest(hashlib.sha256(der).hexdigest(), self.pinned):
                self.close()
                raise CertificateMismatch("certificate does not match the pinned fingerprint")
        self.sock.settimeout(self.read_timeout)


def tls_context(*, pinned: bool) -> ssl.SSLContext:
    """The context of every https:// connection of a session."""
    ctx = ssl.create_default_context()
    if pinned:
        # The pin replaces CA and name checks: exactly this certificate, whoever signed it.
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx
    paths = ssl.get_default_verify_paths()
    if not ctx.cert_store_stats().get("x509_ca") and not paths.cafile and not paths.capath:
        # Some Pythons (python.org's on macOS until "Install Certificates" ran) come with no
        # trust store at all; certifi's bundle, if it happens to be installed, is better
        # than refusing every server. Not a dependency: nothing else needs it.
        try:
            import certifi  # type: ignore[import-not-found, unused-ignore]

            ctx.load_verify_locations(certifi.where())
        except ImportError:
            pass
    return ctx


class Response:
    """One answer: status, headers (lower-case names; repeated ones joined with ", "), and
    the body, read by `iter_content` as it arrives. `close` hands a fully read connection
    back to the pool and closes any other."""

    def __init__(
        self, client: HttpClient, route: _Route, conn: http.client.HTTPConnection,
        raw: http.client.HTTPResponse,
    ) -> None:  # fmt: skip
        self._client, self._route, self._raw = client, route, raw
        self._conn: http.client.HTTPConnection | None = conn
        self.status = raw.status
        self.reason = raw.reason
        headers: dict[str, str] = {}
        for name, value in raw.getheaders():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        self.headers = headers
        # the status line and the header block as they came (approximately: folding and
        # spacing as normalized by http.client)
        self.head_bytes = (
            len(f"HTTP/1.1 {raw.status} {raw.reason}\r\n")
            + 2
            + sum(len(k) + len(v) + 4 for k, v in raw.getheaders())
        )
        self.body_bytes = 0  # as read off the socket (compressed, if it was)
        self.read_seconds = 0.0  # spent inside the body's socket reads (not the caller's)
        self._done = False

    def iter_content(self) -> Iterator[bytes]:
        """The body in pieces as they arrive, decoded (gzip, deflate); a piece of a
        compressed body expands to at most DECODED_CHUNK bytes at a time."""
        encoding = self.headers.get("content-encoding", "").strip().lower()
        decoder = _Decoder(encoding) if encoding in ("gzip", "x-gzip", "deflate") else None
        for data in self._raw_chunks():
            if decoder is None:
                yield data
            else:
                yield from decoder.feed(data)
        if decoder is not None:
            yield from decoder.flush()

    def _raw_chunks(self) -> Iterator[bytes]:
        raw = self._raw
        try:
            while True:
                if not raw.chunked and raw.length == 0:
                    raw.read()  # reads nothing; marks the answer complete
                    break
                started = time.perf_counter()
                data = raw.read1(READ_CHUNK)
                self.read_seconds += time.perf_counter() - started
                if not data:
                    if not raw.chunked and raw.length:
                        raise http.client.IncompleteRead(b"", raw.length)
                    break
                self.body_bytes += len(data)
                yield data
        except TimeoutError:
            raise
        except ssl.SSLError as exc:
            raise ProtocolError("Connection broken during the answer") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise ProtocolError("Connection broken during the answer") from exc
        self._done = raw.isclosed()
        self._client._link_sample(self._route, self.body_bytes, self.read_seconds)

    def close(self) -> None:
        """Give the connection back if the answer was read to its end, else close it."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        if self._done and conn.sock is not None:
            self._client._release(self._route, conn)
        else:
            self._raw.close()
            conn.close()


class _Decoder:
    """gzip/deflate, streamed, in bounded output pieces (a small bomb stays small until
    the caller's size cap stops reading)."""

    def __init__(self, encoding: str) -> None:
        self._deflate = encoding == "deflate"
        # gzip: header and trailer checked; deflate: zlib-wrapped, or raw as some servers send
        self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16 if not self._deflate else zlib.MAX_WBITS)
        self._first = True

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            if self._first and self._deflate and data:
                self._first = False
                probe = zlib.decompressobj()
                try:
                    probe.decompress(data[:2])
                except zlib.error:
                    self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
            while data:
                out = self._obj.decompress(data, DECODED_CHUNK)
                data = self._obj.unconsumed_tail
                if self._obj.eof and self._obj.unused_data and not self._deflate:
                    # a further gzip member
                    data = self._obj.unused_data + data
                    self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16)
                if out:
                    yield out
        except zlib.error as exc:
            raise DecodeError(f"Content-Encoding: {exc}") from exc

    def flush(self) -> Iterator[bytes]:
        try:
            tail = self._obj.flush()
        except zlib.error as exc:
            raise DecodeError(f"Content-Encoding: {exc}") from exc
        if tail:
            yield tail


class HttpClient:
    """Keep-alive HTTP/1.1 to the origins of one session (see the module docstring)."""

    def __init__(
        self, *, timeout: float, connect_timeout: float, pinned_sha256: str | None,
        user_agent: str,
    ) -> None:  # fmt: skip
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.pinned_sha256 = pinned_sha256
        self.user_agent = user_agent
        self._lock = threading.Lock()
        self._idle: dict[_Route, list[http.client.HTTPConnection]] = {}
        self._routes: dict[tuple[str, str, int], _Route] = {}
        self._context: ssl.SSLContext | None = None
        # origins whose link measured fast: asked for uncompressed answers (under the lock)
        self._fast: set[_Route] = set()
        #: Called once a request has been written, before its answer is waited for (a
        #: `sync`'s head start lets the main thread go on then: app/sync/head_start.py).
        self.on_sent: Callable[[], None] | None = None

    def close(self) -> None:
        """Close every idle connection (one in use is closed when its answer is)."""
        with self._lock:
            idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn in conns:
                conn.close()

    def send(
        self, method: str, url: str, body: bytes | None, headers: Mapping[str, str]
    ) -> Response:
        """One request; the answer's head is read, its body is the caller's to read."""
        parts = urlsplit(url)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise http.client.InvalidURL(str(exc)) from None
        host = parts.hostname or ""
        if parts.scheme not in ("http", "https") or not host:
            raise http.client.InvalidURL(url)
        route = self._route(parts.scheme, host, port)
        target = origin_form(url)
        if route.proxy_host and route.scheme == "http":
            target = f"http://{parts.netloc.rsplit('@', 1)[-1]}{target}"  # absolute-URI form
        hdrs = {"User-Agent": self.user_agent, "Accept-Encoding": self._accept_encoding(route)}
        if route.proxy_auth and route.scheme == "http":
            hdrs["Proxy-Authorization"] = route.proxy_auth
        hdrs.update(headers)
        conn = self._acquire(route)
        try:
            conn.request(method, target, body=body, headers=hdrs)
            if self.on_sent is not None:
                self.on_sent()
            raw = conn.getresponse()
        except BaseException as exc:
            conn.close()
            if isinstance(exc, ValueError):  # a header or path http.client cannot send
                raise http.client.HTTPException(f"request not sendable: {exc}") from exc
            if isinstance(exc, TimeoutError | ssl.SSLError) or not isinstance(
                exc, OSError | http.client.HTTPException
            ):
                raise
            # (connecting happened before: what fails here was a connection in use)
            raise ProtocolError("Connection aborted") from exc
        return Response(self, route, conn, raw)

    # -- compression by link rate -----------------------------------------------------

    def _accept_encoding(self, route: _Route) -> str:
        with self._lock:
            return "identity" if route in self._fast else ASK_COMPRESSED

    def _link_sample(self, route: _Route, wire_bytes: int, seconds: float) -> None:
        """An answer's body was read to its end: if it was big enough to say something
        about the link, its rate decides whether the origin's next requests ask for
        compression (a fast link: no)."""
        if wire_bytes < LINK_SAMPLE_BYTES:
            return
        fast = seconds <= 0 or wire_bytes / seconds >= FAST_LINK_RATE
        with self._lock:
            if fast == (route in self._fast):
                return
            if fast:
                self._fast.add(route)
            else:
                self._fast.discard(route)
        log.debug(
            "%s://%s:%d: %d bytes in %.3f s (%.1f MB/s): %s",
            route.scheme, route.host, route.port, wire_bytes, seconds,
            wire_bytes / seconds / 1e6 if seconds > 0 else float("inf"),
            "fast link, answers uncompressed from now on" if fast
            else "slower link, asking for compressed answers again",
        )  # fmt: skip

    # -- connections ---------------------------------------------------------------

    def _route(self, scheme: str, host: str, port: int) -> _Route:
        key = (scheme, host.lower(), port)
        route = self._routes.get(key)
        if route is None:
            route = _Route(scheme, host, port)
            proxy = _system_proxy(scheme, host)
            if proxy:
                p = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
                if p.scheme != "http" or not p.hostname:
                    raise OSError(f"unsupported proxy {p.scheme}://{p.hostname}:{p.port}")
                auth = ""
                if p.username is not None:
                    pair = f"{unquote(p.username)}:{unquote(p.password or '')}"
                    auth = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
                route = _Route(scheme, host, port, p.hostname, p.port or 80, auth)
            self._routes[key] = route
        return route

    def _acquire(self, route: _Route) -> http.client.HTTPConnection:
        """An idle connection still open, else a new one (not yet connected)."""
        while True:
            with self._lock:
                idle = self._idle.get(route)
                conn = idle.pop() if idle else None
            if conn is None:
                return self._new(route)
            if conn.sock is not None and not _ready_to_read(conn.sock):
                return conn
            conn.close()  # closed by the server while idle (or talking out of turn)

    def _release(self, route: _Route, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(route, [])
            if len(idle) < IDLE_CONNECTIONS:
                idle.append(conn)
                return
        conn.close()

    def _new(self, route: _Route) -> http.client.HTTPConnection:
        host, port = route.host, route.port
        if route.proxy_host:
            host, port = route.proxy_host, route.proxy_port
        conn: _Plain | _Tls
        if route.scheme == "https":
            if self._context is None:
                self._context = tls_context(pinned=bool(self.pinned_sha256))
            conn = _Tls(host, port, timeout=self.connect_timeout, context=self._context)
            conn.pinned = self.pinned_sha256
            if route.proxy_host:
                tunnel = {"Proxy-Authorization": route.proxy_auth} if route.proxy_auth else None
                conn.set_tunnel(route.host, route.port, headers=tunnel)
        else:
            conn = _Plain(host, port, timeout=self.connect_timeout)
        conn.read_timeout = self.timeout
        # connect now: a failure to connect is never a dropped connection
        try:
            conn.connect()
        except BaseException:
            conn.close()
            raise
        return conn


def origin_form(url: str) -> str:
    """The path and query of `url` as they go into the request line (and Digest's uri):
    what is not ASCII (a typed path with "ä") percent-encoded, %XX kept as it is."""
    parts = urlsplit(url)
    target = quote(parts.path or "/", safe=_URI_SAFE)
    if parts.query:
        target = f"{target}?{quote(parts.query, safe=_URI_SAFE)}"
    return target


def _system_proxy(scheme: str, host: str) -> str | None:
    """The proxy the system names for this scheme and host, or None (loopback: never)."""
    if is_loopback_host(host):
        return None
    import urllib.request  # only for a remote host: it costs a few ms to import

    proxy = urllib.request.getproxies().get(scheme)
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    return proxy
