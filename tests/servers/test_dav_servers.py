"""The loopback DAV servers really start, authenticate, discover and store cards."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pytest

from tests.servers.dav_servers import (
    CARDDAV,
    DAV,
    DavRequestError,
    DavServer,
    parse_multistatus,
)

pytestmark = pytest.mark.servers

PROPFIND_RESOURCETYPE = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>'
)

EXPECTED = {
    # name: (principal path, home path, default book path or "")
    "radicale": ("/alice/", "/alice/", ""),
    "xandikos": ("/alice/", "/alice/contacts/", "/alice/contacts/addressbook/"),
    "sabredav": ("/principals/alice/", "/addressbooks/alice/", "/addressbooks/alice/default/"),
}


def vcard(uid: str, fn: str) -> str:
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"UID:{uid}\r\nFN:{fn}\r\nN:;{fn};;;\r\n"
        "EMAIL;TYPE=INTERNET:ann@example.org\r\nEND:VCARD\r\n"
    )


def path(url: str) -> str:
    return urlsplit(url).path


def test_root_reachable(dav_server: DavServer) -> None:
    resp = dav_server.request("PROPFIND", "/", body=PROPFIND_RESOURCETYPE, depth=0)
    assert resp.status_code == 207
    assert urlsplit(dav_server.root_url).hostname == "127.0.0.1"


@pytest.mark.parametrize("auth", [("alice", "wrong-password"), ("mallory", "x"), False])
def test_bad_credentials_get_401(dav_server: DavServer, auth: tuple[str, str] | bool) -> None:
    resp = dav_server.request("PROPFIND", "/", body=PROPFIND_RESOURCETYPE, depth=0, auth=auth)
    assert resp.status_code == 401
    assert str(resp.headers.get("WWW-Authenticate", "")).lower().startswith("basic")


def test_discovery_paths(dav_server: DavServer) -> None:
    principal, home, default_book = EXPECTED[dav_server.name]
    assert path(dav_server.principal_url) == principal
    assert path(dav_server.home_url) == home
    assert path(dav_server.default_book_url) == default_book
    assert dav_server.discover() == (dav_server.principal_url, dav_server.home_url)
    assert dav_server.supports_sync_collection == (dav_server.name != "sabredav")


def test_well_known_carddav_redirects_to_root(dav_server: DavServer) -> None:
    resp = dav_server.request("GET", "/.well-known/carddav")
    assert resp.status_code in (301, 302)
    assert dav_server.url(str(resp.headers["Location"])) == dav_server.root_url


def test_make_book_put_list_delete_round_trip(dav_server: DavServer) -> None:
    book = dav_server.make_book(display_name="Ümlaut & <Friends>")
    assert book.startswith(dav_server.home_url) and book.endswith("/")
    assert dav_server.list_cards(book) == {}

    found = dav_server.propfind(book, [f"{{{DAV}}}resourcetype", f"{{{DAV}}}displayname"], depth=0)
    props = next(iter(found.values()))
    assert props[f"{{{DAV}}}resourcetype"].find(f"{{{CARDDAV}}}addressbook") is not None
    assert props[f"{{{DAV}}}displayname"].text == "Ümlaut & <Friends>"

    uid = str(uuid.uuid4())
    etag = dav_server.put_card(book, f"{uid}.vcf", vcard(uid, "Ann Example"))
    assert etag
    cards = dav_server.list_cards(book)
    assert list(cards) == [path(dav_server.card_url(book, f"{uid}.vcf"))]
    text = next(iter(cards.values()))
    assert f"UID:{uid}" in text and "FN:Ann Example" in text

    # Overwrite as "another client", then delete with the current ETag.
    card_url = dav_server.card_url(book, f"{uid}.vcf")
    etag2 = dav_server.put_card(book, f"{uid}.vcf", vcard(uid, "Ann Changed"))
    assert etag2 != etag
    text, current_etag = dav_server.get_card(card_url)
    assert current_etag == etag2
    assert "FN:Ann Changed" in text
    with pytest.raises(DavRequestError):
        dav_server.delete_card(card_url, etag)  # stale ETag -> 412
    dav_server.delete_card(card_url, etag2)
    assert dav_server.list_cards(book) == {}


def test_fresh_books_are_independent(dav_book: tuple[DavServer, str]) -> None:
    server, book = dav_book
    other = server.make_book()
    assert other != book
    server.put_card(book, "one.vcf", vcard("one", "One"))
    assert server.list_cards(other) == {}
    assert len(server.list_cards(book)) == 1


def test_addressbook_multiget(dav_book: tuple[DavServer, str]) -> None:
    server, book = dav_book
    etags = {
        name: server.put_card(book, f"{name}.vcf", vcard(name, name.title()))
        for name in ("ann", "bob")
    }
    hrefs = "".join(
        f"<D:href>{path(server.card_url(book, f'{name}.vcf'))}</D:href>" for name in etags
    )
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<CR:addressbook-multiget xmlns:D="DAV:" xmlns:CR="{CARDDAV}">'
        f"<D:prop><D:getetag/><CR:address-data/></D:prop>{hrefs}</CR:addressbook-multiget>"
    )
    resp = server.request("REPORT", book, body=body, depth=1)
    assert resp.status_code == 207
    found = parse_multistatus(resp.content or b"")
    assert len(found) == 2
    for name, etag in etags.items():
        props = found[path(server.card_url(book, f"{name}.vcf"))]
        assert props[f"{{{DAV}}}getetag"].text == etag
        assert f"UID:{name}" in (props[f"{{{CARDDAV}}}address-data"].text or "")


def test_sync_collection_support_matches_flag(dav_book: tuple[DavServer, str]) -> None:
    server, book = dav_book
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<D:sync-collection xmlns:D="DAV:"><D:sync-token/><D:sync-level>1</D:sync-level>'
        "<D:prop><D:getetag/></D:prop></D:sync-collection>"
    )
    resp = server.request("REPORT", book, body=body, depth=1)
    if server.supports_sync_collection:
        assert resp.status_code == 207
        assert b"sync-token" in (resp.content or b"")
    else:
        assert resp.status_code in (403, 501)  # SabreDAV 1.8: 403 ReportNotSupported


def test_sabredav_default_calendar_exists(sabredav_server: DavServer) -> None:
    home = sabredav_server.url("/calendars/alice/")
    found = sabredav_server.propfind(home, [f"{{{DAV}}}resourcetype"], depth=1)
    assert "/calendars/alice/default/" in found
