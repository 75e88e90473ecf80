"""Local address books and contacts: create, edit, trash, restore, history, search.

Every change of a contact and the rows that depend on it commit in one transaction.
Deleting a contact that was synced leaves a tombstone so imports do not bring it back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import SQL
from peewee import fn as sqlfn

from app import vcard
from app.i18n import _
from app.store.basetexts import prune_trashed
from app.store.collation import search_forms
from app.store.contact_columns import fill_columns
from app.store.contact_columns import match_key as match_key  # (callers' home of it)
from app.store.live_count import count_live as count_live  # (callers' home of it)
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
from app.store.names import STANDARD_BOOK, book_display_name, stored_book_name
from app.store.reattach import reattach_pending


class StoreError(Exception):
    """A store operation the user asked for cannot be done; message in the user's language."""


@dataclass(frozen=True)
class ContactRow:
    """A contact as the list, CLI and reports see it (no peewee object leaks out)."""

    id: int
    book: str
    uid: str
    fn: str
    email: str
    phone: str
    org: str
    modified: datetime
    deleted_at: datetime | None
    given: str = ""
    family: str = ""


def _row(c: Contact, book_name: str | None = None) -> ContactRow:
    """A contact as a row; pass the book's name when known (saves a query per row)."""
    return ContactRow(
        id=c.id,
        book=c.book.name if book_name is None else book_name,
        uid=c.uid,
        fn=c.fn,
        email=c.email,
        phone=c.phone,
        org=c.org,
        modified=c.modified,
        deleted_at=c.deleted_at,
        given=c.given,
        family=c.family,
    )


# ---------------------------------------------------------------- address books


def list_books() -> list[str]:
    return [b.name for b in AddressBook.select().order_by(AddressBook.id)]


def get_book(name: str) -> AddressBook:
    """The book called `name` (else "Standard" by its name as shown, app.store.names)."""
    book = AddressBook.get_or_none(AddressBook.name == name) or AddressBook.get_or_none(
        AddressBook.name == stored_book_name(name, [STANDARD_BOOK])
    )
    if book is None:
        raise StoreError(
            _("Das Adressbuch „{name}“ gibt es in Contactbox nicht.").format(name=name)
        )
    return book


def find_book(name: str) -> AddressBook | None:
    """The book called `name`, None if there is none (e.g. removed by another process)."""
    return AddressBook.get_or_none(AddressBook.name == name)


def ensure_book(name: str) -> AddressBook:
    book, _ = AddressBook.get_or_create(name=name)
    return book


#: A person (or organisation) card, not a group card: what lists and counts show.
PERSON = Contact.kind == ""


def where_group(query: Any, book: AddressBook, group: str) -> Any:  # a peewee query
    """`query` narrowed to the members of the group `group` of `book`: contacts with the
    category, or named (by UID) by a live group card of that name (app.store.groups)."""
    by_card = SQL(
        "(SELECT j.value FROM contact g, json_each(g.members) j WHERE g.book_id = ? "
        "AND g.kind = 'group' AND g.deleted_at IS NULL AND g.fn = ? AND g.members != '')",
        [book.id, group],
    )
    by_category = sqlfn.instr(Contact.categories, "\x1f" + group + "\x1f") > 0
    return query.where(by_category | Contact.uid.in_(by_card))


# ---------------------------------------------------------------- contacts


def add_contact(book: AddressBook, text: str) -> Contact:
    """Store a new contact from vCard text; a card without UID gets a new one."""
    s = vcard.summarize(text)
    uid = s.uid or str(uuid.uuid4()).upper()
    text = vcard.ensure_uid(text, uid)
    with database.atomic():
        if find_live_by_uid(book, uid) is not None:
            raise StoreError(
                _("Im Adressbuch „{book}“ gibt es bereits einen Kontakt mit der UID {uid}.").format(
                    book=book_display_name(book.name), uid=uid
                )
            )
        c = Contact(book=book, uid=uid)
        fill_columns(c, text)
        c.save()
    return c


def find_live_by_uid(book: AddressBook, uid: str) -> Contact | None:
    return (
        Contact.select()
        .where((Contact.book == book) & (Contact.uid == uid) & Contact.deleted_at.is_null())
        .first()
    )


def get_contact(contact_id: int) -> Contact:
    c = Contact.get_or_none(Contact.id == contact_id)
    if c is None:
        raise StoreError(_("Den Kontakt Nr. {id} gibt es nicht.").format(id=contact_id))
    return c


#: The columns `fill_columns` sets from a card, and the time of the change.
_CARD_COLUMNS = (
    "vcard", "fn", "given", "family", "org", "email", "phone", "search",
    "sort_fn", "sort_given", "sort_family", "sort_org", "hash", "kind", "members",
    "categories", "modified",
)  # fmt: skip


def update_contact(contact: Contact, text: str, reason: str = "edit", note: str = "") -> None:
    """Replace a contact's card, keeping the card it replaces in its history.

    The card kept is the one stored now, read under the write lock — not the caller's
    copy, which may be older (the editor was open while a sync wrote the server's
    version): that version goes to the history instead of being lost. Only the card's
    columns are written, so a trash or UID change made meanwhile is not set back.
    """
    if text == contact.vcard:
        return
    with database.atomic("IMMEDIATE"):
        row = Contact.select(Contact.vcard).where(Contact.id == contact.id).tuples().first()
        before = row[0] if row is not None else contact.vcard
        if text != before:
            ContactVersion.create(contact=contact, vcard=before, reason=reason, note=note)
        fill_columns(contact, text)
        contact.modified = utcnow()
        contact.save(only=[getattr(Contact, name) for name in _CARD_COLUMNS])


def _synced_href(contact: Contact) -> str | None:
    st = ItemState.select().where(ItemState.contact_id == contact.id).first()
    return st.href if st is not None else None


def delete_contact(contact: Contact) -> None:
    """Move a contact to the trash; a synced contact leaves a tombstone."""
    if contact.deleted_at is not None:
        return
    with database.atomic():
        contact.deleted_at = utcnow()
        contact.save()
        href = _synced_href(contact)
        if href is not None:
            Tombstone.insert(
                book=contact.book, uid=contact.uid, href=href, contact_id=contact.id
            ).on_conflict_replace().execute()


def restore_contact(contact: Contact, *, undo: bool = False) -> None:
    """Take a contact out of the trash; its tombstone goes, so it syncs again.

    The contact keeps its id, UID, card and sync state: restored before the next sync,
    the sync finds it as it left it and has nothing to do. `undo` ("Rückgängig" right
    after deleting) also keeps its time of change, as if it had never been deleted;
    otherwise the restore counts as a change.
    """
    if contact.deleted_at is None:
        return
    with database.atomic():
        if find_live_by_uid(contact.book, contact.uid) is not None:
            raise StoreError(
                _(
                    "Ein Kontakt mit derselben UID ist bereits vorhanden; der Kontakt kann "
                    "nicht wiederhergestellt werden."
                )
            )
        contact.deleted_at = None
        if not undo:
            contact.modified = utcnow()
        contact.save()
        Tombstone.delete().where(
            (Tombstone.book == contact.book) & (Tombstone.uid == contact.uid)
        ).execute()


def empty_trash(book: AddressBook) -> int:
    """Delete the trashed contacts of a book for good; returns how many.

    Appointments and follow-ups of a contact an interrupted "Neu anlegen" wiped move to
    its new counterpart first, where it has arrived (`reattach_pending`); the others lose
    their link with the contact. Set-based: no list of ids (books of any size).
    """
    with database.atomic():
        for binding in Binding.select().where(Binding.book == book):
            reattach_pending(binding)
        Tombstone.delete().where(Tombstone.book == book).execute()
        prune_trashed(book.id)  # (their state rows stay until the server heard of it)
        n = (
            Contact.delete()
            .where((Contact.book == book) & Contact.deleted_at.is_null(False))
            .execute()
        )
    return int(n)


def list_contacts(
    book: AddressBook,
    *,
    trash: bool = False,
    search: str = "",
    limit: int | None = None,
    group: str = "",
) -> list[ContactRow]:
    """The matching contacts of `book` in name order (the CLI's list): the same search
    as the contact list (`where_search`: every word, folded, see app.store.collation);
    `group`: only its members. Group cards are no contacts here (the trash lists them,
    so a deleted group can be restored)."""
    q = Contact.select(Contact, AddressBook).join(AddressBook).where(Contact.book == book)
    q = q.where(Contact.deleted_at.is_null(not trash))
    if not trash:
        q = q.where(PERSON)
    if group:
        q = where_group(q, book, group)
    q = where_search(q, search)
    q = q.order_by(Contact.sort_fn, Contact.id)
    if limit:
        q = q.limit(limit)
    return [_row(c) for c in q]


def find_contacts(book: AddressBook, ref: str, *, trash: bool = False) -> list[Contact]:
    """Contacts named by id, UID, or exact formatted name in any case ("käthe weiß" finds
    "Käthe Weiß": Unicode case folding, which SQLite's lower() lacks; the search index
    narrows the rows first)."""
    q = Contact.select().where((Contact.book == book) & Contact.deleted_at.is_null(not trash))
    if not trash:
        q = q.where(PERSON)
    if ref.isdigit():
        c = q.where(Contact.id == int(ref)).first()
        if c is not None:
            return [c]
    by_uid = list(q.where(Contact.uid == ref))
    if by_uid:
        return by_uid
    key = ref.strip().casefold()
    if not key:
        return []
    return [c for c in where_search(q, ref) if (c.fn or "").strip().casefold() == key]


def history(contact: Contact) -> list[ContactVersion]:
    return list(contact.versions.order_by(ContactVersion.created.desc(), ContactVersion.id.desc()))


def live_contacts(book: AddressBook) -> Iterable[Contact]:
    return Contact.select().where((Contact.book == book) & Contact.deleted_at.is_null())


# ---------------------------------------------------------------- paged lists (contacts view)

#: The columns of a contact list, in their default order (ContactRow field names).
#: Names and organizations sort in German dictionary order, numbers by value
#: (app.store.collation).
SORT_COLUMNS: tuple[str, ...] = ("fn", "email", "phone", "org", "given", "family", "modified")


def _order_key(order: str) -> Any:  # a peewee expression
    if order in ("fn", "given", "family", "org"):
        return getattr(Contact, f"sort_{order}")
    if order == "email":
        return Contact.email.collate("NOCASE")
    if order in ("phone", "modified"):
        return getattr(Contact, order)
    raise ValueError(f"cannot order contacts by {order!r}")


@dataclass(frozen=True)
class BookCount:
    """A local address book with how many contacts it holds and how many are in the trash."""

    name: str
    live: int
    trashed: int
    #: How the book is synced: (operation, option, account label, server book name) per
    #: enabled binding; empty for a purely local book.
    syncs: tuple[tuple[str, str, str, str], ...] = ()


def book_counts() -> list[BookCount]:
    """Every local address book (in creation order) with its counts and its syncs."""
    live: dict[int, int] = {}
    trashed: dict[int, int] = {}
    # All rows by book and state in a list index, less the live group cards (see
    # `count_live`): no card is read. The trash counts group cards too (it lists them).
    for book_id, alive, n in database.execute_sql(
        "SELECT book_id, deleted_at IS NULL, COUNT(*) FROM contact GROUP BY 1, 2"
    ):
        (live if alive else trashed)[int(book_id)] = int(n)
    for book_id, n in database.execute_sql(
        "SELECT book_id, COUNT(*) FROM contact WHERE kind = 'group' AND +deleted_at IS NULL "
        "GROUP BY 1"
    ):
        live[int(book_id)] = live.get(int(book_id), 0) - int(n)
    syncs = book_syncs()
    return [
        BookCount(b.name, live.get(b.id, 0), trashed.get(b.id, 0), syncs.get(b.id, ()))
        for b in AddressBook.select().order_by(AddressBook.id)
    ]


def book_syncs() -> dict[int, tuple[tuple[str, str, str, str], ...]]:
    """Book id -> its enabled syncs (operation, option, account, server book): what the
    book list shows of the bindings (not their last run, which a tray tick changes)."""
    syncs: dict[int, list[tuple[str, str, str, str]]] = {}
    query = (
        Binding.select(Binding, Account.label)
        .join(Account)
        .where(Binding.enabled == True)  # noqa: E712
        .order_by(Binding.id)
    )
    for b in query:
        syncs.setdefault(int(b.book_id), []).append(
            (b.operation, b.option, b.account.label, b.remote_name or b.remote_href)
        )
    return {book: tuple(entries) for book, entries in syncs.items()}


_LIST_FIELDS = (
    "id",
    "uid",
    "fn",
    "email",
    "phone",
    "org",
    "modified",
    "deleted_at",
    "given",
    "family",
)


def where_search(query: Any, search: str) -> Any:  # a peewee query
    """`query` narrowed to the contacts `search` finds: every word of it, in any case and
    spelling of umlauts and accents ("mueller", "muller" → "Müller"), is part of the name,
    organization, an e-mail or a phone (app.store.collation.search_forms). Substrings
    (LIKE), so SQLite scans the narrow search index, never the cards."""
    for forms in search_forms(search):
        term = Contact.search.contains(forms[0])
        for form in forms[1:]:
            term = term | Contact.search.contains(form)
        query = query.where(term)
    return query


def _filtered(
    book: AddressBook, search: str, trash: bool, group: str = ""
) -> Any:  # a peewee query
    """The list columns only: the vCard text (up to 30 KB with a photo) stays on disk.
    Group cards are listed only in the trash (so a deleted group can be restored)."""
    q = Contact.select(*(getattr(Contact, f) for f in _LIST_FIELDS)).where(
        (Contact.book == book) & Contact.deleted_at.is_null(not trash)
    )
    if not trash:
        q = q.where(PERSON)
    if group:
        q = where_group(q, book, group)
    return where_search(q, search)


def count_contacts(
    book: AddressBook, *, search: str = "", trash: bool = False, group: str = ""
) -> int:
    """How many contacts of `book` (of its group `group`) match `search` (every word, in
    name/e-mail/phone/org, folded: see `where_search`)."""
    if not (search or trash or group):
        return count_live(book)  # without reading a row
    return int(_filtered(book, search, trash, group).count())


#: Up to this many search matches, a page sorts just the matches instead of walking the
#: sort index past every non-matching contact (a rare word in 50,000: 1.1 s → 60 ms).
SMALL_MATCH = 5000


def page_query(
    book: AddressBook,
    *,
    search: str = "",
    trash: bool = False,
    order: str = "fn",
    descending: bool = False,
    matches: int | None = None,
    group: str = "",
) -> Any:  # a peewee query
    """The ordered query behind page_contacts; every order is served by an index
    (see app.store.db.LIST_INDEXES), so a page deep in a 50,000-contact book is cheap.

    `matches` (how many contacts the search finds, when the caller knows) picks the
    plan for a search: few matches are collected through the narrow search index and
    sorted; many are found quickly along the sort index.
    """
    key = _order_key(order)
    tie = [Contact.sort_fn, Contact.id] if order != "fn" else [Contact.id]
    if search.split() and matches is not None and matches <= SMALL_MATCH:
        ids = _filtered(book, search, trash, group).select(Contact.id)
        q = Contact.select(*(getattr(Contact, f) for f in _LIST_FIELDS)).where(Contact.id.in_(ids))
    else:
        q = _filtered(book, search, trash, group)
    return q.order_by(*(k.desc() if descending else k.asc() for k in (key, *tie)))


def page_contacts(
    book: AddressBook,
    *,
    search: str = "",
    trash: bool = False,
    order: str = "fn",
    descending: bool = False,
    offset: int = 0,
    limit: int = 200,
    matches: int | None = None,
    group: str = "",
) -> list[ContactRow]:
    """One page of the matching contacts, ordered by `order` (German order for names),
    then by name and id so equal values keep a stable order (`matches`: see page_query)."""
    q = page_query(
        book,
        search=search,
        trash=trash,
        order=order,
        descending=descending,
        matches=matches,
        group=group,
    )
    rows = q.offset(max(offset, 0)).limit(max(limit, 0)).tuples()
    return [ContactRow(book=book.name, **dict(zip(_LIST_FIELDS, r, strict=True))) for r in rows]


def contact_position(
    book: AddressBook,
    contact_id: int,
    *,
    search: str = "",
    trash: bool = False,
    order: str = "fn",
    descending: bool = False,
    group: str = "",
) -> int | None:
    """The row of `contact_id` in the list page_contacts pages through (None: not in it).

    Counts the rows ordered before it, with the same (key, name, id) order as page_query,
    so the contact list can scroll to a contact without reading the pages before it.
    """
    me = _filtered(book, search, trash, group).where(Contact.id == contact_id)
    key = _order_key(order)
    keys = [key, Contact.sort_fn, Contact.id] if order != "fn" else [key, Contact.id]
    values = me.select(*keys).tuples().first()
    if values is None:
        return None
    before: Any = None
    # (k1, k2, k3) < (v1, v2, v3) spelled out, so each key keeps its own collation.
    for i in range(len(keys)):
        term = keys[i] > values[i] if descending else keys[i] < values[i]
        for j in range(i):
            term = term & (keys[j] == values[j])
        before = term if before is None else (before | term)
    return int(_filtered(book, search, trash, group).where(before).count())
