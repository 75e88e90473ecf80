"""Contactbox in the system tray: periodic sync by app.scheduler, state icon, menu, notices.

`TrayController(window)` owns a QSystemTrayIcon and a QTimer. Every tick it asks the
Scheduler which accounts are due and runs them one account at a time on a JobWorker
thread (`background_job(account, trigger)`, app/sync/background.py: the enabled OneWay and
two-way bindings; one still set to "Neu anlegen" is never started here, only named).

* The context menu is built in `aboutToShow`, so it always shows the current state.
* Notifications only for failures (once per failure streak, see app.scheduler), conflicts,
  held-back mass deletions and a "Neu anlegen" left for a start by hand (once each);
  clicking one emits `report_requested(report_id)`.
* A refused or missing password holds the account (no retries). Clicking that notice, or
  the menu's „Passwort für „…“ eingeben …“, asks for the password (ui/password_prompt.py)
  and runs the account again; a scheduled run never opens a dialog by itself.
* Closing the window hides it to the tray (explained once); "Beenden" cancels a running
  job, waits for its thread (with a timeout) and quits.
* Without a system tray the window is not hidden on close; `tray_available` is False and
  `tell_no_tray_once()` explains it.
* Manual runs share the per-account lock: `watch_run_window(run_window)` before it starts.

Its parts are mixins of TrayController (plain methods, no @Slot; strings in the context
"TrayController"): ui/tray_schedule.py the schedule and the background jobs,
ui/tray_menu.py the tooltip and the menu, ui/tray_notices.py the notifications and hints.
This module keeps the icon, the window, the user's actions, manual runs and quitting.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import datetime
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSystemTrayIcon,
    QWidget,
)

from app.scheduler import Scheduler
from app.store.accounts import find_account
from app.store.models import utcnow
from app.store.reports import last_success_time
from app.sync.report import RunReport
from ui.icons import icon
from ui.password_prompt import ask_password
from ui.store_watch import store_watch
from ui.tray_menu import TrayMenuPart
from ui.tray_notices import TrayNoticesPart
from ui.tray_schedule import TraySchedulePart, _Job, report_failure_kind
from ui.workers import running_count

__all__ = [
    "TrayController",
    "_Job",
    "claim_for_manual_run",
    "current_tray",
    "open_report",
    "report_failure_kind",
]

TICK_MS = 30_000
FIRST_TICK_MS = 5_000
QUIT_TIMEOUT_MS = 15_000


_CURRENT: list[weakref.ref[TrayController]] = []


def current_tray() -> TrayController | None:
    """The application's TrayController (pages use it to share the account lock)."""
    for ref in reversed(_CURRENT):
        tray = ref()
        if tray is not None and shiboken6.isValid(tray) and not tray._quitting:
            return tray
    return None


def open_report(report_id: int, parent: QWidget | None = None) -> QWidget | None:
    """Show a stored report (what a clicked notification opens): the Importbericht of an
    address book account, the Synchronisationsbericht of a calendar account."""
    from app.store.reports import load_report
    from ui.report_dialog import ReportDialog

    data = load_report(report_id)
    if data is None:
        return None
    dialog = ReportDialog(RunReport.from_dict(data), parent, report_id=report_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


class TrayController(TraySchedulePart, TrayMenuPart, TrayNoticesPart, QObject):
    report_requested = Signal(int)  # a notification was clicked: open this stored report
    state_changed = Signal(str)
    notified = Signal(str, str, int)  # title, text, report id (0: none)
    run_finished = Signal(int, object)  # account id, RunReport: the window may refresh
    quitting = Signal()

    def __init__(
        self,
        window: QMainWindow,
        *,
        available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
        clock: Callable[[], datetime] = utcnow,
        scheduler: Scheduler | None = None,
        tick_ms: int = TICK_MS,
        first_tick_ms: int = FIRST_TICK_MS,
        quit_app: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.clock = clock
        self.scheduler = scheduler or Scheduler(clock)
        self.tray_available = bool(available())
        self._quit_app = quit_app or QApplication.quit
        self._job: _Job | None = None
        self._queue: list[int] = []  # "Jetzt synchronisieren": run these, even when paused
        self._manual: dict[int, QWidget] = {}  # account id -> watched RunWindow
        self._quitting = False
        self._state = ""
        self._message_report_id = 0
        self._message_password_account = 0  # the last notice was about this account's password
        self._held_back_told: dict[int, tuple[str, ...]] = {}
        self._by_hand_told: dict[int, tuple[str, ...]] = {}
        self._errors_told: dict[int, tuple[str, ...]] = {}
        self._last_message: dict[int, str] = {}  # account id -> last failure text
        self._seeded: set[int] = set()

        self.tray = QSystemTrayIcon(self)
        self._menu = QMenu()
        self._menu.aboutToShow.connect(self._build_menu)
        self.tray.setContextMenu(self._menu)
        self.tray.activated.connect(self._on_activated)
        self.tray.messageClicked.connect(self._on_message_clicked)
        self._build_menu()

        window.installEventFilter(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._shutdown)
        _CURRENT[:] = [r for r in _CURRENT if r() is not None]
        _CURRENT.append(weakref.ref(self))

        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        if first_tick_ms >= 0:
            QTimer.singleShot(first_tick_ms, self.tick)
        # "zuletzt synchronisiert" also after a run of the CLI or the daemon (ui/store_watch.py)
        store_watch().reports_changed.connect(self._update)
        self._update()
        if self.tray_available:
            self.tray.show()

    # ------------------------------------------------------------------ state

    @property
    def state(self) -> str:
        """ "syncing" | "paused" | "error" | "idle" (what the icon shows)."""
        if self._job is not None or any(self.scheduler.is_running(a) for a in self._manual):
            return "syncing"
        if self.scheduler.paused:
            return "paused"
        for entry in self.scheduler.accounts():
            if (
                entry.enabled
                and entry.failing
                and (entry.failure_kind != "network" or entry.notified)
            ):
                return "error"
        return "idle"

    @property
    def paused(self) -> bool:
        return self.scheduler.paused

    def is_busy(self, account_id: int) -> bool:
        return self.scheduler.is_running(account_id)

    def last_sync(self) -> datetime | None:
        """The latest successful run of any account (this session or stored)."""
        times = [t for t in (self.scheduler.last_success(), last_success_time()) if t]
        return max(times) if times else None

    @Slot()
    def _update(self) -> None:
        state = self.state
        self.tray.setToolTip(self.tooltip())
        if state != self._state:
            self._state = state
            self.tray.setIcon(icon(f"tray-{state}"))
            self.state_changed.emit(state)

    # ------------------------------------------------------------------ menu

    # ------------------------------------------------------------------ window

    @Slot()
    def show_window(self) -> None:
        """Bring the window back (tray "Öffnen", a second launch)."""
        w = self.window
        if w.isMinimized():
            w.showNormal()
        else:
            w.show()
        w.raise_()
        w.activateWindow()

    @Slot(QSystemTrayIcon.ActivationReason)
    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.show_window()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.window or event.type() != QEvent.Type.Close or self._quitting:
            return False
        if self.tray_available:
            event.ignore()
            self.window.hide()
            self._close_hint_once()
            return True
        self._shutdown()  # no tray: closing the window ends Contactbox, jobs first
        return False

    def adopt_quit_action(self, action: QAction) -> None:
        """Let the window's own "Beenden" quit (it would only hide to the tray)."""
        action.triggered.disconnect()
        action.triggered.connect(self.quit)

    # ------------------------------------------------------------------ schedule

    # ------------------------------------------------------------------ notifications

    # ------------------------------------------------------------------ user actions

    @Slot()
    def run_now(self) -> None:
        """ "Jetzt synchronisieren": every enabled account once, now (also when paused)."""
        if self._quitting:
            return
        self._sync_accounts()
        for entry in self.scheduler.accounts():
            if entry.enabled and entry.account_id not in self._queue:
                self._queue.append(entry.account_id)
        self.tick()

    def ask_password(self, account_id: int) -> bool:
        """Ask for the password of an account held for it; kept, the account runs again
        at once. True if a password was entered."""
        account = find_account(account_id)
        if account is None or self._quitting:
            return False
        self.show_window()
        if not ask_password(account_id, account.label, account.username, self.window):
            return False
        self.account_changed(account_id)
        if self._message_password_account == account_id:
            self._message_password_account = 0
        if account_id not in self._queue:
            self._queue.append(account_id)
        self.tick()
        return True

    @Slot()
    def pause(self) -> None:
        self.scheduler.pause()
        self._update()

    @Slot()
    def resume(self) -> None:
        self.scheduler.resume()
        self._update()
        QTimer.singleShot(0, self.tick)

    def account_changed(self, account_id: int) -> None:
        """The account was edited (password, server, interval …): forget its failures."""
        self.scheduler.reset(account_id)
        self._last_message.pop(account_id, None)
        self._update()

    # ------------------------------------------------------------------ manual runs

    def watch_run_window(self, run_window: Any) -> bool:
        """Share the account's lock with a RunWindow (ui/run_window.py) before it starts.

        False: a background run of this account is going on; do not start the window.
        """
        account_id = int(run_window.account_id)
        if not self.scheduler.try_acquire(account_id):
            return False
        self._manual[account_id] = run_window
        self.scheduler.record_start(account_id)

        def finished(report: RunReport) -> None:
            if self._manual.get(account_id) is not run_window:
                return
            del self._manual[account_id]
            if report.status == "cancelled":
                self.scheduler.release(account_id)
            elif report.status in ("ok", "errors"):
                self._last_message.pop(account_id, None)
                self.scheduler.record_result(account_id, True, manual=True)
            else:
                # the user sees the report already: record, but do not notify
                self._last_message[account_id] = report.message
                self.scheduler.record_result(
                    account_id, False, report_failure_kind(report), manual=True
                )
                entry = self.scheduler.get(account_id)
                if entry is not None:
                    entry.notified = True
            self._update()

        def closed(*_args: object) -> None:
            if self._manual.get(account_id) is run_window:
                del self._manual[account_id]
                self.scheduler.release(account_id)
                self._update()

        run_window.run_finished.connect(finished)
        run_window.finished.connect(closed)  # QDialog.finished: closed without a report
        self._update()
        return True

    # ------------------------------------------------------------------ quit

    @Slot()
    def quit(self, timeout_ms: int = QUIT_TIMEOUT_MS) -> bool:
        """ "Beenden": stop the schedule, cancel running jobs, wait for them, quit.

        True if every job ended within `timeout_ms`.
        """
        clean = self._shutdown(timeout_ms)
        self._quit_app()
        return clean

    @Slot()
    def _shutdown(self, timeout_ms: int = QUIT_TIMEOUT_MS) -> bool:
        """Stop the schedule, cancel running jobs and wait for them (idempotent)."""
        if self._quitting:
            return self._wait_for_jobs(timeout_ms)
        self._quitting = True
        self.timer.stop()
        self._queue.clear()
        if self._job is not None:
            self._job.worker.cancel()
        for run_window in list(self._manual.values()):
            worker = getattr(run_window, "worker", None)
            if worker is not None:
                worker.cancel()
        clean = self._wait_for_jobs(timeout_ms)
        self.quitting.emit()
        self.tray.hide()
        return clean

    def _wait_for_jobs(self, timeout_ms: int) -> bool:
        """Let queued signals through (the worker's thread quits by one) until all ended."""

        def idle() -> bool:
            return self._job is None and running_count() == 0

        if idle():
            return True
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(20)
        poll.timeout.connect(lambda: loop.quit() if idle() else None)
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.timeout.connect(loop.quit)
        poll.start()
        deadline.start(timeout_ms)
        loop.exec()
        poll.stop()
        deadline.stop()
        return idle()


def account_edited(account_id: int) -> None:
    """An account was edited (password, server …): the tray forgets its failures, so that an
    account held for its password runs again."""
    tray = current_tray()
    if tray is not None:
        tray.account_changed(account_id)


def claim_for_manual_run(parent: QWidget, window: QWidget) -> bool:
    """A manual run shares the account's lock with the background sync (ui/tray.py).

    False (and the window discarded, the user told) while a background run of the same
    account is going on.
    """
    tray = current_tray()
    if tray is None or tray.watch_run_window(window):
        return True
    QMessageBox.information(
        parent,
        QCoreApplication.translate("TrayController", "Abgleich läuft"),
        QCoreApplication.translate(
            "TrayController",
            "Dieser Account wird gerade im Hintergrund abgeglichen. Bitte versuchen Sie es "
            "gleich noch einmal.",
        ),
    )
    window.deleteLater()
    return False
