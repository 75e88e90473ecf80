"""The search field of "Kontakte anzeigen": umlauts and their transliterations find each
other, and numbers in names sort by value (app.store.collation)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.store.contacts import add_contact, ensure_book, find_contacts, get_book
from ui.contacts_page import ContactsPage

NAMES = ["Jürgen Müller", "Karin Mueller", "Anna Becker", "Möller GmbH", "Müller 152",
         "Müller 16", "Straßenbau Weiß", "Haus 10", "Haus 2"]  # fmt: skip


def card(i: int, fn: str) -> str:
    org = "Bäckerei Strasse 5" if fn == "Anna Becker" else ""
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:s-{i}\r\nFN:{fn}\r\nN:{fn};;;;\r\n"
        f"EMAIL:kontakt.{chr(ord('a') + i)}@example.de\r\nORG:{org}\r\nEND:VCARD\r\n"
    )


@pytest.fixture
def page(qtbot: QtBot, store: Path) -> ContactsPage:
    book = ensure_book("Standard")
    for i, fn in enumerate(NAMES):
        add_contact(book, card(i, fn))
    widget = ContactsPage()
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    widget.reload_books(select="Standard")
    return widget


def names(page: ContactsPage) -> list[str]:
    m = page.model
    return [m.data(m.index(r, 0)) for r in range(m.rowCount())]


def type_search(qtbot: QtBot, page: ContactsPage, text: str, expected: list[str]) -> None:
    page.search_edit.clear()
    if text.isascii():
        qtbot.keyClicks(page.search_edit, text)  # typed key by key
    else:
        page.search_edit.setText(text)  # (QTest types no umlauts: it aborts on "Ü")
    qtbot.waitUntil(lambda: names(page) == expected, timeout=5000)


def test_typing_mueller_finds_mueller_in_every_spelling(qtbot: QtBot, page: ContactsPage) -> None:
    assert len(names(page)) == len(NAMES)
    muellers = ["Jürgen Müller", "Karin Mueller", "Müller 16", "Müller 152"]
    type_search(qtbot, page, "mueller", muellers)
    assert page.status_label.text().endswith("(gefiltert)")
    type_search(qtbot, page, "muller", muellers)
    type_search(qtbot, page, "MÜLLER", muellers)
    type_search(qtbot, page, "Müller 1", ["Müller 16", "Müller 152"])
    type_search(qtbot, page, "strasse", ["Anna Becker", "Straßenbau Weiß"])
    type_search(qtbot, page, "weiss", ["Straßenbau Weiß"])
    type_search(qtbot, page, "moeller", ["Möller GmbH"])

    # A contact found by the folded search can be selected in the filtered list.
    type_search(qtbot, page, "mueller", muellers)
    (c,) = find_contacts(get_book("Standard"), "Müller 152")
    assert page.select_contact(c.id)
    assert page.current_contact_id() == c.id
    assert page.table.currentIndex().row() == 3


def test_numbers_in_names_sort_by_value_both_ways(qtbot: QtBot, page: ContactsPage) -> None:
    shown = names(page)
    assert shown.index("Haus 2") < shown.index("Haus 10")
    assert shown.index("Müller 16") < shown.index("Müller 152")
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    shown = names(page)
    assert shown.index("Haus 10") < shown.index("Haus 2")
    assert shown.index("Müller 152") < shown.index("Müller 16")
