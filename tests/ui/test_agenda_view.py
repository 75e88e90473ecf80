"""Termine ▸ Agenda: week/day/list views, hit-testing, create, edit, delete."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.store.agenda import add_appointment, get_appointment, local_to_utc
from app.store.models import Appointment
from ui.agenda_view import VIEW_DAY, VIEW_LIST, VIEW_WEEK, AgendaPage, range_label
from ui.agenda_widgets import AppointmentDialog

MONDAY = date(2026, 11, 30)  # KW 49

WEEKLY = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\n"
    "UID:jf\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261102T080000Z\r\n"
    "DTEND:20261102T090000Z\r\nRRULE:FREQ=WEEKLY;BYDAY=MO\r\nSUMMARY:Jour fixe\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


# Local time is Europe/Berlin for every test (occurrences come in local time).
pytestmark = pytest.mark.usefixtures("berlin_time")


def at(d: date, h: int, m: int = 0) -> datetime:
    return local_to_utc(datetime(d.year, d.month, d.day, h, m))


@pytest.fixture
def page(qtbot: QtBot, store: Path) -> AgendaPage:
    widget = AgendaPage()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    widget.set_date(MONDAY)
    return widget


def weekly_series() -> int:
    aid = add_appointment(None, "Jour fixe", at(date(2026, 11, 2), 9), at(date(2026, 11, 2), 10))
    Appointment.update(ical=WEEKLY, uid="jf").where(Appointment.id == aid).execute()
    return aid


def fake_exec(fill):  # type: ignore[no-untyped-def]
    """An AppointmentDialog.exec that records the dialog, lets `fill` edit it and saves."""
    seen: list[AppointmentDialog] = []

    def exec_(self: AppointmentDialog) -> int:
        seen.append(self)
        fill(self)
        self.accept()
        return int(self.result())

    return exec_, seen


def test_range_labels() -> None:
    assert range_label(VIEW_WEEK, MONDAY, date(2026, 12, 6)) == "KW 49 · 30.11.–6.12.2026"
    assert range_label(VIEW_WEEK, date(2026, 12, 28), date(2027, 1, 3)) == (
        "KW 53 · 28.12.2026–3.1.2027"
    )
    assert range_label(VIEW_DAY, date(2026, 12, 1), date(2026, 12, 1)) == (
        "KW 49 · Dienstag, 1.12.2026"
    )


def test_week_view_shows_event_in_its_column_and_row(page: AgendaPage, qtbot: QtBot) -> None:
    add_appointment(None, "Beratung", at(date(2026, 12, 2), 10), at(date(2026, 12, 2), 11))
    page.refresh()
    assert page.range_label.text() == "KW 49 · 30.11.–6.12.2026"
    grid = page.week_view.grid
    [occ] = page.occurrences
    rect = grid.rect_for(occ)
    assert rect is not None
    assert grid.day_at(rect.center().x()) == date(2026, 12, 2)  # Wednesday column
    slot = grid.slot_at(QPoint(rect.center().x(), rect.top() + 2))
    assert slot == (datetime(2026, 12, 2, 10, 0), False)
    assert grid.event_at(rect.center()) == occ
    assert grid.event_at(grid.point_for(datetime(2026, 12, 2, 14))) is None
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.selected == occ


def test_overlapping_events_side_by_side_and_all_day_strip(page: AgendaPage) -> None:
    d = date(2026, 12, 1)
    add_appointment(None, "A", at(d, 9), at(d, 11))
    add_appointment(None, "B", at(d, 10), at(d, 12))
    add_appointment(None, "Messe", datetime(2026, 12, 1), datetime(2026, 12, 2), all_day=True)
    page.refresh()
    by_name = {o.summary: o for o in page.occurrences}
    grid, header = page.week_view.grid, page.week_view.header
    a, b = grid.rect_for(by_name["A"]), grid.rect_for(by_name["B"])
    assert a is not None and b is not None
    assert a.right() < b.left() and a.width() == pytest.approx(b.width(), abs=2)
    assert grid.rect_for(by_name["Messe"]) is None
    located = page.week_view.locate(by_name["Messe"])
    assert located is not None and located[0] is header
    messe = located[1]
    assert header.day_at(messe.left() + 2) == d
    assert header.day_at(messe.right() - 2) == date(2026, 12, 2)


def test_double_click_on_slot_creates_appointment(
    page: AgendaPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fill(dialog: AppointmentDialog) -> None:
        dialog.summary_edit.setText("Neu per Doppelklick")

    exec_, seen = fake_exec(fill)
    monkeypatch.setattr(AppointmentDialog, "exec", exec_)
    grid = page.week_view.grid
    qtbot.mouseDClick(
        grid, Qt.MouseButton.LeftButton, pos=grid.point_for(datetime(2026, 12, 3, 14, 30))
    )
    assert len(seen) == 1
    row = get_appointment(seen[0].saved_id)  # type: ignore[arg-type]
    assert (row.summary, row.start, row.end) == (
        "Neu per Doppelklick",
        at(date(2026, 12, 3), 14, 30),
        at(date(2026, 12, 3), 15, 30),
    )
    assert page.selected is not None and page.selected.summary == "Neu per Doppelklick"
    assert grid.rect_for(page.selected) is not None


def test_double_click_in_all_day_strip_creates_all_day(
    page: AgendaPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    exec_, seen = fake_exec(lambda d: d.summary_edit.setText("Urlaub"))
    monkeypatch.setattr(AppointmentDialog, "exec", exec_)
    header = page.week_view.header
    qtbot.mouseDClick(header, Qt.MouseButton.LeftButton, pos=header.point_for(date(2026, 12, 4)))
    row = get_appointment(seen[0].saved_id)  # type: ignore[arg-type]
    assert row.all_day and row.start == datetime(2026, 12, 4) == row.end


def test_double_click_on_event_edits_it(
    page: AgendaPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    aid = add_appointment(None, "Alt", at(MONDAY, 9), at(MONDAY, 10))
    page.refresh()
    exec_, seen = fake_exec(lambda d: d.summary_edit.setText("Neu"))
    monkeypatch.setattr(AppointmentDialog, "exec", exec_)
    rect = page.week_view.grid.rect_for(page.occurrences[0])
    assert rect is not None
    qtbot.mouseDClick(page.week_view.grid, Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen[0].windowTitle() == "Termin bearbeiten"
    assert get_appointment(aid).summary == "Neu"
    assert [o.summary for o in page.occurrences] == ["Neu"]


def test_editing_a_recurring_occurrence_edits_the_series(
    page: AgendaPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    aid = weekly_series()
    page.refresh()
    [occ] = page.occurrences
    assert occ.recurring and occ.start == datetime(2026, 11, 30, 9)
    exec_, seen = fake_exec(lambda d: d.summary_edit.setText("Jour fixe Vertrieb"))
    monkeypatch.setattr(AppointmentDialog, "exec", exec_)
    assert page.edit_occurrence(occ)
    assert "Serie bearbeiten" in seen[0].windowTitle()
    assert seen[0].findChild(object, "seriesNote") is not None
    assert get_appointment(aid).summary == "Jour fixe Vertrieb"
    page.go_next()
    assert [o.summary for o in page.occurrences] == ["Jour fixe Vertrieb"]


def test_delete_at_once_with_undo(
    page: AgendaPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    aid = add_appointment(None, "Weg damit", at(MONDAY, 9), at(MONDAY, 10))
    page.refresh()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: pytest.fail("asked"))
    grid = page.week_view.grid
    rect = grid.rect_for(page.occurrences[0])
    assert rect is not None
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(page.changed):
        qtbot.keyClick(grid, Qt.Key.Key_Delete)
    assert page.occurrences == [] and page.selected is None
    assert grid.boxes == []
    assert Appointment.get_by_id(aid).deleted_at is not None
    bar = page.undo_bar
    assert bar.isVisible() and bar.timer.isActive() and bar.timer.interval() == 8000
    assert bar.label.text() == (
        "Der Termin „Weg damit“ am 30.11.2026 09:00 wurde in den Papierkorb verschoben."
    )

    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(bar.undo_button, Qt.MouseButton.LeftButton)
    assert [o.summary for o in page.occurrences] == ["Weg damit"]
    assert page.selected is not None and page.selected.appointment_id == aid
    assert Appointment.get_by_id(aid).deleted_at is None
    assert not bar.isVisible()


def test_the_undo_offer_ends_after_its_time(page: AgendaPage) -> None:
    aid = add_appointment(None, "Weg damit", at(MONDAY, 9), at(MONDAY, 10))
    page.refresh()
    assert page.delete_occurrence(page.occurrences[0])
    page.undo_bar.timer.timeout.emit()  # the 8 s are over
    assert not page.undo_bar.isVisible() and not page.undo_bar.pending()
    page.undo_bar.undo()  # nothing left to undo
    assert Appointment.get_by_id(aid).deleted_at is not None
    assert page.occurrences == []


def test_deleting_a_recurring_occurrence_says_the_whole_series(page: AgendaPage) -> None:
    aid = weekly_series()
    page.refresh()
    assert page.delete_occurrence(page.occurrences[0])
    assert page.undo_bar.label.text() == (
        "Die Serie „Jour fixe“ wurde mit allen ihren Terminen in den Papierkorb verschoben."
    )
    assert Appointment.get_by_id(aid).deleted_at is not None
    page.go_next()
    assert page.occurrences == []
    page.undo_bar.undo_button.click()
    assert [o.summary for o in page.occurrences] == ["Jour fixe"]


def test_context_menu_actions(page: AgendaPage, monkeypatch: pytest.MonkeyPatch) -> None:
    add_appointment(None, "Menü", at(MONDAY, 9), at(MONDAY, 10))
    page.refresh()
    occ = page.occurrences[0]
    menu = page.context_menu(occ)
    assert [a.text() for a in menu.actions()] == ["Bearbeiten …", "Verlauf …", "Löschen"]
    calls: list[object] = []
    monkeypatch.setattr(page, "edit_occurrence", lambda o: calls.append(o))
    monkeypatch.setattr(page, "show_history", lambda o: calls.append(("Verlauf", o)))
    page.context_menu(occ).actions()[0].trigger()
    page.context_menu(occ).actions()[1].trigger()
    assert calls == [occ, ("Verlauf", occ)]
    empty = page.context_menu(None, (datetime(2026, 12, 1, 8), False))
    assert [a.text() for a in empty.actions()] == ["Neuer Termin …"]


def test_switching_views_and_navigating(page: AgendaPage, qtbot: QtBot) -> None:
    add_appointment(None, "Dienstag", at(date(2026, 12, 1), 9), at(date(2026, 12, 1), 10))
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert page.visible_range() == (date(2026, 12, 7), date(2026, 12, 13))
    assert page.range_label.text() == "KW 50 · 7.12.–13.12.2026"
    assert page.occurrences == []
    qtbot.mouseClick(page.prev_button, Qt.MouseButton.LeftButton)
    assert [o.summary for o in page.occurrences] == ["Dienstag"]

    page.set_date(date(2026, 12, 1))
    qtbot.mouseClick(page.view_buttons[VIEW_DAY], Qt.MouseButton.LeftButton)
    assert page.mode == VIEW_DAY and page.stack.currentWidget() is page.day_view
    assert page.day_view.grid.days == [date(2026, 12, 1)]
    assert page.day_view.grid.rect_for(page.occurrences[0]) is not None
    qtbot.mouseClick(page.prev_button, Qt.MouseButton.LeftButton)
    assert page.visible_range() == (MONDAY, MONDAY) and page.occurrences == []

    qtbot.mouseClick(page.today_button, Qt.MouseButton.LeftButton)
    assert page.visible_range() == (date.today(), date.today())
    qtbot.mouseClick(page.view_buttons[VIEW_WEEK], Qt.MouseButton.LeftButton)
    assert page.stack.currentWidget() is page.week_view
    assert page.visible_range()[0].weekday() == 0


def test_list_view_groups_by_day(page: AgendaPage, qtbot: QtBot) -> None:
    weekly_series()
    add_appointment(None, "Beratung", at(MONDAY, 11), at(MONDAY, 12), location="Büro")
    add_appointment(None, "Messe", datetime(2026, 12, 2), datetime(2026, 12, 3), all_day=True)
    qtbot.mouseClick(page.view_buttons[VIEW_LIST], Qt.MouseButton.LeftButton)
    assert page.visible_range() == (MONDAY, date(2026, 12, 29))
    groups = page.list_view.groups()
    labels = [label for label, _ in groups]
    assert labels[:3] == [
        "Montag, 30.11.2026",
        "Mittwoch, 02.12.2026",
        "Donnerstag, 03.12.2026",
    ]
    assert [o.summary for o in groups[0][1]] == ["Jour fixe", "Beratung"]
    # the weekly series appears on each Monday of the 30 days
    mondays = [label for label, occs in groups if any(o.recurring for o in occs)]
    assert len(mondays) == 5
    item = page.list_view.item_for(groups[0][1][1])
    assert item is not None and item.text(0) == "11:00–12:00" and item.text(2) == "Büro"


def test_list_double_click_edits(
    page: AgendaPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    aid = add_appointment(None, "Liste", at(MONDAY, 11), at(MONDAY, 12))
    page.set_mode(VIEW_LIST)
    exec_, _seen = fake_exec(lambda d: d.summary_edit.setText("Liste geändert"))
    monkeypatch.setattr(AppointmentDialog, "exec", exec_)
    item = page.list_view.item_for(page.occurrences[0])
    assert item is not None
    page.list_view.itemDoubleClicked.emit(item, 0)
    assert get_appointment(aid).summary == "Liste geändert"
