"""Termine ▸ Agenda, Tag / Woche: `TimeGridView`, one column per shown day.

On top `DayHeader`, the day names and a strip of all-day events (and timed ones lasting
24 hours or more) in lanes; below `DayGrid`, a time grid from 0 to 24 h in a scroll area
that opens scrolled to 7–20 h (`HOUR_FIRST`–`HOUR_LAST`), the hours stretched to fill the
view. Overlapping events stand side by side. Both are painted with QPainter in one widget
each (no child widget per event) on `Canvas` (ui/agenda_canvas.py), and both offer
`slot_at(QPoint)` and `point_for(...)` besides the canvas' `event_at` and `rect_for`, so
tests and the mouse handling use the same geometry.

The string of the all-day strip is in the translation context "AgendaView" (`_tr`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from app.store.occurrences import Occurrence
from ui.agenda_canvas import (
    GRID_LINE,
    GUTTER,
    HALF_LINE,
    MUTED,
    NOW,
    OFF_HOURS,
    TEXT,
    TODAY,
    WEEKEND,
    Canvas,
)
from ui.agenda_format import day_month, occurrence_time_text, weekday_name, weekday_short
from ui.locale_format import time_text

HOUR_FIRST = 7  # the grid opens showing HOUR_FIRST..HOUR_LAST
HOUR_LAST = 20
MIN_HOUR_HEIGHT = 40
DAY_HEADER_HEIGHT = 30
LANE_HEIGHT = 22
SLOT_MINUTES = 30  # a double-click on an empty slot starts at the half hour
MIN_BOX_MINUTES = 20  # short events still get a readable box


def _tr(text: str) -> str:
    return QCoreApplication.translate("AgendaView", text)


def _is_long(occ: Occurrence) -> bool:
    """All-day, or timed lasting 24 h or more: shown in the all-day strip."""
    return occ.all_day or occ.end - occ.start >= timedelta(hours=24)


class DayHeader(Canvas):
    """Day names and the all-day strip above the time grid."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lanes = 0
        self.scrollbar_width = 0

    def _right_margin(self) -> int:
        return self.scrollbar_width

    def set_data(self, days: list[date], occs: list[Occurrence]) -> None:
        self.days = days
        self.occurrences = [o for o in occs if _is_long(o)]
        self._assign_lanes()
        self.setFixedHeight(DAY_HEADER_HEIGHT + max(1, self.lanes) * LANE_HEIGHT + 6)
        self._layout()
        self.update()

    def _span(self, occ: Occurrence) -> tuple[int, int] | None:
        """First and last day index of `occ` within the shown days."""
        touched = [i for i, d in enumerate(self.days) if d in set(occ.days())]
        return (touched[0], touched[-1]) if touched else None

    def _assign_lanes(self) -> None:
        self._lane_of: dict[int, int] = {}
        lane_ends: list[int] = []  # last day index used per lane
        for k, occ in enumerate(self.occurrences):
            span = self._span(occ)
            if span is None:
                continue
            for lane, end in enumerate(lane_ends):
                if end < span[0]:
                    lane_ends[lane] = span[1]
                    break
            else:
                lane = len(lane_ends)
                lane_ends.append(span[1])
            self._lane_of[k] = lane
        self.lanes = len(lane_ends)

    def _layout(self) -> None:
        self.boxes = []
        for k, occ in enumerate(self.occurrences):
            span = self._span(occ)
            if span is None or k not in self._lane_of:
                continue
            x0 = self.day_x(span[0]) + 2
            x1 = self.day_x(span[1] + 1) - 2
            y = DAY_HEADER_HEIGHT + self._lane_of[k] * LANE_HEIGHT + 1
            self.boxes.append((QRectF(x0, y, x1 - x0, LANE_HEIGHT - 3), occ))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._layout()
        super().resizeEvent(event)

    def slot_at(self, pos: QPoint | QPointF) -> tuple[datetime, bool] | None:
        point = QPointF(pos)
        day = self.day_at(point.x())
        if day is None or point.y() < DAY_HEADER_HEIGHT:
            return None
        return datetime.combine(day, time()), True

    def point_for(self, day: date) -> QPoint:
        """A point in the all-day strip of `day` (below existing all-day lanes if any)."""
        i = self.days.index(day)
        x = self.day_x(i) + self.day_width() / 2
        return QPoint(int(x), self.height() - 4)

    def sizeHint(self) -> QSize:
        return QSize(400, DAY_HEADER_HEIGHT + max(1, self.lanes) * LANE_HEIGHT + 6)

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        today = date.today()
        bold = QFont(self.font())
        bold.setBold(True)
        for i, day in enumerate(self.days):
            x = self.day_x(i)
            col = QRectF(x, 0, self.day_width(), self.height())
            if day == today:
                p.fillRect(col, TODAY)
            elif day.weekday() >= 5:
                p.fillRect(col, WEEKEND)
            p.setPen(QPen(GRID_LINE, 1))
            p.drawLine(QPointF(x, 0), QPointF(x, self.height()))
            label = (
                f"{weekday_short(day)} {day_month(day)}"
                if len(self.days) > 1
                else f"{weekday_name(day)}, {day_month(day)}{day.year}"
            )
            p.setFont(bold if day == today else self.font())
            p.setPen(QColor("#c62828") if day == today else TEXT)
            p.drawText(
                QRectF(x, 0, self.day_width(), DAY_HEADER_HEIGHT),
                Qt.AlignmentFlag.AlignCenter,
                label,
            )
        p.setPen(QPen(GRID_LINE, 1))
        p.drawLine(
            QPointF(self._left(), DAY_HEADER_HEIGHT), QPointF(self.width(), DAY_HEADER_HEIGHT)
        )
        p.drawLine(QPointF(0, self.height() - 1), QPointF(self.width(), self.height() - 1))
        p.setFont(self.font())
        p.setPen(MUTED)
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.85))
        p.setFont(small)
        p.drawText(
            QRectF(0, DAY_HEADER_HEIGHT, GUTTER - 4, LANE_HEIGHT),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            _tr("ganztg."),
        )
        p.setFont(self.font())
        for rect, occ in self.boxes:
            text = occ.summary if occ.all_day else f"{occ.start:%H:%M} {occ.summary}"
            self._paint_box(p, rect, occ, ["", text], compact=True)
        p.end()


@dataclass
class _Piece:
    """The part of a timed occurrence on one shown day, in minutes since that midnight."""

    day_index: int
    start: float
    end: float
    occ: Occurrence
    column: int = 0
    columns: int = 1


class DayGrid(Canvas):
    """The time grid (0–24 h) with the timed events of the shown days."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hour_height: float = MIN_HOUR_HEIGHT
        self.pieces: list[_Piece] = []
        self.setFixedHeight(int(24 * self.hour_height))

    def set_hour_height(self, height: float) -> None:
        if abs(height - self.hour_height) > 0.5:
            self.hour_height = height
            self.setFixedHeight(int(24 * height))
            self._layout()

    def set_data(self, days: list[date], occs: list[Occurrence]) -> None:
        self.days = days
        self.occurrences = [o for o in occs if not _is_long(o)]
        self._cut_pieces()
        self._layout()
        self.update()

    def _cut_pieces(self) -> None:
        self.pieces = []
        index = {d: i for i, d in enumerate(self.days)}
        for occ in self.occurrences:
            for day in occ.days():
                if day not in index:
                    continue
                midnight = datetime.combine(day, time())
                start = max(occ.start, midnight)
                end = min(max(occ.end, occ.start), midnight + timedelta(days=1))
                s = (start - midnight).total_seconds() / 60
                e = (end - midnight).total_seconds() / 60
                self.pieces.append(_Piece(index[day], s, max(e, s + MIN_BOX_MINUTES), occ))
        self._arrange()

    def _arrange(self) -> None:
        """Overlapping events side by side: clusters of overlaps share the day's width."""
        by_day: dict[int, list[_Piece]] = {}
        for piece in self.pieces:
            by_day.setdefault(piece.day_index, []).append(piece)
        for pieces in by_day.values():
            pieces.sort(key=lambda q: (q.start, -(q.end - q.start), q.occ.summary))
            clusters: list[tuple[list[_Piece], list[float]]] = []
            cluster_end = -1.0
            for piece in pieces:
                if not clusters or piece.start >= cluster_end:
                    clusters.append(([], []))
                    cluster_end = piece.end
                members, column_ends = clusters[-1]
                for c, end in enumerate(column_ends):
                    if end <= piece.start:
                        column_ends[c] = piece.end
                        piece.column = c
                        break
                else:
                    piece.column = len(column_ends)
                    column_ends.append(piece.end)
                members.append(piece)
                cluster_end = max(cluster_end, piece.end)
            for members, column_ends in clusters:
                for q in members:
                    q.columns = len(column_ends)

    def _layout(self) -> None:
        self.boxes = []
        width = self.day_width()
        for piece in self.pieces:
            col_w = (width - 6) / piece.columns
            x = self.day_x(piece.day_index) + 1 + piece.column * col_w
            y0 = piece.start / 60 * self.hour_height
            y1 = piece.end / 60 * self.hour_height
            self.boxes.append((QRectF(x, y0 + 1, col_w - 1, max(8.0, y1 - y0 - 2)), piece.occ))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._layout()
        super().resizeEvent(event)

    def y_for(self, when: time) -> float:
        return (when.hour * 60 + when.minute) / 60 * self.hour_height

    def slot_at(self, pos: QPoint | QPointF) -> tuple[datetime, bool] | None:
        point = QPointF(pos)
        day = self.day_at(point.x())
        if day is None or not 0 <= point.y() < 24 * self.hour_height:
            return None
        minutes = int(point.y() / self.hour_height * 60) // SLOT_MINUTES * SLOT_MINUTES
        return datetime.combine(day, time()) + timedelta(minutes=minutes), False

    def point_for(self, when: datetime) -> QPoint:
        """The middle of the slot starting at `when` (local), in this widget."""
        i = self.days.index(when.date())
        x = self.day_x(i) + self.day_width() / 2
        y = self.y_for(when.time()) + self.hour_height * SLOT_MINUTES / 60 / 2
        return QPoint(int(x), int(y))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        clip = QRectF(event.rect())
        p.fillRect(clip, QColor("white"))
        h = self.hour_height
        today = date.today()
        right = self.width()
        for i, day in enumerate(self.days):
            col = QRectF(self.day_x(i), 0, self.day_width(), self.height())
            if day == today:
                p.fillRect(col, TODAY)
            elif day.weekday() >= 5:
                p.fillRect(col, WEEKEND)
        # hours outside the working day a little darker
        p.fillRect(QRectF(self._left(), 0, right, HOUR_FIRST * h), OFF_HOURS)
        p.fillRect(QRectF(self._left(), HOUR_LAST * h, right, (24 - HOUR_LAST) * h), OFF_HOURS)
        for hour in range(24):
            y = hour * h
            p.setPen(QPen(GRID_LINE, 1))
            p.drawLine(QPointF(self._left() - 4, y), QPointF(right, y))
            p.setPen(QPen(HALF_LINE, 1, Qt.PenStyle.DotLine))
            p.drawLine(QPointF(self._left(), y + h / 2), QPointF(right, y + h / 2))
            if hour:
                p.setPen(MUTED)
                p.drawText(
                    QRectF(0, y - 8, GUTTER - 8, 16),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    f"{hour:02d}:00",
                )
        p.setPen(QPen(GRID_LINE, 1))
        for i in range(len(self.days) + 1):
            x = self.day_x(i)
            p.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        fm = QFontMetrics(self.font())
        for rect, occ in self.boxes:
            if not rect.intersects(clip):
                continue
            box_day = self.day_at(rect.center().x())
            compact = rect.height() < 2 * fm.height() + 2
            when = occurrence_time_text(occ, box_day)
            if compact and not occ.start.date() < (box_day or occ.start.date()):
                when = time_text(occ.start)
            lines = [when, occ.summary, occ.location or occ.contact_name]
            self._paint_box(p, rect, occ, lines, compact)
        if today in self.days:  # the current time
            now = datetime.now().time()
            i = self.days.index(today)
            y = self.y_for(now)
            p.setPen(QPen(NOW, 2))
            p.drawLine(QPointF(self.day_x(i), y), QPointF(self.day_x(i + 1), y))
            p.setBrush(NOW)
            p.drawEllipse(QPointF(self.day_x(i), y), 4, 4)
        p.end()


class TimeGridView(QWidget):
    """Tag / Woche: the day header with the all-day strip above the scrollable time grid."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = DayHeader()
        self.header.setObjectName("agendaHeader")
        self.grid = DayGrid()
        self.grid.setObjectName("agendaGrid")
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.grid)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.scroll_area, 1)
        self._scrolled = False

    @property
    def canvases(self) -> tuple[Canvas, Canvas]:
        return self.header, self.grid

    def set_data(self, days: list[date], occs: list[Occurrence]) -> None:
        self.header.set_data(days, occs)
        self.grid.set_data(days, occs)

    def locate(self, occ: Occurrence) -> tuple[Canvas, QRect] | None:
        """The canvas showing `occ` and its rectangle there (for tests and keyboard use)."""
        for canvas in self.canvases:
            rect = canvas.rect_for(occ)
            if rect is not None:
                return canvas, rect
        return None

    def scroll_to_hour(self, hour: int) -> None:
        self.scroll_area.verticalScrollBar().setValue(int((hour - 0.25) * self.grid.hour_height))

    def _fit(self) -> None:
        viewport = self.scroll_area.viewport().height()
        self.grid.set_hour_height(max(MIN_HOUR_HEIGHT, viewport / (HOUR_LAST - HOUR_FIRST + 0.5)))
        self.header.scrollbar_width = self.scroll_area.verticalScrollBar().sizeHint().width()
        self.header._layout()
        self.header.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
        if not self._scrolled:
            self.scroll_to_hour(HOUR_FIRST)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()
        if not self._scrolled:
            self.scroll_to_hour(HOUR_FIRST)
            self._scrolled = self.scroll_area.verticalScrollBar().maximum() > 0
