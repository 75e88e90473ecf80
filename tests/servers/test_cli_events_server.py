"""A headless install set up and tested end to end through `contactbox-sync` alone (issue 17):
a user, a calendar account, a new server calendar, appointments added, edited and deleted
with `calendar event …`, each carried by `calendar run` to a real server (Radicale,
Xandikos, SabreDAV 1.8)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from app import ical
from app.dav.caldav import CalDavClient
from app.dav.session import DavSession
from app.store.appointment_trash import DELETED_ON_SERVER, trashed_appointments
from app.store.models import User
from tests.servers.cli_inprocess import cli_runner
from tests.servers.dav_servers import DavServer

pytestmark = pytest.mark.usefixtures("berlin_time")


def _server_events(server: DavServer, href: str) -> dict[str, tuple[str, str]]:
    """UID -> (etag, text) of every event in the server calendar, read by another client."""
    with DavSession(server.root_url, server.user, server.password) as session:
        client = CalDavClient(session)
        listing = client.list_etags(href)
        return {
            ical.summarize(e.text).uid: (e.etag, e.text)
            for e in client.multiget(href, listing.etags)
        }


def _ok(run: Callable[..., tuple[int, Any]], *args: str) -> Any:
    code, data = run(*args, "--json")
    assert code == 0, (args, data)
    return data


def test_user_and_appointments_only_through_the_cli(
    dav_server: DavServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = dav_server
    run = cli_runner(tmp_path / "home", capsys)
    monkeypatch.setenv("CONTACTBOX_PASSWORD", server.password)

    # Set up: a user, a calendar account, a new calendar on the server bound to the user.
    assert _ok(run, "users", "add", "Eva")["name"] == "Eva"
    _ok(run, "calendar", "account", "add", "Kal", "--url", server.root_url, "--user", server.user)
    name = f"Eva {uuid.uuid4().hex[:6]}"
    bound = _ok(run, "calendar", "bind", "Kal", name, "--user", "Eva", "--create")
    href = bound["href"]
    assert _server_events(server, href) == {}

    # Two appointments, by the calendar's name and by the user.
    feier = _ok(run, "calendar", "event", "add", "--calendar", name, "--summary", "Weihnachtsfeier",
                "--start", "2026-12-24T14:00", "--duration", "2h", "--location", "Saal 3",
                "--description", "Mit Glühwein")  # fmt: skip
    urlaub = _ok(run, "calendar", "event", "add", "--user", "Eva", "--summary", "Urlaub",
                 "--start", "2026-12-28", "--end", "2026-12-30")  # fmt: skip
    assert feier["user"] == urlaub["user"] == "Eva"

    report = _ok(run, "calendar", "run", "Kal")
    assert report["books"][0]["added_server"] == 2
    on_server = _server_events(server, href)
    assert set(on_server) == {feier["uid"], urlaub["uid"]}
    s = ical.summarize(on_server[feier["uid"]][1])
    assert (s.summary, s.start, s.end, s.all_day) == (
        "Weihnachtsfeier", datetime(2026, 12, 24, 13), datetime(2026, 12, 24, 15), False
    )  # fmt: skip
    assert (s.location, s.description) == ("Saal 3", "Mit Glühwein")
    u = ical.summarize(on_server[urlaub["uid"]][1])
    assert (u.summary, u.start, u.end, u.all_day) == (
        "Urlaub", date(2026, 12, 28), date(2026, 12, 30), True
    )  # fmt: skip
    assert _ok(run, "calendar", "run", "Kal")["books"][0]["added_server"] == 0

    # Edit (REF after the options, then REF first): the next run updates the server's copy.
    old_etag = on_server[feier["uid"]][0]
    _ok(run, "calendar", "event", "edit", "--calendar", name, "--summary",
        "Weihnachtsfeier (verschoben)", "--start", "2026-12-24T16:00",
        "Weihnachtsfeier")  # fmt: skip
    _ok(run, "calendar", "event", "edit", feier["uid"], "--user", "Eva", "--location", "Saal 4")
    report = _ok(run, "calendar", "run", "Kal")
    assert report["books"][0]["updated_server"] == 1
    etag, text = _server_events(server, href)[feier["uid"]]
    assert etag != old_etag
    s = ical.summarize(text)
    assert (s.summary, s.start, s.end, s.location) == (
        "Weihnachtsfeier (verschoben)", datetime(2026, 12, 24, 15), datetime(2026, 12, 24, 17),
        "Saal 4",
    )  # fmt: skip
    assert s.description == "Mit Glühwein"

    # Delete: to the trash; the next run deletes it on the server; never imported again.
    deleted = _ok(run, "calendar", "event", "delete", "--user", "Eva",
                  "weihnachtsfeier (verschoben)")  # fmt: skip
    assert deleted["trashed"] and deleted["uid"] == feier["uid"]
    report = _ok(run, "calendar", "run", "Kal")
    assert report["books"][0]["deleted_server"] == 1
    assert set(_server_events(server, href)) == {urlaub["uid"]}
    trash = _ok(run, "calendar", "event", "list", "--user", "Eva", "--trash")
    assert [(t["uid"], t["status"]) for t in trash] == [(feier["uid"], DELETED_ON_SERVER)]
    eva = User.get(User.name == "Eva")
    assert [t.summary for t in trashed_appointments(eva)] == ["Weihnachtsfeier (verschoben)"]
    listed = _ok(run, "calendar", "event", "list", "--calendar", name)
    assert [e["uid"] for e in listed] == [urlaub["uid"]]
    report = _ok(run, "calendar", "run", "Kal")
    assert report["books"][0]["added_local"] == 0
    assert set(_server_events(server, href)) == {urlaub["uid"]}

    users = {u["name"]: u for u in _ok(run, "users", "list")}
    assert users["Eva"]["calendar"] == name and users["Eva"]["appointments"] == 1
