"""The fields a three-way merge compares (`merge`): a card cut into units, how a unit of one
version is found again in another, and how a unit reads for a person.

A unit is what merges as one: an ungrouped multi-valued line (TEL, EMAIL, ADR, URL, IMPP,
CATEGORIES, MEMBER, X-…: every property not listed in `_SINGLE`), an Apple item group
(`item1.EMAIL` with its `item1.X-ABLabel`; a group with at most one property that is not X-),
or all ungrouped lines of a single-valued property (FN and N together are the one field
"Name"; NOTE, ORG, BDAY, …). Bookkeeping (`HASH_IGNORED`: VERSION, UID, PRODID, REV, …) is no
unit: the merge treats it apart. A unit's key is the normalized text of its lines
(`hashing._canon_prop`, so folding, QUOTED-PRINTABLE, parameter order and case, line endings
do not count) without the item-group label, so a group renumbered on one side
(`item3` → `item2`) is still the same unit.

`_pair` finds base units in another version: the same key is the same unit; among the rest,
a single-valued field pairs with its field, and a multi-valued line pairs (counts as edited)
only where that cannot be wrong for an edit: the one base line of its kind that version no
longer has, with the one new line of that kind. Anything else — one side edits two phone
numbers, or edits one and adds another — counts as lines removed and added: an edit made
that way is kept whatever the other side did to other lines, where pairing by type or
similarity could take it for the edit of a line the other side changed and let the
preference drop it (tests/unit/test_vcard_merge_property.py found such a case). The price:
the other side's edit of such a line meets a removal (decided by the preference), and
preferring it can leave both numbers in the card — twice rather than lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from app.i18n import _

from .hashing import HASH_IGNORED, _canon_prop
from .labels import type_text
from .parse import _Card, _p_comps, _p_items, _p_text, _Prop
from .summary import _build_name
from .syntax import _ALIASES, _BINARY, _NOISE, _strip_scheme, _type_tokens

#: properties that merge as one field (all their ungrouped lines together)
_SINGLE = frozenset(
    {
        "FN", "N", "ORG", "TITLE", "ROLE", "NOTE", "BDAY", "ANNIVERSARY", "DEATHDATE",
        "BIRTHPLACE", "DEATHPLACE", "NICKNAME", "GENDER", "KIND", "GEO", "TZ", "SORT-STRING",
        "CLASS", "PHOTO", "LOGO", "SOUND", "MAILER",
    }
)  # fmt: skip

#: FN and N are one field: a name changed on both sides is one decision, not two halves
_FIELD_OF = {"FN": "NAME", "N": "NAME"}

#: what the merge keeps apart from the fields (the hash ignores them too)
_BOOKKEEPING = HASH_IGNORED - {"BEGIN", "END"}

_APPLE_LABEL_RE = re.compile(r"_\$!<(.*)>!\$_\Z")


@dataclass
class _Unit:
    """One mergeable field of a card: its kind, normalized key and prop indices."""

    kind: str  # "TEL", "NAME", "X-FOO": what pairs with what, and the label
    key: tuple[str, ...]  # normalized lines, item-group label left out
    idx: list[int]  # indices into the card's props, in card order
    group: str = ""  # the item-group label of an item-group unit ("" otherwise)
    single: bool = False


@dataclass
class _Pairing:
    """Where each base unit went in another version: ("same" | "changed", j) or
    ("removed", -1); `added` are that version's units that are no base unit."""

    status: list[tuple[str, int]] = field(default_factory=list)
    added: list[int] = field(default_factory=list)


def _kind(name: str) -> str:
    name = _ALIASES.get(name, name)
    return _FIELD_OF.get(name, name)


def _canon(p: _Prop, version: str, keep_group: bool) -> str:
    """A prop's normalized line; one that carries nothing keeps its raw text as key."""
    q = p if keep_group or not p.group else replace(p, group="")
    c = _canon_prop(q, version)
    if c is None:
        return "\x00" + re.sub(r"\r\n|\r|\n", "\n", q.raw if keep_group else p.raw)
    return c


def _types(p: _Prop) -> str:
    if not p.params:
        return ""
    noise = _NOISE.get(p.name, frozenset())
    return ",".join(sorted({t.lower() for t in _type_tokens(p.params)} - noise))


def _is_label(p: _Prop) -> bool:
    return p.name == "X-ABLABEL"


def _units(card: _Card) -> list[_Unit]:
    """The card's fields in card order (bookkeeping left out)."""
    v = card.version
    props = card.props
    groups: dict[str, list[int]] = {}
    for i in range(1, len(props) - 1):
        p = props[i]
        if p.group and p.name not in _BOOKKEEPING:
            groups.setdefault(p.group.lower(), []).append(i)
    units: list[_Unit] = []
    singles: dict[str, _Unit] = {}
    done: set[str] = set()
    for i in range(1, len(props) - 1):
        p = props[i]
        if p.name in _BOOKKEEPING:
            continue
        g = p.group.lower()
        if g:
            members = groups[g]
            mains = [j for j in members if not props[j].name.startswith("X-")]
            if len(mains) <= 1:
                if g in done:
                    continue
                done.add(g)
                main = (
                    props[mains[0]]
                    if mains
                    else next(
                        (props[j] for j in members if not _is_label(props[j])), props[members[0]]
                    )
                )
                key = tuple(sorted(_canon(props[j], v, False) for j in members))
                units.append(_Unit(_kind(main.name), key, list(members), p.group))
                continue
            units.append(_Unit(_kind(p.name), (_canon(p, v, True),), [i]))
            continue
        if p.name in _SINGLE:
            kind = _kind(p.name)
            u = singles.get(kind)
            if u is None:
                u = singles[kind] = _Unit(kind, (), [], single=True)
                units.append(u)
            u.idx.append(i)
            u.key = tuple(sorted((*u.key, _canon(p, v, True))))
            continue
        units.append(_Unit(_kind(p.name), (_canon(p, v, True),), [i]))
    return units


def _pair(base: Sequence[_Unit], other: Sequence[_Unit]) -> _Pairing:
    """Where each base unit is in `other` (see the module docstring)."""
    pool: dict[tuple[str, ...], list[int]] = {}
    for j, u in enumerate(other):
        pool.setdefault(u.key, []).append(j)
    out = _Pairing(status=[("removed", -1)] * len(base))
    used = [False] * len(other)
    for i, b in enumerate(base):
        js = pool.get(b.key)
        if js:
            j = js.pop(0)
            out.status[i] = ("same", j)
            used[j] = True
    open_b: dict[str, list[int]] = {}
    open_o: dict[str, list[int]] = {}
    for i, b in enumerate(base):
        if out.status[i][0] == "removed":
            open_b.setdefault(b.kind, []).append(i)
    for j, u in enumerate(other):
        if not used[j]:
            open_o.setdefault(u.kind, []).append(j)
    for kind, bs in open_b.items():
        os_ = open_o.get(kind, [])
        if os_ and (len(bs) == len(os_) == 1 or base[bs[0]].single):
            out.status[bs[0]] = ("changed", os_[0])
            used[os_[0]] = True
    out.added = [j for j in range(len(other)) if not used[j]]
    return out


def _prop_text(p: _Prop, v21: bool) -> str:
    """A prop's value as a person reads it."""
    if p.name == "N":
        c = [*_p_comps(p, v21), "", "", "", "", ""]
        return _build_name(c[3], c[1], c[2], c[0], c[4])
    if p.name == "ADR":
        c = [*_p_comps(p, v21), "", "", "", "", "", "", ""]
        place = " ".join(x for x in (c[5], c[3]) if x)
        return ", ".join(x for x in (c[0], c[1], c[2], place, c[4], c[6]) if x)
    if p.name == "ORG":
        return ", ".join(x for x in _p_comps(p, v21) if x)
    if p.name in ("CATEGORIES", "NICKNAME"):
        return ", ".join(_p_items(p, v21))
    text = _p_text(p, v21)
    if p.name in _BINARY and not text.lower().startswith(("http:", "https:")):
        return _("(Bild)") if p.name in ("PHOTO", "LOGO") else _("(Daten)")
    if p.name == "TEL":
        return _strip_scheme(text, "tel:")
    if p.name == "EMAIL":
        return _strip_scheme(text, "mailto:")
    return text


def _readable(card: _Card, unit: _Unit | None) -> str:
    """A unit's value as a person reads it, its types or Apple label in parentheses;
    "" for None (the field is not there)."""
    if unit is None:
        return ""
    v21 = card.version == "2.1"
    texts: list[str] = []
    notes: list[str] = []
    for i in unit.idx:
        p = card.props[i]
        if _is_label(p) and unit.group:
            label = _p_text(p, v21)
            m = _APPLE_LABEL_RE.match(label)
            notes.append(m.group(1) if m else label)
            continue
        texts.append(_prop_text(p, v21))
        if not unit.single:
            notes.extend(t for t in _types(p).split(",") if t)
    text = " · ".join(dict.fromkeys(t for t in texts if t))
    return f"{type_text(notes)}: {text}" if notes else text
