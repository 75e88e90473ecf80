"""The listing part of a run: what the server's collection holds now, and how far the
position (sync token / ctag) may advance.

`ListingPart` is mixed into `CollectionSync` (app.sync.engine) and keeps the engine's
method names: `_ask_server` (the listing request, on a helper thread), `_list` (a delta,
a full listing, or "nothing changed"), `_build_remote` (the whole collection as known
now: listing or state + delta, fetched objects) and `_confirmed_token` (after our own
writes: a token whose view equals the state). The fetch loop itself stays in the engine
(`_fetch`), because the streaming first import applies while it fetches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from app.dav.errors import DavError, SyncTokenInvalid, SyncUnsupported
from app.dav.model import Listing, RemoteCard
from app.store import syncbase
from app.sync.plan import LocalItem, RemoteItem, StateItem
from app.sync.report import BookReport

if TYPE_CHECKING:
    from collections.abc import Iterable

    from app.sync.engine import AnyBinding, CollectionClient, LocalSide, Wording

S = TypeVar("S")


@dataclass
class _Answer:
    """What the listing request brought back (see `ListingPart._ask_server`)."""

    token: str | None  # the sync token the delta started from (None: a full listing)
    listing: Listing | None  # the sync-collection answer; None without sync-collection
    ctag: str | None  # the collection's ctag, asked where sync-collection is missing
    token_expired: bool = False
    unsupported: bool = False  # the server refused sync-collection after all


class ListingPart(Generic[S]):
    """Listing, remote view and position of one run (mixed into `CollectionSync`)."""

    # Set by CollectionSync.__init__.
    binding: AnyBinding
    client: CollectionClient
    side: LocalSide[S]
    dry_run: bool
    wording: Wording
    report: BookReport
    href: str
    remote_by_href: dict[str, RemoteItem]
    state_by_href: dict[str, StateItem]
    others: dict[str, str]
    position_safe: bool
    token_used: str | None
    ignored_hrefs: set[str]
    streaming: bool
    _fetch_total: int
    _oversized_before: int

    if TYPE_CHECKING:

        def _progress(self, phase: str, done: int, total: int, current: str = "") -> None: ...

        def _fetch(self, objs: Iterable[RemoteCard], total: int) -> None: ...

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
        self._fetch(self.client.multiget(self.href, to_fetch), total)
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
