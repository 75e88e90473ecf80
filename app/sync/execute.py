"""execute(): carry out a plan for one bound book — the only code with side effects.

Per item, the server write comes first (with an ETag precondition), then the local
contact and its state commit in one transaction. A 412 re-reads that card and re-plans
it once. A failed item goes into the report and the run goes on; only whole-job
failures (server unreachable, wrong password, TLS) stop the book.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from app import vcard
from app.dav.errors import (
    AuthError,
    DavError,
    HostUnreachable,
    PreconditionFailed,
    SyncTokenInvalid,
    SyncUnsupported,
    TlsError,
)
from app.dav.model import Listing, RemoteBook, RemoteCard, WriteResult
from app.scheduler import kind_of_exception
from app.store import syncstate
from app.store.contacts import count_live, match_key, reattach_links
from app.store.models import Binding
from app.sync.modes import AFTER_RECREATE, Mode
from app.sync.plan import (
    Action,
    Kind,
    LocalItem,
    Plan,
    RemoteItem,
    StateItem,
    guarded_kinds,
    plan,
)
from app.sync.report import BookReport, ConflictNote, ItemError, figure_of

# Errors that concern the whole connection, not one card: they stop the book.
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
LOCAL_BATCH = 250


class BookClient(Protocol):
    """What the engine needs from a CardDAV client (app.dav.carddav.CardDavClient)."""

    def changes(self, book_href: str, token: str | None) -> Listing: ...
    def list_etags(self, book_href: str) -> Listing: ...
    def book_state(self, book_href: str) -> RemoteBook: ...
    def multiget(self, book_href: str, hrefs: Iterable[str]) -> Iterator[RemoteCard]: ...
    def get(self, href: str) -> RemoteCard | None: ...
    def create(self, book_href: str, text: str, *, name: str) -> WriteResult: ...
    def card_href(self, book_href: str, name: str) -> str: ...
    def update(self, href: str, text: str, etag: str) -> WriteResult: ...
    def delete(self, href: str, etag: str) -> None: ...


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


@dataclass
class _Fetched:
    text: str
    uid: str
    hash: str
    summary: vcard.CardSummary

    @property
    def name(self) -> str:
        return self.summary.fn


_NO_ITEM = RemoteItem("", "", "", "", "")


def _message(exc: Exception) -> str:
    return str(getattr(exc, "message", "") or exc)


def _detail(exc: Exception) -> str:
    return str(getattr(exc, "detail", ""))


def _card_name(uid: str) -> str:
    """A safe file name for a new server card, derived from its UID where possible."""
    if re.fullmatch(r"[A-Za-z0-9._@-]{1,120}", uid) and not uid.startswith("."):
        return uid
    return str(uuid.uuid4()).upper()


class BookSync:
    """One run (or check) of one binding."""

    def __init__(
        self,
        binding: Binding,
        client: BookClient,
        *,
        dry_run: bool = False,
        allow_mass_delete: bool = False,
        on_progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> None:
        self.binding = binding
        self.client = client
        self.mode = Mode.parse(binding.operation, binding.option)
        self.dry_run = dry_run
        self.allow_mass_delete = allow_mass_delete
        self.on_progress = on_progress or (lambda p: None)
        self.cancelled = cancelled or (lambda: False)
        self.book_href: str = binding.remote_href
        self.versions = tuple(v for v in (binding.vcard_versions or "").split(",") if v)
        self.report = BookReport(
            book=binding.remote_name or binding.remote_href,
            href=binding.remote_href,
            local_book=binding.book.name,
            mode=f"{self.mode.operation.value}/{self.mode.option.value}".rstrip("/"),
        )
        self.fetched: dict[str, _Fetched] = {}
        self.remote_by_href: dict[str, RemoteItem] = {}
        self.state_by_href: dict[str, StateItem] = {}
        self.position_safe = True  # may the new sync token / ctag be stored?
        self.token_used: str | None = None  # the token our listing started from
        self.wrote_server = False  # did this run change the server?
        self.ignored_hrefs: set[str] = set()  # server cards knowingly kept out of the state
        # hrefs the client refused (other host, outside the book) before this book's run
        self._foreign_before = len(getattr(client, "ignored_hrefs", ()))

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
        old_ids: list[int] = []
        wiping = self.mode.recreate
        self._progress("list", 0, 0)

        local = syncstate.local_items(self.binding.book)
        state = [] if wiping else syncstate.state_items(self.binding)
        tombs = frozenset() if wiping else syncstate.tombstone_uids(self.binding.book)
        self.state_by_href = {s.href: s for s in state}

        listing, token, ctag = self._list(local, state, force_full=wiping)
        if listing is None:
            # Nothing changed on either side since the last run.
            rep.unchanged = True
            rep.server_count = sum(1 for s in state)
            rep.local_count = len(local)
            if not self.dry_run:
                syncstate.finish_binding(
                    self.binding, token=token, ctag=ctag, save_position=True, status="ok"
                )
            return

        self._build_remote(listing, state)
        rep.server_count = len(self.remote_by_href)

        if wiping:
            rep.deleted_local = len(local)
            if not self.dry_run:
                old_ids = syncstate.wipe_for_recreate(
                    self.binding, AFTER_RECREATE[self.mode.operation].value
                )
            local = []
        result = plan(
            self.mode,
            local,
            list(self.remote_by_href.values()),
            state,
            tombs,
            first_run=self.binding.last_sync is None or not state,
        )
        rep.local_count = len(local)
        self._count(result)

        if self.dry_run:
            if wiping:
                rep.local_count = count_live(self.binding.book)
            return

        held = set() if self.allow_mass_delete else guarded_kinds(result.guarded)
        if held:
            rep.guarded = sorted(result.guarded)
            self.position_safe = False
        todo = [a for a in result.actions if a.kind not in held]
        rep.held_back = len(result.actions) - len(todo)
        self._reset_done_figures(result, held)
        total = len(todo)
        i = 0
        while i < total:
            if self.cancelled():
                raise Cancelled()
            if todo[i].kind not in LOCAL_KINDS:
                # A server write commits its local state on its own, right after the
                # server answered: a crash between two writes loses nothing.
                self._apply_one(todo[i], i, total)
                i += 1
                continue
            # A run of local-only actions (imports, server updates, trash, links) commits
            # in batches: each contact still commits together with its sync state, and a
            # crash rolls back whole items only (the next run redoes them).
            with syncstate.batch():
                end = min(total, i + LOCAL_BATCH)
                while i < end and todo[i].kind in LOCAL_KINDS:
                    if self.cancelled():
                        break
                    self._apply_one(todo[i], i, total)
                    i += 1
        self._progress("apply", total, total)
        if old_ids:
            moved = reattach_links(self.binding.book, old_ids)
            if moved:
                rep.notes.append(
                    f"{moved} Termine/Wiedervorlagen wurden den neuen Kontakten zugeordnet."
                )
        rep.local_count = count_live(self.binding.book)
        # Both counts as they stand after the run, so they can be compared.
        rep.server_count += rep.added_server - rep.deleted_server
        status = "errors" if rep.errors else "ok"
        new_token = listing.sync_token if listing.sync_token else token
        save = self.position_safe
        if self.wrote_server and self.binding.supports_sync:
            # Our own writes came after the listing's token. A card created and deleted
            # since a token may be left out of the next delta (RFC 6578), so advance only
            # to a token whose view matches our state, else list in full next time.
            new_token = self._confirmed_token() if self.position_safe else None
            save = True
        foreign = list(getattr(self.client, "ignored_hrefs", ()))[self._foreign_before :]
        if foreign:
            rep.notes.append(
                f"{len(foreign)} Einträge der Serverantwort verweisen auf andere Server oder "
                f"liegen außerhalb des Adressbuchs; sie wurden ignoriert (z. B. {foreign[0]})."
            )
        syncstate.finish_binding(
            self.binding, token=new_token, ctag=ctag, save_position=save, status=status
        )

    # ------------------------------------------------------------------ listing

    def _locally_unchanged(self, local: list[LocalItem], state: list[StateItem]) -> bool:
        by_id = {s.contact_id: s for s in state if s.contact_id is not None}
        if len(by_id) != len(local):
            return False
        return all((s := by_id.get(lo.contact_id)) and s.local_hash == lo.hash for lo in local)

    def _list(
        self, local: list[LocalItem], state: list[StateItem], *, force_full: bool
    ) -> tuple[Listing | None, str | None, str | None]:
        """List the server book: a delta where possible; None when nothing changed at all."""
        b = self.binding
        token = None if force_full or not state else b.sync_token
        self.token_used = token
        if b.supports_sync:
            try:
                listing = self.client.changes(self.book_href, token)
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
                    "Das Synchronisations-Token war abgelaufen; das Adressbuch wurde "
                    "vollständig gelesen."
                )
                self.token_used = None
                listing = self.client.changes(self.book_href, None)
                return listing, listing.sync_token, b.ctag
            except SyncUnsupported:
                if not self.dry_run:
                    b.supports_sync = False
                    b.save()
        info = self.client.book_state(self.book_href)
        ctag = info.ctag
        if (
            ctag
            and not force_full
            and state
            and ctag == b.ctag
            and self._locally_unchanged(local, state)
        ):
            return None, None, ctag
        return self.client.list_etags(self.book_href), None, ctag

    def _confirmed_token(self) -> str | None:
        """After our writes: a sync token whose view equals the state, or None."""
        try:
            post = self.client.changes(self.book_href, self.token_used)
        except DavError:
            return None
        known = {s.href: s.etag for s in syncstate.state_items(self.binding)}
        for href, etag in post.etags.items():
            if known.get(href) != etag and href not in self.ignored_hrefs:
                return None  # changed by someone else meanwhile: read it next time
        if any(href in known for href in post.deleted):
            return None
        if post.full and any(href not in post.etags for href in known):
            return None
        return post.sync_token

    def _build_remote(self, listing: Listing, state: list[StateItem]) -> None:
        """The server's whole book as known now: listing (or state + delta) + fetched cards."""
        if listing.full:
            etags = dict(listing.etags)
        else:
            etags = {s.href: s.etag for s in state if s.href not in listing.deleted}
            etags.update(listing.etags)
        to_fetch = [
            href
            for href, etag in etags.items()
            if (s := self.state_by_href.get(href)) is None or s.etag != etag
        ]
        total = len(to_fetch)
        self._progress("fetch", 0, total)
        done = 0
        for card in self.client.multiget(self.book_href, to_fetch):
            if self.cancelled():
                raise Cancelled()
            done += 1
            if done % 100 == 0:
                self._progress("fetch", done, total)
            try:
                item = self._take(card)
            except vcard.CardError as exc:
                # Unreadable: treated as unchanged (never as deleted) and reported.
                self.position_safe = False
                self.report.errors.append(
                    ItemError("", "", card.href, "read", _message(exc), _detail(exc))
                )
                continue
            etags[card.href] = item.etag
        self._progress("fetch", total, total)
        missing = 0
        for href, etag in etags.items():
            if href in self.remote_by_href:
                continue
            s = self.state_by_href.get(href)
            if s is not None and s.etag == etag:
                # Unchanged since the last sync: what the state knows is still true.
                self.remote_by_href[href] = RemoteItem(href, etag, s.uid, s.remote_hash, "")
            else:
                # Listed but not delivered (deleted meanwhile, or unreadable): next run.
                missing += 1
                if s is not None:
                    self.remote_by_href[href] = RemoteItem(href, s.etag, s.uid, s.remote_hash, "")
        if missing:
            self.position_safe = False
            self.report.notes.append(
                f"{missing} Karten wurden vom Server aufgelistet, aber nicht geliefert; "
                "sie werden beim nächsten Abgleich erneut abgefragt."
            )

    # ------------------------------------------------------------------ figures

    def _count(self, result: Plan) -> None:
        self.report.count_plan(result)
        held = guarded_kinds(result.guarded)
        if held and self.dry_run:
            self.report.guarded = sorted(result.guarded)
            self.report.held_back = sum(1 for a in result.actions if a.kind in held)

    def _reset_done_figures(self, result: Plan, held: set[Kind]) -> None:
        """In a run, figures count what was done: held-back deletions do not count."""
        for a in result.actions:
            if a.kind in held and (name := figure_of(a.kind)):
                setattr(self.report, name, getattr(self.report, name) - 1)

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
        return syncstate.contact_name(action.contact_id)

    # ------------------------------------------------------------------ applying

    def _take(self, card: RemoteCard) -> RemoteItem:
        """Read a fetched card once: remember its text, UID, hash and name."""
        s = vcard.summarize(card.text)
        uid = s.uid or vcard.derive_uid(card.href)
        h = vcard.normalized_hash(card.text)
        self.fetched[card.href] = _Fetched(card.text, uid, h, s)
        etag = card.etag or self.remote_by_href.get(card.href, _NO_ITEM).etag
        item = RemoteItem(card.href, etag, uid, h, match_key(s.fn, s.emails[0] if s.emails else ""))
        self.remote_by_href[card.href] = item
        return item

    def _remote(self, href: str) -> _Fetched:
        """The server card as fetched this run (read again if it was not)."""
        if href not in self.fetched:
            card = self.client.get(href)
            if card is None:
                raise DavError("Die Karte ist auf dem Server nicht mehr vorhanden.", href)
            self._take(card)
        return self.fetched[href]

    def _apply_one(self, action: Action, i: int, total: int) -> None:
        name = self._name(action)
        self._progress("apply", i, total, name)
        try:
            self._apply(action)
        except FATAL:
            raise
        except (DavError, vcard.CardError) as exc:
            self._fail(action, name, exc)

    def _apply(self, a: Action, *, replanned: bool = False) -> None:
        b = self.binding
        k = a.kind
        if k is Kind.SERVER_ONLY:
            if a.href and a.href in self.fetched and a.reason != "duplicate-uid":
                f = self.fetched[a.href]
                syncstate.remember_server_only(b, a.href, a.etag or "", f.uid, f.hash)
            elif a.href:
                self.ignored_hrefs.add(a.href)
            return
        if k is Kind.SKIP_DELETED:
            if a.href:
                self.ignored_hrefs.add(a.href)
            return
        if k is Kind.FORGET:
            assert a.href is not None
            syncstate.forget(b, a.href)
            return
        if k is Kind.REFRESH:
            assert a.href is not None and a.etag is not None
            got = self.fetched.get(a.href)
            syncstate.refresh(b, a.href, a.etag, got.hash if got else None)
            return
        if k is Kind.LINK:
            assert a.href is not None and a.contact_id is not None
            r = self.remote_by_href[a.href]
            syncstate.link(b, a.contact_id, a.href, r.etag, a.uid, r.hash)
            return
        if k is Kind.ADD_LOCAL:
            assert a.href is not None
            f = self._remote(a.href)
            syncstate.import_card(
                b, a.href, a.etag or self.remote_by_href[a.href].etag, f.text, a.uid,
                facts=(f.summary, f.hash),
            )
            return
        if k in (Kind.UPDATE_LOCAL, Kind.RESTORE_LOCAL):
            assert a.href is not None and a.contact_id is not None
            f = self._remote(a.href)
            reason = "conflict" if a.conflict else "server-update"
            syncstate.overwrite_local(
                b,
                a.contact_id,
                a.href,
                a.etag or self.remote_by_href[a.href].etag,
                f.text,
                a.uid,
                facts=(f.summary, f.hash),
                reason=reason,
                note="Version aus Contactbox (Konflikt, Server bevorzugt)" if a.conflict else "",
                restore=k is Kind.RESTORE_LOCAL,
            )
            if a.conflict:
                self.report.conflict_notes.append(ConflictNote(self._name(a), a.uid, "server"))
            return
        if k is Kind.DELETE_LOCAL:
            assert a.href is not None and a.contact_id is not None
            syncstate.trash_from_server(b, a.contact_id, a.href)
            return
        if not self.wrote_server:
            self.wrote_server = True
            if self.binding.supports_sync:
                # From now on the saved token predates our writes: forget it first, so a
                # run that is killed or cancelled lists in full next time (see _run).
                syncstate.drop_token(self.binding)
        try:
            if k is Kind.ADD_SERVER:
                self._add_server(a)
            elif k is Kind.UPDATE_SERVER:
                self._update_server(a)
            elif k is Kind.DELETE_SERVER:
                assert a.href is not None
                self.client.delete(a.href, a.etag or "")
                syncstate.forget(b, a.href)
        except PreconditionFailed:
            if replanned or a.href is None:
                raise
            self._replan(a)

    def _upload_text(self, contact_id: int, uid: str) -> str:
        text, _ = syncstate.contact_text(contact_id)
        text = vcard.ensure_uid(text, uid)
        return vcard.prepare_for_upload(text, self.versions)

    def _settle(self, result: WriteResult, sent: str) -> tuple[str, str, str]:
        """(href, etag, stored text) after a PUT; re-read when the server gave no ETag."""
        if result.etag:
            return result.href, result.etag, sent
        card = self.client.get(result.href)
        if card is None:
            raise DavError("Der Server hat die Karte nach dem Hochladen nicht geliefert.")
        return result.href, card.etag, card.text

    def _add_server(self, a: Action) -> None:
        assert a.contact_id is not None
        text = self._upload_text(a.contact_id, a.uid)
        name = _card_name(a.uid)
        try:
            result = self.client.create(self.book_href, text, name=name)
        except PreconditionFailed:
            existing = self.client.get(self.client.card_href(self.book_href, name))
            if existing is not None and vcard.summarize(existing.text).uid == a.uid:
                # Our own earlier upload whose answer was lost (a dropped connection, a
                # killed run): take it over instead of uploading a second copy.
                syncstate.record_upload(
                    self.binding, a.contact_id, existing.href, existing.etag, a.uid,
                    existing.text,
                )  # fmt: skip
                return
            # A card of that name exists already (not ours): pick a fresh name once.
            result = self.client.create(self.book_href, text, name=str(uuid.uuid4()).upper())
        href, etag, stored = self._settle(result, text)
        syncstate.record_upload(self.binding, a.contact_id, href, etag, a.uid, stored)

    def _update_server(self, a: Action) -> None:
        assert a.contact_id is not None and a.href is not None
        history: str | None = None
        note = ""
        if a.href in self.fetched:
            # The server's version is overwritten: keep it in the contact's history.
            history = self.fetched[a.href].text
            note = "Version vom Server (überschrieben)"
        if a.adopt_uid:
            r = self.remote_by_href[a.href]
            syncstate.link(self.binding, a.contact_id, a.href, r.etag, a.uid, r.hash)
        text = self._upload_text(a.contact_id, a.uid)
        result = self.client.update(a.href, text, a.etag or "")
        href, etag, stored = self._settle(result, text)
        syncstate.record_upload(
            self.binding,
            a.contact_id,
            href,
            etag,
            a.uid,
            stored,
            history_text=history,
            history_note=note,
        )
        if a.conflict:
            self.report.conflict_notes.append(ConflictNote(self._name(a), a.uid, "contactbox"))

    def _replan(self, a: Action) -> None:
        """412: the card changed on the server during our run — re-read it, decide again."""
        assert a.href is not None
        self.fetched.pop(a.href, None)
        card = self.client.get(a.href)
        state = self.state_by_href.get(a.href)
        local = [
            lo for lo in syncstate.local_items(self.binding.book) if lo.contact_id == a.contact_id
        ]
        remote = [self._take(card)] if card is not None else []
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
