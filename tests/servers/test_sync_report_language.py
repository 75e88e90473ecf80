"""A real run against Radicale speaks the chosen language (issue 20): the same runs —
a first import, a conflict, deletions held back by the mass-deletion guard, a run the
user cancels — once in English and once in German (the default). The reports' human
texts (status, figure labels, notes, conflict lines) are English in English and German
by default; the JSON values scripts read are the same in both.

Notes are stored as the run wrote them: a report made in English keeps its English notes
when it is shown in German later (and the other way round); status, labels and words come
from codes and are shown in the reader's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import i18n
from app.accounts import get_account, open_session, server_books
from app.store.models import Account
from app.store.reports import list_reports, load_report
from app.sync.jobs import AccountJob, bind_book, find_book
from app.sync.modes import Mode
from app.sync.report import RunReport, format_text
from tests.i18n_words import assert_no_german
from tests.servers.cards import simple_card
from tests.servers.dav_servers import DavServer
from tests.servers.test_sync_engine import Env, fresh_book_env

PEOPLE = {"p1": "Ada Lovelace", "p2": "Bob Stone", "p3": "Cy Young", "p4": "Dee Rivers"}


def _run(account: Account, name: str, *, cancel: bool = False) -> RunReport:
    with open_session(account) as session:
        remote = find_book(server_books(session), name)
    binding = bind_book(account, remote, Mode.parse("sync", "server"))
    return AccountJob(account, [binding]).run(cancelled=(lambda: True) if cancel else None)


def scenario(env: Env, language: str) -> list[RunReport]:
    """Four real runs in `language`; the reports as the store keeps them, oldest first."""
    i18n.set_language(language)
    account = get_account("Test")
    for uid, fn in PEOPLE.items():
        env.put(f"{uid}.vcf", simple_card(uid, fn, f"{uid}@example.org"))
    first = _run(account, env.name)
    assert first.status == "ok" and first.books[0].added_local == 4

    # Both sides change Bob's organization: a conflict on that field, the server's value
    # wins (sync · server), the rest is merged.
    env.run_cli("--language", language, "contacts", "edit", "p2", "--book", env.name, "--org", "X")
    env.put("p2.vcf", simple_card("p2", "Bob Stone", "bob@example.org", extra="ORG:Y"))
    conflict = _run(account, env.name)
    assert conflict.books[0].conflicts == 1 and conflict.books[0].conflict_notes

    # Three of four cards gone on the server: the guard holds the deletions back.
    for uid in ("p1", "p3", "p4"):
        env.server.delete_card(env.server.card_url(env.book_url, f"{uid}.vcf"))
    guarded = _run(account, env.name)
    assert guarded.books[0].guarded and guarded.books[0].held_back == 3

    # A run the user cancels at once.
    env.put("p5.vcf", simple_card("p5", "Eve Park", "p5@example.org"))
    cancelled = _run(account, env.name, cancel=True)
    assert cancelled.status == "cancelled"

    ids = sorted(int(r["id"]) for r in list_reports(account))
    reports = [RunReport.from_dict(d) for d in map(load_report, ids) if d]
    assert [r.status for r in reports] == ["ok", "ok", "ok", "cancelled"]
    return reports


def _human_texts(report: RunReport) -> list[str]:
    """What a person reads of a stored report: its text and its notes."""
    return [format_text(report), *(n for b in report.books for n in b.notes)]


def _stable(report: RunReport) -> dict[str, Any]:
    """The JSON without its free text and the run's own names and times."""
    data = report.to_dict()
    for key in ("account", "started", "finished", "message", "errors"):
        data.pop(key)
    for b in data["books"]:
        for key in ("book", "href", "local_book", "notes", "error", "not_started"):
            b.pop(key)
    return data


@pytest.fixture
def runs(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> dict[str, list[RunReport]]:
    out = {}
    for language in ("en", "de"):
        env = fresh_book_env("Book", radicale_server, tmp_path / language, monkeypatch, capsys)
        out[language] = scenario(env, language)
    return out


def test_a_real_run_reports_in_the_chosen_language(runs: dict[str, list[RunReport]]) -> None:
    english, german = runs["en"], runs["de"]

    i18n.set_language("en")
    for report in english:
        assert_no_german(_human_texts(report), "an English run's report")
    first, conflict, guarded, cancelled = (format_text(r) for r in english)
    assert "(successful)" in first.splitlines()[0]
    assert "  Contacts on the server: 4" in first.splitlines()
    assert "  New in Contactbox: 4" in first.splitlines()
    assert (
        "  Conflict: Bob Stone – Organization: the server's version was kept, everything "
        "else merged" in conflict.splitlines()
    )
    assert "  Held back: 3 deletions (more than half of the contacts" in guarded
    assert "(cancelled)" in cancelled.splitlines()[0]
    assert "  Note: Cancelled by the user." in cancelled.splitlines()

    i18n.set_language("de")
    first, conflict, guarded, cancelled = (format_text(r) for r in german)
    assert "(erfolgreich)" in first.splitlines()[0]
    assert "  Kontakte auf dem Server: 4" in first.splitlines()
    assert (
        "  Konflikt: Bob Stone – Organisation: Version vom Server übernommen, alles Übrige "
        "zusammengeführt" in conflict.splitlines()
    )
    assert "  Zurückgehalten: 3 Löschungen (mehr als die Hälfte der Kontakte" in guarded
    assert "(abgebrochen)" in cancelled.splitlines()[0]
    assert "  Hinweis: Vom Benutzer abgebrochen." in cancelled.splitlines()

    # The same runs, the same JSON: codes, kinds, figures, modes, conflict winners.
    assert [_stable(r) for r in english] == [_stable(r) for r in german]


def test_a_stored_report_keeps_the_notes_of_its_run(runs: dict[str, list[RunReport]]) -> None:
    """Shown in the other language later, status and labels follow the reader; the notes
    stay in the language of the run that wrote them."""
    english_run_cancelled = runs["en"][-1]
    i18n.set_language("de")
    text = format_text(english_run_cancelled)
    assert "(abgebrochen)" in text.splitlines()[0]
    assert "  Hinweis: Cancelled by the user." in text.splitlines()
