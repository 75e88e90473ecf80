"""Calendar runs speak of calendars and appointments; address book runs still of contacts.

A real calendar sync against Radicale through `contactbox-sync calendar …` (real SQLite
file, memory keyring): the CLI's text, the stored report shown again (`reports --id`), and
the HTML/CSV exports name "Kalender", "Termine" and the "Synchronisationsbericht" and never
"Adressbuch", "Kontakt(e)" or "Importbericht"; the JSON keeps its field names and values
(plus "collection"). An address book run on the same server still says Adressbuch /
Kontakte / Importbericht, a report over both names each part with its own words, and a
report stored before reports said what they are about still renders in the right words.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from app import ical
from app.store import agenda
from app.store.models import Account
from app.store.models import RunReport as StoredReport
from app.store.reports import load_report, save_report
from app.sync.report import FIGURES, RunReport, format_text
from tests.servers.calendar_env import CalEnv, calendar_env
from tests.servers.cards import simple_card
from tests.servers.cli_inprocess import cli_raw
from tests.servers.dav_servers import DavServer
from ui.report_export import report_to_csv, report_to_html

CONTACT_WORDS = ("Adressbuch", "Adressbücher", "Kontakt", "Importbericht")


def _event(uid: str, summary: str, day: int) -> str:
    return ical.new_event(
        uid, summary, datetime(2025, 6, day, 9), datetime(2025, 6, day, 10),
        now=datetime(2025, 1, 1),
    )  # fmt: skip


def contact_words(text: str) -> list[str]:
    """The address book words in `text` ("Kontakt" also finds "Kontakte")."""
    return [w for w in CONTACT_WORDS if w in text]


@pytest.fixture
def env(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[CalEnv]:
    with calendar_env(radicale_server, tmp_path, monkeypatch, capsys) as e:
        yield e


def text_of(env: CalEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """`contactbox-sync …` as a person reads it: stdout and stderr, no --json."""
    _code, out, err = cli_raw(tmp_path / "home", capsys, *args)
    return out + err


def stored(report_id: int) -> RunReport:
    data = load_report(report_id)
    assert data is not None
    data.pop("id")
    return RunReport.from_dict(data)


def last_report_id() -> int:
    row = StoredReport.select(StoredReport.id).order_by(StoredReport.id.desc()).first()
    return int(row.id)


def with_guard_and_conflict(env: CalEnv) -> None:
    """Four appointments synced; then one edited on both sides (a conflict) and the other
    three deleted on the server (the mass-deletion guard holds them back)."""
    for i in range(4):
        env.put(f"e{i}", _event(f"ev-{i}", f"Besprechung {i}", 2 + i))
    env.run()
    local = env.local()
    agenda.update_appointment(local["ev-0"].id, summary="Besprechung lokal")
    env.edit("ev-0", summary="Besprechung Server")
    for uid in ("ev-1", "ev-2", "ev-3"):
        href, etag, _text = env.events()[uid]
        env.client.delete(href, etag)


def test_calendar_run_speaks_of_calendars_everywhere(
    env: CalEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with_guard_and_conflict(env)

    text = text_of(env, tmp_path, capsys, "calendar", "run", "Kal")
    assert text.startswith("Synchronisationsbericht – Account „Kal“ (erfolgreich)")
    assert f"Kalender „{env.cal_name}“ → Contactbox „Termine von {env.user}“" in text
    assert "Termine auf dem Server: 1" in text and "Termine in Contactbox: 4" in text
    assert "Konflikt: Besprechung " in text
    assert "Zurückgehalten: 3 Löschungen (mehr als die Hälfte der Termine fehlt" in text
    assert contact_words(text) == []
    report_id = last_report_id()

    # The JSON of the same run: field names and values as before, plus "collection".
    code, data = env.run_cli("reports", "--id", str(report_id), "--json")
    assert code == 0
    assert data["kind"] == "run" and data["collection"] == "calendar"
    book = data["books"][0]
    assert book["collection"] == "calendar"
    assert {*FIGURES, "server_only", "book", "local_book", "mode", "guarded"} <= book.keys()
    assert book["server_count"] == 1 and book["local_count"] == 4 and book["conflicts"] == 1
    assert book["guarded"] == ["server"] and book["held_back"] == 3
    assert set(data["totals"]) == {*FIGURES, "server_only"}

    # The stored report shown again, and exported.
    again = text_of(env, tmp_path, capsys, "reports", "--id", str(report_id))
    assert again == text
    report = stored(report_id)
    html = report_to_html(report)
    assert "<h1>Synchronisationsbericht – Account „Kal“</h1>" in html
    assert "<td>Termine auf dem Server</td>" in html
    assert "<tr><th>Kalender</th><th>Termin</th><th>Übernommen</th></tr>" in html
    assert "mehr als die Hälfte der abgeglichenen Termine" in html
    assert contact_words(html) == []
    rows = list(csv.reader(io.StringIO(report_to_csv(report)), delimiter=";"))
    assert rows[0] == ["Bereich", "Kalender", "Bezeichnung", "Wert", "Grund"]
    assert ["Kennzahl", env.cal_name, "Termine auf dem Server", "1", ""] in rows
    assert ["Gesamt", "", "Termine in Contactbox", "4", ""] in rows
    assert rows[1][2] == "Synchronisationsbericht – Account „Kal“"
    assert contact_words(json.dumps(rows, ensure_ascii=False)) == []

    # The check (nothing written) says "Prüfung" and speaks of calendars too.
    check = text_of(env, tmp_path, capsys, "calendar", "check", "Kal")
    assert check.startswith("Prüfung – Account „Kal“")
    assert f"Kalender „{env.cal_name}“" in check and contact_words(check) == []


def test_a_failed_calendar_run_without_books_still_says_calendar(
    env: CalEnv, tmp_path: Path, capsys: pytest.CaptureFixture[str], memory_keyring: Any
) -> None:
    """A run that fails before its first calendar (no password in the keyring) has no book
    to say what it is about: the run itself says it."""
    memory_keyring.store.clear()
    text = text_of(env, tmp_path, capsys, "calendar", "run", "Kal")
    assert text.startswith("Synchronisationsbericht – Account „Kal“ (fehlgeschlagen)")
    report = stored(last_report_id())
    assert report.books == [] and report.collection == "calendar"
    assert "Synchronisationsbericht" in report_to_html(report)
    assert contact_words(text + report_to_html(report) + report_to_csv(report)) == []


def add_book_account(env: CalEnv, server: DavServer) -> str:
    """An address book with two contacts on the same Radicale, imported by `run`."""
    name = f"Kunden {uuid.uuid4().hex[:6]}"
    url = server.make_book(display_name=name)
    cards = {f"k{i}.vcf": simple_card(f"k-{uuid.uuid4().hex[:8]}", f"Kunde {i}") for i in range(2)}
    server.put_cards(url, cards, display_name=name)
    code, out = env.run_cli("account", "add", "Büro", "--url", server.root_url,
                            "--user", server.user)  # fmt: skip
    assert code == 0, out
    return name


def test_an_address_book_run_still_speaks_of_contacts(
    env: CalEnv,
    radicale_server: DavServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = add_book_account(env, radicale_server)
    text = text_of(env, tmp_path, capsys, "run", "Büro", "--book", name, "--mode", "import",
                   "--option", "add")  # fmt: skip
    assert text.startswith("Importbericht – Account „Büro“ (erfolgreich)")
    assert f"Adressbuch „{name}“ → Contactbox „{name}“ [import/add]" in text
    assert "Kontakte auf dem Server: 2" in text and "Kontakte in Contactbox: 2" in text
    assert "Termin" not in text and "Kalender" not in text
    report = stored(last_report_id())
    assert report.collection == "addressbook" and report.books[0].collection == "addressbook"
    html = report_to_html(report)
    assert "<h1>Importbericht – Account „Büro“</h1>" in html
    assert "<td>Kontakte auf dem Server</td>" in html and "Termin" not in html
    assert report_to_csv(report).startswith("Bereich;Adressbuch;Bezeichnung;Wert;Grund\r\n")


def test_a_report_over_both_names_each_part(
    env: CalEnv,
    radicale_server: DavServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The books of a real address book run and a real calendar run in one report."""
    env.put("a", _event("ev-a", "Zahnarzt", 2))
    env.run()
    calendar = stored(last_report_id())
    name = add_book_account(env, radicale_server)
    code, _ = env.run_cli("run", "Büro", "--book", name, "--mode", "import", "--option", "add")
    assert code == 0
    both = stored(last_report_id())
    both.books += calendar.books
    assert both.words_kind == "mixed"

    text = format_text(both)
    assert text.startswith("Synchronisationsbericht – Account „Büro“")
    book_part, calendar_part = text.split("\n\n")[1:]
    assert book_part.startswith(f"Adressbuch „{name}“")
    assert "Kontakte auf dem Server: 2" in book_part and "Termin" not in book_part
    assert calendar_part.startswith(f"Kalender „{env.cal_name}“")
    assert "Termine auf dem Server: 1" in calendar_part
    assert contact_words(calendar_part) == []

    html = report_to_html(both)
    assert f"<th>Adressbuch „{name}“<br>" in html and f"<th>Kalender „{env.cal_name}“<br>" in html
    assert "<td>Kontakte und Termine auf dem Server</td>" in html
    rows = list(csv.reader(io.StringIO(report_to_csv(both)), delimiter=";"))
    assert rows[0][1] == "Adressbuch / Kalender"
    assert ["Kennzahl", f"Kalender „{env.cal_name}“", "Termine auf dem Server", "1", ""] in rows
    assert ["Kennzahl", f"Adressbuch „{name}“", "Kontakte auf dem Server", "2", ""] in rows


def test_reports_stored_without_their_collection_still_render(env: CalEnv) -> None:
    """Reports stored before they said what they are about: a calendar account's report
    is about calendars, one without a known account (removed since) about address books."""
    env.put("a", _event("ev-a", "Zahnarzt", 2))
    env.run()
    data = load_report(last_report_id())
    assert data is not None
    data.pop("id")
    old = json.loads(json.dumps(data))
    del old["collection"]
    for book in old["books"]:
        del book["collection"]
    account = Account.get(Account.label == "Kal")
    old_id = save_report(account, old, "cli")
    report = stored(old_id)
    assert report.collection == "calendar" and report.books[0].collection == "calendar"
    text = format_text(report)
    assert f"Kalender „{env.cal_name}“" in text and "Termine auf dem Server: 1" in text
    assert contact_words(text + report_to_html(report)) == []

    orphan = stored(save_report(None, old, "cli"))
    assert orphan.collection == "addressbook"
    assert "Adressbuch „" in format_text(orphan) and "Importbericht" in report_to_html(orphan)


def test_the_plain_http_note_of_a_calendar_run_speaks_of_appointments(
    radicale_server: DavServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through this machine's LAN address (unencrypted http to "another machine"), the
    report's note says that appointments, not contacts, cross the network readable."""
    from app.dav import caldav
    from app.dav.session import DavSession
    from tests.robustness.test_plain_http import _own_lan_address, relay

    lan = _own_lan_address()
    s = radicale_server
    name = f"Klartext {uuid.uuid4().hex[:6]}"
    with DavSession(s.root_url, s.user, s.password) as session:
        home = caldav.find_calendar_homes(session)[0]
        cal = caldav.make_calendar(session, home, name)
        caldav.CalDavClient(session).create(cal.href, _event("ev-a", "Zahnarzt", 2), name="a")
    monkeypatch.setenv("CONTACTBOX_PASSWORD", s.password)
    home_dir = tmp_path / "home"
    with relay(lan, urlsplit(s.root_url).port or 0) as port:
        url = f"http://{lan}:{port}/"
        code, _, err = cli_raw(home_dir, capsys, "calendar", "account", "add", "LAN",
                               "--url", url, "--user", s.user)  # fmt: skip
        assert code == 0, err
        code, _, err = cli_raw(home_dir, capsys, "calendar", "bind", "LAN", name,
                               "--user", "Standardbenutzer")  # fmt: skip
        assert code == 0, err
        code, out, err = cli_raw(home_dir, capsys, "calendar", "run", "LAN")
    assert code == 0, out + err
    assert f"Hinweis: Die Verbindung zu {lan} ist nicht verschlüsselt (http://): Passwort " in out
    assert "Passwort und Termine werden im Klartext übertragen" in out
    assert contact_words(out + err) == []
