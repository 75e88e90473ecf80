"""The main window and the page "Adressbuch-Synchronisierung" against a real Radicale."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from app.accounts import list_accounts, open_session
from app.dav.discovery import discover_books
from app.store.models import Account, Binding
from app.sync.jobs import AccountJob, bind_book, list_bindings
from app.sync.modes import Mode
from tests.servers.dav_servers import DavServer
from ui.account_dialog import AccountDialog
from ui.main_window import SYNC_PAGE, MainWindow
from ui.sync_page import AddressBookSyncPage, BookRow, relative_time

CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:Erika Mustermann\r\n"
    "N:Mustermann;Erika;;;\r\nEMAIL:erika@example.de\r\nEND:VCARD\r\n"
)


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    """Let QMessageBox.question return `button`; collect the texts it was asked."""
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def synced_binding(account: Account, server: DavServer) -> Binding:
    """A two-way bound Radicale book with one card, synced once through the core."""
    name = f"Kontakte {uuid.uuid4().hex[:6]}"
    book_url = server.make_book(display_name=name)
    server.put_card(book_url, "erika.vcf", CARD.format(uid=uuid.uuid4()))
    with open_session(account) as session:
        [remote] = [b for b in discover_books(session) if b.display_name == name]
    binding = bind_book(account, remote, Mode.parse("sync", "server"))
    AccountJob(account, [binding]).run()
    return Binding.get_by_id(binding.id)


def row(page: AddressBookSyncPage) -> BookRow:
    [only] = page.book_rows
    return only


# ---------------------------------------------------------------- window and menu


def test_menu_leads_to_the_sync_page(qtbot: QtBot, store: Path) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    menus = {m.title().replace("&", ""): m for m in window.findChildren(QMenu)}
    assert "Konfiguration" in menus and "Adressbuchverwaltung" in menus
    action = window.page_actions[SYNC_PAGE]
    assert action.text().replace("&", "") == "Adressbuch-Synchronisierung"
    assert action in menus["Adressbuchverwaltung"].actions()
    assert window.stack.currentWidget() is window.sync_page
    assert action.isChecked()


def test_relative_time_words() -> None:
    now = datetime(2026, 3, 10, 12, 0)
    assert relative_time(None, now) == "noch nie"
    assert relative_time(now - timedelta(seconds=20), now) == "gerade eben"
    assert relative_time(now - timedelta(minutes=4), now) == "vor 4 Min."
    assert relative_time(now - timedelta(days=1), now) == "gestern"
    assert relative_time(now - timedelta(days=3), now) == "vor 3 Tagen"
    assert relative_time(now - timedelta(days=30), now) == "08.02.2026"


# ---------------------------------------------------------------- accounts


def test_plus_opens_dialog_and_new_account_is_listed_and_highlighted(
    qtbot: QtBot,
    page: AddressBookSyncPage,
    radicale_server: DavServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert page.no_account.isVisible() and not page.detail.isVisible()

    def run_dialog(dialog: AccountDialog) -> int:
        dialog.label_edit.setText("Büro Kerio")
        dialog.username_edit.setText(radicale_server.user)
        dialog.password_edit.setText(radicale_server.password)
        dialog.server_edit.setText(radicale_server.root_url)
        qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=20_000)
        dialog.ok_button.click()
        return dialog.result()

    monkeypatch.setattr(AccountDialog, "exec", run_dialog)
    page.add_button.click()
    [info] = list_accounts()
    assert info.label == "Büro Kerio"
    assert page.account_list.count() == 1
    item = page.account_list.item(0)
    assert item.text() == "Büro Kerio"
    assert item.isSelected() and page.account_list.currentItem() is item
    assert page.detail.isVisible()
    assert page.account_title.text() == "Büro Kerio"


def test_minus_removes_account_after_confirmation(
    qtbot: QtBot,
    radicale_account: Account,
    page: AddressBookSyncPage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page.reload_accounts()
    assert page.account_list.count() == 1
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    page.remove_button.click()
    assert list_accounts() and page.account_list.count() == 1
    assert "Büro Radicale" in asked[0] and "Kontakte in Contactbox bleiben erhalten" in asked[0]
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    page.remove_button.click()
    assert list_accounts() == []
    assert page.account_list.count() == 0
    assert not page.detail.isVisible()


def test_status_an_aus_is_saved(
    qtbot: QtBot, radicale_account: Account, page: AddressBookSyncPage
) -> None:
    page.reload_accounts()
    assert page.status_on.isChecked() and not page.status_off.isChecked()
    page.status_off.click()
    assert not Account.get_by_id(radicale_account.id).enabled
    assert page.status_off.isChecked() and not page.status_on.isChecked()
    assert page.account_list.currentItem().text() == "Büro Radicale (aus)"
    page.status_on.click()
    assert Account.get_by_id(radicale_account.id).enabled
    assert ":checked" in page.styleSheet() and "#f28c28" in page.styleSheet()


def test_interval_slider_is_saved_in_steps_of_five(
    qtbot: QtBot, radicale_account: Account, page: AddressBookSyncPage
) -> None:
    page.reload_accounts()
    assert page.interval_slider.value() == 15
    assert page.interval_value.text() == "15 Min."
    page.interval_slider.setValue(60)
    assert Account.get_by_id(radicale_account.id).interval_minutes == 60
    assert page.interval_value.text() == "60 Min."
    page.interval_slider.setValue(92)
    assert page.interval_slider.value() == 90
    assert Account.get_by_id(radicale_account.id).interval_minutes == 90


# ---------------------------------------------------------------- imported books


def test_synced_book_row_and_toggle_and_trash(
    qtbot: QtBot,
    radicale_account: Account,
    radicale_server: DavServer,
    page: AddressBookSyncPage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page.reload_accounts()
    assert page.book_rows == [] and page.books_empty.isVisible()
    binding = synced_binding(radicale_account, radicale_server)
    assert binding.last_sync is not None
    page.refresh_books()
    r = row(page)
    assert r.icon_name == "sync-twoway"
    assert not r.icon_label.pixmap().isNull()
    assert r.name_label.text() == binding.remote_name
    assert r.time_label.text() == "zuletzt: gerade eben"
    assert r.time_label.toolTip().startswith("Letzter Abgleich:")
    assert not page.books_empty.isVisible()

    # deaktivieren / aktivieren
    assert r.toggle_button.text() == "deaktivieren"
    r.toggle_button.click()
    assert not list_bindings(radicale_account)[0].enabled
    r = row(page)
    assert r.toggle_button.text() == "aktivieren"
    assert not r.sync_button.isEnabled()
    r.toggle_button.click()
    assert list_bindings(radicale_account)[0].enabled
    assert row(page).toggle_button.text() == "deaktivieren"

    # trash: asks first; "Nein" keeps it, "Ja" removes the binding, local contacts stay
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    row(page).trash_button.click()
    assert len(list_bindings(radicale_account)) == 1
    assert "Kontakte in Contactbox bleiben erhalten" in asked[0]
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    local_book = binding.book
    row(page).trash_button.click()
    assert list_bindings(radicale_account) == []
    assert page.book_rows == [] and page.books_empty.isVisible()
    assert local_book.contacts.count() == 1


def test_never_synced_and_oneway_rows(
    qtbot: QtBot,
    radicale_account: Account,
    radicale_server: DavServer,
    page: AddressBookSyncPage,
) -> None:
    name = f"Bewerber_innen {uuid.uuid4().hex[:6]}"
    radicale_server.make_book(display_name=name)
    with open_session(radicale_account) as session:
        [remote] = [b for b in discover_books(session) if b.display_name == name]
    bind_book(radicale_account, remote, Mode.parse("oneway"))
    page.reload_accounts()
    r = row(page)
    assert r.icon_name == "sync-oneway"
    assert r.time_label.text() == "zuletzt: noch nie"


def test_home_option_is_parsed_like_the_cli() -> None:
    from ui.app import _parse

    args, rest = _parse(["--home", "/tmp/x", "-platform", "offscreen"])
    assert args.home == "/tmp/x"
    assert rest == ["-platform", "offscreen"]


def test_earlier_reports_open_from_the_account_view(
    qtbot: QtBot,
    radicale_account: Account,
    radicale_server: DavServer,
    page: AddressBookSyncPage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.report_dialog import ReportHistoryDialog

    page.reload_accounts()
    synced_binding(radicale_account, radicale_server)
    shown: list[ReportHistoryDialog] = []
    monkeypatch.setattr(ReportHistoryDialog, "exec", lambda self: shown.append(self) or 0)
    page.reports_button.click()
    assert len(shown) == 1
    assert len(shown[0].reports) == 1  # the run made by synced_binding
    assert shown[0].reports[0]["kind"] == "run"


def test_language_menu_saves_the_choice_in_the_data_directory(
    qtbot: QtBot, store: Path, global_qsettings: Path
) -> None:
    """Konfiguration ▸ Sprache ▸ English: kept in settings.ini next to the database; the
    box says when it applies (restarting: tests/ui/test_settings.py)."""
    from ui.settings import app_settings

    window = MainWindow()
    qtbot.addWidget(window)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Konfiguration")
    assert isinstance(menu, QMenu)
    language = next(a.menu() for a in menu.actions() if a.text() == "&Sprache")
    assert isinstance(language, QMenu)
    english = next(a for a in language.actions() if a.text() == "English")
    english.trigger()
    assert app_settings().value("language") == "en"
    assert (store.parent / "settings.ini").is_file()
    box = window.language_box
    assert box is not None and "nächsten Start" in box.text()
    box.reject()
    assert not [p for p in global_qsettings.rglob("*") if p.is_file()]
