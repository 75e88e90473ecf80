"""Kontakte ▸ Kontakte anzeigen: deleting contacts, Rückgängig, restoring, emptying the trash.

`DeletingPart` is mixed into `ContactsPage` (ui/contacts_page.py), which builds the buttons
and shortcuts that call it. One contact goes to the Papierkorb at once, with "Rückgängig"
in the status line (ui/undo_bar.py); several after one confirmation naming the count,
Abbrechen the default. Emptying the Papierkorb asks first, "Nein" the default.

Deleting and "Rückgängig" are set-based (app/store/trash.py): one transaction for the whole
selection, never a commit per contact. More than `BACKGROUND_AT` contacts go on a worker
thread behind a progress window (ui/work_progress.py), so 10,000 selected contacts do not
freeze the window; fewer take a few milliseconds and run at once.

The strings keep the translation context "ContactsPage" (`_tr`, `CONTEXT`): `self.tr()` in
this class would be extracted by lupdate under "DeletingPart".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QTableView, QWidget

from app.store.changes import Changes
from app.store.contacts import (
    StoreError,
    empty_trash,
    get_book,
    get_contact,
    restore_contact,
)
from app.store.names import book_display_name
from app.store.trash import Restored, restore_contacts, trash_contacts
from ui.ask import ask_yes_no
from ui.store_watch import store_watch
from ui.undo_bar import UndoBar
from ui.work_progress import WorkFailed, WorkProgressDialog

if TYPE_CHECKING:
    from ui.contact_model import ContactTableModel

    _Page = QWidget  # for the type checker: the part is mixed into a QWidget
else:
    _Page = object

CONTEXT = "ContactsPage"


#: From this many contacts on, deleting and "Rückgängig" run on a worker thread.
BACKGROUND_AT = 500


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class DeletingPart(_Page):
    """Deleting and restoring contacts on the contacts page (mixed into `ContactsPage`)."""

    # Plain methods, no @Slot: see "Mixins" in ui/contacts_page.py.

    # Set by ContactsPage.__init__ / _build.
    model: ContactTableModel
    table: QTableView

    if TYPE_CHECKING:

        def selected_ids(self) -> list[int]: ...

        def _selected_rows(self) -> list[int]: ...

        def select_contact(self, contact_id: int) -> bool: ...

        def refresh(self) -> None: ...

        def show_own_change(self) -> None: ...

        def _contacts_changed_in_store(self, found: Changes) -> None: ...

        def _trash_count(self) -> int: ...

    @contextmanager
    def own_change(self) -> Iterator[None]:
        """The page changes many contacts itself (deleting, Rückgängig, an import): the
        store watch's news of it is told to the others at the end, not followed here — the
        page shows the change once (`show_own_change`) instead of re-reading a big book
        a second time (ui/store_watch.py)."""
        watch = store_watch()
        watch.contacts_changed.disconnect(self._contacts_changed_in_store)
        try:
            yield
        finally:
            watch.check_now()
            watch.contacts_changed.connect(self._contacts_changed_in_store)

    def _build_undo_bar(self) -> UndoBar:
        """ "Rückgängig" in the status line for a few seconds after deleting."""
        self.undo_bar = UndoBar(self)
        return self.undo_bar

    def delete_selected(self) -> None:
        """Entf, "Löschen", "In den Papierkorb": one contact goes at once (with Rückgängig
        in the status line), several after one confirmation naming the count."""
        rows = self._selected_rows()
        if not rows or self.model.trash:
            return
        if len(rows) > 1 and not self.confirm_delete(len(rows)):
            return
        ids_of = self.model.ids_reader(rows)  # many: read on the worker
        # Contacts gone meanwhile (their book was deleted) or trashed by a sync meanwhile
        # are left out: not ours to undo.
        try:
            with self.own_change():
                moved = self._store_work(
                    _tr("{0} Kontakte werden in den Papierkorb verschoben …").format(len(rows)),
                    len(rows),
                    lambda: trash_contacts(ids_of()),
                )
        except WorkFailed as error:
            self.refresh()
            QMessageBox.warning(self, _tr("Kontakte löschen"), error.message)
            return
        names: dict[int, str] = {cid: fn or _tr("(ohne Namen)") for cid, fn in moved.items()}
        self.table.clearSelection()  # its rows are gone
        self.show_own_change()
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
        ids = list(names)
        try:
            with self.own_change():
                done: Restored = self._store_work(
                    _tr("{0} Kontakte werden wiederhergestellt …").format(len(ids)),
                    len(ids),
                    lambda: restore_contacts(ids, undo=True),
                )
        except WorkFailed as error:
            self.refresh()
            QMessageBox.warning(self, _tr("Wiederherstellen nicht möglich"), error.message)
            return
        # Refused: the trash was emptied, or the UID is live again.
        refused = [f"{names.get(cid) or fn}: {why}" for cid, fn, why in done.refused]
        self.show_own_change()
        if len(done.restored) == 1:
            self.select_contact(done.restored[0])
        if refused:
            QMessageBox.warning(self, _tr("Wiederherstellen nicht möglich"), "\n\n".join(refused))

    def _store_work(self, text: str, count: int, work: Callable[[], Any]) -> Any:
        """`work()` (one transaction), at once for a few contacts, else on a worker behind
        a progress window (WorkFailed with the message if it raised)."""
        if count < BACKGROUND_AT:
            try:
                return work()
            except StoreError as error:
                raise WorkFailed(str(error)) from None
        progress = WorkProgressDialog(_tr("Kontakte"), lambda _done, _total: text, self)
        progress.label.setText(text)
        progress.cancel_button.hide()  # one transaction: all or nothing, nothing to stop
        try:
            return progress.run(lambda _progress, _cancelled: work())
        finally:
            progress.deleteLater()

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
            ).format(book_display_name(name)),
        ):
            return
        empty_trash(get_book(name))
        self.refresh()
