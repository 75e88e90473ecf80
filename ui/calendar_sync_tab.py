"""Benutzerkonfiguration ▸ the tab "Termin - Kalendersynchronisation" of one user: the
user's CalDAV account (Account hinzufügen / Bearbeiten / Entfernen through
ui/calendar_account_dialog.py), the bound calendar's row (last sync, aktivieren /
deaktivieren, "Jetzt synchronisieren" on a background thread with its report, sharing the
account's lock with the tray), which side wins a conflict, and the status line. Choosing,
creating and binding the calendar is `CalendarChoicePart` (ui/calendar_choice.py).
"""

from __future__ import annotations

from datetime import UTC

from PySide6.QtCore import QObject, QSize, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.accounts import remove_account
from app.dav.caldav import RemoteCalendar
from app.store import users
from app.store.accounts import account_by_id, calendar_binding_by_id
from app.store.models import Account, CalendarBinding
from app.sync.calendar_jobs import (
    CalendarJob,
    binding_for_user,
    set_calendar_preference,
)
from app.sync.report import RunReport
from ui.ask import ask_yes_no
from ui.book_row import relative_time
from ui.calendar_choice import CalendarChoicePart
from ui.elided_combo import ElidedComboBox
from ui.icons import icon
from ui.locale_format import date_text, time_text
from ui.report_dialog import ReportDialog
from ui.report_export import status_de
from ui.side_list import bold, hint_label
from ui.user_hub import user_hub
from ui.workers import JobWorker, start_worker


class _CalendarRun(QObject):
    """A manual calendar run, shaped like a RunWindow for the tray's account lock."""

    run_finished = Signal(object)  # the RunReport
    finished = Signal(int)  # ended without a report

    def __init__(self, account_id: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.account_id = account_id


class CalendarSyncTab(CalendarChoicePart, QWidget):
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
        self.account_subtitle = hint_label()
        outer.addWidget(self.account_subtitle)
        self.no_account = hint_label(
            self.tr(
                "Für diesen Benutzer ist noch kein Kalender-Account eingerichtet. Mit "
                "„Account hinzufügen“ verbinden Sie Contactbox mit dem Kalender des "
                "Benutzers auf dem Groupware-Server."
            )
        )
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
        bold(self.calendar_name)
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
        self.calendar_hint = hint_label(
            self.tr(
                "Die Termine des Benutzers werden in beiden Richtungen mit diesem einen "
                "Kalender abgeglichen; andere Benutzer sehen sie nicht."
            )
        )
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
                    f"{date_text(local.date())}, {time_text(local)}",
                    status_de(binding.last_status or "ok"),
                )
            )
            color = "#b3261e" if binding.last_status == "failed" else "#1e7b34"
            self.status_line.setStyleSheet(f"color: {color};")

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
            from ui.tray import account_edited

            account_edited(int(account.id))  # a held account (wrong password) may run again
            self.account_saved(dialog.calendars)

    @Slot()
    def remove_account(self) -> None:
        account = self.account()
        if account is None:
            return
        if not ask_yes_no(
            self,
            self.tr("Kalender-Account entfernen"),
            self.tr(
                "Soll der Kalender-Account „{0}“ wirklich entfernt werden?\n\n"
                "Die Termine werden dann nicht mehr mit dem Server abgeglichen. Die Termine "
                "in Contactbox und der Kalender auf dem Server bleiben erhalten."
            ).format(account.label),
        ):
            return
        remove_account(account)
        self.calendars = []
        self._load_generation += 1
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
            return CalendarJob(account_by_id(account_id), [calendar_binding_by_id(binding_id)])

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
