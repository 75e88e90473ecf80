"""The main window: menu Konfiguration ▸ Adressbuchverwaltung ▸ … and a stack of pages.

Pages register with `add_page(key, widget, menu_path)`; Benutzerkonfiguration and the
contacts view join the same way when they are built.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QStackedWidget, QWidget

from ui.agenda_view import AgendaPage
from ui.autostart import autostart_action
from ui.contacts_page import ContactsPage
from ui.icons import icon
from ui.sync_page import AddressBookSyncPage
from ui.users_page import UsersPage, user_hub

SYNC_PAGE = "adressbuch-synchronisierung"
USERS_PAGE = "benutzer"
CONTACTS_PAGE = "kontakte"
AGENDA_PAGE = "agenda"


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Contactbox Sync"))
        self.setWindowIcon(icon("app"))
        self.resize(1000, 620)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.pages: dict[str, QWidget] = {}
        self.page_actions: dict[str, QAction] = {}
        self._menus: dict[tuple[str, ...], QMenu] = {}
        self._page_group = QActionGroup(self)
        self._page_group.setExclusive(True)

        file_menu = self.menu((self.tr("&Datei"),))
        quit_action = QAction(self.tr("&Beenden"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.quit_action = quit_action  # the tray makes it quit for real (ui/tray.py)

        # Konfiguration first in the bar, then Hilfe; pages fill Konfiguration's submenus.
        self.menu((self.tr("&Konfiguration"),))
        self.menu((self.tr("&Kontakte"),))
        self.menu((self.tr("&Termine"),))
        help_menu = self.menu((self.tr("&Hilfe"),))
        about = QAction(self.tr("Über Contactbox Sync"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

        self.sync_page = AddressBookSyncPage()
        self.add_page(
            SYNC_PAGE,
            self.sync_page,
            (
                self.tr("&Konfiguration"),
                self.tr("&Adressbuchverwaltung"),
                self.tr("Adressbuch-&Synchronisierung"),
            ),
        )
        self.contacts_page = ContactsPage()
        self.add_page(
            CONTACTS_PAGE,
            self.contacts_page,
            (self.tr("&Kontakte"), self.tr("Kontakte &anzeigen")),
        )
        self.agenda_page = AgendaPage()
        self.add_page(AGENDA_PAGE, self.agenda_page, (self.tr("&Termine"), self.tr("&Agenda")))
        self.users_page = UsersPage()
        self.add_page(
            USERS_PAGE,
            self.users_page,
            (self.tr("&Konfiguration"), self.tr("&Benutzerkonfiguration")),
        )
        # Another current user: their columns, follow-ups and appointments.
        # (a bound slot, not a lambda: Qt disconnects it when the window goes away)
        user_hub.changed.connect(self._current_user_changed)
        language_menu = self.menu((self.tr("&Konfiguration"), self.tr("&Sprache")))
        language_group = QActionGroup(self)
        current = str(QSettings().value("language", "de") or "de")
        for code, name in (("de", "Deutsch"), ("en", "English")):
            action = QAction(name, self)
            action.setCheckable(True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            language_group.addAction(action)
            language_menu.addAction(action)
        self.autostart_action = autostart_action(self)
        self.menu((self.tr("&Konfiguration"),)).addAction(self.autostart_action)
        self.backup_action = QAction(self.tr("&Datensicherung…"), self)
        self.backup_action.triggered.connect(self.show_backups)
        self.menu((self.tr("&Konfiguration"),)).addAction(self.backup_action)
        self.show_page(SYNC_PAGE)

    @Slot(int)
    def _current_user_changed(self, _user_id: int) -> None:
        self.contacts_page.restore_columns()
        self.contacts_page.refresh()
        self.agenda_page.refresh()

    @Slot()
    def show_backups(self) -> QWidget:
        """Konfiguration ▸ Datensicherung… (ui/backup_dialog.py; reloads pages after a restore)."""
        from ui.backup_dialog import BackupDialog

        dialog = BackupDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def set_language(self, code: str) -> None:
        """Remember the UI language (QSettings "language"); it applies at the next start."""
        QSettings().setValue("language", code)
        QMessageBox.information(
            self,
            self.tr("Sprache"),
            self.tr("Die Sprache wird beim nächsten Start von Contactbox Sync umgestellt."),
        )

    def menu(self, path: tuple[str, ...]) -> QMenu:
        """The (sub)menu at `path`, created on first use."""
        if path in self._menus:
            return self._menus[path]
        if len(path) == 1:
            menu = self.menuBar().addMenu(path[0])
        else:
            menu = self.menu(path[:-1]).addMenu(path[-1])
        self._menus[path] = menu
        return menu

    def add_page(self, key: str, page: QWidget, menu_path: tuple[str, ...]) -> QAction:
        """Put `page` on the stack with a menu entry; the last part of `menu_path` is its name."""
        self.stack.addWidget(page)
        self.pages[key] = page
        action = QAction(menu_path[-1], self)
        action.setCheckable(True)
        action.triggered.connect(lambda _checked=False, k=key: self.show_page(k))
        self._page_group.addAction(action)
        self.menu(menu_path[:-1]).addAction(action)
        self.page_actions[key] = action
        return action

    def show_page(self, key: str) -> None:
        self.stack.setCurrentWidget(self.pages[key])
        self.page_actions[key].setChecked(True)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("Über Contactbox Sync"),
            self.tr(
                "Contactbox Sync hält die Kontakte Ihres Büros zwischen Contactbox und "
                "CardDAV-Servern (Kerio Connect, Nextcloud, ownCloud) gleich."
            ),
        )
