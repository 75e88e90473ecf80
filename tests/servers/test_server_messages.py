"""A card the server refuses: the report says why in the server's own words, and the
local card stays exactly as it was, still waiting for its upload.

Real refusals of the three test servers (tests/unit/refusals/ has their bodies):

* a property name outside RFC 6350's ALPHA / DIGIT / "-" ("X-GEBÄUDE"): Radicale 400
  "Bad Request" (no reason given), Xandikos 412 + CALDAV:valid-calendar-data with its
  parser's message, SabreDAV 1.8 415 with s:message "… Parse error: Invalid VObject, line
  6 did not follow the icalendar/vcard format";
* a vCard 4.0 with two N (RFC 6350 §6.2.2 allows one): Radicale 400, Xandikos 412
  "Invalid VCard file" (Debian's SabreDAV 1.8 takes it; SabreDAV 4 as in Nextcloud says
  "N MUST NOT appear more than once": tests/unit/test_refusal.py);
* a card whose UID another client used first (Radicale 409 CARDDAV:no-uid-conflict).

Before, the report showed "['{http://sabredav.org/ns}exception', …]" or only our generic
sentence.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from app.store import contacts as cs
from app.store.models import Contact
from app.sync.report import RunReport, format_text
from tests.robustness.faultproxy import FaultProxy, Logged
from tests.servers.cards import simple_card
from tests.servers.dav_servers import DavServer
from tests.servers.test_sync_engine import Env, cli_env, fresh_book_env

NAME = "Käthe Weiß"
BAD_PROPERTY = simple_card("sw-kaethe", NAME, "kaethe@example.de", extra="X-GEBÄUDE:Haus 3")
TWO_N = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:sw-kaethe\r\nFN:Käthe Weiß\r\nN:Weiß;Käthe;;;\r\n"
    "N:Weiss;Kaethe;;;\r\nEMAIL:kaethe@example.de\r\nEND:VCARD\r\n"
)
GOOD = simple_card("sw-otto", "Otto Normal", "otto@example.de")

#: What each server says about each card, as the report must quote it (fragments).
SAYS: dict[tuple[str, str], tuple[str, ...]] = {
    ("radicale", "bad-property"): (
        "Der Server nennt keinen näheren Grund („Bad Request“, HTTP 400).",
    ),
    ("xandikos", "bad-property"): (
        "Meldung des Servers: „Not a valid ",  # "file file" on a create, "vCard file" after
        "Failed to parse line: X-GEBÄUDE:Haus 3“.",
    ),
    ("xandikos", "two-n"): ("Meldung des Servers: „Not a valid ", " file: Invalid VCard file“."),
    ("sabredav", "bad-property"): (
        "Meldung des Servers: „This resource only supports valid vcard data. Parse error: "
        "Invalid VObject, line ",
        " did not follow the icalendar/vcard format“.",
    ),
}
CARDS = {"bad-property": BAD_PROPERTY, "two-n": TWO_N}


@pytest.fixture
def env(
    dav_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Env:
    return fresh_book_env("Abgelehnt", dav_server, tmp_path, monkeypatch, capsys)


def run(env: Env) -> tuple[dict[str, Any], str]:
    """A two-way run: (its report as JSON, the report as the terminal shows it)."""
    code, data = env.run_cli(
        "run", "Test", "--book", env.name, "--mode", "sync", "--option", "server", "--json"
    )
    assert code in (0, 3), data
    return data, format_text(RunReport.from_dict(data))


def planned(env: Env) -> dict[str, Any]:
    code, data = env.run_cli(
        "check", "Test", "--book", env.name, "--mode", "sync", "--option", "server", "--json"
    )
    assert code == 0, data
    book: dict[str, Any] = data["books"][0]
    return book


def stored(env: Env, uid: str) -> str:
    contact = cs.find_live_by_uid(cs.get_book(env.name), uid)
    assert contact is not None
    return str(contact.vcard)


def assert_told_in_the_servers_words(
    data: dict[str, Any], text: str, says: tuple[str, ...]
) -> None:
    errors = data["books"][0]["errors"]
    assert len(errors) == 1, errors
    message = errors[0]["message"]
    assert message.startswith(f"Der Server hat den Kontakt „{NAME}“ abgelehnt: "), message
    assert all(part in message for part in says), message
    assert "bleibt in Contactbox unverändert" in message
    for leak in ("{http", "{urn", "['", "sabredav.org", "Sabre\\"):
        assert leak not in message and leak not in text, (leak, message)
    assert f"Fehler bei {NAME}: {message}" in text, text


@pytest.mark.parametrize("card", ["bad-property", "two-n"])
def test_a_refused_new_card_is_told_in_the_servers_words_and_kept(env: Env, card: str) -> None:
    key = (env.server.name, card)
    book = cs.ensure_book(env.name)
    cs.add_contact(book, CARDS[card])
    cs.add_contact(book, GOOD)
    before = stored(env, "sw-kaethe")
    if key not in SAYS:
        # SabreDAV 1.8 takes two N; Radicale takes the card as it goes up today (vCard 3.0):
        # then it simply arrives, with no error, and the local card stays as it was.
        data, _text = run(env)
        assert data["books"][0]["errors"] == [] and data["books"][0]["added_server"] == 2
        assert set(env.server_cards()) == {"sw-otto", "sw-kaethe"}
        assert stored(env, "sw-kaethe") == before
        return

    data, text = run(env)
    assert data["books"][0]["added_server"] == 1  # the good card went up
    assert_told_in_the_servers_words(data, text, SAYS[key])
    assert stored(env, "sw-kaethe") == before  # byte for byte
    assert set(env.server_cards()) == {"sw-otto"}
    assert planned(env)["added_server"] == 1  # still waiting for its upload

    # The next run tries again and tells the same.
    data, text = run(env)
    assert_told_in_the_servers_words(data, text, SAYS[key])
    assert stored(env, "sw-kaethe") == before


def test_a_refused_edit_is_told_and_the_local_and_server_versions_stay(env: Env) -> None:
    """A synced card edited into something the server refuses: the edit stays here
    unchanged, the server keeps the last version, the card stays "changed here"."""
    book = cs.ensure_book(env.name)
    cs.add_contact(book, simple_card("sw-kaethe", NAME, "kaethe@example.de"))
    data, _ = run(env)
    assert data["books"][0]["added_server"] == 1 and not data["books"][0]["errors"]
    on_server = env.server_cards()["sw-kaethe"]
    contact = cs.find_live_by_uid(book, "sw-kaethe")
    assert isinstance(contact, Contact)
    cs.update_contact(contact, BAD_PROPERTY)
    edited = stored(env, "sw-kaethe")

    data, text = run(env)
    assert data["books"][0]["updated_server"] == 0
    assert_told_in_the_servers_words(data, text, SAYS[(env.server.name, "bad-property")])
    assert stored(env, "sw-kaethe") == edited
    assert env.server_cards()["sw-kaethe"] == on_server
    assert planned(env)["updated_server"] == 1


def test_a_uid_taken_meanwhile_is_named(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Another client adds a card with the same UID just before our upload (Radicale
    enforces CARDDAV:no-uid-conflict): refused with 409, and the report says so."""
    server = radicale_server
    name = f"Doppelt {uuid.uuid4().hex[:6]}"
    book_url = server.make_book(display_name=name)
    with FaultProxy(server.root_url) as proxy:
        through_proxy = replace(server, root_url=proxy.url)
        env = cli_env(server, book_url, name, tmp_path, monkeypatch, capsys, login=through_proxy)
        mine = simple_card("sw-same", NAME, "kaethe@example.de")
        cs.add_contact(cs.ensure_book(name), mine)
        before = stored(env, "sw-same")

        def other_client_first(entry: Logged, body: bytes) -> None:
            if entry.method == "PUT" and b"sw-same" in body:
                proxy.on_request = None
                server.put_card(book_url, "von-anderswo.vcf", simple_card("sw-same", "Käthe W."))

        proxy.on_request = other_client_first
        data, text = run(env)
    message = data["books"][0]["errors"][0]["message"]
    assert message.startswith(
        f"Der Server hat den Kontakt „{NAME}“ abgelehnt: ein anderer Kontakt im Adressbuch "
        "hat dieselbe UID."
    ), message
    assert "CARDDAV:no-uid-conflict" in data["books"][0]["errors"][0]["detail"]
    assert message in text
    assert stored(env, "sw-same") == before


def test_a_card_too_large_for_radicale_is_not_taken_for_a_name_clash(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Radicale refuses a card over its max_resource_size (10 MB) with 412 "Precondition
    failed." — the answer to a name in use. Asked again under a fresh name, it says the
    same: the report says it is no name clash and what it likely is, not "a card of this
    name exists already"."""
    name = f"Groß {uuid.uuid4().hex[:6]}"
    env = cli_env(
        radicale_server, radicale_server.make_book(display_name=name), name, tmp_path,
        monkeypatch, capsys,
    )  # fmt: skip
    huge = simple_card("sw-gross", NAME, extra="NOTE:" + "Sehr langer Text. " * 600_000)
    cs.add_contact(cs.ensure_book(name), huge)
    before = stored(env, "sw-gross")
    data, text = run(env)
    message = data["books"][0]["errors"][0]["message"]
    assert "(HTTP 412 („Precondition failed.“)), obwohl unter dem Namen nichts liegt" in message
    assert (
        "größer ist, als sie annehmen" in message and "bleibt in Contactbox unverändert" in message
    )
    assert "unter diesem Namen" not in message  # not "a card of this name exists already"
    assert message in text
    assert stored(env, "sw-gross") == before
    assert env.server_cards() == {}
