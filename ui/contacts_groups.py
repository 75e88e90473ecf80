"""Kontakte ▸ Kontakte anzeigen, left: the groups under each address book (issue 19).

The book list is a tree (`BookTree`): each book, and under it its groups with their member
counts ("Presse (12)", German order, app.store.groups.list_groups). Selecting a group shows
only its members in the table (search and sort work inside it); selecting the book shows
all again. `GroupsPart` is mixed into `ContactsPage` (ui/contacts_page.py): "Neue Gruppe"
(the selected contacts become its first members, the dialog says so), "Umbenennen" and
"Löschen" (asks first; the members stay), dropping contacts from the table onto a group
(they become members, "Rückgängig" in the status line), and the same from the table's
context menu. Every change goes through app.store.groups, which writes it into the cards
(where the group lives, new groups as the book's accounts want it), so the next sync
carries it; what the store refuses (StoreError) is shown in German as it is.

The strings keep the translation context "ContactsPage" (`_tr`, `CONTEXT`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QMimeData, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QDragMoveEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QMenu,
    QMessageBox,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from app.store import groups
from app.store.contacts import StoreError, find_book, get_book
from app.store.db import STANDARD_BOOK
from app.store.names import book_display_name
from ui.ask import ask_yes_no
from ui.contact_model import CONTACTS_MIME
from ui.icons import icon
from ui.name_dialog import NameDialog

if TYPE_CHECKING:
    from ui.contact_model import ContactTableModel
    from ui.undo_bar import UndoBar

    _Page = QWidget  # for the type checker: the part is mixed into a QWidget
else:
    _Page = object

CONTEXT = "ContactsPage"
BOOK_ROLE = Qt.ItemDataRole.UserRole
#: On a group's item: its name (a book's item has none).
GROUP_ROLE = Qt.ItemDataRole.UserRole + 1


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def dropped_contacts(data: QMimeData) -> tuple[str, list[int]] | None:
    """The book and contact ids of contacts dragged from the table (None: not ours)."""
    if not data.hasFormat(CONTACTS_MIME):
        return None
    try:
        payload = json.loads(bytes(data.data(CONTACTS_MIME).data()).decode("utf-8"))
        return str(payload["book"]), [int(i) for i in payload["ids"]]
    except (ValueError, KeyError, TypeError):
        return None


class BookTree(QTreeWidget):
    """The books and their groups; contacts dropped on a group are told by
    `contacts_dropped(book, group, ids)` (only onto a group of their own book)."""

    contacts_dropped = Signal(str, str, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setRootIsDecorated(True)
        self.setExpandsOnDoubleClick(False)  # a double click renames, as it always did
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setDropIndicatorShown(True)
        self.setDragDropOverwriteMode(True)  # onto the row, also near its edges
        self.invisibleRootItem().setFlags(Qt.ItemFlag.ItemIsEnabled)  # no drop between items

    def mimeTypes(self) -> list[str]:
        return [CONTACTS_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def _target(self, item: QTreeWidgetItem | None, data: QMimeData) -> tuple[str, str] | None:
        """(book, group) when `data` holds contacts of the book of the group `item`."""
        dropped = dropped_contacts(data)
        if item is None or dropped is None or item.data(0, GROUP_ROLE) is None:
            return None
        book = str(item.data(0, BOOK_ROLE))
        return (book, str(item.data(0, GROUP_ROLE))) if dropped[0] == book else None

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        super().dragMoveEvent(event)
        item = self.itemAt(event.position().toPoint())
        if self._target(item, event.mimeData()) is None:
            event.ignore()  # only a group of the contacts' own book takes them
        else:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()

    def dropMimeData(
        self,
        parent: QTreeWidgetItem | None,
        index: int,
        data: QMimeData,
        action: Qt.DropAction,
    ) -> bool:
        target = self._target(parent, data)
        dropped = dropped_contacts(data)
        if target is None or dropped is None or not dropped[1]:
            return False
        self.contacts_dropped.emit(target[0], target[1], dropped[1])
        return True


class GroupNameDialog(NameDialog):
    """The name of a new group (or the new name of `current`), checked while typing; `note`
    says what happens with the selected contacts. Widgets: "nameEdit", "errorLabel"."""

    def __init__(
        self,
        book: str,
        current: str | None,
        note: str,
        taken: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        self.taken = {n.casefold() for n in taken if n != current}
        if current is None:
            title = _tr("Neue Gruppe")
            prompt = _tr("Name der neuen Gruppe im Adressbuch „{0}“:").format(
                book_display_name(book)
            )
        else:
            title = _tr("Gruppe umbenennen")
            prompt = _tr("Neuer Name für die Gruppe „{0}“:").format(current)
        super().__init__(
            title=title,
            prompt=prompt,
            current=current,
            problem=self.problem,
            ok_text=_tr("Anlegen") if current is None else _tr("Umbenennen"),
            cancel_text=_tr("Abbrechen"),
            note=note,
            parent=parent,
        )

    def name(self) -> str:
        return " ".join(self.name_edit.text().split())  # as the store keeps a group's name

    def problem(self, name: str) -> str:
        try:
            groups.validate_name(name)
        except StoreError as error:
            return str(error)
        if name.casefold() in self.taken:
            return _tr("Diese Gruppe gibt es in dem Adressbuch schon.")
        return ""


def kind_tip(kind: str) -> str:
    """Where a group lives (GroupInfo.kind), for its tooltip."""
    if kind == groups.KIND_CATEGORIES:
        return _tr("Gespeichert als Kategorie der Mitglieder")
    if kind == groups.KIND_CARD:
        return _tr("Gespeichert als Gruppen-vCard")
    if kind == groups.KIND_BOTH:
        return _tr("Gespeichert als Kategorie und als Gruppen-vCard")
    return _tr("Noch ohne Mitglieder")


class GroupsPart(_Page):
    """The groups in the book tree of the contacts page (mixed into `ContactsPage`)."""

    # Plain methods, no @Slot: see "Mixins" in ui/contacts_page.py.

    # Set by ContactsPage.__init__ / _build.
    model: ContactTableModel
    book_list: BookTree
    _group_cache: dict[str, list[groups.GroupInfo]]  # by book, as the tree last read them
    undo_bar: UndoBar
    rename_book_button: QToolButton
    delete_book_button: QToolButton

    if TYPE_CHECKING:

        def selected_ids(self) -> list[int]: ...

        def current_book(self) -> str | None: ...

        def reload_books(
            self, select: str | None = None, *, rows: bool = True, cached_groups: bool = False
        ) -> None: ...

        def rename_book(self) -> None: ...

        def delete_book(self) -> None: ...

        def new_book(self) -> None: ...

        def follow_store(self, *, rows: bool = True) -> None: ...

        def _book_selected(self, current: QTreeWidgetItem | None, _previous: object) -> None: ...

        def _book_folded(self, item: QTreeWidgetItem, folded: bool) -> None: ...

    # ------------------------------------------------------------------ the tree

    def _build_tree(self) -> BookTree:
        tree = BookTree()
        tree.setObjectName("bookList")
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setIconSize(QSize(16, 16))
        tree.setIndentation(14)
        tree.setToolTip(
            _tr(
                "Eine Gruppe wählen, um nur ihre Mitglieder zu sehen; Kontakte aus der "
                "Liste auf eine Gruppe ziehen, um sie hinzuzufügen."
            )
        )
        tree.currentItemChanged.connect(self._book_selected)
        tree.itemDoubleClicked.connect(lambda *_: self.rename_item())
        tree.itemExpanded.connect(lambda item: self._book_folded(item, False))
        tree.itemCollapsed.connect(lambda item: self._book_folded(item, True))
        tree.contacts_dropped.connect(self.add_to_group)
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self._tree_menu)
        return tree

    def _build_new_group_button(self) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon("group"))
        button.setText(_tr("Neue Gruppe …"))
        button.setToolTip(
            _tr(
                "Eine Gruppe im gewählten Adressbuch anlegen; ausgewählte Kontakte werden "
                "ihre ersten Mitglieder"
            )
        )
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        button.clicked.connect(self.new_group)
        return button

    def add_group_items(
        self, book_item: QTreeWidgetItem, book: str, *, cached: bool = False
    ) -> dict[str, QTreeWidgetItem]:
        """The groups of `book` as children of its item; returns them by name. `cached`:
        as last read, if they were (`follow_store` reads them afresh right after)."""
        infos = self._group_cache.get(book) if cached else None
        if infos is None:
            found = find_book(book)
            infos = [] if found is None else groups.list_groups(found)
            self._group_cache[book] = infos
        items: dict[str, QTreeWidgetItem] = {}
        for info in infos:
            item = QTreeWidgetItem([f"{info.name} ({info.members})"])
            item.setData(0, BOOK_ROLE, book)
            item.setData(0, GROUP_ROLE, info.name)
            item.setIcon(0, icon("group"))
            tip = QCoreApplication.translate(CONTEXT, "%n Mitglied(er)", None, info.members)
            item.setToolTip(0, tip + "\n" + kind_tip(info.kind))
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDropEnabled
            )
            book_item.addChild(item)
            items[info.name] = item
        return items

    def current_group(self) -> str | None:
        """The selected group's name (None: a book is selected)."""
        item = self.book_list.currentItem()
        value = None if item is None else item.data(0, GROUP_ROLE)
        return None if value is None else str(value)

    def book_item(self, book: str) -> QTreeWidgetItem | None:
        items = (self.book_list.topLevelItem(r) for r in range(self.book_list.topLevelItemCount()))
        return next((i for i in items if i is not None and i.data(0, BOOK_ROLE) == book), None)

    def group_item(self, book: str, group: str) -> QTreeWidgetItem | None:
        parent = self.book_item(book)
        if parent is None:
            return None
        items = (parent.child(r) for r in range(parent.childCount()))
        return next((i for i in items if i is not None and i.data(0, GROUP_ROLE) == group), None)

    def select_book(self, book: str) -> bool:
        """Select the book `book` (all its contacts); False if there is none."""
        item = self.book_item(book)
        if item is not None:
            self.book_list.setCurrentItem(item)
        return item is not None

    def select_group(self, book: str, group: str) -> bool:
        """Select the group `group` of `book` (its members only); False if there is none."""
        item = self.group_item(book, group)
        if item is not None:
            self.book_list.setCurrentItem(item)
        return item is not None

    def _group_names(self, book: str) -> list[str]:
        found = find_book(book)
        return [] if found is None else [g.name for g in groups.list_groups(found)]

    def _update_item_buttons(self) -> None:
        """✎ and − act on the selected group when a group is selected."""
        if self.current_group() is None:
            self.rename_book_button.setToolTip(_tr("Adressbuch umbenennen …"))
            self.delete_book_button.setToolTip(_tr("Adressbuch löschen …"))
        else:
            self.rename_book_button.setToolTip(_tr("Gruppe umbenennen …"))
            self.delete_book_button.setToolTip(_tr("Gruppe löschen …"))
            self.rename_book_button.setEnabled(True)
            self.delete_book_button.setEnabled(True)

    def rename_item(self) -> None:
        if self.current_group() is None:
            self.rename_book()
        else:
            self.rename_group()

    def delete_item(self) -> None:
        if self.current_group() is None:
            self.delete_book()
        else:
            self.delete_group()

    # ------------------------------------------------------------------ new, rename, delete

    def group_name_dialog(self, book: str, current: str | None, note: str = "") -> GroupNameDialog:
        return GroupNameDialog(book, current, note, self._group_names(book), self)

    def _store_refused(self, title: str, error: StoreError) -> None:
        QMessageBox.warning(self, title, str(error))

    def new_group(self) -> None:
        """Ask for a name and create the group in the selected book; the selected
        contacts (if any) become its first members."""
        book = self.current_book()
        if book is None:
            return
        ids = [] if self.model.trash or self.model.book_name != book else self.selected_ids()
        if ids:
            note = QCoreApplication.translate(
                CONTEXT,
                "Ausgewählt: %n Kontakt(e). Sie werden die ersten Mitglieder der Gruppe.",
                None,
                len(ids),
            )
        else:
            note = _tr(
                "Die Gruppe ist zunächst leer. Ziehen Sie Kontakte aus der Liste auf die "
                "Gruppe, um sie hinzuzufügen."
            )
        dialog = self.group_name_dialog(book, None, note)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                info = groups.create_group(get_book(book), dialog.name(), ids)
            except StoreError as error:
                self._store_refused(_tr("Gruppe nicht angelegt"), error)
                continue
            self.reload_books(select=book)
            self.select_group(book, info.name)
            return

    def rename_group(self) -> None:
        book, name = self.current_book(), self.current_group()
        if book is None or name is None:
            return
        dialog = self.group_name_dialog(book, name)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                info = groups.rename_group(get_book(book), name, dialog.name())
            except StoreError as error:
                self._store_refused(_tr("Gruppe nicht umbenannt"), error)
                continue
            self.reload_books(select=book)
            self.select_group(book, info.name)
            return

    def delete_group(self) -> None:
        """Delete the selected group after asking; its members stay in the book."""
        book, name = self.current_book(), self.current_group()
        if book is None or name is None:
            return
        if not ask_yes_no(
            self,
            _tr("Gruppe löschen"),
            _tr(
                "Die Gruppe „{0}“ löschen? Die Kontakte darin bleiben im Adressbuch „{1}“; "
                "nur die Gruppe verschwindet (bei der nächsten Synchronisation auch auf dem "
                "Server)."
            ).format(name, book_display_name(book)),
        ):
            return
        try:
            groups.delete_group(get_book(book), name)
        except StoreError as error:
            self._store_refused(_tr("Gruppe nicht gelöscht"), error)
        self.reload_books(select=book)
        self.select_book(book)

    # ------------------------------------------------------------------ members

    def _show_change(self, book: str, group: str) -> None:
        """After the members of `group` changed: the book's groups read now. The table's
        rows stay where they are (and selected) unless it shows that group or is sorted by
        the time of the last change."""
        self._group_cache.pop(book, None)
        if self.model.group == group or self.model.order() == "modified":
            self.reload_books()
        else:
            self.reload_books(rows=False)
            self.model.refresh_cells()

    def add_to_group(self, book: str, group: str, ids: Sequence[int]) -> None:
        """Make the contacts members of the group; the outcome in the status line, with
        Rückgängig for the ones that were not members before."""
        try:
            store_book = get_book(book)
            before = set(groups.member_ids(store_book, group))
            groups.add_members(store_book, group, ids)
        except StoreError as error:
            self._store_refused(_tr("Nicht zur Gruppe hinzugefügt"), error)
            self._show_change(book, group)
            return
        added = [i for i in dict.fromkeys(ids) if i not in before]
        self._show_change(book, group)
        if not added:
            text = _tr("Die Kontakte sind schon in der Gruppe „{0}“.").format(group)
        else:
            text = QCoreApplication.translate(
                CONTEXT, "%n Kontakt(e) zur Gruppe „{0}“ hinzugefügt.", None, len(added)
            ).format(group)
        self.undo_bar.undo_button.setToolTip(_tr("Das Hinzufügen zurücknehmen (Strg+Z)"))
        self.undo_bar.offer(text, lambda: self.remove_from_group(book, group, added, offer=False))

    def drop_on_group(self, book: str, group: str, data: QMimeData) -> bool:
        """Contacts dragged from the table (their MIME data) dropped onto a group."""
        item = self.group_item(book, group)
        return item is not None and self.book_list.dropMimeData(
            item, 0, data, Qt.DropAction.CopyAction
        )

    def remove_from_group(
        self, book: str, group: str, ids: Sequence[int], *, offer: bool = True
    ) -> None:
        """Take the contacts out of the group (they stay in the book)."""
        try:
            removed = groups.remove_members(get_book(book), group, ids)
        except StoreError as error:
            self._store_refused(_tr("Nicht aus der Gruppe entfernt"), error)
            self._show_change(book, group)
            return
        self._show_change(book, group)
        if offer and removed:
            text = QCoreApplication.translate(
                CONTEXT, "%n Kontakt(e) aus der Gruppe „{0}“ entfernt.", None, removed
            ).format(group)
            self.undo_bar.undo_button.setToolTip(_tr("Das Entfernen zurücknehmen (Strg+Z)"))
            self.undo_bar.offer(text, lambda: self.add_to_group(book, group, ids))

    def group_menu(self, menu: QMenu) -> None:
        """The table menu's group entries for the selected contacts."""
        book = self.model.book_name
        ids = self.selected_ids()
        if book is None or not ids or self.model.trash:
            return
        sub = menu.addMenu(icon("group"), _tr("Zur Gruppe hinzufügen"))
        for name in self._group_names(book):
            sub.addAction(name, partial(self.add_to_group, book, name, ids))
        sub.addSeparator()
        sub.addAction(_tr("Neue Gruppe mit der Auswahl …"), self.new_group)
        group = self.model.group
        if group:
            menu.addAction(
                _tr("Aus der Gruppe „{0}“ entfernen").format(group),
                lambda: self.remove_from_group(book, group, ids),
            )

    def tree_menu(self, item: QTreeWidgetItem | None) -> QMenu:
        """The book tree's context menu: groups for a book or a group, the book's own."""
        menu = QMenu(self)
        if item is None:
            menu.addAction(icon("plus"), _tr("Neues Adressbuch anlegen …"), self.new_book)
            return menu
        self.book_list.setCurrentItem(item)
        menu.addAction(icon("group"), _tr("Neue Gruppe …"), self.new_group)
        if item.data(0, GROUP_ROLE) is not None:
            menu.addAction(icon("edit"), _tr("Gruppe umbenennen …"), self.rename_group)
            menu.addAction(icon("minus"), _tr("Gruppe löschen …"), self.delete_group)
        else:
            menu.addSeparator()
            standard = item.data(0, BOOK_ROLE) == STANDARD_BOOK
            rename = menu.addAction(icon("edit"), _tr("Adressbuch umbenennen …"), self.rename_book)
            delete = menu.addAction(icon("minus"), _tr("Adressbuch löschen …"), self.delete_book)
            rename.setEnabled(not standard)
            delete.setEnabled(not standard)
        return menu

    def _tree_menu(self, pos: QPoint) -> None:
        item = self.book_list.itemAt(pos)
        self.tree_menu(item).exec(self.book_list.viewport().mapToGlobal(pos))
