"""A frozen copy of `summarize_and_hash` as it was before issue 21's speed-up (integ at
cdf52bd: app/vcard/hashing.py, plus `_card_body`, `_has_soft_breaks`, `_summary` of
app/vcard/summary.py). Test-only: tests/unit/test_hash_unchanged.py proves the optimised code
gives the same summary and the same normalized hash (stored in every database) for every card.
It imports only the lexical helpers (app.vcard.syntax, app.vcard.parse), which issue 21 did not
touch. Do not edit to "fix" it: it is the yardstick."""

# ruff: noqa
# mypy: ignore-errors

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from collections.abc import Sequence

from app.contentline import find_colon

from app.vcard.model import MISSING_BEGIN, MISSING_END, CardError, CardSummary
from app.vcard.parse import _decoded, _p_comps, _p_text, _parse_card, _Prop, _qp21
from app.vcard.syntax import (
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

_BEGIN_RE = re.compile(r"^\ufeff?BEGIN:VCARD[ \t]*$", re.I | re.M)


_MARKER_RE = re.compile(r"^(BEGIN|END):VCARD[ \t]*$", re.I | re.M)


_UNFOLD_RE = re.compile(r"\n[ \t]")


_EMPTY_LINES_RE = re.compile(r"\n\n+")


def _card_body(text: str) -> str:
    """The LF-normalized text between the first BEGIN:VCARD and its END:VCARD line."""
    if "\r" in text:
        # Like _physical_lines: a lone CR is a line break only in a file without LF, and
        # CRs before a LF (also doubled ones, "\r\r\n") belong to the line ending.
        if "\n" in text:
            text = text.replace("\r\n", "\n")
            while "\r\n" in text:
                text = text.replace("\r\n", "\n")
        else:
            text = text.replace("\r", "\n")
    # Fast path (nearly every card): upper-case markers, no nested card; str.find is ~10x
    # cheaper than the case-insensitive multi-line regex below.
    i = text.find("BEGIN:VCARD")
    if i == 0 or (i > 0 and text[i - 1] in "\n\ufeff"):
        start = text.find("\n", i)
        j = text.find("\nEND:VCARD", start) if start >= 0 else -1
        if j >= 0 and not text[i + 11 : start].strip(" \t"):
            end = text.find("\n", j + 1)
            rest = text[j + 10 : end if end >= 0 else len(text)]
            if not rest.strip(" \t") and text.find("\nBEGIN:VCARD", start, j) < 0:
                return text[start:j]
    m = _BEGIN_RE.search(text)
    if m is None:
        raise CardError(detail=MISSING_BEGIN)
    depth = 1
    for mm in _MARKER_RE.finditer(text, m.end()):
        depth += 1 if mm.group(1).upper() == "BEGIN" else -1
        if depth == 0:
            return text[m.end() : mm.start()]
    raise CardError(detail=MISSING_END)


def _build_name(prefix: str, given: str, additional: str, family: str, suffix: str) -> str:
    """A display name from the N parts, "Dr. Hans Peter Müller jun."."""
    return " ".join(x for x in (prefix, given, additional, family, suffix) if x)


_SUMMARY_PROPS = frozenset(
    {
        "UID", "FN", "N", "ORG", "EMAIL", "TEL", "CATEGORIES",
        "KIND", "X-ADDRESSBOOKSERVER-KIND", "MEMBER", "X-ADDRESSBOOKSERVER-MEMBER",
    }
)  # fmt: skip
_URN = "urn:uuid:"


_SCAN_NAMES = _SUMMARY_PROPS | {"VERSION", "BEGIN", "END"}


def _has_soft_breaks(body: str) -> bool:
    """True if an LF body may hold QUOTED-PRINTABLE soft line breaks (which need _parse_card).

    "=\\n" alone is common (base64 padding), so the QP keyword decides; a case-insensitive
    regex over a 20 KB photo card costs ~10x more than str.lower().
    """
    return "=\n" in body and ("QUOTED-PRINTABLE" in body or "quoted-printable" in body.lower())


def _summary(version: str, items: Iterable[tuple[str, str, bool]]) -> CardSummary:
    """A CardSummary from (NAME, decoded but still escaped value, was QUOTED-PRINTABLE) in card
    order; 2.1 reads `\\n` as a line break only outside QUOTED-PRINTABLE (see _ESC_21)."""
    v21 = version == "2.1"
    uid: str | None = None
    fn = ""
    n_parts: list[str] | None = None
    org: list[str] | None = None
    emails: list[str] = []
    phones: list[str] = []
    kind = ""
    members: list[str] = []
    categories: dict[str, None] = {}
    for name, value, was_qp in items:
        qp = v21 and was_qp
        if name == "EMAIL":
            e = _strip_scheme(_norm_text(_unescape(value, v21, qp)), "mailto:")
            if e:
                emails.append(e)
        elif name == "TEL":
            t = _strip_scheme(_norm_text(_unescape(value, v21, qp)), "tel:")
            if t:
                phones.append(t)
        elif name == "FN":
            if not fn:
                fn = _norm_text(_unescape(value, v21, qp))
        elif name == "N":
            if n_parts is None:
                n_parts = [_norm_text(_unescape(c, v21, qp)) for c in _split_escaped(value, ";")]
        elif name == "ORG":
            if org is None:
                org = [_norm_text(_unescape(c, v21, qp)) for c in _split_escaped(value, ";")]
        elif name == "UID" and uid is None:
            uid = _norm_text(_unescape(value, v21, qp)) or None
        elif name == "CATEGORIES":
            for c in _split_escaped(value, ","):
                c = _norm_text(_unescape(c, v21, qp))
                if c:
                    categories.setdefault(c)
        elif name in ("KIND", "X-ADDRESSBOOKSERVER-KIND"):
            if _norm_text(_unescape(value, v21, qp)).lower() == "group":
                kind = "group"
        elif name in ("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER"):
            m = _norm_text(_unescape(value, v21, qp))
            if m[: len(_URN)].lower() == _URN and m[len(_URN) :]:
                members.append(m[len(_URN) :])
    np = [*(n_parts or ()), "", "", "", "", ""]
    family, given = np[0], np[1]
    org_s = ", ".join(x for x in org or () if x)
    if not fn:
        fn = (
            _build_name(np[3], given, np[2], family, np[4])
            or org_s
            or (emails[0] if emails else "")
            or (phones[0] if phones else "")
        )
    return CardSummary(
        uid,
        version,
        fn,
        given,
        family,
        org_s,
        tuple(emails),
        tuple(phones),
        kind,
        tuple(members) if kind else (),
        tuple(categories),
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
