"""Render docs/screenshots/users.png and calendar-account.png against a throw-away Radicale.

    python -m bench.screenshots_users [--out docs/screenshots]

Offscreen; a temporary database and keyring-free memory backend. Look at the pictures
before committing them.
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
from PySide6.QtWidgets import QApplication, QWidget

from tests.conftest import MemoryKeyring
from tests.servers.dav_servers import start_radicale

ROOT = Path(__file__).resolve().parent.parent


def settle(app: QApplication, until: object = None, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if until is None or until():  # type: ignore[operator]
            if until is None:
                for _ in range(10):
                    app.processEvents()
            return
        time.sleep(0.02)
    raise TimeoutError("the screen did not settle")


def save(app: QApplication, widget: QWidget, path: Path) -> None:
    widget.show()
    settle(app)
    widget.grab().save(str(path))
    print(path)


def render(out: Path) -> None:
    from app import ical
    from app.dav.caldav import CalDavClient, find_calendar_homes, make_calendar
    from app.dav.session import DavSession
    from app.store import users
    from app.store.db import open_database
    from app.store.models import Account, CalendarBinding, User
    from app.sync.calendar_jobs import CalendarJob, add_calendar_account, bind_calendar
    from ui.calendar_account_dialog import CalendarAccountDialog
    from ui.users_page import UsersPage

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

        page = UsersPage()
        page.resize(1000, 620)
        page.show()
        combo = page.calendar_tab.calendar_combo
        settle(app, lambda: combo.count() > 2)
        save(app, page, out / "users.png")

        dialog = CalendarAccountDialog(int(anna.id), None, account_id=int(Account.get().id))
        dialog.password_edit.setText("")
        dialog.show()
        settle(app, lambda: dialog.status_label.property("state") == "ok")
        save(app, dialog, out / "calendar-account.png")
        page.close()
        dialog.close()
        settle(app)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    render(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
