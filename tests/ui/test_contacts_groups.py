"""Groups on the page "Kontakte anzeigen" (issue 19): the tree book → groups with member
counts, filtering the table to a group, new / rename / delete, dropping contacts from the
table onto a group (real MIME data from the table's model), and the tree following changes
made in the store meanwhile (as a sync or the CLI would)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from app.store import groups
from app.store.contacts import (
    add_contact,
    count_live,
    ensure_book,
    find_live_by_uid,
    get_book,
    get_contact,
)
from tests.ui.modal import answering, clicking
from ui.contact_model import CONTACTS_MIME
from ui.contacts_groups import GROUP_ROLE, GroupNameDialog
from ui.contacts_page import ContactsPage
from ui.store_watch import store_watch


def person(uid: str, fn: str, extra: str = "") -> str:
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\nN:{fn};;;;\r\n{extra}END:VCARD\r\n"
    )


APPLE_GROUP = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:g-apple\r\nFN:Kunden Nord\r\nN:Kunden Nord;;;;\r\n"
    "X-ADDRESSBOOKSERVER-KIND:group\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p1\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p2\r\nEND:VCARD\r\n"
)


@pytest.fixture
def page(qtbot: QtBot, store: Path) -> ContactsPage:
    book = ensure_book("Standard")
    add_contact(book, person("p1", "Anna Nord", "CATEGORIES:Ärzte\r\n"))
    add_contact(book, person("p2", "Bernd Nord"))
    add_contact(book, person("p3", "Clara Presse", "CATEGORIES:Presse,Ärzte\r\n"))
    add_contact(book, person("p4", "Dora Ohne"))
    add_contact(book, APPLE_GROUP)
    add_contact(ensure_book("Verein"), person("v1", "Vera Verein", "CATEGORIES:Vorstand\r\n"))
    widget = ContactsPage()
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    widget.select_book("Standard")
    return widget


def tree_texts(page: ContactsPage) -> dict[str, list[str]]:
    tree = page.book_list
    out: dict[str, list[str]] = {}
    for r in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(r)
        assert item is not None
        out[item.text(0)] = [item.child(c).text(0) for c in range(item.childCount())]
    return out


def names(page: ContactsPage) -> list[str]:
    m = page.model
    return [m.data(m.index(r, 0)) for r in range(m.rowCount())]


def select_rows(page: ContactsPage, *wanted: str) -> None:
    page.table.clearSelection()
    flags = page.table.selectionModel().SelectionFlag
    for r, name in enumerate(names(page)):
        if name in wanted:
            page.table.selectionModel().select(page.model.index(r, 0), flags.Select | flags.Rows)


def group_item(page: ContactsPage, book: str, group: str) -> QTreeWidgetItem:
    item = page.group_item(book, group)
    assert item is not None, (book, group, tree_texts(page))
    return item


def members(book: str, group: str) -> list[str]:
    b = get_book(book)
    return sorted(get_contact(i).fn for i in groups.member_ids(b, group))


def name_dialog(text: str, note: list[str] | None = None) -> Any:
    """Type `text` into the group name dialog and press its OK button."""

    def act(dialog: GroupNameDialog) -> None:
        dialog.name_edit.setText(text)
        if note is not None:
            note.extend(label.text() for label in dialog.findChildren(type(dialog.error_label)))
        assert dialog.ok_button().isEnabled(), dialog.error_label.text()
        dialog.ok_button().click()

    return answering(GroupNameDialog, act)


def test_tree_shows_each_books_groups_with_counts(page: ContactsPage) -> None:
    assert tree_texts(page) == {
        "Standard (4)": ["Ärzte (2)", "Kunden Nord (2)", "Presse (1)"],  # German order
        "Verein (1)": ["Vorstand (1)"],
    }
    item = group_item(page, "Standard", "Kunden Nord")
    assert item.toolTip(0).splitlines() == ["2 Mitglieder", "Gespeichert als Gruppen-vCard"]
    assert group_item(page, "Standard", "Presse").toolTip(0).splitlines()[0] == "1 Mitglied"


def test_selecting_a_group_filters_the_table_and_search_works_inside(page: ContactsPage) -> None:
    assert names(page) == ["Anna Nord", "Bernd Nord", "Clara Presse", "Dora Ohne"]
    page.book_list.setCurrentItem(group_item(page, "Standard", "Ärzte"))  # as a click does
    assert page.current_group() == "Ärzte" and page.current_book() == "Standard"
    assert names(page) == ["Anna Nord", "Clara Presse"]
    assert page.status_label.text() == "2 Kontakte in der Gruppe „Ärzte“"
    page.search_edit.setText("clara")
    page.apply_search()
    assert names(page) == ["Clara Presse"]
    page.search_edit.setText("bernd")  # in the book, not in the group
    page.apply_search()
    assert names(page) == []
    page.search_edit.clear()
    page.apply_search()
    page.model.sort(0, Qt.SortOrder.DescendingOrder)
    assert names(page) == ["Clara Presse", "Anna Nord"]
    assert page.select_contact(find_live_by_uid(get_book("Standard"), "p3").id)  # type: ignore[union-attr]
    assert page.table.currentIndex().row() == 0
    page.model.sort(0, Qt.SortOrder.AscendingOrder)
    page.select_book("Standard")
    assert page.current_group() is None
    assert names(page) == ["Anna Nord", "Bernd Nord", "Clara Presse", "Dora Ohne"]
    # a contact outside the group shown: the page goes to the whole book to show it
    page.select_group("Standard", "Presse")
    dora = find_live_by_uid(get_book("Standard"), "p4")
    assert dora is not None
    page.show_contact(dora.id)
    assert page.current_group() is None and page.current_contact_id() == dora.id


def test_new_group_with_the_selected_contacts(page: ContactsPage) -> None:
    select_rows(page, "Bernd Nord", "Dora Ohne")
    seen: list[str] = []
    with name_dialog("  Presse   Nord ", seen) as dialogs:
        page.new_group_button.click()
    assert len(dialogs) == 1
    assert "Ausgewählt: 2 Kontakte. Sie werden die ersten Mitglieder der Gruppe." in seen
    assert members("Standard", "Presse Nord") == ["Bernd Nord", "Dora Ohne"]
    assert page.current_group() == "Presse Nord"  # the new group is shown
    assert names(page) == ["Bernd Nord", "Dora Ohne"]
    assert "Presse Nord (2)" in tree_texts(page)["Standard (4)"]


def test_new_group_without_selection_is_empty_and_names_are_checked(
    page: ContactsPage, qtbot: QtBot
) -> None:
    page.table.clearSelection()
    dialog = page.group_name_dialog("Standard", None, "")
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("presse")  # "Presse" exists (any case)
    assert not dialog.ok_button().isEnabled()
    assert dialog.error_label.text() == "Diese Gruppe gibt es in dem Adressbuch schon."
    dialog.name_edit.setText("x" * 201)
    assert "zu lang" in dialog.error_label.text()
    dialog.name_edit.setText("Vorstand")  # only another book has it
    assert dialog.ok_button().isEnabled()
    seen: list[str] = []
    with name_dialog("Vorstand", seen):
        page.new_group()
    assert any("zunächst leer" in text for text in seen)
    assert "Vorstand (0)" in tree_texts(page)["Standard (4)"]
    assert names(page) == []


def test_a_store_error_is_shown_in_german(page: ContactsPage) -> None:
    """The name was free when the dialog opened; another window took it meanwhile."""
    shown: list[str] = []

    def refuse(dialog: GroupNameDialog) -> None:
        dialog.name_edit.setText("Vorstand")
        groups.create_group(get_book("Standard"), "Vorstand")  # meanwhile, elsewhere
        dialog.ok_button().click()

    def warned(box: QMessageBox) -> None:
        shown.append(box.text())
        box.accept()
        QTimer.singleShot(50, lambda: [d.reject() for d in page.findChildren(GroupNameDialog)])

    with answering(GroupNameDialog, refuse), answering(QMessageBox, warned):
        page.new_group()
    assert shown == ["Im Adressbuch „Standard“ gibt es die Gruppe „Vorstand“ schon."]


def test_rename_and_delete_a_group(page: ContactsPage, monkeypatch: pytest.MonkeyPatch) -> None:
    page.select_group("Standard", "Kunden Nord")
    assert page.rename_book_button.toolTip() == "Gruppe umbenennen …"
    with name_dialog("Kunden Nordost"):
        page.rename_book_button.click()  # ✎ acts on the selected group
    assert page.current_group() == "Kunden Nordost"
    assert members("Standard", "Kunden Nordost") == ["Anna Nord", "Bernd Nord"]
    assert "Kunden Nordost (2)" in tree_texts(page)["Standard (4)"]

    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    page.delete_book_button.click()  # − acts on the group: asks first; "Nein" keeps it
    assert "Die Kontakte darin bleiben im Adressbuch „Standard“" in asked[0]
    assert "Kunden Nordost (2)" in tree_texts(page)["Standard (4)"]
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    page.delete_item()
    assert tree_texts(page)["Standard (4)"] == ["Ärzte (2)", "Presse (1)"]
    assert page.current_group() is None
    assert count_live(get_book("Standard")) == 4  # the members stay


def test_context_menus(page: ContactsPage) -> None:
    menu = page.tree_menu(group_item(page, "Standard", "Presse"))
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Neue Gruppe …", "Gruppe umbenennen …", "Gruppe löschen …"]
    book_menu = page.tree_menu(page.book_item("Standard"))
    assert [a.text() for a in book_menu.actions() if a.text()][:1] == ["Neue Gruppe …"]
    standard = [a for a in book_menu.actions() if a.text() == "Adressbuch löschen …"]
    assert not standard[0].isEnabled()
    page.select_book("Standard")
    select_rows(page, "Dora Ohne")
    table_menu = page.table_menu()
    [sub] = [a.menu() for a in table_menu.actions() if a.text() == "Zur Gruppe hinzufügen"]
    [presse] = [a for a in sub.actions() if a.text() == "Presse"]
    presse.trigger()
    assert members("Standard", "Presse") == ["Clara Presse", "Dora Ohne"]
    page.select_group("Standard", "Presse")
    select_rows(page, "Dora Ohne")
    [remove] = [a for a in page.table_menu().actions() if a.text().startswith("Aus der Gruppe")]
    remove.trigger()
    assert members("Standard", "Presse") == ["Clara Presse"]
    assert names(page) == ["Clara Presse"]
    assert count_live(get_book("Standard")) == 4


def test_dropping_contacts_on_a_group(page: ContactsPage) -> None:
    select_rows(page, "Bernd Nord", "Dora Ohne", "Clara Presse")
    data = page.model.mimeData(page.table.selectionModel().selectedRows())
    assert data.hasFormat(CONTACTS_MIME)
    tree = page.book_list
    # not onto a book, nor onto a group of another book
    assert not tree.dropMimeData(page.book_item("Standard"), 0, data, Qt.DropAction.CopyAction)
    assert not tree.dropMimeData(
        group_item(page, "Verein", "Vorstand"), 0, data, Qt.DropAction.CopyAction
    )
    target = group_item(page, "Standard", "Presse")
    assert target.flags() & Qt.ItemFlag.ItemIsDropEnabled
    assert tree.dropMimeData(target, 0, data, Qt.DropAction.CopyAction)
    assert members("Standard", "Presse") == ["Bernd Nord", "Clara Presse", "Dora Ohne"]
    assert "Presse (3)" in tree_texts(page)["Standard (4)"]
    assert len(page.selected_ids()) == 3  # the dragged contacts stay selected
    assert page.undo_bar.isVisible()
    assert page.undo_bar.label.text() == "2 Kontakte zur Gruppe „Presse“ hinzugefügt."
    page.undo_bar.undo_button.click()  # Rückgängig: only the two that were added go
    assert members("Standard", "Presse") == ["Clara Presse"]
    assert "Presse (1)" in tree_texts(page)["Standard (4)"]
    # the group card's own dialect is kept when members are dropped on it
    select_rows(page, "Dora Ohne")
    data = page.model.mimeData(page.table.selectionModel().selectedRows())
    assert page.drop_on_group("Standard", "Kunden Nord", data)
    card = find_live_by_uid(get_book("Standard"), "g-apple")
    assert card is not None
    assert "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p4" in card.vcard


def test_the_tree_follows_changes_made_in_the_store(page: ContactsPage, qtbot: QtBot) -> None:
    watch = store_watch()
    page.select_group("Standard", "Ärzte")
    assert names(page) == ["Anna Nord", "Clara Presse"]
    book = get_book("Standard")
    dora = find_live_by_uid(book, "p4")
    assert dora is not None
    # elsewhere (the CLI, a sync): a member more, a new group
    groups.add_members(book, "Ärzte", [dora.id])
    groups.create_group(book, "Bewerber_innen", [dora.id])
    watch.check_now()
    # the table at once; the groups right after, in a turn of the event loop of their own
    assert names(page) == ["Anna Nord", "Clara Presse", "Dora Ohne"]
    qtbot.waitUntil(lambda: not page.groups_timer.isActive(), timeout=2000)
    assert tree_texts(page)["Standard (4)"] == [
        "Ärzte (3)",
        "Bewerber_innen (1)",
        "Kunden Nord (2)",
        "Presse (1)",
    ]
    assert page.current_group() == "Ärzte"  # the selection stays
    assert names(page) == ["Anna Nord", "Clara Presse", "Dora Ohne"]
    # the group shown is deleted elsewhere: its book is shown, all contacts again
    groups.delete_group(book, "Ärzte")
    watch.check_now()
    qtbot.waitUntil(lambda: not page.groups_timer.isActive(), timeout=2000)
    assert page.current_group() is None and page.current_book() == "Standard"
    assert names(page) == ["Anna Nord", "Bernd Nord", "Clara Presse", "Dora Ohne"]
    assert "Ärzte (2)" not in tree_texts(page)["Standard (4)"]
    item = page.book_list.currentItem()
    assert item is not None and item.data(0, GROUP_ROLE) is None


def test_folded_books_stay_folded(page: ContactsPage) -> None:
    item = page.book_item("Standard")
    assert item is not None and item.isExpanded()
    item.setExpanded(False)  # as a click on the arrow does
    page.refresh()
    item = page.book_item("Standard")
    assert item is not None and not item.isExpanded()


def test_the_book_buttons_act_on_a_selected_group(page: ContactsPage) -> None:
    """On a book they act on the book ("Standard" cannot be renamed), on a group on it."""
    page.select_book("Standard")
    assert not page.rename_book_button.isEnabled()
    page.select_group("Standard", "Presse")
    assert page.rename_book_button.isEnabled() and page.delete_book_button.isEnabled()
    with clicking("Abbrechen", GroupNameDialog) as seen:
        page.rename_item()
    assert len(seen) == 1


def test_a_big_group_is_counted_and_paged(
    page: ContactsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above GROUP_READ_AT_ONCE members the model counts and reads pages, as for a book."""
    import ui.contact_model

    monkeypatch.setattr(ui.contact_model, "GROUP_READ_AT_ONCE", 1)
    monkeypatch.setattr(ui.contact_model, "PAGE_SIZE", 1)
    page.select_group("Standard", "Kunden Nord")
    assert page.model.rowCount() == 2
    assert names(page) == ["Anna Nord", "Bernd Nord"]


def drag_events(page: ContactsPage, item: QTreeWidgetItem, y: int, data: Any) -> tuple[bool, bool]:
    """Drag-enter, -move and drop events at height `y` of `item`'s row, as Qt sends them
    during a drag (a real drag loop cannot run offscreen); returns (move, drop) accepted."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    rect = page.book_list.visualItemRect(item)
    pos = QPointF(rect.center().x(), y)
    viewport = page.book_list.viewport()
    args = (Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0))
    QApplication.sendEvent(viewport, QDragEnterEvent(pos.toPoint(), *args))
    move = QDragMoveEvent(pos.toPoint(), *args)
    QApplication.sendEvent(viewport, move)
    drop = QDropEvent(pos, *args)
    QApplication.sendEvent(viewport, drop)
    return move.isAccepted(), drop.isAccepted()


def test_a_drop_anywhere_on_a_group_row_lands_on_the_group(page: ContactsPage) -> None:
    select_rows(page, "Dora Ohne")
    data = page.model.mimeData(page.table.selectionModel().selectedRows())
    book = page.book_item("Standard")
    assert book is not None
    top = page.book_list.visualItemRect(book).top() + 1
    assert drag_events(page, book, top, data) == (False, False)  # not onto a book
    assert members("Standard", "Presse") == ["Clara Presse"]
    item = group_item(page, "Standard", "Presse")
    edge = page.book_list.visualItemRect(item).top() + 1  # near the edge: still onto it
    assert drag_events(page, item, edge, data) == (True, True)
    assert members("Standard", "Presse") == ["Clara Presse", "Dora Ohne"]
