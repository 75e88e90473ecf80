"""Contact fields, normalized and read: `normalize_fields` gives the canonical form of
`ContactFields` (types lowercase and ordered, default types dropped, dates as "YYYY-MM-DD" or
"--MM-DD", `display_name` as FN when there is none), and `read_fields` reads the editable
fields of a card in that form. `_entries` collects, per field, the props that carry it; the
editor uses it to know which lines a changed field rewrites."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from .model import Address, ContactFields
from .parse import _Card, _decoded, _p_comps, _p_items, _p_text, _parse_card, _Prop
from .summary import _build_name
from .syntax import (
    _DATE_RE,
    _NOISE,
    _NOYEAR_RE,
    _clean,
    _norm_text,
    _param,
    _strip_scheme,
    _type_tokens,
)

_PLACE_ORDER = {"work": 0, "home": 1, "other": 2}


def _norm_types(types: str, kind: str) -> str:
    """Canonical type string ("work,fax"): lowercase, place first, default types dropped.

    Param order carries no meaning (`TEL;FAX;WORK` = `TEL;WORK;FAX`), so tokens are sorted:
    work/home/other first, the rest alphabetically.
    """
    noise = _NOISE.get(kind, frozenset())
    out: set[str] = set()
    for tok in types.split(","):
        t = re.sub(r"[^a-z0-9-]", "", tok.strip().lower())
        if t and t not in noise:
            out.add(t)
    return ",".join(sorted(out, key=lambda t: (_PLACE_ORDER.get(t, 3), t)))


def _norm_org(org: str) -> str:
    """Canonical ORG string: components stripped, trailing empty components dropped."""
    comps = [_norm_text(x) for x in _clean(org).split(";")]
    while comps and not comps[-1]:
        comps.pop()
    return ";".join(comps)


def _norm_date(b: str) -> str:
    """Canonical birthday: "YYYY-MM-DD" or "--MM-DD" from the usual spellings, else cleaned text."""
    s = " ".join(_clean(b).split())
    m = _DATE_RE.match(s)
    if m and (not m.group(4) or m.group(4)[:1] in ("T", "t")):
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    m2 = _NOYEAR_RE.match(s)
    if m2:
        return f"--{m2.group(1)}-{m2.group(2)}"
    return s


def display_name(fields: ContactFields) -> str:
    """FN for fields without one: name parts, else ORG, else first email, else first phone."""
    name = _build_name(
        _norm_text(fields.prefix),
        _norm_text(fields.given),
        _norm_text(fields.additional),
        _norm_text(fields.family),
        _norm_text(fields.suffix),
    )
    if name:
        return name
    org = next((x for x in _norm_org(fields.org).split(";") if x), "")
    if org:
        return org
    for _, value in fields.emails:
        if _norm_text(value):
            return _norm_text(value)
    for _, value in fields.phones:
        if _norm_text(value):
            return _norm_text(value)
    return ""


def normalize_fields(fields: ContactFields) -> ContactFields:
    """The canonical form of fields, as read_fields returns them; editors compare with it."""
    t = _norm_text
    emails = [(_norm_types(ty, "EMAIL"), _strip_scheme(t(v), "mailto:")) for ty, v in fields.emails]
    phones = [(_norm_types(ty, "TEL"), _strip_scheme(t(v), "tel:")) for ty, v in fields.phones]
    addresses = []
    for ty, a in fields.addresses:
        a2 = Address(
            t(a.street),
            t(a.city),
            t(a.region),
            t(a.postal_code),
            t(a.country),
            t(a.po_box),
            t(a.extended),
        )
        if not a2.is_empty():
            addresses.append((_norm_types(ty, "ADR"), a2))
    out = ContactFields(
        prefix=t(fields.prefix),
        given=t(fields.given),
        additional=t(fields.additional),
        family=t(fields.family),
        suffix=t(fields.suffix),
        fn=t(fields.fn),
        org=_norm_org(fields.org),
        title=t(fields.title),
        emails=[(ty, v) for ty, v in emails if v],
        phones=[(ty, v) for ty, v in phones if v],
        addresses=addresses,
        birthday=_norm_date(fields.birthday),
        note=t(fields.note),
        categories=[x for x in (t(c) for c in fields.categories) if x],
        url=t(fields.url),
    )
    if not out.fn:
        out.fn = display_name(out)
    return out


def _read_date(p: _Prop) -> str:
    """BDAY as "YYYY-MM-DD" or "--MM-DD"; Apple's year 1604 with X-APPLE-OMIT-YEAR means none."""
    value = _norm_text(_decoded(p))
    omit = _param(p.params, "X-APPLE-OMIT-YEAR")
    m = _DATE_RE.match(value)
    if omit and m and m.group(1) == omit.strip():
        return f"--{m.group(2)}-{m.group(3)}"
    return _norm_date(value)


_T = TypeVar("_T")


@dataclass
class _Entries:
    """Per field, the props that carry it (index, normalized value); shared by read and edit."""

    n: list[tuple[int, tuple[str, str, str, str, str]]] = field(default_factory=list)
    fn: list[tuple[int, str]] = field(default_factory=list)
    org: list[tuple[int, str]] = field(default_factory=list)
    title: list[tuple[int, str]] = field(default_factory=list)
    bday: list[tuple[int, str]] = field(default_factory=list)
    note: list[tuple[int, str]] = field(default_factory=list)
    url: list[tuple[int, str]] = field(default_factory=list)
    categories: list[tuple[int, list[str]]] = field(default_factory=list)
    emails: list[tuple[int, tuple[str, str]]] = field(default_factory=list)
    phones: list[tuple[int, tuple[str, str]]] = field(default_factory=list)
    addresses: list[tuple[int, tuple[str, Address]]] = field(default_factory=list)


def _entries(card: _Card) -> _Entries:
    """Collect the editable properties of a card with their normalized values."""
    v21 = card.version == "2.1"
    e = _Entries()
    for i, p in enumerate(card.props):
        name = p.name
        if name == "N":
            c = [*_p_comps(p, v21), "", "", "", "", ""]
            e.n.append((i, (c[0], c[1], c[2], c[3], c[4])))
        elif name == "FN":
            e.fn.append((i, _p_text(p, v21)))
        elif name == "ORG":
            e.org.append((i, _norm_org(";".join(_p_comps(p, v21)))))
        elif name == "TITLE":
            e.title.append((i, _p_text(p, v21)))
        elif name == "BDAY":
            e.bday.append((i, _read_date(p)))
        elif name == "NOTE":
            e.note.append((i, _p_text(p, v21)))
        elif name == "URL":
            e.url.append((i, _p_text(p, v21)))
        elif name == "CATEGORIES":
            e.categories.append((i, _p_items(p, v21)))
        elif name == "EMAIL":
            value = _strip_scheme(_p_text(p, v21), "mailto:")
            if value:
                types = _norm_types(",".join(_type_tokens(p.params)), "EMAIL")
                e.emails.append((i, (types, value)))
        elif name == "TEL":
            value = _strip_scheme(_p_text(p, v21), "tel:")
            if value:
                types = _norm_types(",".join(_type_tokens(p.params)), "TEL")
                e.phones.append((i, (types, value)))
        elif name == "ADR":
            c = [*_p_comps(p, v21), "", "", "", "", "", "", ""]
            a = Address(c[2], c[3], c[4], c[5], c[6], c[0], c[1])
            if not a.is_empty():
                types = _norm_types(",".join(_type_tokens(p.params)), "ADR")
                e.addresses.append((i, (types, a)))
    return e


def _first(entries: Sequence[tuple[int, _T]], default: _T) -> _T:
    """The value of the first entry, or default."""
    return entries[0][1] if entries else default


def _fields_of(e: _Entries) -> ContactFields:
    """ContactFields from collected entries (first of each single-valued property)."""
    family, given, additional, prefix, suffix = _first(e.n, ("", "", "", "", ""))
    f = ContactFields(
        prefix=prefix,
        given=given,
        additional=additional,
        family=family,
        suffix=suffix,
        fn=_first(e.fn, ""),
        org=_first(e.org, ""),
        title=_first(e.title, ""),
        emails=[v for _, v in e.emails],
        phones=[v for _, v in e.phones],
        addresses=[v for _, v in e.addresses],
        birthday=_first(e.bday, ""),
        note=_first(e.note, ""),
        categories=[x for _, items in e.categories for x in items],
        url=_first(e.url, ""),
    )
    return normalize_fields(f)


def read_fields(text: str) -> ContactFields:
    """The editable fields of a card, normalized; raises CardError for a non-card."""
    return _fields_of(_entries(_parse_card(text)))
