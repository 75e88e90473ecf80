"""Dialogs to create, rename and delete local address books.

The name dialog checks the name while the user types (app.store.books.validate_book_name)
and shows why it cannot be used in a red line (objectName "errorLabel"); OK stays disabled
until the name is valid. The delete dialog explains what happens, using book_impact.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.store.books import (
    MAX_NAME_LENGTH,
    book_impact,
    create_book,
    delete_book,
    rename_book,
    validate_book_name,
)
from app.store.contacts import StoreError, list_books
from app.store.db import STANDARD_BOOK
from app.store.names import book_display_name
from ui.name_dialog import NameDialog
from ui.side_list import bold

__all__ = [
    "BookNameDialog",
    "DeleteBookDialog",
    "ask_delete_book",
    "ask_new_book",
    "ask_rename_book",
]

DANGER_STYLE = (
    "QPushButton#confirmDelete { background: #b3261e; color: white; border: 1px solid #8c1d18;"
    " border-radius: 4px; padding: 5px 14px; font-weight: bold; }"
    "QPushButton#confirmDelete:hover { background: #c9362d; }"
    "QPushButton#confirmDelete:disabled { background: #d9a3a0; border-color: #d9a3a0; }"
)


class BookNameDialog(NameDialog):
    """Ask for a book name (new book, or renaming `current`), validated while typing.

    Widgets: "nameEdit" (QLineEdit), "errorLabel" (QLabel), "buttons" (QDialogButtonBox).
    """

    def __init__(self, current: str | None = None, parent: QWidget | None = None) -> None:
        if current is None:
            title = self.tr("Neues Adressbuch")
            prompt = self.tr("Name des neuen Adressbuchs:")
        else:
            title = self.tr("Adressbuch umbenennen")
            prompt = self.tr("Neuer Name für das Adressbuch „{name}“:").format(
                name=book_display_name(current)
            )
        super().__init__(
            title=title,
            prompt=prompt,
            current=current,
            problem=self.problem,
            ok_text=self.tr("Anlegen") if current is None else self.tr("Umbenennen"),
            cancel_text=self.tr("Abbrechen"),
            max_length=MAX_NAME_LENGTH + 20,  # longer input gets a message
            parent=parent,
        )

    def problem(self, name: str) -> str:
        try:
            validate_book_name(name, current=self.current)
        except StoreError as exc:
            return str(exc)
        return ""


def ask_new_book(parent: QWidget | None) -> str | None:
    """Ask for a name and create the book; returns its name, or None if cancelled."""
    dialog = BookNameDialog(None, parent)
    while dialog.exec() == QDialog.DialogCode.Accepted:
        name = dialog.name()
        try:
            create_book(name)
        except StoreError as exc:
            QMessageBox.warning(
                parent, QCoreApplication.translate("book_dialogs", "Neues Adressbuch"), str(exc)
            )
            continue
        return name
    return None


def ask_rename_book(parent: QWidget | None, name: str) -> str | None:
    """Ask for a new name and rename the book; returns the new name, or None."""
    dialog = BookNameDialog(name, parent)
    while dialog.exec() == QDialog.DialogCode.Accepted:
        new = dialog.name()
        try:
            rename_book(name, new)
        except StoreError as exc:
            QMessageBox.warning(
                parent,
                QCoreApplication.translate("book_dialogs", "Adressbuch umbenennen"),
                str(exc),
            )
            continue
        return new
    return None


class DeleteBookDialog(QDialog):
    """Explain what deleting book `name` does and let the user choose; deletes on confirm.

    Widgets: "summaryLabel", "bindingsLabel", "moveRadio", "deleteRadio", "targetCombo",
    "confirmDelete" (the red "Adressbuch löschen" button), "cancelButton".
    After accept(), `moved` holds how many contacts went to the target book.
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book_name = name
        self.moved = 0
        self.impact = book_impact(name)
        self.setWindowTitle(self.tr("Adressbuch löschen"))
        self.setStyleSheet(DANGER_STYLE)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)

        heading = QLabel(
            self.tr("Adressbuch „{name}“ löschen?").format(name=book_display_name(name))
        )
        bold(heading, 1.25)
        layout.addWidget(heading)

        summary = self.tr(
            "Das Adressbuch enthält %n Kontakt(e) und {m} im Papierkorb.", "", self.impact.live
        )
        self.summary_label = QLabel(summary.format(m=self.impact.trashed))
        self.summary_label.setObjectName("summaryLabel")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)

        self.bindings_label = QLabel()
        self.bindings_label.setObjectName("bindingsLabel")
        self.bindings_label.setWordWrap(True)
        self.bindings_label.setTextFormat(Qt.TextFormat.RichText)
        if self.impact.bindings:
            items = "".join(f"<li>{html.escape(b)}</li>" for b in self.impact.bindings)
            self.bindings_label.setText(
                self.tr(
                    "Diese Synchronisierungen werden entfernt:<ul style='margin:4px 0'>{items}"
                    "</ul>Auf dem Server wird nichts gelöscht."
                ).format(items=items)
            )
        else:
            self.bindings_label.setText(
                self.tr("Das Adressbuch ist mit keinem Server-Adressbuch verbunden.")
            )
        layout.addWidget(self.bindings_label)

        self.move_radio = QRadioButton(self.tr("Kontakte in ein anderes Adressbuch verschieben:"))
        self.move_radio.setObjectName("moveRadio")
        self.target_combo = QComboBox()
        self.target_combo.setObjectName("targetCombo")
        for other in list_books():
            if other != name:  # shown in the user's language, kept by its stored name
                self.target_combo.addItem(book_display_name(other), other)
        move_row = QHBoxLayout()
        move_row.addWidget(self.move_radio)
        move_row.addWidget(self.target_combo, 1)
        layout.addLayout(move_row)

        self.delete_radio = QRadioButton(self.tr("Kontakte mit dem Adressbuch löschen"))
        self.delete_radio.setObjectName("deleteRadio")
        layout.addWidget(self.delete_radio)
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.move_radio)
        self.choice.addButton(self.delete_radio)

        trash_note = QLabel(
            self.tr("Kontakte im Papierkorb werden in jedem Fall mit dem Adressbuch gelöscht.")
        )
        trash_note.setObjectName("trashNote")
        trash_note.setStyleSheet("color: #555;")
        trash_note.setWordWrap(True)
        trash_note.setVisible(self.impact.trashed > 0)
        layout.addWidget(trash_note)

        has_live = self.impact.live > 0
        self.move_radio.setChecked(has_live)
        self.delete_radio.setChecked(not has_live)
        for w in (self.move_radio, self.target_combo, self.delete_radio):
            w.setEnabled(has_live)
        self.move_radio.toggled.connect(self.target_combo.setEnabled)
        self.target_combo.setEnabled(has_live)

        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Abbrechen"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setDefault(True)
        self.cancel_button.clicked.connect(self.reject)
        self.confirm_button = QPushButton(self.tr("Adressbuch löschen"))
        self.confirm_button.setObjectName("confirmDelete")
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.clicked.connect(self.accept)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        layout.addLayout(buttons)
        self.resize(520, self.sizeHint().height())

    def move_target(self) -> str | None:
        """The book the live contacts go to, or None when they are deleted."""
        if self.impact.live and self.move_radio.isChecked():
            return str(self.target_combo.currentData() or "") or None
        return None

    def accept(self) -> None:
        """Delete the book as chosen; a refusal (StoreError) is shown and the dialog stays."""
        try:
            self.moved = delete_book(self.book_name, move_to=self.move_target())
        except StoreError as exc:
            QMessageBox.warning(self, self.tr("Adressbuch löschen"), str(exc))
            return
        super().accept()


def ask_delete_book(parent: QWidget | None, name: str) -> bool:
    """Show the delete dialog for `name`; True if the book was deleted."""
    try:
        if name == STANDARD_BOOK:
            raise StoreError(
                QCoreApplication.translate(
                    "book_dialogs", "Das Adressbuch „{0}“ kann nicht gelöscht werden."
                ).format(book_display_name(STANDARD_BOOK))
            )
        dialog = DeleteBookDialog(name, parent)
    except StoreError as exc:
        QMessageBox.warning(
            parent, QCoreApplication.translate("book_dialogs", "Adressbuch löschen"), str(exc)
        )
        return False
    return dialog.exec() == QDialog.DialogCode.Accepted
