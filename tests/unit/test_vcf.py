""".vcf import into a local book (duplicates, trash, errors) and export (round trip)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from app import vcard
from app.store.books import create_book
from app.store.contacts import (
    add_contact,
    delete_contact,
    get_book,
    history,
    list_contacts,
    restore_contact,
)
from app.store.models import Contact, Tombstone
from app.store.vcf import (
    ImportReport,
    default_export_name,
    export_book,
    export_vcf,
    import_vcf,
)

CARDS = Path(__file__).parent / "cards"
PRODUCERS = [
    "android_21.vcf",
    "apple_ios_30.vcf",
    "google_export_30.vcf",
    "kerio_connect_30.vcf",
    "nextcloud_30.vcf",
    "thunderbird_40.vcf",
    "altid_40.vcf",
    "big_photo_30.vcf",
]


def card(fn: str, uid: str | None = None, email: str = "", note: str = "") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0"]
    if uid:
        lines.append(f"UID:{uid}")
    lines.append(f"FN:{fn}")
    if email:
        lines.append(f"EMAIL:{email}")
    if note:
        lines.append(f"NOTE:{note}")
    return "\r\n".join([*lines, "END:VCARD"]) + "\r\n"


def vcf(*cards: str) -> bytes:
    return "".join(cards).encode("utf-8")


def stored(book: str = "Standard") -> list[Contact]:
    return list(
        Contact.select()
        .where((Contact.book == get_book(book)) & Contact.deleted_at.is_null())
        .order_by(Contact.id)
    )


# ---------------------------------------------------------------- reading files


def test_multi_producer_file_imports_every_card_verbatim(store: Path) -> None:
    texts = [vcard.decode_bytes((CARDS / name).read_bytes()) for name in PRODUCERS]
    data = "\r\n".join(texts).encode("utf-8")
    report = import_vcf("Standard", data)
    assert report == ImportReport(cards_read=8, added=8)
    contacts = stored()
    assert len(contacts) == 8
    names = {c.fn for c in contacts}
    assert {"Ayşe Öztürk", "Dr. Jörg Müller", "Anna Schmidt", "Thomas Becker"} <= names
    assert {"Lena Krüger", "Sabine Wolf", "Jürgen Weber", "Petra Hoffmann"} <= names
    by_fn = {c.fn: c for c in contacts}
    assert by_fn["Dr. Jörg Müller"].uid == "8F0E9C7A-3C2B-4E8D-9A1F-2B3C4D5E6F70"
    assert by_fn["Dr. Jörg Müller"].vcard == vcard.split_cards(texts[1])[0]
    google = by_fn["Anna Schmidt"]  # had no UID: gets one, everything else as read
    assert google.uid and vcard.summarize(google.vcard).uid == google.uid
    assert google.email == "anna.schmidt@beispiel-ag.de"


def test_outlook_windows_1252_file(store: Path) -> None:
    data = (CARDS / "outlook_21.vcf").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = import_vcf("Standard", data)
    assert (report.cards_read, report.added, report.errors) == (1, 1, [])
    [c] = stored()
    assert c.fn == "Günther Weiß"
    assert c.org.startswith("Bäckerei Weiß")
    assert "Schloßstraße" in c.vcard


def test_export_multi_with_bom_and_lf(store: Path) -> None:
    data = b"\xef\xbb\xbf" + (CARDS / "export_multi.vcf").read_bytes()
    report = import_vcf("Standard", data)
    assert (report.cards_read, report.added) == (3, 3)
    assert sorted(c.fn for c in stored()) == ["Anna Schmidt", "Karl Fischer", "Thomas Becker"]


def test_malformed_cards_are_reported_and_the_rest_imported(store: Path) -> None:
    broken = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kaputt Karl\r\n"  # END:VCARD missing
    data = vcf(card("Anna", "a1"), card("Bernd", "b1"), broken)
    report = import_vcf("Standard", data, source="alt.vcf")
    assert (report.cards_read, report.added) == (3, 2)
    assert len(report.errors) == 1
    assert report.errors[0].startswith("alt.vcf: Karte 3 („Kaputt Karl“): ")
    assert "vCard" in report.errors[0]
    assert [c.fn for c in stored()] == ["Anna", "Bernd"]


def test_a_phone_card_without_end_is_named_and_the_next_cards_still_arrive(store: Path) -> None:
    # Sony Ericsson phones write no FN; one card of a backup ended with "END:VCARD."
    broken = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8:Laurent;Catherine\r\n"
        "TEL;HOME:+33169389055\r\nEND:VCARD.\r\n"
    )
    data = vcf(card("Anna", "a1"), broken, card("Bernd", "b1"))
    report = import_vcf("Standard", data, source="handy.vcf")
    assert (report.cards_read, report.added) == (3, 2)
    assert len(report.errors) == 1
    assert report.errors[0].startswith("handy.vcf: Karte 2 („Catherine Laurent“): ")
    assert [c.fn for c in stored()] == ["Anna", "Bernd"]


def _jpeg() -> bytes:
    """A real phone JPEG (gammu's bug-779.vcf): NULs, CRs and LFs among its bytes."""
    text = vcard.decode_bytes(
        (CARDS / "realworld/sonyericsson_21_photo_empty_emails.vcf").read_bytes()
    )
    photo = vcard.read_photo(text)
    assert photo is not None
    return photo[0]


def _raw_photo_card(fn: str, uid: str, head: str = "PHOTO;TYPE=JPEG:") -> bytes:
    top = f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\n{head}"
    return top.encode() + _jpeg() + b"\r\nTEL:+49 30 1234\r\nEND:VCARD\r\n"


def _has_controls(text: str) -> bool:
    return bool(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)", text))


def test_a_raw_binary_photo_is_left_out_with_a_note_and_its_neighbours_arrive(
    store: Path,
) -> None:
    data = vcf(card("Anna", "a1")) + _raw_photo_card("Rita Roh", "r1") + vcf(card("Bernd", "b1"))
    report = import_vcf("Standard", data, source="backup.vcf")
    assert (report.cards_read, report.added, report.errors) == (3, 3, [])
    [note] = report.notes
    assert note.startswith("backup.vcf: Karte 2 („Rita Roh“): Das Foto (PHOTO) ist nicht lesbar")
    assert [c.fn for c in stored()] == ["Anna", "Rita Roh", "Bernd"]
    rita = stored()[1]
    assert rita.vcard == (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:r1\r\nFN:Rita Roh\r\nTEL:+49 30 1234\r\nEND:VCARD\r\n"
    )
    assert not any(_has_controls(c.vcard) for c in stored())
    assert stored()[0].vcard == card("Anna", "a1")  # the others as they were


def test_control_characters_leave_a_value_and_the_card_is_noted(store: Path) -> None:
    text = card("Nora Null", "n1", note="vor\x00nach\x1b")
    report = import_vcf("Standard", vcf(text))
    assert report.added == 1
    assert report.notes == [
        "Karte 1 („Nora Null“): Steuerzeichen im Wert von NOTE wurden entfernt. Die übrigen "
        "Angaben wurden übernommen."
    ]
    [nora] = stored()
    assert nora.vcard == card("Nora Null", "n1", note="vornach")


def test_a_sanitized_duplicate_is_noted_only_where_it_is_stored(store: Path) -> None:
    import_vcf("Standard", vcf(card("Rita Roh", "r1", note="alt")))
    skipped = import_vcf("Standard", _raw_photo_card("Rita Roh", "r1"), duplicates="skip")
    assert (skipped.duplicates_skipped, skipped.notes) == (1, [])
    updated = import_vcf("Standard", _raw_photo_card("Rita Roh", "r1"), duplicates="update")
    assert updated.updated == 1 and len(updated.notes) == 1 and "PHOTO" in updated.notes[0]
    [rita] = stored()
    assert not _has_controls(rita.vcard) and "PHOTO" not in rita.vcard
    # the same file again: the stored card is its sanitized text, so nothing changes
    again = import_vcf("Standard", _raw_photo_card("Rita Roh", "r1"), duplicates="update")
    assert (again.unchanged, again.updated, again.notes) == (1, 0, [])


def test_a_card_begun_inside_another_is_named_by_the_outer_one(store: Path) -> None:
    # The outer card (a phone's: N, no FN) lost its END:VCARD; its AGENT card has an FN.
    outer = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Chefin;Anna\r\nAGENT:\r\nBEGIN:VCARD\r\n"
        "VERSION:2.1\r\nFN:Bert Assistent\r\nTEL:111\r\nEND:VCARD\r\nTEL:222\r\n"
    )
    data = vcf(outer, card("Carla Nachbar", "c1"))
    report = import_vcf("Standard", data, source="handy.vcf")
    assert (report.cards_read, report.added) == (2, 1)
    [error] = report.errors
    assert error.startswith("handy.vcf: Karte 1 („Anna Chefin“): Die Karte ist nicht abgeschlossen")
    assert "Bert" not in error
    assert [c.fn for c in stored()] == ["Carla Nachbar"]
    # the last card of a file without END:VCARD keeps the general message
    last = import_vcf("Standard", vcf(card("Dora", "d1"), outer), source="ende.vcf")
    assert last.errors == [
        "ende.vcf: Karte 2 („Anna Chefin“): Der Kontakt ist keine lesbare vCard "
        "(BEGIN:VCARD … END:VCARD fehlt)."
    ]


def test_a_well_formed_agent_card_is_imported_with_its_card(store: Path) -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Chefin;Anna\r\nAGENT:\r\nBEGIN:VCARD\r\n"
        "VERSION:2.1\r\nFN:Bert Assistent\r\nTEL:111\r\nEND:VCARD\r\nTEL:222\r\nEND:VCARD\r\n"
    )
    report = import_vcf("Standard", vcf(text))
    assert (report.added, report.errors, report.notes) == (1, [], [])
    [anna] = stored()
    assert (anna.fn, anna.phone) == ("Anna Chefin", "222")
    assert vcard.ensure_uid(text, anna.uid) == anna.vcard  # kept whole, only a UID added


def test_an_unreadable_card_in_the_middle_does_not_stop_the_rest(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = vcard.summarize_and_hash  # the import reads each card once, with this

    def picky(text: str) -> tuple[vcard.CardSummary, str]:
        if "Zukunft" in text:
            raise vcard.CardError("Diese vCard ist kaputt.")
        return real(text)

    monkeypatch.setattr(vcard, "summarize_and_hash", picky)
    bad = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN;CHARSET=UTF-8:Zukunft\r\nEND:VCARD\r\n"
    report = import_vcf("Standard", vcf(card("Anna", "a1"), bad, card("Bernd", "b1")))
    assert report.added == 2
    assert report.errors == ["Karte 2 („Zukunft“): Diese vCard ist kaputt."]
    assert [c.fn for c in stored()] == ["Anna", "Bernd"]


def test_file_without_cards(store: Path) -> None:
    report = import_vcf("Standard", b"hello\r\n", source="x.vcf")
    assert report.cards_read == 0 and report.added == 0
    assert report.errors == ["x.vcf: Die Datei enthält keine vCard (BEGIN:VCARD fehlt)."]


def test_unknown_duplicates_mode(store: Path) -> None:
    with pytest.raises(ValueError):
        import_vcf("Standard", vcf(card("A")), duplicates="merge")


def test_chunks_of_500_all_arrive(store: Path) -> None:
    data = vcf(*(card(f"Person {i}", f"uid-{i}") for i in range(1203)))
    report = import_vcf("Standard", data)
    assert (report.cards_read, report.added) == (1203, 1203)
    assert Contact.select().count() == 1203


# ---------------------------------------------------------------- duplicates

# Existing: UID match, name+e-mail match, content match (no e-mail); all three re-read with
# different content where the mode "update" has something to change.


def _existing() -> dict[str, int]:
    book = get_book("Standard")
    return {
        "uid": add_contact(book, card("Uwe Uid", "uid-1", note="alt")).id,
        "key": add_contact(book, card("Erna Mail", "key-1", "erna@example.org", "alt")).id,
        "hash": add_contact(book, card("Hans Hash", "hash-1")).id,
    }


def _incoming() -> bytes:
    return vcf(
        card("Uwe Umbenannt", "uid-1", note="neu"),  # same UID, other name
        card("ERNA MAIL", "other-uid", "Erna@Example.org", "neu"),  # name + e-mail
        card("Hans Hash", None),  # no UID, no e-mail, identical content
        card("Neu Neumann", "new-1"),  # new
        card("Neu Neumann", "new-1"),  # within the file: same UID
        card("Zweite Zora", None, "zora@example.org"),  # new
        card("Zweite Zora", None, "zora@example.org", "anders"),  # within: name + e-mail
    )


def test_duplicates_skip(store: Path) -> None:
    ids = _existing()
    report = import_vcf("Standard", _incoming(), duplicates="skip")
    assert report == ImportReport(cards_read=7, added=2, duplicates_skipped=5)
    assert Contact.get_by_id(ids["uid"]).fn == "Uwe Uid"
    assert Contact.get_by_id(ids["key"]).uid == "key-1"
    assert sorted(c.fn for c in stored()) == [
        "Erna Mail",
        "Hans Hash",
        "Neu Neumann",
        "Uwe Uid",
        "Zweite Zora",
    ]
    assert history(Contact.get_by_id(ids["uid"])) == []


def test_duplicates_update(store: Path) -> None:
    ids = _existing()
    report = import_vcf("Standard", _incoming(), duplicates="update")
    # Hans (identical) and the second Neu Neumann (identical) are unchanged; Uwe, Erna and
    # the second Zora (other NOTE) update.
    assert report == ImportReport(cards_read=7, added=2, updated=3, unchanged=2)
    uwe = Contact.get_by_id(ids["uid"])
    assert uwe.fn == "Uwe Umbenannt" and "NOTE:neu" in uwe.vcard
    assert [v.vcard for v in history(uwe)] == [card("Uwe Uid", "uid-1", note="alt")]
    erna = Contact.get_by_id(ids["key"])
    assert erna.uid == "key-1"  # keeps its UID so syncs stay attached
    assert vcard.summarize(erna.vcard).uid == "key-1" and "other-uid" not in erna.vcard
    assert "NOTE:neu" in erna.vcard and len(history(erna)) == 1
    assert history(Contact.get_by_id(ids["hash"])) == []
    zora = [c for c in stored() if c.fn == "Zweite Zora"]
    assert len(zora) == 1 and "NOTE:anders" in zora[0].vcard
    assert vcard.summarize(zora[0].vcard).uid == zora[0].uid
    assert len(stored()) == 5


def test_duplicates_add_anyway(store: Path) -> None:
    _existing()
    report = import_vcf("Standard", _incoming(), duplicates="add")
    assert (report.cards_read, report.added, report.duplicates_skipped, report.updated) == (
        7,
        7,
        0,
        0,
    )
    contacts = stored()
    assert len(contacts) == 10
    uids = [c.uid for c in contacts]
    assert len(set(uids)) == 10  # a taken UID is replaced by a new one
    assert sum(1 for c in contacts if c.fn == "Neu Neumann") == 2
    assert all(vcard.summarize(c.vcard).uid == c.uid for c in contacts)
    assert sum("mit neuer UID" in n for n in report.notes) == 2  # uid-1 and new-1 again


def test_hash_duplicate_ignores_line_endings_and_uid(store: Path) -> None:
    add_contact(get_book("Standard"), card("Gleich Gustav", "g-1"))
    same = card("Gleich Gustav", "g-2").replace("\r\n", "\n")
    report = import_vcf("Standard", vcf(same))
    assert report.duplicates_skipped == 1 and report.added == 0


def test_other_books_are_not_duplicates(store: Path) -> None:
    create_book("Kunden")
    add_contact(get_book("Kunden"), card("Anna", "a1"))
    report = import_vcf("Standard", vcf(card("Anna", "a1")))
    assert report.added == 1


# ---------------------------------------------------------------- trash


@pytest.mark.parametrize("mode", ["skip", "update", "add"])
def test_trashed_uid_is_not_imported_again(store: Path, mode: str) -> None:
    book = get_book("Standard")
    delete_contact(add_contact(book, card("Weg Walter", "gone-1")))
    Tombstone.create(book=book, uid="tomb-1", href="/dav/x/tomb-1.vcf")
    data = vcf(card("Weg Walter", "gone-1"), card("Grab Gerda", "tomb-1"), card("Da", "d1"))
    report = import_vcf("Standard", data, duplicates=mode)
    assert (report.skipped_trashed, report.added) == (2, 1)
    assert len(report.notes) == 2
    assert report.notes[0].startswith("Karte 1 („Weg Walter“): ")
    assert "Papierkorb" in report.notes[0]
    assert [c.fn for c in stored()] == ["Da"]


def test_restored_contact_is_a_normal_duplicate(store: Path) -> None:
    c = add_contact(get_book("Standard"), card("Wieder Willi", "w-1"))
    delete_contact(c)
    restore_contact(c)
    report = import_vcf("Standard", vcf(card("Wieder Willi", "w-1")))
    assert (report.duplicates_skipped, report.skipped_trashed) == (1, 0)


# ---------------------------------------------------------------- export


def test_export_round_trip_gives_the_same_cards(store: Path) -> None:
    texts = [vcard.decode_bytes((CARDS / name).read_bytes()) for name in PRODUCERS]
    texts.append(vcard.decode_bytes((CARDS / "outlook_21.vcf").read_bytes()))
    texts.append((CARDS / "lf_mixed_folding_30.vcf").read_text(encoding="utf-8"))
    import_vcf("Standard", "\r\n".join(texts).encode("utf-8"))
    delete_contact(stored()[0])
    data = export_book("Standard")
    data.decode("utf-8")
    create_book("Leer")
    report = import_vcf("Leer", data)
    assert (report.cards_read, report.added, report.errors) == (9, 9, [])
    # the same cards; only the Outlook card's Windows-1252 labels now say UTF-8, as the file is
    original = {c.uid: vcard.export_text(c.vcard) for c in stored("Standard")}
    again = {c.uid: c.vcard for c in stored("Leer")}
    assert again == original
    assert sum(c.vcard != vcard.export_text(c.vcard) for c in stored("Standard")) == 1
    assert export_book("Leer") == data  # export -> import -> export: the same bytes
    with_trash = import_vcf("Leer", export_book("Standard", include_trash=True))
    assert (with_trash.cards_read, with_trash.duplicates_skipped) == (10, 9)


def test_export_selected_ids_in_order_and_separated(store: Path) -> None:
    book = get_book("Standard")
    a = add_contact(book, "BEGIN:VCARD\nVERSION:3.0\nUID:a\nFN:Anna\nEND:VCARD")  # no EOL
    b = add_contact(book, card("Bernd", "b"))
    data = export_vcf([b.id, a.id, 999, b.id])
    text = data.decode("utf-8")
    assert text == card("Bernd", "b") + "BEGIN:VCARD\nVERSION:3.0\nUID:a\nFN:Anna\nEND:VCARD\r\n"
    assert [vcard.summarize(t).fn for t in vcard.split_cards(text)] == ["Bernd", "Anna"]
    assert export_vcf([]) == b""


def test_export_book_orders_by_name_and_leaves_trash_out(store: Path) -> None:
    book = get_book("Standard")
    add_contact(book, card("zora", "z"))
    add_contact(book, card("Anna", "a"))
    delete_contact(add_contact(book, card("Mia", "m")))
    fns = [vcard.summarize(t).fn for t in vcard.split_cards(export_book("Standard").decode())]
    assert fns == ["Anna", "zora"]
    assert len(list_contacts(book, trash=True)) == 1


def test_default_export_name() -> None:
    day = date(2026, 11, 29)
    assert default_export_name("Standard", day) == "Kontakte-Standard-2026-11-29.vcf"
    assert default_export_name("Kunden/Lieferanten: A", day) == (
        "Kontakte-Kunden_Lieferanten_ A-2026-11-29.vcf"
    )
    assert default_export_name("  ", day) == "Kontakte-Adressbuch-2026-11-29.vcf"
    assert default_export_name("X").endswith(f"-{date.today().isoformat()}.vcf")


def test_report_merge() -> None:
    a = ImportReport(cards_read=2, added=1, errors=["e1"], notes=["n1"])
    b = ImportReport(cards_read=3, updated=2, skipped_trashed=1, errors=["e2"])
    assert a.merge(b) == ImportReport(
        cards_read=5, added=1, updated=2, skipped_trashed=1, errors=["e1", "e2"], notes=["n1"]
    )


def test_group_cards_are_counted_apart_from_contacts(store: Path) -> None:
    """"N Kontakte angelegt" counts people: a group card in the file is a group added."""
    group = "\r\n".join([
        "BEGIN:VCARD", "VERSION:4.0", "UID:g-1", "KIND:group", "FN:Presse",
        "MEMBER:urn:uuid:a-1", "END:VCARD",
    ]) + "\r\n"  # fmt: skip
    report = import_vcf("Standard", vcf(card("Anna", "a-1"), group, card("Bert", "b-1")))
    assert (report.added, report.groups_added, report.cards_read) == (2, 1, 3)
    again = import_vcf("Standard", vcf(card("Carla", "c-1"))).merge(report)
    assert (again.added, again.groups_added) == (3, 1)
