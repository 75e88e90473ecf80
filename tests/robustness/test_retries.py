"""Retries are bounded, honour Retry-After, and never repeat a write that may have happened.

Requests are counted and timed at the fault proxy, in front of a real Radicale.

Policy (app/dav/session.py): reads (GET, HEAD, OPTIONS, PROPFIND, REPORT) are repeated
after a dropped connection or a 503/429, at most MAX_RETRIES times and at most
MAX_RETRY_WAIT seconds of waiting in all, waiting as long as Retry-After says. PUT and
DELETE are repeated only after a 503/429 *with* Retry-After (the server says it did not
carry the request out) and only with an If-Match / If-None-Match precondition (so even a
repeat of a write that did happen cannot overwrite anything: it gets 412). After a dropped
connection a write is never repeated: it may have been carried out.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from app.dav import xml
from app.dav.errors import HostUnreachable, ServerError
from app.dav.session import MAX_RETRIES, MAX_RETRY_WAIT, DavSession
from tests.robustness.faultproxy import FaultProxy, Schedule, at
from tests.servers.dav_servers import DavServer

CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\nEND:VCARD\r\n"


def always(fault: str, methods: tuple[str, ...] = ()) -> Schedule:
    return lambda n, method, path: fault if not methods or method in methods else None


@pytest.fixture
def book(radicale_server: DavServer) -> str:
    url = radicale_server.make_book()
    radicale_server.put_card(url, "a.vcf", CARD.format(uid="a", fn="Anna"))
    return urlsplit(url).path


@pytest.fixture
def proxy(radicale_server: DavServer) -> Iterator[FaultProxy]:
    with FaultProxy(radicale_server.root_url, retry_after=1, hang_seconds=3.0) as p:
        yield p


@pytest.fixture
def session(proxy: FaultProxy, radicale_server: DavServer) -> Iterator[DavSession]:
    with DavSession(proxy.url, radicale_server.user, radicale_server.password, timeout=1.5) as s:
        yield s


def _propfind(s: DavSession, book: str) -> int:
    return s.request("PROPFIND", book, body=xml.etag_propfind(), depth="1").status


def _gaps(proxy: FaultProxy) -> list[float]:
    return [b.at - a.at for a, b in zip(proxy.log, proxy.log[1:], strict=False)]


def test_503_is_retried_after_retry_after_then_succeeds(
    proxy: FaultProxy, session: DavSession, book: str
) -> None:
    proxy.reset_log(at({1: "status_503"}))
    assert _propfind(session, book) == 207
    assert len(proxy.log) == 2
    assert _gaps(proxy)[0] >= 0.95  # Retry-After: 1


def test_persistent_503_gives_up_after_bounded_retries(
    proxy: FaultProxy, session: DavSession, book: str
) -> None:
    proxy.reset_log(always("status_503"))
    start = time.monotonic()
    with pytest.raises(ServerError) as info:
        _propfind(session, book)
    assert len(proxy.log) == 1 + MAX_RETRIES
    assert all(g >= 0.95 for g in _gaps(proxy))
    assert time.monotonic() - start <= MAX_RETRY_WAIT + 2
    assert info.value.status == 503
    assert "vorübergehend überlastet" in info.value.message


def test_retry_after_beyond_the_budget_is_not_waited_for(
    proxy: FaultProxy, session: DavSession, book: str
) -> None:
    proxy.retry_after = 3600
    proxy.reset_log(always("status_503"))
    start = time.monotonic()
    with pytest.raises(ServerError):
        _propfind(session, book)
    assert len(proxy.log) == 1
    assert time.monotonic() - start < 1.0


@pytest.mark.parametrize("fault", ["reset_before", "reset_after", "truncated"])
def test_dropped_reads_are_retried_a_bounded_number_of_times(
    proxy: FaultProxy, session: DavSession, book: str, fault: str
) -> None:
    proxy.reset_log(at({1: fault}))
    assert _propfind(session, book) == 207
    assert len(proxy.log) == 2
    proxy.reset_log(always(fault))
    with pytest.raises(HostUnreachable) as info:
        _propfind(session, book)
    assert len(proxy.log) == 1 + MAX_RETRIES
    assert "Verbindung" in info.value.message and "Traceback" not in str(info.value)


def test_a_hanging_read_is_not_retried(proxy: FaultProxy, session: DavSession, book: str) -> None:
    proxy.reset_log(always("timeout"))
    start = time.monotonic()
    with pytest.raises(HostUnreachable) as info:
        session.request("GET", book + "a.vcf")
    assert len(proxy.log) == 1
    assert time.monotonic() - start < 3.0
    assert "Zeitüberschreitung" in info.value.message


def test_conditional_put_is_repeated_after_503_with_retry_after(
    proxy: FaultProxy, session: DavSession, book: str, radicale_server: DavServer
) -> None:
    proxy.reset_log(at({1: "status_503"}))
    resp = session.request(
        "PUT", book + "b.vcf", body=CARD.format(uid="b", fn="Bert").encode(),
        headers={"If-None-Match": "*", "Content-Type": "text/vcard"},
    )  # fmt: skip
    assert resp.status == 201
    assert [e.method for e in proxy.log] == ["PUT", "PUT"]
    assert _gaps(proxy)[0] >= 0.95


def test_unconditional_put_is_never_repeated(
    proxy: FaultProxy, session: DavSession, book: str
) -> None:
    proxy.reset_log(at({1: "status_503"}))
    with pytest.raises(ServerError):
        session.request(
            "PUT", book + "c.vcf", body=CARD.format(uid="c", fn="Cem").encode(),
            headers={"Content-Type": "text/vcard"},
        )  # fmt: skip
    assert len(proxy.log) == 1


def test_write_after_a_dropped_connection_is_never_repeated(
    proxy: FaultProxy, session: DavSession, book: str, radicale_server: DavServer
) -> None:
    """The server carried the PUT out, the answer was lost: a repeat would have met a 412
    (and the engine would have taken the card for a stranger's): no repeat, a clear error."""
    proxy.reset_log(always("reset_after", ("PUT",)))
    with pytest.raises(HostUnreachable) as info:
        session.request(
            "PUT", book + "d.vcf", body=CARD.format(uid="d", fn="Dora").encode(),
            headers={"If-None-Match": "*", "Content-Type": "text/vcard"},
        )  # fmt: skip
    assert len(proxy.log) == 1
    assert "Verbindung" in info.value.message
    text, _ = radicale_server.get_card(radicale_server.url(book + "d.vcf"))
    assert "UID:d" in text  # it did happen


def test_delete_503_without_retry_after_is_not_repeated(
    proxy: FaultProxy, session: DavSession, book: str, radicale_server: DavServer
) -> None:
    _, etag = radicale_server.get_card(radicale_server.url(book + "a.vcf"))
    proxy.retry_after = None
    proxy.reset_log(always("status_503"))
    with pytest.raises(ServerError):
        session.request("DELETE", book + "a.vcf", headers={"If-Match": etag})
    assert len(proxy.log) == 1
    proxy.reset_log(always("status_500"))
    with pytest.raises(ServerError):
        session.request("DELETE", book + "a.vcf", headers={"If-Match": etag})
    assert len(proxy.log) == 1
