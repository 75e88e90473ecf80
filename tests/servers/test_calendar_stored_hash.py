"""A calendar run over unchanged appointments parses none of them (issue 21), against a real
Radicale through the in-process `contactbox-sync calendar run`.

Every parse of iCalendar text goes through `app.ical.parse._split_lines`; the test wraps it
with a counter. A no-change run must not call it at all (before the stored hash, every run
built and hashed every appointment's text: three parses each). Local edits of every kind —
the window's store edit, the CLI's `calendar event edit`, a restore from the history, a
restore from the trash — are still found and uploaded, and the run after each parses
nothing again.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app import ical
from app.ical import parse
from app.store import agenda, appointment_history, appointment_trash
from app.store.models import AppointmentVersion
from tests.servers.calendar_env import CalEnv, calendar_env
from tests.servers.dav_servers import DavServer

ICS = Path(__file__).parent / "ics"
CORPUS = Path(__file__).parents[1] / "unit" / "ics_realworld"


class ParseCounter:
    """Counts the iCalendar texts parsed (`_split_lines` is the first step of each parse)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = parse._split_lines

        def counting(text: str) -> list[Any]:
            self.calls += 1
            return real(text)

        monkeypatch.setattr(parse, "_split_lines", counting)

    def during(self, fn: Any) -> tuple[Any, int]:
        before = self.calls
        out = fn()
        return out, self.calls - before


@pytest.fixture
def env(
    radicale_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[CalEnv]:
    with calendar_env(radicale_server, tmp_path, monkeypatch, capsys) as e:
        yield e


def figures(book: dict[str, Any]) -> dict[str, int]:
    keys = ("added_local", "updated_local", "deleted_local", "added_server", "updated_server",
            "deleted_server", "conflicts")  # fmt: skip
    return {k: book[k] for k in keys if book[k]}


def _event(uid: str, summary: str, day: int) -> str:
    return ical.new_event(
        uid, summary, datetime(2026, 3, day, 9), datetime(2026, 3, day, 10),
        now=datetime(2026, 1, 1),
    )  # fmt: skip


def test_a_no_change_run_parses_no_appointment_and_edits_still_go_up(
    env: CalEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simple events, series with exceptions and time zones from other clients, and
    # appointments made in Contactbox (no text yet: uploaded by the first run).
    for day in range(1, 11):
        env.put(f"e{day}", _event(f"ev-{day}", f"Termin {day}", day))
    env.put("series", (ICS / "outlook_recurring_exception.ics").read_text(encoding="utf-8"))
    env.put("moved", (ICS / "nextcloud_recurring_moved.ics").read_text(encoding="utf-8"))
    env.put("weekly", (CORPUS / "apple_ical3_weekly.ics").read_text(encoding="utf-8"))
    for i in range(3):
        agenda.add_appointment(None, f"Lokal {i}", datetime(2026, 4, 1 + i, 8), None)
    first = env.run()
    assert figures(first) == {"added_local": 13, "added_server": 3}
    local = env.local()
    assert len(local) == 16 and local.keys() == env.events().keys()

    counter = ParseCounter(monkeypatch)

    def quiet_run() -> None:
        out, parsed = counter.during(env.run)
        assert not figures(out), out
        assert parsed == 0, f"a no-change run parsed {parsed} iCalendar texts"

    quiet_run()

    # The window's edit (the store, as the agenda's dialog saves it).
    series = next(a for a in env.local().values() if ical.summarize(a.ical or "").recurring)
    agenda.update_appointment(series.id, summary="Serie umbenannt")
    out = env.run()
    assert figures(out) == {"updated_server": 1}
    assert ical.summarize(env.events()[series.uid][2]).summary == "Serie umbenannt"
    quiet_run()

    # The CLI's edit.
    code, said = env.run_cli(
        "calendar", "event", "edit", str(local["ev-3"].id), "--summary", "Per CLI", "--json"
    )
    assert code == 0, said
    out = env.run()
    assert figures(out) == {"updated_server": 1}
    assert ical.summarize(env.events()["ev-3"][2]).summary == "Per CLI"
    quiet_run()

    # A restore from the history: the series' title before the window's edit.
    [before] = AppointmentVersion.select().where(
        (AppointmentVersion.appointment == series.id) & (AppointmentVersion.reason == "edit")
    )
    appointment_history.restore_appointment_version(series.id, int(before.id))
    out = env.run()
    assert figures(out) == {"updated_server": 1}
    assert ical.summarize(env.events()[series.uid][2]).summary == series.summary
    quiet_run()

    # Deleted here (gone from the server), then restored from the trash: uploaded again.
    agenda.delete_appointment(local["ev-5"].id)
    out = env.run()
    assert figures(out) == {"deleted_server": 1}
    assert "ev-5" not in env.events()
    user = agenda.current_user()
    assert appointment_trash.restore_appointments(user, [local["ev-5"].id]) == 1
    out = env.run()
    assert figures(out) == {"added_server": 1}
    assert ical.summarize(env.events()["ev-5"][2]).summary == "Termin 5"
    quiet_run()

    assert env.local().keys() == env.events().keys()
