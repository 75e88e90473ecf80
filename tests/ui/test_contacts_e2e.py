"""End to end: what a user does on the Kontakte page reaches a real Radicale, and the
Termine/Wiedervorlagen made there survive an "Neu anlegen" run."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app import vcard
from app.accounts import add_account
from app.store.agenda import add_appointment, add_followup
from app.store.contacts import find_live_by_uid, get_book
from app.store.models import Account, Binding
from app.sync.jobs import AccountJob, bind_book, book_overview
from app.sync.modes import Mode
from tests.servers.conftest import radicale_server  # noqa: F401
from tests.servers.dav_servers import DavServer
from ui.agenda_widgets import FollowUpDialog
from ui.contact_editor import ContactEditorDialog
from ui.contacts_page import ContactsPage


def card(uid: str, given: str, family: str, email: str) -> str:
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Fremdprogramm//DE\r\n"
        f"UID:{uid}\r\nN:{family};{given};;;\r\nFN:{given} {family}\r\n"
        f"EMAIL;TYPE=WORK:{email}\r\nTEL;TYPE=WORK:+49 30 100\r\n"
        "X-FREMD-ID:4711\r\nEND:VCARD\r\n"
    )


@pytest.fixture
def account(store: Path, radicale_server: DavServer) -> Account:  # noqa: F811
    s = radicale_server
    return add_account("Büro", server=s.root_url, username=s.user, password=s.password)


def seeded(server: DavServer, name: str) -> str:
    url = server.make_book(display_name=name)
    server.put_cards(
        url,
        {
            "greta.vcf": card("e2e-greta", "Greta", "Lindner", "greta@lindner.example"),
            "omer.vcf": card("e2e-omer", "Ömer", "Aydın", "omer@aydin.example"),
        },
        display_name=name,
    )
    return url


def bind(account: Account, name: str, mode: Mode) -> Binding:
    remote = next(ov.remote for ov in book_overview(account) if ov.remote.display_name == name)
    return bind_book(account, remote, mode)


def run(account: Account, binding: Binding) -> None:
    report = AccountJob(account, [Binding.get_by_id(binding.id)]).run()
    assert report.status == "ok", (report.status, report.message)


def page_for(qtbot: QtBot, book: str) -> ContactsPage:
    page = ContactsPage()
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.select_book(book)
    return page


def server_card(server: DavServer, url: str, uid: str) -> str:
    [text] = [t for t in server.list_cards(url).values() if vcard.summarize(t).uid == uid]
    return text


@pytest.mark.parametrize("operation,option", [("sync", "contactbox"), ("oneway", None)])
def test_an_edit_in_the_gui_reaches_radicale(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    operation: str,
    option: str | None,
) -> None:
    name = f"Kunden {uuid.uuid4().hex[:6]}"
    url = seeded(radicale_server, name)
    binding = bind(account, name, Mode.parse("import", "add"))
    run(account, binding)
    binding = bind(account, name, Mode.parse(operation, option))

    page = page_for(qtbot, name)
    [greta_row] = [
        r for r in range(page.model.rowCount()) if page.model.contact(r).fn == "Greta Lindner"
    ]  # type: ignore[union-attr]
    page.table.selectRow(greta_row)

    def edit(dialog: ContactEditorDialog) -> int:
        dialog.title_edit.setText("Bauleiterin")
        dialog.email_rows[0].edit.setText("g.lindner@lindner-bau.example")
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(ContactEditorDialog, "exec", edit)
    page.edit_current()
    run(account, binding)

    text = server_card(radicale_server, url, "e2e-greta")
    fields = vcard.read_fields(text)
    assert fields.title == "Bauleiterin"
    assert [v for _t, v in fields.emails] == ["g.lindner@lindner-bau.example"]
    assert "X-FREMD-ID:4711" in text  # what the editor does not show went along unchanged
    assert "Ömer Aydın" in server_card(radicale_server, url, "e2e-omer")


def test_agenda_made_in_the_gui_survives_neu_anlegen(
    qtbot: QtBot,
    account: Account,
    radicale_server: DavServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = f"Bewerber {uuid.uuid4().hex[:6]}"
    seeded(radicale_server, name)
    binding = bind(account, name, Mode.parse("import", "add"))
    run(account, binding)
    book = get_book(name)
    greta = find_live_by_uid(book, "e2e-greta")
    omer = find_live_by_uid(book, "e2e-omer")
    assert greta is not None and omer is not None

    page = page_for(qtbot, name)
    assert page.select_contact(greta.id)

    def create(dialog: FollowUpDialog) -> int:
        dialog.title_edit.setText("Vorstellungsgespräch nachfassen")
        dialog.accept()
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(FollowUpDialog, "exec", create)
    page.agenda.new_followup_button.click()
    assert page.agenda.followup_list.topLevelItemCount() == 1
    from datetime import timedelta

    from app.store.models import utcnow

    add_appointment(
        omer.id, "Probearbeit", utcnow() + timedelta(days=3), utcnow() + timedelta(days=3, hours=2)
    )
    add_followup(omer.id, "Zusage schicken", utcnow() - timedelta(days=1))

    binding = bind(account, name, Mode.parse("import", "recreate"))
    run(account, binding)

    new_greta = find_live_by_uid(book, "e2e-greta")
    new_omer = find_live_by_uid(book, "e2e-omer")
    assert new_greta is not None and new_omer is not None
    assert new_greta.id != greta.id  # really re-created
    page.refresh()
    assert page.select_contact(new_greta.id)
    titles = [
        page.agenda.followup_list.topLevelItem(i).text(1)
        for i in range(page.agenda.followup_list.topLevelItemCount())
    ]
    assert titles == ["Vorstellungsgespräch nachfassen"]
    assert page.select_contact(new_omer.id)
    assert page.agenda.appointment_list.topLevelItemCount() == 1
    assert page.due_panel.count() == 1  # "Zusage schicken" is due and still Ömer's
    with qtbot.waitSignal(page.due_panel.contact_requested) as blocker:
        item = page.due_panel.list.topLevelItem(0)
        page.due_panel.list.itemDoubleClicked.emit(item, 0)
    assert blocker.args == [new_omer.id]
    assert page.current_contact_id() == new_omer.id
