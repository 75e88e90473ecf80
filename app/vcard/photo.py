"""Embedded photos: `read_photo` reads the first readable PHOTO of a card in 2.1, 3.0 or 4.0
form (the media type sniffed from the bytes), `set_photo` replaces or removes it in the card's
own version, and `image_size`/`photo_problem` guard the caps (`MAX_PHOTO_BYTES`,
`MAX_PHOTO_PIXELS`): an oversized photo or a decompression bomb is refused from its encoded
length or image header, never decoded, and the card's text is never touched."""

from __future__ import annotations

import base64
from datetime import datetime
from urllib.parse import unquote_to_bytes

from app.i18n import _

from .edit import _Editor
from .emit import _fold, _head
from .parse import _decoded, _parse_card, _Prop
from .syntax import (
    _DATA_URI_RE,
    _MEDIA,
    Params,
    _encoding,
    _media,
    _param,
    _strict_b64,
    _type_tokens,
)

_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF8", "image/gif"),
    (b"BM", "image/bmp"),
)


def _sniff(data: bytes) -> str | None:
    """The media type of image bytes from their magic number, or None."""
    for magic, media in _MAGIC:
        if data.startswith(magic):
            return media
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


# Caps on embedded photos (other producers' cards may carry anything). A photo over a cap
# is not decoded (read_photo: None, photo_problem: why); the card's text is never touched.
# 2 MB decoded: a JPEG of 8-12 megapixels, far more than a contact photo needs (the editor
# scales chosen photos to 512 px); Radicale 3.9 already needs ~3.5 s to store such a card.
MAX_PHOTO_BYTES = 2 * 1024 * 1024  # decoded size; checked on the encoded length first


MAX_PHOTO_PIXELS = 40_000_000  # width x height from the image header (8000 x 5000)


class _PhotoRefused(Exception):
    """An embedded photo over a cap; args[0] is the reason, in the user's language."""


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the header of a PNG, GIF, JPEG, BMP or WebP; None if unknown.

    Reads only headers (a JPEG's markers up to its SOF), so a decompression bomb - a small
    file declaring 30000 x 30000 pixels - is recognized without decoding a pixel.
    """
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        if data[:4] == b"GIF8" and len(data) >= 10:
            return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
        if data[:2] == b"BM" and len(data) >= 26:
            width = int.from_bytes(data[18:22], "little", signed=True)
            height = int.from_bytes(data[22:26], "little", signed=True)
            return abs(width), abs(height)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            chunk = data[12:16]
            if chunk == b"VP8X" and len(data) >= 30:
                return (
                    int.from_bytes(data[24:27], "little") + 1,
                    int.from_bytes(data[27:30], "little") + 1,
                )
            if chunk == b"VP8 " and len(data) >= 30:
                return (
                    int.from_bytes(data[26:28], "little") & 0x3FFF,
                    int.from_bytes(data[28:30], "little") & 0x3FFF,
                )
            if chunk == b"VP8L" and len(data) >= 25:
                bits = int.from_bytes(data[21:25], "little")
                return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
            return None
        if data[:3] == b"\xff\xd8\xff":
            return _jpeg_size(data)
    except (IndexError, ValueError):
        return None
    return None


_JPEG_SOF = frozenset(
    {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG markers to the first SOF segment (at most 1,000 segments)."""
    i = 2
    for _segment in range(1000):
        if i >= len(data) or data[i] != 0xFF:
            return None  # not a marker: not a JPEG we can read
        while i < len(data) and data[i] == 0xFF:
            i += 1  # the marker's 0xFF and fill bytes
        if i + 3 > len(data):
            return None
        marker = data[i]
        i += 1
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            continue  # segments without length
        if marker in (0xD9, 0xDA):
            return None  # end of image / start of scan before any SOF
        length = int.from_bytes(data[i : i + 2], "big")
        if length < 2:
            return None
        if marker in _JPEG_SOF:
            if i + 7 > len(data):
                return None
            return int.from_bytes(data[i + 5 : i + 7], "big"), int.from_bytes(
                data[i + 3 : i + 5], "big"
            )
        i += length
    return None


def _check_photo(data: bytes) -> None:
    """Refuse decoded photo bytes over MAX_PHOTO_PIXELS (a decompression bomb)."""
    size = image_size(data)
    if size is not None and size[0] * size[1] > MAX_PHOTO_PIXELS:
        raise _PhotoRefused(
            _(
                "Das Foto dieses Kontakts ist zu groß zum Anzeigen ({width} × {height} "
                "Pixel, Grenze {limit} Millionen Pixel). Es bleibt unverändert erhalten."
            ).format(width=size[0], height=size[1], limit=MAX_PHOTO_PIXELS // 1_000_000)
        )


def _refuse_encoded(encoded_len: int, ratio: float) -> None:
    """Refuse before decoding when the encoded text alone says it is over MAX_PHOTO_BYTES."""
    if encoded_len * ratio > MAX_PHOTO_BYTES:
        size_mb = encoded_len * ratio / (1024 * 1024)
        raise _PhotoRefused(
            _(
                "Das Foto dieses Kontakts ist zu groß zum Anzeigen (etwa {size} MB, "
                "Grenze {limit} MB). Es bleibt unverändert erhalten."
            ).format(size=f"{size_mb:.0f}", limit=MAX_PHOTO_BYTES // (1024 * 1024))
        )


def _photo_of(p: _Prop) -> tuple[bytes, str] | None:
    """The embedded image of a PHOTO property (bytes, media type); None for URIs or bad data.

    Raises _PhotoRefused for a photo over MAX_PHOTO_BYTES (checked on the encoded length,
    before decoding) or MAX_PHOTO_PIXELS (from the image header).
    """
    enc = _encoding(p.params) if p.params else ""
    declared: str | None = None
    if enc in ("BASE64", "B"):
        # whitespace inside the value only makes this estimate larger, never smaller
        _refuse_encoded(len(p.value) - p.value.count(" "), 3 / 4)
        data = _strict_b64(p.value)
        types = _type_tokens(p.params)
        media_param = _param(p.params, "MEDIATYPE")
        if media_param:
            declared = _media(media_param)
        elif types:
            declared = _media(types[0])
    else:
        if p.value[:5].lower() == "data:":
            # base64: 4 characters per 3 bytes; percent-encoding: at least 1 per byte
            _refuse_encoded(len(p.value), 3 / 4 if ";base64," in p.value[:200].lower() else 1)
        m = _DATA_URI_RE.match(_decoded(p).strip())
        if m is None:
            return None  # http:, cid:, file: ... a photo we do not fetch
        data = _strict_b64(m.group(4)) if m.group(3) else unquote_to_bytes(m.group(4))
        declared = m.group(1).strip().lower() or None
    if not data:
        return None
    if len(data) > MAX_PHOTO_BYTES:
        _refuse_encoded(len(data), 1)
    _check_photo(data)
    sniffed = _sniff(data)
    if sniffed:
        return data, sniffed  # the bytes know best; Outlook labels PNGs as JPEG
    if declared and "/" in declared:
        return data, declared
    return data, "image/jpeg"


def read_photo(text: str) -> tuple[bytes, str] | None:
    """The card's embedded photo as (bytes, media type like "image/jpeg"), or None.

    Reads 2.1 `PHOTO;ENCODING=BASE64;TYPE=JPEG:`, 3.0 `PHOTO;ENCODING=b;TYPE=JPEG:` and 4.0
    `PHOTO:data:image/jpeg;base64,...`; a photo given by URL (http...) is not fetched: None.
    The first PHOTO with readable embedded data wins. A photo over the caps (MAX_PHOTO_BYTES,
    MAX_PHOTO_PIXELS) is not decoded and counts as unreadable; `photo_problem` says why.
    Raises CardError for a non-card.
    """
    card = _parse_card(text)
    for p in card.props:
        if p.name == "PHOTO":
            try:
                photo = _photo_of(p)
            except _PhotoRefused:
                continue
            if photo is not None:
                return photo
    return None


def photo_problem(text: str) -> str | None:
    """Why the card's embedded photo is not shown (in the user's language), or None when
    there is nothing to say: no photo, a readable one, or a photo given by URL. Raises
    CardError for a non-card."""
    card = _parse_card(text)
    for p in card.props:
        if p.name == "PHOTO":
            try:
                if _photo_of(p) is not None:
                    return None
            except _PhotoRefused as exc:
                return str(exc.args[0])
    return None


def _type_token_of(mime: str) -> str:
    """The 2.1/3.0 TYPE token of a media type: image/jpeg -> JPEG."""
    mime = mime.strip().lower()
    for token, media in _MEDIA.items():
        if media == mime and token != "JPG":
            return token
    return (mime.rpartition("/")[2] or "JPEG").upper()


def _photo_line(version: str, group: str, data: bytes, mime: str, eol: str) -> str:
    """A PHOTO property the way the card's version writes embedded images."""
    b64 = base64.b64encode(data).decode("ascii")
    if version == "4.0":
        return _fold(_head(group, "PHOTO", []) + ":" + f"data:{_media(mime)};base64,{b64}", eol)
    if version == "2.1":
        params: Params = [("ENCODING", "BASE64"), ("TYPE", _type_token_of(mime))]
        # 2.1 ends base64 with an empty line (Outlook, Android); our parser keeps it with the line.
        return _fold(_head(group, "PHOTO", params) + ":" + b64, eol) + eol
    params = [("ENCODING", "b"), ("TYPE", _type_token_of(mime))]
    return _fold(_head(group, "PHOTO", params) + ":" + b64, eol)


def set_photo(
    text: str, data: bytes | None, mime: str = "image/jpeg", *, now: datetime | None = None
) -> str:
    """Replace (data) or remove (None) the card's PHOTO, written in the card's own version.

    The first PHOTO line is replaced in place (its group kept, its old params such as Apple's
    crop rectangle dropped) and further PHOTO lines are removed; every other line stays
    byte-identical and REV is updated. Setting the photo the card already has, or removing
    from a card without one, returns the text unchanged.
    """
    card = _parse_card(text)
    photos = [i for i, p in enumerate(card.props) if p.name == "PHOTO"]
    if data is None:
        if not photos:
            return text
    elif len(photos) == 1:
        try:
            current = _photo_of(card.props[photos[0]])
        except _PhotoRefused:
            current = None  # an oversized photo is never the one being set
        if current is not None and current[0] == data and current[1] == _media(mime):
            return text
    ed = _Editor(card)
    if data is None:
        for i in photos:
            ed.delete(i)
    else:
        line = _photo_line(
            card.version,
            card.props[photos[0]].group if photos else "",
            data,
            mime,
            card.eol,
        )
        if photos:
            ed.put(photos[0], line, card.props[photos[0]].group)
            for i in photos[1:]:
                ed.delete(i)
        else:
            ed.insert(ed.end_anchor, line)
    return ed.finish(text, now)
