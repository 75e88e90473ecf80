"""Schema v3 (calendar sync) and app.store.calsync: migration, local text and hash, writes."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from app import ical
from app.store import agenda, calsync
from app.store import db as dbmod
from app.store.db import close_database, open_database
from app.store.models import (
    Account,
    Appointment,
    AppointmentTombstone,
    AppointmentVersion,
    CalendarBinding,
    EventState,
    User,
)


def test_migration_from_v2_adds_uid_and_calendar_tables(tmp_path: Path) -> None:
    path = tmp_path / "contactbox.sqlite3"
    db = open_database(path)
    user = agenda.current_user()
    aid = agenda.add_appointment(None, "Alt", datetime(2025, 1, 2, 9), None, user=user)
    # Make it look like schema 2: no uid column, no calendar tables.
    db.execute_sql("DROP INDEX IF EXISTS appointment_live_uid")
    db.execute_sql("DROP INDEX IF EXISTS appointment_uid")
    db.execute_sql("ALTER TABLE appointment DROP COLUMN uid")
    tables = ("event_state", "calendar_binding", "appointment_version", "appointment_tombstone")
    for table in tables:
        db.execute_sql(f"DROP TABLE {table}")
    db.execute_sql("UPDATE meta_entry SET value = '2' WHERE key = 'schema_version'")
    close_database()

    db = open_database(path)
    try:
        assert dbmod.SCHEMA_VERSION >= 5
        assert "uid" in {c.name for c in db.get_columns("appointment")}
        for model in (CalendarBinding, EventState, AppointmentVersion, AppointmentTombstone):
            assert db.table_exists(model._meta.table_name)
        assert Appointment.get_by_id(aid).uid == ""
        assert Appointment.get_by_id(aid).summary == "Alt"
        assert list(tmp_path.glob("contactbox.vor-migration-v2-*.sqlite3"))
        # Idempotent: running v3 again on a v3 database changes nothing.
        dbmod.MIGRATIONS[2](db)
    finally:
        close_database()
    con = sqlite3.connect(path)
    version = "select value from meta_entry where key = 'schema_version'"
    assert con.execute(version).fetchone() == (str(dbmod.SCHEMA_VERSION),)


def test_live_uid_is_unique_per_user_only(store: Path) -> None:
    alice = agenda.current_user()
    bob = User.create(name="Bob")
    a1 = agenda.add_appointment(None, "A", datetime(2025, 1, 2, 9), None, user=alice)
    b1 = agenda.add_appointment(None, "B", datetime(2025, 1, 2, 9), None, user=bob)
    Appointment.update(uid="same").where(Appointment.id.in_([a1, b1])).execute()
    a2 = agenda.add_appointment(None, "A2", datetime(2025, 1, 2, 9), None, user=alice)
    with pytest.raises(Exception):  # noqa: B017 (peewee's IntegrityError)
        Appointment.update(uid="same").where(Appointment.id == a2).execute()
    agenda.delete_appointment(a1)  # the trash does not count
    Appointment.update(uid="same").where(Appointment.id == a2).execute()


def test_local_hash_follows_modelled_fields_and_keeps_the_rest(store: Path) -> None:
    user = agenda.current_user()
    aid = agenda.add_appointment(None, "Neu", datetime(2025, 3, 4, 10), None, user=user)
    a = Appointment.get_by_id(aid)
    first = calsync.local_text(a)
    assert first == calsync.local_text(Appointment.get_by_id(aid))  # stable without a UID
    assert ical.summarize(first).uid == calsync.derived_uid(a.id, a.created)

    text = (Path(__file__).parents[1] / "servers/ics/nextcloud_recurring_moved.ics").read_text()
    s = ical.summarize(text)
    a.ical, a.uid = text, s.uid
    a.summary, a.start, a.end, a.all_day = s.summary, s.start, s.end, False
    a.location, a.notes = s.location, s.description
    a.save()
    assert calsync.local_hash(a) == ical.normalized_hash(text)
    agenda.update_appointment(aid, summary="Teamrunde neu")
    a = Appointment.get_by_id(aid)
    assert calsync.local_hash(a) != ical.normalized_hash(text)
    out = calsync.local_text(a)
    assert "SUMMARY:Teamrunde neu" in out and "SUMMARY:Teamrunde (Dienstag)" in out


def test_writes_keep_the_contact_link_and_history(store: Path) -> None:
    from app.store import contacts as cs

    user = agenda.current_user()
    account = Account.create(label="K", kind="caldav", username="u", server="s")
    binding = CalendarBinding.create(account=account, user=user, remote_href="/cal/")
    c = cs.add_contact(
        cs.get_book("Standard"), "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eva\r\nEND:VCARD\r\n"
    )
    text = ical.new_event("u-1", "Eins", datetime(2025, 5, 1, 8), datetime(2025, 5, 1, 9))
    facts = (ical.summarize(text), ical.normalized_hash(text))
    aid = calsync.import_event(binding, "/cal/u-1.ics", '"1"', text, "u-1", facts)
    agenda.update_appointment(aid, contact_id=c.id, summary="Eins lokal")
    new = ical.edit_event(text, summary="Eins Server")
    calsync.overwrite_local(
        binding, aid, "/cal/u-1.ics", '"2"', new, "u-1",
        (ical.summarize(new), ical.normalized_hash(new)), reason="conflict",
    )  # fmt: skip
    a = Appointment.get_by_id(aid)
    assert a.summary == "Eins Server" and a.contact_id == c.id
    [v] = AppointmentVersion.select().where(
        (AppointmentVersion.appointment == aid) & (AppointmentVersion.reason == "conflict")
    )  # the local edit left an "edit" version too
    assert "SUMMARY:Eins lokal" in v.ical and v.reason == "conflict"
    [state] = calsync.state_items(binding)
    assert state.local_hash == state.remote_hash == ical.normalized_hash(new)

    calsync.deleted_on_server(binding, aid, "/cal/u-1.ics", "u-1")
    assert calsync.tombstone_uids(user) == {"u-1"}
    assert calsync.state_items(binding) == []
