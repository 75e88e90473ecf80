"""What the tray tells the user: notifications after a run (a failure once per streak,
held-back mass deletions, items that failed and a "Neu anlegen" left for a start by hand
once until they change, solved conflicts each time), where a click on one leads (the
stored report, or the password prompt of an account held for it), the one-time hints on
closing the window and on a desktop without a tray. Without a tray a notice goes to the
window's status bar. `TrayNoticesPart` is mixed into `TrayController` (ui/tray.py);
strings in the context "TrayController" (`_tr`, `CONTEXT`), plain methods without @Slot
(see "Mixins" in ui/contacts_page.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStatusBar, QSystemTrayIcon, QWidget

from app.scheduler import FailureKind, Scheduler
from app.sync.report import ADDRESS_BOOK, CALENDAR, BookReport, RunReport
from ui.settings import app_settings

if TYPE_CHECKING:
    _Tray = QObject  # for the type checker: the part is mixed into TrayController
else:
    _Tray = object

CONTEXT = "TrayController"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


CLOSE_HINT_KEY = "tray/close_hint_shown"
NO_TRAY_HINT_KEY = "tray/no_tray_hint_shown"


class TrayNoticesPart(_Tray):
    """The tray's notifications and hints (mixed into `TrayController`)."""

    # Set by TrayController.__init__.
    window: QMainWindow
    tray: QSystemTrayIcon
    tray_available: bool
    scheduler: Scheduler
    notified: Signal
    report_requested: Signal
    _message_report_id: int
    _message_password_account: int
    _held_back_told: dict[int, tuple[str, ...]]
    _by_hand_told: dict[int, tuple[str, ...]]
    _errors_told: dict[int, tuple[str, ...]]
    _last_message: dict[int, str]

    if TYPE_CHECKING:

        def show_window(self) -> None: ...
        def ask_password(self, account_id: int) -> bool: ...

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

    def _fail(self, job: Any, kind: FailureKind, message: str, report_id: int) -> None:
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

    def _tell_about_success(self, job: Any, report: RunReport, report_id: int) -> None:
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
                    QCoreApplication.translate(
                        CONTEXT,
                        "%n Kontakt(e) konnte(n) nicht abgeglichen werden.",
                        None,
                        failed_contacts,
                    )
                )
            if failed_appointments:
                parts.append(
                    QCoreApplication.translate(
                        CONTEXT,
                        "%n Termin(e) konnte(n) nicht abgeglichen werden.",
                        None,
                        failed_appointments,
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
                QCoreApplication.translate(
                    CONTEXT,
                    "%n Konflikt(e) wurde(n) gelöst; die andere Version steht im Verlauf.",
                    None,
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
            return QCoreApplication.translate(
                CONTEXT,
                "%n Löschung(en) in {0} wurde(n) zurückgehalten, weil auf einer Seite mehr "
                "als die Hälfte der Termine fehlt. Bitte prüfen Sie den Bericht.",
                None,
                held,
            ).format(names)
        return QCoreApplication.translate(
            CONTEXT,
            "%n Löschung(en) in {0} wurde(n) zurückgehalten, weil auf einer Seite mehr "
            "als die Hälfte der Kontakte fehlt. Bitte prüfen Sie den Bericht.",
            None,
            held,
        ).format(names)

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

    def _on_message_clicked(self) -> None:
        if self._message_password_account:
            self.ask_password(self._message_password_account)
        elif self._message_report_id:
            self.show_window()
            self.report_requested.emit(self._message_report_id)
