"""A combo box for names that may be long (server books, calendars): a text too long for
the box ends with "…" instead of being cut off, the tooltip names the whole text, and the
list opens as wide as its longest entry."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter, QWidget


class ElidedComboBox(QComboBox):
    """A combo box that ends a text too long for it with "…" (instead of cutting it off)
    and names the whole text in its tooltip; its list is as wide as its longest entry."""

    def __init__(self, explanation: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._explanation = explanation
        self.currentIndexChanged.connect(self.update_tooltip)
        self.model().dataChanged.connect(self.update_tooltip)

    def update_tooltip(self, *_args: object) -> None:
        """The whole current text, the current entry's own tooltip, the explanation."""
        text = self.currentText()
        parts = [text] if text else []
        own = self.currentData(Qt.ItemDataRole.ToolTipRole)
        if own and str(own) != text:
            parts.append(str(own))
        if self._explanation:
            parts.append(self._explanation)
        self.setToolTip("\n\n".join(parts))

    def showPopup(self) -> None:
        view = self.view()
        widest = view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width() + 8
        view.setMinimumWidth(min(max(widest, self.width()), 900))
        super().showPopup()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def shown_text(self) -> str:
        """The text as it is drawn (ending in "…" when it does not fit)."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            self,
        )
        return self.fontMetrics().elidedText(
            self.currentText(), Qt.TextElideMode.ElideRight, max(field.width() - 4, 0)
        )
