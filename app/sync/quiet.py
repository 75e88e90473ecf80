"""Quiet runs: nothing new on the server, nothing changed here.

The tray and the daemon sync every few minutes inside one long-lived process, cron may run
`contactbox-sync sync` as often, and almost every run finds nothing new. To know that
nothing changed locally, a run compares every live local item's hash with its sync state
(`ListingPart._locally_unchanged`): 10,000 contacts and 3,000 appointments read and
compared at every tick, ~0.4 s of CPU for nothing.

The store counts every committed change of the items it shows (app/store/changes.py:
`store_change`, bumped by triggers in the same transaction, whoever writes — this
process, the CLI, another window). A run that found nothing new on either side remembers
the local scope's counter as it was *before* it read the local side, the binding's
position as that run saved it, and the run's figures (`QuietMark`). The next run of the
binding asks first: the counter and the position still the same? Then nothing changed here
(every change, also one committed while the earlier run read, moved the counter), and if
the server's answer says nothing new either, the run ends with the same figures without
reading the local side. Anything else — a local edit, a run elsewhere that changed the
binding, the server's news, another database — is a miss: the run reads the local side as
always. A run that changed something does not remember (its own writes move the counter);
the next quiet run does, and the ones after it are cheap.

Kept per database file and per binding, in this process (thread-safe: the tray's worker
threads, the daemon) and in the file itself (a `MetaEntry` row per binding, `_stored`), so
that the next process finds it too: `contactbox-sync sync` run again by cron, the window
started again. Both are only ever taken for what they say — the counter and the binding's
row still as the quiet run left them — so a mark read from the file is as safe as one kept
in memory: any change made since, by whichever process, moved one of them; a restored
backup carries the mark of its own last quiet run, true of that file's contents.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from app.store import syncbase
from app.store.db import on_close, open_path
from app.store.models import MetaEntry, database

#: The report's figures a quiet run repeats.
FIGURES = ("server_count", "server_groups", "local_count", "local_groups", "server_only")


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class QuietMark:
    seq: int  # the local scope's change counter before the quiet run read the local side
    position: tuple[Any, ...]  # the binding's row as that run left it
    figures: tuple[int, ...]  # FIGURES of its report


_lock = threading.Lock()
_marks: dict[tuple[str, str, int], QuietMark] = {}


def _forget_all() -> None:
    with _lock:
        _marks.clear()


on_close(_forget_all)


def _key(table: syncbase.StateTable, binding: Any) -> tuple[str, str, int] | None:
    path = open_path()
    if path is None or binding.id is None:  # (a check's binding that is not stored)
        return None
    return (str(path), table.item_field, int(binding.id))


def _scope(table: syncbase.StateTable, binding: Any) -> str | None:
    """The store_change scope of the binding's local items (app/store/changes.py)."""
    if table is syncbase.ITEMS:
        book = binding.book_id
        return None if book is None else f"contacts:{int(book)}"
    return "appointments"


def local_seq(table: syncbase.StateTable, binding: Any) -> int | None:
    """The change counter of the binding's local items now (0: never changed; None: the
    binding is not stored, nothing to remember)."""
    scope = _scope(table, binding)
    if scope is None or binding.id is None:
        return None
    row = database.execute_sql("SELECT seq FROM store_change WHERE scope = ?", (scope,)).fetchone()
    return 0 if row is None else int(row[0])


def _position(binding: Any) -> tuple[Any, ...]:
    """The binding's row as stored now: a run elsewhere or an edit changes it."""
    model = type(binding)
    row = database.execute_sql(
        f"SELECT * FROM {model._meta.table_name} WHERE id = ?", (int(binding.id),)
    ).fetchone()
    return () if row is None else tuple(row)


def _stored_key(key: tuple[str, str, int]) -> str:
    """The `MetaEntry` key of a binding's mark in its database file."""
    return f"quiet-mark:{key[1]}:{key[2]}"


def _stored(key: tuple[str, str, int]) -> QuietMark | None:
    """The mark the file keeps for the binding (None: none, or not one this code wrote)."""
    row = MetaEntry.get_or_none(MetaEntry.key == _stored_key(key))
    if row is None:
        return None
    try:
        seq, position, figures = json.loads(row.value)
        return QuietMark(int(seq), tuple(position), tuple(int(f) for f in figures))
    except (ValueError, TypeError):
        return None


def _store(key: tuple[str, str, int], mark: QuietMark) -> None:
    try:
        value = json.dumps([mark.seq, list(mark.position), list(mark.figures)])
    except TypeError:  # (a column of a kind JSON cannot say: kept in memory only)
        return
    MetaEntry.replace(key=_stored_key(key), value=value).execute()


def still_quiet(table: syncbase.StateTable, binding: Any) -> QuietMark | None:
    """The mark of the binding's last quiet run — this process's, else the one its
    database file keeps (another process's run may have been the last) — if nothing
    changed locally since (its counter and the binding's row as that run left them); else
    None."""
    key = _key(table, binding)
    if key is None:
        return None
    with _lock:
        mark = _marks.get(key)
    from_memory = mark is not None
    if mark is None:
        mark = _stored(key)
        if mark is None:
            return None
    now = (local_seq(table, binding), _position(binding))
    if from_memory and now != (mark.seq, mark.position):
        mark = _stored(key)  # another process's quiet run may have been the last
    if mark is None or now != (mark.seq, mark.position):
        with _lock:
            _marks.pop(key, None)
        return None
    return mark


def remember(table: syncbase.StateTable, binding: Any, seq: int, report: Any) -> None:
    """A run found nothing new on either side (after it saved the binding's position);
    `seq`: the local counter read before it read the local side."""
    key = _key(table, binding)
    if key is None:
        return
    mark = QuietMark(seq, _position(binding), tuple(getattr(report, f) for f in FIGURES))
    with _lock:
        _marks[key] = mark
    _store(key, mark)


def repeat_figures(mark: QuietMark, report: Any) -> None:
    for name, value in zip(FIGURES, mark.figures, strict=True):
        setattr(report, name, value)
