"""plan(): the pure decision table of SPEC §4 over plain data.

Given what Contactbox holds, what the server holds and what the last sync saw, say
what to do with every contact. No I/O: the "check" (Ausgewählte Ordner prüfen) is
this plan shown to the user, and execute() carries it out. One commented branch per
cell of the decision table (vdirsyncer's `_get_actions` is the model).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from app.items import LocalItem as LocalItem  # the item types live in a leaf module
from app.items import RemoteItem as RemoteItem
from app.items import StateItem as StateItem
from app.sync.modes import Mode, Operation, Option


class Kind(StrEnum):
    ADD_LOCAL = "add_local"  # import a server card as a new contact
    UPDATE_LOCAL = "update_local"  # overwrite the contact with the server card
    DELETE_LOCAL = "delete_local"  # move the contact to the trash (deleted on the server)
    RESTORE_LOCAL = "restore_local"  # take it out of the trash with the server's version
    ADD_SERVER = "add_server"  # upload a contact as a new card
    UPDATE_SERVER = "update_server"  # overwrite the card with the contact (If-Match)
    DELETE_SERVER = "delete_server"  # delete the card (If-Match)
    LINK = "link"  # same contact on both sides: remember it, write nothing
    REFRESH = "refresh"  # only the ETag changed (server re-serialized): update the state
    FORGET = "forget"  # gone on both sides: drop the state
    SKIP_DELETED = "skip_deleted"  # deleted in Contactbox: not imported again
    SERVER_ONLY = "server_only"  # a server card this operation leaves alone
    # Both sides changed a contact: the three-way merge of both edits goes to both sides
    # (If-Match there, the plan's version here). Never planned by plan(): a conflict
    # becomes one where the merge succeeds (app.sync.merging).
    MERGE = "merge"


@dataclass(frozen=True)
class Action:
    kind: Kind
    uid: str
    href: str | None = None
    contact_id: int | None = None
    etag: str | None = None  # precondition for server writes
    conflict: bool = False  # both sides changed; the loser goes to the history
    # (a MERGE with conflict=True: a field was decided by the preference)
    adopt_uid: bool = False  # matched by name + e-mail: the contact takes the server's UID
    reason: str = ""


# Kinds that write something: the rest only inform the report.
WRITING = frozenset(
    {
        Kind.ADD_LOCAL,
        Kind.UPDATE_LOCAL,
        Kind.DELETE_LOCAL,
        Kind.RESTORE_LOCAL,
        Kind.ADD_SERVER,
        Kind.UPDATE_SERVER,
        Kind.DELETE_SERVER,
        Kind.MERGE,
    }
)


SERVER_WRITES = frozenset({Kind.ADD_SERVER, Kind.UPDATE_SERVER, Kind.DELETE_SERVER})


def read_only_action(action: Action) -> Action | None:
    """What an action becomes when the server lets us only read the collection.

    Server writes are not sent: the local change stays in Contactbox (None) and is
    planned again by every run, so it goes up once the user may write. A conflict the
    preference gave to Contactbox goes to the server's version instead — the local one
    is kept in the history, as for any lost conflict — so both sides stay alike.
    """
    if action.kind not in SERVER_WRITES:
        return action
    if action.conflict and action.kind is Kind.UPDATE_SERVER:
        return replace(action, kind=Kind.UPDATE_LOCAL)
    return None


@dataclass
class Plan:
    actions: list[Action] = field(default_factory=list)
    # Mass-deletion guard: "local" = Contactbox lost most contacts (server deletions held
    # back), "server" = the server lost most cards (local deletions held back).
    guarded: set[str] = field(default_factory=set)
    synced_count: int = 0  # contacts linked on both sides before this run

    def count(self, kind: Kind) -> int:
        return sum(1 for a in self.actions if a.kind is kind)

    @property
    def conflicts(self) -> int:
        return sum(1 for a in self.actions if a.conflict)


def _local_status(s: StateItem, local: LocalItem | None) -> str:
    if s.contact_id is None:
        return "none"  # the server card was never taken over locally
    if local is None:
        return "deleted"
    return "same" if local.hash == s.local_hash else "changed"


def _remote_status(s: StateItem, remote: RemoteItem | None) -> str:
    if remote is None:
        return "deleted"
    if remote.etag == s.etag or remote.hash == s.remote_hash:
        return "same"
    return "changed"


def _decide_bound(
    mode: Mode, s: StateItem, lst: str, rst: str, r: RemoteItem | None
) -> Action | None:
    """A card both the state and at least one side know."""
    op, opt = mode.operation, mode.option
    href, cid, uid = s.href, s.contact_id, s.uid
    etag = r.etag if r is not None else None

    # Gone on the server and not held locally (or deleted on both sides): forget it.
    if rst == "deleted" and lst in ("none", "deleted"):
        return Action(Kind.FORGET, uid, href, cid)

    if op is Operation.IMPORT:
        if lst == "deleted":
            # Deleted stays deleted: not re-imported.
            return Action(Kind.SKIP_DELETED, uid, href)
        if rst == "deleted":
            # Import ignores server deletions; the contact stays, the link goes.
            return Action(Kind.FORGET, uid, href, cid, reason="server-deleted")
        if rst == "changed" and opt is Option.UPDATE:
            # Aktualisieren: the server card changed, so it overwrites the local copy.
            return Action(Kind.UPDATE_LOCAL, uid, href, cid, etag)
        if rst == "same":
            return _refresh_if_needed(s, r, cid)
        # Ergänzen leaves existing contacts alone, even where the server card changed.
        return None

    if op is Operation.ONEWAY:
        if lst == "deleted":
            # Deleted in Contactbox: deleted on the server.
            return Action(Kind.DELETE_SERVER, uid, href, cid, etag)
        if rst == "deleted":
            # Deleted on the server only: Contactbox's contact is uploaded again.
            return Action(Kind.ADD_SERVER, uid, href, cid, reason="reupload")
        if lst == "changed" or rst == "changed":
            # Contactbox's version wins; a server edit is overwritten.
            return Action(Kind.UPDATE_SERVER, uid, href, cid, etag)
        return _refresh_if_needed(s, r, cid)

    # Two-way synchronisation.
    if lst == "deleted":
        if rst == "changed":
            # Deleted here but changed there: restored locally with the server version.
            return Action(Kind.RESTORE_LOCAL, uid, href, cid, etag)
        # Deleted here: deleted on the server.
        return Action(Kind.DELETE_SERVER, uid, href, cid, etag)
    if rst == "deleted":
        if lst == "changed":
            # Deleted there but changed here: uploaded again.
            return Action(Kind.ADD_SERVER, uid, href, cid, reason="reupload")
        # Deleted on the server: to the trash here.
        return Action(Kind.DELETE_LOCAL, uid, href, cid)
    if lst == "same" and rst == "changed":
        return Action(Kind.UPDATE_LOCAL, uid, href, cid, etag)
    if lst == "changed" and rst == "same":
        return Action(Kind.UPDATE_SERVER, uid, href, cid, etag)
    if lst == "changed" and rst == "changed":
        return _resolve_conflict(mode, uid, href, cid, etag)
    return _refresh_if_needed(s, r, cid)


def _refresh_if_needed(s: StateItem, r: RemoteItem | None, cid: int | None) -> Action | None:
    if r is not None and r.etag != s.etag:
        return Action(Kind.REFRESH, s.uid, s.href, cid, r.etag)
    return None


def _resolve_conflict(
    mode: Mode, uid: str, href: str, cid: int | None, etag: str | None, adopt: bool = False
) -> Action:
    """Both sides changed: the preference decides, the loser goes to the history."""
    if mode.option is Option.CONTACTBOX:
        return Action(Kind.UPDATE_SERVER, uid, href, cid, etag, conflict=True, adopt_uid=adopt)
    return Action(Kind.UPDATE_LOCAL, uid, href, cid, etag, conflict=True, adopt_uid=adopt)


def decide_pair(mode: Mode, local: LocalItem, remote: RemoteItem, by_key: bool) -> Action:
    """New on both sides and matched (first run): never a duplicate."""
    uid, href, cid, etag = remote.uid, remote.href, local.contact_id, remote.etag
    if local.hash == remote.hash:
        # Same content: only remember that they belong together.
        return Action(Kind.LINK, uid, href, cid, etag, adopt_uid=by_key)
    op = mode.operation
    if op is Operation.IMPORT:
        if mode.option is Option.UPDATE:
            # Aktualisieren: the server's copy overwrites the local one.
            return Action(Kind.UPDATE_LOCAL, uid, href, cid, etag, adopt_uid=by_key)
        # Ergänzen: an existing contact is left untouched.
        return Action(Kind.LINK, uid, href, cid, etag, adopt_uid=by_key, reason="kept")
    if op is Operation.ONEWAY:
        # Contactbox's version goes to the server.
        return Action(Kind.UPDATE_SERVER, uid, href, cid, etag, adopt_uid=by_key)
    return _resolve_conflict(mode, uid, href, cid, etag, adopt=by_key)


def _unique_index(items: Iterable[tuple[str, int]]) -> dict[str, int]:
    """key -> position, only for keys that occur exactly once (ambiguous keys never match)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for key, pos in items:
        if not key or key == "\t":
            continue
        counts[key] += 1
        first.setdefault(key, pos)
    return {k: p for k, p in first.items() if counts[k] == 1}


def plan(
    mode: Mode,
    local: list[LocalItem],
    remote: list[RemoteItem],
    state: list[StateItem],
    tombstone_uids: frozenset[str] = frozenset(),
    *,
    first_run: bool | None = None,
) -> Plan:
    """Decide every contact's action for one book; pure and deterministic.

    first_run: the binding has never completed a run (default: no state yet). A run
    killed half-way has state but is still the first, so the caller says so.
    """
    result = Plan()
    local_by_id = {item.contact_id: item for item in local}
    remote_by_href = {item.href: item for item in remote}
    used_local: set[int] = set()
    used_remote: set[str] = set()

    lost_local = lost_remote = 0
    for s in state:
        r = remote_by_href.get(s.href)
        lo = local_by_id.get(s.contact_id) if s.contact_id is not None else None
        if s.contact_id is not None:
            result.synced_count += 1
            if lo is None:
                lost_local += 1
            if r is None:
                lost_remote += 1
        if s.contact_id is None and r is not None:
            # A server card Contactbox never took over: it joins the new server cards,
            # so it is matched by UID like them (never duplicated).
            continue
        if lo is not None:
            used_local.add(lo.contact_id)
        if r is not None:
            used_remote.add(r.href)
        action = _decide_bound(mode, s, _local_status(s, lo), _remote_status(s, r), r)
        if action is not None:
            result.actions.append(action)

    new_local = [item for item in local if item.contact_id not in used_local]
    new_remote = [item for item in remote if item.href not in used_remote]
    bound_uids = {local_by_id[c].uid for c in used_local}

    # First-run matching, never duplicating: all UID matches first, then formatted
    # name + first e-mail (only keys that are unique on both sides).
    local_uid = _unique_index((item.uid, i) for i, item in enumerate(new_local))
    local_key = _unique_index((item.key, i) for i, item in enumerate(new_local))
    remote_keys = _unique_index((item.key, i) for i, item in enumerate(new_remote))
    pair_of: dict[int, tuple[int, bool]] = {}  # remote position -> (local position, by key)
    matched_local: set[int] = set()
    seen_uids: set[str] = set(bound_uids)
    duplicates: set[int] = set()
    for ri, r in enumerate(new_remote):
        if r.uid in seen_uids:
            # A second server card with a UID already in use (synced contact or another
            # card): left alone and reported, never imported twice.
            duplicates.add(ri)
            continue
        seen_uids.add(r.uid)
        li = local_uid.get(r.uid)
        if li is not None:
            pair_of[ri] = (li, False)
            matched_local.add(li)
    # Name + e-mail only on the very first run (SPEC §4): later, two new contacts with
    # the same name are two people, each with its own UID.
    if first_run is None:
        first_run = not state
    for ri, r in enumerate(new_remote):
        if not first_run:
            break
        if ri in pair_of or ri in duplicates or remote_keys.get(r.key) != ri:
            continue
        li = local_key.get(r.key)
        if li is not None and li not in matched_local and r.uid not in local_uid:
            pair_of[ri] = (li, new_local[li].uid != r.uid)
            matched_local.add(li)

    for ri, r in enumerate(new_remote):
        if ri in pair_of:
            li, by_key = pair_of[ri]
            result.actions.append(decide_pair(mode, new_local[li], r, by_key))
        elif ri in duplicates:
            result.actions.append(
                Action(Kind.SERVER_ONLY, r.uid, r.href, etag=r.etag, reason="duplicate-uid")
            )
        elif r.uid in tombstone_uids:
            # Deleted in Contactbox: a later import does not bring it back.
            result.actions.append(Action(Kind.SKIP_DELETED, r.uid, r.href))
        elif mode.operation is Operation.ONEWAY:
            # OneWay leaves server-only cards alone and reports them.
            result.actions.append(Action(Kind.SERVER_ONLY, r.uid, r.href, etag=r.etag))
        else:
            # Import and two-way: a new server card becomes a new contact.
            result.actions.append(Action(Kind.ADD_LOCAL, r.uid, r.href, etag=r.etag))

    for li, lo in enumerate(new_local):
        if li in matched_local:
            continue
        if mode.operation is not Operation.IMPORT:
            # OneWay and two-way: a new contact is uploaded.
            result.actions.append(Action(Kind.ADD_SERVER, lo.uid, None, lo.contact_id))

    # Mass-deletion guard (SPEC §4): a side that lost more than half of its synced
    # contacts (or all of them) does not propagate deletions without a yes.
    # ("All of them" is covered: losing all of n > 0 is more than half.)
    kinds = {a.kind for a in result.actions}
    if lost_local * 2 > result.synced_count and Kind.DELETE_SERVER in kinds:
        result.guarded.add("local")
    if lost_remote * 2 > result.synced_count and Kind.DELETE_LOCAL in kinds:
        result.guarded.add("server")
    return result


def guarded_kinds(guarded: set[str]) -> set[Kind]:
    """The deletion kinds held back by the guard."""
    kinds: set[Kind] = set()
    if "local" in guarded:
        kinds.add(Kind.DELETE_SERVER)
    if "server" in guarded:
        kinds.add(Kind.DELETE_LOCAL)
    return kinds
