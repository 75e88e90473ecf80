"""app/dav/http.py asks for compressed answers only while the link measures slow: a big answer
(≥ LINK_SAMPLE_BYTES on the wire) read at FAST_LINK_RATE or more stops the asking for its
origin, a slower one resumes it; small answers change nothing; a compressed body is decoded
whether asked for or not. Against a small `http.server` origin that can write its body in
paced pieces (a slow link), and against a real Radicale, which gzips only when asked.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

import pytest

from app.dav import xml
from app.dav.http import FAST_LINK_RATE, LINK_SAMPLE_BYTES, HttpClient
from app.dav.session import DavSession
from tests.servers.dav_servers import DavServer
from tests.servers.local_http import serving

pytestmark = pytest.mark.servers

VCARD = {"Content-Type": "text/vcard; charset=utf-8"}
# base64 of random bytes: gzip barely shrinks it, so a compressed answer stays big on the wire
BIG = base64.b64encode(os.urandom(LINK_SAMPLE_BYTES * 3)) + b"\r\n"  # ~1 MB
SLOW = BIG[: LINK_SAMPLE_BYTES + 40_000]  # ~300 KB
SMALL = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:s\r\nFN:S\r\nEND:VCARD\r\n"
PIECE = 16 * 1024  # a slow answer: this much every PAUSE seconds (~4 MB/s, ~80 ms in all)
PAUSE = 0.004


@dataclass
class Origin:
    url: str = ""
    asked: list[str] = field(default_factory=list)  # Accept-Encoding of each request, in order


@contextlib.contextmanager
def _origin() -> Iterator[Origin]:
    """/big: ~1 MB at once; /slow: ~300 KB in paced pieces; /small: a card; /unasked: BIG
    gzipped whatever the request asked for. None is compressed otherwise."""
    origin = Origin()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            origin.asked.append(self.headers.get("Accept-Encoding", ""))
            headers = dict(VCARD)
            payload = {"/big": BIG, "/slow": SLOW, "/small": SMALL}.get(self.path, BIG)
            if self.path == "/unasked":
                payload = gzip.compress(BIG, compresslevel=1)
                headers["Content-Encoding"] = "gzip"
            self.send_response(200)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.path != "/slow":
                self.wfile.write(payload)
                return
            for start in range(0, len(payload), PIECE):
                self.wfile.write(payload[start : start + PIECE])
                self.wfile.flush()
                time.sleep(PAUSE)

    with serving(Handler) as origin.url:
        yield origin


def _asks_gzip(value: str) -> bool:
    return "gzip" in value.lower()


def _get(s: DavSession, path: str, expected: bytes) -> None:
    assert s.request("GET", path).content == expected, path


def test_a_fast_link_stops_the_asking_after_one_big_answer_small_ones_change_nothing() -> None:
    with _origin() as origin, DavSession(origin.url, "u", "p") as s:
        _get(s, "/small", SMALL)
        _get(s, "/small", SMALL)
        _get(s, "/big", BIG)  # read at loopback speed: far above FAST_LINK_RATE
        _get(s, "/small", SMALL)
        _get(s, "/big", BIG)
        assert [_asks_gzip(a) for a in origin.asked] == [True, True, True, False, False]
        assert origin.asked[3].strip().lower() == "identity"


def test_a_slow_link_keeps_asking_and_a_slow_uncompressed_answer_asks_again() -> None:
    assert len(SLOW) / (PAUSE * (len(SLOW) // PIECE)) < FAST_LINK_RATE / 5  # paced well below
    with _origin() as origin, DavSession(origin.url, "u", "p") as s:
        _get(s, "/slow", SLOW)
        _get(s, "/slow", SLOW)
        _get(s, "/small", SMALL)
        assert [_asks_gzip(a) for a in origin.asked] == [True, True, True]
        # the link gets fast: uncompressed from then on, until an answer comes in slowly
        _get(s, "/big", BIG)
        _get(s, "/slow", SLOW)  # uncompressed (not asked for), and slow
        _get(s, "/small", SMALL)
        assert [_asks_gzip(a) for a in origin.asked[3:]] == [True, False, True]


def test_only_the_socket_reads_are_timed_not_the_callers_work_between_them() -> None:
    """A caller that takes 5 ms per piece (parsing, storing) does not make the link slow:
    ~16 pieces of 64 KB would read as ~12 MB/s if its time counted."""
    with _origin() as origin:
        client = HttpClient(timeout=10, connect_timeout=5, pinned_sha256=None, user_agent="t")
        try:
            for _ in range(2):
                resp = client.send("GET", origin.url + "big", None, {})
                pieces = []
                for piece in resp.iter_content():
                    pieces.append(piece)
                    time.sleep(0.005)
                resp.close()
                assert b"".join(pieces) == BIG
                assert resp.body_bytes == len(BIG) and resp.read_seconds > 0
        finally:
            client.close()
        assert [_asks_gzip(a) for a in origin.asked] == [True, False]


def test_a_gzip_body_sent_unasked_is_still_decoded() -> None:
    with _origin() as origin, DavSession(origin.url, "u", "p") as s:
        _get(s, "/big", BIG)
        before = s.bytes_received
        _get(s, "/unasked", BIG)  # asked for identity, got gzip: decoded all the same
        assert s.bytes_received - before < len(BIG) + 1000  # counted as it came (compressed)
        _get(s, "/unasked", BIG)
        assert [_asks_gzip(a) for a in origin.asked] == [True, False, False]


# -- a real Radicale on loopback ----------------------------------------------------------------


def _card(index: int) -> str:
    note = base64.b64encode(os.urandom(3000)).decode("ascii")  # 4 KB that gzip cannot shrink
    folded = "\r\n ".join(note[i : i + 70] for i in range(0, len(note), 70))
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:gz-{index}\r\nFN:Gzip {index}\r\n"
        f"N:{index};Gzip;;;\r\nNOTE:{folded}\r\nEND:VCARD\r\n"
    )


def test_radicale_answers_uncompressed_after_the_first_big_answer_on_loopback(
    radicale_server: DavServer,
) -> None:
    book = radicale_server.make_book()
    radicale_server.put_cards(book, {f"gz-{i}.vcf": _card(i) for i in range(100)})
    path = urlsplit(book).path
    hrefs = sorted(radicale_server.list_etags(book))
    body = xml.multiget_body(hrefs)
    with DavSession(radicale_server.root_url, radicale_server.user, radicale_server.password) as s:
        answers = []
        for _ in range(2):
            before = s.bytes_received
            resp = s.request("REPORT", path, body=body, depth="1")
            answers.append((resp.header("content-encoding"), s.bytes_received - before, resp))
        (first_enc, first_wire, first), (second_enc, second_wire, second) = answers
        assert first_enc == "gzip" and first_wire >= LINK_SAMPLE_BYTES  # asked, and big
        assert not second_enc  # not asked any more: Radicale sends it as it is
        assert second_wire > first_wire
        assert second.content == first.content
        assert first.content.count(b"BEGIN:VCARD") == 100
