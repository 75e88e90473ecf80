"""The calendar's side of a sync: appointments as the planner sees them, per-item writes.

The calendar counterpart of `app.store.syncstate`. An appointment row and its EventState
row always change together, so a crash leaves an item fully before or fully after its
change; server writes happen before these calls, runs of local-only writes share a
transaction (`syncbase.batch`). The writes that touch only the state (forget, refresh,
token, finish, objects left alone) are shared with address books in `app.store.syncbase`.

The appointment's iCalendar text. `Appointment.ical` is the whole calendar object as last
read from or written to the server (unknown properties, VALARM, ATTENDEE, VTIMEZONE and the
exceptions of a recurring series live there). The text Contactbox would upload now is
`local_text`: that stored text with the modelled fields (summary, start, end, all-day,
location, notes) applied by `ical.edit_event` (an unchanged appointment returns the stored
text itself), or a fresh `ical.new_event` (stamped with the appointment's creation time, so
it is the same text on every run) for an appointment that never was on a server. Its
`ical.normalized_hash` is the appointment's local hash: a local edit of a modelled field
changes it, a server re-serialization does not.

The stored hash. Building and hashing that text parses the event three times (~0.3 ms), so
`Appointment.hash` keeps the local hash as of the last write and the planner reads it
without parsing (`local_items`, `current_hash`, `trashed_version`). `fill_hash`
(app/store/appointment_text.py, with `local_text`: below the models) is the one place
that sets it; `Appointment.save` calls it (`save_hashed`) whenever a field the text is
made of (`HASHED_FIELDS`) changed and the caller did not set the hash itself, so every write
through the model — the window, the CLI, history and trash restores, this module — keeps it
current. "" means not known (an appointment whose text cannot be built): it is computed
when read, which fails as it always did. Writes past the model (`Appointment.update`) must
not touch `HASHED_FIELDS`.

UIDs. An appointment gets its UID when it is first uploaded (or imported); before that the
planner sees a stable derived one (`derived_uid`). The link to a contact is local only and
never touched here.

Tombstones. When a deletion in Contactbox has been carried out on the server, the UID goes
into AppointmentTombstone (per user), so the event is not imported again if it shows up
later; restoring it from the server (RESTORE_LOCAL) removes the tombstone.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time
from typing import Any

from app import ical
from app.items import LocalItem, StateItem
from app.store import syncbase
from app.store.appointment_text import HASHED_FIELDS as HASHED_FIELDS
from app.store.appointment_text import derived_uid as derived_uid
from app.store.appointment_text import fill_hash as fill_hash
from app.store.appointment_text import local_hash as local_hash
from app.store.appointment_text import local_text as local_text
from app.store.appointment_text import save_hashed as save_hashed
from app.store.appointment_text import stored_hash as stored_hash
from app.store.models import (
    Appointment,
    AppointmentTombstone,
    AppointmentVersion,
    CalendarBinding,
    User,
    database,
    utcnow,
)
from app.store.syncbase import EVENTS, LocalChanged, Seen, check_seen, put_state, write

Facts = tuple[ical.EventSummary, str]  # an event's summary and normalized hash


def uid_from_href(href: str) -> str:
    """A stable UID for a server object that has none."""
    return "contactbox-" + hashlib.sha1(href.encode("utf-8")).hexdigest()


def as_db_time(value: datetime | date | None) -> datetime | None:
    """A parsed iCalendar time as the store keeps it: a date becomes its midnight."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(0, 0))


def _live(user: User | int) -> Any:
    return (Appointment.user == user) & Appointment.deleted_at.is_null()


def local_items(user: User | int) -> list[LocalItem]:
    """The user's live appointments as the planner sees them (key "": UID matching only).

    Read from the narrow columns: the stored hashes, no event text is parsed (one whose
    hash is not known is read whole and hashed)."""
    q = (
        Appointment.select(Appointment.id, Appointment.uid, Appointment.created, Appointment.hash)
        .where(_live(user))
        .order_by(Appointment.id)
        .tuples()
    )
    out = []
    for aid, uid, created, stored in q:
        h = stored or local_hash(Appointment.get_by_id(aid))
        out.append(LocalItem(aid, uid or derived_uid(aid, created), h, ""))
    return out


def local_item(appointment_id: int) -> LocalItem | None:
    """One live appointment as the planner sees it (None: trashed or gone)."""
    a = Appointment.get_or_none(
        (Appointment.id == appointment_id) & Appointment.deleted_at.is_null()
    )
    if a is None:
        return None
    return LocalItem(a.id, a.uid or derived_uid(a.id, a.created), stored_hash(a), "")


def current_hash(appointment_id: int) -> str | None:
    """The appointment's local hash now; None if it is trashed or gone."""
    item = local_item(appointment_id)
    return item.hash if item is not None else None


def count_live(user: User | int) -> int:
    return int(Appointment.select().where(_live(user)).count())


def state_items(binding: CalendarBinding) -> list[StateItem]:
    """The event states (objects Contactbox left alone as non-events are not included)."""
    return syncbase.state_items(EVENTS, binding)


def tombstone_uids(user: User | int) -> frozenset[str]:
    q = AppointmentTombstone.select(AppointmentTombstone.uid).where(
        AppointmentTombstone.user == user
    )
    return frozenset(row[0] for row in q.tuples())


def trashed_version(user: User | int, uid: str) -> tuple[int, str] | None:
    """(id, local hash) of the appointment deleted in Contactbox under `uid` while it is in
    the trash (the one its tombstone names); None: no tombstone, or the trash was emptied."""
    row = (
        AppointmentTombstone.select(AppointmentTombstone.appointment_id)
        .where((AppointmentTombstone.user == user) & (AppointmentTombstone.uid == uid))
        .tuples()
        .first()
    )
    if row is None or row[0] is None:
        return None
    a = Appointment.get_or_none((Appointment.id == row[0]) & Appointment.deleted_at.is_null(False))
    return (int(a.id), stored_hash(a)) if a is not None else None


def appointment_name(appointment_id: int | None) -> str:
    if appointment_id is None:
        return ""
    row = (
        Appointment.select(Appointment.summary)
        .where(Appointment.id == appointment_id)
        .tuples()
        .first()
    )
    return row[0] if row else ""


def _fill(a: Any, text: str, facts: Facts, uid: str) -> None:
    """The appointment becomes the server event (`facts`: its summary and hash)."""
    summary, content_hash = facts
    a.summary = summary.summary
    a.start = as_db_time(summary.start)
    a.end = as_db_time(summary.end)
    a.all_day = summary.all_day
    a.location = summary.location
    a.notes = summary.description
    a.ical = text
    a.uid = uid
    fill_hash(a, known=(text, content_hash), summary=summary)


def import_event(
    binding: CalendarBinding, href: str, etag: str, text: str, uid: str, facts: Facts
) -> int:
    """A server event becomes a new appointment of the binding's user; returns its id."""
    content_hash = facts[1]
    with write():
        now = utcnow()
        a = Appointment(user=binding.user_id, created=now, modified=now)
        _fill(a, text, facts, uid)  # with its hash: the UID is known
        aid = _insert_appointment(a)
        put_state(EVENTS, binding, href, etag, uid, content_hash, stored_hash(a), aid,
                  new_item=True)  # fmt: skip
    return aid


def _insert_appointment(a: Any) -> int:
    """INSERT a new appointment (hash filled) in plain SQL: an import of thousands of
    events spent more time in peewee's query building than in SQLite."""
    fields = [f for f in Appointment._meta.sorted_fields if f.name != "id"]
    sql = _APPOINTMENT_INSERT.get("sql")
    if sql is None:
        columns = ", ".join(f'"{f.column_name}"' for f in fields)  # "end" is a keyword
        marks = ", ".join("?" for _ in fields)
        sql = _APPOINTMENT_INSERT.setdefault(
            "sql", f"INSERT INTO appointment ({columns}) VALUES ({marks})"
        )
    data = a.__data__
    cursor = database.execute_sql(sql, [f.db_value(data.get(f.name)) for f in fields])
    a.id = int(cursor.lastrowid)
    a._dirty.clear()
    return a.id


_APPOINTMENT_INSERT: dict[str, str] = {}


def overwrite_local(
    binding: CalendarBinding,
    appointment_id: int,
    href: str,
    etag: str,
    text: str,
    uid: str,
    facts: Facts,
    *,
    reason: str,
    note: str = "",
    restore: bool = False,
    seen: Seen | None = None,
) -> None:
    """Replace an appointment with the server event; the old text goes to its history.

    `seen`: the appointment as the plan saw it; if it changed since (an edit, a deletion
    or a restore in the meantime), nothing is written and LocalChanged is raised.
    """
    content_hash = facts[1]
    with write():
        check_seen(seen, current_hash(appointment_id))
        a = Appointment.get_or_none(Appointment.id == appointment_id)
        if a is None and restore:
            # Purged from the trash before its deletion reached the server, and changed
            # there meanwhile: the server's version wins, back as a new appointment.
            AppointmentTombstone.delete().where(
                (AppointmentTombstone.user == binding.user_id) & (AppointmentTombstone.uid == uid)
            ).execute()
            import_event(binding, href, etag, text, uid, facts)
            return
        if a is None:
            raise LocalChanged()
        if stored_hash(a) != content_hash:
            AppointmentVersion.create(appointment=a, ical=local_text(a), reason=reason, note=note)
        _fill(a, text, facts, uid)
        a.modified = utcnow()
        if restore:
            a.deleted_at = None
            AppointmentTombstone.delete().where(
                (AppointmentTombstone.user == a.user_id) & (AppointmentTombstone.uid == uid)
            ).execute()
        a.save()
        put_state(EVENTS, binding, href, etag, uid, content_hash, stored_hash(a), a.id)


def trash_from_server(
    binding: CalendarBinding, appointment_id: int, href: str, *, seen: Seen | None = None
) -> None:
    """Deleted on the server: the appointment goes to the trash (no tombstone), state goes.

    `seen`: as in `overwrite_local`; one the user trashed meanwhile stays trashed.
    """
    with write():
        current = current_hash(appointment_id)
        if current is not None:
            check_seen(seen, current)
        now = utcnow()
        Appointment.update(deleted_at=now, modified=now).where(
            (Appointment.id == appointment_id) & Appointment.deleted_at.is_null()
        ).execute()
        syncbase.forget(EVENTS, binding, href)


def deleted_on_server(
    binding: CalendarBinding, appointment_id: int | None, href: str, uid: str
) -> None:
    """A deletion in Contactbox is done on the server: state goes, a tombstone stays."""
    with write():
        syncbase.forget(EVENTS, binding, href)
        if uid:
            AppointmentTombstone.insert(
                user=binding.user_id, uid=uid, appointment_id=appointment_id
            ).on_conflict_ignore().execute()


def record_upload(
    binding: CalendarBinding,
    appointment_id: int,
    href: str,
    etag: str,
    uid: str,
    stored_text: str,
    *,
    sent_hash: str,
    history_text: str | None = None,
    history_note: str = "",
) -> None:
    """An appointment is on the server now (as `stored_text`): both sides are equal.

    `sent_hash` is the appointment's local hash when its text was built for the upload.
    If it is still that version, it takes the stored text; if it was edited while the
    upload was in flight, the edit stays as it is and the state records the uploaded
    version as synced, so the edit goes up with the next run.
    """
    remote_hash = ical.normalized_hash(stored_text)
    with write():
        a = Appointment.get_by_id(appointment_id)
        if history_text is not None:
            AppointmentVersion.create(
                appointment=a, ical=history_text, reason="conflict", note=history_note
            )
        if a.deleted_at is None and stored_hash(a) == sent_hash:
            a.ical = stored_text
            a.uid = uid
            fill_hash(a, known=(stored_text, remote_hash))
            a.save()
            synced = stored_hash(a)
        else:
            a.uid = uid
            a.save(only=[Appointment.uid])  # and its hash (a new UID of a text never uploaded)
            synced = sent_hash
        put_state(EVENTS, binding, href, etag, uid, remote_hash, synced, appointment_id)


def link(
    binding: CalendarBinding,
    appointment_id: int,
    href: str,
    etag: str,
    uid: str,
    remote_hash: str,
    *,
    seen: Seen | None = None,
) -> None:
    """Same appointment on both sides: remember it (it takes the server's UID).

    The state records the appointment as the plan saw it (`seen`): an edit saved since is
    a local change the next run uploads; one trashed meanwhile raises LocalChanged.
    """
    with write():
        a = Appointment.get_or_none(
            (Appointment.id == appointment_id) & Appointment.deleted_at.is_null()
        )
        if a is None:
            raise LocalChanged()
        edited = seen is not None and seen.hash != stored_hash(a)
        if a.uid != uid:
            a.uid = uid
            a.save(only=[Appointment.uid])  # and its hash (a new UID of a text never uploaded)
        synced = seen.hash if edited and seen is not None and seen.hash else stored_hash(a)
        put_state(EVENTS, binding, href, etag, uid, remote_hash, synced, appointment_id)


def forget_state(binding: CalendarBinding) -> None:
    """Drop everything a binding remembers (states, token, ctag, first-run mark)."""
    syncbase.forget_state(EVENTS, binding)


def appointment_versions(appointment_id: int) -> list[tuple[str, str, str, datetime]]:
    """(reason, note, ical, created) of an appointment's earlier versions, newest first."""
    q = (
        AppointmentVersion.select(
            AppointmentVersion.reason,
            AppointmentVersion.note,
            AppointmentVersion.ical,
            AppointmentVersion.created,
        )
        .where(AppointmentVersion.appointment == appointment_id)
        .order_by(AppointmentVersion.id.desc())
        .tuples()
    )
    return list(q)
