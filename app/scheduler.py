"""When does which account sync? Pure due-time logic with an injected clock (no Qt, no I/O).

The tray (ui/tray.py) and a future `contactbox-sync daemon` ask `due_accounts(now)` on a
timer, run one account at a time and report back with `record_start` / `record_result`.

Rules:

* An enabled account is due one interval after its last attempt (or at once if it never
  ran). Due-ness is a comparison, never a count: after sleep or a long pause the missed
  run happens once, and the next one is one interval after that run.
* Failures back off: ``interval × 2^n`` (n = consecutive failures), capped at 6 hours.
* "network" (server unreachable) retries quietly every 5 minutes (or the interval, if
  shorter): nothing is wrong with the account, the machine is just offline.
* "auth" (wrong password) holds the account: no automatic retry until a manual run
  succeeds or the account is edited (`reset`) — Nextcloud and others throttle or lock
  clients that keep sending a bad password.
* One job per account at a time (`try_acquire` / `release`), shared with manual runs.
* "locked" (another process syncs this database right now) is no failure: the account
  tries again after a minute, quietly, without backoff.
* `pause()` stops everything being due; `resume()` lets the overdue accounts run once.
* `record_result` says whether the user should hear about it (`Outcome.notify`): once
  per failure streak, and for "network" only when it has lasted an hour.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from app.dav.errors import AuthError, ErrorKind, HostUnreachable, ServerError
from app.dav.errors import kind_of_exception as kind_of_exception  # its home: app/dav/errors.py
from app.i18n import _

# The kinds of a typed error (app.dav.errors.kind_of_exception) and "locked": another
# process syncs this database right now.
FailureKind = Literal[ErrorKind, "locked"]
FAILURE_KINDS: tuple[FailureKind, ...] = ("auth", "network", "server", "other", "locked")

MAX_BACKOFF = timedelta(hours=6)
NETWORK_RETRY = timedelta(minutes=5)
NETWORK_NOTIFY_AFTER = timedelta(hours=1)
MIN_INTERVAL = timedelta(minutes=1)
LOCKED_RETRY = timedelta(minutes=1)


@dataclass
class AccountSchedule:
    """What the scheduler knows about one account."""

    account_id: int
    interval: timedelta
    enabled: bool = True
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    failures: int = 0  # consecutive failed runs
    failure_kind: FailureKind | None = None  # of the last failure
    failing_since: datetime | None = None  # first failure of the current streak
    notified: bool = False  # the user has heard about the current streak
    held: bool = False  # "auth": waits for a manual run or an account edit
    retry_at: datetime | None = None  # "locked": another process was syncing; look again
    running: bool = False

    @property
    def failing(self) -> bool:
        return self.failures > 0


@dataclass(frozen=True)
class Outcome:
    """What `record_result` decided: tell the user? when is the next try?"""

    notify: bool
    next_due: datetime | None  # None: held (or disabled) until something changes


class Scheduler:
    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock
        self._accounts: dict[int, AccountSchedule] = {}
        self.paused = False

    # ------------------------------------------------------------------ accounts

    def set_account(
        self, account_id: int, interval_minutes: int, enabled: bool = True
    ) -> AccountSchedule:
        """Add an account or update its interval / enabled flag (history is kept)."""
        interval = max(MIN_INTERVAL, timedelta(minutes=interval_minutes))
        entry = self._accounts.get(account_id)
        if entry is None:
            entry = AccountSchedule(account_id, interval, enabled)
            self._accounts[account_id] = entry
        else:
            entry.interval = interval
            entry.enabled = enabled
        return entry

    def sync_accounts(self, accounts: Iterable[tuple[int, int, bool]]) -> None:
        """Make the known accounts exactly these `(id, interval_minutes, enabled)`."""
        seen = set()
        for account_id, minutes, enabled in accounts:
            self.set_account(account_id, minutes, enabled)
            seen.add(account_id)
        for account_id in list(self._accounts):
            if account_id not in seen and not self._accounts[account_id].running:
                del self._accounts[account_id]

    def forget(self, account_id: int) -> None:
        self._accounts.pop(account_id, None)

    def seed(
        self,
        account_id: int,
        *,
        last_attempt: datetime | None = None,
        last_success: datetime | None = None,
    ) -> None:
        """Start from what earlier sessions did (e.g. the last stored report)."""
        entry = self._accounts[account_id]
        entry.last_attempt = last_attempt
        entry.last_success = last_success

    def get(self, account_id: int) -> AccountSchedule | None:
        return self._accounts.get(account_id)

    def accounts(self) -> list[AccountSchedule]:
        return list(self._accounts.values())

    def reset(self, account_id: int) -> None:
        """The account was edited (new password, server …): forget failures, due at once."""
        entry = self._accounts.get(account_id)
        if entry is None:
            return
        entry.failures = 0
        entry.failure_kind = None
        entry.failing_since = None
        entry.notified = False
        entry.held = False
        entry.retry_at = None
        entry.last_attempt = None

    # ------------------------------------------------------------------ due times

    def next_due(self, account_id: int) -> datetime | None:
        """When the account runs next by itself; None if disabled or held."""
        entry = self._accounts.get(account_id)
        return None if entry is None else self._next_due(entry, self.clock())

    def _next_due(self, entry: AccountSchedule, now: datetime) -> datetime | None:
        if not entry.enabled or entry.held:
            return None
        if entry.retry_at is not None:
            return entry.retry_at
        if entry.last_attempt is None:
            return now  # never ran: due at once (compared with the same `now`)
        return entry.last_attempt + self._delay(entry)

    def _delay(self, entry: AccountSchedule) -> timedelta:
        if entry.failures == 0:
            return entry.interval
        if entry.failure_kind == "network":
            return min(NETWORK_RETRY, entry.interval)
        return min(entry.interval * (1 << min(entry.failures, 16)), MAX_BACKOFF)

    def due_accounts(self, now: datetime | None = None) -> list[int]:
        """Accounts to run now, most overdue first (none while paused)."""
        if self.paused:
            return []
        now = self.clock() if now is None else now
        due: list[tuple[datetime, int]] = []
        for entry in self._accounts.values():
            if entry.running:
                continue
            if entry.last_attempt is not None and entry.last_attempt > now:
                entry.last_attempt = now  # the clock went back: wait one interval, not more
            when = self._next_due(entry, now)
            if when is not None and when <= now:
                due.append((when, entry.account_id))
        return [account_id for _, account_id in sorted(due)]

    # ------------------------------------------------------------------ runs

    def is_running(self, account_id: int) -> bool:
        entry = self._accounts.get(account_id)
        return entry is not None and entry.running

    def any_running(self) -> bool:
        return any(e.running for e in self._accounts.values())

    def try_acquire(self, account_id: int) -> bool:
        """Take the account's lock (for a scheduled or a manual run); False if it is busy."""
        entry = self._accounts.get(account_id)
        if entry is None:
            entry = self.set_account(account_id, 15, enabled=False)  # unknown: manual only
        if entry.running:
            return False
        entry.running = True
        return True

    def release(self, account_id: int) -> None:
        """Free the lock without judging the run (cancelled, nothing to do)."""
        entry = self._accounts.get(account_id)
        if entry is not None:
            entry.running = False

    def record_start(self, account_id: int) -> None:
        """A run starts now (takes the lock if the caller has not)."""
        entry = self._accounts.get(account_id)
        if entry is None:
            entry = self.set_account(account_id, 15, enabled=False)
        entry.running = True
        entry.retry_at = None
        entry.last_attempt = self.clock()

    def defer(self, account_id: int) -> None:
        """Nothing to run (no continuing bindings): look again after one interval."""
        entry = self._accounts.get(account_id)
        if entry is not None:
            entry.last_attempt = self.clock()

    def record_result(
        self,
        account_id: int,
        ok: bool,
        kind: FailureKind | None = None,
        *,
        manual: bool = False,
    ) -> Outcome:
        """The run ended; frees the lock, updates backoff, says whether to notify."""
        entry = self._accounts.get(account_id)
        if entry is None:
            return Outcome(notify=False, next_due=None)
        now = self.clock()
        entry.running = False
        if ok:
            entry.last_success = now
            entry.failures = 0
            entry.failure_kind = None
            entry.failing_since = None
            entry.notified = False
            entry.held = False
            return Outcome(notify=False, next_due=self.next_due(account_id))
        kind = kind or "other"
        if kind == "locked":
            # Another Contactbox process syncs this database: not the account's fault.
            entry.retry_at = now + LOCKED_RETRY
            return Outcome(notify=False, next_due=entry.retry_at)
        if entry.failures == 0 or entry.failure_kind != kind:
            entry.failing_since = now
            entry.notified = False
        entry.failures += 1
        entry.failure_kind = kind
        if kind == "auth":
            entry.held = True
        notify = False
        if kind == "network":
            # quiet unless it lasts; a manual run's user wants to know at once
            long_outage = now - (entry.failing_since or now) >= NETWORK_NOTIFY_AFTER
            notify = (manual or long_outage) and not entry.notified
        else:
            notify = not entry.notified
        if notify:
            entry.notified = True
        return Outcome(notify=notify, next_due=self.next_due(account_id))

    # ------------------------------------------------------------------ pause

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def request_now(self, account_id: int) -> None:
        """ "Jetzt synchronisieren": due at the next look, even if held (a manual wish)."""
        entry = self._accounts.get(account_id)
        if entry is not None:
            entry.held = False
            entry.retry_at = None
            entry.last_attempt = None

    # ------------------------------------------------------------------ overview

    def last_success(self) -> datetime | None:
        times = [e.last_success for e in self._accounts.values() if e.last_success]
        return max(times) if times else None

    def failing_accounts(self) -> list[int]:
        return [e.account_id for e in self._accounts.values() if e.enabled and e.failing]


# ---------------------------------------------------------------------- classification

# Messages of HostUnreachable that `AccountJob` keeps in `RunReport.message` (it catches the
# typed error and stores only its text; see app/dav/session.py `_map_exception`).
_NETWORK_MARKERS = (
    HostUnreachable.default_message,
    "(Zeitüberschreitung)",
    "wurde nicht gefunden. Bitte prüfen Sie die Schreibweise",
    "lehnt Verbindungen auf Port",
    "Die Serveradresse ist ungültig.",
    "Die Verbindung zum Server ist fehlgeschlagen.",
)
_SERVER_MARKERS = (
    ServerError.default_message,
    "vorübergehend überlastet",
    "Der Server hat unerwartet geantwortet",
    "endlos weiter",
)


def _says(message: str, markers: tuple[str, ...]) -> bool:
    """Does `message` contain one of the (German) markers, in German or translated (a
    message is in the language of the run that made it)?"""
    return any(m in message or _(m) in message for m in markers)


def kind_of_message(message: str) -> FailureKind:
    """The failure kind from a report's message (the job keeps no exception): a fallback
    for reports without `error_kind` (stored before it existed) and failures known only by
    their text. A fragment marker matches in German only; a whole message (the errors'
    default texts) in German and in the current language."""
    if not message:
        return "other"
    if message in (AuthError.default_message, _(AuthError.default_message)):
        return "auth"
    if _says(message, _NETWORK_MARKERS):
        return "network"
    if _says(message, _SERVER_MARKERS):
        return "server"
    return "other"
