"""groups.change_contact_groups (issue 19, the editor's "Gruppen" field): only the user's ticks
and unticks are applied, on the contact as stored now — a membership given meanwhile stays,
a group deleted meanwhile is not made again."""

from __future__ import annotations

from pathlib import Path

from app.store import contacts as cstore
from app.store import groups
from app.vcard import groups as vgroups

ANNA = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p1\r\nFN:Anna\r\nCATEGORIES:Presse\r\nEND:VCARD\r\n"


def test_only_the_change_is_applied_on_the_contact_as_stored(store: Path) -> None:
    book = cstore.ensure_book("Standard")
    anna = cstore.add_contact(book, ANNA)
    cstore.add_contact(book, vgroups.new_group_card("Vorstand", [], uid="g-1"))
    groups.create_group(book, "Kunden")
    stale = cstore.get_contact(anna.id)  # what an editor opened
    groups.add_members(book, "Vorstand", [anna.id])  # meanwhile, e.g. a sync
    gone = groups.change_contact_groups(stale, add=["Kunden"], remove=["Presse"])
    assert gone == []
    assert groups.contact_groups(cstore.get_contact(anna.id)) == ["Kunden", "Vorstand"]
    assert "CATEGORIES:Kunden\r\n" in cstore.get_contact(anna.id).vcard


def test_a_group_deleted_meanwhile_is_named_not_made_again(store: Path) -> None:
    book = cstore.ensure_book("Standard")
    anna = cstore.add_contact(book, ANNA)
    groups.create_group(book, "Kunden")
    groups.delete_group(book, "Kunden")
    assert groups.change_contact_groups(anna, add=["Kunden"]) == ["Kunden"]
    assert [g.name for g in groups.list_groups(book)] == ["Presse"]
    assert groups.contact_groups(cstore.get_contact(anna.id)) == ["Presse"]
