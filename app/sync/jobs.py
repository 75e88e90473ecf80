"""Jobs over an account: bind server books, check them, run them, keep the report.

A job has one shape for every face (CLI, GUI worker, scheduler):
`run(on_progress, cancelled) -> RunReport`; only whole-job failures raise.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from app.accounts import client_for, open_session
from app.dav.errors import DavError, kind_of_exception
from app.dav.hrefs import NamedCollection, collections_named
from app.dav.model import RemoteBook
from app.dav.session import DavSession, plain_http_warning
from app.dav.xml import same_href
from app.i18n import N_, _
from app.secrets import SecretError
from app.store.dbfile import BackupError
from app.store.live_count import count_live
from app.store.lock import SyncLocked, database_sync_lock
from app.store.models import Account, AddressBook, Binding, database, utcnow
from app.store.reports import save_report
from app.store.syncstate import forget_state
from app.sync.engine import CollectionSync
from app.sync.execute import BookSync, CancelFn, Cancelled, ProgressFn
from app.sync.modes import Mode
from app.sync.report import ADDRESS_BOOK, BookReport, RunReport, words_for

if TYPE_CHECKING:
    from app.sync.head_start import HeadStart


class JobError(Exception):
    """A job cannot start; message in German."""


_C = TypeVar("_C", bound=NamedCollection)


def pick_collection(
    items: Sequence[_C], ref: str, *, ambiguous: str, missing: str, choose: str
) -> _C:
    """The one collection `ref` names: its href (exactly, or the end of it: "kontakte",
    "/alice/kontakte/") or its display name (case-insensitive).

    A ref that names several (two "Kontakte" in different homes, or a name that is one
    book's name and the end of another's path) is refused with the candidates and their
    paths — never a silent first pick. The messages, translated, whole for the kind of
    collection: `ambiguous` ({ref}, {n}, {listed}, {example}), `missing` ({ref},
    {names}); `choose` is how to name one by its path ("{href}" filled in).
    """
    found = collections_named(items, ref)
    if len(found) == 1:
        return found[0]
    if found:
        listed = "; ".join(
            _("„{name}“ unter {href}").format(name=c.display_name or c.href, href=c.href)
            for c in found
        )
        example = choose.format(href=found[0].href)
        raise JobError(ambiguous.format(ref=ref, n=len(found), listed=listed, example=example))
    names = ", ".join(_("„{name}“").format(name=c.display_name or c.href) for c in items) or _(
        "keine"
    )
    raise JobError(missing.format(ref=ref, names=names))


def find_book(books: Sequence[RemoteBook], ref: str) -> RemoteBook:
    """A server book by display name (case-insensitive) or href; several: refused."""
    return pick_collection(
        books,
        ref,
        ambiguous=_(
            "„{ref}“ ist nicht eindeutig, es passt auf {n} Adressbücher: {listed}. "
            "Bitte den Pfad angeben, z. B. {example}"
        ),
        missing=_("Das Adressbuch „{ref}“ gibt es auf dem Server nicht (vorhanden: {names})."),
        choose="--book {href}",
    )


def find_binding(account: Account, href: str) -> Binding | None:
    for b in account.bindings:
        if same_href(b.remote_href, href):
            return b
    return None


def _local_book_name(account: Account, remote: RemoteBook) -> str:
    """The server book's name, unless another binding already feeds a book of that name:
    then "Name (Account)", "Name (Account 2)", … — two server books of one name (two
    homes) never flow into one local book unasked."""
    name = remote.display_name or remote.href.rstrip("/").rsplit("/", 1)[-1] or _("Kontakte")
    candidate = name
    for n in range(1, 1000):
        taken = AddressBook.get_or_none(AddressBook.name == candidate)
        if taken is None or not any(
            not same_href(b.remote_href, remote.href) for b in taken.bindings
        ):
            return candidate
        candidate = f"{name} ({account.label})" if n == 1 else f"{name} ({account.label} {n})"
    return candidate


def _take_remote(binding: Binding, remote: RemoteBook, mode: Mode) -> None:
    """What a binding keeps of its server book, and the asked mode."""
    binding.remote_name = remote.display_name
    binding.operation = mode.operation.value
    binding.option = mode.option.value
    binding.supports_sync = remote.supports_sync_collection
    binding.vcard_versions = ",".join(remote.vcard_versions)
    binding.read_only = remote.read_only


def bind_book(
    account: Account, remote: RemoteBook, mode: Mode, local_book: str | None = None
) -> Binding:
    """Create or update the binding of a server book with an operation and option."""
    from app.store.contacts import ensure_book  # (the contact store: only when binding)

    with database.atomic():
        binding = find_binding(account, remote.href)
        if binding is None:
            book = ensure_book(local_book or _local_book_name(account, remote))
            binding = Binding(account=account, remote_href=remote.href, book=book)
        elif local_book and local_book != binding.book.name:
            # Another local book: what the state remembers belongs to the old one, so the
            # binding starts afresh (a first run with matching), never "deleted locally".
            binding.book = ensure_book(local_book)
            forget_state(binding)
        _take_remote(binding, remote, mode)
        binding.enabled = True
        binding.save()
    return binding


def transient_binding(
    account: Account, remote: RemoteBook, mode: Mode, local_book: str | None = None
) -> Binding:
    """A binding for a check: the saved one with the asked mode, never written back."""
    saved = find_binding(account, remote.href)
    if saved is not None and (local_book is None or local_book == saved.book.name):
        b = Binding(**saved.__data__)
    else:
        name = local_book or _local_book_name(account, remote)
        book = AddressBook.get_or_none(AddressBook.name == name) or AddressBook(name=name)
        b = Binding(account=account, remote_href=remote.href, book=book)
    _take_remote(b, remote, mode)
    return b


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class PendingBinding:
    """A binding change the user chose (setup dialog, CLI `run`), carried to the run as data.

    It is saved (`bind_book`, with its state reset for another local book) only when the
    run has started: under the sync lock, with the session open, right before the sync. A
    cancelled countdown or a refused start leaves the bindings as they were.
    """

    remote: RemoteBook
    mode: Mode
    local_book: str | None = None

    @property
    def name(self) -> str:
        """The server book's name as the run's progress and report call it."""
        return self.remote.display_name or self.remote.href


#: Why a background run did not start a binding whose option is "Neu anlegen" (German
#: msgid: stored in the report translated in the run's language, `_(MANUAL_ONLY_DE)`).
MANUAL_ONLY_DE = N_(
    "„Neu anlegen“ wird nur ausgeführt, wenn Sie den Abgleich selbst starten; der Abgleich "
    "im Hintergrund hat dieses Adressbuch übersprungen und nichts geändert. Starten Sie ihn "
    "mit „Adressbuch abgleichen“ (Adressbuch-Synchronisierung) oder mit „contactbox-sync "
    "sync“."
)


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares or prints a job
class CollectionJob(ABC):
    """Check or run some bindings of one account over one HTTP session.

    One job for both kinds: `AccountJob` (address books) and `CalendarJob` (calendars,
    app/sync/calendar_jobs.py) say only which client and which sync a binding gets.
    """

    account: Account
    bindings: Sequence[Any]
    dry_run: bool = False
    allow_mass_delete: bool = False
    trigger: str = "manual"
    #: The command line's `sync`: its session and first listing request, opened and sent
    #: before this module was loaded (app/sync/head_start.py); None: the job opens its own.
    head_start: HeadStart | None = None

    @abstractmethod
    def _client(self, session: DavSession) -> Any:
        """The collection client over the job's session."""

    #: The sync of one binding (BookSync or CalendarSync: the same constructor).
    sync_class: ClassVar[Callable[..., CollectionSync[Any]]]
    #: What the job syncs, as its report says: "addressbook" | "calendar".
    collection: ClassVar[str] = ADDRESS_BOOK

    def _sync(
        self,
        binding: Any,
        client: Any,
        on_progress: ProgressFn | None,
        cancelled: CancelFn | None,
    ) -> CollectionSync[Any]:
        return self.sync_class(
            binding,
            client,
            dry_run=self.dry_run,
            allow_mass_delete=self.allow_mass_delete,
            on_progress=on_progress,
            cancelled=cancelled,
        )

    def _prepare(self) -> str:
        """Work before a run (not a check); returns a note for the recreating syncs."""
        return ""

    def _has_work(self) -> bool:
        """Anything to sync (else no session is opened)."""
        return bool(self.bindings)

    def _apply_pending(self) -> None:  # noqa: B027 - a hook: most jobs have nothing pending
        """Save the binding changes that came with the job (under the lock, session open)."""

    def _not_started(self) -> list[BookReport]:
        """Books the job leaves out on purpose, each with its reason."""
        return []

    def run(
        self, on_progress: ProgressFn | None = None, cancelled: CancelFn | None = None
    ) -> RunReport:
        """A run holds the database's sync lock (app/store/lock.py); a check needs none."""
        if self.dry_run:
            return self._run(on_progress, cancelled)
        try:
            with database_sync_lock():
                return self._run(on_progress, cancelled)
        except SyncLocked as exc:
            return locked_report(self.account.label, exc, self.collection)

    def _run(
        self, on_progress: ProgressFn | None = None, cancelled: CancelFn | None = None
    ) -> RunReport:
        report = RunReport(
            account=self.account.label,
            kind="check" if self.dry_run else "run",
            started=utcnow(),
            collection=self.collection,
        )
        was_cancelled = False
        report.books.extend(self._not_started())
        try:
            if self._has_work():
                was_cancelled = self._sync_all(report, on_progress, cancelled)
        except DavError as exc:  # FATAL ones and any other whole-job failure
            report.message = exc.message
            report.error_kind = kind_of_exception(exc)
            report.status = "failed"
        except SecretError as exc:
            report.message = str(exc)
            report.status = "failed"
            # Like a refused password: the scheduler holds the account (no retry every
            # interval), and a run the user started asks for the password (ui/run_window.py).
            report.error_kind = "auth"
        except BackupError as exc:  # no backup, no wipe: nothing was changed
            report.message = _("{reason} „Neu anlegen“ wurde nicht ausgeführt.").format(reason=exc)
            report.status = "failed"
        if not report.error_kind:
            kinds = {b.error_kind for b in report.books if b.error_kind}
            report.error_kind = next(
                (k for k in ("auth", "network", "server", "other") if k in kinds), ""
            )
        report.finish(utcnow(), cancelled=was_cancelled)
        if not self.dry_run:
            save_report(self.account, report.to_dict(), self.trigger, report.details_dicts())
        return report

    def _sync_all(
        self, report: RunReport, on_progress: ProgressFn | None, cancelled: CancelFn | None
    ) -> bool:
        """Sync the bindings one after the other over one session; True if cancelled."""
        note = "" if self.dry_run else self._prepare()
        head = self.head_start
        with nullcontext(head.session()) if head else open_session(self.account) as session:
            self._apply_pending()
            client = head.client() if head else self._client(session)
            for binding in self.bindings:
                sync = self._sync(binding, client, on_progress, cancelled)
                report.books.append(sync.report)
                if note and sync.mode.recreate:
                    sync.report.notes.append(note)
                items = words_for(self.collection).items  # "Kontakte" | "Termine"
                if insecure := plain_http_warning(self.account.base_url, _(items)):
                    sync.report.notes.append(insecure)  # "Hinweis: …" in the report
                try:
                    sync.run()
                except Cancelled:
                    return True
        return False


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares or prints a job
class AccountJob(CollectionJob):
    """Check or run some address book bindings of one account.

    `pending`: binding changes chosen by the user, saved when the run starts
    (`_apply_pending`); afterwards their bindings are part of `bindings` (a check uses
    unsaved copies). `manual_only`: bindings a background run leaves out ("Neu anlegen"),
    each named in the report.
    """

    pending: Sequence[PendingBinding] = ()
    manual_only: Sequence[Binding] = ()

    sync_class = BookSync

    def _client(self, session: DavSession) -> Any:
        return client_for(session)

    def _prepare(self) -> str:
        """ "Neu anlegen" wipes a book: the database is backed up first (its note names it)."""
        modes = [Mode.parse(b.operation, b.option) for b in self.bindings]
        if any(m.recreate for m in [*modes, *(p.mode for p in self.pending)]):
            from app.store.backups import backup_before_recreate, backup_note_de

            return backup_note_de(backup_before_recreate())
        return ""

    def _has_work(self) -> bool:
        return bool(self.bindings or self.pending)

    def _apply_pending(self) -> None:
        if not self.pending:
            return
        if self.dry_run:
            made = [
                transient_binding(self.account, p.remote, p.mode, p.local_book)
                for p in self.pending
            ]
        else:
            made = [bind_book(self.account, p.remote, p.mode, p.local_book) for p in self.pending]
        self.bindings = [*self.bindings, *made]
        self.pending = ()

    def _not_started(self) -> list[BookReport]:
        return [
            BookReport(
                book=b.remote_name or b.remote_href,
                href=b.remote_href,
                local_book=b.book.name,
                mode=f"{b.operation}/{b.option}".rstrip("/"),
                not_started=_(MANUAL_ONLY_DE),
            )
            for b in self.manual_only
        ]


def locked_report(account_label: str, exc: SyncLocked, collection: str = ADDRESS_BOOK) -> RunReport:
    """The report of a run that did not start: another process syncs this database.
    Nothing was written (not even this report); error_kind "locked" (CLI exit code 5)."""
    now = utcnow()
    report = RunReport(
        account=account_label,
        kind="run",
        started=now,
        status="failed",
        message=exc.message,
        collection=collection,
    )
    report.error_kind = "locked"
    report.finish(now)
    return report


# ---------------------------------------------------------------- overviews for CLI and GUI


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class BindingInfo:
    """A bound server book as the account view shows it."""

    id: int
    remote_href: str
    remote_name: str
    local_book: str
    operation: str
    option: str
    enabled: bool
    last_sync: datetime | None
    last_status: str

    @property
    def mode(self) -> Mode:
        return Mode.parse(self.operation, self.option)


def _binding_info(b: Binding) -> BindingInfo:
    return BindingInfo(
        b.id,
        b.remote_href,
        b.remote_name,
        b.book.name,
        b.operation,
        b.option,
        b.enabled,
        b.last_sync,
        b.last_status,
    )


def list_bindings(account: Account) -> list[BindingInfo]:
    return [
        _binding_info(b)
        for b in Binding.select().where(Binding.account == account).order_by(Binding.id)
    ]


def get_binding(binding_id: int) -> Binding:
    b = Binding.get_or_none(Binding.id == binding_id)
    if b is None:
        raise JobError(_("Dieses Adressbuch ist nicht mehr mit Contactbox verbunden."))
    return b


def set_binding_enabled(binding_id: int, enabled: bool) -> None:
    """ "deaktivieren": the book stays bound but is not synced until enabled again."""
    Binding.update(enabled=enabled).where(Binding.id == binding_id).execute()


def remove_binding(binding_id: int) -> None:
    """Remove a book from sync: binding and its sync state go, the local contacts stay."""
    with database.atomic():
        get_binding(binding_id).delete_instance(recursive=True)


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class BookOverview:
    """A server book with its count on the server and in Contactbox."""

    remote: RemoteBook
    server_count: int
    local_count: int
    binding: BindingInfo | None


def book_overview(account: Account) -> list[BookOverview]:
    """Every server book of the account with counts on both sides (one listing each)."""
    from app.dav.discovery import discover_books

    out = []
    with open_session(account) as session:
        client = client_for(session)
        for remote in discover_books(session):
            binding = find_binding(account, remote.href)
            out.append(
                BookOverview(
                    remote,
                    len(client.list_etags(remote.href).etags),
                    count_live(binding.book) if binding else 0,
                    _binding_info(binding) if binding else None,
                )
            )
    return out


def continuing_bindings(account: Account) -> list[Binding]:
    """The enabled OneWay and two-way bindings: what a `sync` run does (a background run
    leaves out those with "Neu anlegen", app/sync/background.py)."""
    return [
        b
        for b in Binding.select().where((Binding.account == account) & Binding.enabled)
        if Mode.parse(b.operation, b.option).continuing
    ]
