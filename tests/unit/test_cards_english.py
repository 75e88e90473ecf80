"""The card and calendar readers' texts in English (issue 20): .vcf import notes and errors
over the real-world corpus and the broken cards the other tests use, sanitize notes, photo
refusals, CardError and ICalError texts. The figures of an import are the same in both
languages; only the human text changes. German stays the default."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from app import i18n, ical, vcard
from app.store.contacts import delete_contact
from app.store.models import Contact
from app.store.vcf import ImportReport, default_export_name, import_vcf
from tests.i18n_words import assert_no_german, german_words

CARDS = Path(__file__).parent / "cards"
REALWORLD = CARDS / "realworld"
CORPUS = sorted([*REALWORLD.glob("*.vcf"), *CARDS.glob("*.vcf")])


@pytest.fixture
def english() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("de")


def texts_only(text: str) -> str:
    """A report line without the user's data: what is quoted (a card's name, a book's
    name) and the file name before the first colon."""
    text = re.sub(r"“[^”]*”|„[^“]*“", "“”", text)
    return re.sub(r"^[\w.-]+\.vcf: ", "", text)


def card(fn: str, uid: str, note: str = "") -> str:
    extra = f"NOTE:{note}\r\n" if note else ""
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\n{extra}END:VCARD\r\n"


def _jpeg() -> bytes:
    text = vcard.decode_bytes((REALWORLD / "sonyericsson_21_photo_empty_emails.vcf").read_bytes())
    photo = vcard.read_photo(text)
    assert photo is not None
    return photo[0]


#: The broken input of tests/unit/test_vcf.py and test_realworld_cards.py, in one file:
#: a card without END:VCARD, one ending in "END:VCARD.", a raw binary photo, control
#: characters in a value, and a card begun inside another.
BROKEN = b"".join(
    [
        card("Anna Alpha", "a1").encode(),
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8:Laurent;Catherine\r\n"
        b"TEL;HOME:+33169389055\r\nEND:VCARD.\r\n",
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:r1\r\nFN:Rita Roh\r\nPHOTO;TYPE=JPEG:"
        + _jpeg()
        + b"\r\nTEL:+49 30 1234\r\nEND:VCARD\r\n",
        card("Nora Null", "n1", note="before\x00after\x1b").encode(),
        (REALWORLD / "sonyericsson_21_agent_nested.vcf").read_bytes(),
        (REALWORLD / "sonyericsson_21_raw_binary_photo.vcf").read_bytes(),
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kaputt Karl\r\n",
    ]
)


def _import(data: bytes, book: str = "Standard", **options: str) -> ImportReport:
    return import_vcf(book, data, source="file.vcf", **options)


def test_broken_cards_are_reported_in_english(store: Path, english: None) -> None:
    report = _import(BROKEN)
    lines = [*report.errors, *report.notes]
    assert len(report.errors) >= 3 and len(report.notes) >= 3
    for line in lines:
        assert_no_german(texts_only(line))
        assert line.startswith("file.vcf: Card ")
    assert any(
        "The card is not complete (END:VCARD is missing before the next card" in e
        for e in report.errors
    )
    assert any(
        e.endswith("The contact is not a readable vCard (BEGIN:VCARD … END:VCARD missing).")
        for e in report.errors
    )
    assert any(
        "The photo (PHOTO) cannot be read: it holds the raw image data instead of Base64" in n
        for n in report.notes
    )
    assert any(
        n.endswith(
            "Control characters in the value of NOTE were removed. "
            "The other fields were taken over."
        )
        for n in report.notes
    )


def test_the_same_import_has_the_same_figures_in_both_languages(store: Path) -> None:
    german = _import(BROKEN)
    Contact.delete().execute()
    i18n.set_language("en")
    english = _import(BROKEN)
    assert (german.cards_read, german.added, len(german.errors), len(german.notes)) == (
        english.cards_read,
        english.added,
        len(english.errors),
        len(english.notes),
    )
    assert german.errors != english.errors
    assert any(german_words(texts_only(e)) for e in german.errors)  # German by default


def test_the_real_world_corpus_imports_with_english_notes(store: Path, english: None) -> None:
    """Every file of the corpus, then all of them again: refused as duplicates (all three
    rules), then added anyway (new UIDs), then with one contact in the trash."""
    data = b"".join(p.read_bytes() if p.read_bytes().endswith(b"\n") else p.read_bytes() + b"\r\n"
                    for p in CORPUS)  # fmt: skip
    first = _import(data)
    assert first.added > 40
    refused = _import(data, duplicates="refuse", refuse_hint="use --duplicates")
    assert refused.refused > 40
    added = _import(data, duplicates="add")
    assert added.new_uid > 0
    trashed = Contact.select().where(Contact.uid != "").order_by(Contact.id).first()
    delete_contact(trashed)
    Contact.delete().where((Contact.uid == trashed.uid) & Contact.deleted_at.is_null()).execute()
    skipped = _import(data, duplicates="skip")
    assert skipped.skipped_trashed >= 1
    lines = [*first.errors, *first.notes, *refused.errors, *added.notes, *skipped.notes]
    for line in lines:
        assert_no_german(texts_only(line))
    joined = "\n".join(lines)
    for said in (
        "already has a contact with the UID",
        "already has a contact with the same name and email address",
        "the card was not imported – use --duplicates.",
        "added as a duplicate, with the new UID",
        "a contact with this UID is in the trash or was deleted; it is not imported again.",
    ):
        assert said in joined, said
    assert "The address book “Default”" in joined  # the built-in book by its shown name


def test_a_file_without_cards(store: Path, english: None) -> None:
    report = _import(b"no cards here")
    assert report.errors == ["file.vcf: The file contains no vCard (BEGIN:VCARD missing)."]


def test_export_name_in_english() -> None:
    day = datetime(2026, 11, 29).date()
    assert default_export_name("Standard", day) == "Kontakte-Standard-2026-11-29.vcf"
    i18n.set_language("en")
    assert default_export_name("Standard", day) == "Contacts-Default-2026-11-29.vcf"
    assert default_export_name("Clients", day) == "Contacts-Clients-2026-11-29.vcf"
    assert default_export_name(" . ", day) == "Contacts-Address book-2026-11-29.vcf"


# ---------------------------------------------------------------- sanitize, photo, CardError


def test_sanitize_notes_in_english(english: None) -> None:
    raw = (REALWORLD / "sonyericsson_21_raw_binary_photo.vcf").read_bytes()
    [photo] = vcard.split_cards(vcard.decode_bytes(raw))
    two = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Olaf Outlook\r\n"
        "X-MS-CARDPICTURE;ENCODING=BASE64;TYPE=JPEG:\xff\xd8\x00\x01\r\n"
        "LOGO;TYPE=PNG:\x89PNG\r\x1a\x00\r\nEND:VCARD\r\n"
    )
    one = two.replace("LOGO;TYPE=PNG:\x89PNG\r\x1a\x00\r\n", "")
    cleaned = card("Nora", "n1", note="a\x00b").replace("FN:Nora", "FN:No\x01ra")
    messages = [vcard.sanitize(t).message() for t in (photo, two, one, cleaned)]
    assert messages == [
        "The photo (PHOTO) cannot be read: it holds the raw image data instead of Base64 "
        "(control characters in the value). It was left out. The other fields were taken over.",
        "The fields X-MS-CARDPICTURE, LOGO cannot be read: they hold raw binary data instead "
        "of Base64 (control characters in the value). They were left out. The other fields "
        "were taken over.",
        "The field X-MS-CARDPICTURE cannot be read: it holds raw binary data instead of Base64 "
        "(control characters in the value). It was left out. The other fields were taken over.",
        "Control characters in the values of FN, NOTE were removed. The other fields were "
        "taken over.",
    ]
    for message in messages:
        assert_no_german(message)


def test_card_errors_in_english_and_their_reason_in_neither(english: None) -> None:
    for text, reason, detail in (
        ("no card at all", vcard.MISSING_BEGIN, "BEGIN:VCARD missing"),
        ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut\r\n", vcard.MISSING_END, "END:VCARD missing"),
    ):
        for read in (vcard.summarize, vcard.read_fields, vcard.sanitize):
            with pytest.raises(vcard.CardError) as info:
                read(text if read is not vcard.sanitize else text + "\x00")
            error = info.value
            assert error.message == (
                "The contact is not a readable vCard (BEGIN:VCARD … END:VCARD missing)."
            )
            assert (error.detail, error.reason) == (detail, reason)
            assert_no_german(str(error))
    i18n.set_language("de")
    with pytest.raises(vcard.CardError) as info:
        vcard.summarize("kein Kontakt")
    assert (info.value.detail, info.value.reason) == ("BEGIN:VCARD fehlt", vcard.MISSING_BEGIN)


def test_photo_refusals_in_english(english: None) -> None:
    huge = "A" * (vcard.MAX_PHOTO_BYTES * 2)
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big\r\n"
        f"PHOTO;ENCODING=b;TYPE=JPEG:{huge}\r\nEND:VCARD\r\n"
    )
    problem = vcard.photo_problem(text)
    assert problem is not None and problem.startswith("This contact's photo is too large to show")
    assert_no_german(problem)


# ---------------------------------------------------------------- iCalendar


def test_ical_errors_in_english(english: None) -> None:
    start = datetime(2026, 12, 1, 10)
    said = []
    with pytest.raises(ical.ICalError) as info:
        ical.new_event("e-1", "Review", start, datetime(2026, 12, 1, 9))
    said.append(str(info.value))
    with pytest.raises(ical.ICalError) as info:
        ical.summarize("no calendar")
    said.append(str(info.value))
    todo = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTODO\r\nUID:t\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
    )
    with pytest.raises(ical.NotAnEvent) as info:
        ical.summarize(todo)
    said.append(str(info.value))
    deep = "BEGIN:VCALENDAR\r\n" + "BEGIN:X\r\n" * 200 + "END:X\r\n" * 200 + "END:VCALENDAR\r\n"
    with pytest.raises(ical.ICalError) as info:
        ical.summarize(deep)
    said.append(str(info.value))
    assert said[:3] == ["End before start", "no VCALENDAR", "no VEVENT"]
    assert said[3].startswith("nested too deeply (more than ")
    for text in said:
        assert_no_german(text)
    with pytest.raises(ValueError, match="Ende vor Beginn"):
        i18n.set_language("de")
        ical.new_event("e-1", "Review", start, datetime(2026, 12, 1, 9))
