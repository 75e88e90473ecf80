"""iCalendar text <-> appointment fields: components, fast summary, normalized hash, lossless edits.

Same approach as `app.vcard`: calendar object resources are handled line by line. A resource we
did not change is returned exactly as received; an edit rewrites only the lines of the master
VEVENT's properties whose value changed. VTIMEZONE, VALARM, ATTENDEE, X- and unknown properties,
the exceptions of a recurring series (components with RECURRENCE-ID) and the original folding and
line endings of untouched lines stay byte-identical. vobject/icalendar would re-serialize the
whole object (re-folding, re-quoting, re-ordering) and are too slow for thousands of events.

Times. `summarize` returns timed events as naive UTC `datetime`s, like the store. A TZID is
resolved in this order: an IANA name (also inside Mozilla/Citadel-style prefixes such as
"/mozilla.org/20050126_1/Europe/Berlin"), a Windows name ("W. Europe Standard Time", Outlook
and Exchange) via icalendar's table, the VTIMEZONE's X-LIC-LOCATION, and last the VTIMEZONE's own
rules (dateutil's tzical); resolutions are cached. Floating times (no Z, no TZID) and TZIDs that
cannot be resolved are taken as the computer's local time. All-day events (VALUE=DATE) come back
as `date`s with the store's convention: `end` is the *last day, inclusive* (iCalendar's DTEND is
exclusive, so DTEND - 1 day). `edit_event` and `new_event` take the same conventions. An event
with DTEND but no DTSTART (Thunderbird writes them) is a point in time at its DTEND.

Normalized hash (`normalized_hash`): two texts hash equal when a server could have produced one
from the other without a user edit. It ignores line endings, folding, property order, the order
of components, case of property/parameter names, parameter order and quoting, VALUE=DATE-TIME /
TEXT / DURATION (the defaults), the spelling of durations on TRIGGER/DURATION (`-P0DT0H10M0S` vs
`-PT10M`: Radicale and Xandikos rewrite them), the order of RRULE parts (Xandikos reorders them),
text escaping differences (`\\,` vs `,`, `\\N` vs `\\n`), the case of
the "mailto:" scheme, trailing whitespace, the server-added ATTENDEE parameter SCHEDULE-STATUS,
CALSCALE:GREGORIAN (the default), the whole VTIMEZONE components (servers replace or drop them;
the TZID on DTSTART/DTEND still counts), and the bookkeeping properties in `HASH_IGNORED`:
DTSTAMP, LAST-MODIFIED, PRODID, VERSION, METHOD and SEQUENCE.

SEQUENCE is ignored on purpose: a real edit always changes another property as well (that is
what the user sees and what the hash catches), whereas servers and clients change SEQUENCE
without a visible edit (scheduling servers such as SabreDAV/Nextcloud's schedule plugin touch it
when they deliver iTIP messages; Outlook bumps it on re-send). `edit_event` still increments an
existing SEQUENCE when the time changes, as RFC 5545 asks.

New events (`new_event`) are written without VTIMEZONE: timed events in UTC ("...Z"), all-day
events as DATE values. Contactbox creates single events only, so UTC loses nothing (there is no
RRULE whose local wall-clock time would drift across DST changes); clients show them in their own
time zone. Edits of an existing event keep its TZID and write the new time in that zone; floating
times stay floating (the computer's local wall-clock time), so a floating series does not drift.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import TypeVar
from zoneinfo import ZoneInfo

__all__ = [
    "HASH_IGNORED",
    "PRODID",
    "Component",
    "EventSummary",
    "ICalError",
    "NotAnEvent",
    "components",
    "edit_event",
    "new_event",
    "normalized_hash",
    "split_objects",
    "summarize",
]

PRODID = "-//Contactbox//Contactbox Sync//DE"

_T = TypeVar("_T", datetime, date)

# Properties that change without a user edit (see the module docstring).
HASH_IGNORED = frozenset({"DTSTAMP", "LAST-MODIFIED", "PRODID", "VERSION", "METHOD", "SEQUENCE"})
_IGNORED_PARAMS = frozenset({"SCHEDULE-STATUS"})
_DEFAULT_VALUES = frozenset({"DATE-TIME", "TEXT", "DURATION"})
_DURATION_PROPS = frozenset({"DURATION", "TRIGGER", "REFRESH-INTERVAL"})
_RECUR_PROPS = frozenset({"RRULE", "EXRULE"})
_ENUM_PARAMS = frozenset(
    {"CUTYPE", "ROLE", "PARTSTAT", "RSVP", "VALUE", "RELATED", "FBTYPE", "RANGE", "RELTYPE",
     "ENCODING", "SCHEDULE-AGENT", "SCHEDULE-FORCE-SEND"}
)  # fmt: skip
_TEXT_PROPS = frozenset(
    {"SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "CONTACT", "RESOURCES", "CATEGORIES"}
)
_CAL_ADDRESS = frozenset({"ATTENDEE", "ORGANIZER"})


class ICalError(ValueError):
    """The text is not a usable iCalendar object."""


class NotAnEvent(ICalError):
    """The calendar object holds no VEVENT (e.g. a VTODO or VJOURNAL)."""


# ---------------------------------------------------------------------------
# Lines and components


@dataclass
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
    for m in _PHYSICAL_RE.finditer(text):
        piece = m.group(0)
        body = piece.rstrip("\r\n")
        if body[:1] in (" ", "\t") and lines and lines[-1].name:
            last = lines[-1]
            last.raw += piece
            last.content += body[1:]
            continue
        nm = _NAME_RE.match(body)
        name = nm.group(0).upper() if nm and body.strip() else ""
        lines.append(_Line(raw=piece, content=body, name=name))
    return lines


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
                raise ICalError(f"zu tief verschachtelt (mehr als {MAX_NESTING} Ebenen)")
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


def _find_colon(s: str) -> int:
    """Index of the colon separating name;params from the value (quotes respected)."""
    first = s.find(":")
    if first < 0 or '"' not in s[:first]:
        return first
    quoted = False
    for i, ch in enumerate(s):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return i
    return -1


def _split_unquoted(s: str, sep: str) -> list[str]:
    if '"' not in s:
        return s.split(sep)
    out: list[str] = []
    quoted = False
    start = 0
    for i, ch in enumerate(s):
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            out.append(s[start:i])
            start = i + 1
    out.append(s[start:])
    return out


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
    colon = _find_colon(content)
    head, value = (content, "") if colon < 0 else (content[:colon], content[colon + 1 :])
    parts = _split_unquoted(head, ";")
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


# ---------------------------------------------------------------------------
# Components of a resource


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


# ---------------------------------------------------------------------------
# Time values


_DT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?\Z")
_DUR_RE = re.compile(
    r"([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?\Z", re.I
)


def _windows_zones() -> dict[str, str]:
    try:
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
    except ImportError:  # pragma: no cover - icalendar comes with python-caldav
        return {}
    return dict(WINDOWS_TO_OLSON)


@lru_cache(maxsize=1)
def _windows_table() -> dict[str, str]:
    return _windows_zones()


def _zoneinfo(name: str) -> tzinfo | None:
    name = name.strip().strip('"')
    if not name or ".." in name or name.startswith("/") or " " in name:
        return None
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        return None


@lru_cache(maxsize=512)
def _resolve_zone(tzid: str, vtimezone: str) -> tzinfo | None:
    """tzinfo for a TZID (see the module docstring for the order); None if unknown."""
    name = tzid.strip().strip('"')
    if name.upper() in ("UTC", "GMT", "Z", "ETC/UTC"):
        return UTC
    zone = _zoneinfo(name)
    if zone is not None:
        return zone
    segments = [s for s in name.split("/") if s]
    for n in (3, 2, 1):  # "/mozilla.org/20050126_1/America/Argentina/Buenos_Aires"
        if len(segments) > n:
            zone = _zoneinfo("/".join(segments[-n:]))
            if zone is not None:
                return zone
    mapped = _windows_table().get(name)
    if mapped:
        zone = _zoneinfo(mapped)
        if zone is not None:
            return zone
    if vtimezone:
        m = re.search(r"^X-LIC-LOCATION:(.+?)\s*$", vtimezone, re.M | re.I)
        if m:
            zone = _zoneinfo(m.group(1))
            if zone is not None:
                return zone
        return _zone_from_rules(vtimezone)
    return None


def _zone_from_rules(vtimezone: str) -> tzinfo | None:
    """tzinfo from the VTIMEZONE's STANDARD/DAYLIGHT rules (dateutil), None if unreadable."""
    from dateutil import tz as dateutil_tz  # type: ignore[import-untyped]

    text = vtimezone.replace("\r\n", "\n").replace("\r", "\n")
    # dateutil wants a bare VTIMEZONE; quoted TZIDs and X- props are fine.
    try:
        parsed = dateutil_tz.tzical(_StringIO(text))
        keys = parsed.keys()
        return parsed.get(keys[0]) if keys else None
    except Exception:  # dateutil raises ValueError/KeyError/AttributeError on odd input
        return None


class _StringIO:
    """Minimal file object for dateutil's tzical (it wants .read() and a name)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self.name = "<vtimezone>"

    def read(self) -> str:
        return self._text


def _parse_time(
    value: str, prop: _Prop, zones: dict[str, str]
) -> tuple[datetime | date | None, bool]:
    """(value, is_date): naive UTC datetime, or a date for VALUE=DATE; (None, False) if bad."""
    m = _DT_RE.match(value.strip())
    if not m:
        return None, False
    y, mo, d, hh, mm, ss, z = m.groups()
    try:
        if hh is None:
            return date(int(y), int(mo), int(d)), True
        local = datetime(int(y), int(mo), int(d), int(hh), int(mm), int(ss or 0))
    except ValueError:
        return None, False
    if z:
        return local, False
    tzid = prop.param("TZID")
    zone = _resolve_zone(tzid, zones.get(tzid, "")) if tzid else None
    try:
        if zone is None:
            # Floating or unknown zone: the computer's local time.
            return local.astimezone(UTC).replace(tzinfo=None), False
        return local.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None), False
    except (OverflowError, ValueError, OSError):
        return None, False  # at the very ends of the calendar (year 1 / 9999)


def _shifted(value: _T, delta: timedelta) -> _T | None:
    """value + delta, or None beyond the calendar's ends (year 1 / 9999)."""
    try:
        return value + delta
    except OverflowError:
        return None


def _parse_duration(value: str) -> timedelta | None:
    """A DURATION value; None if unreadable or beyond what a timedelta holds."""
    m = _DUR_RE.match(value.strip())
    if not m or value.strip().upper() in ("P", "PT", "-P", "+P"):
        return None
    sign, w, d, h, mi, s = m.groups()
    if any(part is not None and len(part) > 12 for part in (w, d, h, mi, s)):
        return None  # thousands of digits: no real duration (and int() would refuse)
    try:
        delta = timedelta(
            weeks=int(w or 0), days=int(d or 0), hours=int(h or 0), minutes=int(mi or 0),
            seconds=int(s or 0),
        )  # fmt: skip
    except OverflowError:
        return None
    return -delta if sign == "-" else delta


def _format_duration(delta: timedelta) -> str:
    total = int(delta.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    out = f"{sign}P"
    if days:
        out += f"{days}D"
    if rest or not days:
        out += "T"
        if hours:
            out += f"{hours}H"
        if minutes:
            out += f"{minutes}M"
        if seconds or (not hours and not minutes):
            out += f"{seconds}S"
    return out


def _fmt_utc(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


def _fmt_date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _as_datetime(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


# ---------------------------------------------------------------------------
# Summary


@dataclass(frozen=True)
class EventSummary:
    """What lists and the sync need of an event (its master VEVENT).

    Timed: `start`/`end` naive UTC datetimes. All-day: dates, `end` the last day inclusive.
    """

    uid: str
    summary: str
    start: datetime | date | None
    end: datetime | date | None
    all_day: bool
    location: str
    recurring: bool  # RRULE/RDATE on the master, or exceptions (RECURRENCE-ID) present
    tzid: str  # TZID of DTSTART as written ("" for UTC, floating and all-day)
    description: str = ""
    exceptions: int = 0  # number of overridden occurrences (components with RECURRENCE-ID)


def _master(doc: _Doc, kind: str = "VEVENT") -> tuple[_Comp, list[_Comp], dict[str, str]]:
    """(master VEVENT, exceptions, {tzid: VTIMEZONE text}); raises NotAnEvent without one."""
    events: list[_Comp] = []
    zones: dict[str, str] = {}
    for cal in doc.calendars():
        for comp in cal.children:
            if comp.name == kind:
                events.append(comp)
            elif comp.name == "VTIMEZONE":
                tz = doc.prop(comp, "TZID")
                if tz:
                    zones[tz[1].value.strip()] = doc.raw(comp)
    if not events:
        if not doc.calendars():
            raise ICalError("kein VCALENDAR")
        raise NotAnEvent(f"kein {kind}")
    masters = [e for e in events if doc.prop(e, "RECURRENCE-ID") is None]
    master = masters[0] if masters else events[0]
    return master, [e for e in events if e is not master], zones


def _times(
    doc: _Doc, comp: _Comp, zones: dict[str, str]
) -> tuple[datetime | date | None, datetime | date | None, bool, str]:
    """(start, end, all_day, tzid) of a component with the store's conventions."""
    found = doc.prop(comp, "DTSTART")
    if found is None:
        return _end_only(doc, comp, zones)
    sprop = found[1]
    start, all_day = _parse_time(sprop.value, sprop, zones)
    tzid = (sprop.param("TZID") or "") if not all_day else ""
    if start is None:
        return None, None, False, tzid
    end: datetime | date | None = None
    found_end = doc.prop(comp, "DTEND")
    if found_end is not None:
        end, _ = _parse_time(found_end[1].value, found_end[1], zones)
    else:
        found_dur = doc.prop(comp, "DURATION")
        delta = _parse_duration(found_dur[1].value) if found_dur else None
        if delta is not None:
            end = _shifted(start, delta)
    if all_day:
        start_d = _as_date(start)
        end_excl = _as_date(end) if end is not None else _shifted(start_d, timedelta(days=1))
        last = _shifted(end_excl, -timedelta(days=1)) if end_excl is not None else None
        return start_d, max(start_d, last or start_d), True, ""
    if isinstance(end, date) and not isinstance(end, datetime):
        end = _as_datetime(end)
    if end is None or end < start:
        end = start
    return start, end, False, tzid


def _end_only(
    doc: _Doc, comp: _Comp, zones: dict[str, str]
) -> tuple[datetime | date | None, datetime | date | None, bool, str]:
    """Times of an event with DTEND but no DTSTART (Thunderbird writes such events; RFC 5545
    requires DTSTART): a point in time at DTEND, all-day the last day before the exclusive
    DTEND. Without either it has no time: (None, None, False, "")."""
    found = doc.prop(comp, "DTEND")
    if found is None:
        return None, None, False, ""
    value, is_date = _parse_time(found[1].value, found[1], zones)
    if value is None:
        return None, None, False, ""
    if is_date:
        day = _as_date(value)
        last = _shifted(day, -timedelta(days=1)) or day
        return last, last, True, ""
    return value, value, False, found[1].param("TZID") or ""


def summarize(text: str) -> EventSummary:
    """Summary of the master VEVENT; raises NotAnEvent / ICalError if there is none."""
    doc = _doc(text)
    master, others, zones = _master(doc)

    def text_of(name: str) -> str:
        found = doc.prop(master, name)
        return _unescape(found[1].value).strip() if found else ""

    uid = doc.prop(master, "UID")
    start, end, all_day, tzid = _times(doc, master, zones)
    # Without a master (the server holds only overridden instances, e.g. an invitation to
    # some occurrences of a series) the component summarized is an exception itself.
    exceptions = sum(1 for c in [master, *others] if doc.prop(c, "RECURRENCE-ID") is not None)
    recurring = (
        doc.prop(master, "RRULE") is not None
        or doc.prop(master, "RDATE") is not None
        or exceptions > 0
    )
    return EventSummary(
        uid=uid[1].value.strip() if uid else "",
        summary=text_of("SUMMARY"),
        start=start,
        end=end,
        all_day=all_day,
        location=text_of("LOCATION"),
        recurring=recurring,
        tzid=tzid,
        description=text_of("DESCRIPTION"),
        exceptions=exceptions,
    )


# ---------------------------------------------------------------------------
# Normalized hash


def _canon_prop(content: str) -> str | None:
    prop = _parse_prop(content)
    if prop.name in HASH_IGNORED or not prop.name:
        return None
    value = prop.value.rstrip()
    if prop.name == "CALSCALE" and value.upper() == "GREGORIAN":
        return None
    params: list[str] = []
    for k, v in prop.params:
        if k in _IGNORED_PARAMS or (k == "VALUE" and v.upper() in _DEFAULT_VALUES):
            continue
        params.append(f"{k}={v.upper() if k in _ENUM_PARAMS else v}")
    params.sort()
    if prop.name in _TEXT_PROPS or prop.name.startswith("X-"):
        value = _unescape(value)
    elif prop.name in _CAL_ADDRESS and value[:7].lower() == "mailto:":
        value = "mailto:" + value[7:]
    elif prop.name in ("DTSTART", "DTEND", "RECURRENCE-ID", "DUE", "EXDATE", "RDATE"):
        value = value.upper()
    elif prop.name in _DURATION_PROPS and (delta := _parse_duration(value)) is not None:
        value = f"{int(delta.total_seconds())}s"  # -P0DT0H10M0S == -PT10M
    elif prop.name in _RECUR_PROPS:
        value = ";".join(sorted(part.replace(" ", "") for part in value.upper().split(";")))
    value = value.replace("\\", "\\\\").replace("\n", "\\n")
    return f"{prop.name};{';'.join(params)}:{value}"


def _canon_comp(doc: _Doc, comp: _Comp) -> str:
    props = sorted(
        c for c in (_canon_prop(doc.lines[i].content) for i in comp.props) if c is not None
    )
    kids = sorted(_canon_comp(doc, ch) for ch in comp.children if ch.name != "VTIMEZONE")
    return (
        f"BEGIN:{comp.name}\n"
        + "".join(p + "\n" for p in props)
        + "".join(kids)
        + (f"END:{comp.name}\n")
    )


def normalized_hash(text: str) -> str:
    """SHA-256 (hex) of the normalized resource; equal for server re-serializations."""
    doc = _doc(text)
    canon = "".join(sorted(_canon_comp(doc, c) for c in doc.roots))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------
# Writing


def _now(now: datetime | None) -> datetime:
    value = now or datetime.now(UTC)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


def _check_times(start: datetime | date, end: datetime | date, all_day: bool) -> None:
    if all_day:
        if _as_date(end) < _as_date(start):
            raise ICalError("Ende vor Beginn")
    elif _as_datetime(end) < _as_datetime(start):
        raise ICalError("Ende vor Beginn")


def new_event(
    uid: str | None,
    summary: str,
    start: datetime | date,
    end: datetime | date,
    all_day: bool = False,
    location: str = "",
    description: str = "",
    *,
    now: datetime | None = None,
) -> str:
    """A new single event as a calendar object resource (CRLF, folded, no VTIMEZONE).

    Timed: `start`/`end` naive UTC, written as UTC ("Z"). All-day: dates (or datetimes whose
    date counts), `end` the last day inclusive; written as DATE values with DTEND exclusive.
    """
    _check_times(start, end, all_day)
    stamp = _fmt_utc(_now(now))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{uid or str(uuid.uuid4())}",
        f"DTSTAMP:{stamp}",
        f"CREATED:{stamp}",
        f"LAST-MODIFIED:{stamp}",
        "SEQUENCE:0",
    ]
    if all_day:
        lines.append(f"DTSTART;VALUE=DATE:{_fmt_date(_as_date(start))}")
        lines.append(f"DTEND;VALUE=DATE:{_fmt_date(_as_date(end) + timedelta(days=1))}")
    else:
        lines.append(f"DTSTART:{_fmt_utc(_as_datetime(start))}")
        lines.append(f"DTEND:{_fmt_utc(_as_datetime(end))}")
    lines.append(f"SUMMARY:{_escape(summary)}")
    if location:
        lines.append(f"LOCATION:{_escape(location)}")
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(_fold(line, "\r\n") for line in lines)


def _keep_params(prop: _Prop, drop: frozenset[str]) -> str:
    """The property's parameter text minus the named parameters, as written."""
    kept = [p for p in _split_unquoted(prop.param_text, ";")[1:]]
    return "".join(";" + p for p in kept if p.partition("=")[0].strip().upper() not in drop)


def _time_line(
    name: str, old: _Prop | None, value: datetime | date, all_day: bool, zones: dict[str, str]
) -> str:
    """DTSTART/DTEND line for a new value, keeping the old line's TZID and other params."""
    drop = frozenset({"VALUE", "TZID"})
    rest = _keep_params(old, drop) if old is not None else ""
    if all_day:
        return f"{name};VALUE=DATE{rest}:{_fmt_date(_as_date(value))}"
    utc_value = _as_datetime(value)
    tzid = old.param("TZID") if old is not None else None
    if tzid and old is not None:
        zone = _resolve_zone(tzid, zones.get(tzid, ""))
        if zone is not None and zone is not UTC:
            local = utc_value.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
            tz_text = next(
                p
                for p in _split_unquoted(old.param_text, ";")[1:]
                if p.partition("=")[0].strip().upper() == "TZID"
            )
            return f"{name};{tz_text}{rest}:{local.strftime('%Y%m%dT%H%M%S')}"
    elif old is not None and _is_floating(old.value):
        # Floating stays floating (read as the computer's local time, written back so): a
        # floating series written in UTC would drift by an hour across DST changes.
        try:
            local = utc_value.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
        except (OverflowError, ValueError, OSError):  # the ends of the calendar: UTC
            return f"{name}{rest}:{_fmt_utc(utc_value)}"
        return f"{name}{rest}:{local.strftime('%Y%m%dT%H%M%S')}"
    return f"{name}{rest}:{_fmt_utc(utc_value)}"


def _line_zone(prop: _Prop | None, value: str, zones: dict[str, str]) -> tzinfo | None:
    """The zone a DATE-TIME is written in: its TZID's (if known), UTC for "Z"; None for
    floating (and an unknown TZID): the computer's local time, as `_parse_time` reads it."""
    if value.strip().upper().endswith("Z"):
        return UTC
    tzid = prop.param("TZID") if prop is not None else None
    return _resolve_zone(tzid, zones.get(tzid, "")) if tzid else None


def _wall(utc: datetime, zone: tzinfo | None) -> datetime:
    """Naive UTC -> the wall-clock time in `zone` (None: local time)."""
    aware = utc.replace(tzinfo=UTC)
    return (aware.astimezone(zone) if zone is not None else aware.astimezone()).replace(
        tzinfo=None
    )


def _unwall(wall: datetime, zone: tzinfo | None) -> datetime:
    """A wall-clock time in `zone` (None: local time) -> naive UTC."""
    aware = wall.replace(tzinfo=zone) if zone is not None else wall.astimezone()
    return aware.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class _Move:
    """How a series moved: by `wall` in the wall clock of its start's zone (`zone`), or for
    all-day series by `days`."""

    zone: tzinfo | None
    wall: timedelta
    days: int

    def value(self, raw: str, prop: _Prop | None, zones: dict[str, str]) -> str:
        """One DATE or DATE-TIME value moved along, written as it was (same zone, form);
        anything unreadable is returned unchanged."""
        text = raw.strip()
        m = _DT_RE.match(text)
        if not m:
            return raw
        if m.group(4) is None:  # a DATE
            try:
                day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                return _fmt_date(day + timedelta(days=self.days))
            except (ValueError, OverflowError):
                return raw
        parsed, _ = _parse_time(text, prop or _Prop("", (), "", text), zones)
        if not isinstance(parsed, datetime):
            return raw
        try:
            moved = _unwall(_wall(parsed, self.zone) + self.wall, self.zone)
            own = _line_zone(prop, text, zones)
            if own is UTC:
                return _fmt_utc(moved)
            return _wall(moved, own).strftime("%Y%m%dT%H%M%S")
        except (ValueError, OverflowError, OSError):
            return raw

    def line(self, prop: _Prop, zones: dict[str, str]) -> str:
        """A property line whose (comma-separated) values all move along."""
        values = ",".join(self.value(v, prop, zones) for v in prop.value.split(","))
        return f"{prop.name}{prop.param_text}:{values}"

    def rrule(self, prop: _Prop, zones: dict[str, str]) -> str:
        """RRULE with its UNTIL moved along (the last occurrence stays in the series)."""
        parts = []
        for part in prop.value.split(";"):
            key, eq, val = part.partition("=")
            if key.strip().upper() == "UNTIL" and eq:
                part = f"{key}={self.value(val, None, zones)}"
            parts.append(part)
        return f"{prop.name}{prop.param_text}:{';'.join(parts)}"


def _move_series(
    doc: _Doc,
    master: _Comp,
    overrides: list[_Comp],
    zones: dict[str, str],
    start_prop: _Prop | None,
    old_start: datetime | date,
    new_start: datetime | date,
    all_day: bool,
    replace: dict[int, str | None],
) -> None:
    """The series' start moved: move what names its occurrences along with it.

    EXDATE and RDATE of the master, the RRULE's UNTIL and every override's RECURRENCE-ID
    name occurrences by their original start; left as they were, a cancelled occurrence
    would come back and a changed one would show twice. An override that was not moved
    itself (DTSTART = RECURRENCE-ID) moves with the series. The shift is in the wall clock
    of DTSTART's zone, so "one hour later" stays one hour later across DST. Single events
    (no RRULE, RDATE or override) have nothing to move.
    """
    recurring = any(doc.prop(master, n) for n in ("RRULE", "RDATE")) or bool(overrides)
    if not recurring:
        return
    if all_day:
        move = _Move(None, timedelta(0), (_as_date(new_start) - _as_date(old_start)).days)
    else:
        zone = _line_zone(start_prop, start_prop.value if start_prop else "", zones)
        old_wall = _wall(_as_datetime(old_start), zone)
        new_wall = _wall(_as_datetime(new_start), zone)
        move = _Move(zone, new_wall - old_wall, (new_wall.date() - old_wall.date()).days)
    for i in master.props:
        name = doc.lines[i].name
        if name in ("EXDATE", "RDATE"):
            prop = _parse_prop(doc.lines[i].content)
            if (prop.param("VALUE") or "").upper() != "PERIOD":
                replace[i] = move.line(prop, zones)
        elif name == "RRULE":
            prop = _parse_prop(doc.lines[i].content)
            if "UNTIL=" in prop.value.upper():
                replace[i] = move.rrule(prop, zones)
    for comp in overrides:
        rid = doc.prop(comp, "RECURRENCE-ID")
        if rid is None:
            continue
        replace[rid[0]] = move.line(rid[1], zones)
        start = doc.prop(comp, "DTSTART")
        if start is None:
            continue
        at, _ = _parse_time(start[1].value, start[1], zones)
        was, _ = _parse_time(rid[1].value, rid[1], zones)
        if at is None or at != was:
            continue  # moved on its own: it stays where it was put
        replace[start[0]] = move.line(start[1], zones)
        end = doc.prop(comp, "DTEND")
        if end is not None:
            replace[end[0]] = move.line(end[1], zones)


def _is_floating(value: str) -> bool:
    """A DATE-TIME value without "Z" (with no TZID on its line: the caller checks)."""
    m = _DT_RE.match(value.strip())
    return m is not None and m.group(4) is not None and m.group(7) is None


def edit_event(
    text: str,
    *,
    summary: str | None = None,
    start: datetime | date | None = None,
    end: datetime | date | None = None,
    all_day: bool | None = None,
    location: str | None = None,
    description: str | None = None,
    now: datetime | None = None,
) -> str:
    """Change fields of the master VEVENT, rewriting only the lines whose value changed.

    None leaves a field as it is; "" removes LOCATION/DESCRIPTION (SUMMARY is kept, empty).
    Times follow the module conventions (naive UTC; all-day dates with `end` inclusive). A
    timed start/end keeps the line's TZID (written in that zone) when the zone is known,
    else it is written in UTC; DURATION stays DURATION. DTSTAMP and LAST-MODIFIED (if
    present) get `now`, SEQUENCE (if present) is incremented when the time changed.
    A moved series takes along what names its occurrences (EXDATE, RDATE, UNTIL, the
    overrides' RECURRENCE-ID, see `_move_series`); otherwise exceptions, VALARMs,
    VTIMEZONEs, ATTENDEEs and unknown properties are left byte-identical; an unchanged
    event returns `text` itself.
    """
    try:
        return _edit_event(
            text, summary=summary, start=start, end=end, all_day=all_day, location=location,
            description=description, now=now,
        )  # fmt: skip
    except OverflowError:
        # a time at the very end of the calendar, shifted by its zone or by a day
        raise ICalError(
            "Zeitpunkt außerhalb des darstellbaren Bereichs (Jahr 1 bis 9999)"
        ) from None


def _edit_event(
    text: str,
    *,
    summary: str | None,
    start: datetime | date | None,
    end: datetime | date | None,
    all_day: bool | None,
    location: str | None,
    description: str | None,
    now: datetime | None,
) -> str:
    doc = _doc(text)
    master, overrides, zones = _master(doc)
    eol = _eol_of(text)
    cur = summarize(text)
    replace: dict[int, str | None] = {}  # line index -> new logical line (None: delete)
    append: list[str] = []

    def set_text(name: str, value: str | None, current: str, *, removable: bool) -> None:
        if value is None or value.strip() == current:
            return
        found = doc.prop(master, name)
        if not value.strip() and removable:
            if found:
                replace[found[0]] = None
            return
        if found:
            params = _keep_params(found[1], frozenset())
            replace[found[0]] = f"{name}{params}:{_escape(value)}"
        else:
            append.append(f"{name}:{_escape(value)}")

    set_text("SUMMARY", summary, cur.summary, removable=False)
    set_text("LOCATION", location, cur.location, removable=True)
    set_text("DESCRIPTION", description, cur.description, removable=True)

    new_all_day = cur.all_day if all_day is None else all_day
    new_start = start if start is not None else cur.start
    new_end = end if end is not None else cur.end
    time_changed = False
    if new_start is not None and new_end is not None:
        if new_all_day:
            new_start, new_end = _as_date(new_start), _as_date(new_end)
        else:
            new_start, new_end = _as_datetime(new_start), _as_datetime(new_end)
        _check_times(new_start, new_end, new_all_day)
        time_changed = new_all_day != cur.all_day or new_start != cur.start or new_end != cur.end
    if time_changed and new_start is not None and new_end is not None:
        s_found = doc.prop(master, "DTSTART")
        e_found = doc.prop(master, "DTEND")
        d_found = doc.prop(master, "DURATION")
        s_old = s_found[1] if s_found else None
        # An event with DTEND only gets a DTSTART in DTEND's zone (TZID or floating).
        s_model = s_old if s_old is not None else (e_found[1] if e_found else None)
        s_line = _time_line("DTSTART", s_model, new_start, new_all_day, zones)
        if s_found:
            replace[s_found[0]] = s_line
        else:
            append.append(s_line)
        if new_all_day:
            excl: datetime | date = _as_date(new_end) + timedelta(days=1)
            length = _as_date(excl) - _as_date(new_start)
        else:
            excl = new_end
            length = _as_datetime(new_end) - _as_datetime(new_start)
        if d_found and not e_found:
            rest = _keep_params(d_found[1], frozenset())
            replace[d_found[0]] = f"DURATION{rest}:{_format_duration(length)}"
        else:
            e_old = e_found[1] if e_found else s_old
            e_line = _time_line("DTEND", e_old, excl, new_all_day, zones)
            if e_found:
                replace[e_found[0]] = e_line
            else:
                append.append(e_line)

    if (
        time_changed
        and new_start is not None
        and cur.start is not None
        and new_all_day == cur.all_day
        and new_start != cur.start
    ):
        s_found = doc.prop(master, "DTSTART")
        _move_series(
            doc, master, overrides, zones, s_found[1] if s_found else None,
            cur.start, new_start, new_all_day, replace,
        )  # fmt: skip

    if not replace and not append:
        return text
    stamp = _fmt_utc(_now(now))
    for name in ("DTSTAMP", "LAST-MODIFIED"):
        found = doc.prop(master, name)
        if found:
            replace[found[0]] = f"{name}{_keep_params(found[1], frozenset())}:{stamp}"
    seq = doc.prop(master, "SEQUENCE")
    if time_changed and seq and seq[1].value.strip().isdigit():
        rest = _keep_params(seq[1], frozenset())
        replace[seq[0]] = f"SEQUENCE{rest}:{int(seq[1].value.strip()) + 1}"

    insert_after = master.props[-1] if master.props else master.begin
    out: list[str] = []
    for i, line in enumerate(doc.lines):
        if i in replace:
            new = replace[i]
            if new is not None:
                out.append(_fold(new, eol))
        else:
            raw = line.raw
            if i == insert_after and append and not raw.endswith(("\n", "\r")):
                raw += eol
            out.append(raw)
        if i == insert_after:
            out.extend(_fold(a, eol) for a in append)
    return "".join(out)
