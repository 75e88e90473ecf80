"""Termine and Wiedervorlagen in the GUI: dialogs, the contact's agenda, the due panel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QTreeWidget, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from app.store import agenda as ag
from app.store import contacts as cs
from app.store.models import Appointment, FollowUp
from ui.agenda_widgets import (
    OVERDUE_COLOR,
    AppointmentDialog,
    ContactAgendaWidget,
    DueFollowUpsPanel,
    FollowUpDialog,
)


def card(uid: str, fn: str, email: str = "") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}", f"N:{fn};;;;"]
    if email:
        lines.append(f"EMAIL;TYPE=work:{email}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def local(days: int, hour: int = 0, minute: int = 0) -> datetime:
    """Naive UTC of a local time `days` from today."""
    day = datetime.now().date() + timedelta(days=days)
    return ag.local_to_utc(datetime.combine(day, time(hour, minute)))


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


@pytest.fixture
def anna(store: Path) -> int:
    return int(cs.add_contact(cs.get_book("Standard"), card("u-a", "Anna Becker", "a@x.de")).id)


@pytest.fixture
def agenda(qtbot: QtBot, anna: int) -> ContactAgendaWidget:
    widget = ContactAgendaWidget()
    qtbot.addWidget(widget)
    widget.resize(500, 500)
    widget.set_contact(anna)
    widget.show()
    return widget


def run_dialog(
    monkeypatch: pytest.MonkeyPatch, cls: type[QDialog], fill: Callable[[QDialog], None]
) -> list[QDialog]:
    """Make `cls.exec` fill the dialog's widgets, press Speichern, and return the result."""
    shown: list[QDialog] = []

    def exec_(self: QDialog) -> int:
        shown.append(self)
        fill(self)
        self.accept()
        return int(self.result())

    monkeypatch.setattr(cls, "exec", exec_)
    return shown


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(parent: object, title: str, text: str, *args: object) -> object:
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def item_at(tree: QTreeWidget, index: int) -> QTreeWidgetItem:
    item = tree.topLevelItem(index)
    assert item is not None
    return item


def texts(tree: QTreeWidget, column: int) -> list[str]:
    return [item_at(tree, i).text(column) for i in range(tree.topLevelItemCount())]


# ---------------------------------------------------------------- dialogs


def test_appointment_dialog_refuses_end_before_start(qtbot: QtBot, anna: int) -> None:
    dialog = AppointmentDialog(anna)
    qtbot.addWidget(dialog)
    dialog.summary_edit.setText("Termin")
    start = QDateTime(QDate(2030, 5, 6), QTime(10, 0))
    dialog.start_edit.setDateTime(start)
    dialog.end_edit.setDateTime(start.addSecs(-3600))
    dialog.accept()
    error = dialog.findChild(QLabel, "errorLabel")
    assert error is dialog.error_label
    assert dialog.error_label.text() == "Das Ende des Termins liegt vor seinem Beginn."
    assert not dialog.error_label.isHidden()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert Appointment.select().count() == 0
    dialog.summary_edit.setText("")
    dialog.end_edit.setDateTime(start.addSecs(3600))
    dialog.accept()
    assert dialog.error_label.text() == "Bitte einen Betreff für den Termin angeben."


def test_appointment_dialog_moves_end_with_start_and_switches_to_dates(
    qtbot: QtBot, anna: int
) -> None:
    dialog = AppointmentDialog(anna)
    qtbot.addWidget(dialog)
    start = QDateTime(QDate(2030, 5, 6), QTime(10, 0))
    dialog.start_edit.setDateTime(start)
    dialog.end_edit.setDateTime(start.addSecs(5400))
    dialog.start_edit.setDateTime(start.addSecs(3600))
    assert dialog.end_edit.dateTime() == start.addSecs(3600 + 5400)  # duration kept
    assert dialog.start_edit.displayFormat() == "dd.MM.yyyy HH:mm"
    assert dialog.start_edit.calendarPopup()
    dialog.all_day_check.setChecked(True)
    assert dialog.start_edit.displayFormat() == "dd.MM.yyyy"
    assert dialog.end_edit.displayFormat() == "dd.MM.yyyy"


def test_followup_dialog_validates_and_shows_done_only_when_editing(
    qtbot: QtBot, anna: int
) -> None:
    dialog = FollowUpDialog(anna)
    qtbot.addWidget(dialog)
    assert dialog.done_check.isHidden()
    assert not dialog.due_time_edit.isEnabled()
    dialog.with_time_check.setChecked(True)
    assert dialog.due_time_edit.isEnabled()
    dialog.title_edit.setText("  ")
    dialog.accept()
    assert dialog.error_label.text() == "Bitte einen Titel für die Wiedervorlage angeben."
    assert FollowUp.select().count() == 0
    fid = ag.add_followup(anna, "Da", local(1))
    editing = FollowUpDialog(anna, fid)
    qtbot.addWidget(editing)
    assert not editing.done_check.isHidden()
    assert editing.title_edit.text() == "Da"
    assert not editing.with_time_check.isChecked()  # local midnight = date only


# ---------------------------------------------------------------- the contact's agenda


def test_new_appointment_through_the_dialog(
    agenda: ContactAgendaWidget, anna: int, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    def fill(d: QDialog) -> None:
        assert isinstance(d, AppointmentDialog)
        d.summary_edit.setText("Beratung")
        d.start_edit.setDateTime(QDateTime(QDate(2030, 5, 6), QTime(10, 0)))
        d.end_edit.setDateTime(QDateTime(QDate(2030, 5, 6), QTime(11, 30)))
        d.location_edit.setText("Büro")
        d.notes_edit.setPlainText("Unterlagen mitbringen")

    shown = run_dialog(monkeypatch, AppointmentDialog, fill)
    with qtbot.waitSignal(agenda.changed):
        agenda.new_appointment_button.click()
    assert len(shown) == 1
    (row,) = ag.appointments_for_contact(anna)
    assert (row.summary, row.location, row.notes, row.all_day) == (
        "Beratung", "Büro", "Unterlagen mitbringen", False,
    )
    assert row.start == ag.local_to_utc(datetime(2030, 5, 6, 10, 0))  # stored as UTC
    assert row.end == ag.local_to_utc(datetime(2030, 5, 6, 11, 30))
    assert texts(agenda.appointment_list, 0) == ["06.05.2030 10:00 – 11:30"]
    assert texts(agenda.appointment_list, 1) == ["Beratung (Büro)"]
    assert agenda.selected_appointment_id() == row.id


def test_new_all_day_appointment(
    agenda: ContactAgendaWidget, anna: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(d: QDialog) -> None:
        assert isinstance(d, AppointmentDialog)
        d.summary_edit.setText("Messe")
        d.all_day_check.setChecked(True)
        d.start_edit.setDateTime(QDateTime(QDate(2030, 3, 1), QTime(0, 0)))
        d.end_edit.setDateTime(QDateTime(QDate(2030, 3, 3), QTime(0, 0)))

    run_dialog(monkeypatch, AppointmentDialog, fill)
    agenda.new_appointment_button.click()
    (row,) = ag.appointments_for_contact(anna)
    assert row.all_day and (row.start, row.end) == (datetime(2030, 3, 1), datetime(2030, 3, 3))
    assert texts(agenda.appointment_list, 0) == ["01.03.2030 – 03.03.2030 (ganztägig)"]


def test_edit_appointment_by_double_click(
    agenda: ContactAgendaWidget, anna: int, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    aid = ag.add_appointment(anna, "Alt", local(3, 9), local(3, 10))
    agenda.refresh()

    def fill(d: QDialog) -> None:
        assert isinstance(d, AppointmentDialog)
        assert d.summary_edit.text() == "Alt"  # the dialog shows the stored values
        assert d.start_edit.dateTime().time() == QTime(9, 0)
        d.summary_edit.setText("Neu")

    shown = run_dialog(monkeypatch, AppointmentDialog, fill)
    item = item_at(agenda.appointment_list, 0)
    agenda.appointment_list.setCurrentItem(item)
    with qtbot.waitSignal(agenda.changed):
        agenda.appointment_list.itemDoubleClicked.emit(item, 0)
    assert len(shown) == 1
    assert ag.get_appointment(aid).summary == "Neu"
    assert texts(agenda.appointment_list, 1) == ["Neu"]


def test_delete_appointment_at_once_with_undo(
    agenda: ContactAgendaWidget, anna: int, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    aid = ag.add_appointment(anna, "Weg damit", local(3, 9), local(3, 10))
    agenda.refresh()
    agenda.appointment_list.setCurrentItem(item_at(agenda.appointment_list, 0))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: pytest.fail("asked"))
    with qtbot.waitSignal(agenda.changed):
        agenda.delete_appointment_button.click()
    assert ag.appointments_for_contact(anna) == []
    assert Appointment.get_by_id(aid).deleted_at is not None
    assert agenda.appointment_list.topLevelItemCount() == 0
    assert not agenda.edit_appointment_button.isEnabled()
    bar = agenda.undo_bar
    assert bar.isVisible() and bar.timer.isActive()
    assert bar.label.text() == "Der Termin „Weg damit“ wurde in den Papierkorb verschoben."

    with qtbot.waitSignal(agenda.changed):
        bar.undo_button.click()
    assert [a.id for a in ag.appointments_for_contact(anna)] == [aid]
    assert Appointment.get_by_id(aid).deleted_at is None
    assert agenda.selected_appointment_id() == aid
    assert not bar.isVisible()


def test_new_followup_with_time(
    agenda: ContactAgendaWidget, anna: int, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    def fill(d: QDialog) -> None:
        assert isinstance(d, FollowUpDialog)
        d.title_edit.setText("Angebot nachfassen")
        d.due_date_edit.setDate(QDate(2030, 6, 1))
        d.with_time_check.setChecked(True)
        d.due_time_edit.setTime(QTime(14, 30))
        d.notes_edit.setPlainText("per Telefon")

    run_dialog(monkeypatch, FollowUpDialog, fill)
    with qtbot.waitSignal(agenda.changed):
        agenda.new_followup_button.click()
    (row,) = ag.followups_for_contact(anna)
    assert (row.title, row.notes, row.done) == ("Angebot nachfassen", "per Telefon", False)
    assert row.due == ag.local_to_utc(datetime(2030, 6, 1, 14, 30))
    assert texts(agenda.followup_list, 0) == ["01.06.2030 14:30"]


def test_followup_edit_complete_and_delete(
    agenda: ContactAgendaWidget, anna: int, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    fid = ag.add_followup(anna, "Rückruf", local(-2))
    agenda.refresh()
    tree = agenda.followup_list
    assert item_at(tree, 0).foreground(0).color() == OVERDUE_COLOR  # overdue: red
    tree.setCurrentItem(item_at(tree, 0))

    def fill(d: QDialog) -> None:
        assert isinstance(d, FollowUpDialog)
        d.title_edit.setText("Rückruf Vertrag")
        d.due_date_edit.setDate(qdate(datetime.now().date() + timedelta(days=4)))

    run_dialog(monkeypatch, FollowUpDialog, fill)
    with qtbot.waitSignal(agenda.changed):
        agenda.edit_followup_button.click()
    row = ag.get_followup(fid)
    assert row.title == "Rückruf Vertrag" and not row.overdue
    assert item_at(tree, 0).foreground(0).color() != OVERDUE_COLOR

    assert agenda.done_followup_button.text() == "Erledigt"
    with qtbot.waitSignal(agenda.changed):
        agenda.done_followup_button.click()
    assert ag.get_followup(fid).done
    item = item_at(tree, 0)
    assert item.font(1).strikeOut()  # done: struck through and grey
    assert item.foreground(1).color() == QColor("#8a8a8a")
    assert agenda.done_followup_button.text() == "Wieder öffnen"
    agenda.done_followup_button.click()
    assert not ag.get_followup(fid).done
    assert not item_at(tree, 0).font(1).strikeOut()

    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(agenda.changed):
        agenda.delete_followup_button.click()
    assert ag.followups_for_contact(anna) == []
    assert tree.topLevelItemCount() == 0


def test_no_contact_disables_everything(agenda: ContactAgendaWidget, anna: int) -> None:
    ag.add_followup(anna, "X", local(1))
    agenda.refresh()
    assert agenda.followup_list.topLevelItemCount() == 1
    assert agenda.new_appointment_button.isEnabled()
    agenda.set_contact(None)
    assert agenda.followup_list.topLevelItemCount() == 0
    assert not agenda.new_appointment_button.isEnabled()
    assert not agenda.new_followup_button.isEnabled()
    assert not agenda.done_followup_button.isEnabled()


# ---------------------------------------------------------------- due follow-ups


def test_due_panel_lists_due_followups_and_requests_the_contact(
    qtbot: QtBot, anna: int
) -> None:
    late = ag.add_followup(anna, "Überfällig", local(-2))
    ag.add_followup(None, "Heute", local(0))
    ag.add_followup(anna, "Später", local(5))
    done = ag.add_followup(anna, "Erledigt", local(-1))
    ag.complete_followup(done)
    panel = DueFollowUpsPanel()
    qtbot.addWidget(panel)
    panel.show()
    assert panel.count() == 2
    assert texts(panel.list, 2) == ["Überfällig", "Heute"]
    assert texts(panel.list, 1) == ["Anna Becker", "(ohne Kontakt)"]
    assert item_at(panel.list, 0).foreground(0).color() == OVERDUE_COLOR
    assert panel.title_label.text() == "Fällige Wiedervorlagen (2)"
    assert panel.empty_label.isHidden()

    item = item_at(panel.list, 0)
    with qtbot.waitSignal(panel.contact_requested) as blocker:
        panel.list.itemDoubleClicked.emit(item, 0)
    assert blocker.args == [anna]
    with qtbot.assertNotEmitted(panel.contact_requested):  # no contact: nothing to show
        panel.list.itemDoubleClicked.emit(item_at(panel.list, 1), 0)

    assert not panel.done_button.isEnabled()
    panel.list.setCurrentItem(item)
    with qtbot.waitSignal(panel.changed):
        panel.done_button.click()
    assert ag.get_followup(late).done
    assert panel.count() == 1 and texts(panel.list, 2) == ["Heute"]


def test_due_panel_when_nothing_is_due(qtbot: QtBot, anna: int) -> None:
    ag.add_followup(anna, "Später", local(5))
    panel = DueFollowUpsPanel()
    qtbot.addWidget(panel)
    panel.show()
    assert panel.count() == 0
    assert panel.empty_label.text() == "Keine fälligen Wiedervorlagen."
    assert panel.empty_label.isVisible() and not panel.list.isVisible()
    ag.add_followup(anna, "Jetzt", local(-1))
    panel.refresh()
    assert panel.count() == 1 and panel.list.isVisible() and not panel.empty_label.isVisible()
