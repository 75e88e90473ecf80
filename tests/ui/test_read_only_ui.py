"""Books and calendars the server lets the account only read: the setup dialog marks them and
says what that means for the chosen operation; the calendar choice marks them and lists
them last (real Radicale with a rights file, see tests/servers/test_read_only.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.accounts import add_account
from app.sync.modes import Mode
from tests.servers.dav_servers import DavServer
from tests.servers.test_read_only import _filler
from tests.servers.test_read_only import server as rights_server  # noqa: F401
from tests.ui.test_setup_and_run import open_setup
from tests.ui.test_setup_layout import settle
from ui import workers
from ui.setup_dialog import COL_NAME

pytestmark = pytest.mark.servers


@pytest.fixture(autouse=True)
def no_threads_left(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=30_000)


def test_read_only_book_is_marked_and_oneway_is_not_offered_for_it(
    qtbot: QtBot,
    store: Path,
    rights_server: DavServer,  # noqa: F811
) -> None:
    filler = _filler(rights_server)
    tag = uuid.uuid4().hex[:6]
    ro_name, rw_name = f"Firmenkontakte {tag}", f"Eigene {tag}"
    filler.make_book(f"nur-lesen-{tag}", display_name=ro_name)
    filler.make_book(f"eigen-{tag}", display_name=rw_name)
    s = rights_server
    account = add_account("Firma", server=s.root_url, username=s.user, password=s.password)
    dialog = open_setup(qtbot, account)
    settle()
    size = dialog.size()

    rows = {item.data(COL_NAME, 256): item for item in dialog.book_items()}  # UserRole
    assert rows[ro_name].text(COL_NAME) == f"{ro_name} (nur lesen)"
    assert "nur das Lesen" in rows[ro_name].toolTip(COL_NAME)
    assert rows[rw_name].text(COL_NAME) == rw_name

    dialog.set_checked(rw_name)
    dialog.set_mode(Mode.parse("oneway", ""))
    assert dialog.start_button.isEnabled() and dialog.read_only_hint.isHidden()

    dialog.set_checked(ro_name)
    assert not dialog.start_button.isEnabled()
    assert not dialog.read_only_hint.isHidden()
    assert "OneWay-Synchronisation kann dorthin nichts übertragen" in dialog.read_only_hint.text()
    assert f"„{ro_name}“" in dialog.read_only_hint.text()
    settle()
    where = {w: w.geometry() for w in (dialog.tree, dialog.read_only_hint, dialog.start_button)}

    dialog.set_mode(Mode.parse("sync", "server"))
    assert dialog.start_button.isEnabled()
    assert "Änderungen in Contactbox bleiben in Contactbox" in dialog.read_only_hint.text()
    settle()  # the other text in the same room: nothing moved
    assert {w: w.geometry() for w in where} == where
    assert dialog.size() == size

    dialog.set_checked(ro_name, False)
    assert dialog.read_only_hint.isHidden()


def test_read_only_calendars_are_marked_and_offered_last(
    qtbot: QtBot,
    store: Path,
    rights_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A calendar the account may only read (a shared or birthday calendar) could not take
    the user's appointments: it is marked and listed after the writable ones."""
    from app.dav.caldav import make_calendar
    from app.dav.session import DavSession
    from tests.ui.test_users_page import add_account_through_dialog
    from ui.users_page import UsersPage

    tag = uuid.uuid4().hex[:6]
    filler = _filler(rights_server)
    home = f"/{rights_server.user}/"
    with DavSession(filler.root_url, filler.user, filler.password) as session:
        ro = make_calendar(session, home, f"nur-lesen-Geburtstage-{tag}")
        rw = make_calendar(session, home, f"Termine-{tag}")
    page = UsersPage()
    qtbot.addWidget(page)
    page.show()
    try:
        add_account_through_dialog(qtbot, monkeypatch, page, rights_server)
        combo = page.calendar_tab.calendar_combo
        qtbot.waitUntil(lambda: combo.findData(ro.href) >= 0, timeout=30_000)
        ro_row, rw_row = combo.findData(ro.href), combo.findData(rw.href)
        assert rw_row < ro_row
        assert combo.itemText(ro_row) == f"{ro.display_name} (nur lesen)"
        assert "nur das Lesen" in combo.itemData(ro_row, Qt.ItemDataRole.ToolTipRole)
        assert combo.itemText(rw_row) == rw.display_name
    finally:
        qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=30_000)
