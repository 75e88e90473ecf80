"""What a background run (tray or daemon) does for one account.

An address-book account runs its enabled OneWay and two-way bindings (one-time imports
are started by hand only); a calendar account runs its users' enabled calendar bindings.

"Neu anlegen" never runs unattended: a binding whose option is still `recreate` (its run
started by hand did not get to the wipe, e.g. no connection) is left out and named in the
report with the reason (`MANUAL_ONLY_DE`); the user starts it by hand.
"""

from __future__ import annotations

from app.store.models import Account, Binding
from app.sync.calendar_jobs import CalendarJob, enabled_bindings
from app.sync.jobs import AccountJob, continuing_bindings
from app.sync.modes import Mode


def background_job(account: Account, trigger: str = "schedule") -> AccountJob | CalendarJob | None:
    """The job for a scheduled run of `account`, or None when it has nothing to sync."""
    if account.kind == "caldav":
        calendars = enabled_bindings(account)
        return CalendarJob(account, calendars, trigger=trigger) if calendars else None
    books = continuing_bindings(account)
    if not books:
        return None
    runs: list[Binding] = []
    by_hand: list[Binding] = []
    for b in books:
        (by_hand if Mode.parse(b.operation, b.option).recreate else runs).append(b)
    return AccountJob(account, runs, trigger=trigger, manual_only=by_hand)
