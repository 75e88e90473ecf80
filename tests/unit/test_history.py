"""The contact history core: versions, field-by-field comparison, restore."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from app import vcard
from app.store.contacts import (
    StoreError,
    add_contact,
    delete_contact,
    ensure_book,
    get_contact,
    history,
    update_contact,
)
from app.store.history import (
    FieldDiff,
    VersionRow,
    compare,
    current_card,
    restore_version,
    version_text,
    versions,
)
from app.store.models import Contact, ContactVersion

UID = "HIST-1234"


def card(
    *,
    fn: str = "Hans Müller",
    email: str = "hans@example.de",
    phone: str = "+49 171 1234567",
    title: str = "Einkauf",
    extra: str = "X-CUSTOM:eins",
    uid: str = UID,
) -> str:
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:{uid}",
        f"FN:{fn}",
        "N:Müller;Hans;;;",
        f"EMAIL;TYPE=WORK:{email}",
        f"TEL;TYPE=CELL:{phone}",
        "ORG:Beispiel GmbH",
        f"TITLE:{title}",
        "ADR;TYPE=HOME:;;Hauptstr. 1;Berlin;;10115;Deutschland",
        "BDAY:1980-05-17",
        extra,
        "END:VCARD",
    ]
    return "\r\n".join(x for x in lines if x) + "\r\n"


def by_label(rows: list[FieldDiff]) -> dict[str, FieldDiff]:
    return {r.label: r for r in rows}


@pytest.fixture
def contact(store: Path) -> Contact:
    return add_contact(ensure_book("Standard"), card())


def with_three_versions(c: Contact) -> None:
    update_contact(c, card(title="Vertrieb"), reason="edit")
    update_contact(c, card(title="Leitung"), reason="server-update", note="Vom Server „Büro“")
    update_contact(c, card(title="Geschäftsführung"), reason="conflict", note="Konflikt")


# ---------------------------------------------------------------- versions


def test_versions_newest_first_with_german_labels(contact: Contact) -> None:
    with_three_versions(contact)
    rows = versions(contact.id)
    assert [r.reason for r in rows] == ["conflict", "server-update", "edit"]
    assert [r.reason_label for r in rows] == [
        "Konflikt (unterlegene Fassung)",
        "Vom Server geändert",
        "Bearbeitet",
    ]
    assert rows[0].note == "Konflikt"
    assert rows[1].note == "Vom Server „Büro“"
    assert all(isinstance(r, VersionRow) and r.fn == "Hans Müller" for r in rows)
    assert all(r.created.tzinfo is None for r in rows)
    # The conflict's loser is the card that was current before the conflict.
    assert "TITLE:Leitung" in version_text(contact.id, rows[0].id)


def test_versions_order_by_created_not_insertion(contact: Contact) -> None:
    with_three_versions(contact)
    oldest = ContactVersion.select().order_by(ContactVersion.id).first()
    oldest.created = datetime(2099, 1, 1, 12, 0)
    oldest.save()
    assert versions(contact.id)[0].id == oldest.id


def test_versions_of_a_contact_without_history_and_of_none(contact: Contact) -> None:
    assert versions(contact.id) == []
    with pytest.raises(StoreError):
        versions(999_999)


def test_restore_label(contact: Contact) -> None:
    update_contact(contact, card(title="X"), reason="restore")
    assert versions(contact.id)[0].reason_label == "Wiederhergestellt"


# ---------------------------------------------------------------- compare


def test_identical_cards_have_no_changes() -> None:
    rows = compare(card(), card())
    assert [r.label for r in rows] == [
        "Name",
        "Organisation",
        "Position",
        "E-Mail",
        "Telefon",
        "Adresse",
        "Geburtstag",
        "Webseite",
        "Kategorien",
        "Notiz",
        "Weitere Angaben",
    ]
    assert not any(r.changed for r in rows)
    f = by_label(rows)
    assert f["E-Mail"].old == "Arbeit: hans@example.de"
    assert f["Telefon"].new == "Mobil: +49 171 1234567"
    assert f["Adresse"].old == "Privat: Hauptstr. 1, 10115 Berlin, Deutschland"
    assert f["Geburtstag"].old == "17.05.1980"
    assert f["Organisation"].old == "Beispiel GmbH"


def test_compare_marks_exactly_the_changed_fields() -> None:
    old = card()
    new = card(email="hans@neu.de", title="Vertrieb").replace(
        "TEL;TYPE=CELL:+49 171 1234567",
        "TEL;TYPE=CELL:+49 171 1234567\r\nTEL;TYPE=WORK,FAX:+49 30 999",
    )
    rows = by_label(compare(old, new))
    assert {label for label, r in rows.items() if r.changed} == {"E-Mail", "Position", "Telefon"}
    assert rows["E-Mail"].old == "Arbeit: hans@example.de"
    assert rows["E-Mail"].new == "Arbeit: hans@neu.de"
    assert rows["Telefon"].new == "Mobil: +49 171 1234567\nArbeit, Fax: +49 30 999"
    assert rows["Position"] == FieldDiff("Position", "Einkauf", "Vertrieb", True)


def test_x_property_change_shows_in_weitere_angaben() -> None:
    rows = by_label(compare(card(extra="X-CUSTOM:eins"), card(extra="X-CUSTOM:zwei")))
    other = rows["Weitere Angaben"]
    assert other.changed
    assert "X-CUSTOM: eins" in other.old
    assert "X-CUSTOM: zwei" in other.new
    assert [label for label, r in rows.items() if r.changed] == ["Weitere Angaben"]


def test_bookkeeping_lines_are_no_change() -> None:
    old = card().replace("END:VCARD", "REV:20240101T000000Z\r\nPRODID:-//A//B\r\nEND:VCARD")
    new = card(uid="OTHER").replace("END:VCARD", "REV:20250101T000000Z\r\nEND:VCARD")
    assert not any(r.changed for r in compare(old, new))


def test_photo_is_shown_by_size_and_a_new_photo_is_a_change() -> None:
    photo = "PHOTO;ENCODING=b;TYPE=JPEG:" + "QUJD" * 4096  # 12,288 bytes
    other = "PHOTO;ENCODING=b;TYPE=JPEG:" + "REVG" * 4096  # same size, other bytes
    same = by_label(compare(card(extra=photo), card(extra=photo)))["Weitere Angaben"]
    assert same.old == "Foto (12 KB)" and not same.changed
    diff = by_label(compare(card(extra=photo), card(extra=other)))["Weitere Angaben"]
    assert diff.changed
    assert diff.old == "Foto (12 KB)"
    assert diff.new.startswith("Foto (12 KB)") and diff.new != diff.old
    gone = by_label(compare(card(extra=photo), card(extra="")))["Weitere Angaben"]
    assert gone.changed and gone.old == "Foto (12 KB)" and gone.new == ""


def test_folded_lines_compare_unfolded() -> None:
    long_value = "x" * 120
    folded = card(extra=f"X-LONG:{long_value[:60]}\r\n {long_value[60:]}")
    flat = card(extra=f"X-LONG:{long_value}")
    assert not by_label(compare(folded, flat))["Weitere Angaben"].changed


def test_unreadable_card_does_not_crash() -> None:
    rows = by_label(compare("kein vCard-Text", card()))
    other = rows["Weitere Angaben"]
    assert "kein vCard-Text" in other.old
    assert other.changed
    assert rows["Name"].old == "" and rows["Name"].new == "Hans Müller" and rows["Name"].changed
    same = compare("kaputt", "kaputt")
    assert not any(r.changed for r in same)


# ---------------------------------------------------------------- restore


def test_restore_makes_the_old_card_current_and_keeps_the_replaced(contact: Contact) -> None:
    with_three_versions(contact)
    before = get_contact(contact.id).vcard
    edit = next(r for r in versions(contact.id) if r.reason == "edit")
    old_text = version_text(contact.id, edit.id)
    restore_version(contact.id, edit.id)

    now = get_contact(contact.id)
    assert now.vcard == old_text
    assert now.hash == vcard.normalized_hash(old_text)
    assert "TITLE:Einkauf" in now.vcard
    newest = history(now)[0]
    assert newest.reason == "restore"
    assert newest.vcard == before
    assert newest.note.startswith("Fassung vom ") and newest.note.endswith(" wiederhergestellt")
    assert len(versions(contact.id)) == 4
    # Undoable: restoring the replaced card brings back what was current before.
    restore_version(contact.id, newest.id)
    assert get_contact(contact.id).vcard == before


def test_restore_keeps_the_current_uid(contact: Contact) -> None:
    update_contact(contact, card(title="Vertrieb"))
    version = ContactVersion.get(ContactVersion.contact == contact)
    version.vcard = card(uid="FREMDE-UID")
    version.save()
    restore_version(contact.id, version.id)
    now = get_contact(contact.id)
    assert vcard.summarize(now.vcard).uid == UID
    assert now.uid == UID
    assert "FREMDE-UID" not in now.vcard


def test_restore_refused_for_a_trashed_contact(contact: Contact) -> None:
    update_contact(contact, card(title="Vertrieb"))
    vid = versions(contact.id)[0].id
    delete_contact(get_contact(contact.id))
    with pytest.raises(StoreError, match="Der Kontakt liegt im Papierkorb"):
        restore_version(contact.id, vid)
    assert "TITLE:Vertrieb" in get_contact(contact.id).vcard
    assert len(versions(contact.id)) == 1
    assert current_card(contact.id).in_trash


def test_restore_refused_for_a_version_of_another_contact(contact: Contact) -> None:
    other = add_contact(ensure_book("Standard"), card(uid="OTHER-1", fn="Erika Muster"))
    update_contact(other, card(uid="OTHER-1", fn="Erika Beispiel"))
    foreign = versions(other.id)[0].id
    with pytest.raises(StoreError):
        restore_version(contact.id, foreign)
    with pytest.raises(StoreError):
        restore_version(contact.id, 987_654)
    assert get_contact(contact.id).vcard == card()
    assert versions(contact.id) == []
