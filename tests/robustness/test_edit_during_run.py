"""An edit saved in Contactbox while a run is under way is never lost (issue 15).

The local store is a storage with preconditions, like the server: every engine write over
a local item is a compare-and-set against the version the plan saw, and an upload records
as synced only the version it sent. These tests save an edit through the store API the
window uses (`contacts.update_contact`, `agenda.update_appointment`), from another thread
(its own database connection, as the window or a second process has), at each point of a
real run against real servers:

* ``listing``  — right after the run read the local items, while the listing request is
  out (the plan works with the version before the edit);
* ``planned``  — after the plan, before its first local write;
* ``request``  — while our PUT is on its way (the text sent is the one before the edit);
* ``answer``   — after the server carried out our PUT, before we heard the answer and
  committed the state.

Afterwards the edit is on the server, or it is reported as a conflict with both versions
kept (the loser in the history) — never silently gone. And the next run has nothing left.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from app import ical, vcard
from app.store import agenda
from app.store import contacts as cs
from app.store.db import close_database, open_database
from app.store.models import Appointment, AppointmentVersion
from app.sync.calendar import CalendarSide
from app.sync.execute import BookSide
from tests.robustness.during_run import At
from tests.robustness.faultproxy import at
from tests.robustness.test_concurrent_edit import Setup, card, interfered_book
from tests.servers.calendar_env import CalEnv, calendar_env
from tests.servers.conftest import radicale_server, sabredav_server  # noqa: F401
from tests.servers.dav_servers import DavServer

pytestmark = pytest.mark.servers

__all__ = ["interfered_book"]  # the fixture, used by name

EARLY = ("listing", "planned")
IN_FLIGHT = ("request", "answer")
QUIET = ("added_local", "updated_local", "deleted_local", "added_server", "updated_server",
         "deleted_server", "conflicts")  # fmt: skip


# ---------------------------------------------------------------- contacts


@pytest.fixture
def book(interfered_book: Setup, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Setup, At]]:
    yield interfered_book, At(monkeypatch, interfered_book.proxy, BookSide)


def desk_edit(s: Setup, uid: str, tel: str) -> Callable[[], None]:
    """The window saves the contact `uid` with a new phone number."""

    def edit() -> None:
        contact = cs.find_live_by_uid(cs.get_book(s.name), uid)
        assert contact is not None
        cs.update_contact(contact, card(uid, f"Person {uid}", tel))

    return edit


def sync(s: Setup, prefer: str = "server") -> dict[str, Any]:
    code, report = s.sync(prefer)
    assert code == 0, report
    book: dict[str, Any] = report["books"][0]
    return book


def quiet(s: Setup, prefer: str = "server") -> None:
    again = sync(s, prefer)
    assert not any(again[k] for k in QUIET), again


def edit_locally(s: Setup, uid: str, tel: str) -> None:
    open_database(s.db)
    try:
        desk_edit(s, uid, tel)()
    finally:
        close_database()


@pytest.mark.parametrize("prefer", ["server", "contactbox"])
@pytest.mark.parametrize("point", EARLY)
def test_an_edit_saved_before_a_server_update_is_written_becomes_a_conflict(
    book: tuple[Setup, At], point: str, prefer: str
) -> None:
    s, at_ = book
    s.server.put_card(s.book_url, "ed-1.vcf", card("ed-1", "Person ed-1", "+49 30 1"))
    assert sync(s, prefer)["added_local"] == 1
    s.server.put_card(s.book_url, "ed-1.vcf", card("ed-1", "Person ed-1", "+49 89 9"))

    at_.arm(point, desk_edit(s, "ed-1", "+49 40 4"))
    report = sync(s, prefer)
    assert at_.fired == [point]

    live, history = s.local()
    server = s.server_phones()
    assert report["conflicts"] == 1, report
    assert any("in Contactbox geändert und neu bewertet" in n for n in report["notes"])
    if prefer == "server":
        assert server["ed-1"] == live["ed-1"] == "+49 89 9"
        assert "+49 40 4" in history["ed-1"], "the edit saved during the run is lost"
        assert [c["winner"] for c in report["conflict_notes"]] == ["server"]
    else:
        assert server["ed-1"] == live["ed-1"] == "+49 40 4"
        assert "+49 89 9" in history["ed-1"], "the server's version is lost"
        assert [c["winner"] for c in report["conflict_notes"]] == ["contactbox"]
    quiet(s, prefer)


@pytest.mark.parametrize("point", EARLY)
def test_an_edit_saved_before_a_server_deletion_is_carried_out_goes_up_again(
    book: tuple[Setup, At], point: str
) -> None:
    s, at_ = book
    for uid in ("del-1", "keep-1", "keep-2"):  # (one of three: no mass deletion)
        s.server.put_card(s.book_url, f"{uid}.vcf", card(uid, f"Person {uid}", "+49 30 1"))
    sync(s)
    s.server.delete_card(s.server.card_url(s.book_url, s.href_of("del-1").rsplit("/", 1)[-1]))

    at_.arm(point, desk_edit(s, "del-1", "+49 40 4"))
    report = sync(s)
    assert at_.fired == [point]
    assert report["deleted_local"] == 0 and report["added_server"] == 1, report
    live, _ = s.local()
    assert s.server_phones()["del-1"] == live["del-1"] == "+49 40 4"
    assert len(live) == len(s.server_phones()) == 3
    quiet(s)


@pytest.mark.parametrize("point", EARLY)
def test_an_edit_saved_while_a_first_run_links_a_pair_goes_up_next_run(
    book: tuple[Setup, At], point: str
) -> None:
    s, at_ = book
    s.server.put_card(s.book_url, "pair-1.vcf", card("pair-1", "Person pair-1", "+49 30 1"))
    open_database(s.db)
    try:  # the same contact in Contactbox already: the first run only links them
        cs.add_contact(cs.ensure_book(s.name), card("pair-1", "Person pair-1", "+49 30 1"))
    finally:
        close_database()

    at_.arm(point, desk_edit(s, "pair-1", "+49 40 4"))
    sync(s)
    assert at_.fired == [point]
    report = sync(s)
    assert report["updated_server"] == 1, report
    live, _ = s.local()
    assert s.server_phones() == live == {"pair-1": "+49 40 4"}
    quiet(s)


@pytest.mark.parametrize("point", IN_FLIGHT)
def test_a_second_edit_saved_while_the_first_is_uploaded_goes_up_next_run(
    book: tuple[Setup, At], point: str
) -> None:
    s, at_ = book
    s.server.put_card(s.book_url, "up-1.vcf", card("up-1", "Person up-1", "+49 30 1"))
    sync(s)
    edit_locally(s, "up-1", "+49 40 1")

    at_.arm(point, desk_edit(s, "up-1", "+49 40 2"))
    report = sync(s)
    assert at_.fired == [point]
    assert report["updated_server"] == 1 and not report["errors"], report
    live, _ = s.local()
    assert live == {"up-1": "+49 40 2"}  # the window's edit is still there …
    assert sync(s)["updated_server"] == 1  # … and goes up with the next run
    assert s.server_phones() == {"up-1": "+49 40 2"}
    quiet(s)


@pytest.mark.parametrize("point", IN_FLIGHT)
def test_an_edit_saved_while_a_new_contact_is_uploaded_goes_up_next_run(
    book: tuple[Setup, At], point: str
) -> None:
    s, at_ = book
    sync(s)  # bound, empty
    open_database(s.db)
    try:
        cs.add_contact(cs.get_book(s.name), card("new-1", "Person new-1", "+49 40 1"))
    finally:
        close_database()

    at_.arm(point, desk_edit(s, "new-1", "+49 40 2"))
    assert sync(s)["added_server"] == 1
    assert at_.fired == [point]
    assert sync(s)["updated_server"] == 1
    live, _ = s.local()
    assert s.server_phones() == live == {"new-1": "+49 40 2"}  # one card, the last edit
    quiet(s)


def test_a_first_run_match_whose_upload_fails_is_retried_and_converges(
    interfered_book: Setup,
) -> None:
    """Matched by name + e-mail (different UIDs), Contactbox preferred: the upload meets
    a 500. The pair is not taken as synced, the contact keeps its UID, nothing doubles;
    the next run uploads it and the contact takes the card's UID."""
    s = interfered_book
    mail = "anna@example.de"
    s.server.put_card(s.book_url, "srv.vcf", vcard_with("srv-anna", mail, "+49 89 1"))
    open_database(s.db)
    try:
        cs.add_contact(cs.ensure_book(s.name), vcard_with("desk-anna", mail, "+49 40 1"))
    finally:
        close_database()

    s.proxy.reset_log(at({1: "status_500"}, methods={"PUT"}))
    code, report = s.sync("contactbox")
    assert code != 0 and report["books"][0]["errors"], report
    live, _ = s.local()
    assert live == {"desk-anna": "+49 40 1"}  # no UID adopted for a write that failed
    assert s.server_phones() == {"srv-anna": "+49 89 1"}

    s.proxy.reset_log(lambda n, m, p: None)
    again = sync(s, "contactbox")
    assert again["updated_server"] == 1 and again["added_local"] == 0, again
    live, _ = s.local()
    assert s.server_phones() == live == {"srv-anna": "+49 40 1"}
    quiet(s, "contactbox")


def vcard_with(uid: str, mail: str, tel: str) -> str:
    return vcard.set_uid(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Abgleich\r\nN:Abgleich;Anna;;;\r\n"
        f"EMAIL:{mail}\r\nTEL:{tel}\r\nEND:VCARD\r\n",
        uid,
    )


def test_a_create_whose_answer_was_lost_is_taken_over_for_any_uid(
    interfered_book: Setup,
) -> None:
    """Apple's UIDs (`urn:uuid:…:ABPerson`) are no safe file names. The object name is
    derived from the UID (never random), so when our upload's answer was lost and the next
    listing does not show the card yet (a server whose listings lag behind its writes), the
    new attempt meets our own card under the same name and takes it over: one card."""
    s = interfered_book
    sync(s)
    uid = f"urn:uuid:{uuid.uuid4()}:ABPerson"
    open_database(s.db)
    try:
        cs.add_contact(cs.get_book(s.name), card(uid, "Apfel Person", "+49 40 1"))
    finally:
        close_database()
    s.proxy.reset_log(at({1: "reset_after"}, methods={"PUT"}))
    code, _ = s.sync("server")
    assert code != 0  # the answer never came: the run could not know
    assert list(s.server_phones()) == [uid]  # but the card is on the server
    (put,) = [e for e in s.proxy.log if e.method == "PUT"]
    name = put.path.rsplit("/", 1)[-1]

    def lagging(method: str, path: str, status: int, body: bytes) -> bytes:
        """Listings leave the new card out (multistatus <response> elements naming it)."""
        if method not in ("PROPFIND", "REPORT"):
            return body
        pattern = rb"<([A-Za-z0-9]+:)?response\b.*?</([A-Za-z0-9]+:)?response>"
        return re.sub(
            pattern, lambda m: b"" if name.encode() in m.group(0) else m.group(0), body,
            flags=re.S,
        )  # fmt: skip

    s.proxy.reset_log(lambda n, m, p: None)
    s.proxy.rewrite = lagging
    try:
        sync(s)
    finally:
        s.proxy.rewrite = None
    assert s.server_phones() == {uid: "+49 40 1"}, "the card was uploaded twice"
    puts = [e for e in s.proxy.log if e.method == "PUT"]
    assert [(e.path.rsplit("/", 1)[-1], e.status) for e in puts] == [(name, 412)]
    quiet(s)


# ---------------------------------------------------------------- appointments


@pytest.fixture
def cal(
    radicale_server: DavServer,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[tuple[CalEnv, At]]:
    with calendar_env(radicale_server, tmp_path, monkeypatch, capsys, proxied=True) as env:
        assert env.proxy is not None
        yield env, At(monkeypatch, env.proxy, CalendarSide)


def event(uid: str, summary: str) -> str:
    return ical.new_event(
        uid, summary, datetime(2025, 6, 2, 9), datetime(2025, 6, 2, 10), now=datetime(2025, 1, 1)
    )


def appointment(uid: str) -> Any:
    return Appointment.get((Appointment.uid == uid) & Appointment.deleted_at.is_null())


def retitle(uid: str, summary: str) -> Callable[[], None]:
    """The window saves the appointment `uid` with a new title."""
    return lambda: agenda.update_appointment(appointment(uid).id, summary=summary)


def titles(env: CalEnv) -> tuple[dict[str, str], dict[str, str]]:
    """(server UID -> title, local UID -> title)."""
    server = {uid: ical.summarize(text).summary for uid, (_, _, text) in env.events().items()}
    return server, {uid: a.summary for uid, a in env.local().items()}


def cal_quiet(env: CalEnv) -> None:
    again = env.run()
    assert not any(again[k] for k in QUIET), again


@pytest.mark.parametrize("point", EARLY)
def test_an_appointment_edit_saved_before_a_server_update_is_written_becomes_a_conflict(
    cal: tuple[CalEnv, At], point: str
) -> None:
    env, at_ = cal
    env.put("ev-1.ics", event("ev-1", "Anfang"))
    env.run()
    env.edit("ev-1", summary="Vom Server")

    at_.arm(point, retitle("ev-1", "Vom Schreibtisch"))
    report = env.run()
    assert at_.fired == [point]
    assert report["conflicts"] == 1, report
    server, local = titles(env)
    assert server == local == {"ev-1": "Vom Server"}  # preference: server
    kept = AppointmentVersion.select().where(AppointmentVersion.appointment == appointment("ev-1"))
    conflict = [v for v in kept if v.reason == "conflict"]
    assert conflict and "Vom Schreibtisch" in conflict[0].ical, "the desk edit is lost"
    cal_quiet(env)


@pytest.mark.parametrize("point", EARLY)
def test_an_appointment_edit_saved_before_a_server_deletion_goes_up_again(
    cal: tuple[CalEnv, At], point: str
) -> None:
    env, at_ = cal
    for uid in ("gone", "stays-1", "stays-2"):  # (one of three: no mass deletion)
        env.put(f"{uid}.ics", event(uid, "Anfang"))
    env.run()
    href, etag, _ = env.events()["gone"]
    env.client.delete(href, etag)

    at_.arm(point, retitle("gone", "Doch noch"))
    report = env.run()
    assert at_.fired == [point]
    assert report["deleted_local"] == 0 and report["added_server"] == 1, report
    server, local = titles(env)
    assert server == local and server["gone"] == "Doch noch" and len(server) == 3
    cal_quiet(env)


@pytest.mark.parametrize("point", IN_FLIGHT)
def test_a_second_appointment_edit_saved_during_the_upload_goes_up_next_run(
    cal: tuple[CalEnv, At], point: str
) -> None:
    env, at_ = cal
    env.put("two.ics", event("two", "Anfang"))
    env.run()
    retitle("two", "Erste Änderung")()

    at_.arm(point, retitle("two", "Zweite Änderung"))
    report = env.run()
    assert at_.fired == [point]
    assert report["updated_server"] == 1 and not report["errors"], report
    assert titles(env)[1] == {"two": "Zweite Änderung"}
    assert env.run()["updated_server"] == 1
    server, local = titles(env)
    assert server == local == {"two": "Zweite Änderung"}
    cal_quiet(env)
