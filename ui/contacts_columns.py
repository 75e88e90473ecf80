"""Kontakte ▸ Kontakte anzeigen: the contact table's columns, kept per user.

`ColumnsPart` is mixed into `ContactsPage` (ui/contacts_page.py), which builds the table.
The user shows and hides columns from the header's context menu and moves and resizes them
by dragging; order, widths, hidden columns and sort are saved in the user setting
`COLUMNS_SETTING` (a drag is saved once it settles, by the page's `columns_timer`).

The strings keep the translation context "ContactsPage" (`_tr`, `CONTEXT`): `self.tr()` in
this class would be extracted by lupdate under "ColumnsPart".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QTableView, QWidget

from app.store.settings import get_setting, set_setting
from ui.contact_model import DEFAULT_VISIBLE

if TYPE_CHECKING:
    from ui.contact_model import ContactTableModel

    _Page = QWidget  # for the type checker: the part is mixed into a QWidget
else:
    _Page = object

CONTEXT = "ContactsPage"
#: The user setting that keeps the contact table's columns (order, widths, hidden, sort).
COLUMNS_SETTING = "contacts.columns"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class ColumnsPart(_Page):
    """The columns of the contact table (mixed into `ContactsPage`)."""

    # Plain methods, no @Slot: see "Mixins" in ui/contacts_page.py.

    # Set by ContactsPage.__init__ / _build.
    model: ContactTableModel
    table: QTableView
    columns_timer: QTimer

    if TYPE_CHECKING:

        def _user_id(self) -> int: ...

    def _default_columns(self) -> None:
        header = self.table.horizontalHeader()
        for logical in range(self.model.columnCount()):
            header.moveSection(header.visualIndex(logical), logical)
            header.setSectionHidden(logical, logical not in DEFAULT_VISIBLE)
        for logical, width in enumerate((190, 220, 140, 200, 120, 120, 120)):
            header.resizeSection(logical, width)

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
        menu.addAction(_tr("Standardspalten wiederherstellen"), self.reset_columns)
        return menu

    def _header_menu(self, pos: QPoint) -> None:
        self.header_menu().exec(self.table.horizontalHeader().mapToGlobal(pos))
