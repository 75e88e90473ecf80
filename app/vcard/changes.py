"""Which fields differ between two versions of a card, readable: `field_changes(old, new)`.

What the check dialog, `--details`, the Importbericht and the three-way merge's report show
per changed contact ("Telefon: Arbeit: +49 30 111 → Arbeit: +49 30 222"). The fields are the
merge's (`merge_units`): a single-valued property (FN and N together are "Name", NOTE, ORG,
…), each line of a multi-valued one (TEL, EMAIL, ADR, URL, IMPP, CATEGORIES, MEMBER, X-…) and
each Apple item group, compared by their normalized text, so folding, line endings, parameter
order and bookkeeping (REV, PRODID, UID, VERSION) are no change; an edited line is one change
(old → new) where it cannot be taken for another, else a line removed and one added. One
`FieldChange` per field that differs, in the old card's order, additions last; `field` is
the kind ("TEL", "NAME", "X-FOO"; stable, for JSON), `label` its German msgid (stored, and
translated where shown), `name` the label in the user's language. A photo is named, never
shown. Values are cut at `MAX_VALUE` characters (a check of 10,000 changes keeps little per
item), so that the difference stays in sight. A text that is no card (or more than one)
gives no changes.

Speed: most of a changed card is unchanged, so both texts are first cut down to the lines
that differ (`_narrowed`), with every other line of the same field (the other lines of an item
group, FN with N, a second NOTE), and only those are parsed; the result is the same as the
whole cards' (tests/unit/test_item_changes.py proves it on the corpus). Cards whose lines
cannot be told apart this simply (QUOTED-PRINTABLE soft breaks, nested 2.1 cards, stray
lines, text around the card) are compared whole.

A group card (`KIND:group`, Apple's `X-ADDRESSBOOKSERVER-KIND:group`) lists its members as
one field "Mitglieder" (`MEMBERS`), never as raw `urn:uuid:` lines: old and new are the
counts, the new one with who joined and who left, by name where `member_names` knows the
UID ("2 → 3 (+ Carla Dorn, Emil Fink; − Boris Nowak)"), else by UID (a `mailto:` member by
its address).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from app.i18n import N_, _

from .groups import group_of, member_uid
from .labels import field_label, field_msgid
from .merge_units import _SINGLE, _kind, _pair, _readable, _units
from .model import CardError
from .parse import _Card, _parse_card

__all__ = [
    "MAX_VALUE",
    "MEMBERS",
    "FieldChange",
    "MemberNames",
    "card_changes",
    "field_changes",
    "is_group_card",
]

#: A value longer than this is cut ("…") by `field_changes`: the details stay small.
MAX_VALUE = 200
#: what a cut value shows before the place where old and new differ
_CONTEXT = 40
#: a group card's members, as one field (see the module docstring)
MEMBERS = "MEMBERS"
_MEMBERS_LABEL = N_("Mitglieder")
#: the names of contacts by UID (lower case) for the UIDs asked for; unknown ones left out
MemberNames = Callable[[Iterable[str]], Mapping[str, str]]


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that changed: its kind ("TEL", "NAME", "X-FOO"; stable, for JSON), the
    readable old and new value ("" where the field is not there)."""

    field: str
    old: str
    new: str

    @property
    def label(self) -> str:
        """The field's label as a German msgid ("Telefon"; an X- property: its name)."""
        return _MEMBERS_LABEL if self.field == MEMBERS else field_msgid(self.field)

    @property
    def name(self) -> str:
        """The field's label in the user's language ("Telefon")."""
        return _(_MEMBERS_LABEL) if self.field == MEMBERS else field_label(self.field)


def single_card(text: str) -> _Card | None:
    """The parsed card of a text that holds exactly one, else None."""
    try:
        card = _parse_card(text)
    except CardError:
        return None
    if "BEGIN:VCARD" in card.tail.upper():
        return None
    return card


def card_changes(old: _Card | None, new: _Card | None) -> list[FieldChange]:
    """The fields that differ between two parsed cards (None: not there), values whole."""
    uo = _units(old) if old is not None else []
    un = _units(new) if new is not None else []
    pairing = _pair(uo, un)
    out: list[FieldChange] = []
    for i, u in enumerate(uo):
        status, j = pairing.status[i]
        if status == "same":
            continue
        assert old is not None
        new_value = _readable(new, un[j]) if new is not None and j >= 0 else ""
        out.append(FieldChange(u.kind, _readable(old, u), new_value))
    if new is not None:
        out += [FieldChange(un[j].kind, "", _readable(new, un[j])) for j in pairing.added]
    return out


#: a content line's head: [group.]NAME then ";" or ":"
_HEAD = re.compile(r"(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)[;:]")
#: lines that are no field: compared whole when they differ (BEGIN, END, VERSION), or left out
_FRAME = frozenset({"BEGIN", "END", "VERSION"})
_NO_FIELD = frozenset({"UID", "PRODID", "REV", "LAST-MODIFIED"})
#: the property names of each single-valued field, as a line starts ("FN:", "FN;", …)
_STARTS: dict[str, tuple[str, ...]] = {}
for _name in _SINGLE:
    _STARTS.setdefault(_kind(_name), ())
    _STARTS[_kind(_name)] += (f"{_name}:", f"{_name};")


def _lines(text: str, upper: str) -> list[str] | None:
    """A card's content lines, unfolded (`upper`: the text in capitals); None: not this
    simple (see the module docstring)."""
    if upper.count("BEGIN:VCARD") != 1:
        return None  # a nested card, or more than one
    lines: list[str] = []
    for x in text.split("\n" if "\n" in text else "\r"):
        if x.endswith("\r"):
            x = x[:-1]
        if x[:1] in (" ", "\t") and lines:
            lines[-1] += x[1:]
        elif x.strip():
            lines.append(x)
    if not lines or lines[0].upper() != "BEGIN:VCARD" or lines[-1].upper() != "END:VCARD":
        return None  # text around the card
    if not all(":" in x for x in lines):
        return None  # a stray line: it belongs to the value before
    return lines


def _narrowed(old: str, new: str) -> tuple[str, str] | None:
    """Both cards cut down to the fields that differ (see the module docstring): None when
    no field differs; the texts as they are when they cannot be cut down."""
    upper_a, upper_b = old.upper(), new.upper()
    if "QUOTED-PRINTABLE" in upper_a or "QUOTED-PRINTABLE" in upper_b:
        return old, new
    a, b = _lines(old, upper_a), _lines(new, upper_b)
    if a is None or b is None:
        return old, new
    count_a, count_b = Counter(a), Counter(b)
    gone, added = count_a - count_b, count_b - count_a
    groups: set[str] = set()
    starts: list[str] = []
    for line in (*gone, *added):
        m = _HEAD.match(line)
        if m is None:
            return old, new
        name = m.group(2).upper()
        if name in _FRAME:
            return old, new  # another version: every line reads differently
        if name in _NO_FIELD:
            gone.pop(line, None)
            added.pop(line, None)
        elif m.group(1):
            groups.add(m.group(1).lower() + ".")
        elif name in _SINGLE:
            starts.extend(_STARTS[_kind(name)])
    if not gone and not added:
        return None
    head = tuple(starts)

    def cut(lines: list[str], differing: Counter[str]) -> str:
        keep = [x for x in lines if x[:8].upper() == "VERSION:"]
        for line in lines[1:-1]:
            if differing[line] > 0:
                differing[line] -= 1
                keep.append(line)
            elif (head and line.upper().startswith(head)) or (
                groups and line.split(".", 1)[0].lower() + "." in groups
            ):
                keep.append(line)
        return "\r\n".join(["BEGIN:VCARD", *keep, "END:VCARD", ""])

    return cut(a, gone), cut(b, added)


def _cut(old: str, new: str) -> tuple[str, str]:
    """Both values cut at `MAX_VALUE` ("…"); where they differ only past the cut (a long
    note with a line added), both begin shortly before the difference ("… context")."""
    if len(old) <= MAX_VALUE and len(new) <= MAX_VALUE:
        return old, new
    short = min(len(old), len(new))
    same = next((i for i in range(short) if old[i] != new[i]), short)
    start = same - _CONTEXT if same > MAX_VALUE - 2 * _CONTEXT else 0

    def cut(value: str) -> str:
        if start:
            value = "…" + value[start:]
        return value if len(value) <= MAX_VALUE else value[: MAX_VALUE - 1] + "…"

    return cut(old), cut(new)


def field_changes(
    old: str | None, new: str | None, member_names: MemberNames | None = None
) -> list[FieldChange]:
    """The fields that differ between two versions of a card (None: the card is new, or
    gone), readable and cut at `MAX_VALUE` (see the module docstring); a group card's
    members as one field, named by `member_names` where it knows them."""
    whole_old, whole_new = old, new
    if old is not None and new is not None:
        narrowed = _narrowed(old, new)
        if narrowed is None:
            return []
        old, new = narrowed
    co = single_card(old) if old is not None else None
    cn = single_card(new) if new is not None else None
    if (old is not None and co is None) or (new is not None and cn is None):
        return []
    changes = _with_members(card_changes(co, cn), whole_old, whole_new, member_names)
    return [FieldChange(c.field, *_cut(c.old, c.new)) for c in changes]


def _with_members(
    changes: list[FieldChange], old: str | None, new: str | None, names: MemberNames | None
) -> list[FieldChange]:
    """A group card's changes with its MEMBER lines as one field "Mitglieder" (the whole
    texts `old`, `new`: the counts); a person's as they are."""
    if not (is_group_card(old) or is_group_card(new)):
        return changes
    out = [c for c in changes if c.field != "MEMBER"]
    members = _member_change(old, new, names)
    return out if members is None else [*out, members]


def is_group_card(text: str | None) -> bool:
    """Whether a text is one group card (vCard 4 or Apple dialect)."""
    if text is None or "GROUP" not in text.upper():
        return False
    try:
        return group_of(text) is not None
    except CardError:
        return False


def _members(text: str | None) -> dict[str, str]:
    """A group card's members: key (UID in lower case, else the value) → the value."""
    if text is None:
        return {}
    try:
        group = group_of(text)
    except CardError:
        return {}
    if group is None:
        return {}
    out: dict[str, str] = {}
    for m in group.members:
        out.setdefault((member_uid(m) or m.strip()).lower(), m.strip())
    return out


def _member_change(
    old: str | None, new: str | None, member_names: MemberNames | None
) -> FieldChange | None:
    """The members as one field "2 → 3 (+ Carla Dorn; − Boris Nowak)"; None: the same."""
    before, after = _members(old), _members(new)
    joined = [v for k, v in after.items() if k not in before]
    left = [v for k, v in before.items() if k not in after]
    if not joined and not left:
        return None
    uids = [u for u in (member_uid(v) for v in (*joined, *left)) if u]
    names = {k.lower(): n for k, n in member_names(uids).items()} if member_names and uids else {}

    def shown(value: str) -> str:
        uid = member_uid(value)
        if uid:
            return names.get(uid.lower()) or uid
        return value[7:] if value[:7].lower() == "mailto:" else value

    parts = []
    if joined:
        parts.append("+ " + ", ".join(shown(v) for v in joined))
    if left:
        parts.append("− " + ", ".join(shown(v) for v in left))
    old_value = str(len(before)) if old is not None else ""
    new_value = f"{len(after)} ({'; '.join(parts)})" if new is not None else ""
    return FieldChange(MEMBERS, old_value, new_value)
