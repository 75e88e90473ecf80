"""Contact groups in the three dialects (issue 19, first step: the card side, `app.vcard.groups`):
vCard 4 KIND/MEMBER, Apple's X-ADDRESSBOOKSERVER-KIND/MEMBER, Nextcloud's CATEGORIES. Reading
understands all three; a membership change is written in the card's own dialect and leaves
every other line — also a member whose UID nobody here knows — byte for byte."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app import vcard
from app.vcard import groups

CARDS = Path(__file__).parent / "cards" / "realworld"
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)

APPLE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//AddressBook 6.1//EN\r\n"
    "N:Kunden Nord\r\nFN:Kunden Nord\r\nX-ADDRESSBOOKSERVER-KIND:group\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:A1\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:UNBEKANNT\r\n"
    "UID:G-APPLE\r\nX-ABUID:G-APPLE:ABGroup\r\nEND:VCARD\r\n"
)
PERSON = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:A1\r\nFN:Anna Alt\r\nN:Alt;Anna;;;\r\n"
    "CATEGORIES:Kunden Nord,Presse\r\nCATEGORIES:Presse,Bewerber_innen\r\nEND:VCARD\r\n"
)


def lines(text: str) -> list[str]:
    """The lines as written (a card keeps its own line ends: CRLF or LF)."""
    return text.replace("\r\n", "\n").split("\n")


def test_a_vcard4_group_card_is_read_with_its_members() -> None:
    text = (CARDS / "pyvobject_40_kind_group.vcf").read_text(encoding="utf-8")
    g = groups.group_of(text)
    assert g is not None and g.dialect == groups.VCARD4
    assert g.name == "The Doe Family" and g.uid == "urn:uuid:group-doe-family"
    assert g.members[-1] == "mailto:kid@example.com"  # a member by e-mail is kept as written
    assert g.member_uids == (
        "f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
        "b8767877-b4a1-4c70-9acc-505d3819e519",
    )


def test_an_apple_group_card_is_read_and_a_person_is_no_group() -> None:
    g = groups.group_of(APPLE)
    assert g == groups.GroupCard("G-APPLE", "Kunden Nord", ("urn:uuid:A1", "urn:uuid:UNBEKANNT"),
                                 groups.APPLE)  # fmt: skip
    assert groups.group_of(PERSON) is None
    kind_individual = PERSON.replace("UID:A1", "UID:A1\r\nKIND:individual")
    assert groups.group_of(kind_individual) is None


def test_categories_are_a_persons_groups_each_once() -> None:
    assert groups.categories_of(PERSON) == ("Kunden Nord", "Presse", "Bewerber_innen")
    assert groups.categories_of(APPLE) == ()


@pytest.mark.parametrize("text", [APPLE, (CARDS / "pyvobject_40_kind_group.vcf").read_text()])
def test_members_change_in_the_cards_own_dialect_and_nothing_else(text: str) -> None:
    before = groups.group_of(text)
    assert before is not None
    first = before.member_uids[0]
    changed = groups.set_members(text, add=["NEU-1", first], remove=[first])
    after = groups.group_of(changed)
    assert after is not None and after.dialect == before.dialect
    assert first not in after.member_uids  # removed; adding it again in the same call: no
    assert "NEU-1" in after.member_uids
    assert set(before.members) - {groups.member_value(first)} <= set(after.members)
    member = "MEMBER:" if before.dialect == groups.VCARD4 else "X-ADDRESSBOOKSERVER-MEMBER:"
    assert f"{member}urn:uuid:NEU-1" in lines(changed)
    # every line that is no member line is byte for byte the same, in the same order
    keep = [x for x in lines(text) if "MEMBER:" not in x]
    assert [x for x in lines(changed) if "MEMBER:" not in x] == keep
    assert vcard.summarize(changed).version == vcard.summarize(text).version
    assert ("\r\n" in changed) == ("\r\n" in text)  # its own line ends
    # adding what is there changes nothing; removing what is not there neither
    assert groups.set_members(changed, add=["NEU-1"], remove=["NIE-DA"]) == changed


def test_an_unknown_member_stays_and_a_non_group_is_refused() -> None:
    changed = groups.set_members(APPLE, remove=["A1"])
    g = groups.group_of(changed)
    assert g is not None and g.member_uids == ("UNBEKANNT",)
    with pytest.raises(ValueError):
        groups.set_members(PERSON, add=["X"])


@pytest.mark.parametrize(("dialect", "version"), [(groups.VCARD4, "4.0"), (groups.APPLE, "3.0")])
def test_a_new_group_card_in_each_dialect_reads_back(dialect: str, version: str) -> None:
    text = groups.new_group_card("Presse; intern", ["A1", "B2", "A1"], dialect=dialect,
                                 uid="G-1", now=NOW)  # fmt: skip
    g = groups.group_of(text)
    assert g == groups.GroupCard("G-1", "Presse; intern", ("urn:uuid:A1", "urn:uuid:B2"), dialect)
    s = vcard.summarize(text)
    assert s.version == version and s.fn == "Presse; intern" and s.uid == "G-1"
    assert text.endswith("END:VCARD\r\n") and "REV:20261206T120000Z" in text
    # a server that converts between the dialects (SabreDAV 3+: 4.0 <-> 3.0) changes no hash
    other = vcard.convert(text, "3.0" if version == "4.0" else "4.0")
    assert vcard.normalized_hash(other) == vcard.normalized_hash(text)
