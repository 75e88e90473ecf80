"""Termine and Wiedervorlagen of a contact, their dialogs, and the due follow-ups panel.

`ContactAgendaWidget` sits next to a contact and lists its appointments and follow-ups;
`DueFollowUpsPanel` shows the current user's due and overdue follow-ups at a glance.
The store keeps naive UTC (app/store/agenda.py); everything here shows local time in
German format. The dialogs save through the store themselves, so a refused input shows
its German message in the dialog ("errorLabel") and the dialog stays open.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, Qt, QTime, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.store.agenda import (
    AppointmentRow,
    FollowUpRow,
    add_appointment,
    add_followup,
    appointments_for_contact,
    complete_followup,
    current_user,
    delete_appointment,
    delete_followup,
    due_followups,
    followups_for_contact,
    get_appointment,
    get_followup,
    has_time_of_day,
    local_to_utc,
    update_appointment,
    update_followup,
    utc_to_local,
)
from app.store.appointment_trash import restore_appointments
from app.store.contacts import StoreError
from app.store.models import utcnow
from ui.undo_bar import UndoBar

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


def _fmt_date(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def _fmt_datetime(dt: datetime) -> str:
    return dt.strftime("%d.%m.%Y %H:%M")


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
        return f"{_fmt_datetime(start)} – {end.strftime('%H:%M')}"
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
        text = day.strftime("%d.%m.")
    else:
        text = _fmt_date(day)
    if has_time_of_day(due) and day == today:
        text += local.strftime(" %H:%M")
    return text


def _to_qdatetime(dt: datetime) -> QDateTime:
    return QDateTime(QDate(dt.year, dt.month, dt.day), QTime(dt.hour, dt.minute))


def _from_qdatetime(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def _from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("errorLabel")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def _make_tree(headers: list[str], name: str) -> QTreeWidget:
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


def _style_followup_item(item: QTreeWidgetItem, row: FollowUpRow) -> None:
    """Done: grey and struck through; overdue: red."""
    for col in range(item.columnCount()):
        if row.done:
            font = QFont(item.font(col))
            font.setStrikeOut(True)
            item.setFont(col, font)
            item.setForeground(col, QBrush(MUTED_COLOR))
        elif row.overdue:
            item.setForeground(col, QBrush(OVERDUE_COLOR))


def _small_button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAutoDefault(False)
    return button


# ---------------------------------------------------------------- dialogs


class AppointmentDialog(QDialog):
    """Create or edit a "Termin"; saves on OK, `saved_id` is then the appointment's id."""

    def __init__(
        self,
        contact_id: int | None,
        appointment_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.contact_id = contact_id
        self.appointment_id = appointment_id
        self.saved_id: int | None = None
        row = get_appointment(appointment_id) if appointment_id is not None else None
        self.setWindowTitle(self.tr("Termin bearbeiten") if row else self.tr("Neuer Termin"))
        self.setStyleSheet(STYLE)
        self.setMinimumWidth(420)

        self.summary_edit = QLineEdit()
        self.summary_edit.setObjectName("summaryEdit")
        self.summary_edit.setPlaceholderText(self.tr("z. B. Beratungsgespräch"))
        self.start_edit = QDateTimeEdit()
        self.start_edit.setObjectName("startEdit")
        self.end_edit = QDateTimeEdit()
        self.end_edit.setObjectName("endEdit")
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(DATETIME_FORMAT)
        self.all_day_check = QCheckBox(self.tr("Ganztägig"))
        self.all_day_check.setObjectName("allDayCheck")
        self.location_edit = QLineEdit()
        self.location_edit.setObjectName("locationEdit")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("notesEdit")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(90)
        self.error_label = _error_label()

        form = QFormLayout()
        form.addRow(self.tr("Betreff:"), self.summary_edit)
        form.addRow(self.tr("Beginn:"), self.start_edit)
        form.addRow(self.tr("Ende:"), self.end_edit)
        form.addRow("", self.all_day_check)
        form.addRow(self.tr("Ort:"), self.location_edit)
        form.addRow(self.tr("Notizen:"), self.notes_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Speichern"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        if row is None:
            start = datetime.now().replace(minute=0, second=0, microsecond=0)
            start += timedelta(hours=1)
            self.start_edit.setDateTime(_to_qdatetime(start))
            self.end_edit.setDateTime(_to_qdatetime(start + timedelta(hours=1)))
        else:
            self.summary_edit.setText(row.summary)
            self.location_edit.setText(row.location)
            self.notes_edit.setPlainText(row.notes)
            self.all_day_check.setChecked(row.all_day)
            if row.all_day:  # floating dates; keep a sensible time should it become timed
                self.start_edit.setDateTime(_to_qdatetime(row.start.replace(hour=9)))
                self.end_edit.setDateTime(_to_qdatetime(row.end.replace(hour=10)))
            else:
                self.start_edit.setDateTime(_to_qdatetime(utc_to_local(row.start)))
                self.end_edit.setDateTime(_to_qdatetime(utc_to_local(row.end)))
        self._last_start = self.start_edit.dateTime()
        self.start_edit.dateTimeChanged.connect(self._start_changed)
        self.all_day_check.toggled.connect(self._all_day_toggled)
        self._all_day_toggled(self.all_day_check.isChecked())
        self.summary_edit.setFocus()

    @Slot(QDateTime)
    def _start_changed(self, value: QDateTime) -> None:
        """Moving the start moves the end along, keeping the duration."""
        shift = self._last_start.secsTo(value)
        self._last_start = value
        self.end_edit.setDateTime(self.end_edit.dateTime().addSecs(shift))

    @Slot(bool)
    def _all_day_toggled(self, all_day: bool) -> None:
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat(DATE_FORMAT if all_day else DATETIME_FORMAT)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def accept(self) -> None:
        all_day = self.all_day_check.isChecked()
        start = _from_qdatetime(self.start_edit.dateTime())
        end = _from_qdatetime(self.end_edit.dateTime())
        if all_day:  # floating dates
            start = datetime.combine(start.date(), time())
            end = datetime.combine(end.date(), time())
        else:
            start, end = local_to_utc(start), local_to_utc(end)
        fields = {
            "summary": self.summary_edit.text(),
            "start": start,
            "end": end,
            "all_day": all_day,
            "location": self.location_edit.text(),
            "notes": self.notes_edit.toPlainText(),
        }
        try:
            if self.appointment_id is None:
                self.saved_id = add_appointment(self.contact_id, **fields)  # type: ignore[arg-type]
            else:
                update_appointment(self.appointment_id, **fields)
                self.saved_id = self.appointment_id
        except StoreError as exc:
            self.show_error(str(exc))
            return
        super().accept()


class FollowUpDialog(QDialog):
    """Create or edit a "Wiedervorlage"; saves on OK, `saved_id` is then its id."""

    def __init__(
        self,
        contact_id: int | None,
        followup_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.contact_id = contact_id
        self.followup_id = followup_id
        self.saved_id: int | None = None
        row = get_followup(followup_id) if followup_id is not None else None
        self.setWindowTitle(
            self.tr("Wiedervorlage bearbeiten") if row else self.tr("Neue Wiedervorlage")
        )
        self.setStyleSheet(STYLE)
        self.setMinimumWidth(400)

        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("titleEdit")
        self.title_edit.setPlaceholderText(self.tr("z. B. Angebot nachfassen"))
        self.due_date_edit = QDateEdit()
        self.due_date_edit.setObjectName("dueDateEdit")
        self.due_date_edit.setCalendarPopup(True)
        self.due_date_edit.setDisplayFormat(DATE_FORMAT)
        self.with_time_check = QCheckBox(self.tr("Uhrzeit:"))
        self.with_time_check.setObjectName("withTimeCheck")
        self.due_time_edit = QTimeEdit()
        self.due_time_edit.setObjectName("dueTimeEdit")
        self.due_time_edit.setDisplayFormat(TIME_FORMAT)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setObjectName("notesEdit")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(90)
        self.done_check = QCheckBox(self.tr("Erledigt"))
        self.done_check.setObjectName("doneCheck")
        self.done_check.setVisible(row is not None)
        self.error_label = _error_label()

        due_row = QHBoxLayout()
        due_row.setContentsMargins(0, 0, 0, 0)
        due_row.addWidget(self.due_date_edit)
        due_row.addSpacing(8)
        due_row.addWidget(self.with_time_check)
        due_row.addWidget(self.due_time_edit)
        due_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Titel:"), self.title_edit)
        form.addRow(self.tr("Fällig am:"), due_row)
        form.addRow(self.tr("Notizen:"), self.notes_edit)
        if row is not None:
            form.addRow("", self.done_check)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Speichern"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self.due_time_edit.setTime(QTime(9, 0))
        if row is None or row.due is None:
            tomorrow = datetime.now().date() + timedelta(days=1)
            self.due_date_edit.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        else:
            local = utc_to_local(row.due)
            self.due_date_edit.setDate(QDate(local.year, local.month, local.day))
            if has_time_of_day(row.due):
                self.with_time_check.setChecked(True)
                self.due_time_edit.setTime(QTime(local.hour, local.minute))
            self.title_edit.setText(row.title)
            self.notes_edit.setPlainText(row.notes)
            self.done_check.setChecked(row.done)
        self.due_time_edit.setEnabled(self.with_time_check.isChecked())
        self.with_time_check.toggled.connect(self.due_time_edit.setEnabled)
        self.title_edit.setFocus()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def due_local(self) -> datetime:
        """The chosen due time, local; midnight when no time is chosen (date only)."""
        day = _from_qdate(self.due_date_edit.date())
        if not self.with_time_check.isChecked():
            return datetime.combine(day, time())
        t = self.due_time_edit.time()
        return datetime.combine(day, time(t.hour(), t.minute()))

    def accept(self) -> None:
        due = local_to_utc(self.due_local())
        title, notes = self.title_edit.text(), self.notes_edit.toPlainText()
        try:
            if self.followup_id is None:
                self.saved_id = add_followup(self.contact_id, title, due, notes=notes)
            else:
                update_followup(
                    self.followup_id,
                    title=title,
                    due=due,
                    notes=notes,
                    done=self.done_check.isChecked(),
                )
                self.saved_id = self.followup_id
        except StoreError as exc:
            self.show_error(str(exc))
            return
        super().accept()


# ---------------------------------------------------------------- the contact's agenda


class ContactAgendaWidget(QWidget):
    """The "Termine" and "Wiedervorlagen" of one contact, with their buttons."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, horizontal: bool = False) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.contact_id: int | None = None

        self.appointment_list = _make_tree([self.tr("Wann"), self.tr("Betreff")],
                                           "appointmentList")
        self.new_appointment_button = _small_button(self.tr("Neu …"), "newAppointmentButton")
        self.edit_appointment_button = _small_button(
            self.tr("Bearbeiten …"), "editAppointmentButton"
        )
        self.delete_appointment_button = _small_button(
            self.tr("Löschen"), "deleteAppointmentButton"
        )
        self.followup_list = _make_tree([self.tr("Fällig"), self.tr("Titel")], "followUpList")
        self.new_followup_button = _small_button(self.tr("Neu …"), "newFollowUpButton")
        self.edit_followup_button = _small_button(self.tr("Bearbeiten …"), "editFollowUpButton")
        self.done_followup_button = _small_button(self.tr("Erledigt"), "doneFollowUpButton")
        self.delete_followup_button = _small_button(self.tr("Löschen"), "deleteFollowUpButton")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        # Side by side when `horizontal` (the contacts page), stacked otherwise.
        columns = QHBoxLayout() if horizontal else QVBoxLayout()
        columns.setSpacing(16 if horizontal else 8)
        layout.addLayout(columns, 1)
        left = QVBoxLayout()
        left.setSpacing(4)
        left.addWidget(self._title(self.tr("Termine")))
        left.addWidget(self.appointment_list, 1)
        left.addLayout(self._buttons(
            self.new_appointment_button,
            self.edit_appointment_button,
            self.delete_appointment_button,
        ))
        columns.addLayout(left, 1)
        right = QVBoxLayout()
        right.setSpacing(4)
        right.addWidget(self._title(self.tr("Wiedervorlagen")))
        right.addWidget(self.followup_list, 1)
        right.addLayout(self._buttons(
            self.new_followup_button,
            self.edit_followup_button,
            self.done_followup_button,
            self.delete_followup_button,
        ))
        columns.addLayout(right, 1)
        layout.addWidget(self._build_undo_bar())

        self.new_appointment_button.clicked.connect(self.new_appointment)
        self.edit_appointment_button.clicked.connect(self.edit_appointment)
        self.delete_appointment_button.clicked.connect(self.delete_appointment)
        self.appointment_list.itemDoubleClicked.connect(self.edit_appointment)
        self.appointment_list.itemSelectionChanged.connect(self._update_buttons)
        self.new_followup_button.clicked.connect(self.new_followup)
        self.edit_followup_button.clicked.connect(self.edit_followup)
        self.done_followup_button.clicked.connect(self.toggle_followup_done)
        self.delete_followup_button.clicked.connect(self.delete_followup)
        self.followup_list.itemDoubleClicked.connect(self.edit_followup)
        self.followup_list.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    @staticmethod
    def _title(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("sectionTitle")
        return label

    @staticmethod
    def _buttons(*buttons: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(4)
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        return row

    # ------------------------------------------------------------ contents

    def set_contact(self, contact_id: int | None) -> None:
        """Show the agenda of this contact (None: empty and disabled)."""
        self.contact_id = contact_id
        self.refresh()

    def refresh(self) -> None:
        """Reload both lists from the store, keeping the selection where possible."""
        kept_appointment = self.selected_appointment_id()
        kept_followup = self.selected_followup_id()
        self.appointment_list.clear()
        self.followup_list.clear()
        if self.contact_id is not None:
            now = utcnow()
            for a in appointments_for_contact(self.contact_id):
                item = QTreeWidgetItem([format_appointment_time(a), self._appointment_text(a)])
                item.setData(0, ID_ROLE, a.id)
                item.setToolTip(1, a.notes or a.summary)
                past = (a.end.date() < datetime.now().date()) if a.all_day else a.end < now
                if past:
                    for col in range(2):
                        item.setForeground(col, QBrush(MUTED_COLOR))
                self.appointment_list.addTopLevelItem(item)
                if a.id == kept_appointment:
                    item.setSelected(True)
            for f in followups_for_contact(self.contact_id, now=now):
                item = QTreeWidgetItem([format_due(f.due), f.title])
                item.setData(0, ID_ROLE, f.id)
                item.setToolTip(1, f.notes or f.title)
                _style_followup_item(item, f)
                self.followup_list.addTopLevelItem(item)
                if f.id == kept_followup:
                    item.setSelected(True)
        self._update_buttons()

    @staticmethod
    def _appointment_text(a: AppointmentRow) -> str:
        return f"{a.summary} ({a.location})" if a.location else a.summary

    def selected_appointment_id(self) -> int | None:
        items = self.appointment_list.selectedItems()
        return int(items[0].data(0, ID_ROLE)) if items else None

    def selected_followup_id(self) -> int | None:
        items = self.followup_list.selectedItems()
        return int(items[0].data(0, ID_ROLE)) if items else None

    @Slot()
    def _update_buttons(self) -> None:
        has_contact = self.contact_id is not None
        has_appointment = self.selected_appointment_id() is not None
        followup_id = self.selected_followup_id()
        self.new_appointment_button.setEnabled(has_contact)
        self.new_followup_button.setEnabled(has_contact)
        for button in (self.edit_appointment_button, self.delete_appointment_button):
            button.setEnabled(has_appointment)
        for button in (
            self.edit_followup_button,
            self.done_followup_button,
            self.delete_followup_button,
        ):
            button.setEnabled(followup_id is not None)
        done = followup_id is not None and self._is_done(followup_id)
        self.done_followup_button.setText(self.tr("Wieder öffnen") if done else self.tr("Erledigt"))

    def _is_done(self, followup_id: int) -> bool:
        try:
            return get_followup(followup_id).done
        except StoreError:
            return False

    def _after_change(self) -> None:
        self.refresh()
        self.changed.emit()

    def _fail(self, exc: StoreError) -> None:
        QMessageBox.warning(self, self.tr("Contactbox"), str(exc))
        self.refresh()

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------ appointments

    @Slot()
    def new_appointment(self) -> None:
        if self.contact_id is None:
            return
        dialog = AppointmentDialog(self.contact_id, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self.refresh()
            self._select(self.appointment_list, dialog.saved_id)
            self.changed.emit()

    @Slot()
    def edit_appointment(self) -> None:
        appointment_id = self.selected_appointment_id()
        if appointment_id is None:
            return
        try:
            dialog = AppointmentDialog(self.contact_id, appointment_id, parent=self)
        except StoreError as exc:
            self._fail(exc)
            return
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._after_change()

    def _build_undo_bar(self) -> UndoBar:
        """ "Rückgängig" below the lists for a few seconds after deleting an appointment."""
        self.undo_bar = UndoBar(self)
        return self.undo_bar

    @Slot()
    def delete_appointment(self) -> None:
        """Move the selected appointment to the trash at once, with "Rückgängig"."""
        appointment_id = self.selected_appointment_id()
        if appointment_id is None:
            return
        summary = self.appointment_list.selectedItems()[0].text(1)
        user_id = int(current_user().id)
        try:
            delete_appointment(appointment_id)
        except StoreError as exc:
            self._fail(exc)
            return
        self._after_change()
        self.undo_bar.offer(
            self.tr("Der Termin „{0}“ wurde in den Papierkorb verschoben.").format(summary),
            lambda: self.undo_delete_appointment(user_id, appointment_id),
        )

    def undo_delete_appointment(self, user_id: int, appointment_id: int) -> None:
        """ "Rückgängig": the appointment just deleted comes back from the trash."""
        try:
            restore_appointments(user_id, [appointment_id])
        except StoreError as exc:
            self._fail(exc)
            return
        self._after_change()
        self._select(self.appointment_list, appointment_id)

    # ------------------------------------------------------------ follow-ups

    @Slot()
    def new_followup(self) -> None:
        if self.contact_id is None:
            return
        dialog = FollowUpDialog(self.contact_id, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self.refresh()
            self._select(self.followup_list, dialog.saved_id)
            self.changed.emit()

    @Slot()
    def edit_followup(self) -> None:
        followup_id = self.selected_followup_id()
        if followup_id is None:
            return
        try:
            dialog = FollowUpDialog(self.contact_id, followup_id, parent=self)
        except StoreError as exc:
            self._fail(exc)
            return
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._after_change()

    @Slot()
    def toggle_followup_done(self) -> None:
        """Mark the selected follow-up done, or open it again if it is done."""
        followup_id = self.selected_followup_id()
        if followup_id is None:
            return
        try:
            complete_followup(followup_id, done=not self._is_done(followup_id))
        except StoreError as exc:
            self._fail(exc)
            return
        self._after_change()

    @Slot()
    def delete_followup(self) -> None:
        followup_id = self.selected_followup_id()
        if followup_id is None:
            return
        title = self.followup_list.selectedItems()[0].text(1)
        if not self._confirm(
            self.tr("Wiedervorlage löschen"),
            self.tr("Die Wiedervorlage „{0}“ löschen?").format(title),
        ):
            return
        try:
            delete_followup(followup_id)
        except StoreError as exc:
            self._fail(exc)
            return
        self._after_change()

    @staticmethod
    def _select(tree: QTreeWidget, item_id: int) -> None:
        for i in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(i)
            if item is not None and item.data(0, ID_ROLE) == item_id:
                tree.setCurrentItem(item)
                return


# ---------------------------------------------------------------- due follow-ups


class DueFollowUpsPanel(QWidget):
    """ "Fällige Wiedervorlagen": the current user's open follow-ups due today or earlier."""

    contact_requested = Signal(int)
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self._rows: list[FollowUpRow] = []
        self.title_label = QLabel()
        self.title_label.setObjectName("panelTitle")
        self.list = _make_tree(
            [self.tr("Fällig"), self.tr("Kontakt"), self.tr("Titel")], "dueList"
        )
        # Narrow side panel: date fits, the contact's name is cut with "…", the title takes
        # the rest; the full text is in each row's tooltip.
        header = self.list.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 100)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty_label = QLabel(self.tr("Keine fälligen Wiedervorlagen."))
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.done_button = _small_button(self.tr("Erledigt"), "doneButton")
        self.done_button.setToolTip(self.tr("Die gewählte Wiedervorlage als erledigt markieren"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.done_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.list.itemDoubleClicked.connect(self._double_clicked)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.done_button.clicked.connect(self.complete_selected)
        self.refresh()

    def count(self) -> int:
        """How many follow-ups are due (as of the last refresh)."""
        return len(self._rows)

    def refresh(self, now: datetime | None = None) -> None:
        """Reload the due follow-ups (`now` naive UTC, for tests)."""
        kept = self.selected_followup_id()
        self._rows = due_followups(now=now)
        self.list.clear()
        for f in self._rows:
            item = QTreeWidgetItem(
                [format_due_short(f.due), f.contact_name or self.tr("(ohne Kontakt)"), f.title]
            )
            item.setData(0, ID_ROLE, f.id)
            tip = f"{format_due(f.due)} – {f.contact_name or self.tr('(ohne Kontakt)')}: {f.title}"
            if f.notes:
                tip += f"\n{f.notes}"
            for column in range(3):
                item.setToolTip(column, tip)
            _style_followup_item(item, f)
            self.list.addTopLevelItem(item)
            if f.id == kept:
                item.setSelected(True)
        n = len(self._rows)
        self.title_label.setText(
            self.tr("Fällige Wiedervorlagen ({0})").format(n)
            if n
            else self.tr("Fällige Wiedervorlagen")
        )
        self.list.setVisible(n > 0)
        self.empty_label.setVisible(n == 0)
        self._update_buttons()

    def selected_followup_id(self) -> int | None:
        items = self.list.selectedItems()
        return int(items[0].data(0, ID_ROLE)) if items else None

    def _row(self, followup_id: int) -> FollowUpRow | None:
        return next((r for r in self._rows if r.id == followup_id), None)

    @Slot()
    def _update_buttons(self) -> None:
        self.done_button.setEnabled(self.selected_followup_id() is not None)
        self.done_button.setVisible(bool(self._rows))

    @Slot(QTreeWidgetItem, int)
    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        row = self._row(int(item.data(0, ID_ROLE)))
        if row is not None and row.contact_id is not None:
            self.contact_requested.emit(row.contact_id)

    @Slot()
    def complete_selected(self) -> None:
        followup_id = self.selected_followup_id()
        if followup_id is None:
            return
        try:
            complete_followup(followup_id)
        except StoreError as exc:
            QMessageBox.warning(self, self.tr("Contactbox"), str(exc))
        self.refresh()
        self.changed.emit()
