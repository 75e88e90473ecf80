"""The list of single changes: every contact (or appointment) a check would change or a run
changed, per book (issue 22, "Prüfen shows each contact").

`ItemList` is shared by the check dialog ("Ausgewählte Ordner prüfen", ui/check_dialog.py)
and the Importbericht (ui/report_dialog.py). It shows the core's details
(app/sync/details.py `ItemDetail`) in a table — Adressbuch (only when there are several),
Name, Seite, Aktion, Felder — above a pane with the selected item's fields (alt → neu).
Filter by action ("Alle" by default), search (name, book, fields and their values,
umlauts as their letter), sort by every column; a row opens with
double-click, Enter or "Öffnen …" (ui/item_open.py).

Built for 10,000 and more rows: a `QAbstractTableModel` over the shown texts, computed once
(the labels per code, not per row); sorting is one Python sort of the rows by a key list
built on first use per column (the proxy forwards `sort` to the model instead of comparing
row by row); the filter is one pass over the rows, the proxy only looks its answer up
(bench/check_list.py measures it).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _ as core_text
from app.sync.details import (
    ACTIONS,
    CONTACTBOX,
    DELETED,
    NEW,
    ItemDetail,
    action_label,
    side_label,
)
from app.sync.report import ADDRESS_BOOK, CALENDAR, BookReport

BOOK, NAME, SIDE, ACTION, FIELDS = range(5)
COLUMN_COUNT = 5

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(slots=True)
class Entry:
    """One row's item and the book it belongs to (server name, local book, kind)."""

    detail: ItemDetail
    local_book: str
    collection: str  # "addressbook" | "calendar"

    @property
    def book(self) -> str:
        return self.detail.book


@dataclass(slots=True)
class Items:
    """The rows: the items as the core gives them (no object per row is made here) and,
    per server book's name, its local book and kind (`Entry` is made for one row)."""

    details: list[ItemDetail]
    books: dict[str, tuple[str, str]]

    def entry(self, detail: ItemDetail) -> Entry:
        local, kind = self.books.get(detail.book) or next(
            iter(self.books.values()), ("", ADDRESS_BOOK)
        )
        return Entry(detail, local, kind)

    def __len__(self) -> int:
        return len(self.details)


def entries_of(books: Sequence[BookReport], details: Iterable[ItemDetail] | None = None) -> Items:
    """The rows of a report's books: each book's own details, or `details` (read back from
    the store: an item of a book not in the report counts to the first book)."""
    places = {b.book: (b.local_book, b.collection) for b in reversed(books)}
    if details is None:
        return Items([d for b in books for d in b.details], places)
    return Items(list(details), places)


def planned_only_on_server(d: ItemDetail, planned: bool) -> bool:
    """A check's new item for Contactbox: it is only on the server so far (cannot open)."""
    return planned and d.side == CONTACTBOX and d.action == NEW


class ItemModel(QAbstractTableModel):
    """The rows' shown texts, computed once; `sort` reorders them in one Python sort."""

    def __init__(self, items: Items, planned: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items = items
        self.entries = list(items.details)  # in the order shown (sorted)
        self.planned = planned
        # The words per code, once (10,000 rows share five actions, two sides).
        actions = {a: action_label(a) for a in ACTIONS}
        sides = {s: side_label(s) for s in (CONTACTBOX, "server")}
        names: dict[str, str] = {}

        def field_name(name: str) -> str:
            found = names.get(name)
            if found is None:
                found = names[name] = core_text(name)
            return found

        self.actions, self.sides = actions, sides
        self._joined: dict[tuple[str, ...], str] = {}  # the same fields, the same label
        # A row's texts are made when it is first shown (a few dozen at a time), not for
        # all rows when the list opens.
        self.texts: list[tuple[str, str, str, str, str] | None] = [None] * len(self.entries)
        self.field_name = field_name
        self._keys: dict[int, list[Any]] = {}
        self._hay: list[str] | None = None
        self.headers = ["", "", "", "", ""]
        self.only_server_tip = ""

    # ------------------------------------------------------------------ model

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row)[column] or ("–" if column == FIELDS else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            if planned_only_on_server(self.entries[row], self.planned):
                return self.only_server_tip
            if column == FIELDS:
                return self.text(row)[FIELDS] or None
        return None

    def text(self, row: int) -> tuple[str, str, str, str, str]:
        """The row's shown texts: book, name, side, action, fields."""
        found = self.texts[row]
        if found is None:
            d = self.entries[row]
            side = self.sides.get(d.side, d.side)
            action = self.actions.get(d.action, d.action)
            found = (d.book, d.shown_name, side, action, self.fields_label(d))
            self.texts[row] = found
        return found

    def fields_label(self, d: ItemDetail) -> str:
        """ "Telefon, E-Mail": the names of the fields that change (each once)."""
        if not d.fields:
            return ""
        key = tuple(f.name for f in d.fields)
        label = self._joined.get(key)
        if label is None:
            label = self._joined[key] = ", ".join(dict.fromkeys(map(self.field_name, key)))
        return label

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < COLUMN_COUNT or not self.entries:
            return
        keys = self._key_list(column)
        perm = sorted(range(len(keys)), key=keys.__getitem__,
                      reverse=order == Qt.SortOrder.DescendingOrder)  # fmt: skip
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        where = {was: now for now, was in enumerate(perm)}
        self.entries = [self.entries[i] for i in perm]
        self.texts = [self.texts[i] for i in perm]
        for c, ks in self._keys.items():
            self._keys[c] = [ks[i] for i in perm]
        if self._hay is not None:
            self._hay = [self._hay[i] for i in perm]
        self.changePersistentIndexList(old, [self.index(where[i.row()], i.column()) for i in old])
        self.layoutChanged.emit()

    def _key_list(self, column: int) -> list[Any]:
        """Sort keys of a column (then by name), built on first use: texts in German
        dictionary order (`_key`), actions in the core's order (neu … Konflikt), rows
        without fields last."""
        keys = self._keys.get(column)
        if keys is None:
            names = self._keys.get(NAME) or [_key(d.shown_name) for d in self.entries]
            if column == NAME:
                keys = names
            elif column == ACTION:
                order = {a: i for i, a in enumerate(ACTIONS)}
                keys = [
                    (order.get(d.action, 99), n) for d, n in zip(self.entries, names, strict=True)
                ]
            else:
                # the same few words over and over: each folded once
                words = [self._word(d, column) for d in self.entries]
                folded = {w: _key(w) for w in set(words)}
                keys = [(folded[w], n) for w, n in zip(words, names, strict=True)]
            self._keys[column] = keys
        return keys

    def _word(self, d: ItemDetail, column: int) -> str:
        if column == BOOK:
            return d.book
        if column == SIDE:
            return self.sides.get(d.side, d.side)
        return self.fields_label(d)

    # ------------------------------------------------------------------ filter

    def accepted(self, action: str | None, words: Sequence[str]) -> list[bool]:
        """Per row: of the action (None: any) and holding every search word."""
        actions = [d.action for d in self.entries]
        if not words:
            return [action is None or a == action for a in actions]
        hay = self.haystack()
        return [
            (action is None or a == action) and all(w in h for w in words)
            for a, h in zip(actions, hay, strict=True)
        ]

    def haystack(self) -> list[str]:
        """Per row the folded text a search looks in (built on the first search)."""
        if self._hay is None:
            self._hay = []
            for d in self.entries:
                parts = [d.shown_name, d.book, self.fields_label(d)]
                for f in d.fields:
                    parts += (f.old, f.new)
                self._hay.append(search_fold(" ".join(parts)))
        return self._hay

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(ACTIONS, 0)
        for d in self.entries:
            out[d.action] = out.get(d.action, 0) + 1
        return out


class ItemFilter(QSortFilterProxyModel):
    """Filters by a list the model computed in one pass; sorting is the model's own."""

    def __init__(self, model: ItemModel) -> None:
        super().__init__()
        self.items = model
        self.setSourceModel(model)
        self.shown: list[bool] | None = None  # None: every row

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.items.sort(column, order)

    def set_filter(self, action: str | None, words: Sequence[str]) -> None:
        shown = None if action is None and not words else self.items.accepted(action, words)
        if hasattr(self, "endFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            self.shown = shown
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.shown = shown
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, _source_parent: AnyIndex) -> bool:
        return self.shown is None or self.shown[source_row]


class ItemList(QWidget):
    """Filter bar, the table of items and the selected item's fields; see the module
    docstring. `planned`: a check (nothing done yet) rather than a run's report."""

    # An entry to open (double-click, Enter, "Öffnen …").
    open_requested = Signal(object)

    def __init__(
        self,
        items: Items,
        *,
        planned: bool,
        opener: Callable[[Entry, QWidget], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("itemList")
        self.planned = planned
        if opener is None:
            from ui.item_open import open_entry

            opener = open_entry
        self.opener = opener
        self.model = ItemModel(items, planned, self)
        kinds = {kind for _local, kind in items.books.values()}
        self.model.headers = [
            self.tr("Kalender") if kinds == {CALENDAR} else self.tr("Adressbuch"),
            self.tr("Name"), self.tr("Seite"), self.tr("Aktion"), self.tr("Felder"),
        ]  # fmt: skip
        self.model.only_server_tip = self.tr(
            "Nur auf dem Server: wird erst beim Vorgang in Contactbox angelegt."
        )
        self.proxy = ItemFilter(self.model)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Aktion:")))
        self.action_combo = QComboBox()
        self.action_combo.setObjectName("actionFilter")
        self.action_combo.addItem(self.tr("Alle ({n})").format(n=len(items)), None)
        for action, n in self.model.counts().items():
            self.action_combo.addItem(f"{action_label(action)} ({n})", action)
        self.action_combo.currentIndexChanged.connect(self.apply_filter)
        bar.addWidget(self.action_combo)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("itemSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(self.tr("Suchen: Name, Feld, Wert …"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        bar.addWidget(self.search_edit, 1)
        self.count_label = QLabel()
        bar.addWidget(self.count_label)
        layout.addLayout(bar)

        self.table = QTableView()
        self.table.setObjectName("itemTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        metrics = self.table.fontMetrics()
        self.table.setColumnWidth(BOOK, metrics.averageCharWidth() * 16)
        self.table.setColumnWidth(NAME, metrics.averageCharWidth() * 24)
        # as wide as their words (measured once, not over 10,000 rows)
        for column, words in (
            (SIDE, [side_label(s) for s in (CONTACTBOX, "server")]),
            (ACTION, [action_label(a) for a in ACTIONS]),
        ):
            words.append(self.model.headers[column])
            width = max(metrics.horizontalAdvance(w) for w in words)
            self.table.setColumnWidth(column, width + 3 * metrics.averageCharWidth())
        self.table.setColumnHidden(BOOK, len({d.book for d in items.details}) < 2)
        # In the order the check counted the items in until a column header is clicked:
        # opening does not sort 10,000 rows.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        # Double-click or Enter opens a row (Enter here, not the dialog's default button;
        # not `activated`: on some desktops a single click activates).
        self.table.doubleClicked.connect(self._activated)
        self.table.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.detail = QTextBrowser()
        self.detail.setObjectName("itemDetail")
        self.detail.setOpenLinks(False)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)

        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Öffnen …"))
        self.open_button.setObjectName("openItem")
        self.open_button.clicked.connect(self.open_current)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._update_count()
        self._show(None)

    # ------------------------------------------------------------------ filter

    def apply_filter(self) -> None:
        """The combo's action and the search words (folded) decide the rows shown."""
        self._search_timer.stop()
        action = self.action_combo.currentData()
        words = search_fold(self.search_edit.text()).split()
        self.proxy.set_filter(action, words)
        self._update_count()
        if self.proxy.rowCount() and not self.table.currentIndex().isValid():
            self._show(None)

    def _update_count(self) -> None:
        self.count_label.setText(
            self.tr("{shown} von {total}").format(
                shown=self.proxy.rowCount(), total=self.model.rowCount()
            )
        )

    def set_action(self, action: str | None) -> None:
        """Filter by `action` (None: "Alle")."""
        self.action_combo.setCurrentIndex(max(0, self.action_combo.findData(action)))

    def set_search(self, text: str) -> None:
        self.search_edit.setText(text)
        self.apply_filter()

    # ------------------------------------------------------------------ rows

    def shown_names(self) -> list[str]:
        """The names in the order shown (for tests)."""
        return [str(self.proxy.index(r, NAME).data()) for r in range(self.proxy.rowCount())]

    def current_entry(self) -> Entry | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.items.entry(self.model.entries[self.proxy.mapToSource(index).row()])

    def select_row(self, proxy_row: int) -> None:
        self.table.selectRow(proxy_row)
        self.table.setCurrentIndex(self.proxy.index(proxy_row, NAME))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(self.current_entry() if current.isValid() else None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.table.currentIndex().isValid()
        ):
            self.open_current()
            return True
        return super().eventFilter(watched, event)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_current()

    def open_current(self) -> object:
        """Open the selected entry (its contact's editor, the appointment); what opened."""
        entry = self.current_entry()
        if entry is None or planned_only_on_server(entry.detail, self.planned):
            return None
        self.open_requested.emit(entry)
        return self.opener(entry, self)

    # ------------------------------------------------------------------ detail pane

    def _show(self, entry: Entry | None) -> None:
        only_server = entry is not None and planned_only_on_server(entry.detail, self.planned)
        self.open_button.setEnabled(entry is not None and not only_server)
        self.open_button.setToolTip(self.model.only_server_tip if only_server else "")
        if entry is None:
            hint = self.tr("Wählen Sie eine Zeile, um die geänderten Felder zu sehen.")
            self.detail.setHtml(f"<p style='color:#555'>{html.escape(hint)}</p>")
            return
        self.detail.setHtml(self.detail_html(entry))

    def detail_html(self, entry: Entry) -> str:
        """The selected item: name, where and what, its fields alt → neu."""
        d = entry.detail
        esc = html.escape
        head = self.tr("{side}: {action} · {book}").format(
            side=side_label(d.side), action=action_label(d.action), book=d.book
        )
        parts = [f"<p><b>{esc(d.shown_name)}</b><br>{esc(head)}</p>"]
        if d.fields:
            rows = "".join(
                f"<tr><td><b>{esc(self.model.field_name(f.name))}</b></td>"
                f"<td>{_value(f.old)}</td><td>→</td><td>{_value(f.new)}</td></tr>"
                for f in d.fields
            )
            field, old, new = self.tr("Feld"), self.tr("alt"), self.tr("neu")
            parts.append(
                "<table cellspacing='0' cellpadding='3'>"
                f"<tr><th align='left'>{esc(field)}</th><th align='left'>{esc(old)}</th>"
                f"<th></th><th align='left'>{esc(new)}</th></tr>{rows}</table>"
            )
        else:
            parts.append(f"<p style='color:#555'>{esc(self._no_fields_text(entry))}</p>")
        return "".join(parts)

    def _no_fields_text(self, entry: Entry) -> str:
        action = entry.detail.action
        if planned_only_on_server(entry.detail, self.planned):
            return self.model.only_server_tip
        if action == NEW:
            return self.tr("Neu angelegt: es gibt keine frühere Fassung zum Vergleichen.")
        if action == DELETED:
            return self.tr("Gelöscht: es gibt keine neue Fassung zum Vergleichen.")
        return self.tr("Keine einzelnen Felder bekannt.")


#: German dictionary order (DIN 5007-1: "Ärger" with "Arger", "ß" as "ss"), accents off.
_FOLD = str.maketrans({
    "ä": "a", "ö": "o", "ü": "u", "ß": "ss", "à": "a", "á": "a", "â": "a", "é": "e",
    "è": "e", "ê": "e", "ë": "e", "í": "i", "ì": "i", "ï": "i", "ó": "o", "ò": "o",
    "ô": "o", "ú": "u", "ù": "u", "ç": "c", "ñ": "n", "ø": "o", "å": "a",
})  # fmt: skip


def search_fold(text: str) -> str:
    """`text` as searched and sorted: case-folded, umlauts and accents as their letter."""
    folded = text.casefold()
    return folded if folded.isascii() else folded.translate(_FOLD)


def _key(text: str) -> tuple[bool, str, str]:
    """A text's sort key, cheap enough for 10,000 rows at once (str methods in C; the
    store's `collation.sort_key` is exact but 20 µs a text): empty texts last."""
    return (not text, search_fold(text), text)


def _value(text: str) -> str:
    """A field's value for the pane: escaped, its lines kept, "–" for none."""
    if not text:
        return "<span style='color:#888'>–</span>"
    return "<br>".join(html.escape(line) for line in text.split("\n"))
