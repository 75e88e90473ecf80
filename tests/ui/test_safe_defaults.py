"""Every confirmation of something destructive defaults to the safe answer.

Each box is opened for real and answered from inside its exec() loop (tests/ui/modal.py):
its default button must be No / Abbrechen, and both Enter (the default button) and Escape
must leave everything as it was. A source check covers every QMessageBox.question in ui/,
including the ones hard to reach in a test (the run window's).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.accounts import add_account
from app.store import agenda as ag
from app.store import backups as bk
from app.store import users
from app.store.contacts import (
    add_contact,
    delete_contact,
    ensure_book,
    get_book,
    list_books,
    update_contact,
)
from app.store.models import (
    Account,
    Appointment,
    Binding,
    CalendarBinding,
    Contact,
    FollowUp,
    User,
)
from app.sync.calendar_jobs import add_calendar_account
from tests.servers.dav_servers import DavServer
from tests.ui.modal import pressing
from ui import workers
from ui.agenda_widgets import ContactAgendaWidget
from ui.appointment_trash_dialog import AppointmentTrashDialog
from ui.backup_dialog import BackupDialog
from ui.book_dialogs import DeleteBookDialog
from ui.contacts_page import ContactsPage
from ui.history_dialog import HistoryDialog
from ui.sync_page import AddressBookSyncPage
from ui.users_page import UsersPage

KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_Return)
UI = Path(__file__).parents[2] / "ui"


def card(uid: str, fn: str, title: str = "") -> str:
    extra = f"TITLE:{title}\r\n" if title else ""
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\n{extra}END:VCARD\r\n"


def refused_both_ways(action: Callable[[], object], state: Callable[[], object]) -> str:
    """Open the box with `action` twice, answer Escape then Enter; the `state` must not
    change and the default button must be the safe one. Returns the box's text."""
    before = state()
    texts: list[str] = []
    for key in KEYS:
        with pressing(key, QDialog) as seen:
            action()
        assert len(seen) == 1, f"no confirmation came for {key!r}"
        assert seen[0]["safe_default"], f"{seen[0]['text']!r}: default is not the safe one"
        assert state() == before, f"{seen[0]['text']!r} did it on {key!r}"
        texts.append(seen[0]["text"])
    assert texts[0] == texts[1]
    return texts[0]


def show(qtbot: QtBot, widget: QDialog | ContactsPage | AddressBookSyncPage | UsersPage) -> None:
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()


# ---------------------------------------------------------------- contacts


def test_emptying_the_contacts_trash(qtbot: QtBot, store: Path) -> None:
    book = ensure_book("Standard")
    delete_contact(add_contact(book, card("u-1", "Anna Becker")))
    page = ContactsPage()
    show(qtbot, page)
    page.trash_toggle.setChecked(True)
    text = refused_both_ways(page.empty_button.click, lambda: Contact.select().count())
    assert "endgültig löschen" in text


def test_several_contacts_to_the_trash(qtbot: QtBot, store: Path) -> None:
    book = ensure_book("Standard")
    for i in range(3):
        add_contact(book, card(f"u-{i}", f"Person {i}"))
    page = ContactsPage()
    show(qtbot, page)
    page.table.selectAll()
    alive = Contact.select().where(Contact.deleted_at.is_null())
    text = refused_both_ways(page.delete_button.click, alive.count)
    assert text == "3 Kontakte in den Papierkorb verschieben?"


def test_deleting_a_book(qtbot: QtBot, store: Path) -> None:
    add_contact(ensure_book("Kunden"), card("k-1", "Karl Kunde"))

    def open_dialog() -> None:
        dialog = DeleteBookDialog("Kunden")
        qtbot.addWidget(dialog)
        dialog.exec()

    refused_both_ways(open_dialog, list_books)


def test_restoring_an_earlier_version_of_a_contact(qtbot: QtBot, store: Path) -> None:
    contact = add_contact(ensure_book("Standard"), card("u-1", "Anna Becker", "Einkauf"))
    update_contact(contact, card("u-1", "Anna Becker", "Vertrieb"))
    dialog = HistoryDialog(contact.id)
    show(qtbot, dialog)
    dialog.version_list.setCurrentRow(0)
    assert dialog.restore_button.isEnabled()
    refused_both_ways(dialog.restore_button.click, lambda: Contact.get_by_id(contact.id).vcard)


# ---------------------------------------------------------------- appointments and follow-ups


def test_emptying_the_appointment_trash(qtbot: QtBot, store: Path) -> None:
    start = datetime(2030, 3, 4, 9)
    aid = ag.add_appointment(None, "Weg damit", start, start + timedelta(hours=1))
    ag.delete_appointment(aid)
    dialog = AppointmentTrashDialog()
    show(qtbot, dialog)
    text = refused_both_ways(dialog.empty_button.click, lambda: Appointment.select().count())
    assert "endgültig löschen" in text


def test_deleting_a_follow_up_for_good(qtbot: QtBot, store: Path) -> None:
    contact = add_contact(ensure_book("Standard"), card("u-1", "Anna Becker"))
    ag.add_followup(contact.id, "Angebot nachfassen", datetime(2030, 3, 4, 9))
    widget = ContactAgendaWidget()
    show(qtbot, widget)  # type: ignore[arg-type]
    widget.set_contact(contact.id)
    widget.followup_list.setCurrentItem(widget.followup_list.topLevelItem(0))
    refused_both_ways(widget.delete_followup_button.click, lambda: FollowUp.select().count())


# ---------------------------------------------------------------- backups


def test_restoring_and_deleting_a_backup(qtbot: QtBot, store: Path) -> None:
    add_contact(ensure_book("Standard"), card("u-1", "Anna Becker"))
    bk.backup_database(store, bk.MANUAL)
    dialog = BackupDialog(path=store)
    show(qtbot, dialog)
    dialog.table.selectRow(0)

    def state() -> object:
        return ([b.path for b in bk.list_backups(store)], store.stat().st_mtime_ns)

    assert "Jetzt wiederherstellen?" in refused_both_ways(dialog.restore_button.click, state)
    assert "endgültig gelöscht" in refused_both_ways(dialog.delete_button.click, state)


# ---------------------------------------------------------------- accounts, books, users


@pytest.fixture
def wait_for_workers(qtbot: QtBot) -> Iterator[None]:
    yield
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=30_000)


def test_removing_an_account_and_a_synced_book(
    qtbot: QtBot, store: Path, radicale_server: DavServer, wait_for_workers: None
) -> None:
    s = radicale_server
    account = add_account("Büro", server=s.root_url, username=s.user, password=s.password)
    binding = Binding.create(
        account=account, remote_href="/alice/kunden/", remote_name="Kunden",
        book=get_book("Standard"), operation="sync", option="server",
    )  # fmt: skip
    page = AddressBookSyncPage()
    show(qtbot, page)
    page.reload_accounts(select_id=account.id)
    state = lambda: (Account.select().count(), Binding.select().count())  # noqa: E731
    assert "„Büro“ wirklich entfernt" in refused_both_ways(page.remove_selected_account, state)
    assert "„Kunden“" in refused_both_ways(lambda: page.remove_book(binding.id), state)


def test_removing_a_user_their_calendar_account_and_calendar(
    qtbot: QtBot, store: Path, radicale_server: DavServer, wait_for_workers: None
) -> None:
    s = radicale_server
    bernd = users.add_user("Bernd")
    account = add_calendar_account(
        "Kalender Bernd", server=s.root_url, username=s.user, password=s.password,
        user=User.get_by_id(bernd),
    )  # fmt: skip
    CalendarBinding.create(
        account=account, user=bernd, remote_href="/alice/termine/", remote_name="Termine"
    )
    page = UsersPage()
    show(qtbot, page)
    page.reload_users(select_id=bernd)
    assert page.selected_user_id() == bernd

    def state() -> object:
        return (users.user_count(), Account.select().count(), CalendarBinding.select().count())

    tab = page.calendar_tab
    assert "„Bernd“ wirklich entfernt" in refused_both_ways(page.remove_button.click, state)
    assert "wirklich entfernt" in refused_both_ways(tab.remove_button.click, state)
    assert "„Termine“" in refused_both_ways(tab.unbind_button.click, state)


# ---------------------------------------------------------------- every question() in ui/


def _question_calls(path: Path) -> list[tuple[int, str | None]]:
    """(line, default button name) of each QMessageBox.question call in a module."""
    found: list[tuple[int, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "question"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "QMessageBox"
        ):
            continue
        default = next((k.value for k in node.keywords if k.arg == "defaultButton"), None)
        if default is None and len(node.args) >= 5:
            default = node.args[4]
        name = default.attr if isinstance(default, ast.Attribute) else None
        found.append((node.lineno, name))
    return found


@pytest.mark.parametrize("module", [p.name for p in sorted(UI.glob("*.py")) if _question_calls(p)])
def test_every_question_in_ui_defaults_to_no_or_cancel(module: str) -> None:
    calls = _question_calls(UI / module)
    unsafe = [(line, name) for line, name in calls if name not in ("No", "Cancel")]
    assert not unsafe, f"ui/{module}: QMessageBox.question without a safe default: {unsafe}"
