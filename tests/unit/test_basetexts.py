"""Base texts (issue 22): each synced contact's last synced version, kept apart from the
state (ItemBase, schema v12), written with the state, pruned with it — and only where the
contact's stored text is not that version (issue 21: a first import writes none; the merge
then finds the synced version in the history, tests/unit/test_synced_version_kept.py)."""

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


def converted(text: str) -> str:
    """`text` as a server that changes what it stores (here: one more line)."""
    return text.replace("END:VCARD", "X-SERVER:gespeichert\r\nEND:VCARD")


def with_base(b: Binding, href: str, uid: str, fn: str) -> tuple[int, str]:
    """A contact imported, then uploaded and stored converted by the server: its state
    needs a base row (the server's text is not the one stored here). (id, that text)"""
    cid = syncstate.import_card(b, href, "e1", card(uid, fn), uid)
    stored = converted(card(uid, fn))
    h = Contact.get_by_id(cid).hash
    syncstate.record_upload(b, cid, href, "e2", uid, stored, sent_hash=h)
    return cid, stored


def test_pack_compresses_where_it_pays_and_reads_back() -> None:
    text = card("u", "Anna Äbel")
    data, packed = basetexts.pack(text)
    assert packed and len(data) < len(text.encode())
    assert basetexts.unpack(data, packed) == text
    short, packed = basetexts.pack("x")
    assert not packed and basetexts.unpack(short, packed) == "x"


def test_import_upload_and_link_keep_no_base_where_the_contact_is_the_synced_text(
    store: Path,
) -> None:
    b = binding()
    server = card("u1", "Anna")
    cid = syncstate.import_card(b, "/eva/b/1.vcf", "e1", server, "u1")
    assert ItemBase.select().count() == 0  # stored as received: the history will have it
    # An upload the server stored as sent: the contact is the synced text.
    cs.update_contact(Contact.get_by_id(cid), card("u1", "Anna", tel="+49 30 2"))
    c = Contact.get_by_id(cid)
    syncstate.record_upload(b, cid, "/eva/b/1.vcf", "e2", "u1", c.vcard, sent_hash=c.hash)
    assert ItemBase.select().count() == 0
    # A link of equal cards: none either.
    other = cs.add_contact(cs.get_book("Standard"), card("u2", "Bernd"))
    remote = card("u2", "Bernd")
    rh = vcard.normalized_hash(remote)
    syncstate.link(b, other.id, "/eva/b/2.vcf", "e3", "u2", rh, base=remote)
    assert basetexts.count_bases([b.id]) == (0, 0)


def test_an_upload_the_server_stored_converted_keeps_its_text_as_base(store: Path) -> None:
    b = binding()
    cid, stored = with_base(b, "/eva/b/1.vcf", "u1", "Anna")
    assert base_of(b, "/eva/b/1.vcf") == stored  # as the server stored it
    # The next upload that the server keeps as sent: the row goes (no dead rows).
    cs.update_contact(Contact.get_by_id(cid), card("u1", "Anna", tel="+49 30 2"))
    c = Contact.get_by_id(cid)
    syncstate.record_upload(b, cid, "/eva/b/1.vcf", "e3", "u1", c.vcard, sent_hash=c.hash)
    assert ItemBase.select().count() == 0


def test_an_edit_saved_during_the_upload_keeps_the_base(store: Path) -> None:
    """The state records the version sent as synced; the contact is already newer, so its
    stored text is not the synced one and the first edit did not keep the sent one in the
    history as synced: the base row is written."""
    b = binding()
    cid = syncstate.import_card(b, "/eva/b/1.vcf", "e1", card("u1", "Anna"), "u1")
    sent = card("u1", "Anna", tel="+49 30 2")
    cs.update_contact(Contact.get_by_id(cid), sent)
    sent_hash = Contact.get_by_id(cid).hash
    cs.update_contact(Contact.get_by_id(cid), card("u1", "Anna", tel="+49 30 3"))  # in flight
    syncstate.record_upload(b, cid, "/eva/b/1.vcf", "e2", "u1", sent, sent_hash=sent_hash)
    assert base_of(b, "/eva/b/1.vcf") == sent


def test_a_link_of_a_contact_edited_since_the_plan_keeps_the_servers_text(store: Path) -> None:
    b = binding()
    c = cs.add_contact(cs.get_book("Standard"), card("u2", "Bernd"))
    remote = card("u2", "Bernd")
    seen = Seen(c.hash)
    cs.update_contact(c, card("u2", "Bernd", tel="+49 30 7"))  # saved after the plan
    rh = vcard.normalized_hash(remote)
    syncstate.link(b, c.id, "/eva/b/2.vcf", "e3", "u2", rh, seen=seen, base=remote)
    assert base_of(b, "/eva/b/2.vcf") == remote


def test_a_server_update_drops_the_old_base(store: Path) -> None:
    b = binding()
    cid, _stored = with_base(b, "/eva/b/1.vcf", "u1", "Anna")
    new = card("u1", "Anna Neu")
    syncstate.overwrite_local(b, cid, "/eva/b/1.vcf", "e3", new, "u1", reason="server-update")
    assert ItemBase.select().count() == 0
    assert Contact.get_by_id(cid).vcard == new


def test_only_a_two_way_binding_keeps_bases(store: Path) -> None:
    b = binding()
    b.operation = "import"
    b.save()
    with_base(b, "/eva/b/1.vcf", "u1", "Anna")
    assert ItemBase.select().count() == 0


def test_a_stale_base_is_never_used(store: Path) -> None:
    b = binding()
    with_base(b, "/eva/b/1.vcf", "u1", "Anna")
    assert base_of(b, "/eva/b/1.vcf") is not None
    # The state moves on without a new base (a write path that keeps none).
    ItemState.update(remote_hash="other").where(ItemState.href == "/eva/b/1.vcf").execute()
    assert base_of(b, "/eva/b/1.vcf") is None


def test_bases_go_with_their_state_the_binding_the_wipe_and_the_emptied_trash(
    store: Path,
) -> None:
    b = binding()
    ids = [with_base(b, f"/eva/b/{i}.vcf", f"u{i}", f"N{i}")[0] for i in range(4)]
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
    with_base(b, "/eva/b/9.vcf", "u9", "Neu")
    assert ItemBase.select().count() == 1
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
    assert ItemBase.select().count() == 0  # the contact is the merged card: no base row
    assert [v.reason for v in ContactVersion.select()] == ["conflict"]
    # A merge the server stored converted: its text is the base.
    seen = Seen(c.hash)
    merged2 = card("u1", "Anna Merge", tel="+49 30 8")
    syncmerge.record_merge(
        b, cid, "/eva/b/1.vcf", "e3", "u1", local_text=merged2,
        synced_text=converted(merged2), seen=seen,
    )  # fmt: skip
    assert base_of(b, "/eva/b/1.vcf") == converted(merged2)


def test_a_stale_merge_keeps_the_version_it_was_made_from(store: Path) -> None:
    b = binding()
    cid = syncstate.import_card(b, "/eva/b/1.vcf", "e1", card("u1", "Anna"), "u1")
    seen_text = card("u1", "Anna", tel="+49 30 2")
    cs.update_contact(Contact.get_by_id(cid), seen_text)
    seen = Seen(Contact.get_by_id(cid).hash)
    cs.update_contact(Contact.get_by_id(cid), card("u1", "Anna", tel="+49 30 3"))
    syncmerge.record_stale_merge(b, cid, "/eva/b/1.vcf", "u1", seen_text=seen_text, seen=seen)
    assert base_of(b, "/eva/b/1.vcf") == seen_text


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
        _cid, stored = with_base(b, "/eva/b/2.vcf", "u2", "Bernd")
        assert base_of(b, "/eva/b/2.vcf") == stored
    finally:
        close_database()


def test_the_bulk_first_import_writes_no_base_and_drops_a_leftover(store: Path) -> None:
    """`syncstate.import_cards` (the streamed first import and "Neu anlegen", many cards in
    one statement) stores each card as received — also one without UID that got one
    locally (the hash ignores the UID) — so none needs a base row; a row an earlier state
    of the same href left goes with it."""
    b = binding()
    with_uid = card("u1", "Anna")
    no_uid = with_uid.replace("UID:u1\r\n", "").replace("Anna", "Bernd")
    # A leftover: a state of /eva/b/2.vcf without contact (its contact purged) with a base.
    cid, _stored = with_base(b, "/eva/b/2.vcf", "u0", "Alt")
    ItemState.update(contact_id=None).where(ItemState.href == "/eva/b/2.vcf").execute()
    Contact.delete_by_id(cid)
    assert ItemBase.select().count() == 1
    cards = [
        ("/eva/b/1.vcf", "e1", with_uid, "u1", vcard.summarize_and_hash(with_uid)),
        ("/eva/b/2.vcf", "e2", no_uid, "u2", vcard.summarize_and_hash(no_uid)),
    ]
    ids = syncstate.import_cards(b, cards)
    assert ItemBase.select().count() == 0
    assert "UID:u2" in Contact.get_by_id(ids[1]).vcard
    # The first edit keeps the version as stored: the merge's base, UID line and all.
    cs.update_contact(Contact.get_by_id(ids[1]), no_uid.replace("Bernd", "Bernd B"))
    s = ItemState.get(ItemState.href == "/eva/b/2.vcf")
    (base,) = [v.vcard for v in ContactVersion.select()]
    assert vcard.normalized_hash(base) == s.remote_hash and "UID:u2" in base
