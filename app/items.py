"""The plain items a sync plans over: a local item, a server object, the last sync's state.

A leaf module (standard library only): the store (app/store/syncbase.py, syncstate.py,
calsync.py) hands these out and the sync (app/sync/plan.py and the engine) decides over them,
so neither package has to import the other for them. `app.sync.plan` re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LocalItem:
    """A live (not trashed) contact of the local book."""

    contact_id: int
    uid: str
    hash: str  # normalized content hash (UID excluded)
    key: str  # match key: formatted name + first e-mail


@dataclass(frozen=True)
class RemoteItem:
    """A card on the server as known now (fetched, or unchanged since the state)."""

    href: str
    etag: str
    uid: str
    hash: str
    key: str


@dataclass(frozen=True)
class StateItem:
    """What the last successful sync saw of one server card and its contact."""

    href: str
    etag: str
    uid: str
    remote_hash: str
    local_hash: str
    contact_id: int | None  # None: a server card Contactbox did not take over
