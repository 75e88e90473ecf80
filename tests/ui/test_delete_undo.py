"""Deleting on the Kontakte page: one contact at once with "Rückgängig", several after one
confirmation naming the count; the undo restores exactly (same id, UID, card, time of
change and sync state), so a sync afterwards has nothing to do (real Radicale). The same
for an appointment in the agenda and the calendar sync."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.accounts import add_account
from app.dav.session import DavSession
from app.store.contacts import add_contact, empty_trash, ensure_book, get_book
from app.store.models import Account, Binding, Contact, ItemState, Tombstone
from app.sync.jobs import AccountJob
from app.sync.modes import Mode
from app.sync.report import RunReport
from tests.servers.dav_servers import DavServer
from tests.ui.modal import clicking, pressing
from tests.ui.test_appointment_trash_radicale import DAY, Cal, _event
from tests.ui.test_contacts_e2e import bind, seeded
from ui.agenda_view import AgendaPage
from ui.contacts_page import ContactsPage

PEOPLE = ("Anna Becker", "Björn Schäfer", "Jürgen Müller", "Özlem Yılmaz")


def card(uid: str, fn: str) -> str:
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\nN:{fn};;;;\r\nEND:VCARD\r\n"


@pytest.fixture
def people(store: Path) -> None:
    book = ensure_book("Standard")
    for i, fn in enumerate(PEOPLE):
        add_contact(book, card(f"u-{i}", fn))


@pytest.fixture
def no_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deleting one contact asks nothing: any message box fails the test."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a: pytest.fail("asked"))
    monkeypatch.setattr(QMessageBox, "exec", lambda *a: pytest.fail("asked"))


def open_page(qtbot: QtBot, book: str = "Standard") -> ContactsPage:
    page = ContactsPage()
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.select_book(book)
    return page


def focus_table(qtbot: QtBot, page: ContactsPage) -> None:
    """Keys go where a user's would: the page's window active, the table focused."""
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=10_000)
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus, timeout=10_000)


def names(page: ContactsPage) -> list[str]:
    m = page.model
    return [m.data(m.index(r, 0)) for r in range(m.rowCount())]


def select(page: ContactsPage, *wanted: str) -> None:
    page.table.clearSelection()
    sm = page.table.selectionModel()
    for r, name in enumerate(names(page)):
        if name in wanted:
            sm.select(page.model.index(r, 0), sm.SelectionFlag.Select | sm.SelectionFlag.Rows)


def row_of(contact: Contact) -> tuple[object, ...]:
    """Everything stored about a contact, to compare before and after."""
    c = Contact.get_by_id(contact.id)
    return (c.id, c.uid, c.book_id, c.vcard, c.hash, c.modified, c.deleted_at)


def test_one_contact_goes_at_once_and_rueckgaengig_brings_it_back_exactly(
    qtbot: QtBot, people: None, no_questions: None
) -> None:
    page = open_page(qtbot)
    [anna] = Contact.select().where(Contact.fn == "Anna Becker")
    before = row_of(anna)
    select(page, "Anna Becker")
    focus_table(qtbot, page)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)  # Entf

    assert "Anna Becker" not in names(page)
    assert Contact.get_by_id(anna.id).deleted_at is not None
    assert page.book_list.topLevelItem(0).text(0) == "Standard (3)"
    bar = page.undo_bar
    assert bar.isVisible() and bar.undo_button.text() == "Rückgängig"
    assert bar.label.text() == "„Anna Becker“ wurde in den Papierkorb verschoben."
    assert bar.timer.isActive() and bar.timer.interval() == 8000  # a QTimer, not a sleep

    qtbot.mouseClick(bar.undo_button, Qt.MouseButton.LeftButton)
    assert row_of(anna) == before  # same id, UID, card and time of change
    assert "Anna Becker" in names(page)
    assert page.current_contact_id() == anna.id  # selected again
    assert page.book_list.topLevelItem(0).text(0) == "Standard (4)"
    assert not bar.isVisible() and not bar.pending()


def test_the_context_menu_and_strg_z(qtbot: QtBot, people: None, no_questions: None) -> None:
    page = open_page(qtbot)
    select(page, "Jürgen Müller")
    menu = page.table_menu()
    [action] = [a for a in menu.actions() if a.text() == "In den Papierkorb"]
    action.trigger()
    assert "Jürgen Müller" not in names(page)
    assert page.undo_bar.isVisible()
    focus_table(qtbot, page)
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # Strg+Z
    assert "Jürgen Müller" in names(page)
    assert not page.undo_bar.isVisible()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing
    assert names(page) == list(PEOPLE)


def test_the_offer_ends_after_its_time_and_the_contact_stays_in_the_trash(
    qtbot: QtBot, people: None, no_questions: None
) -> None:
    page = open_page(qtbot)
    select(page, "Anna Becker")
    page.delete_selected()
    page.undo_bar.timer.timeout.emit()  # the 8 s are over
    assert not page.undo_bar.isVisible() and not page.undo_bar.pending()
    page.undo_bar.undo()  # nothing to undo any more
    assert "Anna Becker" not in names(page)
    page.trash_toggle.setChecked(True)
    assert names(page) == ["Anna Becker"]


def test_a_second_deletion_replaces_the_offer(
    qtbot: QtBot, people: None, no_questions: None
) -> None:
    page = open_page(qtbot)
    select(page, "Anna Becker")
    page.delete_selected()
    select(page, "Björn Schäfer")
    page.delete_selected()
    assert page.undo_bar.label.text() == "„Björn Schäfer“ wurde in den Papierkorb verschoben."
    page.undo_bar.undo_button.click()
    assert "Björn Schäfer" in names(page) and "Anna Becker" not in names(page)


def test_several_ask_once_naming_the_count_and_abbrechen_is_the_default(
    qtbot: QtBot, people: None
) -> None:
    page = open_page(qtbot)
    select(page, "Anna Becker", "Björn Schäfer", "Özlem Yılmaz")
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Return):
        with pressing(key) as seen:
            page.delete_button.click()
        assert [s["text"] for s in seen] == ["3 Kontakte in den Papierkorb verschieben?"]
        assert seen[0]["safe_default"]  # Enter and Escape both keep the contacts
        assert len(names(page)) == 4
        assert not page.undo_bar.isVisible()

    focus_table(qtbot, page)
    with clicking("In den Papierkorb") as seen:
        qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert len(seen) == 1
    assert names(page) == ["Jürgen Müller"]
    bar = page.undo_bar
    assert bar.label.text() == "3 Kontakte wurden in den Papierkorb verschoben."
    bar.undo_button.click()
    assert len(names(page)) == 4
    assert Contact.select().where(Contact.deleted_at.is_null(False)).count() == 0


def test_rueckgaengig_after_the_trash_was_emptied_says_so(
    qtbot: QtBot, people: None, no_questions: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_page(qtbot)
    select(page, "Anna Becker")
    page.delete_selected()
    empty_trash(get_book("Standard"))  # e.g. by another window
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _p, _t, text, *_a: warnings.append(text) or 0
    )
    page.undo_bar.undo_button.click()
    assert len(warnings) == 1 and warnings[0].startswith("Anna Becker: ")
    assert "Anna Becker" not in names(page)


def test_a_synced_contact_restored_leaves_no_tombstone_and_keeps_its_state(
    qtbot: QtBot, people: None, no_questions: None
) -> None:
    [anna] = Contact.select().where(Contact.fn == "Anna Becker")
    account = Account.create(label="Büro", username="u", server="dav.example")
    binding = Binding.create(
        account=account, remote_href="/std/", book=get_book("Standard"), operation="sync",
        option="server",
    )  # fmt: skip
    ItemState.create(binding=binding, href="/std/u-0.vcf", uid="u-0", contact_id=anna.id,
                     etag='"1"', remote_hash="r", local_hash=anna.hash)  # fmt: skip
    state = ItemState.select().dicts().get()
    page = open_page(qtbot)
    select(page, "Anna Becker")
    page.delete_selected()
    assert Tombstone.select().where(Tombstone.uid == "u-0").count() == 1  # a delete to send
    page.undo_bar.undo_button.click()
    assert Tombstone.select().count() == 0  # nothing to send any more
    assert ItemState.select().dicts().get() == state


# ---------------------------------------------------------------- real Radicale


def test_delete_and_rueckgaengig_leave_nothing_for_the_sync(
    qtbot: QtBot,
    store: Path,
    radicale_server: DavServer,
    no_questions: None,
) -> None:
    s = radicale_server
    account = add_account("Büro", server=s.root_url, username=s.user, password=s.password)
    name = f"Kunden {uuid.uuid4().hex[:6]}"
    url = seeded(s, name)
    binding = bind(account, name, Mode.parse("import", "add"))
    sync(account, binding)
    binding = bind(account, name, Mode.parse("sync", "contactbox"))
    sync(account, binding)  # links the two sides
    etags = s.list_etags(url)
    assert len(etags) == 2

    page = open_page(qtbot, name)
    [greta] = Contact.select().where(Contact.fn == "Greta Lindner")
    before = row_of(greta)
    select(page, "Greta Lindner")
    focus_table(qtbot, page)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert "Greta Lindner" not in names(page)
    qtbot.mouseClick(page.undo_bar.undo_button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert row_of(greta) == before

    report = sync(account, binding)
    [book] = report.books
    totals = report.totals()
    changes = {k: v for k, v in totals.items() if k not in ("server_count", "local_count")}
    assert set(changes.values()) == {0}, changes  # 0 changes: nothing deleted, nothing new
    assert (book.server_count, book.local_count) == (2, 2)
    assert s.list_etags(url) == etags  # the server's cards untouched


def sync(account: Account, binding: Binding) -> RunReport:
    report = AccountJob(account, [Binding.get_by_id(binding.id)]).run()
    assert report.status == "ok", (report.status, report.message)
    return report


@pytest.mark.usefixtures("berlin_time")
def test_an_appointment_deleted_and_taken_back_leaves_nothing_for_the_calendar_sync(
    qtbot: QtBot, store: Path, radicale_server: DavServer, no_questions: None
) -> None:
    with DavSession(
        radicale_server.root_url, radicale_server.user, radicale_server.password
    ) as session:
        cal = Cal(radicale_server, session)
        cal.client.create(cal.remote.href, _event("un-1", "Zahnarzt", 9), name="un-1.ics")
        assert cal.run().added_local == 1
        server = {uid: (href, etag) for uid, (href, etag, _t) in cal.events().items()}
        page = AgendaPage()
        qtbot.addWidget(page)
        page.show()
        page.set_date(DAY.date())
        [occ] = page.occurrences
        assert page.delete_occurrence(occ)
        assert page.occurrences == []
        page.undo_bar.undo_button.click()
        assert [o.summary for o in page.occurrences] == ["Zahnarzt"]

        out = cal.run()
        assert (out.added_server, out.updated_server, out.deleted_server) == (0, 0, 0)
        assert (out.added_local, out.updated_local, out.deleted_local) == (0, 0, 0)
        assert {uid: (h, e) for uid, (h, e, _t) in cal.events().items()} == server
