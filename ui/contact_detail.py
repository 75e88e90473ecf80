"""A read-only view of one contact (e.g. one in the Papierkorb, which opens no editor)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app import vcard
from app.store.contacts import get_contact
from ui.side_list import bold


class ContactDetailDialog(QDialog):
    """A read-only view of one contact: name, e-mails, phones, organization, raw vCard."""

    def __init__(self, contact_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        contact = get_contact(contact_id)
        summary = vcard.summarize(contact.vcard)
        self.setWindowTitle(self.tr("Kontakt: {0}").format(contact.fn or contact.uid))
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        title = QLabel(contact.fn or self.tr("(ohne Namen)"))
        bold(title, 1.3)
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(title)
        form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key, label, value in (
            ("fn", self.tr("Name:"), summary.fn),
            ("emails", self.tr("E-Mail:"), "\n".join(summary.emails)),
            ("phones", self.tr("Telefon:"), "\n".join(summary.phones)),
            ("org", self.tr("Organisation:"), summary.org.replace(";", ", ")),
        ):
            field = QLabel(value or "–")
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = field
            form.addRow(label, field)
        if contact.deleted_at is not None:
            trashed = QLabel(self.tr("Dieser Kontakt liegt im Papierkorb."))
            trashed.setStyleSheet("color: #b3261e;")
            form.addRow("", trashed)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("vCard:")))
        self.vcard_view = QPlainTextEdit(contact.vcard.replace("\r\n", "\n"))
        self.vcard_view.setReadOnly(True)
        self.vcard_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.vcard_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.vcard_view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
