"""The tray icon's words: its tooltip (last successful sync, the running account, the
accounts failing and why) and its context menu, built anew each time it opens (Öffnen, the
state line, Jetzt synchronisieren, „Passwort für „…“ eingeben …“ for each account held for
its password, Pause / Fortsetzen, Beenden). `TrayMenuPart` is mixed into `TrayController`
(ui/tray.py); strings in the context "TrayController" (`_tr`), plain methods without @Slot
(see "Mixins" in ui/contacts_page.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import QMenu

from app.scheduler import Scheduler
from app.store.accounts import account_labels, find_account
from ui.locale_format import date_text, time_text

if TYPE_CHECKING:
    _Tray = QObject  # for the type checker: the part is mixed into TrayController
else:
    _Tray = object

CONTEXT = "TrayController"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def _local_time(when_utc: datetime) -> str:
    local = when_utc.replace(tzinfo=UTC).astimezone()
    today = datetime.now(UTC).astimezone().date()
    if local.date() == today:
        return _tr("heute, {0} Uhr").format(time_text(local))
    return _tr("{0} Uhr").format(f"{date_text(local.date())}, {time_text(local)}")


class TrayMenuPart(_Tray):
    """Tooltip and context menu of the tray icon (mixed into `TrayController`)."""

    # Set by TrayController.__init__.
    scheduler: Scheduler
    _menu: QMenu
    _job: Any  # ui.tray_schedule._Job | None
    _quitting: bool
    _last_message: dict[int, str]

    if TYPE_CHECKING:

        def last_sync(self) -> datetime | None: ...
        def show_window(self) -> None: ...
        def run_now(self) -> None: ...
        def ask_password(self, account_id: int) -> bool: ...
        def pause(self) -> None: ...
        def resume(self) -> None: ...
        def quit(self, timeout_ms: int = ...) -> bool: ...

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
                account = find_account(entry.account_id)
                label = account.label if account else str(entry.account_id)
                lines.append(f"{label}: {self._last_message[entry.account_id]}")
        return "\n".join(lines)

    def menu(self) -> QMenu:
        """The context menu, as it would show now."""
        self._build_menu()
        return self._menu

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
        return account_labels(held)

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
