"""Users (Benutzerkonfiguration): add, rename, remove, the current user and the agenda."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from app import secrets
from app.store import agenda as ag
from app.store import contacts as cs
from app.store import users
from app.store.db import close_database, open_database
from app.store.models import (
    Account,
    Appointment,
    CalendarBinding,
    FollowUp,
    MetaEntry,
    User,
    UserSetting,
)
from app.store.settings import set_setting
from app.sync.calendar_jobs import add_calendar_account


def card(uid: str, fn: str) -> str:
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{fn}\r\nN:{fn};;;;\r\nEND:VCARD\r\n"


@pytest.fixture
def contact(store: Path) -> int:
    return int(cs.add_contact(cs.get_book("Standard"), card("u-1", "Kunde")).id)


def test_the_default_user_is_current_until_another_is_chosen(store: Path) -> None:
    default = User.get(User.is_default)
    assert users.current_user().id == default.id
    assert ag.current_user().id == default.id  # the agenda delegates
    anna = users.add_user("Anna")
    assert users.current_user_id() == default.id  # adding does not switch
    users.set_current_user(anna)
    assert ag.current_user().id == anna
    assert MetaEntry.get(MetaEntry.key == users.CURRENT_USER_KEY).value == str(anna)


def test_the_current_user_survives_reopening_the_database(store: Path) -> None:
    anna = users.add_user("Anna")
    users.set_current_user(anna)
    close_database()
    open_database(store)
    assert users.current_user_id() == anna


def test_switching_the_current_user_switches_what_the_agenda_returns(contact: int) -> None:
    first = users.current_user_id()
    ag.add_appointment(contact, "Termin von Standard", datetime(2030, 1, 1, 9), None)
    ag.add_followup(contact, "Wiedervorlage von Standard", datetime(2020, 1, 1, 9))
    anna = users.add_user("Anna")
    users.set_current_user(anna)
    assert ag.appointments_for_contact(contact) == []
    assert ag.due_followups() == []
    ag.add_appointment(contact, "Termin von Anna", datetime(2030, 1, 2, 9), None)
    assert [a.summary for a in ag.appointments_for_contact(contact)] == ["Termin von Anna"]
    users.set_current_user(first)
    assert [a.summary for a in ag.appointments_for_contact(contact)] == ["Termin von Standard"]
    assert [f.title for f in ag.due_followups()] == ["Wiedervorlage von Standard"]


def test_names_are_trimmed_unique_and_not_empty(store: Path) -> None:
    anna = users.add_user("  Anna   Berg ")
    assert User.get_by_id(anna).name == "Anna Berg"
    with pytest.raises(users.UserError, match="gibt es bereits"):
        users.add_user("anna berg")
    with pytest.raises(users.UserError, match="Bitte einen Namen"):
        users.add_user("   ")
    users.rename_user(anna, "Anna Meier")
    assert User.get_by_id(anna).name == "Anna Meier"
    users.rename_user(anna, "anna meier")  # a change of case of the same user is fine
    bernd = users.add_user("Bernd")
    with pytest.raises(users.UserError, match="„anna meier“ gibt es bereits"):
        users.rename_user(bernd, "Anna Meier")
    with pytest.raises(users.UserError, match=r"Nr\. 999"):
        users.rename_user(999, "X")


def test_list_users_marks_the_current_one_and_counts(contact: int) -> None:
    anna = users.add_user("Anna")
    ag.add_appointment(contact, "A", datetime(2030, 1, 1, 9), None, user=User.get_by_id(anna))
    users.set_current_user(anna)
    infos = {i.name: i for i in users.list_users()}
    assert infos["Anna"].is_current and infos["Anna"].appointments == 1
    assert not infos["Standardbenutzer"].is_current
    assert infos["Standardbenutzer"].is_default


def test_the_last_user_cannot_be_removed(store: Path) -> None:
    (only,) = User.select()
    with pytest.raises(users.UserError) as info:
        users.remove_user(only.id)
    assert "einzige Benutzer und kann nicht entfernt werden" in str(info.value)
    assert User.select().count() == 1


def test_removing_a_user_removes_their_items_account_and_password(contact: int) -> None:
    default = users.current_user_id()
    anna = users.add_user("Anna")
    anna_user = User.get_by_id(anna)
    keep = ag.add_appointment(contact, "Bleibt", datetime(2030, 1, 1, 9), None)
    ag.add_appointment(contact, "Geht", datetime(2030, 1, 1, 9), None, user=anna_user)
    ag.add_followup(contact, "Geht", datetime(2030, 1, 1, 9), user=anna_user)
    set_setting(anna, "columns", "fn")
    account = add_calendar_account(
        "Kalender Anna", server="https://dav.example", username="anna", password="pw",
        user=anna_user,
    )  # fmt: skip
    CalendarBinding.create(account=account, user=anna_user, remote_href="/anna/cal/")
    users.set_current_user(anna)

    users.remove_user(anna)

    assert User.get_or_none(User.id == anna) is None
    assert [a.id for a in Appointment.select()] == [keep]
    assert FollowUp.select().count() == 0
    assert UserSetting.select().count() == 0
    assert CalendarBinding.select().count() == 0
    assert Account.get_or_none(Account.id == account.id) is None
    with pytest.raises(secrets.SecretError):
        secrets.get_password(account.id)
    assert users.current_user_id() == default  # the current user went: the heir takes over


def test_removing_the_default_user_hands_the_default_on(store: Path) -> None:
    default = users.current_user_id()
    anna = users.add_user("Anna")
    users.remove_user(default)
    assert User.get_by_id(anna).is_default
    assert users.current_user_id() == anna


def test_a_stale_current_user_falls_back_to_the_default(store: Path) -> None:
    MetaEntry.replace(key=users.CURRENT_USER_KEY, value="4711").execute()
    assert users.current_user().id == User.get(User.is_default).id


def test_calendar_account_label_is_free(store: Path) -> None:
    assert users.calendar_account_label("Anna") == "Kalender Anna"
    add_calendar_account("Kalender Anna", server="https://x", username="a", password="p")
    assert users.calendar_account_label("Anna") == "Kalender Anna (2)"


def test_calendar_accounts_lists_the_bound_account_first(store: Path) -> None:
    anna = User.get_by_id(users.add_user("Anna"))
    a1 = add_calendar_account("K1", server="https://x", username="a", password="p", user=anna)
    a2 = add_calendar_account("K2", server="https://y", username="a", password="p", user=anna)
    assert [a.id for a in users.calendar_accounts(anna.id)] == [a1.id, a2.id]
    CalendarBinding.create(account=a2, user=anna, remote_href="/c/")
    assert [a.id for a in users.calendar_accounts(anna.id)] == [a2.id, a1.id]
    assert users.calendar_accounts(users.current_user_id()) == []
