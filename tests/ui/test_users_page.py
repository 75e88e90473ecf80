"""Benutzerkonfiguration: users, the current user, per-user calendar accounts and sync.

Against a real Radicale (tests/servers), a real SQLite file and the memory keyring.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app import ical
from app.dav.caldav import CalDavClient, find_calendar_homes, make_calendar
from app.dav.session import DavSession
from app.store import agenda as ag
from app.store import contacts as cs
from app.store import users
from app.store.models import Account, Appointment, CalendarBinding, User
from tests.servers.dav_servers import DavServer
from ui import workers
from ui.calendar_account_dialog import CalendarAccountDialog
from ui.users_page import UsersPage, user_hub

WAIT = 20000


@pytest.fixture
def users_page(qtbot: QtBot, store: Path) -> Iterator[UsersPage]:
    page = UsersPage()
    qtbot.addWidget(page)
    page.resize(1000, 620)
    page.show()
    yield page
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=WAIT)


@pytest.fixture
def session(radicale_server: DavServer) -> Iterator[DavSession]:
    with DavSession(radicale_server.root_url, radicale_server.user, radicale_server.password) as s:
        yield s


def new_calendar(session: DavSession, name: str, *events: tuple[str, str]) -> str:
    """A calendar on Radicale holding events (uid, summary); its href."""
    home = find_calendar_homes(session)[0]
    cal = make_calendar(session, home, name)
    client = CalDavClient(session)
    for i, (uid, summary) in enumerate(events):
        text = ical.new_event(
            uid, summary, datetime(2030, 3, 2 + i, 9), datetime(2030, 3, 2 + i, 10),
            now=datetime(2025, 1, 1),
        )  # fmt: skip
        client.create(cal.href, text, name=f"{uid}.ics")
    return cal.href


def server_summaries(session: DavSession, href: str) -> set[str]:
    client = CalDavClient(session)
    listing = client.list_etags(href)
    return {ical.summarize(e.text).summary for e in client.multiget(href, listing.etags)}


def fill(dialog: CalendarAccountDialog, server: DavServer, password: str) -> None:
    dialog.server_edit.setText(server.root_url)
    dialog.username_edit.setText(server.user)
    dialog.password_edit.setText(password)


def answer_names(monkeypatch: pytest.MonkeyPatch, *names: str) -> list[str]:
    """QInputDialog.getText answers `names` in turn; returns the prompts it was shown."""
    queue = list(names)
    prompts: list[str] = []

    def get_text(_parent: Any, _title: str, prompt: str, *_args: Any) -> tuple[str, bool]:
        prompts.append(prompt)
        return queue.pop(0), True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    return prompts


def add_account_through_dialog(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, page: UsersPage, server: DavServer
) -> None:
    """Click "Account hinzufügen"; the (real) dialog is filled, checked and saved."""

    def exec_(dialog: CalendarAccountDialog) -> int:
        fill(dialog, server, server.password)
        qtbot.waitUntil(lambda: dialog.ok_button.isEnabled(), timeout=WAIT)
        dialog.ok_button.click()
        return int(dialog.result())

    monkeypatch.setattr(CalendarAccountDialog, "exec", exec_)
    page.calendar_tab.add_button.click()


def choose(page: UsersPage, qtbot: QtBot, href: str) -> None:
    combo = page.calendar_tab.calendar_combo
    qtbot.waitUntil(lambda: combo.findData(href) >= 0, timeout=WAIT)
    combo.setCurrentIndex(combo.findData(href))
    page.calendar_tab.bind_button.click()


def sync(page: UsersPage, qtbot: QtBot) -> Any:
    tab = page.calendar_tab
    with qtbot.waitSignal(tab.sync_done, timeout=WAIT) as blocker:
        qtbot.mouseClick(tab.sync_button, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    assert report is not None and report.status == "ok", report and report.message
    assert tab.report_dialog is not None and tab.report_dialog.isVisible()
    tab.report_dialog.close()
    return report


def select(page: UsersPage, user_id: int) -> None:
    for row in range(page.user_list.count()):
        item = page.user_list.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == user_id:
            page.user_list.setCurrentItem(item)
            return
    raise AssertionError(f"user {user_id} not listed")


# ---------------------------------------------------------------- the account dialog


def test_dialog_checks_live_wrong_password_in_german_then_saves(
    qtbot: QtBot, store: Path, radicale_server: DavServer, session: DavSession
) -> None:
    href = new_calendar(session, f"Dialog {uuid.uuid4().hex[:6]}")
    user_id = users.add_user("Anna")
    dialog = CalendarAccountDialog(user_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.label_edit.isVisible() and not dialog.preset_combo.isVisible()
    assert dialog.port_edit.placeholderText() == "automatisch"
    assert dialog.path_edit.placeholderText() == "automatisch"

    fill(dialog, radicale_server, "falsch")
    assert dialog.is_checking()  # debounced: the check starts by itself after a pause
    qtbot.waitUntil(lambda: dialog.status_label.property("state") == "error", timeout=WAIT)
    assert "Benutzername oder Passwort ist falsch" in dialog.status_text()
    assert not dialog.ok_button.isEnabled()

    dialog.password_edit.setText(radicale_server.password)
    qtbot.waitUntil(lambda: dialog.status_label.property("state") == "ok", timeout=WAIT)
    assert "Verbindung erfolgreich" in dialog.status_text()
    assert any(c.href == href for c in dialog.calendars)  # discovery from the bare root
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()

    account = Account.get_by_id(dialog.saved_account_id)
    assert (account.kind, account.user_id, account.label) == ("caldav", user_id, "Kalender Anna")
    assert dialog.result() == QDialog.DialogCode.Accepted


# ---------------------------------------------------------------- users


def test_the_last_user_is_not_removed_and_the_user_is_told_in_german(
    qtbot: QtBot, users_page: UsersPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: told.append(text))
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a: pytest.fail("no confirmation for the last user")
    )
    assert users_page.user_list.count() == 1
    users_page.remove_button.click()
    assert len(told) == 1 and "kann nicht entfernt werden" in told[0]
    assert User.select().count() == 1


def test_add_rename_make_current_and_remove_users(
    qtbot: QtBot, users_page: UsersPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_names(monkeypatch, "Anna", "Anna Berg")
    users_page.add_button.click()
    anna = User.get(User.name == "Anna").id
    assert users_page.selected_user_id() == anna  # the new user is selected
    users_page.rename_button.click()
    assert users_page.user_title.text() == "Anna Berg"
    assert not users_page.current_badge.isVisible()

    with qtbot.waitSignal(user_hub.changed, timeout=1000) as blocker:
        users_page.make_current_button.click()
    assert blocker.args == [anna]
    assert users.current_user_id() == anna
    assert users_page.current_badge.isVisible()
    assert not users_page.make_current_button.isVisible()
    assert "(aktuell)" in users_page.user_list.currentItem().text()

    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_args: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    with qtbot.waitSignal(user_hub.changed, timeout=1000):
        users_page.remove_button.click()
    assert "„Anna Berg“ wirklich entfernt" in asked[0]
    assert User.get_or_none(User.id == anna) is None
    assert users.current_user_id() == User.get(User.is_default).id
    assert users_page.user_list.count() == 1


def test_a_duplicate_name_is_refused_with_a_message(
    users_page: UsersPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: told.append(text))
    answer_names(monkeypatch, "Standardbenutzer")
    users_page.add_button.click()
    assert told == ["Einen Benutzer „Standardbenutzer“ gibt es bereits."]


# ---------------------------------------------------------------- calendar sync, two users


def test_two_users_sync_their_own_calendars_and_the_current_user_decides(
    qtbot: QtBot,
    users_page: UsersPage,
    radicale_server: DavServer,
    session: DavSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tag = uuid.uuid4().hex[:6]
    anna_href = new_calendar(session, f"Anna {tag}", (f"a-{tag}", "Vom Server für Anna"))
    kunde = int(cs.add_contact(cs.get_book("Standard"), _card()).id)

    # Anna: a discovered calendar.
    answer_names(monkeypatch, "Anna", "Bernd", f"Bernd {tag}")
    users_page.add_button.click()
    anna = users_page.selected_user_id()
    assert anna is not None
    add_account_through_dialog(qtbot, monkeypatch, users_page, radicale_server)
    tab = users_page.calendar_tab
    assert tab.account_title.text() == "Kalender Anna"
    choose(users_page, qtbot, anna_href)
    binding = CalendarBinding.get(CalendarBinding.user == anna)
    assert binding.remote_href == anna_href and binding.enabled
    assert tab.row.isVisible() and "noch nie" in tab.status_line.text()

    # "Jetzt synchronisieren": the server's event becomes Anna's appointment.
    sync(users_page, qtbot)
    summaries = {a.summary for a in Appointment.select().where(Appointment.user == anna)}
    assert summaries == {"Vom Server für Anna"}
    assert "Letzter Abgleich" in tab.status_line.text()
    assert "erfolgreich" in tab.status_line.text()

    # Bernd: "Neuen Kalender anlegen …" on the same server, same login.
    users_page.add_button.click()
    bernd = users_page.selected_user_id()
    assert bernd is not None and bernd != anna
    assert not tab.row.isVisible() and tab.no_account.isVisible()
    add_account_through_dialog(qtbot, monkeypatch, users_page, radicale_server)
    assert tab.account_title.text() == "Kalender Bernd"
    combo = tab.calendar_combo
    qtbot.waitUntil(lambda: combo.findData(anna_href) >= 0, timeout=WAIT)
    combo.setCurrentIndex(combo.findData("__new__"))
    tab.bind_button.click()
    qtbot.waitUntil(
        lambda: CalendarBinding.get_or_none(CalendarBinding.user == bernd) is not None,
        timeout=WAIT,
    )
    bernd_href = CalendarBinding.get(CalendarBinding.user == bernd).remote_href
    assert bernd_href != anna_href
    assert tab.calendar_name.text() == f"Bernd {tag}"

    # The current user decides what the agenda shows and where new appointments go.
    select(users_page, anna)
    with qtbot.waitSignal(user_hub.changed, timeout=1000):
        users_page.make_current_button.click()
    ag.add_appointment(kunde, "Annas Kundentermin", datetime(2030, 4, 1, 9), None)
    select(users_page, bernd)
    users_page.make_current_button.click()
    assert ag.appointments_for_contact(kunde) == []
    ag.add_appointment(kunde, "Bernds Kundentermin", datetime(2030, 4, 2, 9), None)
    assert [a.summary for a in ag.appointments_for_contact(kunde)] == ["Bernds Kundentermin"]
    users.set_current_user(anna)
    assert [a.summary for a in ag.appointments_for_contact(kunde)] == ["Annas Kundentermin"]

    # Each user's appointments go to that user's calendar only.
    sync(users_page, qtbot)  # Bernd is selected
    select(users_page, anna)
    sync(users_page, qtbot)
    assert server_summaries(session, bernd_href) == {"Bernds Kundentermin"}
    assert server_summaries(session, anna_href) == {"Vom Server für Anna", "Annas Kundentermin"}

    # deaktivieren: no sync button; aktivieren again.
    tab.toggle_button.click()
    assert not CalendarBinding.get(CalendarBinding.user == anna).enabled
    assert not tab.sync_button.isEnabled() and tab.toggle_button.text() == "aktivieren"
    tab.toggle_button.click()
    assert CalendarBinding.get(CalendarBinding.user == anna).enabled

    # Removing the account asks first; "Nein" keeps it, "Ja" removes it, appointments stay.
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_args: Any) -> Any:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    tab.remove_button.click()
    assert Account.get_or_none(Account.label == "Kalender Anna") is not None
    tab.remove_button.click()
    assert "„Kalender Anna“ wirklich entfernt" in asked[-1]
    assert Account.get_or_none(Account.label == "Kalender Anna") is None
    assert CalendarBinding.get_or_none(CalendarBinding.user == anna) is None
    assert Appointment.select().where(Appointment.user == anna).count() == 2
    assert tab.no_account.isVisible() and tab.add_button.isEnabled()


def _card() -> str:
    return "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:kunde-1\r\nFN:Kunde\r\nN:Kunde;;;;\r\nEND:VCARD\r\n"


def test_the_conflict_preference_is_chosen_in_the_tab_and_kept(
    qtbot: QtBot,
    users_page: UsersPage,
    radicale_server: DavServer,
    session: DavSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.sync.calendar_jobs import set_calendar_preference
    from app.sync.jobs import JobError

    tag = uuid.uuid4().hex[:6]
    href = new_calendar(session, f"Konflikt {tag}")
    answer_names(monkeypatch, f"Carla {tag}")
    users_page.add_button.click()
    carla = users_page.selected_user_id()
    add_account_through_dialog(qtbot, monkeypatch, users_page, radicale_server)
    tab = users_page.calendar_tab
    assert not tab.prefer_box.isVisible()  # no calendar yet: nothing to prefer
    choose(users_page, qtbot, href)
    combo = tab.prefer_combo
    assert tab.prefer_box.isVisible() and combo.currentData() == "server"  # the default
    combo.setCurrentIndex(combo.findData("contactbox"))
    combo.activated.emit(combo.currentIndex())
    assert CalendarBinding.get(CalendarBinding.user == carla).prefer == "contactbox"

    again = UsersPage()
    qtbot.addWidget(again)
    select(again, carla)
    assert again.calendar_tab.prefer_combo.currentData() == "contactbox"
    with pytest.raises(JobError):
        set_calendar_preference(CalendarBinding.get(CalendarBinding.user == carla), "beide")
