"""The apply part of a run: carrying out the plan's actions on both sides.

`ApplyPart` is mixed into `CollectionSync` (app.sync.engine), like the listing part. Per
action the server write comes first with an ETag precondition (If-None-Match / If-Match),
then the local item and its state commit in one transaction. A 412 re-reads that object
and decides it again (`_replan`). Every write over a local item is a compare-and-set
against the version the plan saw (`_seen`); an item the user changed meanwhile is not
written and is decided again with its current version once the batch it was in has
committed (`_decide_changed`). Uploads record the version they sent (`Upload`).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import TYPE_CHECKING, Generic, TypeVar

from app.dav.errors import AuthError, DavError, HostUnreachable, PreconditionFailed, TlsError
from app.dav.model import RemoteCard, WriteResult
from app.i18n import _
from app.store import syncbase
from app.store.syncbase import LocalChanged, Seen
from app.sync.plan import WRITING, Action, Kind, RemoteItem, StateItem, decide_pair, plan
from app.sync.report import BookReport, ConflictNote

if TYPE_CHECKING:
    from app.sync.modes import Mode
    from app.sync.sides import AnyBinding, CollectionClient, Fetched, LocalSide, Wording

S = TypeVar("S")

# Errors that concern the whole connection, not one item: they stop the collection.
FATAL = (AuthError, HostUnreachable, TlsError)


def object_name(uid: str) -> str:
    """The file name of a new server object: its UID where that is a safe name, else a
    name derived from the UID (a hash), never a random one — so the takeover of an upload
    whose answer was lost finds our own object under the same name on the next try."""
    if re.fullmatch(r"[A-Za-z0-9._@-]{1,120}", uid) and not uid.startswith("."):
        return uid
    return hashlib.sha256(uid.encode("utf-8")).hexdigest()[:40].upper()


class ApplyPart(Generic[S]):
    """Carrying out actions, with preconditions on both sides (mixed into `CollectionSync`)."""

    # Set by CollectionSync.__init__ (and its run).
    binding: AnyBinding
    client: CollectionClient
    side: LocalSide[S]
    mode: Mode
    wording: Wording
    report: BookReport
    href: str
    fetched: dict[str, Fetched[S]]
    remote_by_href: dict[str, RemoteItem]
    state_by_href: dict[str, StateItem]
    seen_hash: dict[int, str | None]
    _changed: list[tuple[Action, str]]
    _tombs: frozenset[str]
    position_safe: bool
    read_only: bool
    wrote_server: bool
    ignored_hrefs: set[str]
    group_hrefs: set[str]
    _changes_done: int

    if TYPE_CHECKING:

        def _progress(self, phase: str, done: int, total: int, current: str = "") -> None: ...

        def _name(self, action: Action) -> str: ...

        def _figure(self, action: Action, delta: int) -> None: ...

        def _fail(self, action: Action, name: str, exc: Exception) -> None: ...

        def _refused_for_read_only(self, action: Action, exc: Exception) -> bool: ...

        def _keep_local(self, action: Action) -> None: ...

        def _apply_merge(self, action: Action) -> None: ...

    def _take(self, obj: RemoteCard) -> RemoteItem:
        """Read a fetched object once: remember its text, UID, hash and name."""
        f = self.side.read(obj.href, obj.text)
        self.fetched[obj.href] = f
        old = self.remote_by_href.get(obj.href)
        etag = obj.etag or (old.etag if old is not None else "")
        item = RemoteItem(obj.href, etag, f.uid, f.hash, f.key)
        self.remote_by_href[obj.href] = item
        if f.group:  # (counted apart from the items: app.sync.figures)
            self.group_hrefs.add(obj.href)
        else:
            self.group_hrefs.discard(obj.href)
        return item

    def _remote(self, href: str) -> Fetched[S]:
        """The server object as fetched this run (read again if it was not)."""
        if href not in self.fetched:
            obj = self.client.get(href)
            if obj is None:
                raise DavError(
                    self.wording.pick(
                        _("Die Karte ist auf dem Server nicht mehr vorhanden."),
                        _("Der Termin ist auf dem Server nicht mehr vorhanden."),
                    ),
                    href,
                )
            self._take(obj)
        return self.fetched[href]

    def _apply_one(self, action: Action, i: int, total: int) -> None:
        name = self._name(action)
        self._progress("apply", i, total, name)
        try:
            self._apply(action)
        except FATAL:
            raise
        except LocalChanged:
            self._figure(action, -1)
            self._changed.append((action, name))
        except self.side.item_errors as exc:
            if not self._refused_for_read_only(action, exc):
                self._fail(action, name, exc)
        else:
            if action.kind in WRITING:
                self._changes_done += 1  # counted for the progress once carried out

    def _seen(self, item_id: int) -> Seen:
        """The local item as the plan saw it: the precondition of a write over it."""
        return Seen(self.seen_hash.get(item_id))

    def _decide_changed(self) -> None:
        """Local items changed by the user after planning (an edit saved in the window, the
        CLI or another process): nothing was written over them. Each is decided again with
        its current version — an edit against a server change is a conflict decided by the
        preference, the loser kept in the history — and carried out now; if it changes yet
        again meanwhile, the next run takes it."""
        while self._changed:
            action, name = self._changed.pop(0)
            note = _(
                "„{name}“ wurde während des Abgleichs in Contactbox geändert und neu bewertet."
            ).format(name=name)
            remote = self.remote_by_href.get(action.href) if action.href else None
            for new in self._decide_again(action, remote):
                self._figure(new, +1)
                try:
                    self._apply(new, replanned=True)
                except FATAL:
                    raise
                except LocalChanged:
                    self._figure(new, -1)
                    self.position_safe = False  # its server version was not applied
                    note = _(
                        "„{name}“ wurde während des Abgleichs mehrmals in Contactbox "
                        "geändert; der nächste Abgleich gleicht es ab."
                    ).format(name=name)
                    break
                except self.side.item_errors as exc:
                    if not self._refused_for_read_only(new, exc):
                        self._fail(new, name, exc)
            self.report.notes.append(note)

    def _decide_again(self, a: Action, remote: RemoteItem | None) -> list[Action]:
        """The actions for one item, planned again with its local item as it is now.

        A first-run pair (no state yet) stays a pair: it is decided as a pair again,
        even if the edit changed the name or e-mail that matched it.
        """
        local = None
        if a.contact_id is not None:
            local = self.side.local_item(a.contact_id)
            self.seen_hash[a.contact_id] = local.hash if local is not None else None
        state = self.state_by_href.get(a.href) if a.href else None
        if state is None and local is not None and remote is not None:
            return [decide_pair(self.mode, local, remote, a.adopt_uid)]
        result = plan(
            self.mode,
            [local] if local is not None else [],
            [remote] if remote is not None else [],
            [state] if state is not None else [],
            self._tombs,
        )
        return [new for new in result.actions if new.href in (a.href, None)]

    def _apply(self, a: Action, *, replanned: bool = False) -> None:
        b = self.binding
        side = self.side
        k = a.kind
        if k is Kind.SERVER_ONLY:
            if a.href and a.href in self.fetched and a.reason != "duplicate-uid":
                # Left alone by this operation (OneWay): known, so deltas stay complete.
                f = self.fetched[a.href]
                syncbase.put_state(side.table, b, a.href, a.etag or "", f.uid, f.hash, "", None)
            elif a.href:
                self.ignored_hrefs.add(a.href)
            return
        if k is Kind.SKIP_DELETED:
            if a.href:
                self.ignored_hrefs.add(a.href)
            return
        if k is Kind.FORGET:
            assert a.href is not None
            syncbase.forget(side.table, b, a.href)
            return
        if k is Kind.REFRESH:
            assert a.href is not None and a.etag is not None
            got = self.fetched.get(a.href)
            syncbase.refresh(side.table, b, a.href, a.etag, got.hash if got else None)
            return
        if k is Kind.LINK:
            assert a.href is not None and a.contact_id is not None
            r = self.remote_by_href[a.href]
            got = self.fetched.get(a.href)
            base = got.text if got is not None else None  # (the base of a later merge)
            side.link(a.contact_id, a.href, r.etag, a.uid, r.hash, self._seen(a.contact_id), base)
            return
        if k is Kind.ADD_LOCAL:
            assert a.href is not None
            f = self._remote(a.href)
            side.import_item(a.href, a.etag or self.remote_by_href[a.href].etag, f)
            return
        if k in (Kind.UPDATE_LOCAL, Kind.RESTORE_LOCAL):
            assert a.href is not None and a.contact_id is not None
            f = self._remote(a.href)
            etag = a.etag or self.remote_by_href[a.href].etag
            restore = k is Kind.RESTORE_LOCAL
            side.overwrite(
                a.contact_id,
                a.href,
                etag,
                f,
                conflict=a.conflict,
                restore=restore,
                seen=self._seen(a.contact_id),
            )
            if a.conflict:
                self.report.conflict_notes.append(ConflictNote(self._name(a), a.uid, "server"))
            return
        if k is Kind.DELETE_LOCAL:
            assert a.href is not None and a.contact_id is not None
            side.trash_from_server(a.contact_id, a.href, self._seen(a.contact_id))
            return
        if k is Kind.MERGE:
            self._apply_merge(a)
            return
        if self.read_only:
            self._keep_local(a)  # learned during this run: no more server writes
            return
        self._server_write_starts()
        try:
            if k is Kind.ADD_SERVER:
                self._add_server(a)
            elif k is Kind.UPDATE_SERVER:
                self._update_server(a)
            elif k is Kind.DELETE_SERVER:
                assert a.href is not None
                self.client.delete(a.href, a.etag or "")
                side.deleted_on_server(a.contact_id, a.href, a.uid)
        except PreconditionFailed:
            if replanned or a.href is None:
                raise
            self._replan(a)

    def _server_write_starts(self) -> None:
        """Before each server write: the first one of the run forgets the sync token."""
        if not self.wrote_server:
            self.wrote_server = True
            if self.binding.supports_sync:
                # From now on the saved token predates our writes: forget it first, so a
                # run that is killed or cancelled lists in full next time (see _run).
                syncbase.drop_token(self.binding)

    def _settle(self, result: WriteResult, sent: str) -> tuple[str, str, str]:
        """(href, etag, stored text) after a PUT; re-read when the server gave no ETag."""
        if result.etag:
            return result.href, result.etag, sent
        obj = self.client.get(result.href)
        if obj is None:
            raise DavError(
                self.wording.pick(
                    _("Der Server hat die Karte nach dem Hochladen nicht geliefert."),
                    _("Der Server hat den Termin nach dem Hochladen nicht geliefert."),
                )
            )
        return result.href, obj.etag, obj.text

    def _add_server(self, a: Action) -> None:
        assert a.contact_id is not None
        up = self.side.upload_text(a.contact_id, a.uid)
        name = object_name(a.uid)
        try:
            result = self.client.create(self.href, up.text, name=name)
        except PreconditionFailed:
            existing = self.side.uploaded_before(name, a.uid)
            if existing is None:
                # An object of that name exists already (not ours): a fresh name, once.
                result = self._create_under_fresh_name(up.text)
            elif self.side.other_hash(existing.text) == self.side.other_hash(up.text):
                # Our own earlier upload whose answer was lost (a dropped connection, a
                # killed run): take it over instead of uploading a second copy.
                self.side.record_upload(
                    a.contact_id,
                    existing.href,
                    existing.etag,
                    a.uid,
                    existing.text,
                    sent_hash=up.local_hash,
                )
                return
            else:
                # Ours, but of an earlier version of the item: this version replaces it.
                result = self.client.update(existing.href, up.text, existing.etag)
        href, etag, stored = self._settle(result, up.text)
        self.side.record_upload(a.contact_id, href, etag, a.uid, stored, sent_hash=up.local_hash)

    def _create_under_fresh_name(self, text: str) -> WriteResult:
        """Create under a random name. Refused with 412 again, it was no name clash:
        the server refuses the object and says so only with "Precondition failed"
        (Radicale answers a card over its max_resource_size that way)."""
        try:
            return self.client.create(self.href, text, name=str(uuid.uuid4()).upper())
        except PreconditionFailed as exc:
            said = _(" („{text}“)").format(text=exc.server_text) if exc.server_text else ""
            raise DavError(
                self.wording.pick(
                    _(
                        "Der Server hat die Karte abgelehnt: Er meldet eine nicht erfüllte "
                        "Bedingung (HTTP 412{said}), obwohl unter dem Namen nichts liegt. "
                        "Manche Server (z. B. Radicale) antworten so, wenn ein Eintrag größer "
                        "ist, als sie annehmen; verkleinern Sie die Karte (z. B. ein großes "
                        "Foto oder einen großen Anhang). Die Karte bleibt in Contactbox "
                        "unverändert und wird beim nächsten Abgleich erneut hochgeladen."
                    ),
                    _(
                        "Der Server hat den Termin abgelehnt: Er meldet eine nicht erfüllte "
                        "Bedingung (HTTP 412{said}), obwohl unter dem Namen nichts liegt. "
                        "Manche Server (z. B. Radicale) antworten so, wenn ein Eintrag größer "
                        "ist, als sie annehmen; verkleinern Sie den Termin (z. B. ein großes "
                        "Foto oder einen großen Anhang). Der Termin bleibt in Contactbox "
                        "unverändert und wird beim nächsten Abgleich erneut hochgeladen."
                    ),
                ).format(said=said),
                exc.detail,
                server_text=exc.server_text,
            ) from exc

    def _update_server(self, a: Action) -> None:
        assert a.contact_id is not None and a.href is not None
        history: str | None = None
        note = ""
        if a.href in self.fetched and (a.conflict or not self.side.history_only_on_conflict):
            # The server's version is overwritten: keep it in the item's history.
            history = self.fetched[a.href].text
            note = _("Version vom Server (überschrieben)")
        up = self.side.upload_text(a.contact_id, a.uid)
        try:
            result = self.client.update(a.href, up.text, a.etag or "")
        except PreconditionFailed:
            raise
        except Exception:
            if a.adopt_uid:
                # A first-run match whose upload failed: paired, not in sync, so the next
                # run uploads it again (no duplicate, no pair taken as equal).
                r = self.remote_by_href[a.href]
                self.side.link_pending(a.contact_id, a.href, r.etag, a.uid, r.hash)
            raise
        href, etag, stored = self._settle(result, up.text)
        # (A contact matched by name + e-mail takes the server's UID only now.)
        self.side.record_upload(
            a.contact_id,
            href,
            etag,
            a.uid,
            stored,
            sent_hash=up.local_hash,
            history_text=history,
            history_note=note,
        )
        if a.conflict:
            self.report.conflict_notes.append(ConflictNote(self._name(a), a.uid, "contactbox"))

    def _replan(self, a: Action) -> None:
        """412: the object changed on the server during our run — re-read it, decide again."""
        assert a.href is not None
        self.fetched.pop(a.href, None)
        obj = self.client.get(a.href)
        remote = self._take(obj) if obj is not None else None
        self._figure(a, -1)
        for new in self._decide_again(a, remote):
            self._figure(new, +1)
            try:
                self._apply(new, replanned=True)
            except LocalChanged:  # and changed here too: decided again once more
                self._figure(new, -1)
                self._changed.append((new, self._name(new)))
        self.report.notes.append(
            _(
                "„{name}“ wurde während des Abgleichs auf dem Server geändert und neu bewertet."
            ).format(name=self._name(a))
        )
