"""The window's part of issue 22 ("Prüfen shows each contact") against a real Radicale: the
check dialog lists every contact of a mixed plan (new, changed TEL+EMAIL and deleted on the
server; new and changed in Contactbox; a conflict) with side, action and fields alt → neu;
filter by action, search and sorting work; a row opens the contact in the editor (not one
that is only on the server); the Importbericht lists what the run did, a stored one reads
its list only when the tab is shown, and an old report without a list shows a note."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.store import contacts as cs
from app.store.db import close_database
from app.store.models import Account, Binding
from app.store.reports import list_reports, save_report
from app.sync.jobs import AccountJob
from app.sync.report import RunReport
from tests.servers.dav_servers import DavServer
from tests.servers.test_cli_details import _mixed_plan
from tests.servers.test_sync_engine import Env, fresh_book_env
from ui import workers
from ui.check_dialog import CheckDialog
from ui.contact_editor import ContactEditorDialog
from ui.item_list import ACTION, FIELDS, NAME, SIDE, ItemList
from ui.report_dialog import ReportDialog, ReportHistoryDialog

MIXED = ["Anna Alt", "Bert Bau", "Karl Kern", "Lena Lang", "Mia Mai", "Nora Nowak"]


@pytest.fixture
def env(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    qtbot: QtBot,
) -> Iterator[Env]:
    """A Radicale book synced once by the CLI in-process (its database stays open here),
    then one change of each kind waiting (tests/servers/test_cli_details.py)."""
    made = fresh_book_env("Liste", radicale_server, tmp_path, monkeypatch, capsys)
    _mixed_plan(made)
    yield made
    qtbot.waitUntil(lambda: workers.running_count() == 0, timeout=30_000)
    close_database()


def account() -> Account:
    return Account.get(Account.label == "Test")


def job(dry_run: bool) -> RunReport:
    """The account's bound book checked (or run) as the setup dialog and the run window do."""
    acc = account()
    bindings = list(Binding.select().where(Binding.account == acc))
    return AccountJob(acc, bindings, dry_run=dry_run).run()


def row_of(items: ItemList, name: str) -> int:
    return items.shown_names().index(name)


def cell(items: ItemList, row: int, column: int) -> str:
    return str(items.proxy.index(row, column).data())


def editors(items: ItemList) -> list[ContactEditorDialog]:
    return [w for w in items.findChildren(ContactEditorDialog) if w.isVisible()]


def test_check_dialog_lists_each_contact_with_its_fields(qtbot: QtBot, env: Env) -> None:
    report = job(dry_run=True)
    dialog = CheckDialog(report)
    qtbot.addWidget(dialog)
    dialog.show()
    items = dialog.items
    assert dialog.items_heading.text() == "Einzelne Änderungen (6)"
    assert sorted(items.shown_names()) == MIXED  # in the order counted in
    items.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
    assert items.shown_names() == MIXED
    rows = {
        cell(items, r, NAME): (cell(items, r, SIDE), cell(items, r, ACTION), cell(items, r, FIELDS))
        for r in range(6)
    }
    assert rows == {
        "Anna Alt": ("In Contactbox", "geändert", "E-Mail, Telefon"),
        "Bert Bau": ("In Contactbox", "gelöscht", "–"),
        # both changed the phone: merged, the phone decided by the preference (issue 22)
        "Karl Kern": ("In Contactbox", "zusammengeführt", "Telefon"),
        "Lena Lang": ("Auf dem Server", "geändert", "Telefon"),
        "Mia Mai": ("Auf dem Server", "neu", "–"),
        "Nora Nowak": ("In Contactbox", "neu", "–"),
    }

    # The selected row's fields, alt → neu.
    items.select_row(row_of(items, "Anna Alt"))
    pane = items.detail.toPlainText()
    assert "Anna Alt" in pane and "In Contactbox: geändert" in pane
    assert "anna@example.de" in pane and "anna@firma.example" in pane
    assert "Mobil: +49 30 111" in pane and "Mobil: +49 30 999" in pane
    items.select_row(row_of(items, "Lena Lang"))
    assert "Mobil: +49 40 100" in items.detail.toPlainText()
    assert "Mobil: +49 40 200" in items.detail.toPlainText()

    # Filter by action; "Alle" again.
    items.set_action("deleted")
    assert items.shown_names() == ["Bert Bau"]
    items.set_action("merged")
    assert items.shown_names() == ["Karl Kern"]
    items.set_action("new")
    assert items.shown_names() == ["Mia Mai", "Nora Nowak"]
    assert items.count_label.text() == "2 von 6"
    items.set_action(None)
    assert items.shown_names() == MIXED

    # Search: names and the fields' values (old and new), umlaut- and case-insensitive.
    items.set_search("firma.example")
    assert items.shown_names() == ["Anna Alt"]
    items.set_search("+49 40 100")
    assert items.shown_names() == ["Lena Lang"]
    items.set_search("NOWAK")
    assert items.shown_names() == ["Nora Nowak"]
    items.set_search("telefon")
    assert items.shown_names() == ["Anna Alt", "Karl Kern", "Lena Lang"]
    items.set_action("changed")  # both together
    assert items.shown_names() == ["Anna Alt", "Lena Lang"]
    items.set_action(None)
    qtbot.keyClicks(items.search_edit, "x")  # typed: applied after a short pause
    qtbot.waitUntil(lambda: items.shown_names() == [], timeout=2000)
    items.set_search("")
    assert items.shown_names() == MIXED

    # Sorting by every column (the header, as a click does).
    header = items.table.horizontalHeader()
    items.table.sortByColumn(ACTION, Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorSection() == ACTION
    assert items.shown_names() == [
        "Mia Mai",
        "Nora Nowak",
        "Anna Alt",
        "Lena Lang",
        "Bert Bau",
        "Karl Kern",
    ]  # fmt: skip  (neu, geändert, gelöscht, Konflikt; then by name)
    items.table.sortByColumn(ACTION, Qt.SortOrder.DescendingOrder)
    assert items.shown_names()[0] == "Karl Kern"
    items.table.sortByColumn(SIDE, Qt.SortOrder.AscendingOrder)
    assert items.shown_names() == [
        "Lena Lang",
        "Mia Mai",
        "Anna Alt",
        "Bert Bau",
        "Karl Kern",
        "Nora Nowak",
    ]  # fmt: skip  ("Auf dem Server" before "In Contactbox")
    items.table.sortByColumn(FIELDS, Qt.SortOrder.AscendingOrder)
    assert items.shown_names() == [
        "Anna Alt",
        "Karl Kern",
        "Lena Lang",
        "Bert Bau",
        "Mia Mai",
        "Nora Nowak",
    ]  # fmt: skip  ("E-Mail, Telefon", "Telefon", then the ones without fields)
    items.table.sortByColumn(NAME, Qt.SortOrder.DescendingOrder)
    assert items.shown_names() == MIXED[::-1]
    items.set_action("changed")  # sorting and filter together
    assert items.shown_names() == ["Lena Lang", "Anna Alt"]
    items.set_action(None)


def test_a_row_opens_the_contact_in_the_editor(qtbot: QtBot, env: Env) -> None:
    dialog = CheckDialog(job(dry_run=True))
    qtbot.addWidget(dialog)
    dialog.show()
    items = dialog.items
    items.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)

    # Only on the server so far: nothing to open, and the window says why.
    items.select_row(row_of(items, "Nora Nowak"))
    assert not items.open_button.isEnabled()
    assert "Nur auf dem Server" in items.open_button.toolTip()
    index = items.proxy.index(row_of(items, "Nora Nowak"), NAME)
    assert "Nur auf dem Server" in str(index.data(Qt.ItemDataRole.ToolTipRole))
    qtbot.keyClick(items.table, Qt.Key.Key_Return)
    assert editors(items) == []
    assert dialog.isVisible()  # Enter in the list is not the dialog's "Schließen"

    # Enter on Lena Lang (changed in Contactbox): her card in the editor; saving keeps it.
    items.select_row(row_of(items, "Lena Lang"))
    assert items.open_button.isEnabled()
    qtbot.keyClick(items.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(editors(items)) == 1, timeout=5000)
    editor = editors(items)[0]
    text = editor.result_vcard()
    assert "FN:Lena Lang" in text and "+49 40 200" in text
    editor.reject()

    # Double-click on Anna Alt (changed on the server, the local card as it is now).
    items.select_row(row_of(items, "Anna Alt"))
    rect = items.table.visualRect(items.proxy.index(row_of(items, "Anna Alt"), NAME))
    qtbot.mouseClick(items.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(items.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: len(editors(items)) == 1, timeout=5000)
    editor = editors(items)[0]
    assert "FN:Anna Alt" in editor.result_vcard()
    anna = cs.find_live_by_uid(cs.get_book(env.name), "uid-a")
    assert anna is not None
    versions = len(cs.history(anna))
    editor.org_edit.setText("Firma Alt")
    editor.accept()
    anna = cs.find_live_by_uid(cs.get_book(env.name), "uid-a")
    assert anna is not None and "ORG:Firma Alt" in anna.vcard  # saved through the store,
    assert len(cs.history(anna)) == versions + 1  # the card before it in the history


def test_importbericht_lists_what_the_run_did(qtbot: QtBot, env: Env) -> None:
    report = job(dry_run=False)

    # The run window's report: the run's own list.
    shown = ReportDialog(report)
    qtbot.addWidget(shown)
    shown.show()
    assert shown.items is None  # built when the tab is shown
    shown.tabs.setCurrentIndex(shown.items_tab)
    assert shown.items is not None
    assert sorted(shown.items.shown_names()) == MIXED
    assert shown.tabs.tabText(shown.items_tab) == "Einzelne Änderungen (6)"
    # After the run Nora Nowak is in Contactbox: she can be opened now.
    shown.items.select_row(row_of(shown.items, "Nora Nowak"))
    assert shown.items.open_button.isEnabled()

    # The stored report from the history: its list read when the tab is first shown.
    history = ReportHistoryDialog(int(account().id))
    qtbot.addWidget(history)
    assert all("details" not in r for r in history.reports)  # listing stays cheap
    stored = history.open_report(0)
    assert isinstance(stored, ReportDialog) and stored.report_id == list_reports()[0]["id"]
    assert stored.items is None
    assert stored.tabs.tabText(stored.items_tab) == "Einzelne Änderungen"
    stored.tabs.setCurrentIndex(stored.items_tab)  # read on a background thread now
    qtbot.waitUntil(lambda: stored.items is not None, timeout=10_000)
    assert stored.items is not None
    assert sorted(stored.items.shown_names()) == MIXED
    assert stored.tabs.tabText(stored.items_tab) == "Einzelne Änderungen (6)"
    anna = row_of(stored.items, "Anna Alt")
    assert cell(stored.items, anna, FIELDS) == "E-Mail, Telefon"
    stored.items.select_row(anna)
    assert "anna@firma.example" in stored.items.detail.toPlainText()
    stored.close()


def test_an_old_report_without_a_list_shows_a_note(qtbot: QtBot, env: Env) -> None:
    before = job(dry_run=True)
    before.kind = "run"
    save_report(account(), before.to_dict(), "manual")  # as kept before issue 22: no details
    history = ReportHistoryDialog(int(account().id))
    qtbot.addWidget(history)
    dialog = history.open_report(0)
    assert isinstance(dialog, ReportDialog)
    dialog.tabs.setCurrentIndex(dialog.items_tab)
    qtbot.waitUntil(
        lambda: dialog.tabs.tabText(dialog.items_tab) == "Einzelne Änderungen (0)", timeout=10_000
    )
    assert dialog.items is None
    note = dialog.items_page.findChild(QLabel, "noItems")
    assert note is not None and note.isVisible()
    assert "keine einzelnen Änderungen gespeichert" in note.text()
    dialog.close()
