"""iCalendar text read line by line: logical lines, components, properties, text values.

The ground every other module of `app.ical` stands on: `_split_lines` unfolds physical lines
into logical ones while keeping each line's exact raw text (line breaks and folding included,
so an untouched line is written back byte-identical), `_parse_tree` nests them into components
(refusing hostile nesting deeper than MAX_NESTING), `_parse_prop` splits a property line into
name, parameters and value (quotes respected), and `_escape`/`_unescape`/`_fold` are RFC 5545's
TEXT escaping and 75-octet folding. The public part: `components` (the components of a
resource, lines as received) and `split_objects` (an .ics file split into one resource per
UID, RFC 4791 4.1), and the errors `ICalError` and `NotAnEvent`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from app.contentline import find_colon, split_unquoted
from app.i18n import _


class ICalError(ValueError):
    """The text is not a usable iCalendar object."""


class NotAnEvent(ICalError):
    """The calendar object holds no VEVENT (e.g. a VTODO or VJOURNAL)."""


@dataclass(slots=True)
class _Line:
    raw: str  # exactly as in the text: its physical lines with their line breaks
    content: str  # the unfolded logical line, without line break
    name: str  # upper-case property name ("" for a blank line)


@dataclass
class _Comp:
    name: str
    begin: int  # index of the BEGIN line
    end: int = -1  # index of the END line (-1: unterminated)
    props: list[int] = field(default_factory=list)  # indices of direct property lines
    children: list[_Comp] = field(default_factory=list)


_PHYSICAL_RE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+\Z")
_NAME_RE = re.compile(r"[A-Za-z0-9-]+")


def _split_lines(text: str) -> list[_Line]:
    """Logical lines: a physical line starting with a space or tab continues the previous."""
    lines: list[_Line] = []
    if text.startswith("\ufeff"):
        text = text[1:]
    append = lines.append
    for piece, body in _physical_lines(text):
        if body[:1] in (" ", "\t") and lines and lines[-1].name:
            last = lines[-1]
            last.raw += piece
            last.content += body[1:]
            continue
        nm = _NAME_RE.match(body)  # a match starts with a letter, digit or "-": not blank
        append(_Line(piece, body, nm.group(0).upper() if nm else ""))
    return lines


def _physical_lines(text: str) -> list[tuple[str, str]]:
    """(the line with its break, the line without) for each physical line.

    A text with one kind of line break throughout (nearly all: CRLF from servers) is split
    with str.split; a mixed one by the regular expression."""
    for eol in ("\r\n", "\n", "\r"):
        n = text.count(eol)
        if n and text.count("\r") + text.count("\n") == n * len(eol):
            parts = text.split(eol)
            last = parts.pop()  # after the last break: "" or a line without one
            out = [(body + eol, body) for body in parts]
            if last:
                out.append((last, last))
            return out
    return [(m.group(0), m.group(0).rstrip("\r\n")) for m in _PHYSICAL_RE.finditer(text)]


def _eol_of(text: str) -> str:
    """The text's line break (CRLF unless the first break says otherwise)."""
    m = re.search(r"\r\n|\n|\r", text)
    return m.group(0) if m else "\r\n"


def _marker_value(line: _Line) -> str:
    """Upper-case component name of a BEGIN/END line."""
    return line.content.partition(":")[2].strip().upper()


# Real objects nest three deep (VCALENDAR > VEVENT > VALARM); far deeper is hostile and
# would exhaust the recursion of the hash (a 10,000-deep object is refused at once).
MAX_NESTING = 32


def _parse_tree(lines: list[_Line]) -> list[_Comp]:
    """Top-level components (normally one VCALENDAR) with their nested children.

    Raises ICalError for components nested deeper than MAX_NESTING.
    """
    roots: list[_Comp] = []
    stack: list[_Comp] = []
    for i, line in enumerate(lines):
        if line.name == "BEGIN" and line.content[5:6] == ":":
            if len(stack) >= MAX_NESTING:
                raise ICalError(
                    _("zu tief verschachtelt (mehr als {n} Ebenen)").format(n=MAX_NESTING)
                )
            comp = _Comp(name=_marker_value(line), begin=i)
            (stack[-1].children if stack else roots).append(comp)
            stack.append(comp)
        elif line.name == "END" and line.content[3:4] == ":":
            name = _marker_value(line)
            # Tolerate a missing END of an inner component: close up to the matching one.
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth].name == name:
                    stack[depth].end = i
                    del stack[depth:]
                    break
        elif stack and line.name:
            stack[-1].props.append(i)
    return roots


@dataclass(frozen=True)
class _Prop:
    name: str
    params: tuple[tuple[str, str], ...]  # (upper-case name, value without quotes)
    param_text: str  # ";A=b;C=d" as written
    value: str

    def param(self, name: str) -> str | None:
        for k, v in self.params:
            if k == name:
                return v
        return None


def _parse_prop(content: str) -> _Prop:
    colon = find_colon(content, strict=True)
    head, value = (content, "") if colon < 0 else (content[:colon], content[colon + 1 :])
    if ";" not in head:  # no parameters (most lines)
        return _Prop(name=head.strip().upper(), params=(), param_text="", value=value)
    parts = split_unquoted(head, ";")
    params: list[tuple[str, str]] = []
    for p in parts[1:]:
        k, _, v = p.partition("=")
        v = v.strip()
        if len(v) >= 2 and v[0] == '"' and v[-1] == '"':
            v = v[1:-1]
        params.append((k.strip().upper(), v))
    return _Prop(
        name=parts[0].strip().upper(),
        params=tuple(params),
        param_text=head[len(parts[0]) :],
        value=value,
    )


_UNESC_RE = re.compile(r"\\(.)", re.S)


def _unescape(value: str) -> str:
    """RFC 5545 TEXT unescaping: \\n \\N -> newline, \\, \\; \\\\ -> the character."""
    if "\\" not in value:
        return value
    return _UNESC_RE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _escape(value: str) -> str:
    """RFC 5545 TEXT escaping for values we write."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def _fold(line: str, eol: str) -> str:
    """Fold a logical line at 75 octets without splitting a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current = " "
            size = 1
            limit = 75
        current += ch
        size += n
    out.append(current)
    return eol.join(out) + eol


@dataclass(frozen=True)
class Component:
    """One component directly inside VCALENDAR, with its lines exactly as received."""

    name: str  # "VEVENT", "VTIMEZONE", "VTODO", ...
    uid: str  # "" for VTIMEZONE and components without UID
    recurrence_id: str | None  # the RECURRENCE-ID value of an exception, else None
    tzid: str  # the TZID of a VTIMEZONE, else ""
    text: str


@dataclass
class _Doc:
    text: str
    lines: list[_Line]
    roots: list[_Comp]

    def calendars(self) -> list[_Comp]:
        return [c for c in self.roots if c.name == "VCALENDAR"]

    def prop(self, comp: _Comp, name: str) -> tuple[int, _Prop] | None:
        for i in comp.props:
            if self.lines[i].name == name:
                return i, _parse_prop(self.lines[i].content)
        return None

    def raw(self, comp: _Comp) -> str:
        end = comp.end if comp.end >= 0 else len(self.lines) - 1
        return "".join(line.raw for line in self.lines[comp.begin : end + 1])


def _doc(text: str) -> _Doc:
    lines = _split_lines(text)
    roots = _parse_tree(lines)
    return _Doc(text=text, lines=lines, roots=roots)


def _components(doc: _Doc) -> Iterator[Component]:
    for cal in doc.calendars():
        for comp in cal.children:
            uid = doc.prop(comp, "UID")
            rid = doc.prop(comp, "RECURRENCE-ID")
            tzid = doc.prop(comp, "TZID") if comp.name == "VTIMEZONE" else None
            yield Component(
                name=comp.name,
                uid=uid[1].value.strip() if uid else "",
                recurrence_id=rid[1].value.strip() if rid else None,
                tzid=tzid[1].value.strip() if tzid else "",
                text=doc.raw(comp),
            )


def components(text: str) -> list[Component]:
    """The components of a calendar object resource (VTIMEZONEs, master, exceptions, ...)."""
    return list(_components(_doc(text)))


def split_objects(text: str) -> list[str]:
    """Split an .ics file into calendar object resources: one per UID (RFC 4791 4.1).

    Each resource gets the VCALENDAR's own properties, the VTIMEZONEs its components refer
    to, and every component with that UID (master and exceptions), lines as received.
    Components without UID are skipped; a VCALENDAR holding a single UID comes back as is.
    """
    doc = _doc(text)
    eol = _eol_of(text)
    out: list[str] = []
    for cal in doc.calendars():
        comps = [c for c in _components(_doc(doc.raw(cal)))]
        uids = list(dict.fromkeys(c.uid for c in comps if c.uid and c.name != "VTIMEZONE"))
        if len(uids) == 1 and all(c.uid == uids[0] or c.name == "VTIMEZONE" for c in comps):
            out.append(doc.raw(cal))
            continue
        zones = {c.tzid: c.text for c in comps if c.name == "VTIMEZONE"}
        head = doc.lines[cal.begin].raw + "".join(doc.lines[i].raw for i in cal.props)
        end_line = doc.lines[cal.end].raw if cal.end >= 0 else "END:VCALENDAR" + eol
        if not end_line.endswith(("\n", "\r")):
            end_line += eol
        for uid in uids:
            members = [c for c in comps if c.uid == uid and c.name != "VTIMEZONE"]
            used = {
                p.param("TZID")
                for m in members
                for line in _split_lines(m.text)
                if "TZID" in line.content.split(":", 1)[0].upper()
                for p in [_parse_prop(line.content)]
            }
            tz_text = "".join(zones[t] for t in zones if t in used)
            out.append(head + tz_text + "".join(m.text for m in members) + end_line)
    return out
