"""Counts in the window read as German and English do: "1 Kontakt", "2 Kontakte", "1 appointment".

The %n messages have plural forms in contactbox_de.ts (German is the source language, the
session fixture in conftest.py loads contactbox_de.qm as ui/app.py does) and contactbox_en.ts.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.accounts import add_account
from app.dav.model import RemoteBook
from app.store.agenda import add_appointment, add_followup
from app.store.contacts import add_contact, ensure_book
from app.sync.engine import Progress
from app.sync.jobs import PendingBinding
from app.sync.modes import Mode
from ui.icons import resources_dir

COUNTS = (0, 1, 2)


@pytest.fixture(params=["de", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """German (contactbox_de.qm, installed for the whole session) or English on top of it."""
    if request.param == "de":
        yield "de"
        return
    translator = QTranslator()
    path = resources_dir() / "translations" / "contactbox_en.qm"
    assert translator.load(str(path))
    qapp.installTranslator(translator)
    yield "en"
    qapp.removeTranslator(translator)


def card(i: int) -> str:
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p-{i}\r\nFN:Person {i}\r\n"
        f"N:{i};Person;;;\r\nEND:VCARD\r\n"
    )


CONTACTS = {
    "de": ["0 Kontakte", "1 Kontakt", "2 Kontakte"],
    "en": ["0 contacts", "1 contact", "2 contacts"],
}
FILTERED = {"de": "(gefiltert)", "en": "(filtered)"}
BOOK_TIP = {
    "de": [
        "0 Kontakte, 0 im Papierkorb",
        "1 Kontakt, 0 im Papierkorb",
        "2 Kontakte, 0 im Papierkorb",
    ],
    "en": ["0 contacts, 0 in the trash", "1 contact, 0 in the trash", "2 contacts, 0 in the trash"],
}


@pytest.mark.parametrize("n", COUNTS)
def test_contacts_page_counts_the_book(qtbot: QtBot, store: Path, language: str, n: int) -> None:
    from ui.contacts_page import ContactsPage

    book = ensure_book("Standard")
    for i in range(n):
        add_contact(book, card(i))
    page = ContactsPage()
    qtbot.addWidget(page)
    assert page.current_book() == "Standard"
    assert page.status_label.text() == CONTACTS[language][n]
    assert page.book_list.currentItem().toolTip(0).splitlines()[0] == BOOK_TIP[language][n]

    page.search_edit.setText("Person")
    page.apply_search()
    assert page.status_label.text() == f"{CONTACTS[language][n]} {FILTERED[language]}"


AGENDA = {
    "de": [
        "0 Termine · 0 Wiedervorlagen",
        "1 Termin · 1 Wiedervorlage",
        "2 Termine · 2 Wiedervorlagen",
    ],
    "en": [
        "0 appointments · 0 follow-ups",
        "1 appointment · 1 follow-up",
        "2 appointments · 2 follow-ups",
    ],
}


@pytest.mark.parametrize("n", COUNTS)
def test_users_page_counts_appointments_and_followups(
    qtbot: QtBot, store: Path, language: str, n: int
) -> None:
    from ui import workers
    from ui.users_page import UsersPage

    for i in range(n):
        add_appointment(None, f"Termin {i}", datetime(2030, 4, 1 + i, 9), None)
        add_followup(None, f"Wiedervorlage {i}", datetime(2030, 5, 1 + i, 9))
    page = UsersPage()
    qtbot.addWidget(page)
    try:
        assert page.user_subtitle.text() == AGENDA[language][n]
    finally:
        qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=20000)


APPLIED = {  # no changes at all: no line (never "0 von 0")
    "de": [" ", "Übernommen: 1 von 1 Änderung", "Übernommen: 1 von 2 Änderungen"],
    "en": [" ", "Applied: 1 of 1 change", "Applied: 1 of 2 changes"],
}


@pytest.mark.parametrize("n", COUNTS)
def test_run_window_counts_the_changes(qtbot: QtBot, store: Path, language: str, n: int) -> None:
    from ui.run_window import RunWindow

    account = add_account("Büro", server="https://dav.example", username="u", password="p")
    pending = PendingBinding(RemoteBook("/dav/u/kunden/", "Kunden"), Mode.parse("import", "add"))
    # a countdown that is cancelled before it ends: nothing is run
    window = RunWindow(int(account.id), [], countdown=60, pending=[pending])
    qtbot.addWidget(window)
    window.cancel()
    assert window.state == "stopped" and window.worker is None
    done = min(n, 1)
    window._on_progress(Progress("Kunden", "apply", done, n, changes_done=done, changes_total=n))
    assert window.counts_label.text() == APPLIED[language][n]


SUMMARY = {
    "de": "Das Adressbuch enthält {0} und 0 im Papierkorb.",
    "en": "The address book contains {0} and 0 in the trash.",
}


@pytest.mark.parametrize("n", COUNTS)
def test_delete_book_dialog_counts_the_contacts(
    qtbot: QtBot, store: Path, language: str, n: int
) -> None:
    from ui.book_dialogs import DeleteBookDialog

    book = ensure_book("Kunden")
    for i in range(n):
        add_contact(book, card(i))
    dialog = DeleteBookDialog("Kunden")
    qtbot.addWidget(dialog)
    assert dialog.summary_label.text() == SUMMARY[language].format(CONTACTS[language][n])


TRAY = {
    "de": [
        "1 Löschung in „Kunden“ wurde zurückgehalten, weil",
        "1 Kontakt konnte nicht abgeglichen werden.",
        "1 Konflikt wurde gelöst; die andere Version steht im Verlauf.",
        "2 Löschungen in „Lieferanten“ wurden zurückgehalten, weil",
        "2 Kontakte konnten nicht abgeglichen werden.",
        "2 Konflikte wurden gelöst; die andere Version steht jeweils im Verlauf.",
    ],
    "en": [
        "1 deletion in „Kunden“ was held back because",
        "1 contact could not be synchronized.",
        "1 conflict was resolved; the other version is in the history.",
        "2 deletions in „Lieferanten“ were held back because",
        "2 contacts could not be synchronized.",
        "2 conflicts were resolved; the other versions are in the history.",
    ],
}


def test_tray_message_counts_held_back_deletions_errors_and_conflicts(
    qtbot: QtBot, store: Path, language: str
) -> None:
    from PySide6.QtWidgets import QMainWindow

    from app.sync.report import BookReport, ItemError, RunReport
    from ui.tray import TrayController, _Job

    window = QMainWindow()
    qtbot.addWidget(window)
    tray = TrayController(window, available=lambda: False, tick_ms=3_600_000, first_tick_ms=-1)
    notes: list[str] = []
    tray.notified.connect(lambda _title, text, _id: notes.append(text))
    for n, name in ((1, "Kunden"), (2, "Lieferanten")):
        report = RunReport("Büro", "run", datetime(2026, 11, 29, 9, 30))
        book = BookReport(name, f"/dav/u/{n}/", name, "sync/server")
        book.guarded, book.held_back, book.conflicts = ["server"], n, n
        book.errors = [ItemError(f"P {i}", f"u-{i}-{n}", "", "upload", "kaputt") for i in range(n)]
        report.books.append(book)
        job = _Job(7, "Büro", "timer", None, None)  # type: ignore[arg-type]
        tray._tell_about_success(job, report, 0)
    assert len(notes) == 2
    lines = [line for text in notes for line in text.splitlines()]
    assert len(lines) == 6
    for line, expected in zip(lines, TRAY[language], strict=True):
        assert line.startswith(expected), (line, expected)
