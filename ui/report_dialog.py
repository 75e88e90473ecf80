"""The run report: figures per book and side, conflicts, failed items, notes.

`ReportDialog` shows one RunReport (a check or a run) and exports it as HTML or CSV;
`ReportHistoryDialog` lists an account's earlier reports and opens one on double-click.
The tab "Einzelne Änderungen" lists each contact (appointment) the run changed
(ui/item_list.py); a stored report's list is read (`report_details`) only when that tab is
first shown, so listing and opening reports stays cheap; one kept before the list existed
says it has none.
A report speaks of what it is about (`RunReport.words_kind`): the "Importbericht" of
address books and contacts, the "Synchronisationsbericht" of calendars and appointments
(figures "Termine auf dem Server" …); in a report over both each book is named with its
kind ("Kalender „Arbeit“").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _ as core_text
from app.store.accounts import account_by_id
from app.store.reports import list_reports, report_details
from app.sync.details import ItemDetail, details_of
from app.sync.report import ADDRESS_BOOK, CALENDAR, MIXED, BookReport, RunReport
from ui.item_list import ItemList, Items, entries_of
from ui.report_export import (
    SIDE_DE,
    action_de,
    book_notes,
    decided_fields,
    kind_text,
    local_time,
    mode_de,
    report_to_csv,
    report_to_html,
    status_de,
)
from ui.side_list import bold
from ui.store_watch import store_watch
from ui.workers import CallWorker, start_worker

# Figures grouped by side, as the report shows them; an address book's group cards in a
# part of their own (a calendar report has none: `RunReport.figure_names`).
FIGURE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Bestand", ("server_count", "local_count")),
    ("Contactbox", ("added_local", "updated_local", "deleted_local")),
    ("Server", ("added_server", "updated_server", "deleted_server")),
    ("Gruppen", ("server_groups", "local_groups", "groups_changed")),
    ("Sonstiges", ("conflicts", "merged", "skipped_deleted", "server_only")),
)

STATUS_COLORS = {"ok": "#2e7d32", "errors": "#b26a00", "failed": "#b00020", "cancelled": "#555"}


def _item(text: str, *, number: bool = False, bold: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if bold:
        font = QFont()
        font.setBold(True)
        item.setFont(font)
    return item


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table


def _wrapped(table: QTableWidget, text_column: int) -> None:
    """The other columns as wide as their contents, `text_column` takes the rest and wraps;
    the rows grow with their text, also when the dialog is resized."""
    header = table.horizontalHeader()
    table.setWordWrap(True)
    for column in range(table.columnCount()):
        if column != text_column:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(text_column, QHeaderView.ResizeMode.Stretch)
    # after the resize has settled: during sectionResized the rows would still measure the
    # old width
    header.sectionResized.connect(
        lambda *_: QTimer.singleShot(0, table, table.resizeRowsToContents)
    )
    table.resizeRowsToContents()


class ReportDialog(QDialog):
    """One report: overview table, conflicts, errors, notes; export as HTML / CSV."""

    def __init__(
        self, report: RunReport, parent: QWidget | None = None, *, report_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.report = report
        self.report_id = report_id  # a stored report: its list is read when first shown
        self.items: ItemList | None = None
        self.kind = report.words_kind  # "addressbook" | "calendar" | "mixed"
        is_check = report.kind == "check"
        title = self.tr("Prüfung") if is_check else self.report_word()
        self.setWindowTitle(title)
        self.resize(820, 560)

        layout = QVBoxLayout(self)
        heading = QLabel(
            self.tr("{title} – Account „{account}“").format(title=title, account=report.account)
        )
        bold(heading, 1.3)
        layout.addWidget(heading)

        color = STATUS_COLORS.get(report.status, "#222")
        self.status_label = QLabel(
            self.tr(
                "Status: <b style='color:{color}'>{status}</b> · begonnen {start} · beendet {end}"
            ).format(
                color=color,
                status=status_de(report.status),
                start=local_time(report.started),
                end=local_time(report.finished) or "–",
            )
        )
        layout.addWidget(self.status_label)
        if report.message:
            message = QLabel(report.message)
            message.setWordWrap(True)
            message.setStyleSheet("color:#b00020")
            layout.addWidget(message)

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.figures_table = self._figures_table()
        self.tabs.addTab(self.figures_table, self.tr("Übersicht"))
        self.conflicts_table = self._conflicts_table()
        self.tabs.addTab(
            self.conflicts_table,
            self.tr("Konflikte ({n})").format(n=self.conflicts_table.rowCount()),
        )
        self.errors_table = self._errors_table()
        self.tabs.addTab(
            self.errors_table, self.tr("Fehler ({n})").format(n=self.errors_table.rowCount())
        )
        self.notes_table = self._notes_table()
        self.tabs.addTab(
            self.notes_table, self.tr("Hinweise ({n})").format(n=self.notes_table.rowCount())
        )
        self.items_page = QWidget()
        self.items_layout = QVBoxLayout(self.items_page)
        self.items_layout.setContentsMargins(0, 0, 0, 0)
        self.items_note = QLabel()
        self.items_note.setObjectName("noItems")
        self.items_note.setWordWrap(True)
        self.items_note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.items_note.hide()
        self.items_layout.addWidget(self.items_note)
        self._items_started = False
        in_memory = len(report.details())
        self.items_tab = self.tabs.addTab(
            self.items_page,
            self.tr("Einzelne Änderungen ({n})").format(n=in_memory)
            if in_memory or report_id is None
            else self.tr("Einzelne Änderungen"),
        )
        self.tabs.currentChanged.connect(self._tab_shown)

        buttons = QHBoxLayout()
        self.html_button = QPushButton(self.tr("Als HTML exportieren …"))
        self.html_button.clicked.connect(self.export_html)
        self.csv_button = QPushButton(self.tr("Als CSV exportieren …"))
        self.csv_button.clicked.connect(self.export_csv)
        close = QPushButton(self.tr("Schließen"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons.addWidget(self.html_button)
        buttons.addWidget(self.csv_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ words

    def report_word(self) -> str:
        """The report's name: "Importbericht" (address books) or "Synchronisationsbericht"
        (calendars; the manual's "Terminsynchronisation"), translated."""
        if self.kind == ADDRESS_BOOK:
            return self.tr("Importbericht")
        return self.tr("Synchronisationsbericht")

    def collection_word(self) -> str:
        """The tables' header for the books: "Adressbuch" | "Kalender" (translated)."""
        if self.kind == CALENDAR:
            return self.tr("Kalender")
        if self.kind == MIXED:
            return self.tr("Adressbuch / Kalender")
        return self.tr("Adressbuch")

    def item_word(self) -> str:
        """The tables' header for the items: "Kontakt" | "Termin" (translated)."""
        if self.kind == CALENDAR:
            return self.tr("Termin")
        if self.kind == MIXED:
            return self.tr("Kontakt / Termin")
        return self.tr("Kontakt")

    def book_name(self, book: BookReport) -> str:
        """A book as the tables name it; in a report over both kinds with its kind."""
        if self.kind != MIXED:
            return book.book
        if book.collection == CALENDAR:
            return self.tr("Kalender „{name}“").format(name=book.book)
        return self.tr("Adressbuch „{name}“").format(name=book.book)

    # ------------------------------------------------------------------ tables

    def _figures_table(self) -> QTableWidget:
        books = self.report.books
        labels = self.report.words.labels  # the report's words: contacts, appointments
        headers = [self.tr("Kennzahl")]
        headers += [f"{self.book_name(b)}\n{mode_de(b.mode)}" for b in books]
        headers.append(self.tr("Gesamt"))
        table = _table(headers)
        totals = self.report.totals()
        group_names = {
            "Bestand": self.tr("Bestand"),
            "Contactbox": self.tr("In Contactbox"),
            "Server": self.tr("Auf dem Server"),
            "Gruppen": self.tr("Gruppen"),
            "Sonstiges": self.tr("Sonstiges"),
        }
        shown = self.report.figure_names()
        for group, all_names in FIGURE_GROUPS:
            names = tuple(n for n in all_names if n in shown)
            if not names:
                continue
            row = table.rowCount()
            table.insertRow(row)
            header = _item(group_names[group], bold=True)
            table.setItem(row, 0, header)
            table.setSpan(row, 0, 1, len(headers))
            for name in names:
                row = table.rowCount()
                table.insertRow(row)
                table.setItem(row, 0, _item("   " + self.tr(labels[name])))
                for col, b in enumerate(books, start=1):
                    value = "–" if b.not_started else str(getattr(b, name))  # see "Hinweise"
                    table.setItem(row, col, _item(value, number=True))
                table.setItem(row, len(books) + 1, _item(str(totals[name]), number=True, bold=True))
        hh = table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(headers)):
            hh.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        table.setAlternatingRowColors(False)
        return table

    def _conflicts_table(self) -> QTableWidget:
        """One row per conflict; where a merged contact's fields were decided by the
        preference (both sides changed them differently, everything else of both versions
        merged), a column "Felder" names them ("Telefon, E-Mail"; "–": the whole item).
        Without such a conflict (a calendar's are always whole) the column is left out."""
        notes = [(b, c) for b in self.report.books for c in b.conflict_notes]
        with_fields = any(c.fields for _b, c in notes)
        headers = [self.collection_word(), self.item_word()]
        headers += [self.tr("Felder")] if with_fields else []
        table = _table([*headers, self.tr("Übernommen")])
        kept_column = len(headers)
        for b, c in notes:
            row = table.rowCount()
            table.insertRow(row)
            side = SIDE_DE.get(c.winner, c.winner)
            table.setItem(row, 0, _item(self.book_name(b)))
            table.setItem(row, 1, _item(c.name or c.uid))
            if with_fields:
                table.setItem(row, 2, _item(decided_fields(c) or "–"))
            if c.fields:
                kept = self.tr(
                    "Version von {side} für diese Felder, alles Übrige zusammengeführt "
                    "(die andere steht im Verlauf)"
                )
            else:
                kept = self.tr("Version von {side} (die andere steht im Verlauf)")
            table.setItem(row, kept_column, _item(kept.format(side=side)))
        table.horizontalHeader().setSectionResizeMode(kept_column, QHeaderView.ResizeMode.Stretch)
        return table

    def _errors_table(self) -> QTableWidget:
        table = _table(
            [self.collection_word(), self.item_word(), self.tr("Vorgang"), self.tr("Grund")]
        )
        for b in self.report.books:
            for x in b.errors:
                row = table.rowCount()
                table.insertRow(row)
                table.setItem(row, 0, _item(self.book_name(b)))
                table.setItem(row, 1, _item(x.name or x.uid or x.href))
                table.setItem(row, 2, _item(action_de(x.action)))
                reason = _item(x.message)
                reason.setToolTip(f"{x.message}\n\n{x.detail}" if x.detail else x.message)
                table.setItem(row, 3, reason)
        _wrapped(table, 3)  # the server's own words are read whole, not cut off
        return table

    def _notes_table(self) -> QTableWidget:
        table = _table([self.collection_word(), self.tr("Hinweis")])
        table.setWordWrap(True)
        for b in self.report.books:
            for note in book_notes(b):
                row = table.rowCount()
                table.insertRow(row)
                table.setItem(row, 0, _item(self.book_name(b)))
                table.setItem(row, 1, _item(note))
        _wrapped(table, 1)
        return table

    # ------------------------------------------------------------------ single changes

    def _tab_shown(self, index: int) -> None:
        if index == self.items_tab:
            self.show_items()

    def show_items(self) -> None:
        """Fill the tab "Einzelne Änderungen" (once): the report's own list, or a stored
        report's, read on a background thread now (a note meanwhile)."""
        if self._items_started:
            return
        self._items_started = True
        if self.report.details() or self.report_id is None:
            self._fill_items(entries_of(self.report.books))
            return
        self.items_note.setText(self.tr("Die einzelnen Änderungen werden gelesen …"))
        self.items_note.show()
        report_id = self.report_id
        worker = CallWorker(lambda: details_of(report_details(report_id)))
        worker.done.connect(self._details_read)
        worker.failed.connect(self._details_failed)
        start_worker(worker)

    @Slot(object)
    def _details_read(self, details: list[ItemDetail]) -> None:
        self._fill_items(entries_of(self.report.books, details))

    @Slot(str)
    def _details_failed(self, message: str) -> None:
        self.items_note.setText(
            self.tr("Die einzelnen Änderungen konnten nicht gelesen werden: {message}").format(
                message=message
            )
        )

    def _fill_items(self, entries: Items) -> None:
        """The list, or — none kept (an older report, a run that changed nothing) — a note."""
        self.tabs.setTabText(
            self.items_tab, self.tr("Einzelne Änderungen ({n})").format(n=len(entries))
        )
        if not len(entries):
            self.items_note.setText(
                self.tr(
                    "Für diesen Bericht sind keine einzelnen Änderungen gespeichert (es wurde "
                    "nichts geändert, oder der Bericht ist älter als diese Liste)."
                )
            )
            self.items_note.show()
            return
        self.items_note.hide()
        self.items = ItemList(entries, planned=self.report.kind == "check")
        self.items_layout.addWidget(self.items, 1)

    # ------------------------------------------------------------------ export

    def _suggested_name(self, suffix: str) -> str:
        stamp = self.report.started.strftime("%Y-%m-%d_%H-%M")
        return str(Path.home() / f"{core_text(self.report.words.report)}_{stamp}.{suffix}")

    def export_html(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Bericht als HTML speichern"), self._suggested_name("html"),
            self.tr("HTML-Dateien (*.html)"),
        )  # fmt: skip
        if path:
            self._write(Path(path), report_to_html(self.report), "utf-8")

    def export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Bericht als CSV speichern"), self._suggested_name("csv"),
            self.tr("CSV-Dateien (*.csv)"),
        )  # fmt: skip
        if path:
            # With a BOM, spreadsheet programs read the umlauts correctly.
            self._write(Path(path), report_to_csv(self.report), "utf-8-sig")

    def _write(self, path: Path, text: str, encoding: str) -> None:
        try:
            path.write_text(text, encoding=encoding, newline="")
        except OSError as exc:
            QMessageBox.warning(
                self, self.tr("Speichern fehlgeschlagen"),
                self.tr("Die Datei „{path}“ konnte nicht gespeichert werden: {reason}")
                .format(path=str(path), reason=exc.strerror or str(exc)),
            )  # fmt: skip


class ReportHistoryDialog(QDialog):
    """The account's earlier reports (newest first); double-click opens one."""

    def __init__(self, account_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        account = account_by_id(account_id)
        self.setWindowTitle(self.tr("Frühere Berichte – {account}").format(account=account.label))
        self.resize(640, 400)
        self.account = account
        self.reports: list[dict[str, Any]] = []

        layout = QVBoxLayout(self)
        # A calendar account's runs sync its users' calendars (app/sync/calendar_jobs.py).
        books = self.tr("Kalender") if account.kind == "caldav" else self.tr("Adressbücher")
        self.table = _table([self.tr("Datum"), self.tr("Art"), self.tr("Status"), books])
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(self._open_row)
        layout.addWidget(self.table, 1)
        self.empty_label = QLabel(self.tr("Für diesen Account gibt es noch keine Berichte."))
        layout.addWidget(self.empty_label)

        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Bericht öffnen"))
        self.open_button.clicked.connect(lambda: self._open_row(self.table.currentRow(), 0))
        close = QPushButton(self.tr("Schließen"))
        close.clicked.connect(self.accept)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.reload()
        # A run by the tray, the daemon or the CLI while the list is open adds its report.
        store_watch().reports_changed.connect(self.reload)

    @Slot()
    def reload(self) -> None:
        """The account's reports as stored now; the selected one stays selected."""
        row = self.table.currentRow()
        keep = self.reports[row].get("id") if 0 <= row < len(self.reports) else None
        self.reports = list_reports(self.account)
        self.table.setRowCount(0)
        for data in self.reports:
            report = RunReport.from_dict(data)
            row = self.table.rowCount()
            self.table.insertRow(row)
            self.table.setItem(row, 0, _item(local_time(report.started)))
            self.table.setItem(row, 1, _item(kind_text(report.kind)))
            self.table.setItem(row, 2, _item(status_de(report.status)))
            self.table.setItem(row, 3, _item(", ".join(b.book for b in report.books)))
        self.empty_label.setVisible(not self.reports)
        self.open_button.setEnabled(bool(self.reports))
        if self.reports:
            ids = [data.get("id") for data in self.reports]
            self.table.selectRow(ids.index(keep) if keep in ids else 0)

    def open_report(self, row: int) -> ReportDialog | None:
        """Open the report in `row` (non-modal); returned for tests."""
        if not 0 <= row < len(self.reports):
            return None
        data = self.reports[row]
        dialog = ReportDialog(RunReport.from_dict(data), self, report_id=data.get("id"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _open_row(self, row: int, _column: int) -> None:
        self.open_report(row)
