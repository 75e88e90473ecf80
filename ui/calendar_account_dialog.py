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

from dataclasses import asdict

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.dav.caldav import RemoteCalendar
from app.store.models import Account, User
from app.store.users import calendar_account_label, display_name, get_user
from app.sync.calendar_jobs import CalendarCheck, add_calendar_account, check_calendar_connection
from ui.account_dialog import AccountDialog, CheckInput
from ui.side_list import bold, hint_label


def _check_calendars(d: CheckInput) -> CalendarCheck:
    """The calendar account check (runs on a worker thread); lists the calendars found."""
    return check_calendar_connection(
        d.server, d.port, d.path, d.preset, d.username, d.password, d.pinned_sha256
    )


class CalendarAccountDialog(AccountDialog):
    """Benutzername, Passwort, Serveradresse, Port, Path of one user's calendar account.

    `account_id=None` adds a new account for `user_id`; otherwise that account is edited
    (an empty password field keeps the stored password). After a successful check,
    `calendars` holds the calendars found on the server.
    """

    CHECK = staticmethod(_check_calendars)
    GROUP_SETTING = False  # calendars have no contact groups

    def __init__(
        self, user_id: int, parent: QWidget | None = None, account_id: int | None = None
    ) -> None:
        self.user: User = get_user(user_id)
        self.calendars: list[RemoteCalendar] = []
        super().__init__(parent, account_id)
        if self._account is None:
            self.setWindowTitle(
                self.tr("Kalender-Account hinzufügen – {0}").format(display_name(self.user.name))
            )
            self.label_edit.setText(calendar_account_label(self.user.name))
        else:
            self.setWindowTitle(
                self.tr("Kalender-Account bearbeiten – {0}").format(display_name(self.user.name))
            )

    def _build(self) -> None:
        super()._build()
        # label and server type are not asked for a calendar account
        self.form.setRowVisible(self.label_edit, False)
        self.form.setRowVisible(self.preset_combo, False)
        heading = QLabel(
            self.tr("Kalender des Benutzers „{0}“").format(display_name(self.user.name))
        )
        heading.setObjectName("dialogHeading")
        bold(heading, 1.15)
        hint = hint_label(
            self.tr(
                "Port und Path leer lassen: Contactbox findet die Kalender dann selbst. "
                "Das Passwort wird im Schlüsselbund des Systems gespeichert."
            )
        )
        hint.setStyleSheet("color: #666666;")
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, heading)
            layout.insertSpacing(1, 4)
            layout.insertWidget(3, hint)

    # ------------------------------------------------------------------ check

    @Slot(int, object)
    def _on_check_done(self, generation: int, result: CalendarCheck) -> None:  # type: ignore[override]
        if generation == self._generation:
            self.calendars = list(result.calendars) if result.ok else []
        super()._on_check_done(generation, result)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ save

    def _create_account(self, label: str, data: CheckInput) -> Account:
        """A new calendar account for the user (password to the keyring)."""
        return add_calendar_account(label, **asdict(data), user=self.user)
