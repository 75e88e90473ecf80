"""Trash and history of appointments against a real Radicale, through the agenda's dialogs.

Deleted in the agenda → gone from the server after the next run; restored in the
Papierkorb dialog → back on the server after the next run (and not deleted again); a
conflict's losing version shows up in "Verlauf …" and, restored there, wins on the server.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app import ical
from app.dav.caldav import CalDavClient, RemoteCalendar, find_calendar_homes, make_calendar
from app.dav.session import DavSession
from app.store import agenda
from app.store.models import Account, Appointment, CalendarBinding
from app.sync.calendar_jobs import CalendarJob, add_calendar_account, bind_calendar
from app.sync.report import BookReport
from tests.servers.dav_servers import DavServer
from ui.agenda_view import AgendaPage
from ui.appointment_trash_dialog import AppointmentTrashDialog
from ui.history_dialog import AppointmentHistoryDialog

DAY = datetime(2026, 12, 2)


def _event(uid: str, summary: str, hour: int) -> str:
    return ical.new_event(
        uid, summary, DAY.replace(hour=hour), DAY.replace(hour=hour + 1),
        now=datetime(2026, 1, 1),
    )  # fmt: skip


class Cal:
    """One fresh calendar on Radicale, bound to the current user."""

    def __init__(self, server: DavServer, session: DavSession) -> None:
        self.client = CalDavClient(session)
        home = find_calendar_homes(session)[0]
        self.remote: RemoteCalendar = make_calendar(
            session, home, f"Termine {uuid.uuid4().hex[:6]}"
        )
        user = agenda.current_user()
        self.account: Account = add_calendar_account(
            "Kalender", server=server.root_url, username=server.user,
            password=server.password, user=user,
        )  # fmt: skip
        self.binding_id = int(bind_calendar(self.account, self.remote, user).id)

    def run(self) -> BookReport:
        binding = CalendarBinding.get_by_id(self.binding_id)
        report = CalendarJob(self.account, [binding]).run()
        [book] = report.books
        assert report.status == "ok", (report.message, book.error, book.errors)
        return book

    def events(self) -> dict[str, tuple[str, str, str]]:
        """UID -> (href, etag, text) on the server."""
        listing = self.client.list_etags(self.remote.href)
        return {
            ical.summarize(e.text).uid: (e.href, e.etag, e.text)
            for e in self.client.multiget(self.remote.href, listing.etags)
        }

    def local(self) -> dict[str, Appointment]:
        q = Appointment.select().where(Appointment.deleted_at.is_null())
        return {a.uid: a for a in q}


@pytest.fixture
def cal(store: Path, radicale_server: DavServer) -> Iterator[Cal]:
    with DavSession(
        radicale_server.root_url, radicale_server.user, radicale_server.password
    ) as session:
        yield Cal(radicale_server, session)


@pytest.fixture
def page(qtbot: QtBot, store: Path, monkeypatch: pytest.MonkeyPatch) -> AgendaPage:
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes
    )
    widget = AgendaPage()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    widget.set_date(DAY.date())
    return widget


def test_delete_restore_and_conflict_history_round_trip(
    cal: Cal, page: AgendaPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    cal.client.create(cal.remote.href, _event("rt-1", "Zahnarzt", 9), name="rt-1.ics")
    cal.client.create(cal.remote.href, _event("rt-2", "Kundentermin", 14), name="rt-2.ics")
    assert cal.run().added_local == 2
    page.refresh()
    zahnarzt = next(o for o in page.occurrences if o.summary == "Zahnarzt")

    # Deleted in the agenda: removed from the server by the next run.
    assert page.delete_occurrence(zahnarzt)
    out = cal.run()
    assert (out.deleted_server, out.added_server) == (1, 0)
    assert set(cal.events()) == {"rt-2"}

    # Restored from the Papierkorb dialog: back on the server after the next run.
    shown: list[str] = []

    def restore_in_trash(dlg: AppointmentTrashDialog) -> int:
        shown.extend(dlg.tree.topLevelItem(i).text(4) for i in range(dlg.tree.topLevelItemCount()))
        dlg.select_ids([zahnarzt.appointment_id])
        dlg.restore_button.click()
        return 0

    monkeypatch.setattr(AppointmentTrashDialog, "exec", restore_in_trash)
    with qtbot.waitSignal(page.changed, timeout=2000):
        page.trash_button.click()
    assert shown == ["auch auf dem Server gelöscht"]
    assert [o.summary for o in page.occurrences] == ["Zahnarzt", "Kundentermin"]
    out = cal.run()
    assert (out.added_server, out.deleted_server, out.deleted_local) == (1, 0, 0)
    events = cal.events()
    assert set(events) == {"rt-1", "rt-2"}
    assert ical.summarize(events["rt-1"][2]).summary == "Zahnarzt"
    again = cal.run()  # stable: not deleted again, nothing to do
    assert again.unchanged or not (again.deleted_server or again.deleted_local)
    assert set(cal.events()) == {"rt-1", "rt-2"} and "rt-1" in cal.local()

    # A conflict (preference: server) keeps the local loser in the history ...
    kunde = cal.local()["rt-2"]
    agenda.update_appointment(kunde.id, summary="Kundentermin (lokal)")
    href, etag, text = cal.events()["rt-2"]
    cal.client.update(href, ical.edit_event(text, summary="Kundentermin (Server)"), etag)
    out = cal.run()
    assert (out.conflicts, out.updated_local) == (1, 1)
    assert Appointment.get_by_id(kunde.id).summary == "Kundentermin (Server)"

    # ... and restored from "Verlauf …" it goes to the server on the next run.
    seen: list[tuple[str, ...]] = []

    def restore_loser(dlg: AppointmentHistoryDialog) -> int:
        item = dlg.version_list.item(0)
        cells = [dlg.table.item(0, c) for c in range(3)]
        seen.append((item.text(), *(c.text() if c is not None else "" for c in cells)))
        dlg.restore_button.click()
        return 0

    monkeypatch.setattr(AppointmentHistoryDialog, "exec", restore_loser)
    page.refresh()
    page._set_selected(next(o for o in page.occurrences if o.appointment_id == kunde.id))
    with qtbot.waitSignal(page.changed, timeout=2000):
        page.history_button.click()
    [(version, label, old, new)] = seen
    assert "Konflikt (unterlegene Fassung)" in version
    assert (label, old, new) == ("Betreff", "Kundentermin (lokal)", "Kundentermin (Server)")
    out = cal.run()
    assert (out.updated_server, out.conflicts) == (1, 0)
    assert ical.summarize(cal.events()["rt-2"][2]).summary == "Kundentermin (lokal)"
    assert "Kundentermin (lokal)" in [o.summary for o in page.occurrences]
