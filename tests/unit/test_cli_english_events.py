"""`contactbox-sync --language en calendar event …` and `reports` (issue 20, the CLI part B):
appointments added, listed (also a range and the trash), edited and deleted in English, with
dates in the English format ("2026-12-06 14:05"; German "06.12.2026 14:05"), errors in
English, and the JSON the same in German and English (ISO 8601 in both). `reports` lists the
kept reports with the local time in the language's format. In-process against a real SQLite
store; local time is Europe/Berlin."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app import i18n
from app.store.reports import save_report
from app.sync.report import BookReport, RunReport
from tests.i18n_words import assert_no_german
from tests.servers.cli_inprocess import cli_raw

pytestmark = pytest.mark.usefixtures("berlin_time")

EVENT = ("calendar", "event")
WHO = ("--user", "Eve")  # not the default user: its built-in name is the users part's


class Cli:
    def __init__(self, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.home, self.capsys = home, capsys

    def de(self, *args: str) -> tuple[int, str, str]:
        return cli_raw(self.home, self.capsys, *args)

    def en(self, *args: str) -> tuple[int, str, str]:
        return cli_raw(self.home, self.capsys, "--language", "en", *args)

    def ok_en(self, *args: str) -> str:
        code, out, err = self.en(*args)
        assert (code, err) == (0, ""), (args, out, err)
        assert_no_german(out)
        return out

    def fails_en(self, code: int, *args: str) -> str:
        got, out, err = self.en(*args)
        assert (got, out) == (code, ""), (args, err)
        assert_no_german(err)
        return err

    def same_json(self, *args: str) -> Any:
        """The JSON of a call that changes nothing: the same in German and English."""
        code_de, out_de, err = self.de(*args, "--json")
        assert code_de == 0, err
        code_en, out_en, err = self.en(*args, "--json")
        assert (code_en, out_en) == (0, out_de), (args, err)
        return json.loads(out_en)


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    c = Cli(tmp_path / "home", capsys)
    code, _, err = c.de("users", "add", "Eve")
    assert code == 0, err
    return c


def _uid(out: str) -> str:
    return out.rsplit("UID ", 1)[1].split(")")[0]


def test_add_list_edit_delete_in_english(cli: Cli) -> None:
    out = cli.ok_en(*EVENT, "add", *WHO, "--summary", "Team call", "--start", "2026-12-06T14:05",
                    "--duration", "1h", "--location", "Room 3")  # fmt: skip
    call = _uid(out)
    assert out == f"Appointment “Team call” added for “Eve” (2026-12-06 14:05–15:05, UID {call}).\n"
    out = cli.ok_en(*EVENT, "add", *WHO, "--summary", "Fair", "--start", "2026-12-07",
                    "--end", "2026-12-09")  # fmt: skip
    fair = _uid(out)
    span = "2026-12-07 – 2026-12-09 all day"
    assert out == f"Appointment “Fair” added for “Eve” ({span}, UID {fair}).\n"
    out = cli.ok_en(*EVENT, "add", *WHO, "--summary", "Fair", "--start", "2026-12-10")
    fair2 = _uid(out)
    assert "(2026-12-10 all day, UID " in out
    out = cli.ok_en(*EVENT, "add", *WHO, "--summary", "Night", "--start", "2026-12-11T22:00",
                    "--end", "2026-12-12T01:30")  # fmt: skip
    night = _uid(out)
    assert "(2026-12-11 22:00 – 2026-12-12 01:30, UID " in out

    listed = [
        f"2026-12-06 14:05–15:05\tTeam call\t{call}\tLocation: Room 3",
        f"2026-12-07 – 2026-12-09 all day\tFair\t{fair}",
        f"2026-12-10 all day\tFair\t{fair2}",
        f"2026-12-11 22:00 – 2026-12-12 01:30\tNight\t{night}",
    ]
    assert cli.ok_en(*EVENT, "list", *WHO).splitlines() == listed
    assert cli.ok_en(*EVENT, "list", *WHO, "--from", "2026-12-08", "--to", "2026-12-10") == (
        "\n".join(listed[1:3]) + "\n"
    )
    # German: the same list in German dates and words.
    _code, out_de, _err = cli.de(*EVENT, "list", *WHO)
    assert out_de.splitlines()[:2] == [
        f"06.12.2026 14:05–15:05\tTeam call\t{call}\tOrt: Room 3",
        f"07.12.2026 – 09.12.2026 ganztägig\tFair\t{fair}",
    ]
    data = cli.same_json(*EVENT, "list", *WHO)
    assert (data[0]["start"], data[1]["start"]) == ("2026-12-06T14:05:00+01:00", "2026-12-07")
    assert cli.same_json(*EVENT, "list", *WHO, "--from", "2026-12-08", "--to", "2026-12-10")

    out = cli.ok_en(*EVENT, "edit", "team call", *WHO, "--summary", "Team call 2")
    assert out == f"Appointment “Team call 2” changed (UID {call}).\n"
    out = cli.ok_en(*EVENT, "delete", "Team call 2", *WHO)
    assert out == "Appointment “Team call 2” moved to the trash.\n"
    assert cli.ok_en(*EVENT, "list", *WHO, "--trash") == (
        f"2026-12-06 14:05–15:05\tTeam call 2\t{call}\tLocation: Room 3"
        "\tdeleted in Contactbox: was never on the server\n"
    )
    trash = cli.same_json(*EVENT, "list", *WHO, "--trash")
    assert trash[0]["status_de"] == "war nie auf dem Server"  # the field scripts read: German

    # Adding, editing, deleting: the same JSON in German and English (but for the new ids).
    def made(lang: str) -> dict[str, Any]:
        run = cli.de if lang == "de" else cli.en
        code, out, err = run(*EVENT, "add", *WHO, "--summary", f"Call {lang}", "--start",
                             "2026-12-20T09:00", "--json")  # fmt: skip
        assert code == 0, err
        added = json.loads(out)
        code, out, err = run(*EVENT, "edit", added["uid"], *WHO, "--summary", "Call", "--json")
        edited = json.loads(out)
        code, out, err = run(*EVENT, "delete", added["uid"], *WHO, "--json")
        deleted = json.loads(out)
        return {
            name: {k: v for k, v in d.items() if k not in ("id", "uid", "summary")}
            for name, d in (("added", added), ("edited", edited), ("deleted", deleted))
        }

    assert made("de") == made("en")


def test_empty_lists_and_errors_in_english(cli: Cli) -> None:
    assert cli.ok_en(*EVENT, "list", *WHO) == "No appointments for “Eve”.\n"
    assert cli.ok_en(*EVENT, "list", *WHO, "--trash") == "The trash of “Eve” is empty.\n"
    fair = _uid(cli.ok_en(*EVENT, "add", *WHO, "--summary", "Fair", "--start", "2026-12-07"))
    cli.ok_en(*EVENT, "add", *WHO, "--summary", "Fair", "--start", "2026-12-08T10:00")
    err = cli.fails_en(1, *EVENT, "edit", "fair", *WHO, "--summary", "X")
    assert err.startswith(
        "contactbox-sync: “fair” is ambiguous (2 appointments: 2026-12-07 all day UID "
    )
    assert "; 2026-12-08 10:00–11:00 UID " in err and err.endswith("please give the UID.\n")
    err = cli.fails_en(1, *EVENT, "delete", "Nothing", *WHO)
    assert err == "contactbox-sync: No appointment “Nothing” found for “Eve”.\n"
    err = cli.fails_en(2, *EVENT, "edit", fair, *WHO)
    assert err == (
        "contactbox-sync: Nothing to change: please give --summary, --start, --end, "
        "--duration, --all-day, --location or --description.\n"
    )
    err = cli.fails_en(2, *EVENT, "add", *WHO, "--summary", "X", "--start", "2026-12-06T14:00",
                       "--end", "2026-12-07")  # fmt: skip
    assert err == (
        "contactbox-sync: --end: the appointment has a time of day; please give --end with a "
        "time (e.g. 2026-12-07T10:00) or --all-day.\n"
    )
    err = cli.fails_en(2, *EVENT, "add", *WHO, "--summary", "X", "--start", "2026-12-06",
                       "--duration", "3h")  # fmt: skip
    assert err == (
        "contactbox-sync: --duration: an all-day appointment lasts whole days (e.g. P1D or 3d).\n"
    )
    err = cli.fails_en(2, *EVENT, "list", *WHO, "--from", "2026-12-10", "--to", "2026-12-01")
    assert err == "contactbox-sync: --to is before --from.\n"
    code, _out, err = cli.en(*EVENT, "add", *WHO, "--summary", "X", "--start", "24.12.2026")
    assert code == 2 and "argument --start: “24.12.2026” is not an ISO 8601 date (e.g. " in err
    code, _out, err = cli.en(*EVENT, "add", *WHO, "--summary", "X", "--start", "2026-12-24",
                            "--duration", "soon")  # fmt: skip
    assert code == 2 and "“soon” is not a duration (e.g. PT1H30M, P2D, 90m, 1h30m or 2d)" in err
    err = cli.fails_en(1, *EVENT, "list", "--calendar", "Holidays")
    assert err == (
        "contactbox-sync: No user is bound to a calendar “Holidays” (bound: none; see "
        "“calendar bind”).\n"
    )


def test_reports_list_in_the_languages_format(cli: Cli) -> None:
    assert cli.ok_en("reports") == "No reports yet.\n"
    _code, out, _err = cli.de("reports")
    assert out == "Noch keine Berichte.\n"
    started = datetime(2026, 12, 6, 13, 5)  # UTC: 14:05 in Berlin
    report = RunReport("Office", "run", started, finished=started, status="errors")
    report.books.append(BookReport("Team", "/dav/team/", "Team", "sync/server", server_count=2))
    number = save_report(None, report.to_dict(), "cli")
    assert cli.ok_en("reports") == f"{number}\t2026-12-06 14:05\tOffice\trun\terrors\n"
    _code, out, _err = cli.de("reports")
    assert out == f"{number}\t06.12.2026 14:05\tOffice\trun\terrors\n"
    assert cli.same_json("reports")[0]["started"] == "2026-12-06T13:05:00"
    assert cli.same_json("reports", "--id", str(number))["books"][0]["server_count"] == 2
    err = cli.fails_en(1, "reports", "--id", str(number + 1))
    assert err == f"contactbox-sync: There is no report no. {number + 1}.\n"


@pytest.mark.parametrize(
    ("language", "when", "day", "count"),
    [("de", "06.12.2026 14:05", "06.12.2026", "1.234.567"),
     ("en", "2026-12-06 14:05", "2026-12-06", "1,234,567")],
)  # fmt: skip
def test_dates_and_numbers_follow_the_language(
    language: str, when: str, day: str, count: str
) -> None:
    i18n.set_language(language)
    moment = datetime(2026, 12, 6, 14, 5)
    assert i18n.format_datetime(moment) == when
    assert i18n.format_date(moment.date()) == day
    assert i18n.format_time(moment) == "14:05"
    assert (i18n.format_number(1234567), i18n.format_number(7)) == (count, "7")
