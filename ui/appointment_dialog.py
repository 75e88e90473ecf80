"""The "Termin" dialog: create or edit an appointment, and save it through the store.

`AppointmentDialog` edits subject, start and end (local time; a whole-day appointment keeps
floating dates), location and notes; moving the start moves the end along. It saves on OK
itself (app/store/agenda.py), so a refused input shows its German message in the dialog
("errorLabel") and the dialog stays open. The contact's agenda (ui/agenda_widgets.py) and
Termine ▸ Agenda (ui/agenda_view.py) open it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtCore import QDateTime, Slot
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QFormLayout, QLineEdit, QWidget

from app.store.agenda import (
    add_appointment,
    get_appointment,
    local_to_utc,
    update_appointment,
    utc_to_local,
)
from app.store.contacts import StoreError
from ui.agenda_common import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    STYLE,
    EntryDialog,
    from_qdatetime,
    to_qdatetime,
)


class AppointmentDialog(EntryDialog):
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
        self.notes_edit = self._notes_edit()
        self.error_label = self._error_label()

        form = QFormLayout()
        form.addRow(self.tr("Betreff:"), self.summary_edit)
        form.addRow(self.tr("Beginn:"), self.start_edit)
        form.addRow(self.tr("Ende:"), self.end_edit)
        form.addRow("", self.all_day_check)
        form.addRow(self.tr("Ort:"), self.location_edit)
        form.addRow(self.tr("Notizen:"), self.notes_edit)
        self._finish(form, self.tr("Speichern"), self.tr("Abbrechen"))

        if row is None:
            start = datetime.now().replace(minute=0, second=0, microsecond=0)
            start += timedelta(hours=1)
            self.start_edit.setDateTime(to_qdatetime(start))
            self.end_edit.setDateTime(to_qdatetime(start + timedelta(hours=1)))
        else:
            self.summary_edit.setText(row.summary)
            self.location_edit.setText(row.location)
            self.notes_edit.setPlainText(row.notes)
            self.all_day_check.setChecked(row.all_day)
            if row.all_day:  # floating dates; keep a sensible time should it become timed
                self.start_edit.setDateTime(to_qdatetime(row.start.replace(hour=9)))
                self.end_edit.setDateTime(to_qdatetime(row.end.replace(hour=10)))
            else:
                self.start_edit.setDateTime(to_qdatetime(utc_to_local(row.start)))
                self.end_edit.setDateTime(to_qdatetime(utc_to_local(row.end)))
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

    def accept(self) -> None:
        all_day = self.all_day_check.isChecked()
        start = from_qdatetime(self.start_edit.dateTime())
        end = from_qdatetime(self.end_edit.dateTime())
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
