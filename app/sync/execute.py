"""BookSync: one run (or check) of one bound address book, on the engine of app.sync.engine.

The engine (`CollectionSync`) lists, fetches, plans and applies; this module is the address
book's side of it: contacts of the local book as the planner sees them (UID first, then
formatted name + first e-mail on the first run; a group card by its UID only), deleted
contacts taken off the group cards before a run that writes to the server, the vCard as
uploaded (the book's vCard version, the UID written in), "Neu anlegen" (the book to the
trash, its memory cleared), and the takeover of a card whose upload answer was lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from app import vcard
from app.dav.errors import DavError
from app.dav.model import RemoteBook, RemoteCard
from app.i18n import _
from app.store import syncbase, syncstate
from app.store.contact_columns import match_key
from app.store.db import list_indexes_dropped
from app.store.live_count import count_live
from app.store.models import Binding, ItemState
from app.store.reattach import reattach_pending
from app.store.syncbase import Seen
from app.sync.applying import FATAL
from app.sync.engine import (
    LOCAL_BATCH,
    LOCAL_KINDS,
    CancelFn,
    Cancelled,
    CollectionSync,
    Progress,
    ProgressFn,
)
from app.sync.merging import ContactMerger
from app.sync.modes import Mode
from app.sync.plan import LocalItem
from app.sync.report import ADDRESS_BOOK
from app.sync.sides import CollectionClient, Fetched, LocalSide, Upload, Wording

# Re-exported: callers import the run's shapes from here (jobs, ui, tests).
__all__ = [
    "FATAL",
    "LOCAL_BATCH",
    "LOCAL_KINDS",
    "BookSide",
    "BookSync",
    "CancelFn",
    "Cancelled",
    "Progress",
    "ProgressFn",
]


class BookClient(CollectionClient, Protocol):
    """What a book run needs from a CardDAV client (app.dav.carddav.CardDavClient): the
    engine's `CollectionClient`, and the book's state, card names and vCard versions."""

    def book_state(self, book_href: str) -> RemoteBook: ...
    def card_href(self, book_href: str, name: str) -> str: ...
    def use_versions(self, book_href: str, versions: Iterable[str]) -> None: ...


BOOK_WORDING = Wording(report=ADDRESS_BOOK)


class BookSide(LocalSide["vcard.CardSummary"]):  # (quoted: the dataclass loads when used)
    """The contacts of one bound local book, as the engine reads and writes them."""

    table = syncbase.ITEMS
    item_errors: tuple[type[Exception], ...] = (DavError, vcard.CardError)
    unreadable: tuple[type[Exception], ...] = (vcard.CardError,)

    def __init__(self, binding: Binding, client: BookClient) -> None:
        super().__init__(binding, syncstate)
        self.client = client
        self.versions = tuple(v for v in (binding.vcard_versions or "").split(",") if v)
        #: where the notes of stored cards go (BookSync: the run report's notes)
        self.report_notes: list[str] = []
        # Cards are asked for in the newest version the book lists (4.0 where it does).
        client.use_versions(binding.remote_href, self.versions)
        # Both sides changed a contact: both edits are merged where a base is kept.
        self.merger = ContactMerger(self)

    def collection_ctag(self, href: str) -> str | None:
        return self.client.book_state(href).ctag

    def first_import(self) -> AbstractContextManager[object]:
        # No contact at all yet: the contact list's indexes are built once at the end.
        return list_indexes_dropped()

    def local_items(self) -> list[LocalItem]:
        return syncstate.local_items(self.binding.book)

    def tombstone_uids(self) -> frozenset[str]:
        return syncstate.tombstone_uids(self.binding.book)

    def trashed_version(self, uid: str) -> tuple[int, str] | None:
        return syncstate.trashed_version(self.binding.book, uid)

    def count_live(self) -> int:
        return count_live(self.binding.book)

    def group_cards(self) -> tuple[frozenset[int], frozenset[str]]:
        return syncstate.group_cards(self.binding.book)

    def count_groups(self) -> int:
        return syncstate.count_group_cards(self.binding.book)

    def before_reading(self) -> None:
        # A contact deleted in Contactbox leaves the group cards that name it, so the
        # group cards go up without it in this run (a member nobody here knows stays).
        if syncstate.count_group_cards(self.binding.book):
            from app.store import groups  # (only a book with group cards)

            groups.prune_deleted_members(self.binding.book)

    def item_name(self, item_id: int | None) -> str:
        return syncstate.contact_name(item_id)

    def read(self, href: str, text: str) -> Fetched[vcard.CardSummary]:
        # A card holds no control characters (a raw binary photo is left out): the local
        # copy is stored without them, and its hash is the hash of what is stored, for the
        # state's remote and local hash alike — so the server's card, unchanged, is no
        # server change on the next run, and the local copy is no local change to upload.
        clean = vcard.sanitize(text)
        s, content_hash = vcard.summarize_and_hash(clean.text)  # one parse for both
        uid = s.uid or vcard.derive_uid(href)
        group = s.kind == "group"
        # A group card is matched by its UID only, never by name + e-mail: a group
        # "Presse" is not the person "Presse", nor another group of the same name.
        key = "" if group else match_key(s.fn, s.emails[0] if s.emails else "")
        notes = (clean.message(),) if clean.changed else ()
        return Fetched(clean.text, uid, content_hash, s, s.fn, key, notes, group=group)

    def other_hash(self, text: str) -> str:
        try:
            return vcard.normalized_hash(text)
        except vcard.CardError:
            return ""

    def import_item(self, href: str, etag: str, f: Fetched[vcard.CardSummary]) -> None:
        syncstate.import_card(self.binding, href, etag, f.text, f.uid, facts=(f.summary, f.hash))
        self._note_stored(href, f)

    def import_items(self, items: Sequence[tuple[str, str, Fetched[vcard.CardSummary]]]) -> None:
        # All rows of a part in two statements (no peewee object, no savepoint per card).
        cards = [(href, etag, f.text, f.uid, (f.summary, f.hash)) for href, etag, f in items]
        syncstate.import_cards(self.binding, cards)
        for href, _etag, f in items:
            self._note_stored(href, f)

    def overwrite(
        self,
        item_id: int,
        href: str,
        etag: str,
        f: Fetched[vcard.CardSummary],
        *,
        conflict: bool,
        restore: bool,
        seen: Seen,
    ) -> None:
        super().overwrite(item_id, href, etag, f, conflict=conflict, restore=restore, seen=seen)
        self._note_stored(href, f)

    def _note_stored(self, href: str, f: Fetched[vcard.CardSummary]) -> None:
        """What reading changed in a card that is now stored locally, once in the report."""
        for note in f.notes:
            self.report_notes.append(
                _(
                    "„{name}“ ({href}): {note} Die Karte auf dem Server wird deshalb "
                    "nicht geändert."
                ).format(name=f.name or href, href=href, note=note)
            )

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
        syncstate.link(self.binding, item_id, href, etag, uid, remote_hash, seen=seen, base=base)

    def deleted_on_server(self, item_id: int | None, href: str, uid: str) -> None:
        # The contact's tombstone was left when it went to the trash: only the state goes.
        syncbase.forget(self.table, self.binding, href)

    def upload_text(self, item_id: int, uid: str) -> Upload:
        text, own_uid, local_hash = syncstate.upload_source(item_id)
        # A contact matched by name + e-mail goes up with the server card's UID (and
        # takes it locally once the server accepted it); others keep theirs.
        text = vcard.set_uid(text, uid) if own_uid != uid else vcard.ensure_uid(text, uid)
        accepted = self.accepted_versions(item_id, text)
        return Upload(vcard.prepare_for_upload(text, accepted), local_hash)

    def accepted_versions(self, item_id: int, text: str) -> tuple[str, ...]:
        """The versions a contact may go up in: those the book lists, and, for a card the
        server already holds, the card's own 3.0 or 4.0. A card goes back in the version
        it came in: the server handed out (or took) it that way, even where it lists only
        3.0 (SabreDAV 1.8, Xandikos store vCard 4.0 as sent)."""
        own = vcard.summarize(text).version
        if not self.versions or own in self.versions or own not in ("3.0", "4.0"):
            return self.versions  # (none listed: 3.0 and 4.0 go up as they are anyway)
        held = ItemState.select().where(
            (ItemState.binding == self.binding) & (ItemState.contact_id == item_id)
        )
        return (*self.versions, own) if held.exists() else self.versions

    def uploaded_before(self, name: str, uid: str) -> RemoteCard | None:
        """The card under `name` if it is ours (same UID): an upload whose answer was lost."""
        existing = self.client.get(self.client.card_href(self.binding.remote_href, name))
        if existing is not None and vcard.summarize(existing.text).uid == uid:
            return existing
        return None

    def wipe_for_recreate(self, next_option: str) -> int:
        return syncstate.wipe_for_recreate(self.binding, next_option)

    def reattach(self, *, complete: bool) -> int:
        return reattach_pending(self.binding, complete=complete)


class BookSync(CollectionSync["vcard.CardSummary"]):
    """One run (or check) of one binding of an address book."""

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
        side = BookSide(binding, client)
        super().__init__(
            binding,
            client,
            side,
            mode=Mode.parse(binding.operation, binding.option),
            local_name=binding.book.name,
            wording=BOOK_WORDING,
            recreating=side,
            dry_run=dry_run,
            allow_mass_delete=allow_mass_delete,
            on_progress=on_progress,
            cancelled=cancelled,
        )
        side.report_notes = self.report.notes
