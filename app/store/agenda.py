"""Appointments ("Termine") and follow-ups ("Wiedervorlagen") of the current user.

Times are naive UTC, like everywhere in the store; `utc_to_local` and `local_to_utc`
convert for display and input. Two conventions the CalDAV sync relies on:

- An all-day appointment keeps its dates as midnight values *without* time zone
  conversion (iCalendar DATE values are floating); `end` is its last day, inclusive.
- A follow-up due at local midnight has no time of day: it counts as due for the whole
  day and is overdue only from the next day on. With a time, it is overdue once passed.

Deleting an appointment moves it to a trash (`deleted_at`), so a later calendar sync can
propagate the deletion; the lists here never show trashed appointments (app.store.
appointment_trash lists, restores and empties the trash). An edit keeps the text before it
as an AppointmentVersion ("edit"), like a contact's edit, for the history. Links to a
contact remember its UID and name + e-mail key so `reattach.reattach_pending` can move
them to the new contact after a "Neu anlegen" run. No peewee object leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from peewee import JOIN

from app import ical
from app.i18n import _
from app.store import calsync, users
from app.store.contact_columns import match_key
from app.store.contacts import StoreError, get_contact
from app.store.models import (
    Appointment,
    AppointmentVersion,
    Contact,
    FollowUp,
    User,
    database,
    utcnow,
)

_APPOINTMENT_FIELDS = frozenset(
    {"contact_id", "summary", "start", "end", "all_day", "location", "notes"}
)
_FOLLOWUP_FIELDS = frozenset({"contact_id", "title", "due", "done", "notes"})


@dataclass(frozen=True)
class AppointmentRow:
    """A "Termin" as lists and dialogs see it; `start`/`end` naive UTC (see module doc)."""

    id: int
    contact_id: int | None
    contact_name: str
    summary: str
    start: datetime
    end: datetime
    all_day: bool
    location: str
    notes: str


@dataclass(frozen=True)
class FollowUpRow:
    """A "Wiedervorlage"; `due` naive UTC, `overdue` as of when the row was read."""

    id: int
    contact_id: int | None
    contact_name: str
    title: str
    due: datetime | None  # None only for rows not made through this module
    done: bool
    notes: str
    overdue: bool


# ---------------------------------------------------------------- time helpers


def utc_to_local(when: datetime) -> datetime:
    """A naive UTC time as naive local time (the machine's time zone)."""
    return when.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def local_to_utc(when: datetime) -> datetime:
    """A naive local time as naive UTC."""
    return when.astimezone(UTC).replace(tzinfo=None)


def has_time_of_day(due: datetime) -> bool:
    """Whether a follow-up's due time (naive UTC) carries a time, i.e. is not local 00:00."""
    return utc_to_local(due).time() != time(0, 0)


def _end_of_local_day(now: datetime) -> datetime:
    """Naive UTC of the next local midnight after `now` (naive UTC)."""
    tomorrow = utc_to_local(now).date() + timedelta(days=1)
    return local_to_utc(datetime.combine(tomorrow, time(0, 0)))


def is_overdue(due: datetime, done: bool, now: datetime | None = None) -> bool:
    """Open and past due: a date-only due date from the next day on, else once passed."""
    if done:
        return False
    now = now or utcnow()
    if has_time_of_day(due):
        return due < now
    return utc_to_local(due).date() < utc_to_local(now).date()


# ---------------------------------------------------------------- users and contacts


def current_user() -> User:
    """The current user: app.store.users owns it (switchable, remembered in the database)."""
    return users.current_user()


def _link(contact_id: int | None) -> dict[str, Any]:
    """The contact columns of an appointment or follow-up linked to `contact_id`."""
    if contact_id is None:
        return {"contact": None, "contact_uid": "", "contact_key": ""}
    c = get_contact(contact_id)
    return {"contact": c.id, "contact_uid": c.uid, "contact_key": match_key(c.fn, c.email)}


def _check_fields(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown field(s): {', '.join(sorted(unknown))}")


# ---------------------------------------------------------------- appointments


def _appointment_row(a: Any) -> AppointmentRow:
    name = a.contact.fn if a.contact_id is not None else ""
    return AppointmentRow(
        id=a.id,
        contact_id=a.contact_id,
        contact_name=name or "",
        summary=a.summary,
        start=a.start,
        end=a.end if a.end is not None else a.start,
        all_day=bool(a.all_day),
        location=a.location,
        notes=a.notes,
    )


def _live_appointment(appointment_id: int) -> Any:
    a = Appointment.get_or_none(
        (Appointment.id == appointment_id) & Appointment.deleted_at.is_null()
    )
    if a is None:
        raise StoreError(_("Den Termin Nr. {id} gibt es nicht.").format(id=appointment_id))
    return a


def _validated_times(
    summary: str, start: datetime | None, end: datetime | None, all_day: bool
) -> tuple[str, datetime, datetime]:
    summary = summary.strip()
    if not summary:
        raise StoreError(_("Bitte einen Betreff für den Termin angeben."))
    if start is None:
        raise StoreError(_("Bitte den Beginn des Termins angeben."))
    if end is None:
        end = start
    if all_day:
        start = datetime.combine(start.date(), time(0, 0))
        end = datetime.combine(end.date(), time(0, 0))
    if end < start:
        raise StoreError(_("Das Ende des Termins liegt vor seinem Beginn."))
    return summary, start, end


def get_appointment(appointment_id: int) -> AppointmentRow:
    return _appointment_row(_live_appointment(appointment_id))


def appointments_for_contact(contact_id: int, user: User | None = None) -> list[AppointmentRow]:
    """The contact's appointments of the (current) user, trashed ones hidden, by start."""
    user = user or current_user()
    q = (
        Appointment.select(Appointment, Contact)
        .join(Contact, JOIN.LEFT_OUTER)
        .where(
            (Appointment.contact == contact_id)
            & (Appointment.user == user)
            & Appointment.deleted_at.is_null()
        )
        .order_by(Appointment.start, Appointment.id)
    )
    return [_appointment_row(a) for a in q]


def add_appointment(
    contact_id: int | None,
    summary: str,
    start: datetime,
    end: datetime | None,
    all_day: bool = False,
    location: str = "",
    notes: str = "",
    user: User | None = None,
) -> int:
    """Create an appointment (times naive UTC; `end` None = same as start); its id."""
    summary, start, end = _validated_times(summary, start, end, all_day)
    with database.atomic():
        now = utcnow()
        a = Appointment.create(
            user=user or current_user(),
            summary=summary,
            start=start,
            end=end,
            all_day=all_day,
            location=location.strip(),
            notes=notes,
            created=now,
            modified=now,
            **_link(contact_id),
        )
    return int(a.id)


def update_appointment(appointment_id: int, **fields: Any) -> None:
    """Change some of contact_id, summary, start, end, all_day, location, notes."""
    _check_fields(fields, _APPOINTMENT_FIELDS)
    with database.atomic():
        a = _live_appointment(appointment_id)
        before = _event_text(a)
        all_day = bool(fields.get("all_day", a.all_day))
        summary, start, end = _validated_times(
            fields.get("summary", a.summary),
            fields.get("start", a.start),
            fields.get("end", a.end),
            all_day,
        )
        a.summary, a.start, a.end, a.all_day = summary, start, end, all_day
        if "location" in fields:
            a.location = str(fields["location"]).strip()
        if "notes" in fields:
            a.notes = fields["notes"]
        if "contact_id" in fields and fields["contact_id"] != a.contact_id:
            for key, value in _link(fields["contact_id"]).items():
                setattr(a, key, value)
        _keep_edited_version(a, before)
        a.modified = utcnow()
        a.save()


def _event_text(a: Any) -> str | None:
    """The appointment's iCalendar text as the calendar sync would upload it (None: unreadable)."""
    try:
        return calsync.local_text(a)
    except (ical.ICalError, ValueError):
        return None


def _keep_edited_version(a: Any, before: str | None) -> None:
    """A local edit keeps the text before it in the appointment's history ("Verlauf")."""
    after = _event_text(a)
    if before is None or after is None:
        return
    if ical.normalized_hash(before) != ical.normalized_hash(after):
        AppointmentVersion.create(appointment=a, ical=before, reason="edit")


def delete_appointment(appointment_id: int) -> None:
    """Move an appointment to the trash (kept for the calendar sync, hidden from lists)."""
    with database.atomic():
        a = _live_appointment(appointment_id)
        a.deleted_at = a.modified = utcnow()
        a.save()


# ---------------------------------------------------------------- follow-ups


def _followup_row(f: Any, now: datetime) -> FollowUpRow:
    name = f.contact.fn if f.contact_id is not None else ""
    return FollowUpRow(
        id=f.id,
        contact_id=f.contact_id,
        contact_name=name or "",
        title=f.title,
        due=f.due,
        done=bool(f.done),
        notes=f.notes,
        overdue=f.due is not None and is_overdue(f.due, bool(f.done), now),
    )


def _followup(followup_id: int) -> Any:
    f = FollowUp.get_or_none(FollowUp.id == followup_id)
    if f is None:
        raise StoreError(_("Die Wiedervorlage Nr. {id} gibt es nicht.").format(id=followup_id))
    return f


def _validated_followup(title: str, due: datetime | None) -> tuple[str, datetime]:
    title = title.strip()
    if not title:
        raise StoreError(_("Bitte einen Titel für die Wiedervorlage angeben."))
    if due is None:
        raise StoreError(_("Bitte angeben, wann die Wiedervorlage fällig ist."))
    return title, due


def _followups() -> Any:
    return FollowUp.select(FollowUp, Contact).join(Contact, JOIN.LEFT_OUTER)


def get_followup(followup_id: int, now: datetime | None = None) -> FollowUpRow:
    _followup(followup_id)
    f = _followups().where(FollowUp.id == followup_id).get()
    return _followup_row(f, now or utcnow())


def followups_for_contact(
    contact_id: int,
    include_done: bool = True,
    user: User | None = None,
    now: datetime | None = None,
) -> list[FollowUpRow]:
    """The contact's follow-ups of the (current) user: open ones first, each by due date."""
    user = user or current_user()
    q = _followups().where((FollowUp.contact == contact_id) & (FollowUp.user == user))
    if not include_done:
        q = q.where(FollowUp.done == False)  # noqa: E712 (peewee expression)
    q = q.order_by(FollowUp.done, FollowUp.due, FollowUp.id)
    now = now or utcnow()
    return [_followup_row(f, now) for f in q]


def add_followup(
    contact_id: int | None,
    title: str,
    due: datetime,
    notes: str = "",
    user: User | None = None,
) -> int:
    """Create an open follow-up (due naive UTC; local midnight = date only); its id."""
    title, due = _validated_followup(title, due)
    with database.atomic():
        f = FollowUp.create(
            user=user or current_user(),
            title=title,
            due=due,
            notes=notes,
            created=utcnow(),
            **_link(contact_id),
        )
    return int(f.id)


def update_followup(followup_id: int, **fields: Any) -> None:
    """Change some of contact_id, title, due, done, notes."""
    _check_fields(fields, _FOLLOWUP_FIELDS)
    with database.atomic():
        f = _followup(followup_id)
        f.title, f.due = _validated_followup(fields.get("title", f.title), fields.get("due", f.due))
        if "done" in fields:
            f.done = bool(fields["done"])
        if "notes" in fields:
            f.notes = fields["notes"]
        if "contact_id" in fields and fields["contact_id"] != f.contact_id:
            for key, value in _link(fields["contact_id"]).items():
                setattr(f, key, value)
        f.save()


def complete_followup(followup_id: int, done: bool = True) -> None:
    """Mark a follow-up done (or open again)."""
    with database.atomic():
        f = _followup(followup_id)
        f.done = done
        f.save()


def delete_followup(followup_id: int) -> None:
    with database.atomic():
        _followup(followup_id).delete_instance()


def _due_query(now: datetime, user: User | None) -> Any:
    return _followups().where(
        (FollowUp.user == (user or current_user()))
        & (FollowUp.done == False)  # noqa: E712 (peewee expression)
        & FollowUp.due.is_null(False)
        & (FollowUp.due < _end_of_local_day(now))
    )


def due_followups(now: datetime | None = None, user: User | None = None) -> list[FollowUpRow]:
    """Open follow-ups due today (local) or earlier, soonest first, of the (current) user."""
    now = now or utcnow()
    q = _due_query(now, user).order_by(FollowUp.due, FollowUp.id)
    return [_followup_row(f, now) for f in q]


def count_due_followups(now: datetime | None = None, user: User | None = None) -> int:
    return int(_due_query(now or utcnow(), user).count())
