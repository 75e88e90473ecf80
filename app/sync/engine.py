"""CollectionSync: one run (or check) of one bound server collection — address book or calendar.

The only code with side effects on both sides, and the same for contacts and appointments:
list (sync-collection delta, or PROPFIND + ctag on servers without it) → fetch (multiget)
→ plan (`app.sync.plan`) → apply. Per item the server write comes first with an ETag
precondition (If-Match / If-None-Match), then the local item and its state commit in one
transaction; runs of local-only actions share a transaction. A 412 re-reads that object
and re-plans it once. A failed item goes into the report and the run goes on; only
whole-job failures (server unreachable, wrong password, TLS) stop the collection.

What differs between contacts and appointments is a `LocalSide` (the store of one kind:
its items, writes, texts, names and errors) and a `Wording` (the German nouns of the
report); the remote is any `CollectionClient` (CardDavClient, CalDavClient). The adapters
are `app.sync.execute.BookSync` and `app.sync.calendar.CalendarSync`.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from typing import Any, Generic, Protocol, TypeVar

from app.background import in_background, result_of, wait_for
from app.dav.errors import (
    AuthError,
    DavError,
    HostUnreachable,
    PreconditionFailed,
    SyncTokenInvalid,
    SyncUnsupported,
    TlsError,
)
from app.dav.model import Listing, RemoteCard, WriteResult
from app.scheduler import kind_of_exception
from app.store import syncbase
from app.store.models import Binding, CalendarBinding
from app.store.syncbase import LocalChanged, Seen, StateTable
from app.sync.modes import AFTER_RECREATE, Mode, Operation
from app.sync.plan import (
    SERVER_WRITES,
    Action,
    Kind,
    LocalItem,
    Plan,
    RemoteItem,
    StateItem,
    decide_pair,
    guarded_kinds,
    plan,
    read_only_action,
)
from app.sync.report import BookReport, ConflictNote, ItemError, figure_of

log = logging.getLogger(__name__)

# Errors that concern the whole connection, not one item: they stop the collection.
FATAL = (AuthError, HostUnreachable, TlsError)

#: Actions that write only the local store; consecutive ones commit in batches of this size.
LOCAL_KINDS = frozenset(
    {
        Kind.ADD_LOCAL,
        Kind.UPDATE_LOCAL,
        Kind.RESTORE_LOCAL,
        Kind.DELETE_LOCAL,
        Kind.LINK,
        Kind.REFRESH,
        Kind.FORGET,
        Kind.SKIP_DELETED,
        Kind.SERVER_ONLY,
    }
)
# 1,000 rather than 250: each commit rewrites the hot pages of the contact table's list
# indexes into the WAL; 10,000 imports took 1.9 s of SQLite at 250 and 1.5 s at 1,000. A
# batch holds the write lock ~0.15 s; a crash redoes at most one batch.
LOCAL_BATCH = 1000
# Streaming first import: items per part, about one multiget batch, so that importing a
# part takes about as long as the server needs for the next batch (fetched meanwhile).
STREAM_PART = 500

#: A failure of one of these leaves the server's view unapplied: the position stays.
_LOCAL_WRITES = frozenset(
    {Kind.ADD_LOCAL, Kind.UPDATE_LOCAL, Kind.DELETE_LOCAL, Kind.RESTORE_LOCAL, Kind.SKIP_DELETED}
)

S = TypeVar("S")  # what a side reads from one server object (vCard / event summary)
S_in = TypeVar("S_in", contravariant=True)
AnyBinding = Binding | CalendarBinding


@dataclass(frozen=True)
class Progress:
    """Where a run stands: phase "list" | "fetch" | "apply", done of total, current name."""

    book: str
    phase: str
    done: int
    total: int
    current: str = ""


ProgressFn = Callable[[Progress], None]
CancelFn = Callable[[], bool]


class Cancelled(Exception):
    """The user cancelled between two items."""


class CollectionClient(Protocol):
    """What the engine needs from a DAV client (CardDavClient, CalDavClient)."""

    def changes(self, href: str, token: str | None) -> Listing: ...
    def list_etags(self, href: str) -> Listing: ...
    def multiget(self, href: str, hrefs: Iterable[str]) -> Iterator[RemoteCard]: ...
    def get(self, href: str) -> RemoteCard | None: ...
    def create(self, href: str, text: str, *, name: str) -> WriteResult: ...
    def update(self, href: str, text: str, etag: str) -> WriteResult: ...
    def delete(self, href: str, etag: str) -> None: ...
    def read_only(self, href: str) -> bool: ...


@dataclass
class Fetched(Generic[S]):
    """A server object read once this run: its text and what the side read from it."""

    text: str
    uid: str
    hash: str
    summary: S
    name: str  # for progress, errors and conflict notes
    key: str  # first-run match key ("" : UID matching only)


@dataclass(frozen=True)
class Upload:
    """A local item's text as uploaded, and the item's local hash it was built from."""

    text: str
    local_hash: str


@dataclass(frozen=True)
class Wording:
    """The German nouns a side's report and messages use."""

    collection: str  # "das Adressbuch" | "der Kalender" (nominative)
    of_collection: str  # "des Adressbuchs" | "des Kalenders"
    items: str  # "Karten" | "Termine"
    item: str  # "Die Karte" | "Der Termin" (nominative)
    item_object: str  # "die Karte" | "den Termin" (accusative)
    others_example: str = ""  # what objects left alone are, e.g. " (z. B. Aufgaben)"


class Recreating(Protocol):
    """A side that can start over ("Neu anlegen": address books only)."""

    def wipe_for_recreate(self, next_option: str) -> list[int]:
        """Local items to the trash, the binding's memory cleared; the wiped items' ids."""
        ...

    def reattach(self, old_ids: list[int]) -> int:
        """Links of the wiped items moved to their new counterparts; how many."""
        ...


class ItemStore(Protocol[S_in]):
    """The per-item writes of one kind's store module (app.store.syncstate, .calsync).

    Each commits the local item together with its state row in one transaction. The
    writes over a local item take the version the plan saw (`seen`) and raise
    `LocalChanged` instead of writing when the item is no longer that version.
    """

    def overwrite_local(
        self,
        binding: Any,
        item_id: int,
        href: str,
        etag: str,
        text: str,
        uid: str,
        *,
        facts: tuple[S_in, str],
        reason: str,
        note: str = "",
        restore: bool = False,
        seen: Seen | None = None,
    ) -> None: ...
    def trash_from_server(
        self, binding: Any, item_id: int, href: str, *, seen: Seen | None = None
    ) -> None: ...
    def link(
        self,
        binding: Any,
        item_id: int,
        href: str,
        etag: str,
        uid: str,
        remote_hash: str,
        *,
        seen: Seen | None = None,
    ) -> None: ...
    def link_pending(
        self, binding: Any, item_id: int, href: str, etag: str, uid: str, remote_hash: str
    ) -> None: ...
    def record_upload(
        self,
        binding: Any,
        item_id: int,
        href: str,
        etag: str,
        uid: str,
        stored_text: str,
        *,
        sent_hash: str,
        history_text: str | None = None,
        history_note: str = "",
    ) -> None: ...
    def local_item(self, item_id: int) -> LocalItem | None: ...


class LocalSide(ABC, Generic[S]):
    """The local store of one kind, as the engine reads and writes it.

    Every write commits the local item together with its state row in one transaction.
    The writes that only hand a fetched object to the kind's store are done here; the
    rest is the kind's own (`BookSide`, `CalendarSide`).
    """

    table: StateTable
    #: per-item failures (reported, the run goes on) besides FATAL
    item_errors: tuple[type[Exception], ...]
    #: a fetched object that cannot be read: reported, treated as unchanged
    unreadable: tuple[type[Exception], ...]
    #: a fetched object of a kind this side leaves alone (remembered, never touched)
    not_an_item: tuple[type[Exception], ...] = ()
    #: whether an overwritten server version goes to the history only in a conflict
    history_only_on_conflict: bool = False

    def __init__(self, binding: Any, store: ItemStore[S]) -> None:
        self.binding = binding
        self.store = store

    def first_import(self) -> AbstractContextManager[object]:
        """Around a streaming first import (nothing local yet): the kind's bulk set-up."""
        return nullcontext()

    @abstractmethod
    def collection_ctag(self, href: str) -> str | None:
        """The collection's ctag (servers without sync-collection)."""

    @abstractmethod
    def local_items(self) -> list[LocalItem]:
        """The live local items as the planner sees them."""

    def local_item(self, item_id: int) -> LocalItem | None:
        """One local item as the planner sees it now (None: trashed or gone)."""
        return self.store.local_item(item_id)

    @abstractmethod
    def tombstone_uids(self) -> frozenset[str]:
        """UIDs deleted in Contactbox that are not imported again."""

    def trashed_version(self, uid: str) -> tuple[int, str] | None:
        """(id, hash) of the item deleted in Contactbox under `uid` while it is in the
        trash (its tombstone's); None: none, or the trash was emptied."""
        return None

    @abstractmethod
    def count_live(self) -> int: ...

    @abstractmethod
    def item_name(self, item_id: int | None) -> str:
        """A local item's name for progress and the report."""

    @abstractmethod
    def read(self, href: str, text: str) -> Fetched[S]:
        """Read a server object (raises one of `unreadable` / `not_an_item`)."""

    @abstractmethod
    def other_hash(self, text: str) -> str:
        """The hash of an object left alone ("" if it cannot be read)."""

    @abstractmethod
    def import_item(self, href: str, etag: str, f: Fetched[S]) -> None:
        """A server object becomes a new local item."""

    @abstractmethod
    def deleted_on_server(self, item_id: int | None, href: str, uid: str) -> None:
        """A local deletion was carried out on the server."""

    @abstractmethod
    def upload_text(self, item_id: int, uid: str) -> Upload:
        """The text the local item is uploaded as, with `uid`, and the hash it was read at."""

    @abstractmethod
    def uploaded_before(self, name: str, uid: str) -> RemoteCard | None:
        """The object under `name` if it is our own earlier upload (its answer was lost)."""

    def message(self, exc: Exception) -> str:
        return message_of(exc)

    def overwrite(
        self,
        item_id: int,
        href: str,
        etag: str,
        f: Fetched[S],
        *,
        conflict: bool,
        restore: bool,
        seen: Seen,
    ) -> None:
        """The server's version replaces the local item (still as `seen`); the old one goes
        to its history."""
        self.store.overwrite_local(
            self.binding,
            item_id,
            href,
            etag,
            f.text,
            f.uid,
            facts=(f.summary, f.hash),
            reason="conflict" if conflict else "server-update",
            note="Version aus Contactbox (Konflikt, Server bevorzugt)" if conflict else "",
            restore=restore,
            seen=seen,
        )

    def trash_from_server(self, item_id: int, href: str, seen: Seen) -> None:
        self.store.trash_from_server(self.binding, item_id, href, seen=seen)

    def link(
        self, item_id: int, href: str, etag: str, uid: str, remote_hash: str, seen: Seen
    ) -> None:
        self.store.link(self.binding, item_id, href, etag, uid, remote_hash, seen=seen)

    def link_pending(self, item_id: int, href: str, etag: str, uid: str, remote_hash: str) -> None:
        self.store.link_pending(self.binding, item_id, href, etag, uid, remote_hash)

    def record_upload(
        self,
        item_id: int,
        href: str,
        etag: str,
        uid: str,
        stored_text: str,
        *,
        sent_hash: str,
        history_text: str | None = None,
        history_note: str = "",
    ) -> None:
        self.store.record_upload(
            self.binding,
            item_id,
            href,
            etag,
            uid,
            stored_text,
            sent_hash=sent_hash,
            history_text=history_text,
            history_note=history_note,
        )


@dataclass
class _Answer:
    """What the listing request brought back (see `CollectionSync._ask_server`)."""

    token: str | None  # the sync token the delta started from (None: a full listing)
    listing: Listing | None  # the sync-collection answer; None without sync-collection
    ctag: str | None  # the collection's ctag, asked where sync-collection is missing
    token_expired: bool = False
    unsupported: bool = False  # the server refused sync-collection after all


def message_of(exc: Exception) -> str:
    """The German message of a typed error (DavError, CardError, …), else its text."""
    return str(getattr(exc, "message", "") or exc)


def _detail(exc: Exception) -> str:
    return str(getattr(exc, "detail", ""))


def object_name(uid: str) -> str:
    """The file name of a new server object: its UID where that is a safe name, else a
    name derived from the UID (a hash), never a random one — so the takeover of an upload
    whose answer was lost finds our own object under the same name on the next try."""
    if re.fullmatch(r"[A-Za-z0-9._@-]{1,120}", uid) and not uid.startswith("."):
        return uid
    return hashlib.sha256(uid.encode("utf-8")).hexdigest()[:40].upper()


class CollectionSync(Generic[S]):
    """One run (or check) of one binding; `run()` returns its report exactly once."""

    def __init__(
        self,
        binding: AnyBinding,
        client: CollectionClient,
        side: LocalSide[S],
        *,
        mode: Mode,
        local_name: str,
        wording: Wording,
        recreating: Recreating | None = None,
        dry_run: bool = False,
        allow_mass_delete: bool = False,
        on_progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> None:
        self.binding = binding
        self.client = client
        self.side = side
        self.mode = mode
        self.wording = wording
        self.recreating = recreating
        self.dry_run = dry_run
        self.allow_mass_delete = allow_mass_delete
        self.on_progress = on_progress or (lambda p: None)
        self.cancelled = cancelled or (lambda: False)
        self.href: str = binding.remote_href
        self.report = BookReport(
            book=binding.remote_name or binding.remote_href,
            href=binding.remote_href,
            local_book=local_name,
            mode=f"{mode.operation.value}/{mode.option.value}".rstrip("/"),
        )
        self.fetched: dict[str, Fetched[S]] = {}
        self.remote_by_href: dict[str, RemoteItem] = {}
        self.state_by_href: dict[str, StateItem] = {}
        # Each local item's hash as the plan saw it (None: not live): the precondition of
        # every write over a local item (see `_seen`).
        self.seen_hash: dict[int, str | None] = {}
        # Local writes refused because the item changed after planning: decided again
        # after the batch they were in has committed (`_decide_changed`).
        self._changed: list[tuple[Action, str]] = []
        self.others: dict[str, str] = {}  # objects this side leaves alone: href -> etag
        self.position_safe = True  # may the new sync token / ctag be stored?
        self.token_used: str | None = None  # the token our listing started from
        self.wrote_server = False  # did this run change the server?
        self.ignored_hrefs: set[str] = set()  # server objects knowingly kept out of the state
        # The server lets us only read the collection (as last seen, or learned from a
        # refused write): local changes stay local (plan.read_only_action).
        self.read_only = bool(getattr(binding, "read_only", False))
        # First run into an empty local side: each fetched part is imported while the
        # server prepares the next (see _import_part); the actions carried out so far.
        self.streaming = False
        self._part: list[RemoteItem] = []
        self._streamed: list[Action] = []
        self._streamed_uids: set[str] = set()
        self._tombs: frozenset[str] = frozenset()
        self._fetch_total = 0
        # hrefs the client refused (other host, outside the collection) before this run
        self._foreign_before = len(getattr(client, "ignored_hrefs", ()))
        self._oversized_before = len(getattr(client, "oversized_hrefs", ()))

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
        except Exception as exc:
            # A bug or a local failure (disk full, ...): this collection stops here with a
            # report instead of a traceback. Local writes commit with their state (in
            # batches: the open batch rolls back whole), so the next run continues.
            log.exception("sync of %s stopped", self.binding.remote_href)
            self.report.error = (
                "Der Abgleich wurde wegen eines internen Fehlers abgebrochen "
                f"({type(exc).__name__}: {exc}). Es ging nichts verloren; der nächste Abgleich "
                "setzt fort. Bleibt der Fehler, senden Sie bitte diesen Bericht an den Support."
            )
            self.report.error_kind = "other"
            self.position_safe = False
        return self.report

    def _run(self) -> None:
        rep = self.report
        side = self.side
        old_ids: list[int] = []
        wiping = self.mode.recreate and self.recreating is not None
        self._progress("list", 0, 0)

        # The listing request goes out first; while the server prepares its answer, the
        # local side is read (only the helper thread uses the session meanwhile).
        known = not wiping and syncbase.has_rows(side.table, self.binding)
        pending = in_background(lambda: self._ask_server(known), "dav-listing")
        try:
            local = side.local_items()
            state = [] if wiping else syncbase.state_items(side.table, self.binding)
            self.others = {} if wiping else syncbase.other_states(side.table, self.binding)
            tombs = frozenset() if wiping else side.tombstone_uids()
            self.state_by_href = {s.href: s for s in state}
            self.seen_hash = {lo.contact_id: lo.hash for lo in local}
        except Exception:
            wait_for(pending)  # the session is free again before anything else uses it
            raise
        # (On Ctrl+C the process ends: the request in flight is not waited for.)
        listing, token, ctag = self._list(local, state, result_of(pending), known=known)
        if listing is None:
            # Nothing changed on either side since the last run.
            rep.unchanged = True
            rep.server_count = len(state) + len(self.others)
            rep.server_only = len(self.others)
            rep.local_count = len(local)
            if not self.dry_run:
                syncbase.finish_binding(
                    self.binding, token=token, ctag=ctag, save_position=True, status="ok"
                )
            return

        # The very first run into an empty local side can only import (plan(): every server
        # item is new, matched by nothing, deleting nothing): then each fetched part is
        # imported while the server prepares the next, instead of all after the last.
        self.streaming = (
            not self.dry_run
            and not wiping
            and not local
            and not state
            and not self.others
            and self.mode.operation is not Operation.ONEWAY
        )
        self._tombs = tombs
        with side.first_import() if self.streaming else nullcontext():
            self._build_remote(listing, state)
        rep.server_count = len(self.remote_by_href) + len(self.others)

        if wiping:
            rep.deleted_local = len(local)
            if not self.dry_run and self.recreating is not None:
                next_option = AFTER_RECREATE[self.mode.operation].value
                old_ids = self.recreating.wipe_for_recreate(next_option)
            local = []
        if self.streaming:
            result = Plan(actions=self._streamed)  # carried out and counted already
            rep.server_only += len(self.others)
        else:
            result = plan(
                self.mode,
                local,
                list(self.remote_by_href.values()),
                [s for s in state if s.href not in self.others],
                tombs,
                first_run=self.binding.last_sync is None or not state,
            )
            if self.mode.operation is Operation.SYNC:
                self._bring_back_changed(result)
            if self.read_only and any(a.kind in SERVER_WRITES for a in result.actions):
                result = self._for_read_only(result)
            self._count(result)
        rep.local_count = len(local)
        self._note_duplicate_uids(result)
        if self.others:
            rep.notes.append(
                f"{len(self.others)} Einträge {self.wording.of_collection} sind keine "
                f"{self.wording.items}{self.wording.others_example}; sie bleiben auf dem "
                "Server unberührt."
            )

        if self.dry_run:
            self._note_kept_local()
            if wiping:
                rep.local_count = side.count_live()
            return

        held = set() if self.allow_mass_delete else guarded_kinds(result.guarded)
        if held:
            rep.guarded = sorted(result.guarded)
            self.position_safe = False
        todo = [] if self.streaming else [a for a in result.actions if a.kind not in held]
        rep.held_back = 0 if self.streaming else len(result.actions) - len(todo)
        self._reset_done_figures(result, held)
        self._apply_all(todo)
        if old_ids and self.recreating is not None:
            moved = self.recreating.reattach(old_ids)
            if moved:
                rep.notes.append(
                    f"{moved} Termine/Wiedervorlagen wurden den neuen Kontakten zugeordnet."
                )
        rep.local_count = side.count_live()
        self._note_kept_local()
        # Both counts as they stand after the run, so they can be compared.
        rep.server_count += rep.added_server - rep.deleted_server
        status = "errors" if rep.errors else "ok"
        new_token = listing.sync_token if listing.sync_token else token
        save = self.position_safe
        if self.wrote_server and self.binding.supports_sync:
            # Our own writes came after the listing's token. An object created and deleted
            # since a token may be left out of the next delta (RFC 6578), so advance only
            # to a token whose view matches our state, else list in full next time.
            new_token = self._confirmed_token() if self.position_safe else None
            save = True
        foreign = list(getattr(self.client, "ignored_hrefs", ()))[self._foreign_before :]
        if foreign:
            rep.notes.append(
                f"{len(foreign)} Einträge der Serverantwort verweisen auf andere Server oder "
                f"liegen außerhalb {self.wording.of_collection}; sie wurden ignoriert "
                f"(z. B. {foreign[0]})."
            )
        syncbase.finish_binding(
            self.binding, token=new_token, ctag=ctag, save_position=save, status=status
        )

    def _import_part(self) -> None:
        """Streaming: plan and carry out the items fetched since the last part.

        The same decision table as a whole-book plan: with nothing local and no state it
        imports each item, skips what was deleted in Contactbox and leaves a second item
        with a UID in use alone — across parts too (the UIDs imported so far).
        """
        items, self._part = self._part, []
        if not items:
            return
        actions: list[Action] = []
        for a in plan(self.mode, [], items, [], self._tombs, first_run=True).actions:
            if a.kind is Kind.ADD_LOCAL:
                if a.uid in self._streamed_uids:
                    a = replace(a, kind=Kind.SERVER_ONLY, reason="duplicate-uid")
                else:
                    self._streamed_uids.add(a.uid)
            actions.append(a)
            self._figure(a, +1)
        done = len(self._streamed)
        self._streamed.extend(actions)
        # Progress as "apply" of everything fetched: the import is what takes the time.
        self._apply_all(actions, offset=done, total=self._fetch_total)
        for a in actions:
            if a.kind is Kind.ADD_LOCAL and a.href is not None:
                self.fetched.pop(a.href, None)  # stored now: the text is not needed again

    def _apply_all(self, todo: list[Action], *, offset: int = 0, total: int = 0) -> None:
        """Carry out the actions; progress counts from `offset` of `total` (default: these)."""
        count = len(todo)
        total = total or count
        # Apply starts (outside any transaction): the first progress of this phase.
        self._progress("apply", offset, total)
        i = 0
        while i < count:
            if self.cancelled():
                raise Cancelled()
            if todo[i].kind not in LOCAL_KINDS:
                # A server write commits its local state on its own, right after the
                # server answered: a crash between two writes loses nothing.
                self._apply_one(todo[i], offset + i, total)
                i += 1
                self._decide_changed()
                continue
            # A run of local-only actions (imports, server updates, trash, links) commits
            # in batches: each item still commits together with its sync state, and a
            # crash rolls back whole items only (the next run redoes them).
            with syncbase.batch():
                end = min(count, i + LOCAL_BATCH)
                while i < end and todo[i].kind in LOCAL_KINDS:
                    if self.cancelled():
                        break
                    self._apply_one(todo[i], offset + i, total)
                    i += 1
            # Items the user changed after planning, outside the batch's transaction
            # (deciding again may mean a server write: no lock is held over a request).
            self._decide_changed()
        self._progress("apply", offset + count, total)

    # ------------------------------------------------------------------ listing

    def _locally_unchanged(self, local: list[LocalItem], state: list[StateItem]) -> bool:
        by_id = {s.contact_id: s for s in state if s.contact_id is not None}
        if len(by_id) != len(local):
            return False
        return all((s := by_id.get(lo.contact_id)) and s.local_hash == lo.hash for lo in local)

    def _ask_server(self, known: bool) -> _Answer:
        """The listing's HTTP part (runs on a helper thread: no database access here).

        With sync-collection: the delta since the saved token (`known`: the binding
        remembers something), or everything once the token has expired. Without it: the
        collection's ctag; whether a full ETag listing is needed is decided afterwards.
        """
        b = self.binding
        token = b.sync_token if known else None
        if b.supports_sync:
            try:
                return _Answer(token, self.client.changes(self.href, token), None)
            except SyncTokenInvalid:
                return _Answer(None, self.client.changes(self.href, None), None, token_expired=True)
            except SyncUnsupported:
                return _Answer(
                    token, None, self.side.collection_ctag(self.href), unsupported=True
                )
        return _Answer(token, None, self.side.collection_ctag(self.href))

    def _list(
        self, local: list[LocalItem], state: list[StateItem], answer: _Answer, *, known: bool
    ) -> tuple[Listing | None, str | None, str | None]:
        """The server's answer as a listing: a delta where possible; None when nothing
        changed at all."""
        b = self.binding
        self.token_used = answer.token
        listing = answer.listing
        if answer.token_expired:
            self.report.notes.append(
                "Das Synchronisations-Token war abgelaufen; "
                f"{self.wording.collection} wurde vollständig gelesen."
            )
        if listing is not None:
            if (
                not listing.full
                and not listing.etags
                and not listing.deleted
                and self._locally_unchanged(local, state)
            ):
                return None, listing.sync_token or answer.token, b.ctag
            return listing, listing.sync_token, b.ctag
        if answer.unsupported and not self.dry_run:
            b.supports_sync = False
            syncbase.save_fields(b, "supports_sync")
        ctag = answer.ctag
        if ctag and known and ctag == b.ctag and self._locally_unchanged(local, state):
            return None, None, ctag
        return self.client.list_etags(self.href), None, ctag

    def _confirmed_token(self) -> str | None:
        """After our writes: a sync token whose view equals the state, or None."""
        try:
            post = self.client.changes(self.href, self.token_used)
        except DavError:
            return None
        known = syncbase.all_etags(self.side.table, self.binding)
        for href, etag in post.etags.items():
            if known.get(href) != etag and href not in self.ignored_hrefs:
                return None  # changed by someone else meanwhile: read it next time
        if any(href in known for href in post.deleted):
            return None
        if post.full and any(href not in post.etags for href in known):
            return None
        return post.sync_token

    def _build_remote(self, listing: Listing, state: list[StateItem]) -> None:
        """The whole collection as known now: listing (or state + delta) + fetched objects.

        Objects the side leaves alone (`others`) are kept apart from the items.
        """
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
                    syncbase.forget(self.side.table, self.binding, href)
        total = self._fetch_total = len(to_fetch)
        self._progress("fetch", 0, total)
        fetched = self.client.multiget(self.href, to_fetch)
        try:
            for done, obj in enumerate(fetched, 1):
                if self.cancelled():
                    raise Cancelled()
                if done % 100 == 0 and not self.streaming:  # streaming tells its imports
                    self._progress("fetch", done, total)
                try:
                    item = self._take(obj)
                except self.side.not_an_item:
                    self._other(obj)
                except self.side.unreadable as exc:
                    # Unreadable: treated as unchanged (never as deleted) and reported.
                    self.position_safe = False
                    self.report.errors.append(
                        ItemError("", "", obj.href, "read", self.side.message(exc), _detail(exc))
                    )
                else:
                    if self.streaming:
                        self._part.append(item)
                        if len(self._part) >= STREAM_PART:
                            self._import_part()
            self._import_part()  # the rest (nothing is in flight any more)
        finally:
            # The next batch may be in flight on the client's helper thread: let it end
            # before anything else uses the session.
            close = getattr(fetched, "close", None)
            if close is not None:
                close()
        if not self.streaming:
            self._progress("fetch", total, total)
        oversized = list(getattr(self.client, "oversized_hrefs", ()))[self._oversized_before :]
        if oversized:
            self.position_safe = False
            self.report.notes.append(
                f"{len(oversized)} {self.wording.items} {self.wording.of_collection} "
                "sind größer als 10 MB und wurden nicht gelesen (z. B. "
                f"{oversized[0]}); sie bleiben auf dem Server unverändert und werden beim "
                "nächsten Abgleich erneut abgefragt. Verkleinern Sie sie auf dem Server "
                "(meist ist es ein sehr großes Foto)."
            )
        missing = 0
        for href, etag in etags.items():
            if href in self.remote_by_href or href in self.others:
                continue
            s = self.state_by_href.get(href)
            if s is not None and s.etag == etag:
                # Unchanged since the last sync: what the state knows is still true.
                self.remote_by_href[href] = RemoteItem(href, etag, s.uid, s.remote_hash, "")
            else:
                # Listed but not delivered (deleted meanwhile, or unreadable): next run.
                missing += href not in oversized
                if s is not None:
                    self.remote_by_href[href] = RemoteItem(href, s.etag, s.uid, s.remote_hash, "")
        if missing:
            self.position_safe = False
            self.report.notes.append(
                f"{missing} {self.wording.items} wurden vom Server aufgelistet, aber nicht "
                "geliefert; sie werden beim nächsten Abgleich erneut abgefragt."
            )

    def _other(self, obj: RemoteCard) -> None:
        """An object of a kind the side leaves alone: remembered, never changed or deleted."""
        self.others[obj.href] = obj.etag
        # Was an item, is something else now: the local item is left as it is, unlinked.
        self.state_by_href.pop(obj.href, None)
        if not self.dry_run:
            syncbase.put_state(
                self.side.table,
                self.binding,
                obj.href,
                obj.etag,
                "",
                self.side.other_hash(obj.text),
                "",
                None,
                kind="other",
            )

    def _bring_back_changed(self, result: Plan) -> None:
        """Two-way: a card under the UID of an item deleted in Contactbox (the deletion
        already carried out on the server) that is back and differs from the deleted
        version: another client changed it before it saw the deletion and, by the same
        rule, uploaded it again. As with a deletion that meets a change before it reached
        the server, the change wins: the item comes back from the trash with the server's
        version (the deleted one in its history). An unchanged copy stays deleted."""
        for i, a in enumerate(result.actions):
            r = self.remote_by_href.get(a.href or "") if a.kind is Kind.SKIP_DELETED else None
            trashed = self.side.trashed_version(a.uid) if r is not None else None
            if r is not None and trashed is not None and trashed[1] != r.hash:
                result.actions[i] = Action(Kind.RESTORE_LOCAL, a.uid, r.href, trashed[0], r.etag)

    def _note_duplicate_uids(self, result: Plan) -> None:
        """Server objects whose UID another one already has: left alone (never imported
        twice), and named, so the user can remove the copy on the server."""
        dups = [a for a in result.actions if a.reason == "duplicate-uid"]
        if not dups:
            return
        names = ", ".join(f"„{self._name(a)}“ ({a.href})" for a in dups[:5])
        more = f" und {len(dups) - 5} weitere" if len(dups) > 5 else ""
        self.report.notes.append(
            f"Nicht übernommen, weil ihre UID auf dem Server schon vergeben ist (Doppel): "
            f"{names}{more}. Bitte löschen Sie die Doppel auf dem Server oder geben Sie "
            "ihnen dort eine eigene UID."
        )

    # ------------------------------------------------------------------ read-only

    def _for_read_only(self, result: Plan) -> Plan:
        """The binding was read-only: ask once more (the rights may have been granted
        since), and if it still is, plan no server writes."""
        if not self.client.read_only(self.href):
            self.read_only = False
            if not self.dry_run:
                self.binding.read_only = False
                syncbase.save_fields(self.binding, "read_only")
            return result
        actions: list[Action] = []
        for action in result.actions:
            kept = read_only_action(action)
            if kept is None:
                self.report.kept_local += 1
            else:
                actions.append(kept)
        guarded = set(result.guarded)
        if not any(a.kind is Kind.DELETE_SERVER for a in actions):
            guarded.discard("local")  # no deletion would go to the server
        return replace(result, actions=actions, guarded=guarded)

    def _refused_for_read_only(self, action: Action, exc: Exception) -> bool:
        """A server write refused with 403: True if the collection turns out to be
        read-only for us (remembered for later runs); the action then stays local."""
        if action.kind not in SERVER_WRITES or getattr(exc, "status", 0) != 403:
            return False
        if not self.read_only:
            if not self.client.read_only(self.href):
                return False  # refused for another reason: that item's error
            self.read_only = True
            self.binding.read_only = True
            syncbase.save_fields(self.binding, "read_only")
        self._keep_local(action)
        return True

    def _keep_local(self, action: Action) -> None:
        """A server write not sent because the collection is read-only."""
        self._figure(action, -1)
        kept = read_only_action(action)
        if kept is None:
            self.report.kept_local += 1
            return
        self._figure(kept, +1)
        self._apply(kept)  # a conflict: the server's version wins

    def _note_kept_local(self) -> None:
        n = self.report.kept_local
        if n:
            what = self.wording.collection
            self.report.notes.append(
                f"{n} Änderungen aus Contactbox wurden nicht übertragen: "
                f"{what[:1].upper()}{what[1:]} ist auf dem Server schreibgeschützt (nur "
                "Lesen). Sie bleiben in Contactbox erhalten und werden übertragen, sobald "
                "der Server Schreibrechte gibt."
            )

    # ------------------------------------------------------------------ figures

    def _count(self, result: Plan) -> None:
        self.report.count_plan(result)
        self.report.server_only += len(self.others)
        held = guarded_kinds(result.guarded)
        if held and self.dry_run:
            self.report.guarded = sorted(result.guarded)
            self.report.held_back = sum(1 for a in result.actions if a.kind in held)

    def _reset_done_figures(self, result: Plan, held: set[Kind]) -> None:
        """In a run, figures count what was done: held-back deletions do not count."""
        for a in result.actions:
            if a.kind in held and (name := figure_of(a.kind)):
                setattr(self.report, name, getattr(self.report, name) - 1)

    def _figure(self, action: Action, delta: int) -> None:
        """Count an action in (+1) or out of (-1) the report's figures."""
        name = figure_of(action.kind)
        if name is not None:
            setattr(self.report, name, getattr(self.report, name) + delta)
        if action.conflict:
            self.report.conflicts += delta

    def _fail(self, action: Action, name: str, exc: Exception) -> None:
        self._figure(action, -1)
        if action.kind in _LOCAL_WRITES:
            self.position_safe = False
        self.report.errors.append(
            ItemError(
                name,
                action.uid,
                action.href or "",
                action.kind.value,
                self.side.message(exc),
                _detail(exc),
            )
        )

    def _progress(self, phase: str, done: int, total: int, current: str = "") -> None:
        self.on_progress(Progress(self.report.book, phase, done, total, current))

    def _name(self, action: Action) -> str:
        if action.href and action.href in self.fetched:
            return self.fetched[action.href].name
        return self.side.item_name(action.contact_id)

    # ------------------------------------------------------------------ applying

    def _take(self, obj: RemoteCard) -> RemoteItem:
        """Read a fetched object once: remember its text, UID, hash and name."""
        f = self.side.read(obj.href, obj.text)
        self.fetched[obj.href] = f
        old = self.remote_by_href.get(obj.href)
        etag = obj.etag or (old.etag if old is not None else "")
        item = RemoteItem(obj.href, etag, f.uid, f.hash, f.key)
        self.remote_by_href[obj.href] = item
        return item

    def _remote(self, href: str) -> Fetched[S]:
        """The server object as fetched this run (read again if it was not)."""
        if href not in self.fetched:
            obj = self.client.get(href)
            if obj is None:
                raise DavError(
                    f"{self.wording.item} ist auf dem Server nicht mehr vorhanden.", href
                )
            self._take(obj)
        return self.fetched[href]

    def _apply_one(self, action: Action, i: int, total: int) -> None:
        name = self._name(action)
        self._progress("apply", i, total, name)
        try:
            self._apply(action)
        except FATAL:
            raise
        except LocalChanged:
            self._figure(action, -1)
            self._changed.append((action, name))
        except self.side.item_errors as exc:
            if not self._refused_for_read_only(action, exc):
                self._fail(action, name, exc)

    def _seen(self, item_id: int) -> Seen:
        """The local item as the plan saw it: the precondition of a write over it."""
        return Seen(self.seen_hash.get(item_id))

    def _decide_changed(self) -> None:
        """Local items changed by the user after planning (an edit saved in the window, the
        CLI or another process): nothing was written over them. Each is decided again with
        its current version — an edit against a server change is a conflict decided by the
        preference, the loser kept in the history — and carried out now; if it changes yet
        again meanwhile, the next run takes it."""
        while self._changed:
            action, name = self._changed.pop(0)
            note = f"„{name}“ wurde während des Abgleichs in Contactbox geändert und neu bewertet."
            remote = self.remote_by_href.get(action.href) if action.href else None
            for new in self._decide_again(action, remote):
                self._figure(new, +1)
                try:
                    self._apply(new, replanned=True)
                except FATAL:
                    raise
                except LocalChanged:
                    self._figure(new, -1)
                    self.position_safe = False  # its server version was not applied
                    note = (
                        f"„{name}“ wurde während des Abgleichs mehrmals in Contactbox "
                        "geändert; der nächste Abgleich gleicht es ab."
                    )
                    break
                except self.side.item_errors as exc:
                    if not self._refused_for_read_only(new, exc):
                        self._fail(new, name, exc)
            self.report.notes.append(note)

    def _decide_again(self, a: Action, remote: RemoteItem | None) -> list[Action]:
        """The actions for one item, planned again with its local item as it is now.

        A first-run pair (no state yet) stays a pair: it is decided as a pair again,
        even if the edit changed the name or e-mail that matched it.
        """
        local = None
        if a.contact_id is not None:
            local = self.side.local_item(a.contact_id)
            self.seen_hash[a.contact_id] = local.hash if local is not None else None
        state = self.state_by_href.get(a.href) if a.href else None
        if state is None and local is not None and remote is not None:
            return [decide_pair(self.mode, local, remote, a.adopt_uid)]
        result = plan(
            self.mode,
            [local] if local is not None else [],
            [remote] if remote is not None else [],
            [state] if state is not None else [],
            self._tombs,
        )
        return [new for new in result.actions if new.href in (a.href, None)]

    def _apply(self, a: Action, *, replanned: bool = False) -> None:
        b = self.binding
        side = self.side
        k = a.kind
        if k is Kind.SERVER_ONLY:
            if a.href and a.href in self.fetched and a.reason != "duplicate-uid":
                # Left alone by this operation (OneWay): known, so deltas stay complete.
                f = self.fetched[a.href]
                syncbase.put_state(side.table, b, a.href, a.etag or "", f.uid, f.hash, "", None)
            elif a.href:
                self.ignored_hrefs.add(a.href)
            return
        if k is Kind.SKIP_DELETED:
            if a.href:
                self.ignored_hrefs.add(a.href)
            return
        if k is Kind.FORGET:
            assert a.href is not None
            syncbase.forget(side.table, b, a.href)
            return
        if k is Kind.REFRESH:
            assert a.href is not None and a.etag is not None
            got = self.fetched.get(a.href)
            syncbase.refresh(side.table, b, a.href, a.etag, got.hash if got else None)
            return
        if k is Kind.LINK:
            assert a.href is not None and a.contact_id is not None
            r = self.remote_by_href[a.href]
            side.link(a.contact_id, a.href, r.etag, a.uid, r.hash, self._seen(a.contact_id))
            return
        if k is Kind.ADD_LOCAL:
            assert a.href is not None
            f = self._remote(a.href)
            side.import_item(a.href, a.etag or self.remote_by_href[a.href].etag, f)
            return
        if k in (Kind.UPDATE_LOCAL, Kind.RESTORE_LOCAL):
            assert a.href is not None and a.contact_id is not None
            f = self._remote(a.href)
            etag = a.etag or self.remote_by_href[a.href].etag
            restore = k is Kind.RESTORE_LOCAL
            side.overwrite(
                a.contact_id,
                a.href,
                etag,
                f,
                conflict=a.conflict,
                restore=restore,
                seen=self._seen(a.contact_id),
            )
            if a.conflict:
                self.report.conflict_notes.append(ConflictNote(self._name(a), a.uid, "server"))
            return
        if k is Kind.DELETE_LOCAL:
            assert a.href is not None and a.contact_id is not None
            side.trash_from_server(a.contact_id, a.href, self._seen(a.contact_id))
            return
        if self.read_only:
            self._keep_local(a)  # learned during this run: no more server writes
            return
        if not self.wrote_server:
            self.wrote_server = True
            if b.supports_sync:
                # From now on the saved token predates our writes: forget it first, so a
                # run that is killed or cancelled lists in full next time (see _run).
                syncbase.drop_token(b)
        try:
            if k is Kind.ADD_SERVER:
                self._add_server(a)
            elif k is Kind.UPDATE_SERVER:
                self._update_server(a)
            elif k is Kind.DELETE_SERVER:
                assert a.href is not None
                self.client.delete(a.href, a.etag or "")
                side.deleted_on_server(a.contact_id, a.href, a.uid)
        except PreconditionFailed:
            if replanned or a.href is None:
                raise
            self._replan(a)

    def _settle(self, result: WriteResult, sent: str) -> tuple[str, str, str]:
        """(href, etag, stored text) after a PUT; re-read when the server gave no ETag."""
        if result.etag:
            return result.href, result.etag, sent
        obj = self.client.get(result.href)
        if obj is None:
            raise DavError(
                f"Der Server hat {self.wording.item_object} nach dem Hochladen nicht geliefert."
            )
        return result.href, obj.etag, obj.text

    def _add_server(self, a: Action) -> None:
        assert a.contact_id is not None
        up = self.side.upload_text(a.contact_id, a.uid)
        name = object_name(a.uid)
        try:
            result = self.client.create(self.href, up.text, name=name)
        except PreconditionFailed:
            existing = self.side.uploaded_before(name, a.uid)
            if existing is None:
                # An object of that name exists already (not ours): a fresh name, once.
                result = self.client.create(self.href, up.text, name=str(uuid.uuid4()).upper())
            elif self.side.other_hash(existing.text) == self.side.other_hash(up.text):
                # Our own earlier upload whose answer was lost (a dropped connection, a
                # killed run): take it over instead of uploading a second copy.
                self.side.record_upload(
                    a.contact_id,
                    existing.href,
                    existing.etag,
                    a.uid,
                    existing.text,
                    sent_hash=up.local_hash,
                )
                return
            else:
                # Ours, but of an earlier version of the item: this version replaces it.
                result = self.client.update(existing.href, up.text, existing.etag)
        href, etag, stored = self._settle(result, up.text)
        self.side.record_upload(a.contact_id, href, etag, a.uid, stored, sent_hash=up.local_hash)

    def _update_server(self, a: Action) -> None:
        assert a.contact_id is not None and a.href is not None
        history: str | None = None
        note = ""
        if a.href in self.fetched and (a.conflict or not self.side.history_only_on_conflict):
            # The server's version is overwritten: keep it in the item's history.
            history = self.fetched[a.href].text
            note = "Version vom Server (überschrieben)"
        up = self.side.upload_text(a.contact_id, a.uid)
        try:
            result = self.client.update(a.href, up.text, a.etag or "")
        except PreconditionFailed:
            raise
        except Exception:
            if a.adopt_uid:
                # A first-run match whose upload failed: paired, not in sync, so the next
                # run uploads it again (no duplicate, no pair taken as equal).
                r = self.remote_by_href[a.href]
                self.side.link_pending(a.contact_id, a.href, r.etag, a.uid, r.hash)
            raise
        href, etag, stored = self._settle(result, up.text)
        # (A contact matched by name + e-mail takes the server's UID only now.)
        self.side.record_upload(
            a.contact_id,
            href,
            etag,
            a.uid,
            stored,
            sent_hash=up.local_hash,
            history_text=history,
            history_note=note,
        )
        if a.conflict:
            self.report.conflict_notes.append(ConflictNote(self._name(a), a.uid, "contactbox"))

    def _replan(self, a: Action) -> None:
        """412: the object changed on the server during our run — re-read it, decide again."""
        assert a.href is not None
        self.fetched.pop(a.href, None)
        obj = self.client.get(a.href)
        remote = self._take(obj) if obj is not None else None
        self._figure(a, -1)
        for new in self._decide_again(a, remote):
            self._figure(new, +1)
            try:
                self._apply(new, replanned=True)
            except LocalChanged:  # and changed here too: decided again once more
                self._figure(new, -1)
                self._changed.append((new, self._name(new)))
        self.report.notes.append(
            f"„{self._name(a)}“ wurde während des Abgleichs auf dem Server geändert und "
            "neu bewertet."
        )
