"""vCard text <-> contact fields: fast summary, normalized hash, lossless edits, upload conversion.

Why no vobject: its parser costs ~0.24 ms per card (too slow for 10,000-card books) and its
serializer is lossy on real-world cards (cuts 2.1 values at commas, escapes `;` in Android's
X-ANDROID-CUSTOM, doubles Apple's `http\\://`, mislabels Windows-1252, chokes on 2.1 photos and
4.0 ALTID). So cards are handled line by line: a card we did not change is returned as received,
and an edit rewrites only the lines of the properties whose value changed.

Normalized hash (`normalized_hash`): two texts hash equal when a server could have produced one
from the other without a user edit. Concretely, it ignores line endings, folding, QP soft breaks,
QUOTED-PRINTABLE/CHARSET encodings (values are compared decoded), case of property and parameter
names, parameter order, TYPE order/case/duplicates, `TYPE=pref` vs `PREF=1`, the default types
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

Conversion (`convert`, `prepare_for_upload`): every logical line is rebuilt from its decoded
value: QUOTED-PRINTABLE and CHARSET are decoded to Unicode, bare 2.1 type params become TYPE=...
(`TEL;WORK;VOICE` -> `TEL;TYPE=WORK,VOICE`; 4.0: lowercase, `pref` -> `PREF=1`), base64 PHOTO/
LOGO/SOUND/KEY become `ENCODING=b;TYPE=JPEG` (3.0) or a `data:image/jpeg;base64,` URI (4.0),
2.1 text is re-escaped per RFC 2426 (3.0: `\\ , ;` and newline) or RFC 6350 (4.0: `;` only inside
compound values), unknown and X- properties keep their params and their value as written
(only decoded, newlines as `\\n`), FN (and N for 3.0) is added when missing, a 4.0 -> 3.0
conversion keeps only the first FN/N and drops ALTID/PID/CLIENTPIDMAP, bare 2.1 tokens that are
not type names (Android's `X-CUSTOM(...)` label) and nested 2.1 AGENT cards are dropped. Output
uses CRLF and folds lines longer than 75 octets without splitting a UTF-8 character.

Editing a 2.1 card (`edit_card`) keeps it 2.1 unless a version is passed (or a new value has a
backslash 2.1 cannot carry, see `_ESC_21`: then it goes 3.0 first): rewritten lines are
written the 2.1 way (bare type params, `\\;` escapes, CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE with
soft line breaks for non-ASCII, multi-line or long values), so Outlook/Android re-imports stay
readable; `prepare_for_upload` converts the whole card when the server needs 3.0/4.0.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import hashlib
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import astuple, dataclass, field
from datetime import UTC, datetime
from difflib import SequenceMatcher
from typing import TypeVar
from urllib.parse import unquote, unquote_to_bytes

__all__ = [
    "HASH_IGNORED",
    "PRODID",
    "VERSIONS",
    "Address",
    "CardError",
    "CardSummary",
    "ContactFields",
    "Sanitized",
    "convert",
    "decode_bytes",
    "derive_uid",
    "display_name",
    "edit_card",
    "ensure_uid",
    "export_text",
    "image_size",
    "new_card",
    "normalize_fields",
    "normalized_hash",
    "photo_problem",
    "prepare_for_upload",
    "read_fields",
    "read_photo",
    "sanitize",
    "set_photo",
    "set_uid",
    "split_cards",
    "summarize",
]

PRODID = "-//Contactbox//Contactbox Sync//DE"
VERSIONS = ("2.1", "3.0", "4.0")

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


class CardError(ValueError):
    """A card that cannot be read; .message is a German user-facing text, .detail is for logs."""

    default_message = "Der Kontakt ist keine lesbare vCard (BEGIN:VCARD … END:VCARD fehlt)."

    def __init__(self, message: str | None = None, detail: str = "") -> None:
        self.message = message or self.default_message
        self.detail = detail
        super().__init__(self.message if not detail else f"{self.message} ({detail})")


@dataclass(frozen=True)
class CardSummary:
    """Cheap list/search columns of one card; built by `summarize` without a full parse."""

    uid: str | None
    version: str
    fn: str
    given: str
    family: str
    org: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]


@dataclass(frozen=True)
class Address:
    """One postal address (the seven ADR components); frozen so it compares and hashes by value."""

    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    po_box: str = ""
    extended: str = ""

    def is_empty(self) -> bool:
        """True if every component is empty; such addresses are not written."""
        return not any(
            (
                self.street,
                self.city,
                self.region,
                self.postal_code,
                self.country,
                self.po_box,
                self.extended,
            )
        )


@dataclass
class ContactFields:
    """What the contact editor and the CLI can set; types are lowercase, comma-separated."""

    prefix: str = ""
    given: str = ""
    additional: str = ""
    family: str = ""
    suffix: str = ""
    fn: str = ""  # if empty, built from the name parts (or org, first email, first phone)
    org: str = ""  # ORG components joined by ";" ("Firma GmbH;Vertrieb")
    title: str = ""
    emails: list[tuple[str, str]] = field(default_factory=list)
    phones: list[tuple[str, str]] = field(default_factory=list)
    addresses: list[tuple[str, Address]] = field(default_factory=list)
    birthday: str = ""  # "YYYY-MM-DD" or "--MM-DD"
    note: str = ""
    categories: list[str] = field(default_factory=list)
    url: str = ""


# ---------------------------------------------------------------------------------------------
# Low-level text helpers
# ---------------------------------------------------------------------------------------------

_BEGIN = "BEGIN:VCARD"
_END = "END:VCARD"
_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})
_TOKEN_RE = re.compile(r"[A-Za-z0-9-]+\Z")
_KNOWN_PARAMS = frozenset(
    {
        "TYPE",
        "VALUE",
        "ENCODING",
        "CHARSET",
        "LANGUAGE",
        "PREF",
        "ALTID",
        "PID",
        "MEDIATYPE",
        "CALSCALE",
        "SORT-AS",
        "GEO",
        "TZ",
        "LABEL",
        "CONTEXT",
    }
)
_CTRL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ESC_RE = re.compile(r"\\(.)", re.S)
_ESC = {"n": "\n", "N": "\n", "\\": "\\", ",": ",", ";": ";", ":": ":"}
# vCard 2.1 escapes only `;` (its grammar: strnosemi = *(*nonsemi ("\;" / "\" CRLF))) and
# its writers do not escape backslashes: Outlook shows them as written, Android's VCardBuilder
# and Evolution write them raw, ez-vcard stopped escaping them in 2.1 (its issue #67). So a 2.1
# `\\fileserver\bau` is a UNC path: `\\` stays two backslashes (read as one pair, so the
# second one escapes nothing). `\;`, `\,` and `\:` are read as the character (Android's reader
# does; a literal backslash before them is implausible), and `\n` as a line break, but only
# outside QUOTED-PRINTABLE: Yahoo! and Android write `\n` in plain 2.1 values, while QP values
# carry line breaks as =0D=0A and no writer escapes inside them (so `C:\neu` survives there).
_ESC_21 = {"\\": "\\\\", ",": ",", ";": ";", ":": ":", "n": "\n", "N": "\n"}
_ESC_21_QP = {"\\": "\\\\", ",": ",", ";": ";", ":": ":"}

_TEXT_SEPARATORS = {";": ";", ",": ","}  # see _canon_prop: escaped or not, the same text

_COMPOUND = frozenset({"N", "ADR", "ORG"})
_LISTS = frozenset({"CATEGORIES", "NICKNAME"})
_TEXTS = frozenset(
    {
        "FN",
        "NOTE",
        "TITLE",
        "ROLE",
        "LABEL",
        "EMAIL",
        "TEL",
        "MAILER",
        "SORT-STRING",
        "CLASS",
        "UID",
    }
)
_URIS = frozenset({"URL", "SOURCE", "IMPP", "FBURL", "CALURI", "CALADRURI", "MEMBER", "RELATED"})
_DATES = frozenset({"BDAY", "ANNIVERSARY", "DEATHDATE", "X-ANNIVERSARY"})
_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_ALIASES = {"X-ADDRESSBOOKSERVER-KIND": "KIND", "X-ADDRESSBOOKSERVER-MEMBER": "MEMBER"}
_NOISE = {
    "EMAIL": frozenset({"pref", "internet"}),
    "TEL": frozenset({"pref", "voice"}),
    "ADR": frozenset({"pref", "postal", "parcel", "dom", "intl"}),
}
_DEFAULT_TYPES = {"EMAIL": {"internet"}, "TEL": {"voice"}}  # RFC 2426 defaults
_MEDIA = {
    "JPEG": "image/jpeg",
    "JPG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
    "WEBP": "image/webp",
    "HEIC": "image/heic",
}

Params = list[tuple[str | None, str]]


def _physical_lines(text: str) -> list[str]:
    """Split text into lines that keep their terminators; edits must reproduce untouched bytes."""
    sep = "\n" if "\n" in text else "\r"
    parts = text.split(sep)
    lines = [p + sep for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _content(line: str) -> str:
    """A physical line without its terminator; CR, LF and CRLF files all parse the same."""
    return line.rstrip("\r\n")


def _marker(line: str) -> str:
    """Upper-cased BEGIN/END candidate of a physical line; folded lines are never markers."""
    c = _content(line)
    if c[:1] in (" ", "\t"):
        return ""
    return c.lstrip("\ufeff").rstrip().upper()


def _find_colon(s: str) -> int:
    """Index of the colon that ends name and params; params may quote colons (4.0 GEO=...)."""
    i = s.find(":")
    if i < 0 or s.find('"', 0, i) < 0:
        return i
    inq = False
    for k, ch in enumerate(s):
        if ch == '"':
            inq = not inq
        elif ch == ":" and not inq:
            return k
    return i


def _split_unquoted(s: str, sep: str) -> list[str]:
    """Split on sep outside double quotes; quoted param values may contain ; and ,."""
    if '"' not in s:
        return s.split(sep)
    out: list[str] = []
    cur: list[str] = []
    inq = False
    for ch in s:
        if ch == '"':
            inq = not inq
            cur.append(ch)
        elif ch == sep and not inq:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def _parse_params(paramstr: str) -> Params:
    """Params as (NAME, or None for a bare 2.1 token; raw value); order and spelling kept."""
    if not paramstr:
        return []
    out: Params = []
    for piece in _split_unquoted(paramstr, ";"):
        eq = piece.find("=")
        q = piece.find('"')
        if eq < 0 or 0 <= q < eq:
            if piece.strip():
                out.append((None, piece.strip()))
        else:
            out.append((piece[:eq].strip().upper(), piece[eq + 1 :].strip()))
    return out


def _unquote(v: str) -> str:
    """A param value without surrounding double quotes."""
    v = v.strip()
    if len(v) >= 2 and v[0] == '"' and v[-1] == '"':
        return v[1:-1]
    return v


def _is_charset_token(tok: str) -> bool:
    """True for bare 2.1 tokens that name a charset rather than a type."""
    u = tok.upper()
    return u.startswith(("UTF-", "ISO-8859", "WINDOWS-", "CP", "US-ASCII", "SHIFT_JIS"))


def _type_tokens(params: Params) -> list[str]:
    """TYPE values and bare 2.1 type tokens in their original spelling; 2.1 and 3.0 mix both."""
    out: list[str] = []
    for n, v in params:
        if n == "TYPE":
            for t in v.split(","):
                t = t.strip().strip('"').strip()
                if t:
                    out.append(t)
        elif n is None:
            if v.upper() not in _ENCODINGS and not _is_charset_token(v) and _TOKEN_RE.match(v):
                out.append(v)
        elif v == "" and n not in _KNOWN_PARAMS and _TOKEN_RE.match(n):
            out.append(n)  # SabreDAV's broken 2.1 import writes `TEL;CELL=:...`
    return out


def _is_type_param(n: str | None, v: str) -> bool:
    """True for the params `_type_tokens` reads; rewriting a type replaces exactly these."""
    if n == "TYPE":
        return True
    if n is None:
        return v.upper() not in _ENCODINGS and not _is_charset_token(v) and bool(_TOKEN_RE.match(v))
    return v == "" and n not in _KNOWN_PARAMS and bool(_TOKEN_RE.match(n))


def _encoding(params: Params) -> str:
    """ENCODING of a property ("QUOTED-PRINTABLE", "BASE64", "B", ""); 2.1 bare tokens count."""
    for n, v in params:
        if n == "ENCODING":
            return _unquote(v).upper()
        if n is None and v.upper() in _ENCODINGS:
            return v.upper()
    return ""


def _charset(params: Params) -> str | None:
    """CHARSET param value, if any; only QUOTED-PRINTABLE bytes need it."""
    for n, v in params:
        if n == "CHARSET":
            return _unquote(v)
    return None


def _param(params: Params, name: str) -> str | None:
    """First value of a named param (unquoted), or None."""
    for n, v in params:
        if n == name:
            return _unquote(v)
    return None


def _decode_charset(data: bytes, charset: str | None) -> str:
    """Bytes to text with the declared charset, else UTF-8, else Windows-1252 (Outlook)."""
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _qp_decode(value: str, charset: str | None) -> str:
    """Decode a QUOTED-PRINTABLE value (soft breaks already joined) with its charset."""
    if value.endswith("="):
        value = value[:-1]  # a dangling soft line break; a literal "=" is written =3D
    return _decode_charset(binascii.a2b_qp(value.encode("utf-8", "surrogatepass")), charset)


def _unescape(s: str, v21: bool = False, qp: bool = False) -> str:
    """Undo vCard text escapes; Apple/Google escape ':' too. `v21` reads a 2.1 value (see
    _ESC_21: backslashes are literal), `qp` says it came QUOTED-PRINTABLE-encoded; unknown
    escapes such as `\\'` stay as written."""
    if "\\" not in s:
        return s
    table = (_ESC_21_QP if qp else _ESC_21) if v21 else _ESC
    return _ESC_RE.sub(lambda m: table.get(m.group(1), m.group(0)), s)


def _qp21(p: _Prop, v21: bool) -> bool:
    """True for a QUOTED-PRINTABLE value of a 2.1 card (no `\\n` escapes inside, see _ESC_21)."""
    return v21 and bool(p.params) and _encoding(p.params) == "QUOTED-PRINTABLE"


def _split_escaped(s: str, sep: str) -> list[str]:
    """Split a still-escaped value on unescaped sep; `\\;` and `\\\\;` must be told apart."""
    if "\\" not in s:
        return s.split(sep)
    out: list[str] = []
    start = 0
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == sep:
            out.append(s[start:i])
            start = i + 1
        i += 1
    out.append(s[start:])
    return out


def _clean(s: str) -> str:
    """Unify newlines to LF and drop control characters; vCard cannot carry them."""
    if s.isprintable():
        return s
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    return _CTRL_RE.sub("", s)


def _norm_text(s: str) -> str:
    """The canonical form of one field value: cleaned and stripped."""
    return _clean(s).strip()


def _esc(s: str, version: str, *, semi: bool, comma: bool) -> str:
    """Escape text for a property value; 2.1 keeps backslashes (its writers and readers do not
    escape them, see _ESC_21) and raw newlines (QUOTED-PRINTABLE carries them, see _emit)."""
    if version != "2.1":
        s = s.replace("\\", "\\\\")
    if comma:
        s = s.replace(",", "\\,")
    if semi:
        s = s.replace(";", "\\;")
    if version != "2.1":
        s = s.replace("\n", "\\n")
    return s


def _esc_text(s: str, version: str) -> str:
    """Escape a single text value (RFC 2426 escapes ';', RFC 6350 does not, 2.1 keeps ',')."""
    return _esc(s, version, semi=version != "4.0", comma=version != "2.1")


def _esc_comp(s: str, version: str) -> str:
    """Escape one component of a compound value (N, ADR, ORG)."""
    return _esc(s, version, semi=True, comma=version != "2.1")


def _esc_item(s: str, version: str) -> str:
    """Escape one item of a comma-separated list (CATEGORIES)."""
    return _esc(s, version, semi=version != "4.0", comma=True)


def _norm_version(v: str) -> str:
    """Map a VERSION value to "2.1", "3.0" or "4.0" (3.0 when missing or odd)."""
    v = v.strip()
    if v.startswith("2"):
        return "2.1"
    if v.startswith("4"):
        return "4.0"
    return "3.0"


def _check_version(v: str) -> str:
    """Validate a version argument; a typo must not silently produce a 3.0 card."""
    if v not in VERSIONS:
        raise ValueError(f"unsupported vCard version {v!r}; use one of {VERSIONS}")
    return v


def _timestamp(now: datetime | None) -> str:
    """REV value in UTC basic format, valid in 2.1, 3.0 and 4.0."""
    t = (now or datetime.now(UTC)).astimezone(UTC)
    return t.strftime("%Y%m%dT%H%M%SZ")


# ---------------------------------------------------------------------------------------------
# Line parser that keeps raw text (for edits, hashing, conversion)
# ---------------------------------------------------------------------------------------------


@dataclass
class _Prop:
    """One logical line: its exact raw text (terminators, folds, trailing blank lines) and parts."""

    raw: str
    group: str
    name: str
    params: Params
    value: str  # unfolded, QP soft breaks joined, not decoded


@dataclass
class _Card:
    """A parsed card: text before BEGIN, props (BEGIN first, END last), text after END."""

    head: str
    props: list[_Prop]
    tail: str
    version: str
    eol: str

    def text(self, repl: dict[int, str], after: dict[int, list[str]]) -> str:
        """Rebuild the text with props replaced ("" deletes) and lines inserted after others."""
        out = [self.head]
        for i, p in enumerate(self.props):
            out.append(repl.get(i, p.raw))
            out.extend(after.get(i, ()))
        out.append(self.tail)
        return "".join(out)


class _Builder:
    """Accumulates the physical lines of one logical line; parsed when complete (params fold)."""

    def __init__(self, line: str, content: str) -> None:
        self.raw = [line]
        self.val = [content]
        self._enc: str | None = None

    def encoding(self) -> str:
        """ENCODING of the line, known once its colon has been read; decides QP/base64 handling."""
        if self._enc is None:
            content = "".join(self.val)
            colon = _find_colon(content)
            if colon < 0:
                return ""
            head = content[:colon]
            semi = head.find(";")
            self._enc = _encoding(_parse_params(head[semi + 1 :])) if semi >= 0 else ""
        return self._enc

    def finish(self) -> _Prop:
        """The finished logical line."""
        content = "".join(self.val)
        colon = _find_colon(content)
        head, value = (content, "") if colon < 0 else (content[:colon], content[colon + 1 :])
        semi = head.find(";")
        namepart, paramstr = (head, "") if semi < 0 else (head[:semi], head[semi + 1 :])
        group, _, name = namepart.rpartition(".")
        params = _parse_params(paramstr)
        return _Prop("".join(self.raw), group.strip(), name.strip().upper(), params, value)


def _eol_of(text: str) -> str:
    """The line ending a card uses; inserted lines follow it so the card stays consistent."""
    if "\r\n" in text:
        return "\r\n"
    if "\n" in text:
        return "\n"
    if "\r" in text:
        return "\r"
    return "\r\n"


def _parse_card(text: str) -> _Card:
    """Parse the first card of text, keeping every byte; raises CardError without BEGIN/END."""
    lines = _physical_lines(text)
    n = len(lines)
    i = 0
    while i < n and _marker(lines[i]) != _BEGIN:
        i += 1
    if i == n:
        raise CardError(detail="BEGIN:VCARD fehlt")
    head = "".join(lines[:i])
    props = [_Prop(lines[i], "", "BEGIN", [], "VCARD")]
    cur: _Builder | None = None
    i += 1
    while i < n:
        line = lines[i]
        c = _content(line)
        first = c[:1]
        if (
            cur is not None
            and cur.val[-1].endswith("=")
            and cur.encoding() == "QUOTED-PRINTABLE"
            and _marker(line) != _END
        ):
            # A QUOTED-PRINTABLE soft line break: the next line continues the value verbatim.
            cur.val[-1] = cur.val[-1][:-1]
            cur.val.append(c)
            cur.raw.append(line)
            i += 1
            continue
        if cur is not None and (first == " " or first == "\t"):
            cur.raw.append(line)
            cur.val.append(c[1:])
            i += 1
            continue
        if not c.strip():
            if cur is not None:
                cur.raw.append(line)
            else:
                props[-1].raw += line
            i += 1
            continue
        mk = _marker(line) if c[0] in "BbEe\ufeff" else ""
        if mk == _END:
            if cur is not None:
                _push(props, cur)
            props.append(_Prop(line, "", "END", [], "VCARD"))
            version = "3.0"
            for p in props:
                if p.name == "VERSION":
                    version = _norm_version(p.value)
                    break
            return _Card(head, props, "".join(lines[i + 1 :]), version, _eol_of(text))
        if mk == _BEGIN:  # a nested 2.1 AGENT card: kept opaque inside the current line
            depth = 0
            while i < n:
                mk2 = _marker(lines[i])
                depth += mk2 == _BEGIN
                depth -= mk2 == _END
                if cur is not None:
                    cur.raw.append(lines[i])
                else:
                    props[-1].raw += lines[i]
                i += 1
                if depth == 0:
                    break
            continue
        if cur is not None:
            _push(props, cur)
        cur = _Builder(line, c)
        i += 1
    raise CardError(detail="END:VCARD fehlt")


def _push(props: list[_Prop], b: _Builder) -> None:
    """Append a finished logical line; one without any colon continues the previous value.

    Such stray lines are unindented 2.1 base64 or raw line breaks some exporters write. The
    test is made after unfolding: long params may fold before the colon.
    """
    content = "".join(b.val)
    if ":" in content or len(props) < 2:
        props.append(b.finish())
        return
    prev = props[-1]
    enc = _encoding(prev.params) if prev.params else ""
    sep = "" if enc in ("BASE64", "B") else ("=0A" if enc == "QUOTED-PRINTABLE" else "\\n")
    prev.raw += "".join(b.raw)
    prev.value += sep + content


# ---------------------------------------------------------------------------------------------
# Control characters: a card is text (RFC 6350 §3.3: no control characters but HTAB in a value)
# ---------------------------------------------------------------------------------------------

# Property names of vCard 2.1, 3.0 (RFC 2426) and 4.0 (RFC 6350, 6474, 6715, 8605, 9554).
# After a raw binary value, a line that does not start with one of them (or an X- name) is
# more of the same bytes: a line break inside the data made it look like a line of its own.
_PROPERTY_NAMES = frozenset(
    {"BEGIN", "END", "VERSION", "SOURCE", "NAME", "PROFILE", "KIND", "XML", "FN", "N"}
    | {"NICKNAME", "PHOTO", "BDAY", "ANNIVERSARY", "GENDER", "ADR", "LABEL", "TEL", "EMAIL"}
    | {"MAILER", "IMPP", "LANG", "TZ", "GEO", "TITLE", "ROLE", "LOGO", "AGENT", "ORG"}
    | {"MEMBER", "RELATED", "CATEGORIES", "NOTE", "PRODID", "REV", "SORT-STRING", "SOUND"}
    | {"UID", "CLIENTPIDMAP", "URL", "CLASS", "KEY", "FBURL", "CALADRURI", "CALURI"}
    | {"BIRTHPLACE", "DEATHPLACE", "DEATHDATE", "EXPERTISE", "HOBBY", "INTEREST"}
    | {"ORG-DIRECTORY", "CONTACT-URI", "CREATED", "GRAMGENDER", "LANGUAGE", "PRONOUNS"}
    | {"SOCIALPROFILE", "JSPROP"}
)
# A CR that ends no line (not followed by LF, possibly after more CRs): in a text with LF
# line breaks, it is a control character inside a line. In a CR-only text CRs end lines.
_LONE_CR_RE = re.compile(r"\r(?!\r*\n)")


# The UTF-8 bytes of text: everything but the C0 controls (HTAB, LF and CR allowed) and DEL.
_TEXT_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r" + bytes(range(0x80, 0x100))
_C1_UTF8_RE = re.compile(rb"\xc2[\x80-\x9f]")  # U+0080..U+009F in UTF-8


def _has_controls(s: str, lf: bool) -> bool:
    """True if s holds a control character other than HTAB and the line breaks (the set
    `_CTRL_RE` removes, and a lone CR where LF ends lines). Every fetched card is checked:
    on its UTF-8 bytes this is about twice as fast as the regex on the text."""
    data = s.encode("utf-8", "surrogatepass")
    if data.translate(None, _TEXT_BYTES):
        return True
    if b"\xc2" in data and _C1_UTF8_RE.search(data) is not None:
        return True
    return lf and s.count("\r") != s.count("\r\n") and _LONE_CR_RE.search(s) is not None


def _without_controls(s: str, lf: bool) -> str:
    """s without the control characters `_has_controls` finds; line breaks stay."""
    s = _CTRL_RE.sub("", s)
    return _LONE_CR_RE.sub("", s) if lf else s


def _plausible(p: _Prop) -> bool:
    """True if a logical line starts like a property (a known or X- name, a token group)."""
    if not _TOKEN_RE.match(p.name) or (p.group and not _TOKEN_RE.match(p.group)):
        return False
    return p.name in _PROPERTY_NAMES or p.name.startswith("X-")


@dataclass(frozen=True)
class Sanitized:
    """A card without control characters in its values (`sanitize`), and what was done."""

    text: str
    dropped: tuple[str, ...] = ()  # properties left out: raw binary data instead of base64
    cleaned: tuple[str, ...] = ()  # properties whose control characters were removed

    @property
    def changed(self) -> bool:
        return bool(self.dropped or self.cleaned)

    def message(self) -> str:
        """What was done, in German ("" if nothing)."""
        parts: list[str] = []
        if self.dropped:
            names = list(dict.fromkeys(self.dropped))
            if names == ["PHOTO"]:
                parts.append(
                    "Das Foto (PHOTO) ist nicht lesbar: es enthält die Bilddaten roh statt "
                    "Base64-kodiert (Steuerzeichen im Wert). Es wurde weggelassen."
                )
            elif len(names) == 1:
                parts.append(
                    f"Die Angabe {names[0]} ist nicht lesbar: sie enthält Binärdaten roh statt "
                    "Base64-kodiert (Steuerzeichen im Wert). Sie wurde weggelassen."
                )
            else:
                parts.append(
                    f"Die Angaben {', '.join(names)} sind nicht lesbar: sie enthalten "
                    "Binärdaten roh statt Base64-kodiert (Steuerzeichen im Wert). Sie wurden "
                    "weggelassen."
                )
        if self.cleaned:
            names = list(dict.fromkeys(self.cleaned))
            where = (
                f"im Wert von {names[0]}"
                if len(names) == 1
                else (f"in den Werten von {', '.join(names)}")
            )
            parts.append(f"Steuerzeichen {where} wurden entfernt.")
        if parts:
            parts.append("Die übrigen Angaben wurden übernommen.")
        return " ".join(parts)


def sanitize(text: str) -> Sanitized:
    """The card without control characters in its values (RFC 6350 §3.3: text has none but
    HTAB; CR and LF only end lines).

    A binary property (PHOTO, LOGO, SOUND, KEY, or any base64 value) holding control
    characters carries raw bytes instead of base64 (a phone backup that wrote the JPEG as
    it is): it cannot be decoded, so it is left out, together with the lines its line
    breaks made (lines that do not start like a property). From any other value the
    control characters are removed (what `summarize` and the normalized hash ignore
    anyway). Every other line stays byte for byte; the usual card has no control
    character and is returned as it is, without a parse. Raises CardError for a non-card.
    """
    lf = "\n" in text
    if not _has_controls(text, lf):
        return Sanitized(text)
    card = _parse_card(text)
    repl: dict[int, str] = {}
    dropped: list[str] = []
    cleaned: list[str] = []
    binary_run = False  # inside the lines a raw binary value broke into
    last = len(card.props) - 1
    for i, p in enumerate(card.props):
        bad = _has_controls(p.raw, lf)
        if i in (0, last):  # BEGIN (with blank lines after it) and END: no value
            if bad:
                repl[i] = _without_controls(p.raw, lf)
            continue
        if binary_run and not _plausible(p):
            repl[i] = ""
            continue
        binary_run = False
        if not bad:
            continue
        if p.name in _BINARY or (p.params and _encoding(p.params) in ("BASE64", "B")):
            repl[i] = ""
            dropped.append(p.name)
            binary_run = True
        else:
            repl[i] = _without_controls(p.raw, lf)
            cleaned.append(p.name if _plausible(p) else _without_controls(p.name, lf))
    card.head = _without_controls(card.head, lf)
    card.tail = _without_controls(card.tail, lf)
    return Sanitized(card.text(repl, {}), tuple(dropped), tuple(cleaned))


# Text properties whose value some producers send base64-encoded (`NOTE;ENCODING=b:`, 2.1
# `FN;BASE64:`); X- properties are left alone (Outlook's X-MS-CARDPICTURE is an image).
_B64_TEXT = _TEXTS | _COMPOUND | _LISTS | frozenset({"URL"})


def _b64_text(value: str, charset: str | None) -> str | None:
    """A base64-encoded text value decoded with its charset; None if it is not base64."""
    data = _strict_b64(value)
    return None if data is None else _decode_charset(data, charset)


def _decoded(p: _Prop) -> str:
    """The value with QUOTED-PRINTABLE/CHARSET (or base64 of a text property) undone; still
    escaped."""
    if p.params:
        enc = _encoding(p.params)
        if enc == "QUOTED-PRINTABLE":
            return _qp_decode(p.value, _charset(p.params))
        if enc in ("BASE64", "B") and p.name in _B64_TEXT:
            text = _b64_text(p.value, _charset(p.params))
            if text is not None:
                return text
    return p.value


def _p_text(p: _Prop, v21: bool) -> str:
    """Normalized text of a single-text property."""
    return _norm_text(_unescape(_decoded(p), v21, _qp21(p, v21)))


def _p_comps(p: _Prop, v21: bool) -> list[str]:
    """Normalized components of a compound property (N, ADR, ORG)."""
    qp = _qp21(p, v21)
    return [_norm_text(_unescape(c, v21, qp)) for c in _split_escaped(_decoded(p), ";")]


def _p_items(p: _Prop, v21: bool) -> list[str]:
    """Normalized non-empty items of a list property (CATEGORIES)."""
    qp = _qp21(p, v21)
    items = (_norm_text(_unescape(c, v21, qp)) for c in _split_escaped(_decoded(p), ","))
    return [x for x in items if x]


def _strip_scheme(value: str, scheme: str) -> str:
    """Drop URI scheme prefixes (4.0 `tel:`, `mailto:`) so phones and mails compare as text."""
    while value[: len(scheme)].lower() == scheme:
        value = value[len(scheme) :].strip()
    return value


# ---------------------------------------------------------------------------------------------
# Fast summary
# ---------------------------------------------------------------------------------------------

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
        raise CardError(detail="BEGIN:VCARD fehlt")
    depth = 1
    for mm in _MARKER_RE.finditer(text, m.end()):
        depth += 1 if mm.group(1).upper() == "BEGIN" else -1
        if depth == 0:
            return text[m.end() : mm.start()]
    raise CardError(detail="END:VCARD fehlt")


def _build_name(prefix: str, given: str, additional: str, family: str, suffix: str) -> str:
    """A display name from the N parts, "Dr. Hans Peter Müller jun."."""
    return " ".join(x for x in (prefix, given, additional, family, suffix) if x)


_SUMMARY_PROPS = frozenset({"UID", "FN", "N", "ORG", "EMAIL", "TEL"})
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
    return CardSummary(uid, version, fn, given, family, org_s, tuple(emails), tuple(phones))


def _scan(body: str) -> tuple[str, list[tuple[str, str, bool]]]:
    """Version and (NAME, QP-decoded value, was QP) of the summary properties of an LF body."""
    version = ""
    items: list[tuple[str, str, bool]] = []
    b64: dict[int, str | None] = {}  # items still base64-encoded: index -> charset
    depth = 0
    stray_sep: str | None = None  # how a colon-less line continues the item before, if any
    for line in body.split("\n"):
        k = line.find(":")
        if k < 0:
            if stray_sep is not None and line and not line.isspace() and depth == 0:
                items[-1] = (items[-1][0], items[-1][1] + stray_sep + line, items[-1][2])
            continue
        stray_sep = None
        semi = line.find(";", 0, k)
        name = line[: semi if semi >= 0 else k]
        if "." in name:
            name = name.rpartition(".")[2]
        name = name.strip().upper()
        if name not in _SCAN_NAMES:
            continue
        qp = False
        if semi < 0:
            value = line[k + 1 :]
        else:
            k = _find_colon(line)
            value = line[k + 1 :]
            head = line[semi:k].upper()
            if "QUOTED" in head or "ENCODING" in head or "BASE64" in head:
                params = _parse_params(line[semi + 1 : k])
                enc = _encoding(params)
                if enc == "QUOTED-PRINTABLE":
                    value = _qp_decode(value, _charset(params))
                    stray_sep = "\n"
                    qp = True
                elif enc in ("BASE64", "B") and name in _B64_TEXT:
                    b64[len(items)] = _charset(params)
                    stray_sep = ""  # 2.1 base64 goes on in unindented lines
        if name == "BEGIN" or name == "END":
            if value.strip().upper() == "VCARD":
                depth += 1 if name == "BEGIN" else -1
        elif depth > 0:
            continue
        elif name == "VERSION":
            version = version or _norm_version(value)
        else:
            items.append((name, value, qp))
            stray_sep = "\\n" if stray_sep is None else stray_sep
            continue
        stray_sep = None
    for i, charset in b64.items():
        text = _b64_text(items[i][1], charset)
        if text is not None:
            items[i] = (items[i][0], text, False)
    return version or "3.0", items


def summarize(text: str) -> CardSummary:
    """List/search columns of a card via a line scan; a full vobject parse costs ~10x more.

    Cards with QUOTED-PRINTABLE soft line breaks (2.1 exports) take the exact, slower parser
    because a soft break changes what a line is; all others are unfolded with one regex.
    """
    body = _card_body(text)
    if _has_soft_breaks(body):
        card = _parse_card(text)
        v21 = card.version == "2.1"
        props = (p for p in card.props if p.name in _SUMMARY_PROPS)
        return _summary(card.version, [(p.name, _decoded(p), _qp21(p, v21)) for p in props])
    if "\n\n" in body:
        body = _EMPTY_LINES_RE.sub("\n", body)
    return _summary(*_scan(_UNFOLD_RE.sub("", body)))


# ---------------------------------------------------------------------------------------------
# Normalized hash
# ---------------------------------------------------------------------------------------------

_DATE_RE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(.*)\Z", re.S)
_NOYEAR_RE = re.compile(r"--(\d{2})-?(\d{2})\Z")
_DATA_URI_RE = re.compile(r"data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)\Z", re.I | re.S)


def _media(token: str) -> str:
    """A media type from a 2.1/3.0 TYPE token (JPEG) or a MIME type (image/jpeg)."""
    token = token.strip()
    if "/" in token:
        return token.lower()
    return _MEDIA.get(token.upper(), token.lower())


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
            k = _find_colon(line)
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


# ---------------------------------------------------------------------------------------------
# UIDs and multi-card files
# ---------------------------------------------------------------------------------------------


def derive_uid(href: str) -> str:
    """A stable UID for a server card without one: uuid5 of the href's decoded last segment."""
    segment = unquote(href.rstrip("/").rsplit("/", 1)[-1]) if href else ""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, segment or href))


def _has_uid(card: _Card) -> bool:
    """True if the card has a UID with a non-empty value."""
    v21 = card.version == "2.1"
    return any(p.name == "UID" and _p_text(p, v21) for p in card.props)


def set_uid(text: str, uid: str) -> str:
    """Replace the UID line (or insert one after VERSION); every other line stays as it was."""
    card = _parse_card(text)
    line = _emit(card.version, "", "UID", [], _esc_text(_norm_text(uid), card.version), card.eol)
    repl: dict[int, str] = {}
    after: dict[int, list[str]] = {}
    uids = [i for i, p in enumerate(card.props) if p.name == "UID"]
    if uids:
        repl[uids[0]] = line
        for i in uids[1:]:
            repl[i] = ""
    else:
        anchor = next((i for i, p in enumerate(card.props) if p.name == "VERSION"), 0)
        after[anchor] = [line]
    return card.text(repl, after)


def ensure_uid(text: str, uid: str) -> str:
    """Give a card without UID the UID `uid`; a card that has one is returned unchanged."""
    card = _parse_card(text)
    if _has_uid(card):
        return text
    return set_uid(text, uid)


_AGENT_RE = re.compile(r"(?:[A-Za-z0-9-]+\.)?AGENT(?:;[^:]*)?:[ \t]*\Z", re.I)


def split_cards(text: str) -> list[str]:
    """Split a .vcf with many cards into one text per card, each card's lines kept as they are.

    A BEGIN:VCARD inside a card is a nested card only right after an empty 2.1 `AGENT:` line;
    anywhere else the card before it lost its END (a phone wrote `END:VCARD.`, a file was cut)
    and stays on its own, unterminated (summarize() reports it), so it cannot swallow the
    cards after it.
    """
    cards: list[str] = []
    cur: list[str] = []
    depth = 0
    last = ""  # the last non-blank line read inside the current card
    for line in _physical_lines(text):
        mk = _marker(line)
        if depth == 0:
            if mk == _BEGIN:
                cur = [line]
                depth = 1
                last = ""
            continue
        if mk == _BEGIN and not _AGENT_RE.match(last):
            cards.append("".join(cur))
            cur = [line]
            depth = 1
            last = ""
            continue
        cur.append(line)
        content = _content(line)
        if content.strip():
            last = content
        if mk == _BEGIN:
            depth += 1
        elif mk == _END:
            depth -= 1
            if depth == 0:
                cards.append("".join(cur))
                cur = []
    if depth > 0 and cur:
        cards.append("".join(cur))  # unterminated: summarize() reports it as a CardError
    return cards


_CHARSET_RE = re.compile(rb";\s*CHARSET=\"?([A-Za-z0-9_.:-]+)", re.I)


def decode_bytes(data: bytes) -> str:
    """Decode a .vcf file or HTTP body: UTF-8, else per line its CHARSET, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    out: list[str] = []
    for line in data.split(b"\n"):
        try:
            out.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        m = _CHARSET_RE.search(line.split(b":", 1)[0])
        out.append(_decode_charset(line, m.group(1).decode("ascii") if m else "cp1252"))
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Writing lines
# ---------------------------------------------------------------------------------------------


def _fold(line: str, eol: str, limit: int = 75) -> str:
    """Fold a logical line at `limit` octets with eol + space, never inside a UTF-8 sequence."""
    if len(line) <= limit and (
        line.isascii() or len(line.encode("utf-8", "surrogatepass")) <= limit
    ):
        return line + eol
    if line.isascii():
        parts = [line[:limit]]
        rest = line[limit:]
        parts += [rest[k : k + limit - 1] for k in range(0, len(rest), limit - 1)]
        return (eol + " ").join(parts) + eol
    parts = []
    cur: list[str] = []
    size = 0
    cap = limit
    for ch in line:
        n = 1 if ch < "\x80" else len(ch.encode("utf-8", "surrogatepass"))
        if size + n > cap:
            parts.append("".join(cur))
            cur = [ch]
            size = n
            cap = limit - 1
        else:
            cur.append(ch)
            size += n
    parts.append("".join(cur))
    return (eol + " ").join(parts) + eol


def _head(group: str, name: str, params: Params) -> str:
    """`group.NAME;PARAM=value;BARE` as written before the colon."""
    out = [group + "." if group else "", name]
    for n, v in params:
        out.append(";" + (v if n is None else f"{n}={v}"))
    return "".join(out)


def _qp_lines(prefix: str, value: str, eol: str) -> str:
    """Value as 2.1 QUOTED-PRINTABLE with soft line breaks at 76 characters."""
    data = value.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
    tokens: list[str] = []
    last = len(data) - 1
    for k, b in enumerate(data):
        if 33 <= b <= 126 and b != 61:
            tokens.append(chr(b))
        elif b == 32 and k != last and data[k + 1] != 13:
            tokens.append(" ")
        else:
            tokens.append(f"={b:02X}")
    lines: list[str] = []
    cur = prefix
    for tok in tokens:
        if len(cur) + len(tok) > 75 and cur != prefix:
            lines.append(cur + "=")
            cur = ""
            if tok == " ":
                tok = "=20"  # a leading space would read as line folding
        cur += tok
    lines.append(cur)
    return eol.join(lines) + eol


def _emit(version: str, group: str, name: str, params: Params, value: str, eol: str) -> str:
    """One property as folded text; 2.1 uses QUOTED-PRINTABLE instead of folding and \\n, and
    for a value holding a backslash before n (plain 2.1 reads `\\n` as a line break)."""
    if version == "2.1":
        head = _head(group, name, params)
        if (
            not value.isascii()
            or "\n" in value
            or len(head) + 1 + len(value) > 75
            or ("\\" in value and _unescape(value, True) != _unescape(value, True, True))
        ):
            qp_params = list(params)
            if not value.isascii():
                qp_params.append(("CHARSET", "UTF-8"))
            qp_params.append(("ENCODING", "QUOTED-PRINTABLE"))
            return _qp_lines(_head(group, name, qp_params) + ":", value, eol)
        return head + ":" + value + eol
    return _fold(_head(group, name, params) + ":" + value, eol)


def _type_params(tokens: Sequence[str], version: str) -> Params:
    """Type tokens the way each version writes them: bare (2.1), TYPE=A,B (3.0), TYPE=a,b (4.0)."""
    if not tokens:
        return []
    if version == "2.1":
        return [(None, t.upper()) for t in tokens]
    if version == "4.0":
        return [("TYPE", ",".join(t.lower() for t in tokens))]
    return [("TYPE", ",".join(t.upper() for t in tokens))]


def _tokens(types: str) -> list[str]:
    """The tokens of a normalized type string ("work,fax")."""
    return [t for t in types.split(",") if t]


def _n_value(f: ContactFields, v: str) -> str:
    """N value: family;given;additional;prefix;suffix."""
    parts = (f.family, f.given, f.additional, f.prefix, f.suffix)
    return ";".join(_esc_comp(x, v) for x in parts)


def _adr_value(a: Address, v: str) -> str:
    """ADR value: po box;extended;street;city;region;postal code;country."""
    parts = (a.po_box, a.extended, a.street, a.city, a.region, a.postal_code, a.country)
    return ";".join(_esc_comp(x, v) for x in parts)


def _org_value(org: str, v: str) -> str:
    """ORG value: the ";"-separated components of ContactFields.org, each escaped."""
    return ";".join(_esc_comp(x, v) for x in org.split(";"))


def _cat_value(items: Sequence[str], v: str) -> str:
    """CATEGORIES value: escaped items joined by commas."""
    return ",".join(_esc_item(x, v) for x in items)


_ISO_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_ISO_NOYEAR_RE = re.compile(r"--(\d{2})-(\d{2})\Z")


def _bday_value(b: str, v: str, apple: bool) -> tuple[str, Params]:
    """BDAY value and params: 4.0 basic, 3.0/2.1 extended format; Apple keeps its 1604 trick."""
    m = _ISO_RE.match(b)
    if m:
        y, mo, d = m.groups()
        return (f"{y}{mo}{d}" if v == "4.0" else f"{y}-{mo}-{d}"), []
    m = _ISO_NOYEAR_RE.match(b)
    if m:
        mo, d = m.groups()
        if v == "4.0":
            return f"--{mo}{d}", []
        if apple:
            return f"1604-{mo}-{d}", [("X-APPLE-OMIT-YEAR", "1604")]
        return f"--{mo}-{d}", []
    return " ".join(b.split()), []


# ---------------------------------------------------------------------------------------------
# Fields: normalize, read
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# New cards and edits
# ---------------------------------------------------------------------------------------------


def new_card(
    fields: ContactFields, uid: str, version: str = "3.0", *, now: datetime | None = None
) -> str:
    """A new card (CRLF, folded) with our PRODID and a REV; version "2.1", "3.0" or "4.0".

    2.1 has no escape for a backslash (see _ESC_21): fields it cannot carry exactly (a
    backslash right before `;`, `,` or `:`, or ending a name/address part) give a 3.0 card.
    """
    v = _check_version(version)
    f = normalize_fields(fields)
    if v == "2.1" and not _fits_21(f):
        v = "3.0"
    return _write_card(f, uid, v, now)


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
    ed.drop_orphan_companions()
    if not ed.changed:
        return text
    rev = _emit(v, "", "REV", [], _timestamp(now), eol)
    revs = [i for i, p in enumerate(card.props) if p.name == "REV"]
    if revs:
        ed.put(revs[0], rev, "")
    else:
        ed.insert(ed.end_anchor, rev)
    return card.text(ed.repl, ed.after)


# ---------------------------------------------------------------------------------------------
# Conversion between versions
# ---------------------------------------------------------------------------------------------


def _nl(value: str) -> str:
    """Raw newlines (from QUOTED-PRINTABLE) as the 3.0/4.0 \\n escape."""
    if "\n" in value or "\r" in value:
        return _clean(value).replace("\n", "\\n")
    return value


# Components N and ADR are written with (RFC 6350 requires them; RFC 2426 allows fewer, but
# sabre/vobject's validator, run by SabreDAV 4 / Nextcloud on every PUT, "repairs" a shorter
# value by re-serializing the whole card, which re-escapes unknown properties on the way).
_MIN_COMPONENTS = {"N": 5, "ADR": 7}


def _pad_components(name: str, value: str) -> str:
    """An escaped N/ADR value with empty components added up to its full count."""
    missing = _MIN_COMPONENTS[name] - len(_split_escaped(value, ";"))
    return value + ";" * missing if missing > 0 else value


def _convert_prop(p: _Prop, src: str, dst: str) -> str | None:
    """One property as an unfolded dst-version line, or None to drop it."""
    name = p.name
    if dst == "3.0" and name == "KIND":
        name = "X-ADDRESSBOOKSERVER-KIND"
    elif dst == "3.0" and name == "MEMBER":
        name = "X-ADDRESSBOOKSERVER-MEMBER"
    elif dst == "4.0" and name in _ALIASES:
        name = _ALIASES[name]
    if dst != "4.0" and name == "CLIENTPIDMAP":
        return None
    if name == "AGENT" and not p.value.strip():
        return None  # a nested 2.1 card; 3.0 would need it escaped inline
    params = p.params
    enc = _encoding(params)
    value = p.value
    decoded_qp = enc == "QUOTED-PRINTABLE"  # or base64 text: raw newlines, no encoding left
    if decoded_qp:
        value = _qp_decode(value, _charset(params))
    elif enc in ("BASE64", "B") and name in _B64_TEXT:
        text = _b64_text(value, _charset(params))
        if text is not None:
            value = text
            decoded_qp = True
    types: list[str] = []
    other: Params = []
    value_type: str | None = None
    pref = False
    for n, x in params:
        if n is None:
            if x.upper() in _ENCODINGS or _is_charset_token(x):
                continue
            if _TOKEN_RE.match(x):
                types.append(x)
            continue  # not a type name (Android's X-CUSTOM(...) label): no 3.0/4.0 spelling
        if n in ("ENCODING", "CHARSET"):
            continue
        if n == "TYPE" or _is_type_param(n, x):
            types.extend(_type_tokens([(n, x)]))
        elif n == "VALUE":
            value_type = _unquote(x)
        elif n == "PREF":
            if dst == "4.0":
                other.append((n, x))
            else:
                pref = True
        elif (n in ("ALTID", "PID", "MEDIATYPE") and dst != "4.0") or not _TOKEN_RE.match(n):
            continue  # not in 3.0, or not a param name at all (Android's X-CUSTOM(...) label)
        else:
            other.append((n, x))
    if value_type and value_type.upper() == "URL":
        value_type = "uri"
    if name in _BINARY and enc in ("BASE64", "B"):
        data = "".join(value.split())
        media = types[0] if types else "JPEG"
        if dst == "4.0":
            params_out = other
            value = f"data:{_media(media)};base64,{data}"
        else:
            params_out = [("ENCODING", "b"), ("TYPE", media.upper()), *other]
            value = data
        return _head(p.group, name, params_out) + ":" + value
    if name in _BINARY and dst == "3.0":
        m = _DATA_URI_RE.match(value.strip())
        if m and m.group(3):
            sub = m.group(1).split("/")[-1].upper() or "JPEG"
            params_out = [("ENCODING", "b"), ("TYPE", sub), *other]
            return _head(p.group, name, params_out) + ":" + "".join(m.group(4).split())
    if enc in ("BASE64", "B") and not decoded_qp:
        other.insert(0, ("ENCODING", "b"))  # base64 that is no text (X-MS-CARDPICTURE) stays so
    if pref:
        types.append("pref")
    if dst == "4.0":
        if any(t.lower() == "pref" for t in types):
            types = [t for t in types if t.lower() != "pref"]
            if _param(other, "PREF") is None:
                other.append(("PREF", "1"))
        types = [t.lower() for t in types]
    seen: list[str] = []
    for t in types:
        if t.lower() not in (s.lower() for s in seen):
            seen.append(t)
    if src == "2.1":
        qp = enc == "QUOTED-PRINTABLE"
        if name in _COMPOUND:
            comps = _split_escaped(value, ";")
            value = ";".join(_esc_comp(_clean(_unescape(c, True, qp)), dst) for c in comps)
        elif name in _LISTS:
            items = _split_escaped(value, ",")
            value = ",".join(_esc_item(_clean(_unescape(c, True, qp)).strip(), dst) for c in items)
        elif name in _TEXTS:
            value = _esc_text(_clean(_unescape(value, True, qp)), dst)
        elif name == "GEO":
            lat, _, lon = value.replace(";", ",").partition(",")
            value = f"geo:{lat.strip()},{lon.strip()}" if dst == "4.0" else f"{lat};{lon}"
        else:
            value = _nl(value)
    elif decoded_qp:
        value = _nl(value)
    if name in _MIN_COMPONENTS:
        value = _pad_components(name, value)
    if name == "TEL" and dst == "3.0" and value[:4].lower() == "tel:":
        value = value[4:]
        value_type = None
    if value_type and not (dst == "3.0" and value_type.lower() == "text"):
        other.append(("VALUE", value_type))
    return _head(p.group, name, _type_params(seen, dst) + other) + ":" + value


def convert(text: str, version: str) -> str:
    """The first card of text rebuilt as a 3.0 or 4.0 card (CRLF, folded); see the module doc.

    Writing 2.1 is not offered: no server wants it, and Outlook and Android read 3.0.
    """
    if version not in ("3.0", "4.0"):
        raise ValueError(f"cannot convert to vCard {version!r}; use '3.0' or '4.0'")
    dst = version
    card = _parse_card(text)
    src = card.version
    lines = ["BEGIN:VCARD", f"VERSION:{dst}"]
    has_fn = has_n = False
    for p in card.props[1:-1]:
        if p.name == "VERSION":
            continue
        if dst != "4.0" and ((p.name == "FN" and has_fn) or (p.name == "N" and has_n)):
            continue  # 4.0 ALTID variants: 3.0 allows one FN and one N
        if p.name == "FN":
            has_fn = True
        elif p.name == "N":
            has_n = True
        out = _convert_prop(p, src, dst)
        if out is not None:
            lines.append(out)
    if not has_fn:
        lines.insert(2, "FN:" + _esc_text(_sabre_fn(card.props, src == "2.1"), dst))
    if not has_n and dst == "3.0":
        lines.insert(2, "N:;;;;")
    lines.append("END:VCARD")
    return "".join(_fold(line, "\r\n") for line in lines)


def _legacy_encoded(card: _Card) -> bool:
    """True if a property uses QUOTED-PRINTABLE or a non-UTF-8 CHARSET (invalid in 3.0/4.0)."""
    for p in card.props:
        if not p.params:
            continue
        if _encoding(p.params) == "QUOTED-PRINTABLE":
            return True
        cs = _charset(p.params)
        if cs is not None and cs.upper().replace("-", "") != "UTF8":
            return True
    return False


def _blank_tail(raw: str) -> str:
    """The empty physical lines a logical line's raw text carries after its content."""
    lines = _physical_lines(raw)
    k = len(lines)
    while k > 1 and not _content(lines[k - 1]).strip():
        k -= 1
    return "".join(lines[k:])


def _completed(text: str, card: _Card) -> str:
    """A 3.0/4.0 card with what servers require and would otherwise refuse or repair in.

    FN is required (RFC 2426/6350; Radicale answers 400 without it) and is added from N, else
    ORG, else EMAIL (`_sabre_fn`, the FN the normalized hash assumes, so the local card without
    FN and the uploaded one with it hash alike); N and ADR get all their components. Every other
    line stays as it was; a complete card is returned as the same object.
    """
    repl: dict[int, str] = {}
    after: dict[int, list[str]] = {}
    for i, p in enumerate(card.props):
        if p.name not in _MIN_COMPONENTS or _encoding(p.params) in ("BASE64", "B"):
            continue
        padded = _pad_components(p.name, p.value)
        if padded != p.value:
            line = _fold(_head(p.group, p.name, p.params) + ":" + padded, card.eol)
            repl[i] = line + _blank_tail(p.raw)
    if not any(p.name == "FN" for p in card.props):
        fn = _esc_text(_sabre_fn(card.props, False), card.version)
        anchor = next((i for i, p in enumerate(card.props) if p.name == "VERSION"), 0)
        after[anchor] = [_fold("FN:" + fn, card.eol)]
    if not repl and not after:
        return text
    return card.text(repl, after)


def prepare_for_upload(text: str, accepted_versions: tuple[str, ...]) -> str:
    """The card as a server accepts it: converted if its version or encodings would be refused.

    accepted_versions is the server's supported-address-data (empty = unknown: 3.0 and 4.0 pass,
    2.1 does not). A card in an accepted version without QUOTED-PRINTABLE or non-UTF-8 CHARSET is
    returned unchanged, only completed (`_completed`: FN added when missing, N and ADR with all
    components); a 3.0/4.0 card with them is cleaned in its own version; anything else is
    converted to 3.0, or to 4.0 when the server lists 4.0 but not 3.0. The local card is never
    touched: this is the text that goes to the server.
    """
    card = _parse_card(text)
    v = card.version
    accepted = tuple(a for a in (x.strip() for x in accepted_versions) if a in VERSIONS)
    ok = v in accepted if accepted else v != "2.1"
    if ok and v == "2.1":
        return text  # the server said it takes 2.1 as is
    if ok and not _legacy_encoded(card):
        return _completed(text, card)
    if ok:
        target = v
    elif not accepted or "3.0" in accepted:
        target = "3.0"
    elif "4.0" in accepted:
        target = "4.0"
    else:
        target = "3.0"
    return convert(text, target)


_FOLD_RE = re.compile(r"(?:\r\n|\r|\n)[ \t]")


def _is_utf8_label(value: str) -> bool:
    """True for a CHARSET value naming UTF-8 (utf-8, UTF8, "utf-8")."""
    return _unquote(value).upper().replace("-", "").replace("_", "") == "UTF8"


def _utf8_head(p: _Prop, version: str) -> str:
    """p.raw with its CHARSET saying UTF-8 (2.1) or gone (3.0/4.0); the value is not touched."""
    raw = p.raw
    inq = False
    colon = -1
    for k, ch in enumerate(raw):
        if ch == '"':
            inq = not inq
        elif ch == ":" and not inq:
            colon = k
            break
    head = _FOLD_RE.sub("", raw[:colon])  # a folded head, unfolded
    pieces = _split_unquoted(head, ";")
    out = [pieces[0]]
    labelled = False
    for piece in pieces[1:]:
        key, eq, _ = piece.partition("=")
        label = key.strip().upper() == "CHARSET" if eq else _is_charset_token(piece.strip())
        if not label:
            out.append(piece)
        elif version == "2.1" and not labelled:
            out.append((key if eq else "CHARSET") + "=UTF-8")
            labelled = True
    if version == "2.1" and not labelled:
        out.append("CHARSET=UTF-8")
    return ";".join(out) + raw[colon:]


def export_text(text: str) -> str:
    """The card as it goes into a .vcf file, which the export writes in UTF-8.

    The store keeps a card as the text it was read as: an Outlook 2.1 line
    `N;CHARSET=Windows-1252:Weiß` was decoded from Windows-1252 bytes, and written out as UTF-8
    it would tell every importer that honours CHARSET (Outlook itself) to read "WeiÃŸ". So a
    line whose value is written out as raw 8-bit text gets a true label: CHARSET=UTF-8 in 2.1
    (added where missing too, as 2.1 readers assume ASCII or the system code page without
    one), no CHARSET at all in 3.0/4.0 (their charset is UTF-8 by definition, RFC 6350 3.1).
    QUOTED-PRINTABLE and base64 values keep their label (their bytes are the declared charset's),
    ASCII values and every other line stay byte-identical, and a card with lone-CR line ends
    gets CRLF (the other cards of the file would make its CRs unreadable). Writing the original
    bytes back was the alternative: it would mix encodings in one file, which importers that
    read a file as UTF-8 (Apple Contacts, Google, Thunderbird) cannot read. Applied to its own
    output it changes nothing, so export -> import -> export gives the same bytes.
    """
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\r\n")
    try:
        card = _parse_card(text)
    except CardError:
        return text
    v = card.version
    repl: dict[int, str] = {}
    for i, p in enumerate(card.props):
        if p.value.isascii() or p.name in ("BEGIN", "END"):
            continue
        if _encoding(p.params) in ("QUOTED-PRINTABLE", "BASE64", "B"):
            continue
        labels = [x for n, x in p.params if n == "CHARSET" or (n is None and _is_charset_token(x))]
        if labels and all(_is_utf8_label(x) for x in labels):
            continue
        if labels or v == "2.1":
            repl[i] = _utf8_head(p, v)
    return card.text(repl, {}) if repl else text


# ---------------------------------------------------------------------------------------------
# Photo
# ---------------------------------------------------------------------------------------------

_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF8", "image/gif"),
    (b"BM", "image/bmp"),
)


def _sniff(data: bytes) -> str | None:
    """The media type of image bytes from their magic number, or None."""
    for magic, media in _MAGIC:
        if data.startswith(magic):
            return media
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _strict_b64(data: str) -> bytes | None:
    """Decode base64 (whitespace and missing padding tolerated); None if it is not base64."""
    compact = "".join(data.split())
    if not compact:
        return None
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


# Caps on embedded photos (other producers' cards may carry anything). A photo over a cap
# is not decoded (read_photo: None, photo_problem: why); the card's text is never touched.
# 2 MB decoded: a JPEG of 8-12 megapixels, far more than a contact photo needs (the editor
# scales chosen photos to 512 px); Radicale 3.9 already needs ~3.5 s to store such a card.
MAX_PHOTO_BYTES = 2 * 1024 * 1024  # decoded size; checked on the encoded length first
MAX_PHOTO_PIXELS = 40_000_000  # width x height from the image header (8000 x 5000)


class _PhotoRefused(Exception):
    """An embedded photo over a cap; args[0] is the German reason."""


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the header of a PNG, GIF, JPEG, BMP or WebP; None if unknown.

    Reads only headers (a JPEG's markers up to its SOF), so a decompression bomb - a small
    file declaring 30000 x 30000 pixels - is recognized without decoding a pixel.
    """
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        if data[:4] == b"GIF8" and len(data) >= 10:
            return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
        if data[:2] == b"BM" and len(data) >= 26:
            width = int.from_bytes(data[18:22], "little", signed=True)
            height = int.from_bytes(data[22:26], "little", signed=True)
            return abs(width), abs(height)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            chunk = data[12:16]
            if chunk == b"VP8X" and len(data) >= 30:
                return (
                    int.from_bytes(data[24:27], "little") + 1,
                    int.from_bytes(data[27:30], "little") + 1,
                )
            if chunk == b"VP8 " and len(data) >= 30:
                return (
                    int.from_bytes(data[26:28], "little") & 0x3FFF,
                    int.from_bytes(data[28:30], "little") & 0x3FFF,
                )
            if chunk == b"VP8L" and len(data) >= 25:
                bits = int.from_bytes(data[21:25], "little")
                return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
            return None
        if data[:3] == b"\xff\xd8\xff":
            return _jpeg_size(data)
    except (IndexError, ValueError):
        return None
    return None


_JPEG_SOF = frozenset(
    {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG markers to the first SOF segment (at most 1,000 segments)."""
    i = 2
    for _ in range(1000):
        if i >= len(data) or data[i] != 0xFF:
            return None  # not a marker: not a JPEG we can read
        while i < len(data) and data[i] == 0xFF:
            i += 1  # the marker's 0xFF and fill bytes
        if i + 3 > len(data):
            return None
        marker = data[i]
        i += 1
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            continue  # segments without length
        if marker in (0xD9, 0xDA):
            return None  # end of image / start of scan before any SOF
        length = int.from_bytes(data[i : i + 2], "big")
        if length < 2:
            return None
        if marker in _JPEG_SOF:
            if i + 7 > len(data):
                return None
            return int.from_bytes(data[i + 5 : i + 7], "big"), int.from_bytes(
                data[i + 3 : i + 5], "big"
            )
        i += length
    return None


def _check_photo(data: bytes) -> None:
    """Refuse decoded photo bytes over MAX_PHOTO_PIXELS (a decompression bomb)."""
    size = image_size(data)
    if size is not None and size[0] * size[1] > MAX_PHOTO_PIXELS:
        raise _PhotoRefused(
            f"Das Foto dieses Kontakts ist zu groß zum Anzeigen ({size[0]} × {size[1]} "
            f"Pixel, Grenze {MAX_PHOTO_PIXELS // 1_000_000} Millionen Pixel). Es bleibt "
            "unverändert erhalten."
        )


def _refuse_encoded(encoded_len: int, ratio: float) -> None:
    """Refuse before decoding when the encoded text alone says it is over MAX_PHOTO_BYTES."""
    if encoded_len * ratio > MAX_PHOTO_BYTES:
        size_mb = encoded_len * ratio / (1024 * 1024)
        raise _PhotoRefused(
            f"Das Foto dieses Kontakts ist zu groß zum Anzeigen (etwa {size_mb:.0f} MB, "
            f"Grenze {MAX_PHOTO_BYTES // (1024 * 1024)} MB). Es bleibt unverändert erhalten."
        )


def _photo_of(p: _Prop) -> tuple[bytes, str] | None:
    """The embedded image of a PHOTO property (bytes, media type); None for URIs or bad data.

    Raises _PhotoRefused for a photo over MAX_PHOTO_BYTES (checked on the encoded length,
    before decoding) or MAX_PHOTO_PIXELS (from the image header).
    """
    enc = _encoding(p.params) if p.params else ""
    declared: str | None = None
    if enc in ("BASE64", "B"):
        # whitespace inside the value only makes this estimate larger, never smaller
        _refuse_encoded(len(p.value) - p.value.count(" "), 3 / 4)
        data = _strict_b64(p.value)
        types = _type_tokens(p.params)
        media_param = _param(p.params, "MEDIATYPE")
        if media_param:
            declared = _media(media_param)
        elif types:
            declared = _media(types[0])
    else:
        if p.value[:5].lower() == "data:":
            # base64: 4 characters per 3 bytes; percent-encoding: at least 1 per byte
            _refuse_encoded(len(p.value), 3 / 4 if ";base64," in p.value[:200].lower() else 1)
        m = _DATA_URI_RE.match(_decoded(p).strip())
        if m is None:
            return None  # http:, cid:, file: ... a photo we do not fetch
        data = _strict_b64(m.group(4)) if m.group(3) else unquote_to_bytes(m.group(4))
        declared = m.group(1).strip().lower() or None
    if not data:
        return None
    if len(data) > MAX_PHOTO_BYTES:
        _refuse_encoded(len(data), 1)
    _check_photo(data)
    sniffed = _sniff(data)
    if sniffed:
        return data, sniffed  # the bytes know best; Outlook labels PNGs as JPEG
    if declared and "/" in declared:
        return data, declared
    return data, "image/jpeg"


def read_photo(text: str) -> tuple[bytes, str] | None:
    """The card's embedded photo as (bytes, media type like "image/jpeg"), or None.

    Reads 2.1 `PHOTO;ENCODING=BASE64;TYPE=JPEG:`, 3.0 `PHOTO;ENCODING=b;TYPE=JPEG:` and 4.0
    `PHOTO:data:image/jpeg;base64,...`; a photo given by URL (http...) is not fetched: None.
    The first PHOTO with readable embedded data wins. A photo over the caps (MAX_PHOTO_BYTES,
    MAX_PHOTO_PIXELS) is not decoded and counts as unreadable; `photo_problem` says why.
    Raises CardError for a non-card.
    """
    card = _parse_card(text)
    for p in card.props:
        if p.name == "PHOTO":
            try:
                photo = _photo_of(p)
            except _PhotoRefused:
                continue
            if photo is not None:
                return photo
    return None


def photo_problem(text: str) -> str | None:
    """Why the card's embedded photo is not shown (German), or None when there is nothing to
    say: no photo, a readable one, or a photo given by URL. Raises CardError for a non-card."""
    card = _parse_card(text)
    for p in card.props:
        if p.name == "PHOTO":
            try:
                if _photo_of(p) is not None:
                    return None
            except _PhotoRefused as exc:
                return str(exc.args[0])
    return None


def _type_token_of(mime: str) -> str:
    """The 2.1/3.0 TYPE token of a media type: image/jpeg -> JPEG."""
    mime = mime.strip().lower()
    for token, media in _MEDIA.items():
        if media == mime and token != "JPG":
            return token
    return (mime.rpartition("/")[2] or "JPEG").upper()


def _photo_line(version: str, group: str, data: bytes, mime: str, eol: str) -> str:
    """A PHOTO property the way the card's version writes embedded images."""
    b64 = base64.b64encode(data).decode("ascii")
    if version == "4.0":
        return _fold(_head(group, "PHOTO", []) + ":" + f"data:{_media(mime)};base64,{b64}", eol)
    if version == "2.1":
        params: Params = [("ENCODING", "BASE64"), ("TYPE", _type_token_of(mime))]
        # 2.1 ends base64 with an empty line (Outlook, Android); our parser keeps it with the line.
        return _fold(_head(group, "PHOTO", params) + ":" + b64, eol) + eol
    params = [("ENCODING", "b"), ("TYPE", _type_token_of(mime))]
    return _fold(_head(group, "PHOTO", params) + ":" + b64, eol)


def set_photo(
    text: str, data: bytes | None, mime: str = "image/jpeg", *, now: datetime | None = None
) -> str:
    """Replace (data) or remove (None) the card's PHOTO, written in the card's own version.

    The first PHOTO line is replaced in place (its group kept, its old params such as Apple's
    crop rectangle dropped) and further PHOTO lines are removed; every other line stays
    byte-identical and REV is updated. Setting the photo the card already has, or removing
    from a card without one, returns the text unchanged.
    """
    card = _parse_card(text)
    photos = [i for i, p in enumerate(card.props) if p.name == "PHOTO"]
    if data is None:
        if not photos:
            return text
    elif len(photos) == 1:
        try:
            current = _photo_of(card.props[photos[0]])
        except _PhotoRefused:
            current = None  # an oversized photo is never the one being set
        if current is not None and current[0] == data and current[1] == _media(mime):
            return text
    ed = _Editor(card)
    if data is None:
        for i in photos:
            ed.delete(i)
    else:
        line = _photo_line(
            card.version,
            card.props[photos[0]].group if photos else "",
            data,
            mime,
            card.eol,
        )
        if photos:
            ed.put(photos[0], line, card.props[photos[0]].group)
            for i in photos[1:]:
                ed.delete(i)
        else:
            ed.insert(ed.end_anchor, line)
    ed.drop_orphan_companions()
    if not ed.changed:
        return text
    rev = _emit(card.version, "", "REV", [], _timestamp(now), card.eol)
    revs = [i for i, p in enumerate(card.props) if p.name == "REV"]
    if revs:
        ed.put(revs[0], rev, "")
    else:
        ed.insert(ed.end_anchor, rev)
    return card.text(ed.repl, ed.after)
