"""Reading a refusal's body (app.dav.refusal) and the German text made from it.

The answers in tests/unit/refusals/ were captured from the test servers (Radicale 3,
Xandikos, Debian's SabreDAV 1.8) by tests/servers/capture_refusals.py, byte for byte. The
few bodies written out below are the shapes of servers we do not run here (SabreDAV 4 as
in Nextcloud, RFC 6352's no-uid-conflict with its href, web server error pages) and
hostile ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.dav import xml
from app.dav.errors import CardRejected, HostUnreachable, ServerError
from app.dav.refusal import (
    CARD_REFUSALS,
    EVENT_REFUSALS,
    MAX_MESSAGE,
    ServerWords,
    condition_name,
    read_server_words,
)
from app.dav.session import DavResponse, DavSession

CAPTURED = Path(__file__).parent / "refusals"
CONTENT = (f"{{{xml.CARD}}}valid-", f"{{{xml.CALDAV}}}valid-")  # as CardDavClient has it


def captured(name: str) -> DavResponse:
    """A captured answer: "HTTP <status>", Content-Type line, empty line, body."""
    raw = (CAPTURED / f"{name}.http").read_bytes()
    head, _, body = raw.partition(b"\n\n")
    lines = head.decode().splitlines()
    status = int(lines[0].split()[1])
    headers = {
        k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])
    }
    return DavResponse(status, headers, body, "http://127.0.0.1/x", "PUT")


def answer(status: int, body: bytes | str, ctype: str | None = None) -> DavResponse:
    content = body.encode() if isinstance(body, str) else body
    return DavResponse(status, {"content-type": ctype} if ctype else {}, content, "", "PUT")


def card_text(resp: DavResponse, name: str = "Käthe Weiß") -> str:
    words = read_server_words(resp)
    return CARD_REFUSALS.refusal(resp.status, words, CONTENT).text(name)


# -- the captured answers -------------------------------------------------------------------


def test_sabredav_message_is_the_servers_words_not_element_names() -> None:
    resp = captured("sabredav-put-bad-property")
    words = read_server_words(resp)
    assert words.conditions == ()
    assert words.exception == "Sabre\\DAV\\Exception\\UnsupportedMediaType"
    assert words.message == (
        "This resource only supports valid vcard data. Parse error: Invalid VObject, line 6 "
        "did not follow the icalendar/vcard format"
    )
    text = card_text(resp)
    assert text.startswith("Der Server hat den Kontakt „Käthe Weiß“ abgelehnt: ungültige vCard.")
    assert f"Meldung des Servers: „{words.message}“." in text
    assert "bleibt in Contactbox unverändert" in text
    for leak in ("{http", "sabredav.org/ns", "['", "1.8.12", "Sabre\\"):
        assert leak not in text


def test_xandikos_names_a_caldav_condition_for_a_vcard_and_says_why() -> None:
    resp = captured("xandikos-put-bad-property")
    words = read_server_words(resp)
    assert words.conditions == (f"{{{xml.CALDAV}}}valid-calendar-data",)
    assert (
        words.message == "Not a valid file file: At line 11: Failed to parse line: X-GEBÄUDE:Haus 3"
    )
    # a 412 that names a precondition about the content is a refusal, not a lost race
    assert CARD_REFUSALS.explains(words, CONTENT)
    text = card_text(resp)
    assert "abgelehnt: ungültige vCard." in text
    assert "„Not a valid file file: At line 11: Failed to parse line: X-GEBÄUDE:Haus 3“" in text
    assert "CALDAV" not in text and "valid-calendar-data" not in text
    assert "CALDAV:valid-calendar-data" in words.detail()


def test_xandikos_two_n_in_a_vcard_4() -> None:
    words = read_server_words(captured("xandikos-put-two-n"))
    assert words.message == "Not a valid file file: Invalid VCard file"


@pytest.mark.parametrize("case", ["radicale-put-bad-property", "radicale-put-two-n"])
def test_radicale_gives_no_reason_and_the_report_says_so(case: str) -> None:
    resp = captured(case)
    words = read_server_words(resp)
    assert words.message == "Bad Request" and words.only_reason_phrase(400)
    text = card_text(resp)
    assert "abgelehnt: ungültige vCard." in text
    assert "Der Server nennt keinen näheren Grund („Bad Request“, HTTP 400)." in text
    assert "Meldung des Servers" not in text and "siehe die Meldung" not in text


def test_radicale_uid_conflict() -> None:
    resp = captured("radicale-put-duplicate-uid")
    words = read_server_words(resp)
    assert words.conditions == (xml.NO_UID_CONFLICT,) and words.message == ""
    text = card_text(resp)
    assert "abgelehnt: ein anderer Kontakt im Adressbuch hat dieselbe UID." in text
    assert "Der Server nennt keinen näheren Grund (HTTP 409)." in text
    assert words.detail() == "Bedingung CARDDAV:no-uid-conflict"


@pytest.mark.parametrize(
    "case", ["radicale-put-if-match", "sabredav-put-if-match", "xandikos-put-if-match"]
)
def test_a_failed_if_match_stays_a_failed_if_match(case: str) -> None:
    words = read_server_words(captured(case))
    assert not CARD_REFUSALS.explains(words, CONTENT)


def test_an_empty_html_500_says_nothing() -> None:
    assert read_server_words(captured("sabredav-put-broken-event")) == ServerWords()


@pytest.mark.parametrize(
    ("case", "said"),
    [
        (
            "sabredav-put-todo-in-event-calendar",
            "This calendar only supports VEVENT. We found a VTODO",
        ),
        ("xandikos-put-todo-in-event-calendar", "This calendar does not accept VTODO components."),
    ],
)
def test_a_calendar_that_takes_no_tasks(case: str, said: str) -> None:
    resp = captured(case)
    words = read_server_words(resp)
    assert words.conditions == (f"{{{xml.CALDAV}}}supported-calendar-component",)
    assert words.message == said
    text = EVENT_REFUSALS.refusal(resp.status, words).text("Aufgabe")
    assert text.startswith(
        "Der Server hat den Termin „Aufgabe“ abgelehnt: dieser Kalender nimmt keine Termine auf."
    )
    assert f"„{said}“" in text and "Der Termin bleibt in Contactbox unverändert" in text


# -- shapes of other servers ----------------------------------------------------------------

SABRE4 = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">\n'
    b"  <s:exception>Sabre\\DAV\\Exception\\UnsupportedMediaType</s:exception>\n"
    b"  <s:message>Validation error in vCard: N MUST NOT appear more than once in a VCARD "
    b"component</s:message>\n"
    b"</d:error>\n"
)


def test_sabredav_4_as_nextcloud_sends_it() -> None:
    text = card_text(answer(415, SABRE4, "application/xml; charset=utf-8"))
    assert text == (
        "Der Server hat den Kontakt „Käthe Weiß“ abgelehnt: ungültige vCard. Meldung des "
        "Servers: „Validation error in vCard: N MUST NOT appear more than once in a VCARD "
        "component“. Der Kontakt bleibt in Contactbox unverändert und wird beim nächsten "
        "Abgleich erneut hochgeladen. Damit der Server ihn annimmt, korrigieren Sie ihn bitte "
        "in Contactbox (siehe die Meldung des Servers)."
    )


def test_no_uid_conflict_names_the_card_holding_the_uid() -> None:
    body = (
        '<D:error xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><C:no-uid-conflict>'
        "<D:href>/dav/anna/kontakte/K%C3%A4the%20alt.vcf</D:href></C:no-uid-conflict></D:error>"
    )
    words = read_server_words(answer(409, body, "application/xml"))
    assert words.hrefs == ("/dav/anna/kontakte/K%C3%A4the%20alt.vcf",)
    assert words.message == ""  # the href is not a message
    assert "dieselbe UID („Käthe alt.vcf“)" in card_text(answer(409, body, "application/xml"))


@pytest.mark.parametrize(
    ("condition", "reason"),
    [
        ("<C:valid-address-data/>", "ungültige vCard"),
        ("<C:supported-address-data/>", "der Server nimmt dieses vCard-Format nicht an"),
        ("<C:max-resource-size/>", "zu groß für den Server"),
        ("<D:quota-not-exceeded/>", "kein Speicherplatz mehr frei"),
        ("<D:need-privileges/>", "keine Schreibrechte"),
    ],
)
def test_known_preconditions_in_german(condition: str, reason: str) -> None:
    body = f'<D:error xmlns:D="DAV:" xmlns:C="{xml.CARD}">{condition}</D:error>'
    assert f"abgelehnt: {reason}" in card_text(answer(403, body, "text/xml"))


def test_an_unknown_precondition_still_shows_the_servers_message() -> None:
    body = (
        '<D:error xmlns:D="DAV:" xmlns:X="urn:example:acme"><X:card-limit/>'
        "<D:responsedescription>Maximal 500 Kontakte je Adressbuch</D:responsedescription>"
        "</D:error>"
    )
    text = card_text(answer(403, body, "application/xml"))
    assert "Meldung des Servers: „Maximal 500 Kontakte je Adressbuch“." in text
    assert "{urn" not in text
    bare = card_text(answer(422, '<D:error xmlns:D="DAV:" xmlns:X="urn:x"><X:odd/></D:error>'))
    assert "{urn" not in bare and "['" not in bare


def test_an_unknown_precondition_without_message_is_named_readably() -> None:
    body = '<D:error xmlns:D="DAV:" xmlns:X="urn:example:acme"><X:card-limit/></D:error>'
    text = card_text(answer(418, body, "application/xml"))
    assert "abgelehnt: Bedingung card-limit (urn:example:acme) nicht erfüllt." in text
    assert condition_name(f"{{{xml.CARD}}}no-uid-conflict") == "CARDDAV:no-uid-conflict"


def test_nginx_413_page() -> None:
    page = (
        "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
        "<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx/1.24.0"
        "</center>\r\n</body>\r\n</html>\r\n"
    )
    words = read_server_words(answer(413, page, "text/html"))
    assert words.message == "413 Request Entity Too Large"
    text = card_text(answer(413, page, "text/html"))
    assert "abgelehnt: zu groß für den Server." in text
    assert (
        "Der Server nennt keinen näheren Grund („413 Request Entity Too Large“, HTTP 413)." in text
    )
    assert "großes Foto" in text


def test_apache_page_keeps_the_explanation_and_drops_tags_and_signature() -> None:
    page = (
        '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>403 '
        "Forbidden</title>\n</head><body>\n<h1>Forbidden</h1>\n<p>You don't have permission "
        "to access this resource.</p>\n<hr>\n<address>Apache/2.4.62 (Debian) Server at "
        "dav.example.org Port 443</address>\n</body></html>\n"
    )
    words = read_server_words(answer(403, page, "text/html; charset=iso-8859-1"))
    assert words.message == "Forbidden You don't have permission to access this resource."


def test_message_is_bounded_and_plain() -> None:
    long = "Fehler: " + "sehr lang " * 100 + "\x00\x07Ende"
    words = read_server_words(answer(400, long, "text/plain"))
    assert len(words.message) <= MAX_MESSAGE and words.message.endswith("…")
    assert "\x00" not in words.message and "  " not in words.message


def test_no_credentials_in_the_servers_words() -> None:
    body = (
        "<d:error xmlns:d='DAV:' xmlns:s='http://sabredav.org/ns'><s:message>Kein Zugriff "
        "auf https://anna:Geheim-123@dav.example.org/dav/ mit Geheim-123</s:message></d:error>"
    )
    words = read_server_words(answer(403, body, "application/xml"), ["Geheim-123"])
    assert "Geheim-123" not in words.message and "anna:" not in words.message
    assert "https://dav.example.org/dav/" in words.message


def test_hostile_xml_is_not_read_as_xml() -> None:
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE d:error [<!ENTITY x "boom">]>'
        b'<d:error xmlns:d="DAV:">&x;</d:error>'
    )
    words = read_server_words(answer(400, hostile, "application/xml"))
    assert words.conditions == () and "boom" not in words.message


# -- in the errors -----------------------------------------------------------------------------


def test_card_rejected_names_the_item_once_its_name_is_known() -> None:
    resp = answer(415, SABRE4, "application/xml")
    words = read_server_words(resp)
    exc = CardRejected(status=415, refusal=CARD_REFUSALS.refusal(415, words, CONTENT))
    assert exc.message.startswith("Der Server hat den Kontakt abgelehnt: ungültige vCard.")
    assert exc.message_for("Käthe Weiß").startswith(
        "Der Server hat den Kontakt „Käthe Weiß“ abgelehnt: ungültige vCard."
    )
    assert ServerError("x").message_for("Käthe Weiß") == "x"


def test_session_quotes_the_server_in_its_errors_but_never_the_password() -> None:
    session = DavSession("http://127.0.0.1:9/", "anna", "Geheim-123")
    try:
        body = (
            '<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns"><s:exception>Sabre\\DAV'
            "\\Exception</s:exception><s:message>Datenbank gesperrt (Geheim-123)</s:message>"
            "</d:error>"
        )
        resp = DavResponse(500, {"content-type": "application/xml"}, body.encode(), "/x", "PUT")
        exc = session._status_error(resp)
        assert isinstance(exc, ServerError) and exc.status == 500
        assert exc.message.endswith("Meldung des Servers: „Datenbank gesperrt (***)“.")
        assert exc.server_text == "Datenbank gesperrt (***)"
        assert "Geheim-123" not in str(exc) and "Geheim-123" not in exc.detail
        plain = session._status_error(DavResponse(502, {}, b"Bad Gateway", "/x", "GET"))
        assert "Meldung des Servers" not in plain.message
    finally:
        session.close()


def test_an_invalid_address_is_not_repeated_with_its_password() -> None:
    with pytest.raises(HostUnreachable) as info:
        DavSession("ftp://anna:Geheim-123@dav.example.org/", "anna", "Geheim-123")
    assert "Geheim-123" not in str(info.value) and "anna:" not in info.value.detail
