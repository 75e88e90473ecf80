"""The result of "Ausgewählte Ordner prüfen": server status and, per book, what the
chosen operation would do (SPEC §4 figures), and beside the figures every contact (or
appointment) that would change, with its fields alt → neu (ui/item_list.py, issue 22).
Nothing has been written.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.store.names import book_display_name
from app.sync.modes import Mode
from app.sync.report import FIGURE_LABELS_DE, BookReport, RunReport
from ui.item_list import ItemList, entries_of
from ui.report_export import ALL_FIGURES, book_notes
from ui.side_list import bold

# The figures a check of address books shows, in the order of the table: the group cards
# apart from the contacts ("Gruppen auf dem Server", "Gruppen geändert").
CHECK_FIGURES: tuple[str, ...] = ALL_FIGURES


# Counts of what is there (never bold): the rest are changes the run would make.
_STOCK = ("server_count", "local_count", "server_groups", "local_groups")


class CheckDialog(QDialog):
    """Server status and the plan figures per selected book."""

    def __init__(
        self, report: RunReport, mode: Mode | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(self.tr("Ausgewählte Ordner prüfen"))
        self.resize(1000, 640)
        layout = QVBoxLayout(self)

        heading = QLabel(self.tr("Prüfung – Account „{account}“").format(account=report.account))
        bold(heading, 1.3)
        layout.addWidget(heading)
        if mode is not None:
            layout.addWidget(QLabel(self.tr("Vorgang: {mode}").format(mode=mode.label())))

        self.server_status = QLabel(self._server_status_text())
        self.server_status.setWordWrap(True)
        layout.addWidget(self.server_status)

        self.table = self._figures_table(report.books)
        entries = entries_of(report.books)
        self.items = ItemList(entries, planned=True)
        changes = QWidget()
        changes_layout = QVBoxLayout(changes)
        changes_layout.setContentsMargins(0, 0, 0, 0)
        self.items_heading = QLabel(self.tr("Einzelne Änderungen ({n})").format(n=len(entries)))
        bold(self.items_heading)
        changes_layout.addWidget(self.items_heading)
        changes_layout.addWidget(self.items, 1)
        figures = QWidget()
        figures_layout = QVBoxLayout(figures)
        figures_layout.setContentsMargins(0, 0, 0, 0)
        figures_layout.addWidget(self.table)
        figures_layout.addStretch(1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(figures)
        self.splitter.addWidget(changes)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 640])
        layout.addWidget(self.splitter, 1)

        notes = [f"{b.book}: {n}" for b in report.books for n in book_notes(b) if not b.error]
        notes += [
            f"{b.book}: {e.name or e.uid}: {e.message}" for b in report.books for e in b.errors
        ]
        if notes:
            notes_label = QLabel("\n".join(notes))
            notes_label.setWordWrap(True)
            layout.addWidget(notes_label)

        hint = QLabel(
            self.tr(
                "Es wurde nichts geändert. Hinweis: In Contactbox gelöschte Kontakte werden bei "
                "einem erneuten Import nicht wieder angelegt; Sie können sie aus dem "
                "Papierkorb wiederherstellen."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555")
        layout.addWidget(hint)

        bar = QHBoxLayout()
        bar.addStretch(1)
        close = QPushButton(self.tr("Schließen"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        bar.addWidget(close)
        layout.addLayout(bar)

    def _server_status_text(self) -> str:
        if self.report.status == "failed" and self.report.message:
            return self.tr(
                "Server-Status: <b style='color:#b00020'>nicht erreichbar</b> – {msg}"
            ).format(msg=self.report.message)
        failed = [b for b in self.report.books if b.error]
        if failed:
            return self.tr(
                "Server-Status: <b style='color:#b26a00'>erreichbar, mit Fehlern</b> – {msg}"
            ).format(msg="; ".join(f"{b.book}: {b.error}" for b in failed))
        return self.tr(
            "Server-Status: <b style='color:#2e7d32'>erreichbar</b>, Anmeldung in Ordnung."
        )

    def _figures_table(self, books: list[BookReport]) -> QTableWidget:
        names = self.report.figure_names()
        table = QTableWidget(len(names), len(books))
        table.setHorizontalHeaderLabels(
            [f"{b.book}\n→ {book_display_name(b.local_book)}" for b in books]
        )
        table.setVerticalHeaderLabels([self.tr(FIGURE_LABELS_DE[n]) for n in names])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        bold = QFont()
        bold.setBold(True)
        for col, b in enumerate(books):
            for row, name in enumerate(names):
                value = "–" if b.error else str(getattr(b, name))
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if value not in ("0", "–") and name not in _STOCK:
                    item.setFont(bold)
                table.setItem(row, col, item)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        return table

    def figure(self, book: str, name: str) -> int:
        """The figure `name` of the book with this server name (for tests)."""
        for b in self.report.books:
            if b.book == book:
                return int(getattr(b, name))
        raise KeyError(book)
