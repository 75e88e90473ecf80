"""The store's contact groups (app.store.groups, issue 19): group cards are stored as cards but
never listed or counted as people; groups are read from all three dialects; every change is
written into the cards (where the group lives, new groups in the book's style)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.store import contacts as cstore
from app.store import groups
from app.store.models import Account, Binding, Contact, ContactVersion
from app.vcard import groups as vgroups


def person(uid: str, fn: str, extra: str = "") -> str:
    head = f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\n"
    return f"{head}N:{fn};;;;\r\n{extra}END:VCARD\r\n"


APPLE_GROUP = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:g-apple\r\nFN:Kunden Nord\r\nN:Kunden Nord;;;;\r\n"
    "X-ADDRESSBOOKSERVER-KIND:group\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p1\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p2\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:unknown-9\r\n"
    "X-CUSTOM:bleibt\r\nEND:VCARD\r\n"
)
V4_GROUP = (
    "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:g-v4\r\nKIND:group\r\nFN:Presse\r\n"
    "MEMBER:urn:uuid:p3\r\nEND:VCARD\r\n"
)


@pytest.fixture
def book(store: Path) -> cstore.AddressBook:
    b = cstore.ensure_book("Standard")
    cstore.add_contact(b, person("p1", "Anna Nord", "CATEGORIES:Bewerber_innen\r\n"))
    cstore.add_contact(b, person("p2", "Bernd Nord"))
    cstore.add_contact(b, person("p3", "Clara Presse", "CATEGORIES:Presse,Bewerber_innen\r\n"))
    cstore.add_contact(b, person("p4", "Dora Ohne"))
    cstore.add_contact(b, APPLE_GROUP)
    cstore.add_contact(b, V4_GROUP)
    return b


def ids(book: cstore.AddressBook, *uids: str) -> list[int]:
    return [cstore.find_live_by_uid(book, u).id for u in uids]  # type: ignore[union-attr]


def test_group_cards_are_no_people(book: cstore.AddressBook) -> None:
    assert cstore.count_live(book) == 4
    assert cstore.count_contacts(book) == 4
    names = [r.fn for r in cstore.page_contacts(book)]
    assert names == ["Anna Nord", "Bernd Nord", "Clara Presse", "Dora Ohne"]
    assert [r.fn for r in cstore.list_contacts(book)] == names
    assert cstore.find_contacts(book, "Presse") == []
    assert [c.live for c in cstore.book_counts()] == [4]
    # stored byte for byte like every card
    card = Contact.get(Contact.uid == "g-apple")
    assert card.vcard == APPLE_GROUP and card.kind == "group"


def test_groups_of_all_three_dialects(book: cstore.AddressBook) -> None:
    got = {(g.name, g.members, g.kind) for g in groups.list_groups(book)}
    assert got == {
        ("Kunden Nord", 2, groups.KIND_CARD),  # unknown-9 is kept but not counted
        ("Presse", 1, groups.KIND_BOTH),  # the v4 card and Clara's category: one member
        ("Bewerber_innen", 2, groups.KIND_CATEGORIES),
    }
    assert [r.fn for r in cstore.page_contacts(book, group="Kunden Nord")] == [
        "Anna Nord",
        "Bernd Nord",
    ]
    assert cstore.count_contacts(book, group="Presse") == 1
    assert [r.fn for r in cstore.list_contacts(book, group="Bewerber_innen")] == [
        "Anna Nord",
        "Clara Presse",
    ]
    anna = cstore.find_live_by_uid(book, "p1")
    assert anna is not None
    assert groups.contact_groups(anna) == ["Bewerber_innen", "Kunden Nord"]


def test_counts_only_live_people_on_group_cards(book: cstore.AddressBook) -> None:
    """list_groups counts from the (book, uid) index: a member in the trash, a trashed
    copy of a live member's UID and a group card in the trash are told apart."""
    bernd = cstore.find_live_by_uid(book, "p2")
    assert bernd is not None
    cstore.delete_contact(bernd)  # trashed: no longer counted on "Kunden Nord"
    counts = {g.name: g.members for g in groups.list_groups(book)}
    assert counts["Kunden Nord"] == 1
    cstore.add_contact(book, person("p2", "Bernd Neu"))  # the UID lives again
    counts = {g.name: g.members for g in groups.list_groups(book)}
    assert counts["Kunden Nord"] == 2
    cstore.delete_contact(Contact.get(Contact.uid == "g-v4"))  # the card goes, the category stays
    got = {(g.name, g.members, g.kind) for g in groups.list_groups(book)}
    assert ("Presse", 1, groups.KIND_CATEGORIES) in got
    other = cstore.ensure_book("Andere")  # another book's contacts never count here
    cstore.add_contact(other, person("unknown-9", "Fremd"))
    counts = {g.name: g.members for g in groups.list_groups(book)}
    assert counts["Kunden Nord"] == 2


def test_membership_changes_where_the_group_lives(book: cstore.AddressBook) -> None:
    # a group card: the member goes onto the card in its own (Apple) dialect
    assert groups.add_members(book, "Kunden Nord", ids(book, "p4")) == 1
    card = Contact.get(Contact.uid == "g-apple")
    assert "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p4\r\n" in card.vcard
    assert "X-CUSTOM:bleibt" in card.vcard and "urn:uuid:unknown-9" in card.vcard
    assert ContactVersion.select().where(ContactVersion.contact == card).count() == 1
    # categories: the member's own card gets the category, nobody else is touched
    dora_before = cstore.find_live_by_uid(book, "p4").vcard  # type: ignore[union-attr]
    groups.add_members(book, "Bewerber_innen", ids(book, "p2"))
    assert "CATEGORIES:Bewerber_innen" in cstore.find_live_by_uid(book, "p2").vcard  # type: ignore[union-attr]
    assert cstore.find_live_by_uid(book, "p4").vcard == dora_before  # type: ignore[union-attr]
    # remove takes the contact out of every form
    assert groups.remove_members(book, "Presse", ids(book, "p3")) == 1
    assert cstore.count_contacts(book, group="Presse") == 0
    clara = cstore.find_live_by_uid(book, "p3").vcard  # type: ignore[union-attr]
    assert "CATEGORIES:Bewerber_innen\r\n" in clara
    assert "MEMBER" not in Contact.get(Contact.uid == "g-v4").vcard
    # the group itself stays (a card, now empty)
    assert ("Presse", 0) in {(g.name, g.members) for g in groups.list_groups(book)}


def test_rename_and_delete(book: cstore.AddressBook) -> None:
    groups.rename_group(book, "Presse", "Presse & Funk")
    assert "FN:Presse & Funk\r\n" in Contact.get(Contact.uid == "g-v4").vcard
    clara = cstore.find_live_by_uid(book, "p3").vcard  # type: ignore[union-attr]
    assert "CATEGORIES:Presse & Funk,Bewerber_innen\r\n" in clara
    with pytest.raises(cstore.StoreError, match="schon"):
        groups.rename_group(book, "Kunden Nord", "presse & funk")
    assert groups.delete_group(book, "Kunden Nord") == 2
    assert Contact.get(Contact.uid == "g-apple").deleted_at is not None  # in the trash
    assert cstore.count_live(book) == 4  # members stay
    assert "Kunden Nord" not in {g.name for g in groups.list_groups(book)}
    with pytest.raises(cstore.StoreError, match="keine Gruppe"):
        groups.find_group(book, "Kunden Nord")


def _bind(book: cstore.AddressBook, style: str, versions: str = "3.0") -> None:
    acc = Account.create(label=f"a-{style}", username="u", server="s", group_style=style)
    Binding.create(
        account=acc, remote_href=f"/{style}/", book=book, operation="sync", vcard_versions=versions
    )


def test_new_group_in_the_books_style(store: Path) -> None:
    local = cstore.ensure_book("Lokal")
    cstore.add_contact(local, person("x1", "Xaver"))
    # no account: categories; an empty one waits until it gets a member
    groups.create_group(local, "Leer")
    assert [(g.name, g.members, g.kind) for g in groups.list_groups(local)] == [
        ("Leer", 0, groups.KIND_EMPTY)
    ]
    groups.add_members(local, "Leer", ids(local, "x1"))
    assert "CATEGORIES:Leer" in cstore.find_live_by_uid(local, "x1").vcard  # type: ignore[union-attr]
    assert groups.list_groups(local)[0].kind == groups.KIND_CATEGORIES

    cards = cstore.ensure_book("Kerio")
    cstore.add_contact(cards, person("k1", "Karl"))
    _bind(cards, groups.CARDS)
    groups.create_group(cards, "Team", ids(cards, "k1"))
    card = Contact.get((Contact.book == cards) & (Contact.kind == "group"))
    assert vgroups.group_of(card.vcard) == vgroups.GroupCard(
        card.uid, "Team", ("urn:uuid:k1",), vgroups.APPLE
    )
    assert "CATEGORIES" not in cstore.find_live_by_uid(cards, "k1").vcard  # type: ignore[union-attr]

    both = cstore.ensure_book("Beides")
    cstore.add_contact(both, person("b1", "Berta"))
    _bind(both, groups.BOTH, versions="3.0,4.0")
    groups.create_group(both, "Alle", ids(both, "b1"))
    card = Contact.get((Contact.book == both) & (Contact.kind == "group"))
    assert "KIND:group" in card.vcard and "VERSION:4.0" in card.vcard
    assert "CATEGORIES:Alle" in cstore.find_live_by_uid(both, "b1").vcard  # type: ignore[union-attr]
    assert [(g.name, g.members, g.kind) for g in groups.list_groups(both)] == [
        ("Alle", 1, groups.KIND_BOTH)
    ]


def test_deleted_contact_leaves_its_group_cards_but_unknown_members_stay(
    book: cstore.AddressBook,
) -> None:
    anna = cstore.find_live_by_uid(book, "p1")
    assert anna is not None
    cstore.delete_contact(anna)
    assert groups.prune_deleted_members(book) == 1
    text = Contact.get(Contact.uid == "g-apple").vcard
    assert "urn:uuid:p1" not in text
    assert "urn:uuid:p2" in text and "urn:uuid:unknown-9" in text
    assert groups.prune_deleted_members(book) == 0


def test_editor_sets_a_contacts_groups(book: cstore.AddressBook) -> None:
    dora = cstore.find_live_by_uid(book, "p4")
    assert dora is not None
    groups.set_contact_groups(dora, ["Presse", "Kunden Nord"])
    dora = cstore.get_contact(dora.id)
    assert groups.contact_groups(dora) == ["Kunden Nord", "Presse"]
    groups.set_contact_groups(dora, [])
    assert groups.contact_groups(cstore.get_contact(dora.id)) == []


def test_migration_fills_the_group_columns(store: Path) -> None:
    from app.store.db import close_database, open_database

    b = cstore.ensure_book("Standard")
    cstore.add_contact(b, APPLE_GROUP)
    cstore.add_contact(b, person("p1", "Anna", "CATEGORIES:A,B\r\n"))
    close_database()
    con = sqlite3.connect(store)
    con.execute("UPDATE contact SET kind = '', members = '', categories = ''")
    con.execute("UPDATE meta_entry SET value = '7' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    open_database(store)
    assert cstore.count_live(b) == 1
    assert {(g.name, g.members) for g in groups.list_groups(b)} == {
        ("Kunden Nord", 1),
        ("A", 1),
        ("B", 1),
    }


def test_a_name_in_another_case_finds_the_one_group(book: cstore.AddressBook) -> None:
    assert groups.find_group(book, "presse").name == "Presse"
    p4 = cstore.find_live_by_uid(book, "p4")
    assert p4 is not None
    cstore.update_contact(p4, p4.vcard.replace("END:VCARD", "CATEGORIES:presse\r\nEND:VCARD"))
    with pytest.raises(cstore.StoreError, match="mehrere Gruppen"):
        groups.find_group(book, "PRESSE")
    assert groups.find_group(book, "presse").name == "presse"  # the exact spelling wins


def test_member_names_a_contact_whose_uid_is_the_urn_itself(store: Path) -> None:
    """RFC 6350 §6.6.5's own example: the person's UID is `urn:uuid:…` and the group's MEMBER
    the same URI (Apple writes bare UIDs and `urn:uuid:` + UID as MEMBER: both are members)."""
    b = cstore.ensure_book("RFC")
    doe = "urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af"
    cstore.add_contact(b, person(doe, "John Doe"))
    cstore.add_contact(b, person("b8767877-b4a1-4c70-9acc-505d3819e519", "Jane Doe"))
    cstore.add_contact(b, person("urn:uuid:c1", "Baby Doe"))
    cstore.add_contact(
        b,
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:g-doe\r\nKIND:group\r\nFN:The Doe family\r\n"
        f"MEMBER:{doe}\r\nMEMBER:urn:uuid:b8767877-b4a1-4c70-9acc-505d3819e519\r\n"
        "END:VCARD\r\n",
    )
    assert groups.list_groups(b) == [groups.GroupInfo("The Doe family", 2, groups.KIND_CARD)]
    family = {r.fn for r in cstore.page_contacts(b, group="The Doe family")}
    assert family == {"John Doe", "Jane Doe"}
    john = cstore.find_live_by_uid(b, doe)
    assert john is not None and groups.contact_groups(john) == ["The Doe family"]

    assert groups.add_members(b, "The Doe family", ids(b, "urn:uuid:c1")) == 1
    assert groups.remove_members(b, "The Doe family", ids(b, doe)) == 1
    card = cstore.find_live_by_uid(b, "g-doe")
    assert card is not None
    assert vgroups.group_of(card.vcard).members == (  # type: ignore[union-attr]
        "urn:uuid:b8767877-b4a1-4c70-9acc-505d3819e519",
        "urn:uuid:c1",
    )
    assert groups.list_groups(b)[0].members == 2

    cstore.delete_contact(cstore.find_live_by_uid(b, "urn:uuid:c1"))  # type: ignore[arg-type]
    assert groups.prune_deleted_members(b) == 1
    card = cstore.find_live_by_uid(b, "g-doe")
    assert "urn:uuid:c1" not in card.vcard  # type: ignore[union-attr]
