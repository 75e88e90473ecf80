"""Set-based bulk delete and restore (app/store/trash.py), on a real SQLite store: the same
result as `delete_contact` / `restore_contact` contact by contact, in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.store.contacts import add_contact, delete_contact, ensure_book, get_book
from app.store.models import Account, Binding, Contact, ItemState, Tombstone, database
from app.store.trash import restore_contacts, trash_contacts


def card(uid: str, fn: str) -> str:
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\nN:{fn};;;;\r\nEND:VCARD\r\n"


def row_of(cid: int) -> tuple[object, ...]:
    c = Contact.get_by_id(cid)
    return (c.id, c.uid, c.book_id, c.vcard, c.hash, c.modified, c.deleted_at, c.fn)


def tombstones() -> set[tuple[int, str, str, int | None]]:
    return {(t.book_id, t.uid, t.href, t.contact_id) for t in Tombstone.select()}


@pytest.fixture
def book(store: Path) -> Iterator[list[int]]:
    """20 contacts in "Standard"; the even ones were synced (sync state with an href)."""
    standard = ensure_book("Standard")
    account = Account.create(label="Büro", username="u", server="dav.example")
    binding = Binding.create(
        account=account, remote_href="/std/", book=standard, operation="sync",
        option="contactbox",
    )  # fmt: skip
    ids: list[int] = []
    for i in range(20):
        c = add_contact(standard, card(f"u-{i}", f"Person {i:02d}"))
        if i % 2 == 0:
            ItemState.create(binding=binding, href=f"/std/u-{i}.vcf", uid=f"u-{i}", contact_id=c.id)
        ids.append(c.id)
    yield ids


def test_trash_moves_the_live_ones_leaves_tombstones_for_the_synced_and_names_them(
    book: list[int],
) -> None:
    already = book[0]
    delete_contact(Contact.get_by_id(already))  # trashed before (by a sync, say)
    earlier = tombstones()
    wanted = [book[5], book[2], already, 999_999, book[4], book[2]]
    before = {cid: row_of(cid) for cid in book}

    moved = trash_contacts(wanted)

    assert moved == {book[5]: "Person 05", book[2]: "Person 02", book[4]: "Person 04"}
    assert list(moved) == [book[5], book[2], book[4]]  # in the order asked
    std = get_book("Standard").id
    assert tombstones() == earlier | {
        (std, "u-2", "/std/u-2.vcf", book[2]),
        (std, "u-4", "/std/u-4.vcf", book[4]),
    }  # none for u-5: it was never synced
    for cid in book:
        after = row_of(cid)
        if cid in moved:
            assert after[6] is not None
            assert after[:6] == before[cid][:6]  # card and time of change untouched
        else:
            assert after == before[cid]


def test_rueckgaengig_restores_exactly_the_set_and_removes_its_tombstones(
    book: list[int],
) -> None:
    other = book[6]
    delete_contact(Contact.get_by_id(other))  # deleted on its own, not part of the undo
    before = {cid: row_of(cid) for cid in book}
    selection = book[:6] + book[7:12]

    moved = trash_contacts(selection)
    assert len(moved) == 11
    result = restore_contacts(list(moved), undo=True)

    assert result.restored == list(moved) and result.refused == []
    assert {cid: row_of(cid) for cid in book} == before  # the same id, card, time of change
    std = get_book("Standard").id
    assert tombstones() == {(std, "u-6", "/std/u-6.vcf", other)}  # the other one stays
    assert Contact.get_by_id(other).deleted_at is not None


def test_restore_refuses_a_uid_live_again_and_a_contact_gone(book: list[int]) -> None:
    moved = trash_contacts(book[:3])
    again = add_contact(get_book("Standard"), card("u-1", "Neue Person 01"))  # same UID
    Contact.delete().where(Contact.id == book[2]).execute()  # the trash was emptied

    result = restore_contacts(list(moved), undo=False)

    assert result.restored == [book[0]]
    assert [(cid, name) for cid, name, _why in result.refused] == [
        (book[1], "Person 01"),
        (book[2], ""),
    ]
    assert "derselben UID" in result.refused[0][2]
    assert f"Nr. {book[2]}" in result.refused[1][2]
    assert Contact.get_by_id(book[1]).deleted_at is not None
    assert Contact.get_by_id(again.id).deleted_at is None
    assert Contact.get_by_id(book[0]).modified >= Contact.get_by_id(book[3]).modified


def test_two_trashed_contacts_with_one_uid_come_back_only_once(book: list[int]) -> None:
    std = get_book("Standard")
    first = book[3]
    trash_contacts([first])
    twin = add_contact(std, card("u-3", "Person 03 (neu)"))
    trash_contacts([twin.id])

    result = restore_contacts([first, twin.id], undo=True)

    assert result.restored == [first]
    assert [cid for cid, _n, _w in result.refused] == [twin.id]
    live = Contact.select().where((Contact.uid == "u-3") & Contact.deleted_at.is_null())
    assert [c.id for c in live] == [first]


def test_one_transaction_for_the_whole_selection(store: Path) -> None:
    """1,000 contacts: one COMMIT for the deletion and one for "Rückgängig" — never a
    commit per contact."""
    standard = ensure_book("Standard")
    with database.atomic():
        ids = [add_contact(standard, card(f"v-{i}", f"P {i}")).id for i in range(1000)]
    statements: list[str] = []
    connection = database.connection()
    assert isinstance(connection, sqlite3.Connection)
    connection.set_trace_callback(statements.append)
    try:
        assert len(trash_contacts(ids)) == 1000
        commits_delete = sum(s.strip().upper().startswith("COMMIT") for s in statements)
        statements.clear()
        assert len(restore_contacts(ids, undo=True).restored) == 1000
        commits_undo = sum(s.strip().upper().startswith("COMMIT") for s in statements)
    finally:
        connection.set_trace_callback(None)
    assert (commits_delete, commits_undo) == (1, 1)
    # A few statements, not some per contact (the store's change triggers, which the
    # trace repeats per row, run inside them).
    assert len(set(statements)) < 10
