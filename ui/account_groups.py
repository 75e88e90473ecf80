"""The account dialog's "Gruppen schreiben als" setting (issue 19): how Contactbox writes a
new group or a membership change to this account's server — as categories on each member
(Nextcloud, ownCloud), as group vCards (Kerio, Apple, SabreDAV), or both. Reading always
understands every form; a group keeps the form it has (app/store/groups.py).

`GroupStyleField` follows the server type (`groups.default_style`) until the user picks a
style; from then on a change of the server type leaves the choice alone. An account that
is edited starts as chosen when its stored style differs from its server type's default.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.store import groups


class GroupStyleField(QWidget):
    """The style combo box with a short hint below it."""

    def __init__(self, preset: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupStyleField")
        self.combo = QComboBox()
        self.combo.setObjectName("groupStyleCombo")
        for label, style in (
            (self.tr("Kategorien (Nextcloud, ownCloud)"), groups.CATEGORIES),
            (self.tr("Gruppen-vCards (Kerio, Apple, SabreDAV)"), groups.CARDS),
            (self.tr("beides"), groups.BOTH),
        ):
            self.combo.addItem(label, style)
        hint = self.tr(
            "Nextcloud zeigt Gruppen als Kategorien; Apple-Geräte und Kerio erwarten eigene "
            "Gruppen-vCards. Gelesen werden immer alle Arten."
        )
        self.combo.setToolTip(hint)
        self.combo.setAccessibleDescription(hint)
        self.hint_label = QLabel(hint)
        self.hint_label.setObjectName("groupStyleHint")
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet("color: #666666;")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.combo, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(self.hint_label)
        self.setFocusProxy(self.combo)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.touched = False  # the user picked a style: the server type no longer sets it
        self._select(groups.default_style(preset))
        self.combo.activated.connect(self._picked)

    def load(self, style: str, preset: str) -> None:
        """Show an account's stored style; one other than its server type's default counts
        as chosen by the user."""
        self._select(style if style in groups.STYLES else groups.CARDS)
        self.touched = self.chosen() != groups.default_style(preset)

    def follow_preset(self, preset: str) -> None:
        """The server type changed: its default, unless the user picked a style."""
        if not self.touched:
            self._select(groups.default_style(preset))

    def chosen(self) -> str:
        """ "categories", "cards" or "both" (Account.group_style)."""
        return str(self.combo.currentData())

    def _select(self, style: str) -> None:
        self.combo.setCurrentIndex(self.combo.findData(style))

    def _picked(self, _index: int) -> None:
        self.touched = True
