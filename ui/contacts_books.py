"""Kontakte ▸ Kontakte anzeigen, left: the tree of local address books and their groups.

`BooksPart` is mixed into `ContactsPage` (ui/contacts_page.py), which builds the widgets
it works on. Each book shows its count and sync direction (icon, tooltip with its
bindings), and under it its groups (ui/contacts_groups.py); new, rename and delete go
through ui/book_dialogs.py, "Standard" stays. Which book the page opens on: `book_to_open`.
A selected group stays selected while the tree is built again (after any change in the
store); when it is gone, its book is selected and shows all its contacts.

The strings keep the translation context "ContactsPage" (`_tr`, `CONTEXT`): `self.tr()` in
this class would be extracted by lupdate under "BooksPart".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QToolButton, QTreeWidgetItem, QWidget

from app.store.books import operation_label
from app.store.books import synced_books as synced_books
from app.store.contacts import BookCount, book_counts
from app.store.db import STANDARD_BOOK
from app.store.names import book_display_name
from app.store.settings import get_setting, set_setting
from ui.book_dialogs import ask_delete_book, ask_new_book, ask_rename_book
from ui.contacts_groups import BOOK_ROLE as BOOK_ROLE
from ui.contacts_groups import GROUP_ROLE
from ui.icons import icon

if TYPE_CHECKING:
    from ui.agenda_widgets import DueFollowUpsPanel
    from ui.contact_model import ContactTableModel
    from ui.contacts_groups import BookTree

    _Page = QWidget  # for the type checker: the part is mixed into a QWidget
else:
    _Page = object

CONTEXT = "ContactsPage"
# The user setting that keeps the address book the user last chose to look at.
BOOK_SETTING = "contacts.book"
SYNC_ICONS = {"import": "sync-import", "oneway": "sync-oneway", "sync": "sync-twoway"}


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def book_to_open(books: Sequence[BookCount], remembered: str, synced: Sequence[str]) -> str | None:
    """The book the page opens on: the one this user last chose, else the most recently
    synced one, else the one with the most contacts, else "Standard". An empty "Standard"
    never hides a book with contacts, and neither does an empty synced book."""
    live = {b.name: b.live for b in books}
    if not live:
        return None
    any_contacts = any(live.values())
    if remembered in live and (live[remembered] or remembered != STANDARD_BOOK or not any_contacts):
        return remembered
    for name in synced:
        if name in live and (live[name] or not any_contacts):
            return name
    fullest = max(books, key=lambda b: b.live)  # the first of equals, in creation order
    if fullest.live:
        return fullest.name
    return STANDARD_BOOK if STANDARD_BOOK in live else books[0].name


class BooksPart(_Page):
    """The book list of the contacts page (mixed into `ContactsPage`)."""

    # Plain methods, no @Slot: see "Mixins" in ui/contacts_page.py.

    # Set by ContactsPage.__init__ / _build.
    model: ContactTableModel
    book_list: BookTree
    rename_book_button: QToolButton
    delete_book_button: QToolButton
    due_panel: DueFollowUpsPanel

    if TYPE_CHECKING:

        def _user_id(self) -> int: ...

        def add_group_items(
            self, book_item: QTreeWidgetItem, book: str, *, cached: bool = False
        ) -> dict[str, QTreeWidgetItem]: ...

        def current_group(self) -> str | None: ...

        def _update_item_buttons(self) -> None: ...

    # Books whose groups the user folded away (the others show theirs).
    _collapsed: frozenset[str] = frozenset()

    def current_book(self) -> str | None:
        item = self.book_list.currentItem()
        return None if item is None else str(item.data(0, BOOK_ROLE))

    def reload_books(
        self, select: str | None = None, *, rows: bool = True, cached_groups: bool = False
    ) -> None:
        """Re-read the books, counts and syncs; keep (or move to) the selected book or group.
        `rows`=False: the shown book's contacts did not change, keep the table as it is.
        `cached_groups`: the groups as last read (see `FollowingPart.follow_store`)."""
        infos = book_counts()
        if select is not None:
            self._remember_book(select)
        selected = select or self._book_to_show(infos)
        group = self.current_group() if selected == self.current_book() else None
        self.book_list.blockSignals(True)
        self.book_list.clear()
        first: QTreeWidgetItem | None = None
        match: QTreeWidgetItem | None = None
        for info in infos:
            item = QTreeWidgetItem([f"{book_display_name(info.name)} ({info.live})"])
            item.setData(0, BOOK_ROLE, info.name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            tip = [
                QCoreApplication.translate(
                    CONTEXT, "%n Kontakt(e), {0} im Papierkorb", None, info.live
                ).format(info.trashed)
            ]
            if info.syncs:
                item.setIcon(0, icon(SYNC_ICONS.get(info.syncs[0][0], "sync-twoway")))
                tip.append(_tr("Synchronisiert mit:"))
                for operation, _option, account, remote in info.syncs:
                    label = operation_label(operation)  # the core's translation (app.i18n)
                    tip.append(f"• {account} – {remote} ({label})")
            else:
                item.setIcon(0, icon("book"))
                tip.append(_tr("Nur lokal, ohne Synchronisierung"))
            item.setToolTip(0, "\n".join(tip))
            self.book_list.addTopLevelItem(item)
            children = self.add_group_items(item, info.name, cached=cached_groups)
            item.setExpanded(info.name not in self._collapsed)
            first = first or item
            if info.name == selected:
                match = children.get(group, item) if group is not None else item
        current = match or first
        if current is not None:
            self.book_list.setCurrentItem(current)
        self.book_list.blockSignals(False)
        shown = (self.current_book(), self.current_group() or "")
        if shown != (self.model.book_name, self.model.group):
            self.model.set_filter(*shown)
        elif rows:
            self.model.reload()
        self._update_book_buttons()
        if self.isVisible():
            self._book_seen = True

    # Which book the page shows. The user's own choice stays while they work (and is kept
    # per user for the next start); until they choose, the page opens on `book_to_open` -
    # each time it comes into view, so that it follows an import made meanwhile, but never
    # switching under the eyes of the user who is looking at it.
    _book_user: int | None = None  # the user the shown book was chosen for
    _book_chosen = False  # ... by that user, in this window
    _book_seen = False  # the page has been in view since the book was chosen for it

    def opening_book(self, books: Sequence[BookCount] | None = None) -> str | None:
        """The book the page opens on for the current user (see `book_to_open`)."""
        remembered = get_setting(self._user_id(), BOOK_SETTING)
        return book_to_open(book_counts() if books is None else books, remembered, synced_books())

    def _book_to_show(self, books: Sequence[BookCount]) -> str | None:
        user = self._user_id()
        current = self.current_book()
        still_there = current is not None and any(b.name == current for b in books)
        if user == self._book_user and still_there and (self._book_chosen or self._book_seen):
            return current
        if user != self._book_user:
            self._book_user, self._book_chosen = user, False
        self._book_seen = False
        return self.opening_book(books)

    def _remember_book(self, name: str | None) -> None:
        """The user chose this book: it stays, and the next start opens on it."""
        if name is None:
            return
        self._book_user, self._book_chosen = self._user_id(), True
        set_setting(self._book_user, BOOK_SETTING, name)

    def hideEvent(self, event: QHideEvent) -> None:
        """Out of view: until the user chooses a book, the page opens anew next time."""
        self._book_seen = False
        super().hideEvent(event)

    def _update_book_buttons(self) -> None:
        name = self.current_book()
        standard = name in (None, STANDARD_BOOK)
        self.rename_book_button.setEnabled(not standard)
        self.delete_book_button.setEnabled(not standard)
        self._update_item_buttons()

    def _book_selected(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        name = None if current is None else str(current.data(0, BOOK_ROLE))
        group = None if current is None else current.data(0, GROUP_ROLE)
        self._remember_book(name)
        self.model.set_filter(name, "" if group is None else str(group))
        self._update_book_buttons()

    def _book_folded(self, item: QTreeWidgetItem, folded: bool) -> None:
        """The user folded a book's groups away (or opened them): kept while the window
        is open."""
        name = str(item.data(0, BOOK_ROLE))
        self._collapsed = self._collapsed | {name} if folded else self._collapsed - {name}

    def new_book(self) -> None:
        name = ask_new_book(self)
        if name:
            self.reload_books(select=name)

    def rename_book(self) -> None:
        name = self.current_book()
        if name is None or name == STANDARD_BOOK:
            return
        new = ask_rename_book(self, name)
        if new:
            self.reload_books(select=new)

    def delete_book(self) -> None:
        name = self.current_book()
        if name is None or name == STANDARD_BOOK:
            return
        if ask_delete_book(self, name):
            self.reload_books(select=STANDARD_BOOK)
            self.due_panel.refresh()
