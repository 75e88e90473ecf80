"""Opening an appointment from the list of single changes (ui/item_open.py) against a real
Radicale calendar: the "Termin" dialog of the appointment Contactbox keeps (its changed
title), one in the Papierkorb of appointments says so instead. The calendar is synced by the
in-process CLI (tests/servers/calendar_env.py); the run's report with its list is shown as
the window shows it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app import ical
from app.store import agenda
from app.store.db import close_database
from app.sync.report import RunReport
from tests.servers.calendar_env import CalEnv, calendar_env
from tests.servers.dav_servers import DavServer
from ui import workers
from ui.appointment_dialog import AppointmentDialog
from ui.item_list import ItemList
from ui.report_dialog import ReportDialog


def _event(uid: str, summary: str, day: int) -> str:
    return ical.new_event(
        uid, summary, datetime(2030, 3, day, 9), datetime(2030, 3, day, 10),
        now=datetime(2025, 1, 1),
    )  # fmt: skip


@pytest.fixture
def cal(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    qtbot: QtBot,
) -> Iterator[CalEnv]:
    with calendar_env(radicale_server, tmp_path, monkeypatch, capsys) as env:
        yield env
        qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=30_000)
        close_database()


def _dialogs(items: ItemList) -> list[AppointmentDialog]:
    return [w for w in items.findChildren(AppointmentDialog) if w.isVisible()]


def _notes(items: ItemList) -> list[str]:
    return [b.text() for b in items.findChildren(QMessageBox) if b.isVisible()]


def test_an_appointment_row_opens_the_appointment_dialog(qtbot: QtBot, cal: CalEnv) -> None:
    cal.put("t1.ics", _event("uid-t1", "Teamrunde", 3))
    cal.put("t2.ics", _event("uid-t2", "Kundentermin", 4))
    assert cal.run()["added_local"] == 2
    cal.edit("uid-t1", summary="Teamrunde neu")  # changed on the server
    agenda.delete_appointment(int(cal.local()["uid-t2"].id))  # to the Papierkorb
    code, data = cal.run_cli("calendar", "run", "Kal", "--json", "--details")
    assert code == 0, data

    dialog = ReportDialog(RunReport.from_dict(data))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentIndex(dialog.items_tab)
    items = dialog.items
    assert items is not None
    assert sorted(items.shown_names()) == ["Kundentermin", "Teamrunde neu"]

    # Enter on the changed appointment: its "Termin" dialog, with the title as synced.
    items.select_row(items.shown_names().index("Teamrunde neu"))
    assert items.open_button.isEnabled()
    qtbot.keyClick(items.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(_dialogs(items)) == 1, timeout=5000)
    (opened,) = _dialogs(items)
    assert opened.appointment_id == int(cal.local()["uid-t1"].id)
    assert opened.summary_edit.text() == "Teamrunde neu"
    opened.reject()
    assert _notes(items) == []

    # The deleted one is in the Papierkorb: no dialog, a note says where it is.
    items.select_row(items.shown_names().index("Kundentermin"))
    items.open_button.click()
    qtbot.waitUntil(lambda: _notes(items) != [], timeout=5000)
    assert _notes(items) == ["Dieser Termin liegt im Papierkorb der Termine."]
    assert _dialogs(items) == []
