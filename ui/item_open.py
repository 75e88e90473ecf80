"""Open an item of the list of single changes (ui/item_list.py) where Contactbox keeps it.

A contact opens in the contact editor (saving keeps the previous card in its history, as on
the Kontakte page), one in the Papierkorb in the read-only view; an appointment in the
"Termin" dialog (it saves itself). The item is found by its UID in the report's local book
(live before trashed); one that is not in Contactbox (only on the server) says so. The
dialog opens window-modal without blocking (`open()`) and is returned.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from app.store.contacts import StoreError, find_book, get_contact, update_contact
from app.store.models import Appointment, Contact
from app.sync.details import ItemDetail
from app.sync.report import CALENDAR


class Entry(Protocol):
    """A listed item (ui.item_list.Entry): the item and its local book and kind."""

    @property
    def detail(self) -> ItemDetail: ...
    @property
    def local_book(self) -> str: ...
    @property
    def collection(self) -> str: ...


def _tr(text: str) -> str:
    return QCoreApplication.translate("ItemOpen", text)


def local_contact(entry: Entry) -> Contact | None:
    """The entry's contact: by UID in its local book (any book if that is gone), live first."""
    query = Contact.select().where(Contact.uid == entry.detail.uid)
    book = find_book(entry.local_book) if entry.local_book else None
    if book is not None:
        query = query.where(Contact.book == book)
    found: Contact | None = query.order_by(
        Contact.deleted_at.is_null(False), Contact.id.desc()
    ).first()
    return found


def local_appointment(entry: Entry) -> Appointment | None:
    query = Appointment.select().where(Appointment.uid == entry.detail.uid)
    found: Appointment | None = query.order_by(
        Appointment.deleted_at.is_null(False), Appointment.id.desc()
    ).first()
    return found


def open_entry(entry: Entry, parent: QWidget) -> QDialog | None:
    """The editor (or view) of the entry's contact or appointment, opened; None if the item
    is not in Contactbox (a message says so)."""
    if entry.collection == CALENDAR:
        return _open_appointment(entry, parent)
    contact = local_contact(entry)
    if contact is None:
        _not_here(parent, _tr("Diesen Kontakt gibt es in Contactbox nicht (nur auf dem Server)."))
        return None
    if contact.deleted_at is not None:
        from ui.contact_detail import ContactDetailDialog

        view = ContactDetailDialog(int(contact.id), parent)
        view.open()
        return view
    return _edit_contact(contact, parent)


def _edit_contact(contact: Contact, parent: QWidget) -> QDialog:
    from ui.contact_editor import ContactEditorDialog

    contact_id = int(contact.id)
    opened = contact.vcard
    dialog = ContactEditorDialog(
        contact.vcard, parent, book=contact.book.name, contact_id=contact_id
    )

    def save() -> None:
        try:
            current = get_contact(contact_id)
        except StoreError as error:
            QMessageBox.warning(parent, _tr("Kontakt nicht gespeichert"), str(error))
            return
        if current.deleted_at is not None:
            QMessageBox.warning(
                parent, _tr("Kontakt nicht gespeichert"),
                _tr("Der Kontakt wurde inzwischen gelöscht (z. B. durch eine "
                          "Synchronisation). Stellen Sie ihn aus dem Papierkorb wieder her "
                          "und bearbeiten Sie ihn dann erneut."),
            )  # fmt: skip
            return
        changed_meanwhile = current.vcard != opened
        update_contact(current, dialog.result_vcard())
        dialog.apply_groups(current)
        if changed_meanwhile:
            QMessageBox.information(
                parent, _tr("Kontakt gespeichert"),
                _tr("Der Kontakt wurde geändert, während Sie ihn bearbeitet haben (z. B. "
                          "durch eine Synchronisation). Ihre Fassung ist gespeichert; die "
                          "andere finden Sie unter „Verlauf …“."),
            )  # fmt: skip

    dialog.accepted.connect(save)
    dialog.open()
    return dialog


def _open_appointment(entry: Entry, parent: QWidget) -> QDialog | None:
    row = local_appointment(entry)
    if row is None:
        _not_here(parent, _tr("Diesen Termin gibt es in Contactbox nicht (nur auf dem Server)."))
        return None
    if row.deleted_at is not None:
        _not_here(parent, _tr("Dieser Termin liegt im Papierkorb der Termine."))
        return None
    from ui.appointment_dialog import AppointmentDialog

    dialog = AppointmentDialog(None, int(row.id), parent)
    dialog.open()
    return dialog


def _not_here(parent: QWidget, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, _tr("Nicht in Contactbox"), text,
                      QMessageBox.StandardButton.Ok, parent)  # fmt: skip
    box.open()
