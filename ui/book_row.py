"""One imported address book on the page Adressbuch-Synchronisierung (ui/sync_page.py):
`BookRow` shows its direction icon, its name (greyed when deactivated), when it was last
synced ("zuletzt: vor 4 Min.", failed, a "Neu anlegen" waiting for a start by hand) and
the buttons "Adressbuch abgleichen", aktivieren / deaktivieren and remove, which it
reports as signals. `relative_time` / `absolute_time` word a last sync (the calendar tab
uses them too). Strings keep the page's translation context "AddressBookSyncPage" (`_tr`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from app.store.names import book_display_name
from app.sync.jobs import BindingInfo
from app.sync.modes import Operation, Option
from ui.icons import icon
from ui.locale_format import date_text, time_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("AddressBookSyncPage", text)


def relative_time(when_utc: datetime | None, now_utc: datetime | None = None) -> str:
    """ "vor 4 Min.", "gestern", "noch nie" … for a naive UTC time, in local days."""
    if when_utc is None:
        return _tr("noch nie")
    now_utc = now_utc or datetime.now(UTC).replace(tzinfo=None)
    seconds = (now_utc - when_utc).total_seconds()
    if seconds < 60:
        return _tr("gerade eben")
    if seconds < 3600:
        return _tr("vor {0} Min.").format(int(seconds // 60))
    local = when_utc.replace(tzinfo=UTC).astimezone()
    local_now = now_utc.replace(tzinfo=UTC).astimezone()
    days = (local_now.date() - local.date()).days
    if days == 0:
        return _tr("vor {0} Std.").format(int(seconds // 3600))
    if days == 1:
        return _tr("gestern")
    if days < 7:
        return _tr("vor {0} Tagen").format(days)
    return date_text(local.date())


def absolute_time(when_utc: datetime | None) -> str:
    if when_utc is None:
        return _tr("Dieses Adressbuch wurde noch nie abgeglichen.")
    local = when_utc.replace(tzinfo=UTC).astimezone()
    return _tr("Letzter Abgleich: {0} Uhr").format(f"{date_text(local.date())}, {time_text(local)}")


def direction_icon_name(operation: str) -> str:
    return {
        Operation.SYNC.value: "sync-twoway",
        Operation.ONEWAY.value: "sync-oneway",
    }.get(operation, "sync-import")


def direction_text(binding: BindingInfo) -> str:
    if binding.operation == Operation.SYNC.value:
        text = _tr("Vollständige Synchronisation (beide Richtungen)")
    elif binding.operation == Operation.ONEWAY.value:
        text = _tr("OneWay-Synchronisation (Contactbox → Server)")
    else:
        text = _tr("Einmaliger Import (Server → Contactbox)")
    try:
        return f"{text}\n{binding.mode.label()}"
    except ValueError:
        return text


class BookRow(QFrame):
    """One imported address book: icon, name, last sync, abgleichen/deaktivieren/trash."""

    sync_requested = Signal(int)
    toggle_requested = Signal(int, bool)  # binding id, enable?
    remove_requested = Signal(int)

    def __init__(self, binding: BindingInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binding = binding
        self.setObjectName("bookRow")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 6)
        layout.setSpacing(10)

        self.icon_label = QLabel()
        self.icon_label.setObjectName("directionIcon")
        self.icon_name = direction_icon_name(binding.operation)
        self.icon_label.setPixmap(icon(self.icon_name).pixmap(QSize(24, 24)))
        self.icon_label.setToolTip(direction_text(binding))
        self.icon_label.setFixedSize(28, 28)
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.icon_label)

        local_book = book_display_name(binding.local_book)
        self.name_label = QLabel(binding.remote_name or local_book)
        font = QFont(self.name_label.font())
        font.setBold(True)
        self.name_label.setFont(font)
        tip = _tr("Server: {0}\nIn Contactbox: Adressbuch „{1}“").format(
            binding.remote_href, local_book
        )
        self.name_label.setToolTip(tip)
        self.name_label.setMinimumWidth(120)
        self.name_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        if not binding.enabled:
            self.name_label.setText(
                _tr("{0} (deaktiviert)").format(binding.remote_name or local_book)
            )
            self.name_label.setStyleSheet("color: #888888;")
        layout.addWidget(self.name_label, 1)

        self.time_label = QLabel()
        self.time_label.setObjectName("lastSync")
        self.time_label.setMinimumWidth(130)
        self.show_time()
        layout.addWidget(self.time_label)

        self.sync_button = QPushButton(_tr("Adressbuch abgleichen"))
        self.sync_button.setEnabled(binding.enabled)
        self.sync_button.clicked.connect(lambda: self.sync_requested.emit(self.binding.id))
        layout.addWidget(self.sync_button)

        self.toggle_button = QPushButton(
            _tr("deaktivieren") if binding.enabled else _tr("aktivieren")
        )
        self.toggle_button.setToolTip(
            _tr("Dieses Adressbuch vorerst nicht mehr abgleichen")
            if binding.enabled
            else _tr("Dieses Adressbuch wieder abgleichen")
        )
        self.toggle_button.setMinimumWidth(
            self.toggle_button.fontMetrics().horizontalAdvance(_tr("deaktivieren")) + 24
        )
        self.toggle_button.clicked.connect(
            lambda: self.toggle_requested.emit(self.binding.id, not self.binding.enabled)
        )
        layout.addWidget(self.toggle_button)

        self.trash_button = QToolButton()
        self.trash_button.setIcon(icon("trash"))
        self.trash_button.setIconSize(QSize(18, 18))
        self.trash_button.setToolTip(_tr("Adressbuch aus der Synchronisierung entfernen"))
        self.trash_button.setAccessibleName(_tr("Adressbuch entfernen"))
        self.trash_button.clicked.connect(lambda: self.remove_requested.emit(self.binding.id))
        layout.addWidget(self.trash_button)

    def show_time(self) -> None:
        """ "zuletzt: vor 4 Min." (again each minute: the page's clock calls it)."""
        binding = self.binding
        self.time_label.setText(_tr("zuletzt: {0}").format(relative_time(binding.last_sync)))
        self.time_label.setToolTip(absolute_time(binding.last_sync))
        self.time_label.setStyleSheet("")
        if binding.last_status == "failed":
            self.time_label.setText(self.time_label.text() + " – " + _tr("fehlgeschlagen"))
            self.time_label.setStyleSheet("color: #b3261e;")
        if binding.enabled and binding.option == Option.RECREATE.value:
            # Never run unattended (app/sync/background.py): the user starts it by hand.
            self.time_label.setText(
                self.time_label.text() + "\n" + _tr("„Neu anlegen“ wartet auf Ihren Start")
            )
            self.time_label.setToolTip(
                _tr(
                    "„Neu anlegen“ leert das Adressbuch in Contactbox und importiert es neu. "
                    "Das geschieht nie im Hintergrund: Klicken Sie auf „Adressbuch "
                    "abgleichen“, um es jetzt auszuführen."
                )
            )
            self.time_label.setStyleSheet("color: #8a5a00;")
