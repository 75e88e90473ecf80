"""Termine ▸ Agenda, Liste: `AgendaListView`, occurrences grouped by day.

A QTreeWidget with one group per day that has appointments (Zeit, Betreff, Ort / Kontakt;
a series marked ↻); each row holds its occurrence in `OCC_ROLE`. Like the painted views
it reports selection, double-click and the context menu as signals to the page
(ui/agenda_view.py).

Its strings are in the translation context "AgendaView" (`_tr`).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QContextMenuEvent, QFont
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from app.store.occurrences import Occurrence
from ui.agenda_canvas import MUTED
from ui.agenda_format import occurrence_time_text, weekday_name
from ui.locale_format import date_text

OCC_ROLE = Qt.ItemDataRole.UserRole


def _tr(text: str) -> str:
    return QCoreApplication.translate("AgendaView", text)


class AgendaListView(QTreeWidget):
    """Liste: occurrences grouped by day (only days with appointments)."""

    selection_changed = Signal(object)
    open_requested = Signal(object)
    menu_requested = Signal(object, object, QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agendaList")
        self.setColumnCount(3)
        self.setHeaderLabels([_tr("Zeit"), _tr("Betreff"), _tr("Ort / Kontakt")])
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self.header().resizeSection(0, 130)
        self.header().resizeSection(1, 320)
        self.occurrences: list[Occurrence] = []
        self.itemSelectionChanged.connect(self._selection)
        self.itemDoubleClicked.connect(self._double_clicked)

    def set_data(self, days: list[date], occs: list[Occurrence]) -> None:
        self.blockSignals(True)
        self.clear()
        self.occurrences = occs
        today = date.today()
        bold = QFont(self.font())
        bold.setBold(True)
        group_brush = QBrush(QColor("#eef2f7"))
        for day in days:
            todays = [o for o in occs if day in o.days()]
            if not todays:
                continue
            label = f"{weekday_name(day)}, {date_text(day)}"
            if day == today:
                label = _tr("Heute · {0}").format(label)
            group = QTreeWidgetItem([label])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            group.setFirstColumnSpanned(True)
            group.setFont(0, bold)
            for c in range(3):
                group.setBackground(c, group_brush)
            self.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for occ in todays:
                where = " · ".join(s for s in (occ.location, occ.contact_name) if s)
                summary = occ.summary + (" ↻" if occ.recurring else "")
                item = QTreeWidgetItem([occurrence_time_text(occ, day), summary, where])
                item.setData(0, OCC_ROLE, occ)
                item.setToolTip(1, _tr("Serientermin") if occ.recurring else occ.summary)
                group.addChild(item)
            group.setExpanded(True)
        if self.topLevelItemCount() == 0:
            empty = QTreeWidgetItem([_tr("Keine Termine in diesem Zeitraum.")])
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
            empty.setForeground(0, QBrush(MUTED))
            self.addTopLevelItem(empty)
            empty.setFirstColumnSpanned(True)
        self.blockSignals(False)

    def groups(self) -> list[tuple[str, list[Occurrence]]]:
        """(day label, occurrences) as shown, for tests."""
        out = []
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            assert group is not None
            occs = [
                child.data(0, OCC_ROLE)
                for j in range(group.childCount())
                if (child := group.child(j)) is not None
            ]
            if occs:
                out.append((group.text(0), occs))
        return out

    def item_for(self, occ: Occurrence) -> QTreeWidgetItem | None:
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            assert group is not None
            for j in range(group.childCount()):
                child = group.child(j)
                if child is not None and child.data(0, OCC_ROLE) == occ:
                    return child
        return None

    def set_selected(self, occ: Occurrence | None) -> None:
        self.blockSignals(True)
        self.clearSelection()
        item = self.item_for(occ) if occ is not None else None
        if item is not None:
            item.setSelected(True)
            self.setCurrentItem(item)
        self.blockSignals(False)

    def selected_occurrence(self) -> Occurrence | None:
        items = self.selectedItems()
        occ = items[0].data(0, OCC_ROLE) if items else None
        return occ if isinstance(occ, Occurrence) else None

    def _selection(self) -> None:
        self.selection_changed.emit(self.selected_occurrence())

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        occ = item.data(0, OCC_ROLE)
        if isinstance(occ, Occurrence):
            self.open_requested.emit(occ)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        item = self.itemAt(event.pos())
        occ = item.data(0, OCC_ROLE) if item is not None else None
        if item is not None and isinstance(occ, Occurrence):
            self.setCurrentItem(item)
            self.menu_requested.emit(occ, None, event.globalPos())
