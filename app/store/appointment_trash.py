"""The Papierkorb of a user's appointments: list, restore, empty — safe with the calendar sync.

How appointments get here and what the calendar sync (app.sync.calendar) does with them:

- Deleted in Contactbox (`agenda.delete_appointment`): `deleted_at` is set. While the
  appointment's EventState row exists, the deletion is still *pending*: the next sync
  deletes the event on the server (If-Match), drops the state and writes an
  AppointmentTombstone (user, UID), so the event is not imported again.
- Deleted on the server: the sync moves the appointment here and drops its state; no
  tombstone (nothing to hold back: the server has no copy any more).

Restoring clears `deleted_at` and removes the tombstone in one transaction. The next sync
then sees a live appointment: with its state still there (pending deletion) nothing happens
on the server; without state (deleted on the server, by us or by someone else) the
appointment is new to the sync and is uploaded again under its UID. It is never deleted a
second time: the only deletion the sync carries out comes from `deleted_at` or a missing
server copy with a state row, and a restored appointment has neither.

Emptying deletes the rows for good but keeps the tombstones (their `appointment_id` is
cleared), so an event deleted here and showing up on the server again stays deleted.
Appointments whose deletion is still pending stay in the trash until the next sync has
deleted them on the server: without the row, a server change made meanwhile could not be
restored into Contactbox, and the sync could not say which appointment it was.
No peewee object leaves this module; no Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.i18n import _
from app.store.contacts import StoreError
from app.store.models import (
    Appointment,
    AppointmentTombstone,
    AppointmentVersion,
    CalendarBinding,
    EventState,
    User,
    database,
    utcnow,
)

#: Where a trashed appointment stands (TrashedAppointment.status).
PENDING = "pending"  # deleted in Contactbox; the next sync deletes it on the server
DELETED_ON_SERVER = "deleted-on-server"  # deleted in Contactbox and on the server
LOCAL_ONLY = "local-only"  # deleted in Contactbox; never was on a server
FROM_SERVER = "from-server"  # deleted on the server; the sync moved it to the trash
NO_SYNC = "no-sync"  # synced once, deleted while the user has no calendar sync

#: Which side deleted it, per status ("contactbox" | "server"); ui/ words it.
DELETED_BY: dict[str, str] = {
    PENDING: "contactbox",
    DELETED_ON_SERVER: "contactbox",
    LOCAL_ONLY: "contactbox",
    FROM_SERVER: "server",
    NO_SYNC: "contactbox",
}


@dataclass(frozen=True)
class TrashedAppointment:
    """One appointment in the trash; times naive UTC (all-day: midnight dates)."""

    id: int
    summary: str
    start: datetime | None
    end: datetime | None
    all_day: bool
    location: str
    recurring: bool
    deleted_at: datetime
    status: str  # PENDING | DELETED_ON_SERVER | LOCAL_ONLY | FROM_SERVER | NO_SYNC

    @property
    def deleted_by(self) -> str:
        """Which side deleted it: "contactbox" or "server"."""
        return DELETED_BY[self.status]


@dataclass(frozen=True)
class EmptyResult:
    """What "Papierkorb leeren" did: deleted for good, and kept (deletion still pending)."""

    deleted: int
    kept_pending: int


#: ids per query where a caller hands a list (below SQLite's oldest variable limit, 999).
_CHUNK = 500


def _user_id(user: User | int) -> int:
    return int(user) if isinstance(user, int) else int(user.id)


def _trashed(user: User | int) -> object:  # a peewee expression
    return (Appointment.user == _user_id(user)) & Appointment.deleted_at.is_null(False)


def _pending_ids(user: User | int) -> set[int]:
    """Trashed appointments the user's calendar binding still holds a state row for."""
    q = (
        EventState.select(EventState.appointment_id)
        .join(CalendarBinding)
        .where((CalendarBinding.user == _user_id(user)) & EventState.appointment_id.is_null(False))
        .tuples()
    )
    return {int(row[0]) for row in q}


def _tombstoned(user: User | int) -> tuple[set[str], set[int]]:
    q = (
        AppointmentTombstone.select(AppointmentTombstone.uid, AppointmentTombstone.appointment_id)
        .where(AppointmentTombstone.user == _user_id(user))
        .tuples()
    )
    uids: set[str] = set()
    ids: set[int] = set()
    for uid, appointment_id in q:
        uids.add(uid)
        if appointment_id is not None:
            ids.add(int(appointment_id))
    return uids, ids


def _status(a: Appointment, pending: set[int], uids: set[str], ids: set[int], synced: bool) -> str:
    if a.id in pending:
        return PENDING
    if a.id in ids or (a.uid and a.uid in uids):
        return DELETED_ON_SERVER
    if not a.uid:
        return LOCAL_ONLY
    if not synced:
        # Without a calendar sync nobody but Contactbox can have deleted it.
        return NO_SYNC
    # Synced once (it has a UID), no state and no tombstone: the sync trashed it because
    # the event was deleted on the server.
    return FROM_SERVER


def _recurring(text: str | None) -> bool:
    if not text:
        return False
    upper = text.upper()
    return "\nRRULE" in upper or "\nRDATE" in upper or "\nRECURRENCE-ID" in upper


def trashed_appointments(user: User | int) -> list[TrashedAppointment]:
    """The user's trashed appointments, most recently deleted first."""
    pending = _pending_ids(user)
    uids, ids = _tombstoned(user)
    synced = CalendarBinding.select().where(CalendarBinding.user == _user_id(user)).exists()
    q = (
        Appointment.select()
        .where(_trashed(user))
        .order_by(Appointment.deleted_at.desc(), Appointment.id.desc())
    )
    return [
        TrashedAppointment(
            id=int(a.id),
            summary=a.summary,
            start=a.start,
            end=a.end if a.end is not None else a.start,
            all_day=bool(a.all_day),
            location=a.location or "",
            recurring=_recurring(a.ical),
            deleted_at=a.deleted_at,
            status=_status(a, pending, uids, ids, synced),
        )
        for a in q
    ]


def count_trashed(user: User | int) -> int:
    return int(Appointment.select().where(_trashed(user)).count())


def restore_appointments(user: User | int, appointment_ids: list[int]) -> int:
    """Take appointments of `user` out of the trash; their tombstones go (one transaction).

    Refused (StoreError, nothing changed) for an appointment that is not the user's or not in
    the trash, and for one whose UID a live appointment of the user already has (e.g. the
    server's copy imported again meanwhile). Returns how many were restored.
    """
    uid_of_user = _user_id(user)
    with database.atomic():
        rows: list[Appointment] = []
        for start in range(0, len(appointment_ids), _CHUNK):  # SQLite's variable limit
            part = appointment_ids[start : start + _CHUNK]
            rows.extend(
                Appointment.select().where(
                    Appointment.id.in_(part) & (Appointment.user == uid_of_user)
                )
            )
        found = {int(a.id) for a in rows}
        missing = [i for i in appointment_ids if i not in found]
        if missing:
            raise StoreError(
                _(
                    "Den Termin Nr. {id} gibt es nicht (mehr) im Papierkorb dieses "
                    "Benutzers. Bitte die Liste neu laden."
                ).format(id=missing[0])
            )
        restored = 0
        for a in rows:
            if a.deleted_at is None:
                continue
            if a.uid:
                twin = Appointment.get_or_none(
                    (Appointment.user == uid_of_user)
                    & (Appointment.uid == a.uid)
                    & Appointment.deleted_at.is_null()
                )
                if twin is not None:
                    raise StoreError(
                        _(
                            "„{summary}“ kann nicht wiederhergestellt werden: Der Termin "
                            "„{twin}“ ist bereits vorhanden und ist derselbe Termin "
                            "(dieselbe UID, z. B. vom Server erneut übernommen). Bearbeiten "
                            "Sie diesen stattdessen; frühere Fassungen finden Sie in seinem "
                            "Verlauf."
                        ).format(summary=a.summary, twin=twin.summary)
                    )
                AppointmentTombstone.delete().where(
                    (AppointmentTombstone.user == uid_of_user) & (AppointmentTombstone.uid == a.uid)
                ).execute()
            a.deleted_at = None
            a.modified = utcnow()
            a.save()
            restored += 1
    return restored


def empty_trash(user: User | int) -> EmptyResult:
    """Delete the user's trashed appointments for good; tombstones stay (see module doc).

    Appointments whose deletion the next sync still has to carry to the server stay.
    """
    uid_of_user = _user_id(user)
    # Set-based (subqueries, never lists of ids): a trash of any size.
    pending = (
        EventState.select(EventState.appointment_id)
        .join(CalendarBinding)
        .where((CalendarBinding.user == uid_of_user) & EventState.appointment_id.is_null(False))
    )
    gone = _trashed(uid_of_user) & Appointment.id.not_in(pending)
    with database.atomic():
        trashed = int(Appointment.select().where(_trashed(uid_of_user)).count())
        gone_ids = Appointment.select(Appointment.id).where(gone)
        AppointmentTombstone.update(appointment_id=None).where(
            (AppointmentTombstone.user == uid_of_user)
            & AppointmentTombstone.appointment_id.in_(gone_ids)
        ).execute()
        AppointmentVersion.delete().where(AppointmentVersion.appointment.in_(gone_ids)).execute()
        deleted = int(Appointment.delete().where(gone).execute())
    return EmptyResult(deleted=deleted, kept_pending=trashed - deleted)
