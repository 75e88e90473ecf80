"""The normalized hash: `normalized_hash` (and `summarize_and_hash`, which reads summary and
hash in one pass over the unfolded lines, `_one_pass`; `_quick_lines` + `_hash_lines` read the
cards it declines) gives the SHA-256 of a card's content in a canonical form, one canonical
line per property (`_canon_prop`), so that a server's re-serialization never looks like an
edit; `_sabre_fn` is the FN a server repairs into a card without one, which conversion and
upload add the same way.

Two texts hash equal when a server could have produced one from the other without a user
edit. Concretely, the hash ignores line endings, folding, QP soft breaks, QUOTED-PRINTABLE/
CHARSET encodings (values are compared decoded), case of property and parameter names,
parameter order, TYPE order/case/duplicates, `TYPE=pref` vs `PREF=1`, the default types
(EMAIL `internet`, TEL `voice`), VALUE/ENCODING/MEDIATYPE/PID params, text escaping differences
(`\\,` vs `,` where both mean the same; in unknown properties `\\;`/`\\,` vs `;`/`,`, which
Radicale's vobject writes for them), trailing whitespace, property order, empty properties,
trailing empty components of N/ADR/ORG, `tel:`/`mailto:` prefixes, dashes in dates, Apple's
X-APPLE-OMIT-YEAR vs `--MMDD`, X-ADDRESSBOOKSERVER-KIND/MEMBER vs KIND/MEMBER, binary data
(ENCODING=b base64 vs a data: URI, compared by content digest and media type), a missing FN vs the
FN a server repairs in (SabreDAV rule: "given family", else ORG, else EMAIL), and the
bookkeeping properties in `HASH_IGNORED` (VERSION, UID, PRODID, REV, LAST-MODIFIED, ...).
VERSION and UID are ignored on purpose: SabreDAV serves a 4.0 card as 3.0 (and back), a 2.1 card
converted by `prepare_for_upload` must hash like its original, and servers add missing UIDs; the
sync engine tracks UIDs itself. Not normalized (counted as a change): any value change, group
renames (item1 -> item2), ALTID variants dropped by a 4.0 -> 3.0 conversion, and Apple X-ABDATE
labels that SabreDAV maps to ANNIVERSARY.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from app.contentline import find_colon

from .model import CardSummary
from .parse import _decoded, _p_comps, _p_text, _parse_card, _Prop, _qp21
from .summary import (
    _EMPTY_LINES_RE,
    _SUMMARY_PROPS,
    _UNFOLD_RE,
    _card_body,
    _has_soft_breaks,
    _summary,
)
from .syntax import (
    _ALIASES,
    _B64_TEXT,
    _BEGIN,
    _BINARY,
    _COMPOUND,
    _DATA_URI_RE,
    _DATE_RE,
    _DATES,
    _DEFAULT_TYPES,
    _END,
    _ESC_RE,
    _LISTS,
    _NOYEAR_RE,
    _TEXT_SEPARATORS,
    _TEXTS,
    _TOKEN_RE,
    _URIS,
    Params,
    _b64_text,
    _charset,
    _clean,
    _encoding,
    _esc,
    _is_type_param,
    _media,
    _norm_text,
    _norm_version,
    _param,
    _parse_params,
    _qp_decode,
    _split_escaped,
    _strip_scheme,
    _type_tokens,
    _unescape,
    _unquote,
)

# Properties the normalized hash ignores: server bookkeeping (vdirsyncer's IGNORE_PROPS idea)
# plus VERSION and UID (see the module docstring).
HASH_IGNORED = frozenset(
    {
        "BEGIN",
        "END",
        "VERSION",
        "UID",
        "PRODID",
        "REV",
        "LAST-MODIFIED",
        "CREATED",
        "DTSTAMP",
        "METHOD",
        "X-RADICALE-NAME",
        "X-WR-CALNAME",
    }
)


def _canon_date(value: str, params: Params) -> str:
    """Date with dashes removed; Apple's 1604-MM-DD + X-APPLE-OMIT-YEAR equals 4.0's --MMDD."""
    v = value.strip()
    omit = _param(params, "X-APPLE-OMIT-YEAR")
    m = _DATE_RE.match(v)
    if m:
        if omit and m.group(1) == omit.strip():
            return f"--{m.group(2)}{m.group(3)}"
        return f"{m.group(1)}{m.group(2)}{m.group(3)}{m.group(4)}"
    m2 = _NOYEAR_RE.match(v)
    if m2:
        return f"--{m2.group(1)}{m2.group(2)}"
    return v


def _b64bytes(data: str) -> bytes:
    """Decode base64 leniently (whitespace, missing padding); broken data still hashes stably."""
    compact = "".join(data.split())
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4))
    except (binascii.Error, ValueError):
        return compact.encode("utf-8", "surrogatepass")


def _canon_params(params: Params, name: str) -> tuple[list[str], list[str]]:
    """The parameters of a property as the hash counts them: its TYPE tokens (lower case,
    less the property's default types; PREF as "pref") and the other parameters as
    "NAME=value" (TYPE, ENCODING, CHARSET, VALUE, MEDIATYPE, PID, X-APPLE-OMIT-YEAR and
    odd names left out)."""
    types = sorted({t.lower() for t in _type_tokens(params)} - _DEFAULT_TYPES.get(name, set()))
    other: list[str] = []
    for n, v in params:
        if n is None or n in ("TYPE", "ENCODING", "CHARSET", "VALUE", "MEDIATYPE", "PID"):
            continue
        if n == "PREF":
            types.append("pref")
            continue
        if n == "X-APPLE-OMIT-YEAR" or not _TOKEN_RE.match(n) or _is_type_param(n, v):
            continue
        other.append(f"{n}={_unquote(v)}")
    return types, other


def _canon_prop(p: _Prop, version: str) -> str | None:
    """The canonical text of one property for hashing, or None if it carries nothing."""
    name = _ALIASES.get(p.name, p.name)
    v21 = version == "2.1"
    params = p.params
    value = p.value
    types: list[str] = []
    other: list[str] = []
    enc = ""
    if params:  # most properties of most cards have none: skip the work below
        enc = _encoding(params)
        if enc == "QUOTED-PRINTABLE":
            value = _qp_decode(value, _charset(params))
        elif enc in ("BASE64", "B") and name in _B64_TEXT:
            value = _b64_text(value, _charset(params)) or value
        types, other = _canon_params(params, name)
    qp = v21 and enc == "QUOTED-PRINTABLE"
    if name in _BINARY:
        if enc in ("BASE64", "B"):
            media = _media(types[0]) if types else ""
            types = []
            value = f"bin:{media}:{hashlib.sha256(_b64bytes(value)).hexdigest()}"
        else:
            m = _DATA_URI_RE.match(value.strip())
            if m and m.group(3):
                media = m.group(1).lower()
                types = [t for t in types if _media(t) != media]
                value = f"bin:{media}:{hashlib.sha256(_b64bytes(m.group(4))).hexdigest()}"
            else:
                value = _unescape(value.strip())
    elif name in _COMPOUND:
        comps = [_norm_text(_unescape(c, v21, qp)) for c in _split_escaped(value, ";")]
        while comps and not comps[-1]:
            comps.pop()
        value = ";".join(_esc(c, "3.0", semi=True, comma=True) for c in comps)
    elif name in _LISTS:
        items = [_norm_text(_unescape(c, v21, qp)) for c in _split_escaped(value, ",")]
        value = ",".join(_esc(x, "3.0", semi=True, comma=True) for x in items if x)
    elif name in _TEXTS:
        text = _norm_text(_unescape(value, v21, qp))
        if "\n" in text:
            text = "\n".join(x.rstrip() for x in text.split("\n"))
        if name == "TEL":
            text = _strip_scheme(text, "tel:")
        elif name == "EMAIL":
            text = _strip_scheme(text, "mailto:")
        value = _esc(text, "3.0", semi=True, comma=True)
    elif name in _DATES:
        value = _canon_date(value, params)
    elif name in _URIS or name == "KIND":
        value = _clean(_unescape(value.strip())).replace("\n", "\\n")
        if name == "KIND":
            value = value.lower()
    elif name == "GEO":
        value = _strip_scheme(value.strip(), "geo:").replace(";", ",").replace(" ", "")
    else:
        # unknown properties are text to the servers' parsers (RFC 2425's default type): vobject
        # (Radicale) and sabre/vobject re-serialize `a; b` as `a\; b`, the same text
        if "\\" in value:
            value = _ESC_RE.sub(lambda m: _TEXT_SEPARATORS.get(m.group(1), m.group(0)), value)
        value = _clean(value).replace("\n", "\\n").rstrip()
    if not value:
        return None
    group = p.group.lower() + "." if p.group else ""
    if types:
        other.append("TYPE=" + ",".join(sorted(set(types))))
    other.sort()
    return group + name + "".join(";" + x for x in other) + ":" + value


def _sabre_fn(props: Sequence[_Prop], v21: bool) -> str:
    """The FN SabreDAV repairs into a card without one: "given family", else ORG, else EMAIL."""
    for want in ("N", "ORG", "EMAIL"):
        for p in props:
            if p.name != want:
                continue
            if want == "N":
                comps = [*_p_comps(p, v21), "", ""]
                fn = f"{comps[1]} {comps[0]}" if comps[1] else comps[0]
            elif want == "ORG":
                fn = ";".join(_p_comps(p, v21))
            else:
                fn = _p_text(p, v21)
            if fn.strip():
                return fn.strip()
            break
    return ""


@dataclass(slots=True, frozen=True)  # slots: read ~2x faster than a NamedTuple's fields
class _Head:
    """What the name and params of a content line decide, computed once per distinct head
    (`EMAIL;TYPE=INTERNET,WORK`): a 10,000-card import repeats a few hundred of them."""

    group: str
    name: str
    params: Params
    enc: str  # ENCODING ("" without one); "" also means the raw value is the decoded one
    kind: int  # how `_fast_canon` reads the value; _K_GENERAL: `_canon_prop` decides
    prefix: str  # the canonical "group.NAME;PARAM=x;TYPE=a,b:" for the fast kinds
    summary: bool  # a property `_summary` reads
    marker: int  # 1/-1 for a BEGIN/END head (a nested card's marker if its value is VCARD), else 0
    quoted: bool  # the head has '"' and ';': its line's value colon needs `find_colon`


_K_IGNORED, _K_GENERAL, _K_TEXT, _K_TEL, _K_EMAIL, _K_COMPOUND, _K_LIST, _K_URI, _K_KIND = range(9)
_K_OTHER = 9


_HEADS: dict[str, _Head] = {}


_HEADS_MAX = 4096


def _head(head: str) -> _Head:
    """The cached `_Head` of a line's text before its value colon."""
    h = _HEADS.get(head)
    if h is None:
        if len(_HEADS) >= _HEADS_MAX:
            _HEADS.clear()
        h = _HEADS[head] = _make_head(head)
    return h


def _make_head(head: str) -> _Head:
    # `line.lstrip("\ufeff").rstrip().upper()` of a line is this key's part, ":", the value's
    # part (no character upper-cases to ":"), so the marker check splits at the first colon
    mark = head.lstrip("\ufeff").upper()
    marker = 1 if mark == "BEGIN" else -1 if mark == "END" else 0
    quoted = '"' in head and ";" in head
    semi = head.find(";")
    namepart = head if semi < 0 else head[:semi]
    group, _, name = namepart.rpartition(".")
    group = group.strip()
    name = name.strip().upper()
    params = _parse_params(head[semi + 1 :]) if semi >= 0 else []
    enc = _encoding(params) if params else ""
    canon = _ALIASES.get(name, name)
    summary = name in _SUMMARY_PROPS
    if name in HASH_IGNORED:
        return _Head(group, name, params, enc, _K_IGNORED, "", summary, marker, quoted)
    if enc or canon in _BINARY or canon in _DATES or canon == "GEO":
        return _Head(group, name, params, enc, _K_GENERAL, "", summary, marker, quoted)
    if canon in _COMPOUND:
        kind = _K_COMPOUND
    elif canon in _LISTS:
        kind = _K_LIST
    elif canon in _TEXTS:
        kind = _K_TEL if canon == "TEL" else _K_EMAIL if canon == "EMAIL" else _K_TEXT
    elif canon in _URIS:
        kind = _K_URI
    elif canon == "KIND":
        kind = _K_KIND
    else:
        kind = _K_OTHER
    # the params part of _canon_prop, for a property without ENCODING
    types, other = _canon_params(params, canon) if params else ([], [])
    if types:
        other.append("TYPE=" + ",".join(sorted(set(types))))
    other.sort()
    prefix = (group.lower() + "." if group else "") + canon + "".join(";" + x for x in other) + ":"
    return _Head(group, name, params, enc, kind, prefix, summary, marker, quoted)


def _unescape30(s: str) -> str:
    """`_unescape(s)` of a 3.0/4.0 value holding no double backslash, without a regex: every
    backslash starts its own escape, and no replacement makes a new one; unknown escapes and
    a trailing backslash stay."""
    s = s.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",").replace("\\;", ";")
    return s.replace("\\:", ":")


def _fast_canon(h: _Head, value: str, v21: bool) -> str | None:
    """`_canon_prop`'s result for a property without ENCODING of a fast kind, for the common
    values (printable; backslashes only in 3.0/4.0 text), "" where only `_canon_prop` knows.
    The same result without its regexes and per-call decisions."""
    if not value.isprintable():
        return ""
    kind = h.kind
    if "\\" in value:
        if kind > _K_EMAIL or v21 or "\\\\" in value:
            return ""
        # printable before, so only the "\n" escapes made control characters: _norm_text's
        # _clean has nothing to drop
        text = _unescape30(value).strip()
        if "\n" in text:
            text = "\n".join([x.rstrip() for x in text.split("\n")])
        if kind == _K_TEL:
            text = _strip_scheme(text, "tel:")
        elif kind == _K_EMAIL:
            text = _strip_scheme(text, "mailto:")
        return h.prefix + _esc(text, "3.0", semi=True, comma=True) if text else None
    if kind <= _K_EMAIL:  # text: ',' and ';' would need escaping
        if "," in value or ";" in value:
            return ""
        text = value.strip()
        # _strip_scheme's own test first: most values have no scheme
        if kind == _K_TEL and text[:4].lower() == "tel:":
            text = _strip_scheme(text, "tel:")
        elif kind == _K_EMAIL and text[:7].lower() == "mailto:":
            text = _strip_scheme(text, "mailto:")
    elif kind == _K_COMPOUND:
        # the only whitespace a printable value holds is " ": without one next to a ";",
        # stripping each component strips the ends of the whole
        text = value.strip()
        if " ;" in text or "; " in text:
            text = ";".join([c.strip() for c in text.split(";")])
        text = text.rstrip(";")  # trailing empty components
        if "," in text:
            text = text.replace(",", "\\,")
    elif kind == _K_LIST:
        if ";" in value:
            return ""
        text = ",".join([x for x in [c.strip() for c in value.split(",")] if x])
    elif kind == _K_URI:
        text = value.strip()
    elif kind == _K_KIND:
        text = value.strip().lower()
    else:
        text = value.rstrip()
    return h.prefix + text if text else None


def _logical_lines(text: str) -> list[str] | None:
    """The unfolded lines of the first card's body, or None for a card with QUOTED-PRINTABLE
    soft line breaks (the exact parser's). Unfolds with one regex like `summarize`."""
    body = _card_body(text)
    if _has_soft_breaks(body):
        return None
    if "\n\n" in body:  # empty lines do not end a folded line in _parse_card either
        body = _EMPTY_LINES_RE.sub("\n", body)
    return _UNFOLD_RE.sub("", body).split("\n")


def _quick_lines(lines: list[str]) -> tuple[str, list[_Head], list[str]]:
    """Version, heads and raw values of the properties of `_logical_lines` (the cheap parse
    for hashing, every card `_one_pass` declines); gives the same props as `_parse_card`."""
    heads: list[_Head] = []
    values: list[str] = []
    cached = _HEADS.get
    depth = 0
    version = ""
    for line in lines:
        if not line or line.isspace():
            continue
        if line[0] in "BbEe\ufeff":
            mk = line.lstrip("\ufeff").rstrip().upper()
            if mk in (_BEGIN, _END):
                depth += 1 if mk == _BEGIN else -1
                continue
        if depth > 0:
            continue
        k = line.find(":")
        if k < 0 and heads:
            enc = heads[-1].enc  # a stray line, as in _parse_card
            stray = "=0A" if enc == "QUOTED-PRINTABLE" else "\\n"
            values[-1] += line if enc in ("BASE64", "B") else stray + line
            continue
        if k < 0:
            h = _head(line)
            value = ""
        else:
            # find_colon differs from the first colon only after a quote (`;LABEL="a:b"`)
            if line.find('"', 0, k) >= 0 and line.find(";", 0, k) >= 0:
                k = find_colon(line)
            key = line if k < 0 else line[:k]
            h = cached(key) or _head(key)
            value = "" if k < 0 else line[k + 1 :]
        if not version and h.name == "VERSION":
            version = _norm_version(value)
        heads.append(h)
        values.append(value)
    return version or "3.0", heads, values


def _one_pass(
    lines: list[str], v21: bool, items: list[tuple[str, str, bool]]
) -> tuple[str, str] | None:
    """Version and hash of `_logical_lines` (as `_quick_lines` + `_hash_lines`) in a single
    pass that also collects `_summary`'s items, for the common card: None (and `items` to be
    dropped) if the card has a stray (colon-less) line, no FN, or a version other than `v21`
    says; `_quick_lines` and `_hash_lines` read those."""
    entries: list[str] = []
    add = entries.append
    cached = _HEADS.get
    depth = 0
    version = ""
    has_fn = False
    for line in lines:
        k = line.find(":")
        if k < 0:
            if not line or line.isspace() or depth > 0:
                continue
            return None
        h = cached(line[:k]) or _head(line[:k])
        if h.marker and line[k + 1 :].rstrip().upper() == "VCARD":
            depth += h.marker
            continue
        if depth > 0:
            continue
        if h.quoted:  # find_colon differs from the first colon only after a quote
            k = find_colon(line)
            h = _head(line if k < 0 else line[:k])
            value = "" if k < 0 else line[k + 1 :]
        else:
            value = line[k + 1 :]
        if h.summary:
            items.append(_summary_item(h, value, v21))
        kind = h.kind
        if kind == _K_IGNORED:
            if not version and h.name == "VERSION":
                version = _norm_version(value)
            continue
        canon = "" if kind == _K_GENERAL else _fast_canon(h, value, v21)
        if canon == "":
            p = _Prop("", h.group, h.name, h.params, value)
            canon = _canon_prop(p, "2.1" if v21 else "3.0")
        if canon is not None:
            add(canon)
            if h.name == "FN":
                has_fn = True
    version = version or "3.0"
    if not has_fn or (version == "2.1") != v21:
        return None
    entries.sort()
    return version, _digest(entries)


def _digest(entries: list[str]) -> str:
    """The SHA-256 hex of the sorted canonical lines."""
    return hashlib.sha256("\n".join(entries).encode("utf-8", "surrogatepass")).hexdigest()


def _lines_hash(lines: list[str], items: list[tuple[str, str, bool]]) -> tuple[str, str]:
    """Version and hash of `_logical_lines`, filling `items` for `_summary`."""
    found = _one_pass(lines, "VERSION:2.1" in lines, items)  # a guess `_one_pass` checks
    if found is not None:
        return found
    items.clear()
    quick = _quick_lines(lines)
    return quick[0], _hash_lines(*quick, items)


def normalized_hash(text: str) -> str:
    """SHA-256 hex of the card's content; a server's re-serialization must not look like an edit."""
    lines = _logical_lines(text)
    if lines is None:
        card = _parse_card(text)
        return _hash_props(card.version, card.props[1:-1])
    return _lines_hash(lines, [])[1]


def summarize_and_hash(text: str) -> tuple[CardSummary, str]:
    """`summarize` and `normalized_hash` of one card from a single parse (a sync reads both of
    every fetched card: this saves the second unfolding and line scan, ~20 % of the pair)."""
    lines = _logical_lines(text)
    if lines is None:
        card = _parse_card(text)
        version, props = card.version, card.props[1:-1]
        v21 = version == "2.1"
        items = [(p.name, _decoded(p), _qp21(p, v21)) for p in props if p.name in _SUMMARY_PROPS]
        return _summary(version, items), _hash_props(version, props)
    items = []
    version, digest = _lines_hash(lines, items)
    return _summary(version, items), digest


def _summary_item(h: _Head, value: str, v21: bool) -> tuple[str, str, bool]:
    """What `_summary` reads of a summary line (FN, N, ORG, UID, ...): its name, its value
    (decoded where it has an ENCODING) and whether it is 2.1 quoted-printable."""
    if h.enc:
        p = _Prop("", h.group, h.name, h.params, value)
        return (h.name, _decoded(p), _qp21(p, v21))
    return (h.name, value, False)


def _hash_lines(
    version: str, heads: list[_Head], values: list[str], items: list[tuple[str, str, bool]]
) -> str:
    """The hash of `_quick_lines`' props (as `_hash_props`), collecting `_summary`'s items into
    `items`. Issue 21: most lines take `_fast_canon` with their head's decisions
    cached; tests/unit/test_hash_unchanged.py holds summary and hash equal to the code before."""
    v21 = version == "2.1"
    entries: list[str] = []
    has_fn = False
    for h, value in zip(heads, values, strict=True):
        if h.summary:
            items.append(_summary_item(h, value, v21))
        if h.kind == _K_IGNORED:
            continue
        canon = "" if h.kind == _K_GENERAL else _fast_canon(h, value, v21)
        if canon == "":
            canon = _canon_prop(_Prop("", h.group, h.name, h.params, value), version)
        if canon is None:
            continue
        if h.name == "FN":
            has_fn = True
        entries.append(canon)
    if not has_fn:
        pairs = zip(heads, values, strict=True)
        props = [_Prop("", h.group, h.name, h.params, v) for h, v in pairs]
        fn = _sabre_fn(props, v21)
        if fn:
            entries.append("FN:" + _esc(fn, "3.0", semi=True, comma=True))
    entries.sort()
    return _digest(entries)


def _hash_props(version: str, props: list[_Prop]) -> str:
    entries: list[str] = []
    has_fn = False
    for p in props:
        if p.name in HASH_IGNORED:
            continue
        canon = _canon_prop(p, version)
        if canon is None:
            continue
        if p.name == "FN":
            has_fn = True
        entries.append(canon)
    if not has_fn:
        fn = _sabre_fn(props, version == "2.1")
        if fn:
            entries.append("FN:" + _esc(fn, "3.0", semi=True, comma=True))
    entries.sort()
    return _digest(entries)
