"""The contact editor's "Gruppen" field (issue 19), and its refusal to edit a group card.

`GroupsField` lists the groups of the contact's book (`groups.list_groups`) as a compact,
scrollable list of checkboxes — the contact's groups (`groups.contact_groups`) checked —
with a line below naming the checked ones, and above it, from `FILTER_FROM` groups on, a
search line that narrows the list. A list rather than a drop-down with checkboxes: it is
Qt's own checkable list, so arrows, Space (tick) and typing a name (jump) work without
extra code, a screen reader reads each group with its state, and the checked groups stay
visible while the user edits the rest of the form; a book with 50 groups scrolls within
six rows. Groups are created in the list on the left of the Kontakte page; a book
without groups says so here.

`GroupsPart`, mixed into `ContactEditorDialog` (ui/contact_editor.py), puts the field into
the form when the editor knows the contact's book (and, for a stored contact, its id). It
then stands where the "Kategorien" line was: every category is a group of its book, so
the two would show the same thing twice and could contradict each other. Membership is
saved after the card (`apply_groups`), as the change the user made — groups ticked and
unticked — applied to the contact as stored then (`groups.change_contact_groups`), so a
membership a sync gave it meanwhile stays.

A group card never opens as a person: `group_card_message` gives the editor the text
that says so, and the editor then shows it with the form disabled.

The strings keep the translation context "ContactEditorDialog" (`_tr`, `CONTEXT`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app import vcard
from app.store import groups
from app.store.contacts import StoreError, find_book, get_contact
from app.store.models import Contact
from ui.contact_editor_rows import LABEL_WIDTH

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    _Dialog = QDialog  # for the type checker: the part is mixed into a QDialog
else:
    _Dialog = object

CONTEXT = "ContactEditorDialog"
FILTER_FROM = 9  # from this many groups on, a search line narrows the list
VISIBLE_ROWS = 6  # the list's height in rows; more groups scroll


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def group_card_message(text: str) -> str | None:
    """What the editor says instead of opening a group card; None for a person (or a card
    it cannot read, which the editor reports itself)."""
    try:
        summary = vcard.summarize(text)
    except vcard.CardError:
        return None
    if summary.kind != "group":
        return None
    return _tr(
        "„{0}“ ist eine Gruppe, kein Kontakt, und wird hier nicht bearbeitet. Gruppen "
        "benennen Sie in der Liste links um, löschen sie dort oder ändern ihre Mitglieder."
    ).format(summary.fn)


class _GroupList(QListWidget):
    """A checkable list as tall as `VISIBLE_ROWS` rows (fewer when it has fewer)."""

    def sizeHint(self) -> QSize:
        rows = max(1, min(self.count(), VISIBLE_ROWS))
        row = self.sizeHintForRow(0) if self.count() else self.fontMetrics().height()
        return QSize(super().sizeHint().width(), rows * row + 2 * self.frameWidth())


class _FilterEdit(QLineEdit):
    """The search line: Enter or ↓ goes to the list (Enter would otherwise save the
    dialog while the user is still choosing)."""

    def __init__(self, target: QListWidget) -> None:
        super().__init__()
        self._target = target

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
            self._target.setFocus(Qt.FocusReason.TabFocusReason)
            event.accept()
            return
        super().keyPressEvent(event)


class GroupsField(QWidget):
    """The book's groups as checkboxes; `changes()` tells what the user ticked and unticked."""

    def __init__(self, names: list[str], checked: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupsField")
        self._initial = set(checked)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        self.list = _GroupList()
        self.filter_edit = _FilterEdit(self.list)
        self.filter_edit.setObjectName("groupFilterEdit")
        self.filter_edit.setPlaceholderText(_tr("Gruppe suchen …"))
        self.filter_edit.setAccessibleName(_tr("Gruppe suchen"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        self.list.setObjectName("groupList")
        self.list.setAccessibleName(_tr("Gruppen"))
        self.list.setToolTip(_tr("Leertaste oder Klick: Gruppe an- oder abwählen"))
        self.list.setUniformItemSizes(True)
        self.list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.list.setStyleSheet("QListWidget#groupList::item { padding: 1px 2px; }")
        for name in names:
            item = QListWidgetItem(name)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(
                Qt.CheckState.Checked if name in self._initial else Qt.CheckState.Unchecked
            )
            self.list.addItem(item)
        self.list.itemChanged.connect(self._update_summary)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("hint")
        self.summary_label.setWordWrap(True)
        self.empty_label = QLabel(
            _tr("Keine Gruppen — neue Gruppen legen Sie in der Liste links an")
        )
        self.empty_label.setObjectName("hint")
        self.empty_label.setWordWrap(True)
        lay.addWidget(self.filter_edit)
        lay.addWidget(self.list)
        lay.addWidget(self.summary_label)
        lay.addWidget(self.empty_label)
        self.filter_edit.setVisible(len(names) >= FILTER_FROM)
        self.list.setVisible(bool(names))
        self.summary_label.setVisible(bool(names))
        self.empty_label.setVisible(not names)
        self.setFocusProxy(self.list)
        self._update_summary()

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def names(self) -> list[str]:
        """Every group the field lists, in its (German) order."""
        return [item.text() for item in self._items()]

    def checked(self) -> list[str]:
        """The groups ticked now, in the list's order."""
        return [i.text() for i in self._items() if i.checkState() == Qt.CheckState.Checked]

    def set_checked(self, name: str, on: bool = True) -> None:
        for item in self._items():
            if item.text() == name:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def changes(self) -> tuple[list[str], list[str]]:
        """(groups ticked, groups unticked) since the field was filled."""
        now = self.checked()
        return (
            [n for n in now if n not in self._initial],
            [n for n in self.names() if n in self._initial and n not in now],
        )

    def _update_summary(self) -> None:
        now = self.checked()
        self.summary_label.setText(
            _tr("Ausgewählt: {0}").format(", ".join(now)) if now else _tr("Keine Gruppe ausgewählt")
        )

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        first: QListWidgetItem | None = None
        for item in self._items():
            hide = bool(needle) and needle not in item.text().casefold()
            item.setHidden(hide)
            if not hide and first is None:
                first = item
        current = self.list.currentItem()
        if first is not None and (current is None or current.isHidden()):
            self.list.setCurrentItem(first)


class GroupsPart(_Dialog):
    """The editor's "Gruppen" field and saving it (mixed into the dialog)."""

    groups_field: GroupsField | None
    _load_error: str | None  # set by the dialog: the card could not be opened

    def _build_groups(
        self,
        form: QFormLayout,
        replaces: QWidget,
        book: str | None,
        contact_id: int | None,
        *,
        new: bool,
    ) -> None:
        """Put the Gruppen field into `form` in place of the row of `replaces` (the
        Kategorien line) when the book is known — and, unless the contact is `new`, its id."""
        self.groups_field = None
        found = find_book(book) if book is not None else None
        if found is None or (not new and contact_id is None):
            return
        names = [g.name for g in groups.list_groups(found)]
        checked: list[str] = []
        if contact_id is not None:
            try:
                checked = groups.contact_groups(get_contact(contact_id))
            except StoreError:
                return
        self.groups_field = GroupsField(names, checked)
        row = next(
            i
            for i in range(form.rowCount())
            if (item := form.itemAt(i, QFormLayout.ItemRole.FieldRole)) is not None
            and item.widget() is replaces
        )
        form.setRowVisible(replaces, False)
        label = QLabel(_tr("Gruppen:"))
        label.setFixedWidth(LABEL_WIDTH)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        label.setBuddy(self.groups_field.list)
        form.insertRow(row + 1, label, self.groups_field)

    def apply_groups(self, contact: Contact) -> None:
        """Save the ticks and unticks of the Gruppen field for `contact` (after its card was
        saved; a new contact after it was created). Problems are told in a message box."""
        field = self.groups_field
        if field is None or self._load_error is not None:
            return
        add, remove = field.changes()
        if not add and not remove:
            return
        parent = self.parentWidget() or self
        try:
            gone = groups.change_contact_groups(contact, add, remove)
        except StoreError as error:
            QMessageBox.warning(parent, _tr("Gruppen nicht gespeichert"), str(error))
            return
        if gone:
            QMessageBox.information(
                parent,
                _tr("Gruppen gespeichert"),
                _tr(
                    "Diese Gruppen gibt es inzwischen nicht mehr; der Kontakt wurde ihnen "
                    "nicht zugeordnet: {0}"
                ).format(", ".join(gone)),
            )
