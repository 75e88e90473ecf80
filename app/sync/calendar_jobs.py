"""Calendar jobs: CalDAV accounts, binding a user's calendar, check and run with reports.

The calendar counterpart of `app.sync.jobs`, with the same job shape for every face (CLI,
GUI worker, scheduler): `CalendarJob.run(on_progress, cancelled) -> RunReport`; only
whole-job failures end up in the report as "failed" (nothing is changed then); the run's
report is kept through `save_report` like an address book run.

Accounts are `Account` rows of kind "caldav" made by `app.accounts.add_account` (password
into the keyring only); `Account.user` is the Contactbox user the account serves. Each
user has at most one CalendarBinding: all of that user's appointments sync with that one
calendar, and with no other user's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from app import secrets
from app.accounts import add_account, check_saved, open_session
from app.dav.caldav import CalDavClient, RemoteCalendar, discover_calendars, find_calendar_homes
from app.dav.caldav import make_calendar as dav_make_calendar
from app.dav.discovery import check_collections
from app.dav.errors import TlsError, kind_of_exception
from app.dav.session import DavSession
from app.dav.xml import same_href
from app.i18n import _, ngettext
from app.secrets import SecretError
from app.store.calsync import forget_state
from app.store.models import Account, CalendarBinding, User, database
from app.sync.calendar import PREFERENCES, CalendarSync
from app.sync.jobs import CollectionJob, JobError, pick_collection
from app.sync.report import CALENDAR

KIND = "caldav"


# ---------------------------------------------------------------- accounts


#: Save a CalDAV account (password into the keyring), optionally for a user (`user=`):
#: `add_account` with the calendar kind, the same keywords.
add_calendar_account = partial(add_account, kind=KIND)


@dataclass
class CalendarCheck:
    """Outcome of a connection check of a CalDAV account (German message)."""

    ok: bool
    message: str
    base_url: str = ""
    fingerprint: str | None = None
    calendars: list[RemoteCalendar] = field(default_factory=list)
    error_kind: str = ""
    plain_http_url: str = ""  # as in ConnectionResult: http:// answers where https failed


def _calendars_message(n: int) -> str:
    if n == 0:
        return _("Verbindung erfolgreich, aber es wurde kein Kalender gefunden.")
    return ngettext(
        "Verbindung erfolgreich: {n} Kalender gefunden.",
        "Verbindung erfolgreich: {n} Kalender gefunden.",
        n,
    ).format(n=n)


def check_calendar_connection(
    server: str,
    port: int | None,
    path: str,
    preset: str | None,
    username: str,
    password: str,
    pinned_sha256: str | None = None,
    *,
    timeout: float = 60.0,  # per read; connecting gives up after 15 s
) -> CalendarCheck:
    """Build the URL, log in and list the calendars; never raises, reports in German."""
    r = check_collections(
        server, port, path, preset, username, password, pinned_sha256,
        discover=discover_calendars, describe=_calendars_message, timeout=timeout,
    )  # fmt: skip
    if r.ok:
        return CalendarCheck(True, r.message, r.base_url, None, list(r.books))
    tls = isinstance(r.error, TlsError) or r.error is None
    kind = "other" if tls else kind_of_exception(r.error)  # type: ignore[arg-type]
    return CalendarCheck(
        False,
        r.message,
        r.base_url,
        r.fingerprint,
        error_kind=kind,
        plain_http_url=r.plain_http_url,
    )


def check_calendar_account(account: Account) -> CalendarCheck:
    try:
        password = secrets.get_password(account.id)
    except SecretError as exc:
        return CalendarCheck(False, str(exc), account.base_url)
    return check_saved(check_calendar_connection, account, password)


def server_calendars(account: Account) -> list[RemoteCalendar]:
    with open_session(account) as session:
        return discover_calendars(session)


def create_calendar(account: Account, name: str, color: str | None = None) -> RemoteCalendar:
    """A new calendar for events on the server (in the first calendar home)."""
    with open_session(account) as session:
        homes = find_calendar_homes(session)
        if not homes:
            raise JobError(_("Auf dem Server wurde kein Ort für neue Kalender gefunden."))
        return dav_make_calendar(session, homes[0], name, color=color)


def find_calendar(calendars: Sequence[RemoteCalendar], ref: str) -> RemoteCalendar:
    """A server calendar by display name (case-insensitive) or href; several: refused
    with the candidates and their paths (`pick_collection`)."""
    return pick_collection(
        calendars,
        ref,
        ambiguous=_(
            "„{ref}“ ist nicht eindeutig, es passt auf {n} Kalender: {listed}. "
            "Bitte den Pfad angeben, z. B. {example}"
        ),
        missing=_("Den Kalender „{ref}“ gibt es auf dem Server nicht (vorhanden: {names})."),
        choose="{href}",
    )


def get_user(name: str) -> User:
    user = User.get_or_none(User.name == name)
    if user is None:
        known = ", ".join(u.name for u in User.select().order_by(User.id)) or _("keine")
        raise JobError(
            _("Den Benutzer „{name}“ gibt es nicht (vorhanden: {known}).").format(
                name=name, known=known
            )
        )
    found: User = user
    return found


# ---------------------------------------------------------------- bindings


def binding_for_user(user: User | int) -> CalendarBinding | None:
    found: CalendarBinding | None = CalendarBinding.get_or_none(CalendarBinding.user == user)
    return found


def calendar_bindings(account: Account) -> list[CalendarBinding]:
    return list(
        CalendarBinding.select()
        .where(CalendarBinding.account == account)
        .order_by(CalendarBinding.id)
    )


def bind_calendar(
    account: Account,
    remote: RemoteCalendar,
    user: User,
    *,
    prefer: str = "server",
    replace: bool = False,
) -> CalendarBinding:
    """Bind `remote` to `user` (two-way). A user has one calendar: binding another one
    needs `replace`, and then starts afresh (appointments matched again by UID)."""
    if prefer not in PREFERENCES:
        raise JobError(
            _("Unbekannte Vorgabe „{prefer}“ (erlaubt: server, contactbox).").format(prefer=prefer)
        )
    if not remote.supports_events:
        raise JobError(
            _("Der Kalender „{name}“ nimmt keine Termine auf.").format(name=remote.display_name)
        )
    with database.atomic():
        other = CalendarBinding.get_or_none(
            (CalendarBinding.account == account)
            & (CalendarBinding.remote_href == remote.href)
            & (CalendarBinding.user != user)
        )
        if other is not None:
            raise JobError(
                _("Der Kalender „{name}“ ist bereits dem Benutzer „{user}“ zugeordnet.").format(
                    name=remote.display_name, user=other.user.name
                )
            )
        binding = binding_for_user(user)
        if binding is not None and (
            binding.account_id != account.id or not same_href(binding.remote_href, remote.href)
        ):
            if not replace:
                raise JobError(
                    _(
                        "Der Benutzer „{user}“ gleicht bereits mit dem Kalender „{name}“ ab "
                        "(zum Wechseln --replace angeben)."
                    ).format(user=user.name, name=binding.remote_name)
                )
            forget_state(binding)
            binding.account = account
            binding.remote_href = remote.href
        if binding is None:
            binding = CalendarBinding(account=account, user=user, remote_href=remote.href)
        binding.remote_name = remote.display_name
        binding.color = remote.color
        binding.prefer = prefer
        binding.enabled = True
        binding.supports_sync = remote.supports_sync_collection
        binding.read_only = remote.read_only
        binding.save()
        if account.user_id is None:
            account.user = user
            account.save()
    return binding


def set_calendar_enabled(binding: CalendarBinding, enabled: bool) -> None:
    """ "aktivieren / deaktivieren": the calendar stays bound but is not synced."""
    CalendarBinding.update(enabled=enabled).where(CalendarBinding.id == binding.id).execute()
    binding.enabled = enabled


def set_calendar_preference(binding: CalendarBinding, prefer: str) -> None:
    """Who wins when both sides changed an appointment: "server" or "contactbox"
    (the other version goes into the appointment's history)."""
    if prefer not in PREFERENCES:
        raise JobError(
            _("Unbekannte Vorgabe „{prefer}“ (erlaubt: server, contactbox).").format(prefer=prefer)
        )
    CalendarBinding.update(prefer=prefer).where(CalendarBinding.id == binding.id).execute()
    binding.prefer = prefer


def remove_calendar_binding(binding: CalendarBinding) -> None:
    """The calendar is no longer synced: binding and state go, the appointments stay."""
    with database.atomic():
        binding.delete_instance(recursive=True)


# ---------------------------------------------------------------- the job


@dataclass
class CalendarJob(CollectionJob):
    """Check or run some calendar bindings of one account (the job of app/sync/jobs.py)."""

    sync_class = CalendarSync
    collection = CALENDAR

    def _client(self, session: DavSession) -> CalDavClient:
        return CalDavClient(session)


def enabled_bindings(account: Account) -> list[CalendarBinding]:
    return [b for b in calendar_bindings(account) if b.enabled]
