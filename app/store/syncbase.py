"""The sync-state writes both kinds share: address books (ItemState) and calendars (EventState).

One state row per (binding, href) remembers what the last sync saw: ETag, UID, the
normalized hash of the server object and of the local item, and the local item's id (None:
a server object Contactbox leaves alone). The two state tables differ only in the name of
the item column and in the calendar's row kind ("event" | "other": VTODO and VJOURNAL are
remembered, never touched), so every write that does not touch the items themselves lives
here once, parametrized by a `StateTable`. The per-kind writes (contact or appointment row
plus its state row in one transaction) stay in `syncstate` and `calsync`.

A server object that cannot be read (a broken vCard or iCalendar) is remembered without a
schema column: its row's `remote_hash` is `UNREADABLE` + the ETag it could not be read at
(see `mark_unreadable`). A synced item keeps its row (link, ETag, local hash); any other
object gets a row with no local item, which the planner never sees.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from app.items import StateItem
from app.store.models import EventState, ItemState, database, utcnow


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class StateTable:
    """A state model, the name of its local-item column, and whether rows carry a kind."""

    model: Any  # ItemState | EventState
    item_field: str  # "contact_id" | "appointment_id"
    has_kind: bool = False
    _sql: dict[str, str] = field(default_factory=dict)

    @property
    def item_column(self) -> Any:
        return getattr(self.model, self.item_field)

    def upsert_sql(self) -> str:
        """INSERT … ON CONFLICT (binding_id, href) DO UPDATE: built once per table."""
        sql = self._sql.get("upsert")
        if sql is None:
            columns = ["etag", "uid", "remote_hash", "local_hash", self.item_field]
            if self.has_kind:
                columns.append("kind")
            names = ", ".join(["binding_id", "href", *columns])
            marks = ", ".join("?" for _ in range(len(columns) + 2))
            updates = ", ".join(f"{c} = excluded.{c}" for c in columns)
            sql = (
                f"INSERT INTO {self.model._meta.table_name} ({names}) VALUES ({marks}) "
                f"ON CONFLICT (binding_id, href) DO UPDATE SET {updates}"
            )
            self._sql["upsert"] = sql
        return sql

    def rows(self, binding: Any) -> Any:
        """The where-clause of one binding's rows."""
        return self.model.binding == binding

    def live_rows(self, binding: Any) -> Any:
        """The rows the planner sees (for calendars: events only)."""
        if self.has_kind:
            return self.rows(binding) & (self.model.kind == "event")
        return self.rows(binding)


#: remote_hash prefix of a row whose server object could not be read at the ETag after it
UNREADABLE = "unreadable:"

ITEMS = StateTable(ItemState, "contact_id")
EVENTS = StateTable(EventState, "appointment_id", has_kind=True)


class LocalChanged(Exception):
    """The local item is no longer the version the sync planned with: the user changed,
    deleted or restored it meanwhile (the GUI, the CLI or another process). Nothing was
    written; the engine decides that item again."""


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class Seen:
    """The local item as the plan saw it: its hash, or None when it was not live (trashed
    or gone). An engine write given a `Seen` is a compare-and-set against it."""

    hash: str | None


def check_seen(seen: Seen | None, current: str | None) -> None:
    """Raise LocalChanged unless the item's current hash (None: not live) is what was seen."""
    if seen is not None and seen.hash != current:
        raise LocalChanged()


def write() -> Any:  # a peewee transaction context
    """The transaction of one engine write to the store (a savepoint inside a batch).

    BEGIN IMMEDIATE: the write lock is taken before the local item is read, so the
    compare-and-set against the version the plan saw cannot be overtaken by a write of the
    GUI or another process between the read and the write (a deferred transaction would
    fail with "database is locked" instead, and the busy timeout would not help).
    """
    return database.atomic("IMMEDIATE")


def batch() -> Any:  # a peewee transaction context
    """One transaction around many local-only item writes (each keeps its own savepoint)."""
    return write()


def bulk_write() -> Any:  # a peewee transaction context, or none inside one
    """The transaction of a write of many items that a failure undoes whole: its own
    (as `write`), or inside a batch the batch's — whose caller rolls back whole when it
    fails (`StreamingPart._import_adds`) — without a savepoint of its own. A savepoint
    copies every page it changes first (SQLite's statement journal, a temporary file):
    for a 100-card part of a first import more than its inserts cost."""
    return nullcontext() if database.in_transaction() else write()


def put_state(
    table: StateTable,
    binding: Any,
    href: str,
    etag: str,
    uid: str,
    remote_hash: str,
    local_hash: str,
    item_id: int | None,
    *,
    new_item: bool = False,
    kind: str = "event",
) -> None:
    """Upsert the state row of (binding, href); a local item has at most one row.

    Plain SQL: this runs once per card of a 10,000-card import, and peewee's query
    building cost more than SQLite's work. `new_item`: the item was created in this
    transaction, so it cannot have another row yet.
    """
    m = table.model
    if item_id is not None and not new_item:
        m.delete().where(
            table.rows(binding) & (table.item_column == item_id) & (m.href != href)
        ).execute()
    values: list[object] = [binding.id, href, etag, uid, remote_hash, local_hash, item_id]
    if table.has_kind:
        values.append(kind)
    database.execute_sql(table.upsert_sql(), values)


def put_pending(
    table: StateTable, binding: Any, href: str, etag: str, uid: str, remote_hash: str,
    item_id: int,
) -> None:  # fmt: skip
    """A first-run match whose upload failed: remember the pair, but not as synced.

    The state row pairs the local item with the server object (so the next run decides
    the same pair again instead of uploading a duplicate) with an empty local hash, which
    never equals an item's: the next run sees a local change and uploads it (or, if the
    server object changed too, resolves the conflict by the preference). The item keeps
    its own UID until a write succeeds.
    """
    with write():
        put_state(table, binding, href, etag, uid, remote_hash, "", item_id)


def state_items(table: StateTable, binding: Any) -> list[StateItem]:
    """The states the planner sees (objects left alone as non-events, and unreadable
    objects that were never synced, are not included)."""
    m = table.model
    unread_unlinked = table.item_column.is_null() & m.remote_hash.startswith(UNREADABLE)
    q = m.select(m.href, m.etag, m.uid, m.remote_hash, m.local_hash, table.item_column).where(
        table.live_rows(binding) & ~unread_unlinked
    )
    return [StateItem(*row) for row in raw_rows(q)]


def raw_rows(query: Any) -> list[tuple[Any, ...]]:
    """The rows of a select as SQLite returns them, without peewee's per-value conversion.

    For reads of every item of a book on each run (plain text and integer columns only):
    at 10,000 contacts peewee's row processing took 0.19 s of a 0.24 s read.
    """
    sql, params = query.sql()
    return list(database.execute_sql(sql, params).fetchall())


def has_rows(table: StateTable, binding: Any) -> bool:
    """Does the binding remember anything (an item or an object left alone)?"""
    m = table.model
    return bool(m.select(m.id).where(table.rows(binding)).limit(1).exists())


def other_states(table: StateTable, binding: Any) -> dict[str, str]:
    """href -> ETag of the objects the sync leaves alone (VTODO, VJOURNAL); none for books."""
    if not table.has_kind:
        return {}
    m = table.model
    q = m.select(m.href, m.etag).where(table.rows(binding) & (m.kind != "event")).tuples()
    return dict(q)


def unreadable_states(table: StateTable, binding: Any) -> dict[str, str]:
    """href -> ETag of the server objects that could not be read at that ETag."""
    m = table.model
    q = m.select(m.href, m.remote_hash).where(
        table.rows(binding) & m.remote_hash.startswith(UNREADABLE)
    )
    return {href: mark[len(UNREADABLE) :] for href, mark in q.tuples()}


def mark_unreadable(table: StateTable, binding: Any, href: str, etag: str) -> None:
    """Remember that the server object `href` could not be read at `etag`.

    A synced item keeps its row as it is (its ETag stays the precondition of a write, so
    a local edit never overwrites the unreadable version); only its server hash becomes
    the mark, so the object counts as changed once it can be read again. Any other object
    gets a row of its own with no local item.
    """
    m = table.model
    mark = UNREADABLE + etag
    linked = (
        m.update(remote_hash=mark)
        .where(table.rows(binding) & (m.href == href) & table.item_column.is_null(False))
        .execute()
    )
    if not linked:
        put_state(table, binding, href, etag, "", mark, "", None)


def all_etags(table: StateTable, binding: Any) -> dict[str, str]:
    """href -> ETag of every object the binding remembers."""
    m = table.model
    return dict(m.select(m.href, m.etag).where(table.rows(binding)).tuples())


def forget(table: StateTable, binding: Any, href: str) -> None:
    m = table.model
    m.delete().where(table.rows(binding) & (m.href == href)).execute()


def refresh(
    table: StateTable, binding: Any, href: str, etag: str, remote_hash: str | None = None
) -> None:
    """Only the server object's ETag (and hash) changed: the items are still equal."""
    m = table.model
    fields: dict[object, str] = {m.etag: etag}
    if remote_hash is not None:
        fields[m.remote_hash] = remote_hash
    m.update(fields).where(table.rows(binding) & (m.href == href)).execute()


def forget_state(table: StateTable, binding: Any) -> None:
    """Drop everything a binding remembers (states, token, ctag, first-run mark)."""
    table.model.delete().where(table.rows(binding)).execute()
    binding.sync_token = None
    binding.ctag = None
    binding.last_sync = None


def drop_token(binding: Any) -> None:
    """Forget the sync token (committed at once): the next listing will be a full one."""
    model = type(binding)
    model.update(sync_token=None).where(model.id == binding.id).execute()
    binding.sync_token = None


def finish_binding(
    binding: Any, *, token: str | None, ctag: str | None, save_position: bool, status: str
) -> None:
    fields = ["last_sync", "last_status"]
    with database.atomic():
        if save_position:
            binding.sync_token = token
            binding.ctag = ctag
            fields += ["sync_token", "ctag"]
        binding.last_sync = utcnow()
        binding.last_status = status
        save_fields(binding, *fields)


def save_fields(row: Any, *names: str) -> None:
    """Write only these columns of a row: an operation or a switch changed elsewhere while
    a run held its copy of the row (the GUI during a CLI run) is not set back."""
    model = type(row)
    row.save(only=[getattr(model, n) for n in names])
