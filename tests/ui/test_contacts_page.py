"""The page "Kontakte anzeigen": books with counts, lazy table, search, sort, trash."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from app.store.contacts import (
    add_contact,
    count_contacts,
    ensure_book,
    get_book,
    list_contacts,
    page_contacts,
)
from app.store.models import Contact, database
from ui.contact_model import MAX_PAGES, PAGE_SIZE
from ui.contacts_page import ContactDetailDialog, ContactsPage
from ui.main_window import CONTACTS_PAGE, SYNC_PAGE, MainWindow

PEOPLE = [
    # uid, FN, N, e-mail, phone, org
    (
        "u-1",
        "Jürgen Müller",
        "Müller;Jürgen",
        "j.mueller@beispiel.de",
        "+49 30 1234567",
        "Müller & Söhne GmbH",
    ),
    (
        "u-2",
        "Anna Becker",
        "Becker;Anna",
        "anna@becker.example",
        "+49 89 555000",
        "Zahnarztpraxis Becker",
    ),
    (
        "u-3",
        "Özlem Yılmaz",
        "Yılmaz;Özlem",
        "oezlem@firma.example",
        "+49 221 987654",
        "Anwaltskanzlei Nord",
    ),
    (
        "u-4",
        "Björn Schäfer",
        "Schäfer;Björn",
        "bjoern@schaefer.example",
        "+49 40 424242",
        "Bäckerei Schäfer",
    ),
]


def card(uid: str, fn: str, n: str, email: str, phone: str, org: str) -> str:
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"UID:{uid}\r\nFN:{fn}\r\nN:{n};;;\r\n"
        f"EMAIL;TYPE=INTERNET:{email}\r\nTEL;TYPE=WORK:{phone}\r\nORG:{org}\r\n"
        "END:VCARD\r\n"
    )


@pytest.fixture
def people(store: Path) -> None:
    book = ensure_book("Standard")
    for person in PEOPLE:
        add_contact(book, card(*person))
    other = ensure_book("Kunden")
    add_contact(other, card("k-1", "Karl Kunde", "Kunde;Karl", "karl@k.example", "0", "K AG"))


@pytest.fixture
def contacts_page(qtbot: QtBot, store: Path) -> ContactsPage:
    widget = ContactsPage()
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    return widget


def column(page: ContactsPage, col: int = 0) -> list[str]:
    m = page.model
    return [m.data(m.index(r, col)) for r in range(m.rowCount())]


def select_rows(page: ContactsPage, *names: str) -> None:
    page.table.clearSelection()
    for r, name in enumerate(column(page)):
        if name in names:
            page.table.selectionModel().select(
                page.model.index(r, 0),
                page.table.selectionModel().SelectionFlag.Select
                | page.table.selectionModel().SelectionFlag.Rows,
            )


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


# ---------------------------------------------------------------- store queries


def test_page_and_count_queries(people: None) -> None:
    book = get_book("Standard")
    assert count_contacts(book) == 4
    assert count_contacts(book, search="MÜLLER") == 1
    assert count_contacts(book, search="becker praxis") == 1
    names = [c.fn for c in page_contacts(book, order="org", descending=True)]
    assert names == ["Anna Becker", "Jürgen Müller", "Björn Schäfer", "Özlem Yılmaz"]
    assert [c.fn for c in page_contacts(book, offset=1, limit=2)] == [
        "Björn Schäfer",
        "Jürgen Müller",
    ]
    with pytest.raises(ValueError):
        page_contacts(book, order="vcard")


# ---------------------------------------------------------------- the page


def test_books_with_counts_and_rows_sorted_by_name(
    people: None, contacts_page: ContactsPage
) -> None:
    books = [contacts_page.book_list.item(i).text() for i in range(contacts_page.book_list.count())]
    assert books == ["Standard (4)", "Kunden (1)"]
    assert contacts_page.current_book() == "Standard"
    assert column(contacts_page) == [
        "Anna Becker",
        "Björn Schäfer",
        "Jürgen Müller",
        "Özlem Yılmaz",
    ]
    assert column(contacts_page, 1)[0] == "anna@becker.example"
    assert column(contacts_page, 2)[0] == "+49 89 555000"
    assert column(contacts_page, 3)[0] == "Zahnarztpraxis Becker"
    headers = [contacts_page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["Name", "E-Mail", "Telefon", "Organisation"]
    assert contacts_page.status_label.text() == "4 Kontakte"
    assert "nicht erneut übernommen" in contacts_page.hint.text()

    contacts_page.book_list.setCurrentRow(1)
    assert column(contacts_page) == ["Karl Kunde"]


def test_search_is_debounced_and_narrows(
    qtbot: QtBot, people: None, contacts_page: ContactsPage
) -> None:
    contacts_page.search_edit.setText("müller")
    assert contacts_page.model.rowCount() == 4  # not yet: the search waits for typing to stop
    qtbot.waitUntil(lambda: contacts_page.model.rowCount() == 1, timeout=2000)
    assert column(contacts_page) == ["Jürgen Müller"]
    assert "(gefiltert)" in contacts_page.status_label.text()
    contacts_page.search_edit.setText("555")
    contacts_page.apply_search()
    assert column(contacts_page) == ["Anna Becker"]
    contacts_page.search_edit.setText("SCHAEFER.EXAMPLE")
    contacts_page.apply_search()
    assert column(contacts_page) == ["Björn Schäfer"]
    contacts_page.search_edit.clear()
    contacts_page.apply_search()
    assert contacts_page.model.rowCount() == 4


def test_click_header_sorts_by_another_column(
    qtbot: QtBot, people: None, contacts_page: ContactsPage
) -> None:
    contacts_page.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    assert column(contacts_page, 3) == [
        "Anwaltskanzlei Nord",
        "Bäckerei Schäfer",
        "Müller & Söhne GmbH",
        "Zahnarztpraxis Becker",
    ]
    contacts_page.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert column(contacts_page)[0] == "Özlem Yılmaz"  # oezlem@ sorts last by e-mail
    header = contacts_page.table.horizontalHeader()
    x = header.sectionViewportPosition(2) + header.sectionSize(2) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    assert contacts_page.model.sort_column == 2  # a click on "Telefon"
    assert column(contacts_page, 2)[0] == "+49 221 987654"


def test_delete_restore_and_empty_trash(
    people: None, contacts_page: ContactsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert contacts_page.delete_button.isVisible() and not contacts_page.restore_button.isVisible()
    assert not contacts_page.delete_button.isEnabled()
    select_rows(contacts_page, "Anna Becker", "Björn Schäfer")
    assert contacts_page.delete_button.isEnabled()
    contacts_page.delete_button.click()
    assert column(contacts_page) == ["Jürgen Müller", "Özlem Yılmaz"]
    assert contacts_page.book_list.item(0).text() == "Standard (2)"

    contacts_page.trash_toggle.click()
    assert contacts_page.trash_toggle.isChecked()
    assert column(contacts_page) == ["Anna Becker", "Björn Schäfer"]
    assert contacts_page.restore_button.isVisible() and contacts_page.empty_button.isEnabled()
    assert not contacts_page.delete_button.isVisible()
    assert contacts_page.status_label.text() == "2 Kontakte im Papierkorb"

    select_rows(contacts_page, "Anna Becker")
    contacts_page.restore_button.click()
    assert column(contacts_page) == ["Björn Schäfer"]
    assert contacts_page.book_list.item(0).text() == "Standard (3)"

    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    contacts_page.empty_button.click()
    assert "endgültig" in asked[0] and "„Standard“" in asked[0]
    assert column(contacts_page) == ["Björn Schäfer"]
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    contacts_page.empty_button.click()
    assert contacts_page.model.rowCount() == 0
    assert not contacts_page.empty_button.isEnabled()

    contacts_page.trash_toggle.click()
    assert column(contacts_page) == ["Anna Becker", "Jürgen Müller", "Özlem Yılmaz"]


def test_restore_refused_shows_the_store_message(
    people: None, contacts_page: ContactsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    select_rows(contacts_page, "Anna Becker")
    contacts_page.delete_button.click()
    add_contact(get_book("Standard"), card(*PEOPLE[1]))  # same UID, live again
    contacts_page.trash_toggle.click()
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _p, _t, text, *_a: warnings.append(text) or 0
    )
    select_rows(contacts_page, "Anna Becker")
    contacts_page.restore_button.click()
    assert len(warnings) == 1 and "bereits vorhanden" in warnings[0]
    assert column(contacts_page) == ["Anna Becker"]  # still in the trash


def test_double_click_opens_read_only_detail(
    people: None, contacts_page: ContactsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[ContactDetailDialog] = []
    monkeypatch.setattr(ContactDetailDialog, "exec", lambda self: shown.append(self) or 0)
    index = contacts_page.model.index(2, 1)  # Jürgen Müller
    contacts_page.table.doubleClicked.emit(index)
    [dialog] = shown
    assert dialog.fields["fn"].text() == "Jürgen Müller"
    assert dialog.fields["emails"].text() == "j.mueller@beispiel.de"
    assert dialog.fields["phones"].text() == "+49 30 1234567"
    assert dialog.fields["org"].text() == "Müller & Söhne GmbH"
    assert dialog.vcard_view.isReadOnly()
    assert "UID:u-1" in dialog.vcard_view.toPlainText()
    assert dialog.vcard_view.font().fixedPitch() or dialog.vcard_view.font().styleHint()


def test_big_book_opens_lazily_and_scrolls_to_the_end(qtbot: QtBot, store: Path) -> None:
    book = ensure_book("Groß")
    n = 20_000
    rows = []
    for i in range(n):
        fn = f"Kontakt {i:05d}"
        email = f"kontakt{i:05d}@beispiel.de"
        phone = f"+49 30 {i:07d}"
        text = card(f"big-{i}", fn, f"{i:05d};Kontakt", email, phone, "Massen GmbH")
        rows.append(
            {
                "book": book.id,
                "uid": f"big-{i}",
                "vcard": text,
                "fn": fn,
                "email": email,
                "phone": phone,
                "org": "Massen GmbH",
                "search": f"{fn} massen gmbh {email} {phone}".casefold(),
                "hash": f"h{i}",
            }
        )
    with database.atomic():
        for start in range(0, n, 2000):
            Contact.insert_many(rows[start : start + 2000]).execute()

    page = ContactsPage()
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    items = [page.book_list.item(r).text() for r in range(page.book_list.count())]
    page.book_list.setCurrentRow(items.index("Groß (20000)"))
    qtbot.waitExposed(page)
    model = page.model
    assert model.rowCount() == n
    assert model.cached_rows() <= PAGE_SIZE * 2  # only what the view shows was read
    assert model.data(model.index(0, 0)) == "Kontakt 00000"

    page.table.scrollToBottom()
    qtbot.wait(20)
    viewport = page.table.viewport()
    bottom = page.table.indexAt(QPoint(5, viewport.height() - 5))
    assert bottom.row() > n - 40
    assert model.data(model.index(n - 1, 0)) == "Kontakt 19999"
    assert page.table.verticalScrollBar().value() == page.table.verticalScrollBar().maximum()
    assert model.cached_rows() <= PAGE_SIZE * MAX_PAGES

    page.search_edit.setText("kontakt1999")
    page.apply_search()
    assert model.rowCount() == 10
    assert len(list_contacts(book, search="kontakt1999")) == 10


def test_main_window_menu_leads_to_the_contacts_page(qtbot: QtBot, people: None) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.stack.currentWidget() is window.sync_page  # the start page stays
    menus = {m.title().replace("&", ""): m for m in window.findChildren(QMenu)}
    action = window.page_actions[CONTACTS_PAGE]
    assert action in menus["Kontakte"].actions()
    assert action.text().replace("&", "") == "Kontakte anzeigen"
    action.trigger()
    assert window.stack.currentWidget() is window.contacts_page
    assert not window.page_actions[SYNC_PAGE].isChecked()
    assert window.contacts_page.model.rowCount() == 4
