"""The line parser that keeps raw text: `_parse_card` turns the first card of a text into
`_Card` (text before BEGIN, one `_Prop` per logical line with its exact raw text, text after
END), so edits, conversion and sanitizing can replace single lines and rebuild every other
byte as it was; it unfolds, joins QUOTED-PRINTABLE soft line breaks, keeps nested 2.1 AGENT
cards opaque and attaches colon-less stray lines to the value before. Also the decoded values
of a prop (`_decoded`, `_p_text`, `_p_comps`, `_p_items`) that reading, hashing and UIDs share."""

from __future__ import annotations

from dataclasses import dataclass

from app.contentline import find_colon

from .model import MISSING_BEGIN, MISSING_END, CardError
from .syntax import (
    _B64_TEXT,
    _BEGIN,
    _END,
    Params,
    _b64_text,
    _charset,
    _content,
    _encoding,
    _marker,
    _norm_text,
    _norm_version,
    _parse_params,
    _physical_lines,
    _qp_decode,
    _split_escaped,
    _unescape,
)


def _qp21(p: _Prop, v21: bool) -> bool:
    """True for a QUOTED-PRINTABLE value of a 2.1 card (no `\\n` escapes inside, see _ESC_21)."""
    return v21 and bool(p.params) and _encoding(p.params) == "QUOTED-PRINTABLE"


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
            colon = find_colon(content)
            if colon < 0:
                return ""
            head = content[:colon]
            semi = head.find(";")
            self._enc = _encoding(_parse_params(head[semi + 1 :])) if semi >= 0 else ""
        return self._enc

    def finish(self) -> _Prop:
        """The finished logical line."""
        content = "".join(self.val)
        colon = find_colon(content)
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
        raise CardError(detail=MISSING_BEGIN)
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
    raise CardError(detail=MISSING_END)


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
