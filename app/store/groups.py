"""Contact groups of a local address book (issue 19): what groups a book has, who is in them,
and every change of membership, written into the cards themselves so the sync carries it.

A group is a name. It lives in one or both of two places: a group card (stored like every
card, `Contact.kind == "group"`, its member UIDs in `Contact.members`) and the CATEGORIES of
its members (`Contact.categories`). Members are the live people of the book named by either.
A change is written where the group already lives — a group card in its own dialect
(app.vcard.groups), categories on each member — and a new group where the book's accounts
want it (`Account.group_style`: "categories", "cards" or "both"; a book synced with no account
uses categories, which every client reads as a field). With "both", a change also writes the
form the group lacks. Each change of a card is an ordinary edit (its history keeps the card
it replaces), so the next run uploads it with the usual ETag precondition.
A group with no member in a categories book waits as an `EmptyGroup` row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.i18n import N_, _
from app.store.collation import sort_key
from app.store.contacts import (
    PERSON,
    StoreError,
    add_contact,
    delete_contact,
    update_contact,
    where_group,
)
from app.store.models import AddressBook, Binding, Contact, EmptyGroup, Tombstone, database
from app.store.names import book_display_name

#: How an account writes groups (Account.group_style).
CATEGORIES = "categories"
CARDS = "cards"
BOTH = "both"
STYLES = (CATEGORIES, CARDS, BOTH)

#: Where a group lives (GroupInfo.kind): as categories, as a group card, both, or nowhere
#: yet (a new group without members in a categories book).
KIND_CATEGORIES = "categories"
KIND_CARD = "card"
KIND_BOTH = "both"
KIND_EMPTY = "empty"

_NOTE = N_("Gruppe geändert")  # a version note, in the language of the moment


def _exists() -> str:
    return _("Im Adressbuch „{book}“ gibt es die Gruppe „{name}“ schon.")


MAX_NAME = 200


def default_style(preset: str) -> str:
    """How groups are written for a new account of this server type: Nextcloud and ownCloud
    keep groups as categories (they have no group cards); Kerio, Apple-style and other
    servers as group cards."""
    return CATEGORIES if preset in ("nextcloud", "owncloud") else CARDS


@dataclass(frozen=True)
class GroupInfo:
    """One group of a book: its name, how many of the book's contacts are in it, and where
    it lives (KIND_*)."""

    name: str
    members: int
    kind: str


def book_style(book: AddressBook) -> str:
    """How new groups of `book` are written: the style of the accounts its enabled bindings
    belong to ("both" where they differ); a book synced with no account: categories."""
    styles = {
        b.account.group_style or CARDS
        for b in Binding.select().where((Binding.book == book) & (Binding.enabled == True))  # noqa: E712
    }
    if not styles:
        return CATEGORIES
    return styles.pop() if len(styles) == 1 else BOTH


def _card_dialect(book: AddressBook) -> str:
    """The dialect of a new group card: vCard 4 where a bound server book asks for 4.0,
    else Apple's (a 3.0 card every CardDAV server and client accepts)."""
    from app.vcard import groups as vgroups

    for b in Binding.select(Binding.vcard_versions).where(Binding.book == book):
        if "4.0" in (b.vcard_versions or "").split(","):
            return vgroups.VCARD4
    return vgroups.APPLE


def _live(book: AddressBook) -> Any:  # a peewee expression
    return (Contact.book == book) & Contact.deleted_at.is_null()


def _group_cards(book: AddressBook, name: str | None = None) -> list[Contact]:
    q = Contact.select().where(_live(book) & (Contact.kind == "group"))
    if name is not None:
        q = q.where(Contact.fn == name)
    return list(q.order_by(Contact.id))


def _members_of(card: Contact) -> list[str]:
    return _member_list(card.members)


def _member_list(value: str | None) -> list[str]:
    """The member UIDs of a group card from its `Contact.members` column (JSON)."""
    try:
        return [str(m) for m in json.loads(value or "[]")]
    except ValueError:
        return []


def _categories(c: Contact | str) -> list[str]:
    value = c if isinstance(c, str) else c.categories
    return [x for x in (value or "").split("\x1f") if x]


def list_groups(book: AddressBook) -> list[GroupInfo]:
    """The groups of `book` in German name order, each with its live members counted once
    (a contact both in the category and on the group card counts once).

    The window's group tree reads this after every change in the store, so it reads only
    what it counts: each distinct set of categories once with its count, and the member
    UIDs of the group cards, checked against the book's UIDs — no vCard text, no row
    objects (bench/groups_ui.py: 10,000 contacts in 50 groups)."""
    live = "book_id = ? AND deleted_at IS NULL AND kind = ''"
    # Group cards through their partial index (`+`: not the list index on deleted_at).
    cards = database.execute_sql(
        "SELECT uid, fn, members FROM contact WHERE book_id = ? AND +deleted_at IS NULL "
        "AND kind = 'group'",
        (book.id,),
    ).fetchall()
    on_cards: dict[str, set[str]] = {}
    for _uid, name, value in cards:
        on_cards.setdefault(name, set()).update(_member_list(value))
    if on_cards:
        named = set().union(*on_cards.values())
        # The book's UIDs from the covering (book, uid) index (no row read); a UID that also
        # has a trashed row or is a group card's is checked against its live rows.
        known = {
            u
            for (u,) in database.execute_sql(
                "SELECT uid FROM contact WHERE book_id = ?", (book.id,)
            )
        }
        unsure = {uid for uid, _name, _value in cards} | {
            u
            for (u,) in database.execute_sql(
                "SELECT uid FROM contact WHERE book_id = ? AND deleted_at IS NOT NULL", (book.id,)
            )
        }
        people = (named & known) - unsure
        for u in named & known & unsure:
            if database.execute_sql(
                "SELECT 1 FROM contact WHERE book_id = ? AND uid = ? AND +deleted_at IS NULL "
                "AND kind = ''",
                (book.id, u),
            ).fetchone():
                people.add(u)
        for who in on_cards.values():
            who &= people
    # Categories: each distinct combination once with its count; the UIDs only where a
    # group also has a card (a member in both counts once).
    in_categories: dict[str, int] = {}
    for value, n in database.execute_sql(
        f"SELECT categories, COUNT(*) FROM contact WHERE {live} AND categories != '' "
        "GROUP BY categories",
        (book.id,),
    ):
        for name in set(_categories(value)):
            in_categories[name] = in_categories.get(name, 0) + n
    both = in_categories.keys() & on_cards.keys()
    if both:
        for uid, value in database.execute_sql(
            f"SELECT uid, categories FROM contact WHERE {live} AND categories != ''", (book.id,)
        ):
            for name in both.intersection(_categories(value)):
                on_cards[name].add(uid)
    members: dict[str, int] = {name: len(who) for name, who in on_cards.items()}
    kinds: dict[str, set[str]] = {name: {KIND_CARD} for name in on_cards}
    for name, n in in_categories.items():
        if name not in both:
            members[name] = n
        kinds.setdefault(name, set()).add(KIND_CATEGORIES)
    for (name,) in EmptyGroup.select(EmptyGroup.name).where(EmptyGroup.book == book).tuples():
        members.setdefault(name, 0)
        kinds.setdefault(name, set())
    out = []
    for name, n in members.items():
        k = kinds[name]
        kind = KIND_BOTH if len(k) == 2 else (next(iter(k)) if k else KIND_EMPTY)
        out.append(GroupInfo(name, n, kind))
    return sorted(out, key=lambda g: (sort_key(g.name), g.name))


def count_groups(book: AddressBook) -> int:
    return len(list_groups(book))


def find_group(book: AddressBook, name: str) -> GroupInfo:
    """The group `name` of `book` (exact name first, else the one name in any case)."""
    groups = list_groups(book)
    exact = [g for g in groups if g.name == name]
    if exact:
        return exact[0]
    folded = [g for g in groups if g.name.casefold() == name.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    if folded:
        spelled = ", ".join(f"„{g.name}“" for g in folded)
        raise StoreError(
            _(
                "Im Adressbuch „{book}“ gibt es mehrere Gruppen dieses Namens ({names}); "
                "bitte schreiben Sie den Namen genau so wie die gewünschte Gruppe."
            ).format(book=book_display_name(book.name), names=spelled)
        )
    raise StoreError(
        _("Im Adressbuch „{book}“ gibt es keine Gruppe „{name}“.").format(
            book=book_display_name(book.name), name=name
        )
    )


def contact_groups(contact: Contact) -> list[str]:
    """The groups `contact` is in (by category or on a group card), in name order."""
    names = set(_categories(contact))
    needle = json.dumps(contact.uid, ensure_ascii=False)
    for card in Contact.select().where(
        _live(contact.book) & (Contact.kind == "group") & Contact.members.contains(needle)
    ):
        if contact.uid in _members_of(card):
            names.add(card.fn)
    return sorted(names, key=lambda n: (sort_key(n), n))


def validate_name(name: str) -> str:
    """The name as stored (trimmed), or StoreError with what is wrong in German."""
    clean = " ".join(name.split())
    if not clean:
        raise StoreError(_("Bitte geben Sie einen Namen für die Gruppe ein."))
    if len(clean) > MAX_NAME:
        raise StoreError(
            _("Der Name der Gruppe ist zu lang (höchstens {n} Zeichen).").format(n=MAX_NAME)
        )
    return clean


def _people(book: AddressBook, contact_ids: Iterable[int]) -> list[Contact]:
    ids = list(dict.fromkeys(contact_ids))
    found: list[Contact] = []
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        found.extend(Contact.select().where(_live(book) & PERSON & Contact.id.in_(part)))
    return found


def _with_category(book: AddressBook, name: str) -> list[Contact]:
    return list(
        Contact.select().where(
            _live(book) & PERSON & (Contact.categories.contains("\x1f" + name + "\x1f"))
        )
    )


def create_group(book: AddressBook, name: str, contact_ids: Iterable[int] = ()) -> GroupInfo:
    """A new group in `book`, written as the book's accounts want it (`book_style`), with the
    given contacts as members. StoreError if the book has a group of that name already."""
    from app.vcard import groups as vgroups

    name = validate_name(name)
    with database.atomic("IMMEDIATE"):
        if any(g.name.casefold() == name.casefold() for g in list_groups(book)):
            raise StoreError(_exists().format(book=book_display_name(book.name), name=name))
        people = _people(book, contact_ids)
        style = book_style(book)
        if style in (CARDS, BOTH):
            uids = [p.uid for p in people]
            add_contact(book, vgroups.new_group_card(name, uids, dialect=_card_dialect(book)))
        if style in (CATEGORIES, BOTH):
            for p in people:
                update_contact(p, vgroups.set_categories(p.vcard, add=[name]), note=_(_NOTE))
            if style == CATEGORIES and not people:
                EmptyGroup.create(book=book, name=name)
        return find_group(book, name)


def add_members(book: AddressBook, name: str, contact_ids: Iterable[int]) -> int:
    """Put contacts into the group `name`; returns how many were not in it before.

    Written where the group lives (its group cards in their own dialect, the categories of
    its members); with the book's style "both" also the form it lacks; a group that lives
    nowhere yet (new, empty) as the book's style says."""
    from app.vcard import groups as vgroups

    with database.atomic("IMMEDIATE"):
        info = find_group(book, name)
        name = info.name
        people = _people(book, contact_ids)
        before = set(_member_ids(book, name))
        style = book_style(book)
        cards = _group_cards(book, name)
        on_cards = (
            info.kind in (KIND_CARD, KIND_BOTH)
            or style == BOTH
            or (info.kind == KIND_EMPTY and style == CARDS)
        )
        as_categories = (
            info.kind in (KIND_CATEGORIES, KIND_BOTH)
            or style == BOTH
            or (info.kind == KIND_EMPTY and style == CATEGORIES)
        )
        uids = [p.uid for p in people]
        if on_cards:
            if not cards:
                add_contact(book, vgroups.new_group_card(name, uids, dialect=_card_dialect(book)))
            for card in cards:
                update_contact(card, vgroups.set_members(card.vcard, add=uids), note=_(_NOTE))
        if as_categories:
            for p in people:
                update_contact(p, vgroups.set_categories(p.vcard, add=[name]), note=_(_NOTE))
        if people:
            EmptyGroup.delete().where(
                (EmptyGroup.book == book) & (EmptyGroup.name == name)
            ).execute()
        return len({p.id for p in people} - before)


def remove_members(book: AddressBook, name: str, contact_ids: Iterable[int]) -> int:
    """Take contacts out of the group `name` wherever they are in it (category, group
    cards); returns how many were in it. The group stays, also when it is left empty."""
    from app.vcard import groups as vgroups

    with database.atomic("IMMEDIATE"):
        info = find_group(book, name)
        name = info.name
        people = _people(book, contact_ids)
        before = set(_member_ids(book, name))
        uids = [p.uid for p in people]
        for card in _group_cards(book, name):
            if set(uids) & set(_members_of(card)):
                update_contact(card, vgroups.set_members(card.vcard, remove=uids), note=_(_NOTE))
        for p in people:
            if name in _categories(p):
                update_contact(p, vgroups.set_categories(p.vcard, remove=[name]), note=_(_NOTE))
        if info.kind in (KIND_CATEGORIES, KIND_EMPTY) and not _member_ids(book, name):
            EmptyGroup.insert(book=book, name=name).on_conflict_ignore().execute()
        return len({p.id for p in people} & before)


def rename_group(book: AddressBook, name: str, new_name: str) -> GroupInfo:
    """Give the group `name` a new name on its group cards and on every member's category."""
    from app.vcard import groups as vgroups

    new_name = validate_name(new_name)
    with database.atomic("IMMEDIATE"):
        name = find_group(book, name).name
        if new_name == name:
            return find_group(book, name)
        if any(
            g.name.casefold() == new_name.casefold() and g.name != name for g in list_groups(book)
        ):
            raise StoreError(_exists().format(book=book_display_name(book.name), name=new_name))
        for card in _group_cards(book, name):
            update_contact(card, vgroups.rename_group_card(card.vcard, new_name), note=_(_NOTE))
        for p in _with_category(book, name):
            text = vgroups.set_categories(p.vcard, remove=[name], rename=new_name)
            update_contact(p, text, note=_(_NOTE))
        EmptyGroup.update(name=new_name).where(
            (EmptyGroup.book == book) & (EmptyGroup.name == name)
        ).execute()
        return find_group(book, new_name)


def delete_group(book: AddressBook, name: str) -> int:
    """Delete the group `name`: its group cards go to the trash (restorable; a synced one
    leaves a tombstone, so the next run deletes it on the server too), its category goes
    from every member. The members stay. Returns how many contacts were in it."""
    from app.vcard import groups as vgroups

    with database.atomic("IMMEDIATE"):
        name = find_group(book, name).name
        n = len(_member_ids(book, name))
        for card in _group_cards(book, name):
            delete_contact(card)
        for p in _with_category(book, name):
            update_contact(p, vgroups.set_categories(p.vcard, remove=[name]), note=_(_NOTE))
        EmptyGroup.delete().where((EmptyGroup.book == book) & (EmptyGroup.name == name)).execute()
        return n


def set_contact_groups(contact: Contact, names: Iterable[str]) -> None:
    """Make `contact` a member of exactly the groups `names` of its book (the editor's
    "Gruppen" field): added to the ones it is not in, removed from the others."""
    want = set(names)
    with database.atomic("IMMEDIATE"):
        have = set(contact_groups(contact))
        for name in sorted(want - have):
            add_members(contact.book, name, [contact.id])
            contact = Contact.get_by_id(contact.id)
        for name in sorted(have - want):
            remove_members(contact.book, name, [contact.id])
            contact = Contact.get_by_id(contact.id)


def change_contact_groups(
    contact: Contact, add: Iterable[str] = (), remove: Iterable[str] = ()
) -> list[str]:
    """Put `contact` into the groups `add` and take it out of `remove` — the change the
    editor's "Gruppen" field made — on the contact as stored now: a membership another
    change gave it meanwhile (a sync, another window) stays. A group of `add` the book no
    longer has (deleted meanwhile) is not made again; its name is returned."""
    with database.atomic("IMMEDIATE"):
        contact = Contact.get_by_id(contact.id)
        known = {g.name for g in list_groups(contact.book)}
        have = set(contact_groups(contact))
        wanted = set(add)
        gone = sorted(wanted - known - have, key=lambda n: (sort_key(n), n))
        set_contact_groups(contact, (have | (wanted & known)) - set(remove))
        return gone


def member_ids(book: AddressBook, name: str) -> list[int]:
    """The ids of the live people in the group `name` of `book` (StoreError if none)."""
    return _member_ids(book, find_group(book, name).name)


def _member_ids(book: AddressBook, name: str) -> list[int]:
    q = Contact.select(Contact.id).where(_live(book) & PERSON)
    return [i for (i,) in where_group(q, book, name).tuples()]


def prune_deleted_members(book: AddressBook) -> int:
    """Take contacts deleted in Contactbox (in the trash or gone with a tombstone) off the
    group cards of `book` — the sync calls this before it plans, so a deletion leaves its
    groups on the next run. A member whose UID nobody here knows stays (another client may
    know it). Returns how many group cards changed."""
    deleted = {
        uid
        for (uid,) in Contact.select(Contact.uid)
        .where((Contact.book == book) & Contact.deleted_at.is_null(False))
        .tuples()
    }
    deleted |= {
        uid for (uid,) in Tombstone.select(Tombstone.uid).where(Tombstone.book == book).tuples()
    }
    if not deleted or not _prunable(book, deleted):
        return 0  # the usual case: no write transaction at all
    changed = 0
    with database.atomic("IMMEDIATE"):  # read again under the write lock
        live = _live_uids(book)
        for card in _group_cards(book):
            gone = [u for u in _members_of(card) if u in deleted and u not in live]
            if gone:
                from app.vcard import groups as vgroups

                update_contact(card, vgroups.set_members(card.vcard, remove=gone), note=_(_NOTE))
                changed += 1
    return changed


def _live_uids(book: AddressBook) -> set[str]:
    return {uid for (uid,) in Contact.select(Contact.uid).where(_live(book) & PERSON).tuples()}


def _prunable(book: AddressBook, deleted: set[str]) -> bool:
    """Whether a group card of `book` names a deleted contact (read without a lock)."""
    named = {u for card in _group_cards(book) for u in _members_of(card)} & deleted
    return bool(named - _live_uids(book)) if named else False
