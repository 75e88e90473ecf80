"""Setup dialog "Import / Synchronisation einrichten" (SPEC §2, manual "Adressbuch-
Synchronisation einrichten").

The account at the top; the server's books with their counts on the server and in
Contactbox (loaded on a background thread), a checkbox each; the three operations with
their options below the chosen one; the command bar "✕ Fenster schließen",
"Ausgewählte Ordner prüfen" (a check on a background thread) and "Vorgang starten"
(opens the run window with the chosen bindings as data: they are saved only when the run
starts, after the countdown and under the sync lock — a cancelled countdown or a refused
start leaves the bindings as they were).

Per server book, the column "Adressbuch in Contactbox" holds a choice of the local book it
goes to: "Neu: <server name>" (a new book named after the server book; the default for an
unbound book), the currently bound book (preselected, with its operation) or any other
existing local book. The chosen book is used by the check and the run.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.dav.model import RemoteBook
from app.store.contacts import count_live, list_books
from app.store.models import Account, AddressBook
from app.sync.jobs import AccountJob, BookOverview, PendingBinding, book_overview
from app.sync.modes import DEFAULT_OPTION, Mode, Operation, Option
from app.sync.report import RunReport
from ui.check_dialog import CheckDialog
from ui.elided_combo import ElidedComboBox
from ui.run_window import RunWindow
from ui.workers import CallWorker, start_worker

COL_NAME, COL_SERVER, COL_LOCAL, COL_TARGET = range(4)


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


class SetupDialog(QDialog):
    """Choose server books and an operation; check them or start the run."""

    books_loaded = Signal()  # the book list is filled (or failed to load)
    check_finished = Signal(object)  # RunReport of "Ausgewählte Ordner prüfen"
    run_started = Signal(object)  # the RunWindow opened by "Vorgang starten"

    def __init__(
        self, account_id: int, parent: QWidget | None = None, *, run_countdown: int = 5
    ) -> None:
        super().__init__(parent)
        self.account_id = account_id
        self.account: Account = Account.get_by_id(account_id)
        self.run_countdown = run_countdown
        self.overviews: list[BookOverview] = []
        self.target_boxes: list[QComboBox] = []  # per row: the local book it goes to
        self.check_dialog: CheckDialog | None = None
        self.run_window: RunWindow | None = None
        self._busy = False

        self.setWindowTitle(self.tr("Import / Synchronisation einrichten"))
        self.resize(840, 680)
        layout = QVBoxLayout(self)

        # 1 - the account
        account_label = QLabel(
            self.tr("Account: <b>{label}</b> &nbsp;·&nbsp; {user} auf {server}").format(
                label=self.account.label,
                user=self.account.username,
                server=self.account.base_url or self.account.server,
            )
        )
        layout.addWidget(account_label)

        # 2 - the server's books
        books_box = QGroupBox(self.tr("Adressbücher auf dem Server"))
        books_layout = QVBoxLayout(books_box)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [
                self.tr("Ordner / Adressbuch"),
                self.tr("auf dem Server"),
                self.tr("in Contactbox"),
                self.tr("Adressbuch in Contactbox"),
            ]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col in (COL_SERVER, COL_LOCAL):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_TARGET, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_TARGET, 340)
        # Long names wrap onto a second line instead of being cut off; the rows get their
        # height again whenever the name column changes its width.
        self.tree.setWordWrap(True)
        self.tree.setItemDelegate(WrappingNameDelegate(self.tree))
        self._relayout_timer = QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(0)
        self._relayout_timer.timeout.connect(self.tree.doItemsLayout)
        header.sectionResized.connect(self._name_column_resized)
        self.tree.itemChanged.connect(self._update_buttons)
        books_layout.addWidget(self.tree, 1)
        self.load_status = QLabel()
        self.load_status.setWordWrap(True)
        books_layout.addWidget(self.load_status)
        select_row = QHBoxLayout()
        self.select_all_button = QPushButton(self.tr("+ alle auswählen"))
        self.select_all_button.clicked.connect(self.select_all)
        self.select_none_button = QPushButton(self.tr("− alle abwählen"))
        self.select_none_button.clicked.connect(self.select_none)
        self.reload_button = QPushButton(self.tr("Neu laden"))
        self.reload_button.clicked.connect(self.load_books)
        select_row.addWidget(self.select_all_button)
        select_row.addWidget(self.select_none_button)
        select_row.addStretch(1)
        select_row.addWidget(self.reload_button)
        books_layout.addLayout(select_row)
        layout.addWidget(books_box, 1)

        # 3 - the operation and its options: the operations on the left, the chosen one's
        # options on the right in a stack as high as its highest page, so switching the
        # operation moves nothing (the conflict preference is only there for Synchronisation)
        ops_box = QGroupBox(self.tr("Vorgang"))
        ops_outer = self.ops_layout = QVBoxLayout(ops_box)
        ops_row = QHBoxLayout()
        ops_row.setSpacing(16)
        ops_outer.addLayout(ops_row)
        ops_left = QVBoxLayout()
        ops_left.setSpacing(2)
        ops_row.addLayout(ops_left, 2)
        self.options_stack = QStackedWidget()
        self.options_stack.setObjectName("optionsStack")
        ops_row.addWidget(self.options_stack, 3)
        self.operation_group = QButtonGroup(self)
        self.option_groups: dict[Operation, QButtonGroup] = {}
        self.option_panels: dict[Operation, QWidget] = {}
        self.operation_buttons: dict[Operation, QRadioButton] = {}
        self.option_buttons: dict[tuple[Operation, Option], QRadioButton] = {}
        operations = (
            (
                Operation.IMPORT,
                self.tr("Einmalig importieren"),
                self.tr("Die Kontakte des Servers werden einmal in Contactbox übernommen."),
                self.tr("Beim Import gilt:"),
                (
                    (
                        Option.ADD,
                        self.tr("Ergänzen"),
                        self.tr(
                            "Nur Kontakte, die noch nicht in Contactbox sind, werden hinzugefügt; "
                            "bestehende bleiben unberührt."
                        ),
                    ),
                    (
                        Option.UPDATE,
                        self.tr("Aktualisieren"),
                        self.tr(
                            "Bestehende Kontakte werden mit dem Server aktualisiert, neue "
                            "hinzugefügt."
                        ),
                    ),
                    (
                        Option.RECREATE,
                        self.tr("Neu anlegen"),
                        self.tr(
                            "Alle Kontakte des Adressbuchs in Contactbox werden vorher gelöscht "
                            "(Papierkorb), dann wird neu importiert. Termine und Wiedervorlagen "
                            "werden nur zugeordnet, wo sie übereinstimmen."
                        ),
                    ),
                ),
            ),
            (
                Operation.ONEWAY,
                self.tr("OneWay-Synchronisation"),
                self.tr(
                    "Steter Abgleich in eine Richtung: Contactbox aktualisiert regelmäßig den "
                    "Server; Änderungen auf dem Server bleiben unberücksichtigt."
                ),
                self.tr(
                    "Contactbox gibt den Stand vor: neue, geänderte und gelöschte Kontakte "
                    "gehen zum Server. Kontakte, die nur auf dem Server sind, bleiben dort "
                    "und werden im Importbericht genannt."
                ),
                (),
            ),
            (
                Operation.SYNC,
                self.tr("Synchronisation"),
                self.tr("Steter Abgleich in beide Richtungen."),
                self.tr("Bei Konflikten gilt:"),
                (
                    (
                        Option.CONTACTBOX,
                        self.tr("Contactbox"),
                        self.tr(
                            "Die aktuelleren Daten liegen in Contactbox; Änderungen gehen von "
                            "Contactbox zum Server."
                        ),
                    ),
                    (
                        Option.SERVER,
                        self.tr("Server"),
                        self.tr(
                            "Die aktuelleren Daten liegen auf dem Server; Änderungen werden in "
                            "Contactbox importiert."
                        ),
                    ),
                    (
                        Option.RECREATE,
                        self.tr("Neu anlegen"),
                        self.tr(
                            "Alle Kontakte des Adressbuchs in Contactbox werden vorher gelöscht "
                            "(Papierkorb), dann wird neu importiert und weiter synchronisiert."
                        ),
                    ),
                ),
            ),
        )
        self.option_headings: dict[Operation, QLabel] = {}
        for operation, label, explanation, heading_text, options in operations:
            button = QRadioButton(label)
            font = button.font()
            font.setBold(True)
            button.setFont(font)
            button.setToolTip(explanation)
            self.operation_group.addButton(button)
            self.operation_buttons[operation] = button
            ops_left.addWidget(button)
            text = QLabel(explanation)
            text.setWordWrap(True)
            text.setContentsMargins(24, 0, 0, 8)
            ops_left.addWidget(text)
            page = QWidget()
            page_layout = QVBoxLayout(page)
            page_layout.setContentsMargins(0, 0, 0, 0)
            page_layout.setSpacing(4)
            heading = QLabel(heading_text)
            heading.setWordWrap(True)
            if options:
                heading.setStyleSheet("font-weight: bold;")
            self.option_headings[operation] = heading
            page_layout.addWidget(heading)
            group = QButtonGroup(self)
            for option, option_label, option_text in options:
                row = QHBoxLayout()
                radio = QRadioButton(option_label)
                radio.setMinimumWidth(120)
                group.addButton(radio)
                self.option_buttons[(operation, option)] = radio
                row.addWidget(radio, 0, Qt.AlignmentFlag.AlignTop)
                hint = QLabel(option_text)
                hint.setWordWrap(True)
                row.addWidget(hint, 1)
                page_layout.addLayout(row)
            page_layout.addStretch(1)
            self.option_groups[operation] = group
            self.option_panels[operation] = page
            self.options_stack.addWidget(page)
            button.toggled.connect(self._show_options)
            button.toggled.connect(self._update_buttons)
        ops_left.addStretch(1)
        # "Bei Konflikten gilt:" - shown only while Synchronisation is chosen.
        self.conflict_label = self.option_headings[Operation.SYNC]
        self.conflict_label.setObjectName("conflictLabel")
        # Said when a selected book is read-only for this account (RFC 3744 privileges).
        self.read_only_hint = QLabel()
        self.read_only_hint.setObjectName("readOnlyHint")
        self.read_only_hint.setWordWrap(True)
        self.read_only_hint.setVisible(False)
        ops_outer.addWidget(self.read_only_hint)
        layout.addWidget(ops_box)
        self.set_mode(Mode.parse("import", "add"))

        # 4 - the command bar
        bar = QHBoxLayout()
        self.close_button = QPushButton(self.tr("✕ Fenster schließen"))
        self.close_button.clicked.connect(self.reject)
        self.check_button = QPushButton(self.tr("Ausgewählte Ordner prüfen"))
        self.check_button.clicked.connect(self.check_selected)
        self.start_button = QPushButton(self.tr("Vorgang starten"))
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start_selected)
        bar.addWidget(self.close_button)
        bar.addStretch(1)
        bar.addWidget(self.check_button)
        bar.addWidget(self.start_button)
        layout.addLayout(bar)

        self._update_buttons()
        self.load_books()

    # ------------------------------------------------------------------ operation / options

    def set_mode(self, mode: Mode) -> None:
        self.operation_buttons[mode.operation].setChecked(True)
        radio = self.option_buttons.get((mode.operation, mode.option))
        if radio is not None:
            radio.setChecked(True)
        self._show_options()

    def mode(self) -> Mode:
        """The chosen operation and option."""
        operation = next(op for op, button in self.operation_buttons.items() if button.isChecked())
        option = Option.NONE
        for (op, opt), radio in self.option_buttons.items():
            if op is operation and radio.isChecked():
                option = opt
        return Mode.parse(operation.value, option.value)

    def _show_options(self) -> None:
        """The chosen operation's page of options (with its default option ticked)."""
        for operation, button in self.operation_buttons.items():
            if not button.isChecked():
                continue
            self.options_stack.setCurrentWidget(self.option_panels[operation])
            group = self.option_groups[operation]
            if group.buttons() and group.checkedButton() is None:
                default = self.option_buttons.get((operation, DEFAULT_OPTION[operation]))
                (default or group.buttons()[0]).setChecked(True)

    # ------------------------------------------------------------------ the books

    def _name_column_resized(self, column: int, _old: int, _new: int) -> None:
        if column == COL_NAME:
            self._relayout_timer.start()

    def load_books(self) -> None:
        """List the server's books with counts, on a background thread."""
        self.tree.clear()
        self.overviews = []
        self.target_boxes = []
        self.load_status.setText(self.tr("Adressbücher werden vom Server geladen …"))
        self.load_status.setStyleSheet("")
        self._set_busy(True)
        account_id = self.account_id
        worker = CallWorker(lambda: book_overview(Account.get_by_id(account_id)))
        worker.done.connect(self._books_loaded)
        worker.failed.connect(self._books_failed)
        self._loader = worker
        start_worker(worker)

    def _books_loaded(self, overviews: list[BookOverview]) -> None:
        self._set_busy(False)
        self.overviews = list(overviews)
        local_books = list_books()  # a fast local query
        self.tree.blockSignals(True)
        for ov in self.overviews:
            item = QTreeWidgetItem()
            name = ov.remote.display_name or ov.remote.href
            item.setData(COL_NAME, Qt.ItemDataRole.UserRole, name)
            item.setText(COL_NAME, self._book_text(ov))
            item.setToolTip(COL_NAME, self._book_tooltip(ov))
            item.setText(COL_SERVER, str(ov.server_count))
            item.setText(COL_LOCAL, str(ov.local_count))
            for col in (COL_SERVER, COL_LOCAL):
                item.setTextAlignment(
                    col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(COL_NAME, Qt.CheckState.Unchecked)
            self.tree.addTopLevelItem(item)
            box = self._target_box(ov, local_books)
            self.target_boxes.append(box)
            # in a cell of its own so that it stays centred in a row grown by a long name
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.addWidget(box, 0, Qt.AlignmentFlag.AlignVCenter)
            self.tree.setItemWidget(item, COL_TARGET, cell)
            # a bound method, not a lambda: it must not keep the dialog alive
            box.currentIndexChanged.connect(self._target_changed)
        self.tree.blockSignals(False)
        if not self.overviews:
            self.load_status.setText(self.tr("Auf dem Server gibt es keine Adressbücher."))
        else:
            self.load_status.setText(
                self.tr(
                    "%n Adressbücher auf dem Server. Wählen Sie die Ordner aus, die "
                    "Sie abgleichen möchten.",
                    "",
                    len(self.overviews),
                )
            )
            bound = [ov.binding for ov in self.overviews if ov.binding is not None]
            if bound:
                self.set_mode(bound[0].mode)
        self._update_buttons()
        self.books_loaded.emit()

    def _book_text(self, ov: BookOverview) -> str:
        """A server book's name in the list, with "(nur lesen)" and "(deaktiviert)"."""
        text = ov.remote.display_name or ov.remote.href
        if ov.remote.read_only:
            text = self.tr("{0} (nur lesen)").format(text)
        if ov.binding is not None and not ov.binding.enabled:
            text = self.tr("{0} (deaktiviert)").format(text)
        return text

    def _book_tooltip(self, ov: BookOverview) -> str:
        """The whole name, the address, and what "nur lesen" or "deaktiviert" means."""
        lines = [ov.remote.display_name or ov.remote.href]
        if ov.remote.display_name:
            lines.append(ov.remote.href)
        if ov.remote.read_only:
            lines.append(
                self.tr(
                    "Der Server erlaubt diesem Account nur das Lesen: Änderungen in "
                    "Contactbox bleiben in Contactbox."
                )
            )
        if ov.binding is not None and not ov.binding.enabled:
            lines.append(
                self.tr(
                    "Der Abgleich dieses Adressbuchs ist deaktiviert. „Vorgang starten“ "
                    "schaltet ihn mit dem gewählten Vorgang wieder ein."
                )
            )
        return "\n".join(lines)

    def _target_box(self, ov: BookOverview, local_books: list[str]) -> QComboBox:
        """The choice of the local book for one server book (item data: the book's name,
        "" for a new book named after the server book)."""
        server_name = ov.remote.display_name or ov.remote.href.rstrip("/").split("/")[-1]
        box = ElidedComboBox(
            self.tr(
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
                mode = self.tr("{0}, deaktiviert").format(mode)
            box.addItem(self.tr("{book} ({mode})").format(book=current, mode=mode), current)
            if server_name not in local_books:
                box.addItem(self.tr("Neu: {book}").format(book=server_name), server_name)
        else:
            box.addItem(self.tr("Neu: {book}").format(book=server_name), "")
        for name in local_books:
            if name != current:
                box.addItem(name, name)
        box.setCurrentIndex(0)
        box.update_tooltip()
        return box

    def _target_changed(self, *_args: object) -> None:
        """Another local book was chosen: show its count and tick the server book."""
        sender = self.sender()
        rows = [i for i, box in enumerate(self.target_boxes) if box is sender]
        items = self.book_items()
        if not rows or rows[0] >= len(items):
            return
        row = rows[0]
        item = items[row]
        item.setText(COL_LOCAL, str(self.local_count(row)))
        item.setCheckState(COL_NAME, Qt.CheckState.Checked)

    def local_book(self, row: int) -> str | None:
        """The chosen local book of a row; None for a new one named after the server book."""
        data = self.target_boxes[row].currentData()
        return str(data) if data else None

    def local_count(self, row: int) -> int:
        """The live contacts of the chosen local book of a row (0 for a new book)."""
        ov = self.overviews[row]
        name = self.local_book(row)
        if name is None or (ov.binding is not None and name == ov.binding.local_book):
            return ov.local_count
        book = AddressBook.get_or_none(AddressBook.name == name)
        return count_live(book) if book is not None else 0

    def target_box(self, display_name: str) -> QComboBox:
        """The local-book choice of the server book with this display name."""
        for item, box in zip(self.book_items(), self.target_boxes, strict=True):
            if item.data(COL_NAME, Qt.ItemDataRole.UserRole) == display_name:
                return box
        raise KeyError(display_name)

    def set_target(self, display_name: str, local_book: str | None) -> None:
        """Choose the local book (None: a new one) for the server book with this name."""
        box = self.target_box(display_name)
        index = box.findData(local_book) if local_book is not None else 0
        if index < 0:
            raise KeyError(local_book)
        box.setCurrentIndex(index)

    def _books_failed(self, message: str) -> None:
        self._set_busy(False)
        self.load_status.setText(
            self.tr("Die Adressbücher konnten nicht geladen werden: {message}").format(
                message=message
            )
        )
        self.load_status.setStyleSheet("color:#b00020")
        self._update_buttons()
        self.books_loaded.emit()

    def book_items(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    def set_checked(self, display_name: str, checked: bool = True) -> None:
        """Tick (or untick) the book with this display name."""
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for item in self.book_items():
            if item.data(COL_NAME, Qt.ItemDataRole.UserRole) == display_name:
                item.setCheckState(COL_NAME, state)

    def select_all(self) -> None:
        for item in self.book_items():
            item.setCheckState(COL_NAME, Qt.CheckState.Checked)

    def select_none(self) -> None:
        for item in self.book_items():
            item.setCheckState(COL_NAME, Qt.CheckState.Unchecked)

    def selected(self) -> list[BookOverview]:
        return [self.overviews[row] for row in self.selected_rows()]

    def selected_rows(self) -> list[int]:
        return [
            row
            for row, item in enumerate(self.book_items())
            if item.checkState(COL_NAME) == Qt.CheckState.Checked
        ]

    def selected_targets(self) -> list[tuple[RemoteBook, str | None]]:
        """The selected server books with their chosen local book (None: a new one)."""
        return [(self.overviews[row].remote, self.local_book(row)) for row in self.selected_rows()]

    def selected_books(self) -> list[RemoteBook]:
        return [ov.remote for ov in self.selected()]

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        if not hasattr(self, "start_button"):
            return
        have_books = bool(self.overviews) and not self._busy
        any_selected = have_books and bool(self.selected())
        self.select_all_button.setEnabled(have_books)
        self.select_none_button.setEnabled(have_books)
        self.reload_button.setEnabled(not self._busy)
        read_only = [ov for ov in self.selected() if ov.remote.read_only] if any_selected else []
        oneway = self.mode().operation is Operation.ONEWAY
        self._say_read_only(read_only, oneway)
        self.check_button.setEnabled(any_selected)
        self.start_button.setEnabled(any_selected and not (read_only and oneway))

    def _say_read_only(self, books: list[BookOverview], oneway: bool) -> None:
        """What a read-only book among the selected ones means for the chosen operation.

        The line keeps the height of the longer of its two texts, so that switching between
        OneWay and the others moves nothing."""
        if not books:
            self.read_only_hint.setVisible(False)
            self.read_only_hint.setMinimumHeight(0)
            return
        names = ", ".join(f"„{ov.remote.display_name or ov.remote.href}“" for ov in books)
        texts = {
            True: self.tr(
                "{0}: Der Server erlaubt diesem Account nur das Lesen. Eine "
                "OneWay-Synchronisation kann dorthin nichts übertragen – wählen Sie "
                "„Einmalig importieren“ oder „Synchronisation“."
            ).format(names),
            False: self.tr(
                "{0}: Der Server erlaubt diesem Account nur das Lesen. Änderungen vom Server "
                "kommen in Contactbox an; Änderungen in Contactbox bleiben in Contactbox."
            ).format(names),
        }
        self.read_only_hint.setStyleSheet("color: #b00020;" if oneway else "")
        self.read_only_hint.setText(texts[oneway])
        room = self.ops_layout.contentsRect().width()
        if room > 0:
            metrics = self.read_only_hint.fontMetrics()
            self.read_only_hint.setMinimumHeight(
                max(
                    metrics.boundingRect(
                        QRect(0, 0, room, 100_000), int(Qt.TextFlag.TextWordWrap), text
                    ).height()
                    for text in texts.values()
                )
            )
        self.read_only_hint.setVisible(True)

    # ------------------------------------------------------------------ check

    def check_selected(self) -> None:
        """ "Ausgewählte Ordner prüfen": a dry run on a background thread; nothing is written."""
        targets = self.selected_targets()
        if not targets:
            return
        mode = self.mode()
        account_id = self.account_id

        def make_report() -> RunReport:
            pending = [PendingBinding(remote, mode, local) for remote, local in targets]
            account = Account.get_by_id(account_id)
            return AccountJob(account, [], pending=pending, dry_run=True).run()

        self.load_status.setText(self.tr("Die ausgewählten Ordner werden geprüft …"))
        self.load_status.setStyleSheet("")
        self._set_busy(True)
        worker = CallWorker(make_report)
        worker.done.connect(self._check_done)
        worker.failed.connect(self._check_failed)
        self._checker = worker
        start_worker(worker)

    def _check_done(self, report: RunReport) -> None:
        self._set_busy(False)
        self.load_status.setText(self.tr("Prüfung abgeschlossen – es wurde nichts geändert."))
        self.check_dialog = CheckDialog(report, self.mode(), self)
        self.check_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.check_dialog.show()
        self.check_finished.emit(report)

    def _check_failed(self, message: str) -> None:
        self._set_busy(False)
        self.load_status.setText(
            self.tr("Die Prüfung ist fehlgeschlagen: {message}").format(message=message)
        )
        self.load_status.setStyleSheet("color:#b00020")

    # ------------------------------------------------------------------ start

    def start_selected(self) -> None:
        """ "Vorgang starten": open the run window; it saves the bindings when it starts."""
        rows = self.selected_rows()
        if not rows:
            return
        mode = self.mode()
        if mode.recreate and any(self.local_count(row) for row in rows):
            # "Nein" is the default and Escape's answer: Enter alone never empties a book.
            answer = QMessageBox.question(
                self,
                self.tr("Neu anlegen"),
                self.tr(
                    "Alle Kontakte der ausgewählten Adressbücher in Contactbox werden in den "
                    "Papierkorb verschoben und vom Server neu importiert. Fortfahren?"
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        pending = [PendingBinding(remote, mode, local) for remote, local in self.selected_targets()]
        window = RunWindow(
            self.account_id,
            [],
            self.parentWidget(),
            countdown=self.run_countdown,
            pending=pending,
        )
        from ui.tray import claim_for_manual_run

        if not claim_for_manual_run(self, window):
            return
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.run_window = window
        window.show()
        self.run_started.emit(window)
        self.accept()
