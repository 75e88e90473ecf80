"""Books above SQLite's variable limit: "Neu anlegen", emptying the trash, deleting a book.

SQLite refuses a statement with more bound variables than SQLITE_LIMIT_VARIABLE_NUMBER
(python.org builds: 32,766; older builds: 999). A delete written as ``IN (id, id, …)``
fails above that many contacts; the store's deletes are set-based (``WHERE book = ?``,
subqueries) instead. Every connection the store opens here has the limit at 999
(`sqlite3.Connection.setlimit`), and the books hold 40,000 contacts — inserted straight
into the file for speed; the server book is small, since what matters is the local wipe,
the re-attach list, the trash and the book deletion.

The "Neu anlegen" run is the real CLI (in-process) against a real Radicale.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from app.store import appointment_trash, books, reattach, syncstate
from app.store import contacts as cs
from app.store import db as dbmod
from app.store.models import (
    Account,
    Appointment,
    Binding,
    CalendarBinding,
    EventState,
    FollowUp,
    PendingReattach,
    User,
    database,
    utcnow,
)
from tests.servers.cards import simple_card
from tests.servers.dav_servers import DavServer
from tests.servers.test_sync_engine import cli_env

LIMIT = 999
BIG = 40_000
ON_SERVER = 5


class LimitedDatabase(SqliteDatabase):
    """SQLite as old builds ship it: at most 999 variables per statement."""

    def _connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection = super()._connect()
        conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, LIMIT)
        return conn


@pytest.fixture
def limited(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(dbmod, "SqliteDatabase", LimitedDatabase)
    yield
    dbmod.close_database()


def assert_limit_in_force() -> None:
    conn = database.connection()
    assert conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) == LIMIT
    marks = ",".join("?" * (LIMIT + 1))
    with pytest.raises(Exception, match="too many SQL variables"):
        database.execute_sql(f"SELECT 1 WHERE 1 IN ({marks})", list(range(LIMIT + 1)))


def insert_linked_contacts(book_id: int, prefix: str, n: int, *, trashed: bool = False) -> None:
    """n contacts in the book, each with a follow-up linked to it (plain SQL, fast)."""
    now = utcnow().isoformat(" ")
    deleted = now if trashed else None
    rows = []
    for i in range(n):
        uid, fn = f"{prefix}-{i:05d}", f"Massen Person {prefix} {i}"
        text = simple_card(uid, fn, f"{uid}@example.de")
        given, family = fn.rsplit(" ", 1)
        rows.append((
            book_id, uid, text, fn, given, family, "", f"{uid}@example.de", "",
            fn.casefold(), fn.casefold(), given.casefold(), family.casefold(), "", uid,
            now, now, deleted,
        ))  # fmt: skip
    conn = database.connection()
    with database.atomic():
        conn.executemany(
            "INSERT INTO contact (book_id, uid, vcard, fn, given, family, org, email, phone, "
            "search, sort_fn, sort_given, sort_family, sort_org, hash, created, modified, "
            "deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        user_id = User.get(User.is_default).id
        database.execute_sql(
            "INSERT INTO follow_up (user_id, contact_id, contact_uid, contact_key, title, "
            "done, notes, created) "
            "SELECT ?, id, uid, lower(fn) || char(9) || lower(email), 'Anrufen', 0, '', ? "
            "FROM contact WHERE book_id = ? AND uid LIKE ?",
            (user_id, now, book_id, f"{prefix}-%"),
        )


def test_recreate_empty_trash_and_book_deletion_above_the_variable_limit(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    limited: None,
) -> None:
    name = f"Gross {uuid.uuid4().hex[:6]}"
    book_url = radicale_server.make_book(display_name=name)
    env = cli_env(radicale_server, book_url, name, tmp_path, monkeypatch, capsys)
    for i in range(ON_SERVER):
        env.put(f"s{i}.vcf", simple_card(f"srv-{i}", f"Server Person {i}", f"s{i}@example.de"))
    first = env.sync("sync", "server")
    assert first["added_local"] == ON_SERVER and not first["_errors"]
    assert_limit_in_force()
    book = cs.get_book(name)
    user = User.get(User.is_default)
    for c in cs.live_contacts(book):  # links of the contacts the server has
        FollowUp.create(user=user, contact=c, contact_uid=c.uid,
                        contact_key=cs.match_key(c.fn, c.email), title=f"WV {c.uid}")  # fmt: skip
    insert_linked_contacts(book.id, "viele", BIG)
    assert cs.count_live(book) == BIG + ON_SERVER

    # ---- "Neu anlegen": 40,005 contacts to the trash, their links remembered, 5 back
    out = env.sync("sync", "recreate")
    assert out["_exit"] == 0 and not out["_errors"], out
    assert out["deleted_local"] == BIG + ON_SERVER and out["added_local"] == ON_SERVER
    assert_limit_in_force()
    assert cs.count_live(book) == ON_SERVER
    assert cs.count_contacts(book, trash=True) == BIG + ON_SERVER
    for c in cs.live_contacts(book):  # re-attached to the new contacts
        assert FollowUp.get(FollowUp.title == f"WV {c.uid}").contact_id == c.id
    binding = Binding.get(Binding.book == book)
    assert binding.option == "server"
    assert reattach.pending_reattach(binding) == 0  # the run applied the whole server book

    # ---- a wipe whose counterparts have not arrived: 40,005 entries stay pending
    insert_linked_contacts(book.id, "mehr", BIG)
    assert syncstate.wipe_for_recreate(binding, "server") == BIG + ON_SERVER
    assert reattach.reattach_pending(binding) == 0
    assert reattach.pending_reattach(binding) == BIG + ON_SERVER

    # ---- emptying the trash: 80,010 contacts, their entries with them
    code, out = env.run_cli("contacts", "empty-trash", "--book", name, "--json")
    assert code == 0, out
    assert out["removed"] == 2 * (BIG + ON_SERVER)
    assert_limit_in_force()
    assert cs.count_contacts(book, trash=True) == 0
    assert PendingReattach.select().count() == 0
    assert FollowUp.select().where(FollowUp.contact.is_null(False)).count() == 0

    # ---- deleting a book of 40,000: moved (the UID clash check is a subquery) …
    insert_linked_contacts(book.id, "umzug", BIG)
    books.create_book("Umzug")
    cs.add_contact(cs.get_book("Umzug"), simple_card("umzug-00007", "Schon da"))
    with pytest.raises(cs.StoreError, match="1 Kontakt hat dieselbe UID"):
        books.delete_book(name, move_to="Umzug")
    cs.delete_contact(cs.find_contacts(cs.get_book("Umzug"), "umzug-00007")[0])
    assert books.delete_book(name, move_to="Umzug") == BIG
    assert cs.count_live(cs.get_book("Umzug")) == BIG
    assert FollowUp.select().where(FollowUp.contact.is_null(False)).count() == BIG  # moved

    # … and deleted with its contacts
    assert books.delete_book("Umzug") == 0
    assert set(cs.list_books()) == {"Standard"}
    assert FollowUp.select().where(FollowUp.contact.is_null(False)).count() == 0
    assert FollowUp.select().count() == 3 * BIG + ON_SERVER  # unlinked, not deleted
    assert_limit_in_force()


def test_emptying_a_large_appointment_trash_above_the_variable_limit(
    store: Path, limited: None
) -> None:
    dbmod.close_database()
    dbmod.open_database(store)  # again, with the limit
    assert_limit_in_force()
    user = User.get(User.is_default)
    account = Account.create(label="Kal", server="https://dav.example", username="eva")
    cal = CalendarBinding.create(account=account, user=user, remote_href="/k/")
    now = utcnow().isoformat(" ")
    trashed, waiting, live = 2 * LIMIT, 100, LIMIT  # waiting: deletion not on the server yet
    rows = [
        (user.id, f"T{i}", "2030-01-01 00:00:00", f"t{i}", now if i < trashed + waiting else None)
        for i in range(trashed + waiting + live)
    ]
    conn = database.connection()
    with database.atomic():
        conn.executemany(
            "INSERT INTO appointment (user_id, contact_uid, contact_key, summary, start, "
            "all_day, location, notes, uid, created, modified, deleted_at) "
            f"VALUES (?, '', '', ?, ?, 0, '', '', ?, '{now}', '{now}', ?)",
            rows,
        )
        ids = [a.id for a in Appointment.select(Appointment.id).order_by(Appointment.id)]
        for aid in ids[trashed : trashed + waiting]:
            EventState.create(binding=cal, href=f"/k/{aid}.ics", appointment_id=aid)
    result = appointment_trash.empty_trash(user)
    assert (result.deleted, result.kept_pending) == (trashed, waiting)
    # A list of more ids than the limit (the live ones are left as they are).
    assert appointment_trash.restore_appointments(user, ids[trashed:]) == waiting
    assert Appointment.select().where(Appointment.deleted_at.is_null()).count() == waiting + live
