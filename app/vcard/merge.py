"""Three-way merge of a contact (issue 22, "Konflikte ohne Verlierer"): when both sides changed
a card since the last synced version (the base), `merge_cards` combines the two edits field
by field instead of letting one whole card lose. What changed between two versions, readable
(`FieldChange`, `field_changes`, for the check dialog and `--details`), is `app.vcard.changes`,
on the same fields; re-exported here.

The rules (fields and their keys: `merge_units`): a field changed on one side only is taken
from that side; fields added on either side are kept (the same line added on both sides is
there once); fields removed on either side are removed; a field both sides changed
differently — or one changed and the other removed — is the only real conflict, and the
binding's preference (`prefer`) decides that field alone (`MergeResult.decided`). The card
of the preferred side is the frame of the result: its lines stay byte for byte where the
merge keeps them, and a line taken from the other side is that side's original text (folds,
QUOTED-PRINTABLE, parameter spelling), only its line endings made the frame's, and an Apple
item-group label renamed when the frame uses it for another field. Bookkeeping never
conflicts: REV is the newer of the two (the preferred one when they cannot be compared,
`MergeResult.rev_from` says whose), PRODID and the rest come from the frame, and UID and
PRODID the frame lacks come from the other side. A side whose content (the normalized hash)
equals the base gives the other side's text unchanged, so merge(b, x, b) == x and
merge(b, b, y) == y byte for byte, and merge(b, x, x) == x.

No merge (None, the caller keeps the whole-card conflict) for a text that is no card or more
than one, different versions, or different UIDs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .changes import FieldChange, card_changes, field_changes, single_card
from .hashing import normalized_hash
from .labels import field_label
from .merge_units import _BOOKKEEPING, _pair, _Pairing, _readable, _Unit, _units
from .parse import _Card, _p_text

__all__ = ["FieldChange", "FieldDecision", "MergeResult", "field_changes", "merge_cards"]

_SIDES = ("local", "server")
_ITEM_RE = re.compile(r"item(\d+)\Z", re.I)
_EOL_RE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class FieldDecision:
    """A field both sides changed differently: base, local and server value ("" where the
    field was removed) and the side whose value the preference chose."""

    field: str
    base: str
    local: str
    server: str
    chosen: str  # "local" | "server"

    @property
    def name(self) -> str:
        """The field's label in the user's language."""
        return field_label(self.field)


@dataclass(frozen=True)
class MergeResult:
    """A merged card and how it came about.

    `from_local` / `from_server`: the changes of that side the merged card took (base →
    merged value; a change both sides made alike is in neither; `decided` ones are not
    repeated here). `equals_local` / `equals_server`: the merged card's content equals that
    side's (normalized hash): that side needs no write. `rev_from`: whose REV the card
    carries ("" when neither has one)."""

    text: str
    decided: tuple[FieldDecision, ...]
    from_local: tuple[FieldChange, ...]
    from_server: tuple[FieldChange, ...]
    equals_local: bool
    equals_server: bool
    rev_from: str

    @property
    def loser(self) -> str | None:
        """The side whose whole version belongs in the history (a field was decided against
        it), or None when nothing was lost."""
        if not self.decided:
            return None
        return "server" if self.decided[0].chosen == "local" else "local"


def _uid(card: _Card) -> str:
    return next((_p_text(p, card.version == "2.1") for p in card.props if p.name == "UID"), "")


def _rev_digits(card: _Card) -> str:
    raw = next((p.value for p in card.props if p.name == "REV"), "")
    digits = re.sub(r"\D", "", raw)
    return digits.ljust(14, "0") if len(digits) >= 8 else ""


def _rev_from(own: _Card, other: _Card, own_side: str, other_side: str) -> str:
    """Whose REV the merged card carries: the newer, or the frame's (`own`)."""
    a, b = _rev_digits(own), _rev_digits(other)
    has_a = any(p.name == "REV" for p in own.props)
    has_b = any(p.name == "REV" for p in other.props)
    if has_b and (not has_a or (a and b and b > a)):
        return other_side
    return own_side if has_a else ""


class _Builder:
    """The merged text on the frame card: replacements and insertions of the other side's
    units, group labels kept apart, line endings the frame's."""

    def __init__(self, frame: _Card, fu: list[_Unit], other: _Card, ou: list[_Unit]) -> None:
        self.frame, self.fu, self.other, self.ou = frame, fu, other, ou
        self.repl: dict[int, str] = {}
        self.after: dict[int, list[str]] = {}
        self.o2f: dict[int, int] = {}  # other unit → frame unit holding the same field
        self.keys = Counter(u.key for u in fu)
        self.other_keys = Counter(u.key for u in ou)
        self.labels = {p.group.lower() for p in frame.props if p.group}
        nums = [int(m.group(1)) for c in (frame, other) for p in c.props
                if (m := _ITEM_RE.match(p.group))]  # fmt: skip
        self.next_item = max(nums, default=0) + 1

    def _text_of(self, j: int, reuse: str = "") -> str:
        """The other side's unit j as text for the frame, its line endings the frame's and its
        item-group label one the frame does not use for another field (`reuse`, the label of
        the frame's field it replaces, else a new itemN)."""
        u = self.ou[j]
        raws = [self.other.props[i].raw for i in u.idx]
        if u.group:
            g = u.group.lower()
            if g in self.labels:
                if reuse and reuse.lower() not in self.labels:
                    new = reuse
                else:
                    new = f"item{self.next_item}"
                    self.next_item += 1
                raws = [new + r[len(u.group) :] if r[: len(u.group)].lower() == g else r
                        for r in raws]  # fmt: skip
                g = new.lower()
            self.labels.add(g)
        return _EOL_RE.sub(self.frame.eol, "".join(raws))

    def delete(self, k: int) -> None:
        u = self.fu[k]
        for i in u.idx:
            self.repl[i] = ""
        self.keys[u.key] -= 1
        if u.group:
            self.labels.discard(u.group.lower())

    def replace(self, k: int, j: int) -> None:
        """Frame unit k becomes the other side's unit j (or goes, when j's field is already
        there as often as either side has it)."""
        key = self.ou[j].key
        self.delete(k)
        if self.keys[key] >= self.other_keys[key]:
            return
        self.keys[key] += 1
        self.repl[self.fu[k].idx[0]] = self._text_of(j, self.fu[k].group)
        self.o2f[j] = k

    def insert(self, j: int) -> bool:
        """Add the other side's unit j after the field it follows there; False when the
        same field is already there as often."""
        key = self.ou[j].key
        if self.keys[key] >= self.other_keys[key]:
            return False
        self.keys[key] += 1
        self.after.setdefault(self._anchor(j), []).append(self._text_of(j))
        return True

    def _anchor(self, j: int) -> int:
        unit_at = {i: jj for jj, u in enumerate(self.ou) for i in u.idx}
        for i in range(self.ou[j].idx[0] - 1, 0, -1):
            jj = unit_at.get(i)
            if jj is not None and jj in self.o2f:
                return self.fu[self.o2f[jj]].idx[-1]
        same = [u.idx[-1] for u in self.fu if u.kind == self.ou[j].kind]
        return max(same) if same else len(self.frame.props) - 2

    def bookkeeping(self, rev_other: bool) -> None:
        """REV from the other side when it is the newer; UID/PRODID the frame lacks."""
        names = {p.name for p in self.frame.props}
        for p in self.other.props:
            if p.name not in _BOOKKEEPING:
                continue
            text = _EOL_RE.sub(self.frame.eol, p.raw)
            if p.name == "REV" and rev_other:
                k = next((k for k, q in enumerate(self.frame.props) if q.name == "REV"), None)
                if k is None:
                    self.after.setdefault(len(self.frame.props) - 2, []).append(text)
                else:
                    self.repl[k] = text
            elif p.name in ("UID", "PRODID") and p.name not in names:
                self.after.setdefault(1, []).append(text)
                names.add(p.name)

    def text(self) -> str:
        return self.frame.text(self.repl, self.after)


def merge_cards(base: str, local: str, server: str, prefer: str) -> MergeResult | None:
    """Merge the local and the server version of a card against their common base; None
    when no safe merge exists (see the module docstring). `prefer` ("local" | "server")
    decides the fields both sides changed differently."""
    if prefer not in _SIDES:
        raise ValueError(f"prefer must be 'local' or 'server', not {prefer!r}")
    cb, cl, cs = (single_card(t) for t in (base, local, server))
    if cb is None or cl is None or cs is None:
        return None
    if len({c.version for c in (cb, cl, cs)}) > 1:
        return None
    if len({u for u in map(_uid, (cb, cl, cs)) if u}) > 1:
        return None
    hb, hl, hs = normalized_hash(base), normalized_hash(local), normalized_hash(server)
    if local == server or hl == hs:
        side = "local" if local == server or prefer == "local" else "server"
        return _whole(local if side == "local" else server, side, (), (), cl, cs)
    if hl == hb:
        return _whole(server, "server", (), tuple(card_changes(cb, cs)), cl, cs)
    if hs == hb:
        return _whole(local, "local", tuple(card_changes(cb, cl)), (), cl, cs)
    other = "server" if prefer == "local" else "local"
    frame, oth = (cl, cs) if prefer == "local" else (cs, cl)
    ub, uf, uo = _units(cb), _units(frame), _units(oth)
    pf, po = _pair(ub, uf), _pair(ub, uo)
    b = _Builder(frame, uf, oth, uo)
    mine: list[FieldChange] = []  # the frame side's changes
    theirs: list[FieldChange] = []  # the other side's changes the frame takes
    decided: list[FieldDecision] = []
    for i, bu in enumerate(ub):
        (sf, kf), (so, jo) = pf.status[i], po.status[i]
        fu = uf[kf] if kf >= 0 else None
        ou = uo[jo] if jo >= 0 else None
        if sf == so == "removed" or (fu and ou and fu.key == ou.key):
            if sf != "removed":
                b.o2f[jo] = kf  # the same on both sides: nothing to take
        elif so == "same":
            mine.append(FieldChange(bu.kind, _readable(cb, bu), _readable(frame, fu)))
            if kf >= 0:
                b.o2f[jo] = kf
        elif sf == "same":
            theirs.append(FieldChange(bu.kind, _readable(cb, bu), _readable(oth, ou)))
            if so == "changed":
                b.replace(kf, jo)
            else:
                b.delete(kf)
        else:
            vf, vo = _readable(frame, fu), _readable(oth, ou)
            lv, sv = (vf, vo) if prefer == "local" else (vo, vf)
            decided.append(FieldDecision(bu.kind, _readable(cb, bu), lv, sv, prefer))
    _map_same_additions(b, pf, po)
    # A single-valued field (ORG, NOTE, BDAY, …) both sides added differently is one field
    # changed on both: the preference decides, never two lines of it.
    added_single = {uf[k].kind: k for k in pf.added if uf[k].single and k not in b.o2f.values()}
    for j in po.added:
        k = added_single.get(uo[j].kind) if uo[j].single and j not in b.o2f else None
        if k is not None:
            vf, vo = _readable(frame, uf[k]), _readable(oth, uo[j])
            lv, sv = (vf, vo) if prefer == "local" else (vo, vf)
            decided.append(FieldDecision(uo[j].kind, "", lv, sv, prefer))
            b.o2f[j] = k  # (the frame's line stays; not listed as a change of its side)
        elif j not in b.o2f and b.insert(j):
            theirs.append(FieldChange(uo[j].kind, "", _readable(oth, uo[j])))
    alike = set(b.o2f.values())
    mine += [FieldChange(uf[k].kind, "", _readable(frame, uf[k])) for k in pf.added
             if k not in alike]  # fmt: skip
    rev = _rev_from(frame, oth, prefer, other)
    b.bookkeeping(rev == other)
    text = b.text()
    h = normalized_hash(text)
    from_local, from_server = (mine, theirs) if prefer == "local" else (theirs, mine)
    return MergeResult(
        text, tuple(decided), tuple(from_local), tuple(from_server), h == hl, h == hs, rev
    )


def _map_same_additions(b: _Builder, pf: _Pairing, po: _Pairing) -> None:
    """Fields both sides added alike: the other side's addition is the frame's line."""
    pool: dict[tuple[str, ...], list[int]] = {}
    for k in pf.added:
        pool.setdefault(b.fu[k].key, []).append(k)
    for j in po.added:
        ks = pool.get(b.ou[j].key)
        if ks:
            b.o2f[j] = ks.pop(0)


def _whole(
    text: str,
    side: str,
    from_local: tuple[FieldChange, ...],
    from_server: tuple[FieldChange, ...],
    cl: _Card,
    cs: _Card,
) -> MergeResult:
    """The result when one side's text is the merge (the other changed nothing, or both
    changed alike)."""
    h = normalized_hash(text)
    has_rev = any(p.name == "REV" for p in (cl if side == "local" else cs).props)
    hl = normalized_hash(cl.text({}, {}))
    hs = normalized_hash(cs.text({}, {}))
    return MergeResult(text, (), from_local, from_server, h == hl, h == hs,
                       side if has_rev else "")  # fmt: skip
