"""Termine and Wiedervorlagen: CRUD, validation, the due list, trash, re-attachment."""

from __future__ import annotations

import time as timemod
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from app.store import agenda as ag
from app.store import contacts as cs
from app.store import reattach, syncstate
from app.store.contacts import StoreError
from app.store.models import Account, Appointment, Binding, FollowUp, User


def card(uid: str, fn: str, email: str = "") -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}", f"N:{fn};;;;"]
    if email:
        lines.append(f"EMAIL;TYPE=work:{email}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is Europe/Berlin, so local days differ from UTC days."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    timemod.tzset()
    yield
    monkeypatch.undo()
    timemod.tzset()


@pytest.fixture
def anna(store: Path) -> int:
    return int(cs.add_contact(cs.get_book("Standard"), card("u-anna", "Anna", "anna@x.de")).id)


def local_noon_utc(days: int = 0) -> datetime:
    """Naive UTC of local noon, `days` from today: far from any day boundary."""
    day = datetime.now().date() + timedelta(days=days)
    return ag.local_to_utc(datetime.combine(day, time(12, 0)))


# ---------------------------------------------------------------- users


def test_current_user_is_the_default_user(store: Path) -> None:
    assert ag.current_user().id == User.get(User.is_default).id


def test_current_user_creates_standard_when_none_is_default(store: Path) -> None:
    User.update(is_default=False).execute()
    user = ag.current_user()
    assert (user.name, user.is_default) == ("Standard", True)
    assert ag.current_user().id == user.id  # not created twice
    assert User.select().where(User.is_default).count() == 1


# ---------------------------------------------------------------- appointments


def test_add_and_list_appointments_links_contact(anna: int) -> None:
    start = datetime(2030, 5, 6, 8, 0)
    later = ag.add_appointment(anna, "  Jahresgespräch ", start + timedelta(days=1),
                               start + timedelta(days=1, hours=1), location=" Büro ",
                               notes="Unterlagen")
    first = ag.add_appointment(anna, "Anruf", start, start + timedelta(minutes=30))
    rows = ag.appointments_for_contact(anna)
    assert [r.id for r in rows] == [first, later]  # by start
    row = rows[1]
    assert (row.summary, row.location, row.notes, row.contact_name, row.all_day) == (
        "Jahresgespräch", "Büro", "Unterlagen", "Anna", False,
    )
    assert (row.start, row.end) == (start + timedelta(days=1), start + timedelta(days=1, hours=1))
    stored = Appointment.get_by_id(later)
    assert stored.contact_uid == "u-anna"
    assert stored.contact_key == cs.match_key("Anna", "anna@x.de")
    assert stored.user_id == ag.current_user().id
    assert ag.get_appointment(first).summary == "Anruf"


def test_appointment_without_contact_and_without_end(store: Path) -> None:
    start = datetime(2030, 1, 2, 9, 0)
    aid = ag.add_appointment(None, "Allein", start, None)
    row = ag.get_appointment(aid)
    assert (row.contact_id, row.contact_name, row.end) == (None, "", start)


def test_all_day_appointment_keeps_dates_only(anna: int) -> None:
    aid = ag.add_appointment(anna, "Messe", datetime(2030, 3, 1, 15, 30),
                             datetime(2030, 3, 3, 9, 0), all_day=True)
    row = ag.get_appointment(aid)
    assert row.all_day
    assert (row.start, row.end) == (datetime(2030, 3, 1), datetime(2030, 3, 3))


@pytest.mark.parametrize(
    ("summary", "start", "end", "message"),
    [
        ("Termin", datetime(2030, 1, 2, 10), datetime(2030, 1, 2, 9),
         "Das Ende des Termins liegt vor seinem Beginn."),
        ("   ", datetime(2030, 1, 2, 10), datetime(2030, 1, 2, 11),
         "Bitte einen Betreff für den Termin angeben."),
        ("Termin", None, None, "Bitte den Beginn des Termins angeben."),
    ],
)
def test_appointment_validation(
    anna: int, summary: str, start: datetime | None, end: datetime | None, message: str
) -> None:
    with pytest.raises(StoreError) as err:
        ag.add_appointment(anna, summary, start, end)  # type: ignore[arg-type]
    assert str(err.value) == message
    assert Appointment.select().count() == 0


def test_unknown_contact_is_refused(store: Path) -> None:
    with pytest.raises(StoreError, match=r"Kontakt Nr\. 999"):
        ag.add_appointment(999, "X", datetime(2030, 1, 1), None)
    with pytest.raises(StoreError, match=r"Kontakt Nr\. 999"):
        ag.add_followup(999, "X", datetime(2030, 1, 1))


def test_update_appointment_validates_and_sets_modified(anna: int) -> None:
    start = datetime(2030, 1, 2, 10)
    aid = ag.add_appointment(anna, "Alt", start, start + timedelta(hours=1))
    before = Appointment.get_by_id(aid).modified
    timemod.sleep(0.01)
    ag.update_appointment(aid, summary="Neu", location="Raum 2", notes="n")
    row = ag.get_appointment(aid)
    assert (row.summary, row.location, row.notes, row.start) == ("Neu", "Raum 2", "n", start)
    assert Appointment.get_by_id(aid).modified > before
    with pytest.raises(StoreError, match="Ende des Termins liegt vor seinem Beginn"):
        ag.update_appointment(aid, end=start - timedelta(minutes=1))
    with pytest.raises(StoreError, match="Betreff"):
        ag.update_appointment(aid, summary="")
    assert ag.get_appointment(aid).summary == "Neu"  # unchanged by the failed updates
    with pytest.raises(TypeError):
        ag.update_appointment(aid, colour="rot")


def test_update_appointment_relinks_contact(anna: int) -> None:
    bernd = cs.add_contact(cs.get_book("Standard"), card("u-b", "Bernd", "b@x.de"))
    aid = ag.add_appointment(anna, "T", datetime(2030, 1, 1, 9), None)
    ag.update_appointment(aid, contact_id=bernd.id)
    stored = Appointment.get_by_id(aid)
    assert (stored.contact_id, stored.contact_uid) == (bernd.id, "u-b")
    assert stored.contact_key == cs.match_key("Bernd", "b@x.de")


def test_deleted_appointment_goes_to_trash_and_is_hidden(anna: int) -> None:
    keep = ag.add_appointment(anna, "Bleibt", datetime(2030, 1, 1, 9), None)
    gone = ag.add_appointment(anna, "Weg", datetime(2030, 1, 2, 9), None)
    ag.delete_appointment(gone)
    assert [r.id for r in ag.appointments_for_contact(anna)] == [keep]
    assert Appointment.get_by_id(gone).deleted_at is not None  # kept for the calendar sync
    with pytest.raises(StoreError, match=r"Termin Nr\."):
        ag.get_appointment(gone)
    with pytest.raises(StoreError, match=r"Termin Nr\."):
        ag.update_appointment(gone, summary="x")
    with pytest.raises(StoreError, match=r"Termin Nr\."):
        ag.delete_appointment(gone)


def test_lists_show_only_the_current_users_items(anna: int) -> None:
    other = User.create(name="Kollege")
    ag.add_appointment(anna, "Fremd", datetime(2030, 1, 1, 9), None, user=other)
    ag.add_followup(anna, "Fremd", local_noon_utc(-1), user=other)
    assert ag.appointments_for_contact(anna) == []
    assert ag.followups_for_contact(anna) == []
    assert ag.due_followups() == []
    assert [r.title for r in ag.due_followups(user=other)] == ["Fremd"]
    assert len(ag.appointments_for_contact(anna, user=other)) == 1


# ---------------------------------------------------------------- follow-ups


def test_followup_crud(anna: int) -> None:
    due = local_noon_utc(3)
    fid = ag.add_followup(anna, " Angebot nachfassen ", due, notes="per Telefon")
    stored = FollowUp.get_by_id(fid)
    assert (stored.contact_uid, stored.contact_key) == ("u-anna", cs.match_key("Anna", "anna@x.de"))
    (row,) = ag.followups_for_contact(anna)
    assert (row.title, row.due, row.notes, row.done, row.overdue, row.contact_name) == (
        "Angebot nachfassen", due, "per Telefon", False, False, "Anna",
    )
    ag.update_followup(fid, title="Angebot", due=due + timedelta(days=1), notes="")
    row = ag.get_followup(fid)
    assert (row.title, row.due, row.notes) == ("Angebot", due + timedelta(days=1), "")
    ag.complete_followup(fid)
    assert ag.get_followup(fid).done
    assert ag.followups_for_contact(anna, include_done=False) == []
    assert [r.id for r in ag.followups_for_contact(anna)] == [fid]
    ag.complete_followup(fid, done=False)
    assert not ag.get_followup(fid).done
    ag.update_followup(fid, done=True)
    assert ag.get_followup(fid).done
    ag.delete_followup(fid)
    assert ag.followups_for_contact(anna) == []
    with pytest.raises(StoreError, match=r"Wiedervorlage Nr\."):
        ag.complete_followup(fid)


def test_followup_validation(anna: int) -> None:
    with pytest.raises(StoreError) as err:
        ag.add_followup(anna, "  ", local_noon_utc())
    assert str(err.value) == "Bitte einen Titel für die Wiedervorlage angeben."
    with pytest.raises(StoreError) as err:
        ag.add_followup(anna, "Titel", None)  # type: ignore[arg-type]
    assert str(err.value) == "Bitte angeben, wann die Wiedervorlage fällig ist."
    fid = ag.add_followup(anna, "Titel", local_noon_utc())
    with pytest.raises(StoreError, match="Titel"):
        ag.update_followup(fid, title="")
    assert ag.get_followup(fid).title == "Titel"
    assert FollowUp.select().count() == 1


def test_followups_for_contact_lists_open_first(anna: int) -> None:
    done = ag.add_followup(anna, "Erledigt", local_noon_utc(-5))
    ag.complete_followup(done)
    late = ag.add_followup(anna, "Später", local_noon_utc(5))
    soon = ag.add_followup(anna, "Bald", local_noon_utc(1))
    assert [r.id for r in ag.followups_for_contact(anna)] == [soon, late, done]


def test_due_followups_order_and_overdue_flag(anna: int) -> None:
    now = local_noon_utc()
    today = datetime.now().date()
    future = ag.add_followup(anna, "Zukunft", now + timedelta(days=2))
    old = ag.add_followup(anna, "Alt", now - timedelta(days=3))
    earlier_today = ag.add_followup(anna, "Heute früh", now - timedelta(hours=2))
    later_today = ag.add_followup(anna, "Heute später", now + timedelta(hours=3))
    midnight = ag.local_to_utc(datetime.combine(today, time()))
    date_only_today = ag.add_followup(anna, "Heute", midnight)
    finished = ag.add_followup(anna, "Fertig", now - timedelta(days=1))
    ag.complete_followup(finished)
    no_contact = ag.add_followup(None, "Ohne Kontakt", now - timedelta(days=1))

    rows = ag.due_followups(now=now)
    assert [r.id for r in rows] == [old, no_contact, date_only_today, earlier_today, later_today]
    flags = {r.id: r.overdue for r in rows}
    assert flags == {
        old: True, no_contact: True, earlier_today: True,
        date_only_today: False,  # a date without time is due all day, not overdue
        later_today: False,
    }
    assert ag.count_due_followups(now=now) == 5
    assert future not in flags and finished not in flags
    assert rows[1].contact_name == "" and rows[0].contact_name == "Anna"
    # the next day the future one is still not due, the others all overdue
    tomorrow = ag.due_followups(now=now + timedelta(days=1))
    assert all(r.overdue for r in tomorrow) and len(tomorrow) == 5


def test_due_list_uses_local_days(berlin: None, anna: int) -> None:
    # 22:30 UTC on 1 March is 23:30 in Berlin, 23:30 UTC already 00:30 on 2 March.
    now = datetime(2030, 3, 1, 12, 0)
    same_day = ag.add_followup(anna, "Spät", datetime(2030, 3, 1, 22, 30))
    ag.add_followup(anna, "Morgen", datetime(2030, 3, 1, 23, 30))
    assert [r.id for r in ag.due_followups(now=now)] == [same_day]
    # local midnight (23:00 UTC the day before) counts as "date only"
    assert not ag.has_time_of_day(datetime(2030, 3, 1, 23, 0))
    assert ag.has_time_of_day(datetime(2030, 3, 1, 0, 0))
    assert ag.utc_to_local(datetime(2030, 3, 1, 23, 0)) == datetime(2030, 3, 2, 0, 0)
    assert ag.local_to_utc(datetime(2030, 7, 1, 12, 0)) == datetime(2030, 7, 1, 10, 0)
    date_only = ag.add_followup(anna, "Datum", datetime(2030, 3, 1, 23, 0))  # 2 March, local
    assert not ag.get_followup(date_only, now=datetime(2030, 3, 2, 22, 59)).overdue
    assert ag.get_followup(date_only, now=datetime(2030, 3, 2, 23, 0)).overdue


# ---------------------------------------------------------------- re-attachment


def test_reattach_links_moves_items_made_here_to_the_new_contact(store: Path) -> None:
    book = cs.get_book("Standard")
    a = cs.add_contact(book, card("u1", "Anna", "anna@example.de"))
    b = cs.add_contact(book, card("u2", "Bernd", "bernd@example.de"))
    aid = ag.add_appointment(a.id, "Termin A", datetime(2030, 1, 1, 9), None)
    fa = ag.add_followup(a.id, "WV A", local_noon_utc())
    fb = ag.add_followup(b.id, "WV B", local_noon_utc())
    account = Account.create(label="Büro", server="https://dav.example", username="eva")
    binding = Binding.create(account=account, remote_href="/k/", book=book, operation="sync")
    syncstate.wipe_for_recreate(binding, "server")  # what "Neu anlegen" does: wipe, import
    new_a = cs.add_contact(book, card("u1", "Anna Neu", "other@example.de"))  # same UID
    new_b = cs.add_contact(book, card("zz", "bernd", "BERND@example.de"))  # same name + mail
    assert reattach.reattach_pending(binding) == 3
    assert reattach.pending_reattach(binding) == 0
    assert [r.id for r in ag.appointments_for_contact(new_a.id)] == [aid]
    assert [r.id for r in ag.followups_for_contact(new_a.id)] == [fa]
    assert [r.id for r in ag.followups_for_contact(new_b.id)] == [fb]
    assert ag.get_followup(fa).contact_name == "Anna Neu"
    assert ag.appointments_for_contact(a.id) == []
