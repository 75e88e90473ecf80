"""Kontakte ▸ Kontakte anzeigen: .vcf import and export of the shown book.

`VcfPart` is mixed into `ContactsPage` (ui/contacts_page.py), which builds the buttons and
the table menu that call it; the dialogs and the worker are ui/vcf_dialogs.py. Plain
methods, no @Slot: see "Mixins" in ui/contacts_page.py.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ui.vcf_dialogs import export_vcf_interactive, import_vcf_interactive

if TYPE_CHECKING:
    from ui.contact_model import ContactTableModel

    _Page = QWidget  # for the type checker: the part is mixed into a QWidget
else:
    _Page = object


class VcfPart(_Page):
    """Import into and export from the book the page shows (mixed into `ContactsPage`)."""

    # Set by ContactsPage.__init__.
    model: ContactTableModel

    if TYPE_CHECKING:

        def selected_ids(self) -> list[int]: ...

        def show_own_change(self) -> None: ...

        def own_change(self) -> AbstractContextManager[None]: ...

    def import_vcf(self) -> None:
        name = self.model.book_name
        if name is None:
            return
        # The import runs behind its progress window: the table is read once afterwards,
        # not every second while it grows (a re-read of a 10,000-contact book is a GUI
        # stall of ~100 ms beside the import's worker).
        with self.own_change():
            report = import_vcf_interactive(self, name)
        if report is not None:
            self.show_own_change()

    def export_vcf(self) -> None:
        """The whole book, or the selected contacts when several are selected."""
        name = self.model.book_name
        if name is None:
            return
        ids = self.selected_ids()
        export_vcf_interactive(self, ids if len(ids) > 1 else None, name)

    def export_selected(self) -> None:
        name = self.model.book_name
        ids = self.selected_ids()
        if name is not None and ids:
            export_vcf_interactive(self, ids, name)
