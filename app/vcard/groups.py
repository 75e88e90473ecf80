"""Contact groups as cards say them, in the three dialects servers and clients write (issue 19):
a vCard 4 group card (`KIND:group` with `MEMBER:urn:uuid:…`, RFC 6350 §6.1.4, §6.6.5), an
Apple/SabreDAV group card (`X-ADDRESSBOOKSERVER-KIND:group` with
`X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:…`), and Nextcloud's groups as `CATEGORIES` of each person.
`group_of` reads a card's group side, `categories_of` a person's categories; `set_members`
changes a group card's members in the card's own dialect (a card is never converted behind
the user's back), keeps every member it was not asked to drop — also one pointing to a UID
nobody here knows (another client may know it) — and every other line byte for byte;
`new_group_card` writes a group card in the dialect asked for."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from .emit import _emit
from .model import PRODID
from .parse import _Card, _p_items, _p_text, _parse_card, _Prop
from .syntax import Params, _esc_comp, _esc_item, _esc_text, _norm_text

__all__ = [
    "APPLE",
    "VCARD4",
    "GroupCard",
    "categories_of",
    "group_of",
    "member_uid",
    "member_value",
    "new_group_card",
    "rename_group_card",
    "set_categories",
    "set_members",
]

#: the dialect of a group card: vCard 4 KIND/MEMBER, or Apple's X-ADDRESSBOOKSERVER-*
VCARD4 = "vcard4"
APPLE = "apple"
_KIND = {VCARD4: "KIND", APPLE: "X-ADDRESSBOOKSERVER-KIND"}
_MEMBER = {VCARD4: "MEMBER", APPLE: "X-ADDRESSBOOKSERVER-MEMBER"}
_URN = "urn:uuid:"


@dataclass(frozen=True)
class GroupCard:
    """What a group card says: its name, its members (as written) and its dialect."""

    uid: str
    name: str
    members: tuple[str, ...]  # MEMBER values as written (urn:uuid:…, mailto:…, …)
    dialect: str  # VCARD4 | APPLE

    @property
    def member_uids(self) -> tuple[str, ...]:
        """The members that name a contact by UID (`urn:uuid:X` → X), in order."""
        return tuple(u for u in (member_uid(m) for m in self.members) if u)


def member_uid(value: str) -> str:
    """The contact UID a MEMBER value names (`urn:uuid:X`, case-insensitive prefix), else ""."""
    v = value.strip()
    return v[len(_URN) :] if v[: len(_URN)].lower() == _URN else ""


def member_value(uid: str) -> str:
    """The MEMBER value naming the contact `uid`."""
    return uid if uid[: len(_URN)].lower() == _URN else _URN + uid


def _dialect(card: _Card) -> str | None:
    v21 = card.version == "2.1"
    for p in card.props:
        if p.name in ("KIND", "X-ADDRESSBOOKSERVER-KIND") and _p_text(p, v21).lower() == "group":
            return VCARD4 if p.name == "KIND" else APPLE
    return None


def group_of(text: str) -> GroupCard | None:
    """The group a card is, or None for a person (or org/location) card. Raises CardError."""
    card = _parse_card(text)
    dialect = _dialect(card)
    if dialect is None:
        return None
    v21 = card.version == "2.1"
    uid = next((_p_text(p, v21) for p in card.props if p.name == "UID"), "")
    name = next((_p_text(p, v21) for p in card.props if p.name == "FN"), "")
    members = tuple(
        _p_text(p, v21)
        for p in card.props
        if p.name in ("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER") and _p_text(p, v21)
    )
    return GroupCard(uid, name, members, dialect)


def categories_of(text: str) -> tuple[str, ...]:
    """The categories (Nextcloud's groups) of a card, each once, in order. Raises CardError."""
    card = _parse_card(text)
    v21 = card.version == "2.1"
    seen: dict[str, None] = {}
    for p in card.props:
        if p.name == "CATEGORIES":
            for item in _p_items(p, v21):
                seen.setdefault(item)
    return tuple(seen)


def set_members(text: str, add: Iterable[str] = (), remove: Iterable[str] = ()) -> str:
    """The group card with contacts (UIDs) added and removed, written in its own dialect.

    A member already there is not added twice; removing compares by UID (or by the value as
    written, for members that are no UID); every other MEMBER — also of UIDs unknown here —
    and every other line stays as it was. Raises ValueError for a card that is no group.
    """
    card = _parse_card(text)
    dialect = _dialect(card)
    if dialect is None:
        raise ValueError("not a group card")
    v21 = card.version == "2.1"
    gone = {member_uid(member_value(r)).lower() for r in remove}
    repl: dict[int, str] = {}
    present: set[str] = set()
    last_member: int | None = None
    anchor = len(card.props) - 2  # the line before END:VCARD
    for i, p in enumerate(card.props):
        if p.name in ("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER"):
            value = _p_text(p, v21)
            key = (member_uid(value) or value).lower()
            if key in gone:
                repl[i] = ""
            else:
                present.add(key)
            last_member = i
        elif p.name in ("KIND", "X-ADDRESSBOOKSERVER-KIND"):
            anchor = i
    last = last_member if last_member is not None else anchor  # new members join the others
    lines = []
    for uid in add:
        value = member_value(uid)
        key = member_uid(value).lower()
        if key in present or key in gone:
            continue
        present.add(key)
        lines.append(_emit(card.version, "", _MEMBER[dialect], [], value, card.eol))
    return card.text(repl, {last: lines} if lines else {})


def new_group_card(
    name: str,
    members: Iterable[str] = (),
    *,
    dialect: str = VCARD4,
    uid: str | None = None,
    now: datetime | None = None,
) -> str:
    """A new group card: vCard 4.0 `KIND:group` (VCARD4) or a 3.0 Apple group card (APPLE),
    its members as `urn:uuid:` values of the given contact UIDs."""
    if dialect not in _KIND:
        raise ValueError(f"unknown group dialect {dialect!r}")
    version = "4.0" if dialect == VCARD4 else "3.0"
    eol = "\r\n"
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    fn = _esc_text(_norm_text(name), version)
    lines = [
        "BEGIN:VCARD" + eol,
        f"VERSION:{version}" + eol,
        f"PRODID:{PRODID}" + eol,
        _emit(version, "", "UID", [], uid or str(uuid.uuid4()).upper(), eol),
        _emit(version, "", _KIND[dialect], [], "group", eol),
        _emit(version, "", "FN", [], fn, eol),
    ]
    if dialect == APPLE:
        lines.append(_emit(version, "", "N", [], fn + ";;;;", eol))
    seen: set[str] = set()
    for uid_ in members:
        value = member_value(uid_)
        if value.lower() not in seen:
            seen.add(value.lower())
            lines.append(_emit(version, "", _MEMBER[dialect], [], value, eol))
    lines += [f"REV:{stamp}" + eol, "END:VCARD" + eol]
    return "".join(lines)


def set_categories(
    text: str, add: Iterable[str] = (), remove: Iterable[str] = (), *, rename: str | None = None
) -> str:
    """The card with categories (Nextcloud's groups) added and removed.

    A category is compared exactly (as the group filter does); one already there is not
    added twice. A CATEGORIES line that loses an item is written anew (same group label and
    parameters, the other items in their order; a line left empty is dropped), one that is
    not touched stays byte for byte, as does every other line. With `rename`, the first removed
    category that was there is replaced by it in place. New items join the first
    CATEGORIES line, or a new line before END:VCARD. Returns `text` itself if nothing
    changes."""
    card = _parse_card(text)
    v21 = card.version == "2.1"
    gone = {r.strip() for r in remove if r.strip()}
    repl: dict[int, str] = {}
    present: set[str] = set()
    kept_of: dict[int, list[str]] = {}  # the items each CATEGORIES line keeps
    renamed = rename is None
    for i, p in enumerate(card.props):
        if p.name != "CATEGORIES":
            continue
        items = _p_items(p, v21)
        kept: list[str] = []
        for item in items:
            key = item
            if key in gone:
                if not renamed and rename is not None and rename not in present:
                    kept.append(rename)
                    present.add(rename)
                    renamed = True
                continue
            if key not in present:
                present.add(key)
                kept.append(item)
        kept_of[i] = kept
        if kept != items:
            repl[i] = _categories_line(card.version, p, kept, card.eol)
    new = list(dict.fromkeys(a.strip() for a in add if a.strip()))
    new = [a for a in new if a not in present]
    if not new and not repl:
        return text
    after: dict[int, list[str]] = {}
    if new and kept_of:
        first = next(iter(kept_of))
        line = _categories_line(card.version, card.props[first], kept_of[first] + new, card.eol)
        repl[first] = line
    elif new:
        after[len(card.props) - 2] = [_categories_line(card.version, None, new, card.eol)]
    return card.text(repl, after)


def _categories_line(version: str, like: _Prop | None, items: list[str], eol: str) -> str:
    """A CATEGORIES line with `items` (group label and parameters of `like`); "" if none."""
    if not items:
        return ""
    value = ",".join(_esc_item(x, version) for x in items)
    group, params = (like.group, _plain(like.params)) if like is not None else ("", [])
    return _emit(version, group, "CATEGORIES", params, value, eol)


def rename_group_card(text: str, name: str) -> str:
    """The group card named `name` (FN, and N where the card has one — Apple's group cards
    carry the name in N too); every other line stays. Raises ValueError for a person."""
    card = _parse_card(text)
    if _dialect(card) is None:
        raise ValueError("not a group card")
    v = card.version
    repl: dict[int, str] = {}
    for i, p in enumerate(card.props):
        if p.name == "FN":
            repl[i] = _emit(v, p.group, "FN", _plain(p.params), _esc_text(name, v), card.eol)
        elif p.name == "N":
            repl[i] = _emit(
                v, p.group, "N", _plain(p.params), _esc_comp(name, v) + ";;;;", card.eol
            )
    if not any(p.name == "FN" for p in card.props):
        kind = next(i for i, p in enumerate(card.props) if p.name in _KIND.values())
        return card.text(repl, {kind: [_emit(v, "", "FN", [], _esc_text(name, v), card.eol)]})
    return card.text(repl, {})


def _plain(params: Params) -> Params:
    """Parameters without a transfer encoding (a line written anew says its own)."""
    return [(k, val) for k, val in params if (k or "").upper() not in ("ENCODING", "CHARSET")]
