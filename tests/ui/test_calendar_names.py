"""A long calendar name is never cut off (issue 16): in Benutzerkonfiguration ▸ "Termin -
Kalendersynchronisation", at the main window's default size, the synced calendar's name
wraps and says "(deaktiviert)" when its sync is off, and the calendar choice ends a long
name with "…" and names it whole in its tooltip. Against a real Radicale."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.dav.caldav import find_calendar_homes, make_calendar
from app.dav.session import DavSession
from app.store import users
from app.store.models import CalendarBinding, User
from app.sync.calendar_jobs import add_calendar_account, bind_calendar, set_calendar_enabled
from tests.servers.conftest import radicale_server  # noqa: F401
from tests.servers.dav_servers import DavServer
from ui import workers
from ui.elided_combo import ElidedComboBox
from ui.main_window import USERS_PAGE, MainWindow

LONG_NAME = "Gemeinsamer Kalender der Geschäftsleitung (Vertretung)"


@pytest.fixture(autouse=True)
def no_threads_left(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=30_000)


def test_a_long_calendar_name_is_whole_and_says_deaktiviert(
    qtbot: QtBot,
    store: Path,
    radicale_server: DavServer,  # noqa: F811
) -> None:
    s = radicale_server
    anna = User.get_by_id(users.add_user("Anna Berger"))
    users.set_current_user(anna.id)
    with DavSession(s.root_url, s.user, s.password) as session:
        home = find_calendar_homes(session)[0]
        calendar = make_calendar(session, home, LONG_NAME)
    account = add_calendar_account(
        "Kalender Anna", server=s.root_url, username=s.user, password=s.password, user=anna
    )
    bind_calendar(account, calendar, anna)
    set_calendar_enabled(CalendarBinding.get(CalendarBinding.user == anna), False)

    window = MainWindow()  # at its default size
    qtbot.addWidget(window)
    window.show()
    window.show_page(USERS_PAGE)
    tab = window.users_page.calendar_tab
    combo = tab.calendar_combo
    qtbot.waitUntil(lambda: combo.findData(calendar.href) >= 0, timeout=30_000)
    QApplication.processEvents()

    label = tab.calendar_name
    assert label.isVisible()
    assert label.text() == f"{LONG_NAME} (deaktiviert)"
    assert label.toolTip().splitlines()[0] == LONG_NAME
    # wrapped into the room it has, not cut off: the height it needs at its width fits
    assert label.fontMetrics().horizontalAdvance(label.text()) > label.width()
    assert label.wordWrap() and label.heightForWidth(label.width()) <= label.height()

    assert isinstance(combo, ElidedComboBox)
    assert combo.currentData() == calendar.href and combo.currentText() == LONG_NAME
    assert combo.toolTip().splitlines()[0] == LONG_NAME
    shown = combo.shown_text()
    assert shown == LONG_NAME or (shown.endswith("…") and LONG_NAME.startswith(shown[:-1]))
