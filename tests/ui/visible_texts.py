"""Every text a window shows, each with the widget it belongs to (tests/ui/test_language_walk).

`visible_texts(window)` walks a window's widgets that are not hidden (the pages of its tab
widgets too, each made current in turn) and returns (where, text) pairs: window titles,
labels, buttons, group boxes, tabs, check boxes, line edits' placeholders, combo box entries,
spin boxes' prefixes and suffixes, text views, tool tips, the headers and cells of tables,
trees and lists (the first rows), menus and their actions (submenus too). `where` names the
widget — its class, object name and the chain of its parents — so a failing test says
which widget showed the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QSpinBox,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

ROWS = 40  # the first rows of a table or list are read (cells of a 50,000-row table: no)
_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """Rich text as the user reads it (tags gone, entities resolved)."""
    if "<" in text and _TAG.search(text):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def name_of(widget: QWidget | QAction, top: QWidget | None = None) -> str:
    """`MainWindow > QStackedWidget > ContactsPage > QPushButton#trashToggle`."""
    chain: list[str] = []
    node: object = widget
    while node is not None:
        if isinstance(node, (QWidget, QAction)):
            label = type(node).__name__
            if node.objectName() and not node.objectName().startswith("qt_"):
                label += f"#{node.objectName()}"
            chain.append(label)
        if node is top:
            break
        node = node.parent() if isinstance(node, (QWidget, QAction)) else None
    return " > ".join(reversed(chain[:5]))


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    if isinstance(model, QAbstractListModel):  # its columnCount is private in PySide6
        return 0 if parent.isValid() else 1
    return model.columnCount(parent)


def _model_texts(model: QAbstractItemModel, where: str) -> Iterator[tuple[str, str]]:
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    for orientation, count in (
        (Qt.Orientation.Horizontal, _columns(model, QModelIndex())),
        (Qt.Orientation.Vertical, min(model.rowCount(QModelIndex()), ROWS)),
    ):
        for section in range(count):
            for role in roles:
                value = model.headerData(section, orientation, role)
                if isinstance(value, str):
                    yield f"{where} [header {section}]", value

    def rows(parent: QModelIndex, depth: int) -> Iterator[tuple[str, str]]:
        for row in range(min(model.rowCount(parent), ROWS)):
            for column in range(_columns(model, parent)):
                index = model.index(row, column, parent)
                for role in roles:
                    value = index.data(role)
                    if isinstance(value, str):
                        yield f"{where} [cell {row},{column}]", value
            child = model.index(row, 0, parent)
            if depth < 3 and _columns(model, child) and model.rowCount(child) > 0:
                yield from rows(child, depth + 1)

    yield from rows(QModelIndex(), 0)


def menu_texts(menu: QMenu, where: str) -> Iterator[tuple[str, str]]:
    """A menu's title and its actions' texts and tool tips (submenus too)."""
    menu.aboutToShow.emit()  # menus filled when they open (the tray's)
    yield where, menu.title()
    for action in menu.actions():
        yield from action_texts(action, f"{where} > {action.text() or 'action'}")


def action_texts(action: QAction, where: str) -> Iterator[tuple[str, str]]:
    if action.isSeparator() or not action.isVisible():
        return
    yield where, action.text()
    if action.toolTip() != action.text().replace("&", ""):
        yield f"{where} (tool tip)", action.toolTip()
    if action.menu() is not None:
        yield from menu_texts(action.menu(), where)


def _own_texts(w: QWidget, where: str) -> Iterator[tuple[str, str]]:
    if w.isWindow():
        yield f"{where} (title)", w.windowTitle()
    if w.toolTip():
        yield f"{where} (tool tip)", w.toolTip()
    if isinstance(w, (QLabel, QAbstractButton)):
        yield where, w.text()
    elif isinstance(w, QGroupBox):
        yield where, w.title()
    elif isinstance(w, QLineEdit):
        yield f"{where} (placeholder)", w.placeholderText()
    elif isinstance(w, QComboBox):
        for i in range(w.count()):
            yield f"{where} [item {i}]", w.itemText(i)
            tip = w.itemData(i, Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str):
                yield f"{where} [item {i} tool tip]", tip
    elif isinstance(w, QTabBar):
        for i in range(w.count()):
            yield f"{where} [tab {i}]", w.tabText(i)
            yield f"{where} [tab {i} tool tip]", w.tabToolTip(i)
    elif isinstance(w, (QTextEdit, QPlainTextEdit)):
        yield f"{where} (placeholder)", w.placeholderText()
        if w.isReadOnly():
            yield where, w.toPlainText()
    elif isinstance(w, QProgressBar) and w.isTextVisible():
        yield where, w.text()
    elif isinstance(w, QAbstractItemView) and w.model() is not None:
        yield from _model_texts(w.model(), where)
    if isinstance(w, QSpinBox):
        yield f"{where} (prefix)", w.prefix()
        yield f"{where} (suffix)", w.suffix()
    if isinstance(w, QAbstractSpinBox):
        yield f"{where} (special value)", w.specialValueText()
        if isinstance(w, QDateTimeEdit):
            yield f"{where} (date)", w.text()
    for action in w.actions():
        if not isinstance(w, QMenu):
            yield from action_texts(action, f"{where} > action")
    if isinstance(w, QMainWindow):
        for action in w.menuBar().actions():
            yield from action_texts(action, f"{where} > menu")


def _shown(w: QWidget, top: QWidget) -> bool:
    node: QWidget | None = w
    while node is not None and node is not top:
        if node.isHidden():
            return False
        node = node.parentWidget()
    return True


def _walk(root: QWidget, top: QWidget) -> Iterator[tuple[str, str]]:
    for w in [root, *root.findChildren(QWidget)]:
        if isinstance(w, (QMenu, QHeaderView)) or not _shown(w, root):
            continue  # a header view's model is its table's (read there)
        yield from _own_texts(w, name_of(w, top))


def visible_texts(top: QWidget) -> list[tuple[str, str]]:
    """(where, text) of every non-empty text `top` shows, tab pages included (see module)."""
    QApplication.processEvents()
    found: list[tuple[str, str]] = list(_walk(top, top))
    for tabs in top.findChildren(QTabWidget):
        if not _shown(tabs, top):
            continue
        current = tabs.currentIndex()
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            found.extend(_walk(tabs.widget(i), top))
        tabs.setCurrentIndex(current)
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for where, text in found:
        text = plain(text).strip()
        if text and (where, text) not in seen:
            seen.add((where, text))
            out.append((where, text))
    return out
