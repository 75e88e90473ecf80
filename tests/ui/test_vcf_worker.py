""".vcf import and export on a worker thread with progress and Abbrechen, and bulk delete of
many contacts on a worker (issue 21): real SQLite store, the real dialogs."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.store import vcf
from app.store.contacts import ensure_book, get_book
from app.store.models import Account, Binding, Contact, ItemState, Tombstone
from app.vcard import split_cards
from tests.ui.modal import clicking
from tests.ui.test_book_and_vcf_dialogs import when_modal
from ui import contacts_deleting, vcf_dialogs, workers
from ui.contacts_page import ContactsPage
from ui.vcf_dialogs import ImportOptionsDialog, ImportReportDialog, import_vcf_interactive
from ui.work_progress import WorkProgressDialog


def card(i: int, prefix: str = "u") -> str:
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{prefix}-{i:05d}\r\nFN:Person {prefix}{i:05d}\r\n"
        f"N:{prefix}{i:05d};Person;;;\r\nEMAIL:p{i}@{prefix}.example\r\n"
        f"NOTE:Karte {i} mit Ümlauten\r\nEND:VCARD\r\n"
    )


def write_file(path: Path, n: int, prefix: str = "u") -> list[str]:
    cards = [card(i, prefix) for i in range(n)]
    path.write_bytes("".join(cards).encode("utf-8"))
    return cards


def choose_files(monkeypatch: pytest.MonkeyPatch, *files: Path) -> None:
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileNames",
        lambda *_a: ([str(f) for f in files], ""),
    )


def pause_at(
    monkeypatch: pytest.MonkeyPatch, target: Any, name: str, at: int
) -> tuple[threading.Event, list[threading.Thread]]:
    """Wrap `target.name` (a function taking progress= and cancelled=): when its progress
    reaches `at`, the worker waits until Abbrechen was pressed — so the cancel lands at
    exactly that card. Returns the event "reached" and the threads the work ran on."""
    real = getattr(target, name)
    reached = threading.Event()
    threads: list[threading.Thread] = []

    def wrapped(*args: Any, progress: Any, cancelled: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread())

        def follow(done: int, total: int) -> None:
            progress(done, total)
            if done == at:
                reached.set()
                for _ in range(1000):  # up to 10 s
                    if cancelled():
                        break
                    threading.Event().wait(0.01)

        return real(*args, progress=follow, cancelled=cancelled, **kwargs)

    monkeypatch.setattr(target, name, wrapped)
    return reached, threads


def cancel_when(reached: threading.Event) -> list[WorkProgressDialog]:
    """Press Abbrechen in the progress window once `reached` is set."""
    seen: list[WorkProgressDialog] = []

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, WorkProgressDialog) and reached.is_set():
            seen.append(w)
            w.cancel_button.click()
        else:
            QTimer.singleShot(5, poll)

    QTimer.singleShot(0, poll)
    return seen


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The progress figures the workers send (every step: PROGRESS_INTERVAL is 0), in
    order; `WorkProgressDialog.figures` shows the last one the window received."""
    figures: list[tuple[int, int]] = []
    real = workers.ProgressWorker._on_progress

    def record(self: workers.ProgressWorker, done: int, total: int) -> None:
        figures.append((done, total))
        real(self, done, total)

    monkeypatch.setattr(workers.ProgressWorker, "PROGRESS_INTERVAL", 0.0)
    monkeypatch.setattr(workers.ProgressWorker, "_on_progress", record)
    return figures


def progress_windows() -> list[WorkProgressDialog]:
    """Every progress window that opens (modal) from now on."""
    seen: list[WorkProgressDialog] = []

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, WorkProgressDialog):
            if not seen or seen[-1] is not w:
                seen.append(w)
            return
        QTimer.singleShot(5, poll)

    QTimer.singleShot(0, poll)
    return seen


def test_import_runs_on_a_worker_and_reports_progress(
    qtbot: QtBot, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    recorded: list[tuple[int, int]],
) -> None:  # fmt: skip
    a, b = tmp_path / "a.vcf", tmp_path / "b.vcf"
    cards = write_file(a, 700, "a") + write_file(b, 300, "b")
    choose_files(monkeypatch, a, b)
    threads: list[threading.Thread] = []
    real = vcf_dialogs.import_cards
    monkeypatch.setattr(
        vcf_dialogs, "import_cards",
        lambda *a, **k: threads.append(threading.current_thread()) or real(*a, **k),
    )  # fmt: skip
    when_modal(ImportOptionsDialog, lambda d: d.accept())
    windows = progress_windows()
    shown = when_modal(ImportReportDialog, lambda d: d.reject())

    report = import_vcf_interactive(None, "Standard")

    assert threads and all(t is not threading.main_thread() for t in threads)
    assert len(windows) == 1 and windows[0].figures == (1000, 1000)  # received on the GUI
    assert report is not None and (report.cards_read, report.added, report.cancelled) == (
        1000, 1000, 0,
    )  # fmt: skip
    assert recorded[-1] == (1000, 1000)  # cards of both files together
    assert [done for done, _t in recorded] == sorted(done for done, _t in recorded)
    assert {total for _d, total in recorded} == {1000} and len(recorded) >= 1000
    assert Contact.select().count() == 1000
    assert {c.vcard for c in Contact.select()} == set(cards)
    [dialog] = shown
    assert dialog.windowTitle() == "Import abgeschlossen"
    assert "value_cancelled" not in dialog.value_labels


def test_abbrechen_midway_keeps_whole_cards_and_the_report_says_how_many(
    qtbot: QtBot, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    a, b = tmp_path / "a.vcf", tmp_path / "b.vcf"
    cards = write_file(a, 1200, "a")
    write_file(b, 300, "b")
    choose_files(monkeypatch, a, b)
    # The cancel lands after card 700 of a.vcf: past the first transaction of 500 cards,
    # in the middle of the second.
    reached, threads = pause_at(monkeypatch, vcf_dialogs, "import_cards", 700)
    when_modal(ImportOptionsDialog, lambda d: d.accept())
    cancelled = cancel_when(reached)
    shown = when_modal(ImportReportDialog, lambda d: d.reject())

    report = import_vcf_interactive(None, "Standard")

    assert cancelled and threads == [threads[0]] and threads[0] is not threading.main_thread()
    assert report is not None
    assert (report.cards_read, report.added, report.cancelled) == (700, 700, 500 + 300)
    stored = {c.uid: c.vcard for c in Contact.select()}
    assert len(stored) == 700  # b.vcf was not begun
    # Every imported card complete, none half-written: exactly the first 700 of the file.
    assert stored == {f"a-{i:05d}": cards[i] for i in range(700)}
    for c in Contact.select():
        assert c.fn.startswith("Person a") and c.email.endswith("@a.example") and c.hash
    [dialog] = shown
    assert dialog.windowTitle() == "Import abgebrochen"
    assert dialog.figure("cancelled") == "800" and dialog.figure("added") == "700"
    [label] = [w for w in dialog.findChildren(QWidget) if w.objectName() == "cancelledLabel"]
    assert "800 Karten wurden nicht importiert" in label.text()  # type: ignore[attr-defined]

    # Importing the file again ("überspringen") adds just the rest: the book is consistent.
    monkeypatch.undo()
    choose_files(monkeypatch, a)
    when_modal(ImportOptionsDialog, lambda d: d.accept())
    when_modal(ImportReportDialog, lambda d: d.reject())
    again = import_vcf_interactive(None, "Standard")
    assert again is not None and (again.added, again.duplicates_skipped) == (500, 700)
    assert Contact.select().count() == 1200


def test_export_on_the_worker_writes_the_same_bytes_and_abbrechen_writes_nothing(
    qtbot: QtBot, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    recorded: list[tuple[int, int]],
) -> None:  # fmt: skip
    source = tmp_path / "quelle.vcf"
    write_file(source, 800)
    vcf.import_vcf("Standard", source.read_bytes())
    before_book = vcf.export_book("Standard")  # the export as it was, on this thread
    ids = [c.id for c in Contact.select().order_by(Contact.id.desc()).limit(30)]
    before_some = vcf.export_vcf(ids)
    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *_a: infos.append(text))
    target = tmp_path / "alle.vcf"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *_a: (str(target), "")
    )

    windows = progress_windows()
    assert vcf_dialogs.export_vcf_interactive(None, None, "Standard") == target
    assert target.read_bytes() == before_book
    assert windows and windows[0].figures == (800, 800)
    assert recorded[-1] == (800, 800)
    assert infos == [f"800 Kontakte wurden nach {target} exportiert."]
    assert vcf_dialogs.export_vcf_interactive(None, ids, "Standard") == target
    assert target.read_bytes() == before_some
    assert len(split_cards(target.read_text(encoding="utf-8"))) == 30

    # Abbrechen after 100 cards: no file, and an existing one stays as it was.
    reached, threads = pause_at(monkeypatch, vcf_dialogs, "export_book", 100)
    seen = cancel_when(reached)
    assert vcf_dialogs.export_vcf_interactive(None, None, "Standard") is None
    assert seen and threads[0] is not threading.main_thread()
    assert target.read_bytes() == before_some
    assert len(infos) == 2


# ---------------------------------------------------------------- bulk delete


def row_of(c: Contact) -> tuple[object, ...]:
    return (c.id, c.uid, c.book_id, c.vcard, c.hash, c.modified, c.deleted_at)


def test_deleting_many_runs_on_a_worker_in_one_go_and_rueckgaengig_restores_exactly_those(
    qtbot: QtBot, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = contacts_deleting.BACKGROUND_AT + 100
    source = tmp_path / "viele.vcf"
    write_file(source, n + 1)
    vcf.import_vcf("Standard", source.read_bytes())
    book = get_book("Standard")
    account = Account.create(label="Büro", username="u", server="dav.example")
    binding = Binding.create(
        account=account, remote_href="/std/", book=book, operation="sync", option="contactbox"
    )
    contacts = list(Contact.select().order_by(Contact.id))
    for c in contacts[::2]:  # every second contact was synced
        ItemState.create(binding=binding, href=f"/std/{c.uid}.vcf", uid=c.uid, contact_id=c.id)
    # One synced contact was deleted before, on its own: not part of this deletion's undo.
    apart = contacts[0]
    from app.store.contacts import delete_contact

    delete_contact(apart)
    ensure_book("Andere")
    before = {c.id: row_of(c) for c in Contact.select()}
    threads: list[threading.Thread] = []
    for name in ("trash_contacts", "restore_contacts"):
        real = getattr(contacts_deleting, name)
        monkeypatch.setattr(
            contacts_deleting, name,
            lambda *a, _real=real, **k: threads.append(threading.current_thread())
            or _real(*a, **k),
        )  # fmt: skip

    page = ContactsPage()
    qtbot.addWidget(page)
    page.show()
    page.select_book("Standard")
    page.table.selectAll()
    qtbot.waitUntil(lambda: len(page.selected_ids()) == n, timeout=20_000)
    with clicking("In den Papierkorb") as asked:
        page.delete_selected()

    assert len(asked) == 1 and len(threads) == 1 and threads[0] is not threading.main_thread()
    live = Contact.select().where(Contact.deleted_at.is_null())
    assert live.count() == 0
    synced = {c.uid for c in contacts[::2]}
    assert {t.uid for t in Tombstone.select()} == synced  # `apart`'s included, from before
    assert page.undo_bar.label.text() == f"{n} Kontakte wurden in den Papierkorb verschoben."

    page.undo_bar.undo_button.click()

    assert len(threads) == 2 and threads[1] is not threading.main_thread()
    assert {c.id: row_of(c) for c in Contact.select()} == before  # exactly as they were
    assert [(t.uid, t.contact_id) for t in Tombstone.select()] == [(apart.uid, apart.id)]
    assert page.model.rowCount() == n


def test_a_few_contacts_are_deleted_at_once_without_a_worker(
    qtbot: QtBot, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "wenige.vcf"
    write_file(source, 3)
    vcf.import_vcf("Standard", source.read_bytes())
    monkeypatch.setattr(
        contacts_deleting, "WorkProgressDialog", lambda *_a, **_k: pytest.fail("a window")
    )
    page = ContactsPage()
    qtbot.addWidget(page)
    page.show()
    page.select_book("Standard")
    page.table.selectAll()
    with clicking("In den Papierkorb"):
        page.delete_selected()
    assert Contact.select().where(Contact.deleted_at.is_null()).count() == 0
    page.undo_bar.undo_button.click()
    assert Contact.select().where(Contact.deleted_at.is_null()).count() == 3


def test_many_selected_rows_name_the_contacts_shown_in_them(
    qtbot: QtBot, store: Path, tmp_path: Path
) -> None:
    """More selected rows than a page: their ids come from one query in the list's order —
    the same contacts the rows show, also sorted the other way round."""
    from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt

    source = tmp_path / "viele.vcf"
    write_file(source, 700)
    vcf.import_vcf("Standard", source.read_bytes())
    page = ContactsPage()
    qtbot.addWidget(page)
    page.show()
    page.select_book("Standard")
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    model = page.model
    selection = QItemSelection(model.index(10, 0), model.index(400, 0))
    selection.select(model.index(650, 0), model.index(660, 0))
    flags = QItemSelectionModel.SelectionFlag
    page.table.selectionModel().select(selection, flags.ClearAndSelect | flags.Rows)

    ids = page.selected_ids()

    shown = [model.contact(r) for r in [*range(10, 401), *range(650, 661)]]
    assert ids == [c.id for c in shown if c is not None] and len(ids) == 402
    assert page.selected_count() == 402
    assert page.current_contact_id() is None
