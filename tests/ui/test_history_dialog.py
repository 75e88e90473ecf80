"""The "Verlauf" dialog: versions, the comparison table, raw cards, restore, empty state."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
)
from pytestqt.qtbot import QtBot

from app.store.contacts import add_contact, delete_contact, ensure_book, get_contact, update_contact
from app.store.history import versions
from app.store.models import Contact
from ui.history_dialog import CHANGED_COLOR, HistoryDialog

UID = "DLG-1"


def card(title: str = "Einkauf", extra: str = "X-CUSTOM:eins") -> str:
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"UID:{UID}\r\nFN:Hans Müller\r\nN:Müller;Hans;;;\r\n"
        "EMAIL;TYPE=WORK:hans@example.de\r\n"
        f"TITLE:{title}\r\n{extra}\r\nEND:VCARD\r\n"
    )


@pytest.fixture
def contact(store: Path) -> Contact:
    c = add_contact(ensure_book("Standard"), card())
    update_contact(c, card(title="Vertrieb"), reason="edit")
    update_contact(c, card(title="Vertrieb", extra="X-CUSTOM:zwei"), reason="server-update")
    return get_contact(c.id)


def make(qtbot: QtBot, contact_id: int) -> HistoryDialog:
    dlg = HistoryDialog(contact_id)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def parts(dlg: HistoryDialog) -> tuple[QListWidget, QTableWidget, QPushButton, QCheckBox]:
    vlist = dlg.findChild(QListWidget, "versionList")
    table = dlg.findChild(QTableWidget, "diffTable")
    button = dlg.findChild(QPushButton, "restoreButton")
    only = dlg.findChild(QCheckBox, "onlyChanges")
    assert vlist is not None and table is not None and button is not None and only is not None
    return vlist, table, button, only


def table_rows(table: QTableWidget) -> list[tuple[str, str, str]]:
    out = []
    for r in range(table.rowCount()):
        cells = [table.item(r, c) for c in range(3)]
        out.append(tuple(c.text() if c is not None else "" for c in cells))
    return out  # type: ignore[return-value]


def test_lists_versions_and_shows_the_differences(qtbot: QtBot, contact: Contact) -> None:
    dlg = make(qtbot, contact.id)
    vlist, table, button, only = parts(dlg)
    assert dlg.windowTitle() == "Verlauf: Hans Müller"
    assert vlist.count() == 2
    assert "Vom Server geändert" in vlist.item(0).text()
    assert "Bearbeitet" in vlist.item(1).text()
    assert [table.horizontalHeaderItem(c).text() for c in range(3)] == [
        "Feld",
        "Ausgewählte Fassung",
        "Aktuell",
    ]
    # Newest version selected: it differs from the current card only in X-CUSTOM.
    assert only.isChecked()
    assert vlist.currentRow() == 0
    assert table_rows(table) == [("Weitere Angaben", "X-CUSTOM: eins", "X-CUSTOM: zwei")]
    assert button.isEnabled()

    vlist.setCurrentRow(1)  # the original card: title and X-CUSTOM differ
    labels = [r[0] for r in table_rows(table)]
    assert labels == ["Position", "Weitere Angaben"]
    assert table_rows(table)[0] == ("Position", "Einkauf", "Vertrieb")
    label_item = table.item(0, 0)
    assert label_item.font().bold()
    assert label_item.background().color() == QColor(CHANGED_COLOR)


def test_all_fields_when_only_changes_is_off(qtbot: QtBot, contact: Contact) -> None:
    dlg = make(qtbot, contact.id)
    _, table, _, only = parts(dlg)
    only.setChecked(False)
    rows = table_rows(table)
    assert len(rows) == 11
    name = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Name")
    assert table.item(name, 1).text() == "Hans Müller"
    assert not table.item(name, 0).font().bold()
    assert table.item(name, 0).background().color() != QColor(CHANGED_COLOR)
    only.setChecked(True)
    assert table.rowCount() == 1


def test_raw_cards_side_by_side(qtbot: QtBot, contact: Contact) -> None:
    dlg = make(qtbot, contact.id)
    raw = dlg.findChild(QPushButton, "rawButton")
    assert raw is not None
    raw.click()
    views = [v for v in dlg.findChildren(QPlainTextEdit) if v.isVisible()]
    assert len(views) == 2
    assert "X-CUSTOM:eins" in views[0].toPlainText()
    assert "X-CUSTOM:zwei" in views[1].toPlainText()
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    assert views[0].font().family() == mono and views[1].font().family() == mono
    raw.click()
    assert dlg.findChild(QTableWidget, "diffTable").isVisible()


def test_restore_after_confirmation(
    qtbot: QtBot, contact: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def yes(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    dlg = make(qtbot, contact.id)
    vlist, table, button, _ = parts(dlg)
    vlist.setCurrentRow(1)
    with qtbot.waitSignal(dlg.restored, timeout=2000):
        button.click()
    assert len(asked) == 1
    now = get_contact(contact.id)
    assert "TITLE:Einkauf" in now.vcard and "X-CUSTOM:eins" in now.vcard
    assert now.uid == UID
    # Reloaded: the replaced card is the newest version, marked as a restore.
    assert vlist.count() == 3
    assert "Wiederhergestellt" in vlist.item(0).text()
    assert vlist.currentRow() == 0
    assert versions(contact.id)[0].reason == "restore"
    assert ("Position", "Vertrieb", "Einkauf") in table_rows(table)


def test_no_restore_when_not_confirmed(
    qtbot: QtBot, contact: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No
    )
    dlg = make(qtbot, contact.id)
    _, _, button, _ = parts(dlg)
    before = get_contact(contact.id).vcard
    with qtbot.assertNotEmitted(dlg.restored):
        button.click()
    assert get_contact(contact.id).vcard == before
    assert len(versions(contact.id)) == 2


def test_trashed_contact_cannot_be_restored(qtbot: QtBot, contact: Contact) -> None:
    delete_contact(get_contact(contact.id))
    dlg = make(qtbot, contact.id)
    vlist, _, button, _ = parts(dlg)
    assert vlist.count() == 2
    assert not button.isEnabled()


def test_empty_history(qtbot: QtBot, store: Path) -> None:
    c = add_contact(ensure_book("Standard"), card())
    dlg = make(qtbot, c.id)
    vlist, _, button, _ = parts(dlg)
    assert vlist.count() == 0
    assert not button.isEnabled()
    texts = [lbl.text() for lbl in dlg.findChildren(QLabel) if lbl.isVisible()]
    assert "Für diesen Kontakt gibt es noch keine früheren Fassungen." in texts
