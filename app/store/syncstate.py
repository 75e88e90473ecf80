"""The address book's side of a sync: contacts as the planner sees them and the per-item writes.

The contact row and its state row always change together, so a crash leaves an item
fully before or fully after its change. Server writes happen before these calls and
commit one by one; runs of local-only writes share a transaction (`syncbase.batch`).
The writes that touch only the state (forget, refresh, token, finish) are shared with
calendars in `app.store.syncbase`.
"""

from __future__ import annotations

from app import vcard
from app.store import syncbase
from app.store.contacts import fill_columns, find_live_by_uid, match_key, remember_for_reattach
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
from app.store.syncbase import ITEMS, put_state
from app.sync.plan import LocalItem


def local_items(book: AddressBook) -> list[LocalItem]:
    """The live contacts of a book as the planner sees them (no vCard text loaded)."""
    q = Contact.select(Contact.id, Contact.uid, Contact.hash, Contact.fn, Contact.email).where(
        (Contact.book == book) & Contact.deleted_at.is_null()
    )
    return [
        LocalItem(cid, uid, h, match_key(fn, email))
        for cid, uid, h, fn, email in syncbase.raw_rows(q)
    ]


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
    return facts if facts is not None else vcard.summarize_and_hash(text)


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
        put_state(ITEMS, binding, href, etag, uid, content_hash, c.hash, c.id, new_item=True)
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
    if restore and not Contact.select().where(Contact.id == contact_id).exists():
        # Purged from the trash before its deletion reached the server, and changed there
        # meanwhile: the server's version wins (SPEC) and comes back as a new contact.
        with database.atomic():
            Tombstone.delete().where(
                (Tombstone.book == binding.book_id) & (Tombstone.uid == uid)
            ).execute()
            import_card(binding, href, etag, text, uid, facts=(summary, content_hash))
        return
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
        put_state(ITEMS, binding, href, etag, uid, content_hash, c.hash, c.id)


def trash_from_server(binding: Binding, contact_id: int, href: str) -> None:
    """Deleted on the server: the contact goes to the trash (no tombstone), state goes."""
    with database.atomic():
        Contact.update(deleted_at=utcnow()).where(Contact.id == contact_id).execute()
        syncbase.forget(ITEMS, binding, href)


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
        remote_hash = vcard.normalized_hash(uploaded_text)
        put_state(ITEMS, binding, href, etag, uid, remote_hash, c.hash, contact_id)


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
        put_state(ITEMS, binding, href, etag, uid, remote_hash, c.hash, contact_id)


def forget_state(binding: Binding) -> None:
    """Drop everything a binding remembers (item states, token, ctag, first-run mark)."""
    syncbase.forget_state(ITEMS, binding)


def wipe_for_recreate(binding: Binding, next_option: str) -> int:
    """ "Neu anlegen": the local book goes to the trash, its memory is cleared; returns
    how many contacts went.

    In the same transaction the binding switches to the option it continues with, so
    an interrupted run resumes importing instead of wiping the book a second time, and
    the contacts with appointments or follow-ups are remembered for re-attachment
    (`contacts.reattach_pending`, done by this run or, interrupted, by a later one).
    """
    with database.atomic():
        book = binding.book
        remember_for_reattach(binding)
        wiped = Contact.update(deleted_at=utcnow()).where(
            (Contact.book == book) & Contact.deleted_at.is_null()
        ).execute()
        Tombstone.delete().where(Tombstone.book == book).execute()
        for other in Binding.select().where(Binding.book == book):
            ItemState.delete().where(ItemState.binding == other).execute()
            other.sync_token = None
            other.ctag = None
            syncbase.save_fields(other, "sync_token", "ctag")
        binding.option = next_option
        binding.sync_token = None
        binding.ctag = None
        syncbase.save_fields(binding, "option", "sync_token", "ctag")
    return int(wiped)


def live_uid_exists(book: AddressBook, uid: str) -> bool:
    return find_live_by_uid(book, uid) is not None


def account_of(binding: Binding) -> Account:
    return binding.account
