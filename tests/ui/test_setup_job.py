"""A run does what the user set up, and nothing else (issue 15, item 3).

The setup dialog's choice (operation, option, local book) goes to the run window as data
and is saved only when the run starts, under the sync lock. Real Radicale, the real setup
dialog, run window and tray tick offscreen, a real SQLite file; another process holds the
sync lock for real (tests/unit/test_sync_lock.py).

* "Abbrechen" in the countdown of a "Neu anlegen": the binding table is byte-identical and
  the next background tick runs nothing new (no wipe, no new book).
* A refused start — another process syncs this database, or a background run holds the
  account — leaves the bindings as they were.
* A binding that still says "Neu anlegen" is never started by the tray: it is named in
  the report and in one notice, nothing is wiped. Started by hand it runs.
* The normal start saves and runs; a repeated run (password) runs the saved binding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from app import secrets
from app.accounts import add_account
from app.store.models import Account, Binding, Contact, ItemState, database
from app.store.models import RunReport as StoredReport
from app.store.reports import load_report
from app.sync.jobs import AccountJob, list_bindings
from app.sync.modes import Mode
from app.sync.report import RunReport
from tests.servers.conftest import radicale_server  # noqa: F401
from tests.servers.dav_servers import DavServer
from tests.ui.test_password_prompt import answering, types
from tests.ui.test_setup_and_run import (  # noqa: F401 - a fixture
    bound,
    live_count,
    no_threads_left,
    open_setup,
    run_to_end,
    seed_book,
    unique,
)
from tests.ui.test_tray import FakeClock, make_tray, settings, wait_idle  # noqa: F401
from tests.unit.test_sync_lock import hold_lock_in_subprocess
from ui.run_window import RunWindow
from ui.sync_page import BookRow
from ui.tray import TrayController

RECREATE = Mode.parse("sync", "recreate")


@pytest.fixture
def account(store: Path, radicale_server: DavServer) -> Account:  # noqa: F811
    s = radicale_server
    return add_account("Test", server=s.root_url, username=s.user, password=s.password)


@pytest.fixture
def window(qtbot: QtBot) -> QMainWindow:
    w = QMainWindow()
    qtbot.addWidget(w)
    return w


def table_dump(model: Any) -> list[tuple[Any, ...]]:
    """Every row of a table as SQLite returns it."""
    table = model._meta.table_name
    return list(database.execute_sql(f'SELECT * FROM "{table}" ORDER BY id').fetchall())


def contacts_dump() -> list[tuple[Any, ...]]:
    return table_dump(Contact)


def schedule_reports(account_id: int) -> list[StoredReport]:
    return list(
        StoredReport.select()
        .where((StoredReport.account == account_id) & (StoredReport.trigger == "schedule"))
        .order_by(StoredReport.id)
    )


def stored_report(report_id: int) -> RunReport:
    data = load_report(report_id)
    assert data is not None
    return RunReport.from_dict(data)


def synced_book(account: Account, server: DavServer, count: int = 3) -> tuple[str, Binding]:
    """A server book bound as "Synchronisation · Server" and synced once."""
    name = unique("Büro")
    seed_book(server, name, count)
    binding = bound(account, name, Mode.parse("sync", "server"))
    assert AccountJob(account, [binding]).run().status == "ok"
    assert live_count(name) == count
    return name, Binding.get_by_id(binding.id)


def say_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer the "Neu anlegen" question with yes; the questions asked."""
    asked: list[str] = []

    def question(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[1]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def choose(qtbot: QtBot, account: Account, names: list[str], mode: Mode, countdown: int) -> Any:
    dialog = open_setup(qtbot, account, run_countdown=countdown)
    for name in names:
        dialog.set_checked(name)
    dialog.set_mode(mode)
    return dialog


def tick(qtbot: QtBot, tray: TrayController, clock: FakeClock) -> None:
    """The next background tick, an interval later (the real tray code path)."""
    clock.advance(minutes=60)
    tray.tick()
    wait_idle(qtbot, tray)


def test_cancel_in_the_countdown_of_neu_anlegen_changes_nothing_and_the_tray_runs_nothing(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    window: QMainWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name, binding = synced_book(account, radicale_server)
    fresh = unique("Neu")
    seed_book(radicale_server, fresh, 2)
    clock = FakeClock()
    h = make_tray(window, clock)
    bindings, states, contacts = table_dump(Binding), table_dump(ItemState), contacts_dump()

    dialog = choose(qtbot, account, [name, fresh], RECREATE, countdown=5)
    asked = say_yes(monkeypatch)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert asked == ["Neu anlegen"]
    run = dialog.run_window
    assert isinstance(run, RunWindow)
    assert "Der Abgleich beginnt in 5 s" in run.phase_label.text()
    assert table_dump(Binding) == bindings  # nothing saved before the run starts
    qtbot.mouseClick(run.cancel_button, Qt.MouseButton.LeftButton)
    assert run.phase_label.text() == "Abgebrochen – es wurde nichts geändert."
    run.close()  # gives the account back to the tray

    # … and that is true: the bindings and their state are byte-identical.
    assert table_dump(Binding) == bindings
    assert table_dump(ItemState) == states
    assert contacts_dump() == contacts
    assert [b.remote_name for b in list_bindings(account)] == [name]

    # The next background tick does what was set up before: sync · server, no wipe.
    tick(qtbot, h.tray, clock)
    [stored] = schedule_reports(int(account.id))
    assert stored.status == "ok"
    report = stored_report(stored.id)
    assert [(b.book, b.mode, b.deleted_local) for b in report.books] == [(name, "sync/server", 0)]
    assert live_count(name) == 3
    assert contacts_dump() == contacts  # nothing trashed, nothing re-imported
    assert live_count(fresh) == 0 and [b.remote_name for b in list_bindings(account)] == [name]
    after = Binding.get_by_id(binding.id)
    assert (after.operation, after.option, after.enabled) == ("sync", "server", True)
    assert h.notes == []


def test_start_by_hand_saves_the_binding_when_the_run_starts_and_runs_it(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name, binding = synced_book(account, radicale_server, count=4)
    bindings = table_dump(Binding)
    dialog = choose(qtbot, account, [name], RECREATE, countdown=30)
    say_yes(monkeypatch)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    run = dialog.run_window
    assert isinstance(run, RunWindow) and run.state == "countdown"
    assert table_dump(Binding) == bindings
    seen: list[tuple[str, str]] = []

    def on_job(worker: Any) -> None:  # the moment the job starts: still not saved
        b = Binding.get_by_id(binding.id)
        seen.append((b.operation, b.option))

    run.job_started.connect(on_job)
    qtbot.mouseClick(run.start_now_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: run.report is not None, timeout=30_000)
    assert seen == [("sync", "server")]
    report = run.report
    assert report is not None and report.status == "ok", report.message
    [book] = report.books
    assert book.mode == "sync/recreate"
    assert book.deleted_local == 4 and book.added_local == 4
    assert any("wurde die Datenbank gesichert" in n for n in book.notes)  # before the wipe
    assert live_count(name) == 4
    # "Neu anlegen" ran once; the binding continues as "Server".
    after = Binding.get_by_id(binding.id)
    assert (after.operation, after.option) == ("sync", "server")
    assert run.pending == [] and run.binding_ids == [binding.id]


def test_a_start_refused_by_another_process_leaves_the_bindings(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    store: Path,
) -> None:
    name, _binding = synced_book(account, radicale_server)
    fresh = unique("Neu")
    seed_book(radicale_server, fresh, 2)
    bindings, states, contacts = table_dump(Binding), table_dump(ItemState), contacts_dump()
    proc = hold_lock_in_subprocess(store)  # e.g. a `contactbox-sync daemon`
    try:
        dialog = choose(qtbot, account, [name, fresh], RECREATE, countdown=0)
        say_yes(monkeypatch)
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        run = dialog.run_window
        assert isinstance(run, RunWindow)
        run_to_end(qtbot, run)
        report = run.report
        assert report is not None and report.error_kind == "locked"
        assert f"PID {proc.pid}" in report.message
        assert table_dump(Binding) == bindings
        assert table_dump(ItemState) == states
        assert contacts_dump() == contacts
        assert run.pending != []  # still only the user's choice, not saved
    finally:
        proc.kill()
        proc.wait()


def test_a_start_refused_because_a_background_run_holds_the_account_leaves_the_bindings(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    window: QMainWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name, _binding = synced_book(account, radicale_server)
    fresh = unique("Neu")
    seed_book(radicale_server, fresh, 2)
    h = make_tray(window, FakeClock())
    bindings, states = table_dump(Binding), table_dump(ItemState)
    dialog = choose(qtbot, account, [name, fresh], RECREATE, countdown=5)
    say_yes(monkeypatch)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(str(a[2])))
    # What a background run of this account holds while it runs (ui/tray.py _start).
    assert h.tray.scheduler.try_acquire(int(account.id))
    try:
        dialog.start_selected()
    finally:
        h.tray.scheduler.release(int(account.id))
    assert told and "im Hintergrund abgeglichen" in told[0]
    assert dialog.run_window is None and dialog.isVisible()
    assert table_dump(Binding) == bindings
    assert table_dump(ItemState) == states


def test_the_tray_never_starts_a_binding_set_to_neu_anlegen(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    window: QMainWindow,
) -> None:
    name, binding = synced_book(account, radicale_server)
    other, _ = synced_book(account, radicale_server, count=2)
    # Left so by a run by hand that ended before its wipe (e.g. no connection).
    Binding.update(option="recreate").where(Binding.id == binding.id).execute()
    bindings, contacts = table_dump(Binding), contacts_dump()
    clock = FakeClock()
    h = make_tray(window, clock)

    tick(qtbot, h.tray, clock)
    assert contacts_dump() == contacts  # nothing wiped, nothing re-imported
    assert live_count(name) == 3
    assert Binding.get_by_id(binding.id).option == "recreate"
    [stored] = schedule_reports(int(account.id))
    assert stored.status == "ok"
    report = stored_report(stored.id)
    books = {b.book: b for b in report.books}
    assert set(books) == {name, other}
    assert "„Neu anlegen“ wird nur ausgeführt, wenn Sie den Abgleich selbst starten" in (
        books[name].not_started
    )
    assert books[name].deleted_local == 0 and not books[other].not_started
    [note] = h.notes
    assert "„Neu anlegen“ wird nicht im Hintergrund ausgeführt" in note[1] and name in note[1]

    tick(qtbot, h.tray, clock)  # told once, not at every interval
    assert len(schedule_reports(int(account.id))) == 2 and len(h.notes) == 1
    assert contacts_dump() == contacts
    assert [r.option for r in Binding.select().order_by(Binding.id)] == ["recreate", "server"]
    assert table_dump(Binding)[0] == bindings[0]  # the skipped binding: not even touched

    # The sync page says that it waits for the user …
    info = next(b for b in list_bindings(account) if b.id == binding.id)
    row = BookRow(info)
    qtbot.addWidget(row)
    assert "„Neu anlegen“ wartet auf Ihren Start" in row.time_label.text()
    # … and started by hand ("Adressbuch abgleichen") it runs.
    run = RunWindow(int(account.id), [int(binding.id)], countdown=0)
    run_to_end(qtbot, run)
    assert run.report is not None and run.report.status == "ok"
    assert run.report.books[0].deleted_local == 3 and live_count(name) == 3
    assert Binding.get_by_id(binding.id).option == "server"


def test_a_refused_password_runs_the_saved_binding_again_not_the_choice(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name, binding = synced_book(account, radicale_server)
    dialog = choose(qtbot, account, [name], RECREATE, countdown=0)
    secrets.set_password(int(account.id), "nicht-das-richtige")  # changed on the server
    shown = answering(monkeypatch, types(radicale_server.password, store=True))
    say_yes(monkeypatch)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    run = dialog.run_window
    assert isinstance(run, RunWindow)
    run_to_end(qtbot, run)
    assert len(shown) == 1 and run.runs == 2
    assert run.pending == [] and run.binding_ids == [binding.id]
    assert run.report is not None and run.report.status == "ok", run.report.message
    assert run.report.books[0].deleted_local == 3  # "Neu anlegen" once, on the second run
    trashed = Contact.select().where(Contact.deleted_at.is_null(False)).count()
    assert trashed == 3 and live_count(name) == 3
    assert Binding.get_by_id(binding.id).option == "server"
