"""Termine ▸ Agenda: the current user's appointments by day, by week, or as a list.

A toolbar (Heute, ◀ ▶, the range as "KW 49 · 30.11.–6.12.2026", the switch Tag / Woche /
Liste) above one of two views:

- Tag / Woche: `TimeGridView` (ui/agenda_grid.py), one column per day. On top the day
  names and a strip of all-day events (and timed ones lasting 24 hours or more), below a
  time grid from 0 to 24 h that opens scrolled to 7–20 h. Overlapping events stand side by
  side. Both parts are painted with QPainter in one widget each (no child widget per event;
  their common base `Canvas` is in ui/agenda_canvas.py), and both offer a hit-test API
  (`event_at(QPoint)`, `rect_for(occurrence)`, `slot_at(QPoint)`, `point_for(when)`) so
  tests and the mouse handling use the same geometry.
- Liste: `AgendaListView` (ui/agenda_list.py), the next 30 days from the shown date,
  grouped by day.

Double-click an event to edit it (`AppointmentDialog`; an occurrence of a recurring series
edits the whole series, and the dialog says so), double-click an empty slot to create an
appointment there, Entf moves the selected one to the trash at once (for a series: the
whole series) with "Rückgängig" below the view for a few seconds, the context menu offers
Bearbeiten / Verlauf / Löschen (on an empty slot: Neuer Termin). "Verlauf …" opens the
selected appointment's history (`AppointmentHistoryDialog`: earlier versions side by side,
restore), "Papierkorb …" the current user's deleted appointments
(`AppointmentTrashDialog`: restore, empty). Occurrences come from `app.store.occurrences`
in local time.

This module is the page (`AgendaPage`): toolbar, navigation, and the actions on the
selected appointment. The range label and the other texts are in ui/agenda_format.py, which
also holds the view modes `VIEW_DAY`, `VIEW_WEEK`, `VIEW_LIST` (importable from here too).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.store.agenda import current_user, delete_appointment
from app.store.appointment_trash import restore_appointments
from app.store.contacts import StoreError
from app.store.occurrences import Occurrence, occurrences
from ui.agenda_common import to_qdatetime
from ui.agenda_format import VIEW_DAY as VIEW_DAY
from ui.agenda_format import VIEW_LIST as VIEW_LIST
from ui.agenda_format import VIEW_WEEK as VIEW_WEEK
from ui.agenda_format import range_label as range_label
from ui.agenda_grid import TimeGridView
from ui.agenda_list import AgendaListView
from ui.appointment_dialog import AppointmentDialog
from ui.appointment_trash_dialog import AppointmentTrashDialog
from ui.history_dialog import AppointmentHistoryDialog
from ui.icons import icon
from ui.locale_format import date_text, time_text
from ui.store_watch import store_watch
from ui.undo_bar import UndoBar

LIST_DAYS = 30

STYLE = """
QLabel#rangeLabel { font-weight: bold; font-size: 13pt; padding: 0px 8px; }
QPushButton#viewSwitch { padding: 4px 14px; }
QPushButton#viewSwitch:checked {
    background: #4a7fc1; color: white; border: 1px solid #3b6aa6; border-radius: 3px;
}
QTreeWidget#agendaList { outline: 0; }
QTreeWidget#agendaList::item { padding: 3px 0px; }
"""


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
            dialog.start_edit.setDateTime(to_qdatetime(begin))
            dialog.end_edit.setDateTime(to_qdatetime(begin + timedelta(hours=1)))
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
        when = date_text(occ.start.date())
        if not occ.all_day:
            when += " " + time_text(occ.start)
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
