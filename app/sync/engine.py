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

`CollectionSync` itself holds the run (`run`, `_run`: the order of the phases, the
dry-run and guarded cases, the position saved at the end) and carrying out a list of
actions in batches (`_apply_all`). The rest are parts mixed in with the engine's method
names, one module each: listing and position (`app.sync.listing.ListingPart`), fetching
and the streaming first import (`app.sync.streaming.StreamingPart`), applying actions
(`app.sync.applying.ApplyPart`), read-only collections (`app.sync.read_only.ReadOnlyPart`)
the report's figures (`app.sync.figures.FiguresPart`) and the three-way merge of items
both sides changed (`app.sync.merging.MergePart`). `Progress` and `Cancelled` come
from `app.sync.progress` and are importable from here.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from typing import TypeVar

from app.background import in_background, result_of, wait_for
from app.dav.errors import (
    DavError,
    kind_of_exception,
)
from app.i18n import _, ngettext
from app.store import syncbase
from app.sync import quiet
from app.sync.applying import FATAL, ApplyPart
from app.sync.details import DetailList, texts_for
from app.sync.figures import FiguresPart
from app.sync.listing import ListingPart
from app.sync.merging import MergePart, PlannedMerge
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
)
from app.sync.progress import CancelFn, Cancelled, Progress, ProgressFn
from app.sync.read_only import ReadOnlyPart
from app.sync.report import BookReport
from app.sync.sides import AnyBinding, CollectionClient, Fetched, LocalSide, Recreating, Wording
from app.sync.streaming import StreamingPart

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

S = TypeVar("S")  # what a side reads from one server object (vCard / event summary)


# Re-exported: the run's shapes are imported from the engine (execute, calendar, ui, tests).
__all__ = [
    "LOCAL_BATCH",
    "LOCAL_KINDS",
    "AnyBinding",
    "CancelFn",
    "Cancelled",
    "CollectionSync",
    "Progress",
    "ProgressFn",
]


class CollectionSync(
    ApplyPart[S], ListingPart[S], StreamingPart[S], ReadOnlyPart, FiguresPart[S], MergePart[S]
):
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
        self._wipe_due = False  # "Neu anlegen": the local side is still to be emptied
        # Changes of the apply phase, for the progress: carried out, planned, and (while a
        # streaming first import fetches) still expected from what is not fetched yet.
        self._changes_done = 0
        self._changes_total = 0
        self._changes_expected = 0
        # hrefs the client refused (other host, outside the collection) before this run
        self._foreign_before = len(getattr(client, "ignored_hrefs", ()))
        self._oversized_before = len(getattr(client, "oversized_hrefs", ()))
        # Group cards, counted apart from the items (app.sync.figures): the local ones'
        # ids, the server objects that are group cards, and those added (+) or deleted
        # (-) on the server by this run.
        self.group_ids: frozenset[int] = frozenset()
        self.group_hrefs: set[str] = set()
        self._server_groups_delta = 0
        # Each item counted in, with its changed fields (app.sync.details; app.sync.figures
        # keeps it in step with the figures): the report's `details` when the run ends.
        self.details = DetailList(self.report.book, texts_for(wording.report))
        # Conflicts the three-way merge resolves, by href (app.sync.merging).
        self.merges: dict[str, PlannedMerge] = {}
        self.details.merges = self.merges

    # ------------------------------------------------------------------ run

    def run(self) -> BookReport:
        try:
            self._run()
        except Cancelled:
            self.position_safe = False
            self.report.notes.append(_("Vom Benutzer abgebrochen."))
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
            self.report.error = _(
                "Der Abgleich wurde wegen eines internen Fehlers abgebrochen "
                "({error}). Es ging nichts verloren; der nächste Abgleich "
                "setzt fort. Bleibt der Fehler, senden Sie bitte diesen Bericht an den Support."
            ).format(error=f"{type(exc).__name__}: {exc}")
            self.report.error_kind = "other"
            self.position_safe = False
        finally:
            self.report.details = self.details.items()
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
        # In a resident process (tray, daemon): nothing changed here since the last quiet
        # run, and the server has no news either? Then the local side is not read at all.
        mark = None if wiping or self.dry_run else quiet.still_quiet(side.table, self.binding)
        if mark is not None and self._no_server_news(result_of(pending), known=known):
            _none, token, ctag = self._list([], [], result_of(pending), known=known, unchanged=True)
            rep.unchanged = True
            quiet.repeat_figures(mark, rep)
            syncbase.finish_binding(
                self.binding, token=token, ctag=ctag, save_position=True, status="ok"
            )
            quiet.remember(side.table, self.binding, mark.seq, rep)
            return
        # the local counter before the local side is read (None: nothing to remember)
        seq = None if wiping or self.dry_run else quiet.local_seq(side.table, self.binding)
        try:
            if self._writes_server(wiping):
                side.before_reading()
            local = side.local_items()
            state = [] if wiping else syncbase.state_items(side.table, self.binding)
            self.others = {} if wiping else syncbase.other_states(side.table, self.binding)
            tombs = frozenset() if wiping else side.tombstone_uids()
            self.state_by_href = {s.href: s for s in state}
            self.seen_hash = {lo.contact_id: lo.hash for lo in local}
            self._know_groups(state)
        except Exception:
            wait_for(pending)  # the session is free again before anything else uses it
            raise
        # (On Ctrl+C the process ends: the request in flight is not waited for.)
        listing, token, ctag = self._list(local, state, result_of(pending), known=known)
        if listing is None:
            # Nothing changed on either side since the last run.
            rep.unchanged = True
            self._count_items([s.href for s in state], [lo.contact_id for lo in local])
            rep.server_only = len(self.others)
            if not self.dry_run:
                syncbase.finish_binding(
                    self.binding, token=token, ctag=ctag, save_position=True, status="ok"
                )
                if seq is not None:
                    quiet.remember(side.table, self.binding, seq, rep)
            return

        # The very first run into an empty local side can only import (plan(): every server
        # item is new, matched by nothing, deleting nothing), and so can "Neu anlegen" once
        # the local side is emptied: then each fetched part is imported while the server
        # prepares the next, instead of all after the last (the wipe comes right before
        # the first part is stored: a listing or first batch that fails changes nothing).
        self.streaming = (
            not self.dry_run
            and self.mode.operation is not Operation.ONEWAY
            and (wiping or (not local and not state and not self.others))
        )
        self._tombs = tombs
        self._wipe_due = wiping
        self._count_items([], [lo.contact_id for lo in local])  # (wiping: what goes)
        with side.first_import() if self.streaming else nullcontext():
            self._build_remote(listing, state)
        self._count_items(list(self.remote_by_href), [lo.contact_id for lo in local])

        if wiping:
            self._wipe_once()  # (nothing on the server, or a check)
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
            elif self.mode.operation is Operation.SYNC and not self.read_only:
                self._merge_conflicts(result)  # both sides changed: merged where it can be
            self._count(result)
        self._count_items(list(self.remote_by_href), [lo.contact_id for lo in local])
        self._note_duplicate_uids(result)
        if self.others:
            n = len(self.others)
            rep.notes.append(
                self.wording.pick(
                    ngettext(
                        "{n} Eintrag des Adressbuchs ist keine Karte; er bleibt auf dem "
                        "Server unberührt.",
                        "{n} Einträge des Adressbuchs sind keine Karten; sie bleiben auf dem "
                        "Server unberührt.",
                        n,
                    ),
                    ngettext(
                        "{n} Eintrag des Kalenders ist kein Termin (z. B. eine Aufgabe); er "
                        "bleibt auf dem Server unberührt.",
                        "{n} Einträge des Kalenders sind keine Termine (z. B. Aufgaben); sie "
                        "bleiben auf dem Server unberührt.",
                        n,
                    ),
                ).format(n=n)
            )

        if self.dry_run:
            self._note_kept_local()
            if wiping:
                rep.local_count = side.count_live()
                rep.local_groups = side.count_groups()
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
                    ngettext(
                        "{n} Termin/Wiedervorlage wurde den neuen Kontakten zugeordnet.",
                        "{n} Termine/Wiedervorlagen wurden den neuen Kontakten zugeordnet.",
                        moved,
                    ).format(n=moved)
                )
        rep.local_count = side.count_live()
        rep.local_groups = side.count_groups()
        self._note_kept_local()
        # Both counts as they stand after the run, so they can be compared.
        rep.server_count += rep.added_server - rep.deleted_server
        rep.server_groups += self._server_groups_delta
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
            n = len(foreign)
            rep.notes.append(
                self.wording.pick(
                    ngettext(
                        "{n} Eintrag der Serverantwort verweist auf einen anderen Server oder "
                        "liegt außerhalb des Adressbuchs; er wurde ignoriert ({example}).",
                        "{n} Einträge der Serverantwort verweisen auf andere Server oder "
                        "liegen außerhalb des Adressbuchs; sie wurden ignoriert "
                        "(z. B. {example}).",
                        n,
                    ),
                    ngettext(
                        "{n} Eintrag der Serverantwort verweist auf einen anderen Server oder "
                        "liegt außerhalb des Kalenders; er wurde ignoriert ({example}).",
                        "{n} Einträge der Serverantwort verweisen auf andere Server oder "
                        "liegen außerhalb des Kalenders; sie wurden ignoriert "
                        "(z. B. {example}).",
                        n,
                    ),
                ).format(n=n, example=foreign[0])
            )
        syncbase.finish_binding(
            self.binding, token=new_token, ctag=ctag, save_position=save, status=status
        )

    def _wipe_once(self) -> None:
        """ "Neu anlegen": every local item goes to the trash, once per run (a check only
        counts it). The group cards among them are group changes (app.sync.figures), the
        rest the items deleted in Contactbox."""
        if not self._wipe_due:
            return
        self._wipe_due = False
        rep = self.report
        rep.groups_changed += rep.local_groups
        rep.deleted_local = rep.local_count
        if not self.dry_run and self.recreating is not None:
            next_option = AFTER_RECREATE[self.mode.operation].value
            self.recreating.wipe_for_recreate(next_option)

    def _writes_server(self, wiping: bool) -> bool:
        """Does this run write local changes to the server (two-way or OneWay, not a
        check, not "Neu anlegen", not a read-only collection)?"""
        return (
            not self.dry_run
            and not wiping
            and not self.read_only
            and self.mode.operation is not Operation.IMPORT
        )

    def _know_groups(self, state: list[StateItem]) -> None:
        """Which local items and which server objects known from the state are group
        cards (counted apart: app.sync.figures); fetched objects tell it when read."""
        ids, uids = self.side.group_cards()
        self.group_ids = ids
        self.group_hrefs = {
            s.href
            for s in state
            if (s.contact_id in ids if s.contact_id is not None else s.uid in uids)
        }

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
        names = ", ".join(
            _("„{name}“ ({href})").format(name=self._name(a), href=a.href) for a in dups[:5]
        )
        if len(dups) > 5:
            names = _("{names} und {n} weitere").format(names=names, n=len(dups) - 5)
        self.report.notes.append(
            _(
                "Nicht übernommen, weil ihre UID auf dem Server schon vergeben ist (Doppel): "
                "{names}. Bitte löschen Sie die Doppel auf dem Server oder geben Sie "
                "ihnen dort eine eigene UID."
            ).format(names=names)
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
