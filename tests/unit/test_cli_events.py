"""`contactbox-sync calendar event add|list|edit|delete` (issue 17: appointments made and
changed headless, through the agenda's own store functions so the next `calendar run`
carries them). Local time is Europe/Berlin for every test."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from app import ical
from app.store import calsync
from app.store.appointment_trash import LOCAL_ONLY, trashed_appointments
from app.store.models import Account, Appointment, AppointmentVersion, CalendarBinding, User
from tests.servers.cli_inprocess import cli_raw

pytestmark = pytest.mark.usefixtures("berlin_time")

EVENT = ("calendar", "event")


class Cli:
    def __init__(self, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.home, self.capsys = home, capsys

    def raw(self, *args: str) -> tuple[int, str, str]:
        return cli_raw(self.home, self.capsys, *EVENT, *args)

    def json(self, *args: str) -> Any:
        code, out, err = self.raw(*args, "--json")
        assert code == 0, err
        return json.loads(out)

    def fails(self, code: int, *args: str) -> str:
        got, out, err = self.raw(*args)
        assert got == code, (args, out, err)
        assert out == ""
        return err


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    c = Cli(tmp_path / "home", capsys)
    assert c.raw("list")[0] == 0  # opens (creates) the data directory's database
    return c


def _text(appointment_id: int) -> ical.EventSummary:
    """What the next calendar sync would upload for the appointment."""
    return ical.summarize(calsync.local_text(Appointment.get_by_id(appointment_id)))


# ---------------------------------------------------------------- add


def test_add_a_timed_appointment_in_local_time(cli: Cli) -> None:
    code, out, err = cli.raw("add", "--summary", "Weihnachtsfeier", "--start", "2026-12-24T14:00",
                             "--duration", "2h", "--location", "Saal 3",
                             "--description", "Mit Glühwein")  # fmt: skip
    assert code == 0, err
    a = Appointment.get()
    uid = calsync.derived_uid(a.id, a.created)
    assert out.strip() == (
        "Termin „Weihnachtsfeier“ für „Standardbenutzer“ angelegt "
        f"(24.12.2026 14:00–16:00, UID {uid})."
    )
    assert (a.start, a.end, a.all_day) == (datetime(2026, 12, 24, 13), datetime(2026, 12, 24, 15),
                                           False)  # fmt: skip
    assert (a.location, a.notes, a.user.name) == ("Saal 3", "Mit Glühwein", "Standardbenutzer")
    s = _text(a.id)
    assert (s.uid, s.summary, s.start, s.end) == (
        uid, "Weihnachtsfeier", datetime(2026, 12, 24, 13), datetime(2026, 12, 24, 15)
    )  # fmt: skip
    assert s.location == "Saal 3" and s.description == "Mit Glühwein"


def test_add_json_offsets_and_defaults(cli: Cli) -> None:
    d = cli.json("add", "--summary", "UTC", "--start", "2026-07-01T08:00Z")
    a = Appointment.get_by_id(d["id"])
    assert d == {
        "id": a.id, "uid": calsync.derived_uid(a.id, a.created), "user": "Standardbenutzer",
        "summary": "UTC", "start": "2026-07-01T10:00:00+02:00",
        "end": "2026-07-01T11:00:00+02:00",  # no --end/--duration: one hour, as the dialog
        "all_day": False, "location": "", "description": "", "recurring": False,
        "exception": False,
    }  # fmt: skip
    d = cli.json("add", "--summary", "Offset", "--start", "2026-07-01T08:00-04:00",
                 "--end", "2026-07-01T09:30-04:00")  # fmt: skip
    assert (d["start"], d["end"]) == ("2026-07-01T14:00:00+02:00", "2026-07-01T15:30:00+02:00")
    d = cli.json("add", "--summary", "Kurz", "--start", "2026-07-01 08:00", "--duration", "PT45M")
    assert (d["start"], d["end"]) == ("2026-07-01T08:00:00+02:00", "2026-07-01T08:45:00+02:00")


def test_add_all_day(cli: Cli) -> None:
    d = cli.json("add", "--summary", "Urlaub", "--start", "2026-08-03", "--end", "2026-08-07")
    assert (d["start"], d["end"], d["all_day"]) == ("2026-08-03", "2026-08-07", True)
    s = _text(d["id"])
    assert s.all_day and (s.start, s.end) == (date(2026, 8, 3), date(2026, 8, 7))
    assert "DTEND;VALUE=DATE:20260808" in calsync.local_text(Appointment.get_by_id(d["id"]))

    d = cli.json("add", "--summary", "Messe", "--start", "2026-09-01", "--duration", "P3D")
    assert (d["start"], d["end"]) == ("2026-09-01", "2026-09-03")
    d = cli.json("add", "--summary", "Tag", "--all-day", "--start", "2026-09-10T15:00")
    assert (d["start"], d["end"], d["all_day"]) == ("2026-09-10", "2026-09-10", True)
    code, out, _err = cli.raw("add", "--summary", "Eintägig", "--start", "2026-09-11")
    assert code == 0 and "(11.09.2026 ganztägig, UID " in out


def test_add_refuses_bad_input_with_clear_messages(cli: Cli) -> None:
    err = cli.fails(2, "add", "--summary", "X", "--start", "24.12.2026")
    assert "„24.12.2026“ ist kein Datum nach ISO 8601" in err and "2026-12-24T14:00" in err
    err = cli.fails(2, "add", "--summary", "X", "--start", "2026-12-24T10:00",
                    "--end", "2026-12-24")  # fmt: skip
    assert "bitte --end mit Uhrzeit angeben" in err
    err = cli.fails(2, "add", "--summary", "X", "--start", "2026-12-24", "--duration", "PT1H")
    assert "ein ganztägiger Termin dauert ganze Tage" in err
    err = cli.fails(2, "add", "--summary", "X", "--start", "2026-12-24T10:00", "--duration", "1x")
    assert "„1x“ ist keine Dauer" in err
    err = cli.fails(2, "add", "--summary", "X", "--start", "2026-12-24T10:00",
                    "--end", "2026-12-24T11:00", "--duration", "1h")  # fmt: skip
    assert "not allowed with argument" in err
    err = cli.fails(2, "add", "--start", "2026-12-24T10:00")
    assert "--summary" in err
    err = cli.fails(1, "add", "--summary", "X", "--start", "2026-12-24T10:00",
                    "--end", "2026-12-24T09:00")  # fmt: skip
    assert err.strip() == "contactbox-sync: Das Ende des Termins liegt vor seinem Beginn."
    err = cli.fails(1, "add", "--summary", "  ", "--start", "2026-12-24T10:00")
    assert "Bitte einen Betreff für den Termin angeben." in err
    err = cli.fails(1, "add", "--summary", "X", "--start", "2026-12-24", "--user", "Nobody")
    assert "Den Benutzer „Nobody“ gibt es nicht (vorhanden: Standardbenutzer)." in err
    err = cli.fails(1, "add", "--summary", "X", "--start", "2026-12-24", "--calendar", "Termine")
    assert "Mit einem Kalender „Termine“ ist kein Benutzer verbunden (verbunden: keiner" in err
    assert Appointment.select().count() == 0


# ---------------------------------------------------------------- list


def _series(user: str = "Standardbenutzer") -> Appointment:
    """A weekly series as the calendar sync stores it (text, UID, master's columns)."""
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:series-1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261005T070000Z\r\n"
        "DTEND:20261005T080000Z\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:Jour fixe\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    return Appointment.create(user=User.get(User.name == user), summary="Jour fixe",
                              start=datetime(2026, 10, 5, 7), end=datetime(2026, 10, 5, 8),
                              ical=text, uid="series-1")  # fmt: skip


def test_list_all_and_within_a_range(cli: Cli) -> None:
    assert cli.raw("list") == (0, "Keine Termine bei „Standardbenutzer“.\n", "")
    single = cli.json("add", "--summary", "Zahnarzt", "--start", "2026-10-13T16:00",
                      "--location", "Praxis")  # fmt: skip
    _series()

    rows = cli.json("list")
    assert [(r["summary"], r["uid"], r["start"], r["recurring"]) for r in rows] == [
        ("Jour fixe", "series-1", "2026-10-05T09:00:00+02:00", True),
        ("Zahnarzt", single["uid"], "2026-10-13T16:00:00+02:00", False),
    ]
    code, out, _err = cli.raw("list")
    assert code == 0
    assert out.splitlines() == [
        "05.10.2026 09:00–10:00\tJour fixe\tseries-1\tSerie",
        f"13.10.2026 16:00–17:00\tZahnarzt\t{single['uid']}\tOrt: Praxis",
    ]

    # A range: the occurrences in it, each with the series' UID (the last one is in CET).
    rows = cli.json("list", "--from", "2026-10-10", "--to", "2026-10-31")
    assert [(r["summary"], r["uid"], r["start"], r["end"]) for r in rows] == [
        ("Jour fixe", "series-1", "2026-10-12T09:00:00+02:00", "2026-10-12T10:00:00+02:00"),
        ("Zahnarzt", single["uid"], "2026-10-13T16:00:00+02:00", "2026-10-13T17:00:00+02:00"),
        ("Jour fixe", "series-1", "2026-10-19T09:00:00+02:00", "2026-10-19T10:00:00+02:00"),
        ("Jour fixe", "series-1", "2026-10-26T08:00:00+01:00", "2026-10-26T09:00:00+01:00"),
    ]
    assert cli.json("list", "--from", "2026-11-01") == []  # 30 days from --from
    assert len(cli.json("list", "--from", "2026-09-20")) == 4  # to 2026-10-20
    err = cli.fails(2, "list", "--to", "2020-01-01")  # without --from: from today on
    assert "--to liegt vor --from." in err
    err = cli.fails(2, "list", "--from", "2026-10-10", "--to", "2026-10-01")
    assert "--to liegt vor --from." in err

    # Another user's appointments are not listed; --user shows them.
    cli_raw(cli.home, cli.capsys, "users", "add", "Eva")
    cli.json("add", "--user", "Eva", "--summary", "Evas Termin", "--start", "2026-10-14")
    assert "Evas Termin" not in json.dumps(cli.json("list"))
    assert [r["summary"] for r in cli.json("list", "--user", "Eva")] == ["Evas Termin"]


# ---------------------------------------------------------------- edit


def test_edit_by_any_reference_in_either_argument_order(cli: Cli) -> None:
    d = cli.json("add", "--summary", "Weihnachtsfeier", "--start", "2026-12-24T14:00",
                 "--duration", "2h")  # fmt: skip
    uid = d["uid"]
    # REF first, REF last, REF between options; by UID, number and title (any case).
    for args in (
        ("edit", uid, "--summary", "Feier A"),
        ("edit", "--summary", "Feier B", str(d["id"])),
        ("edit", "--summary", "Feier C", "feier b"),
        ("edit", "--location", "Saal", "FEIER C", "--description", "Glühwein"),
    ):
        code, out, err = cli.raw(*args)
        assert code == 0, (args, err)
    a = Appointment.get_by_id(d["id"])
    assert (a.summary, a.location, a.notes) == ("Feier C", "Saal", "Glühwein")
    code, out, err = cli.raw("edit", "Feier C", "--summary", "Feier")
    assert out.strip() == f"Termin „Feier“ geändert (UID {uid})."
    # The edits keep the earlier texts in the history, as the dialog's do.
    assert AppointmentVersion.select().where(AppointmentVersion.appointment == a.id).count() == 5

    # Moving the start keeps the length; --end / --duration set it.
    e = cli.json("edit", "Feier", "--start", "2026-12-24T18:00")
    assert (e["start"], e["end"]) == ("2026-12-24T18:00:00+01:00", "2026-12-24T20:00:00+01:00")
    e = cli.json("edit", "--duration", "30m", uid)
    assert e["end"] == "2026-12-24T18:30:00+01:00"
    e = cli.json("edit", uid, "--end", "2026-12-25T01:00")
    assert e["end"] == "2026-12-25T01:00:00+01:00"
    s = _text(d["id"])
    assert (s.uid, s.summary, s.start) == (uid, "Feier", datetime(2026, 12, 24, 17))

    # To all-day and back (back needs a time).
    e = cli.json("edit", uid, "--all-day")
    assert (e["start"], e["end"], e["all_day"]) == ("2026-12-24", "2026-12-25", True)
    e = cli.json("edit", uid, "--start", "2026-12-27")  # the days move along
    assert (e["start"], e["end"]) == ("2026-12-27", "2026-12-28")
    e = cli.json("edit", uid, "--end", "2026-12-29T10:00")  # all-day: the day counts
    assert (e["start"], e["end"], e["all_day"]) == ("2026-12-27", "2026-12-29", True)
    err = cli.fails(2, "edit", uid, "--duration", "2h")  # a time needs --start with one
    assert "ein ganztägiger Termin dauert ganze Tage" in err
    e = cli.json("edit", uid, "--start", "2026-12-27T09:00")
    assert (e["start"], e["end"], e["all_day"]) == (
        "2026-12-27T09:00:00+01:00", "2026-12-27T10:00:00+01:00", False
    )  # fmt: skip


def test_edit_keeps_what_the_cli_does_not_show(cli: Cli) -> None:
    """An event from a server keeps its other properties (alarm, attendee) through an edit."""
    a = _series()
    text = a.ical.replace("SUMMARY:Jour fixe\r\n", "SUMMARY:Jour fixe\r\nX-SPECIAL:bleibt\r\n"
                          "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Gleich\r\n"
                          "TRIGGER:-PT15M\r\nEND:VALARM\r\n")  # fmt: skip
    Appointment.update(ical=text).where(Appointment.id == a.id).execute()
    cli.json("edit", "series-1", "--summary", "Jour fixe (neu)", "--location", "Raum 2")
    upload = calsync.local_text(Appointment.get_by_id(a.id))
    assert "X-SPECIAL:bleibt" in upload and "TRIGGER:-PT15M" in upload
    assert "RRULE:FREQ=WEEKLY;COUNT=4" in upload
    s = ical.summarize(upload)
    assert (s.summary, s.location, s.uid) == ("Jour fixe (neu)", "Raum 2", "series-1")


def test_edit_refuses_unknown_ambiguous_and_empty(cli: Cli) -> None:
    one = cli.json("add", "--summary", "Team", "--start", "2026-12-01T10:00")
    two = cli.json("add", "--summary", "team", "--start", "2026-12-08T10:00")
    err = cli.fails(1, "edit", "Team", "--summary", "X")
    assert "„Team“ ist mehrdeutig (2 Termine: 01.12.2026 10:00–11:00 UID " in err
    assert one["uid"] in err and two["uid"] in err and "bitte die UID angeben" in err
    err = cli.fails(1, "edit", "Nix", "--summary", "X")
    assert err.strip() == "contactbox-sync: Kein Termin „Nix“ bei „Standardbenutzer“ gefunden."
    err = cli.fails(2, "edit", one["uid"])
    assert "Nichts zu ändern" in err
    err = cli.fails(2, "edit", "--summary", "X")
    assert "REF" in err
    err = cli.fails(2, "edit", one["uid"], "two", "--summary", "X")
    assert "unrecognized arguments: two" in err
    err = cli.fails(1, "edit", one["uid"], "--end", "2026-12-01T09:00")
    assert "Das Ende des Termins liegt vor seinem Beginn." in err
    assert [a.summary for a in Appointment.select().order_by(Appointment.id)] == ["Team", "team"]


# ---------------------------------------------------------------- delete


def test_delete_moves_to_the_trash_in_either_argument_order(cli: Cli) -> None:
    a = cli.json("add", "--summary", "Alt", "--start", "2026-12-01T10:00")
    b = cli.json("add", "--summary", "Auch alt", "--start", "2026-12-02", "--location", "Ort")
    d = cli.json("delete", a["uid"])
    assert d == {**a, "trashed": True}
    code, out, err = cli.raw("delete", "--user", "Standardbenutzer", "auch alt")
    assert (code, out.strip()) == (0, "Termin „Auch alt“ in den Papierkorb verschoben."), err
    assert cli.json("list") == []
    trash = trashed_appointments(User.get(User.name == "Standardbenutzer"))
    assert {t.id for t in trash} == {a["id"], b["id"]}
    assert {t.status for t in trash} == {LOCAL_ONLY}

    rows = cli.json("list", "--trash")
    assert [(r["uid"], r["status"], r["deleted_by"]) for r in rows] == [
        (b["uid"], LOCAL_ONLY, "contactbox"),
        (a["uid"], LOCAL_ONLY, "contactbox"),
    ]
    assert rows[0]["status_de"] == "war nie auf dem Server"
    code, out, _err = cli.raw("list", "--trash")
    assert out.splitlines()[0] == (
        f"02.12.2026 ganztägig\tAuch alt\t{b['uid']}\tOrt: Ort"
        "\tgelöscht in Contactbox: war nie auf dem Server"
    )
    err = cli.fails(1, "delete", a["uid"])  # in the trash: no longer a live appointment
    assert "Kein Termin" in err
    err = cli.fails(2, "delete")
    assert "REF" in err


def test_calendar_names_the_user_it_is_bound_to(cli: Cli) -> None:
    """--calendar: the user whose appointments sync with that server calendar; two
    calendars of one name (in two accounts) are refused with their paths."""
    cli_raw(cli.home, cli.capsys, "users", "add", "Eva")
    for label, user, href in (
        ("Kal A", "Standardbenutzer", "/dav/a/termine/"),
        ("Kal B", "Eva", "/dav/b/termine/"),
    ):
        account = Account.create(label=label, kind="caldav", username="u", server="s")
        CalendarBinding.create(account=account, user=User.get(User.name == user),
                               remote_href=href, remote_name="Termine")  # fmt: skip
    err = cli.fails(1, "add", "--calendar", "Termine", "--summary", "X", "--start", "2026-12-24")
    assert (
        "Mehrere Kalender heißen „Termine“ (/dav/a/termine/ – Benutzer „Standardbenutzer“; "
        "/dav/b/termine/ – Benutzer „Eva“); bitte den Pfad oder --user angeben." in err
    )
    d = cli.json("add", "--calendar", "/dav/b/termine", "--summary", "X", "--start", "2026-12-24")
    assert d["user"] == "Eva"
    assert [r["uid"] for r in cli.json("list", "--calendar", "/dav/b/termine/")] == [d["uid"]]
    assert cli.json("list", "--calendar", "/dav/a/termine/") == []
    err = cli.fails(2, "list", "--calendar", "Termine", "--user", "Eva")
    assert "not allowed with argument" in err
