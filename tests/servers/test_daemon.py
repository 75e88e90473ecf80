"""`contactbox-sync daemon`: the scheduler without a desktop, against a real Radicale.

An hour is driven through an injected clock: the daemon syncs every interval, picks up a
server change at the next one, says "FEHLER" once for an injected failure and recovers by
itself once the failure is gone. A binding still set to "Neu anlegen" is never started.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.accounts import add_account
from app.daemon import Daemon
from app.store import contacts as cs
from app.store.models import Account, Binding, Contact, RunReport
from app.sync.jobs import bind_book, book_overview
from app.sync.modes import Mode
from tests.servers.cards import simple_card
from tests.servers.conftest import radicale_server  # noqa: F401
from tests.servers.dav_servers import DavServer


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 8, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def setup(
    store: Path, radicale_server: DavServer  # noqa: F811
) -> tuple[DavServer, str, str, Account]:
    s = radicale_server
    name = f"Büro {uuid.uuid4().hex[:6]}"
    url = s.make_book(display_name=name)
    s.put_card(url, "a.vcf", simple_card("d-a", "Anna Daemon", "anna@example.de"))
    account = add_account("Daemon", server=s.root_url, username=s.user, password=s.password)
    account.interval_minutes = 5
    account.save()
    remote = next(ov.remote for ov in book_overview(account) if ov.remote.display_name == name)
    bind_book(account, remote, Mode.parse("sync", "server"))
    return s, url, name, account


def local_uids(name: str) -> set[str]:
    return {c.uid for c in cs.live_contacts(cs.get_book(name))}


def test_syncs_every_interval_and_picks_up_a_server_change(
    setup: tuple[DavServer, str, str, Account],
) -> None:
    server, url, name, _account = setup
    clock, lines = Clock(), []
    daemon = Daemon(clock=clock, log=lines.append)
    assert len(daemon.run_pending()) == 1  # never ran: due at once
    assert local_uids(name) == {"d-a"}
    server.put_card(url, "b.vcf", simple_card("d-b", "Bernd Daemon", "bernd@example.de"))
    clock.advance(4)
    assert daemon.run_pending() == []  # not due yet
    assert daemon.seconds_to_next() == pytest.approx(30)  # capped: it looks every 30 s
    clock.advance(1)
    [report] = daemon.run_pending()
    assert report.totals()["added_local"] == 1
    assert local_uids(name) == {"d-a", "d-b"}
    assert "Daemon: 1 neu in Contactbox" in lines[-1]
    assert RunReport.select().where(RunReport.trigger == "schedule").count() == 2


def test_a_restarted_daemon_continues_from_the_stored_reports(
    setup: tuple[DavServer, str, str, Account],
) -> None:
    clock = Clock()
    Daemon(clock=clock, log=lambda _l: None).run_pending()
    stored = RunReport.select().order_by(RunReport.id.desc()).first()
    clock.now = stored.started + timedelta(minutes=2)  # a restart two minutes later
    again = Daemon(clock=clock, log=lambda _l: None)
    assert again.run_pending() == []  # the last run was two minutes ago: not due
    clock.advance(3)
    assert len(again.run_pending()) == 1


def test_an_hour_with_an_injected_failure_reports_once_and_recovers(
    setup: tuple[DavServer, str, str, Account],
) -> None:
    server, url, name, account = setup
    clock, lines = Clock(), []
    daemon = Daemon(clock=clock, log=lines.append)
    binding = Binding.get(Binding.account == account)
    good_href = binding.remote_href
    runs: list[tuple[int, str]] = []
    for minute in range(0, 65):
        if minute == 20:  # the server book disappears (e.g. renamed by an admin)
            Binding.update(remote_href=good_href + "weg/").where(
                Binding.id == binding.id
            ).execute()
        if minute == 32:  # … and is back
            Binding.update(remote_href=good_href).where(Binding.id == binding.id).execute()
            server.put_card(url, "c.vcf", simple_card("d-c", "Clara Daemon", "c@example.de"))
        for report in daemon.run_pending():
            runs.append((minute, report.status))
        clock.advance(1)
    # every 5 minutes until the failure; then backoff (10 min), then every 5 minutes again
    assert runs[:4] == [(0, "ok"), (5, "ok"), (10, "ok"), (15, "ok")]
    assert runs[4] == (20, "failed")
    assert runs[5] == (30, "failed")  # one interval × 2 later
    assert runs[6] == (50, "ok")  # × 4 after the second failure, then recovered
    assert runs[7:] == [(55, "ok"), (60, "ok")]
    errors = [line for line in lines if line.startswith("FEHLER")]
    assert len(errors) == 1 and "Daemon" in errors[0] and "Nächster Versuch" in errors[0]
    assert local_uids(name) == {"d-a", "d-c"}  # the change made during the outage arrived


def test_a_wrong_password_holds_the_account(
    setup: tuple[DavServer, str, str, Account], memory_keyring: object
) -> None:
    from app import secrets

    _server, _url, _name, account = setup
    secrets.set_password(account.id, "falsch")
    clock, lines = Clock(), []
    daemon = Daemon(clock=clock, log=lines.append)
    assert [r.status for r in daemon.run_pending()] == ["failed"]
    for _ in range(12):  # an hour: no retry with a bad password, no repeated message
        clock.advance(5)
        assert daemon.run_pending() == []
    errors = [line for line in lines if line.startswith("FEHLER")]
    assert len(errors) == 1 and "angehalten" in errors[0]


def test_a_calendar_account_is_synced_in_the_background(
    store: Path, radicale_server: DavServer  # noqa: F811
) -> None:
    from app import ical
    from app.dav import caldav
    from app.dav.session import DavSession
    from app.store.agenda import current_user
    from app.store.models import Appointment
    from app.sync.calendar_jobs import add_calendar_account, bind_calendar, server_calendars

    s = radicale_server
    name = f"Termine {uuid.uuid4().hex[:6]}"
    with DavSession(s.root_url, s.user, s.password) as session:
        home = caldav.find_calendar_homes(session)[0]
        cal = caldav.make_calendar(session, home, name)
        account = add_calendar_account(
            "Kalender", server=s.root_url, username=s.user, password=s.password,
            interval_minutes=5,
        )  # fmt: skip
        remote = next(c for c in server_calendars(account) if c.href == cal.href)
        bind_calendar(account, remote, current_user())
        clock, lines = Clock(), []
        daemon = Daemon(clock=clock, log=lines.append)
        assert [r.status for r in daemon.run_pending()] == ["ok"]
        event = ical.new_event(
            "bg-1", "Jour fixe", datetime(2026, 12, 1, 9), datetime(2026, 12, 1, 10),
            now=datetime(2026, 11, 1),
        )  # fmt: skip
        caldav.CalDavClient(session).create(cal.href, event, name="bg-1")
    clock.advance(5)
    [report] = daemon.run_pending()
    assert report.totals()["added_local"] == 1
    assert Appointment.get(Appointment.uid == "bg-1").summary == "Jour fixe"
    assert "Kalender: 1 neu in Contactbox" in lines[-1]


def test_a_binding_set_to_neu_anlegen_is_never_started_and_the_log_says_so(
    setup: tuple[DavServer, str, str, Account],
) -> None:
    server, url, name, account = setup
    clock, lines = Clock(), []
    daemon = Daemon(clock=clock, log=lines.append)
    daemon.run_pending()
    before = [(c.id, c.uid, c.deleted_at) for c in Contact.select().order_by(Contact.id)]
    # e.g. a run by hand that ended before its wipe (no connection): still "Neu anlegen"
    Binding.update(option="recreate").where(Binding.account == account).execute()
    server.put_card(url, "b.vcf", simple_card("d-b", "Bernd Daemon", "bernd@example.de"))
    clock.advance(5)
    [report] = daemon.run_pending()
    after = [(c.id, c.uid, c.deleted_at) for c in Contact.select().order_by(Contact.id)]
    assert after == before  # nothing wiped, nothing imported
    assert report.status == "ok"
    [book] = report.books
    assert book.book == name and book.deleted_local == 0 and book.added_local == 0
    assert "nur ausgeführt, wenn Sie den Abgleich selbst starten" in book.not_started
    assert f"„{name}“ nicht gestartet: „Neu anlegen“ wird nur ausgeführt" in lines[-1]
    assert not any(line.startswith("FEHLER") for line in lines)
    assert Binding.get(Binding.account == account).option == "recreate"
