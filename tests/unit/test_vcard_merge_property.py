"""The merge's promise over generated edits (app/vcard/merge.py, issue 22): an edit to a line
that the other side did not touch is never lost, nor comes a line back that one side removed
and the other did not touch — whatever else both sides did (edits,
removals, additions, the same edit on both sides, renumbered Apple item groups), and
whichever side the preference names. (An edit is a new value no line of the base has: one
that turns a line into another line of the card is, in the text, that other line kept and
this one removed.) Every line of the merged card is a line one of the two
sides wrote, byte for byte (up to an item-group label)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from app.vcard.merge import merge_cards

KINDS = ("TEL", "EMAIL", "URL", "X-FOO", "item.EMAIL", "item.TEL")
TYPES = ("", ";TYPE=WORK", ";TYPE=HOME", ";TYPE=CELL")
values = st.text(alphabet="abc12", min_size=1, max_size=3)


@dataclass(frozen=True)
class Line:
    kind: str
    types: str
    value: str
    label: str = ""

    def text(self, n: int) -> list[str]:
        """The line(s) as written, an item group numbered n."""
        if self.kind.startswith("item."):
            g = f"item{n}."
            return [f"{g}{self.kind[5:]}{self.types}:{self.value}", f"{g}X-ABLabel:{self.label}"]
        return [f"{self.kind}{self.types}:{self.value}"]


def _plain(kind: str) -> str:
    return kind.rpartition(".")[2]


lines_s = st.builds(Line, st.sampled_from(KINDS), st.sampled_from(TYPES), values,
                    st.sampled_from(("Büro", "Privat", "_$!<Other>!$_")))  # fmt: skip


@st.composite
def side_s(draw: st.DrawFn, base: list[Line]) -> tuple[list[Line | None], list[Line], str, bool]:
    """One side's version: per base line kept (the same object), edited (a new Line of the
    same kind) or removed (None); lines added; its NOTE; whether it renumbers item groups."""
    out: list[Line | None] = []
    taken = {x.value for x in base}  # an edit to another line's value would be that line
    for line in base:
        op = draw(st.sampled_from(("keep", "keep", "edit", "retype", "remove")))
        if op == "keep":
            out.append(line)
        elif op == "remove":
            out.append(None)
        else:
            types = draw(st.sampled_from(TYPES)) if op == "retype" else line.types
            value = draw(values.filter(lambda v: v not in taken))
            out.append(Line(line.kind, types, value, line.label))
    added = draw(st.lists(lines_s, max_size=3))
    note = draw(st.sampled_from(("Notiz", "Notiz A", "Notiz B")))
    return out, added, note, draw(st.booleans())


def write(lines: list[Line], note: str, renumber: bool) -> str:
    out = ["BEGIN:VCARD", "VERSION:3.0", "UID:u-1", "FN:Test"]
    for n, line in enumerate(lines, start=1):
        out += line.text(n + 10 if renumber else n)
    out += [f"NOTE:{note}", "END:VCARD", ""]
    return "\r\n".join(out)


def plain(text: str) -> list[str]:
    """The lines of a card with item-group labels taken out."""
    return [re.sub(r"^item\d+\.", "", x) for x in text.split("\r\n")]


@settings(max_examples=400, deadline=None)
@given(
    data=st.data(),
    base=st.lists(lines_s, min_size=1, max_size=6, unique_by=lambda x: (_plain(x.kind), x.value)),
    prefer=st.sampled_from(("local", "server")),
)
def test_an_edit_the_other_side_did_not_touch_is_never_lost(
    data: st.DataObject, base: list[Line], prefer: str
) -> None:
    loc, loc_added, loc_note, loc_renum = data.draw(side_s(base))
    srv, srv_added, srv_note, srv_renum = data.draw(side_s(base))
    alike = data.draw(st.lists(st.booleans(), min_size=len(base), max_size=len(base)))
    srv = [m if same else s for s, m, same in zip(srv, loc, alike, strict=True)]  # same edits
    base_text = write(base, "Notiz", False)
    local = write([x for x in loc if x is not None] + loc_added, loc_note, loc_renum)
    server = write([x for x in srv if x is not None] + srv_added, srv_note, srv_renum)
    result = merge_cards(base_text, local, server, prefer)
    assert result is not None
    merged = plain(result.text)
    for mine, theirs in ((loc, srv), (srv, loc)):
        for b, m, t in zip(base, mine, theirs, strict=True):
            if t is b and m is not b:  # edited or removed here, untouched there
                if m is not None:
                    assert plain("\r\n".join(m.text(0)))[0] in merged, (m, result.text)
                elif b.value not in {x.value for x in loc_added + srv_added}:
                    assert plain("\r\n".join(b.text(0)))[0] not in merged, (b, result.text)
    for b, m, t in zip(base, loc, srv, strict=True):
        if m is t and m is not b:  # the same edit (or removal) on both sides
            if m is not None:
                assert plain("\r\n".join(m.text(0)))[0] in merged, (m, result.text)
            elif b.value not in {x.value for x in loc_added + srv_added}:
                assert plain("\r\n".join(b.text(0)))[0] not in merged, (b, result.text)
    for note, other in ((loc_note, srv_note), (srv_note, loc_note)):
        if other == "Notiz":
            assert f"NOTE:{note}" in merged
    # every merged line is one of the sides' lines, as written
    written = set(plain(local)) | set(plain(server))
    assert all(x in written for x in merged), result.text
    # the decisions are fields both sides touched
    touched = sum(1 for b, m, t in zip(base, loc, srv, strict=True) if m is not b and t is not b)
    assert len(result.decided) <= touched + 1  # + the NOTE
    assert result.decided == () or result.loser == ("server" if prefer == "local" else "local")
