"""app.store.appointment_trash: list the trash with who deleted what, restore, empty.

The sync's view after each step is checked with the real planner over the store's own
items (calsync.local_items / state_items / tombstone_uids), so a restore that the next run
would not upload, or would delete again, fails here.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from app import ical
from app.store import agenda, calsync
from app.store import appointment_trash as trash
from app.store.contacts import StoreError
from app.store.models import (
    Account,
    Appointment,
    AppointmentTombstone,
    AppointmentVersion,
    CalendarBinding,
    User,
)
from app.sync.calendar import mode_of
from app.sync.plan import Kind, RemoteItem, plan


def _import(binding: CalendarBinding, uid: str, summary: str) -> tuple[int, RemoteItem]:
    text = ical.new_event(
        uid, summary, datetime(2026, 12, 3, 9), datetime(2026, 12, 3, 10),
        now=datetime(2026, 1, 1),
    )  # fmt: skip
    facts = (ical.summarize(text), ical.normalized_hash(text))
    href = f"/cal/{uid}.ics"
    aid = calsync.import_event(binding, href, f'"{uid}-1"', text, uid, facts)
    return aid, RemoteItem(href, f'"{uid}-1"', uid, facts[1], "")


@pytest.fixture
def setup(store: Path) -> tuple[User, CalendarBinding]:
    user = agenda.current_user()
    account = Account.create(label="K", kind="caldav", username="u", server="s")
    binding = CalendarBinding.create(account=account, user=user, remote_href="/cal/")
    return user, binding


def _plan(binding: CalendarBinding, remote: list[RemoteItem]) -> list[tuple[Kind, str]]:
    user = binding.user_id
    result = plan(
        mode_of(binding),
        calsync.local_items(user),
        remote,
        calsync.state_items(binding),
        calsync.tombstone_uids(user),
        first_run=False,
    )
    return sorted((a.kind, a.uid) for a in result.actions)


def test_lists_who_deleted_what_for_the_current_user_only(
    setup: tuple[User, CalendarBinding],
) -> None:
    user, binding = setup
    local_only = agenda.add_appointment(None, "Nur lokal", datetime(2026, 12, 1, 9), None)
    pending, _ = _import(binding, "pend", "Wartet auf Abgleich")
    done, _ = _import(binding, "done", "Auch auf dem Server weg")
    server, _ = _import(binding, "srv", "Auf dem Server gelöscht")
    for aid in (local_only, pending, done):
        agenda.delete_appointment(aid)
    calsync.deleted_on_server(binding, done, "/cal/done.ics", "done")  # as a sync run does
    calsync.trash_from_server(binding, server, "/cal/srv.ics")
    other = User.create(name="Bernd")
    theirs = agenda.add_appointment(None, "Fremd", datetime(2026, 12, 1, 9), None, user=other)
    agenda.delete_appointment(theirs)

    rows = {r.id: r for r in trash.trashed_appointments(user)}
    assert set(rows) == {local_only, pending, done, server}
    assert rows[local_only].status == trash.LOCAL_ONLY
    assert rows[pending].status == trash.PENDING
    assert rows[done].status == trash.DELETED_ON_SERVER
    assert rows[server].status == trash.FROM_SERVER
    assert rows[server].deleted_by == "server" and rows[pending].deleted_by == "contactbox"
    assert rows[pending].summary == "Wartet auf Abgleich"
    assert rows[pending].start == datetime(2026, 12, 3, 9)
    assert trash.count_trashed(user) == 4
    assert [r.id for r in trash.trashed_appointments(other)] == [theirs]
    # Without a calendar sync, a synced-once appointment was deleted here, not by a server.
    binding.delete_instance()
    rows = {r.id: r for r in trash.trashed_appointments(user)}
    assert rows[server].status == trash.NO_SYNC and rows[server].deleted_by == "contactbox"
    assert rows[done].status == trash.DELETED_ON_SERVER  # its tombstone is per user


def test_restored_after_the_server_deletion_is_uploaded_again(
    setup: tuple[User, CalendarBinding],
) -> None:
    user, binding = setup
    keep, keep_remote = _import(binding, "keep", "Bleibt")
    aid, gone_remote = _import(binding, "gone", "Gelöscht")
    agenda.delete_appointment(aid)
    assert _plan(binding, [keep_remote, gone_remote]) == [(Kind.DELETE_SERVER, "gone")]
    calsync.deleted_on_server(binding, aid, "/cal/gone.ics", "gone")
    assert calsync.tombstone_uids(user) == {"gone"}

    assert trash.restore_appointments(user, [aid]) == 1
    a = Appointment.get_by_id(aid)
    assert a.deleted_at is None and a.uid == "gone"
    assert calsync.tombstone_uids(user) == frozenset()
    # The next run uploads it again under its UID; nothing is deleted.
    assert _plan(binding, [keep_remote]) == [(Kind.ADD_SERVER, "gone")]
    assert trash.trashed_appointments(user) == []
    assert keep in {lo.contact_id for lo in calsync.local_items(user)}


def test_restored_before_the_sync_is_not_deleted(setup: tuple[User, CalendarBinding]) -> None:
    user, binding = setup
    aid, remote = _import(binding, "p", "Noch nicht abgeglichen")
    agenda.delete_appointment(aid)
    trash.restore_appointments(user, [aid])
    assert _plan(binding, [remote]) == []  # state and server unchanged: nothing to do


def test_restored_server_deletion_goes_back_up(setup: tuple[User, CalendarBinding]) -> None:
    user, binding = setup
    aid, _ = _import(binding, "s", "Vom Server gelöscht")
    calsync.trash_from_server(binding, aid, "/cal/s.ics")
    trash.restore_appointments(user, [aid])
    assert _plan(binding, []) == [(Kind.ADD_SERVER, "s")]


def test_restore_refuses_twins_and_other_users(setup: tuple[User, CalendarBinding]) -> None:
    user, binding = setup
    aid, _ = _import(binding, "twin", "Alt")
    calsync.trash_from_server(binding, aid, "/cal/twin.ics")
    again, _ = _import(binding, "twin", "Neu vom Server")  # the server has it again
    with pytest.raises(StoreError, match="bereits vorhanden"):
        trash.restore_appointments(user, [aid])
    assert Appointment.get_by_id(aid).deleted_at is not None
    assert Appointment.get_by_id(again).deleted_at is None

    other = User.create(name="Bernd")
    with pytest.raises(StoreError, match="Papierkorb dieses Benutzers"):
        trash.restore_appointments(other, [aid])
    assert Appointment.get_by_id(aid).deleted_at is not None


def test_empty_keeps_tombstones_and_pending_deletions(
    setup: tuple[User, CalendarBinding],
) -> None:
    user, binding = setup
    pending, remote = _import(binding, "pend", "Wartet")
    done, _ = _import(binding, "done", "Erledigt")
    local = agenda.add_appointment(None, "Lokal", datetime(2026, 12, 1, 9), None)
    agenda.update_appointment(local, summary="Lokal geändert")  # leaves a version
    for aid in (pending, done, local):
        agenda.delete_appointment(aid)
    calsync.deleted_on_server(binding, done, "/cal/done.ics", "done")

    result = trash.empty_trash(user)
    assert result == trash.EmptyResult(deleted=2, kept_pending=1)
    assert [r.id for r in trash.trashed_appointments(user)] == [pending]
    assert not Appointment.select().where(Appointment.id.in_([done, local])).exists()
    assert not AppointmentVersion.select().where(AppointmentVersion.appointment == local).exists()
    [tomb] = AppointmentTombstone.select()
    assert tomb.uid == "done" and tomb.appointment_id is None
    # The tombstone still keeps the emptied event out; the pending one is still deleted.
    back = RemoteItem("/cal/done2.ics", '"x"', "done", "h", "")
    assert _plan(binding, [remote, back]) == [
        (Kind.DELETE_SERVER, "pend"),
        (Kind.SKIP_DELETED, "done"),
    ]
    # After that run, the next emptying removes it too.
    calsync.deleted_on_server(binding, pending, "/cal/pend.ics", "pend")
    assert trash.empty_trash(user) == trash.EmptyResult(deleted=1, kept_pending=0)
    assert trash.count_trashed(user) == 0


def test_a_local_edit_keeps_the_text_before_it(setup: tuple[User, CalendarBinding]) -> None:
    _, binding = setup
    aid, _ = _import(binding, "e", "Vorher")
    agenda.update_appointment(aid, summary="Nachher")
    [v] = AppointmentVersion.select().where(AppointmentVersion.appointment == aid)
    assert v.reason == "edit" and "SUMMARY:Vorher" in v.ical
    agenda.update_appointment(aid, summary="Nachher")  # no change: no version
    assert AppointmentVersion.select().where(AppointmentVersion.appointment == aid).count() == 1
