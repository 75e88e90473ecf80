"""The setup dialog's list of server books (ui/setup_dialog.py).

`BookTree` shows one row per server book: a checkbox with its name (wrapped by
`WrappingNameDelegate` when long, never cut off), its counts on the server and in
Contactbox, and in the last column the choice of the local book it goes to
(`make_target_box`). What the rows mean, which are ticked and what is loaded stays with
SetupDialog.

The strings keep the translation context "SetupDialog" (`_tr`, `CONTEXT`): `self.tr()` in
these classes would be extracted by lupdate under "BookTree".
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.store.names import book_display_name
from app.sync.jobs import BookOverview
from ui.elided_combo import ElidedComboBox

CONTEXT = "SetupDialog"
COL_NAME, COL_SERVER, COL_LOCAL, COL_TARGET = range(4)


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def name_text_rect(tree: QTreeWidget, item: QTreeWidgetItem) -> tuple[QRect, QRect]:
    """Where the name of a row is drawn (its cell without the checkbox) and the room its
    text needs there, wrapped at word boundaries: the name is readable when the second
    fits into the first."""
    index = tree.indexFromItem(item, COL_NAME)
    delegate = tree.itemDelegate()
    assert isinstance(delegate, WrappingNameDelegate)
    return delegate.text_room(index, tree.visualRect(index))


class WrappingNameDelegate(QStyledItemDelegate):
    """Rows as high as their server book's name needs when it is wrapped at the width of
    the name column: a long name is never cut off (QTreeView asks a delegate for a row's
    height without telling it the column's width)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def text_room(
        self, index: QModelIndex | QPersistentModelIndex, cell: QRect
    ) -> tuple[QRect, QRect]:
        """The text area of the name cell `cell` and the rectangle its wrapped text needs."""
        option = QStyleOptionViewItem()
        option.initFrom(self._tree.viewport())
        option.rect = cell
        self.initStyleOption(option, index)
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        style = self._tree.style()
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, self._tree)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self._tree) + 1
        room = text.adjusted(margin, 0, -margin, 0)
        needed = option.fontMetrics.boundingRect(
            QRect(room.left(), room.top(), max(room.width(), 1), 100_000),
            int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft),
            option.text,
        )
        return room, needed

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        if index.column() != COL_NAME:
            return hint
        width = self._tree.header().sectionSize(COL_NAME)
        _room, needed = self.text_room(index, QRect(0, 0, width, hint.height()))
        return QSize(hint.width(), max(hint.height(), needed.height() + 8))


class BookTree(QTreeWidget):
    """The server's books, one checkable row each (COL_NAME ... COL_TARGET)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(
            [
                _tr("Ordner / Adressbuch"),
                _tr("auf dem Server"),
                _tr("in Contactbox"),
                _tr("Adressbuch in Contactbox"),
            ]
        )
        self.setRootIsDecorated(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setAlternatingRowColors(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col in (COL_SERVER, COL_LOCAL):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_TARGET, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_TARGET, 340)
        # Long names wrap onto a second line instead of being cut off; the rows get their
        # height again whenever the name column changes its width.
        self.setWordWrap(True)
        self.setItemDelegate(WrappingNameDelegate(self))
        self._relayout_timer = QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(0)
        self._relayout_timer.timeout.connect(self.doItemsLayout)
        header.sectionResized.connect(self._name_column_resized)

    def _name_column_resized(self, column: int, _old: int, _new: int) -> None:
        if column == COL_NAME:
            self._relayout_timer.start()

    def add_book(self, ov: BookOverview, box: QComboBox) -> QTreeWidgetItem:
        """A row for a server book, unticked, with `box` as its choice of the local book."""
        item = QTreeWidgetItem()
        name = ov.remote.display_name or ov.remote.href
        item.setData(COL_NAME, Qt.ItemDataRole.UserRole, name)
        item.setText(COL_NAME, book_text(ov))
        item.setToolTip(COL_NAME, book_tooltip(ov))
        item.setText(COL_SERVER, str(ov.server_count))
        item.setText(COL_LOCAL, str(ov.local_count))
        for col in (COL_SERVER, COL_LOCAL):
            item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(COL_NAME, Qt.CheckState.Unchecked)
        self.addTopLevelItem(item)
        # in a cell of its own so that it stays centred in a row grown by a long name
        cell = QWidget()
        cell_layout = QVBoxLayout(cell)
        cell_layout.setContentsMargins(0, 0, 0, 0)
        cell_layout.addWidget(box, 0, Qt.AlignmentFlag.AlignVCenter)
        self.setItemWidget(item, COL_TARGET, cell)
        return item

    def book_items(self) -> list[QTreeWidgetItem]:
        items = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item for item in items if item is not None]


def book_text(ov: BookOverview) -> str:
    """A server book's name in the list, with "(nur lesen)" and "(deaktiviert)"."""
    text = ov.remote.display_name or ov.remote.href
    if ov.remote.read_only:
        text = _tr("{0} (nur lesen)").format(text)
    if ov.binding is not None and not ov.binding.enabled:
        text = _tr("{0} (deaktiviert)").format(text)
    return text


def book_tooltip(ov: BookOverview) -> str:
    """The whole name, the address, and what "nur lesen" or "deaktiviert" means."""
    lines = [ov.remote.display_name or ov.remote.href]
    if ov.remote.display_name:
        lines.append(ov.remote.href)
    if ov.remote.read_only:
        lines.append(
            _tr(
                "Der Server erlaubt diesem Account nur das Lesen: Änderungen in "
                "Contactbox bleiben in Contactbox."
            )
        )
    if ov.binding is not None and not ov.binding.enabled:
        lines.append(
            _tr(
                "Der Abgleich dieses Adressbuchs ist deaktiviert. „Vorgang starten“ "
                "schaltet ihn mit dem gewählten Vorgang wieder ein."
            )
        )
    return "\n".join(lines)


def make_target_box(ov: BookOverview, local_books: list[str]) -> QComboBox:
    """The choice of the local book for one server book (item data: the book's name,
    "" for a new book named after the server book)."""
    server_name = ov.remote.display_name or ov.remote.href.rstrip("/").split("/")[-1]
    box = ElidedComboBox(
        _tr(
            "Das Adressbuch in Contactbox, in das „{server}“ übernommen wird: ein "
            "bestehendes oder ein neues mit dem Namen des Server-Adressbuchs."
        ).format(server=server_name)
    )
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(16)
    current = ov.binding.local_book if ov.binding is not None else None
    if ov.binding is not None:
        mode = ov.binding.mode.label()
        if not ov.binding.enabled:
            mode = _tr("{0}, deaktiviert").format(mode)
        shown = book_display_name(str(current))
        box.addItem(_tr("{book} ({mode})").format(book=shown, mode=mode), current)
        if server_name not in local_books:
            box.addItem(_tr("Neu: {book}").format(book=server_name), server_name)
    else:
        box.addItem(_tr("Neu: {book}").format(book=server_name), "")
    for name in local_books:
        if name != current:
            box.addItem(book_display_name(name), name)
    box.setCurrentIndex(0)
    box.update_tooltip()
    return box
