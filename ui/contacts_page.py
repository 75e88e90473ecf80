"""Kontakte ▸ Kontakte anzeigen: the local address books and their contacts.

Left the local address books (count, sync direction; create, rename, delete) and the
current user's due follow-ups; right the contacts of the selected book in a lazy table
(ui/contact_model.py) with a debounced search, columns the user can show, hide and move
(kept per user), the Papierkorb, .vcf import/export, and below the table the Termine and
Wiedervorlagen of the selected contact. Double-click (or Enter) opens the editor; a
contact in the Papierkorb opens read-only.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QByteArray,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QFont,
    QFontDatabase,
    QHideEvent,
    QKeySequence,
    QShortcut,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import vcard
from app.store.agenda import current_user
from app.store.books import OPERATION_LABELS_DE
from app.store.changes import Changes
from app.store.contacts import (
    BookCount,
    StoreError,
    add_contact,
    book_counts,
    contact_position,
    count_contacts,
    delete_contact,
    empty_trash,
    find_book,
    get_book,
    get_contact,
    restore_contact,
    update_contact,
)
from app.store.db import STANDARD_BOOK
from app.store.models import AddressBook, Binding
from app.store.settings import get_setting, set_setting
from ui.agenda_widgets import ContactAgendaWidget, DueFollowUpsPanel
from ui.book_dialogs import ask_delete_book, ask_new_book, ask_rename_book
from ui.contact_editor import ContactEditorDialog
from ui.contact_model import DEFAULT_VISIBLE, ContactTableModel
from ui.history_dialog import HistoryDialog
from ui.icons import icon
from ui.store_watch import store_watch
from ui.undo_bar import UndoBar
from ui.vcf_dialogs import export_vcf_interactive, import_vcf_interactive

SEARCH_DELAY_MS = 250
BOOK_ROLE = Qt.ItemDataRole.UserRole

STYLE = """
QListWidget#bookList { outline: 0; }
QListWidget#bookList::item { padding: 6px 8px; }
QListWidget#bookList::item:selected { background: #d6d6d6; color: #1a1a1a; }
QLabel#pageTitle { color: #555555; }
QLabel#sectionTitle { font-weight: bold; }
QLabel#hint { color: #666666; }
QLabel#status { color: #555555; }
QPushButton#trashToggle:checked {
    background: #f28c28; border: 1px solid #d2731c; border-radius: 4px; color: white;
    padding: 4px 10px;
}
"""


class ContactDetailDialog(QDialog):
    """A read-only view of one contact: name, e-mails, phones, organization, raw vCard."""

    def __init__(self, contact_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        contact = get_contact(contact_id)
        summary = vcard.summarize(contact.vcard)
        self.setWindowTitle(self.tr("Kontakt: {0}").format(contact.fn or contact.uid))
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        title = QLabel(contact.fn or self.tr("(ohne Namen)"))
        big = QFont(title.font())
        big.setPointSizeF(big.pointSizeF() * 1.3)
        big.setBold(True)
        title.setFont(big)
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(title)
        form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key, label, value in (
            ("fn", self.tr("Name:"), summary.fn),
            ("emails", self.tr("E-Mail:"), "\n".join(summary.emails)),
            ("phones", self.tr("Telefon:"), "\n".join(summary.phones)),
            ("org", self.tr("Organisation:"), summary.org.replace(";", ", ")),
        ):
            field = QLabel(value or "–")
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = field
            form.addRow(label, field)
        if contact.deleted_at is not None:
            trashed = QLabel(self.tr("Dieser Kontakt liegt im Papierkorb."))
            trashed.setStyleSheet("color: #b3261e;")
            form.addRow("", trashed)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("vCard:")))
        self.vcard_view = QPlainTextEdit(contact.vcard.replace("\r\n", "\n"))
        self.vcard_view.setReadOnly(True)
        self.vcard_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.vcard_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.vcard_view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


#: The user setting that keeps the contact table's columns (order, widths, hidden, sort).
COLUMNS_SETTING = "contacts.columns"
#: After a change from elsewhere, at most this many selected contacts are selected again.
KEEP_SELECTED_MAX = 200
# The user setting that keeps the address book the user last chose to look at.
BOOK_SETTING = "contacts.book"
SYNC_ICONS = {"import": "sync-import", "oneway": "sync-oneway", "sync": "sync-twoway"}


def synced_books() -> list[str]:
    """The local books that a sync or import has filled, the most recently synced first."""
    rows = (
        Binding.select(AddressBook.name)
        .join(AddressBook)
        .where(Binding.last_sync.is_null(False))
        .order_by(Binding.last_sync.desc(), Binding.id.desc())
        .tuples()
    )
    names: list[str] = []
    for (name,) in rows:
        if name not in names:
            names.append(str(name))
    return names


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


class ContactsPage(QWidget):
    """The page "Kontakte anzeigen"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.model = ContactTableModel(self)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_search)
        self.columns_timer = QTimer(self)  # saves the column layout once a drag settles
        self.columns_timer.setSingleShot(True)
        self.columns_timer.setInterval(400)
        self.columns_timer.timeout.connect(self.save_columns)
        self._build()
        self.restore_columns()
        self.reload_books()
        # Follow the store (ui/store_watch.py): a sync, the CLI or another window changed
        # contacts, books or follow-ups — counts and rows show it, the selection stays.
        watch = store_watch()
        watch.contacts_changed.connect(self._contacts_changed_in_store)
        watch.books_changed.connect(self._books_changed_in_store)
        watch.bindings_changed.connect(self._books_changed_in_store)
        watch.appointments_changed.connect(self._agenda_changed_in_store)
        watch.followups_changed.connect(self._agenda_changed_in_store)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        title = QLabel(self.tr("Kontakte ▸ Kontakte anzeigen"))
        title.setObjectName("pageTitle")
        outer.addWidget(title)
        body = QHBoxLayout()
        body.setSpacing(16)
        outer.addLayout(body, 1)
        body.addWidget(self._build_left())
        separator = QFrame()
        separator.setFrameShape(QFrame.Shape.VLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)
        body.addWidget(separator)
        body.addLayout(self._build_right(), 1)

    def _build_left(self) -> QWidget:
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(self.tr("Adressbücher"))
        heading.setObjectName("sectionTitle")
        left.addWidget(heading)
        self.book_list = QListWidget()
        self.book_list.setObjectName("bookList")
        self.book_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.book_list.setIconSize(QSize(16, 16))
        self.book_list.currentItemChanged.connect(self._book_selected)
        self.book_list.itemDoubleClicked.connect(lambda _item: self.rename_book())
        left.addWidget(self.book_list, 3)
        tools = QHBoxLayout()
        tools.setSpacing(4)
        self.new_book_button = self._tool_button(
            "plus", self.tr("Neues Adressbuch anlegen …"), self.new_book
        )
        self.rename_book_button = self._tool_button(
            "edit", self.tr("Adressbuch umbenennen …"), self.rename_book
        )
        self.delete_book_button = self._tool_button(
            "minus", self.tr("Adressbuch löschen …"), self.delete_book
        )
        for button in (self.new_book_button, self.rename_book_button, self.delete_book_button):
            tools.addWidget(button)
        tools.addStretch(1)
        left.addLayout(tools)
        left.addSpacing(10)
        self.due_panel = DueFollowUpsPanel()
        self.due_panel.contact_requested.connect(self.show_contact)
        self.due_panel.changed.connect(self._agenda_changed)
        left.addWidget(self.due_panel, 2)
        box = QWidget()
        box.setLayout(left)
        box.setMinimumWidth(230)
        box.setMaximumWidth(300)
        return box

    def _tool_button(self, name: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon(name))
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    def _build_right(self) -> QVBoxLayout:
        right = QVBoxLayout()
        top = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(
            self.tr("Suchen nach Name, E-Mail, Telefon oder Organisation …")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _text: self.search_timer.start())
        top.addWidget(self.search_edit, 1)
        self.new_button = QPushButton(icon("plus"), self.tr("Neuer Kontakt …"))
        self.new_button.setToolTip(self.tr("Einen Kontakt in diesem Adressbuch anlegen (Strg+N)"))
        self.new_button.clicked.connect(self.new_contact)
        top.addWidget(self.new_button)
        self.import_button = QPushButton(self.tr("Importieren …"))
        self.import_button.setToolTip(self.tr("Kontakte aus vCard-Dateien (.vcf) übernehmen"))
        self.import_button.clicked.connect(self.import_vcf)
        top.addWidget(self.import_button)
        self.export_button = QPushButton(self.tr("Exportieren …"))
        self.export_button.setToolTip(
            self.tr("Die ausgewählten Kontakte (oder alle) als vCard-Datei speichern")
        )
        self.export_button.clicked.connect(self.export_vcf)
        top.addWidget(self.export_button)
        self.trash_toggle = QPushButton(icon("trash"), self.tr("Papierkorb"))
        self.trash_toggle.setObjectName("trashToggle")
        self.trash_toggle.setCheckable(True)
        self.trash_toggle.setIconSize(QSize(16, 16))
        self.trash_toggle.setToolTip(self.tr("Gelöschte Kontakte dieses Adressbuchs anzeigen"))
        self.trash_toggle.toggled.connect(self._trash_toggled)
        top.addWidget(self.trash_toggle)
        right.addLayout(top)

        self.table = QTableView()
        self.table.setObjectName("contactTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sectionMoved.connect(lambda *_: self.columns_timer.start())
        header.sectionResized.connect(lambda *_: self.columns_timer.start())
        header.sortIndicatorChanged.connect(lambda *_: self.columns_timer.start())
        self._default_columns()
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(self._open_contact)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.model.modelReset.connect(self._selection_changed)
        # Ctrl+N and Ctrl+F anywhere on the page; Entf and Enter in the table.
        for keys, slot, owner in (
            (QKeySequence(QKeySequence.StandardKey.New), self.new_contact, self),
            (QKeySequence(QKeySequence.StandardKey.Find), self.search_edit.setFocus, self),
            (QKeySequence(Qt.Key.Key_Delete), self.delete_selected, self.table),
            (QKeySequence(Qt.Key.Key_Return), self.edit_current, self.table),
        ):
            shortcut = QShortcut(keys, owner)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        self.agenda = ContactAgendaWidget(horizontal=True)
        self.agenda.changed.connect(self._agenda_changed)
        self.agenda_title = QLabel()
        self.agenda_title.setObjectName("sectionTitle")
        agenda_box = QWidget()
        agenda_layout = QVBoxLayout(agenda_box)
        agenda_layout.setContentsMargins(0, 6, 0, 0)
        agenda_layout.addWidget(self.agenda_title)
        agenda_layout.addWidget(self.agenda, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(agenda_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([480, 190])
        right.addWidget(self.splitter, 1)

        self.hint = QLabel(
            self.tr(
                "Gelöschte Kontakte liegen im Papierkorb und werden bei Importen und "
                "Synchronisationen nicht erneut übernommen, bis Sie sie wiederherstellen."
            )
        )
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        right.addWidget(self.hint)

        buttons = QHBoxLayout()
        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self._build_undo_bar())
        self.edit_button = QPushButton(icon("edit"), self.tr("Bearbeiten …"))
        self.edit_button.setToolTip(self.tr("Den ausgewählten Kontakt bearbeiten (Eingabetaste)"))
        self.edit_button.clicked.connect(self.edit_current)
        self.history_button = QPushButton(self.tr("Verlauf …"))
        self.history_button.setToolTip(
            self.tr("Frühere Fassungen des Kontakts ansehen und wiederherstellen")
        )
        self.history_button.clicked.connect(self.show_history)
        self.delete_button = QPushButton(icon("trash"), self.tr("Löschen"))
        self.delete_button.setToolTip(
            self.tr("Ausgewählte Kontakte in den Papierkorb legen (Entf)")
        )
        self.delete_button.clicked.connect(self.delete_selected)
        self.restore_button = QPushButton(self.tr("Wiederherstellen"))
        self.restore_button.setToolTip(
            self.tr("Ausgewählte Kontakte aus dem Papierkorb zurückholen")
        )
        self.restore_button.clicked.connect(self.restore_selected)
        self.empty_button = QPushButton(self.tr("Papierkorb leeren"))
        self.empty_button.setToolTip(
            self.tr("Alle Kontakte im Papierkorb dieses Adressbuchs endgültig löschen")
        )
        self.empty_button.clicked.connect(self.empty_trash)
        for button in (
            self.edit_button,
            self.history_button,
            self.delete_button,
            self.restore_button,
            self.empty_button,
        ):
            buttons.addWidget(button)
        right.addLayout(buttons)
        return right

    # ------------------------------------------------------------------ columns

    def _default_columns(self) -> None:
        header = self.table.horizontalHeader()
        for logical in range(self.model.columnCount()):
            header.moveSection(header.visualIndex(logical), logical)
            header.setSectionHidden(logical, logical not in DEFAULT_VISIBLE)
        for logical, width in enumerate((190, 220, 140, 200, 120, 120, 120)):
            header.resizeSection(logical, width)

    def _user_id(self) -> int:
        return int(current_user().id)

    def restore_columns(self) -> None:
        """The current user's column layout (order, widths, hidden, sort), if saved."""
        saved = get_setting(self._user_id(), COLUMNS_SETTING)
        header = self.table.horizontalHeader()
        if saved and header.restoreState(QByteArray.fromBase64(saved.encode("ascii"))):
            if header.count() != self.model.columnCount() or all(
                header.isSectionHidden(i) for i in range(header.count())
            ):
                self._default_columns()
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.columns_timer.stop()

    @Slot()
    def save_columns(self) -> None:
        self.columns_timer.stop()
        state = bytes(self.table.horizontalHeader().saveState().toBase64().data()).decode("ascii")
        set_setting(self._user_id(), COLUMNS_SETTING, state)

    def set_column_visible(self, logical: int, visible: bool) -> None:
        header = self.table.horizontalHeader()
        shown = [i for i in range(header.count()) if not header.isSectionHidden(i)]
        if not visible and shown == [logical]:
            return  # the last visible column stays
        header.setSectionHidden(logical, not visible)
        if visible and header.sectionSize(logical) < 40:
            header.resizeSection(logical, 120)
        self.save_columns()

    @Slot()
    def reset_columns(self) -> None:
        self._default_columns()
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.save_columns()

    def header_menu(self) -> QMenu:
        """Show/hide a column; the order is changed by dragging the column headers."""
        menu = QMenu(self)
        header = self.table.horizontalHeader()
        shown = sum(not header.isSectionHidden(i) for i in range(header.count()))
        for logical, label in enumerate(self.model.headers):
            action = QAction(label, menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(logical))
            action.setEnabled(header.isSectionHidden(logical) or shown > 1)
            action.toggled.connect(lambda on, col=logical: self.set_column_visible(col, on))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.tr("Standardspalten wiederherstellen"), self.reset_columns)
        return menu

    @Slot(QPoint)
    def _header_menu(self, pos: QPoint) -> None:
        self.header_menu().exec(self.table.horizontalHeader().mapToGlobal(pos))

    # ------------------------------------------------------------------ books

    def current_book(self) -> str | None:
        item = self.book_list.currentItem()
        return None if item is None else str(item.data(BOOK_ROLE))

    def reload_books(self, select: str | None = None, *, rows: bool = True) -> None:
        """Re-read the books, counts and syncs; keep (or move to) the selected book.
        `rows`=False: the shown book's contacts did not change, keep the table as it is."""
        infos = book_counts()
        if select is not None:
            self._remember_book(select)
        selected = select or self._book_to_show(infos)
        self.book_list.blockSignals(True)
        self.book_list.clear()
        first: QListWidgetItem | None = None
        match: QListWidgetItem | None = None
        for info in infos:
            item = QListWidgetItem(f"{info.name} ({info.live})")
            item.setData(BOOK_ROLE, info.name)
            tip = [self.tr("%n Kontakt(e), {0} im Papierkorb", "", info.live).format(info.trashed)]
            if info.syncs:
                item.setIcon(icon(SYNC_ICONS.get(info.syncs[0][0], "sync-twoway")))
                tip.append(self.tr("Synchronisiert mit:"))
                for operation, _option, account, remote in info.syncs:
                    label = self.tr(OPERATION_LABELS_DE.get(operation, operation))
                    tip.append(f"• {account} – {remote} ({label})")
            else:
                item.setIcon(icon("book"))
                tip.append(self.tr("Nur lokal, ohne Synchronisierung"))
            item.setToolTip("\n".join(tip))
            self.book_list.addItem(item)
            first = first or item
            if info.name == selected:
                match = item
        current = match or first
        if current is not None:
            self.book_list.setCurrentItem(current)
        self.book_list.blockSignals(False)
        if self.current_book() != self.model.book_name:
            self.model.set_book(self.current_book())
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

    @Slot(QListWidgetItem, QListWidgetItem)
    def _book_selected(self, current: QListWidgetItem | None, _previous: object) -> None:
        name = None if current is None else str(current.data(BOOK_ROLE))
        self._remember_book(name)
        self.model.set_book(name)
        self._update_book_buttons()

    @Slot()
    def new_book(self) -> None:
        name = ask_new_book(self)
        if name:
            self.reload_books(select=name)

    @Slot()
    def rename_book(self) -> None:
        name = self.current_book()
        if name is None or name == STANDARD_BOOK:
            return
        new = ask_rename_book(self, name)
        if new:
            self.reload_books(select=new)

    @Slot()
    def delete_book(self) -> None:
        name = self.current_book()
        if name is None or name == STANDARD_BOOK:
            return
        if ask_delete_book(self, name):
            self.reload_books(select=STANDARD_BOOK)
            self.due_panel.refresh()

    @Slot(object)
    def _contacts_changed_in_store(self, found: Changes) -> None:
        if not self.isVisible():
            return  # showEvent reads everything again
        name = self.model.book_name
        book = None if name is None else find_book(name)
        self.follow_store(rows=book is None or found.touches_contacts(book.id))

    @Slot()
    def _books_changed_in_store(self) -> None:
        if self.isVisible():
            self.follow_store(rows=True)

    @Slot()
    def _agenda_changed_in_store(self) -> None:
        if self.isVisible():
            self._agenda_changed()

    def follow_store(self, *, rows: bool = True) -> None:
        """Show the store as it is now: book list and counts; with `rows` the table too,
        keeping the selected contacts selected and the scroll position."""
        keep = self.selected_ids()
        current = self.current_contact_id()
        scroll = self.table.verticalScrollBar().value()
        self.reload_books(rows=rows)
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

    def refresh(self) -> None:
        """Counts and rows again, e.g. after a sync changed the store."""
        self.reload_books()
        self.due_panel.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """Coming back to the page (e.g. after a sync) shows current counts and rows."""
        if not event.spontaneous():
            self.refresh()
        super().showEvent(event)

    # ------------------------------------------------------------------ search / trash

    @Slot()
    def apply_search(self) -> None:
        self.search_timer.stop()
        self.model.set_search(self.search_edit.text())

    @Slot(bool)
    def _trash_toggled(self, checked: bool) -> None:
        self.model.set_trash(checked)

    def _selection_changed(self) -> None:
        self._update_buttons()
        current = self.current_contact_id()
        self.agenda.set_contact(current)
        if current is None:
            self.agenda_title.setText(self.tr("Termine und Wiedervorlagen"))
        else:
            row = self.model.contact(self.table.currentIndex().row())
            name = row.fn if row is not None and row.fn else self.tr("(ohne Namen)")
            self.agenda_title.setText(self.tr("Termine und Wiedervorlagen: {0}").format(name))

    def _update_buttons(self) -> None:
        trash = self.model.trash
        selected = self.selected_ids()
        self.delete_button.setVisible(not trash)
        self.restore_button.setVisible(trash)
        self.empty_button.setVisible(trash)
        self.edit_button.setVisible(not trash)
        self.new_button.setEnabled(not trash and self.model.book_name is not None)
        self.import_button.setEnabled(not trash and self.model.book_name is not None)
        self.export_button.setEnabled(self.model.book_name is not None)
        self.delete_button.setEnabled(bool(selected))
        self.restore_button.setEnabled(bool(selected))
        self.edit_button.setEnabled(len(selected) == 1)
        self.history_button.setEnabled(len(selected) == 1)
        self.empty_button.setEnabled(trash and self._trash_count() > 0)
        n = self.model.rowCount()
        if self.model.book_name is None:
            text = ""
        elif trash:
            text = self.tr("%n Kontakt(e) im Papierkorb", "", n)
        else:
            text = self.tr("%n Kontakt(e)", "", n)
        if self.model.search and self.model.book_name is not None:
            text += " " + self.tr("(gefiltert)")
        if len(selected) > 1:
            text += " · " + self.tr("{0} ausgewählt").format(len(selected))
        self.status_label.setText(text)

    def _trash_count(self) -> int:
        name = self.model.book_name
        return 0 if name is None else count_contacts(get_book(name), trash=True)

    # ------------------------------------------------------------------ selection

    def selected_ids(self) -> list[int]:
        ids: list[int] = []
        for index in self.table.selectionModel().selectedRows():
            c = self.model.contact(index.row())
            if c is not None:
                ids.append(c.id)
        return ids

    def current_contact_id(self) -> int | None:
        """The one selected contact (None when none or several are selected)."""
        ids = self.selected_ids()
        return ids[0] if len(ids) == 1 else None

    def select_contact(self, contact_id: int) -> bool:
        """Select and scroll to a contact of the shown list; False if it is not in it."""
        name = self.model.book_name
        if name is None:
            return False
        row = contact_position(
            get_book(name),
            contact_id,
            search=self.model.search,
            trash=self.model.trash,
            order=self.model.order(),
            descending=self.model.descending,
        )
        if row is None:
            return False
        index = self.model.index(row, self.table.horizontalHeader().logicalIndex(0))
        self.table.setCurrentIndex(index)
        self.table.selectRow(row)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    @Slot(int)
    def show_contact(self, contact_id: int) -> None:
        """Go to a contact wherever it is (its book, live or trash), clearing the search."""
        try:
            contact = get_contact(contact_id)
        except StoreError:
            return
        book = contact.book.name
        if self.current_book() != book:
            self.reload_books(select=book)
        self.trash_toggle.setChecked(contact.deleted_at is not None)
        if self.search_edit.text():
            self.search_edit.clear()
            self.apply_search()
        self.select_contact(contact_id)

    # ------------------------------------------------------------------ actions

    def editor_dialog(self, contact_id: int | None) -> ContactEditorDialog:
        if contact_id is None:
            return ContactEditorDialog(None, self, book=self.model.book_name)
        contact = get_contact(contact_id)
        return ContactEditorDialog(contact.vcard, self, book=contact.book.name)

    @Slot()
    def new_contact(self) -> None:
        name = self.model.book_name
        if name is None or self.model.trash:
            return
        dialog = self.editor_dialog(None)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            contact = add_contact(get_book(name), dialog.result_vcard())
        except (StoreError, vcard.CardError) as error:
            QMessageBox.warning(self, self.tr("Kontakt nicht gespeichert"), str(error))
            return
        self.refresh()
        self.select_contact(contact.id)

    @Slot()
    def edit_current(self) -> None:
        contact_id = self.current_contact_id()
        if contact_id is not None:
            self.edit_contact(contact_id)

    def edit_contact(self, contact_id: int) -> None:
        """Open the editor; saving keeps the previous card in the contact's history."""
        contact = get_contact(contact_id)
        if contact.deleted_at is not None:
            self.detail_dialog(contact_id).exec()
            return
        opened = contact.vcard
        dialog = self.editor_dialog(contact_id)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        text = dialog.result_vcard()
        contact = get_contact(contact_id)
        if contact.deleted_at is not None:
            QMessageBox.warning(
                self,
                self.tr("Kontakt nicht gespeichert"),
                self.tr(
                    "Der Kontakt wurde inzwischen gelöscht (z. B. durch eine "
                    "Synchronisation). Stellen Sie ihn aus dem Papierkorb wieder her und "
                    "bearbeiten Sie ihn dann erneut."
                ),
            )
            self.refresh()
            return
        changed_meanwhile = contact.vcard != opened
        update_contact(contact, text)
        self.refresh()
        self.select_contact(contact_id)
        if changed_meanwhile:
            QMessageBox.information(
                self,
                self.tr("Kontakt gespeichert"),
                self.tr(
                    "Der Kontakt wurde geändert, während Sie ihn bearbeitet haben (z. B. "
                    "durch eine Synchronisation). Ihre Fassung ist gespeichert; die andere "
                    "finden Sie unter „Verlauf …“."
                ),
            )

    @Slot()
    def show_history(self) -> None:
        contact_id = self.current_contact_id()
        if contact_id is None:
            return
        dialog = self.history_dialog(contact_id)
        dialog.restored.connect(self.refresh)
        dialog.exec()
        self.select_contact(contact_id)

    def history_dialog(self, contact_id: int) -> HistoryDialog:
        return HistoryDialog(contact_id, self)

    # ------------------------------------------------------------------ deleting

    def _build_undo_bar(self) -> UndoBar:
        """ "Rückgängig" in the status line for a few seconds after deleting."""
        self.undo_bar = UndoBar(self)
        return self.undo_bar

    @Slot()
    def delete_selected(self) -> None:
        """Entf, "Löschen", "In den Papierkorb": one contact goes at once (with Rückgängig
        in the status line), several after one confirmation naming the count."""
        ids = self.selected_ids()
        if not ids or self.model.trash:
            return
        if len(ids) > 1 and not self.confirm_delete(len(ids)):
            return
        names: dict[int, str] = {}
        for contact_id in ids:
            try:
                contact = get_contact(contact_id)
            except StoreError:
                continue  # gone meanwhile (e.g. its book was deleted)
            if contact.deleted_at is not None:
                continue  # a sync trashed it meanwhile: not ours to undo
            delete_contact(contact)
            names[contact_id] = contact.fn or self.tr("(ohne Namen)")
        self.refresh()
        if not names:
            return
        if len(names) == 1:
            text = self.tr("„{0}“ wurde in den Papierkorb verschoben.").format(
                next(iter(names.values()))
            )
        else:
            text = self.tr("{0} Kontakte wurden in den Papierkorb verschoben.").format(len(names))
        self.undo_bar.offer(text, lambda: self.undo_delete(names))

    def confirm_delete(self, count: int) -> bool:
        """Ask before moving several contacts to the trash; Abbrechen is the default."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Kontakte löschen"),
            self.tr("{0} Kontakte in den Papierkorb verschieben?").format(count),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setInformativeText(
            self.tr("Aus dem Papierkorb können Sie sie jederzeit wiederherstellen.")
        )
        delete = box.addButton(self.tr("In den Papierkorb"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(self.tr("Abbrechen"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is delete

    def undo_delete(self, names: dict[int, str]) -> None:
        """ "Rückgängig": the contacts just deleted come back exactly as they were (same
        id, UID and sync state, so the next sync has nothing to do for them)."""
        restored: list[int] = []
        refused: list[str] = []
        for contact_id, name in names.items():
            try:
                restore_contact(get_contact(contact_id), undo=True)
            except StoreError as error:  # the trash was emptied, or the UID is live again
                refused.append(f"{name}: {error}")
                continue
            restored.append(contact_id)
        self.refresh()
        if len(restored) == 1:
            self.select_contact(restored[0])
        if refused:
            QMessageBox.warning(
                self, self.tr("Wiederherstellen nicht möglich"), "\n\n".join(refused)
            )

    @Slot()
    def restore_selected(self) -> None:
        refused: list[str] = []
        for contact_id in self.selected_ids():
            contact = get_contact(contact_id)
            try:
                restore_contact(contact)
            except StoreError as error:
                refused.append(f"{contact.fn}: {error}")
        self.refresh()
        if refused:
            QMessageBox.warning(
                self, self.tr("Wiederherstellen nicht möglich"), "\n\n".join(refused)
            )

    @Slot()
    def empty_trash(self) -> None:
        name = self.model.book_name
        if name is None:
            return
        count = self._trash_count()
        if count == 0:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Papierkorb leeren"),
            self.tr(
                "%n Kontakt(e) im Papierkorb von „{0}“ endgültig löschen? "
                "Das lässt sich nicht rückgängig machen.",
                "",
                count,
            ).format(name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        empty_trash(get_book(name))
        self.refresh()

    @Slot()
    def import_vcf(self) -> None:
        name = self.model.book_name
        if name is None:
            return
        if import_vcf_interactive(self, name) is not None:
            self.refresh()

    @Slot()
    def export_vcf(self) -> None:
        name = self.model.book_name
        if name is None:
            return
        ids = self.selected_ids()
        export_vcf_interactive(self, ids if len(ids) > 1 else None, name)

    def _agenda_changed(self) -> None:
        self.due_panel.refresh()
        self.agenda.refresh()

    def table_menu(self) -> QMenu:
        menu = QMenu(self)
        one = self.current_contact_id() is not None
        if self.model.trash:
            menu.addAction(self.tr("Anzeigen …"), self.edit_current).setEnabled(one)
            menu.addAction(self.tr("Wiederherstellen"), self.restore_selected)
        else:
            menu.addAction(icon("edit"), self.tr("Bearbeiten …"), self.edit_current).setEnabled(one)
            menu.addAction(self.tr("Verlauf …"), self.show_history).setEnabled(one)
            menu.addAction(self.tr("Exportieren …"), self.export_selected)
            menu.addSeparator()
            menu.addAction(icon("trash"), self.tr("In den Papierkorb"), self.delete_selected)
        return menu

    @Slot()
    def export_selected(self) -> None:
        name = self.model.book_name
        ids = self.selected_ids()
        if name is not None and ids:
            export_vcf_interactive(self, ids, name)

    @Slot(QPoint)
    def _table_menu(self, pos: QPoint) -> None:
        if self.selected_ids():
            self.table_menu().exec(self.table.viewport().mapToGlobal(pos))

    @Slot(QModelIndex)
    def _open_contact(self, index: QModelIndex) -> None:
        c = self.model.contact(index.row())
        if c is None:
            return
        if c.deleted_at is not None:
            self.detail_dialog(c.id).exec()
        else:
            self.edit_contact(c.id)

    def detail_dialog(self, contact_id: int) -> ContactDetailDialog:
        return ContactDetailDialog(contact_id, self)
