"""Termine ▸ Agenda: the current user's appointments by day, by week, or as a list.

A toolbar (Heute, ◀ ▶, the range as "KW 49 · 30.11.–6.12.2026", the switch Tag / Woche /
Liste) above one of two views:

- Tag / Woche: `TimeGridView`, one column per day. On top the day names and a strip of
  all-day events (and timed ones lasting 24 hours or more), below a time grid from 0 to 24 h
  that opens scrolled to 7–20 h. Overlapping events stand side by side. Both parts are
  painted with QPainter in one widget each (no child widget per event), and both offer a
  hit-test API (`event_at(QPoint)`, `rect_for(occurrence)`, `slot_at(QPoint)`,
  `point_for(when)`) so tests and the mouse handling use the same geometry.
- Liste: `AgendaListView`, the next 30 days from the shown date, grouped by day.

Double-click an event to edit it (`AppointmentDialog`; an occurrence of a recurring series
edits the whole series, and the dialog says so), double-click an empty slot to create an
appointment there, Entf moves the selected one to the trash at once (for a series: the
whole series) with "Rückgängig" below the view for a few seconds, the context menu offers
Bearbeiten / Verlauf / Löschen (on an empty slot: Neuer Termin). "Verlauf …" opens the
selected appointment's history (`AppointmentHistoryDialog`: earlier versions side by side,
restore), "Papierkorb …" the current user's deleted appointments
(`AppointmentTrashDialog`: restore, empty). Occurrences come from `app.store.occurrences`
in local time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QToolTip,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.store.agenda import current_user, delete_appointment
from app.store.appointment_trash import restore_appointments
from app.store.contacts import StoreError
from app.store.occurrences import Occurrence, occurrences
from ui.agenda_widgets import AppointmentDialog, _to_qdatetime
from ui.appointment_trash_dialog import AppointmentTrashDialog
from ui.history_dialog import AppointmentHistoryDialog
from ui.icons import icon
from ui.store_watch import store_watch
from ui.undo_bar import UndoBar

VIEW_DAY = "tag"
VIEW_WEEK = "woche"
VIEW_LIST = "liste"

LIST_DAYS = 30
HOUR_FIRST = 7  # the grid opens showing HOUR_FIRST..HOUR_LAST
HOUR_LAST = 20
MIN_HOUR_HEIGHT = 40
GUTTER = 52  # width of the hour labels on the left
DAY_HEADER_HEIGHT = 30
LANE_HEIGHT = 22
SLOT_MINUTES = 30  # a double-click on an empty slot starts at the half hour
MIN_BOX_MINUTES = 20  # short events still get a readable box

OCC_ROLE = Qt.ItemDataRole.UserRole

STYLE = """
QLabel#rangeLabel { font-weight: bold; font-size: 13pt; padding: 0px 8px; }
QPushButton#viewSwitch { padding: 4px 14px; }
QPushButton#viewSwitch:checked {
    background: #4a7fc1; color: white; border: 1px solid #3b6aa6; border-radius: 3px;
}
QTreeWidget#agendaList { outline: 0; }
QTreeWidget#agendaList::item { padding: 3px 0px; }
"""

# Colours: single events blue, recurring series green, all-day amber; selection darker.
_GRID_LINE = QColor("#e2e2e2")
_HALF_LINE = QColor("#f0f0f0")
_OFF_HOURS = QColor("#f7f7f7")
_WEEKEND = QColor("#fafafa")
_TODAY = QColor("#fff8e1")
_NOW = QColor("#d32f2f")
_TEXT = QColor("#1a1a1a")
_MUTED = QColor("#666666")


@dataclass(frozen=True)
class _Palette:
    fill: QColor
    border: QColor


_SINGLE = _Palette(QColor("#dce8f8"), QColor("#4a7fc1"))
_SERIES = _Palette(QColor("#dff0e0"), QColor("#4c9a52"))
_ALL_DAY = _Palette(QColor("#fde9c9"), QColor("#d98a1c"))


def _tr(text: str) -> str:
    return QCoreApplication.translate("AgendaView", text)


def weekday_name(d: date) -> str:
    names = (_tr("Montag"), _tr("Dienstag"), _tr("Mittwoch"), _tr("Donnerstag"),
             _tr("Freitag"), _tr("Samstag"), _tr("Sonntag"))  # fmt: skip
    return names[d.weekday()]


def weekday_short(d: date) -> str:
    names = (_tr("Mo"), _tr("Di"), _tr("Mi"), _tr("Do"), _tr("Fr"), _tr("Sa"), _tr("So"))
    return names[d.weekday()]


def _dm(d: date) -> str:
    """ "6.12." (no leading zeros, like the range label)."""
    return f"{d.day}.{d.month}."


def range_label(mode: str, first: date, last: date) -> str:
    """ "KW 49 · 30.11.–6.12.2026", "KW 49 · Dienstag, 1.12.2026", "1.12.–30.12.2026"."""
    if mode == VIEW_DAY:
        week = first.isocalendar().week
        return _tr("KW {0} · {1}, {2}{3}").format(week, weekday_name(first), _dm(first), first.year)
    span = (
        f"{_dm(first)}–{_dm(last)}{last.year}"
        if first.year == last.year
        else f"{_dm(first)}{first.year}–{_dm(last)}{last.year}"
    )
    if mode == VIEW_WEEK:
        return _tr("KW {0} · {1}").format(first.isocalendar().week, span)
    return span


def occurrence_time_text(occ: Occurrence, day: date | None = None) -> str:
    """ "09:00–10:00", "ganztägig", "ab 22:00" / "bis 02:00" on the days of a night event."""
    if occ.all_day:
        return _tr("ganztägig")
    start, end = occ.start, occ.end
    if day is not None and start.date() < day and end.date() > day:
        return _tr("ganztägig")
    if day is not None and start.date() < day:
        return _tr("bis {0}").format(end.strftime("%H:%M"))
    if day is not None and end.date() > day and end != datetime.combine(day, time()) + timedelta(1):
        return _tr("ab {0}").format(start.strftime("%H:%M"))
    if end <= start:
        return start.strftime("%H:%M")
    return f"{start:%H:%M}–{end:%H:%M}"


def occurrence_tooltip(occ: Occurrence) -> str:
    """Full text of an occurrence for tooltips."""
    if occ.all_day:
        last = f" – {occ.end:%d.%m.%Y}" if occ.end.date() != occ.start.date() else ""
        when = _tr("{0}{1} (ganztägig)").format(f"{occ.start:%d.%m.%Y}", last)
    else:
        when = f"{occ.start:%d.%m.%Y %H:%M} – {occ.end:%H:%M}"
    parts = [occ.summary, when]
    parts += [s for s in (occ.location, occ.contact_name) if s]
    if occ.recurring:
        parts.append(_tr("Serientermin") + (_tr(" (verschoben)") if occ.is_exception else ""))
    return "\n".join(parts)


def _is_long(occ: Occurrence) -> bool:
    """All-day, or timed lasting 24 h or more: shown in the all-day strip."""
    return occ.all_day or occ.end - occ.start >= timedelta(hours=24)


def _palette(occ: Occurrence) -> _Palette:
    if occ.all_day:
        return _ALL_DAY
    return _SERIES if occ.recurring else _SINGLE


# ---------------------------------------------------------------- painted canvases


class _Canvas(QWidget):
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
        raise NotImplementedError

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
        p.setPen(QColor("white") if selected else _TEXT)
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


class DayHeader(_Canvas):
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
                p.fillRect(col, _TODAY)
            elif day.weekday() >= 5:
                p.fillRect(col, _WEEKEND)
            p.setPen(QPen(_GRID_LINE, 1))
            p.drawLine(QPointF(x, 0), QPointF(x, self.height()))
            label = (
                f"{weekday_short(day)} {_dm(day)}"
                if len(self.days) > 1
                else f"{weekday_name(day)}, {_dm(day)}{day.year}"
            )
            p.setFont(bold if day == today else self.font())
            p.setPen(QColor("#c62828") if day == today else _TEXT)
            p.drawText(
                QRectF(x, 0, self.day_width(), DAY_HEADER_HEIGHT),
                Qt.AlignmentFlag.AlignCenter,
                label,
            )
        p.setPen(QPen(_GRID_LINE, 1))
        p.drawLine(
            QPointF(self._left(), DAY_HEADER_HEIGHT), QPointF(self.width(), DAY_HEADER_HEIGHT)
        )
        p.drawLine(QPointF(0, self.height() - 1), QPointF(self.width(), self.height() - 1))
        p.setFont(self.font())
        p.setPen(_MUTED)
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


class DayGrid(_Canvas):
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
                p.fillRect(col, _TODAY)
            elif day.weekday() >= 5:
                p.fillRect(col, _WEEKEND)
        # hours outside the working day a little darker
        p.fillRect(QRectF(self._left(), 0, right, HOUR_FIRST * h), _OFF_HOURS)
        p.fillRect(QRectF(self._left(), HOUR_LAST * h, right, (24 - HOUR_LAST) * h), _OFF_HOURS)
        for hour in range(24):
            y = hour * h
            p.setPen(QPen(_GRID_LINE, 1))
            p.drawLine(QPointF(self._left() - 4, y), QPointF(right, y))
            p.setPen(QPen(_HALF_LINE, 1, Qt.PenStyle.DotLine))
            p.drawLine(QPointF(self._left(), y + h / 2), QPointF(right, y + h / 2))
            if hour:
                p.setPen(_MUTED)
                p.drawText(
                    QRectF(0, y - 8, GUTTER - 8, 16),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    f"{hour:02d}:00",
                )
        p.setPen(QPen(_GRID_LINE, 1))
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
                when = occ.start.strftime("%H:%M")
            lines = [when, occ.summary, occ.location or occ.contact_name]
            self._paint_box(p, rect, occ, lines, compact)
        if today in self.days:  # the current time
            now = datetime.now().time()
            i = self.days.index(today)
            y = self.y_for(now)
            p.setPen(QPen(_NOW, 2))
            p.drawLine(QPointF(self.day_x(i), y), QPointF(self.day_x(i + 1), y))
            p.setBrush(_NOW)
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
    def canvases(self) -> tuple[_Canvas, _Canvas]:
        return self.header, self.grid

    def set_data(self, days: list[date], occs: list[Occurrence]) -> None:
        self.header.set_data(days, occs)
        self.grid.set_data(days, occs)

    def locate(self, occ: Occurrence) -> tuple[_Canvas, QRect] | None:
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


# ---------------------------------------------------------------- list


class AgendaListView(QTreeWidget):
    """Liste: occurrences grouped by day (only days with appointments)."""

    selection_changed = Signal(object)
    open_requested = Signal(object)
    menu_requested = Signal(object, object, QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaList")
        self.setColumnCount(3)
        self.setHeaderLabels([_tr("Zeit"), _tr("Betreff"), _tr("Ort / Kontakt")])
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self.header().resizeSection(0, 130)
        self.header().resizeSection(1, 320)
        self.occurrences: list[Occurrence] = []
        self.itemSelectionChanged.connect(self._selection)
        self.itemDoubleClicked.connect(self._double_clicked)

    def set_data(self, days: list[date], occs: list[Occurrence]) -> None:
        self.blockSignals(True)
        self.clear()
        self.occurrences = occs
        today = date.today()
        bold = QFont(self.font())
        bold.setBold(True)
        group_brush = QBrush(QColor("#eef2f7"))
        for day in days:
            todays = [o for o in occs if day in o.days()]
            if not todays:
                continue
            label = f"{weekday_name(day)}, {day:%d.%m.%Y}"
            if day == today:
                label = _tr("Heute · {0}").format(label)
            group = QTreeWidgetItem([label])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            group.setFirstColumnSpanned(True)
            group.setFont(0, bold)
            for c in range(3):
                group.setBackground(c, group_brush)
            self.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for occ in todays:
                where = " · ".join(s for s in (occ.location, occ.contact_name) if s)
                summary = occ.summary + (" ↻" if occ.recurring else "")
                item = QTreeWidgetItem([occurrence_time_text(occ, day), summary, where])
                item.setData(0, OCC_ROLE, occ)
                item.setToolTip(1, _tr("Serientermin") if occ.recurring else occ.summary)
                group.addChild(item)
            group.setExpanded(True)
        if self.topLevelItemCount() == 0:
            empty = QTreeWidgetItem([_tr("Keine Termine in diesem Zeitraum.")])
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            empty.setForeground(0, QBrush(_MUTED))
            self.addTopLevelItem(empty)
            empty.setFirstColumnSpanned(True)
        self.blockSignals(False)

    def groups(self) -> list[tuple[str, list[Occurrence]]]:
        """(day label, occurrences) as shown, for tests."""
        out = []
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            assert group is not None
            occs = [
                child.data(0, OCC_ROLE)
                for j in range(group.childCount())
                if (child := group.child(j)) is not None
            ]
            if occs:
                out.append((group.text(0), occs))
        return out

    def item_for(self, occ: Occurrence) -> QTreeWidgetItem | None:
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            assert group is not None
            for j in range(group.childCount()):
                child = group.child(j)
                if child is not None and child.data(0, OCC_ROLE) == occ:
                    return child
        return None

    def set_selected(self, occ: Occurrence | None) -> None:
        self.blockSignals(True)
        self.clearSelection()
        item = self.item_for(occ) if occ is not None else None
        if item is not None:
            item.setSelected(True)
            self.setCurrentItem(item)
        self.blockSignals(False)

    def selected_occurrence(self) -> Occurrence | None:
        items = self.selectedItems()
        occ = items[0].data(0, OCC_ROLE) if items else None
        return occ if isinstance(occ, Occurrence) else None

    def _selection(self) -> None:
        self.selection_changed.emit(self.selected_occurrence())

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        occ = item.data(0, OCC_ROLE)
        if isinstance(occ, Occurrence):
            self.open_requested.emit(occ)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.itemAt(event.pos())
        occ = item.data(0, OCC_ROLE) if item is not None else None
        if item is not None and isinstance(occ, Occurrence):
            self.setCurrentItem(item)
            self.menu_requested.emit(occ, None, event.globalPos())


# ---------------------------------------------------------------- the page


class AgendaPage(QWidget):
    """Termine ▸ Agenda (see the module docstring)."""

    changed = Signal()  # an appointment was created, edited or deleted here

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.mode = VIEW_WEEK
        self.anchor = date.today()
        self.occurrences: list[Occurrence] = []
        self.selected: Occurrence | None = None

        self.today_button = QPushButton(self.tr("Heute"))
        self.today_button.setObjectName("todayButton")
        self.prev_button = QToolButton()
        self.prev_button.setObjectName("prevButton")
        self.prev_button.setText("◀")
        self.next_button = QToolButton()
        self.next_button.setObjectName("nextButton")
        self.next_button.setText("▶")
        self.range_label = QLabel()
        self.range_label.setObjectName("rangeLabel")
        self.new_button = QPushButton(self.tr("+ Neuer Termin"))
        self.new_button.setObjectName("newButton")
        self.history_button = QPushButton(self.tr("Verlauf …"))
        self.history_button.setObjectName("historyButton")
        self.history_button.setToolTip(
            self.tr("Frühere Fassungen des ausgewählten Termins anzeigen und wiederherstellen")
        )
        self.trash_button = QPushButton(icon("trash"), self.tr("Papierkorb …"))
        self.trash_button.setObjectName("trashButton")
        self.trash_button.setToolTip(
            self.tr("Gelöschte Termine anzeigen, wiederherstellen oder endgültig löschen")
        )
        self.view_buttons: dict[str, QPushButton] = {}
        self.view_group = QButtonGroup(self)
        self.view_group.setExclusive(True)
        for mode, text in (
            (VIEW_DAY, self.tr("Tag")),
            (VIEW_WEEK, self.tr("Woche")),
            (VIEW_LIST, self.tr("Liste")),
        ):
            button = QPushButton(text)
            button.setObjectName("viewSwitch")
            button.setCheckable(True)
            button.setAutoDefault(False)
            self.view_group.addButton(button)
            self.view_buttons[mode] = button
            button.clicked.connect(lambda _checked=False, m=mode: self.set_mode(m))

        toolbar = QHBoxLayout()
        toolbar.addWidget(self.today_button)
        toolbar.addWidget(self.prev_button)
        toolbar.addWidget(self.next_button)
        toolbar.addWidget(self.range_label, 1)
        toolbar.addWidget(self.new_button)
        toolbar.addWidget(self.history_button)
        toolbar.addWidget(self.trash_button)
        toolbar.addSpacing(12)
        switch = QHBoxLayout()
        switch.setSpacing(0)
        for button in self.view_buttons.values():
            switch.addWidget(button)
        toolbar.addLayout(switch)

        self.day_view = TimeGridView()
        self.week_view = TimeGridView()
        self.list_view = AgendaListView()
        self.stack = QStackedWidget()
        for view in (self.day_view, self.week_view, self.list_view):
            self.stack.addWidget(view)

        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self._build_undo_bar())

        self.delete_action = QAction(self.tr("Löschen"), self)
        self.delete_action.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.addAction(self.delete_action)

        self.today_button.clicked.connect(self.go_today)
        self.prev_button.clicked.connect(self.go_previous)
        self.next_button.clicked.connect(self.go_next)
        self.new_button.clicked.connect(lambda: self.create_at(None))
        self.history_button.clicked.connect(self.history_selected)
        self.trash_button.clicked.connect(self.open_trash)
        for canvas in (*self.day_view.canvases, *self.week_view.canvases):
            canvas.selection_changed.connect(self._set_selected)
            canvas.open_requested.connect(self.edit_occurrence)
            canvas.create_requested.connect(self.create_at)
            canvas.menu_requested.connect(self._show_menu)
        self.list_view.selection_changed.connect(self._set_selected)
        self.list_view.open_requested.connect(self.edit_occurrence)
        self.list_view.menu_requested.connect(self._show_menu)
        self.set_mode(VIEW_WEEK)
        # Follow the store (ui/store_watch.py): appointments from a sync, the CLI or
        # another window show without a restart.
        store_watch().appointments_changed.connect(self._changed_in_store)

    # ------------------------------------------------------------ range and navigation

    def visible_range(self) -> tuple[date, date]:
        """First and last shown day (inclusive)."""
        if self.mode == VIEW_DAY:
            return self.anchor, self.anchor
        if self.mode == VIEW_WEEK:
            monday = self.anchor - timedelta(days=self.anchor.weekday())
            return monday, monday + timedelta(days=6)
        return self.anchor, self.anchor + timedelta(days=LIST_DAYS - 1)

    def days(self) -> list[date]:
        first, last = self.visible_range()
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def current_view(self) -> QWidget:
        return {VIEW_DAY: self.day_view, VIEW_WEEK: self.week_view}.get(self.mode, self.list_view)

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.view_buttons[mode].setChecked(True)
        self.stack.setCurrentWidget(self.current_view())
        self.refresh()

    def set_date(self, day: date) -> None:
        """Show the day / week / 30 days containing (list: starting at) `day`."""
        self.anchor = day
        self.refresh()

    def go_today(self) -> None:
        self.set_date(date.today())

    def _step(self) -> timedelta:
        return timedelta(days={VIEW_DAY: 1, VIEW_WEEK: 7}.get(self.mode, LIST_DAYS))

    def go_previous(self) -> None:
        self.set_date(self.anchor - self._step())

    def go_next(self) -> None:
        self.set_date(self.anchor + self._step())

    # ------------------------------------------------------------ data

    @Slot()
    def _changed_in_store(self) -> None:
        if self.isVisible():  # else showEvent reads them
            self.refresh()

    def refresh(self) -> None:
        """Reload the occurrences of the shown range (after a sync or an edit elsewhere)."""
        first, last = self.visible_range()
        self.range_label.setText(range_label(self.mode, first, last))
        self.occurrences = occurrences(first, last)
        days = self.days()
        view = self.current_view()
        if isinstance(view, (TimeGridView, AgendaListView)):
            view.set_data(days, self.occurrences)
        if self.selected not in self.occurrences:
            self.selected = None
        self._set_selected(self.selected)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def _set_selected(self, occ: Occurrence | None) -> None:
        self.selected = occ
        self.history_button.setEnabled(occ is not None)
        for canvas in (*self.day_view.canvases, *self.week_view.canvases):
            canvas.set_selected(occ if occ in canvas.occurrences else None)
        self.list_view.set_selected(occ)

    # ------------------------------------------------------------ actions

    def create_at(self, start: datetime | None, all_day: bool = False) -> int | None:
        """The dialog for a new appointment at `start` (local); its id if saved."""
        dialog = AppointmentDialog(None, parent=self)
        if start is not None:
            begin = start.replace(hour=9) if all_day else start
            dialog.all_day_check.setChecked(all_day)
            dialog.start_edit.setDateTime(_to_qdatetime(begin))
            dialog.end_edit.setDateTime(_to_qdatetime(begin + timedelta(hours=1)))
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.saved_id is None:
            return None
        self._after_change(dialog.saved_id)
        return dialog.saved_id

    def edit_occurrence(self, occ: Occurrence) -> bool:
        """Edit the appointment (for a recurring occurrence: the series); True if saved."""
        try:
            dialog = AppointmentDialog(None, occ.appointment_id, parent=self)
        except StoreError as exc:
            self._fail(exc)
            return False
        if occ.recurring:
            dialog.setWindowTitle(self.tr("Serie bearbeiten – „{0}“").format(occ.summary))
            note = QLabel(
                self.tr(
                    "Dieser Termin gehört zu einer Serie. Änderungen gelten für die ganze "
                    "Serie; Beginn und Ende sind die des ersten Termins der Serie."
                )
            )
            note.setObjectName("seriesNote")
            note.setWordWrap(True)
            layout = dialog.layout()
            if isinstance(layout, QVBoxLayout):
                layout.insertWidget(0, note)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self._after_change(occ.appointment_id)
        return True

    def _build_undo_bar(self) -> UndoBar:
        """ "Rückgängig" below the view for a few seconds after deleting."""
        self.undo_bar = UndoBar(self)
        return self.undo_bar

    def delete_occurrence(self, occ: Occurrence) -> bool:
        """Move the appointment to the trash at once (a recurring occurrence: the whole
        series) and offer "Rückgängig" for a few seconds; True if deleted."""
        when = f"{occ.start:%d.%m.%Y}"
        if not occ.all_day:
            when += f" {occ.start:%H:%M}"
        user_id = int(current_user().id)
        try:
            delete_appointment(occ.appointment_id)
        except StoreError as exc:
            self._fail(exc)
            return False
        if occ.recurring:
            text = self.tr(
                "Die Serie „{0}“ wurde mit allen ihren Terminen in den Papierkorb verschoben."
            ).format(occ.summary)
        else:
            text = self.tr("Der Termin „{0}“ am {1} wurde in den Papierkorb verschoben.").format(
                occ.summary, when
            )
        self.selected = None
        self._after_change(None)
        appointment_id = occ.appointment_id
        self.undo_bar.offer(text, lambda: self.undo_delete(user_id, appointment_id))
        return True

    def undo_delete(self, user_id: int, appointment_id: int) -> None:
        """ "Rückgängig": the appointment just deleted comes back from the trash."""
        try:
            restore_appointments(user_id, [appointment_id])
        except StoreError as exc:
            self._fail(exc)
            return
        self._after_change(appointment_id)

    def show_history(self, occ: Occurrence) -> None:
        """The appointment's "Verlauf" (a recurring occurrence: the series')."""
        try:
            dialog = self.history_dialog(occ.appointment_id)
        except StoreError as exc:
            self._fail(exc)
            return
        dialog.restored.connect(lambda: self._after_change(occ.appointment_id))
        dialog.exec()

    def history_dialog(self, appointment_id: int) -> AppointmentHistoryDialog:
        return AppointmentHistoryDialog(appointment_id, self)

    def history_selected(self) -> None:
        if self.selected is not None:
            self.show_history(self.selected)

    def open_trash(self) -> None:
        """The current user's deleted appointments: restore, empty."""
        dialog = self.trash_dialog()
        dialog.changed.connect(lambda: self._after_change(None))
        dialog.exec()

    def trash_dialog(self) -> AppointmentTrashDialog:
        return AppointmentTrashDialog(None, self)

    def edit_selected(self) -> None:
        if self.selected is not None:
            self.edit_occurrence(self.selected)

    def delete_selected(self) -> None:
        if self.selected is not None:
            self.delete_occurrence(self.selected)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete and self.selected is not None:
            self.delete_selected()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected is not None:
            self.edit_selected()
            return
        super().keyPressEvent(event)

    def context_menu(
        self, occ: Occurrence | None, slot: tuple[datetime, bool] | None = None
    ) -> QMenu:
        """The context menu for an event (Bearbeiten / Löschen) or an empty slot."""
        menu = QMenu(self)
        if occ is not None:
            edit = menu.addAction(
                self.tr("Serie bearbeiten …") if occ.recurring else self.tr("Bearbeiten …")
            )
            edit.setObjectName("editAction")
            edit.triggered.connect(lambda: self.edit_occurrence(occ))
            history = menu.addAction(self.tr("Verlauf …"))
            history.setObjectName("historyAction")
            history.triggered.connect(lambda: self.show_history(occ))
            delete = menu.addAction(
                self.tr("Serie löschen") if occ.recurring else self.tr("Löschen")
            )
            delete.setObjectName("deleteAction")
            delete.setShortcut(QKeySequence(Qt.Key.Key_Delete))
            delete.triggered.connect(lambda: self.delete_occurrence(occ))
        else:
            start, all_day = slot if slot is not None else (None, False)
            new = menu.addAction(self.tr("Neuer Termin …"))
            new.setObjectName("newAction")
            new.triggered.connect(lambda: self.create_at(start, all_day))
        return menu

    def _show_menu(
        self, occ: Occurrence | None, slot: tuple[datetime, bool] | None, where: QPoint
    ) -> None:
        menu = self.context_menu(occ, slot)
        menu.exec(where)
        menu.deleteLater()

    # ------------------------------------------------------------ helpers

    def _after_change(self, appointment_id: int | None) -> None:
        self.refresh()
        if appointment_id is not None:
            for occ in self.occurrences:
                if occ.appointment_id == appointment_id:
                    self._set_selected(occ)
                    break
        self.changed.emit()

    def _fail(self, exc: StoreError) -> None:
        QMessageBox.warning(self, self.tr("Contactbox"), str(exc))
        self.refresh()
