"""vCard 4.0 is asked for where the server lists it, and every card keeps its version.

Against Radicale, Xandikos and Debian's SabreDAV 1.8, each behind a recording proxy
(tests/robustness/faultproxy.py, no faults): what each server lists in
CARD:supported-address-data, what Contactbox asks for (the multiget's
`<C:address-data version=…>`, a GET's Accept), and a 4.0 card (ALTID, KIND, GENDER,
LANG, a tel: URI) and a 3.0 card that are synced down, edited with `contacts edit` and
synced up: both keep their version, locally and on the server, and the 4.0-only lines
stay as they were. None of the three lists 4.0 here (see LISTED); where a test needs a
server that does, the proxy adds it to the listing.

None of the three converts cards. SabreDAV 3+ does (Nextcloud, ownCloud): asked without a
version it hands out every stored 4.0 card as 3.0, and an edit wrote 3.0 back. The last
test puts a proxy in front of Radicale that converts like that, and shows the 4.0 card
survives the round trip because 4.0 is asked for.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from app import vcard
from app.dav import xml
from app.dav.carddav import ACCEPT_4, ACCEPT_ANY, CardDavClient
from app.dav.discovery import book_state
from app.dav.session import DavSession
from app.store import contacts as cs
from app.store.db import close_database, open_database
from tests.robustness.faultproxy import FaultProxy, Logged
from tests.robustness.test_concurrent_edit import Setup, proxied_book
from tests.servers.dav_servers import SERVER_NAMES, DavServer

pytestmark = pytest.mark.servers

CARD_NS = "urn:ietf:params:xml:ns:carddav"

# What each server here lists in supported-address-data, as Contactbox reads it
# (xml.address_data_versions): Radicale 3.9 lists 3.0 (4.0 as well only with vobject
# >= 1.0; this environment has 0.9.9); SabreDAV 1.8 lists 3.0 (4.0 is commented out in
# its SupportedAddressData); Xandikos 0.4 lists 3.0, but as <C:content-type …/>, not
# RFC 6352's <C:address-data-type …/>: to a client that reads the RFC, nothing is listed.
# So none lists 4.0: the proxy adds it to the listing where a test needs a server that does.
LISTED = {"radicale": ("3.0",), "sabredav": ("3.0",), "xandikos": ()}

UID_40 = "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
# tests/unit/cards/altid_40.vcf (the two N of ALTID 1 left out: SabreDAV 1.8's VObject
# takes them, but this test is about versions, not about N) with KIND and a tel: URI.
CARD_40 = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    f"UID:{UID_40}\r\n"
    "KIND:individual\r\n"
    "FN;ALTID=1;LANGUAGE=de:Jürgen Weber\r\n"
    "FN;ALTID=1;LANGUAGE=ja:ユルゲン・ヴェーバー\r\n"
    "N:Weber;Jürgen;;;\r\n"
    "ORG:Weber Präzisionstechnik GmbH\r\n"
    "TITLE;ALTID=2;LANGUAGE=de:Exportleiter\r\n"
    "TITLE;ALTID=2;LANGUAGE=en:Head of Export\r\n"
    "EMAIL;TYPE=work;PREF=1:j.weber@weber-praezision.de\r\n"
    'TEL;VALUE=uri;TYPE="voice,work":tel:+49-7031-998877\r\n'
    "GENDER:M\r\n"
    "ANNIVERSARY:20100612\r\n"
    "LANG;PREF=1:de\r\n"
    "LANG;PREF=2:en\r\n"
    "REV:20240301T120000Z\r\n"
    "END:VCARD\r\n"
)
# Lines only vCard 4.0 has (or writes this way): they must come back unchanged.
ONLY_40 = [
    "KIND:individual",
    "FN;ALTID=1;LANGUAGE=de:Jürgen Weber",
    "FN;ALTID=1;LANGUAGE=ja:ユルゲン・ヴェーバー",
    "TITLE;ALTID=2;LANGUAGE=de:Exportleiter",
    "TITLE;ALTID=2;LANGUAGE=en:Head of Export",
    "EMAIL;TYPE=work;PREF=1:j.weber@weber-praezision.de",
    "GENDER:M",
    "ANNIVERSARY:20100612",
    "LANG;PREF=1:de",
    "LANG;PREF=2:en",
]
ONLY_40_TEXT = "\n".join(ONLY_40)
UID_30 = "versions-30-erika"
CARD_30 = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    f"UID:{UID_30}\r\n"
    "FN:Erika Mustermann\r\n"
    "N:Mustermann;Erika;;;\r\n"
    "EMAIL;TYPE=INTERNET,WORK:erika@example.org\r\n"
    "TEL;TYPE=CELL:+49 170 1234567\r\n"
    "item1.URL:https://example.org/erika\r\n"
    "item1.X-ABLabel:Blog\r\n"
    "END:VCARD\r\n"
)
ONLY_30 = [
    "EMAIL;TYPE=INTERNET,WORK:erika@example.org",
    "item1.URL:https://example.org/erika",
    "item1.X-ABLabel:Blog",
]
ONLY_30_TEXT = "\n".join(ONLY_30)


def lines(text: str) -> list[str]:
    """Content lines, unfolded, without line-ending differences, names upper case and
    parameters in one order (Radicale re-serializes a card it stores:
    `EMAIL;PREF=1;TYPE=work`, `item1.X-ABLABEL`)."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text.replace("\r\n", "\n"))
    return [_sorted_params(line) for line in unfolded.split("\n") if line]


def _sorted_params(line: str) -> str:
    head, sep, value = line.partition(":")
    if '"' in head:
        return line  # (none of the lines compared here quotes a parameter)
    name, *params = head.split(";")
    return ";".join([name.upper(), *sorted(params)]) + sep + value  # ITEM1.X-ABLABEL


def version(text: str) -> str:
    return next(line for line in lines(text) if line.startswith("VERSION:"))


@pytest.fixture(params=[pytest.param(name, marks=pytest.mark.servers) for name in SERVER_NAMES])
def proxied(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[Setup]:
    """A fresh book on each server, the account "Test" behind a recording FaultProxy."""
    server: DavServer = request.getfixturevalue(f"{request.param}_server")
    with proxied_book(server, "Versionen", tmp_path, monkeypatch, capsys) as s:
        yield s


class Shaped:
    """The proxy's part: records every request (log entry, body); with `offer_4` the book
    lists vCard 4.0 as well (as Radicale with vobject >= 1.0, SabreDAV 3+ do); with
    `convert` it answers like SabreDAV 3+ (Nextcloud, ownCloud): a card goes out as
    vCard 4.0 only to a multiget whose address-data asks for version 4.0, or a GET whose
    Accept names text/vcard;version=4.0 first, and as 3.0 to everyone else."""

    def __init__(self, proxy: FaultProxy, *, offer_4: bool = False, convert: bool = False):
        self.seen: list[tuple[Logged, bytes]] = []
        self.offer_4 = offer_4
        self.convert = convert
        self.converted = 0
        self.asked = threading.local()  # a request and its answer share one handler thread
        proxy.on_request = self.request
        proxy.rewrite = self.answer

    # -- what Contactbox sent --------------------------------------------------------------

    def address_data(self) -> list[dict[str, str]]:
        """The attributes of CARD:address-data in every multiget that asked for cards."""
        out = []
        for entry, body in self.seen:
            if entry.method != "REPORT" or b"addressbook-multiget" not in body:
                continue
            el = etree.fromstring(body).find(f".//{{{CARD_NS}}}address-data")
            if el is not None:
                out.append(dict(el.attrib))
        return out

    def accepts(self) -> list[str]:
        return [e.headers.get("Accept", "") for e, _ in self.seen if e.method == "GET"]

    # -- the proxy's hooks -----------------------------------------------------------------

    def request(self, entry: Logged, body: bytes) -> None:
        self.seen.append((entry, body))
        wants = False
        if entry.method == "REPORT" and b"addressbook-multiget" in body:
            el = etree.fromstring(body).find(f".//{{{CARD_NS}}}address-data")
            wants = el is not None and el.get("version") == "4.0"
        elif entry.method == "GET":
            accept = entry.headers.get("Accept", "").split(",")[0].replace(" ", "")
            wants = accept.lower() == "text/vcard;version=4.0"
        self.asked.v4 = wants

    def answer(self, method: str, path: str, status: int, body: bytes) -> bytes:
        if method == "PROPFIND" and status == 207 and self.offer_4:
            return self._listing_4(body)
        if not self.convert or getattr(self.asked, "v4", False):
            return body
        if method == "GET" and status == 200:
            return self._to_30(body.decode("utf-8")).encode("utf-8")
        if method != "REPORT" or status != 207 or b"address-data" not in body:
            return body
        root = etree.fromstring(body)
        for el in root.iter(f"{{{CARD_NS}}}address-data"):
            if el.text:
                el.text = self._to_30(el.text)
        return etree.tostring(root, xml_declaration=True, encoding="utf-8")

    def _listing_4(self, body: bytes) -> bytes:
        root = etree.fromstring(body)
        found = list(root.iter(f"{{{CARD_NS}}}supported-address-data"))
        for el in found:
            etree.SubElement(
                el,
                f"{{{CARD_NS}}}address-data-type",
                {"content-type": "text/vcard", "version": "4.0"},
            )
        return etree.tostring(root, xml_declaration=True, encoding="utf-8") if found else body

    def _to_30(self, text: str) -> str:
        if "VERSION:4.0" not in text:
            return text
        self.converted += 1
        return vcard.convert(text, "3.0")


def _local(s: Setup) -> dict[str, str]:
    open_database(s.db)
    try:
        return {c.uid: c.vcard for c in cs.live_contacts(cs.get_book(s.name))}
    finally:
        close_database()


def _server(s: Setup) -> dict[str, str]:
    return {vcard.summarize(t).uid or "": t for t in s.server.list_cards(s.book_url).values()}


def test_what_each_server_lists_in_supported_address_data(proxied: Setup) -> None:
    s = proxied
    session = DavSession(s.server.root_url, s.server.user, s.server.password)
    book = book_state(session, urlsplit(s.book_url).path)
    assert book.vcard_versions == LISTED[s.server.name]
    # What the property holds, element by element (the raw truth behind LISTED).
    prop = f"{{{CARD_NS}}}supported-address-data"
    found = s.server.propfind(s.book_url, [prop])
    el = next(iter(found.values()))[prop]
    raw = [(child.tag.split("}")[1], child.get("version")) for child in el]
    expected = {
        "radicale": [("address-data-type", "3.0")],
        "sabredav": [("address-data-type", "3.0")],
        "xandikos": [("content-type", "3.0")],
    }
    assert raw == expected[s.server.name]


@pytest.mark.parametrize("offer_4", [False, True], ids=["as-listed", "4.0-listed"])
def test_a_4_0_card_edited_in_contactbox_stays_4_0_and_a_3_0_card_3_0(
    proxied: Setup, offer_4: bool
) -> None:
    """as-listed: the server's own listing (no 4.0); 4.0-listed: the proxy adds 4.0 to
    supported-address-data, so Contactbox asks every multiget for 4.0 — which the real
    server behind it answers with the card as stored."""
    s = proxied
    s.server.put_card(s.book_url, "weber.vcf", CARD_40)
    s.server.put_card(s.book_url, "erika.vcf", CARD_30)
    shaped = Shaped(s.proxy, offer_4=offer_4)

    code, report = s.sync("server")  # an unbound book: discovered, bound, synced
    assert code == 0, report
    assert report["totals"]["added_local"] == 2

    # The request: 4.0 where the book lists it, no version (the server's default) where not.
    asked = shaped.address_data()
    assert asked, "no multiget with address-data was sent"
    if offer_4:
        assert all(a == {"content-type": "text/vcard", "version": "4.0"} for a in asked), asked
    else:
        assert all(a == {} for a in asked), asked

    local = _local(s)
    assert version(local[UID_40]) == "VERSION:4.0"
    assert version(local[UID_30]) == "VERSION:3.0"
    assert set(lines(ONLY_40_TEXT)) <= set(lines(local[UID_40]))

    # Edited in Contactbox: the phone of each.
    for uid, tel in ((UID_40, "+49 7031 111222"), (UID_30, "+49 170 7654321")):
        code, out = s.cli("contacts", "edit", uid, "--book", s.name, "--phone", tel)
        assert code == 0, out
    local = _local(s)
    assert version(local[UID_40]) == "VERSION:4.0", local[UID_40]
    assert version(local[UID_30]) == "VERSION:3.0", local[UID_30]
    assert set(lines(ONLY_40_TEXT)) <= set(lines(local[UID_40]))
    assert "+49 7031 111222" in local[UID_40] and "998877" not in local[UID_40]

    code, report = s.sync("server")  # now bound: the listing kept on the binding is used
    assert code == 0, report
    assert report["totals"]["updated_server"] == 2, report

    on_server = _server(s)
    assert version(on_server[UID_40]) == "VERSION:4.0", on_server[UID_40]
    assert set(lines(ONLY_40_TEXT)) <= set(lines(on_server[UID_40])), on_server[UID_40]
    assert any(
        line.startswith("TEL") and line.endswith(":+49 7031 111222")
        for line in lines(on_server[UID_40])
    ), on_server[UID_40]
    assert version(on_server[UID_30]) == "VERSION:3.0", on_server[UID_30]
    assert set(lines(ONLY_30_TEXT)) <= set(lines(on_server[UID_30])), on_server[UID_30]
    assert "+49 170 7654321" in on_server[UID_30]

    # The next run finds nothing to do: what went up is what Contactbox holds.
    code, report = s.sync("server")
    assert code == 0, report
    totals = report["totals"]
    assert not any(totals[k] for k in ("added_local", "updated_local", "updated_server")), totals
    assert all(a == asked[0] for a in shaped.address_data())


def test_get_asks_for_the_listed_version(proxied: Setup) -> None:
    """A single card's GET (a multiget answer without ETag, a lost upload answer) asks
    for 4.0 first where the book lists it, and as before where not; each server hands
    the card out as stored either way."""
    s = proxied
    s.server.put_card(s.book_url, "weber.vcf", CARD_40)
    shaped = Shaped(s.proxy)
    book_url = s.proxy.url.rstrip("/") + urlsplit(s.book_url).path
    client = CardDavClient(DavSession(book_url, s.server.user, s.server.password))
    card_path = urlsplit(s.server.card_url(s.book_url, "weber.vcf")).path

    fetched = []
    for listed in [("3.0", "4.0"), ("3.0",), (), ("4.0",)]:
        client.use_versions(book_url, listed)
        # another book's listing is not this one's
        client.use_versions(book_url.rstrip("/") + "-anderes/", ("3.0",) if listed else ("4.0",))
        fetched.append(client.get(card_path))
    assert all(c is not None and c.etag for c in fetched)
    assert all(set(lines(ONLY_40_TEXT)) <= set(lines(c.text)) for c in fetched if c is not None)
    with_4, only_3, nothing, only_4 = shaped.accepts()
    assert with_4 == only_4 == ACCEPT_4
    assert with_4.startswith("text/vcard;version=4.0,") and "version=3.0;q=0.9" in with_4
    assert only_3 == nothing == ACCEPT_ANY
    assert "version" not in only_3

    got = list(client.multiget(book_url, [card_path]))  # still 4.0 listed
    assert [c.href for c in got] == [xml.canonical_path(card_path)]
    assert set(lines(ONLY_40_TEXT)) <= set(lines(got[0].text))
    assert shaped.address_data() == [{"content-type": "text/vcard", "version": "4.0"}]


# -- a server that converts, as SabreDAV 3+ does ------------------------------------------


@pytest.mark.parametrize("offer_4", [True, False], ids=["4.0-listed", "3.0-only"])
def test_a_converting_server_hands_out_4_0_because_it_is_asked_for(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    offer_4: bool,
) -> None:
    """Radicale behind a proxy that converts like SabreDAV 3+. Listing 4.0 (as SabreDAV 3+
    does), the 4.0 card comes down as 4.0 and goes back as 4.0 after an edit. Listing
    only 3.0, Contactbox asks as before and gets the 3.0 the server hands out (what a
    client that does not ask for 4.0 got from Nextcloud for every card)."""
    with proxied_book(radicale_server, "Wandelt", tmp_path, monkeypatch, capsys) as s:
        s.server.put_card(s.book_url, f"{uuid.uuid4().hex}.vcf", CARD_40)
        shaped = Shaped(s.proxy, offer_4=offer_4, convert=True)
        code, report = s.sync("server")
        assert code == 0, report
        local = _local(s)[UID_40]
        if not offer_4:
            assert shaped.converted == 1
            assert version(local) == "VERSION:3.0"
            return
        assert shaped.converted == 0
        assert version(local) == "VERSION:4.0", local
        code, out = s.cli("contacts", "edit", UID_40, "--book", s.name, "--phone", "+49 1")
        assert code == 0, out
        code, report = s.sync("server")
        assert code == 0, report
        assert report["totals"]["updated_server"] == 1, report
        on_server = _server(s)[UID_40]
        assert version(on_server) == "VERSION:4.0", on_server
        assert set(lines(ONLY_40_TEXT)) <= set(lines(on_server)), on_server
        assert shaped.converted == 0
        # The proxy does convert: a client asking without a version gets 3.0 from it.
        client = CardDavClient(DavSession(s.proxy.url, s.server.user, s.server.password))
        href = next(iter(s.server.list_etags(s.book_url)))
        old_style = client.get(href)
        assert old_style is not None and version(old_style.text) == "VERSION:3.0"
        assert shaped.converted == 1
