"""Termine ▸ Agenda ▸ Papierkorb: the current user's deleted appointments; restore, empty.

One row per appointment: title, time, when it was deleted, by which side (Contactbox or the
server) and what that means for the server (app.store.appointment_trash). "Wiederherstellen"
takes the selected ones back (the next calendar sync uploads them again where the server no
longer has them), "Verlauf …" shows a trashed appointment's history read-only, "Papierkorb
leeren" deletes for good after asking; tombstones stay, so the sync does not bring emptied
appointments back, and appointments whose deletion the sync still has to carry to the
server stay until it has. `changed` tells the agenda to reload.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.store.agenda import current_user, utc_to_local
from app.store.appointment_trash import (
    DELETED_ON_SERVER,
    FROM_SERVER,
    LOCAL_ONLY,
    NO_SYNC,
    PENDING,
    TrashedAppointment,
    empty_trash,
    restore_appointments,
    trashed_appointments,
)
from app.store.contacts import StoreError
from app.store.models import User
from app.store.users import display_name
from ui.ask import ask_yes_no
from ui.history_dialog import AppointmentHistoryDialog
from ui.icons import icon
from ui.locale_format import date_text, date_time_text, local, time_text

ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = 5  # Termin, Zeit, Gelöscht am, Gelöscht von, Stand


class AppointmentTrashDialog(QDialog):
    """The Papierkorb of one user's appointments (by default the current user)."""

    changed = Signal()  # something was restored or deleted for good

    def __init__(self, user: User | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = user or current_user()
        self.rows: list[TrashedAppointment] = []
        shown = display_name(self.user.name)
        self.setWindowTitle(self.tr("Papierkorb: Termine von {0}").format(shown))
        self.resize(1060, 440)

        self.info = QLabel(
            self.tr(
                "Gelöschte Termine bleiben hier, bis Sie den Papierkorb leeren. Ein "
                "wiederhergestellter Termin erscheint wieder in der Agenda; der nächste "
                "Kalenderabgleich überträgt ihn wieder auf den Server."
            )
        )
        self.info.setWordWrap(True)

        self.tree = QTreeWidget()
        self.tree.setObjectName("trashList")
        self.tree.setColumnCount(COLUMNS)
        self.tree.setHeaderLabels(
            [
                self.tr("Termin"),
                self.tr("Zeit"),
                self.tr("Gelöscht am"),
                self.tr("Gelöscht von"),
                self.tr("Stand"),
            ]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((250, 180, 120, 100)):
            self.tree.setColumnWidth(column, width)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(lambda *_: self.show_history())

        self.empty_label = QLabel(self.tr("Der Papierkorb ist leer."))
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet("color: #2e7d32;")

        self.restore_button = QPushButton(self.tr("Wiederherstellen"))
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setToolTip(
            self.tr("Ausgewählte Termine aus dem Papierkorb zurückholen")
        )
        self.restore_button.clicked.connect(self.restore_selected)
        self.history_button = QPushButton(self.tr("Verlauf …"))
        self.history_button.setObjectName("historyButton")
        self.history_button.clicked.connect(self.show_history)
        self.empty_button = QPushButton(icon("trash"), self.tr("Papierkorb leeren"))
        self.empty_button.setObjectName("emptyButton")
        self.empty_button.setToolTip(self.tr("Alle Termine im Papierkorb endgültig löschen"))
        self.empty_button.clicked.connect(self.empty)
        close = QPushButton(self.tr("Schließen"))
        close.setObjectName("closeButton")
        close.clicked.connect(self.accept)

        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(self.empty_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self.status_label.hide()
        self.reload()

    # ------------------------------------------------------------ data

    def reload(self) -> None:
        self.rows = trashed_appointments(self.user)
        self.tree.clear()
        for row in self.rows:
            status = self.status_text(row.status)
            item = QTreeWidgetItem(
                [
                    row.summary or self.tr("(ohne Betreff)"),
                    self.when(row),
                    date_time_text(local(row.deleted_at)) if row.deleted_at else "",
                    self.tr("Server") if row.deleted_by == "server" else self.tr("Contactbox"),
                    status,
                ]
            )
            item.setData(0, ID_ROLE, row.id)
            item.setToolTip(0, row.summary + (f"\n{row.location}" if row.location else ""))
            item.setToolTip(4, status)
            self.tree.addTopLevelItem(item)
        empty = not self.rows
        self.tree.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self._update_buttons()

    def status_text(self, status: str) -> str:
        """What a trashed appointment's status means for the server."""
        texts = {
            PENDING: self.tr("wird beim nächsten Abgleich auch auf dem Server gelöscht"),
            DELETED_ON_SERVER: self.tr("auch auf dem Server gelöscht"),
            LOCAL_ONLY: self.tr("war nie auf dem Server"),
            FROM_SERVER: self.tr("vom Abgleich in den Papierkorb gelegt"),
            NO_SYNC: self.tr("kein Kalenderabgleich eingerichtet"),
        }
        return texts.get(status, status)

    def when(self, row: TrashedAppointment) -> str:
        """The appointment's time as the agenda shows it (local; all-day as dates)."""
        if row.start is None:
            return ""
        end = row.end or row.start
        prefix = self.tr("Serie ab ") if row.recurring else ""
        if row.all_day:
            text = date_text(row.start.date())
            if end.date() != row.start.date():
                text += f"–{date_text(end.date())}"
            return prefix + text + self.tr(" (ganztägig)")
        start, stop = utc_to_local(row.start), utc_to_local(end)
        text = date_time_text(start)
        if stop.date() == start.date():
            text += f"–{time_text(stop)}"
        elif stop != start:
            text += f" – {date_time_text(stop)}"
        return prefix + text

    def selected_ids(self) -> list[int]:
        return [int(item.data(0, ID_ROLE)) for item in self.tree.selectedItems()]

    def select_ids(self, ids: list[int]) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None:
                item.setSelected(int(item.data(0, ID_ROLE)) in ids)

    def _update_buttons(self) -> None:
        selected = self.selected_ids()
        self.restore_button.setEnabled(bool(selected))
        self.history_button.setEnabled(len(selected) == 1)
        self.empty_button.setEnabled(bool(self.rows))

    def _say(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    # ------------------------------------------------------------ actions

    def restore_selected(self) -> None:
        """Take the selected appointments back; refusals are explained, the rest restored."""
        refused: list[str] = []
        restored = 0
        names = {r.id: r.summary for r in self.rows}
        for appointment_id in self.selected_ids():
            try:
                restored += restore_appointments(self.user, [appointment_id])
            except StoreError as error:
                refused.append(f"{names.get(appointment_id, '')}: {error}")
        self.reload()
        if restored:
            self._say(
                self.tr(
                    "%n Termin(e) wiederhergestellt. Der nächste Kalenderabgleich überträgt "
                    "sie wieder auf den Server.",
                    "",
                    restored,
                )
            )
            self.changed.emit()
        if refused:
            QMessageBox.warning(
                self, self.tr("Wiederherstellen nicht möglich"), "\n\n".join(refused)
            )

    def show_history(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        self.history_dialog(ids[0]).exec()

    def history_dialog(self, appointment_id: int) -> AppointmentHistoryDialog:
        return AppointmentHistoryDialog(appointment_id, self)

    def empty(self) -> None:
        """Delete every trashed appointment for good, after asking."""
        if not self.rows:
            return
        if not ask_yes_no(
            self,
            self.tr("Papierkorb leeren"),
            self.tr(
                "Alle %n Termin(e) im Papierkorb endgültig löschen? Das lässt sich nicht "
                "rückgängig machen. Der Abgleich holt sie auch später nicht vom Server "
                "zurück.\n\nPapierkorb leeren?",
                "",
                len(self.rows),
            ),
        ):
            return
        result = empty_trash(self.user)
        self.reload()
        text = self.tr("%n Termin(e) endgültig gelöscht.", "", result.deleted)
        if result.kept_pending:
            text += " " + self.tr(
                "%n Termin(e) bleiben im Papierkorb, bis der nächste Kalenderabgleich sie "
                "auch auf dem Server gelöscht hat; leeren Sie ihn danach noch einmal.",
                "",
                result.kept_pending,
            )
        self._say(text)
        if result.deleted:
            self.changed.emit()
