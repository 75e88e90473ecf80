"""`contactbox-sync daemon`: the tray's background sync without a desktop.

The same scheduler (app/scheduler.py) and the same jobs (app/sync/background.py) as the
tray: every enabled account runs its OneWay and two-way bindings (a calendar account its
users' calendars) at its Importintervall, one account at a time; failures back off (a
wrong password holds the account until it is edited or run by hand), an unreachable
server is retried quietly. A binding still set to "Neu anlegen" is never started here
(app/sync/background.py); the run's log line says so. Instead of notifications it writes
one line per run to its log, and a line starting with "FEHLER" ("ERROR" in English) once
per failure streak (as the tray would notify once). The lines are in the chosen language
(app.i18n).

Clock, sleep and log are injected, so a test drives an hour of it in a second.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from app.i18n import N_, _, ngettext
from app.scheduler import FAILURE_KINDS, Scheduler, kind_of_message
from app.store.models import Account, utcnow
from app.store.reports import last_run_times
from app.sync.background import background_job
from app.sync.report import RunReport

#: The longest the daemon sleeps between looks (new accounts, edited intervals).
MAX_SLEEP = 30.0


def run_line(label: str, report: RunReport, when: datetime) -> str:
    """One log line for a finished run (in the chosen language, like the reports)."""
    local = when.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    t = report.totals()
    if report.status in ("ok", "errors"):
        figures = [
            (t["added_local"], N_("{n} neu in Contactbox")),
            (t["updated_local"], N_("{n} in Contactbox geändert")),
            (t["deleted_local"], N_("{n} in Contactbox gelöscht")),
            (t["added_server"], N_("{n} neu auf dem Server")),
            (t["updated_server"], N_("{n} auf dem Server geändert")),
            (t["deleted_server"], N_("{n} auf dem Server gelöscht")),
        ]
        done = [_(text).format(n=n) for n, text in figures if n]
        if t["conflicts"]:
            n = t["conflicts"]
            done.append(ngettext("{n} Konflikt", "{n} Konflikte", n).format(n=n))
        said = ", ".join(done) or _("keine Änderungen")
        errors = sum(len(b.errors) for b in report.books)
        if errors:
            said += ", " + ngettext(
                "{n} Fehler (siehe Bericht)", "{n} Fehler (siehe Bericht)", errors
            ).format(n=errors)
        for b in report.books:
            if b.not_started:
                said += "; " + _("„{book}“ nicht gestartet: {reason}").format(
                    book=b.book, reason=b.not_started
                )
        return f"{local} {label}: {said}"
    if report.status == "cancelled":
        return f"{local} {label}: " + _("abgebrochen")
    message = report.message or next((b.error for b in report.books if b.error), "")
    return f"{local} {label}: " + _("fehlgeschlagen – {message}").format(message=message)


class Daemon:
    """Runs due accounts; `run_pending` is one look, `run_forever` loops until `stop`."""

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], None] = time.sleep,
        log: Callable[[str], None] = print,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self.log = log
        self.scheduler = Scheduler(clock)
        self._seeded: set[int] = set()
        self._stop = threading.Event()

    def stop(self) -> None:
        """Finish: a running job stops between two contacts, then run_forever returns."""
        self._stop.set()

    def _sync_accounts(self) -> None:
        rows = list(Account.select(Account.id, Account.interval_minutes, Account.enabled))
        self.scheduler.sync_accounts((a.id, a.interval_minutes, a.enabled) for a in rows)
        for a in rows:
            if a.id not in self._seeded:
                self._seeded.add(a.id)
                last, ok = last_run_times(a.id)
                if last is not None:
                    now = self.clock()
                    self.scheduler.seed(a.id, last_attempt=min(last, now), last_success=ok)

    def run_pending(self) -> list[RunReport]:
        """Run every account that is due now, one after the other."""
        self._sync_accounts()
        reports = []
        for account_id in self.scheduler.due_accounts(self.clock()):
            if self._stop.is_set():
                break
            report = self._run(account_id)
            if report is not None:
                reports.append(report)
        return reports

    def _run(self, account_id: int) -> RunReport | None:
        account = Account.get_or_none(Account.id == account_id)
        if account is None or not self.scheduler.try_acquire(account_id):
            return None
        job = background_job(account, "schedule")
        if job is None:
            self.scheduler.release(account_id)
            self.scheduler.defer(account_id)
            return None
        self.scheduler.record_start(account_id)
        try:
            report = job.run(cancelled=self._stop.is_set)
        except Exception as exc:  # a bug must not end the daemon; the account backs off
            self.scheduler.record_result(account_id, False, "other")
            self.log(_("FEHLER {account}: {message}").format(account=account.label, message=exc))
            return None
        self.log(run_line(account.label, report, self.clock()))
        if report.status == "cancelled":
            self.scheduler.release(account_id)
        elif report.status in ("ok", "errors"):
            self.scheduler.record_result(account_id, True)
        else:
            message = report.message or next((b.error for b in report.books if b.error), "")
            kind = next(
                (k for k in FAILURE_KINDS if k == report.error_kind), kind_of_message(message)
            )
            outcome = self.scheduler.record_result(account_id, False, kind)
            if outcome.notify:
                if outcome.next_due is None:
                    hint = _("Automatischer Abgleich angehalten, bis der Account geändert wird.")
                else:
                    when = outcome.next_due.replace(tzinfo=UTC).astimezone()
                    hint = _("Nächster Versuch {time}.").format(time=f"{when:%H:%M}")
                self.log(
                    _("FEHLER {account}: {message}").format(
                        account=account.label, message=f"{message} {hint}"
                    )
                )
        return report

    def seconds_to_next(self) -> float:
        """How long to sleep before the next look (at most MAX_SLEEP)."""
        now = self.clock()
        dues = [
            d for e in self.scheduler.accounts() if (d := self.scheduler.next_due(e.account_id))
        ]
        if not dues:
            return MAX_SLEEP
        return max(0.0, min(MAX_SLEEP, (min(dues) - now).total_seconds()))

    def run_forever(self) -> None:
        while not self._stop.is_set():
            self.run_pending()
            wait = self.seconds_to_next()
            if wait <= 0:
                continue
            if self.sleep is time.sleep:
                self._stop.wait(wait)  # wakes at once on stop()
            else:
                self.sleep(wait)
