"""Wiedervorlagen outside the contact's lists: the follow-up dialog and the due panel.

`FollowUpDialog` creates or edits a "Wiedervorlage" (title, due date with an optional time
of day, notes, done) and saves it through the store itself, so a refused input shows its
German message in the dialog ("errorLabel") and the dialog stays open.
`DueFollowUpsPanel` shows the current user's due and overdue follow-ups at a glance (the
contacts page's side panel): a double-click asks for the contact, "Erledigt" completes one.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtCore import QDate, Qt, QTime, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTimeEdit,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.store.agenda import (
    FollowUpRow,
    add_followup,
    complete_followup,
    due_followups,
    get_followup,
    has_time_of_day,
    local_to_utc,
    update_followup,
    utc_to_local,
)
from app.store.contacts import StoreError
from ui.agenda_common import (
    DATE_FORMAT,
    ID_ROLE,
    STYLE,
    TIME_FORMAT,
    EntryDialog,
    format_due,
    format_due_short,
    from_qdate,
    make_tree,
    selected_id,
    small_button,
    style_followup_item,
)


class FollowUpDialog(EntryDialog):
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
        self.notes_edit = self._notes_edit()
        self.done_check = QCheckBox(self.tr("Erledigt"))
        self.done_check.setObjectName("doneCheck")
        self.done_check.setVisible(row is not None)
        self.error_label = self._error_label()

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
        self._finish(form, self.tr("Speichern"), self.tr("Abbrechen"))

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

    def due_local(self) -> datetime:
        """The chosen due time, local; midnight when no time is chosen (date only)."""
        day = from_qdate(self.due_date_edit.date())
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
        self.list = make_tree([self.tr("Fällig"), self.tr("Kontakt"), self.tr("Titel")], "dueList")
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
        self.done_button = small_button(self.tr("Erledigt"), "doneButton")
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
            style_followup_item(item, f)
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
        return selected_id(self.list)

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
