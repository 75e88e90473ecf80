"""The content-line syntax vCard (RFC 6350 §3.3, RFC 2426) and iCalendar (RFC 5545 §3.1)
share: `NAME;PARAM=value;PARAM="quoted: value":VALUE`. This leaf owns the two quote-aware
scans both parsers need (the colon that ends name and parameters, splitting parameters
outside double quotes); everything else about the formats stays in `app.vcard` and
`app.ical`. Standard library only.
"""

from __future__ import annotations

__all__ = ["find_colon", "split_unquoted"]


def find_colon(s: str, *, strict: bool = False) -> int:
    """Index of the colon that ends name and params (params may quote colons: 4.0 GEO=…,
    TZID="a:b"); -1 without a colon. A quote never closed: the first colon (vCard's
    lenient reading), or -1 with `strict` (iCalendar: not a content line)."""
    first = s.find(":")
    if first < 0 or s.find('"', 0, first) < 0:
        return first
    quoted = False
    for i, ch in enumerate(s):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return i
    return -1 if strict else first


def split_unquoted(s: str, sep: str) -> list[str]:
    """Split on `sep` outside double quotes (quoted param values may contain ; and ,);
    the pieces keep their quotes."""
    if '"' not in s:
        return s.split(sep)
    out: list[str] = []
    quoted = False
    start = 0
    for i, ch in enumerate(s):
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            out.append(s[start:i])
            start = i + 1
    out.append(s[start:])
    return out
