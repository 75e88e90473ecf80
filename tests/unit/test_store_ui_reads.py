"""The store functions the windows ask instead of composing queries (issue 18): account rows
(app/store/accounts.py), the last runs (app/store/reports.py), the synced books
(app/store/books.py) and a user by id (app/store/users.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from app.store import users
from app.store.accounts import (
    account_by_id,
    account_labels,
    bindings_by_id,
    calendar_binding_by_id,
    find_account,
    label_taken,
    schedule_settings,
)
from app.store.books import synced_books
from app.store.contacts import ensure_book
from app.store.models import Account, Binding, CalendarBinding
from app.store.models import RunReport as StoredReport
from app.store.reports import last_report_id, last_success_time, save_report


def account(
    label: str, *, kind: str = "carddav", interval: int = 15, enabled: bool = True
) -> Account:
    return Account.create(
        label=label,
        kind=kind,
        username="anna",
        server="https://dav.example.org",
        interval_minutes=interval,
        enabled=enabled,
    )


def report(owner: Account | None, status: str, ended: datetime) -> int:
    report_id = save_report(
        owner, {"account": owner.label if owner else "", "status": status}, "schedule"
    )
    StoredReport.update(started=ended).where(StoredReport.id == report_id).execute()
    return report_id


def test_one_account_by_id_or_none(store: Path) -> None:
    a = account("Büro")
    assert find_account(int(a.id)).label == "Büro"  # type: ignore[union-attr]
    assert account_by_id(int(a.id)).label == "Büro"
    assert find_account(int(a.id) + 1) is None
    with pytest.raises(Account.DoesNotExist):
        account_by_id(int(a.id) + 1)


def test_labels_of_the_accounts_that_exist_sorted_ignoring_case(store: Path) -> None:
    zeta, alpha, beta = account("zeta"), account("Alpha"), account("beta")
    account("Other")
    ids = [int(zeta.id), int(alpha.id), int(beta.id), 999]
    assert account_labels(ids) == [
        (int(alpha.id), "Alpha"),
        (int(beta.id), "beta"),
        (int(zeta.id), "zeta"),
    ]
    assert account_labels([]) == []


def test_schedule_settings_of_every_account(store: Path) -> None:
    a = account("Büro", interval=30)
    b = account("Privat", interval=120, enabled=False)
    c = account("Kalender", kind="caldav", interval=5)
    assert sorted(schedule_settings()) == sorted(
        [(int(a.id), 30, True), (int(b.id), 120, False), (int(c.id), 5, True)]
    )


def test_a_label_is_taken_by_any_other_account_of_either_kind(store: Path) -> None:
    book_account = account("Büro")
    calendar_account = account("Kalender", kind="caldav")
    assert label_taken("Büro")
    assert label_taken("Kalender", except_id=int(book_account.id))
    assert not label_taken("Büro", except_id=int(book_account.id))  # its own label
    assert not label_taken("Kalender", except_id=int(calendar_account.id))
    assert not label_taken("Neu")


def test_bindings_by_id_in_the_order_asked(store: Path) -> None:
    a = account("Büro")
    first = Binding.create(account=a, remote_href="/a/", book=ensure_book("A"), operation="sync")
    second = Binding.create(account=a, remote_href="/b/", book=ensure_book("B"), operation="import")
    found = bindings_by_id([int(second.id), int(first.id)])
    assert [b.remote_href for b in found] == ["/b/", "/a/"]
    assert bindings_by_id([]) == []
    with pytest.raises(Binding.DoesNotExist):
        bindings_by_id([int(first.id), 999])


def test_a_calendar_binding_by_id(store: Path) -> None:
    a = account("Kalender", kind="caldav")
    binding = CalendarBinding.create(account=a, user=users.current_user(), remote_href="/cal/")
    assert calendar_binding_by_id(int(binding.id)).remote_href == "/cal/"
    with pytest.raises(CalendarBinding.DoesNotExist):
        calendar_binding_by_id(int(binding.id) + 1)


def test_last_success_is_the_latest_ok_or_errors_run_of_any_account(store: Path) -> None:
    assert last_success_time() is None
    a, b = account("Büro"), account("Privat")
    report(a, "ok", datetime(2030, 1, 1, 8))
    assert last_success_time() == datetime(2030, 1, 1, 8)
    report(b, "errors", datetime(2030, 1, 2, 8))
    report(a, "failed", datetime(2030, 1, 3, 8))  # neither a failure …
    report(b, "cancelled", datetime(2030, 1, 4, 8))  # … nor a cancelled run counts
    assert last_success_time() == datetime(2030, 1, 2, 8)


def test_last_report_id_per_account(store: Path) -> None:
    a, b = account("Büro"), account("Privat")
    assert last_report_id(int(a.id)) == 0
    first = report(a, "ok", datetime(2030, 1, 1))
    other = report(b, "failed", datetime(2030, 1, 2))
    assert last_report_id(int(a.id)) == first
    latest = report(a, "cancelled", datetime(2030, 1, 3))
    assert last_report_id(int(a.id)) == latest
    assert last_report_id(int(b.id)) == other
    report(None, "ok", datetime(2030, 1, 4))  # a report without account belongs to none
    assert last_report_id(int(a.id)) == latest


def test_synced_books_most_recent_first_each_once(store: Path) -> None:
    a, b = account("Büro"), account("Privat")
    kunden, team, never = ensure_book("Kunden"), ensure_book("Team"), ensure_book("Nie")
    Binding.create(
        account=a, remote_href="/k/", book=kunden, operation="sync", last_sync=datetime(2030, 1, 1)
    )
    Binding.create(
        account=b,
        remote_href="/k2/",
        book=kunden,
        operation="import",
        last_sync=datetime(2030, 1, 5),
    )
    Binding.create(
        account=a, remote_href="/t/", book=team, operation="sync", last_sync=datetime(2030, 1, 3)
    )
    Binding.create(account=a, remote_href="/n/", book=never, operation="sync")
    assert synced_books() == ["Kunden", "Team"]


def test_get_user_by_id(store: Path) -> None:
    user_id = users.add_user("Zweiter")
    assert users.get_user(user_id).name == "Zweiter"
    with pytest.raises(users.UserError):
        users.get_user(user_id + 100)
