"""A big .vcf is read in slices (app.store.vcf.read_cards): exactly the cards of reading it
whole — also with a 2.1 AGENT card nested in a card, a card that lost its END:VCARD, LF
line ends and lines in Windows-1252 among UTF-8 ones."""

from __future__ import annotations

import pytest

from app.store import vcf
from app.vcard import decode_bytes, split_cards


def person(i: int, eol: str = "\r\n") -> str:
    return eol.join(["BEGIN:VCARD", "VERSION:3.0", f"UID:p-{i}", f"FN:Jürgen {i}", "END:VCARD", ""])


AGENT = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Chef;Anna\r\nAGENT:\r\nBEGIN:VCARD\r\nVERSION:2.1\r\n"
    "N:Assistenz;Bernd\r\nEND:VCARD\r\nEND:VCARD\r\n"
)
NO_END = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ohne Ende\r\n"  # the next BEGIN cuts it off


@pytest.mark.parametrize("eol", ["\r\n", "\n"])
def test_slices_give_the_cards_of_the_whole_file(monkeypatch: pytest.MonkeyPatch, eol: str) -> None:
    monkeypatch.setattr(vcf, "SLICE", 200)  # a slice every few cards
    texts: list[bytes] = []
    for i in range(60):
        texts.append(person(i, eol).encode("utf-8"))
        if i % 7 == 3:
            texts.append(AGENT.replace("\r\n", eol).encode("utf-8"))
        if i % 11 == 5:
            texts.append(NO_END.replace("\r\n", eol).encode("utf-8"))
        if i % 13 == 2:
            texts.append(
                person(1000 + i, eol).encode("utf-8").replace(b"J\xc3\xbcrgen", b"J\xfcrgen")
            )
    data = b"\xef\xbb\xbf" + b"".join(texts)

    whole = split_cards(decode_bytes(data))

    assert vcf.read_cards(data) == whole
    assert len(whole) > 60 and any("AGENT" in c for c in whole)
    assert any("Jürgen 1002" in c for c in whole)  # the Windows-1252 line decoded
