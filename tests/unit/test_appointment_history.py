"""app.store.appointment_history: versions, field comparison, restore (and its undo)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from app import ical
from app.store import agenda, calsync
from app.store import appointment_history as h
from app.store.contacts import StoreError
from app.store.history import FieldDiff
from app.store.models import Account, Appointment, AppointmentVersion, CalendarBinding
from app.sync.calendar import mode_of
from app.sync.plan import Kind, RemoteItem, plan

SERIES = Path(__file__).parent.parent / "servers" / "ics" / "nextcloud_recurring_moved.ics"


@pytest.fixture
def synced(store: Path) -> tuple[CalendarBinding, int, RemoteItem]:
    """An appointment imported from the server, then edited locally and by the server."""
    user = agenda.current_user()
    account = Account.create(label="K", kind="caldav", username="u", server="s")
    binding = CalendarBinding.create(account=account, user=user, remote_href="/cal/")
    text = ical.new_event(
        "h-1", "Original", datetime(2026, 12, 3, 9), datetime(2026, 12, 3, 10),
        location="Raum 1", now=datetime(2026, 1, 1),
    )  # fmt: skip
    facts = (ical.summarize(text), ical.normalized_hash(text))
    aid = calsync.import_event(binding, "/cal/h-1.ics", '"1"', text, "h-1", facts)
    agenda.update_appointment(aid, summary="Lokal geändert")
    server = ical.edit_event(text, summary="Vom Server", location="Raum 2")
    facts2 = (ical.summarize(server), ical.normalized_hash(server))
    calsync.overwrite_local(
        binding, aid, "/cal/h-1.ics", '"2"', server, "h-1", facts2, reason="server-update"
    )
    return binding, aid, RemoteItem("/cal/h-1.ics", '"2"', "h-1", facts2[1], "")


def test_versions_newest_first_with_labels(synced: tuple[CalendarBinding, int, RemoteItem]) -> None:
    _, aid, _ = synced
    rows = h.appointment_versions(aid)
    assert [(r.reason, r.reason_label, r.fn) for r in rows] == [
        ("server-update", "Vom Server geändert", "Lokal geändert"),
        ("edit", "Bearbeitet", "Original"),
    ]
    current = h.current_appointment(aid)
    assert current.summary == "Vom Server" and not current.in_trash
    assert "SUMMARY:Vom Server" in current.ical
    diffs = {d.label: d for d in h.compare_events(h.appointment_version_text(aid, rows[1].id),
                                                  current.ical)}  # fmt: skip
    assert diffs["Betreff"] == FieldDiff("Betreff", "Original", "Vom Server", True)
    assert diffs["Ort"] == FieldDiff("Ort", "Raum 1", "Raum 2", True)
    assert not diffs["Beginn"].changed and diffs["Beginn"].old.startswith("03.12.2026")


def test_restore_is_undoable_and_synced_next_run(
    synced: tuple[CalendarBinding, int, RemoteItem],
) -> None:
    binding, aid, remote = synced
    original = h.appointment_versions(aid)[1]
    h.restore_appointment_version(aid, original.id)
    a = Appointment.get_by_id(aid)
    assert (a.summary, a.location, a.uid) == ("Original", "Raum 1", "h-1")
    assert "SUMMARY:Original" in calsync.local_text(a)
    rows = h.appointment_versions(aid)
    assert rows[0].reason == "restore" and rows[0].fn == "Vom Server"
    assert rows[0].note.startswith("Fassung vom ")
    # The next run uploads the restored version (If-Match on the server's ETag).
    result = plan(
        mode_of(binding), calsync.local_items(binding.user_id), [remote],
        calsync.state_items(binding), frozenset(), first_run=False,
    )  # fmt: skip
    assert [(x.kind, x.etag) for x in result.actions] == [(Kind.UPDATE_SERVER, '"2"')]

    h.restore_appointment_version(aid, rows[0].id)  # undo
    a = Appointment.get_by_id(aid)
    assert (a.summary, a.location) == ("Vom Server", "Raum 2")
    assert len(h.appointment_versions(aid)) == 4


def test_restore_refusals(synced: tuple[CalendarBinding, int, RemoteItem]) -> None:
    _, aid, _ = synced
    version = h.appointment_versions(aid)[0]
    other = agenda.add_appointment(None, "Anderer", datetime(2026, 12, 5, 9), None)
    with pytest.raises(StoreError, match="nicht zu diesem Termin"):
        h.restore_appointment_version(other, version.id)
    foreign = ical.new_event("fremd", "Fremd", datetime(2026, 12, 5, 9), datetime(2026, 12, 5, 10))
    AppointmentVersion.create(appointment=aid, ical=foreign, reason="conflict")
    newest = h.appointment_versions(aid)[0]
    with pytest.raises(StoreError, match="andere UID"):
        h.restore_appointment_version(aid, newest.id)
    agenda.delete_appointment(aid)
    assert h.current_appointment(aid).in_trash
    with pytest.raises(StoreError, match="Papierkorb"):
        h.restore_appointment_version(aid, version.id)
    assert Appointment.get_by_id(aid).summary == "Vom Server"


def test_compare_series_alarms_attendees_and_unreadable_text() -> None:
    series = SERIES.read_text(encoding="utf-8")
    moved = series.replace("TRIGGER;RELATED=START:-PT10M", "TRIGGER;RELATED=START:-PT1H").replace(
        "SUMMARY:Teamrunde (Dienstag)", "SUMMARY:Teamrunde (Mittwoch)"
    ).replace("PARTSTAT=ACCEPTED", "PARTSTAT=DECLINED", 1)  # the master's attendee
    diffs = {d.label: d for d in h.compare_events(series, moved)}
    assert diffs["Beginn"].old == "03.03.2025 14:00 (Europe/Berlin)"
    assert not diffs["Beginn"].changed and not diffs["Wiederholung"].changed
    assert "Regel: FREQ=WEEKLY;BYDAY=MO" in diffs["Wiederholung"].old
    assert "Ausgenommen: 21.04.2025 14:00" in diffs["Wiederholung"].old
    assert diffs["Erinnerungen"].old == "Erinnerung 10 Minuten vor Beginn"
    assert diffs["Erinnerungen"].new == "Erinnerung 1 Stunde vor Beginn"
    assert diffs["Geänderte Termine der Serie"].changed
    assert "Teamrunde (Mittwoch)" in diffs["Geänderte Termine der Serie"].new
    assert diffs["Teilnehmer"].old.splitlines() == [
        "Organisator: Alice <alice@example.org>",
        "Max Mustermann <max@example.org> (zugesagt)",
    ]
    assert diffs["Teilnehmer"].new.endswith("(abgesagt)")
    assert not diffs["Betreff"].changed and diffs["Weitere Angaben"].old == "Status: CONFIRMED"

    broken = h.compare_events("kein Kalender", series)
    assert broken[-1].changed and broken[-1].old.startswith("Kein lesbarer Termin")
    assert broken[0] == FieldDiff("Betreff", "", "Teamrunde", True)
