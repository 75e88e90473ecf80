"""Capture what the test servers answer when they refuse a write: the fixtures of
tests/unit/test_refusal.py (tests/unit/refusals/<server>-<case>.http).

    PYTHONPATH=. .venv/bin/python -m tests.servers.capture_refusals

Only refusals are kept (what a server accepts is printed). Each file holds the answer as
received: "HTTP <status>", the Content-Type line (if any), an empty line, then the body
bytes unchanged. Run it again after a server update and look at the diff: the unit tests
then tell whether our reading still holds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from urllib.parse import urljoin

from app.dav import caldav
from app.dav.session import DavSession
from tests.servers.dav_servers import DavServer, start_radicale, start_sabredav, start_xandikos

OUT = Path(__file__).resolve().parents[1] / "unit" / "refusals"
VCARD = "text/vcard; charset=utf-8"
ICAL = "text/calendar; charset=utf-8"


def card(uid: str, *extra: str, version: str = "3.0") -> str:
    lines = ["BEGIN:VCARD", f"VERSION:{version}", f"UID:{uid}", "FN:Käthe Weiß", "N:Weiß;Käthe;;;"]
    return "\r\n".join([*lines, *extra, "END:VCARD"]) + "\r\n"


#: A property name outside RFC 6350's ALPHA / DIGIT / "-": all three servers refuse it.
BAD_PROPERTY = card("cap-bad", "X-GEBÄUDE:Haus 3")
#: vCard 4.0 allows one N only (RFC 6350 §6.2.2: *1); Radicale and Xandikos refuse two.
TWO_N = card("cap-two-n", "N:Zwei;Namen;;;", version="4.0")
TODO = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VTODO\r\n"
    "UID:cap-todo\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:Aufgabe\r\nEND:VTODO\r\n"
    "END:VCALENDAR\r\n"
)
BROKEN_EVENT = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\n"
    "UID:cap-ev\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:kein-datum\r\nSUMMARY:Kaputt\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def save(server: str, case: str, resp: object) -> None:
    """Keep a refusal; an answer that accepted the write is only reported."""
    status = int(getattr(resp, "status_code", 0) or 0)
    if status < 400:
        print(f"{server}-{case}: HTTP {status}, angenommen (nicht gespeichert)")
        return
    headers = getattr(resp, "headers", {})
    ctype = headers.get("Content-Type")
    head = f"HTTP {status}\n" + (f"Content-Type: {ctype}\n" if ctype else "") + "\n"
    (OUT / f"{server}-{case}.http").write_bytes(
        head.encode() + (getattr(resp, "content", b"") or b"")
    )
    print(f"{server}-{case}: HTTP {status}")


def put(s: DavServer, url: str, text: str, ctype: str, **headers: str) -> object:
    return s.request("PUT", url, body=text.encode(), headers={"Content-Type": ctype, **headers})


def capture(s: DavServer) -> None:
    book = s.make_book()
    save(s.name, "put-bad-property", put(s, s.card_url(book, "bad.vcf"), BAD_PROPERTY, VCARD))
    save(s.name, "put-two-n", put(s, s.card_url(book, "two-n.vcf"), TWO_N, VCARD))
    s.put_card(book, "eins.vcf", card("cap-dup"))
    save(s.name, "put-duplicate-uid", put(s, s.card_url(book, "zwei.vcf"), card("cap-dup"), VCARD))
    save(
        s.name,
        "put-if-match",
        put(s, s.card_url(book, "eins.vcf"), card("cap-dup"), VCARD, **{"If-Match": '"alt"'}),
    )
    with DavSession(s.root_url, s.user, s.password) as session:
        home = caldav.find_calendar_homes(session)[0]
        cal = caldav.make_calendar(session, home, f"Erfassung {uuid.uuid4().hex[:6]}")
    cal_url = urljoin(s.root_url, cal.href)
    save(s.name, "put-todo-in-event-calendar", put(s, urljoin(cal_url, "todo.ics"), TODO, ICAL))
    save(s.name, "put-broken-event", put(s, urljoin(cal_url, "kaputt.ics"), BROKEN_EVENT, ICAL))


STARTERS: dict[str, Callable[[], AbstractContextManager[DavServer]]] = {
    "radicale": start_radicale,
    "xandikos": start_xandikos,
    "sabredav": start_sabredav,
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for start in STARTERS.values():
        with start() as server:
            capture(server)


if __name__ == "__main__":
    main()
