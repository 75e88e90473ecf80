"""Konfiguration ▸ Benutzerkonfiguration: users, the current user, per-user calendar sync.

Left the users with "+ Benutzer hinzufügen", Umbenennen, Entfernen; right the selected
user: "Als aktuellen Benutzer verwenden" and the tab "Termin - Kalendersynchronisation"
(the user's CalDAV account, which server calendar the appointments sync with, aktivieren
/ deaktivieren, "Jetzt synchronisieren" with its report). Same look as the address book
page (ui/sync_page.py).

`user_hub` tells other pages when the current user changes (`changed(user_id)`) or the
list of users does (`users_changed()`); the current user itself lives in
app.store.users.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, QThread, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.accounts import remove_account
from app.dav.caldav import RemoteCalendar
from app.dav.xml import same_href
from app.store import users
from app.store.models import Account, CalendarBinding, User
from app.sync.calendar_jobs import (
    CalendarJob,
    bind_calendar,
    binding_for_user,
    create_calendar,
    remove_calendar_binding,
    server_calendars,
    set_calendar_enabled,
    set_calendar_preference,
)
from app.sync.jobs import JobError
from app.sync.report import RunReport
from ui.elided_combo import ElidedComboBox
from ui.icons import icon
from ui.report_dialog import ReportDialog
from ui.report_export import status_de
from ui.store_watch import store_watch
from ui.sync_page import STYLE, relative_time
from ui.workers import JobWorker, call_in_background, start_worker

NEW_CALENDAR = "__new__"

PAGE_STYLE = (
    STYLE
    + """
QListWidget#userList { outline: 0; }
QListWidget#userList::item { padding: 6px 8px; }
QListWidget#userList::item:selected { background: #d6d6d6; color: #1a1a1a; }
QLabel#currentBadge { color: white; background: #f28c28; border-radius: 4px; padding: 2px 8px; }
QFrame#calendarRow { border-bottom: 1px solid #e2e2e2; }
"""
)


class UserHub(QObject):
    """App-wide notifications about users (connect from any page)."""

    changed = Signal(int)  # the new current user's id
    users_changed = Signal()  # a user was added, renamed or removed


user_hub = UserHub()


def _bold(label: QLabel, scale: float = 1.0) -> None:
    font = QFont(label.font())
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)


class _CalendarRun(QObject):
    """A manual calendar run, shaped like a RunWindow for the tray's account lock."""

    run_finished = Signal(object)  # the RunReport
    finished = Signal(int)  # ended without a report

    def __init__(self, account_id: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.account_id = account_id


class CalendarSyncTab(QWidget):
    """Tab "Termin - Kalendersynchronisation" of one user."""

    sync_done = Signal(object)  # the RunReport of "Jetzt synchronisieren"
    calendars_loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user_id: int | None = None
        self.calendars: list[RemoteCalendar] = []
        self.report: RunReport | None = None
        self.report_dialog: ReportDialog | None = None
        self._threads: list[QThread] = []
        self._workers: list[QObject] = []
        self._pending = 0  # background calls (calendar list, new calendar) under way
        self._load_generation = 0
        self._run: _CalendarRun | None = None
        self._build()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 12, 12, 12)

        heading = QLabel(self.tr("Kalender-Account"))
        heading.setObjectName("sectionTitle")
        outer.addWidget(heading)
        self.account_title = QLabel()
        self.account_title.setObjectName("accountTitle")
        outer.addWidget(self.account_title)
        self.account_subtitle = QLabel()
        self.account_subtitle.setObjectName("hint")
        self.account_subtitle.setWordWrap(True)
        outer.addWidget(self.account_subtitle)
        self.no_account = QLabel(
            self.tr(
                "Für diesen Benutzer ist noch kein Kalender-Account eingerichtet. Mit "
                "„Account hinzufügen“ verbinden Sie Contactbox mit dem Kalender des "
                "Benutzers auf dem Groupware-Server."
            )
        )
        self.no_account.setObjectName("hint")
        self.no_account.setWordWrap(True)
        outer.addWidget(self.no_account)

        buttons = QHBoxLayout()
        self.add_button = QPushButton(icon("plus"), self.tr("Account hinzufügen"))
        self.add_button.clicked.connect(self.add_account)
        self.edit_button = QPushButton(icon("edit"), self.tr("Bearbeiten"))
        self.edit_button.setToolTip(self.tr("Zugangsdaten des Kalender-Accounts ändern"))
        self.edit_button.clicked.connect(self.edit_account)
        self.remove_button = QPushButton(icon("trash"), self.tr("Entfernen"))
        self.remove_button.setToolTip(self.tr("Den Kalender-Account dieses Benutzers entfernen"))
        self.remove_button.clicked.connect(self.remove_account)
        for b in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        outer.addLayout(buttons)

        # The calendar the user's appointments sync with.
        self.calendar_box = QWidget()
        box = QVBoxLayout(self.calendar_box)
        box.setContentsMargins(0, 12, 0, 0)
        cal_heading = QLabel(self.tr("Abgeglichener Kalender"))
        cal_heading.setObjectName("sectionTitle")
        box.addWidget(cal_heading)

        self.row = QFrame()
        self.row.setObjectName("calendarRow")
        row = QHBoxLayout(self.row)
        row.setContentsMargins(4, 6, 4, 6)
        row.setSpacing(10)
        pic = QLabel()
        pic.setPixmap(icon("sync-twoway").pixmap(QSize(24, 24)))
        pic.setToolTip(self.tr("Vollständige Synchronisation (beide Richtungen)"))
        pic.setFixedSize(28, 28)
        pic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(pic)
        self.calendar_name = QLabel()
        _bold(self.calendar_name)
        self.calendar_name.setMinimumWidth(120)
        self.calendar_name.setWordWrap(True)  # a long name wraps, never cut off
        self.calendar_name.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row.addWidget(self.calendar_name, 1)
        self.time_label = QLabel()
        self.time_label.setObjectName("lastSync")
        self.time_label.setMinimumWidth(130)
        row.addWidget(self.time_label)
        self.sync_button = QPushButton(self.tr("Jetzt synchronisieren"))
        self.sync_button.setToolTip(
            self.tr("Die Termine dieses Benutzers jetzt mit dem Kalender abgleichen")
        )
        self.sync_button.clicked.connect(self.sync_now)
        row.addWidget(self.sync_button)
        self.toggle_button = QPushButton()
        self.toggle_button.setMinimumWidth(
            self.toggle_button.fontMetrics().horizontalAdvance(self.tr("deaktivieren")) + 24
        )
        self.toggle_button.clicked.connect(self.toggle_enabled)
        row.addWidget(self.toggle_button)
        self.unbind_button = QToolButton()
        self.unbind_button.setIcon(icon("trash"))
        self.unbind_button.setIconSize(QSize(18, 18))
        self.unbind_button.setToolTip(self.tr("Kalender nicht mehr abgleichen"))
        self.unbind_button.setAccessibleName(self.tr("Kalender entfernen"))
        self.unbind_button.clicked.connect(self.unbind)
        row.addWidget(self.unbind_button)
        box.addWidget(self.row)

        self.prefer_box = QWidget()
        prefer_row = QHBoxLayout(self.prefer_box)
        prefer_row.setContentsMargins(0, 0, 0, 0)
        prefer_label = QLabel(self.tr("Bei Konflikten gilt:"))
        prefer_label.setMinimumWidth(120)
        prefer_row.addWidget(prefer_label)
        self.prefer_combo = QComboBox()
        self.prefer_combo.setObjectName("preferCombo")
        self.prefer_combo.addItem(self.tr("die Version des Servers"), "server")
        self.prefer_combo.addItem(self.tr("die Version aus Contactbox"), "contactbox")
        self.prefer_combo.setToolTip(
            self.tr(
                "Wurde ein Termin seit dem letzten Abgleich auf beiden Seiten geändert, "
                "gewinnt diese Seite; die andere Version bleibt im Verlauf des Termins."
            )
        )
        self.prefer_combo.activated.connect(self._prefer_chosen)
        prefer_row.addWidget(self.prefer_combo)
        prefer_row.addStretch(1)
        box.addWidget(self.prefer_box)

        self.status_line = QLabel()
        self.status_line.setObjectName("syncStatus")
        self.status_line.setWordWrap(True)
        box.addWidget(self.status_line)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(6)
        self.busy.setTextVisible(False)
        self.busy.hide()
        box.addWidget(self.busy)

        choose = QHBoxLayout()
        choose_label = QLabel(self.tr("Kalender wählen:"))
        choose_label.setMinimumWidth(120)
        choose.addWidget(choose_label)
        self.calendar_combo = ElidedComboBox()  # "…" and the whole name in the tooltip
        self.calendar_combo.setMinimumWidth(240)
        choose.addWidget(self.calendar_combo, 1)
        self.bind_button = QPushButton(self.tr("Übernehmen"))
        self.bind_button.setToolTip(
            self.tr("Die Termine dieses Benutzers mit dem gewählten Kalender abgleichen")
        )
        self.bind_button.clicked.connect(self.bind_selected)
        choose.addWidget(self.bind_button)
        self.reload_button = QPushButton(self.tr("Liste aktualisieren"))
        self.reload_button.setToolTip(self.tr("Die Kalender erneut vom Server holen"))
        self.reload_button.clicked.connect(self.load_calendars)
        choose.addWidget(self.reload_button)
        box.addSpacing(8)
        box.addLayout(choose)
        self.calendar_hint = QLabel(
            self.tr(
                "Die Termine des Benutzers werden in beiden Richtungen mit diesem einen "
                "Kalender abgeglichen; andere Benutzer sehen sie nicht."
            )
        )
        self.calendar_hint.setObjectName("hint")
        self.calendar_hint.setWordWrap(True)
        box.addWidget(self.calendar_hint)
        outer.addWidget(self.calendar_box)
        outer.addStretch(1)

    # ------------------------------------------------------------------ state

    def account(self) -> Account | None:
        if self.user_id is None:
            return None
        accounts = users.calendar_accounts(self.user_id)
        return accounts[0] if accounts else None

    def binding(self) -> CalendarBinding | None:
        return binding_for_user(self.user_id) if self.user_id is not None else None

    def set_user(self, user_id: int | None) -> None:
        changed = user_id != self.user_id
        self.user_id = user_id
        if changed:
            self.calendars = []
            self._load_generation += 1
        self.refresh()
        if changed and self.account() is not None:
            self.load_calendars()

    def is_busy(self) -> bool:
        """A background call or a sync run is under way."""
        return self._pending > 0 or self._run is not None

    @Slot()
    def refresh(self) -> None:
        account = self.account()
        has = account is not None
        self.account_title.setVisible(has)
        self.account_subtitle.setVisible(has)
        self.no_account.setVisible(not has)
        self.add_button.setEnabled(self.user_id is not None and not has)
        self.add_button.setToolTip(
            self.tr("Einen Kalender-Account für diesen Benutzer einrichten")
            if not has
            else self.tr(
                "Jeder Benutzer gleicht mit einem Kalender ab: bearbeiten oder entfernen "
                "Sie den vorhandenen Account."
            )
        )
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)
        self.calendar_box.setVisible(has)
        if account is None:
            return
        self.account_title.setText(account.label)
        self.account_subtitle.setText(f"{account.username} · {account.base_url}")
        self._show_binding()
        self._fill_combo()

    @Slot(int)
    def _prefer_chosen(self, index: int) -> None:
        binding = self.binding()
        if binding is not None:
            set_calendar_preference(binding, str(self.prefer_combo.itemData(index)))

    def _show_binding(self) -> None:
        binding = self.binding()
        running = self._run is not None
        self.row.setVisible(binding is not None)
        self.prefer_box.setVisible(binding is not None)
        if binding is None:
            self.status_line.setText(
                self.tr("Noch kein Kalender gewählt: wählen Sie unten einen Kalender aus.")
            )
            self.status_line.setStyleSheet("color: #666666;")
            return
        self.prefer_combo.setCurrentIndex(max(0, self.prefer_combo.findData(binding.prefer)))
        name = binding.remote_name or binding.remote_href
        self.calendar_name.setText(
            name if binding.enabled else self.tr("{0} (deaktiviert)").format(name)
        )
        self.calendar_name.setStyleSheet("" if binding.enabled else "color: #888888;")
        self.calendar_name.setToolTip(
            f"{name}\n" + self.tr("Server: {0}").format(binding.remote_href)
        )
        self.time_label.setText(self.tr("zuletzt: {0}").format(relative_time(binding.last_sync)))
        self.sync_button.setEnabled(bool(binding.enabled) and not running)
        self.toggle_button.setText(
            self.tr("deaktivieren") if binding.enabled else self.tr("aktivieren")
        )
        self.toggle_button.setToolTip(
            self.tr("Diesen Kalender vorerst nicht mehr abgleichen")
            if binding.enabled
            else self.tr("Diesen Kalender wieder abgleichen")
        )
        self.toggle_button.setEnabled(not running)
        self.unbind_button.setEnabled(not running)
        if running:
            self.status_line.setText(self.tr("Der Kalender wird abgeglichen …"))
            self.status_line.setStyleSheet("color: #555555;")
        elif binding.last_sync is None:
            self.status_line.setText(self.tr("Dieser Kalender wurde noch nie abgeglichen."))
            self.status_line.setStyleSheet("color: #666666;")
        else:
            local = binding.last_sync.replace(tzinfo=UTC).astimezone()
            self.status_line.setText(
                self.tr("Letzter Abgleich: {0} Uhr – {1}").format(
                    local.strftime("%d.%m.%Y, %H:%M"), status_de(binding.last_status or "ok")
                )
            )
            color = "#b3261e" if binding.last_status == "failed" else "#1e7b34"
            self.status_line.setStyleSheet(f"color: {color};")

    def _fill_combo(self) -> None:
        binding = self.binding()
        self.calendar_combo.clear()
        # Calendars the account may only read (a shared or birthday calendar) come last:
        # the user's own appointments could not go there.
        usable = sorted((c for c in self.calendars if c.supports_events), key=lambda c: c.read_only)
        for cal in usable:
            name = cal.display_name or cal.href
            if cal.read_only:
                self.calendar_combo.addItem(self.tr("{0} (nur lesen)").format(name), cal.href)
                tip = self.tr(
                    "{0}\nDer Server erlaubt diesem Account nur das Lesen: Termine aus "
                    "Contactbox können dort nicht gespeichert werden."
                ).format(cal.href)
            else:
                self.calendar_combo.addItem(name, cal.href)
                tip = cal.href
            self.calendar_combo.setItemData(
                self.calendar_combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole
            )
            if binding is not None and same_href(cal.href, binding.remote_href):
                self.calendar_combo.setCurrentIndex(self.calendar_combo.count() - 1)
        self.calendar_combo.addItem(self.tr("Neuen Kalender anlegen …"), NEW_CALENDAR)
        self._set_busy(self._pending > 0)

    # ------------------------------------------------------------------ background calls

    def _call(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None],
    ) -> None:
        """Run `fn` on a background thread (ui/workers.py); the callbacks run on the GUI
        thread, and an answer that arrives after this tab was closed is dropped."""
        worker = call_in_background(self, fn, on_done, on_failed)
        worker.finished.connect(self._call_finished)
        self._workers.append(worker)
        self._pending += 1
        self._set_busy(True)

    @Slot()
    def _call_finished(self) -> None:
        self._pending -= 1
        self._set_busy(self._pending > 0)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy or self._run is not None)
        busy = busy or self._run is not None
        for w in (self.calendar_combo, self.bind_button, self.reload_button):
            w.setEnabled(not busy)

    @Slot()
    def load_calendars(self) -> None:
        """Fetch the account's calendars from the server (background thread)."""
        account = self.account()
        if account is None:
            return
        account_id = int(account.id)
        self._load_generation += 1
        generation = self._load_generation
        self.calendar_combo.clear()
        self.calendar_combo.addItem(self.tr("Kalender werden geladen …"))

        def done(result: object) -> None:
            if generation != self._load_generation:
                return
            self.calendars = list(result)  # type: ignore[call-overload]
            self._fill_combo()
            self.calendars_loaded.emit()

        def failed(message: str) -> None:
            if generation != self._load_generation:
                return
            self._fill_combo()
            self.status_line.setText(
                self.tr("Die Kalender konnten nicht geladen werden: {0}").format(message)
            )
            self.status_line.setStyleSheet("color: #b3261e;")
            self.calendars_loaded.emit()

        self._call(lambda: server_calendars(Account.get_by_id(account_id)), done, failed)

    # ------------------------------------------------------------------ account

    @Slot()
    def add_account(self) -> None:
        if self.user_id is None:
            return
        from ui.calendar_account_dialog import CalendarAccountDialog

        dialog = CalendarAccountDialog(self.user_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.account_saved(dialog.calendars)

    def account_saved(self, calendars: list[RemoteCalendar]) -> None:
        """After the dialog: show the calendars its check found."""
        self._load_generation += 1
        self.calendars = list(calendars)
        self.refresh()
        self.calendars_loaded.emit()

    @Slot()
    def edit_account(self) -> None:
        account = self.account()
        if account is None or self.user_id is None:
            return
        from ui.calendar_account_dialog import CalendarAccountDialog

        dialog = CalendarAccountDialog(self.user_id, self, account_id=int(account.id))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            from ui.tray import current_tray

            tray = current_tray()
            if tray is not None:  # a held account (wrong password) may run again
                tray.account_changed(int(account.id))
            self.account_saved(dialog.calendars)

    @Slot()
    def remove_account(self) -> None:
        account = self.account()
        if account is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Kalender-Account entfernen"),
            self.tr(
                "Soll der Kalender-Account „{0}“ wirklich entfernt werden?\n\n"
                "Die Termine werden dann nicht mehr mit dem Server abgeglichen. Die Termine "
                "in Contactbox und der Kalender auf dem Server bleiben erhalten."
            ).format(account.label),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        remove_account(account)
        self.calendars = []
        self._load_generation += 1
        self.refresh()

    # ------------------------------------------------------------------ calendar

    @Slot()
    def bind_selected(self) -> None:
        account = self.account()
        if account is None or self.user_id is None:
            return
        href = self.calendar_combo.currentData()
        if href == NEW_CALENDAR:
            user = User.get_by_id(self.user_id)
            name, ok = QInputDialog.getText(
                self,
                self.tr("Neuen Kalender anlegen"),
                self.tr("Name des neuen Kalenders auf dem Server:"),
                QLineEdit.EchoMode.Normal,
                self.tr("Contactbox {0}").format(user.name),
            )
            if ok and name.strip():
                self.create_and_bind(name.strip())
            return
        remote = next((c for c in self.calendars if c.href == href), None)
        if remote is not None:
            self.bind(remote)

    def create_and_bind(self, name: str) -> None:
        """Create a calendar on the server (background), then bind it."""
        account = self.account()
        if account is None:
            return
        account_id = int(account.id)

        def done(remote: object) -> None:
            assert isinstance(remote, RemoteCalendar)
            self.calendars.append(remote)
            self.bind(remote)

        def failed(message: str) -> None:
            QMessageBox.warning(
                self,
                self.tr("Neuen Kalender anlegen"),
                self.tr("Der Kalender konnte nicht angelegt werden: {0}").format(message),
            )

        self._call(lambda: create_calendar(Account.get_by_id(account_id), name), done, failed)

    def bind(self, remote: RemoteCalendar) -> None:
        account = self.account()
        if account is None or self.user_id is None:
            return
        current = self.binding()
        replace = False
        if current is not None and not same_href(current.remote_href, remote.href):
            answer = QMessageBox.question(
                self,
                self.tr("Kalender wechseln"),
                self.tr(
                    "Die Termine gleichen bisher mit dem Kalender „{0}“ ab. Künftig mit "
                    "„{1}“ abgleichen?\n\nDie Termine werden dann beim nächsten Abgleich "
                    "neu zugeordnet; nichts wird gelöscht."
                ).format(current.remote_name, remote.display_name),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            replace = True
        try:
            bind_calendar(account, remote, User.get_by_id(self.user_id), replace=replace)
        except JobError as exc:
            QMessageBox.warning(self, self.tr("Kalender wählen"), str(exc))
            return
        user_hub.users_changed.emit()
        self.refresh()

    @Slot()
    def toggle_enabled(self) -> None:
        binding = self.binding()
        if binding is None:
            return
        set_calendar_enabled(binding, not binding.enabled)
        self.refresh()

    @Slot()
    def unbind(self) -> None:
        binding = self.binding()
        if binding is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Kalender entfernen"),
            self.tr(
                "Soll der Kalender „{0}“ nicht mehr abgeglichen werden?\n\nDie Termine in "
                "Contactbox und der Kalender auf dem Server bleiben erhalten."
            ).format(binding.remote_name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        remove_calendar_binding(binding)
        user_hub.users_changed.emit()
        self.refresh()

    # ------------------------------------------------------------------ sync

    @Slot()
    def sync_now(self) -> None:
        """Run the user's calendar binding on a background thread, then show the report."""
        binding = self.binding()
        if binding is None or not binding.enabled or self._run is not None:
            return
        account_id = int(binding.account_id)
        binding_id = int(binding.id)
        from ui.tray import claim_for_manual_run

        run = _CalendarRun(account_id, self)
        if not claim_for_manual_run(self, run):  # type: ignore[arg-type]
            return
        self._run = run

        def make_job() -> CalendarJob:
            return CalendarJob(
                Account.get_by_id(account_id), [CalendarBinding.get_by_id(binding_id)]
            )

        worker = JobWorker(make_job)  # type: ignore[arg-type]
        worker.done.connect(self._sync_done)
        worker.failed.connect(self._sync_failed)
        self._workers.append(worker)
        self._threads.append(start_worker(worker))
        self.busy.show()
        self._show_binding()

    def _end_run(self) -> _CalendarRun | None:
        run, self._run = self._run, None
        self._threads = [t for t in self._threads if not t.isFinished()]
        self.busy.hide()
        return run

    @Slot(object)
    def _sync_done(self, report: RunReport) -> None:
        run = self._end_run()
        if run is not None:
            run.run_finished.emit(report)
        self.report = report
        self.refresh()
        dialog = ReportDialog(report, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report_dialog = dialog
        dialog.show()
        self.sync_done.emit(report)
        user_hub.users_changed.emit()  # appointment counts changed

    @Slot(str)
    def _sync_failed(self, message: str) -> None:
        run = self._end_run()
        if run is not None:
            run.finished.emit(0)
        self.refresh()
        self.status_line.setText(self.tr("Der Abgleich ist fehlgeschlagen: {0}").format(message))
        self.status_line.setStyleSheet("color: #b3261e;")
        self.sync_done.emit(None)


class UsersPage(QWidget):
    """The page "Benutzerkonfiguration"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(PAGE_STYLE)
        self._build()
        self.reload_users()
        # Follow the store (ui/store_watch.py): users, their appointment and follow-up
        # counts, calendar syncs — whoever changed them.
        watch = store_watch()
        for signal in (
            watch.users_changed,
            watch.appointments_changed,
            watch.followups_changed,
            watch.bindings_changed,
        ):
            signal.connect(self._changed_in_store)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        title = QLabel(self.tr("Konfiguration ▸ Benutzerkonfiguration"))
        title.setObjectName("pageTitle")
        outer.addWidget(title)

        body = QHBoxLayout()
        body.setSpacing(16)
        outer.addLayout(body, 1)

        left = QVBoxLayout()
        heading = QLabel(self.tr("Benutzer"))
        heading.setObjectName("sectionTitle")
        left.addWidget(heading)
        self.user_list = QListWidget()
        self.user_list.setObjectName("userList")
        self.user_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.user_list.setMinimumWidth(220)
        self.user_list.currentItemChanged.connect(self._user_selected)
        self.user_list.itemDoubleClicked.connect(lambda _item: self.rename_user())
        left.addWidget(self.user_list, 1)
        self.add_button = QPushButton(icon("plus"), self.tr("Benutzer hinzufügen"))
        self.add_button.clicked.connect(lambda: self.add_user())
        left.addWidget(self.add_button)
        buttons = QHBoxLayout()
        self.rename_button = QPushButton(icon("edit"), self.tr("Umbenennen"))
        self.rename_button.clicked.connect(lambda: self.rename_user())
        self.remove_button = QPushButton(icon("minus"), self.tr("Entfernen"))
        self.remove_button.setToolTip(self.tr("Den gewählten Benutzer entfernen"))
        self.remove_button.clicked.connect(self.remove_user)
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setMaximumWidth(300)
        body.addWidget(left_box)

        separator = QFrame()
        separator.setFrameShape(QFrame.Shape.VLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)
        body.addWidget(separator)

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        title_row = QHBoxLayout()
        self.user_title = QLabel()
        self.user_title.setObjectName("accountTitle")
        _bold(self.user_title, 1.25)
        title_row.addWidget(self.user_title)
        self.current_badge = QLabel(self.tr("aktueller Benutzer"))
        self.current_badge.setObjectName("currentBadge")
        title_row.addWidget(self.current_badge)
        title_row.addStretch(1)
        right.addLayout(title_row)
        self.user_subtitle = QLabel()
        self.user_subtitle.setObjectName("hint")
        right.addWidget(self.user_subtitle)
        current_row = QHBoxLayout()
        self.make_current_button = QPushButton(self.tr("Als aktuellen Benutzer verwenden"))
        self.make_current_button.setToolTip(
            self.tr("Contactbox zeigt dann die Termine und Wiedervorlagen dieses Benutzers")
        )
        self.make_current_button.clicked.connect(self.make_current)
        current_row.addWidget(self.make_current_button)
        current_row.addStretch(1)
        right.addSpacing(6)
        right.addLayout(current_row)
        right.addSpacing(6)
        self.tabs = QTabWidget()
        self.calendar_tab = CalendarSyncTab()
        self.tabs.addTab(self.calendar_tab, self.tr("Termin - Kalendersynchronisation"))
        right.addWidget(self.tabs, 1)
        self.detail = QWidget()
        self.detail.setLayout(right)
        body.addWidget(self.detail, 1)

    # ------------------------------------------------------------------ users

    @Slot()
    def _changed_in_store(self) -> None:
        self.reload_users()

    def selected_user_id(self) -> int | None:
        item = self.user_list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    @Slot()
    def reload_users(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else self.selected_user_id()
        infos = users.list_users()
        if keep is None:
            keep = next((i.id for i in infos if i.is_current), None)
        self.user_list.blockSignals(True)
        self.user_list.clear()
        target: QListWidgetItem | None = None
        for info in infos:
            text = info.name
            if info.is_current:
                text = self.tr("{0} (aktuell)").format(info.name)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            if info.is_current:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            item.setToolTip(
                self.tr("Kalender: {0}").format(info.calendar)
                if info.calendar
                else self.tr("Kein Kalender abgeglichen")
            )
            self.user_list.addItem(item)
            if info.id == keep:
                target = item
        if target is None and self.user_list.count():
            target = self.user_list.item(0)
        if target is not None:
            self.user_list.setCurrentItem(target)
        self.user_list.blockSignals(False)
        self._show_user()

    @Slot()
    def _user_selected(self) -> None:
        self._show_user()

    def _show_user(self) -> None:
        user_id = self.selected_user_id()
        self.rename_button.setEnabled(user_id is not None)
        self.remove_button.setEnabled(user_id is not None)
        self.detail.setVisible(user_id is not None)
        if user_id is None:
            self.calendar_tab.set_user(None)
            return
        info = users.get_user_info(user_id)
        self.user_title.setText(info.name)
        self.current_badge.setVisible(info.is_current)
        self.make_current_button.setVisible(not info.is_current)
        self.user_subtitle.setText(
            self.tr("%n Termin(e)", "", info.appointments)
            + " · "
            + self.tr("%n Wiedervorlage(n)", "", info.followups)
        )
        self.calendar_tab.set_user(user_id)

    def _ask_name(self, title: str, prompt: str, text: str = "") -> str | None:
        name, ok = QInputDialog.getText(self, title, prompt, QLineEdit.EchoMode.Normal, text)
        return name if ok else None

    def add_user(self, name: str | None = None) -> int | None:
        """ "+ Benutzer hinzufügen": asks for the name unless given; the new user's id."""
        if name is None:
            name = self._ask_name(self.tr("Benutzer hinzufügen"), self.tr("Name des Benutzers:"))
            if name is None:
                return None
        try:
            user_id = users.add_user(name)
        except users.UserError as exc:
            QMessageBox.warning(self, self.tr("Benutzer hinzufügen"), str(exc))
            return None
        self.reload_users(select_id=user_id)
        user_hub.users_changed.emit()
        return user_id

    def rename_user(self, name: str | None = None) -> bool:
        user_id = self.selected_user_id()
        if user_id is None:
            return False
        if name is None:
            old = users.get_user_info(user_id).name
            name = self._ask_name(self.tr("Benutzer umbenennen"), self.tr("Neuer Name:"), old)
            if name is None:
                return False
        try:
            users.rename_user(user_id, name)
        except users.UserError as exc:
            QMessageBox.warning(self, self.tr("Benutzer umbenennen"), str(exc))
            return False
        self.reload_users(select_id=user_id)
        user_hub.users_changed.emit()
        return True

    @Slot()
    def remove_user(self) -> None:
        user_id = self.selected_user_id()
        if user_id is None:
            return
        info = users.get_user_info(user_id)
        if users.user_count() <= 1:
            try:
                users.remove_user(user_id)  # refuses, with the reason
            except users.UserError as exc:
                QMessageBox.warning(self, self.tr("Benutzer entfernen"), str(exc))
            return
        answer = QMessageBox.question(
            self,
            self.tr("Benutzer entfernen"),
            self.tr(
                "Soll der Benutzer „{0}“ wirklich entfernt werden?\n\n"
                "{1} und {2} des Benutzers werden in Contactbox gelöscht, "
                "ebenso sein Kalender-Account. Der Kalender auf dem Server bleibt erhalten."
            ).format(
                info.name,
                self.tr("%n Termin(e)", "", info.appointments),
                self.tr("%n Wiedervorlage(n)", "", info.followups),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        before = users.current_user_id()
        try:
            users.remove_user(user_id)
        except users.UserError as exc:
            QMessageBox.warning(self, self.tr("Benutzer entfernen"), str(exc))
            return
        self.reload_users(select_id=users.current_user_id())
        user_hub.users_changed.emit()
        if users.current_user_id() != before:
            user_hub.changed.emit(users.current_user_id())

    @Slot()
    def make_current(self) -> None:
        """ "Als aktuellen Benutzer verwenden"."""
        user_id = self.selected_user_id()
        if user_id is None or user_id == users.current_user_id():
            return
        users.set_current_user(user_id)
        self.reload_users(select_id=user_id)
        user_hub.changed.emit(user_id)
