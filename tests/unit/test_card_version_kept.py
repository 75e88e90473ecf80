"""An edit keeps a card's vCard version, and the upload sends it as it is.

Every 3.0 and 4.0 card of the real-producers corpus (tests/unit/cards/realworld) and the
hand-made altid_40.vcf: edited as the contact editor and `contacts edit` do it
(`vcard.edit_card` without a version), it keeps its VERSION and every line the edit did
not touch; `prepare_for_upload` with that version accepted returns it byte for byte (the
server round trip is tests/servers/test_vcard_versions.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app import vcard

CARDS = Path(__file__).parent / "cards"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _cards() -> list[tuple[str, int, str]]:
    out = []
    for path in [*sorted((CARDS / "realworld").glob("*.vcf")), CARDS / "altid_40.vcf"]:
        text = vcard.decode_bytes(path.read_bytes())
        for i, card in enumerate(vcard.split_cards(text)):
            try:
                version = vcard.summarize(card).version
            except vcard.CardError:
                continue
            if version in ("3.0", "4.0") and "\nVERSION:" in card.upper().replace("\r", ""):
                out.append((path.name, i, card))
    return out


CORPUS = _cards()


def _version_line(text: str) -> str:
    lines = text.replace("\r\n", "\n").split("\n")
    return next(x for x in lines if x.upper().startswith("VERSION"))


def test_the_corpus_has_both_versions() -> None:
    versions = {vcard.summarize(card).version for _name, _i, card in CORPUS}
    assert versions == {"3.0", "4.0"}
    assert sum(vcard.summarize(card).version == "4.0" for _n, _i, card in CORPUS) >= 5


@pytest.mark.parametrize(("name", "index", "card"), CORPUS, ids=[f"{n}#{i}" for n, i, _ in CORPUS])
def test_an_edited_card_keeps_its_version_and_goes_up_unchanged(
    name: str, index: int, card: str
) -> None:
    own = vcard.summarize(card).version
    fields = vcard.read_fields(card)
    phone = ("cell", "+49 170 9998887")
    edited = vcard.edit_card(card, replace(fields, phones=[phone, *fields.phones[1:]]), now=NOW)
    assert edited != card
    assert vcard.summarize(edited).version == own
    assert _version_line(edited) == _version_line(card)
    assert "+49 170 9998887" in vcard.summarize(edited).phones
    legacy = "CHARSET=" in card.upper() or "QUOTED-PRINTABLE" in card.upper()
    for accepted in [(own,), ("3.0", "4.0"), ()]:
        up = vcard.prepare_for_upload(edited, accepted)
        assert vcard.summarize(up).version == own, accepted
        if not legacy:  # (a CHARSET or QUOTED-PRINTABLE is cleaned, in the card's version)
            assert up == edited, accepted  # accepted as it is: not a byte changed
