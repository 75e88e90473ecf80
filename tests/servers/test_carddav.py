"""The CardDAV client against real servers (Radicale, Xandikos, SabreDAV 1.8) and fakes.

Real servers come from the ``dav_server`` / ``dav_book`` fixtures (tests/servers/conftest.py).
Behaviour no real server here shows on demand - TLS failures and pinning, Digest-only auth,
503 with Retry-After, 507 sync paging, redirects - is exercised with tiny loopback servers.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import hashlib
import ipaddress
import os
import re
import secrets
import socket
import ssl
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app.dav import xml
from app.dav.carddav import CardDavClient
from app.dav.discovery import book_state, build_base_url, check_connection, discover_books
from app.dav.errors import (
    AuthError,
    CardRejected,
    CrossHostRedirect,
    DavError,
    HostUnreachable,
    NotCardDav,
    NotFound,
    PreconditionFailed,
    ServerError,
    SyncTokenInvalid,
    SyncUnsupported,
    TlsError,
)
from app.dav.session import DavSession, format_fingerprint
from tests.servers.dav_servers import DavServer, free_port

# -- helpers ------------------------------------------------------------------------------


def _session(server: DavServer, url: str | None = None, password: str | None = None) -> DavSession:
    return DavSession(url or server.root_url, server.user, password or server.password)


def _client(server: DavServer) -> CardDavClient:
    return CardDavClient(_session(server))


def _path(url: str) -> str:
    """Canonical absolute path of a URL, the form the client reports hrefs in."""
    return xml.canonical_path(urlsplit(url).path)


def _vcard(uid: str, name: str = "Erika Mustermann", extra: str = "") -> str:
    given, _, family = name.partition(" ")
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"UID:{uid}\r\nFN:{name}\r\nN:{family};{given};;;\r\n"
        f"{extra}END:VCARD\r\n"
    )


def _lines(text: str) -> list[str]:
    """vCard content lines, unfolded, without line-ending differences."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text.replace("\r\n", "\n"))
    return [line for line in unfolded.split("\n") if line]


# -- discovery ----------------------------------------------------------------------------


def test_discovery_from_bare_host_finds_book_with_display_name(dav_server: DavServer) -> None:
    name = f"Büro Kontakte {uuid.uuid4().hex[:6]}"
    book_url = dav_server.make_book(display_name=name)
    with _session(dav_server) as session:
        books = discover_books(session)
    by_href = {b.href: b for b in books}
    assert _path(book_url) in by_href, books
    book = by_href[_path(book_url)]
    assert book.display_name == name
    assert book.href.endswith("/")
    assert book.supports_sync_collection is dav_server.supports_sync_collection


def test_check_connection_from_server_field(dav_server: DavServer) -> None:
    dav_server.make_book(display_name="Prüfung")
    port = urlsplit(dav_server.root_url).port
    result = check_connection(
        "http://127.0.0.1", port, "", "other", dav_server.user, dav_server.password
    )
    assert result.ok, result.message
    assert result.error is None
    assert result.base_url == f"http://127.0.0.1:{port}/"
    n = len(result.books)
    assert n >= 1
    expected = "1 Adressbuch gefunden." if n == 1 else f"{n} Adressbücher gefunden."
    assert result.message == f"Verbindung erfolgreich: {expected}"


def test_discovery_with_the_book_url_itself(dav_server: DavServer) -> None:
    book_url = dav_server.make_book(display_name="Nur dieses")
    with _session(dav_server, book_url) as session:
        books = discover_books(session)
        assert [b.href for b in books] == [_path(book_url)]
        assert books[0].display_name == "Nur dieses"
        state = book_state(session, book_url)
    assert state.href == _path(book_url)
    if dav_server.supports_sync_collection:
        assert state.sync_token
    with _session(dav_server) as session:
        hinted = discover_books(session, path_hint=_path(book_url))
    assert [b.href for b in hinted] == [_path(book_url)]


def test_discovery_with_the_home_url(dav_server: DavServer) -> None:
    book_url = dav_server.make_book(display_name="Im Home")
    with _session(dav_server, dav_server.home_url) as session:
        books = discover_books(session)
    assert _path(book_url) in {b.href for b in books}


def test_wrong_password_is_auth_error_without_leaking_it(dav_server: DavServer) -> None:
    secret = "falsch-" + secrets.token_hex(4)
    session = _session(dav_server, password=secret)
    with pytest.raises(AuthError) as info:
        discover_books(session)
    err = info.value
    for text in (str(err), err.message, err.detail, repr(err), repr(session)):
        assert secret not in text
        assert "Authorization" not in text
    assert info.value.__cause__ is None
    port = urlsplit(dav_server.root_url).port
    result = check_connection("http://127.0.0.1", port, "", None, dav_server.user, secret)
    assert not result.ok
    assert isinstance(result.error, AuthError)
    assert "Passwort" in result.message
    assert secret not in repr(result)


@pytest.mark.servers
def test_unreachable_port_is_host_unreachable() -> None:
    port = free_port()
    with pytest.raises(HostUnreachable) as info:
        discover_books(DavSession(f"http://127.0.0.1:{port}/", "u", "p"))
    assert str(port) in info.value.message
    result = check_connection("http://127.0.0.1", port, "", None, "u", "p")
    assert not result.ok and isinstance(result.error, HostUnreachable)
    assert result.fingerprint is None


@pytest.mark.servers
def test_unknown_host_is_host_unreachable() -> None:
    with pytest.raises(HostUnreachable) as info:
        DavSession("http://no-such-host.invalid/", "u", "p", timeout=5).request(
            "PROPFIND", "/", depth="0"
        )
    assert "no-such-host.invalid" in info.value.message


# -- writing ------------------------------------------------------------------------------


def test_create_update_delete_with_etags(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    client = _client(server)
    created = client.create(book_url, _vcard("cud-1"), name="cud-1")
    assert created.href == _path(book_url) + "cud-1.vcf"
    card = client.get(created.href)
    assert card is not None and "UID:cud-1" in card.text
    etag1 = created.etag or card.etag
    assert etag1 == card.etag  # kept verbatim, quotes included
    assert etag1.startswith(('"', 'W/"'))

    updated = client.update(created.href, _vcard("cud-1", "Erika Musterfrau"), etag1)
    etag2 = updated.etag or client.get(created.href).etag  # type: ignore[union-attr]
    assert etag2 != etag1
    assert "Musterfrau" in client.get(created.href).text  # type: ignore[union-attr]

    with pytest.raises(PreconditionFailed):
        client.update(created.href, _vcard("cud-1", "Veraltet Stand"), etag1)
    with pytest.raises(PreconditionFailed):
        client.delete(created.href, etag1)
    with pytest.raises(PreconditionFailed) as info:
        client.create(book_url, _vcard("cud-1b"), name="cud-1")
    assert "existiert bereits" in info.value.message
    assert "Musterfrau" in client.get(created.href).text  # type: ignore[union-attr]

    client.delete(created.href, etag2)
    assert client.get(created.href) is None
    client.delete(created.href, etag2)  # already gone: no error
    assert created.href not in client.list_etags(book_url).etags


def test_another_clients_change_makes_our_update_fail(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    client = _client(server)
    created = client.create(book_url, _vcard("race-1"), name="race-1")
    etag = created.etag or client.get(created.href).etag  # type: ignore[union-attr]
    server.put_card(book_url, "race-1.vcf", _vcard("race-1", "Anderer Client"))
    with pytest.raises(PreconditionFailed):
        client.update(created.href, _vcard("race-1", "Wir Hier"), etag)
    assert "Anderer Client" in client.get(created.href).text  # type: ignore[union-attr]


def test_invalid_vcard_is_rejected_with_a_german_message(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    client = _client(server)
    with pytest.raises(CardRejected) as info:
        client.create(book_url, "das ist keine vCard", name="kaputt")
    # Radicale 400, Xandikos 412 + CARD:valid-address-data, SabreDAV 1.8 415
    assert info.value.status in (400, 412, 415)
    assert "vCard" in info.value.message
    assert client.list_etags(book_url).etags == {}


def test_duplicate_uid_under_another_name(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    client = _client(server)
    client.create(book_url, _vcard("dup-uid"), name="eins")
    if server.name == "radicale":  # the only one here enforcing CARD:no-uid-conflict
        with pytest.raises(CardRejected) as info:
            client.create(book_url, _vcard("dup-uid"), name="zwei")
        assert info.value.status == 409
        assert "UID" in info.value.message
    else:
        client.create(book_url, _vcard("dup-uid"), name="zwei")


def test_special_characters_in_names_compare_consistently(
    dav_book: tuple[DavServer, str],
) -> None:
    server, book_url = dav_book
    client = _client(server)
    created = client.create(book_url, _vcard("sp-1", "Jörg Müller"), name="Jörg Müller & Co")
    assert created.href == _path(book_url) + "J-rg-M-ller---Co.vcf"
    # A name another client chose, with spaces, "&" and umlauts: use the server's hrefs as
    # given. (Xandikos under WSGI lists UTF-8 names double-encoded and then cannot GET them,
    # so it gets an ASCII name here.)
    other_name = "Zoë Ärger & Co 1.vcf" if server.name != "xandikos" else "Zoe (Aerger) & Co.vcf"
    server.put_card(book_url, other_name, _vcard("sp-2", "Zoë Ärger"))
    listing = client.list_etags(book_url)
    assert created.href in listing.etags, (created.href, listing.etags)
    assert len(listing.etags) == 2
    cards = {c.href: c for c in client.multiget(book_url, list(listing.etags))}
    assert set(cards) == set(listing.etags)
    other = next(h for h in cards if h != created.href)
    assert "FN:Zoë Ärger" in cards[other].text
    assert client.get(other) is not None
    updated = client.update(other, _vcard("sp-2", "Zoë Ärgerlich"), cards[other].etag)
    assert updated.href == other
    if server.supports_sync_collection:
        assert set(client.changes(book_url, None).etags) == set(listing.etags)
    client.delete(other, updated.etag or client.get(other).etag)  # type: ignore[union-attr]
    assert set(client.list_etags(book_url).etags) == {created.href}


# -- listing ------------------------------------------------------------------------------


def test_changes_initial_and_delta_after_another_clients_writes(
    dav_book: tuple[DavServer, str],
) -> None:
    server, book_url = dav_book
    client = _client(server)
    for i in range(3):
        server.put_card(book_url, f"s{i}.vcf", _vcard(f"s{i}", f"Person {i}"))
    book = _path(book_url)
    if not server.supports_sync_collection:
        with pytest.raises(SyncUnsupported):
            client.changes(book_url, None)
        listing = client.list_etags(book_url)
        assert listing.full
        assert set(listing.etags) == {f"{book}s{i}.vcf" for i in range(3)}
        return

    initial = client.changes(book_url, None)
    assert initial.full and not initial.deleted
    assert set(initial.etags) == {f"{book}s{i}.vcf" for i in range(3)}
    assert initial.sync_token
    assert initial.etags == client.list_etags(book_url).etags

    server.put_card(book_url, "s1.vcf", _vcard("s1", "Person Geändert"))
    server.put_card(book_url, "s3.vcf", _vcard("s3", "Person Neu"))
    server.delete_card(server.card_url(book_url, "s0.vcf"))

    delta = client.changes(book_url, initial.sync_token)
    assert not delta.full
    assert set(delta.etags) == {f"{book}s1.vcf", f"{book}s3.vcf"}
    assert delta.deleted == {f"{book}s0.vcf"}
    current = client.list_etags(book_url).etags
    assert delta.etags == {h: current[h] for h in delta.etags}
    assert delta.sync_token and delta.sync_token != initial.sync_token

    again = client.changes(book_url, delta.sync_token)
    assert not again.etags and not again.deleted

    # A full listing after deletions leaves the deleted card out (Radicale lists it as 404).
    full = client.changes(book_url, None)
    assert set(full.etags) == {f"{book}s{i}.vcf" for i in (1, 2, 3)}
    assert not full.deleted


def test_invalid_sync_token(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    client = _client(server)
    server.put_card(book_url, "t.vcf", _vcard("t"))
    bogus = "http://example.invalid/sync/" + uuid.uuid4().hex
    if server.supports_sync_collection:
        with pytest.raises(SyncTokenInvalid):
            client.changes(book_url, bogus)
    else:
        with pytest.raises(SyncUnsupported):
            client.changes(book_url, bogus)


@pytest.mark.parametrize("name", ["radicale", "xandikos"])
def test_paging_with_limit(name: str, request: pytest.FixtureRequest) -> None:
    """Paged sync-collection (SabreDAV 1.8 has none: see test_invalid_token)."""
    server: DavServer = request.getfixturevalue(f"{name}_server")
    book_url = server.make_book()
    client = _client(server)
    for i in range(7):
        server.put_card(book_url, f"p{i}.vcf", _vcard(f"p{i}"))
    book = _path(book_url)
    full = client.changes(book_url, None, limit=3)
    assert set(full.etags) == {f"{book}p{i}.vcf" for i in range(7)}
    for i in range(7, 12):
        server.put_card(book_url, f"p{i}.vcf", _vcard(f"p{i}"))
    delta = client.changes(book_url, full.sync_token, limit=2)
    assert set(delta.etags) == {f"{book}p{i}.vcf" for i in range(7, 12)}
    assert client.changes(book_url, delta.sync_token, limit=2).etags == {}


def test_list_etags_skips_the_collection(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    client = _client(server)
    expected = {}
    for i in range(3):
        etag = server.put_card(book_url, f"l{i}.vcf", _vcard(f"l{i}"))
        expected[f"{_path(book_url)}l{i}.vcf"] = etag
    listing = client.list_etags(book_url)
    assert listing.full and listing.etags == expected


def test_book_state_changes_after_a_write(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    client = _client(server)
    before = client.book_state(book_url)
    assert before.href == _path(book_url)
    server.put_card(book_url, "bs.vcf", _vcard("bs"))
    after = book_state(client.session, book_url)
    assert (before.ctag, before.sync_token) != (after.ctag, after.sync_token)
    with pytest.raises(NotFound):
        client.book_state(_path(server.home_url) + "gibt-es-nicht/")


def test_a_missing_book_is_never_an_empty_listing(dav_server: DavServer) -> None:
    # Xandikos answers PROPFIND on a missing collection with 207 + a 404 entry: read as an
    # empty book, the sync would delete every local contact.
    client = _client(dav_server)
    gone = _path(dav_server.home_url) + f"weg-{uuid.uuid4().hex[:6]}/"
    with pytest.raises(NotFound):
        client.list_etags(gone)
    with pytest.raises(NotFound):
        list(client.multiget(gone, [gone + "a.vcf"]))
    with pytest.raises(NotFound if dav_server.supports_sync_collection else SyncUnsupported):
        client.changes(gone, None)


# -- reading ------------------------------------------------------------------------------


def _fill_book(server: DavServer, client: CardDavClient, book_url: str, n: int) -> str:
    """Fill a book with n cards (UID mNNNN, FN "Kontakt NNNN"); return the book URL used.

    Radicale checks every PUT for UID conflicts against the whole book (quadratic), so there
    the book is uploaded in one whole-collection PUT, which Radicale supports.
    """
    cards = [_vcard(f"m{i:04d}", f"Kontakt {i:04d}") for i in range(n)]
    if server.name == "radicale":
        bulk_url = server.url(f"{_path(server.home_url)}bulk-{uuid.uuid4().hex[:8]}/")
        resp = server.request(
            "PUT", bulk_url, body="".join(cards), headers={"Content-Type": "text/vcard"}
        )
        assert resp.status_code in (200, 201, 204), resp.status_code
        return bulk_url
    for i, text in enumerate(cards):
        client.create(book_url, text, name=f"m{i:04d}")
    return book_url


@pytest.mark.slow
def test_multiget_1200_cards_in_batches(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    client = _client(server)
    book_url = _fill_book(server, client, book_url, 1200)
    listing = client.list_etags(book_url).etags
    assert len(listing) == 1200
    hrefs = sorted(listing)
    gone = hrefs[777]
    server.delete_card(server.url(gone))

    before = client.session.requests_made
    cards = list(client.multiget(book_url, hrefs, batch_size=500))
    used = client.session.requests_made - before
    got = {c.href: c for c in cards}
    assert len(cards) == len(got) == 1199
    assert gone not in got
    assert set(got) == set(hrefs) - {gone}
    names = {re.search(r"FN:(.*)\r\n", c.text).group(1) for c in cards}  # type: ignore[union-attr]
    assert len(names) == 1199 and all(n.startswith("Kontakt ") for n in names)
    assert all(got[h].etag == listing[h] for h in got)
    if server.name != "sabredav":
        # 500 + 500 + the last 200 split (100 + 50 + 50), the missing href simply left out
        assert used == 5
    else:
        # SabreDAV 1.8 fails a whole multiget with 404 if one href is missing: the client
        # lists the book once and asks again without it.
        assert used <= 8


def test_multiget_leaves_out_missing_hrefs(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    client = _client(server)
    etag = server.put_card(book_url, "here.vcf", _vcard("here"))
    book = _path(book_url)
    cards = list(
        client.multiget(book_url, [book + "here.vcf", book + "missing.vcf", "/elsewhere/x.vcf"])
    )
    assert [(c.href, c.etag) for c in cards] == [(book + "here.vcf", etag)]
    assert cards[0].text.startswith("BEGIN:VCARD\r\n")
    assert client.get(book + "missing.vcf") is None


def test_card_with_20kb_photo_round_trips(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    client = _client(server)
    photo = os.urandom(20 * 1024)
    b64 = base64.b64encode(photo).decode("ascii")
    line = f"PHOTO;ENCODING=b;TYPE=JPEG:{b64}"
    folded = "\r\n ".join(line[i : i + 74] for i in range(0, len(line), 74))
    text = _vcard("photo-1", "Foto Person", extra=folded + "\r\n")
    created = client.create(book_url, text, name="photo-1")

    def photo_of(card_text: str) -> bytes:
        for content_line in _lines(card_text):
            if content_line.upper().startswith("PHOTO"):
                return base64.b64decode(content_line.rsplit(":", 1)[1])
        raise AssertionError("no PHOTO in card")

    fetched = client.get(created.href)
    assert fetched is not None
    by_multiget = next(iter(client.multiget(book_url, [created.href])))
    for card_text in (fetched.text, by_multiget.text):
        assert photo_of(card_text) == photo
        lines = set(_lines(card_text))
        assert {"UID:photo-1", "FN:Foto Person", "BEGIN:VCARD", "END:VCARD"} <= lines
    assert _lines(by_multiget.text) == _lines(fetched.text)
    assert by_multiget.etag == fetched.etag


def test_requests_and_bytes_are_counted(dav_book: tuple[DavServer, str]) -> None:
    server, book_url = dav_book
    client = _client(server)
    server.put_card(book_url, "c.vcf", _vcard("c"))
    assert client.session.requests_made == 0
    client.list_etags(book_url)
    assert client.session.requests_made >= 1
    assert client.session.bytes_received > 0


# -- pure helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("server", "port", "path", "preset", "expected"),
    [
        ("cloud.example.de", None, "", "nextcloud", "https://cloud.example.de/remote.php/dav/"),
        ("cloud.example.de", None, "", "owncloud", "https://cloud.example.de/remote.php/dav/"),
        ("mail.firma.de", None, "", "kerio", "https://mail.firma.de/carddav/"),
        ("dav.firma.de", 5232, "", "radicale", "https://dav.firma.de:5232/"),
        ("http://dav.firma.de", None, "", "other", "http://dav.firma.de/"),
        ("dav.firma.de", 80, "", None, "http://dav.firma.de/"),
        ("dav.firma.de", 443, "", None, "https://dav.firma.de/"),
        (
            "https://cloud.example.de:8443/nc",
            None,
            "",
            "nextcloud",
            "https://cloud.example.de:8443/nc/",
        ),
        ("cloud.example.de", 8443, "/custom", "nextcloud", "https://cloud.example.de:8443/custom/"),
        ("http://dav.firma.de:8080", 9090, "", None, "http://dav.firma.de:9090/"),
        ("  user@dav.firma.de  ", None, "dav.php", None, "https://dav.firma.de/dav.php/"),
        ("[::1]", 5232, "", None, "https://[::1]:5232/"),
    ],
)
def test_build_base_url(
    server: str, port: int | None, path: str, preset: str | None, expected: str
) -> None:
    assert build_base_url(server, port, path, preset) == expected


def test_build_base_url_rejects_nonsense() -> None:
    for bad in ("", "   ", "http://"):
        with pytest.raises(HostUnreachable):
            build_base_url(bad, None, "", None)
    result = check_connection("", None, "", None, "u", "p")
    assert not result.ok and isinstance(result.error, HostUnreachable)


# -- fake servers ---------------------------------------------------------------------------


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    client_port: int = 0


Reply = tuple[int, dict[str, str], bytes]


@dataclass
class Fake:
    url: str
    seen: list[Seen] = field(default_factory=list)


@contextlib.contextmanager
def _serve(handler: Callable[[Seen], Reply], tls: ssl.SSLContext | None = None) -> Iterator[Fake]:
    fake = Fake(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            seen = Seen(
                self.command,
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                body,
                self.client_address[1],
            )
            fake.seen.append(seen)
            status, headers, payload = handler(seen)
            if status == 0:  # drop the connection without an answer
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = do_OPTIONS = _any

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    scheme = "http"
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
        scheme = "https"
    fake.url = f"{scheme}://127.0.0.1:{httpd.server_address[1]}/"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()


def _multistatus(*responses: str, token: str | None = None) -> bytes:
    tail = f"<d:sync-token>{token}</d:sync-token>" if token is not None else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?><d:multistatus xmlns:d="DAV:" '
        'xmlns:card="urn:ietf:params:xml:ns:carddav">'
        + "".join(responses)
        + tail
        + "</d:multistatus>"
    ).encode()


def _ok(href: str, props: str) -> str:
    return (
        f"<d:response><d:href>{href}</d:href><d:propstat><d:prop>{props}</d:prop>"
        "<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>"
    )


XML = {"Content-Type": "application/xml; charset=utf-8"}
BOOK_PROPS = (
    "<d:resourcetype><d:collection/><card:addressbook/></d:resourcetype>"
    "<d:displayname>Fake</d:displayname>"
)


# -- TLS ----------------------------------------------------------------------------------


def _self_signed(tmp: Path) -> tuple[Path, Path, bytes]:
    """(cert.pem, key.pem, DER) of a fresh self-signed cert for 127.0.0.1."""
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", str(key_path), "-out", str(cert_path), "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        der = ssl.PEM_cert_to_DER_cert(cert_path.read_text())
        return cert_path, key_path, der
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path, cert.public_bytes(serialization.Encoding.DER)


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[Fake, str]]:
    cert, key, der = _self_signed(tmp_path)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)

    def handler(seen: Seen) -> Reply:
        return 207, XML, _multistatus(_ok("/book/", BOOK_PROPS))

    with _serve(handler, tls=ctx) as fake:
        yield fake, format_fingerprint(der)


@pytest.mark.servers
def test_self_signed_certificate_is_tls_error_with_fingerprint(
    tls_server: tuple[Fake, str],
) -> None:
    fake, fingerprint = tls_server
    assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", fingerprint)
    with pytest.raises(TlsError) as info:
        DavSession(fake.url, "u", "geheim").request("PROPFIND", "/book/", depth="0")
    assert info.value.fingerprint == fingerprint
    assert "geheim" not in str(info.value)
    assert not fake.seen  # nothing was sent over the untrusted connection

    port = urlsplit(fake.url).port
    result = check_connection("127.0.0.1", port, "/book/", None, "u", "geheim")
    assert not result.ok and isinstance(result.error, TlsError)
    assert result.fingerprint == fingerprint
    assert result.base_url == f"https://127.0.0.1:{port}/book/"


@pytest.mark.servers
def test_pinned_certificate_is_accepted(tls_server: tuple[Fake, str]) -> None:
    fake, fingerprint = tls_server
    for pin in (fingerprint, fingerprint.replace(":", "").lower()):
        with DavSession(fake.url, "u", "p", pinned_sha256=pin) as session:
            books = discover_books(session, path_hint="/book/")
            assert [b.href for b in books] == ["/book/"]
            session.request("PROPFIND", "/book/", depth="0")  # reuses the connection
    port = urlsplit(fake.url).port
    result = check_connection("127.0.0.1", port, "/book/", None, "u", "p", fingerprint)
    assert result.ok, result.message
    assert result.message == "Verbindung erfolgreich: 1 Adressbuch gefunden."


@pytest.mark.servers
def test_other_pin_is_refused(tls_server: tuple[Fake, str]) -> None:
    fake, fingerprint = tls_server
    other = format_fingerprint(b"some other certificate")
    with pytest.raises(TlsError) as info:
        DavSession(fake.url, "u", "p", pinned_sha256=other).request("PROPFIND", "/", depth="0")
    assert info.value.fingerprint == fingerprint
    assert "geändert" in info.value.message
    assert not fake.seen


def test_malformed_pin_is_reported() -> None:
    result = check_connection("https://127.0.0.1", 1, "", None, "u", "p", "AB:CD")
    assert not result.ok and result.error is not None


# -- Digest -------------------------------------------------------------------------------


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


@pytest.mark.servers
def test_digest_only_server() -> None:
    realm, nonce, user, password = "SabreDAV", uuid.uuid4().hex, "anna", "pässwort"

    def handler(seen: Seen) -> Reply:
        auth = seen.headers.get("authorization", "")
        if auth.startswith("Digest "):
            fields = dict(re.findall(r'(\w+)="?([^",]*)"?', auth[7:]))
            ha1 = _md5(f"{fields['username']}:{realm}:{password}")
            ha2 = _md5(f"{seen.method}:{fields['uri']}")
            want = _md5(f"{ha1}:{fields['nonce']}:{fields['nc']}:{fields['cnonce']}:auth:{ha2}")
            if fields.get("response") == want and fields["username"] == user:
                return 207, XML, _multistatus(_ok(urlsplit(seen.path).path, BOOK_PROPS))
        challenge = f'Digest realm="{realm}",qop="auth",nonce="{nonce}",opaque="x"'
        return 401, {"WWW-Authenticate": challenge}, b"auth required"

    with _serve(handler) as fake:
        with DavSession(fake.url, user, password) as session:
            assert [b.href for b in discover_books(session, path_hint="/book/")] == ["/book/"]
            assert session.auth_scheme == "digest"
            session.request("PROPFIND", "/book/", depth="0")
        with pytest.raises(AuthError):
            DavSession(fake.url, user, "falsch").request("PROPFIND", "/book/", depth="0")
    assert all(password not in s.headers.get("authorization", "") for s in fake.seen)


# -- retries ------------------------------------------------------------------------------


@pytest.mark.servers
def test_503_with_retry_after_is_retried_for_reads_only() -> None:
    calls: dict[str, int] = {}

    def handler(seen: Seen) -> Reply:
        calls[seen.method] = calls.get(seen.method, 0) + 1
        if seen.path == "/busy-long/":
            return 503, {"Retry-After": "60"}, b""
        if calls[seen.method] == 1 or seen.method == "PUT":
            return 503, {"Retry-After": "1"}, b"busy"
        return 207, XML, _multistatus(_ok("/book/", BOOK_PROPS))

    with _serve(handler) as fake, DavSession(fake.url, "u", "p") as session:
        resp = session.request("PROPFIND", "/book/", depth="0")
        assert resp.status == 207
        assert calls["PROPFIND"] == 2 and session.requests_made == 2

        with pytest.raises(ServerError) as info:
            session.request("PUT", "/book/x.vcf", body=b"BEGIN:VCARD")
        assert info.value.status == 503 and calls["PUT"] == 1

        before = session.requests_made
        with pytest.raises(ServerError):  # 60 s exceeds the 10 s budget: no waiting
            session.request("PROPFIND", "/busy-long/", depth="0")
        assert session.requests_made == before + 1


@pytest.mark.servers
def test_dropped_connection_is_retried_for_reads_only() -> None:
    calls: dict[str, int] = {}

    def handler(seen: Seen) -> Reply:
        calls[seen.method] = calls.get(seen.method, 0) + 1
        if calls[seen.method] == 1 or seen.method == "DELETE":
            return 0, {}, b""
        return 207, XML, _multistatus(_ok("/book/", BOOK_PROPS))

    with _serve(handler) as fake, DavSession(fake.url, "u", "p") as session:
        assert session.request("PROPFIND", "/book/", depth="0").status == 207
        assert calls["PROPFIND"] == 2
        with pytest.raises(HostUnreachable):
            session.request("DELETE", "/book/x.vcf")
        assert calls["DELETE"] == 1


@pytest.mark.servers
def test_one_keep_alive_connection_is_reused() -> None:
    def handler(seen: Seen) -> Reply:
        return 207, XML, _multistatus(_ok("/book/", BOOK_PROPS))

    with _serve(handler) as fake, DavSession(fake.url, "u", "p") as session:
        for _ in range(5):
            session.request("PROPFIND", "/book/", body=xml.books_propfind(), depth="0")
        assert session.requests_made == 5
        assert len({s.client_port for s in fake.seen}) == 1
        assert all(s.headers["content-type"].startswith("application/xml") for s in fake.seen)
        assert all(s.headers["authorization"].startswith("Basic ") for s in fake.seen)
        assert all("gzip" in s.headers.get("accept-encoding", "") for s in fake.seen)


# -- redirects ----------------------------------------------------------------------------


@pytest.mark.servers
def test_well_known_redirect_is_followed_and_foreign_hosts_are_not() -> None:
    def handler(seen: Seen) -> Reply:
        if seen.path == "/.well-known/carddav":
            return 301, {"Location": "/dav/"}, b""
        if seen.path == "/dav/" and seen.headers.get("depth") == "0":
            return (
                207,
                XML,
                _multistatus(
                    _ok(
                        "/dav/",
                        "<d:current-user-principal><d:href>/dav/anna/</d:href>"
                        "</d:current-user-principal>",
                    )
                ),
            )
        if seen.path == "/dav/anna/":
            return (
                207,
                XML,
                _multistatus(
                    _ok(
                        "/dav/anna/",
                        "<card:addressbook-home-set><d:href>/dav/anna/books/"
                        "</d:href></card:addressbook-home-set>",
                    )
                ),
            )
        if seen.path == "/dav/anna/books/":
            return (
                207,
                XML,
                _multistatus(
                    _ok("/dav/anna/books/", "<d:resourcetype><d:collection/></d:resourcetype>"),
                    _ok("/dav/anna/books/privat/", BOOK_PROPS),
                    _ok("http://evil.example.com/dav/anna/books/fremd/", BOOK_PROPS),
                ),
            )
        if seen.path == "/away/":
            return 302, {"Location": "http://evil.example.com/dav/"}, b""
        return 404, {}, b""

    with _serve(handler) as fake:
        with DavSession(fake.url, "u", "p") as session:
            books = discover_books(session)
        assert [b.href for b in books] == ["/dav/anna/books/privat/"]
        assert any(s.path == "/.well-known/carddav" for s in fake.seen)
        with pytest.raises(CrossHostRedirect) as info:
            DavSession(fake.url, "u", "p").request("PROPFIND", "/away/", depth="0")
        assert "evil.example.com" in info.value.message
        assert isinstance(info.value, NotCardDav)


@pytest.mark.servers
def test_plain_web_server_is_not_carddav() -> None:
    def handler(seen: Seen) -> Reply:
        return 200, {"Content-Type": "text/html"}, b"<html><body>Hallo</body></html>"

    with _serve(handler) as fake:
        port = urlsplit(fake.url).port
        result = check_connection("http://127.0.0.1", port, "", None, "u", "p")
    assert not result.ok
    assert isinstance(result.error, NotCardDav)
    assert "CardDAV" in result.message


@pytest.mark.servers
def test_hostile_xml_from_server_is_a_dav_error() -> None:
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
        b'<d:multistatus xmlns:d="DAV:"><d:response><d:href>/book/&a;.vcf</d:href>'
        b"</d:response></d:multistatus>"
    )

    def handler(seen: Seen) -> Reply:
        return 207, XML, hostile

    with _serve(handler) as fake:
        client = CardDavClient(DavSession(fake.url, "u", "p"))
        with pytest.raises(DavError):
            client.list_etags("/book/")


# -- sync-collection paging (507) ---------------------------------------------------------


@pytest.mark.servers
def test_sync_collection_paging_with_507() -> None:
    cards = [(f"/book/c{i}.vcf", f'"e{i}"') for i in range(7)]

    def handler(seen: Seen) -> Reply:
        if seen.method != "REPORT":
            return 405, {}, b""
        root = xml.parse_xml(seen.body)
        token = root.findtext(xml.SYNC_TOKEN) or ""
        nresults = root.findtext(f"{xml.clark(xml.DAV, 'limit')}/{xml.clark(xml.DAV, 'nresults')}")
        if token == "final":
            return 207, XML, _multistatus(token="final")
        if token and not token.startswith("page-"):
            return 403, XML, b'<d:error xmlns:d="DAV:"><d:valid-sync-token/></d:error>'
        offset = int(token[5:]) if token else 0
        limit = int(nresults) if nresults else len(cards)
        page = cards[offset : offset + limit]
        parts = [
            _ok(
                href,
                f"<d:getetag>{etag}</d:getetag><d:getcontenttype>text/vcard</d:getcontenttype>",
            )
            for href, etag in page
        ]
        if offset == 0:
            parts.append(
                "<d:response><d:href>/book/old.vcf</d:href>"
                "<d:status>HTTP/1.1 404 Not Found</d:status></d:response>"
            )
        nxt = offset + limit
        if nxt < len(cards):
            parts.append(
                "<d:response><d:href>/book/</d:href>"
                "<d:status>HTTP/1.1 507 Insufficient Storage</d:status></d:response>"
            )
            return 207, XML, _multistatus(*parts, token=f"page-{nxt}")
        return 207, XML, _multistatus(*parts, token="final")

    with _serve(handler) as fake:
        client = CardDavClient(DavSession(fake.url, "u", "p"))
        listing = client.changes("/book/", None, limit=3)
        assert listing.full and not listing.deleted
        assert listing.etags == dict(cards)
        assert listing.sync_token == "final"
        assert client.session.requests_made == 3  # pages of 3 + 3 + 1
        assert client.changes("/book/", "final").etags == {}
        with pytest.raises(SyncTokenInvalid):
            client.changes("/book/", "expired")
