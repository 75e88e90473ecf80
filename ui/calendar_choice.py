"""Benutzerkonfiguration ▸ Termin - Kalendersynchronisation: which server calendar a user's
appointments sync with. `CalendarChoicePart` is mixed into `CalendarSyncTab`
(ui/calendar_sync_tab.py), which builds the widgets it works on: it fetches the account's
calendars on a background thread (ui/workers.py; an answer that arrives late is dropped),
fills "Kalender wählen" (read-only calendars last, "Neuen Kalender anlegen …" at the end),
creates a calendar on the server, binds the chosen one (asking before it replaces another),
and switches the bound one on and off or stops syncing it.

The strings keep the translation context "CalendarSyncTab" (`_tr`, `CONTEXT`): `self.tr()`
in this class would be extracted by lupdate under "CalendarChoicePart". Plain methods, no
@Slot: see "Mixins" in ui/contacts_page.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from app.dav.caldav import RemoteCalendar
from app.dav.xml import same_href
from app.store.accounts import account_by_id
from app.store.models import Account, CalendarBinding
from app.store.users import display_name, get_user
from app.sync.calendar_jobs import (
    bind_calendar,
    create_calendar,
    remove_calendar_binding,
    server_calendars,
    set_calendar_enabled,
)
from app.sync.jobs import JobError
from ui.ask import ask_yes_no
from ui.user_hub import user_hub
from ui.workers import call_in_background

if TYPE_CHECKING:
    _Tab = QWidget  # for the type checker: the part is mixed into a QWidget
else:
    _Tab = object

CONTEXT = "CalendarSyncTab"
NEW_CALENDAR = "__new__"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class CalendarChoicePart(_Tab):
    """The calendar a user's appointments sync with (mixed into `CalendarSyncTab`)."""

    # Set by CalendarSyncTab.__init__ / _build.
    user_id: int | None
    calendars: list[RemoteCalendar]
    calendar_combo: QComboBox
    bind_button: QPushButton
    reload_button: QPushButton
    status_line: QLabel
    busy: QProgressBar
    calendars_loaded: Any  # Signal()
    _workers: list[QObject]
    _pending: int
    _load_generation: int
    _run: object | None

    if TYPE_CHECKING:

        def account(self) -> Account | None: ...
        def binding(self) -> CalendarBinding | None: ...
        def refresh(self) -> None: ...

    def _fill_combo(self) -> None:
        binding = self.binding()
        self.calendar_combo.clear()
        # Calendars the account may only read (a shared or birthday calendar) come last:
        # the user's own appointments could not go there.
        usable = sorted((c for c in self.calendars if c.supports_events), key=lambda c: c.read_only)
        for cal in usable:
            name = cal.display_name or cal.href
            if cal.read_only:
                self.calendar_combo.addItem(_tr("{0} (nur lesen)").format(name), cal.href)
                tip = _tr(
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
        self.calendar_combo.addItem(_tr("Neuen Kalender anlegen …"), NEW_CALENDAR)
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

    def _call_finished(self) -> None:
        self._pending -= 1
        self._set_busy(self._pending > 0)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy or self._run is not None)
        busy = busy or self._run is not None
        for w in (self.calendar_combo, self.bind_button, self.reload_button):
            w.setEnabled(not busy)

    def load_calendars(self) -> None:
        """Fetch the account's calendars from the server (background thread)."""
        account = self.account()
        if account is None:
            return
        account_id = int(account.id)
        self._load_generation += 1
        generation = self._load_generation
        self.calendar_combo.clear()
        self.calendar_combo.addItem(_tr("Kalender werden geladen …"))

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
                _tr("Die Kalender konnten nicht geladen werden: {0}").format(message)
            )
            self.status_line.setStyleSheet("color: #b3261e;")
            self.calendars_loaded.emit()

        self._call(lambda: server_calendars(account_by_id(account_id)), done, failed)

    # ------------------------------------------------------------------ calendar

    def bind_selected(self) -> None:
        account = self.account()
        if account is None or self.user_id is None:
            return
        href = self.calendar_combo.currentData()
        if href == NEW_CALENDAR:
            user = get_user(self.user_id)
            name, ok = QInputDialog.getText(
                self,
                _tr("Neuen Kalender anlegen"),
                _tr("Name des neuen Kalenders auf dem Server:"),
                QLineEdit.EchoMode.Normal,
                _tr("Contactbox {0}").format(display_name(user.name)),
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
                _tr("Neuen Kalender anlegen"),
                _tr("Der Kalender konnte nicht angelegt werden: {0}").format(message),
            )

        self._call(lambda: create_calendar(account_by_id(account_id), name), done, failed)

    def bind(self, remote: RemoteCalendar) -> None:
        account = self.account()
        if account is None or self.user_id is None:
            return
        current = self.binding()
        replace = False
        if current is not None and not same_href(current.remote_href, remote.href):
            if not ask_yes_no(
                self,
                _tr("Kalender wechseln"),
                _tr(
                    "Die Termine gleichen bisher mit dem Kalender „{0}“ ab. Künftig mit "
                    "„{1}“ abgleichen?\n\nDie Termine werden dann beim nächsten Abgleich "
                    "neu zugeordnet; nichts wird gelöscht."
                ).format(current.remote_name, remote.display_name),
            ):
                return
            replace = True
        try:
            bind_calendar(account, remote, get_user(self.user_id), replace=replace)
        except JobError as exc:
            QMessageBox.warning(self, _tr("Kalender wählen"), str(exc))
            return
        user_hub.users_changed.emit()
        self.refresh()

    def toggle_enabled(self) -> None:
        binding = self.binding()
        if binding is None:
            return
        set_calendar_enabled(binding, not binding.enabled)
        self.refresh()

    def unbind(self) -> None:
        binding = self.binding()
        if binding is None:
            return
        if not ask_yes_no(
            self,
            _tr("Kalender entfernen"),
            _tr(
                "Soll der Kalender „{0}“ nicht mehr abgeglichen werden?\n\nDie Termine in "
                "Contactbox und der Kalender auf dem Server bleiben erhalten."
            ).format(binding.remote_name),
        ):
            return
        remove_calendar_binding(binding)
        user_hub.users_changed.emit()
        self.refresh()
