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
from collections import Counter
from collections.abc import Callable, Sequence
from typing import NamedTuple

from app.i18n import N_, _

from .fields import _Entries, _entries, _fields_of
from .hashing import HASH_IGNORED
from .model import Address, CardError, ContactFields
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


def _name(f: ContactFields) -> str:
    built = " ".join(x for x in (f.prefix, f.given, f.additional, f.family, f.suffix) if x)
    return f"{f.fn} ({built})" if built and f.fn and built != f.fn else f.fn or built


_SINGLE: tuple[tuple[str, Callable[[ContactFields], str]], ...] = (
    (NAME, _name),
    (N_("Firma"), lambda f: f.org.replace(";", ", ")),
    (N_("Position"), lambda f: f.title),
)
_LINES: tuple[tuple[str, Callable[[ContactFields], list[str]]], ...] = (
    (N_("E-Mail"), lambda f: [_typed(t, v) for t, v in f.emails]),
    (N_("Telefon"), lambda f: [_typed(t, v) for t, v in f.phones]),
    (N_("Adresse"), lambda f: [_typed(t, _address(a)) for t, a in f.addresses]),
)
_TAIL: tuple[tuple[str, Callable[[ContactFields], str]], ...] = (
    (N_("Geburtstag"), lambda f: f.birthday),
    (N_("Webseite"), lambda f: f.url),
    (N_("Kategorien"), lambda f: ", ".join(f.categories)),
    (N_("Notiz"), lambda f: f.note),
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


def _card(text: str) -> tuple[ContactFields, list[tuple[str, str]]] | None:
    try:
        card = _parse_card(text)
        e = _entries(card)
        return _fields_of(e), _other_lines(card, _shown_in_fields(e))
    except (CardError, ValueError):
        return None


def field_changes(old: str, new: str) -> list[FieldChange]:
    """The fields that differ between two versions of a card (see the module docstring)."""
    a, b = _card(old), _card(new)
    if a is None or b is None:
        return []
    (fa, other_a), (fb, other_b) = a, b
    out: list[FieldChange] = []
    for label, single in _SINGLE:
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
