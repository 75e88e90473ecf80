"""Every local write that changes a contact's text puts the text it replaces into the
history first (issue 21/22): the history is the user's undo, and a contact stored as its
synced version keeps no base row (app.store.basetexts), so its three-way merge finds the
synced card there (`ContactMerger.sources`).

One synced book — a bulk first import, which writes no base row — then each local write
path: the editor's save, the CLI's `contacts edit`, group membership changes (CATEGORIES of a
person, MEMBER lines of a group card), a group renamed or deleted, a .vcf import with
"aktualisieren", a restore from the history, trash and restore, the re-attachment, the
sync's own overwrite. Afterwards, for every contact whose text changed, the merge's source
is the synced card exactly as stored then.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from app import vcard
from app.paths import database_path
from app.store import basetexts, groups, history, reattach, syncstate, trash
from app.store import contacts as cs
from app.store.db import close_database, open_database
from app.store.models import Account, Binding, Contact, ItemState
from app.store.vcf import import_vcf
from app.sync.merging import ContactMerger
from tests.servers.cli_inprocess import cli_raw

HREF = "/eva/b/"


def person(uid: str, fn: str, extra: str = "") -> str:
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\nN:{fn};;;;\r\n"
        f"TEL;TYPE=CELL:+49 30 {len(fn)}\r\n{extra}END:VCARD\r\n"
    )


CARDS = {
    "p1": person("p1", "Paula Presse", "CATEGORIES:Presse\r\n"),
    "p2": person("p2", "Bernd Bau"),
    "g1": (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:g1\r\nFN:Kunden\r\nN:Kunden;;;;\r\n"
        "X-ADDRESSBOOKSERVER-KIND:group\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:p2\r\n"
        "END:VCARD\r\n"
    ),
}


def synced_book() -> Binding:
    account = Account.create(label="Büro", server="https://dav.example", username="eva")
    book = cs.get_book("Standard")
    b = Binding.create(account=account, remote_href=HREF, book=book, operation="sync")
    new = [
        (f"{HREF}{uid}.vcf", "e", text, uid, vcard.summarize_and_hash(text))
        for uid, text in CARDS.items()
    ]
    syncstate.import_cards(b, new)
    assert basetexts.count_bases() == (0, 0)  # stored as received: no base row needed
    return b


def contact(uid: str) -> Contact:
    return Contact.get(Contact.uid == uid)


def merge_base(b: Binding, uid: str) -> str | None:
    """The base a merge of the contact would use now (its row, else its history)."""
    s = ItemState.get((ItemState.binding == b) & (ItemState.uid == uid))
    merger = ContactMerger(SimpleNamespace(binding=b, accepted_versions=None))
    found = merger.sources({s.href: (int(s.contact_id), str(s.remote_hash))})
    return found[s.href][0] if s.href in found else None


def assert_synced_version_kept(b: Binding, changed: set[str]) -> None:
    """The contacts of `changed` differ from their synced version, and a merge of each
    finds that version exactly; the others are as synced."""
    for uid, text in CARDS.items():
        c = contact(uid)
        if uid in changed:
            assert c.vcard != text, uid
            assert merge_base(b, uid) == text, uid
        else:
            assert c.vcard == text, uid


def edit_in_editor(b: Binding) -> set[str]:
    c = contact("p2")
    cs.update_contact(c, c.vcard.replace("Bernd Bau", "Bernd Baum"))
    c = contact("p2")  # edited twice before the next sync: the synced one is still found
    cs.update_contact(c, c.vcard.replace("+49 30 9", "+49 30 99"))
    return {"p2"}


def join_group(b: Binding) -> set[str]:
    groups.add_members(b.book, "Presse", [contact("p2").id])  # CATEGORIES of a person
    return {"p2"}


def leave_card_group(b: Binding) -> set[str]:
    groups.remove_members(b.book, "Kunden", [contact("p2").id])  # MEMBER of a group card
    return {"g1"}


def editor_groups(b: Binding) -> set[str]:
    groups.change_contact_groups(contact("p1"), add=["Kunden"], remove=["Presse"])
    return {"p1", "g1"}


def rename_groups(b: Binding) -> set[str]:
    groups.rename_group(b.book, "Presse", "Medien")
    groups.rename_group(b.book, "Kunden", "Stammkunden")
    return {"p1", "g1"}


def delete_group(b: Binding) -> set[str]:
    groups.delete_group(b.book, "Presse")
    return {"p1"}


def vcf_update(b: Binding) -> set[str]:
    data = person("p1", "Paula Presse", "CATEGORIES:Presse\r\nNOTE:aus der Datei\r\n")
    report = import_vcf("Standard", data.encode(), duplicates="update")
    assert report.updated == 1
    return {"p1"}


def restore_from_history(b: Binding) -> set[str]:
    c = contact("p2")
    cs.update_contact(c, c.vcard.replace("Bernd Bau", "Bernd Baum"))
    cs.update_contact(contact("p2"), CARDS["p2"].replace("Bernd Bau", "Bernd Bäumer"))
    (older, _synced) = [v.id for v in history.versions(contact("p2").id)]
    history.restore_version(contact("p2").id, older)  # back to "Baum"
    return {"p2"}


def trash_and_restore(b: Binding) -> set[str]:
    ids = [contact("p1").id, contact("p2").id]
    cs.delete_contact(contact("p1"))
    cs.restore_contact(contact("p1"))
    trash.trash_contacts(ids)
    trash.restore_contacts(ids)
    return set()  # the text does not change


def reattach_after_recreate(b: Binding) -> set[str]:
    reattach.remember_for_reattach(b)
    reattach.reattach_pending(b, complete=True)
    return set()


PATHS: dict[str, Callable[[Binding], set[str]]] = {
    "editor": edit_in_editor,
    "group-categories": join_group,
    "group-card-member": leave_card_group,
    "editor-groups": editor_groups,
    "group-rename": rename_groups,
    "group-delete": delete_group,
    "vcf-update": vcf_update,
    "history-restore": restore_from_history,
    "trash-restore": trash_and_restore,
    "reattach": reattach_after_recreate,
}


@pytest.mark.parametrize("path", list(PATHS))
def test_a_local_write_keeps_the_synced_version_in_the_history(store: Path, path: str) -> None:
    b = synced_book()
    changed = PATHS[path](b)
    assert_synced_version_kept(b, changed)
    assert basetexts.count_bases() == (0, 0)  # local writes never add base rows


def test_the_syncs_overwrite_keeps_the_version_it_replaces(store: Path) -> None:
    """The sync's own write of a server update: the contact is then the new synced version
    (no base row either); the version it replaces is in the history, and so is the new
    one once the desk edits it."""
    b = synced_book()
    s = ItemState.get(ItemState.uid == "p2")
    new = CARDS["p2"].replace("Bernd Bau", "Bernd vom Server")
    syncstate.overwrite_local(b, int(s.contact_id), s.href, "e2", new, "p2", reason="server-update")
    assert basetexts.count_bases() == (0, 0)
    assert [v.vcard for v in cs.history(contact("p2"))] == [CARDS["p2"]]
    cs.update_contact(contact("p2"), new.replace("vom Server", "von Hand"))
    assert merge_base(b, "p2") == new


def test_the_clis_contact_edit_keeps_the_synced_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    open_database(database_path(home))
    try:
        synced_book()
    finally:
        close_database()
    code, _out, err = cli_raw(
        home, capsys, "contacts", "edit", "p2", "--book", "Standard", "--phone", "+49 30 5"
    )
    assert code == 0, err
    code, _out, err = cli_raw(
        home, capsys, "contacts", "edit", "p2", "--book", "Standard", "--add-email", "b@x.de"
    )
    assert code == 0, err
    open_database(database_path(home))
    try:
        assert_synced_version_kept(Binding.get(), {"p2"})
    finally:
        close_database()


def test_a_card_without_uid_merges_from_the_version_stored_with_its_uid(store: Path) -> None:
    """A server card without UID is stored with one (the hash ignores it) and no base row:
    the merge's base from the history carries the UID, the server's card does not — the
    merge still takes both edits."""
    account = Account.create(label="Büro", server="https://dav.example", username="eva")
    b = Binding.create(
        account=account, remote_href=HREF, book=cs.get_book("Standard"), operation="sync"
    )
    server = person("x", "Nora Nix").replace("UID:x\r\n", "")
    syncstate.import_cards(
        b, [(f"{HREF}n.vcf", "e", server, "derived-n", vcard.summarize_and_hash(server))]
    )
    c = contact("derived-n")
    cs.update_contact(c, c.vcard.replace("+49 30 8", "+49 30 88"))
    base = merge_base(b, "derived-n")
    assert base is not None and "UID:derived-n" in base
    merged = vcard.merge_cards(
        base,
        contact("derived-n").vcard,
        server.replace("END:VCARD", "EMAIL:n@x.de\r\nEND:VCARD"),
        "server",
    )
    assert merged is not None and not merged.decided
    assert "+49 30 88" in merged.text and "EMAIL:n@x.de" in merged.text
