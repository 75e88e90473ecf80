"""The address book's side of a sync: contacts as the planner sees them and the per-item writes.

The contact row and its state row always change together, so a crash leaves an item
fully before or fully after its change. Server writes happen before these calls and
commit one by one; runs of local-only writes share a transaction (`syncbase.batch`).
The writes that touch only the state (forget, refresh, token, finish) are shared with
calendars in `app.store.syncbase`.
"""

from __future__ import annotations

from collections.abc import Sequence

from peewee import SQL

from app import vcard
from app.items import LocalItem
from app.store import syncbase
from app.store.basetexts import keeps_bases, put_base
from app.store.contact_columns import ROW_COLUMNS, contact_row, fill_columns, match_key
from app.store.models import (
    AddressBook,
    Binding,
    Contact,
    ContactVersion,
    ItemState,
    Tombstone,
    database,
    utcnow,
)
from app.store.reattach import remember_for_reattach
from app.store.syncbase import (
    ITEMS,
    LocalChanged,
    Seen,
    bulk_write,
    check_seen,
    put_state,
    write,
)

GROUP = "group"  # Contact.kind of a group card (RFC 6350 §6.1.4 KIND:group, Apple's too)
# The condition as a literal, so SQLite uses the partial index `contact_group_card`.
_IS_GROUP = SQL("kind = 'group'")


def _key(fn: str, email: str, kind: str) -> str:
    """A contact's first-run match key; a group card's is "" (matched by UID only: a
    group "Presse" is neither the person "Presse" nor another group of that name)."""
    return "" if kind == GROUP else match_key(fn, email)


def local_items(book: AddressBook) -> list[LocalItem]:
    """The live contacts of a book as the planner sees them (no vCard text loaded)."""
    q = Contact.select(
        Contact.id, Contact.uid, Contact.hash, Contact.fn, Contact.email, Contact.kind
    ).where((Contact.book == book) & Contact.deleted_at.is_null())
    return [
        LocalItem(cid, uid, h, _key(fn, email, kind))
        for cid, uid, h, fn, email, kind in syncbase.raw_rows(q)
    ]


def group_cards(book: AddressBook) -> tuple[frozenset[int], frozenset[str]]:
    """The ids and UIDs of the book's group cards, live or in the trash (the sync counts
    them apart from the contacts)."""
    q = Contact.select(Contact.id, Contact.uid).where((Contact.book == book) & _IS_GROUP)
    rows = list(syncbase.raw_rows(q))
    return frozenset(int(r[0]) for r in rows), frozenset(str(r[1]) for r in rows)


def count_group_cards(book: AddressBook) -> int:
    """The book's live group cards (read by the group cards' partial index: the few group
    cards are filtered, not the book's contacts)."""
    q = Contact.select(Contact.deleted_at).where((Contact.book == book) & _IS_GROUP)
    return sum(1 for (deleted,) in syncbase.raw_rows(q) if deleted is None)


def tombstone_uids(book: AddressBook) -> frozenset[str]:
    return frozenset(t.uid for t in Tombstone.select(Tombstone.uid).where(Tombstone.book == book))


def upload_source(contact_id: int) -> tuple[str, str, str]:
    """(vCard text, UID, hash) of a contact, read together for an upload."""
    row = (
        Contact.select(Contact.vcard, Contact.uid, Contact.hash)
        .where(Contact.id == contact_id)
        .tuples()
        .get()
    )
    return str(row[0]), str(row[1]), str(row[2])


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


Facts = tuple["vcard.CardSummary", str]  # a card's summary and normalized hash, if known


def current_hash(contact_id: int) -> str | None:
    """The contact's hash as stored now; None if it is trashed or gone."""
    row = (
        Contact.select(Contact.hash, Contact.deleted_at)
        .where(Contact.id == contact_id)
        .tuples()
        .first()
    )
    return row[0] if row is not None and row[1] is None else None


def local_item(contact_id: int) -> LocalItem | None:
    """One live contact as the planner sees it (None: trashed or gone)."""
    row = (
        Contact.select(
            Contact.id, Contact.uid, Contact.hash, Contact.fn, Contact.email, Contact.kind
        )
        .where((Contact.id == contact_id) & Contact.deleted_at.is_null())
        .tuples()
        .first()
    )
    if row is None:
        return None
    cid, uid, h, fn, email, kind = row
    return LocalItem(cid, uid, h, _key(fn, email, kind))


def _facts(text: str, facts: Facts | None) -> Facts:
    return facts if facts is not None else vcard.summarize_and_hash(text)


def import_card(
    binding: Binding, href: str, etag: str, text: str, uid: str, facts: Facts | None = None
) -> int:
    """A server card becomes a new contact; returns its id.

    The hash ignores the UID, so a UID added to a card without one changes nothing —
    and the contact stored is the synced version by hash, so it keeps no base row
    (app.store.basetexts: its first change puts it into the history).
    """
    summary, content_hash = _facts(text, facts)
    received = text  # the base of a later merge (if one is needed): the card as received
    if not summary.uid:  # (a card with a UID keeps it)
        text = vcard.ensure_uid(text, uid)
    with write():
        c = Contact(book=binding.book_id, uid=uid)
        fill_columns(c, text, summary, content_hash)
        _insert_contact(c)
        put_state(ITEMS, binding, href, etag, uid, content_hash, c.hash, c.id, new_item=True)
        # (an earlier state row of the href may have left one: `put_base` drops it)
        put_base(binding, href, received, content_hash, local_hash=c.hash, stored_hash=c.hash)
    return int(c.id)


#: One new card for `import_cards`: href, ETag, text, UID and its summary and hash.
NewCard = tuple[str, str, str, str, Facts]


def import_cards(binding: Binding, cards: Sequence[NewCard]) -> list[int]:
    """Server cards become new contacts in one write, each with its state row; returns
    their ids in order. The same rows as `import_card` per card, in two statements.

    The ids are assigned here, after the highest one in use: the write lock (BEGIN
    IMMEDIATE, or the batch around this) is held from reading it to the inserts, so no
    other writer can take one of them. Each contact is stored as received (its hash is
    the card's), so none needs a base row (app.store.basetexts); one left by an earlier
    state row of the same href goes, in one statement for all. Inside a batch there is no
    savepoint: a failure leaves the batch to be rolled back whole (`syncbase.bulk_write`).
    """
    if not cards:
        return []
    now = utcnow()
    book_id = int(binding.book_id)
    with bulk_write():
        top = database.execute_sql("SELECT max(id) FROM contact").fetchone()[0]
        first = int(top or 0) + 1
        contacts: list[tuple[object, ...]] = []
        states: list[list[object]] = []
        for i, (href, etag, text, uid, (summary, content_hash)) in enumerate(cards):
            # (the contact's hash, its state's local and remote hash: all content_hash,
            # so `needs_base` is False for every card)
            if not summary.uid:  # (a card with a UID keeps it)
                text = vcard.ensure_uid(text, uid)
            cid = first + i
            contacts.append(contact_row(cid, book_id, uid, text, summary, content_hash, now))
            states.append([binding.id, href, etag, uid, content_hash, content_hash, cid])
        marks = ", ".join("?" * len(contacts[0]))
        cursor = database.cursor()
        cursor.executemany(f"INSERT INTO contact ({ROW_COLUMNS}) VALUES ({marks})", contacts)
        cursor.executemany(ITEMS.upsert_sql(), states)
        if keeps_bases(binding):  # no dead rows: a base of an earlier state of the href
            cursor.execute(
                "DELETE FROM item_base WHERE state_id IN (SELECT id FROM item_state "
                "WHERE binding_id = ? AND contact_id BETWEEN ? AND ?)",
                (binding.id, first, first + len(cards) - 1),
            )
    return list(range(first, first + len(cards)))


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
    seen: Seen | None = None,
) -> None:
    """Replace a contact with the server card; the old version goes to its history.

    `seen`: the contact as the plan saw it; if it changed since (an edit, a deletion or a
    restore in the meantime), nothing is written and LocalChanged is raised.
    """
    summary, content_hash = _facts(text, facts)
    received = text  # the base of a later merge (if one is needed): the card as received
    if uid != (summary.uid or ""):
        text = vcard.set_uid(text, uid)
    with write():
        check_seen(seen, current_hash(contact_id))
        c = Contact.get_or_none(Contact.id == contact_id)
        if c is None and restore:
            # Purged from the trash before its deletion reached the server, and changed
            # there meanwhile: the server's version wins (SPEC), back as a new contact.
            Tombstone.delete().where(
                (Tombstone.book == binding.book_id) & (Tombstone.uid == uid)
            ).execute()
            import_card(binding, href, etag, text, uid, facts=(summary, content_hash))
            return
        if c is None:
            raise LocalChanged()
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
        put_base(binding, href, received, content_hash, local_hash=c.hash, stored_hash=c.hash)


def trash_from_server(
    binding: Binding, contact_id: int, href: str, *, seen: Seen | None = None
) -> None:
    """Deleted on the server: the contact goes to the trash (no tombstone), state goes.

    `seen`: as in `overwrite_local`; a contact the user trashed meanwhile stays trashed.
    """
    with write():
        now = current_hash(contact_id)
        if now is not None:  # (trashed meanwhile by the user as well: it stays trashed)
            check_seen(seen, now)
        Contact.update(deleted_at=utcnow()).where(
            (Contact.id == contact_id) & Contact.deleted_at.is_null()
        ).execute()
        syncbase.forget(ITEMS, binding, href)


def record_upload(
    binding: Binding,
    contact_id: int,
    href: str,
    etag: str,
    uid: str,
    uploaded_text: str,
    *,
    sent_hash: str,
    history_text: str | None = None,
    history_note: str = "",
) -> None:
    """A contact is on the server now, as `uploaded_text`: remember both sides as equal.

    `sent_hash` is the contact's hash when its text was read for the upload: the state
    records that version as synced, so an edit saved while the upload was in flight
    differs from it and goes up with the next run. A contact matched by name + e-mail
    takes the server card's UID here, once the server has accepted the write.
    """
    remote_hash = vcard.normalized_hash(uploaded_text)
    with write():
        c = Contact.get_by_id(contact_id)
        if history_text is not None:
            ContactVersion.create(
                contact=c, vcard=history_text, reason="conflict", note=history_note
            )
        _adopt_uid(c, uid)
        put_state(ITEMS, binding, href, etag, uid, remote_hash, sent_hash, contact_id)
        # A base only where the server's text differs from the one stored here (converted
        # for the upload, changed by the server, or an edit saved while it was in flight).
        put_base(
            binding, href, uploaded_text, remote_hash, local_hash=sent_hash, stored_hash=c.hash
        )


def _adopt_uid(c: Contact, uid: str) -> None:
    """The contact takes `uid` (UID line and column); its hash ignores the UID."""
    if c.uid != uid:
        Contact.update(vcard=vcard.set_uid(c.vcard, uid), uid=uid).where(
            Contact.id == c.id
        ).execute()


def link(
    binding: Binding,
    contact_id: int,
    href: str,
    etag: str,
    uid: str,
    remote_hash: str,
    *,
    seen: Seen | None = None,
    base: str | None = None,
) -> None:
    """Same contact on both sides: remember it; a name+e-mail match takes the server UID.

    The state records the contact as the plan saw it (`seen`), equal to the server card:
    an edit saved since is then a local change that the next run uploads. A contact that
    was trashed meanwhile raises LocalChanged. `base`: the server's card, kept as the
    synced version where the contact's stored text is not (app.store.basetexts).
    """
    with write():
        c = Contact.get_or_none((Contact.id == contact_id) & Contact.deleted_at.is_null())
        if c is None:
            raise LocalChanged()
        _adopt_uid(c, uid)
        local_hash = seen.hash if seen is not None and seen.hash is not None else c.hash
        put_state(ITEMS, binding, href, etag, uid, remote_hash, local_hash, contact_id)
        # the server's card (same content): the base of a later merge, if one is needed
        put_base(binding, href, base, remote_hash, local_hash=local_hash, stored_hash=c.hash)


def forget_state(binding: Binding) -> None:
    """Drop everything a binding remembers (item states, token, ctag, first-run mark)."""
    syncbase.forget_state(ITEMS, binding)


def wipe_for_recreate(binding: Binding, next_option: str) -> int:
    """ "Neu anlegen": the local book goes to the trash, its memory is cleared; returns
    how many contacts went.

    In the same transaction the binding switches to the option it continues with, so
    an interrupted run resumes importing instead of wiping the book a second time, and
    the contacts with appointments or follow-ups are remembered for re-attachment
    (`reattach.reattach_pending`, done by this run or, interrupted, by a later one).
    """
    with write():
        book = binding.book
        remember_for_reattach(binding)
        wiped = (
            Contact.update(deleted_at=utcnow())
            .where((Contact.book == book) & Contact.deleted_at.is_null())
            .execute()
        )
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


def trashed_version(book: AddressBook, uid: str) -> tuple[int, str] | None:
    """(id, hash) of the contact deleted in Contactbox under `uid`, while it is in the
    trash (the one its tombstone names); None: no tombstone, or the trash was emptied."""
    row = (
        Contact.select(Contact.id, Contact.hash)
        .join(Tombstone, on=(Tombstone.contact_id == Contact.id))
        .where(
            (Tombstone.book == book) & (Tombstone.uid == uid) & Contact.deleted_at.is_null(False)
        )
        .tuples()
        .first()
    )
    return (int(row[0]), str(row[1])) if row is not None else None
