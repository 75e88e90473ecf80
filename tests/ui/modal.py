"""Answer a real modal dialog (QMessageBox or QDialog) from inside its exec() loop.

    with pressing(Qt.Key.Key_Escape) as seen:
        page.empty_button.click()        # opens a QMessageBox; Escape answers it
    assert seen[0]["safe_default"]

Polling (every 10 ms) starts when the block is entered and stops when it is left, so a
dialog that never opened cannot be answered in a later test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton, QWidget


@contextmanager
def answering(kind: type[QWidget], act: Callable[[Any], None]) -> Iterator[list[Any]]:
    """Run `act` on each modal widget of type `kind` that opens inside the block; yields
    the list they are appended to. A failing `act` rejects the dialog (no hanging test)."""
    seen: list[Any] = []
    active = [True]

    def poll() -> None:
        if not active[0]:
            return
        w = QApplication.activeModalWidget()
        if isinstance(w, kind) and w.isVisible() and (not seen or seen[-1] is not w):
            seen.append(w)
            try:
                act(w)
            finally:
                if w.isVisible() and isinstance(w, QDialog):
                    w.reject()
        QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    try:
        yield seen
    finally:
        active[0] = False


def default_button(w: QWidget) -> QPushButton | None:
    """The button Enter presses in a message box or dialog."""
    if isinstance(w, QMessageBox):
        return w.defaultButton()
    return next((b for b in w.findChildren(QPushButton) if b.isDefault()), None)


def is_safe(w: QWidget, button: QPushButton | None) -> bool:
    """Whether `button` is the safe answer: No / Cancel (message box) or Abbrechen."""
    if button is None:
        return False
    if isinstance(w, QMessageBox):
        return w.buttonRole(button) in (
            QMessageBox.ButtonRole.RejectRole,
            QMessageBox.ButtonRole.NoRole,
        )
    return button.text().replace("&", "") == "Abbrechen"


@contextmanager
def pressing(key: Qt.Key, kind: type[QWidget] = QMessageBox) -> Iterator[list[dict[str, Any]]]:
    """Press `key` (Return or Escape) in each modal `kind` opening inside the block;
    yields what each showed: its text and whether its default button is the safe one."""
    seen: list[dict[str, Any]] = []

    def act(w: QWidget) -> None:
        text = w.text() if isinstance(w, QMessageBox) else w.windowTitle()
        seen.append({"text": text, "safe_default": is_safe(w, default_button(w))})
        QTest.keyClick(w, key)

    with answering(kind, act):
        yield seen


@contextmanager
def clicking(text: str, kind: type[QWidget] = QMessageBox) -> Iterator[list[Any]]:
    """Click the button labelled `text` in each modal `kind` opening inside the block."""

    def act(w: QWidget) -> None:
        for button in w.findChildren(QPushButton):
            if button.text().replace("&", "") == text:
                button.click()
                return
        raise AssertionError(f"no button {text!r} in {w!r}")

    with answering(kind, act) as seen:
        yield seen
