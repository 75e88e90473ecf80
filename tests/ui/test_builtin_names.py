"""The built-in "Standard" address book and the default user in the window, in English and
in German (issue 20): shown by their names in the language ("Default", "Default user"),
while every store call keeps the stored name ("Standard", "Standardbenutzer") — kept as
item data, never read back from the shown text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.dav.model import RemoteBook
from app.store import users
from app.store.contacts import add_contact, count_live, ensure_book, get_book
from app.sync.jobs import BindingInfo, BookOverview
from app.sync.report import BookReport, RunReport

#: (language, the Standard book as shown, the default user as shown)
NAMES = {"en": ("Default", "Default user"), "de": ("Standard", "Standardbenutzer")}


def card(uid: str, fn: str) -> str:
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\nN:{fn};;;;\r\nEND:VCARD\r\n"


def test_book_tree_shows_the_name_and_keeps_the_stored_one(
    qtbot: QtBot, store: Path, window_language: str
) -> None:
    from ui.contacts_page import BOOK_ROLE, ContactsPage

    shown = NAMES[window_language][0]
    add_contact(ensure_book("Standard"), card("s-1", "Anna Smith"))
    ensure_book("Partners")
    page = ContactsPage()
    qtbot.addWidget(page)
    page.show()
    page.reload_books(select="Standard")
    tree = page.book_list
    items = [tree.topLevelItem(r) for r in range(tree.topLevelItemCount())]
    texts = {str(i.data(0, BOOK_ROLE)): i.text(0) for i in items if i is not None}
    assert texts == {"Standard": f"{shown} (1)", "Partners": "Partners (0)"}
    # what the page does with the selected book uses the stored name
    assert page.current_book() == "Standard" and page.model.book_name == "Standard"
    assert page.model.rowCount() == 1
    assert not page.rename_book_button.isEnabled()  # the built-in book stays


def test_delete_dialog_offers_the_book_by_its_name_and_moves_into_the_stored_one(
    qtbot: QtBot, store: Path, window_language: str
) -> None:
    from ui.book_dialogs import DeleteBookDialog

    shown = NAMES[window_language][0]
    partners = ensure_book("Partners")
    add_contact(partners, card("p-1", "Boris Nowak"))
    dialog = DeleteBookDialog("Partners")
    qtbot.addWidget(dialog)
    combo = dialog.target_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [shown]
    assert [combo.itemData(i) for i in range(combo.count())] == ["Standard"]
    assert dialog.move_target() == "Standard"
    dialog.accept()
    assert dialog.moved == 1 and count_live(get_book("Standard")) == 1


def test_the_built_in_book_cannot_be_deleted_says_its_name(
    store: Path, window_language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.book_dialogs import ask_delete_book

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    assert not ask_delete_book(None, "Standard")
    shown = NAMES[window_language][0]
    quoted = f"“{shown}”" if window_language == "en" else f"„{shown}“"
    assert len(said) == 1 and quoted in said[0]


def test_setup_chooser_and_book_row_and_check_dialog_show_the_name(
    qtbot: QtBot, store: Path, window_language: str
) -> None:
    from ui.book_row import BookRow
    from ui.check_dialog import CheckDialog
    from ui.setup_books import make_target_box

    shown = NAMES[window_language][0]
    remote = RemoteBook(href="/dav/clients/", display_name="Clients")
    box = make_target_box(BookOverview(remote, 3, 0, None), ["Standard", "Partners"])
    qtbot.addWidget(box)
    items = [(box.itemText(i), box.itemData(i)) for i in range(box.count())]
    assert items[1:] == [(shown, "Standard"), ("Partners", "Partners")]

    bound = BindingInfo(1, "/dav/std/", "", "Standard", "sync", "server", True, None, "")
    box = make_target_box(BookOverview(remote, 3, 1, bound), ["Standard"])
    qtbot.addWidget(box)
    assert box.itemData(0) == "Standard" and box.itemText(0).startswith(f"{shown} (")

    row = BookRow(bound)  # a server book without a display name: the local book's name
    qtbot.addWidget(row)
    assert row.name_label.text() == shown
    assert f"„{shown}“" in row.name_label.toolTip() or f"“{shown}”" in row.name_label.toolTip()

    now = datetime.now(UTC).replace(tzinfo=None)
    report = RunReport(account="Office", kind="check", started=now)
    report.books = [
        BookReport(book="Clients", href="/c/", local_book="Standard", mode="sync/server")
    ]
    report.finish(now)
    check = CheckDialog(report)
    qtbot.addWidget(check)
    header = check.table.horizontalHeaderItem(0)
    assert header is not None and header.text() == f"Clients\n→ {shown}"


def test_vcf_and_group_dialogs_show_the_name(
    qtbot: QtBot, store: Path, window_language: str
) -> None:
    from app.store.vcf import ImportReport
    from tests.ui.visible_texts import visible_texts
    from ui.contacts_groups import GroupNameDialog
    from ui.vcf_dialogs import ImportOptionsDialog, ImportReportDialog

    shown = NAMES[window_language][0]
    for dialog in (
        ImportOptionsDialog("Standard", ["a.vcf"]),
        ImportReportDialog(ImportReport(cards_read=1, added=1), "Standard"),
        GroupNameDialog("Standard", None, "", []),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        texts = " ".join(text for _where, text in visible_texts(dialog))
        assert f"“{shown}”" in texts or f"„{shown}“" in texts, texts
        if window_language == "en":
            assert "Standard" not in texts, texts


def test_report_csv_names_the_local_book(store: Path, window_language: str) -> None:
    from ui.report_export import report_to_csv

    now = datetime.now(UTC).replace(tzinfo=None)
    report = RunReport(account="Office", kind="run", started=now)
    report.books = [
        BookReport(book="Clients", href="/c/", local_book="Standard", mode="import/add")
    ]
    report.finish(now)
    run_line = report_to_csv(report).splitlines()[4].split(";")
    assert run_line[1] == "Clients" and run_line[3] == NAMES[window_language][0]


def _answer(monkeypatch: pytest.MonkeyPatch, answer: str) -> list[str]:
    """QInputDialog.getText shows its prefilled text (returned) and answers `answer`."""
    prefilled: list[str] = []

    def get_text(_p: Any, _t: str, _prompt: str, _mode: Any, text: str = "") -> tuple[str, bool]:
        prefilled.append(text)
        return answer, True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    return prefilled


def test_users_page_shows_the_default_user_by_its_name_and_renames_the_stored_one(
    qtbot: QtBot, store: Path, window_language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.users_page import UsersPage

    shown = NAMES[window_language][1]
    page = UsersPage()
    qtbot.addWidget(page)
    page.show()
    page.reload_users()
    entries = [page.user_list.item(r).text() for r in range(page.user_list.count())]
    assert len(entries) == 1 and entries[0].startswith(shown)
    assert page.user_title.text() == shown
    default_id = users.current_user_id()

    # the rename dialog offers the name as shown; keeping it renames nothing
    prefilled = _answer(monkeypatch, f" {shown} ")
    assert page.rename_user() is False
    assert prefilled == [shown]
    assert users.get_user_info(default_id).name == "Standardbenutzer"

    _answer(monkeypatch, "Kim Park")
    assert page.rename_user() is True
    assert users.get_user_info(default_id).name == "Kim Park"
    assert page.user_title.text() == "Kim Park"


def test_calendar_windows_name_the_default_user(
    qtbot: QtBot, store: Path, window_language: str
) -> None:
    from ui.appointment_trash_dialog import AppointmentTrashDialog
    from ui.calendar_account_dialog import CalendarAccountDialog

    shown = NAMES[window_language][1]
    trash = AppointmentTrashDialog()
    qtbot.addWidget(trash)
    assert trash.windowTitle().endswith(shown)
    account = CalendarAccountDialog(users.current_user_id())
    qtbot.addWidget(account)
    assert account.windowTitle().endswith(shown)
    assert account.label_edit.text().endswith(shown)  # "Calendar Default user"
    if window_language == "en":
        assert "Standard" not in trash.windowTitle() + account.windowTitle()


def test_removing_a_nameless_server_book_bound_to_standard_names_it(
    qtbot: QtBot, store: Path, window_language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.store.models import Account, Binding
    from ui.sync_page import AddressBookSyncPage

    account = Account.create(label="Office", username="u", server="dav.example")
    binding = Binding.create(
        account=account, remote_href="/s/", remote_name="", book=get_book("Standard"),
        operation="sync", option="server",
    )  # fmt: skip
    page = AddressBookSyncPage()
    qtbot.addWidget(page)
    page.reload_accounts(select_id=account.id)
    asked: list[str] = []
    monkeypatch.setattr("ui.sync_page.ask_yes_no", lambda _p, _t, text: asked.append(text))
    page.remove_book(binding.id)
    shown = NAMES[window_language][0]
    assert len(asked) == 1 and (f"„{shown}“" in asked[0] or f"“{shown}”" in asked[0])
    assert Binding.select().count() == 1  # not confirmed: nothing removed
