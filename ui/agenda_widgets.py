"""The Termine and Wiedervorlagen of one contact, next to the contact: `ContactAgendaWidget`.

Two lists with their buttons (side by side on the contacts page, stacked otherwise): the
contact's appointments ("Neu …", "Bearbeiten …", "Löschen" to the trash with "Rückgängig"
below the lists) and follow-ups ("Erledigt"/"Wieder öffnen", "Löschen" after asking). The
dialogs they open live in ui/appointment_dialog.py and ui/followup_widgets.py (with the
due follow-ups panel), the shared texts and builders in ui/agenda_common.py; the names
callers know from here (`AppointmentDialog`, `FollowUpDialog`, `DueFollowUpsPanel`,
`OVERDUE_COLOR`) stay importable from this module.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.store.agenda import (
    AppointmentRow,
    appointments_for_contact,
    complete_followup,
    current_user,
    delete_appointment,
    delete_followup,
    followups_for_contact,
    get_followup,
)
from app.store.appointment_trash import restore_appointments
from app.store.contacts import StoreError
from app.store.models import utcnow
from ui.agenda_common import (
    ID_ROLE,
    MUTED_COLOR,
    OVERDUE_COLOR,
    STYLE,
    format_appointment_time,
    format_due,
    make_tree,
    select_id,
    selected_id,
    small_button,
    style_followup_item,
)
from ui.appointment_dialog import AppointmentDialog
from ui.ask import ask_yes_no
from ui.followup_widgets import DueFollowUpsPanel, FollowUpDialog
from ui.undo_bar import UndoBar

__all__ = [
    "OVERDUE_COLOR",
    "AppointmentDialog",
    "ContactAgendaWidget",
    "DueFollowUpsPanel",
    "FollowUpDialog",
]


class ContactAgendaWidget(QWidget):
    """The "Termine" and "Wiedervorlagen" of one contact, with their buttons."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, horizontal: bool = False) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.contact_id: int | None = None

        self.appointment_list = make_tree([self.tr("Wann"), self.tr("Betreff")], "appointmentList")
        self.new_appointment_button = small_button(self.tr("Neu …"), "newAppointmentButton")
        self.edit_appointment_button = small_button(
            self.tr("Bearbeiten …"), "editAppointmentButton"
        )
        self.delete_appointment_button = small_button(self.tr("Löschen"), "deleteAppointmentButton")
        self.followup_list = make_tree([self.tr("Fällig"), self.tr("Titel")], "followUpList")
        self.new_followup_button = small_button(self.tr("Neu …"), "newFollowUpButton")
        self.edit_followup_button = small_button(self.tr("Bearbeiten …"), "editFollowUpButton")
        self.done_followup_button = small_button(self.tr("Erledigt"), "doneFollowUpButton")
        self.delete_followup_button = small_button(self.tr("Löschen"), "deleteFollowUpButton")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        # Side by side when `horizontal` (the contacts page), stacked otherwise.
        columns = QHBoxLayout() if horizontal else QVBoxLayout()
        columns.setSpacing(16 if horizontal else 8)
        layout.addLayout(columns, 1)
        columns.addLayout(
            self._column(
                self.tr("Termine"),
                self.appointment_list,
                self.new_appointment_button,
                self.edit_appointment_button,
                self.delete_appointment_button,
            ),
            1,
        )
        columns.addLayout(
            self._column(
                self.tr("Wiedervorlagen"),
                self.followup_list,
                self.new_followup_button,
                self.edit_followup_button,
                self.done_followup_button,
                self.delete_followup_button,
            ),
            1,
        )
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
    def _column(title: str, tree: QTreeWidget, *buttons: QPushButton) -> QVBoxLayout:
        """One list: its bold title, the list, its buttons in a row below."""
        column = QVBoxLayout()
        column.setSpacing(4)
        label = QLabel(title)
        label.setObjectName("sectionTitle")
        column.addWidget(label)
        column.addWidget(tree, 1)
        row = QHBoxLayout()
        row.setSpacing(4)
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        return column

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
                style_followup_item(item, f)
                self.followup_list.addTopLevelItem(item)
                if f.id == kept_followup:
                    item.setSelected(True)
        self._update_buttons()

    @staticmethod
    def _appointment_text(a: AppointmentRow) -> str:
        return f"{a.summary} ({a.location})" if a.location else a.summary

    def selected_appointment_id(self) -> int | None:
        return selected_id(self.appointment_list)

    def selected_followup_id(self) -> int | None:
        return selected_id(self.followup_list)

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
        return ask_yes_no(self, title, text)

    # ------------------------------------------------------------ appointments

    def _create(
        self, dialog_class: type[AppointmentDialog | FollowUpDialog], tree: QTreeWidget
    ) -> None:
        """A new entry of this contact in its dialog; once saved, it is selected in `tree`."""
        if self.contact_id is None:
            return
        dialog = dialog_class(self.contact_id, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self.refresh()
            select_id(tree, dialog.saved_id)
            self.changed.emit()

    def _edit(
        self, dialog_class: type[AppointmentDialog | FollowUpDialog], item_id: int | None
    ) -> None:
        """The selected entry in its dialog (an entry gone meanwhile: say so)."""
        if item_id is None:
            return
        try:
            dialog = dialog_class(self.contact_id, item_id, parent=self)
        except StoreError as exc:
            self._fail(exc)
            return
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._after_change()

    @Slot()
    def new_appointment(self) -> None:
        self._create(AppointmentDialog, self.appointment_list)

    @Slot()
    def edit_appointment(self) -> None:
        self._edit(AppointmentDialog, self.selected_appointment_id())

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
        select_id(self.appointment_list, appointment_id)

    # ------------------------------------------------------------ follow-ups

    @Slot()
    def new_followup(self) -> None:
        self._create(FollowUpDialog, self.followup_list)

    @Slot()
    def edit_followup(self) -> None:
        self._edit(FollowUpDialog, self.selected_followup_id())

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
