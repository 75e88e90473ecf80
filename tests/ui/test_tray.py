"""ui.tray: menu and state, scheduled runs against a real Radicale, backoff, close-to-tray."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from app import secrets
from app.accounts import add_account
from app.dav.errors import AuthError, HostUnreachable, ServerError
from app.store.contacts import ensure_book
from app.store.models import Account, Binding, utcnow
from app.store.models import RunReport as StoredReport
from app.sync.jobs import bind_book, book_overview
from app.sync.modes import Mode
from app.sync.report import BookReport, RunReport
from tests.servers.conftest import radicale_server  # noqa: F401
from tests.servers.dav_servers import DavServer
from tests.ui.test_password_prompt import answering, types
from ui import workers
from ui.settings import app_settings, settings_path
from ui.tray import TrayController, report_failure_kind

TIMEOUT = 30_000
MENU = ["Öffnen", "", "Zuletzt: noch nie", "Jetzt synchronisieren", "Pause", "", "Beenden"]


class FakeClock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture(autouse=True)
def settings(global_qsettings: Path) -> Iterator[None]:
    """The hints are remembered in the data directory's settings.ini (ui/settings.py), never
    in the user's global Qt settings (tests/ui/conftest.py points those here)."""
    yield
    assert not [p for p in global_qsettings.rglob("*") if p.is_file()]


@pytest.fixture(autouse=True)
def no_threads_left(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=TIMEOUT)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window(qtbot: QtBot) -> QMainWindow:
    w = QMainWindow()
    w.setWindowTitle("Contactbox Sync")
    qtbot.addWidget(w)
    w.show()
    return w


class Harness:
    def __init__(self, tray: TrayController) -> None:
        self.tray = tray
        self.notes: list[tuple[str, str, int]] = []
        self.quits = 0
        tray.notified.connect(lambda *n: self.notes.append(n))


def make_tray(window: QMainWindow, clock: FakeClock, *, available: bool = True) -> Harness:
    holder: dict[str, Harness] = {}

    def quit_app() -> None:
        holder["h"].quits += 1

    tray = TrayController(
        window,
        available=lambda: available,
        clock=clock,
        tick_ms=3_600_000,
        first_tick_ms=-1,
        quit_app=quit_app,
    )
    holder["h"] = Harness(tray)
    return holder["h"]


def wait_idle(qtbot: QtBot, tray: TrayController) -> None:
    qtbot.waitUntil(lambda: tray._job is None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=TIMEOUT)


def texts(tray: TrayController) -> list[str]:
    return tray.action_texts()


# ---------------------------------------------------------------- menu and state


def test_menu_contents_and_pause_resume(
    qtbot: QtBot, store: Path, window: QMainWindow, clock: FakeClock
) -> None:
    h = make_tray(window, clock)
    tray = h.tray
    assert tray.tray_available and tray.tray.isVisible()
    assert tray.state == "idle"
    assert texts(tray) == MENU
    assert tray.tray.toolTip() == "Contactbox Sync – zuletzt synchronisiert: noch nie"
    states: list[str] = []
    tray.state_changed.connect(states.append)

    tray.action("Pause").trigger()
    assert tray.state == "paused" and tray.paused
    assert texts(tray)[2:5] == [
        "Automatischer Abgleich pausiert",
        "Jetzt synchronisieren",
        "Fortsetzen",
    ]
    assert "Pausiert" in tray.tray.toolTip()
    tray.action("Fortsetzen").trigger()
    assert tray.state == "idle"
    assert states == ["paused", "idle"]

    # the menu is rebuilt whenever it is about to show
    tray.scheduler.pause()
    tray._menu.aboutToShow.emit()
    assert "Fortsetzen" in [a.text() for a in tray._menu.actions()]
    tray.resume()

    window.hide()
    tray.action("Öffnen").trigger()
    assert window.isVisible()


def test_menu_renders(
    qtbot: QtBot, store: Path, window: QMainWindow, clock: FakeClock, tmp_path: Path
) -> None:
    """The menu pops up and renders (docs/screenshots/tray-menu.png is made the same way)."""
    tray = make_tray(window, clock).tray
    menu = tray.menu()
    menu.popup(window.mapToGlobal(window.rect().center()))
    qtbot.waitUntil(menu.isVisible)
    pixmap = menu.grab()
    menu.hide()
    out = tmp_path / "tray-menu.png"
    assert pixmap.save(str(out))
    assert pixmap.width() > 50 and pixmap.height() > 100


def test_report_failure_kind() -> None:
    def report(message: str = "", book_error: str = "") -> RunReport:
        r = RunReport("A", "run", utcnow(), status="failed", message=message)
        if book_error:
            r.books.append(BookReport("B", "/b/", "B", "sync/server", error=book_error))
        return r

    assert report_failure_kind(report(AuthError().message)) == "auth"
    assert report_failure_kind(report(HostUnreachable().message)) == "network"
    assert report_failure_kind(report(book_error=ServerError(status=503).message)) == "server"
    assert report_failure_kind(report("Kaputt")) == "other"


# ---------------------------------------------------------------- close, quit, no tray


def test_close_hides_to_tray_with_a_hint_once_and_beenden_quits(
    qtbot: QtBot, store: Path, window: QMainWindow, clock: FakeClock
) -> None:
    h = make_tray(window, clock)
    assert window.close() is False  # the filter kept it alive …
    assert not window.isVisible()  # … hidden in the tray
    assert len(h.notes) == 1 and "läuft weiter" in h.notes[0][0]
    h.tray.show_window()
    assert window.isVisible()
    window.close()
    assert len(h.notes) == 1  # explained only the first time
    assert app_settings().value("tray/close_hint_shown", False, type=bool)
    assert settings_path().parent == store.parent  # next to the database

    h.tray.action("Beenden").trigger()
    assert h.quits == 1
    assert not h.tray.tray.isVisible()
    h.tray.show_window()
    assert window.close() is True  # quitting: the window really closes now
    assert not h.tray.timer.isActive()


def test_without_tray_close_closes_and_the_user_is_told_once(
    qtbot: QtBot, store: Path, window: QMainWindow, clock: FakeClock, monkeypatch: Any
) -> None:
    h = make_tray(window, clock, available=False)
    assert h.tray.tray_available is False
    assert not h.tray.tray.isVisible()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    assert h.tray.tell_no_tray_once() is True
    assert h.tray.tell_no_tray_once() is False
    assert shown == [h.tray.no_tray_text()]
    assert window.close() is True
    assert not window.isVisible()
    assert h.notes == []  # no tray hint


# ---------------------------------------------------------------- scheduled runs


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:6]}"


@pytest.fixture
def synced_account(store: Path, radicale_server: DavServer) -> Account:  # noqa: F811
    """An account on Radicale with one server book bound for two-way sync."""
    s = radicale_server
    name = unique("Tray")
    url = s.make_book(display_name=name)
    uid = f"tray-{uuid.uuid4().hex[:8]}"
    card = "\r\n".join(
        ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", "FN:Erika Muster", "N:Muster;Erika;;;"]
    )
    card += "\r\nEND:VCARD\r\n"
    s.put_cards(url, {"tray-1.vcf": card}, display_name=name)
    account = add_account(unique("Büro"), server=s.root_url, username=s.user, password=s.password)
    remote = next(ov.remote for ov in book_overview(account) if ov.remote.display_name == name)
    bind_book(account, remote, Mode.parse("sync", "server"))
    return account


def schedule_reports(account: Account) -> list[StoredReport]:
    return list(
        StoredReport.select()
        .where((StoredReport.account == account.id) & (StoredReport.trigger == "schedule"))
        .order_by(StoredReport.id)
    )


def test_due_account_runs_on_tick_and_stores_a_schedule_report(
    qtbot: QtBot, window: QMainWindow, clock: FakeClock, synced_account: Account
) -> None:
    h = make_tray(window, clock)
    tray = h.tray
    states: list[str] = []
    tray.state_changed.connect(states.append)
    tray.tick()
    assert tray.state == "syncing"
    assert tray.is_busy(synced_account.id)
    assert "Synchronisiert „" in texts(tray)[2]
    assert not tray.action("Jetzt synchronisieren").isEnabled()
    wait_idle(qtbot, tray)
    reports = schedule_reports(synced_account)
    assert [r.status for r in reports] == ["ok"]
    assert tray.state == "idle" and states == ["syncing", "idle"]
    assert h.notes == []  # a plain success is not announced
    assert "noch nie" not in tray.tray.toolTip()
    assert tray.tray.toolTip().startswith("Contactbox Sync – zuletzt synchronisiert: heute, ")

    tray.tick()  # not due again yet
    assert tray._job is None
    clock.advance(minutes=15)
    tray.tick()
    assert tray._job is not None
    wait_idle(qtbot, tray)
    assert len(schedule_reports(synced_account)) == 2

    # Beenden while a job runs: cancel, wait for the thread, quit
    clock.advance(minutes=15)
    tray.tick()
    assert tray._job is not None
    assert tray.quit(timeout_ms=TIMEOUT) is True
    assert h.quits == 1 and tray._job is None and workers.running_count() == 0
    assert schedule_reports(synced_account)[-1].status in ("ok", "cancelled")


def test_wrong_password_backs_off_and_notifies_once(
    qtbot: QtBot,
    window: QMainWindow,
    clock: FakeClock,
    synced_account: Account,
    radicale_server: DavServer,  # noqa: F811
) -> None:
    secrets.set_password(synced_account.id, "falsch")
    h = make_tray(window, clock)
    tray = h.tray
    tray.tick()
    wait_idle(qtbot, tray)
    reports = schedule_reports(synced_account)
    assert [r.status for r in reports] == ["failed"]
    assert tray.state == "error"
    assert len(h.notes) == 1
    title, text, report_id = h.notes[0]
    assert title == "Synchronisierung fehlgeschlagen"
    assert "Passwort" in text and synced_account.label in text
    assert report_id == reports[0].id
    assert "Klicken Sie hier, um das Passwort einzugeben." in text
    assert "Passwort" in tray.tray.toolTip()
    assert f"Passwort für „{synced_account.label}“ eingeben …" in texts(tray)

    for _ in range(3):  # a day later: still held, the server is not hammered
        clock.advance(hours=8)
        tray.tick()
        assert tray._job is None
    assert len(schedule_reports(synced_account)) == 1

    tray.run_now()  # "Jetzt synchronisieren" tries once more (a manual run) …
    wait_idle(qtbot, tray)
    manual = StoredReport.select().where(StoredReport.trigger == "manual").count()
    assert manual == 1
    assert len(h.notes) == 1  # … and does not notify twice for the same trouble

    # the password is fixed in the account dialog: the edit resumes the schedule
    secrets.set_password(synced_account.id, radicale_server.password)
    tray.account_changed(synced_account.id)
    assert tray.state == "idle"
    tray.tick()
    wait_idle(qtbot, tray)
    assert [r.status for r in schedule_reports(synced_account)] == ["failed", "ok"]
    assert tray.state == "idle"
    assert not any(t.startswith("Passwort für") for t in texts(tray))


def test_clicking_the_password_notice_asks_and_runs_again(
    qtbot: QtBot,
    window: QMainWindow,
    clock: FakeClock,
    synced_account: Account,
    radicale_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server refuses the password: the notice, when clicked, opens the password prompt
    (typed into the real dialog); the new password is saved and the account runs at once.
    Cancelled, nothing changes and the menu still offers it."""
    account_id = int(synced_account.id)
    secrets.set_password(account_id, "falsch")
    h = make_tray(window, clock)
    tray = h.tray
    reported: list[int] = []
    tray.report_requested.connect(reported.append)
    tray.tick()
    wait_idle(qtbot, tray)
    assert tray.state == "error" and len(h.notes) == 1
    entry = f"Passwort für „{synced_account.label}“ eingeben …"

    shown = answering(monkeypatch, lambda dialog: False)  # "Abbrechen"
    tray.tray.messageClicked.emit()
    assert len(shown) == 1 and window.isVisible()
    assert "hat die Anmeldung für den Account" in shown[0].message.text()
    assert shown[0].user_label.text() == radicale_server.user
    assert tray._job is None and tray.state == "error"
    assert secrets.get_password(account_id) == "falsch"
    assert entry in texts(tray) and reported == []

    shown = answering(monkeypatch, types(radicale_server.password, store=True))
    tray.action(entry).trigger()  # later, from the menu
    assert len(shown) == 1
    assert tray._job is not None  # runs at once, not at the next interval
    wait_idle(qtbot, tray)
    statuses = [
        r.status
        for r in StoredReport.select()
        .where(StoredReport.account == account_id)
        .order_by(StoredReport.id)
    ]
    assert statuses == ["failed", "ok"]
    assert tray.state == "idle"
    assert entry not in texts(tray)
    assert keyring.get_password(secrets.SERVICE, secrets.entry_name(account_id)) == (
        radicale_server.password
    )
    assert len(h.notes) == 1  # the good run is not announced


def test_other_notices_open_their_report_when_clicked(
    window: QMainWindow, clock: FakeClock, store: Path
) -> None:
    h = make_tray(window, clock)
    reported: list[int] = []
    h.tray.report_requested.connect(reported.append)
    h.tray._notify("Contactbox Sync – „Büro“", "2 Konflikte wurden gelöst", 42)
    h.tray.tray.messageClicked.emit()
    assert reported == [42]


def test_without_a_tray_the_password_notice_points_to_the_window(
    qtbot: QtBot,
    window: QMainWindow,
    clock: FakeClock,
    synced_account: Account,
) -> None:
    secrets.set_password(int(synced_account.id), "falsch")
    h = make_tray(window, clock, available=False)
    h.tray.tick()
    wait_idle(qtbot, h.tray)
    assert len(h.notes) == 1
    assert "bis Sie ihn im Fenster starten" in h.notes[0][1]
    assert "Klicken Sie hier" not in h.notes[0][1]


def test_unreachable_server_waits_quietly(
    qtbot: QtBot, store: Path, window: QMainWindow, clock: FakeClock
) -> None:
    account = Account.create(
        label="Offline", username="u", server="127.0.0.1", base_url="http://127.0.0.1:9/"
    )
    secrets.set_password(account.id, "pw")
    Binding.create(
        account=account,
        remote_href="/u/book/",
        book=ensure_book("Offline"),
        operation="sync",
        option="server",
    )
    h = make_tray(window, clock)
    tray = h.tray
    tray.tick()
    wait_idle(qtbot, tray)
    assert [r.status for r in StoredReport.select()] == ["failed"]
    entry = tray.scheduler.get(account.id)
    assert entry is not None and entry.failure_kind == "network"
    assert h.notes == [] and tray.state == "idle"  # quiet
    clock.advance(minutes=5)  # a short retry, not the doubled interval
    tray.tick()
    assert tray._job is not None
    wait_idle(qtbot, tray)
    assert h.notes == []


def test_manual_run_window_shares_the_account_lock(
    qtbot: QtBot, store: Path, window: QMainWindow, clock: FakeClock
) -> None:
    account = Account.create(label="Lock", username="u", server="x", base_url="http://x/")
    Binding.create(account=account, remote_href="/b/", book=ensure_book("Lock"), operation="oneway")

    class FakeRunWindow(QObject):
        run_finished = Signal(object)
        finished = Signal(int)

        def __init__(self) -> None:
            super().__init__()
            self.account_id = account.id
            self.worker = None

    h = make_tray(window, clock)
    tray = h.tray
    run_window = FakeRunWindow()
    assert tray.watch_run_window(run_window) is True
    assert tray.is_busy(account.id) and tray.state == "syncing"
    assert tray.watch_run_window(FakeRunWindow()) is False  # one job per account
    tray.tick()
    assert tray._job is None  # the schedule waits for the manual run
    run_window.run_finished.emit(RunReport("Lock", "run", utcnow(), status="ok"))
    assert not tray.is_busy(account.id) and tray.state == "idle"
    entry = tray.scheduler.get(account.id)
    assert entry is not None and entry.last_success == clock()

    closed = FakeRunWindow()  # closed during the countdown: the lock is released
    assert tray.watch_run_window(closed)
    closed.finished.emit(0)
    assert not tray.is_busy(account.id)


def test_wiring_helpers(qtbot: QtBot, store: Path, window: QMainWindow, clock: FakeClock) -> None:
    """current_tray(), the window's own Beenden, open_report for a clicked notification."""
    from PySide6.QtGui import QAction

    from app.store.reports import save_report
    from ui.report_dialog import ReportDialog
    from ui.tray import current_tray, open_report

    h = make_tray(window, clock)
    assert current_tray() is h.tray
    own_quit = QAction("&Beenden", window)
    own_quit.triggered.connect(window.close)
    h.tray.adopt_quit_action(own_quit)
    report = RunReport("Büro", "run", utcnow(), status="failed", message="Kaputt")
    report_id = save_report(None, report.to_dict(), "schedule")
    dialog = open_report(report_id, window)
    assert isinstance(dialog, ReportDialog) and dialog.isVisible()
    assert dialog.report.message == "Kaputt"
    dialog.close()
    assert open_report(report_id + 100, window) is None
    own_quit.trigger()
    assert h.quits == 1 and current_tray() is not h.tray
