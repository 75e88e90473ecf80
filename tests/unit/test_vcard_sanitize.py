"""Control characters in cards (issue 17, "Broken input is stored"): `vcard.sanitize`.

RFC 6350 §3.3: a vCard is text; no control character but HTAB belongs in a value. A PHOTO
holding raw bytes instead of base64 (a phone backup that wrote the JPEG as it is) cannot be
decoded and is left out, with the lines its line breaks made; other values lose their
control characters. Everything else stays byte for byte.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import vcard
from app.vcard import CardError, Sanitized, sanitize
from app.vcard.sanitizing import _has_controls

REALWORLD = Path(__file__).parent / "cards" / "realworld"
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def jpeg_bytes() -> bytes:
    """The real phone photo of gammu's bug-779.vcf (4,881 bytes with NUL, CR and LF)."""
    text = vcard.decode_bytes((REALWORLD / "sonyericsson_21_photo_empty_emails.vcf").read_bytes())
    photo = vcard.read_photo(text)
    assert photo is not None
    data = photo[0]
    assert b"\x00" in data and b"\r" in data and b"\n" in data
    return data


def controls_in_values(text: str) -> list[str]:
    """Control characters other than the line breaks (a lone CR in a LF text counts)."""
    return CONTROLS.findall(text) + re.findall(r"\r(?!\r*\n)", text)


def card_of(data: bytes) -> str:
    [card] = vcard.split_cards(vcard.decode_bytes(data))
    return card


# ---------------------------------------------------------------- a raw binary photo


def test_the_phone_backup_with_a_raw_jpeg_loses_only_its_photo() -> None:
    card = card_of((REALWORLD / "sonyericsson_21_raw_binary_photo.vcf").read_bytes())
    assert controls_in_values(card)  # what the file holds: the JPEG's bytes
    clean = sanitize(card)
    assert clean.dropped == ("PHOTO",) and clean.cleaned == ()
    assert not controls_in_values(clean.text)
    assert "PHOTO" not in clean.text
    # the rest of the card is the phone's, line for line
    original = card_of((REALWORLD / "sonyericsson_21_photo_empty_emails.vcf").read_bytes())
    assert vcard.read_fields(clean.text) == vcard.read_fields(original)
    kept = [line for line in original.split("\n") if line and not line.startswith((" ", "PHOTO"))]
    assert [line for line in clean.text.split("\n") if line] == kept
    assert vcard.read_photo(clean.text) is None
    assert "Foto" in clean.message() and "übrigen Angaben" in clean.message()
    assert sanitize(clean.text) == Sanitized(clean.text)  # nothing left to do


@pytest.mark.parametrize(
    "head",
    [
        "PHOTO;ENCODING=BASE64;TYPE=JPEG:",  # 2.1, as the phone wrote it
        "PHOTO;TYPE=JPEG:",  # no ENCODING at all
        "PHOTO;ENCODING=b;TYPE=JPEG:",  # 3.0
        "item1.PHOTO;TYPE=JPEG:",
    ],
)
@pytest.mark.parametrize("eol", ["\r\n", "\n"])
def test_a_raw_photo_goes_and_the_lines_after_it_stay(head: str, eol: str) -> None:
    before = eol.join(["BEGIN:VCARD", "VERSION:3.0", "UID:raw-1", "FN:Rita Roh", "N:Roh;Rita;;;"])
    after = eol.join(["TEL;TYPE=CELL:+49 170 1234567", "EMAIL:rita@example.org",
                      "NOTE:nach dem Foto", "X-CUSTOM:bleibt", "END:VCARD"])  # fmt: skip
    data = (before + eol + head).encode() + jpeg_bytes() + (eol + after + eol).encode()
    card = card_of(data)
    clean = sanitize(card)
    assert clean.dropped == ("PHOTO",)
    assert not controls_in_values(clean.text)
    assert clean.text == before + eol + after + eol
    fields = vcard.read_fields(clean.text)
    assert (fields.fn, fields.phones, fields.emails, fields.note) == (
        "Rita Roh",
        [("cell", "+49 170 1234567")],
        [("", "rita@example.org")],
        "nach dem Foto",
    )


def test_the_binary_run_ends_at_the_next_property() -> None:
    # a line break in the data makes a "line" of its own: more of the same bytes, until a
    # line starts like a property again (a known name or an X- name)
    card = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Bauer;Bea\r\n"
        "PHOTO;ENCODING=BASE64;TYPE=JPEG:\xff\xd8\xff\xe0\x00\x10JFIF\x00\r\n"
        "Q8:\x01\x02garbage\r\n"  # looks like a line with a colon: still the photo
        "zz\xe4:\r\n"  # no control character, but no property name either
        "X-IRMC-LUID:0002\r\n"
        "TEL;CELL:0170\r\nEND:VCARD\r\n"
    )
    clean = sanitize(card)
    assert clean.text == (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Bauer;Bea\r\nX-IRMC-LUID:0002\r\nTEL;CELL:0170\r\n"
        "END:VCARD\r\n"
    )


def test_other_binary_values_with_raw_bytes_go_too() -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Olaf Outlook\r\n"
        "X-MS-CARDPICTURE;ENCODING=BASE64;TYPE=JPEG:\xff\xd8\x00\x01\r\n"
        "LOGO;TYPE=PNG:\x89PNG\r\x1a\x00\r\n"
        "END:VCARD\r\n"
    )
    clean = sanitize(card)
    assert clean.dropped == ("X-MS-CARDPICTURE", "LOGO")
    assert clean.text == "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Olaf Outlook\r\nEND:VCARD\r\n"
    assert "X-MS-CARDPICTURE, LOGO" in clean.message()


def test_a_base64_photo_stays_as_it_is() -> None:
    text = (REALWORLD / "sonyericsson_21_photo_empty_emails.vcf").read_text(encoding="utf-8")
    clean = sanitize(text)
    assert clean.text is text and not clean.changed and clean.message() == ""


# ---------------------------------------------------------------- control characters in text


def test_control_characters_leave_text_values_and_the_hash_does_not_move() -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-1\r\nFN:Clara\x00 Control\r\n"
        "NOTE:Zeile\x1b[1m eins\x7f und\tTab\r\nTEL:0\x0c89 123\r\n"
        "ORG:Firma\x85 GmbH\r\nEND:VCARD\r\n"
    )
    clean = sanitize(card)
    assert clean.dropped == () and clean.cleaned == ("FN", "NOTE", "TEL", "ORG")
    assert clean.text == (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c-1\r\nFN:Clara Control\r\n"
        "NOTE:Zeile[1m eins und\tTab\r\nTEL:089 123\r\nORG:Firma GmbH\r\nEND:VCARD\r\n"
    )
    # what the app shows and compares ignored them already: same fields, same hash, so a
    # server card cleaned this way is no change on either side
    assert vcard.read_fields(clean.text) == vcard.read_fields(card)
    assert vcard.normalized_hash(clean.text) == vcard.normalized_hash(card)
    assert "Steuerzeichen in den Werten von FN, NOTE, TEL, ORG wurden entfernt." in (
        clean.message()
    )


def test_a_lone_cr_inside_a_value_is_a_control_character() -> None:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna\rBerta\r\nNOTE:x\r\r\nEND:VCARD\r\n"
    clean = sanitize(card)
    assert clean.cleaned == ("FN",)
    assert clean.text == "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:AnnaBerta\r\nNOTE:x\r\r\nEND:VCARD\r\n"


def test_line_breaks_of_any_kind_are_no_control_characters() -> None:
    for eol in ("\r\n", "\n", "\r"):
        card = eol.join(["BEGIN:VCARD", "VERSION:3.0", "FN:Lena\tLinie",
                         "NOTE:lang", " er Text", "END:VCARD", ""])  # fmt: skip
        clean = sanitize(card)
        assert clean.text is card and not clean.changed, repr(eol)


def test_a_nested_agent_card_keeps_its_place() -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Chefin;Anna\r\nAGENT:\r\nBEGIN:VCARD\r\n"
        "VERSION:2.1\r\nFN:Bert\x00 Assistent\r\nEND:VCARD\r\nTEL:222\r\nEND:VCARD\r\n"
    )
    clean = sanitize(card)
    assert clean.cleaned == ("AGENT",)
    assert clean.text == card.replace("\x00", "")
    assert vcard.summarize(clean.text).fn == "Anna Chefin"


def test_a_non_card_with_control_characters_is_still_refused() -> None:
    with pytest.raises(CardError):
        sanitize("BEGIN:VCARD\r\nFN:A\x00\r\n")


def test_the_fast_check_finds_exactly_the_control_characters() -> None:
    # every character of the first 512 code points and a few beyond, alone and in text
    samples = [chr(c) for c in range(512)] + ["\u2028", "\ufeff", "\U0001f600", "\ud800"]
    for ch in samples:
        text = f"FN:Grüße {ch} Welt\r\n"
        expected = bool(CONTROLS.search(ch)) or ch == "\r"  # a CR inside a CRLF line
        assert _has_controls(text, True) == expected, repr(ch)
    assert not _has_controls("FN:Grüße Welt\r\n", True)
