"""CalendarSync: two-way sync of one user's appointments with one server calendar.

The calendar twin of `app.sync.execute.BookSync`, over the same pure `plan()` (mode
"sync" with the binding's preference as option) and the same report shape: list (sync-
collection delta, or PROPFIND + ctag on servers without it) → fetch (calendar-multiget)
→ plan → apply. Per item the server write comes first with an ETag precondition
(If-Match / If-None-Match), then the appointment and its EventState commit together
(app.store.calsync); runs of local-only actions share a transaction. A 412 re-reads that
event and re-plans it once. Whole-job failures (wrong password, unreachable, TLS) stop the
run with a German message and change nothing.

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
- The upload text is `calsync.local_text`: the stored iCalendar with the modelled fields
  applied by `ical.edit_event`, so exceptions, alarms, attendees, time zones and unknown
  properties go back unchanged. The contact link stays local.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from peewee import IntegrityError

from app import ical
from app.dav.caldav import RemoteCalendar
from app.dav.errors import DavError, PreconditionFailed, SyncTokenInvalid, SyncUnsupported
from app.dav.model import Listing, RemoteCard, WriteResult
from app.scheduler import kind_of_exception
from app.store import calsync
from app.store.models import Appointment, CalendarBinding
from app.sync.execute import FATAL, LOCAL_BATCH, LOCAL_KINDS, CancelFn, Cancelled, Progress
from app.sync.execute import ProgressFn as ProgressFn
from app.sync.modes import Mode, Operation, Option
from app.sync.plan import Action, Kind, LocalItem, Plan, RemoteItem, StateItem, guarded_kinds, plan
from app.sync.report import BookReport, ConflictNote, ItemError, figure_of

PREFERENCES = ("server", "contactbox")


class CalendarClient(Protocol):
    """What the engine needs from app.dav.caldav.CalDavClient."""

    def changes(self, cal_href: str, token: str | None) -> Listing: ...
    def list_etags(self, cal_href: str) -> Listing: ...
    def calendar_state(self, href: str) -> RemoteCalendar: ...
    def multiget(self, cal_href: str, hrefs: Iterable[str]) -> Iterator[RemoteCard]: ...
    def get(self, href: str) -> RemoteCard | None: ...
    def create(self, cal_href: str, text: str, *, name: str) -> WriteResult: ...
    def update(self, href: str, text: str, etag: str) -> WriteResult: ...
    def delete(self, href: str, etag: str | None) -> None: ...


@dataclass
class _Fetched:
    text: str
    uid: str
    hash: str
    summary: ical.EventSummary

    @property
    def name(self) -> str:
        return self.summary.summary or self.uid


_NO_ITEM = RemoteItem("", "", "", "", "")
ITEM_ERRORS = (DavError, ical.ICalError, IntegrityError)


def _message(exc: Exception) -> str:
    if isinstance(exc, IntegrityError):
        return "Ein Termin mit derselben UID existiert bereits in Contactbox."
    if isinstance(exc, ical.ICalError):
        return f"Der Termin ist kein gültiges iCalendar-Objekt ({exc})."
    return str(getattr(exc, "message", "") or exc)


def _detail(exc: Exception) -> str:
    return str(getattr(exc, "detail", ""))


def _event_name(uid: str) -> str:
    """A safe file name for a new server event, derived from its UID where possible."""
    if re.fullmatch(r"[A-Za-z0-9._@-]{1,120}", uid) and not uid.startswith("."):
        return uid
    return str(uuid.uuid4()).upper()


def mode_of(binding: CalendarBinding) -> Mode:
    prefer = Option.CONTACTBOX if binding.prefer == "contactbox" else Option.SERVER
    return Mode(Operation.SYNC, prefer)


class CalendarSync:
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
        self.binding = binding
        self.client = client
        self.mode = mode_of(binding)
        self.dry_run = dry_run
        self.allow_mass_delete = allow_mass_delete
        self.on_progress = on_progress or (lambda p: None)
        self.cancelled = cancelled or (lambda: False)
        self.cal_href: str = binding.remote_href
        self.user_id: int = binding.user_id
        self.report = BookReport(
            book=binding.remote_name or binding.remote_href,
            href=binding.remote_href,
            local_book=f"Termine von {binding.user.name}",
            mode=f"sync/{self.mode.option.value}",
        )
        self.fetched: dict[str, _Fetched] = {}
        self.remote_by_href: dict[str, RemoteItem] = {}
        self.state_by_href: dict[str, StateItem] = {}
        self.others: dict[str, str] = {}  # non-event objects: href -> etag
        self.position_safe = True
        self.token_used: str | None = None
        self.wrote_server = False
        self.ignored_hrefs: set[str] = set()

    # ------------------------------------------------------------------ run

    def run(self) -> BookReport:
        try:
            self._run()
        except Cancelled:
            self.position_safe = False
            self.report.notes.append("Vom Benutzer abgebrochen.")
            raise
        except FATAL as exc:
            self.report.error = exc.message
            self.report.error_kind = kind_of_exception(exc)
            raise
        except DavError as exc:
            self.report.error = exc.message
            self.report.error_kind = kind_of_exception(exc)
            self.position_safe = False
        return self.report

    def _run(self) -> None:
        rep = self.report
        self._progress("list", 0, 0)
        local = calsync.local_items(self.user_id)
        state = calsync.state_items(self.binding)
        self.others = calsync.other_states(self.binding)
        tombs = calsync.tombstone_uids(self.user_id)
        self.state_by_href = {s.href: s for s in state}

        listing, token, ctag = self._list(local, state)
        if listing is None:
            rep.unchanged = True
            rep.server_count = len(state) + len(self.others)
            rep.server_only = len(self.others)
            rep.local_count = len(local)
            if not self.dry_run:
                calsync.finish_binding(
                    self.binding, token=token, ctag=ctag, save_position=True, status="ok"
                )
            return

        self._build_remote(listing, state)
        plan_state = [s for s in state if s.href not in self.others]
        result = plan(
            self.mode,
            local,
            list(self.remote_by_href.values()),
            plan_state,
            tombs,
            first_run=self.binding.last_sync is None or not state,
        )
        rep.server_count = len(self.remote_by_href) + len(self.others)
        rep.local_count = len(local)
        self._count(result)
        if self.others:
            rep.notes.append(
                f"{len(self.others)} Einträge des Kalenders sind keine Termine (z. B. "
                "Aufgaben); sie bleiben auf dem Server unberührt."
            )
        if self.dry_run:
            return

        held = set() if self.allow_mass_delete else guarded_kinds(result.guarded)
        if held:
            rep.guarded = sorted(result.guarded)
            self.position_safe = False
        todo = [a for a in result.actions if a.kind not in held]
        rep.held_back = len(result.actions) - len(todo)
        for a in result.actions:
            if a.kind in held and (name := figure_of(a.kind)):
                setattr(rep, name, getattr(rep, name) - 1)
        total = len(todo)
        i = 0
        while i < total:
            if self.cancelled():
                raise Cancelled()
            if todo[i].kind not in LOCAL_KINDS:
                self._apply_one(todo[i], i, total)
                i += 1
                continue
            with calsync.batch():
                end = min(total, i + LOCAL_BATCH)
                while i < end and todo[i].kind in LOCAL_KINDS:
                    if self.cancelled():
                        break
                    self._apply_one(todo[i], i, total)
                    i += 1
        self._progress("apply", total, total)
        rep.local_count = calsync.count_live(self.user_id)
        rep.server_count += rep.added_server - rep.deleted_server
        status = "errors" if rep.errors else "ok"
        new_token = listing.sync_token if listing.sync_token else token
        save = self.position_safe
        if self.wrote_server and self.binding.supports_sync:
            # Our writes came after the listing's token: advance only to a token whose
            # view matches the state (as BookSync._confirmed_token does for books).
            new_token = self._confirmed_token() if self.position_safe else None
            save = True
        calsync.finish_binding(
            self.binding, token=new_token, ctag=ctag, save_position=save, status=status
        )

    # ------------------------------------------------------------------ listing

    def _locally_unchanged(self, local: list[LocalItem], state: list[StateItem]) -> bool:
        by_id = {s.contact_id: s for s in state if s.contact_id is not None}
        if len(by_id) != len(local):
            return False
        return all((s := by_id.get(lo.contact_id)) and s.local_hash == lo.hash for lo in local)

    def _list(
        self, local: list[LocalItem], state: list[StateItem]
    ) -> tuple[Listing | None, str | None, str | None]:
        b = self.binding
        known = bool(state or self.others)
        token = b.sync_token if known else None
        self.token_used = token
        if b.supports_sync:
            try:
                listing = self.client.changes(self.cal_href, token)
                if (
                    not listing.full
                    and not listing.etags
                    and not listing.deleted
                    and self._locally_unchanged(local, state)
                ):
                    return None, listing.sync_token or token, b.ctag
                return listing, listing.sync_token, b.ctag
            except SyncTokenInvalid:
                self.report.notes.append(
                    "Das Synchronisations-Token war abgelaufen; der Kalender wurde "
                    "vollständig gelesen."
                )
                self.token_used = None
                listing = self.client.changes(self.cal_href, None)
                return listing, listing.sync_token, b.ctag
            except SyncUnsupported:
                if not self.dry_run:
                    b.supports_sync = False
                    b.save()
        info = self.client.calendar_state(self.cal_href)
        ctag = info.ctag
        if ctag and known and ctag == b.ctag and self._locally_unchanged(local, state):
            return None, None, ctag
        return self.client.list_etags(self.cal_href), None, ctag

    def _confirmed_token(self) -> str | None:
        try:
            post = self.client.changes(self.cal_href, self.token_used)
        except DavError:
            return None
        known = calsync.all_etags(self.binding)
        for href, etag in post.etags.items():
            if known.get(href) != etag and href not in self.ignored_hrefs:
                return None
        if any(href in known for href in post.deleted):
            return None
        if post.full and any(href not in post.etags for href in known):
            return None
        return post.sync_token

    def _build_remote(self, listing: Listing, state: list[StateItem]) -> None:
        """The whole calendar as known now; non-events go to `self.others`."""
        if listing.full:
            etags = dict(listing.etags)
            for href in list(self.others):
                if href not in etags:
                    del self.others[href]
        else:
            etags = {s.href: s.etag for s in state if s.href not in listing.deleted}
            etags.update({h: e for h, e in self.others.items() if h not in listing.deleted})
            for href in listing.deleted:
                self.others.pop(href, None)
            etags.update(listing.etags)
        unchanged_others = {
            h: e for h, e in etags.items() if h in self.others and self.others[h] == e
        }
        to_fetch = [
            href
            for href, etag in etags.items()
            if href not in unchanged_others
            and ((s := self.state_by_href.get(href)) is None or s.etag != etag)
        ]
        gone_others = [h for h in self.others if h not in unchanged_others]
        for href in gone_others:
            del self.others[href]
        if not self.dry_run:
            for href in gone_others:
                if href not in etags:
                    calsync.forget(self.binding, href)
        total = len(to_fetch)
        self._progress("fetch", 0, total)
        for done, event in enumerate(self.client.multiget(self.cal_href, to_fetch), 1):
            if self.cancelled():
                raise Cancelled()
            if done % 100 == 0:
                self._progress("fetch", done, total)
            try:
                self._take(event)
            except ical.NotAnEvent:
                self._other(event)
            except ical.ICalError as exc:
                self.position_safe = False
                self.report.errors.append(
                    ItemError("", "", event.href, "read", _message(exc), _detail(exc))
                )
        self._progress("fetch", total, total)
        missing = 0
        for href, etag in etags.items():
            if href in self.remote_by_href or href in self.others:
                continue
            s = self.state_by_href.get(href)
            if s is not None and s.etag == etag:
                self.remote_by_href[href] = RemoteItem(href, etag, s.uid, s.remote_hash, "")
            else:
                missing += 1
                if s is not None:
                    self.remote_by_href[href] = RemoteItem(href, s.etag, s.uid, s.remote_hash, "")
        if missing:
            self.position_safe = False
            self.report.notes.append(
                f"{missing} Termine wurden vom Server aufgelistet, aber nicht geliefert; "
                "sie werden beim nächsten Abgleich erneut abgefragt."
            )

    def _other(self, event: RemoteCard) -> None:
        """A calendar object without VEVENT: left alone, remembered, never deleted."""
        self.others[event.href] = event.etag
        if event.href in self.state_by_href:
            # Was an event, is a task now: the appointment is left as it is, unlinked.
            self.state_by_href.pop(event.href)
        if not self.dry_run:
            try:
                h = ical.normalized_hash(event.text)
            except ical.ICalError:
                h = ""
            calsync.remember_other(self.binding, event.href, event.etag, "", h)

    # ------------------------------------------------------------------ figures

    def _count(self, result: Plan) -> None:
        self.report.count_plan(result)
        self.report.server_only += len(self.others)
        held = guarded_kinds(result.guarded)
        if held and self.dry_run:
            self.report.guarded = sorted(result.guarded)
            self.report.held_back = sum(1 for a in result.actions if a.kind in held)

    def _undo_figure(self, action: Action) -> None:
        name = figure_of(action.kind)
        if name is not None:
            setattr(self.report, name, getattr(self.report, name) - 1)
        if action.conflict:
            self.report.conflicts -= 1

    def _fail(self, action: Action, name: str, exc: Exception) -> None:
        self._undo_figure(action)
        if action.kind in (
            Kind.ADD_LOCAL,
            Kind.UPDATE_LOCAL,
            Kind.DELETE_LOCAL,
            Kind.RESTORE_LOCAL,
            Kind.SKIP_DELETED,
        ):
            self.position_safe = False
        self.report.errors.append(
            ItemError(
                name, action.uid, action.href or "", action.kind.value, _message(exc), _detail(exc)
            )
        )

    def _progress(self, phase: str, done: int, total: int, current: str = "") -> None:
        self.on_progress(Progress(self.report.book, phase, done, total, current))

    def _name(self, action: Action) -> str:
        if action.href and action.href in self.fetched:
            return self.fetched[action.href].name
        return calsync.appointment_name(action.contact_id)

    # ------------------------------------------------------------------ applying

    def _take(self, event: RemoteCard) -> RemoteItem:
        s = ical.summarize(event.text)
        uid = s.uid or calsync.uid_from_href(event.href)
        h = ical.normalized_hash(event.text)
        self.fetched[event.href] = _Fetched(event.text, uid, h, s)
        etag = event.etag or self.remote_by_href.get(event.href, _NO_ITEM).etag
        item = RemoteItem(event.href, etag, uid, h, "")
        self.remote_by_href[event.href] = item
        return item

    def _remote(self, href: str) -> _Fetched:
        if href not in self.fetched:
            event = self.client.get(href)
            if event is None:
                raise DavError("Der Termin ist auf dem Server nicht mehr vorhanden.", href)
            self._take(event)
        return self.fetched[href]

    def _apply_one(self, action: Action, i: int, total: int) -> None:
        name = self._name(action)
        self._progress("apply", i, total, name)
        try:
            self._apply(action)
        except FATAL:
            raise
        except ITEM_ERRORS as exc:
            self._fail(action, name, exc)

    def _apply(self, a: Action, *, replanned: bool = False) -> None:
        b = self.binding
        k = a.kind
        if k in (Kind.SERVER_ONLY, Kind.SKIP_DELETED):
            if a.href:
                self.ignored_hrefs.add(a.href)
            return
        if k is Kind.FORGET:
            assert a.href is not None
            calsync.forget(b, a.href)
            return
        if k is Kind.REFRESH:
            assert a.href is not None and a.etag is not None
            got = self.fetched.get(a.href)
            calsync.refresh(b, a.href, a.etag, got.hash if got else None)
            return
        if k is Kind.LINK:
            assert a.href is not None and a.contact_id is not None
            r = self.remote_by_href[a.href]
            calsync.link(b, a.contact_id, a.href, r.etag, a.uid, r.hash)
            return
        if k is Kind.ADD_LOCAL:
            assert a.href is not None
            f = self._remote(a.href)
            calsync.import_event(
                b,
                a.href,
                a.etag or self.remote_by_href[a.href].etag,
                f.text,
                a.uid,
                (f.summary, f.hash),
            )
            return
        if k in (Kind.UPDATE_LOCAL, Kind.RESTORE_LOCAL):
            assert a.href is not None and a.contact_id is not None
            f = self._remote(a.href)
            calsync.overwrite_local(
                b,
                a.contact_id,
                a.href,
                a.etag or self.remote_by_href[a.href].etag,
                f.text,
                a.uid,
                (f.summary, f.hash),
                reason="conflict" if a.conflict else "server-update",
                note="Version aus Contactbox (Konflikt, Server bevorzugt)" if a.conflict else "",
                restore=k is Kind.RESTORE_LOCAL,
            )
            if a.conflict:
                self.report.conflict_notes.append(ConflictNote(self._name(a), a.uid, "server"))
            return
        if k is Kind.DELETE_LOCAL:
            assert a.href is not None and a.contact_id is not None
            calsync.trash_from_server(b, a.contact_id, a.href)
            return
        if not self.wrote_server:
            self.wrote_server = True
            if b.supports_sync:
                calsync.drop_token(b)
        try:
            if k is Kind.ADD_SERVER:
                self._add_server(a)
            elif k is Kind.UPDATE_SERVER:
                self._update_server(a)
            elif k is Kind.DELETE_SERVER:
                assert a.href is not None
                self.client.delete(a.href, a.etag or "")
                calsync.deleted_on_server(b, a.contact_id, a.href, a.uid)
        except PreconditionFailed:
            if replanned or a.href is None:
                raise
            self._replan(a)

    def _upload_text(self, appointment_id: int) -> str:
        return calsync.local_text(Appointment.get_by_id(appointment_id))

    def _settle(self, result: WriteResult, sent: str) -> tuple[str, str, str]:
        if result.etag:
            return result.href, result.etag, sent
        event = self.client.get(result.href)
        if event is None:
            raise DavError("Der Server hat den Termin nach dem Hochladen nicht geliefert.")
        return result.href, event.etag, event.text

    def _add_server(self, a: Action) -> None:
        assert a.contact_id is not None
        text = self._upload_text(a.contact_id)
        try:
            result = self.client.create(self.cal_href, text, name=_event_name(a.uid))
        except PreconditionFailed:
            result = self.client.create(self.cal_href, text, name=str(uuid.uuid4()).upper())
        href, etag, stored = self._settle(result, text)
        calsync.record_upload(self.binding, a.contact_id, href, etag, a.uid, stored)

    def _update_server(self, a: Action) -> None:
        assert a.contact_id is not None and a.href is not None
        history: str | None = None
        note = ""
        if a.href in self.fetched:
            history = self.fetched[a.href].text
            note = "Version vom Server (überschrieben)"
        text = self._upload_text(a.contact_id)
        result = self.client.update(a.href, text, a.etag or "")
        href, etag, stored = self._settle(result, text)
        calsync.record_upload(
            self.binding,
            a.contact_id,
            href,
            etag,
            a.uid,
            stored,
            history_text=history if a.conflict else None,
            history_note=note,
        )
        if a.conflict:
            self.report.conflict_notes.append(ConflictNote(self._name(a), a.uid, "contactbox"))

    def _replan(self, a: Action) -> None:
        """412: the event changed on the server during our run — re-read it, decide again."""
        assert a.href is not None
        self.fetched.pop(a.href, None)
        event = self.client.get(a.href)
        state = self.state_by_href.get(a.href)
        local = [lo for lo in calsync.local_items(self.user_id) if lo.contact_id == a.contact_id]
        remote = [self._take(event)] if event is not None else []
        result = plan(self.mode, local, remote, [state] if state else [], frozenset())
        self._undo_figure(a)
        for new in result.actions:
            if new.href not in (a.href, None):
                continue
            if (name := figure_of(new.kind)) is not None:
                setattr(self.report, name, getattr(self.report, name) + 1)
            if new.conflict:
                self.report.conflicts += 1
            self._apply(new, replanned=True)
        self.report.notes.append(
            f"„{self._name(a)}“ wurde während des Abgleichs auf dem Server geändert und "
            "neu bewertet."
        )
