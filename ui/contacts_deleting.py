"""Kontakte ▸ Kontakte anzeigen: deleting contacts, Rückgängig, restoring, emptying the trash.

`DeletingPart` is mixed into `ContactsPage` (ui/contacts_page.py), which builds the buttons
and shortcuts that call it. One contact goes to the Papierkorb at once, with "Rückgängig"
in the status line (ui/undo_bar.py); several after one confirmation naming the count,
Abbrechen the default. Emptying the Papierkorb asks first, "Nein" the default.

The strings keep the translation context "ContactsPage" (`_tr`, `CONTEXT`): `self.tr()` in
this class would be extracted by lupdate under "DeletingPart".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.store.contacts import (
    StoreError,
    delete_contact,
    empty_trash,
    get_book,
    get_contact,
    restore_contact,
)
from ui.ask import ask_yes_no
from ui.undo_bar import UndoBar

if TYPE_CHECKING:
    from ui.contact_model import ContactTableModel

    _Page = QWidget  # for the type checker: the part is mixed into a QWidget
else:
    _Page = object

CONTEXT = "ContactsPage"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class DeletingPart(_Page):
    """Deleting and restoring contacts on the contacts page (mixed into `ContactsPage`)."""

    # Plain methods, no @Slot: see "Mixins" in ui/contacts_page.py.

    # Set by ContactsPage.__init__ / _build.
    model: ContactTableModel

    if TYPE_CHECKING:

        def selected_ids(self) -> list[int]: ...

        def select_contact(self, contact_id: int) -> bool: ...

        def refresh(self) -> None: ...

        def _trash_count(self) -> int: ...

    def _build_undo_bar(self) -> UndoBar:
        """ "Rückgängig" in the status line for a few seconds after deleting."""
        self.undo_bar = UndoBar(self)
        return self.undo_bar

    def delete_selected(self) -> None:
        """Entf, "Löschen", "In den Papierkorb": one contact goes at once (with Rückgängig
        in the status line), several after one confirmation naming the count."""
        ids = self.selected_ids()
        if not ids or self.model.trash:
            return
        if len(ids) > 1 and not self.confirm_delete(len(ids)):
            return
        names: dict[int, str] = {}
        for contact_id in ids:
            try:
                contact = get_contact(contact_id)
            except StoreError:
                continue  # gone meanwhile (e.g. its book was deleted)
            if contact.deleted_at is not None:
                continue  # a sync trashed it meanwhile: not ours to undo
            delete_contact(contact)
            names[contact_id] = contact.fn or _tr("(ohne Namen)")
        self.refresh()
        if not names:
            return
        if len(names) == 1:
            text = _tr("„{0}“ wurde in den Papierkorb verschoben.").format(
                next(iter(names.values()))
            )
        else:
            text = _tr("{0} Kontakte wurden in den Papierkorb verschoben.").format(len(names))
        self.undo_bar.offer(text, lambda: self.undo_delete(names))

    def confirm_delete(self, count: int) -> bool:
        """Ask before moving several contacts to the trash; Abbrechen is the default."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _tr("Kontakte löschen"),
            _tr("{0} Kontakte in den Papierkorb verschieben?").format(count),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setInformativeText(_tr("Aus dem Papierkorb können Sie sie jederzeit wiederherstellen."))
        delete = box.addButton(_tr("In den Papierkorb"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(_tr("Abbrechen"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is delete

    def undo_delete(self, names: dict[int, str]) -> None:
        """ "Rückgängig": the contacts just deleted come back exactly as they were (same
        id, UID and sync state, so the next sync has nothing to do for them)."""
        restored: list[int] = []
        refused: list[str] = []
        for contact_id, name in names.items():
            try:
                restore_contact(get_contact(contact_id), undo=True)
            except StoreError as error:  # the trash was emptied, or the UID is live again
                refused.append(f"{name}: {error}")
                continue
            restored.append(contact_id)
        self.refresh()
        if len(restored) == 1:
            self.select_contact(restored[0])
        if refused:
            QMessageBox.warning(self, _tr("Wiederherstellen nicht möglich"), "\n\n".join(refused))

    def restore_selected(self) -> None:
        refused: list[str] = []
        for contact_id in self.selected_ids():
            contact = get_contact(contact_id)
            try:
                restore_contact(contact)
            except StoreError as error:
                refused.append(f"{contact.fn}: {error}")
        self.refresh()
        if refused:
            QMessageBox.warning(self, _tr("Wiederherstellen nicht möglich"), "\n\n".join(refused))

    def empty_trash(self) -> None:
        name = self.model.book_name
        if name is None:
            return
        count = self._trash_count()
        if count == 0:
            return
        if not ask_yes_no(
            self,
            _tr("Papierkorb leeren"),
            QCoreApplication.translate(
                CONTEXT,
                "%n Kontakt(e) im Papierkorb von „{0}“ endgültig löschen? "
                "Das lässt sich nicht rückgängig machen.",
                None,
                count,
            ).format(name),
        ):
            return
        empty_trash(get_book(name))
        self.refresh()
