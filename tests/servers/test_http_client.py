"""app/dav/http.py, the DAV layer's own HTTP/1.1 client, where the suites of whole syncs do
not look: keep-alive connections the server closed while idle, Digest sent from the first
request on (SabreDAV 1.8 in Digest mode), gzip/deflate answers and a decompression bomb, and
proxies (a small forward/CONNECT proxy of the standard library in front of a real Radicale,
plain and TLS; loopback and NO_PROXY bypass it).
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import select
import socket
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from app.dav import xml
from app.dav.discovery import discover_books
from app.dav.errors import AuthError, HostUnreachable, ServerError, TlsError
from app.dav.http import _system_proxy
from app.dav.session import DavSession
from tests.servers.dav_servers import (
    DavServer,
    make_self_signed,
    start_radicale_tls,
    start_sabredav,
)
from tests.servers.local_http import serving

pytestmark = pytest.mark.servers

MULTISTATUS = (
    b'<?xml version="1.0" encoding="utf-8"?><d:multistatus xmlns:d="DAV:"><d:response>'
    b"<d:href>/book/</d:href><d:propstat><d:prop><d:displayname>B</d:displayname></d:prop>"
    b"<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>"
)
XML = {"Content-Type": "application/xml; charset=utf-8"}
CARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:h1\r\nFN:Hanna\r\nN:;Hanna;;;\r\nEND:VCARD\r\n"


# -- a small origin server whose idle connections time out -------------------------------------


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    client_port: int


@dataclass
class Origin:
    url: str
    seen: list[Seen] = field(default_factory=list)


Reply = tuple[int, dict[str, str], bytes]


@contextlib.contextmanager
def _origin(handler: Callable[[Seen], Reply], *, idle_timeout: float = 30.0) -> Iterator[Origin]:
    origin = Origin(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = idle_timeout  # an idle keep-alive connection is closed after this

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            seen = Seen(
                self.command,
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                self.client_address[1],
            )
            origin.seen.append(seen)
            status, headers, payload = handler(seen)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_PUT = do_PROPFIND = _any

    with serving(Handler) as origin.url:
        yield origin


# -- keep-alive ---------------------------------------------------------------------------------


def test_a_put_after_the_server_closed_the_idle_connection_goes_out_on_a_new_one() -> None:
    """The server drops idle connections after 0.3 s; a PUT afterwards must not be sent on
    the dead one (it would fail, and a write is never repeated), but on a fresh one: once."""

    def handler(seen: Seen) -> Reply:
        if seen.method == "PUT":
            return 201, {"ETag": '"1"'}, b""
        return 207, XML, MULTISTATUS

    with _origin(handler, idle_timeout=0.3) as origin, DavSession(origin.url, "u", "p") as s:
        s.request("PROPFIND", "/book/", depth="0")
        s.request("PROPFIND", "/book/", depth="0")
        assert len({x.client_port for x in origin.seen}) == 1  # kept alive meanwhile
        time.sleep(1.0)  # the server has closed it by now
        resp = s.request(
            "PUT", "/book/h1.vcf", body=CARD, headers={"If-None-Match": "*"}, accept=(201,)
        )
        assert resp.status == 201
        puts = [x for x in origin.seen if x.method == "PUT"]
        assert len(puts) == 1
        assert puts[0].client_port != origin.seen[0].client_port
        assert s.requests_made == 3


def test_a_connection_whose_answer_was_not_read_to_the_end_is_not_reused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An answer refused as too large leaves bytes on its connection: it is closed, and the
    next request gets an answer of its own."""
    from app.dav import session as session_mod

    monkeypatch.setattr(session_mod, "MAX_RESPONSE_BYTES", 2000)

    def handler(seen: Seen) -> Reply:
        if seen.path == "/big/":  # refused by its Content-Length, before its body is read
            return 207, XML, MULTISTATUS + b" " * 5000
        return 207, XML, MULTISTATUS

    with _origin(handler) as origin, DavSession(origin.url, "u", "p") as s:
        with pytest.raises(ServerError) as info:
            s.request("PROPFIND", "/big/", depth="0")
        assert "zu groß" in info.value.message
        assert s.request("PROPFIND", "/book/", depth="0").content == MULTISTATUS
        assert len({x.client_port for x in origin.seen}) == 2


# -- content encoding ---------------------------------------------------------------------------


def test_gzip_and_deflate_answers_are_decoded_and_counted_compressed() -> None:
    body = MULTISTATUS.replace(b"<d:displayname>B", b"<d:displayname>" + b"B" * 20000)
    encodings = {
        "/gzip/": ("gzip", gzip.compress(body)),
        "/deflate/": ("deflate", zlib.compress(body)),
        "/raw-deflate/": ("deflate", zlib.compress(body, wbits=-15)),
    }

    def handler(seen: Seen) -> Reply:
        name, data = encodings[seen.path]
        return 207, {**XML, "Content-Encoding": name}, data

    with _origin(handler) as origin, DavSession(origin.url, "u", "p") as s:
        for path, (_name, data) in encodings.items():
            before = s.bytes_received
            resp = s.request("PROPFIND", path, depth="0")
            assert resp.content == body, path
            assert len(data) <= s.bytes_received - before < len(data) + 400, path
        assert all("gzip" in x.headers["accept-encoding"] for x in origin.seen)


def test_a_gzip_bomb_is_refused_as_too_large_and_broken_gzip_as_unreadable() -> None:
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # 64 MB -> ~64 KB
    assert len(bomb) < 200_000

    def handler(seen: Seen) -> Reply:
        if seen.path == "/broken.vcf":
            return 200, {"Content-Encoding": "gzip", "Content-Type": "text/vcard"}, b"kaputt!"
        return 200, {"Content-Encoding": "gzip", "Content-Type": "text/vcard"}, bomb

    with _origin(handler) as origin, DavSession(origin.url, "u", "p") as s:
        with pytest.raises(ServerError) as info:
            s.request("GET", "/bomb.vcf")  # 10 MB cap of a single GET
        assert "zu groß" in info.value.message
        with pytest.raises(ServerError) as broken:
            s.request("GET", "/broken.vcf")
        assert "fehlerhaft komprimiert" in broken.value.message
        # a broken body is worth one more read (as a dropped connection), not more
        assert [x.path for x in origin.seen].count("/broken.vcf") == 1 + 2


# -- Digest on a real server ---------------------------------------------------------------------


def test_digest_is_sent_from_the_first_request_on_after_one_challenge(tmp_path: Path) -> None:
    """SabreDAV 1.8 speaking only Digest: the first request costs the challenge, every
    later one goes out with Authorization at once (N requests, not 2N)."""
    with start_sabredav(tmp_path / "sabre", digest=True) as server:
        assert server.digest
        with DavSession(server.root_url, server.user, server.password) as s:
            books = discover_books(s)
            assert s.auth_scheme == "digest" and books
            book = books[0].href
            before = s.requests_made
            for _ in range(5):
                s.request("PROPFIND", book, body=xml.books_propfind(), depth="0")
            resp = s.request(
                "PUT",
                book + "h1.vcf",
                body=CARD,
                headers={"If-None-Match": "*", "Content-Type": "text/vcard; charset=utf-8"},
                accept=(201, 204),
            )
            assert resp.status in (201, 204)
            assert s.request("GET", book + "h1.vcf").content.replace(b"\r\n", b"\n") == (
                CARD.replace(b"\r\n", b"\n")
            )
            assert s.requests_made - before == 7
        with DavSession(server.root_url, server.user, "falsch") as wrong:
            with pytest.raises(AuthError):
                wrong.request("PROPFIND", book, depth="0")
            assert wrong.requests_made == 2  # Basic refused, Digest refused: no more


# -- proxies ----------------------------------------------------------------------------------


@dataclass
class Proxy:
    """A forward proxy (absolute-URI requests, CONNECT) that resolves `names` itself."""

    port: int
    names: dict[str, str]
    log: list[tuple[str, str, str]] = field(default_factory=list)  # method, target, auth

    @property
    def url(self) -> str:
        return f"http://pu:p%40ss@127.0.0.1:{self.port}"


@contextlib.contextmanager
def _proxy(names: dict[str, str]) -> Iterator[Proxy]:
    proxy = Proxy(port=0, names=names)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _where(self, host: str) -> str:
            return proxy.names.get(host, "0.0.0.0")  # unknown: nowhere

        def do_CONNECT(self) -> None:
            proxy.log.append(("CONNECT", self.path, self.headers.get("Proxy-Authorization", "")))
            host, _, port = self.path.rpartition(":")
            upstream = socket.create_connection((self._where(host), int(port)), timeout=10)
            self.send_response(200, "Connection established")
            self.end_headers()
            self.wfile.flush()
            sockets = [self.connection, upstream]
            with upstream:
                while True:
                    readable, _w, _x = select.select(sockets, [], [], 10)
                    if not readable:
                        break
                    for sock in readable:
                        data = sock.recv(65536)
                        if not data:
                            self.close_connection = True
                            return
                        (upstream if sock is self.connection else self.connection).sendall(data)

        def _forward(self) -> None:
            target = urlsplit(self.path)
            proxy.log.append((self.command, self.path, self.headers.get("Proxy-Authorization", "")))
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {
                k: v
                for k, v in self.headers.items()
                if k.lower() not in ("proxy-authorization", "connection", "proxy-connection")
            }
            upstream = http.client.HTTPConnection(
                self._where(target.hostname or ""), target.port or 80, timeout=10
            )
            path = target.path + (f"?{target.query}" if target.query else "")
            upstream.request(self.command, path, body=body, headers=headers)
            answer = upstream.getresponse()
            payload = answer.read()
            upstream.close()
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_PUT = do_PROPFIND = do_REPORT = do_DELETE = do_OPTIONS = _forward

    with serving(Handler) as url:
        proxy.port = int(url.rstrip("/").rsplit(":", 1)[1])
        yield proxy


def _clear_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "no_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def _expect_proxy_auth(entry: tuple[str, str, str]) -> None:
    import base64

    assert entry[2] == "Basic " + base64.b64encode(b"pu:p@ss").decode()


def test_http_goes_through_the_proxy_the_environment_names(
    monkeypatch: pytest.MonkeyPatch, radicale_server: DavServer
) -> None:
    """http://dav.test (a name only the proxy knows) reaches Radicale through it, with
    absolute-URI requests and the proxy's credentials; 127.0.0.1 never goes through it."""
    port = urlsplit(radicale_server.root_url).port
    _clear_proxy_env(monkeypatch)
    with _proxy({"dav.test": "127.0.0.1"}) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        base = f"http://dav.test:{port}/"
        with DavSession(base, radicale_server.user, radicale_server.password) as s:
            books = discover_books(s)
            assert books is not None
            s.request("PROPFIND", f"/{quote(radicale_server.user)}/", depth="0")
        assert proxy.log and all(
            t.startswith(f"http://dav.test:{port}/") for _m, t, _a in proxy.log
        )
        _expect_proxy_auth(proxy.log[0])
        seen = len(proxy.log)
        with DavSession(
            radicale_server.root_url, radicale_server.user, radicale_server.password
        ) as direct:
            direct.request("PROPFIND", f"/{quote(radicale_server.user)}/", depth="0")
        assert len(proxy.log) == seen  # loopback: never through a proxy


def test_https_goes_through_connect_with_the_origins_name_checked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """https://dav.test through CONNECT: TLS end to end with dav.test's certificate (trusted
    through SSL_CERT_FILE, name checked against dav.test, not the proxy); another name on
    the same certificate is refused as untrusted."""
    cert = make_self_signed(tmp_path, "dav", hosts=("dav.test",))
    _clear_proxy_env(monkeypatch)
    with (
        start_radicale_tls(tmp_path / "srv", cert) as server,
        _proxy({"dav.test": "127.0.0.1", "other.test": "127.0.0.1"}) as proxy,
    ):
        port = urlsplit(server.root_url).port
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        monkeypatch.setenv("SSL_CERT_FILE", str(cert.cert_path))
        with DavSession(f"https://dav.test:{port}/", server.user, server.password) as s:
            resp = s.request("PROPFIND", f"/{quote(server.user)}/", depth="0")
            assert resp.status == 207
            s.request("PROPFIND", f"/{quote(server.user)}/", depth="0")
        connects = [e for e in proxy.log if e[0] == "CONNECT"]
        assert connects and {e[1] for e in connects} == {f"dav.test:{port}"}
        assert len(connects) == 2  # Radicale answers in HTTP/1.0: one tunnel per request
        _expect_proxy_auth(connects[0])
        other = DavSession(f"https://other.test:{port}/", server.user, server.password)
        with other, pytest.raises(TlsError):
            other.request("PROPFIND", f"/{quote(server.user)}/", depth="0")


def test_no_proxy_and_loopback_bypass_the_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear_proxy_env(monkeypatch)
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert _system_proxy("https", "dav.example.org") == "http://proxy.example:3128"
    assert _system_proxy("http", "dav.example.org") == "http://proxy.example:3128"
    for loopback in ("127.0.0.1", "localhost", "::1", "dav.localhost"):
        assert _system_proxy("https", loopback) is None
    monkeypatch.setenv("NO_PROXY", "example.org,intern.firma.de")
    assert _system_proxy("https", "dav.example.org") is None
    assert _system_proxy("https", "intern.firma.de") is None
    assert _system_proxy("https", "dav.example.com") == "http://proxy.example:3128"


def test_a_proxy_that_cannot_be_reached_is_reported_as_unreachable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _clear_proxy_env(monkeypatch)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    with DavSession("http://dav.test/", "u", "p", timeout=5) as s, pytest.raises(HostUnreachable):
        s.request("PROPFIND", "/", depth="0")
