"""The yes/no question the windows ask before a step that removes or overwrites something:
one QMessageBox.question with "Nein" as the default, so that Enter and Escape leave
everything as it was (tests/ui/test_safe_defaults.py). Title and text come translated from
the caller, in the caller's context.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask `text`; True only when the user answers "Ja"."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
