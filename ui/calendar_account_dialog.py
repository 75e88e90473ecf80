"""The calendar account dialog: a user's CalDAV account, checked while the user types.

The address book account dialog (ui/account_dialog.py) with the calendar check: the same
form, debounced background check, status display and certificate trust; only the check
(`check_calendar_connection`, which also lists the calendars it finds) and saving (an
account of kind "caldav" for the user) differ. Bezeichnung and Servertyp are not asked:
the label is made from the user's name, and discovery (/.well-known/caldav,
current-user-principal, calendar-home-set) finds the calendars when Port and Path are
left empty.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QRunnable, Slot
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from app.accounts import AccountError
from app.dav.caldav import RemoteCalendar
from app.secrets import SecretError
from app.store.models import User
from app.store.users import calendar_account_label
from app.sync.calendar_jobs import CalendarCheck, add_calendar_account, check_calendar_connection
from app.sync.jobs import JobError
from ui.account_dialog import AccountDialog, CheckInput, _CheckSignals


class _CalendarCheckWorker(QRunnable):
    """Runs `check_calendar_connection` off the GUI thread; reports through `signals.done`."""

    def __init__(self, generation: int, data: CheckInput, signals: _CheckSignals) -> None:
        super().__init__()
        self.generation = generation
        self.data = data
        self.signals = signals

    def run(self) -> None:
        d = self.data
        result = check_calendar_connection(
            d.server, d.port, d.path, d.preset, d.username, d.password, d.pinned_sha256
        )
        # RuntimeError: the dialog is gone; nobody waits for this result.
        with contextlib.suppress(RuntimeError):
            self.signals.done.emit(self.generation, result)


class CalendarAccountDialog(AccountDialog):
    """Benutzername, Passwort, Serveradresse, Port, Path of one user's calendar account.

    `account_id=None` adds a new account for `user_id`; otherwise that account is edited
    (an empty password field keeps the stored password). After a successful check,
    `calendars` holds the calendars found on the server.
    """

    def __init__(
        self, user_id: int, parent: QWidget | None = None, account_id: int | None = None
    ) -> None:
        self.user: User = User.get_by_id(user_id)
        self.calendars: list[RemoteCalendar] = []
        super().__init__(parent, account_id)
        if self._account is None:
            self.setWindowTitle(self.tr("Kalender-Account hinzufügen – {0}").format(self.user.name))
            self.label_edit.setText(calendar_account_label(self.user.name))
        else:
            self.setWindowTitle(self.tr("Kalender-Account bearbeiten – {0}").format(self.user.name))

    def _build(self) -> None:
        super()._build()
        form = self.findChild(QFormLayout)
        if form is not None:  # label and server type are not asked for a calendar account
            form.setRowVisible(self.label_edit, False)
            form.setRowVisible(self.preset_combo, False)
        heading = QLabel(self.tr("Kalender des Benutzers „{0}“").format(self.user.name))
        heading.setObjectName("dialogHeading")
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        hint = QLabel(
            self.tr(
                "Port und Path leer lassen: Contactbox findet die Kalender dann selbst. "
                "Das Passwort wird im Schlüsselbund des Systems gespeichert."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666666;")
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, heading)
            layout.insertSpacing(1, 4)
            layout.insertWidget(3, hint)

    # ------------------------------------------------------------------ check

    @Slot()
    def start_check(self) -> None:
        """Start a background check of the current fields (now, not debounced)."""
        self._timer.stop()
        data = self.check_input()
        if data is None:
            self._show_idle()
            return
        self._generation += 1
        self._show_checking()
        self._pool.start(_CalendarCheckWorker(self._generation, data, self._signals))

    @Slot(int, object)
    def _on_check_done(self, generation: int, result: CalendarCheck) -> None:  # type: ignore[override]
        if generation == self._generation:
            self.calendars = list(result.calendars) if result.ok else []
        super()._on_check_done(generation, result)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ save

    @Slot()
    def save(self) -> None:
        """Save the account (checked before) for the user; the password goes to the keyring."""
        data = self.check_input()
        if data is None or self._checked != data:
            return
        label = self.label_edit.text().strip()
        try:
            if self._account is None:
                account = add_calendar_account(
                    label,
                    server=data.server,
                    username=data.username,
                    password=data.password,
                    port=data.port,
                    path=data.path,
                    preset=data.preset,
                    pinned_sha256=data.pinned_sha256,
                    user=self.user,
                )
            else:
                account = self._update_account(self._account, label, data)
        except (AccountError, JobError, SecretError, ValueError) as exc:
            self._set_status(str(exc), "error")
            return
        self.saved_account_id = account.id
        self.accept()
