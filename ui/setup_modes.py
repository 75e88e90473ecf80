"""The setup dialog's box "Vorgang" (ui/setup_dialog.py): the operation and its options.

The three operations on the left, each with its explanation; the chosen one's options on
the right in a stack as high as its highest page, so switching the operation moves
nothing (the conflict preference "Bei Konflikten gilt:" is only there for
Synchronisation). Below them a line says what a read-only book among the selected ones
means for the chosen operation (`say_read_only`).

The strings keep the translation context "SetupDialog" (`_tr`, `CONTEXT`): `self.tr()` in
this class would be extracted by lupdate under "OperationBox".
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.sync.jobs import BookOverview
from app.sync.modes import DEFAULT_OPTION, Mode, Operation, Option

CONTEXT = "SetupDialog"

# (operation, label, explanation, heading of its options, ((option, label, text), ...))
OperationTexts = tuple[Operation, str, str, str, tuple[tuple[Option, str, str], ...]]


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def operation_texts() -> tuple[OperationTexts, ...]:
    """The operations and their options as the box shows them, in the current language."""
    return (
        (
            Operation.IMPORT,
            _tr("Einmalig importieren"),
            _tr("Die Kontakte des Servers werden einmal in Contactbox übernommen."),
            _tr("Beim Import gilt:"),
            (
                (
                    Option.ADD,
                    _tr("Ergänzen"),
                    _tr(
                        "Nur Kontakte, die noch nicht in Contactbox sind, werden hinzugefügt; "
                        "bestehende bleiben unberührt."
                    ),
                ),
                (
                    Option.UPDATE,
                    _tr("Aktualisieren"),
                    _tr(
                        "Bestehende Kontakte werden mit dem Server aktualisiert, neue hinzugefügt."
                    ),
                ),
                (
                    Option.RECREATE,
                    _tr("Neu anlegen"),
                    _tr(
                        "Alle Kontakte des Adressbuchs in Contactbox werden vorher gelöscht "
                        "(Papierkorb), dann wird neu importiert. Termine und Wiedervorlagen "
                        "werden nur zugeordnet, wo sie übereinstimmen."
                    ),
                ),
            ),
        ),
        (
            Operation.ONEWAY,
            _tr("OneWay-Synchronisation"),
            _tr(
                "Steter Abgleich in eine Richtung: Contactbox aktualisiert regelmäßig den "
                "Server; Änderungen auf dem Server bleiben unberücksichtigt."
            ),
            _tr(
                "Contactbox gibt den Stand vor: neue, geänderte und gelöschte Kontakte "
                "gehen zum Server. Kontakte, die nur auf dem Server sind, bleiben dort "
                "und werden im Importbericht genannt."
            ),
            (),
        ),
        (
            Operation.SYNC,
            _tr("Synchronisation"),
            _tr("Steter Abgleich in beide Richtungen."),
            _tr("Bei Konflikten gilt:"),
            (
                (
                    Option.CONTACTBOX,
                    _tr("Contactbox"),
                    _tr(
                        "Die aktuelleren Daten liegen in Contactbox; Änderungen gehen von "
                        "Contactbox zum Server."
                    ),
                ),
                (
                    Option.SERVER,
                    _tr("Server"),
                    _tr(
                        "Die aktuelleren Daten liegen auf dem Server; Änderungen werden in "
                        "Contactbox importiert."
                    ),
                ),
                (
                    Option.RECREATE,
                    _tr("Neu anlegen"),
                    _tr(
                        "Alle Kontakte des Adressbuchs in Contactbox werden vorher gelöscht "
                        "(Papierkorb), dann wird neu importiert und weiter synchronisiert."
                    ),
                ),
            ),
        ),
    )


class OperationBox(QGroupBox):
    """ "Vorgang": one radio button per operation, one page of options per operation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_tr("Vorgang"), parent)
        ops_outer = self.ops_layout = QVBoxLayout(self)
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
        self.option_headings: dict[Operation, QLabel] = {}
        for operation, label, explanation, heading_text, options in operation_texts():
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

    def say_read_only(self, books: list[BookOverview], oneway: bool) -> None:
        """What a read-only book among the selected ones means for the chosen operation.

        The line keeps the height of the longer of its two texts, so that switching between
        OneWay and the others moves nothing."""
        if not books:
            self.read_only_hint.setVisible(False)
            self.read_only_hint.setMinimumHeight(0)
            return
        names = ", ".join(f"„{ov.remote.display_name or ov.remote.href}“" for ov in books)
        texts = {
            True: _tr(
                "{0}: Der Server erlaubt diesem Account nur das Lesen. Eine "
                "OneWay-Synchronisation kann dorthin nichts übertragen – wählen Sie "
                "„Einmalig importieren“ oder „Synchronisation“."
            ).format(names),
            False: _tr(
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
