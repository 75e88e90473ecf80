"""Tests for the photo functions of app.vcard: read_photo and set_photo in 2.1, 3.0 and 4.0.

set_photo must touch only the PHOTO (and REV) lines: every other line stays byte-identical.
"""

from __future__ import annotations

import base64
import functools
import re
import time
import tracemalloc
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.vcard import (
    CardError,
    ContactFields,
    decode_bytes,
    edit_card,
    image_size,
    new_card,
    normalized_hash,
    photo_problem,
    read_fields,
    read_photo,
    set_photo,
)

CARDS = Path(__file__).parent / "cards"
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
REV = "REV:20240501T120000Z"

# Minimal but real image headers; the functions never decode pixels.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(200))
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    + (64).to_bytes(4, "big") * 2  # 64 x 64: a header under the pixel cap
    + bytes(range(256)) * 2
)


def load(name: str) -> str:
    return decode_bytes((CARDS / name).read_bytes())


def lines(text: str) -> list[str]:
    """Physical lines with their terminators."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def unfolded(text: str) -> list[str]:
    """Logical lines (CRLF/LF, folding undone)."""
    return re.sub(r"\r?\n[ \t]", "", text).replace("\r\n", "\n").split("\n")


def without_photo_and_rev(text: str) -> list[str]:
    """The physical lines that belong neither to a PHOTO nor to REV."""
    out: list[str] = []
    in_photo = False
    for line in lines(text):
        content = line.rstrip("\r\n")
        if content[:1] in (" ", "\t") or (in_photo and not content.strip()):
            if not in_photo:
                out.append(line)
            continue
        name = content.split(":", 1)[0].split(";", 1)[0].rpartition(".")[2].upper()
        in_photo = name == "PHOTO"
        if not in_photo and name != "REV":
            out.append(line)
    return out


def card(version: str, body: str, eol: str = "\r\n") -> str:
    rows = ["BEGIN:VCARD", f"VERSION:{version}", *body.strip().splitlines(), "END:VCARD"]
    return eol.join(rows) + eol


# ------------------------------------------------------------------------------- read_photo


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("outlook_21.vcf", True),
        ("android_21.vcf", True),
        ("apple_ios_30.vcf", True),
        ("big_photo_30.vcf", True),
        ("nextcloud_30.vcf", True),
        ("nextcloud_40.vcf", True),
        ("google_export_30.vcf", False),  # PHOTO is an https URL: not fetched
        ("kerio_connect_30.vcf", False),
    ],
)
def test_read_photo_of_real_cards(name: str, found: bool) -> None:
    photo = read_photo(load(name))
    if not found:
        assert photo is None
        return
    assert photo is not None
    data, mime = photo
    assert data.startswith(b"\xff\xd8")
    assert mime == "image/jpeg"


def test_read_photo_21_base64_with_bare_and_named_type() -> None:
    b64 = base64.b64encode(JPEG).decode()
    named = card("2.1", f"FN:A\nPHOTO;ENCODING=BASE64;TYPE=JPEG:\n  {b64[:60]}\n  {b64[60:]}\n")
    bare = card("2.1", f"FN:A\nPHOTO;JPEG;ENCODING=BASE64:{b64}\n")
    assert read_photo(named) == (JPEG, "image/jpeg")
    assert read_photo(bare) == (JPEG, "image/jpeg")


def test_read_photo_30_and_40_forms() -> None:
    b64 = base64.b64encode(PNG).decode()
    assert read_photo(card("3.0", f"FN:A\nPHOTO;ENCODING=b;TYPE=PNG:{b64}")) == (PNG, "image/png")
    assert read_photo(card("4.0", f"FN:A\nPHOTO:data:image/png;base64,{b64}")) == (
        PNG,
        "image/png",
    )
    # 3.0 with a data: URI value (some servers write it) and a MEDIATYPE 4.0 line
    assert read_photo(card("3.0", f"FN:A\nPHOTO;VALUE=uri:data:image/png;base64,{b64}")) == (
        PNG,
        "image/png",
    )


def test_read_photo_trusts_the_bytes_over_a_wrong_type() -> None:
    b64 = base64.b64encode(PNG).decode()
    assert read_photo(card("3.0", f"FN:A\nPHOTO;ENCODING=b;TYPE=JPEG:{b64}")) == (PNG, "image/png")


def test_read_photo_uri_missing_or_broken_is_none() -> None:
    assert read_photo(card("3.0", "FN:A\nPHOTO;VALUE=uri:http://example.com/a.jpg")) is None
    assert read_photo(card("4.0", "FN:A\nPHOTO;MEDIATYPE=image/jpeg:https://x.de/a.jpg")) is None
    assert read_photo(card("3.0", "FN:A")) is None
    assert read_photo(card("3.0", "FN:A\nPHOTO;ENCODING=b;TYPE=JPEG:")) is None
    assert read_photo(card("3.0", "FN:A\nPHOTO;ENCODING=b;TYPE=JPEG:!!kein base64!!")) is None


def test_read_photo_skips_a_uri_photo_before_an_embedded_one() -> None:
    b64 = base64.b64encode(JPEG).decode()
    text = card("4.0", f"FN:A\nPHOTO:https://x.de/a.jpg\nPHOTO:data:image/jpeg;base64,{b64}")
    assert read_photo(text) == (JPEG, "image/jpeg")


def test_read_photo_of_a_non_card_raises() -> None:
    with pytest.raises(CardError):
        read_photo("kein vCard")


# ------------------------------------------------------------------------------- set_photo


@pytest.mark.parametrize("version", ["2.1", "3.0", "4.0"])
def test_set_photo_round_trip_per_version(version: str) -> None:
    text = new_card(ContactFields(given="Hans", family="Müller"), uid="U1", version=version)
    with_photo = set_photo(text, JPEG, now=NOW)
    assert read_photo(with_photo) == (JPEG, "image/jpeg")
    assert read_fields(with_photo) == read_fields(text)
    replaced = set_photo(with_photo, PNG, "image/png", now=NOW)
    assert read_photo(replaced) == (PNG, "image/png")
    assert sum(1 for x in unfolded(replaced) if x.startswith("PHOTO")) == 1
    removed = set_photo(replaced, None, now=NOW)
    assert read_photo(removed) is None
    assert not any(x.startswith("PHOTO") for x in unfolded(removed))
    assert without_photo_and_rev(removed) == without_photo_and_rev(text)


def test_set_photo_writes_each_versions_own_form() -> None:
    b64 = base64.b64encode(JPEG).decode()
    forms = {
        "2.1": f"PHOTO;ENCODING=BASE64;TYPE=JPEG:{b64}",
        "3.0": f"PHOTO;ENCODING=b;TYPE=JPEG:{b64}",
        "4.0": f"PHOTO:data:image/jpeg;base64,{b64}",
    }
    for version, expected in forms.items():
        out = set_photo(card(version, "FN:A"), JPEG, now=NOW)
        assert expected in unfolded(out), version
        assert all(len(x.rstrip("\r\n").encode()) <= 75 for x in lines(out)), version
    # 2.1 readers (Outlook, Android) expect an empty line after base64 data
    out21 = set_photo(card("2.1", "FN:A"), JPEG, now=NOW)
    assert "\r\n\r\nREV:" in out21 or "\r\n\r\nEND:VCARD" in out21
    png = set_photo(card("3.0", "FN:A"), PNG, "image/png", now=NOW)
    assert any(x.startswith("PHOTO;ENCODING=b;TYPE=PNG:") for x in unfolded(png))


@pytest.mark.parametrize(
    "name",
    [
        "outlook_21.vcf",
        "android_21.vcf",
        "apple_ios_30.vcf",
        "nextcloud_30.vcf",
        "nextcloud_40.vcf",
    ],
)
def test_set_photo_keeps_every_other_line_byte_identical(name: str) -> None:
    text = load(name)
    out = set_photo(text, PNG, "image/png", now=NOW)
    assert read_photo(out) == (PNG, "image/png")
    assert without_photo_and_rev(out) == without_photo_and_rev(text)
    assert REV in unfolded(out)
    # the photo stays where it was
    before = [x.split(":", 1)[0].split(";", 1)[0] for x in unfolded(text) if x]
    after = [x.split(":", 1)[0].split(";", 1)[0] for x in unfolded(out) if x]
    assert before.index("PHOTO") == after.index("PHOTO")
    removed = set_photo(text, None, now=NOW)
    assert read_photo(removed) is None
    assert without_photo_and_rev(removed) == without_photo_and_rev(text)


def test_set_photo_keeps_lf_line_endings_and_the_group() -> None:
    b64 = base64.b64encode(JPEG).decode()
    text = card("3.0", f"FN:A\nitem1.PHOTO;ENCODING=b;TYPE=JPEG:{b64}\nitem1.X-ABLabel:x", "\n")
    out = set_photo(text, PNG, "image/png", now=NOW)
    assert "\r" not in out
    assert any(x.startswith("item1.PHOTO;ENCODING=b;TYPE=PNG:") for x in unfolded(out))
    assert "item1.X-ABLabel:x\n" in out
    removed = set_photo(text, None, now=NOW)
    assert "item1" not in removed  # the orphaned label goes with the photo


def test_set_photo_drops_old_photo_params_and_extra_photos() -> None:
    b64 = base64.b64encode(JPEG).decode()
    text = card(
        "3.0",
        f"FN:A\nPHOTO;ENCODING=b;TYPE=JPEG;X-ABCROP-RECTANGLE=ABClipRect_1&0&0&9&9:{b64}\n"
        "PHOTO;VALUE=uri:http://x.de/b.jpg\nNOTE:n",
    )
    out = set_photo(text, PNG, "image/png", now=NOW)
    photos = [x for x in unfolded(out) if x.startswith("PHOTO")]
    assert len(photos) == 1
    assert "X-ABCROP" not in out
    assert "NOTE:n\r\n" in out


def test_set_photo_no_op_returns_the_text_unchanged() -> None:
    text = load("apple_ios_30.vcf")
    photo = read_photo(text)
    assert photo is not None
    assert set_photo(text, photo[0], photo[1]) is text or set_photo(text, *photo) == text
    plain = card("3.0", "FN:A\nREV:20200101T000000Z")
    assert set_photo(plain, None) == plain


def test_set_photo_inserts_rev_when_missing_and_updates_it_when_present() -> None:
    out = set_photo(card("3.0", "FN:A"), JPEG, now=NOW)
    assert REV in unfolded(out)
    out2 = set_photo(card("3.0", "FN:A\nREV:2000-01-01T00:00:00Z"), JPEG, now=NOW)
    revs = [x for x in unfolded(out2) if x.startswith("REV")]
    assert revs == [REV]


def test_set_photo_changes_the_normalized_hash_and_edit_card_keeps_it() -> None:
    text = card("3.0", "N:Müller;Hans;;;\nFN:Hans Müller\nTEL;TYPE=WORK:123")
    with_photo = set_photo(text, JPEG, now=NOW)
    assert normalized_hash(with_photo) != normalized_hash(text)
    fields = read_fields(with_photo)
    fields.phones = [("work", "456")]
    edited = edit_card(with_photo, fields, now=NOW)
    assert read_photo(edited) == (JPEG, "image/jpeg")


# ------------------------------------------------------------------------------- size caps


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return len(data).to_bytes(4, "big") + body + (zlib.crc32(body) & 0xFFFFFFFF).to_bytes(4, "big")


@functools.lru_cache(maxsize=1)
def png_bomb() -> bytes:
    """A real, valid PNG of 30000 x 30000 pixels (1 bit, all black): ~110 KB on disk, but
    3.6 GB as the 32-bit image a toolkit would decode it into."""
    width = height = 30_000
    row = b"\0" * (1 + width // 8)  # filter byte + 1-bit pixels
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def jpeg_header(width: int, height: int) -> bytes:
    """A JPEG's SOI, an APP0 (JFIF) and a baseline SOF0 declaring width x height."""
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = (
        b"\xff\xc0\x00\x11\x08"
        + height.to_bytes(2, "big")
        + width.to_bytes(2, "big")
        + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    )
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xda" + bytes(100)


def test_image_size_reads_headers_only() -> None:
    assert image_size(png_bomb()) == (30_000, 30_000)
    assert len(png_bomb()) < 200_000
    assert image_size(PNG) == (64, 64)
    assert image_size(jpeg_header(640, 480)) == (640, 480)
    assert image_size(jpeg_header(30_000, 30_000)) == (30_000, 30_000)
    assert image_size(b"GIF89a" + (30_000).to_bytes(2, "little") * 2 + bytes(20)) == (
        30_000,
        30_000,
    )
    bmp = (
        b"BM" + bytes(16) + (800).to_bytes(4, "little") + (-600).to_bytes(4, "little", signed=True)
    )
    assert image_size(bmp) == (800, 600)
    vp8x = b"RIFF\0\0\0\0WEBPVP8X" + bytes(8) + (29_999).to_bytes(3, "little") * 2
    assert image_size(vp8x) == (30_000, 30_000)
    assert image_size(JPEG) is None  # no SOF before the data ends: unknown, not an error
    assert image_size(b"") is None and image_size(b"\xff\xd8\xff") is None


@pytest.mark.parametrize("version", ["2.1", "3.0", "4.0"])
def test_decompression_bomb_is_not_handed_out(version: str) -> None:
    b64 = base64.b64encode(png_bomb()).decode("ascii")
    body = (
        f"FN:Bombe\nPHOTO:data:image/png;base64,{b64}"
        if version == "4.0"
        else f"FN:Bombe\nPHOTO;ENCODING={'BASE64' if version == '2.1' else 'b'};TYPE=PNG:{b64}"
    )
    text = card(version, body)
    assert read_photo(text) is None  # the bytes never reach an image decoder
    problem = photo_problem(text)
    assert problem is not None
    assert "30000 × 30000 Pixel" in problem and "unverändert erhalten" in problem
    # A modest photo next to it is still found and shown.
    ok_b64 = base64.b64encode(PNG).decode("ascii")
    second = (
        f"PHOTO:data:image/png;base64,{ok_b64}"
        if version == "4.0"
        else f"PHOTO;ENCODING=b;TYPE=PNG:{ok_b64}"
    )
    assert read_photo(card(version, body + "\n" + second)) == (PNG, "image/png")
    # A bomb declared in a JPEG header is refused as well.
    jpeg_b64 = base64.b64encode(jpeg_header(30_000, 30_000)).decode("ascii")
    assert read_photo(card("3.0", f"FN:J\nPHOTO;ENCODING=b;TYPE=JPEG:{jpeg_b64}")) is None


def test_huge_photo_is_refused_before_decoding() -> None:
    b64 = "/9j/" + "A" * (30 * 1024 * 1024)  # 30 MB of base64: ~22 MB of "JPEG"
    text = card("3.0", f"UID:gross\nFN:Groß\nPHOTO;ENCODING=b;TYPE=JPEG:{b64}")
    tracemalloc.start()
    try:
        read_fields(text)  # parses the card the same way read_photo does
        parse_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        started = time.monotonic()
        assert read_photo(text) is None
        elapsed = time.monotonic() - started
        photo_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Reading the photo costs what parsing the card costs; the ~22 MB are never decoded
    # (without the cap the peak is 22 MB higher).
    assert photo_peak < parse_peak + 5 * 1024 * 1024, (photo_peak, parse_peak)
    assert elapsed < 5.0
    problem = photo_problem(text)
    assert problem is not None and "zu groß" in problem and "MB" in problem
    assert (
        photo_problem(
            card("3.0", f"FN:A\nPHOTO;ENCODING=b;TYPE=PNG:{base64.b64encode(PNG).decode()}")
        )
        is None
    )
    assert photo_problem(card("3.0", "FN:A\nPHOTO;VALUE=uri:https://example.com/a.jpg")) is None
    assert photo_problem(card("3.0", "FN:A")) is None


def test_cards_with_refused_photos_stay_byte_identical_through_edits() -> None:
    bomb = base64.b64encode(png_bomb()).decode("ascii")
    huge = "A" * (8 * 1024 * 1024)
    for photo_line in (f"PHOTO;ENCODING=b;TYPE=PNG:{bomb}", f"PHOTO;ENCODING=b;TYPE=JPEG:{huge}"):
        text = card("3.0", f"UID:u1\nFN:Alt Name\nEMAIL:a@example.de\n{photo_line}")
        fields = read_fields(text)
        fields.fn = "Neu Name"
        edited = edit_card(text, fields, now=NOW)
        assert photo_line in unfolded(edited)  # the PHOTO line is carried along untouched
        assert [x for x in unfolded(edited) if x.startswith("PHOTO")] == [photo_line]
        # The editor's "no change to the photo" (None stays None) changes nothing at all.
        assert set_photo(text, PNG, "image/png", now=NOW) != text  # replacing is still possible
        assert normalized_hash(edit_card(text, read_fields(text), now=NOW)) == normalized_hash(text)


@settings(max_examples=300, deadline=1000, derandomize=True)
@given(
    st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"BM", b"RIFF"]),
    st.binary(max_size=300),
)
def test_image_size_and_read_photo_never_raise_on_hostile_bytes(magic: bytes, rest: bytes) -> None:
    data = magic + rest
    size = image_size(data)
    assert size is None or (size[0] >= 0 and size[1] >= 0)
    b64 = base64.b64encode(data).decode("ascii")
    text = card("3.0", f"FN:A\nPHOTO;ENCODING=b;TYPE=JPEG:{b64}")
    photo = read_photo(text)
    assert photo is None or photo[0] == data
    assert (photo is None) == (photo_problem(text) is not None) or not data
