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
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QObject,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStatusBar,
    QSystemTrayIcon,
    QWidget,
)

from app.scheduler import FAILURE_KINDS, FailureKind, Scheduler, kind_of_message
from app.store.models import Account, utcnow
from app.store.models import RunReport as StoredReport
from app.store.reports import last_run_times
from app.sync.background import background_job
from app.sync.jobs import AccountJob
from app.sync.report import ADDRESS_BOOK, CALENDAR, BookReport, RunReport
from ui.icons import icon
from ui.password_prompt import ask_password
from ui.settings import app_settings
from ui.store_watch import store_watch
from ui.workers import JobWorker, running_count, start_worker

STATES = ("idle", "syncing", "error", "paused")
TICK_MS = 30_000
FIRST_TICK_MS = 5_000
QUIT_TIMEOUT_MS = 15_000
CLOSE_HINT_KEY = "tray/close_hint_shown"
NO_TRAY_HINT_KEY = "tray/no_tray_hint_shown"


_CURRENT: list[weakref.ref[TrayController]] = []


def current_tray() -> TrayController | None:
    """The application's TrayController (pages use it to share the account lock)."""
    for ref in reversed(_CURRENT):
        tray = ref()
        if tray is not None and shiboken6.isValid(tray) and not tray._quitting:
            return tray
    return None


def _tr(text: str) -> str:
    return QCoreApplication.translate("TrayController", text)


def open_report(report_id: int, parent: QWidget | None = None) -> QWidget | None:
    """Show a stored report (what a clicked notification opens): the Importbericht of an
    address book account, the Synchronisationsbericht of a calendar account."""
    from app.store.reports import load_report
    from ui.report_dialog import ReportDialog

    data = load_report(report_id)
    if data is None:
        return None
    dialog = ReportDialog(RunReport.from_dict(data), parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def _local_time(when_utc: datetime) -> str:
    local = when_utc.replace(tzinfo=UTC).astimezone()
    today = datetime.now(UTC).astimezone().date()
    if local.date() == today:
        return _tr("heute, {0} Uhr").format(local.strftime("%H:%M"))
    return _tr("{0} Uhr").format(local.strftime("%d.%m.%Y, %H:%M"))


def report_failure_kind(report: RunReport) -> FailureKind:
    """Why a run failed: "auth" | "network" | "server" | "other" (from its messages)."""
    explicit = getattr(report, "error_kind", None)  # if the job ever records the type
    if explicit in FAILURE_KINDS:
        return explicit  # type: ignore[no-any-return]
    if report.message:
        return kind_of_message(report.message)
    kinds = {kind_of_message(b.error) for b in report.books if b.error}
    order: tuple[FailureKind, ...] = ("auth", "network", "server")
    return next((k for k in order if k in kinds), "other")


class _Job:
    """The scheduled (or tray-started) job that runs now."""

    def __init__(
        self, account_id: int, label: str, trigger: str, worker: JobWorker, thread: QThread
    ) -> None:
        self.account_id = account_id
        self.label = label
        self.trigger = trigger
        self.worker = worker
        self.thread = thread


class TrayController(QObject):
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
        # save_report() stores a run when it ends: its `started` column is the end time
        stored = (
            StoredReport.select(StoredReport.started)
            .where(StoredReport.status.in_(("ok", "errors")))
            .order_by(StoredReport.id.desc())
            .first()
        )
        times = [t for t in (self.scheduler.last_success(), stored and stored.started) if t]
        return max(times) if times else None

    def tooltip(self) -> str:
        last = self.last_sync()
        when = _local_time(last) if last else _tr("noch nie")
        lines = [_tr("Contactbox Sync – zuletzt synchronisiert: {0}").format(when)]
        if self._job is not None:
            lines.append(_tr("Synchronisiert „{0}“ …").format(self._job.label))
        elif self.scheduler.paused:
            lines.append(_tr("Pausiert"))
        for entry in self.scheduler.accounts():
            if entry.enabled and entry.failing and entry.account_id in self._last_message:
                account = Account.get_or_none(Account.id == entry.account_id)
                label = account.label if account else str(entry.account_id)
                lines.append(f"{label}: {self._last_message[entry.account_id]}")
        return "\n".join(lines)

    @Slot()
    def _update(self) -> None:
        state = self.state
        self.tray.setToolTip(self.tooltip())
        if state != self._state:
            self._state = state
            self.tray.setIcon(icon(f"tray-{state}"))
            self.state_changed.emit(state)

    # ------------------------------------------------------------------ menu

    def menu(self) -> QMenu:
        """The context menu, as it would show now."""
        self._build_menu()
        return self._menu

    @Slot()
    def _build_menu(self) -> None:
        menu = self._menu
        menu.clear()
        open_action = menu.addAction(_tr("Öffnen"))
        font = QFont(open_action.font())
        font.setBold(True)
        open_action.setFont(font)
        open_action.triggered.connect(self.show_window)
        menu.addSeparator()
        info = menu.addAction(self._status_line())
        info.setEnabled(False)
        sync_now = menu.addAction(_tr("Jetzt synchronisieren"))
        sync_now.setEnabled(self._job is None and not self._quitting)
        sync_now.triggered.connect(self.run_now)
        for account_id, label in self._held_for_password():
            ask = menu.addAction(_tr("Passwort für „{0}“ eingeben …").format(label))
            ask.setEnabled(not self._quitting)
            ask.triggered.connect(lambda _=False, a=account_id: self.ask_password(a))
        if self.scheduler.paused:
            toggle = menu.addAction(_tr("Fortsetzen"))
            toggle.triggered.connect(self.resume)
        else:
            toggle = menu.addAction(_tr("Pause"))
            toggle.triggered.connect(self.pause)
        menu.addSeparator()
        quit_action = menu.addAction(_tr("Beenden"))
        quit_action.triggered.connect(self.quit)

    def _held_for_password(self) -> list[tuple[int, str]]:
        """(account id, label) of the accounts held because the server refused the password
        or none was found."""
        held = [e.account_id for e in self.scheduler.accounts() if e.held]
        if not held:
            return []
        rows = Account.select(Account.id, Account.label).where(Account.id.in_(held))
        return sorted(((int(a.id), str(a.label)) for a in rows), key=lambda r: r[1].casefold())

    def _status_line(self) -> str:
        if self._job is not None:
            return _tr("Synchronisiert „{0}“ …").format(self._job.label)
        if self.scheduler.paused:
            return _tr("Automatischer Abgleich pausiert")
        last = self.last_sync()
        return _tr("Zuletzt: {0}").format(_local_time(last) if last else _tr("noch nie"))

    def action_texts(self) -> list[str]:
        """The menu's entries ("" for a separator), for tests and screenshots."""
        return [a.text() for a in self.menu().actions()]

    def action(self, text: str) -> QAction:
        for a in self.menu().actions():
            if a.text() == text:
                return a
        raise KeyError(text)

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

    def _close_hint_once(self) -> None:
        settings = app_settings()
        if settings.value(CLOSE_HINT_KEY, False, type=bool):
            return
        settings.setValue(CLOSE_HINT_KEY, True)
        self._notify(
            _tr("Contactbox Sync läuft weiter"),
            _tr(
                "Contactbox Sync gleicht Ihre Adressbücher im Hintergrund weiter ab. "
                "Öffnen und Beenden über das Symbol im Infobereich."
            ),
            0,
        )

    def no_tray_text(self) -> str:
        return _tr(
            "Ihre Arbeitsumgebung hat keinen Infobereich (System-Tray). Contactbox Sync "
            "gleicht deshalb nur ab, solange das Fenster geöffnet ist; Schließen beendet "
            "das Programm."
        )

    def tell_no_tray_once(self, parent: QWidget | None = None) -> bool:
        """Without a tray: explain it once (QMessageBox); True if it was shown now."""
        if self.tray_available:
            return False
        settings = app_settings()
        if settings.value(NO_TRAY_HINT_KEY, False, type=bool):
            return False
        settings.setValue(NO_TRAY_HINT_KEY, True)
        QMessageBox.information(parent or self.window, _tr("Contactbox Sync"), self.no_tray_text())
        return True

    # ------------------------------------------------------------------ schedule

    def _sync_accounts(self) -> None:
        rows = list(Account.select(Account.id, Account.interval_minutes, Account.enabled))
        self.scheduler.sync_accounts((a.id, a.interval_minutes, a.enabled) for a in rows)
        for a in rows:
            if a.id not in self._seeded:
                self._seeded.add(a.id)
                self._seed(a.id)

    def _seed(self, account_id: int) -> None:
        """Continue from earlier sessions: the last stored run counts as the last attempt."""
        last, ok = last_run_times(account_id)
        if last is not None:
            self.scheduler.seed(account_id, last_attempt=min(last, self.clock()), last_success=ok)

    @Slot()
    def tick(self) -> None:
        """Start the next due account, if nothing runs (the timer calls this)."""
        if self._quitting or self._job is not None:
            return
        self._sync_accounts()
        while self._queue:
            account_id = self._queue.pop(0)
            if self._start(account_id, "manual"):
                return
        for account_id in self.scheduler.due_accounts(self.clock()):
            if self._start(account_id, "schedule"):
                return
        self._update()

    def _start(self, account_id: int, trigger: str) -> bool:
        account = Account.get_or_none(Account.id == account_id)
        if account is None:
            self.scheduler.forget(account_id)
            return False
        if not self.scheduler.try_acquire(account_id):
            return False
        if background_job(account, trigger) is None:
            self.scheduler.release(account_id)
            self.scheduler.defer(account_id)
            return False
        self.scheduler.record_start(account_id)

        def make_job() -> Any:  # AccountJob | CalendarJob, read on the worker's thread
            job = background_job(Account.get_by_id(account_id), trigger)
            if job is None:  # the bindings went away meanwhile: an empty run
                return AccountJob(Account.get_by_id(account_id), [], trigger=trigger)
            return job

        worker = JobWorker(make_job)
        worker.done.connect(self._on_job_done)
        worker.failed.connect(self._on_job_failed)
        thread = start_worker(worker)
        self._job = _Job(account_id, account.label, trigger, worker, thread)
        self._update()
        return True

    @Slot(object)
    def _on_job_done(self, report: RunReport) -> None:
        job = self._job
        if job is None:
            return
        self._job = None
        manual = job.trigger == "manual"
        report_id = self._stored_report_id(job.account_id)
        if report.status == "cancelled":
            self.scheduler.release(job.account_id)
        elif report.status in ("ok", "errors"):
            self._last_message.pop(job.account_id, None)
            self.scheduler.record_result(job.account_id, True, manual=manual)
            self._tell_about_success(job, report, report_id)
        else:
            kind = report_failure_kind(report)
            message = report.message or next((b.error for b in report.books if b.error), "")
            self._fail(job, kind, message, report_id)
        self.run_finished.emit(job.account_id, report)
        self._after_job()

    @Slot(str)
    def _on_job_failed(self, message: str) -> None:
        job = self._job
        if job is None:
            return
        self._job = None
        self._fail(job, kind_of_message(message), message, 0)
        self._after_job()

    def _after_job(self) -> None:
        self._update()
        if not self._quitting:
            QTimer.singleShot(0, self.tick)  # the next due account, if any

    def _fail(self, job: _Job, kind: FailureKind, message: str, report_id: int) -> None:
        self._last_message[job.account_id] = message
        outcome = self.scheduler.record_result(
            job.account_id, False, kind, manual=job.trigger == "manual"
        )
        if not outcome.notify:
            return
        text = _tr("„{0}“: {1}").format(job.label, message)
        if kind == "auth":
            text += "\n" + (
                _tr(
                    "Der automatische Abgleich dieses Accounts ist angehalten. Klicken Sie "
                    "hier, um das Passwort einzugeben."
                )
                if self.tray_available
                else _tr(
                    "Der automatische Abgleich dieses Accounts ist angehalten, bis Sie ihn im "
                    "Fenster starten; dort werden Sie nach dem Passwort gefragt."
                )
            )
        self._notify(
            _tr("Synchronisierung fehlgeschlagen"),
            text,
            report_id,
            error=True,
            password_account=job.account_id if kind == "auth" else 0,
        )

    def _tell_about_success(self, job: _Job, report: RunReport, report_id: int) -> None:
        """Held-back deletions, item errors and books left for a start by hand ("Neu
        anlegen") once until they change; conflicts each time."""
        guarded = tuple(sorted(b.book for b in report.books if b.guarded))
        by_hand = tuple(sorted(b.book for b in report.books if b.not_started))
        new_by_hand = bool(by_hand) and self._by_hand_told.get(job.account_id) != by_hand
        self._by_hand_told[job.account_id] = by_hand
        errors = tuple(sorted(f"{e.uid}\t{e.message}" for b in report.books for e in b.errors))
        # Appointments of calendars and contacts of address books, each counted in its words.
        failed_appointments = sum(len(b.errors) for b in report.books if b.collection == CALENDAR)
        failed_contacts = sum(len(b.errors) for b in report.books) - failed_appointments
        conflicts = sum(b.conflicts for b in report.books)
        new_guard = bool(guarded) and self._held_back_told.get(job.account_id) != guarded
        new_errors = bool(errors) and self._errors_told.get(job.account_id) != errors
        self._held_back_told[job.account_id] = guarded
        self._errors_told[job.account_id] = errors
        parts = []
        if new_guard:
            for collection in (ADDRESS_BOOK, CALENDAR):
                part = [b for b in report.books if b.guarded and b.collection == collection]
                if part:
                    parts.append(self._held_back_text(collection, part))
        if new_errors:
            if failed_contacts:
                parts.append(
                    self.tr(
                        "%n Kontakt(e) konnte(n) nicht abgeglichen werden.", "", failed_contacts
                    )
                )
            if failed_appointments:
                parts.append(
                    self.tr(
                        "%n Termin(e) konnte(n) nicht abgeglichen werden.", "", failed_appointments
                    )
                )
        if new_by_hand:
            parts.append(
                _tr(
                    "{0}: „Neu anlegen“ wird nicht im Hintergrund ausgeführt. Bitte starten Sie "
                    "den Abgleich dieses Adressbuchs selbst („Adressbuch abgleichen“)."
                ).format(", ".join(f"„{name}“" for name in by_hand))
            )
        if conflicts:
            parts.append(
                self.tr(
                    "%n Konflikt(e) wurde(n) gelöst; die andere Version steht im Verlauf.",
                    "",
                    conflicts,
                )
            )
        if parts:
            title = _tr("Contactbox Sync – „{0}“").format(job.label)
            error = new_guard or new_errors or new_by_hand
            self._notify(title, "\n".join(parts), report_id, error=error)

    def _held_back_text(self, collection: str, books: list[BookReport]) -> str:
        """The notification of deletions the guard held back in address books or in
        calendars: "… mehr als die Hälfte der Kontakte / der Termine fehlt"."""
        held = sum(b.held_back for b in books)
        names = ", ".join(f"„{b.book}“" for b in sorted(books, key=lambda b: b.book))
        if collection == CALENDAR:
            return self.tr(
                "%n Löschung(en) in {0} wurde(n) zurückgehalten, weil auf einer Seite mehr "
                "als die Hälfte der Termine fehlt. Bitte prüfen Sie den Bericht.",
                "",
                held,
            ).format(names)
        return self.tr(
            "%n Löschung(en) in {0} wurde(n) zurückgehalten, weil auf einer Seite mehr "
            "als die Hälfte der Kontakte fehlt. Bitte prüfen Sie den Bericht.",
            "",
            held,
        ).format(names)

    def _stored_report_id(self, account_id: int) -> int:
        row = (
            StoredReport.select(StoredReport.id)
            .where(StoredReport.account == account_id)
            .order_by(StoredReport.id.desc())
            .first()
        )
        return int(row.id) if row else 0

    # ------------------------------------------------------------------ notifications

    def _notify(
        self,
        title: str,
        text: str,
        report_id: int,
        *,
        error: bool = False,
        password_account: int = 0,
    ) -> None:
        self._message_report_id = report_id
        self._message_password_account = password_account
        self.notified.emit(title, text, report_id)
        if self.tray_available:
            kind = (
                QSystemTrayIcon.MessageIcon.Warning
                if error
                else QSystemTrayIcon.MessageIcon.Information
            )
            self.tray.showMessage(title, text, kind, 15_000)
        else:
            bar = self.window.findChild(QStatusBar)
            if bar is not None:
                bar.showMessage(f"{title}: {text}")

    @Slot()
    def _on_message_clicked(self) -> None:
        if self._message_password_account:
            self.ask_password(self._message_password_account)
        elif self._message_report_id:
            self.show_window()
            self.report_requested.emit(self._message_report_id)

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
        account = Account.get_or_none(Account.id == account_id)
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
