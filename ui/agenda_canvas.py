"""Termine ▸ Agenda: what the painted day views share.

`Canvas` is the base of the two widgets of `TimeGridView` (ui/agenda_grid.py), the day
header with the all-day strip and the time grid: the day columns' geometry (`GUTTER` to
the left for the hour labels), the boxes drawn for the occurrences and hit-testing on them
(`event_at`, `rect_for`; the subclasses add `slot_at`), the selection, tooltips, and the
mouse turned into signals (selected, open, create at a slot, context menu). `_paint_box`
draws one occurrence in the colours below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

from app.store.occurrences import Occurrence
from ui.agenda_format import occurrence_tooltip

GUTTER = 52  # width of the hour labels on the left

# Colours: single events blue, recurring series green, all-day amber; selection darker.
GRID_LINE = QColor("#e2e2e2")
HALF_LINE = QColor("#f0f0f0")
OFF_HOURS = QColor("#f7f7f7")
WEEKEND = QColor("#fafafa")
TODAY = QColor("#fff8e1")
NOW = QColor("#d32f2f")
TEXT = QColor("#1a1a1a")
MUTED = QColor("#666666")


@dataclass(frozen=True)
class _Palette:
    fill: QColor
    border: QColor


_SINGLE = _Palette(QColor("#dce8f8"), QColor("#4a7fc1"))
_SERIES = _Palette(QColor("#dff0e0"), QColor("#4c9a52"))
_ALL_DAY = _Palette(QColor("#fde9c9"), QColor("#d98a1c"))


def _palette(occ: Occurrence) -> _Palette:
    if occ.all_day:
        return _ALL_DAY
    return _SERIES if occ.recurring else _SINGLE


class Canvas(QWidget):
    """Common part of the painted views: boxes, selection, hit-testing, mouse signals."""

    selection_changed = Signal(object)  # Occurrence | None
    open_requested = Signal(object)  # Occurrence
    create_requested = Signal(object, bool)  # local datetime (all-day: midnight), all_day
    menu_requested = Signal(object, object, QPoint)  # Occurrence | None, slot | None, global

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[date] = []
        self.occurrences: list[Occurrence] = []
        self.boxes: list[tuple[QRectF, Occurrence]] = []  # in paint order
        self.selected: Occurrence | None = None
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setMouseTracking(False)

    # geometry of the day columns
    def _left(self) -> float:
        return float(GUTTER)

    def _right_margin(self) -> int:
        return 0

    def day_width(self) -> float:
        n = max(1, len(self.days))
        return max(1.0, (self.width() - self._left() - self._right_margin()) / n)

    def day_x(self, index: int) -> float:
        return self._left() + index * self.day_width()

    def day_at(self, x: float) -> date | None:
        if not self.days or x < self._left():
            return None
        index = int((x - self._left()) // self.day_width())
        return self.days[index] if 0 <= index < len(self.days) else None

    # hit-testing
    def event_at(self, pos: QPoint | QPointF) -> Occurrence | None:
        """The occurrence drawn at `pos` (topmost), or None."""
        point = QPointF(pos)
        for rect, occ in reversed(self.boxes):
            if rect.contains(point):
                return occ
        return None

    def rect_for(self, occ: Occurrence) -> QRect | None:
        """Where `occ` is drawn (its first piece), in this widget's coordinates."""
        for rect, o in self.boxes:
            if o == occ:
                return rect.toAlignedRect().adjusted(1, 1, -1, -1)
        return None

    def slot_at(self, pos: QPoint | QPointF) -> tuple[datetime, bool] | None:
        """The time a click at `pos` means ((start, all-day) or None): each view answers for
        its own layout (DayHeader, DayGrid); a canvas without time slots has none."""
        return None

    def set_selected(self, occ: Occurrence | None) -> None:
        if occ != self.selected:
            self.selected = occ
            self.update()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            occ = self.event_at(QPointF(event.pos()))
            if occ is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), occurrence_tooltip(occ), self)
            return True
        return super().event(event)

    # mouse
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            occ = self.event_at(event.position())
            self.set_selected(occ)
            self.selection_changed.emit(occ)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        occ = self.event_at(event.position())
        if occ is not None:
            self.open_requested.emit(occ)
            return
        slot = self.slot_at(event.position())
        if slot is not None:
            self.create_requested.emit(slot[0], slot[1])

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        occ = self.event_at(QPointF(event.pos()))
        self.set_selected(occ)
        self.selection_changed.emit(occ)
        slot = None if occ is not None else self.slot_at(QPointF(event.pos()))
        self.menu_requested.emit(occ, slot, event.globalPos())

    # painting helpers
    def _paint_box(
        self, p: QPainter, rect: QRectF, occ: Occurrence, lines: list[str], compact: bool
    ) -> None:
        pal = _palette(occ)
        selected = occ == self.selected
        fill = pal.border if selected else pal.fill
        p.setPen(QPen(pal.border, 1))
        p.setBrush(QBrush(fill))
        p.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        if not selected:  # accent bar on the left
            p.fillRect(QRectF(rect.left() + 1, rect.top() + 1, 3, rect.height() - 2), pal.border)
        text_rect = rect.adjusted(6, 1, -3, -1)
        if text_rect.width() < 8 or text_rect.height() < 6:
            return
        p.setPen(QColor("white") if selected else TEXT)
        base = QFont(self.font())
        bold = QFont(base)
        bold.setBold(True)
        fm_bold, fm = QFontMetrics(bold), QFontMetrics(base)
        width = int(text_rect.width())
        if compact:  # one line: "09:00 Betreff"
            p.setFont(bold)
            text = fm_bold.elidedText(
                "  ".join(s for s in lines[:2] if s), Qt.TextElideMode.ElideRight, width
            )
            p.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            return
        # time, then the summary word-wrapped over the lines left, then location/contact
        time_text, summary, extra = [*lines, "", "", ""][:3]
        p.save()
        p.setClipRect(text_rect)
        y = text_rect.top()
        if time_text:
            p.setFont(base)
            p.drawText(
                QRectF(text_rect.left(), y, text_rect.width(), fm.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                fm.elidedText(time_text, Qt.TextElideMode.ElideRight, width),
            )
            y += fm.height()
        room = int((text_rect.bottom() - y) // fm_bold.height())
        if summary and room > 0:
            needed = fm_bold.boundingRect(
                QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), summary
            ).height()
            summary_lines = max(
                1, min(room - (1 if extra and room > 1 else 0), needed // fm_bold.height())
            )
            p.setFont(bold)
            if summary_lines == 1:
                summary = fm_bold.elidedText(summary, Qt.TextElideMode.ElideRight, width)
            p.drawText(
                QRectF(text_rect.left(), y, text_rect.width(), summary_lines * fm_bold.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                | int(Qt.TextFlag.TextWordWrap),
                summary,
            )
            y += summary_lines * fm_bold.height()
        if extra and y + fm.height() <= text_rect.bottom() + 2:
            p.setFont(base)
            p.drawText(
                QRectF(text_rect.left(), y, text_rect.width(), fm.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                fm.elidedText(extra, Qt.TextElideMode.ElideRight, width),
            )
        p.restore()
