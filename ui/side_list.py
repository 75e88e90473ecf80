"""The layout both configuration pages share: a title line, on the left a column with a
heading, the list of entries and the page's buttons under it (`SideList`: the Remote-Accounts
of Adressbuch-Synchronisierung in ui/sync_page.py, the users of Benutzerkonfiguration in
ui/users_page.py), a vertical line, and the selected entry on the right (`page_body`). The
list holds its entries by id (`entry_item`); `SideList.fill` refills it and keeps, or moves,
the selection without the page seeing the intermediate states. `list_style` gives the
list's look, `bold` the bold titles (of the dialogs' headings too), `hint_label` the grey
hints that wrap. It has no strings of its own: the pages pass theirs.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

ID_ROLE = Qt.ItemDataRole.UserRole


def list_style(object_name: str) -> str:
    """The style sheet rules of the list called `object_name` (flat, grey selection)."""
    name = f"QListWidget#{object_name}"
    return (
        f"{name} {{ outline: 0; }}\n"
        f"{name}::item {{ padding: 6px 8px; }}\n"
        f"{name}::item:selected {{ background: #d6d6d6; color: #1a1a1a; }}\n"
    )


def bold(label: QLabel, scale: float = 1.0) -> None:
    """Set the label's font bold (and `scale` times as big)."""
    font = QFont(label.font())
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)


def hint_label(text: str = "") -> QLabel:
    """A hint line that wraps, grey by the page style (`QLabel#hint`)."""
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def entry_item(text: str, entry_id: int) -> QListWidgetItem:
    """A list entry showing `text` for the account or user `entry_id`."""
    item = QListWidgetItem(text)
    item.setData(ID_ROLE, entry_id)
    return item


class SideList(QWidget):
    """The left column: heading, the list (`list`), then what the page adds to `column`."""

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.column = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        self.column.addWidget(heading)
        self.list = QListWidget()
        self.list.setObjectName(object_name)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setMinimumWidth(220)
        self.column.addWidget(self.list, 1)
        self.setMaximumWidth(300)

    def current_id(self) -> int | None:
        """The id of the selected entry, None when the list is empty."""
        item = self.list.currentItem()
        return int(item.data(ID_ROLE)) if item is not None else None

    def fill(self, items: Iterable[QListWidgetItem], keep: int | None) -> None:
        """Show these entries; select the one with id `keep`, else the first. The list's
        signals stay blocked meanwhile: the page shows the selection once, afterwards."""
        self.list.blockSignals(True)
        self.list.clear()
        target: QListWidgetItem | None = None
        for item in items:
            self.list.addItem(item)
            if item.data(ID_ROLE) == keep:
                target = item
        if target is None and self.list.count():
            target = self.list.item(0)
        if target is not None:
            self.list.setCurrentItem(target)
        self.list.blockSignals(False)


def page_body(page: QWidget, title: str, side: SideList) -> QHBoxLayout:
    """Lay out `page`: the title line, then a row with `side` and a vertical line; the
    caller adds the right-hand part to the returned row."""
    outer = QVBoxLayout(page)
    title_label = QLabel(title)
    title_label.setObjectName("pageTitle")
    outer.addWidget(title_label)
    body = QHBoxLayout()
    body.setSpacing(16)
    outer.addLayout(body, 1)
    body.addWidget(side)
    separator = QFrame()
    separator.setFrameShape(QFrame.Shape.VLine)
    separator.setFrameShadow(QFrame.Shadow.Sunken)
    body.addWidget(separator)
    return body
