"""A `sync`'s head start reads the database with sqlite3 before the store opens
(app/store/plain_read.py, issue 21): it must find what the models find — the account's
session fields, its enabled bindings in the store's order, which one the run starts with and
its token (`first_to_ask`, one rule for both), whether it has state rows — and read nothing
from a file it cannot vouch for (another schema version, no database id, a legacy account,
no file, not a database). A `run` of one book asks ahead for the binding the run itself
finds (`run_to_ask`). Real SQLite files made by the store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.account_session import SessionFields
from app.accounts import session_fields
from app.store import contacts as cstore
from app.store import syncbase
from app.store.db import close_database, open_database
from app.store.identity import database_id
from app.store.models import (
    Account,
    Binding,
    CalendarBinding,
    EventState,
    ItemState,
    MetaEntry,
    User,
)
from app.store.plain_read import read_calendar_start, read_sync_start
from app.store.schema import META_TABLE, SCHEMA_VERSION
from app.sync.head_start import (
    CalendarRun,
    OneBook,
    calendar_to_ask,
    first_to_ask,
    run_to_ask,
    token_to_ask,
)
from app.sync.jobs import JobError, find_book


def _account(label: str = "Firma", kind: str = "carddav") -> Account:
    return Account.create(
        label=label, username="eva", server="dav.example", base_url="https://dav.example/dav/",
        pinned_sha256="ab" * 32, kind=kind,
    )  # fmt: skip


def _bind(account: Account, href: str, operation: str = "sync", option: str = "server",
          **more: object) -> Binding:  # fmt: skip
    return Binding.create(
        account=account, remote_href=href, book=cstore.ensure_book(f"B {href}"),
        operation=operation, option=option, **more,
    )  # fmt: skip


def _store_view(account: Account) -> tuple[list[int], int | None, str | None]:
    """What the head start decides from the models: the bindings' order, the first to ask
    and its token."""
    bindings = list(Binding.select().where((Binding.account == account) & Binding.enabled))
    first = first_to_ask(bindings)
    token = (
        token_to_ask(first.sync_token, syncbase.has_rows(syncbase.ITEMS, first)) if first else None
    )
    return [b.id for b in bindings], first.id if first else None, token


def _plain_view(path: Path, label: str) -> tuple[list[int], int | None, str | None]:
    start = read_sync_start(path, label)
    assert start is not None
    first = first_to_ask(start.bindings)
    token = token_to_ask(first.sync_token, first.has_rows) if first else None
    return [b.id for b in start.bindings], first.id if first else None, token


def test_the_plain_read_finds_what_the_models_find(store: Path) -> None:
    account = _account()
    _account("Termine", kind="caldav")
    # made in the reverse order of their hrefs (the order is the store's, whatever it is)
    late = _bind(account, "/dav/eva/z/", sync_token="tok-z")
    _bind(account, "/dav/eva/y/", operation="import", option="add")
    _bind(account, "/dav/eva/x/", enabled=False, sync_token="tok-x")
    early = _bind(account, "/dav/eva/m/", sync_token="tok-m")
    ItemState.create(binding=early, href="/dav/eva/m/1.vcf", etag='"1"')
    expected = _store_view(account)
    assert expected[1] in (late.id, early.id) and len(expected[0]) == 3
    assert _plain_view(store, "Firma") == expected
    start = read_sync_start(store, "Firma")
    assert start is not None
    assert (
        start.session
        == session_fields(account)
        == SessionFields(account.id, "https://dav.example/dav/", "eva", "ab" * 32)
    )
    assert start.database_id == database_id()

    # the first one without state rows: no token (a full listing), both ways
    ItemState.delete().execute()
    assert _plain_view(store, "Firma") == _store_view(account)
    assert _plain_view(store, "Firma")[2] is None
    # a "Neu anlegen" anywhere, or a first binding without sync-collection: nothing asked
    Binding.update(supports_sync=False).where(Binding.id == expected[1]).execute()
    assert _plain_view(store, "Firma") == _store_view(account) == (expected[0], None, None)
    Binding.update(supports_sync=True).execute()
    Binding.update(option="recreate").where(Binding.id != expected[1]).execute()
    assert _plain_view(store, "Firma") == _store_view(account) == (expected[0], None, None)


def _run_view(path: Path, account: Account, one: OneBook) -> int | None:
    """The binding a `run` asks ahead for, read with sqlite3 — checked against the one the
    run finds with the models (app/cli/book_commands.py `_server_book`: the bound books)."""
    start = read_sync_start(path, account.label, every=True)
    assert start is not None
    rows = {b.id: b for b in start.bindings}
    models = list(account.bindings)
    assert rows.keys() == {b.id for b in models}  # every binding, enabled or not
    for b in models:
        row = rows[b.id]
        assert (row.remote_href, row.remote_name, row.local_book) == (
            b.remote_href, b.remote_name, b.book.name,
        )  # fmt: skip
    found = run_to_ask(start.bindings, one)
    if found is not None:
        named = find_book([_remote(b) for b in models], one.ref)
        assert named.href == found.remote_href  # the book the run itself takes
    return found.id if found is not None else None


def _remote(binding: Binding) -> object:
    from app.dav.model import RemoteBook

    return RemoteBook(href=binding.remote_href, display_name=binding.remote_name)


def test_a_run_of_a_bound_book_asks_for_that_binding(store: Path) -> None:
    account = _account()
    work = _bind(account, "/dav/eva/arbeit/", remote_name="Arbeit", sync_token="t1")
    off = _bind(account, "/dav/eva/privat/", remote_name="Privat", enabled=False)
    _bind(account, "/dav/eva/alt/", remote_name="Alt", operation="import", option="add")
    for ref in ("/dav/eva/arbeit/", "/dav/eva/arbeit", "arbeit", "ARBEIT", "eva/arbeit"):
        assert _run_view(store, account, OneBook(ref, "sync")) == work.id, ref
    assert _run_view(store, account, OneBook("Arbeit", "sync", "contactbox")) == work.id
    assert _run_view(store, account, OneBook("Arbeit", "oneway")) == work.id
    assert _run_view(store, account, OneBook("Arbeit", "sync", None, "B /dav/eva/arbeit/")) == (
        work.id
    )
    # a disabled binding: the run enables it and lists from its token
    assert _run_view(store, account, OneBook("privat", "sync", "server")) == off.id
    # the mode is the run's: a book bound for an import, run as sync, is asked for; an
    # import is a mode nothing is asked ahead for
    assert _run_view(store, account, OneBook("Alt", "sync")) is not None
    assert _run_view(store, account, OneBook("Arbeit", "import", "update")) is None


def test_a_run_asks_nothing_ahead_where_the_run_does_otherwise(store: Path) -> None:
    account = _account()
    _bind(account, "/dav/eva/kontakte/", remote_name="Kontakte")
    _bind(account, "/dav/eva/team/", remote_name="kontakte")  # the same name, another book
    _bind(account, "/dav/eva/blind/", remote_name="Blind", supports_sync=False)
    _bind(account, "/dav/eva/neu/", remote_name="Neu")
    one = OneBook("Kontakte", "sync")
    assert _run_view(store, account, one) is None  # ambiguous: the run refuses it
    with pytest.raises(JobError):
        find_book([_remote(b) for b in account.bindings], "Kontakte")
    assert _run_view(store, account, OneBook("/dav/eva/team/", "sync")) is not None
    assert _run_view(store, account, OneBook("Fremd", "sync")) is None  # not bound: asked
    assert _run_view(store, account, OneBook("Blind", "sync")) is None  # no sync-collection
    assert _run_view(store, account, OneBook("Neu", "sync", "recreate")) is None  # wipe first
    assert _run_view(store, account, OneBook("Neu", "sync", None, "Anderes")) is None  # afresh
    with pytest.raises(ValueError):  # the run says so, as before
        _run_view(store, account, OneBook("Neu", "oneway", "server"))


def test_a_calendar_run_asks_for_the_calendar_the_run_starts_with(store: Path) -> None:
    """The calendar bindings read with sqlite3 are the job's (`enabled_bindings`: by id),
    with their users, tokens and state rows; `calendar_to_ask` takes the first of them — of
    the user named, by name or as shown — if the server offers sync-collection."""
    from app.store.names import DEFAULT_USER, user_display_name
    from app.store.users import add_user
    from app.sync.calendar_jobs import enabled_bindings

    account = _account("Termine", kind="caldav")
    _account()  # an address book account of another label
    default = User.get(User.name == DEFAULT_USER)
    eva = User.get_by_id(add_user("Eva"))
    otto = User.get_by_id(add_user("Otto"))
    cal = {}
    for user, href, more in (
        (eva, "/dav/eva/kal/", {"sync_token": "tok-e"}),
        (otto, "/dav/otto/kal/", {"enabled": False}),
        (default, "/dav/std/kal/", {"sync_token": "tok-s", "supports_sync": False}),
    ):
        cal[user.name] = CalendarBinding.create(
            account=account, user=user, remote_href=href, **more
        )
    EventState.create(binding=cal["Eva"], href="/dav/eva/kal/1.ics", etag='"1"')
    start = read_calendar_start(store, "Termine")
    assert start is not None and start.session == session_fields(account)
    models = enabled_bindings(account)
    assert [c.id for c in start.calendars] == [b.id for b in models]
    for row, b in zip(start.calendars, models, strict=True):
        assert (row.remote_href, row.user, row.supports_sync, row.sync_token, row.has_rows) == (
            b.remote_href, b.user.name, b.supports_sync, b.sync_token,
            syncbase.has_rows(syncbase.EVENTS, b),
        )  # fmt: skip
    first = calendar_to_ask(start.calendars, CalendarRun())
    assert first is not None and first.id == cal["Eva"].id
    assert token_to_ask(first.sync_token, first.has_rows) == "tok-e"
    assert calendar_to_ask(start.calendars, CalendarRun("Eva")) is first
    assert calendar_to_ask(start.calendars, CalendarRun("Otto")) is None  # disabled
    # the default user's calendar, named as shown: no sync-collection, nothing asked
    assert calendar_to_ask(start.calendars, CalendarRun(user_display_name(DEFAULT_USER))) is None
    assert read_calendar_start(store, "Firma") is None  # not a calendar account


def test_no_account_of_that_label_and_kind_reads_as_none(store: Path) -> None:
    _account("Termine", kind="caldav")
    assert read_sync_start(store, "Termine") is None
    assert read_sync_start(store, "Nope") is None


@pytest.mark.parametrize("version", [SCHEMA_VERSION - 1, SCHEMA_VERSION + 1])
def test_another_schema_version_is_not_read(store: Path, version: int) -> None:
    _bind(_account(), "/dav/eva/k/")
    assert read_sync_start(store, "Firma") is not None
    MetaEntry.update(value=str(version)).where(MetaEntry.key == "schema_version").execute()
    assert read_sync_start(store, "Firma") is None


def test_a_file_without_its_id_or_with_a_legacy_account_is_not_read(store: Path) -> None:
    account = _account()
    _bind(account, "/dav/eva/k/")
    MetaEntry.create(key=f"keyring-legacy-account-{account.id}", value="1")
    assert read_sync_start(store, "Firma") is None  # (its password may be an old entry)
    MetaEntry.delete().where(MetaEntry.key.startswith("keyring-legacy-")).execute()
    assert read_sync_start(store, "Firma") is not None
    MetaEntry.delete().where(MetaEntry.key == "database_id").execute()
    assert read_sync_start(store, "Firma") is None  # (the store makes it when it opens)


def test_no_file_or_not_a_database_is_not_read(tmp_path: Path) -> None:
    assert read_sync_start(tmp_path / "contactbox.sqlite3", "Firma") is None
    (tmp_path / "junk.sqlite3").write_bytes(b"no database at all" * 100)
    assert read_sync_start(tmp_path / "junk.sqlite3", "Firma") is None
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    assert read_sync_start(empty, "Firma") is None
    assert not (tmp_path / "contactbox.sqlite3").exists()  # (read-only: nothing made)


def test_the_read_writes_nothing(store: Path) -> None:
    _bind(_account(), "/dav/eva/k/")
    close_database()
    before = store.read_bytes()
    assert read_sync_start(store, "Firma") is not None
    assert store.read_bytes() == before
    open_database(store)


def test_the_schema_module_says_what_the_models_and_migrations_say() -> None:
    from app.store.migrations import MIGRATIONS

    assert len(MIGRATIONS) == SCHEMA_VERSION
    assert MetaEntry._meta.table_name == META_TABLE
