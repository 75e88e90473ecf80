"""`contactbox-sync calendar run` sends its first calendar's listing request before the store
and the sync code load, as `sync` does for address books (app/sync/head_start.py
`calendar_to_ask`, issue 21) — against real servers (Radicale, Xandikos; SabreDAV 1.8 has no
sync-collection: nothing is asked ahead there), with the run's outcome compared to the plain
run's: the request asked ahead is the run's listing (one sync-collection REPORT in all, from
the binding's token), the server's change arrives, `--user` picks the calendar as the run
does, and a run with nothing new reports what the plain run reports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app import ical
from app.cli import entry
from app.store.db import close_database, open_database
from app.store.models import CalendarBinding
from tests.servers.calendar_env import CalEnv, calendar_env
from tests.servers.dav_servers import DavServer
from tests.servers.test_head_start import comparable


@pytest.fixture
def env(
    dav_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[CalEnv]:
    with calendar_env(dav_server, tmp_path, monkeypatch, capsys) as e:
        e.put("a", _event("ev-a", "Zahnarzt"))
        assert e.run()["added_local"] == 1  # bound, imported, with a token
        yield e


def _event(uid: str, summary: str, hour: int = 9) -> str:
    return ical.new_event(
        uid, summary, datetime(2025, 6, 2, hour), datetime(2025, 6, 2, hour + 1),
        now=datetime(2025, 1, 1),
    )  # fmt: skip


def run(
    home: Path, capsys: pytest.CaptureFixture[str], *more: str, own_process: bool
) -> tuple[int, dict[str, Any]]:
    """`contactbox-sync --home HOME calendar run Kal --json [more]`, in this process; with
    `own_process` as the command line's own process runs it (the early way)."""
    capsys.readouterr()
    words = ["--home", str(home), "calendar", "run", "Kal", "--json", *more]
    try:
        code = entry._run(words, own_process=own_process)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, json.loads(capsys.readouterr().out)


def the_binding(home: Path) -> tuple[str, str | None, bool]:
    open_database(home / "contactbox.sqlite3")
    try:
        b = CalendarBinding.get()
        return b.remote_href, b.sync_token, bool(b.supports_sync)
    finally:
        close_database()


def test_a_calendar_run_is_asked_ahead_as_a_sync_is(
    env: CalEnv,
    tmp_path: Path,
    reports: list[str | None],
    asked: list[tuple[str, str | None]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "home"
    href, token, supports_sync = the_binding(home)
    listed = 1 if supports_sync else 0  # (without sync-collection nothing is ahead)
    env.put("b", _event("ev-b", "Friseur", hour=11))
    code, ahead = run(home, capsys, own_process=True)
    assert code == 0, ahead
    assert ahead["books"][0]["added_local"] == 1
    assert asked == [(href, token)] * listed  # the bound calendar, from the binding's token
    assert len(reports) == listed and all(reports)  # one delta in all, answered ahead
    assert set(env.local()) == {"ev-a", "ev-b"}

    # nothing new: the same report as the plain run's
    code, ahead = run(home, capsys, "--user", env.user, own_process=True)
    code_plain, plain = run(home, capsys, "--user", env.user, own_process=False)
    assert code == code_plain == 0 and ahead["books"][0]["unchanged"] is True
    assert comparable(ahead) == comparable(plain)
    assert len(asked) == 2 * listed and len(reports) == 3 * listed


def test_a_calendar_run_of_another_user_asks_nothing_ahead(
    env: CalEnv,
    tmp_path: Path,
    asked: list[tuple[str, str | None]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "home"
    said = []
    for own_process in (True, False):
        capsys.readouterr()
        words = ["--home", str(home), "calendar", "run", "Kal", "--user", "Niemand"]
        with pytest.raises(SystemExit) as ended:
            entry._run(words, own_process=own_process)
        said.append((ended.value.code, capsys.readouterr()))
    assert said[0] == said[1]  # no calendar of that user: the run says so, as before
    assert said[0][0] != 0 and "kein aktiver Kalender" in said[0][1].err
    assert asked == []
