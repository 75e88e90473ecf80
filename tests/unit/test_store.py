"""The local store: schema, migrations with backup, trash and tombstones, re-attachment."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from app.store import contacts as cs
from app.store import db as dbmod
from app.store import reattach, syncstate
from app.store.collation import EMPTY_KEY, sort_key
from app.store.db import SCHEMA_VERSION, close_database, open_database, schema_version
from app.store.models import (
    Account,
    Appointment,
    Binding,
    FollowUp,
    ItemState,
    PendingReattach,
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
    backups = list(tmp_path.glob(f"contactbox.vor-migration-v{SCHEMA_VERSION}-*.sqlite3"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("select fn from contact").fetchall() == [("Anna Äbel",)]
    con = sqlite3.connect(path)
    version = "select value from meta_entry where key = 'schema_version'"
    assert con.execute(version).fetchone() == (str(SCHEMA_VERSION + 1),)


def test_migration_to_v4_adds_read_only_and_keeps_the_bindings(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    db = open_database(path)
    account = Account.create(label="Büro", server="https://dav.example", username="eva")
    book = cs.get_book("Standard")
    Binding.create(account=account, remote_href="/eva/firma/", book=book, operation="sync")
    for table in ("binding", "calendar_binding"):  # as a v3 file has them
        db.execute_sql(f"ALTER TABLE {table} DROP COLUMN read_only")
    db.execute_sql("UPDATE meta_entry SET value = '3' WHERE key = 'schema_version'")
    close_database()

    db = open_database(path)
    try:
        for table in ("binding", "calendar_binding"):
            assert "read_only" in {c.name for c in db.get_columns(table)}
        kept = Binding.get(Binding.remote_href == "/eva/firma/")
        assert kept.read_only is False and kept.operation == "sync"
        assert list(tmp_path.glob("contactbox.vor-migration-v3-*.sqlite3"))
        dbmod.MIGRATIONS[3](db)  # idempotent
    finally:
        close_database()


def test_migration_to_v5_adds_the_pending_reattach_table(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    db = open_database(path)
    account = Account.create(label="Büro", server="https://dav.example", username="eva")
    book = cs.get_book("Standard")
    Binding.create(account=account, remote_href="/eva/firma/", book=book, operation="sync")
    cs.add_contact(book, card("u1", "Anna"))
    db.execute_sql("DROP TABLE pending_reattach")  # as a v4 file has it
    db.execute_sql("UPDATE meta_entry SET value = '4' WHERE key = 'schema_version'")
    close_database()

    db = open_database(path)
    try:
        assert db.table_exists("pending_reattach")
        assert {"binding_id", "contact_id"} <= {c.name for c in db.get_columns("pending_reattach")}
        assert [c.fn for c in cs.list_contacts(book)] == ["Anna"]
        assert Binding.get().remote_href == "/eva/firma/"
        assert list(tmp_path.glob("contactbox.vor-migration-v4-*.sqlite3"))
        dbmod.MIGRATIONS[4](db)  # idempotent
        assert schema_version(db) == SCHEMA_VERSION >= 5
    finally:
        close_database()


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


def test_saving_an_editor_opened_before_a_sync_keeps_the_sync_version(store: Path) -> None:
    """The editor holds the contact as it was when opened; a sync writes the server's
    version meanwhile (and trashes nothing, changes no UID). Saving the editor keeps that
    server version in the history — it is not lost behind the editor's old copy."""
    book = cs.get_book("Standard")
    c = cs.add_contact(book, card("u1", "Geöffnet"))
    opened = cs.get_contact(c.id)  # the editor's copy
    cs.update_contact(cs.get_contact(c.id), card("u1", "Vom Server"), reason="server-update")
    cs.delete_contact(cs.get_contact(c.id))  # and then trashed, e.g. by another window

    cs.update_contact(opened, card("u1", "Vom Schreibtisch"))
    stored = cs.get_contact(c.id)
    assert stored.fn == "Vom Schreibtisch"
    assert stored.deleted_at is not None  # the trash is not set back by the old copy
    kept = [v.vcard for v in cs.history(stored)]
    assert any("FN:Vom Server" in v for v in kept), "the sync's version is lost"
    assert any("FN:Geöffnet" in v for v in kept)


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


def bound(book: object, href: str = "/eva/kunden/") -> Binding:
    account = Account.get_or_create(
        label="Büro", defaults={"server": "https://dav.example", "username": "eva"}
    )[0]
    return Binding.create(
        account=account, remote_href=href, book=book, operation="sync", option="server"
    )


def test_reattach_by_uid_then_name_and_email_keeps_the_rest_pending(store: Path) -> None:
    book = cs.get_book("Standard")
    binding = bound(book)
    user = User.get(User.is_default)
    a = cs.add_contact(book, card("u1", "Anna", "anna@example.de"))
    b = cs.add_contact(book, card("u2", "Bernd", "bernd@example.de"))
    c = cs.add_contact(book, card("u3", "Carla", "carla@example.de"))
    cs.add_contact(book, card("u4", "Dora", "dora@example.de"))  # nothing links to her
    Appointment.create(user=user, contact=a, contact_uid="u1",
                       contact_key=cs.match_key("Anna", "anna@example.de"), summary="Termin A",
                       start=utcnow())
    FollowUp.create(user=user, contact=b, contact_uid="u2",
                    contact_key=cs.match_key("Bernd", "bernd@example.de"), title="WV B")
    FollowUp.create(user=user, contact=c, contact_uid="u3",
                    contact_key=cs.match_key("Carla", "carla@example.de"), title="WV C")

    assert syncstate.wipe_for_recreate(binding, "server") == 4
    assert cs.count_live(book) == 0
    assert reattach.pending_reattach(binding) == 3  # the linked ones, in the wipe's transaction
    assert reattach.reattach_pending(binding) == 0  # nothing has arrived: all stay
    assert reattach.pending_reattach(binding) == 3

    new_a = cs.add_contact(book, card("u1", "Anna Neu", "other@example.de"))  # same UID
    assert reattach.reattach_pending(binding) == 1
    assert Appointment.get().contact_id == new_a.id
    assert reattach.pending_reattach(binding) == 2  # Bernd and Carla still wait

    new_b = cs.add_contact(book, card("zz", "Bernd", "Bernd@Example.de"))  # same name+mail
    assert reattach.reattach_pending(binding) == 1
    assert FollowUp.get(FollowUp.title == "WV B").contact_id == new_b.id
    assert reattach.pending_reattach(binding) == 1

    # A run that applied the whole server book: Carla will not come back.
    assert reattach.reattach_pending(binding, complete=True) == 0
    assert reattach.pending_reattach(binding) == 0
    assert FollowUp.get(FollowUp.title == "WV C").contact_id == c.id  # no match: kept


def test_a_restored_contact_keeps_its_links_and_leaves_the_list(store: Path) -> None:
    book = cs.get_book("Standard")
    binding = bound(book)
    user = User.get(User.is_default)
    a = cs.add_contact(book, card("u1", "Anna", "anna@example.de"))
    FollowUp.create(user=user, contact=a, contact_uid="u1",
                    contact_key=cs.match_key("Anna", "anna@example.de"), title="WV A")
    syncstate.wipe_for_recreate(binding, "server")
    cs.restore_contact(cs.get_contact(a.id))
    assert reattach.reattach_pending(binding) == 0
    assert reattach.pending_reattach(binding) == 0
    assert FollowUp.get().contact_id == a.id


def test_empty_trash_reattaches_what_arrived_then_forgets_the_rest(store: Path) -> None:
    book = cs.get_book("Standard")
    binding = bound(book)
    user = User.get(User.is_default)
    a = cs.add_contact(book, card("u1", "Anna", "anna@example.de"))
    b = cs.add_contact(book, card("u2", "Bernd", "bernd@example.de"))
    for x in (a, b):
        FollowUp.create(user=user, contact=x, contact_uid=x.uid,
                        contact_key=cs.match_key(x.fn, x.email), title=f"WV {x.fn}")
    syncstate.wipe_for_recreate(binding, "server")
    new_a = cs.add_contact(book, card("u1", "Anna", "anna@example.de"))  # arrived
    assert cs.empty_trash(book) == 2
    assert FollowUp.get(FollowUp.title == "WV Anna").contact_id == new_a.id
    assert FollowUp.get(FollowUp.title == "WV Bernd").contact_id is None  # gone with b
    assert reattach.pending_reattach(binding) == 0


def test_pending_reattachments_are_per_binding_and_go_with_it(store: Path) -> None:
    book = cs.get_book("Standard")
    mine, other = bound(book), bound(book, "/eva/andere/")
    user = User.get(User.is_default)
    a = cs.add_contact(book, card("u1", "Anna", "anna@example.de"))
    FollowUp.create(user=user, contact=a, contact_uid="u1", title="WV A")
    syncstate.wipe_for_recreate(mine, "server")
    # Another binding's complete run does not drop what this one still waits for.
    assert reattach.reattach_pending(other, complete=True) == 0
    assert reattach.pending_reattach(mine) == 1
    mine.delete_instance()
    assert PendingReattach.select().count() == 0


def test_german_sort_order_for_names(store: Path) -> None:
    """DIN 5007-1: umlauts sort with their base letter, ß as ss, empty names last."""
    book = cs.get_book("Standard")
    for fn in ("Zander", "Özdemir", "Oberle", "Ärger", "Adler", "Strauß", "Strauss",
               "Muller", "Müller", "müller", "'t Hooft"):
        cs.add_contact(book, f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{fn}\r\nEND:VCARD\r\n")
    names = [r.fn for r in cs.page_contacts(book, limit=100)]
    assert names == ["Adler", "Ärger", "Muller", "Müller", "müller", "Oberle",
                     "Özdemir", "Strauß", "Strauss", "'t Hooft", "Zander"]
    assert [r.fn for r in cs.list_contacts(book)] == names
    desc = [r.fn for r in cs.page_contacts(book, descending=True, limit=100)]
    assert desc == list(reversed(names))
    assert sort_key("") == sort_key(" - ") == EMPTY_KEY > sort_key("Zzz") > sort_key("Ähm")


def test_sort_key_folds_case_accents_and_ligatures() -> None:
    assert sort_key("Éva").split("\x01")[0] == "eva"
    assert sort_key("Strauß").split("\x01")[0] == "strauss"
    assert sort_key("Øster Æbeltoft").split("\x01")[0] == "oster aebeltoft"
    assert sort_key("  Anna   Maria ") == sort_key("anna maria")
    assert sort_key("Muller") < sort_key("Müller") < sort_key("Mullerova")


def test_sort_by_organization_and_family_name_in_german_order(store: Path) -> None:
    book = cs.get_book("Standard")
    for n, org in (("Zeta;Anna", "Übersee AG"), ("Ähm;Bert", "Zoo GmbH"), ("Abel;Carl", "")):
        family, given = n.split(";")
        cs.add_contact(book, f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{n};;;\r\n"
                             f"FN:{given} {family}\r\nORG:{org}\r\nEND:VCARD\r\n")
    assert [r.org for r in cs.page_contacts(book, order="org")] == ["Übersee AG", "Zoo GmbH", ""]
    assert [r.family for r in cs.page_contacts(book, order="family")] == ["Abel", "Ähm", "Zeta"]
    assert [r.given for r in cs.page_contacts(book, order="given")] == ["Anna", "Bert", "Carl"]


def test_migration_from_v1_adds_german_sort_keys_with_a_backup(tmp_path: Path) -> None:
    """A first-release database (schema 1, no sort keys) is upgraded in place, backed up."""
    from app.store.db import close_database, open_database

    path = tmp_path / "contactbox.sqlite3"
    db = open_database(path)
    book = cs.get_book("Standard")
    for fn in ("Zander", "Özdemir"):
        cs.add_contact(book, f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{fn}\r\nEND:VCARD\r\n")
    # Make it look like release 1: no sort columns, the old index, schema version 1.
    db.execute_sql("DROP INDEX contact_book_id_deleted_at_sort_fn")
    for name, _column in dbmod.LIST_INDEXES:
        db.execute_sql(f"DROP INDEX contact_list_{name}")
    for column in ("sort_fn", "sort_given", "sort_family", "sort_org"):
        db.execute_sql(f"ALTER TABLE contact DROP COLUMN {column}")
    db.execute_sql(
        "CREATE INDEX contact_book_id_deleted_at_fn ON contact (book_id, deleted_at, fn)"
    )
    db.execute_sql("DROP TABLE user_setting")
    db.execute_sql("UPDATE meta_entry SET value = '1' WHERE key = 'schema_version'")
    close_database()

    db = open_database(path)
    try:
        assert [r.fn for r in cs.page_contacts(cs.get_book("Standard"))] == ["Özdemir", "Zander"]
        indexes = {i.name for i in db.get_indexes("contact")}
        assert "contact_book_id_deleted_at_sort_fn" in indexes
        assert "contact_book_id_deleted_at_fn" not in indexes
        assert {f"contact_list_{name}" for name, _ in dbmod.LIST_INDEXES} <= indexes
        assert list(tmp_path.glob("contactbox.vor-migration-v1-*.sqlite3"))
        assert db.table_exists("user_setting")
    finally:
        close_database()


def test_user_settings_are_per_user_and_overwrite(store: Path) -> None:
    from app.store.settings import default_user_id, get_setting, set_setting

    me = default_user_id()
    other = User.create(name="Zweiter").id
    assert get_setting(me, "k", "none") == "none"
    set_setting(me, "k", "a")
    set_setting(me, "k", "b")
    set_setting(other, "k", "c")
    assert (get_setting(me, "k"), get_setting(other, "k")) == ("b", "c")


@pytest.mark.parametrize("order", cs.SORT_COLUMNS)
@pytest.mark.parametrize("descending", [False, True])
def test_every_list_order_is_served_by_an_index(
    store: Path, order: str, descending: bool
) -> None:
    """No sort of the whole book per page: SQLite walks an index (no temporary B-tree),
    which is what keeps a 50,000-contact list smooth (figures in docs/PERFORMANCE.md).
    (The trash is small and may be sorted.)"""
    from app.store.models import database

    book = cs.get_book("Standard")
    sql, params = cs.page_query(book, order=order, descending=descending).sql()
    plan = " | ".join(
        str(row[-1]) for row in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params)
    )
    assert "TEMP B-TREE" not in plan, plan
    assert "USING INDEX" in plan, plan


@pytest.mark.parametrize("order", cs.SORT_COLUMNS)
@pytest.mark.parametrize("descending", [False, True])
def test_contact_position_matches_the_paged_list(
    store: Path, order: str, descending: bool
) -> None:
    book = cs.get_book("Standard")
    people = [("Ärger", "b@x.de", "Zoo"), ("Adler", "", "Übersee"), ("adler", "", "Übersee"),
              ("Zander", "A@x.de", ""), ("Öhm", "a@x.de", "Zoo")]
    for i, (fn, email, org) in enumerate(people):
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:p{i}", f"FN:{fn}", f"N:{fn};;;;"]
        lines += [f"EMAIL:{email}"] if email else []
        lines += [f"ORG:{org}", f"TEL:+49 {i % 2}", "END:VCARD", ""]
        cs.add_contact(book, "\r\n".join(lines))
    rows = cs.page_contacts(book, order=order, descending=descending, limit=100)
    for expected, row in enumerate(rows):
        assert cs.contact_position(book, row.id, order=order, descending=descending) == expected
    assert cs.contact_position(book, rows[0].id, search="zander") in (None, 0)
    assert cs.contact_position(book, rows[0].id, trash=True) is None


def test_a_search_with_few_matches_sorts_only_the_matches(store: Path) -> None:
    """Both search plans give the same pages; the small one never walks the sort index."""
    from app.store.models import database

    book = cs.get_book("Standard")
    for i in range(30):
        org = "Bäckerei Berlin" if i % 3 == 0 else "Metzgerei Köln"
        cs.add_contact(book, card(f"s{i}", f"Person {29 - i:02d}") .replace(
            "END:VCARD", f"ORG:{org}\r\nEND:VCARD"))
    n = cs.count_contacts(book, search="bäckerei berlin")
    assert n == 10
    for order in cs.SORT_COLUMNS:
        walk = cs.page_contacts(book, search="bäckerei berlin", order=order, limit=4, offset=2)
        small = cs.page_contacts(book, search="bäckerei berlin", order=order, limit=4, offset=2,
                                 matches=n)
        assert walk == small
    sql, params = cs.page_query(book, search="bäckerei berlin", matches=n).sql()
    plan = " ".join(str(r[-1]) for r in database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "contact_list_search" in plan, plan


def test_finishing_a_run_does_not_set_back_an_operation_changed_meanwhile(store: Path) -> None:
    from app.store import syncbase

    account = Account.create(label="a", username="u", server="s")
    Binding.create(account=account, remote_href="/b/", book=cs.get_book("Standard"),
                   operation="sync", option="server")  # fmt: skip
    running = Binding.get(Binding.remote_href == "/b/")  # the run's copy of the row
    Binding.update(operation="oneway", option="", enabled=False).execute()  # the GUI, meanwhile
    syncbase.finish_binding(running, token="t-2", ctag="c-2", save_position=True, status="ok")
    row = Binding.get(Binding.remote_href == "/b/")
    assert (row.operation, row.option, row.enabled) == ("oneway", "", False)
    assert (row.sync_token, row.ctag, row.last_status) == ("t-2", "c-2", "ok")


def _list_index_names(db: object) -> set[str]:
    rows = db.execute_sql(  # type: ignore[attr-defined]
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'contact_list_%'"
    ).fetchall()
    return {r[0] for r in rows}


def test_list_indexes_are_dropped_only_for_the_very_first_import(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    db = open_database(path)
    try:
        every = {f"contact_list_{name}" for name, _column in dbmod.LIST_INDEXES}
        assert _list_index_names(db) == every
        with dbmod.list_indexes_dropped() as dropped:  # no contact at all yet
            assert dropped and _list_index_names(db) == set()
            cs.add_contact(cs.get_book("Standard"), card("u1", "Anna Äbel"))
        assert _list_index_names(db) == every
        with dbmod.list_indexes_dropped() as dropped:  # a contact exists: left alone
            assert not dropped and _list_index_names(db) == every
        db.execute_sql("DELETE FROM contact")  # no contact at all again
        with pytest.raises(RuntimeError), dbmod.list_indexes_dropped() as dropped:
            assert dropped
            raise RuntimeError("the import failed")  # or was cancelled: built again
        assert _list_index_names(db) == every

        # Ctrl+C during a first import: the error is not masked by rebuilding inside a
        # transaction the interrupt may have left open; the next start builds them.
        with pytest.raises(KeyboardInterrupt), dbmod.list_indexes_dropped():
            raise KeyboardInterrupt
        assert _list_index_names(db) == set()
    finally:
        close_database()
    db = open_database(path)
    try:
        assert _list_index_names(db) == every
    finally:
        close_database()
