"""CalendarSync: two-way sync of one user's appointments with one server calendar.

The same engine as address books (`app.sync.engine.CollectionSync`: list → fetch → plan →
apply, ETag preconditions, 412 → re-plan, one transaction per item, the same report
shape), with mode "sync" and the binding's preference as option. This module is the
calendar's side of it (`CalendarSide`): the user's appointments, their iCalendar text
(app.store.calsync), tombstones, and the objects that are not events. Whole-job failures
(wrong password, unreachable, TLS) stop the run with a German message and change nothing.

Decisions:
- Two-way only. Conflicts (both sides changed) are resolved by the binding's `prefer`
  ("server" by default, as for address books; or "contactbox"); the losing version goes to
  AppointmentVersion. Deletions propagate both ways: the trash (`deleted_at`) → DELETE on
  the server (then a tombstone, so the UID is not imported again); a server deletion → the
  appointment goes to the trash. The mass-deletion guard of `plan()` holds back deletions
  when one side lost more than half of the synced appointments.
- First-run matching is by UID only (LocalItem.key is ""): appointments have no name + e-mail
  key, and summary + time is not an identity. An appointment never synced has no UID and is
  uploaded; one synced before (also with another binding) is matched by its UID.
- Objects without a VEVENT (VTODO, VJOURNAL) are never planned: they are remembered as
  kind "other" (so deltas stay complete), counted as "server_only", noted in the report,
  never imported or deleted. Unreadable objects are reported and treated as unchanged.
- Each fetched event is parsed once (`ical.summarize_and_hash`); the local appointments'
  hashes are stored (`Appointment.hash`, kept by every write): a run over unchanged
  appointments parses none of them.
- The upload text is `calsync.local_text`: the stored iCalendar with the modelled fields
  applied by `ical.edit_event`, so exceptions, alarms, attendees, time zones and unknown
  properties go back unchanged. The contact link stays local.
"""

from __future__ import annotations

from typing import Protocol

from peewee import IntegrityError

from app import ical
from app.dav.caldav import RemoteCalendar
from app.dav.errors import DavError
from app.dav.model import RemoteCard
from app.i18n import _
from app.store import calsync, syncbase
from app.store.models import Appointment, CalendarBinding
from app.store.names import user_display_name
from app.sync.engine import CancelFn, CollectionSync, ProgressFn
from app.sync.modes import Mode, Operation, Option
from app.sync.plan import LocalItem
from app.sync.report import CALENDAR
from app.sync.sides import CollectionClient, Fetched, LocalSide, Upload, Wording, message_of

PREFERENCES = ("server", "contactbox")


class CalendarClient(CollectionClient, Protocol):
    """What a calendar run needs from app.dav.caldav.CalDavClient: the engine's
    `CollectionClient`, and the calendar's state and event names."""

    def calendar_state(self, href: str) -> RemoteCalendar: ...
    def event_href(self, cal_href: str, name: str) -> str: ...


CALENDAR_WORDING = Wording(report=CALENDAR)


def mode_of(binding: CalendarBinding) -> Mode:
    prefer = Option.CONTACTBOX if binding.prefer == "contactbox" else Option.SERVER
    return Mode(Operation.SYNC, prefer)


class CalendarSide(LocalSide[ical.EventSummary]):
    """The appointments of the binding's user, as the engine reads and writes them."""

    table = syncbase.EVENTS
    item_errors: tuple[type[Exception], ...] = (DavError, ical.ICalError, IntegrityError)
    unreadable: tuple[type[Exception], ...] = (ical.ICalError,)
    not_an_item: tuple[type[Exception], ...] = (ical.NotAnEvent,)
    history_only_on_conflict = True

    def __init__(self, binding: CalendarBinding, client: CalendarClient) -> None:
        super().__init__(binding, calsync)
        self.client = client
        self.user_id: int = binding.user_id

    def collection_ctag(self, href: str) -> str | None:
        return self.client.calendar_state(href).ctag

    def local_items(self) -> list[LocalItem]:
        return calsync.local_items(self.user_id)

    def tombstone_uids(self) -> frozenset[str]:
        return calsync.tombstone_uids(self.user_id)

    def trashed_version(self, uid: str) -> tuple[int, str] | None:
        return calsync.trashed_version(self.user_id, uid)

    def count_live(self) -> int:
        return calsync.count_live(self.user_id)

    def item_name(self, item_id: int | None) -> str:
        return calsync.appointment_name(item_id)

    def read(self, href: str, text: str) -> Fetched[ical.EventSummary]:
        s, content_hash = ical.summarize_and_hash(text)  # one parse for both
        uid = s.uid or calsync.uid_from_href(href)
        # Key "": appointments are matched by UID only (summary + time is no identity).
        return Fetched(text, uid, content_hash, s, s.summary or uid, "")

    def other_hash(self, text: str) -> str:
        try:
            return ical.normalized_hash(text)
        except ical.ICalError:
            return ""

    def message(self, exc: Exception) -> str:
        if isinstance(exc, IntegrityError):
            return _("Ein Termin mit derselben UID existiert bereits in Contactbox.")
        if isinstance(exc, ical.ICalError):
            return _("Der Termin ist kein gültiges iCalendar-Objekt ({reason}).").format(reason=exc)
        return message_of(exc)

    def import_item(self, href: str, etag: str, f: Fetched[ical.EventSummary]) -> None:
        calsync.import_event(self.binding, href, etag, f.text, f.uid, (f.summary, f.hash))

    def deleted_on_server(self, item_id: int | None, href: str, uid: str) -> None:
        calsync.deleted_on_server(self.binding, item_id, href, uid)

    def upload_text(self, item_id: int, uid: str) -> Upload:
        # The appointment's UID is the planned one (its own, or the derived one).
        text = calsync.local_text(Appointment.get_by_id(item_id))
        return Upload(text, ical.normalized_hash(text))

    def uploaded_before(self, name: str, uid: str) -> RemoteCard | None:
        """The event under `name` if it is ours (same UID): an upload whose answer was lost."""
        existing = self.client.get(self.client.event_href(self.binding.remote_href, name))
        if existing is not None and ical.summarize(existing.text).uid == uid:
            return existing
        return None


class CalendarSync(CollectionSync[ical.EventSummary]):
    """One run (or check) of one calendar binding."""

    def __init__(
        self,
        binding: CalendarBinding,
        client: CalendarClient,
        *,
        dry_run: bool = False,
        allow_mass_delete: bool = False,
        on_progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> None:
        super().__init__(
            binding,
            client,
            CalendarSide(binding, client),
            mode=mode_of(binding),
            local_name=_("Termine von {name}").format(name=user_display_name(binding.user.name)),
            wording=CALENDAR_WORDING,
            dry_run=dry_run,
            allow_mass_delete=allow_mass_delete,
            on_progress=on_progress,
            cancelled=cancelled,
        )
        self.user_id: int = binding.user_id
