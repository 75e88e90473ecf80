"""Konfiguration ▸ Benutzerkonfiguration: users, the current user, per-user calendar sync.

Left the users with "+ Benutzer hinzufügen", Umbenennen, Entfernen (the column of
ui/side_list.py, as the address book page ui/sync_page.py has it); right the selected
user: "Als aktuellen Benutzer verwenden" and the tab "Termin - Kalendersynchronisation"
(`CalendarSyncTab`, ui/calendar_sync_tab.py: the user's CalDAV account, which server
calendar the appointments sync with, aktivieren / deaktivieren, "Jetzt synchronisieren"
with its report). `user_hub` (ui/user_hub.py, importable from here too) tells other pages
when the current user or the list of users changes; the current user itself lives in
app.store.users.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Slot
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.store import users
from ui.ask import ask_yes_no
from ui.calendar_sync_tab import CalendarSyncTab
from ui.icons import icon
from ui.side_list import SideList, bold, entry_item, list_style, page_body
from ui.store_watch import out_of_view, store_watch
from ui.sync_page import STYLE
from ui.user_hub import UserHub, user_hub

__all__ = ["PAGE_STYLE", "CalendarSyncTab", "UserHub", "UsersPage", "user_hub"]

PAGE_STYLE = (
    STYLE
    + list_style("userList")
    + """
QLabel#currentBadge { color: white; background: #f28c28; border-radius: 4px; padding: 2px 8px; }
QFrame#calendarRow { border-bottom: 1px solid #e2e2e2; }
"""
)


class UsersPage(QWidget):
    """The page "Benutzerkonfiguration"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(PAGE_STYLE)
        self._behind = False  # the store changed while the page was out of view
        self._build()
        self.reload_users()
        # Follow the store (ui/store_watch.py): users, their appointment and follow-up
        # counts, calendar syncs — whoever changed them.
        watch = store_watch()
        for signal in (
            watch.users_changed,
            watch.appointments_changed,
            watch.followups_changed,
            watch.bindings_changed,
        ):
            signal.connect(self._changed_in_store)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.users = SideList(self.tr("Benutzer"), "userList")
        body = page_body(self, self.tr("Konfiguration ▸ Benutzerkonfiguration"), self.users)
        self.user_list = self.users.list
        self.user_list.currentItemChanged.connect(self._user_selected)
        self.user_list.itemDoubleClicked.connect(lambda _item: self.rename_user())
        left = self.users.column
        self.add_button = QPushButton(icon("plus"), self.tr("Benutzer hinzufügen"))
        self.add_button.clicked.connect(lambda: self.add_user())
        left.addWidget(self.add_button)
        buttons = QHBoxLayout()
        self.rename_button = QPushButton(icon("edit"), self.tr("Umbenennen"))
        self.rename_button.clicked.connect(lambda: self.rename_user())
        self.remove_button = QPushButton(icon("minus"), self.tr("Entfernen"))
        self.remove_button.setToolTip(self.tr("Den gewählten Benutzer entfernen"))
        self.remove_button.clicked.connect(self.remove_user)
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        title_row = QHBoxLayout()
        self.user_title = QLabel()
        self.user_title.setObjectName("accountTitle")
        bold(self.user_title, 1.25)
        title_row.addWidget(self.user_title)
        self.current_badge = QLabel(self.tr("aktueller Benutzer"))
        self.current_badge.setObjectName("currentBadge")
        title_row.addWidget(self.current_badge)
        title_row.addStretch(1)
        right.addLayout(title_row)
        self.user_subtitle = QLabel()
        self.user_subtitle.setObjectName("hint")
        right.addWidget(self.user_subtitle)
        current_row = QHBoxLayout()
        self.make_current_button = QPushButton(self.tr("Als aktuellen Benutzer verwenden"))
        self.make_current_button.setToolTip(
            self.tr("Contactbox zeigt dann die Termine und Wiedervorlagen dieses Benutzers")
        )
        self.make_current_button.clicked.connect(self.make_current)
        current_row.addWidget(self.make_current_button)
        current_row.addStretch(1)
        right.addSpacing(6)
        right.addLayout(current_row)
        right.addSpacing(6)
        self.tabs = QTabWidget()
        self.calendar_tab = CalendarSyncTab()
        self.tabs.addTab(self.calendar_tab, self.tr("Termin - Kalendersynchronisation"))
        right.addWidget(self.tabs, 1)
        self.detail = QWidget()
        self.detail.setLayout(right)
        body.addWidget(self.detail, 1)

    # ------------------------------------------------------------------ users

    @Slot()
    def _changed_in_store(self) -> None:
        if out_of_view(self):  # a tray tick in the background: read when it is shown
            self._behind = True
            return
        self.reload_users()

    def showEvent(self, event: QShowEvent) -> None:
        if self._behind:
            self.reload_users()
        super().showEvent(event)

    def selected_user_id(self) -> int | None:
        return self.users.current_id()

    @Slot()
    def reload_users(self, select_id: int | None = None) -> None:
        self._behind = False
        keep = select_id if select_id is not None else self.selected_user_id()
        infos = users.list_users()
        if keep is None:
            keep = next((i.id for i in infos if i.is_current), None)
        items = []
        for info in infos:
            text = users.display_name(info.name)
            if info.is_current:
                text = self.tr("{0} (aktuell)").format(users.display_name(info.name))
            item = entry_item(text, info.id)
            if info.is_current:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            item.setToolTip(
                self.tr("Kalender: {0}").format(info.calendar)
                if info.calendar
                else self.tr("Kein Kalender abgeglichen")
            )
            items.append(item)
        self.users.fill(items, keep)
        self._show_user()

    @Slot()
    def _user_selected(self) -> None:
        self._show_user()

    def _show_user(self) -> None:
        user_id = self.selected_user_id()
        self.rename_button.setEnabled(user_id is not None)
        self.remove_button.setEnabled(user_id is not None)
        self.detail.setVisible(user_id is not None)
        if user_id is None:
            self.calendar_tab.set_user(None)
            return
        info = users.get_user_info(user_id)
        self.user_title.setText(users.display_name(info.name))
        self.current_badge.setVisible(info.is_current)
        self.make_current_button.setVisible(not info.is_current)
        self.user_subtitle.setText(
            self.tr("%n Termin(e)", "", info.appointments)
            + " · "
            + self.tr("%n Wiedervorlage(n)", "", info.followups)
        )
        self.calendar_tab.set_user(user_id)

    def _ask_name(self, title: str, prompt: str, text: str = "") -> str | None:
        name, ok = QInputDialog.getText(self, title, prompt, QLineEdit.EchoMode.Normal, text)
        return name if ok else None

    def add_user(self, name: str | None = None) -> int | None:
        """ "+ Benutzer hinzufügen": asks for the name unless given; the new user's id."""
        if name is None:
            name = self._ask_name(self.tr("Benutzer hinzufügen"), self.tr("Name des Benutzers:"))
            if name is None:
                return None
        return self._change_users(self.tr("Benutzer hinzufügen"), lambda: users.add_user(name))

    def rename_user(self, name: str | None = None) -> bool:
        user_id = self.selected_user_id()
        if user_id is None:
            return False
        if name is None:
            old = users.get_user_info(user_id).name
            shown = users.display_name(old)  # the default user: in the user's language
            name = self._ask_name(self.tr("Benutzer umbenennen"), self.tr("Neuer Name:"), shown)
            if name is None:
                return False
            if " ".join(name.split()) == shown:
                return False  # unchanged: the stored name stays ("Standardbenutzer")

        def rename() -> int:
            users.rename_user(user_id, name)
            return user_id

        return self._change_users(self.tr("Benutzer umbenennen"), rename) is not None

    def _change_users(self, title: str, change: Callable[[], int]) -> int | None:
        """Carry out `change` (it returns the user to select); a refusal (UserError) is
        shown under `title`, else the list is read again and the other pages are told."""
        try:
            user_id = change()
        except users.UserError as exc:
            QMessageBox.warning(self, title, str(exc))
            return None
        self.reload_users(select_id=user_id)
        user_hub.users_changed.emit()
        return user_id

    @Slot()
    def remove_user(self) -> None:
        user_id = self.selected_user_id()
        if user_id is None:
            return
        info = users.get_user_info(user_id)
        if users.user_count() <= 1:
            try:
                users.remove_user(user_id)  # refuses, with the reason
            except users.UserError as exc:
                QMessageBox.warning(self, self.tr("Benutzer entfernen"), str(exc))
            return
        if not ask_yes_no(
            self,
            self.tr("Benutzer entfernen"),
            self.tr(
                "Soll der Benutzer „{0}“ wirklich entfernt werden?\n\n"
                "{1} und {2} des Benutzers werden in Contactbox gelöscht, "
                "ebenso sein Kalender-Account. Der Kalender auf dem Server bleibt erhalten."
            ).format(
                users.display_name(info.name),
                self.tr("%n Termin(e)", "", info.appointments),
                self.tr("%n Wiedervorlage(n)", "", info.followups),
            ),
        ):
            return
        before = users.current_user_id()
        try:
            users.remove_user(user_id)
        except users.UserError as exc:
            QMessageBox.warning(self, self.tr("Benutzer entfernen"), str(exc))
            return
        self.reload_users(select_id=users.current_user_id())
        user_hub.users_changed.emit()
        if users.current_user_id() != before:
            user_hub.changed.emit(users.current_user_id())

    @Slot()
    def make_current(self) -> None:
        """ "Als aktuellen Benutzer verwenden"."""
        user_id = self.selected_user_id()
        if user_id is None or user_id == users.current_user_id():
            return
        users.set_current_user(user_id)
        self.reload_users(select_id=user_id)
        user_hub.changed.emit(user_id)
