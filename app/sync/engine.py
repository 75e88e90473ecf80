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

The listing part — the listing request, the remote view, unknown and unreadable objects,
and how far the position may advance — is `app.sync.listing.ListingPart`, mixed in with
the same method names (`_ask_server`, `_list`, `_build_remote`, `_confirmed_token`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import TypeVar

from app.background import in_background, result_of, wait_for
from app.dav.errors import (
    DavError,
    kind_of_exception,
)
from app.dav.model import RemoteCard
from app.store import syncbase
from app.store.models import Binding, CalendarBinding
from app.sync.applying import FATAL, ApplyPart
from app.sync.listing import ListingPart
from app.sync.modes import AFTER_RECREATE, Mode, Operation
from app.sync.plan import (
    SERVER_WRITES,
    WRITING,
    Action,
    Kind,
    Plan,
    RemoteItem,
    StateItem,
    guarded_kinds,
    plan,
    read_only_action,
)
from app.sync.report import BookReport, ItemError, figure_of
from app.sync.sides import CollectionClient, Fetched, LocalSide, Recreating, Wording

log = logging.getLogger(__name__)

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
    """Where a run stands: phase "list" | "fetch" | "apply", done of total, current name.

    `done` / `total` count the items the phase goes through (in "apply": every action,
    links and skips too). `changes_done` / `changes_total` count the changes of the apply
    phase only (the kinds the report counts as new, updated or deleted on either side):
    carried out so far, and planned as far as known (a streaming first import estimates
    the rest from what is still to fetch; its last "apply" progress is exact).
    """

    book: str
    phase: str
    done: int
    total: int
    current: str = ""
    changes_done: int = 0
    changes_total: int = 0


ProgressFn = Callable[[Progress], None]
CancelFn = Callable[[], bool]


class Cancelled(Exception):
    """The user cancelled between two items."""


def _detail(exc: Exception) -> str:
    return str(getattr(exc, "detail", ""))


class CollectionSync(ApplyPart[S], ListingPart[S]):
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
            collection=wording.report,
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
        # Changes of the apply phase, for the progress: carried out, planned, and (while a
        # streaming first import fetches) still expected from what is not fetched yet.
        self._changes_done = 0
        self._changes_total = 0
        self._changes_expected = 0
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
                self.recreating.wipe_for_recreate(next_option)
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
        if self.streaming:
            # Carried out while fetching: the last progress of the apply phase, exact now.
            self._changes_expected = 0
            self._progress("apply", len(self._streamed), len(self._streamed))
        else:
            self._apply_all(todo)
        if self.recreating is not None:  # this run's "Neu anlegen" or an interrupted one's
            moved = self.recreating.reattach(complete=self.position_safe and not rep.errors)
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
        self._changes_expected = max(0, self._fetch_total - len(self._streamed) - len(self.others))
        # Progress as "apply" of everything fetched: the import is what takes the time.
        self._apply_all(actions, offset=done, total=self._fetch_total)
        for a in actions:
            if a.kind is Kind.ADD_LOCAL and a.href is not None:
                self.fetched.pop(a.href, None)  # stored now: the text is not needed again

    def _apply_all(self, todo: list[Action], *, offset: int = 0, total: int = 0) -> None:
        """Carry out the actions; progress counts from `offset` of `total` (default: these)."""
        count = len(todo)
        total = total or count
        self._changes_total += sum(1 for a in todo if a.kind in WRITING)
        # Apply starts (outside any transaction): the first progress of this phase.
        self._progress("apply", offset, total)
        i = 0
        while i < count:
            if self.cancelled():
                self._uncount(todo[i:])
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

    # ------------------------------------------------------------------ fetching

    def _fetch(self, objs: Iterable[RemoteCard], total: int) -> None:
        """Read fetched objects (the listing part, app.sync.listing, says which): each is
        taken, left alone as an object of another kind, or recorded as unreadable. A
        streaming first import imports them part by part meanwhile."""
        try:
            for done, obj in enumerate(objs, 1):
                if self.cancelled():
                    raise Cancelled()
                if done % 100 == 0 and not self.streaming:  # streaming tells its imports
                    self._progress("fetch", done, total)
                try:
                    item = self._take(obj)
                except self.side.not_an_item:
                    self._other(obj)
                except self.side.unreadable as exc:
                    self._unreadable(obj, exc)  # named once, does not hold the position
                else:
                    if self.streaming:
                        self._part.append(item)
                        if len(self._part) >= STREAM_PART:
                            self._import_part()
            self._import_part()  # the rest (nothing is in flight any more)
        finally:
            # The next batch may be in flight on the client's helper thread: let it end
            # before anything else uses the session.
            close = getattr(objs, "close", None)
            if close is not None:
                close()

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

    def _uncount(self, actions: list[Action]) -> None:
        """Cancelled: the changes not carried out leave the figures (a run's figures
        count what was done; the report and the run window show them)."""
        for a in actions:
            if a.kind in WRITING:
                self._figure(a, -1)

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
                # a refused item is named in the server's refusal ("… den Kontakt „X“ …")
                exc.message_for(name) if isinstance(exc, DavError) else self.side.message(exc),
                _detail(exc),
            )
        )

    def _progress(self, phase: str, done: int, total: int, current: str = "") -> None:
        changes = self._changes_total + self._changes_expected
        self.on_progress(
            Progress(self.report.book, phase, done, total, current, self._changes_done, changes)
        )

    def _name(self, action: Action) -> str:
        if action.href and action.href in self.fetched:
            return self.fetched[action.href].name
        return self.side.item_name(action.contact_id)
