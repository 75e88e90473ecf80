"""The listing part of a run: what the server's collection holds now, and how far the
position (sync token / ctag) may advance.

`ListingPart` is mixed into `CollectionSync` (app.sync.engine) and keeps the engine's
method names: `_ask_server` (the listing request, on a helper thread), `_list` (a delta,
a full listing, or "nothing changed"), `_build_remote` (the whole collection as known
now: listing or state + delta, fetched objects) and `_confirmed_token` (after our own
writes: a token whose view equals the state). The fetch loop itself is the streaming
part's (`app.sync.streaming`, `_fetch`), because the streaming first import applies while
it fetches.

The rules this part keeps:

* **Nothing is dropped silently.** An item a listing names without an ETag that could be
  learned is *unknown* (`Listing.unknown`): it is fetched like a changed one (the
  multiget brings its ETag along). Whatever a fetch does not deliver (a 404 in the
  multistatus, or no entry at all) is asked for alone. An item that is not delivered
  then either keeps its last known state (never "deleted"), is named with the answer
  it got in one German note ("vom Server aufgeführt, aber nicht geliefert"), and holds
  the position back: its change is applied by a later run, never skipped; if it was
  deleted meanwhile, that next listing tells the deletion.
* **An unreadable object does not hold the position back.** It is remembered with the
  ETag it could not be read at (`syncbase.mark_unreadable`), named once with why in
  another note ("geliefert, aber nicht lesbar"), left as it is on both sides, and
  fetched again only when its ETag changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar
from urllib.parse import unquote

from app.dav.errors import (
    AuthError,
    DavError,
    HostUnreachable,
    SyncTokenInvalid,
    SyncUnsupported,
    TlsError,
)
from app.dav.model import Listing, RemoteCard
from app.i18n import _, ngettext
from app.store import syncbase
from app.sync.plan import LocalItem, RemoteItem, StateItem
from app.sync.report import BookReport, ItemError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from app.sync.modes import Mode
    from app.sync.sides import AnyBinding, CollectionClient, LocalSide, Recreating, Wording

S = TypeVar("S")

#: hrefs named in a note before "and n more"
_NAMED = 3


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class _Answer:
    """What the listing request brought back (see `ListingPart._ask_server`)."""

    token: str | None  # the sync token the delta started from (None: a full listing)
    listing: Listing | None  # the sync-collection answer; None without sync-collection
    ctag: str | None  # the collection's ctag, asked where sync-collection is missing
    token_expired: bool = False
    unsupported: bool = False  # the server refused sync-collection after all


class ListingPart(Generic[S]):
    """Listing, remote view and position of one run (mixed into `CollectionSync`)."""

    # Set by CollectionSync.__init__.
    binding: AnyBinding
    client: CollectionClient
    side: LocalSide[S]
    mode: Mode
    recreating: Recreating | None
    dry_run: bool
    wording: Wording
    report: BookReport
    href: str
    remote_by_href: dict[str, RemoteItem]
    state_by_href: dict[str, StateItem]
    others: dict[str, str]
    position_safe: bool
    token_used: str | None
    ignored_hrefs: set[str]
    streaming: bool
    _fetch_total: int
    _oversized_before: int
    # Set by _build_remote: objects that could not be read (href -> the ETag they could
    # not be read at), and those found unreadable by this run.
    unreadable_at: dict[str, str]
    _unread_now: set[str]

    if TYPE_CHECKING:

        def _progress(self, phase: str, done: int, total: int, current: str = "") -> None: ...

        def _fetch(self, objs: Iterable[RemoteCard], total: int) -> None: ...

    # ------------------------------------------------------------------ listing

    def _locally_unchanged(self, local: list[LocalItem], state: list[StateItem]) -> bool:
        by_id = {s.contact_id: s for s in state if s.contact_id is not None}
        if len(by_id) != len(local):
            return False
        return all((s := by_id.get(lo.contact_id)) and s.local_hash == lo.hash for lo in local)

    def _ask_server(self, known: bool) -> _Answer:
        """The listing's HTTP part (runs on a helper thread: no database access here).

        With sync-collection: the delta since the saved token (`known`: the binding
        remembers something), or everything once the token has expired. Without it: the
        collection's ctag; whether a full ETag listing is needed is decided afterwards.
        """
        b = self.binding
        token = b.sync_token if known else None
        if b.supports_sync:
            try:
                return _Answer(token, self.client.changes(self.href, token), None)
            except SyncTokenInvalid:
                return _Answer(None, self.client.changes(self.href, None), None, token_expired=True)
            except SyncUnsupported:
                return _Answer(token, None, self.side.collection_ctag(self.href), unsupported=True)
        return _Answer(token, None, self.side.collection_ctag(self.href))

    def _list(
        self,
        local: list[LocalItem],
        state: list[StateItem],
        answer: _Answer,
        *,
        known: bool,
        unchanged: bool = False,
    ) -> tuple[Listing | None, str | None, str | None]:
        """The server's answer as a listing: a delta where possible; None when nothing
        changed at all. `unchanged`: the local side is known to be unchanged without
        comparing `local` with `state` (app/sync/quiet.py)."""
        b = self.binding
        self.token_used = answer.token
        listing = answer.listing
        if answer.token_expired:
            self.report.notes.append(
                self.wording.pick(
                    _(
                        "Das Synchronisations-Token war abgelaufen; das Adressbuch wurde "
                        "vollständig gelesen."
                    ),
                    _(
                        "Das Synchronisations-Token war abgelaufen; der Kalender wurde "
                        "vollständig gelesen."
                    ),
                )
            )
        no_news = self._no_server_news(answer, known=known)
        if listing is not None:
            if no_news and (unchanged or self._locally_unchanged(local, state)):
                return None, listing.sync_token or answer.token, b.ctag
            return listing, listing.sync_token, b.ctag
        if answer.unsupported and not self.dry_run:
            b.supports_sync = False
            syncbase.save_fields(b, "supports_sync")
        ctag = answer.ctag
        if no_news and (unchanged or self._locally_unchanged(local, state)):
            return None, None, ctag
        return self.client.list_etags(self.href), None, ctag

    def _no_server_news(self, answer: _Answer, *, known: bool) -> bool:
        """The server says nothing changed since the saved position: an empty, complete
        delta, or (without sync-collection) the ctag as saved."""
        listing = answer.listing
        if listing is not None:
            return (
                not listing.full and not listing.etags and not listing.deleted and listing.complete
            )
        ctag = answer.ctag
        return bool(ctag) and known and ctag == self.binding.ctag and not answer.unsupported

    def _confirmed_token(self) -> str | None:
        """After our writes: a sync token whose view equals the state, or None."""
        try:
            post = self.client.changes(self.href, self.token_used)
        except DavError:
            return None
        if not post.complete:
            return None  # it cannot vouch for what it left open
        known = syncbase.all_etags(self.side.table, self.binding)
        # An unreadable object was seen at the ETag it could not be read at.
        known.update(syncbase.unreadable_states(self.side.table, self.binding))
        for href, etag in post.etags.items():
            if known.get(href) != etag and href not in self.ignored_hrefs:
                return None  # changed by someone else meanwhile: read it next time
        if any(href in known for href in post.deleted):
            return None
        if post.full and any(href not in post.etags for href in known):
            return None
        return post.sync_token

    # ------------------------------------------------------------------ remote view

    def _build_remote(self, listing: Listing, state: list[StateItem]) -> None:
        """The whole collection as known now: listing (or state + delta) + fetched objects.

        Objects the side leaves alone (`others`) are kept apart from the items; objects
        that could not be read at their current ETag are not asked for again. What the
        listing left open (`unknown`) is fetched; what no fetch delivers keeps its last
        known state and holds the position back (see the module docstring).
        """
        wiping = self.mode.recreate and self.recreating is not None
        self.unreadable_at = (
            {} if wiping else syncbase.unreadable_states(self.side.table, self.binding)
        )
        self._unread_now = set()
        unknown = set(listing.unknown)
        if listing.full:
            etags = dict(listing.etags)
            for href in list(self.others):
                if href not in etags and href not in unknown:
                    del self.others[href]
        else:
            etags = {s.href: s.etag for s in state if s.href not in listing.deleted}
            etags.update({h: e for h, e in self.others.items() if h not in listing.deleted})
            for href in listing.deleted:
                self.others.pop(href, None)
            etags.update(listing.etags)
            unread = self.unreadable_at.items()
            etags.update({h: e for h, e in unread if h not in listing.deleted and h not in etags})
        for href in unknown:
            etags.pop(href, None)  # what the state says of it is not vouched for now
        unchanged_others = {
            h: e for h, e in etags.items() if h in self.others and self.others[h] == e
        }
        to_fetch = [
            href
            for href, etag in etags.items()
            if href not in unchanged_others and not self._seen_at(href, etag)
        ]
        to_fetch += sorted(unknown)
        gone_others = [h for h in self.others if h not in unchanged_others]
        for href in gone_others:
            del self.others[href]
        if not self.dry_run:
            for href in gone_others:
                if href not in etags and href not in unknown:
                    syncbase.forget(self.side.table, self.binding, href)
        self._forget_gone_unreadable(set(etags) | unknown)
        total = self._fetch_total = len(to_fetch)
        self._progress("fetch", 0, total)
        self._fetch(self.client.multiget(self.href, to_fetch), total)
        undelivered = self._account_for(etags, unknown)
        still_open = self._fetch_alone(undelivered, total)
        if not self.streaming:  # streaming tells its imports
            done = total + len(undelivered)
            self._progress("fetch", done, done)
        for href in [*to_fetch, *undelivered]:
            if href not in self._unread_now:
                self.unreadable_at.pop(href, None)  # read now (or gone): no longer marked
        self._note_open(still_open, unknown)
        self._note_unreadable()
        oversized = list(getattr(self.client, "oversized_hrefs", ()))[self._oversized_before :]
        if oversized:
            self.position_safe = False
            n = len(oversized)
            self.report.notes.append(
                self.wording.pick(
                    ngettext(
                        "{n} Karte des Adressbuchs ist größer als 10 MB und wurde nicht "
                        "gelesen ({example}); sie bleibt auf dem Server unverändert und wird "
                        "beim nächsten Abgleich erneut abgefragt. Verkleinern Sie sie auf dem "
                        "Server (meist ist es ein sehr großes Foto).",
                        "{n} Karten des Adressbuchs sind größer als 10 MB und wurden nicht "
                        "gelesen (z. B. {example}); sie bleiben auf dem Server unverändert und "
                        "werden beim nächsten Abgleich erneut abgefragt. Verkleinern Sie sie "
                        "auf dem Server (meist ist es ein sehr großes Foto).",
                        n,
                    ),
                    ngettext(
                        "{n} Termin des Kalenders ist größer als 10 MB und wurde nicht "
                        "gelesen ({example}); er bleibt auf dem Server unverändert und wird "
                        "beim nächsten Abgleich erneut abgefragt. Verkleinern Sie ihn auf dem "
                        "Server (meist ist es ein sehr großer Anhang).",
                        "{n} Termine des Kalenders sind größer als 10 MB und wurden nicht "
                        "gelesen (z. B. {example}); sie bleiben auf dem Server unverändert und "
                        "werden beim nächsten Abgleich erneut abgefragt. Verkleinern Sie sie "
                        "auf dem Server (meist ist es ein sehr großer Anhang).",
                        n,
                    ),
                ).format(n=n, example=oversized[0])
            )

    def _seen_at(self, href: str, etag: str) -> bool:
        """Is the object at `etag` known already: synced, or unreadable at that ETag?"""
        s = self.state_by_href.get(href)
        return (s is not None and s.etag == etag) or self.unreadable_at.get(href) == etag

    def _forget_gone_unreadable(self, present: set[str]) -> None:
        """Unreadable objects the listing no longer has: the mark goes (a synced item's
        row stays for the planner, which sees the deletion)."""
        for href in [h for h in self.unreadable_at if h not in present]:
            del self.unreadable_at[href]
            if not self.dry_run and href not in self.state_by_href:
                syncbase.forget(self.side.table, self.binding, href)

    def _account_for(self, etags: dict[str, str], unknown: set[str]) -> list[str]:
        """After the fetch: every listed object is read, left alone, unreadable, or known
        unchanged; the rest (listed, not delivered) is returned. Those keep their last
        state for now: never treated as deleted."""
        oversized = set(getattr(self.client, "oversized_hrefs", ()))
        undelivered: list[str] = []
        listed: list[tuple[str, str | None]] = [*etags.items(), *((h, None) for h in unknown)]
        for href, etag in listed:
            if href in self.remote_by_href or href in self.others:
                continue
            s = self.state_by_href.get(href)
            marked = href in self._unread_now or (
                etag is not None and self.unreadable_at.get(href) == etag
            )
            if s is not None:
                # Unchanged since the last sync, unreadable, or not delivered: what the
                # state knows is kept (a later write's If-Match is the state's ETag).
                self.remote_by_href[href] = RemoteItem(href, s.etag, s.uid, s.remote_hash, "")
                if etag == s.etag or marked:
                    continue
            if not marked and href not in oversized:
                undelivered.append(href)
        return undelivered

    def _fetch_alone(self, hrefs: list[str], done: int) -> dict[str, str]:
        """Ask for each listed but undelivered object alone (GET). What that does not
        deliver either is returned with why (the GET's answer, in short): it stays open.
        An object truly deleted meanwhile is among them too; the next listing tells its
        deletion, and until then the position stays, so a server that lists an object
        and never delivers it can never make it vanish unnoticed."""
        still_open: dict[str, str] = {}

        def one_by_one() -> Iterator[RemoteCard]:
            for href in hrefs:
                try:
                    obj = self.client.get(href)
                except (AuthError, HostUnreachable, TlsError):
                    raise
                except DavError as exc:
                    still_open[href] = _why_not_delivered(exc)
                    continue
                if obj is None:
                    still_open[href] = _("auf Einzelabfrage nicht gefunden")
                else:
                    yield obj

        if hrefs:
            self._fetch(one_by_one(), done + len(hrefs))
        return still_open

    def _unreadable(self, obj: RemoteCard, exc: Exception) -> None:
        """A fetched object that cannot be read: left as it is on both sides (a synced item
        keeps its last version), remembered with its ETag so that it is named once and
        read again only once it changed on the server."""
        href = obj.href
        self._unread_now.add(href)
        if href in self.unreadable_at and self.unreadable_at[href] == obj.etag:
            return  # named when it was found; unchanged since
        self.unreadable_at[href] = obj.etag
        if not self.dry_run:
            syncbase.mark_unreadable(self.side.table, self.binding, href, obj.etag)
        self.report.errors.append(
            ItemError(
                file_name(href),
                "",
                href,
                "read",
                self.side.message(exc),
                str(getattr(exc, "detail", "")),
            )
        )

    # ------------------------------------------------------------------ notes

    def _note_open(self, still_open: dict[str, str], unknown: set[str]) -> None:
        """Objects the server listed but did not deliver: named once with why, and the
        position stays."""
        if not still_open:
            return
        self.position_safe = False
        n = len(still_open)
        etagless = sum(1 for h in still_open if h in unknown)
        why = (
            _(" (der Server hat ihren Stand, das ETag, nicht mitgeteilt)") if etagless == n else ""
        )
        self.report.notes.append(
            self.wording.pick(
                ngettext(
                    "{n} Karte des Adressbuchs wurde vom Server aufgeführt, aber nicht "
                    "geliefert{why}: {named}. Sie bleibt hier unverändert und wird beim "
                    "nächsten Abgleich erneut abgefragt; keine Änderung geht verloren.",
                    "{n} Karten des Adressbuchs wurden vom Server aufgeführt, aber nicht "
                    "geliefert{why}: {named}. Sie bleiben hier unverändert und werden beim "
                    "nächsten Abgleich erneut abgefragt; keine Änderung geht verloren.",
                    n,
                ),
                ngettext(
                    "{n} Termin des Kalenders wurde vom Server aufgeführt, aber nicht "
                    "geliefert{why}: {named}. Er bleibt hier unverändert und wird beim "
                    "nächsten Abgleich erneut abgefragt; keine Änderung geht verloren.",
                    "{n} Termine des Kalenders wurden vom Server aufgeführt, aber nicht "
                    "geliefert{why}: {named}. Sie bleiben hier unverändert und werden beim "
                    "nächsten Abgleich erneut abgefragt; keine Änderung geht verloren.",
                    n,
                ),
            ).format(n=n, why=why, named=_named(still_open))
        )

    def _note_unreadable(self) -> None:
        """The objects found unreadable by this run (not those named by an earlier one),
        each with why: delivered, but not readable — another note than the one above."""
        new = {e.href: e.message for e in self.report.errors if e.action == "read"}
        if not new:
            return
        n = len(new)
        self.report.notes.append(
            self.wording.pick(
                ngettext(
                    "{n} Karte des Adressbuchs wurde vom Server geliefert, aber nicht "
                    "lesbar: {named}. Sie bleibt auf beiden Seiten unverändert und wird erst "
                    "wieder gelesen, wenn sie auf dem Server geändert wird. Bitte korrigieren "
                    "oder löschen Sie sie dort (z. B. in dem Programm, mit dem sie angelegt "
                    "wurde).",
                    "{n} Karten des Adressbuchs wurden vom Server geliefert, aber nicht "
                    "lesbar: {named}. Sie bleiben auf beiden Seiten unverändert und werden "
                    "erst wieder gelesen, wenn sie auf dem Server geändert werden. Bitte "
                    "korrigieren oder löschen Sie sie dort (z. B. in dem Programm, mit dem "
                    "sie angelegt wurden).",
                    n,
                ),
                ngettext(
                    "{n} Termin des Kalenders wurde vom Server geliefert, aber nicht "
                    "lesbar: {named}. Er bleibt auf beiden Seiten unverändert und wird erst "
                    "wieder gelesen, wenn er auf dem Server geändert wird. Bitte korrigieren "
                    "oder löschen Sie ihn dort (z. B. in dem Programm, mit dem er angelegt "
                    "wurde).",
                    "{n} Termine des Kalenders wurden vom Server geliefert, aber nicht "
                    "lesbar: {named}. Sie bleiben auf beiden Seiten unverändert und werden "
                    "erst wieder gelesen, wenn sie auf dem Server geändert werden. Bitte "
                    "korrigieren oder löschen Sie sie dort (z. B. in dem Programm, mit dem "
                    "sie angelegt wurden).",
                    n,
                ),
            ).format(n=n, named=_named(new))
        )


def file_name(href: str) -> str:
    """How a note names a server object: the last part of its href, decoded."""
    return unquote(href.rstrip("/").rsplit("/", 1)[-1]) or href


def _why_not_delivered(exc: DavError) -> str:
    """A GET's refusal in short: "auf Einzelabfrage HTTP 500 „kaputt“"."""
    status = getattr(exc, "status", 0)
    said = _(" „{text}“").format(text=exc.server_text) if exc.server_text else ""
    if not status:
        return exc.message
    return _("auf Einzelabfrage HTTP {status}{said}").format(status=status, said=said)


def _named(why: dict[str, str]) -> str:
    """The first few objects by name with why, and how many more."""
    shown = "; ".join(
        _("„{name}“ – {reason}").format(name=file_name(href), reason=reason.strip().rstrip("."))
        for href, reason in list(why.items())[:_NAMED]
    )
    more = len(why) - _NAMED
    return _("{names} und {n} weitere").format(names=shown, n=more) if more > 0 else shown
