"""UIDs: `derive_uid` gives a server card without UID a stable one (from its href),
`set_uid` replaces or inserts the UID line and `ensure_uid` adds one only where none is;
every other line of the card stays byte for byte."""

from __future__ import annotations

import uuid
from urllib.parse import unquote

from .emit import _emit
from .parse import _Card, _p_text, _parse_card
from .syntax import _esc_text, _norm_text


def derive_uid(href: str) -> str:
    """A stable UID for a server card without one: uuid5 of the href's decoded last segment."""
    segment = unquote(href.rstrip("/").rsplit("/", 1)[-1]) if href else ""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, segment or href))


def _has_uid(card: _Card) -> bool:
    """True if the card has a UID with a non-empty value."""
    v21 = card.version == "2.1"
    return any(p.name == "UID" and _p_text(p, v21) for p in card.props)


def set_uid(text: str, uid: str) -> str:
    """Replace the UID line (or insert one after VERSION); every other line stays as it was."""
    card = _parse_card(text)
    line = _emit(card.version, "", "UID", [], _esc_text(_norm_text(uid), card.version), card.eol)
    repl: dict[int, str] = {}
    after: dict[int, list[str]] = {}
    uids = [i for i, p in enumerate(card.props) if p.name == "UID"]
    if uids:
        repl[uids[0]] = line
        for i in uids[1:]:
            repl[i] = ""
    else:
        anchor = next((i for i, p in enumerate(card.props) if p.name == "VERSION"), 0)
        after[anchor] = [line]
    return card.text(repl, after)


def ensure_uid(text: str, uid: str) -> str:
    """Give a card without UID the UID `uid`; a card that has one is returned unchanged."""
    card = _parse_card(text)
    if _has_uid(card):
        return text
    return set_uid(text, uid)
