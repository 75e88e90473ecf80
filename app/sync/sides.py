"""The two sides the sync engine works between, as interfaces (no I/O of their own).

- the remote, `CollectionClient`: what `CardDavClient` and `CalDavClient` both offer;
- the local side, `LocalSide`: one kind's store as the engine reads and writes it
  (contacts: `app.sync.execute.BookSide`; appointments: `app.sync.calendar.CalendarSide`),
  over that kind's per-item writes (`ItemStore`: `app.store.syncstate`, `.calsync`), each a
  compare-and-set against the version the plan saw (`Seen`) where it writes over an item;
- what passes between them: a fetched server object (`Fetched`), an upload (`Upload`),
  the German nouns of a kind's report (`Wording`), and "Neu anlegen" (`Recreating`);
- the binding a run serves (`AnyBinding`: an address book's or a calendar's).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from app.dav.model import Listing, RemoteCard, WriteResult
from app.i18n import _
from app.store import syncbase
from app.store.models import Binding, CalendarBinding
from app.store.syncbase import Seen, StateTable
from app.sync.plan import LocalItem
from app.sync.report import ADDRESS_BOOK, CALENDAR

if TYPE_CHECKING:
    from app.store.syncmerge import Kept
    from app.vcard.merge import MergeResult

S = TypeVar("S")  # what a side reads from one server object (vCard / event summary)
S_in = TypeVar("S_in", contravariant=True)
AnyBinding = Binding | CalendarBinding


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


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class Fetched(Generic[S]):
    """A server object read once this run: its text and what the side read from it."""

    text: str
    uid: str
    hash: str
    summary: S
    name: str  # for progress, errors and conflict notes
    key: str  # first-run match key ("" : UID matching only)
    # What reading changed in `text` (German; e.g. a raw binary photo left out): said in
    # the report when the text is stored locally.
    notes: tuple[str, ...] = ()
    group: bool = False  # a group card: matched by UID only, counted apart from people


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class Upload:
    """A local item's text as uploaded, and the item's local hash it was built from."""

    text: str
    local_hash: str


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class Wording:
    """What a side's report and messages speak of: address book cards or appointments.

    A message is written whole for each (German nouns, articles and cases do not combine
    from fragments, and fragments cannot be translated): `pick(_("… Karten …"),
    _("… Termine …"))` chooses the one of this side."""

    report: str = ADDRESS_BOOK  # the report's `collection`: "addressbook" | "calendar"

    def pick(self, book: str, calendar: str) -> str:
        """`calendar` for a calendar's side, else `book` (both already translated)."""
        return calendar if self.report == CALENDAR else book


class Recreating(Protocol):
    """A side that can start over ("Neu anlegen": address books only)."""

    def wipe_for_recreate(self, next_option: str) -> int:
        """Local items to the trash, the binding's memory cleared, the items to re-attach
        remembered (one transaction); how many went."""
        ...

    def reattach(self, *, complete: bool) -> int:
        """Links of the items a wipe remembered moved to their new counterparts; how many.
        `complete`: the run applied the whole collection (what is still missing stays)."""
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
    #: the three-way merge of an item both sides changed (contacts: `ContactMerger`);
    #: None: a conflict keeps the whole-item rule (appointments)
    merger: Merger | None = None

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

    def group_cards(self) -> tuple[frozenset[int], frozenset[str]]:
        """The ids and UIDs of the local group cards (live or in the trash): counted
        apart from the items (app.sync.figures); none where the kind has no groups."""
        return frozenset(), frozenset()

    def count_groups(self) -> int:
        """The live local group cards."""
        return 0

    def before_reading(self) -> None:
        """Before a run that writes to the server reads the local side: what the kind
        has to bring up to date first (contacts: deleted contacts leave group cards)."""

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

    def import_items(self, items: Sequence[tuple[str, str, Fetched[S]]]) -> None:
        """Server objects (href, ETag, fetched) become new local items, each with its
        state, inside the caller's transaction: a failure raises, and the caller's batch
        rolls back whole. The kind may write them all at once (contacts do)."""
        for href, etag, f in items:
            self.import_item(href, etag, f)

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
            note=_("Version aus Contactbox (Konflikt, Server bevorzugt)") if conflict else "",
            restore=restore,
            seen=seen,
        )

    def trash_from_server(self, item_id: int, href: str, seen: Seen) -> None:
        self.store.trash_from_server(self.binding, item_id, href, seen=seen)

    def link(
        self,
        item_id: int,
        href: str,
        etag: str,
        uid: str,
        remote_hash: str,
        seen: Seen,
        base: str | None = None,
    ) -> None:
        """Same item on both sides: remember it. `base`: the server's text, for a kind
        that keeps the synced text (contacts: `BookSide`); ignored here."""
        self.store.link(self.binding, item_id, href, etag, uid, remote_hash, seen=seen)

    def link_pending(self, item_id: int, href: str, etag: str, uid: str, remote_hash: str) -> None:
        syncbase.put_pending(self.table, self.binding, href, etag, uid, remote_hash, item_id)

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


class Merger(Protocol):
    """The three-way merge of one kind's items (app.sync.merging; contacts only)."""

    def sources(self, wanted: dict[str, tuple[int, str]]) -> dict[str, tuple[str, str, str]]:
        """href -> (base, local text, local hash) for `wanted` (href -> (item id, the
        state's remote hash)); an item without a valid base is left out."""
        ...

    def merge(self, base: str, local: str, server: str, prefer: str) -> MergeResult | None:
        """The merged item (`prefer`: "local" | "server"), None: no merge possible."""
        ...

    def upload_text(self, item_id: int, uid: str, text: str) -> str:
        """The merged text as it goes to the server."""
        ...

    def local_hash(self, item_id: int) -> str | None:
        """The local item's hash now (None: not live)."""
        ...

    def record(
        self,
        item_id: int,
        href: str,
        etag: str,
        uid: str,
        *,
        local_text: str | None,
        synced_text: str,
        seen: Seen,
        history: tuple[Kept, ...],
    ) -> None:
        """Store the merge (raises LocalChanged if the item is no longer `seen`)."""
        ...

    def record_stale(
        self,
        item_id: int,
        href: str,
        uid: str,
        *,
        seen_text: str,
        seen: Seen,
        history: tuple[Kept, ...],
    ) -> None:
        """The merge reached the server but the item changed here meanwhile."""
        ...


def message_of(exc: Exception) -> str:
    """The German message of a typed error (DavError, CardError, …), else its text."""
    return str(getattr(exc, "message", "") or exc)
