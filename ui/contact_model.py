"""A lazy table model over one address book's contacts (live or trashed), or over the
members of one of its groups (`group`, app.store.groups).

`rowCount` is a single COUNT query; rows are read from SQLite in pages of PAGE_SIZE
(LIMIT/OFFSET, ordered by the chosen column) when the view asks for them, and only the
MAX_PAGES most recently used pages are kept. So a book of 50,000 contacts opens at once
and jumping to its end reads one page.

Rows can be dragged: `mimeData` carries the book and the ids of the dragged contacts as
JSON under `CONTACTS_MIME` (the group tree, ui/contacts_groups.py, takes them as members).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from app.store.contacts import (
    SORT_COLUMNS,
    ContactRow,
    count_contacts,
    get_book,
    page_contacts,
    page_query,
)
from app.store.models import Contact
from ui.locale_format import date_time_text, local

# The MIME type of dragged contacts: JSON {"book": name, "ids": [contact ids]}.
CONTACTS_MIME = "application/x-contactbox-contacts"

PAGE_SIZE = 250
MAX_PAGES = 12
#: A group (or a search in one) with up to this many members is read in one query, which
#: also gives the count: membership is not indexed, so each query walks the book once.
GROUP_READ_AT_ONCE = PAGE_SIZE * MAX_PAGES

Index = QModelIndex | QPersistentModelIndex

#: A cell's flags (what QAbstractTableModel gives), and with dragging (not in the trash).
_CELL_FLAGS = (
    Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
)
_DRAG_FLAGS = _CELL_FLAGS | Qt.ItemFlag.ItemIsDragEnabled


#: Columns shown when the user has not chosen any (indexes into SORT_COLUMNS).
DEFAULT_VISIBLE = frozenset({0, 1, 2, 3})


def _cell(c: ContactRow, column: int) -> str:
    name = SORT_COLUMNS[column]
    if name == "modified":
        return date_time_text(local(c.modified))
    return str(getattr(c, name))


class ContactTableModel(QAbstractTableModel):
    """Columns Name, E-Mail, Telefon, Organisation, Vorname, Nachname, Geändert (see
    SORT_COLUMNS); sort and filter run in SQLite, names in German order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = [
            self.tr("Name"),
            self.tr("E-Mail"),
            self.tr("Telefon"),
            self.tr("Organisation"),
            self.tr("Vorname"),
            self.tr("Nachname"),
            self.tr("Geändert"),
        ]
        self.book_name: str | None = None
        self.group = ""  # "": the whole book; else only the members of this group
        self.search = ""
        self.trash = False
        self.sort_column = 0
        self.descending = False
        self._count = 0
        self._pages: OrderedDict[int, list[ContactRow]] = OrderedDict()
        self.total_pages_read = 0  # ... since the model was made (for the benchmark)

    # ------------------------------------------------------------------ settings

    def set_book(self, name: str | None) -> None:
        self.set_filter(name, "")

    def set_filter(self, name: str | None, group: str = "") -> None:
        """Show the book `name`, or only the members of its group `group`."""
        self.book_name = name
        self.group = group if name is not None else ""
        self.reload()

    def set_search(self, text: str) -> None:
        if text.strip() != self.search:
            self.search = text.strip()
            self.reload()

    def set_trash(self, trash: bool) -> None:
        if trash != self.trash:
            self.trash = trash
            self.reload()

    def reload(self) -> None:
        """Count again and forget every cached page (after a change or a new filter)."""
        self.beginResetModel()
        self._pages.clear()
        if self.book_name is None:
            self._count = 0
        elif self.group:
            self._read_group()
        else:
            self._count = count_contacts(
                get_book(self.book_name), search=self.search, trash=self.trash
            )
        self.endResetModel()

    def refresh_cells(self) -> None:
        """The same rows in the same order, their cells read again (e.g. after their cards
        changed without a column the list sorts or filters by): no reset, the selection
        stays."""
        self._pages.clear()
        if self._count:
            last = self.index(self._count - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _read_group(self) -> None:
        """A group's rows at once when it is small (one walk through the book instead of
        one to count and one per page); a bigger one is counted and paged as a book is."""
        assert self.book_name is not None
        book = get_book(self.book_name)
        rows = page_contacts(
            book,
            search=self.search,
            trash=self.trash,
            group=self.group,
            order=SORT_COLUMNS[self.sort_column],
            descending=self.descending,
            limit=GROUP_READ_AT_ONCE + 1,
        )
        self.total_pages_read += 1
        if len(rows) > GROUP_READ_AT_ONCE:
            self._count = count_contacts(
                book, search=self.search, trash=self.trash, group=self.group
            )
            return
        self._count = len(rows)
        for number in range(0, len(rows), PAGE_SIZE):
            self._pages[number // PAGE_SIZE] = rows[number : number + PAGE_SIZE]

    # ------------------------------------------------------------------ rows

    def cached_rows(self) -> int:
        return sum(len(rows) for rows in self._pages.values())

    def contact(self, row: int) -> ContactRow | None:
        """The contact shown in `row`, read from its page (None outside the table)."""
        if self.book_name is None or not 0 <= row < self._count:
            return None
        number, position = divmod(row, PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            page = page_contacts(
                get_book(self.book_name),
                search=self.search,
                trash=self.trash,
                order=SORT_COLUMNS[self.sort_column],
                descending=self.descending,
                offset=number * PAGE_SIZE,
                limit=PAGE_SIZE,
                matches=self._count,
                group=self.group,
            )
            self.total_pages_read += 1
            self._pages[number] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page[position] if position < len(page) else None

    def ids_of_rows(self, rows: Sequence[int]) -> list[int]:
        """The ids of the contacts shown in `rows` (ascending)."""
        return self.ids_reader(rows)()

    def ids_reader(self, rows: Sequence[int]) -> Callable[[], list[int]]:
        """A function giving the ids of the contacts shown in `rows`, callable on any
        thread: for a few rows read from their pages now; for more, one query for the ids
        of the whole list in its order, run when called (10,000 selected rows need no 40
        page reads, and a worker can run the query)."""
        if len(rows) <= PAGE_SIZE or self.book_name is None:
            ids = [c.id for c in map(self.contact, rows) if c is not None]
            return lambda: ids
        book, wanted = self.book_name, list(rows)
        search, trash, group = self.search, self.trash, self.group
        order, descending, count = SORT_COLUMNS[self.sort_column], self.descending, self._count

        def read() -> list[int]:
            q = page_query(
                get_book(book), search=search, trash=trash, order=order,
                descending=descending, matches=count, group=group,
            ).select(Contact.id)  # fmt: skip
            ids = [int(i) for (i,) in q.tuples()]
            return [ids[r] for r in wanted if 0 <= r < len(ids)]

        return read

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SORT_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            c = self.contact(index.row())
            if c is None:
                return None
            return _cell(c, index.column())
        if role == Qt.ItemDataRole.UserRole:
            c = self.contact(index.row())
            return None if c is None else c.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """The same for every cell (no row is read): Qt asks it per cell, e.g. for each
        selected cell when a drag starts."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _CELL_FLAGS if self.trash else _DRAG_FLAGS

    def mimeTypes(self) -> list[str]:
        return [CONTACTS_MIME]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """The dragged rows' contacts (each once, in row order) and their book."""
        ids: list[int] = []
        for row in sorted({i.row() for i in indexes if i.isValid()}):
            c = self.contact(row)
            if c is not None and c.id not in ids:
                ids.append(c.id)
        data = QMimeData()
        payload = {"book": self.book_name, "ids": ids}
        data.setData(CONTACTS_MIME, json.dumps(payload).encode("utf-8"))
        return data

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return super().headerData(section, orientation, role)

    def order(self) -> str:
        """The store's name of the sort column (see SORT_COLUMNS)."""
        return SORT_COLUMNS[self.sort_column]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(SORT_COLUMNS):
            return
        self.sort_column = column
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()
