"""Writing lines: one property as text in a card's version (`_emit`: folded at 75 octets
without splitting a UTF-8 character, or 2.1's QUOTED-PRINTABLE with soft line breaks), type
params the way each version writes them, and the escaped values of N, ADR, ORG, CATEGORIES
and BDAY built from `ContactFields`. New cards, edits, UIDs and photos write through it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import Address, ContactFields
from .syntax import Params, _esc_comp, _esc_item, _unescape


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
