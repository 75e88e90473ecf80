"""Listings that are incomplete say so; the position advances only over what was applied.

Real servers behind `FaultProxy`, which edits their answers the way servers really
misbehave:

* a listing entry without its ETag (Xandikos leaves unchanged props out of deltas; here
  any server's sync-collection or PROPFIND answer loses the ETag of one card), and an
  ETag-only multiget that answers 404 (SabreDAV 1.8 when one href vanished): the client
  cannot learn that card's ETag. Before, the card was dropped from the listing: a delta
  skipped its change for good (the token moved past it), a full listing made it look
  deleted. Now it is fetched like any changed card, and if even that fails, it keeps its
  last state, is named, and the position stays, so a later run applies it.
* a card that cannot be parsed (the proxy spoils every answer that carries the card's
  marker): named once, remembered with its ETag, read again only once it changed on
  the server — and it no longer holds the position back (before: a full listing, or an
  ever-growing delta, on every run, and the same error every time).

Against Radicale and Xandikos (sync-collection) and SabreDAV 1.8 (PROPFIND + ctag); the
CLI runs in-process with `--json`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

from app.cli import EXIT_ITEM_ERRORS as ITEM_ERRORS
from app.store.db import close_database, open_database
from app.store.models import Binding
from tests.robustness.faultproxy import FaultProxy, Logged
from tests.robustness.test_concurrent_edit import Setup, card, proxied_book
from tests.servers.conftest import sabredav_server, xandikos_server  # noqa: F401
from tests.servers.dav_servers import DavServer

pytestmark = pytest.mark.servers

DAV = "{DAV:}"
MARK = "NOTE:KAPUTT"  # a card carrying this line is spoiled by the proxy


@pytest.fixture
def proxied(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[Setup]:
    """A fresh book on the server named by the test's parameter, the account behind a
    FaultProxy (no faults until the test sets its hooks)."""
    server: DavServer = request.getfixturevalue(f"{request.param}_server")
    with proxied_book(server, "Unvollständig", tmp_path, monkeypatch, capsys) as s:
        yield s


# -- what the proxy does ------------------------------------------------------------------


def _file(href: str) -> str:
    return unquote(href.strip().rsplit("/", 1)[-1])


def _edit_responses(body: bytes, edit: Callable[[etree._Element], bool]) -> bytes:
    """Apply `edit` to each DAV:response of a multistatus; re-serialized if one changed."""
    if not body.lstrip().startswith(b"<"):
        return body
    try:
        root = etree.fromstring(body)
    except etree.XMLSyntaxError:
        return body
    changed = [edit(r) for r in root.iter(f"{DAV}response")]
    return etree.tostring(root, xml_declaration=True, encoding="utf-8") if any(changed) else body


def strip_listed_etags(names: set[str]) -> Callable[[str, str, int, bytes], bytes]:
    """Listings (sync-collection, PROPFIND) lose the ETag of the cards named."""

    def rewrite(method: str, path: str, status: int, body: bytes) -> bytes:
        listing = method == "PROPFIND" or (method == "REPORT" and b"sync-token" in body)
        if not listing or status != 207:
            return body

        def edit(response: etree._Element) -> bool:
            href = response.findtext(f"{DAV}href") or ""
            gone = False
            if _file(href) in names:
                for etag in list(response.iter(f"{DAV}getetag")):
                    etag.getparent().remove(etag)
                    gone = True
            return gone

        return _edit_responses(body, edit)

    return rewrite


def spoil_marked(method: str, path: str, status: int, body: bytes) -> bytes:
    """Every card carrying MARK arrives unparseable (in a multiget and a GET alike)."""
    if MARK.encode() not in body:
        return body
    if method == "GET":
        return body.replace(b"BEGIN:VCARD", b"BEGIN:VKARTE")

    def edit(response: etree._Element) -> bool:
        hit = False
        for el in response.iter():
            tag, text = el.tag, el.text
            if isinstance(tag, str) and tag.endswith("address-data") and text and MARK in text:
                el.text = el.text.replace("BEGIN:VCARD", "BEGIN:VKARTE")
                hit = True
        return hit

    return _edit_responses(body, edit)


def refuse(names: set[str], *, data: bool) -> Callable[[Logged, bytes], None]:
    """A multiget that asks for a named card answers 404 (ETag-only ones; with `data`, the
    ones with the card's text too, and a GET of it 500)."""

    def hook(entry: Logged, body: bytes) -> None:
        if entry.method == "REPORT" and b"multiget" in body:
            asked = {_file(h.decode()) for h in _hrefs(body)}
            if asked & names and (data or b"address-data" not in body):
                entry.fault = "status_404"
        elif data and entry.method == "GET" and _file(entry.path) in names:
            entry.fault = "status_500"

    return hook


def _hrefs(body: bytes) -> list[bytes]:
    root = etree.fromstring(body)
    return [(h.text or "").encode() for h in root.iter(f"{DAV}href")]


def no_faults(s: Setup) -> None:
    s.proxy.rewrite = None
    s.proxy.on_request = None


# -- what the run left ----------------------------------------------------------------------


def position(s: Setup) -> tuple[str | None, str | None]:
    """The binding's (sync token, ctag) as stored."""
    open_database(s.db)
    try:
        b = Binding.get()
        return b.sync_token, b.ctag
    finally:
        close_database()


def book_of(report: dict[str, object]) -> dict[str, object]:
    books = report["books"]
    assert isinstance(books, list) and len(books) == 1, report
    book = books[0]
    assert isinstance(book, dict)
    return book


def watch_requests(s: Setup) -> list[tuple[str, bytes]]:
    """(method + path, body) of every request from now on."""
    seen: list[tuple[str, bytes]] = []

    def hook(entry: Logged, body: bytes) -> None:
        seen.append((f"{entry.method} {entry.path}", body))

    s.proxy.on_request = hook
    return seen


def asked_for(seen: list[tuple[str, bytes]], name: str) -> bool:
    """Did one of these requests fetch the card `name` (a multiget with data, or a GET)?"""
    for what, body in seen:
        if what.startswith("GET ") and _file(what) == name:
            return True
        fetching = b"multiget" in body and b"address-data" in body
        if fetching and name in {_file(h.decode()) for h in _hrefs(body)}:
            return True
    return False


# -- the tests ----------------------------------------------------------------------------

CHANGED = "ak-a.vcf"


def _seed(s: Setup) -> None:
    s.server.put_card(s.book_url, CHANGED, card("ak-a", "Anna Alt", "+49 30 1"))
    s.server.put_card(s.book_url, "ak-b.vcf", card("ak-b", "Bernd Bleibt", "+49 30 2"))
    code, report = s.sync("server")
    assert code == 0, report
    assert report["totals"]["added_local"] == 2


@pytest.mark.parametrize("proxied", ["radicale", "xandikos", "sabredav"], indirect=True)
def test_a_change_whose_etag_cannot_be_learned_is_fetched_all_the_same(proxied: Setup) -> None:
    """No ETag in the listing, the ETag-only multiget 404: the card is fetched anyway (the
    multiget brings its ETag) and its change applied in this run — not skipped (delta)
    nor taken for deleted (full listing)."""
    s = proxied
    _seed(s)
    s.server.put_card(s.book_url, CHANGED, card("ak-a", "Anna Alt", "+49 30 9"))
    s.server.put_card(s.book_url, "ak-c.vcf", card("ak-c", "Clara Neu", "+49 30 3"))
    s.proxy.rewrite = strip_listed_etags({CHANGED})
    s.proxy.on_request = refuse({CHANGED}, data=False)
    code, report = s.sync("server")
    no_faults(s)
    assert code == 0, report
    assert any(e.fault == "status_404" for e in s.proxy.log), "the ETag lookup was not refused"
    live, _ = s.local()
    assert live == {"ak-a": "+49 30 9", "ak-b": "+49 30 2", "ak-c": "+49 30 3"}
    book = book_of(report)
    assert book["deleted_local"] == 0 and not book["errors"], book
    assert not any("nicht geliefert" in n for n in book["notes"]), book["notes"]

    # Nothing is left over for the next run.
    code, again = s.sync("server")
    assert code == 0, again
    assert s.local()[0] == live
    t = again["totals"]
    assert not any(t[k] for k in ("added_local", "updated_local", "deleted_local")), t


@pytest.mark.parametrize("proxied", ["radicale", "xandikos", "sabredav"], indirect=True)
def test_a_change_that_cannot_be_learned_is_applied_by_a_later_run(proxied: Setup) -> None:
    """Neither its ETag nor its text can be had this run: the card keeps its last state
    (not deleted), the report names it, the position stays — and the next run applies
    the change, which before was skipped for good."""
    s = proxied
    _seed(s)
    before = position(s)
    s.server.put_card(s.book_url, CHANGED, card("ak-a", "Anna Alt", "+49 30 9"))
    s.server.put_card(s.book_url, "ak-c.vcf", card("ak-c", "Clara Neu", "+49 30 3"))
    s.proxy.rewrite = strip_listed_etags({CHANGED})
    s.proxy.on_request = refuse({CHANGED}, data=True)
    code, report = s.sync("server")
    no_faults(s)
    assert code == 0, report
    assert any(e.fault == "status_500" for e in s.proxy.log), "the GET was not refused"
    live, _ = s.local()
    assert live == {"ak-a": "+49 30 1", "ak-b": "+49 30 2", "ak-c": "+49 30 3"}
    book = book_of(report)
    assert book["deleted_local"] == 0, book
    notes = " ".join(book["notes"])
    assert "nicht geliefert" in notes and CHANGED in notes, notes
    assert "erneut abgefragt" in notes, notes
    assert position(s) == before  # not advanced past the change

    code, later = s.sync("server")
    assert code == 0, later
    assert s.local()[0] == {"ak-a": "+49 30 9", "ak-b": "+49 30 2", "ak-c": "+49 30 3"}
    assert book_of(later)["updated_local"] == 1
    assert not any("nicht geliefert" in n for n in book_of(later)["notes"])


@pytest.mark.parametrize("proxied", ["radicale", "sabredav"], indirect=True)
def test_an_unreadable_card_is_named_once_and_does_not_hold_the_position(
    proxied: Setup,
) -> None:
    s = proxied
    s.proxy.rewrite = spoil_marked
    s.server.put_card(s.book_url, "ak-a.vcf", card("ak-a", "Anna Alt", "+49 30 1"))
    s.server.put_card(s.book_url, "ak-l.vcf", card("ak-l", "Lena Lesbar", "+49 30 2"))
    s.server.put_card(
        s.book_url, "ak-k.vcf", card("ak-k", "Kai Kaputt", "+49 30 3").replace(
            "END:VCARD", f"{MARK}\r\nEND:VCARD"
        )
    )  # fmt: skip
    code, first = s.sync("server")
    assert code == ITEM_ERRORS, first  # the run that names it ends with item errors
    book = book_of(first)
    assert [e["href"].rsplit("/", 1)[-1] for e in book["errors"]] == ["ak-k.vcf"], book
    assert book["errors"][0]["action"] == "read"
    notes = " ".join(book["notes"])
    assert "nicht lesbar" in notes and "ak-k.vcf" in notes, notes
    assert s.local()[0] == {"ak-a": "+49 30 1", "ak-l": "+49 30 2"}
    token, ctag = position(s)
    assert (token if s.server.supports_sync_collection else ctag), "position not advanced"

    # A synced card turns unreadable on the server; a local edit goes up meanwhile
    # (a run that wrote: the position is confirmed, not dropped to a full listing).
    s.server.put_card(
        s.book_url, "ak-l.vcf", card("ak-l", "Lena Lesbar", "+49 30 7").replace(
            "END:VCARD", f"{MARK}\r\nEND:VCARD"
        )
    )  # fmt: skip
    _edit_locally(s, "ak-a", card("ak-a", "Anna Alt", "+49 40 1"))
    seen = watch_requests(s)
    code, second = s.sync("server")
    assert code == ITEM_ERRORS, second
    book = book_of(second)
    assert [e["href"].rsplit("/", 1)[-1] for e in book["errors"]] == ["ak-l.vcf"], book
    assert "ak-k.vcf" not in " ".join(book["notes"])
    assert not asked_for(seen, "ak-k.vcf"), "the unreadable card was fetched again"
    assert book["updated_server"] == 1
    # The synced card keeps its last readable version here.
    assert s.local()[0] == {"ak-a": "+49 40 1", "ak-l": "+49 30 2"}
    if s.server.supports_sync_collection:
        assert position(s)[0], "the run's own write made the next listing a full one"

    # Later runs: nothing named again, nothing fetched again, and (at the latest the
    # run after one that lists the book anew) nothing to do at all.
    for _ in range(2):
        seen = watch_requests(s)
        code, later = s.sync("server")
        assert code == 0, later
        book = book_of(later)
        assert not book["errors"], book
        assert not any("nicht lesbar" in n for n in book["notes"]), book["notes"]
        assert not asked_for(seen, "ak-k.vcf") and not asked_for(seen, "ak-l.vcf")
    assert book["unchanged"], book

    # Both are repaired on the server: read again and taken over.
    s.server.put_card(s.book_url, "ak-k.vcf", card("ak-k", "Kai Kaputt", "+49 30 5"))
    s.server.put_card(s.book_url, "ak-l.vcf", card("ak-l", "Lena Lesbar", "+49 30 8"))
    code, fixed = s.sync("server")
    assert code == 0, fixed
    book = book_of(fixed)
    assert not book["errors"], book
    assert book["added_local"] == 1 and book["updated_local"] == 1, book
    assert s.local()[0] == {"ak-a": "+49 40 1", "ak-k": "+49 30 5", "ak-l": "+49 30 8"}


def test_a_local_edit_never_overwrites_an_unreadable_server_version(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The synced card turned unreadable: the local edit waits (an error that says why)
    instead of replacing a version nobody could read; the server keeps it."""
    name = f"Unlesbar {uuid.uuid4().hex[:6]}"
    book_url = radicale_server.make_book(display_name=name)
    with FaultProxy(radicale_server.root_url, rewrite=spoil_marked) as proxy:
        s = Setup(radicale_server, proxy, tmp_path / "home", book_url, name, capsys)
        monkeypatch.setenv("CONTACTBOX_PASSWORD", radicale_server.password)
        user = radicale_server.user
        code, err = s.cli("account", "add", "Test", "--url", proxy.url, "--user", user)
        assert code == 0, err
        s.server.put_card(book_url, "ak-l.vcf", card("ak-l", "Lena Lesbar", "+49 30 2"))
        assert s.sync("server")[0] == 0
        broken = card("ak-l", "Lena Lesbar", "+49 30 7").replace(
            "END:VCARD", f"{MARK}\r\nEND:VCARD"
        )
        s.server.put_card(book_url, "ak-l.vcf", broken)
        assert book_of(s.sync("server")[1])["errors"]  # named once
        _edit_locally(s, "ak-l", card("ak-l", "Lena Lesbar", "+49 40 2"))
        code, report = s.sync("server")
        assert code == ITEM_ERRORS, report
        book = book_of(report)
        assert book["updated_server"] == 0 and len(book["errors"]) == 1, book
        assert MARK in next(iter(s.server.list_cards(book_url).values()))
        assert s.local()[0] == {"ak-l": "+49 40 2"}  # the edit stays here


def _edit_locally(s: Setup, uid: str, text: str) -> None:
    from app.store import contacts as cs

    open_database(s.db)
    try:
        contact = cs.find_live_by_uid(cs.get_book(s.name), uid)
        assert contact is not None
        cs.update_contact(contact, text)
    finally:
        close_database()


@pytest.mark.parametrize("server_name", ["radicale", "xandikos", "sabredav"])
def test_one_vanished_card_costs_no_other_its_etag(
    server_name: str, request: pytest.FixtureRequest
) -> None:
    """The client alone: three cards listed without ETag, the ETag-only multiget answers
    404 while one of them is asked for. The other two get their ETags (the batch is
    halved); the third is named unknown — in neither `etags` nor `deleted`."""
    from urllib.parse import urlsplit

    from app.dav import xml
    from app.dav.carddav import CardDavClient
    from app.dav.session import DavSession

    server: DavServer = request.getfixturevalue(f"{server_name}_server")
    book_url = server.make_book()
    names = {f"ak-{c}.vcf" for c in "xyz"}
    for n in sorted(names):
        server.put_card(book_url, n, card(n[:4], f"Person {n[3]}", "+49 30 1"))
    with FaultProxy(server.root_url) as proxy:
        proxy.rewrite = strip_listed_etags(names)
        proxy.on_request = refuse({"ak-x.vcf"}, data=False)
        client = CardDavClient(DavSession(proxy.url, server.user, server.password))
        try:
            path = xml.canonical_path(urlsplit(book_url).path)
            if server.supports_sync_collection:
                listing = client.changes(path, None)
            else:
                listing = client.list_etags(path)
        finally:
            client.close()
    assert {_file(h) for h in listing.etags} == {"ak-y.vcf", "ak-z.vcf"}
    assert all(listing.etags.values())
    assert {_file(h) for h in listing.unknown} == {"ak-x.vcf"}
    assert not listing.complete and not listing.deleted
