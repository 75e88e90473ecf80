"""Two-way appointment sync through `contactbox-sync calendar …` against real servers.

Each test runs against Radicale, Xandikos and Debian's SabreDAV 1.8 (no sync-collection:
the PROPFIND + ctag path) on loopback, with a real SQLite file and a real keyring backend.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from app import ical
from app.dav import caldav
from app.dav.caldav import CalDavClient
from app.dav.session import DavSession
from app.store import agenda
from app.store import contacts as cs
from app.store.models import Appointment, AppointmentVersion, User
from tests.servers.calendar_env import CalEnv, calendar_env
from tests.servers.dav_servers import DavServer

ICS = Path(__file__).parent / "ics"


def _event(uid: str, summary: str, hour: int = 9, day: int = 2) -> str:
    return ical.new_event(
        uid, summary, datetime(2025, 6, day, hour), datetime(2025, 6, day, hour + 1),
        now=datetime(2025, 1, 1),
    )  # fmt: skip


TODO = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VTODO\r\n"
    "UID:todo-1\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:Aufgabe\r\nEND:VTODO\r\n"
    "END:VCALENDAR\r\n"
)

BERLIN = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\nUID:tz-1\r\nDTSTAMP:20250101T000000Z\r\n"
    "DTSTART;TZID=Europe/Berlin:20250702T100000\r\nDTEND;TZID=Europe/Berlin:20250702T113000\r\n"
    "SUMMARY:Berlin\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Erinnerung\r\n"
    "TRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)

ALLDAY = ical.new_event(
    "allday-1", "Urlaub", date(2025, 8, 4), date(2025, 8, 8), True, now=datetime(2025, 1, 1)
)


Env = CalEnv


@pytest.fixture
def session(dav_server: DavServer) -> Iterator[DavSession]:
    with DavSession(dav_server.root_url, dav_server.user, dav_server.password) as s:
        yield s


@pytest.fixture
def env(
    dav_server: DavServer,
    session: DavSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[Env]:
    with calendar_env(dav_server, tmp_path, monkeypatch, capsys, session=session) as e:
        yield e


def figures(book: dict[str, Any]) -> dict[str, int]:
    keys = ("added_local", "updated_local", "deleted_local", "added_server", "updated_server",
            "deleted_server", "conflicts", "skipped_deleted", "server_only")  # fmt: skip
    return {k: book[k] for k in keys if book[k]}


# ---------------------------------------------------------------- both directions


def test_first_import_then_edits_both_ways(env: Env) -> None:
    env.put("a", _event("ev-a", "Zahnarzt"))
    env.put("allday", ALLDAY)
    try:  # Radicale takes a task into a VEVENT-only calendar; the others refuse it (403)
        env.put("todo", TODO)
        todo = 1
    except caldav.EventRejected:
        todo = 0
    other = {"server_only": 1} if todo else {}
    code, listed = env.run_cli("calendar", "list", "Kal", "--json")
    assert code == 0 and env.cal_name in [c["name"] for c in listed]
    code, check = env.run_cli("calendar", "check", "Kal", "--json")
    assert code == 0 and check["books"][0]["added_local"] == 2
    assert not env.local()  # the check wrote nothing

    first = env.run()
    assert figures(first) == {"added_local": 2, **other}
    local = env.local()
    assert set(local) == {"ev-a", "allday-1"}
    urlaub = local["allday-1"]
    assert urlaub.all_day and urlaub.start == datetime(2025, 8, 4)
    assert urlaub.end == datetime(2025, 8, 8)  # last day, inclusive
    assert local["ev-a"].start == datetime(2025, 6, 2, 9)

    again = env.run()
    assert again["unchanged"] or not figures({**again, "server_only": 0})

    # Local edit -> server (the contact link stays local).
    contact = cs.add_contact(
        cs.get_book("Standard"), "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dr. Zahn\r\nEND:VCARD\r\n"
    )
    agenda.update_appointment(local["ev-a"].id, summary="Zahnarzt (verschoben)",
                              start=datetime(2025, 6, 3, 14), end=datetime(2025, 6, 3, 15),
                              contact_id=contact.id)  # fmt: skip
    out = env.run()
    assert figures(out) == {"updated_server": 1, **other}
    s = ical.summarize(env.events()["ev-a"][2])
    assert s.summary == "Zahnarzt (verschoben)" and s.start == datetime(2025, 6, 3, 14)
    assert "Dr. Zahn" not in env.events()["ev-a"][2]

    # Server edit -> local; the link survives.
    env.edit("ev-a", location="Praxis Süd")
    out = env.run()
    assert figures(out) == {"updated_local": 1, **other}
    a = env.local()["ev-a"]
    assert a.location == "Praxis Süd" and a.contact_id == contact.id

    # New on both sides.
    new_id = agenda.add_appointment(None, "Neu lokal", datetime(2025, 9, 1, 8),
                                    datetime(2025, 9, 1, 9))  # fmt: skip
    agenda.add_appointment(None, "Ganztägig lokal", datetime(2025, 9, 5),
                           datetime(2025, 9, 6), all_day=True)  # fmt: skip
    env.put("b", _event("ev-b", "Neu Server"))
    out = env.run()
    assert figures(out) == {"added_local": 1, "added_server": 2, **other}
    uid = Appointment.get_by_id(new_id).uid
    assert uid and uid in env.events()
    server = env.events()
    allday = next(t for _h, _e, t in server.values() if "Ganztägig lokal" in t)
    assert "DTSTART;VALUE=DATE:20250905" in allday and "DTEND;VALUE=DATE:20250907" in allday
    assert "ev-b" in env.local()
    assert env.events().keys() == env.local().keys()
    # The task is still there, untouched.
    assert len(env.client.list_etags(env.cal_href).etags) == len(server) + todo
    final = env.run()
    assert not figures({**final, "server_only": 0})


def test_conflicts_both_ways_keep_the_loser(env: Env) -> None:
    env.put("a", _event("ev-a", "Original"))
    env.run()
    a = env.local()["ev-a"]
    agenda.update_appointment(a.id, summary="Lokal")
    env.edit("ev-a", summary="Server")
    out = env.run()
    assert out["conflicts"] == 1 and out["updated_local"] == 1
    assert env.local()["ev-a"].summary == "Server"
    lost = AppointmentVersion.select().where(AppointmentVersion.appointment == a.id)
    assert any("SUMMARY:Lokal" in v.ical and v.reason == "conflict" for v in lost)

    code, out2 = env.run_cli(
        "calendar", "bind", "Kal", env.cal_name, "--user", env.user, "--prefer", "contactbox"
    )
    assert code == 0, out2
    agenda.update_appointment(a.id, summary="Lokal 2")
    env.edit("ev-a", summary="Server 2")
    out = env.run()
    assert out["conflicts"] == 1 and out["updated_server"] == 1
    assert ical.summarize(env.events()["ev-a"][2]).summary == "Lokal 2"
    versions = AppointmentVersion.select().where(AppointmentVersion.appointment == a.id)
    assert any("SUMMARY:Server 2" in v.ical for v in versions)


def test_deletions_both_ways_and_no_reimport(env: Env) -> None:
    env.put("a", _event("ev-a", "Lokal gelöscht"))
    env.put("b", _event("ev-b", "Server gelöscht"))
    env.put("c", _event("ev-c", "Bleibt"))
    env.put("d", _event("ev-d", "Bleibt auch"))
    env.run()
    agenda.delete_appointment(env.local()["ev-a"].id)
    href, etag, _ = env.events()["ev-b"]
    env.client.delete(href, etag)
    out = env.run()
    assert figures(out) == {"deleted_server": 1, "deleted_local": 1}
    assert set(env.events()) == {"ev-c", "ev-d"}
    assert set(env.local()) == {"ev-c", "ev-d"}
    # Uploaded again by another client: the deleted appointment is not re-imported.
    env.put("a2", _event("ev-a", "Lokal gelöscht"))
    out = env.run()
    assert out["skipped_deleted"] == 1 and "ev-a" not in env.local()


def test_a_changed_copy_of_a_deleted_appointment_comes_back(env: Env) -> None:
    """Deleted here and on the server; another desk that had changed it meanwhile uploads
    it again (edited there, deleted here): the change wins, as it would have had it met the
    deletion before it reached the server — back from the trash with the server's version."""
    for uid in ("ev-a", "ev-c", "ev-d"):
        env.put(uid, _event(uid, "Termin"))
    env.run()
    agenda.delete_appointment(env.local()["ev-a"].id)
    assert figures(env.run()) == {"deleted_server": 1}
    env.put("a2", _event("ev-a", "Anderswo geändert"))
    out = env.run()
    assert out["skipped_deleted"] == 0 and out["added_local"] == 1, out
    assert env.local()["ev-a"].summary == "Anderswo geändert"
    assert set(env.local()) == set(env.events()) == {"ev-a", "ev-c", "ev-d"}
    assert not any(v for k, v in figures(env.run()).items()), "the next run is quiet"


def test_mass_deletion_guard(env: Env) -> None:
    for i in range(3):
        env.put(f"e{i}", _event(f"ev-{i}", f"T{i}"))
    env.run()
    for a in env.local().values():
        agenda.delete_appointment(a.id)
    out = env.run()
    assert out["_exit"] == 4 and out["guarded"] == ["local"] and len(env.events()) == 3
    out = env.run("--allow-mass-delete")
    assert out["deleted_server"] == 3 and not env.events()


# ---------------------------------------------------------------- lossless round trips


def test_recurring_series_and_time_zone_survive_local_edits(env: Env) -> None:
    series = (ICS / "nextcloud_recurring_moved.ics").read_bytes().decode("utf-8")
    env.put("series", series)
    env.put("tz", BERLIN)
    env.run()
    local = env.local()
    uid = ical.summarize(series).uid
    tz = local["tz-1"]
    assert tz.start == datetime(2025, 7, 2, 8) and tz.end == datetime(2025, 7, 2, 9, 30)

    agenda.update_appointment(local[uid].id, summary="Teamrunde neu")
    agenda.update_appointment(tz.id, start=datetime(2025, 7, 2, 9), end=datetime(2025, 7, 2, 10))
    out = env.run()
    assert out["updated_server"] == 2 and not out["errors"]
    text = env.events()[uid][2]
    comps = [c for c in ical.components(text) if c.name == "VEVENT"]
    assert len(comps) == 2
    assert "SUMMARY:Teamrunde neu" in text
    assert "SUMMARY:Teamrunde (Dienstag)" in text  # the moved occurrence, untouched
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20250317T140000" in text
    assert "RRULE:" in text and "ATTENDEE" in text and "VALARM" in text
    tz_text = env.events()["tz-1"][2]
    assert "DTSTART;TZID=Europe/Berlin:20250702T110000" in tz_text
    assert "TRIGGER:-PT15M" in tz_text or "TRIGGER:-P0DT0H15M0S" in tz_text
    assert not figures(env.run())


# ---------------------------------------------------------------- failures and users


def test_wrong_password_fails_in_german_and_changes_nothing(
    env: Env, monkeypatch: pytest.MonkeyPatch, memory_keyring: Any
) -> None:
    env.put("a", _event("ev-a", "Termin"))
    for key in list(memory_keyring.store):
        memory_keyring.store[key] = "falsch"
    code, data = env.run_cli("calendar", "run", "Kal", "--json")
    assert code == 1
    assert data["status"] == "failed" and data["error_kind"] == "auth"
    assert "Passwort" in data["message"] or "Anmeldung" in data["message"]
    assert not env.local()
    code, data = env.run_cli("calendar", "account", "check", "Kal", "--json")
    assert code == 1 and not data["ok"]


def test_two_users_sync_their_own_calendars_only(
    env: Env, session: DavSession, dav_server: DavServer
) -> None:
    home = caldav.find_calendar_homes(session)[0]
    other = caldav.make_calendar(session, home, f"Bob {uuid.uuid4().hex[:6]}")
    User.create(name="Bob")
    code, out = env.run_cli("calendar", "bind", "Kal", other.href, "--user", "Bob")
    assert code == 0, out
    env.put("a", _event("ev-alice", "Alice Termin"))
    env.client.create(other.href, _event("ev-bob", "Bob Termin"), name="b")
    bob = User.get(User.name == "Bob")
    agenda.add_appointment(None, "Bob lokal", datetime(2025, 6, 9, 8), None, user=bob)
    alice = User.get(User.name == env.user)
    agenda.add_appointment(None, "Alice lokal", datetime(2025, 6, 9, 8), None, user=alice)

    code, data = env.run_cli("calendar", "run", "Kal", "--json")
    assert code == 0, data
    assert len(data["books"]) == 2
    alice_local = {a.summary for a in env.local().values()}
    bob_local = {a.summary for a in env.local("Bob").values()}
    assert alice_local == {"Alice Termin", "Alice lokal"}
    assert bob_local == {"Bob Termin", "Bob lokal"}
    alice_server = {ical.summarize(t).summary for _h, _e, t in env.events().values()}
    bob_env = Env(dav_server, env.client, other.href, other.display_name, env.run_cli)
    bob_server = {ical.summarize(t).summary for _h, _e, t in bob_env.events().values()}
    assert alice_server == alice_local and bob_server == bob_local
    # A user's agenda never lists the other's appointments.
    alice_row = next(iter(env.local().values()))
    assert all(a.user_id == alice.id for a in env.local().values())
    assert alice_row.user_id != bob.id


def test_an_event_already_uploaded_under_our_name_is_taken_over(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A create whose answer was lost: the engine finds the event under our name with our
    UID and takes it over instead of uploading a second copy under a fresh name."""
    user = User.get(User.name == env.user)
    agenda.add_appointment(
        None, "Verlorene Antwort", datetime(2025, 6, 3, 9), datetime(2025, 6, 3, 10), user=user
    )
    original = CalDavClient.create
    calls: list[str] = []

    def create_twice(self: CalDavClient, cal_href: str, text: str, *, name: str) -> Any:
        calls.append(name)
        if len(calls) == 1:
            original(self, cal_href, text, name=name)  # reached the server, answer lost …
        return original(self, cal_href, text, name=name)  # … so this one gets a 412

    monkeypatch.setattr(CalDavClient, "create", create_twice)
    out = env.run()
    assert out["_exit"] == 0, out
    assert figures(out) == {"added_server": 1}
    assert len(calls) == 1  # no second upload under a fresh name
    [uid] = env.events()
    assert env.local()[uid].uid == uid
    monkeypatch.setattr(CalDavClient, "create", original)
    assert figures(env.run()) == {}
