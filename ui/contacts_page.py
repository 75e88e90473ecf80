"""Kontakte ▸ Kontakte anzeigen: the local address books and their contacts.

Left the local address books (count, sync direction; create, rename, delete) with their
groups (member counts; new, rename, delete, drop contacts onto one) and the current user's
due follow-ups; right the contacts of the selected book or group in a lazy table
(ui/contact_model.py) with a debounced search, columns the user can show, hide and move
(kept per user), the Papierkorb, .vcf import/export, and below the table the Termine and
Wiedervorlagen of the selected contact. Double-click (or Enter) opens the editor; a
contact in the Papierkorb opens read-only (ui/contact_detail.py).

The page is put together from parts along its seams, each a mixin of `ContactsPage`: the
book tree (ui/contacts_books.py) and its groups (ui/contacts_groups.py), the table's
columns (ui/contacts_columns.py), following the store (ui/contacts_following.py) and
deleting, Rückgängig, restoring and emptying the Papierkorb (ui/contacts_deleting.py) and
.vcf import/export (ui/contacts_vcf.py). This module builds the widgets and keeps search,
selection, the buttons' states, editing, history and the menus.

Mixins: their methods carry no @Slot. Connected to a mixin's @Slot method, a signal goes
through PySide's global receiver instead of the page as soon as the page has a dynamic
meta-object (which connecting any plain method gives it), so the connection outlives the
page and e.g. the store watch would call a deleted page (PySide6 6.11). A plain method
connects to the page itself and goes with it.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import vcard
from app.store.agenda import current_user
from app.store.contacts import (
    StoreError,
    add_contact,
    contact_position,
    count_contacts,
    get_book,
    get_contact,
    update_contact,
)
from ui.agenda_widgets import ContactAgendaWidget, DueFollowUpsPanel
from ui.contact_detail import ContactDetailDialog as ContactDetailDialog
from ui.contact_editor import ContactEditorDialog
from ui.contact_model import ContactTableModel
from ui.contacts_books import BOOK_ROLE as BOOK_ROLE
from ui.contacts_books import BooksPart
from ui.contacts_books import book_to_open as book_to_open
from ui.contacts_books import synced_books as synced_books
from ui.contacts_columns import ColumnsPart
from ui.contacts_deleting import DeletingPart
from ui.contacts_following import FollowingPart
from ui.contacts_groups import GroupsPart
from ui.contacts_vcf import VcfPart
from ui.history_dialog import HistoryDialog
from ui.icons import icon
from ui.side_list import hint_label
from ui.store_watch import store_watch

SEARCH_DELAY_MS = 250

STYLE = """
QTreeWidget#bookList { outline: 0; }
QTreeWidget#bookList::item { padding: 4px 4px; }
QTreeWidget#bookList::item:selected { background: #d6d6d6; color: #1a1a1a; }
QLabel#pageTitle { color: #555555; }
QLabel#sectionTitle { font-weight: bold; }
QLabel#hint { color: #666666; }
QLabel#status { color: #555555; }
QPushButton#trashToggle:checked {
    background: #f28c28; border: 1px solid #d2731c; border-radius: 4px; color: white;
    padding: 4px 10px;
}
"""


class ContactsPage(
    BooksPart, GroupsPart, ColumnsPart, FollowingPart, DeletingPart, VcfPart, QWidget
):
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
        self._group_cache = {}
        self.groups_timer = QTimer(self)  # the groups afresh, after following the store
        self.groups_timer.setSingleShot(True)
        self.groups_timer.setInterval(0)
        self.groups_timer.timeout.connect(lambda: self.reload_books(rows=False))
        self._build()
        self.restore_columns()
        self.reload_books()
        # Follow the store (ui/store_watch.py): a sync, the CLI or another window changed
        # contacts, books or follow-ups — counts and rows show it, the selection stays.
        watch = store_watch()
        watch.contacts_changed.connect(self._contacts_changed_in_store)
        watch.books_changed.connect(self._books_changed_in_store)
        watch.bindings_changed.connect(self._bindings_changed_in_store)
        watch.appointments_changed.connect(self._agenda_changed_in_store)
        watch.followups_changed.connect(self._agenda_changed_in_store)

    def _user_id(self) -> int:
        """The user whose column layout and last chosen book the page keeps."""
        return int(current_user().id)

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
        heading = QLabel(self.tr("Adressbücher und Gruppen"))
        heading.setObjectName("sectionTitle")
        left.addWidget(heading)
        self.book_list = self._build_tree()
        left.addWidget(self.book_list, 3)
        tools = QHBoxLayout()
        tools.setSpacing(4)
        self.new_book_button = self._tool_button(
            "plus", self.tr("Neues Adressbuch anlegen …"), self.new_book
        )
        self.rename_book_button = self._tool_button(
            "edit", self.tr("Adressbuch umbenennen …"), self.rename_item
        )
        self.delete_book_button = self._tool_button(
            "minus", self.tr("Adressbuch löschen …"), self.delete_item
        )
        for button in (self.new_book_button, self.rename_book_button, self.delete_book_button):
            tools.addWidget(button)
        tools.addStretch(1)
        self.new_group_button = self._build_new_group_button()
        tools.addWidget(self.new_group_button)
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
        self.table.setDragEnabled(True)  # onto a group in the tree (ui/contacts_groups.py)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.table.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        # The header does not mark selected columns: with the table's selection it would
        # ask, at every paint, whether each column is wholly selected — the model's flags()
        # of every cell (Strg+A over 10,000 contacts: 70,000 calls, 0.5 s). A selection of
        # its own, always empty, answers at once.
        header.setSelectionModel(QItemSelectionModel(self.model, header))
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

        self.hint = hint_label(
            self.tr(
                "Gelöschte Kontakte liegen im Papierkorb und werden bei Importen und "
                "Synchronisationen nicht erneut übernommen, bis Sie sie wiederherstellen."
            )
        )
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

    # ------------------------------------------------------------------ refreshing

    def refresh(self) -> None:
        """Counts and rows again, e.g. after a sync changed the store."""
        self.reload_books()
        self.due_panel.refresh()

    def show_own_change(self) -> None:
        """After the page changed many contacts itself (deleting, Rückgängig, an import):
        rows and counts now, the groups in a turn of their own (`follow_store`)."""
        self.follow_store(rows=True)
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
        selected = self.selected_count()
        self.delete_button.setVisible(not trash)
        self.restore_button.setVisible(trash)
        self.empty_button.setVisible(trash)
        self.edit_button.setVisible(not trash)
        self.new_button.setEnabled(not trash and self.model.book_name is not None)
        self.import_button.setEnabled(not trash and self.model.book_name is not None)
        self.export_button.setEnabled(self.model.book_name is not None)
        self.delete_button.setEnabled(bool(selected))
        self.restore_button.setEnabled(bool(selected))
        self.edit_button.setEnabled(selected == 1)
        self.history_button.setEnabled(selected == 1)
        self.empty_button.setEnabled(trash and self._trash_count() > 0)
        n = self.model.rowCount()
        if self.model.book_name is None:
            text = ""
        elif trash:
            text = self.tr("%n Kontakt(e) im Papierkorb", "", n)
        elif self.model.group:
            text = self.tr("%n Kontakt(e) in der Gruppe „{0}“", "", n).format(self.model.group)
        else:
            text = self.tr("%n Kontakt(e)", "", n)
        if self.model.search and self.model.book_name is not None:
            text += " " + self.tr("(gefiltert)")
        if selected > 1:
            text += " · " + self.tr("{0} ausgewählt").format(selected)
        self.status_label.setText(text)

    def _trash_count(self) -> int:
        name = self.model.book_name
        return 0 if name is None else count_contacts(get_book(name), trash=True)

    # ------------------------------------------------------------------ selection

    def _selected_rows(self) -> list[int]:
        """The selected rows, from the selection's ranges: `selectedRows()` asks every cell
        of every row (0.7 s for 10,000 selected rows, each time the buttons update)."""
        rows: set[int] = set()
        selection = self.table.selectionModel().selection()
        for i in range(selection.size()):
            r = selection.at(i)
            rows.update(range(r.top(), r.bottom() + 1))
        return sorted(rows)

    def selected_count(self) -> int:
        """How many contacts are selected (no contact is read)."""
        return len(self._selected_rows())

    def selected_ids(self) -> list[int]:
        return self.model.ids_of_rows(self._selected_rows())

    def current_contact_id(self) -> int | None:
        """The one selected contact (None when none or several are selected)."""
        rows = self._selected_rows()
        c = self.model.contact(rows[0]) if len(rows) == 1 else None
        return c.id if c is not None else None

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
            group=self.model.group,
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
        if self.current_book() != book or self.model.group:
            self.reload_books(select=book)
            self.select_book(book)  # the whole book: the contact may be in no group
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
        return ContactEditorDialog(
            contact.vcard, self, book=contact.book.name, contact_id=contact.id
        )

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
        dialog.apply_groups(contact)
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
        dialog.apply_groups(contact)
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
            self.group_menu(menu)
            menu.addSeparator()
            menu.addAction(icon("trash"), self.tr("In den Papierkorb"), self.delete_selected)
        return menu

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
