"""Reading a .vcf file or an HTTP body into cards: `decode_bytes` turns its bytes into text
(UTF-8, else per line its CHARSET, else Windows-1252) and `split_cards` cuts it into one
text per card, each card's lines as they are (a nested card only after a 2.1 AGENT line; a
card that lost its END stays on its own instead of swallowing the cards after it)."""

from __future__ import annotations

import codecs
import re

from .syntax import _BEGIN, _END, _content, _decode_charset, _marker, _physical_lines

_AGENT_RE = re.compile(r"(?:[A-Za-z0-9-]+\.)?AGENT(?:;[^:]*)?:[ \t]*\Z", re.I)


def split_cards(text: str) -> list[str]:
    """Split a .vcf with many cards into one text per card, each card's lines kept as they are.

    A BEGIN:VCARD inside a card is a nested card only right after an empty 2.1 `AGENT:` line;
    anywhere else the card before it lost its END (a phone wrote `END:VCARD.`, a file was cut)
    and stays on its own, unterminated (summarize() reports it), so it cannot swallow the
    cards after it.
    """
    cards: list[str] = []
    cur: list[str] = []
    depth = 0
    last = ""  # the last non-blank line read inside the current card
    for line in _physical_lines(text):
        mk = _marker(line)
        if depth == 0:
            if mk == _BEGIN:
                cur = [line]
                depth = 1
                last = ""
            continue
        if mk == _BEGIN and not _AGENT_RE.match(last):
            cards.append("".join(cur))
            cur = [line]
            depth = 1
            last = ""
            continue
        cur.append(line)
        content = _content(line)
        if content.strip():
            last = content
        if mk == _BEGIN:
            depth += 1
        elif mk == _END:
            depth -= 1
            if depth == 0:
                cards.append("".join(cur))
                cur = []
    if depth > 0 and cur:
        cards.append("".join(cur))  # unterminated: summarize() reports it as a CardError
    return cards


_CHARSET_RE = re.compile(rb";\s*CHARSET=\"?([A-Za-z0-9_.:-]+)", re.I)


def decode_bytes(data: bytes) -> str:
    """Decode a .vcf file or HTTP body: UTF-8, else per line its CHARSET, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    out: list[str] = []
    for line in data.split(b"\n"):
        try:
            out.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        m = _CHARSET_RE.search(line.split(b":", 1)[0])
        out.append(_decode_charset(line, m.group(1).decode("ascii") if m else "cp1252"))
    return "\n".join(out)
