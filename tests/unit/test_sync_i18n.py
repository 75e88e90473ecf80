"""The sync core's texts in English (issue 20): report statuses, figure labels, the report
text with its lines, mode labels and their errors, the daemon's log lines, the jobs'
errors — English when asked (`i18n.set_language("en")`), German by default; the JSON
values scripts read stay the same in both languages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from app import i18n
from app.daemon import run_line
from app.dav.errors import AuthError, HostUnreachable
from app.dav.model import RemoteBook
from app.scheduler import kind_of_message
from app.sync.jobs import JobError, find_book
from app.sync.modes import LABELS_DE, Mode, Operation, Option
from app.sync.report import (
    ADDRESS_BOOK,
    CALENDAR,
    CALENDAR_FIGURE_LABELS_DE,
    FIGURE_LABELS_DE,
    MIXED,
    MIXED_FIGURE_LABELS_DE,
    STATUS_WORDS,
    BookReport,
    ConflictNote,
    ItemError,
    RunReport,
    figure_label,
    format_text,
    status_text,
    words_for,
)
from tests.i18n_words import assert_no_german

WHEN = datetime(2026, 3, 4, 10, 30)


def book(collection: str = ADDRESS_BOOK, **kw: Any) -> BookReport:
    name = "Office" if collection == ADDRESS_BOOK else "Team"
    b = BookReport(name, f"/dav/{name}/", name, "sync/server", collection=collection)
    for key, value in kw.items():
        setattr(b, key, value)
    return b


def full_report(collection: str = ADDRESS_BOOK) -> RunReport:
    """A report with every kind of line: counts, groups, changes, held-back deletions,
    conflicts won by either side, an item error, a whole-book error, a book not started,
    an unchanged book."""
    busy = book(
        collection,
        server_count=12,
        local_count=11,
        server_groups=2 if collection == ADDRESS_BOOK else 0,
        local_groups=2 if collection == ADDRESS_BOOK else 0,
        added_local=3,
        updated_local=1,
        deleted_local=1,
        added_server=2,
        updated_server=1,
        deleted_server=1,
        conflicts=2,
        skipped_deleted=1,
        server_only=1,
        groups_changed=1 if collection == ADDRESS_BOOK else 0,
        guarded=["server"],
        held_back=5,
        conflict_notes=[
            ConflictNote("Ada Lovelace", "a", "contactbox"),
            ConflictNote("Bob Stone", "b", "server"),
        ],
        errors=[ItemError("Cy Young", "c", "/c.vcf", "add_server", "refused by the server")],
    )
    quiet = book(collection, unchanged=True, server_count=4, local_count=4)
    return RunReport(
        account="Work",
        kind="run",
        started=WHEN,
        books=[
            busy,
            quiet,
            book(collection, error="the server is unreachable"),
            book(collection, not_started="started by hand only"),
        ],
        collection=collection,
    )


def test_status_words_in_english_and_german() -> None:
    german = {code: status_text(code) for code in STATUS_WORDS}
    assert german == {
        "ok": "erfolgreich",
        "errors": "mit Fehlern",
        "failed": "fehlgeschlagen",
        "cancelled": "abgebrochen",
    }
    i18n.set_language("en")
    english = {code: status_text(code) for code in STATUS_WORDS}
    assert english == {
        "ok": "successful",
        "errors": "with errors",
        "failed": "failed",
        "cancelled": "cancelled",
    }
    assert status_text("new-code") == "new-code"  # an unknown code as it is


@pytest.mark.parametrize("kind", [ADDRESS_BOOK, CALENDAR, MIXED])
def test_every_figure_label_and_report_word_in_english(kind: str) -> None:
    words = words_for(kind)
    german = [figure_label(name, kind) for name in words.labels]
    assert german == list(words.labels.values())  # German: the msgids themselves
    i18n.set_language("en")
    english = [figure_label(name, kind) for name in words.labels]
    assert_no_german(english, f"figure labels of {kind}")
    assert len(set(english)) == len(english)  # each label its own translation
    shown = [i18n._(w) for w in (words.report, words.collection, words.item, words.items)]
    assert_no_german(shown, f"report words of {kind}")
    # The window translates the same German values with Qt's tr(): they stay German.
    assert FIGURE_LABELS_DE["server_count"] == "Kontakte auf dem Server"
    assert CALENDAR_FIGURE_LABELS_DE["server_count"] == "Termine auf dem Server"
    assert MIXED_FIGURE_LABELS_DE["local_count"] == "Kontakte und Termine in Contactbox"


@pytest.mark.parametrize("collection", [ADDRESS_BOOK, CALENDAR])
def test_the_report_text_in_english(collection: str) -> None:
    report = full_report(collection)
    report.finish(WHEN)
    i18n.set_language("en")
    text = format_text(report)
    assert_no_german(text, "format_text")
    first = text.splitlines()[0]
    title = "Import report" if collection == ADDRESS_BOOK else "Synchronization report"
    assert first == f"{title} – account “Work” (with errors)"
    things = "contacts" if collection == ADDRESS_BOOK else "appointments"
    for line in (
        f"  Held back: 5 deletions (more than half of the {things} are missing on one side).",
        "  Conflict: Ada Lovelace – Contactbox's version was kept",
        "  Conflict: Bob Stone – the server's version was kept",
        "  Error with Cy Young: refused by the server",
        "  Error: the server is unreachable",
        "  Not started: started by hand only",
        "  No changes since the last synchronization.",
        f"  {things.capitalize()} on the server: 12",
        "  New in Contactbox: 3",
        "  Deleted in Contactbox (trash): 1",
        "  Skipped (deleted in Contactbox): 1",
        "  Only on the server (left alone): 1",
    ):
        assert any(got.startswith(line) for got in text.splitlines()), (line, text)
    if collection == ADDRESS_BOOK:
        assert "  Groups: 1 changed" in text.splitlines()
        assert "  Groups on the server: 2" in text.splitlines()
        assert "Address book “Office” → Contactbox “Office” [sync/server]" in text
    else:
        assert "Calendar “Team” → Contactbox “Team” [sync/server]" in text


def test_the_report_text_stays_german_by_default() -> None:
    report = full_report()
    report.finish(WHEN)
    text = format_text(report)
    assert text.startswith("Importbericht – Account „Work“ (mit Fehlern)")
    for line in (
        "  Zurückgehalten: 5 Löschungen (mehr als die Hälfte der Kontakte fehlt auf einer Seite).",
        "  Konflikt: Ada Lovelace – Version von Contactbox übernommen",
        "  Konflikt: Bob Stone – Version vom Server übernommen",
        "  Kontakte auf dem Server: 12",
        "  Gruppen: 1 geändert",
        "  Keine Änderungen seit dem letzten Abgleich.",
    ):
        assert any(got.startswith(line) for got in text.splitlines()), (line, text)


def test_one_held_back_deletion_is_singular() -> None:
    report = RunReport("Work", "check", WHEN, books=[book(guarded=["local"], held_back=1)])
    assert "Zurückgehalten: 1 Löschung (mehr" in format_text(report)
    i18n.set_language("en")
    text = format_text(report)
    assert text.startswith("Check – account “Work” (successful)")
    assert "Held back: 1 deletion (more" in text


def test_the_json_is_the_same_in_both_languages() -> None:
    report = full_report()
    report.finish(WHEN)
    german = report.to_dict()
    i18n.set_language("en")
    assert report.to_dict() == german
    assert german["status"] == "errors" and german["books"][0]["mode"] == "sync/server"


def test_mode_labels_in_english_and_german() -> None:
    modes = [Mode(op, opt) for op, opt in LABELS_DE]
    assert [m.label() for m in modes] == list(LABELS_DE.values())
    assert Mode.parse("sync", "server").label() == "Synchronisation · Server"
    i18n.set_language("en")
    english = [m.label() for m in modes]
    assert_no_german(english, "mode labels")
    assert Mode(Operation.SYNC, Option.SERVER).label() == "Synchronization · Server"
    assert Mode(Operation.IMPORT, Option.ADD).label() == "Import once · Add"
    assert Mode(Operation.IMPORT, Option.RECREATE).label() == "Import once · Recreate"


@pytest.mark.parametrize(
    ("operation", "option", "german", "english"),
    [
        ("merge", None, "Unbekannter Vorgang „merge“", "Unknown operation “merge”"),
        ("oneway", "server", "Die Option „server“ passt nicht", "The option “server” does not"),
        ("import", "bogus", "Die Option „bogus“ passt nicht", "The option “bogus” does not"),
    ],
)
def test_mode_errors_in_english(operation: str, option: str, german: str, english: str) -> None:
    with pytest.raises(ValueError, match=german):
        Mode.parse(operation, option)
    i18n.set_language("en")
    with pytest.raises(ValueError) as caught:
        Mode.parse(operation, option)
    assert str(caught.value).startswith(english)
    assert_no_german(str(caught.value).replace("oneway", ""), "Mode.parse")


def _remote(name: str, href: str) -> RemoteBook:
    return RemoteBook(href=href, display_name=name)


def test_finding_a_book_explains_itself_in_english() -> None:
    books = [_remote("Office", "/a/office/"), _remote("Office", "/b/office/")]
    with pytest.raises(JobError) as caught:
        find_book(books, "Office")
    assert str(caught.value).startswith("„Office“ ist nicht eindeutig, es passt auf 2 Adressb")
    i18n.set_language("en")
    with pytest.raises(JobError) as caught:
        find_book(books, "Office")
    message = str(caught.value)
    assert message.startswith("“Office” is ambiguous, it matches 2 address books:")
    assert "--book /a/office/" in message
    assert_no_german(message, "find_book")
    with pytest.raises(JobError) as caught:
        find_book(books, "Home")
    assert str(caught.value).startswith("The address book “Home” does not exist on the server")
    with pytest.raises(JobError) as caught:
        find_book([], "Home")
    assert str(caught.value).endswith("(available: none).")


def test_the_daemon_log_line_in_english() -> None:
    done = RunReport("Work", "run", WHEN, books=[book(added_local=2, conflicts=1)])
    done.books[0].errors.append(ItemError("Cy", "c", "/c", "add_local", "bad card"))
    done.finish(WHEN)
    nothing = RunReport("Work", "run", WHEN, books=[book(not_started="by hand only")])
    failed = RunReport("Work", "run", WHEN, status="failed", message="unreachable")
    cancelled = RunReport("Work", "run", WHEN, status="cancelled")
    german = [run_line("Work", r, WHEN) for r in (done, nothing, failed, cancelled)]
    assert german[0].endswith("Work: 2 neu in Contactbox, 1 Konflikt, 1 Fehler (siehe Bericht)")
    assert german[1].endswith("keine Änderungen; „Office“ nicht gestartet: by hand only")
    assert german[2].endswith("Work: fehlgeschlagen – unreachable")
    assert german[3].endswith("Work: abgebrochen")
    i18n.set_language("en")
    english = [run_line("Work", r, WHEN) for r in (done, nothing, failed, cancelled)]
    assert english[0].endswith("Work: 2 new in Contactbox, 1 conflict, 1 error (see report)")
    assert english[1].endswith("no changes; “Office” not started: by hand only")
    assert english[2].endswith("Work: failed – unreachable")
    assert english[3].endswith("Work: cancelled")
    assert_no_german(english, "daemon log")


def test_failure_kinds_are_recognised_in_the_language_of_the_run() -> None:
    assert kind_of_message(AuthError.default_message) == "auth"
    assert kind_of_message(HostUnreachable.default_message) == "network"
    i18n.set_language("en")
    # A message stored by an English run (the errors' default texts, translated where
    # the catalogue has them), and one stored in German before, are both recognised.
    assert kind_of_message(i18n._(AuthError.default_message)) == "auth"
    assert kind_of_message(i18n._(HostUnreachable.default_message)) == "network"
    assert kind_of_message(HostUnreachable.default_message) == "network"
    assert kind_of_message("something else") == "other"
