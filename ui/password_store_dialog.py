"""No keyring found: where the password of an account goes. `PasswordStoreDialog` offers to
set up a keyring and retry, an owner-only file (app.secrets.password_file()), or not saving
it (it lasts until Contactbox ends); the account dialog (ui/account_dialog.py) asks it
when saving finds no password store.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app import secrets


class PasswordStoreDialog(QMessageBox):
    """No keyring found: set one up and retry, an owner-only file, or not saved at all."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passwordStoreDialog")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Kein Passwortspeicher gefunden"))
        self.setText(
            self.tr(
                "Auf diesem Computer wurde kein Passwortspeicher (Schlüsselbund) gefunden. "
                "Wo soll das Passwort des Accounts bleiben?"
            )
        )
        self.setInformativeText(
            self.tr(
                "• Schlüsselbund einrichten: Installieren und starten Sie GNOME Keyring "
                "(Paket „gnome-keyring“) oder KWallet – bei einer Installation mit pip "
                "genügt auch „pip install keyrings.alt“ – und wählen Sie dann „Erneut "
                "versuchen“.\n"
                "• In Datei speichern: Das Passwort wird unverschlüsselt in einer Datei "
                "gespeichert, die nur Ihr Benutzerkonto lesen kann ({0}). Wer Zugriff auf "
                "Ihr Benutzerkonto oder eine Sicherung davon hat, kann es lesen.\n"
                "• Nicht speichern: Das Passwort gilt nur, bis Contactbox beendet wird; "
                "danach geben Sie es in den Account-Einstellungen erneut ein."
            ).format(secrets.password_file())
        )
        self.retry_button = self.addButton(
            self.tr("Erneut versuchen"), QMessageBox.ButtonRole.AcceptRole
        )
        self.file_button = self.addButton(
            self.tr("In Datei speichern"), QMessageBox.ButtonRole.AcceptRole
        )
        self.session_button = self.addButton(
            self.tr("Nicht speichern"), QMessageBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.addButton(self.tr("Abbrechen"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.retry_button)
        self.setEscapeButton(self.cancel_button)

    def choice(self) -> str | None:
        clicked = self.clickedButton()
        if clicked is self.retry_button:
            return "retry"
        if clicked is self.file_button:
            return secrets.STORE_FILE
        if clicked is self.session_button:
            return secrets.STORE_SESSION
        return None
