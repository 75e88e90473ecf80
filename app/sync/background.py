"""What a background run (tray or daemon) does for one account.

An address-book account runs its enabled OneWay and two-way bindings (one-time imports
are started by hand only); a calendar account runs its users' enabled calendar bindings.
"""

from __future__ import annotations

from app.store.models import Account
from app.sync.calendar_jobs import CalendarJob, enabled_bindings
from app.sync.jobs import AccountJob, continuing_bindings


def background_job(account: Account, trigger: str = "schedule") -> AccountJob | CalendarJob | None:
    """The job for a scheduled run of `account`, or None when it has nothing to sync."""
    if account.kind == "caldav":
        calendars = enabled_bindings(account)
        return CalendarJob(account, calendars, trigger=trigger) if calendars else None
    books = continuing_bindings(account)
    return AccountJob(account, books, trigger=trigger) if books else None
