"""Base texts: per synced contact, the text of its last synced version (issue 22).

When both sides changed a contact since the last sync, the three-way merge
(app.vcard.merge, app.sync.merging) needs the version both started from. The state row
(ItemState) keeps only hashes, and every run reads all of them, so the text lives apart in
`ItemBase` (schema v12), one row per state row, zlib-compressed where that is smaller;
only for two-way bindings (`keeps_bases`: nothing else merges).

The rule (issue 21, first import speed): a base row is kept only where the contact's
history cannot give the synced version. Where the state is written with the contact's
stored text being the synced version by hash (its hash now = the state's local hash = the
state's remote hash: an import, a server update, a merge the server stored as sent, an
upload the server did not change), no row is written and an old one is deleted in the
same transaction: as long as the contact stays as it is there is nothing to merge, and
every local write that changes its text (`app.store.contacts.update_contact`: the editor,
the CLI, groups, .vcf "aktualisieren", a restore from the history; the sync's own writes)
puts the text it replaces into the history first, where the merge finds it
(`app.sync.merging.ContactMerger.sources`: the newest version whose normalized hash is the
state's remote hash). A row is written where they differ: an upload the server stored
converted, an edit saved while the upload was in flight, a merge left for the next run.
So a first import of cards stored as received writes none. Rows written under the earlier
rule (one per synced contact) stay valid and are replaced or dropped with the next state
write.

A base is exactly the text recorded as synced: the server's card as received (import,
server update) or the text Contactbox sent (upload, as the server stored it). It is
written in the transaction that writes the state (`app.store.syncstate`,
`app.store.syncmerge`), and goes with the state row (ON DELETE CASCADE: forgotten,
deleted on the server, "Neu anlegen", the binding removed) or when the trash is emptied
(`prune_trashed`). Each base carries the state's `remote_hash` it was written with: a
state row written without a new base (a path that does not keep one) leaves the old base
stale, and a stale base is never used (`bases` compares the hashes).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import Any

from app.store.models import database

#: Bases read with one query.
CHUNK = 500

#: One base by its state row (binding, href): `base_row`'s parameters.
PUT_BASE = (
    "INSERT OR REPLACE INTO item_base (state_id, hash, packed, data) "
    "SELECT id, ?, ?, ? FROM item_state WHERE binding_id = ? AND href = ?"
)


#: The base of the state row (binding, href) goes (the contact's stored text is the base).
DROP_BASE = (
    "DELETE FROM item_base WHERE state_id IN "
    "(SELECT id FROM item_state WHERE binding_id = ? AND href = ?)"
)


def pack(text: str) -> tuple[bytes, bool]:
    """The text as stored: zlib-compressed if that is smaller (almost always)."""
    raw = text.encode("utf-8")
    packed = zlib.compress(raw, 6)
    return (packed, True) if len(packed) < len(raw) else (raw, False)


def unpack(data: bytes, packed: bool) -> str:
    raw = zlib.decompress(data) if packed else bytes(data)
    return raw.decode("utf-8")


def keeps_bases(binding: Any) -> bool:
    """Only a two-way binding merges, so only it keeps bases: an import or OneWay binding
    never needs one (switched to two-way later, each contact gets its base with its next
    sync; until then a conflict keeps the whole-card rule)."""
    return str(getattr(binding, "operation", "")) == "sync"


def needs_base(remote_hash: str, local_hash: str | None, stored_hash: str | None) -> bool:
    """Whether a state written with these hashes needs a base row: not where the contact's
    stored text (`stored_hash`, its hash now) is the version the state records as synced on
    both sides (`local_hash`, `remote_hash`) — its next change puts it into the history."""
    return not (stored_hash is not None and stored_hash == local_hash == remote_hash)


def put_base(
    binding: Any,
    href: str,
    text: str | None,
    remote_hash: str,
    *,
    local_hash: str | None,
    stored_hash: str | None,
) -> None:
    """Remember `text` as the synced version of the state row (binding, href), written
    with `remote_hash` and `local_hash`, where the binding keeps bases and the row is
    needed (`needs_base`; `stored_hash`: the contact's hash as stored now, None if
    unknown); where it is not, an old base goes. `text` None: no text to keep (an old
    base stays, valid only while its hash is the state's). Call inside the transaction
    that wrote the state row."""
    if not keeps_bases(binding):
        return
    if not needs_base(remote_hash, local_hash, stored_hash):
        database.execute_sql(DROP_BASE, (binding.id, href))
    elif text is not None:
        database.execute_sql(PUT_BASE, base_row(binding, href, text, remote_hash))


def base_row(binding: Any, href: str, text: str, remote_hash: str) -> tuple[object, ...]:
    """PUT_BASE's parameters for one base (many are written with `executemany`)."""
    data, packed = pack(text)
    return (remote_hash, packed, data, binding.id, href)


def bases(binding_id: int, wanted: dict[str, str]) -> dict[str, str]:
    """href -> base text for the hrefs of `wanted` (href -> the state's remote_hash now)
    that have a base written with that hash (a stale or missing base: not listed)."""
    out: dict[str, str] = {}
    hrefs = list(wanted)
    for start in range(0, len(hrefs), CHUNK):
        part = hrefs[start : start + CHUNK]
        marks = ", ".join("?" for _ in part)
        rows = database.execute_sql(
            "SELECT s.href, b.hash, b.packed, b.data FROM item_state s "
            "JOIN item_base b ON b.state_id = s.id "
            f"WHERE s.binding_id = ? AND s.href IN ({marks})",
            (binding_id, *part),
        ).fetchall()
        for href, h, packed, data in rows:
            if h and h == wanted.get(href):
                out[str(href)] = unpack(data, bool(packed))
    return out


def prune_trashed(book_id: int) -> int:
    """The bases of the book's trashed contacts (about to be deleted for good) go; their
    state rows stay until the deletion reached the server. Returns how many went."""
    cursor = database.execute_sql(
        "DELETE FROM item_base WHERE state_id IN ("
        "SELECT s.id FROM item_state s JOIN contact c ON c.id = s.contact_id "
        "WHERE c.book_id = ? AND c.deleted_at IS NOT NULL)",
        (book_id,),
    )
    return int(cursor.rowcount)


def count_bases(binding_ids: Iterable[int] | None = None) -> tuple[int, int]:
    """(rows, bytes stored) of the bases, of some bindings or of all."""
    sql = "SELECT COUNT(*), COALESCE(SUM(LENGTH(b.data)), 0) FROM item_base b"
    params: tuple[int, ...] = ()
    if binding_ids is not None:
        ids = tuple(binding_ids)
        marks = ", ".join("?" for _ in ids) or "NULL"
        sql += f" JOIN item_state s ON s.id = b.state_id WHERE s.binding_id IN ({marks})"
        params = ids
    n, size = database.execute_sql(sql, params).fetchone()
    return int(n), int(size)
