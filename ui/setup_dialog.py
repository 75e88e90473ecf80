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

Its parts: ui/setup_books.py draws the list of server books (BookTree, the wrapping
delegate, the choice of the local book), ui/setup_modes.py the box "Vorgang" with the
operations and their options (OperationBox). This module keeps what the dialog does with
them: loading, choosing, the check and the start. COL_*, name_text_rect and
WrappingNameDelegate are re-exported from ui/setup_books.py.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.dav.model import RemoteBook
from app.store.accounts import account_by_id
from app.store.contacts import count_live, find_book, list_books
from app.store.models import Account
from app.sync.jobs import AccountJob, BookOverview, PendingBinding, book_overview
from app.sync.modes import Mode, Operation
from app.sync.report import RunReport
from ui.ask import ask_yes_no
from ui.check_dialog import CheckDialog
from ui.run_window import RunWindow
from ui.setup_books import (
    COL_LOCAL,
    COL_NAME,
    COL_SERVER,
    COL_TARGET,
    BookTree,
    WrappingNameDelegate,
    make_target_box,
    name_text_rect,
)
from ui.setup_modes import OperationBox
from ui.workers import CallWorker, start_worker

__all__ = [
    "COL_LOCAL",
    "COL_NAME",
    "COL_SERVER",
    "COL_TARGET",
    "SetupDialog",
    "WrappingNameDelegate",
    "name_text_rect",
]


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
        self.account: Account = account_by_id(account_id)
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
        self.tree = BookTree()
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

        # 3 - the operation and its options (ui/setup_modes.py)
        self.operations = OperationBox()
        self.options_stack = self.operations.options_stack
        self.option_panels = self.operations.option_panels
        self.operation_buttons = self.operations.operation_buttons
        self.option_buttons = self.operations.option_buttons
        self.conflict_label = self.operations.conflict_label
        self.read_only_hint = self.operations.read_only_hint
        for button in self.operation_buttons.values():
            button.toggled.connect(self._update_buttons)
        layout.addWidget(self.operations)
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
        self.operations.set_mode(mode)

    def mode(self) -> Mode:
        """The chosen operation and option."""
        return self.operations.mode()

    # ------------------------------------------------------------------ the books

    def load_books(self) -> None:
        """List the server's books with counts, on a background thread."""
        self.tree.clear()
        self.overviews = []
        self.target_boxes = []
        self.load_status.setText(self.tr("Adressbücher werden vom Server geladen …"))
        self.load_status.setStyleSheet("")
        self._set_busy(True)
        account_id = self.account_id
        worker = CallWorker(lambda: book_overview(account_by_id(account_id)))
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
            box = make_target_box(ov, local_books)
            self.target_boxes.append(box)
            self.tree.add_book(ov, box)
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
        book = find_book(name)
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
        return self.tree.book_items()

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
        self.operations.say_read_only(read_only, oneway)
        self.check_button.setEnabled(any_selected)
        self.start_button.setEnabled(any_selected and not (read_only and oneway))

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
            account = account_by_id(account_id)
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
        # "Nein" is the default and Escape's answer: Enter alone never empties a book.
        if (
            mode.recreate
            and any(self.local_count(row) for row in rows)
            and not ask_yes_no(
                self,
                self.tr("Neu anlegen"),
                self.tr(
                    "Alle Kontakte der ausgewählten Adressbücher in Contactbox werden in den "
                    "Papierkorb verschoben und vom Server neu importiert. Fortfahren?"
                ),
            )
        ):
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
