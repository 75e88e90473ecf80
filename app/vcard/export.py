"""The card as it goes into an exported .vcf file (UTF-8): `export_text` makes the CHARSET
labels of raw 8-bit values say UTF-8 (2.1) or drops them (3.0/4.0) and gives lone-CR cards
CRLF; every other line stays byte-identical, and applied to its own output it changes nothing."""

from __future__ import annotations

import re

from app.contentline import split_unquoted

from .model import CardError
from .parse import _parse_card, _Prop
from .syntax import _encoding, _is_charset_token, _unquote

_FOLD_RE = re.compile(r"(?:\r\n|\r|\n)[ \t]")


def _is_utf8_label(value: str) -> bool:
    """True for a CHARSET value naming UTF-8 (utf-8, UTF8, "utf-8")."""
    return _unquote(value).upper().replace("-", "").replace("_", "") == "UTF8"


def _utf8_head(p: _Prop, version: str) -> str:
    """p.raw with its CHARSET saying UTF-8 (2.1) or gone (3.0/4.0); the value is not touched."""
    raw = p.raw
    inq = False
    colon = -1
    for k, ch in enumerate(raw):
        if ch == '"':
            inq = not inq
        elif ch == ":" and not inq:
            colon = k
            break
    head = _FOLD_RE.sub("", raw[:colon])  # a folded head, unfolded
    pieces = split_unquoted(head, ";")
    out = [pieces[0]]
    labelled = False
    for piece in pieces[1:]:
        key, eq, _ = piece.partition("=")
        label = key.strip().upper() == "CHARSET" if eq else _is_charset_token(piece.strip())
        if not label:
            out.append(piece)
        elif version == "2.1" and not labelled:
            out.append((key if eq else "CHARSET") + "=UTF-8")
            labelled = True
    if version == "2.1" and not labelled:
        out.append("CHARSET=UTF-8")
    return ";".join(out) + raw[colon:]


def export_text(text: str) -> str:
    """The card as it goes into a .vcf file, which the export writes in UTF-8.

    The store keeps a card as the text it was read as: an Outlook 2.1 line
    `N;CHARSET=Windows-1252:Weiß` was decoded from Windows-1252 bytes, and written out as UTF-8
    it would tell every importer that honours CHARSET (Outlook itself) to read "WeiÃŸ". So a
    line whose value is written out as raw 8-bit text gets a true label: CHARSET=UTF-8 in 2.1
    (added where missing too, as 2.1 readers assume ASCII or the system code page without
    one), no CHARSET at all in 3.0/4.0 (their charset is UTF-8 by definition, RFC 6350 3.1).
    QUOTED-PRINTABLE and base64 values keep their label (their bytes are the declared charset's),
    ASCII values and every other line stay byte-identical, and a card with lone-CR line ends
    gets CRLF (the other cards of the file would make its CRs unreadable). Writing the original
    bytes back was the alternative: it would mix encodings in one file, which importers that
    read a file as UTF-8 (Apple Contacts, Google, Thunderbird) cannot read. Applied to its own
    output it changes nothing, so export -> import -> export gives the same bytes.
    """
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\r\n")
    try:
        card = _parse_card(text)
    except CardError:
        return text
    v = card.version
    repl: dict[int, str] = {}
    for i, p in enumerate(card.props):
        if p.value.isascii() or p.name in ("BEGIN", "END"):
            continue
        if _encoding(p.params) in ("QUOTED-PRINTABLE", "BASE64", "B"):
            continue
        labels = [x for n, x in p.params if n == "CHARSET" or (n is None and _is_charset_token(x))]
        if labels and all(_is_utf8_label(x) for x in labels):
            continue
        if labels or v == "2.1":
            repl[i] = _utf8_head(p, v)
    return card.text(repl, {}) if repl else text
