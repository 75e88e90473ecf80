"""Kontakte ▸ Kontakte anzeigen follows the store, whoever changed it.

`FollowingPart` is mixed into `ContactsPage` (ui/contacts_page.py), which connects the
signals of ui/store_watch.py to it: a sync, the CLI or another window changed contacts,
books or follow-ups — the book list, counts and rows show it, the selected contacts stay
selected and the table keeps its scroll position. Out of view nothing is read: the page
reads everything again when it comes into view (`ContactsPage.showEvent`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QTimer
from PySide6.QtWidgets import QTableView, QWidget

from app.store.changes import Changes
from app.store.contacts import book_syncs, contact_position, find_book, get_book

if TYPE_CHECKING:
    from ui.contact_model import ContactTableModel

    _Page = QWidget  # for the type checker: the part is mixed into a QWidget
else:
    _Page = object

#: After a change from elsewhere, at most this many selected contacts are selected again.
KEEP_SELECTED_MAX = 200


class FollowingPart(_Page):
    """Following changes in the store (mixed into `ContactsPage`)."""

    # Plain methods, no @Slot: see "Mixins" in ui/contacts_page.py.

    # Set by ContactsPage.__init__ / _build.
    model: ContactTableModel
    table: QTableView
    groups_timer: QTimer

    if TYPE_CHECKING:

        def selected_ids(self) -> list[int]: ...

        def current_contact_id(self) -> int | None: ...

        def reload_books(
            self, select: str | None = None, *, rows: bool = True, cached_groups: bool = False
        ) -> None: ...

        def _update_buttons(self) -> None: ...

        def _agenda_changed(self) -> None: ...

    def _contacts_changed_in_store(self, found: Changes) -> None:
        if not self.isVisible():
            return  # showEvent reads everything again
        name = self.model.book_name
        book = None if name is None else find_book(name)
        self.follow_store(rows=book is None or found.touches_contacts(book.id))

    def _books_changed_in_store(self) -> None:
        if self.isVisible():
            self.follow_store(rows=True)

    #: What the book list last showed of the bindings (`book_syncs`); None: not read yet.
    _syncs_seen: dict[int, tuple[tuple[str, str, str, str], ...]] | None = None

    def _bindings_changed_in_store(self) -> None:
        """A binding changed: mostly a run's last sync and position (every tray tick),
        which the page does not show: it re-reads only when the books' syncs changed."""
        if not self.isVisible():
            self._syncs_seen = None  # showEvent reads everything again
            return
        syncs = book_syncs()
        if syncs == self._syncs_seen:
            return
        self._syncs_seen = syncs
        self.follow_store(rows=True)

    def _agenda_changed_in_store(self) -> None:
        if self.isVisible():
            self._agenda_changed()

    def follow_store(self, *, rows: bool = True) -> None:
        """Show the store as it is now: book list and counts; with `rows` the table too,
        keeping the selected contacts selected and the scroll position. The groups under
        the books are read right after, in a turn of their own (`groups_timer`), so that
        the window never waits for both at once (bench/groups_ui.py)."""
        keep = self.selected_ids()
        current = self.current_contact_id()
        scroll = self.table.verticalScrollBar().value()
        self.reload_books(rows=rows, cached_groups=True)
        self.groups_timer.start()
        if not rows:
            self._update_buttons()
            return
        self.table.verticalScrollBar().setValue(scroll)
        if current is not None:
            self._reselect([current], scroll)
        elif keep:
            self._reselect(keep[:KEEP_SELECTED_MAX], scroll)

    def _reselect(self, ids: list[int], scroll: int) -> None:
        name = self.model.book_name
        if name is None:
            return
        book = get_book(name)
        selection = QItemSelection()
        for contact_id in ids:
            row = contact_position(
                book,
                contact_id,
                search=self.model.search,
                trash=self.model.trash,
                order=self.model.order(),
                descending=self.model.descending,
                group=self.model.group,
            )
            if row is not None:
                left = self.model.index(row, 0)
                right = self.model.index(row, self.model.columnCount() - 1)
                selection.select(left, right)
        if selection.isEmpty():
            return
        selected = selection.indexes()[0]
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(selected, flags.NoUpdate)
        self.table.selectionModel().select(selection, flags.ClearAndSelect | flags.Rows)
        self.table.verticalScrollBar().setValue(scroll)
