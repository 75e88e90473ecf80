"""The normalized hash of a calendar object: equal when a server changed nothing a user sees.

Two texts hash equal when a server could have produced one from the other without a user
edit. `normalized_hash` ignores line endings, folding, property order, the order of components,
case of property/parameter names, parameter order and quoting, VALUE=DATE-TIME / TEXT / DURATION
(the defaults), the spelling of durations on TRIGGER/DURATION (`-P0DT0H10M0S` vs `-PT10M`:
Radicale and Xandikos rewrite them), the order of RRULE parts (Xandikos reorders them), text
escaping differences (`\\,` vs `,`, `\\N` vs `\\n`), the case of the "mailto:" scheme, trailing
whitespace, the server-added ATTENDEE parameter SCHEDULE-STATUS, CALSCALE:GREGORIAN (the
default), the whole VTIMEZONE components (servers replace or drop them; the TZID on
DTSTART/DTEND still counts), and the bookkeeping properties in `HASH_IGNORED`: DTSTAMP,
LAST-MODIFIED, PRODID, VERSION, METHOD and SEQUENCE. SEQUENCE is ignored on purpose: a real edit
always changes another property as well (that is what the user sees and what the hash catches),
whereas servers and clients change SEQUENCE without a visible edit (scheduling servers such as
SabreDAV/Nextcloud's schedule plugin touch it when they deliver iTIP messages; Outlook bumps it
on re-send). Runs on every calendar object of every calendar run: `summarize_and_hash` reads a
fetched object once for its summary and its hash.
"""

from __future__ import annotations

import hashlib

from app.ical.parse import _Comp, _Doc, _doc, _Line, _parse_prop, _unescape
from app.ical.summary import EventSummary, _summarize_doc
from app.ical.times import _parse_duration

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
_TIME_PROPS = frozenset({"DTSTART", "DTEND", "RECURRENCE-ID", "DUE", "EXDATE", "RDATE"})


def _canon_line(line: _Line) -> str | None:
    """The canonical form of one property line (None: not hashed).

    Most lines have no parameters (`NAME:value`): those skip the general parse, and the
    bookkeeping properties are dropped by the name the line split already found."""
    name = line.name
    if not name or name in HASH_IGNORED:
        return None
    content = line.content
    n = len(name)
    if content[n : n + 1] == ":":  # no parameters: the name is the head
        return _canon_value(name, "", content[n + 1 :])
    return _canon_prop(content)


def _canon_prop(content: str) -> str | None:
    prop = _parse_prop(content)
    if prop.name in HASH_IGNORED or not prop.name:
        return None
    params: list[str] = []
    for k, v in prop.params:
        if k in _IGNORED_PARAMS or (k == "VALUE" and v.upper() in _DEFAULT_VALUES):
            continue
        params.append(f"{k}={v.upper() if k in _ENUM_PARAMS else v}")
    params.sort()
    return _canon_value(prop.name, ";".join(params), prop.value)


def _canon_value(name: str, params: str, value: str) -> str | None:
    """`NAME;PARAMS:value` with the value normalized as the property's kind wants."""
    value = value.rstrip()
    if name == "CALSCALE" and value.upper() == "GREGORIAN":
        return None
    if name in _TEXT_PROPS or name.startswith("X-"):
        value = _unescape(value)
    elif name in _CAL_ADDRESS and value[:7].lower() == "mailto:":
        value = "mailto:" + value[7:]
    elif name in _TIME_PROPS:
        value = value.upper()
    elif name in _DURATION_PROPS and (delta := _parse_duration(value)) is not None:
        value = f"{int(delta.total_seconds())}s"  # -P0DT0H10M0S == -PT10M
    elif name in _RECUR_PROPS:
        value = ";".join(sorted(part.replace(" ", "") for part in value.upper().split(";")))
    if "\\" in value or "\n" in value:
        value = value.replace("\\", "\\\\").replace("\n", "\\n")
    return f"{name};{params}:{value}"


def _canon_comp(doc: _Doc, comp: _Comp) -> str:
    props = sorted(
        c for c in (_canon_line(doc.lines[i]) for i in comp.props) if c is not None
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
    return _hash_doc(_doc(text))


def _hash_doc(doc: _Doc) -> str:
    canon = "".join(sorted(_canon_comp(doc, c) for c in doc.roots))
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def summarize_and_hash(text: str) -> tuple[EventSummary, str]:
    """`summarize` and `normalized_hash` of one text, parsed once (a fetched event).

    Raises what `summarize` raises (NotAnEvent, ICalError) before hashing, like the two
    calls one after the other."""
    doc = _doc(text)
    return _summarize_doc(doc), _hash_doc(doc)
