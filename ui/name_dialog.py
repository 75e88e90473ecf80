"""The dialog that asks for the name of something new or renamed (an address book, a group),
checked while the user types: the prompt, the line edit "nameEdit", the red "errorLabel", an
optional hint "hint" and the OK/Cancel "buttons". OK is enabled only for a name that is new
and allowed; what a name may be says the caller's `problem` function. The texts come
translated from the caller (a subclass), in its own translation context."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class NameDialog(QDialog):
    """Ask for a name; `current` is the name being renamed (None: something new);
    `problem(name)` says why a new, non-empty name cannot be taken ("" if it can)."""

    def __init__(
        self,
        *,
        title: str,
        prompt: str,
        current: str | None,
        problem: Callable[[str], str],
        ok_text: str,
        cancel_text: str,
        note: str = "",
        max_length: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.current = current
        self._problem = problem
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.name_edit = QLineEdit(current or "")
        self.name_edit.setObjectName("nameEdit")
        if max_length is not None:
            self.name_edit.setMaxLength(max_length)
        self.name_edit.selectAll()
        label.setBuddy(self.name_edit)
        layout.addWidget(self.name_edit)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        if note:
            hint = QLabel(note)
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("buttons")
        self.ok_button().setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(420, self.sizeHint().height())
        self.name_edit.textChanged.connect(lambda _text: self._validate())
        self._validate()

    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def name(self) -> str:
        """The name as typed, without surrounding blanks."""
        return self.name_edit.text().strip()

    def _validate(self) -> bool:
        name = self.name()
        # nothing typed, or the name unchanged: no OK, and no red text either
        message = self._problem(name) if name and name != self.current else None
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))
        ok = message == ""
        self.ok_button().setEnabled(ok)
        return ok

    def accept(self) -> None:
        if self._validate():
            super().accept()
