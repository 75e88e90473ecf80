"""Per-item details of a check or a run: which contact (or appointment) would change, or did.

The figures say "Auf dem Server gelöscht: 14"; the details say which fourteen. One
`ItemDetail` per item a plan changes: its `uid`, `name` (the name it has, for a deleted item
its last known one), `side` (where the change is written: "server" or "contactbox"),
`action` ("new", "changed", "deleted", "merged", "conflict"), `book` (the server book's
name), and for a change the `fields` that differ between the version it replaces and the one
it writes (`app.vcard.changes.field_changes`, `app.ical.changes.event_changes`).

The list follows the figures exactly (`app.sync.figures.FiguresPart._figure` adds or drops an
item wherever it counts one in or out), so a check's list is the plan and a run's list is
what was done: held-back deletions, failed and cancelled items leave it like they leave the
figures. `DetailList.add_all` builds a plan's items in batches (the local names and texts read
`CHUNK` at a time, never one query per item); the server texts are those the run fetched
anyway (what changed on the server). A local change whose server version was not fetched (only
the local side changed) is compared with the version last synced: for a contact the newest
version in its history with the synced hash, for an appointment the iCalendar text kept as
synced. The fields are compared when first read, not while the check runs: an item keeps the
two texts (references to strings read anyway) until a list shows it or the report is saved
(`to_dict`, every item then, after the run), and from then on only names and the differing
fields, each value cut short. So a check of 10,000 changes shows its figures without comparing
10,000 cards first (bench/check_details.py, docs/PERFORMANCE.md).

The labels (`ACTION_LABELS`, `SIDE_LABELS`) and the fields' names are German msgids, stored
untranslated and translated where shown (`ItemDetail.to_dict(translate=True)`, `detail_lines`).

A group card is listed as a group (`kind` "group", JSON `"kind": "group"`): shown as
„Gruppe: Presse“ (`ItemDetail.shown_name`, in the terminal and the window alike), its
members as one field "Mitglieder" ("2 → 3 (+ Carla Dorn; − Boris Nowak)", the members
named by the contacts Contactbox has with their UIDs; `app.vcard.changes`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from app.i18n import N_, _
from app.sync.plan import Action, Kind

if TYPE_CHECKING:
    from app.sync.plan import StateItem


class FetchedLike(Protocol):
    """What the details read of a fetched server object (`app.sync.sides.Fetched`)."""

    @property
    def text(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def group(self) -> bool: ...


SERVER = "server"
CONTACTBOX = "contactbox"
SIDES = (SERVER, CONTACTBOX)

NEW, CHANGED, DELETED, MERGED, CONFLICT = "new", "changed", "deleted", "merged", "conflict"
#: `ItemDetail.kind` of a group card (a person's, an appointment's: "")
GROUP = "group"
#: The actions, in the order a list sorts them ("merged": a conflict merged without loser).
ACTIONS = (NEW, CHANGED, DELETED, MERGED, CONFLICT)

ACTION_LABELS = {
    NEW: N_("neu"),
    CHANGED: N_("geändert"),
    DELETED: N_("gelöscht"),
    MERGED: N_("zusammengeführt"),
    CONFLICT: N_("Konflikt"),
}
SIDE_LABELS = {SERVER: N_("Auf dem Server"), CONTACTBOX: N_("In Contactbox")}

#: Items whose names and texts are read with one query.
CHUNK = 500

_SIDE_ACTION = {
    Kind.ADD_LOCAL: (CONTACTBOX, NEW),
    Kind.RESTORE_LOCAL: (CONTACTBOX, NEW),
    Kind.UPDATE_LOCAL: (CONTACTBOX, CHANGED),
    Kind.DELETE_LOCAL: (CONTACTBOX, DELETED),
    Kind.ADD_SERVER: (SERVER, NEW),
    Kind.UPDATE_SERVER: (SERVER, CHANGED),
    Kind.DELETE_SERVER: (SERVER, DELETED),
    Kind.MERGE: (SERVER, MERGED),  # (its side: where the merge writes, `MergeDetail`)
}
_UPDATES = frozenset({Kind.UPDATE_LOCAL, Kind.UPDATE_SERVER})


class FieldLike(Protocol):
    """What the kinds' comparisons give per field: `name` the label as a German msgid."""

    @property
    def name(self) -> str: ...
    @property
    def old(self) -> str: ...
    @property
    def new(self) -> str: ...


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of an item that differs: label (German msgid), old and new value."""

    name: str
    old: str
    new: str


class ItemDetail:
    """One item a check would change or a run changed (see the module docstring).

    `fields` may be computed when first read (`pending`, what `DetailList` gives: the two
    texts are kept and compared then, once), so a check of 10,000 changes does not compare
    10,000 cards before it can show its figures: a list compares the items it shows, saving
    the report (`to_dict`) the rest."""

    __slots__ = ("_fields", "_pending", "action", "book", "decided", "kind", "name", "side", "uid")

    def __init__(
        self,
        uid: str,
        name: str,
        side: str,  # "server" | "contactbox": where the change is written
        action: str,  # "new" | "changed" | "deleted" | "merged" | "conflict"
        book: str,
        fields: tuple[FieldChange, ...] = (),
        pending: Callable[[], tuple[FieldChange, ...]] | None = None,
        decided: tuple[str, ...] = (),
        kind: str = "",  # "group": a group card
    ) -> None:
        self.uid, self.name, self.side, self.action, self.book = uid, name, side, action, book
        self.kind = kind
        # A merge: the fields (labels, German msgids) both sides changed differently, decided
        # by the preference (the losing version is in the history).
        self.decided = decided
        self._fields = fields
        self._pending = pending

    @property
    def fields(self) -> tuple[FieldChange, ...]:
        """The fields that differ (compared now if they were left for later)."""
        if self._pending is not None:
            self._fields, self._pending = self._pending(), None
        return self._fields

    def _key(self) -> tuple[Any, ...]:
        return (
            self.uid, self.name, self.side, self.action, self.book, self.fields, self.decided,
            self.kind,
        )  # fmt: skip

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ItemDetail) and self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # (mutable, like a dataclass)

    def __repr__(self) -> str:
        return "ItemDetail({})".format(", ".join(map(repr, self._key())))

    @property
    def shown_name(self) -> str:
        """The name as a list shows it: a group card's as „Gruppe: Presse“ (translated)."""
        name = self.name or self.uid
        return _("Gruppe: {name}").format(name=name) if self.kind == GROUP else name

    def to_dict(self, translate: bool = False) -> dict[str, Any]:
        """The JSON shape; `translate`: the fields' names in the current language (the
        stored shape keeps the German msgids). "decided" only where a merge decided any,
        "kind" only for a group card."""
        data = {
            "uid": self.uid,
            "name": self.name,
            "side": self.side,
            "action": self.action,
            "book": self.book,
            "fields": [
                {"name": _(f.name) if translate else f.name, "old": f.old, "new": f.new}
                for f in self.fields
            ],
        }
        if self.decided:
            data["decided"] = [_(d) if translate else d for d in self.decided]
        if self.kind:
            data["kind"] = self.kind
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ItemDetail:
        return cls(
            str(data.get("uid", "")),
            str(data.get("name", "")),
            str(data.get("side", "")),
            str(data.get("action", "")),
            str(data.get("book", "")),
            tuple(
                FieldChange(str(f.get("name", "")), str(f.get("old", "")), str(f.get("new", "")))
                for f in data.get("fields", ())
            ),
            decided=tuple(str(d) for d in data.get("decided", ())),
            kind=str(data.get("kind", "")),
        )


def side_and_action(action: Action) -> tuple[str, str] | None:
    """Where an action writes and what it does there; None for one that changes no item."""
    found = _SIDE_ACTION.get(action.kind)
    if found is None:
        return None
    side, what = found
    return (side, CONFLICT) if action.conflict and what != MERGED else (side, what)


def action_label(action: str) -> str:
    """An action code as a word in the current language ("geändert" / "changed")."""
    label = ACTION_LABELS.get(action)
    return _(label) if label is not None else action


def side_label(side: str) -> str:
    label = SIDE_LABELS.get(side)
    return _(label) if label is not None else side


def detail_lines(details: Iterable[ItemDetail]) -> list[str]:
    """A list for the terminal: one line per item, its fields indented below it."""
    lines = []
    for d in details:
        line = _("{side}: {action} – {name} [{book}]").format(
            side=side_label(d.side), action=action_label(d.action), name=d.shown_name,
            book=d.book,
        )  # fmt: skip
        lines.append(line)
        for f in d.fields:
            old = f.old.replace("\n", "; ") or "–"
            new = f.new.replace("\n", "; ") or "–"
            lines.append(f"    {_(f.name)}: {old} → {new}")
    return lines


class MergeDetail(Protocol):
    """What a planned merge tells its item's entry (`app.sync.merging.PlannedMerge`)."""

    @property
    def detail_side(self) -> str: ...
    @property
    def detail_fields(self) -> tuple[FieldChange, ...]: ...
    @property
    def decided_labels(self) -> tuple[str, ...]: ...


class LocalTexts(Protocol):
    """A kind's local names and texts, read in batches (contacts or appointments)."""

    def names(self, ids: Sequence[int]) -> dict[int, str]: ...
    def texts(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]: ...
    def synced(self, hashes: dict[int, str]) -> dict[int, str]: ...
    def groups(self, ids: Sequence[int]) -> set[int]: ...
    def changes(self, old: str, new: str) -> Sequence[FieldLike]: ...


class ContactTexts:
    """Contacts: names and cards from the contact table, the synced card from the history."""

    def names(self, ids: Sequence[int]) -> dict[int, str]:
        from app.store.models import Contact

        q = Contact.select(Contact.id, Contact.fn).where(Contact.id.in_(list(ids)))
        return {int(i): str(fn) for i, fn in q.tuples()}

    def texts(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        from app.store.models import Contact

        q = Contact.select(Contact.id, Contact.fn, Contact.vcard).where(Contact.id.in_(list(ids)))
        return {int(i): (str(fn), str(text)) for i, fn, text in q.tuples()}

    def synced(self, hashes: dict[int, str]) -> dict[int, str]:
        """The card each contact had when it was last synced (its hash in the state): the
        newest version in its history with that hash; none found, none given."""
        from app import vcard
        from app.store.models import ContactVersion

        q = (
            ContactVersion.select(ContactVersion.contact, ContactVersion.vcard)
            .where(ContactVersion.contact.in_(list(hashes)))
            .order_by(ContactVersion.id.desc())
        )
        out: dict[int, str] = {}
        for cid, text in q.tuples():
            if cid in out:
                continue
            try:
                if vcard.normalized_hash(text) == hashes[cid]:
                    out[cid] = text
            except vcard.CardError:
                continue
        return out

    def groups(self, ids: Sequence[int]) -> set[int]:
        """The ids of group cards among `ids`."""
        from app.store.models import Contact

        q = Contact.select(Contact.id).where(Contact.id.in_(list(ids)) & (Contact.kind == GROUP))
        return {int(i) for (i,) in q.tuples()}

    def member_names(self, uids: Iterable[str]) -> dict[str, str]:
        """The names of the contacts with these UIDs (lower case; a live one over a deleted one)."""
        from app.store.models import Contact

        wanted = list(uids)
        q = (
            Contact.select(Contact.uid, Contact.fn)
            .where(Contact.uid.in_(wanted))
            .order_by(Contact.deleted_at.is_null(True), Contact.id)
        )
        return {str(uid).lower(): str(fn) for uid, fn in q.tuples() if fn}

    def changes(self, old: str, new: str) -> Sequence[FieldLike]:
        from app.vcard.changes import field_changes

        found = field_changes(old, new, self.member_names)
        return [FieldChange(f.label, f.old, f.new) for f in found]


class AppointmentTexts:
    """Appointments: the text as Contactbox would upload it, the synced one as kept."""

    def names(self, ids: Sequence[int]) -> dict[int, str]:
        from app.store.models import Appointment

        q = Appointment.select(Appointment.id, Appointment.summary)
        return {int(i): str(s) for i, s in q.where(Appointment.id.in_(list(ids))).tuples()}

    def texts(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        from app.store.appointment_text import local_text
        from app.store.models import Appointment

        rows = Appointment.select().where(Appointment.id.in_(list(ids)))
        return {int(a.id): (str(a.summary), local_text(a)) for a in rows}

    def synced(self, hashes: dict[int, str]) -> dict[int, str]:
        from app.store.models import Appointment

        q = Appointment.select(Appointment.id, Appointment.ical)
        rows = q.where(Appointment.id.in_(list(hashes))).tuples()
        return {int(i): str(text) for i, text in rows if text}

    def groups(self, ids: Sequence[int]) -> set[int]:
        return set()  # an appointment is never a group

    def changes(self, old: str, new: str) -> Sequence[FieldLike]:
        from app.ical.changes import event_changes

        return event_changes(old, new)


def texts_for(collection: str) -> LocalTexts:
    """The reader of a report's `collection` ("addressbook" | "calendar")."""
    return AppointmentTexts() if collection == "calendar" else ContactTexts()


class DetailList:
    """The items of one book's check or run, in the order they were counted in."""

    def __init__(self, book: str, local: LocalTexts) -> None:
        self.book = book
        self.local = local
        self._items: dict[Action, ItemDetail] = {}
        #: the planned merges by href (set by the engine: app.sync.merging)
        self.merges: Mapping[str, MergeDetail] = {}

    def items(self) -> list[ItemDetail]:
        return list(self._items.values())

    def drop(self, action: Action) -> None:
        """Counted out (held back, failed, cancelled, decided again): not in the list."""
        self._items.pop(action, None)

    def add(
        self,
        action: Action,
        fetched: Mapping[str, FetchedLike],
        state: dict[str, StateItem],
    ) -> None:
        """Counted in: the item is listed (once)."""
        if action not in self._items:
            self.add_all([action], fetched, state)

    def add_all(
        self,
        actions: Iterable[Action],
        fetched: Mapping[str, FetchedLike],
        state: dict[str, StateItem],
    ) -> None:
        """A plan's items, built in batches of `CHUNK` (see the module docstring)."""
        todo = [a for a in actions if a not in self._items and a.kind in _SIDE_ACTION]
        for start in range(0, len(todo), CHUNK):
            self._build(todo[start : start + CHUNK], fetched, state)

    def _build(
        self,
        actions: list[Action],
        fetched: Mapping[str, FetchedLike],
        state: dict[str, StateItem],
    ) -> None:
        need_text = [a.contact_id for a in actions if a.kind in _UPDATES and a.contact_id]
        need_name = [
            a.contact_id
            for a in actions
            if a.contact_id and a.kind not in _UPDATES and (a.href or "") not in fetched
        ]
        texts = self.local.texts(need_text) if need_text else {}
        names = self.local.names(need_name) if need_name else {}
        # A local change whose server version was not fetched: compared with the synced one.
        base_hashes = {
            a.contact_id: s.local_hash
            for a in actions
            if a.kind is Kind.UPDATE_SERVER
            and a.contact_id
            and (a.href or "") not in fetched
            and (s := state.get(a.href or "")) is not None
        }
        bases = self.local.synced(base_hashes) if base_hashes else {}
        ids = [a.contact_id for a in actions if a.contact_id]
        groups = self.local.groups(ids) if ids else set()
        for a in actions:
            found = side_and_action(a)
            if found is None:
                continue
            side, what = found
            got = fetched.get(a.href or "")
            remote_name = got.name if got is not None else ""
            local_name, local_text = texts.get(a.contact_id or 0, ("", ""))
            local_name = local_name or names.get(a.contact_id or 0, "")
            pending = None
            if a.kind is Kind.UPDATE_LOCAL and got is not None and local_text:
                pending = partial(_compared, self.local, local_text, got.text)
            elif a.kind is Kind.UPDATE_SERVER and local_text:
                before = got.text if got is not None else bases.get(a.contact_id or 0)
                if before is not None:
                    pending = partial(_compared, self.local, before, local_text)
            fields: tuple[FieldChange, ...] = ()
            decided: tuple[str, ...] = ()
            merge = self.merges.get(a.href or "") if a.kind is Kind.MERGE else None
            if merge is not None:
                side, fields, decided = merge.detail_side, merge.detail_fields, merge.decided_labels
                pending = None
            if side == CONTACTBOX and a.kind is not Kind.DELETE_LOCAL:
                name = remote_name or local_name  # the name it will have
            else:
                name = local_name or remote_name
            group = (got is not None and got.group) or (a.contact_id or 0) in groups
            self._items[a] = ItemDetail(
                a.uid, name, side, what, self.book, fields, pending=pending, decided=decided,
                kind=GROUP if group else "",
            )  # fmt: skip


def _compared(local: LocalTexts, old: str, new: str) -> tuple[FieldChange, ...]:
    """The fields of an item that differ, as stored (labels as German msgids)."""
    return tuple(FieldChange(f.name, f.old, f.new) for f in local.changes(old, new))


def details_of(data: Iterable[dict[str, Any]]) -> list[ItemDetail]:
    """Stored details (`ItemDetail.to_dict`) read back."""
    return [ItemDetail.from_dict(d) for d in data]


__all__ = [
    "ACTIONS",
    "ACTION_LABELS",
    "GROUP",
    "SIDES",
    "SIDE_LABELS",
    "DetailList",
    "FieldChange",
    "ItemDetail",
    "MergeDetail",
    "action_label",
    "detail_lines",
    "details_of",
    "side_and_action",
    "side_label",
    "texts_for",
]
