"""The text an appointment would be uploaded as, and its local hash (stored in
`Appointment.hash`, schema v9; see app/store/calsync.py for how the sync uses them).

A leaf of the store: only `app.ical` below it, so the model itself (`Appointment.save`)
can keep the stored hash current (`save_hashed`) without an import cycle.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from app import ical

_NAMESPACE = uuid.UUID("6f1d7c2e-3b7a-4c51-9d0e-5a4c0b1e2f33")


def derived_uid(appointment_id: int, created: datetime | None) -> str:
    """The stable UID an appointment without one is planned (and uploaded) with."""
    stamp = created.isoformat() if created else ""
    return str(uuid.uuid5(_NAMESPACE, f"appointment-{appointment_id}-{stamp}")).upper()


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def local_text(a: Any, current: ical.EventSummary | None = None) -> str:
    """The iCalendar text of an appointment as Contactbox would upload it now (`current`:
    the summary of its stored text, if the caller has it: then an unchanged one is not
    read again)."""
    uid = a.uid or derived_uid(a.id, a.created)
    all_day = bool(a.all_day)
    if not a.ical:
        start = a.start or a.created
        end = a.end or start
        return ical.new_event(
            uid, a.summary, start, end, all_day, a.location or "", a.notes or "", now=a.created
        )
    return ical.edit_event(
        a.ical,
        summary=a.summary,
        start=a.start,
        end=a.end if a.end is not None else a.start,
        all_day=all_day,
        location=a.location or "",
        description=a.notes or "",
        now=_utcnow(),
        current=current,
    )


def local_hash(a: Any) -> str:
    """The appointment's local hash, computed from its fields now (see `stored_hash`)."""
    return ical.normalized_hash(local_text(a))


#: The fields `local_text` is built from: a change of one of them changes the local hash.
HASHED_FIELDS = frozenset(
    {"summary", "start", "end", "all_day", "location", "notes", "ical", "uid", "created"}
)


def fill_hash(
    a: Any, known: tuple[str, str] | None = None, summary: ical.EventSummary | None = None
) -> None:
    """Set `a.hash` from the appointment's fields (not saved): its `local_hash`, or "" if
    its text cannot be built (then computed when read, failing as before).

    `known`: (text, normalized hash) of a text just read or stored as `a.ical`; when the
    local text is that text itself (nothing modelled differs), its hash is taken as is.
    `summary`: that text's summary (a fetched event's): an import reads the text no more.
    """
    try:
        text = local_text(a, summary if known is not None and a.ical == known[0] else None)
    except ValueError:  # ICalError; a time out of range
        a.hash = ""
        return
    a.hash = known[1] if known is not None and text == known[0] else ical.normalized_hash(text)


def save_hashed(a: Any, save: Callable[[bool, Any], Any], force_insert: bool, only: Any) -> Any:
    """`Appointment.save`: the row written with its hash made current (`fill_hash`) when
    it is new or a field of `HASHED_FIELDS` changed, unless the caller set `hash` itself.
    A new appointment without UID is planned under a UID derived from its id: its hash
    follows the insert."""
    changed = {f.name for f in a.dirty_fields}
    new = a.id is None
    given = "hash" in changed and (a.hash or not new)  # a new row's default "" is not given
    if given or not (new or changed & HASHED_FIELDS):
        return save(force_insert, only)
    if new and not a.uid:
        rows = save(force_insert, only)
        fill_hash(a)
        save(False, [a._meta.fields["hash"]])
        return rows
    fill_hash(a)
    return save(force_insert, None if only is None else [*only, a._meta.fields["hash"]])


def stored_hash(a: Any) -> str:
    """The appointment's local hash as stored; computed if not known."""
    return str(a.hash) or local_hash(a)


__all__ = ["HASHED_FIELDS", "derived_uid", "fill_hash", "local_hash", "local_text",
           "save_hashed", "stored_hash"]  # fmt: skip
