"""Which fields differ between two versions of a card: `field_changes(old, new)`.

What a check and a run report show per changed contact ("Telefon: +49 30 111 → +49 30 222").
One `FieldChange` per field that differs, in a fixed order (Name, Firma, Position, E-Mail,
Telefon, Adresse, Geburtstag, Webseite, Kategorien, Notiz, Weitere Angaben). `name` is the
field's label as a German msgid (marked with N_(); translate it where it is shown, so a stored
report reads in the reader's language); `old`/`new` are readable values. A field with several
lines (E-Mail, Telefon, Adresse) shows only the lines that differ — a line kept on both sides is
no change — each with its types ("Arbeit: +49 30 111"), one per line. Properties the fields do
not cover (photo, X- lines, …) are compared by their lines under "Weitere Angaben" (a photo by
name only, never its data). Values are cut at `MAX_VALUE` characters: a check of 10,000 changes
keeps little per item. A card that cannot be read gives no changes (nothing can be said).

Standalone on purpose (reads with `app.vcard.fields`' parser, no store): the three-way merge
(app/vcard/merge.py) may take it over.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import NamedTuple

from app.i18n import N_, _

from .fields import _Entries, _entries
from .hashing import HASH_IGNORED
from .model import Address, CardError
from .parse import _Card, _decoded, _parse_card

#: A value longer than this is cut ("…"): the details stay small.
MAX_VALUE = 200


class FieldChange(NamedTuple):
    """One field that differs: its label (German msgid), the old and the new value."""

    name: str
    old: str
    new: str


#: The type tokens shown with a value (German msgids; others as written).
_TYPE_LABELS = {
    "work": N_("Arbeit"),
    "home": N_("Privat"),
    "other": N_("Sonstige"),
    "cell": N_("Mobil"),
    "mobile": N_("Mobil"),
    "fax": N_("Fax"),
    "pager": N_("Pager"),
    "voice": N_("Telefon"),
    "main": N_("Hauptnummer"),
    "pref": N_("bevorzugt"),
}

#: The fields with one value: a second line of one (a second NOTE) is under "Weitere Angaben".
_SINGLE_FIELDS = ("n", "fn", "org", "title", "bday", "note", "url")
#: The fields with several lines: every line is in the field.
_MULTI_FIELDS = ("emails", "phones", "addresses", "categories")
#: Shown by name only (their values are data, not text).
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})

NAME = N_("Name")
OTHER = N_("Weitere Angaben")


def _cut(value: str) -> str:
    return value if len(value) <= MAX_VALUE else value[: MAX_VALUE - 1] + "…"


def _types(types: str) -> str:
    labels = []
    for t in types.split(","):
        if t:
            label = _TYPE_LABELS.get(t)
            labels.append(_(label) if label is not None else t)
    return ", ".join(labels)


def _typed(types: str, value: str) -> str:
    label = _types(types)
    return f"{label}: {value}" if label else value


def _address(a: Address) -> str:
    city = " ".join(x for x in (a.postal_code, a.city) if x)
    parts = (a.extended, a.street, a.po_box, city, a.region, a.country)
    return ", ".join(p for p in parts if p)


def _first(entries: list[tuple[int, str]]) -> str:
    return entries[0][1] if entries else ""


def _name(e: _Entries) -> str:
    fn = _first(e.fn)
    family, given, additional, prefix, suffix = e.n[0][1] if e.n else ("", "", "", "", "")
    built = " ".join(x for x in (prefix, given, additional, family, suffix) if x)
    return f"{fn} ({built})" if built and fn and built != fn else fn or built


# Read from the card's entries as `app.vcard.fields` collects them (values and types
# normalized already; the first line of a single-valued field is the field).
_SINGLE: tuple[tuple[str, Callable[[_Entries], str]], ...] = (
    (NAME, _name),
    (N_("Firma"), lambda e: _first(e.org).replace(";", ", ")),
    (N_("Position"), lambda e: _first(e.title)),
)
_LINES: tuple[tuple[str, Callable[[_Entries], list[str]]], ...] = (
    (N_("E-Mail"), lambda e: [_typed(t, v) for _i, (t, v) in e.emails]),
    (N_("Telefon"), lambda e: [_typed(t, v) for _i, (t, v) in e.phones]),
    (N_("Adresse"), lambda e: [_typed(t, _address(a)) for _i, (t, a) in e.addresses]),
)
_TAIL: tuple[tuple[str, Callable[[_Entries], str]], ...] = (
    (N_("Geburtstag"), lambda e: _first(e.bday)),
    (N_("Webseite"), lambda e: _first(e.url)),
    (N_("Kategorien"), lambda e: ", ".join(x for _i, items in e.categories for x in items)),
    (N_("Notiz"), lambda e: _first(e.note)),
)


def _only_in(lines: Sequence[str], other: Sequence[str]) -> str:
    """The lines of `lines` that `other` does not have (as often as it lacks them), in order."""
    spare = Counter(other)
    out = []
    for line in lines:
        if spare[line] > 0:
            spare[line] -= 1
        else:
            out.append(line)
    return "\n".join(out)


def _shown_in_fields(e: _Entries) -> set[int]:
    """The lines the fields show: the first of a single-valued one, every line of the rest."""
    used = {getattr(e, name)[0][0] for name in _SINGLE_FIELDS if getattr(e, name)}
    for name in _MULTI_FIELDS:
        used.update(i for i, _value in getattr(e, name))
    return used


def _other_lines(card: _Card, used: set[int]) -> list[tuple[str, str]]:
    """The lines the fields do not show (bookkeeping aside): (compared, shown) each."""
    out = []
    for i, p in enumerate(card.props):
        if i in used or p.name in HASH_IGNORED:
            continue
        name = f"{p.group}.{p.name}" if p.group else p.name
        if p.name in _BINARY:
            digest = hashlib.blake2b(p.value.encode("utf-8", "replace"), digest_size=8)
            out.append((f"{name}:{digest.hexdigest()}", name))  # shown by name only
        else:
            shown = f"{name}: {' '.join(_decoded(p).split())}"
            out.append((shown, shown))
    return out


def _shown(rows: list[tuple[str, str]], other: list[tuple[str, str]]) -> str:
    """The shown lines of the rows `other` does not have (as often as it lacks them)."""
    spare = Counter(key for key, _shown in other)
    out = []
    for key, shown in rows:
        if spare[key] > 0:
            spare[key] -= 1
        else:
            out.append(shown)
    return "\n".join(out)


def _card(text: str) -> tuple[_Entries, list[tuple[str, str]]] | None:
    try:
        card = _parse_card(text)
        e = _entries(card)
        return e, _other_lines(card, _shown_in_fields(e))
    except (CardError, ValueError):
        return None


_FOLD = re.compile(r"\r\n[ \t]|\n[ \t]|\r[ \t]")
_BREAK = re.compile(r"\r\n|\n|\r")
_FRAME = ("BEGIN:VCARD", "END:VCARD", "VERSION:")
_NAMES = frozenset({"N", "FN"})


def _prop_name(line: str) -> str:
    head = re.split(r"[:;]", line, maxsplit=1)[0]
    return head.rpartition(".")[2].strip().upper()


def _narrowed(old: str, new: str) -> tuple[str, str, bool] | None:
    """Both cards cut down to the lines that differ (framed as cards), and whether the name
    lines differ (then both cards' N and FN lines are in); None: no line differs.

    Most of a changed card is unchanged: reading only the lines that differ keeps a check of
    10,000 changes cheap. Cards whose lines cannot be told apart this simply (2.1 quoted-
    printable soft breaks, nested cards) are compared whole."""
    if "QUOTED-PRINTABLE" in old.upper() or "QUOTED-PRINTABLE" in new.upper():
        return old, new, True
    sides = []
    for text in (old, new):
        lines = [x.rstrip() for x in _BREAK.split(_FOLD.sub("", text)) if x.strip()]
        frame = [x for x in lines if x.upper().startswith(_FRAME)]
        if sum(1 for x in frame if x.upper().startswith("BEGIN:VCARD")) != 1:
            return old, new, True
        sides.append((frame, [x for x in lines if not x.upper().startswith(_FRAME)]))
    (frame_a, body_a), (frame_b, body_b) = sides
    gone = Counter(body_a) - Counter(body_b)
    added = Counter(body_b) - Counter(body_a)
    if not gone and not added:
        return None
    names = any(_prop_name(x) in _NAMES for x in (*gone, *added))

    def mini(frame: list[str], body: list[str], differing: Counter[str]) -> str:
        keep = []
        for line in body:
            if differing[line] > 0:
                differing[line] -= 1
                keep.append(line)
            elif names and _prop_name(line) in _NAMES:
                keep.append(line)
        head = [x for x in frame if not x.upper().startswith("END:VCARD")]
        return "\r\n".join([*head, *keep, "END:VCARD", ""])

    return mini(frame_a, body_a, gone), mini(frame_b, body_b, added), names


def field_changes(old: str, new: str) -> list[FieldChange]:
    """The fields that differ between two versions of a card (see the module docstring)."""
    narrowed = _narrowed(old, new)
    if narrowed is None:
        return []
    old, new, names = narrowed
    a, b = _card(old), _card(new)
    if a is None or b is None:
        return []
    (fa, other_a), (fb, other_b) = a, b
    out: list[FieldChange] = []
    for label, single in _SINGLE:
        if label == NAME and not names:
            continue  # (the cut-down cards have no name lines to compare)
        va, vb = single(fa), single(fb)
        if va != vb:
            out.append(FieldChange(label, _cut(va), _cut(vb)))
    for label, lines in _LINES:
        la, lb = lines(fa), lines(fb)
        if Counter(la) != Counter(lb):
            out.append(FieldChange(label, _cut(_only_in(la, lb)), _cut(_only_in(lb, la))))
    for label, single in _TAIL:
        va, vb = single(fa), single(fb)
        if va != vb:
            out.append(FieldChange(label, _cut(va), _cut(vb)))
    if Counter(k for k, _s in other_a) != Counter(k for k, _s in other_b):
        gone, added = _shown(other_a, other_b), _shown(other_b, other_a)
        out.append(FieldChange(OTHER, _cut(gone), _cut(added)))
    return out
