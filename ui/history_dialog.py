"""The "Verlauf" of a contact or an appointment: earlier versions beside the current one.

Left the earlier versions (newest first), right the chosen version compared field by field
with the current one (changed rows highlighted), or both raw texts side by side. Restoring
asks first, goes through app.store.history / app.store.appointment_history (so it is
undoable and synced on the next run) and emits `restored`.

`HistoryDialog` shows a contact (vCard); `AppointmentHistoryDialog` is the same dialog for a
"Termin" (iCalendar): it overrides only the data hooks (`_read_current`, `_read_versions`,
`_version_text`, `_compare`, `_restore_version`) and the texts (`_texts`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.store.appointment_history import (
    appointment_version_text,
    appointment_versions,
    compare_events,
    current_appointment,
    restore_appointment_version,
)
from app.store.contacts import StoreError
from app.store.history import (
    FieldDiff,
    VersionRow,
    compare,
    current_card,
    restore_version,
    version_text,
    versions,
)
from ui.ask import ask_yes_no
from ui.locale_format import date_time_text, local

#: Background of a changed row: a soft yellow.
CHANGED_COLOR = QColor("#fff3bf")


def _item(text: str, *, changed: bool = False, bold: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    item.setToolTip(text)
    if changed:
        item.setBackground(QBrush(CHANGED_COLOR))
    if bold:
        font = QFont()
        font.setBold(True)
        item.setFont(font)
    return item


@dataclass(frozen=True)
class HistoryItem:
    """What the dialog shows of the current item: its name, its text, whether trashed."""

    name: str
    text: str
    in_trash: bool


@dataclass(frozen=True)
class HistoryTexts:
    """The texts that differ between a contact's and an appointment's history."""

    in_trash: str
    empty: str
    raw: str
    confirm: str  # with {date}
    untitled: str


class HistoryDialog(QDialog):
    """Earlier versions of one contact compared with the current card; restore one."""

    restored = Signal()

    def __init__(self, item_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item_id = item_id
        self.texts = self._texts()
        self._current = self._read_current()
        self._versions: list[VersionRow] = []
        self._diffs: list[FieldDiff] = []
        self.resize(980, 560)

        layout = QVBoxLayout(self)

        self.trash_label = QLabel(self.texts.in_trash)
        self.trash_label.setObjectName("trashLabel")
        self.trash_label.setWordWrap(True)
        self.trash_label.setStyleSheet("color: #b26a00;")
        layout.addWidget(self.trash_label)

        self.empty_label = QLabel(self.texts.empty)
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label, 1)

        # Left: the versions.
        self.version_list = QListWidget()
        self.version_list.setObjectName("versionList")
        self.version_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.version_list.setWordWrap(True)
        self.version_list.setAlternatingRowColors(True)
        self.version_list.setStyleSheet("QListWidget::item { padding: 4px 2px; }")
        self.version_list.currentRowChanged.connect(self._show_version)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("Frühere Fassungen")))
        left_layout.addWidget(self.version_list)

        # Right: options, then the comparison table or the raw cards.
        self.only_changes = QCheckBox(self.tr("Nur Unterschiede"))
        self.only_changes.setObjectName("onlyChanges")
        self.only_changes.setChecked(True)
        self.only_changes.toggled.connect(self._fill_table)
        self.raw_button = QPushButton(self.texts.raw)
        self.raw_button.setObjectName("rawButton")
        self.raw_button.setCheckable(True)
        self.raw_button.toggled.connect(self._toggle_raw)
        options = QHBoxLayout()
        options.addWidget(self.only_changes)
        options.addStretch(1)
        options.addWidget(self.raw_button)

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("diffTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Feld"), self.tr("Ausgewählte Fassung"), self.tr("Aktuell")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setStyleSheet("QTableWidget::item { padding: 3px 4px; }")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 140)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        self.same_label = QLabel(
            self.tr("Diese Fassung stimmt in allen Angaben mit der aktuellen überein.")
        )
        self.same_label.setObjectName("sameLabel")
        self.same_label.setStyleSheet("color: #555;")
        table_page = QWidget()
        table_layout = QVBoxLayout(table_page)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.same_label)

        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.old_raw = QPlainTextEdit()
        self.new_raw = QPlainTextEdit()
        raw_page = QWidget()
        raw_layout = QHBoxLayout(raw_page)
        raw_layout.setContentsMargins(0, 0, 0, 0)
        for caption, view in (
            (self.tr("Ausgewählte Fassung"), self.old_raw),
            (self.tr("Aktuell"), self.new_raw),
        ):
            view.setReadOnly(True)
            view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            view.setFont(mono)
            column = QVBoxLayout()
            column.addWidget(QLabel(caption))
            column.addWidget(view, 1)
            raw_layout.addLayout(column, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(table_page)
        self.stack.addWidget(raw_page)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(options)
        right_layout.addWidget(self.stack, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([290, 670])
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)

        # Buttons.
        self.restore_button = QPushButton(self.tr("Diese Fassung wiederherstellen"))
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.clicked.connect(self._restore)
        close = QPushButton(self.tr("Schließen"))
        close.setObjectName("closeButton")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)

        self.reload()

    # ------------------------------------------------------------ what is shown (hooks)

    def _texts(self) -> HistoryTexts:
        return HistoryTexts(
            in_trash=self.tr(
                "Der Kontakt liegt im Papierkorb. Stellen Sie ihn zuerst wieder her, "
                "um eine frühere Fassung zu übernehmen."
            ),
            empty=self.tr("Für diesen Kontakt gibt es noch keine früheren Fassungen."),
            raw=self.tr("vCard anzeigen"),
            confirm=self.tr(
                "Die Fassung vom {date} wird zur aktuellen Fassung. Die jetzige Fassung bleibt "
                "im Verlauf erhalten.\n\nFortfahren?"
            ),
            untitled=self.tr("(ohne Namen)"),
        )

    def _read_current(self) -> HistoryItem:
        card = current_card(self.item_id)
        return HistoryItem(card.fn, card.vcard, card.in_trash)

    def _read_versions(self) -> list[VersionRow]:
        return versions(self.item_id)

    def _version_text(self, version_id: int) -> str:
        return version_text(self.item_id, version_id)

    def _compare(self, old: str, new: str) -> list[FieldDiff]:
        return compare(old, new)

    def _restore_version(self, version_id: int) -> None:
        restore_version(self.item_id, version_id)

    # ------------------------------------------------------------ data

    def reload(self) -> None:
        """Read the item and its versions again; the newest version is selected."""
        self._current = self._read_current()
        self._versions = self._read_versions()
        name = self._current.name or self.texts.untitled
        self.setWindowTitle(self.tr("Verlauf: {name}").format(name=name))
        self.trash_label.setVisible(self._current.in_trash)
        empty = not self._versions
        self.empty_label.setVisible(empty)
        self.splitter.setVisible(not empty)
        self.version_list.blockSignals(True)
        self.version_list.clear()
        for v in self._versions:
            text = f"{date_time_text(local(v.created))}\n{v.reason_label}"  # translated by the core
            if v.note:
                text += f"\n{v.note}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, v.id)
            item.setToolTip(text)
            self.version_list.addItem(item)
        self.version_list.blockSignals(False)
        if empty:
            self._show_version(-1)
        else:
            self.version_list.setCurrentRow(0)
            self._show_version(0)

    def selected_version(self) -> VersionRow | None:
        row = self.version_list.currentRow()
        return self._versions[row] if 0 <= row < len(self._versions) else None

    def _show_version(self, row: int) -> None:
        version = self._versions[row] if 0 <= row < len(self._versions) else None
        if version is None:
            self._diffs = []
            self.old_raw.setPlainText("")
            self.new_raw.setPlainText("")
        else:
            old = self._version_text(version.id)
            self._diffs = self._compare(old, self._current.text)
            self.old_raw.setPlainText(old.replace("\r\n", "\n"))
            self.new_raw.setPlainText(self._current.text.replace("\r\n", "\n"))
        self.restore_button.setEnabled(version is not None and not self._current.in_trash)
        self._fill_table()

    def _fill_table(self) -> None:
        only = self.only_changes.isChecked()
        rows = [d for d in self._diffs if d.changed or not only]
        self.table.setRowCount(len(rows))
        for r, d in enumerate(rows):
            self.table.setItem(r, 0, _item(d.label, changed=d.changed, bold=d.changed))
            self.table.setItem(r, 1, _item(d.old, changed=d.changed))
            self.table.setItem(r, 2, _item(d.new, changed=d.changed))
        self.table.resizeRowsToContents()
        self.same_label.setVisible(bool(self._diffs) and not any(d.changed for d in self._diffs))

    def _toggle_raw(self, on: bool) -> None:
        self.stack.setCurrentIndex(1 if on else 0)
        self.only_changes.setEnabled(not on)

    # ------------------------------------------------------------ restore

    def _restore(self) -> None:
        version = self.selected_version()
        if version is None:
            return
        if not ask_yes_no(
            self,
            self.tr("Fassung wiederherstellen"),
            self.texts.confirm.format(date=date_time_text(local(version.created))),
        ):
            return
        try:
            self._restore_version(version.id)
        except StoreError as e:
            QMessageBox.warning(self, self.tr("Fassung wiederherstellen"), str(e))
            return
        self.reload()
        self.restored.emit()


class AppointmentHistoryDialog(HistoryDialog):
    """The "Verlauf" of one appointment: earlier iCalendar versions, compared and restorable.

    Versions come from a local edit, a server update, a conflict's losing side and a
    restore; "iCalendar anzeigen" shows both raw texts side by side.
    """

    @property
    def appointment_id(self) -> int:
        return self.item_id

    def _texts(self) -> HistoryTexts:
        return HistoryTexts(
            in_trash=self.tr(
                "Der Termin liegt im Papierkorb. Stellen Sie ihn zuerst wieder her "
                "(Termine ▸ Agenda ▸ Papierkorb …), um eine frühere Fassung zu übernehmen."
            ),
            empty=self.tr(
                "Für diesen Termin gibt es noch keine früheren Fassungen. Sie entstehen, wenn "
                "Sie ihn bearbeiten, der Server ihn ändert oder ein Konflikt entschieden wird."
            ),
            raw=self.tr("iCalendar anzeigen"),
            confirm=self.tr(
                "Die Fassung vom {date} wird zur aktuellen Fassung des Termins und beim "
                "nächsten Abgleich auf den Server übertragen. Die jetzige Fassung bleibt im "
                "Verlauf erhalten.\n\nFortfahren?"
            ),
            untitled=self.tr("(ohne Betreff)"),
        )

    def _read_current(self) -> HistoryItem:
        current = current_appointment(self.item_id)
        return HistoryItem(current.summary, current.ical, current.in_trash)

    def _read_versions(self) -> list[VersionRow]:
        return appointment_versions(self.item_id)

    def _version_text(self, version_id: int) -> str:
        return appointment_version_text(self.item_id, version_id)

    def _compare(self, old: str, new: str) -> list[FieldDiff]:
        return compare_events(old, new)

    def _restore_version(self, version_id: int) -> None:
        restore_appointment_version(self.item_id, version_id)
