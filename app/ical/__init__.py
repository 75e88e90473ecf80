"""iCalendar text <-> appointment fields: components, fast summary, normalized hash, lossless edits.

Same approach as `app.vcard`: calendar object resources are handled line by line. A resource we
did not change is returned exactly as received; an edit rewrites only the lines of the master
VEVENT's properties whose value changed. vobject/icalendar would re-serialize the whole object
(re-folding, re-quoting, re-ordering) and are too slow for thousands of events. The rooms:
`parse` (lines, components, properties, `components`, `split_objects`), `zones` (a TZID
resolved to a tzinfo), `times` (DATE/DATE-TIME and DURATION values with the store's
conventions), `summary` (`summarize`, `is_recurring`), `hashing` (`normalized_hash`),
`series` (a moved series takes its occurrences' names along) and `edit` (`edit_event`,
`new_event`). Callers use the names re-exported here (`from app import ical; ical.summarize(...)`).
"""

from __future__ import annotations

from app.ical.edit import PRODID, edit_event, new_event
from app.ical.hashing import HASH_IGNORED, normalized_hash, summarize_and_hash
from app.ical.parse import (
    MAX_NESTING,
    Component,
    ICalError,
    NotAnEvent,
    components,
    split_objects,
)
from app.ical.summary import EventSummary, is_recurring, summarize

__all__ = [
    "HASH_IGNORED",
    "MAX_NESTING",
    "PRODID",
    "Component",
    "EventSummary",
    "ICalError",
    "NotAnEvent",
    "components",
    "edit_event",
    "is_recurring",
    "new_event",
    "normalized_hash",
    "split_objects",
    "summarize",
    "summarize_and_hash",
]
