"""A short "Rückgängig" offer after a deletion: one line with what happened and a button.

The bar shows for `UNDO_MS` (a single-shot QTimer, never a sleep), then hides. Rückgängig —
or Strg+Z on the widget that hosts the bar, while it is shown — runs the undo given with
the offer, once. A new offer replaces the one shown: only the last deletion can be taken
back here; every deleted item also stays in its Papierkorb until that is emptied.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

# How long the offer stays (8 s: long enough to notice a wrong Entf, short enough not to
# linger over the next action).
UNDO_MS = 8000

STYLE = """
QFrame#undoBar {
    background: #fff4d6; border: 1px solid #e6c870; border-radius: 4px;
}
QFrame#undoBar QLabel { color: #3a3a3a; }
"""


class UndoBar(QFrame):
    """The line "„Anna Becker“ wurde in den Papierkorb verschoben. [Rückgängig]"."""

    undone = Signal()  # after an offer's undo ran

    def __init__(self, host: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        self.setStyleSheet(STYLE)
        self._undo: Callable[[], None] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 4, 2)
        layout.setSpacing(8)
        self.label = QLabel()
        self.label.setObjectName("undoText")
        layout.addWidget(self.label, 1)
        self.undo_button = QPushButton(self.tr("Rückgängig"))
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setToolTip(self.tr("Das Löschen zurücknehmen (Strg+Z)"))
        self.undo_button.setAutoDefault(False)
        self.undo_button.clicked.connect(self.undo)
        layout.addWidget(self.undo_button)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(UNDO_MS)
        self.timer.timeout.connect(self.dismiss)
        # On the host: a shortcut of the hidden bar itself would never fire.
        # Enabled only while an offer is shown, so two bars on one page never compete.
        self.shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), host)
        self.shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.shortcut.setEnabled(False)
        self.shortcut.activated.connect(self._shortcut)
        self.hide()

    def offer(self, text: str, undo: Callable[[], None]) -> None:
        """Show `text` with Rückgängig for `UNDO_MS`; `undo` runs if it is clicked."""
        self._undo = undo
        self.label.setText(text)
        self.show()
        self.shortcut.setEnabled(True)
        self.timer.start()

    def pending(self) -> bool:
        """True while an offer is shown."""
        return self._undo is not None

    @Slot()
    def undo(self) -> None:
        """Run the offered undo (once) and hide the bar."""
        undo = self._undo
        self.dismiss()
        if undo is not None:
            undo()
            self.undone.emit()

    @Slot()
    def dismiss(self) -> None:
        """Hide the bar; the offer is gone (the deleted items stay in the Papierkorb)."""
        self.timer.stop()
        self._undo = None
        self.shortcut.setEnabled(False)
        self.hide()

    @Slot()
    def _shortcut(self) -> None:
        if self.pending():
            self.undo()
