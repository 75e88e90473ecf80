"""`syncstate.import_cards` (a streaming import's part in two statements) writes exactly the
rows `import_card` writes card by card: every column of the contact, and its state."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app import vcard
from app.store import contacts as cs
from app.store import syncstate
from app.store.models import Account, Binding, Contact

CARDS = Path(__file__).parent / "cards"


def _cards() -> list[tuple[str, str, str, str, syncstate.Facts]]:
    """Real-world cards (groups, photos, 2.1, 4.0) and one without a UID."""
    out = []
    for path in sorted(CARDS.glob("*.vcf")):
        text = vcard.sanitize(path.read_text(encoding="utf-8", errors="replace")).text
        try:
            facts = vcard.summarize_and_hash(text)
        except vcard.CardError:
            continue
        uid = facts[0].uid or vcard.derive_uid(path.name)
        out.append((f"/b/{path.name}", f'"{path.stem}"', text, uid, facts))
    bare = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jürgen Ohne Uid\r\nN:Uid;Jürgen;;;\r\nEND:VCARD\r\n"
    out.append(("/b/bare.vcf", '"bare"', bare, "derived-uid", vcard.summarize_and_hash(bare)))
    return out


def _rows(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    con = sqlite3.connect(path)
    try:
        names = [r[1] for r in con.execute("PRAGMA table_info(contact)")]
        keep = [n for n in names if n not in ("id", "created", "modified")]
        contacts = con.execute(f"SELECT {', '.join(keep)} FROM contact ORDER BY uid").fetchall()
        states = con.execute(
            "SELECT s.href, s.etag, s.uid, s.remote_hash, s.local_hash, c.uid, c.hash "
            "FROM item_state s JOIN contact c ON c.id = s.contact_id ORDER BY s.href"
        ).fetchall()
        stamps = con.execute("SELECT count(*) FROM contact WHERE created IS NULL").fetchone()
        assert stamps == (0,)
    finally:
        con.close()
    return contacts, states


def _bound() -> Binding:
    account = Account.create(label="Büro", server="https://dav.example", username="eva")
    book = cs.get_book("Standard")
    return Binding.create(account=account, remote_href="/b/", book=book, operation="sync")


@pytest.mark.parametrize("already", [0, 3])
def test_import_cards_writes_what_import_card_writes(
    tmp_path: Path, already: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.store.db import close_database, open_database

    cards = _cards()
    assert len(cards) > 10
    written: list[tuple[object, ...]] = []
    for one_by_one in (True, False):
        path = tmp_path / f"{one_by_one}.sqlite3"
        open_database(path)
        try:
            binding = _bound()
            for i in range(already):  # contacts before: the new ids follow the highest
                cs.add_contact(
                    binding.book,
                    f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:vor-{i}\r\nFN:Vor {i}\r\nEND:VCARD\r\n",
                )
            if one_by_one:
                ids = [
                    syncstate.import_card(binding, href, etag, text, uid, facts=facts)
                    for href, etag, text, uid, facts in cards
                ]
            else:
                ids = syncstate.import_cards(binding, cards)
            by_id = {c.id: c.uid for c in Contact.select(Contact.id, Contact.uid)}
            assert [by_id[i] for i in ids] == [c[3] for c in cards]  # ids in order
        finally:
            close_database()
        written.append(_rows(path))
    assert written[0] == written[1]
    _contacts, states = written[1]
    assert len(states) == len(cards) and all(s[2] == s[5] and s[3] == s[4] == s[6] for s in states)


@pytest.mark.parametrize("in_batch", [False, True])
def test_a_failing_import_leaves_nothing(tmp_path: Path, in_batch: bool) -> None:
    """The state of the last card cannot be written (no ETag) after every contact row was:
    alone, `import_cards` rolls back its own transaction; inside a batch it has no
    savepoint, and the batch rolls back whole (as the streaming import's does)."""
    import contextlib

    from app.store import syncbase
    from app.store.db import close_database, open_database
    from app.store.models import ItemState

    cards = _cards()[:5]
    href, _etag, text, uid, facts = cards[-1]
    cards[-1] = (href, None, text, uid, facts)  # type: ignore[assignment]
    open_database(tmp_path / "c.sqlite3")
    try:
        binding = _bound()
        outer = syncbase.batch() if in_batch else contextlib.nullcontext()
        with pytest.raises(sqlite3.IntegrityError), outer:
            syncstate.import_cards(binding, cards)
        assert Contact.select().count() == 0
        assert ItemState.select().count() == 0
        assert syncstate.import_cards(binding, _cards()[:5])  # and the next try stores them
        assert Contact.select().count() == 5
    finally:
        close_database()
