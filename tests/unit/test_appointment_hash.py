"""The stored local hash of appointments (`Appointment.hash`, schema v9, issue 21).

A calendar run plans with the stored hash instead of building and hashing every
appointment's text. That is only right if the stored hash is, after every kind of local
write, exactly the hash computed from the appointment's fields (`calsync.local_hash`, what
every run computed before). Checked for every calendar object of the real-world corpus
(tests/unit/ics_realworld) and the tests' own calendars (tests/servers/ics), each through:
the sync's import (`CalendarSide.read`, parsed once), a window/CLI edit of the title and of
the time (`agenda.update_appointment`: a moved series takes its occurrences along), a server
update over it, a restore from the history, the trash and back, an upload's stored text;
and for appointments made in Contactbox: created, linked under the server's UID, uploaded.
The migration to v9 fills the column of a v8 database with the same hashes.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app import ical
from app.store import agenda, appointment_history, appointment_trash, calsync
from app.store import db as dbmod
from app.store.db import close_database, open_database
from app.store.models import Account, Appointment, AppointmentVersion, CalendarBinding
from app.sync.calendar import CalendarSide

TESTS = Path(__file__).resolve().parents[1]
CALENDARS = [TESTS / "unit" / "ics_realworld", TESTS / "servers" / "ics"]


def _resources() -> list[tuple[str, int, str]]:
    out = []
    for folder in CALENDARS:
        for path in sorted(folder.glob("*.ics")):
            text = path.read_bytes().decode("utf-8")
            for i, res in enumerate(ical.split_objects(text) or [text]):
                try:
                    ical.summarize(res)
                except ical.ICalError:  # VTODO/VJOURNAL (NotAnEvent), unreadable: no appointment
                    continue
                out.append((f"{folder.name}/{path.name}", i, res))
    return out


RESOURCES = _resources()

pytestmark = pytest.mark.usefixtures("berlin_time")  # floating times are read in local time


def _binding() -> CalendarBinding:
    user = agenda.current_user()
    account = Account.create(label="K", kind="caldav", username="u", server="s")
    return CalendarBinding.create(account=account, user=user, remote_href="/cal/")


def _stored_is_computed(aid: int, step: str) -> str:
    a = Appointment.get_by_id(aid)
    assert a.hash, f"{step}: no hash stored"
    assert a.hash == calsync.local_hash(a), f"{step}: stored hash differs from the computed one"
    return str(a.hash)


def _moved(value: datetime | None, all_day: bool) -> datetime | None:
    if value is None:
        return None
    return value + (timedelta(days=1) if all_day else timedelta(hours=1))


def test_the_corpus_has_events() -> None:
    assert len(RESOURCES) >= 40
    assert any(ical.summarize(r).recurring for _, _, r in RESOURCES)


@pytest.mark.parametrize(
    ("name", "index", "text"), RESOURCES, ids=[f"{n}#{i}" for n, i, _ in RESOURCES]
)
def test_stored_hash_equals_computed_after_every_write(
    store: Path, name: str, index: int, text: str
) -> None:
    binding = _binding()
    side = CalendarSide(binding, client=None)  # type: ignore[arg-type]  # read/import only
    href = f"/cal/{index}.ics"

    # The sync's import: one parse for summary and hash, the same figures as two.
    fetched = side.read(href, text)
    assert (fetched.summary, fetched.hash) == (ical.summarize(text), ical.normalized_hash(text))
    # An edit given the summary it already has: the same text, unchanged without a parse.
    now = datetime(2026, 6, 1, 12)
    s = fetched.summary
    same = dict(summary=s.summary, location=s.location, description=s.description,
                start=s.start, end=s.end, all_day=s.all_day)  # fmt: skip
    assert ical.edit_event(text, **same, now=now, current=s) is text
    assert ical.edit_event(text, summary="Neu", now=now, current=s) == ical.edit_event(
        text, summary="Neu", now=now
    )
    side.import_item(href, '"1"', fetched)
    aid = int(Appointment.get(Appointment.uid == fetched.uid).id)
    imported = _stored_is_computed(aid, "import")
    assert imported == fetched.hash  # an import is no local change
    assert calsync.local_items(binding.user_id)[0].hash == imported
    [state] = calsync.state_items(binding)
    assert state.local_hash == imported

    # The window's (and the CLI's) edit: title, then the time (a series moves along).
    a = Appointment.get_by_id(aid)
    if a.start is not None:
        agenda.update_appointment(aid, summary="Neuer Titel – geändert")
    else:  # no time at all (broken DTSTART): the window refuses it; a plain model write
        a.summary = "Neuer Titel – geändert"
        a.save()
    titled = _stored_is_computed(aid, "title edit")
    assert titled != imported
    a = Appointment.get_by_id(aid)
    if a.start is not None:
        agenda.update_appointment(
            aid, start=_moved(a.start, a.all_day), end=_moved(a.end or a.start, a.all_day)
        )
        assert _stored_is_computed(aid, "time edit") != titled
    edited = calsync.current_hash(aid)
    assert edited == Appointment.get_by_id(aid).hash

    # The server's version over it (a conflict the server won: the local one to the history).
    calsync.overwrite_local(
        binding, aid, href, '"2"', text, fetched.uid, (fetched.summary, fetched.hash),
        reason="conflict",
    )  # fmt: skip
    assert _stored_is_computed(aid, "server update") == imported

    # Restore the losing local version from the history ("Verlauf").
    loser = (
        AppointmentVersion.select()
        .where((AppointmentVersion.appointment == aid) & (AppointmentVersion.reason == "conflict"))
        .get()
    )
    appointment_history.restore_appointment_version(aid, int(loser.id))
    assert _stored_is_computed(aid, "history restore") == edited

    # To the trash and back.
    agenda.delete_appointment(aid)
    assert Appointment.get_by_id(aid).hash == edited
    calsync.deleted_on_server(binding, aid, href, fetched.uid)  # the deletion carried out
    assert calsync.trashed_version(binding.user_id, fetched.uid) == (aid, edited)
    assert appointment_trash.restore_appointments(binding.user_id, [aid]) == 1
    assert _stored_is_computed(aid, "trash restore") == edited

    # An upload: the server keeps the text as sent.
    up = side.upload_text(aid, fetched.uid)
    assert up.local_hash == edited
    calsync.record_upload(binding, aid, href, '"3"', fetched.uid, up.text, sent_hash=edited)
    assert _stored_is_computed(aid, "upload") == edited
    assert calsync.local_items(binding.user_id) == [calsync.local_item(aid)]


@pytest.mark.parametrize("all_day", [False, True])
def test_an_appointment_made_here_keeps_its_hash_through_link_and_upload(
    store: Path, all_day: bool
) -> None:
    binding = _binding()
    start = datetime(2026, 3, 4) if all_day else datetime(2026, 3, 4, 9, 30)
    aid = agenda.add_appointment(
        None, "Hier angelegt", start, start + timedelta(days=1 if all_day else 0, hours=1),
        all_day, location="Büro", notes="Zeile 1\nZeile 2", user=agenda.current_user(),
    )  # fmt: skip
    derived = _stored_is_computed(aid, "created")  # under the UID derived from its id
    a = Appointment.get_by_id(aid)
    assert ical.summarize(calsync.local_text(a)).uid == calsync.derived_uid(aid, a.created)

    # The same appointment found on the server under another UID: it takes that UID.
    calsync.link(binding, aid, "/cal/x.ics", '"1"', "SERVER-UID", "remote")
    linked = _stored_is_computed(aid, "link")
    assert linked != derived  # the text it would upload names the new UID
    assert calsync.state_items(binding)[0].local_hash == linked

    agenda.update_appointment(aid, location="")
    edited = _stored_is_computed(aid, "location removed")
    up = CalendarSide(binding, client=None).upload_text(aid, "SERVER-UID")  # type: ignore[arg-type]
    calsync.record_upload(
        binding, aid, "/cal/x.ics", '"2"', "SERVER-UID", up.text, sent_hash=edited
    )
    assert _stored_is_computed(aid, "upload") == edited
    assert Appointment.get_by_id(aid).ical == up.text


def test_an_upload_overtaken_by_an_edit_keeps_the_edit_and_its_hash(store: Path) -> None:
    binding = _binding()
    aid = agenda.add_appointment(
        None, "Eins", datetime(2026, 5, 1, 8), None, user=agenda.current_user()
    )
    sent = CalendarSide(binding, client=None).upload_text(aid, "")  # type: ignore[arg-type]
    agenda.update_appointment(aid, summary="Zwei")  # while the upload is in flight
    uid = ical.summarize(sent.text).uid
    calsync.record_upload(
        binding, aid, "/cal/e.ics", '"1"', uid, sent.text, sent_hash=sent.local_hash
    )
    now = _stored_is_computed(aid, "edit during upload")
    assert now != sent.local_hash
    assert calsync.state_items(binding)[0].local_hash == sent.local_hash  # the edit goes up next


def test_migration_to_v9_fills_the_hash_of_a_v8_database(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    db = open_database(path)
    binding = _binding()
    side = CalendarSide(binding, client=None)  # type: ignore[arg-type]
    ids = []
    for i, (_name, _index, text) in enumerate(RESOURCES[:12]):
        f = side.read(f"/cal/{i}.ics", text)
        side.import_item(f"/cal/{i}.ics", '"1"', f)
        ids.append(int(Appointment.get(Appointment.uid == f.uid).id))
    agenda.update_appointment(ids[0], summary="Lokal geändert")
    ids.append(
        agenda.add_appointment(None, "Neu", datetime(2026, 1, 2, 9), None, user=binding.user)
    )
    agenda.delete_appointment(ids[1])  # a trashed one is filled too
    expected = {aid: calsync.local_hash(Appointment.get_by_id(aid)) for aid in ids}
    # A v8 database: no hash column.
    db.execute_sql("ALTER TABLE appointment DROP COLUMN hash")
    db.execute_sql("UPDATE meta_entry SET value = '8' WHERE key = 'schema_version'")
    close_database()

    db = open_database(path)
    try:
        assert dbmod.SCHEMA_VERSION >= 9
        assert {a.id: a.hash for a in Appointment.select()} == expected
        assert list(tmp_path.glob("contactbox.vor-migration-v8-*.sqlite3"))
        # Idempotent: a second run finds nothing to fill and changes nothing.
        db.execute_sql("UPDATE appointment SET hash = '' WHERE id = ?", (ids[2],))
        dbmod.MIGRATIONS[8](db)
        dbmod.MIGRATIONS[8](db)
        assert {a.id: a.hash for a in Appointment.select()} == expected
    finally:
        close_database()
    con = sqlite3.connect(path)
    version = "select value from meta_entry where key = 'schema_version'"
    assert con.execute(version).fetchone() == (str(dbmod.SCHEMA_VERSION),)
    con.close()


def test_migration_fills_in_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.store import migrations

    monkeypatch.setattr(migrations, "HASH_BATCH", 3)
    path = tmp_path / "contactbox.sqlite3"
    db = open_database(path)
    user = agenda.current_user()
    ids = [
        agenda.add_appointment(None, f"T{i}", datetime(2026, 1, 1 + i, 9), None, user=user)
        for i in range(8)
    ]
    expected = {aid: Appointment.get_by_id(aid).hash for aid in ids}
    db.execute_sql("UPDATE appointment SET hash = ''")
    migrations._appointment_hash_v9(db)
    assert {a.id: a.hash for a in Appointment.select()} == expected
    assert all(expected.values())
    close_database()


def test_an_appointment_without_known_hash_is_hashed_when_read(store: Path) -> None:
    """A row whose text could not be built at its last write keeps "" and is computed
    when the planner reads it (as every appointment was before v9)."""
    user = agenda.current_user()
    aid = agenda.add_appointment(None, "X", datetime(2026, 2, 2, 9), None, user=user)
    expected = Appointment.get_by_id(aid).hash
    Appointment.update(hash="").where(Appointment.id == aid).execute()
    [item] = calsync.local_items(user)
    assert item.hash == expected
    assert calsync.current_hash(aid) == expected


def test_an_unbuildable_text_stores_no_hash(store: Path) -> None:
    user = agenda.current_user()
    aid = agenda.add_appointment(None, "Y", datetime(2026, 2, 2), None, True, user=user)
    a = Appointment.get_by_id(aid)
    a.ical = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"  # no VEVENT: edit_event cannot build it
    a.save()
    assert Appointment.get_by_id(aid).hash == ""
    with pytest.raises(ical.ICalError):
        calsync.local_items(user)  # as before v9: the run reports it
