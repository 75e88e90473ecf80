"""Sync-state reads and the per-item writes of execute(): one transaction per item.

The contact row and its state row always change together, so a crash leaves an item
fully before or fully after its change. Server writes happen before these calls and
commit one by one; runs of local-only writes share a transaction (`batch`).
"""

from __future__ import annotations

from typing import Any

from app import vcard
from app.store.contacts import fill_columns, find_live_by_uid, match_key
from app.store.models import (
    Account,
    AddressBook,
    Binding,
    Contact,
    ContactVersion,
    ItemState,
    Tombstone,
    database,
    utcnow,
)
from app.sync.plan import LocalItem, StateItem


def local_items(book: AddressBook) -> list[LocalItem]:
    """The live contacts of a book as the planner sees them (no vCard text loaded)."""
    q = (
        Contact.select(Contact.id, Contact.uid, Contact.hash, Contact.fn, Contact.email)
        .where((Contact.book == book) & Contact.deleted_at.is_null())
        .tuples()
    )
    return [LocalItem(cid, uid, h, match_key(fn, email)) for cid, uid, h, fn, email in q]


def state_items(binding: Binding) -> list[StateItem]:
    q = (
        ItemState.select(
            ItemState.href,
            ItemState.etag,
            ItemState.uid,
            ItemState.remote_hash,
            ItemState.local_hash,
            ItemState.contact_id,
        )
        .where(ItemState.binding == binding)
        .tuples()
    )
    return [StateItem(*row) for row in q]


def tombstone_uids(book: AddressBook) -> frozenset[str]:
    return frozenset(t.uid for t in Tombstone.select(Tombstone.uid).where(Tombstone.book == book))


def contact_text(contact_id: int) -> tuple[str, str]:
    """(vCard text, formatted name) of a contact, live or trashed."""
    c = Contact.get_by_id(contact_id)
    return c.vcard, c.fn


def contact_name(contact_id: int | None) -> str:
    if contact_id is None:
        return ""
    row = Contact.select(Contact.fn).where(Contact.id == contact_id).tuples().first()
    return row[0] if row else ""


_STATE_UPSERT = (
    "INSERT INTO item_state (binding_id, href, etag, uid, remote_hash, local_hash, contact_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (binding_id, href) DO UPDATE SET "
    "etag = excluded.etag, uid = excluded.uid, remote_hash = excluded.remote_hash, "
    "local_hash = excluded.local_hash, contact_id = excluded.contact_id"
)


def _put_state(
    binding: Binding,
    *,
    href: str,
    etag: str,
    uid: str,
    remote_hash: str,
    local_hash: str,
    contact_id: int | None,
    new_contact: bool = False,
) -> None:
    """Upsert the state row of (binding, href); a contact has at most one row.

    Plain SQL: this runs once per card of a 10,000-card import, and peewee's query
    building cost more than SQLite's work.
    """
    if contact_id is not None and not new_contact:
        ItemState.delete().where(
            (ItemState.binding == binding)
            & (ItemState.contact_id == contact_id)
            & (ItemState.href != href)
        ).execute()
    database.execute_sql(
        _STATE_UPSERT, (binding.id, href, etag, uid, remote_hash, local_hash, contact_id)
    )


def _insert_contact(c: Contact) -> int:
    """INSERT a new contact row (defaults and conversions from the model) in plain SQL."""
    fields = [f for f in Contact._meta.sorted_fields if f.name != "id"]
    sql = _CONTACT_INSERT.get("sql")
    if sql is None:
        columns = ", ".join(f.column_name for f in fields)
        marks = ", ".join("?" for _ in fields)
        sql = _CONTACT_INSERT.setdefault("sql", f"INSERT INTO contact ({columns}) VALUES ({marks})")
    data = c.__data__
    values = [f.db_value(data.get(f.name)) for f in fields]
    cursor = database.execute_sql(sql, values)
    c.id = int(cursor.lastrowid)
    return c.id


_CONTACT_INSERT: dict[str, str] = {}


Facts = tuple[vcard.CardSummary, str]  # a card's summary and normalized hash, if known


def _facts(text: str, facts: Facts | None) -> Facts:
    return facts if facts is not None else (vcard.summarize(text), vcard.normalized_hash(text))


def batch() -> Any:  # a peewee transaction context
    """One transaction around many local-only item writes (each keeps its own savepoint)."""
    return database.atomic()


def import_card(
    binding: Binding, href: str, etag: str, text: str, uid: str, facts: Facts | None = None
) -> int:
    """A server card becomes a new contact; returns its id.

    The hash ignores the UID, so a UID added to a card without one changes nothing.
    """
    summary, content_hash = _facts(text, facts)
    if not summary.uid:  # (a card with a UID keeps it)
        text = vcard.ensure_uid(text, uid)
    with database.atomic():
        c = Contact(book=binding.book_id, uid=uid)
        fill_columns(c, text, summary, content_hash)
        _insert_contact(c)
        _put_state(
            binding,
            href=href,
            etag=etag,
            uid=uid,
            remote_hash=content_hash,
            local_hash=c.hash,
            contact_id=c.id,
            new_contact=True,
        )
    return int(c.id)


def overwrite_local(
    binding: Binding,
    contact_id: int,
    href: str,
    etag: str,
    text: str,
    uid: str,
    *,
    reason: str,
    note: str = "",
    restore: bool = False,
    facts: Facts | None = None,
) -> None:
    """Replace a contact with the server card; the old version goes to its history."""
    summary, content_hash = _facts(text, facts)
    if uid != (summary.uid or ""):
        text = vcard.set_uid(text, uid)
    with database.atomic():
        c = Contact.get_by_id(contact_id)
        if c.vcard != text:
            ContactVersion.create(contact=c, vcard=c.vcard, reason=reason, note=note)
        fill_columns(c, text, summary, content_hash)
        c.uid = uid
        c.modified = utcnow()
        if restore:
            c.deleted_at = None
            Tombstone.delete().where(
                (Tombstone.book == c.book_id) & (Tombstone.uid == uid)
            ).execute()
        c.save()
        _put_state(
            binding,
            href=href,
            etag=etag,
            uid=uid,
            remote_hash=content_hash,
            local_hash=c.hash,
            contact_id=c.id,
        )


def trash_from_server(binding: Binding, contact_id: int, href: str) -> None:
    """Deleted on the server: the contact goes to the trash (no tombstone), state goes."""
    with database.atomic():
        Contact.update(deleted_at=utcnow()).where(Contact.id == contact_id).execute()
        ItemState.delete().where(
            (ItemState.binding == binding) & (ItemState.href == href)
        ).execute()


def record_upload(
    binding: Binding,
    contact_id: int,
    href: str,
    etag: str,
    uid: str,
    uploaded_text: str,
    *,
    history_text: str | None = None,
    history_note: str = "",
) -> None:
    """A contact is on the server now: remember both sides as equal."""
    with database.atomic():
        c = Contact.get_by_id(contact_id)
        if history_text is not None:
            ContactVersion.create(
                contact=c, vcard=history_text, reason="conflict", note=history_note
            )
        _put_state(
            binding,
            href=href,
            etag=etag,
            uid=uid,
            remote_hash=vcard.normalized_hash(uploaded_text),
            local_hash=c.hash,
            contact_id=contact_id,
        )


def link(
    binding: Binding, contact_id: int, href: str, etag: str, uid: str, remote_hash: str
) -> None:
    """Same contact on both sides: remember it; a name+e-mail match takes the server UID."""
    with database.atomic():
        c = Contact.get_by_id(contact_id)
        if c.uid != uid:
            c.vcard = vcard.set_uid(c.vcard, uid)
            c.uid = uid
            c.save()
        _put_state(
            binding,
            href=href,
            etag=etag,
            uid=uid,
            remote_hash=remote_hash,
            local_hash=c.hash,
            contact_id=contact_id,
        )


def forget_state(binding: Binding) -> None:
    """Drop everything a binding remembers (item states, token, ctag, first-run mark)."""
    ItemState.delete().where(ItemState.binding == binding).execute()
    binding.sync_token = None
    binding.ctag = None
    binding.last_sync = None


def drop_token(binding: Binding) -> None:
    """Forget the sync token (committed at once): the next listing will be a full one."""
    Binding.update(sync_token=None).where(Binding.id == binding.id).execute()
    binding.sync_token = None


def forget(binding: Binding, href: str) -> None:
    ItemState.delete().where((ItemState.binding == binding) & (ItemState.href == href)).execute()


def remember_server_only(
    binding: Binding, href: str, etag: str, uid: str, remote_hash: str
) -> None:
    """A server card Contactbox leaves alone (OneWay): known, so deltas stay complete."""
    _put_state(
        binding,
        href=href,
        etag=etag,
        uid=uid,
        remote_hash=remote_hash,
        local_hash="",
        contact_id=None,
    )


def refresh(binding: Binding, href: str, etag: str, remote_hash: str | None = None) -> None:
    fields: dict[object, str] = {ItemState.etag: etag}
    if remote_hash is not None:
        fields[ItemState.remote_hash] = remote_hash
    ItemState.update(fields).where(
        (ItemState.binding == binding) & (ItemState.href == href)
    ).execute()


def wipe_for_recreate(binding: Binding, next_option: str) -> list[int]:
    """ "Neu anlegen": the local book goes to the trash, its memory is cleared.

    In the same transaction the binding switches to the option it continues with, so
    an interrupted run resumes importing instead of wiping the book a second time.
    """
    with database.atomic():
        book = binding.book
        ids = [
            row[0]
            for row in Contact.select(Contact.id)
            .where((Contact.book == book) & Contact.deleted_at.is_null())
            .tuples()
        ]
        if ids:
            Contact.update(deleted_at=utcnow()).where(Contact.id.in_(ids)).execute()
        Tombstone.delete().where(Tombstone.book == book).execute()
        for other in Binding.select().where(Binding.book == book):
            ItemState.delete().where(ItemState.binding == other).execute()
            other.sync_token = None
            other.ctag = None
            other.save()
        binding.option = next_option
        binding.sync_token = None
        binding.ctag = None
        binding.save()
    return ids


def finish_binding(
    binding: Binding, *, token: str | None, ctag: str | None, save_position: bool, status: str
) -> None:
    with database.atomic():
        if save_position:
            binding.sync_token = token
            binding.ctag = ctag
        binding.last_sync = utcnow()
        binding.last_status = status
        binding.save()


def live_uid_exists(book: AddressBook, uid: str) -> bool:
    return find_live_by_uid(book, uid) is not None


def account_of(binding: Binding) -> Account:
    return binding.account
