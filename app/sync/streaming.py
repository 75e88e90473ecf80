"""The fetch and streaming-import part of a run, `StreamingPart`, mixed into `CollectionSync`
(app.sync.engine) under the engine's method names: `_fetch` reads the objects the listing
part asks for (each is taken, left alone as an object of another kind by `_other`, or
recorded as unreadable), and on the very first run into an empty local side
`_import_part` plans and carries out each part of `STREAM_PART` fetched items (a quarter
of that for the last ones: `part_size`) while the server prepares the next part — with the
same decision table as a whole-collection plan, counting its actions into the report as it
goes, so that the run only has to finish.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Generic, TypeVar

from app.store import syncbase
from app.sync.plan import Action, Kind, RemoteItem, StateItem, plan
from app.sync.progress import CancelFn, Cancelled

if TYPE_CHECKING:
    from collections.abc import Iterable

    from app.dav.model import RemoteCard
    from app.sync.modes import Mode
    from app.sync.sides import AnyBinding, Fetched, LocalSide

S = TypeVar("S")

# Streaming first import: items per part, about one multiget batch, so that importing a
# part takes about as long as the server needs for the next batch (fetched meanwhile).
STREAM_PART = 500
# New items stored per statement (a part commits whole).
IMPORT_CHUNK = 100


def part_size(remaining: int) -> int:
    """Items in a part that starts with `remaining` items still to come: `STREAM_PART`,
    and a quarter of it for the last `STREAM_PART` items. The multigets end in smaller
    batches as well (app.dav.collection_fetch.batched): the import after the last answer,
    which nothing overlaps any more, is then at most a quarter of a part."""
    return STREAM_PART if remaining > STREAM_PART else max(1, STREAM_PART // 4)


class StreamingPart(Generic[S]):
    """Fetching, and the first import part by part (mixed into `CollectionSync`)."""

    # Set by CollectionSync.__init__ (and its run).
    binding: AnyBinding
    side: LocalSide[S]
    mode: Mode
    dry_run: bool
    cancelled: CancelFn
    fetched: dict[str, Fetched[S]]
    state_by_href: dict[str, StateItem]
    others: dict[str, str]
    streaming: bool
    _part: list[RemoteItem]
    _streamed: list[Action]
    _streamed_uids: set[str]
    _tombs: frozenset[str]
    remote_by_href: dict[str, RemoteItem]
    _fetch_total: int
    _changes_expected: int
    _changes_done: int
    _changes_total: int

    if TYPE_CHECKING:

        def _progress(self, phase: str, done: int, total: int, current: str = "") -> None: ...

        def _take(self, obj: RemoteCard) -> RemoteItem: ...

        def _unreadable(self, obj: RemoteCard, exc: Exception) -> None: ...

        def _figure(self, action: Action, delta: int) -> None: ...

        def _apply_all(self, todo: list[Action], *, offset: int = 0, total: int = 0) -> None: ...

        def _uncount(self, actions: list[Action]) -> None: ...

        def _wipe_once(self) -> None: ...

    def _fetch(self, objs: Iterable[RemoteCard], total: int) -> None:
        """Read fetched objects (the listing part, app.sync.listing, says which): each is
        taken, left alone as an object of another kind, or recorded as unreadable. A
        streaming first import imports them part by part meanwhile."""
        limit = part_size(total)
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
                        if not self._part:  # a new part: its size, by what is still to come
                            limit = part_size(total - done + 1)
                        self._part.append(item)
                        if len(self._part) >= limit:
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

    def _import_part(self) -> None:
        """Streaming: plan and carry out the items fetched since the last part.

        The same decision table as a whole-book plan: with nothing local and no state it
        imports each item, skips what was deleted in Contactbox and leaves a second item
        with a UID in use alone — across parts too (the UIDs imported so far). "Neu
        anlegen" empties the local side first, before the first part is stored.
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
        self._wipe_once()
        adds = [a for a in actions if a.kind is Kind.ADD_LOCAL]
        # Progress as "apply" of everything fetched: the import is what takes the time.
        if not self._import_adds(adds, done):
            # One of them could not be stored: one by one, each failure reported alone.
            self._apply_all(adds, offset=done, total=self._fetch_total)
        rest = [a for a in actions if a.kind is not Kind.ADD_LOCAL]
        if rest:
            self._apply_all(rest, offset=done + len(adds), total=self._fetch_total)
        for a in adds:
            if a.href is not None:
                self.fetched.pop(a.href, None)  # stored now: the text is not needed again

    def _import_adds(self, adds: list[Action], done: int) -> bool:
        """Store new items in one transaction, `IMPORT_CHUNK` per write (each with its
        state: a crash rolls back whole items). Progress and "Abbrechen" go item by item
        as in `_apply_all`: cancelled, the items before commit and the rest leave the
        figures. False: an item error rolled them all back, nothing is stored or counted."""
        total = self._fetch_total
        stored = 0
        stop = False
        self._changes_total += len(adds)  # the progress's planned changes, as _apply_all
        try:
            with syncbase.batch():
                while stored < len(adds) and not stop:
                    chunk: list[tuple[str, str, Fetched[S]]] = []
                    for a in adds[stored : stored + IMPORT_CHUNK]:
                        if self.cancelled():
                            stop = True
                            break
                        item = self._new_item(a)
                        self._progress("apply", done + stored + len(chunk), total, item[2].name)
                        chunk.append(item)
                    if chunk:
                        self.side.import_items(chunk)
                        stored += len(chunk)
                        self._changes_done += len(chunk)  # carried out (commit with the part)
        except self.side.item_errors:
            self._changes_done -= stored  # rolled back: counted again one by one
            self._changes_total -= len(adds)
            return False
        if stop:
            self._uncount(adds[stored:])
            raise Cancelled()
        return True

    def _new_item(self, a: Action) -> tuple[str, str, Fetched[S]]:
        assert a.href is not None
        return a.href, a.etag or self.remote_by_href[a.href].etag, self.fetched[a.href]
