"""Termine ▸ Agenda: "Verlauf …" (AppointmentHistoryDialog) and "Papierkorb …" (trash dialog)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from app import ical
from app.store import agenda, calsync, users
from app.store.agenda import add_appointment, delete_appointment, local_to_utc, update_appointment
from app.store.appointment_trash import trashed_appointments
from app.store.models import Account, Appointment, CalendarBinding, User
from ui.agenda_view import AgendaPage
from ui.appointment_trash_dialog import AppointmentTrashDialog
from ui.history_dialog import CHANGED_COLOR, AppointmentHistoryDialog

MONDAY = date(2026, 11, 30)


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


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def rows(dlg: AppointmentHistoryDialog) -> list[tuple[str, str, str]]:
    out = []
    for r in range(dlg.table.rowCount()):
        cells = [dlg.table.item(r, c) for c in range(3)]
        out.append(tuple(c.text() if c is not None else "" for c in cells))
    return out  # type: ignore[return-value]


def test_history_button_and_restore_from_the_agenda(
    page: AgendaPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    aid = add_appointment(None, "Kundentermin", at(MONDAY, 9), at(MONDAY, 10), location="Büro")
    update_appointment(aid, summary="Kundentermin Müller", location="Werk 2")
    page.refresh()
    assert not page.history_button.isEnabled()
    page._set_selected(page.occurrences[0])
    assert page.history_button.isEnabled()

    opened: list[AppointmentHistoryDialog] = []

    def exec_(dlg: AppointmentHistoryDialog) -> int:
        opened.append(dlg)
        dlg.show()
        vlist = dlg.version_list
        assert vlist.count() == 1 and "Bearbeitet" in vlist.item(0).text()
        assert dlg.windowTitle() == "Verlauf: Kundentermin Müller"
        assert rows(dlg) == [
            ("Betreff", "Kundentermin", "Kundentermin Müller"),
            ("Ort", "Büro", "Werk 2"),
        ]
        assert dlg.table.item(0, 0).font().bold()
        assert dlg.table.item(1, 2).background().color() == QColor(CHANGED_COLOR)
        dlg.raw_button.click()  # the raw iCalendar side by side
        assert dlg.raw_button.text() == "iCalendar anzeigen"
        assert dlg.stack.currentWidget().isAncestorOf(dlg.old_raw)
        assert "SUMMARY:Kundentermin\n" in dlg.old_raw.toPlainText()
        assert "SUMMARY:Kundentermin Müller" in dlg.new_raw.toPlainText()
        dlg.raw_button.click()
        asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
        with qtbot.waitSignal(page.changed, timeout=2000):
            dlg.restore_button.click()
        assert "auf den Server übertragen" in asked[0]
        # The replaced version is now the newest: restoring it is the undo.
        assert vlist.count() == 2 and "Wiederhergestellt" in vlist.item(0).text()
        assert ("Betreff", "Kundentermin Müller", "Kundentermin") in rows(dlg)
        return 0

    monkeypatch.setattr(AppointmentHistoryDialog, "exec", exec_)
    page.history_button.click()
    assert len(opened) == 1
    assert [o.summary for o in page.occurrences] == ["Kundentermin"]
    assert page.selected is not None and page.selected.appointment_id == aid
    a = Appointment.get_by_id(aid)
    assert (a.summary, a.location) == ("Kundentermin", "Büro")

    undo = page.history_dialog(aid)
    qtbot.addWidget(undo)
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    undo.restore_button.click()
    assert Appointment.get_by_id(aid).summary == "Kundentermin Müller"


def test_history_of_a_server_update_and_a_trashed_appointment(
    qtbot: QtBot, store: Path
) -> None:
    user = agenda.current_user()
    account = Account.create(label="K", kind="caldav", username="u", server="s")
    binding = CalendarBinding.create(account=account, user=user, remote_href="/cal/")
    text = ical.new_event("v-1", "Messe", at(MONDAY, 9), at(MONDAY, 17))
    aid = calsync.import_event(
        binding, "/cal/v-1.ics", '"1"', text, "v-1",
        (ical.summarize(text), ical.normalized_hash(text)),
    )  # fmt: skip
    new = ical.edit_event(text, start=at(MONDAY, 10), end=at(MONDAY, 18))
    calsync.overwrite_local(
        binding, aid, "/cal/v-1.ics", '"2"', new, "v-1",
        (ical.summarize(new), ical.normalized_hash(new)), reason="server-update",
    )  # fmt: skip
    delete_appointment(aid)
    dlg = AppointmentHistoryDialog(aid)
    qtbot.addWidget(dlg)
    dlg.show()
    assert "Vom Server geändert" in dlg.version_list.item(0).text()
    assert [r[0] for r in rows(dlg)] == ["Beginn", "Ende"]
    assert rows(dlg)[0][1:] == ("30.11.2026 09:00", "30.11.2026 10:00")
    assert dlg.trash_label.isVisible() and not dlg.restore_button.isEnabled()


def test_empty_history_says_how_versions_come_about(qtbot: QtBot, store: Path) -> None:
    aid = add_appointment(None, "Neu", at(MONDAY, 9), None)
    dlg = AppointmentHistoryDialog(aid)
    qtbot.addWidget(dlg)
    dlg.show()
    texts = [lbl.text() for lbl in dlg.findChildren(QLabel) if lbl.isVisible()]
    assert any(t.startswith("Für diesen Termin gibt es noch keine früheren") for t in texts)
    assert not dlg.restore_button.isEnabled()


def test_trash_lists_restores_and_empties(
    page: AgendaPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = add_appointment(None, "Zahnarzt", at(MONDAY, 9), at(MONDAY, 10))
    second = add_appointment(None, "Urlaub", datetime(2026, 12, 1), datetime(2026, 12, 3), True)
    third = add_appointment(None, "Alt", at(MONDAY, 14), at(MONDAY, 15))
    bernd = User.get_by_id(users.add_user("Bernd"))
    theirs = add_appointment(None, "Bernds Termin", at(MONDAY, 9), None, user=bernd)
    for aid in (first, second, third, theirs):
        delete_appointment(aid)
    page.refresh()
    assert page.occurrences == []

    seen: list[AppointmentTrashDialog] = []

    def exec_(dlg: AppointmentTrashDialog) -> int:
        seen.append(dlg)
        dlg.show()
        tree = dlg.tree
        assert dlg.windowTitle() == "Papierkorb: Termine von Standardbenutzer"
        assert tree.topLevelItemCount() == 3  # not Bernd's
        by_name = {tree.topLevelItem(i).text(0): tree.topLevelItem(i) for i in range(3)}
        assert by_name["Zahnarzt"].text(1) == "30.11.2026 09:00–10:00"
        assert by_name["Urlaub"].text(1) == "01.12.2026–03.12.2026 (ganztägig)"
        assert by_name["Zahnarzt"].text(3) == "Contactbox"
        assert by_name["Zahnarzt"].text(4) == "war nie auf dem Server"
        assert not dlg.restore_button.isEnabled()
        dlg.select_ids([first, second])
        with qtbot.waitSignal(dlg.changed, timeout=2000):
            dlg.restore_button.click()
        assert "2 Termine wiederhergestellt" in dlg.status_label.text()
        assert tree.topLevelItemCount() == 1

        asked = answer(monkeypatch, QMessageBox.StandardButton.No)
        dlg.empty_button.click()
        assert len(asked) == 1 and "endgültig" in asked[0]
        assert tree.topLevelItemCount() == 1
        answer(monkeypatch, QMessageBox.StandardButton.Yes)
        dlg.empty_button.click()
        assert dlg.empty_label.isVisible() and not dlg.empty_button.isEnabled()
        assert "1 Termin endgültig gelöscht." in dlg.status_label.text()
        return 0

    monkeypatch.setattr(AppointmentTrashDialog, "exec", exec_)
    page.trash_button.click()
    assert len(seen) == 1
    assert sorted(o.summary for o in page.occurrences) == ["Urlaub", "Zahnarzt"]
    assert not Appointment.select().where(Appointment.id == third).exists()
    assert [r.summary for r in trashed_appointments(bernd)] == ["Bernds Termin"]


def test_trash_keeps_pending_deletions_and_says_so(
    qtbot: QtBot, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = agenda.current_user()
    account = Account.create(label="K", kind="caldav", username="u", server="s")
    binding = CalendarBinding.create(account=account, user=user, remote_href="/cal/")
    text = ical.new_event("p-1", "Synchronisiert", at(MONDAY, 9), at(MONDAY, 10))
    aid = calsync.import_event(
        binding, "/cal/p-1.ics", '"1"', text, "p-1",
        (ical.summarize(text), ical.normalized_hash(text)),
    )  # fmt: skip
    delete_appointment(aid)
    dlg = AppointmentTrashDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    item = dlg.tree.topLevelItem(0)
    assert item.text(4) == "wird beim nächsten Abgleich auch auf dem Server gelöscht"
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    dlg.empty_button.click()
    assert dlg.tree.topLevelItemCount() == 1
    assert "bis der nächste Kalenderabgleich" in dlg.status_label.text()
