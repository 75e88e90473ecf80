"""Konfiguration ▸ Adressbuchverwaltung ▸ Adressbuch-Synchronisierung (SPEC §2 main view).

Left the "Remote-Accounts" with + / − (the column of ui/side_list.py, shared with the
Benutzerkonfiguration), right the selected account: set-up button, status an/aus (active
one orange), Importintervall and the imported address books, one `BookRow` each
(ui/book_row.py, with the "vor 4 Min." of `relative_time`).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.accounts import AccountInfo, get_account, list_accounts, remove_account
from app.store.accounts import find_account
from app.store.models import Account
from app.store.names import book_display_name
from app.sync.jobs import list_bindings, remove_binding, set_binding_enabled
from ui.ask import ask_yes_no
from ui.book_row import BookRow, absolute_time, direction_icon_name, direction_text, relative_time
from ui.icons import icon
from ui.side_list import SideList, bold, entry_item, hint_label, list_style, page_body
from ui.store_watch import out_of_view, store_watch

INTERVAL_MIN = 5
INTERVAL_MAX = 240
INTERVAL_STEP = 5
ORANGE = "#f28c28"
__all__ = [
    "STYLE",
    "AddressBookSyncPage",
    "BookRow",
    "absolute_time",
    "direction_icon_name",
    "direction_text",
    "relative_time",
]

CLOCK_MS = 30_000  # "vor 4 Min." is refreshed this often

STYLE = (
    list_style("accountList")
    + f"""
QPushButton#statusOn, QPushButton#statusOff {{
    min-width: 56px; padding: 4px 14px; border: 1px solid #b8b8b8; border-radius: 4px;
    background: #f4f4f4; color: #333333;
}}
QPushButton#statusOn:checked, QPushButton#statusOff:checked {{
    background: {ORANGE}; border-color: #d2731c; color: white; font-weight: bold;
}}
QFrame#bookRow {{ border-bottom: 1px solid #e2e2e2; }}
QLabel#pageTitle {{ color: #555555; }}
QLabel#sectionTitle {{ font-weight: bold; }}
QLabel#hint {{ color: #666666; }}
"""
)


class AddressBookSyncPage(QWidget):
    """The page "Adressbuch-Synchronisierung"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.book_rows: list[BookRow] = []
        self._loading = False
        self._behind = False  # the store changed while the page was out of view
        self._build()
        self.reload_accounts()
        # The page follows the store (ui/store_watch.py): a run by the tray, the daemon,
        # the CLI or the setup dialog shows here when it commits; the clock keeps
        # "zuletzt: vor 4 Min." true.
        watch = store_watch()
        watch.accounts_changed.connect(self._accounts_changed_in_store)
        watch.bindings_changed.connect(self._books_changed_in_store)
        watch.reports_changed.connect(self._books_changed_in_store)
        self.clock = QTimer(self)
        self.clock.setInterval(CLOCK_MS)
        self.clock.timeout.connect(self._tick)
        self.clock.start()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        # Left: Remote-Accounts
        self.accounts = SideList(self.tr("Remote-Accounts"), "accountList")
        body = page_body(
            self,
            self.tr("Konfiguration ▸ Adressbuchverwaltung ▸ Adressbuch-Synchronisierung"),
            self.accounts,
        )
        self.account_list = self.accounts.list
        self.account_list.currentItemChanged.connect(self._account_selected)
        self.account_list.itemDoubleClicked.connect(lambda _item: self.edit_account())
        buttons = QHBoxLayout()
        self.add_button = QToolButton()
        self.add_button.setIcon(icon("plus"))
        self.add_button.setToolTip(self.tr("Account hinzufügen"))
        self.add_button.setAccessibleName(self.tr("Account hinzufügen"))
        self.add_button.clicked.connect(self.add_account)
        self.remove_button = QToolButton()
        self.remove_button.setIcon(icon("minus"))
        self.remove_button.setToolTip(self.tr("Account entfernen"))
        self.remove_button.setAccessibleName(self.tr("Account entfernen"))
        self.remove_button.clicked.connect(self.remove_selected_account)
        self.edit_button = QPushButton(icon("edit"), self.tr("Bearbeiten"))
        self.edit_button.setToolTip(self.tr("Zugangsdaten des Accounts ändern"))
        self.edit_button.clicked.connect(self.edit_account)
        for tool in (self.add_button, self.remove_button):
            tool.setIconSize(QSize(18, 18))
            tool.setFixedSize(QSize(32, 30))
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        self.accounts.column.addLayout(buttons)

        # Right: the selected account
        self.detail = QWidget()
        right = QVBoxLayout(self.detail)
        right.setContentsMargins(0, 0, 0, 0)
        self.account_title = QLabel()
        self.account_title.setObjectName("accountTitle")
        bold(self.account_title, 1.25)
        right.addWidget(self.account_title)
        self.account_subtitle = QLabel()
        self.account_subtitle.setObjectName("hint")
        right.addWidget(self.account_subtitle)

        self.setup_button = QPushButton(self.tr("Import/Synchronisierung einrichten"))
        self.setup_button.setToolTip(
            self.tr("Ordner des Servers auswählen, die mit Contactbox abgeglichen werden")
        )
        self.setup_button.clicked.connect(self.open_setup)
        self.reports_button = QPushButton(self.tr("Frühere Berichte"))
        self.reports_button.setToolTip(self.tr("Die Importberichte dieses Accounts ansehen"))
        self.reports_button.clicked.connect(self.open_reports)
        setup_row = QHBoxLayout()
        setup_row.addWidget(self.setup_button)
        setup_row.addWidget(self.reports_button)
        setup_row.addStretch(1)
        right.addSpacing(6)
        right.addLayout(setup_row)
        right.addSpacing(6)

        status_row = QHBoxLayout()
        status_label = QLabel(self.tr("Account-Status:"))
        status_label.setMinimumWidth(120)
        status_row.addWidget(status_label)
        self.status_on = QPushButton(self.tr("an"))
        self.status_on.setObjectName("statusOn")
        self.status_off = QPushButton(self.tr("aus"))
        self.status_off.setObjectName("statusOff")
        self.status_group = QButtonGroup(self)
        self.status_group.setExclusive(True)
        for b in (self.status_on, self.status_off):
            b.setCheckable(True)
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            self.status_group.addButton(b)
            status_row.addWidget(b)
        self.status_on.setToolTip(self.tr("Der Account wird regelmäßig abgeglichen"))
        self.status_off.setToolTip(self.tr("Der Account wird nicht abgeglichen"))
        self.status_on.toggled.connect(self._status_toggled)
        status_row.addStretch(1)
        right.addLayout(status_row)

        interval_row = QHBoxLayout()
        interval_label = QLabel(self.tr("Importintervall:"))
        interval_label.setMinimumWidth(120)
        interval_row.addWidget(interval_label)
        self.interval_slider = QSlider(Qt.Orientation.Horizontal)
        self.interval_slider.setRange(INTERVAL_MIN, INTERVAL_MAX)
        self.interval_slider.setSingleStep(INTERVAL_STEP)
        self.interval_slider.setPageStep(15)
        self.interval_slider.setTickInterval(15)
        self.interval_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.interval_slider.setMaximumWidth(360)
        self.interval_slider.setToolTip(
            self.tr("Wie oft dieser Account im Hintergrund abgeglichen wird")
        )
        self.interval_slider.valueChanged.connect(self._interval_changed)
        self.interval_slider.sliderReleased.connect(self._save_interval)
        interval_row.addWidget(self.interval_slider, 1)
        self.interval_value = QLabel()
        self.interval_value.setObjectName("intervalValue")
        self.interval_value.setMinimumWidth(70)
        interval_row.addWidget(self.interval_value)
        interval_row.addStretch(1)
        right.addLayout(interval_row)

        right.addSpacing(10)
        books_title = QLabel(self.tr("Importierte Adressbücher"))
        books_title.setObjectName("sectionTitle")
        right.addWidget(books_title)
        self.books_box = QWidget()
        self.books_layout = QVBoxLayout(self.books_box)
        self.books_layout.setContentsMargins(0, 0, 0, 0)
        self.books_layout.setSpacing(0)
        self.books_empty = hint_label(
            self.tr(
                "Noch keine Adressbücher. Über „Import/Synchronisierung einrichten“ wählen "
                "Sie die Ordner des Servers aus."
            )
        )
        self.books_layout.addWidget(self.books_empty)
        self.books_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.books_box)
        right.addWidget(scroll, 1)
        legend = QHBoxLayout()
        for name, text in (
            ("sync-twoway", self.tr("Synchronisation")),
            ("sync-oneway", self.tr("OneWay-Synchronisation")),
            ("sync-import", self.tr("Einmaliger Import")),
        ):
            pic = QLabel()
            pic.setPixmap(icon(name).pixmap(QSize(16, 16)))
            legend.addWidget(pic)
            label = QLabel(text)
            label.setObjectName("hint")
            legend.addWidget(label)
            legend.addSpacing(12)
        legend.addStretch(1)
        right.addLayout(legend)

        self.no_account = hint_label(
            self.tr(
                "Legen Sie mit „+“ einen Remote-Account an und wählen Sie ihn aus, um "
                "Adressbücher zu synchronisieren."
            )
        )
        self.no_account.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body.addWidget(self.detail, 1)
        body.addWidget(self.no_account, 1)

    # ------------------------------------------------------------------ the store

    @Slot()
    def _accounts_changed_in_store(self) -> None:
        if self.interval_slider.isSliderDown():
            return  # the user is choosing: the release saves and brings us back here
        self.reload_accounts()

    @Slot()
    def _books_changed_in_store(self) -> None:
        if out_of_view(self):  # a tray tick in the background: read when it is shown
            self._behind = True
            return
        self.refresh_books()

    def showEvent(self, event: QShowEvent) -> None:
        if self._behind:
            self.refresh_books()
        super().showEvent(event)

    @Slot()
    def _tick(self) -> None:
        for row in self.book_rows:
            row.show_time()

    # ------------------------------------------------------------------ accounts

    def current_account_id(self) -> int | None:
        return self.accounts.current_id()

    def current_account(self) -> Account | None:
        account_id = self.current_account_id()
        return find_account(account_id) if account_id is not None else None

    @Slot()
    def reload_accounts(self, select_id: int | None = None) -> None:
        """Fill the account list again; keep (or move) the selection."""
        keep = select_id if select_id is not None else self.current_account_id()
        items = []
        for info in list_accounts():
            item = entry_item(self._account_text(info), info.id)
            item.setToolTip(f"{info.username} · {info.base_url}")
            if not info.enabled:
                item.setForeground(Qt.GlobalColor.gray)
            items.append(item)
        self.accounts.fill(items, keep)
        self._show_account()

    def _account_text(self, info: AccountInfo) -> str:
        return info.label if info.enabled else self.tr("{0} (aus)").format(info.label)

    @Slot()
    def _account_selected(self) -> None:
        self._show_account()

    def _show_account(self) -> None:
        account = self.current_account()
        has = account is not None
        self.detail.setVisible(has)
        self.no_account.setVisible(not has)
        self.remove_button.setEnabled(has)
        self.edit_button.setEnabled(has)
        if account is None:
            self._clear_books()
            return
        self._loading = True
        self.account_title.setText(account.label)
        self.account_subtitle.setText(f"{account.username} · {account.base_url}")
        self.status_on.setChecked(bool(account.enabled))
        self.status_off.setChecked(not account.enabled)
        minutes = int(account.interval_minutes)
        self.interval_slider.setValue(minutes)
        self._loading = False
        self.interval_value.setText(self.tr("{0} Min.").format(minutes))
        self.refresh_books()

    @Slot()
    def add_account(self) -> None:
        from ui.account_dialog import AccountDialog

        dialog = AccountDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_account_id:
            self.reload_accounts(select_id=dialog.saved_account_id)

    @Slot()
    def edit_account(self) -> None:
        from ui.account_dialog import AccountDialog

        account_id = self.current_account_id()
        if account_id is None:
            return
        dialog = AccountDialog(self, account_id=account_id)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            from ui.tray import account_edited

            account_edited(account_id)  # a held account (wrong password) may run again
            self.reload_accounts(select_id=account_id)

    @Slot()
    def remove_selected_account(self) -> None:
        account = self.current_account()
        if account is None:
            return
        if not ask_yes_no(
            self,
            self.tr("Account entfernen"),
            self.tr(
                "Soll der Account „{0}“ wirklich entfernt werden?\n\n"
                "Die Verbindung zum Server und die Einstellungen der Synchronisierung werden "
                "gelöscht. Die Kontakte in Contactbox bleiben erhalten."
            ).format(account.label),
        ):
            return
        remove_account(account)
        self.reload_accounts()

    @Slot(bool)
    def _status_toggled(self, on: bool) -> None:
        if self._loading:
            return
        account = self.current_account()
        if account is None or bool(account.enabled) == on:
            return
        account = get_account(account.label)
        account.enabled = on
        account.save()
        item = self.account_list.currentItem()
        item.setText(account.label if on else self.tr("{0} (aus)").format(account.label))
        item.setForeground(self.palette().text() if on else Qt.GlobalColor.gray)

    @Slot(int)
    def _interval_changed(self, value: int) -> None:
        snapped = round(value / INTERVAL_STEP) * INTERVAL_STEP
        if snapped != value:
            self.interval_slider.setValue(snapped)
            return
        self.interval_value.setText(self.tr("{0} Min.").format(value))
        if not self._loading and not self.interval_slider.isSliderDown():
            self._save_interval()

    @Slot()
    def _save_interval(self) -> None:
        account = self.current_account()
        if account is None or self._loading:
            return
        value = self.interval_slider.value()
        if account.interval_minutes != value:
            account = get_account(account.label)
            account.interval_minutes = value
            account.save()

    # ------------------------------------------------------------------ books

    def _clear_books(self) -> None:
        for row in self.book_rows:
            self.books_layout.removeWidget(row)
            row.hide()
            row.setParent(None)
            row.deleteLater()
        self.book_rows = []

    @Slot()
    def refresh_books(self) -> None:
        self._behind = False
        self._clear_books()
        account = self.current_account()
        bindings = list_bindings(account) if account is not None else []
        for position, binding in enumerate(bindings):
            row = BookRow(binding, self.books_box)
            row.sync_requested.connect(self.sync_book)
            row.toggle_requested.connect(self.toggle_book)
            row.remove_requested.connect(self.remove_book)
            self.books_layout.insertWidget(position, row)
            self.book_rows.append(row)
        self.books_empty.setVisible(not bindings)

    @Slot()
    def open_setup(self) -> None:
        account_id = self.current_account_id()
        if account_id is None:
            return
        from ui.setup_dialog import SetupDialog

        dialog = SetupDialog(account_id, self)
        # The run saves the chosen bindings when it starts: show them once it has ended.
        dialog.run_started.connect(self._watch_run)
        dialog.exec()
        self.refresh_books()

    def _watch_run(self, window: QWidget) -> None:
        run_finished = getattr(window, "run_finished", None)
        if run_finished is not None:
            run_finished.connect(lambda _report: self.refresh_books())

    def open_reports(self) -> None:
        """The account's earlier Importberichte; double-click opens one."""
        account_id = self.current_account_id()
        if account_id is None:
            return
        from ui.report_dialog import ReportHistoryDialog

        ReportHistoryDialog(account_id, self).exec()

    @Slot(int)
    def sync_book(self, binding_id: int) -> None:
        account_id = self.current_account_id()
        if account_id is None:
            return
        from ui.run_window import RunWindow
        from ui.tray import claim_for_manual_run

        window = RunWindow(account_id, [binding_id], self)
        if not claim_for_manual_run(self, window):
            return
        if isinstance(window, QDialog):
            window.finished.connect(lambda _code: self.refresh_books())
        else:
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.destroyed.connect(lambda _obj=None: self.refresh_books())
        window.show()

    @Slot(int, bool)
    def toggle_book(self, binding_id: int, enable: bool) -> None:
        set_binding_enabled(binding_id, enable)
        self.refresh_books()

    @Slot(int)
    def remove_book(self, binding_id: int) -> None:
        row = next((r for r in self.book_rows if r.binding.id == binding_id), None)
        name = ""
        if row is not None:  # a server book without a name: the local book's, as shown
            name = row.binding.remote_name or book_display_name(row.binding.local_book)
        if not ask_yes_no(
            self,
            self.tr("Adressbuch entfernen"),
            self.tr(
                "Soll das Adressbuch „{0}“ aus der Synchronisierung entfernt werden?\n\n"
                "Es wird dann nicht mehr mit dem Server abgeglichen. Die Kontakte in "
                "Contactbox bleiben erhalten."
            ).format(name),
        ):
            return
        remove_binding(binding_id)
        self.refresh_books()
