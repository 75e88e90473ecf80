"""The local store: schema, migrations with backup, trash and tombstones, re-attachment."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from app.store import contacts as cs
from app.store import db as dbmod
from app.store.db import SCHEMA_VERSION, close_database, open_database
from app.store.models import (
    Account,
    Appointment,
    Binding,
    FollowUp,
    ItemState,
    Tombstone,
    User,
    utcnow,
)


def card(uid: str, fn: str, email: str = "") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}", f"N:{fn};;;;"]
    if email:
        lines.append(f"EMAIL;TYPE=work:{email}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def test_new_database_has_standard_book_default_user_and_version(store: Path) -> None:
    assert cs.list_books() == ["Standard"]
    assert User.get(User.is_default).name
    con = sqlite3.connect(store)
    (version,) = con.execute(
        "select value from meta_entry where key='schema_version'"
    ).fetchone()
    assert int(version) == SCHEMA_VERSION
    assert stat.S_IMODE(store.stat().st_mode) == 0o600


def test_migration_backs_up_the_file_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "contactbox.sqlite3"
    open_database(path)
    cs.add_contact(cs.get_book("Standard"), card("u1", "Anna Äbel"))
    close_database()

    ran: list[int] = []

    def add_column(db: object) -> None:
        ran.append(1)
        sql = "ALTER TABLE contact ADD COLUMN nickname VARCHAR(255) DEFAULT ''"
        db.execute_sql(sql)  # type: ignore[attr-defined]

    monkeypatch.setattr(dbmod, "MIGRATIONS", [*dbmod.MIGRATIONS, add_column])
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", len(dbmod.MIGRATIONS))
    open_database(path)
    close_database()
    assert ran == [1]
    backups = list(tmp_path.glob("contactbox.vor-migration-v1-*.sqlite3"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("select fn from contact").fetchall() == [("Anna Äbel",)]
    con = sqlite3.connect(path)
    assert con.execute("select value from meta_entry").fetchone() == (str(SCHEMA_VERSION + 1),)


def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    open_database(path)
    close_database()
    con = sqlite3.connect(path)
    con.execute("update meta_entry set value='999' where key='schema_version'")
    con.commit()
    con.close()
    with pytest.raises(dbmod.DatabaseError, match="neueren Version"):
        open_database(path)


def test_garbage_file_is_refused_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(dbmod.DatabaseError):
        open_database(path)


def test_add_without_uid_gets_one_and_search_columns(store: Path) -> None:
    book = cs.get_book("Standard")
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jörg Müller\r\nN:Müller;Jörg;;;\r\n" \
           "EMAIL:joerg@example.de\r\nTEL:+49 30 1234\r\nEND:VCARD\r\n"
    c = cs.add_contact(book, text)
    assert c.uid and f"UID:{c.uid}" in c.vcard
    assert c.email == "joerg@example.de"
    assert [r.fn for r in cs.list_contacts(book, search="müller")] == ["Jörg Müller"]
    assert [r.fn for r in cs.list_contacts(book, search="1234")] == ["Jörg Müller"]
    with pytest.raises(cs.StoreError):
        cs.add_contact(book, c.vcard)


def test_edit_keeps_history(store: Path) -> None:
    book = cs.get_book("Standard")
    c = cs.add_contact(book, card("u1", "Alt"))
    cs.update_contact(c, card("u1", "Neu"))
    assert c.fn == "Neu"
    (old,) = cs.history(c)
    assert "FN:Alt" in old.vcard and old.reason == "edit"


def test_delete_of_synced_contact_leaves_tombstone_until_restore(store: Path) -> None:
    book = cs.get_book("Standard")
    account = Account.create(label="a", username="u", server="s")
    binding = Binding.create(account=account, remote_href="/b/", book=book, operation="sync")
    synced = cs.add_contact(book, card("u1", "Synced"))
    local_only = cs.add_contact(book, card("u2", "Local"))
    ItemState.create(binding=binding, href="/b/u1.vcf", uid="u1", contact_id=synced.id)

    cs.delete_contact(synced)
    cs.delete_contact(local_only)
    assert [t.uid for t in Tombstone.select()] == ["u1"]
    assert cs.list_contacts(book) == []
    assert {r.fn for r in cs.list_contacts(book, trash=True)} == {"Synced", "Local"}

    cs.restore_contact(synced)
    assert Tombstone.select().count() == 0
    assert [r.fn for r in cs.list_contacts(book)] == ["Synced"]


def test_empty_trash_removes_contacts_and_tombstones(store: Path) -> None:
    book = cs.get_book("Standard")
    c = cs.add_contact(book, card("u1", "Weg"))
    Tombstone.create(book=book, uid="u1", contact_id=c.id)
    cs.delete_contact(c)
    assert cs.empty_trash(book) == 1
    assert Tombstone.select().count() == 0
    assert cs.list_contacts(book, trash=True) == []


def test_restore_refused_when_uid_is_live_again(store: Path) -> None:
    book = cs.get_book("Standard")
    c = cs.add_contact(book, card("u1", "Eins"))
    cs.delete_contact(c)
    cs.add_contact(book, card("u1", "Eins neu"))
    with pytest.raises(cs.StoreError):
        cs.restore_contact(c)


def test_reattach_links_by_uid_then_name_and_email(store: Path) -> None:
    book = cs.get_book("Standard")
    user = User.get(User.is_default)
    a = cs.add_contact(book, card("u1", "Anna", "anna@example.de"))
    b = cs.add_contact(book, card("u2", "Bernd", "bernd@example.de"))
    c = cs.add_contact(book, card("u3", "Carla", "carla@example.de"))
    Appointment.create(user=user, contact=a, contact_uid="u1",
                       contact_key=cs.match_key("Anna", "anna@example.de"), summary="Termin A",
                       start=utcnow())
    FollowUp.create(user=user, contact=b, contact_uid="u2",
                    contact_key=cs.match_key("Bernd", "bernd@example.de"), title="WV B")
    FollowUp.create(user=user, contact=c, contact_uid="u3",
                    contact_key=cs.match_key("Carla", "carla@example.de"), title="WV C")
    old = [a.id, b.id, c.id]
    for x in (a, b, c):
        cs.delete_contact(x)
    new_a = cs.add_contact(book, card("u1", "Anna Neu", "other@example.de"))  # same UID
    new_b = cs.add_contact(book, card("zz", "Bernd", "Bernd@Example.de"))  # same name+mail
    assert cs.reattach_links(book, old) == 2
    assert Appointment.get().contact_id == new_a.id
    assert FollowUp.get(FollowUp.title == "WV B").contact_id == new_b.id
    assert FollowUp.get(FollowUp.title == "WV C").contact_id == c.id  # no match: kept
