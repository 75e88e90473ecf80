"""Base texts (issue 22): each synced contact's last synced version, kept apart from the
state (ItemBase, schema v12), written with the state, pruned with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import vcard
from app.store import basetexts, syncmerge, syncstate
from app.store import contacts as cs
from app.store import db as dbmod
from app.store.db import SCHEMA_VERSION, close_database, open_database, schema_version
from app.store.models import (
    Account,
    Binding,
    Contact,
    ContactVersion,
    ItemBase,
    ItemState,
)
from app.store.syncbase import ITEMS, LocalChanged, Seen, forget


def card(uid: str, fn: str, tel: str = "+49 30 1") -> str:
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\nN:{fn};;;;\r\n"
        f"TEL;TYPE=CELL:{tel}\r\nNOTE:{'Ein längerer Vermerk. ' * 8}\r\nEND:VCARD\r\n"
    )


def binding() -> Binding:
    account = Account.create(label="Büro", server="https://dav.example", username="eva")
    book = cs.get_book("Standard")
    return Binding.create(account=account, remote_href="/eva/b/", book=book, operation="sync")


def base_of(b: Binding, href: str) -> str | None:
    s = ItemState.get(ItemState.binding == b, ItemState.href == href)
    return basetexts.bases(b.id, {href: s.remote_hash}).get(href)


def test_pack_compresses_where_it_pays_and_reads_back() -> None:
    text = card("u", "Anna Äbel")
    data, packed = basetexts.pack(text)
    assert packed and len(data) < len(text.encode())
    assert basetexts.unpack(data, packed) == text
    short, packed = basetexts.pack("x")
    assert not packed and basetexts.unpack(short, packed) == "x"


def test_import_upload_and_link_write_the_synced_text_as_base(store: Path) -> None:
    b = binding()
    server = card("u1", "Anna")
    cid = syncstate.import_card(b, "/eva/b/1.vcf", "e1", server, "u1")
    assert base_of(b, "/eva/b/1.vcf") == server  # exactly as received
    # An upload records the text sent (here: as the server stored it).
    sent = card("u1", "Anna", tel="+49 30 2")
    h = Contact.get_by_id(cid).hash
    syncstate.record_upload(b, cid, "/eva/b/1.vcf", "e2", "u1", sent, sent_hash=h)
    assert base_of(b, "/eva/b/1.vcf") == sent
    # A link of equal cards keeps the server's text.
    other = cs.add_contact(cs.get_book("Standard"), card("u2", "Bernd"))
    remote = card("u2", "Bernd")
    rh = vcard.normalized_hash(remote)
    syncstate.link(b, other.id, "/eva/b/2.vcf", "e3", "u2", rh, base=remote)
    assert base_of(b, "/eva/b/2.vcf") == remote
    assert basetexts.count_bases([b.id])[0] == 2


def test_only_a_two_way_binding_keeps_bases(store: Path) -> None:
    b = binding()
    b.operation = "import"
    b.save()
    syncstate.import_card(b, "/eva/b/1.vcf", "e1", card("u1", "Anna"), "u1")
    assert ItemBase.select().count() == 0


def test_a_stale_base_is_never_used(store: Path) -> None:
    b = binding()
    syncstate.import_card(b, "/eva/b/1.vcf", "e1", card("u1", "Anna"), "u1")
    # The state moves on without a new base (a write path that keeps none).
    ItemState.update(remote_hash="other").where(ItemState.href == "/eva/b/1.vcf").execute()
    assert base_of(b, "/eva/b/1.vcf") is None


def test_bases_go_with_their_state_the_binding_the_wipe_and_the_emptied_trash(
    store: Path,
) -> None:
    b = binding()
    ids = [
        syncstate.import_card(b, f"/eva/b/{i}.vcf", "e", card(f"u{i}", f"N{i}"), f"u{i}")
        for i in range(4)
    ]
    assert ItemBase.select().count() == 4
    forget(ITEMS, b, "/eva/b/0.vcf")  # deleted on the server / forgotten
    assert ItemBase.select().count() == 3
    # The trash emptied: the trashed contact's base goes, its state waits for the server.
    cs.delete_contact(Contact.get_by_id(ids[1]))
    cs.empty_trash(cs.get_book("Standard"))
    assert ItemBase.select().count() == 2
    assert ItemState.select().where(ItemState.contact_id == ids[1]).exists()
    # "Neu anlegen" clears the binding's memory, bases included.
    syncstate.wipe_for_recreate(b, "server")
    assert ItemBase.select().count() == 0
    syncstate.import_card(b, "/eva/b/9.vcf", "e", card("u9", "Neu"), "u9")
    b.delete_instance()  # the binding removed (unbound)
    assert ItemBase.select().count() == 0


def test_record_merge_writes_contact_state_base_and_history_or_nothing(store: Path) -> None:
    b = binding()
    cid = syncstate.import_card(b, "/eva/b/1.vcf", "e1", card("u1", "Anna"), "u1")
    seen = Seen(Contact.get_by_id(cid).hash)
    merged = card("u1", "Anna Merge", tel="+49 30 9")
    kept = syncmerge.Kept(card("u1", "Anna"), "conflict", "verloren")
    # The contact changed since the plan: nothing is written.
    with pytest.raises(LocalChanged):
        syncmerge.record_merge(
            b, cid, "/eva/b/1.vcf", "e2", "u1", local_text=merged, synced_text=merged,
            seen=Seen("other"), history=(kept,),
        )  # fmt: skip
    assert ContactVersion.select().count() == 0
    syncmerge.record_merge(
        b, cid, "/eva/b/1.vcf", "e2", "u1", local_text=merged, synced_text=merged, seen=seen,
        history=(kept,),
    )  # fmt: skip
    c = Contact.get_by_id(cid)
    assert c.vcard == merged
    s = ItemState.get(ItemState.href == "/eva/b/1.vcf")
    assert (s.etag, s.remote_hash, s.local_hash) == ("e2", c.hash, c.hash)
    assert base_of(b, "/eva/b/1.vcf") == merged
    assert [v.reason for v in ContactVersion.select()] == ["conflict"]


def test_migration_to_v12_adds_the_base_table(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    db = open_database(path)
    b = binding()
    syncstate.import_card(b, "/eva/b/1.vcf", "e1", card("u1", "Anna"), "u1")
    db.execute_sql("DROP TABLE item_base")  # as a v11 file has it
    db.execute_sql("UPDATE meta_entry SET value = '11' WHERE key = 'schema_version'")
    close_database()

    db = open_database(path)
    try:
        assert db.table_exists("item_base")
        assert schema_version(db) == SCHEMA_VERSION >= 12
        assert list(tmp_path.glob("contactbox.vor-migration-v11-*.sqlite3"))
        b = Binding.get()
        assert base_of(b, "/eva/b/1.vcf") is None  # synced before: no base until next sync
        assert [c.fn for c in cs.list_contacts(cs.get_book("Standard"))] == ["Anna"]
        dbmod.MIGRATIONS[11](db)  # idempotent
        syncstate.import_card(b, "/eva/b/2.vcf", "e", card("u2", "Bernd"), "u2")
        assert base_of(b, "/eva/b/2.vcf") == card("u2", "Bernd")
    finally:
        close_database()


def test_the_bulk_first_import_writes_each_base_as_received(store: Path) -> None:
    """`syncstate.import_cards` (the streamed first import and "Neu anlegen", many cards in
    one statement) keeps each card's base like `import_card` — the server's text, also for a
    card without UID that got one locally — and none for an import-only binding."""
    b = binding()
    with_uid = card("u1", "Anna")
    no_uid = with_uid.replace("UID:u1\r\n", "").replace("Anna", "Bernd")
    cards = [
        ("/eva/b/1.vcf", "e1", with_uid, "u1", vcard.summarize_and_hash(with_uid)),
        ("/eva/b/2.vcf", "e2", no_uid, "u2", vcard.summarize_and_hash(no_uid)),
    ]
    ids = syncstate.import_cards(b, cards)
    assert base_of(b, "/eva/b/1.vcf") == with_uid
    assert base_of(b, "/eva/b/2.vcf") == no_uid  # as received; the contact has its UID
    assert "UID:u2" in Contact.get_by_id(ids[1]).vcard
    oneway = Binding.create(
        account=b.account, remote_href="/eva/c/", book=b.book, operation="import"
    )
    syncstate.import_cards(oneway, [("/eva/c/1.vcf", "e", with_uid, "u9", cards[0][4])])
    assert basetexts.count_bases([oneway.id]) == (0, 0)
