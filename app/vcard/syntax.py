"""The lexical layer every other module stands on: splitting text into physical lines,
finding the colon and parsing params (bare 2.1 tokens included), reading TYPE tokens,
ENCODING and CHARSET, decoding QUOTED-PRINTABLE, base64 text and charsets, undoing and
writing text escapes per version (2.1's literal backslashes, see `_ESC_21`), the property
name sets (text, compound, list, URI, date, binary), media types and date patterns, and the
version and REV helpers. Pure functions on strings, no card structure."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime

from app.contentline import split_unquoted

from .model import VERSIONS

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


def _parse_params(paramstr: str) -> Params:
    """Params as (NAME, or None for a bare 2.1 token; raw value); order and spelling kept."""
    if not paramstr:
        return []
    out: Params = []
    for piece in split_unquoted(paramstr, ";"):
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


# Text properties whose value some producers send base64-encoded (`NOTE;ENCODING=b:`, 2.1
# `FN;BASE64:`); X- properties are left alone (Outlook's X-MS-CARDPICTURE is an image).
_B64_TEXT = _TEXTS | _COMPOUND | _LISTS | frozenset({"URL"})


def _b64_text(value: str, charset: str | None) -> str | None:
    """A base64-encoded text value decoded with its charset; None if it is not base64."""
    data = _strict_b64(value)
    return None if data is None else _decode_charset(data, charset)


def _strip_scheme(value: str, scheme: str) -> str:
    """Drop URI scheme prefixes (4.0 `tel:`, `mailto:`) so phones and mails compare as text."""
    while value[: len(scheme)].lower() == scheme:
        value = value[len(scheme) :].strip()
    return value


_DATE_RE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(.*)\Z", re.S)


_NOYEAR_RE = re.compile(r"--(\d{2})-?(\d{2})\Z")


_DATA_URI_RE = re.compile(r"data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)\Z", re.I | re.S)


def _media(token: str) -> str:
    """A media type from a 2.1/3.0 TYPE token (JPEG) or a MIME type (image/jpeg)."""
    token = token.strip()
    if "/" in token:
        return token.lower()
    return _MEDIA.get(token.upper(), token.lower())


def _strict_b64(data: str) -> bytes | None:
    """Decode base64 (whitespace and missing padding tolerated); None if it is not base64."""
    compact = "".join(data.split())
    if not compact:
        return None
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
