"""The main window: menu Konfiguration ▸ Adressbuchverwaltung ▸ … and a stack of pages.

Pages register with `add_page(key, widget, menu_path)`; Benutzerkonfiguration and the
contacts view join the same way when they are built.

Konfiguration ▸ Sprache stores the language in the data directory's settings (ui/settings.py)
and offers "Jetzt neu starten" (`restart_requested`; ui/app.py restarts). Hilfe ▸
Benutzerhandbuch opens the local user guide (ui/user_guide.py). The window's geometry is
saved when it is hidden or closed and restored when it is built again.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QCoreApplication, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QHideEvent, QKeySequence
from PySide6.QtWidgets import (
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from ui import settings
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
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"


class MainWindow(QMainWindow):
    # "Jetzt neu starten" after a language change; ui/app.py (Restart) sets
    # `restart_available` when it listens.
    restart_requested = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        keep_window_state: bool = True,
        language: str | None = None,
    ) -> None:
        super().__init__(parent)
        # the language this window speaks: `contactbox --language`, else the stored one
        self.language = language or settings.language()
        self.restart_available = False
        self.keep_window_state = keep_window_state  # off for the self-test's window
        self.language_box: QMessageBox | None = None
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
        self.user_guide_action = QAction(self.tr("&Benutzerhandbuch"), self)
        self.user_guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.user_guide_action.triggered.connect(self.open_user_guide)
        help_menu.addAction(self.user_guide_action)
        help_menu.addSeparator()
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
        current = self.language
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
        if self.keep_window_state:
            self.restore_window_state()
            app = QCoreApplication.instance()
            if app is not None:  # "Beenden" with the window open: no hide event comes
                app.aboutToQuit.connect(self._save_when_quitting)

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

    def set_language(self, code: str) -> QMessageBox | None:
        """Remember the UI language (in the data directory's settings); it applies at the
        next start, which the box offers now ("Jetzt neu starten" / "Später").

        Back to the language the window speaks: nothing to restart, no box.
        """
        settings.set_language(code)
        if code == self.language:
            return None
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Sprache"))
        box.setText(self.tr("Die Sprache wird beim nächsten Start von Contactbox Sync umgestellt."))
        later: QPushButton
        if self.restart_available:
            box.setInformativeText(
                self.tr(
                    "Jetzt neu starten? Ein laufender Abgleich wird dabei abgebrochen; "
                    "das Fenster öffnet sich gleich wieder."
                )
            )
            restart = box.addButton(self.tr("Jetzt neu starten"), QMessageBox.ButtonRole.AcceptRole)
            later = box.addButton(self.tr("Später"), QMessageBox.ButtonRole.RejectRole)
            box.setDefaultButton(restart)
            restart.clicked.connect(self.request_restart)
        else:
            later = box.addButton(QMessageBox.StandardButton.Ok)
        box.setEscapeButton(later)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.language_box = box
        box.finished.connect(self._language_box_closed)
        box.open()
        return box

    @Slot()
    def _language_box_closed(self) -> None:
        self.language_box = None

    @Slot()
    def request_restart(self) -> None:
        """Ask ui/app.py to restart (it saves the window's state first)."""
        self.restart_requested.emit()

    # ------------------------------------------------------------------ window state

    def save_window_state(self) -> None:
        if not self.keep_window_state:
            return
        store = settings.app_settings()
        store.setValue(GEOMETRY_KEY, self.saveGeometry())
        store.setValue(STATE_KEY, self.saveState())
        store.sync()

    def restore_window_state(self) -> bool:
        """Size and position (and the main window's state) as saved; False if none."""
        store = settings.app_settings()
        geometry = store.value(GEOMETRY_KEY)
        state = store.value(STATE_KEY)
        restored = isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        return bool(restored)

    def hideEvent(self, event: QHideEvent) -> None:
        # closing (without a tray), hiding to the tray, minimizing: remember the geometry
        self.save_window_state()
        super().hideEvent(event)

    @Slot()
    def _save_when_quitting(self) -> None:
        if self.isVisible():
            self.save_window_state()

    # ------------------------------------------------------------------ help

    @Slot()
    def open_user_guide(self) -> QUrl | None:
        """Hilfe ▸ Benutzerhandbuch: the local HTML guide in the browser (ui/user_guide.py)."""
        from ui.user_guide import UserGuideMissing, guide_url

        try:
            url = guide_url(self.language)
        except (UserGuideMissing, OSError) as exc:
            QMessageBox.warning(
                self,
                self.tr("Benutzerhandbuch"),
                self.tr("Das Benutzerhandbuch ist nicht verfügbar:") + f"\n\n{exc}",
            )
            return None
        if not QDesktopServices.openUrl(url):
            QMessageBox.information(
                self,
                self.tr("Benutzerhandbuch"),
                self.tr(
                    "Es ließ sich kein Programm zum Anzeigen öffnen. Das Benutzerhandbuch "
                    "liegt hier:"
                )
                + f"\n\n{url.toLocalFile()}",
            )
        return url

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
