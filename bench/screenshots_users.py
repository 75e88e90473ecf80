"""Render the user and appointment screenshots against a throw-away Radicale.

    python -m bench.screenshots_users [--out docs/screenshots] [--only NAME ...]

users.png, calendar-account.png, and for the agenda's dialogs appointment-history.png (a
conflict's losing version beside the current appointment) and appointment-trash.png (what
was deleted where). Offscreen, in the time zone Europe/Berlin; a temporary database and a
memory keyring backend. Look at the pictures before committing them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
from PySide6.QtWidgets import QApplication, QWidget

from tests.conftest import MemoryKeyring
from tests.servers.dav_servers import start_radicale

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("users", "calendar-account", "appointment-history", "appointment-trash")


def settle(app: QApplication, until: object = None, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if until is None or until():  # type: ignore[operator]
            for _ in range(10):  # what the change set off is painted too
                app.processEvents()
            return
        time.sleep(0.02)
    raise TimeoutError("the screen did not settle")


def save(app: QApplication, widget: QWidget, path: Path) -> None:
    widget.show()
    settle(app)
    widget.grab().save(str(path))
    print(path)


def render(out: Path, only: Sequence[str] = NAMES) -> None:
    from app import ical
    from app.dav.caldav import CalDavClient, find_calendar_homes, make_calendar
    from app.dav.session import DavSession
    from app.store import users
    from app.store.db import open_database
    from app.store.models import Account, CalendarBinding, User
    from app.sync.calendar_jobs import CalendarJob, add_calendar_account, bind_calendar
    from ui.calendar_account_dialog import CalendarAccountDialog
    from ui.users_page import UsersPage

    os.environ["TZ"] = "Europe/Berlin"  # the times in the pictures are German office hours
    time.tzset()
    app = QApplication.instance() or QApplication(sys.argv)
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory() as tmp, start_radicale(Path(tmp)) as server:
        open_database(Path(tmp) / "contactbox.sqlite3")
        User.update(name="Büro").where(User.is_default).execute()
        anna = User.get_by_id(users.add_user("Anna Berger"))
        users.add_user("Bernd Krause")
        users.set_current_user(anna.id)
        with DavSession(server.root_url, server.user, server.password) as s:
            home = find_calendar_homes(s)[0]
            cal = make_calendar(s, home, "Anna – Termine")
            make_calendar(s, home, "Urlaubsplanung")
            client = CalDavClient(s)
            for day, summary in ((3, "Kundentermin Müller GmbH"), (4, "Messe Hannover")):
                text = ical.new_event(
                    f"shot-{day}", summary, datetime(2026, 12, day, 9),
                    datetime(2026, 12, day, 11), now=datetime(2026, 1, 1),
                )  # fmt: skip
                client.create(cal.href, text, name=f"shot-{day}.ics")
        account = add_calendar_account(
            "Kalender Anna Berger", server=server.root_url, username=server.user,
            password=server.password, user=anna,
        )  # fmt: skip
        bind_calendar(account, cal, anna)
        CalendarJob(account, [CalendarBinding.get(CalendarBinding.user == anna)]).run()

        if "users" in only:
            page = UsersPage()
            page.resize(1000, 620)
            page.show()
            combo = page.calendar_tab.calendar_combo
            settle(app, lambda: combo.count() > 2)
            save(app, page, out / "users.png")
            page.close()

        if "calendar-account" in only:
            dialog = CalendarAccountDialog(int(anna.id), None, account_id=int(Account.get().id))
            dialog.password_edit.setText("")
            dialog.show()
            settle(app, lambda: dialog.status_label.property("state") == "ok")
            save(app, dialog, out / "calendar-account.png")
            dialog.close()
        settle(app)

        if {"appointment-history", "appointment-trash"} & set(only):
            with DavSession(server.root_url, server.user, server.password) as s:
                render_appointments(app, out, only, account, anna, CalDavClient(s), cal.href)


def render_appointments(
    app: QApplication,
    out: Path,
    only: Sequence[str],
    account: Any,
    user: Any,
    client: Any,
    cal_href: str,
) -> None:
    """A conflict in the history, and a trash with each way of getting there."""
    from app import ical
    from app.store import agenda
    from app.store.agenda import local_to_utc
    from app.store.models import Appointment, CalendarBinding
    from app.sync.calendar_jobs import CalendarJob
    from ui.appointment_trash_dialog import AppointmentTrashDialog
    from ui.history_dialog import AppointmentHistoryDialog

    def at(day: int, hour: int, minute: int = 0) -> datetime:
        return local_to_utc(datetime(2026, 12, day, hour, minute))

    def sync() -> None:
        binding = CalendarBinding.get(CalendarBinding.user == user)
        report = CalendarJob(account, [binding]).run()
        assert report.status == "ok", report.message

    def server_edit(uid: str, **fields: Any) -> None:
        listing = client.list_etags(cal_href)
        for e in client.multiget(cal_href, listing.etags):
            if ical.summarize(e.text).uid == uid:
                client.update(e.href, ical.edit_event(e.text, **fields), e.etag)
                return
        raise LookupError(uid)

    events = (
        ("shot-7", "Jour fixe Vertrieb", 7, 9, 10),
        ("shot-8", "Steuerberater Dr. Weber", 8, 14, 15),
        ("shot-9", "Zahnarzt", 9, 8, 9),
        ("shot-10", "Lieferantengespräch Krause", 10, 11, 12),
        ("shot-11", "Schulung Datenschutz", 11, 13, 16),
    )
    for uid, summary, day, begin, end in events:
        text = ical.new_event(uid, summary, at(day, begin), at(day, end), now=datetime(2026, 1, 1))
        client.create(cal_href, text, name=f"{uid}.ics")
    sync()
    local = {a.uid: a for a in Appointment.select().where(Appointment.deleted_at.is_null())}

    # The history: edited here, then changed on the server meanwhile -> a conflict.
    kunde = local["shot-3"]
    agenda.update_appointment(kunde.id, location="Besprechungsraum 2")
    sync()
    agenda.update_appointment(
        kunde.id, summary="Kundentermin Müller GmbH – Vertragsverlängerung",
        location="Müller GmbH, Hannover", start=at(3, 10), end=at(3, 12),
    )  # fmt: skip
    server_edit("shot-3", summary="Kundentermin Müller GmbH (verschoben)",
                start=at(4, 14), end=at(4, 16))  # fmt: skip
    sync()
    if "appointment-history" in only:
        history = AppointmentHistoryDialog(int(kunde.id))
        history.resize(980, 560)
        save(app, history, out / "appointment-history.png")
        history.close()

    # The trash: deleted here and synced, deleted here not yet synced, deleted on the server,
    # and one that never was on a server.
    agenda.delete_appointment(local["shot-8"].id)
    listing = client.list_etags(cal_href)
    for e in client.multiget(cal_href, listing.etags):
        if ical.summarize(e.text).uid == "shot-10":
            client.delete(e.href, e.etag)
    sync()
    agenda.delete_appointment(local["shot-9"].id)  # the next sync will delete it there
    only_here = agenda.add_appointment(None, "Notiz: Rückruf Bank", at(14, 10), at(14, 10, 30))
    agenda.delete_appointment(only_here)
    if "appointment-trash" in only:
        trash = AppointmentTrashDialog(user)
        trash.resize(1060, 330)
        trash.select_ids([int(local["shot-9"].id)])
        save(app, trash, out / "appointment-trash.png")
        trash.close()
    settle(app)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", nargs="+", choices=NAMES, default=list(NAMES))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    render(args.out, args.only)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
