"""The three-way merge of a contact (app/vcard/merge.py, issue 22) on real producers' cards
(tests/unit/cards/realworld, SOURCES.md): each side's edit is made on the bytes of the
card as that producer wrote it, and the merged text is compared byte for byte with the base
carrying both edits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app import i18n, vcard
from app.vcard.groups import APPLE, new_group_card
from app.vcard.merge import merge_cards

REALWORLD = Path(__file__).parent / "cards" / "realworld"
SIDES = ("local", "server")


def card(name: str) -> str:
    """The first card of a corpus file as decoded text (line endings as in the file)."""
    return vcard.split_cards(vcard.decode_bytes((REALWORLD / name).read_bytes()))[0]


def edit(text: str, old: str, new: str) -> str:
    """`text` with the one occurrence of `old` replaced."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def merged(base: str, local: str, server: str, prefer: str) -> str:
    result = merge_cards(base, local, server, prefer)
    assert result is not None
    return result.text


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("de")


# (file, the TEL line one side edits → its new text, the line after which the other side
# adds an e-mail, the e-mail line). Every line ending as in the file.
TEL_AND_EMAIL = [
    ("gmail_30_all_fields.vcf", "TEL;TYPE=WORK:5555551113", "TEL;TYPE=WORK:5555551199",
     "TITLE:TheJobTitle\r\n", "EMAIL;TYPE=INTERNET:neu@example.com\r\n"),
    ("davx5_30_allfields.vcf", "TEL;TYPE=fax,x-aunt:+1-800-MYFAX",
     "TEL;TYPE=fax,x-aunt:+1-800-NEWFAX",
     "ROLE:Programmer\n", "EMAIL;TYPE=work:second@example.com\n"),
    ("sonyericsson_21_irmc.vcf", "TEL;CELL:+33608270080", "TEL;CELL:+33608270099",
     "URL;CHARSET=UTF-8:http://www.yclaurent.fr\n", "EMAIL;INTERNET:neu@example.fr\n"),
    ("kde_kcontacts_30_apple_item_group.vcf", "TEL;TYPE=PREF,VOICE,WORK:(111) 111-1111",
     "TEL;TYPE=PREF,VOICE,WORK:(111) 111-2222", "ORG:SOME COMPANY\n",
     "EMAIL;TYPE=INTERNET:some@example.com\n"),
    ("outlook2003_21_qp_labels.vcf", "TEL;HOME;VOICE:48 691 342 341",
     "TEL;HOME;VOICE:48 691 342 999",
     "URL;WORK:http://antoni.mylka.com\n", "EMAIL;INTERNET:antoni@example.org\n"),
]  # fmt: skip


@pytest.mark.parametrize("name,tel,tel_new,anchor,email", TEL_AND_EMAIL)
@pytest.mark.parametrize("prefer", SIDES)
@pytest.mark.parametrize("tel_side", SIDES)
def test_one_side_edits_a_phone_the_other_adds_an_email_both_are_kept(
    name: str, tel: str, tel_new: str, anchor: str, email: str, prefer: str, tel_side: str
) -> None:
    base = card(name)
    edited = edit(base, tel, tel_new)
    added = edit(base, anchor, anchor + email)
    local, server = (edited, added) if tel_side == "local" else (added, edited)
    result = merge_cards(base, local, server, prefer)
    assert result is not None
    assert result.text == edit(edited, anchor, anchor + email)
    assert result.decided == () and result.loser is None
    assert not result.equals_local and not result.equals_server
    (tel_change,) = result.from_local if tel_side == "local" else result.from_server
    (email_change,) = result.from_server if tel_side == "local" else result.from_local
    assert (tel_change.field, tel_change.name) == ("TEL", "Telefon")
    assert tel_new.rpartition(":")[2] in tel_change.new
    assert (email_change.field, email_change.old) == ("EMAIL", "")
    assert email_change.new.endswith(email.rstrip().rpartition(":")[2])


@pytest.mark.parametrize("prefer", SIDES)
def test_both_edit_the_same_phone_differently_only_that_line_is_decided(prefer: str) -> None:
    base = card("gmail_30_all_fields.vcf")
    tel = "TEL;TYPE=WORK:5555551113"
    local = edit(edit(base, tel, "TEL;TYPE=WORK:5555551199"), "TITLE:TheJobTitle", "TITLE:Chefin")
    server = edit(edit(base, tel, "TEL;TYPE=WORK:5555550000"), "X-SKYPE:IM5", "X-SKYPE:skype2")
    result = merge_cards(base, local, server, prefer)
    assert result is not None
    winner = "5555551199" if prefer == "local" else "5555550000"
    both = edit(edit(base, "TITLE:TheJobTitle", "TITLE:Chefin"), "X-SKYPE:IM5", "X-SKYPE:skype2")
    assert result.text == edit(both, tel, "TEL;TYPE=WORK:" + winner)
    (decision,) = result.decided
    assert (decision.field, decision.name, decision.chosen) == ("TEL", "Telefon", prefer)
    assert (decision.base, decision.local, decision.server) == (
        "Arbeit: 5555551113",
        "Arbeit: 5555551199",
        "Arbeit: 5555550000",
    )
    assert result.loser == ("server" if prefer == "local" else "local")
    assert [c.field for c in result.from_local] == ["TITLE"]
    assert [c.field for c in result.from_server] == ["X-SKYPE"]


@pytest.mark.parametrize("prefer", SIDES)
def test_edit_against_removal_is_decided_by_the_preference(prefer: str) -> None:
    base = card("davx5_30_allfields.vcf")
    tel = "TEL;TYPE=fax,x-aunt:+1-800-MYFAX\n"
    local = edit(edit(base, tel, ""), "ROLE:Programmer", "ROLE:Architect")
    server = edit(base, tel, "TEL;TYPE=fax,x-aunt:+1-800-OTHER\n")
    text = merged(base, local, server, prefer)
    assert ("+1-800-OTHER" in text) is (prefer == "server")
    assert "ROLE:Architect" in text and "MYFAX" not in text
    (decision,) = merge_cards(base, local, server, prefer).decided  # type: ignore[union-attr]
    assert (decision.local, decision.server) == ("", "Fax, x-aunt: +1-800-OTHER")


@pytest.mark.parametrize("prefer", SIDES)
def test_a_single_valued_field_added_differently_on_both_sides_is_decided(prefer: str) -> None:
    """Both add an organization (none in the base): one ORG, the preferred one; the other
    side's other edit is kept (the engine's real-server tests found the two ORG lines)."""
    base = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p2\r\nFN:Bob Stone\r\nN:Stone;Bob;;;\r\n"
        "EMAIL:p2@example.org\r\nEND:VCARD\r\n"
    )
    local = base.replace("EMAIL:p2", "ORG:Lokal GmbH\r\nEMAIL:p2")
    server = base.replace("EMAIL:p2@example.org", "EMAIL:bob@example.org\r\nORG:Server AG")
    result = merge_cards(base, local, server, prefer)
    assert result is not None
    assert result.text.count("ORG:") == 1 and "bob@example.org" in result.text
    assert ("ORG:Server AG" in result.text) is (prefer == "server")
    (decision,) = result.decided
    assert (decision.field, decision.base, decision.local, decision.server) == (
        "ORG", "", "Lokal GmbH", "Server AG",
    )  # fmt: skip
    assert result.loser == ("server" if prefer == "local" else "local")


@pytest.mark.parametrize("prefer", SIDES)
def test_both_add_the_same_email_it_is_there_once(prefer: str) -> None:
    base = card("gmail_30_all_fields.vcf")
    local = edit(
        base, "TITLE:TheJobTitle\r\n", "TITLE:TheJobTitle\r\nEMAIL;TYPE=INTERNET:x@y.de\r\n"
    )
    local = edit(local, "NICKNAME:TheNickname", "NICKNAME:Nick")
    # the server writes the same address with other parameter spelling and folding
    server = edit(base, "X-MSN:IM7\r\n", "X-MSN:IM7\r\nemail;type=internet:\r\n x@y.de\r\n")
    server = edit(server, "X-ICQ:IM8", "X-ICQ:IM88")
    result = merge_cards(base, local, server, prefer)
    assert result is not None
    assert result.text.lower().count("x@y.de") == 1
    assert "NICKNAME:Nick\r\n" in result.text and "X-ICQ:IM88\r\n" in result.text
    assert result.decided == ()
    assert [c.field for c in result.from_local + result.from_server].count("EMAIL") == 0


@pytest.mark.parametrize("prefer", SIDES)
def test_one_removes_an_address_the_other_edits_the_qp_note(prefer: str) -> None:
    base = card("outlook2003_21_qp_labels.vcf")
    adr = "ADR;HOME:;;Budryka 2/1110;Krakow;malopolskie;30-072;Polen\n"
    note = "NOTE;ENCODING=QUOTED-PRINTABLE:These are some notes about antoni.=0D=0A\n"
    new_note = "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Neue Notiz f=C3=BCr Antoni\n"
    local, server = edit(base, adr, ""), edit(base, note, new_note)
    result = merge_cards(base, local, server, prefer)
    assert result is not None
    assert result.text == edit(edit(base, adr, ""), note, new_note)
    assert result.decided == ()
    (removed,), (noted,) = result.from_local, result.from_server
    assert (removed.name, removed.new) == ("Adresse", "")
    assert "Budryka 2/1110" in removed.old and "30-072 Krakow" in removed.old
    assert (noted.name, noted.old, noted.new) == (
        "Notiz",
        "These are some notes about antoni.",
        "Neue Notiz für Antoni",
    )


@pytest.mark.parametrize("prefer", SIDES)
def test_unknown_lines_and_apple_labels_are_kept_byte_for_byte(prefer: str) -> None:
    base = card("gmail_30_all_fields.vcf")
    local = edit(
        base,
        "item1.EMAIL;TYPE=INTERNET:customcategory@example.com",
        "item1.EMAIL;TYPE=INTERNET:custom2@example.com",
    )
    server = edit(base, "X-SKYPE:IM5", "X-SKYPE:anderer.name")
    server = edit(server, "X-JABBER:IM9\r\n", 'X-JABBER:IM9\r\nX-CUSTOM;X-P="a;b":eins\\;zwei\r\n')
    result = merge_cards(base, local, server, prefer)
    assert result is not None
    expected = edit(local, "X-SKYPE:IM5", "X-SKYPE:anderer.name")
    expected = edit(
        expected, "X-JABBER:IM9\r\n", 'X-JABBER:IM9\r\nX-CUSTOM;X-P="a;b":eins\\;zwei\r\n'
    )
    assert result.text == expected
    assert result.text.count("item1.X-ABLabel:CustomEmailCategory\r\n") == 1
    (email,) = result.from_local
    assert email.old == "CustomEmailCategory: customcategory@example.com"


def _renumbered_without_item2(text: str) -> str:
    """Apple's renumbering: item2 deleted, item3… become item2…"""
    lines = [x for x in text.split("\r\n") if not x.startswith("item2.")]
    out = []
    for x in lines:
        head, dot, rest = x.partition(".")
        if dot and head.startswith("item") and head[4:].isdigit() and int(head[4:]) > 2:
            x = f"item{int(head[4:]) - 1}.{rest}"
        out.append(x)
    return "\r\n".join(out)


@pytest.mark.parametrize("prefer", SIDES)
def test_item_groups_renumbered_on_one_side_are_not_doubled(prefer: str) -> None:
    base = card("gmail_30_all_fields.vcf")
    local = _renumbered_without_item2(base)
    server = edit(base, "item3.TEL:5555551121", "item3.TEL:5555551177")
    server = edit(server, "item4.ADR:;;115 Main St", "item4.ADR:;;999 Main St")
    result = merge_cards(base, local, server, prefer)
    assert result is not None
    text = result.text
    assert "GRAND_CENTRAL" not in text and "5555551119" not in text
    assert "5555551177" in text and "999 Main St" in text
    assert "5555551121" not in text and "115 Main St" not in text
    assert text.count("X-ABLabel") == base.count("X-ABLabel") - 1
    # every group label names one field: its main line and its label
    groups: dict[str, list[str]] = {}
    for line in text.split("\r\n"):
        head = line.split(":")[0]
        if head.startswith("item"):
            group, _, name = head.partition(".")
            groups.setdefault(group, []).append(name.split(";")[0].upper())
    assert all(len(names) == 2 and "X-ABLABEL" in names for names in groups.values()), groups
    if prefer == "local":  # the server's field takes the label of the local field it replaces
        assert "item2.TEL:5555551177\r\nitem2.X-ABLabel:CustomePhoneCategory\r\n" in text
        assert "item3.ADR:;;999 Main St" in text
    assert result.decided == ()


@pytest.mark.parametrize("prefer", SIDES)
def test_member_lines_of_a_group_card_merge_line_by_line(prefer: str) -> None:
    base = card("pyvobject_40_kind_group.vcf")
    local = edit(base, "MEMBER:mailto:kid@example.com\n", "MEMBER:urn:uuid:neu-1\n")
    server = edit(base, "FN:The Doe Family\n", "FN:The Doe Family\nMEMBER:urn:uuid:neu-2\n")
    server = edit(server, "MEMBER:urn:uuid:b8767877-b4a1-4c70-9acc-505d3819e519\n", "")
    text = merged(base, local, server, prefer)
    members = [x for x in text.splitlines() if x.startswith("MEMBER:")]
    assert sorted(members) == sorted([
        "MEMBER:urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
        "MEMBER:urn:uuid:neu-1",
        "MEMBER:urn:uuid:neu-2",
    ])  # fmt: skip


@pytest.mark.parametrize("prefer", SIDES)
def test_apple_group_members_merge_too(prefer: str) -> None:
    base = new_group_card("Team", ["A-1", "B-2", "C-3"], dialect=APPLE, uid="G-1")
    local = base.replace("X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:B-2\r\n", "")
    server = base.replace(
        "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:C-3\r\n",
        "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:C-3\r\nX-ADDRESSBOOKSERVER-MEMBER:urn:uuid:D-4\r\n",
    )
    group = vcard.groups.group_of(merged(base, local, server, prefer))
    assert group is not None and group.member_uids == ("A-1", "C-3", "D-4")


@pytest.mark.parametrize("prefer", SIDES)
def test_qp_card_of_a_phone_merges_each_line_as_written(prefer: str) -> None:
    base = card("sonyericsson_21_irmc.vcf")
    adr = ("ADR;WORK;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;100 rue des Maths;Saint =\n"
           "Martin d'H=C3=A8res;;38402;\n")  # fmt: skip
    new_adr = (
        "ADR;WORK;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;1 rue des Maths;H=C3=A8res;;38400;\n"
    )
    local = edit(base, adr, new_adr)
    server = edit(base, "TEL;FAX:+33476635611\n", "TEL;FAX:+33476635600\n")
    result = merge_cards(base, local, server, prefer)
    assert result is not None
    assert result.text == edit(local, "TEL;FAX:+33476635611\n", "TEL;FAX:+33476635600\n")
    (address,) = result.from_local
    assert address.old == "Arbeit: 100 rue des Maths, 38402 Saint Martin d'Hères"
    assert address.new == "Arbeit: 1 rue des Maths, 38400 Hères"


def _readable_card(name: str) -> bool:
    try:
        vcard.read_fields(card(name))
    except vcard.CardError:
        return False
    return True


SINGLE_CARD_FILES = [p.name for p in sorted(REALWORLD.glob("*.vcf")) if _readable_card(p.name)]


def test_the_corpus_cards_are_nearly_all_readable() -> None:
    assert len(SINGLE_CARD_FILES) >= len(list(REALWORLD.glob("*.vcf"))) - 2


@pytest.mark.parametrize("name", SINGLE_CARD_FILES)
def test_identities_hold_byte_for_byte_on_every_corpus_card(name: str) -> None:
    base = card(name)
    fields = vcard.read_fields(base)
    x = vcard.edit_card(base, fields.__class__(**{**vars(fields), "note": "Notiz von hier"}))
    y = vcard.edit_card(base, fields.__class__(**{**vars(fields), "title": "Titel von dort"}))
    for prefer in SIDES:
        assert merged(base, x, base, prefer) == x
        assert merged(base, base, y, prefer) == y
        assert merged(base, x, x, prefer) == x
    both = merge_cards(base, x, y, "local")
    assert both is not None
    got = vcard.read_fields(both.text)
    assert (got.note, got.title) == ("Notiz von hier", "Titel von dort")
    assert both.decided == () and not both.equals_local and not both.equals_server


def test_the_newer_rev_is_taken_whatever_the_preference() -> None:
    base = card("outlook2003_21_qp_labels.vcf")
    local = edit(edit(base, "ROLE:Software-Developer", "ROLE:Lead"), "REV:20080128T135515Z",
                 "REV:20260101T100000Z")  # fmt: skip
    server = edit(edit(base, "TITLE:Intern", "TITLE:Extern"), "REV:20080128T135515Z",
                  "REV:20250101T100000Z")  # fmt: skip
    for prefer in SIDES:
        result = merge_cards(base, local, server, prefer)
        assert result is not None and result.rev_from == "local"
        assert "REV:20260101T100000Z\n" in result.text and "2025" not in result.text
        assert "ROLE:Lead" in result.text and "TITLE:Extern" in result.text


def test_line_endings_of_the_other_side_follow_the_frame() -> None:
    base = card("gmail_30_all_fields.vcf")
    local = edit(base, "TEL;TYPE=HOME:5555551112", "TEL;TYPE=HOME:5555551100")
    server = edit(base, "TITLE:TheJobTitle\r\n", "TITLE:TheJobTitle\r\nEMAIL:lf@example.com\r\n")
    server = server.replace("\r\n", "\n")  # the server answers with bare LF
    text = merged(base, local, server, "local")
    assert "EMAIL:lf@example.com\r\n" in text and text.count("\n") == text.count("\r\n")


def test_no_merge_where_it_would_not_be_safe() -> None:
    base = card("gmail_30_all_fields.vcf")
    local = edit(base, "TITLE:TheJobTitle", "TITLE:A")
    server = edit(base, "NICKNAME:TheNickname", "NICKNAME:B")
    assert merge_cards(base, local, server, "local") is not None
    assert merge_cards(base, local, vcard.convert(server, "4.0"), "local") is None
    with_uid = edit(base, "VERSION:3.0\r\n", "VERSION:3.0\r\nUID:one\r\n")
    assert merge_cards(with_uid, edit(with_uid, "UID:one", "UID:two"), server, "local") is None
    assert merge_cards(base, local, server + server, "local") is None
    assert merge_cards(base, "kein vCard", server, "local") is None
    with pytest.raises(ValueError):
        merge_cards(base, local, server, "both")


def test_a_uid_the_frame_lacks_comes_from_the_other_side() -> None:
    base = card("gmail_30_all_fields.vcf")
    server = edit(base, "VERSION:3.0\r\n", "VERSION:3.0\r\nUID:vom-server\r\n")
    server = edit(server, "TITLE:TheJobTitle", "TITLE:B")
    local = edit(base, "NICKNAME:TheNickname", "NICKNAME:A")
    text = merged(base, local, server, "local")
    assert text.count("UID:vom-server\r\n") == 1 and "TITLE:B" in text and "NICKNAME:A" in text
