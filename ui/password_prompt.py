"""Ask for an account's password when a run finds none, or the server refused it.

A run started by the user in a window ("Vorgang starten", "Adressbuch abgleichen") that fails for
want of a password — none stored (the user chose „Nicht speichern“ and restarted, or the
keyring lost it), or the server answered 401 — asks for it here and runs again, instead of
sending the user to the account settings. "Passwort speichern" puts it where passwords
of this computer go (keyring or the owner-only file); unticked, or when there is no store,
it is kept in memory until the program ends. Scheduled runs never open it by themselves: the
tray tells, and clicking its notice (or its menu entry) asks here (ui/tray.py).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app import secrets

MISSING = "missing"
REJECTED = "rejected"


def password_problem(account_id: int) -> str:
    """MISSING if no password can be found for the account, else REJECTED."""
    try:
        secrets.get_password(account_id)
    except secrets.SecretError:
        return MISSING
    return REJECTED


def can_store() -> bool:
    """True if a password can be saved beyond this process (keyring or password file)."""
    return secrets.active_store() not in (None, secrets.STORE_SESSION)


class PasswordPrompt(QDialog):
    """The password of one account, and whether to keep it."""

    def __init__(
        self,
        account_label: str,
        username: str,
        problem: str,
        *,
        storable: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passwordPrompt")
        self.setWindowTitle(self.tr("Passwort eingeben"))
        self.setMinimumWidth(420)
        if problem == MISSING:
            text = self.tr(
                "Für den Account „{0}“ ist kein Passwort gespeichert. Bitte geben Sie es "
                "ein, dann wird der Abgleich wiederholt."
            )
        else:
            text = self.tr(
                "Der Server hat die Anmeldung für den Account „{0}“ abgelehnt. Bitte "
                "prüfen Sie das Passwort; der Abgleich wird dann wiederholt."
            )
        self.message = QLabel(text.format(account_label))
        self.message.setWordWrap(True)
        self.user_label = QLabel(username)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.store_box = QCheckBox(self.tr("Passwort speichern"))
        self.store_box.setChecked(storable)
        self.store_box.setEnabled(storable)
        if not storable:
            self.store_box.setToolTip(
                self.tr(
                    "Auf diesem Computer gibt es keinen Passwortspeicher: das Passwort gilt, "
                    "bis Contactbox beendet wird."
                )
            )
        form = QFormLayout()
        form.addRow(self.tr("Benutzername:"), self.user_label)
        form.addRow(self.tr("Passwort:"), self.password_edit)
        form.addRow("", self.store_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Erneut versuchen"))
        ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        self.password_edit.textChanged.connect(lambda t: ok.setEnabled(bool(t)))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.password_edit.setFocus()

    def password(self) -> str:
        return self.password_edit.text()

    def store(self) -> bool:
        return self.store_box.isEnabled() and self.store_box.isChecked()


def keep_password(account_id: int, password: str, *, store: bool) -> str:
    """Keep the entered password: saved (store) or for this session. Returns a German note
    if saving failed and the password is kept for the session instead ("" otherwise)."""
    if store:
        try:
            secrets.set_password(account_id, password)
            return ""
        except secrets.SecretError as exc:
            secrets.remember_for_session(account_id, password)
            return f"{exc} Das Passwort gilt bis zum Beenden des Programms."
    secrets.remember_for_session(account_id, password)
    return ""


def ask_password(account_id: int, label: str, username: str, parent: QWidget) -> bool:
    """Ask for the account's password and keep it (a note if it could only be kept for the
    session); True if one was entered."""
    dialog = PasswordPrompt(
        label, username, password_problem(account_id), storable=can_store(), parent=parent
    )
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.password():
        return False
    note = keep_password(account_id, dialog.password(), store=dialog.store())
    if note:
        title = QCoreApplication.translate("PasswordPrompt", "Passwort nicht gespeichert")
        QMessageBox.warning(parent, title, note)
    return True
