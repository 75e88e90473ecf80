"""app.scheduler: due times, missed runs, backoff, pause, locks — with a fake clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.dav.errors import AuthError, DavError, HostUnreachable, ServerError, TlsError
from app.scheduler import (
    MAX_BACKOFF,
    NETWORK_RETRY,
    Scheduler,
    kind_of_exception,
    kind_of_message,
)

START = datetime(2024, 3, 1, 8, 0, 0)


class FakeClock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sched(clock: FakeClock) -> Scheduler:
    s = Scheduler(clock)
    s.set_account(1, 15)
    return s


def run(s: Scheduler, account_id: int, ok: bool = True, kind: str | None = None) -> bool:
    """One whole run; returns whether the user is notified."""
    s.record_start(account_id)
    return s.record_result(account_id, ok, kind).notify  # type: ignore[arg-type]


def test_new_account_is_due_at_once_then_every_interval(sched: Scheduler, clock: FakeClock) -> None:
    assert sched.due_accounts(clock()) == [1]
    run(sched, 1)
    assert sched.get(1).last_success == START  # type: ignore[union-attr]
    assert sched.due_accounts(clock.advance(minutes=14, seconds=59)) == []
    assert sched.due_accounts(clock.advance(seconds=1)) == [1]
    run(sched, 1)
    assert sched.next_due(1) == clock() + timedelta(minutes=15)


def test_disabled_account_never_due_and_interval_changes_apply(
    sched: Scheduler, clock: FakeClock
) -> None:
    run(sched, 1)
    sched.set_account(1, 15, enabled=False)
    assert sched.due_accounts(clock.advance(hours=5)) == []
    assert sched.next_due(1) is None
    sched.set_account(1, 60, enabled=True)
    assert sched.due_accounts(clock()) == [1]  # overdue by far: runs once
    run(sched, 1)
    assert sched.due_accounts(clock.advance(minutes=59)) == []
    assert sched.due_accounts(clock.advance(minutes=1)) == [1]


def test_missed_runs_after_sleep_happen_once(sched: Scheduler, clock: FakeClock) -> None:
    run(sched, 1)
    clock.advance(hours=8)  # the laptop slept through 32 intervals
    assert sched.due_accounts(clock()) == [1]
    run(sched, 1)
    assert sched.due_accounts(clock()) == []
    assert sched.due_accounts(clock.advance(minutes=10)) == []
    assert sched.due_accounts(clock.advance(minutes=5)) == [1]


def test_clock_going_back_waits_one_interval_not_more(sched: Scheduler, clock: FakeClock) -> None:
    run(sched, 1)
    clock.now = START - timedelta(hours=3)
    assert sched.due_accounts(clock()) == []
    assert sched.due_accounts(clock.advance(minutes=15)) == [1]


def test_most_overdue_first_and_sync_accounts(clock: FakeClock) -> None:
    s = Scheduler(clock)
    s.sync_accounts([(1, 15, True), (2, 5, True), (3, 15, False)])
    run(s, 1)
    run(s, 2)
    clock.advance(minutes=30)
    assert s.due_accounts() == [2, 1]  # 2 was due 25 min ago, 1 only 15 min ago
    s.sync_accounts([(1, 15, True)])
    assert [e.account_id for e in s.accounts()] == [1]


def test_backoff_doubles_and_is_capped(sched: Scheduler, clock: FakeClock) -> None:
    waits = []
    for _ in range(8):
        assert sched.due_accounts(clock()) == [1]
        run(sched, 1, ok=False, kind="server")
        due = sched.next_due(1)
        assert due is not None
        waits.append(due - clock())
        clock.now = due
    m = timedelta(minutes=1)
    assert waits[:4] == [30 * m, 60 * m, 120 * m, 240 * m]
    assert waits[4:] == [MAX_BACKOFF] * 4
    run(sched, 1, ok=True)  # recovers: back to the plain interval
    assert sched.next_due(1) == clock() + 15 * m
    assert sched.get(1).failures == 0  # type: ignore[union-attr]


def test_failures_notify_once_per_streak(sched: Scheduler, clock: FakeClock) -> None:
    notes = []
    for _ in range(4):
        notes.append(run(sched, 1, ok=False, kind="server"))
        clock.now = sched.next_due(1)  # type: ignore[assignment]
    assert notes == [True, False, False, False]
    run(sched, 1, ok=True)
    clock.advance(minutes=15)
    assert run(sched, 1, ok=False, kind="other") is True  # a new streak is news again
    clock.now = sched.next_due(1)  # type: ignore[assignment]
    assert run(sched, 1, ok=False, kind="server") is True  # another kind of trouble


def test_wrong_password_holds_until_manual_success_or_edit(
    sched: Scheduler, clock: FakeClock
) -> None:
    assert run(sched, 1, ok=False, kind="auth") is True
    assert sched.next_due(1) is None
    assert sched.due_accounts(clock.advance(days=3)) == []  # never hammers the server
    # a manual run that fails again does not resume it, nor notify twice
    assert sched.try_acquire(1)
    sched.record_start(1)
    assert sched.record_result(1, False, "auth", manual=True).notify is False
    assert sched.due_accounts(clock.advance(days=1)) == []
    # a manual run that works resumes the schedule
    assert sched.try_acquire(1)
    sched.record_start(1)
    sched.record_result(1, True, manual=True)
    assert sched.next_due(1) == clock() + timedelta(minutes=15)
    # … and so does editing the account (reset): due at once
    run(sched, 1, ok=False, kind="auth")
    sched.reset(1)
    assert sched.due_accounts(clock()) == [1]


def test_network_waits_quietly_with_short_retries(sched: Scheduler, clock: FakeClock) -> None:
    sched.set_account(1, 60)
    notes = []
    for _ in range(12):  # 55 minutes of being offline
        assert sched.due_accounts(clock()) == [1]
        notes.append(run(sched, 1, ok=False, kind="network"))
        assert sched.next_due(1) == clock() + NETWORK_RETRY  # no doubling
        clock.advance(minutes=5)
    assert not any(notes)
    assert run(sched, 1, ok=False, kind="network") is True  # an hour offline: say it once
    clock.advance(minutes=5)
    assert run(sched, 1, ok=False, kind="network") is False
    clock.advance(minutes=5)
    assert run(sched, 1, ok=True) is False
    assert sched.next_due(1) == clock() + timedelta(minutes=60)


def test_network_retry_never_longer_than_interval(clock: FakeClock) -> None:
    s = Scheduler(clock)
    s.set_account(7, 2)
    run(s, 7, ok=False, kind="network")
    assert s.next_due(7) == clock() + timedelta(minutes=2)


def test_manual_network_failure_is_told_at_once(sched: Scheduler) -> None:
    sched.record_start(1)
    assert sched.record_result(1, False, "network", manual=True).notify is True


def test_pause_and_resume_runs_missed_once(sched: Scheduler, clock: FakeClock) -> None:
    run(sched, 1)
    sched.pause()
    assert sched.due_accounts(clock.advance(hours=2)) == []
    sched.resume()
    assert sched.due_accounts(clock()) == [1]
    run(sched, 1)
    assert sched.due_accounts(clock.advance(minutes=1)) == []


def test_one_job_per_account_shared_with_manual_runs(sched: Scheduler, clock: FakeClock) -> None:
    sched.set_account(2, 15)
    assert sched.try_acquire(1)  # a manual run takes account 1
    assert sched.is_running(1) and sched.any_running()
    assert not sched.try_acquire(1)
    assert sched.due_accounts(clock()) == [2]  # 1 is busy, 2 may go
    sched.record_start(1)
    sched.record_result(1, True, manual=True)
    assert not sched.is_running(1)
    assert sched.try_acquire(1)
    sched.release(1)  # cancelled: lock free, nothing recorded
    assert not sched.is_running(1)
    assert sched.get(1).failures == 0  # type: ignore[union-attr]
    # an account the scheduler does not know yet (manual run first) is locked too
    assert sched.try_acquire(99) and not sched.try_acquire(99)
    assert 99 not in sched.due_accounts(clock())


def test_request_now_and_defer(sched: Scheduler, clock: FakeClock) -> None:
    run(sched, 1, ok=False, kind="auth")
    sched.request_now(1)
    assert sched.due_accounts(clock()) == [1]
    sched.defer(1)  # nothing to run: look again after one interval
    assert sched.due_accounts(clock()) == []
    assert sched.get(1).last_success is None  # type: ignore[union-attr]


def test_seed_and_overview(sched: Scheduler, clock: FakeClock) -> None:
    sched.set_account(2, 15)
    sched.seed(1, last_attempt=START - timedelta(minutes=5), last_success=START)
    sched.seed(2, last_attempt=START - timedelta(hours=1))
    assert sched.due_accounts(clock()) == [2]
    assert sched.last_success() == START
    run(sched, 2, ok=False, kind="server")
    assert sched.failing_accounts() == [2]
    sched.forget(2)
    assert sched.failing_accounts() == []


def test_kind_of_exception() -> None:
    assert kind_of_exception(AuthError()) == "auth"
    assert kind_of_exception(HostUnreachable()) == "network"
    assert kind_of_exception(ServerError(status=503)) == "server"
    assert kind_of_exception(ServerError("Die Verbindung …", status=0)) == "network"
    assert kind_of_exception(DavError()) == "server"
    assert kind_of_exception(TlsError()) == "other"
    assert kind_of_exception(ValueError("x")) == "other"


def test_kind_of_message() -> None:
    assert kind_of_message(AuthError().message) == "auth"
    assert kind_of_message(HostUnreachable().message) == "network"
    assert (
        kind_of_message(
            "Der Server 127.0.0.1 lehnt Verbindungen auf Port 9 ab. Bitte prüfen Sie "
            "Port und Serveradresse."
        )
        == "network"
    )
    assert kind_of_message(ServerError().message) == "server"
    assert kind_of_message("Der Server ist vorübergehend überlastet …") == "server"
    assert kind_of_message(TlsError().message) == "other"
    assert kind_of_message("") == "other"


def test_locked_run_retries_after_a_minute_quietly_without_backoff(
    sched: Scheduler, clock: FakeClock
) -> None:
    sched.record_start(1)
    outcome = sched.record_result(1, False, "locked")  # another process syncs the database
    assert not outcome.notify
    assert outcome.next_due == clock() + timedelta(minutes=1)
    assert sched.due_accounts(clock.advance(seconds=59)) == []
    assert sched.due_accounts(clock.advance(seconds=1)) == [1]
    assert 1 not in sched.failing_accounts()
    sched.record_start(1)
    sched.record_result(1, True)
    assert sched.next_due(1) == clock() + timedelta(minutes=15)  # the normal interval again
