"""What the agenda widgets and dialogs share: their texts, small builders and the dialog frame.

The local-time texts of an appointment and a follow-up's due date (`format_appointment_time`,
`format_due`, `format_due_short`: the store keeps naive UTC, app/store/agenda.py, the screen
shows local time in German format), conversions between `datetime` and Qt's date types, the
style sheet, colours and item role, the list (`make_tree`, `style_followup_item`,
`selected_id`, `select_id`) and button builders, and `EntryDialog`: the frame of the
"Termin" and "Wiedervorlage" dialogs (notes field, error line, Speichern/Abbrechen).
ui/agenda_widgets.py, ui/appointment_dialog.py and ui/followup_widgets.py build on it.

The strings keep the translation context "AgendaWidgets" (`_tr`), where they were before
the agenda widgets were split into these modules.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from app.store.agenda import AppointmentRow, FollowUpRow, has_time_of_day, utc_to_local
from ui.locale_format import date_text, date_time_text, day_month_text, time_text

DATE_FORMAT = "dd.MM.yyyy"
DATETIME_FORMAT = "dd.MM.yyyy HH:mm"
TIME_FORMAT = "HH:mm"
ID_ROLE = Qt.ItemDataRole.UserRole

OVERDUE_COLOR = QColor("#c62828")
MUTED_COLOR = QColor("#8a8a8a")

STYLE = """
QLabel#sectionTitle, QLabel#panelTitle { font-weight: bold; }
QLabel#errorLabel { color: #c62828; }
QLabel#emptyLabel { color: #666666; padding: 6px 2px; }
QTreeWidget { outline: 0; }
QTreeWidget::item { padding: 2px 0px; }
"""


def _tr(text: str) -> str:
    return QCoreApplication.translate("AgendaWidgets", text)


# ---------------------------------------------------------------- texts


def _fmt_date(d: date) -> str:
    return date_text(d)


def _fmt_datetime(dt: datetime) -> str:
    return date_time_text(dt)


def format_appointment_time(row: AppointmentRow) -> str:
    """ "06.05.2030 08:00 – 09:00", "01.03.2030 – 03.03.2030 (ganztägig)" … in local time."""
    if row.all_day:  # floating dates, no time zone conversion
        first, last = row.start.date(), row.end.date()
        span = _fmt_date(first) if first == last else f"{_fmt_date(first)} – {_fmt_date(last)}"
        return _tr("{0} (ganztägig)").format(span)
    start, end = utc_to_local(row.start), utc_to_local(row.end)
    if end == start:
        return _fmt_datetime(start)
    if end.date() == start.date():
        return f"{_fmt_datetime(start)} – {time_text(end)}"
    return f"{_fmt_datetime(start)} – {_fmt_datetime(end)}"


def format_due(due: datetime | None) -> str:
    """A follow-up's due date in local time; the time only when it has one."""
    if due is None:
        return ""
    local = utc_to_local(due)
    return _fmt_datetime(local) if has_time_of_day(due) else _fmt_date(local.date())


def format_due_short(due: datetime | None, today: date | None = None) -> str:
    """Compact for the side panel: "heute 14:30", "gestern", "27.11." (year only if not
    this year); the full date is in the row's tooltip."""
    if due is None:
        return ""
    local = utc_to_local(due)
    today = today or datetime.now().date()
    day = local.date()
    if day == today:
        text = _tr("heute")
    elif (today - day).days == 1:
        text = _tr("gestern")
    elif day.year == today.year:
        text = day_month_text(day)
    else:
        text = _fmt_date(day)
    if has_time_of_day(due) and day == today:
        text += " " + time_text(local)
    return text


# ---------------------------------------------------------------- Qt dates


def to_qdatetime(dt: datetime) -> QDateTime:
    return QDateTime(QDate(dt.year, dt.month, dt.day), QTime(dt.hour, dt.minute))


def from_qdatetime(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


# ---------------------------------------------------------------- lists and buttons


def make_tree(headers: list[str], name: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = tree.header()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    return tree


def style_followup_item(item: QTreeWidgetItem, row: FollowUpRow) -> None:
    """Done: grey and struck through; overdue: red."""
    for col in range(item.columnCount()):
        if row.done:
            font = QFont(item.font(col))
            font.setStrikeOut(True)
            item.setFont(col, font)
            item.setForeground(col, QBrush(MUTED_COLOR))
        elif row.overdue:
            item.setForeground(col, QBrush(OVERDUE_COLOR))


def selected_id(tree: QTreeWidget) -> int | None:
    """The id (ID_ROLE of column 0) of the selected row, None without a selection."""
    items = tree.selectedItems()
    return int(items[0].data(0, ID_ROLE)) if items else None


def select_id(tree: QTreeWidget, item_id: int) -> None:
    """Make the row with this id the current one (nothing if it is not listed)."""
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if item is not None and item.data(0, ID_ROLE) == item_id:
            tree.setCurrentItem(item)
            return


def small_button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAutoDefault(False)
    return button


# ---------------------------------------------------------------- the dialogs' frame


class EntryDialog(QDialog):
    """The frame of the "Termin" and "Wiedervorlage" dialogs: below the form the error line
    (`show_error`), then Speichern/Abbrechen. The subclass builds its fields and the form,
    then calls `_finish` with its own translations of the two button texts."""

    error_label: QLabel

    @staticmethod
    def _notes_edit() -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setObjectName("notesEdit")
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(90)
        return edit

    @staticmethod
    def _error_label() -> QLabel:
        label = QLabel()
        label.setObjectName("errorLabel")
        label.setWordWrap(True)
        label.setVisible(False)
        return label

    def _finish(self, form: QFormLayout, save_text: str, cancel_text: str) -> None:
        """Lay out the form, the error line and the buttons (OK saves, see `accept`)."""
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(save_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
