"""New cards and lossless edits: `new_card` writes a card from `ContactFields` in 2.1, 3.0 or
4.0, and `edit_card` applies fields to an existing card rewriting only the properties whose
value changed (plus REV); every other line (PHOTO, X-*, itemN groups, unknown params, line
endings) stays byte-identical, and `_Editor` (also used by `set_photo`) keeps itemN.X-AB*
companions consistent when their property goes.

Editing a 2.1 card (`edit_card`) keeps it 2.1 unless a version is passed (or a new value has a
backslash 2.1 cannot carry, see `_ESC_21`: then it goes 3.0 first): rewritten lines are
written the 2.1 way (bare type params, `\\;` escapes, CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE with
soft line breaks for non-ASCII, multi-line or long values), so Outlook/Android re-imports stay
readable; `prepare_for_upload` converts the whole card when the server needs 3.0/4.0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import astuple
from datetime import datetime
from difflib import SequenceMatcher
from typing import TypeVar

from .conversion import convert
from .emit import (
    _adr_value,
    _bday_value,
    _cat_value,
    _emit,
    _n_value,
    _org_value,
    _tokens,
    _type_params,
)
from .fields import _entries, _fields_of, _first, normalize_fields, read_fields
from .model import PRODID, ContactFields
from .parse import _Card, _parse_card
from .summary import summarize
from .syntax import (
    _ENCODINGS,
    _NOISE,
    Params,
    _check_version,
    _esc_text,
    _is_charset_token,
    _is_type_param,
    _norm_text,
    _param,
    _timestamp,
    _type_tokens,
)

_T = TypeVar("_T")


def new_card(
    fields: ContactFields, uid: str, version: str = "3.0", *, now: datetime | None = None
) -> str:
    """A new card (CRLF, folded) with our PRODID and a REV; version "2.1", "3.0" or "4.0".

    2.1 has no escape for a backslash (see _ESC_21): fields or a UID it cannot carry exactly
    (a backslash right before `;`, `,` or `:`, or ending a name/address part) give a 3.0 card.
    """
    v = _check_version(version)
    f = normalize_fields(fields)
    if v == "2.1" and not (_fits_21(f) and _uid_fits_21(uid)):
        v = "3.0"
    return _write_card(f, uid, v, now)


def _uid_fits_21(uid: str) -> bool:
    """True if a 2.1 card reads `uid` back as a 3.0 card does (a backslash before `;`, `,`
    or `:` is read as an escape in 2.1, see _ESC_21)."""
    if "\\" not in uid:
        return True
    empty = ContactFields()
    return _uid_of(_write_card(empty, uid, "2.1", None)) == _uid_of(
        _write_card(empty, uid, "3.0", None)
    )


def _uid_of(text: str) -> str | None:
    return summarize(text).uid  # (the reader of the UID, as a sync reads it)


def _write_card(f: ContactFields, uid: str, v: str, now: datetime | None) -> str:
    """new_card's text of normalized fields in version v."""
    eol = "\r\n"
    out = [f"BEGIN:VCARD{eol}VERSION:{v}{eol}"]
    out.append(_emit(v, "", "PRODID", [], PRODID, eol))
    out.append(_emit(v, "", "UID", [], _esc_text(_norm_text(uid), v), eol))
    out.append(_emit(v, "", "N", [], _n_value(f, v), eol))
    out.append(_emit(v, "", "FN", [], _esc_text(f.fn, v), eol))
    if f.org:
        out.append(_emit(v, "", "ORG", [], _org_value(f.org, v), eol))
    if f.title:
        out.append(_emit(v, "", "TITLE", [], _esc_text(f.title, v), eol))
    for ty, value in f.emails:
        out.append(_emit(v, "", "EMAIL", _type_params(_tokens(ty), v), _esc_text(value, v), eol))
    for ty, value in f.phones:
        out.append(_emit(v, "", "TEL", _type_params(_tokens(ty), v), _esc_text(value, v), eol))
    for ty, a in f.addresses:
        out.append(_emit(v, "", "ADR", _type_params(_tokens(ty), v), _adr_value(a, v), eol))
    if f.birthday:
        value, params = _bday_value(f.birthday, v, apple=False)
        out.append(_emit(v, "", "BDAY", params, value, eol))
    if f.url:
        out.append(_emit(v, "", "URL", [], _esc_text(f.url, v), eol))
    if f.note:
        out.append(_emit(v, "", "NOTE", [], _esc_text(f.note, v), eol))
    if f.categories:
        out.append(_emit(v, "", "CATEGORIES", [], _cat_value(f.categories, v), eol))
    out.append(_emit(v, "", "REV", [], _timestamp(now), eol))
    out.append(f"END:VCARD{eol}")
    return "".join(out)


_DROP_ON_REWRITE = frozenset({"ENCODING", "CHARSET", "VALUE"})


class _Editor:
    """Collects line replacements and insertions for a card; untouched lines stay byte-identical."""

    def __init__(self, card: _Card) -> None:
        self.card = card
        self.v = card.version
        self.eol = card.eol
        self.repl: dict[int, str] = {}
        self.groups: dict[int, str] = {}  # group of the text that now sits at a replaced index
        self.after: dict[int, list[str]] = {}
        self.deleted_groups: set[str] = set()
        self.changed = False
        self.end_anchor = len(card.props) - 2

    def rewrite(
        self,
        i: int,
        value: str,
        types: list[str] | None = None,
        kind: str = "",
        drop: frozenset[str] = frozenset(),
        extra: Params | None = None,
    ) -> str:
        """Prop i with a new value, keeping its group and params (types replaced if given)."""
        p = self.card.props[i]
        params: Params = [
            (n, x)
            for n, x in p.params
            if n not in _DROP_ON_REWRITE
            and n not in drop
            and not (n is None and (x.upper() in _ENCODINGS or _is_charset_token(x)))
        ]
        if types is not None:
            noise = _NOISE.get(kind, frozenset())
            kept = [t for t in _type_tokens(params) if t.lower() in noise]
            toks: list[str] = []
            for t in [*types, *kept]:
                if t.lower() not in (x.lower() for x in toks):
                    toks.append(t)
            params = _type_params(toks, self.v) + [
                (n, x) for n, x in params if not _is_type_param(n, x)
            ]
        if extra:
            params = params + extra
        return _emit(self.v, p.group, p.name, params, value, self.eol)

    def finish(self, text: str, now: datetime | None) -> str:
        """The edited card, `text` itself if nothing changed: orphaned itemN companions
        dropped, REV set to `now` (the first REV rewritten, else one added at the end)."""
        self.drop_orphan_companions()
        if not self.changed:
            return text
        rev = _emit(self.v, "", "REV", [], _timestamp(now), self.eol)
        revs = [i for i, p in enumerate(self.card.props) if p.name == "REV"]
        if revs:
            self.put(revs[0], rev, "")
        else:
            self.insert(self.end_anchor, rev)
        return self.card.text(self.repl, self.after)

    def put(self, i: int, text: str, group: str) -> None:
        """Replace prop i by text ("" deletes) whose group is `group`."""
        if text != self.card.props[i].raw:
            self.changed = True
        self.repl[i] = text
        self.groups[i] = group.lower()

    def insert(self, anchor: int, text: str) -> None:
        """Insert text after prop `anchor`."""
        self.changed = True
        self.after.setdefault(anchor, []).append(text)

    def delete(self, i: int) -> None:
        """Delete prop i; its itemN.X-AB* companions go too if nothing else uses the group."""
        group = self.card.props[i].group.lower()
        self.put(i, "", "")
        if group:
            self.deleted_groups.add(group)

    def single(
        self,
        entries: Sequence[tuple[int, _T]],
        old: _T,
        new: _T,
        make: Callable[[int | None], str],
        empty: bool,
    ) -> None:
        """Update a single-valued property: rewrite the first, delete all if emptied, or insert."""
        if old == new:
            return
        if empty:
            for i, _ in entries:
                self.delete(i)
        elif entries:
            i = entries[0][0]
            self.put(i, make(i), self.card.props[i].group)
        else:
            self.insert(self.end_anchor, make(None))

    def multi(
        self,
        kind: str,
        old: Sequence[tuple[int, tuple[str, _T]]],
        new: Sequence[tuple[str, _T]],
        value_of: Callable[[_T], str],
        text_of: Callable[[_T], str],
    ) -> None:
        """Update EMAIL/TEL/ADR lines: keep unchanged ones, rewrite changed ones in place."""
        m, n = len(old), len(new)
        used = [False] * m
        match: list[int | None] = [None] * n
        for j in range(min(m, n)):
            if old[j][1] == new[j]:
                match[j] = j
                used[j] = True
        for j in range(n):
            if match[j] is None:
                for i in range(m):
                    if not used[i] and old[i][1] == new[j]:
                        match[j] = i
                        used[i] = True
                        break
        pair: list[int | None] = [None] * n
        for j in range(n):
            if match[j] is not None:
                continue
            best: tuple[bool, float, int] | None = None
            best_i = -1
            for i in range(m):
                if used[i]:
                    continue
                score = (
                    old[i][1][0] == new[j][0],
                    SequenceMatcher(None, text_of(old[i][1][1]), text_of(new[j][1])).quick_ratio(),
                    -abs(i - j),
                )
                if best is None or score > best:
                    best = score
                    best_i = i
            if best_i >= 0:
                pair[j] = best_i
                used[best_i] = True
        results: list[tuple[str, str]] = []
        for j, (types, value) in enumerate(new):
            mi = match[j]
            pj = pair[j]
            if mi is not None:
                p = self.card.props[old[mi][0]]
                results.append((p.raw, p.group))
            elif pj is not None:
                oi = old[pj][0]
                same_type = old[pj][1][0] == types
                text = self.rewrite(
                    oi,
                    value_of(value),
                    None if same_type else _tokens(types),
                    kind,
                    frozenset({"LABEL"}) if kind == "ADR" else frozenset(),
                )
                results.append((text, self.card.props[oi].group))
            else:
                params = _type_params(_tokens(types), self.v)
                results.append((_emit(self.v, "", kind, params, value_of(value), self.eol), ""))
        slots = sorted(i for i, _ in old)
        for k, slot in enumerate(slots):
            if k < n:
                self.put(slot, results[k][0], results[k][1])
            else:
                self.put(slot, "", "")
        for i in range(m):
            if not used[i] and self.card.props[old[i][0]].group:
                self.deleted_groups.add(self.card.props[old[i][0]].group.lower())
        anchor = slots[-1] if slots else self.end_anchor
        for text, _ in results[len(slots) :]:
            self.insert(anchor, text)

    def drop_orphan_companions(self) -> None:
        """Delete itemN.X-* lines (X-ABLabel) whose itemN property was deleted."""
        if not self.deleted_groups:
            return
        alive: set[str] = set()
        for i, p in enumerate(self.card.props):
            group = self.groups[i] if i in self.repl else p.group.lower()
            text = self.repl.get(i, p.raw)
            if group and text and not p.name.startswith("X-"):
                alive.add(group)
        for i, p in enumerate(self.card.props):
            g = p.group.lower()
            if (
                g in self.deleted_groups
                and g not in alive
                and i not in self.repl
                and p.name.startswith("X-")
            ):
                self.put(i, "", "")


def _fits_21(f: ContactFields) -> bool:
    """True if the 2.1 writer can carry these (normalized) fields exactly; 2.1 cannot escape a
    backslash, so one right before `;`, `,` or `:` or at the end of a compound part cannot."""
    values = [f.prefix, f.given, f.additional, f.family, f.suffix, f.fn, f.org, f.title]
    values += [f.note, f.url, *f.categories]
    values += [x for _, x in f.emails] + [x for _, x in f.phones]
    values += [x for _, a in f.addresses for x in astuple(a)]
    if not any("\\" in x for x in values):
        return True
    return read_fields(_write_card(f, "", "2.1", None)) == f


def _card_version(text: str) -> str:
    """Version of the first card in text (3.0 if missing)."""
    return _parse_card(text).version


def edit_card(
    text: str,
    fields: ContactFields,
    *,
    version: str | None = None,
    now: datetime | None = None,
) -> str:
    """Apply fields to a card, rewriting only the properties whose value changed, plus REV.

    Every other line (PHOTO, X-*, itemN groups, unknown params, line endings) stays byte-identical;
    a card with no change comes back unchanged. `version` ("3.0"/"4.0") converts it first.
    """
    if version is not None and _card_version(text) != _check_version(version):
        text = convert(text, version)
    card = _parse_card(text)
    new = normalize_fields(fields)
    if card.version == "2.1" and version is None and not _fits_21(new):
        card = _parse_card(convert(text, "3.0"))  # 2.1 cannot carry a value exactly
    v = card.version
    eol = card.eol
    e = _entries(card)
    old = _fields_of(e)
    ed = _Editor(card)

    def line(name: str, value: str, params: Params | None = None) -> Callable[[int | None], str]:
        def make(i: int | None) -> str:
            if i is None:
                return _emit(v, "", name, params or [], value, eol)
            return ed.rewrite(i, value, extra=params)

        return make

    n_new = (new.family, new.given, new.additional, new.prefix, new.suffix)
    ed.single(e.n, _first(e.n, ("", "", "", "", "")), n_new, line("N", _n_value(new, v)), False)
    ed.single(e.fn, old.fn, new.fn, line("FN", _esc_text(new.fn, v)), False)
    ed.single(e.org, old.org, new.org, line("ORG", _org_value(new.org, v)), not new.org)
    ed.single(e.title, old.title, new.title, line("TITLE", _esc_text(new.title, v)), not new.title)
    ed.multi("EMAIL", e.emails, new.emails, lambda x: _esc_text(x, v), lambda x: x)
    ed.multi("TEL", e.phones, new.phones, lambda x: _esc_text(x, v), lambda x: x)
    ed.multi(
        "ADR",
        e.addresses,
        new.addresses,
        lambda a: _adr_value(a, v),
        lambda a: _adr_value(a, "3.0"),
    )
    if old.birthday != new.birthday:
        apple = any(_param(card.props[i].params, "X-APPLE-OMIT-YEAR") for i, _ in e.bday)
        value, params = _bday_value(new.birthday, v, apple)

        def make_bday(i: int | None) -> str:
            if i is None:
                return _emit(v, "", "BDAY", params, value, eol)
            return ed.rewrite(i, value, drop=frozenset({"X-APPLE-OMIT-YEAR"}), extra=params)

        ed.single(e.bday, old.birthday, new.birthday, make_bday, not new.birthday)
    ed.single(e.url, old.url, new.url, line("URL", _esc_text(new.url, v)), not new.url)
    ed.single(e.note, old.note, new.note, line("NOTE", _esc_text(new.note, v)), not new.note)
    if old.categories != new.categories:
        ed.single(
            e.categories,
            old.categories,
            new.categories,
            line("CATEGORIES", _cat_value(new.categories, v)),
            not new.categories,
        )
        for i, _ in e.categories[1:]:
            if new.categories:
                ed.delete(i)
    return ed.finish(text, now)
