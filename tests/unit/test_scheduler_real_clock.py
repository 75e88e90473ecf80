"""The scheduler with the real clock, as the daemon and the tray use it.

Found while testing two processes on one database (issue 9): `contactbox-sync daemon
--once` never ran an account that had never run before (`next_due` read the clock a
second time, after `due_accounts` had taken `now`).
"""

from __future__ import annotations

from app.scheduler import Scheduler
from app.store.models import utcnow


def test_a_new_account_is_due_at_once_with_the_real_clock() -> None:
    scheduler = Scheduler(utcnow)
    scheduler.set_account(1, 15)
    assert scheduler.due_accounts() == [1]
