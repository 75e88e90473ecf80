"""Photos over the caps are not shown, but their cards sync byte-identical (Radicale).

Two server cards carry photos that `vcard.read_photo` refuses: a decompression bomb (a
valid 110 KB PNG of 30000 x 30000 pixels) and a 2.2 MB photo (over MAX_PHOTO_BYTES).
A two-way sync imports them unchanged; a local edit of the name goes back to the server
with the PHOTO line exactly as the other producer wrote it.
"""

from __future__ import annotations

import base64

from app import vcard
from app.store import contacts as cs
from tests.robustness.conftest import Rig
from tests.unit.test_vcard_photo import png_bomb


def _folded(line: str) -> str:
    """RFC 6350 folding at 75 characters, CRLF + space, with a final CRLF."""
    parts = [line[:75]] + [" " + line[i : i + 74] for i in range(75, len(line), 74)]
    return "\r\n".join(parts) + "\r\n"


def _photo_lines(text: str) -> list[str]:
    logical = text.replace("\r\n ", "").replace("\n ", "").replace("\r\n", "\n").split("\n")
    return [line for line in logical if line.upper().startswith("PHOTO")]


def test_refused_photos_sync_byte_identical(rig: Rig) -> None:
    bomb = base64.b64encode(png_bomb()).decode("ascii")
    over_cap = vcard.MAX_PHOTO_BYTES + 200 * 1024
    big = base64.b64encode(b"\xff\xd8\xff\xe0" + bytes(over_cap)).decode("ascii")
    cards = {
        "bomb": f"PHOTO;ENCODING=b;TYPE=PNG:{bomb}",
        "big": f"PHOTO;ENCODING=b;TYPE=JPEG:{big}",
    }
    sent: dict[str, str] = {}
    for uid, photo in cards.items():
        text = (
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:Foto {uid}\r\n"
            f"{_folded(photo)}"
            "END:VCARD\r\n"
        )
        rig.server.put_card(rig.book_url, f"{uid}.vcf", text)
        sent[uid] = rig.server_cards()[uid][0]
    code, report, err = rig.sync()
    assert code == 0, (report, err)
    local = rig.local_cards()
    for uid in cards:
        [text] = local[uid]
        assert text == sent[uid]  # stored exactly as the server delivered it
        assert vcard.read_photo(text) is None
        assert vcard.photo_problem(text)
    # A local edit of the name: the PHOTO line goes back untouched.
    book = cs.get_book(rig.name)
    for uid in cards:
        contact = cs.find_contacts(book, uid)[0]
        fields = vcard.read_fields(contact.vcard)
        fields.fn = f"Geändert {uid}"
        cs.update_contact(contact, vcard.edit_card(contact.vcard, fields))
    code, report, err = rig.sync()
    assert code == 0, (report, err)
    assert report["totals"]["updated_server"] == 2
    server = rig.server_cards()
    for uid, photo in cards.items():
        [text] = server[uid]
        assert vcard.summarize(text).fn == f"Geändert {uid}"
        assert _photo_lines(text) == [photo]
        assert _photo_lines(text) == _photo_lines(sent[uid])
