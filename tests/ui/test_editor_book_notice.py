"""The contact editor says when an edit will not reach a server: "Änderungen bleiben in
Contactbox – dieses Adressbuch wird nur einmalig importiert" (or: the server lets the book
only be read). No line for Standard, other local books or synced books."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.accounts import add_account
from app.store.books import (
    REACH_IMPORT,
    REACH_LOCAL,
    REACH_READ_ONLY,
    REACH_SERVER,
    edit_reach,
)
from app.store.contacts import add_contact, ensure_book
from app.store.models import Account, Binding, Contact
from app.sync.modes import Mode
from tests.servers.dav_servers import DavServer
from tests.ui.test_contacts_e2e import bind, run, seeded
from tests.ui.test_delete_undo import names, open_page, select
from ui.contact_editor import ContactEditorDialog

IMPORT_NOTICE = "Änderungen bleiben in Contactbox – dieses Adressbuch wird nur einmalig importiert"
READ_ONLY_NOTICE = (
    "Änderungen bleiben in Contactbox – der Server erlaubt für dieses Adressbuch nur das Lesen"
)
CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:k-1\r\nFN:Karl Kunde\r\nEND:VCARD\r\n"


def binding(book: str, operation: str, *, read_only: bool = False, enabled: bool = True) -> None:
    n = Binding.select().count()
    account = Account.create(label=f"Konto {n}", username="u", server="dav.example")
    Binding.create(
        account=account, remote_href=f"/b{n}/", book=ensure_book(book), operation=operation,
        option={"import": "add", "sync": "server", "oneway": ""}[operation],
        read_only=read_only, enabled=enabled,
    )  # fmt: skip


@pytest.mark.parametrize(
    "bindings, reach",
    [
        ([], REACH_LOCAL),
        ([("import", False, True)], REACH_IMPORT),
        ([("sync", False, True)], REACH_SERVER),
        ([("oneway", False, True)], REACH_SERVER),
        ([("sync", True, True)], REACH_READ_ONLY),
        ([("import", False, True), ("sync", False, True)], REACH_SERVER),
        ([("import", False, True), ("sync", True, True)], REACH_READ_ONLY),
        ([("import", False, True), ("sync", False, False)], REACH_IMPORT),  # sync switched off
        ([("sync", False, False)], REACH_LOCAL),
    ],
)
def test_where_an_edit_goes(
    store: Path, bindings: list[tuple[str, bool, bool]], reach: str
) -> None:
    ensure_book("Kunden")
    for operation, read_only, enabled in bindings:
        binding("Kunden", operation, read_only=read_only, enabled=enabled)
    assert edit_reach("Kunden") == reach
    assert edit_reach("Standard") == REACH_LOCAL
    assert edit_reach("Gibt es nicht") == REACH_LOCAL


def editor(qtbot: QtBot, book: str | None, text: str | None = CARD) -> ContactEditorDialog:
    dialog = ContactEditorDialog(text, book=book)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_line_stands_above_the_fields_for_an_import_only_book(
    qtbot: QtBot, store: Path
) -> None:
    binding("Kunden", "import")
    dialog = editor(qtbot, "Kunden")
    assert dialog.book_notice.isVisible()
    assert dialog.book_notice.text() == IMPORT_NOTICE
    top = dialog.book_notice.mapTo(dialog, dialog.book_notice.rect().bottomLeft()).y()
    assert top <= dialog.scroll_area.mapTo(dialog, dialog.scroll_area.rect().topLeft()).y()
    assert editor(qtbot, "Kunden", None).book_notice.text() == IMPORT_NOTICE  # a new one too


def test_a_read_only_book_says_so_the_same_way(qtbot: QtBot, store: Path) -> None:
    binding("Firma", "sync", read_only=True)
    dialog = editor(qtbot, "Firma")
    assert dialog.book_notice.isVisible() and dialog.book_notice.text() == READ_ONLY_NOTICE


@pytest.mark.parametrize("book", ["Standard", "Privat", "Synchron", None])
def test_no_line_for_local_or_synced_books(qtbot: QtBot, store: Path, book: str | None) -> None:
    ensure_book("Privat")
    binding("Synchron", "sync")
    binding("Synchron", "import")
    assert not editor(qtbot, book).book_notice.isVisible()


def test_the_page_opens_the_editor_with_the_contacts_book(
    qtbot: QtBot, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_contact(ensure_book("Kunden"), CARD)
    binding("Kunden", "import")
    shown: list[ContactEditorDialog] = []
    monkeypatch.setattr(ContactEditorDialog, "exec", lambda self: shown.append(self) or 0)
    page = open_page(qtbot, "Kunden")
    select(page, "Karl Kunde")
    page.edit_current()
    page.new_contact()
    page.select_book("Standard")
    page.new_contact()
    assert [not d.book_notice.isHidden() for d in shown] == [True, True, False]


def test_imported_from_radicale_the_hint_shows_and_goes_once_the_book_syncs(
    qtbot: QtBot,
    store: Path,
    radicale_server: DavServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = radicale_server
    account = add_account("Büro", server=s.root_url, username=s.user, password=s.password)
    name = f"Kunden {uuid.uuid4().hex[:6]}"
    seeded(s, name)
    run(account, bind(account, name, Mode.parse("import", "add")))
    shown: list[ContactEditorDialog] = []
    monkeypatch.setattr(
        ContactEditorDialog, "exec", lambda self: shown.append(self) or QDialog.DialogCode.Rejected
    )
    page = open_page(qtbot, name)
    assert names(page) == ["Greta Lindner", "Ömer Aydın"]
    select(page, "Greta Lindner")
    page.edit_current()
    assert not shown[-1].book_notice.isHidden()
    assert shown[-1].book_notice.text() == IMPORT_NOTICE

    bind(account, name, Mode.parse("sync", "contactbox"))  # now it is synced
    page.edit_current()
    assert shown[-1].book_notice.isHidden()
    assert Contact.select().count() == 2
