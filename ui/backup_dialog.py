"""Konfiguration ▸ Datensicherung…, and the recovery dialog for a damaged database at start.

Both are thin faces of app/store/backups.py:

* `BackupDialog`: the backups (date, reason in German, size); "Jetzt sichern",
  "Wiederherstellen…" (confirmation; the current state is backed up first as
  "vor-wiederherstellung"; refused while a sync runs), "Löschen". After a restore the
  window's pages read the database again (`reload_views`).
* `DamagedDatabaseDialog` / `recover_damaged_database()`: "Die Datenbank ist beschädigt" —
  restore a backup (newest first), start with an empty database (the damaged file is
  renamed, never deleted) or quit. ui/app.py calls it when open_database() raises
  DamagedDatabaseError.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.store.backups import (
    BEFORE_RECREATE,
    BEFORE_RESTORE,
    MANUAL,
    Backup,
    BackupError,
    backup_database,
    current_database_path,
    delete_backup,
    list_backups,
    restore_backup,
    set_aside_damaged,
)
from app.store.db import DamagedDatabaseError, DatabaseError, close_database, open_database
from ui.locale_format import date_time_text
from ui.workers import call_in_background


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupDialog", text)


def _when(b: Backup) -> str:
    return date_time_text(b.created.astimezone().replace(tzinfo=None), seconds=True)


def _size(b: Backup) -> str:
    if b.size >= 1_000_000:
        return _tr("{0} MB").format(f"{b.size / 1e6:.1f}".replace(".", ","))
    return _tr("{0} KB").format(max(1, round(b.size / 1000)))


def _reason(b: Backup) -> str:
    """The reason in the UI language (the core's reason_de for unknown ones)."""
    fixed = {
        MANUAL: _tr("Manuell gesichert"),
        BEFORE_RECREATE: _tr("Vor „Neu anlegen“"),
        BEFORE_RESTORE: _tr("Vor einer Wiederherstellung"),
    }
    if b.reason in fixed:
        return fixed[b.reason]
    if b.reason.startswith("vor-migration-v"):
        version = b.reason.removeprefix("vor-migration-v")
        return _tr("Vor der Aktualisierung der Datenbank (Version {0})").format(version)
    return b.reason_de


def background_busy() -> bool:
    """A sync (manual, scheduled) or other background work of this window is under way."""
    from ui.tray import current_tray
    from ui.workers import running_count

    tray = current_tray()
    return running_count() > 0 or (tray is not None and tray.state == "syncing")


def reload_views(window: QWidget | None) -> None:
    """Make the main window's pages read the (restored) database again."""
    if window is None:
        return
    from app.store.users import current_user_id
    from ui.users_page import user_hub

    sync_page = getattr(window, "sync_page", None)
    if sync_page is not None:
        sync_page.reload_accounts()
    users_page = getattr(window, "users_page", None)
    if users_page is not None:
        users_page.reload_users()
    user_hub.users_changed.emit()
    user_hub.changed.emit(current_user_id())  # contacts' columns and rows, the agenda
    for name in ("contacts_page", "agenda_page"):
        page = getattr(window, name, None)
        if page is not None:
            page.refresh()


class BackupDialog(QDialog):
    """Konfiguration ▸ Datensicherung…"""

    restored = Signal(str)  # the file name of the restored backup
    restore_failed = Signal(str)  # the error shown to the user

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Datensicherung"))
        self.setObjectName("backupDialog")
        self.resize(700, 420)
        self.path = path or current_database_path()
        self.backups: list[Backup] = []
        self._busy: QProgressDialog | None = None

        intro = QLabel(
            self.tr(
                "Contactbox Sync sichert die Datenbank automatisch vor jedem „Neu anlegen“ "
                "und vor jeder Aktualisierung der Datenbank. Hier können Sie zusätzlich "
                "sichern, eine Sicherung wiederherstellen oder löschen.\n"
                "Ablage: {0}"
            ).format(self.path.parent)
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = QTableWidget(0, 3)
        self.table.setObjectName("backupTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Datum"), self.tr("Anlass"), self.tr("Größe")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.create_button = QPushButton(self.tr("Jetzt &sichern"))
        self.create_button.setObjectName("createBackupButton")
        self.create_button.clicked.connect(self.create_backup)
        self.restore_button = QPushButton(self.tr("&Wiederherstellen…"))
        self.restore_button.setObjectName("restoreBackupButton")
        self.restore_button.clicked.connect(self.restore_selected)
        self.delete_button = QPushButton(self.tr("&Löschen"))
        self.delete_button.setObjectName("deleteBackupButton")
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        for b in (self.create_button, self.restore_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.reload()

    # ------------------------------------------------------------ list

    def reload(self, select: Path | None = None) -> None:
        self.backups = list_backups(self.path)
        self.table.setRowCount(len(self.backups))
        for row, b in enumerate(self.backups):
            for column, text in enumerate((_when(b), _reason(b), _size(b))):
                item = QTableWidgetItem(text)
                item.setToolTip(b.path.name)
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
            if select is not None and b.path == select:
                self.table.selectRow(row)
        if select is None and self.backups:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def select(self, backup: Path) -> None:
        for row, b in enumerate(self.backups):
            if b.path == backup:
                self.table.selectRow(row)

    @Slot()
    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.restore_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    # ------------------------------------------------------------ actions

    @Slot()
    def create_backup(self) -> Path | None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            target = backup_database(self.path, MANUAL)
        except BackupError as exc:
            QGuiApplication.restoreOverrideCursor()
            QMessageBox.warning(self, self.tr("Datensicherung"), str(exc))
            return None
        QGuiApplication.restoreOverrideCursor()
        self.reload(select=target)
        return target

    @Slot()
    def restore_selected(self) -> bool:
        """Ask, then restore on a worker thread; True: started (`restored` or
        `restore_failed` follows)."""
        backup = self.selected()
        if backup is None:
            return False
        if background_busy():
            QMessageBox.information(
                self,
                self.tr("Wiederherstellen"),
                self.tr(
                    "Gerade läuft eine Synchronisation oder eine andere Aufgabe im "
                    "Hintergrund. Bitte warten Sie, bis sie beendet ist, und versuchen Sie "
                    "es dann erneut."
                ),
            )
            return False
        answer = QMessageBox.question(
            self,
            self.tr("Sicherung wiederherstellen?"),
            self.tr(
                "Alle Kontakte, Termine, Accounts und Einstellungen werden auf den Stand vom "
                "{0} zurückgesetzt ({1}).\n\nDer jetzige Stand wird vorher als Sicherung "
                "„Vor einer Wiederherstellung“ aufbewahrt, Sie können also zurück.\n\n"
                "Jetzt wiederherstellen?"
            ).format(_when(backup), _reason(backup)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        # The copy takes seconds for a big database (≈9 s at 50,000 contacts): it runs on
        # a worker thread behind an application-modal busy dialog, so the window keeps
        # painting but nothing can write to the database meanwhile.
        close_database()
        self._busy = QProgressDialog(
            self.tr("Die Sicherung wird wiederhergestellt …"), "", 0, 0, self
        )
        self._busy.setCancelButton(None)
        self._busy.setWindowTitle(self.tr("Wiederherstellen"))
        self._busy.setWindowModality(Qt.WindowModality.ApplicationModal)
        self._busy.setMinimumDuration(0)
        self._busy.show()
        path = self.path
        call_in_background(
            self,
            lambda: restore_backup(path, backup.path).recreate_stopped,
            lambda stopped: self._restore_finished(backup, stopped, ""),
            lambda message: self._restore_finished(backup, [], message),
        )
        return True

    def _restore_finished(self, backup: Backup, stopped: list[str], error: str) -> None:
        if self._busy is not None:
            self._busy.close()
            self._busy.deleteLater()
            self._busy = None
        try:
            open_database(self.path)  # the restored state (an older one is migrated)
        except DatabaseError as exc:
            error = f"{error} {exc}".strip()
        if error:
            QMessageBox.critical(self, self.tr("Wiederherstellen"), error)
            self.reload()
            self.restore_failed.emit(error)
            return
        self.reload(select=backup.path)
        reload_views(self.parentWidget())
        self.restored.emit(backup.path.name)
        text = self.tr("Der Stand vom {0} ist wiederhergestellt.").format(_when(backup))
        if stopped:
            text += "\n\n" + self.tr(
                "„Neu anlegen“ wird nicht wiederholt: {0} gleicht wieder normal ab "
                "(Synchronisation · Server)."
            ).format(", ".join(f"„{n}“" for n in stopped))
        QMessageBox.information(self, self.tr("Wiederherstellen"), text)

    @Slot()
    def delete_selected(self) -> bool:
        backup = self.selected()
        if backup is None:
            return False
        answer = QMessageBox.question(
            self,
            self.tr("Sicherung löschen?"),
            self.tr("Die Sicherung vom {0} ({1}) wird endgültig gelöscht.").format(
                _when(backup), _reason(backup)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            delete_backup(self.path, backup.path)
        except (BackupError, OSError) as exc:
            QMessageBox.warning(self, self.tr("Sicherung löschen"), str(exc))
            return False
        self.reload()
        return True


# ---------------------------------------------------------------- damaged at start

RESTORE, EMPTY, QUIT = "restore", "empty", "quit"


class DamagedDatabaseDialog(QDialog):
    """ "Die Datenbank ist beschädigt": restore a backup, start empty, or quit."""

    def __init__(self, path: Path, problem: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Die Datenbank ist beschädigt"))
        self.setObjectName("damagedDatabaseDialog")
        self.resize(640, 420)
        self.path = path
        self.choice = QUIT
        self.backups = list_backups(path)

        title = QLabel(self.tr("<b>Die Datenbank ist beschädigt</b>"))
        text = QLabel(
            self.tr(
                "Contactbox Sync kann die Datenbank {0} nicht verwenden:\n{1}\n\n"
                "Sie können eine Sicherung wiederherstellen oder mit einer leeren Datenbank "
                "beginnen (danach lassen sich die Kontakte vom Server neu importieren). Die "
                "beschädigte Datei wird in beiden Fällen nicht gelöscht, sondern umbenannt "
                "(„…beschaedigt-…“) und bleibt im selben Ordner."
            ).format(path, problem)
        )
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_label = text

        self.backup_list = QListWidget()
        self.backup_list.setObjectName("damagedBackupList")
        for b in self.backups:
            item = QListWidgetItem(f"{_when(b)} – {_reason(b)} – {_size(b)}")
            item.setToolTip(b.path.name)
            self.backup_list.addItem(item)
        if self.backups:
            self.backup_list.setCurrentRow(0)
        none = QLabel(self.tr("Es gibt keine Sicherung."))
        none.setVisible(not self.backups)

        self.restore_button = QPushButton(self.tr("Sicherung &wiederherstellen"))
        self.restore_button.setObjectName("restoreNewestButton")
        self.restore_button.setEnabled(bool(self.backups))
        self.restore_button.setDefault(bool(self.backups))
        self.restore_button.clicked.connect(lambda: self._choose(RESTORE))
        self.empty_button = QPushButton(self.tr("Mit &leerer Datenbank beginnen"))
        self.empty_button.setObjectName("startEmptyButton")
        self.empty_button.clicked.connect(lambda: self._choose(EMPTY))
        self.quit_button = QPushButton(self.tr("&Beenden"))
        self.quit_button.setObjectName("quitButton")
        self.quit_button.clicked.connect(lambda: self._choose(QUIT))

        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.empty_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addWidget(QLabel(self.tr("Sicherungen (die neueste zuerst):")))
        layout.addWidget(self.backup_list, 1)
        layout.addWidget(none)
        layout.addLayout(buttons)

    def selected_backup(self) -> Backup | None:
        row = self.backup_list.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def _choose(self, choice: str) -> None:
        self.choice = choice
        if choice == QUIT:
            self.reject()
        else:
            self.accept()


def recover_damaged_database(
    path: Path, error: DamagedDatabaseError, parent: QWidget | None = None
) -> bool:
    """Ask what to do with a damaged database until it is open again; False: quit."""
    problem = error.problem
    while True:
        dialog = DamagedDatabaseDialog(path, problem, parent)
        dialog.exec()
        choice, backup = dialog.choice, dialog.selected_backup()
        dialog.deleteLater()
        try:
            if choice == RESTORE and backup is not None:
                restore_backup(path, backup.path)
            elif choice == EMPTY:
                set_aside_damaged(path)
            else:
                return False
            open_database(path)
            return True
        except DamagedDatabaseError as exc:
            problem = exc.problem
        except (BackupError, DatabaseError, OSError) as exc:
            QMessageBox.critical(parent, _tr("Die Datenbank ist beschädigt"), str(exc))
