"""A group card is a duplicate by its UID only (issue 19): never matched by name + e-mail or
by content against a person, nor against another group card under another UID — in the
.vcf import's DuplicateIndex and in the sync's first-run match keys of local contacts."""

from __future__ import annotations

from pathlib import Path

from app.store import contacts as cs
from app.store import syncstate
from app.store.groups import list_groups
from app.store.vcf import DuplicateIndex, import_vcf
from app.vcard import groups as vgroups


def person(uid: str, fn: str, email: str = "") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}", f"N:{fn};;;;"]
    if email:
        lines.append(f"EMAIL;TYPE=INTERNET:{email}")
    return "\r\n".join([*lines, "END:VCARD"]) + "\r\n"


def group(uid: str, name: str, members: list[str], email: str = "") -> str:
    """A vCard 4 group card (RFC 6350 §6.1.4), with an EMAIL (a mailing list) if asked."""
    text = vgroups.new_group_card(name, members, uid=uid)
    if email:
        text = text.replace(f"FN:{name}\r\n", f"FN:{name}\r\nEMAIL:{email}\r\n")
    return text


def test_vcf_import_matches_group_cards_by_uid_only(store: Path) -> None:
    book = cs.ensure_book("Büro")
    cs.add_contact(book, person("p-presse", "Presse", "presse@example.de"))
    cs.add_contact(book, person("p-verteiler", "Verteiler"))
    cs.add_contact(book, group("g-kunden", "Kunden", ["m1", "m2"]))
    cs.add_contact(book, group("g-liste", "Liste", ["m1"], "liste@example.de"))
    data = "".join(
        [
            # a group of the person's name and e-mail: not the person
            group("g-presse", "Presse", [], "presse@example.de"),
            # the same group under another UID (same name, members, content): a group of its own
            group("g-kunden-2", "Kunden", ["m1", "m2"]),
            # a person of a group's name and e-mail: not the group
            person("p-liste", "Liste", "liste@example.de"),
            # a group of the name of a person without e-mail: not the person
            group("g-verteiler", "Verteiler", []),
            # the group card already here (its UID): a duplicate
            group("g-kunden", "Kunden", ["m1", "m2", "m3"]),
        ]
    ).encode()
    report = import_vcf(book, data, duplicates="refuse")
    # 1 person and 3 group cards added (counted apart), the known group card refused
    assert (report.added, report.groups_added, report.refused) == (1, 3, 1), report.errors
    assert len(report.errors) == 1 and "UID g-kunden" in report.errors[0]
    uids = {c.uid for c in cs.live_contacts(book)}
    assert {"g-presse", "g-kunden-2", "p-liste", "g-verteiler"} <= uids
    kunden = [c.uid for c in cs.live_contacts(book) if c.fn == "Kunden"]
    assert sorted(kunden) == ["g-kunden", "g-kunden-2"]
    assert "Presse" in {g.name for g in list_groups(book)}


def test_duplicate_index_keys_leave_group_cards_out(store: Path) -> None:
    book = cs.ensure_book("Büro")
    g = cs.add_contact(book, group("g1", "Presse", ["m1"], "presse@example.de"))
    p = cs.add_contact(book, person("p1", "Presse", "presse@example.de"))
    index = DuplicateIndex(book)
    assert index.by_uid == {"g1": g.id, "p1": p.id}
    assert set(index.by_key.values()) == {p.id}  # the group card has no key
    assert set(index.by_hash.values()) == {p.id}  # and no content match either


def test_first_run_match_key_of_a_group_card_is_empty(store: Path) -> None:
    """The planner's first run matches by name + e-mail only where a key is set."""
    book = cs.ensure_book("Büro")
    g = cs.add_contact(book, group("g1", "Presse", []))
    p = cs.add_contact(book, person("p1", "Presse"))
    keys = {item.contact_id: item.key for item in syncstate.local_items(book)}
    assert keys == {g.id: "", p.id: "presse\t"}
    item = syncstate.local_item(g.id)
    assert item is not None and item.key == ""
    ids, uids = syncstate.group_cards(book)
    assert (ids, uids) == (frozenset({g.id}), frozenset({"g1"}))
    assert syncstate.count_group_cards(book) == 1
    cs.delete_contact(g)
    assert syncstate.group_cards(book)[0] == frozenset({g.id})  # trashed ones too
    assert syncstate.count_group_cards(book) == 0
