"""Many contacts into the trash and back at once: set-based, one transaction each.

`trash_contacts` is `contacts.delete_contact` for a selection of any size, and
`restore_contacts` is `contacts.restore_contact` for one: the same result contact by
contact, but a few statements instead of a query and a commit per contact (10,000 selected
contacts: one transaction). The ids travel as one JSON array (`json_each`), never as
thousands of SQL parameters.

Deleting a contact that was synced leaves a tombstone (its UID and server href) so that an
import or the next sync does not bring it back; restoring it removes the tombstone, so it
syncs again. "Rückgängig" restores exactly the contacts `trash_contacts` moved (the ones
that were live), keeping their time of change.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from peewee import SQL

from app.i18n import _
from app.store.models import Contact, Tombstone, database, utcnow

__all__ = ["Restored", "restore_contacts", "trash_contacts"]

_IDS = "(SELECT value FROM json_each(?))"


def _ids_param(ids: Sequence[int]) -> str:
    return json.dumps([int(i) for i in dict.fromkeys(ids)])


def trash_contacts(ids: Sequence[int]) -> dict[int, str]:
    """Move the live contacts among `ids` to the trash; a synced one leaves a tombstone.

    One transaction. Returns the contacts it moved, id -> formatted name, in the order of
    `ids`: contacts already in the trash (a sync trashed them meanwhile) or gone are left
    out, as they are not this deletion's to undo.
    """
    if not ids:
        return {}
    param = _ids_param(ids)
    now = utcnow()
    with database.atomic("IMMEDIATE"):
        rows = database.execute_sql(
            f"SELECT id, fn FROM contact WHERE id IN {_IDS} AND deleted_at IS NULL", (param,)
        ).fetchall()
        if not rows:
            return {}
        # A synced contact: its server href from the sync state (the first one, as
        # `delete_contact` takes), one scan of the sync state for the whole selection.
        database.execute_sql(
            "INSERT OR REPLACE INTO tombstone (book_id, uid, href, contact_id, created) "
            "SELECT c.book_id, c.uid, s.href, c.id, ? FROM contact c JOIN "
            f"(SELECT contact_id, href, MIN(id) FROM item_state WHERE contact_id IN {_IDS} "
            "GROUP BY contact_id) s ON s.contact_id = c.id "
            f"WHERE c.id IN {_IDS} AND c.deleted_at IS NULL ORDER BY c.id",
            (Tombstone.created.db_value(now), param, param),
        )
        Contact.update(deleted_at=now).where(
            _in_json(param) & Contact.deleted_at.is_null()
        ).execute()
    names = {int(cid): str(fn or "") for cid, fn in rows}
    return {int(i): names[int(i)] for i in dict.fromkeys(ids) if int(i) in names}


def _in_json(param: str) -> Any:  # a peewee expression
    """`contact.id` is one of the ids of the JSON array `param`."""
    return SQL(f"contact.id IN {_IDS}", [param])


@dataclass(frozen=True)
class Restored:
    """What `restore_contacts` did: the ids back in the list, and per contact it could not
    restore its id, name and why (in the user's language)."""

    restored: list[int] = field(default_factory=list)
    refused: list[tuple[int, str, str]] = field(default_factory=list)


def restore_contacts(ids: Sequence[int], *, undo: bool = False) -> Restored:
    """Take the contacts `ids` out of the trash (one transaction); their tombstones go.

    As `contacts.restore_contact` for each: a contact whose UID is live again in its book
    (another contact, or one restored just before it) is refused, as is one that is gone
    (the trash was emptied); one not in the trash counts as restored. `undo` keeps each
    contact's time of change, as if it had never been deleted; otherwise the restore counts
    as a change.
    """
    if not ids:
        return Restored()
    param = _ids_param(ids)
    with database.atomic("IMMEDIATE"):
        rows = database.execute_sql(
            f"SELECT id, book_id, uid, fn, deleted_at IS NOT NULL FROM contact WHERE id IN {_IDS}",
            (param,),
        ).fetchall()
        live = {
            (int(b), str(u))
            for b, u in database.execute_sql(
                "SELECT l.book_id, l.uid FROM contact t JOIN contact l "
                "ON l.book_id = t.book_id AND l.uid = t.uid AND l.deleted_at IS NULL "
                f"WHERE t.id IN {_IDS} AND t.deleted_at IS NOT NULL",
                (param,),
            ).fetchall()
        }
        found = {int(r[0]): r for r in rows}
        restored: list[int] = []
        back: list[int] = []
        refused: list[tuple[int, str, str]] = []
        for cid in (int(i) for i in dict.fromkeys(ids)):
            row = found.get(cid)
            if row is None:
                refused.append((cid, "", _("Den Kontakt Nr. {id} gibt es nicht.").format(id=cid)))
                continue
            _id, book_id, uid, fn, trashed = row
            if not trashed:
                restored.append(cid)
                continue
            if (int(book_id), str(uid)) in live:
                refused.append(
                    (
                        cid,
                        str(fn or ""),
                        _(
                            "Ein Kontakt mit derselben UID ist bereits vorhanden; der Kontakt "
                            "kann nicht wiederhergestellt werden."
                        ),
                    )
                )
                continue
            live.add((int(book_id), str(uid)))
            restored.append(cid)
            back.append(cid)
        if back:
            back_param = json.dumps(back)
            database.execute_sql(
                "DELETE FROM tombstone WHERE (book_id, uid) IN "
                f"(SELECT book_id, uid FROM contact WHERE id IN {_IDS})",
                (back_param,),
            )
            values: dict[Any, Any] = {Contact.deleted_at: None}
            if not undo:
                values[Contact.modified] = utcnow()
            Contact.update(values).where(_in_json(back_param)).execute()
    return Restored(restored, refused)
