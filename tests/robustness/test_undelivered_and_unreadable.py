"""Two different notes: "listed, but not delivered" and "delivered, but not readable".

Real servers behind `FaultProxy`, which edits the multiget answers: one object the
listing names is left out of the answer, another is answered 404 inside the multistatus
(SabreDAV-style), and a GET of either is refused too (500, 404); a third object arrives
but cannot be parsed. The report names the first two in one note ("vom Server
aufgeführt, aber nicht geliefert", each with the answer its GET got) and the third in
another ("geliefert, aber nicht lesbar", with why) — for address books and calendars
alike. Once the server delivers them, the next run takes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from lxml import etree

from tests.robustness.faultproxy import Logged
from tests.robustness.test_concurrent_edit import Setup, card, proxied_book
from tests.servers.calendar_env import calendar_env
from tests.servers.conftest import sabredav_server, xandikos_server  # noqa: F401
from tests.servers.dav_servers import DavServer

pytestmark = pytest.mark.servers

DAV = "{DAV:}"
ABSENT, NOT_FOUND, BROKEN, FINE = "weg", "fehlt", "unlesbar", "gut"


def _file(href: str) -> str:
    return unquote(href.strip().rsplit("/", 1)[-1])


def spoil_multiget(
    ext: str, data_tag: str, begin: bytes
) -> Callable[[str, str, int, bytes], bytes]:
    """Multiget answers lose ABSENT, answer 404 for NOT_FOUND, spoil BROKEN's data."""

    def rewrite(method: str, path: str, status: int, body: bytes) -> bytes:
        if method == "GET" and _file(path) == f"{BROKEN}{ext}":
            return body.replace(begin, b"BEGIN:KAPUTT")
        if method != "REPORT" or status != 207 or data_tag.encode() not in body:
            return body
        root = etree.fromstring(body)
        for response in list(root.iter(f"{DAV}response")):
            name = _file(response.findtext(f"{DAV}href") or "")
            if name == f"{ABSENT}{ext}":
                response.getparent().remove(response)
            elif name == f"{NOT_FOUND}{ext}":
                for child in list(response):
                    if child.tag != f"{DAV}href":
                        response.remove(child)
                etree.SubElement(response, f"{DAV}status").text = "HTTP/1.1 404 Not Found"
            elif name == f"{BROKEN}{ext}":
                for el in response.iter():
                    if isinstance(el.tag, str) and el.tag.endswith(data_tag) and el.text:
                        el.text = el.text.replace(begin.decode(), "BEGIN:KAPUTT")
        return etree.tostring(root, xml_declaration=True, encoding="utf-8")

    return rewrite


def refuse_gets(ext: str) -> Callable[[Logged, bytes], None]:
    """A GET of ABSENT answers 500, one of NOT_FOUND 404."""

    def hook(entry: Logged, body: bytes) -> None:
        if entry.method == "GET" and _file(entry.path) == f"{ABSENT}{ext}":
            entry.fault = "status_500"
        elif entry.method == "GET" and _file(entry.path) == f"{NOT_FOUND}{ext}":
            entry.fault = "status_404"

    return hook


def the_two_notes(notes: list[str], ext: str, items: str, item: str) -> tuple[str, str]:
    """The note on what was not delivered (two `items`) and the one on what was not
    readable (one `item`: the singular)."""
    listed = [n for n in notes if "vom Server aufgeführt, aber nicht geliefert" in n]
    unread = [n for n in notes if "geliefert, aber nicht lesbar" in n]
    assert len(listed) == 1 and len(unread) == 1, notes
    assert listed[0].startswith(f"2 {items} "), listed
    assert f"„{ABSENT}{ext}“ – auf Einzelabfrage HTTP 500 „kaputt“" in listed[0], listed
    assert f"„{NOT_FOUND}{ext}“ – auf Einzelabfrage nicht gefunden" in listed[0], listed
    named = {n: f"„{n}{ext}“" for n in (ABSENT, NOT_FOUND, BROKEN, FINE)}
    assert named[BROKEN] not in listed[0] and named[FINE] not in listed[0]
    assert unread[0].startswith(f"1 {item} "), unread
    assert f"„{BROKEN}{ext}“ – " in unread[0], unread
    assert all(named[n] not in unread[0] for n in (ABSENT, NOT_FOUND, FINE)), unread
    return listed[0], unread[0]


@pytest.fixture
def proxied(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[Setup]:
    server: DavServer = request.getfixturevalue(f"{request.param}_server")
    with proxied_book(server, "Zwei Hinweise", tmp_path, monkeypatch, capsys) as s:
        yield s


@pytest.mark.parametrize("proxied", ["radicale", "xandikos", "sabredav"], indirect=True)
def test_contacts_listed_but_not_delivered_and_delivered_but_unreadable(proxied: Setup) -> None:
    s = proxied
    for i, name in enumerate((FINE, ABSENT, NOT_FOUND, BROKEN)):
        s.server.put_card(
            s.book_url, f"{name}.vcf", card(f"zh-{name}", f"Person {name}", f"+49 {i}")
        )
    s.proxy.rewrite = spoil_multiget(".vcf", "address-data", b"BEGIN:VCARD")
    s.proxy.on_request = refuse_gets(".vcf")
    code, report = s.sync("server")
    assert code == 3, report  # the unreadable card is an item error
    book = report["books"][0]
    the_two_notes(book["notes"], ".vcf", "Karten", "Karte")
    assert [(e["name"], e["action"]) for e in book["errors"]] == [(f"{BROKEN}.vcf", "read")]
    assert "BEGIN:VCARD" in book["errors"][0]["message"]  # why: the vCard's frame is missing
    assert set(s.local()[0]) == {f"zh-{FINE}"}

    # Delivered now: taken over, no note left.
    s.proxy.rewrite = None
    s.proxy.on_request = None
    s.server.put_card(
        s.book_url, f"{BROKEN}.vcf", card(f"zh-{BROKEN}", "Person repariert", "+49 9")
    )
    code, report = s.sync("server")
    assert code == 0, report
    assert not any(
        "nicht geliefert" in n or "nicht lesbar" in n for n in report["books"][0]["notes"]
    )
    assert set(s.local()[0]) == {f"zh-{n}" for n in (FINE, ABSENT, NOT_FOUND, BROKEN)}


def event(uid: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250702T100000Z\r\n"
        f"DTEND:20250702T110000Z\r\nSUMMARY:Termin {uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


@pytest.mark.parametrize("server_name", ["radicale", "sabredav"])
def test_appointments_listed_but_not_delivered_and_delivered_but_unreadable(
    server_name: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server: DavServer = request.getfixturevalue(f"{server_name}_server")
    with calendar_env(server, tmp_path, monkeypatch, capsys, proxied=True) as env:
        assert env.proxy is not None
        for name in (FINE, ABSENT, NOT_FOUND, BROKEN):
            env.put(name, event(f"zh-{name}"))
        env.proxy.rewrite = spoil_multiget(".ics", "calendar-data", b"BEGIN:VCALENDAR")
        env.proxy.on_request = refuse_gets(".ics")
        book: dict[str, Any] = env.run()
        the_two_notes(book["notes"], ".ics", "Termine", "Termin")
        assert [(e["name"], e["action"]) for e in book["errors"]] == [(f"{BROKEN}.ics", "read")]
        assert set(env.local()) == {f"zh-{FINE}"}

        env.proxy.rewrite = None
        env.proxy.on_request = None
        book = env.run()
        assert not any("nicht geliefert" in n or "nicht lesbar" in n for n in book["notes"])
        assert set(env.local()) == {f"zh-{n}" for n in (FINE, ABSENT, NOT_FOUND)}
