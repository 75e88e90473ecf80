"""Kontakte ▸ Kontakte anzeigen: browse, search, trash and restore local contacts.

Left the local address books with their counts, right the contacts of the selected book
in a lazy table (ui/contact_model.py), a debounced search field and the Papierkorb.
Double-click opens a read-only view of the contact with its vCard.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QFont, QFontDatabase, QShowEvent
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
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import vcard
from app.store.contacts import (
    StoreError,
    book_counts,
    count_contacts,
    delete_contact,
    empty_trash,
    get_book,
    get_contact,
    restore_contact,
)
from ui.contact_model import ContactTableModel
from ui.icons import icon

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
        self._build()
        self.reload_books()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        title = QLabel(self.tr("Kontakte ▸ Kontakte anzeigen"))
        title.setObjectName("pageTitle")
        outer.addWidget(title)
        body = QHBoxLayout()
        body.setSpacing(16)
        outer.addLayout(body, 1)

        left = QVBoxLayout()
        heading = QLabel(self.tr("Adressbücher"))
        heading.setObjectName("sectionTitle")
        left.addWidget(heading)
        self.book_list = QListWidget()
        self.book_list.setObjectName("bookList")
        self.book_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.book_list.currentItemChanged.connect(self._book_selected)
        left.addWidget(self.book_list, 1)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setMinimumWidth(170)
        left_box.setMaximumWidth(220)
        body.addWidget(left_box)

        separator = QFrame()
        separator.setFrameShape(QFrame.Shape.VLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)
        body.addWidget(separator)

        right = QVBoxLayout()
        top = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(
            self.tr("Suchen nach Name, E-Mail, Telefon oder Organisation …")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _text: self.search_timer.start())
        top.addWidget(self.search_edit, 1)
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
        for column, width in enumerate((180, 220, 130)):
            header.resizeSection(column, width)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(self._open_contact)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        right.addWidget(self.table, 1)

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
        self.delete_button = QPushButton(icon("trash"), self.tr("Löschen"))
        self.delete_button.setToolTip(self.tr("Ausgewählte Kontakte in den Papierkorb legen"))
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
        for button in (self.delete_button, self.restore_button, self.empty_button):
            buttons.addWidget(button)
        right.addLayout(buttons)
        body.addLayout(right, 1)

    # ------------------------------------------------------------------ books

    def current_book(self) -> str | None:
        item = self.book_list.currentItem()
        return None if item is None else str(item.data(BOOK_ROLE))

    def reload_books(self) -> None:
        """Re-read the books and their counts; keep the selected book if it still exists."""
        selected = self.current_book()
        self.book_list.blockSignals(True)
        self.book_list.clear()
        first: QListWidgetItem | None = None
        match: QListWidgetItem | None = None
        for info in book_counts():
            item = QListWidgetItem(f"{info.name} ({info.live})")
            item.setData(BOOK_ROLE, info.name)
            item.setToolTip(
                self.tr("{0} Kontakte, {1} im Papierkorb").format(info.live, info.trashed)
            )
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
        else:
            self.model.reload()

    @Slot(QListWidgetItem, QListWidgetItem)
    def _book_selected(self, current: QListWidgetItem | None, _previous: object) -> None:
        self.model.set_book(None if current is None else str(current.data(BOOK_ROLE)))

    def refresh(self) -> None:
        """Counts and rows again, e.g. after a sync changed the store."""
        self.reload_books()

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

    def _update_buttons(self) -> None:
        trash = self.model.trash
        has_selection = bool(self.selected_ids())
        self.delete_button.setVisible(not trash)
        self.restore_button.setVisible(trash)
        self.empty_button.setVisible(trash)
        self.delete_button.setEnabled(has_selection)
        self.restore_button.setEnabled(has_selection)
        self.empty_button.setEnabled(trash and self._trash_count() > 0)
        n = self.model.rowCount()
        if self.model.book_name is None:
            text = ""
        elif trash:
            text = self.tr("{0} Kontakte im Papierkorb").format(n)
        else:
            text = self.tr("{0} Kontakte").format(n)
        if self.model.search and self.model.book_name is not None:
            text += " " + self.tr("(gefiltert)")
        self.status_label.setText(text)

    def _trash_count(self) -> int:
        name = self.model.book_name
        return 0 if name is None else count_contacts(get_book(name), trash=True)

    # ------------------------------------------------------------------ actions

    def selected_ids(self) -> list[int]:
        ids: list[int] = []
        for index in self.table.selectionModel().selectedRows():
            c = self.model.contact(index.row())
            if c is not None:
                ids.append(c.id)
        return ids

    @Slot()
    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        for contact_id in ids:
            delete_contact(get_contact(contact_id))
        self.refresh()

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
                "{0} Kontakte im Papierkorb von „{1}“ endgültig löschen? "
                "Das lässt sich nicht rückgängig machen."
            ).format(count, name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        empty_trash(get_book(name))
        self.refresh()

    @Slot(QModelIndex)
    def _open_contact(self, index: QModelIndex) -> None:
        c = self.model.contact(index.row())
        if c is not None:
            self.detail_dialog(c.id).exec()

    def detail_dialog(self, contact_id: int) -> ContactDetailDialog:
        return ContactDetailDialog(contact_id, self)
