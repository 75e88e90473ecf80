"""The normalized hash: `normalized_hash` (and `summarize_and_hash`, which reads summary and
hash from one cheap parse, `_quick_props`) gives the SHA-256 of a card's content in a
canonical form, one canonical line per property (`_canon_prop`), so that a server's
re-serialization never looks like an edit; `_sabre_fn` is the FN a server repairs into a card
without one, which conversion and upload add the same way.

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
        types = sorted({t.lower() for t in _type_tokens(params)} - _DEFAULT_TYPES.get(name, set()))
        for n, v in params:
            if n is None or n in ("TYPE", "ENCODING", "CHARSET", "VALUE", "MEDIATYPE", "PID"):
                continue
            if n == "PREF":
                types.append("pref")
                continue
            if n == "X-APPLE-OMIT-YEAR" or not _TOKEN_RE.match(n) or _is_type_param(n, v):
                continue
            other.append(f"{n}={_unquote(v)}")
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


def _quick_props(text: str) -> tuple[str, list[_Prop]]:
    """Version and props (raw text not kept) of the first card; the cheap parse for hashing.

    Unfolds with one regex like `summarize`; cards with QUOTED-PRINTABLE soft line breaks take
    the exact parser. Both give the same props for the same card.
    """
    body = _card_body(text)
    if _has_soft_breaks(body):
        card = _parse_card(text)
        return card.version, card.props[1:-1]
    if "\n\n" in body:  # empty lines do not end a folded line in _parse_card either
        body = _EMPTY_LINES_RE.sub("\n", body)
    props: list[_Prop] = []
    depth = 0
    version = ""
    for line in _UNFOLD_RE.sub("", body).split("\n"):
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
        if k < 0 and props:
            last = props[-1]  # a stray line, as in _parse_card
            enc = _encoding(last.params) if last.params else ""
            stray = "=0A" if enc == "QUOTED-PRINTABLE" else "\\n"
            last.value += line if enc in ("BASE64", "B") else stray + line
            continue
        semi = line.find(";", 0, k) if k >= 0 else line.find(";")
        if semi >= 0:
            k = find_colon(line)
        head, value = (line, "") if k < 0 else (line[:k], line[k + 1 :])
        namepart = head if semi < 0 else head[:semi]
        group, _, name = namepart.rpartition(".")
        name = name.strip().upper()
        params = _parse_params(head[semi + 1 :]) if semi >= 0 else []
        if name == "VERSION" and not version:
            version = _norm_version(value)
        props.append(_Prop("", group.strip(), name, params, value))
    return version or "3.0", props


def normalized_hash(text: str) -> str:
    """SHA-256 hex of the card's content; a server's re-serialization must not look like an edit."""
    return _hash_props(*_quick_props(text))


def summarize_and_hash(text: str) -> tuple[CardSummary, str]:
    """`summarize` and `normalized_hash` of one card from a single parse (a sync reads both of
    every fetched card: this saves the second unfolding and line scan, ~20 % of the pair)."""
    version, props = _quick_props(text)
    v21 = version == "2.1"
    items = [(p.name, _decoded(p), _qp21(p, v21)) for p in props if p.name in _SUMMARY_PROPS]
    return _summary(version, items), _hash_props(version, props)


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
    return hashlib.sha256("\n".join(entries).encode("utf-8", "surrogatepass")).hexdigest()
