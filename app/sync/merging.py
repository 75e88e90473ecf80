"""Conflicts without a loser (issue 22): the merge part of a run, `MergePart`, mixed into
`CollectionSync` (app.sync.engine), and the contacts' merger, `ContactMerger`.

`plan()` stays pure and marks a contact both sides changed since the last sync as a
conflict (the binding's preference takes the whole card). After planning, a two-way run
or check turns each such conflict into a `Kind.MERGE` where it can (`_merge_conflicts`):
the contact has a base (the text of its last synced version: its base row,
app.store.basetexts, or where it has none the version in its history), the
server's card was fetched anyway (it changed), and `app.vcard.merge.merge_cards` merges
base, local card (as the plan saw it) and server card with the preference deciding only
the fields both sides changed differently. A check counts it the same way
("Zusammengeführt"), so it predicts what the run does.

Carrying it out (`_apply_merge`): the merged card goes to the server with If-Match of the
ETag seen (not where the server already has its content), then to Contactbox with the
plan's version as precondition (not where Contactbox already has it), and both sides are
recorded as synced with the text the server holds as the new base. Nothing is lost: a
merge with a field decided by the preference puts the whole losing version in the
history (reason "conflict") and names the contact and the fields in the report; a merge
without one puts no loser anywhere. If either side changed during the run, the stale
merge is not written (left for the next run, which merges the newer versions).

Appointments keep whole-event conflicts (no merger): an event's recurrence set and its
overrides (RECURRENCE-ID components) belong together, so merging their properties one by
one could produce an event neither side meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from app import vcard
from app.dav.errors import PreconditionFailed
from app.i18n import _
from app.store import basetexts, syncstate
from app.store.syncbase import LocalChanged, Seen
from app.sync.details import CONTACTBOX, SERVER, ContactTexts, FieldChange
from app.sync.modes import Option
from app.sync.plan import Action, Kind, Plan
from app.sync.report import ConflictNote
from app.vcard.labels import FIELD_LABELS

if TYPE_CHECKING:
    from app.dav.model import WriteResult
    from app.store.syncmerge import Kept
    from app.sync.details import DetailList
    from app.sync.modes import Mode
    from app.sync.plan import StateItem
    from app.sync.report import BookReport
    from app.sync.sides import CollectionClient, Fetched, LocalSide
    from app.vcard.merge import MergeResult

S = TypeVar("S")

_MERGEABLE = frozenset({Kind.UPDATE_LOCAL, Kind.UPDATE_SERVER})


def _label(kind: str) -> str:
    """A field's label as a German msgid (translated where shown), else its name."""
    return FIELD_LABELS.get(kind) or kind


@dataclass(eq=False, repr=False)  # (issue 21) nothing compares, hashes or prints it
class PlannedMerge:
    """A conflict the merge resolves: the result and the versions it was made from."""

    result: MergeResult
    local_text: str  # the local item as the plan saw it
    local_hash: str
    server_text: str  # the server's as fetched

    @property
    def detail_side(self) -> str:
        """Where the merge writes (the details' side): the server, unless it already has
        the merged content."""
        return CONTACTBOX if self.result.equals_server else SERVER

    @property
    def detail_fields(self) -> tuple[FieldChange, ...]:
        """Every field the merge changes on either side (base → merged value), the
        decided ones with the chosen value."""
        r = self.result
        out = [FieldChange(_label(f.field), f.old, f.new) for f in (*r.from_local, *r.from_server)]
        for d in r.decided:
            out.append(FieldChange(_label(d.field), d.base, getattr(d, d.chosen)))
        return tuple(out)

    @property
    def decided_labels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_label(d.field) for d in self.result.decided))


class MergePart(Generic[S]):
    """Conflicts merged instead of lost (mixed into `CollectionSync`)."""

    # Set by CollectionSync.__init__ (and its run).
    side: LocalSide[S]
    client: CollectionClient
    mode: Mode
    report: BookReport
    fetched: dict[str, Fetched[S]]
    state_by_href: dict[str, StateItem]
    seen_hash: dict[int, str | None]
    position_safe: bool
    details: DetailList
    merges: dict[str, PlannedMerge]

    if TYPE_CHECKING:

        def _name(self, action: Action) -> str: ...

        def _figure(self, action: Action, delta: int) -> None: ...

        def _server_write_starts(self) -> None: ...

        def _settle(self, result: WriteResult, sent: str) -> tuple[str, str, str]: ...

    def _merge_conflicts(self, result: Plan) -> None:
        """Turn the plan's conflicts over synced items into merges where one succeeds."""
        merger = self.side.merger
        if merger is None:
            return
        todo = [
            (i, a)
            for i, a in enumerate(result.actions)
            if a.conflict
            and a.kind in _MERGEABLE
            and a.contact_id is not None
            and a.href in self.fetched
            and a.href in self.state_by_href
        ]
        if not todo:
            return
        wanted = {
            a.href: (a.contact_id, self.state_by_href[a.href].remote_hash)
            for _i, a in todo
            if a.href is not None and a.contact_id is not None
        }
        sources = merger.sources(wanted)
        prefer = "local" if self.mode.option is Option.CONTACTBOX else "server"
        for i, a in todo:
            assert a.href is not None and a.contact_id is not None
            src = sources.get(a.href)
            if src is None:
                continue  # no base and none in the history: the whole-card rule
            base, local_text, local_hash = src
            if local_hash != self.seen_hash.get(a.contact_id):
                continue  # changed since the plan read it: decided again when applied
            server_text = self.fetched[a.href].text
            merged = merger.merge(base, local_text, server_text, prefer)
            if merged is None:
                continue
            self.merges[a.href] = PlannedMerge(merged, local_text, local_hash, server_text)
            result.actions[i] = Action(
                Kind.MERGE, a.uid, a.href, a.contact_id, a.etag, conflict=bool(merged.decided)
            )

    def _apply_merge(self, a: Action) -> None:
        """Write a planned merge to both sides (see the module docstring)."""
        merger = self.side.merger
        assert merger is not None and a.href is not None and a.contact_id is not None
        m = self.merges[a.href]
        r = m.result
        seen = Seen(m.local_hash)
        if merger.local_hash(a.contact_id) != m.local_hash:
            self._merge_left(a)  # edited here since the plan: not even the server is written
            return
        history = self._kept(m)
        href, etag, synced = a.href, a.etag or "", m.server_text
        if not r.equals_server:
            self._server_write_starts()
            text = merger.upload_text(a.contact_id, a.uid, r.text)
            try:
                written = self.client.update(a.href, text, etag)
            except PreconditionFailed:
                self._merge_left(a)  # changed on the server since it was fetched
                return
            href, etag, synced = self._settle(written, text)
        try:
            merger.record(
                a.contact_id,
                href,
                etag,
                a.uid,
                local_text=None if r.equals_local else r.text,
                synced_text=synced,
                seen=seen,
                history=history,
            )
        except LocalChanged:
            if not r.equals_server:
                # On the server already: both edits there; the newer local edit and it
                # are merged by the next run (the losing server version kept now).
                lost = tuple(k for k in history if k.text == m.server_text)
                merger.record_stale(
                    a.contact_id, href, a.uid, seen_text=m.local_text, seen=seen, history=lost
                )
            self._merge_left(a)
            return
        if r.decided:
            winner = "contactbox" if r.decided[0].chosen == "local" else "server"
            fields = list(m.decided_labels)
            self.report.conflict_notes.append(ConflictNote(self._name(a), a.uid, winner, fields))

    def _kept(self, m: PlannedMerge) -> tuple[Kept, ...]:
        """The versions a merge puts in the history: the whole losing one (a field was
        decided by the preference), and the local card it replaces."""
        from app.store.syncmerge import Kept  # (the store's merge: only for a merge)

        r = m.result
        out: list[Kept] = []
        if r.loser == "server":
            out.append(Kept(m.server_text, "conflict", _("Version vom Server (überschrieben)")))
        if r.loser == "local":
            note = _("Version aus Contactbox (Konflikt, Server bevorzugt)")
            out.append(Kept(m.local_text, "conflict", note))
        elif not r.equals_local:
            note = _("Version vor dem Zusammenführen mit dem Server")
            out.append(Kept(m.local_text, "server-update", note))
        return tuple(out)

    def _merge_left(self, a: Action) -> None:
        """A side changed during the run: the merge is not written; the next run merges
        the newer versions (the position is not saved, so it sees them)."""
        self._figure(a, -1)
        self.position_safe = False
        self.report.notes.append(
            _(
                "„{name}“ wurde während des Abgleichs geändert; es wird beim nächsten "
                "Abgleich zusammengeführt."
            ).format(name=self._name(a))
        )


class _Book(Protocol):
    """What the merger needs of the contacts' side (`app.sync.execute.BookSide`)."""

    binding: Any

    def accepted_versions(self, item_id: int, text: str) -> tuple[str, ...]: ...


class ContactMerger:
    """The contacts' three-way merge (`app.vcard.merge`) over the store's bases."""

    def __init__(self, side: _Book) -> None:
        self.side = side

    def sources(self, wanted: dict[str, tuple[int, str]]) -> dict[str, tuple[str, str, str]]:
        binding = self.side.binding
        found = basetexts.bases(binding.id, {h: rh for h, (_c, rh) in wanted.items()})
        missing = {wanted[h][0]: (h, wanted[h][1]) for h in wanted if h not in found}
        if missing:
            # No base row (none needed: the contact was stored as the synced version, see
            # app.store.basetexts; or synced before bases were kept, or in a binding that
            # was not two-way then): the newest version in the contact's history whose
            # normalized hash is the state's remote hash is the synced card, as far as the
            # hash tells — the local edit put it there. None found: the whole-card rule.
            history = ContactTexts().synced({cid: rh for cid, (_h, rh) in missing.items()})
            found.update({missing[cid][0]: text for cid, text in history.items()})
        ids = [wanted[h][0] for h in found]
        from app.store import syncmerge  # (only where both sides changed a contact)

        texts = syncmerge.local_texts(ids)
        out: dict[str, tuple[str, str, str]] = {}
        for href, base in found.items():
            got = texts.get(wanted[href][0])
            if got is not None:
                out[href] = (base, got[0], got[1])
        return out

    def merge(self, base: str, local: str, server: str, prefer: str) -> MergeResult | None:
        return vcard.merge_cards(base, local, server, prefer)

    def upload_text(self, item_id: int, uid: str, text: str) -> str:
        text = vcard.ensure_uid(text, uid)
        return vcard.prepare_for_upload(text, self.side.accepted_versions(item_id, text))

    def local_hash(self, item_id: int) -> str | None:
        return syncstate.current_hash(item_id)

    def record(
        self,
        item_id: int,
        href: str,
        etag: str,
        uid: str,
        *,
        local_text: str | None,
        synced_text: str,
        seen: Seen,
        history: tuple[Kept, ...],
    ) -> None:
        from app.store import syncmerge

        syncmerge.record_merge(
            self.side.binding,
            item_id,
            href,
            etag,
            uid,
            local_text=local_text,
            synced_text=synced_text,
            seen=seen,
            history=history,
        )

    def record_stale(
        self,
        item_id: int,
        href: str,
        uid: str,
        *,
        seen_text: str,
        seen: Seen,
        history: tuple[Kept, ...],
    ) -> None:
        from app.store import syncmerge

        syncmerge.record_stale_merge(
            self.side.binding, item_id, href, uid, seen_text=seen_text, seen=seen, history=history
        )
