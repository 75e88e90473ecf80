"""The store's writes of a merged contact (issue 22, app.sync.merging).

A merge writes the merged card to the server first (If-Match), then here, in one
transaction: the contact (only if it is still the version the plan saw, and only where
the merged card differs from it), the versions that go to its history, the state row
(both sides synced as the merged card) and the new base (the text the server holds) —
a base row only where the contact's stored text is not that version by hash
(app.store.basetexts; otherwise an old row goes).
"""

from __future__ import annotations

from dataclasses import dataclass

from app import vcard
from app.store.basetexts import put_base
from app.store.contact_columns import fill_columns
from app.store.models import Binding, Contact, ContactVersion, utcnow
from app.store.syncbase import ITEMS, LocalChanged, Seen, check_seen, put_state, write
from app.store.syncstate import current_hash


def local_texts(ids: list[int]) -> dict[int, tuple[str, str]]:
    """id -> (vCard text, hash) of the live contacts among `ids`, read in chunks."""
    out: dict[int, tuple[str, str]] = {}
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        q = Contact.select(Contact.id, Contact.vcard, Contact.hash).where(
            Contact.id.in_(part) & Contact.deleted_at.is_null()
        )
        out.update({int(i): (str(text), str(h)) for i, text, h in q.tuples()})
    return out


@dataclass(frozen=True)
class Kept:
    """A version that goes to the contact's history: its text, reason and note."""

    text: str
    reason: str  # "conflict" (the losing version) | "server-update"
    note: str = ""


def record_merge(
    binding: Binding,
    contact_id: int,
    href: str,
    etag: str,
    uid: str,
    *,
    local_text: str | None,
    synced_text: str,
    seen: Seen,
    history: tuple[Kept, ...] = (),
) -> None:
    """The merged card is on the server as `synced_text` (or was there already): store
    it locally (`local_text`; None: the contact already has its content), keep `history`,
    and record both sides as synced with `synced_text` as the new base. Raises
    LocalChanged (nothing written) if the contact is no longer the version `seen`."""
    remote_hash = vcard.normalized_hash(synced_text)
    with write():
        check_seen(seen, current_hash(contact_id))
        c = Contact.get_or_none(Contact.id == contact_id)
        if c is None:
            raise LocalChanged()
        for kept in history:
            ContactVersion.create(contact=c, vcard=kept.text, reason=kept.reason, note=kept.note)
        if local_text is not None and local_text != c.vcard:
            summary, content_hash = vcard.summarize_and_hash(local_text)
            fill_columns(c, local_text, summary, content_hash)
            c.modified = utcnow()
            c.save()
        put_state(ITEMS, binding, href, etag, uid, remote_hash, c.hash, contact_id)
        put_base(binding, href, synced_text, remote_hash, local_hash=c.hash, stored_hash=c.hash)


def record_stale_merge(
    binding: Binding,
    contact_id: int,
    href: str,
    uid: str,
    *,
    seen_text: str,
    seen: Seen,
    history: tuple[Kept, ...] = (),
) -> None:
    """The merged card went to the server, but the contact changed here before it could
    be stored: the local edit is not overwritten. The state then says that both sides
    last agreed on the version the merge was made from (`seen_text`, its hash `seen`)
    with an unknown ETag, so the next run sees both sides changed since that version and
    merges the new edit with the server's (merged) card instead of losing either."""
    assert seen.hash is not None
    with write():
        c = Contact.get_or_none(Contact.id == contact_id)
        if c is not None:
            for kept in history:
                ContactVersion.create(
                    contact=c, vcard=kept.text, reason=kept.reason, note=kept.note
                )
        put_state(ITEMS, binding, href, "", uid, seen.hash, seen.hash, contact_id)
        # (the contact changed since `seen`: its stored text is not the base, the row is)
        stored = c.hash if c is not None and c.deleted_at is None else None
        put_base(binding, href, seen_text, seen.hash, local_hash=seen.hash, stored_hash=stored)
