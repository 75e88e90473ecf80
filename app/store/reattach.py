"""Appointments and follow-ups keep their contact through "Neu anlegen" (issue 5's
re-attachment): the wipe remembers the linked contacts (`remember_for_reattach`), and the
run that brings the book back points the links at the new counterparts (`reattach_pending`).
Split off app/store/contacts.py along this seam."""

from __future__ import annotations

from peewee import Value
from peewee import fn as sqlfn

from app.store.contact_columns import match_key
from app.store.models import (
    Appointment,
    Binding,
    Contact,
    FollowUp,
    PendingReattach,
    database,
)


def remember_for_reattach(binding: Binding) -> None:
    """ "Neu anlegen", in the wipe's transaction: the live contacts of the book that
    appointments or follow-ups link to become pending re-attachments of `binding`.

    Only linked contacts: a contact nothing links to has nothing to re-attach. One
    INSERT … SELECT, never a list of ids (books of any size).
    """
    linked = sqlfn.EXISTS(
        Appointment.select(Appointment.id).where(Appointment.contact == Contact.id)
    ) | sqlfn.EXISTS(FollowUp.select(FollowUp.id).where(FollowUp.contact == Contact.id))
    contacts = Contact.select(Value(binding.id), Contact.id).where(
        (Contact.book == binding.book_id) & Contact.deleted_at.is_null() & linked
    )
    PendingReattach.insert_from(
        contacts, [PendingReattach.binding, PendingReattach.contact]
    ).on_conflict_ignore().execute()


def pending_reattach(binding: Binding) -> int:
    """How many wiped contacts of `binding` still wait for their new counterpart."""
    return int(PendingReattach.select().where(PendingReattach.binding == binding).count())


def reattach_pending(binding: Binding, *, complete: bool = False) -> int:
    """Point appointments and follow-ups of `binding`'s wiped contacts (see
    `remember_for_reattach`) at their new counterparts; returns how many moved.

    One transaction. A link goes to the live contact of the book with its UID, else to
    the one with its formatted name + first e-mail; a contact's entry goes once nothing
    links to it any more. Entries whose counterpart has not arrived yet stay for the next
    run — unless `complete` (the run read and applied the whole server book): then
    nothing more will arrive, and their links stay with the contact in the trash. The
    entry of a contact restored from the trash goes: its links are where they belong.
    """
    mine = PendingReattach.binding == binding
    if not PendingReattach.select(PendingReattach.id).where(mine).exists():
        return 0  # the usual case: one indexed look-up
    book_id = binding.book_id
    live = Contact.select(Contact.id).where(
        (Contact.book == book_id) & Contact.deleted_at.is_null()
    )
    old = PendingReattach.select(PendingReattach.contact).where(mine)
    moved = 0
    with database.atomic():
        PendingReattach.delete().where(mine & PendingReattach.contact.in_(live)).execute()
        by_uid: dict[str, int] | None = None
        by_key: dict[str, int] = {}
        for model in (Appointment, FollowUp):
            links = model.select(model.id, model.contact_uid, model.contact_key).where(
                model.contact.in_(old)
            )
            moves: list[tuple[int, int]] = []
            for link_id, uid, key in links.tuples():
                if by_uid is None:  # the book's live contacts, read once (narrow columns)
                    by_uid = {}
                    rows = live.select(Contact.id, Contact.uid, Contact.fn, Contact.email)
                    for cid, c_uid, c_fn, c_email in rows.order_by(Contact.id).tuples():
                        by_uid.setdefault(c_uid, cid)
                        by_key.setdefault(match_key(c_fn, c_email), cid)
                new_id = (by_uid.get(uid) if uid else None) or (
                    by_key.get(key) if key.strip() else None
                )
                if new_id is not None:
                    moves.append((new_id, link_id))
            if moves:
                table = model._meta.table_name
                database.cursor().executemany(
                    f"UPDATE {table} SET contact_id = ? WHERE id = ?", moves
                )
                moved += len(moves)
        done = PendingReattach.delete().where(mine)
        if not complete:
            still_linked = sqlfn.EXISTS(
                Appointment.select(Appointment.id).where(
                    Appointment.contact == PendingReattach.contact
                )
            ) | sqlfn.EXISTS(
                FollowUp.select(FollowUp.id).where(FollowUp.contact == PendingReattach.contact)
            )
            done = done.where(~still_linked)
        done.execute()
    return moved
