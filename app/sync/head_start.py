"""A `contactbox-sync sync`'s first listing request, sent before the store and the sync
code load (issue 21) — and a `run` of one book already bound's.

A no-change sync is one sync-collection REPORT; most of its wall time is the server's. The
command line's own process therefore sends the first binding's listing request on a helper
thread as early as it can, and loads the rest while the server prepares its answer:

* **Before the store opens** (`early_head_start`, called by app/cli/entry.py `_run` before
  `open_database`): the database's sync lock is taken, the account, its bindings and the
  first one's sync token are read with the standard library's `sqlite3`
  (app/store/plain_read.py: read-only, and only from a file whose schema is the current
  one), the session is opened from those values (app/account_session.py, the same way
  `app.accounts.open_session` opens it) and the REPORT is sent — its body is a fixed text
  (app/dav/sync_report.py) — before peewee, the models, lxml and the engine load. The main
  thread waits until the request is written (`SENT_WAIT` at most: a slow TLS handshake
  over a WAN does not hold it up), so that the helper is not starved of the interpreter
  lock by the imports; then it opens the store (damage check, migrations: none, as the
  schema is current) and loads the sync code. The helper only takes the answer in; it is
  read (lxml) where the job's CardDAV client asks for it, exactly as that client's own
  request would be — so no two threads import the same modules at once.
* **After the store opens** (`head_start`, app/cli/books.py `cmd_sync`), when the file
  could not be read that way (no file yet, an older or newer schema — the migrations run
  first —, no database id yet, an account from before per-database password entries, any
  SQLite error): the same, from the models, before the engine and the jobs load.

A `run LABEL --book REF --mode M` (`OneBook`) gets only the first: when REF names one of
the account's bound books (`run_to_ask`: the rule by which `app.sync.jobs.find_book` names
it, app/dav/hrefs.py `collections_named`), into the same local book and with a mode
`first_to_ask` asks ahead for, that binding's listing is asked for, exactly as for `sync`;
a book not bound yet is found on the server by the run itself, as before. A `calendar run
LABEL [--user U]` (`CalendarRun`) too: the first of the calendar account's enabled
calendars (of that user, if named) is asked for, if its server offers sync-collection
(`calendar_to_ask`); the job then gets a CalDAV client answered the same way.

Either way the run itself is the same: `AccountJob` (app/sync/jobs.py) takes this session
and client instead of opening its own, and the engine's listing call is answered with this
request's result (or error) if it asks exactly what was asked here — the same collection,
the same sync token. Otherwise it waits for this request to end (one request on the
session at a time) and asks itself; the answer asked ahead is then dropped unread.

What it asks for is what the engine would (`first_to_ask`, one rule for both ways):
nothing for a run that wipes a book first ("Neu anlegen": its backup and its listing come
first), for a binding without sync-collection or when the lock is held by another process
(the job then reports that, as before). The lock is taken here, so no other process can
sync between this request and the run; within the process it is re-entrant
(app/store/lock.py), and the job takes it again (here it is held until the command ends,
its report printed). A failure to open the session (password, address) is kept and raised
where the job opens its session — the run's report says it as before, and the keyring is
asked only once.

Only the command line's own process uses it (app/cli/entry.py `main()` without arguments):
an in-process caller (the tests, which shorten the session's timeouts in
app/sync/jobs.py) runs the job as before. This module imports neither the store's models
nor lxml at its top (each path imports what it needs).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from app.background import in_background, result_of, wait_for

if TYPE_CHECKING:
    from app.dav.collection import CollectionClient
    from app.dav.response import DavResponse
    from app.dav.session import DavSession
    from app.store.models import Account
    from app.store.plain_read import BindingRow, CalendarRow

#: How long the main thread waits, at most, for the request to be written before it goes
#: on loading (seconds): on a LAN the request is out within a few milliseconds.
SENT_WAIT = 0.03


class _BindingLike(Protocol):
    @property
    def operation(self) -> str: ...
    @property
    def option(self) -> str: ...
    @property
    def supports_sync(self) -> bool: ...


B = TypeVar("B", bound=_BindingLike)


def first_to_ask(bindings: Sequence[B]) -> B | None:
    """Of an account's enabled bindings (in the store's order): the one the run starts with
    (app.sync.jobs.continuing_bindings' first) if its listing can be asked for ahead; None:
    ask nothing ahead. Bindings as models or as plain rows (app/store/plain_read.py)."""
    from app.sync.modes import Mode

    continuing = [b for b in bindings if Mode.parse(b.operation, b.option).continuing]
    if not continuing or any(Mode.parse(b.operation, b.option).recreate for b in continuing):
        return None  # nothing to do, or a backup and a wipe come first
    first = continuing[0]
    return first if first.supports_sync else None


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class OneBook:
    """What `contactbox-sync run LABEL --book REF --mode M [--option O] [--local-book L]`
    names: the book (as `app.sync.jobs.find_book` reads REF) and the mode it runs with."""

    ref: str
    operation: str
    option: str | None = None
    local_book: str | None = None


def run_to_ask(bindings: Sequence[BindingRow], run: OneBook) -> BindingRow | None:
    """Of all of an account's bindings: the one a `run` of one book lists first, if its
    listing can be asked for ahead (None: ask nothing ahead) — a book already bound (the
    run then names it without asking the server, app/cli/book_commands.py `_server_book`),
    into the same local book (another one: the run starts that binding afresh), run with a
    mode `first_to_ask` would ask ahead for. Raises ValueError for a mode of no known
    words (the run says so, as before)."""
    from app.dav.hrefs import collections_named

    named = collections_named(bindings, run.ref)
    if len(named) != 1:
        return None  # not bound yet (the run asks the server), or ambiguous (refused)
    found = named[0]
    if run.local_book and run.local_book != found.local_book:
        return None
    as_run = replace(found, operation=run.operation, option=run.option or "")
    return found if first_to_ask([as_run]) is not None else None


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class CalendarRun:
    """What `contactbox-sync calendar run LABEL [--user U]` names: the calendars of the
    account (of the user `user` only, if given)."""

    user: str | None = None


def calendar_to_ask(calendars: Sequence[CalendarRow], run: CalendarRun) -> CalendarRow | None:
    """Of a calendar account's enabled calendar bindings (by id): the one a `calendar run`
    starts with (app/cli/calendar_commands.py: those of the user named, if one is), if its
    listing can be asked for ahead (the server offers sync-collection); None: ask nothing
    ahead."""
    from app.store.names import names_user

    todo = [c for c in calendars if not run.user or names_user(run.user, c.user)]
    return todo[0] if todo and todo[0].supports_sync else None


def token_to_ask(sync_token: str | None, has_rows: bool) -> str | None:
    """The token the engine lists with: the binding's, if it remembers anything."""
    return sync_token if has_rows else None


class _OneAtATime:
    """The job's view of the session: each of its requests waits until the request asked
    ahead has ended (the session serves one thread at a time)."""

    def __init__(self, session: DavSession, ahead: Future[Any]) -> None:
        self._session = session
        self._ahead = ahead

    def request(self, *args: Any, **kwargs: Any) -> Any:
        wait_for(self._ahead)
        return self._session.request(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class _Asked:
    """The listing request sent ahead: on which collection, from which token, and its
    answer (or error) to come."""

    collection: str
    token: str
    future: Future[DavResponse]


class HeadStart:
    """The session of one `sync` run, opened ahead, and its first listing request;
    `kind`: the account's ("carddav" | "caldav"), whose client the job gets."""

    def __init__(self, kind: str = "carddav") -> None:
        self._kind = kind
        self._session: DavSession | None = None
        self._error: Exception | None = None
        self._asked: _Asked | None = None
        self._client: CollectionClient | None = None

    def session(self) -> DavSession:
        """The session for the job (what app.accounts.open_session would have given), or
        the error opening it raised."""
        if self._error is not None:
            raise self._error
        assert self._session is not None
        return self._session

    def client(self) -> CollectionClient:
        """The job's CardDAV or CalDAV client, whose first sync-collection request, if it
        asks what was asked ahead, is answered by that request (made when the job asks for
        it: the client loads lxml)."""
        if self._client is None:
            assert self._session is not None
            self._client = _ahead_client(self._session, self._asked, self._kind)
        return self._client

    def _close(self) -> None:
        """Close the session once the request asked ahead has ended (its answer, when
        nobody took it, is dropped)."""
        if self._asked is not None:
            wait_for(self._asked.future)
        if self._session is not None:
            self._session.close()


def _ask(session: DavSession, href: str, token: str | None) -> _Asked | None:
    """Send the first request of `changes(href, token)` now, on a helper thread, and return
    once it is written (or `SENT_WAIT` passed). The helper only sends and takes the answer
    in (standard library, no lxml); it is read where the job's client asks for it. None:
    an href of no collection on this server (the client's own check says so)."""
    from app.dav.hrefs import collection_path
    from app.dav.sync_report import send_sync_request

    collection = collection_path(href, session.base_url)
    if collection is None:
        return None
    sent = threading.Event()
    asked = token or ""  # (as `CollectionLister.changes` asks: "" = everything)

    def request() -> DavResponse:
        session.on_request_sent(sent.set)
        try:
            return send_sync_request(session, collection, asked, None)
        finally:
            session.on_request_sent(None)
            sent.set()

    future: Future[DavResponse] = in_background(request, "dav-listing")
    sent.wait(SENT_WAIT)
    return _Asked(collection, asked, future)


def _ahead_client(session: DavSession, asked: _Asked | None, kind: str) -> CollectionClient:
    """A CardDAV or CalDAV client (`kind`) over `session` (each request waiting until the
    one asked ahead has ended) whose first sync-collection request is answered by the one
    asked ahead when it asks the same — collection, token, no limit — and is sent itself
    otherwise (the answer asked ahead is then dropped unread)."""
    base: type[CollectionClient]
    if kind == "caldav":
        from app.dav.caldav import CalDavClient as base
    else:
        from app.dav.carddav import CardDavClient as base

    class AheadClient(base):  # type: ignore[valid-type,misc]
        _pending: _Asked | None = asked

        def _send_sync(self, collection: str, token: str, limit: int | None) -> DavResponse:
            pending, self._pending = self._pending, None
            if pending is None or (collection, token, limit) != (
                pending.collection,
                pending.token,
                None,
            ):
                return cast("DavResponse", super()._send_sync(collection, token, limit))
            return result_of(pending.future)

    AheadClient.__qualname__ = base.__qualname__
    if asked is None:
        return AheadClient(session)
    return AheadClient(cast("DavSession", _OneAtATime(session, asked.future)))


@contextlib.contextmanager
def _started(
    open_session: Callable[[], DavSession], href: str, token: str | None, kind: str = "carddav"
) -> Iterator[HeadStart]:
    """The session opened and the listing of `href` from `token` asked, while the block
    runs (both ways share this)."""
    head = HeadStart(kind)
    try:
        head._session = open_session()
    except Exception as exc:  # raised again where the job opens its session
        head._error = exc
        yield head
        return
    interrupted = False
    try:
        head._asked = _ask(head._session, href, token)
        yield head
    except KeyboardInterrupt:
        interrupted = True  # the process ends: a request in flight is not waited for
        raise
    finally:
        if not interrupted:
            head._close()


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class EarlyStart:
    """What `early_head_start` found: `decided` False — the file could not be read that
    way, `head_start` decides after the store opened; True — `head` is the run's (None:
    nothing is asked ahead)."""

    decided: bool
    head: HeadStart | None = None


@contextlib.contextmanager
def early_head_start(
    path: Path, label: str, password: str | None = None, what: OneBook | CalendarRun | None = None
) -> Iterator[EarlyStart]:
    """Before the store opens: the head start of the `sync` of the address book account
    `label` in the database at `path` (`what`: of that `run` of one book, or of that
    `calendar run` of the calendar account `label`), read with sqlite3 (see the module
    docstring). `password`: --password-stdin's for this account (else the stored one is
    read)."""
    from app.store.lock import SyncLocked, sync_lock

    if not path.is_file():
        yield EarlyStart(decided=False)
        return
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(sync_lock(path))
        except SyncLocked:
            yield EarlyStart(decided=True)  # the job says so, as before
            return
        from app.store import plain_read

        start: plain_read.SyncStart | plain_read.CalendarStart | None
        binding: BindingRow | CalendarRow | None
        try:
            if isinstance(what, CalendarRun):
                start = plain_read.read_calendar_start(path, label)
                binding = calendar_to_ask(start.calendars, what) if start is not None else None
            else:
                start = plain_read.read_sync_start(path, label, every=what is not None)
                if start is None:
                    binding = None
                elif what is None:
                    binding = first_to_ask(start.bindings)
                else:
                    binding = run_to_ask(start.bindings, what)
        except ValueError:  # a mode of no known words: the run says so, as before
            start = None
        if start is None:
            yield EarlyStart(decided=False)
            return
        if binding is None:
            yield EarlyStart(decided=True)
            return
        from app.account_session import open_account_session

        fields, database_id = start.session, start.database_id

        def session() -> DavSession:
            if password is None:  # keyring's memo lies beside this file (app/keyring_memo.py)
                from app.keyring_memo import resolve_backend

                resolve_backend(path)
            return open_account_session(fields, password=password, database_id=database_id)

        token = token_to_ask(binding.sync_token, binding.has_rows)
        kind = "caldav" if isinstance(what, CalendarRun) else "carddav"
        with _started(session, binding.remote_href, token, kind) as head:
            yield EarlyStart(decided=True, head=head)


@contextlib.contextmanager
def head_start(label: str) -> Iterator[HeadStart | None]:
    """After the store opened: while the `sync` of the address book account `label` runs,
    its session and its first listing request, started now (None: nothing started; the
    job does it all)."""
    from app.store.lock import SyncLocked, database_sync_lock
    from app.store.models import Account, Binding

    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(database_sync_lock())
        except SyncLocked:
            yield None  # the job says so, as before
            return
        account: Account | None = Account.get_or_none(
            (Account.label == label) & (Account.kind == "carddav")
        )
        binding = (
            first_to_ask(
                list(Binding.select().where((Binding.account == account) & Binding.enabled))
            )
            if account is not None
            else None
        )
        if account is None or binding is None:
            yield None
            return
        from app.accounts import open_session
        from app.store import syncbase

        token = token_to_ask(binding.sync_token, syncbase.has_rows(syncbase.ITEMS, binding))
        with _started(lambda: open_session(account), binding.remote_href, token) as head:
            yield head
