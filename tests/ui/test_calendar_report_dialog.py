"""The report of a calendar run, as the window shows it: calendar words, never contacts.

A real calendar sync against Radicale (real SQLite file, memory keyring), started with the
Benutzerkonfiguration's sync button: the report dialog it opens is the
"Synchronisationsbericht" with "Termine auf dem Server", tables headed "Kalender" /
"Termin" — in German and English — and no "Adressbuch", "Kontakt(e)" or "Importbericht"
anywhere in its visible texts. The earlier reports of a calendar account list "Kalender";
a scheduled calendar run's tray notice counts "Termine". An address book run's report still
reads Importbericht / Adressbuch / Kontakte. The dialog is rendered offscreen to a PNG.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app import ical
from app.accounts import add_account
from app.dav.caldav import CalDavClient, find_calendar_homes, make_calendar
from app.dav.session import DavSession
from app.store import agenda
from app.store.models import Account, CalendarBinding, utcnow
from app.sync.calendar_jobs import CalendarJob, add_calendar_account, bind_calendar
from app.sync.jobs import AccountJob, PendingBinding, book_overview
from app.sync.modes import Mode
from app.sync.report import (
    CALENDAR_FIGURE_LABELS_DE,
    FIGURE_LABELS_DE,
    MIXED_FIGURE_LABELS_DE,
    RunReport,
)
from tests.servers.cards import simple_card
from tests.servers.dav_servers import DavServer
from ui import workers
from ui.icons import resources_dir
from ui.report_dialog import ReportDialog, ReportHistoryDialog
from ui.tray import TrayController, open_report
from ui.users_page import UsersPage

WAIT = 30_000
CONTACT_WORDS = ("Adressbuch", "Adressbücher", "Kontakt", "Importbericht")


def _event(uid: str, summary: str, day: int) -> str:
    return ical.new_event(
        uid, summary, datetime(2030, 3, day, 9), datetime(2030, 3, day, 10),
        now=datetime(2025, 1, 1),
    )  # fmt: skip


class Cal:
    """A fresh Radicale calendar with four appointments, bound to the current user."""

    def __init__(self, server: DavServer, session: DavSession) -> None:
        self.client = CalDavClient(session)
        home = find_calendar_homes(session)[0]
        self.name = f"Büro {uuid.uuid4().hex[:6]}"
        remote = make_calendar(session, home, self.name)
        self.href = remote.href
        for i in range(4):
            self.client.create(self.href, _event(f"ev-{i}", f"Besprechung {i}", 2 + i), name=f"{i}")
        user = agenda.current_user()
        self.account: Account = add_calendar_account(
            "Kalender Büro", server=server.root_url, username=server.user,
            password=server.password, user=user,
        )  # fmt: skip
        bind_calendar(self.account, remote, user)

    def conflict_and_guard(self) -> None:
        """One appointment edited on both sides, three deleted on the server."""
        events = {}
        listing = self.client.list_etags(self.href)
        for e in self.client.multiget(self.href, listing.etags):
            events[ical.summarize(e.text).uid] = e
        local = {a.uid: a for a in agenda_appointments()}
        agenda.update_appointment(local["ev-0"].id, summary="Besprechung lokal")
        e0 = events["ev-0"]
        self.client.update(e0.href, ical.edit_event(e0.text, summary="Besprechung Server"), e0.etag)
        for uid in ("ev-1", "ev-2", "ev-3"):
            self.client.delete(events[uid].href, events[uid].etag)


def agenda_appointments() -> list[object]:
    from app.store.models import Appointment

    return list(Appointment.select().where(Appointment.deleted_at.is_null()))


@pytest.fixture
def cal(store: Path, radicale_server: DavServer) -> Iterator[Cal]:
    with DavSession(radicale_server.root_url, radicale_server.user, radicale_server.password) as s:
        yield Cal(radicale_server, s)


@pytest.fixture
def english(qapp: QApplication) -> Iterator[QTranslator]:
    translator = QTranslator()
    assert translator.load(str(resources_dir() / "translations" / "contactbox_en.qm"))
    qapp.installTranslator(translator)
    yield translator
    qapp.removeTranslator(translator)


@pytest.fixture(autouse=True)
def no_threads_left(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=WAIT)


def visible_texts(dialog: QWidget) -> list[str]:
    """Every text the dialog shows: title, labels, tabs, table headers, cells, tooltips,
    buttons."""
    out = [dialog.windowTitle()]
    out += [label.text() for label in dialog.findChildren(QLabel)]
    tabs = getattr(dialog, "tabs", None)
    if tabs is not None:
        out += [tabs.tabText(i) for i in range(tabs.count())]
    for table in dialog.findChildren(QTableWidget):
        for col in range(table.columnCount()):
            header = table.horizontalHeaderItem(col)
            out.append(header.text() if header is not None else "")
        for row in range(table.rowCount()):
            for col in range(table.columnCount()):
                item = table.item(row, col)
                if item is not None:
                    out += [item.text(), item.toolTip()]
    out += [b.text() for b in dialog.findChildren(QPushButton)]
    return out


def headers(table: QTableWidget) -> list[str]:
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def row_labels(table: QTableWidget) -> list[str]:
    return [table.item(r, 0).text().strip() for r in range(table.rowCount())]


def run_from_users_page(qtbot: QtBot) -> tuple[RunReport, ReportDialog]:
    """The current user's calendar synced with "Jetzt abgleichen": its report dialog."""
    page = UsersPage()
    qtbot.addWidget(page)
    page.resize(1000, 620)
    page.show()
    tab = page.calendar_tab
    qtbot.waitUntil(lambda: tab.sync_button.isEnabled(), timeout=WAIT)
    with qtbot.waitSignal(tab.sync_done, timeout=WAIT) as blocker:
        qtbot.mouseClick(tab.sync_button, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    assert report is not None and report.status == "ok", report and report.message
    dialog = tab.report_dialog
    assert isinstance(dialog, ReportDialog) and dialog.isVisible()
    return report, dialog


def test_the_report_of_a_calendar_run_speaks_of_calendars(
    qtbot: QtBot, cal: Cal, english: QTranslator, qapp: QApplication, tmp_path: Path
) -> None:
    qapp.removeTranslator(english)  # German first
    run_from_users_page(qtbot)[1].close()  # the first run imports the four appointments
    cal.conflict_and_guard()
    report, dialog = run_from_users_page(qtbot)
    assert report.books[0].conflicts == 1 and report.books[0].held_back == 3

    texts = visible_texts(dialog)
    assert dialog.windowTitle() == "Synchronisationsbericht"
    assert "Synchronisationsbericht – Account „Kalender Büro“" in texts
    assert row_labels(dialog.figures_table)[:3] == [
        "Bestand", "Termine auf dem Server", "Termine in Contactbox",
    ]  # fmt: skip
    assert headers(dialog.figures_table)[1].startswith(cal.name + "\n")
    assert headers(dialog.conflicts_table) == ["Kalender", "Termin", "Übernommen"]
    assert headers(dialog.errors_table) == ["Kalender", "Termin", "Vorgang", "Grund"]
    assert headers(dialog.notes_table) == ["Kalender", "Hinweis"]
    assert dialog.conflicts_table.item(0, 0).text() == cal.name
    notes = [dialog.notes_table.item(r, 1).text() for r in range(dialog.notes_table.rowCount())]
    assert any("mehr als die Hälfte der abgeglichenen Termine" in n for n in notes)
    assert dialog._suggested_name("csv").rsplit("/", 1)[-1].startswith("Synchronisationsbericht_")
    leaks = [t for t in texts for w in CONTACT_WORDS if w in t]
    assert leaks == []

    # Offscreen rendering of what the user sees.
    shots = tmp_path / "screenshots"
    shots.mkdir()
    dialog.resize(900, 600)
    qtbot.waitExposed(dialog)
    shot = dialog.grab()
    assert not shot.isNull() and shot.width() >= 900
    assert shot.save(str(shots / "calendar-report.png"))
    dialog.tabs.setCurrentWidget(dialog.notes_table)
    assert dialog.grab().save(str(shots / "calendar-report-notes.png"))
    dialog.close()

    # English: the same report in the calendar's English words.
    qapp.installTranslator(english)
    en = ReportDialog(report)
    qtbot.addWidget(en)
    assert en.windowTitle() == "Synchronization report"
    assert row_labels(en.figures_table)[1:3] == [
        "Appointments on the server", "Appointments in Contactbox",
    ]  # fmt: skip
    assert headers(en.conflicts_table) == ["Calendar", "Appointment", "Kept"]
    assert headers(en.notes_table)[0] == "Calendar"
    assert [t for t in visible_texts(en) if "ontact" in t.replace("Contactbox", "")] == []
    en.resize(900, 600)
    assert en.grab().save(str(shots / "calendar-report-en.png"))


def test_earlier_reports_of_a_calendar_account(qtbot: QtBot, cal: Cal) -> None:
    binding = CalendarBinding.get(CalendarBinding.account == cal.account)
    CalendarJob(cal.account, [binding]).run()
    history = ReportHistoryDialog(int(cal.account.id))
    qtbot.addWidget(history)
    assert headers(history.table) == ["Datum", "Art", "Status", "Kalender"]
    assert history.table.item(0, 3).text() == cal.name
    opened = history.open_report(0)
    assert opened is not None
    assert opened.windowTitle() == "Synchronisationsbericht"
    assert [t for t in visible_texts(opened) for w in CONTACT_WORDS if w in t] == []
    opened.close()


def test_an_address_book_report_still_speaks_of_contacts(
    qtbot: QtBot, store: Path, radicale_server: DavServer
) -> None:
    s = radicale_server
    name = f"Kunden {uuid.uuid4().hex[:6]}"
    url = s.make_book(display_name=name)
    s.put_cards(url, {"k.vcf": simple_card(f"k-{uuid.uuid4().hex[:8]}", "Karl Kunde")},
                display_name=name)  # fmt: skip
    account = add_account("Büro", server=s.root_url, username=s.user, password=s.password)
    remote = next(ov.remote for ov in book_overview(account) if ov.remote.display_name == name)
    report = AccountJob(
        account, [], pending=[PendingBinding(remote, Mode.parse("import", "add"))]
    ).run()
    assert report.status == "ok" and report.books[0].collection == "addressbook"
    dialog = ReportDialog(report)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Importbericht"
    assert row_labels(dialog.figures_table)[1:3] == [
        FIGURE_LABELS_DE["server_count"], FIGURE_LABELS_DE["local_count"],
    ]  # fmt: skip
    assert row_labels(dialog.figures_table)[1] == "Kontakte auf dem Server"
    assert headers(dialog.conflicts_table) == ["Adressbuch", "Kontakt", "Übernommen"]
    assert headers(dialog.errors_table)[:2] == ["Adressbuch", "Kontakt"]
    assert not [t for t in visible_texts(dialog) if "Termin" in t or "Kalender" in t]
    history = ReportHistoryDialog(int(account.id))
    qtbot.addWidget(history)
    assert headers(history.table)[3] == "Adressbücher"


def test_a_report_over_both_names_each_book(qtbot: QtBot, cal: Cal) -> None:
    binding = CalendarBinding.get(CalendarBinding.account == cal.account)
    calendar = CalendarJob(cal.account, [binding]).run()
    both = RunReport.from_dict(calendar.to_dict())
    book = RunReport.from_dict(calendar.to_dict()).books[0]
    book.collection, book.book = "addressbook", "Kunden"
    both.books.insert(0, book)
    dialog = ReportDialog(both)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Synchronisationsbericht"
    head = headers(dialog.figures_table)
    assert head[1].startswith("Adressbuch „Kunden“\n")
    assert head[2].startswith(f"Kalender „{cal.name}“\n")
    assert row_labels(dialog.figures_table)[1] == MIXED_FIGURE_LABELS_DE["server_count"]
    assert headers(dialog.conflicts_table)[:2] == ["Adressbuch / Kalender", "Kontakt / Termin"]


def test_a_scheduled_calendar_run_notifies_in_appointments(qtbot: QtBot, cal: Cal) -> None:
    """The tray's notice of held-back deletions in a calendar speaks of appointments, and
    clicking it opens the Synchronisationsbericht."""
    window = QMainWindow()
    qtbot.addWidget(window)
    now = [utcnow()]
    tray = TrayController(
        window, available=lambda: True, clock=lambda: now[0], tick_ms=3_600_000,
        first_tick_ms=-1, quit_app=lambda: None,
    )  # fmt: skip
    notes: list[tuple[str, str, int]] = []
    tray.notified.connect(lambda *n: notes.append(n))

    def scheduled_run() -> None:
        tray.tick()
        assert tray._job is not None
        qtbot.waitUntil(lambda: tray._job is None, timeout=WAIT)
        qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=WAIT)

    scheduled_run()
    assert len(agenda_appointments()) == 4 and notes == []
    cal.conflict_and_guard()
    now[0] += timedelta(minutes=cal.account.interval_minutes + 1)
    scheduled_run()
    [(_title, text, report_id)] = notes
    assert "3 Löschungen in „" in text
    assert "mehr als die Hälfte der Termine fehlt" in text
    assert "1 Konflikt wurde gelöst" in text
    assert "Kontakt" not in text
    dialog = open_report(report_id)
    assert isinstance(dialog, ReportDialog)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Synchronisationsbericht"
    assert row_labels(dialog.figures_table)[1] == CALENDAR_FIGURE_LABELS_DE["server_count"]
    dialog.close()
    tray.quit(timeout_ms=WAIT)
