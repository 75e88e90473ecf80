"""A `contactbox-sync sync`'s first listing request, sent before the sync code loads
(issue 21).

A no-change sync is one sync-collection REPORT; most of its wall time is the server's. The
command line's `sync` (app/cli/books.py) therefore takes the database's sync lock, opens the
account's session and sends the first binding's listing request on a helper thread *before*
it imports the sync engine, the jobs and the report code (~50 ms): those load while the server
prepares its answer. The run itself is the same: `AccountJob` (app/sync/jobs.py) takes this
session and client instead of opening its own, and the engine's listing call is answered
with this request's result (or error) if it asks exactly what was asked here — the same
collection, the same sync token. Otherwise it waits for this request to end (one request on
the session at a time) and asks itself; the answer asked ahead is then dropped unread.

What it asks for is what the engine would: nothing for a run that wipes a book first ("Neu
anlegen": its backup and its listing come first), for a binding without sync-collection or
when the lock is held by another process (the job then reports that, as before). The lock is
taken here, so no other process can sync between this request and the run; within the
process it is re-entrant (app/store/lock.py), and the job takes it again (here it is held
until the command ends, its report printed). A failure to open
the session (password, address) is kept and raised where the job opens its session — the
run's report says it as before, and the keyring is asked only once. Imports here: the store's
models, the session and the CardDAV client, nothing of the engine.

Only the command line's own process uses it (app/cli/entry.py `main()` without arguments):
an in-process caller (the tests, which shorten the session's timeouts in
app/sync/jobs.py) runs the job as before.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, cast

from app.background import in_background, result_of, wait_for

if TYPE_CHECKING:
    from app.dav.carddav import CardDavClient
    from app.dav.model import Listing
    from app.dav.session import DavSession
    from app.store.models import Account, Binding


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


class HeadStart:
    """The session of one `sync` run, opened ahead, and its first listing request."""

    def __init__(self) -> None:
        self._session: DavSession | None = None
        self._error: Exception | None = None
        self._client: CardDavClient | None = None
        self._ahead: Future[Listing] | None = None

    def session(self) -> DavSession:
        """The session for the job (what app.accounts.open_session would have given), or
        the error opening it raised."""
        if self._error is not None:
            raise self._error
        assert self._session is not None
        return self._session

    def client(self) -> CardDavClient:
        assert self._client is not None
        return self._client

    def _close(self) -> None:
        """Close the session once the request asked ahead has ended (its answer, when
        nobody took it, is dropped)."""
        if self._ahead is not None:
            wait_for(self._ahead)
        if self._session is not None:
            self._session.close()


def _ahead_client(
    session: DavSession, href: str, token: str | None
) -> tuple[CardDavClient, Future[Listing]]:
    """A CardDAV client over `session` whose first `changes(href, token)` is the request
    sent now; the request runs on a scratch client of its own (the hrefs it refuses are
    handed over when its answer is taken, as the engine's own request would note them)."""
    from app.dav.carddav import CardDavClient

    scratch = CardDavClient(session)
    ahead: Future[Listing] = in_background(lambda: scratch.changes(href, token), "dav-listing")

    class AheadClient(CardDavClient):
        _pending: Future[Listing] | None = ahead

        def changes(self, href_: str, token_: str | None, *, limit: int | None = None) -> Listing:
            pending, self._pending = self._pending, None
            if pending is None or (href_, token_, limit) != (href, token, None):
                return super().changes(href_, token_, limit=limit)
            try:
                return result_of(pending)
            finally:
                for foreign in scratch.ignored_hrefs:
                    if foreign not in self.ignored_hrefs:
                        self.ignored_hrefs.append(foreign)

    AheadClient.__qualname__ = CardDavClient.__qualname__
    return AheadClient(cast("DavSession", _OneAtATime(session, ahead))), ahead


def _first_binding(account: Account) -> Binding | None:
    """The binding the run starts with (app.sync.jobs.continuing_bindings' first) if its
    listing can be asked for ahead; None: ask nothing ahead."""
    from app.store.models import Binding
    from app.sync.modes import Mode

    bindings = [
        b
        for b in Binding.select().where((Binding.account == account) & Binding.enabled)
        if Mode.parse(b.operation, b.option).continuing
    ]
    if not bindings or any(Mode.parse(b.operation, b.option).recreate for b in bindings):
        return None  # nothing to do, or a backup and a wipe come first
    first = bindings[0]
    return first if first.supports_sync else None


@contextlib.contextmanager
def head_start(label: str) -> Iterator[HeadStart | None]:
    """While the `sync` of the address book account `label` runs: its session and its
    first listing request, started now (None: nothing started; the job does it all)."""
    from app.store.lock import SyncLocked, database_sync_lock
    from app.store.models import Account

    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(database_sync_lock())
            locked = False
        except SyncLocked:
            locked = True  # the job says so, as before
        account = (
            None
            if locked
            else Account.get_or_none((Account.label == label) & (Account.kind == "carddav"))
        )
        binding = _first_binding(account) if account is not None else None
        if account is None or binding is None:
            yield None
            return
        from app.store import syncbase

        token = binding.sync_token if syncbase.has_rows(syncbase.ITEMS, binding) else None
        head = HeadStart()
        try:
            from app.accounts import open_session

            head._session = open_session(account)
        except Exception as exc:  # raised again where the job opens its session
            head._error = exc
            yield head
            return
        interrupted = False
        try:
            head._client, head._ahead = _ahead_client(head._session, binding.remote_href, token)
            yield head
        except KeyboardInterrupt:
            interrupted = True  # the process ends: a request in flight is not waited for
            raise
        finally:
            if not interrupted:
                head._close()
