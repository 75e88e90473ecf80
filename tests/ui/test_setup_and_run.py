"""Setup dialog, check, run window and mass-deletion guard against a real Radicale."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.accounts import add_account
from app.store.contacts import add_contact, get_book
from app.store.models import Account, AddressBook, Binding, Contact
from app.store.reports import list_reports
from app.sync.jobs import bind_book, book_overview
from app.sync.modes import Mode
from tests.servers.conftest import radicale_server  # noqa: F401
from tests.servers.dav_servers import DavServer
from ui import workers
from ui.check_dialog import CheckDialog
from ui.report_dialog import ReportDialog, ReportHistoryDialog
from ui.run_window import RunWindow
from ui.setup_dialog import COL_LOCAL, COL_NAME, COL_SERVER, SetupDialog

TIMEOUT = 30_000


def vc(uid: str, fn: str, email: str = "") -> str:
    given, _, family = fn.partition(" ")
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}", f"N:{family};{given};;;"]
    if email:
        lines.append(f"EMAIL;TYPE=WORK:{email}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def seed_book(server: DavServer, name: str, count: int) -> str:
    """A fresh server book with `count` cards; returns its URL."""
    url = server.make_book(display_name=name)
    if count:
        texts = {
            f"c{i:04d}.vcf": vc(f"{name}-{i}", f"Person{i} Muster{i}", f"p{i}@example.de")
            for i in range(count)
        }
        server.put_cards(url, texts, display_name=name)
    return url


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:6]}"


@pytest.fixture
def account(store: Path, radicale_server: DavServer) -> Account:  # noqa: F811
    s = radicale_server
    return add_account("Test", server=s.root_url, username=s.user, password=s.password)


@pytest.fixture(autouse=True)
def no_threads_left(qtbot: QtBot) -> Iterator[None]:
    """Every background thread ends before the database closes."""
    yield
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=TIMEOUT)


def live_count(book_name: str) -> int:
    book = AddressBook.get_or_none(AddressBook.name == book_name)
    if book is None:
        return 0
    return int(Contact.select().where(
        (Contact.book == book) & Contact.deleted_at.is_null()
    ).count())  # fmt: skip


def open_setup(qtbot: QtBot, account: Account, **kwargs: int) -> SetupDialog:
    dialog = SetupDialog(int(account.id), **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(dialog.overviews), timeout=TIMEOUT)
    return dialog


def bound(account: Account, name: str, mode: Mode) -> Binding:
    remote = next(ov.remote for ov in book_overview(account) if ov.remote.display_name == name)
    return bind_book(account, remote, mode)


def run_to_end(qtbot: QtBot, window: RunWindow) -> None:
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.report is not None, timeout=TIMEOUT)


# ---------------------------------------------------------------- setup dialog


def test_setup_lists_books_with_counts_and_selects_all_or_none(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
) -> None:
    first, second = unique("Kunden"), unique("Bewerber_innen")
    seed_book(radicale_server, first, 3)
    seed_book(radicale_server, second, 5)
    binding = bound(account, second, Mode.parse("import", "add"))
    from app.sync.jobs import AccountJob

    AccountJob(account, [binding]).run()

    dialog = open_setup(qtbot, account)
    rows = {item.text(COL_NAME): item for item in dialog.book_items()}
    assert rows[first].text(COL_SERVER) == "3" and rows[first].text(COL_LOCAL) == "0"
    assert rows[second].text(COL_SERVER) == "5" and rows[second].text(COL_LOCAL) == "5"
    assert not dialog.start_button.isEnabled()

    qtbot.mouseClick(dialog.select_all_button, Qt.MouseButton.LeftButton)
    assert len(dialog.selected()) == len(rows)
    assert dialog.start_button.isEnabled() and dialog.check_button.isEnabled()
    qtbot.mouseClick(dialog.select_none_button, Qt.MouseButton.LeftButton)
    assert dialog.selected() == []
    assert not dialog.start_button.isEnabled() and not dialog.check_button.isEnabled()

    # the options of the chosen operation only (beside the operations)
    dialog.operation_buttons[Mode.parse("sync").operation].setChecked(True)
    assert dialog.mode() == Mode.parse("sync", "server")
    assert dialog.option_panels[Mode.parse("sync").operation].isVisible()
    assert not dialog.option_panels[Mode.parse("import").operation].isVisible()
    dialog.set_mode(Mode.parse("import", "update"))
    assert dialog.mode() == Mode.parse("import", "update")


def test_check_shows_figures_and_writes_nothing(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
) -> None:
    name = unique("Prüfbuch")
    seed_book(radicale_server, name, 7)
    dialog = open_setup(qtbot, account)
    dialog.set_checked(name)
    dialog.set_mode(Mode.parse("import", "add"))
    with qtbot.waitSignal(dialog.check_finished, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    check = dialog.check_dialog
    assert isinstance(check, CheckDialog) and check.isVisible()
    assert check.figure(name, "server_count") == 7
    assert check.figure(name, "local_count") == 0
    assert check.figure(name, "added_local") == 7
    assert check.figure(name, "added_server") == 0
    assert "erreichbar" in check.server_status.text()
    # nothing written: no binding, no book, no contact, no report
    assert Binding.select().count() == 0
    assert Contact.select().count() == 0
    assert AddressBook.get_or_none(AddressBook.name == name) is None
    assert list_reports(account) == []


def test_target_defaults_to_a_new_book_named_after_the_server_book(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
) -> None:
    fresh, bound_name = unique("Neubuch"), unique("Gebunden")
    seed_book(radicale_server, fresh, 2)
    seed_book(radicale_server, bound_name, 1)
    bound(account, bound_name, Mode.parse("sync", "server"))
    dialog = open_setup(qtbot, account, run_countdown=5)

    box = dialog.target_box(fresh)
    row = [item.text(COL_NAME) for item in dialog.book_items()].index(fresh)
    assert box.currentText() == f"Neu: {fresh}" and dialog.local_book(row) is None
    entries = [box.itemText(i) for i in range(box.count())]
    assert "Standard" in entries and bound_name in entries  # every existing local book
    bound_box = dialog.target_box(bound_name)
    assert bound_box.currentData() == bound_name
    assert bound_box.currentText().startswith(f"{bound_name} (")  # with its operation

    dialog.set_checked(fresh)
    dialog.set_mode(Mode.parse("import", "add"))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    window = dialog.run_window
    assert isinstance(window, RunWindow)
    [pending] = window.pending  # the choice goes to the run as data: a new book
    assert pending.name == fresh and pending.local_book is None
    window.cancel_button.click()  # still in the countdown: nothing runs, nothing is saved
    assert Binding.get_or_none(Binding.remote_name == fresh) is None
    assert AddressBook.get_or_none(AddressBook.name == fresh) is None


def test_existing_local_book_is_used_by_check_and_run_without_duplicates(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
) -> None:
    name = unique("Nach Standard")
    seed_book(radicale_server, name, 4)
    # "Standard" already holds the contact of one server card (same UID)
    add_contact(get_book("Standard"), vc(f"{name}-2", "Person2 Muster2", "p2@example.de"))
    assert live_count("Standard") == 1

    dialog = open_setup(qtbot, account, run_countdown=0)
    row = {item.text(COL_NAME): item for item in dialog.book_items()}[name]
    assert row.text(COL_LOCAL) == "0"
    dialog.set_target(name, "Standard")
    assert dialog.target_box(name).currentText() == "Standard"
    assert row.text(COL_LOCAL) == "1"  # the chosen book's count; the book is ticked
    assert dialog.selected_targets()[0][1] == "Standard"
    dialog.set_mode(Mode.parse("import", "add"))

    with qtbot.waitSignal(dialog.check_finished, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    check = dialog.check_dialog
    assert isinstance(check, CheckDialog)
    assert check.figure(name, "server_count") == 4
    assert check.figure(name, "local_count") == 1
    assert check.figure(name, "added_local") == 3  # one fewer than server cards
    assert Binding.select().count() == 0 and live_count("Standard") == 1  # nothing written
    assert AddressBook.get_or_none(AddressBook.name == name) is None
    check.close()

    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    window = dialog.run_window
    assert isinstance(window, RunWindow)
    run_to_end(qtbot, window)
    assert window.report is not None and window.report.status == "ok"
    assert window.report.books[0].added_local == 3
    binding = Binding.get(Binding.remote_name == name)
    assert binding.book.name == "Standard"
    assert AddressBook.get_or_none(AddressBook.name == name) is None  # no new book
    uids = [
        c.uid
        for c in Contact.select().where(
            (Contact.book == get_book("Standard")) & Contact.deleted_at.is_null()
        )
    ]
    assert len(uids) == len(set(uids)) == 4  # no duplicate UID


def test_start_runs_the_import_and_shows_the_report(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
) -> None:
    name = unique("Import")
    seed_book(radicale_server, name, 20)
    dialog = open_setup(qtbot, account, run_countdown=0)
    dialog.set_checked(name)
    dialog.set_mode(Mode.parse("import", "add"))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    window = dialog.run_window
    assert isinstance(window, RunWindow)
    run_to_end(qtbot, window)
    assert window.report is not None and window.report.status == "ok"
    assert window.report.books[0].added_local == 20
    assert live_count(name) == 20
    assert window.overall_bar.value() == 100
    assert isinstance(window.report_dialog, ReportDialog) and window.report_dialog.isVisible()
    binding = Binding.get(Binding.remote_name == name)
    assert (binding.operation, binding.option) == ("import", "add")

    history = ReportHistoryDialog(int(account.id))
    qtbot.addWidget(history)
    assert history.table.rowCount() == 1
    assert history.table.item(0, 2).text() == "erfolgreich"
    opened = history.open_report(0)
    assert opened is not None and opened.report.books[0].added_local == 20
    window.close()
    assert not window.isVisible()


def test_cancel_during_countdown_starts_nothing(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
) -> None:
    name = unique("Countdown")
    seed_book(radicale_server, name, 5)
    binding = bound(account, name, Mode.parse("import", "add"))
    window = RunWindow(int(account.id), [int(binding.id)], countdown=5)
    qtbot.addWidget(window)
    window.show()
    assert "Der Abgleich beginnt in 5 s" in window.phase_label.text()
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.wait(1500)
    assert window.runs == 0 and window.worker is None and window.state == "stopped"
    assert live_count(name) == 0
    assert list_reports(account) == []


def test_cancel_mid_run_keeps_data_consistent_and_a_rerun_completes(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every progress step reaches the hook below: with the usual 50 ms throttle a fast
    # machine imports all 200 contacts between two signals and nothing is cancelled.
    monkeypatch.setattr(workers.JobWorker, "PROGRESS_INTERVAL", 0.0)
    name = unique("Großes Buch")
    seed_book(radicale_server, name, 200)
    binding = bound(account, name, Mode.parse("import", "add"))
    window = RunWindow(int(account.id), [int(binding.id)], countdown=0)

    def hook(worker: workers.JobWorker) -> None:
        # On the worker thread: the flag goes up while the first contacts are applied.
        def on_progress(p: object) -> None:
            if getattr(p, "phase", "") == "apply" and getattr(p, "done", 0) >= 10:
                worker.cancel()

        worker.progress.connect(on_progress, Qt.ConnectionType.DirectConnection)

    window.job_started.connect(hook)
    run_to_end(qtbot, window)
    assert window.report is not None and window.report.status == "cancelled"
    first = live_count(name)
    assert 0 < first < 200
    window.close()

    again = RunWindow(int(account.id), [int(binding.id)], countdown=0)
    run_to_end(qtbot, again)
    assert again.report is not None and again.report.status == "ok"
    assert live_count(name) == 200
    book = AddressBook.get(AddressBook.name == name)
    uids = [c.uid for c in Contact.select().where(Contact.book == book)]
    assert len(uids) == len(set(uids)) == 200  # no duplicates


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_mass_deletion_guard_asks_before_deleting(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
) -> None:
    name = unique("Masse")
    url = seed_book(radicale_server, name, 4)
    binding = bound(account, name, Mode.parse("sync", "server"))
    first = RunWindow(int(account.id), [int(binding.id)], countdown=0)
    run_to_end(qtbot, first)
    assert live_count(name) == 4
    first.close()
    for href in radicale_server.list_etags(url):
        radicale_server.delete_card(radicale_server.url(href))

    asked: list[str] = []

    def question(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes if answer == "yes" else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    window = RunWindow(int(account.id), [int(binding.id)], countdown=0)
    run_to_end(qtbot, window)
    assert len(asked) == 1 and "wirklich löschen?" in asked[0]
    assert window.report is not None
    if answer == "yes":
        assert window.runs == 2
        assert window.report.books[0].deleted_local == 4
        assert live_count(name) == 0
    else:
        assert window.runs == 1
        assert window.report.books[0].held_back == 4
        assert live_count(name) == 4


def test_closing_mid_run_asks_first(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = unique("Schließen")
    seed_book(radicale_server, name, 60)
    binding = bound(account, name, Mode.parse("import", "add"))
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[1]))
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    window = RunWindow(int(account.id), [int(binding.id)], countdown=0)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.is_running, timeout=TIMEOUT)
    window.close()  # answered "no": keeps running
    assert window.isVisible() and asked == ["Abgleich läuft"]
    window.close()  # answered "yes": cancels, then closes by itself
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT)
    assert window.report is not None and window.report.status in ("cancelled", "ok")
